/* dense.h - the fully connected layer: y = x W + b.
 *
 * Shapes: x (N, D)   W (D, H)   b (H)   y (N, H), with D = in, H = out.
 *
 * THE GRADIENT CONTRACT
 *   dense_backward ACCUMULATES into the parameter gradients:
 *       dW += x^T dy     db += column sums of dy
 *   and OVERWRITES the input gradient dx = dy W^T.
 *   Nothing zeroes dW and db but dense_zero_grad (or params_zero_grad),
 *   and the training loop calls it once before each step's backward
 *   passes. Accumulating is what lets a discriminator add the gradient
 *   of its real batch and of its fake batch before one optimiser step;
 *   forgetting to zero counts old gradients again.
 *
 *   dense_backward_mode says what to do with dW and db explicitly:
 *   leave them alone (only dx is wanted), accumulate as above, or
 *   overwrite them, which saves zeroing (and reading) them when a step
 *   has exactly one backward pass.
 */
#ifndef COMMON_DENSE_H
#define COMMON_DENSE_H

#include "init.h"
#include "param.h"
#include "rng.h"

typedef enum {
    GRAD_INPUT_ONLY = 0, /* only dx; dW and db are not touched */
    GRAD_ACCUMULATE = 1, /* dW += x^T dy, db += column sums of dy */
    GRAD_OVERWRITE = 2,  /* dW = x^T dy, db = column sums of dy */
} GradMode;

typedef struct {
    int in, out;    /* D, H */
    float *W, *b;   /* (D, H), (H) */
    float *dW, *db; /* (D, H), (H): accumulated, see the contract */
} Dense;

/* Allocates the layer, draws W by the scheme, sets b = 0 and zeroes
 * the gradients. */
void dense_init(Dense *l, int in, int out, InitScheme scheme, Rng *rng);
void dense_free(Dense *l);

/* y = x W + b for a batch of n rows.   x: (n, D)   y: (n, H) */
void dense_forward(const Dense *l, const float *x, float *y, int n);

/* Given dy = dL/dy, accumulates dW and db and, when dx is not NULL,
 * overwrites dx = dL/dx.   x: (n, D)   dy: (n, H)   dx: (n, D) */
void dense_backward(Dense *l, const float *x, const float *dy, float *dx,
                    int n);

/* The same, with dW and db handled as `mode` says. */
void dense_backward_mode(Dense *l, const float *x, const float *dy,
                         float *dx, int n, GradMode mode);

void dense_zero_grad(Dense *l);

/* Fills params[0..2) with "<prefix>.W" and "<prefix>.b"; returns 2. */
int dense_params(Dense *l, const char *prefix, Param *params);

#endif
