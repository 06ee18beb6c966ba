/* gan2d.h - a vanilla GAN on 2-D points: the generator G and the
 * discriminator D are small ReLU MLPs, D outputs a logit, G is trained
 * with the non-saturating loss, both with Adam.
 *
 *   G: z (Z = 2) -> H -> H -> x (2)      ReLU, linear output
 *   D: x (2)     -> H -> H -> logit (1)  ReLU, no output activation
 *
 * (two hidden layers of H units each by default; Gan2dConfig sets
 * both numbers). *
 * The gradients of one step are computed by gan2d_d_gradients and
 * gan2d_g_gradients (so the tests can check them against finite
 * differences) and applied by gan2d_step.
 */
#ifndef CH07_GAN2D_H
#define CH07_GAN2D_H

#include "mixture.h"
#include "mlp.h"
#include "optim.h"
#include "rng.h"

#define GAN2D_LATENT 2 /* Z */
#define GAN2D_DIM 2    /* a sample is a point of the plane */

// listing: config
typedef struct {
    int hidden;  /* H, units in each hidden layer */
    int layers;  /* hidden layers in each of G and D */
    int batch;   /* N, real and fake samples per step */
    float lr;    /* Adam's learning rate, for both networks */
    float beta1; /* Adam's momentum, for both networks */
} Gan2dConfig;

/* The chapter's choice: see the book for how it was made. */
#define GAN2D_DEFAULTS                                          \
    {.hidden = 128, .layers = 2, .batch = 100, .lr = 2e-3f,   \
     .beta1 = 0.5f}
// end-listing: config

typedef struct {
    Mlp g, d;
    Param g_params[2 * MLP_MAX_LAYERS], d_params[2 * MLP_MAX_LAYERS];
    Optim g_opt, d_opt;
    int batch;      /* N */
    float *z;       /* (N, Z) latent codes */
    float *real;    /* (N, 2) samples of the target */
    float *dlogits; /* (N, 1) dLoss/dlogit */
    float *dfake;   /* (N, 2) dLoss/dx for the generated points */
} Gan2d;

/* What one step measured, before its updates. */
typedef struct {
    float loss_d; /* D's loss: BCE on real (label 1) + fake (label 0) */
    float loss_g; /* G's non-saturating loss, -mean log D(G(z)) */
    float d_real; /* mean D(x) = sigmoid(logit) on the real batch */
    float d_fake; /* mean D(G(z)) on the fake batch of D's update */
} Gan2dStats;

void gan2d_init(Gan2d *gan, const Gan2dConfig *cfg, Rng *rng);
void gan2d_free(Gan2d *gan);

/* Zeroes D's gradients, then accumulates those of D's loss on the real
 * batch and on G(z); fills loss_d, d_real, d_fake of stats.
 *   real: (N, 2)   z: (N, Z) */
void gan2d_d_gradients(Gan2d *gan, const float *real, const float *z,
                       Gan2dStats *stats);

/* Zeroes G's gradients, then sets them to those of G's loss on G(z),
 * through D (whose own gradients are left untouched); fills loss_g.
 *   z: (N, Z) */
void gan2d_g_gradients(Gan2d *gan, const float *z, Gan2dStats *stats);

/* One step of the game: draws a real batch and two latent batches,
 * updates D once, then G once. */
void gan2d_step(Gan2d *gan, const Mixture *target, Rng *rng,
                Gan2dStats *stats);

/* The same quantities as a step, without any update. */
void gan2d_measure(Gan2d *gan, const Mixture *target, Rng *rng,
                   Gan2dStats *stats);

/* x = G(z) for any number of rows n, in batches.
 *   z: (n, Z)   x: (n, 2) */
void gan2d_generate(Gan2d *gan, const float *z, float *x, int n);

#endif
