/* train.c - mini-batch training and evaluation of the classifier.
 *
 * Adds over chapter 3: a real dataset, a softmax output over ten
 * classes, shuffled mini-batches, and a held-out test set.
 * Leaves out on purpose: how the optimisers work and why He's
 * initialisation (chapter 5 derives and compares them), and
 * convolution (chapter 12).
 * Build and run: make run-04-classifier; test: make check
 * SUITE=04-classifier
 */
#include "train.h"

#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "error.h"
#include "losses.h"

/* Each optimiser's usual first learning rate. */
#define SGD_LR 0.1f
#define MOMENTUM_LR 0.01f
#define ADAM_LR 0.001f

void clf_buffers_init(TrainBuffers *b, int batch, int count)
{
    b->batch = batch;
    b->order = xmalloc((size_t)count * sizeof(int));
    index_identity(b->order, count);
    b->x = xmalloc((size_t)batch * CLASSIFIER_INPUT * sizeof(float));
    b->y = xmalloc((size_t)batch * sizeof(int));
    b->dlogits = xmalloc((size_t)batch * CLASSIFIER_CLASSES *
                         sizeof(float));
}

void clf_buffers_free(TrainBuffers *b)
{
    free(b->order);
    free(b->x);
    free(b->y);
    free(b->dlogits);
}

// listing: train-step
float clf_train_step(Classifier *c, Optim *opt, const Split *s,
                     const int *idx, int n, TrainBuffers *b)
{
    images_to_float(s->images, idx, n, CLASSIFIER_PIXEL_LO,
                    CLASSIFIER_PIXEL_HI, b->x);
    labels_gather(s->labels, idx, n, b->y);
    mlp_zero_grad(&c->net);
    const float *logits = classifier_logits(c, b->x, n); /* (n, K) */
    float loss = softmax_xent_loss(logits, b->y, n,
                                   CLASSIFIER_CLASSES, b->dlogits);
    mlp_backward(&c->net, b->dlogits, NULL, n, GRAD_ACCUMULATE);
    optim_step(opt);
    return loss;
}
// end-listing: train-step

int clf_optim_parse(const char *name, OptimKind *kind)
{
    static const char *const names[] = {"sgd", "momentum", "adam"};
    static const OptimKind kinds[] = {OPTIM_SGD, OPTIM_MOMENTUM,
                                      OPTIM_ADAM};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *kind = kinds[i];
            return 0;
        }
    return -1;
}

float clf_optim_default_lr(OptimKind kind)
{
    switch (kind) {
    case OPTIM_SGD:
        return SGD_LR;
    case OPTIM_MOMENTUM:
        return MOMENTUM_LR;
    case OPTIM_ADAM:
        break;
    }
    return ADAM_LR;
}

void clf_optim_init(Optim *o, OptimKind kind, float lr,
                    const Param *params, int n)
{
    switch (kind) {
    case OPTIM_SGD:
        optim_init_sgd(o, params, n, lr);
        break;
    case OPTIM_MOMENTUM:
        optim_init_momentum(o, params, n, lr, CLF_MOMENTUM);
        break;
    case OPTIM_ADAM:
        optim_init_adam(o, params, n, lr, ADAM_BETA1, ADAM_BETA2,
                        ADAM_EPS);
        break;
    }
}

// listing: schedule
float clf_learning_rate(float lr, int epoch, int epochs)
{
    return lr * (float)(epochs - epoch + 1) / (float)epochs;
}
// end-listing: schedule

long clf_epoch_steps(int count, int batch)
{
    return (count + batch - 1) / batch;
}

// listing: train-epoch
void clf_train_epoch(Classifier *c, Optim *opt, const Split *s,
                     TrainBuffers *b, Rng *rng, Progress *progress,
                     long *step)
{
    rng_shuffle(rng, b->order, s->count);
    for (int start = 0; start < s->count; start += b->batch) {
        int n = s->count - start < b->batch ? s->count - start
                                            : b->batch;
        float loss = clf_train_step(c, opt, s, b->order + start, n, b);
        ++*step;
        progress_update(progress, *step, "batch loss=%.4f", loss);
    }
}
// end-listing: train-epoch

// listing: evaluate
Score clf_evaluate(Classifier *c, const Split *s, int *predicted,
                   float *loss_each)
{
    const int K = CLASSIFIER_CLASSES, chunk = c->net.max_batch;
    float *x = xmalloc((size_t)chunk * CLASSIFIER_INPUT *
                       sizeof(float));         /* (chunk, D) */
    int *idx = xmalloc((size_t)chunk * sizeof(int)); /* (chunk) */
    int *y = xmalloc((size_t)chunk * sizeof(int));   /* (chunk) */
    double loss_sum = 0.0;
    long right = 0;
    for (int start = 0; start < s->count; start += chunk) {
        int n = s->count - start < chunk ? s->count - start : chunk;
        for (int i = 0; i < n; i++)
            idx[i] = start + i;
        images_to_float(s->images, idx, n, CLASSIFIER_PIXEL_LO,
                        CLASSIFIER_PIXEL_HI, x);
        labels_gather(s->labels, idx, n, y);
        const float *logits = classifier_logits(c, x, n);
        for (int i = 0; i < n; i++) {
            const float *row = logits + (size_t)i * K; /* (K) */
            float loss = softmax_xent_loss(row, &y[i], 1, K, NULL);
            int best = 0;
            for (int k = 1; k < K; k++)
                if (row[k] > row[best])
                    best = k;
            loss_sum += loss;
            right += best == y[i];
            if (predicted)
                predicted[start + i] = best;
            if (loss_each)
                loss_each[start + i] = loss;
        }
    }
    free(x);
    free(idx);
    free(y);
    return (Score){loss_sum / s->count, (double)right / s->count};
}
// end-listing: evaluate
