/* state.c - checkpoints of a training run, so that a run stopped at
 * any step (Ctrl-C, a crash after the last epoch's save, or --steps)
 * continues to the same weights and log, byte for byte, as a run that
 * never stopped. */
#include "state.h"

#include <stdio.h>

#include "ckpt.h"
#include "mlp.h"
#include "optim.h"

enum { PROG_STEP, PROG_EPOCH, PROG_POS, PROG_BATCH, PROG_COUNT,
       PROG_SEED, PROG_CRC, PROG_WORDS };

int state_save(TrainState *s, const char *path, Error *err)
{
    Ckpt c;
    MlpArch g_arch, d_arch;
    Param g_params[2 * MLP_MAX_LAYERS], d_params[2 * MLP_MAX_LAYERS];
    uint64_t rng_words[RNG_STATE_WORDS];
    uint64_t progress[PROG_WORDS] = {
        [PROG_STEP] = (uint64_t)s->step, [PROG_EPOCH] = (uint64_t)s->epoch,
        [PROG_POS] = (uint64_t)s->pos, [PROG_BATCH] = (uint64_t)s->gan.batch,
        [PROG_COUNT] = (uint64_t)s->count, [PROG_SEED] = s->seed,
        [PROG_CRC] = s->data_crc};
    rng_save(&s->rng, rng_words);
    ckpt_init(&c, STATE_KIND);
    mlp_ckpt_add(&c, &s->gan.g, "g", &g_arch, g_params);
    mlp_ckpt_add(&c, &s->gan.d, "d", &d_arch, d_params);
    optim_ckpt_add(&c, &s->gan.g_opt, "adam.g");
    optim_ckpt_add(&c, &s->gan.d_opt, "adam.d");
    ckpt_add(&c, "rng", CKPT_U64, rng_words, 1,
             (uint64_t[]){RNG_STATE_WORDS});
    ckpt_add(&c, "order", CKPT_I32, s->order, 1,
             (uint64_t[]){(uint64_t)s->count});
    ckpt_add(&c, "progress", CKPT_U64, progress, 1,
             (uint64_t[]){PROG_WORDS});
    int rc = ckpt_save(&c, path, err);
    ckpt_free(&c);
    return rc;
}

static int read_progress(const Ckpt *c, uint64_t *progress, Error *err)
{
    if (ckpt_read(c, "progress", CKPT_U64, progress, 1,
                  (uint64_t[]){PROG_WORDS}, err) < 0)
        return -1;
    if (progress[PROG_BATCH] < 1 || progress[PROG_BATCH] > (1 << 16) ||
        progress[PROG_COUNT] < progress[PROG_BATCH] ||
        progress[PROG_COUNT] > (1u << 30) ||
        progress[PROG_POS] > progress[PROG_COUNT])
        return error_set(err, "%s: its progress record is absurd "
                         "(batch %llu, %llu images, position %llu)",
                         c->path, (unsigned long long)progress[PROG_BATCH],
                         (unsigned long long)progress[PROG_COUNT],
                         (unsigned long long)progress[PROG_POS]);
    return 0;
}

int state_peek(const char *path, int *batch, int *count, uint64_t *seed,
               uint32_t *data_crc, Error *err)
{
    Ckpt c;
    uint64_t progress[PROG_WORDS];
    if (ckpt_load(&c, path, STATE_KIND, err) < 0)
        return -1;
    int rc = read_progress(&c, progress, err);
    if (rc == 0) {
        *batch = (int)progress[PROG_BATCH];
        *count = (int)progress[PROG_COUNT];
        *seed = progress[PROG_SEED];
        *data_crc = (uint32_t)progress[PROG_CRC];
    }
    ckpt_free(&c);
    return rc;
}

int state_load(TrainState *s, const char *path, Error *err)
{
    Ckpt c;
    uint64_t progress[PROG_WORDS], rng_words[RNG_STATE_WORDS];
    if (ckpt_load(&c, path, STATE_KIND, err) < 0)
        return -1;
    int rc = read_progress(&c, progress, err);
    if (rc == 0 && (progress[PROG_BATCH] != (uint64_t)s->gan.batch ||
                    progress[PROG_COUNT] != (uint64_t)s->count))
        rc = error_set(err, "%s was saved with batch %llu and %llu "
                       "images, not %d and %d", path,
                       (unsigned long long)progress[PROG_BATCH],
                       (unsigned long long)progress[PROG_COUNT],
                       s->gan.batch, s->count);
    if (rc == 0)
        rc = mlp_ckpt_read(&c, "g", &s->gan.g, err);
    if (rc == 0)
        rc = mlp_ckpt_read(&c, "d", &s->gan.d, err);
    if (rc == 0)
        rc = optim_ckpt_read(&c, &s->gan.g_opt, "adam.g", err);
    if (rc == 0)
        rc = optim_ckpt_read(&c, &s->gan.d_opt, "adam.d", err);
    if (rc == 0)
        rc = ckpt_read(&c, "rng", CKPT_U64, rng_words, 1,
                       (uint64_t[]){RNG_STATE_WORDS}, err);
    if (rc == 0)
        rc = ckpt_read(&c, "order", CKPT_I32, s->order, 1,
                       (uint64_t[]){(uint64_t)s->count}, err);
    for (int i = 0; rc == 0 && i < s->count; i++)
        if (s->order[i] < 0 || s->order[i] >= s->count)
            rc = error_set(err, "%s: its data order names image %d of "
                           "%d", path, s->order[i], s->count);
    if (rc == 0) {
        rng_restore(&s->rng, rng_words);
        s->step = (long)progress[PROG_STEP];
        s->epoch = (int)progress[PROG_EPOCH];
        s->pos = (int)progress[PROG_POS];
        s->seed = progress[PROG_SEED];
        s->data_crc = (uint32_t)progress[PROG_CRC];
    }
    ckpt_free(&c);
    return rc;
}

int generator_save(Gan *gan, const char *path, Error *err)
{
    Ckpt c;
    MlpArch arch;
    Param params[2 * MLP_MAX_LAYERS];
    ckpt_init(&c, GENERATOR_KIND);
    mlp_ckpt_add(&c, &gan->g, "g", &arch, params);
    int rc = ckpt_save(&c, path, err);
    ckpt_free(&c);
    return rc;
}
