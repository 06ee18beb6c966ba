/* evaluate.c - the real images' numbers once, then each generator's.
 *
 * Adds: the pipeline that turns N samples into every number of the
 * chapter, each beside what real images score.
 * Leaves out on purpose: confidence intervals other than the Parzen
 * standard error (run two seeds to see the spread).
 * Build and run: make run-09-evaluation; test: make check
 * SUITE=09-evaluation
 */
#include "evaluate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rng.h"

#include "neighbors.h"
#include "parzen.h"
#include "score.h"

#define P EVAL_PIXELS
#define K EVAL_CLASSES
#define F CLASSIFIER_FEATURES
#define PARZEN_UNITS 2 /* validation, then test */

static void tick(Progress *progress, long *done, const char *what)
{
    ++*done;
    if (progress)
        progress_update(progress, *done, "%s", what);
}

static long blocks_of(int count, int block)
{
    return (count + block - 1) / block;
}

long eval_work_units(const Dataset *data, int n)
{
    return blocks_of(data->train_images.count, NN_REF_BLOCK) *
               blocks_of(n, NN_QUERY_BLOCK) + PARZEN_UNITS;
}

/* A Gaussian fitted to the classifier's features of n images.
 *   x: (n, P) */
static void fit_features(Classifier *clf, const float *x, int n,
                         Gaussian *g)
{
    float *features = xmalloc((size_t)n * F * sizeof(float)); /* (n, F) */
    Error err;
    classifier_features(clf, x, n, features);
    if (gaussian_fit(g, features, n, F, &err) < 0)
        fatal("%s", err.msg);
    free(features);
}

/* The class of each image, the histogram and the classifier score of
 * n images.   x: (n, P)   classes: (n)   counts: (K) */
static double classify(Classifier *clf, const float *x, int n,
                       int *classes, int *counts)
{
    float *probs = xmalloc((size_t)n * K * sizeof(float)); /* (n, K) */
    classifier_probs(clf, x, n, probs);
    for (int i = 0; i < n; i++) {
        const float *row = probs + (size_t)i * K;
        int best = 0;
        for (int k = 1; k < K; k++)
            if (row[k] > row[best])
                best = k;
        classes[i] = best;
    }
    eval_class_histogram(classes, n, K, counts);
    double score = eval_classifier_score(probs, n, K);
    free(probs);
    return score;
}

/* The median nearest-neighbour distance of the images of each class,
 * NAN for a class with none.   dist, classes: (n)   medians: (K) */
static void class_medians(const float *dist, const int *classes, int n,
                          double *medians)
{
    float *mine = xmalloc((size_t)n * sizeof(float));
    for (int k = 0; k < K; k++) {
        int count = 0;
        for (int i = 0; i < n; i++)
            if (classes[i] == k)
                mine[count++] = dist[i];
        medians[k] = count ? eval_median(mine, count) : NAN;
    }
    free(mine);
}

/* The distance from each query to its nearest training image, a block
 * of training images converted from bytes at a time.
 *   q: (nq, P)   dist, index: (nq) */
static void nearest_training(const float *q, int nq, const IdxImages *train,
                             float *dist, int *index, Progress *progress,
                             long *done)
{
    float *q_norms = xmalloc((size_t)nq * sizeof(float));      /* (nq) */
    float *block = xmalloc((size_t)NN_REF_BLOCK * P * sizeof(float));
    int *rows = xmalloc((size_t)NN_REF_BLOCK * sizeof(int));
    nn_norms(q, nq, P, q_norms);
    nn_reset(dist, index, nq);
    for (int first = 0; first < train->count; first += NN_REF_BLOCK) {
        int count = train->count - first < NN_REF_BLOCK
                        ? train->count - first : NN_REF_BLOCK;
        for (int i = 0; i < count; i++)
            rows[i] = first + i;
        images_to_float(train, rows, count, 0.0f, 1.0f, block);
        for (int start = 0; start < nq; start += NN_QUERY_BLOCK) {
            int n = nq - start < NN_QUERY_BLOCK ? nq - start
                                                : NN_QUERY_BLOCK;
            nn_update(q + (size_t)start * P, q_norms + start, n, block,
                      count, first, P, dist + start, index + start);
            tick(progress, done, "nearest training images");
        }
    }
    for (int i = 0; i < nq; i++)
        dist[i] = sqrtf(dist[i]);
    free(rows);
    free(block);
    free(q_norms);
}

/* Chooses sigma on the validation images, then scores the test images
 * under the density of the M samples.   samples: (M, P)
 *   validation: (V, P)   test: (N, P) */
static void parzen_evaluate(const float *samples, int M,
                            const float *validation, int V,
                            const float *test, int N, ParzenResult *out,
                            Progress *progress, long *done)
{
    parzen_sigma_grid(EVAL_SIGMA_MIN, EVAL_SIGMA_MAX, EVAL_SIGMAS,
                      out->sigmas);
    double *ll = xmalloc((size_t)V * EVAL_SIGMAS * sizeof(double));
    parzen_log_likelihood(validation, V, samples, M, P, out->sigmas,
                          EVAL_SIGMAS, ll);                  /* (V, S) */
    out->best = 0;
    for (int k = 0; k < EVAL_SIGMAS; k++) {
        double se;
        parzen_mean(ll, V, EVAL_SIGMAS, k, &out->validation[k], &se);
        if (out->validation[k] > out->validation[out->best])
            out->best = k;
    }
    free(ll);
    tick(progress, done, "Parzen: sigma on the validation images");
    ll = xmalloc((size_t)N * sizeof(double));                /* (N) */
    parzen_log_likelihood(test, N, samples, M, P, &out->sigmas[out->best],
                          1, ll);
    parzen_mean(ll, N, 1, 0, &out->mean, &out->se);
    free(ll);
    tick(progress, done, "Parzen: the test images");
}

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

