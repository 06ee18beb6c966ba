/* bench.h - make bench: the speed of a training step, measured against
 * the time its matrix multiplies take alone. */
#ifndef CH08_BENCH_H
#define CH08_BENCH_H

#include <stdint.h>

/* Runs the benchmark at batch 64 and 256; returns the exit status. */
int gan_bench(const char *out, const char *data, uint64_t seed,
              int threads);

#endif
