/* test_ch01_neuron.c - chapter 1: one neuron learns AND and OR, its
 * hand-written gradient is right, and its run is reproducible and
 * matches what the book quotes. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rng.h"
#include "toy.h"

#include "../chapters/01-neuron/neuron.h"

#define PROG BIN_DIR "/01-neuron"
#define STEPS 2000
#define LR 1.0f

SCRATCH_FIXTURE

static float train_gate(Gate gate)
{
    float X[8], y[4];
    toy_gate(gate, X, y);
    Neuron n = {{0.1f, -0.2f}, 0.0f};
    for (int step = 0; step < STEPS; step++) {
        Neuron grad;
        neuron_gradient(&n, X, y, 4, &grad);
        neuron_step(&n, &grad, LR);
    }
    return neuron_accuracy(&n, X, y, 4);
}

static void test_learns_and_or(void)
{
    CU_ASSERT_EQUAL(train_gate(GATE_AND), 1.0f);
    CU_ASSERT_EQUAL(train_gate(GATE_OR), 1.0f);
}

typedef struct {
    Neuron n;
    float X[2 * 50], y[50];
} Blobs;

static double blobs_loss(void *ctx)
{
    Blobs *b = ctx;
    return neuron_loss(&b->n, b->X, b->y, 50);
}

static void test_gradient_matches_finite_differences(void)
{
    Blobs b;
    Rng rng;
    rng_seed(&rng, 5);
    toy_blobs(&rng, 50, 1.0f, b.X, b.y);
    b.n = (Neuron){{0.7f, -1.3f}, 0.4f};
    Neuron grad;
    neuron_gradient(&b.n, b.X, b.y, 50, &grad);
    /* Neuron is three floats in a row: w[0], w[1], b */
    float numeric[3];
    numeric_gradient(&b.n.w[0], 3, blobs_loss, &b, 1e-3f, numeric);
    double err = rel_error(&grad.w[0], numeric, 3);
    if (err >= 1e-3)
        fprintf(stderr, "\n    relative error %.2e\n", err);
    CU_ASSERT_TRUE(err < 1e-3);
}

static void test_loss_is_stable(void)
{
    float X[2] = {1, 1}, one = 1, zero = 0;
    Neuron sure = {{60, 60}, 0}; /* z = 120 */
    CU_ASSERT_TRUE(neuron_loss(&sure, X, &one, 1) < 1e-30f);
    CU_ASSERT_DOUBLE_EQUAL(neuron_loss(&sure, X, &zero, 1), 120.0, 1e-3);
    CU_ASSERT_EQUAL(neuron_sigmoid(-200.0f) >= 0.0f, 1);
    CU_ASSERT_FALSE(isnan(neuron_sigmoid(-200.0f)));
}

static int run_seed(const char *sub, int seed)
{
    return run_shell("%s --seed %d --out %s/%s --quiet >/dev/null", PROG,
                     seed, dir, sub);
}

static void test_same_seed_same_log(void)
{
    CU_ASSERT_EQUAL_FATAL(run_seed("a", 7), 0);
    CU_ASSERT_EQUAL_FATAL(run_seed("b", 7), 0);
    CU_ASSERT_EQUAL_FATAL(run_seed("c", 8), 0);
    char *a = scratch_path(dir, "a/log.csv");
    char *b = scratch_path(dir, "b/log.csv");
    char *c = scratch_path(dir, "c/log.csv");
    CU_ASSERT_TRUE(same_file(a, b));
    CU_ASSERT_FALSE(same_file(a, c));
    free(a);
    free(b);
    free(c);
}

static void test_default_run_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run_shell("%s --out %s/default --quiet "
                                    ">/dev/null", PROG, dir), 0);
    char *path = scratch_path(dir, "default/result.txt");
    char *result = read_all(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    ASSERT_CONTAINS(result, "and_accuracy=1.0000 or_accuracy=1.0000");
    CU_ASSERT_TRUE(book_result_matches("book/01-neuron.md", 0, result, ""));
    char *log = scratch_path(dir, "default/log.csv");
    char *text = read_all(log, NULL);
    ASSERT_CONTAINS(text, "step,loss_and,acc_and,loss_or,acc_or,"
                          "loss_blobs,acc_blobs\n0,");
    free(text);
    free(log);
    free(result);
    free(path);
}

void suite_ch01_neuron(void)
{
    CU_pSuite s = CU_add_suite("01-neuron", setup, teardown);
    CU_add_test(s, "learns AND and OR to 100%", test_learns_and_or);
    CU_add_test(s, "hand-written gradient = finite differences",
                test_gradient_matches_finite_differences);
    CU_add_test(s, "loss from the logit is exact at z = 120",
                test_loss_is_stable);
    CU_add_test(s, "same seed, same log.csv byte for byte",
                test_same_seed_same_log);
    CU_add_test(s, "the default run prints what the book quotes",
                test_default_run_matches_book);
}
