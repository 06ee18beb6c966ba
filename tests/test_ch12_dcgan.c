/* test_ch12_dcgan.c - chapter 12: the networks have the paper's shapes,
 * D's and G's gradients through the whole convolutional networks equal
 * finite differences, a step allocates nothing, training moves G's
 * samples towards the data, and the run behaves as chapter 8's does:
 * stopped and resumed equals never stopped, Ctrl-C saves, a non-finite
 * loss stops, another chapter's checkpoint is refused, and chapter 9's
 * loader reads its generators, each image drawn on its own. The shared
 * harness (common/gantrain) also writes TensorBoard's events: log.csv's
 * numbers and the epochs' grids, resumed or not; none with
 * --no-events. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "dataset.h"
#include "files.h"
#include "generator.h"
#include "helpers.h"
#include "idx.h"
#include "losses.h"
#include "rng.h"
#include "tfdecode.h"

#include "../chapters/12-dcgan/dcgan.h"

#define PROG BIN_DIR "/12-dcgan"
#define SMALL_TRAIN 640
#define SMALL_TEST 100
#define FD_H 1e-4f

static char *dir;

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

static int run(const char *tag, const char *args)
{
    return run_program(PROG, dir, tag, args);
}

static bool same(const char *a, const char *b)
{
    return same_or_say(dir, a, b);
}

static void expect_failure(const char *tag, const char *args,
                           const char *message)
{
    expect_program_failure(PROG, dir, tag, args, message);
}

static void test_shapes(void)
{
    static Dcgan gan;
    Rng rng;
    rng_seed(&rng, 1);
    dcgan_init(&gan, 4, &rng);
    /* G: 100 -> 7x7x128 -> 14x14x64 -> 28x28x1 */
    CU_ASSERT_EQUAL(convnet_in_size(&gan.g), DCGAN_Z);
    CU_ASSERT_EQUAL(gan.g.blocks[0].out_size, 7 * 7 * 128);
    CU_ASSERT_TRUE(gan.g.blocks[1].spec.h == 14 &&
                   gan.g.blocks[1].spec.c == 64);
    CU_ASSERT_EQUAL(convnet_out_size(&gan.g), DCGAN_PIXELS);
    /* D: 28x28x1 -> 14x14x64 -> 7x7x128 -> 1 */
    CU_ASSERT_TRUE(gan.d.blocks[0].spec.h == 14 &&
                   gan.d.blocks[0].spec.c == 64 && !gan.d.blocks[0].spec.bn);
    CU_ASSERT_TRUE(gan.d.blocks[1].spec.h == 7 &&
                   gan.d.blocks[1].spec.c == 128 && gan.d.blocks[1].spec.bn);
    CU_ASSERT_EQUAL(convnet_out_size(&gan.d), 1);
    /* parameters: G 100*6272 + 2*128 + 128*1024 + 2*64 + 64*16 + 1;
     * D 16*64 + 64 + 1024*128 + 2*128 + 6272 + 1 */
    CU_ASSERT_EQUAL(convnet_param_count(&gan.g),
                    627200 + 256 + 131072 + 128 + 1024 + 1);
    CU_ASSERT_EQUAL(convnet_param_count(&gan.d),
                    1024 + 64 + 131072 + 256 + 6272 + 1);
    /* weights N(0, 0.02^2) */
    double s = 0;
    int n = 100 * 6272;
    for (int i = 0; i < n; i++)
        s += (double)gan.g.blocks[0].dense.W[i] * gan.g.blocks[0].dense.W[i];
    CU_ASSERT_DOUBLE_EQUAL(sqrt(s / n), 0.02, 0.0005);
    dcgan_free(&gan);
}

/* ---- gradients of whole networks ---- */

typedef struct {
    Dcgan gan;
    float z[2 * DCGAN_Z];
    float fake[2 * DCGAN_PIXELS];
    bool d_step;
} Probe;

/* D's loss on fixed real and fake batches, or G's on fixed noise */
static double probe_loss(void *ctx)
{
    Probe *p = ctx;
    Dcgan *gan = &p->gan;
    float dl[2];
    if (p->d_step) {
        const float *l = convnet_forward(&gan->d, gan->real, 2, BN_BATCH);
        double loss = bce_logits_loss_const(l, 1.0f, 2, dl);
        l = convnet_forward(&gan->d, p->fake, 2, BN_BATCH);
        return loss + bce_logits_loss_const(l, 0.0f, 2, dl);
    }
    const float *x = convnet_forward(&gan->g, p->z, 2, BN_BATCH);
    const float *l = convnet_forward(&gan->d, x, 2, BN_BATCH);
    return bce_logits_loss_const(l, 1.0f, 2, dl);
}

