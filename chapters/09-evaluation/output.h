/* output.h - chapter 9's report: the table on stdout, the CSV files
 * the figures are drawn from, and the nearest-neighbour picture. */
#ifndef CH09_OUTPUT_H
#define CH09_OUTPUT_H

#include "csvlog.h"
#include "error.h"
#include "run.h"

#include "evaluate.h"

#define EVAL_PAIRS_SHOWN 8 /* samples per row of nearest.png */

/* The metrics table and the class table. */
void eval_print(const EvalReal *real, const EvalResult *res,
                const char *const *names);

/* metrics.csv, classes.csv, parzen.csv and nearest.csv in the run's
 * folder. */
void eval_write_files(const Run *run, const EvalReal *real,
                      const EvalResult *res, const char *const *names);

/* nearest.png: rows of samples, each above its nearest training
 * image: the first samples drawn, then the samples nearest to a
 * training image, then test images for comparison.   x: (N, P) */
void eval_write_pairs(const Run *run, const EvalReal *real,
                      const EvalResult *res, const float *x);

/* epochs.csv, one row per checkpoint evaluated. */
#define EVAL_EPOCH_HEADER                                                 \
    "epoch,fcd,fcd_floor,classifier_score,score_real,class_tv,missing,"  \
    "over,parzen,parzen_se,parzen_sigma,parzen_real,nn_median,"           \
    "nn_median_test"
void eval_epoch_row(CsvLog *log, int epoch, const EvalReal *real,
                    const EvalResult *res);

#endif
