#include "frechet.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FIT_BLOCK 1024 /* rows centred at a time for the covariance */

int gaussian_fit(Gaussian *g, const float *x, long n, int dim, Error *err)
{
    memset(g, 0, sizeof *g);
    if (n < 2 || dim < 1)
        return error_set(err, "a Gaussian fit needs at least 2 vectors "
                         "of at least 1 feature, not %ld of %d", n, dim);
    const int F = dim;
    g->dim = F;
    g->count = n;
    g->mean = xcalloc((size_t)F, sizeof(double));
    g->cov = xcalloc((size_t)F * F, sizeof(double));
    double *xc = xmalloc((size_t)FIT_BLOCK * F * sizeof(double));
    // listing: gaussian-fit
    /* first pass: the mean */
    for (long i = 0; i < n; i++)
        for (int f = 0; f < F; f++)
            g->mean[f] += x[(size_t)i * F + f];
    for (int f = 0; f < F; f++)
        g->mean[f] /= (double)n;
    /* second pass: cov += Xc^T Xc, a block of centred rows at a time;
     * xc: (rows, F) */
    for (long start = 0; start < n; start += FIT_BLOCK) {
        int rows = (int)(n - start < FIT_BLOCK ? n - start : FIT_BLOCK);
        for (int r = 0; r < rows; r++)
            for (int f = 0; f < F; f++)
                xc[(size_t)r * F + f] =
                    x[(size_t)(start + r) * F + f] - g->mean[f];
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, F, rows,
                    1.0, xc, F, 1.0, g->cov, F);
    }
    /* dsyrk filled the upper triangle: divide, and mirror it */
    for (int a = 0; a < F; a++)
        for (int b = a; b < F; b++) {
            double v = g->cov[(size_t)a * F + b] / (double)(n - 1);
            g->cov[(size_t)a * F + b] = g->cov[(size_t)b * F + a] = v;
        }
    // end-listing: gaussian-fit
    free(xc);
    return 0;
}

void gaussian_set(Gaussian *g, int dim, const double *mean,
                  const double *cov)
{
    size_t F = (size_t)dim;
    g->dim = dim;
    g->count = 0;
    g->mean = xmalloc(F * sizeof(double));
    g->cov = xmalloc(F * F * sizeof(double));
    memcpy(g->mean, mean, F * sizeof(double));
    memcpy(g->cov, cov, F * F * sizeof(double));
}

void gaussian_free(Gaussian *g)
{
    free(g->mean);
    free(g->cov);
    memset(g, 0, sizeof *g);
}

/* The eigenvalues w (ascending) of the symmetric matrix a, and, when
 * vectors is true, its eigenvectors in a's columns (a is overwritten
 * either way).   a: (F, F)   w: (F) */
static int sym_eigen(double *a, int F, double *w, bool vectors,
                     Error *err)
{
    lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, vectors ? 'V' : 'N',
                                     'U', F, a, F, w);
    if (info != 0)
        return error_set(err, "LAPACK's dsyevd failed (info %d) on a "
                         "%d x %d covariance matrix", (int)info, F, F);
    return 0;
}

/* c = a b for (F, F) matrices. */
static void matmul(const double *a, const double *b, double *c, int F)
{
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, F, F, F, 1.0,
                a, F, b, F, 0.0, c, F);
}

/* Tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2), the covariances' part of
 * d^2, with S1 = a->cov and S2 = b->cov.
 *   v, s, t: (F, F) scratch   w: (F) scratch */
static int trace_term(const Gaussian *a, const Gaussian *b, double *v,
                      double *s, double *t, double *w, double *term,
                      Error *err)
{
    const int F = a->dim;
    // listing: frechet-trace
    /* S1 = V diag(w) V^T; its square root is V diag(sqrt w) V^T.
     * Rounding can leave an eigenvalue of a singular covariance
     * slightly below 0: it is 0. */
    memcpy(v, a->cov, (size_t)F * F * sizeof *v);
    if (sym_eigen(v, F, w, true, err) < 0)
        return -1;
    for (int i = 0; i < F; i++)              /* t = V diag(sqrt w) */
        for (int j = 0; j < F; j++)
            t[i * F + j] = v[i * F + j] * sqrt(fmax(w[j], 0.0));
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, F, F, F, 1.0,
                t, F, v, F, 0.0, s, F);     /* s = S1^1/2 */

    /* M = S1^1/2 S2 S1^1/2 is symmetric; average it with its
     * transpose so that rounding does not break the symmetry */
    matmul(s, b->cov, t, F);                 /* t = S1^1/2 S2 */
    matmul(t, s, v, F);                      /* v = M */
    for (int i = 0; i < F; i++)
        for (int j = i + 1; j < F; j++)
            v[i * F + j] = v[j * F + i] =
                0.5 * (v[i * F + j] + v[j * F + i]);

    /* Tr M^1/2 = sum of the square roots of M's eigenvalues */
    if (sym_eigen(v, F, w, false, err) < 0)
        return -1;
    double cross = 0.0, traces = 0.0;
    for (int i = 0; i < F; i++) {
        cross += sqrt(fmax(w[i], 0.0));
        traces += a->cov[i * F + i] + b->cov[i * F + i];
    }
    *term = traces - 2.0 * cross;
    // end-listing: frechet-trace
    return 0;
}

int frechet_distance(const Gaussian *a, const Gaussian *b, double *d2,
                     Error *err)
{
    if (a->dim != b->dim || a->dim < 1)
        return error_set(err, "Frechet distance between Gaussians of %d "
                         "and %d features", a->dim, b->dim);
    size_t FF = (size_t)a->dim * a->dim;
    double *v = xmalloc(FF * sizeof(double));        /* (F, F) */
    double *s = xmalloc(FF * sizeof(double));        /* (F, F) */
    double *t = xmalloc(FF * sizeof(double));        /* (F, F) */
    double *w = xmalloc((size_t)a->dim * sizeof(double)); /* (F) */
    double term = 0.0;
    int rc = trace_term(a, b, v, s, t, w, &term, err);
    if (rc == 0) {
        // listing: frechet-sum
        double means = 0.0;
        for (int f = 0; f < a->dim; f++)
            means += (a->mean[f] - b->mean[f]) *
                     (a->mean[f] - b->mean[f]);
        /* d^2 >= 0; for two equal Gaussians rounding may leave a
         * tiny negative number */
        *d2 = fmax(means + term, 0.0);
        // end-listing: frechet-sum
    }
    free(v);
    free(s);
    free(t);
    free(w);
    return rc;
}
