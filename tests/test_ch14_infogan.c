/* test_ch14_infogan.c - chapter 14: G's input is noise and codes drawn
 * as the paper says; the information loss and its gradient, and the
 * gradients of D's and Q's step and of G's step through the whole
 * networks, equal finite differences; with its input fixed G draws the
 * same image whatever else is in its batch; the Hungarian algorithm
 * finds the best matching of codes to classes; a short run teaches Q
 * to read the code G was given; and the program behaves as every GAN
 * chapter's does (resume equals never stopped, epochs.csv included;
 * Ctrl-C; a non-finite loss; other checkpoints refused), its codes'
 * figures and match.csv agreeing with its result line. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "classifier.h"
#include "files.h"
#include "generator.h"
#include "helpers.h"
#include "losses.h"
#include "rng.h"

#include "../chapters/14-infogan/codematch.h"
#include "../chapters/14-infogan/infogan.h"

#define PROG BIN_DIR "/14-infogan"
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

/* ---- the networks and the latent input ---- */

static void test_networks(void)
{
    static Infogan gan;
    Rng rng;
    rng_seed(&rng, 7);
    infogan_init(&gan, 4, false, &rng);
    CU_ASSERT_EQUAL(convnet_in_size(&gan.g), 74);
    CU_ASSERT_EQUAL(convnet_out_size(&gan.g), INFOGAN_PIXELS);
    CU_ASSERT_EQUAL(convnet_out_size(&gan.body), 7 * 7 * 128);
    CU_ASSERT_EQUAL(convnet_out_size(&gan.dhead), 1);
    CU_ASSERT_EQUAL(convnet_out_size(&gan.qhead), 12);
    /* chapter 12's G with 74 inputs, its D's body and head; Q's head
     * 6272*128 (no bias before BN) + 2*128 + 128*12 + 12 */
    CU_ASSERT_EQUAL(convnet_param_count(&gan.g),
                    74 * 6272 + 256 + 131072 + 128 + 1024 + 1);
    CU_ASSERT_EQUAL(convnet_param_count(&gan.body), 1024 + 64 + 131072 + 256);
    CU_ASSERT_EQUAL(convnet_param_count(&gan.dhead), 6272 + 1);
    CU_ASSERT_EQUAL(convnet_param_count(&gan.qhead),
                    6272 * 128 + 256 + 128 * 12 + 12);
    /* one Adam for the body and both heads, one for G */
    /* body W b, W gamma beta; D's W b; Q's W gamma beta, W b */
    CU_ASSERT_EQUAL(gan.d_opt.nparams, 5 + 2 + 5);
    CU_ASSERT_EQUAL(gan.features, 6272);
    infogan_free(&gan);
    /* the paper's: a dense 1,024 more in G and at the end of the body,
     * which the heads read */
    infogan_init(&gan, 4, true, &rng);
    CU_ASSERT_EQUAL(gan.g.nblocks, 4);
    CU_ASSERT_EQUAL(gan.g.blocks[0].out_size, 1024);
    CU_ASSERT_EQUAL(gan.features, 1024);
    CU_ASSERT_EQUAL(convnet_in_size(&gan.qhead), 1024);
    CU_ASSERT_EQUAL(convnet_param_count(&gan.body),
                    1024 + 64 + 131072 + 256 + 6272 * 1024 + 2048);
    infogan_free(&gan);
}

