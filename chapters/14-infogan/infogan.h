/* infogan.h - InfoGAN (Chen et al. 2016) on chapter 12's convolutional
 * networks: G's input is noise and codes, and a head Q on D's body
 * learns to read the codes back from G's images.
 *
 *   G: (62 noise, 10-way one-hot c1, c2, c3 in [-1, 1]) = 74
 *        -> dense 7x7x128, BN, ReLU -> convT 14x14x64, BN, ReLU
 *        -> convT 28x28x1, tanh                     (chapter 12's G)
 *   D's body: x -> conv 14x14x64, LeakyReLU -> conv 7x7x128, BN, LReLU
 *   D's head: body -> dense -> 1 logit (real or fake)
 *   Q's head: body -> dense 128, BN, LReLU -> dense 12: 10 logits of
 *             c1 and the means of c2 and c3
 *
 * The information loss, the mutual-information lower bound's negative
 * up to the codes' entropy (a constant), each code weighted:
 *   L_I = LAMBDA_CAT * CE(softmax(q1), c1)
 *       + LAMBDA_CONT * sum_j (mu_j - c_j)^2 / 2
 * the second term -log of a unit-variance Gaussian Q(c_j|x) around
 * mu_j, less its constant (the authors' code fixes the variance at 1
 * too). D's step (body, D's head and Q's head) minimises its GAN loss
 * + L_I on the fakes; G's step minimises the non-saturating loss + the
 * same L_I. Adam with the paper's rates, 2e-4 for D and Q, 1e-3 for G,
 * beta1 0.5.
 */
#ifndef CH14_INFOGAN_H
#define CH14_INFOGAN_H

#include <stdbool.h>

#include "ckpt.h"
#include "convnet.h"
#include "generator.h"
#include "optim.h"
#include "param.h"
#include "rng.h"

#define INFOGAN_NOISE 62
#define INFOGAN_CATEGORIES 10
#define INFOGAN_CONTINUOUS 2
#define INFOGAN_Z (INFOGAN_NOISE + INFOGAN_CATEGORIES + INFOGAN_CONTINUOUS)
#define INFOGAN_Q_OUT (INFOGAN_CATEGORIES + INFOGAN_CONTINUOUS)
#define INFOGAN_PIXELS 784
#define INFOGAN_LR_D 2e-4f
#define INFOGAN_LR_G 1e-3f
#define INFOGAN_BETA1 0.5f
#define INFOGAN_BETA2 0.999f
#define INFOGAN_EPS 1e-8f
#define INFOGAN_SLOPE 0.2f
#define INFOGAN_LAMBDA_CAT 1.0f
#define INFOGAN_LAMBDA_CONT 1.0f
#define INFOGAN_BN_BATCHES 16

extern const GeneratorLatent INFOGAN_LATENT;

// listing: infogan-struct
typedef struct {
    ConvNet g;       /* (N, 74) -> (N, 28, 28, 1) */
    ConvNet body;    /* (N, 28, 28, 1) -> (N, 7, 7, 128), D's and Q's */
    int features;    /* the body's output per image: 6272, or 1024 */
    bool paper;      /* the paper's networks (--paper-nets) */
    ConvNet dhead;   /* body -> (N, 1) logits */
    ConvNet qhead;   /* body -> (N, 12): c1's logits, c2's, c3's means */
    Param g_params[CONVNET_MAX_PARAMS];
    Param d_params[3 * CONVNET_MAX_PARAMS]; /* body, dhead, qhead */
    Optim g_opt, d_opt;
    int batch;       /* N */
    float *z;        /* (N, 74) this step's noise and codes */
    int *c1;         /* (N) the categorical code, as an index */
    float *real;     /* (N, 784) */
    float *dlogits;  /* (N) */
    float *dq;       /* (N, 12) dL_I / dQ's outputs */
    float *dfeat;    /* (N, features) dL / d body's output, both heads' */
    float *dfeat_q;  /* (N, features) Q's head's part of it */
    float *dfake;    /* (N, 784) */
    ConvNetArch arch[4];
    Param tensors[4][CONVNET_MAX_TENSORS];
} Infogan;
// end-listing: infogan-struct

/* What one step measured, in the log's order: D's and G's GAN losses,
 * D's mean outputs, L_I's categorical part (cross-entropy of c1) and
 * its continuous part, both on the fakes of G's step. */
enum {
    STAT_LOSS_D, STAT_LOSS_G, STAT_D_REAL, STAT_D_FAKE, STAT_INFO_CAT,
    STAT_INFO_CONT, INFOGAN_STATS
};

/* Chapter 12's networks, or with `paper` the InfoGAN paper's: one
 * dense layer of 1,024 units more in G (first) and in D's body (last). */
void infogan_init(Infogan *gan, int batch, bool paper, Rng *rng);
void infogan_free(Infogan *gan);

/* True when a checkpoint holds the paper's networks. */
bool infogan_ckpt_paper(const Ckpt *c);

/* n rows of G's input from rng, and c1 of each as an index. */
void infogan_draw_latent(Rng *rng, float *z, int *c1, int n);

/* L_I of Q's outputs q (n, 12) for the codes in z (n, 74) and c1 (n),
 * as its two parts (cat: the cross-entropy, cont: the Gaussian part,
 * weights included), and dq = d(cat + cont)/dq, averaged over rows. */
void infogan_info_loss(const float *q, const float *z, const int *c1,
                       int n, float *dq, float *cat, float *cont);

/* The step's fakes, G(z) for fresh noise and codes (in gan->z, c1). */
const float *infogan_fakes(Infogan *gan, Rng *rng);

/* D's and Q's gradients (overwritten) for the real images in gan->real
 * and the fakes; sets loss_d, d_real, d_fake. */
void infogan_d_gradients(Infogan *gan, const float *fake, float *stats);

/* G's gradients (overwritten) for the fakes of G's last forward;
 * D's and Q's are not touched. Sets loss_g and the two info stats. */
void infogan_g_gradients(Infogan *gan, const float *fake, float *stats);

/* One step: fakes, D's and Q's step, then G's on the same fakes. */
void infogan_train_step(Infogan *gan, Rng *rng, float *stats);

/* G's batch-norm statistics for sampling, as chapter 12's. */
void infogan_bn_statistics(Infogan *gan, Rng *rng);

/* G(z) for n rows, each image on its own (BN_EVAL).   x: (n, 784) */
void infogan_generate(Infogan *gan, const float *z, int n, float *x);

/* Q's reading of c1 for n images x (n, 784) in [-1, 1]: the most
 * likely category of each, in batches of N normalised by their own
 * statistics, as D's batch norm always was in training. */
void infogan_read_codes(Infogan *gan, const float *x, int n, int *codes);

#endif
