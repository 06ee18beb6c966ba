/* test_ch08_gan_mnist.c - chapter 8: the losses by hand, the whole
 * networks' gradients against finite differences, a stopped and
 * resumed run equal to one that never stopped, the means a run
 * stopped inside an epoch reports, Ctrl-C, bad checkpoints refused,
 * and TensorBoard's events: log.csv's numbers, also after a crash, and
 * none with --no-events. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "dataset.h"
#include "files.h"
#include "helpers.h"
#include "rng.h"
#include "tfdecode.h"

#include "../chapters/08-gan-mnist/gan.h"

#define PROG BIN_DIR "/08-gan-mnist"
#define SMALL_TRAIN 640 /* images in the scratch dataset */
#define SMALL_TEST 100

static char *dir;

static int setup(void)
{
    dir = scratch_dir();
    write_default_subset(dir, SMALL_TRAIN, SMALL_TEST); /* runs start fast */
    return 0;
}

static int teardown(void)
{
    remove_tree(dir);
    free(dir);
    return 0;
}

static int run(const char *tag, const char *args)
{
    return run_program(PROG, dir, tag, args);
}

static bool same(const char *a, const char *b)
{
    return same_or_say(dir, a, b);
}

static double softplus(double x) { return log1p(exp(x)); }

/* With D's last layer zeroed and its bias beta, every logit is beta:
 *   loss_d = -log s(beta) - log(1 - s(beta)) = sp(-beta) + sp(beta)
 *   loss_g = -log s(beta) = sp(-beta)
 *   dloss_d/db = (s(beta) - 1) + s(beta), from the real and fake means */
