/* test_ch11_cgan.c - chapter 11: the label columns reach both networks
 * and their gradients (and the weights') match finite differences; a
 * short run draws the classes asked for more often than chance; runs
 * are reproducible and resumable, and one stopped inside an epoch
 * reports that epoch's means; bad options and checkpoints are refused
 * with a clear message; TensorBoard's events hold log.csv's numbers,
 * the class grids and the share as asked, and --no-events writes
 * none. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "classifier.h"
#include "dataset.h"
#include "files.h"
#include "helpers.h"
#include "losses.h"
#include "optim.h"
#include "rng.h"
#include "tfdecode.h"

#include "../chapters/11-cgan/cgan.h"

#define PROG BIN_DIR "/11-cgan"
#define SMALL_TRAIN 6400 /* the book's short run trains on these */
#define SMALL_TEST 1000
#define FEW_TEST 5       /* not every class has 2 test images */
#define CLF_IMAGES 6000  /* the test's own judge trains on these */
#define CLF_EPOCHS 3
#define CLF_BATCH 64
#define CLF_LR 1e-3f
#define CHANCE (1.0 / CGAN_CLASSES)

static char *dir;
static double clf_accuracy; /* the test classifier's, on SMALL_TEST */

/* A copy of the first `train` and `test` images of Fashion-MNIST in
 * dir/<name>, so that runs start fast. */
static void write_small_dataset(const Dataset *ds, const char *name,
                                int train, int test)
{
    char *data = scratch_path(dir, name);
    write_dataset_subset(ds, data, train, test);
    free(data);
}

/* The judge: chapter 4's classifier, trained briefly here (Adam, a few
 * epochs on CLF_IMAGES images), so the suite does not depend on a run
 * of chapter 4. Saved to dir/classifier.ckpt. */
static void train_classifier(const Dataset *ds)
{
    Rng rng;
    rng_seed(&rng, 4);
    Classifier clf;
    classifier_init(&clf, CLF_BATCH, &rng);
    Param params[2 * MLP_MAX_LAYERS];
    int np = mlp_params(&clf.net, CLASSIFIER_PREFIX, params);
    Optim opt;
    optim_init_adam(&opt, params, np, CLF_LR, ADAM_BETA1, ADAM_BETA2,
                    ADAM_EPS);
    int order[CLF_IMAGES], labels[CLF_BATCH];
    float x[CLF_BATCH * CGAN_PIXELS];
    float dlogits[CLF_BATCH * CGAN_CLASSES];
    index_identity(order, CLF_IMAGES);
    for (int epoch = 0; epoch < CLF_EPOCHS; epoch++) {
        rng_shuffle(&rng, order, CLF_IMAGES);
        for (int i = 0; i + CLF_BATCH <= CLF_IMAGES; i += CLF_BATCH) {
            images_to_float(&ds->train_images, order + i, CLF_BATCH, 0.0f,
                            1.0f, x);
            labels_gather(&ds->train_labels, order + i, CLF_BATCH,
                          labels);
            const float *logits = classifier_logits(&clf, x, CLF_BATCH);
            softmax_xent_loss(logits, labels, CLF_BATCH, CGAN_CLASSES,
                              dlogits);
            mlp_zero_grad(&clf.net);
            mlp_backward(&clf.net, dlogits, NULL, CLF_BATCH, true);
            optim_step(&opt);
        }
    }
    int right = 0;
    for (int i = 0; i + CLF_BATCH <= SMALL_TEST; i += CLF_BATCH) {
        int idx[CLF_BATCH], said[CLF_BATCH];
        for (int j = 0; j < CLF_BATCH; j++)
            idx[j] = i + j;
        images_to_float(&ds->test_images, idx, CLF_BATCH, 0.0f, 1.0f, x);
        classifier_predict(&clf, x, CLF_BATCH, said);
        for (int j = 0; j < CLF_BATCH; j++)
            right += said[j] == ds->test_labels.labels[i + j];
    }
    clf_accuracy = (double)right / (SMALL_TEST / CLF_BATCH * CLF_BATCH);
    char *path = scratch_path(dir, "classifier.ckpt");
    Error err;
    if (classifier_save(&clf, path, &err) < 0)
        fprintf(stderr, "%s\n", err.msg);
    free(path);
    optim_free(&opt);
    classifier_free(&clf);
}

