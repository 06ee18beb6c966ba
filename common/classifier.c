#include "classifier.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "activations.h"
#include "ckpt.h"

/* The layer whose output is the features: the last hidden one. */
#define FEATURE_LAYER (CLASSIFIER_LAYERS - 2)

// listing: architecture
/* D = 784 -> H = 256 -> F = 128 -> K = 10 */
const int classifier_sizes[CLASSIFIER_LAYERS + 1] = {
    CLASSIFIER_INPUT, CLASSIFIER_HIDDEN, CLASSIFIER_FEATURES,
    CLASSIFIER_CLASSES};

void classifier_init(Classifier *c, int max_batch, Rng *rng)
{
    mlp_init(&c->net, CLASSIFIER_LAYERS, classifier_sizes, ACT_RELU,
             ACT_NONE, INIT_HE, max_batch, rng);
}
// end-listing: architecture

void classifier_free(Classifier *c) { mlp_free(&c->net); }

int classifier_save(Classifier *c, const char *path, Error *err)
{
    Param params[2 * MLP_MAX_LAYERS];
    int n = mlp_params(&c->net, CLASSIFIER_PREFIX, params);
    int32_t arch[CLASSIFIER_LAYERS + 1];
    for (int l = 0; l <= CLASSIFIER_LAYERS; l++)
        arch[l] = c->net.sizes[l];
    Ckpt ck;
    ckpt_init(&ck, CLASSIFIER_KIND);
    ckpt_add(&ck, CLASSIFIER_ARCH_TENSOR, CKPT_I32, arch, 1,
             (uint64_t[]){CLASSIFIER_LAYERS + 1});
    ckpt_add_params(&ck, params, n);
    int rc = ckpt_save(&ck, path, err);
    ckpt_free(&ck);
    return rc;
}

/* "784-256-128-10" from n widths. */
static void format_arch(char *buf, size_t cap, const int *widths, int n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < cap; i++) {
        int k = snprintf(buf + used, cap - used, i ? "-%d" : "%d",
                         widths[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

/* Compares the checkpoint's "arch" with this program's architecture. */
static int check_arch(const Ckpt *ck, const char *path, Error *err)
{
    const CkptTensor *t = ckpt_find(ck, CLASSIFIER_ARCH_TENSOR);
    if (!t)
        return error_set(err, "%s has no tensor %s: it was not written "
                         "by classifier_save", path,
                         CLASSIFIER_ARCH_TENSOR);
    if (t->type != CKPT_I32 || t->ndim != 1 || t->dims[0] < 2 ||
        t->dims[0] > MLP_MAX_LAYERS + 1)
        return error_set(err, "%s: tensor %s is not a list of layer "
                         "widths", path, CLASSIFIER_ARCH_TENSOR);
    int n = (int)t->dims[0];
    int have[MLP_MAX_LAYERS + 1];
    for (int i = 0; i < n; i++) {
        int32_t w; /* the tensor's bytes may be unaligned */
        memcpy(&w, (const char *)t->data + (size_t)i * sizeof w, sizeof w);
        have[i] = (int)w;
    }
    bool same = n == CLASSIFIER_LAYERS + 1;
    for (int i = 0; same && i < n; i++)
        same = have[i] == classifier_sizes[i];
    if (!same) {
        char have_s[128], want_s[128];
        format_arch(have_s, sizeof have_s, have, n);
        format_arch(want_s, sizeof want_s, classifier_sizes,
                    CLASSIFIER_LAYERS + 1);
        return error_set(err, "%s holds a classifier of widths %s; this "
                         "program's classifier is %s\n"
                         "HINT: retrain it with build/bin/04-classifier",
                         path, have_s, want_s);
    }
    return 0;
}

int classifier_load(Classifier *c, const char *path, int max_batch,
                    Error *err)
{
    memset(c, 0, sizeof *c);
    Ckpt ck;
    if (ckpt_load(&ck, path, CLASSIFIER_KIND, err) < 0)
        return -1;
    int rc = check_arch(&ck, path, err);
    if (rc == 0) {
        /* the weights are overwritten next, so any seed will do */
        Rng rng;
        rng_seed(&rng, 0);
        classifier_init(c, max_batch, &rng);
        Param params[2 * MLP_MAX_LAYERS];
        int n = mlp_params(&c->net, CLASSIFIER_PREFIX, params);
        rc = ckpt_read_params(&ck, params, n, err);
        if (rc < 0)
            classifier_free(c);
    }
    ckpt_free(&ck);
    return rc;
}

const float *classifier_logits(Classifier *c, const float *x, int n)
{
    return mlp_forward(&c->net, x, n);
}

void classifier_predict(Classifier *c, const float *x, int n,
                        int *classes)
{
    const int K = CLASSIFIER_CLASSES;
    for (int start = 0; start < n; start += c->net.max_batch) {
        int rows = n - start < c->net.max_batch ? n - start
                                                : c->net.max_batch;
        const float *logits = mlp_forward(
            &c->net, x + (size_t)start * CLASSIFIER_INPUT, rows);
        for (int i = 0; i < rows; i++) {
            const float *row = logits + (size_t)i * K;
            int best = 0;
            for (int k = 1; k < K; k++)
                if (row[k] > row[best])
                    best = k;
            classes[start + i] = best;
        }
    }
}

void classifier_probs(Classifier *c, const float *x, int n, float *probs)
{
    const int K = CLASSIFIER_CLASSES;
    for (int start = 0; start < n; start += c->net.max_batch) {
        int rows = n - start < c->net.max_batch ? n - start
                                                : c->net.max_batch;
        const float *logits = mlp_forward(
            &c->net, x + (size_t)start * CLASSIFIER_INPUT, rows);
        softmax_forward(logits, probs + (size_t)start * K, rows, K);
    }
}

// listing: features
void classifier_features(Classifier *c, const float *x, int n,
                         float *features)
{
    const int F = CLASSIFIER_FEATURES;
    for (int start = 0; start < n; start += c->net.max_batch) {
        int rows = n - start < c->net.max_batch ? n - start
                                                : c->net.max_batch;
        const float *x_rows = x + (size_t)start * CLASSIFIER_INPUT;
        mlp_forward(&c->net, x_rows, rows);
        memcpy(features + (size_t)start * F,
               mlp_layer_output(&c->net, FEATURE_LAYER),
               (size_t)rows * F * sizeof(float));
    }
}
// end-listing: features
