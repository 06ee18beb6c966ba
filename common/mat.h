/* mat.h - float32 row-major matrices and matrix multiplication.
 *
 * Dimension legend used in shape comments throughout common/:
 *   N batch size   D input features   H hidden units
 *   Z latent size  K classes          (r, c) rows, columns
 *
 * Every matrix is row-major: element (i, j) of an (r, c) matrix with
 * leading dimension ld lives at data[i * ld + j]; ld == c unless it
 * is a view into a wider matrix.
 *
 * gemm() is the one matrix multiply the whole project uses; it calls
 * OpenBLAS's cblas_sgemm. gemm_naive() has the same signature and
 * meaning, written as the plain triple loop: the reference the tests
 * compare against, and what chapter 3 times against OpenBLAS.
 */
#ifndef COMMON_MAT_H
#define COMMON_MAT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { NO_TRANS = 0, TRANS = 1 } Trans;

/* C = alpha * op(A) * op(B) + beta * C, where op(X) is X or X^T.
 *   op(A): (m, k)   op(B): (k, n)   C: (m, n)
 * A is (m, k) with ld lda when ta == NO_TRANS, (k, m) when TRANS;
 * likewise B is (k, n) or (n, k). When beta == 0, C is overwritten
 * and its old contents are never read (so they may be garbage). */
void gemm(Trans ta, Trans tb, int m, int n, int k, float alpha,
          const float *a, int lda, const float *b, int ldb, float beta,
          float *c, int ldc);

void gemm_naive(Trans ta, Trans tb, int m, int n, int k, float alpha,
                const float *a, int lda, const float *b, int ldb,
                float beta, float *c, int ldc);

/* Recording: while on, every gemm() call (not gemm_naive) appends its
 * shape to the buffer, so a benchmark can replay exactly the matrix
 * multiplies one training step makes and time them alone. */
typedef struct {
    Trans ta, tb;
    int m, n, k;
    float beta;
} GemmCall;

void gemm_record_start(GemmCall *calls, int capacity);
int gemm_record_stop(void); /* returns the number of calls recorded */

/* Timing: while on, the seconds spent inside gemm() calls add up, so a
 * benchmark can tell a step's matrix products from the rest of it. */
void gemm_timer_start(void);
double gemm_timer_stop(void); /* returns the seconds since the start */

/* Skipping: while on, gemm() records and times its call but computes
 * nothing, so a benchmark can time everything else a step does, in
 * place. The results are then garbage; only a benchmark turns it on. */
void gemm_skip(bool skip);

/* How many threads OpenBLAS uses. The same seed and the same thread
 * count give the same results, byte for byte. */
void blas_set_threads(int threads);

/* The kernel OpenBLAS chose for this CPU ("Haswell", "SkylakeX", ...;
 * OPENBLAS_CORETYPE overrides it): name it wherever a speed is quoted,
 * so that a reader can compare their numbers with ours. */
const char *blas_kernel(void);
int blas_threads(void);

/* How the linked OpenBLAS runs its threads: "openmp" (the build the
 * Makefile links, sharing its threads with parallel.h's loops),
 * "pthread" (its own pool) or "sequential". */
const char *blas_threading(void);

/* A matrix that owns its data. */
typedef struct {
    int rows, cols;
    float *data; /* (rows, cols) */
} Mat;

Mat mat_new(int rows, int cols); /* zero-filled */
void mat_free(Mat *m);
size_t mat_size(const Mat *m);   /* rows * cols */

#define MAT_AT(m, i, j) ((m).data[(size_t)(i) * (size_t)(m).cols + (j)])

/* C = alpha * op(A) * op(B) + beta * C on whole matrices; exits with a
 * message naming the shapes when they do not fit (a programming
 * error, not bad input). */
void mat_mul(Mat *c, const Mat *a, Trans ta, const Mat *b, Trans tb,
             float alpha, float beta);

#endif