static int setup(void)
{
    dir = scratch_dir();
    Dataset ds;
    Error err;
    if (dataset_load(DATASET_DEFAULT_DIR, &ds, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 0;
    }
    write_small_dataset(&ds, "data", SMALL_TRAIN, SMALL_TEST);
    /* too few test images for a Gaussian per class */
    write_small_dataset(&ds, "few", SMALL_TRAIN, FEW_TEST);
    train_classifier(&ds);
    dataset_free(&ds);
    return 0;
}

static int teardown(void)
{
    remove_tree(dir);
    free(dir);
    return 0;
}

/* Runs the program on the small data with the test's classifier; its
 * stdout and stderr go to dir/<tag>.out. Returns the exit status. */
static int run(const char *tag, const char *args)
{
    return run_shell("%s --data %s/data --classifier %s/classifier.ckpt "
                     "--threads 1 --quiet %s >%s/%s.out 2>&1", PROG, dir,
                     dir, args, dir, tag);
}

static char *output(const char *tag)
{
    char name[64];
    snprintf(name, sizeof name, "%s.out", tag);
    char *path = scratch_path(dir, name);
    char *text = read_all(path, NULL);
    free(path);
    return text;
}

/* Compares two files of the scratch folder; says so when they differ
 * and should not. */
static bool same_quiet(const char *a, const char *b)
{
    return scratch_same(dir, a, b);
}

static bool same(const char *a, const char *b)
{
    bool s = same_quiet(a, b);
    if (!s)
        fprintf(stderr, "\n    %s and %s differ\n", a, b);
    return s;
}

static void test_label_columns(void)
{
    const int labels[3] = {0, 9, 4};
    float y[3 * CGAN_CLASSES];
    cgan_onehot(labels, 3, 2.5f, y);
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < CGAN_CLASSES; k++)
            CU_ASSERT_EQUAL(y[i * CGAN_CLASSES + k],
                            k == labels[i] ? 2.5f : 0.0f);
    const int width = 4;
    float x[3 * 4], rows[3 * (4 + CGAN_CLASSES)];
    for (int i = 0; i < 3 * width; i++)
        x[i] = (float)i;
    cgan_join(x, width, y, 3, rows);
    for (int i = 0; i < 3; i++) {
        const float *r = rows + i * (width + CGAN_CLASSES);
        CU_ASSERT_EQUAL(memcmp(r, x + i * width, sizeof(float) * width), 0);
        CU_ASSERT_EQUAL(memcmp(r + width, y + i * CGAN_CLASSES,
                               sizeof(float) * CGAN_CLASSES), 0);
    }
}

/* A Cgan of batch 2 whose inputs are all set: real images in [-1, 1],
 * real labels 3 and 7, fresh noise and classes for the fakes. */
static void tiny_cgan(Cgan *c, float label_scale, Rng *rng)
{
    cgan_init(c, 2, label_scale, rng);
    for (int i = 0; i < 2 * CGAN_PIXELS; i++)
        c->real[i] = rng_range(rng, -1, 1);
    cgan_onehot((const int[]){3, 7}, 2, c->label_scale, c->real_y);
    cgan_draw(c, rng);
}

