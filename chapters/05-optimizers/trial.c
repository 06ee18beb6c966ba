/* trial.c - a short, reproducible training run of the chapter-4
 * classifier, for comparing optimisers and initialisations.
 *
 * Adds over chapter 4: the optimiser and the initial weights become
 * the things under study, measured on a fixed set of training images.
 * Leaves out on purpose: learning-rate schedules and tuning each
 * optimiser's learning rate (see the chapter's exercises).
 * Build and run: make run-05-optimizers; test: make check
 * SUITE=05-optimizers
 */
#include "trial.h"

#include <math.h>
#include <stdlib.h>

#include "classifier.h"
#include "dataset.h"
#include "error.h"
#include "losses.h"
#include "mlp.h"

#define PROBE_CHUNK 1000  /* rows per forward pass when measuring */
#define DATA_SEED_SALT 1  /* the batch order's generator: seed + 1 */
#define TRACE_LAYER (CLASSIFIER_LAYERS - 1)

int trial_log_points(const TrialBudget *b)
{
    return (int)((b->steps + b->log_every - 1) / b->log_every) + 1;
}

long trial_log_step(const TrialBudget *b, int point)
{
    long s = (long)point * b->log_every;
    return s < b->steps ? s : b->steps;
}

/* Mean loss over images [0, count) of a split. *right, when not NULL,
 * gets how many are classified right. */
static double split_loss(Mlp *net, const IdxImages *im,
                         const IdxLabels *lb, int count, float *x,
                         int *idx, int *y, long *right)
{
    const int K = CLASSIFIER_CLASSES;
    double sum = 0.0;
    long ok = 0;
    for (int start = 0; start < count; start += PROBE_CHUNK) {
        int n = count - start < PROBE_CHUNK ? count - start
                                            : PROBE_CHUNK;
        for (int i = 0; i < n; i++)
            idx[i] = start + i;
        images_to_float(im, idx, n, CLASSIFIER_PIXEL_LO,
                        CLASSIFIER_PIXEL_HI, x);
        labels_gather(lb, idx, n, y);
        const float *logits = mlp_forward(net, x, n); /* (n, K) */
        sum += (double)softmax_xent_loss(logits, y, n, K, NULL) * n;
        for (int i = 0; i < n; i++) {
            const float *row = logits + (size_t)i * K;
            int best = 0;
            for (int k = 1; k < K; k++)
                if (row[k] > row[best])
                    best = k;
            ok += best == y[i];
        }
    }
    if (right)
        *right = ok;
    return sum / count;
}

/* Records what optim_step just did to weight 0 of param p. */
static void trace_adam(const Optim *o, int p, float before,
                       AdamTrace *t)
{
    double m = o->m[p][0], v = o->v[p][0];
    double bc1 = 1.0 - pow(o->beta1, (double)o->t);
    double bc2 = 1.0 - pow(o->beta2, (double)o->t);
    *t = (AdamTrace){
        .g = o->params[p].grad[0], .m = m, .v = v,
        .m_hat = m / bc1, .v_hat = v / bc2,
        .step = (double)o->params[p].value[0] - before,
        .uncorrected = -o->lr * m / (sqrt(v) + o->eps)};
}

static void optim_for(Optim *o, const TrialSpec *spec,
                      const Param *params, int n)
{
    switch (spec->optim) {
    case OPTIM_SGD:
        optim_init_sgd(o, params, n, spec->lr);
        break;
    case OPTIM_MOMENTUM:
        optim_init_momentum(o, params, n, spec->lr, TRIAL_MOMENTUM);
        break;
    case OPTIM_ADAM:
        optim_init_adam(o, params, n, spec->lr, ADAM_BETA1, ADAM_BETA2,
                        ADAM_EPS);
        break;
    }
}

int trial_run(const TrialSpec *spec, const TrialData *data,
              const TrialBudget *b, float *losses, AdamTrace *trace,
              Progress *progress, long *done, TrialResult *result)
{
    const int K = CLASSIFIER_CLASSES, N = b->batch;
    int rows = N > PROBE_CHUNK ? N : PROBE_CHUNK;
    Rng init_rng, data_rng;
    rng_seed(&init_rng, b->seed);
    rng_seed(&data_rng, b->seed + DATA_SEED_SALT);
    Mlp net;
    mlp_init(&net, CLASSIFIER_LAYERS, classifier_sizes, ACT_RELU,
             ACT_NONE, spec->init, rows, &init_rng);
    Param params[2 * MLP_MAX_LAYERS];
    int nparams = mlp_params(&net, "net", params);
    Optim opt;
    optim_for(&opt, spec, params, nparams);
    int trace_param = 2 * TRACE_LAYER + 1; /* the output layer's b */

    float *x = xmalloc((size_t)rows * CLASSIFIER_INPUT *
                       sizeof(float));         /* (rows, D) */
    int *y = xmalloc((size_t)rows * sizeof(int)); /* (rows) */
    int *idx = xmalloc((size_t)rows * sizeof(int)); /* (rows) */
    float *dlogits = xmalloc((size_t)N * K * sizeof(float)); /* (N, K) */
    int *order = xmalloc((size_t)data->train_count *
                         sizeof(int)); /* (train_count) */
    index_identity(order, data->train_count);
    int pos = data->train_count; /* shuffle before the first batch */
    int point = 0, rc = 0;

    losses[point++] = (float)split_loss(&net, data->train_images,
                                        data->train_labels,
                                        data->probe_count, x, idx, y,
                                        NULL);
    for (long step = 1; step <= b->steps && rc == 0; step++) {
        if (pos + N > data->train_count) {
            rng_shuffle(&data_rng, order, data->train_count);
            pos = 0;
        }
        float before = params[trace_param].value[0];
        // listing: trial-step
        images_to_float(data->train_images, order + pos, N,
                        CLASSIFIER_PIXEL_LO, CLASSIFIER_PIXEL_HI, x);
        labels_gather(data->train_labels, order + pos, N, y);
        pos += N;
        mlp_zero_grad(&net);
        const float *logits = mlp_forward(&net, x, N);
        softmax_xent_loss(logits, y, N, K, dlogits);
        mlp_backward(&net, dlogits, NULL, N, GRAD_ACCUMULATE);
        optim_step(&opt);
        // end-listing: trial-step
        if (trace && spec->optim == OPTIM_ADAM &&
            step <= TRIAL_TRACE_STEPS)
            trace_adam(&opt, trace_param, before, &trace[step - 1]);
        if (step % b->log_every == 0 || step == b->steps) {
            double loss = split_loss(&net, data->train_images,
                                     data->train_labels,
                                     data->probe_count, x, idx, y, NULL);
            losses[point++] = (float)loss;
            if (!isfinite(loss))
                rc = -1;
        }
        ++*done;
        progress_update(progress, *done, "%s loss=%.4f", spec->name,
                        (double)losses[point - 1]);
    }
    long right = 0;
    result->final_loss = losses[point - 1];
    result->test_loss = split_loss(&net, data->test_images,
                                   data->test_labels,
                                   data->test_images->count, x, idx, y,
                                   &right);
    result->test_accuracy = (double)right / data->test_images->count;
    free(x);
    free(y);
    free(idx);
    free(dlogits);
    free(order);
    optim_free(&opt);
    mlp_free(&net);
    return rc;
}
