/* variance.h - chapter 5: how the scale of the initial weights decides
 * whether a signal survives a deep stack of ReLU layers.
 *
 *   x (n, D) -> dense (D, H) -> ReLU -> dense (H, H) -> ReLU -> ...
 *
 * with `depth` dense layers of `width` outputs, freshly initialised and
 * never trained. It measures the variance of each layer's
 * pre-activations z = a W + b over the whole batch.
 */
#ifndef CH05_VARIANCE_H
#define CH05_VARIANCE_H

#include "init.h"
#include "rng.h"

/* The variance of one weight drawn by the scheme (init.h). */
double init_weight_variance(InitScheme scheme, int fan_in, int fan_out);

/* What one ReLU layer multiplies Var(z) by, as the chapter derives:
 * fan_in Var(w) / 2. He makes it 1. */
double relu_layer_gain(InitScheme scheme, int fan_in, int fan_out);

/* var[l] = Var(z) of dense layer l + 1, for l in [0, depth).
 *   x: (n, in)   var: (depth) */
void relu_depth_variance(InitScheme scheme, const float *x, int n, int in,
                         int depth, int width, Rng *rng, double *var);

#endif
