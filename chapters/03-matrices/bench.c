/* bench.c - timing gemm_naive against OpenBLAS.
 *
 * Adds over chapter 2: a measurement of why the rest of the book
 * multiplies matrices through OpenBLAS.
 * Leaves out on purpose: writing a fast GEMM ourselves; the book
 * explains what OpenBLAS does (blocking, SIMD, threads) instead.
 * Build and run: make run-03-matrices; test: make check SUITE=03-matrices
 */
#include "bench.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "mat.h"
#include "progress.h"

#define GIGA 1e9

typedef void (*GemmFn)(Trans ta, Trans tb, int m, int n, int k,
                       float alpha, const float *a, int lda,
                       const float *b, int ldb, float beta, float *c,
                       int ldc);

// listing: gflops
/* Multiplies until at least `seconds` have passed (and at least once)
 * and returns the rate: 2 n^3 operations per multiply. */
static double gflops(GemmFn multiply, int n, const float *A,
                     const float *B, float *C, double seconds)
{
    long reps = 0;
    double start = clock_seconds(), elapsed;
    do {
        multiply(NO_TRANS, NO_TRANS, n, n, n, 1.0f, A, n, B, n, 0.0f,
                 C, n);
        reps++;
        elapsed = clock_seconds() - start;
    } while (elapsed < seconds);
    return 2.0 * n * n * n * reps / elapsed / GIGA;
}
// end-listing: gflops

/* The best of BENCH_WINDOWS windows, the one least disturbed by other
 * programs; a window longer than BENCH_LONG_WINDOW is not repeated, so
 * that the naive loop's large sizes take one multiply, not three. */
static double best_gflops(GemmFn multiply, int n, const float *A,
                          const float *B, float *C)
{
    double best = 0.0;
    for (int w = 0; w < BENCH_WINDOWS; w++) {
        double start = clock_seconds();
        best = fmax(best, gflops(multiply, n, A, B, C,
                                 BENCH_WINDOW_SECONDS));
        if (clock_seconds() - start > BENCH_LONG_WINDOW)
            break;
    }
    return best;
}

/* OpenBLAS starts its threads and touches C on its first call, so that
 * call is not timed. */
static double blas_gflops(int n, const float *A, const float *B,
                          float *C)
{
    gemm(NO_TRANS, NO_TRANS, n, n, n, 1.0f, A, n, B, n, 0.0f, C, n);
    return best_gflops(gemm, n, A, B, C);
}

void bench_gemm(int n, bool with_naive, int threads, Rng *rng,
                GemmTiming *t)
{
    size_t nn = (size_t)n * n;
    float *A = xmalloc(nn * sizeof(float));        /* (n, n) */
    float *B = xmalloc(nn * sizeof(float));        /* (n, n) */
    float *C = xmalloc(nn * sizeof(float));        /* (n, n) OpenBLAS */
    float *C_naive = xmalloc(nn * sizeof(float));  /* (n, n) */
    for (size_t i = 0; i < nn; i++) {
        A[i] = rng_range(rng, -1.0f, 1.0f);
        B[i] = rng_range(rng, -1.0f, 1.0f);
    }
    *t = (GemmTiming){.n = n};
    blas_set_threads(1);
    t->blas1 = blas_gflops(n, A, B, C);
    blas_set_threads(threads);
    t->blas = threads == 1 ? t->blas1 : blas_gflops(n, A, B, C);
    if (with_naive) {
        t->naive = best_gflops(gemm_naive, n, A, B, C_naive);
        t->naive_seconds = 2.0 * n * n * n / (t->naive * GIGA);
        double diff = 0.0, size = 0.0;
        for (size_t i = 0; i < nn; i++) {
            diff = fmax(diff, fabs((double)C_naive[i] - C[i]));
            size = fmax(size, fabs((double)C[i]));
        }
        t->max_diff = size > 0.0 ? diff / size : diff;
    }
    free(A);
    free(B);
    free(C);
    free(C_naive);
}
