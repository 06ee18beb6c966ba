/* test_parallel.c - parallel_for covers every element exactly once, and
 * an optimiser step gives the same bits on one thread or several. */
#include <CUnit/CUnit.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mat.h"
#include "optim.h"
#include "parallel.h"
#include "rng.h"

static void count_range(void *ctx, size_t begin, size_t end)
{
    int *hits = ctx;
    for (size_t i = begin; i < end; i++)
        hits[i]++;
}

static void test_ranges_cover_once(void)
{
    static const size_t sizes[] = {0, 1, 1000, PARALLEL_MIN_ELEMENTS,
                                   PARALLEL_MIN_ELEMENTS + 1, 300007};
    int *hits = calloc(300007, sizeof(int));
    for (int threads = 1; threads <= 3; threads++) {
        parallel_set_threads(threads);
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            memset(hits, 0, 300007 * sizeof(int));
            parallel_for(sizes[s], count_range, hits);
            int wrong = 0;
            for (size_t i = 0; i < sizes[s]; i++)
                wrong += hits[i] != 1;
            CU_ASSERT_EQUAL(wrong, 0);
        }
    }
    parallel_set_threads(1);
    free(hits);
}

/* Which thread ran the first range and which the second. */
static void note_thread(void *ctx, size_t begin, size_t end)
{
    (void)end;
    pthread_t *who = ctx;
    who[begin != 0] = pthread_self();
}

/* Built with OpenMP (GCC, as the Makefile builds the suite), two
 * threads really run two ranges at once; without it, the caller runs
 * the whole loop as one range. */
static void test_two_threads_run_two_ranges(void)
{
    pthread_t who[2] = {pthread_self(), pthread_self()};
    parallel_set_threads(2);
    parallel_for(2 * PARALLEL_MIN_ELEMENTS, note_thread, who);
    parallel_set_threads(1);
#ifdef _OPENMP
    CU_ASSERT_FALSE(pthread_equal(who[0], who[1]));
#else
    CU_ASSERT_TRUE(pthread_equal(who[0], who[1]));
#endif
}

/* The Makefile links OpenBLAS's OpenMP build, whichever one the
 * system's alternatives name libopenblas.so.0: if this fails, the
 * products and Adam run on two pools again (see the Makefile). */
static void test_openblas_is_the_openmp_build(void)
{
    CU_ASSERT_STRING_EQUAL(blas_threading(), "openmp");
}

/* Two Adam steps over 200,000 weights in two tensors. */
static void adam_twice(int threads, float *w)
{
    enum { A = 150000, B = 50000 };
    Rng rng;
    rng_seed(&rng, 9);
    float *g = malloc((A + B) * sizeof(float));
    for (int i = 0; i < A + B; i++) {
        w[i] = rng_range(&rng, -1, 1);
        g[i] = rng_range(&rng, -1, 1);
    }
    Param ps[2] = {{"a", w, g, 1, A}, {"b", w + A, g + A, 1, B}};
    Optim o;
    optim_init_adam(&o, ps, 2, 0.01f, 0.9f, 0.999f, 1e-8f);
    parallel_set_threads(threads);
    optim_step(&o);
    optim_step(&o);
    parallel_set_threads(1);
    optim_free(&o);
    free(g);
}

static void test_adam_same_bits_on_any_threads(void)
{
    float *one = malloc(200000 * sizeof(float));
    float *two = malloc(200000 * sizeof(float));
    float *three = malloc(200000 * sizeof(float));
    adam_twice(1, one);
    adam_twice(2, two);
    adam_twice(3, three);
    CU_ASSERT_EQUAL(memcmp(one, two, 200000 * sizeof(float)), 0);
    CU_ASSERT_EQUAL(memcmp(one, three, 200000 * sizeof(float)), 0);
    free(one);
    free(two);
    free(three);
}

void suite_parallel(void)
{
    CU_pSuite s = CU_add_suite("parallel", NULL, NULL);
    CU_add_test(s, "ranges cover [0, n) once, for 1 to 3 threads",
                test_ranges_cover_once);
    CU_add_test(s, "Adam on 1, 2 or 3 threads: the same bits",
                test_adam_same_bits_on_any_threads);
    CU_add_test(s, "two threads run the two halves of a loop",
                test_two_threads_run_two_ranges);
    CU_add_test(s, "OpenBLAS is the OpenMP build, sharing our threads",
                test_openblas_is_the_openmp_build);
}
