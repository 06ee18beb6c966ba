/* gantrain.h - the training run every image GAN from chapter 12 on
 * shares: epochs over the data, a log, samples and checkpoints after
 * every epoch, Ctrl-C, --resume, a stop on a non-finite loss, and the
 * closing result line.
 *
 * What differs between chapters is the model: its networks, its step
 * and what it saves. A chapter fills in a GanModel (its callbacks and
 * the names of the numbers its step measures) and calls gantrain_run.
 * The run it gets behaves as chapter 8's does, the same way:
 *   - each epoch visits the training images in a new random order, one
 *     batch per step; a last partial batch is dropped;
 *   - <out>/log.csv gets one row per step: step, epoch, then the
 *     model's stats; --plot-every N redraws plots/<name>.gp's figure;
 *   - <out>/events.out.tfevents.* (tfevents.h) gets the same numbers
 *     as scalars, tagged by the log's column names, and each epoch's
 *     grid as the image "samples"; --no-events leaves it out;
 *   - after every epoch: samples-epoch-NNN.png and samples.png (8 x 8,
 *     always the same noise), generator-epoch-NNN.ckpt (G alone, for
 *     chapter 9), checkpoint.ckpt (everything, to resume), and a line;
 *   - Ctrl-C finishes the step, saves checkpoint.ckpt and prints the
 *     command that resumes; exit status 130;
 *   - --resume continues to the byte-identical log and weights of a run
 *     that never stopped (the model's step must draw all its randomness
 *     from the Rng it is given);
 *   - a loss that is not a number stops the run with the last good
 *     checkpoint named; exit status 1;
 *   - the result line gives the stats' means over the last epoch, or
 *     over the steps of the last, partial epoch when --steps stopped
 *     the run inside one (then mean_steps= says over how many), and
 *     the model's own measures of the last epoch this run ended.
 */
#ifndef COMMON_GANTRAIN_H
#define COMMON_GANTRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ckpt.h"
#include "dataset.h"
#include "epochmeans.h"
#include "error.h"
#include "rng.h"

#define GANTRAIN_MAX_STATS EPOCH_MEANS_MAX
#define GANTRAIN_GRID 64 /* samples per epoch figure, 8 x 8 */
#define GANTRAIN_MAX_MEASURES 4

/* The processes that train one model together, each with its own
 * replica (chapter 15's MPI ranks). Each runs gantrain_run with the
 * same config; rank 0 alone reads --resume's file, writes (log,
 * events, figures, checkpoints, result.txt) and prints; the others
 * start from its state, handed over in memory, and agree with it on
 * when to stop. The model's step does the rest (its shard, the sums
 * of gradients and of stats), so that every rank's stats and weights
 * stay the same. */
typedef struct {
    int rank, size;
    void *ctx;
    /* Makes every rank's bytes rank 0's: rank 0 sends *bytes (*size of
     * them); the others get a new allocation (free it). */
    void (*broadcast)(void *ctx, uint8_t **bytes, size_t *size);
    /* True on every rank when `mine` is true on any. */
    bool (*any)(void *ctx, bool mine);
} GanTeam;

typedef struct {
    const char *out;    /* output folder */
    const char *data;   /* IDX folder, or NULL for the default */
    const char *resume; /* checkpoint to continue from, or NULL */
    uint64_t seed;
    int epochs;         /* train until this many epochs are done */
    long max_steps;     /* or until this many steps (0: no limit) */
    int batch;          /* N */
    int limit;          /* the first `limit` training images (0: all) */
    long plot_every;    /* redraw the loss figure every so many steps */
    int threads;
    bool quiet;
    bool no_events;     /* write no TensorBoard events file */
    const GanTeam *team; /* NULL: this process alone */
} GanTrainConfig;

