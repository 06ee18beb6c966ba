/* gan1d.c - the two players of a GAN and one step of each.
 *
 * Adds over chapter 5: a second network whose loss is defined by the
 * first. D is trained as a classifier of real against generated
 * numbers; G is trained through D, by the gradient D's backward pass
 * hands back at G's output.
 * Leaves out on purpose: images (chapter 8), several modes (chapter 7),
 * the tricks for stability (chapter 10) beyond a standardised input
 * for D. One dimension, so that every density can be drawn.
 * Build and run: make run-06-gan-1d; test: make check SUITE=06-gan-1d
 */
#include "gan1d.h"

#include <stdlib.h>

#include "activations.h"
#include "density.h"
#include "error.h"
#include "losses.h"

#define GAN1D_LAYERS 3   /* two hidden layers and the output layer */
#define REAL_LABEL 1.0f
#define FAKE_LABEL 0.0f
#define NOISE_LO -1.0f   /* z ~ U(NOISE_LO, NOISE_HI) */
#define NOISE_HI 1.0f

void gan1d_init(Gan1d *gan, const Gan1dConfig *cfg, Rng *rng)
{
    gan->cfg = *cfg;
    int n = cfg->batch, h = cfg->hidden;
    const int g_sizes[GAN1D_LAYERS + 1] = {GAN1D_Z, h, h, 1};
    const int d_sizes[GAN1D_LAYERS + 1] = {1, h, h, 1};
    mlp_init(&gan->g, GAN1D_LAYERS, g_sizes, ACT_LEAKY_RELU, ACT_NONE,
             INIT_HE, n, rng);
    mlp_init(&gan->d, GAN1D_LAYERS, d_sizes, ACT_LEAKY_RELU, ACT_NONE,
             INIT_HE, n, rng);
    gan->g_nparams = mlp_params(&gan->g, "g", gan->g_params);
    gan->d_nparams = mlp_params(&gan->d, "d", gan->d_params);
    if (cfg->optim == OPTIM_SGD) {
        optim_init_sgd(&gan->g_opt, gan->g_params, gan->g_nparams,
                       cfg->lr_g);
        optim_init_sgd(&gan->d_opt, gan->d_params, gan->d_nparams,
                       cfg->lr_d);
    } else {
        optim_init_adam(&gan->g_opt, gan->g_params, gan->g_nparams,
                        cfg->lr_g, cfg->beta1, ADAM_BETA2, ADAM_EPS);
        optim_init_adam(&gan->d_opt, gan->d_params, gan->d_nparams,
                        cfg->lr_d, cfg->beta1, ADAM_BETA2, ADAM_EPS);
    }
    gan->shift = 0.0f;
    gan->scale = 1.0f;
    if (cfg->standardize) {
        float *ref = xmalloc(GAN1D_REFERENCE_SAMPLES * sizeof(float));
        gan1d_real(gan, rng, ref, GAN1D_REFERENCE_SAMPLES);
        double mean, std;
        gan1d_moments(ref, GAN1D_REFERENCE_SAMPLES, &mean, &std);
        gan->shift = (float)mean;
        gan->scale = (float)std;
        free(ref);
    }
    gan->u = xmalloc((size_t)n * sizeof(float));
    gan->z = xmalloc((size_t)n * GAN1D_Z * sizeof(float));
    gan->real = xmalloc((size_t)n * sizeof(float));
    gan->dlogit = xmalloc((size_t)n * sizeof(float));
    gan->dfake = xmalloc((size_t)n * sizeof(float));
}

void gan1d_free(Gan1d *gan)
{
    mlp_free(&gan->g);
    mlp_free(&gan->d);
    optim_free(&gan->g_opt);
    optim_free(&gan->d_opt);
    free(gan->u);
    free(gan->z);
    free(gan->real);
    free(gan->dlogit);
    free(gan->dfake);
}

void gan1d_noise(const Gan1d *gan, Rng *rng, float *z, int n)
{
    long count = (long)n * GAN1D_Z;
    if (gan->cfg.noise == GAN1D_NOISE_NORMAL) {
        rng_fill_normal(rng, z, count, 0.0f, 1.0f);
        return;
    }
    for (long i = 0; i < count; i++)
        z[i] = rng_range(rng, NOISE_LO, NOISE_HI);
}

void gan1d_real(const Gan1d *gan, Rng *rng, float *x, int n)
{
    rng_fill_normal(rng, x, n, gan->cfg.target_mean, gan->cfg.target_std);
}

// listing: standardize
/* u = (x - shift) / scale: D's input, centred on the data and of
 * order one, where its units can bend.   x, u: (n, 1) */
static void standardize(const Gan1d *gan, const float *x, float *u,
                        int n)
{
    for (int i = 0; i < n; i++)
        u[i] = (x[i] - gan->shift) / gan->scale;
}
// end-listing: standardize

/* Mean of sigmoid(logit) over n rows: the batch's mean D. */
static float mean_prob(const float *logit, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += sigmoid(logit[i]);
    return (float)(sum / n);
}