/* All of a network's weights along one random direction
 * (helpers.h). */
static double check_net(Probe *p, ConvNet *net, Rng *rng)
{
    Param params[CONVNET_MAX_PARAMS];
    int n = convnet_params(net, "x", params);
    return directional_gradient_error(params, n, probe_loss, p, rng, FD_H);
}

static void test_gradients_whole_networks(void)
{
    static Probe p;
    Rng rng;
    rng_seed(&rng, 2);
    dcgan_init(&p.gan, 2, &rng);
    /* the check needs a smooth loss: a ReLU's kink inside a difference's
     * step breaks it (test_activations checks the ReLUs themselves) */
    for (int i = 0; i < p.gan.g.nblocks - 1; i++)
        p.gan.g.blocks[i].spec.act = ACT_TANH;
    for (int i = 0; i < p.gan.d.nblocks - 1; i++)
        p.gan.d.blocks[i].spec.act = ACT_TANH;
    for (int i = 0; i < 2 * DCGAN_PIXELS; i++)
        p.gan.real[i] = rng_range(&rng, -1, 1);
    float stats[DCGAN_STATS];
    const float *fake = dcgan_fakes(&p.gan, &rng);
    memcpy(p.fake, fake, sizeof p.fake);
    memcpy(p.z, p.gan.z, sizeof p.z);
    p.d_step = true;
    dcgan_d_gradients(&p.gan, p.fake, stats);
    CU_ASSERT_DOUBLE_EQUAL(stats[STAT_LOSS_D], probe_loss(&p), 1e-5);
    double err_d = check_net(&p, &p.gan.d, &rng);

    p.d_step = false;
    fake = convnet_forward(&p.gan.g, p.z, 2, BN_BATCH);
    dcgan_g_gradients(&p.gan, fake, stats);
    CU_ASSERT_DOUBLE_EQUAL(stats[STAT_LOSS_G], probe_loss(&p), 1e-5);
    double err_g = check_net(&p, &p.gan.g, &rng);
    if (err_d >= 1e-3 || err_g >= 1e-3)
        fprintf(stderr, "\n    relative errors: D %.2e, G %.2e\n", err_d,
                err_g);
    CU_ASSERT_TRUE(err_d < 1e-3);
    CU_ASSERT_TRUE(err_g < 1e-3);
    dcgan_free(&p.gan);
}

static void test_step_allocates_nothing(void)
{
    static Dcgan gan;
    Rng rng;
    rng_seed(&rng, 3);
    dcgan_init(&gan, 8, &rng);
    float stats[DCGAN_STATS];
    dcgan_train_step(&gan, &rng, stats);
    long before = allocations();
    for (int i = 0; i < 3; i++)
        dcgan_train_step(&gan, &rng, stats);
    CU_ASSERT_EQUAL(allocations(), before);
    dcgan_free(&gan);
}

/* Mean squared distance of the mean of G's samples to the mean image
 * of the data: an untrained G draws grey noise around 0; sixty steps
 * must bring its average image much closer to the data's. */
static double mean_image_distance(Dcgan *gan, const float *data_mean,
                                  Rng *rng)
{
    float z[64 * DCGAN_Z], x[64 * DCGAN_PIXELS];
    rng_fill_normal(rng, z, 64L * DCGAN_Z, 0.0f, 1.0f);
    dcgan_bn_statistics(gan, rng);
    dcgan_generate(gan, z, 64, x);
    double d = 0;
    for (int j = 0; j < DCGAN_PIXELS; j++) {
        double m = 0;
        for (int i = 0; i < 64; i++)
            m += x[i * DCGAN_PIXELS + j];
        m = m / 64 - data_mean[j];
        d += m * m;
    }
    return d / DCGAN_PIXELS;
}

