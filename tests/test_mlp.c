/* test_mlp.c - a whole multi-layer perceptron's backward equals finite
 * differences, for every activation, and keeps the gradient contract. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mlp.h"
#include "rng.h"

#define BATCH 4
#define TOLERANCE 3e-3

static const int sizes[4] = {5, 7, 6, 3};

typedef struct {
    Mlp m;
    float x[BATCH * 5], c[BATCH * 3];
} Case;

static double loss(void *ctx)
{
    Case *t = ctx;
    const float *y = mlp_forward(&t->m, t->x, BATCH);
    double s = 0;
    for (int i = 0; i < BATCH * 3; i++)
        s += (double)t->c[i] * y[i];
    return s;
}

static void setup(Case *t, Activation hidden, Activation output,
                  uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    mlp_init(&t->m, 3, sizes, hidden, output, INIT_XAVIER, BATCH, &rng);
    for (int l = 0; l < 3; l++)
        for (int j = 0; j < sizes[l + 1]; j++)
            t->m.layers[l].b[j] = rng_range(&rng, -0.5f, 0.5f);
    for (int i = 0; i < BATCH * 5; i++)
        t->x[i] = rng_range(&rng, -1.5f, 1.5f);
    for (int i = 0; i < BATCH * 3; i++)
        t->c[i] = rng_range(&rng, -1, 1);
}

static void check(Activation hidden, Activation output)
{
    Case t;
    setup(&t, hidden, output, 30 + hidden * 5 + output);
    float dx[BATCH * 5], num_x[BATCH * 5];
    mlp_zero_grad(&t.m);
    mlp_forward(&t.m, t.x, BATCH);
    mlp_backward(&t.m, t.c, dx, BATCH, GRAD_ACCUMULATE);
    numeric_gradient(t.x, BATCH * 5, loss, &t, 1e-3f, num_x);
    double worst = rel_error(dx, num_x, BATCH * 5);
    for (int l = 0; l < 3; l++) {
        Dense *d = &t.m.layers[l];
        size_t n = (size_t)d->in * d->out;
        float *num = malloc(n * sizeof(float)), numb[8];
        numeric_gradient(d->W, n, loss, &t, 1e-3f, num);
        numeric_gradient(d->b, (size_t)d->out, loss, &t, 1e-3f, numb);
        double e = rel_error(d->dW, num, n);
        double eb = rel_error(d->db, numb, (size_t)d->out);
        worst = e > worst ? e : worst;
        worst = eb > worst ? eb : worst;
        free(num);
    }
    if (worst >= TOLERANCE)
        fprintf(stderr, "\n    hidden %d output %d: relative error %.2e\n",
                hidden, output, worst);
    CU_ASSERT_TRUE(worst < TOLERANCE);
    mlp_free(&t.m);
}

static void test_relu_none(void) { check(ACT_RELU, ACT_NONE); }
static void test_leaky_tanh(void) { check(ACT_LEAKY_RELU, ACT_TANH); }
static void test_tanh_sigmoid(void) { check(ACT_TANH, ACT_SIGMOID); }

static void test_contract(void)
{
    Case t;
    setup(&t, ACT_LEAKY_RELU, ACT_NONE, 99);
    float dx1[BATCH * 5], dx2[BATCH * 5], dx3[BATCH * 5];
    mlp_zero_grad(&t.m);
    mlp_forward(&t.m, t.x, BATCH);
    mlp_backward(&t.m, t.c, dx1, BATCH, GRAD_ACCUMULATE);
    float dW0[5 * 7];
    memcpy(dW0, t.m.layers[0].dW, sizeof dW0);
    mlp_backward(&t.m, t.c, dx2, BATCH, GRAD_ACCUMULATE);
    for (int i = 0; i < 5 * 7; i++)
        CU_ASSERT_DOUBLE_EQUAL(t.m.layers[0].dW[i], 2 * dW0[i], 1e-6);
    CU_ASSERT_EQUAL(memcmp(dx1, dx2, sizeof dx1), 0);
    /* overwrite: one pass's gradient, whatever was there */
    mlp_backward(&t.m, t.c, dx3, BATCH, GRAD_OVERWRITE);
    for (int i = 0; i < 5 * 7; i++)
        CU_ASSERT_EQUAL(t.m.layers[0].dW[i], dW0[i]);
    CU_ASSERT_EQUAL(memcmp(dx1, dx3, sizeof dx1), 0);
    mlp_backward(&t.m, t.c, dx2, BATCH, GRAD_ACCUMULATE);
    /* only dx: the same dx, and the weight gradients untouched */
    mlp_backward(&t.m, t.c, dx3, BATCH, GRAD_INPUT_ONLY);
    CU_ASSERT_EQUAL(memcmp(dx1, dx3, sizeof dx1), 0);
    for (int i = 0; i < 5 * 7; i++)
        CU_ASSERT_DOUBLE_EQUAL(t.m.layers[0].dW[i], 2 * dW0[i], 1e-6);
    Param ps[2 * MLP_MAX_LAYERS];
    CU_ASSERT_EQUAL(mlp_params(&t.m, "d", ps), 6);
    CU_ASSERT_STRING_EQUAL(ps[4].name, "d.fc3.W");
    CU_ASSERT_EQUAL(ps[4].rows, 6);
    CU_ASSERT_EQUAL(mlp_param_count(&t.m), 5 * 7 + 7 + 7 * 6 + 6 + 6 * 3 + 3);
    mlp_free(&t.m);
}

