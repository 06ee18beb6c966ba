/* bench.c - how fast is one training step, next to its GEMMs alone?
 *
 * For each batch size it times real training steps (batch conversion,
 * both networks forward and backward, both Adam updates), records the
 * shapes of every gemm() one step makes, and times those same
 * multiplies alone. Their ratio says how much of a step is spent
 * outside matrix multiplication, which is all a C implementation can
 * still win. It also times the two Adam updates by themselves.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

#include "dataset.h"
#include "error.h"
#include "gan.h"
#include "gemmreplay.h"
#include "mat.h"
#include "progress.h"
#include "rng.h"
#include "run.h"

#define BENCH_MAX_CALLS 256
#define BENCH_SIZES 2

/* Every time is the best of BENCH_BLOCKS blocks of `steps` steps (or
 * replays): on a shared machine the best block is the one least
 * disturbed by anything else, for the step and its GEMMs alike. */
#define BENCH_BLOCKS 5

typedef struct {
    int batch;
    int warmup, steps; /* steps to settle, steps in one timed block */
} BenchPlan;

static const BenchPlan plans[BENCH_SIZES] = {{64, 30, 60}, {256, 8, 16}};

typedef struct {
    double step_s, gemm_s, adam_s; /* seconds per step */
    int calls;
    GemmCall recorded[BENCH_MAX_CALLS];
    double flop;                   /* per step, from the recorded calls */
} BenchResult;

/* Times training steps on real batches, records one step's GEMMs and
 * times the two Adam updates alone. */
static void time_steps(const Dataset *ds, const BenchPlan *p,
                       uint64_t seed, BenchResult *r)
{
    Rng rng;
    rng_seed(&rng, seed);
    Gan gan;
    gan_init(&gan, p->batch, &rng);
    int count = ds->train_images.count, per_epoch = count / p->batch;
    int *order = xmalloc((size_t)count * sizeof(int));
    index_identity(order, count);
    rng_shuffle(&rng, order, count);
    GanStats s;
    int done = 0;
    r->step_s = 1e30;
    for (int block = -1; block < BENCH_BLOCKS; block++) {
        int steps = block < 0 ? p->warmup : p->steps;
        double t0 = clock_seconds();
        for (int i = 0; i < steps; i++, done++) {
            int at = (done % per_epoch) * p->batch;
            images_to_float(&ds->train_images, order + at, p->batch, -1.0f,
                            1.0f, gan.d_in);
            gan_train_step(&gan, &rng, &s);
        }
        double per_step = (clock_seconds() - t0) / steps;
        if (block >= 0 && per_step < r->step_s)
            r->step_s = per_step;
    }

    gemm_record_start(r->recorded, BENCH_MAX_CALLS);
    gan_train_step(&gan, &rng, &s);
    r->calls = gemm_record_stop();
    if (r->calls > BENCH_MAX_CALLS)
        fatal("bench: a step makes %d GEMM calls, more than %d", r->calls,
              BENCH_MAX_CALLS);
    r->flop = 0;
    for (int i = 0; i < r->calls; i++)
        r->flop += 2.0 * r->recorded[i].m * r->recorded[i].n *
                   r->recorded[i].k;

    double t0 = clock_seconds();
    for (int i = 0; i < p->steps; i++) {
        optim_step(&gan.d_opt);
        optim_step(&gan.g_opt);
    }
    r->adam_s = (clock_seconds() - t0) / p->steps;
    gan_free(&gan);
    free(order);
}

int gan_bench(const char *out, const char *data, uint64_t seed,
              int threads)
{
    Run run = {.name = "08-gan-mnist bench", .seed = seed, .out = out,
               .data = dataset_dir(data), .threads = threads};
    run_start(&run);
    Dataset ds;
    Error err;
    if (dataset_load_train(run.data, &ds, &err) < 0)
        fatal("%s", err.msg);
    static BenchResult r[BENCH_SIZES];
    for (int i = 0; i < BENCH_SIZES; i++)
        time_steps(&ds, &plans[i], seed, &r[i]);
    /* the most memory real training held; the replays below allocate
     * matrices of their own */
    double peak_mb = run_peak_rss_mb();
    Rng rng;
    rng_seed(&rng, seed);
    for (int i = 0; i < BENCH_SIZES; i++)
        r[i].gemm_s = gemm_replay_seconds(r[i].recorded, r[i].calls,
                                          plans[i].steps, BENCH_BLOCKS,
                                          &rng);

    printf("%6s %6s %9s %9s %9s %10s %9s %8s %7s\n", "batch", "calls",
           "MFLOP", "steps/s", "images/s", "s/epoch", "GEMM-only",
           "ratio", "Adam ms");
    for (int i = 0; i < BENCH_SIZES; i++) {
        double per_epoch = (double)(ds.train_images.count / plans[i].batch);
        printf("%6d %6d %9.1f %9.1f %9.0f %10.1f %9.1f %8.3f %7.2f\n",
               plans[i].batch, r[i].calls, r[i].flop / 1e6,
               1.0 / r[i].step_s, plans[i].batch / r[i].step_s,
               per_epoch * r[i].step_s, 1.0 / r[i].gemm_s,
               r[i].step_s / r[i].gemm_s, 1e3 * r[i].adam_s);
    }
    dataset_free(&ds);
    run_result(&run,
               "steps_per_s_b64=%.1f steps_per_s_b256=%.1f "
               "gemm_ratio_b64=%.3f gemm_ratio_b256=%.3f "
               "images_per_s_b64=%.0f images_per_s_b256=%.0f "
               "gemm_calls=%d peak_rss_mb=%.0f threads=%d kernel=%s",
               1.0 / r[0].step_s, 1.0 / r[1].step_s,
               r[0].step_s / r[0].gemm_s, r[1].step_s / r[1].gemm_s,
               plans[0].batch / r[0].step_s, plans[1].batch / r[1].step_s,
               r[0].calls, peak_mb, threads, blas_kernel());
    return 0;
}
