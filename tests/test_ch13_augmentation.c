/* test_ch13_augmentation.c - chapter 13: the subset holds exactly n
 * images of each class, the same ones for the same seed and others for
 * another; a generated image is labelled with the class the cGAN was
 * asked for, and asking for another class draws another image; a
 * classifier trained only on a briefly trained cGAN's images beats
 * chance on real test images; a small grid is reproducible and writes
 * one row per cell and seed; bad lists and a checkpoint of another
 * kind are refused with a clear message. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "dataset.h"
#include "files.h"
#include "helpers.h"
#include "rng.h"

#include "../chapters/13-augmentation/fewshot.h"
#include "../chapters/13-augmentation/grid.h"
#include "../chapters/13-augmentation/judge.h"
#include "../chapters/13-augmentation/subset.h"
#include "../chapters/13-augmentation/synth.h"

#define PROG BIN_DIR "/13-augmentation"
#define K DATASET_CLASSES
#define LABELS 600       /* the synthetic label file of the subset tests */
#define PER_CLASS 7
#define SMALL_TRAIN 2000 /* the program's runs read these */
#define SMALL_TEST 500
#define TINY_PER_CLASS 50   /* the tiny run's real images per class */
#define TINY_GAN_STEPS 200
#define TINY_GAN_BATCH 64
#define TINY_GENERATED 50   /* generated images per class */
#define TINY_CLF_STEPS 300
#define TINY_TEST 1000
#define CHANCE (1.0 / K)

static char *dir;

/* The programs' runs read the first images of Fashion-MNIST, copied
 * into dir/data. */
static int setup(void)
{
    dir = scratch_dir();
    write_default_subset(dir, SMALL_TRAIN, SMALL_TEST);
    return 0;
}

static int teardown(void)
{
    remove_tree(dir);
    free(dir);
    return 0;
}

/* LABELS labels, class k at the rows where a shuffle put it, and
 * fewer of class 9 than of the others. */
static IdxLabels make_labels(void)
{
    IdxLabels lb = {LABELS, xmalloc(LABELS)};
    Rng rng;
    rng_seed(&rng, 13);
    for (int i = 0; i < LABELS; i++)
        lb.labels[i] = (uint8_t)(i % (K - 1));
    for (int i = 0; i < PER_CLASS; i++)
        lb.labels[i * (K - 1)] = K - 1; /* PER_CLASS of class 9 */
    int *order = xmalloc(LABELS * sizeof(int));
    index_identity(order, LABELS);
    rng_shuffle(&rng, order, LABELS);
    uint8_t *shuffled = xmalloc(LABELS);
    for (int i = 0; i < LABELS; i++)
        shuffled[i] = lb.labels[order[i]];
    free(lb.labels);
    free(order);
    lb.labels = shuffled;
    return lb;
}

static void test_subset_exact_and_seeded(void)
{
    IdxLabels lb = make_labels();
    int a[K * PER_CLASS], b[K * PER_CLASS], c[K * PER_CLASS];
    Error err;
    CU_ASSERT_EQUAL_FATAL(aug_subset_pick(&lb, PER_CLASS, 1, a, &err), 0);
    CU_ASSERT_EQUAL_FATAL(aug_subset_pick(&lb, PER_CLASS, 1, b, &err), 0);
    CU_ASSERT_EQUAL_FATAL(aug_subset_pick(&lb, PER_CLASS, 2, c, &err), 0);
    int count[K] = {0};
    bool used[LABELS] = {false};
    for (int i = 0; i < K * PER_CLASS; i++) {
        CU_ASSERT_TRUE_FATAL(a[i] >= 0 && a[i] < LABELS);
        CU_ASSERT_FALSE(used[a[i]]); /* no row twice */
        used[a[i]] = true;
        /* class k's rows are block k */
        CU_ASSERT_EQUAL(lb.labels[a[i]], i / PER_CLASS);
        count[lb.labels[a[i]]]++;
    }
    for (int k = 0; k < K; k++)
        CU_ASSERT_EQUAL(count[k], PER_CLASS);
    CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
    /* class 9 has exactly PER_CLASS images, so only the others can
     * differ: compare classes 0 .. 8 */
    CU_ASSERT_NOT_EQUAL(memcmp(a, c, (K - 1) * PER_CLASS * sizeof(int)), 0);
    /* a smaller subset of the same seed is a part of a larger one */
    int small[K * 3];
    CU_ASSERT_EQUAL(aug_subset_pick(&lb, 3, 1, small, &err), 0);
    for (int k = 0; k < K; k++)
        CU_ASSERT_EQUAL(memcmp(small + 3 * k, a + PER_CLASS * k,
                               3 * sizeof(int)), 0);
    int *big = xmalloc((size_t)K * (PER_CLASS + 1) * sizeof(int));
    CU_ASSERT_EQUAL(aug_subset_pick(&lb, PER_CLASS + 1, 1, big, &err), -1);
    ASSERT_CONTAINS(err.msg, "7 images of class 9; 8 per class");
    free(big);
    idx_free_labels(&lb);
}

