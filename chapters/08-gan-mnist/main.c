/* main.c - chapter 8: the GAN of Goodfellow et al. (2014) on 28x28
 * images, and the project's main job (make run).
 *
 *   build/bin/08-gan-mnist                   train (Fashion-MNIST)
 *   build/bin/08-gan-mnist --resume CKPT     continue a stopped run
 *   build/bin/08-gan-mnist --generate 64     samples from a checkpoint
 *   build/bin/08-gan-mnist --interpolate     walks through latent space
 *   build/bin/08-gan-mnist --bench           make bench
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "error.h"
#include "mlp.h"
#include "run.h"

#include "bench.h"
#include "sample.h"
#include "train.h"

#define DEFAULT_EPOCHS 20
#define DEFAULT_BATCH 64
#define INTERP_ROWS 8
#define INTERP_STEPS 10
#define MAX_GENERATE 10000

/* --generate and --interpolate: no training, just the generator. */
static int sample_main(const TrainConfig *cfg, const char *from,
                       int generate, bool interpolate)
{
    /* the training run's result.txt stays as it is */
    Run run = {.name = "08-gan-mnist", .seed = cfg->seed, .out = cfg->out,
               .data = from, .threads = cfg->threads, .quiet = cfg->quiet,
               .result_file = ""};
    run_start(&run);
    Mlp g;
    sample_load_generator(from, DEFAULT_BATCH, &g);
    char *path = run_path(&run, interpolate ? "interpolation.png"
                                            : "generated.png");
    if (interpolate)
        sample_interpolate(&g, INTERP_ROWS, INTERP_STEPS, cfg->seed, path);
    else
        sample_grid(&g, generate, cfg->seed, path);
    if (!cfg->quiet)
        printf("figure: %s\n", path);
    run_result(&run, "images=%d from=%s",
               interpolate ? INTERP_ROWS * INTERP_STEPS : generate, from);
    free(path);
    mlp_free(&g);
    return 0;
}

int main(int argc, char **argv)
{
    TrainConfig cfg = {.out = "out/08-gan-mnist", .seed = 1,
                       .epochs = DEFAULT_EPOCHS, .batch = DEFAULT_BATCH,
                       .threads = cli_default_threads()};
    const char *from = NULL;
    int generate = 0;
    bool interpolate = false, bench = false;
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        CLI_EPOCHS(&cfg.epochs),
        {"--steps", OPT_LONG, &cfg.max_steps, "N",
         "stop after N steps in all, even mid-epoch", 1, 1e12},
        {"--batch", OPT_INT, &cfg.batch, "N", "images per step", 1, 4096},
        {"--limit", OPT_INT, &cfg.limit, "N",
         "train on the first N images only", 1, 1e9},
        {"--resume", OPT_STRING, &cfg.resume, "CKPT",
         "continue from a checkpoint of this program", 0, 0},
        {"--plot-every", OPT_LONG, &cfg.plot_every, "N",
         "redraw the loss figure every N steps", 1, 1e12},
        {"--generate", OPT_INT, &generate, "N",
         "draw N samples from --from into generated.png", 1, MAX_GENERATE},
        {"--interpolate", OPT_FLAG, &interpolate, NULL,
         "draw latent walks from --from into interpolation.png", 0, 0},
        {"--from", OPT_STRING, &from, "CKPT",
         "checkpoint for --generate and --interpolate "
         "(default <out>/checkpoint.ckpt)", 0, 0},
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
    if ((generate || interpolate) && cfg.resume)
        cli_usage_error("--resume trains; --generate and --interpolate "
                        "read --from");
    if (bench)
        return gan_bench(cfg.out, cfg.data, cfg.seed, cfg.threads);
    if (generate || interpolate) {
        char fallback[4096];
        if (!from) {
            snprintf(fallback, sizeof fallback, "%s/checkpoint.ckpt",
                     cfg.out);
            from = fallback;
        }
        return sample_main(&cfg, from, generate, interpolate);
    }
    return gan_train(&cfg);
}
