/* evaluate.c - the classifier of chapter 4 as the judge of a
 * conditional generator: per class, the share of samples it assigns
 * to the class asked for, and the Frechet distance of its features. */
#include "evaluate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "frechet.h"
#include "rng.h"

#define K CGAN_CLASSES
#define F CLASSIFIER_FEATURES

void cgan_sample_class(CganGenerator g, int k, int n, Rng *rng,
                       float *x)
{
    float *z = xmalloc((size_t)n * CGAN_Z * sizeof(float)); /* (n, Z) */
    int *labels = xmalloc((size_t)n * sizeof(int));         /* (n) */
    rng_fill_normal(rng, z, (long)n * CGAN_Z, 0.0f, 1.0f);
    for (int i = 0; i < n; i++)
        labels[i] = k;
    cgan_generate(g, z, labels, n, x);
    /* tanh's [-1, 1] to the classifier's [0, 1] */
    for (size_t i = 0; i < (size_t)n * CGAN_PIXELS; i++)
        x[i] = (x[i] + 1.0f) * 0.5f;
    free(z);
    free(labels);
}

static int count_equal(const int *a, int value, int n)
{
    int same = 0;
    for (int i = 0; i < n; i++)
        same += a[i] == value;
    return same;
}

// listing: class-accuracy
double cgan_class_accuracy(CganGenerator g, Classifier *clf,
                           int per_class, uint64_t seed,
                           double *accuracy)
{
    size_t n = (size_t)per_class;
    float *x = xmalloc(n * CGAN_PIXELS * sizeof(float)); /* (n, P) */
    int *said = xmalloc(n * sizeof(int)); /* (n) the classes seen */
    Rng rng;
    rng_seed(&rng, seed);
    long right = 0;
    for (int k = 0; k < K; k++) {
        cgan_sample_class(g, k, per_class, &rng, x);
        classifier_predict(clf, x, per_class, said);
        int hits = count_equal(said, k, per_class);
        accuracy[k] = (double)hits / per_class;
        right += hits;
    }
    free(x);
    free(said);
    return (double)right / ((double)K * per_class);
}
// end-listing: class-accuracy

double cgan_real_accuracy(Classifier *clf, const IdxImages *images,
                          const IdxLabels *labels, double *accuracy)
{
    int n = images->count;
    float *x = xmalloc((size_t)n * CGAN_PIXELS * sizeof(float)); /* (n, P) */
    int *idx = xmalloc((size_t)n * sizeof(int));                 /* (n) */
    int *said = xmalloc((size_t)n * sizeof(int));                /* (n) */
    index_identity(idx, n);
    images_to_float(images, idx, n, CLASSIFIER_PIXEL_LO,
                    CLASSIFIER_PIXEL_HI, x);
    classifier_predict(clf, x, n, said);
    long seen[K] = {0}, right[K] = {0}, all = 0;
    for (int i = 0; i < n; i++) {
        int y = labels->labels[i];
        seen[y]++;
        right[y] += said[i] == y;
        all += said[i] == y;
    }
    for (int k = 0; k < K; k++)
        accuracy[k] = seen[k] ? (double)right[k] / seen[k] : NAN;
    free(x);
    free(idx);
    free(said);
    return n ? (double)all / n : NAN;
}

/* A Gaussian fitted to the classifier's features of n >= 2 images.
 *   x: (n, P) in [0, 1] */
static void fit_features(Classifier *clf, const float *x, int n,
                         Gaussian *fit)
{
    float *features = xmalloc((size_t)n * F * sizeof(float)); /* (n, F) */
    Error err;
    classifier_features(clf, x, n, features);
    if (gaussian_fit(fit, features, n, F, &err) < 0)
        fatal("%s", err.msg);
    free(features);
}

/* The indices of the images of class k, in file order: at most
 * `most`; returns how many.   idx: (most) */
static int class_indices(const IdxLabels *labels, int k, int most,
                         int *idx)
{
    int n = 0;
    for (int i = 0; i < labels->count && n < most; i++)
        if (labels->labels[i] == k)
            idx[n++] = i;
    return n;
}

/* A Gaussian fitted to the features of images idx[0..n), n >= 2.
 *   x: room for (n, P) */
static void fit_real(Classifier *clf, const IdxImages *images,
                     const int *idx, int n, float *x, Gaussian *fit)
{
    images_to_float(images, idx, n, CLASSIFIER_PIXEL_LO,
                    CLASSIFIER_PIXEL_HI, x);
    fit_features(clf, x, n, fit);
}

static double distance(const Gaussian *a, const Gaussian *b)
{
    double d2;
    Error err;
    if (frechet_distance(a, b, &d2, &err) < 0)
        fatal("%s", err.msg);
    return d2;
}

