/* test_convnet.c - a network of dense, convolutional and transposed
 * blocks with batch norm: its backward equals finite differences
 * through every kind of block, it keeps the gradient contract, its
 * batch-norm population statistics are those of all the batches at
 * once, and its checkpoints rebuild the same network or are refused. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "convnet.h"
#include "helpers.h"
#include "rng.h"

#define N 3
#define TOLERANCE 5e-3
#define FD_H 3e-3f

SCRATCH_FIXTURE

/* 5x6x2 -> conv 3x3 (BN, tanh) -> convT 4/2 (BN, tanh) -> conv 4/2
 * (sigmoid) -> dense 3 (BN, tanh): every block kind, BN per channel
 * and per unit, stride 1 and 2, non-square. Smooth activations only:
 * a ReLU's kink inside a difference's step breaks the comparison (and
 * test_activations checks the ReLUs' derivatives). */
static const BlockSpec SPECS[] = {
    {.kind = BLOCK_CONV, .c = 3, .k = 3, .stride = 1, .pad = 1, .bn = true,
     .act = ACT_TANH},
    {.kind = BLOCK_CONVT, .c = 2, .k = 4, .stride = 2, .pad = 1,
     .bn = true, .act = ACT_TANH},
    {.kind = BLOCK_CONV, .c = 2, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_SIGMOID},
    {.kind = BLOCK_DENSE, .c = 3, .bn = true, .act = ACT_TANH},
};
#define NSPECS 4

static void make_net(ConvNet *net, int max_batch, Rng *rng)
{
    Error err;
    CU_ASSERT_EQUAL_FATAL(convnet_init(net, 5, 6, 2, SPECS, NSPECS, 0.2f,
                                       INIT_XAVIER, max_batch, rng, &err),
                          0);
    /* gammas and betas away from 1 and 0, so their gradients show */
    Param p[CONVNET_MAX_PARAMS];
    int n = convnet_params(net, "n", p);
    for (int i = 0; i < n; i++)
        if (strstr(p[i].name, "gamma") || strstr(p[i].name, "beta") ||
            strstr(p[i].name, ".b"))
            for (size_t k = 0; k < param_size(&p[i]); k++)
                p[i].value[k] += rng_range(rng, -0.5f, 0.5f);
}

typedef struct {
    ConvNet net;
    float x[N * 5 * 6 * 2], c[N * 3];
} Probe;

static void fill(float *v, int n, Rng *rng)
{
    for (int i = 0; i < n; i++)
        v[i] = rng_range(rng, -1, 1);
}

/* A probe on make_net's network with random x and c. */
static void make_probe(Probe *p, Rng *rng)
{
    make_net(&p->net, N, rng);
    fill(p->x, N * 60, rng);
    fill(p->c, N * 3, rng);
}

/* L = sum c * net(x): through every block and both batch norms */
static double probe_loss(void *ctx)
{
    Probe *p = ctx;
    const float *y = convnet_forward(&p->net, p->x, N, BN_BATCH);
    double s = 0;
    for (int i = 0; i < N * 3; i++)
        s += (double)p->c[i] * y[i];
    return s;
}

static void test_shapes(void)
{
    Rng rng;
    rng_seed(&rng, 1);
    ConvNet net;
    make_net(&net, N, &rng);
    CU_ASSERT_EQUAL(net.blocks[0].out_size, 5 * 6 * 3);
    CU_ASSERT_TRUE(net.blocks[1].spec.h == 10 && net.blocks[1].spec.w == 12);
    CU_ASSERT_TRUE(net.blocks[2].spec.h == 5 && net.blocks[2].spec.w == 6);
    CU_ASSERT_EQUAL(convnet_in_size(&net), 60);
    CU_ASSERT_EQUAL(convnet_out_size(&net), 3);
    /* W+b for unnormalised blocks, W+gamma+beta for normalised ones */
    Param p[CONVNET_MAX_PARAMS];
    CU_ASSERT_EQUAL(convnet_params(&net, "n", p), 3 + 3 + 2 + 3);
    CU_ASSERT_STRING_EQUAL(p[0].name, "n.1.W");
    CU_ASSERT_STRING_EQUAL(p[1].name, "n.1.gamma");
    convnet_free(&net);

    Error err;
    BlockSpec bad = {.kind = BLOCK_CONV, .c = 4, .k = 9, .stride = 1};
    CU_ASSERT_EQUAL(convnet_init(&net, 5, 6, 2, &bad, 1, 0.2f, INIT_XAVIER,
                                 N, &rng, &err), -1);
    ASSERT_CONTAINS(err.msg, "does not fit");
    CU_ASSERT_EQUAL(convnet_init(&net, 5, 6, 2, SPECS, 0, 0.2f,
                                 INIT_XAVIER, N, &rng, &err), -1);
    ASSERT_CONTAINS(err.msg, "1 to 8 blocks");
}

