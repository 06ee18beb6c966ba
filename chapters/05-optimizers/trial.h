/* trial.h - chapter 5: one short training run of chapter 4's
 * classifier, with a chosen initialisation and optimiser.
 *
 * Every trial of a run starts from the same seed: trials with the same
 * initialisation start from the same weights, and every trial sees the
 * same batches in the same order, so the curves differ only by what
 * the trial changes.
 */
#ifndef CH05_TRIAL_H
#define CH05_TRIAL_H

#include <stdint.h>

#include "idx.h"
#include "init.h"
#include "optim.h"
#include "progress.h"

#define TRIAL_MOMENTUM 0.9f /* mu */
#define TRIAL_TRACE_STEPS 3 /* Adam steps traced on one weight */

typedef struct {
    const char *name; /* its column in log.csv */
    InitScheme init;
    OptimKind optim;
    float lr;
} TrialSpec;

/* The images a trial learns from and is scored on. */
typedef struct {
    const IdxImages *train_images, *test_images;
    const IdxLabels *train_labels, *test_labels;
    int train_count; /* use the first train_count training images */
    int probe_count; /* the loss is measured on the first probe_count */
} TrialData;

typedef struct {
    uint64_t seed;
    long steps;    /* optimiser steps */
    int batch;     /* N */
    int log_every; /* steps between two loss measurements */
} TrialBudget;

/* One Adam step of one weight, as optim.c computes it. */
typedef struct {
    double g;           /* the gradient */
    double m, v;        /* the moments after the update */
    double m_hat, v_hat;
    double step;        /* how far the weight moved */
    double uncorrected; /* the step without bias correction */
} AdamTrace;

typedef struct {
    double final_loss;    /* probe loss after the last step */
    double test_loss, test_accuracy;
} TrialResult;

/* Log points of a budget: step 0, every log_every, and the last. */
int trial_log_points(const TrialBudget *b);
long trial_log_step(const TrialBudget *b, int point);

/* Trains and scores one trial. losses gets the probe loss at each log
 * point: (trial_log_points(b)). When trace is not NULL and the trial
 * uses Adam, it gets the first TRIAL_TRACE_STEPS steps of the first
 * bias of the output layer. *done counts steps for the progress line.
 * Returns -1 if the loss became NaN or infinite. */
int trial_run(const TrialSpec *spec, const TrialData *data,
              const TrialBudget *b, float *losses, AdamTrace *trace,
              Progress *progress, long *done, TrialResult *result);

#endif
