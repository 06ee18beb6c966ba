/* main.c - chapter 6: a GAN learns a 1-D Gaussian.
 *
 * G turns noise z ~ N(0, 1) into a number; D tells those numbers
 * from samples of N(4, 1.25^2). They take turns, one Adam step each,
 * for --steps steps. The run writes log.csv (both losses, D's mean
 * output on real and fake batches, the mean and spread of G's
 * samples, the size of G's gradient), snapshots.csv (the densities
 * and D at six moments), map.csv (G's map from z to x at the same
 * moments), target.csv, and the figures 06-gan-1d.png,
 * 06-gan-1d-losses.png and 06-gan-1d-map.png.
 *
 * Adds over chapter 5: a training loop with two players.
 * Leaves out on purpose: checkpoints (chapter 8), since a run takes
 * seconds; every stabilising trick but one learning-rate decay
 * (chapter 10).
 * Build and run: make run-06-gan-1d   (or build/bin/06-gan-1d --help)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvlog.h"
#include "error.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "run.h"

#include "density.h"
#include "gan1d.h"

#define LOG_EVERY 20          /* steps between rows of log.csv */
#define EVAL_SAMPLES 10000    /* fixed noise rows measuring G ... */
#define HIST_SAMPLES 100000   /* ... and drawing its histogram */
#define SNAPSHOTS 6           /* moments the figure shows */
#define BINS 100              /* histogram bins over the window */
#define WINDOW_STDS 3.5       /* the window covers the target and G's
                               * first samples, each +- 3.5 std */
#define DSTAR_FLOOR 0.02      /* D* is drawn where p_data + p_g > this
                               * share of p_data's peak */
#define MAP_POINTS 61         /* z values at which G's map is drawn */
#define MAP_NORMAL_Z 3.0      /* ... over [-3, 3] for normal noise, */
#define MAP_UNIFORM_Z 1.0     /* over [-1, 1] for uniform noise */

/* When the snapshots are taken, as shares of the run. */
static const double snapshot_at[SNAPSHOTS] = {0.0, 0.02, 0.05, 0.1,
                                              0.3, 1.0};

typedef struct {
    uint64_t seed;
    const char *out;
    long steps;
    int threads;
    bool quiet;
    int d_steps;          /* k: D steps per G step */
    const char *g_loss;   /* "non-saturating" or "minimax" */
    const char *noise;    /* "normal" or "uniform" */
    const char *optim;    /* "adam" or "sgd" */
    bool raw_d;           /* D reads x unstandardised */
    float decay_from;     /* share of the run after which the learning
                           * rates fall linearly to 0 */
    Gan1dConfig gan;
} Config;

/* Sums of the step statistics since the last row of log.csv. */
typedef struct {
    double loss_d, loss_g, d_real, d_fake, g_grad;
    long d_count, g_count;
} Tally;

/* G measured on noise drawn once, so that every measurement sees the
 * same z: the log's mean and std use the first EVAL_SAMPLES rows, the
 * histograms all HIST_SAMPLES. */
typedef struct {
    float *z;        /* (HIST_SAMPLES, Z) fixed noise */
    float *x;        /* (HIST_SAMPLES) G(z) */
    double mean, std;
} Eval;

typedef struct {
    CsvLog densities, map;  /* snapshots.csv, map.csv */
    double lo, hi;          /* the window drawn */
    double grid[BINS];      /* bin centres */
    float p_d[BINS];        /* D at the bin centres */
    double p_g[BINS];       /* histogram of G's samples */
    long at[SNAPSHOTS];     /* steps to take them at, increasing */
    int planned;            /* how many of at[] there are */
    double g_mean[SNAPSHOTS], g_std[SNAPSHOTS];
    int count;              /* taken so far */
} Snapshots;