static void test_label_reaches_both_networks(void)
{
    Rng rng;
    rng_seed(&rng, 3);
    Cgan c;
    tiny_cgan(&c, CGAN_LABEL_SCALE, &rng);
    /* the same noise asked for two classes gives two images */
    float z[2 * CGAN_Z], x[2 * CGAN_PIXELS];
    rng_fill_normal(&rng, z, CGAN_Z, 0.0f, 1.0f);
    memcpy(z + CGAN_Z, z, CGAN_Z * sizeof(float));
    cgan_generate(cgan_generator(&c), z, (const int[]){1, 8}, 2, x);
    CU_ASSERT_NOT_EQUAL(memcmp(x, x + CGAN_PIXELS,
                               CGAN_PIXELS * sizeof(float)), 0);
    /* D sees each row with its label: real rows with real_y, fake rows
     * with the classes G was asked for */
    CganStats s;
    cgan_d_gradients(&c, &s, NULL);
    for (int i = 0; i < 2; i++) {
        const float *real_row = c.d_in + (size_t)i * CGAN_D_IN;
        const float *fake_row = c.d_in + (size_t)(2 + i) * CGAN_D_IN;
        CU_ASSERT_EQUAL(memcmp(real_row + CGAN_PIXELS,
                               c.real_y + i * CGAN_CLASSES,
                               CGAN_CLASSES * sizeof(float)), 0);
        CU_ASSERT_EQUAL(memcmp(fake_row + CGAN_PIXELS,
                               c.fake_y + i * CGAN_CLASSES,
                               CGAN_CLASSES * sizeof(float)), 0);
        CU_ASSERT_EQUAL(memcmp(c.g_in + (size_t)i * CGAN_G_IN + CGAN_Z,
                               c.fake_y + i * CGAN_CLASSES,
                               CGAN_CLASSES * sizeof(float)), 0);
    }
    /* a real image with another label gets another verdict from D */
    float before = s.d_real;
    cgan_onehot((const int[]){5, 1}, 2, c.label_scale, c.real_y);
    cgan_d_gradients(&c, &s, NULL);
    CU_ASSERT_NOT_EQUAL(before, s.d_real);
    cgan_free(&c);
}

typedef struct {
    Cgan c;
    bool d_step; /* D's loss, else G's */
} Probe;

static double probe_loss(void *ctx)
{
    Probe *p = ctx;
    CganStats s;
    if (p->d_step) {
        cgan_d_gradients(&p->c, &s, NULL);
        return s.loss_d;
    }
    cgan_g_gradients(&p->c, &s, NULL);
    return s.loss_g;
}

#define GRAD_H 1e-3f
/* The gradients do not depend on the label scale; with 1 a step of h
 * in a label row's weight moves fewer ReLUs across their kink than
 * with 10, where the finite differences lose accuracy. */
#define CHECK_SCALE 1.0f
#define GRAD_TOL 2e-2     /* float32 differences through five layers */

/* Prints the errors when they fail, or always with GAN_TEST_VERBOSE. */
static void report_errors(double err_d, double err_g)
{
    if (err_d >= GRAD_TOL || err_g >= GRAD_TOL ||
        getenv("GAN_TEST_VERBOSE"))
        fprintf(stderr, "\n    relative errors: D %.2e, G %.2e\n", err_d,
                err_g);
}

#define PROBES_PER_TENSOR 6

/* The `count` coordinates of largest |g| in g[first .. first + n),
 * zeroed in g as they are taken.   picks: (count) */
static void largest(float *g, size_t first, size_t n, int count,
                    size_t *picks)
{
    for (int j = 0; j < count; j++) {
        size_t best = first;
        for (size_t i = first; i < first + n; i++)
            if (fabsf(g[i]) > fabsf(g[best]))
                best = i;
        picks[j] = best;
        g[best] = 0.0f;
    }
}

/* Compares the analytic gradient of every weight tensor of m with
 * central differences at its coordinates of largest gradient, and
 * likewise in the rows of the first layer's W that the label columns
 * feed (rows label_row ...). Returns the relative error. */
