/* codematch.h - how well a code learned without labels matches the
 * classes: the confusion matrix of codes against labels, and the
 * one-to-one naming of codes by classes that agrees with the most
 * images (the assignment problem, solved by the Hungarian algorithm).
 */
#ifndef CH14_CODEMATCH_H
#define CH14_CODEMATCH_H

#include <stdint.h>

#define CODEMATCH_MAX 16 /* codes and classes at most */

/* counts[i * k + j]: images given code i whose label is j (k x k). */
void codematch_confusion(const int *codes, const uint8_t *labels, int n,
                         int k, long *counts);

/* The permutation class_of[i] (code i -> class) that maximises
 * sum_i counts[i][class_of[i]], for a k x k matrix, k <= CODEMATCH_MAX;
 * returns that sum. */
long codematch_assign(const long *counts, int k, int *class_of);

#endif