typedef struct {
    const char *name; /* "12-dcgan": the program, its checkpoints' kind,
                         and plots/<name>.gp */
    int nstats;       /* what step measures, logged in this order; the
                         first four go on the progress line */
    const char *stats[GANTRAIN_MAX_STATS];
    void *model;

    /* Builds the networks for batches of N, drawing the weights from
     * rng (the run's own, so the seed decides them). */
    void (*init)(void *model, int batch, Rng *rng);
    void (*free)(void *model);
    /* Puts training images rows[0..n) in as the next step's real
     * batch. */
    void (*load_batch)(void *model, const Dataset *data, const int *rows,
                       int n);
    /* One step of the game; every random number from rng. */
    void (*step)(void *model, Rng *rng, float *stats);
    /* Adds every tensor that resuming needs (weights, optimiser state,
     * batch-norm statistics); what it adds must stay alive until the
     * checkpoint is saved. And reads them back. */
    void (*ckpt_add)(void *model, Ckpt *c);
    int (*ckpt_read)(void *model, const Ckpt *c, Error *err);
    /* After each epoch, before its samples: whatever G needs to sample
     * (batch-norm statistics, say), from an Rng of its own so the
     * training's stays untouched. May be NULL. */
    void (*epoch_end)(void *model, Rng *rng);
    /* G's images for n rows of noise drawn with `seed` (the same every
     * epoch): (n, 784) in [-1, 1]. */
    void (*samples)(void *model, uint64_t seed, int n, float *images);
    /* Saves G alone as a generator checkpoint (generator.h). */
    int (*save_generator)(void *model, const char *path, Error *err);
    /* What the model measures of itself after each epoch's epoch_end
     * (InfoGAN's code accuracy, say): nmeasures numbers, logged one row
     * per epoch to <out>/epochs.csv (epoch, then these names) and to
     * the events file, shown on the epoch's line, and the last epoch's
     * quoted in the result line. nmeasures 0 and NULL: none. */
    int nmeasures;
    const char *measures[GANTRAIN_MAX_MEASURES];
    void (*measure)(void *model, float *values);
    /* key=value pairs of its own for the result line, before seconds=
     * (chapter 15: ranks and time spent communicating). May be NULL. */
    void (*result_fields)(void *model, char *buf, size_t size);
} GanModel;

/* Runs training; returns the exit status (0, or 130 after Ctrl-C). */
int gantrain_run(const GanModel *m, const GanTrainConfig *cfg);

/* The command-line options every GAN chapter's training takes, beside
 * cli.h's --seed, --out, --data, --epochs, --threads and --quiet. */
#define GANTRAIN_CLI_TRAINING(cfg)                                       \
    {"--steps", OPT_LONG, &(cfg)->max_steps, "N",                         \
     "stop after N steps in all, even mid-epoch", 1, 1e12},              \
    {"--batch", OPT_INT, &(cfg)->batch, "N", "images per step", 1, 4096}, \
    {"--limit", OPT_INT, &(cfg)->limit, "N",                              \
     "train on the first N images only", 1, 1e9},                        \
    {"--resume", OPT_STRING, &(cfg)->resume, "CKPT",                      \
     "continue from a checkpoint of this program", 0, 0},                \
    {"--plot-every", OPT_LONG, &(cfg)->plot_every, "N",                   \
     "redraw the loss figure every N steps", 1, 1e12},                   \
    CLI_NO_EVENTS(&(cfg)->no_events)

/* And the options that draw from a trained generator instead. */
#define GANTRAIN_MAX_GENERATE 10000
#define GANTRAIN_CLI_PICTURES(generate, interpolate, from, idx)          \
    {"--generate", OPT_INT, (generate), "N",                              \
     "draw N samples from --from into generated.png", 1,                 \
     GANTRAIN_MAX_GENERATE},                                             \
    {"--idx", OPT_FLAG, (idx), NULL,                                      \
     "with --generate: also write them as the IDX file generated.idx "   \
     "(09-evaluation --images scores it)", 0, 0},                        \
    {"--interpolate", OPT_FLAG, (interpolate), NULL,                      \
     "draw latent walks from --from into interpolation.png", 0, 0},      \
    {"--from", OPT_STRING, (from), "CKPT",                                \
     "checkpoint for --generate and --interpolate "                      \
     "(default <out>/checkpoint.ckpt)", 0, 0}

/* --generate N or --interpolate: draws from the generator in `from`
 * (NULL: <out>/checkpoint.ckpt), which must be a checkpoint of program
 * `name` or a generator it saved, into <out>/generated.png or
 * <out>/interpolation.png (8 walks of 10 images), the noise drawn with
 * cfg->seed; with `idx`, --generate's samples also go to
 * <out>/generated.idx, 28x28 bytes. The training run's result.txt
 * stays as it is. Returns the exit status. */
int gantrain_pictures(const char *name, const GanTrainConfig *cfg,
                      const char *from, int generate, bool interpolate,
                      bool idx);

#endif