static double check_weights(Probe *p, Mlp *m, int label_row)
{
    enum { MAX_PROBES = (2 * MLP_MAX_LAYERS + 1) * PROBES_PER_TENSOR };
    float ana[MAX_PROBES], num[MAX_PROBES];
    int k = 0;
    Param params[2 * MLP_MAX_LAYERS];
    int np = mlp_params(m, "x", params);
    for (int t = 0; t <= np; t++) {
        /* tensor np is fc1.W again, restricted to the label's rows */
        Param *pt = &params[t < np ? t : 0];
        size_t n = param_size(pt), first = 0;
        if (t == np) {
            first = (size_t)label_row * pt->cols;
            n = (size_t)CGAN_CLASSES * pt->cols;
        }
        float *g = malloc(param_size(pt) * sizeof(float));
        memcpy(g, pt->grad, param_size(pt) * sizeof(float));
        size_t picks[PROBES_PER_TENSOR];
        int count = n < PROBES_PER_TENSOR ? (int)n : PROBES_PER_TENSOR;
        largest(g, first, n, count, picks);
        for (int j = 0; j < count; j++) {
            ana[k] = pt->grad[picks[j]];
            numeric_gradient(&pt->value[picks[j]], 1, probe_loss, p,
                             GRAD_H, &num[k]);
            if (getenv("GAN_TEST_VERBOSE"))
                fprintf(stderr, "    %s[%zu] %g %g\n", pt->name, picks[j],
                        ana[k], num[k]);
            k++;
        }
        free(g);
    }
    return rel_error(ana, num, (size_t)k);
}

static void test_weight_gradients(void)
{
    Rng rng;
    rng_seed(&rng, 5);
    Probe p;
    tiny_cgan(&p.c, CHECK_SCALE, &rng);
    CganStats s;
    p.d_step = true;
    cgan_d_gradients(&p.c, &s, NULL);
    double err_d = check_weights(&p, &p.c.d, CGAN_PIXELS);
    /* G's step must leave D's gradients alone */
    Dense *last = &p.c.d.layers[CGAN_LAYERS - 1];
    float *d_grad = malloc((size_t)last->in * sizeof(float));
    memcpy(d_grad, last->dW, (size_t)last->in * sizeof(float));
    p.d_step = false;
    cgan_g_gradients(&p.c, &s, NULL);
    CU_ASSERT_EQUAL(memcmp(d_grad, last->dW,
                           (size_t)last->in * sizeof(float)), 0);
    free(d_grad);
    double err_g = check_weights(&p, &p.c.g, CGAN_Z);
    report_errors(err_d, err_g);
    CU_ASSERT_TRUE(err_d < GRAD_TOL);
    CU_ASSERT_TRUE(err_g < GRAD_TOL);
    cgan_free(&p.c);
}

/* d loss / d(label columns): D's loss against the real rows' labels,
 * G's loss against the classes asked for (through G and through D). */
static void test_label_gradients(void)
{
    enum { N = 2, NK = N * CGAN_CLASSES };
    Rng rng;
    rng_seed(&rng, 6);
    Probe p;
    tiny_cgan(&p.c, CHECK_SCALE, &rng);
    CganStats s;
    float ana[NK], num[NK];

    p.d_step = true;
    cgan_d_gradients(&p.c, &s, ana);
    numeric_gradient(p.c.real_y, NK, probe_loss, &p, GRAD_H, num);
    double err_d = rel_error(ana, num, NK);

    p.d_step = false;
    cgan_g_gradients(&p.c, &s, ana);
    numeric_gradient(p.c.fake_y, NK, probe_loss, &p, GRAD_H, num);
    double err_g = rel_error(ana, num, NK);
    report_errors(err_d, err_g);
    CU_ASSERT_TRUE(err_d < GRAD_TOL);
    CU_ASSERT_TRUE(err_g < GRAD_TOL);
    cgan_free(&p.c);
}

/* The book's short run (the first SMALL_TRAIN images are the small
 * data set's), judged by the test's own classifier: it must draw the
 * class asked for far more often than chance. The training numbers
 * must match what the book quotes; the judge's numbers depend on the
 * judge, so only their presence is compared. 200 steps into a GAN the
 * losses still swing from step to step (loss_g between 2 and 11), so
 * their epoch means move a lot with any change of rounding (another
 * CPU's kernels): hence the wide tolerance on loss_g. */
