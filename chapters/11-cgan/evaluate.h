/* evaluate.h - does G draw the class it is asked for? The classifier
 * of chapter 4 judges: for each class k, G draws samples of class k
 * and we count the share the classifier calls k, beside the share of
 * the real test images of class k it calls k. The Frechet distance of
 * the classifier's features (FCD) then asks whether the class-k
 * samples are spread like the real class-k images. */
#ifndef CH11_EVALUATE_H
#define CH11_EVALUATE_H

#include <stdint.h>

#include "classifier.h"
#include "dataset.h"
#include "error.h"
#include "mlp.h"

#include "cgan.h"

typedef struct {
    int per_class;                       /* samples drawn per class */
    double accuracy[CGAN_CLASSES];       /* share of them called k */
    double real_accuracy[CGAN_CLASSES];  /* the same for real test images */
    double fcd[CGAN_CLASSES];      /* FCD of the samples of class k */
    double real_fcd[CGAN_CLASSES]; /* FCD of real training images of
                                      class k: a perfect G's score */
    double class_accuracy;     /* share of all samples called as asked */
    double real_test_accuracy; /* the classifier's test accuracy */
    double mean_fcd, mean_real_fcd; /* means over the classes */
} CganEval;

/* Draws n samples of class k from noise out of rng, mapped from G's
 * [-1, 1] to the classifier's [0, 1].   x: (n, P) */
void cgan_sample_class(CganGenerator g, int k, int n, Rng *rng,
                       float *x);

/* The share of per_class samples of each class that the classifier
 * assigns to that class, into accuracy[K]; returns the share over all
 * of them. The noise comes from `seed` alone, so the same G always
 * gets the same score. */
double cgan_class_accuracy(CganGenerator g, Classifier *clf,
                           int per_class, uint64_t seed,
                           double *accuracy);

/* The classifier's accuracy on the real test images of each class,
 * into accuracy[K]; returns its accuracy over the whole split. */
double cgan_real_accuracy(Classifier *clf, const IdxImages *images,
                          const IdxLabels *labels, double *accuracy);

/* Per class k: the share of per_class samples that the classifier
 * calls k, beside its accuracy on the real test images of class k;
 * the FCD (squared Frechet distance of the classifier's features,
 * common/frechet.h) between those samples and the test images of class
 * k, beside the FCD of the first per_class real training images of
 * class k, the floor a perfect G would reach (FCD is biased upwards by
 * the number of images fitted: compare only at equal counts). Refuses
 * data with fewer than 2 images of a class in a split. */
int cgan_evaluate(CganGenerator g, Classifier *clf, const Dataset *data,
                  int per_class, uint64_t seed, CganEval *ev, Error *err);

/* eval.csv: class,name,accuracy,real_accuracy,fcd,real_fcd;
 * names: (K) */
int cgan_eval_write(const CganEval *ev, const char *const *names,
                    const char *path, Error *err);

/* The same as a table on stdout. */
void cgan_eval_print(const CganEval *ev, const char *const *names);

#endif
