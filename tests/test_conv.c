/* test_conv.c - convolution, transposed convolution and batch norm per
 * channel: the im2col layers equal the direct loops on odd shapes,
 * every gradient equals finite differences, the transposed convolution
 * is the adjoint of the convolution, and the layers keep dense.h's
 * gradient contract. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "batchnorm.h"
#include "conv2d.h"
#include "convt2d.h"
#include "helpers.h"
#include "im2col.h"
#include "rng.h"

#define H 1e-2f
#define TOLERANCE 2e-3

/* One geometry to try: an (ih, iw, c) image to f channels. */
typedef struct {
    int ih, iw, c, f, k, stride, pad, n;
} Shape;

/* Kernels 3/4/5, strides 1/2, paddings 0/1/2, non-square images,
 * C != F, batches of 1 and 7, and DCGAN's own layers. */
static const Shape SHAPES[] = {
    {5, 5, 1, 1, 3, 1, 0, 1},   {6, 5, 2, 3, 3, 1, 1, 7},
    {7, 9, 3, 2, 4, 2, 1, 1},   {8, 6, 2, 5, 5, 2, 2, 7},
    {9, 7, 4, 3, 5, 1, 2, 1},   {6, 7, 3, 4, 4, 1, 0, 7},
    {5, 8, 2, 2, 3, 2, 0, 7},   {7, 7, 1, 4, 4, 2, 2, 1},
    {28, 28, 1, 8, 4, 2, 1, 2}, {14, 14, 8, 16, 4, 2, 1, 2},
};
#define NSHAPES (int)(sizeof SHAPES / sizeof SHAPES[0])

static float *random_floats(Rng *rng, size_t n)
{
    float *v = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        v[i] = rng_range(rng, -1, 1);
    return v;
}

static double dot(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)a[i] * b[i];
    return s;
}

static ConvGeom geom_of(const Shape *s)
{
    ConvGeom g;
    Error err;
    CU_ASSERT_EQUAL_FATAL(conv_geom(&g, s->ih, s->iw, s->c, s->f, s->k,
                                    s->stride, s->pad, &err),
                          0);
    return g;
}

static void test_geometry(void)
{
    ConvGeom g;
    Error err;
    /* DCGAN's discriminator: 28 -> 14 -> 7 */
    CU_ASSERT_EQUAL(conv_geom(&g, 28, 28, 1, 64, 4, 2, 1, &err), 0);
    CU_ASSERT_TRUE(g.oh == 14 && g.ow == 14 && g.f == 64);
    CU_ASSERT_EQUAL(conv_geom(&g, 14, 14, 64, 128, 4, 2, 1, &err), 0);
    CU_ASSERT_TRUE(g.oh == 7 && g.ow == 7);
    CU_ASSERT_EQUAL(geom_patch_size(&g), 1024);
    /* its generator: 7 -> 14 -> 28, the same convolutions reversed */
    CU_ASSERT_EQUAL(convt_geom(&g, 7, 7, 128, 64, 4, 2, 1, &err), 0);
    CU_ASSERT_TRUE(g.ih == 14 && g.iw == 14 && g.c == 64);
    CU_ASSERT_TRUE(g.oh == 7 && g.ow == 7 && g.f == 128);
    CU_ASSERT_EQUAL(convt_geom(&g, 14, 14, 64, 1, 4, 2, 1, &err), 0);
    CU_ASSERT_TRUE(g.ih == 28 && g.iw == 28 && g.c == 1);
    /* non-square, rounding down: (9 + 0 - 4) / 2 + 1 = 3 */
    CU_ASSERT_EQUAL(conv_geom(&g, 7, 9, 3, 2, 4, 2, 0, &err), 0);
    CU_ASSERT_TRUE(g.oh == 2 && g.ow == 3);

    CU_ASSERT_EQUAL(conv_geom(&g, 0, 5, 1, 1, 3, 1, 0, &err), -1);
    ASSERT_CONTAINS(err.msg, "positive");
    CU_ASSERT_EQUAL(conv_geom(&g, 5, 5, 1, 1, 3, 0, 0, &err), -1);
    ASSERT_CONTAINS(err.msg, "stride 0");
    CU_ASSERT_EQUAL(conv_geom(&g, 5, 5, 1, 1, 3, 1, 3, &err), -1);
    ASSERT_CONTAINS(err.msg, "padding 3");
    CU_ASSERT_EQUAL(conv_geom(&g, 2, 2, 1, 1, 5, 1, 1, &err), -1);
    ASSERT_CONTAINS(err.msg, "does not fit");
    CU_ASSERT_EQUAL(conv_geom(&g, 5, 5, 0, 1, 3, 1, 0, &err), -1);
    ASSERT_CONTAINS(err.msg, "channels");
    CU_ASSERT_EQUAL(conv_geom(&g, 60000, 60000, 64, 1, 3, 1, 0, &err), -1);
    ASSERT_CONTAINS(err.msg, "too large");
    CU_ASSERT_EQUAL(convt_geom(&g, 1, 1, 1, 1, 3, 1, 2, &err), -1);
    ASSERT_CONTAINS(err.msg, "padding");
    /* found by fuzzing a checkpoint's g.net: a padding past INT_MAX / 2
     * made 2 * pad overflow an int (undefined behaviour) before any
     * check; now it is computed wide and refused */
    CU_ASSERT_EQUAL(convt_geom(&g, 262158, 2, 1, 1, 1768844589, 29811,
                               1527775233, &err), -1);
    ASSERT_CONTAINS(err.msg, "the padding is too large");
    CU_ASSERT_EQUAL(conv_geom(&g, 2000000000, 1, 1, 1, 2000000000, 1,
                              1999999999, &err), -1);
    ASSERT_CONTAINS(err.msg, "too large to index with an int");
}

