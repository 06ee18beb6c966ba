/* test_frechet.c - Gaussian fits and the Frechet distance against
 * closed forms: diagonal covariances, rotated ones, a 2x2 pair that
 * does not commute, a set against itself, and singular covariances. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frechet.h"
#include "helpers.h"
#include "rng.h"

#define MAX_F 8

static double distance(const Gaussian *a, const Gaussian *b)
{
    double d2 = -1.0;
    Error err;
    if (frechet_distance(a, b, &d2, &err) < 0)
        fprintf(stderr, "\n    %s\n", err.msg);
    return d2;
}

/* Q diag(e) Q^T for an orthogonal q.   q, out: (F, F)   e: (F) */
static void rotate_diag(const double *q, const double *e, int F,
                        double *out)
{
    for (int i = 0; i < F; i++)
        for (int j = 0; j < F; j++) {
            double s = 0.0;
            for (int k = 0; k < F; k++)
                s += q[i * F + k] * e[k] * q[j * F + k];
            out[i * F + j] = s;
        }
}

/* A random orthogonal matrix: the Householder reflection
 * I - 2 u u^T / |u|^2 of a random u. */
static void random_orthogonal(Rng *rng, int F, double *q)
{
    double u[MAX_F], norm2 = 0.0;
    for (int i = 0; i < F; i++) {
        u[i] = rng_normal(rng);
        norm2 += u[i] * u[i];
    }
    for (int i = 0; i < F; i++)
        for (int j = 0; j < F; j++)
            q[i * F + j] = (i == j) - 2.0 * u[i] * u[j] / norm2;
}

static void test_diagonal_closed_form(void)
{
    enum { F = 3 };
    const double m1[F] = {1, 2, 3}, m2[F] = {0, 2.5, -1};
    const double v1[F] = {4, 1, 0.25}, v2[F] = {1, 9, 0.25};
    double c1[F * F] = {0}, c2[F * F] = {0};
    double want = 0.0;
    for (int i = 0; i < F; i++) {
        c1[i * F + i] = v1[i];
        c2[i * F + i] = v2[i];
        want += (m1[i] - m2[i]) * (m1[i] - m2[i]) +
                (sqrt(v1[i]) - sqrt(v2[i])) * (sqrt(v1[i]) - sqrt(v2[i]));
    }
    /* |m1 - m2|^2 = 1 + 0.25 + 16, and (2-1)^2 + (1-3)^2 + 0 = 5 */
    CU_ASSERT_DOUBLE_EQUAL(want, 22.25, 1e-12);
    Gaussian a, b;
    gaussian_set(&a, F, m1, c1);
    gaussian_set(&b, F, m2, c2);
    CU_ASSERT_DOUBLE_EQUAL(distance(&a, &b), want, 1e-10);
    CU_ASSERT_DOUBLE_EQUAL(distance(&b, &a), want, 1e-10);
    gaussian_free(&a);
    gaussian_free(&b);
}

/* Rotating both covariances by the same Q changes nothing: they still
 * commute, and d^2 = |m1 - m2|^2 + sum (sqrt e1 - sqrt e2)^2. */
static void test_rotated_closed_form(void)
{
    enum { F = 5 };
    Rng rng;
    rng_seed(&rng, 3);
    double q[F * F], c1[F * F], c2[F * F], m1[F], m2[F];
    const double e1[F] = {3, 2, 1, 0.5, 0.1}, e2[F] = {1, 1, 4, 0.2, 2};
    random_orthogonal(&rng, F, q);
    rotate_diag(q, e1, F, c1);
    rotate_diag(q, e2, F, c2);
    double want = 0.0;
    for (int i = 0; i < F; i++) {
        m1[i] = rng_normal(&rng);
        m2[i] = rng_normal(&rng);
        want += (m1[i] - m2[i]) * (m1[i] - m2[i]) +
                (sqrt(e1[i]) - sqrt(e2[i])) * (sqrt(e1[i]) - sqrt(e2[i]));
    }
    Gaussian a, b;
    gaussian_set(&a, F, m1, c1);
    gaussian_set(&b, F, m2, c2);
    CU_ASSERT_DOUBLE_EQUAL(distance(&a, &b), want, 1e-9);
    gaussian_free(&a);
    gaussian_free(&b);
}

/* For 2x2 covariances that do not commute: M = S1^1/2 S2 S1^1/2 has
 * Tr M = Tr(S1 S2) and det M = det S1 det S2, and any 2x2 symmetric
 * positive M has (Tr M^1/2)^2 = Tr M + 2 sqrt(det M). */
