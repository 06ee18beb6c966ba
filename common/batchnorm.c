/* batchnorm.c - batch normalisation, forward in three modes and the
 * backward through the batch statistics. Chapter 10 derives it; the
 * generators of chapters 10 and 12 use it.
 *
 * The sums run in double: a column of N floats summed in float loses
 * digits that the variance, a small difference of large numbers, needs.
 */
#include "batchnorm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "parallel.h"

void batchnorm_init(BatchNorm *bn, int width, int max_batch)
{
    memset(bn, 0, sizeof *bn);
    size_t h = (size_t)width;
    bn->width = width;
    bn->max_batch = max_batch;
    bn->eps = BATCHNORM_EPS;
    bn->momentum = BATCHNORM_MOMENTUM;
    bn->gamma = xmalloc(h * sizeof(float));
    bn->beta = xcalloc(h, sizeof(float));
    bn->dgamma = xcalloc(h, sizeof(float));
    bn->dbeta = xcalloc(h, sizeof(float));
    bn->run_mean = xcalloc(h, sizeof(float));
    bn->run_var = xmalloc(h * sizeof(float));
    bn->mean = xcalloc(h, sizeof(float));
    bn->var = xcalloc(h, sizeof(float));
    bn->inv_std = xcalloc(h, sizeof(float));
    bn->xhat = xcalloc((size_t)max_batch * h, sizeof(float));
    bn->sums = xcalloc(2 * h, sizeof(double));
    for (size_t j = 0; j < h; j++)
        bn->gamma[j] = bn->run_var[j] = 1.0f;
}

void batchnorm_free(BatchNorm *bn)
{
    free(bn->gamma);
    free(bn->beta);
    free(bn->dgamma);
    free(bn->dbeta);
    free(bn->run_mean);
    free(bn->run_var);
    free(bn->mean);
    free(bn->var);
    free(bn->inv_std);
    free(bn->xhat);
    free(bn->sums);
    memset(bn, 0, sizeof *bn);
}

/* Every column is independent: the loops below run over a range of
 * columns [j0, j1), which parallel_for_items shares out between the
 * threads. Each column's sums run in the same order whatever the range,
 * so the results do not depend on the thread count. */
typedef struct {
    BatchNorm *bn;
    const float *x, *dy;
    float *y, *dx;
    int n;
    BnMode mode;
    GradMode grad;
} Job;

// listing: batchnorm-statistics
/* mean and (biased) variance of columns [j0, j1), in two passes.
 *   x: (n, H) */
static void batch_statistics(BatchNorm *bn, const float *x, int n, int j0,
                             int j1)
{
    int H = bn->width;
    double *sum = bn->sums;
    for (int j = j0; j < j1; j++)
        sum[j] = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = j0; j < j1; j++)
            sum[j] += x[(size_t)i * H + j];
    for (int j = j0; j < j1; j++) {
        bn->mean[j] = (float)(sum[j] / n);
        sum[j] = 0.0;
    }
    for (int i = 0; i < n; i++)
        for (int j = j0; j < j1; j++) {
            double c = x[(size_t)i * H + j] - bn->mean[j];
            sum[j] += c * c;
        }
    for (int j = j0; j < j1; j++) {
        bn->var[j] = (float)(sum[j] / n);
        bn->inv_std[j] = 1.0f / sqrtf(bn->var[j] + bn->eps);
    }
}
// end-listing: batchnorm-statistics

