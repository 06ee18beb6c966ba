/* fewshot.c - the conditional GAN on n labelled images per class.
 *
 * The budget is counted in steps, not epochs: 10 images per class make
 * an epoch of one step, 1,000 per class one of 156, and a GAN needs
 * thousands of steps either way. Chapter 11's step (cgan_train_step)
 * is used as it is; only the choice of real batches is new.
 */
#include "fewshot.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

// listing: fewshot-loop
CganStats aug_cgan_train(Cgan *c, const Dataset *ds, const int *rows,
                         int count, long steps, Rng *rng)
{
    int n = c->batch;
    int *order = xmalloc((size_t)count * sizeof(int)); /* (count) */
    int *labels = xmalloc((size_t)n * sizeof(int));    /* (N) */
    memcpy(order, rows, (size_t)count * sizeof(int));
    int pos = count; /* an empty epoch: shuffle before the first step */
    CganStats s = {0};
    for (long step = 0; step < steps; step++) {
        if (pos + n > count) {
            rng_shuffle(rng, order, count);
            pos = 0;
        }
        images_to_float(&ds->train_images, order + pos, n, -1.0f, 1.0f,
                        c->real);
        labels_gather(&ds->train_labels, order + pos, n, labels);
        cgan_onehot(labels, n, c->label_scale, c->real_y);
        cgan_train_step(c, rng, &s);
        pos += n;
    }
    free(order);
    free(labels);
    return s;
}
// end-listing: fewshot-loop
