/* test_ch03_matrices.c - chapter 3: the batched network computes what
 * chapter 2's per-point loops compute, one GEMM for a whole batch gives
 * the same answer as the naive loop, common/mlp.h packages the same
 * pattern, and the run is reproducible and matches the book. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "losses.h"
#include "mat.h"
#include "mlp.h"
#include "rng.h"
#include "toy.h"

#include "../chapters/03-matrices/batchnet.h"
#include "../chapters/03-matrices/bench.h"

#define PROG BIN_DIR "/03-matrices"
#define D BATCHNET_INPUTS
#define H 16          /* the chapter's hidden width */
#define N 32          /* its mini-batch */
#define LAST_BATCH 8  /* 1000 points in batches of 32 leave 8 */
#define EVAL_ROWS 256 /* its evaluation batch */
#define MAP_ROWS 81   /* one row of its probability map */
#define NOISE 0.2f    /* the chapter's moons */
#define SAME 1e-5     /* relative error allowed between two orders of
                         summation of the same float sums */
#define FD_STEP 1e-2f
#define FD_TOLERANCE 1e-3

SCRATCH_FIXTURE

/* A network and a batch of moons to feed it. */
typedef struct {
    BatchNet net;
    float X[N * D], y[N]; /* (N, D), (N) */
    int n;                /* rows in use */
} Fixture;

static void fixture_init(Fixture *f, int n, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    toy_moons(&rng, n, NOISE, f->X, f->y);
    batchnet_init(&f->net, H, N, &rng);
    /* non-zero biases, so that a wrong bias gradient shows */
    for (int k = 0; k < H; k++)
        f->net.layer1.b[k] = rng_range(&rng, -0.5f, 0.5f);
    f->net.layer2.b[0] = 0.25f;
    f->n = n;
}

/* Chapter 2's forward pass, one point at a time, as plain loops over
 * the Dense layers' arrays: the reference the GEMMs must reproduce.
 *   x: (D)   returns z; h: (H) */
static float loop_forward(const BatchNet *net, const float *x, float *h)
{
    const Dense *l1 = &net->layer1, *l2 = &net->layer2;
    float z = l2->b[0];
    for (int k = 0; k < H; k++) {
        float a = l1->b[k];
        for (int j = 0; j < D; j++)
            a += x[j] * l1->W[j * H + k];
        h[k] = tanhf(a);
        z += h[k] * l2->W[k];
    }
    return z;
}

static void test_batched_forward_equals_per_point(void)
{
    Fixture f;
    fixture_init(&f, N, 3);
    float batch[N]; /* (N) */
    memcpy(batch, batchnet_forward(&f.net, f.X, N), sizeof batch);
    float one[N], loop[N]; /* (N) */
    for (int i = 0; i < N; i++) {
        one[i] = batchnet_forward(&f.net, &f.X[i * D], 1)[0];
        float h[H];
        loop[i] = loop_forward(&f.net, &f.X[i * D], h);
    }
    CU_ASSERT_TRUE(rel_error(batch, one, N) < SAME);
    CU_ASSERT_TRUE(rel_error(batch, loop, N) < SAME);
    batchnet_free(&f.net);
}

/* The gradients as four arrays side by side: dW1 (D, H), db1 (H),
 * dW2 (H), db2 (1). */
#define GRADS (D * H + H + H + 1)

static void copy_grads(const BatchNet *net, float *g)
{
    memcpy(g, net->layer1.dW, D * H * sizeof(float));
    memcpy(g + D * H, net->layer1.db, H * sizeof(float));
    memcpy(g + D * H + H, net->layer2.dW, H * sizeof(float));
    g[GRADS - 1] = net->layer2.db[0];
}

/* Chapter 2's backprop for one point, added into g (laid out as in
 * copy_grads); dz is that point's dL/dz. */
static void loop_backward(const BatchNet *net, const float *x, float dz,
                          float *g)
{
    float h[H];
    loop_forward(net, x, h);
    g[GRADS - 1] += dz;
    for (int k = 0; k < H; k++) {
        g[D * H + H + k] += dz * h[k];
        float da = dz * net->layer2.W[k] * (1.0f - h[k] * h[k]);
        g[D * H + k] += da;
        for (int j = 0; j < D; j++)
            g[j * H + k] += da * x[j];
    }
}

