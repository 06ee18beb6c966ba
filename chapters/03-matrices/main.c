/* main.c - chapter 3: the two-layer network on matrices, trained by
 * mini-batch SGD; then the naive triple loop timed against OpenBLAS.
 *
 * Part 1 trains chapter 2's network (2 -> H tanh -> 1) on noisy
 * half-moons, a shuffled mini-batch at a time, and measures it on
 * points it never saw. It writes log.csv (losses and accuracies per
 * epoch), the test points, the network's probability over a grid and
 * the figure 03-matrices-training.png.
 * Part 2 times C = A B for square sizes up to --max-size, writes
 * gemm.csv (GFLOP/s, never in log.csv: timings differ run to run) and
 * the figure 03-matrices.png.
 *
 * Adds over chapter 2: matrices, dense layers, mini-batches, OpenBLAS.
 * Leaves out on purpose: other optimisers and initialisations (chapter
 * 5), real data (chapter 4).
 * Build and run: make run-03-matrices   (or build/bin/03-matrices --help)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "activations.h"
#include "cli.h"
#include "csvlog.h"
#include "error.h"
#include "losses.h"
#include "optim.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "run.h"
#include "toy.h"

#include "batchnet.h"
#include "bench.h"

#define TRAIN_POINTS 1000
#define TEST_POINTS 1000
#define MOON_NOISE 0.2f
#define EVAL_BATCH 256        /* rows per forward when evaluating */
#define MAP_LO -2.0f          /* the square the probability map covers */
#define MAP_HI 3.0f
#define GRID_CELLS 80         /* the map is 81 x 81 points */
#define NAIVE_STOP_SECONDS 2.0 /* no naive timing past a size this slow */

/* The sizes timed, up to --max-size. */
static const int bench_sizes[] = {16,  32,  64,  96,   128,  192, 256,
                                  384, 512, 768, 1024, 1536, 2048};
#define BENCH_SIZES (int)(sizeof bench_sizes / sizeof bench_sizes[0])

typedef struct {
    uint64_t seed;
    const char *out;
    int epochs;
    int batch;
    float lr;
    int hidden;
    int max_size;
    int threads;
    bool quiet;
} Config;

typedef struct {
    int count;
    float *X, *y; /* (count, D), (count) */
} Points;

static Points make_moons(int count, Rng *rng)
{
    Points p = {count, xmalloc((size_t)count * BATCHNET_INPUTS *
                               sizeof(float)),
                xmalloc((size_t)count * sizeof(float))};
    toy_moons(rng, count, MOON_NOISE, p.X, p.y);
    return p;
}

// listing: gather
/* Copies the points order[0..n) into a contiguous batch.
 *   Xb: (n, D)   yb: (n) */
static void gather(const Points *p, const int *order, int n, float *Xb,
                   float *yb)
{
    for (int i = 0; i < n; i++) {
        memcpy(&Xb[i * BATCHNET_INPUTS],
               &p->X[order[i] * BATCHNET_INPUTS],
               BATCHNET_INPUTS * sizeof(float));
        yb[i] = p->y[order[i]];
    }
}
// end-listing: gather

static void log_epoch(CsvLog *log, int epoch, BatchNet *net,
                      const Points *train, const Points *test)
{
    float train_loss, train_acc, test_loss, test_acc;
    batchnet_evaluate(net, train->X, train->y, train->count, &train_loss,
                      &train_acc);
    batchnet_evaluate(net, test->X, test->y, test->count, &test_loss,
                      &test_acc);
    csv_row(log, (double[]){epoch, train_loss, train_acc, test_loss,
                            test_acc});
}

