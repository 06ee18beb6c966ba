/* losses.h - loss functions that return the mean loss over the batch
 * and, when the gradient pointer is not NULL, write its gradient.
 *
 * The gradient is that of the returned mean, so it already carries the
 * 1/n factor. It is overwritten, never accumulated.
 */
#ifndef COMMON_LOSSES_H
#define COMMON_LOSSES_H

#include <stddef.h>

/* Mean squared error: mean_i (pred_i - target_i)^2.
 *   pred, target, dpred: (n) */
float mse_loss(const float *pred, const float *target, size_t n,
               float *dpred);

/* Binary cross-entropy of sigmoid(logit) against targets in [0, 1],
 * computed from the logit so that it never takes log(0):
 *   max(x, 0) - x t + log(1 + e^-|x|)
 * which equals -t log s(x) - (1 - t) log(1 - s(x)) and stays finite
 * and exact for any finite logit. Gradient: (sigmoid(x) - t) / n.
 *   logits, targets, dlogits: (n) */
float bce_logits_loss(const float *logits, const float *targets,
                      size_t n, float *dlogits);

/* The same with one target t for every element (1 for real, 0 for
 * fake in a GAN), so no target array is needed. */
float bce_logits_loss_const(const float *logits, float target, size_t n,
                            float *dlogits);

/* Softmax cross-entropy: mean over rows of -log softmax(x)[label],
 * computed as logsumexp(x) - x[label]. Gradient: (softmax(x) -
 * onehot(label)) / rows.
 *   logits, dlogits: (N, K)   labels: (N), each in [0, K) */
float softmax_xent_loss(const float *logits, const int *labels, int rows,
                        int classes, float *dlogits);

#endif
