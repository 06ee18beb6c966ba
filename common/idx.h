/* idx.h - reading IDX files, the format of MNIST and Fashion-MNIST.
 *
 * An IDX file is a big-endian header followed by raw bytes:
 *   magic   0x00 0x00 <type> <ndim>     type 0x08 = unsigned byte
 *   ndim    32-bit sizes                images: count, rows, cols
 *   data    count * rows * cols bytes   labels: count
 * Files may be gzipped or plain; zlib reads both the same way.
 *
 * Nothing in the file is trusted: the magic, every size, the amount of
 * data against the header, and each label's range are checked, and
 * memory grows only as data actually arrives, so a header that claims
 * two billion images costs nothing before it is refused.
 */
#ifndef COMMON_IDX_H
#define COMMON_IDX_H

#include <stdint.h>

#include "error.h"

#define IDX_MAGIC_IMAGES 0x00000803u /* unsigned bytes, 3 dimensions */
#define IDX_MAGIC_LABELS 0x00000801u /* unsigned bytes, 1 dimension */
#define IDX_MAX_SIDE 4096            /* larger rows or cols are absurd */

typedef struct {
    int count;       /* N */
    int rows, cols;  /* 28, 28 for (Fashion-)MNIST */
    uint8_t *pixels; /* (N, rows * cols), 0 = background */
} IdxImages;

typedef struct {
    int count;       /* N */
    uint8_t *labels; /* (N) */
} IdxLabels;

/* Reads an image file. When want_rows and want_cols are not 0, images
 * of any other size are refused. */
int idx_read_images(const char *path, int want_rows, int want_cols,
                    IdxImages *out, Error *err);

/* Reads a label file; every label must be below num_classes. */
int idx_read_labels(const char *path, int num_classes, IdxLabels *out,
                    Error *err);

/* Writes n images of rows x cols pixels as a plain IDX image file (what
 * idx_read_images reads back), atomically: pixels (n, rows * cols),
 * 0 = background. */
int idx_write_images(const char *path, const uint8_t *pixels, int n,
                     int rows, int cols, Error *err);

void idx_free_images(IdxImages *im);
void idx_free_labels(IdxLabels *lb);

#endif
