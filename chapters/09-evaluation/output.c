/* output.c - chapter 9's table, CSV files and nearest-neighbour grid.
 *
 * Adds: the report of one evaluation and the files its figures read.
 * Leaves out on purpose: nothing the book relies on; every number
 * printed is also in metrics.csv.
 * Build and run: make run-09-evaluation; test: make check
 * SUITE=09-evaluation
 */
#include "output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "files.h"
#include "image.h"

#include "score.h"

#define K EVAL_CLASSES
#define P EVAL_PIXELS
#define NN_BIN 0.25 /* width of a bin of the distance histogram */
#define PAIR_GROUPS 3 /* first samples, closest samples, test images */


static double share(int count, int total) { return (double)count / total; }

void eval_print(const EvalReal *real, const EvalResult *res,
                const char *const *names)
{
    const ParzenResult *pg = &res->parzen, *pr = &real->parzen;
    printf("%-32s %12s %12s  %s\n", "", "generated", "real",
           "real images");
    printf("%-32s %12.3f %12.3f  %s\n", "FCD to the test images", res->fcd,
           real->fcd_floor, "training");
    char score_label[64];
    snprintf(score_label, sizeof score_label,
             "classifier score (at most %d)", K);
    printf("%-32s %12.3f %12.3f  %s\n", score_label, res->score,
           real->score, "test");
    printf("%-32s %6.1f +- %3.1f %6.1f +- %3.1f  %s\n",
           "Parzen log-likelihood (nats)", pg->mean, pg->se, pr->mean,
           pr->se, "training");
    printf("%-32s %12.3f %12.3f\n", "  sigma chosen on validation",
           pg->sigmas[pg->best], pr->sigmas[pr->best]);
    printf("%-32s %12.3f %12.3f  %s\n", "median distance to training set",
           res->nn_median, real->nn_median, "test");
    printf("\n%-14s %10s %10s %10s %10s\n", "class", "generated",
           "test", "nn gen", "nn test");
    for (int k = 0; k < K; k++)
        printf("%-14s %9.1f%% %9.1f%% %10.3f %10.3f\n", names[k],
               100.0 * share(res->counts[k], real->n),
               100.0 * share(real->test_counts[k], real->n),
               res->nn_class_median[k], real->nn_class_median[k]);
    printf("(shares of the images; nn: median distance to the nearest "
           "training image)\n");
    printf("missing (below %.2gx the test share):", EVAL_MISSING_RATIO);
    for (int k = 0; k < K; k++)
        if (eval_is_missing(res->counts[k], real->n, real->test_counts[k],
                            real->n))
            printf(" %s", names[k]);
    printf("%s\nover-represented (above %.2gx):",
           res->missing ? "" : " none", EVAL_OVER_RATIO);
    for (int k = 0; k < K; k++)
        if (eval_is_over(res->counts[k], real->n, real->test_counts[k],
                         real->n))
            printf(" %s", names[k]);
    printf("%s\n", res->over ? "" : " none");
}

