/* test_ch07_gan_2d.c - chapter 7: the GAN's hand-chained gradients are
 * right, a short training run captures more modes than its untrained
 * generator, the program is reproducible, refuses bad options, and
 * prints what the book quotes. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mixture.h"
#include "rng.h"

#include "../chapters/07-gan-2d/gan2d.h"

#define PROG BIN_DIR "/07-gan-2d"
#define TOLERANCE 3e-3 /* relative error of a gradient */
#define FD_STEP 1e-3f
#define SMALL_BATCH 6
#define EVAL 2500
#define SHORT_STEPS 1500

SCRATCH_FIXTURE

/* ---- gradients ------------------------------------------------------ */

typedef struct {
    Gan2d gan;
    float real[SMALL_BATCH * GAN2D_DIM];  /* (N, 2) */
    float z[SMALL_BATCH * GAN2D_LATENT];  /* (N, Z) */
} Case;

/* Mean binary cross-entropy against one label, from the logits, in
 * double: the referee must not share the code it judges. */
static double bce_mean(const float *logits, double label, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        double x = logits[i];
        sum += fmax(x, 0.0) - x * label + log1p(exp(-fabs(x)));
    }
    return sum / n;
}

static double d_loss(void *ctx)
{
    Case *c = ctx;
    const float *fake = mlp_forward(&c->gan.g, c->z, SMALL_BATCH);
    double real = bce_mean(mlp_forward(&c->gan.d, c->real, SMALL_BATCH),
                           1.0, SMALL_BATCH);
    return real + bce_mean(mlp_forward(&c->gan.d, fake, SMALL_BATCH), 0.0,
                           SMALL_BATCH);
}

static double g_loss(void *ctx)
{
    Case *c = ctx;
    const float *fake = mlp_forward(&c->gan.g, c->z, SMALL_BATCH);
    return bce_mean(mlp_forward(&c->gan.d, fake, SMALL_BATCH), 1.0,
                    SMALL_BATCH);
}

static void make_case(Case *c, uint64_t seed)
{
    Gan2dConfig cfg = {.hidden = 8, .layers = 2, .batch = SMALL_BATCH,
                       .lr = 1e-3f, .beta1 = 0.5f};
    Rng rng;
    rng_seed(&rng, seed);
    gan2d_init(&c->gan, &cfg, &rng);
    /* Biases start at 0, and a generator whose hidden units are all
     * off for some z outputs exactly (0, 0): D's first pre-activations
     * then sit exactly on ReLU's kink, where a central difference
     * straddles two slopes. Random biases move every unit off it. */
    Mlp *nets[] = {&c->gan.g, &c->gan.d};
    for (int k = 0; k < 2; k++)
        for (int l = 0; l < nets[k]->nlayers; l++)
            for (int j = 0; j < nets[k]->layers[l].out; j++)
                nets[k]->layers[l].b[j] = rng_range(&rng, -0.5f, 0.5f);
    Mixture ring;
    mixture_ring(&ring);
    mixture_sample(&ring, &rng, c->real, SMALL_BATCH);
    rng_fill_normal(&rng, c->z, SMALL_BATCH * GAN2D_LATENT, 0.0f, 1.0f);
}

/* The worst relative error between params[k].grad and central
 * differences of f, over all n params. */
static double worst_error(Param *params, int n, double (*f)(void *),
                          Case *c)
{
    double worst = 0.0;
    for (int k = 0; k < n; k++) {
        size_t size = param_size(&params[k]);
        float *num = malloc(size * sizeof(float));
        numeric_gradient(params[k].value, size, f, c, FD_STEP, num);
        double e = rel_error(params[k].grad, num, size);
        if (e > worst)
            worst = e;
        free(num);
    }
    return worst;
}