static void test_training_moves_samples_to_the_data(void)
{
    enum { B = 32, STEPS = 60 };
    Dataset ds;
    Error err;
    char *data = scratch_path(dir, "data");
    CU_ASSERT_EQUAL_FATAL(dataset_load_train(data, &ds, &err), 0);
    free(data);
    static Dcgan gan;
    Rng rng;
    rng_seed(&rng, 4);
    dcgan_init(&gan, B, &rng);
    int rows[SMALL_TRAIN];
    float *all = malloc((size_t)SMALL_TRAIN * DCGAN_PIXELS * sizeof(float));
    index_identity(rows, SMALL_TRAIN);
    images_to_float(&ds.train_images, rows, SMALL_TRAIN, -1.0f, 1.0f, all);
    float mean[DCGAN_PIXELS] = {0};
    for (int i = 0; i < SMALL_TRAIN; i++)
        for (int j = 0; j < DCGAN_PIXELS; j++)
            mean[j] += all[i * DCGAN_PIXELS + j] / SMALL_TRAIN;
    Rng probe;
    rng_seed(&probe, 5);
    double before = mean_image_distance(&gan, mean, &probe);
    float stats[DCGAN_STATS], first_d_fake = 0;
    for (int s = 0; s < STEPS; s++) {
        if (s % (SMALL_TRAIN / B) == 0)
            rng_shuffle(&rng, rows, SMALL_TRAIN);
        int at = (s % (SMALL_TRAIN / B)) * B;
        images_to_float(&ds.train_images, rows + at, B, -1.0f, 1.0f,
                        gan.real);
        dcgan_train_step(&gan, &rng, stats);
        if (s == 0)
            first_d_fake = stats[STAT_D_FAKE];
    }
    rng_seed(&probe, 5);
    double after = mean_image_distance(&gan, mean, &probe);
    if (!(after < 0.5 * before))
        fprintf(stderr, "\n    mean-image distance %.4f -> %.4f\n", before,
                after);
    CU_ASSERT_TRUE(after < 0.5 * before);
    /* the game is on: D has learnt to tell, and is not perfect */
    CU_ASSERT_TRUE(first_d_fake > 0.3f);
    CU_ASSERT_TRUE(stats[STAT_D_REAL] > 0.5f && stats[STAT_D_REAL] < 1.0f);
    free(all);
    dcgan_free(&gan);
    dataset_free(&ds);
}

/* ---- the program ---- */

static void test_resume_equals_uninterrupted(void)
{
    const char *common = "--limit 640 --batch 32 --seed 3";
    char args[1024];
    snprintf(args, sizeof args, "%s --epochs 2 --out %s/a", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("a", args), 0);
    snprintf(args, sizeof args, "%s --steps 27 --out %s/b", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("b1", args), 0);
    snprintf(args, sizeof args, "--resume %s/b/checkpoint.ckpt --epochs 2 "
             "--out %s/b", dir, dir);
    CU_ASSERT_EQUAL_FATAL(run("b2", args), 0);
    CU_ASSERT_TRUE(same("a/checkpoint.ckpt", "b/checkpoint.ckpt"));
    CU_ASSERT_TRUE(same("a/log.csv", "b/log.csv"));
    CU_ASSERT_TRUE(same("a/generator-epoch-002.ckpt",
                        "b/generator-epoch-002.ckpt"));
    CU_ASSERT_TRUE(same("a/samples-epoch-002.png", "b/samples-epoch-002.png"));
    /* the same seed twice: the same log, with or without events */
    snprintf(args, sizeof args, "%s --epochs 2 --no-events --out %s/a2",
             common, dir);
    CU_ASSERT_EQUAL_FATAL(run("a2", args), 0);
    CU_ASSERT_TRUE(same("a/log.csv", "a2/log.csv"));
    CU_ASSERT_TRUE(same("a/checkpoint.ckpt", "a2/checkpoint.ckpt"));
    /* TensorBoard's view: the 40 rows of log.csv, a grid per epoch; the
     * resumed run in two files; nothing with --no-events */
    char *out = scratch_path(dir, "a");
    free(assert_events_match_log(dir, out, 1, 40, 2, 8));
    free(out);
    out = scratch_path(dir, "b");
    free(assert_events_match_log(dir, out, 2, 40, 2, 8));
    free(out);
    out = scratch_path(dir, "a2");
    int files;
    free(events_files(out, &files));
    CU_ASSERT_EQUAL(files, 0);
    free(out);
    snprintf(args, sizeof args, "--limit 640 --batch 32 --seed 4 --epochs 1 "
             "--out %s/d", dir);
    CU_ASSERT_EQUAL_FATAL(run("d", args), 0);
    char *a = scratch_read(dir, "a/log.csv"), *d = scratch_read(dir, "d/log.csv");
    CU_ASSERT_TRUE(a && d && strncmp(a, d, strlen(d)) != 0);
    free(a);
    free(d);
}