static void parse(int argc, char **argv, Config *cfg)
{
    CliOption options[] = {
        CLI_SEED(&cfg->seed),
        CLI_OUT(&cfg->out),
        CLI_STEPS(&cfg->steps),
        {"--batch", OPT_INT, &cfg->gan.batch, "N",
         "samples per batch, real and fake", 1, 1 << 16},
        {"--hidden", OPT_INT, &cfg->gan.hidden, "H",
         "units in each hidden layer of G and D", 1, 4096},
        {"--optim", OPT_STRING, &cfg->optim, "NAME",
         "both players' optimiser: adam or sgd", 0, 0},
        {"--lr-g", OPT_FLOAT, &cfg->gan.lr_g, "X", "G's learning rate",
         1e-7, 1},
        {"--lr-d", OPT_FLOAT, &cfg->gan.lr_d, "X", "D's learning rate",
         1e-7, 1},
        {"--beta1", OPT_FLOAT, &cfg->gan.beta1, "X",
         "Adam's first-moment decay", 0, 0.999},
        {"--d-steps", OPT_INT, &cfg->d_steps, "K",
         "D steps for each G step", 1, 100},
        {"--g-loss", OPT_STRING, &cfg->g_loss, "NAME",
         "G's loss: non-saturating or minimax", 0, 0},
        {"--noise", OPT_STRING, &cfg->noise, "NAME",
         "G's noise: normal N(0, 1) or uniform U(-1, 1)", 0, 0},
        {"--target-mean", OPT_FLOAT, &cfg->gan.target_mean, "MU",
         "mean of the target Gaussian", -100, 100},
        {"--target-std", OPT_FLOAT, &cfg->gan.target_std, "SIGMA",
         "standard deviation of the target Gaussian", 0.01, 100},
        {"--decay-from", OPT_FLOAT, &cfg->decay_from, "F",
         "share of the run after which both learning rates fall "
         "linearly to 0 (1: never)", 0, 1},
        {"--raw-d", OPT_FLAG, &cfg->raw_d, NULL,
         "D reads x as it is, not standardised", 0, 0},
        CLI_THREADS(&cfg->threads),
        CLI_QUIET(&cfg->quiet),
    };
    cli_parse(argc, argv, "06-gan-1d",
              "A GAN learns a 1-D Gaussian: G's density and D's output "
              "over training.",
              options, sizeof options / sizeof options[0]);
    if (strcmp(cfg->g_loss, "non-saturating") == 0)
        cfg->gan.g_loss = GAN1D_NON_SATURATING;
    else if (strcmp(cfg->g_loss, "minimax") == 0)
        cfg->gan.g_loss = GAN1D_MINIMAX;
    else
        cli_usage_error("--g-loss must be non-saturating or minimax, "
                        "not '%s'", cfg->g_loss);
    if (strcmp(cfg->optim, "adam") == 0)
        cfg->gan.optim = OPTIM_ADAM;
    else if (strcmp(cfg->optim, "sgd") == 0)
        cfg->gan.optim = OPTIM_SGD;
    else
        cli_usage_error("--optim must be adam or sgd, not '%s'",
                        cfg->optim);
    cfg->gan.standardize = !cfg->raw_d;
    if (strcmp(cfg->noise, "normal") == 0)
        cfg->gan.noise = GAN1D_NOISE_NORMAL;
    else if (strcmp(cfg->noise, "uniform") == 0)
        cfg->gan.noise = GAN1D_NOISE_UNIFORM;
    else
        cli_usage_error("--noise must be normal or uniform, not '%s'",
                        cfg->noise);
}

static void measure(Gan1d *gan, Eval *ev)
{
    gan1d_generate(gan, ev->z, ev->x, EVAL_SAMPLES);
    gan1d_moments(ev->x, EVAL_SAMPLES, &ev->mean, &ev->std);
}

/* The steps of the snapshots: shares of the run, without repeats
 * (a short run has fewer). */
static void snapshot_plan(Snapshots *s, long steps)
{
    s->planned = 0;
    for (int i = 0; i < SNAPSHOTS; i++) {
        long at = lround(snapshot_at[i] * (double)steps);
        if (s->planned == 0 || at > s->at[s->planned - 1])
            s->at[s->planned++] = at;
    }
}

/* Fixes the window once, from the target and G's first samples, so
 * that every panel of the figure shares one x axis. */
static void snapshot_window(Snapshots *s, const Gan1dConfig *g,
                            const Eval *ev)
{
    double lo = fmin(g->target_mean - WINDOW_STDS * g->target_std,
                     ev->mean - WINDOW_STDS * ev->std);
    double hi = fmax(g->target_mean + WINDOW_STDS * g->target_std,
                     ev->mean + WINDOW_STDS * ev->std);
    s->lo = floor(lo);
    s->hi = ceil(hi);
    double width = (s->hi - s->lo) / BINS;
    for (int b = 0; b < BINS; b++)
        s->grid[b] = s->lo + (b + 0.5) * width;
}

