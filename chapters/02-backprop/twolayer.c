/* twolayer.c - a two-layer network and backpropagation, by hand.
 *
 * Adds over chapter 1: a hidden layer of tanh units between the input
 * and the neuron, and the chain rule carried back through it.
 * Leaves out on purpose: matrices, layers as objects, mini-batches;
 * every multiply of the chain rule is a visible loop here, and
 * chapter 3 turns these loops into matrix products.
 * Build and run: make run-02-backprop; test: make check SUITE=02-backprop
 */
#include "twolayer.h"

#include <math.h>

#include "activations.h"
#include "losses.h"

void twolayer_init(TwoLayer *net, int hidden, float range, Rng *rng)
{
    *net = (TwoLayer){.hidden = hidden};
    for (int k = 0; k < hidden; k++) {
        for (int j = 0; j < TWOLAYER_INPUTS; j++)
            net->W1[j][k] = rng_range(rng, -range, range);
        net->w2[k] = rng_range(rng, -range, range);
    }
}

// listing: forward
float twolayer_forward(const TwoLayer *net, const float *x, float *h)
{
    for (int k = 0; k < net->hidden; k++) {
        float a = net->b1[k];
        for (int j = 0; j < TWOLAYER_INPUTS; j++)
            a += x[j] * net->W1[j][k];
        h[k] = tanhf(a);
    }
    float z = net->b2;
    for (int k = 0; k < net->hidden; k++)
        z += h[k] * net->w2[k];
    return z;
}
// end-listing: forward

float twolayer_predict(const TwoLayer *net, const float *x)
{
    float h[TWOLAYER_MAX_HIDDEN]; /* (H) */
    return sigmoid(twolayer_forward(net, x, h));
}

float twolayer_loss(const TwoLayer *net, const float *X, const float *y,
                    int count)
{
    double sum = 0.0;
    for (int i = 0; i < count; i++) {
        float h[TWOLAYER_MAX_HIDDEN]; /* (H) */
        float z = twolayer_forward(net, &X[i * TWOLAYER_INPUTS], h);
        sum += bce_logits_loss(&z, &y[i], 1, NULL);
    }
    return (float)(sum / count);
}

// listing: backward
void twolayer_gradient(const TwoLayer *net, const float *X,
                       const float *y, int count, TwoLayer *grad)
{
    *grad = (TwoLayer){.hidden = net->hidden};
    for (int i = 0; i < count; i++) {
        const float *x = &X[i * TWOLAYER_INPUTS];     /* (D) */
        float h[TWOLAYER_MAX_HIDDEN];                 /* (H) */
        float z = twolayer_forward(net, x, h);
        /* the output's delta, dL/dz = p - y, for the mean loss */
        float dz = (sigmoid(z) - y[i]) / count;
        grad->b2 += dz;
        for (int k = 0; k < net->hidden; k++) {
            grad->w2[k] += dz * h[k];
            /* back through w2 to h_k, then through tanh to a_k */
            float dh = dz * net->w2[k];
            float da = dh * (1.0f - h[k] * h[k]);
            grad->b1[k] += da;
            for (int j = 0; j < TWOLAYER_INPUTS; j++)
                grad->W1[j][k] += da * x[j];
        }
    }
}
// end-listing: backward

void twolayer_step(TwoLayer *net, const TwoLayer *grad, float lr)
{
    for (int k = 0; k < net->hidden; k++) {
        for (int j = 0; j < TWOLAYER_INPUTS; j++)
            net->W1[j][k] -= lr * grad->W1[j][k];
        net->b1[k] -= lr * grad->b1[k];
        net->w2[k] -= lr * grad->w2[k];
    }
    net->b2 -= lr * grad->b2;
}

/* Share of points on the right side of p = 0.5, which is z = 0. */
float twolayer_accuracy(const TwoLayer *net, const float *X,
                        const float *y, int count)
{
    int right = 0;
    for (int i = 0; i < count; i++) {
        float h[TWOLAYER_MAX_HIDDEN]; /* (H) */
        int guess = twolayer_forward(net, &X[i * TWOLAYER_INPUTS], h) >= 0;
        right += guess == (y[i] >= 0.5f);
    }
    return (float)right / count;
}
