/* main.c - chapter 12: the convolutional GAN (DCGAN) on 28x28 images.
 *
 *   build/bin/12-dcgan                   train (Fashion-MNIST)
 *   build/bin/12-dcgan --resume CKPT     continue a stopped run
 *   build/bin/12-dcgan --generate 64     samples from a checkpoint
 *   build/bin/12-dcgan --interpolate     walks through latent space
 *   build/bin/12-dcgan --bench           its step against its GEMMs
 */
#include "cli.h"
#include "gantrain.h"

#include "speed.h"
#include "model.h"

/* 4 epochs: about 4 minutes on 2 cores with AVX-512 and 9 on a 2-core
 * AMD EPYC (AVX2), where 5 took 11 (book chapter 12); more epochs keep
 * improving the samples, and the book's 20-epoch run shows by how much. */
#define DEFAULT_EPOCHS 4
#define DEFAULT_BATCH 64

int main(int argc, char **argv)
{
    GanTrainConfig cfg = {.out = "out/12-dcgan", .seed = 1,
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
    cli_parse(argc, argv, DCGAN_NAME,
              "Trains a convolutional GAN (DCGAN, Radford et al. 2015) on "
              "28x28 images (Fashion-MNIST by default).",
              options, sizeof options / sizeof options[0]);
    if (generate && interpolate)
        cli_usage_error("--generate and --interpolate: choose one");
    if (idx && !generate)
        cli_usage_error("--idx writes the samples of --generate N");
    if ((generate || interpolate) && cfg.resume)
        cli_usage_error("--resume trains; --generate and --interpolate "
                        "read --from");
    if (bench)
        return dcgan_bench(cfg.out, cfg.data, cfg.seed, cfg.threads);
    if (generate || interpolate)
        return gantrain_pictures(DCGAN_NAME, &cfg, from, generate,
                                 interpolate, idx);
    return dcgan_train(&cfg);
}