static void test_batched_backward_equals_per_point(void)
{
    int sizes[] = {N, LAST_BATCH};
    for (int s = 0; s < 2; s++) {
        Fixture f;
        fixture_init(&f, sizes[s], 5);
        int n = f.n;
        float dz[N]; /* (n) */
        batchnet_zero_grad(&f.net);
        const float *z = batchnet_forward(&f.net, f.X, n);
        bce_logits_loss(z, f.y, (size_t)n, dz);
        batchnet_backward(&f.net, f.X, dz, n);
        float batch[GRADS], one[GRADS], loop[GRADS] = {0};
        copy_grads(&f.net, batch);

        /* one point at a time, each backward adding to the last: the
         * accumulation the gradient contract promises */
        batchnet_zero_grad(&f.net);
        for (int i = 0; i < n; i++) {
            batchnet_forward(&f.net, &f.X[i * D], 1);
            batchnet_backward(&f.net, &f.X[i * D], &dz[i], 1);
            loop_backward(&f.net, &f.X[i * D], dz[i], loop);
        }
        copy_grads(&f.net, one);
        double e1 = rel_error(batch, one, GRADS);
        double e2 = rel_error(batch, loop, GRADS);
        if (e1 >= SAME || e2 >= SAME)
            fprintf(stderr, "\n    n=%d: %.2e %.2e\n", n, e1, e2);
        CU_ASSERT_TRUE(e1 < SAME);
        CU_ASSERT_TRUE(e2 < SAME);
        batchnet_free(&f.net);
    }
}

static double fixture_loss(void *ctx)
{
    Fixture *f = ctx;
    const float *z = batchnet_forward(&f->net, f->X, f->n);
    return bce_logits_loss(z, f->y, (size_t)f->n, NULL);
}

static void check_param(Fixture *f, float *value, const float *grad,
                        size_t size, const char *name)
{
    float *numeric = malloc(size * sizeof(float));
    numeric_gradient(value, size, fixture_loss, f, FD_STEP, numeric);
    double err = rel_error(grad, numeric, size);
    if (err >= FD_TOLERANCE)
        fprintf(stderr, "\n    %s: relative error %.2e\n", name, err);
    CU_ASSERT_TRUE(err < FD_TOLERANCE);
    free(numeric);
}

static void test_gradients_match_finite_differences(void)
{
    Fixture f;
    fixture_init(&f, N, 7);
    float dz[N];
    batchnet_zero_grad(&f.net);
    const float *z = batchnet_forward(&f.net, f.X, N);
    bce_logits_loss(z, f.y, N, dz);
    batchnet_backward(&f.net, f.X, dz, N);
    Dense *l1 = &f.net.layer1, *l2 = &f.net.layer2;
    check_param(&f, l1->W, l1->dW, D * H, "dW1");
    check_param(&f, l1->b, l1->db, H, "db1");
    check_param(&f, l2->W, l2->dW, H, "dW2");
    check_param(&f, l2->b, l2->db, 1, "db2");
    batchnet_free(&f.net);
}

/* common/mlp.h with sizes {D, H, 1}, tanh hidden and no output
 * activation is this chapter's network: same logits, same gradients. */
static void test_mlp_is_the_same_network(void)
{
    Fixture f;
    fixture_init(&f, N, 9);
    Mlp m;
    Rng rng;
    rng_seed(&rng, 1);
    int sizes[] = {D, H, 1};
    mlp_init(&m, 2, sizes, ACT_TANH, ACT_NONE, INIT_XAVIER, N, &rng);
    Dense *ours[] = {&f.net.layer1, &f.net.layer2};
    for (int l = 0; l < 2; l++) {
        memcpy(m.layers[l].W, ours[l]->W,
               (size_t)ours[l]->in * ours[l]->out * sizeof(float));
        memcpy(m.layers[l].b, ours[l]->b, ours[l]->out * sizeof(float));
    }
    float dz[N];
    batchnet_zero_grad(&f.net);
    const float *z = batchnet_forward(&f.net, f.X, N);
    bce_logits_loss(z, f.y, N, dz);
    batchnet_backward(&f.net, f.X, dz, N);
    mlp_zero_grad(&m);
    const float *zm = mlp_forward(&m, f.X, N);
    CU_ASSERT_TRUE(rel_error(z, zm, N) < SAME);
    mlp_backward(&m, dz, NULL, N, GRAD_ACCUMULATE);
    for (int l = 0; l < 2; l++) {
        size_t nw = (size_t)ours[l]->in * ours[l]->out;
        CU_ASSERT_TRUE(rel_error(ours[l]->dW, m.layers[l].dW, nw) < SAME);
        CU_ASSERT_TRUE(rel_error(ours[l]->db, m.layers[l].db,
                                 ours[l]->out) < SAME);
    }
    mlp_free(&m);
    batchnet_free(&f.net);
}

