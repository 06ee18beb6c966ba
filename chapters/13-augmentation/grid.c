/* grid.c - the protocol of chapter 13, cell by cell.
 *
 * For each n and seed: the seed picks n real images per class; a
 * classifier trained on them alone is the baseline; chapter 11's cGAN,
 * trained on those same images and nothing else, draws ratio x n more
 * per class for each other ratio; a classifier with the baseline's
 * initial weights and batch order is trained on the mixture. The
 * baseline and the augmented runs of one seed differ only in the
 * generated images, so their difference is a paired comparison.
 */
#include "grid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvlog.h"
#include "progress.h"
#include "rng.h"

#include "../11-cgan/sample.h"
#include "fewshot.h"
#include "judge.h"
#include "subset.h"
#include "synth.h"

/* Each use of a seed has its own stream, so that (say) a longer cGAN
 * run does not change which images are picked. */
#define SUBSET_STREAM 0x5b5e7000u
#define GAN_STREAM 0x6a4e0000u
#define SYNTH_STREAM 0x5e7e0000u
#define CLF_STREAM 0xc1f00000u
#define SAMPLE_COLUMNS 10 /* samples per class in samples-n<N>.png */
#define GRID_HEADER                                                      \
    "n,ratio,seed,real,generated,epochs,steps,test_accuracy," \
    "acc_0,acc_1,acc_2,acc_3,acc_4,acc_5,acc_6,acc_7,acc_8,acc_9"
#define GRID_COLUMNS (8 + DATASET_CLASSES)
#define SUMMARY_HEADER "n,ratio,mean,sd,gain_mean,gain_sd,better,seeds"

int aug_parse_list(const char *text, const char *option, int lo, int hi,
                   int *values, Error *err)
{
    int n = 0;
    const char *p = text;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || (*end && *end != ',') || v < lo || v > hi)
            return error_set(err, "%s: '%s' is not a list of whole "
                             "numbers from %d to %d such as 10,100",
                             option, text, lo, hi);
        if (n == AUG_MAX_LIST)
            return error_set(err, "%s: more than %d values", option,
                             AUG_MAX_LIST);
        if (n > 0 && v <= values[n - 1])
            return error_set(err, "%s: the values must increase (%s)",
                             option, text);
        values[n++] = (int)v;
        p = *end ? end + 1 : end;
    }
    if (n == 0)
        return error_set(err, "%s: an empty list", option);
    return n;
}

void aug_mean_sd(const double *x, int n, double *mean, double *sd)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    *mean = sum / n;
    double ss = 0.0;
    for (int i = 0; i < n; i++)
        ss += (x[i] - *mean) * (x[i] - *mean);
    *sd = n > 1 ? sqrt(ss / (n - 1)) : 0.0;
}

static void write_cell(CsvLog *log, const AugCell *c, int real,
                       int generated, const AugScore *s)
{
    double row[GRID_COLUMNS] = {c->n, c->ratio, (double)c->seed, real,
                                generated, s->epochs, s->steps,
                                c->accuracy};
    memcpy(row + 8, c->per_class, sizeof c->per_class);
    csv_row(log, row);
    Error err;
    if (csv_publish(log, &err) < 0)
        fatal("%s", err.msg);
}

/* samples-n<N>.png: what the cGAN of the first seed draws, one row per
 * class. */