static void test_latent_as_the_paper_draws_it(void)
{
    enum { N = 5000 };
    float *z = malloc((size_t)N * INFOGAN_Z * sizeof(float));
    int c1[N], per_category[INFOGAN_CATEGORIES] = {0};
    Rng rng;
    rng_seed(&rng, 1);
    infogan_draw_latent(&rng, z, c1, N);
    double noise_sum = 0, noise_sq = 0, cont_sum = 0;
    bool one_hot = true, in_range = true;
    for (int i = 0; i < N; i++) {
        const float *row = z + (size_t)i * INFOGAN_Z;
        for (int j = 0; j < INFOGAN_NOISE; j++) {
            noise_sum += row[j];
            noise_sq += (double)row[j] * row[j];
        }
        float ones = 0;
        for (int k = 0; k < INFOGAN_CATEGORIES; k++)
            ones += row[INFOGAN_NOISE + k];
        one_hot = one_hot && ones == 1.0f &&
                  row[INFOGAN_NOISE + c1[i]] == 1.0f;
        per_category[c1[i]]++;
        for (int j = 0; j < INFOGAN_CONTINUOUS; j++) {
            float c = row[INFOGAN_NOISE + INFOGAN_CATEGORIES + j];
            in_range = in_range && c >= -1.0f && c <= 1.0f;
            cont_sum += c;
        }
    }
    double m = noise_sum / (N * INFOGAN_NOISE);
    CU_ASSERT_DOUBLE_EQUAL(m, 0.0, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(noise_sq / (N * INFOGAN_NOISE) - m * m, 1.0,
                           0.02);
    CU_ASSERT_TRUE(one_hot);
    CU_ASSERT_TRUE(in_range);
    CU_ASSERT_DOUBLE_EQUAL(cont_sum / (N * INFOGAN_CONTINUOUS), 0.0, 0.03);
    /* each category about N/10 = 500 times (sd about 21) */
    for (int k = 0; k < INFOGAN_CATEGORIES; k++)
        CU_ASSERT_TRUE(per_category[k] > 400 && per_category[k] < 600);
    free(z);
}

/* ---- the information loss ---- */

typedef struct {
    float q[3 * INFOGAN_Q_OUT];
    float z[3 * INFOGAN_Z];
    int c1[3];
} InfoProbe;

static double info_value(void *ctx)
{
    InfoProbe *p = ctx;
    float dq[3 * INFOGAN_Q_OUT], cat, cont;
    infogan_info_loss(p->q, p->z, p->c1, 3, dq, &cat, &cont);
    return (double)cat + cont;
}

static void test_info_loss_and_its_gradient(void)
{
    static InfoProbe p;
    Rng rng;
    rng_seed(&rng, 2);
    infogan_draw_latent(&rng, p.z, p.c1, 3);
    float dq[3 * INFOGAN_Q_OUT], cat, cont;
    /* Q that reads nothing: equal logits, and means that miss by 0.5 */
    memset(p.q, 0, sizeof p.q);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < INFOGAN_CONTINUOUS; j++)
            p.q[i * INFOGAN_Q_OUT + INFOGAN_CATEGORIES + j] =
                p.z[i * INFOGAN_Z + INFOGAN_NOISE + INFOGAN_CATEGORIES + j] +
                0.5f;
    infogan_info_loss(p.q, p.z, p.c1, 3, dq, &cat, &cont);
    CU_ASSERT_DOUBLE_EQUAL(cat, INFOGAN_LAMBDA_CAT * log(10.0), 1e-5);
    CU_ASSERT_DOUBLE_EQUAL(cont, INFOGAN_LAMBDA_CONT * 2 * 0.125, 1e-6);
    /* Q that reads c1 all but surely: a cross-entropy near 0 */
    for (int i = 0; i < 3; i++)
        p.q[i * INFOGAN_Q_OUT + p.c1[i]] = 30.0f;
    infogan_info_loss(p.q, p.z, p.c1, 3, dq, &cat, &cont);
    CU_ASSERT_TRUE(cat >= 0.0f && cat < 1e-6f);
    /* anywhere: the gradient equals central differences */
    rng_fill_normal(&rng, p.q, 3 * INFOGAN_Q_OUT, 0.0f, 1.0f);
    infogan_info_loss(p.q, p.z, p.c1, 3, dq, &cat, &cont);
    float numeric[3 * INFOGAN_Q_OUT];
    numeric_gradient(p.q, 3 * INFOGAN_Q_OUT, info_value, &p, 1e-2f, numeric);
    CU_ASSERT_TRUE(rel_error(dq, numeric, 3 * INFOGAN_Q_OUT) < 1e-3);
}

/* ---- gradients of whole networks ---- */

enum { PB = 4 }; /* rows in the probe's batches */

typedef struct {
    Infogan gan;
    float z[PB * INFOGAN_Z];
    int c1[PB];
    float fake[PB * INFOGAN_PIXELS];
    bool d_step;
} Probe;

