/* test_ch06_gan_1d.c - chapter 6: the 1-D GAN learns its Gaussian,
 * both players' gradients (D's through its two batches, G's through
 * D) equal finite differences, D trained alone approaches D*, the
 * minimax loss saturates where the non-saturating one does not, and
 * the program is reproducible, refuses bad options, and prints what
 * the book quotes. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "losses.h"
#include "mlp.h"
#include "rng.h"

#include "../chapters/06-gan-1d/density.h"
#include "../chapters/06-gan-1d/gan1d.h"

#define PROG BIN_DIR "/06-gan-1d"
#define BOOK "book/06-gan-1d.md"

/* The book's configuration (main.c's defaults). */
#define TARGET_MEAN 4.0f
#define TARGET_STD 1.25f
#define BATCH 128
#define HIDDEN 32
#define LR_G 1e-4f
#define LR_D 5e-4f
#define BETA1 0.5f
#define STEPS 10000
#define DECAY_FROM 0.5f
#define EVAL_SAMPLES 100000

/* The gradient checks: a tiny batch and tiny networks. */
#define TINY_BATCH 3
#define TINY_HIDDEN 5
/* small enough that a nudge rarely carries a sample across one of the
 * LeakyReLU kinks of G and D, large enough to stay above float
 * rounding of a loss near 1 */
#define FD_STEP 3e-4f
#define FD_TOLERANCE 1e-2

SCRATCH_FIXTURE

static Gan1dConfig book_config(void)
{
    return (Gan1dConfig){.target_mean = TARGET_MEAN,
                         .target_std = TARGET_STD, .batch = BATCH,
                         .hidden = HIDDEN, .optim = OPTIM_ADAM,
                         .lr_g = LR_G, .lr_d = LR_D, .beta1 = BETA1,
                         .g_loss = GAN1D_NON_SATURATING,
                         .noise = GAN1D_NOISE_NORMAL,
                         .standardize = true};
}

/* Mean and std of EVAL_SAMPLES fresh samples of G. */
static void g_moments(Gan1d *gan, Rng *rng, double *mean, double *std)
{
    float *z = malloc(EVAL_SAMPLES * GAN1D_Z * sizeof(float));
    float *x = malloc(EVAL_SAMPLES * sizeof(float));
    gan1d_noise(gan, rng, z, EVAL_SAMPLES);
    gan1d_generate(gan, z, x, EVAL_SAMPLES);
    gan1d_moments(x, EVAL_SAMPLES, mean, std);
    free(z);
    free(x);
}

/* The chapter's claim: after the fixed budget, G's samples have the
 * target's mean within 0.1 sigma and its std within 10%. Seed 2, so
 * that a seed other than the book's is held to it. */
static void test_learns_the_target(void)
{
    Gan1dConfig cfg = book_config();
    Rng rng;
    rng_seed(&rng, 2);
    Gan1d gan;
    gan1d_init(&gan, &cfg, &rng);
    double mean0, std0;
    g_moments(&gan, &rng, &mean0, &std0);
    for (long step = 1; step <= STEPS; step++) {
        gan1d_set_lr_scale(&gan, gan1d_lr_scale(step, STEPS, DECAY_FROM));
        gan1d_d_step(&gan, &rng);
        gan1d_g_step(&gan, &rng);
    }
    double mean, std;
    g_moments(&gan, &rng, &mean, &std);
    double mean_err = fabs(mean - TARGET_MEAN) / TARGET_STD;
    double std_err = fabs(std / TARGET_STD - 1.0);
    if (mean_err >= 0.1 || std_err >= 0.1)
        fprintf(stderr, "\n    G: mean %.4f std %.4f (target %g, %g)\n",
                mean, std, TARGET_MEAN, TARGET_STD);
    /* it started far away, so passing means it travelled */
    CU_ASSERT_TRUE(fabs(mean0 - TARGET_MEAN) / TARGET_STD > 2.0);
    CU_ASSERT_TRUE(mean_err < 0.1);
    CU_ASSERT_TRUE(std_err < 0.1);
    gan1d_free(&gan);
}

/* Tiny networks with every bias random, so no unit sits exactly on a
 * LeakyReLU kink, and D's standardisation is not the identity. */
