/* net.c - the layers of chapter 10's networks, in one stack.
 *
 * Adds over common/mlp.c: batch normalisation between a dense layer and
 * its activation, dropout after it, and spectrally normalised weights.
 * Leaves out on purpose: anything the chapter does not measure
 * (checkpoints, other layer orders).
 * Build and run: make run-10-stabilizing; test: make check
 * SUITE=10-stabilizing
 */
#include "net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "error.h"

/* Power iteration steps for the first estimate of sigma; later steps
 * carry u over and need one each. */
#define SN_FIRST_STEPS 20

void stab_net_init(Net *net, const NetConfig *cfg, Rng *rng)
{
    if (cfg->nlayers < 1 || cfg->nlayers > NET_MAX_LAYERS)
        fatal("stab_net_init: %d layers; 1 to %d are supported",
              cfg->nlayers, NET_MAX_LAYERS);
    memset(net, 0, sizeof *net);
    net->cfg = *cfg;
    int L = cfg->nlayers, N = cfg->max_batch, widest = cfg->sizes[0];
    for (int l = 0; l < L; l++) {
        int D = cfg->sizes[l], H = cfg->sizes[l + 1];
        size_t rows = (size_t)N * H;
        if (H > widest)
            widest = H;
        dense_init(&net->dense[l], D, H, INIT_HE, rng);
        net->pre[l] = xmalloc(rows * sizeof(float));
        net->act[l] = xmalloc(rows * sizeof(float));
        net->out[l] = xmalloc(rows * sizeof(float));
        bool hidden = l < L - 1;
        if (hidden && cfg->batchnorm)
            batchnorm_init(&net->bn[l], H, N);
        if (hidden && cfg->dropout > 0.0f)
            net->keep[l] = xmalloc(rows * sizeof(float));
        if (cfg->spectral) {
            /* the optimiser owns W; the dense layer computes with Wn */
            size_t nw = (size_t)D * H;
            net->raw_W[l] = xmalloc(nw * sizeof(float));
            net->raw_dW[l] = xcalloc(nw, sizeof(float));
            memcpy(net->raw_W[l], net->dense[l].W, nw * sizeof(float));
            spectral_norm_init(&net->sn[l], D, H, rng);
            spectral_norm_update(&net->sn[l], net->raw_W[l],
                                 SN_FIRST_STEPS);
            spectral_norm_apply(&net->sn[l], net->raw_W[l],
                                net->dense[l].W);
        }
    }
    net->grad_a = xmalloc((size_t)N * widest * sizeof(float));
    net->grad_b = xmalloc((size_t)N * widest * sizeof(float));
}

void stab_net_free(Net *net)
{
    int L = net->cfg.nlayers;
    for (int l = 0; l < L; l++) {
        dense_free(&net->dense[l]);
        free(net->pre[l]);
        free(net->act[l]);
        free(net->out[l]);
        free(net->keep[l]);
        if (net->cfg.batchnorm && l < L - 1)
            batchnorm_free(&net->bn[l]);
        if (net->cfg.spectral) {
            free(net->raw_W[l]);
            free(net->raw_dW[l]);
            spectral_norm_free(&net->sn[l]);
        }
    }
    free(net->grad_a);
    free(net->grad_b);
    memset(net, 0, sizeof *net);
}

// listing: dropout
/* Inverted dropout: each unit is kept with probability 1 - p and then
 * scaled by 1 / (1 - p), so its expected value is unchanged and
 * nothing needs rescaling when dropout is off.   keep, x, y: (n) */
static void dropout_forward(float p, Rng *rng, float *keep,
                            const float *x, float *y, size_t n)
{
    float scale = 1.0f / (1.0f - p);
    for (size_t i = 0; i < n; i++) {
        keep[i] = rng_uniform(rng) < p ? 0.0f : scale;
        y[i] = x[i] * keep[i];
    }
}
// end-listing: dropout

