/* penalty.h - the gradient penalty of WGAN-GP (Gulrajani et al. 2017)
 * and its gradient, for a critic made of dense layers and
 * piecewise-linear activations (ReLU or LeakyReLU, no batch norm, no
 * dropout).
 *
 * For n points xhat_i (between real and generated samples), with
 * g_i = grad_x f(xhat_i) the critic's gradient with respect to its
 * input,
 *     P = lambda / n  sum_i (|g_i| - 1)^2 .
 *
 * g is a backward pass. For the critic a_l = h_(l-1) W_l + b_l,
 * h_l = phi(a_l), f = a_L, let s_l = df/da_l (n, H_l): s_L = 1, and
 *     u_(l-1) = s_l W_l^T,   s_(l-1) = u_(l-1) * phi'(a_(l-1)),
 *     g = u_0.
 * phi' is piecewise constant, so P depends on W_l only through these
 * products (and never on b_l). Differentiating the chain backwards
 * gives a forward pass: with r_0 = dP/dg (n, D),
 *     dP/dW_l = r_(l-1)^T s_l,   r_l = (r_(l-1) W_l) * phi'(a_l).
 */
#ifndef CH10_PENALTY_H
#define CH10_PENALTY_H

#include "net.h"

typedef struct {
    int max_batch;                /* N */
    float *s[NET_MAX_LAYERS];     /* (N, H_l) df/da_l of each layer */
    float *g;                     /* (N, D) df/dx, the input gradient */
    float *r_a, *r_b;             /* (N, widest) the forward chain */
} Penalty;

void stab_penalty_init(Penalty *p, const Net *critic, int max_batch);
void stab_penalty_free(Penalty *p);

/* P for n points (n <= N) of the critic's input, and, when accumulate
 * is true, ADDS dP/dW to every dense layer's dW (the contract of
 * dense.h: dL/dWn for a spectrally normalised layer).   xhat: (n, D) */
float stab_gradient_penalty(Penalty *p, Net *critic, const float *xhat,
                            int n, float weight, bool accumulate);

#endif
