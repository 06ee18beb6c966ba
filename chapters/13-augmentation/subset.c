/* subset.c - n labelled images per class, chosen by a seed.
 *
 * The whole training split is shuffled with the seed, then walked in
 * that order taking each image whose class still has room: every image
 * of a class is equally likely, and which are chosen depends on the
 * seed only, not on the order of the file.
 */
#include "subset.h"

#include <stdlib.h>

#include "dataset.h"
#include "rng.h"

// listing: subset-pick
int aug_subset_pick(const IdxLabels *labels, int per_class, uint64_t seed,
                    int *rows, Error *err)
{
    const int K = DATASET_CLASSES;
    int *order = xmalloc((size_t)labels->count * sizeof(int));
    index_identity(order, labels->count);
    Rng rng;
    rng_seed(&rng, seed);
    rng_shuffle(&rng, order, labels->count);
    int taken[DATASET_CLASSES] = {0};
    int done = 0;
    for (int i = 0; i < labels->count && done < K * per_class; i++) {
        int k = labels->labels[order[i]];
        if (taken[k] < per_class) {
            rows[k * per_class + taken[k]++] = order[i];
            done++;
        }
    }
    free(order);
    for (int k = 0; k < K; k++)
        if (taken[k] < per_class)
            return error_set(err, "the training split has %d images of "
                             "class %d; %d per class were asked for",
                             taken[k], k, per_class);
    return 0;
}
// end-listing: subset-pick
