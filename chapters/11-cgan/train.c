/* train.c - the training run of chapter 11.
 *
 * Each epoch visits the labelled training images in a new random
 * order, one batch of N per step. After every epoch: the class grid
 * (one row per class, one column per fixed noise vector), the share of
 * samples the classifier assigns to the class asked for (epochs.csv),
 * G alone and a checkpoint of the whole state. At the end, the full
 * per-class evaluation (eval.csv) and the figures. Every step's numbers
 * also go to TensorBoard's events file (common/tfevents.h), and every
 * epoch's class grid and share as asked with them, unless --no-events.
 * Ctrl-C finishes the step and saves a checkpoint to resume from; a
 * non-finite loss stops the run and keeps the last good checkpoint.
 */
#include "train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "classifier.h"
#include "csvlog.h"
#include "dataset.h"
#include "epochmeans.h"
#include "error.h"
#include "files.h"
#include "interrupt.h"
#include "plot.h"
#include "progress.h"
#include "run.h"
#include "tfevents.h"

#include "evaluate.h"
#include "sample.h"
#include "state.h"

/* Each use of noise outside training has its own stream, so that none
 * of them changes what training draws. */
#define GRID_NOISE_STREAM 0x5eedf00du
#define EPOCH_EVAL_STREAM 0xe0c4e0c4u
#define FINAL_EVAL_STREAM 0xf17a1e7au
#define CLASSIFIER_BATCH 1000 /* rows per classifier forward pass */
#define LOG_HEADER "step,epoch,loss_d,loss_g,d_real,d_fake"
#define LOG_COLUMNS 6
#define EPOCH_HEADER                                                      \
    "epoch,class_accuracy,real_accuracy,acc_0,acc_1,acc_2,acc_3,acc_4,"  \
    "acc_5,acc_6,acc_7,acc_8,acc_9"
#define EPOCH_COLUMNS (3 + CGAN_CLASSES)

/* the events' tags: the log's columns after step */
static const char *const EVENT_TAGS[LOG_COLUMNS - 1] = {
    "epoch", "loss_d", "loss_g", "d_real", "d_fake"};

typedef struct {
    const CganConfig *cfg;
    Run run;
    Dataset data;
    Classifier clf;
    double real_accuracy;  /* the classifier's, on the real test set */
    CganState st;
    CsvLog log, epochs;
    TfEvents events;
    int *labels;           /* (N) the real batch's labels */
    float *grid_z;         /* (CGAN_GRID_COLS, Z) the grid's noise */
    float *grid;           /* (CGAN_GRID_SAMPLES, P) its images */
    char *ckpt_path;
} Trainer;

static void load_classifier(const char *path, Classifier *clf)
{
    Error err;
    if (classifier_load(clf, path, CLASSIFIER_BATCH, &err) < 0)
        fatal("%s\nHINT: the classifier of chapter 4 judges the "
              "samples; train it with build/bin/04-classifier, or name "
              "one with --classifier FILE", err.msg);
}

/* CRC-32 of the pixels and labels of the first `count` images: a
 * resumed run must see the same labelled data. */
static uint32_t data_crc(const Dataset *ds, int count)
{
    uint32_t crc = train_data_crc(0, ds->train_images.pixels,
                                  (size_t)count * CGAN_PIXELS);
    return train_data_crc(crc, ds->train_labels.labels, (size_t)count);
}

static void open_data_and_state(Trainer *t)
{
    const CganConfig *cfg = t->cfg;
    Error err;
    if (dataset_load(t->run.data, &t->data, &err) < 0)
        fatal("%s", err.msg);
    int available = t->data.train_images.count;
    CganRunShape shape = {
        .batch = cfg->batch, .count = cfg->limit ? cfg->limit : available,
        .label_scale = cfg->label_scale, .seed = cfg->seed};
    if (cfg->resume && cgan_state_peek(cfg->resume, &shape, &err) < 0)
        fatal("%s", err.msg);
    if (shape.count > available)
        fatal("%s has %d training images; %s %d", t->run.data, available,
              cfg->resume ? "the checkpoint was trained on" : "--limit is",
              shape.count);
    if (shape.count < shape.batch)
        fatal("%d training images do not fill one batch of %d",
              shape.count, shape.batch);
    CganState *st = &t->st;
    uint32_t crc = data_crc(&t->data, shape.count);
    if (cfg->resume && shape.data_crc != crc)
        fatal("%s was trained on other images or labels than those in "
              "%s", cfg->resume, t->run.data);
    train_place_init(&st->place, shape.count, shape.batch, shape.seed,
                     crc);
    cgan_init(&st->net, shape.batch, shape.label_scale, &st->place.rng);
    if (cfg->resume && cgan_state_load(st, cfg->resume, &err) < 0)
        fatal("%s", err.msg);
    t->run.seed = shape.seed;
    t->labels = xmalloc((size_t)shape.batch * sizeof(int));
}

