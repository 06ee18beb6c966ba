/* twolayer.h - a network with one hidden layer, every sum written out.
 *
 *   a = x W1 + b1     (H)   the hidden units' pre-activations
 *   h = tanh(a)       (H)   the hidden layer
 *   z = h . w2 + b2         the output logit
 *   p = sigmoid(z)          the probability of class 1
 *
 * Shapes use the legend of common/mat.h: D inputs, H hidden units.
 * W1 is stored (D, H), the layout chapter 3 multiplies as a matrix.
 */
#ifndef CH02_TWOLAYER_H
#define CH02_TWOLAYER_H

#include "rng.h"

#define TWOLAYER_INPUTS 2      /* D */
#define TWOLAYER_MAX_HIDDEN 32 /* H at most */

// listing: twolayer-struct
typedef struct {
    int hidden;                                  /* H */
    float W1[TWOLAYER_INPUTS][TWOLAYER_MAX_HIDDEN]; /* (D, H) */
    float b1[TWOLAYER_MAX_HIDDEN];               /* (H) */
    float w2[TWOLAYER_MAX_HIDDEN];               /* (H) */
    float b2;                                    /* the output's bias */
} TwoLayer;
// end-listing: twolayer-struct

/* Draws W1 and w2 from U(-range, range) and sets the biases to 0;
 * 1 <= hidden <= TWOLAYER_MAX_HIDDEN. */
void twolayer_init(TwoLayer *net, int hidden, float range, Rng *rng);

/* One point x (D) forward: fills h (H) and returns the logit z. */
float twolayer_forward(const TwoLayer *net, const float *x, float *h);

/* p = sigmoid(z) for one point x (D). */
float twolayer_predict(const TwoLayer *net, const float *x);

/* X: (count, D)   y: (count), labels 0 or 1 */
float twolayer_loss(const TwoLayer *net, const float *X, const float *y,
                    int count);

/* Overwrites grad (which has the net's shape) with the gradient of the
 * mean loss over the count points: backprop by hand. */
void twolayer_gradient(const TwoLayer *net, const float *X,
                       const float *y, int count, TwoLayer *grad);

/* One step of gradient descent on every weight and bias. */
void twolayer_step(TwoLayer *net, const TwoLayer *grad, float lr);

float twolayer_accuracy(const TwoLayer *net, const float *X,
                        const float *y, int count);

#endif
