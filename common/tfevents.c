/* tfevents.c - TFRecord framing, CRC32C and the few protocol buffer
 * fields of TensorBoard's events, by hand (no protobuf library). */
#include "tfevents.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "image.h"

/* ---- CRC32C ---------------------------------------------------------- */

#define CRC32C_POLY 0x82f63b78u /* Castagnoli's, bits reflected */
#define TFRECORD_MASK_DELTA 0xa282ead8u

static uint32_t crc_table[256];
static pthread_once_t crc_table_once = PTHREAD_ONCE_INIT;

/* crc_table[b]: the CRC register after shifting byte b through it,
 * eight bits at once instead of one. */
static void build_crc_table(void)
{
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t c = b;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
        crc_table[b] = c;
    }
}

uint32_t crc32c(const void *data, size_t n)
{
    pthread_once(&crc_table_once, build_crc_table);
    const uint8_t *p = data;
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

/* TFRecord stores CRCs masked: a CRC of data that holds CRCs (a record
 * of records) would otherwise be weak. */
uint32_t tfrecord_masked_crc(const void *data, size_t n)
{
    uint32_t c = crc32c(data, n);
    return ((c >> 15) | (c << 17)) + TFRECORD_MASK_DELTA;
}

/* ---- protocol buffer fields -------------------------------------------- */

enum { WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_BYTES = 2, WIRE_FIXED32 = 5 };

/* Event, SessionLog, Summary, Summary.Value, Summary.Image */
enum { EVENT_WALL_TIME = 1, EVENT_STEP = 2, EVENT_FILE_VERSION = 3,
       EVENT_SUMMARY = 5, EVENT_SESSION_LOG = 7 };
enum { SESSION_STATUS = 1, SESSION_START = 1 };
enum { SUMMARY_VALUE = 1 };
enum { VALUE_TAG = 1, VALUE_SIMPLE = 2, VALUE_IMAGE = 4 };
enum { IMAGE_HEIGHT = 1, IMAGE_WIDTH = 2, IMAGE_COLORSPACE = 3,
       IMAGE_ENCODED = 4 };

static void put(TfBuf *b, const void *data, size_t n)
{
    if (b->size + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->size + n)
            cap *= 2;
        uint8_t *grown = realloc(b->bytes, cap);
        if (!grown)
            fatal("out of memory for an event of %zu bytes", b->size + n);
        b->bytes = grown;
        b->cap = cap;
    }
    memcpy(b->bytes + b->size, data, n);
    b->size += n;
}

/* Seven bits a byte, least significant first, the top bit set on
 * every byte but the last. */
static void put_varint(TfBuf *b, uint64_t v)
{
    uint8_t out[10];
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    put(b, out, n);
}

static void put_key(TfBuf *b, int field, int wire)
{
    put_varint(b, (uint64_t)field << 3 | (uint64_t)wire);
}

static void put_uint(TfBuf *b, int field, uint64_t v)
{
    put_key(b, field, WIRE_VARINT);
    put_varint(b, v);
}

static void put_le(TfBuf *b, uint64_t v, int bytes)
{
    uint8_t out[8];
    for (int i = 0; i < bytes; i++)
        out[i] = (uint8_t)(v >> (8 * i));
    put(b, out, (size_t)bytes);
}

static void put_double(TfBuf *b, int field, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_key(b, field, WIRE_FIXED64);
    put_le(b, bits, 8);
}

static void put_float(TfBuf *b, int field, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_key(b, field, WIRE_FIXED32);
    put_le(b, bits, 4);
}

/* A string, bytes or an embedded message: its length, then it. */
static void put_bytes(TfBuf *b, int field, const void *data, size_t n)
{
    put_key(b, field, WIRE_BYTES);
    put_varint(b, n);
    put(b, data, n);
}

static void put_string(TfBuf *b, int field, const char *s)
{
    put_bytes(b, field, s, strlen(s));
}

/* ---- records --------------------------------------------------------- */

