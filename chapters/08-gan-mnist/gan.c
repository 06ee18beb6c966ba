/* gan.c - one step of the GAN game on 28x28 images.
 *
 * Adds over chapters 6 and 7: the networks of the original paper on
 * real images, D trained on real and fake rows in one batch.
 * Leaves out on purpose: convolutions (chapter 12), tricks that help
 * stability (chapter 10), conditioning on a label (chapter 11).
 * Build and run: make run (this is the main job), or
 *   build/bin/08-gan-mnist --help
 */
#include "gan.h"

#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "error.h"
#include "losses.h"

static const int g_sizes[GAN_LAYERS + 1] = {GAN_Z, 128, 256, 512, 1024,
                                            GAN_PIXELS};
static const int d_sizes[GAN_LAYERS + 1] = {GAN_PIXELS, 1024, 512, 256,
                                            128, 1};

void gan_init(Gan *gan, int batch, Rng *rng)
{
    memset(gan, 0, sizeof *gan);
    gan->batch = batch;
    mlp_init(&gan->g, GAN_LAYERS, g_sizes, ACT_RELU, ACT_TANH, INIT_HE,
             batch, rng);
    mlp_init(&gan->d, GAN_LAYERS, d_sizes, ACT_RELU, ACT_NONE, INIT_HE,
             2 * batch, rng);
    int ng = mlp_params(&gan->g, "g", gan->g_params);
    int nd = mlp_params(&gan->d, "d", gan->d_params);
    optim_init_adam(&gan->g_opt, gan->g_params, ng, GAN_LR, GAN_BETA1,
                    GAN_BETA2, GAN_EPS);
    optim_init_adam(&gan->d_opt, gan->d_params, nd, GAN_LR, GAN_BETA1,
                    GAN_BETA2, GAN_EPS);
    gan->z = xmalloc((size_t)batch * GAN_Z * sizeof(float));
    gan->d_in = xmalloc((size_t)2 * batch * GAN_PIXELS * sizeof(float));
    gan->dlogits = xmalloc((size_t)2 * batch * sizeof(float));
    gan->dfake = xmalloc((size_t)batch * GAN_PIXELS * sizeof(float));
}

void gan_free(Gan *gan)
{
    mlp_free(&gan->g);
    mlp_free(&gan->d);
    optim_free(&gan->g_opt);
    optim_free(&gan->d_opt);
    free(gan->z);
    free(gan->d_in);
    free(gan->dlogits);
    free(gan->dfake);
}

const float *gan_generate(Gan *gan, const float *z, int n)
{
    return mlp_forward(&gan->g, z, n);
}

static float mean_sigmoid(const float *logits, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += sigmoid(logits[i]);
    return (float)(sum / n);
}

// listing: d-step
void gan_d_gradients(Gan *gan, Rng *rng, GanStats *stats)
{
    int n = gan->batch;
    float *fake_rows = gan->d_in + (size_t)n * GAN_PIXELS;
    rng_fill_normal(rng, gan->z, (long)n * GAN_Z, 0.0f, 1.0f);
    const float *fake = mlp_forward(&gan->g, gan->z, n);
    memcpy(fake_rows, fake, (size_t)n * GAN_PIXELS * sizeof(float));

    /* one pass of D over 2N rows: real first, then fake */
    const float *logits = mlp_forward(&gan->d, gan->d_in, 2 * n);
    float *dreal = gan->dlogits, *dfake = gan->dlogits + n;
    stats->loss_d = bce_logits_loss_const(logits, 1.0f, n, dreal) +
                    bce_logits_loss_const(logits + n, 0.0f, n, dfake);
    stats->d_real = mean_sigmoid(logits, n);
    stats->d_fake = mean_sigmoid(logits + n, n);

    /* one backward pass per step: overwrite, no need to zero first */
    mlp_backward(&gan->d, gan->dlogits, NULL, 2 * n, GRAD_OVERWRITE);
}
// end-listing: d-step

// listing: g-step
void gan_g_gradients(Gan *gan, Rng *rng, GanStats *stats)
{
    int n = gan->batch;
    rng_fill_normal(rng, gan->z, (long)n * GAN_Z, 0.0f, 1.0f);
    const float *fake = mlp_forward(&gan->g, gan->z, n);
    const float *logits = mlp_forward(&gan->d, fake, n);

    /* non-saturating: G wants D to call its images real */
    stats->loss_g =
        bce_logits_loss_const(logits, 1.0f, n, gan->dlogits);

    /* back through D to its input, without touching D's gradients,
     * then on through G */
    mlp_backward(&gan->d, gan->dlogits, gan->dfake, n, GRAD_INPUT_ONLY);
    mlp_backward(&gan->g, gan->dfake, NULL, n, GRAD_OVERWRITE);
}
// end-listing: g-step

// listing: train-step
void gan_train_step(Gan *gan, Rng *rng, GanStats *stats)
{
    gan_d_gradients(gan, rng, stats);
    optim_step(&gan->d_opt);
    gan_g_gradients(gan, rng, stats);
    optim_step(&gan->g_opt);
}
// end-listing: train-step