// listing: net-forward
const float *stab_net_forward(Net *net, const float *x, int n,
                              NetMode mode, Rng *rng)
{
    const NetConfig *c = &net->cfg;
    if (n > c->max_batch)
        fatal("stab_net_forward: batch of %d rows, built for at "
              "most %d", n, c->max_batch);
    static const BnMode bn_mode[] = {[NET_TRAIN] = BN_TRAIN,
                                     [NET_BATCH] = BN_BATCH,
                                     [NET_EVAL] = BN_EVAL};
    net->input = x;
    net->dropped = mode == NET_TRAIN && c->dropout > 0.0f;
    const float *in = x;
    for (int l = 0; l < c->nlayers; l++) {
        size_t size = (size_t)n * c->sizes[l + 1];
        dense_forward(&net->dense[l], in, net->pre[l], n);
        if (l == c->nlayers - 1) {
            activation_forward(c->output, c->slope, net->pre[l],
                               net->out[l], size);
            break;
        }
        const float *z = net->pre[l];
        if (c->batchnorm) {
            /* normalised in place: pre[l] is not needed again */
            batchnorm_forward(&net->bn[l], z, net->pre[l], n,
                              bn_mode[mode]);
        }
        activation_forward(c->hidden, c->slope, z, net->act[l], size);
        if (net->dropped)
            dropout_forward(c->dropout, rng, net->keep[l], net->act[l],
                            net->out[l], size);
        else
            memcpy(net->out[l], net->act[l], size * sizeof(float));
        in = net->out[l];
    }
    return net->out[c->nlayers - 1];
}
// end-listing: net-forward

// listing: net-backward
void stab_net_backward(Net *net, const float *dy, float *dx, int n,
                       GradMode mode)
{
    const NetConfig *c = &net->cfg;
    int L = c->nlayers;
    /* d holds dL/d(output of layer l), moving between two buffers */
    float *d = net->grad_a, *next = net->grad_b;
    memcpy(d, dy, (size_t)n * c->sizes[L] * sizeof(float));
    for (int l = L - 1; l >= 0; l--) {
        size_t size = (size_t)n * c->sizes[l + 1];
        if (l == L - 1) {
            activation_backward(c->output, c->slope, net->out[l], d,
                                size);
        } else {
            if (net->dropped)
                for (size_t i = 0; i < size; i++)
                    d[i] *= net->keep[l][i];
            activation_backward(c->hidden, c->slope, net->act[l], d,
                                size);
            if (c->batchnorm)
                batchnorm_backward(&net->bn[l], d, d, n, mode);
        }
        const float *in = l > 0 ? net->out[l - 1] : net->input;
        dense_backward_mode(&net->dense[l], in, d, l > 0 ? next : dx, n,
                            mode);
        float *t = d;
        d = next;
        next = t;
    }
}
// end-listing: net-backward

void stab_net_zero_grad(Net *net)
{
    int L = net->cfg.nlayers;
    for (int l = 0; l < L; l++) {
        dense_zero_grad(&net->dense[l]);
        if (net->cfg.batchnorm && l < L - 1)
            batchnorm_zero_grad(&net->bn[l]);
    }
}

void stab_net_finish_grad(Net *net)
{
    if (!net->cfg.spectral)
        return;
    for (int l = 0; l < net->cfg.nlayers; l++)
        spectral_norm_backward(&net->sn[l], net->dense[l].W,
                               net->dense[l].dW, net->raw_dW[l]);
}

// listing: net-refresh
void stab_net_refresh(Net *net)
{
    if (!net->cfg.spectral)
        return;
    for (int l = 0; l < net->cfg.nlayers; l++) {
        spectral_norm_update(&net->sn[l], net->raw_W[l], 1);
        spectral_norm_apply(&net->sn[l], net->raw_W[l],
                            net->dense[l].W);
    }
}
// end-listing: net-refresh

int stab_net_params(Net *net, const char *prefix, Param *params)
{
    int n = 0, L = net->cfg.nlayers;
    for (int l = 0; l < L; l++) {
        char name[PARAM_NAME_MAX];
        snprintf(name, sizeof name, "%s.fc%d", prefix, l + 1);
        Param *w = params + n;
        bool normalised = net->cfg.batchnorm && l < L - 1;
        /* W and b; before batch norm W alone: BN subtracts the mean
         * of every column, so a bias there could never matter (beta
         * does its job), and b stays 0 */
        n += dense_params(&net->dense[l], name, w) - normalised;
        if (net->cfg.spectral) {
            /* the optimiser moves the raw W by its own gradient */
            w->value = net->raw_W[l];
            w->grad = net->raw_dW[l];
        }
        if (normalised) {
            snprintf(name, sizeof name, "%s.bn%d", prefix, l + 1);
            n += batchnorm_params(&net->bn[l], name, params + n);
        }
    }
    return n;
}
