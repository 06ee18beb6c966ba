/* demo.h - the default run: the chapter's two main points, in a few
 * minutes.
 *
 * 1. Why the minimax loss stalls. Chapter 7's generator is frozen as
 *    it starts, and D alone is trained against it. Every PROBE_EVERY
 *    of D's steps, G's gradient is measured on the same codes under
 *    both generator losses (probe.csv: step, D(G(z)), both norms): as D
 *    grows sure that the samples are fake, the minimax loss's gradient
 *    vanishes and the non-saturating one's does not.
 * 2. What the tricks buy. The baseline and the best configuration of
 *    the table, on the ring and the grid, one seed each, each at its
 *    own budget from the table (toy.h's files, in
 *    <out>/demo/<experiment>/): the table's first seed, again.
 */
#ifndef CH10_DEMO_H
#define CH10_DEMO_H

#include <stdint.h>

#include "progress.h"

#include "toy.h"

#define DEMO_PROBE_STEPS 1000 /* D's steps against the frozen G */
#define DEMO_EXPERIMENTS 2    /* the baseline and the best */
#define DEMO_TARGETS 2        /* the ring and the grid */

typedef struct {
    ToyScore scores[DEMO_EXPERIMENTS][DEMO_TARGETS]; /* recomputed */
    long steps[DEMO_EXPERIMENTS];                    /* each one's */
    /* the probe's first and last rows */
    double d_fake[2], grad_nonsaturating[2], grad_minimax[2];
} DemoResult;

/* The experiment the table found best, and the demo shows. */
extern const char *const stab_best_experiment;

/* Steps the demo trains in all (for a progress line); steps 0 means
 * each experiment's own budget, as below. */
long stab_demo_total(long steps);

/* steps: G updates of every run, or 0 for each experiment's own. */
void stab_demo_run(const char *out, uint64_t seed, long steps,
                   Progress *progress, long *done, DemoResult *r);

#endif
