/* gan1d.h - chapter 6: the first GAN. A generator G turns random
 * noise into one number; a discriminator D tells those numbers from
 * samples of a 1-D Gaussian, p_data = N(mu, sigma^2).
 *
 * Both networks are common/mlp.h perceptrons:
 *   G: z (N, Z) -> hidden (N, H) -> hidden (N, H) -> x (N, 1), linear out
 *   D: x (N, 1) -> hidden (N, H) -> hidden (N, H) -> logit (N, 1)
 * D's output is a logit; D(x) = sigmoid(logit) is its probability
 * that x is real, and every loss is computed from the logit. D reads
 * x standardised, u = (x - shift) / scale, with shift and scale the
 * mean and standard deviation of a reference sample of real data.
 */
#ifndef CH06_GAN1D_H
#define CH06_GAN1D_H

#include <stdbool.h>

#include "mlp.h"
#include "optim.h"
#include "param.h"
#include "rng.h"

#define GAN1D_Z 1 /* noise width Z: one number per sample */

/* The generator's loss: what G minimises in its step. */
typedef enum {
    GAN1D_NON_SATURATING, /* -log D(G(z)), what everyone trains with */
    GAN1D_MINIMAX,        /* log(1 - D(G(z))), the game as written */
} Gan1dGLoss;

/* The noise G starts from. */
typedef enum {
    GAN1D_NOISE_NORMAL,  /* z ~ N(0, 1) */
    GAN1D_NOISE_UNIFORM, /* z ~ U(-1, 1), as in the paper's Figure 1 */
} Gan1dNoise;

typedef struct {
    float target_mean, target_std; /* p_data = N(mean, std^2) */
    int batch;                     /* N, for both players */
    int hidden;                    /* H, both hidden layers of both */
    OptimKind optim;               /* OPTIM_ADAM or OPTIM_SGD */
    float lr_g, lr_d;              /* learning rates */
    float beta1;                   /* Adam's first-moment decay */
    Gan1dGLoss g_loss;
    Gan1dNoise noise;
    bool standardize;              /* false: D reads x as it is */
} Gan1dConfig;

/* What one step saw, for the log: batch means. */
typedef struct {
    float loss;   /* the step's loss (L_D or L_G) */
    float d_real; /* mean D(x) over the real batch (D's step only) */
    float d_fake; /* mean D(G(z)) over the fake batch */
    float g_grad; /* norm of dL_G/d(G's parameters) (G's step only) */
} Gan1dStats;

typedef struct {
    Gan1dConfig cfg;
    Mlp g, d;
    Param g_params[2 * MLP_MAX_LAYERS], d_params[2 * MLP_MAX_LAYERS];
    int g_nparams, d_nparams;
    Optim g_opt, d_opt;
    float shift, scale; /* D reads u = (x - shift) / scale */
    float *u;      /* (N, 1) D's input, standardised */
    float *z;      /* (N, Z) noise for the current step */
    float *real;   /* (N, 1) samples of p_data */
    float *dlogit; /* (N, 1) dL/d(D's logit) */
    float *dfake;  /* (N, 1) dL/dx at G's output, from D's backward */
} Gan1d;

/* Builds both networks and their optimisers, and draws the reference
 * sample that standardises D's input. */
void gan1d_init(Gan1d *gan, const Gan1dConfig *cfg, Rng *rng);
void gan1d_free(Gan1d *gan);

/* n rows of noise, from the configured distribution.   z: (n, Z) */
void gan1d_noise(const Gan1d *gan, Rng *rng, float *z, int n);

/* x ~ N(target_mean, target_std^2).   x: (n, 1) */
void gan1d_real(const Gan1d *gan, Rng *rng, float *x, int n);

/* Samples of p_data that fix D's shift and scale. */
#define GAN1D_REFERENCE_SAMPLES 10000

/* D's loss on a real and a fake batch of N rows each,
 *   L_D = -mean log D(x) - mean log(1 - D(G(z))),
 * its gradient ACCUMULATED into D's parameter gradients (the caller
 * zeroes them). G is only run forward.   real: (N, 1)   z: (N, Z) */
Gan1dStats gan1d_d_backward(Gan1d *gan, const float *real,
                            const float *z);

/* G's loss on N noise rows (non-saturating or minimax, from cfg),
 * its gradient ACCUMULATED into G's parameter gradients through D,
 * whose own parameter gradients are left untouched.   z: (N, Z) */
Gan1dStats gan1d_g_backward(Gan1d *gan, const float *z);

/* One optimiser step of each player on fresh batches. */
Gan1dStats gan1d_d_step(Gan1d *gan, Rng *rng);
Gan1dStats gan1d_g_step(Gan1d *gan, Rng *rng);

/* The learning rates' factor at step (1 .. steps): 1 until the share
 * decay_from of the run, then falling linearly to 0 at the last step.
 * With constant steps both players keep jittering around the
 * equilibrium, each batch's gradient being noisy; shrinking steps let
 * them settle. decay_from = 1 never decays. */
float gan1d_lr_scale(long step, long steps, float decay_from);

/* Both learning rates become scale times the configured ones. */
void gan1d_set_lr_scale(Gan1d *gan, float scale);

/* Any number of rows, in batches of N: x = G(z), p = D(x) =
 * sigmoid(logit).   z: (n, Z)   x, p: (n, 1) */
void gan1d_generate(Gan1d *gan, const float *z, float *x, int n);
void gan1d_discriminate(Gan1d *gan, const float *x, float *p, int n);

#endif
