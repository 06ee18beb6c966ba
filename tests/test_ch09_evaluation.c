/* test_ch09_evaluation.c - chapter 9: the classifier score at its two
 * extremes, the Parzen estimate against densities known in closed
 * form, nearest neighbours by GEMM against a plain loop, generators
 * refused when they are not one, and a quick evaluation of tiny
 * trained networks that matches what the book quotes. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "classifier.h"
#include "files.h"
#include "generator.h"
#include "helpers.h"
#include "mlp.h"
#include "rng.h"

#include "../chapters/09-evaluation/evaluate.h"
#include "../chapters/09-evaluation/neighbors.h"
#include "../chapters/09-evaluation/parzen.h"
#include "../chapters/09-evaluation/score.h"

#define PROG BIN_DIR "/09-evaluation"
#define CLASSIFIER_PROG BIN_DIR "/04-classifier"
#define GAN_PROG BIN_DIR "/08-gan-mnist"
#define LOG_2PI 1.8378770664093453

SCRATCH_FIXTURE

/* ---- the classifier score and the class histogram ------------------ */

static void test_score_uniform_confident_is_k(void)
{
    enum { K = 10, N = 1000 };
    float *probs = calloc((size_t)N * K, sizeof(float));
    for (int i = 0; i < N; i++)
        probs[i * K + i % K] = 1.0f; /* certain, every class as often */
    CU_ASSERT_DOUBLE_EQUAL(eval_classifier_score(probs, N, K), K, 1e-9);
    free(probs);
}

static void test_score_constant_is_one(void)
{
    enum { K = 10, N = 500 };
    float *probs = calloc((size_t)N * K, sizeof(float));
    for (int i = 0; i < N; i++)
        probs[i * K + 3] = 1.0f; /* every image certainly class 3 */
    CU_ASSERT_DOUBLE_EQUAL(eval_classifier_score(probs, N, K), 1.0, 1e-12);
    /* every image the same spread-out guess: also 1 */
    for (int i = 0; i < N * K; i++)
        probs[i] = 1.0f / K;
    CU_ASSERT_DOUBLE_EQUAL(eval_classifier_score(probs, N, K), 1.0, 1e-6);
    free(probs);
}

/* Two classes, each image certain, a share q of class 0: the score is
 * exp(entropy of (q, 1 - q)); confident but unbalanced loses. */
static void test_score_unbalanced(void)
{
    enum { K = 2, N = 1000 };
    float probs[N * K];
    for (int i = 0; i < N; i++) {
        probs[2 * i] = i < 800 ? 1.0f : 0.0f;
        probs[2 * i + 1] = 1.0f - probs[2 * i];
    }
    double want = exp(-(0.8 * log(0.8) + 0.2 * log(0.2)));
    CU_ASSERT_DOUBLE_EQUAL(eval_classifier_score(probs, N, K), want, 1e-9);
}

static void test_histogram_missing_over(void)
{
    enum { K = 4 };
    const int classes[10] = {0, 0, 0, 0, 0, 1, 1, 1, 2, 2};
    int counts[K];
    eval_class_histogram(classes, 10, K, counts);
    CU_ASSERT_EQUAL(counts[0], 5);
    CU_ASSERT_EQUAL(counts[3], 0);
    const int real[K] = {25, 25, 25, 25};
    /* shares 0.5, 0.3, 0.2, 0 against 0.25 each */
    CU_ASSERT_EQUAL(eval_missing_classes(counts, 10, real, 100, K), 1);
    CU_ASSERT_EQUAL(eval_over_classes(counts, 10, real, 100, K), 1);
    CU_ASSERT_DOUBLE_EQUAL(eval_class_tv(counts, 10, real, 100, K),
                           0.5 * (0.25 + 0.05 + 0.05 + 0.25), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(eval_class_tv(real, 100, real, 100, K), 0.0,
                           1e-15);
}

/* ---- Parzen windows ------------------------------------------------- */

/* With one sample the density is one Gaussian: exact. */
static void test_parzen_one_sample_exact(void)
{
    enum { D = 5 };
    const float sample[D] = {0.1f, -0.2f, 0.3f, 0.0f, 1.0f};
    const float x[2 * D] = {0.1f, -0.2f, 0.3f, 0.0f, 1.0f,
                            1.0f, 1.0f, 1.0f, 1.0f, 1.0f};
    const double sigmas[2] = {0.5, 2.0};
    double ll[4];
    parzen_log_likelihood(x, 2, sample, 1, D, sigmas, 2, ll);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++) {
            double d2 = 0.0;
            for (int j = 0; j < D; j++)
                d2 += (x[i * D + j] - sample[j]) * (x[i * D + j] - sample[j]);
            double s = sigmas[k];
            double want = -d2 / (2 * s * s) - 0.5 * D * (LOG_2PI + 2 * log(s));
            CU_ASSERT_DOUBLE_EQUAL(ll[i * 2 + k], want, 1e-5);
        }
}

