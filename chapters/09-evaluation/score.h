/* score.h - what the classifier says about a set of images: the
 * classifier score (the Inception score of Salimans et al. 2016, with
 * chapter 4's classifier in place of Inception) and the histogram of
 * the classes it sees, which shows mode dropping.
 *
 * The score is exp(mean over images of KL(p(y|x) || p(y))), with p(y)
 * the mean of p(y|x) over the set. It is K for K classes each drawn
 * equally often and each recognised with certainty, and 1 when every
 * image gets the same distribution.
 */
#ifndef CH09_SCORE_H
#define CH09_SCORE_H

#include <stdbool.h>

/* The classifier score of n images.   probs: (n, K) */
double eval_classifier_score(const float *probs, int n, int K);

/* counts[k] = how many of classes[0..n) equal k.   counts: (K) */
void eval_class_histogram(const int *classes, int n, int K, int *counts);

/* A class is missing when its share of the samples is below
 * EVAL_MISSING_RATIO times its share of the real images, and
 * over-represented when above EVAL_OVER_RATIO times. For one class:
 * gen of nsamples samples, real of nreal real images. */
#define EVAL_MISSING_RATIO 0.25
#define EVAL_OVER_RATIO 1.5
bool eval_is_missing(int gen, int nsamples, int real, int nreal);
bool eval_is_over(int gen, int nsamples, int real, int nreal);

/* How many classes are missing, and over-represented.
 *   gen, real: (K) counts of nsamples and nreal images */
int eval_missing_classes(const int *gen, int nsamples, const int *real,
                         int nreal, int K);
int eval_over_classes(const int *gen, int nsamples, const int *real,
                      int nreal, int K);

/* The total variation distance between the two histograms' shares:
 * half the sum of |share_gen - share_real|, 0 when they agree, 1 when
 * they share no class. */
double eval_class_tv(const int *gen, int nsamples, const int *real,
                     int nreal, int K);

#endif