static void forward_range(void *ctx, size_t begin, size_t end)
{
    const Job *t = ctx;
    BatchNorm *bn = t->bn;
    int H = bn->width, n = t->n, j0 = (int)begin, j1 = (int)end;
    const float *x = t->x;
    float *y = t->y;
    // listing: batchnorm-forward
    if (t->mode == BN_EVAL) {
        /* y = scale x + shift, per column */
        double *scale = bn->sums, *shift = bn->sums + H;
        for (int j = j0; j < j1; j++) {
            scale[j] = bn->gamma[j] / sqrt(bn->run_var[j] + bn->eps);
            shift[j] = bn->beta[j] - scale[j] * bn->run_mean[j];
        }
        for (int i = 0; i < n; i++)
            for (int j = j0; j < j1; j++) {
                size_t k = (size_t)i * H + j;
                y[k] = (float)(scale[j] * x[k] + shift[j]);
            }
        return;
    }
    batch_statistics(bn, x, n, j0, j1);
    for (int i = 0; i < n; i++)
        for (int j = j0; j < j1; j++) {
            size_t k = (size_t)i * H + j;
            bn->xhat[k] = (x[k] - bn->mean[j]) * bn->inv_std[j];
            y[k] = bn->gamma[j] * bn->xhat[k] + bn->beta[j];
        }
    if (t->mode == BN_TRAIN) {
        float m = bn->momentum;
        for (int j = j0; j < j1; j++) {
            bn->run_mean[j] += m * (bn->mean[j] - bn->run_mean[j]);
            bn->run_var[j] += m * (bn->var[j] - bn->run_var[j]);
        }
    }
    // end-listing: batchnorm-forward
}

void batchnorm_forward(BatchNorm *bn, const float *x, float *y, int n,
                       BnMode mode)
{
    if (n > bn->max_batch || (mode != BN_EVAL && n < 2))
        fatal("batchnorm_forward: batch of %d rows; it needs 2 to %d",
              n, bn->max_batch);
    Job t = {.bn = bn, .x = x, .y = y, .n = n, .mode = mode};
    parallel_for_items((size_t)bn->width, (size_t)n, forward_range, &t);
}

static void backward_range(void *ctx, size_t begin, size_t end)
{
    const Job *t = ctx;
    BatchNorm *bn = t->bn;
    int H = bn->width, n = t->n, j0 = (int)begin, j1 = (int)end;
    const float *dy = t->dy;
    float *dx = t->dx;
    // listing: batchnorm-backward
    /* per column: sum_i dy and sum_i dy xhat; gamma times them are
     * the two sums of dxhat the formula needs */
    double *sum_dy = bn->sums, *sum_dy_xhat = bn->sums + H;
    for (int j = j0; j < j1; j++)
        sum_dy[j] = sum_dy_xhat[j] = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = j0; j < j1; j++) {
            size_t k = (size_t)i * H + j;
            sum_dy[j] += dy[k];
            sum_dy_xhat[j] += (double)dy[k] * bn->xhat[k];
        }
    if (t->grad != GRAD_INPUT_ONLY) {
        float keep = t->grad == GRAD_ACCUMULATE ? 1.0f : 0.0f;
        for (int j = j0; j < j1; j++) {
            bn->dgamma[j] = keep * bn->dgamma[j] +
                            (float)sum_dy_xhat[j];
            bn->dbeta[j] = keep * bn->dbeta[j] + (float)sum_dy[j];
        }
    }
    if (dx)
        for (int i = 0; i < n; i++)
            for (int j = j0; j < j1; j++) {
                size_t k = (size_t)i * H + j;
                double g = bn->gamma[j];
                double d = n * g * dy[k] - g * sum_dy[j] -
                           bn->xhat[k] * g * sum_dy_xhat[j];
                dx[k] = (float)(d * bn->inv_std[j] / n);
            }
    // end-listing: batchnorm-backward
}

void batchnorm_backward(BatchNorm *bn, const float *dy, float *dx,
                        int n, GradMode mode)
{
    Job t = {.bn = bn, .dy = dy, .dx = dx, .n = n, .grad = mode};
    parallel_for_items((size_t)bn->width, (size_t)n, backward_range, &t);
}

void batchnorm_zero_grad(BatchNorm *bn)
{
    memset(bn->dgamma, 0, (size_t)bn->width * sizeof(float));
    memset(bn->dbeta, 0, (size_t)bn->width * sizeof(float));
}

int batchnorm_params(BatchNorm *bn, const char *prefix, Param *params)
{
    params[0] = (Param){.value = bn->gamma, .grad = bn->dgamma, .rows = 1,
                        .cols = bn->width};
    params[1] = (Param){.value = bn->beta, .grad = bn->dbeta, .rows = 1,
                        .cols = bn->width};
    snprintf(params[0].name, PARAM_NAME_MAX, "%s.gamma", prefix);
    snprintf(params[1].name, PARAM_NAME_MAX, "%s.beta", prefix);
    return 2;
}
