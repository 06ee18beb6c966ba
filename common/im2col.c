/* im2col.c - a convolution's geometry, checked, and the two copies
 * between a batch of NHWC images and its patch matrix.
 *
 * In NHWC the K pixels of one window row are K*C floats side by side,
 * so each window row is one memcpy of its part inside the image, and
 * only what hangs over the padding is zero-filled; col2im adds the
 * same runs back. The geometry is what DCGAN needs and nothing more:
 * square kernels, one stride and one padding for both axes, no
 * dilation and no groups.
 */
#include "im2col.h"

#include <limits.h>
#include <string.h>

#include "parallel.h"

/* The checks both geometries share; `fn` names the caller. The sizes
 * are those of the layer's input: (h, w, c) image, f channels out. */
static int check_sizes(const char *fn, int h, int w, int c, int f,
                       int k, int stride, int pad, Error *err)
{
    if (h <= 0 || w <= 0)
        return error_set(err, "%s: the input is %d x %d pixels; both "
                         "sides must be positive", fn, h, w);
    if (c <= 0)
        return error_set(err, "%s: the input has %d channels; it needs "
                         "at least 1", fn, c);
    if (f <= 0)
        return error_set(err, "%s: %d output channels asked for; it "
                         "needs at least 1", fn, f);
    if (k <= 0)
        return error_set(err, "%s: kernel size %d; it must be positive",
                         fn, k);
    if (stride <= 0)
        return error_set(err, "%s: stride %d; it must be positive", fn,
                         stride);
    if (pad < 0 || pad >= k)
        return error_set(err, "%s: padding %d; it must be at least 0 "
                         "and smaller than the kernel size %d", fn, pad,
                         k);
    return 0;
}

/* a * b * c, or -1 when that is more than an int holds */
static long long int_product(long long a, long long b, long long c)
{
    if (a * b > INT_MAX || a * b * c > INT_MAX)
        return -1;
    return a * b * c;
}

/* Fills g for a convolution of an (ih, iw, c) image to f channels,
 * after checking it; `fn` names the caller in the message. */
static int make_geom(const char *fn, ConvGeom *g, int ih, int iw, int c,
                     int f, int k, int stride, int pad, Error *err)
{
    if (check_sizes(fn, ih, iw, c, f, k, stride, pad, err) < 0)
        return -1;
    /* in long long: the sizes may come from a file, and ih + 2 * pad
     * can pass INT_MAX */
    long long framed_h = ih + 2LL * pad, framed_w = iw + 2LL * pad;
    if (framed_h < k || framed_w < k)
        return error_set(err, "%s: a %d x %d window does not fit in the "
                         "%d x %d image framed by %d pixels of padding",
                         fn, k, k, ih, iw, pad);
    long long oh = (framed_h - k) / stride + 1;
    long long ow = (framed_w - k) / stride + 1;
    if (oh > INT_MAX || ow > INT_MAX)
        return error_set(err, "%s: a %d x %d image with padding %d is too "
                         "large to index with an int", fn, ih, iw, pad);
    if (int_product(ih, iw, c) < 0 || int_product(oh, ow, f) < 0 ||
        int_product(k, k, c) < 0 ||
        int_product((long long)oh * ow, k, (long long)k * c) < 0)
        return error_set(err, "%s: a %d x %d x %d image to %d channels "
                         "is too large to index with an int", fn, ih, iw,
                         c, f);
    *g = (ConvGeom){.ih = ih, .iw = iw, .c = c, .oh = (int)oh,
                    .ow = (int)ow, .f = f, .k = k, .stride = stride,
                    .pad = pad};
    return 0;
}

int conv_geom(ConvGeom *g, int ih, int iw, int c, int f, int k,
              int stride, int pad, Error *err)
{
    return make_geom("conv_geom", g, ih, iw, c, f, k, stride, pad, err);
}

int convt_geom(ConvGeom *g, int ih, int iw, int c, int f, int k,
               int stride, int pad, Error *err)
{
    if (check_sizes("convt_geom", ih, iw, c, f, k, stride, pad, err) < 0)
        return -1;
    /* the smallest image whose convolution has ih x iw windows */
    long long oh = (long long)(ih - 1) * stride - 2LL * pad + k;
    long long ow = (long long)(iw - 1) * stride - 2LL * pad + k;
    if (oh < 1 || ow < 1)
        return error_set(err, "convt_geom: a %d x %d input with kernel %d, "
                         "stride %d and padding %d gives a %lld x %lld "
                         "output; the padding is too large", ih, iw, k,
                         stride, pad, oh, ow);
    if (oh > INT_MAX || ow > INT_MAX)
        return error_set(err, "convt_geom: a %d x %d input with stride %d "
                         "gives an output too large to index with an int",
                         ih, iw, stride);
    return make_geom("convt_geom", g, (int)oh, (int)ow, f, c, k, stride,
                     pad, err);
}

int geom_patches(const ConvGeom *g) { return g->oh * g->ow; }

