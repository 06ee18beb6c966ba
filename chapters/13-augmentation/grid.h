/* grid.h - the experiment: for every n (labelled images per class),
 * every seed and every mixing ratio, a classifier trained on the n
 * real images per class plus ratio x n generated ones per class, from
 * a conditional GAN trained on those same real images only. */
#ifndef CH13_GRID_H
#define CH13_GRID_H

#include <stdbool.h>
#include <stdint.h>

#include "dataset.h"
#include "error.h"

#define AUG_MAX_LIST 8 /* values in --per-class and --ratios */

typedef struct {
    int per_class[AUG_MAX_LIST]; /* the n values, increasing */
    int n_count;
    int ratios[AUG_MAX_LIST];    /* generated per real image; 0 first */
    int ratio_count;
    int seeds;                   /* seeds first_seed .. + seeds - 1 */
    uint64_t first_seed;
    long gan_steps;              /* cGAN steps per (n, seed) */
    long clf_steps;              /* classifier steps per cell */
    int gan_batch;
    const char *out;             /* grid.csv, summary.csv, figures */
    bool quiet;
} AugGrid;

/* One cell's result for one seed. */
typedef struct {
    int n, ratio;
    uint64_t seed;
    double accuracy;
    double per_class[DATASET_CLASSES];
    double gan_seconds; /* 0 when no cGAN was needed */
} AugCell;

/* Parses "10,100,1000" into at most AUG_MAX_LIST increasing values in
 * [lo, hi]; returns the count, or -1 with err naming the option. */
int aug_parse_list(const char *text, const char *option, int lo, int hi,
                   int *values, Error *err);

/* Runs every cell, writing each to <out>/grid.csv as it finishes, then
 * the means to <out>/summary.csv and the table to stdout. cells gets
 * n_count * seeds * ratio_count results (in the order run: n, then
 * seed, then ratio) and the count is returned. */
int aug_grid_run(const AugGrid *g, const Dataset *ds, AugCell *cells);

/* Mean and sample standard deviation of x[0..n); sd 0 when n < 2. */
void aug_mean_sd(const double *x, int n, double *mean, double *sd);

#endif