static void open_logs(Trainer *t)
{
    Error err;
    char *path = run_path(&t->run, "log.csv");
    char *epochs = run_path(&t->run, "epochs.csv");
    bool resume = t->cfg->resume != NULL;
    if ((resume ? csv_resume(&t->log, path, LOG_HEADER,
                             (double)t->st.place.step, &err)
                : csv_open(&t->log, path, LOG_HEADER, &err)) < 0 ||
        (resume ? csv_resume(&t->epochs, epochs, EPOCH_HEADER,
                             (double)t->st.place.epoch, &err)
                : csv_open(&t->epochs, epochs, EPOCH_HEADER, &err)) < 0)
        fatal("%s", err.msg);
    free(path);
    free(epochs);
    /* its first step is the one after the checkpoint resumed from */
    tfevents_open_or_exit(&t->events, t->cfg->out, t->st.place.step + 1,
                          t->cfg->no_events);
}

static void make_grid_noise(Trainer *t)
{
    Rng fixed;
    rng_seed(&fixed, t->st.place.seed + GRID_NOISE_STREAM);
    t->grid_z = xmalloc((size_t)CGAN_GRID_COLS * CGAN_Z * sizeof(float));
    t->grid = xmalloc((size_t)CGAN_GRID_SAMPLES * CGAN_PIXELS *
                      sizeof(float));
    rng_fill_normal(&fixed, t->grid_z, (long)CGAN_GRID_COLS * CGAN_Z,
                    0.0f, 1.0f);
}

static void save_checkpoint(Trainer *t)
{
    Error err;
    /* the logs first: a crash between them and the checkpoint leaves
     * them ahead of it, which csv_resume cuts back, never behind */
    if (csv_publish(&t->log, &err) < 0 ||
        csv_publish(&t->epochs, &err) < 0 ||
        cgan_state_save(&t->st, t->ckpt_path, &err) < 0)
        fatal("%s", err.msg);
}

static void write_grids(Trainer *t)
{
    char name[64];
    Error err;
    snprintf(name, sizeof name, "samples-epoch-%03d.png", t->st.place.epoch);
    const char *names[2] = {name, "samples.png"};
    cgan_grid_images(cgan_generator(&t->st.net), t->grid_z, t->grid);
    for (int i = 0; i < 2; i++) {
        char *path = run_path(&t->run, names[i]);
        if (cgan_grid_write(t->grid, path, &err) < 0)
            fatal("%s", err.msg);
        free(path);
    }
    tfevents_grid_or_exit(&t->events, t->st.place.step, "samples", t->grid,
                          CGAN_GRID_SAMPLES, DATASET_SIDE, DATASET_SIDE,
                          CGAN_GRID_COLS, -1.0f, 1.0f);
}

/* Logs the share of samples the classifier assigns to the class
 * asked for, overall and per class, to epochs.csv; returns it. */
static double log_class_accuracy(Trainer *t)
{
    double row[EPOCH_COLUMNS] = {t->st.place.epoch, 0, t->real_accuracy};
    row[1] = cgan_class_accuracy(cgan_generator(&t->st.net), &t->clf,
                                 t->cfg->epoch_samples,
                                 t->st.place.seed + EPOCH_EVAL_STREAM,
                                 row + 3);
    csv_row(&t->epochs, row);
    tfevents_scalars(&t->events, t->st.place.step, 1,
                     (const char *const[]){"class_accuracy"}, row + 1);
    return row[1];
}

static double end_of_epoch(Trainer *t)
{
    write_grids(t);
    Error err;
    char *path = run_path(&t->run, "generator.ckpt");
    if (cgan_generator_save(&t->st.net, path, &err) < 0)
        fatal("%s", err.msg);
    free(path);
    double accuracy = log_class_accuracy(t);
    save_checkpoint(t);
    tfevents_flush_or_exit(&t->events);
    return accuracy;
}

static void print_epoch(const Trainer *t, const StepSums *m,
                        double accuracy, double seconds, long steps)
{
    if (t->cfg->quiet || m->steps == 0)
        return;
    printf("epoch %d/%d: loss_d %.4f  loss_g %.4f  D(x) %.3f  "
           "D(G(z)) %.3f  as asked %.3f  (%.0f steps/s)\n", t->st.place.epoch,
           t->cfg->epochs, step_sums_mean(m, 0), step_sums_mean(m, 1),
           step_sums_mean(m, 2), step_sums_mean(m, 3), accuracy,
           seconds > 0 ? (double)steps / seconds : 0.0);
    fflush(stdout);
}

