/* test_losses.c - each loss equals its textbook formula where that is
 * safe, stays exact where it is not, and its gradient equals central
 * finite differences. */
#include <CUnit/CUnit.h>
#include <math.h>

#include "helpers.h"
#include "losses.h"
#include "rng.h"

#define N 12
#define CLASSES 4
#define ROWS 3 /* ROWS * CLASSES == N */
#define H 1e-3f
#define TOLERANCE 2e-3

typedef struct {
    float x[N], target[N];
    int labels[ROWS];
    int which; /* 0 mse, 1 bce, 2 bce const, 3 softmax xent */
} Case;

static double loss(void *ctx)
{
    Case *t = ctx;
    switch (t->which) {
    case 0:
        return mse_loss(t->x, t->target, N, NULL);
    case 1:
        return bce_logits_loss(t->x, t->target, N, NULL);
    case 2:
        return bce_logits_loss_const(t->x, 1.0f, N, NULL);
    default:
        return softmax_xent_loss(t->x, t->labels, ROWS, CLASSES, NULL);
    }
}

static void check(int which)
{
    Case t = {.which = which};
    Rng rng;
    rng_seed(&rng, 20 + which);
    for (int i = 0; i < N; i++) {
        t.x[i] = rng_range(&rng, -3.0f, 3.0f);
        t.target[i] = rng_uniform(&rng);
    }
    for (int r = 0; r < ROWS; r++)
        t.labels[r] = (int)rng_below(&rng, CLASSES);
    float analytic[N], numeric[N];
    switch (which) {
    case 0:
        mse_loss(t.x, t.target, N, analytic);
        break;
    case 1:
        bce_logits_loss(t.x, t.target, N, analytic);
        break;
    case 2:
        bce_logits_loss_const(t.x, 1.0f, N, analytic);
        break;
    default:
        softmax_xent_loss(t.x, t.labels, ROWS, CLASSES, analytic);
    }
    numeric_gradient(t.x, N, loss, &t, H, numeric);
    double err = rel_error(analytic, numeric, N);
    if (err >= TOLERANCE)
        fprintf(stderr, "\n    loss %d: relative error %.2e\n", which, err);
    CU_ASSERT_TRUE(err < TOLERANCE);
}

static void test_mse_gradient(void) { check(0); }
static void test_bce_gradient(void) { check(1); }
static void test_bce_const_gradient(void) { check(2); }
static void test_softmax_xent_gradient(void) { check(3); }

static void test_mse_by_hand(void)
{
    float p[2] = {1, 3}, t[2] = {0, 1}, d[2];
    CU_ASSERT_DOUBLE_EQUAL(mse_loss(p, t, 2, d), 2.5, 1e-6); /* (1+4)/2 */
    CU_ASSERT_DOUBLE_EQUAL(d[0], 1.0, 1e-6);                 /* 2*1/2 */
    CU_ASSERT_DOUBLE_EQUAL(d[1], 2.0, 1e-6);                 /* 2*2/2 */
}

static void test_bce_matches_formula(void)
{
    for (float x = -5.0f; x <= 5.0f; x += 0.5f)
        for (float t = 0.0f; t <= 1.0f; t += 0.25f) {
            double s = 1.0 / (1.0 + exp(-(double)x));
            double want = -(t * log(s) + (1 - t) * log(1 - s));
            CU_ASSERT_DOUBLE_EQUAL(bce_logits_loss(&x, &t, 1, NULL), want,
                                   1e-5);
        }
}

static void test_bce_stable_at_100(void)
{
    /* log(sigmoid(-100)) underflows in float; from the logit it is
     * exactly 100 (plus log1p(e^-100), far below float precision). */
    float x[4] = {100, -100, 100, -100}, t[4] = {1, 1, 0, 0}, d[4];
    float one;
    one = bce_logits_loss(&x[0], &t[0], 1, NULL);
    CU_ASSERT_TRUE(one >= 0.0f && one < 1e-30f);
    CU_ASSERT_DOUBLE_EQUAL(bce_logits_loss(&x[1], &t[1], 1, NULL), 100.0,
                           1e-4);
    CU_ASSERT_DOUBLE_EQUAL(bce_logits_loss(&x[2], &t[2], 1, NULL), 100.0,
                           1e-4);
    float mean = bce_logits_loss(x, t, 4, d);
    CU_ASSERT_DOUBLE_EQUAL(mean, 50.0, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(d[1], -0.25, 1e-7); /* (0 - 1) / 4 */
    CU_ASSERT_DOUBLE_EQUAL(d[2], 0.25, 1e-7);  /* (1 - 0) / 4 */
    CU_ASSERT_DOUBLE_EQUAL(bce_logits_loss_const(&x[1], 1.0f, 1, NULL),
                           100.0, 1e-4);
}

static void test_softmax_xent_stable(void)
{
    float x[3] = {1000, 0, -1000};
    int label = 1;
    float d[3];
    CU_ASSERT_DOUBLE_EQUAL(softmax_xent_loss(x, &label, 1, 3, d), 1000.0,
                           1e-3);
    CU_ASSERT_DOUBLE_EQUAL(d[0], 1.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(d[1], -1.0, 1e-6);
    /* uniform logits: loss log K */
    float u[4] = {2, 2, 2, 2};
    int l = 3;
    CU_ASSERT_DOUBLE_EQUAL(softmax_xent_loss(u, &l, 1, 4, NULL), log(4.0),
                           1e-6);
}

void suite_losses(void)
{
    CU_pSuite s = CU_add_suite("losses", NULL, NULL);
    CU_add_test(s, "mse gradient = finite differences", test_mse_gradient);
    CU_add_test(s, "bce gradient = finite differences", test_bce_gradient);
    CU_add_test(s, "bce (one target) gradient = finite differences",
                test_bce_const_gradient);
    CU_add_test(s, "softmax cross-entropy gradient = finite differences",
                test_softmax_xent_gradient);
    CU_add_test(s, "mse by hand", test_mse_by_hand);
    CU_add_test(s, "bce from logits = -t log s - (1-t) log(1-s)",
                test_bce_matches_formula);
    CU_add_test(s, "bce exact at logits +-100", test_bce_stable_at_100);
    CU_add_test(s, "softmax cross-entropy exact at logits +-1000",
                test_softmax_xent_stable);
}
