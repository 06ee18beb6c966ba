/* state.c - checkpoints of a training run, so that a run stopped at
 * any step (Ctrl-C, a crash after the last epoch's save, or --steps)
 * continues to the same weights and log, byte for byte, as a run that
 * never stopped. */
#include "state.h"

#include "ckpt.h"
#include "mlp.h"
#include "optim.h"

int state_save(TrainState *s, const char *path, Error *err)
{
    Ckpt c;
    MlpArch g_arch, d_arch;
    Param g_params[2 * MLP_MAX_LAYERS], d_params[2 * MLP_MAX_LAYERS];
    ckpt_init(&c, STATE_KIND);
    mlp_ckpt_add(&c, &s->gan.g, "g", &g_arch, g_params);
    mlp_ckpt_add(&c, &s->gan.d, "d", &d_arch, d_params);
    optim_ckpt_add(&c, &s->gan.g_opt, "adam.g");
    optim_ckpt_add(&c, &s->gan.d_opt, "adam.d");
    train_place_ckpt_add(&c, &s->place);
    int rc = ckpt_save(&c, path, err);
    ckpt_free(&c);
    return rc;
}

int state_peek(const char *path, int *batch, int *count, uint64_t *seed,
               uint32_t *data_crc, Error *err)
{
    Ckpt c;
    if (ckpt_load(&c, path, STATE_KIND, err) < 0)
        return -1;
    int rc = train_place_peek(&c, batch, count, seed, data_crc, err);
    ckpt_free(&c);
    return rc;
}

int state_load(TrainState *s, const char *path, Error *err)
{
    Ckpt c;
    if (ckpt_load(&c, path, STATE_KIND, err) < 0)
        return -1;
    int rc = mlp_ckpt_read(&c, "g", &s->gan.g, err);
    if (rc == 0)
        rc = mlp_ckpt_read(&c, "d", &s->gan.d, err);
    if (rc == 0)
        rc = optim_ckpt_read(&c, &s->gan.g_opt, "adam.g", err);
    if (rc == 0)
        rc = optim_ckpt_read(&c, &s->gan.d_opt, "adam.d", err);
    if (rc == 0)
        rc = train_place_ckpt_read(&c, &s->place, err);
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
