/* train.h - chapter 4: training a softmax classifier on mini-batches,
 * and scoring it on a whole split.
 *
 * The network is common/classifier.h's; this file is what chapter 4
 * teaches: the shuffled epoch, the training step, and the evaluation
 * that fills the learning curves and the confusion matrix.
 */
#ifndef CH04_TRAIN_H
#define CH04_TRAIN_H

#include "classifier.h"
#include "idx.h"
#include "optim.h"
#include "progress.h"
#include "rng.h"

/* The first `count` images of a split and their labels. */
typedef struct {
    const IdxImages *images;
    const IdxLabels *labels;
    int count;
} Split;

/* Buffers for one training batch, allocated once. */
typedef struct {
    int batch;      /* N */
    int *order;     /* (count): the epoch's shuffled row numbers */
    float *x;       /* (N, D) pixels in [0, 1] */
    int *y;         /* (N) labels */
    float *dlogits; /* (N, K) dL/dlogits */
} TrainBuffers;

typedef struct {
    double loss;     /* mean cross-entropy */
    double accuracy; /* fraction classified right */
} Score;

void clf_buffers_init(TrainBuffers *b, int batch, int count);
void clf_buffers_free(TrainBuffers *b);

/* One step of gradient descent on rows idx[0..n) of the split;
 * returns the batch's mean loss before the step. */
float clf_train_step(Classifier *c, Optim *opt, const Split *s,
                     const int *idx, int n, TrainBuffers *b);

/* One pass over the split in a new random order: count / N steps of
 * N rows, then one smaller step for the rows left over. *step counts
 * the steps of the whole run, for the progress line. */
void clf_train_epoch(Classifier *c, Optim *opt, const Split *s,
                     TrainBuffers *b, Rng *rng, Progress *progress,
                     long *step);

#define CLF_MOMENTUM 0.9f /* mu of SGD with momentum */

/* "sgd", "momentum" or "adam" -> kind; -1 for any other name. */
int clf_optim_parse(const char *name, OptimKind *kind);

/* The usual learning rate of each: 0.1, 0.01 and 0.001. */
float clf_optim_default_lr(OptimKind kind);

/* An optimiser of this kind over params[0..n), with the constants of
 * optim.h (Adam) and CLF_MOMENTUM. */
void clf_optim_init(Optim *o, OptimKind kind, float lr,
                    const Param *params, int n);

/* The learning rate of epoch 1..epochs: it falls in a straight line
 * from lr in the first epoch to lr / epochs in the last. */
float clf_learning_rate(float lr, int epoch, int epochs);

/* Steps in one epoch of count rows in batches of N. */
long clf_epoch_steps(int count, int batch);

/* Loss and accuracy over the whole split. When predicted and loss_each
 * are not NULL they get each image's predicted class and its own loss
 * -log p(true class).   predicted, loss_each: (count) */
Score clf_evaluate(Classifier *c, const Split *s, int *predicted,
                   float *loss_each);

#endif