static void test_partial_epoch_means(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 640 --batch 32 --seed 5 --steps 25 "
             "--out %s/p25", dir);
    CU_ASSERT_EQUAL_FATAL(run("p25", args), 0);
    char *out = scratch_path(dir, "p25");
    assert_gan_result_means(out, 1, 5, false);
    free(out);
}

static void test_sigint_saves_a_checkpoint(void)
{
    check_sigint_resumes(PROG, dir, "build/bin/12-dcgan --resume");
}

static void test_bad_checkpoints_refused(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --epochs 1 "
             "--out %s/ok", dir);
    CU_ASSERT_EQUAL_FATAL(run("ok", args), 0);
    size_t size;
    char *bytes = scratch_read(dir, "ok/checkpoint.ckpt");
    char *good = scratch_path(dir, "ok/checkpoint.ckpt");
    free(read_all(good, &size));
    char *cut = scratch_path(dir, "cut.ckpt");
    write_bytes(cut, bytes, size / 2);
    snprintf(args, sizeof args, "--resume %s --out %s/x", cut, dir);
    expect_failure("cut", args, "is truncated");
    snprintf(args, sizeof args, "--resume %s/ok/generator-epoch-001.ckpt "
             "--out %s/x", dir, dir);
    expect_failure("kind", args, "is a checkpoint of generator, not of "
                                 "12-dcgan");
    /* chapter 8's training checkpoint */
    char *other = scratch_path(dir, "ch08.ckpt");
    Ckpt c;
    float w = 1.0f;
    Error err;
    ckpt_init(&c, "08-gan-mnist");
    ckpt_add(&c, "w", CKPT_F32, &w, 1, (uint64_t[]){1});
    CU_ASSERT_EQUAL(ckpt_save(&c, other, &err), 0);
    ckpt_free(&c);
    snprintf(args, sizeof args, "--resume %s --out %s/x", other, dir);
    expect_failure("ch08", args, "is a checkpoint of 08-gan-mnist, not of "
                                 "12-dcgan");
    snprintf(args, sizeof args, "--generate 4 --from %s --out %s/x", other,
             dir);
    expect_failure("from", args, "is a checkpoint of 08-gan-mnist; a "
                                 "generator comes from 12-dcgan");
    free(bytes);
    free(good);
    free(cut);
    free(other);
}

static void test_nan_stops_and_keeps_the_checkpoint(void)
{
    check_nan_stops(PROG, dir, "d.3.b",
                    "training diverged at step 3: loss_d=nan");
}

/* The epoch's generator loads through chapter 9's interface and draws
 * each image on its own: batch-norm statistics are the saved ones, not
 * the batch's (so alone and in a batch, an image differs only by the
 * rounding of the product's tiles, BATCH_ROUNDING). */
