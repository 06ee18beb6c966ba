/* gemmreplay.c - timing recorded GEMM calls by themselves. */
#include "gemmreplay.h"

#include <stdlib.h>

#include "error.h"
#include "progress.h"

static float *random_floats(Rng *rng, size_t n)
{
    float *x = xmalloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        x[i] = rng_range(rng, -1.0f, 1.0f);
    return x;
}

double gemm_replay_seconds(const GemmCall *calls, int n, int reps,
                           int blocks, Rng *rng)
{
    float **A = xmalloc((size_t)n * sizeof *A);
    float **B = xmalloc((size_t)n * sizeof *B);
    float **C = xmalloc((size_t)n * sizeof *C);
    for (int i = 0; i < n; i++) {
        A[i] = random_floats(rng, (size_t)calls[i].m * calls[i].k);
        B[i] = random_floats(rng, (size_t)calls[i].k * calls[i].n);
        C[i] = random_floats(rng, (size_t)calls[i].m * calls[i].n);
    }
    double best = 1e30;
    for (int block = -1; block < blocks; block++) {
        double t0 = clock_seconds();
        for (int r = 0; r < reps; r++)
            for (int i = 0; i < n; i++) {
                const GemmCall *g = &calls[i];
                gemm(g->ta, g->tb, g->m, g->n, g->k, 1.0f, A[i],
                     g->ta ? g->m : g->k, B[i], g->tb ? g->k : g->n,
                     g->beta, C[i], g->n);
            }
        double s = (clock_seconds() - t0) / reps;
        if (block >= 0 && s < best) /* block -1 only warms up */
            best = s;
    }
    for (int i = 0; i < n; i++) {
        free(A[i]);
        free(B[i]);
        free(C[i]);
    }
    free(A);
    free(B);
    free(C);
    return best;
}
