/* neuron.h - one artificial neuron with two inputs.
 *
 * Chapter 1 writes everything by hand: the sigmoid, the loss and its
 * gradient. Later chapters use the general versions in common/.
 */
#ifndef CH01_NEURON_H
#define CH01_NEURON_H

#define NEURON_INPUTS 2

// listing: neuron-struct
typedef struct {
    float w[NEURON_INPUTS]; /* one weight per input */
    float b;                /* the bias */
} Neuron;
// end-listing: neuron-struct

/* X holds `count` points of NEURON_INPUTS values, one per row; y holds
 * their labels, 0 or 1.   X: (count, 2)   y: (count) */

float neuron_sigmoid(float z);
float neuron_logit(const Neuron *n, const float *x);
float neuron_predict(const Neuron *n, const float *x);
float neuron_loss(const Neuron *n, const float *X, const float *y,
                  int count);
void neuron_gradient(const Neuron *n, const float *X, const float *y,
                     int count, Neuron *grad);
void neuron_step(Neuron *n, const Neuron *grad, float lr);
float neuron_accuracy(const Neuron *n, const float *X, const float *y,
                      int count);

#endif
