/* frechet.h - the Frechet distance between Gaussians fitted to two sets
 * of feature vectors: the number behind FID, and behind chapter 9's
 * FCD (the same distance on chapter 4's classifier features).
 *
 * Each set is summarised by a Gaussian N(m, S): its mean and its
 * covariance, both in double. The squared distance between two of
 * them is
 *
 *     d^2 = |m1 - m2|^2 + Tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2)
 *
 * (chapter 9 derives it). The square roots come from symmetric
 * eigen-decompositions (LAPACK's dsyevd, through LAPACKE), never from
 * a general matrix square root: S1^1/2 is built from S1's eigenvalues,
 * clamped at 0 where rounding made them slightly negative, and the
 * trace of the outer square root is the sum of the square roots of the
 * eigenvalues of the symmetric matrix S1^1/2 S2 S1^1/2.
 *
 * Like FID, the value is biased by the number of vectors fitted: two
 * sets drawn from the same distribution give a positive d^2 that
 * shrinks as they grow. Compare distances only at equal counts.
 */
#ifndef COMMON_FRECHET_H
#define COMMON_FRECHET_H

#include "error.h"

typedef struct {
    int dim;      /* F */
    long count;   /* vectors it was fitted to */
    double *mean; /* (F) */
    double *cov;  /* (F, F), symmetric: sum of outer products of the
                     centred vectors, divided by count - 1 */
} Gaussian;

/* Fits a Gaussian to n >= 2 rows of x, subtracting the mean before
 * the outer products are summed (one pass for the mean, one for the
 * covariance), so large offsets cost no precision.   x: (n, F)
 * Returns -1 with err set when n < 2 or dim < 1; g is then empty. */
int gaussian_fit(Gaussian *g, const float *x, long n, int dim, Error *err);

/* A Gaussian of dimension dim with the given mean and covariance
 * (copied), for tests and for distances between known Gaussians.
 *   mean: (F)   cov: (F, F) */
void gaussian_set(Gaussian *g, int dim, const double *mean,
                  const double *cov);

void gaussian_free(Gaussian *g);

/* The squared Frechet distance d^2 between a and b, as FID reports it
 * (not its square root). Returns -1 with err set when the dimensions
 * differ or LAPACK fails. */
int frechet_distance(const Gaussian *a, const Gaussian *b, double *d2,
                     Error *err);

#endif