/* Q's information loss on x for the probe's codes, plus D's GAN loss
 * with `target` on x */
static double heads_loss(Probe *p, const float *x, float target)
{
    Infogan *gan = &p->gan;
    float dl[PB], dq[PB * INFOGAN_Q_OUT], cat, cont;
    const float *f = convnet_forward(&gan->body, x, PB, BN_BATCH);
    const float *l = convnet_forward(&gan->dhead, f, PB, BN_BATCH);
    double loss = bce_logits_loss_const(l, target, PB, dl);
    const float *q = convnet_forward(&gan->qhead, f, PB, BN_BATCH);
    infogan_info_loss(q, p->z, p->c1, PB, dq, &cat, &cont);
    return loss + cat + cont;
}

/* D's and Q's loss on fixed real and fake batches, or G's on fixed
 * noise and codes */
static double probe_loss(void *ctx)
{
    Probe *p = ctx;
    Infogan *gan = &p->gan;
    if (p->d_step) {
        float dl[PB];
        const float *f = convnet_forward(&gan->body, gan->real, PB, BN_BATCH);
        const float *l = convnet_forward(&gan->dhead, f, PB, BN_BATCH);
        double loss = bce_logits_loss_const(l, 1.0f, PB, dl);
        return loss + heads_loss(p, p->fake, 0.0f);
    }
    const float *x = convnet_forward(&gan->g, p->z, PB, BN_BATCH);
    return heads_loss(p, x, 1.0f);
}

static void smooth(ConvNet *net)
{
    /* the check needs a smooth loss: a ReLU's kink inside a difference's
     * step breaks it (test_activations checks the ReLUs themselves) */
    for (int i = 0; i < net->nblocks - 1; i++)
        net->blocks[i].spec.act = ACT_TANH;
}

static void test_gradients_whole_networks(void)
{
    static Probe p;
    Infogan *gan = &p.gan;
    Rng rng;
    rng_seed(&rng, 3);
    infogan_init(gan, PB, false, &rng);
    smooth(&gan->g);
    smooth(&gan->body);
    gan->body.blocks[gan->body.nblocks - 1].spec.act = ACT_TANH;
    smooth(&gan->qhead);
    for (int i = 0; i < PB * INFOGAN_PIXELS; i++)
        gan->real[i] = rng_range(&rng, -1, 1);
    float stats[INFOGAN_STATS];
    const float *fake = infogan_fakes(gan, &rng);
    memcpy(p.fake, fake, sizeof p.fake);
    memcpy(p.z, gan->z, sizeof p.z);
    memcpy(p.c1, gan->c1, sizeof p.c1);

    /* D's step: body, D's head and Q's head, all of D's optimiser's
     * tensors at once, and each network alone */
    p.d_step = true;
    infogan_d_gradients(gan, p.fake, stats);
    double d_step_loss = probe_loss(&p);
    double err_d = directional_gradient_error(
        gan->d_opt.params, gan->d_opt.nparams, probe_loss, &p, &rng, FD_H);
    Param params[CONVNET_MAX_PARAMS];
    int n = convnet_params(&gan->qhead, "q", params);
    double err_q = directional_gradient_error(params, n, probe_loss, &p,
                                              &rng, FD_H);
    n = convnet_params(&gan->body, "b", params);
    double err_body = directional_gradient_error(params, n, probe_loss, &p,
                                                 &rng, FD_H);

    p.d_step = false;
    fake = convnet_forward(&gan->g, p.z, PB, BN_BATCH);
    infogan_g_gradients(gan, fake, stats);
    CU_ASSERT_DOUBLE_EQUAL(stats[STAT_LOSS_G] + stats[STAT_INFO_CAT] +
                               stats[STAT_INFO_CONT],
                           probe_loss(&p), 1e-5);
    n = convnet_params(&gan->g, "g", params);
    double err_g = directional_gradient_error(params, n, probe_loss, &p,
                                              &rng, FD_H);
    if (err_d >= 1e-3 || err_q >= 1e-3 || err_body >= 1e-3 || err_g >= 1e-3)
        fprintf(stderr, "\n    relative errors: D and Q %.2e, Q's head "
                "%.2e, body %.2e, G %.2e\n", err_d, err_q, err_body, err_g);
    CU_ASSERT_TRUE(d_step_loss > 0);
    CU_ASSERT_TRUE(err_d < 1e-3);
    CU_ASSERT_TRUE(err_q < 1e-3);
    CU_ASSERT_TRUE(err_body < 1e-3);
    CU_ASSERT_TRUE(err_g < 1e-3);
    infogan_free(gan);
}

