/* evaluate.h - every number of chapter 9 for one set of generated
 * images, against what the real images score.
 *
 * The real side is computed once (eval_real_prepare) and shared by
 * every checkpoint evaluated:
 *   - N test images: their classifier features (fitted by a Gaussian),
 *     their class histogram and classifier score;
 *   - N training images, drawn at random outside the validation split:
 *     the floor of the FCD (training against test) and the Parzen
 *     log-likelihood of the test images under a density built from
 *     real images;
 *   - the last EVAL_VALIDATION training images: the validation split on
 *     which each Parzen sigma is chosen;
 *   - the distance from each test image to its nearest training image.
 * Pixels are in [0, 1] throughout.
 */
#ifndef CH09_EVALUATE_H
#define CH09_EVALUATE_H

#include <stdint.h>

#include "classifier.h"
#include "dataset.h"
#include "frechet.h"
#include "progress.h"

#define EVAL_PIXELS CLASSIFIER_INPUT      /* P = 784 */
#define EVAL_CLASSES CLASSIFIER_CLASSES   /* K */
#define EVAL_VALIDATION 1000   /* last training images, to choose sigma */
#define EVAL_SIGMAS 14         /* Parzen widths tried ... */
#define EVAL_SIGMA_MIN 0.05    /* ... from here ... */
#define EVAL_SIGMA_MAX 1.0     /* ... to here, evenly in log(sigma) */

typedef struct {
    double sigmas[EVAL_SIGMAS];
    double validation[EVAL_SIGMAS]; /* mean log-likelihood per sigma */
    int best;                       /* index of the chosen sigma */
    double mean, se;                /* on the test images, at sigmas[best] */
} ParzenResult;

typedef struct {
    int n;                   /* N: test images; samples per generator */
    const Dataset *data;
    Classifier *clf;
    float *test;             /* (N, P) the first N test images */
    float *validation;       /* (V, P) the last V training images */
    Gaussian test_fit;       /* of the test images' features */
    int *classes;            /* (N) the class the classifier sees */
    int test_counts[EVAL_CLASSES]; /* classes seen in the test images */
    double score;            /* classifier score of the test images */
    double fcd_floor;        /* FCD of N training images to the test */
    ParzenResult parzen;     /* test under N training images */
    float *nn_dist;          /* (N) test image to nearest training one */
    int *nn_index;           /* (N) which training image that is */
    double nn_median;
    double nn_class_median[EVAL_CLASSES]; /* the same, per class seen */
} EvalReal;

typedef struct {
    double fcd, score, class_tv;
    int *classes;               /* (N) the class the classifier sees */
    int counts[EVAL_CLASSES];   /* classes seen in the samples */
    int missing, over;          /* classes missing, over-represented */
    ParzenResult parzen;        /* test images under the samples */
    float *nn_dist;             /* (N) sample to nearest training image */
    int *nn_index;              /* (N) */
    double nn_median;
    double nn_class_median[EVAL_CLASSES]; /* per class seen; NAN: none */
} EvalResult;

/* Work units one eval_real_prepare or eval_generated of n images
 * reports to a progress line: the blocks of the nearest-neighbour
 * search, and the two halves of the Parzen estimate. */
long eval_work_units(const Dataset *data, int n);

/* Computes the real side for N images. Returns -1 with err set when
 * the data has fewer than N test images or N + EVAL_VALIDATION
 * training images. progress may be NULL; *done counts work units. */
int eval_real_prepare(EvalReal *real, const Dataset *data,
                      Classifier *clf, int n, uint64_t seed,
                      Progress *progress, long *done, Error *err);
void eval_real_free(EvalReal *real);

/* Every number for N generated images.   x: (N, P) in [0, 1] */
void eval_generated(const EvalReal *real, const float *x,
                    EvalResult *res, Progress *progress, long *done);
void eval_result_free(EvalResult *res);

/* The median of n values (x is not changed). */
double eval_median(const float *x, int n);

#endif
