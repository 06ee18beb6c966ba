/* test_ch04_classifier.c - chapter 4: one epoch on 5,000 images already
 * classifies most of the test set; the saved checkpoint reproduces
 * the predictions exactly; checkpoints and data folders that are
 * wrong are refused with a clear message; the run is reproducible and
 * matches what the book quotes. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "classifier.h"
#include "dataset.h"
#include "helpers.h"

#include "../chapters/04-classifier/report.h"
#include "../chapters/04-classifier/train.h"

#define PROG BIN_DIR "/04-classifier"
#define DATA DATASET_DEFAULT_DIR
#define SHORT "--limit 5000 --epochs 1 --threads 2"
#define TINY_TRAIN 20 /* images in the synthetic data folders */
#define TINY_TEST 10

SCRATCH_FIXTURE

/* Runs the program on the real data with extra arguments, output in
 * dir/<sub>; stderr goes to dir/<sub>.err. Returns the exit status. */
static int run_prog(const char *sub, const char *args)
{
    return run_shell("%s --data %s --out %s/%s --quiet %s >/dev/null "
                     "2>%s/%s.err", PROG, DATA, dir, sub, args, dir, sub);
}

static char *read_sub(const char *sub, const char *file)
{
    char name[256];
    snprintf(name, sizeof name, "%s/%s", sub, file);
    char *path = scratch_path(dir, name);
    char *text = read_all(path, NULL);
    free(path);
    return text;
}

static double result_value(const char *result, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, " %s=", key);
    const char *p = strstr(result, pat);
    return p ? atof(p + strlen(pat)) : -1.0;
}

/* The short run is made once and shared by the tests below it. */
static void test_one_epoch_on_5000_images(void)
{
    CU_ASSERT_EQUAL_FATAL(run_prog("short", SHORT), 0);
    char *result = read_sub("short", "result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    double acc = result_value(result, "test_accuracy");
    if (acc <= 0.75)
        fprintf(stderr, "\n    %s", result);
    CU_ASSERT_TRUE(acc > 0.75);
    ASSERT_CONTAINS(result, " epochs=1 train_images=5000");
    /* it is the short run the book quotes, third result line */
    CU_ASSERT_TRUE(book_result_matches("book/04-classifier.md", 2, result,
                                       "test_accuracy=0.01 "
                                       "test_loss=0.03 "
                                       "train_accuracy=0.01"));
    char *log = read_sub("short", "log.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(log);
    ASSERT_CONTAINS(log, "epoch,lr,train_loss,train_accuracy,test_loss,"
                         "test_accuracy\n0,0,");
    ASSERT_CONTAINS(log, "\n1,0.001,");
    free(log);
    free(result);
}

/* The book's comparison: plain SGD after the same epoch, fourth line. */
static void test_one_epoch_with_sgd_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run_prog("short-sgd", SHORT " --optim sgd"), 0);
    char *result = read_sub("short-sgd", "result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_TRUE(book_result_matches("book/04-classifier.md", 3, result,
                                       "test_accuracy=0.03 "
                                       "test_loss=0.1 "
                                       "train_accuracy=0.03"));
    free(result);
}

/* --eval of the saved checkpoint writes the same predictions, and so
 * does loading it here through common/classifier.h. */