/* Class k's row of the evaluation: per_class samples (noise from rng)
 * classified and compared with the real images of class k. */
static void evaluate_class(CganGenerator g, Classifier *clf,
                           const Dataset *data, int k, int per_class,
                           Rng *rng, CganEval *ev)
{
    const IdxLabels *labels = &data->test_labels;
    int *idx = xmalloc((size_t)labels->count * sizeof(int)); /* (count) */
    int n_test = class_indices(labels, k, labels->count, idx);
    int rows = n_test > per_class ? n_test : per_class;
    float *x = xmalloc((size_t)rows * CGAN_PIXELS * sizeof(float));
    int *said = xmalloc((size_t)per_class * sizeof(int)); /* (n) */
    /* x: (rows, P), the samples, then the real images of class k */
    Gaussian fake, test, train;

    // listing: evaluate-class
    cgan_sample_class(g, k, per_class, rng, x);
    classifier_predict(clf, x, per_class, said);
    int hits = count_equal(said, k, per_class);
    ev->accuracy[k] = (double)hits / per_class;
    fit_features(clf, x, per_class, &fake);
    fit_real(clf, &data->test_images, idx, n_test, x, &test);
    ev->fcd[k] = distance(&fake, &test);
    // end-listing: evaluate-class

    int n_train = class_indices(&data->train_labels, k, per_class, idx);
    fit_real(clf, &data->train_images, idx, n_train, x, &train);
    ev->real_fcd[k] = distance(&train, &test);
    gaussian_free(&fake);
    gaussian_free(&test);
    gaussian_free(&train);
    free(idx);
    free(x);
    free(said);
}

/* Every class needs two real images in each split for its Gaussians. */
static int check_classes(const Dataset *data, Error *err)
{
    const IdxLabels *splits[2] = {&data->train_labels, &data->test_labels};
    const char *names[2] = {"training", "test"};
    for (int s = 0; s < 2; s++) {
        int seen[K] = {0};
        for (int i = 0; i < splits[s]->count; i++)
            seen[splits[s]->labels[i]]++;
        for (int k = 0; k < K; k++)
            if (seen[k] < 2)
                return error_set(err, "%s: the %s images hold %d of "
                                 "class %d; the evaluation fits a "
                                 "Gaussian to each class and needs at "
                                 "least 2", data->dir, names[s], seen[k],
                                 k);
    }
    return 0;
}

int cgan_evaluate(CganGenerator g, Classifier *clf, const Dataset *data,
                  int per_class, uint64_t seed, CganEval *ev, Error *err)
{
    memset(ev, 0, sizeof *ev);
    if (check_classes(data, err) < 0)
        return -1;
    ev->per_class = per_class;
    ev->real_test_accuracy = cgan_real_accuracy(
        clf, &data->test_images, &data->test_labels, ev->real_accuracy);
    Rng rng;
    rng_seed(&rng, seed);
    for (int k = 0; k < K; k++) {
        evaluate_class(g, clf, data, k, per_class, &rng, ev);
        ev->class_accuracy += ev->accuracy[k] / K;
        ev->mean_fcd += ev->fcd[k] / K;
        ev->mean_real_fcd += ev->real_fcd[k] / K;
    }
    return 0;
}

int cgan_eval_write(const CganEval *ev, const char *const *names,
                    const char *path, Error *err)
{
    AtomicFile af;
    if (atomic_open(&af, path, err) < 0)
        return -1;
    fprintf(af.f, "class,name,accuracy,real_accuracy,fcd,real_fcd\n");
    for (int k = 0; k < K; k++)
        fprintf(af.f, "%d,%s,%.6g,%.6g,%.6g,%.6g\n", k, names[k],
                ev->accuracy[k], ev->real_accuracy[k], ev->fcd[k],
                ev->real_fcd[k]);
    return atomic_commit(&af, err);
}

void cgan_eval_print(const CganEval *ev, const char *const *names)
{
    printf("%-16s %-19s %s\n", "", "classified as asked",
           "FCD to test images");
    printf("%-3s %-12s %9s %9s %9s %9s\n", "k", "class", "generated",
           "real", "generated", "real");
    for (int k = 0; k < K; k++)
        printf("%-3d %-12s %9.3f %9.3f %9.2f %9.2f\n", k, names[k],
               ev->accuracy[k], ev->real_accuracy[k], ev->fcd[k],
               ev->real_fcd[k]);
    printf("%-16s %9.3f %9.3f %9.2f %9.2f\n", "all", ev->class_accuracy,
           ev->real_test_accuracy, ev->mean_fcd, ev->mean_real_fcd);
}

