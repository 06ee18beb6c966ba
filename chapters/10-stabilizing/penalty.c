/* penalty.c - WGAN-GP's gradient penalty and its gradient, by hand.
 *
 * Adds: a loss that depends on a gradient, so its own gradient needs
 * the backward pass differentiated once more ("double backprop").
 * Leaves out on purpose: any activation with a curved derivative
 * (tanh, sigmoid), whose second derivative the penalty would need;
 * chapter 10's critics use ReLU or LeakyReLU only.
 * Build and run: make run-10-stabilizing; test: make check
 * SUITE=10-stabilizing
 */
#include "penalty.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "error.h"
#include "mat.h"

void stab_penalty_init(Penalty *p, const Net *critic, int max_batch)
{
    const NetConfig *c = &critic->cfg;
    if (c->batchnorm || c->dropout > 0.0f || c->output != ACT_NONE ||
        (c->hidden != ACT_RELU && c->hidden != ACT_LEAKY_RELU))
        fatal("the gradient penalty needs a critic of dense layers with "
              "ReLU or LeakyReLU, a linear output, no batch norm and no "
              "dropout");
    memset(p, 0, sizeof *p);
    p->max_batch = max_batch;
    int widest = c->sizes[0];
    for (int l = 0; l < c->nlayers; l++) {
        int H = c->sizes[l + 1];
        if (H > widest)
            widest = H;
        p->s[l] = xmalloc((size_t)max_batch * H * sizeof(float));
    }
    p->g = xmalloc((size_t)max_batch * c->sizes[0] * sizeof(float));
    p->r_a = xmalloc((size_t)max_batch * widest * sizeof(float));
    p->r_b = xmalloc((size_t)max_batch * widest * sizeof(float));
}

void stab_penalty_free(Penalty *p)
{
    for (int l = 0; l < NET_MAX_LAYERS; l++)
        free(p->s[l]);
    free(p->g);
    free(p->r_a);
    free(p->r_b);
    memset(p, 0, sizeof *p);
}

/* d *= phi'(a_l) of hidden layer l, read from its activation output. */
static void times_derivative(const Net *net, int l, float *d, size_t n)
{
    const NetConfig *c = &net->cfg;
    if (c->hidden == ACT_LEAKY_RELU)
        leaky_relu_backward(net->act[l], d, d, n, c->slope);
    else
        relu_backward(net->act[l], d, d, n);
}

// listing: penalty
float stab_gradient_penalty(Penalty *p, Net *critic, const float *xhat,
                            int n, float weight, bool accumulate)
{
    const NetConfig *c = &critic->cfg;
    int L = c->nlayers, D = c->sizes[0];
    if (n > p->max_batch)
        fatal("stab_gradient_penalty: %d rows, built for %d", n,
              p->max_batch);
    stab_net_forward(critic, xhat, n, NET_TRAIN, NULL);

    /* the backward pass of f, keeping every s_l: s_L = 1 */
    for (int i = 0; i < n; i++)
        p->s[L - 1][i] = 1.0f;
    for (int l = L - 1; l >= 0; l--) {
        int in = c->sizes[l], out = c->sizes[l + 1];
        float *u = l > 0 ? p->s[l - 1] : p->g;  /* (n, in) */
        gemm(NO_TRANS, TRANS, n, in, out, 1.0f, p->s[l], out,
             critic->dense[l].W, out, 0.0f, u, in);
        if (l > 0)
            times_derivative(critic, l - 1, u, (size_t)n * in);
    }

    /* P and r_0 = dP/dg = 2 lambda / n (|g| - 1) g / |g| */
    double sum = 0.0;
    float *r = p->r_a, *next = p->r_b;
    for (int i = 0; i < n; i++) {
        const float *gi = p->g + (size_t)i * D;
        double ss = 0.0;
        for (int j = 0; j < D; j++)
            ss += (double)gi[j] * gi[j];
        double norm = sqrt(ss);
        sum += (norm - 1.0) * (norm - 1.0);
        double k = norm > 0.0 ? 2.0 * weight * (norm - 1.0) / (n * norm)
                              : 0.0;
        for (int j = 0; j < D; j++)
            r[(size_t)i * D + j] = (float)(k * gi[j]);
    }
    if (!accumulate)
        return (float)(weight * sum / n);

    /* the chain run forwards: dW_l += r^T s_l, r = (r W_l) * phi' */
    for (int l = 0; l < L; l++) {
        int in = c->sizes[l], out = c->sizes[l + 1];
        Dense *layer = &critic->dense[l];
        gemm(TRANS, NO_TRANS, in, out, n, 1.0f, r, in, p->s[l], out,
             1.0f, layer->dW, out);
        if (l == L - 1)
            break;
        gemm(NO_TRANS, NO_TRANS, n, out, in, 1.0f, r, in, layer->W, out,
             0.0f, next, out);
        times_derivative(critic, l, next, (size_t)n * out);
        float *t = r;
        r = next;
        next = t;
    }
    return (float)(weight * sum / n);
}
// end-listing: penalty
