/* stepparts.c - a training step taken apart.
 *
 * In place, it makes gan_train_step's four calls (gan.c) with a clock
 * between them. Alone, each part makes the calls the step makes, in the
 * same order and on the same buffers, with GEMMs skipped, so that a
 * part's time is that work as the step does it. Where the two views
 * disagree, the parts cost each other something in place: caches one
 * part leaves cold for the next, threads that cannot get a core.
 */
#include "stepparts.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "losses.h"
#include "mat.h"
#include "parallel.h"
#include "progress.h"

const char *const step_part_names[PART_COUNT] = {
    [PART_BATCH] = "batch: bytes to floats",
    [PART_NOISE] = "noise z",
    [PART_FORWARD] = "forward: bias, activation",
    [PART_LOSS] = "loss and its gradient",
    [PART_BACKWARD] = "backward: activation, bias sums",
    [PART_ADAM_D] = "Adam, D",
    [PART_ADAM_G] = "Adam, G",
};

typedef struct {
    Gan *gan;
    const Dataset *ds;
    const int *order;
    int per_epoch, done;
    Rng *rng;
} PartRun;

static void run_part(StepPart part, PartRun *r)
{
    Gan *gan = r->gan;
    int n = gan->batch;
    switch (part) {
    case PART_BATCH: {
        int at = (r->done++ % r->per_epoch) * n;
        images_to_float(&r->ds->train_images, r->order + at, n, -1.0f,
                        1.0f, gan->d_in);
        break;
    }
    case PART_NOISE:
        rng_fill_normal(r->rng, gan->z, (long)n * GAN_Z, 0.0f, 1.0f);
        rng_fill_normal(r->rng, gan->z, (long)n * GAN_Z, 0.0f, 1.0f);
        break;
    case PART_FORWARD: {
        /* D's step: G on N rows, its fakes copied beside the real
         * rows, D on 2N; G's step: G on N, D on N */
        const float *fake = mlp_forward(&gan->g, gan->z, n);
        memcpy(gan->d_in + (size_t)n * GAN_PIXELS, fake,
               (size_t)n * GAN_PIXELS * sizeof(float));
        mlp_forward(&gan->d, gan->d_in, 2 * n);
        fake = mlp_forward(&gan->g, gan->z, n);
        mlp_forward(&gan->d, fake, n);
        break;
    }
    case PART_LOSS: {
        const float *logits = mlp_layer_output(&gan->d, GAN_LAYERS - 1);
        bce_logits_loss_const(logits, 1.0f, n, gan->dlogits);
        bce_logits_loss_const(logits + n, 0.0f, n, gan->dlogits + n);
        bce_logits_loss_const(logits, 1.0f, n, gan->dlogits);
        break;
    }
    case PART_BACKWARD:
        mlp_backward(&gan->d, gan->dlogits, NULL, 2 * n, GRAD_OVERWRITE);
        mlp_backward(&gan->d, gan->dlogits, gan->dfake, n,
                     GRAD_INPUT_ONLY);
        mlp_backward(&gan->g, gan->dfake, NULL, n, GRAD_OVERWRITE);
        break;
    case PART_ADAM_D:
        optim_step(&gan->d_opt);
        break;
    case PART_ADAM_G:
        optim_step(&gan->g_opt);
        break;
    case PART_COUNT:
        break;
    }
}

static long state_floats(const Optim *o) { return (long)o->offsets[o->nparams]; }

typedef struct {
    float *w, *m, *v, *dst;
    const float *g, *src;
} StreamJob;

static void copy_range(void *ctx, size_t begin, size_t end)
{
    StreamJob *j = ctx;
    memcpy(j->dst + begin, j->src + begin, (end - begin) * sizeof(float));
}

/* Adam's loads (w, g, m, v) and stores (w, m, v), nothing computed */
static void stream_range(void *ctx, size_t begin, size_t end)
{
    StreamJob *j = ctx;
    float *restrict w = j->w, *restrict m = j->m, *restrict v = j->v;
    const float *restrict g = j->g;
    for (size_t i = begin; i < end; i++) {
        m[i] += g[i];
        v[i] += g[i];
        w[i] -= g[i];
    }
}

/* Memory that pushes everything else out of the caches when read. In
 * a real step the 43 products run between two Adam updates of a network
 * and leave its weights, moments and gradients out of cache; a part
 * repeated alone finds them where its last repetition left them, in a
 * cache as large as an EPYC's 32 MB L3. 128 MB is more than the last
 * cache of a laptop or of most servers' sockets. (sysconf's
 * _SC_LEVEL3_CACHE_SIZE is no guide: in a virtual machine it can
 * report the host's L3, 256 MB on the EPYC.) */
#define FLUSH_BYTES ((size_t)128 << 20)
#define FLUSHED_REPS 10 /* per block: each flush reads 128 MB */

/* the sum of the bytes read, kept so that the compiler must read them */
static volatile unsigned flush_sink;

static void flush_caches(const unsigned char *flush)
{
    unsigned sum = 0;
    for (size_t i = 0; i < FLUSH_BYTES; i += 64) /* a byte of every line */
        sum += flush[i];
    flush_sink = sum;
}

/* What best_seconds times: one pass of a ParallelFn over n items, or
 * one Adam update. */
typedef struct {
    size_t n;
    ParallelFn fn;
    StreamJob *job;
    Optim *opt;
} Timed;

