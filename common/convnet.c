/* convnet.c - a stack of linear, batch-norm and activation blocks over
 * NHWC images; forward, backward, population statistics for batch
 * norm, and checkpoints that describe the network they hold.
 *
 * Each block computes its linear layer into its own output buffer and
 * then normalises and activates that buffer in place: batch norm keeps
 * its standardised values and the activation's backward reads only its
 * output, so nothing before is needed again. Backward walks the blocks
 * in reverse between two scratch buffers.
 */
#include "convnet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* a network larger than this is an absurd checkpoint, not a model */
#define MAX_SIDE (1 << 24)    /* numbers per image at any block */
#define MAX_WEIGHTS (1 << 26) /* numbers in one weight matrix */
#define MAX_BATCH_FLOATS (1LL << 30) /* in one buffer of a whole batch */
/* Per image, in the largest buffer of a network read from a checkpoint:
 * 8 times what chapter 12's largest block needs (its last convT's
 * columns, 28 * 28 * 64 * 4 * 4 = 802816 numbers). */
#define CONVNET_LOAD_MAX_IMAGE (1 << 23)

/* True when h * w * c, each at least 1, is at most cap; the sides come
 * from files, so their product is never formed when it would not fit
 * in a long long. */
static bool side_within(int h, int w, int c, long long cap)
{
    return (long long)h * w <= cap && (long long)h * w * c <= cap;
}

static const char *kind_name(BlockKind k)
{
    return k == BLOCK_DENSE ? "dense" : k == BLOCK_CONV ? "conv" : "convT";
}

/* Fills in spec's output side from the input side (h, w, c); checks
 * what the block can be. */
static int block_shape(BlockSpec *s, int i, int h, int w, int c,
                       ConvGeom *g, Error *err)
{
    if (s->act < ACT_NONE || s->act > ACT_SIGMOID)
        return error_set(err, "block %d: no activation %d", i + 1, s->act);
    if (s->kind == BLOCK_DENSE) {
        if (s->h == 0)
            s->h = 1;
        if (s->w == 0)
            s->w = 1;
        if (s->h < 1 || s->w < 1 || s->c < 1 ||
            !side_within(s->h, s->w, s->c, MAX_SIDE) ||
            (long long)h * w * c * s->h * s->w * s->c > MAX_WEIGHTS)
            return error_set(err, "block %d: a dense layer to %d x %d x %d "
                             "is not possible or too large", i + 1, s->h,
                             s->w, s->c);
        return 0;
    }
    int rc;
    if (s->kind == BLOCK_CONV)
        rc = conv_geom(g, h, w, c, s->c, s->k, s->stride, s->pad, err);
    else if (s->kind == BLOCK_CONVT)
        rc = convt_geom(g, h, w, c, s->c, s->k, s->stride, s->pad, err);
    else
        return error_set(err, "block %d: no block kind %d", i + 1, s->kind);
    if (rc < 0)
        return -1;
    int oh = s->kind == BLOCK_CONV ? g->oh : g->ih;
    int ow = s->kind == BLOCK_CONV ? g->ow : g->iw;
    if ((long long)oh * ow * s->c > MAX_SIDE ||
        (long long)geom_patch_size(g) * g->f > MAX_WEIGHTS)
        return error_set(err, "block %d: a %s layer to %d x %d x %d is "
                         "too large", i + 1, kind_name(s->kind), oh, ow,
                         s->c);
    s->h = oh;
    s->w = ow;
    return 0;
}

/* Checks a network of these blocks and works out its shape without
 * allocating anything: s and g (nblocks) filled in, *widest its widest
 * block side, *weights the numbers in its weight matrices, *image the
 * floats of its largest buffer per image (a block side, plus im2col's
 * columns for a convolution). */
static int plan(int in_h, int in_w, int in_c, const BlockSpec *specs,
                int nblocks, BlockSpec *s, ConvGeom *g, long long *widest,
                long long *weights, long long *image, Error *err)
{
    if (nblocks < 1 || nblocks > CONVNET_MAX_BLOCKS)
        return error_set(err, "a network has 1 to %d blocks, not %d",
                         CONVNET_MAX_BLOCKS, nblocks);
    if (in_h < 1 || in_w < 1 || in_c < 1 ||
        !side_within(in_h, in_w, in_c, MAX_SIDE))
        return error_set(err, "an input of %d x %d x %d is not possible",
                         in_h, in_w, in_c);
    int h = in_h, w = in_w, c = in_c;
    *widest = (long long)h * w * c;
    *weights = 0;
    for (int i = 0; i < nblocks; i++) {
        s[i] = specs[i];
        if (block_shape(&s[i], i, h, w, c, &g[i], err) < 0)
            return -1;
        long long in = (long long)h * w * c;
        h = s[i].h, w = s[i].w, c = s[i].c;
        long long out = (long long)h * w * c;
        *weights += s[i].kind == BLOCK_DENSE
                        ? in * out
                        : (long long)geom_patch_size(&g[i]) * g[i].f;
        if (out > *widest)
            *widest = out;
    }
    *image = 0;
    for (int i = 0; i < nblocks; i++) {
        long long cols = s[i].kind == BLOCK_DENSE
                             ? 0
                             : (long long)geom_patches(&g[i]) *
                                   geom_patch_size(&g[i]);
        if (*widest + cols > *image)
            *image = *widest + cols;
    }
    return 0;
}

