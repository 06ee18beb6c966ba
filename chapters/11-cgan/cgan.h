/* cgan.h - the conditional GAN of Mirza and Osindero (2014): the GAN
 * of chapter 8 with the class label y given to both networks.
 *
 *   G: [z | onehot(y)] (Z + K = 110) -> 128 -> 256 -> 512 -> 1024
 *      -> 784 pixels, ReLU, tanh out
 *   D: [x | onehot(y)] (784 + K = 794) -> 1024 -> 512 -> 256 -> 128
 *      -> 1 logit, ReLU
 *
 * The label enters each network as K extra input columns, a one-hot
 * row: s in the column of its class, 0 elsewhere (s = label_scale).
 * D judges whether x is a real image OF CLASS y; G must therefore draw
 * class y to fool it. Losses, optimiser and pixel range are chapter
 * 8's: binary cross-entropy for D, the non-saturating -log D(G(z, y))
 * for G, Adam with lr 2e-4 and beta1 0.5, pixels in [-1, 1].
 *
 * A step reads its inputs from buffers in the Cgan, so that a test can
 * set them and call it twice with the same inputs: the caller puts the
 * real batch in `real` and `real_y`; cgan_draw puts fresh noise and
 * labels for the fakes in `z` and `fake_y`.
 */
#ifndef CH11_CGAN_H
#define CH11_CGAN_H

#include "dataset.h"
#include "mlp.h"
#include "optim.h"
#include "param.h"
#include "rng.h"

#define CGAN_Z 100                               /* Z */
#define CGAN_CLASSES DATASET_CLASSES             /* K */
#define CGAN_PIXELS (DATASET_SIDE * DATASET_SIDE) /* P = 784 */
#define CGAN_G_IN (CGAN_Z + CGAN_CLASSES)        /* Z + K */
#define CGAN_D_IN (CGAN_PIXELS + CGAN_CLASSES)   /* P + K */
#define CGAN_LAYERS 5
#define CGAN_LR 2e-4f
#define CGAN_BETA1 0.5f
#define CGAN_BETA2 0.999f
#define CGAN_EPS 1e-8f

/* The value in the class's column of a one-hot row: sqrt(Z), so that
 * at the start the label moves G's first layer as much as the noise
 * does, and Adam (which moves every weight by about lr per step) can
 * change the label's pull ten times faster than with a 1. The book
 * measures 1, 3, 5, 10, 20 and 28. */
#define CGAN_LABEL_SCALE 10.0f
#define CGAN_MIN_LABEL_SCALE 1e-3f /* a label scale outside these */
#define CGAN_MAX_LABEL_SCALE 1e3f  /* is surely a mistake */

typedef struct {
    Mlp g;              /* (N, Z + K) -> (N, P) */
    Mlp d;              /* (2N, P + K) -> (2N, 1) logits */
    Param g_params[2 * MLP_MAX_LAYERS], d_params[2 * MLP_MAX_LAYERS];
    Optim g_opt, d_opt;
    int batch;          /* N */
    float label_scale;  /* s, the one-hot rows' non-zero value */
    float *real;        /* (N, P) the real images, set by the caller */
    float *real_y;      /* (N, K) their labels, one-hot */
    float *z;           /* (N, Z) noise for the fakes, from cgan_draw */
    float *fake_y;      /* (N, K) the classes G is asked for, one-hot */
    float *g_in;        /* (N, Z + K) G's input rows [z | fake_y] */
    float *d_in;        /* (2N, P + K) N real rows, then N fake rows */
    float *dlogits;     /* (2N) dL/d logit */
    float *dd_in;       /* (2N, P + K) dL/d(D's input rows) */
    float *dfake;       /* (N, P) dL/dG(z, y) */
    float *dg_in;       /* (N, Z + K) dL/d(G's input rows) */
} Cgan;

/* G and the label scale it was trained with: what sampling needs. */
typedef struct {
    Mlp *net;          /* (n, Z + K) -> (n, P) */
    float label_scale;
} CganGenerator;

/* What one training step measured. */
typedef struct {
    float loss_d;  /* D's loss on the real and the fake batch */
    float loss_g;  /* G's loss, -log D(G(z, y), y) */
    float d_real;  /* mean D(x, y) over the real batch */
    float d_fake;  /* mean D(G(z, y), y) over the fakes, before D's step */
} CganStats;

void cgan_init(Cgan *c, int batch, float label_scale, Rng *rng);
void cgan_free(Cgan *c);

/* y[i] = scale * onehot(labels[i]): scale in column labels[i], 0 in
 * the others.   labels: (n), each in [0, K)   y: (n, K) */
void cgan_onehot(const int *labels, int n, float scale, float *y);

/* rows[i] = [x[i] | y[i]], the label appended to each row.
 *   x: (n, width)   y: (n, K)   rows: (n, width + K) */
void cgan_join(const float *x, int width, const float *y, int n,
               float *rows);

/* Fresh noise z ~ N(0, I) and fresh classes, uniform over the K, for
 * the N fakes of the next gradient computation. */
void cgan_draw(Cgan *c, Rng *rng);

/* D's gradients on the real rows [real | real_y] and the fake rows
 * [G(z, fake_y) | fake_y], in one backward pass that overwrites D's
 * gradients (GRAD_OVERWRITE: nothing to zero first). When dreal_y is
 * not NULL it also gets dL_D/d(real_y), (N, K): how D's loss moves
 * with the label columns of the real rows. */
void cgan_d_gradients(Cgan *c, CganStats *stats, float *dreal_y);

/* G's gradients through D for the fakes of z and fake_y, overwriting
 * G's gradients; D's weights and gradients are not touched. When
 * dfake_y is not NULL it also gets dL_G/d(fake_y), (N, K), summed over
 * both ways the label reaches the loss: through G's input and through
 * D's. */
void cgan_g_gradients(Cgan *c, CganStats *stats, float *dfake_y);

/* One step of the game: D's gradients and Adam step, then G's, each
 * on fresh noise and fresh classes. */
void cgan_train_step(Cgan *c, Rng *rng, CganStats *stats);

/* The generator of a Cgan being trained. */
CganGenerator cgan_generator(Cgan *c);

/* x = G([z | s * onehot(labels)]) for any n, max_batch rows at a time.
 *   z: (n, Z)   labels: (n)   x: (n, P) in [-1, 1] */
void cgan_generate(CganGenerator g, const float *z, const int *labels,
                   int n, float *x);

#endif
