/* parallel.h - an element-wise loop split across the cores.
 *
 * Matrix products already use every core (OpenBLAS). The other big
 * loop of a training step, the optimiser's update of every weight,
 * reads and writes four numbers per weight: it is bound by memory
 * bandwidth, and two cores move more bytes than one. parallel_for
 * cuts [0, n) into one contiguous range per thread and runs them at
 * once on OpenMP's team of threads: the same threads that OpenBLAS's
 * OpenMP build runs the matrix products on (the Makefile links that
 * build). A pool of our own would find the second core held by
 * OpenBLAS's worker, which spins for a while after every product.
 * Compiled without OpenMP (clang, which the Makefile gives no
 * -fopenmp), every loop runs on the calling thread.
 *
 * Each element is computed by the same arithmetic whichever thread
 * does it, so results do not depend on the thread count. Only use it
 * for loops whose elements are independent (no sums across them).
 */
#ifndef COMMON_PARALLEL_H
#define COMMON_PARALLEL_H

#include <stddef.h>

/* Loops shorter than this run on the calling thread: starting a team
 * costs more than a few thousand elements of work. */
#define PARALLEL_MIN_ELEMENTS 65536

typedef void (*ParallelFn)(void *ctx, size_t begin, size_t end);

/* How many threads parallel_for uses (the caller's included); 1 runs
 * everything on the caller. The default is 1. */
void parallel_set_threads(int threads);
int parallel_threads(void);

/* Calls fn(ctx, begin, end) on ranges that cover [0, n) exactly once,
 * one range per thread, and returns when all have returned. */
void parallel_for(size_t n, ParallelFn fn, void *ctx);

/* The same for n items that each cost about `cost` elements of work
 * (the images of a batch, the columns of a matrix): parallel when
 * n * cost reaches PARALLEL_MIN_ELEMENTS. fn gets ranges of items
 * (empty ones when there are more threads than items). */
void parallel_for_items(size_t n, size_t cost, ParallelFn fn, void *ctx);

#endif
