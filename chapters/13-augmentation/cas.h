/* cas.h - the Classification Accuracy Score of Ravuri and Vinyals
 * (2019): a classifier trained on generated images only, tested on the
 * real test images, beside the same classifier trained on as many real
 * ones. */
#ifndef CH13_CAS_H
#define CH13_CAS_H

#include <stdint.h>

#include "dataset.h"
#include "error.h"

#include "judge.h"

typedef struct {
    int images;        /* training images of each kind */
    AugScore real;      /* trained on the real training split */
    AugScore generated; /* trained on as many generated images */
} AugCas;

/* Loads chapter 11's generator from `from`, draws as many images of
 * each class as the training split of ds holds per class on average,
 * and scores both classifiers (the same seed for both) with a budget
 * of clf_steps steps. Returns -1 with err when the checkpoint cannot
 * be used. */
int aug_cas_run(const char *from, const Dataset *ds, long clf_steps,
                uint64_t seed, AugCas *cas, Error *err);

/* cas.csv: per class, the two accuracies. */
int aug_cas_write(const AugCas *cas, const char *const *names,
                  const char *path, Error *err);

#endif