static void test_short_run_beats_chance(void)
{
    CU_ASSERT_EQUAL_FATAL(run_shell(
        "%s --epochs 2 --limit %d --data %s/data --classifier "
        "%s/classifier.ckpt --threads 2 --quiet --eval-samples 200 "
        "--out %s/short >/dev/null", PROG, SMALL_TRAIN, dir, dir, dir), 0);
    char *path = scratch_path(dir, "short/result.txt");
    char *result = read_all(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    double asked = result_number(result, "class_accuracy");
    fprintf(stderr, "\n    short run: %.3f of the samples are the class "
            "asked for (chance %.2f; the judge's own test accuracy "
            "%.3f)\n", asked, CHANCE, clf_accuracy);
    CU_ASSERT_TRUE(asked > 2 * CHANCE);
    CU_ASSERT_TRUE(book_result_matches(
        "book/11-cgan.md", 0, result,
        "class_accuracy=1e9 real_accuracy=1e9 mean_fcd=1e9 real_fcd=1e9 "
        "loss_d=0.15 loss_g=1.5 d_real=0.05 d_fake=0.05 steps_per_s=1e9"));
    free(result);
    free(path);
}

static void test_same_seed_same_log(void)
{
    const char *common = "--limit 640 --batch 32 --epochs 1 "
                         "--epoch-samples 10 --eval-samples 20";
    char args[1024];
    snprintf(args, sizeof args, "%s --seed 7 --out %s/s7a", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("s7a", args), 0);
    snprintf(args, sizeof args, "%s --seed 7 --no-events --out %s/s7b",
             common, dir);
    CU_ASSERT_EQUAL_FATAL(run("s7b", args), 0);
    snprintf(args, sizeof args, "%s --seed 8 --out %s/s8", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("s8", args), 0);
    CU_ASSERT_TRUE(same("s7a/log.csv", "s7b/log.csv"));
    CU_ASSERT_TRUE(same("s7a/epochs.csv", "s7b/epochs.csv"));
    CU_ASSERT_TRUE(same("s7a/eval.csv", "s7b/eval.csv"));
    char *none = scratch_path(dir, "s7b");
    int files;
    free(events_files(none, &files));
    CU_ASSERT_EQUAL(files, 0); /* --no-events */
    free(none);
    CU_ASSERT_FALSE(same_quiet("s7a/log.csv", "s8/log.csv"));
    char *path = scratch_path(dir, "s7a/log.csv");
    char *text = read_all(path, NULL);
    ASSERT_CONTAINS(text, "step,epoch,loss_d,loss_g,d_real,d_fake\n1,1,");
    free(text);
    free(path);
}

static void test_resume_equals_uninterrupted(void)
{
    const char *common = "--limit 320 --batch 32 --seed 3 "
                         "--epoch-samples 10 --eval-samples 20";
    char args[1024];
    snprintf(args, sizeof args, "%s --epochs 2 --out %s/a", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("a", args), 0);
    /* stopped mid-epoch by --steps, then resumed */
    snprintf(args, sizeof args, "%s --steps 13 --out %s/b", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("b1", args), 0);
    snprintf(args, sizeof args, "--resume %s/b/checkpoint.ckpt --epochs 2 "
             "--epoch-samples 10 --eval-samples 20 --out %s/b", dir, dir);
    CU_ASSERT_EQUAL_FATAL(run("b2", args), 0);
    CU_ASSERT_TRUE(same("a/checkpoint.ckpt", "b/checkpoint.ckpt"));
    CU_ASSERT_TRUE(same("a/log.csv", "b/log.csv"));
    CU_ASSERT_TRUE(same("a/epochs.csv", "b/epochs.csv"));
    CU_ASSERT_TRUE(same("a/samples-epoch-002.png",
                        "b/samples-epoch-002.png"));
    /* TensorBoard's view: the 20 rows of log.csv, the class grid
     * (10 x 10) per epoch and the share as asked at epochs 0, 1 and 2;
     * the resumed run in two files */
    for (int i = 0; i < 2; i++) {
        char *out = scratch_path(dir, i ? "b" : "a");
        char *report = assert_events_match_log(dir, out, 1 + i, 20, 2, 10);
        if (report) {
            ASSERT_CONTAINS(report, "class_accuracy");
            CU_ASSERT_EQUAL(result_number(report, "scalars"), 20 * 5 + 3);
        }
        free(report);
        free(out);
    }
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
    /* 320 images in batches of 32: 10 steps per epoch */
    const char *common = "--limit 320 --batch 32 --seed 5 "
                         "--epoch-samples 10 --eval-samples 20";
    char args[256];
    snprintf(args, sizeof args, "%s --steps 4", common);
    expect_means("p4", args, 0, 4, false);
    snprintf(args, sizeof args, "%s --steps 13", common);
    expect_means("p13", args, 1, 3, false);
    snprintf(args, sizeof args, "%s --epochs 1", common);
    expect_means("e1", args, 1, 10, true);
}

static void expect_status(const char *tag, const char *args, int status,
                          const char *message)
{
    CU_ASSERT_EQUAL(run(tag, args), status);
    char *out = output(tag);
    ASSERT_CONTAINS(out, message);
    free(out);
}

static void test_bad_class_refused(void)
{
    expect_status("k10", "--class 10 --generate 4", 2,
                  "--class must be between 0 and 9, not 10");
    expect_status("k-2", "--class -2 --generate 4", 2, "--class");
    expect_status("kx", "--class three --generate 4", 2, "--class");
    expect_status("konly", "--class 3", 2, "--class is for --generate");
    expect_status("scale", "--label-scale 0", 2, "--label-scale");
}

static void test_generate(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --epochs 1 "
             "--epoch-samples 10 --eval-samples 20 --out %s/gen", dir);
    CU_ASSERT_EQUAL_FATAL(run("gen1", args), 0);
    snprintf(args, sizeof args, "--class 3 --generate 10 --out %s/gen",
             dir);
    CU_ASSERT_EQUAL(run("gen2", args), 0);
    snprintf(args, sizeof args, "--generate 4 --out %s/gen --from "
             "%s/gen/checkpoint.ckpt", dir, dir);
    CU_ASSERT_EQUAL(run("gen3", args), 0);
    snprintf(args, sizeof args, "--evaluate --eval-samples 20 --out "
             "%s/gen", dir);
    CU_ASSERT_EQUAL(run("gen4", args), 0);
    const char *files[] = {"gen/class-3.png", "gen/classes.png",
                           "gen/samples.png", "gen/eval.csv",
                           "gen/samples-epoch-001.png"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *path = scratch_path(dir, files[i]);
        CU_ASSERT_TRUE(file_exists(path));
        free(path);
    }
    char *out = output("gen4");
    ASSERT_CONTAINS(out, "result: class_accuracy=");
    free(out);
}

