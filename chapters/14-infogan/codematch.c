/* codematch.c - the confusion matrix and the Hungarian algorithm
 * (Kuhn 1955, Munkres 1957), in its O(k^3) form with row and column
 * potentials: a best assignment of rows 1..i is grown one row at a
 * time along a shortest augmenting path in reduced costs. */
#include "codematch.h"

#include <limits.h>
#include <string.h>

void codematch_confusion(const int *codes, const uint8_t *labels, int n,
                         int k, long *counts)
{
    memset(counts, 0, (size_t)k * k * sizeof(long));
    for (int i = 0; i < n; i++)
        counts[(size_t)codes[i] * k + labels[i]]++;
}

// listing: hungarian
long codematch_assign(const long *counts, int k, int *class_of)
{
    /* minimise cost = -counts; arrays are 1-based, column 0 is where a
     * new row's path starts */
    long u[CODEMATCH_MAX + 1] = {0}, v[CODEMATCH_MAX + 1] = {0};
    int row_of[CODEMATCH_MAX + 1] = {0}; /* column j's row, 0: none */
    int way[CODEMATCH_MAX + 1];
    for (int i = 1; i <= k; i++) {
        long minv[CODEMATCH_MAX + 1];
        int used[CODEMATCH_MAX + 1] = {0};
        for (int j = 0; j <= k; j++)
            minv[j] = LONG_MAX;
        row_of[0] = i;
        int j0 = 0;
        do { /* extend the tree of tight edges until a free column */
            used[j0] = 1;
            int i0 = row_of[j0], j1 = 0;
            long delta = LONG_MAX;
            for (int j = 1; j <= k; j++) {
                if (used[j])
                    continue;
                long reduced = -counts[(size_t)(i0 - 1) * k + (j - 1)] -
                               u[i0] - v[j];
                if (reduced < minv[j]) {
                    minv[j] = reduced;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (int j = 0; j <= k; j++) { /* keep every tree edge tight */
                if (used[j]) {
                    u[row_of[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (row_of[j0] != 0);
        do { /* flip the path: each column takes the row before it */
            int j1 = way[j0];
            row_of[j0] = row_of[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    long total = 0;
    for (int j = 1; j <= k; j++) {
        class_of[row_of[j] - 1] = j - 1;
        total += counts[(size_t)(row_of[j] - 1) * k + (j - 1)];
    }
    return total;
}
// end-listing: hungarian
