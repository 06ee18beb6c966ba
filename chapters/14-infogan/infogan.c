/* infogan.c - one step of InfoGAN's game: chapter 12's, with codes in
 * G's input and a second head on D's body that reads them back.
 *
 * Adds over chapter 12: the codes, D split into a body and two heads
 * (whose gradients meet in the body), the information loss in both
 * players' steps, and the paper's larger networks as an option (a
 * dense layer of 1,024 units more in G and in D's body; chapter 12's
 * are the default, so the two chapters compare). Leaves out: a learned
 * variance for the continuous codes.
 * Build and run: build/bin/14-infogan --help; test: make check
 * SUITE=14-infogan
 */
#include "infogan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "error.h"
#include "losses.h"

const GeneratorLatent INFOGAN_LATENT = {INFOGAN_NOISE, INFOGAN_CATEGORIES,
                                        INFOGAN_CONTINUOUS};

// listing: infogan-networks
static const BlockSpec g_blocks[] = { /* chapter 12's G */
    {.kind = BLOCK_DENSE, .h = 7, .w = 7, .c = 128, .bn = true,
     .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 64, .k = 4, .stride = 2, .pad = 1,
     .bn = true, .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 1, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_TANH},
};
static const BlockSpec body_blocks[] = { /* chapter 12's D, less its end */
    {.kind = BLOCK_CONV, .c = 64, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_LEAKY_RELU},
    {.kind = BLOCK_CONV, .c = 128, .k = 4, .stride = 2, .pad = 1,
     .bn = true, .act = ACT_LEAKY_RELU},
};
static const BlockSpec dhead_blocks[] = {
    {.kind = BLOCK_DENSE, .c = 1, .act = ACT_NONE},
};
static const BlockSpec qhead_blocks[] = {
    {.kind = BLOCK_DENSE, .c = 128, .bn = true, .act = ACT_LEAKY_RELU},
    {.kind = BLOCK_DENSE, .c = INFOGAN_Q_OUT, .act = ACT_NONE},
};
// end-listing: infogan-networks

/* --paper-nets: the paper's MNIST networks, the same with one dense
 * layer of 1,024 units more in G (first) and in D's body (last), so
 * that both heads read 1,024 features. */
static const BlockSpec g_paper_blocks[] = {
    {.kind = BLOCK_DENSE, .c = 1024, .bn = true, .act = ACT_RELU},
    {.kind = BLOCK_DENSE, .h = 7, .w = 7, .c = 128, .bn = true,
     .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 64, .k = 4, .stride = 2, .pad = 1,
     .bn = true, .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 1, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_TANH},
};
static const BlockSpec body_paper_blocks[] = {
    {.kind = BLOCK_CONV, .c = 64, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_LEAKY_RELU},
    {.kind = BLOCK_CONV, .c = 128, .k = 4, .stride = 2, .pad = 1,
     .bn = true, .act = ACT_LEAKY_RELU},
    {.kind = BLOCK_DENSE, .c = 1024, .bn = true, .act = ACT_LEAKY_RELU},
};

#define NBLOCKS(b) (int)(sizeof(b) / sizeof((b)[0]))

static void build(ConvNet *net, int h, int w, int c, const BlockSpec *b,
                  int nb, int batch, Rng *rng)
{
    Error err;
    if (convnet_init(net, h, w, c, b, nb, INFOGAN_SLOPE, INIT_DCGAN, batch,
                     rng, &err) < 0)
        fatal("infogan_init: %s", err.msg);
}

void infogan_init(Infogan *gan, int batch, bool paper, Rng *rng)
{
    memset(gan, 0, sizeof *gan);
    gan->batch = batch;
    gan->paper = paper;
    if (paper) {
        build(&gan->g, 1, 1, INFOGAN_Z, g_paper_blocks,
              NBLOCKS(g_paper_blocks), batch, rng);
        build(&gan->body, 28, 28, 1, body_paper_blocks,
              NBLOCKS(body_paper_blocks), batch, rng);
    } else {
        build(&gan->g, 1, 1, INFOGAN_Z, g_blocks, NBLOCKS(g_blocks), batch,
              rng);
        build(&gan->body, 28, 28, 1, body_blocks, NBLOCKS(body_blocks),
              batch, rng);
    }
    /* the heads read the body's output, as one row per image */
    gan->features = convnet_out_size(&gan->body);
    build(&gan->dhead, 1, 1, gan->features, dhead_blocks,
          NBLOCKS(dhead_blocks), batch, rng);
    build(&gan->qhead, 1, 1, gan->features, qhead_blocks,
          NBLOCKS(qhead_blocks), batch, rng);
    int ng = convnet_params(&gan->g, "g", gan->g_params);
    int nd = convnet_params(&gan->body, "body", gan->d_params);
    nd += convnet_params(&gan->dhead, "dhead", gan->d_params + nd);
    nd += convnet_params(&gan->qhead, "qhead", gan->d_params + nd);
    optim_init_adam(&gan->g_opt, gan->g_params, ng, INFOGAN_LR_G,
                    INFOGAN_BETA1, INFOGAN_BETA2, INFOGAN_EPS);
    optim_init_adam(&gan->d_opt, gan->d_params, nd, INFOGAN_LR_D,
                    INFOGAN_BETA1, INFOGAN_BETA2, INFOGAN_EPS);
    size_t n = (size_t)batch;
    gan->z = xmalloc(n * INFOGAN_Z * sizeof(float));
    gan->c1 = xmalloc(n * sizeof(int));
    gan->real = xmalloc(n * INFOGAN_PIXELS * sizeof(float));
    gan->dlogits = xmalloc(n * sizeof(float));
    gan->dq = xmalloc(n * INFOGAN_Q_OUT * sizeof(float));
    gan->dfeat = xmalloc(n * (size_t)gan->features * sizeof(float));
    gan->dfeat_q = xmalloc(n * (size_t)gan->features * sizeof(float));
    gan->dfake = xmalloc(n * INFOGAN_PIXELS * sizeof(float));
}