/* A point far from two samples, with a narrow kernel: every term of
 * the sum underflows to 0 in a naive sum; log-sum-exp keeps it exact.
 *   log p = -d1^2/2s^2 + log(1 + exp(-(d2^2 - d1^2)/2s^2)) - log 2
 *           - D/2 log(2 pi s^2) */
static void test_parzen_far_point_is_finite(void)
{
    enum { D = 1 };
    const float samples[2] = {0.0f, 0.001f};
    const float x[1] = {10.0f};
    const double sigma[1] = {0.01};
    double ll;
    parzen_log_likelihood(x, 1, samples, 2, D, sigma, 1, &ll);
    double s2 = 2 * sigma[0] * sigma[0];
    double d1 = (10.0 - 0.001) * (10.0 - 0.001), d2 = 100.0;
    double want = -d1 / s2 + log1p(exp(-(d2 - d1) / s2)) - log(2.0) -
                  0.5 * (LOG_2PI + 2 * log(sigma[0]));
    CU_ASSERT_TRUE(isfinite(ll));
    /* float distances: relative 1e-6 of a number near 5e5 */
    CU_ASSERT_DOUBLE_EQUAL(ll, want, 1.0);
    CU_ASSERT_TRUE(ll < -4.9e5);
}

/* Samples from N(0, I) in 2-D, a kernel of width sigma: as the number
 * of samples grows, the estimate approaches the density of
 * N(0, (1 + sigma^2) I) (the data's spread plus the kernel's). With
 * 100,000 samples, at 200 points drawn from N(0, I), the mean of
 * |estimate - exact| must stay below 0.03 nats and the mean difference
 * below 0.01 (measured over four seeds: 0.010 to 0.012, and at most
 * 0.002; the estimate's relative spread is about 1.5% near the centre
 * and 4% at radius 2). */
static void test_parzen_matches_known_gaussian(void)
{
    enum { D = 2, M = 100000, N = 200 };
    const double sigma[1] = {0.3};
    Rng rng;
    rng_seed(&rng, 17);
    float *samples = malloc((size_t)M * D * sizeof(float));
    float *x = malloc((size_t)N * D * sizeof(float));
    rng_fill_normal(&rng, samples, (long)M * D, 0.0f, 1.0f);
    rng_fill_normal(&rng, x, (long)N * D, 0.0f, 1.0f);
    double *ll = malloc(N * sizeof(double));
    parzen_log_likelihood(x, N, samples, M, D, sigma, 1, ll);
    double var = 1.0 + sigma[0] * sigma[0], gap = 0.0, bias = 0.0;
    for (int i = 0; i < N; i++) {
        double r2 = (double)x[2 * i] * x[2 * i] +
                    (double)x[2 * i + 1] * x[2 * i + 1];
        double exact = -r2 / (2 * var) - 0.5 * D * (LOG_2PI + log(var));
        gap += fabs(ll[i] - exact) / N;
        bias += (ll[i] - exact) / N;
    }
    if (gap >= 0.03 || fabs(bias) >= 0.01)
        fprintf(stderr, "\n    mean |log p - exact| = %.4f, mean "
                "difference %.4f\n", gap, bias);
    CU_ASSERT_TRUE(gap < 0.03);
    CU_ASSERT_TRUE(fabs(bias) < 0.01);
    free(ll);
    free(x);
    free(samples);
}

