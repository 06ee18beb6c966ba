/* main.c - chapter 9: numbers that track a GAN's quality.
 *
 * Loads a generator (chapter 8's, or any chapter's, by --ckpt) and
 * chapter 4's classifier, draws N samples (10,000 by default) and
 * compares them with N real test images:
 *   - FCD: the Frechet distance between Gaussians fitted to the
 *     classifier's penultimate features (common/frechet.h), beside its
 *     floor, the same distance from N real training images;
 *   - the classifier score and the class histogram (mode dropping);
 *   - the Parzen-window log-likelihood of Goodfellow et al. (2014);
 *   - memorisation: each sample's distance to its nearest training
 *     image, beside the same for the test images.
 * --ckpt-dir evaluates every generator-epoch-NNN.ckpt of a training run
 * and draws the numbers against the epoch.
 *
 * What it adds: evaluation, with the real data's own score beside
 * every number. What it leaves out: Inception features (we have none
 * in C; FCD is not comparable with published FIDs), precision/recall
 * of distributions, and any test of statistical significance beyond
 * the Parzen standard error.
 *
 * Build and run: make run-09-evaluation (after chapters 4 and 8 have
 * trained), or build/bin/09-evaluation --help
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "cli.h"
#include "csvlog.h"
#include "dataset.h"
#include "error.h"
#include "files.h"
#include "idx.h"
#include "plot.h"
#include "progress.h"
#include "run.h"

#include "evaluate.h"
#include "generator.h"
#include "output.h"

#define DEFAULT_CKPT "out/08-gan-mnist/checkpoint.ckpt"
#define DEFAULT_SAMPLES 10000
#define MIN_SAMPLES 10
#define MAX_SAMPLES 1000000
#define FORWARD_BATCH 500 /* rows per forward pass of G and classifier */
#define MAX_EPOCHS 10000
#define EPOCH_PREFIX "generator-epoch-" /* chapter 8's per-epoch files */
#define EPOCH_SUFFIX ".ckpt"

typedef struct {
    uint64_t seed;
    const char *out, *data, *ckpt, *ckpt_dir, *classifier;
    int samples, threads;
    int bn_batch; /* 0: the saved batch-norm statistics */
    const char *images; /* an IDX file to score instead of a generator */
    bool quiet;
} Config;

static void load_generator(const Config *cfg, const char *path,
                           Generator *g)
{
    Error err;
    int batch = cfg->bn_batch ? cfg->bn_batch : FORWARD_BATCH;
    if (generator_load(path, batch, g, &err) < 0) {
        if (!file_exists(path))
            fatal("%s\nHINT: chapter 8 trains one: build/bin/08-gan-mnist",
                  err.msg);
        fatal("%s", err.msg);
    }
    if (cfg->bn_batch)
        generator_use_batch_statistics(g);
}

static void describe_generator(const char *path, int count,
                               const Generator *g)
{
    char what[256];
    generator_describe(g, what, sizeof what);
    printf("generator %s%s: %s\n", path, count > 1 ? " (the first)" : "",
           what);
}

/* Images from a generator or a file, x: (samples, P) in [0, 1]: the
 * full report, CSVs and figures. */
static void evaluate_images(const Config *cfg, const Run *run,
                            const Dataset *data, Classifier *clf,
                            const float *x)
{
    Progress progress;
    long done = 0;
    progress_init(&progress, 0, 2 * eval_work_units(data, cfg->samples),
                  cfg->quiet);
    EvalReal real;
    Error err;
    if (eval_real_prepare(&real, data, clf, cfg->samples, cfg->seed,
                          &progress, &done, &err) < 0)
        fatal("%s", err.msg);
    EvalResult res;
    eval_generated(&real, x, &res, &progress, &done);
    progress_end(&progress);

    const char *const *names = dataset_class_names(data->dir);
    if (!cfg->quiet)
        eval_print(&real, &res, names);
    eval_write_files(run, &real, &res, names);
    eval_write_pairs(run, &real, &res, x);
    if (plot_render("09-evaluation", cfg->out, cfg->quiet, &err) < 0)
        warn("%s", err.msg);
    run_result(run,
               "fcd=%.3f fcd_floor=%.3f score=%.3f score_real=%.3f "
               "missing=%d over=%d class_tv=%.3f parzen=%.1f "
               "parzen_se=%.1f parzen_real=%.1f nn_median=%.3f "
               "nn_median_test=%.3f samples=%d",
               res.fcd, real.fcd_floor, res.score, real.score, res.missing,
               res.over, res.class_tv, res.parzen.mean, res.parzen.se,
               real.parzen.mean, res.nn_median, real.nn_median,
               cfg->samples);
    eval_result_free(&res);
    eval_real_free(&real);
}

/* One generator: its samples, evaluated. */
static void evaluate_one(const Config *cfg, const Run *run,
                         const Dataset *data, Classifier *clf, Generator *g)
{
    float *x = xmalloc((size_t)cfg->samples * EVAL_PIXELS * sizeof(float));
    generator_draw(g, cfg->seed, cfg->samples, x);               /* (N, P) */
    evaluate_images(cfg, run, data, clf, x);
    free(x);
}