int convnet_needs(int in_h, int in_w, int in_c, const BlockSpec *specs,
                  int nblocks, ConvNetNeeds *needs, Error *err)
{
    BlockSpec s[CONVNET_MAX_BLOCKS];
    ConvGeom g[CONVNET_MAX_BLOCKS];
    long long widest;
    return plan(in_h, in_w, in_c, specs, nblocks, s, g, &widest,
                &needs->weights, &needs->image_floats, err);
}

int convnet_init(ConvNet *net, int in_h, int in_w, int in_c,
                 const BlockSpec *specs, int nblocks, float slope,
                 InitScheme scheme, int max_batch, Rng *rng, Error *err)
{
    memset(net, 0, sizeof *net);
    /* check every block before allocating anything */
    BlockSpec s[CONVNET_MAX_BLOCKS];
    ConvGeom g[CONVNET_MAX_BLOCKS];
    long long widest, weights, image;
    if (plan(in_h, in_w, in_c, specs, nblocks, s, g, &widest, &weights,
             &image, err) < 0)
        return -1;
    if (max_batch < 1)
        return error_set(err, "max_batch %d; it must be at least 1",
                         max_batch);
    if (image * max_batch > MAX_BATCH_FLOATS)
        return error_set(err, "batches of %d images of this network "
                         "need more than %lld floats per buffer",
                         max_batch, (long long)MAX_BATCH_FLOATS);

    net->nblocks = nblocks;
    net->in_h = in_h, net->in_w = in_w, net->in_c = in_c;
    net->slope = slope;
    net->max_batch = max_batch;
    net->last_mode = BN_TRAIN;
    int in_size = in_h * in_w * in_c;
    for (int i = 0; i < nblocks; i++) {
        Block *b = &net->blocks[i];
        b->spec = s[i];
        b->out_size = s[i].h * s[i].w * s[i].c;
        if (s[i].kind == BLOCK_DENSE)
            dense_init(&b->dense, in_size, b->out_size, scheme, rng);
        else if (s[i].kind == BLOCK_CONV)
            conv2d_init(&b->conv, &g[i], max_batch, scheme, rng);
        else
            convt2d_init(&b->convt, &g[i], max_batch, scheme, rng);
        if (s[i].bn)
            batchnorm_init(&b->bn, s[i].c, max_batch * s[i].h * s[i].w);
        b->out = xmalloc((size_t)max_batch * b->out_size * sizeof(float));
        in_size = b->out_size;
    }
    net->grad_a = xmalloc((size_t)max_batch * widest * sizeof(float));
    net->grad_b = xmalloc((size_t)max_batch * widest * sizeof(float));
    return 0;
}

void convnet_free(ConvNet *net)
{
    for (int i = 0; i < net->nblocks; i++) {
        Block *b = &net->blocks[i];
        if (b->spec.kind == BLOCK_DENSE)
            dense_free(&b->dense);
        else if (b->spec.kind == BLOCK_CONV)
            conv2d_free(&b->conv);
        else
            convt2d_free(&b->convt);
        if (b->spec.bn)
            batchnorm_free(&b->bn);
        free(b->out);
    }
    free(net->grad_a);
    free(net->grad_b);
    memset(net, 0, sizeof *net);
}

int convnet_in_size(const ConvNet *net)
{
    return net->in_h * net->in_w * net->in_c;
}

int convnet_out_size(const ConvNet *net)
{
    return net->blocks[net->nblocks - 1].out_size;
}

/* rows batch norm sees in a block for n images: one per pixel */
static int bn_rows(const Block *b, int n)
{
    return n * b->spec.h * b->spec.w;
}