/* points-test.csv and map.csv (p over a grid, in gnuplot's blocks) */
static void write_map_files(const Run *run, BatchNet *net,
                            const Points *test)
{
    Error err;
    CsvLog f;
    char *path = run_path(run, "points-test.csv");
    if (csv_open(&f, path, "x1,x2,label", &err) < 0)
        fatal("%s", err.msg);
    for (int i = 0; i < test->count; i++)
        csv_row(&f, (double[]){test->X[2 * i], test->X[2 * i + 1],
                               test->y[i]});
    if (csv_close(&f, &err) < 0)
        fatal("%s", err.msg);
    free(path);

    path = run_path(run, "map.csv");
    if (csv_open(&f, path, "x1,x2,p", &err) < 0)
        fatal("%s", err.msg);
    float cell = (MAP_HI - MAP_LO) / GRID_CELLS;
    float row[(GRID_CELLS + 1) * BATCHNET_INPUTS]; /* (cells, D) */
    for (int a = 0; a <= GRID_CELLS; a++) {
        for (int b = 0; b <= GRID_CELLS; b++) {
            row[2 * b] = MAP_LO + a * cell;
            row[2 * b + 1] = MAP_LO + b * cell;
        }
        const float *z = batchnet_forward(net, row, GRID_CELLS + 1);
        for (int b = 0; b <= GRID_CELLS; b++)
            csv_row(&f, (double[]){row[2 * b], row[2 * b + 1],
                                   sigmoid(z[b])});
        csv_break(&f);
    }
    if (csv_close(&f, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

/* Trains for cfg->epochs passes over train; returns the steps taken. */
static long train(const Config *cfg, BatchNet *net, const Points *train,
                  const Points *test, CsvLog *log, Rng *rng)
{
    Param params[BATCHNET_PARAMS];
    batchnet_params(net, params);
    Optim sgd;
    optim_init_sgd(&sgd, params, BATCHNET_PARAMS, cfg->lr);
    int *order = xmalloc((size_t)train->count * sizeof(int)); /* (count) */
    for (int i = 0; i < train->count; i++)
        order[i] = i;
    float *Xb = xmalloc((size_t)cfg->batch * BATCHNET_INPUTS *
                        sizeof(float));                 /* (N, D) */
    float *yb = xmalloc((size_t)cfg->batch * sizeof(float)); /* (N) */
    float *dz = xmalloc((size_t)cfg->batch * sizeof(float)); /* (N) */
    long per_epoch = (train->count + cfg->batch - 1) / cfg->batch;
    Progress progress;
    progress_init(&progress, 0, per_epoch * cfg->epochs, cfg->quiet);
    long step = 0;
    log_epoch(log, 0, net, train, test);
    for (int epoch = 1; epoch <= cfg->epochs; epoch++) {
        double epoch_loss = 0.0; /* sum over the epoch's points so far */
        // listing: epoch
        rng_shuffle(rng, order, train->count);
        for (int start = 0; start < train->count; start += cfg->batch) {
            int n = train->count - start < cfg->batch
                        ? train->count - start : cfg->batch;
            gather(train, order + start, n, Xb, yb);
            batchnet_zero_grad(net);
            const float *z = batchnet_forward(net, Xb, n);
            float loss = bce_logits_loss(z, yb, (size_t)n, dz);
            batchnet_backward(net, Xb, dz, n);
            optim_step(&sgd);
            // end-listing: epoch
            epoch_loss += (double)loss * n;
            progress_update(&progress, ++step, "epoch %d loss=%.4f",
                            epoch, epoch_loss / (start + n));
        }
        log_epoch(log, epoch, net, train, test);
    }
    progress_end(&progress);
    optim_free(&sgd);
    free(order);
    free(Xb);
    free(yb);
    free(dz);
    return step;
}

/* Times every size up to cfg->max_size, prints a table, writes
 * gemm.csv; returns the last (largest) timing that has a naive one. */
static GemmTiming benchmark(const Config *cfg, const Run *run)
{
    Error err;
    CsvLog csv;
    char *path = run_path(run, "gemm.csv");
    char header[128], many[32];
    snprintf(many, sizeof many, "OpenBLAS %d threads", cfg->threads);
    snprintf(header, sizeof header, "n,naive loop,OpenBLAS 1 thread%s%s",
             cfg->threads > 1 ? "," : "", cfg->threads > 1 ? many : "");
    if (csv_open(&csv, path, header, &err) < 0)
        fatal("%s", err.msg);
    if (!cfg->quiet) {
        printf("GFLOP/s of C = A B, n x n floats (%s)\n",
               openblas_get_config());
        printf("%6s %9s %18s %19s %8s %9s\n", "n", "naive",
               "OpenBLAS 1 thread", cfg->threads > 1 ? many : "",
               "speedup", "max diff");
    }
    Rng rng;
    rng_seed(&rng, cfg->seed);
    bool with_naive = true;
    GemmTiming last = {0};
    for (int s = 0; s < BENCH_SIZES && bench_sizes[s] <= cfg->max_size;
         s++) {
        GemmTiming t;
        bench_gemm(bench_sizes[s], with_naive, cfg->threads, &rng, &t);
        /* the naive loop's time grows like n^3: once one multiply takes
         * seconds, larger sizes would take minutes */
        if (with_naive && t.naive_seconds > NAIVE_STOP_SECONDS)
            with_naive = false;
        double row[4] = {t.n, t.naive > 0 ? t.naive : NAN, t.blas1,
                         t.blas};
        csv_row(&csv, row);
        if (t.naive > 0)
            last = t;
        if (cfg->quiet)
            continue;
        char blas[32] = "";
        if (cfg->threads > 1)
            snprintf(blas, sizeof blas, "%.2f", t.blas);
        if (t.naive > 0)
            printf("%6d %9.2f %18.2f %19s %7.0fx %9.1e\n", t.n, t.naive,
                   t.blas1, blas, t.blas / t.naive, t.max_diff);
        else
            printf("%6d %9s %18.2f %19s\n", t.n, "-", t.blas1, blas);
        fflush(stdout);
    }
    if (csv_close(&csv, &err) < 0)
        fatal("%s", err.msg);
    free(path);
    return last;
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/03-matrices", .epochs = 200,
                  .batch = 32, .lr = 0.2f, .hidden = 16,
                  .max_size = 1024, .threads = cli_default_threads()};
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_EPOCHS(&cfg.epochs),
        {"--batch", OPT_INT, &cfg.batch, "N", "points per mini-batch", 1,
         TRAIN_POINTS},
        {"--lr", OPT_FLOAT, &cfg.lr, "X", "learning rate", 1e-6, 100},
        {"--hidden", OPT_INT, &cfg.hidden, "H", "hidden units", 1, 4096},
        {"--max-size", OPT_INT, &cfg.max_size, "N",
         "largest n timed for C = A B (0: no timing)", 0,
         bench_sizes[BENCH_SIZES - 1]},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "03-matrices",
              "Chapter 2's network on matrices and mini-batches; the "
              "naive loop timed against OpenBLAS.",
              options, sizeof options / sizeof options[0]);
    if (cfg.max_size > 0 && cfg.max_size < bench_sizes[0])
        cli_usage_error("--max-size must be 0 (no timing) or at least "
                        "%d, not %d", bench_sizes[0], cfg.max_size);

    Run run = {.name = "03-matrices", .seed = cfg.seed, .out = cfg.out,
               .threads = cfg.threads, .quiet = cfg.quiet};
    run_start(&run);
    Rng rng;
    rng_seed(&rng, cfg.seed);
    Points train_set = make_moons(TRAIN_POINTS, &rng);
    Points test_set = make_moons(TEST_POINTS, &rng);
    BatchNet net;
    batchnet_init(&net, cfg.hidden,
                  cfg.batch > EVAL_BATCH ? cfg.batch : EVAL_BATCH, &rng);

    Error err;
    CsvLog log;
    char *log_path = run_path(&run, "log.csv");
    if (csv_open(&log, log_path,
                 "epoch,train_loss,train_accuracy,test_loss,"
                 "test_accuracy", &err) < 0)
        fatal("%s", err.msg);
    long steps = train(&cfg, &net, &train_set, &test_set, &log, &rng);
    if (csv_close(&log, &err) < 0)
        fatal("%s", err.msg);
    free(log_path);
    write_map_files(&run, &net, &test_set);

    float train_loss, train_acc, test_loss, test_acc;
    batchnet_evaluate(&net, train_set.X, train_set.y, train_set.count,
                      &train_loss, &train_acc);
    batchnet_evaluate(&net, test_set.X, test_set.y, test_set.count,
                      &test_loss, &test_acc);
    if (!cfg.quiet)
        printf("train: loss %.4f, accuracy %.4f   test: loss %.4f, "
               "accuracy %.4f\n", train_loss, train_acc, test_loss,
               test_acc);
    if (plot_render("03-matrices-training", cfg.out, cfg.quiet, &err) < 0)
        warn("%s", err.msg);

    if (cfg.max_size > 0) {
        GemmTiming big = benchmark(&cfg, &run);
        if (!cfg.quiet && big.naive > 0)
            printf("n = %d: OpenBLAS on %d thread%s is %.0f times the "
                   "naive loop (%.3g s against %.3g s)\n", big.n,
                   cfg.threads, cfg.threads == 1 ? "" : "s",
                   big.blas / big.naive,
                   big.naive_seconds * big.naive / big.blas,
                   big.naive_seconds);
        if (plot_render("03-matrices", cfg.out, cfg.quiet, &err) < 0)
            warn("%s", err.msg);
    }

    run_result(&run,
               "test_accuracy=%.4f test_loss=%.4f train_accuracy=%.4f "
               "epochs=%d batch=%d steps=%ld", test_acc, test_loss,
               train_acc, cfg.epochs, cfg.batch, steps);
    batchnet_free(&net);
    free(train_set.X);
    free(train_set.y);
    free(test_set.X);
    free(test_set.y);
    return 0;
}
