/* neighbors.h - squared L2 distances between two sets of vectors by
 * GEMM, and the nearest neighbour of each query in a reference set.
 *
 * |q - r|^2 = |q|^2 + |r|^2 - 2 q.r, so the distances between every
 * query and every reference are one matrix product (Q R^T) plus two
 * vectors of squared norms: the work is GEMM's, not a triple loop's.
 * In float the subtraction loses about 1e-7 of |q|^2 + |r|^2: an exact
 * copy of a Fashion-MNIST training image comes out at a distance of up
 * to 0.03 from it, not 0 (real nearest neighbours are 1 to 8 apart).
 *
 * Large reference sets are searched a block at a time (nn_update), so
 * a caller can convert a block of training images from bytes, update
 * every query's best match, and move on.
 */
#ifndef CH09_NEIGHBORS_H
#define CH09_NEIGHBORS_H

#define NN_QUERY_BLOCK 1024 /* queries per GEMM */
#define NN_REF_BLOCK 4096   /* references per GEMM */

/* norms[i] = |x_i|^2.   x: (n, D)   norms: (n) */
void nn_norms(const float *x, int n, int D, float *norms);

/* d2[i][j] = |q_i - r_j|^2, clamped at 0 against rounding.
 *   q: (nq, D)   r: (nr, D)   q_norms: (nq)   r_norms: (nr)
 *   d2: (nq, nr) */
void nn_squared_distances(const float *q, const float *q_norms, int nq,
                          const float *r, const float *r_norms, int nr,
                          int D, float *d2);

/* Before the first block: best_d2[i] = INFINITY, best[i] = -1. */
void nn_reset(float *best_d2, int *best, int nq);

/* Updates each query's nearest neighbour with one block of nr <=
 * NN_REF_BLOCK references whose first row is reference number
 * `first`. Ties keep the lower index.
 *   q: (nq, D)   q_norms: (nq)   r: (nr, D)   best_d2, best: (nq) */
void nn_update(const float *q, const float *q_norms, int nq,
               const float *r, int nr, int first, int D, float *best_d2,
               int *best);

/* The whole search against a reference set held as floats: the
 * squared distance to, and the index of, each query's nearest
 * reference.   q: (nq, D)   r: (nr, D)   best_d2, best: (nq) */
void nn_search(const float *q, int nq, const float *r, int nr, int D,
               float *best_d2, int *best);

#endif