static void test_gradients(void)
{
    Rng rng;
    rng_seed(&rng, 2);
    static Probe p;
    make_probe(&p, &rng);
    float dx[N * 60], num[N * 60];
    probe_loss(&p);
    convnet_backward(&p.net, p.c, dx, N, GRAD_OVERWRITE);
    numeric_gradient(p.x, N * 60, probe_loss, &p, FD_H, num);
    CU_ASSERT_TRUE(rel_error(dx, num, N * 60) < TOLERANCE);

    Param params[CONVNET_MAX_PARAMS];
    int n = convnet_params(&p.net, "n", params);
    for (int i = 0; i < n; i++) {
        size_t k = param_size(&params[i]);
        float *analytic = malloc(k * sizeof(float));
        float *numeric = malloc(k * sizeof(float));
        memcpy(analytic, params[i].grad, k * sizeof(float));
        numeric_gradient(params[i].value, k, probe_loss, &p, FD_H,
                         numeric);
        double e = rel_error(analytic, numeric, k);
        if (e >= TOLERANCE)
            fprintf(stderr, "\n    %s: relative error %g\n",
                    params[i].name, e);
        CU_ASSERT_TRUE(e < TOLERANCE);
        free(analytic);
        free(numeric);
    }
    convnet_free(&p.net);
}

/* Accumulate adds to what is there; input-only leaves it; backward
 * twice after one forward gives the same dx. */
static void test_contract(void)
{
    Rng rng;
    rng_seed(&rng, 3);
    static Probe p;
    make_probe(&p, &rng);
    Param params[CONVNET_MAX_PARAMS];
    int n = convnet_params(&p.net, "n", params);
    float dx1[N * 60], dx2[N * 60];
    probe_loss(&p);
    convnet_backward(&p.net, p.c, dx1, N, GRAD_OVERWRITE);
    float *once = malloc(params_count(params, n) * sizeof(float));
    size_t at = 0;
    for (int i = 0; i < n; i++, at += param_size(&params[i - 1]))
        memcpy(once + at, params[i].grad, param_size(&params[i]) * 4);
    convnet_backward(&p.net, p.c, dx2, N, GRAD_ACCUMULATE);
    CU_ASSERT_EQUAL(memcmp(dx1, dx2, sizeof dx1), 0);
    convnet_backward(&p.net, p.c, dx2, N, GRAD_INPUT_ONLY);
    bool doubled = true;
    at = 0;
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < param_size(&params[i]); k++)
            doubled = doubled && fabsf(params[i].grad[k] -
                                       2 * once[at + k]) <=
                                     1e-5f * (1 + fabsf(once[at + k]));
        at += param_size(&params[i]);
    }
    CU_ASSERT_TRUE(doubled);
    free(once);
    convnet_free(&p.net);
}

/* The first block's batch norm sees the dense layer's output, which
 * does not depend on any normalisation: its population statistics
 * must be the mean and variance over every row of every batch. */
typedef struct {
    Rng rng;
} Draw;

static void draw(void *ctx, float *x, int n)
{
    Draw *d = ctx;
    rng_fill_normal(&d->rng, x, (long)n * 4, 1.0f, 2.0f);
}