// listing: convnet-forward
const float *convnet_forward(ConvNet *net, const float *x, int n,
                             BnMode mode)
{
    if (n < 1 || n > net->max_batch)
        fatal("convnet_forward: batch of %d images; the network takes 1 "
              "to %d", n, net->max_batch);
    net->input = x;
    net->last_mode = mode;
    const float *in = x;
    for (int i = 0; i < net->nblocks; i++) {
        Block *b = &net->blocks[i];
        if (b->spec.kind == BLOCK_DENSE)
            dense_forward(&b->dense, in, b->out, n);
        else if (b->spec.kind == BLOCK_CONV)
            conv2d_forward(&b->conv, in, b->out, n);
        else
            convt2d_forward(&b->convt, in, b->out, n);
        if (b->spec.bn) /* in place: bn keeps xhat for backward */
            batchnorm_forward(&b->bn, b->out, b->out, bn_rows(b, n), mode);
        activation_forward(b->spec.act, net->slope, b->out, b->out,
                           (size_t)n * b->out_size);
        in = b->out;
    }
    return in;
}
// end-listing: convnet-forward

// listing: convnet-backward
void convnet_backward(ConvNet *net, const float *dy, float *dx, int n,
                      GradMode mode)
{
    if (n < 1 || n > net->max_batch)
        fatal("convnet_backward: batch of %d images; the network takes 1 "
              "to %d", n, net->max_batch);
    float *d = net->grad_a, *spare = net->grad_b;
    const Block *last = &net->blocks[net->nblocks - 1];
    memcpy(d, dy, (size_t)n * last->out_size * sizeof(float));
    for (int i = net->nblocks - 1; i >= 0; i--) {
        Block *b = &net->blocks[i];
        const float *in = i ? net->blocks[i - 1].out : net->input;
        /* d: dL/d(this block's output) -> dL/d(its linear output) */
        activation_backward(b->spec.act, net->slope, b->out, d,
                            (size_t)n * b->out_size);
        if (b->spec.bn) {
            if (net->last_mode == BN_EVAL)
                fatal("convnet_backward: the last forward used running "
                      "batch-norm statistics (BN_EVAL); backward needs "
                      "the batch's own");
            batchnorm_backward(&b->bn, d, d, bn_rows(b, n), mode);
        }
        /* the first block writes the caller's dx, if wanted */
        float *to = i ? spare : dx;
        if (b->spec.kind == BLOCK_DENSE)
            dense_backward_mode(&b->dense, in, d, to, n, mode);
        else if (b->spec.kind == BLOCK_CONV)
            conv2d_backward(&b->conv, in, d, to, n, mode);
        else
            convt2d_backward(&b->convt, in, d, to, n, mode);
        if (i == 0)
            break;
        float *t = d;
        d = spare;
        spare = t;
    }
}
// end-listing: convnet-backward

/* The linear layer's W and b (weights, gradients, sizes). */
static void linear_tensors(Block *b, Param *w, Param *bias)
{
    Param p[2];
    if (b->spec.kind == BLOCK_DENSE)
        dense_params(&b->dense, "", p);
    else if (b->spec.kind == BLOCK_CONV)
        conv2d_params(&b->conv, "", p);
    else
        convt2d_params(&b->convt, "", p);
    *w = p[0];
    *bias = p[1];
}

static void name_param(Param *p, const char *prefix, int i,
                       const char *what)
{
    int len = snprintf(p->name, PARAM_NAME_MAX, "%s.%d.%s", prefix, i + 1,
                       what);
    if (len < 0 || len >= PARAM_NAME_MAX)
        fatal("convnet: the name prefix '%s' is too long", prefix);
}

int convnet_params(ConvNet *net, const char *prefix, Param *params)
{
    int n = 0;
    for (int i = 0; i < net->nblocks; i++) {
        Block *b = &net->blocks[i];
        Param w, bias;
        linear_tensors(b, &w, &bias);
        params[n] = w;
        name_param(&params[n++], prefix, i, "W");
        if (!b->spec.bn) {
            params[n] = bias;
            name_param(&params[n++], prefix, i, "b");
            continue;
        }
        params[n] = (Param){.value = b->bn.gamma, .grad = b->bn.dgamma,
                            .rows = 1, .cols = b->spec.c};
        name_param(&params[n++], prefix, i, "gamma");
        params[n] = (Param){.value = b->bn.beta, .grad = b->bn.dbeta,
                            .rows = 1, .cols = b->spec.c};
        name_param(&params[n++], prefix, i, "beta");
    }
    return n;
}

long convnet_param_count(ConvNet *net)
{
    Param p[CONVNET_MAX_PARAMS];
    int n = convnet_params(net, "x", p);
    return (long)params_count(p, n);
}