static void run_timed(const Timed *t)
{
    if (t->opt)
        optim_step(t->opt);
    else
        parallel_for(t->n, t->fn, t->job);
}

/* The best of `blocks` blocks of `reps` runs of `t`, per run; with
 * `flush` (FLUSH_BYTES of memory), the caches flushed before each run,
 * outside the clock. */
static double best_seconds(const Timed *t, int reps, int blocks,
                           const unsigned char *flush)
{
    double best = 1e30;
    if (flush && reps > FLUSHED_REPS)
        reps = FLUSHED_REPS;
    for (int block = -1; block < blocks; block++) {
        double s = 0;
        for (int i = 0; i < reps; i++) {
            if (flush)
                flush_caches(flush);
            double t0 = clock_seconds();
            run_timed(t);
            s += clock_seconds() - t0;
        }
        s /= reps;
        if (block >= 0 && s < best) /* block -1 only warms up */
            best = s;
    }
    return best;
}

/* The bandwidth of Adam's memory traffic for `weights` weights, and of
 * a copy moving as many bytes, on parallel_for's threads as Adam, from
 * memory: the caches flushed before each pass. */
static void memory_bandwidth(long weights, int reps, int blocks,
                             const unsigned char *flush, StepParts *out)
{
    size_t n = (size_t)weights;
    float *a[4];
    for (int k = 0; k < 4; k++) {
        a[k] = xmalloc(n * sizeof(float));
        for (size_t i = 0; i < n; i++)
            a[k][i] = 1e-3f * (float)(i % 1000);
    }
    StreamJob job = {.w = a[0], .m = a[1], .v = a[2], .g = a[3]};
    Timed stream = {n, stream_range, &job, NULL};
    out->stream_bytes_per_s =
        out->adam_bytes / best_seconds(&stream, reps, blocks, flush);
    /* a copy of 3.5 n floats reads and writes 7 n: Adam's count */
    size_t half = n * 7 / 4;
    float *src = xmalloc(half * sizeof(float));
    float *dst = xmalloc(half * sizeof(float));
    memset(src, 0, half * sizeof(float));
    memset(dst, 0, half * sizeof(float));
    job.src = src;
    job.dst = dst;
    Timed copy = {half, copy_range, &job, NULL};
    out->copy_bytes_per_s =
        2.0 * half * sizeof(float) / best_seconds(&copy, reps, blocks, flush);
    free(src);
    free(dst);
    for (int k = 0; k < 4; k++)
        free(a[k]);
}

/* Whole steps with a clock between gan_train_step's four calls. */
static void time_in_place(PartRun *r, int reps, int blocks, StepParts *out)
{
    Gan *gan = r->gan;
    GanStats stats;
    out->step_s = 1e30;
    for (int block = -1; block < blocks; block++) {
        double grads = 0, adam_d = 0, adam_g = 0;
        gemm_timer_start();
        double t0 = clock_seconds();
        for (int i = 0; i < reps; i++) {
            run_part(PART_BATCH, r);
            double a = clock_seconds();
            gan_d_gradients(gan, r->rng, &stats);
            double b = clock_seconds();
            optim_step(&gan->d_opt);
            double c = clock_seconds();
            gan_g_gradients(gan, r->rng, &stats);
            double d = clock_seconds();
            optim_step(&gan->g_opt);
            double e = clock_seconds();
            grads += (b - a) + (d - c);
            adam_d += c - b;
            adam_g += e - d;
        }
        double step = (clock_seconds() - t0) / reps;
        double gemm = gemm_timer_stop() / reps;
        if (block >= 0 && step < out->step_s) {
            out->step_s = step;
            out->gemm_s = gemm;
            out->grads_s = grads / reps;
            out->adam_d_s = adam_d / reps;
            out->adam_g_s = adam_g / reps;
        }
    }
}

void step_parts_time(Gan *gan, const Dataset *ds, const int *order,
                     int reps, int blocks, Rng *rng, StepParts *out)
{
    PartRun r = {gan, ds, order, ds->train_images.count / gan->batch, 0,
                 rng};
    time_in_place(&r, reps, blocks, out);
    gemm_skip(true);
    for (int part = 0; part < PART_COUNT; part++) {
        double best = 1e30;
        for (int block = -1; block < blocks; block++) {
            double t0 = clock_seconds();
            for (int i = 0; i < reps; i++)
                run_part((StepPart)part, &r);
            double s = (clock_seconds() - t0) / reps;
            if (block >= 0 && s < best)
                best = s;
        }
        out->seconds[part] = best;
    }
    gemm_skip(false);
    /* Adam alone again, from memory, as in a real step */
    unsigned char *flush = xmalloc(FLUSH_BYTES);
    memset(flush, 1, FLUSH_BYTES);
    Timed adam_d = {.opt = &gan->d_opt}, adam_g = {.opt = &gan->g_opt};
    out->adam_flushed_s[0] = best_seconds(&adam_d, reps, blocks, flush);
    out->adam_flushed_s[1] = best_seconds(&adam_g, reps, blocks, flush);
    /* Adam reads w, g, m and v and writes w, m and v: 7 floats */
    long weights = state_floats(&gan->d_opt) + state_floats(&gan->g_opt);
    out->adam_bytes = 7.0 * sizeof(float) * (double)weights;
    memory_bandwidth(weights, reps, blocks, flush, out);
    free(flush);
}

double step_parts_floor(const StepParts *p)
{
    return p->adam_bytes / p->stream_bytes_per_s;
}