static void write_bytes(TfEvents *ev, const void *data, size_t n)
{
    if (fwrite(data, 1, n, ev->f) != n && !ev->write_errno)
        ev->write_errno = errno ? errno : EIO;
}

static void write_record(TfEvents *ev, const TfBuf *data)
{
    uint8_t head[12], foot[4];
    for (int i = 0; i < 8; i++)
        head[i] = (uint8_t)((uint64_t)data->size >> (8 * i));
    uint32_t crc = tfrecord_masked_crc(head, 8);
    for (int i = 0; i < 4; i++)
        head[8 + i] = (uint8_t)(crc >> (8 * i));
    crc = tfrecord_masked_crc(data->bytes, data->size);
    for (int i = 0; i < 4; i++)
        foot[i] = (uint8_t)(crc >> (8 * i));
    write_bytes(ev, head, sizeof head);
    write_bytes(ev, data->bytes, data->size);
    write_bytes(ev, foot, sizeof foot);
}

static double wall_time(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The scratch message at `depth`, emptied. */
static TfBuf *msg(TfEvents *ev, int depth)
{
    ev->msg[depth].size = 0;
    return &ev->msg[depth];
}

/* Starts an Event: its wall time and step. */
static TfBuf *event_begin(TfEvents *ev, long step)
{
    TfBuf *e = msg(ev, 0);
    put_double(e, EVENT_WALL_TIME, wall_time());
    if (step != 0) /* proto3 leaves a zero out */
        put_uint(e, EVENT_STEP, (uint64_t)step);
    return e;
}

void tfevents_scalars(TfEvents *ev, long step, int n,
                      const char *const *tags, const double *values)
{
    if (!ev->f)
        return;
    TfBuf *e = event_begin(ev, step), *summary = msg(ev, 1);
    for (int i = 0; i < n; i++) {
        TfBuf *value = msg(ev, 2);
        put_string(value, VALUE_TAG, tags[i]);
        put_float(value, VALUE_SIMPLE, (float)values[i]);
        put_bytes(summary, SUMMARY_VALUE, value->bytes, value->size);
    }
    put_bytes(e, EVENT_SUMMARY, summary->bytes, summary->size);
    write_record(ev, e);
}

void tfevents_image(TfEvents *ev, long step, const char *tag,
                    const uint8_t *png, size_t size, int width,
                    int height, int channels)
{
    if (!ev->f)
        return;
    TfBuf *e = event_begin(ev, step), *summary = msg(ev, 1);
    TfBuf *value = msg(ev, 2), *image = msg(ev, 3);
    put_uint(image, IMAGE_HEIGHT, (uint64_t)height);
    put_uint(image, IMAGE_WIDTH, (uint64_t)width);
    put_uint(image, IMAGE_COLORSPACE, (uint64_t)channels);
    put_bytes(image, IMAGE_ENCODED, png, size);
    put_string(value, VALUE_TAG, tag);
    put_bytes(value, VALUE_IMAGE, image->bytes, image->size);
    put_bytes(summary, SUMMARY_VALUE, value->bytes, value->size);
    put_bytes(e, EVENT_SUMMARY, summary->bytes, summary->size);
    write_record(ev, e);
}

int tfevents_grid(TfEvents *ev, long step, const char *tag,
                  const float *images, int n, int h, int w, int cols,
                  float lo, float hi, Error *err)
{
    if (!ev->f)
        return 0; /* events off: no PNG to encode either */
    PngBytes png;
    if (png_encode_grid(&png, images, n, h, w, cols, lo, hi, err) < 0)
        return -1;
    tfevents_image(ev, step, tag, png.bytes, png.size, png.width,
                   png.height, TFEVENTS_GRAYSCALE);
    free(png.bytes);
    return 0;
}

/* ---- the file -------------------------------------------------------- */

#define HOST_MAX 256
#define NAME_TRIES 1000 /* later seconds to try when a name is taken */

/* Opens a new file named for the first second from `now` on whose name
 * is free; O_EXCL, so that no run ever appends to another's file. */
static int create_file(TfEvents *ev, const char *dir, Error *err)
{
    char host[HOST_MAX];
    if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
        snprintf(host, sizeof host, "localhost");
    host[HOST_MAX - 1] = '\0';
    long long now = (long long)time(NULL);
    for (int i = 0; i < NAME_TRIES; i++) {
        char name[HOST_MAX + 64];
        snprintf(name, sizeof name, TFEVENTS_PREFIX "%lld.%s", now + i,
                 host);
        char *path = path_join(dir, name);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 && (ev->f = fdopen(fd, "wb")) != NULL) {
            ev->path = path;
            return 0;
        }
        int e = errno;
        if (fd >= 0) { /* made, but fdopen failed */
            close(fd);
            remove(path);
        }
        if (fd >= 0 || e != EEXIST) {
            error_set(err, "cannot write %s: %s", path, strerror(e));
            free(path);
            return -1;
        }
        free(path);
    }
    return error_set(err, "cannot name an events file in %s: the names "
                     "of the next %d seconds are taken", dir, NAME_TRIES);
}

