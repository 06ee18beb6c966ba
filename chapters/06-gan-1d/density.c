/* density.c - the densities the chapter's figure draws.
 *
 * Adds: a histogram as a density estimate, and the optimal
 * discriminator of Goodfellow et al. (2014), Proposition 1.
 * Leaves out on purpose: smoother estimates (kernel densities); a
 * histogram of many samples is enough to see the game.
 * Build and run: make run-06-gan-1d; test: make check SUITE=06-gan-1d
 */
#include "density.h"

#include <math.h>
#include <string.h>

#define QUANTILE_RANGE 40.0   /* Phi^-1(p) lies within +-40 for every
                               * p a double can tell from 0 or 1 */
#define QUANTILE_HALVINGS 100 /* 80 / 2^100: far below double's step */

double gan1d_normal_pdf(double x, double mean, double std)
{
    const double sqrt_2pi = 2.5066282746310002;
    double u = (x - mean) / std;
    return exp(-0.5 * u * u) / (std * sqrt_2pi);
}

double gan1d_normal_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

double gan1d_normal_quantile(double p)
{
    double lo = -QUANTILE_RANGE, hi = QUANTILE_RANGE;
    for (int i = 0; i < QUANTILE_HALVINGS; i++) {
        double mid = 0.5 * (lo + hi);
        if (gan1d_normal_cdf(mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

void gan1d_histogram(const float *x, int n, double lo, double hi,
                     int bins, double *density)
{
    double width = (hi - lo) / bins;
    memset(density, 0, (size_t)bins * sizeof(double));
    for (int i = 0; i < n; i++) {
        if (!(x[i] >= lo && x[i] < hi))
            continue;
        int b = (int)((x[i] - lo) / width);
        density[b < bins ? b : bins - 1] += 1.0;
    }
    for (int b = 0; b < bins; b++)
        density[b] /= n * width;
}

// listing: optimal-d
double gan1d_optimal_d(double p_data, double p_g, double floor)
{
    if (p_data + p_g < floor)
        return NAN;
    return p_data / (p_data + p_g);
}
// end-listing: optimal-d

void gan1d_moments(const float *x, int n, double *mean, double *std)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    double m = sum / n, sq = 0.0;
    for (int i = 0; i < n; i++)
        sq += (x[i] - m) * (x[i] - m);
    *mean = m;
    *std = sqrt(sq / n);
}
