/* train.c - the training run of chapter 8.
 *
 * Each epoch visits the training images in a new random order, one
 * batch of N per step. After every epoch: an 8x8 grid of samples from
 * the same fixed noise (so the epochs can be compared), a checkpoint of
 * the whole state, G alone for the evaluation chapters, and the log
 * made visible. Every step's numbers also go to TensorBoard's events
 * file (common/tfevents.h), and every epoch's grid with them, unless
 * --no-events. Ctrl-C finishes the step and saves a checkpoint to
 * resume from; a non-finite loss stops the run and keeps the last good
 * checkpoint.
 */
#include "train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "csvlog.h"
#include "dataset.h"
#include "epochmeans.h"
#include "error.h"
#include "files.h"
#include "image.h"
#include "interrupt.h"
#include "plot.h"
#include "progress.h"
#include "run.h"
#include "state.h"
#include "tfevents.h"

#define GRID_SIDE 8                  /* samples are drawn 8 x 8 */
#define GRID_SAMPLES (GRID_SIDE * GRID_SIDE)
#define FIXED_NOISE_STREAM 0x5eedf00du /* seed offset of the grid noise */
#define LOG_HEADER "step,epoch,loss_d,loss_g,d_real,d_fake"
#define LOG_COLUMNS 6
/* the events' tags: the log's columns after step */
static const char *const EVENT_TAGS[LOG_COLUMNS - 1] = {
    "epoch", "loss_d", "loss_g", "d_real", "d_fake"};

/* Writes G's images for the fixed noise as an 8x8 grid. */
static void write_grid(Gan *gan, const float *fixed_z, float *images,
                       const char *path)
{
    for (int done = 0; done < GRID_SAMPLES; done += gan->batch) {
        int n = GRID_SAMPLES - done < gan->batch ? GRID_SAMPLES - done
                                                 : gan->batch;
        const float *x = gan_generate(gan, fixed_z + (size_t)done * GAN_Z,
                                      n);
        for (size_t i = 0; i < (size_t)n * GAN_PIXELS; i++)
            images[(size_t)done * GAN_PIXELS + i] = x[i];
    }
    Error err;
    if (png_write_grid(path, images, GRID_SAMPLES, DATASET_SIDE,
                       DATASET_SIDE, GRID_SIDE, -1.0f, 1.0f, &err) < 0)
        fatal("%s", err.msg);
}

typedef struct {
    const TrainConfig *cfg;
    Run run;
    Dataset data;
    TrainState st;
    CsvLog log;
    TfEvents events;
    float *fixed_z;  /* (64, Z) the grid's noise */
    float *grid;     /* (64, 784) */
    char *ckpt_path;
    bool no_redraw; /* a redraw failed: --plot-every stops drawing */
} Trainer;

static void save_checkpoint(Trainer *t)
{
    Error err;
    /* the log first: a crash between the two leaves it ahead of the
     * checkpoint, which csv_resume cuts back, never behind */
    if (csv_publish(&t->log, &err) < 0 ||
        state_save(&t->st, t->ckpt_path, &err) < 0)
        fatal("%s", err.msg);
}

static void end_of_epoch(Trainer *t, const StepSums *m, double seconds)
{
    char name[64];
    int epoch = t->st.place.epoch;
    snprintf(name, sizeof name, "samples-epoch-%03d.png", epoch);
    char *path = run_path(&t->run, name);
    write_grid(&t->st.gan, t->fixed_z, t->grid, path);
    free(path);
    path = run_path(&t->run, "samples.png");
    write_grid(&t->st.gan, t->fixed_z, t->grid, path);
    free(path);
    tfevents_grid_or_exit(&t->events, t->st.place.step, "samples", t->grid,
                          GRID_SAMPLES, DATASET_SIDE, DATASET_SIDE,
                          GRID_SIDE, -1.0f, 1.0f);
    tfevents_flush_or_exit(&t->events);
    snprintf(name, sizeof name, "generator-epoch-%03d.ckpt", epoch);
    path = run_path(&t->run, name);
    Error err;
    if (generator_save(&t->st.gan, path, &err) < 0)
        fatal("%s", err.msg);
    free(path);
    save_checkpoint(t);
    if (!t->cfg->quiet && m->steps > 0)
        printf("epoch %d/%d: loss_d %.4f  loss_g %.4f  D(x) %.3f  "
               "D(G(z)) %.3f  (%.0f steps/s)\n",
               epoch, t->cfg->epochs, step_sums_mean(m, 0),
               step_sums_mean(m, 1), step_sums_mean(m, 2),
               step_sums_mean(m, 3),
               seconds > 0 ? (double)m->steps / seconds : 0.0);
    fflush(stdout);
}

