/* judge.h - chapter 4's classifier trained on a given training set for
 * a fixed number of steps, scored on the real test images, overall and
 * per class; and the training sets it is given: real images, generated
 * ones, or both. */
#ifndef CH13_JUDGE_H
#define CH13_JUDGE_H

#include <stdint.h>

#include "dataset.h"
#include "idx.h"

#include "../04-classifier/train.h"

#define AUG_CLF_BATCH 64 /* chapter 4's batch */

typedef struct {
    double accuracy;                  /* on the whole test split */
    double per_class[DATASET_CLASSES]; /* on the test images of each */
    int epochs, steps;                /* what the budget became */
} AugScore;

/* An in-memory training set (images and labels allocated). */
typedef struct {
    IdxImages images;
    IdxLabels labels;
} AugSet;

/* The real rows[0..count) of ds's training split followed by every
 * image of `extra` (NULL: none), copied into one set. */
void aug_set_build(AugSet *set, const Dataset *ds, const int *rows,
                   int count, const AugSet *extra);
void aug_set_free(AugSet *set);

/* Trains a fresh classifier (weights and batch order from `seed`) on
 * the set with chapter 4's recipe: Adam at lr 1e-3, falling in a
 * straight line over the epochs, batches of AUG_CLF_BATCH. It runs as
 * many whole epochs as come closest to `steps` steps (at least one),
 * so that every training set gets about the same number of steps
 * whatever its size. Then scores it on ds's test split. */
AugScore aug_judge(const AugSet *set, long steps, uint64_t seed,
                   const Dataset *ds);

/* The epochs of `count` images that come closest to `steps` steps. */
int aug_judge_epochs(int count, long steps);

#endif
