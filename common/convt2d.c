/* convt2d.c - the transposed convolution: one GEMM makes every input
 * pixel's patch, col2im paints the patches onto the larger image;
 * backward is im2col and two GEMMs. Beside it, the direct loops of
 * the same sums, which the tests hold it to.
 *
 * It is conv2d.c run backwards, so it shares its geometry (im2col.h)
 * and leaves out what that leaves out. It has no "output padding":
 * of the image sizes whose convolution has the input's size, it makes
 * the smallest (convt_geom says which).
 */
#include "convt2d.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mat.h"

void convt2d_init(ConvT2d *l, const ConvGeom *g, int max_batch,
                  InitScheme scheme, Rng *rng)
{
    int kkc = geom_patch_size(g), f = g->f;
    if (max_batch < 1 || (long long)max_batch * geom_patches(g) > INT_MAX)
        fatal("convt2d_init: max_batch %d; it must be at least 1, and "
              "max_batch * %d input pixels must fit in an int",
              max_batch, geom_patches(g));
    size_t nw = (size_t)f * kkc;
    size_t ncols = (size_t)max_batch * geom_patches(g) * kkc;
    l->g = *g;
    l->max_batch = max_batch;
    l->W = xmalloc(nw * sizeof(float));
    l->b = xcalloc((size_t)g->c, sizeof(float));
    l->dW = xcalloc(nw, sizeof(float));
    l->db = xcalloc((size_t)g->c, sizeof(float));
    l->cols = xmalloc(ncols * sizeof(float));
    /* along each axis, K/S input pixels (rounded up) reach an output
     * pixel away from the border */
    int reach = (g->k + g->stride - 1) / g->stride;
    init_weights_n(l->W, (long)nw, f * reach * reach, kkc, scheme, rng);
}

void convt2d_free(ConvT2d *l)
{
    free(l->W);
    free(l->b);
    free(l->dW);
    free(l->db);
    free(l->cols);
    memset(l, 0, sizeof *l);
}

void convt2d_forward(ConvT2d *l, const float *x, float *y, int n)
{
    if (n < 0 || n > l->max_batch)
        fatal("convt2d_forward: batch of %d images; the layer takes 0 "
              "to %d", n, l->max_batch);
    const ConvGeom *g = &l->g;
    int rows = n * geom_patches(g), kkc = geom_patch_size(g), F = g->f;
    int C = g->c;
    size_t pixels = (size_t)n * g->ih * g->iw;
    // listing: convt2d-forward
    /* cols = x W: (n*OH*OW, K*K*C), the patch each input pixel paints */
    gemm(NO_TRANS, NO_TRANS, rows, kkc, F, 1.0f, x, F, l->W, kkc, 0.0f,
         l->cols, kkc);
    /* y = the patches added where they overlap, then the bias */
    col2im(g, l->cols, n, y);
    for (size_t p = 0; p < pixels; p++)
        for (int c = 0; c < C; c++)
            y[p * C + c] += l->b[c];
    // end-listing: convt2d-forward
}

void convt2d_backward(ConvT2d *l, const float *x, const float *dy,
                      float *dx, int n, GradMode mode)
{
    if (n < 0 || n > l->max_batch)
        fatal("convt2d_backward: batch of %d images; the layer takes 0 "
              "to %d", n, l->max_batch);
    const ConvGeom *g = &l->g;
    int rows = n * geom_patches(g), kkc = geom_patch_size(g), F = g->f;
    int C = g->c;
    size_t pixels = (size_t)n * g->ih * g->iw;
    // listing: convt2d-backward
    /* dcols = im2col(dy): the gradient of every patch forward painted */
    im2col(g, dy, n, l->cols);
    if (mode != GRAD_INPUT_ONLY) {
        float keep = mode == GRAD_ACCUMULATE ? 1.0f : 0.0f;
        /* dW = x^T dcols (+ dW when accumulating) */
        gemm(TRANS, NO_TRANS, F, kkc, rows, 1.0f, x, F, l->cols, kkc,
             keep, l->dW, kkc);
        /* db = the sums of dy over all n*IH*IW output pixels (+ db) */
        if (mode == GRAD_OVERWRITE)
            memset(l->db, 0, (size_t)C * sizeof(float));
        for (size_t p = 0; p < pixels; p++)
            for (int c = 0; c < C; c++)
                l->db[c] += dy[p * C + c];
    }
    /* dx = dcols W^T */
    if (dx)
        gemm(NO_TRANS, TRANS, rows, F, kkc, 1.0f, l->cols, kkc, l->W,
             kkc, 0.0f, dx, F);
    // end-listing: convt2d-backward
}

