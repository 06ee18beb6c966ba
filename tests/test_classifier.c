/* test_classifier.c - the evaluator later chapters load: it survives a
 * save and a load bit for bit, predicts the same classes after, gives
 * the penultimate layer as its features, and refuses checkpoints of
 * another kind or another architecture with a message naming the
 * file. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "classifier.h"
#include "helpers.h"
#include "activations.h"

#define ROWS 37      /* more than one chunk of MAX_ROWS */
#define MAX_ROWS 16
#define SEED 11

SCRATCH_FIXTURE

/* Pixels in [0, 1], like images_to_float gives.   x: (n, D) */
static float *random_images(int n, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    float *x = xmalloc((size_t)n * CLASSIFIER_INPUT * sizeof(float));
    for (long i = 0; i < (long)n * CLASSIFIER_INPUT; i++)
        x[i] = rng_uniform(&rng);
    return x;
}

static void fresh(Classifier *c, int max_batch)
{
    Rng rng;
    rng_seed(&rng, SEED);
    classifier_init(c, max_batch, &rng);
}

static void test_round_trip_bit_exact(void)
{
    Classifier a, b;
    fresh(&a, MAX_ROWS);
    char *path = scratch_path(dir, "round-trip.ckpt");
    Error err;
    CU_ASSERT_EQUAL_FATAL(classifier_save(&a, path, &err), 0);
    CU_ASSERT_EQUAL_FATAL(classifier_load(&b, path, MAX_ROWS, &err), 0);
    CU_ASSERT_EQUAL(b.net.nlayers, CLASSIFIER_LAYERS);
    for (int l = 0; l < CLASSIFIER_LAYERS; l++) {
        const Dense *x = &a.net.layers[l], *y = &b.net.layers[l];
        CU_ASSERT_EQUAL_FATAL(x->in, y->in);
        CU_ASSERT_EQUAL_FATAL(x->out, y->out);
        CU_ASSERT_EQUAL(memcmp(x->W, y->W, (size_t)x->in * x->out *
                               sizeof(float)), 0);
        CU_ASSERT_EQUAL(memcmp(x->b, y->b, (size_t)x->out *
                               sizeof(float)), 0);
    }
    classifier_free(&a);
    classifier_free(&b);
    free(path);
}

static void test_predictions_identical_after_reload(void)
{
    Classifier a, b;
    fresh(&a, MAX_ROWS);
    char *path = scratch_path(dir, "reload.ckpt");
    Error err;
    CU_ASSERT_EQUAL_FATAL(classifier_save(&a, path, &err), 0);
    /* another batch size: the weights, not the buffers, decide */
    CU_ASSERT_EQUAL_FATAL(classifier_load(&b, path, MAX_ROWS + 5, &err),
                          0);
    float *x = random_images(ROWS, 3);
    int ca[ROWS], cb[ROWS];
    classifier_predict(&a, x, ROWS, ca);
    classifier_predict(&b, x, ROWS, cb);
    CU_ASSERT_EQUAL(memcmp(ca, cb, sizeof ca), 0);
    float *fa = xmalloc(ROWS * CLASSIFIER_FEATURES * sizeof(float));
    float *fb = xmalloc(ROWS * CLASSIFIER_FEATURES * sizeof(float));
    classifier_features(&a, x, ROWS, fa);
    classifier_features(&b, x, ROWS, fb);
    CU_ASSERT_TRUE(rel_error(fa, fb, ROWS * CLASSIFIER_FEATURES) < 1e-6);
    free(fa);
    free(fb);
    free(x);
    classifier_free(&a);
    classifier_free(&b);
    free(path);
}

/* The features are what the last layer reads: logits = f W3 + b3. The
 * classes are the argmax of the logits, and probs sum to 1. */
static void test_features_probs_and_classes_agree(void)
{
    const int K = CLASSIFIER_CLASSES, F = CLASSIFIER_FEATURES;
    Classifier c;
    fresh(&c, MAX_ROWS);
    float *x = random_images(ROWS, 4);
    float *f = xmalloc((size_t)ROWS * F * sizeof(float));
    float probs[ROWS * CLASSIFIER_CLASSES];
    int classes[ROWS];
    classifier_features(&c, x, ROWS, f);
    classifier_probs(&c, x, ROWS, probs);
    classifier_predict(&c, x, ROWS, classes);
    const Dense *last = &c.net.layers[CLASSIFIER_LAYERS - 1];
    CU_ASSERT_EQUAL_FATAL(last->in, F);
    int nonzero = 0;
    for (int i = 0; i < ROWS; i++) {
        float logits[CLASSIFIER_CLASSES];
        for (int k = 0; k < K; k++) {
            double z = last->b[k];
            for (int j = 0; j < F; j++)
                z += (double)f[(size_t)i * F + j] * last->W[j * K + k];
            logits[k] = (float)z;
        }
        double sum = 0.0;
        int best = 0;
        for (int k = 0; k < K; k++) {
            sum += probs[i * K + k];
            if (probs[i * K + k] > probs[i * K + best])
                best = k;
        }
        CU_ASSERT_DOUBLE_EQUAL(sum, 1.0, 1e-5);
        CU_ASSERT_EQUAL(best, classes[i]);
        float p[CLASSIFIER_CLASSES];
        softmax_forward(logits, p, 1, K);
        CU_ASSERT_TRUE(rel_error(p, &probs[i * K], K) < 1e-4);
        for (int j = 0; j < F; j++) {
            CU_ASSERT_TRUE(f[(size_t)i * F + j] >= 0.0f); /* after ReLU */
            nonzero += f[(size_t)i * F + j] > 0.0f;
        }
    }
    CU_ASSERT_TRUE(nonzero > ROWS * F / 10);
    free(f);
    free(x);
    classifier_free(&c);
}

