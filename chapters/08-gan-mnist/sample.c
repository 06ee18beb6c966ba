/* sample.c - what a trained generator draws. */
#include "sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "dataset.h"
#include "error.h"
#include "image.h"
#include "rng.h"
#include "state.h"

void sample_load_generator(const char *path, int max_batch, Mlp *m)
{
    Ckpt c;
    Error err;
    if (ckpt_load(&c, path, NULL, &err) < 0)
        fatal("%s", err.msg);
    if (strcmp(c.kind, STATE_KIND) != 0 &&
        strcmp(c.kind, GENERATOR_KIND) != 0)
        fatal("%s is a checkpoint of %s; a generator comes from "
              "chapter 8 (%s or %s)", path, c.kind, STATE_KIND,
              GENERATOR_KIND);
    if (mlp_ckpt_load(&c, "g", max_batch, m, &err) < 0)
        fatal("%s", err.msg);
    if (m->sizes[m->nlayers] != DATASET_SIDE * DATASET_SIDE)
        fatal("%s: its generator draws %d pixels, not 28x28", path,
              m->sizes[m->nlayers]);
    ckpt_free(&c);
}

/* Runs G over z in chunks of its batch size.   z: (n, Z)  x: (n, 784) */
static void generate(Mlp *g, const float *z, int n, float *x)
{
    int zdim = g->sizes[0], pixels = g->sizes[g->nlayers];
    for (int done = 0; done < n; done += g->max_batch) {
        int k = n - done < g->max_batch ? n - done : g->max_batch;
        const float *y = mlp_forward(g, z + (size_t)done * zdim, k);
        memcpy(x + (size_t)done * pixels, y,
               (size_t)k * pixels * sizeof(float));
    }
}

static void write_images(const float *x, int n, int cols, const char *path)
{
    Error err;
    if (png_write_grid(path, x, n, DATASET_SIDE, DATASET_SIDE, cols, -1.0f,
                       1.0f, &err) < 0)
        fatal("%s", err.msg);
}

void sample_grid(Mlp *g, int n, uint64_t seed, const char *path)
{
    int zdim = g->sizes[0];
    float *z = xmalloc((size_t)n * zdim * sizeof(float));
    float *x = xmalloc((size_t)n * DATASET_SIDE * DATASET_SIDE *
                       sizeof(float));
    Rng rng;
    rng_seed(&rng, seed);
    rng_fill_normal(&rng, z, (long)n * zdim, 0.0f, 1.0f);
    generate(g, z, n, x);
    write_images(x, n, (int)ceil(sqrt((double)n)), path);
    free(z);
    free(x);
}

// listing: interpolate
void sample_interpolate(Mlp *g, int rows, int steps, uint64_t seed,
                        const char *path)
{
    int zdim = g->sizes[0], n = rows * steps;
    float *ends = xmalloc((size_t)2 * zdim * sizeof(float));
    float *z = xmalloc((size_t)n * zdim * sizeof(float));
    float *x = xmalloc((size_t)n * DATASET_SIDE * DATASET_SIDE *
                       sizeof(float));
    Rng rng;
    rng_seed(&rng, seed);
    for (int r = 0; r < rows; r++) {
        rng_fill_normal(&rng, ends, 2L * zdim, 0.0f, 1.0f);
        for (int s = 0; s < steps; s++) {
            float t = (float)s / (float)(steps - 1);
            float *zs = z + ((size_t)r * steps + s) * zdim;
            for (int j = 0; j < zdim; j++)
                zs[j] = (1.0f - t) * ends[j] + t * ends[zdim + j];
        }
    }
    generate(g, z, n, x);
    write_images(x, n, steps, path);
    free(ends);
    free(z);
    free(x);
}
// end-listing: interpolate
