/* infomodel.c - InfoGAN handed to the shared training run, the measure
 * of its categorical code after every epoch, and the figures of its
 * codes. */
#include "infomodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "classifier.h"
#include "csvlog.h"
#include "dataset.h"
#include "error.h"
#include "files.h"
#include "generator.h"
#include "image.h"
#include "trainplace.h"

#include "codematch.h"
#include "infogan.h"

#define SWEEP 10     /* images per row of the figures */
#define SWEEP_MAX 2.0f
#define FIGURE_SEED 0xc0de5eedu
#define JUDGED_PER_CODE 1000 /* samples of each c1 the classifier judges */

typedef struct {
    Infogan gan;
    bool paper;     /* the paper's networks */
    Dataset data;   /* its test split, for the measure */
    float *test_x;  /* (test, 784) in [-1, 1] */
    int *codes;     /* (test) Q's reading of each */
} InfoRun;

static void model_init(void *m, int batch, Rng *rng)
{
    InfoRun *r = m;
    infogan_init(&r->gan, batch, r->paper, rng);
}

static void model_free(void *m)
{
    InfoRun *r = m;
    infogan_free(&r->gan);
}

static void model_batch(void *m, const Dataset *data, const int *rows,
                        int n)
{
    InfoRun *r = m;
    images_to_float(&data->train_images, rows, n, -1.0f, 1.0f, r->gan.real);
}

static void model_step(void *m, Rng *rng, float *stats)
{
    InfoRun *r = m;
    infogan_train_step(&r->gan, rng, stats);
}

static void model_ckpt_add(void *m, Ckpt *c)
{
    Infogan *gan = &((InfoRun *)m)->gan;
    ConvNet *nets[4] = {&gan->g, &gan->body, &gan->dhead, &gan->qhead};
    static const char *names[4] = {"g", "body", "dhead", "qhead"};
    for (int i = 0; i < 4; i++)
        convnet_ckpt_add(c, nets[i], names[i], &gan->arch[i],
                         gan->tensors[i]);
    generator_latent_ckpt_add(c, &INFOGAN_LATENT);
    optim_ckpt_add(c, &gan->g_opt, "adam.g");
    optim_ckpt_add(c, &gan->d_opt, "adam.d");
}

static int model_ckpt_read(void *m, const Ckpt *c, Error *err)
{
    Infogan *gan = &((InfoRun *)m)->gan;
    if (convnet_ckpt_read(c, "g", &gan->g, err) < 0 ||
        convnet_ckpt_read(c, "body", &gan->body, err) < 0 ||
        convnet_ckpt_read(c, "dhead", &gan->dhead, err) < 0 ||
        convnet_ckpt_read(c, "qhead", &gan->qhead, err) < 0 ||
        optim_ckpt_read(c, &gan->g_opt, "adam.g", err) < 0 ||
        optim_ckpt_read(c, &gan->d_opt, "adam.d", err) < 0)
        return -1;
    return 0;
}

static void model_epoch_end(void *m, Rng *rng)
{
    infogan_bn_statistics(&((InfoRun *)m)->gan, rng);
}

static void model_samples(void *m, uint64_t seed, int n, float *images)
{
    float z[GANTRAIN_GRID * INFOGAN_Z];
    int c1[GANTRAIN_GRID];
    Rng rng;
    rng_seed(&rng, seed);
    infogan_draw_latent(&rng, z, c1, n);
    infogan_generate(&((InfoRun *)m)->gan, z, n, images);
}

static int model_save_generator(void *m, const char *path, Error *err)
{
    return generator_save_net(&((InfoRun *)m)->gan.g, &INFOGAN_LATENT, path,
                              err);
}

/* Q's c1 on the test images against their labels: the accuracy of the
 * best one-to-one naming of codes by classes, the fraction of images
 * it names right. */
