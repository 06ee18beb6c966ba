#include "mat.h"

#include <cblas.h>
#include <stdbool.h>
#include <stdlib.h>

#include "error.h"
#include "progress.h"

static GemmCall *record_calls;
static int record_capacity, record_count;
static bool timing, skipping;
static double timed_seconds;

void gemm_timer_start(void)
{
    timing = true;
    timed_seconds = 0;
}

double gemm_timer_stop(void)
{
    timing = false;
    return timed_seconds;
}

void gemm_skip(bool skip) { skipping = skip; }

void gemm_record_start(GemmCall *calls, int capacity)
{
    record_calls = calls;
    record_capacity = capacity;
    record_count = 0;
}

int gemm_record_stop(void)
{
    int n = record_count;
    record_calls = NULL;
    record_count = 0;
    return n;
}

void gemm(Trans ta, Trans tb, int m, int n, int k, float alpha,
          const float *a, int lda, const float *b, int ldb, float beta,
          float *c, int ldc)
{
    if (m == 0 || n == 0)
        return;
    if (record_calls) {
        if (record_count < record_capacity)
            record_calls[record_count] = (GemmCall){ta, tb, m, n, k, beta};
        record_count++;
    }
    if (skipping)
        return;
    double t0 = timing ? clock_seconds() : 0;
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
                tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda,
                b, ldb, beta, c, ldc);
    if (timing)
        timed_seconds += clock_seconds() - t0;
}

void gemm_naive(Trans ta, Trans tb, int m, int n, int k, float alpha,
                const float *a, int lda, const float *b, int ldb,
                float beta, float *c, int ldc)
{
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            // listing: naive-dot
            float sum = 0.0f;
            for (int p = 0; p < k; p++) {
                float aip = ta ? a[(size_t)p * lda + i]
                               : a[(size_t)i * lda + p];
                float bpj = tb ? b[(size_t)j * ldb + p]
                               : b[(size_t)p * ldb + j];
                sum += aip * bpj;
            }
            // end-listing: naive-dot
            float *cij = &c[(size_t)i * ldc + j];
            *cij = beta == 0.0f ? alpha * sum : alpha * sum + beta * *cij;
        }
    }
}

void blas_set_threads(int threads) { openblas_set_num_threads(threads); }

int blas_threads(void) { return openblas_get_num_threads(); }

const char *blas_kernel(void)
{
    const char *name = openblas_get_corename();
    return name ? name : "unknown";
}

const char *blas_threading(void)
{
    switch (openblas_get_parallel()) {
    case 0: return "sequential";
    case 1: return "pthread";
    case 2: return "openmp";
    default: return "unknown";
    }
}

Mat mat_new(int rows, int cols)
{
    Mat m = {rows, cols, NULL};
    m.data = xcalloc((size_t)rows * (size_t)cols, sizeof(float));
    return m;
}

void mat_free(Mat *m)
{
    free(m->data);
    m->data = NULL;
    m->rows = m->cols = 0;
}

size_t mat_size(const Mat *m) { return (size_t)m->rows * (size_t)m->cols; }

void mat_mul(Mat *c, const Mat *a, Trans ta, const Mat *b, Trans tb,
             float alpha, float beta)
{
    int m = ta ? a->cols : a->rows, k = ta ? a->rows : a->cols;
    int kb = tb ? b->cols : b->rows, n = tb ? b->rows : b->cols;
    if (k != kb || c->rows != m || c->cols != n)
        fatal("mat_mul: shapes do not fit: op(A) is %dx%d, op(B) is "
              "%dx%d, C is %dx%d", m, k, kb, n, c->rows, c->cols);
    gemm(ta, tb, m, n, k, alpha, a->data, a->cols, b->data, b->cols,
         beta, c->data, c->cols);
}
