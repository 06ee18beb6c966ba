/* neighbors.c - nearest neighbours in pixel space, by GEMM.
 *
 * Adds: distances between every query and every reference as one
 * matrix product, searched a block at a time.
 * Leaves out on purpose: search structures (k-d trees lose to brute
 * force in 784 dimensions) and distances other than L2 on pixels.
 * Build and run: make run-09-evaluation; test: make check
 * SUITE=09-evaluation
 */
#include "neighbors.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "mat.h"

void nn_norms(const float *x, int n, int D, float *norms)
{
    for (int i = 0; i < n; i++) {
        const float *row = x + (size_t)i * D;
        float s = 0.0f;
        for (int k = 0; k < D; k++)
            s += row[k] * row[k];
        norms[i] = s;
    }
}

// listing: squared-distances
void nn_squared_distances(const float *q, const float *q_norms, int nq,
                          const float *r, const float *r_norms, int nr,
                          int D, float *d2)
{
    /* d2 = -2 Q R^T, then add |q_i|^2 + |r_j|^2 */
    gemm(NO_TRANS, TRANS, nq, nr, D, -2.0f, q, D, r, D, 0.0f, d2, nr);
    for (int i = 0; i < nq; i++) {
        float *row = d2 + (size_t)i * nr;
        for (int j = 0; j < nr; j++)
            row[j] = fmaxf(row[j] + q_norms[i] + r_norms[j], 0.0f);
    }
}
// end-listing: squared-distances

void nn_reset(float *best_d2, int *best, int nq)
{
    for (int i = 0; i < nq; i++) {
        best_d2[i] = INFINITY;
        best[i] = -1;
    }
}

void nn_update(const float *q, const float *q_norms, int nq,
               const float *r, int nr, int first, int D, float *best_d2,
               int *best)
{
    float *r_norms = xmalloc((size_t)nr * sizeof(float));      /* (nr) */
    float *d2 = xmalloc((size_t)NN_QUERY_BLOCK * nr * sizeof(float));
    nn_norms(r, nr, D, r_norms);
    for (int start = 0; start < nq; start += NN_QUERY_BLOCK) {
        int rows = nq - start < NN_QUERY_BLOCK ? nq - start
                                               : NN_QUERY_BLOCK;
        nn_squared_distances(q + (size_t)start * D, q_norms + start, rows,
                             r, r_norms, nr, D, d2); /* (rows, nr) */
        for (int i = 0; i < rows; i++) {
            const float *row = d2 + (size_t)i * nr;
            for (int j = 0; j < nr; j++)
                if (row[j] < best_d2[start + i]) {
                    best_d2[start + i] = row[j];
                    best[start + i] = first + j;
                }
        }
    }
    free(d2);
    free(r_norms);
}

void nn_search(const float *q, int nq, const float *r, int nr, int D,
               float *best_d2, int *best)
{
    float *q_norms = xmalloc((size_t)nq * sizeof(float)); /* (nq) */
    nn_norms(q, nq, D, q_norms);
    nn_reset(best_d2, best, nq);
    for (int first = 0; first < nr; first += NN_REF_BLOCK) {
        int count = nr - first < NN_REF_BLOCK ? nr - first : NN_REF_BLOCK;
        nn_update(q, q_norms, nq, r + (size_t)first * D, count, first, D,
                  best_d2, best);
    }
    free(q_norms);
}
