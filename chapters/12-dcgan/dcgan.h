/* dcgan.h - the deep convolutional GAN (Radford, Metz and Chintala
 * 2015) sized for 28x28 images, as the InfoGAN paper's MNIST model:
 *
 *   G: z (100) -> dense 7x7x128, BN, ReLU
 *              -> convT 4x4 stride 2 -> 14x14x64, BN, ReLU
 *              -> convT 4x4 stride 2 -> 28x28x1, tanh
 *   D: x (28x28x1) -> conv 4x4 stride 2 -> 14x14x64, LeakyReLU 0.2
 *              -> conv 4x4 stride 2 -> 7x7x128, BN, LeakyReLU 0.2
 *              -> dense -> 1 logit
 *
 * Weights N(0, 0.02^2); Adam, lr 2e-4, beta1 0.5; the non-saturating
 * loss; pixels in [-1, 1]. D sees the real batch and the fake batch as
 * two batches, so that its batch norm never mixes them.
 */
#ifndef CH12_DCGAN_H
#define CH12_DCGAN_H

#include "convnet.h"
#include "optim.h"
#include "param.h"
#include "rng.h"

#define DCGAN_Z 100
#define DCGAN_PIXELS 784
#define DCGAN_LR 2e-4f
#define DCGAN_BETA1 0.5f
#define DCGAN_BETA2 0.999f
#define DCGAN_EPS 1e-8f
#define DCGAN_SLOPE 0.2f
#define DCGAN_BN_BATCHES 16 /* batches of noise behind G's BN statistics */

// listing: dcgan-struct
typedef struct {
    ConvNet g;                /* (N, 100) -> (N, 28, 28, 1) */
    ConvNet d;                /* (N, 28, 28, 1) -> (N, 1) logits */
    Param g_params[CONVNET_MAX_PARAMS], d_params[CONVNET_MAX_PARAMS];
    Optim g_opt, d_opt;
    int batch;                /* N */
    float *z;                 /* (N, Z) this step's noise */
    float *real;              /* (N, 784) this step's real images */
    float *dlogits;           /* (N) dL/d logit */
    float *dfake;             /* (N, 784) dL/dG(z) */
    /* what a checkpoint borrows until it is saved */
    ConvNetArch g_arch, d_arch;
    Param g_tensors[CONVNET_MAX_TENSORS], d_tensors[CONVNET_MAX_TENSORS];
} Dcgan;
// end-listing: dcgan-struct

/* What one step measured, in the log's order. */
enum { STAT_LOSS_D, STAT_LOSS_G, STAT_D_REAL, STAT_D_FAKE, DCGAN_STATS };

void dcgan_init(Dcgan *gan, int batch, Rng *rng);
void dcgan_free(Dcgan *gan);

/* A batch of fakes, G(z) for fresh noise z (kept in gan->z):
 * (N, 784), valid until G's next forward. */
const float *dcgan_fakes(Dcgan *gan, Rng *rng);

/* D's gradients (overwritten) for the real images in gan->real and the
 * fakes; sets stats' loss_d, d_real and d_fake. */
void dcgan_d_gradients(Dcgan *gan, const float *fake, float *stats);

/* G's gradients (overwritten) for the fakes of G's last forward,
 * through D; D's gradients are not touched. Sets stats' loss_g. */
void dcgan_g_gradients(Dcgan *gan, const float *fake, float *stats);

/* One step of the game on the real images in gan->real: fakes, D's
 * gradients and Adam step, then G's on the same fakes.
 * stats: (DCGAN_STATS) */
void dcgan_train_step(Dcgan *gan, Rng *rng, float *stats);

/* Sets G's batch-norm statistics to those of DCGAN_BN_BATCHES batches
 * of fresh noise from rng (convnet_bn_population), for sampling. */
void dcgan_bn_statistics(Dcgan *gan, Rng *rng);

/* G(z) for n rows of noise, each image on its own (BN_EVAL).
 *   z: (n, Z)   x: (n, 784) */
void dcgan_generate(Dcgan *gan, const float *z, int n, float *x);

#endif
