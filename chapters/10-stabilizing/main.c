/* main.c - chapter 10: which tricks help a GAN, measured.
 *
 * Every trick is a named experiment (--list shows them): chapter 7's
 * GAN, or chapter 8's on images, with one change. An experiment runs
 * on the ring and the grid of chapter 7 over several seeds, scored by
 * its protocol, and on Fashion-MNIST at a fixed budget, scored by
 * chapter 9's FCD:
 *   --experiment NAME [--target ring|grid|both|fashion|all]
 *   --experiment all   every experiment on every target it lists
 * Each run leaves its files in <out>/<experiment>/ and rewrites the
 * results table (table.csv, table.md) from every experiment found in
 * <out>, then draws it.
 *
 * Without --experiment it runs the demonstration of demo.h: the
 * vanishing gradient of the minimax loss, then the baseline and the
 * best configuration side by side, in a few minutes.
 *
 * Adds over chapters 7 to 9: batch norm, dropout, spectral norm,
 * packing, the Wasserstein critic with its gradient penalty, and a
 * table that compares them one change at a time.
 * Leaves out on purpose: convolutions (chapter 12) and conditioning
 * (chapter 11).
 * Build and run: make run-10-stabilizing   (build/bin/10-stabilizing
 * --help lists the options)
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dataset.h"
#include "error.h"
#include "files.h"
#include "mixture.h"
#include "plot.h"
#include "progress.h"
#include "run.h"

#include "demo.h"
#include "experiments.h"
#include "fashion.h"
#include "table.h"
#include "toy.h"

#define MAX_SEEDS 100
#define TOY_TARGETS 2
#define RESULT_MAX 1024

typedef struct {
    uint64_t seed;
    const char *out, *data, *classifier;
    const char *experiment; /* NULL: the demonstration */
    const char *target;
    int seeds, samples, threads;
    long steps;             /* 0: each experiment's own budget */
    bool quiet, list;
    bool table;             /* only rebuild the table and figures */
} Config;

/* Which targets a run covers. */
typedef struct {
    bool toy[TOY_TARGETS]; /* ring, grid */
    bool fashion;
} Targets;

static const char *const toy_names[TOY_TARGETS] = {"ring", "grid"};

static Targets parse_targets(const char *name)
{
    Targets t = {{false, false}, false};
    if (strcmp(name, "ring") == 0)
        t.toy[0] = true;
    else if (strcmp(name, "grid") == 0)
        t.toy[1] = true;
    else if (strcmp(name, "both") == 0)
        t.toy[0] = t.toy[1] = true;
    else if (strcmp(name, "fashion") == 0)
        t.fashion = true;
    else if (strcmp(name, "all") == 0)
        t.toy[0] = t.toy[1] = t.fashion = true;
    else
        cli_usage_error("--target: '%s' is not ring, grid, both, fashion "
                        "or all", name);
    return t;
}

static void list_experiments(void)
{
    int w = (int)strlen("experiment");
    for (int i = 0; i < stab_experiment_count; i++) {
        int n = (int)strlen(stab_experiments[i].name);
        w = n > w ? n : w;
    }
    printf("%-*s %-*s %8s %-7s %s\n", w, "experiment", w, "from",
           "steps", "images", "the one change");
    for (int i = 0; i < stab_experiment_count; i++) {
        const Experiment *e = &stab_experiments[i];
        printf("%-*s %-*s %8ld %-7s %s\n", w, e->name, w,
               e->parent ? e->parent : "-", e->toy_steps,
               e->fashion ? "yes" : "no", e->change);
    }
}

static long toy_steps(const Config *cfg, const Experiment *e)
{
    return cfg->steps ? cfg->steps : e->toy_steps;
}

static long fashion_steps(const Config *cfg)
{
    return cfg->steps ? cfg->steps : FASHION_STEPS;
}

/* The command that reproduces one row. */
static void print_command(const Config *cfg, const Experiment *e,
                          const char *target)
{
    printf("  reproduce: build/bin/10-stabilizing --experiment %s "
           "--target %s", e->name, target);
    printf(" --seeds %d", cfg->seeds);
    if (cfg->seed != 1)
        printf(" --seed %llu", (unsigned long long)cfg->seed);
    if (cfg->steps)
        printf(" --steps %ld", cfg->steps);
    printf("\n");
}

typedef struct {
    double mean, sd;
} Spread;

/* Mean and sample standard deviation (0 for one value). */
static Spread spread(const double *v, int n)
{
    double m = 0.0, ss = 0.0;
    for (int k = 0; k < n; k++)
        m += v[k] / n;
    for (int k = 0; k < n; k++)
        ss += (v[k] - m) * (v[k] - m);
    return (Spread){m, n > 1 ? sqrt(ss / (n - 1)) : 0.0};
}

