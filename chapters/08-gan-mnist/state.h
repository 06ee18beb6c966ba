/* state.h - everything a training run needs to continue exactly where
 * it stopped: both networks, both Adam states, and the run's place
 * (common/trainplace.h: the random generator, the epoch's data order,
 * the counters). */
#ifndef CH08_STATE_H
#define CH08_STATE_H

#include <stdint.h>

#include "error.h"
#include "gan.h"
#include "trainplace.h"

#define STATE_KIND "08-gan-mnist"
#define GENERATOR_KIND "generator"

typedef struct {
    Gan gan;
    TrainPlace place;
} TrainState;

/* Saves the whole state as a STATE_KIND checkpoint. */
int state_save(TrainState *s, const char *path, Error *err);

/* Reads the batch size, image count, seed and data checksum a
 * checkpoint was trained with, so the caller can build a matching
 * TrainState. */
int state_peek(const char *path, int *batch, int *count, uint64_t *seed,
               uint32_t *data_crc, Error *err);

/* Loads a checkpoint into a TrainState built with state_peek's batch
 * and count. */
int state_load(TrainState *s, const char *path, Error *err);

/* Saves G alone, with its architecture, as a GENERATOR_KIND checkpoint:
 * what the evaluation chapters load. */
int generator_save(Gan *gan, const char *path, Error *err);

#endif