static void test_parzen_mean_and_grid(void)
{
    const double ll[4] = {1, 10, 3, 20}; /* (2, 2) */
    double mean, se;
    parzen_mean(ll, 2, 2, 1, &mean, &se);
    CU_ASSERT_DOUBLE_EQUAL(mean, 15.0, 1e-12);
    /* std of {10, 20} is sqrt(50); divided by sqrt(2) */
    CU_ASSERT_DOUBLE_EQUAL(se, 5.0, 1e-12);
    double grid[3];
    parzen_sigma_grid(0.1, 1.0, 3, grid);
    CU_ASSERT_DOUBLE_EQUAL(grid[0], 0.1, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(grid[1], sqrt(0.1), 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(grid[2], 1.0, 1e-15);
}

/* ---- nearest neighbours ---------------------------------------------- */

/* More queries and references than one block of each, so that the
 * blocks' edges are crossed; one query is an exact copy of a
 * reference. Rounding may pick another reference at the same
 * distance, so distances are compared, and the index found must be at
 * the smallest distance. */
static void test_nearest_matches_plain_loop(void)
{
    enum { D = 12, NQ = NN_QUERY_BLOCK + 77, NR = NN_REF_BLOCK + 404 };
    Rng rng;
    rng_seed(&rng, 23);
    float *q = malloc((size_t)NQ * D * sizeof(float));
    float *r = malloc((size_t)NR * D * sizeof(float));
    for (long i = 0; i < (long)NQ * D; i++)
        q[i] = rng_uniform(&rng);
    for (long i = 0; i < (long)NR * D; i++)
        r[i] = rng_uniform(&rng);
    const int copy_q = 5, copy_r = NN_REF_BLOCK + 3;
    memcpy(q + copy_q * D, r + copy_r * D, D * sizeof(float));
    float *d2 = malloc(NQ * sizeof(float));
    int *best = malloc(NQ * sizeof(int));
    nn_search(q, NQ, r, NR, D, d2, best);
    double worst = 0.0;
    int wrong = 0;
    for (int i = 0; i < NQ; i++) {
        double min = INFINITY, at_best = 0.0;
        for (int j = 0; j < NR; j++) {
            double s = 0.0;
            for (int k = 0; k < D; k++) {
                double d = (double)q[i * D + k] - r[j * D + k];
                s += d * d;
            }
            if (s < min)
                min = s;
            if (j == best[i])
                at_best = s;
        }
        worst = fmax(worst, fabs(d2[i] - min));
        wrong += at_best > min + 1e-5;
    }
    CU_ASSERT_TRUE(worst < 1e-5);
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT_EQUAL(best[copy_q], copy_r);
    CU_ASSERT_TRUE(d2[copy_q] < 1e-5);
    free(q);
    free(r);
    free(d2);
    free(best);
}

static void test_median(void)
{
    const float odd[5] = {5, 1, 4, 2, 3}, even[4] = {4, 1, 3, 2};
    CU_ASSERT_DOUBLE_EQUAL(eval_median(odd, 5), 3.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(eval_median(even, 4), 2.5, 0.0);
}

/* ---- generators: loaded, sampled, refused --------------------------- */

/* A small generator z(8) -> 16 -> out, saved with the given kind. */
static char *write_generator(const char *name, const char *kind, int out,
                             Activation act)
{
    Rng rng;
    rng_seed(&rng, 2);
    Mlp g;
    const int sizes[3] = {8, 16, out};
    mlp_init(&g, 2, sizes, ACT_RELU, act, INIT_XAVIER, 4, &rng);
    Ckpt c;
    MlpArch arch;
    Param params[2 * MLP_MAX_LAYERS];
    ckpt_init(&c, kind);
    mlp_ckpt_add(&c, &g, "g", &arch, params);
    char *path = scratch_path(dir, name);
    Error err;
    CU_ASSERT_EQUAL(ckpt_save(&c, path, &err), 0);
    ckpt_free(&c);
    mlp_free(&g);
    return path;
}

static char *write_classifier(void)
{
    Rng rng;
    rng_seed(&rng, 4);
    Classifier clf;
    classifier_init(&clf, 16, &rng);
    char *path = scratch_path(dir, "classifier.ckpt");
    Error err;
    CU_ASSERT_EQUAL(classifier_save(&clf, path, &err), 0);
    classifier_free(&clf);
    return path;
}

/* The first half of a file, as an interrupted copy would leave it. */
static char *write_truncated(const char *from, const char *name)
{
    size_t size;
    char *bytes = read_all(from, &size);
    char *path = scratch_path(dir, name);
    write_bytes(path, bytes, size / 2);
    free(bytes);
    return path;
}

static void test_generator_loads_and_draws(void)
{
    char *a = write_generator("g-generator.ckpt", GENERATOR_KIND, 784,
                              ACT_TANH);
    char *b = write_generator("g-state.ckpt", "08-gan-mnist", 784,
                              ACT_TANH);
    Generator g, h;
    Error err;
    CU_ASSERT_EQUAL_FATAL(generator_load(a, 4, &g, &err), 0);
    CU_ASSERT_EQUAL_FATAL(generator_load(b, 4, &h, &err), 0);
    enum { N = 10 };
    float *x = malloc((size_t)N * 784 * sizeof(float));
    float *y = malloc((size_t)N * 784 * sizeof(float));
    generator_draw(&g, 3, N, x);
    generator_draw(&h, 3, N, y);
    bool in_range = true;
    for (int i = 0; i < N * 784; i++)
        in_range = in_range && x[i] >= 0.0f && x[i] <= 1.0f;
    CU_ASSERT_TRUE(in_range);
    /* same weights, same seed: the same images, batch after batch */
    CU_ASSERT_EQUAL(memcmp(x, y, (size_t)N * 784 * sizeof(float)), 0);
    generator_draw(&h, 4, N, y);
    CU_ASSERT_NOT_EQUAL(memcmp(x, y, (size_t)N * 784 * sizeof(float)), 0);
    free(x);
    free(y);
    generator_free(&g);
    generator_free(&h);
    free(a);
    free(b);
}

static void test_bad_generators_refused(void)
{
    char *clf = write_classifier();
    char *good = write_generator("good.ckpt", GENERATOR_KIND, 784, ACT_TANH);
    char *kind = write_generator("kind.ckpt", "optimizer", 784, ACT_TANH);
    char *narrow = write_generator("narrow.ckpt", GENERATOR_KIND, 100,
                                   ACT_TANH);
    char *sigmoid = write_generator("sigmoid.ckpt", GENERATOR_KIND, 784,
                                    ACT_SIGMOID);
    char *cut = write_truncated(good, "cut.ckpt");
    Generator g;
    Error err;
    CU_ASSERT_EQUAL(generator_load(kind, 4, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "is a checkpoint of optimizer, with no "
                             "generator");
    CU_ASSERT_EQUAL(generator_load(clf, 4, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "is a checkpoint of 04-classifier");
    CU_ASSERT_EQUAL(generator_load(narrow, 4, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "draws 100 values");
    CU_ASSERT_EQUAL(generator_load(sigmoid, 4, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "not through a tanh");
    CU_ASSERT_EQUAL(generator_load(cut, 4, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "truncated");

    /* the program: exit 1 with the message, before reading any data */
    struct {
        const char *args, *says;
    } cases[] = {
        {"--ckpt %s/kind.ckpt", "with no generator"},
        {"--ckpt %s/narrow.ckpt", "needs 784 pixels"},
        {"--ckpt %s/cut.ckpt", "truncated"},
        {"--ckpt %s/none.ckpt", "HINT: chapter 8 trains one"},
        {"--ckpt-dir %s/empty", "holds no generator-epoch-NNN.ckpt"},
        {"--ckpt-dir %s/no-such-folder", "cannot open the folder"},
        {"--ckpt %s/good.ckpt --data %s/no-data", "not found"},
        {"--ckpt %s/good.ckpt --classifier %s/good.ckpt",
         "is a checkpoint of generator, not of 04-classifier"},
        {"--ckpt %s/good.ckpt --classifier %s/no-such.ckpt",
         "HINT: chapter 4 trains it"},
        {"--ckpt %s/good.ckpt --samples 20000", "has 10000 test"},
    };
    char *empty = scratch_path(dir, "empty");
    make_dirs(empty, &err);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[1024], cmd[2048];
        snprintf(args, sizeof args, cases[i].args, dir, dir);
        snprintf(cmd, sizeof cmd, "%s --classifier %s --out %s/bad %s",
                 PROG, clf, dir, args);
        int status = run_shell("%s >%s/bad.out 2>&1", cmd, dir);
        char *out_path = scratch_path(dir, "bad.out");
        char *text = read_all(out_path, NULL);
        if (status != 1 || !contains(text, cases[i].says))
            fprintf(stderr, "\n    %s\n    exit %d: %s", args, status, text);
        CU_ASSERT_EQUAL(status, 1);
        CU_ASSERT_TRUE(contains(text, cases[i].says));
        free(text);
        free(out_path);
    }
    CU_ASSERT_EQUAL(run_shell("%s --samples 5 2>/dev/null", PROG), 2);
    CU_ASSERT_EQUAL(run_shell("%s --ckpt a --ckpt-dir b 2>/dev/null",
                              PROG), 2);
    /* --bn-batch: at least 2 samples a batch, and not with --images */
    CU_ASSERT_EQUAL(run_shell("%s --bn-batch 1 2>/dev/null", PROG), 2);
    CU_ASSERT_EQUAL(run_shell("%s --images x.idx --bn-batch 64 "
                              "2>/dev/null", PROG), 2);
    free(empty);
    free(clf);
    free(good);
    free(kind);
    free(narrow);
    free(sigmoid);
    free(cut);
}

/* ---- the quick evaluation the book quotes ----------------------------- */

static char *read_sub(const char *sub)
{
    char *path = scratch_path(dir, sub);
    char *text = read_all(path, NULL);
    free(path);
    return text;
}

static double value_of(const char *result, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, " %s=", key);
    const char *p = strstr(result, pat);
    return p ? atof(p + strlen(pat)) : NAN;
}

/* The book's quick check: chapter 4's short run, chapter 8's short run,
 * then 1,000 samples of that generator. A generator of 100 steps is
 * far from the real images, and every number says so. The tolerances
 * let other CPUs (other OpenBLAS kernels) train slightly different
 * networks; what depends on the data alone (parzen_real,
 * nn_median_test) must match closely. */
static void test_quick_run_matches_book(void)
{
    if (!file_exists(CLASSIFIER_PROG) || !file_exists(GAN_PROG)) {
        fprintf(stderr, "\n    this test runs %s and %s: build with "
                "CHAPTERS including 04-classifier and 08-gan-mnist\n",
                CLASSIFIER_PROG, GAN_PROG);
        CU_FAIL_FATAL("chapters 4 and 8 are not built");
    }
    CU_ASSERT_EQUAL_FATAL(run_shell(
        "%s --limit 5000 --epochs 1 --threads 2 --quiet --out %s/q04 "
        ">/dev/null", CLASSIFIER_PROG, dir), 0);
    CU_ASSERT_EQUAL_FATAL(run_shell(
        "%s --epochs 1 --limit 6400 --threads 2 --quiet --out %s/q08 "
        ">/dev/null", GAN_PROG, dir), 0);
    CU_ASSERT_EQUAL_FATAL(run_shell(
        "%s --ckpt %s/q08/generator-epoch-001.ckpt --classifier "
        "%s/q04/classifier.ckpt --samples 1000 --threads 2 --quiet "
        "--out %s/q09 >/dev/null", PROG, dir, dir, dir), 0);
    char *result = read_sub("q09/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_TRUE(value_of(result, "fcd") >
                   5.0 * value_of(result, "fcd_floor"));
    CU_ASSERT_TRUE(value_of(result, "score") <
                   value_of(result, "score_real"));
    CU_ASSERT_TRUE(value_of(result, "parzen") <
                   value_of(result, "parzen_real"));
    CU_ASSERT_TRUE(value_of(result, "nn_median") >
                   value_of(result, "nn_median_test"));
    CU_ASSERT_TRUE(book_result_matches(
        "book/09-evaluation.md", 0, result,
        "fcd=30 fcd_floor=0.3 score=0.3 score_real=0.2 missing=2 over=1 "
        "class_tv=0.15 parzen=60 parzen_se=1 parzen_real=0.5 "
        "nn_median=0.5 nn_median_test=0.001"));
    char *metrics = read_sub("q09/metrics.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(metrics);
    ASSERT_CONTAINS(metrics, "samples,fcd,fcd_floor,classifier_score,");
    char *classes = read_sub("q09/classes.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(classes);
    ASSERT_CONTAINS(classes, "class,name,generated,test,nn_median,"
                             "nn_median_test\n0,T-shirt/top,");
    char *png = scratch_path(dir, "q09/nearest.png");
    CU_ASSERT_TRUE(file_exists(png));
    free(png);
    free(classes);
    free(metrics);
    free(result);
}

/* --ckpt-dir over the short run's folder: one row per epoch; the same
 * seed gives the same numbers. */
static void test_every_epoch_and_reproducible(void)
{
    for (int i = 0; i < 2; i++)
        CU_ASSERT_EQUAL(run_shell(
            "%s --ckpt-dir %s/q08 --classifier %s/q04/classifier.ckpt "
            "--samples 200 --threads 1 --quiet --out %s/dir%d >/dev/null",
            PROG, dir, dir, dir, i), 0);
    char *a = read_sub("dir0/epochs.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ASSERT_CONTAINS(a, "epoch,fcd,fcd_floor,classifier_score,");
    ASSERT_CONTAINS(a, "\n1,");
    char *pa = scratch_path(dir, "dir0/epochs.csv");
    char *pb = scratch_path(dir, "dir1/epochs.csv");
    CU_ASSERT_TRUE(same_file(pa, pb));
    char *result = read_sub("dir0/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    ASSERT_CONTAINS(result, "best_epoch=1 ");
    ASSERT_CONTAINS(result, "checkpoints=1 samples=200");
    free(result);
    free(pa);
    free(pb);
    free(a);
}

/* An IDX image file of n 28x28 images: image i is training image
 * pick(i) of the default dataset. */
static char *write_idx(const char *name, int n, int (*pick)(int),
                       bool gzip)
{
    Dataset ds;
    Error err;
    CU_ASSERT_EQUAL_FATAL(dataset_load_train(DATASET_DEFAULT_DIR, &ds,
                                             &err), 0);
    size_t size = 16 + (size_t)n * 784;
    unsigned char *b = malloc(size);
    const unsigned char head[16] = {0, 0, 8, 3, (unsigned char)(n >> 24),
                                    (unsigned char)(n >> 16),
                                    (unsigned char)(n >> 8),
                                    (unsigned char)n, 0, 0, 0, 28,
                                    0, 0, 0, 28};
    memcpy(b, head, 16);
    for (int i = 0; i < n; i++)
        memcpy(b + 16 + (size_t)i * 784,
               ds.train_images.pixels + (size_t)pick(i) * 784, 784);
    char *path = scratch_path(dir, name);
    if (gzip)
        write_gzip(path, b, size);
    else
        write_bytes(path, b, size);
    free(b);
    dataset_free(&ds);
    return path;
}

static int each(int i) { return 1000 + i; } /* not the floor's images */
static int first(int i) { (void)i; return 0; }

/* --images scores any program's samples: real images near the floor,
 * one image repeated as one class; a bad file is refused. */
static void test_images_file(void)
{
    char *real = write_idx("real.idx.gz", 500, each, true);
    char *same = write_idx("same.idx", 500, first, false);
    CU_ASSERT_EQUAL_FATAL(run_shell(
        "%s --images %s --classifier %s/q04/classifier.ckpt --samples 500 "
        "--threads 1 --quiet --out %s/img1 >/dev/null", PROG, real, dir,
        dir), 0);
    char *r = read_sub("img1/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    /* real images: an FCD like the floor's, every class, and each its
     * own nearest training image */
    CU_ASSERT_TRUE(value_of(r, "fcd") < 2.0 * value_of(r, "fcd_floor"));
    CU_ASSERT_EQUAL(value_of(r, "missing"), 0);
    CU_ASSERT_EQUAL(value_of(r, "nn_median"), 0);
    ASSERT_CONTAINS(r, "samples=500");
    free(r);
    CU_ASSERT_EQUAL_FATAL(run_shell(
        "%s --images %s --classifier %s/q04/classifier.ckpt --samples 1000 "
        "--threads 1 --quiet --out %s/img2 >/dev/null", PROG, same, dir,
        dir), 0);
    r = read_sub("img2/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(value_of(r, "missing"), 9); /* one class seen */
    CU_ASSERT_TRUE(value_of(r, "score") < 1.01);
    CU_ASSERT_TRUE(value_of(r, "fcd") > 10.0 * value_of(r, "fcd_floor"));
    ASSERT_CONTAINS(r, "samples=500"); /* all the file holds */
    free(r);

    /* a cut file, one of 14x14 images, and --images with --ckpt */
    size_t size;
    char *bytes = read_all(same, &size);
    char *cut = scratch_path(dir, "cut.idx");
    write_bytes(cut, bytes, size / 2);
    bytes[11] = 14;
    bytes[15] = 14;
    char *small = scratch_path(dir, "small.idx");
    write_bytes(small, bytes, 16 + 20 * 196);
    struct {
        const char *file, *extra, *says;
    } bad[] = {{cut, "", "cut.idx"}, {small, "", "small.idx"},
               {same, "--ckpt x.ckpt", "--images scores a file"}};
    for (int i = 0; i < 3; i++) {
        int status = run_shell("%s --images %s %s --classifier "
                               "%s/q04/classifier.ckpt --out %s/imgbad "
                               ">%s/imgbad.out 2>&1", PROG, bad[i].file,
                               bad[i].extra, dir, dir, dir);
        CU_ASSERT_TRUE(status == 1 || status == 2);
        char *out = read_sub("imgbad.out");
        ASSERT_CONTAINS(out, bad[i].says);
        free(out);
    }
    free(bytes);
    free(cut);
    free(small);
    free(real);
    free(same);
}

void suite_ch09_evaluation(void)
{
    CU_pSuite s = CU_add_suite("09-evaluation", setup, teardown);
    CU_add_test(s, "classifier score: uniform and certain = K",
                test_score_uniform_confident_is_k);
    CU_add_test(s, "classifier score: one class, or one guess = 1",
                test_score_constant_is_one);
    CU_add_test(s, "classifier score: unbalanced = exp(entropy)",
                test_score_unbalanced);
    CU_add_test(s, "class histogram, missing, over-represented, TV",
                test_histogram_missing_over);
    CU_add_test(s, "Parzen with one sample = one Gaussian, exactly",
                test_parzen_one_sample_exact);
    CU_add_test(s, "Parzen far from every sample: finite (log-sum-exp)",
                test_parzen_far_point_is_finite);
    CU_add_test(s, "Parzen of N(0, I) samples = N(0, (1 + s^2) I)",
                test_parzen_matches_known_gaussian);
    CU_add_test(s, "Parzen mean, standard error and sigma grid",
                test_parzen_mean_and_grid);
    CU_add_test(s, "nearest neighbours by GEMM = the plain loop",
                test_nearest_matches_plain_loop);
    CU_add_test(s, "median", test_median);
    CU_add_test(s, "generators load from both kinds and draw in [0, 1]",
                test_generator_loads_and_draws);
    CU_add_test(s, "bad generators, classifiers and options refused",
                test_bad_generators_refused);
    CU_add_test(s, "the quick evaluation tells real from generated, "
                   "as the book quotes",
                test_quick_run_matches_book);
    CU_add_test(s, "--images: any program's samples, scored",
                test_images_file);
    CU_add_test(s, "--ckpt-dir: one row per epoch, reproducible",
                test_every_epoch_and_reproducible);
}