bool infogan_ckpt_paper(const Ckpt *c)
{
    const CkptTensor *t = ckpt_find(c, "body.net");
    if (!t || t->type != CKPT_I32 || t->ndim != 1 || t->dims[0] == 0)
        return false;
    int32_t nblocks; /* a loaded tensor's bytes need not be aligned */
    memcpy(&nblocks, t->data, sizeof nblocks);
    return nblocks == NBLOCKS(body_paper_blocks);
}

void infogan_free(Infogan *gan)
{
    convnet_free(&gan->g);
    convnet_free(&gan->body);
    convnet_free(&gan->dhead);
    convnet_free(&gan->qhead);
    optim_free(&gan->g_opt);
    optim_free(&gan->d_opt);
    free(gan->z);
    free(gan->c1);
    free(gan->real);
    free(gan->dlogits);
    free(gan->dq);
    free(gan->dfeat);
    free(gan->dfeat_q);
    free(gan->dfake);
}

void infogan_draw_latent(Rng *rng, float *z, int *c1, int n)
{
    generator_latent_draw(&INFOGAN_LATENT, rng, z, n);
    for (int i = 0; i < n; i++) {
        const float *onehot = z + (size_t)i * INFOGAN_Z + INFOGAN_NOISE;
        int k = 0;
        while (onehot[k] == 0.0f)
            k++;
        c1[i] = k;
    }
}

// listing: infogan-info-loss
void infogan_info_loss(const float *q, const float *z, const int *c1,
                       int n, float *dq, float *cat, float *cont)
{
    /* c1: softmax cross-entropy over Q's 10 logits; its gradient
     * (softmax - onehot) / n goes straight into dq's rows */
    float ce = 0.0f;
    for (int i = 0; i < n; i++) {
        const float *logits = q + (size_t)i * INFOGAN_Q_OUT;
        float *d = dq + (size_t)i * INFOGAN_Q_OUT;
        ce += softmax_xent_loss(logits, &c1[i], 1, INFOGAN_CATEGORIES, d);
        for (int k = 0; k < INFOGAN_CATEGORIES; k++)
            d[k] *= INFOGAN_LAMBDA_CAT / (float)n;
    }
    /* c2, c3: -log N(c; mu, 1) = (mu - c)^2 / 2 + constant */
    double sq = 0.0;
    for (int i = 0; i < n; i++) {
        const float *mu = q + (size_t)i * INFOGAN_Q_OUT + INFOGAN_CATEGORIES;
        const float *c = z + (size_t)i * INFOGAN_Z + INFOGAN_NOISE +
                         INFOGAN_CATEGORIES;
        float *d = dq + (size_t)i * INFOGAN_Q_OUT + INFOGAN_CATEGORIES;
        for (int j = 0; j < INFOGAN_CONTINUOUS; j++) {
            float e = mu[j] - c[j];
            sq += 0.5 * (double)e * e;
            d[j] = INFOGAN_LAMBDA_CONT * e / (float)n;
        }
    }
    *cat = INFOGAN_LAMBDA_CAT * ce / (float)n;
    *cont = INFOGAN_LAMBDA_CONT * (float)(sq / n);
}
// end-listing: infogan-info-loss

static float mean_sigmoid(const float *logits, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += sigmoid(logits[i]);
    return (float)(sum / n);
}

const float *infogan_fakes(Infogan *gan, Rng *rng)
{
    infogan_draw_latent(rng, gan->z, gan->c1, gan->batch);
    return convnet_forward(&gan->g, gan->z, gan->batch, BN_BATCH);
}

/* Both heads on the fakes' features, and back into the body: D's head
 * wants `target`; Q's head reads the codes. The heads' gradients meet
 * as the sum dfeat; the body's gradient is as `body_mode` says, and
 * dx, when not NULL, gets dL/d fake. Returns D's GAN loss. */
