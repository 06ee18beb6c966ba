/* bench.h - how fast is a matrix multiply? The plain triple loop of
 * common/mat.c (gemm_naive) against OpenBLAS's sgemm (gemm), on square
 * n x n matrices, in GFLOP/s: 2 n^3 floating-point operations (n^3
 * multiplies and n^3 adds) per second, in billions.
 *
 * Timings depend on the machine and on whatever else it is doing, so
 * they go to the screen and to gemm.csv, never into log.csv.
 */
#ifndef CH03_BENCH_H
#define CH03_BENCH_H

#include <stdbool.h>

#include "rng.h"

#define BENCH_WINDOWS 3            /* the best of 3 timing windows */
#define BENCH_WINDOW_SECONDS 0.05  /* each at least this long */
#define BENCH_LONG_WINDOW 0.5      /* a window this long: no repeats */

typedef struct {
    int n;
    double naive;         /* GFLOP/s of gemm_naive; 0 if not timed */
    double naive_seconds; /* one naive multiply, in seconds */
    double blas1;         /* GFLOP/s of gemm on one thread */
    double blas;          /* GFLOP/s of gemm on the run's threads */
    double max_diff;      /* max |C_naive - C_blas| / max |C_blas| */
} GemmTiming;

/* Times C = A B for n x n matrices with entries from U(-1, 1): gemm on
 * one thread and on `threads` threads, and gemm_naive when with_naive.
 * Leaves OpenBLAS set to `threads` threads. */
void bench_gemm(int n, bool with_naive, int threads, Rng *rng,
                GemmTiming *t);

#endif