static void test_losses_by_hand(void)
{
    Rng rng;
    rng_seed(&rng, 1);
    Gan gan;
    gan_init(&gan, 2, &rng);
    Dense *last = &gan.d.layers[GAN_LAYERS - 1];
    const double beta = 0.75;
    memset(last->W, 0, (size_t)last->in * sizeof(float));
    last->b[0] = (float)beta;
    for (int i = 0; i < 2 * GAN_PIXELS; i++)
        gan.d_in[i] = rng_range(&rng, -1, 1);
    GanStats s;
    gan_d_gradients(&gan, &rng, &s);
    double sig = 1.0 / (1.0 + exp(-beta));
    CU_ASSERT_DOUBLE_EQUAL(s.loss_d, softplus(-beta) + softplus(beta), 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(s.d_real, sig, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(s.d_fake, sig, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(last->db[0], 2 * sig - 1, 1e-6);
    float db = last->db[0];
    gan_g_gradients(&gan, &rng, &s);
    CU_ASSERT_DOUBLE_EQUAL(s.loss_g, softplus(-beta), 1e-6);
    CU_ASSERT_EQUAL(last->db[0], db); /* G's step leaves D's grads alone */
    gan_free(&gan);
}

typedef struct {
    Gan gan;
    Rng noise; /* the same noise for every evaluation */
    bool d_step;
} Probe;

static double probe_loss(void *ctx)
{
    Probe *p = ctx;
    Rng r = p->noise;
    GanStats s;
    if (p->d_step) {
        gan_d_gradients(&p->gan, &r, &s);
        return s.loss_d;
    }
    gan_g_gradients(&p->gan, &r, &s);
    return s.loss_g;
}

#define PROBES_PER_TENSOR 6

/* For each tensor, compares the analytic gradient with central
 * differences at the coordinates of largest gradient (where float32
 * differences have the most signal). */
static double check_mlp(Probe *p, Mlp *m)
{
    float ana[2 * GAN_LAYERS * PROBES_PER_TENSOR];
    float num[2 * GAN_LAYERS * PROBES_PER_TENSOR];
    int k = 0;
    Param params[2 * MLP_MAX_LAYERS];
    int np = mlp_params(m, "x", params);
    for (int t = 0; t < np; t++) {
        size_t n = param_size(&params[t]);
        float *g = malloc(n * sizeof(float));
        memcpy(g, params[t].grad, n * sizeof(float));
        for (size_t j = 0; j < PROBES_PER_TENSOR && j < n; j++) {
            size_t best = 0;
            for (size_t i = 1; i < n; i++)
                if (fabsf(g[i]) > fabsf(g[best]))
                    best = i;
            ana[k] = g[best];
            numeric_gradient(&params[t].value[best], 1, probe_loss, p,
                             1e-3f, &num[k]);
            if (getenv("GAN_TEST_VERBOSE"))
                fprintf(stderr, "%s[%zu] %g %g\n", params[t].name, best,
                        ana[k], num[k]);
            g[best] = 0.0f;
            k++;
        }
        free(g);
    }
    return rel_error(ana, num, (size_t)k);
}

static void test_gradients_whole_networks(void)
{
    Probe p;
    rng_seed(&p.noise, 2);
    gan_init(&p.gan, 2, &p.noise);
    for (int i = 0; i < 2 * GAN_PIXELS; i++)
        p.gan.d_in[i] = rng_range(&p.noise, -1, 1);
    Rng r = p.noise;
    GanStats s;
    p.d_step = true;
    gan_d_gradients(&p.gan, &r, &s);
    double err_d = check_mlp(&p, &p.gan.d);
    r = p.noise;
    p.d_step = false;
    gan_g_gradients(&p.gan, &r, &s);
    double err_g = check_mlp(&p, &p.gan.g);
    if (err_d >= 2e-2 || err_g >= 2e-2)
        fprintf(stderr, "\n    relative errors: D %.2e, G %.2e\n", err_d,
                err_g);
    CU_ASSERT_TRUE(err_d < 2e-2);
    CU_ASSERT_TRUE(err_g < 2e-2);
    gan_free(&p.gan);
}

static void test_resume_equals_uninterrupted(void)
{
    const char *common = "--limit 640 --batch 32 --seed 3";
    char args[1024];
    snprintf(args, sizeof args, "%s --epochs 2 --out %s/a", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("a", args), 0);
    /* stopped mid-epoch by --steps, then resumed */
    snprintf(args, sizeof args, "%s --steps 27 --out %s/b", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("b1", args), 0);
    snprintf(args, sizeof args, "--resume %s/b/checkpoint.ckpt --epochs 2 "
             "--out %s/b", dir, dir);
    CU_ASSERT_EQUAL_FATAL(run("b2", args), 0);
    /* stopped at an epoch's end, then resumed */
    snprintf(args, sizeof args, "%s --epochs 1 --out %s/c", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("c1", args), 0);
    snprintf(args, sizeof args, "--resume %s/c/checkpoint.ckpt --epochs 2 "
             "--out %s/c", dir, dir);
    CU_ASSERT_EQUAL_FATAL(run("c2", args), 0);
    CU_ASSERT_TRUE(same("a/checkpoint.ckpt", "b/checkpoint.ckpt"));
    CU_ASSERT_TRUE(same("a/log.csv", "b/log.csv"));
    CU_ASSERT_TRUE(same("a/generator-epoch-002.ckpt",
                        "b/generator-epoch-002.ckpt"));
    CU_ASSERT_TRUE(same("a/checkpoint.ckpt", "c/checkpoint.ckpt"));
    CU_ASSERT_TRUE(same("a/log.csv", "c/log.csv"));
    CU_ASSERT_TRUE(same("a/samples-epoch-002.png", "c/samples-epoch-002.png"));
    /* TensorBoard's view of each: the 40 rows of log.csv and a grid
     * per epoch, the resumed runs in two files */
    const char *runs[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        char *out = scratch_path(dir, runs[i]);
        free(assert_events_match_log(dir, out, i ? 2 : 1, 40, 2, 8));
        free(out);
    }
    /* and another seed gives another run */
    snprintf(args, sizeof args, "--limit 640 --batch 32 --seed 4 --epochs 2 "
             "--out %s/d", dir);
    CU_ASSERT_EQUAL_FATAL(run("d", args), 0);
    CU_ASSERT_FALSE(same_file("a/log.csv", "d/log.csv"));
}

/* Runs `args` into dir/<tag>, then checks its result line against its
 * log (see assert_gan_result_means). */
static void expect_means(const char *tag, const char *args, int epochs,
                         int mean_rows, bool whole_epoch)
{
    char line[1024];
    snprintf(line, sizeof line, "%s --out %s/%s", args, dir, tag);
    CU_ASSERT_EQUAL_FATAL(run(tag, line), 0);
    char *out = scratch_path(dir, tag);
    assert_gan_result_means(out, epochs, mean_rows, whole_epoch);
    free(out);
}

static void test_partial_epoch_means(void)
{
    /* 640 images in batches of 32: 20 steps per epoch */
    const char *common = "--limit 640 --batch 32 --seed 5";
    char args[256];
    snprintf(args, sizeof args, "%s --steps 7", common);
    expect_means("p7", args, 0, 7, false);
    snprintf(args, sizeof args, "%s --steps 25", common);
    expect_means("p25", args, 1, 5, false);
    snprintf(args, sizeof args, "%s --epochs 1", common);
    expect_means("e1", args, 1, 20, true);
}

/* The result line up to its speed, which differs from run to run. */
static char *result_before_speed(const char *run_dir)
{
    char name[256];
    snprintf(name, sizeof name, "%s/result.txt", run_dir);
    char *line = scratch_read(dir, name);
    char *speed = line ? strstr(line, " steps_per_s=") : NULL;
    if (speed)
        *speed = '\0';
    return line;
}

/* --no-events writes no event file and changes nothing else. A run
 * that crashed after its checkpoint (here: went on from it to step 3,
 * then was resumed from it again) leaves steps in its event file that
 * the resumed run logs anew; TensorBoard drops them, so what it shows
 * is log.csv, which csv_resume cut back the same way. */
static void test_events(void)
{
    const char *common = "--limit 64 --batch 32 --seed 2"; /* 2 steps an
                                                              epoch */
    char args[1024];
    snprintf(args, sizeof args, "%s --epochs 2 --out %s/ev", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("ev", args), 0);
    snprintf(args, sizeof args, "%s --epochs 2 --no-events --out %s/none",
             common, dir);
    CU_ASSERT_EQUAL_FATAL(run("none", args), 0);
    char *none = scratch_path(dir, "none");
    int files;
    free(events_files(none, &files));
    CU_ASSERT_EQUAL(files, 0);
    CU_ASSERT_TRUE(same("ev/log.csv", "none/log.csv"));
    CU_ASSERT_TRUE(same("ev/checkpoint.ckpt", "none/checkpoint.ckpt"));
    CU_ASSERT_TRUE(same("ev/samples.png", "none/samples.png"));
    char *a = result_before_speed("ev"), *b = result_before_speed("none");
    CU_ASSERT_TRUE(a && b && strcmp(a, b) == 0);
    free(a);
    free(b);
    free(none);
    char *out = scratch_path(dir, "ev");
    free(assert_events_match_log(dir, out, 1, 4, 2, 8));
    free(out);

    snprintf(args, sizeof args, "%s --steps 2 --out %s/crash", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("crash1", args), 0);
    CU_ASSERT_EQUAL_FATAL(run_shell("cp %s/crash/checkpoint.ckpt "
                                    "%s/crash-2.ckpt", dir, dir), 0);
    snprintf(args, sizeof args, "--resume %s/crash-2.ckpt --steps 3 "
             "--out %s/crash", dir, dir);
    CU_ASSERT_EQUAL_FATAL(run("crash2", args), 0);
    snprintf(args, sizeof args, "--resume %s/crash-2.ckpt --epochs 2 "
             "--out %s/crash", dir, dir);
    CU_ASSERT_EQUAL_FATAL(run("crash3", args), 0);
    CU_ASSERT_TRUE(same("ev/log.csv", "crash/log.csv"));
    out = scratch_path(dir, "crash");
    char *report = assert_events_match_log(dir, out, 3, 4, 2, 8);
    /* step 3's five numbers, in the second file */
    if (report)
        CU_ASSERT_EQUAL(result_number(report, "purged"), 5);
    free(report);
    free(out);
}

static void test_sigint_saves_a_checkpoint(void)
{
    check_sigint_resumes(PROG, dir, "--resume");
}

static void expect_failure(const char *tag, const char *args,
                           const char *message)
{
    expect_program_failure(PROG, dir, tag, args, message);
}

static void test_bad_checkpoints_refused(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --steps 2 "
             "--out %s/ok", dir);
    CU_ASSERT_EQUAL_FATAL(run("ok", args), 0);
    char *good = scratch_path(dir, "ok/checkpoint.ckpt");
    size_t size;
    char *bytes = read_all(good, &size);

    char *cut = scratch_path(dir, "cut.ckpt");
    write_bytes(cut, bytes, size / 2);
    snprintf(args, sizeof args, "--resume %s --out %s/x", cut, dir);
    expect_failure("cut", args, "is truncated");

    char *text = scratch_path(dir, "text.ckpt");
    write_bytes(text, "hello\n", 6);
    snprintf(args, sizeof args, "--resume %s --out %s/x", text, dir);
    expect_failure("text", args, "is not a checkpoint");

    snprintf(args, sizeof args, "--resume %s/ok/generator-epoch-001.ckpt "
             "--out %s/x", dir, dir);
    expect_failure("kind", args, "is a checkpoint of generator, not of "
                                 "08-gan-mnist");

    char *other = scratch_path(dir, "classifier.ckpt");
    Ckpt c;
    float w = 1.0f;
    Error err;
    ckpt_init(&c, "04-classifier");
    ckpt_add(&c, "w", CKPT_F32, &w, 1, (uint64_t[]){1});
    CU_ASSERT_EQUAL(ckpt_save(&c, other, &err), 0);
    ckpt_free(&c);
    snprintf(args, sizeof args, "--generate 4 --from %s --out %s/x", other,
             dir);
    expect_failure("from", args, "is a checkpoint of 04-classifier; a "
                                 "generator comes from 08-gan-mnist");
    snprintf(args, sizeof args, "--generate 4 --from %s --out %s/x", cut,
             dir);
    expect_failure("from-cut", args, "is truncated");
    free(bytes);
    free(good);
    free(cut);
    free(text);
    free(other);
}

static void test_nan_stops_and_keeps_the_checkpoint(void)
{
    check_nan_stops(PROG, dir, "d.fc1.b", "training diverged at step 3");
}

static void test_generate_and_interpolate(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --steps 2 "
             "--out %s/gen", dir);
    CU_ASSERT_EQUAL_FATAL(run("gen1", args), 0);
    snprintf(args, sizeof args, "--generate 10 --out %s/gen", dir);
    CU_ASSERT_EQUAL(run("gen2", args), 0);
    snprintf(args, sizeof args, "--interpolate --out %s/gen --from "
             "%s/gen/generator-epoch-001.ckpt", dir, dir);
    CU_ASSERT_EQUAL(run("gen3", args), 0);
    char *a = scratch_path(dir, "gen/generated.png");
    char *b = scratch_path(dir, "gen/interpolation.png");
    CU_ASSERT_TRUE(file_exists(a));
    CU_ASSERT_TRUE(file_exists(b));
    free(a);
    free(b);
    CU_ASSERT_EQUAL(run("gen4", "--generate 0"), 2);
    CU_ASSERT_EQUAL(run("gen5", "--generate 4 --interpolate"), 2);
}

/* The book's line was run with the Haswell kernel; other OpenBLAS
 * kernels sum the products in another order, and after 100 steps of a
 * GAN that moves loss_d by up to 0.06 (SkylakeX 0.343, Prescott
 * 0.328, Sandybridge 0.341 against the book's 0.386). */
static void test_short_run_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run_shell("%s --epochs 1 --limit 6400 --threads 2 "
                                    "--quiet --out %s/book >/dev/null",
                                    PROG, dir), 0);
    char *path = scratch_path(dir, "book/result.txt");
    char *result = read_all(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_TRUE(book_result_matches(
        "book/08-gan-mnist.md", 0, result,
        "loss_d=0.1 loss_g=0.3 d_real=0.02 d_fake=0.02 steps_per_s=1e9 "
        "peak_rss_mb=1e9"));
    free(result);
    free(path);
}

void suite_ch08_gan_mnist(void)
{
    CU_pSuite s = CU_add_suite("08-gan-mnist", setup, teardown);
    CU_add_test(s, "losses and D's bias gradient by hand",
                test_losses_by_hand);
    CU_add_test(s, "D and G gradients = finite differences, whole networks",
                test_gradients_whole_networks);
    CU_add_test(s, "stopped and resumed = never stopped, byte for byte",
                test_resume_equals_uninterrupted);
    CU_add_test(s, "stopped inside an epoch: the result quotes its means",
                test_partial_epoch_means);
    CU_add_test(s, "Ctrl-C: checkpoint, exit 130, resumable",
                test_sigint_saves_a_checkpoint);
    CU_add_test(s, "bad checkpoints refused with a clear message",
                test_bad_checkpoints_refused);
    CU_add_test(s, "a non-finite loss stops; the checkpoint is kept",
                test_nan_stops_and_keeps_the_checkpoint);
    CU_add_test(s, "--generate and --interpolate", test_generate_and_interpolate);
    CU_add_test(s, "TensorBoard events: log.csv's numbers; --no-events",
                test_events);
    CU_add_test(s, "the short run prints what the book quotes",
                test_short_run_matches_book);
}