static void test_bad_checkpoints_refused(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --epochs 1 "
             "--epoch-samples 10 --eval-samples 20 --out %s/ok", dir);
    CU_ASSERT_EQUAL_FATAL(run("ok", args), 0);
    char *good = scratch_path(dir, "ok/checkpoint.ckpt");
    size_t size;
    char *bytes = read_all(good, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
    char *cut = scratch_path(dir, "cut.ckpt");
    write_bytes(cut, bytes, size / 2);

    snprintf(args, sizeof args, "--resume %s --out %s/x", cut, dir);
    expect_status("cut", args, 1, "is truncated");
    snprintf(args, sizeof args, "--class 2 --generate 4 --from %s "
             "--out %s/x", cut, dir);
    expect_status("from-cut", args, 1, "is truncated");
    snprintf(args, sizeof args, "--resume %s/ok/generator.ckpt --out %s/x",
             dir, dir);
    expect_status("kind", args, 1, "is a checkpoint of 11-cgan-generator, "
                                   "not of 11-cgan");

    /* chapter 8's unconditional generator: the wrong kind */
    char *other = scratch_path(dir, "gan.ckpt");
    Ckpt c;
    float w = 1.0f;
    Error err;
    ckpt_init(&c, "generator");
    ckpt_add(&c, "g.fc1.W", CKPT_F32, &w, 1, (uint64_t[]){1});
    CU_ASSERT_EQUAL(ckpt_save(&c, other, &err), 0);
    ckpt_free(&c);
    snprintf(args, sizeof args, "--class 2 --generate 4 --from %s "
             "--out %s/x", other, dir);
    expect_status("from-kind", args, 1, "is a checkpoint of generator; a "
                  "conditional generator comes from chapter 11");

    /* a generator as judge, and a judge that is not there */
    snprintf(args, sizeof args, "--evaluate --from %s/ok/generator.ckpt "
             "--classifier %s/ok/generator.ckpt --out %s/x", dir, dir, dir);
    expect_status("judge-kind", args, 1, "not of 04-classifier");
    snprintf(args, sizeof args, "--evaluate --from %s/ok/generator.ckpt "
             "--classifier %s/missing.ckpt --out %s/x", dir, dir, dir);
    expect_status("judge-missing", args, 1, "build/bin/04-classifier");
    free(bytes);
    free(good);
    free(cut);
    free(other);
}

