/* spectral_norm.c - W / sigma(W) by power iteration, and its gradient.
 * Chapter 10 derives both and measures what the constraint does to a
 * discriminator.
 *
 * The two matrix-vector products go through gemm with one column; the
 * norms and the inner product run in double.
 */
#include "spectral_norm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mat.h"

/* x /= |x|, returning |x|; a zero vector is left as it is. */
static double normalise(float *x, int n)
{
    double ss = 0.0;
    for (int i = 0; i < n; i++)
        ss += (double)x[i] * x[i];
    double norm = sqrt(ss);
    if (norm > 0.0)
        for (int i = 0; i < n; i++)
            x[i] = (float)(x[i] / norm);
    return norm;
}

void spectral_norm_init(SpectralNorm *sn, int rows, int cols, Rng *rng)
{
    sn->rows = rows;
    sn->cols = cols;
    sn->u = xmalloc((size_t)cols * sizeof(float));
    sn->v = xcalloc((size_t)rows, sizeof(float));
    sn->sigma = 0.0f;
    rng_fill_normal(rng, sn->u, cols, 0.0f, 1.0f);
    normalise(sn->u, cols);
}

void spectral_norm_free(SpectralNorm *sn)
{
    free(sn->u);
    free(sn->v);
    memset(sn, 0, sizeof *sn);
}

// listing: power-iteration
void spectral_norm_update(SpectralNorm *sn, const float *W, int steps)
{
    int D = sn->rows, H = sn->cols;
    for (int s = 0; s < steps; s++) {
        /* v = W u / |W u|: (D, H) times (H, 1) */
        gemm(NO_TRANS, NO_TRANS, D, 1, H, 1.0f, W, H, sn->u, 1, 0.0f,
             sn->v, 1);
        normalise(sn->v, D);
        /* u = W^T v / |W^T v|, and sigma = v^T W u = |W^T v| */
        gemm(TRANS, NO_TRANS, H, 1, D, 1.0f, W, H, sn->v, 1, 0.0f,
             sn->u, 1);
        sn->sigma = (float)normalise(sn->u, H);
    }
}
// end-listing: power-iteration

void spectral_norm_apply(const SpectralNorm *sn, const float *W, float *Wn)
{
    size_t n = (size_t)sn->rows * sn->cols;
    float inv = 1.0f / sn->sigma;
    for (size_t i = 0; i < n; i++)
        Wn[i] = W[i] * inv;
}

// listing: spectral-backward
void spectral_norm_backward(const SpectralNorm *sn, const float *Wn,
                            const float *dWn, float *dW)
{
    int D = sn->rows, H = sn->cols;
    size_t n = (size_t)D * H;
    double inner = 0.0; /* <dL/dWn, Wn> */
    for (size_t i = 0; i < n; i++)
        inner += (double)dWn[i] * Wn[i];
    float inv = 1.0f / sn->sigma;
    for (int i = 0; i < D; i++)
        for (int j = 0; j < H; j++) {
            size_t k = (size_t)i * H + j;
            dW[k] = (dWn[k] - (float)inner * sn->v[i] * sn->u[j]) * inv;
        }
}
// end-listing: spectral-backward
