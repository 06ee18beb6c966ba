/* main.c - chapter 8: the GAN of Goodfellow et al. (2014) on 28x28
 * images, and the project's main job (make run).
 *
 *   build/bin/08-gan-mnist                   train (Fashion-MNIST)
 *   build/bin/08-gan-mnist --resume CKPT     continue a stopped run
 *   build/bin/08-gan-mnist --generate 64     samples from a checkpoint
 *   build/bin/08-gan-mnist --interpolate     walks through latent space
 *   build/bin/08-gan-mnist --bench           make bench
 */
#include "cli.h"
#include "gantrain.h"

#include "bench.h"
#include "train.h"

#define DEFAULT_EPOCHS 20
#define DEFAULT_BATCH 64

int main(int argc, char **argv)
{
    TrainConfig cfg = {.out = "out/08-gan-mnist", .seed = 1,
                       .epochs = DEFAULT_EPOCHS, .batch = DEFAULT_BATCH,
                       .threads = cli_default_threads()};
    const char *from = NULL;
    int generate = 0;
    bool interpolate = false, bench = false, idx = false;
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        CLI_EPOCHS(&cfg.epochs),
        GANTRAIN_CLI_TRAINING(&cfg),
        GANTRAIN_CLI_PICTURES(&generate, &interpolate, &from, &idx),
        {"--bench", OPT_FLAG, &bench, NULL,
         "time training steps against their GEMMs alone (make bench)", 0,
         0},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "08-gan-mnist",
              "Trains the GAN of Goodfellow et al. (2014) on 28x28 images "
              "(Fashion-MNIST by default).",
              options, sizeof options / sizeof options[0]);
    if (generate && interpolate)
        cli_usage_error("--generate and --interpolate: choose one");
    if (idx && !generate)
        cli_usage_error("--idx writes the samples of --generate N");
    if ((generate || interpolate) && cfg.resume)
        cli_usage_error("--resume trains; --generate and --interpolate "
                        "read --from");
    if (bench)
        return gan_bench(cfg.out, cfg.data, cfg.seed, cfg.threads);
    if (generate || interpolate)
        return gantrain_pictures("08-gan-mnist", &cfg, from, generate,
                                 interpolate, idx);
    return gan_train(&cfg);
}
