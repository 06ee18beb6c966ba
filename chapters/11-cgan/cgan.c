/* cgan.c - one step of the conditional GAN game on 28x28 images.
 *
 * Adds over chapter 8: the class label as K one-hot input columns of
 * both networks, so that G can be asked for a class and D judges an
 * image together with the class it claims to be.
 * Leaves out on purpose: a learned embedding table (the one-hot columns
 * times the first layer's weights already are one, see the book),
 * projection discriminators and auxiliary classifiers (AC-GAN), and
 * convolutions (chapter 12).
 * Build and run: make run-11-cgan, or build/bin/11-cgan --help
 */
#include "cgan.h"

#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "error.h"
#include "losses.h"

static const int g_sizes[CGAN_LAYERS + 1] = {CGAN_G_IN, 128, 256, 512,
                                             1024, CGAN_PIXELS};
static const int d_sizes[CGAN_LAYERS + 1] = {CGAN_D_IN, 1024, 512, 256,
                                             128, 1};

static float *floats(size_t n) { return xmalloc(n * sizeof(float)); }

void cgan_init(Cgan *c, int batch, float label_scale, Rng *rng)
{
    memset(c, 0, sizeof *c);
    size_t n = (size_t)batch;
    c->batch = batch;
    c->label_scale = label_scale;
    mlp_init(&c->g, CGAN_LAYERS, g_sizes, ACT_RELU, ACT_TANH, INIT_HE,
             batch, rng);
    mlp_init(&c->d, CGAN_LAYERS, d_sizes, ACT_RELU, ACT_NONE, INIT_HE,
             2 * batch, rng);
    int ng = mlp_params(&c->g, "g", c->g_params);
    int nd = mlp_params(&c->d, "d", c->d_params);
    optim_init_adam(&c->g_opt, c->g_params, ng, CGAN_LR, CGAN_BETA1,
                    CGAN_BETA2, CGAN_EPS);
    optim_init_adam(&c->d_opt, c->d_params, nd, CGAN_LR, CGAN_BETA1,
                    CGAN_BETA2, CGAN_EPS);
    c->real = floats(n * CGAN_PIXELS);
    c->real_y = floats(n * CGAN_CLASSES);
    c->z = floats(n * CGAN_Z);
    c->fake_y = floats(n * CGAN_CLASSES);
    c->g_in = floats(n * CGAN_G_IN);
    c->d_in = floats(2 * n * CGAN_D_IN);
    c->dlogits = floats(2 * n);
    c->dd_in = floats(2 * n * CGAN_D_IN);
    c->dfake = floats(n * CGAN_PIXELS);
    c->dg_in = floats(n * CGAN_G_IN);
}

void cgan_free(Cgan *c)
{
    mlp_free(&c->g);
    mlp_free(&c->d);
    optim_free(&c->g_opt);
    optim_free(&c->d_opt);
    float *buffers[] = {c->real, c->real_y, c->z, c->fake_y, c->g_in,
                        c->d_in, c->dlogits, c->dd_in, c->dfake,
                        c->dg_in};
    for (size_t i = 0; i < sizeof buffers / sizeof buffers[0]; i++)
        free(buffers[i]);
    memset(c, 0, sizeof *c);
}

// listing: label-columns
void cgan_onehot(const int *labels, int n, float scale, float *y)
{
    memset(y, 0, (size_t)n * CGAN_CLASSES * sizeof(float));
    for (int i = 0; i < n; i++)
        y[(size_t)i * CGAN_CLASSES + labels[i]] = scale;
}

void cgan_join(const float *x, int width, const float *y, int n,
               float *rows)
{
    size_t w = (size_t)width, k = CGAN_CLASSES;
    for (size_t i = 0; i < (size_t)n; i++) {
        memcpy(rows + i * (w + k), x + i * w, w * sizeof(float));
        memcpy(rows + i * (w + k) + w, y + i * k, k * sizeof(float));
    }
}
// end-listing: label-columns

void cgan_draw(Cgan *c, Rng *rng)
{
    size_t n = (size_t)c->batch, k = CGAN_CLASSES;
    rng_fill_normal(rng, c->z, (long)(n * CGAN_Z), 0.0f, 1.0f);
    memset(c->fake_y, 0, n * k * sizeof(float));
    for (size_t i = 0; i < n; i++)
        c->fake_y[i * k + rng_below(rng, k)] = c->label_scale;
}

static float mean_sigmoid(const float *logits, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += sigmoid(logits[i]);
    return (float)(sum / n);
}

/* Copies columns [first, first + count) of (n, width) rows into a
 * dense (n, count) matrix. */