static double match_codes(InfoRun *r, int *class_of, long *counts)
{
    const IdxImages *im = &r->data.test_images;
    Infogan *gan = &r->gan;
    infogan_read_codes(gan, r->test_x, im->count, r->codes);
    codematch_confusion(r->codes, r->data.test_labels.labels, im->count,
                        INFOGAN_CATEGORIES, counts);
    long right = codematch_assign(counts, INFOGAN_CATEGORIES, class_of);
    return (double)right / im->count;
}

// listing: infogan-measure
static void model_measure(void *m, float *values)
{
    long counts[INFOGAN_CATEGORIES * INFOGAN_CATEGORIES];
    int class_of[INFOGAN_CATEGORIES];
    values[0] = (float)match_codes(m, class_of, counts);
    /* how many codes Q gives at all: fewer than 10 is a collapse */
    int used = 0;
    for (int i = 0; i < INFOGAN_CATEGORIES; i++) {
        long row = 0;
        for (int j = 0; j < INFOGAN_CATEGORIES; j++)
            row += counts[i * INFOGAN_CATEGORIES + j];
        used += row > 0;
    }
    values[1] = (float)used;
}
// end-listing: infogan-measure

/* The test split, scaled for D, and room for Q's codes. */
static void open_test(InfoRun *r, const char *data)
{
    Error err;
    if (dataset_load(dataset_dir(data), &r->data, &err) < 0)
        fatal("%s", err.msg);
    int n = r->data.test_images.count;
    int *all = xmalloc((size_t)n * sizeof(int));
    index_identity(all, n);
    r->test_x = xmalloc((size_t)n * INFOGAN_PIXELS * sizeof(float));
    images_to_float(&r->data.test_images, all, n, -1.0f, 1.0f, r->test_x);
    free(all);
    r->codes = xmalloc((size_t)n * sizeof(int));
}

static void close_test(InfoRun *r)
{
    dataset_free(&r->data);
    free(r->test_x);
    free(r->codes);
}

static InfoRun the_run; /* large (its layers' descriptions): not on the
                           stack */

int infogan_train(const GanTrainConfig *cfg, bool paper)
{
    InfoRun *r = &the_run;
    r->paper = paper;
    if (cfg->resume) { /* the networks the checkpoint holds */
        Ckpt c;
        Error err;
        if (ckpt_load(&c, cfg->resume, INFOGAN_NAME, &err) < 0)
            fatal("%s", err.msg);
        r->paper = infogan_ckpt_paper(&c);
        ckpt_free(&c);
    }
    open_test(r, cfg->data);
    const GanModel model = {
        .name = INFOGAN_NAME,
        .nstats = INFOGAN_STATS,
        .stats = {"loss_d", "loss_g", "d_real", "d_fake", "info_cat",
                  "info_cont"},
        .model = r,
        .init = model_init,
        .free = model_free,
        .load_batch = model_batch,
        .step = model_step,
        .ckpt_add = model_ckpt_add,
        .ckpt_read = model_ckpt_read,
        .epoch_end = model_epoch_end,
        .samples = model_samples,
        .save_generator = model_save_generator,
        .nmeasures = 2,
        .measures = {"code_acc", "codes_used"},
        .measure = model_measure,
    };
    int status = gantrain_run(&model, cfg);
    close_test(r);
    if (status != 0)
        return status;
    char *from = path_join(cfg->out, "checkpoint.ckpt");
    infogan_codes(from, cfg->out, cfg->data, NULL, cfg->quiet);
    free(from);
    return 0;
}

/* ---- the codes' figures ---- */

/* rows x SWEEP inputs: row r has noise `noise[r]` (or column c's, when
 * by_column) and c1 = r; code `swept` (an index past the noise, or -1)
 * goes from -SWEEP_MAX to SWEEP_MAX along the row; the other
 * continuous codes are 0. */