/* Stops on a loss that is not a number: nothing after it can be
 * trusted, and the last checkpoint is the last good state. */
static void check_finite(Trainer *t, const CganStats *s)
{
    if (isfinite(s->loss_d) && isfinite(s->loss_g))
        return;
    Error err;
    if (csv_publish(&t->log, &err) < 0)
        warn("%s", err.msg);
    fatal("training diverged at step %ld: loss_d=%g loss_g=%g; the last "
          "good state is %s (epoch %d)", t->st.place.step, s->loss_d,
          s->loss_g, t->ckpt_path, t->st.place.epoch);
}

/* Trains until the epoch ends, the run's last step, or Ctrl-C; returns
 * true when interrupted. */
static bool train_epoch(Trainer *t, long total, Progress *progress,
                        EpochMeans *means)
{
    TrainPlace *p = &t->st.place;
    Cgan *net = &t->st.net;
    int n = net->batch;
    bool interrupted = false;
    // listing: epoch-loop
    while (p->pos + n <= p->count && p->step < total && !interrupted) {
        const int *rows = p->order + p->pos;
        images_to_float(&t->data.train_images, rows, n, -1.0f, 1.0f,
                        net->real);
        labels_gather(&t->data.train_labels, rows, n, t->labels);
        cgan_onehot(t->labels, n, net->label_scale, net->real_y);
        CganStats s;
        cgan_train_step(net, &p->rng, &s);
        p->pos += n;
        p->step++;
        check_finite(t, &s);
        double row[LOG_COLUMNS] = {(double)p->step, p->epoch + 1, s.loss_d,
                                   s.loss_g, s.d_real, s.d_fake};
        csv_row(&t->log, row);
        tfevents_scalars(&t->events, p->step, LOG_COLUMNS - 1, EVENT_TAGS,
                         row + 1);
        epoch_means_add(means,
                        (float[]){s.loss_d, s.loss_g, s.d_real, s.d_fake});
        progress_update(progress, p->step,
                        "epoch %d  loss_d=%.3f loss_g=%.3f D(x)=%.2f "
                        "D(G(z))=%.2f", p->epoch + 1, s.loss_d,
                        s.loss_g, s.d_real, s.d_fake);
        interrupted = interrupt_requested();
    }
    // end-listing: epoch-loop
    return interrupted;
}

/* The per-class evaluation of G, its file, table and figure. */
static void final_evaluation(const Run *run, CganGenerator g,
                             Classifier *clf, const Dataset *data,
                             int per_class, CganEval *ev)
{
    Error err;
    if (cgan_evaluate(g, clf, data, per_class,
                      run->seed + FINAL_EVAL_STREAM, ev, &err) < 0)
        fatal("%s", err.msg);
    const char *const *names = dataset_class_names(run->data);
    char *path = run_path(run, "eval.csv");
    if (cgan_eval_write(ev, names, path, &err) < 0)
        fatal("%s", err.msg);
    free(path);
    if (!run->quiet) {
        printf("the classifier's verdict on %d samples per class:\n",
               per_class);
        cgan_eval_print(ev, names);
    }
    if (plot_render("11-cgan-eval", run->out, run->quiet, &err) < 0)
        warn("%s", err.msg);
}

static void trainer_free(Trainer *t)
{
    cgan_free(&t->st.net);
    classifier_free(&t->clf);
    train_place_free(&t->st.place);
    free(t->labels);
    free(t->grid_z);
    free(t->grid);
    free(t->ckpt_path);
    dataset_free(&t->data);
}

static int stop_interrupted(Trainer *t)
{
    const CganConfig *cfg = t->cfg;
    printf("interrupted after step %ld; the state is saved. Resume "
           "with:\n  build/bin/11-cgan --resume %s --out %s --epochs %d\n",
           t->st.place.step, t->ckpt_path, cfg->out, cfg->epochs);
    Error err;
    if (csv_close(&t->log, &err) < 0 || csv_close(&t->epochs, &err) < 0 ||
        tfevents_close(&t->events, &err) < 0)
        warn("%s", err.msg);
    trainer_free(t);
    return INTERRUPT_EXIT_STATUS;
}

