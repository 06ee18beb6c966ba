/* main.c - chapter 13: does data from a GAN help a classifier that has
 * few labels? Measured so that the answer can be no.
 *
 * Adds over chapters 4 and 11: nothing new in either network. Chapter
 * 4's classifier and its training loop, and chapter 11's conditional
 * GAN and its training step, are compiled in from their chapters; what
 * is new is the protocol: n labelled images per class, a cGAN trained
 * on those alone, training sets mixed in fixed ratios, the same seed
 * for a baseline and its augmented runs, and the Classification
 * Accuracy Score of a generator trained on every label.
 * Leaves out on purpose: augmenting with flips and crops, and
 * semi-supervised GANs (whose D is the classifier), which are other
 * questions.
 * Build and run: make run-13-augmentation; tests: make check
 * SUITE=ch13_augmentation
 *
 *   build/bin/13-augmentation           a small grid (see the book)
 *   build/bin/13-augmentation --grid    the whole protocol
 *   build/bin/13-augmentation --cas     the Classification Accuracy
 *                                       Score of chapter 11's generator
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dataset.h"
#include "error.h"
#include "files.h"
#include "plot.h"
#include "run.h"

#include "cas.h"
#include "grid.h"

/* The whole protocol (--grid) */
#define GRID_PER_CLASS "10,100,1000"
#define GRID_RATIOS "0,1,4"
#define GRID_SEEDS 5
/* The default run: the same, smaller */
#define DEFAULT_PER_CLASS "10,100"
#define DEFAULT_RATIOS "0,1,4"
#define DEFAULT_SEEDS 1
#define DEFAULT_GAN_STEPS 1000
#define DEFAULT_CLF_STEPS 2000
#define DEFAULT_GAN_BATCH 64
#define CAS_FROM "out/11-cgan/generator.ckpt"
#define MAX_STEPS 1e7

typedef struct {
    const char *out, *data, *per_class, *ratios, *from;
    uint64_t seed;
    int seeds, threads, gan_batch;
    long gan_steps, clf_steps;
    bool grid, cas, quiet;
} Config;

static void parse_or_exit(const char *text, const char *option, int lo,
                          int hi, int *values, int *count)
{
    Error err;
    *count = aug_parse_list(text, option, lo, hi, values, &err);
    if (*count < 0)
        cli_usage_error("%s", err.msg);
}

static int cas_main(const Config *cfg, const Run *run, const Dataset *ds)
{
    Error err;
    AugCas cas;
    if (aug_cas_run(cfg->from, ds, cfg->clf_steps, cfg->seed, &cas,
                    &err) < 0)
        fatal("%s\nHINT: chapter 11's default run writes %s "
              "(make run-11-cgan); or name a generator with --from", err.msg,
              CAS_FROM);
    const char *const *names = dataset_class_names(run->data);
    char *path = run_path(run, "cas.csv");
    if (aug_cas_write(&cas, names, path, &err) < 0)
        fatal("%s", err.msg);
    free(path);
    if (!cfg->quiet) {
        printf("test accuracy per class, classifier trained on %d images "
               "(%d epochs):\n%-12s %8s %10s\n", cas.images,
               cas.real.epochs, "class", "real", "generated");
        for (int k = 0; k < DATASET_CLASSES; k++)
            printf("%-12s %8.4f %10.4f\n", names[k], cas.real.per_class[k],
                   cas.generated.per_class[k]);
        printf("%-12s %8.4f %10.4f\n", "all", cas.real.accuracy,
               cas.generated.accuracy);
    }
    if (plot_render("13-augmentation-cas", cfg->out, cfg->quiet, &err) < 0)
        warn("%s", err.msg);
    run_result(run, "cas=%.4f real_accuracy=%.4f images=%d epochs=%d "
               "from=%s", cas.generated.accuracy, cas.real.accuracy,
               cas.images, cas.real.epochs, cfg->from);
    return 0;
}

