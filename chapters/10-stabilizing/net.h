/* net.h - chapter 10's network: the Mlp of common/mlp.h with the
 * optional parts that the chapter's tricks add to a hidden layer.
 *
 *   x -> [dense -> (batch norm) -> activation -> (dropout)] x hidden
 *     -> dense -> output activation -> y
 *
 * where every dense layer may be spectrally normalised. An Mlp cannot
 * hold a batch norm between its dense layer and its activation, so
 * this is a small stack of its own, built from the same parts:
 * common/dense.h, common/batchnorm.h, common/spectral_norm.h and the
 * activations of common/activations.h.
 *
 * Forward modes: NET_TRAIN uses batch statistics (and updates the
 * running averages) and drops units; NET_BATCH uses batch statistics
 * without updating anything and drops nothing (scoring a generator on
 * one large batch); NET_EVAL uses the running averages.
 *
 * THE GRADIENT CONTRACT is dense.h's: stab_net_backward treats every
 * parameter gradient as its GradMode says and overwrites dx. With
 * spectral normalisation a dense layer's W holds Wn = W / sigma and its
 * dW collects dL/dWn; stab_net_finish_grad turns that into dL/dW (the
 * raw weights' gradient, which the optimiser reads), and
 * stab_net_refresh, after every optimiser step, moves the power
 * iteration one step and recomputes Wn.
 */
#ifndef CH10_NET_H
#define CH10_NET_H

#include <stdbool.h>

#include "batchnorm.h"
#include "dense.h"
#include "mlp.h"
#include "param.h"
#include "rng.h"
#include "spectral_norm.h"

#define NET_MAX_LAYERS 6
/* parameters per layer: W and b, and gamma and beta with batch norm */
#define NET_MAX_PARAMS (4 * NET_MAX_LAYERS)

typedef enum { NET_TRAIN, NET_BATCH, NET_EVAL } NetMode;

typedef struct {
    int nlayers;                     /* L dense layers */
    int sizes[NET_MAX_LAYERS + 1];   /* (L + 1) widths */
    Activation hidden, output;       /* NONE, RELU, LEAKY_RELU, TANH */
    float slope;                     /* LeakyReLU's negative slope */
    bool batchnorm;                  /* after every hidden dense */
    bool spectral;                   /* W / sigma(W) in every dense */
    float dropout;                   /* P(drop) of a hidden unit, or 0 */
    int max_batch;                   /* N at most */
} NetConfig;

typedef struct {
    NetConfig cfg;
    Dense dense[NET_MAX_LAYERS];
    BatchNorm bn[NET_MAX_LAYERS];        /* hidden layers, if batchnorm */
    SpectralNorm sn[NET_MAX_LAYERS];     /* if spectral */
    float *raw_W[NET_MAX_LAYERS];        /* (D, H) W, if spectral */
    float *raw_dW[NET_MAX_LAYERS];       /* (D, H) dL/dW, if spectral */
    const float *input;                  /* x of the last forward */
    float *pre[NET_MAX_LAYERS];          /* (N, H_l) dense outputs */
    float *act[NET_MAX_LAYERS];          /* (N, H_l) after activation */
    float *out[NET_MAX_LAYERS];          /* (N, H_l) after dropout */
    float *keep[NET_MAX_LAYERS];         /* (N, H_l) dropout's 0 or
                                            1 / (1 - p) */
    bool dropped;                        /* the last forward dropped */
    float *grad_a, *grad_b;              /* (N, widest) scratch */
} Net;

/* Weights by He initialisation, biases 0; batch norm starts as the
 * identity; spectral norm's sigma is estimated by 20 power iteration
 * steps so that the first Wn is already right. */
void stab_net_init(Net *net, const NetConfig *cfg, Rng *rng);
void stab_net_free(Net *net);

/* y = net(x) for n <= max_batch rows; returns the output, (n, out),
 * valid until the next forward. rng draws the dropout masks (NET_TRAIN
 * only; it may be NULL when the net has no dropout).   x: (n, in) */
const float *stab_net_forward(Net *net, const float *x, int n,
                              NetMode mode, Rng *rng);

/* Backward of the last forward: dy (n, out) in, parameter gradients by
 * `mode`, dx (n, in) when not NULL. */
void stab_net_backward(Net *net, const float *dy, float *dx, int n,
                       GradMode mode);

void stab_net_zero_grad(Net *net);

/* Spectral norm: dL/dWn -> dL/dW, before the optimiser step. */
void stab_net_finish_grad(Net *net);

/* Spectral norm: one power iteration step and Wn = W / sigma, after
 * the optimiser step. Does nothing without spectral norm. */
void stab_net_refresh(Net *net);

/* Fills params with "<prefix>.fc<l>.W", ".b" (and ".bn<l>.gamma",
 * ".beta"); returns how many (at most NET_MAX_PARAMS). A dense layer
 * followed by batch norm has no bias parameter: its b stays 0. */
int stab_net_params(Net *net, const char *prefix, Param *params);

#endif
