/* test_mixture.c - the ring and the grid are where the protocol puts
 * them, their samples have the right spread, and the mode metrics give
 * the known answer on hand-made sample sets. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mixture.h"
#include "rng.h"

#define MANY 100000     /* samples for the statistical checks */
#define PROTOCOL 2500   /* samples the protocol scores */
#define PI 3.14159265358979323846

static void test_ring_centres(void)
{
    Mixture m;
    CU_ASSERT_EQUAL_FATAL(mixture_parse("ring", &m), 0);
    CU_ASSERT_STRING_EQUAL(m.name, "ring");
    CU_ASSERT_EQUAL_FATAL(m.modes, 8);
    CU_ASSERT_DOUBLE_EQUAL(m.sigma, 0.01, 1e-9);
    for (int k = 0; k < 8; k++) {
        CU_ASSERT_DOUBLE_EQUAL(m.centres[k][0], cos(2 * PI * k / 8), 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(m.centres[k][1], sin(2 * PI * k / 8), 1e-6);
    }
    /* eight distinct modes: neighbours are 2 sin(pi/8) = 0.765 apart */
    for (int a = 0; a < 8; a++)
        for (int b = a + 1; b < 8; b++) {
            double dx = m.centres[a][0] - m.centres[b][0];
            double dy = m.centres[a][1] - m.centres[b][1];
            CU_ASSERT_TRUE(sqrt(dx * dx + dy * dy) > 0.76);
        }
}

static void test_grid_centres(void)
{
    Mixture m;
    CU_ASSERT_EQUAL_FATAL(mixture_parse("grid", &m), 0);
    CU_ASSERT_EQUAL_FATAL(m.modes, 25);
    CU_ASSERT_DOUBLE_EQUAL(m.sigma, 0.05, 1e-9);
    int seen[5][5] = {{0}};
    for (int k = 0; k < 25; k++) {
        float x = m.centres[k][0], y = m.centres[k][1];
        int i = (int)lroundf((x + 4) / 2), j = (int)lroundf((y + 4) / 2);
        CU_ASSERT_TRUE_FATAL(i >= 0 && i < 5 && j >= 0 && j < 5);
        CU_ASSERT_EQUAL(x, -4.0f + 2.0f * i);
        CU_ASSERT_EQUAL(y, -4.0f + 2.0f * j);
        seen[i][j]++;
    }
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            CU_ASSERT_EQUAL(seen[i][j], 1);
}

static void test_parse_refuses_other_names(void)
{
    Mixture m;
    CU_ASSERT_EQUAL(mixture_parse("moons", &m), -1);
    CU_ASSERT_EQUAL(mixture_parse("Ring", &m), -1);
    CU_ASSERT_EQUAL(mixture_parse("", &m), -1);
}

static void test_every_mode_hit_exactly(void)
{
    const char *names[] = {"ring", "grid"};
    for (int t = 0; t < 2; t++) {
        Mixture m;
        mixture_parse(names[t], &m);
        MixtureScore s;
        mixture_score(&m, &m.centres[0][0], m.modes, &s);
        CU_ASSERT_EQUAL(s.modes, m.modes);
        CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 100.0, 1e-9);
        for (int k = 0; k < m.modes; k++)
            CU_ASSERT_EQUAL(s.counts[k], 1);
    }
}

static void test_all_samples_at_one_mode(void)
{
    Mixture m;
    mixture_grid(&m);
    enum { N = 500, MODE = 17 };
    float x[2 * N];
    for (int i = 0; i < N; i++) {
        /* spread within 2 sigma of the mode: still high quality */
        x[2 * i] = m.centres[MODE][0] + 0.1f * (float)(i % 3 - 1);
        x[2 * i + 1] = m.centres[MODE][1];
    }
    MixtureScore s;
    mixture_score(&m, x, N, &s);
    CU_ASSERT_EQUAL(s.modes, 1);
    CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 100.0, 1e-9);
    CU_ASSERT_EQUAL(s.counts[MODE], N);
}

