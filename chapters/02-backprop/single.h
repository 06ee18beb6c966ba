/* single.h - one neuron, p = sigmoid(w . x + b), for comparison.
 *
 * The same model as chapter 1, rewritten here because chapters never
 * share code: chapter 2 sets it beside the two-layer network to show
 * what one neuron cannot learn.
 */
#ifndef CH02_SINGLE_H
#define CH02_SINGLE_H

#define SINGLE_INPUTS 2 /* D */

typedef struct {
    float w[SINGLE_INPUTS]; /* (D) */
    float b;
} OneNeuron;

/* X: (count, D)   y: (count), labels 0 or 1 */
float single_logit(const OneNeuron *n, const float *x);
/* p = sigmoid(z) for one point x (D). */
float single_predict(const OneNeuron *n, const float *x);
float single_loss(const OneNeuron *n, const float *X, const float *y,
                  int count);
/* Overwrites grad with dL/dw and dL/db of the mean loss. */
void single_gradient(const OneNeuron *n, const float *X, const float *y,
                     int count, OneNeuron *grad);
void single_step(OneNeuron *n, const OneNeuron *grad, float lr);
float single_accuracy(const OneNeuron *n, const float *X, const float *y,
                      int count);

#endif
