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
 *     the run inside one (then mean_steps= says over how many).
 */
#ifndef COMMON_GANTRAIN_H
#define COMMON_GANTRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "ckpt.h"
#include "dataset.h"
#include "error.h"
#include "rng.h"

#define GANTRAIN_MAX_STATS 8
#define GANTRAIN_GRID 64 /* samples per epoch figure, 8 x 8 */

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
} GanModel;

/* Runs training; returns the exit status (0, or 130 after Ctrl-C). */
int gantrain_run(const GanModel *m, const GanTrainConfig *cfg);

#endif
