/* main.c - chapter 5: optimisers and initialisations, side by side.
 *
 * Adds over chapter 4: the derivations of SGD with momentum and Adam,
 * and of the scale of the first weights, each measured on chapter 4's
 * task with everything else held fixed.
 * Leaves out on purpose: learning-rate schedules, tuning each
 * optimiser's learning rate, and other optimisers (RMSProp, AdamW);
 * see the exercises.
 *
 * First it measures the variance of the pre-activations through a deep
 * stack of untrained ReLU layers for each initialisation (small,
 * Xavier, He): variance.csv and 05-optimizers-variance.png. Then it
 * trains chapter 4's classifier five times from the same seed for the
 * same number of steps:
 *   sgd, momentum, adam      He initialisation, three optimisers
 *   sgd_small, sgd_xavier    plain SGD, two other initialisations
 * (sgd is also the He curve of the second group), logging each one's
 * loss on a fixed set of training images in log.csv, and draws all
 * the curves in 05-optimizers.png. It prints Adam's first steps on
 * one weight, with and without bias correction.
 *
 * Build and run: make run-05-optimizers   (build/bin/05-optimizers
 * --help lists the options)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "classifier.h"
#include "cli.h"
#include "csvlog.h"
#include "dataset.h"
#include "error.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "run.h"

#include "trial.h"
#include "variance.h"

#define SCHEMES 3
#define LOG_EVERY 50         /* steps between two loss measurements */
#define PROBE_IMAGES 2000    /* training images the loss is measured on */
#define VARIANCE_IMAGES 1000 /* test images sent through the stack */
#define MAX_BATCH 4096       /* largest --batch accepted */
#define TABLE_STEPS 3        /* loss columns printed besides the last */

enum { SGD, MOMENTUM, ADAM, SGD_SMALL, SGD_XAVIER, TRIALS };

/* Each optimiser with its usual learning rate. */
static const TrialSpec trials[TRIALS] = {
    [SGD] = {"sgd", INIT_HE, OPTIM_SGD, 0.1f},
    [MOMENTUM] = {"momentum", INIT_HE, OPTIM_MOMENTUM, 0.01f},
    [ADAM] = {"adam", INIT_HE, OPTIM_ADAM, 0.001f},
    [SGD_SMALL] = {"sgd_small", INIT_SMALL_NORMAL, OPTIM_SGD, 0.1f},
    [SGD_XAVIER] = {"sgd_xavier", INIT_XAVIER, OPTIM_SGD, 0.1f},
};
static const InitScheme schemes[SCHEMES] = {INIT_SMALL_NORMAL,
                                            INIT_XAVIER, INIT_HE};
static const char *const optim_names[] = {
    [OPTIM_SGD] = "sgd", [OPTIM_MOMENTUM] = "momentum",
    [OPTIM_ADAM] = "adam"};
static const long table_steps[TABLE_STEPS] = {100, 500, 1000};

typedef struct {
    uint64_t seed;
    const char *out, *data;
    long steps;
    int batch, limit, depth, width, threads;
    bool quiet;
} Config;

static void fatal_if(int rc, const Error *err)
{
    if (rc < 0)
        fatal("%s", err->msg);
}

/* variance.csv: layer, then Var(z) for each scheme. Returns the ratio
 * Var(z_last) / Var(z_first) of each scheme in ratio[scheme]. */