double eval_median(const float *x, int n)
{
    float *copy = xmalloc((size_t)n * sizeof(float));
    memcpy(copy, x, (size_t)n * sizeof(float));
    qsort(copy, (size_t)n, sizeof(float), compare_floats);
    double m = n % 2 ? copy[n / 2]
                     : 0.5 * ((double)copy[n / 2 - 1] + copy[n / 2]);
    free(copy);
    return m;
}

int eval_real_prepare(EvalReal *real, const Dataset *data,
                      Classifier *clf, int n, uint64_t seed,
                      Progress *progress, long *done, Error *err)
{
    memset(real, 0, sizeof *real);
    const IdxImages *train = &data->train_images;
    const IdxImages *test = &data->test_images;
    if (test->count < n || train->count < n + EVAL_VALIDATION)
        return error_set(err, "%s has %d test and %d training images; "
                         "evaluating %d samples needs %d and %d (use "
                         "--samples)", data->dir, test->count,
                         train->count, n, n, n + EVAL_VALIDATION);
    const int V = EVAL_VALIDATION;
    real->n = n;
    real->data = data;
    real->clf = clf;
    real->test = xmalloc((size_t)n * P * sizeof(float));
    real->validation = xmalloc((size_t)V * P * sizeof(float));
    int *idx = xmalloc((size_t)train->count * sizeof(int));
    index_identity(idx, n);
    images_to_float(test, idx, n, 0.0f, 1.0f, real->test);
    for (int i = 0; i < V; i++)
        idx[i] = train->count - V + i;
    images_to_float(train, idx, V, 0.0f, 1.0f, real->validation);

    /* N training images at random, none from the validation split */
    int pool = train->count - V;
    Rng rng;
    rng_seed(&rng, seed);
    index_identity(idx, pool);
    rng_shuffle(&rng, idx, pool);
    float *subset = xmalloc((size_t)n * P * sizeof(float));  /* (N, P) */
    images_to_float(train, idx, n, 0.0f, 1.0f, subset);
    free(idx);

    fit_features(clf, real->test, n, &real->test_fit);
    Gaussian train_fit;
    fit_features(clf, subset, n, &train_fit);
    if (frechet_distance(&train_fit, &real->test_fit, &real->fcd_floor,
                         err) < 0) {
        gaussian_free(&train_fit);
        free(subset);
        eval_real_free(real);
        return -1;
    }
    gaussian_free(&train_fit);
    real->classes = xmalloc((size_t)n * sizeof(int));
    real->score = classify(clf, real->test, n, real->classes,
                           real->test_counts);
    parzen_evaluate(subset, n, real->validation, V, real->test, n,
                    &real->parzen, progress, done);
    free(subset);
    real->nn_dist = xmalloc((size_t)n * sizeof(float));
    real->nn_index = xmalloc((size_t)n * sizeof(int));
    nearest_training(real->test, n, train, real->nn_dist, real->nn_index,
                     progress, done);
    real->nn_median = eval_median(real->nn_dist, n);
    class_medians(real->nn_dist, real->classes, n, real->nn_class_median);
    return 0;
}

void eval_real_free(EvalReal *real)
{
    free(real->test);
    free(real->validation);
    free(real->nn_dist);
    free(real->nn_index);
    free(real->classes);
    gaussian_free(&real->test_fit);
    memset(real, 0, sizeof *real);
}

void eval_generated(const EvalReal *real, const float *x,
                    EvalResult *res, Progress *progress, long *done)
{
    const int n = real->n;
    memset(res, 0, sizeof *res);
    Gaussian fit;
    Error err;
    fit_features(real->clf, x, n, &fit);
    if (frechet_distance(&fit, &real->test_fit, &res->fcd, &err) < 0)
        fatal("%s", err.msg);
    gaussian_free(&fit);
    res->classes = xmalloc((size_t)n * sizeof(int));
    res->score = classify(real->clf, x, n, res->classes, res->counts);
    res->missing = eval_missing_classes(res->counts, n, real->test_counts,
                                        n, K);
    res->over = eval_over_classes(res->counts, n, real->test_counts, n, K);
    res->class_tv = eval_class_tv(res->counts, n, real->test_counts, n, K);
    parzen_evaluate(x, n, real->validation, EVAL_VALIDATION, real->test, n,
                    &res->parzen, progress, done);
    res->nn_dist = xmalloc((size_t)n * sizeof(float));
    res->nn_index = xmalloc((size_t)n * sizeof(int));
    nearest_training(x, n, &real->data->train_images, res->nn_dist,
                     res->nn_index, progress, done);
    res->nn_median = eval_median(res->nn_dist, n);
    class_medians(res->nn_dist, res->classes, n, res->nn_class_median);
}

void eval_result_free(EvalResult *res)
{
    free(res->nn_dist);
    free(res->nn_index);
    free(res->classes);
    memset(res, 0, sizeof *res);
}