static void test_wrong_kind_refused(void)
{
    Classifier a, b;
    fresh(&a, MAX_ROWS);
    Param params[2 * MLP_MAX_LAYERS];
    int n = mlp_params(&a.net, CLASSIFIER_PREFIX, params);
    Ckpt ck;
    ckpt_init(&ck, "08-gan-mnist");
    ckpt_add_params(&ck, params, n);
    char *path = scratch_path(dir, "gan.ckpt");
    Error err;
    CU_ASSERT_EQUAL_FATAL(ckpt_save(&ck, path, &err), 0);
    ckpt_free(&ck);
    CU_ASSERT_EQUAL(classifier_load(&b, path, MAX_ROWS, &err), -1);
    ASSERT_CONTAINS(err.msg, path);
    ASSERT_CONTAINS(err.msg, "checkpoint of 08-gan-mnist, not of "
                             "04-classifier");
    classifier_free(&b); /* empty after a failed load: a no-op */
    classifier_free(&a);
    free(path);
}

/* Saves an Mlp of other widths as if it were a classifier. */
static char *save_other(const char *name, int nlayers, const int *sizes,
                        const int32_t *arch, int arch_len)
{
    Rng rng;
    rng_seed(&rng, SEED);
    Mlp m;
    mlp_init(&m, nlayers, sizes, ACT_RELU, ACT_NONE, INIT_HE, 1, &rng);
    Param params[2 * MLP_MAX_LAYERS];
    int n = mlp_params(&m, CLASSIFIER_PREFIX, params);
    Ckpt ck;
    ckpt_init(&ck, CLASSIFIER_KIND);
    if (arch)
        ckpt_add(&ck, CLASSIFIER_ARCH_TENSOR, CKPT_I32, arch, 1,
                 (uint64_t[]){(uint64_t)arch_len});
    ckpt_add_params(&ck, params, n);
    char *path = scratch_path(dir, name);
    Error err;
    CU_ASSERT_EQUAL(ckpt_save(&ck, path, &err), 0);
    ckpt_free(&ck);
    mlp_free(&m);
    return path;
}

static void test_other_architecture_refused(void)
{
    const int sizes[3] = {CLASSIFIER_INPUT, 512, CLASSIFIER_CLASSES};
    const int32_t arch[3] = {CLASSIFIER_INPUT, 512, CLASSIFIER_CLASSES};
    char *path = save_other("wide.ckpt", 2, sizes, arch, 3);
    Classifier c;
    Error err;
    CU_ASSERT_EQUAL(classifier_load(&c, path, MAX_ROWS, &err), -1);
    ASSERT_CONTAINS(err.msg, path);
    ASSERT_CONTAINS(err.msg, "classifier of widths 784-512-10");
    ASSERT_CONTAINS(err.msg, "this program's classifier is "
                             "784-256-128-10");
    free(path);

    /* no architecture record at all */
    path = save_other("no-arch.ckpt", 2, sizes, NULL, 0);
    CU_ASSERT_EQUAL(classifier_load(&c, path, MAX_ROWS, &err), -1);
    ASSERT_CONTAINS(err.msg, path);
    ASSERT_CONTAINS(err.msg, "has no tensor arch");
    free(path);

    /* a record that lies: the tensors' shapes are still checked */
    const int32_t ours[CLASSIFIER_LAYERS + 1] = {
        CLASSIFIER_INPUT, CLASSIFIER_HIDDEN, CLASSIFIER_FEATURES,
        CLASSIFIER_CLASSES};
    const int odd[4] = {CLASSIFIER_INPUT, CLASSIFIER_HIDDEN, 64,
                        CLASSIFIER_CLASSES};
    path = save_other("lying.ckpt", 3, odd, ours, 4);
    CU_ASSERT_EQUAL(classifier_load(&c, path, MAX_ROWS, &err), -1);
    ASSERT_CONTAINS(err.msg, path);
    ASSERT_CONTAINS(err.msg, "clf.fc2.W has shape 256x64, this model "
                             "needs 256x128");
    free(path);
}

void suite_classifier(void)
{
    CU_pSuite s = CU_add_suite("classifier", setup, teardown);
    CU_add_test(s, "save and load round-trip bit for bit",
                test_round_trip_bit_exact);
    CU_add_test(s, "predictions identical after reload",
                test_predictions_identical_after_reload);
    CU_add_test(s, "features feed the logits; probs and classes agree",
                test_features_probs_and_classes_agree);
    CU_add_test(s, "a checkpoint of another kind is refused",
                test_wrong_kind_refused);
    CU_add_test(s, "another architecture is refused, naming both",
                test_other_architecture_refused);
}