/* Generated images carry the class asked for: the labels are the
 * classes, and each image is G's output for its own class, with the
 * same noise; with the classes shifted by one the same noise draws
 * other images. */
static void test_generated_labels_are_the_classes_asked_for(void)
{
    const int per = 3, n = K * per;
    Rng rng;
    rng_seed(&rng, 5);
    Cgan c;
    cgan_init(&c, 8, CGAN_LABEL_SCALE, &rng);
    CganGenerator g = cgan_generator(&c);
    IdxImages im;
    IdxLabels lb;
    rng_seed(&rng, 77);
    aug_synthesize(g, per, &rng, &im, &lb);
    CU_ASSERT_EQUAL_FATAL(im.count, n);
    CU_ASSERT_EQUAL_FATAL(lb.count, n);
    for (int i = 0; i < n; i++)
        CU_ASSERT_EQUAL(lb.labels[i], i / per);

    float z[K * 3 * CGAN_Z], x[K * 3 * CGAN_PIXELS];
    int asked[K * 3], other[K * 3];
    uint8_t px[K * 3 * CGAN_PIXELS];
    rng_seed(&rng, 77);
    rng_fill_normal(&rng, z, (long)n * CGAN_Z, 0.0f, 1.0f);
    for (int i = 0; i < n; i++) {
        asked[i] = i / per;
        other[i] = (i / per + 1) % K;
    }
    cgan_generate(g, z, asked, n, x);
    aug_pixels_to_bytes(x, (long)n * CGAN_PIXELS, px);
    CU_ASSERT_EQUAL(memcmp(px, im.pixels, sizeof px), 0);
    cgan_generate(g, z, other, n, x);
    aug_pixels_to_bytes(x, (long)n * CGAN_PIXELS, px);
    for (int i = 0; i < n; i++)
        CU_ASSERT_NOT_EQUAL(memcmp(px + (size_t)i * CGAN_PIXELS,
                                   im.pixels + (size_t)i * CGAN_PIXELS,
                                   CGAN_PIXELS), 0);
    idx_free_images(&im);
    idx_free_labels(&lb);
    cgan_free(&c);
}

static void test_pixels_to_bytes(void)
{
    float x[] = {-1.0f, 1.0f, 0.0f, -2.0f, 3.0f, NAN};
    uint8_t px[6];
    aug_pixels_to_bytes(x, 6, px);
    CU_ASSERT_EQUAL(px[0], 0);
    CU_ASSERT_EQUAL(px[1], 255);
    CU_ASSERT_EQUAL(px[2], 128); /* 127.5 rounds to even */
    CU_ASSERT_EQUAL(px[3], 0);
    CU_ASSERT_EQUAL(px[4], 255);
    CU_ASSERT_EQUAL(px[5], 0); /* a NaN is background, not undefined */
}

/* The tiny version of the Classification Accuracy Score: a cGAN
 * trained briefly (200 steps) on 50 images per class, a classifier trained on its
 * images alone, tested on real images it never saw. */
static void test_classifier_on_generated_beats_chance(void)
{
    Dataset ds;
    Error err;
    CU_ASSERT_EQUAL_FATAL(dataset_load(DATASET_DEFAULT_DIR, &ds, &err), 0);
    int rows[K * TINY_PER_CLASS];
    CU_ASSERT_EQUAL_FATAL(aug_subset_pick(&ds.train_labels, TINY_PER_CLASS,
                                          3, rows, &err), 0);
    Rng rng;
    rng_seed(&rng, 3);
    Cgan c;
    cgan_init(&c, TINY_GAN_BATCH, CGAN_LABEL_SCALE, &rng);
    aug_cgan_train(&c, &ds, rows, K * TINY_PER_CLASS, TINY_GAN_STEPS, &rng);
    AugSet generated;
    aug_synthesize(cgan_generator(&c), TINY_GENERATED, &rng,
                   &generated.images, &generated.labels);
    cgan_free(&c);
    Dataset test = ds; /* the first TINY_TEST test images */
    test.test_images.count = test.test_labels.count = TINY_TEST;
    AugScore s = aug_judge(&generated, TINY_CLF_STEPS, 3, &test);
    printf("\n    classifier on %d generated images: %.3f on real test "
           "images ", K * TINY_GENERATED, s.accuracy);
    CU_ASSERT_TRUE(s.accuracy > 2 * CHANCE);
    aug_set_free(&generated);
    dataset_free(&ds);
}

static void test_judge_epochs_match_the_step_budget(void)
{
    CU_ASSERT_EQUAL(aug_judge_epochs(100, 2000), 1000); /* 2 steps each */
    CU_ASSERT_EQUAL(aug_judge_epochs(10000, 2000), 13); /* 157 each */
    CU_ASSERT_EQUAL(aug_judge_epochs(50000, 2000), 3);  /* 782 each */
    CU_ASSERT_EQUAL(aug_judge_epochs(60000, 100), 1);   /* at least one */
}