/* The spread of the recomputed scores' modes, or their quality. */
static Spread spread_of(const ToyScore *s, int n, bool hq)
{
    double *v = xmalloc((size_t)n * sizeof(double));
    for (int k = 0; k < n; k++)
        v[k] = hq ? s[k * SCORES].hq : s[k * SCORES].modes;
    Spread r = spread(v, n);
    free(v);
    return r;
}

typedef struct {
    const Config *cfg;
    const Run *run;
    Progress progress;
    long done;
    FashionJudge judge;
    bool judged;
    bool quote;              /* one experiment: its numbers in result */
    char fields[RESULT_MAX]; /* the result line's key=value pairs */
    size_t used;
} Session;

/* Appends key=value pairs to the result line; they must fit. */
static void add_fields(Session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_fields(Session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->fields + s->used, RESULT_MAX - s->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= RESULT_MAX - s->used)
        fatal("the result line is longer than %d characters",
              RESULT_MAX);
    s->used += (size_t)n;
}

/* One target's seeds: a row each, then the mean and spread. */
static void report_toy(Session *s, const Experiment *e,
                       const Mixture *target, const ToyScore *scores,
                       double seconds)
{
    const Config *cfg = s->cfg;
    int at_target = 0;
    for (int k = 0; k < cfg->seeds; k++)
        at_target += stab_toy_at_target(target,
                                        &scores[k * SCORES]);
    Spread modes = spread_of(scores, cfg->seeds, false);
    Spread hq = spread_of(scores, cfg->seeds, true);
    if (s->quote)
        add_fields(s, "%s_modes=%.1f %s_modes_sd=%.1f %s_hq=%.1f "
                   "%s_hq_sd=%.1f %s_at_target=%d ", target->name,
                   modes.mean, target->name, modes.sd, target->name,
                   hq.mean, target->name, hq.sd, target->name, at_target);
    if (cfg->quiet)
        return;
    printf("%s on the %s: %d seeds of %ld steps, %.0f s\n", e->name,
           target->name, cfg->seeds, toy_steps(cfg, e), seconds);
    printf("  %6s %8s %8s   batch norm: running  small\n", "seed",
           "modes", "HQ %");
    for (int k = 0; k < cfg->seeds; k++) {
        const ToyScore *r = &scores[k * SCORES];
        printf("  %6llu %5d/%-2d %8.1f   %14d %5.1f  %2d %5.1f\n",
               (unsigned long long)(cfg->seed + (uint64_t)k),
               r[SCORE_RECOMPUTED].modes, target->modes,
               r[SCORE_RECOMPUTED].hq, r[SCORE_RUNNING].modes,
               r[SCORE_RUNNING].hq, r[SCORE_SMALL].modes,
               r[SCORE_SMALL].hq);
    }
    printf("  %6s %4.1f±%-3.1f %4.1f±%-4.1f   at target: %d/%d\n",
           "mean", modes.mean, modes.sd, hq.mean, hq.sd, at_target,
           cfg->seeds);
    print_command(cfg, e, target->name);
}

static char *experiment_dir(const Config *cfg, const Experiment *e)
{
    char *dir = path_join(cfg->out, e->name);
    Error err;
    if (make_dirs(dir, &err) < 0)
        fatal("%s", err.msg);
    return dir;
}

static void run_experiment(Session *s, const Experiment *e,
                           const Targets *t)
{
    const Config *cfg = s->cfg;
    char *dir = experiment_dir(cfg, e);
    ToyScore *scores = xmalloc((size_t)cfg->seeds * SCORES *
                               sizeof(ToyScore));
    for (int k = 0; k < TOY_TARGETS; k++) {
        if (!t->toy[k])
            continue;
        Mixture target;
        mixture_parse(toy_names[k], &target);
        ToyPlan plan = {dir, cfg->seed, cfg->seeds, toy_steps(cfg, e),
                        &s->progress, &s->done};
        double t0 = clock_seconds();
        stab_toy_run(e, &target, &plan, scores);
        progress_end(&s->progress);
        report_toy(s, e, &target, scores, clock_seconds() - t0);
    }
    if (t->fashion && e->fashion) {
        FashionPlan plan = {dir, cfg->seed, cfg->seeds,
                            fashion_steps(cfg), &s->progress, &s->done};
        double t0 = clock_seconds();
        double *fcd = xmalloc((size_t)cfg->seeds * sizeof(double));
        stab_fashion_run(e, &plan, &s->judge, fcd);
        progress_end(&s->progress);
        Spread f = spread(fcd, cfg->seeds);
        if (s->quote)
            add_fields(s, "fcd=%.3f fcd_sd=%.3f fcd_floor=%.3f ", f.mean,
                       f.sd, s->judge.floor);
        if (!cfg->quiet) {
            printf("%s on Fashion-MNIST: %d seeds of %ld steps, %.0f s\n",
                   e->name, cfg->seeds, plan.steps, clock_seconds() - t0);
            for (int k = 0; k < cfg->seeds; k++)
                printf("  %6llu  FCD %8.3f\n",
                       (unsigned long long)(cfg->seed + (uint64_t)k),
                       fcd[k]);
            printf("  %6s  FCD %.3f ± %.3f (floor %.3f)\n", "mean",
                   f.mean, f.sd, s->judge.floor);
            print_command(cfg, e, "fashion");
        }
        free(fcd);
    }
    free(scores);
    free(dir);
    Error err;
    if (stab_table_write(cfg->out, &err) < 0)
        fatal("%s", err.msg);
}

