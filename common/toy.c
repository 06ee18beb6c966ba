#include "toy.h"

#include <math.h>

void toy_gate(Gate gate, float *X, float *y)
{
    for (int i = 0; i < TOY_GATE_POINTS; i++) {
        int a = i >> 1, b = i & 1;
        X[2 * i] = (float)a;
        X[2 * i + 1] = (float)b;
        int out = gate == GATE_AND ? a & b : gate == GATE_OR ? a | b
                                                             : a ^ b;
        y[i] = (float)out;
    }
}

void toy_blobs(Rng *rng, int n, float std, float *X, float *y)
{
    for (int i = 0; i < n; i++) {
        int label = i & 1;
        float centre = label ? 1.0f : -1.0f;
        X[2 * i] = centre + std * rng_normal(rng);
        X[2 * i + 1] = centre + std * rng_normal(rng);
        y[i] = (float)label;
    }
}

void toy_moons(Rng *rng, int n, float noise, float *X, float *y)
{
    const float pi = 3.14159265f;
    for (int i = 0; i < n; i++) {
        int label = i & 1;
        float t = pi * rng_uniform(rng);
        /* class 0: upper arc centred at (0, 0); class 1: lower arc
         * centred at (1, 0.5), hooked into the first */
        float px = label ? 1.0f - cosf(t) : cosf(t);
        float py = label ? 0.5f - sinf(t) : sinf(t);
        X[2 * i] = px + noise * rng_normal(rng);
        X[2 * i + 1] = py + noise * rng_normal(rng);
        y[i] = (float)label;
    }
}
