/* test_mat.c - OpenBLAS's GEMM equals the plain triple loop. */
#include <CUnit/CUnit.h>
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mat.h"
#include "parallel.h"
#include "rng.h"

static float *random_buffer(Rng *rng, size_t n)
{
    float *x = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        x[i] = rng_range(rng, -1.0f, 1.0f);
    return x;
}

/* Compares gemm and gemm_naive on one shape, with leading dimensions
 * wider than the matrices (as for a view) and non-trivial alpha, beta. */
static void check_shape(Rng *rng, Trans ta, Trans tb, int m, int n, int k)
{
    int pad = 3;
    int a_rows = ta ? k : m, a_cols = ta ? m : k;
    int b_rows = tb ? n : k, b_cols = tb ? k : n;
    int lda = a_cols + pad, ldb = b_cols + pad, ldc = n + pad;
    float *a = random_buffer(rng, (size_t)a_rows * lda);
    float *b = random_buffer(rng, (size_t)b_rows * ldb);
    float *c1 = random_buffer(rng, (size_t)m * ldc);
    float *c2 = malloc((size_t)m * ldc * sizeof(float));
    for (size_t i = 0; i < (size_t)m * ldc; i++)
        c2[i] = c1[i];
    gemm(ta, tb, m, n, k, 0.75f, a, lda, b, ldb, -0.5f, c1, ldc);
    gemm_naive(ta, tb, m, n, k, 0.75f, a, lda, b, ldb, -0.5f, c2, ldc);
    double worst = 0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < ldc; j++) {
            double d = fabs((double)c1[i * ldc + j] - c2[i * ldc + j]);
            /* the padding columns must not be touched at all */
            if (j >= n)
                CU_ASSERT_EQUAL(c1[i * ldc + j], c2[i * ldc + j]);
            if (d > worst)
                worst = d;
        }
    /* each entry sums k products of numbers in [-1, 1] */
    CU_ASSERT_TRUE(worst <= 1e-5 * (k + 1));
    free(a);
    free(b);
    free(c1);
    free(c2);
}

static void test_gemm_matches_naive(void)
{
    static const int shapes[][3] = {
        {1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {3, 5, 7}, {17, 13, 29},
        {64, 1, 33}, {31, 65, 2}, {100, 128, 784}, {0, 4, 4}, {2, 3, 0},
    };
    Rng rng;
    rng_seed(&rng, 42);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int ta = 0; ta < 2; ta++)
            for (int tb = 0; tb < 2; tb++)
                check_shape(&rng, (Trans)ta, (Trans)tb, shapes[s][0],
                            shapes[s][1], shapes[s][2]);
}

static void test_beta_zero_ignores_old_c(void)
{
    float a[6] = {1, 2, 3, 4, 5, 6}; /* (2, 3) */
    float b[3] = {1, 0, -1};         /* (3, 1) */
    float c[2] = {NAN, NAN};
    float d[2] = {NAN, NAN};
    gemm(NO_TRANS, NO_TRANS, 2, 1, 3, 1.0f, a, 3, b, 1, 0.0f, c, 1);
    gemm_naive(NO_TRANS, NO_TRANS, 2, 1, 3, 1.0f, a, 3, b, 1, 0.0f, d, 1);
    CU_ASSERT_EQUAL(c[0], -2.0f);
    CU_ASSERT_EQUAL(c[1], -2.0f);
    CU_ASSERT_EQUAL(d[0], -2.0f);
    CU_ASSERT_EQUAL(d[1], -2.0f);
}

/* A large C with beta = 0 is cleared by gemm itself, on every thread,
 * and multiplied with beta = 1 (mat.c): the bits must be OpenBLAS's
 * own beta = 0 result, whatever was in C, and a view's padding columns
 * must stay as they were. */
static void test_large_beta_zero_same_bits(void)
{
    enum { M = 700, N = 400, K = 37, PAD = 5 };
    int before = parallel_threads();
    Rng rng;
    rng_seed(&rng, 7);
    float *a = random_buffer(&rng, (size_t)M * K);
    float *b = random_buffer(&rng, (size_t)K * N);
    for (int ldc = N; ldc <= N + PAD; ldc += PAD)
        for (int threads = 1; threads <= 2; threads++) {
            parallel_set_threads(threads);
            size_t size = (size_t)M * ldc;
            float *mine = malloc(size * sizeof(float));
            float *theirs = malloc(size * sizeof(float));
            for (size_t i = 0; i < size; i++)
                mine[i] = theirs[i] = i % ldc < N ? NAN : 3.0f;
            gemm(NO_TRANS, TRANS, M, N, K, 0.5f, a, K, b, K, 0.0f, mine,
                 ldc);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K,
                        0.5f, a, K, b, K, 0.0f, theirs, ldc);
            CU_ASSERT_EQUAL(memcmp(mine, theirs, size * sizeof(float)), 0);
            free(mine);
            free(theirs);
        }
    parallel_set_threads(before);
    free(a);
    free(b);
}

