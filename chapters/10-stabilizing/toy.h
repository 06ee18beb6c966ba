/* toy.h - one experiment on one 2-D target, over several seeds, by
 * chapter 7's protocol: 2,500 samples from latent codes fixed at the
 * start of each run, scored by common/mixture.h at the end.
 *
 * A generator with batch norm is scored three ways, because its
 * samples depend on the statistics it normalises with:
 *   recomputed  the statistics of the whole scored batch of 2,500
 *               (the score the table reports, for every generator);
 *   running     the running averages kept during training;
 *   small       the statistics of each batch of N = 100 codes, as in
 *               training.
 * Without batch norm the three are the same number.
 *
 * Files, in <out>/<experiment>/:
 *   seeds-T.csv      seed, steps and the three scores of every seed
 *   log-T.csv        every LOG_EVERY steps: seed, losses, D's beliefs,
 *                    the modes and high-quality share (recomputed)
 *   gradients-T.csv  the first seed's first steps: the norm of G's
 *                    gradient under the non-saturating and the minimax
 *                    loss, on the same codes
 *   final-T.csv      every seed's final samples (a blank line between)
 *   data-T.csv       2,500 samples of the target itself, for figures
 */
#ifndef CH10_TOY_H
#define CH10_TOY_H

#include <stdbool.h>
#include <stdint.h>

#include "mixture.h"
#include "progress.h"

#include "experiments.h"

#define TOY_EVAL_SAMPLES 2500 /* the protocol scores 2,500 samples */
/* "captured": all modes, and at least this share of high quality */
#define TOY_RING_TARGET_HQ 98.0
#define TOY_GRID_TARGET_HQ 95.0

typedef struct {
    int modes;
    double hq; /* percent of high-quality samples */
} ToyScore;

typedef enum {
    SCORE_RECOMPUTED,
    SCORE_RUNNING,
    SCORE_SMALL,
    SCORES
} ScoreWay;

typedef struct {
    const char *dir;   /* <out>/<experiment>, created by the caller */
    uint64_t seed;     /* first seed; the others follow */
    int seeds;
    long steps;
    Progress *progress; /* counts steps over every run; may be NULL */
    long *done;         /* steps done so far, for the progress line */
} ToyPlan;

/* Trains plan->seeds GANs of experiment e on the target and writes the
 * files above. scores: (seeds, SCORES), seed-major. Exits with a
 * message naming the run when training diverges. */
void stab_toy_run(const Experiment *e, const Mixture *target,
                  const ToyPlan *plan, ToyScore *scores);

/* Trains one GAN (no files) and scores it the three ways: for the
 * tests and the default run.   scores: (SCORES) */
void stab_toy_train(const GameConfig *cfg, const Mixture *target,
                    uint64_t seed, ToyScore *scores);

/* True when a score reaches the table's target for that mixture. */
bool stab_toy_at_target(const Mixture *target, const ToyScore *s);

/* Draws n samples of the mixture ctx: a RealSampler. */
void stab_toy_sample(void *ctx, Rng *rng, float *x, int n);

#endif
