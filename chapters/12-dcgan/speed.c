/* speed.c - how fast is one DCGAN step, next to its GEMMs alone?
 *
 * Times real training steps at batch 64 (batch conversion, three
 * passes of D and one of G forward and backward, both Adam updates),
 * records the shape of every gemm() one step makes, and times those
 * same products alone, each on matrices of its own. Their ratio is
 * what the step spends outside matrix products: im2col and col2im,
 * batch norm, activations, the loss and Adam. Adam is timed alone too.
 * Each time is the best of BENCH_BLOCKS blocks, the block least
 * disturbed by anything else on the machine.
 */
#include "speed.h"

#include <stdio.h>
#include <stdlib.h>

#include "dataset.h"
#include "dcgan.h"
#include "error.h"
#include "gemmreplay.h"
#include "mat.h"
#include "progress.h"
#include "rng.h"
#include "run.h"

#define BATCH 64
#define WARMUP 10
#define STEPS 30
#define BENCH_BLOCKS 5
#define MAX_CALLS 64

/* The images a run of benchmark steps trains on, in a shuffled order. */
typedef struct {
    const Dataset *ds;
    const int *order;
    int per_epoch;
    long done; /* steps made so far */
} Feed;

/* Seconds per step over `steps` real training steps. */
static double time_steps(Dcgan *gan, Feed *f, Rng *rng, int steps)
{
    float stats[DCGAN_STATS];
    double t0 = clock_seconds();
    for (int i = 0; i < steps; i++, f->done++) {
        int at = (int)(f->done % f->per_epoch) * BATCH;
        images_to_float(&f->ds->train_images, f->order + at, BATCH, -1.0f,
                        1.0f, gan->real);
        dcgan_train_step(gan, rng, stats);
    }
    return (clock_seconds() - t0) / steps;
}

int dcgan_bench(const char *out, const char *data, uint64_t seed,
                int threads)
{
    Run run = {.name = "12-dcgan bench", .seed = seed, .out = out,
               .data = dataset_dir(data), .threads = threads};
    run_start(&run);
    Dataset ds;
    Error err;
    if (dataset_load_train(run.data, &ds, &err) < 0)
        fatal("%s", err.msg);
    Rng rng;
    rng_seed(&rng, seed);
    static Dcgan gan;
    dcgan_init(&gan, BATCH, &rng);
    int count = ds.train_images.count, per_epoch = count / BATCH;
    int *order = xmalloc((size_t)count * sizeof(int));
    index_identity(order, count);
    rng_shuffle(&rng, order, count);

    Feed feed = {.ds = &ds, .order = order, .per_epoch = per_epoch};
    time_steps(&gan, &feed, &rng, WARMUP);
    double step_s = 1e30;
    for (int block = 0; block < BENCH_BLOCKS; block++) {
        double s = time_steps(&gan, &feed, &rng, STEPS);
        if (s < step_s)
            step_s = s;
    }
    double peak_mb = run_peak_rss_mb(); /* before the replays allocate */

    /* the same steps again, timing the GEMMs inside them */
    gemm_timer_start();
    double t_in = time_steps(&gan, &feed, &rng, STEPS);
    double in_step_gemm_s = gemm_timer_stop() / STEPS;

    float stats[DCGAN_STATS];
    GemmCall calls[MAX_CALLS];
    gemm_record_start(calls, MAX_CALLS);
    dcgan_train_step(&gan, &rng, stats);
    int ncalls = gemm_record_stop();
    if (ncalls > MAX_CALLS)
        fatal("bench: a step makes %d GEMM calls, more than %d", ncalls,
              MAX_CALLS);
    double flop = 0;
    printf("the %d GEMMs of one step (C = op(A) op(B), C is m x n):\n",
           ncalls);
    printf("%4s %6s %6s %6s %3s %3s %5s %8s\n", "call", "m", "n", "k",
           "tA", "tB", "beta", "MFLOP");
    for (int i = 0; i < ncalls; i++) {
        const GemmCall *g = &calls[i];
        double f = 2.0 * g->m * g->n * g->k;
        flop += f;
        printf("%4d %6d %6d %6d %3s %3s %5.0f %8.1f\n", i + 1, g->m, g->n,
               g->k, g->ta ? "T" : "N", g->tb ? "T" : "N", g->beta,
               f / 1e6);
    }

    double t0 = clock_seconds();
    for (int i = 0; i < STEPS; i++) {
        optim_step(&gan.d_opt);
        optim_step(&gan.g_opt);
    }
    double adam_s = (clock_seconds() - t0) / STEPS;
    double gemm_s = gemm_replay_seconds(calls, ncalls, STEPS, BENCH_BLOCKS,
                                        &rng);

    printf("\n%9s %9s %9s %9s %8s %8s %8s %8s\n", "steps/s", "images/s",
           "GFLOP/s", "GEMM-only", "ratio", "step ms", "GEMM ms",
           "Adam ms");
    printf("%9.1f %9.0f %9.1f %9.1f %8.3f %8.2f %8.2f %8.2f\n",
           1.0 / step_s, BATCH / step_s, flop / step_s / 1e9, 1.0 / gemm_s,
           step_s / gemm_s, 1e3 * step_s, 1e3 * gemm_s, 1e3 * adam_s);
    printf("inside a step (one block of %d, timed apart): %.2f ms, of which "
           "%.2f ms in GEMMs and %.2f ms outside them\n", STEPS, 1e3 * t_in,
           1e3 * in_step_gemm_s, 1e3 * (t_in - in_step_gemm_s));
    run_result(&run,
               "steps_per_s_b64=%.1f images_per_s_b64=%.0f "
               "gemm_ratio_b64=%.3f gemm_share=%.3f gemm_calls=%d "
               "mflop_per_step=%.0f in_step_gemm_ms=%.2f "
               "outside_gemm_ms=%.2f adam_ms=%.2f peak_rss_mb=%.0f "
               "threads=%d kernel=%s",
               1.0 / step_s, BATCH / step_s, step_s / gemm_s,
               gemm_s / step_s, ncalls, flop / 1e6, 1e3 * in_step_gemm_s,
               1e3 * (t_in - in_step_gemm_s), 1e3 * adam_s, peak_mb,
               threads, blas_kernel());
    dcgan_free(&gan);
    free(order);
    dataset_free(&ds);
    return 0;
}
