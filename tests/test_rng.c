/* test_rng.c - the generator is deterministic and has the right
 * moments. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define SAMPLES 200000

static void test_same_seed_same_numbers(void)
{
    Rng a, b, c;
    rng_seed(&a, 7);
    rng_seed(&b, 7);
    rng_seed(&c, 8);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_u64(&a);
        CU_ASSERT_EQUAL(x, rng_u64(&b));
        differ += x != rng_u64(&c);
    }
    CU_ASSERT_TRUE(differ > 990);
    /* the state is plain data: a copy continues the same sequence,
     * including a pending second normal */
    rng_normal(&a);
    Rng saved = a;
    float n1 = rng_normal(&a), n2 = rng_normal(&a);
    CU_ASSERT_EQUAL(n1, rng_normal(&saved));
    CU_ASSERT_EQUAL(n2, rng_normal(&saved));
}

static void test_uniform_moments(void)
{
    Rng rng;
    rng_seed(&rng, 1);
    double sum = 0, sq = 0;
    for (int i = 0; i < SAMPLES; i++) {
        float u = rng_uniform(&rng);
        CU_ASSERT_TRUE_FATAL(u >= 0.0f && u < 1.0f);
        sum += u;
        sq += (double)u * u;
    }
    double mean = sum / SAMPLES, var = sq / SAMPLES - mean * mean;
    /* standard error of the mean: sqrt(1/12 / n) = 0.00065 */
    CU_ASSERT_DOUBLE_EQUAL(mean, 0.5, 0.003);
    CU_ASSERT_DOUBLE_EQUAL(var, 1.0 / 12.0, 0.002);
}

static void test_normal_moments(void)
{
    Rng rng;
    rng_seed(&rng, 2);
    double m[5] = {0};
    for (int i = 0; i < SAMPLES; i++) {
        double x = rng_normal(&rng), p = 1;
        for (int k = 1; k < 5; k++)
            m[k] += (p *= x);
    }
    for (int k = 1; k < 5; k++)
        m[k] /= SAMPLES;
    /* N(0, 1): E x = 0, E x^2 = 1, E x^3 = 0, E x^4 = 3 */
    CU_ASSERT_DOUBLE_EQUAL(m[1], 0.0, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(m[2], 1.0, 0.015);
    CU_ASSERT_DOUBLE_EQUAL(m[3], 0.0, 0.05);
    CU_ASSERT_DOUBLE_EQUAL(m[4], 3.0, 0.1);
}

static void test_below_is_uniform(void)
{
    Rng rng;
    rng_seed(&rng, 3);
    int counts[10] = {0};
    for (int i = 0; i < 100000; i++) {
        uint64_t k = rng_below(&rng, 10);
        CU_ASSERT_TRUE_FATAL(k < 10);
        counts[k]++;
    }
    /* chi-square with 9 degrees of freedom; 27.9 is its 0.1% tail */
    double chi2 = 0;
    for (int k = 0; k < 10; k++)
        chi2 += (counts[k] - 10000.0) * (counts[k] - 10000.0) / 10000.0;
    CU_ASSERT_TRUE(chi2 < 27.9);
}

static void test_shuffle_is_a_permutation(void)
{
    Rng rng;
    rng_seed(&rng, 4);
    int idx[1000], seen[1000] = {0}, moved = 0;
    for (int i = 0; i < 1000; i++)
        idx[i] = i;
    rng_shuffle(&rng, idx, 1000);
    for (int i = 0; i < 1000; i++) {
        seen[idx[i]]++;
        moved += idx[i] != i;
    }
    for (int i = 0; i < 1000; i++)
        CU_ASSERT_EQUAL(seen[i], 1);
    CU_ASSERT_TRUE(moved > 950);
}

static void test_save_restore(void)
{
    Rng a, b;
    rng_seed(&a, 11);
    rng_normal(&a); /* leaves a spare normal pending */
    uint64_t words[RNG_STATE_WORDS];
    rng_save(&a, words);
    rng_seed(&b, 999);
    rng_restore(&b, words);
    for (int i = 0; i < 10; i++)
        CU_ASSERT_EQUAL(rng_normal(&a), rng_normal(&b));
}

void suite_rng(void)
{
    CU_pSuite s = CU_add_suite("rng", NULL, NULL);
    CU_add_test(s, "same seed, same numbers; state copies continue",
                test_same_seed_same_numbers);
    CU_add_test(s, "uniform: range, mean 1/2, variance 1/12",
                test_uniform_moments);
    CU_add_test(s, "normal: first four moments", test_normal_moments);
    CU_add_test(s, "rng_below: chi-square uniformity",
                test_below_is_uniform);
    CU_add_test(s, "shuffle: a permutation", test_shuffle_is_a_permutation);
    CU_add_test(s, "save and restore continue the same sequence",
                test_save_restore);
}