/* Appends G's map at one moment to map.csv: step, z, G(z), and the
 * increasing map that turns the noise into the target exactly,
 * mean + std Phi^-1(F(z)) with F the noise's distribution function
 * (for normal noise, mean + std z). z runs over the midpoints of
 * MAP_POINTS equal cells, never the ends of uniform noise, where the
 * exact map is infinite. */
static void snapshot_map(Snapshots *s, Gan1d *gan)
{
    const Gan1dConfig *g = &gan->cfg;
    bool normal = g->noise == GAN1D_NOISE_NORMAL;
    double reach = normal ? MAP_NORMAL_Z : MAP_UNIFORM_Z;
    float z[MAP_POINTS], x[MAP_POINTS];
    for (int i = 0; i < MAP_POINTS; i++)
        z[i] = (float)(-reach + (i + 0.5) * 2.0 * reach / MAP_POINTS);
    gan1d_generate(gan, z, x, MAP_POINTS);
    for (int i = 0; i < MAP_POINTS; i++) {
        double share = normal ? gan1d_normal_cdf(z[i])
                              : (z[i] + MAP_UNIFORM_Z) / (2 * reach);
        double exact = g->target_mean +
                       g->target_std * gan1d_normal_quantile(share);
        csv_row(&s->map, (double[]){(double)s->at[s->count], z[i], x[i],
                                    exact});
    }
}

/* Appends one moment to snapshots.csv (step, x, p_data, p_g, D, D*)
 * and to map.csv. */
static void snapshot(Snapshots *s, Gan1d *gan, const Eval *ev)
{
    CsvLog *f = &s->densities;
    const Gan1dConfig *g = &gan->cfg;
    double peak = gan1d_normal_pdf(g->target_mean, g->target_mean,
                                   g->target_std);
    float x[BINS];
    for (int b = 0; b < BINS; b++)
        x[b] = (float)s->grid[b];
    gan1d_discriminate(gan, x, s->p_d, BINS);
    gan1d_generate(gan, ev->z, ev->x, HIST_SAMPLES);
    gan1d_histogram(ev->x, HIST_SAMPLES, s->lo, s->hi, BINS, s->p_g);
    if (s->count > 0) {
        /* two empty lines between moments: gnuplot's `index` */
        CsvLog *files[2] = {f, &s->map};
        for (int k = 0; k < 2; k++) {
            csv_break(files[k]);
            csv_break(files[k]);
        }
    }
    for (int b = 0; b < BINS; b++) {
        double p_data = gan1d_normal_pdf(s->grid[b], g->target_mean,
                                         g->target_std);
        double d_star = gan1d_optimal_d(p_data, s->p_g[b],
                                        DSTAR_FLOOR * peak);
        csv_row(f, (double[]){(double)s->at[s->count], s->grid[b], p_data,
                              s->p_g[b], s->p_d[b], d_star});
    }
    snapshot_map(s, gan);
    s->g_mean[s->count] = ev->mean;
    s->g_std[s->count] = ev->std;
    s->count++;
}

static void log_row(CsvLog *log, long step, Tally *t, const Eval *ev)
{
    csv_row(log, (double[]){(double)step, t->loss_d / t->d_count,
                            t->loss_g / t->g_count,
                            t->d_real / t->d_count,
                            t->d_fake / t->d_count, ev->mean, ev->std,
                            t->g_grad / t->g_count});
    *t = (Tally){0};
}

