/* bench.c - how fast is one training step, next to its GEMMs alone?
 *
 * For each batch size it times real training steps (batch conversion,
 * both networks forward and backward, both Adam updates), records the
 * shapes of every gemm() one step makes, and times those same
 * multiplies alone. Their ratio says how much of a step is spent
 * outside matrix multiplication, which is all a C implementation can
 * still win. Then it takes a step apart (stepparts.h) to say where
 * that rest goes, and how close it is to what memory bandwidth allows.
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
#include "stepparts.h"

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
    double step_s, gemm_s; /* seconds per step, and of its GEMMs alone */
    StepParts parts;
    int calls;
    GemmCall recorded[BENCH_MAX_CALLS];
    double flop;                   /* per step, from the recorded calls */
} BenchResult;

/* Times training steps on real batches and records one step's GEMMs. */
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

    gan_free(&gan);
    free(order);
}

/* The step against its floor: the GEMMs alone plus Adam's bytes at the
 * measured bandwidth, as if nothing else took any time. */
static double floor_ratio(const BenchResult *r)
{
    return r->step_s / (r->gemm_s + step_parts_floor(&r->parts));
}

#define PARTS_ROW(label, expr)                                          \
    do {                                                                \
        printf("  %-38s", label);                                       \
        for (int i = 0; i < BENCH_SIZES; i++)                           \
            printf(" %9.3f", 1e3 * (expr));                             \
        printf("\n");                                                   \
    } while (0)

/* Where each batch size's step goes, in place and part by part alone,
 * and the floor that memory bandwidth sets for Adam. */
static void print_parts(const BenchResult *r)
{
    printf("\nwhere a step goes, ms %19s", "batch");
    for (int i = 0; i < BENCH_SIZES; i++)
        printf(" %9d", plans[i].batch);
    printf("\nin place, whole steps:\n");
    PARTS_ROW("step", r[i].parts.step_s);
    PARTS_ROW("GEMM, timed inside the step", r[i].parts.gemm_s);
    PARTS_ROW("gradients besides their GEMMs",
              r[i].parts.grads_s - r[i].parts.gemm_s);
    PARTS_ROW("Adam, D", r[i].parts.adam_d_s);
    PARTS_ROW("Adam, G", r[i].parts.adam_g_s);
    PARTS_ROW("the rest (batch, loop, clocks)",
              r[i].parts.step_s - r[i].parts.grads_s -
                  r[i].parts.adam_d_s - r[i].parts.adam_g_s);
    printf("alone, each part by itself:\n");
    PARTS_ROW("GEMM, replayed (the ratio's)", r[i].gemm_s);
    double besides[BENCH_SIZES] = {0};
    for (int p = 0; p < PART_COUNT; p++) {
        PARTS_ROW(step_part_names[p], r[i].parts.seconds[p]);
        for (int i = 0; i < BENCH_SIZES; i++)
            if (p != PART_BATCH && p != PART_ADAM_D && p != PART_ADAM_G)
                besides[i] += r[i].parts.seconds[p];
    }
    PARTS_ROW("Adam, D, caches flushed first", r[i].parts.adam_flushed_s[0]);
    PARTS_ROW("Adam, G, caches flushed first", r[i].parts.adam_flushed_s[1]);
    PARTS_ROW("gradients besides GEMMs (sum)", besides[i]);
    PARTS_ROW("floor: Adam's bytes at bandwidth",
              step_parts_floor(&r[i].parts));
    printf("Adam reads and writes %.1f MB a step: its loads and stores "
           "alone run at %.1f GB/s, a copy at %.1f GB/s\n",
           r[0].parts.adam_bytes / 1e6,
           r[0].parts.stream_bytes_per_s / 1e9,
           r[0].parts.copy_bytes_per_s / 1e9);
    for (int i = 0; i < BENCH_SIZES; i++)
        printf("batch %d: step / (GEMM + floor) = %.3f\n", plans[i].batch,
               floor_ratio(&r[i]));
}

/* Takes a step apart (stepparts.h) on a network of its own, which the
 * timing leaves changed. */
static void time_parts(const Dataset *ds, const BenchPlan *p,
                       uint64_t seed, BenchResult *r)
{
    Rng rng;
    rng_seed(&rng, seed);
    Gan gan;
    gan_init(&gan, p->batch, &rng);
    int count = ds->train_images.count;
    int *order = xmalloc((size_t)count * sizeof(int));
    index_identity(order, count);
    rng_shuffle(&rng, order, count);
    step_parts_time(&gan, ds, order, p->steps, BENCH_BLOCKS, &rng,
                    &r->parts);
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
    /* the most memory real training held; the parts and the replays
     * below allocate buffers of their own */
    double peak_mb = run_peak_rss_mb();
    for (int i = 0; i < BENCH_SIZES; i++)
        time_parts(&ds, &plans[i], seed, &r[i]);
    Rng rng;
    rng_seed(&rng, seed);
    for (int i = 0; i < BENCH_SIZES; i++)
        r[i].gemm_s = gemm_replay_seconds(r[i].recorded, r[i].calls,
                                          plans[i].steps, BENCH_BLOCKS,
                                          &rng);

    printf("%6s %6s %9s %9s %9s %10s %9s %8s\n", "batch", "calls",
           "MFLOP", "steps/s", "images/s", "s/epoch", "GEMM-only",
           "ratio");
    for (int i = 0; i < BENCH_SIZES; i++) {
        double per_epoch = (double)(ds.train_images.count / plans[i].batch);
        printf("%6d %6d %9.1f %9.1f %9.0f %10.1f %9.1f %8.3f\n",
               plans[i].batch, r[i].calls, r[i].flop / 1e6,
               1.0 / r[i].step_s, plans[i].batch / r[i].step_s,
               per_epoch * r[i].step_s, 1.0 / r[i].gemm_s,
               r[i].step_s / r[i].gemm_s);
    }
    print_parts(r);
    dataset_free(&ds);
    run_result(&run,
               "steps_per_s_b64=%.1f steps_per_s_b256=%.1f "
               "gemm_ratio_b64=%.3f gemm_ratio_b256=%.3f "
               "images_per_s_b64=%.0f images_per_s_b256=%.0f "
               "floor_ratio_b64=%.3f floor_ratio_b256=%.3f "
               "adam_ms_b64=%.2f bandwidth_gb_s=%.1f "
               "gemm_calls=%d peak_rss_mb=%.0f threads=%d kernel=%s "
               "threading=%s",
               1.0 / r[0].step_s, 1.0 / r[1].step_s,
               r[0].step_s / r[0].gemm_s, r[1].step_s / r[1].gemm_s,
               plans[0].batch / r[0].step_s, plans[1].batch / r[1].step_s,
               floor_ratio(&r[0]), floor_ratio(&r[1]),
               1e3 * (r[0].parts.adam_d_s + r[0].parts.adam_g_s),
               r[0].parts.stream_bytes_per_s / 1e9, r[0].calls, peak_mb,
               threads, blas_kernel(), blas_threading());
    return 0;
}
