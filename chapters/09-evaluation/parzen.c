/* parzen.c - the Parzen-window log-likelihood, with log-sum-exp.
 *
 * Adds: the estimate the original GAN paper reported, computed stably
 * for a whole grid of kernel widths from one set of distances.
 * Leaves out on purpose: kernels other than the isotropic Gaussian,
 * and any claim that the number is a log-likelihood (see the book).
 * Build and run: make run-09-evaluation; test: make check
 * SUITE=09-evaluation
 */
#include "parzen.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"

#include "neighbors.h"

#define LOG_2PI 1.8378770664093453 /* log(2 pi) */

// listing: parzen
/* The log-likelihood of one point from its squared distances to all M
 * samples, for each sigma.   d2: (M)   loglik: (nsig) */
static void parzen_point(const float *d2, int M, int D,
                         const double *sigmas, int nsig, double *loglik)
{
    float nearest = INFINITY;       /* the largest term's distance */
    for (int j = 0; j < M; j++)
        nearest = fminf(nearest, d2[j]);
    for (int k = 0; k < nsig; k++) {
        double inv = 1.0 / (2.0 * sigmas[k] * sigmas[k]);
        double sum = 0.0;           /* >= 1: the nearest term is 1 */
        for (int j = 0; j < M; j++)
            sum += exp(-((double)d2[j] - nearest) * inv);
        loglik[k] = -nearest * inv + log(sum) - log((double)M) -
                    0.5 * D * (LOG_2PI + 2.0 * log(sigmas[k]));
    }
}
// end-listing: parzen

void parzen_log_likelihood(const float *x, int nx, const float *samples,
                           int M, int D, const double *sigmas, int nsig,
                           double *loglik)
{
    float *x_norms = xmalloc((size_t)nx * sizeof(float));  /* (nx) */
    float *s_norms = xmalloc((size_t)M * sizeof(float));   /* (M) */
    float *d2 = xmalloc((size_t)PARZEN_QUERY_BLOCK * M * sizeof(float));
    nn_norms(x, nx, D, x_norms);
    nn_norms(samples, M, D, s_norms);
    for (int start = 0; start < nx; start += PARZEN_QUERY_BLOCK) {
        int rows = nx - start < PARZEN_QUERY_BLOCK ? nx - start
                                                   : PARZEN_QUERY_BLOCK;
        nn_squared_distances(x + (size_t)start * D, x_norms + start, rows,
                             samples, s_norms, M, D, d2); /* (rows, M) */
        for (int i = 0; i < rows; i++)
            parzen_point(d2 + (size_t)i * M, M, D, sigmas, nsig,
                         loglik + (size_t)(start + i) * nsig);
    }
    free(d2);
    free(s_norms);
    free(x_norms);
}

void parzen_mean(const double *loglik, int nx, int nsig, int k,
                 double *mean, double *se)
{
    double sum = 0.0;
    for (int i = 0; i < nx; i++)
        sum += loglik[(size_t)i * nsig + k];
    double m = sum / nx, ss = 0.0;
    for (int i = 0; i < nx; i++) {
        double d = loglik[(size_t)i * nsig + k] - m;
        ss += d * d;
    }
    *mean = m;
    *se = nx > 1 ? sqrt(ss / (nx - 1) / nx) : 0.0;
}

void parzen_sigma_grid(double lo, double hi, int n, double *sigmas)
{
    for (int k = 0; k < n; k++)
        sigmas[k] = n > 1 ? lo * pow(hi / lo, (double)k / (n - 1)) : lo;
}
