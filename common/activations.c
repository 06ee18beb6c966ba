#include "activations.h"

#include <math.h>

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

void tanh_forward(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = tanhf(x[i]);
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
    for (size_t i = 0; i < n; i++)
        dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

void leaky_relu_forward(const float *x, float *y, size_t n, float slope)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

void leaky_relu_backward(const float *y, const float *dy, float *dx,
                         size_t n, float slope)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = y[i] > 0.0f ? dy[i] : slope * dy[i];
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