typedef struct {
    Gan1d gan;
    float real[TINY_BATCH];           /* (N, 1) */
    float z[TINY_BATCH * GAN1D_Z];    /* (N, Z) */
} Tiny;

static void tiny_init(Tiny *t, Gan1dGLoss g_loss, uint64_t seed)
{
    Gan1dConfig cfg = {.target_mean = 1.5f, .target_std = 0.8f,
                       .batch = TINY_BATCH, .hidden = TINY_HIDDEN,
                       .optim = OPTIM_ADAM, .lr_g = LR_G, .lr_d = LR_D,
                       .beta1 = BETA1, .g_loss = g_loss,
                       .noise = GAN1D_NOISE_NORMAL, .standardize = true};
    Rng rng;
    rng_seed(&rng, seed);
    gan1d_init(&t->gan, &cfg, &rng);
    Mlp *nets[2] = {&t->gan.g, &t->gan.d};
    for (int k = 0; k < 2; k++)
        for (int l = 0; l < nets[k]->nlayers; l++)
            for (int j = 0; j < nets[k]->layers[l].out; j++)
                nets[k]->layers[l].b[j] = rng_range(&rng, -0.5f, 0.5f);
    gan1d_real(&t->gan, &rng, t->real, TINY_BATCH);
    gan1d_noise(&t->gan, &rng, t->z, TINY_BATCH);
}

/* D's logits for x, computed here from the definitions. */
static const float *d_logits(Tiny *t, const float *x, float *u)
{
    for (int i = 0; i < TINY_BATCH; i++)
        u[i] = (x[i] - t->gan.shift) / t->gan.scale;
    return mlp_forward(&t->gan.d, u, TINY_BATCH);
}

/* L_D = -mean log D(x) - mean log(1 - D(G(z))), forward only. */
static double d_loss(void *ctx)
{
    Tiny *t = ctx;
    float u[TINY_BATCH], fake[TINY_BATCH];
    double loss = bce_logits_loss_const(d_logits(t, t->real, u), 1.0f,
                                        TINY_BATCH, NULL);
    memcpy(fake, mlp_forward(&t->gan.g, t->z, TINY_BATCH), sizeof fake);
    return loss + bce_logits_loss_const(d_logits(t, fake, u), 0.0f,
                                        TINY_BATCH, NULL);
}

/* L_G: -mean log D(G(z)), or mean log(1 - D(G(z))). */
static double g_loss(void *ctx)
{
    Tiny *t = ctx;
    float u[TINY_BATCH], fake[TINY_BATCH];
    memcpy(fake, mlp_forward(&t->gan.g, t->z, TINY_BATCH), sizeof fake);
    const float *logit = d_logits(t, fake, u);
    if (t->gan.cfg.g_loss == GAN1D_NON_SATURATING)
        return bce_logits_loss_const(logit, 1.0f, TINY_BATCH, NULL);
    return -bce_logits_loss_const(logit, 0.0f, TINY_BATCH, NULL);
}

/* The worst relative error over every parameter of `params` between
 * the gradient left in grad and central differences of f. */
static double worst_param_error(Param *params, int n,
                                double (*f)(void *), void *ctx)
{
    double worst = 0.0;
    for (int p = 0; p < n; p++) {
        size_t size = param_size(&params[p]);
        float *analytic = malloc(size * sizeof(float));
        float *numeric = malloc(size * sizeof(float));
        memcpy(analytic, params[p].grad, size * sizeof(float));
        numeric_gradient(params[p].value, size, f, ctx, FD_STEP, numeric);
        double e = rel_error(analytic, numeric, size);
        if (e > worst)
            worst = e;
        free(analytic);
        free(numeric);
    }
    return worst;
}

static bool all_zero(const Param *params, int n)
{
    for (int p = 0; p < n; p++)
        for (size_t i = 0; i < param_size(&params[p]); i++)
            if (params[p].grad[i] != 0.0f)
                return false;
    return true;
}

