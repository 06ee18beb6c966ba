/* report.h - what a trained classifier gets wrong: the confusion matrix
 * and the test images it is most wrong about.
 */
#ifndef CH04_REPORT_H
#define CH04_REPORT_H

#include "classifier.h"
#include "error.h"

#define K_CLASSES CLASSIFIER_CLASSES

/* counts[t][p] = how many images of true class t were predicted as p.
 *   truth, predicted: (n) */
void clf_confusion_count(const int *truth, const int *predicted, int n,
                         long counts[K_CLASSES][K_CLASSES]);

/* Prints the matrix: one row per true class, one column per guess. */
void clf_confusion_print(long counts[K_CLASSES][K_CLASSES],
                         const char *const *names);

/* confusion.csv: true,predicted,count,share (share of the true
 * class's images), in blocks of one true class for gnuplot;
 * classes.csv: label,name. */
int clf_confusion_write(const char *path, long counts[K_CLASSES][K_CLASSES],
                        Error *err);
int clf_class_names_write(const char *path, const char *const *names,
                          Error *err);

/* The `count` images with the largest loss, largest first (ties by
 * lower index).   loss_each: (n)   worst: (count), count <= n */
void clf_worst_select(const float *loss_each, int n, int *worst, int count);

#endif
