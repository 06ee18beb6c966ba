/* sample.h - using a trained generator: a grid of samples, and walks
 * through the latent space between random points. */
#ifndef CH08_SAMPLE_H
#define CH08_SAMPLE_H

#include <stdint.h>

#include "mlp.h"

/* Loads G from a checkpoint of chapter 8 (the whole state, or G alone)
 * into m, built for batches of up to max_batch. Exits with a clear
 * message when the file is not such a checkpoint. */
void sample_load_generator(const char *path, int max_batch, Mlp *m);

/* Writes n samples from noise drawn with `seed` as a grid to path. */
void sample_grid(Mlp *g, int n, uint64_t seed, const char *path);

/* Writes `rows` interpolations of `steps` images each: every row walks
 * in a straight line from one random z to another. */
void sample_interpolate(Mlp *g, int rows, int steps, uint64_t seed,
                        const char *path);

#endif