static void test_parse_list(void)
{
    int v[AUG_MAX_LIST];
    Error err;
    CU_ASSERT_EQUAL(aug_parse_list("10,100,1000", "--per-class", 1, 6000,
                                   v, &err), 3);
    CU_ASSERT_EQUAL(v[2], 1000);
    CU_ASSERT_EQUAL(aug_parse_list("10,x", "--per-class", 1, 6000, v,
                                   &err), -1);
    ASSERT_CONTAINS(err.msg, "--per-class: '10,x' is not a list");
    CU_ASSERT_EQUAL(aug_parse_list("100,10", "--per-class", 1, 6000, v,
                                   &err), -1);
    ASSERT_CONTAINS(err.msg, "must increase");
    CU_ASSERT_EQUAL(aug_parse_list("0,7000", "--per-class", 1, 6000, v,
                                   &err), -1);
    CU_ASSERT_EQUAL(aug_parse_list("", "--ratios", 0, 100, v, &err), -1);
}

#define SMALL_GRID                                                        \
    "--per-class 5,10 --ratios 0,2 --seeds 2 --gan-steps 5 "              \
    "--gan-batch 16 --clf-steps 20"

/* Two runs of a small grid: the same bytes, and one row per cell and
 * seed, the augmented rows with ratio x n generated images per class. */
static void test_small_grid_reproducible(void)
{
    char args[512];
    for (int run = 0; run < 2; run++) {
        snprintf(args, sizeof args, SMALL_GRID " --out %s/grid%d", dir,
                 run);
        CU_ASSERT_EQUAL_FATAL(run_program(PROG, dir, "grid", args), 0);
    }
    CU_ASSERT_TRUE(same_or_say(dir, "grid0/grid.csv", "grid1/grid.csv"));
    CU_ASSERT_TRUE(same_or_say(dir, "grid0/summary.csv",
                               "grid1/summary.csv"));
    char *csv = scratch_read(dir, "grid0/grid.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    int lines = 0;
    for (char *p = csv; *p; p++)
        lines += *p == '\n';
    CU_ASSERT_EQUAL(lines, 1 + 2 * 2 * 2); /* header, n x seed x ratio */
    /* n=10, seed 1, ratio 2: 100 real, 200 generated */
    ASSERT_CONTAINS(csv, "\n10,2,1,100,200,");
    free(csv);
    char *out = program_output(dir, "grid");
    ASSERT_CONTAINS(out, "result: per_class=5,10 ratios=0,2 seeds=2");
    free(out);
}

static void test_bad_input_refused(void)
{
    char args[512];
    snprintf(args, sizeof args, "--ratios 1,4 --out %s/r", dir);
    CU_ASSERT_EQUAL(run_program(PROG, dir, "ratios", args), 2);
    char *out = program_output(dir, "ratios");
    ASSERT_CONTAINS(out, "--ratios must start with 0");
    free(out);
    snprintf(args, sizeof args, "--per-class 10,abc --out %s/r", dir);
    CU_ASSERT_EQUAL(run_program(PROG, dir, "list", args), 2);
    out = program_output(dir, "list");
    ASSERT_CONTAINS(out, "--per-class: '10,abc' is not a list");
    free(out);

    /* a classifier's checkpoint is not a generator */
    Rng rng;
    rng_seed(&rng, 1);
    Classifier clf;
    classifier_init(&clf, 8, &rng);
    char *path = scratch_path(dir, "clf.ckpt");
    Error err;
    CU_ASSERT_EQUAL(classifier_save(&clf, path, &err), 0);
    classifier_free(&clf);
    snprintf(args, sizeof args, "--cas --from %s --out %s/c", path, dir);
    expect_program_failure(PROG, dir, "cas", args, "clf.ckpt");
    out = program_output(dir, "cas");
    ASSERT_CONTAINS(out, "HINT: chapter 11's default run writes");
    free(out);
    free(path);
    path = scratch_path(dir, "c/cas.csv");
    CU_ASSERT_FALSE(file_exists(path));
    free(path);
}

void suite_ch13_augmentation(void)
{
    CU_pSuite s = CU_add_suite("13-augmentation", setup, teardown);
    CU_add_test(s, "n per class exactly, the same for the same seed",
                test_subset_exact_and_seeded);
    CU_add_test(s, "a generated image is labelled with the class asked for",
                test_generated_labels_are_the_classes_asked_for);
    CU_add_test(s, "G's pixels become bytes, a NaN background",
                test_pixels_to_bytes);
    CU_add_test(s, "a classifier on generated images beats chance",
                test_classifier_on_generated_beats_chance);
    CU_add_test(s, "the step budget becomes whole epochs",
                test_judge_epochs_match_the_step_budget);
    CU_add_test(s, "--per-class and --ratios lists parsed and checked",
                test_parse_list);
    CU_add_test(s, "a small grid: one row per cell and seed, reproducible",
                test_small_grid_reproducible);
    CU_add_test(s, "bad lists and a wrong checkpoint are refused",
                test_bad_input_refused);
}
