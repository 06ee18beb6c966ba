/* im2col.h - a convolution's geometry, and the two copies that turn
 * it into one matrix product: im2col and its adjoint col2im.
 *
 * LAYOUT: NHWC. A batch of images is (N, H, W, C), row-major: the C
 * channels of pixel (y, x) of image i sit side by side at
 *     ((i * H + y) * W + x) * C.
 * Read as a matrix, such a batch is (N*H*W, C): one row per pixel.
 * That is why batch norm per channel is batchnorm.h applied to N*H*W
 * rows, and why a dense layer reads a whole image as one row of
 * H*W*C numbers, with no reshaping copy in between.
 *
 * Legend (adds to mat.h's): IH, IW, C the height, width and channels
 * of the image side; OH, OW, F those of the patch side; K the kernel's
 * side (kernels are square); S the stride, P the zero padding, the
 * same on both axes.
 *
 * A convolution of geometry g reads K x K x C patches of the image
 * (IH, IW, C), each K x K window moved by S pixels, the image framed
 * by P pixels of zeros, and gives one output pixel of F channels per
 * window position:
 *     OH = (IH + 2P - K) / S + 1      OW = (IW + 2P - K) / S + 1
 * (rounded down: a window that would hang over the padding's far edge
 * is not taken).
 *
 * im2col copies patch (oy, ox) of image i into row (i*OH + oy)*OW + ox
 * of a matrix of K*K*C columns, in the order (ky, kx, c), with zeros
 * where the window covers padding. A convolution is then that matrix
 * times a (K*K*C, F) weight matrix. col2im goes back: it adds every
 * row of such a matrix into the image at the pixels its patch came
 * from. Where windows overlap, their contributions add up; that makes
 * col2im the adjoint (the transpose) of im2col:
 *     <im2col(x), cols> = <x, col2im(cols)>   for every x and cols.
 */
#ifndef COMMON_IM2COL_H
#define COMMON_IM2COL_H

#include <stddef.h>

#include "error.h"

typedef struct {
    int ih, iw, c;  /* the image side: IH, IW, C */
    int oh, ow, f;  /* the patch side: OH, OW, F */
    int k, stride, pad;
} ConvGeom;

/* The geometry of a convolution from an (ih, iw, c) image to f output
 * channels. Returns -1 with err set when a size is not positive, the
 * padding is negative or not smaller than k, or the image framed by
 * its padding is smaller than one window. */
int conv_geom(ConvGeom *g, int ih, int iw, int c, int f, int k,
              int stride, int pad, Error *err);

/* The geometry of the convolution that a transposed convolution
 * reverses: given the transposed convolution's input (ih, iw, c) and
 * its f output channels, g's patch side is that input (g.oh = ih,
 * g.ow = iw, g.f = c) and g's image side is its output:
 *     g.ih = (ih - 1) S - 2P + K,  g.iw likewise,  g.c = f.
 * Returns -1 with err set as conv_geom does. */
int convt_geom(ConvGeom *g, int ih, int iw, int c, int f, int k,
               int stride, int pad, Error *err);

/* Rows of the patch matrix per image (OH*OW) and its columns
 * (K*K*C). */
int geom_patches(const ConvGeom *g);
int geom_patch_size(const ConvGeom *g);

/* Numbers in one image of the image side (IH*IW*C) and of the patch
 * side (OH*OW*F). */
int geom_image_size(const ConvGeom *g);
int geom_output_size(const ConvGeom *g);

/* Where row `row` of the patch matrix (patch (oy, ox) of image i,
 * row = (i*OH + oy)*OW + ox) reads kernel tap `tap` (tap = ky*K + kx):
 * the index in x of that pixel's first channel, or -1 when it falls
 * on the padding. So cols[row][tap*C + c] = x[geom_tap(...) + c], or
 * 0; the direct loops of the naive layers use it one number at a
 * time, im2col by whole runs. */
ptrdiff_t geom_tap(const ConvGeom *g, int row, int tap);

/* The patches of n images, zeros where they cover padding.
 *   x: (n, IH, IW, C)   cols: (n*OH*OW, K*K*C), overwritten */
void im2col(const ConvGeom *g, const float *x, int n, float *cols);

/* The adjoint: x = the sum, over every row of cols, of that row added
 * at its patch's pixels; what falls on padding is dropped. Overwrites
 * x (it does not accumulate into it).
 *   cols: (n*OH*OW, K*K*C)   x: (n, IH, IW, C) */
void col2im(const ConvGeom *g, const float *cols, int n, float *x);

#endif