/* max |a - b| / max |b|: the error of a sum relative to its scale */
static double max_rel_diff(const float *a, const float *b, size_t n)
{
    double diff = 0.0, size = 0.0;
    for (size_t i = 0; i < n; i++) {
        diff = fmax(diff, fabs((double)a[i] - b[i]));
        size = fmax(size, fabs((double)b[i]));
    }
    return size > 0.0 ? diff / size : diff;
}

/* Runs one GEMM of the given shape through OpenBLAS and the naive loop
 * on the same random operands (and the same starting C, for beta = 1),
 * and compares. */
static void check_gemm(Trans ta, Trans tb, int m, int n, int k,
                       float beta, Rng *rng)
{
    size_t na = (size_t)m * k, nb = (size_t)k * n, nc = (size_t)m * n;
    float *a = malloc(na * sizeof(float)), *b = malloc(nb * sizeof(float));
    float *c1 = malloc(nc * sizeof(float)), *c2 = malloc(nc * sizeof(float));
    rng_fill_normal(rng, a, (long)na, 0, 1);
    rng_fill_normal(rng, b, (long)nb, 0, 1);
    rng_fill_normal(rng, c1, (long)nc, 0, 1);
    memcpy(c2, c1, nc * sizeof(float));
    int lda = ta ? m : k, ldb = tb ? k : n;
    gemm(ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c1, n);
    gemm_naive(ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c2, n);
    double err = max_rel_diff(c1, c2, nc);
    if (err >= SAME)
        fprintf(stderr, "\n    ta=%d tb=%d m=%d n=%d k=%d: %.2e\n", ta, tb,
                m, n, k, err);
    CU_ASSERT_TRUE(err < SAME);
    free(a);
    free(b);
    free(c1);
    free(c2);
}

/* Every GEMM the chapter's training makes, for each batch size it
 * uses, and the square sizes its benchmark times. */
static void test_blas_equals_naive_on_chapter_shapes(void)
{
    Rng rng;
    rng_seed(&rng, 13);
    int batches[] = {N, LAST_BATCH, EVAL_ROWS, MAP_ROWS};
    int layers[2][2] = {{D, H}, {H, 1}}; /* (in, out) */
    for (int s = 0; s < 4; s++) {
        int n = batches[s];
        for (int l = 0; l < 2; l++) {
            int in = layers[l][0], out = layers[l][1];
            /* forward y = x W + (bias already in y) */
            check_gemm(NO_TRANS, NO_TRANS, n, out, in, 1.0f, &rng);
            /* backward dW += x^T dy */
            check_gemm(TRANS, NO_TRANS, in, out, n, 1.0f, &rng);
            /* backward dx = dy W^T */
            check_gemm(NO_TRANS, TRANS, n, in, out, 0.0f, &rng);
        }
    }
    int squares[] = {16, 32, 64, 96, 128, 192, 256};
    for (int s = 0; s < 7; s++)
        check_gemm(NO_TRANS, NO_TRANS, squares[s], squares[s], squares[s],
                   0.0f, &rng);
}

static void test_bench_measures_and_agrees(void)
{
    Rng rng;
    rng_seed(&rng, 17);
    GemmTiming t;
    bench_gemm(64, true, 1, &rng, &t);
    CU_ASSERT_EQUAL(t.n, 64);
    CU_ASSERT_TRUE(t.naive > 0 && t.blas1 > 0 && t.blas == t.blas1);
    CU_ASSERT_TRUE(t.max_diff < SAME);
    bench_gemm(32, false, 1, &rng, &t);
    CU_ASSERT_EQUAL(t.naive, 0.0);
    CU_ASSERT_TRUE(t.blas1 > 0);
}

/* Runs the program with args, stdout and stderr to files in dir. */
static int run_prog(const char *args)
{
    return run_shell("%s %s --quiet >%s/stdout 2>%s/stderr", PROG, args,
                     dir, dir);
}

static int run_args(const char *sub, const char *args)
{
    char all[4096];
    snprintf(all, sizeof all, "%s --out %s/%s", args, dir, sub);
    return run_prog(all);
}