/* <im2col(x), cols> = <x, col2im(cols)> */
static void test_col2im_is_adjoint(void)
{
    Rng rng;
    rng_seed(&rng, 11);
    for (int s = 0; s < NSHAPES; s++) {
        ConvGeom g = geom_of(&SHAPES[s]);
        int n = SHAPES[s].n;
        size_t nx = (size_t)n * geom_image_size(&g);
        size_t nc = (size_t)n * geom_patches(&g) * geom_patch_size(&g);
        float *x = random_floats(&rng, nx), *c = random_floats(&rng, nc);
        float *cx = malloc(nc * sizeof(float));
        float *xc = malloc(nx * sizeof(float));
        im2col(&g, x, n, cx);
        col2im(&g, c, n, xc);
        double a = dot(cx, c, nc), b = dot(x, xc, nx);
        CU_ASSERT_DOUBLE_EQUAL(a, b, 1e-4 * (fabs(a) + 1));
        free(x), free(c), free(cx), free(xc);
    }
}

/* The fast layers equal the direct loops, forward and backward. */
static void test_conv_equals_naive(void)
{
    Rng rng;
    rng_seed(&rng, 12);
    for (int s = 0; s < NSHAPES; s++) {
        ConvGeom g = geom_of(&SHAPES[s]);
        int n = SHAPES[s].n;
        size_t nx = (size_t)n * geom_image_size(&g);
        size_t ny = (size_t)n * geom_output_size(&g);
        size_t nw = (size_t)geom_patch_size(&g) * g.f;
        Conv2d l;
        conv2d_init(&l, &g, n, INIT_XAVIER, &rng);
        for (int j = 0; j < g.f; j++)
            l.b[j] = rng_range(&rng, -1, 1);
        float *x = random_floats(&rng, nx), *dy = random_floats(&rng, ny);
        float *y1 = malloc(ny * 4), *y2 = malloc(ny * 4);
        float *dx1 = malloc(nx * 4), *dx2 = malloc(nx * 4);
        float *dW = malloc(nw * 4), db[64];
        conv2d_forward(&l, x, y1, n);
        conv2d_forward_naive(&l, x, y2, n);
        CU_ASSERT_TRUE(rel_error(y1, y2, ny) < 1e-5);
        conv2d_backward(&l, x, dy, dx1, n, GRAD_OVERWRITE);
        memcpy(dW, l.dW, nw * 4);
        memcpy(db, l.db, (size_t)g.f * 4);
        conv2d_backward_naive(&l, x, dy, dx2, n, GRAD_OVERWRITE);
        CU_ASSERT_TRUE(rel_error(dx1, dx2, nx) < 1e-5);
        CU_ASSERT_TRUE(rel_error(dW, l.dW, nw) < 1e-5);
        CU_ASSERT_TRUE(rel_error(db, l.db, (size_t)g.f) < 1e-5);
        conv2d_free(&l);
        free(x), free(dy), free(y1), free(y2), free(dx1), free(dx2);
        free(dW);
    }
}