static void sweep_inputs(const float *noise, bool by_column, int swept,
                         float *z)
{
    for (int row = 0; row < INFOGAN_CATEGORIES; row++)
        for (int col = 0; col < SWEEP; col++) {
            float *zi = z + ((size_t)row * SWEEP + col) * INFOGAN_Z;
            const float *src = noise + (size_t)(by_column ? col : row) *
                                           INFOGAN_NOISE;
            memset(zi, 0, INFOGAN_Z * sizeof(float));
            memcpy(zi, src, INFOGAN_NOISE * sizeof(float));
            zi[INFOGAN_NOISE + row] = 1.0f;
            if (swept >= 0)
                zi[swept] = -SWEEP_MAX + 2.0f * SWEEP_MAX * (float)col /
                                             (float)(SWEEP - 1);
        }
}

static void draw_figure(Infogan *gan, const float *z, const char *out,
                        const char *name, bool quiet)
{
    int n = INFOGAN_CATEGORIES * SWEEP;
    float *x = xmalloc((size_t)n * INFOGAN_PIXELS * sizeof(float));
    infogan_generate(gan, z, n, x);
    char *path = path_join(out, name);
    Error err;
    if (png_write_grid(path, x, n, 28, 28, SWEEP, -1.0f, 1.0f, &err) < 0)
        fatal("%s", err.msg);
    if (!quiet)
        printf("figure: %s\n", path);
    free(path);
    free(x);
}

static void write_match(InfoRun *r, const char *out, const char *data,
                        bool quiet)
{
    long counts[INFOGAN_CATEGORIES * INFOGAN_CATEGORIES];
    int class_of[INFOGAN_CATEGORIES];
    double acc = match_codes(r, class_of, counts);
    const char *const *names = dataset_class_names(dataset_dir(data));
    CsvLog log;
    csv_open_in(&log, out, "match.csv", "code,class,images,right");
    for (int i = 0; i < INFOGAN_CATEGORIES; i++) {
        long total = 0;
        for (int j = 0; j < INFOGAN_CATEGORIES; j++)
            total += counts[i * INFOGAN_CATEGORIES + j];
        long right = counts[i * INFOGAN_CATEGORIES + class_of[i]];
        csv_row(&log, (double[]){i, class_of[i], (double)total,
                                 (double)right});
        if (!quiet)
            printf("  code %d -> %-12s %5ld images, %5.1f%% of them "
                   "right\n", i, names[class_of[i]], total,
                   total ? 100.0 * right / total : 0.0);
    }
    csv_close_or_exit(&log);
    if (!quiet)
        printf("codes: accuracy %.4f of %d test images after the best "
               "matching of codes to classes\n", acc,
               r->data.test_images.count);
}

/* G's side: JUDGED_PER_CODE samples of each value of c1 (fresh noise,
 * c2 and c3 drawn as in training), classified by chapter 4's
 * classifier; the same best matching of codes to classes, now of what
 * G draws for each code. */
