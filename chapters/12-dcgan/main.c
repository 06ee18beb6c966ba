/* main.c - chapter 12: the convolutional GAN (DCGAN) on 28x28 images.
 *
 *   build/bin/12-dcgan                   train (Fashion-MNIST)
 *   build/bin/12-dcgan --resume CKPT     continue a stopped run
 *   build/bin/12-dcgan --generate 64     samples from a checkpoint
 *   build/bin/12-dcgan --interpolate     walks through latent space
 *   build/bin/12-dcgan --bench           its step against its GEMMs
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "error.h"
#include "files.h"
#include "generator.h"
#include "run.h"

#include "speed.h"
#include "model.h"

#define DEFAULT_EPOCHS 5
#define DEFAULT_BATCH 64
#define INTERP_ROWS 8
#define INTERP_STEPS 10
#define MAX_GENERATE 10000

/* --generate and --interpolate: no training, just the generator. */
static int sample_main(const GanTrainConfig *cfg, const char *from,
                       int generate, bool interpolate)
{
    /* the training run's result.txt stays as it is */
    Run run = {.name = DCGAN_NAME, .seed = cfg->seed, .out = cfg->out,
               .data = from, .threads = cfg->threads, .quiet = cfg->quiet,
               .result_file = ""};
    run_start(&run);
    Generator g;
    Error err;
    if (generator_load(from, DEFAULT_BATCH, &g, &err) < 0)
        fatal("%s", err.msg);
    char *path = run_path(&run, interpolate ? "interpolation.png"
                                            : "generated.png");
    int rc = interpolate
                 ? generator_write_walks(&g, INTERP_ROWS, INTERP_STEPS,
                                         cfg->seed, path, &err)
                 : generator_write_grid(&g, generate, cfg->seed, path, &err);
    if (rc < 0)
        fatal("%s", err.msg);
    if (!cfg->quiet)
        printf("figure: %s\n", path);
    run_result(&run, "images=%d from=%s",
               interpolate ? INTERP_ROWS * INTERP_STEPS : generate, from);
    free(path);
    generator_free(&g);
    return 0;
}

int main(int argc, char **argv)
{
    GanTrainConfig cfg = {.out = "out/12-dcgan", .seed = 1,
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
        {"--batch", OPT_INT, &cfg.batch, "N", "images per step", 2, 4096},
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
    cli_parse(argc, argv, DCGAN_NAME,
              "Trains a convolutional GAN (DCGAN, Radford et al. 2015) on "
              "28x28 images (Fashion-MNIST by default).",
              options, sizeof options / sizeof options[0]);
    if (generate && interpolate)
        cli_usage_error("--generate and --interpolate: choose one");
    if ((generate || interpolate) && cfg.resume)
        cli_usage_error("--resume trains; --generate and --interpolate "
                        "read --from");
    if (bench)
        return dcgan_bench(cfg.out, cfg.data, cfg.seed, cfg.threads);
    if (generate || interpolate) {
        char fallback[4096];
        if (!from) {
            snprintf(fallback, sizeof fallback, "%s/checkpoint.ckpt",
                     cfg.out);
            from = fallback;
        }
        return sample_main(&cfg, from, generate, interpolate);
    }
    return dcgan_train(&cfg);
}