/* With its input fixed, G is a function: the same image for the same
 * noise and codes, alone or among others, in any batch (to the
 * rounding of the product's tiles, BATCH_ROUNDING; byte for byte in a
 * batch of the same size). */
static void test_fixed_codes_fixed_images(void)
{
    static Infogan gan;
    Rng rng;
    rng_seed(&rng, 4);
    infogan_init(&gan, 8, false, &rng);
    float stats[INFOGAN_STATS];
    for (int i = 0; i < INFOGAN_PIXELS * 8; i++)
        gan.real[i] = rng_range(&rng, -1, 1);
    infogan_train_step(&gan, &rng, stats);
    infogan_bn_statistics(&gan, &rng);
    float z[8 * INFOGAN_Z], x[8 * INFOGAN_PIXELS], alone[INFOGAN_PIXELS];
    int c1[8];
    infogan_draw_latent(&rng, z, c1, 8);
    infogan_generate(&gan, z, 8, x);
    infogan_generate(&gan, z + 5 * INFOGAN_Z, 1, alone);
    CU_ASSERT_TRUE(rel_error(alone, x + 5 * INFOGAN_PIXELS, INFOGAN_PIXELS) <
                   BATCH_ROUNDING);
    infogan_generate(&gan, z, 8, x + 0);
    float again[8 * INFOGAN_PIXELS];
    infogan_generate(&gan, z, 8, again);
    CU_ASSERT_EQUAL(memcmp(x, again, sizeof x), 0);
    /* and the code matters: another c1, another image */
    z[5 * INFOGAN_Z + INFOGAN_NOISE + c1[5]] = 0.0f;
    z[5 * INFOGAN_Z + INFOGAN_NOISE + (c1[5] + 1) % 10] = 1.0f;
    infogan_generate(&gan, z + 5 * INFOGAN_Z, 1, alone);
    CU_ASSERT_TRUE(rel_error(alone, x + 5 * INFOGAN_PIXELS, INFOGAN_PIXELS) >
                   1e-2);
    infogan_free(&gan);
}

/* ---- matching codes to classes ---- */

/* The best sum over all k! permutations, by trying them (Heap's
 * algorithm). */
static long brute_force_best(const long *counts, int k)
{
    int perm[CODEMATCH_MAX], c[CODEMATCH_MAX] = {0};
    for (int i = 0; i < k; i++)
        perm[i] = i;
    long best = 0;
    for (int i = 0; i < k; i++)
        best += counts[i * k + perm[i]];
    for (int i = 1; i < k;) {
        if (c[i] < i) {
            int j = i % 2 ? c[i] : 0, t = perm[j];
            perm[j] = perm[i];
            perm[i] = t;
            long sum = 0;
            for (int r = 0; r < k; r++)
                sum += counts[r * k + perm[r]];
            if (sum > best)
                best = sum;
            c[i]++;
            i = 1;
        } else {
            c[i++] = 0;
        }
    }
    return best;
}