// listing: bn-population
void convnet_bn_population(ConvNet *net,
                           void (*draw)(void *ctx, float *x, int n),
                           void *ctx, int n, int batches)
{
    /* per channel: the sums over batches of the batch mean and of the
     * batch's mean square, var + mean^2 */
    size_t channels = 0;
    for (int i = 0; i < net->nblocks; i++)
        channels += net->blocks[i].spec.bn ? net->blocks[i].spec.c : 0;
    double *sum = xcalloc(2 * channels + 1, sizeof *sum);
    float *x = xmalloc((size_t)n * convnet_in_size(net) * sizeof(float));
    for (int k = 0; k < batches; k++) {
        draw(ctx, x, n);
        convnet_forward(net, x, n, BN_BATCH);
        double *s = sum;
        for (int i = 0; i < net->nblocks; i++) {
            BatchNorm *bn = &net->blocks[i].bn;
            if (!net->blocks[i].spec.bn)
                continue;
            for (int j = 0; j < bn->width; j++, s += 2) {
                s[0] += bn->mean[j];
                s[1] += (double)bn->var[j] + (double)bn->mean[j] * bn->mean[j];
            }
        }
    }
    /* the population's mean and variance, all batches as one */
    double *s = sum;
    for (int i = 0; i < net->nblocks; i++) {
        BatchNorm *bn = &net->blocks[i].bn;
        if (!net->blocks[i].spec.bn)
            continue;
        for (int j = 0; j < bn->width; j++, s += 2) {
            double mean = s[0] / batches, sq = s[1] / batches;
            bn->run_mean[j] = (float)mean;
            bn->run_var[j] = (float)(sq - mean * mean > 0 ? sq - mean * mean
                                                          : 0);
        }
    }
    free(x);
    free(sum);
}
// end-listing: bn-population

/* ---- checkpoints ---- */

static void arch_of(const ConvNet *net, ConvNetArch *a)
{
    memset(a, 0, sizeof *a);
    int32_t *w = a->words;
    w[0] = net->nblocks;
    w[1] = net->in_h, w[2] = net->in_w, w[3] = net->in_c;
    memcpy(&w[4], &net->slope, sizeof net->slope);
    for (int i = 0; i < net->nblocks; i++) {
        const BlockSpec *s = &net->blocks[i].spec;
        int32_t *b = w + CONVNET_ARCH_HEAD + CONVNET_ARCH_BLOCK * i;
        b[0] = (int32_t)s->kind, b[1] = s->h, b[2] = s->w, b[3] = s->c;
        b[4] = s->k, b[5] = s->stride, b[6] = s->pad, b[7] = s->bn;
        b[8] = (int32_t)s->act;
    }
}

/* Every tensor a checkpoint holds: the params, then the running
 * averages of each batch norm (state, not trained). */
static int ckpt_tensors(ConvNet *net, const char *prefix, Param *t)
{
    int n = convnet_params(net, prefix, t);
    for (int i = 0; i < net->nblocks; i++) {
        Block *b = &net->blocks[i];
        if (!b->spec.bn)
            continue;
        t[n] = (Param){.value = b->bn.run_mean, .rows = 1,
                       .cols = b->spec.c};
        name_param(&t[n++], prefix, i, "run_mean");
        t[n] = (Param){.value = b->bn.run_var, .rows = 1,
                       .cols = b->spec.c};
        name_param(&t[n++], prefix, i, "run_var");
    }
    return n;
}

void convnet_ckpt_add(Ckpt *c, ConvNet *net, const char *prefix,
                      ConvNetArch *arch, Param *tensors)
{
    char name[CKPT_NAME_MAX];
    arch_of(net, arch);
    snprintf(name, sizeof name, "%s.net", prefix);
    ckpt_add(c, name, CKPT_I32, arch->words, 1,
             (uint64_t[]){CONVNET_ARCH_WORDS});
    ckpt_add_params(c, tensors, ckpt_tensors(net, prefix, tensors));
}

bool convnet_ckpt_has(const Ckpt *c, const char *prefix)
{
    char name[CKPT_NAME_MAX];
    snprintf(name, sizeof name, "%s.net", prefix);
    return ckpt_find(c, name) != NULL;
}

static int read_arch(const Ckpt *c, const char *prefix, ConvNetArch *a,
                     Error *err)
{
    char name[CKPT_NAME_MAX];
    snprintf(name, sizeof name, "%s.net", prefix);
    return ckpt_read(c, name, CKPT_I32, a->words, 1,
                     (uint64_t[]){CONVNET_ARCH_WORDS}, err);
}

