/* convnet.h - a network of blocks, each a dense, convolutional or
 * transposed convolutional layer, then batch norm if asked, then an
 * activation: the shape of every DCGAN generator and discriminator.
 *
 *   x -> [linear -> (BN) -> act] -> [linear -> (BN) -> act] ... -> y
 *
 * Every block's output is an NHWC image (im2col.h): (N, h, w, c). A
 * dense block reads its input as one row of h*w*c numbers and may give
 * its output any shape with h*w*c units, so "dense 7*7*128, then a
 * transposed convolution of the 7 x 7 x 128 image" needs no reshaping
 * copy. A convolutional block's output side follows from its input
 * and its kernel, stride and padding (conv_geom); a transposed one's
 * from convt_geom. Batch norm in a block is per channel: over the
 * N*h*w rows of c columns (a dense block of h = w = 1 normalises each
 * unit). A linear layer followed by batch norm has no trainable bias:
 * the normalisation subtracts whatever constant it adds, so its
 * gradient is zero and Adam would only push it about on rounding
 * noise; it stays 0.
 *
 * Buffers for max_batch images are allocated once by convnet_init, so
 * a training step allocates nothing. convnet_forward keeps what
 * backward needs (each block's output, its layer's patches, its batch
 * norm's standardised values, and a pointer to x, which must stay
 * valid).
 *
 * THE GRADIENT CONTRACT is dense.h's: convnet_backward treats every
 * weight gradient as its GradMode says and OVERWRITES dx. It
 * differentiates the last forward, which must have normalised by batch
 * statistics (BN_TRAIN or BN_BATCH) if the network has batch norm.
 */
#ifndef COMMON_CONVNET_H
#define COMMON_CONVNET_H

#include <stdbool.h>
#include <stdint.h>

#include "batchnorm.h"
#include "ckpt.h"
#include "conv2d.h"
#include "convt2d.h"
#include "dense.h"
#include "error.h"
#include "init.h"
#include "mlp.h"
#include "param.h"
#include "rng.h"

#define CONVNET_MAX_BLOCKS 8
#define CONVNET_PARAMS_PER_BLOCK 4 /* W, b or none, gamma, beta */
#define CONVNET_MAX_PARAMS (CONVNET_PARAMS_PER_BLOCK * CONVNET_MAX_BLOCKS)
/* weights and, per batch norm, its two running averages */
#define CONVNET_MAX_TENSORS (6 * CONVNET_MAX_BLOCKS)

typedef enum { BLOCK_DENSE, BLOCK_CONV, BLOCK_CONVT } BlockKind;

/* What one block is. h and w are given for a dense block (0 means 1)
 * and computed for the others; c is the output channels of all. */
typedef struct {
    BlockKind kind;
    int h, w, c;        /* output image */
    int k, stride, pad; /* CONV and CONVT */
    bool bn;
    Activation act;
} BlockSpec;

typedef struct {
    BlockSpec spec;     /* with h and w filled in */
    int out_size;       /* h*w*c */
    Dense dense;        /* the one layer of spec.kind */
    Conv2d conv;
    ConvT2d convt;
    BatchNorm bn;       /* when spec.bn; width c over N*h*w rows */
    float *out;         /* (N, out_size): after BN and activation */
} Block;

typedef struct {
    int nblocks;
    int in_h, in_w, in_c;
    float slope;        /* LeakyReLU's negative slope */
    int max_batch;      /* N at most */
    Block blocks[CONVNET_MAX_BLOCKS];
    const float *input; /* x of the last forward, (n, in) */
    BnMode last_mode;   /* the last forward's batch-norm mode */
    float *grad_a, *grad_b; /* scratch, (N, widest block side) */
} ConvNet;

/* Builds the network for (in_h, in_w, in_c) inputs: weights drawn by
 * `scheme`, biases 0, batch norm's gamma 1 and beta 0. Returns -1 with
 * err set (and nothing allocated) when a block's geometry is
 * impossible or the network is too large. */
