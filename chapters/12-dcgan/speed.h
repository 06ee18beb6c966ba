/* speed.h - make bench for the DCGAN: its training step against the
 * time its matrix products take alone. */
#ifndef CH12_SPEED_H
#define CH12_SPEED_H

#include <stdint.h>

/* Times the step at batch 64; returns the exit status. */
int dcgan_bench(const char *out, const char *data, uint64_t seed,
                int threads);

#endif
