/* stepparts.h - where the time of a training step goes, besides its
 * matrix products, and the floor that memory bandwidth sets for it.
 *
 * Two views. In place: real steps, with a clock around each network's
 * gradients and each Adam update and gemm()'s own timer (mat.h) inside
 * them. Alone: each small part of the gradients repeated by itself on
 * the real networks and buffers with gemm() skipped, so what is timed
 * is exactly the bias, activation, loss and copy work the step's own
 * functions do; and each Adam update by itself, once with the caches
 * as its last repetition left them and once flushed, as a step's
 * products leave them. Adam is also set against memory: the same loads
 * and stores without its arithmetic, and a plain copy of as many
 * bytes, on as many threads, each from memory. */
#ifndef CH08_STEPPARTS_H
#define CH08_STEPPARTS_H

#include "dataset.h"
#include "gan.h"
#include "rng.h"

typedef enum {
    PART_BATCH,    /* the shuffled batch, bytes to floats */
    PART_NOISE,    /* z for D's step and for G's */
    PART_FORWARD,  /* bias, activation and copies of every forward */
    PART_LOSS,     /* the three cross-entropies and their gradients */
    PART_BACKWARD, /* activation derivatives, bias sums, copies */
    PART_ADAM_D,
    PART_ADAM_G,
    PART_COUNT
} StepPart;

/* What each part is called in make bench's table. */
extern const char *const step_part_names[PART_COUNT];

typedef struct {
    /* in place, per step, from the best block of whole steps */
    double step_s;
    double gemm_s;             /* inside gemm() */
    double grads_s;            /* both networks' gradients, GEMM included */
    double adam_d_s, adam_g_s; /* each Adam update */
    /* alone, per step, best of the blocks */
    double seconds[PART_COUNT];
    /* Adam alone, D then G, each time after the caches were flushed */
    double adam_flushed_s[2];
    double adam_bytes;          /* what both updates read and write */
    double stream_bytes_per_s;  /* Adam's loads and stores, no arithmetic */
    double copy_bytes_per_s;    /* a copy, counting bytes read + written */
} StepParts;

/* Times one step of `gan` on batches of `ds` in the shuffled `order`
 * in place, then every part alone: the best of `blocks` blocks of
 * `reps` steps or repeats.
 * Leaves the networks' weights changed (by Adam on stale gradients):
 * call it on a Gan that is only being timed. */
void step_parts_time(Gan *gan, const Dataset *ds, const int *order,
                     int reps, int blocks, Rng *rng, StepParts *out);

/* The seconds a step's non-GEMM work would take if Adam's loads and
 * stores ran at the measured bandwidth and everything else took no
 * time at all. */
double step_parts_floor(const StepParts *p);

#endif
