/* gantrain.c - the training run of the image GANs, chapter 8's loop
 * once for every model: data and state, the log, the epoch's
 * pictures and checkpoints, Ctrl-C, divergence, and the result line.
 */
#include "gantrain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvlog.h"
#include "epochmeans.h"
#include "error.h"
#include "files.h"
#include "generator.h"
#include "image.h"
#include "interrupt.h"
#include "plot.h"
#include "progress.h"
#include "run.h"
#include "tfevents.h"
#include "trainplace.h"

#define GRID_SIDE 8
#define FIXED_NOISE_STREAM 0x5eedf00du /* seed offset of the grid noise */
#define EPOCH_END_STREAM 0xe90c4e4du   /* seed offset of epoch_end's Rng */
#define LOG_COLUMNS (2 + GANTRAIN_MAX_STATS)

typedef struct {
    const GanModel *m;
    const GanTrainConfig *cfg;
    Run run;
    Dataset data;
    TrainPlace place;
    CsvLog log;
    TfEvents events;
    const char *tags[LOG_COLUMNS - 1]; /* the events' tags: the log's
                                          columns after step */
    float *grid; /* (64, 784) */
    char *ckpt_path;
    CsvLog epochs;  /* the model's measures, when it has any */
    float measured[GANTRAIN_MAX_MEASURES]; /* of the last epoch ended */
    bool have_measured;                    /* in this run */
    bool writer; /* this process writes and prints: rank 0, or alone */
    bool no_redraw; /* a redraw failed: --plot-every stops drawing */
    double loop_seconds; /* the training loop's, epoch ends included */
} Trainer;

static int save_state(Trainer *t, const char *path, Error *err)
{
    Ckpt c;
    ckpt_init(&c, t->m->name);
    t->m->ckpt_add(t->m->model, &c);
    train_place_ckpt_add(&c, &t->place);
    int rc = ckpt_save(&c, path, err);
    ckpt_free(&c);
    return rc;
}

static void save_checkpoint(Trainer *t)
{
    Error err;
    /* the logs first: a crash between them and the checkpoint leaves
     * them ahead of it, which csv_resume cuts back, never behind */
    if (csv_publish(&t->log, &err) < 0 ||
        (t->m->nmeasures && csv_publish(&t->epochs, &err) < 0) ||
        save_state(t, t->ckpt_path, &err) < 0)
        fatal("%s", err.msg);
}

/* The model's measures of the epoch just ended, to epochs.csv and the
 * events file. */
static void measure_epoch(Trainer *t)
{
    const GanModel *m = t->m;
    if (!m->nmeasures)
        return;
    m->measure(m->model, t->measured);
    t->have_measured = true;
    double row[1 + GANTRAIN_MAX_MEASURES];
    row[0] = t->place.epoch;
    for (int i = 0; i < m->nmeasures; i++)
        row[1 + i] = t->measured[i];
    csv_row(&t->epochs, row);
    tfevents_scalars(&t->events, t->place.step, m->nmeasures, m->measures,
                     row + 1);
}

