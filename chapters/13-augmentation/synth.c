/* synth.c - the generated half of an augmented training set.
 *
 * The label of a generated image is the class G was asked for, not a
 * classifier's opinion of what it drew: an image of the wrong class is
 * a wrong label, and whether that hurts is part of what this chapter
 * measures.
 */
#include "synth.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"

#define SYNTH_CHUNK 500 /* images per generator call */
#define BYTE_MAX 255.0f

void aug_synth_labels(int per_class, int *labels)
{
    for (int k = 0; k < CGAN_CLASSES; k++)
        for (int j = 0; j < per_class; j++)
            labels[k * per_class + j] = k;
}

void aug_pixels_to_bytes(const float *x, long n, uint8_t *px)
{
    for (long i = 0; i < n; i++) {
        float v = (x[i] + 1.0f) * 0.5f * BYTE_MAX;
        /* written so that a NaN (a diverged G) becomes 0 */
        v = v > 0.0f ? (v < BYTE_MAX ? v : BYTE_MAX) : 0.0f;
        px[i] = (uint8_t)lrintf(v);
    }
}

// listing: synthesize
void aug_synthesize(CganGenerator g, int per_class, Rng *rng,
                    IdxImages *im, IdxLabels *lb)
{
    int count = CGAN_CLASSES * per_class;
    int *asked = xmalloc((size_t)count * sizeof(int)); /* (count) */
    aug_synth_labels(per_class, asked);
    *im = (IdxImages){count, DATASET_SIDE, DATASET_SIDE,
                      xmalloc((size_t)count * CGAN_PIXELS)};
    *lb = (IdxLabels){count, xmalloc((size_t)count)};
    float *z = xmalloc((size_t)SYNTH_CHUNK * CGAN_Z * sizeof(float));
    float *x = xmalloc((size_t)SYNTH_CHUNK * CGAN_PIXELS * sizeof(float));
    for (int start = 0; start < count; start += SYNTH_CHUNK) {
        int n = count - start < SYNTH_CHUNK ? count - start : SYNTH_CHUNK;
        rng_fill_normal(rng, z, (long)n * CGAN_Z, 0.0f, 1.0f);
        cgan_generate(g, z, asked + start, n, x); /* (n, P) */
        aug_pixels_to_bytes(x, (long)n * CGAN_PIXELS,
                            im->pixels + (size_t)start * CGAN_PIXELS);
        for (int i = 0; i < n; i++)
            lb->labels[start + i] = (uint8_t)asked[start + i];
    }
    free(z);
    free(x);
    free(asked);
}
// end-listing: synthesize
