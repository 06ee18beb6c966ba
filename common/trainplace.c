#include "trainplace.h"

#include <stdlib.h>
#include <zlib.h>

#define PLACE_MAX_BATCH (1 << 16) /* larger saved batches are absurd */
#define PLACE_MAX_COUNT (1 << 30)

void train_place_init(TrainPlace *p, int count, int batch, uint64_t seed,
                      uint32_t data_crc)
{
    *p = (TrainPlace){.count = count, .batch = batch, .seed = seed,
                      .data_crc = data_crc};
    rng_seed(&p->rng, seed);
    p->order = xmalloc((size_t)count * sizeof(int));
    for (int i = 0; i < count; i++)
        p->order[i] = i;
}

void train_place_free(TrainPlace *p)
{
    free(p->order);
    p->order = NULL;
}

void train_place_ckpt_add(Ckpt *c, TrainPlace *p)
{
    uint64_t *w = p->saved_progress;
    w[PLACE_STEP] = (uint64_t)p->step;
    w[PLACE_EPOCH] = (uint64_t)p->epoch;
    w[PLACE_POS] = (uint64_t)p->pos;
    w[PLACE_BATCH] = (uint64_t)p->batch;
    w[PLACE_COUNT] = (uint64_t)p->count;
    w[PLACE_SEED] = p->seed;
    w[PLACE_CRC] = p->data_crc;
    rng_save(&p->rng, p->saved_rng);
    ckpt_add(c, "rng", CKPT_U64, p->saved_rng, 1,
             (uint64_t[]){RNG_STATE_WORDS});
    ckpt_add(c, "order", CKPT_I32, p->order, 1,
             (uint64_t[]){(uint64_t)p->count});
    ckpt_add(c, "progress", CKPT_U64, w, 1, (uint64_t[]){PLACE_WORDS});
}

static int read_progress(const Ckpt *c, uint64_t *w, Error *err)
{
    if (ckpt_read(c, "progress", CKPT_U64, w, 1,
                  (uint64_t[]){PLACE_WORDS}, err) < 0)
        return -1;
    if (w[PLACE_BATCH] < 1 || w[PLACE_BATCH] > PLACE_MAX_BATCH ||
        w[PLACE_COUNT] < w[PLACE_BATCH] ||
        w[PLACE_COUNT] > PLACE_MAX_COUNT || w[PLACE_POS] > w[PLACE_COUNT])
        return error_set(err, "%s: its progress record is absurd "
                         "(batch %llu, %llu images, position %llu)",
                         c->path, (unsigned long long)w[PLACE_BATCH],
                         (unsigned long long)w[PLACE_COUNT],
                         (unsigned long long)w[PLACE_POS]);
    return 0;
}

int train_place_peek(const Ckpt *c, int *batch, int *count,
                     uint64_t *seed, uint32_t *data_crc, Error *err)
{
    uint64_t w[PLACE_WORDS];
    if (read_progress(c, w, err) < 0)
        return -1;
    *batch = (int)w[PLACE_BATCH];
    *count = (int)w[PLACE_COUNT];
    *seed = w[PLACE_SEED];
    *data_crc = (uint32_t)w[PLACE_CRC];
    return 0;
}

int train_place_ckpt_read(const Ckpt *c, TrainPlace *p, Error *err)
{
    uint64_t w[PLACE_WORDS], rng_words[RNG_STATE_WORDS];
    if (read_progress(c, w, err) < 0)
        return -1;
    if (w[PLACE_BATCH] != (uint64_t)p->batch ||
        w[PLACE_COUNT] != (uint64_t)p->count)
        return error_set(err, "%s was saved with batch %llu and %llu "
                         "images, not %d and %d", c->path,
                         (unsigned long long)w[PLACE_BATCH],
                         (unsigned long long)w[PLACE_COUNT], p->batch,
                         p->count);
    if (ckpt_read(c, "rng", CKPT_U64, rng_words, 1,
                  (uint64_t[]){RNG_STATE_WORDS}, err) < 0 ||
        ckpt_read(c, "order", CKPT_I32, p->order, 1,
                  (uint64_t[]){(uint64_t)p->count}, err) < 0)
        return -1;
    for (int i = 0; i < p->count; i++)
        if (p->order[i] < 0 || p->order[i] >= p->count)
            return error_set(err, "%s: its data order names image %d of "
                             "%d", c->path, p->order[i], p->count);
    rng_restore(&p->rng, rng_words);
    p->step = (long)w[PLACE_STEP];
    p->epoch = (int)w[PLACE_EPOCH];
    p->pos = (int)w[PLACE_POS];
    p->seed = w[PLACE_SEED];
    p->data_crc = (uint32_t)w[PLACE_CRC];
    return 0;
}

uint32_t train_data_crc(uint32_t crc, const void *data, size_t n)
{
    const unsigned char *bytes = data;
    uLong c = crc;
    while (n > 0) {
        uInt chunk = n > (1u << 30) ? 1u << 30 : (uInt)n;
        c = crc32(c, bytes, chunk);
        bytes += chunk;
        n -= chunk;
    }
    return (uint32_t)c;
}
