/* state.c - checkpoints of a conditional GAN run, so that a run
 * stopped at any step (Ctrl-C, --steps, the end of an epoch) continues
 * to the same weights and logs, byte for byte, as one that never
 * stopped; and G alone, which --generate and --evaluate read. */
#include "state.h"

#include <string.h>

#include "ckpt.h"
#include "optim.h"

#define SCALE_TENSOR "label_scale"

static void add_scale(Ckpt *c, const float *scale)
{
    ckpt_add(c, SCALE_TENSOR, CKPT_F32, scale, 1, (uint64_t[]){1});
}

static int read_scale(const Ckpt *c, float *scale, Error *err)
{
    if (ckpt_read(c, SCALE_TENSOR, CKPT_F32, scale, 1, (uint64_t[]){1},
                  err) < 0)
        return -1;
    if (!(*scale >= CGAN_MIN_LABEL_SCALE &&
          *scale <= CGAN_MAX_LABEL_SCALE))
        return error_set(err, "%s: its label scale %g is outside [%g, "
                         "%g]", c->path, *scale, CGAN_MIN_LABEL_SCALE,
                         CGAN_MAX_LABEL_SCALE);
    return 0;
}

int cgan_state_save(CganState *s, const char *path, Error *err)
{
    Ckpt c;
    MlpArch g_arch, d_arch;
    Param g_params[2 * MLP_MAX_LAYERS], d_params[2 * MLP_MAX_LAYERS];
    ckpt_init(&c, CGAN_STATE_KIND);
    mlp_ckpt_add(&c, &s->net.g, "g", &g_arch, g_params);
    mlp_ckpt_add(&c, &s->net.d, "d", &d_arch, d_params);
    optim_ckpt_add(&c, &s->net.g_opt, "adam.g");
    optim_ckpt_add(&c, &s->net.d_opt, "adam.d");
    add_scale(&c, &s->net.label_scale);
    train_place_ckpt_add(&c, &s->place);
    int rc = ckpt_save(&c, path, err);
    ckpt_free(&c);
    return rc;
}

int cgan_state_peek(const char *path, CganRunShape *shape, Error *err)
{
    Ckpt c;
    if (ckpt_load(&c, path, CGAN_STATE_KIND, err) < 0)
        return -1;
    int rc = train_place_peek(&c, &shape->batch, &shape->count,
                              &shape->seed, &shape->data_crc, err);
    if (rc == 0)
        rc = read_scale(&c, &shape->label_scale, err);
    ckpt_free(&c);
    return rc;
}

int cgan_state_load(CganState *s, const char *path, Error *err)
{
    Ckpt c;
    if (ckpt_load(&c, path, CGAN_STATE_KIND, err) < 0)
        return -1;
    int rc = mlp_ckpt_read(&c, "g", &s->net.g, err);
    if (rc == 0)
        rc = mlp_ckpt_read(&c, "d", &s->net.d, err);
    if (rc == 0)
        rc = optim_ckpt_read(&c, &s->net.g_opt, "adam.g", err);
    if (rc == 0)
        rc = optim_ckpt_read(&c, &s->net.d_opt, "adam.d", err);
    if (rc == 0)
        rc = train_place_ckpt_read(&c, &s->place, err);
    ckpt_free(&c);
    return rc;
}

int cgan_generator_save(Cgan *c, const char *path, Error *err)
{
    Ckpt ck;
    MlpArch arch;
    Param params[2 * MLP_MAX_LAYERS];
    ckpt_init(&ck, CGAN_GENERATOR_KIND);
    mlp_ckpt_add(&ck, &c->g, "g", &arch, params);
    add_scale(&ck, &c->label_scale);
    int rc = ckpt_save(&ck, path, err);
    ckpt_free(&ck);
    return rc;
}

int cgan_generator_load(const char *path, int max_batch, Mlp *g,
                        float *label_scale, Error *err)
{
    Ckpt c;
    if (ckpt_load(&c, path, NULL, err) < 0)
        return -1;
    int rc = 0;
    if (strcmp(c.kind, CGAN_STATE_KIND) != 0 &&
        strcmp(c.kind, CGAN_GENERATOR_KIND) != 0)
        rc = error_set(err, "%s is a checkpoint of %s; a conditional "
                       "generator comes from chapter 11 (%s or %s)",
                       path, c.kind, CGAN_STATE_KIND,
                       CGAN_GENERATOR_KIND);
    if (rc == 0)
        rc = read_scale(&c, label_scale, err);
    if (rc == 0)
        rc = mlp_ckpt_load(&c, "g", max_batch, g, err);
    if (rc == 0 && (g->sizes[0] != CGAN_G_IN ||
                    g->sizes[g->nlayers] != CGAN_PIXELS)) {
        rc = error_set(err, "%s: its generator maps %d inputs to %d "
                       "pixels, not %d (noise and one-hot class) to "
                       "%d", path, g->sizes[0], g->sizes[g->nlayers],
                       CGAN_G_IN, CGAN_PIXELS);
        mlp_free(g);
    }
    ckpt_free(&c);
    return rc;
}