static void write_grid(Trainer *t, const char *name)
{
    char *path = run_path(&t->run, name);
    Error err;
    if (png_write_grid(path, t->grid, GANTRAIN_GRID, DATASET_SIDE,
                       DATASET_SIDE, GRID_SIDE, -1.0f, 1.0f, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

static void end_of_epoch(Trainer *t, const StepSums *means, double seconds)
{
    const GanModel *m = t->m;
    int epoch = t->place.epoch;
    if (m->epoch_end) {
        Rng rng;
        rng_seed(&rng, t->place.seed + EPOCH_END_STREAM + (uint64_t)epoch);
        m->epoch_end(m->model, &rng);
    }
    if (!t->writer)
        return;
    measure_epoch(t);
    m->samples(m->model, t->place.seed + FIXED_NOISE_STREAM, GANTRAIN_GRID,
               t->grid);
    char name[64];
    snprintf(name, sizeof name, "samples-epoch-%03d.png", epoch);
    write_grid(t, name);
    write_grid(t, "samples.png");
    tfevents_grid_or_exit(&t->events, t->place.step, "samples", t->grid,
                          GANTRAIN_GRID, DATASET_SIDE, DATASET_SIDE,
                          GRID_SIDE, -1.0f, 1.0f);
    tfevents_flush_or_exit(&t->events);
    snprintf(name, sizeof name, "generator-epoch-%03d.ckpt", epoch);
    char *path = run_path(&t->run, name);
    Error err;
    if (m->save_generator(m->model, path, &err) < 0)
        fatal("%s", err.msg);
    free(path);
    save_checkpoint(t);
    if (!t->cfg->quiet && means->steps > 0) {
        printf("epoch %d/%d:", epoch, t->cfg->epochs);
        for (int i = 0; i < m->nstats; i++)
            printf(" %s %.4f", m->stats[i], step_sums_mean(means, i));
        for (int i = 0; i < m->nmeasures; i++)
            printf(" %s %.4f", m->measures[i], t->measured[i]);
        printf("  (%.1f steps/s)\n",
               seconds > 0 ? (double)means->steps / seconds : 0.0);
    }
    fflush(stdout);
}

/* --resume's checkpoint: read by rank 0 (or the process alone), whose
 * bytes every other rank then parses as if it had read the file. */
static int load_checkpoint(Trainer *t, Ckpt *c, Error *err)
{
    const GanTeam *team = t->cfg->team;
    if (!team)
        return ckpt_load(c, t->cfg->resume, t->m->name, err);
    uint8_t *bytes = NULL;
    size_t size = 0;
    if (t->writer) {
        if (ckpt_load(c, t->cfg->resume, t->m->name, err) < 0)
            fatal("%s", err->msg);
        bytes = c->bytes;
        size = c->size;
    }
    team->broadcast(team->ctx, &bytes, &size);
    if (t->writer)
        return 0;
    return ckpt_from_bytes(c, bytes, size, t->cfg->resume, t->m->name, err);
}

/* A new run of several ranks starts from rank 0's weights (and its
 * place in the data), whatever the others drew: its whole state as a
 * checkpoint in memory, read by every other rank. */
// listing: gantrain-share-state
static void share_state(Trainer *t)
{
    const GanTeam *team = t->cfg->team;
    Ckpt c;
    uint8_t *bytes = NULL;
    size_t size = 0;
    if (t->writer) {
        ckpt_init(&c, t->m->name);
        t->m->ckpt_add(t->m->model, &c);
        train_place_ckpt_add(&c, &t->place);
        ckpt_to_bytes(&c, &bytes, &size);
        ckpt_free(&c);
    }
    team->broadcast(team->ctx, &bytes, &size);
    if (t->writer) {
        free(bytes);
        return;
    }
    Error err;
    if (ckpt_from_bytes(&c, bytes, size, "rank 0's state", t->m->name,
                        &err) < 0 ||
        t->m->ckpt_read(t->m->model, &c, &err) < 0 ||
        train_place_ckpt_read(&c, &t->place, &err) < 0)
        fatal("%s", err.msg);
    ckpt_free(&c);
}
// end-listing: gantrain-share-state

static void open_data_and_state(Trainer *t)
{
    const GanTrainConfig *cfg = t->cfg;
    Error err;
    if (dataset_load_train(t->run.data, &t->data, &err) < 0)
        fatal("%s", err.msg);
    int available = t->data.train_images.count;
    int batch = cfg->batch, count = cfg->limit ? cfg->limit : available;
    uint64_t seed = cfg->seed;
    uint32_t saved_crc = 0;
    Ckpt c = {0};
    if (cfg->resume && (load_checkpoint(t, &c, &err) < 0 ||
                        train_place_peek(&c, &batch, &count, &seed,
                                         &saved_crc, &err) < 0))
        fatal("%s", err.msg);
    if (count > available)
        fatal("%s has %d training images; %s %d", t->run.data, available,
              cfg->resume ? "the checkpoint was trained on" : "--limit is",
              count);
    if (count < batch)
        fatal("%d training images do not fill one batch of %d", count,
              batch);
    size_t pixels = (size_t)t->data.train_images.rows *
                    t->data.train_images.cols;
    uint32_t crc = train_data_crc(0, t->data.train_images.pixels,
                                  (size_t)count * pixels);
    if (cfg->resume && saved_crc != crc)
        fatal("%s was trained on other images than those in %s",
              cfg->resume, t->run.data);
    train_place_init(&t->place, count, batch, seed, crc);
    t->m->init(t->m->model, batch, &t->place.rng);
    if (cfg->resume) {
        if (t->m->ckpt_read(t->m->model, &c, &err) < 0 ||
            train_place_ckpt_read(&c, &t->place, &err) < 0)
            fatal("%s", err.msg);
        ckpt_free(&c);
    } else if (cfg->team) {
        share_state(t);
        if (t->place.data_crc != crc)
            fatal("the training images in %s differ from rank 0's: every "
                  "host needs the same data", t->run.data);
    }
    t->run.seed = seed;
}

/* log.csv and the events file, which holds the same numbers */
static void open_logs(Trainer *t)
{
    char header[512] = "step,epoch";
    for (int i = 0; i < t->m->nstats; i++) {
        strncat(header, ",", sizeof header - strlen(header) - 1);
        strncat(header, t->m->stats[i], sizeof header - strlen(header) - 1);
    }
    Error err;
    char *path = run_path(&t->run, "log.csv");
    int rc = t->cfg->resume
                 ? csv_resume(&t->log, path, header, (double)t->place.step,
                              &err)
                 : csv_open(&t->log, path, header, &err);
    if (rc < 0)
        fatal("%s", err.msg);
    free(path);
    t->tags[0] = "epoch";
    for (int i = 0; i < t->m->nstats; i++)
        t->tags[1 + i] = t->m->stats[i];
    if (t->m->nmeasures) {
        char eheader[256] = "epoch";
        for (int i = 0; i < t->m->nmeasures; i++) {
            strncat(eheader, ",", sizeof eheader - strlen(eheader) - 1);
            strncat(eheader, t->m->measures[i],
                    sizeof eheader - strlen(eheader) - 1);
        }
        path = run_path(&t->run, "epochs.csv");
        rc = t->cfg->resume ? csv_resume(&t->epochs, path, eheader,
                                         (double)t->place.epoch, &err)
                            : csv_open(&t->epochs, path, eheader, &err);
        if (rc < 0)
            fatal("%s", err.msg);
        free(path);
    }
    /* its first step is the one after the checkpoint resumed from */
    tfevents_open_or_exit(&t->events, t->cfg->out, t->place.step + 1,
                          t->cfg->no_events);
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
    if (plot_render(t->m->name, t->cfg->out, true, &err) < 0) {
        warn("%s; no more redraws in this run", err.msg);
        t->no_redraw = true;
    }
}

/* Stops on a stat that is not a number: nothing after it can be
 * trusted, and the last checkpoint is the last good state. */
static void check_finite(Trainer *t, const float *stats)
{
    int bad = -1;
    for (int i = 0; i < t->m->nstats && bad < 0; i++)
        if (!isfinite(stats[i]))
            bad = i;
    if (bad < 0)
        return;
    /* the stats are the same on every rank: rank 0 says it and ends
     * the job, the others wait for it at their next step */
    if (!t->writer)
        return;
    Error err;
    if (csv_publish(&t->log, &err) < 0)
        warn("%s", err.msg);
    fatal("training diverged at step %ld: %s=%g; the last good state is "
          "%s (epoch %d)", t->place.step, t->m->stats[bad], stats[bad],
          t->ckpt_path, t->place.epoch);
}

/* The progress line: the epoch and the first four stats. */
static void show_progress(Trainer *t, Progress *progress,
                          const float *stats)
{
    char line[256];
    int len = snprintf(line, sizeof line, "epoch %d ", t->place.epoch + 1);
    for (int i = 0; i < t->m->nstats && i < 4 && len < (int)sizeof line;
         i++)
        len += snprintf(line + len, sizeof line - len, " %s=%.3f",
                        t->m->stats[i], stats[i]);
    progress_update(progress, t->place.step, "%s", line);
}

/* The means as chapter 8's (common/epochmeans.h): of the last epoch,
 * or of the partial epoch a --steps run stopped in. */
static void result_line(Trainer *t, const EpochMeans *means,
                        long first_step)
{
    char fields[768];
    epoch_means_fields(means, t->place.count / t->place.batch, fields,
                       sizeof fields);
    for (int i = 0; t->have_measured && i < t->m->nmeasures; i++) {
        size_t len = strlen(fields);
        snprintf(fields + len, sizeof fields - len, " %s=%.4f",
                 t->m->measures[i], t->measured[i]);
    }
    /* the loop's rate: the run's seconds also hold reading the data
     * and drawing the last figures, which no step waits for */
    double steps_per_s = t->loop_seconds > 0
        ? (double)(t->place.step - first_step) / t->loop_seconds : 0.0;
    char own[512] = "";
    if (t->m->result_fields) {
        own[0] = ' ';
        t->m->result_fields(t->m->model, own + 1, sizeof own - 1);
    }
    run_result(&t->run,
               "epochs=%d steps=%ld %s steps_per_s=%.1f images_per_s=%.0f "
               "peak_rss_mb=%.0f%s",
               t->place.epoch, t->place.step, fields, steps_per_s,
               steps_per_s * t->place.batch, run_peak_rss_mb(), own);
}

/* Ctrl-C, which every rank must see at the same step */
static bool stop_requested(Trainer *t)
{
    bool mine = interrupt_requested();
    const GanTeam *team = t->cfg->team;
    return team ? team->any(team->ctx, mine) : mine;
}

/* The last checkpoint, the log closed, and the closing lines. */
static void finish_writing(Trainer *t, bool interrupted,
                           const EpochMeans *means, long first_step)
{
    const GanModel *m = t->m;
    const GanTrainConfig *cfg = t->cfg;
    TrainPlace *p = &t->place;
    save_checkpoint(t);
    Error err;
    if (csv_close(&t->log, &err) < 0 ||
        (m->nmeasures && csv_close(&t->epochs, &err) < 0))
        fatal("%s", err.msg);
    tfevents_close_or_exit(&t->events);
    if (interrupted) {
        printf("interrupted after step %ld; the state is saved. Resume "
               "with:\n  build/bin/%s --resume %s --out %s --epochs %d\n",
               p->step, m->name, t->ckpt_path, cfg->out, cfg->epochs);
    } else {
        if (plot_render(m->name, cfg->out, cfg->quiet, &err) < 0)
            warn("%s", err.msg);
        result_line(t, means, first_step);
    }
}

int gantrain_run(const GanModel *m, const GanTrainConfig *cfg)
{
    EpochMeans means;
    epoch_means_init(&means, m->nstats, m->stats);
    Trainer t = {.m = m, .cfg = cfg,
                 .writer = !cfg->team || cfg->team->rank == 0};
    bool quiet = cfg->quiet || !t.writer;
    t.run = (Run){.name = m->name, .seed = cfg->seed, .out = cfg->out,
                  .data = dataset_dir(cfg->data), .threads = cfg->threads,
                  .quiet = quiet};
    if (t.writer)
        run_start(&t.run);
    else
        run_start_follower(&t.run);
    open_data_and_state(&t);
    t.ckpt_path = run_path(&t.run, "checkpoint.ckpt");
    if (t.writer)
        open_logs(&t);
    t.grid = xmalloc((size_t)GANTRAIN_GRID * DATASET_SIDE * DATASET_SIDE *
                     sizeof(float));
    interrupt_watch();

    TrainPlace *p = &t.place;
    int per_epoch = p->count / p->batch;
    long total = (long)cfg->epochs * per_epoch;
    if (cfg->max_steps && cfg->max_steps < total)
        total = cfg->max_steps;
    if (!quiet && cfg->resume)
        printf("resuming %s at step %ld (epoch %d), batch %d, seed %llu\n",
               cfg->resume, p->step, p->epoch + 1, p->batch,
               (unsigned long long)p->seed);
    if (!quiet)
        printf("%d images, %d steps of %d per epoch, %ld steps in all\n",
               p->count, per_epoch, p->batch, total);

    long first_step = p->step;
    Progress progress;
    progress_init(&progress, p->step, total, quiet);
    bool interrupted = false;
    double loop_start = clock_seconds();
    while (p->step < total && !interrupted) {
        if (p->pos == 0)
            rng_shuffle(&p->rng, p->order, p->count);
        double t0 = clock_seconds();
        // listing: gantrain-loop
        while (p->pos + p->batch <= p->count && p->step < total &&
               !interrupted) {
            float stats[GANTRAIN_MAX_STATS];
            double row[LOG_COLUMNS];
            m->load_batch(m->model, &t.data, p->order + p->pos, p->batch);
            m->step(m->model, &p->rng, stats);
            p->pos += p->batch;
            p->step++;
            check_finite(&t, stats);
            row[0] = (double)p->step;
            row[1] = p->epoch + 1;
            for (int i = 0; i < m->nstats; i++)
                row[2 + i] = stats[i];
            epoch_means_add(&means, stats);
            if (t.writer) {
                csv_row(&t.log, row);
                tfevents_scalars(&t.events, p->step, 1 + m->nstats, t.tags,
                                 row + 1);
                show_progress(&t, &progress, stats);
                if (cfg->plot_every && p->step % cfg->plot_every == 0)
                    redraw_losses(&t);
            }
            interrupted = stop_requested(&t);
        }
        // end-listing: gantrain-loop
        progress_end(&progress);
        if (p->pos + p->batch > p->count) {
            /* the epoch is complete; its last partial batch is dropped */
            p->epoch++;
            p->pos = 0;
            end_of_epoch(&t, epoch_means_end(&means), clock_seconds() - t0);
        }
    }
    t.loop_seconds = clock_seconds() - loop_start;
    int status = interrupted ? INTERRUPT_EXIT_STATUS : 0;
    if (t.writer)
        finish_writing(&t, interrupted, &means, first_step);
    m->free(m->model);
    train_place_free(p);
    free(t.grid);
    free(t.ckpt_path);
    dataset_free(&t.data);
    return status;
}

#define WALKS 8
#define WALK_STEPS 10

int gantrain_pictures(const char *name, const GanTrainConfig *cfg,
                      const char *from, int generate, bool interpolate,
                      bool idx)
{
    char fallback[4096];
    if (!from) {
        snprintf(fallback, sizeof fallback, "%s/checkpoint.ckpt", cfg->out);
        from = fallback;
    }
    Run run = {.name = name, .seed = cfg->seed, .out = cfg->out,
               .data = from, .threads = cfg->threads, .quiet = cfg->quiet,
               .result_file = ""};
    run_start(&run);
    Generator g;
    Error err;
    if (generator_load_of(from, name, cfg->batch, &g, &err) < 0)
        fatal("%s", err.msg);
    char *path = run_path(&run, interpolate ? "interpolation.png"
                                            : "generated.png");
    int rc = interpolate ? generator_write_walks(&g, WALKS, WALK_STEPS,
                                                 cfg->seed, path, &err)
                         : generator_write_grid(&g, generate, cfg->seed,
                                                path, &err);
    if (rc < 0)
        fatal("%s", err.msg);
    if (!cfg->quiet)
        printf("figure: %s\n", path);
    if (idx && !interpolate) {
        char *idx_path = run_path(&run, "generated.idx");
        if (generator_write_idx(&g, generate, cfg->seed, idx_path, &err) < 0)
            fatal("%s", err.msg);
        if (!cfg->quiet)
            printf("images: %s\n", idx_path);
        free(idx_path);
    }
    run_result(&run, "images=%d from=%s",
               interpolate ? WALKS * WALK_STEPS : generate, from);
    free(path);
    generator_free(&g);
    return 0;
}