int convnet_ckpt_load(const Ckpt *c, const char *prefix, int max_batch,
                      ConvNet *net, Error *err)
{
    ConvNetArch a;
    if (read_arch(c, prefix, &a, err) < 0)
        return -1;
    const int32_t *w = a.words;
    const char *file = c->path ? c->path : "checkpoint";
    int nblocks = w[0];
    if (nblocks < 1 || nblocks > CONVNET_MAX_BLOCKS)
        return error_set(err, "%s: %s.net describes %d blocks; a network "
                         "has 1 to %d", file, prefix, nblocks,
                         CONVNET_MAX_BLOCKS);
    BlockSpec specs[CONVNET_MAX_BLOCKS];
    for (int i = 0; i < nblocks; i++) {
        const int32_t *b = w + CONVNET_ARCH_HEAD + CONVNET_ARCH_BLOCK * i;
        specs[i] = (BlockSpec){.kind = (BlockKind)b[0], .h = b[1],
                               .w = b[2], .c = b[3], .k = b[4],
                               .stride = b[5], .pad = b[6], .bn = b[7] != 0,
                               .act = (Activation)b[8]};
        if (b[7] != 0 && b[7] != 1)
            return error_set(err, "%s: %s.net: block %d has batch-norm "
                             "flag %d", file, prefix, i + 1, b[7]);
    }
    /* a file of a few bytes can claim a network of gigabytes: build
     * none whose weights the file does not hold, or whose buffers are
     * larger than any network of ours needs (libpng caps the claimed
     * size of an image the same way) */
    ConvNetNeeds needs;
    Error why;
    if (convnet_needs(w[1], w[2], w[3], specs, nblocks, &needs, &why) < 0)
        return error_set(err, "%s: %s.net describes no network this "
                         "program can build: %s", file, prefix, why.msg);
    uint64_t held = ckpt_elements(c, CKPT_F32);
    if ((uint64_t)needs.weights > held)
        return error_set(err, "%s: %s.net describes a network of %lld "
                         "weights, but the file holds only %llu numbers",
                         file, prefix, needs.weights,
                         (unsigned long long)held);
    if (needs.image_floats > CONVNET_LOAD_MAX_IMAGE)
        return error_set(err, "%s: %s.net describes a network that needs "
                         "%lld numbers per image; one read from a file "
                         "may need at most %d", file, prefix,
                         needs.image_floats, CONVNET_LOAD_MAX_IMAGE);
    float slope;
    memcpy(&slope, &w[4], sizeof slope);
    Rng unused;
    rng_seed(&unused, 0);
    if (convnet_init(net, w[1], w[2], w[3], specs, nblocks, slope,
                     INIT_XAVIER, max_batch, &unused, &why) < 0)
        return error_set(err, "%s: %s.net describes no network this "
                         "program can build: %s", file, prefix, why.msg);
    /* the arch as built must be the arch as saved (a conv block's
     * stored side must be the one its geometry gives) */
    ConvNetArch built;
    arch_of(net, &built);
    if (memcmp(&built, &a, sizeof a) != 0) {
        convnet_free(net);
        return error_set(err, "%s: %s.net is not consistent: its blocks' "
                         "sizes do not follow from their geometry", file,
                         prefix);
    }
    Param t[CONVNET_MAX_TENSORS];
    int n = ckpt_tensors(net, prefix, t);
    if (ckpt_read_params(c, t, n, err) < 0) {
        convnet_free(net);
        return -1;
    }
    return 0;
}

int convnet_ckpt_read(const Ckpt *c, const char *prefix, ConvNet *net,
                      Error *err)
{
    ConvNetArch have, want;
    if (read_arch(c, prefix, &have, err) < 0)
        return -1;
    arch_of(net, &want);
    if (memcmp(&have, &want, sizeof have) != 0)
        return error_set(err, "%s holds a different %s network than this "
                         "program builds (blocks, sizes or activations "
                         "differ)", c->path ? c->path : "checkpoint",
                         prefix);
    Param t[CONVNET_MAX_TENSORS];
    int n = ckpt_tensors(net, prefix, t);
    return ckpt_read_params(c, t, n, err);
}

void convnet_forward_all(ConvNet *net, const float *x, int n, BnMode mode,
                         float *y)
{
    size_t in = (size_t)convnet_in_size(net), out = (size_t)convnet_out_size(net);
    for (int done = 0; done < n; done += net->max_batch) {
        int rows = n - done < net->max_batch ? n - done : net->max_batch;
        const float *part = convnet_forward(net, x + done * in, rows, mode);
        memcpy(y + done * out, part, rows * out * sizeof(float));
    }
}
