/* demo.c - the default run of chapter 10.
 *
 * Adds: the frozen-generator probe of the two generator losses, and a
 * side-by-side of the baseline and the best configuration.
 * Leaves out on purpose: seeds beyond the first and Fashion-MNIST;
 * the table (--experiment all) has them.
 * Build and run: make run-10-stabilizing
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>

#include "csvlog.h"
#include "error.h"
#include "files.h"
#include "mixture.h"

#include "experiments.h"
#include "game.h"

#define PROBE_EVERY 10
#define PROBE_TARGET "grid"

const char *const stab_best_experiment = "leaky-decay-75k-pack-deep";

static const Experiment *demo_experiment(int e)
{
    return stab_experiment_find(e == 0 ? "baseline"
                                       : stab_best_experiment);
}

static long demo_steps(int e, long steps)
{
    return steps ? steps : demo_experiment(e)->toy_steps;
}

long stab_demo_total(long steps)
{
    long total = DEMO_PROBE_STEPS;
    for (int e = 0; e < DEMO_EXPERIMENTS; e++)
        total += DEMO_TARGETS * demo_steps(e, steps);
    return total;
}

static char *make_dir(const char *parent, const char *name)
{
    char *dir = path_join(parent, name);
    Error err;
    if (make_dirs(dir, &err) < 0)
        fatal("%s", err.msg);
    return dir;
}

// listing: probe
/* D alone against chapter 7's untrained, frozen G; every PROBE_EVERY
 * steps, G's gradient norm under both losses on the same codes. */
static void probe(const char *dir, uint64_t seed, Progress *progress,
                  long *done, DemoResult *r)
{
    GameConfig cfg;
    stab_experiment_config(stab_experiment_find("baseline"), FAMILY_TOY,
                           &cfg);
    cfg.steps = DEMO_PROBE_STEPS;
    Mixture target;
    mixture_parse(PROBE_TARGET, &target);
    Rng rng;
    rng_seed(&rng, seed);
    Game gm;
    stab_game_init(&gm, &cfg, cfg.batch, &rng);
    float *z = xmalloc((size_t)gm.samples * cfg.latent * sizeof(float));
    rng_fill_normal(&rng, z, (long)gm.samples * cfg.latent, 0.0f, 1.0f);
    CsvLog log;
    csv_open_in(&log, dir, "probe.csv",
                "step,d_fake,grad_nonsaturating,grad_minimax");
    GameStats st = {0};
    for (long step = 0; step <= DEMO_PROBE_STEPS; step++) {
        if (step > 0)
            stab_game_d_update(&gm, stab_toy_sample, &target, &rng,
                               &st);
        if (step % PROBE_EVERY != 0)
            continue;
        double d_fake;
        double ns = stab_game_g_grad_norm(&gm, z, LOSS_NONSATURATING,
                                          &d_fake);
        double mm = stab_game_g_grad_norm(&gm, z, LOSS_MINIMAX, NULL);
        csv_row(&log, (double[]){(double)step, d_fake, ns, mm});
        int k = step == 0 ? 0 : 1;
        r->d_fake[k] = d_fake;
        r->grad_nonsaturating[k] = ns;
        r->grad_minimax[k] = mm;
        if (progress) {
            *done += step > 0 ? PROBE_EVERY : 0;
            progress_update(progress, *done, "probe: D(G(z))=%.3f",
                            d_fake);
        }
    }
    csv_close_or_exit(&log);
    free(z);
    stab_game_free(&gm);
}
// end-listing: probe

void stab_demo_run(const char *out, uint64_t seed, long steps,
                   Progress *progress, long *done, DemoResult *r)
{
    char *dir = make_dir(out, "demo");
    probe(dir, seed, progress, done, r);
    const char *targets[DEMO_TARGETS] = {"ring", "grid"};
    for (int e = 0; e < DEMO_EXPERIMENTS; e++) {
        const Experiment *x = demo_experiment(e);
        r->steps[e] = demo_steps(e, steps);
        char *sub = make_dir(dir, x->name);
        for (int t = 0; t < DEMO_TARGETS; t++) {
            Mixture target;
            mixture_parse(targets[t], &target);
            ToyPlan plan = {sub, seed, 1, r->steps[e], progress, done};
            ToyScore s[SCORES];
            stab_toy_run(x, &target, &plan, s);
            r->scores[e][t] = s[SCORE_RECOMPUTED];
        }
        free(sub);
    }
    free(dir);
}