static void test_mat_mul_small_by_hand(void)
{
    Mat a = mat_new(2, 2), b = mat_new(2, 2), c = mat_new(2, 2);
    float av[4] = {1, 2, 3, 4}, bv[4] = {5, 6, 7, 8};
    for (int i = 0; i < 4; i++) {
        a.data[i] = av[i];
        b.data[i] = bv[i];
    }
    mat_mul(&c, &a, NO_TRANS, &b, NO_TRANS, 1.0f, 0.0f);
    CU_ASSERT_EQUAL(MAT_AT(c, 0, 0), 19.0f);
    CU_ASSERT_EQUAL(MAT_AT(c, 0, 1), 22.0f);
    CU_ASSERT_EQUAL(MAT_AT(c, 1, 0), 43.0f);
    CU_ASSERT_EQUAL(MAT_AT(c, 1, 1), 50.0f);
    mat_mul(&c, &a, TRANS, &b, NO_TRANS, 1.0f, 0.0f); /* A^T B */
    CU_ASSERT_EQUAL(MAT_AT(c, 0, 0), 26.0f);
    CU_ASSERT_EQUAL(MAT_AT(c, 1, 1), 44.0f);
    mat_free(&a);
    mat_free(&b);
    mat_free(&c);
}

static void test_recording(void)
{
    float a[6] = {0}, b[6] = {0}, c[9] = {0};
    GemmCall calls[2];
    gemm_record_start(calls, 2);
    gemm(NO_TRANS, TRANS, 3, 3, 2, 1.0f, a, 2, b, 2, 0.0f, c, 3);
    gemm(TRANS, NO_TRANS, 2, 2, 3, 1.0f, a, 2, b, 2, 1.0f, c, 2);
    gemm(NO_TRANS, NO_TRANS, 1, 1, 1, 1.0f, a, 1, b, 1, 0.0f, c, 1);
    CU_ASSERT_EQUAL(gemm_record_stop(), 3); /* counted past capacity */
    CU_ASSERT_EQUAL(calls[0].tb, TRANS);
    CU_ASSERT_EQUAL(calls[0].k, 2);
    CU_ASSERT_EQUAL(calls[1].ta, TRANS);
    CU_ASSERT_EQUAL(calls[1].beta, 1.0f);
    gemm(NO_TRANS, NO_TRANS, 1, 1, 1, 1.0f, a, 1, b, 1, 0.0f, c, 1);
    CU_ASSERT_EQUAL(gemm_record_stop(), 0); /* off after stop */
}

/* make bench times a step's other work with its products skipped: a
 * skipped call is still recorded, leaves C as it was, and skipping
 * ends when turned off */
static void test_skipping(void)
{
    float a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, c[4] = {-1, -1, -1, -1};
    GemmCall calls[1];
    gemm_record_start(calls, 1);
    gemm_skip(true);
    gemm(NO_TRANS, NO_TRANS, 2, 2, 2, 1.0f, a, 2, b, 2, 0.0f, c, 2);
    gemm_skip(false);
    CU_ASSERT_EQUAL(gemm_record_stop(), 1);
    CU_ASSERT_EQUAL(calls[0].m, 2);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(c[i], -1.0f);
    gemm(NO_TRANS, NO_TRANS, 2, 2, 2, 1.0f, a, 2, b, 2, 0.0f, c, 2);
    CU_ASSERT_EQUAL(c[0], 19.0f); /* 1*5 + 2*7 */
    CU_ASSERT_EQUAL(c[3], 50.0f); /* 3*6 + 4*8 */
}

void suite_mat(void)
{
    CU_pSuite s = CU_add_suite("mat", NULL, NULL);
    CU_add_test(s, "gemm equals the naive loop: odd shapes, all transposes",
                test_gemm_matches_naive);
    CU_add_test(s, "beta = 0 overwrites C without reading it",
                test_beta_zero_ignores_old_c);
    CU_add_test(s, "a large beta = 0 product: OpenBLAS's bits, padding kept",
                test_large_beta_zero_same_bits);
    CU_add_test(s, "mat_mul on a 2x2 by hand", test_mat_mul_small_by_hand);
    CU_add_test(s, "recording the shapes of gemm calls", test_recording);
    CU_add_test(s, "skipped calls are recorded and compute nothing",
                test_skipping);
}
