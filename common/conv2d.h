/* conv2d.h - the convolutional layer, as im2col and one matrix
 * product.
 *
 * Shapes (im2col.h has the layout and the legend):
 *   x (N, IH, IW, C)   W (K*K*C, F)   b (F)   y (N, OH, OW, F)
 *
 *   y[i, oy, ox, f] = b[f] + sum over ky, kx, c of
 *       x[i, oy*S - P + ky, ox*S - P + kx, c] * W[(ky*K + kx)*C + c, f]
 * where x is 0 outside the image. With cols = im2col(x),
 *   forward   y = cols W + b                 (one GEMM)
 *   backward  dW = cols^T dy,  db = sums of dy over N*OH*OW rows,
 *             dx = col2im(dy W^T)            (one GEMM and the adjoint
 *                                             copy)
 *
 * THE GRADIENT CONTRACT is dense.h's: conv2d_backward treats dW and db
 * as its GradMode says (accumulate, overwrite, or leave them) and
 * OVERWRITES dx. It differentiates the last conv2d_forward: the
 * patches of that forward's input are kept in `cols` (so backward
 * copies nothing for dW); backward may be called more than once after
 * one forward.
 *
 * conv2d_forward_naive and conv2d_backward_naive compute the same
 * numbers with the direct loops of the sums above: the reference the
 * tests compare the fast versions with, as gemm_naive is for gemm.
 */
#ifndef COMMON_CONV2D_H
#define COMMON_CONV2D_H

#include "dense.h"
#include "im2col.h"
#include "init.h"
#include "param.h"
#include "rng.h"

typedef struct {
    ConvGeom g;
    int max_batch;     /* N at most */
    float *W, *b;      /* (K*K*C, F), (F) */
    float *dW, *db;    /* (K*K*C, F), (F): see the contract */
    float *cols;       /* (N*OH*OW, K*K*C) patches of the last forward */
    float *dcols;      /* (N*OH*OW, K*K*C) backward's dy W^T */
} Conv2d;

/* Allocates the layer for batches of up to max_batch images, draws W
 * by the scheme (fan in K*K*C, fan out F), sets b = 0 and zeroes the
 * gradients. */
void conv2d_init(Conv2d *l, const ConvGeom *g, int max_batch,
                 InitScheme scheme, Rng *rng);
void conv2d_free(Conv2d *l);

/* y = conv(x) for n <= max_batch images.
 *   x: (n, IH, IW, C)   y: (n, OH, OW, F) */
void conv2d_forward(Conv2d *l, const float *x, float *y, int n);

/* Given dy = dL/dy for the last forward's n images (whose input was
 * x): dW and db as `mode` says, and dx = dL/dx when dx is not NULL.
 *   x, dx: (n, IH, IW, C)   dy: (n, OH, OW, F) */
void conv2d_backward(Conv2d *l, const float *x, const float *dy,
                     float *dx, int n, GradMode mode);

/* The same two, by direct loops; they neither read nor write cols. */
void conv2d_forward_naive(Conv2d *l, const float *x, float *y, int n);
void conv2d_backward_naive(Conv2d *l, const float *x, const float *dy,
                           float *dx, int n, GradMode mode);

void conv2d_zero_grad(Conv2d *l);

/* Fills params[0..2) with "<prefix>.W" (K*K*C, F) and "<prefix>.b"
 * (1, F); returns 2. */
int conv2d_params(Conv2d *l, const char *prefix, Param *params);

#endif
