/* train.h - the training run: epochs over the data, the log, a grid of
 * samples and a checkpoint after every epoch, Ctrl-C and --resume. */
#ifndef CH08_TRAIN_H
#define CH08_TRAIN_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const char *out;    /* output folder */
    const char *data;   /* IDX folder */
    const char *resume; /* checkpoint to continue from, or NULL */
    uint64_t seed;
    int epochs;         /* train until this many epochs are done */
    long max_steps;     /* or until this many steps (0: no limit) */
    int batch;          /* N */
    int limit;          /* use the first `limit` training images (0: all) */
    long plot_every;    /* redraw the loss figure every so many steps */
    int threads;
    bool quiet;
} TrainConfig;

/* Runs training; returns the exit status. */
int gan_train(const TrainConfig *cfg);

#endif