/* --images: the first cfg->samples images of an IDX file (or all of
 * them, when it holds fewer, and cfg->samples becomes that), read and
 * checked before the data, in the classifier's [0, 1]. */
static float *read_image_file(Config *cfg)
{
    IdxImages im;
    Error err;
    if (idx_read_images(cfg->images, DATASET_SIDE, DATASET_SIDE, &im,
                        &err) < 0)
        fatal("%s", err.msg);
    if (im.count < MIN_SAMPLES)
        fatal("%s holds %d images; scoring needs at least %d",
              cfg->images, im.count, MIN_SAMPLES);
    if (im.count < cfg->samples) {
        if (!cfg->quiet)
            printf("%s holds %d images: scoring them against as many "
                   "test images\n", cfg->images, im.count);
        cfg->samples = im.count;
    }
    int *rows = xmalloc((size_t)cfg->samples * sizeof(int));
    index_identity(rows, cfg->samples);
    float *x = xmalloc((size_t)cfg->samples * EVAL_PIXELS * sizeof(float));
    images_to_float(&im, rows, cfg->samples, 0.0f, 1.0f, x);
    free(rows);
    idx_free_images(&im);
    return x;
}

static int by_epoch(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The epochs of dir's generator-epoch-NNN.ckpt files, ascending.
 * epochs: (MAX_EPOCHS); returns their count. */
static int list_epochs(const char *dir, int *epochs)
{
    DIR *d = opendir(dir);
    if (!d)
        fatal("cannot open the folder %s given to --ckpt-dir", dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_EPOCHS) {
        int epoch, used = 0;
        if (sscanf(e->d_name, EPOCH_PREFIX "%d%n", &epoch, &used) == 1 &&
            strcmp(e->d_name + used, EPOCH_SUFFIX) == 0 && epoch >= 0)
            epochs[n++] = epoch;
    }
    closedir(d);
    if (n == 0)
        fatal("%s holds no generator-epoch-NNN.ckpt files\nHINT: chapter "
              "8 writes one per epoch: build/bin/08-gan-mnist --out %s",
              dir, dir);
    qsort(epochs, (size_t)n, sizeof *epochs, by_epoch);
    return n;
}

static char *epoch_path(const char *dir, int epoch)
{
    char name[64];
    snprintf(name, sizeof name, EPOCH_PREFIX "%03d" EPOCH_SUFFIX, epoch);
    return path_join(dir, name);
}

typedef struct {
    int seen;        /* checkpoints evaluated so far */
    int epoch;       /* the one with the lowest FCD */
    double fcd;      /* its FCD */
    double last_fcd; /* the FCD of the last checkpoint seen */
} Best;

/* One line of the per-epoch table, and the best FCD so far. */
static void report_epoch(int epoch, const EvalResult *res, bool quiet,
                         Best *best)
{
    if (!quiet) {
        printf("%5d %9.3f %7.3f %7d %8.1f %6.3f %9.3f\n", epoch, res->fcd,
               res->score, res->missing, res->parzen.mean,
               res->parzen.sigmas[res->parzen.best], res->nn_median);
        fflush(stdout);
    }
    if (best->seen++ == 0 || res->fcd < best->fcd) {
        best->epoch = epoch;
        best->fcd = res->fcd;
    }
    best->last_fcd = res->fcd;
}

/* Every epoch's checkpoint: one row of epochs.csv each, and the
 * figure of the numbers against the epoch. */
static void evaluate_epochs(const Config *cfg, const Run *run,
                            const Dataset *data, Classifier *clf,
                            const int *epochs, int count)
{
    Progress progress;
    long done = 0;
    progress_init(&progress, 0, eval_work_units(data, cfg->samples),
                  cfg->quiet);
    EvalReal real;
    Error err;
    if (eval_real_prepare(&real, data, clf, cfg->samples, cfg->seed,
                          &progress, &done, &err) < 0)
        fatal("%s", err.msg);
    progress_end(&progress);
    if (!cfg->quiet)
        printf("real: fcd_floor %.3f  score %.3f  parzen %.1f  "
               "nn_median %.3f\n%5s %9s %7s %7s %8s %6s %9s\n",
               real.fcd_floor, real.score, real.parzen.mean,
               real.nn_median, "epoch", "fcd", "score", "missing",
               "parzen", "sigma", "nn_median");

    CsvLog log;
    char *log_path = run_path(run, "epochs.csv");
    if (csv_open(&log, log_path, EVAL_EPOCH_HEADER, &err) < 0)
        fatal("%s", err.msg);
    float *x = xmalloc((size_t)cfg->samples * EVAL_PIXELS * sizeof(float));
    Best best = {0};
    // listing: every-epoch
    for (int i = 0; i < count; i++) {
        char *path = epoch_path(cfg->ckpt_dir, epochs[i]);
        Generator g;
        EvalResult res;
        load_generator(cfg, path, &g);
        generator_draw(&g, cfg->seed, cfg->samples, x); /* same z */
        eval_generated(&real, x, &res, NULL, &done);
        eval_epoch_row(&log, epochs[i], &real, &res);
        report_epoch(epochs[i], &res, cfg->quiet, &best);
        eval_result_free(&res);
        generator_free(&g);
        free(path);
    }
    // end-listing: every-epoch
    if (csv_close(&log, &err) < 0)
        fatal("%s", err.msg);
    if (plot_render("09-evaluation-epochs", cfg->out, cfg->quiet, &err) < 0)
        warn("%s", err.msg);
    run_result(run,
               "best_fcd=%.3f best_epoch=%d last_fcd=%.3f fcd_floor=%.3f "
               "checkpoints=%d samples=%d",
               best.fcd, best.epoch, best.last_fcd, real.fcd_floor, count,
               cfg->samples);
    free(log_path);
    free(x);
    eval_real_free(&real);
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/09-evaluation",
                  .classifier = CLASSIFIER_CKPT,
                  .samples = DEFAULT_SAMPLES,
                  .threads = cli_default_threads()};
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        {"--ckpt", OPT_STRING, &cfg.ckpt, "FILE",
         "the generator to evaluate (default " DEFAULT_CKPT ")", 0, 0},
        {"--ckpt-dir", OPT_STRING, &cfg.ckpt_dir, "DIR",
         "evaluate every generator-epoch-NNN.ckpt in DIR", 0, 0},
        {"--classifier", OPT_STRING, &cfg.classifier, "FILE",
         "chapter 4's classifier, the judge", 0, 0},
        {"--samples", OPT_INT, &cfg.samples, "N",
         "generated images, and real test images, compared", MIN_SAMPLES,
         MAX_SAMPLES},
        {"--images", OPT_STRING, &cfg.images, "FILE",
         "score the 28x28 images of an IDX file (gzipped or not), made "
         "by any program, instead of a generator", 0, 0},
        {"--bn-batch", OPT_INT, &cfg.bn_batch, "N",
         "draw with batch norm by the statistics of each batch of N "
         "samples, not the generator's saved ones", 2, FORWARD_BATCH},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "09-evaluation",
              "Measures a generator: FCD, classifier score, class "
              "histogram, Parzen log-likelihood, nearest training images.",
              options, sizeof options / sizeof options[0]);
    if (cfg.ckpt && cfg.ckpt_dir)
        cli_usage_error("--ckpt and --ckpt-dir: choose one");
    if (cfg.images && (cfg.ckpt || cfg.ckpt_dir || cfg.bn_batch))
        cli_usage_error("--images scores a file: no --ckpt, --ckpt-dir or "
                        "--bn-batch with it");
    if (!cfg.ckpt)
        cfg.ckpt = DEFAULT_CKPT;

    Run run = {.name = "09-evaluation", .seed = cfg.seed, .out = cfg.out,
               .data = dataset_dir(cfg.data), .threads = cfg.threads,
               .quiet = cfg.quiet};
    run_start(&run);
    Error err;
    Classifier clf;
    if (classifier_load(&clf, cfg.classifier, FORWARD_BATCH, &err) < 0) {
        if (!file_exists(cfg.classifier))
            fatal("%s\nHINT: chapter 4 trains it: build/bin/04-classifier",
                  err.msg);
        fatal("%s", err.msg);
    }
    if (!cfg.quiet)
        printf("classifier %s\n", cfg.classifier);
    if (cfg.images) { /* a bad file is refused before the data is read */
        float *x = read_image_file(&cfg);
        Dataset data;
        if (dataset_load(run.data, &data, &err) < 0)
            fatal("%s", err.msg);
        if (!cfg.quiet)
            printf("images %s: %d\n", cfg.images, cfg.samples);
        evaluate_images(&cfg, &run, &data, &clf, x);
        free(x);
        dataset_free(&data);
        classifier_free(&clf);
        return 0;
    }
    /* refuse a bad generator before the data is read */
    Generator g;
    int *epochs = xmalloc(MAX_EPOCHS * sizeof(int));
    int count = 1;
    char *first = NULL;
    if (cfg.ckpt_dir) {
        count = list_epochs(cfg.ckpt_dir, epochs);
        first = epoch_path(cfg.ckpt_dir, epochs[0]);
    }
    load_generator(&cfg, first ? first : cfg.ckpt, &g);
    if (!cfg.quiet)
        describe_generator(first ? first : cfg.ckpt, count, &g);
    free(first);
    Dataset data;
    if (dataset_load(run.data, &data, &err) < 0)
        fatal("%s", err.msg);
    if (cfg.ckpt_dir) {
        generator_free(&g);
        evaluate_epochs(&cfg, &run, &data, &clf, epochs, count);
    } else {
        evaluate_one(&cfg, &run, &data, &clf, &g);
        generator_free(&g);
    }
    free(epochs);
    dataset_free(&data);
    classifier_free(&clf);
    return 0;
}