static void test_checkpoint(void)
{
    Case t;
    setup(&t, ACT_LEAKY_RELU, ACT_TANH, 7);
    t.m.slope = 0.1f;
    char *dir = scratch_dir();
    char *path = scratch_path(dir, "mlp.ckpt");
    Ckpt c;
    Error err;
    MlpArch arch;
    Param params[2 * MLP_MAX_LAYERS];
    ckpt_init(&c, "m");
    mlp_ckpt_add(&c, &t.m, "net", &arch, params);
    CU_ASSERT_EQUAL_FATAL(ckpt_save(&c, path, &err), 0);
    ckpt_free(&c);

    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "m", &err), 0);
    Mlp loaded;
    CU_ASSERT_EQUAL_FATAL(mlp_ckpt_load(&c, "net", BATCH, &loaded, &err), 0);
    CU_ASSERT_EQUAL(loaded.slope, 0.1f);
    CU_ASSERT_EQUAL(loaded.hidden, ACT_LEAKY_RELU);
    const float *y1 = mlp_forward(&t.m, t.x, BATCH);
    const float *y2 = mlp_forward(&loaded, t.x, BATCH);
    CU_ASSERT_EQUAL(memcmp(y1, y2, BATCH * 3 * sizeof(float)), 0);
    CU_ASSERT_EQUAL(mlp_ckpt_read(&c, "net", &loaded, &err), 0);

    /* another architecture is refused, by name */
    Mlp other;
    Rng rng;
    rng_seed(&rng, 1);
    int wider[4] = {5, 8, 6, 3};
    mlp_init(&other, 3, wider, ACT_LEAKY_RELU, ACT_TANH, INIT_HE, 1, &rng);
    other.slope = 0.1f;
    CU_ASSERT_EQUAL(mlp_ckpt_read(&c, "net", &other, &err), -1);
    ASSERT_CONTAINS(err.msg, "holds a different net network");
    CU_ASSERT_EQUAL(mlp_ckpt_load(&c, "nothing", 1, &other, &err), -1);
    ASSERT_CONTAINS(err.msg, "has no tensor nothing.arch");
    ckpt_free(&c);
    mlp_free(&other);
    mlp_free(&loaded);
    mlp_free(&t.m);
    remove_tree(dir);
    free(path);
    free(dir);
}

void suite_mlp(void)
{
    CU_pSuite s = CU_add_suite("mlp", NULL, NULL);
    CU_add_test(s, "relu hidden, linear out = finite differences",
                test_relu_none);
    CU_add_test(s, "leaky relu hidden, tanh out = finite differences",
                test_leaky_tanh);
    CU_add_test(s, "tanh hidden, sigmoid out = finite differences",
                test_tanh_sigmoid);
    CU_add_test(s, "contract: accumulate, overwrite, dx-only pass",
                test_contract);
    CU_add_test(s, "checkpoint: rebuilt from its arch; others refused",
                test_checkpoint);
}
