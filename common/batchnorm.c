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

/* Two kinds of loop, each shared out between the threads by
 * parallel_for_items: the sums, per column (a thread takes a range of
 * columns and sums each down all the rows, BLOCK columns at a time, in
 * the same order whatever the range), and the element-wise passes, per
 * row. So the results do not depend on the thread count. The running
 * sums live on each thread's stack and are written out once: in one
 * shared array, two threads' neighbouring sums would share a cache
 * line, bounced between the cores at every row. */
#define BLOCK 64
typedef struct {
    BatchNorm *bn;
    const float *x, *dy;
    float *y, *dx;
    int n;
    BnMode mode;
    GradMode grad;
} Job;

static int block_end(size_t b, size_t end)
{
    return (int)(b + BLOCK < end ? b + BLOCK : end);
}

// listing: batchnorm-statistics
/* mean and (biased) variance of columns [j0, j1), at most BLOCK of
 * them, in two passes.   x: (n, H) */
static void batch_statistics(BatchNorm *bn, const float *x, int n, int j0,
                             int j1)
{
    int H = bn->width, w = j1 - j0;
    double sum[BLOCK] = {0};
    for (int i = 0; i < n; i++) {
        const float *row = x + (size_t)i * H + j0;
        for (int j = 0; j < w; j++)
            sum[j] += row[j];
    }
    for (int j = 0; j < w; j++) {
        bn->mean[j0 + j] = (float)(sum[j] / n);
        sum[j] = 0.0;
    }
    for (int i = 0; i < n; i++) {
        const float *row = x + (size_t)i * H + j0;
        for (int j = 0; j < w; j++) {
            double c = row[j] - bn->mean[j0 + j];
            sum[j] += c * c;
        }
    }
    for (int j = 0; j < w; j++) {
        bn->var[j0 + j] = (float)(sum[j] / n);
        bn->inv_std[j0 + j] = 1.0f / sqrtf(bn->var[j0 + j] + bn->eps);
    }
}
// end-listing: batchnorm-statistics

static void statistics_range(void *ctx, size_t begin, size_t end)
{
    const Job *t = ctx;
    for (size_t b = begin; b < end; b += BLOCK)
        batch_statistics(t->bn, t->x, t->n, (int)b, block_end(b, end));
}

// listing: batchnorm-row
/* One row of the training forward. The restrict parameters tell the
 * compiler that the stores to xhat and y change none of the columns'
 * numbers, so it vectorises the loop (x may be y: in place). */
static void normalise_row(int H, const float *x, float *y,
                          float *restrict xhat, const float *restrict mean,
                          const float *restrict inv_std,
                          const float *restrict gamma,
                          const float *restrict beta)
{
    for (int j = 0; j < H; j++) {
        xhat[j] = (x[j] - mean[j]) * inv_std[j];
        y[j] = gamma[j] * xhat[j] + beta[j];
    }
}
// end-listing: batchnorm-row

static void normalise_rows(void *ctx, size_t begin, size_t end)
{
    const Job *t = ctx;
    BatchNorm *bn = t->bn;
    int H = bn->width;
    const float *x = t->x;
    float *y = t->y;
    // listing: batchnorm-forward
    if (t->mode == BN_EVAL) {
        /* y = scale x + shift, per column (batchnorm_forward set them) */
        const double *scale = bn->sums, *shift = bn->sums + H;
        for (size_t i = begin; i < end; i++)
            for (int j = 0; j < H; j++) {
                size_t k = i * H + j;
                y[k] = (float)(scale[j] * x[k] + shift[j]);
            }
        return;
    }
    for (size_t i = begin; i < end; i++)
        normalise_row(H, x + i * H, y + i * H, bn->xhat + i * H, bn->mean,
                      bn->inv_std, bn->gamma, bn->beta);
    // end-listing: batchnorm-forward
}

