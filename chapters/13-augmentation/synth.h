/* synth.h - labelled images from a conditional generator: ask G for
 * class k, and the image it draws is labelled k. */
#ifndef CH13_SYNTH_H
#define CH13_SYNTH_H

#include "idx.h"
#include "rng.h"

#include "../11-cgan/cgan.h"

/* The classes to ask for, per_class of each in class order:
 * labels[k * per_class + j] = k.   labels: (K * per_class) */
void aug_synth_labels(int per_class, int *labels);

/* K * per_class images drawn by g, per_class of class 0 first, each
 * from fresh noise z ~ N(0, I) drawn from rng, and labelled with the
 * class it was asked for. Stored as bytes like the real images: G's
 * tanh output g in [-1, 1] becomes round((g + 1) / 2 * 255). im and lb
 * are allocated (free them with idx_free_images, idx_free_labels). */
void aug_synthesize(CganGenerator g, int per_class, Rng *rng,
                    IdxImages *im, IdxLabels *lb);

/* G's output in [-1, 1] as the bytes of an image, 0 = background.
 *   x: (n)   px: (n) */
void aug_pixels_to_bytes(const float *x, long n, uint8_t *px);

#endif
