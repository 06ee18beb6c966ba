/* test_spectral_norm.c - spectral normalisation: power iteration finds
 * the largest singular value and its vectors that LAPACK's SVD finds,
 * one step per change keeps up with a slowly moving matrix, W / sigma
 * has spectral norm 1, and the backward equals finite differences,
 * both with u and v held fixed and against the true sigma(W). */
#include <CUnit/CUnit.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rng.h"
#include "spectral_norm.h"

#define D 7
#define H 5
#define CONVERGE_STEPS 200
#define FD_STEP 1e-3f
#define TOLERANCE 2e-3

/* The singular values of a (rows, cols) matrix, largest first, and
 * the top left (rows) and right (cols) singular vectors, by LAPACK's
 * dgesvd: the referee shares no code with the power iteration. */
static void svd(const float *w, int rows, int cols, double *s,
                double *left, double *right)
{
    int k = rows < cols ? rows : cols;
    double *a = malloc((size_t)rows * cols * sizeof(double));
    double *u = malloc((size_t)rows * rows * sizeof(double));
    double *vt = malloc((size_t)cols * cols * sizeof(double));
    double *work = malloc((size_t)k * sizeof(double));
    for (int i = 0; i < rows * cols; i++)
        a[i] = w[i];
    lapack_int info = LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'A', 'A', rows,
                                     cols, a, cols, s, u, rows, vt, cols,
                                     work);
    CU_ASSERT_EQUAL_FATAL(info, 0);
    for (int i = 0; left && i < rows; i++)
        left[i] = u[(size_t)i * rows];  /* first column of U */
    for (int j = 0; right && j < cols; j++)
        right[j] = vt[j];               /* first row of V^T */
    free(a);
    free(u);
    free(vt);
    free(work);
}

static double top_singular_value(const float *w, int rows, int cols)
{
    double s[D > H ? D : H];
    svd(w, rows, cols, s, NULL, NULL);
    return s[0];
}

/* |<a, b>|: 1 when two unit vectors agree up to sign */
static double alignment(const float *a, const double *b, int n)
{
    double dot = 0.0;
    for (int i = 0; i < n; i++)
        dot += a[i] * b[i];
    return fabs(dot);
}

static void random_matrix(Rng *rng, float *w, int n)
{
    rng_fill_normal(rng, w, n, 0.0f, 1.0f);
}

static void test_power_iteration_matches_svd(void)
{
    Rng rng;
    rng_seed(&rng, 1);
    float w[D * H];
    random_matrix(&rng, w, D * H);
    SpectralNorm sn;
    spectral_norm_init(&sn, D, H, &rng);
    spectral_norm_update(&sn, w, CONVERGE_STEPS);
    double s[H], left[D], right[H];
    svd(w, D, H, s, left, right);
    CU_ASSERT_DOUBLE_EQUAL(sn.sigma, s[0], 1e-4 * s[0]);
    CU_ASSERT_DOUBLE_EQUAL(alignment(sn.v, left, D), 1.0, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(alignment(sn.u, right, H), 1.0, 1e-4);
    /* Wn = W / sigma has largest singular value 1 */
    float wn[D * H];
    spectral_norm_apply(&sn, w, wn);
    CU_ASSERT_DOUBLE_EQUAL(top_singular_value(wn, D, H), 1.0, 1e-4);
    spectral_norm_free(&sn);
}

/* Training moves W a little each step; one power iteration step per
 * change keeps sigma within a fraction of a percent of the truth. */
static void test_one_step_per_change_keeps_up(void)
{
    enum { CHANGES = 300 };
    const float drift = 0.01f; /* per step, relative to W's entries */
    Rng rng;
    rng_seed(&rng, 2);
    float w[D * H], noise[D * H];
    random_matrix(&rng, w, D * H);
    SpectralNorm sn;
    spectral_norm_init(&sn, D, H, &rng);
    spectral_norm_update(&sn, w, CONVERGE_STEPS);
    double worst = 0.0;
    for (int t = 0; t < CHANGES; t++) {
        random_matrix(&rng, noise, D * H);
        for (int i = 0; i < D * H; i++)
            w[i] += drift * noise[i];
        spectral_norm_update(&sn, w, 1);
        double truth = top_singular_value(w, D, H);
        double e = fabs(sn.sigma - truth) / truth;
        if (e > worst)
            worst = e;
    }
    if (worst >= 5e-3)
        fprintf(stderr, "\n    worst relative error of sigma %.2e\n",
                worst);
    CU_ASSERT_TRUE(worst < 5e-3);
    spectral_norm_free(&sn);
}

/* L = sum c * W / sigma, with sigma either v^T W u for the fixed u, v
 * of the layer (what the backward differentiates) or the true largest
 * singular value of W. */
typedef struct {
    SpectralNorm sn;
    float w[D * H], c[D * H];
    int true_sigma;
} Case;

static double case_loss(void *ctx)
{
    Case *t = ctx;
    double sigma;
    if (t->true_sigma) {
        sigma = top_singular_value(t->w, D, H);
    } else {
        sigma = 0.0;
        for (int i = 0; i < D; i++)
            for (int j = 0; j < H; j++)
                sigma += (double)t->sn.v[i] * t->w[i * H + j] * t->sn.u[j];
    }
    double s = 0.0;
    for (int i = 0; i < D * H; i++)
        s += t->c[i] * t->w[i] / sigma;
    return s;
}

static double backward_error(Case *t)
{
    float wn[D * H], dw[D * H], num[D * H];
    spectral_norm_apply(&t->sn, t->w, wn);
    spectral_norm_backward(&t->sn, wn, t->c, dw);
    numeric_gradient(t->w, D * H, case_loss, t, FD_STEP, num);
    return rel_error(dw, num, D * H);
}

static void test_backward(void)
{
    Case t;
    Rng rng;
    rng_seed(&rng, 3);
    random_matrix(&rng, t.w, D * H);
    for (int i = 0; i < D * H; i++)
        t.c[i] = rng_range(&rng, -1, 1);
    spectral_norm_init(&t.sn, D, H, &rng);
    /* after a few steps u, v are not yet converged: the backward is
     * still exact for the sigma = v^T W u it holds them fixed in */
    spectral_norm_update(&t.sn, t.w, 2);
    t.true_sigma = 0;
    double fixed = backward_error(&t);
    /* converged, d sigma / dW = v u^T is the true sigma's gradient */
    spectral_norm_update(&t.sn, t.w, CONVERGE_STEPS);
    t.true_sigma = 1;
    double truth = backward_error(&t);
    if (fixed >= TOLERANCE || truth >= TOLERANCE)
        fprintf(stderr, "\n    relative errors: fixed u, v %.2e; true "
                "sigma %.2e\n", fixed, truth);
    CU_ASSERT_TRUE(fixed < TOLERANCE);
    CU_ASSERT_TRUE(truth < TOLERANCE);
    spectral_norm_free(&t.sn);
}

void suite_spectral_norm(void)
{
    CU_pSuite s = CU_add_suite("spectral_norm", NULL, NULL);
    CU_add_test(s, "power iteration = LAPACK's SVD; W / sigma has norm 1",
                test_power_iteration_matches_svd);
    CU_add_test(s, "one step per change tracks a moving W",
                test_one_step_per_change_keeps_up);
    CU_add_test(s, "backward = finite differences (fixed u, v and true "
                   "sigma)", test_backward);
}
