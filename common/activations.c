#include "activations.h"

#include <math.h>
#include <stdint.h>

float sigmoid(float x)
{
    /* Both branches only ever take exp of a non-positive number, so
     * neither overflows for any x. */
    if (x >= 0.0f)
        return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

void sigmoid_forward(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = sigmoid(x[i]);
}

void sigmoid_backward(const float *y, const float *dy, float *dx,
                      size_t n)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

/* tanh without libm. libm's tanhf branches on the size of its input,
 * and on a network's inputs those branches are unpredictable: 12 ns
 * an element, 4 ms of every training step of chapter 8 at batch 256.
 * This version has no branch the compiler cannot turn into a vector
 * blend: tanh |x| = (1 - e) / (1 + e) with e = exp(-2|x|), the
 * exponential as 2^k times a polynomial, and the Taylor series near 0
 * where 1 - e would cancel. Error: 1e-7 absolute, 3e-7 relative. */
#define TANH_LOG2E 1.44269504088896341f
#define TANH_LN2_HI 0.693359375f     /* ln 2 in two parts (Cody and Waite) */
#define TANH_LN2_LO -2.12194440e-4f
#define TANH_ROUND 12582912.0f       /* 1.5 * 2^23: adding it rounds */
#define TANH_SERIES_BELOW 0.125f     /* use the series for |x| below */
#define TANH_ONE_ABOVE 9.0f          /* tanh rounds to 1 in float above */

typedef union {
    float f;
    int32_t i;
} FloatBits;

static float tanh_abs(float a)
{
    /* e = exp(t), t = -2a in [-18, 0]: t = k ln 2 + r, |r| <= ln2 / 2,
     * exp(r) by its Taylor polynomial to r^7 (error below 1e-8) */
    float t = -2.0f * (a < TANH_ONE_ABOVE ? a : TANH_ONE_ABOVE);
    float k = (t * TANH_LOG2E + TANH_ROUND) - TANH_ROUND;
    float r = (t - k * TANH_LN2_HI) - k * TANH_LN2_LO;
    float p = 1.0f / 5040;
    p = p * r + 1.0f / 720;
    p = p * r + 1.0f / 120;
    p = p * r + 1.0f / 24;
    p = p * r + 1.0f / 6;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    FloatBits two_k = {.i = ((int32_t)k + 127) << 23};
    float e = p * two_k.f;
    float far = (1.0f - e) / (1.0f + e);
    /* x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835 */
    float a2 = a * a;
    float near = a + a * a2 * (-1.0f / 3 + a2 * (2.0f / 15 +
                 a2 * (-17.0f / 315 + a2 * (62.0f / 2835))));
    return a < TANH_SERIES_BELOW ? near : far;
}

void tanh_forward(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float m = copysignf(tanh_abs(fabsf(v)), v);
        y[i] = v == v ? m : v; /* a NaN stays NaN */
    }
}

void tanh_backward(const float *y, const float *dy, float *dx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

void relu_forward(const float *x, float *y, size_t n)
{
    /* written so that a NaN passes through: `x > 0 ? x : 0` would turn
     * it into 0 and hide a broken weight for ever */
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

void relu_backward(const float *y, const float *dy, float *dx, size_t n)
{
    /* dy[i] is read whatever the sign, so the compiler can turn the
     * choice into a vector blend instead of a branch per element */
    for (size_t i = 0; i < n; i++) {
        float g = dy[i];
        dx[i] = y[i] > 0.0f ? g : 0.0f;
    }
}

void leaky_relu_forward(const float *x, float *y, size_t n, float slope)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

void leaky_relu_backward(const float *y, const float *dy, float *dx,
                         size_t n, float slope)
{
    for (size_t i = 0; i < n; i++) {
        float g = dy[i];
        dx[i] = y[i] > 0.0f ? g : slope * g;
    }
}

void softmax_forward(const float *x, float *y, int rows, int cols)
{
    for (int r = 0; r < rows; r++) {
        const float *xr = x + (size_t)r * cols;
        float *yr = y + (size_t)r * cols;
        float max = xr[0];
        for (int j = 1; j < cols; j++)
            if (xr[j] > max)
                max = xr[j];
        float sum = 0.0f;
        for (int j = 0; j < cols; j++) {
            yr[j] = expf(xr[j] - max);
            sum += yr[j];
        }
        for (int j = 0; j < cols; j++)
            yr[j] /= sum;
    }
}

void softmax_backward(const float *y, const float *dy, float *dx,
                      int rows, int cols)
{
    for (int r = 0; r < rows; r++) {
        const float *yr = y + (size_t)r * cols;
        const float *dyr = dy + (size_t)r * cols;
        float *dxr = dx + (size_t)r * cols;
        float dot = 0.0f;
        for (int j = 0; j < cols; j++)
            dot += dyr[j] * yr[j];
        for (int j = 0; j < cols; j++)
            dxr[j] = yr[j] * (dyr[j] - dot);
    }
}
