/* generator.h - the generator under evaluation: loaded from any
 * chapter's checkpoint that holds one, and sampled with a fixed seed.
 *
 * A generator checkpoint is either of kind EVALGEN_KIND (what chapter 8
 * writes after every epoch) or a GAN chapter's training checkpoint
 * (kind "NN-name", e.g. "08-gan-mnist") holding the network "g". Its
 * output must be 28x28 pixels from a tanh, in [-1, 1]; the images it
 * hands on are mapped to the classifier's [0, 1].
 */
#ifndef CH09_GENERATOR_H
#define CH09_GENERATOR_H

#include <stdint.h>

#include "error.h"
#include "mlp.h"

#define EVALGEN_KIND "generator"
#define EVALGEN_PREFIX "g"
#define EVALGEN_PIXELS 784 /* 28 x 28 */

/* Builds G for batches of at most max_batch rows from the checkpoint
 * at path. Refuses, with a message naming the file, anything that is
 * not a checkpoint, a checkpoint that holds no generator, and a
 * generator that does not draw 784 pixels through a tanh. */
int evalgen_load(const char *path, int max_batch, Mlp *g, Error *err);

/* n images from z ~ N(0, I) drawn with `seed` alone, so every
 * checkpoint of a run is shown the same noise.   x: (n, 784) in [0, 1] */
void evalgen_draw(Mlp *g, uint64_t seed, int n, float *x);

#endif