static void test_d_gradient(void)
{
    Tiny t;
    tiny_init(&t, GAN1D_NON_SATURATING, 61);
    mlp_zero_grad(&t.gan.d);
    mlp_zero_grad(&t.gan.g);
    Gan1dStats s = gan1d_d_backward(&t.gan, t.real, t.z);
    CU_ASSERT_DOUBLE_EQUAL(s.loss, d_loss(&t), 1e-5);
    /* D's step runs G forward only: G's gradients stay zero */
    CU_ASSERT_TRUE(all_zero(t.gan.g_params, t.gan.g_nparams));
    double err = worst_param_error(t.gan.d_params, t.gan.d_nparams, d_loss,
                                   &t);
    if (err >= FD_TOLERANCE)
        fprintf(stderr, "\n    D: relative error %.2e\n", err);
    CU_ASSERT_TRUE(err < FD_TOLERANCE);
    gan1d_free(&t.gan);
}

static void check_g_gradient(Gan1dGLoss loss, uint64_t seed)
{
    Tiny t;
    tiny_init(&t, loss, seed);
    mlp_zero_grad(&t.gan.d);
    mlp_zero_grad(&t.gan.g);
    Gan1dStats s = gan1d_g_backward(&t.gan, t.z);
    CU_ASSERT_DOUBLE_EQUAL(s.loss, g_loss(&t), 1e-5);
    /* G's gradient flows through D but leaves D's gradients alone */
    CU_ASSERT_TRUE(all_zero(t.gan.d_params, t.gan.d_nparams));
    CU_ASSERT_FALSE(all_zero(t.gan.g_params, t.gan.g_nparams));
    double err = worst_param_error(t.gan.g_params, t.gan.g_nparams, g_loss,
                                   &t);
    if (err >= FD_TOLERANCE)
        fprintf(stderr, "\n    G (loss %d): relative error %.2e\n", loss,
                err);
    CU_ASSERT_TRUE(err < FD_TOLERANCE);
    gan1d_free(&t.gan);
}

static void test_g_gradient_non_saturating(void)
{
    check_g_gradient(GAN1D_NON_SATURATING, 62);
}

static void test_g_gradient_minimax(void)
{
    check_g_gradient(GAN1D_MINIMAX, 63);
}

/* D trained alone against a fixed G approaches
 * D* = p_data / (p_data + p_g), measured where both densities are
 * large enough for a histogram to estimate p_g well. */
#define DSTAR_STEPS 3000
#define DSTAR_BINS 40
#define DSTAR_SAMPLES 200000
#define DSTAR_MIN_DENSITY 0.05

static void test_d_approaches_optimal_d(void)
{
    Gan1dConfig cfg = book_config();
    /* a target overlapping the untrained G, so that D* is not 0 or 1 */
    cfg.target_mean = -1.0f;
    cfg.target_std = 1.0f;
    cfg.lr_d = 1e-3f;
    Rng rng;
    rng_seed(&rng, 64);
    Gan1d gan;
    gan1d_init(&gan, &cfg, &rng);
    for (int step = 0; step < DSTAR_STEPS; step++)
        gan1d_d_step(&gan, &rng);

    float *z = malloc(DSTAR_SAMPLES * GAN1D_Z * sizeof(float));
    float *x = malloc(DSTAR_SAMPLES * sizeof(float));
    gan1d_noise(&gan, &rng, z, DSTAR_SAMPLES);
    gan1d_generate(&gan, z, x, DSTAR_SAMPLES);
    double lo = cfg.target_mean - 3 * cfg.target_std;
    double hi = cfg.target_mean + 3 * cfg.target_std;
    double p_g[DSTAR_BINS];
    gan1d_histogram(x, DSTAR_SAMPLES, lo, hi, DSTAR_BINS, p_g);
    double worst = 0.0;
    int compared = 0;
    for (int b = 0; b < DSTAR_BINS; b++) {
        float centre = (float)(lo + (b + 0.5) * (hi - lo) / DSTAR_BINS);
        double p_data = gan1d_normal_pdf(centre, cfg.target_mean,
                                         cfg.target_std);
        if (p_data < DSTAR_MIN_DENSITY || p_g[b] < DSTAR_MIN_DENSITY)
            continue;
        float d;
        gan1d_discriminate(&gan, &centre, &d, 1);
        double gap = fabs(d - gan1d_optimal_d(p_data, p_g[b], 0.0));
        if (gap > worst)
            worst = gap;
        compared++;
    }
    if (worst >= 0.1)
        fprintf(stderr, "\n    |D - D*| up to %.3f over %d bins\n", worst,
                compared);
    CU_ASSERT_TRUE(compared >= DSTAR_BINS / 4);
    CU_ASSERT_TRUE(worst < 0.1);
    free(z);
    free(x);
    gan1d_free(&gan);
}

