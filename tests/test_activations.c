/* test_activations.c - every activation's backward equals central
 * finite differences of its forward, and sigmoid is stable. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <string.h>

#include "activations.h"
#include "helpers.h"
#include "rng.h"

#define N 24
#define ROWS 3
#define COLS 8 /* ROWS * COLS == N */
#define SLOPE 0.2f
#define H 1e-3f
#define TOLERANCE 1e-3

typedef enum { SIGMOID, TANH, RELU, LEAKY, SOFTMAX } Kind;

typedef struct {
    Kind kind;
    float x[N], y[N], c[N]; /* L = sum c_i y_i */
} Case;

static void forward(Case *t)
{
    switch (t->kind) {
    case SIGMOID:
        sigmoid_forward(t->x, t->y, N);
        break;
    case TANH:
        tanh_forward(t->x, t->y, N);
        break;
    case RELU:
        relu_forward(t->x, t->y, N);
        break;
    case LEAKY:
        leaky_relu_forward(t->x, t->y, N, SLOPE);
        break;
    case SOFTMAX:
        softmax_forward(t->x, t->y, ROWS, COLS);
        break;
    }
}

static void backward(Case *t, const float *dy, float *dx)
{
    switch (t->kind) {
    case SIGMOID:
        sigmoid_backward(t->y, dy, dx, N);
        break;
    case TANH:
        tanh_backward(t->y, dy, dx, N);
        break;
    case RELU:
        relu_backward(t->y, dy, dx, N);
        break;
    case LEAKY:
        leaky_relu_backward(t->y, dy, dx, N, SLOPE);
        break;
    case SOFTMAX:
        softmax_backward(t->y, dy, dx, ROWS, COLS);
        break;
    }
}

static double loss(void *ctx)
{
    Case *t = ctx;
    forward(t);
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += (double)t->c[i] * t->y[i];
    return sum;
}

static void check(Kind kind)
{
    Case t = {.kind = kind};
    Rng rng;
    rng_seed(&rng, 10 + kind);
    for (int i = 0; i < N; i++) {
        /* keep clear of ReLU's kink at 0, where no derivative exists */
        float mag = rng_range(&rng, 0.1f, 2.0f);
        t.x[i] = rng_uniform(&rng) < 0.5f ? -mag : mag;
        t.c[i] = rng_range(&rng, -1.0f, 1.0f);
    }
    float analytic[N], numeric[N], dx_alias[N];
    forward(&t);
    backward(&t, t.c, analytic);
    numeric_gradient(t.x, N, loss, &t, H, numeric);
    double err = rel_error(analytic, numeric, N);
    CU_ASSERT_TRUE(err < TOLERANCE);
    if (err >= TOLERANCE)
        fprintf(stderr, "\n    activation %d: relative error %.2e\n",
                kind, err);
    /* dx may be the same array as dy */
    forward(&t);
    memcpy(dx_alias, t.c, sizeof dx_alias);
    backward(&t, dx_alias, dx_alias);
    CU_ASSERT_EQUAL(memcmp(dx_alias, analytic, sizeof analytic), 0);
}

static void test_sigmoid_gradient(void) { check(SIGMOID); }
static void test_tanh_gradient(void) { check(TANH); }
static void test_relu_gradient(void) { check(RELU); }
static void test_leaky_relu_gradient(void) { check(LEAKY); }
static void test_softmax_gradient(void) { check(SOFTMAX); }

static void test_known_values(void)
{
    CU_ASSERT_EQUAL(sigmoid(0.0f), 0.5f);
    CU_ASSERT_EQUAL(sigmoid(100.0f), 1.0f);
    CU_ASSERT_TRUE(sigmoid(-100.0f) > 0.0f && sigmoid(-100.0f) < 1e-40f);
    CU_ASSERT_FALSE(isnan(sigmoid(-1000.0f)));
    float x[4] = {-2, 0, 3, -0.5f}, y[4];
    relu_forward(x, y, 4);
    CU_ASSERT_EQUAL(y[0], 0.0f);
    CU_ASSERT_EQUAL(y[2], 3.0f);
    leaky_relu_forward(x, y, 4, 0.2f);
    CU_ASSERT_DOUBLE_EQUAL(y[0], -0.4, 1e-7);
    CU_ASSERT_EQUAL(y[2], 3.0f);
}

static void test_tanh_accuracy(void)
{
    enum { POINTS = 200001 };
    static float x[POINTS], y[POINTS];
    for (int i = 0; i < POINTS; i++)
        x[i] = -12.0f + 24.0f * (float)i / (POINTS - 1);
    tanh_forward(x, y, POINTS);
    double worst_abs = 0, worst_rel = 0;
    for (int i = 0; i < POINTS; i++) {
        double exact = tanh((double)x[i]);
        double d = fabs(y[i] - exact);
        worst_abs = fmax(worst_abs, d);
        if (exact != 0)
            worst_rel = fmax(worst_rel, d / fabs(exact));
        CU_ASSERT_TRUE_FATAL(y[i] >= -1.0f && y[i] <= 1.0f);
    }
    CU_ASSERT_TRUE(worst_abs < 2e-7);
    CU_ASSERT_TRUE(worst_rel < 5e-7);
    float special[5] = {0.0f, -0.0f, INFINITY, -INFINITY, 1e-30f}, out[5];
    tanh_forward(special, out, 5);
    CU_ASSERT_EQUAL(out[0], 0.0f);
    CU_ASSERT_TRUE(signbit(out[1]));
    CU_ASSERT_EQUAL(out[2], 1.0f);
    CU_ASSERT_EQUAL(out[3], -1.0f);
    CU_ASSERT_EQUAL(out[4], 1e-30f);
}

static void test_nan_propagates(void)
{
    float x[2] = {NAN, -1.0f}, y[2];
    relu_forward(x, y, 2);
    CU_ASSERT_TRUE(isnan(y[0]));
    CU_ASSERT_EQUAL(y[1], 0.0f);
    tanh_forward(x, y, 2);
    CU_ASSERT_TRUE(isnan(y[0]));
    leaky_relu_forward(x, y, 2, SLOPE);
    CU_ASSERT_TRUE(isnan(y[0]));
}

static void test_softmax_is_stable(void)
{
    float x[3] = {1000.0f, 1000.0f, -1000.0f}, y[3];
    softmax_forward(x, y, 1, 3);
    CU_ASSERT_DOUBLE_EQUAL(y[0], 0.5, 1e-7);
    CU_ASSERT_DOUBLE_EQUAL(y[1], 0.5, 1e-7);
    CU_ASSERT_EQUAL(y[2], 0.0f);
}

void suite_activations(void)
{
    CU_pSuite s = CU_add_suite("activations", NULL, NULL);
    CU_add_test(s, "sigmoid backward = finite differences",
                test_sigmoid_gradient);
    CU_add_test(s, "tanh backward = finite differences", test_tanh_gradient);
    CU_add_test(s, "relu backward = finite differences", test_relu_gradient);
    CU_add_test(s, "leaky relu backward = finite differences",
                test_leaky_relu_gradient);
    CU_add_test(s, "softmax backward = finite differences",
                test_softmax_gradient);
    CU_add_test(s, "known values; sigmoid finite at +-1000",
                test_known_values);
    CU_add_test(s, "softmax of +-1000 logits", test_softmax_is_stable);
    CU_add_test(s, "NaN passes through ReLU, LeakyReLU and tanh",
                test_nan_propagates);
    CU_add_test(s, "tanh within 2e-7 of the exact value; inf, -0",
                test_tanh_accuracy);
}