static void copy_columns(const float *rows, int width, int first,
                         int count, int n, float *out)
{
    for (size_t i = 0; i < (size_t)n; i++)
        memcpy(out + i * (size_t)count, rows + i * (size_t)width + first,
               (size_t)count * sizeof(float));
}

// listing: d-step
void cgan_d_gradients(Cgan *c, CganStats *stats, float *dreal_y)
{
    int n = c->batch;
    float *fake_rows = c->d_in + (size_t)n * CGAN_D_IN;
    cgan_join(c->real, CGAN_PIXELS, c->real_y, n, c->d_in);
    cgan_join(c->z, CGAN_Z, c->fake_y, n, c->g_in);
    const float *fake = mlp_forward(&c->g, c->g_in, n);
    /* a fake row carries the class G was asked for */
    cgan_join(fake, CGAN_PIXELS, c->fake_y, n, fake_rows);

    const float *logits = mlp_forward(&c->d, c->d_in, 2 * n);
    float *dreal = c->dlogits, *dfake = c->dlogits + n;
    stats->loss_d = bce_logits_loss_const(logits, 1.0f, n, dreal) +
                    bce_logits_loss_const(logits + n, 0.0f, n, dfake);
    stats->d_real = mean_sigmoid(logits, n);
    stats->d_fake = mean_sigmoid(logits + n, n);

    /* one backward pass over all 2N rows: overwrite, no zeroing */
    mlp_backward(&c->d, c->dlogits, dreal_y ? c->dd_in : NULL, 2 * n,
                 GRAD_OVERWRITE);
    if (dreal_y)
        copy_columns(c->dd_in, CGAN_D_IN, CGAN_PIXELS, CGAN_CLASSES, n,
                     dreal_y);
}
// end-listing: d-step

// listing: g-step
void cgan_g_gradients(Cgan *c, CganStats *stats, float *dfake_y)
{
    int n = c->batch;
    float *rows = c->d_in + (size_t)n * CGAN_D_IN; /* the fake half */
    cgan_join(c->z, CGAN_Z, c->fake_y, n, c->g_in);
    const float *fake = mlp_forward(&c->g, c->g_in, n);
    cgan_join(fake, CGAN_PIXELS, c->fake_y, n, rows);
    const float *logits = mlp_forward(&c->d, rows, n);
    stats->loss_g = bce_logits_loss_const(logits, 1.0f, n, c->dlogits);

    /* back through D to its input rows; G drew only the pixels, so
     * only their columns go on into G */
    mlp_backward(&c->d, c->dlogits, c->dd_in, n, GRAD_INPUT_ONLY);
    copy_columns(c->dd_in, CGAN_D_IN, 0, CGAN_PIXELS, n, c->dfake);
    mlp_backward(&c->g, c->dfake, dfake_y ? c->dg_in : NULL, n,
                 GRAD_OVERWRITE);
    if (!dfake_y)
        return;
    /* the label reached the loss twice: as G's input and as D's */
    for (size_t i = 0; i < (size_t)n; i++)
        for (size_t k = 0; k < CGAN_CLASSES; k++)
            dfake_y[i * CGAN_CLASSES + k] =
                c->dg_in[i * CGAN_G_IN + CGAN_Z + k] +
                c->dd_in[i * CGAN_D_IN + CGAN_PIXELS + k];
}
// end-listing: g-step

void cgan_train_step(Cgan *c, Rng *rng, CganStats *stats)
{
    cgan_draw(c, rng);
    cgan_d_gradients(c, stats, NULL);
    optim_step(&c->d_opt);
    cgan_draw(c, rng);
    cgan_g_gradients(c, stats, NULL);
    optim_step(&c->g_opt);
}

CganGenerator cgan_generator(Cgan *c)
{
    return (CganGenerator){.net = &c->g, .label_scale = c->label_scale};
}

// listing: generate
void cgan_generate(CganGenerator g, const float *z, const int *labels,
                   int n, float *x)
{
    int chunk = g.net->max_batch; /* rows per forward pass */
    float *y = xmalloc((size_t)chunk * CGAN_CLASSES * sizeof(float));
    float *rows = xmalloc((size_t)chunk * CGAN_G_IN * sizeof(float));
    /* y: (chunk, K) one-hot rows; rows: (chunk, Z + K), G's input */
    for (int done = 0; done < n; done += chunk) {
        int m = n - done < chunk ? n - done : chunk;
        cgan_onehot(labels + done, m, g.label_scale, y);
        cgan_join(z + (size_t)done * CGAN_Z, CGAN_Z, y, m, rows);
        const float *out = mlp_forward(g.net, rows, m);
        memcpy(x + (size_t)done * CGAN_PIXELS, out,
               (size_t)m * CGAN_PIXELS * sizeof(float));
    }
    free(y);
    free(rows);
}
// end-listing: generate
