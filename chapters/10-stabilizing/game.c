/* game.c - one step of the GAN game, with chapter 10's knobs.
 *
 * Adds over chapters 7 and 8: the minimax and Wasserstein losses beside
 * the non-saturating one, label smoothing, packing, several D updates
 * per G update, and learning rates that decay.
 * Leaves out on purpose: the tricks the chapter does not measure
 * (feature matching, minibatch discrimination, unrolled D, EMA of G).
 * Build and run: make run-10-stabilizing; test: make check
 * SUITE=10-stabilizing
 */
#include "game.h"

#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "error.h"
#include "losses.h"

#define FAKE_LABEL 0.0f

static void net_config(NetConfig *nc, int in, const int *hidden,
                       int depth, int out, int max_batch)
{
    memset(nc, 0, sizeof *nc);
    if (depth < 1 || depth > NET_MAX_LAYERS - 1)
        fatal("a network of %d hidden layers; 1 to %d are supported",
              depth, NET_MAX_LAYERS - 1);
    nc->nlayers = depth + 1;
    nc->sizes[0] = in;
    for (int l = 0; l < depth; l++)
        nc->sizes[l + 1] = hidden[l];
    nc->sizes[depth + 1] = out;
    nc->slope = LEAKY_SLOPE;
    nc->max_batch = max_batch;
}

void stab_game_init(Game *gm, const GameConfig *cfg, int score_batch,
                    Rng *rng)
{
    memset(gm, 0, sizeof *gm);
    gm->cfg = *cfg;
    int N = cfg->batch, m = cfg->pack, X = cfg->dim, Z = cfg->latent;
    gm->samples = m * N;
    NetConfig gc, dc;
    net_config(&gc, Z, cfg->g_hidden, cfg->g_depth, X,
               gm->samples > score_batch ? gm->samples : score_batch);
    gc.hidden = cfg->g_act;
    gc.output = cfg->g_output;
    gc.batchnorm = cfg->g_batchnorm;
    net_config(&dc, m * X, cfg->d_hidden, cfg->d_depth, 1, N);
    dc.hidden = cfg->d_act;
    dc.output = ACT_NONE;
    dc.dropout = cfg->d_dropout;
    dc.spectral = cfg->d_spectral;
    stab_net_init(&gm->g, &gc, rng);
    stab_net_init(&gm->d, &dc, rng);
    int ng = stab_net_params(&gm->g, "g", gm->g_params);
    int nd = stab_net_params(&gm->d, "d", gm->d_params);
    optim_init_adam(&gm->g_opt, gm->g_params, ng, cfg->lr_g, cfg->beta1,
                    cfg->beta2, ADAM_EPS);
    optim_init_adam(&gm->d_opt, gm->d_params, nd, cfg->lr_d, cfg->beta1,
                    cfg->beta2, ADAM_EPS);
    if (cfg->gp_weight > 0.0f) {
        stab_penalty_init(&gm->gp, &gm->d, N);
        gm->mix = xmalloc((size_t)gm->samples * X * sizeof(float));
    }
    gm->z = xmalloc((size_t)gm->samples * Z * sizeof(float));
    gm->real = xmalloc((size_t)gm->samples * X * sizeof(float));
    gm->dlogits = xmalloc((size_t)N * sizeof(float));
    gm->dfake = xmalloc((size_t)gm->samples * X * sizeof(float));
}

void stab_game_free(Game *gm)
{
    stab_net_free(&gm->g);
    stab_net_free(&gm->d);
    optim_free(&gm->g_opt);
    optim_free(&gm->d_opt);
    if (gm->cfg.gp_weight > 0.0f)
        stab_penalty_free(&gm->gp);
    free(gm->mix);
    free(gm->z);
    free(gm->real);
    free(gm->dlogits);
    free(gm->dfake);
    memset(gm, 0, sizeof *gm);
}

/* The mean of sigmoid(logit), or of the critic's value. */
static float mean_output(const float *logits, int n, bool critic)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += critic ? logits[i] : sigmoid(logits[i]);
    return (float)(sum / n);
}

// listing: critic-loss
float stab_critic_loss(const float *f, int n, float sign, float *df)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        sum += f[i];
        df[i] = sign / (float)n;
    }
    return (float)(sign * sum / n);
}
// end-listing: critic-loss

/* D's loss on one batch of logits whose label is real or fake. */
static float d_batch_loss(const Game *gm, const float *logits, bool real,
                          float *dlogits)
{
    int N = gm->cfg.batch;
    if (gm->cfg.loss == LOSS_WASSERSTEIN)
        return stab_critic_loss(logits, N, real ? -1.0f : 1.0f, dlogits);
    return bce_logits_loss_const(logits, real ? gm->cfg.real_label
                                              : FAKE_LABEL,
                                 N, dlogits);
}

