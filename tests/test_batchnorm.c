/* test_batchnorm.c - batch normalisation: the forward by hand in each
 * mode, the backward against finite differences (through the batch
 * statistics), the running averages, and the gradient contract. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "batchnorm.h"
#include "helpers.h"
#include "rng.h"

#define N 6
#define H 4
#define FD_STEP 1e-2f
#define TOLERANCE 2e-3

static void test_forward_by_hand(void)
{
    BatchNorm bn;
    batchnorm_init(&bn, 1, 4);
    bn.gamma[0] = 2.0f;
    bn.beta[0] = 0.5f;
    /* mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25) / 4 */
    float x[4] = {1, 2, 3, 4}, y[4];
    batchnorm_forward(&bn, x, y, 4, BN_TRAIN);
    double sd = sqrt(1.25 + BATCHNORM_EPS);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_DOUBLE_EQUAL(y[i], 2.0 * (x[i] - 2.5) / sd + 0.5, 1e-5);
    CU_ASSERT_DOUBLE_EQUAL(bn.mean[0], 2.5, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(bn.var[0], 1.25, 1e-6);
    /* the running averages moved a tenth of the way from 0 and 1 */
    CU_ASSERT_DOUBLE_EQUAL(bn.run_mean[0], 0.25, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(bn.run_var[0], 0.9 + 0.125, 1e-6);
    batchnorm_free(&bn);
}

static void fill(Rng *rng, float *x, int n, float lo, float hi)
{
    for (int i = 0; i < n; i++)
        x[i] = rng_range(rng, lo, hi);
}

static void test_modes(void)
{
    Rng rng;
    rng_seed(&rng, 1);
    BatchNorm bn;
    batchnorm_init(&bn, H, N);
    float x[N * H], y[N * H];
    fill(&rng, x, N * H, -3, 5);
    /* batch statistics: every column of y has mean 0 and variance
     * 1 (up to eps) when gamma = 1 and beta = 0 */
    batchnorm_forward(&bn, x, y, N, BN_BATCH);
    for (int j = 0; j < H; j++) {
        double m = 0, v = 0;
        for (int i = 0; i < N; i++)
            m += y[i * H + j] / N;
        for (int i = 0; i < N; i++)
            v += (y[i * H + j] - m) * (y[i * H + j] - m) / N;
        CU_ASSERT_DOUBLE_EQUAL(m, 0.0, 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(v, 1.0, 1e-4);
    }
    /* BN_BATCH leaves the running averages alone */
    for (int j = 0; j < H; j++) {
        CU_ASSERT_EQUAL(bn.run_mean[j], 0.0f);
        CU_ASSERT_EQUAL(bn.run_var[j], 1.0f);
    }
    /* BN_EVAL maps each row by the running averages, alone */
    for (int j = 0; j < H; j++) {
        bn.run_mean[j] = 0.5f * j;
        bn.run_var[j] = 1.0f + j;
        bn.gamma[j] = 1.5f;
        bn.beta[j] = -0.25f;
    }
    batchnorm_forward(&bn, x, y, N, BN_EVAL);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < H; j++) {
            double want = 1.5 * (x[i * H + j] - 0.5 * j) /
                              sqrt(1.0 + j + BATCHNORM_EPS) - 0.25;
            CU_ASSERT_DOUBLE_EQUAL(y[i * H + j], want, 1e-5);
        }
    /* one row alone is fine in BN_EVAL */
    float one[H];
    batchnorm_forward(&bn, x, one, 1, BN_EVAL);
    CU_ASSERT_EQUAL(memcmp(one, y, sizeof one), 0);
    batchnorm_free(&bn);
}

/* L = sum c * BN(x), in training mode */
typedef struct {
    BatchNorm bn;
    float x[N * H], y[N * H], c[N * H];
} Case;

static double case_loss(void *ctx)
{
    Case *t = ctx;
    batchnorm_forward(&t->bn, t->x, t->y, N, BN_BATCH);
    double s = 0.0;
    for (int i = 0; i < N * H; i++)
        s += (double)t->c[i] * t->y[i];
    return s;
}

static void make_case(Case *t, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    batchnorm_init(&t->bn, H, N);
    fill(&rng, t->x, N * H, -2, 2);
    fill(&rng, t->c, N * H, -1, 1);
    fill(&rng, t->bn.gamma, H, 0.5f, 2);
    fill(&rng, t->bn.beta, H, -1, 1);
}

static void test_gradients(void)
{
    Case t;
    make_case(&t, 2);
    float dx[N * H], num[N * H], numg[H], numb[H];
    case_loss(&t);
    batchnorm_zero_grad(&t.bn);
    batchnorm_backward(&t.bn, t.c, dx, N, GRAD_ACCUMULATE);
    numeric_gradient(t.x, N * H, case_loss, &t, FD_STEP, num);
    double ex = rel_error(dx, num, N * H);
    numeric_gradient(t.bn.gamma, H, case_loss, &t, FD_STEP, numg);
    double eg = rel_error(t.bn.dgamma, numg, H);
    numeric_gradient(t.bn.beta, H, case_loss, &t, FD_STEP, numb);
    double eb = rel_error(t.bn.dbeta, numb, H);
    if (ex >= TOLERANCE || eg >= TOLERANCE || eb >= TOLERANCE)
        fprintf(stderr, "\n    relative errors dx %.2e dgamma %.2e "
                "dbeta %.2e\n", ex, eg, eb);
    CU_ASSERT_TRUE(ex < TOLERANCE);
    CU_ASSERT_TRUE(eg < TOLERANCE);
    CU_ASSERT_TRUE(eb < TOLERANCE);
    /* a shift of a whole column changes nothing after normalising, so
     * each column of dx sums to 0 */
    for (int j = 0; j < H; j++) {
        double col = 0.0;
        for (int i = 0; i < N; i++)
            col += dx[i * H + j];
        CU_ASSERT_DOUBLE_EQUAL(col, 0.0, 1e-5);
    }
    batchnorm_free(&t.bn);
}

static void test_contract(void)
{
    Case t;
    make_case(&t, 3);
    case_loss(&t);
    float dx1[N * H], dx2[N * H], dg[H], db[H];
    batchnorm_backward(&t.bn, t.c, dx1, N, GRAD_OVERWRITE);
    memcpy(dg, t.bn.dgamma, sizeof dg);
    memcpy(db, t.bn.dbeta, sizeof db);
    /* accumulate adds; dx is replaced, and may be dy itself */
    memcpy(dx2, t.c, sizeof dx2);
    batchnorm_backward(&t.bn, dx2, dx2, N, GRAD_ACCUMULATE);
    for (int j = 0; j < H; j++) {
        CU_ASSERT_DOUBLE_EQUAL(t.bn.dgamma[j], 2 * dg[j], 1e-5);
        CU_ASSERT_DOUBLE_EQUAL(t.bn.dbeta[j], 2 * db[j], 1e-5);
    }
    for (int i = 0; i < N * H; i++)
        CU_ASSERT_DOUBLE_EQUAL(dx2[i], dx1[i], 1e-6);
    /* input only leaves them alone; overwrite replaces them */
    batchnorm_backward(&t.bn, t.c, dx2, N, GRAD_INPUT_ONLY);
    CU_ASSERT_DOUBLE_EQUAL(t.bn.dgamma[0], 2 * dg[0], 1e-5);
    batchnorm_backward(&t.bn, t.c, NULL, N, GRAD_OVERWRITE);
    CU_ASSERT_DOUBLE_EQUAL(t.bn.dgamma[0], dg[0], 1e-6);
    batchnorm_zero_grad(&t.bn);
    CU_ASSERT_EQUAL(t.bn.dgamma[0], 0.0f);
    CU_ASSERT_EQUAL(t.bn.dbeta[H - 1], 0.0f);
    Param p[2];
    CU_ASSERT_EQUAL(batchnorm_params(&t.bn, "g.bn1", p), 2);
    CU_ASSERT_STRING_EQUAL(p[0].name, "g.bn1.gamma");
    CU_ASSERT_STRING_EQUAL(p[1].name, "g.bn1.beta");
    CU_ASSERT_EQUAL(p[0].cols, H);
    batchnorm_free(&t.bn);
}

/* Training batches drawn from one distribution: the running averages
 * converge on its mean and variance. */
static void test_running_averages_converge(void)
{
    enum { BATCHES = 400, ROWS = 50 };
    Rng rng;
    rng_seed(&rng, 4);
    BatchNorm bn;
    batchnorm_init(&bn, 1, ROWS);
    float x[ROWS], y[ROWS];
    for (int b = 0; b < BATCHES; b++) {
        rng_fill_normal(&rng, x, ROWS, 3.0f, 2.0f);
        batchnorm_forward(&bn, x, y, ROWS, BN_TRAIN);
    }
    /* mean 3, variance 4 less the bias of 50 rows: 4 * 49 / 50 */
    CU_ASSERT_DOUBLE_EQUAL(bn.run_mean[0], 3.0, 0.3);
    CU_ASSERT_DOUBLE_EQUAL(bn.run_var[0], 4.0 * 49 / 50, 0.6);
    batchnorm_free(&bn);
}

void suite_batchnorm(void)
{
    CU_pSuite s = CU_add_suite("batchnorm", NULL, NULL);
    CU_add_test(s, "forward and running averages by hand",
                test_forward_by_hand);
    CU_add_test(s, "batch statistics standardise; eval uses the running "
                   "ones", test_modes);
    CU_add_test(s, "dx, dgamma, dbeta = finite differences",
                test_gradients);
    CU_add_test(s, "accumulate, overwrite, input only", test_contract);
    CU_add_test(s, "running averages converge on the distribution",
                test_running_averages_converge);
}
