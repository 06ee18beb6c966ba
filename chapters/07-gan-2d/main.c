/* main.c - chapter 7: a vanilla GAN on a ring of 8 and a grid of 25
 * Gaussians, and the modes it captures, seed after seed.
 *
 * For each target (--target ring, grid or both) and each of --seeds
 * seeds (seed, seed + 1, ...), a fresh GAN trains for --steps steps.
 * Every LOG_EVERY steps it scores EVAL_SAMPLES samples of G, always
 * from the same latent codes, by the metrics of common/mixture.h. The
 * run writes
 *   log.csv          step, target_modes (8 ring, 25 grid), seed, the
 *                    losses and D's beliefs, modes, high_quality
 *   seeds.csv        the final score of every (target, seed)
 *   data-T.csv       target T's samples, for the figures
 *   samples-T.csv    the first seed's samples at a few moments
 *   final-T.csv      every seed's samples at the end
 *   07-gan-2d.png, 07-gan-2d-seeds.png, 07-gan-2d-metrics.png
 * (a blank line separates runs, or snapshots, in every CSV) and ends
 * with the mean and standard deviation over seeds.
 *
 * Adds over chapter 6: targets with many modes, a metric that counts
 * them during training, and many seeds summarised by mean and spread.
 * Leaves out on purpose: any remedy for mode collapse (chapter 10).
 * Build and run: make run-07-gan-2d   (or build/bin/07-gan-2d --help)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvlog.h"
#include "error.h"
#include "mixture.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "run.h"

#include "gan2d.h"

#define EVAL_SAMPLES 2500 /* the protocol scores 2,500 samples */
#define LOG_EVERY 100
#define MAX_TARGETS 2
#define MAX_SEEDS 1000
/* The figure shows the first seed's samples at these fractions of the
 * run; the first moment is the untrained generator. */
static const double snapshot_at[] = {0.0, 0.05, 0.25, 0.5, 1.0};
#define SNAPSHOTS (int)(sizeof snapshot_at / sizeof snapshot_at[0])

typedef struct {
    uint64_t seed;
    const char *out;
    const char *target; /* "ring", "grid" or "both" */
    int seeds;
    long steps;
    int threads;
    bool quiet;
    Gan2dConfig gan;
} Config;

/* What the runs of one target write besides log.csv: the first seed's
 * samples at the snapshot steps, and every seed's final samples. */
typedef struct {
    CsvLog samples; /* step, x1, x2 */
    CsvLog finals;  /* seed, x1, x2 */
} TargetFiles;

/* Everything one training run writes to, shared by all runs. */
typedef struct {
    const Config *cfg;
    CsvLog log, seeds;
    Progress progress;
    long steps_done; /* over all runs, for the progress line */
} Session;

/* The sums of a log interval's step statistics. */
typedef struct {
    double loss_d, loss_g, d_real, d_fake;
    int steps;
} StatSum;

static void stat_add(StatSum *s, const Gan2dStats *st)
{
    s->loss_d += st->loss_d;
    s->loss_g += st->loss_g;
    s->d_real += st->d_real;
    s->d_fake += st->d_fake;
    s->steps++;
}

// listing: evaluate
/* Scores G on the run's fixed latent codes.   z: (EVAL_SAMPLES, Z)
 * x: (EVAL_SAMPLES, 2), left holding the samples */
static void evaluate(Gan2d *gan, const Mixture *target, const float *z,
                     float *x, MixtureScore *score)
{
    gan2d_generate(gan, z, x, EVAL_SAMPLES);
    mixture_score(target, x, EVAL_SAMPLES, score);
}
// end-listing: evaluate

static void log_row(Session *s, long step, const Mixture *target,
                    uint64_t seed, const StatSum *sum,
                    const MixtureScore *score)
{
    double n = sum->steps;
    double row[] = {(double)step, target->modes, (double)seed,
                    sum->loss_d / n, sum->loss_g / n, sum->d_real / n,
                    sum->d_fake / n, score->modes, score->high_quality};
    csv_row(&s->log, row);
}

/* n points, each row led by `key` (a step or a seed); a blank line
 * ends the block, so gnuplot can pick it with `every :::k::k`. */
