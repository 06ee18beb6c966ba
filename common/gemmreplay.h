/* gemmreplay.h - the time a training step's matrix products take
 * alone: the calls gemm_record_start recorded (mat.h), replayed.
 *
 * Each call gets matrices of its own, as in a real step, where every
 * layer's weights are different memory: replaying all calls on one
 * small buffer would keep it in cache and flatter the GEMMs. The time
 * is the best of `blocks` blocks of `reps` replays (after one block to
 * warm up), the block least disturbed by anything else running. */
#ifndef COMMON_GEMMREPLAY_H
#define COMMON_GEMMREPLAY_H

#include "mat.h"
#include "rng.h"

/* Seconds per replay of calls[0..n). */
double gemm_replay_seconds(const GemmCall *calls, int n, int reps,
                           int blocks, Rng *rng);

#endif
