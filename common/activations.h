/* activations.h - element-wise non-linearities and softmax, each with
 * its backward pass beside it.
 *
 * Forward: y = f(x) over n values. x and y may be the same array.
 * Backward: given dy = dL/dy, writes dx = dL/dx (overwrites; it never
 * accumulates). dx may be the same array as dy. Each backward takes
 * whichever of x or y gives the derivative most cheaply, and says so.
 */
#ifndef COMMON_ACTIVATIONS_H
#define COMMON_ACTIVATIONS_H

#include <stddef.h>

/* sigmoid(x) = 1 / (1 + e^-x); sigmoid'(x) = y (1 - y). */
float sigmoid(float x);
void sigmoid_forward(const float *x, float *y, size_t n);
void sigmoid_backward(const float *y, const float *dy, float *dx,
                      size_t n);

/* tanh'(x) = 1 - y^2. The forward pass is computed without libm, within
 * 1e-7 of the exact value, so that it vectorises (see activations.c). */
void tanh_forward(const float *x, float *y, size_t n);
void tanh_backward(const float *y, const float *dy, float *dx, size_t n);

/* relu(x) = max(0, x); the derivative at 0 is taken as 0. Backward
 * reads y: y > 0 exactly where x > 0. A NaN input stays NaN, so a
 * broken weight shows up in the loss instead of silencing its unit. */
void relu_forward(const float *x, float *y, size_t n);
void relu_backward(const float *y, const float *dy, float *dx, size_t n);

/* leaky_relu(x) = x for x > 0, slope * x otherwise (0 < slope < 1).
 * Backward reads y, whose sign is the sign of x. */
void leaky_relu_forward(const float *x, float *y, size_t n, float slope);
void leaky_relu_backward(const float *y, const float *dy, float *dx,
                         size_t n, float slope);

/* Row-wise softmax of an (rows, cols) matrix, computed as
 * exp(x - max) / sum so that large logits cannot overflow.
 * Backward: dx_j = y_j (dy_j - sum_i dy_i y_i), row by row. */
void softmax_forward(const float *x, float *y, int rows, int cols);
void softmax_backward(const float *y, const float *dy, float *dx,
                      int rows, int cols);

#endif