static void write_points(CsvLog *f, double key, const float *x, int n)
{
    for (int i = 0; i < n; i++)
        csv_row(f, (double[]){key, x[2 * i], x[2 * i + 1]});
    csv_break(f);
}

static long snapshot_step(const Config *cfg, int k)
{
    return lround(snapshot_at[k] * (double)cfg->steps);
}

/* True when `step` is a moment the figure shows; moves *next past it
 * and past any moment that rounds to the same step. Steps must come
 * in increasing order. */
static bool snapshot_due(const Config *cfg, int *next, long step)
{
    bool due = false;
    while (*next < SNAPSHOTS && snapshot_step(cfg, *next) <= step) {
        due = true;
        (*next)++;
    }
    return due;
}

static void check_finite(const Gan2dStats *st, const Mixture *target,
                         uint64_t seed, long step)
{
    if (!isfinite(st->loss_d) || !isfinite(st->loss_g))
        fatal("training diverged on the %s, seed %llu, step %ld: "
              "loss_d=%g loss_g=%g (try a smaller --lr)", target->name,
              (unsigned long long)seed, step, (double)st->loss_d,
              (double)st->loss_g);
}

/* Trains one GAN from seed and returns its final score; the first
 * seed of a target also writes its samples at the snapshot steps. */
static void train_one(Session *s, const Mixture *target, uint64_t seed,
                      TargetFiles *files, bool first_seed,
                      MixtureScore *final)
{
    const Config *cfg = s->cfg;
    Rng rng;
    rng_seed(&rng, seed);
    Gan2d gan;
    gan2d_init(&gan, &cfg->gan, &rng);
    float *z = xmalloc(EVAL_SAMPLES * GAN2D_LATENT * sizeof(float));
    float *x = xmalloc(EVAL_SAMPLES * GAN2D_DIM * sizeof(float));
    rng_fill_normal(&rng, z, EVAL_SAMPLES * GAN2D_LATENT, 0.0f, 1.0f);

    Gan2dStats st;
    StatSum sum = {0};
    gan2d_measure(&gan, target, &rng, &st);
    stat_add(&sum, &st);
    MixtureScore score;
    evaluate(&gan, target, z, x, &score);
    log_row(s, 0, target, seed, &sum, &score);
    CsvLog *samples = first_seed ? &files->samples : NULL;
    int next_snapshot = 0;
    if (samples && snapshot_due(cfg, &next_snapshot, 0))
        write_points(samples, 0, x, EVAL_SAMPLES);

    sum = (StatSum){0};
    // listing: train-loop
    for (long step = 1; step <= cfg->steps; step++) {
        gan2d_step(&gan, target, &rng, &st);
        check_finite(&st, target, seed, step);
        stat_add(&sum, &st);
        bool snap = samples && snapshot_due(cfg, &next_snapshot, step);
        if (step % LOG_EVERY == 0 || step == cfg->steps || snap) {
            evaluate(&gan, target, z, x, &score);
            log_row(s, step, target, seed, &sum, &score);
            sum = (StatSum){0};
        }
        if (snap)
            write_points(samples, (double)step, x, EVAL_SAMPLES);
        progress_update(&s->progress, ++s->steps_done,
                        "%s seed %llu  modes=%d/%d hq=%.1f%%",
                        target->name, (unsigned long long)seed,
                        score.modes, target->modes, score.high_quality);
    }
    // end-listing: train-loop
    csv_break(&s->log);
    write_points(&files->finals, (double)seed, x, EVAL_SAMPLES);
    *final = score;
    free(z);
    free(x);
    gan2d_free(&gan);
}

