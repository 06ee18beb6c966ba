#include "dataset.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

const char *const fashion_mnist_classes[DATASET_CLASSES] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot",
};

static const char *const digit_names[DATASET_CLASSES] = {
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

const char *const *dataset_class_names(const char *dir)
{
    static const char word[] = "fashion";
    size_t n = strlen(dir), w = sizeof word - 1;
    for (size_t i = 0; i + w <= n; i++) {
        size_t j = 0;
        while (j < w && tolower((unsigned char)dir[i + j]) == word[j])
            j++;
        if (j == w)
            return fashion_mnist_classes;
    }
    return digit_names;
}

const char *dataset_dir(const char *option)
{
    if (option)
        return option;
    const char *env = getenv(DATASET_ENV);
    return env && *env ? env : DATASET_DEFAULT_DIR;
}

/* "<dir>/<name>" if it exists, else "<dir>/<name>.gz"; NULL if
 * neither does. */
static char *find_idx(const char *dir, const char *name)
{
    char *plain = path_join(dir, name);
    if (file_exists(plain))
        return plain;
    size_t n = strlen(plain);
    char *gz = xmalloc(n + sizeof ".gz");
    memcpy(gz, plain, n);
    memcpy(gz + n, ".gz", sizeof ".gz");
    free(plain);
    if (file_exists(gz))
        return gz;
    free(gz);
    return NULL;
}

static int missing(const char *dir, const char *name, Error *err)
{
    if (strcmp(dir, DATASET_DEFAULT_DIR) == 0)
        return error_set(err,
                         "%s/%s[.gz] not found\n"
                         "HINT: install Fashion-MNIST with `make deps` "
                         "(Debian package dataset-fashion-mnist), or "
                         "point --data at a folder of IDX files",
                         dir, name);
    return error_set(err,
                     "%s/%s[.gz] not found\n"
                     "HINT: --data needs a folder with the four IDX files "
                     "train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                     "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte "
                     "(each may end in .gz); `make mnist` fetches the "
                     "MNIST digits into data/mnist",
                     dir, name);
}

static int load_split(const char *dir, const char *images_name,
                      const char *labels_name, IdxImages *im,
                      IdxLabels *lb, Error *err)
{
    char *ipath = find_idx(dir, images_name);
    if (!ipath)
        return missing(dir, images_name, err);
    char *lpath = find_idx(dir, labels_name);
    if (!lpath) {
        free(ipath);
        return missing(dir, labels_name, err);
    }
    int rc = idx_read_images(ipath, DATASET_SIDE, DATASET_SIDE, im, err);
    if (rc == 0)
        rc = idx_read_labels(lpath, DATASET_CLASSES, lb, err);
    if (rc == 0 && im->count == 0)
        rc = error_set(err, "%s holds no images", ipath);
    if (rc == 0 && im->count != lb->count)
        rc = error_set(err, "%s holds %d images but %s holds %d labels",
                       ipath, im->count, lpath, lb->count);
    free(ipath);
    free(lpath);
    return rc;
}

static int load(const char *dir, bool with_test, Dataset *ds, Error *err)
{
    memset(ds, 0, sizeof *ds);
    int rc = load_split(dir, "train-images-idx3-ubyte",
                        "train-labels-idx1-ubyte", &ds->train_images,
                        &ds->train_labels, err);
    if (rc == 0 && with_test)
        rc = load_split(dir, "t10k-images-idx3-ubyte",
                        "t10k-labels-idx1-ubyte", &ds->test_images,
                        &ds->test_labels, err);
    if (rc < 0) {
        dataset_free(ds);
        return -1;
    }
    ds->dir = xstrdup(dir);
    return 0;
}

int dataset_load(const char *dir, Dataset *ds, Error *err)
{
    return load(dir, true, ds, err);
}

int dataset_load_train(const char *dir, Dataset *ds, Error *err)
{
    return load(dir, false, ds, err);
}

void dataset_free(Dataset *ds)
{
    idx_free_images(&ds->train_images);
    idx_free_images(&ds->test_images);
    idx_free_labels(&ds->train_labels);
    idx_free_labels(&ds->test_labels);
    free(ds->dir);
    ds->dir = NULL;
}

void images_to_float(const IdxImages *im, const int *idx, int n,
                     float lo, float hi, float *x)
{
    size_t dim = (size_t)im->rows * (size_t)im->cols;
    float scale = (hi - lo) / 255.0f;
    for (int i = 0; i < n; i++) {
        const uint8_t *src = im->pixels + (size_t)idx[i] * dim;
        float *dst = x + (size_t)i * dim;
        for (size_t j = 0; j < dim; j++)
            dst[j] = lo + scale * (float)src[j];
    }
}

void labels_gather(const IdxLabels *lb, const int *idx, int n, int *y)
{
    for (int i = 0; i < n; i++)
        y[i] = lb->labels[idx[i]];
}

void index_identity(int *idx, int n)
{
    for (int i = 0; i < n; i++)
        idx[i] = i;
}