static void write_samples(const AugGrid *g, CganGenerator gen, int n,
                          uint64_t seed)
{
    char name[64];
    snprintf(name, sizeof name, "samples-n%d.png", n);
    char *path = path_join(g->out, name);
    Error err;
    if (cgan_classes_write(gen, SAMPLE_COLUMNS, seed + SYNTH_STREAM, path,
                           &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

/* The cells of one n and one seed, in ratio order; returns how many. */
static int run_seed(const AugGrid *g, const Dataset *ds, int n,
                    uint64_t seed, CsvLog *log, AugCell *cells)
{
    const int K = DATASET_CLASSES, count = K * n;
    Error err;
    int *rows = xmalloc((size_t)count * sizeof(int));
    if (aug_subset_pick(&ds->train_labels, n, seed + SUBSET_STREAM, rows,
                        &err) < 0)
        fatal("%s", err.msg);
    Cgan gan;
    bool trained = false;
    double gan_seconds = 0.0;
    for (int r = 0; r < g->ratio_count; r++) {
        int ratio = g->ratios[r];
        AugSet generated = {0}, set;
        // listing: grid-cell
        if (ratio > 0 && !trained) {
            double t0 = clock_seconds();
            Rng rng;
            rng_seed(&rng, seed + GAN_STREAM);
            cgan_init(&gan, g->gan_batch < count ? g->gan_batch : count,
                      CGAN_LABEL_SCALE, &rng);
            aug_cgan_train(&gan, ds, rows, count, g->gan_steps, &rng);
            gan_seconds = clock_seconds() - t0;
            trained = true;
            if (seed == g->first_seed)
                write_samples(g, cgan_generator(&gan), n, seed);
        }
        if (ratio > 0) {
            Rng rng;
            rng_seed(&rng, seed + SYNTH_STREAM + (uint64_t)ratio);
            aug_synthesize(cgan_generator(&gan), ratio * n, &rng,
                           &generated.images, &generated.labels);
        }
        aug_set_build(&set, ds, rows, count, ratio > 0 ? &generated : NULL);
        AugScore s = aug_judge(&set, g->clf_steps, seed + CLF_STREAM, ds);
        // end-listing: grid-cell
        AugCell *c = &cells[r];
        *c = (AugCell){.n = n, .ratio = ratio, .seed = seed,
                       .accuracy = s.accuracy,
                       .gan_seconds = ratio > 0 ? gan_seconds : 0.0};
        memcpy(c->per_class, s.per_class, sizeof c->per_class);
        write_cell(log, c, count, generated.images.count, &s);
        if (!g->quiet) {
            printf("n=%d seed=%llu 1:%d  test accuracy %.4f  (%d "
                   "images, %d steps", n, (unsigned long long)seed, ratio,
                   s.accuracy, set.images.count, s.steps);
            if (ratio > 0)
                printf("; cGAN %ld steps in %.0f s", g->gan_steps,
                       gan_seconds);
            printf(")\n");
            fflush(stdout);
        }
        aug_set_free(&set);
        if (ratio > 0)
            aug_set_free(&generated);
    }
    if (trained)
        cgan_free(&gan);
    free(rows);
    return g->ratio_count;
}

/* The results of one (n, ratio) over the seeds, and the paired gains
 * over ratio 0 of the same seeds.   acc, gain: (seeds) */
static void gather(const AugGrid *g, const AugCell *cells, int ni, int r,
                   double *acc, double *gain)
{
    for (int s = 0; s < g->seeds; s++) {
        const AugCell *row =
            cells + ((size_t)ni * g->seeds + s) * g->ratio_count;
        acc[s] = row[r].accuracy;
        gain[s] = row[r].accuracy - row[0].accuracy;
    }
}

// listing: grid-summary
static void summarize(const AugGrid *g, const AugCell *cells)
{
    CsvLog log;
    csv_open_in(&log, g->out, "summary.csv", SUMMARY_HEADER);
    double *acc = xmalloc((size_t)g->seeds * sizeof(double));
    double *gain = xmalloc((size_t)g->seeds * sizeof(double));
    printf("\n%8s %9s %19s %22s %7s\n", "n/class", "real:gen",
           "test accuracy", "paired gain over 1:0", "better");
    for (int ni = 0; ni < g->n_count; ni++) {
        for (int r = 0; r < g->ratio_count; r++) {
            gather(g, cells, ni, r, acc, gain);
            double mean, sd, gmean, gsd;
            aug_mean_sd(acc, g->seeds, &mean, &sd);
            aug_mean_sd(gain, g->seeds, &gmean, &gsd);
            int better = 0;
            for (int s = 0; s < g->seeds; s++)
                better += gain[s] > 0.0;
            printf("%8d %7s%-2d %.4f +- %.4f", g->per_class[ni], "1:",
                   g->ratios[r], mean, sd);
            if (r > 0)
                printf("     %+.4f +- %.4f %5d/%d", gmean, gsd, better,
                       g->seeds);
            printf("\n");
        }
    }
    /* the figure's blocks: one per ratio, n increasing in each */
    for (int r = 0; r < g->ratio_count; r++) {
        if (r > 0)
            csv_break(&log);
        for (int ni = 0; ni < g->n_count; ni++) {
            gather(g, cells, ni, r, acc, gain);
            double mean, sd, gmean, gsd;
            aug_mean_sd(acc, g->seeds, &mean, &sd);
            aug_mean_sd(gain, g->seeds, &gmean, &gsd);
            int better = 0;
            for (int s = 0; s < g->seeds; s++)
                better += gain[s] > 0.0;
            csv_row(&log, (double[]){g->per_class[ni], g->ratios[r], mean,
                                     sd, gmean, gsd, better, g->seeds});
        }
    }
    csv_close_or_exit(&log);
    free(acc);
    free(gain);
}
// end-listing: grid-summary

int aug_grid_run(const AugGrid *g, const Dataset *ds, AugCell *cells)
{
    CsvLog log;
    csv_open_in(&log, g->out, "grid.csv", GRID_HEADER);
    int done = 0;
    for (int ni = 0; ni < g->n_count; ni++)
        for (int s = 0; s < g->seeds; s++)
            done += run_seed(g, ds, g->per_class[ni],
                             g->first_seed + (uint64_t)s, &log,
                             cells + done);
    csv_close_or_exit(&log);
    summarize(g, cells);
    return done;
}