static void test_d_gradients(void)
{
    Case c;
    make_case(&c, 21);
    Gan2dStats st;
    gan2d_d_gradients(&c.gan, c.real, c.z, &st);
    CU_ASSERT_DOUBLE_EQUAL(st.loss_d, d_loss(&c), 1e-5);
    double worst = worst_error(c.gan.d_params, 2 * c.gan.d.nlayers,
                               d_loss, &c);
    if (worst >= TOLERANCE)
        fprintf(stderr, "\n    D: relative error %.2e\n", worst);
    CU_ASSERT_TRUE(worst < TOLERANCE);
    /* it zeroes before it accumulates: twice gives the same gradient */
    Param *w = &c.gan.d_params[0];
    float first = w->grad[1];
    gan2d_d_gradients(&c.gan, c.real, c.z, &st);
    CU_ASSERT_EQUAL(w->grad[1], first);
    gan2d_free(&c.gan);
}

static void test_g_gradients_through_d(void)
{
    Case c;
    make_case(&c, 22);
    /* G's step must leave D's gradients alone */
    Param *dw = &c.gan.d_params[2];
    for (size_t i = 0; i < param_size(dw); i++)
        dw->grad[i] = 0.25f;
    Gan2dStats st;
    gan2d_g_gradients(&c.gan, c.z, &st);
    for (size_t i = 0; i < param_size(dw); i++)
        CU_ASSERT_EQUAL_FATAL(dw->grad[i], 0.25f);
    CU_ASSERT_DOUBLE_EQUAL(st.loss_g, g_loss(&c), 1e-5);
    double worst = worst_error(c.gan.g_params, 2 * c.gan.g.nlayers,
                               g_loss, &c);
    if (worst >= TOLERANCE)
        fprintf(stderr, "\n    G: relative error %.2e\n", worst);
    CU_ASSERT_TRUE(worst < TOLERANCE);
    gan2d_free(&c.gan);
}

/* ---- training ------------------------------------------------------- */

/* Trains the chapter's default GAN for `steps` steps on one target;
 * scores it before and after on the same latent codes. */
static void train(const char *target_name, uint64_t seed, long steps,
                  MixtureScore *before, MixtureScore *after)
{
    Mixture target;
    mixture_parse(target_name, &target);
    Gan2dConfig cfg = GAN2D_DEFAULTS;
    Rng rng;
    rng_seed(&rng, seed);
    Gan2d gan;
    gan2d_init(&gan, &cfg, &rng);
    float *z = malloc(EVAL * GAN2D_LATENT * sizeof(float));
    float *x = malloc(EVAL * GAN2D_DIM * sizeof(float));
    rng_fill_normal(&rng, z, EVAL * GAN2D_LATENT, 0.0f, 1.0f);
    gan2d_generate(&gan, z, x, EVAL);
    mixture_score(&target, x, EVAL, before);
    Gan2dStats st;
    for (long step = 0; step < steps; step++)
        gan2d_step(&gan, &target, &rng, &st);
    gan2d_generate(&gan, z, x, EVAL);
    mixture_score(&target, x, EVAL, after);
    free(z);
    free(x);
    gan2d_free(&gan);
}

static void report(const char *target, const MixtureScore *before,
                   const MixtureScore *after)
{
    fprintf(stderr, "\n    %s: %d modes, %.2f%% HQ untrained; %d modes, "
            "%.2f%% HQ after %d steps", target, before->modes,
            before->high_quality, after->modes, after->high_quality,
            SHORT_STEPS);
}

static void test_training_captures_modes(void)
{
    MixtureScore before, after;
    train("ring", 1, SHORT_STEPS, &before, &after);
    bool better = after.modes > before.modes &&
                  after.high_quality > before.high_quality;
    if (!better)
        report("ring", &before, &after);
    CU_ASSERT_TRUE(better);
    /* the untrained grid generator puts its blob on the centre mode,
     * so only the count of modes is sure to grow this early */
    train("grid", 1, SHORT_STEPS, &before, &after);
    if (after.modes <= before.modes)
        report("grid", &before, &after);
    CU_ASSERT_TRUE(after.modes > before.modes);
}

/* ---- the program ---------------------------------------------------- */

static int run(const char *args, const char *sub)
{
    return run_shell("%s %s --out %s/%s >%s/stdout 2>%s/stderr", PROG,
                     args, dir, sub, dir, dir);
}

static char *output(const char *which)
{
    return scratch_read(dir, which);
}

static bool same(const char *a, const char *b)
{
    return scratch_same(dir, a, b);
}