static void test_hungarian_finds_the_best_matching(void)
{
    /* greedy takes the 9 (code 0 -> class 0) and ends at 9 + 1 + 8 =
     * 18; the best is 8 + 8 + 8 = 24 */
    const long trap[9] = {9, 8, 0,
                          8, 1, 7,
                          0, 7, 8};
    int class_of[CODEMATCH_MAX];
    CU_ASSERT_EQUAL(codematch_assign(trap, 3, class_of), 24);
    CU_ASSERT_EQUAL(brute_force_best(trap, 3), 24);
    CU_ASSERT_TRUE(class_of[0] == 1 && class_of[1] == 0 &&
                   class_of[2] == 2);
    /* random matrices of every size up to 8 against all permutations */
    Rng rng;
    rng_seed(&rng, 5);
    bool all_best = true, all_perms = true;
    for (int trial = 0; trial < 40; trial++) {
        int k = 1 + trial % 8;
        long counts[64];
        for (int i = 0; i < k * k; i++)
            counts[i] = (long)rng_below(&rng, trial % 3 ? 1000 : 4);
        long got = codematch_assign(counts, k, class_of);
        int seen[CODEMATCH_MAX] = {0};
        long sum = 0;
        for (int i = 0; i < k; i++) {
            seen[class_of[i]]++;
            sum += counts[i * k + class_of[i]];
        }
        for (int i = 0; i < k; i++)
            all_perms = all_perms && seen[i] == 1;
        all_best = all_best && got == sum && got == brute_force_best(counts, k);
    }
    CU_ASSERT_TRUE(all_best);
    CU_ASSERT_TRUE(all_perms);
    /* codes that are the classes relabelled: the relabelling, and every
     * image right */
    enum { N = 1000 };
    static const int shuffle[10] = {3, 7, 0, 9, 1, 4, 8, 2, 6, 5};
    int codes[N];
    uint8_t labels[N];
    for (int i = 0; i < N; i++) {
        labels[i] = (uint8_t)(i % 10);
        codes[i] = shuffle[labels[i]];
    }
    long conf[100];
    codematch_confusion(codes, labels, N, 10, conf);
    CU_ASSERT_EQUAL(conf[3 * 10 + 0], 100);
    CU_ASSERT_EQUAL(codematch_assign(conf, 10, class_of), N);
    bool inverse = true;
    for (int c = 0; c < 10; c++)
        inverse = inverse && class_of[shuffle[c]] == c;
    CU_ASSERT_TRUE(inverse);
}

/* ---- the program ---- */

/* What the step teaches: a short run (200 steps of 16) makes G's
 * images carry c1 so that Q reads it back: a cross-entropy far below
 * the log 10 of a Q that reads nothing, which is all Q could do if G
 * ignored the code. And the run's measures agree with match.csv. */
