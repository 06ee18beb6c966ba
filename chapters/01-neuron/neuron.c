/* neuron.c - one neuron, its loss, and the gradient of that loss,
 * written out by hand.
 *
 * Adds: everything; this is where the book starts.
 * Leaves out on purpose: matrices, layers and batches (chapters 2-3).
 * Build and run: make run-01-neuron; test: make check SUITE=01-neuron
 */
#include "neuron.h"

#include <math.h>

// listing: sigmoid
float neuron_sigmoid(float z)
{
    /* exp() only ever sees a number <= 0, so it cannot overflow */
    if (z >= 0.0f)
        return 1.0f / (1.0f + expf(-z));
    float e = expf(z);
    return e / (1.0f + e);
}
// end-listing: sigmoid

// listing: forward
/* z = w . x + b, the neuron's "logit" */
float neuron_logit(const Neuron *n, const float *x)
{
    float z = n->b;
    for (int j = 0; j < NEURON_INPUTS; j++)
        z += n->w[j] * x[j];
    return z;
}

/* p = sigmoid(z), the probability that x belongs to class 1 */
float neuron_predict(const Neuron *n, const float *x)
{
    return neuron_sigmoid(neuron_logit(n, x));
}
// end-listing: forward

// listing: loss
/* Mean binary cross-entropy -[y log p + (1 - y) log(1 - p)],
 * computed from z as max(z, 0) - z y + log(1 + e^-|z|), which is
 * the same number but never takes the log of 0. */
float neuron_loss(const Neuron *n, const float *X, const float *y,
                  int count)
{
    double sum = 0.0;
    for (int i = 0; i < count; i++) {
        float z = neuron_logit(n, &X[i * NEURON_INPUTS]);
        sum += fmaxf(z, 0.0f) - z * y[i] + log1pf(expf(-fabsf(z)));
    }
    return (float)(sum / count);
}
// end-listing: loss

// listing: gradient
/* dL/dw_j = mean of (p - y) x_j,   dL/db = mean of (p - y) */
void neuron_gradient(const Neuron *n, const float *X, const float *y,
                     int count, Neuron *grad)
{
    *grad = (Neuron){0};
    for (int i = 0; i < count; i++) {
        const float *x = &X[i * NEURON_INPUTS];
        float error = neuron_predict(n, x) - y[i];
        for (int j = 0; j < NEURON_INPUTS; j++)
            grad->w[j] += error * x[j] / count;
        grad->b += error / count;
    }
}
// end-listing: gradient

// listing: step
/* One step of gradient descent: move against the gradient. */
void neuron_step(Neuron *n, const Neuron *grad, float lr)
{
    for (int j = 0; j < NEURON_INPUTS; j++)
        n->w[j] -= lr * grad->w[j];
    n->b -= lr * grad->b;
}
// end-listing: step

/* Share of points on the right side of the boundary p = 0.5. */
float neuron_accuracy(const Neuron *n, const float *X, const float *y,
                      int count)
{
    int right = 0;
    for (int i = 0; i < count; i++) {
        int guess = neuron_predict(n, &X[i * NEURON_INPUTS]) >= 0.5f;
        right += guess == (y[i] >= 0.5f);
    }
    return (float)right / count;
}