/* "<out>/<prefix>-<target>.csv", opened with the given header. */
static void open_target_file(const Run *run, CsvLog *f, const char *prefix,
                             const Mixture *target, const char *header)
{
    char name[MIXTURE_NAME_MAX + 32];
    snprintf(name, sizeof name, "%s-%.*s.csv", prefix,
             MIXTURE_NAME_MAX - 1, target->name);
    char *path = run_path(run, name);
    Error err;
    if (csv_open(f, path, header, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

static void close_file(CsvLog *f)
{
    Error err;
    if (csv_close(f, &err) < 0)
        fatal("%s", err.msg);
}

/* The target's own samples, drawn from the first seed, for the
 * figures. */
static void write_data(const Run *run, const Mixture *target,
                       uint64_t seed)
{
    CsvLog f;
    open_target_file(run, &f, "data", target, "x1,x2");
    Rng rng;
    rng_seed(&rng, seed);
    float *x = xmalloc(EVAL_SAMPLES * GAN2D_DIM * sizeof(float));
    mixture_sample(target, &rng, x, EVAL_SAMPLES);
    for (int i = 0; i < EVAL_SAMPLES; i++)
        csv_row(&f, (double[]){x[2 * i], x[2 * i + 1]});
    free(x);
    close_file(&f);
}

typedef struct {
    double mean, sd; /* sd: sample standard deviation, 0 for one value */
} Spread;

static Spread spread(const double *v, int n)
{
    double mean = 0.0, ss = 0.0;
    for (int i = 0; i < n; i++)
        mean += v[i] / n;
    for (int i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    return (Spread){mean, n > 1 ? sqrt(ss / (n - 1)) : 0.0};
}

typedef struct {
    Mixture target;
    double *modes, *hq; /* (seeds): each seed's final score */
    Spread modes_spread, hq_spread;
} Summary;

/* Trains every seed on one target and summarises them. */
static void run_target(Session *s, const Run *run, Summary *out)
{
    const Config *cfg = s->cfg;
    const Mixture *target = &out->target;
    write_data(run, target, cfg->seed);
    TargetFiles files;
    open_target_file(run, &files.samples, "samples", target, "step,x1,x2");
    open_target_file(run, &files.finals, "final", target, "seed,x1,x2");
    out->modes = xmalloc((size_t)cfg->seeds * sizeof(double));
    out->hq = xmalloc((size_t)cfg->seeds * sizeof(double));
    for (int k = 0; k < cfg->seeds; k++) {
        uint64_t seed = cfg->seed + (uint64_t)k;
        MixtureScore score;
        train_one(s, target, seed, &files, k == 0, &score);
        out->modes[k] = score.modes;
        out->hq[k] = score.high_quality;
        csv_row(&s->seeds, (double[]){target->modes, (double)seed,
                                      score.modes, score.high_quality});
    }
    close_file(&files.samples);
    close_file(&files.finals);
    out->modes_spread = spread(out->modes, cfg->seeds);
    out->hq_spread = spread(out->hq, cfg->seeds);
}

/* One row per seed, then the mean and standard deviation. */
static void print_summary(const Summary *sums, int n, const Config *cfg)
{
    /* "±" is two bytes in UTF-8 but one column on the screen */
    const int modes_width = 12, hq_width = 16, pm_extra = 1;
    printf("%-6s %6s %*s %*s\n", "target", "seed", modes_width, "modes",
           hq_width, "high quality %");
    for (int t = 0; t < n; t++) {
        const Summary *m = &sums[t];
        char cell[64];
        for (int k = 0; k < cfg->seeds; k++) {
            snprintf(cell, sizeof cell, "%.0f/%d", m->modes[k],
                     m->target.modes);
            printf("%-6s %6llu %*s %*.1f\n", m->target.name,
                   (unsigned long long)(cfg->seed + (uint64_t)k),
                   modes_width, cell, hq_width, m->hq[k]);
        }
        snprintf(cell, sizeof cell, "%.1f ± %.1f", m->modes_spread.mean,
                 m->modes_spread.sd);
        printf("%-6s %6s %*s", m->target.name, "mean",
               modes_width + pm_extra, cell);
        snprintf(cell, sizeof cell, "%.1f ± %.1f", m->hq_spread.mean,
                 m->hq_spread.sd);
        printf(" %*s\n", hq_width + pm_extra, cell);
    }
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/07-gan-2d", .target = "both",
                  .seeds = 5, .steps = 15000,
                  /* the matrices are at most (100, 128), too small
                   * for threads to help; and one thread on every
                   * machine makes every reader's run the same */
                  .threads = 1,
                  .gan = GAN2D_DEFAULTS};
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        {"--seeds", OPT_INT, &cfg.seeds, "N",
         "train N GANs, from seeds seed, seed+1, ...", 1, MAX_SEEDS},
        {"--target", OPT_STRING, &cfg.target, "T",
         "ring (8 modes), grid (25 modes) or both", 0, 0},
        CLI_OUT(&cfg.out),
        CLI_STEPS(&cfg.steps),
        {"--batch", OPT_INT, &cfg.gan.batch, "N",
         "real and generated points per step", 1, 100000},
        {"--hidden", OPT_INT, &cfg.gan.hidden, "H",
         "units in each hidden layer of G and D", 1, 4096},
        {"--layers", OPT_INT, &cfg.gan.layers, "L",
         "hidden layers in each of G and D", 1, MLP_MAX_LAYERS - 1},
        {"--lr", OPT_FLOAT, &cfg.gan.lr, "X", "Adam's learning rate", 1e-7,
         1},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "07-gan-2d",
              "A vanilla GAN on a ring of 8 and a grid of 25 Gaussians: "
              "mode collapse, seen and counted.",
              options, sizeof options / sizeof options[0]);
    const char *names[MAX_TARGETS] = {"ring", "grid"};
    int ntargets = MAX_TARGETS, first = 0;
    if (strcmp(cfg.target, "both") != 0) {
        Mixture check;
        if (mixture_parse(cfg.target, &check) < 0)
            cli_usage_error("--target: '%s' is not ring, grid or both",
                            cfg.target);
        first = strcmp(cfg.target, "grid") == 0;
        ntargets = 1;
    }

    Run run = {.name = "07-gan-2d", .seed = cfg.seed, .out = cfg.out,
               .threads = cfg.threads, .quiet = cfg.quiet};
    run_start(&run);
    Session s = {.cfg = &cfg};
    Error err;
    char *path = run_path(&run, "log.csv");
    if (csv_open(&s.log, path,
                 "step,target_modes,seed,loss_d,loss_g,d_real,d_fake,"
                 "modes,high_quality", &err) < 0)
        fatal("%s", err.msg);
    free(path);
    path = run_path(&run, "seeds.csv");
    if (csv_open(&s.seeds, path, "target_modes,seed,modes,high_quality",
                 &err) < 0)
        fatal("%s", err.msg);
    free(path);

    progress_init(&s.progress, 0, (long)ntargets * cfg.seeds * cfg.steps,
                  cfg.quiet);
    Summary sums[MAX_TARGETS];
    for (int t = 0; t < ntargets; t++) {
        mixture_parse(names[first + t], &sums[t].target);
        run_target(&s, &run, &sums[t]);
    }
    progress_end(&s.progress);
    close_file(&s.log);
    close_file(&s.seeds);
    if (!cfg.quiet)
        print_summary(sums, ntargets, &cfg);
    const char *figures[] = {"07-gan-2d", "07-gan-2d-seeds",
                             "07-gan-2d-metrics"};
    for (int f = 0; f < (int)(sizeof figures / sizeof *figures); f++)
        if (plot_render(figures[f], cfg.out, cfg.quiet, &err) < 0)
            warn("%s", err.msg);

    char fields[512] = "";
    size_t used = 0;
    for (int t = 0; t < ntargets; t++) {
        const Summary *m = &sums[t];
        used += (size_t)snprintf(fields + used, sizeof fields - used,
                                 "%s_modes=%.1f %s_modes_sd=%.1f "
                                 "%s_hq=%.1f %s_hq_sd=%.1f ",
                                 m->target.name, m->modes_spread.mean,
                                 m->target.name, m->modes_spread.sd,
                                 m->target.name, m->hq_spread.mean,
                                 m->target.name, m->hq_spread.sd);
    }
    run_result(&run, "%sseeds=%d steps=%ld", fields, cfg.seeds,
               cfg.steps);
    for (int t = 0; t < ntargets; t++) {
        free(sums[t].modes);
        free(sums[t].hq);
    }
    return 0;
}
