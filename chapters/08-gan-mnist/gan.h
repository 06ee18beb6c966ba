/* gan.h - the generative adversarial network of Goodfellow et al.
 * (2014), as two multi-layer perceptrons trained against each other.
 *
 *   G: z (Z = 100) -> 128 -> 256 -> 512 -> 1024 -> 784, ReLU, tanh out
 *   D: x (784) -> 1024 -> 512 -> 256 -> 128 -> 1 logit, ReLU
 *
 * D minimises the binary cross-entropy of real images (label 1) and
 * generated ones (label 0); G minimises -log D(G(z)), the
 * non-saturating loss. Both use Adam with lr 2e-4 and beta1 0.5.
 * Pixels are scaled to [-1, 1], the range of G's tanh.
 */
#ifndef CH08_GAN_H
#define CH08_GAN_H

#include "mlp.h"
#include "optim.h"
#include "param.h"
#include "rng.h"

#define GAN_Z 100
#define GAN_PIXELS 784
#define GAN_LAYERS 5
#define GAN_LR 2e-4f
#define GAN_BETA1 0.5f
#define GAN_BETA2 0.999f
#define GAN_EPS 1e-8f

// listing: gan-struct
typedef struct {
    Mlp g;                          /* (N, Z) -> (N, 784) */
    Mlp d;                          /* (2N, 784) -> (2N, 1) logits */
    Param g_params[2 * GAN_LAYERS], d_params[2 * GAN_LAYERS];
    Optim g_opt, d_opt;
    int batch;                      /* N */
    float *z;                       /* (N, Z) noise */
    float *d_in;                    /* (2N, 784): N real rows, N fake */
    float *dlogits;                 /* (2N) dL/d logit */
    float *dfake;                   /* (N, 784) dL/dG(z) */
} Gan;
// end-listing: gan-struct

/* What one training step measured. */
typedef struct {
    float loss_d;  /* D's loss on the real and the fake batch */
    float loss_g;  /* G's loss, -log D(G(z)) */
    float d_real;  /* mean D(x) over the real batch */
    float d_fake;  /* mean D(G(z)) over the fake batch, before D's step */
} GanStats;

void gan_init(Gan *gan, int batch, Rng *rng);
void gan_free(Gan *gan);

/* D's gradients: real images in gan->d_in's first N rows; G makes N
 * fakes from fresh noise into the other N. Zeroes, then accumulates,
 * D's gradients. */
void gan_d_gradients(Gan *gan, Rng *rng, GanStats *stats);

/* G's gradients through D, from fresh noise; D's weights are not
 * touched and its gradients are not accumulated. */
void gan_g_gradients(Gan *gan, Rng *rng, GanStats *stats);

/* One step of the game: D's gradients and Adam step, then G's. */
void gan_train_step(Gan *gan, Rng *rng, GanStats *stats);

/* G(z) for n <= N rows of noise: (n, 784) in [-1, 1]. */
const float *gan_generate(Gan *gan, const float *z, int n);

#endif
