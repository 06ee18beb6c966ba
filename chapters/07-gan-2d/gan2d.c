/* gan2d.c - the GAN game on points of the plane.
 *
 * Adds over chapter 6: a 2-D target with many separated modes (a ring
 * of 8, a grid of 25), and a way to count which modes the generator
 * reaches (common/mixture.h).
 * Leaves out on purpose: every trick that fights mode collapse (they
 * are chapter 10's subject); this is the plain GAN of Goodfellow et
 * al. 2014 with the non-saturating generator loss.
 * Build and run: make run-07-gan-2d; test: make check SUITE=07-gan-2d
 */
#include "gan2d.h"

#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "losses.h"

#define REAL_LABEL 1.0f
#define FAKE_LABEL 0.0f

void gan2d_init(Gan2d *gan, const Gan2dConfig *cfg, Rng *rng)
{
    memset(gan, 0, sizeof *gan);
    int n = cfg->batch;
    int L = cfg->layers + 1;
    int g_sizes[MLP_MAX_LAYERS + 1], d_sizes[MLP_MAX_LAYERS + 1];
    for (int l = 1; l < L; l++)
        g_sizes[l] = d_sizes[l] = cfg->hidden;
    g_sizes[0] = GAN2D_LATENT;
    g_sizes[L] = GAN2D_DIM;
    d_sizes[0] = GAN2D_DIM;
    d_sizes[L] = 1;
    mlp_init(&gan->g, L, g_sizes, ACT_RELU, ACT_NONE, INIT_HE, n, rng);
    mlp_init(&gan->d, L, d_sizes, ACT_RELU, ACT_NONE, INIT_HE, n, rng);
    int ng = mlp_params(&gan->g, "g", gan->g_params);
    int nd = mlp_params(&gan->d, "d", gan->d_params);
    optim_init_adam(&gan->g_opt, gan->g_params, ng, cfg->lr, cfg->beta1,
                    ADAM_BETA2, ADAM_EPS);
    optim_init_adam(&gan->d_opt, gan->d_params, nd, cfg->lr, cfg->beta1,
                    ADAM_BETA2, ADAM_EPS);
    gan->batch = n;
    gan->z = xmalloc((size_t)n * GAN2D_LATENT * sizeof(float));
    gan->real = xmalloc((size_t)n * GAN2D_DIM * sizeof(float));
    gan->dlogits = xmalloc((size_t)n * sizeof(float));
    gan->dfake = xmalloc((size_t)n * GAN2D_DIM * sizeof(float));
}

void gan2d_free(Gan2d *gan)
{
    mlp_free(&gan->g);
    mlp_free(&gan->d);
    optim_free(&gan->g_opt);
    optim_free(&gan->d_opt);
    free(gan->z);
    free(gan->real);
    free(gan->dlogits);
    free(gan->dfake);
    memset(gan, 0, sizeof *gan);
}

/* The mean of sigmoid(logit): D's average belief that x is real. */
static float mean_belief(const float *logits, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += sigmoid(logits[i]);
    return (float)(sum / n);
}

// listing: d-gradients
void gan2d_d_gradients(Gan2d *gan, const float *real, const float *z,
                       Gan2dStats *stats)
{
    int n = gan->batch;
    const float *fake = mlp_forward(&gan->g, z, n);  /* (N, 2) */
    mlp_zero_grad(&gan->d);

    /* real points should get logits above 0: label 1 */
    const float *logits = mlp_forward(&gan->d, real, n); /* (N, 1) */
    float loss_real = bce_logits_loss_const(logits, REAL_LABEL, n,
                                            gan->dlogits);
    stats->d_real = mean_belief(logits, n);
    mlp_backward(&gan->d, gan->dlogits, NULL, n, GRAD_ACCUMULATE);

    /* generated points should get logits below 0: label 0; the
     * backward ADDS to the real batch's gradients (dense.h) */
    logits = mlp_forward(&gan->d, fake, n);
    float loss_fake = bce_logits_loss_const(logits, FAKE_LABEL, n,
                                            gan->dlogits);
    stats->d_fake = mean_belief(logits, n);
    mlp_backward(&gan->d, gan->dlogits, NULL, n, GRAD_ACCUMULATE);

    stats->loss_d = loss_real + loss_fake;
}
// end-listing: d-gradients

// listing: g-gradients
void gan2d_g_gradients(Gan2d *gan, const float *z, Gan2dStats *stats)
{
    int n = gan->batch;
    const float *fake = mlp_forward(&gan->g, z, n);      /* (N, 2) */
    const float *logits = mlp_forward(&gan->d, fake, n); /* (N, 1) */

    /* non-saturating: G wants D to call its points real */
    stats->loss_g = bce_logits_loss_const(logits, REAL_LABEL, n,
                                          gan->dlogits);

    /* through D to the points, without touching D's gradients... */
    mlp_backward(&gan->d, gan->dlogits, gan->dfake, n, GRAD_INPUT_ONLY);
    /* ...and from the points into G's weights */
    mlp_zero_grad(&gan->g);
    mlp_backward(&gan->g, gan->dfake, NULL, n, GRAD_ACCUMULATE);
}
// end-listing: g-gradients

// listing: step
void gan2d_step(Gan2d *gan, const Mixture *target, Rng *rng,
                Gan2dStats *stats)
{
    int n = gan->batch;
    mixture_sample(target, rng, gan->real, n);
    rng_fill_normal(rng, gan->z, (long)n * GAN2D_LATENT, 0.0f, 1.0f);
    gan2d_d_gradients(gan, gan->real, gan->z, stats);
    optim_step(&gan->d_opt);

    /* fresh codes: G is judged by the D it now faces */
    rng_fill_normal(rng, gan->z, (long)n * GAN2D_LATENT, 0.0f, 1.0f);
    gan2d_g_gradients(gan, gan->z, stats);
    optim_step(&gan->g_opt);
}
// end-listing: step

void gan2d_measure(Gan2d *gan, const Mixture *target, Rng *rng,
                   Gan2dStats *stats)
{
    int n = gan->batch;
    mixture_sample(target, rng, gan->real, n);
    rng_fill_normal(rng, gan->z, (long)n * GAN2D_LATENT, 0.0f, 1.0f);
    gan2d_d_gradients(gan, gan->real, gan->z, stats);
    rng_fill_normal(rng, gan->z, (long)n * GAN2D_LATENT, 0.0f, 1.0f);
    gan2d_g_gradients(gan, gan->z, stats);
}

void gan2d_generate(Gan2d *gan, const float *z, float *x, int n)
{
    for (int first = 0; first < n; first += gan->batch) {
        int rows = n - first < gan->batch ? n - first : gan->batch;
        const float *y = mlp_forward(&gan->g, &z[first * GAN2D_LATENT],
                                     rows);
        memcpy(&x[first * GAN2D_DIM], y,
               (size_t)rows * GAN2D_DIM * sizeof(float));
    }
}
