/* test_ch05_optimizers.c - chapter 5: Adam gets further than plain SGD
 * in the same number of steps; its first step moves every weight by
 * the learning rate; momentum is a running sum of gradients; He
 * initialisation keeps the variance of a deep ReLU stack within a
 * factor of 4 where the small one collapses it and Xavier halves it
 * at every layer; the run is reproducible and matches the book. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "dataset.h"
#include "helpers.h"
#include "optim.h"

#include "../chapters/05-optimizers/trial.h"
#include "../chapters/05-optimizers/variance.h"

#define PROG BIN_DIR "/05-optimizers"
#define DATA DATASET_DEFAULT_DIR
#define DEPTH 20
#define WIDTH 256
#define ROWS 500          /* inputs pushed through the stack */
#define HE_BAND 4.0       /* He: every layer within x4 of the first */
#define SEEDS 5

SCRATCH_FIXTURE

/* ---- initialisation ---- */

/* Var(z) of each layer of the stack, for inputs like pixels in [0, 1]:
 * var (DEPTH) */
static void stack_variance(InitScheme scheme, uint64_t seed, double *var)
{
    Rng rng;
    rng_seed(&rng, seed);
    float *x = xmalloc((size_t)ROWS * CLASSIFIER_INPUT * sizeof(float));
    for (long i = 0; i < (long)ROWS * CLASSIFIER_INPUT; i++)
        x[i] = rng_uniform(&rng);
    relu_depth_variance(scheme, x, ROWS, CLASSIFIER_INPUT, DEPTH, WIDTH,
                        &rng, var);
    free(x);
}

static void test_he_keeps_variance_in_band(void)
{
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        double var[DEPTH];
        stack_variance(INIT_HE, seed, var);
        for (int l = 1; l < DEPTH; l++) {
            double r = var[l] / var[0];
            if (r < 1.0 / HE_BAND || r > HE_BAND)
                fprintf(stderr, "\n    seed %d layer %d: ratio %.3g\n",
                        (int)seed, l + 1, r);
            CU_ASSERT_TRUE(r >= 1.0 / HE_BAND && r <= HE_BAND);
        }
    }
}

static void test_small_init_collapses(void)
{
    double var[DEPTH];
    stack_variance(INIT_SMALL_NORMAL, 1, var);
    CU_ASSERT_TRUE(var[DEPTH - 1] / var[0] < 1e-30);
    /* and at the rate derived: width * 0.01^2 / 2 = 0.0128 per layer */
    double per_layer = pow(var[DEPTH - 1] / var[1], 1.0 / (DEPTH - 2));
    CU_ASSERT_DOUBLE_EQUAL(per_layer, 0.0128, 0.002);
}

static void test_xavier_halves_each_relu_layer(void)
{
    double var[DEPTH];
    stack_variance(INIT_XAVIER, 1, var);
    double per_layer = pow(var[DEPTH - 1] / var[1], 1.0 / (DEPTH - 2));
    CU_ASSERT_DOUBLE_EQUAL(per_layer, 0.5, 0.05);
}