// listing: d-gradients
void stab_game_d_gradients(Game *gm, const float *real, const float *z,
                           Rng *rng, GameStats *st)
{
    const GameConfig *c = &gm->cfg;
    int N = c->batch;
    bool critic = c->loss == LOSS_WASSERSTEIN;
    /* (m N, X) samples, which D reads as N packs of m */
    const float *fake = stab_net_forward(&gm->g, z, gm->samples,
                                         NET_TRAIN, rng);
    stab_net_zero_grad(&gm->d);

    const float *logits = stab_net_forward(&gm->d, real, N, NET_TRAIN,
                                           rng);
    st->loss_d = d_batch_loss(gm, logits, true, gm->dlogits);
    st->d_real = mean_output(logits, N, critic);
    stab_net_backward(&gm->d, gm->dlogits, NULL, N, GRAD_ACCUMULATE);

    logits = stab_net_forward(&gm->d, fake, N, NET_TRAIN, rng);
    st->loss_d += d_batch_loss(gm, logits, false, gm->dlogits);
    st->d_fake = mean_output(logits, N, critic);
    stab_net_backward(&gm->d, gm->dlogits, NULL, N, GRAD_ACCUMULATE);

    st->penalty = 0.0f;
    if (c->gp_weight > 0.0f) {
        /* one random point on the segment between each real pack and
         * each fake pack */
        int width = c->pack * c->dim;
        for (int i = 0; i < N; i++) {
            float e = rng_uniform(rng);
            for (int j = 0; j < width; j++) {
                size_t k = (size_t)i * width + j;
                gm->mix[k] = e * real[k] + (1.0f - e) * fake[k];
            }
        }
        st->penalty = stab_gradient_penalty(&gm->gp, &gm->d, gm->mix, N,
                                            c->gp_weight, true);
        st->loss_d += st->penalty;
    }
}
// end-listing: d-gradients

// listing: g-gradients
void stab_game_g_gradients(Game *gm, const float *z, GanLoss loss,
                           NetMode mode, Rng *rng, GameStats *st)
{
    int N = gm->cfg.batch;
    const float *fake = stab_net_forward(&gm->g, z, gm->samples, mode,
                                         rng);
    const float *logits = stab_net_forward(&gm->d, fake, N, mode, rng);
    switch (loss) {
    case LOSS_NONSATURATING: /* -mean log D(G(z)): label 1 */
        st->loss_g = bce_logits_loss_const(logits, 1.0f, N,
                                           gm->dlogits);
        break;
    case LOSS_MINIMAX: /* mean log(1 - D(G(z))) = -BCE with label 0 */
        st->loss_g = -bce_logits_loss_const(logits, FAKE_LABEL, N,
                                            gm->dlogits);
        for (int i = 0; i < N; i++)
            gm->dlogits[i] = -gm->dlogits[i];
        break;
    case LOSS_WASSERSTEIN: /* -mean f(G(z)) */
        st->loss_g = stab_critic_loss(logits, N, -1.0f, gm->dlogits);
        break;
    }
    /* through D to its input, then through G */
    stab_net_backward(&gm->d, gm->dlogits, gm->dfake, N,
                      GRAD_INPUT_ONLY);
    stab_net_backward(&gm->g, gm->dfake, NULL, gm->samples,
                      GRAD_OVERWRITE);
}
// end-listing: g-gradients

void stab_game_d_update(Game *gm, RealSampler sample, void *ctx,
                        Rng *rng, GameStats *st)
{
    sample(ctx, rng, gm->real, gm->samples);
    rng_fill_normal(rng, gm->z, (long)gm->samples * gm->cfg.latent, 0.0f,
                    1.0f);
    stab_game_d_gradients(gm, gm->real, gm->z, rng, st);
    stab_net_finish_grad(&gm->d);
    optim_step(&gm->d_opt);
    stab_net_refresh(&gm->d);
}

// listing: step
void stab_game_step(Game *gm, RealSampler sample, void *ctx, Rng *rng,
                    GameStats *st)
{
    const GameConfig *c = &gm->cfg;
    long n = (long)gm->samples * c->latent;
    if (c->decay) {
        /* linearly from the rate set to 0 at the end of the run */
        float left = 1.0f - (float)gm->step / (float)c->steps;
        gm->g_opt.lr = c->lr_g * left;
        gm->d_opt.lr = c->lr_d * left;
    }
    for (int k = 0; k < c->d_steps; k++)
        stab_game_d_update(gm, sample, ctx, rng, st);
    rng_fill_normal(rng, gm->z, n, 0.0f, 1.0f);
    stab_game_g_gradients(gm, gm->z, c->loss, NET_TRAIN, rng, st);
    optim_step(&gm->g_opt);
    gm->step++;
}
// end-listing: step

double stab_game_g_grad_norm(Game *gm, const float *z, GanLoss loss,
                             double *d_fake)
{
    GameStats st;
    stab_game_g_gradients(gm, z, loss, NET_BATCH, NULL, &st);
    if (d_fake) {
        /* D's output on G(z) is still in its last layer's buffer */
        const Net *d = &gm->d;
        *d_fake = mean_output(d->out[d->cfg.nlayers - 1], gm->cfg.batch,
                              gm->cfg.loss == LOSS_WASSERSTEIN);
    }
    return params_grad_norm(gm->g_params, gm->g_opt.nparams);
}

void stab_game_generate(Game *gm, const float *z, float *x, int n,
                        int chunk, NetMode mode)
{
    int Z = gm->cfg.latent, X = gm->cfg.dim;
    for (int first = 0; first < n; first += chunk) {
        int rows = n - first < chunk ? n - first : chunk;
        const float *y = stab_net_forward(&gm->g, z + (size_t)first * Z,
                                          rows, mode, NULL);
        memcpy(x + (size_t)first * X, y, (size_t)rows * X * sizeof(float));
    }
}