static void test_q_learns_to_read_the_code(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 640 --batch 16 --epochs 5 "
             "--seed 2 --out %s/learn", dir);
    CU_ASSERT_EQUAL_FATAL(run("learn", args), 0);
    char *log = scratch_path(dir, "learn/log.csv");
    double means[INFOGAN_STATS];
    /* columns 2.. are the stats; the last 40 steps */
    CU_ASSERT_TRUE_FATAL(csv_tail_means(log, 2, INFOGAN_STATS, 40, means));
    free(log);
    if (!(means[STAT_INFO_CAT] < 1.5))
        fprintf(stderr, "\n    info_cat at the end %.3f\n",
                means[STAT_INFO_CAT]);
    CU_ASSERT_TRUE(means[STAT_INFO_CAT] < 1.5); /* log 10 = 2.303 */
    char *result = scratch_read(dir, "learn/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    double acc = result_number(result, "code_acc");
    CU_ASSERT_TRUE(acc >= 0.1 && acc <= 1.0);
    CU_ASSERT_EQUAL(result_number(result, "epochs"), 5);
    /* match.csv, of the same checkpoint: as many right */
    char *match = scratch_read(dir, "learn/match.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(match);
    ASSERT_CONTAINS(match, "code,class,images,right\n");
    long images = 0, right = 0;
    const char *line = strchr(match, '\n') + 1;
    int rows = 0;
    for (; *line; line = strchr(line, '\n') + 1, rows++) {
        double v[4];
        CU_ASSERT_EQUAL_FATAL(sscanf(line, "%lf,%lf,%lf,%lf", &v[0], &v[1],
                                     &v[2], &v[3]), 4);
        images += (long)v[2];
        right += (long)v[3];
    }
    CU_ASSERT_EQUAL(rows, 10);
    CU_ASSERT_EQUAL(images, SMALL_TEST);
    CU_ASSERT_DOUBLE_EQUAL((double)right / SMALL_TEST, acc, 1e-4);
    char *epochs = scratch_read(dir, "learn/epochs.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(epochs);
    ASSERT_CONTAINS(epochs, "epoch,code_acc,codes_used\n1,");
    ASSERT_CONTAINS(epochs, "\n5,");
    for (const char *f = "codes.png\0c2.png\0c3.png\0"; *f; f += strlen(f) + 1) {
        char name[64];
        snprintf(name, sizeof name, "learn/%s", f);
        char *path = scratch_path(dir, name);
        CU_ASSERT_TRUE(file_exists(path));
        free(path);
    }
    free(epochs);
    free(match);
    free(result);
    /* G's side, judged by a classifier (an untrained one will do for
     * the plumbing): 1,000 samples of each code, each judged once */
    Classifier clf;
    Rng rng;
    rng_seed(&rng, 6);
    classifier_init(&clf, 16, &rng);
    char *clf_path = scratch_path(dir, "clf.ckpt");
    Error err;
    CU_ASSERT_EQUAL_FATAL(classifier_save(&clf, clf_path, &err), 0);
    classifier_free(&clf);
    snprintf(args, sizeof args, "--codes --from %s/learn/checkpoint.ckpt "
             "--classifier %s --out %s/judge", dir, clf_path, dir);
    CU_ASSERT_EQUAL_FATAL(run("judge", args), 0);
    char *judged = scratch_read(dir, "judge/judged.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(judged);
    ASSERT_CONTAINS(judged, "code,class,samples,judged_so\n0,");
    int classes_seen[10] = {0}, n = 0;
    for (line = strchr(judged, '\n') + 1; *line;
         line = strchr(line, '\n') + 1, n++) {
        double v[4];
        CU_ASSERT_EQUAL_FATAL(sscanf(line, "%lf,%lf,%lf,%lf", &v[0], &v[1],
                                     &v[2], &v[3]), 4);
        CU_ASSERT_TRUE(v[0] == n && v[2] == 1000 && v[3] >= 0 &&
                       v[3] <= 1000);
        classes_seen[(int)v[1]]++;
    }
    CU_ASSERT_EQUAL(n, 10);
    for (int c = 0; c < 10; c++)
        CU_ASSERT_EQUAL(classes_seen[c], 1); /* one-to-one */
    free(judged);
    free(clf_path);
    CU_ASSERT_EQUAL(run("clf-alone", "--classifier x.ckpt"), 2);
}

static void test_resume_equals_uninterrupted(void)
{
    const char *common = "--limit 320 --batch 32 --seed 3";
    char args[1024];
    snprintf(args, sizeof args, "%s --epochs 3 --out %s/a", common, dir);
    CU_ASSERT_EQUAL_FATAL(run("a", args), 0);
    snprintf(args, sizeof args, "%s --epochs 3 --steps 14 --out %s/b", common,
             dir);
    CU_ASSERT_EQUAL_FATAL(run("b1", args), 0);
    snprintf(args, sizeof args, "--resume %s/b/checkpoint.ckpt --epochs 3 "
             "--out %s/b", dir, dir);
    CU_ASSERT_EQUAL_FATAL(run("b2", args), 0);
    CU_ASSERT_TRUE(same("a/checkpoint.ckpt", "b/checkpoint.ckpt"));
    CU_ASSERT_TRUE(same("a/log.csv", "b/log.csv"));
    CU_ASSERT_TRUE(same("a/epochs.csv", "b/epochs.csv"));
    CU_ASSERT_TRUE(same("a/match.csv", "b/match.csv"));
    CU_ASSERT_TRUE(same("a/codes.png", "b/codes.png"));
    CU_ASSERT_TRUE(same("a/generator-epoch-003.ckpt",
                        "b/generator-epoch-003.ckpt"));
}

static void test_sigint_saves_a_checkpoint(void)
{
    check_sigint_resumes(PROG, dir, "build/bin/14-infogan --resume");
}

static void test_nan_stops_and_keeps_the_checkpoint(void)
{
    check_nan_stops(PROG, dir, "dhead.1.b",
                    "training diverged at step 3: loss_d=nan");
}

/* Its generators load through the one interface, which draws their
 * input as InfoGAN's; a wrong layout and other checkpoints are
 * refused. */
static void test_generators_and_checkpoints(void)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --epochs 1 "
             "--out %s/g", dir);
    CU_ASSERT_EQUAL_FATAL(run("g", args), 0);
    char *path = scratch_path(dir, "g/generator-epoch-001.ckpt");
    Generator g;
    Error err;
    CU_ASSERT_EQUAL_FATAL(generator_load(path, 16, &g, &err), 0);
    CU_ASSERT_EQUAL(g.z_dim, INFOGAN_Z);
    CU_ASSERT_TRUE(g.latent.noise == INFOGAN_NOISE &&
                   g.latent.categories == INFOGAN_CATEGORIES &&
                   g.latent.continuous == INFOGAN_CONTINUOUS);
    generator_free(&g);
    free(path);
    /* the training checkpoint holds the same layout */
    path = scratch_path(dir, "g/checkpoint.ckpt");
    CU_ASSERT_EQUAL_FATAL(generator_load_of(path, "14-infogan", 16, &g, &err),
                          0);
    CU_ASSERT_EQUAL(g.latent.categories, INFOGAN_CATEGORIES);
    generator_free(&g);
    /* a layout that does not add up to G's input */
    Ckpt c;
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, NULL, &err), 0);
    CkptTensor *t = (CkptTensor *)ckpt_find(&c, GENERATOR_LATENT);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    int32_t bad[3] = {62, 10, 3};
    t->data = bad;
    char *wrong = scratch_path(dir, "wrong.ckpt");
    CU_ASSERT_EQUAL(ckpt_save(&c, wrong, &err), 0);
    t->data = NULL;
    ckpt_free(&c);
    CU_ASSERT_EQUAL(generator_load(wrong, 16, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "says G's input is 62 noise, 10 categories "
                             "and 3 continuous codes; its network takes 74");
    snprintf(args, sizeof args, "--generate 4 --out %s/g", dir);
    CU_ASSERT_EQUAL(run("gen", args), 0);
    snprintf(args, sizeof args, "--codes --from %s/g/generator-epoch-001.ckpt "
             "--out %s/x", dir, dir);
    expect_program_failure(PROG, dir, "codes-gen", args,
                           "is a checkpoint of generator, not of 14-infogan");
    snprintf(args, sizeof args, "--generate 4 --from %s --out %s/x", wrong,
             dir);
    expect_program_failure(PROG, dir, "gen-wrong", args,
                           "its network takes 74 numbers");
    CU_ASSERT_EQUAL(run("two", "--codes --generate 3"), 2);
    free(wrong);
    free(path);
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
        "book/14-infogan.md", 0, result,
        "loss_d=0.05 loss_g=0.1 d_real=0.02 d_fake=0.02 info_cat=0.1 "
        "info_cont=0.01 code_acc=0.05 steps_per_s=1e9 images_per_s=1e9 "
        "peak_rss_mb=1e9"));
    free(result);
}

