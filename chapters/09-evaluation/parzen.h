/* parzen.h - the Parzen-window log-likelihood of Goodfellow et al.
 * (2014): how likely test images are under a kernel density estimate
 * built from a model's samples.
 *
 * The density puts an isotropic Gaussian of width sigma on each of the
 * M samples s_j in D dimensions:
 *
 *   p(x) = 1/M sum_j N(x; s_j, sigma^2 I)
 *   log p(x) = logsumexp_j(-|x - s_j|^2 / (2 sigma^2)) - log M
 *              - D/2 log(2 pi sigma^2)
 *
 * The sum is taken around its largest term (log-sum-exp), so a point
 * far from every sample still gets a finite log-likelihood. The
 * squared distances come from neighbors.h's GEMM; one pass over them
 * serves every sigma of a grid, which is how sigma is chosen on a
 * validation split.
 */
#ifndef CH09_PARZEN_H
#define CH09_PARZEN_H

#define PARZEN_QUERY_BLOCK 256 /* query rows per GEMM */

/* loglik[i * nsig + k] = log p(x_i) with sigma = sigmas[k].
 *   x: (nx, D)   samples: (M, D)   sigmas: (nsig)
 *   loglik: (nx, nsig) */
void parzen_log_likelihood(const float *x, int nx, const float *samples,
                           int M, int D, const double *sigmas, int nsig,
                           double *loglik);

/* The mean of column k of loglik (nx, nsig) and its standard error,
 * std / sqrt(nx). */
void parzen_mean(const double *loglik, int nx, int nsig, int k,
                 double *mean, double *se);

/* n values from lo to hi, evenly spaced in log(sigma).   sigmas: (n) */
void parzen_sigma_grid(double lo, double hi, int n, double *sigmas);

#endif
