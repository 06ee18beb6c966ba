/* model.c - the DCGAN handed to the shared training run: how to build
 * it, feed it a batch, step it, save it and sample it. Everything else
 * (epochs, log, checkpoints, Ctrl-C, resume) is common/gantrain.c. */
#include "model.h"

#include <string.h>

#include "ckpt.h"
#include "dataset.h"
#include "dcgan.h"
#include "generator.h"

static void model_init(void *m, int batch, Rng *rng)
{
    dcgan_init(m, batch, rng);
}

static void model_free(void *m) { dcgan_free(m); }

static void model_batch(void *m, const Dataset *data, const int *rows,
                        int n)
{
    Dcgan *gan = m;
    images_to_float(&data->train_images, rows, n, -1.0f, 1.0f, gan->real);
}

static void model_step(void *m, Rng *rng, float *stats)
{
    dcgan_train_step(m, rng, stats);
}

static void model_ckpt_add(void *m, Ckpt *c)
{
    Dcgan *gan = m;
    convnet_ckpt_add(c, &gan->g, "g", &gan->g_arch, gan->g_tensors);
    convnet_ckpt_add(c, &gan->d, "d", &gan->d_arch, gan->d_tensors);
    optim_ckpt_add(c, &gan->g_opt, "adam.g");
    optim_ckpt_add(c, &gan->d_opt, "adam.d");
}

static int model_ckpt_read(void *m, const Ckpt *c, Error *err)
{
    Dcgan *gan = m;
    if (convnet_ckpt_read(c, "g", &gan->g, err) < 0 ||
        convnet_ckpt_read(c, "d", &gan->d, err) < 0 ||
        optim_ckpt_read(c, &gan->g_opt, "adam.g", err) < 0 ||
        optim_ckpt_read(c, &gan->d_opt, "adam.d", err) < 0)
        return -1;
    return 0;
}

static void model_epoch_end(void *m, Rng *rng) { dcgan_bn_statistics(m, rng); }

static void model_samples(void *m, uint64_t seed, int n, float *images)
{
    float z[GANTRAIN_GRID * DCGAN_Z];
    Rng rng;
    rng_seed(&rng, seed);
    rng_fill_normal(&rng, z, (long)n * DCGAN_Z, 0.0f, 1.0f);
    dcgan_generate(m, z, n, images);
}

static int model_save_generator(void *m, const char *path, Error *err)
{
    Dcgan *gan = m;
    return generator_save_net(&gan->g, NULL, path, err);
}

void dcgan_model(GanModel *model, Dcgan *gan)
{
    *model = (GanModel){
        .name = DCGAN_NAME,
        .nstats = DCGAN_STATS,
        .stats = {"loss_d", "loss_g", "d_real", "d_fake"},
        .model = gan,
        .init = model_init,
        .free = model_free,
        .load_batch = model_batch,
        .step = model_step,
        .ckpt_add = model_ckpt_add,
        .ckpt_read = model_ckpt_read,
        .epoch_end = model_epoch_end,
        .samples = model_samples,
        .save_generator = model_save_generator,
    };
}

int dcgan_train(const GanTrainConfig *cfg)
{
    static Dcgan gan; /* large (its layers' descriptions), so not on the
                         stack */
    GanModel model;
    dcgan_model(&model, &gan);
    return gantrain_run(&model, cfg);
}
