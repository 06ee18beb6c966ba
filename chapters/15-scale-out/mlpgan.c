/* mlpgan.c - chapter 8's networks and step behind gantrain's model
 * interface: build, feed, step, save and sample. */
#include "mlpgan.h"

#include <string.h>

#include "../08-gan-mnist/state.h"
#include "dataset.h"

static void model_init(void *m, int batch, Rng *rng)
{
    gan_init(&((MlpGan *)m)->gan, batch, rng);
}

static void model_free(void *m) { gan_free(&((MlpGan *)m)->gan); }

/* the real rows are the first N rows of D's input */
static void model_batch(void *m, const Dataset *data, const int *rows,
                        int n)
{
    Gan *gan = &((MlpGan *)m)->gan;
    images_to_float(&data->train_images, rows, n, -1.0f, 1.0f, gan->d_in);
}

static void model_step(void *m, Rng *rng, float *stats)
{
    GanStats s;
    gan_train_step(&((MlpGan *)m)->gan, rng, &s);
    stats[0] = s.loss_d;
    stats[1] = s.loss_g;
    stats[2] = s.d_real;
    stats[3] = s.d_fake;
}

/* chapter 8's names (state.c), so that its tools read these too */
static void model_ckpt_add(void *m, Ckpt *c)
{
    MlpGan *g = m;
    mlp_ckpt_add(c, &g->gan.g, "g", &g->g_arch, g->g_tensors);
    mlp_ckpt_add(c, &g->gan.d, "d", &g->d_arch, g->d_tensors);
    optim_ckpt_add(c, &g->gan.g_opt, "adam.g");
    optim_ckpt_add(c, &g->gan.d_opt, "adam.d");
}

static int model_ckpt_read(void *m, const Ckpt *c, Error *err)
{
    Gan *gan = &((MlpGan *)m)->gan;
    if (mlp_ckpt_read(c, "g", &gan->g, err) < 0 ||
        mlp_ckpt_read(c, "d", &gan->d, err) < 0 ||
        optim_ckpt_read(c, &gan->g_opt, "adam.g", err) < 0 ||
        optim_ckpt_read(c, &gan->d_opt, "adam.d", err) < 0)
        return -1;
    return 0;
}

/* chapter 8's grid: the same noise, G a batch at a time */
static void model_samples(void *m, uint64_t seed, int n, float *images)
{
    Gan *gan = &((MlpGan *)m)->gan;
    float z[GANTRAIN_GRID * GAN_Z];
    Rng rng;
    rng_seed(&rng, seed);
    rng_fill_normal(&rng, z, (long)n * GAN_Z, 0.0f, 1.0f);
    for (int done = 0; done < n; done += gan->batch) {
        int rows = n - done < gan->batch ? n - done : gan->batch;
        const float *x = gan_generate(gan, z + (size_t)done * GAN_Z, rows);
        memcpy(images + (size_t)done * GAN_PIXELS, x,
               (size_t)rows * GAN_PIXELS * sizeof(float));
    }
}

static int model_save_generator(void *m, const char *path, Error *err)
{
    return generator_save(&((MlpGan *)m)->gan, path, err);
}

void mlp_gan_model(GanModel *model, MlpGan *m, const char *name)
{
    *model = (GanModel){
        .name = name,
        .nstats = 4,
        .stats = {"loss_d", "loss_g", "d_real", "d_fake"},
        .model = m,
        .init = model_init,
        .free = model_free,
        .load_batch = model_batch,
        .step = model_step,
        .ckpt_add = model_ckpt_add,
        .ckpt_read = model_ckpt_read,
        .samples = model_samples,
        .save_generator = model_save_generator,
    };
}
