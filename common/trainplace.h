/* trainplace.h - where a training run stands, so that it can stop and
 * go on exactly as if it never had.
 *
 * A network's weights and its optimiser's moments are saved by
 * mlp_ckpt_add and optim_ckpt_add. The rest of a run's state is here:
 * the random generator, this epoch's order of the training images, and
 * the counters. Saved in a checkpoint as three tensors:
 *   "rng"       the generator's words
 *   "order"     (count) int32, the epoch's order of the images
 *   "progress"  step, epoch, position in the epoch, batch size, images
 *               used, seed, and a CRC-32 of the training data, so that
 *               a run is never resumed on other data
 */
#ifndef COMMON_TRAINPLACE_H
#define COMMON_TRAINPLACE_H

#include <stddef.h>
#include <stdint.h>

#include "ckpt.h"
#include "error.h"
#include "rng.h"

enum {
    PLACE_STEP, PLACE_EPOCH, PLACE_POS, PLACE_BATCH, PLACE_COUNT,
    PLACE_SEED, PLACE_CRC, PLACE_WORDS
};

typedef struct {
    Rng rng;          /* noise and data order */
    int *order;       /* (count) this epoch's order of training images */
    int count;        /* training images used */
    int batch;        /* N */
    long step;        /* steps done */
    int epoch;        /* epochs completed */
    int pos;          /* rows of this epoch's order already used */
    uint64_t seed;
    uint32_t data_crc; /* CRC-32 of the training data used */
    /* what train_place_ckpt_add hands to the checkpoint */
    uint64_t saved_progress[PLACE_WORDS];
    uint64_t saved_rng[RNG_STATE_WORDS];
} TrainPlace;

/* The start of a run: the generator seeded, the order 0 .. count-1,
 * every counter 0. */
void train_place_init(TrainPlace *p, int count, int batch, uint64_t seed,
                      uint32_t data_crc);
void train_place_free(TrainPlace *p);

/* Adds "rng", "order" and "progress"; keep p unchanged until
 * ckpt_save returns. */
void train_place_ckpt_add(Ckpt *c, TrainPlace *p);

/* Reads the batch size, image count, seed and data CRC a checkpoint
 * was saved with, to build a matching run before loading it. */
int train_place_peek(const Ckpt *c, int *batch, int *count,
                     uint64_t *seed, uint32_t *data_crc, Error *err);

/* Restores p (built with the checkpoint's batch and count) from it,
 * checking the counters and that the order names only images in use. */
int train_place_ckpt_read(const Ckpt *c, TrainPlace *p, Error *err);

/* CRC-32 of n bytes, continuing from crc (0 to start). */
uint32_t train_data_crc(uint32_t crc, const void *data, size_t n);

#endif
