/* spectral_norm.h - spectral normalisation of a weight matrix (Miyato
 * et al. 2018): a layer computes x Wn + b with Wn = W / sigma(W),
 * where sigma(W) is W's largest singular value, so that x -> x Wn
 * stretches no vector: it is 1-Lipschitz.
 *
 * Shapes: W, Wn, dW, dWn (D, H)   v (D)   u (H).
 *
 * sigma comes from POWER ITERATION, one step per training step, its
 * vectors carried over from the last step (W changes little between
 * two steps, so one step keeps up):
 *     v = W u / |W u|      u = W^T v / |W^T v|      sigma = v^T W u
 * (sigma = |W^T v| at the end of a step). u and v approach the top
 * right and left singular vectors, sigma the top singular value.
 *
 * THE BACKWARD holds u and v fixed, as the paper's implementation
 * does: then d sigma / dW = v u^T, and for a loss L of Wn,
 *     dL/dW = (dL/dWn - <dL/dWn, Wn> v u^T) / sigma
 * with <A, B> = sum_ij A_ij B_ij. It OVERWRITES dW; dWn is what a
 * Dense layer accumulated when its W was Wn.
 */
#ifndef COMMON_SPECTRAL_NORM_H
#define COMMON_SPECTRAL_NORM_H

#include "rng.h"

typedef struct {
    int rows, cols; /* D, H of the matrix it normalises */
    float *u;       /* (H) right singular vector estimate, unit */
    float *v;       /* (D) left singular vector estimate, unit */
    float sigma;    /* largest singular value, as last estimated */
} SpectralNorm;

/* u starts as a random unit vector drawn from rng; sigma as 0 until
 * the first spectral_norm_update. */
void spectral_norm_init(SpectralNorm *sn, int rows, int cols, Rng *rng);
void spectral_norm_free(SpectralNorm *sn);

/* `steps` steps of power iteration on W, from the current u; updates
 * u, v and sigma.   W: (D, H) */
void spectral_norm_update(SpectralNorm *sn, const float *W, int steps);

/* Wn = W / sigma.   W, Wn: (D, H) */
void spectral_norm_apply(const SpectralNorm *sn, const float *W,
                         float *Wn);

/* dW from dWn, by the formula above.   Wn, dWn, dW: (D, H) */
void spectral_norm_backward(const SpectralNorm *sn, const float *Wn,
                            const float *dWn, float *dW);

#endif