static void render(const Config *cfg, const char *name)
{
    Error err;
    if (plot_render(name, cfg->out, cfg->quiet, &err) < 0)
        warn("%s", err.msg);
}

/* The table's figures, each when the runs it draws are there. */
static void render_table(const Config *cfg)
{
    render(cfg, "10-stabilizing-table");
    char *best = path_join(cfg->out, stab_best_experiment);
    char *grid = path_join(best, "seeds-grid.csv");
    char *ring = path_join(best, "seeds-ring.csv");
    if (file_exists(grid) && file_exists(ring))
        render(cfg, "10-stabilizing-best");
    free(best);
    free(grid);
    free(ring);
    char *images = path_join(cfg->out, "baseline/fashion.csv");
    if (file_exists(images))
        render(cfg, "10-stabilizing-fashion");
    free(images);
}

static void run_experiments(Session *s, const Experiment *only,
                            Targets t)
{
    const Config *cfg = s->cfg;
    long total = 0;
    bool fashion = false;
    for (int i = 0; i < stab_experiment_count; i++) {
        const Experiment *e = &stab_experiments[i];
        if (only && e != only)
            continue;
        for (int k = 0; k < TOY_TARGETS; k++)
            total += t.toy[k] ? cfg->seeds * toy_steps(cfg, e) : 0;
        if (t.fashion && e->fashion) {
            total += cfg->seeds * fashion_steps(cfg);
            fashion = true;
        }
    }
    if (only && t.fashion && !only->fashion && !t.toy[0] && !t.toy[1])
        cli_usage_error("--target fashion: experiment '%s' is not "
                        "measured on Fashion-MNIST (--list)", only->name);
    if (fashion) {
        Error err;
        if (stab_fashion_judge_init(&s->judge, s->run->data,
                                    cfg->classifier, cfg->samples,
                                    cfg->seed, &err) < 0)
            fatal("%s", err.msg);
        s->judged = true;
    }
    progress_init(&s->progress, 0, total, cfg->quiet);
    for (int i = 0; i < stab_experiment_count; i++) {
        const Experiment *e = &stab_experiments[i];
        if (!only || e == only)
            run_experiment(s, e, &t);
    }
    if (s->judged)
        stab_fashion_judge_free(&s->judge);
    render_table(cfg);
}

