/* variance.c - the variance of the pre-activations, layer by layer,
 * through a deep stack of freshly initialised ReLU layers.
 *
 * Adds over chapter 4: a measurement of why He initialisation is the
 * one chapter 4 uses.
 * Leaves out on purpose: the backward pass (the gradients shrink or
 * grow by the same factors; see the exercises) and training.
 * Build and run: make run-05-optimizers
 */
#include "variance.h"

#include <stdlib.h>

#include "activations.h"
#include "dense.h"
#include "error.h"

/* Variance of n values, accumulated in double. */
static double variance(const float *z, size_t n)
{
    double sum = 0.0, sq = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += z[i];
        sq += (double)z[i] * z[i];
    }
    double mean = sum / (double)n;
    return sq / (double)n - mean * mean;
}

// listing: gain
double init_weight_variance(InitScheme scheme, int fan_in, int fan_out)
{
    switch (scheme) {
    case INIT_SMALL_NORMAL:
        return (double)INIT_SMALL_STD * INIT_SMALL_STD;
    case INIT_XAVIER: /* U(-a, a) has variance a^2 / 3 */
        return 2.0 / (fan_in + fan_out);
    case INIT_DCGAN:
        return (double)INIT_DCGAN_STD * INIT_DCGAN_STD;
    case INIT_HE:
        break;
    }
    return 2.0 / fan_in;
}

double relu_layer_gain(InitScheme scheme, int fan_in, int fan_out)
{
    return fan_in * init_weight_variance(scheme, fan_in, fan_out) / 2.0;
}
// end-listing: gain

// listing: depth-variance
void relu_depth_variance(InitScheme scheme, const float *x, int n,
                         int in, int depth, int width, Rng *rng,
                         double *var)
{
    float *a = xmalloc((size_t)n * width * sizeof(float)); /* (n, H) */
    float *z = xmalloc((size_t)n * width * sizeof(float)); /* (n, H) */
    const float *input = x;
    int fan_in = in;
    for (int l = 0; l < depth; l++) {
        Dense layer;
        dense_init(&layer, fan_in, width, scheme, rng);
        dense_forward(&layer, input, z, n);
        var[l] = variance(z, (size_t)n * width);
        relu_forward(z, a, (size_t)n * width);
        dense_free(&layer);
        input = a;
        fan_in = width;
    }
    free(a);
    free(z);
}
// end-listing: depth-variance
