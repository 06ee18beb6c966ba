/* batchnet.h - chapter 2's network, 2 -> H tanh -> 1, on matrices: a
 * mini-batch of N points goes through it at once.
 *
 *   A = X W1 + b1    (N, H)   common/dense.h, one GEMM
 *   Hd = tanh(A)     (N, H)
 *   z = Hd W2 + b2   (N, 1)   the logits, one more GEMM
 *
 * The layers are common/'s Dense, so the gradient contract is
 * dense.h's: batchnet_backward ACCUMULATES into every dW and db, and
 * the training loop calls batchnet_zero_grad before each step.
 */
#ifndef CH03_BATCHNET_H
#define CH03_BATCHNET_H

#include "dense.h"
#include "param.h"
#include "rng.h"

#define BATCHNET_INPUTS 2 /* D */
#define BATCHNET_PARAMS 4 /* W1, b1, W2, b2 */

// listing: batchnet-struct
typedef struct {
    Dense layer1;  /* D -> H:  W1 (D, H), b1 (H) */
    Dense layer2;  /* H -> 1:  W2 (H, 1), b2 (1) */
    int max_batch; /* N at most */
    float *h;      /* (N, H) tanh(X W1 + b1), kept for backward */
    float *z;      /* (N, 1) the logits */
    float *dh;     /* (N, H) dL/dh, then dL/dA in place */
} BatchNet;
// end-listing: batchnet-struct

/* Xavier-initialised weights (common/init.h), zero biases. */
void batchnet_init(BatchNet *net, int hidden, int max_batch, Rng *rng);
void batchnet_free(BatchNet *net);

/* The logits of n <= max_batch points: z (n), valid until the next
 * forward.   X: (n, D) */
const float *batchnet_forward(BatchNet *net, const float *X, int n);

/* Given dz = dL/dz for the n points of the last forward (X the same),
 * accumulates dW1, db1, dW2, db2.   X: (n, D)   dz: (n) */
void batchnet_backward(BatchNet *net, const float *X, const float *dz,
                       int n);

void batchnet_zero_grad(BatchNet *net);

/* Fills params[0..BATCHNET_PARAMS) for an optimiser. */
void batchnet_params(BatchNet *net, Param *params);

/* Mean loss and accuracy over count points, max_batch at a time.
 *   X: (count, D)   y: (count) */
void batchnet_evaluate(BatchNet *net, const float *X, const float *y,
                       int count, float *loss, float *accuracy);

#endif