/* Timings differ from run to run; log.csv must not. */
static void test_same_seed_same_log(void)
{
    const char *common = "--epochs 20 --max-size 32 --threads 2";
    char args[512];
    snprintf(args, sizeof args, "--seed 7 %s", common);
    CU_ASSERT_EQUAL_FATAL(run_args("a", args), 0);
    CU_ASSERT_EQUAL_FATAL(run_args("b", args), 0);
    snprintf(args, sizeof args, "--seed 8 %s", common);
    CU_ASSERT_EQUAL_FATAL(run_args("c", args), 0);
    char *a = scratch_path(dir, "a/log.csv");
    char *b = scratch_path(dir, "b/log.csv");
    char *c = scratch_path(dir, "c/log.csv");
    CU_ASSERT_TRUE(same_file(a, b));
    CU_ASSERT_FALSE(same_file(a, c));
    free(a);
    free(b);
    free(c);
    char *gemm_csv = scratch_path(dir, "a/gemm.csv");
    char *text = read_all(gemm_csv, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_CONTAINS(text, "n,naive loop,OpenBLAS 1 thread,"
                          "OpenBLAS 2 threads\n16,");
    ASSERT_CONTAINS(text, "\n32,");
    free(text);
    free(gemm_csv);
}

static void expect_status(const char *args, int status, const char *msg)
{
    CU_ASSERT_EQUAL(run_prog(args), status);
    char *path = scratch_path(dir, "stderr");
    char *err = read_all(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    if (!contains(err, msg))
        fprintf(stderr, "\n    expected \"%s\" in: %s\n", msg, err);
    CU_ASSERT_TRUE(contains(err, msg));
    free(err);
    free(path);
}

static void test_bad_options(void)
{
    char *bad = scratch_path(dir, "bad");
    char args[4096];
    snprintf(args, sizeof args, "--out %s --batch 0", bad);
    expect_status(args, 2, "--batch must be between 1 and 1000");
    snprintf(args, sizeof args, "--out %s --max-size 8", bad);
    expect_status(args, 2,
                  "--max-size must be 0 (no timing) or at least 16, not 8");
    snprintf(args, sizeof args, "--out %s --max-size 5000", bad);
    expect_status(args, 2, "--max-size must be between 0 and 2048");
    snprintf(args, sizeof args, "--out %s --epochs -1", bad);
    expect_status(args, 2, "--epochs must be between 1 and");
    free(bad);
    char *file = scratch_path(dir, "file");
    write_bytes(file, "x", 1);
    snprintf(args, sizeof args, "--out %s/sub", file);
    expect_status(args, 1, "03-matrices: cannot create directory");
    free(file);
}

/* The book quotes the default run, whose timing goes up to n = 1024;
 * the result line holds only what training computed, so a run that
 * times nothing prints the same line. Other CPUs may round OpenBLAS's
 * sums differently, and 6,400 SGD steps can carry that a little. */
static void test_default_run_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run_shell("%s --max-size 0 --out %s/default "
                                    "--quiet >/dev/null", PROG, dir), 0);
    char *path = scratch_path(dir, "default/result.txt");
    char *result = read_all(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_TRUE(book_result_matches("book/03-matrices.md", 0, result,
                                       "test_accuracy=0.01 test_loss=0.01 "
                                       "train_accuracy=0.01"));
    char *log = scratch_path(dir, "default/log.csv");
    char *text = read_all(log, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_CONTAINS(text, "epoch,train_loss,train_accuracy,test_loss,"
                          "test_accuracy\n0,");
    free(text);
    free(log);
    free(result);
    free(path);
}

void suite_ch03_matrices(void)
{
    CU_pSuite s = CU_add_suite("03-matrices", setup, teardown);
    CU_add_test(s, "batched forward = per-point forward and loops",
                test_batched_forward_equals_per_point);
    CU_add_test(s, "batched backward = sum of per-point backwards",
                test_batched_backward_equals_per_point);
    CU_add_test(s, "batched gradients = finite differences",
                test_gradients_match_finite_differences);
    CU_add_test(s, "common/mlp.h computes the same network",
                test_mlp_is_the_same_network);
    CU_add_test(s, "OpenBLAS = naive loop on the chapter's shapes",
                test_blas_equals_naive_on_chapter_shapes);
    CU_add_test(s, "the benchmark times both and they agree",
                test_bench_measures_and_agrees);
    CU_add_test(s, "same seed, same log.csv byte for byte",
                test_same_seed_same_log);
    CU_add_test(s, "bad options exit 2, an unwritable --out exits 1",
                test_bad_options);
    CU_add_test(s, "the default run prints what the book quotes",
                test_default_run_matches_book);
}