static void test_too_few_test_images_refused(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --epochs 1 "
             "--epoch-samples 10 --eval-samples 20 --out %s/few", dir);
    CU_ASSERT_EQUAL_FATAL(run("few1", args), 0);
    snprintf(args, sizeof args, "--evaluate --eval-samples 20 --data "
             "%s/few --out %s/few", dir, dir);
    expect_status("few2", args, 1, "the test images hold 0 of class");
}

static void test_sigint_saves_a_checkpoint(void)
{
    /* start a long run, wait until it trains, press Ctrl-C */
    int status = run_shell(
        "cd %s && { %s --data data --classifier classifier.ckpt "
        "--threads 1 --quiet --steps 1000000 --batch 32 --out int "
        ">int.out 2>&1 & pid=$!; "
        "for i in $(seq 300); do [ -s int/log.csv.$pid.tmp ] && break; "
        "sleep 0.1; done; sleep 0.3; kill -INT $pid; wait $pid; "
        "echo $? >int.status; }", dir, PROG);
    CU_ASSERT_EQUAL_FATAL(status, 0);
    char *path = scratch_path(dir, "int.status");
    char *code = read_all(path, NULL);
    free(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(code);
    CU_ASSERT_EQUAL(atoi(code), 130);
    free(code);
    char *out = output("int");
    ASSERT_CONTAINS(out, "interrupted after step");
    ASSERT_CONTAINS(out, "--resume");
    free(out);
    path = scratch_path(dir, "int/checkpoint.ckpt");
    CU_ASSERT_TRUE(file_exists(path));
    free(path);
}

void suite_ch11_cgan(void)
{
    CU_pSuite s = CU_add_suite("11-cgan", setup, teardown);
    CU_add_test(s, "one-hot rows and [x | y] joined right",
                test_label_columns);
    CU_add_test(s, "the label reaches G and D",
                test_label_reaches_both_networks);
    CU_add_test(s, "D and G weight gradients = finite differences",
                test_weight_gradients);
    CU_add_test(s, "label-column gradients = finite differences",
                test_label_gradients);
    CU_add_test(s, "a short run draws the class asked for, not chance",
                test_short_run_beats_chance);
    CU_add_test(s, "same seed, same logs byte for byte",
                test_same_seed_same_log);
    CU_add_test(s, "stopped and resumed = never stopped",
                test_resume_equals_uninterrupted);
    CU_add_test(s, "stopped inside an epoch: the result quotes its means",
                test_partial_epoch_means);
    CU_add_test(s, "a bad --class is a usage error", test_bad_class_refused);
    CU_add_test(s, "--generate, --class and --evaluate", test_generate);
    CU_add_test(s, "bad checkpoints and classifiers refused",
                test_bad_checkpoints_refused);
    CU_add_test(s, "a class without 2 test images refused",
                test_too_few_test_images_refused);
    CU_add_test(s, "Ctrl-C: checkpoint, exit 130",
                test_sigint_saves_a_checkpoint);
}