static void open_data_and_state(Trainer *t)
{
    const TrainConfig *cfg = t->cfg;
    Error err;
    if (dataset_load_train(t->run.data, &t->data, &err) < 0)
        fatal("%s", err.msg);
    int available = t->data.train_images.count;
    int batch = cfg->batch, count = cfg->limit ? cfg->limit : available;
    uint64_t seed = cfg->seed;
    uint32_t saved_crc = 0;
    if (cfg->resume &&
        state_peek(cfg->resume, &batch, &count, &seed, &saved_crc, &err) < 0)
        fatal("%s", err.msg);
    if (count > available)
        fatal("%s has %d training images; %s %d",
              t->run.data, available,
              cfg->resume ? "the checkpoint was trained on" : "--limit is",
              count);
    if (count < batch)
        fatal("%d training images do not fill one batch of %d", count,
              batch);
    uint32_t crc = train_data_crc(0, t->data.train_images.pixels,
                                  (size_t)count * GAN_PIXELS);
    if (cfg->resume && saved_crc != crc)
        fatal("%s was trained on other images than those in %s",
              cfg->resume, t->run.data);
    train_place_init(&t->st.place, count, batch, seed, crc);
    gan_init(&t->st.gan, batch, &t->st.place.rng);
    if (cfg->resume && state_load(&t->st, cfg->resume, &err) < 0)
        fatal("%s", err.msg);
    t->run.seed = seed;
}

/* log.csv and the events file, which holds the same numbers */
static void open_logs(Trainer *t)
{
    Error err;
    char *path = run_path(&t->run, "log.csv");
    int rc = t->cfg->resume
                 ? csv_resume(&t->log, path, LOG_HEADER,
                              (double)t->st.place.step, &err)
                 : csv_open(&t->log, path, LOG_HEADER, &err);
    if (rc < 0)
        fatal("%s", err.msg);
    free(path);
    /* its first step is the one after the checkpoint resumed from */
    tfevents_open_or_exit(&t->events, t->cfg->out, t->st.place.step + 1,
                          t->cfg->no_events);
}

static void make_fixed_noise(Trainer *t)
{
    Rng fixed;
    rng_seed(&fixed, t->st.place.seed + FIXED_NOISE_STREAM);
    t->fixed_z = xmalloc((size_t)GRID_SAMPLES * GAN_Z * sizeof(float));
    t->grid = xmalloc((size_t)GRID_SAMPLES * GAN_PIXELS * sizeof(float));
    rng_fill_normal(&fixed, t->fixed_z, (long)GRID_SAMPLES * GAN_Z, 0.0f,
                    1.0f);
}

/* A log that cannot be published cannot be written either: stop. A
 * figure that cannot be drawn is only a figure: say so once, and draw
 * no more in this run (make plots draws it later). */
static void redraw_losses(Trainer *t)
{
    Error err;
    if (csv_publish(&t->log, &err) < 0)
        fatal("%s", err.msg);
    if (t->no_redraw)
        return;
    if (plot_render("08-gan-mnist", t->cfg->out, true, &err) < 0) {
        warn("%s; no more redraws in this run", err.msg);
        t->no_redraw = true;
    }
}

/* Stops on a loss that is not a number: nothing after it can be
 * trusted, and the last checkpoint is the last good state. */
static void check_finite(Trainer *t, const GanStats *s)
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

