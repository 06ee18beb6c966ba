#include "dense.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mat.h"

void dense_init(Dense *l, int in, int out, InitScheme scheme, Rng *rng)
{
    size_t nw = (size_t)in * (size_t)out;
    l->in = in;
    l->out = out;
    l->W = xmalloc(nw * sizeof(float));
    l->b = xcalloc((size_t)out, sizeof(float));
    l->dW = xcalloc(nw, sizeof(float));
    l->db = xcalloc((size_t)out, sizeof(float));
    init_weights(l->W, in, out, scheme, rng);
}

void dense_free(Dense *l)
{
    free(l->W);
    free(l->b);
    free(l->dW);
    free(l->db);
    memset(l, 0, sizeof *l);
}

void dense_forward(const Dense *l, const float *x, float *y, int n)
{
    for (int i = 0; i < n; i++)
        memcpy(y + (size_t)i * l->out, l->b, (size_t)l->out * sizeof(float));
    // listing: dense-forward-gemm
    /* y = 1 * x W + 1 * y, where y already holds the bias */
    gemm(NO_TRANS, NO_TRANS, n, l->out, l->in, 1.0f, x, l->in, l->W,
         l->out, 1.0f, y, l->out);
    // end-listing: dense-forward-gemm
}

void dense_backward(Dense *l, const float *x, const float *dy, float *dx,
                    int n)
{
    dense_backward_mode(l, x, dy, dx, n, GRAD_ACCUMULATE);
}

void dense_backward_mode(Dense *l, const float *x, const float *dy,
                         float *dx, int n, GradMode mode)
{
    if (mode != GRAD_INPUT_ONLY) {
        float keep = mode == GRAD_ACCUMULATE ? 1.0f : 0.0f;
        // listing: dense-backward
        /* dW = x^T dy (+ dW when accumulating) */
        gemm(TRANS, NO_TRANS, l->in, l->out, n, 1.0f, x, l->in, dy,
             l->out, keep, l->dW, l->out);
        /* db = the column sums of dy (+ db) */
        if (mode == GRAD_OVERWRITE)
            memset(l->db, 0, (size_t)l->out * sizeof(float));
        for (int i = 0; i < n; i++) {
            const float *row = dy + (size_t)i * l->out;
            for (int j = 0; j < l->out; j++)
                l->db[j] += row[j];
        }
    }
    /* dx = dy W^T */
    if (dx)
        gemm(NO_TRANS, TRANS, n, l->in, l->out, 1.0f, dy, l->out, l->W,
             l->out, 0.0f, dx, l->in);
    // end-listing: dense-backward
}

void dense_zero_grad(Dense *l)
{
    memset(l->dW, 0, (size_t)l->in * (size_t)l->out * sizeof(float));
    memset(l->db, 0, (size_t)l->out * sizeof(float));
}

int dense_params(Dense *l, const char *prefix, Param *params)
{
    params[0] = (Param){.value = l->W, .grad = l->dW, .rows = l->in,
                        .cols = l->out};
    params[1] = (Param){.value = l->b, .grad = l->db, .rows = 1,
                        .cols = l->out};
    snprintf(params[0].name, PARAM_NAME_MAX, "%s.W", prefix);
    snprintf(params[1].name, PARAM_NAME_MAX, "%s.b", prefix);
    return 2;
}
