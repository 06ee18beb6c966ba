/* mlp.h - a multi-layer perceptron: dense layers with an activation
 * after each.
 *
 *   x -> dense_1 -> hidden act -> ... -> dense_L -> output act -> y
 *
 * sizes[0] is the input width D, sizes[L] the output width; the
 * layers are (sizes[l-1], sizes[l]). The classifier of chapter 4 and
 * both networks of every GAN are Mlps.
 *
 * Buffers for max_batch rows are allocated once by mlp_init, so a
 * training step allocates nothing. mlp_forward keeps each layer's
 * output (and a pointer to x, which must stay valid) for mlp_backward.
 *
 * THE GRADIENT CONTRACT is dense.h's: mlp_backward ACCUMULATES into
 * every layer's dW and db (mode GRAD_ACCUMULATE) and OVERWRITES dx.
 * The caller zeroes with mlp_zero_grad once per optimiser step. A step
 * with a single backward pass may ask for GRAD_OVERWRITE instead and
 * skip the zeroing; GRAD_INPUT_ONLY computes dx alone.
 */
#ifndef COMMON_MLP_H
#define COMMON_MLP_H

#include <stdbool.h>

#include "ckpt.h"
#include "dense.h"
#include "error.h"
#include "init.h"
#include "param.h"
#include "rng.h"

#define MLP_MAX_LAYERS 8

typedef enum {
    ACT_NONE,       /* identity: logits, or a linear output */
    ACT_RELU,
    ACT_LEAKY_RELU, /* slope from Mlp.slope */
    ACT_TANH,
    ACT_SIGMOID,
} Activation;

/* y = act(x), elementwise; x may be y (in place).   x, y: (n) */
void activation_forward(Activation act, float slope, const float *x,
                        float *y, size_t n);

/* Turns dL/dy into dL/d(pre-activation), in place, from the output y.
 *   y, d: (n) */
void activation_backward(Activation act, float slope, const float *y,
                         float *d, size_t n);

typedef struct {
    int nlayers;                      /* L */
    int sizes[MLP_MAX_LAYERS + 1];    /* (L + 1) widths */
    Dense layers[MLP_MAX_LAYERS];     /* (L) */
    Activation hidden, output;
    float slope;                      /* LeakyReLU's negative slope */
    int max_batch;                    /* N at most */
    const float *input;               /* x of the last forward, (n, D) */
    float *out[MLP_MAX_LAYERS];       /* layer l's output, (N, sizes[l+1]) */
    float *grad_a, *grad_b;           /* scratch, (N, widest layer) */
    /* Called by mlp_backward as soon as layer l's dW and db are done
     * (not in GRAD_INPUT_ONLY), while the layers before it are still
     * to come: chapter 15 starts sending them then. NULL: nothing. */
    void (*grad_ready)(void *ctx, int l);
    void *grad_ready_ctx;
} Mlp;

/* Builds an Mlp of nlayers dense layers with widths sizes[0..nlayers].
 * Weights are drawn by `scheme`, biases are 0. */
void mlp_init(Mlp *m, int nlayers, const int *sizes, Activation hidden,
              Activation output, InitScheme scheme, int max_batch,
              Rng *rng);
void mlp_free(Mlp *m);

/* y = mlp(x) for n <= max_batch rows; returns the output buffer,
 * (n, sizes[L]), valid until the next forward. x: (n, D) */
const float *mlp_forward(Mlp *m, const float *x, int n);

/* The output of hidden layer l (after its activation), as left by the
 * last forward: (n, sizes[l + 1]). l = L - 2 is the penultimate layer,
 * the "features" a classifier's last layer reads. */
const float *mlp_layer_output(const Mlp *m, int l);

/* Given dy = dL/dy for the last forward's n rows, treats every dW and
 * db as `mode` says (accumulate, overwrite, or leave them), and writes
 * dx = dL/dx when dx is not NULL. dy: (n, sizes[L]); dx: (n, D). dy is
 * not modified. */
void mlp_backward(Mlp *m, const float *dy, float *dx, int n,
                  GradMode mode);

void mlp_zero_grad(Mlp *m);

/* Fills params with "<prefix>.fc<l>.W" and ".b" for l = 1..L; returns
 * 2L. params must have room for 2 * MLP_MAX_LAYERS. */
int mlp_params(Mlp *m, const char *prefix, Param *params);

/* Number of trainable scalars. */
long mlp_param_count(const Mlp *m);

/* The shape of an Mlp as integers, saved beside its weights so that a
 * checkpoint describes the network it holds:
 *   nlayers, hidden, output, slope (float bits), sizes[0..nlayers] */
#define MLP_ARCH_WORDS (4 + MLP_MAX_LAYERS + 1)
typedef struct {
    int32_t words[MLP_ARCH_WORDS];
} MlpArch;

/* Adds "<prefix>.arch" and every weight ("<prefix>.fc1.W", ...) to a
 * checkpoint. arch and params are filled here and, like the weights,
 * must stay alive until ckpt_save returns. */
void mlp_ckpt_add(Ckpt *c, Mlp *m, const char *prefix, MlpArch *arch,
                  Param *params);

/* Builds a new Mlp from "<prefix>.arch" and reads its weights. */
int mlp_ckpt_load(const Ckpt *c, const char *prefix, int max_batch,
                  Mlp *m, Error *err);

/* Reads the weights into an existing Mlp, refusing a checkpoint whose
 * architecture differs. */
int mlp_ckpt_read(const Ckpt *c, const char *prefix, Mlp *m, Error *err);

#endif