int gan_train(const TrainConfig *cfg)
{
    Trainer t = {.cfg = cfg};
    t.run = (Run){.name = "08-gan-mnist", .seed = cfg->seed,
                  .out = cfg->out, .data = dataset_dir(cfg->data),
                  .threads = cfg->threads, .quiet = cfg->quiet};
    run_start(&t.run);
    open_data_and_state(&t);
    t.ckpt_path = run_path(&t.run, "checkpoint.ckpt");
    open_logs(&t);
    make_fixed_noise(&t);
    interrupt_watch();

    Gan *gan = &t.st.gan;
    TrainPlace *p = &t.st.place;
    int per_epoch = p->count / p->batch;
    long total = (long)cfg->epochs * per_epoch;
    if (cfg->max_steps && cfg->max_steps < total)
        total = cfg->max_steps;
    if (!cfg->quiet && cfg->resume)
        printf("resuming %s at step %ld (epoch %d), batch %d, seed %llu\n",
               cfg->resume, p->step, p->epoch + 1, p->batch,
               (unsigned long long)p->seed);
    if (!cfg->quiet)
        printf("%d images, %d steps of %d per epoch, %ld steps in all\n",
               p->count, per_epoch, p->batch, total);

    long first_step = p->step;
    Progress progress;
    progress_init(&progress, p->step, total, cfg->quiet);
    EpochMeans means;
    epoch_means_init(&means, 4, EPOCH_MEANS_GAN);
    bool interrupted = false;
    double loop_start = clock_seconds();
    while (p->step < total && !interrupted) {
        if (p->pos == 0)
            rng_shuffle(&p->rng, p->order, p->count);
        double t0 = clock_seconds();
        // listing: epoch-loop
        while (p->pos + p->batch <= p->count && p->step < total &&
               !interrupted) {
            GanStats s;
            images_to_float(&t.data.train_images, p->order + p->pos,
                            p->batch, -1.0f, 1.0f, gan->d_in);
            gan_train_step(gan, &p->rng, &s);
            p->pos += p->batch;
            p->step++;
            check_finite(&t, &s);
            double row[LOG_COLUMNS] = {(double)p->step, p->epoch + 1,
                                       s.loss_d, s.loss_g, s.d_real,
                                       s.d_fake};
            csv_row(&t.log, row);
            tfevents_scalars(&t.events, p->step, LOG_COLUMNS - 1,
                             EVENT_TAGS, row + 1);
            epoch_means_add(&means, (float[]){s.loss_d, s.loss_g,
                                              s.d_real, s.d_fake});
            progress_update(&progress, p->step,
                            "epoch %d  loss_d=%.3f loss_g=%.3f "
                            "D(x)=%.2f D(G(z))=%.2f", p->epoch + 1,
                            s.loss_d, s.loss_g, s.d_real, s.d_fake);
            if (cfg->plot_every && p->step % cfg->plot_every == 0)
                redraw_losses(&t);
            interrupted = interrupt_requested();
        }
        // end-listing: epoch-loop
        progress_end(&progress);
        if (p->pos + p->batch > p->count) {
            /* the epoch is complete; its last partial batch is dropped */
            p->epoch++;
            p->pos = 0;
            end_of_epoch(&t, epoch_means_end(&means),
                         clock_seconds() - t0);
        }
    }
    double loop_seconds = clock_seconds() - loop_start;
    save_checkpoint(&t);
    Error err;
    if (csv_close(&t.log, &err) < 0)
        fatal("%s", err.msg);
    tfevents_close_or_exit(&t.events);
    int status = 0;
    if (interrupted) {
        printf("interrupted after step %ld; the state is saved. Resume "
               "with:\n  build/bin/08-gan-mnist --resume %s --out %s "
               "--epochs %d\n", p->step, t.ckpt_path, cfg->out,
               cfg->epochs);
        status = INTERRUPT_EXIT_STATUS;
    } else {
        if (plot_render("08-gan-mnist", cfg->out, cfg->quiet, &err) < 0)
            warn("%s", err.msg);
        /* a run stopped inside an epoch quotes that partial epoch */
        char fields[256];
        epoch_means_fields(&means, per_epoch, fields, sizeof fields);
        /* steps_per_s is the loop's rate; seconds= (run_result) also
         * holds reading the data and drawing the figure at the end */
        run_result(&t.run,
                   "epochs=%d steps=%ld %s steps_per_s=%.1f "
                   "peak_rss_mb=%.0f", p->epoch, p->step, fields,
                   loop_seconds > 0
                       ? (double)(p->step - first_step) / loop_seconds
                       : 0.0,
                   run_peak_rss_mb());
    }
    gan_free(gan);
    train_place_free(p);
    free(t.fixed_z);
    free(t.grid);
    free(t.ckpt_path);
    dataset_free(&t.data);
    return status;
}