static void test_points_off_every_mode(void)
{
    Mixture ring, grid;
    mixture_ring(&ring);
    mixture_grid(&grid);
    /* the ring's centre, a point outside it, one between two modes */
    float off_ring[] = {0.0f, 0.0f, 3.0f, 3.0f, 0.9f, 0.35f, 1.05f, 0.0f};
    MixtureScore s;
    mixture_score(&ring, off_ring, 4, &s);
    CU_ASSERT_EQUAL(s.modes, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 0.0, 1e-9);
    /* the middle of four grid modes, and far outside the grid */
    float off_grid[] = {1.0f, 1.0f, -3.0f, 3.0f, 40.0f, -40.0f};
    mixture_score(&grid, off_grid, 3, &s);
    CU_ASSERT_EQUAL(s.modes, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 0.0, 1e-9);
    /* not a number is never high quality */
    float nan_point[] = {NAN, 0.0f};
    mixture_score(&grid, nan_point, 1, &s);
    CU_ASSERT_EQUAL(s.modes, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 0.0, 1e-9);
    mixture_score(&grid, NULL, 0, &s);
    CU_ASSERT_EQUAL(s.modes, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 0.0, 1e-9);
}

static void test_mixed_set(void)
{
    Mixture m;
    mixture_ring(&m);
    /* three samples at modes 0, 0 and 2; one halfway to the centre */
    float x[] = {1.0f, 0.0f, 1.0f, 0.0f, 0.0f, 1.0f, 0.5f, 0.0f};
    MixtureScore s;
    mixture_score(&m, x, 4, &s);
    CU_ASSERT_EQUAL(s.modes, 2);
    CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 75.0, 1e-9);
    CU_ASSERT_EQUAL(s.counts[0], 2);
    CU_ASSERT_EQUAL(s.counts[2], 1);
}

/* sigma = 0.25 makes 3 sigma = 0.75 exact in binary, so a point can
 * sit exactly on the boundary: it counts ("within" is <=). */
static void test_three_sigma_boundary(void)
{
    const float centres[] = {0.0f, 0.0f, 10.0f, 0.0f};
    Mixture m;
    mixture_init(&m, "pair", 2, centres, 0.25f);
    float on[] = {0.75f, 0.0f, 10.0f, -0.75f};
    MixtureScore s;
    mixture_score(&m, on, 2, &s);
    CU_ASSERT_EQUAL(s.modes, 2);
    CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 100.0, 1e-9);
    float beyond[] = {nextafterf(0.75f, 1.0f), 0.0f,
                      10.0f, nextafterf(-0.75f, -1.0f)};
    mixture_score(&m, beyond, 2, &s);
    CU_ASSERT_EQUAL(s.modes, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.high_quality, 0.0, 1e-9);
}

static void test_nearest(void)
{
    Mixture m;
    mixture_grid(&m);
    double d;
    float p[] = {1.9f, -3.5f};
    int k = mixture_nearest(&m, p, &d);
    CU_ASSERT_EQUAL(m.centres[k][0], 2.0f);
    CU_ASSERT_EQUAL(m.centres[k][1], -4.0f);
    CU_ASSERT_DOUBLE_EQUAL(d, sqrt(0.1 * 0.1 + 0.5 * 0.5), 1e-6);
    /* equally far from four modes: the first one wins */
    float middle[] = {1.0f, 1.0f};
    k = mixture_nearest(&m, middle, NULL);
    CU_ASSERT_EQUAL(m.centres[k][0], 0.0f);
    CU_ASSERT_EQUAL(m.centres[k][1], 0.0f);
}

/* Samples of the target itself capture every mode, and 1 - e^-4.5 =
 * 98.89% of them are high quality; with 100,000 samples the standard
 * error of that percentage is 0.033, so 0.2 is six of them. */
