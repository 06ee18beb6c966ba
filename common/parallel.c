#include "parallel.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#define PARALLEL_MAX_THREADS 64

static int wanted = 1; /* the caller included */

void parallel_set_threads(int threads)
{
    if (threads < 1)
        threads = 1;
    if (threads > PARALLEL_MAX_THREADS)
        threads = PARALLEL_MAX_THREADS;
    wanted = threads;
}

int parallel_threads(void) { return wanted; }

void parallel_for(size_t n, ParallelFn fn, void *ctx)
{
    parallel_for_items(n, 1, fn, ctx);
}

void parallel_for_items(size_t n, size_t cost, ParallelFn fn, void *ctx)
{
    if (wanted == 1 || n < 2 || n * cost < PARALLEL_MIN_ELEMENTS) {
        fn(ctx, 0, n);
        return;
    }
#ifdef _OPENMP
    /* One contiguous range per thread of the team OpenMP gives (it may
     * give fewer threads than asked for, never more). */
#pragma omp parallel num_threads(wanted)
    {
        size_t parts = (size_t)omp_get_num_threads();
        size_t part = (size_t)omp_get_thread_num();
        fn(ctx, n * part / parts, n * (part + 1) / parts);
    }
#else
    fn(ctx, 0, n);
#endif
}