// listing: d-backward
Gan1dStats gan1d_d_backward(Gan1d *gan, const float *real,
                            const float *z)
{
    int n = gan->cfg.batch;
    Gan1dStats s = {0};
    /* real batch, label 1: -mean log D(x) */
    standardize(gan, real, gan->u, n);
    const float *logit = mlp_forward(&gan->d, gan->u, n);
    s.d_real = mean_prob(logit, n);
    s.loss = bce_logits_loss_const(logit, REAL_LABEL, n, gan->dlogit);
    mlp_backward(&gan->d, gan->dlogit, NULL, n, GRAD_ACCUMULATE);
    /* fake batch, label 0: -mean log(1 - D(G(z))); G only forward */
    const float *fake = mlp_forward(&gan->g, z, n);
    standardize(gan, fake, gan->u, n);
    logit = mlp_forward(&gan->d, gan->u, n);
    s.d_fake = mean_prob(logit, n);
    s.loss += bce_logits_loss_const(logit, FAKE_LABEL, n, gan->dlogit);
    mlp_backward(&gan->d, gan->dlogit, NULL, n, GRAD_ACCUMULATE);
    return s;
}
// end-listing: d-backward

// listing: g-backward
Gan1dStats gan1d_g_backward(Gan1d *gan, const float *z)
{
    int n = gan->cfg.batch;
    Gan1dStats s = {0};
    const float *fake = mlp_forward(&gan->g, z, n);
    standardize(gan, fake, gan->u, n);
    const float *logit = mlp_forward(&gan->d, gan->u, n);
    s.d_fake = mean_prob(logit, n);
    if (gan->cfg.g_loss == GAN1D_NON_SATURATING) {
        /* -mean log D(G(z)): "call the fakes real" */
        s.loss = bce_logits_loss_const(logit, REAL_LABEL, n,
                                       gan->dlogit);
    } else {
        /* mean log(1 - D(G(z))) = -(D's loss on fakes) */
        s.loss = -bce_logits_loss_const(logit, FAKE_LABEL, n,
                                        gan->dlogit);
        for (int i = 0; i < n; i++)
            gan->dlogit[i] = -gan->dlogit[i];
    }
    /* back through D, leaving D's gradients alone: dL/du */
    mlp_backward(&gan->d, gan->dlogit, gan->dfake, n, GRAD_INPUT_ONLY);
    /* u = (x - shift) / scale, so dL/dx = dL/du / scale */
    for (int i = 0; i < n; i++)
        gan->dfake[i] /= gan->scale;
    /* dL/dx at the fakes is dL/d(G's output): G's backward */
    mlp_backward(&gan->g, gan->dfake, NULL, n, GRAD_ACCUMULATE);
    return s;
}
// end-listing: g-backward

// listing: lr-scale
float gan1d_lr_scale(long step, long steps, float decay_from)
{
    double start = decay_from * (double)steps;
    if (step <= start)
        return 1.0f;
    return (float)((double)(steps - step) / ((double)steps - start));
}
// end-listing: lr-scale

void gan1d_set_lr_scale(Gan1d *gan, float scale)
{
    gan->g_opt.lr = gan->cfg.lr_g * scale;
    gan->d_opt.lr = gan->cfg.lr_d * scale;
}

// listing: steps
Gan1dStats gan1d_d_step(Gan1d *gan, Rng *rng)
{
    gan1d_real(gan, rng, gan->real, gan->cfg.batch);
    gan1d_noise(gan, rng, gan->z, gan->cfg.batch);
    mlp_zero_grad(&gan->d);
    Gan1dStats s = gan1d_d_backward(gan, gan->real, gan->z);
    optim_step(&gan->d_opt);
    return s;
}

Gan1dStats gan1d_g_step(Gan1d *gan, Rng *rng)
{
    gan1d_noise(gan, rng, gan->z, gan->cfg.batch);
    mlp_zero_grad(&gan->g);
    Gan1dStats s = gan1d_g_backward(gan, gan->z);
    s.g_grad = (float)params_grad_norm(gan->g_params, gan->g_nparams);
    optim_step(&gan->g_opt);
    return s;
}
// end-listing: steps

void gan1d_generate(Gan1d *gan, const float *z, float *x, int n)
{
    for (int i = 0; i < n; i += gan->cfg.batch) {
        int rows = n - i < gan->cfg.batch ? n - i : gan->cfg.batch;
        const float *y = mlp_forward(&gan->g, z + (size_t)i * GAN1D_Z,
                                     rows);
        for (int r = 0; r < rows; r++)
            x[i + r] = y[r];
    }
}

void gan1d_discriminate(Gan1d *gan, const float *x, float *p, int n)
{
    for (int i = 0; i < n; i += gan->cfg.batch) {
        int rows = n - i < gan->cfg.batch ? n - i : gan->cfg.batch;
        standardize(gan, x + i, gan->u, rows);
        const float *logit = mlp_forward(&gan->d, gan->u, rows);
        for (int r = 0; r < rows; r++)
            p[i + r] = sigmoid(logit[r]);
    }
}