void batchnorm_forward(BatchNorm *bn, const float *x, float *y, int n,
                       BnMode mode)
{
    int H = bn->width;
    if (n > bn->max_batch || (mode != BN_EVAL && n < 2))
        fatal("batchnorm_forward: batch of %d rows; it needs 2 to %d",
              n, bn->max_batch);
    Job t = {.bn = bn, .x = x, .y = y, .n = n, .mode = mode};
    if (mode == BN_EVAL) {
        double *scale = bn->sums, *shift = bn->sums + H;
        for (int j = 0; j < H; j++) {
            scale[j] = bn->gamma[j] / sqrt(bn->run_var[j] + bn->eps);
            shift[j] = bn->beta[j] - scale[j] * bn->run_mean[j];
        }
    } else {
        parallel_for_items((size_t)H, (size_t)n, statistics_range, &t);
    }
    parallel_for_items((size_t)n, (size_t)H, normalise_rows, &t);
    if (mode == BN_TRAIN) {
        float m = bn->momentum;
        for (int j = 0; j < H; j++) {
            bn->run_mean[j] += m * (bn->mean[j] - bn->run_mean[j]);
            bn->run_var[j] += m * (bn->var[j] - bn->run_var[j]);
        }
    }
}

// listing: batchnorm-backward
/* per column: sum_i dy and sum_i dy xhat, into bn->sums; gamma times
 * them are the two sums of dxhat the formula needs */
static void gradient_sums(const Job *t, int j0, int j1)
{
    BatchNorm *bn = t->bn;
    int H = bn->width, w = j1 - j0;
    double sum_dy[BLOCK] = {0}, sum_dy_xhat[BLOCK] = {0};
    for (int i = 0; i < t->n; i++) {
        const float *dy = t->dy + (size_t)i * H + j0;
        const float *xhat = bn->xhat + (size_t)i * H + j0;
        for (int j = 0; j < w; j++) {
            sum_dy[j] += dy[j];
            sum_dy_xhat[j] += (double)dy[j] * xhat[j];
        }
    }
    float keep = t->grad == GRAD_ACCUMULATE ? 1.0f : 0.0f;
    for (int j = 0; j < w; j++) {
        bn->sums[j0 + j] = sum_dy[j];
        bn->sums[H + j0 + j] = sum_dy_xhat[j];
        if (t->grad != GRAD_INPUT_ONLY) {
            bn->dgamma[j0 + j] = keep * bn->dgamma[j0 + j] +
                                 (float)sum_dy_xhat[j];
            bn->dbeta[j0 + j] = keep * bn->dbeta[j0 + j] + (float)sum_dy[j];
        }
    }
}

/* One row of dx; restrict as in normalise_row (dx may be dy). */
static void input_gradient_row(int H, int n, const float *dy, float *dx,
                               const float *restrict xhat,
                               const float *restrict gamma,
                               const float *restrict inv_std,
                               const double *restrict sum_dy,
                               const double *restrict sum_dy_xhat)
{
    for (int j = 0; j < H; j++) {
        double g = gamma[j];
        double d = n * g * dy[j] - g * sum_dy[j] -
                   xhat[j] * g * sum_dy_xhat[j];
        dx[j] = (float)(d * inv_std[j] / n);
    }
}

/* dx, row by row */
static void input_gradient_rows(void *ctx, size_t begin, size_t end)
{
    const Job *t = ctx;
    const BatchNorm *bn = t->bn;
    int H = bn->width, n = t->n;
    for (size_t i = begin; i < end; i++)
        input_gradient_row(H, n, t->dy + i * H, t->dx + i * H,
                           bn->xhat + i * H, bn->gamma, bn->inv_std,
                           bn->sums, bn->sums + H);
}
// end-listing: batchnorm-backward

static void gradient_sums_range(void *ctx, size_t begin, size_t end)
{
    for (size_t b = begin; b < end; b += BLOCK)
        gradient_sums(ctx, (int)b, block_end(b, end));
}

void batchnorm_backward(BatchNorm *bn, const float *dy, float *dx,
                        int n, GradMode mode)
{
    Job t = {.bn = bn, .dy = dy, .dx = dx, .n = n, .grad = mode};
    parallel_for_items((size_t)bn->width, (size_t)n, gradient_sums_range,
                       &t);
    if (dx) /* after every sum: dx may be dy */
        parallel_for_items((size_t)n, (size_t)bn->width,
                           input_gradient_rows, &t);
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
