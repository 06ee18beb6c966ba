/* batchnet.c - the two-layer network of chapter 2, a batch at a time.
 *
 * Adds over chapter 2: the per-point loops become matrix products
 * (common/dense.c calls OpenBLAS's sgemm), and training takes shuffled
 * mini-batches instead of the whole data set.
 * Leaves out on purpose: deeper networks, other optimisers, real data;
 * common/mlp.h is this same pattern for any number of layers, and
 * chapter 4 uses it on images.
 * Build and run: make run-03-matrices; test: make check SUITE=03-matrices
 */
#include "batchnet.h"

#include <stdlib.h>

#include "activations.h"
#include "error.h"
#include "init.h"
#include "losses.h"

void batchnet_init(BatchNet *net, int hidden, int max_batch, Rng *rng)
{
    dense_init(&net->layer1, BATCHNET_INPUTS, hidden, INIT_XAVIER, rng);
    dense_init(&net->layer2, hidden, 1, INIT_XAVIER, rng);
    net->max_batch = max_batch;
    net->h = xmalloc((size_t)max_batch * hidden * sizeof(float));
    net->z = xmalloc((size_t)max_batch * sizeof(float));
    net->dh = xmalloc((size_t)max_batch * hidden * sizeof(float));
}

void batchnet_free(BatchNet *net)
{
    dense_free(&net->layer1);
    dense_free(&net->layer2);
    free(net->h);
    free(net->z);
    free(net->dh);
}

// listing: batch-forward
const float *batchnet_forward(BatchNet *net, const float *X, int n)
{
    size_t nh = (size_t)n * net->layer1.out;     /* N * H values */
    dense_forward(&net->layer1, X, net->h, n);      /* A = X W1 + b1 */
    tanh_forward(net->h, net->h, nh);               /* h = tanh(A) */
    dense_forward(&net->layer2, net->h, net->z, n); /* z = h W2 + b2 */
    return net->z;
}
// end-listing: batch-forward

// listing: batch-backward
void batchnet_backward(BatchNet *net, const float *X, const float *dz,
                       int n)
{
    size_t nh = (size_t)n * net->layer1.out;
    /* dW2 += h^T dz,  db2 += sum of dz,  dh = dz W2^T */
    dense_backward(&net->layer2, net->h, dz, net->dh, n);
    /* dA = dh * (1 - h^2), element by element */
    tanh_backward(net->h, net->dh, net->dh, nh);
    /* dW1 += X^T dA,  db1 += sum of dA; no one needs dL/dX */
    dense_backward(&net->layer1, X, net->dh, NULL, n);
}
// end-listing: batch-backward

void batchnet_zero_grad(BatchNet *net)
{
    dense_zero_grad(&net->layer1);
    dense_zero_grad(&net->layer2);
}

void batchnet_params(BatchNet *net, Param *params)
{
    dense_params(&net->layer1, "fc1", params);
    dense_params(&net->layer2, "fc2", params + 2);
}

void batchnet_evaluate(BatchNet *net, const float *X, const float *y,
                       int count, float *loss, float *accuracy)
{
    double sum = 0.0;
    int right = 0;
    for (int start = 0; start < count; start += net->max_batch) {
        int n = count - start < net->max_batch ? count - start
                                               : net->max_batch;
        const float *z = batchnet_forward(
            net, X + (size_t)start * BATCHNET_INPUTS, n);
        sum += (double)bce_logits_loss(z, y + start, (size_t)n, NULL) * n;
        for (int i = 0; i < n; i++)
            right += (z[i] >= 0.0f) == (y[start + i] >= 0.5f);
    }
    *loss = (float)(sum / count);
    *accuracy = (float)right / count;
}