static float fakes_both_heads(Infogan *gan, const float *fake, float target,
                              GradMode head_mode, GradMode body_mode,
                              float *dx, float *stats)
{
    int n = gan->batch;
    const float *feat = convnet_forward(&gan->body, fake, n, BN_BATCH);
    const float *logits = convnet_forward(&gan->dhead, feat, n, BN_BATCH);
    stats[STAT_D_FAKE] = mean_sigmoid(logits, n);
    float loss = bce_logits_loss_const(logits, target, n, gan->dlogits);
    convnet_backward(&gan->dhead, gan->dlogits, gan->dfeat, n, head_mode);
    const float *q = convnet_forward(&gan->qhead, feat, n, BN_BATCH);
    infogan_info_loss(q, gan->z, gan->c1, n, gan->dq, &stats[STAT_INFO_CAT],
                      &stats[STAT_INFO_CONT]);
    convnet_backward(&gan->qhead, gan->dq, gan->dfeat_q, n,
                     head_mode == GRAD_INPUT_ONLY ? GRAD_INPUT_ONLY
                                                  : GRAD_OVERWRITE);
    for (size_t i = 0; i < (size_t)n * gan->features; i++)
        gan->dfeat[i] += gan->dfeat_q[i];
    convnet_backward(&gan->body, gan->dfeat, dx, n, body_mode);
    return loss;
}

// listing: infogan-d-step
void infogan_d_gradients(Infogan *gan, const float *fake, float *stats)
{
    int n = gan->batch;
    const float *feat = convnet_forward(&gan->body, gan->real, n, BN_BATCH);
    const float *logits = convnet_forward(&gan->dhead, feat, n, BN_BATCH);
    stats[STAT_D_REAL] = mean_sigmoid(logits, n);
    float loss_real = bce_logits_loss_const(logits, 1.0f, n, gan->dlogits);
    convnet_backward(&gan->dhead, gan->dlogits, gan->dfeat, n,
                     GRAD_OVERWRITE);
    convnet_backward(&gan->body, gan->dfeat, NULL, n, GRAD_OVERWRITE);
    /* the fakes: D's head says fake, Q's reads the codes (its only
     * gradient), and the body learns from both */
    float info[INFOGAN_STATS];
    float loss_fake = fakes_both_heads(gan, fake, 0.0f, GRAD_ACCUMULATE,
                                       GRAD_ACCUMULATE, NULL, info);
    stats[STAT_D_FAKE] = info[STAT_D_FAKE];
    stats[STAT_LOSS_D] = loss_real + loss_fake;
}
// end-listing: infogan-d-step

// listing: infogan-g-step
void infogan_g_gradients(Infogan *gan, const float *fake, float *stats)
{
    /* D says real, Q reads the codes: both through the body to the
     * fakes, leaving D's and Q's gradients alone, then on through G */
    float d_fake = stats[STAT_D_FAKE];
    stats[STAT_LOSS_G] = fakes_both_heads(gan, fake, 1.0f, GRAD_INPUT_ONLY,
                                          GRAD_INPUT_ONLY, gan->dfake, stats);
    stats[STAT_D_FAKE] = d_fake; /* D's output in its own step */
    convnet_backward(&gan->g, gan->dfake, NULL, gan->batch, GRAD_OVERWRITE);
}
// end-listing: infogan-g-step

void infogan_train_step(Infogan *gan, Rng *rng, float *stats)
{
    const float *fake = infogan_fakes(gan, rng);
    infogan_d_gradients(gan, fake, stats);
    optim_step(&gan->d_opt);
    infogan_g_gradients(gan, fake, stats);
    optim_step(&gan->g_opt);
}

static void draw_input(void *ctx, float *z, int n)
{
    generator_latent_draw(&INFOGAN_LATENT, ctx, z, n);
}

void infogan_bn_statistics(Infogan *gan, Rng *rng)
{
    convnet_bn_population(&gan->g, draw_input, rng, gan->batch,
                          INFOGAN_BN_BATCHES);
}

void infogan_generate(Infogan *gan, const float *z, int n, float *x)
{
    convnet_forward_all(&gan->g, z, n, BN_EVAL, x);
}

void infogan_read_codes(Infogan *gan, const float *x, int n, int *codes)
{
    for (int done = 0; done < n; done += gan->batch) {
        int rows = n - done < gan->batch ? n - done : gan->batch;
        const float *feat = convnet_forward(
            &gan->body, x + (size_t)done * INFOGAN_PIXELS, rows, BN_BATCH);
        const float *q = convnet_forward(&gan->qhead, feat, rows, BN_BATCH);
        for (int i = 0; i < rows; i++) {
            const float *logits = q + (size_t)i * INFOGAN_Q_OUT;
            int best = 0;
            for (int k = 1; k < INFOGAN_CATEGORIES; k++)
                if (logits[k] > logits[best])
                    best = k;
            codes[done + i] = best;
        }
    }
}