/* The reference, term by term: input pixel r ((i*OH + oy)*OW + ox)
 * paints kernel tap t (ky*K + kx) of its patch at geom_tap(g, r, t)
 * of y, channel c weighed by W[f][t*C + c] for its channel f. */
void convt2d_forward_naive(ConvT2d *l, const float *x, float *y, int n)
{
    const ConvGeom *g = &l->g;
    int C = g->c, F = g->f, taps = g->k * g->k;
    size_t kkc = (size_t)geom_patch_size(g);
    size_t pixels = (size_t)n * g->ih * g->iw;
    for (size_t p = 0; p < pixels; p++)
        for (int c = 0; c < C; c++)
            y[p * C + c] = l->b[c];
    for (int r = 0; r < n * geom_patches(g); r++) {
        const float *in = x + (size_t)r * F;
        for (int t = 0; t < taps; t++) {
            ptrdiff_t p = geom_tap(g, r, t);
            if (p < 0)
                continue; /* it falls on the padding, and is dropped */
            for (int c = 0; c < C; c++) {
                const float *w = l->W + (size_t)t * C + c;
                float sum = 0.0f;
                for (int f = 0; f < F; f++)
                    sum += in[f] * w[f * kkc];
                y[p + c] += sum;
            }
        }
    }
}

/* Each term x * w of the forward's sums hands dy back to both of its
 * factors: dx gets dy w, and dW gets dy x. */
void convt2d_backward_naive(ConvT2d *l, const float *x, const float *dy,
                            float *dx, int n, GradMode mode)
{
    const ConvGeom *g = &l->g;
    int C = g->c, F = g->f, taps = g->k * g->k;
    size_t kkc = (size_t)geom_patch_size(g);
    size_t pixels = (size_t)n * g->ih * g->iw;
    int grads = mode != GRAD_INPUT_ONLY;
    if (mode == GRAD_OVERWRITE)
        convt2d_zero_grad(l);
    for (size_t p = 0; p < pixels && grads; p++)
        for (int c = 0; c < C; c++)
            l->db[c] += dy[p * C + c];
    for (int r = 0; r < n * geom_patches(g); r++) {
        const float *in = x + (size_t)r * F;
        float *out = dx ? dx + (size_t)r * F : NULL;
        for (int f = 0; f < F && out; f++)
            out[f] = 0.0f;
        for (int t = 0; t < taps; t++) {
            ptrdiff_t p = geom_tap(g, r, t);
            if (p < 0)
                continue;
            for (int c = 0; c < C; c++) {
                size_t col = (size_t)t * C + c;
                for (int f = 0; f < F; f++) {
                    if (grads)
                        l->dW[f * kkc + col] += in[f] * dy[p + c];
                    if (out)
                        out[f] += l->W[f * kkc + col] * dy[p + c];
                }
            }
        }
    }
}

void convt2d_zero_grad(ConvT2d *l)
{
    memset(l->dW, 0,
           (size_t)l->g.f * geom_patch_size(&l->g) * sizeof(float));
    memset(l->db, 0, (size_t)l->g.c * sizeof(float));
}

int convt2d_params(ConvT2d *l, const char *prefix, Param *params)
{
    params[0] = (Param){.value = l->W, .grad = l->dW, .rows = l->g.f,
                        .cols = geom_patch_size(&l->g)};
    params[1] = (Param){.value = l->b, .grad = l->db, .rows = 1,
                        .cols = l->g.c};
    snprintf(params[0].name, PARAM_NAME_MAX, "%s.W", prefix);
    snprintf(params[1].name, PARAM_NAME_MAX, "%s.b", prefix);
    return 2;
}