static void test_real_samples_score_as_the_gaussian_says(void)
{
    const char *names[] = {"ring", "grid"};
    float *x = malloc(2 * MANY * sizeof(float));
    for (int t = 0; t < 2; t++) {
        Mixture m;
        mixture_parse(names[t], &m);
        Rng rng;
        rng_seed(&rng, 11 + t);
        mixture_sample(&m, &rng, x, MANY);
        MixtureScore s;
        mixture_score(&m, x, MANY, &s);
        CU_ASSERT_EQUAL(s.modes, m.modes);
        CU_ASSERT_DOUBLE_EQUAL(s.high_quality, MIXTURE_GAUSSIAN_HQ_PERCENT,
                               0.2);
        double k = MIXTURE_QUALITY_SIGMAS;
        CU_ASSERT_DOUBLE_EQUAL(MIXTURE_GAUSSIAN_HQ_PERCENT,
                               100.0 * (1.0 - exp(-k * k / 2)), 1e-4);
        mixture_score(&m, x, PROTOCOL, &s);
        CU_ASSERT_EQUAL(s.modes, m.modes);
        CU_ASSERT_DOUBLE_EQUAL(s.high_quality, MIXTURE_GAUSSIAN_HQ_PERCENT,
                               1.5);
    }
    free(x);
}

/* Every mode gets about MANY / M samples, spread sigma about it, and
 * the same seed draws the same samples. */
static void test_sampling(void)
{
    Mixture m;
    mixture_grid(&m);
    float *x = malloc(2 * MANY * sizeof(float));
    float *again = malloc(2 * MANY * sizeof(float));
    Rng rng;
    rng_seed(&rng, 3);
    mixture_sample(&m, &rng, x, MANY);
    rng_seed(&rng, 3);
    mixture_sample(&m, &rng, again, MANY);
    CU_ASSERT_EQUAL(memcmp(x, again, 2 * MANY * sizeof(float)), 0);
    int counts[25] = {0};
    double sq = 0.0;
    for (int i = 0; i < MANY; i++) {
        int k = mixture_nearest(&m, &x[2 * i], NULL);
        counts[k]++;
        double dx = x[2 * i] - m.centres[k][0];
        double dy = x[2 * i + 1] - m.centres[k][1];
        sq += dx * dx + dy * dy;
    }
    /* a count is binomial: mean 4000, standard deviation 62 */
    for (int k = 0; k < 25; k++)
        CU_ASSERT_TRUE(abs(counts[k] - MANY / 25) < 5 * 62);
    CU_ASSERT_DOUBLE_EQUAL(sqrt(sq / (2.0 * MANY)), m.sigma,
                           0.01 * m.sigma);
    free(x);
    free(again);
}

void suite_mixture(void)
{
    CU_pSuite s = CU_add_suite("mixture", NULL, NULL);
    CU_add_test(s, "ring: 8 modes on the unit circle, sigma 0.01",
                test_ring_centres);
    CU_add_test(s, "grid: 25 modes at {-4,-2,0,2,4}^2, sigma 0.05",
                test_grid_centres);
    CU_add_test(s, "other target names are refused",
                test_parse_refuses_other_names);
    CU_add_test(s, "every mode hit exactly: all captured, 100%",
                test_every_mode_hit_exactly);
    CU_add_test(s, "all samples at one mode: 1 captured, 100%",
                test_all_samples_at_one_mode);
    CU_add_test(s, "points off every mode: 0 captured, 0%",
                test_points_off_every_mode);
    CU_add_test(s, "a mixed set: 2 captured, 75%", test_mixed_set);
    CU_add_test(s, "a point exactly 3 sigma away is high quality",
                test_three_sigma_boundary);
    CU_add_test(s, "nearest mode and its distance", test_nearest);
    CU_add_test(s, "real samples: all modes, 98.89% high quality",
                test_real_samples_score_as_the_gaussian_says);
    CU_add_test(s, "sampling: uniform modes, spread sigma, seeded",
                test_sampling);
}
