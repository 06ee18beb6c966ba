/* epochmeans.h - a GAN run's step statistics averaged over an epoch.
 *
 * After every epoch the GAN chapters print the means of D's and G's
 * losses and of D's outputs over that epoch's steps, and their result
 * line quotes the means of the last epoch. A run can also stop inside
 * an epoch (--steps): its result then quotes the steps it trained
 * since the last epoch ended, the partial epoch, rather than the last
 * whole one (or nothing at all, when it never finished one). Whenever
 * the quoted means cover other than one epoch's steps, the line says
 * over how many (mean_steps=N), so a partial epoch is never taken for
 * a whole one; a run of whole epochs prints exactly what it did before.
 */
#ifndef COMMON_EPOCHMEANS_H
#define COMMON_EPOCHMEANS_H

#include <stddef.h>

#define EPOCH_MEANS_MAX 8 /* statistics at most */

/* Sums of the statistics over some steps. */
typedef struct {
    double sum[EPOCH_MEANS_MAX];
    long steps;
} StepSums;

typedef struct {
    int n;                    /* statistics per step */
    const char *const *names; /* (n) their names in the result line */
    StepSums last;            /* the last epoch this run completed */
    StepSums current;         /* the steps of the epoch under way */
} EpochMeans;

/* The four of chapters 8 and 11, in their GanStats' order. */
extern const char *const EPOCH_MEANS_GAN[4];

/* Counts n statistics named names[0..n) (kept, not copied), from
 * zero. */
void epoch_means_init(EpochMeans *m, int n, const char *const *names);

/* Adds one step's statistics, values[0..n), to the epoch under way. */
void epoch_means_add(EpochMeans *m, const float *values);

/* Statistic i's mean over the steps s sums (0 over none). */
double step_sums_mean(const StepSums *s, int i);

/* Ends the epoch under way: its sums become the last epoch's, and the
 * next epoch starts from zero. Returns the ended epoch's sums. */
const StepSums *epoch_means_end(EpochMeans *m);

/* The sums a run's result quotes: the partial epoch when the run
 * trained steps of one after the last epoch's end, else the last
 * complete epoch. */
const StepSums *epoch_means_quoted(const EpochMeans *m);

/* Writes the result line's fields for the quoted means into buf, each
 * as name=%.4f, space-separated (loss_d=... loss_g=... for chapters 8
 * and 11), preceded by "mean_steps=N " when they cover other than
 * per_epoch steps (a partial epoch, or none). */
void epoch_means_fields(const EpochMeans *m, int per_epoch, char *buf,
                        size_t cap);

#endif