static void test_checkpoint_reproduces_predictions(void)
{
    char *ckpt = scratch_path(dir, "short/classifier.ckpt");
    char args[512];
    snprintf(args, sizeof args, "--eval %s --threads 2", ckpt);
    CU_ASSERT_EQUAL_FATAL(run_prog("eval", args), 0);
    char *a = scratch_path(dir, "short/predictions.csv");
    char *b = scratch_path(dir, "eval/predictions.csv");
    CU_ASSERT_TRUE(same_file(a, b));
    char *ca = scratch_path(dir, "short/confusion.csv");
    char *cb = scratch_path(dir, "eval/confusion.csv");
    CU_ASSERT_TRUE(same_file(ca, cb));

    Dataset ds;
    Error err;
    CU_ASSERT_EQUAL_FATAL(dataset_load(DATA, &ds, &err), 0);
    Classifier c;
    CU_ASSERT_EQUAL_FATAL(classifier_load(&c, ckpt, 500, &err), 0);
    int n = ds.test_images.count;
    int *idx = xmalloc((size_t)n * sizeof(int));
    int *mine = xmalloc((size_t)n * sizeof(int));
    float *x = xmalloc((size_t)n * CLASSIFIER_INPUT * sizeof(float));
    index_identity(idx, n);
    images_to_float(&ds.test_images, idx, n, CLASSIFIER_PIXEL_LO,
                    CLASSIFIER_PIXEL_HI, x);
    classifier_predict(&c, x, n, mine);
    char *text = read_all(a, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    char *line = strchr(text, '\n'); /* after the header */
    int rows = 0, same = 0;
    while (line && line[1]) {
        int i, label, predicted;
        if (sscanf(line + 1, "%d,%d,%d", &i, &label, &predicted) != 3)
            break;
        same += i == rows && predicted == mine[rows];
        rows++;
        line = strchr(line + 1, '\n');
    }
    CU_ASSERT_EQUAL(rows, n);
    CU_ASSERT_EQUAL(same, n);
    free(text);
    free(x);
    free(mine);
    free(idx);
    classifier_free(&c);
    dataset_free(&ds);
    free(a);
    free(b);
    free(ca);
    free(cb);
    free(ckpt);
}

static void test_same_seed_same_log(void)
{
    const char *args = "--limit 2000 --epochs 2 --threads 2";
    char with_seed[128];
    CU_ASSERT_EQUAL_FATAL(run_prog("seed-a", args), 0);
    CU_ASSERT_EQUAL_FATAL(run_prog("seed-b", args), 0);
    snprintf(with_seed, sizeof with_seed, "%s --seed 2", args);
    CU_ASSERT_EQUAL_FATAL(run_prog("seed-c", with_seed), 0);
    char *a = scratch_path(dir, "seed-a/log.csv");
    char *b = scratch_path(dir, "seed-b/log.csv");
    char *c = scratch_path(dir, "seed-c/log.csv");
    CU_ASSERT_TRUE(same_file(a, b));
    CU_ASSERT_FALSE(same_file(a, c));
    free(a);
    free(b);
    free(c);
}

/* Runs --eval on a checkpoint; expects exit 1 and `message`. */
static void expect_eval_refused(const char *sub, const char *ckpt,
                                const char *message)
{
    char args[512];
    snprintf(args, sizeof args, "--eval %s", ckpt);
    CU_ASSERT_EQUAL(run_prog(sub, args), 1);
    char name[256];
    snprintf(name, sizeof name, "%s.err", sub);
    char *path = scratch_path(dir, name);
    char *err = read_all(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    ASSERT_CONTAINS(err, ckpt);
    if (!contains(err, message))
        fprintf(stderr, "\n    expected '%s' in: %s", message, err);
    CU_ASSERT_TRUE(contains(err, message));
    free(err);
    free(path);
}

static void test_bad_checkpoints_refused(void)
{
    /* a classifier of another architecture: 784 -> 64 -> 10 */
    Rng rng;
    rng_seed(&rng, 1);
    Mlp m;
    const int sizes[3] = {CLASSIFIER_INPUT, 64, CLASSIFIER_CLASSES};
    const int32_t arch[3] = {CLASSIFIER_INPUT, 64, CLASSIFIER_CLASSES};
    mlp_init(&m, 2, sizes, ACT_RELU, ACT_NONE, INIT_HE, 1, &rng);
    Param params[2 * MLP_MAX_LAYERS];
    int n = mlp_params(&m, CLASSIFIER_PREFIX, params);
    Ckpt ck;
    ckpt_init(&ck, CLASSIFIER_KIND);
    ckpt_add(&ck, CLASSIFIER_ARCH_TENSOR, CKPT_I32, arch, 1,
             (uint64_t[]){3});
    ckpt_add_params(&ck, params, n);
    char *other = scratch_path(dir, "small.ckpt");
    Error err;
    CU_ASSERT_EQUAL_FATAL(ckpt_save(&ck, other, &err), 0);
    ckpt_free(&ck);
    mlp_free(&m);
    expect_eval_refused("arch", other,
                        "holds a classifier of widths 784-64-10; this "
                        "program's classifier is 784-256-128-10");
    free(other);

    /* something that is not a checkpoint at all */
    char *junk = scratch_path(dir, "junk.ckpt");
    write_bytes(junk, "hello", 5);
    expect_eval_refused("junk", junk, "is not a checkpoint");
    free(junk);

    char *missing = scratch_path(dir, "missing.ckpt");
    expect_eval_refused("missing", missing, "cannot open checkpoint");
    free(missing);
}

/* ---- bad data folders ---- */

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Writes an image file of `count` 28x28 images whose header says
 * `claimed` images, with this magic and these sides. */
static void write_images(const char *folder, const char *name,
                         uint32_t magic, uint32_t claimed, int count,
                         uint32_t side)
{
    size_t n = 16 + (size_t)count * DATASET_SIDE * DATASET_SIDE;
    uint8_t *b = xcalloc(n, 1);
    put_be32(b, magic);
    put_be32(b + 4, claimed);
    put_be32(b + 8, side);
    put_be32(b + 12, side);
    for (size_t i = 16; i < n; i++)
        b[i] = (uint8_t)(i * 37);
    char *path = scratch_path(folder, name);
    write_bytes(path, b, n);
    free(path);
    free(b);
}

static void write_labels(const char *folder, const char *name, int count)
{
    uint8_t b[8 + TINY_TRAIN];
    put_be32(b, IDX_MAGIC_LABELS);
    put_be32(b + 4, (uint32_t)count);
    for (int i = 0; i < count; i++)
        b[8 + i] = (uint8_t)(i % DATASET_CLASSES);
    char *path = scratch_path(folder, name);
    write_bytes(path, b, 8 + (size_t)count);
    free(path);
}

/* A folder of four small, valid IDX files; returns its path. */
static char *tiny_folder(const char *name)
{
    char *folder = scratch_path(dir, name);
    run_shell("mkdir -p %s", folder);
    write_images(folder, "train-images-idx3-ubyte", IDX_MAGIC_IMAGES,
                 TINY_TRAIN, TINY_TRAIN, DATASET_SIDE);
    write_labels(folder, "train-labels-idx1-ubyte", TINY_TRAIN);
    write_images(folder, "t10k-images-idx3-ubyte", IDX_MAGIC_IMAGES,
                 TINY_TEST, TINY_TEST, DATASET_SIDE);
    write_labels(folder, "t10k-labels-idx1-ubyte", TINY_TEST);
    return folder;
}

/* Runs on a data folder; returns the exit status, stderr in *err. */
static int run_on(const char *folder, char **err)
{
    char *errpath = scratch_path(dir, "data.err");
    int rc = run_shell("%s --data %s --out %s/data-run --epochs 1 "
                       "--quiet >/dev/null 2>%s", PROG, folder, dir,
                       errpath);
    *err = read_all(errpath, NULL);
    free(errpath);
    return rc;
}

static void expect_data_refused(const char *folder, const char *message)
{
    char *err;
    CU_ASSERT_EQUAL(run_on(folder, &err), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    if (!contains(err, message))
        fprintf(stderr, "\n    expected '%s' in: %s", message, err);
    CU_ASSERT_TRUE(contains(err, message));
    free(err);
}

static void test_bad_data_refused(void)
{
    char *err;
    char *good = tiny_folder("good");
    CU_ASSERT_EQUAL(run_on(good, &err), 0); /* the baseline runs */
    free(err);

    char *missing = scratch_path(dir, "no-such-folder");
    expect_data_refused(missing, "no-such-folder/train-images-idx3-ubyte"
                                 "[.gz] not found");
    free(missing);

    write_images(good, "t10k-images-idx3-ubyte", IDX_MAGIC_IMAGES,
                 TINY_TEST + 5, TINY_TEST, DATASET_SIDE);
    expect_data_refused(good, "t10k-images-idx3-ubyte is truncated");

    write_images(good, "t10k-images-idx3-ubyte", IDX_MAGIC_LABELS,
                 TINY_TEST, TINY_TEST, DATASET_SIDE);
    expect_data_refused(good, "t10k-images-idx3-ubyte is not an IDX "
                              "image file");

    write_images(good, "train-images-idx3-ubyte", IDX_MAGIC_IMAGES,
                 2000000000u, TINY_TRAIN, DATASET_SIDE);
    expect_data_refused(good, "train-images-idx3-ubyte is truncated");

    write_images(good, "train-images-idx3-ubyte", IDX_MAGIC_IMAGES,
                 TINY_TRAIN, TINY_TRAIN, 100000u);
    expect_data_refused(good, "train-images-idx3-ubyte has an absurd "
                              "header");
    free(good);
}

static void test_bad_options_exit_2(void)
{
    CU_ASSERT_EQUAL(run_shell("%s --batch 0 2>/dev/null", PROG), 2);
    CU_ASSERT_EQUAL(run_shell("%s --limit -5 2>/dev/null", PROG), 2);
    CU_ASSERT_EQUAL(run_shell("%s --lr fast 2>/dev/null", PROG), 2);
    CU_ASSERT_EQUAL(run_shell("%s --optim rmsprop 2>/dev/null", PROG), 2);
}

/* ---- the chapter's pieces ---- */

static void test_learning_rate_schedule(void)
{
    CU_ASSERT_DOUBLE_EQUAL(clf_learning_rate(0.1f, 1, 30), 0.1, 1e-7);
    CU_ASSERT_DOUBLE_EQUAL(clf_learning_rate(0.1f, 16, 30), 0.05, 1e-7);
    CU_ASSERT_DOUBLE_EQUAL(clf_learning_rate(0.1f, 30, 30), 0.1 / 30,
                           1e-7);
    CU_ASSERT_DOUBLE_EQUAL(clf_learning_rate(0.1f, 1, 1), 0.1, 1e-7);
}

static void test_confusion_and_worst(void)
{
    const int truth[6] = {0, 0, 1, 2, 2, 2};
    const int guess[6] = {0, 1, 1, 2, 0, 2};
    long counts[K_CLASSES][K_CLASSES];
    clf_confusion_count(truth, guess, 6, counts);
    CU_ASSERT_EQUAL(counts[0][0], 1);
    CU_ASSERT_EQUAL(counts[0][1], 1);
    CU_ASSERT_EQUAL(counts[1][1], 1);
    CU_ASSERT_EQUAL(counts[2][2], 2);
    CU_ASSERT_EQUAL(counts[2][0], 1);
    CU_ASSERT_EQUAL(counts[3][3], 0);

    const float loss[6] = {0.1f, 2.0f, 0.3f, 2.0f, 5.0f, 0.0f};
    int worst[3];
    clf_worst_select(loss, 6, worst, 3);
    CU_ASSERT_EQUAL(worst[0], 4);
    CU_ASSERT_EQUAL(worst[1], 1); /* a tie goes to the lower index */
    CU_ASSERT_EQUAL(worst[2], 3);
}

static void test_class_names(void)
{
    CU_ASSERT_PTR_EQUAL(dataset_class_names(DATASET_DEFAULT_DIR),
                        fashion_mnist_classes);
    CU_ASSERT_PTR_EQUAL(dataset_class_names("/data/FASHION-mnist"),
                        fashion_mnist_classes);
    CU_ASSERT_STRING_EQUAL(dataset_class_names("/tmp/mnist")[7], "7");
}

void suite_ch04_classifier(void)
{
    CU_pSuite s = CU_add_suite("04-classifier", setup, teardown);
    CU_add_test(s, "one epoch on 5,000 images: test accuracy > 75%",
                test_one_epoch_on_5000_images);
    CU_add_test(s, "plain SGD's epoch prints what the book quotes",
                test_one_epoch_with_sgd_matches_book);
    CU_add_test(s, "the checkpoint reproduces the predictions exactly",
                test_checkpoint_reproduces_predictions);
    CU_add_test(s, "same seed, same log.csv byte for byte",
                test_same_seed_same_log);
    CU_add_test(s, "other architectures and junk checkpoints refused",
                test_bad_checkpoints_refused);
    CU_add_test(s, "missing, truncated, wrong and absurd data refused",
                test_bad_data_refused);
    CU_add_test(s, "bad options exit with status 2",
                test_bad_options_exit_2);
    CU_add_test(s, "the learning rate falls linearly to lr / epochs",
                test_learning_rate_schedule);
    CU_add_test(s, "confusion counts and the most-wrong order",
                test_confusion_and_worst);
    CU_add_test(s, "class names follow the data folder",
                test_class_names);
}
