/* score.c - the classifier score and the class histogram.
 *
 * Adds: the Inception score with chapter 4's classifier as the judge,
 * and the per-class counts that show mode dropping.
 * Leaves out on purpose: the split into ten chunks that Inception
 * score papers average over (one score of all N samples is clearer).
 * Build and run: make run-09-evaluation; test: make check
 * SUITE=09-evaluation
 */
#include "score.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"

// listing: classifier-score
double eval_classifier_score(const float *probs, int n, int K)
{
    double *marginal = xcalloc((size_t)K, sizeof(double)); /* p(y) */
    for (int i = 0; i < n; i++)
        for (int k = 0; k < K; k++)
            marginal[k] += probs[(size_t)i * K + k] / (double)n;
    /* mean over images of KL(p(y|x) || p(y)); 0 log 0 is 0 */
    double kl = 0.0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < K; k++) {
            double p = probs[(size_t)i * K + k];
            if (p > 0.0)
                kl += p * (log(p) - log(marginal[k]));
        }
    free(marginal);
    return exp(kl / n);
}
// end-listing: classifier-score

void eval_class_histogram(const int *classes, int n, int K, int *counts)
{
    for (int k = 0; k < K; k++)
        counts[k] = 0;
    for (int i = 0; i < n; i++)
        counts[classes[i]]++;
}

static double share(int count, int total)
{
    return total > 0 ? (double)count / total : 0.0;
}

bool eval_is_missing(int gen, int nsamples, int real, int nreal)
{
    return share(gen, nsamples) < EVAL_MISSING_RATIO * share(real, nreal);
}

bool eval_is_over(int gen, int nsamples, int real, int nreal)
{
    return share(gen, nsamples) > EVAL_OVER_RATIO * share(real, nreal);
}

int eval_missing_classes(const int *gen, int nsamples, const int *real,
                         int nreal, int K)
{
    int missing = 0;
    for (int k = 0; k < K; k++)
        missing += eval_is_missing(gen[k], nsamples, real[k], nreal);
    return missing;
}

int eval_over_classes(const int *gen, int nsamples, const int *real,
                      int nreal, int K)
{
    int over = 0;
    for (int k = 0; k < K; k++)
        over += eval_is_over(gen[k], nsamples, real[k], nreal);
    return over;
}

double eval_class_tv(const int *gen, int nsamples, const int *real,
                     int nreal, int K)
{
    double tv = 0.0;
    for (int k = 0; k < K; k++)
        tv += fabs(share(gen[k], nsamples) - share(real[k], nreal));
    return 0.5 * tv;
}
