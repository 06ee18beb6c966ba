/* sample.c - what a conditional generator draws, as PNG grids. */
#include "sample.h"

#include <math.h>
#include <stdlib.h>

#include "dataset.h"
#include "image.h"
#include "rng.h"

// listing: class-grid
void cgan_grid_images(CganGenerator g, const float *zcols, float *x)
{
    size_t n = CGAN_GRID_SAMPLES; /* K rows of CGAN_GRID_COLS */
    float *z = xmalloc(n * CGAN_Z * sizeof(float)); /* (n, Z) */
    int labels[CGAN_GRID_SAMPLES];                  /* (n) */
    for (int k = 0; k < CGAN_CLASSES; k++)
        for (int j = 0; j < CGAN_GRID_COLS; j++) {
            int i = k * CGAN_GRID_COLS + j;
            labels[i] = k; /* the row asks for class k ... */
            for (int d = 0; d < CGAN_Z; d++) /* ... column j, noise j */
                z[(size_t)i * CGAN_Z + d] = zcols[j * CGAN_Z + d];
        }
    cgan_generate(g, z, labels, CGAN_GRID_SAMPLES, x);
    free(z);
}
// end-listing: class-grid

int cgan_grid_write(const float *x, const char *path, Error *err)
{
    return png_write_grid(path, x, CGAN_GRID_SAMPLES, DATASET_SIDE,
                          DATASET_SIDE, CGAN_GRID_COLS, -1.0f, 1.0f, err);
}

int cgan_samples_write(CganGenerator g, int k, int n, uint64_t seed,
                       const char *path, Error *err)
{
    float *z = xmalloc((size_t)n * CGAN_Z * sizeof(float));      /* (n, Z) */
    float *x = xmalloc((size_t)n * CGAN_PIXELS * sizeof(float)); /* (n, P) */
    int *labels = xmalloc((size_t)n * sizeof(int));             /* (n) */
    Rng rng;
    rng_seed(&rng, seed);
    rng_fill_normal(&rng, z, (long)n * CGAN_Z, 0.0f, 1.0f);
    for (int i = 0; i < n; i++)
        labels[i] = k;
    cgan_generate(g, z, labels, n, x);
    int rc = png_write_grid(path, x, n, DATASET_SIDE, DATASET_SIDE,
                            (int)ceil(sqrt((double)n)), -1.0f, 1.0f, err);
    free(z);
    free(x);
    free(labels);
    return rc;
}

int cgan_classes_write(CganGenerator g, int n, uint64_t seed,
                       const char *path, Error *err)
{
    size_t total = (size_t)n * CGAN_CLASSES;
    float *z = xmalloc(total * CGAN_Z * sizeof(float));      /* (Kn, Z) */
    float *x = xmalloc(total * CGAN_PIXELS * sizeof(float)); /* (Kn, P) */
    int *labels = xmalloc(total * sizeof(int));             /* (Kn) */
    Rng rng;
    rng_seed(&rng, seed);
    rng_fill_normal(&rng, z, (long)(total * CGAN_Z), 0.0f, 1.0f);
    for (size_t i = 0; i < total; i++)
        labels[i] = (int)(i / (size_t)n);
    cgan_generate(g, z, labels, (int)total, x);
    int rc = png_write_grid(path, x, (int)total, DATASET_SIDE,
                            DATASET_SIDE, n, -1.0f, 1.0f, err);
    free(z);
    free(x);
    free(labels);
    return rc;
}
