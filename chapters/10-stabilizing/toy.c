/* toy.c - an experiment on the ring or the grid, seed after seed.
 *
 * Adds over chapter 7: any configuration of the game, the three ways
 * of scoring a generator with batch norm, and a probe of how hard each
 * generator loss pushes G.
 * Leaves out on purpose: the snapshots during training (chapter 7
 * draws them); the table compares final scores.
 * Build and run: build/bin/10-stabilizing --experiment NAME --target
 * grid; test: make check SUITE=10-stabilizing
 */
#include "toy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvlog.h"
#include "error.h"
#include "files.h"

#define LOG_EVERY 500    /* steps between two rows of log-T.csv */
#define GRAD_STEPS 2000  /* the gradient probe covers the first steps */
#define GRAD_EVERY 10    /* ... every so many */

void stab_toy_sample(void *ctx, Rng *rng, float *x, int n)
{
    mixture_sample(ctx, rng, x, n);
}

bool stab_toy_at_target(const Mixture *target, const ToyScore *s)
{
    double hq = target->modes == 8 ? TOY_RING_TARGET_HQ
                                   : TOY_GRID_TARGET_HQ;
    return s->modes == target->modes && s->hq >= hq;
}

/* The sums of a log interval's step statistics. */
typedef struct {
    double loss_d, loss_g, d_real, d_fake;
    int steps;
} StatSum;

static void stat_add(StatSum *s, const GameStats *st)
{
    s->loss_d += st->loss_d;
    s->loss_g += st->loss_g;
    s->d_real += st->d_real;
    s->d_fake += st->d_fake;
    s->steps++;
}

// listing: score
/* Scores G on the fixed codes z, with batch norm's statistics taken
 * the given way; x is left holding the samples.
 *   z: (EVAL, Z)   x: (EVAL, 2) */
static void score(Game *gm, const Mixture *target, const float *z,
                  float *x, ScoreWay way, ToyScore *out)
{
    const int n = TOY_EVAL_SAMPLES;
    if (way == SCORE_RECOMPUTED)      /* one batch of all 2,500 */
        stab_game_generate(gm, z, x, n, n, NET_BATCH);
    else if (way == SCORE_RUNNING)    /* every sample on its own */
        stab_game_generate(gm, z, x, n, n, NET_EVAL);
    else                              /* batches of N, as in training */
        stab_game_generate(gm, z, x, n, gm->cfg.batch, NET_BATCH);
    MixtureScore s;
    mixture_score(target, x, n, &s);
    *out = (ToyScore){s.modes, s.high_quality};
}
// end-listing: score

/* A loss that is not a number ends the run: it scores 0 modes and 0%
 * (a failure the table must count, not a reason to stop the sweep). */
static bool diverged(const GameStats *st, const Mixture *target,
                     uint64_t seed, long step)
{
    if (isfinite(st->loss_d) && isfinite(st->loss_g))
        return false;
    warn("training diverged on the %s, seed %llu, step %ld: loss_d=%g "
         "loss_g=%g; the seed scores 0 modes", target->name,
         (unsigned long long)seed, step, (double)st->loss_d,
         (double)st->loss_g);
    return true;
}

/* Where one run writes: NULL files are skipped. */
typedef struct {
    CsvLog *log, *gradients, *finals;
    Progress *progress;
    long *done;
} RunFiles;

static void log_row(CsvLog *log, long step, uint64_t seed,
                    const StatSum *sum, const ToyScore *s)
{
    double n = sum->steps > 0 ? sum->steps : 1;
    csv_row(log, (double[]){(double)step, (double)seed, sum->loss_d / n,
                            sum->loss_g / n, sum->d_real / n,
                            sum->d_fake / n, s->modes, s->hq});
}

static void gradient_row(CsvLog *f, Game *gm, long step,
                         const float *z_probe)
{
    double d_fake;
    double ns = stab_game_g_grad_norm(gm, z_probe, LOSS_NONSATURATING,
                                      &d_fake);
    double mm = stab_game_g_grad_norm(gm, z_probe, LOSS_MINIMAX, NULL);
    csv_row(f, (double[]){(double)step, d_fake, ns, mm});
}

