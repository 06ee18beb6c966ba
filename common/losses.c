#include "losses.h"

#include <math.h>

#include "activations.h"

float mse_loss(const float *pred, const float *target, size_t n,
               float *dpred)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        float d = pred[i] - target[i];
        sum += (double)d * d;
        if (dpred)
            dpred[i] = 2.0f * d / (float)n;
    }
    return (float)(sum / (double)n);
}

static float bce_one(float x, float t)
{
    return fmaxf(x, 0.0f) - x * t + log1pf(expf(-fabsf(x)));
}

float bce_logits_loss(const float *logits, const float *targets,
                      size_t n, float *dlogits)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += bce_one(logits[i], targets[i]);
        if (dlogits)
            dlogits[i] = (sigmoid(logits[i]) - targets[i]) / (float)n;
    }
    return (float)(sum / (double)n);
}

float bce_logits_loss_const(const float *logits, float target, size_t n,
                            float *dlogits)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += bce_one(logits[i], target);
        if (dlogits)
            dlogits[i] = (sigmoid(logits[i]) - target) / (float)n;
    }
    return (float)(sum / (double)n);
}

float softmax_xent_loss(const float *logits, const int *labels, int rows,
                        int classes, float *dlogits)
{
    double sum = 0.0;
    for (int r = 0; r < rows; r++) {
        const float *x = logits + (size_t)r * classes;
        float max = x[0];
        for (int j = 1; j < classes; j++)
            if (x[j] > max)
                max = x[j];
        float z = 0.0f;
        for (int j = 0; j < classes; j++)
            z += expf(x[j] - max);
        float logz = max + logf(z);
        sum += logz - x[labels[r]];
        if (dlogits) {
            float *d = dlogits + (size_t)r * classes;
            for (int j = 0; j < classes; j++)
                d[j] = expf(x[j] - logz) / (float)rows;
            d[labels[r]] -= 1.0f / (float)rows;
        }
    }
    return (float)(sum / (double)rows);
}