void suite_14_infogan(void)
{
    CU_pSuite s = CU_add_suite("14-infogan", setup, teardown);
    CU_add_test(s, "G, D's body and its two heads", test_networks);
    CU_add_test(s, "noise N(0,1), a uniform one-hot c1, c2 and c3 in "
                   "[-1,1]", test_latent_as_the_paper_draws_it);
    CU_add_test(s, "the information loss and its gradient",
                test_info_loss_and_its_gradient);
    CU_add_test(s, "D's and Q's step and G's step equal finite differences",
                test_gradients_whole_networks);
    CU_add_test(s, "fixed noise and codes: the same image, in any batch",
                test_fixed_codes_fixed_images);
    CU_add_test(s, "the Hungarian algorithm finds the best matching",
                test_hungarian_finds_the_best_matching);
    CU_add_test(s, "a short run teaches Q to read c1; its measures agree",
                test_q_learns_to_read_the_code);
    CU_add_test(s, "stopped and resumed equals never stopped",
                test_resume_equals_uninterrupted);
    CU_add_test(s, "Ctrl-C saves a checkpoint that resumes",
                test_sigint_saves_a_checkpoint);
    CU_add_test(s, "a non-finite loss stops with the last good checkpoint",
                test_nan_stops_and_keeps_the_checkpoint);
    CU_add_test(s, "generators load with their latent layout; bad ones "
                   "refused", test_generators_and_checkpoints);
    CU_add_test(s, "the short run prints what the book quotes",
                test_short_run_matches_book);
}