static void write_csv(const Run *run, const char *name, const char *header,
                      const double *rows, int nrows, int ncols)
{
    Error err;
    CsvLog log;
    char *path = run_path(run, name);
    if (csv_open(&log, path, header, &err) < 0)
        fatal("%s", err.msg);
    for (int r = 0; r < nrows; r++)
        csv_row(&log, rows + (size_t)r * ncols);
    if (csv_close(&log, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

static void write_metrics(const Run *run, const EvalReal *real,
                          const EvalResult *res)
{
    const ParzenResult *pg = &res->parzen, *pr = &real->parzen;
    double row[] = {real->n, res->fcd, real->fcd_floor, res->score,
                    real->score, res->class_tv, res->missing, res->over,
                    pg->mean, pg->se, pg->sigmas[pg->best], pr->mean,
                    pr->se, pr->sigmas[pr->best], res->nn_median,
                    real->nn_median};
    write_csv(run, "metrics.csv",
              "samples,fcd,fcd_floor,classifier_score,score_real,"
              "class_tv,missing,over,parzen,parzen_se,parzen_sigma,"
              "parzen_real,parzen_real_se,parzen_real_sigma,nn_median,"
              "nn_median_test", row, 1, sizeof row / sizeof row[0]);
}

/* classes.csv carries the names, so it is written as text. */
static void write_classes(const Run *run, const EvalReal *real,
                          const EvalResult *res, const char *const *names)
{
    Error err;
    AtomicFile af;
    char *path = run_path(run, "classes.csv");
    if (atomic_open(&af, path, &err) < 0)
        fatal("%s", err.msg);
    fprintf(af.f, "class,name,generated,test,nn_median,nn_median_test\n");
    for (int k = 0; k < K; k++)
        fprintf(af.f, "%d,%s,%.6g,%.6g,%.6g,%.6g\n", k, names[k],
                share(res->counts[k], real->n),
                share(real->test_counts[k], real->n),
                res->nn_class_median[k], real->nn_class_median[k]);
    if (atomic_commit(&af, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

static void write_parzen(const Run *run, const EvalReal *real,
                         const EvalResult *res)
{
    double rows[EVAL_SIGMAS][3];
    for (int k = 0; k < EVAL_SIGMAS; k++) {
        rows[k][0] = res->parzen.sigmas[k];
        rows[k][1] = res->parzen.validation[k];
        rows[k][2] = real->parzen.validation[k];
    }
    write_csv(run, "parzen.csv", "sigma,generated,real", &rows[0][0],
              EVAL_SIGMAS, 3);
}

/* The share of each set's nearest-neighbour distances per bin. */
static void write_nearest(const Run *run, const EvalReal *real,
                          const EvalResult *res)
{
    const int n = real->n;
    float top = 0.0f;
    for (int i = 0; i < n; i++)
        top = fmaxf(top, fmaxf(res->nn_dist[i], real->nn_dist[i]));
    int bins = (int)(top / NN_BIN) + 1;
    double *rows = xcalloc((size_t)bins * 3, sizeof(double)); /* (B, 3) */
    for (int b = 0; b < bins; b++)
        rows[3 * b] = (b + 0.5) * NN_BIN;
    for (int i = 0; i < n; i++) {
        rows[3 * (int)(res->nn_dist[i] / NN_BIN) + 1] += 1.0 / n;
        rows[3 * (int)(real->nn_dist[i] / NN_BIN) + 2] += 1.0 / n;
    }
    write_csv(run, "nearest.csv", "distance,generated,test", rows, bins, 3);
    free(rows);
}

void eval_write_files(const Run *run, const EvalReal *real,
                      const EvalResult *res, const char *const *names)
{
    write_metrics(run, real, res);
    write_classes(run, real, res, names);
    write_parzen(run, real, res);
    write_nearest(run, real, res);
}

typedef struct {
    float dist;
    int index;
} Ranked;

static int by_distance(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Copies image `which` of a set, and its nearest training image, into
 * column `col` of a pair of rows starting at tile `row0`.
 *   tiles: (rows * EVAL_PAIRS_SHOWN, P) */
static void put_pair(float *tiles, int row0, int col, const float *image,
                     const IdxImages *train, int neighbour)
{
    float *top = tiles + ((size_t)row0 * EVAL_PAIRS_SHOWN + col) * P;
    float *below = top + (size_t)EVAL_PAIRS_SHOWN * P;
    memcpy(top, image, P * sizeof(float));
    images_to_float(train, &neighbour, 1, 0.0f, 1.0f, below);
}

void eval_write_pairs(const Run *run, const EvalReal *real,
                      const EvalResult *res, const float *x)
{
    const int n = real->n, shown = n < EVAL_PAIRS_SHOWN ? n
                                                       : EVAL_PAIRS_SHOWN;
    const IdxImages *train = &real->data->train_images;
    const int tiles_n = 2 * PAIR_GROUPS * EVAL_PAIRS_SHOWN;
    float *tiles = xcalloc((size_t)tiles_n * P, sizeof(float));
    for (int i = 0; i < tiles_n * P; i++)
        tiles[i] = 0.5f; /* empty tiles mid-grey */
    Ranked *ranked = xmalloc((size_t)n * sizeof(Ranked));
    for (int i = 0; i < n; i++)
        ranked[i] = (Ranked){res->nn_dist[i], i};
    qsort(ranked, (size_t)n, sizeof(Ranked), by_distance);
    for (int c = 0; c < shown; c++) {
        put_pair(tiles, 0, c, x + (size_t)c * P, train, res->nn_index[c]);
        int close = ranked[c].index;
        put_pair(tiles, 2, c, x + (size_t)close * P, train,
                 res->nn_index[close]);
        put_pair(tiles, 4, c, real->test + (size_t)c * P, train,
                 real->nn_index[c]);
    }
    Error err;
    char *path = run_path(run, "nearest.png");
    if (png_write_grid(path, tiles, tiles_n, DATASET_SIDE, DATASET_SIDE,
                       EVAL_PAIRS_SHOWN, 0.0f, 1.0f, &err) < 0)
        fatal("%s", err.msg);
    if (!run->quiet)
        printf("figure: %s\n", path);
    free(path);
    free(ranked);
    free(tiles);
}

void eval_epoch_row(CsvLog *log, int epoch, const EvalReal *real,
                    const EvalResult *res)
{
    const ParzenResult *pg = &res->parzen;
    double row[] = {epoch, res->fcd, real->fcd_floor, res->score,
                    real->score, res->class_tv, res->missing, res->over,
                    pg->mean, pg->se, pg->sigmas[pg->best],
                    real->parzen.mean, res->nn_median, real->nn_median};
    csv_row(log, row);
}
