/* state.h - everything a conditional GAN run needs to continue where
 * it stopped (both networks, both Adam states, and the run's place:
 * common/trainplace.h), and G alone for sampling and evaluation. */
#ifndef CH11_STATE_H
#define CH11_STATE_H

#include <stdint.h>

#include "error.h"
#include "mlp.h"
#include "rng.h"
#include "trainplace.h"

#include "cgan.h"

#define CGAN_STATE_KIND "11-cgan"
#define CGAN_GENERATOR_KIND "11-cgan-generator"

typedef struct {
    Cgan net;
    TrainPlace place; /* noise, classes and data order; the counters */
} CganState;

/* Saves the whole state as a CGAN_STATE_KIND checkpoint. */
int cgan_state_save(CganState *s, const char *path, Error *err);

/* What a run was started with, read back to build a matching
 * CganState before its weights are loaded. */
typedef struct {
    int batch, count;
    float label_scale;
    uint64_t seed;
    uint32_t data_crc;
} CganRunShape;

int cgan_state_peek(const char *path, CganRunShape *shape, Error *err);

/* Loads a checkpoint into a CganState built with cgan_state_peek's
 * batch, count and label scale. */
int cgan_state_load(CganState *s, const char *path, Error *err);

/* Saves G alone, with its architecture and label scale, as
 * CGAN_GENERATOR_KIND. */
int cgan_generator_save(Cgan *c, const char *path, Error *err);

/* Builds G from a checkpoint of this chapter (the whole state, or G
 * alone) for batches of up to max_batch rows, and reads the label
 * scale it was trained with. Refuses, naming the file, another kind of
 * checkpoint and a generator whose input is not Z + K columns or whose
 * output is not 28x28. */
int cgan_generator_load(const char *path, int max_batch, Mlp *g,
                        float *label_scale, Error *err);

#endif