static int grid_main(const Config *cfg, const Run *run, const Dataset *ds)
{
    AugGrid g = {.seeds = cfg->seeds, .first_seed = cfg->seed,
                 .gan_steps = cfg->gan_steps, .clf_steps = cfg->clf_steps,
                 .gan_batch = cfg->gan_batch, .out = cfg->out,
                 .quiet = cfg->quiet};
    parse_or_exit(cfg->per_class, "--per-class", 1,
                  ds->train_images.count / DATASET_CLASSES, g.per_class,
                  &g.n_count);
    parse_or_exit(cfg->ratios, "--ratios", 0, 100, g.ratios,
                  &g.ratio_count);
    if (g.ratios[0] != 0)
        cli_usage_error("--ratios must start with 0, the real-only "
                        "baseline the others are compared with");
    AugCell *cells = xmalloc((size_t)g.n_count * g.seeds * g.ratio_count *
                             sizeof(AugCell));
    aug_grid_run(&g, ds, cells);
    free(cells);
    Error err;
    if (plot_render("13-augmentation", cfg->out, cfg->quiet, &err) < 0)
        warn("%s", err.msg);
    run_result(run, "per_class=%s ratios=%s seeds=%d gan_steps=%ld "
               "clf_steps=%ld", cfg->per_class, cfg->ratios, cfg->seeds,
               cfg->gan_steps, cfg->clf_steps);
    return 0;
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .seeds = DEFAULT_SEEDS,
                  .clf_steps = DEFAULT_CLF_STEPS,
                  .gan_steps = DEFAULT_GAN_STEPS,
                  .gan_batch = DEFAULT_GAN_BATCH, .from = CAS_FROM,
                  .threads = cli_default_threads()};
    CliOption options[] = {
        {"--grid", OPT_FLAG, &cfg.grid, NULL,
         "the whole protocol: --per-class " GRID_PER_CLASS " --ratios "
         GRID_RATIOS " --seeds 5 (out/13-augmentation-grid)", 0, 0},
        {"--cas", OPT_FLAG, &cfg.cas, NULL,
         "the Classification Accuracy Score of the generator in --from "
         "(out/13-augmentation-cas)", 0, 0},
        {"--from", OPT_STRING, &cfg.from, "CKPT",
         "chapter 11's generator for --cas", 0, 0},
        {"--per-class", OPT_STRING, &cfg.per_class, "LIST",
         "labelled real images per class, e.g. 10,100 (default "
         DEFAULT_PER_CLASS ")", 0, 0},
        {"--ratios", OPT_STRING, &cfg.ratios, "LIST",
         "generated images per real one, starting with 0 (default "
         DEFAULT_RATIOS ")", 0, 0},
        {"--seeds", OPT_INT, &cfg.seeds, "K",
         "seeds per cell, from --seed on", 1, 100},
        {"--gan-steps", OPT_LONG, &cfg.gan_steps, "N",
         "steps of each cGAN", 1, MAX_STEPS},
        {"--gan-batch", OPT_INT, &cfg.gan_batch, "N",
         "the cGAN's batch", 1, 4096},
        {"--clf-steps", OPT_LONG, &cfg.clf_steps, "N",
         "steps of each classifier", 1,
         MAX_STEPS},
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "13-augmentation",
              "Does a conditional GAN's data help a classifier trained on "
              "few labels? Trains chapter 4's classifier with and without "
              "samples of chapter 11's cGAN.",
              options, sizeof options / sizeof options[0]);
    if (cfg.grid && cfg.cas)
        cli_usage_error("--grid and --cas: choose one");
    if (cfg.grid && (cfg.per_class || cfg.ratios))
        cli_usage_error("--grid sets --per-class and --ratios itself");
    if (cfg.cas && (cfg.per_class || cfg.ratios))
        cli_usage_error("--per-class and --ratios are for the grid, not "
                        "--cas");
    if (!cfg.out)
        cfg.out = cfg.grid  ? "out/13-augmentation-grid"
                  : cfg.cas ? "out/13-augmentation-cas"
                            : "out/13-augmentation";
    if (cfg.grid) {
        cfg.per_class = GRID_PER_CLASS;
        cfg.ratios = GRID_RATIOS;
        cfg.seeds = GRID_SEEDS;
    }
    if (!cfg.per_class)
        cfg.per_class = DEFAULT_PER_CLASS;
    if (!cfg.ratios)
        cfg.ratios = DEFAULT_RATIOS;

    const char *data = dataset_dir(cfg.data);
    Run run = {.name = "13-augmentation", .seed = cfg.seed, .out = cfg.out,
               .data = data, .threads = cfg.threads, .quiet = cfg.quiet};
    run_start(&run);
    Error err;
    Dataset ds;
    if (dataset_load(data, &ds, &err) < 0)
        fatal("%s", err.msg);
    int rc = cfg.cas ? cas_main(&cfg, &run, &ds) : grid_main(&cfg, &run, &ds);
    dataset_free(&ds);
    return rc;
}
