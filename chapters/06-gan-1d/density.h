/* density.h - densities on the line, to draw what a 1-D GAN does:
 * the target's density, a histogram of G's samples, and the optimal
 * discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)).
 */
#ifndef CH06_DENSITY_H
#define CH06_DENSITY_H

/* The density of N(mean, std^2) at x. */
double gan1d_normal_pdf(double x, double mean, double std);

/* The standard normal's distribution function Phi(x), and its
 * inverse Phi^-1(p) for 0 < p < 1 (by bisection, to double precision):
 * x = mean + std Phi^-1(F(z)) is the increasing map that turns noise
 * with distribution function F into N(mean, std^2). */
double gan1d_normal_cdf(double x);
double gan1d_normal_quantile(double p);

/* A histogram of n samples over [lo, hi) in `bins` equal bins, scaled
 * to a density: density[b] = (count in bin b) / (n * bin width), so
 * it integrates to the share of samples inside [lo, hi).
 *   x: (n)   density: (bins) */
void gan1d_histogram(const float *x, int n, double lo, double hi,
                     int bins, double *density);

/* D*(x) = p_data / (p_data + p_g), the best any discriminator can do
 * against a fixed G. Undefined (NaN) where both densities are below
 * `floor`: there is nothing to discriminate. */
double gan1d_optimal_d(double p_data, double p_g, double floor);

/* Sample mean and standard deviation (divisor n) of x.   x: (n) */
void gan1d_moments(const float *x, int n, double *mean, double *std);

#endif