static void open_csv(CsvLog *f, const Run *run, const char *name,
                     const char *header)
{
    Error err;
    char *path = run_path(run, name);
    if (csv_open(f, path, header, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

static void close_csv(CsvLog *f)
{
    Error err;
    if (csv_close(f, &err) < 0)
        fatal("%s", err.msg);
}

/* target.csv: the target's mean and std, for the figures. */
static void write_target(const Run *run, const Gan1dConfig *g)
{
    CsvLog f;
    open_csv(&f, run, "target.csv", "mean,std");
    csv_row(&f, (double[]){g->target_mean, g->target_std});
    close_csv(&f);
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/06-gan-1d", .steps = 10000,
                  .threads = cli_default_threads(), .d_steps = 1,
                  .decay_from = 0.5f,
                  .g_loss = "non-saturating", .noise = "normal",
                  .optim = "adam",
                  .gan = {.target_mean = 4.0f, .target_std = 1.25f,
                          .batch = 128, .hidden = 32, .lr_g = 1e-4f,
                          .lr_d = 5e-4f, .beta1 = 0.5f}};
    parse(argc, argv, &cfg);

    Run run = {.name = "06-gan-1d", .seed = cfg.seed, .out = cfg.out,
               .threads = cfg.threads, .quiet = cfg.quiet};
    run_start(&run);
    Rng rng;
    rng_seed(&rng, cfg.seed);
    Gan1d gan;
    gan1d_init(&gan, &cfg.gan, &rng);
    Eval ev = {.z = xmalloc(HIST_SAMPLES * GAN1D_Z * sizeof(float)),
               .x = xmalloc(HIST_SAMPLES * sizeof(float))};
    gan1d_noise(&gan, &rng, ev.z, HIST_SAMPLES);

    write_target(&run, &cfg.gan);
    CsvLog log;
    open_csv(&log, &run, "log.csv",
             "step,loss_d,loss_g,d_real,d_fake,g_mean,g_std,g_grad");
    Snapshots shots = {0};
    open_csv(&shots.densities, &run, "snapshots.csv",
             "step,x,p_data,p_g,d,d_star");
    open_csv(&shots.map, &run, "map.csv", "step,z,x,exact");
    measure(&gan, &ev);
    snapshot_window(&shots, &cfg.gan, &ev);
    snapshot_plan(&shots, cfg.steps);
    snapshot(&shots, &gan, &ev);

    Progress progress;
    progress_init(&progress, 0, cfg.steps, cfg.quiet);
    Tally tally = {0};
    for (long step = 1; step <= cfg.steps; step++) {
        // listing: train-loop
        gan1d_set_lr_scale(&gan, gan1d_lr_scale(step, cfg.steps,
                                                cfg.decay_from));
        for (int k = 0; k < cfg.d_steps; k++) {
            Gan1dStats d = gan1d_d_step(&gan, &rng);
            tally.loss_d += d.loss;
            tally.d_real += d.d_real;
            tally.d_fake += d.d_fake;
            tally.d_count++;
        }
        Gan1dStats g = gan1d_g_step(&gan, &rng);
        tally.loss_g += g.loss;
        tally.g_grad += g.g_grad;
        tally.g_count++;
        // end-listing: train-loop
        if (!isfinite(tally.loss_d) || !isfinite(tally.loss_g))
            fatal("training diverged at step %ld (loss_d=%g, loss_g=%g)"
                  "; try a smaller --lr-d or --lr-g", step,
                  tally.loss_d, tally.loss_g);
        bool shoot = shots.count < shots.planned &&
                     step == shots.at[shots.count];
        if (step % LOG_EVERY == 0 || step == cfg.steps || shoot)
            measure(&gan, &ev);
        if (step % LOG_EVERY == 0 || step == cfg.steps)
            log_row(&log, step, &tally, &ev);
        if (shoot)
            snapshot(&shots, &gan, &ev);
        progress_update(&progress, step, "g_mean=%.3f g_std=%.3f",
                        ev.mean, ev.std);
    }
    progress_end(&progress);
    close_csv(&log);
    close_csv(&shots.densities);
    close_csv(&shots.map);

    if (!cfg.quiet) {
        printf("target: N(%g, %g^2)\n", cfg.gan.target_mean,
               cfg.gan.target_std);
        printf("%8s %9s %9s\n", "step", "G mean", "G std");
        for (int i = 0; i < shots.count; i++)
            printf("%8ld %9.4f %9.4f\n", shots.at[i], shots.g_mean[i],
                   shots.g_std[i]);
    }
    Error err;
    const char *figures[3] = {"06-gan-1d", "06-gan-1d-losses",
                              "06-gan-1d-map"};
    for (int i = 0; i < 3; i++)
        if (plot_render(figures[i], cfg.out, cfg.quiet, &err) < 0)
            warn("%s", err.msg);

    run_result(&run,
               "g_mean=%.3f g_std=%.3f target_mean=%.3f target_std=%.3f "
               "steps=%ld",
               ev.mean, ev.std, cfg.gan.target_mean, cfg.gan.target_std,
               cfg.steps);
    free(ev.z);
    free(ev.x);
    gan1d_free(&gan);
    return 0;
}