static void test_generators_for_chapter_9(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --epochs 1 "
             "--out %s/g9", dir);
    CU_ASSERT_EQUAL_FATAL(run("g9", args), 0);
    char *path = scratch_path(dir, "g9/generator-epoch-001.ckpt");
    Generator big, one, two;
    Error err;
    CU_ASSERT_EQUAL_FATAL(generator_load(path, 50, &big, &err), 0);
    CU_ASSERT_EQUAL_FATAL(generator_load(path, 50, &two, &err), 0);
    CU_ASSERT_EQUAL_FATAL(generator_load(path, 1, &one, &err), 0);
    CU_ASSERT_TRUE(big.conv);
    CU_ASSERT_EQUAL(big.z_dim, DCGAN_Z);
    enum { N = 7 };
    float *x = malloc((size_t)N * 784 * sizeof(float));
    float *y = malloc((size_t)N * 784 * sizeof(float));
    generator_draw(&big, 9, N, x);
    generator_draw(&one, 9, N, y);
    CU_ASSERT_TRUE(rel_error(x, y, (size_t)N * 784) < BATCH_ROUNDING);
    bool in_range = true;
    for (int i = 0; i < N * 784; i++)
        in_range = in_range && x[i] >= 0.0f && x[i] <= 1.0f;
    CU_ASSERT_TRUE(in_range);
    /* by each batch's own statistics, an image depends on its batch */
    generator_use_batch_statistics(&big);
    generator_use_batch_statistics(&one);
    generator_draw(&big, 9, N, x);
    generator_draw(&one, 9, N, y);
    CU_ASSERT_TRUE(rel_error(x, y, (size_t)N * 784) > 1e-2);
    /* the training checkpoint holds the same generator */
    char *state = scratch_path(dir, "g9/checkpoint.ckpt");
    Generator same_g;
    CU_ASSERT_EQUAL_FATAL(generator_load(state, 50, &same_g, &err), 0);
    generator_draw(&same_g, 9, N, y);
    generator_draw(&two, 9, N, x);
    CU_ASSERT_EQUAL(memcmp(x, y, (size_t)N * 784 * sizeof(float)), 0);
    generator_free(&same_g);
    generator_free(&two);
    generator_free(&big);
    generator_free(&one);
    free(x);
    free(y);
    free(path);
    free(state);
    /* --generate and --interpolate */
    snprintf(args, sizeof args, "--generate 10 --idx --out %s/g9", dir);
    CU_ASSERT_EQUAL(run("gen", args), 0);
    /* --idx: the same samples as bytes, which chapter 9 can score */
    char *idx = scratch_path(dir, "g9/generated.idx");
    IdxImages im;
    CU_ASSERT_EQUAL_FATAL(idx_read_images(idx, 28, 28, &im, &err), 0);
    CU_ASSERT_EQUAL(im.count, 10);
    Generator again;
    char *state2 = scratch_path(dir, "g9/checkpoint.ckpt");
    CU_ASSERT_EQUAL_FATAL(generator_load(state2, 64, &again, &err), 0);
    float *z = malloc((size_t)10 * 784 * sizeof(float));
    generator_draw(&again, 1, 10, z); /* --seed 1, the default */
    bool same_bytes = true;
    for (int i = 0; i < 10 * 784; i++)
        same_bytes = same_bytes &&
                     im.pixels[i] == (uint8_t)lrintf(255.0f * z[i]);
    CU_ASSERT_TRUE(same_bytes);
    free(z);
    generator_free(&again);
    idx_free_images(&im);
    free(idx);
    free(state2);
    CU_ASSERT_EQUAL(run("idx-alone", "--idx"), 2);
    snprintf(args, sizeof args, "--interpolate --out %s/g9", dir);
    CU_ASSERT_EQUAL(run("walk", args), 0);
    char *a = scratch_path(dir, "g9/generated.png");
    char *b = scratch_path(dir, "g9/interpolation.png");
    CU_ASSERT_TRUE(file_exists(a) && file_exists(b));
    free(a);
    free(b);
}

static void test_short_run_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run_shell("%s --epochs 1 --limit 6400 --threads 2 "
                                    "--quiet --out %s/book >/dev/null",
                                    PROG, dir), 0);
    char *result = scratch_read(dir, "book/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    /* other OpenBLAS kernels round differently: hence the tolerances */
    CU_ASSERT_TRUE(book_result_matches(
        "book/12-dcgan.md", 0, result,
        "loss_d=0.05 loss_g=0.3 d_real=0.02 d_fake=0.02 steps_per_s=1e9 "
        "images_per_s=1e9 peak_rss_mb=1e9"));
    free(result);
}

void suite_12_dcgan(void)
{
    CU_pSuite s = CU_add_suite("12-dcgan", setup, teardown);
    CU_add_test(s, "the networks of the paper, N(0, 0.02^2) weights",
                test_shapes);
    CU_add_test(s, "D and G gradients = finite differences, whole networks",
                test_gradients_whole_networks);
    CU_add_test(s, "a training step allocates nothing",
                test_step_allocates_nothing);
    CU_add_test(s, "training moves G's samples towards the data",
                test_training_moves_samples_to_the_data);
    CU_add_test(s, "stopped and resumed = never stopped, byte for byte",
                test_resume_equals_uninterrupted);
    CU_add_test(s, "stopped inside an epoch: the result quotes its means",
                test_partial_epoch_means);
    CU_add_test(s, "Ctrl-C: checkpoint, exit 130, resumable",
                test_sigint_saves_a_checkpoint);
    CU_add_test(s, "bad and other chapters' checkpoints refused",
                test_bad_checkpoints_refused);
    CU_add_test(s, "a non-finite loss stops; the checkpoint is kept",
                test_nan_stops_and_keeps_the_checkpoint);
    CU_add_test(s, "chapter 9 loads its generators; images drawn alone",
                test_generators_for_chapter_9);
    CU_add_test(s, "the short run prints what the book quotes",
                test_short_run_matches_book);
}
