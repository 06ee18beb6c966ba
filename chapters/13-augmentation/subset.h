/* subset.h - the few labelled images: exactly n of each class, drawn
 * from the training split by a seed. */
#ifndef CH13_SUBSET_H
#define CH13_SUBSET_H

#include <stdint.h>

#include "error.h"
#include "idx.h"

/* Picks per_class rows of each of the K classes from the labels, the
 * choice made by `seed` alone: the same seed gives the same rows,
 * another seed others. rows gets K * per_class row numbers, class 0's
 * first, each class's in the order they were drawn. Returns -1 with
 * err when some class has fewer than per_class images.
 *   rows: (K * per_class) */
int aug_subset_pick(const IdxLabels *labels, int per_class, uint64_t seed,
                    int *rows, Error *err);

#endif