static void train_seed(const GameConfig *cfg, const Mixture *target,
                       uint64_t seed, const RunFiles *files,
                       ToyScore *scores)
{
    Rng rng;
    rng_seed(&rng, seed);
    Game gm;
    stab_game_init(&gm, cfg, TOY_EVAL_SAMPLES, &rng);
    const int n = TOY_EVAL_SAMPLES;
    float *z = xmalloc((size_t)n * cfg->latent * sizeof(float));
    float *x = xmalloc((size_t)n * cfg->dim * sizeof(float));
    float *z_probe = xmalloc((size_t)gm.samples * cfg->latent *
                             sizeof(float));
    rng_fill_normal(&rng, z, (long)n * cfg->latent, 0.0f, 1.0f);
    rng_fill_normal(&rng, z_probe, (long)gm.samples * cfg->latent, 0.0f,
                    1.0f);

    ToyScore s = {0};
    StatSum sum = {0};
    GameStats st = {0};
    if (files->log) {
        score(&gm, target, z, x, SCORE_RECOMPUTED, &s);
        log_row(files->log, 0, seed, &sum, &s);
    }
    if (files->gradients)
        gradient_row(files->gradients, &gm, 0, z_probe);
    bool failed = false;
    for (long step = 1; step <= cfg->steps && !failed; step++) {
        stab_game_step(&gm, stab_toy_sample, (void *)target, &rng, &st);
        if (diverged(&st, target, seed, step)) {
            failed = true;
            if (files->progress)
                *files->done += cfg->steps - step;
        }
        stat_add(&sum, &st);
        if (files->gradients && step <= GRAD_STEPS &&
            step % GRAD_EVERY == 0)
            gradient_row(files->gradients, &gm, step, z_probe);
        if (files->log && (step % LOG_EVERY == 0 || step == cfg->steps)) {
            score(&gm, target, z, x, SCORE_RECOMPUTED, &s);
            log_row(files->log, step, seed, &sum, &s);
            sum = (StatSum){0};
        }
        if (files->progress)
            progress_update(files->progress, ++*files->done,
                            "%s seed %llu  modes=%d/%d hq=%.1f%%",
                            target->name, (unsigned long long)seed,
                            s.modes, target->modes, s.hq);
    }
    for (int w = SCORES - 1; w >= 0; w--) {
        score(&gm, target, z, x, (ScoreWay)w, &scores[w]);
        if (failed)
            scores[w] = (ToyScore){0, 0.0};
    }
    /* the recomputed way last, so x holds its samples */
    if (files->finals)
        for (int i = 0; i < n; i++)
            csv_row(files->finals, (double[]){(double)seed, x[2 * i],
                                              x[2 * i + 1]});
    free(z);
    free(x);
    free(z_probe);
    stab_game_free(&gm);
}

void stab_toy_train(const GameConfig *cfg, const Mixture *target,
                    uint64_t seed, ToyScore *scores)
{
    RunFiles none = {0};
    train_seed(cfg, target, seed, &none, scores);
}

/* Opens <dir>/<prefix>-<target>.csv. */
static void open_csv(CsvLog *f, const char *dir, const char *prefix,
                     const Mixture *target, const char *header)
{
    char name[MIXTURE_NAME_MAX + 32];
    snprintf(name, sizeof name, "%s-%.*s.csv", prefix,
             MIXTURE_NAME_MAX - 1, target->name);
    csv_open_in(f, dir, name, header);
}

/* The target's own samples, for the figures. */
static void write_data(const char *dir, const Mixture *target,
                       uint64_t seed)
{
    CsvLog f;
    open_csv(&f, dir, "data", target, "x1,x2");
    Rng rng;
    rng_seed(&rng, seed);
    float *x = xmalloc(TOY_EVAL_SAMPLES * 2 * sizeof(float));
    mixture_sample(target, &rng, x, TOY_EVAL_SAMPLES);
    for (int i = 0; i < TOY_EVAL_SAMPLES; i++)
        csv_row(&f, (double[]){x[2 * i], x[2 * i + 1]});
    free(x);
    csv_close_or_exit(&f);
}

void stab_toy_run(const Experiment *e, const Mixture *target,
                  const ToyPlan *plan, ToyScore *scores)
{
    GameConfig cfg;
    stab_experiment_config(e, FAMILY_TOY, &cfg);
    cfg.steps = plan->steps;
    write_data(plan->dir, target, plan->seed);
    CsvLog seeds, log, gradients, finals;
    open_csv(&seeds, plan->dir, "seeds", target,
             "seed,steps,modes,high_quality,modes_running,hq_running,"
             "modes_small,hq_small");
    open_csv(&log, plan->dir, "log", target,
             "step,seed,loss_d,loss_g,d_real,d_fake,modes,high_quality");
    open_csv(&gradients, plan->dir, "gradients", target,
             "step,d_fake,grad_nonsaturating,grad_minimax");
    open_csv(&finals, plan->dir, "final", target, "seed,x1,x2");
    for (int k = 0; k < plan->seeds; k++) {
        uint64_t seed = plan->seed + (uint64_t)k;
        RunFiles files = {&log, k == 0 ? &gradients : NULL, &finals,
                          plan->progress, plan->done};
        ToyScore *s = &scores[(size_t)k * SCORES];
        train_seed(&cfg, target, seed, &files, s);
        csv_break(&log);
        csv_break(&finals);
        csv_row(&seeds, (double[]){(double)seed, (double)plan->steps,
                                   s[SCORE_RECOMPUTED].modes,
                                   s[SCORE_RECOMPUTED].hq,
                                   s[SCORE_RUNNING].modes,
                                   s[SCORE_RUNNING].hq,
                                   s[SCORE_SMALL].modes,
                                   s[SCORE_SMALL].hq});
    }
    csv_close_or_exit(&seeds);
    csv_close_or_exit(&log);
    csv_close_or_exit(&gradients);
    csv_close_or_exit(&finals);
}