static void test_convt_equals_naive(void)
{
    Rng rng;
    rng_seed(&rng, 13);
    for (int s = 0; s < NSHAPES; s++) {
        ConvGeom g = geom_of(&SHAPES[s]);
        int n = SHAPES[s].n;
        /* the transposed layer's input is g's output side */
        size_t nx = (size_t)n * geom_output_size(&g);
        size_t ny = (size_t)n * geom_image_size(&g);
        size_t nw = (size_t)geom_patch_size(&g) * g.f;
        ConvT2d l;
        convt2d_init(&l, &g, n, INIT_XAVIER, &rng);
        for (int j = 0; j < g.c; j++)
            l.b[j] = rng_range(&rng, -1, 1);
        float *x = random_floats(&rng, nx), *dy = random_floats(&rng, ny);
        float *y1 = malloc(ny * 4), *y2 = malloc(ny * 4);
        float *dx1 = malloc(nx * 4), *dx2 = malloc(nx * 4);
        float *dW = malloc(nw * 4), db[64];
        convt2d_forward(&l, x, y1, n);
        convt2d_forward_naive(&l, x, y2, n);
        CU_ASSERT_TRUE(rel_error(y1, y2, ny) < 1e-5);
        convt2d_backward(&l, x, dy, dx1, n, GRAD_OVERWRITE);
        memcpy(dW, l.dW, nw * 4);
        memcpy(db, l.db, (size_t)g.c * 4);
        convt2d_backward_naive(&l, x, dy, dx2, n, GRAD_OVERWRITE);
        CU_ASSERT_TRUE(rel_error(dx1, dx2, nx) < 1e-5);
        CU_ASSERT_TRUE(rel_error(dW, l.dW, nw) < 1e-5);
        CU_ASSERT_TRUE(rel_error(db, l.db, (size_t)g.c) < 1e-5);
        convt2d_free(&l);
        free(x), free(dy), free(y1), free(y2), free(dx1), free(dx2);
        free(dW);
    }
}

/* With W of the transposed layer the transpose of the convolution's
 * and no biases, <conv(x), u> = <x, convT(u)>, and convT(u) is exactly
 * the convolution's dx for dy = u. */
static void test_convt_is_adjoint_of_conv(void)
{
    Rng rng;
    rng_seed(&rng, 14);
    for (int s = 0; s < NSHAPES; s++) {
        ConvGeom g = geom_of(&SHAPES[s]);
        int n = SHAPES[s].n, kkc = geom_patch_size(&g), F = g.f;
        size_t nx = (size_t)n * geom_image_size(&g);
        size_t nu = (size_t)n * geom_output_size(&g);
        Conv2d c;
        ConvT2d t;
        conv2d_init(&c, &g, n, INIT_XAVIER, &rng);
        convt2d_init(&t, &g, n, INIT_XAVIER, &rng);
        for (int i = 0; i < kkc; i++)
            for (int f = 0; f < F; f++)
                t.W[(size_t)f * kkc + i] = c.W[(size_t)i * F + f];
        float *x = random_floats(&rng, nx), *u = random_floats(&rng, nu);
        float *cx = malloc(nu * 4), *tu = malloc(nx * 4);
        float *dx = malloc(nx * 4);
        conv2d_forward(&c, x, cx, n);
        convt2d_forward(&t, u, tu, n);
        double a = dot(cx, u, nu), b = dot(x, tu, nx);
        CU_ASSERT_DOUBLE_EQUAL(a, b, 1e-4 * (fabs(a) + 1));
        conv2d_backward(&c, x, u, dx, n, GRAD_INPUT_ONLY);
        CU_ASSERT_TRUE(rel_error(dx, tu, nx) < 1e-6);
        conv2d_free(&c);
        convt2d_free(&t);
        free(x), free(u), free(cx), free(tu), free(dx);
    }
}

/* L = sum c * layer(x): linear in each of x, W and b. */
typedef struct {
    int transposed, n;
    Conv2d conv;
    ConvT2d convt;
    float *x, *y, *c;
    size_t ny;
} Probe;

static double probe_loss(void *ctx)
{
    Probe *p = ctx;
    if (p->transposed)
        convt2d_forward(&p->convt, p->x, p->y, p->n);
    else
        conv2d_forward(&p->conv, p->x, p->y, p->n);
    return dot(p->c, p->y, p->ny);
}