int convnet_init(ConvNet *net, int in_h, int in_w, int in_c,
                 const BlockSpec *specs, int nblocks, float slope,
                 InitScheme scheme, int max_batch, Rng *rng, Error *err);
void convnet_free(ConvNet *net);

/* What a network of these blocks would need, worked out without
 * building it; -1 with err set when convnet_init would refuse its
 * blocks. A loader checks a file's claims with it before allocating. */
typedef struct {
    long long weights;      /* numbers in its weight matrices */
    long long image_floats; /* its largest buffer, per image */
} ConvNetNeeds;
int convnet_needs(int in_h, int in_w, int in_c, const BlockSpec *specs,
                  int nblocks, ConvNetNeeds *needs, Error *err);

/* Numbers per input image and per output image. */
int convnet_in_size(const ConvNet *net);
int convnet_out_size(const ConvNet *net);

/* y = net(x) for n <= max_batch images, batch norm in `mode`; returns
 * the output buffer, (n, out), valid until the next forward.
 *   x: (n, in) */
const float *convnet_forward(ConvNet *net, const float *x, int n,
                             BnMode mode);

/* y = net(x) for any n, max_batch rows at a time, into the caller's y
 * (n, out): for sampling, where n is not a batch (BN_EVAL).
 *   x: (n, in) */
void convnet_forward_all(ConvNet *net, const float *x, int n, BnMode mode,
                         float *y);

/* Given dy = dL/dy for the last forward's n images: every weight
 * gradient as `mode` says, and dx = dL/dx when dx is not NULL.
 *   dy: (n, out), not modified   dx: (n, in) */
void convnet_backward(ConvNet *net, const float *dy, float *dx, int n,
                      GradMode mode);

/* The trainable tensors, "<prefix>.<i>.W", ".b", ".gamma", ".beta"
 * for blocks i = 1, 2, ...; returns how many (at most
 * CONVNET_MAX_PARAMS). */
int convnet_params(ConvNet *net, const char *prefix, Param *params);
long convnet_param_count(ConvNet *net);

/* Sets every batch norm's running mean and variance to those of the
 * whole population of `batches` batches of n inputs each, drawn by
 * draw(ctx, x, n), every layer normalised by each batch's own
 * statistics as in training: the statistics a network in BN_EVAL
 * needs to act as it did in training, on average ("precise BN", Wu
 * and Johnson 2021). Weights and gradients are not touched. */
void convnet_bn_population(ConvNet *net,
                           void (*draw)(void *ctx, float *x, int n),
                           void *ctx, int n, int batches);

/* The shape of a network as integers, saved beside its weights:
 *   nblocks, in_h, in_w, in_c, slope (float bits), then per block
 *   kind, h, w, c, k, stride, pad, bn, act */
#define CONVNET_ARCH_HEAD 5
#define CONVNET_ARCH_BLOCK 9
#define CONVNET_ARCH_WORDS                                               \
    (CONVNET_ARCH_HEAD + CONVNET_ARCH_BLOCK * CONVNET_MAX_BLOCKS)
typedef struct {
    int32_t words[CONVNET_ARCH_WORDS];
} ConvNetArch;

/* Adds "<prefix>.net" (the arch), every weight, and each batch norm's
 * "<prefix>.<i>.run_mean" and ".run_var" to a checkpoint. arch and
 * tensors (CONVNET_MAX_TENSORS) are filled here and must stay alive,
 * like the network, until ckpt_save returns. */
void convnet_ckpt_add(Ckpt *c, ConvNet *net, const char *prefix,
                      ConvNetArch *arch, Param *tensors);

/* True when the checkpoint holds a ConvNet under prefix. */
bool convnet_ckpt_has(const Ckpt *c, const char *prefix);

/* Builds a new network from "<prefix>.net" and reads its tensors;
 * refuses an arch no network can have. */
int convnet_ckpt_load(const Ckpt *c, const char *prefix, int max_batch,
                      ConvNet *net, Error *err);

/* Reads the tensors into an existing network, refusing a checkpoint
 * whose architecture differs. */
int convnet_ckpt_read(const Ckpt *c, const char *prefix, ConvNet *net,
                      Error *err);

#endif