static void test_non_commuting_2x2(void)
{
    enum { F = 2 };
    const double th = 0.6, c = cos(th), s = sin(th);
    const double q[F * F] = {c, -s, s, c}, e[F] = {9, 0.25};
    double c1[F * F] = {4, 0, 0, 1}, c2[F * F];
    rotate_diag(q, e, F, c2);
    const double m[F] = {0, 0};
    double tr12 = c1[0] * c2[0] + c1[1] * c2[2] + c1[2] * c2[1] +
                  c1[3] * c2[3];
    double det1 = c1[0] * c1[3] - c1[1] * c1[2];
    double det2 = c2[0] * c2[3] - c2[1] * c2[2];
    double cross = sqrt(tr12 + 2.0 * sqrt(det1 * det2));
    double want = c1[0] + c1[3] + c2[0] + c2[3] - 2.0 * cross;
    Gaussian a, b;
    gaussian_set(&a, F, m, c1);
    gaussian_set(&b, F, m, c2);
    CU_ASSERT_DOUBLE_EQUAL(distance(&a, &b), want, 1e-10);
    CU_ASSERT_TRUE(want > 1.0); /* the rotation matters */
    gaussian_free(&a);
    gaussian_free(&b);
}

/* Correlated data: x = z A + offset, z ~ N(0, I).   x: (n, F) */
static float *correlated(Rng *rng, long n, int F, float offset)
{
    float *x = malloc((size_t)n * F * sizeof(float));
    double mix[MAX_F * MAX_F];
    for (int i = 0; i < F * F; i++)
        mix[i] = rng_normal(rng);
    for (long r = 0; r < n; r++) {
        double z[MAX_F];
        for (int k = 0; k < F; k++)
            z[k] = rng_normal(rng);
        for (int f = 0; f < F; f++) {
            double v = offset;
            for (int k = 0; k < F; k++)
                v += z[k] * mix[k * F + f];
            x[(size_t)r * F + f] = (float)v;
        }
    }
    return x;
}

static void test_set_against_itself_is_zero(void)
{
    enum { F = 8, N = 500 };
    Rng rng;
    rng_seed(&rng, 11);
    float *x = correlated(&rng, N, F, 0.5f);
    /* the same rows in reverse order: the sums round differently */
    float *y = malloc((size_t)N * F * sizeof(float));
    for (int r = 0; r < N; r++)
        memcpy(y + (size_t)r * F, x + (size_t)(N - 1 - r) * F,
               F * sizeof(float));
    Gaussian a, b;
    Error err;
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&a, x, N, F, &err), 0);
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&b, y, N, F, &err), 0);
    double trace = 0.0;
    for (int f = 0; f < F; f++)
        trace += a.cov[f * F + f];
    CU_ASSERT_TRUE(trace > 1.0);
    /* the square roots of the eigenvalues carry about 1e-8 of relative
     * rounding: far below anything a real distance shows */
    CU_ASSERT_TRUE(distance(&a, &a) < 1e-6 * trace);
    CU_ASSERT_TRUE(distance(&a, &b) < 1e-6 * trace);
    CU_ASSERT_TRUE(distance(&a, &b) >= 0.0);
    gaussian_free(&a);
    gaussian_free(&b);
    free(x);
    free(y);
}

/* Three points by hand, far from the origin: the fit subtracts the
 * mean first, so the offset costs nothing. */
static void test_fit_by_hand(void)
{
    const float base[6] = {1, 2, 3, 6, 5, 7};
    const float offset = 10000.0f;
    float far[6];
    for (int i = 0; i < 6; i++)
        far[i] = base[i] + offset;
    Gaussian g, h;
    Error err;
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&g, base, 3, 2, &err), 0);
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&h, far, 3, 2, &err), 0);
    /* deviations (-2,-3), (0,1), (2,2), divided by n - 1 = 2 */
    const double mean[2] = {3, 5}, cov[4] = {4, 5, 5, 7};
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_DOUBLE_EQUAL(g.mean[i], mean[i], 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(h.mean[i], mean[i] + offset, 1e-9);
    }
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_DOUBLE_EQUAL(g.cov[i], cov[i], 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(h.cov[i], cov[i], 1e-12);
    }
    CU_ASSERT_EQUAL(g.count, 3);
    gaussian_free(&g);
    gaussian_free(&h);
}

/* More rows than one block of the fit: the covariance equals the
 * plain double loop's. */
static void test_fit_across_blocks(void)
{
    enum { F = 6, N = 2500 };
    Rng rng;
    rng_seed(&rng, 5);
    float *x = correlated(&rng, N, F, -3.0f);
    Gaussian g;
    Error err;
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&g, x, N, F, &err), 0);
    double mean[F] = {0};
    for (int r = 0; r < N; r++)
        for (int f = 0; f < F; f++)
            mean[f] += x[r * F + f] / (double)N;
    double worst = 0.0;
    for (int a = 0; a < F; a++)
        for (int b = 0; b < F; b++) {
            double s = 0.0;
            for (int r = 0; r < N; r++)
                s += (x[r * F + a] - mean[a]) * (x[r * F + b] - mean[b]);
            s /= N - 1;
            double d = fabs(s - g.cov[a * F + b]) / (1.0 + fabs(s));
            worst = d > worst ? d : worst;
        }
    CU_ASSERT_TRUE(worst < 1e-12);
    gaussian_free(&g);
    free(x);
}