static void check_gradients(int transposed, const Shape *s, Rng *rng)
{
    ConvGeom g = geom_of(s);
    Probe p = {.transposed = transposed, .n = s->n};
    size_t nx = (size_t)s->n * (transposed ? geom_output_size(&g)
                                           : geom_image_size(&g));
    p.ny = (size_t)s->n * (transposed ? geom_image_size(&g)
                                      : geom_output_size(&g));
    size_t nw = (size_t)geom_patch_size(&g) * g.f;
    size_t nb = (size_t)(transposed ? g.c : g.f);
    float *W, *b, *dW, *db;
    if (transposed) {
        convt2d_init(&p.convt, &g, s->n, INIT_XAVIER, rng);
        W = p.convt.W, b = p.convt.b, dW = p.convt.dW, db = p.convt.db;
    } else {
        conv2d_init(&p.conv, &g, s->n, INIT_XAVIER, rng);
        W = p.conv.W, b = p.conv.b, dW = p.conv.dW, db = p.conv.db;
    }
    for (size_t j = 0; j < nb; j++)
        b[j] = rng_range(rng, -1, 1);
    p.x = random_floats(rng, nx);
    p.c = random_floats(rng, p.ny);
    p.y = malloc(p.ny * 4);
    float *dx = malloc(nx * 4), *num = malloc((nx > nw ? nx : nw) * 4);
    probe_loss(&p);
    if (transposed)
        convt2d_backward(&p.convt, p.x, p.c, dx, s->n, GRAD_OVERWRITE);
    else
        conv2d_backward(&p.conv, p.x, p.c, dx, s->n, GRAD_OVERWRITE);
    numeric_gradient(p.x, nx, probe_loss, &p, H, num);
    CU_ASSERT_TRUE(rel_error(dx, num, nx) < TOLERANCE);
    numeric_gradient(W, nw, probe_loss, &p, H, num);
    CU_ASSERT_TRUE(rel_error(dW, num, nw) < TOLERANCE);
    numeric_gradient(b, nb, probe_loss, &p, H, num);
    CU_ASSERT_TRUE(rel_error(db, num, nb) < TOLERANCE);
    if (transposed)
        convt2d_free(&p.convt);
    else
        conv2d_free(&p.conv);
    free(p.x), free(p.c), free(p.y), free(dx), free(num);
}

static void test_gradients(void)
{
    Rng rng;
    rng_seed(&rng, 15);
    for (int s = 0; s < 8; s++) { /* the small shapes */
        check_gradients(0, &SHAPES[s], &rng);
        check_gradients(1, &SHAPES[s], &rng);
    }
}

/* Accumulate adds, overwrite replaces, input-only leaves dW and db;
 * backward twice after one forward gives the same numbers. */
static void test_contract(void)
{
    Rng rng;
    rng_seed(&rng, 16);
    const Shape *s = &SHAPES[1];
    ConvGeom g = geom_of(s);
    int n = s->n;
    size_t nx = (size_t)n * geom_image_size(&g);
    size_t ny = (size_t)n * geom_output_size(&g);
    size_t nw = (size_t)geom_patch_size(&g) * g.f;
    Conv2d c;
    ConvT2d t;
    conv2d_init(&c, &g, n, INIT_XAVIER, &rng);
    convt2d_init(&t, &g, n, INIT_XAVIER, &rng);
    float *x = random_floats(&rng, nx), *dy = random_floats(&rng, ny);
    float *y = malloc(ny * 4), *dx = malloc(nx * 4), *dx2 = malloc(nx * 4);
    float *once = malloc(nw * 4), *twice = malloc(nw * 4);

    conv2d_forward(&c, x, y, n);
    conv2d_backward(&c, x, dy, dx, n, GRAD_OVERWRITE);
    memcpy(once, c.dW, nw * 4);
    conv2d_backward(&c, x, dy, dx2, n, GRAD_ACCUMULATE);
    for (size_t i = 0; i < nw; i++)
        twice[i] = 2 * once[i];
    CU_ASSERT_TRUE(rel_error(c.dW, twice, nw) < 1e-6);
    CU_ASSERT_TRUE(rel_error(dx, dx2, nx) == 0); /* dx overwritten */
    conv2d_backward(&c, x, dy, dx2, n, GRAD_INPUT_ONLY);
    CU_ASSERT_TRUE(rel_error(c.dW, twice, nw) < 1e-6);
    conv2d_backward(&c, x, dy, dx2, n, GRAD_OVERWRITE);
    CU_ASSERT_TRUE(rel_error(c.dW, once, nw) == 0);

    /* the transposed layer maps dy's side to x's side */
    convt2d_forward(&t, dy, dx, n);
    convt2d_backward(&t, dy, x, y, n, GRAD_OVERWRITE);
    memcpy(once, t.dW, nw * 4);
    convt2d_backward(&t, dy, x, y, n, GRAD_ACCUMULATE);
    for (size_t i = 0; i < nw; i++)
        twice[i] = 2 * once[i];
    CU_ASSERT_TRUE(rel_error(t.dW, twice, nw) < 1e-6);
    convt2d_backward(&t, dy, x, y, n, GRAD_INPUT_ONLY);
    CU_ASSERT_TRUE(rel_error(t.dW, twice, nw) < 1e-6);

    conv2d_free(&c);
    convt2d_free(&t);
    free(x), free(dy), free(y), free(dx), free(dx2), free(once);
    free(twice);
}