static void test_same_seed_same_log(void)
{
    const char *args = "--target ring --seeds 2 --steps 300 --threads 1 "
                       "--quiet";
    char more[256];
    CU_ASSERT_EQUAL_FATAL(run(args, "a"), 0);
    CU_ASSERT_EQUAL_FATAL(run(args, "b"), 0);
    snprintf(more, sizeof more, "%s --seed 9", args);
    CU_ASSERT_EQUAL_FATAL(run(more, "c"), 0);
    CU_ASSERT_TRUE(same("a/log.csv", "b/log.csv"));
    CU_ASSERT_TRUE(same("a/seeds.csv", "b/seeds.csv"));
    CU_ASSERT_TRUE(same("a/samples-ring.csv", "b/samples-ring.csv"));
    CU_ASSERT_FALSE(same("a/log.csv", "c/log.csv"));

    char *log = output("a/log.csv");
    ASSERT_CONTAINS(log, "step,target_modes,seed,loss_d,loss_g,d_real,"
                         "d_fake,modes,high_quality\n0,8,1,");
    ASSERT_CONTAINS(log, "\n300,8,2,");
    free(log);
    char *seeds = output("a/seeds.csv");
    ASSERT_CONTAINS(seeds, "target_modes,seed,modes,high_quality\n8,1,");
    ASSERT_CONTAINS(seeds, "\n8,2,");
    free(seeds);
    char *result = output("a/result.txt");
    ASSERT_CONTAINS(result, "result: ring_modes=");
    CU_ASSERT_PTR_NULL(strstr(result, "grid_"));
    free(result);
}

static void expect_usage_error(const char *args, const char *message)
{
    CU_ASSERT_EQUAL(run(args, "bad"), 2);
    char *err = output("stderr");
    ASSERT_CONTAINS(err, message);
    ASSERT_CONTAINS(err, "usage: 07-gan-2d");
    free(err);
}

static void test_bad_options(void)
{
    expect_usage_error("--target moons",
                       "--target: 'moons' is not ring, grid or both");
    expect_usage_error("--seeds 0", "--seeds");
    expect_usage_error("--batch 0", "--batch");
    expect_usage_error("--layers 9", "--layers");
    expect_usage_error("--lr 5", "--lr");
}

static void test_unwritable_output(void)
{
    CU_ASSERT_EQUAL(run_shell("%s --out /dev/null/run --steps 10 --quiet "
                              ">/dev/null 2>%s/stderr", PROG, dir), 1);
    char *err = output("stderr");
    ASSERT_CONTAINS(err, "07-gan-2d: ");
    ASSERT_CONTAINS(err, "/dev/null/run");
    free(err);
}

/* The book's short run: both targets, 2 seeds. Training is chaotic,
 * so another CPU (another OpenBLAS kernel, other rounding) ends in
 * other numbers; the tolerances say how far they may drift. */
static void test_short_run_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run("--steps 2000 --seeds 2 --quiet", "short"),
                          0);
    char *result = output("short/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_TRUE(book_result_matches(
        "book/07-gan-2d.md", 1, result,
        "ring_modes=1.5 ring_modes_sd=1.5 ring_hq=25 ring_hq_sd=25 "
        "grid_modes=4 grid_modes_sd=6 grid_hq=6 grid_hq_sd=5"));
    free(result);
}

void suite_ch07_gan_2d(void)
{
    CU_pSuite s = CU_add_suite("07-gan-2d", setup, teardown);
    CU_add_test(s, "D's gradient (real + fake) = finite differences",
                test_d_gradients);
    CU_add_test(s, "G's gradient through D = finite differences",
                test_g_gradients_through_d);
    CU_add_test(s, "a short run captures more modes than untrained G",
                test_training_captures_modes);
    CU_add_test(s, "same seed, same log.csv byte for byte",
                test_same_seed_same_log);
    CU_add_test(s, "bad options exit 2 with the usage",
                test_bad_options);
    CU_add_test(s, "an unwritable --out exits 1 naming it",
                test_unwritable_output);
    CU_add_test(s, "the short run prints what the book quotes",
                test_short_run_matches_book);
}