/* Where D confidently rejects the fakes, the minimax loss
 * log(1 - D(G(z))) gives G almost no gradient; -log D(G(z)) gives a
 * large one. */
#define REJECT_STEPS 500
#define REJECT_TARGET_MEAN 12.0f

static void test_minimax_saturates(void)
{
    Gan1dConfig cfg = book_config();
    Rng rng;
    rng_seed(&rng, 65);
    Gan1d gan;
    /* a target far from the untrained G, so that D can reject every
     * fake with confidence */
    cfg.target_mean = REJECT_TARGET_MEAN;
    gan1d_init(&gan, &cfg, &rng);
    for (int step = 0; step < REJECT_STEPS; step++)
        gan1d_d_step(&gan, &rng);
    gan1d_noise(&gan, &rng, gan.z, BATCH);
    double norm[2];
    const Gan1dGLoss losses[2] = {GAN1D_NON_SATURATING, GAN1D_MINIMAX};
    Gan1dStats s;
    for (int k = 0; k < 2; k++) {
        gan.cfg.g_loss = losses[k];
        mlp_zero_grad(&gan.g);
        s = gan1d_g_backward(&gan, gan.z);
        norm[k] = params_grad_norm(gan.g_params, gan.g_nparams);
    }
    CU_ASSERT_TRUE(s.d_fake < 0.01);
    if (!(norm[1] * 100 < norm[0]))
        fprintf(stderr, "\n    |grad G|: non-saturating %.3g, minimax "
                "%.3g\n", norm[0], norm[1]);
    CU_ASSERT_TRUE(norm[1] * 100 < norm[0]);
    gan1d_free(&gan);
}

static void test_densities(void)
{
    /* a histogram is a density: it integrates to the share inside */
    const float x[5] = {0.1f, 0.2f, 0.6f, 0.7f, 5.0f};
    double density[2];
    gan1d_histogram(x, 5, 0.0, 1.0, 2, density);
    CU_ASSERT_DOUBLE_EQUAL(density[0], 2.0 / (5 * 0.5), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(density[1], 2.0 / (5 * 0.5), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_normal_pdf(4.0, 4.0, 2.0),
                           1.0 / (2.0 * sqrt(2.0 * acos(-1.0))), 1e-12);
    /* D* = 1/2 where the densities agree, 1 where only data lives */
    CU_ASSERT_DOUBLE_EQUAL(gan1d_optimal_d(0.3, 0.3, 0.01), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_optimal_d(0.3, 0.0, 0.01), 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_optimal_d(0.1, 0.3, 0.01), 0.25, 1e-12);
    CU_ASSERT_TRUE(isnan(gan1d_optimal_d(0.001, 0.002, 0.01)));
    /* the normal quantile inverts the distribution function */
    CU_ASSERT_DOUBLE_EQUAL(gan1d_normal_quantile(0.5), 0.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_normal_quantile(0.975), 1.959963985,
                           1e-8);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_normal_quantile(gan1d_normal_cdf(-2.5)),
                           -2.5, 1e-10);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_lr_scale(50, 100, 0.5f), 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_lr_scale(75, 100, 0.5f), 0.5, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_lr_scale(100, 100, 0.5f), 0.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(gan1d_lr_scale(100, 100, 1.0f), 1.0, 0);
}

#define SHORT_STEPS 600

static int run_seed(const char *sub, int seed)
{
    return run_shell("%s --seed %d --steps %d --out %s/%s --quiet "
                     ">/dev/null", PROG, seed, SHORT_STEPS, dir, sub);
}

