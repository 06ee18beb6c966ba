/* generator.c - loading and sampling the generator under evaluation.
 *
 * Adds: one loader for the generator of any chapter's checkpoint,
 * with the checks that keep a wrong file from being evaluated.
 * Leaves out on purpose: conditional generators (chapter 11 evaluates
 * its own) and convolutional ones (chapter 12).
 * Build and run: make run-09-evaluation; test: make check
 * SUITE=09-evaluation
 */
#include "generator.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "rng.h"

/* "08-gan-mnist": two digits, a dash, a name. */
static bool is_chapter_kind(const char *kind)
{
    return isdigit((unsigned char)kind[0]) &&
           isdigit((unsigned char)kind[1]) && kind[2] == '-' && kind[3];
}

int evalgen_load(const char *path, int max_batch, Mlp *g, Error *err)
{
    Ckpt c;
    if (ckpt_load(&c, path, NULL, err) < 0)
        return -1;
    int rc = 0;
    bool has_g = ckpt_find(&c, EVALGEN_PREFIX ".arch") != NULL;
    if (strcmp(c.kind, EVALGEN_KIND) != 0 &&
        !(is_chapter_kind(c.kind) && has_g))
        rc = error_set(err, "%s is a checkpoint of %s, with no generator "
                       "in it\nHINT: give a generator, e.g. "
                       "out/08-gan-mnist/checkpoint.ckpt or a "
                       "generator-epoch-NNN.ckpt of chapter 8",
                       path, c.kind);
    if (rc == 0)
        rc = mlp_ckpt_load(&c, EVALGEN_PREFIX, max_batch, g, err);
    if (rc == 0 && (g->sizes[g->nlayers] != EVALGEN_PIXELS ||
                    g->output != ACT_TANH)) {
        rc = error_set(err, "%s: its generator draws %d values%s; this "
                       "evaluation needs %d pixels (28x28) from a tanh",
                       path, g->sizes[g->nlayers],
                       g->output == ACT_TANH ? "" : " not through a tanh",
                       EVALGEN_PIXELS);
        mlp_free(g);
    }
    ckpt_free(&c);
    return rc;
}

void evalgen_draw(Mlp *g, uint64_t seed, int n, float *x)
{
    const int Z = g->sizes[0];
    float *z = xmalloc((size_t)g->max_batch * Z * sizeof(float));
    Rng rng;
    rng_seed(&rng, seed);
    for (int done = 0; done < n; done += g->max_batch) {
        int rows = n - done < g->max_batch ? n - done : g->max_batch;
        rng_fill_normal(&rng, z, (long)rows * Z, 0.0f, 1.0f); /* (rows, Z) */
        const float *y = mlp_forward(g, z, rows); /* (rows, 784) */
        float *out = x + (size_t)done * EVALGEN_PIXELS;
        /* tanh's [-1, 1] to the classifier's [0, 1] */
        for (size_t i = 0; i < (size_t)rows * EVALGEN_PIXELS; i++)
            out[i] = 0.5f * (y[i] + 1.0f);
    }
    free(z);
}