int geom_patch_size(const ConvGeom *g) { return g->k * g->k * g->c; }

int geom_image_size(const ConvGeom *g) { return g->ih * g->iw * g->c; }

int geom_output_size(const ConvGeom *g) { return g->oh * g->ow * g->f; }

ptrdiff_t geom_tap(const ConvGeom *g, int row, int tap)
{
    int i = row / geom_patches(g), oy = row / g->ow % g->oh;
    int ox = row % g->ow;
    int iy = oy * g->stride - g->pad + tap / g->k;
    int ix = ox * g->stride - g->pad + tap % g->k;
    if (iy < 0 || iy >= g->ih || ix < 0 || ix >= g->iw)
        return -1;
    return (((ptrdiff_t)i * g->ih + iy) * g->iw + ix) * g->c;
}

/* Window row ky of patch (oy, ox): its columns kx in [lo, hi) lie
 * inside the image, starting at pixel *at of it (pixels counted row
 * by row). Returns 0 when the whole row lies in the padding. Since
 * P < K, every window overlaps the image, so lo < hi. */
static int window_row(const ConvGeom *g, int oy, int ox, int ky, int *lo,
                      int *hi, size_t *at)
{
    int y = oy * g->stride - g->pad + ky;
    int x0 = ox * g->stride - g->pad;
    *lo = x0 < 0 ? -x0 : 0;
    *hi = x0 + g->k > g->iw ? g->iw - x0 : g->k;
    *at = (size_t)y * g->iw + x0 + *lo;
    return y >= 0 && y < g->ih;
}

// listing: im2col
/* One image's patches.   x: (IH, IW, C)   cols: (OH*OW, K*K*C) */
static void im2col_image(const ConvGeom *g, const float *x, float *cols)
{
    size_t C = (size_t)g->c, run = (size_t)g->k * C;
    for (int oy = 0; oy < g->oh; oy++)
        for (int ox = 0; ox < g->ow; ox++)
            for (int ky = 0; ky < g->k; ky++, cols += run) {
                int lo, hi;
                size_t at;
                if (!window_row(g, oy, ox, ky, &lo, &hi, &at)) {
                    memset(cols, 0, run * sizeof(float));
                    continue;
                }
                /* zeros, the pixels inside the image, zeros */
                if (lo > 0)
                    memset(cols, 0, lo * C * sizeof(float));
                memcpy(cols + lo * C, x + at * C,
                       (hi - lo) * C * sizeof(float));
                if (hi < g->k)
                    memset(cols + hi * C, 0,
                           (g->k - hi) * C * sizeof(float));
            }
}
// end-listing: im2col

// listing: col2im
/* One image from its patches.   cols: (OH*OW, K*K*C)   x: (IH, IW, C) */
static void col2im_image(const ConvGeom *g, const float *cols, float *x)
{
    size_t C = (size_t)g->c, run = (size_t)g->k * C;
    memset(x, 0, (size_t)geom_image_size(g) * sizeof(float));
    for (int oy = 0; oy < g->oh; oy++)
        for (int ox = 0; ox < g->ow; ox++)
            for (int ky = 0; ky < g->k; ky++, cols += run) {
                int lo, hi;
                size_t at;
                if (!window_row(g, oy, ox, ky, &lo, &hi, &at))
                    continue; /* what fell on padding is dropped */
                float *dst = x + at * C;
                const float *src = cols + lo * C;
                size_t len = (hi - lo) * C;
                for (size_t j = 0; j < len; j++)
                    dst[j] += src[j];
            }
}
// end-listing: col2im

/* The images of a batch are independent: each thread copies a range
 * of them, with the same arithmetic as one thread would. */
typedef struct {
    const ConvGeom *g;
    const float *src;
    float *dst;
} Copy;

static void im2col_range(void *ctx, size_t begin, size_t end)
{
    const Copy *c = ctx;
    size_t in = (size_t)geom_image_size(c->g);
    size_t out = (size_t)geom_patches(c->g) * geom_patch_size(c->g);
    for (size_t i = begin; i < end; i++)
        im2col_image(c->g, c->src + i * in, c->dst + i * out);
}

static void col2im_range(void *ctx, size_t begin, size_t end)
{
    const Copy *c = ctx;
    size_t in = (size_t)geom_image_size(c->g);
    size_t out = (size_t)geom_patches(c->g) * geom_patch_size(c->g);
    for (size_t i = begin; i < end; i++)
        col2im_image(c->g, c->src + i * out, c->dst + i * in);
}

void im2col(const ConvGeom *g, const float *x, int n, float *cols)
{
    Copy c = {g, x, cols};
    size_t cost = (size_t)geom_patches(g) * geom_patch_size(g);
    parallel_for_items((size_t)n, cost, im2col_range, &c);
}

void col2im(const ConvGeom *g, const float *cols, int n, float *x)
{
    Copy c = {g, cols, x};
    size_t cost = (size_t)geom_patches(g) * geom_patch_size(g);
    parallel_for_items((size_t)n, cost, col2im_range, &c);
}
