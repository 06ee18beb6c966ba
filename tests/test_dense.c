/* test_dense.c - the dense layer's backward equals finite differences,
 * and it keeps the gradient contract written in dense.h. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "dense.h"
#include "helpers.h"
#include "losses.h"
#include "rng.h"

#define BATCH 5
#define IN 7
#define HID 6
#define OUT 3
#define H 1e-2f
#define TOLERANCE 1e-3

typedef struct {
    Dense l;
    float x[BATCH * IN], y[BATCH * OUT], c[BATCH * OUT];
} One;

/* L = sum c * (x W + b): linear, so differences are almost exact */
static double one_loss(void *ctx)
{
    One *t = ctx;
    dense_forward(&t->l, t->x, t->y, BATCH);
    double s = 0;
    for (int i = 0; i < BATCH * OUT; i++)
        s += (double)t->c[i] * t->y[i];
    return s;
}

static void setup_one(One *t, Rng *rng)
{
    dense_init(&t->l, IN, OUT, INIT_XAVIER, rng);
    for (int i = 0; i < OUT; i++)
        t->l.b[i] = rng_range(rng, -1, 1);
    for (int i = 0; i < BATCH * IN; i++)
        t->x[i] = rng_range(rng, -1, 1);
    for (int i = 0; i < BATCH * OUT; i++)
        t->c[i] = rng_range(rng, -1, 1);
}

static void test_forward_by_hand(void)
{
    Rng rng;
    rng_seed(&rng, 1);
    Dense l;
    dense_init(&l, 2, 1, INIT_XAVIER, &rng);
    l.W[0] = 2.0f;
    l.W[1] = -1.0f;
    l.b[0] = 0.5f;
    float x[4] = {1, 1, 3, 2}, y[2];
    dense_forward(&l, x, y, 2);
    CU_ASSERT_EQUAL(y[0], 1.5f); /* 2 - 1 + 0.5 */
    CU_ASSERT_EQUAL(y[1], 4.5f); /* 6 - 2 + 0.5 */
    dense_free(&l);
}

static void test_gradients(void)
{
    One t;
    Rng rng;
    rng_seed(&rng, 2);
    setup_one(&t, &rng);
    float dx[BATCH * IN], num[BATCH * IN];
    dense_zero_grad(&t.l);
    dense_forward(&t.l, t.x, t.y, BATCH);
    dense_backward(&t.l, t.x, t.c, dx, BATCH);

    float *numW = malloc(IN * OUT * sizeof(float));
    numeric_gradient(t.l.W, IN * OUT, one_loss, &t, H, numW);
    CU_ASSERT_TRUE(rel_error(t.l.dW, numW, IN * OUT) < TOLERANCE);
    float numb[OUT];
    numeric_gradient(t.l.b, OUT, one_loss, &t, H, numb);
    CU_ASSERT_TRUE(rel_error(t.l.db, numb, OUT) < TOLERANCE);
    numeric_gradient(t.x, BATCH * IN, one_loss, &t, H, num);
    CU_ASSERT_TRUE(rel_error(dx, num, BATCH * IN) < TOLERANCE);
    free(numW);
    dense_free(&t.l);
}

static void test_contract_accumulate_and_overwrite(void)
{
    One t;
    Rng rng;
    rng_seed(&rng, 3);
    setup_one(&t, &rng);
    float dx1[BATCH * IN], dx2[BATCH * IN];
    float dW1[IN * OUT], db1[OUT];
    dense_zero_grad(&t.l);
    dense_backward(&t.l, t.x, t.c, dx1, BATCH);
    memcpy(dW1, t.l.dW, sizeof dW1);
    memcpy(db1, t.l.db, sizeof db1);
    /* a second backward adds to dW and db but replaces dx */
    memset(dx2, 0x7f, sizeof dx2);
    dense_backward(&t.l, t.x, t.c, dx2, BATCH);
    for (int i = 0; i < IN * OUT; i++)
        CU_ASSERT_DOUBLE_EQUAL(t.l.dW[i], 2 * dW1[i], 1e-6);
    for (int i = 0; i < OUT; i++)
        CU_ASSERT_DOUBLE_EQUAL(t.l.db[i], 2 * db1[i], 1e-6);
    CU_ASSERT_EQUAL(memcmp(dx1, dx2, sizeof dx1), 0);
    dense_zero_grad(&t.l);
    for (int i = 0; i < IN * OUT; i++)
        CU_ASSERT_EQUAL(t.l.dW[i], 0.0f);
    dense_free(&t.l);
}

/* A two-layer net with a loss: dense, tanh, dense, softmax
 * cross-entropy. The chain rule through all of common/ at once. */
typedef struct {
    Dense a, b;
    float x[BATCH * IN], h[BATCH * HID], y[BATCH * OUT];
    int labels[BATCH];
} Two;

static double two_loss(void *ctx)
{
    Two *t = ctx;
    dense_forward(&t->a, t->x, t->h, BATCH);
    tanh_forward(t->h, t->h, BATCH * HID);
    dense_forward(&t->b, t->h, t->y, BATCH);
    return softmax_xent_loss(t->y, t->labels, BATCH, OUT, NULL);
}

static void test_two_layers_chain_rule(void)
{
    Two t;
    Rng rng;
    rng_seed(&rng, 4);
    dense_init(&t.a, IN, HID, INIT_XAVIER, &rng);
    dense_init(&t.b, HID, OUT, INIT_XAVIER, &rng);
    for (int i = 0; i < BATCH * IN; i++)
        t.x[i] = rng_range(&rng, -1, 1);
    for (int i = 0; i < BATCH; i++)
        t.labels[i] = (int)rng_below(&rng, OUT);
    float dy[BATCH * OUT], dh[BATCH * HID];
    two_loss(&t);
    softmax_xent_loss(t.y, t.labels, BATCH, OUT, dy);
    dense_zero_grad(&t.a);
    dense_zero_grad(&t.b);
    dense_backward(&t.b, t.h, dy, dh, BATCH);
    tanh_backward(t.h, dh, dh, BATCH * HID);
    dense_backward(&t.a, t.x, dh, NULL, BATCH);

    float numA[IN * HID], numB[HID * OUT];
    numeric_gradient(t.a.W, IN * HID, two_loss, &t, 1e-3f, numA);
    numeric_gradient(t.b.W, HID * OUT, two_loss, &t, 1e-3f, numB);
    double ea = rel_error(t.a.dW, numA, IN * HID);
    double eb = rel_error(t.b.dW, numB, HID * OUT);
    if (ea >= 5e-3 || eb >= 5e-3)
        fprintf(stderr, "\n    relative errors %.2e %.2e\n", ea, eb);
    CU_ASSERT_TRUE(ea < 5e-3);
    CU_ASSERT_TRUE(eb < 5e-3);
    dense_free(&t.a);
    dense_free(&t.b);
}

void suite_dense(void)
{
    CU_pSuite s = CU_add_suite("dense", NULL, NULL);
    CU_add_test(s, "forward by hand", test_forward_by_hand);
    CU_add_test(s, "dW, db, dx = finite differences", test_gradients);
    CU_add_test(s, "backward twice: dW, db accumulate, dx is overwritten",
                test_contract_accumulate_and_overwrite);
    CU_add_test(s, "dense-tanh-dense-softmax = finite differences",
                test_two_layers_chain_rule);
}
