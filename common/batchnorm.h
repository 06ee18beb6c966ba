/* batchnorm.h - batch normalisation (Ioffe and Szegedy 2015): each of
 * a layer's H features is standardised over the batch, then scaled and
 * shifted by two learned numbers.
 *
 * Shapes: x, y (N, H)   gamma, beta (H).
 *
 *   mu_j    = mean_i x_ij            var_j = mean_i (x_ij - mu_j)^2
 *   xhat_ij = (x_ij - mu_j) / sqrt(var_j + eps)
 *   y_ij    = gamma_j xhat_ij + beta_j
 *
 * THREE WAYS TO GET mu AND var (BnMode)
 *   BN_TRAIN  from the batch itself, and the running averages move
 *             towards them: run = (1 - momentum) run + momentum batch.
 *             A sample's output depends on the other rows of its batch.
 *   BN_BATCH  from the batch itself, and nothing else changes: to score
 *             a generator on one large batch whose statistics are
 *             recomputed for it, without disturbing training.
 *   BN_EVAL   the running averages: every row is mapped on its own.
 * var is the batch's own (biased) variance in all three; the running
 * averages average those.
 *
 * THE GRADIENT CONTRACT is dense.h's: batchnorm_backward treats dgamma
 * and dbeta as its GradMode says (accumulate, overwrite, or leave
 * them), and OVERWRITES dx. It differentiates the last BN_TRAIN or
 * BN_BATCH forward, through the batch statistics:
 *   dxhat = dy gamma
 *   dx_ij = (N dxhat_ij - sum_k dxhat_kj - xhat_ij sum_k dxhat_kj xhat_kj)
 *           / (N sqrt(var_j + eps))
 *   dgamma_j = sum_i dy_ij xhat_ij      dbeta_j = sum_i dy_ij
 */
#ifndef COMMON_BATCHNORM_H
#define COMMON_BATCHNORM_H

#include "dense.h"
#include "param.h"

#define BATCHNORM_EPS 1e-5f
#define BATCHNORM_MOMENTUM 0.1f

typedef enum { BN_TRAIN, BN_BATCH, BN_EVAL } BnMode;

typedef struct {
    int width;                  /* H */
    int max_batch;              /* N at most */
    float eps, momentum;
    float *gamma, *beta;        /* (H) learned scale and shift */
    float *dgamma, *dbeta;      /* (H) see the contract */
    float *run_mean, *run_var;  /* (H) running averages, for BN_EVAL */
    float *mean, *var;          /* (H) of the last batch normalised */
    float *inv_std;             /* (H) 1 / sqrt(var + eps), same batch */
    float *xhat;                /* (N, H) that batch, standardised */
    double *sums;               /* (2, H) scratch for column sums, so
                                   that a step allocates nothing */
} BatchNorm;

/* gamma = 1, beta = 0, running mean 0 and variance 1; eps and
 * momentum get the defaults above (change the fields to change them). */
void batchnorm_init(BatchNorm *bn, int width, int max_batch);
void batchnorm_free(BatchNorm *bn);

/* y = BN(x) for n rows (n >= 2 unless mode is BN_EVAL); x and y may be
 * the same array.   x, y: (n, H) */
void batchnorm_forward(BatchNorm *bn, const float *x, float *y, int n,
                       BnMode mode);

/* Given dy = dL/dy for the last batch-statistics forward, of n rows:
 * dgamma, dbeta as `mode` says, and dx = dL/dx when dx is not NULL.
 * dx may be the same array as dy.   dy, dx: (n, H) */
void batchnorm_backward(BatchNorm *bn, const float *dy, float *dx, int n,
                        GradMode mode);

void batchnorm_zero_grad(BatchNorm *bn);

/* Fills params[0..2) with "<prefix>.gamma" and "<prefix>.beta";
 * returns 2. The running averages are state, not parameters. */
int batchnorm_params(BatchNorm *bn, const char *prefix, Param *params);

#endif