int tfevents_open(TfEvents *ev, const char *dir, long first_step,
                  Error *err)
{
    *ev = (TfEvents){0};
    if (create_file(ev, dir, err) < 0)
        return -1;
    TfBuf *e = event_begin(ev, 0);
    put_string(e, EVENT_FILE_VERSION, TFEVENTS_FILE_VERSION);
    write_record(ev, e);
    /* TensorBoard takes every START after a run's first as a restart,
     * and drops the steps from this one on that earlier files hold */
    e = event_begin(ev, first_step);
    TfBuf *session = msg(ev, 1);
    put_uint(session, SESSION_STATUS, SESSION_START);
    put_bytes(e, EVENT_SESSION_LOG, session->bytes, session->size);
    write_record(ev, e);
    if (tfevents_flush(ev, err) < 0) {
        /* not even the header fits (a full disk): leave no stub */
        char *path = xstrdup(ev->path);
        tfevents_close(ev, NULL);
        remove(path);
        free(path);
        return -1;
    }
    return 0;
}

int tfevents_flush(TfEvents *ev, Error *err)
{
    if (!ev->f)
        return 0;
    if (fflush(ev->f) != 0 && !ev->write_errno)
        ev->write_errno = errno;
    if (ev->write_errno)
        return error_set(err, "cannot write %s: %s", ev->path,
                         strerror(ev->write_errno));
    return 0;
}

int tfevents_close(TfEvents *ev, Error *err)
{
    if (!ev->f)
        return 0;
    int rc = tfevents_flush(ev, err);
    if (fclose(ev->f) != 0 && rc == 0)
        rc = error_set(err, "cannot write %s: %s", ev->path,
                       strerror(errno));
    free(ev->path);
    for (int i = 0; i < TFEVENTS_DEPTH; i++)
        free(ev->msg[i].bytes);
    *ev = (TfEvents){0};
    return rc;
}

/* ---- for programs ------------------------------------------------------ */

void tfevents_open_or_exit(TfEvents *ev, const char *dir, long first_step,
                           bool off)
{
    *ev = (TfEvents){0};
    Error err;
    if (!off && tfevents_open(ev, dir, first_step, &err) < 0)
        fatal("%s", err.msg);
}

void tfevents_grid_or_exit(TfEvents *ev, long step, const char *tag,
                           const float *images, int n, int h, int w,
                           int cols, float lo, float hi)
{
    Error err;
    if (tfevents_grid(ev, step, tag, images, n, h, w, cols, lo, hi,
                      &err) < 0)
        fatal("%s", err.msg);
}

void tfevents_flush_or_exit(TfEvents *ev)
{
    Error err;
    if (tfevents_flush(ev, &err) < 0)
        fatal("%s", err.msg);
}

void tfevents_close_or_exit(TfEvents *ev)
{
    Error err;
    if (tfevents_close(ev, &err) < 0)
        fatal("%s", err.msg);
}