/* A feature that is 0 in every vector (a dead ReLU) makes both
 * covariances singular; the distance is then that of the other
 * features alone, and never NaN. */
static void test_singular_covariance(void)
{
    enum { F = 4, N = 300 };
    Rng rng;
    rng_seed(&rng, 9);
    float *x = correlated(&rng, N, F, 0.0f);
    float *y = correlated(&rng, N, F, 0.7f);
    float *x0 = calloc((size_t)N * (F + 1), sizeof(float));
    float *y0 = calloc((size_t)N * (F + 1), sizeof(float));
    for (int r = 0; r < N; r++) {
        memcpy(x0 + (size_t)r * (F + 1), x + (size_t)r * F,
               F * sizeof(float));
        memcpy(y0 + (size_t)r * (F + 1), y + (size_t)r * F,
               F * sizeof(float));
    }
    Gaussian a, b, a0, b0;
    Error err;
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&a, x, N, F, &err), 0);
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&b, y, N, F, &err), 0);
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&a0, x0, N, F + 1, &err), 0);
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&b0, y0, N, F + 1, &err), 0);
    double d = distance(&a, &b), d0 = distance(&a0, &b0);
    CU_ASSERT_FALSE(isnan(d0));
    CU_ASSERT_TRUE(d > 0.1);
    CU_ASSERT_DOUBLE_EQUAL(d0, d, 1e-7 * d);
    /* fewer vectors than features: rank-deficient, still finite */
    Gaussian c;
    CU_ASSERT_EQUAL_FATAL(gaussian_fit(&c, x, 3, F, &err), 0);
    double dc = distance(&c, &b);
    CU_ASSERT_TRUE(isfinite(dc) && dc >= 0.0);
    gaussian_free(&a);
    gaussian_free(&b);
    gaussian_free(&a0);
    gaussian_free(&b0);
    gaussian_free(&c);
    free(x);
    free(y);
    free(x0);
    free(y0);
}

/* Two sets from the same distribution are at a positive distance that
 * shrinks as the sets grow: compare FCDs only at equal counts. */
static void test_bias_shrinks_with_count(void)
{
    enum { F = 8, SMALL = 200, LARGE = 8000 };
    Rng rng;
    rng_seed(&rng, 21);
    float *x = malloc((size_t)2 * LARGE * F * sizeof(float));
    rng_fill_normal(&rng, x, 2L * LARGE * F, 0.0f, 1.0f);
    const float *y = x + (size_t)LARGE * F;
    Gaussian a, b, c, d;
    Error err;
    gaussian_fit(&a, x, SMALL, F, &err);
    gaussian_fit(&b, y, SMALL, F, &err);
    gaussian_fit(&c, x, LARGE, F, &err);
    gaussian_fit(&d, y, LARGE, F, &err);
    double small = distance(&a, &b), large = distance(&c, &d);
    CU_ASSERT_TRUE(large > 0.0);
    CU_ASSERT_TRUE(small > 10.0 * large);
    gaussian_free(&a);
    gaussian_free(&b);
    gaussian_free(&c);
    gaussian_free(&d);
    free(x);
}

static void test_bad_input_refused(void)
{
    Gaussian g, h;
    Error err;
    const float one[3] = {1, 2, 3};
    CU_ASSERT_EQUAL(gaussian_fit(&g, one, 1, 3, &err), -1);
    ASSERT_CONTAINS(err.msg, "at least 2 vectors");
    CU_ASSERT_PTR_NULL(g.mean);
    const double m[3] = {0}, c[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    gaussian_set(&g, 2, m, c);
    gaussian_set(&h, 3, m, c);
    double d2;
    CU_ASSERT_EQUAL(frechet_distance(&g, &h, &d2, &err), -1);
    ASSERT_CONTAINS(err.msg, "2 and 3 features");
    gaussian_free(&g);
    gaussian_free(&h);
}

void suite_frechet(void)
{
    CU_pSuite s = CU_add_suite("frechet", NULL, NULL);
    CU_add_test(s, "diagonal covariances: the closed form",
                test_diagonal_closed_form);
    CU_add_test(s, "rotated covariances: the closed form",
                test_rotated_closed_form);
    CU_add_test(s, "2x2 covariances that do not commute",
                test_non_commuting_2x2);
    CU_add_test(s, "a set against itself is at distance 0",
                test_set_against_itself_is_zero);
    CU_add_test(s, "a fit by hand, also far from the origin",
                test_fit_by_hand);
    CU_add_test(s, "a fit across blocks = the plain loop",
                test_fit_across_blocks);
    CU_add_test(s, "singular covariances: finite, dead features ignored",
                test_singular_covariance);
    CU_add_test(s, "the distance of two samples shrinks as they grow",
                test_bias_shrinks_with_count);
    CU_add_test(s, "mismatched dimensions and too few vectors refused",
                test_bad_input_refused);
}
