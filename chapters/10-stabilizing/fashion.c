/* fashion.c - chapter 10's tricks on Fashion-MNIST, judged by FCD.
 *
 * Adds over chapters 8 and 9: the same fixed budget for every trick,
 * and chapter 9's FCD as the one number that compares them.
 * Leaves out on purpose: checkpoints and resuming (chapter 8 has them;
 * a run here is minutes), and several seeds per trick (the 2-D table
 * has them; see the exercises).
 * Build and run: build/bin/10-stabilizing --experiment NAME --target
 * fashion; test: make check SUITE=10-stabilizing
 */
#include "fashion.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvlog.h"
#include "files.h"
#include "image.h"

#define PIXELS CLASSIFIER_INPUT      /* 784 */
#define F CLASSIFIER_FEATURES
#define FORWARD_BATCH 500   /* rows per forward of G and the classifier */
#define GRID_SIDE 8         /* the sample figure is 8 x 8 */
#define CODES_STREAM 0xc0de5u /* seed offset of the fixed codes */

/* Fits a Gaussian to the classifier features of n images in [0, 1].
 *   x: (n, 784) */
static void fit_features(FashionJudge *j, const float *x, int n,
                         Gaussian *g)
{
    float *features = xmalloc((size_t)n * F * sizeof(float)); /* (n, F) */
    Error err;
    classifier_features(&j->clf, x, n, features);
    if (gaussian_fit(g, features, n, F, &err) < 0)
        fatal("%s", err.msg);
    free(features);
}

int stab_fashion_judge_init(FashionJudge *j, const char *data_dir,
                            const char *classifier, int samples,
                            uint64_t seed, Error *err)
{
    memset(j, 0, sizeof *j);
    if (dataset_load(data_dir, &j->data, err) < 0)
        return -1;
    const IdxImages *train = &j->data.train_images;
    const IdxImages *test = &j->data.test_images;
    if (test->count < samples || train->count < samples) {
        dataset_free(&j->data);
        return error_set(err, "%s has %d training and %d test images; "
                         "the FCD of %d samples needs as many of each",
                         data_dir, train->count, test->count, samples);
    }
    if (classifier_load(&j->clf, classifier, FORWARD_BATCH, err) < 0) {
        dataset_free(&j->data);
        size_t used = strlen(err->msg);
        if (!file_exists(classifier))
            snprintf(err->msg + used, sizeof err->msg - used,
                     "\nHINT: chapter 4 trains the classifier that "
                     "judges the samples: build/bin/04-classifier");
        return -1;
    }
    j->samples = samples;
    float *x = xmalloc((size_t)samples * PIXELS * sizeof(float));
    int *idx = xmalloc((size_t)train->count * sizeof(int));
    index_identity(idx, train->count);
    images_to_float(test, idx, samples, 0.0f, 1.0f, x);
    fit_features(j, x, samples, &j->test_fit);

    /* the floor: as many training images, drawn at random */
    Rng rng;
    rng_seed(&rng, seed);
    rng_shuffle(&rng, idx, train->count);
    images_to_float(train, idx, samples, 0.0f, 1.0f, x);
    Gaussian fit;
    fit_features(j, x, samples, &fit);
    int rc = frechet_distance(&fit, &j->test_fit, &j->floor, err);
    gaussian_free(&fit);
    free(idx);
    free(x);
    if (rc < 0)
        stab_fashion_judge_free(j);
    return rc;
}

void stab_fashion_judge_free(FashionJudge *j)
{
    dataset_free(&j->data);
    classifier_free(&j->clf);
    gaussian_free(&j->test_fit);
    memset(j, 0, sizeof *j);
}

// listing: fcd
double stab_fashion_fcd(FashionJudge *j, const float *x, int n)
{
    /* G draws in [-1, 1]; the classifier reads [0, 1] */
    float *pixels = xmalloc((size_t)n * PIXELS * sizeof(float));
    for (size_t i = 0; i < (size_t)n * PIXELS; i++)
        pixels[i] = 0.5f * (x[i] + 1.0f);
    Gaussian fit;
    fit_features(j, pixels, n, &fit);
    double d2;
    Error err;
    if (frechet_distance(&fit, &j->test_fit, &d2, &err) < 0)
        fatal("%s", err.msg);
    gaussian_free(&fit);
    free(pixels);
    return d2;
}
// end-listing: fcd

/* The training images in a new random order every epoch. */
typedef struct {
    const IdxImages *images;
    int *order; /* (count) */
    int count, pos;
} Epochs;

static void sample_images(void *ctx, Rng *rng, float *x, int n)
{
    Epochs *e = ctx;
    for (int done = 0; done < n;) {
        if (e->pos == e->count) {
            rng_shuffle(rng, e->order, e->count);
            e->pos = 0;
        }
        int take = n - done < e->count - e->pos ? n - done
                                                : e->count - e->pos;
        images_to_float(e->images, e->order + e->pos, take, -1.0f, 1.0f,
                        x + (size_t)done * PIXELS);
        e->pos += take;
        done += take;
    }
}

typedef struct {
    double loss_d, loss_g, d_real, d_fake;
    int steps;
} Means;

