/* single.c - chapter 1's neuron again, on common/'s sigmoid and loss.
 *
 * Adds: nothing new; it is the baseline the two-layer network beats.
 * Leaves out on purpose: everything chapter 1 already explained.
 * Build and run: make run-02-backprop; test: make check SUITE=02-backprop
 */
#include "single.h"

#include "activations.h"
#include "losses.h"

float single_logit(const OneNeuron *n, const float *x)
{
    float z = n->b;
    for (int j = 0; j < SINGLE_INPUTS; j++)
        z += n->w[j] * x[j];
    return z;
}

float single_predict(const OneNeuron *n, const float *x)
{
    return sigmoid(single_logit(n, x));
}

float single_loss(const OneNeuron *n, const float *X, const float *y,
                  int count)
{
    double sum = 0.0;
    for (int i = 0; i < count; i++) {
        float z = single_logit(n, &X[i * SINGLE_INPUTS]);
        sum += bce_logits_loss(&z, &y[i], 1, NULL);
    }
    return (float)(sum / count);
}

/* dL/dw_j = mean of (p - y) x_j,   dL/db = mean of (p - y) */
void single_gradient(const OneNeuron *n, const float *X, const float *y,
                     int count, OneNeuron *grad)
{
    *grad = (OneNeuron){0};
    for (int i = 0; i < count; i++) {
        const float *x = &X[i * SINGLE_INPUTS];
        float dz = (sigmoid(single_logit(n, x)) - y[i]) / count;
        for (int j = 0; j < SINGLE_INPUTS; j++)
            grad->w[j] += dz * x[j];
        grad->b += dz;
    }
}

void single_step(OneNeuron *n, const OneNeuron *grad, float lr)
{
    for (int j = 0; j < SINGLE_INPUTS; j++)
        n->w[j] -= lr * grad->w[j];
    n->b -= lr * grad->b;
}

/* Share of points on the right side of p = 0.5, which is z = 0. */
float single_accuracy(const OneNeuron *n, const float *X, const float *y,
                      int count)
{
    int right = 0;
    for (int i = 0; i < count; i++) {
        int guess = single_logit(n, &X[i * SINGLE_INPUTS]) >= 0.0f;
        right += guess == (y[i] >= 0.5f);
    }
    return (float)right / count;
}
