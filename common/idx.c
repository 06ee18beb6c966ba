#include "idx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "files.h"

/* Largest chunk of memory taken before the data to fill it has been
 * read: growth follows the data, not the header's claims. */
#define IDX_CHUNK ((size_t)1 << 20)

typedef struct {
    gzFile gz;
    const char *path;
} IdxFile;

static int idx_open(IdxFile *f, const char *path, Error *err)
{
    f->path = path;
    errno = 0;
    f->gz = gzopen(path, "rb");
    if (!f->gz)
        return error_set(err, "cannot open %s: %s", path,
                         errno ? strerror(errno) : "out of memory");
    return 0;
}

/* Reads up to n bytes; returns how many, or -1 with err set when the
 * gzip stream is corrupt. */
static long idx_read(IdxFile *f, void *buf, size_t n, Error *err)
{
    size_t done = 0;
    while (done < n) {
        unsigned want = n - done > (1u << 30) ? 1u << 30
                                              : (unsigned)(n - done);
        int got = gzread(f->gz, (char *)buf + done, want);
        if (got < 0) {
            int code;
            const char *msg = gzerror(f->gz, &code);
            return error_set(err, "%s: corrupt gzip data (%s)", f->path,
                             msg);
        }
        if (got == 0) {
            /* gzread reports a stream cut short only through gzerror */
            int code;
            const char *msg = gzerror(f->gz, &code);
            if (code != Z_OK)
                return error_set(err, "%s: corrupt gzip data (%s)",
                                 f->path, msg);
            break;
        }
        done += (size_t)got;
    }
    return (long)done;
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
           (uint32_t)b[2] << 8 | b[3];
}

/* Reads the magic and ndim sizes into dims; checks the magic. */
static int idx_header(IdxFile *f, uint32_t magic, const char *what,
                      uint32_t *dims, int ndim, Error *err)
{
    uint8_t head[4 + 4 * 3];
    size_t want = 4 + 4 * (size_t)ndim;
    long got = idx_read(f, head, want, err);
    if (got < 0)
        return -1;
    if (got == 0)
        return error_set(err, "%s is empty; expected an IDX %s file",
                         f->path, what);
    if (got >= 4 && be32(head) != magic)
        return error_set(err,
                         "%s is not an IDX %s file: its magic number is "
                         "0x%08x, expected 0x%08x",
                         f->path, what, be32(head), magic);
    if ((size_t)got < want)
        return error_set(err,
                         "%s is truncated: its header ends after %ld of "
                         "%zu bytes",
                         f->path, got, want);
    for (int i = 0; i < ndim; i++)
        dims[i] = be32(head + 4 + 4 * i);
    return 0;
}

/* Reads exactly n bytes of payload into a buffer that grows as data
 * arrives, then checks nothing follows. */
static int idx_payload(IdxFile *f, size_t n, const char *what,
                       uint8_t **out, Error *err)
{
    size_t cap = n < IDX_CHUNK ? n : IDX_CHUNK, have = 0;
    uint8_t *buf = xmalloc(cap);
    while (have < n) {
        if (have == cap) {
            cap = cap > n / 2 ? n : cap * 2;
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                return error_set(err, "%s: out of memory reading %zu "
                                 "bytes", f->path, n);
            }
            buf = grown;
        }
        long got = idx_read(f, buf + have, cap - have, err);
        if (got < 0) {
            free(buf);
            return -1;
        }
        if (got == 0) {
            free(buf);
            return error_set(err,
                             "%s is truncated: the header promises %zu "
                             "bytes of %s but the file holds %zu",
                             f->path, n, what, have);
        }
        have += (size_t)got;
    }
    uint8_t extra[64];
    long more = idx_read(f, extra, sizeof extra, err);
    if (more != 0) {
        free(buf);
        if (more < 0)
            return -1;
        return error_set(err,
                         "%s has data after the %zu bytes of %s its "
                         "header promises; is the header wrong?",
                         f->path, n, what);
    }
    *out = buf;
    return 0;
}

int idx_read_images(const char *path, int want_rows, int want_cols,
                    IdxImages *out, Error *err)
{
    IdxFile f;
    uint32_t dims[3] = {0, 0, 0};
    memset(out, 0, sizeof *out);
    if (idx_open(&f, path, err) < 0)
        return -1;
    int rc = idx_header(&f, IDX_MAGIC_IMAGES, "image", dims, 3, err);
    if (rc == 0 && (dims[0] > INT32_MAX || dims[1] == 0 ||
                    dims[2] == 0 || dims[1] > IDX_MAX_SIDE ||
                    dims[2] > IDX_MAX_SIDE))
        rc = error_set(err,
                       "%s has an absurd header: %u images of %ux%u "
                       "pixels",
                       path, dims[0], dims[1], dims[2]);
    if (rc == 0 && want_rows &&
        (dims[1] != (uint32_t)want_rows || dims[2] != (uint32_t)want_cols))
        rc = error_set(err,
                       "%s holds %ux%u images; this program needs "
                       "%dx%d",
                       path, dims[1], dims[2], want_rows, want_cols);
    if (rc == 0) {
        size_t n = (size_t)dims[0] * dims[1] * dims[2];
        rc = idx_payload(&f, n, "pixels", &out->pixels, err);
    }
    gzclose(f.gz);
    if (rc < 0)
        return -1;
    out->count = (int)dims[0];
    out->rows = (int)dims[1];
    out->cols = (int)dims[2];
    return 0;
}

int idx_read_labels(const char *path, int num_classes, IdxLabels *out,
                    Error *err)
{
    IdxFile f;
    uint32_t count = 0;
    memset(out, 0, sizeof *out);
    if (idx_open(&f, path, err) < 0)
        return -1;
    int rc = idx_header(&f, IDX_MAGIC_LABELS, "label", &count, 1, err);
    if (rc == 0 && count > INT32_MAX)
        rc = error_set(err, "%s has an absurd header: %u labels", path,
                       count);
    uint8_t *labels = NULL;
    if (rc == 0)
        rc = idx_payload(&f, count, "labels", &labels, err);
    gzclose(f.gz);
    if (rc < 0)
        return -1;
    for (uint32_t i = 0; i < count; i++)
        if (labels[i] >= num_classes) {
            error_set(err, "%s: label %u at index %u is out of range 0..%d",
                      path, labels[i], i, num_classes - 1);
            free(labels);
            return -1;
        }
    out->count = (int)count;
    out->labels = labels;
    return 0;
}

int idx_write_images(const char *path, const uint8_t *pixels, int n,
                     int rows, int cols, Error *err)
{
    /* magic 0x00000803 (unsigned bytes, 3 dimensions), then the three
     * sizes, all big-endian */
    uint32_t head[4] = {0x803u, (uint32_t)n, (uint32_t)rows,
                        (uint32_t)cols};
    uint8_t bytes[16];
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 4; b++)
            bytes[4 * i + b] = (uint8_t)(head[i] >> (24 - 8 * b));
    AtomicFile af;
    if (atomic_open(&af, path, err) < 0)
        return -1;
    fwrite(bytes, 1, sizeof bytes, af.f);
    fwrite(pixels, 1, (size_t)n * rows * cols, af.f);
    return atomic_commit(&af, err);
}

void idx_free_images(IdxImages *im)
{
    free(im->pixels);
    memset(im, 0, sizeof *im);
}

void idx_free_labels(IdxLabels *lb)
{
    free(lb->labels);
    memset(lb, 0, sizeof *lb);
}