/* Batch norm per channel is batchnorm.h over N*H*W rows of C columns:
 * each channel comes out with mean 0 and variance 1 over every pixel
 * of every image, and its gradient equals finite differences. */
typedef struct {
    BatchNorm bn;
    float *x, *y, *c;
    int rows;
} BnProbe;

static double bn_loss(void *ctx)
{
    BnProbe *p = ctx;
    batchnorm_forward(&p->bn, p->x, p->y, p->rows, BN_BATCH);
    double s = 0;
    for (int i = 0; i < p->rows * p->bn.width; i++)
        s += (double)p->c[i] * p->y[i] * p->y[i]; /* not linear */
    return s;
}

static void test_spatial_batchnorm(void)
{
    enum { N = 3, HH = 4, WW = 5, C = 2 };
    Rng rng;
    rng_seed(&rng, 17);
    BnProbe p = {.rows = N * HH * WW};
    batchnorm_init(&p.bn, C, p.rows);
    size_t n = (size_t)p.rows * C;
    p.x = random_floats(&rng, n);
    for (size_t i = 0; i < n; i += C)
        p.x[i + 1] = 3 + 2 * p.x[i + 1]; /* channel 1: mean 3 */
    p.c = random_floats(&rng, n);
    p.y = malloc(n * 4);
    for (int ch = 0; ch < C; ch++) {
        p.bn.gamma[ch] = rng_range(&rng, 0.5f, 1.5f);
        p.bn.beta[ch] = rng_range(&rng, -0.5f, 0.5f);
    }
    bn_loss(&p);
    for (int ch = 0; ch < C; ch++) {
        double m = 0, v = 0;
        for (int r = 0; r < p.rows; r++)
            m += (p.y[r * C + ch] - p.bn.beta[ch]) / p.bn.gamma[ch];
        m /= p.rows;
        for (int r = 0; r < p.rows; r++) {
            double z = (p.y[r * C + ch] - p.bn.beta[ch]) / p.bn.gamma[ch];
            v += (z - m) * (z - m);
        }
        CU_ASSERT_DOUBLE_EQUAL(m, 0, 1e-5);
        CU_ASSERT_DOUBLE_EQUAL(v / p.rows, 1, 1e-3);
    }
    float *dy = malloc(n * 4), *dx = malloc(n * 4), *num = malloc(n * 4);
    for (size_t i = 0; i < n; i++)
        dy[i] = 2 * p.c[i] * p.y[i];
    batchnorm_backward(&p.bn, dy, dx, p.rows, GRAD_OVERWRITE);
    numeric_gradient(p.x, n, bn_loss, &p, 1e-3f, num);
    CU_ASSERT_TRUE(rel_error(dx, num, n) < 5e-3);
    float dgamma[C];
    memcpy(dgamma, p.bn.dgamma, sizeof dgamma);
    numeric_gradient(p.bn.gamma, C, bn_loss, &p, 1e-3f, num);
    CU_ASSERT_TRUE(rel_error(dgamma, num, C) < 5e-3);
    batchnorm_free(&p.bn);
    free(p.x), free(p.c), free(p.y), free(dy), free(dx), free(num);
}

void suite_conv(void)
{
    CU_pSuite s = CU_add_suite("conv", NULL, NULL);
    CU_add_test(s, "geometry: DCGAN's sizes, and bad ones refused",
                test_geometry);
    CU_add_test(s, "col2im is the adjoint of im2col",
                test_col2im_is_adjoint);
    CU_add_test(s, "conv2d = the direct loops, forward and backward",
                test_conv_equals_naive);
    CU_add_test(s, "convt2d = the direct loops, forward and backward",
                test_convt_equals_naive);
    CU_add_test(s, "convt2d is the adjoint of conv2d (= its dx)",
                test_convt_is_adjoint_of_conv);
    CU_add_test(s, "dx, dW, db = finite differences, both layers",
                test_gradients);
    CU_add_test(s, "accumulate, overwrite, input only, backward twice",
                test_contract);
    CU_add_test(s, "batch norm per channel over N*H*W rows = finite "
                   "differences", test_spatial_batchnorm);
}
