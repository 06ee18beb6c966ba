/* train.h - the conditional GAN's training run: epochs over the
 * labelled images, the class grid and a checkpoint after every epoch,
 * the classifier's verdict per epoch and at the end, Ctrl-C and
 * --resume. */
#ifndef CH11_TRAIN_H
#define CH11_TRAIN_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const char *out;        /* output folder */
    const char *data;       /* IDX folder */
    const char *resume;     /* checkpoint to continue from, or NULL */
    const char *classifier; /* chapter 4's checkpoint, the judge */
    uint64_t seed;
    int epochs;             /* train until this many epochs are done */
    long max_steps;         /* or until this many steps (0: no limit) */
    int batch;              /* N */
    float label_scale;      /* s, the one-hot rows' non-zero value */
    int limit;              /* the first `limit` training images (0: all) */
    int epoch_samples;      /* per class, for the accuracy every epoch */
    int eval_samples;       /* per class, for the final evaluation */
    int threads;
    bool quiet;
    bool no_events;         /* write no TensorBoard events file */
} CganConfig;

/* Runs training; returns the exit status. */
int cgan_train(const CganConfig *cfg);

/* The final evaluation of a saved generator (--evaluate): eval.csv,
 * its figure and a result line; returns the exit status. */
int cgan_evaluate_main(const CganConfig *cfg, const char *from);

#endif
