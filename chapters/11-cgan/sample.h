/* sample.h - pictures of what a conditional generator draws: the class
 * grid (one row per class, one column per fixed noise vector) and N
 * samples of one class. */
#ifndef CH11_SAMPLE_H
#define CH11_SAMPLE_H

#include <stdint.h>

#include "error.h"
#include "mlp.h"

#include "cgan.h"

#define CGAN_GRID_COLS 10 /* noise vectors, one per column */

#define CGAN_GRID_SAMPLES (CGAN_CLASSES * CGAN_GRID_COLS)

/* The K x CGAN_GRID_COLS grid's images: row k is class k, column j
 * uses noise zcols[j] in every row.
 *   zcols: (CGAN_GRID_COLS, Z)   x: (CGAN_GRID_SAMPLES, P) */
void cgan_grid_images(CganGenerator g, const float *zcols, float *x);

/* Writes those images as the grid's PNG, one class per row. */
int cgan_grid_write(const float *x, const char *path, Error *err);

/* Writes n samples of class k, from noise drawn with `seed`, as a
 * square-ish grid. */
int cgan_samples_write(CganGenerator g, int k, int n, uint64_t seed,
                       const char *path, Error *err);

/* Writes n samples of every class, one row of n per class, each from
 * its own noise drawn with `seed`. */
int cgan_classes_write(CganGenerator g, int n, uint64_t seed,
                       const char *path, Error *err);

#endif