static void run_demo(Session *s)
{
    const Config *cfg = s->cfg;
    progress_init(&s->progress, 0, stab_demo_total(cfg->steps),
                  cfg->quiet);
    DemoResult r;
    stab_demo_run(cfg->out, cfg->seed, cfg->steps, &s->progress, &s->done,
                  &r);
    progress_end(&s->progress);
    const char *who[DEMO_EXPERIMENTS] = {"baseline", "best"};
    const char *what[DEMO_EXPERIMENTS] = {"chapter 7's GAN",
                                          stab_best_experiment};
    if (!cfg->quiet) {
        printf("probe, D alone against the untrained G: D(G(z)) %.3f -> "
               "%.3g; |grad G| non-saturating %.3g -> %.3g, minimax "
               "%.3g -> %.3g\n", r.d_fake[0], r.d_fake[1],
               r.grad_nonsaturating[0], r.grad_nonsaturating[1],
               r.grad_minimax[0], r.grad_minimax[1]);
        printf("%-9s %12s %13s\n", "seed 1", "ring", "grid");
        for (int e = 0; e < DEMO_EXPERIMENTS; e++) {
            printf("%-9s", who[e]);
            for (int t = 0; t < DEMO_TARGETS; t++)
                printf("  %2d/%-2d %5.1f%%", r.scores[e][t].modes,
                       t ? 25 : 8, r.scores[e][t].hq);
            printf("   %s, %ld steps\n", what[e], r.steps[e]);
        }
    }
    render(cfg, "10-stabilizing");
    render(cfg, "10-stabilizing-probe");
    for (int e = 0; e < DEMO_EXPERIMENTS; e++) {
        for (int t = 0; t < DEMO_TARGETS; t++)
            add_fields(s, "%s_%s_modes=%d %s_%s_hq=%.1f ", who[e],
                       toy_names[t], r.scores[e][t].modes, who[e],
                       toy_names[t], r.scores[e][t].hq);
        add_fields(s, "%s_steps=%ld ", who[e], r.steps[e]);
    }
    add_fields(s, "probe_d_fake=%.3g probe_grad_ns=%.3g "
               "probe_grad_mm=%.3g", r.d_fake[1],
               r.grad_nonsaturating[1], r.grad_minimax[1]);
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/10-stabilizing",
                  .classifier = CLASSIFIER_CKPT, .seeds = 5,
                  .samples = FASHION_SAMPLES,
                  /* small matrices and the same numbers on every
                   * machine: one thread (see chapter 7) */
                  .threads = 1};
    CliOption options[] = {
        {"--experiment", OPT_STRING, &cfg.experiment, "NAME",
         "run one experiment (--list), or all of them", 0, 0},
        {"--list", OPT_FLAG, &cfg.list, NULL,
         "list the experiments and exit", 0, 0},
        {"--table", OPT_FLAG, &cfg.table, NULL,
         "rebuild the table and its figures from the runs in --out, "
         "without training", 0, 0},
        {"--target", OPT_STRING, &cfg.target, "T",
         "ring, grid, both, fashion or all (default: all the "
         "experiment lists)", 0, 0},
        {"--seeds", OPT_INT, &cfg.seeds, "N",
         "seeds per 2-D target: seed, seed+1, ...", 1, MAX_SEEDS},
        CLI_SEED(&cfg.seed),
        CLI_STEPS(&cfg.steps),
        {"--samples", OPT_INT, &cfg.samples, "N",
         "images the FCD compares", 2, 60000},
        CLI_DATA(&cfg.data),
        {"--classifier", OPT_STRING, &cfg.classifier, "FILE",
         "chapter 4's classifier, the FCD's judge", 0, 0},
        CLI_OUT(&cfg.out),
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "10-stabilizing",
              "Which tricks help a GAN: named experiments on the 2-D "
              "targets and Fashion-MNIST, and their table.",
              options, sizeof options / sizeof options[0]);
    if (cfg.list) {
        list_experiments();
        return 0;
    }
    if (cfg.table && (cfg.experiment || cfg.target))
        cli_usage_error("--table trains nothing: it takes no "
                        "--experiment or --target");
    const Experiment *only = NULL;
    bool all = cfg.experiment && strcmp(cfg.experiment, "all") == 0;
    if (cfg.experiment && !all) {
        only = stab_experiment_find(cfg.experiment);
        if (!only)
            cli_usage_error("--experiment: no experiment '%s' (--list "
                            "shows them)", cfg.experiment);
    }
    if (!cfg.experiment && cfg.target)
        cli_usage_error("--target needs --experiment");
    Targets targets = parse_targets(cfg.target ? cfg.target : "all");

    bool fashion = cfg.experiment && targets.fashion &&
                   (all || only->fashion);
    Run run = {.name = "10-stabilizing", .seed = cfg.seed, .out = cfg.out,
               .data = fashion ? dataset_dir(cfg.data) : NULL,
               .threads = cfg.threads, .quiet = cfg.quiet};
    run_start(&run);
    Session s = {.cfg = &cfg, .run = &run, .quote = only != NULL};
    if (cfg.table) {
        Error err;
        int rows = stab_table_write(cfg.out, &err);
        if (rows < 0)
            fatal("%s", err.msg);
        if (rows == 0)
            fatal("%s holds no experiment's runs (run one with "
                  "--experiment NAME)", cfg.out);
        render_table(&cfg);
        add_fields(&s, "experiments=%d", rows);
    } else if (cfg.experiment) {
        if (all)
            add_fields(&s, "experiments=%d ", stab_experiment_count);
        else
            add_fields(&s, "experiment=%s ", only->name);
        run_experiments(&s, only, targets);
        add_fields(&s, "seeds=%d", cfg.seeds);
        if (only)
            add_fields(&s, " steps=%ld",
                       targets.toy[0] || targets.toy[1]
                           ? toy_steps(&cfg, only) : fashion_steps(&cfg));
    } else {
        run_demo(&s);
    }
    run_result(&run, "%s", s.fields);
    return 0;
}
