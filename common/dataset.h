/* dataset.h - a folder of the four standard IDX files, and batches.
 *
 * The folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each plain or
 * with ".gz". Images stay as bytes (a quarter of the memory of floats)
 * and are converted a batch at a time.
 */
#ifndef COMMON_DATASET_H
#define COMMON_DATASET_H

#include "error.h"
#include "idx.h"

#define DATASET_DEFAULT_DIR "/usr/share/datasets/fashion-mnist"
#define DATASET_ENV "GAN_DATA"
#define DATASET_SIDE 28    /* every image is 28x28 */
#define DATASET_CLASSES 10 /* labels 0..9 */

typedef struct {
    char *dir;
    IdxImages train_images, test_images;
    IdxLabels train_labels, test_labels;
} Dataset;

/* The folder to read: the --data option when given, else $GAN_DATA,
 * else DATASET_DEFAULT_DIR. */
const char *dataset_dir(const char *option);

/* Loads and checks all four files: 28x28 images, labels 0..9, and as
 * many labels as images in each split. */
int dataset_load(const char *dir, Dataset *ds, Error *err);

/* The same for the training split alone (the test split stays empty):
 * 8 MB less for a program that never looks at the test images. */
int dataset_load_train(const char *dir, Dataset *ds, Error *err);
void dataset_free(Dataset *ds);

/* The class names of Fashion-MNIST (index = label). */
extern const char *const fashion_mnist_classes[DATASET_CLASSES];

/* Names for the labels of the data in dir: Fashion-MNIST's when the
 * folder's path contains "fashion" (in any case), else the digits
 * "0" .. "9". */
const char *const *dataset_class_names(const char *dir);

/* Gathers images idx[0..n) into x, scaled from bytes 0..255 to
 * [lo, hi]: [0, 1] for a classifier, [-1, 1] for a tanh generator.
 *   idx: (n)   x: (n, rows * cols) */
void images_to_float(const IdxImages *im, const int *idx, int n,
                     float lo, float hi, float *x);

/* Gathers labels idx[0..n) into y.   idx, y: (n) */
void labels_gather(const IdxLabels *lb, const int *idx, int n, int *y);

/* idx[i] = i for i in [0, n). */
void index_identity(int *idx, int n);

#endif
