/* report.c - the confusion matrix and the most-wrong test images.
 *
 * Adds over chapter 3: looking at a classifier's mistakes, not only
 * counting them.
 * Leaves out on purpose: precision, recall and the other per-class
 * scores; they are all read off the matrix this file prints.
 * Build and run: make run-04-classifier
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvlog.h"
#include "dataset.h"
#include "files.h"


// listing: confusion
void clf_confusion_count(const int *truth, const int *predicted, int n,
                         long counts[K_CLASSES][K_CLASSES])
{
    memset(counts, 0, sizeof(long) * K_CLASSES * K_CLASSES);
    for (int i = 0; i < n; i++)
        counts[truth[i]][predicted[i]]++;
}
// end-listing: confusion

void clf_confusion_print(long counts[K_CLASSES][K_CLASSES],
                         const char *const *names)
{
    printf("confusion matrix (rows: true class, columns: predicted)\n");
    printf("%16s", "");
    for (int p = 0; p < K_CLASSES; p++)
        printf("%5d", p);
    printf("\n");
    for (int t = 0; t < K_CLASSES; t++) {
        printf("%2d %-12.12s ", t, names[t]);
        for (int p = 0; p < K_CLASSES; p++)
            printf("%5ld", counts[t][p]);
        printf("\n");
    }
}

int clf_confusion_write(const char *path, long counts[K_CLASSES][K_CLASSES],
                        Error *err)
{
    CsvLog f;
    if (csv_open(&f, path, "true,predicted,count,share", err) < 0)
        return -1;
    for (int t = 0; t < K_CLASSES; t++) {
        long total = 0;
        for (int p = 0; p < K_CLASSES; p++)
            total += counts[t][p];
        for (int p = 0; p < K_CLASSES; p++)
            csv_row(&f, (double[]){t, p, (double)counts[t][p],
                                   total ? (double)counts[t][p] / total
                                         : 0.0});
        csv_break(&f);
    }
    return csv_close(&f, err);
}

int clf_class_names_write(const char *path, const char *const *names,
                          Error *err)
{
    AtomicFile af;
    if (atomic_open(&af, path, err) < 0)
        return -1;
    fprintf(af.f, "label,name\n");
    for (int k = 0; k < K_CLASSES; k++)
        fprintf(af.f, "%d,%s\n", k, names[k]);
    return atomic_commit(&af, err);
}

typedef struct {
    float loss;
    int index;
} Ranked;

static int by_loss_descending(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->loss != y->loss)
        return x->loss < y->loss ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

void clf_worst_select(const float *loss_each, int n, int *worst, int count)
{
    Ranked *r = xmalloc((size_t)n * sizeof *r);
    for (int i = 0; i < n; i++)
        r[i] = (Ranked){loss_each[i], i};
    qsort(r, (size_t)n, sizeof *r, by_loss_descending);
    for (int i = 0; i < count; i++)
        worst[i] = r[i].index;
    free(r);
}