static void measure_variance(const Config *cfg, const Run *run,
                             const Dataset *ds, double *ratio)
{
    int n = ds->test_images.count < VARIANCE_IMAGES
                ? ds->test_images.count : VARIANCE_IMAGES;
    int *idx = xmalloc((size_t)n * sizeof(int)); /* (n) */
    float *x = xmalloc((size_t)n * CLASSIFIER_INPUT *
                       sizeof(float)); /* (n, D) */
    index_identity(idx, n);
    images_to_float(&ds->test_images, idx, n, CLASSIFIER_PIXEL_LO,
                    CLASSIFIER_PIXEL_HI, x);
    double *var = xmalloc((size_t)SCHEMES * cfg->depth *
                          sizeof(double)); /* (SCHEMES, depth) */
    for (int s = 0; s < SCHEMES; s++) {
        Rng rng;
        rng_seed(&rng, cfg->seed);
        relu_depth_variance(schemes[s], x, n, CLASSIFIER_INPUT,
                            cfg->depth, cfg->width, &rng,
                            var + (size_t)s * cfg->depth);
        const double *v = var + (size_t)s * cfg->depth;
        ratio[schemes[s]] = v[cfg->depth - 1] / v[0];
    }
    Error err;
    CsvLog f;
    char *path = run_path(run, "variance.csv");
    fatal_if(csv_open(&f, path, "layer,small,xavier,he,small_predicted,"
                      "xavier_predicted,he_predicted", &err), &err);
    if (!cfg->quiet)
        printf("variance of z through %d ReLU layers of %d "
               "(%d test images)\n%5s %11s %11s %11s\n", cfg->depth,
               cfg->width, n, "layer", "small", "xavier", "he");
    double predicted[SCHEMES];
    for (int l = 0; l < cfg->depth; l++) {
        double row[1 + 2 * SCHEMES] = {l + 1};
        for (int s = 0; s < SCHEMES; s++) {
            /* the prediction starts from the measured first layer */
            predicted[s] = l == 0 ? var[(size_t)s * cfg->depth]
                                  : predicted[s] *
                                        relu_layer_gain(schemes[s],
                                                        cfg->width,
                                                        cfg->width);
            row[1 + s] = var[(size_t)s * cfg->depth + l];
            row[1 + SCHEMES + s] = predicted[s];
        }
        csv_row(&f, row);
        bool shown = l == 0 || (l + 1) % 5 == 0 || l == cfg->depth - 1;
        if (!cfg->quiet && shown)
            printf("%5d %11.3g %11.3g %11.3g\n", l + 1, row[1], row[2],
                   row[3]);
    }
    fatal_if(csv_close(&f, &err), &err);
    free(path);
    free(var);
    free(x);
    free(idx);
}

static void print_trace(const AdamTrace *t, float lr)
{
    printf("Adam's first steps on one weight (the output layer's first "
           "bias), lr %g\n%2s %10s %10s %10s %10s %10s %10s %11s\n",
           (double)lr, "t", "g", "m", "v", "m_hat", "v_hat", "step",
           "uncorrected");
    for (int i = 0; i < TRIAL_TRACE_STEPS; i++)
        printf("%2d %10.3g %10.3g %10.3g %10.3g %10.3g %10.3g %11.3g\n",
               i + 1, t[i].g, t[i].m, t[i].v, t[i].m_hat, t[i].v_hat,
               t[i].step, t[i].uncorrected);
}

/* The probe loss of trial t at `step`, or NaN if it was not logged. */
static double loss_at(const TrialBudget *b, const float *losses, int t,
                      long step)
{
    int points = trial_log_points(b);
    for (int p = 0; p < points; p++)
        if (trial_log_step(b, p) == step)
            return losses[(size_t)t * points + p];
    return NAN;
}

static void print_table(const TrialBudget *b, const float *losses,
                        const TrialResult *res)
{
    char label[32];
    printf("%-11s %-7s %-9s %6s", "trial", "init", "optimiser", "lr");
    for (int c = 0; c < TABLE_STEPS; c++)
        if (table_steps[c] < b->steps) {
            snprintf(label, sizeof label, "loss@%ld", table_steps[c]);
            printf(" %10s", label);
        }
    snprintf(label, sizeof label, "loss@%ld", b->steps);
    printf(" %10s %9s\n", label, "test_acc");
    for (int t = 0; t < TRIALS; t++) {
        const TrialSpec *s = &trials[t];
        printf("%-11s %-7s %-9s %6g", s->name, init_scheme_name(s->init),
               optim_names[s->optim], (double)s->lr);
        for (int c = 0; c < TABLE_STEPS; c++)
            if (table_steps[c] < b->steps)
                printf(" %10.4f", loss_at(b, losses, t, table_steps[c]));
        printf(" %10.4f %9.4f\n", res[t].final_loss, res[t].test_accuracy);
    }
}