static void test_bn_population(void)
{
    enum { B = 8, BATCHES = 5 };
    const BlockSpec specs[] = {
        {.kind = BLOCK_DENSE, .c = 3, .bn = true, .act = ACT_RELU},
        {.kind = BLOCK_DENSE, .c = 2, .bn = true, .act = ACT_NONE},
    };
    Rng rng;
    rng_seed(&rng, 4);
    ConvNet net;
    Error err;
    CU_ASSERT_EQUAL_FATAL(convnet_init(&net, 1, 1, 4, specs, 2, 0.2f,
                                       INIT_XAVIER, B, &rng, &err),
                          0);
    Draw d;
    rng_seed(&d.rng, 5);
    convnet_bn_population(&net, draw, &d, B, BATCHES);

    /* the same inputs again, by hand through the first dense layer */
    rng_seed(&d.rng, 5);
    double sum[3] = {0}, sq[3] = {0};
    float x[B * 4], y[B * 3];
    for (int k = 0; k < BATCHES; k++) {
        draw(&d, x, B);
        dense_forward(&net.blocks[0].dense, x, y, B);
        for (int i = 0; i < B * 3; i++) {
            sum[i % 3] += y[i];
            sq[i % 3] += (double)y[i] * y[i];
        }
    }
    for (int j = 0; j < 3; j++) {
        double m = sum[j] / (B * BATCHES);
        double v = sq[j] / (B * BATCHES) - m * m;
        CU_ASSERT_DOUBLE_EQUAL(net.blocks[0].bn.run_mean[j], m,
                               1e-4 * (1 + fabs(m)));
        CU_ASSERT_DOUBLE_EQUAL(net.blocks[0].bn.run_var[j], v, 1e-3 * v);
    }
    /* and the second block got statistics of its own */
    CU_ASSERT_NOT_EQUAL(net.blocks[1].bn.run_var[0], 1.0f);
    convnet_free(&net);
}

/* In BN_EVAL an image's output does not depend on its batch (beyond
 * the rounding of the product's tiles, BATCH_ROUNDING). */
static void test_eval_is_per_image(void)
{
    Rng rng;
    rng_seed(&rng, 6);
    ConvNet net;
    make_net(&net, N, &rng);
    float x[N * 60];
    fill(x, N * 60, &rng);
    float all[N * 3], one[3];
    memcpy(all, convnet_forward(&net, x, N, BN_EVAL), sizeof all);
    memcpy(one, convnet_forward(&net, x + 60, 1, BN_EVAL), sizeof one);
    CU_ASSERT_TRUE(rel_error(all + 3, one, 3) < BATCH_ROUNDING);
    convnet_free(&net);
}

static char *save_net(ConvNet *net, const char *name, int32_t poke_at,
                      int32_t poke)
{
    Ckpt c;
    ConvNetArch arch;
    Param t[CONVNET_MAX_TENSORS];
    ckpt_init(&c, "test");
    convnet_ckpt_add(&c, net, "g", &arch, t);
    if (poke_at >= 0)
        arch.words[poke_at] = poke;
    char *path = scratch_path(dir, name);
    Error err;
    CU_ASSERT_EQUAL(ckpt_save(&c, path, &err), 0);
    ckpt_free(&c);
    return path;
}

