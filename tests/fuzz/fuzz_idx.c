/* fuzz_idx.c - the IDX reader (common/idx.c) on any bytes, plain or
 * gzipped.
 *
 * The first byte chooses how the rest is read:
 *   bit 0  a label file (else an image file)
 *   bit 1  gzip the rest first, so the mutations reach the header and
 *          data behind zlib (without it, gzip input is still read:
 *          the corpus has gzipped files, whose mutations test zlib's
 *          own checks)
 *   bit 2  images must be 28x28; labels must be below 10 (else any
 *          size, and labels below 256)
 * What loads must be what the file says: as many images as its header
 * counts, each pixel the byte of the file, and idx_write_images of it
 * must read back the same.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzzfile.h"
#include "idx.h"

static uint8_t *gzip(const uint8_t *data, size_t size, size_t *out_size)
{
    z_stream s = {0};
    if (deflateInit2(&s, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        abort();
    size_t cap = deflateBound(&s, size);
    uint8_t *out = malloc(cap);
    s.next_in = (Bytef *)data;
    s.avail_in = (uInt)size;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    if (deflate(&s, Z_FINISH) != Z_STREAM_END)
        abort();
    *out_size = cap - s.avail_out;
    deflateEnd(&s);
    return out;
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
           (uint32_t)b[2] << 8 | b[3];
}

/* The plain bytes the reader saw: data itself, unless it was gzip. */
static bool plain(const uint8_t *data, size_t size)
{
    return !(size >= 2 && data[0] == 0x1f && data[1] == 0x8b);
}

static void check_images(const IdxImages *im, const uint8_t *data,
                         size_t size)
{
    size_t n = (size_t)im->count * im->rows * im->cols;
    FUZZ_CHECK(im->rows >= 1 && im->cols >= 1 && im->count >= 0,
               "%d images of %dx%d", im->count, im->rows, im->cols);
    if (plain(data, size)) {
        FUZZ_CHECK(size == 16 + n, "%zu bytes hold %zu pixels", size, n);
        FUZZ_CHECK(be32(data + 4) == (uint32_t)im->count, "count");
        FUZZ_CHECK(n == 0 || memcmp(im->pixels, data + 16, n) == 0,
                   "pixels differ from the file's bytes");
    }
    Error err;
    const char *path = fuzz_scratch_path("images.idx");
    FUZZ_CHECK(idx_write_images(path, im->pixels, im->count, im->rows,
                                im->cols, &err) == 0, "%s", err.msg);
    IdxImages again;
    FUZZ_CHECK(idx_read_images(path, 0, 0, &again, &err) == 0, "%s",
               err.msg);
    FUZZ_CHECK(again.count == im->count && again.rows == im->rows &&
                   again.cols == im->cols &&
                   (n == 0 || memcmp(again.pixels, im->pixels, n) == 0),
               "written images read back differently");
    idx_free_images(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++, size--;
    uint8_t *zipped = NULL;
    const uint8_t *bytes = data;
    size_t n = size;
    if (mode & 2)
        bytes = zipped = gzip(data, size, &n);
    const char *path = fuzz_file(0, bytes, n);
    Error err = {""};
    if (mode & 1) {
        IdxLabels lb;
        int classes = mode & 4 ? 10 : 256;
        if (idx_read_labels(path, classes, &lb, &err) == 0) {
            for (int i = 0; i < lb.count; i++)
                FUZZ_CHECK(lb.labels[i] < classes, "label %d", i);
            if (plain(bytes, n))
                FUZZ_CHECK(n == 8 + (size_t)lb.count &&
                               (lb.count == 0 ||
                                memcmp(lb.labels, bytes + 8,
                                       (size_t)lb.count) == 0),
                           "labels differ from the file's bytes");
            idx_free_labels(&lb);
        } else {
            FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");
        }
    } else {
        IdxImages im;
        int side = mode & 4 ? 28 : 0;
        if (idx_read_images(path, side, side, &im, &err) == 0) {
            check_images(&im, bytes, n);
            idx_free_images(&im);
        } else {
            FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");
        }
    }
    free(zipped);
    return 0;
}