static void write_log(const Run *run, const TrialBudget *b,
                      const float *losses)
{
    Error err;
    CsvLog log;
    char *path = run_path(run, "log.csv");
    fatal_if(csv_open(&log, path, "step,sgd,momentum,adam,sgd_small,"
                      "sgd_xavier", &err), &err);
    int points = trial_log_points(b);
    for (int p = 0; p < points; p++) {
        double row[1 + TRIALS] = {(double)trial_log_step(b, p)};
        for (int t = 0; t < TRIALS; t++)
            row[1 + t] = losses[(size_t)t * points + p];
        csv_row(&log, row);
    }
    fatal_if(csv_close(&log, &err), &err);
    free(path);
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/05-optimizers", .steps = 3000,
                  .batch = 64, .depth = 20, .width = 256,
                  .threads = cli_default_threads()};
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        CLI_STEPS(&cfg.steps),
        {"--batch", OPT_INT, &cfg.batch, "N", "images per training step",
         1, MAX_BATCH},
        {"--limit", OPT_INT, &cfg.limit, "N",
         "train on the first N training images only (0: all)", 0, 1e9},
        {"--depth", OPT_INT, &cfg.depth, "N",
         "layers of the stack whose variance is measured", 1, 1000},
        {"--width", OPT_INT, &cfg.width, "N", "units in each of them", 1,
         4096},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "05-optimizers",
              "SGD, momentum and Adam; small, Xavier and He "
              "initialisation, measured side by side.",
              options, sizeof options / sizeof options[0]);

    const char *data = dataset_dir(cfg.data);
    Run run = {.name = "05-optimizers", .seed = cfg.seed,
               .out = cfg.out, .data = data, .threads = cfg.threads,
               .quiet = cfg.quiet};
    run_start(&run);
    Error err;
    Dataset ds;
    fatal_if(dataset_load(data, &ds, &err), &err);
    int count = ds.train_images.count;
    if (cfg.limit > 0 && cfg.limit < count)
        count = cfg.limit;
    if (count < cfg.batch)
        fatal("--batch %d is larger than the %d training images",
              cfg.batch, count);

    double ratio[SCHEMES];
    measure_variance(&cfg, &run, &ds, ratio);

    TrialData td = {&ds.train_images, &ds.test_images, &ds.train_labels,
                    &ds.test_labels, count,
                    count < PROBE_IMAGES ? count : PROBE_IMAGES};
    TrialBudget budget = {cfg.seed, cfg.steps, cfg.batch, LOG_EVERY};
    int points = trial_log_points(&budget);
    float *losses = xmalloc((size_t)TRIALS * points *
                            sizeof(float)); /* (TRIALS, points) */
    TrialResult res[TRIALS];
    AdamTrace trace[TRIAL_TRACE_STEPS];
    Progress progress;
    progress_init(&progress, 0, TRIALS * cfg.steps, cfg.quiet);
    long done = 0;
    for (int t = 0; t < TRIALS; t++)
        if (trial_run(&trials[t], &td, &budget,
                      losses + (size_t)t * points,
                      t == ADAM ? trace : NULL, &progress, &done,
                      &res[t]) < 0)
            fatal("trial %s diverged (its loss is not finite)",
                  trials[t].name);
    progress_end(&progress);
    write_log(&run, &budget, losses);
    if (!cfg.quiet) {
        print_trace(trace, trials[ADAM].lr);
        print_table(&budget, losses, res);
    }
    if (plot_render("05-optimizers", cfg.out, cfg.quiet, &err) < 0)
        warn("%s", err.msg);
    if (plot_render("05-optimizers-variance", cfg.out, cfg.quiet, &err) <
        0)
        warn("%s", err.msg);

    run_result(&run, "sgd=%.4f momentum=%.4f adam=%.4f sgd_small=%.4f "
               "sgd_xavier=%.4f adam_test_accuracy=%.4f "
               "he_var_ratio=%.3g xavier_var_ratio=%.3g "
               "small_var_ratio=%.3g steps=%ld", res[SGD].final_loss,
               res[MOMENTUM].final_loss, res[ADAM].final_loss,
               res[SGD_SMALL].final_loss, res[SGD_XAVIER].final_loss,
               res[ADAM].test_accuracy, ratio[INIT_HE], ratio[INIT_XAVIER],
               ratio[INIT_SMALL_NORMAL], cfg.steps);
    free(losses);
    dataset_free(&ds);
    return 0;
}