static void test_same_seed_same_log(void)
{
    CU_ASSERT_EQUAL_FATAL(run_seed("a", 7), 0);
    CU_ASSERT_EQUAL_FATAL(run_seed("b", 7), 0);
    CU_ASSERT_EQUAL_FATAL(run_seed("c", 8), 0);
    const char *files[3] = {"log.csv", "snapshots.csv", "map.csv"};
    for (int f = 0; f < 3; f++) {
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

/* Runs the program with bad arguments; returns its exit status and
 * leaves its stderr in *err (free it). */
static int run_bad(const char *args, char **err)
{
    char *path = scratch_path(dir, "stderr.txt");
    int status = run_shell("%s %s --quiet >/dev/null 2>%s", PROG, args,
                           path);
    *err = read_all(path, NULL);
    free(path);
    return status;
}

static void test_bad_options(void)
{
    char *err;
    CU_ASSERT_EQUAL(run_bad("--g-loss wasserstein", &err), 2);
    ASSERT_CONTAINS(err, "--g-loss must be non-saturating or minimax, "
                         "not 'wasserstein'");
    free(err);
    CU_ASSERT_EQUAL(run_bad("--noise cauchy", &err), 2);
    ASSERT_CONTAINS(err, "--noise must be normal or uniform");
    free(err);
    CU_ASSERT_EQUAL(run_bad("--optim rmsprop", &err), 2);
    ASSERT_CONTAINS(err, "--optim must be adam or sgd");
    free(err);
    CU_ASSERT_EQUAL(run_bad("--target-std 0", &err), 2);
    ASSERT_CONTAINS(err, "--target-std must be between");
    free(err);
    CU_ASSERT_EQUAL(run_bad("--decay-from 1.5", &err), 2);
    ASSERT_CONTAINS(err, "--decay-from must be between");
    free(err);

    /* an output folder that cannot be made: a file stands in its way */
    char *file = scratch_path(dir, "a-file");
    write_bytes(file, "x", 1);
    char args[4096];
    snprintf(args, sizeof args, "--steps 10 --out %s/run", file);
    CU_ASSERT_EQUAL(run_bad(args, &err), 1);
    ASSERT_CONTAINS(err, file);
    free(err);
    free(file);
}

static void test_default_run_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run_shell("%s --out %s/default --quiet "
                                    ">/dev/null", PROG, dir), 0);
    char *path = scratch_path(dir, "default/result.txt");
    char *result = read_all(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    /* OpenBLAS picks its kernels per CPU and a GAN's path is chaotic,
     * so another machine lands elsewhere within the chapter's spread */
    CU_ASSERT_TRUE(book_result_matches(BOOK, 0, result,
                                       "g_mean=0.08 g_std=0.06"));
    char *log = scratch_path(dir, "default/log.csv");
    char *text = read_all(log, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_CONTAINS(text, "step,loss_d,loss_g,d_real,d_fake,g_mean,g_std,"
                          "g_grad\n20,");
    free(text);
    free(log);
    free(result);
    free(path);
}

void suite_ch06_gan_1d(void)
{
    CU_pSuite s = CU_add_suite("06-gan-1d", setup, teardown);
    CU_add_test(s, "G matches the target's mean and std",
                test_learns_the_target);
    CU_add_test(s, "D's gradient (real + fake batches) = finite differences",
                test_d_gradient);
    CU_add_test(s, "G's gradient through D = finite differences",
                test_g_gradient_non_saturating);
    CU_add_test(s, "G's minimax gradient through D = finite differences",
                test_g_gradient_minimax);
    CU_add_test(s, "D trained against a fixed G approaches D*",
                test_d_approaches_optimal_d);
    CU_add_test(s, "the minimax loss saturates, -log D(G(z)) does not",
                test_minimax_saturates);
    CU_add_test(s, "histogram, D*, normal quantile, learning-rate decay",
                test_densities);
    CU_add_test(s, "same seed, same log.csv, snapshots.csv, map.csv",
                test_same_seed_same_log);
    CU_add_test(s, "bad options exit 2, an unwritable folder exits 1",
                test_bad_options);
    CU_add_test(s, "the default run prints what the book quotes",
                test_default_run_matches_book);
}
