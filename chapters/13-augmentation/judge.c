/* judge.c - the same classifier, the same recipe, only the training
 * set changes.
 *
 * Every cell of the experiment is scored by this one function, so a
 * difference between two cells is a difference in their training sets.
 * The budget is in steps: 100 images would otherwise get a hundredth
 * of the gradient steps of 10,000.
 */
#include "judge.h"

#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "error.h"
#include "optim.h"
#include "progress.h"
#include "rng.h"

#define EVAL_BATCH 1000 /* rows per forward pass when scoring */

void aug_set_build(AugSet *set, const Dataset *ds, const int *rows,
                   int count, const AugSet *extra)
{
    int more = extra ? extra->images.count : 0, total = count + more;
    size_t P = (size_t)DATASET_SIDE * DATASET_SIDE;
    set->images = (IdxImages){total, DATASET_SIDE, DATASET_SIDE,
                              xmalloc((size_t)total * P)};
    set->labels = (IdxLabels){total, xmalloc((size_t)total)};
    for (int i = 0; i < count; i++) {
        memcpy(set->images.pixels + (size_t)i * P,
               ds->train_images.pixels + (size_t)rows[i] * P, P);
        set->labels.labels[i] = ds->train_labels.labels[rows[i]];
    }
    if (more) {
        memcpy(set->images.pixels + (size_t)count * P,
               extra->images.pixels, (size_t)more * P);
        memcpy(set->labels.labels + count, extra->labels.labels,
               (size_t)more);
    }
}

void aug_set_free(AugSet *set)
{
    idx_free_images(&set->images);
    idx_free_labels(&set->labels);
}

int aug_judge_epochs(int count, long steps)
{
    long per_epoch = clf_epoch_steps(count, AUG_CLF_BATCH);
    long epochs = (steps + per_epoch / 2) / per_epoch;
    return epochs < 1 ? 1 : (int)epochs;
}

// listing: judge
AugScore aug_judge(const AugSet *set, long steps, uint64_t seed,
                   const Dataset *ds)
{
    AugScore sc = {.epochs = aug_judge_epochs(set->images.count, steps)};
    Rng rng;
    rng_seed(&rng, seed);
    Classifier clf;
    classifier_init(&clf, EVAL_BATCH, &rng);
    Param params[2 * MLP_MAX_LAYERS];
    int np = mlp_params(&clf.net, CLASSIFIER_PREFIX, params);
    Optim opt;
    float lr = clf_optim_default_lr(OPTIM_ADAM);
    clf_optim_init(&opt, OPTIM_ADAM, lr, params, np);
    Split train = {&set->images, &set->labels, set->images.count};
    TrainBuffers buf;
    clf_buffers_init(&buf, AUG_CLF_BATCH, train.count);
    Progress quiet;
    progress_init(&quiet, 0, 0, true);
    long step = 0;
    for (int epoch = 1; epoch <= sc.epochs; epoch++) {
        opt.lr = clf_learning_rate(lr, epoch, sc.epochs);
        clf_train_epoch(&clf, &opt, &train, &buf, &rng, &quiet, &step);
    }
    sc.steps = (int)step;

    Split test = {&ds->test_images, &ds->test_labels,
                  ds->test_images.count};
    int *guess = xmalloc((size_t)test.count * sizeof(int)); /* (count) */
    sc.accuracy = clf_evaluate(&clf, &test, guess, NULL).accuracy;
    long right[DATASET_CLASSES] = {0}, seen[DATASET_CLASSES] = {0};
    for (int i = 0; i < test.count; i++) {
        int k = test.labels->labels[i];
        seen[k]++;
        right[k] += guess[i] == k;
    }
    for (int k = 0; k < DATASET_CLASSES; k++)
        sc.per_class[k] = seen[k] ? (double)right[k] / seen[k] : 0.0;
    free(guess);
    clf_buffers_free(&buf);
    optim_free(&opt);
    classifier_free(&clf);
    return sc;
}
// end-listing: judge