int cgan_train(const CganConfig *cfg)
{
    Trainer t = {.cfg = cfg};
    t.run = (Run){.name = "11-cgan", .seed = cfg->seed, .out = cfg->out,
                  .data = dataset_dir(cfg->data), .threads = cfg->threads,
                  .quiet = cfg->quiet};
    run_start(&t.run);
    load_classifier(cfg->classifier, &t.clf);
    open_data_and_state(&t);
    double real_per_class[CGAN_CLASSES];
    t.real_accuracy = cgan_real_accuracy(&t.clf, &t.data.test_images,
                                         &t.data.test_labels,
                                         real_per_class);
    t.ckpt_path = run_path(&t.run, "checkpoint.ckpt");
    open_logs(&t);
    make_grid_noise(&t);
    if (!cfg->resume)
        log_class_accuracy(&t); /* epoch 0: G as initialised */
    interrupt_watch();

    CganState *st = &t.st;
    int per_epoch = st->place.count / st->net.batch;
    long total = (long)cfg->epochs * per_epoch;
    if (cfg->max_steps && cfg->max_steps < total)
        total = cfg->max_steps;
    if (!cfg->quiet) {
        if (cfg->resume)
            printf("resuming %s at step %ld (epoch %d), batch %d, seed "
                   "%llu\n", cfg->resume, st->place.step, st->place.epoch + 1,
                   st->net.batch, (unsigned long long)st->place.seed);
        printf("%d images, %d steps of %d per epoch, %ld steps in all, "
               "label scale %g\nthe classifier's accuracy on the test "
               "images: %.4f\n", st->place.count, per_epoch, st->net.batch,
               total, st->net.label_scale, t.real_accuracy);
    }

    long first_step = st->place.step;
    Progress progress;
    progress_init(&progress, st->place.step, total, cfg->quiet);
    EpochMeans means;
    epoch_means_init(&means, 4, EPOCH_MEANS_GAN);
    bool interrupted = false;
    double loop_start = clock_seconds();
    while (st->place.step < total && !interrupted) {
        if (st->place.pos == 0)
            rng_shuffle(&st->place.rng, st->place.order, st->place.count);
        double t0 = clock_seconds();
        long steps_before = st->place.step;
        interrupted = train_epoch(&t, total, &progress, &means);
        progress_end(&progress);
        if (st->place.pos + st->net.batch > st->place.count) {
            /* the epoch is complete; its last partial batch is dropped */
            st->place.epoch++;
            st->place.pos = 0;
            double accuracy = end_of_epoch(&t);
            print_epoch(&t, epoch_means_end(&means), accuracy,
                        clock_seconds() - t0,
                        st->place.step - steps_before);
        }
    }
    double loop_seconds = clock_seconds() - loop_start;
    save_checkpoint(&t);
    if (interrupted)
        return stop_interrupted(&t);
    Error err;
    if (csv_close(&t.log, &err) < 0 || csv_close(&t.epochs, &err) < 0 ||
        tfevents_close(&t.events, &err) < 0)
        fatal("%s", err.msg);
    CganEval ev;
    final_evaluation(&t.run, cgan_generator(&st->net), &t.clf, &t.data,
                     cfg->eval_samples, &ev);
    if (plot_render("11-cgan", cfg->out, cfg->quiet, &err) < 0)
        warn("%s", err.msg);
    /* a run stopped inside an epoch quotes that partial epoch;
     * steps_per_s is the loop's rate, seconds= the whole run's */
    char fields[256];
    epoch_means_fields(&means, per_epoch, fields, sizeof fields);
    run_result(&t.run,
               "class_accuracy=%.4f real_accuracy=%.4f mean_fcd=%.2f "
               "real_fcd=%.2f epochs=%d steps=%ld %s steps_per_s=%.1f",
               ev.class_accuracy, ev.real_test_accuracy, ev.mean_fcd,
               ev.mean_real_fcd, st->place.epoch, st->place.step, fields,
               loop_seconds > 0
                   ? (double)(st->place.step - first_step) / loop_seconds
                   : 0.0);
    trainer_free(&t);
    return 0;
}

int cgan_evaluate_main(const CganConfig *cfg, const char *from)
{
    Run run = {.name = "11-cgan", .seed = cfg->seed, .out = cfg->out,
               .data = dataset_dir(cfg->data), .threads = cfg->threads,
               .quiet = cfg->quiet};
    run_start(&run);
    Error err;
    Mlp g;
    float scale;
    if (cgan_generator_load(from, CLASSIFIER_BATCH, &g, &scale, &err) < 0)
        fatal("%s", err.msg);
    Classifier clf;
    load_classifier(cfg->classifier, &clf);
    Dataset data;
    if (dataset_load(run.data, &data, &err) < 0)
        fatal("%s", err.msg);
    CganEval ev;
    final_evaluation(&run, (CganGenerator){&g, scale}, &clf, &data,
                     cfg->eval_samples, &ev);
    run_result(&run, "class_accuracy=%.4f real_accuracy=%.4f "
               "mean_fcd=%.2f real_fcd=%.2f from=%s", ev.class_accuracy,
               ev.real_test_accuracy, ev.mean_fcd, ev.mean_real_fcd, from);
    mlp_free(&g);
    classifier_free(&clf);
    dataset_free(&data);
    return 0;
}
