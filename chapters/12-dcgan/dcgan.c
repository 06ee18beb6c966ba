/* dcgan.c - one step of the convolutional GAN game.
 *
 * Adds over chapter 8: convolutional networks (common/convnet.h),
 * batch norm, D's two batches, one batch of fakes shared by both
 * steps, and batch-norm statistics for sampling.
 * Leaves out on purpose: larger images (the 64x64 DCGAN needs only
 * more blocks), conditioning (chapter 11) and the tricks of chapter 10.
 * Build and run: build/bin/12-dcgan --help; test: make check
 * SUITE=12-dcgan
 */
#include "dcgan.h"

#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "error.h"
#include "losses.h"

// listing: dcgan-networks
static const BlockSpec g_blocks[] = {
    {.kind = BLOCK_DENSE, .h = 7, .w = 7, .c = 128, .bn = true,
     .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 64, .k = 4, .stride = 2, .pad = 1,
     .bn = true, .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 1, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_TANH},
};
static const BlockSpec d_blocks[] = {
    {.kind = BLOCK_CONV, .c = 64, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_LEAKY_RELU},
    {.kind = BLOCK_CONV, .c = 128, .k = 4, .stride = 2, .pad = 1,
     .bn = true, .act = ACT_LEAKY_RELU},
    {.kind = BLOCK_DENSE, .c = 1, .act = ACT_NONE},
};
// end-listing: dcgan-networks

#define NBLOCKS(b) (int)(sizeof(b) / sizeof((b)[0]))

void dcgan_init(Dcgan *gan, int batch, Rng *rng)
{
    memset(gan, 0, sizeof *gan);
    gan->batch = batch;
    Error err;
    if (convnet_init(&gan->g, 1, 1, DCGAN_Z, g_blocks, NBLOCKS(g_blocks),
                     DCGAN_SLOPE, INIT_DCGAN, batch, rng, &err) < 0 ||
        convnet_init(&gan->d, 28, 28, 1, d_blocks, NBLOCKS(d_blocks),
                     DCGAN_SLOPE, INIT_DCGAN, batch, rng, &err) < 0)
        fatal("dcgan_init: %s", err.msg);
    int ng = convnet_params(&gan->g, "g", gan->g_params);
    int nd = convnet_params(&gan->d, "d", gan->d_params);
    optim_init_adam(&gan->g_opt, gan->g_params, ng, DCGAN_LR, DCGAN_BETA1,
                    DCGAN_BETA2, DCGAN_EPS);
    optim_init_adam(&gan->d_opt, gan->d_params, nd, DCGAN_LR, DCGAN_BETA1,
                    DCGAN_BETA2, DCGAN_EPS);
    gan->z = xmalloc((size_t)batch * DCGAN_Z * sizeof(float));
    gan->real = xmalloc((size_t)batch * DCGAN_PIXELS * sizeof(float));
    gan->dlogits = xmalloc((size_t)batch * sizeof(float));
    gan->dfake = xmalloc((size_t)batch * DCGAN_PIXELS * sizeof(float));
}

void dcgan_free(Dcgan *gan)
{
    convnet_free(&gan->g);
    convnet_free(&gan->d);
    optim_free(&gan->g_opt);
    optim_free(&gan->d_opt);
    free(gan->z);
    free(gan->real);
    free(gan->dlogits);
    free(gan->dfake);
}

static float mean_sigmoid(const float *logits, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += sigmoid(logits[i]);
    return (float)(sum / n);
}

// listing: dcgan-fakes
const float *dcgan_fakes(Dcgan *gan, Rng *rng)
{
    int n = gan->batch;
    rng_fill_normal(rng, gan->z, (long)n * DCGAN_Z, 0.0f, 1.0f);
    /* batch norm by this batch's own statistics, as in training */
    return convnet_forward(&gan->g, gan->z, n, BN_BATCH);
}
// end-listing: dcgan-fakes

// listing: dcgan-d-step
void dcgan_d_gradients(Dcgan *gan, const float *fake, float *stats)
{
    int n = gan->batch;
    /* the real batch, then the fake batch, each a batch of its own for
     * D's batch norm; their gradients add up */
    const float *logits = convnet_forward(&gan->d, gan->real, n, BN_BATCH);
    stats[STAT_D_REAL] = mean_sigmoid(logits, n);
    float loss_real = bce_logits_loss_const(logits, 1.0f, n, gan->dlogits);
    convnet_backward(&gan->d, gan->dlogits, NULL, n, GRAD_OVERWRITE);

    logits = convnet_forward(&gan->d, fake, n, BN_BATCH);
    stats[STAT_D_FAKE] = mean_sigmoid(logits, n);
    float loss_fake = bce_logits_loss_const(logits, 0.0f, n, gan->dlogits);
    convnet_backward(&gan->d, gan->dlogits, NULL, n, GRAD_ACCUMULATE);
    stats[STAT_LOSS_D] = loss_real + loss_fake;
}
// end-listing: dcgan-d-step

// listing: dcgan-g-step
void dcgan_g_gradients(Dcgan *gan, const float *fake, float *stats)
{
    int n = gan->batch;
    /* non-saturating: G wants D to call its images real */
    const float *logits = convnet_forward(&gan->d, fake, n, BN_BATCH);
    stats[STAT_LOSS_G] = bce_logits_loss_const(logits, 1.0f, n,
                                               gan->dlogits);
    /* back through D to its input, leaving D's gradients alone, then on
     * through G, whose forward made `fake` */
    convnet_backward(&gan->d, gan->dlogits, gan->dfake, n, GRAD_INPUT_ONLY);
    convnet_backward(&gan->g, gan->dfake, NULL, n, GRAD_OVERWRITE);
}
// end-listing: dcgan-g-step

// listing: dcgan-step
void dcgan_train_step(Dcgan *gan, Rng *rng, float *stats)
{
    /* one batch of fakes for both steps, as in PyTorch's DCGAN example:
     * G's forward is not repeated, and G's step sees the D just
     * updated */
    const float *fake = dcgan_fakes(gan, rng);
    dcgan_d_gradients(gan, fake, stats);
    optim_step(&gan->d_opt);
    dcgan_g_gradients(gan, fake, stats);
    optim_step(&gan->g_opt);
}
// end-listing: dcgan-step

static void draw_noise(void *ctx, float *z, int n)
{
    rng_fill_normal(ctx, z, (long)n * DCGAN_Z, 0.0f, 1.0f);
}

void dcgan_bn_statistics(Dcgan *gan, Rng *rng)
{
    convnet_bn_population(&gan->g, draw_noise, rng, gan->batch,
                          DCGAN_BN_BATCHES);
}

void dcgan_generate(Dcgan *gan, const float *z, int n, float *x)
{
    convnet_forward_all(&gan->g, z, n, BN_EVAL, x);
}