static void judge_codes(InfoRun *r, const char *classifier,
                        const char *out, const char *data, bool quiet)
{
    Infogan *gan = &r->gan;
    Classifier clf;
    Error err;
    if (classifier_load(&clf, classifier, gan->batch, &err) < 0)
        fatal("%s", err.msg);
    long counts[INFOGAN_CATEGORIES * INFOGAN_CATEGORIES] = {0};
    size_t rows = (size_t)gan->batch;
    float *z = xmalloc(rows * INFOGAN_Z * sizeof(float));
    float *x = xmalloc(rows * INFOGAN_PIXELS * sizeof(float));
    int *c1 = xmalloc(rows * sizeof(int)), *judged = xmalloc(rows * sizeof(int));
    Rng rng;
    rng_seed(&rng, FIGURE_SEED + 1);
    for (int code = 0; code < INFOGAN_CATEGORIES; code++)
        for (int done = 0; done < JUDGED_PER_CODE; done += gan->batch) {
            int n = JUDGED_PER_CODE - done < gan->batch ? JUDGED_PER_CODE - done
                                                        : gan->batch;
            infogan_draw_latent(&rng, z, c1, n);
            for (int i = 0; i < n; i++) { /* this code instead */
                z[(size_t)i * INFOGAN_Z + INFOGAN_NOISE + c1[i]] = 0.0f;
                z[(size_t)i * INFOGAN_Z + INFOGAN_NOISE + code] = 1.0f;
            }
            infogan_generate(gan, z, n, x);
            for (size_t i = 0; i < (size_t)n * INFOGAN_PIXELS; i++)
                x[i] = 0.5f * (x[i] + 1.0f); /* tanh's range to [0, 1] */
            classifier_predict(&clf, x, n, judged);
            for (int i = 0; i < n; i++)
                counts[code * INFOGAN_CATEGORIES + judged[i]]++;
        }
    int class_of[INFOGAN_CATEGORIES];
    long right = codematch_assign(counts, INFOGAN_CATEGORIES, class_of);
    const char *const *names = dataset_class_names(dataset_dir(data));
    CsvLog log;
    csv_open_in(&log, out, "judged.csv", "code,class,samples,judged_so");
    for (int i = 0; i < INFOGAN_CATEGORIES; i++) {
        long so = counts[i * INFOGAN_CATEGORIES + class_of[i]];
        csv_row(&log, (double[]){i, class_of[i], JUDGED_PER_CODE,
                                 (double)so});
        if (!quiet)
            printf("  code %d draws %-12s %5.1f%% of its samples\n", i,
                   names[class_of[i]], 100.0 * so / JUDGED_PER_CODE);
    }
    csv_close_or_exit(&log);
    if (!quiet)
        printf("drawn: %.4f of %d samples are the class matched to their "
               "code, as %s judges them\n",
               (double)right / (INFOGAN_CATEGORIES * JUDGED_PER_CODE),
               INFOGAN_CATEGORIES * JUDGED_PER_CODE, classifier);
    classifier_free(&clf);
    free(z);
    free(x);
    free(c1);
    free(judged);
}

int infogan_codes(const char *from, const char *out, const char *data,
                  const char *classifier, bool quiet)
{
    InfoRun *r = &the_run;
    Ckpt c;
    Error err;
    int batch, count;
    uint64_t seed;
    uint32_t crc;
    if (ckpt_load(&c, from, INFOGAN_NAME, &err) < 0 ||
        train_place_peek(&c, &batch, &count, &seed, &crc, &err) < 0)
        fatal("%s", err.msg);
    Rng rng;
    rng_seed(&rng, seed);
    infogan_init(&r->gan, batch, infogan_ckpt_paper(&c), &rng);
    if (model_ckpt_read(r, &c, &err) < 0)
        fatal("%s", err.msg);
    ckpt_free(&c);
    /* ten noises, the same in every figure */
    float noise[SWEEP * INFOGAN_NOISE];
    rng_seed(&rng, FIGURE_SEED);
    rng_fill_normal(&rng, noise, SWEEP * INFOGAN_NOISE, 0.0f, 1.0f);
    float *z = xmalloc((size_t)INFOGAN_CATEGORIES * SWEEP * INFOGAN_Z *
                       sizeof(float));
    sweep_inputs(noise, true, -1, z);
    draw_figure(&r->gan, z, out, "codes.png", quiet);
    for (int j = 0; j < INFOGAN_CONTINUOUS; j++) {
        char name[32];
        snprintf(name, sizeof name, "c%d.png", 2 + j);
        sweep_inputs(noise, false, INFOGAN_NOISE + INFOGAN_CATEGORIES + j, z);
        draw_figure(&r->gan, z, out, name, quiet);
    }
    free(z);
    open_test(r, data);
    write_match(r, out, data, quiet);
    close_test(r);
    if (classifier)
        judge_codes(r, classifier, out, data, quiet);
    infogan_free(&r->gan);
    return 0;
}
