/* convt2d.h - the transposed convolution: the layer that makes an
 * image larger, as a generator needs.
 *
 * A convolution of geometry g maps an (IH, IW, C) image to an
 * (OH, OW, F) one; its gradient with respect to its input maps back
 * from (OH, OW, F) to (IH, IW, C) by col2im(dy W^T). A transposed
 * convolution is that map used as a layer's forward pass: it is the
 * adjoint of a convolution, and with stride S it makes each side
 * about S times longer. The layer keeps g, the geometry of the
 * convolution it reverses (im2col.h's convt_geom builds it), so its
 * input is g's patch side and its output g's image side:
 *
 *   x (N, OH, OW, F)   W (F, K*K*C)   b (C)   y (N, IH, IW, C)
 *
 * Each input pixel's F channels, times W, give a K x K x C patch; the
 * patch is painted onto the output at the window that pixel would
 * have read in g's convolution, and where patches overlap they add:
 *   forward   cols = x W,  y = col2im(cols) + b
 *   backward  dcols = im2col(dy),  dW = x^T dcols,  db = sums of dy
 *             over N*IH*IW rows,  dx = dcols W^T
 * So W is the transpose of the (K*K*C, F) weight matrix of g's
 * convolution, and with that weight, convt2d_forward(y) equals
 * conv2d_backward's dx for dy = y: the tests check both.
 *
 * THE GRADIENT CONTRACT is dense.h's: convt2d_backward treats dW and
 * db as its GradMode says and OVERWRITES dx. It reads the input x of
 * the forward it differentiates, which the caller passes back in.
 *
 * The _naive versions compute the same numbers by direct loops.
 */
#ifndef COMMON_CONVT2D_H
#define COMMON_CONVT2D_H

#include "dense.h"
#include "im2col.h"
#include "init.h"
#include "param.h"
#include "rng.h"

typedef struct {
    ConvGeom g;        /* the convolution it reverses: y is g's image */
    int max_batch;     /* N at most */
    float *W, *b;      /* (F, K*K*C), (C) */
    float *dW, *db;    /* (F, K*K*C), (C): see the contract */
    float *cols;       /* (N*OH*OW, K*K*C) forward's x W, backward's
                          im2col(dy) */
} ConvT2d;

/* Allocates the layer for batches of up to max_batch images, draws W
 * by the scheme (fan in F * (K/S)^2, the inputs that reach one output
 * pixel away from the border, rounded up; fan out K*K*C), sets b = 0
 * and zeroes the gradients. */
void convt2d_init(ConvT2d *l, const ConvGeom *g, int max_batch,
                  InitScheme scheme, Rng *rng);
void convt2d_free(ConvT2d *l);

/* y = convT(x) for n <= max_batch images.
 *   x: (n, OH, OW, F)   y: (n, IH, IW, C) */
void convt2d_forward(ConvT2d *l, const float *x, float *y, int n);

/* Given dy = dL/dy for a forward of the n images x: dW and db as
 * `mode` says, and dx = dL/dx when dx is not NULL.
 *   x, dx: (n, OH, OW, F)   dy: (n, IH, IW, C) */
void convt2d_backward(ConvT2d *l, const float *x, const float *dy,
                      float *dx, int n, GradMode mode);

/* The same two, by direct loops; they neither read nor write cols. */
void convt2d_forward_naive(ConvT2d *l, const float *x, float *y, int n);
void convt2d_backward_naive(ConvT2d *l, const float *x, const float *dy,
                            float *dx, int n, GradMode mode);

void convt2d_zero_grad(ConvT2d *l);

/* Fills params[0..2) with "<prefix>.W" (F, K*K*C) and "<prefix>.b"
 * (1, C); returns 2. */
int convt2d_params(ConvT2d *l, const char *prefix, Param *params);

#endif
