/* conv2d.c - the convolutional layer: im2col, then one GEMM, and
 * backward by two GEMMs and col2im; beside it the direct loops of the
 * defining sums, which the tests hold it to.
 *
 * The patch matrices live in the layer, sized at init for max_batch
 * images, so a training step allocates nothing. What it leaves out:
 * the geometry im2col.h leaves out, and any fusing of the bias or an
 * activation into the GEMM.
 */
#include "conv2d.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mat.h"

void conv2d_init(Conv2d *l, const ConvGeom *g, int max_batch,
                 InitScheme scheme, Rng *rng)
{
    int kkc = geom_patch_size(g), f = g->f;
    if (max_batch < 1 || (long long)max_batch * geom_patches(g) > INT_MAX)
        fatal("conv2d_init: max_batch %d; it must be at least 1, and "
              "max_batch * %d patches must fit in an int", max_batch,
              geom_patches(g));
    size_t nw = (size_t)kkc * f;
    size_t ncols = (size_t)max_batch * geom_patches(g) * kkc;
    l->g = *g;
    l->max_batch = max_batch;
    l->W = xmalloc(nw * sizeof(float));
    l->b = xcalloc((size_t)f, sizeof(float));
    l->dW = xcalloc(nw, sizeof(float));
    l->db = xcalloc((size_t)f, sizeof(float));
    l->cols = xmalloc(ncols * sizeof(float));
    l->dcols = xmalloc(ncols * sizeof(float));
    init_weights(l->W, kkc, f, scheme, rng);
}

void conv2d_free(Conv2d *l)
{
    free(l->W);
    free(l->b);
    free(l->dW);
    free(l->db);
    free(l->cols);
    free(l->dcols);
    memset(l, 0, sizeof *l);
}

void conv2d_forward(Conv2d *l, const float *x, float *y, int n)
{
    if (n < 0 || n > l->max_batch)
        fatal("conv2d_forward: batch of %d images; the layer takes 0 "
              "to %d", n, l->max_batch);
    const ConvGeom *g = &l->g;
    int rows = n * geom_patches(g), kkc = geom_patch_size(g), F = g->f;
    // listing: conv2d-forward
    /* cols: (n*OH*OW, K*K*C), one patch a row */
    im2col(g, x, n, l->cols);
    /* y = 1 * cols W + 1 * y, where y already holds the bias */
    for (int i = 0; i < rows; i++)
        memcpy(y + (size_t)i * F, l->b, (size_t)F * sizeof(float));
    gemm(NO_TRANS, NO_TRANS, rows, F, kkc, 1.0f, l->cols, kkc, l->W, F,
         1.0f, y, F);
    // end-listing: conv2d-forward
}

void conv2d_backward(Conv2d *l, const float *x, const float *dy,
                     float *dx, int n, GradMode mode)
{
    if (n < 0 || n > l->max_batch)
        fatal("conv2d_backward: batch of %d images; the layer takes 0 "
              "to %d", n, l->max_batch);
    (void)x; /* its patches are in cols, from the forward */
    const ConvGeom *g = &l->g;
    int rows = n * geom_patches(g), kkc = geom_patch_size(g), F = g->f;
    // listing: conv2d-backward
    if (mode != GRAD_INPUT_ONLY) {
        float keep = mode == GRAD_ACCUMULATE ? 1.0f : 0.0f;
        /* dW = cols^T dy (+ dW when accumulating) */
        gemm(TRANS, NO_TRANS, kkc, F, rows, 1.0f, l->cols, kkc, dy, F,
             keep, l->dW, F);
        /* db = the sums of dy over all n*OH*OW output pixels (+ db) */
        if (mode == GRAD_OVERWRITE)
            memset(l->db, 0, (size_t)F * sizeof(float));
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < F; j++)
                l->db[j] += dy[(size_t)i * F + j];
    }
    /* dcols = dy W^T, each patch's gradient; col2im adds them up */
    if (dx) {
        gemm(NO_TRANS, TRANS, rows, kkc, F, 1.0f, dy, F, l->W, F, 0.0f,
             l->dcols, kkc);
        col2im(g, l->dcols, n, dx);
    }
    // end-listing: conv2d-backward
}

/* The reference: conv2d.h's sum, one term at a time. Output pixel r
 * ((i*OH + oy)*OW + ox) reads kernel tap t (ky*K + kx) from x at
 * geom_tap(g, r, t), and W's row t*C + c weighs its channel c. */
void conv2d_forward_naive(Conv2d *l, const float *x, float *y, int n)
{
    const ConvGeom *g = &l->g;
    int C = g->c, F = g->f, taps = g->k * g->k;
    for (int r = 0; r < n * geom_patches(g); r++) {
        float *out = y + (size_t)r * F;
        for (int f = 0; f < F; f++)
            out[f] = l->b[f];
        for (int t = 0; t < taps; t++) {
            ptrdiff_t p = geom_tap(g, r, t);
            if (p < 0)
                continue; /* x is 0 there */
            for (int c = 0; c < C; c++) {
                const float *w = l->W + ((size_t)t * C + c) * F;
                for (int f = 0; f < F; f++)
                    out[f] += x[p + c] * w[f];
            }
        }
    }
}

/* Each term x * w of the forward's sums hands dy back to both of its
 * factors: dx gets dy w, and dW gets dy x. */
void conv2d_backward_naive(Conv2d *l, const float *x, const float *dy,
                           float *dx, int n, GradMode mode)
{
    const ConvGeom *g = &l->g;
    int C = g->c, F = g->f, taps = g->k * g->k;
    int grads = mode != GRAD_INPUT_ONLY;
    if (mode == GRAD_OVERWRITE)
        conv2d_zero_grad(l);
    if (dx)
        memset(dx, 0, (size_t)n * geom_image_size(g) * sizeof(float));
    for (int r = 0; r < n * geom_patches(g); r++) {
        const float *d = dy + (size_t)r * F;
        for (int f = 0; f < F && grads; f++)
            l->db[f] += d[f];
        for (int t = 0; t < taps; t++) {
            ptrdiff_t p = geom_tap(g, r, t);
            if (p < 0)
                continue;
            for (int c = 0; c < C; c++) {
                size_t row = ((size_t)t * C + c) * F;
                for (int f = 0; f < F; f++) {
                    if (grads)
                        l->dW[row + f] += x[p + c] * d[f];
                    if (dx)
                        dx[p + c] += l->W[row + f] * d[f];
                }
            }
        }
    }
}

void conv2d_zero_grad(Conv2d *l)
{
    memset(l->dW, 0,
           (size_t)geom_patch_size(&l->g) * l->g.f * sizeof(float));
    memset(l->db, 0, (size_t)l->g.f * sizeof(float));
}

int conv2d_params(Conv2d *l, const char *prefix, Param *params)
{
    params[0] = (Param){.value = l->W, .grad = l->dW,
                        .rows = geom_patch_size(&l->g), .cols = l->g.f};
    params[1] = (Param){.value = l->b, .grad = l->db, .rows = 1,
                        .cols = l->g.f};
    snprintf(params[0].name, PARAM_NAME_MAX, "%s.W", prefix);
    snprintf(params[1].name, PARAM_NAME_MAX, "%s.b", prefix);
    return 2;
}