static void test_checkpoints(void)
{
    Rng rng;
    rng_seed(&rng, 7);
    ConvNet net, back;
    make_net(&net, N, &rng);
    /* running statistics that are not the initial ones */
    for (int j = 0; j < 3; j++) {
        net.blocks[0].bn.run_mean[j] = 0.1f * j;
        net.blocks[0].bn.run_var[j] = 1.0f + j;
    }
    char *good = save_net(&net, "net.ckpt", -1, 0);
    Ckpt c;
    Error err;
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, good, NULL, &err), 0);
    CU_ASSERT_TRUE(convnet_ckpt_has(&c, "g"));
    CU_ASSERT_FALSE(convnet_ckpt_has(&c, "d"));
    CU_ASSERT_EQUAL_FATAL(convnet_ckpt_load(&c, "g", N, &back, &err), 0);
    float x[N * 60];
    fill(x, N * 60, &rng);
    float a[N * 3];
    memcpy(a, convnet_forward(&net, x, N, BN_EVAL), sizeof a);
    CU_ASSERT_EQUAL(memcmp(a, convnet_forward(&back, x, N, BN_EVAL),
                           sizeof a), 0);
    memcpy(a, convnet_forward(&net, x, N, BN_BATCH), sizeof a);
    CU_ASSERT_EQUAL(memcmp(a, convnet_forward(&back, x, N, BN_BATCH),
                           sizeof a), 0);
    /* reading into a network of another shape is refused */
    ConvNet other;
    const BlockSpec one = {.kind = BLOCK_DENSE, .c = 3, .act = ACT_TANH};
    CU_ASSERT_EQUAL_FATAL(convnet_init(&other, 5, 6, 2, &one, 1, 0.2f,
                                       INIT_XAVIER, N, &rng, &err), 0);
    CU_ASSERT_EQUAL(convnet_ckpt_read(&c, "g", &other, &err), -1);
    ASSERT_CONTAINS(err.msg, "different g network");
    CU_ASSERT_EQUAL(convnet_ckpt_read(&c, "g", &back, &err), 0);
    ckpt_free(&c);
    convnet_free(&other);
    convnet_free(&back);

    /* archs no network can have, each refused with a message */
    struct {
        int32_t at, value;
        const char *says;
    } bad[] = {
        {0, 0, "describes 0 blocks"},
        {0, 99, "describes 99 blocks"},
        {1, -5, "is not possible"},
        {CONVNET_ARCH_HEAD + 0, 7, "no block kind 7"},
        {CONVNET_ARCH_HEAD + 8, 42, "no activation 42"},
        {CONVNET_ARCH_HEAD + 7, 3, "batch-norm flag 3"},
        {CONVNET_ARCH_HEAD + 1, 9, "not consistent"},
        {CONVNET_ARCH_HEAD + CONVNET_ARCH_BLOCK + 6, 9, "padding 9"},
        {CONVNET_ARCH_HEAD + 3 * CONVNET_ARCH_BLOCK + 3, 1 << 30,
         "too large"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *path = save_net(&net, "bad.ckpt", bad[i].at, bad[i].value);
        CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, NULL, &err), 0);
        CU_ASSERT_EQUAL(convnet_ckpt_load(&c, "g", N, &back, &err), -1);
        ASSERT_CONTAINS(err.msg, bad[i].says);
        ckpt_free(&c);
        free(path);
    }
    convnet_free(&net);
    free(good);
}

/* After the first, a step's forward and backward allocate nothing. */
static void test_no_allocation(void)
{
    Rng rng;
    rng_seed(&rng, 8);
    static Probe p;
    make_probe(&p, &rng);
    float dx[N * 60];
    probe_loss(&p);
    convnet_backward(&p.net, p.c, dx, N, GRAD_OVERWRITE);
    long before = allocations();
    probe_loss(&p);
    convnet_backward(&p.net, p.c, dx, N, GRAD_ACCUMULATE);
    convnet_forward(&p.net, p.x, N, BN_EVAL);
    if (before < 0)
        fprintf(stderr, "(not counted under AddressSanitizer) ");
    CU_ASSERT_EQUAL(allocations(), before);
    /* and the counter does count: */
    void *volatile probe = malloc(16);
    free(probe);
    CU_ASSERT_TRUE(before < 0 || allocations() == before + 1);
    convnet_free(&p.net);
}

void suite_convnet(void)
{
    CU_pSuite s = CU_add_suite("convnet", setup, teardown);
    CU_add_test(s, "block shapes, parameters, impossible blocks refused",
                test_shapes);
    CU_add_test(s, "dx and every parameter's gradient = finite "
                   "differences", test_gradients);
    CU_add_test(s, "accumulate, overwrite, input only", test_contract);
    CU_add_test(s, "batch-norm population statistics = all batches as "
                   "one", test_bn_population);
    CU_add_test(s, "in eval mode an image is normalised on its own",
                test_eval_is_per_image);
    CU_add_test(s, "checkpoints rebuild the network; absurd archs refused",
                test_checkpoints);
    CU_add_test(s, "forward and backward allocate nothing",
                test_no_allocation);
}