static void log_row(CsvLog *log, Game *gm, long step, Means *m,
                    const float *z_probe)
{
    double n = m->steps > 0 ? m->steps : 1;
    double ns = stab_game_g_grad_norm(gm, z_probe, LOSS_NONSATURATING,
                                       NULL);
    double mm = stab_game_g_grad_norm(gm, z_probe, LOSS_MINIMAX, NULL);
    csv_row(log, (double[]){(double)step, m->loss_d / n, m->loss_g / n,
                            m->d_real / n, m->d_fake / n, ns, mm});
    *m = (Means){0};
}

static void write_grid(const char *dir, const float *x)
{
    char *path = path_join(dir, "fashion-samples.png");
    Error err;
    if (png_write_grid(path, x, GRID_SIDE * GRID_SIDE, DATASET_SIDE,
                       DATASET_SIDE, GRID_SIDE, -1.0f, 1.0f, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

/* Trains one GAN from seed and returns its FCD; log (the first
 * seed's) may be NULL; the first seed also draws its samples. */
static double train_seed(const Experiment *e, const GameConfig *cfg,
                         uint64_t seed, const FashionPlan *plan,
                         FashionJudge *j, CsvLog *log)
{
    Rng rng;
    rng_seed(&rng, seed);
    Game gm;
    stab_game_init(&gm, cfg, FORWARD_BATCH, &rng);
    const IdxImages *train = &j->data.train_images;
    Epochs epochs = {train, xmalloc((size_t)train->count * sizeof(int)),
                     train->count, train->count};
    index_identity(epochs.order, train->count);

    /* fixed codes, from their own stream: the probe's and the FCD's */
    Rng codes;
    rng_seed(&codes, seed + CODES_STREAM);
    int n = j->samples, Z = cfg->latent;
    float *z = xmalloc((size_t)n * Z * sizeof(float));
    float *z_probe = xmalloc((size_t)gm.samples * Z * sizeof(float));
    rng_fill_normal(&codes, z, (long)n * Z, 0.0f, 1.0f);
    rng_fill_normal(&codes, z_probe, (long)gm.samples * Z, 0.0f, 1.0f);

    Means m = {0};
    if (log)
        log_row(log, &gm, 0, &m, z_probe);
    GameStats st;
    bool failed = false;
    for (long step = 1; step <= cfg->steps && !failed; step++) {
        stab_game_step(&gm, sample_images, &epochs, &rng, &st);
        if (!isfinite(st.loss_d) || !isfinite(st.loss_g)) {
            /* a failure the table must show: FCD NaN, and the sweep
             * goes on */
            warn("training diverged on Fashion-MNIST (%s, seed %llu), "
                 "step %ld: loss_d=%g loss_g=%g", e->name,
                 (unsigned long long)seed, step, (double)st.loss_d,
                 (double)st.loss_g);
            failed = true;
            if (plan->progress)
                *plan->done += cfg->steps - step;
        }
        m.loss_d += st.loss_d;
        m.loss_g += st.loss_g;
        m.d_real += st.d_real;
        m.d_fake += st.d_fake;
        m.steps++;
        long every = step <= FASHION_EARLY_STEPS ? FASHION_EARLY_EVERY
                                                 : FASHION_LOG_EVERY;
        if (log && (step % every == 0 || step == cfg->steps))
            log_row(log, &gm, step, &m, z_probe);
        if (plan->progress)
            progress_update(plan->progress, ++*plan->done,
                            "fashion %s seed %llu  loss_d=%.3f "
                            "loss_g=%.3f", e->name,
                            (unsigned long long)seed, st.loss_d,
                            st.loss_g);
    }

    /* batch norm: statistics of each batch of FORWARD_BATCH samples */
    float *x = xmalloc((size_t)n * PIXELS * sizeof(float));
    stab_game_generate(&gm, z, x, n, FORWARD_BATCH, NET_BATCH);
    double fcd = failed ? NAN : stab_fashion_fcd(j, x, n);
    if (log)
        write_grid(plan->dir, x);
    free(x);
    free(z);
    free(z_probe);
    free(epochs.order);
    stab_game_free(&gm);
    return fcd;
}

void stab_fashion_run(const Experiment *e, const FashionPlan *plan,
                      FashionJudge *j, double *fcd)
{
    GameConfig cfg;
    stab_experiment_config(e, FAMILY_FASHION, &cfg);
    cfg.steps = plan->steps;
    CsvLog log, out;
    csv_open_in(&log, plan->dir, "fashion-log.csv",
                "step,loss_d,loss_g,d_real,d_fake,grad_nonsaturating,"
                "grad_minimax");
    csv_open_in(&out, plan->dir, "fashion.csv",
                "seed,steps,fcd,fcd_floor");
    for (int k = 0; k < plan->seeds; k++) {
        uint64_t seed = plan->seed + (uint64_t)k;
        fcd[k] = train_seed(e, &cfg, seed, plan, j, k == 0 ? &log : NULL);
        if (k == 0)
            csv_close_or_exit(&log);
        csv_row(&out, (double[]){(double)seed, (double)plan->steps,
                                 fcd[k], j->floor});
    }
    csv_close_or_exit(&out);
}
