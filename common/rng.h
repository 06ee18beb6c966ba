/* rng.h - a seeded random number generator that the caller owns.
 *
 * There is no global state and no clock: the same seed gives the same
 * numbers on every run, which is what makes a run reproducible byte
 * for byte. The generator is xoshiro256** (Blackman and Vigna), its
 * state filled from the seed by splitmix64. The whole state is plain
 * data, so a checkpoint can save it and a resumed run continues the
 * exact same sequence.
 */
#ifndef COMMON_RNG_H
#define COMMON_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];   /* xoshiro256** state */
    double spare;    /* second value of the last Box-Muller pair */
    int has_spare;   /* 1 when spare is waiting to be returned */
} Rng;

void rng_seed(Rng *rng, uint64_t seed);

/* 64 uniformly random bits. */
uint64_t rng_u64(Rng *rng);

/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t rng_below(Rng *rng, uint64_t n);

/* Uniform in [0, 1), 24 random bits: every float it returns is exact. */
float rng_uniform(Rng *rng);

/* Uniform in [lo, hi). */
float rng_range(Rng *rng, float lo, float hi);

/* Standard normal N(0, 1), by the Box-Muller transform in double. */
float rng_normal(Rng *rng);

/* Fills x[0..n) with N(mean, std^2). */
void rng_fill_normal(Rng *rng, float *x, long n, float mean, float std);

/* Random permutation of idx[0..n) in place (Fisher-Yates). */
void rng_shuffle(Rng *rng, int *idx, int n);

/* The whole state as plain words, for a checkpoint, and back. */
#define RNG_STATE_WORDS 6
void rng_save(const Rng *rng, uint64_t words[RNG_STATE_WORDS]);
void rng_restore(Rng *rng, const uint64_t words[RNG_STATE_WORDS]);

#endif