static void test_gain_formula(void)
{
    CU_ASSERT_DOUBLE_EQUAL(relu_layer_gain(INIT_HE, 784, 256), 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(relu_layer_gain(INIT_XAVIER, 256, 256), 0.5,
                           1e-12);
    CU_ASSERT_DOUBLE_EQUAL(relu_layer_gain(INIT_SMALL_NORMAL, 256, 256),
                           0.0128, 1e-9);
    /* and the variance formulas match the weights init.c draws */
    Rng rng;
    rng_seed(&rng, 3);
    enum { IN = 300, OUT = 200 };
    float *w = xmalloc(IN * OUT * sizeof(float));
    const InitScheme all[3] = {INIT_SMALL_NORMAL, INIT_XAVIER, INIT_HE};
    for (int s = 0; s < 3; s++) {
        init_weights(w, IN, OUT, all[s], &rng);
        double sq = 0.0;
        for (int i = 0; i < IN * OUT; i++)
            sq += (double)w[i] * w[i];
        double want = init_weight_variance(all[s], IN, OUT);
        CU_ASSERT_DOUBLE_EQUAL(sq / (IN * OUT) / want, 1.0, 0.02);
    }
    free(w);
}

/* ---- optimisers ---- */

/* A constant gradient g: the velocity v = mu v + g climbs to
 * g (1 - mu^k) / (1 - mu), ten times g for mu = 0.9. */
static void test_momentum_is_a_running_sum(void)
{
    float w = 0.0f, g = 0.5f;
    Param p = {"w", &w, &g, 1, 1};
    Optim o;
    optim_init_momentum(&o, &p, 1, 0.01f, TRIAL_MOMENTUM);
    for (int k = 1; k <= 60; k++) {
        optim_step(&o);
        double want = g * (1 - pow(TRIAL_MOMENTUM, k)) /
                      (1 - TRIAL_MOMENTUM);
        CU_ASSERT_DOUBLE_EQUAL(o.m[0][0], want, 1e-5 * k);
    }
    CU_ASSERT_DOUBLE_EQUAL(o.m[0][0], 10 * g, 0.01);
    optim_free(&o);
}

/* The first bias-corrected step is lr * g / |g|: the same size for a
 * gradient of 1e-5 as for one of 1e3. */
static void test_adam_first_step_is_lr(void)
{
    enum { N = 9 };
    float w[N] = {0}, g[N] = {1e-5f, -1e-4f, 1e-3f, -0.01f, 0.1f, -1.0f,
                              10.0f, -100.0f, 1000.0f};
    Param p = {"w", w, g, 1, N};
    Optim o;
    const float lr = 0.001f;
    optim_init_adam(&o, &p, 1, lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS);
    optim_step(&o);
    for (int i = 0; i < N; i++)
        CU_ASSERT_DOUBLE_EQUAL(w[i], g[i] > 0 ? -lr : lr, lr * 0.01);
    optim_free(&o);
}

static Dataset ds;
static int ds_loaded;

static TrialData small_task(void)
{
    Error err;
    if (!ds_loaded)
        ds_loaded = dataset_load(DATA, &ds, &err) == 0;
    CU_ASSERT_TRUE(ds_loaded);
    return (TrialData){&ds.train_images, &ds.test_images,
                       &ds.train_labels, &ds.test_labels, 3000, 1000};
}

static void test_adam_beats_sgd_on_a_fixed_budget(void)
{
    TrialData td = small_task();
    if (!ds_loaded)
        return;
    TrialBudget b = {1, 300, 64, 100};
    const TrialSpec sgd = {"sgd", INIT_HE, OPTIM_SGD, 0.1f};
    const TrialSpec adam = {"adam", INIT_HE, OPTIM_ADAM, 0.001f};
    float ls[8], la[8];
    AdamTrace trace[TRIAL_TRACE_STEPS];
    Progress p;
    progress_init(&p, 0, 600, true);
    long done = 0;
    TrialResult rs, ra;
    CU_ASSERT_EQUAL_FATAL(trial_log_points(&b), 4);
    CU_ASSERT_EQUAL(trial_run(&sgd, &td, &b, ls, NULL, &p, &done, &rs), 0);
    CU_ASSERT_EQUAL(trial_run(&adam, &td, &b, la, trace, &p, &done, &ra),
                    0);
    CU_ASSERT_EQUAL(done, 600);
    /* the same start: same seed, same He weights */
    CU_ASSERT_EQUAL(ls[0], la[0]);
    if (!(ra.final_loss < rs.final_loss))
        fprintf(stderr, "\n    adam %.4f, sgd %.4f\n", ra.final_loss,
                rs.final_loss);
    CU_ASSERT_TRUE(ra.final_loss < rs.final_loss);
    CU_ASSERT_TRUE(ra.test_accuracy > rs.test_accuracy);
    /* the traced first step: exactly lr; uncorrected, sqrt(1000)/10
     * times as big */
    CU_ASSERT_DOUBLE_EQUAL(fabs(trace[0].step), 0.001, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(trace[0].uncorrected / trace[0].step,
                           sqrt(1000.0) / 10.0, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(trace[0].m_hat, trace[0].g, 1e-6);
}

/* ---- the program ---- */

static int run_prog(const char *sub, const char *args)
{
    return run_shell("%s --data %s --out %s/%s --quiet %s >/dev/null "
                     "2>%s/%s.err", PROG, DATA, dir, sub, args, dir, sub);
}

static void test_same_seed_same_log(void)
{
    const char *args = "--steps 100 --limit 3000 --threads 2";
    char other[128];
    snprintf(other, sizeof other, "%s --seed 2", args);
    CU_ASSERT_EQUAL_FATAL(run_prog("a", args), 0);
    CU_ASSERT_EQUAL_FATAL(run_prog("b", args), 0);
    CU_ASSERT_EQUAL_FATAL(run_prog("c", other), 0);
    const char *files[2] = {"log.csv", "variance.csv"};
    for (int f = 0; f < 2; f++) {
        char name[64];
        snprintf(name, sizeof name, "a/%s", files[f]);
        char *a = scratch_path(dir, name);
        snprintf(name, sizeof name, "b/%s", files[f]);
        char *b = scratch_path(dir, name);
        snprintf(name, sizeof name, "c/%s", files[f]);
        char *c = scratch_path(dir, name);
        CU_ASSERT_TRUE(same_file(a, b));
        CU_ASSERT_FALSE(same_file(a, c));
        free(a);
        free(b);
        free(c);
    }
}

static void test_short_run_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run_prog("book", "--steps 300 --limit 5000 "
                                           "--threads 2"), 0);
    char *path = scratch_path(dir, "book/result.txt");
    char *result = read_all(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_TRUE(book_result_matches(
        "book/05-optimizers.md", 1, result,
        "sgd=0.02 momentum=0.02 adam=0.02 sgd_small=0.02 "
        "sgd_xavier=0.02 adam_test_accuracy=0.01 he_var_ratio=0.01 "
        "xavier_var_ratio=1e-8 small_var_ratio=2e-38"));
    char *log = scratch_path(dir, "book/log.csv");
    char *text = read_all(log, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_CONTAINS(text, "step,sgd,momentum,adam,sgd_small,sgd_xavier\n"
                          "0,");
    free(text);
    free(log);
    free(result);
    free(path);
}

static void test_bad_input(void)
{
    CU_ASSERT_EQUAL(run_shell("%s --depth 0 2>/dev/null", PROG), 2);
    CU_ASSERT_EQUAL(run_shell("%s --steps many 2>/dev/null", PROG), 2);
    CU_ASSERT_EQUAL(run_prog("missing", "--data /nonexistent/folder"), 1);
    char *err = scratch_path(dir, "missing.err");
    char *text = read_all(err, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_CONTAINS(text, "/nonexistent/folder/train-images-idx3-ubyte"
                          "[.gz] not found");
    free(text);
    CU_ASSERT_EQUAL(run_prog("toobig", "--limit 10 --batch 64"), 1);
    free(err);
    err = scratch_path(dir, "toobig.err");
    text = read_all(err, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_CONTAINS(text, "--batch 64 is larger than the 10 training "
                          "images");
    free(text);
    free(err);
}

static int teardown_all(void)
{
    if (ds_loaded)
        dataset_free(&ds);
    ds_loaded = 0;
    return teardown();
}

void suite_ch05_optimizers(void)
{
    CU_pSuite s = CU_add_suite("05-optimizers", setup, teardown_all);
    CU_add_test(s, "He: every layer's Var(z) within x4 of the first",
                test_he_keeps_variance_in_band);
    CU_add_test(s, "small init: Var(z) collapses by 0.0128 per layer",
                test_small_init_collapses);
    CU_add_test(s, "Xavier: Var(z) halves at every ReLU layer",
                test_xavier_halves_each_relu_layer);
    CU_add_test(s, "fan_in Var(w) / 2, and Var(w) of each scheme",
                test_gain_formula);
    CU_add_test(s, "momentum's velocity is a running sum of gradients",
                test_momentum_is_a_running_sum);
    CU_add_test(s, "Adam's first step is lr, whatever the gradient",
                test_adam_first_step_is_lr);
    CU_add_test(s, "Adam beats plain SGD after the same 300 steps",
                test_adam_beats_sgd_on_a_fixed_budget);
    CU_add_test(s, "same seed, same log.csv byte for byte",
                test_same_seed_same_log);
    CU_add_test(s, "the short run prints what the book quotes",
                test_short_run_matches_book);
    CU_add_test(s, "bad options exit 2, bad data and sizes exit 1",
                test_bad_input);
}
