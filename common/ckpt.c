#include "ckpt.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "files.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "checkpoints store tensors as little-endian bytes"
#endif

#define CKPT_MAGIC_SIZE 8
#define CKPT_HEADER_SIZE (CKPT_MAGIC_SIZE + 4 + 8)
#define CKPT_TRAILER_SIZE 4

static size_t type_size(CkptType t)
{
    switch (t) {
    case CKPT_F32:
    case CKPT_I32:
        return 4;
    case CKPT_U64:
        return 8;
    }
    return 0;
}

static const char *type_name(CkptType t)
{
    switch (t) {
    case CKPT_F32:
        return "float32";
    case CKPT_I32:
        return "int32";
    case CKPT_U64:
        return "uint64";
    }
    return "unknown";
}

static uint64_t elements(const CkptTensor *t)
{
    uint64_t n = 1;
    for (int i = 0; i < t->ndim; i++)
        n *= t->dims[i];
    return n;
}

void ckpt_init(Ckpt *c, const char *kind)
{
    memset(c, 0, sizeof *c);
    snprintf(c->kind, sizeof c->kind, "%s", kind);
}

void ckpt_free(Ckpt *c)
{
    free(c->tensors);
    free(c->bytes);
    free(c->path);
    memset(c, 0, sizeof *c);
}

void ckpt_add(Ckpt *c, const char *name, CkptType type, const void *data,
              int ndim, const uint64_t *dims)
{
    if (ndim < 0 || ndim > CKPT_MAX_DIMS || strlen(name) >= CKPT_NAME_MAX)
        fatal("ckpt_add: tensor '%s' has %d dimensions or a name that "
              "is too long", name, ndim);
    if (c->count == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        CkptTensor *t = realloc(c->tensors, (size_t)c->cap * sizeof *t);
        if (!t)
            fatal("out of memory adding checkpoint tensor %s", name);
        c->tensors = t;
    }
    CkptTensor *t = &c->tensors[c->count++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->type = type;
    t->ndim = ndim;
    for (int i = 0; i < ndim; i++)
        t->dims[i] = dims[i];
    t->data = data;
}

void ckpt_add_params(Ckpt *c, const Param *params, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t dims[2] = {(uint64_t)params[i].rows,
                            (uint64_t)params[i].cols};
        ckpt_add(c, params[i].name, CKPT_F32, params[i].value, 2, dims);
    }
}

/* ---- saving ---- */

typedef struct {
    FILE *f;
    uLong crc;
    int write_errno; /* of the first write that failed, 0 if none */
} Writer;

/* Bytes that the CRC does not cover (the CRC itself). */
static void put_raw(Writer *w, const void *data, size_t n)
{
    if (fwrite(data, 1, n, w->f) != n && !w->write_errno)
        w->write_errno = errno ? errno : EIO;
}

static void put(Writer *w, const void *data, size_t n)
{
    const uint8_t *p = data;
    while (n > 0) {
        uInt chunk = n > (1u << 30) ? 1u << 30 : (uInt)n;
        w->crc = crc32(w->crc, p, chunk);
        put_raw(w, p, chunk);
        p += chunk;
        n -= chunk;
    }
}

static void put_u32(Writer *w, uint32_t v) { put(w, &v, 4); }
static void put_u64(Writer *w, uint64_t v) { put(w, &v, 8); }

static void put_string(Writer *w, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    put_u32(w, n);
    put(w, s, n);
}

static uint64_t saved_length(const Ckpt *c)
{
    uint64_t n = CKPT_HEADER_SIZE + 4 + strlen(c->kind) + 4;
    for (int i = 0; i < c->count; i++) {
        const CkptTensor *t = &c->tensors[i];
        n += 4 + strlen(t->name) + 4 + 4 + 8 * (uint64_t)t->ndim;
        n += elements(t) * type_size(t->type);
    }
    return n + CKPT_TRAILER_SIZE;
}

/* Returns the cause of the first write that failed, 0 if none. */
static int write_all(const Ckpt *c, FILE *f)
{
    Writer w = {f, crc32(0L, Z_NULL, 0), 0};
    char magic[CKPT_MAGIC_SIZE] = CKPT_MAGIC;
    put(&w, magic, sizeof magic);
    put_u32(&w, CKPT_VERSION);
    put_u64(&w, saved_length(c));
    put_string(&w, c->kind);
    put_u32(&w, (uint32_t)c->count);
    for (int i = 0; i < c->count; i++) {
        const CkptTensor *t = &c->tensors[i];
        put_string(&w, t->name);
        put_u32(&w, (uint32_t)t->type);
        put_u32(&w, (uint32_t)t->ndim);
        for (int d = 0; d < t->ndim; d++)
            put_u64(&w, t->dims[d]);
        put(&w, t->data, elements(t) * type_size(t->type));
    }
    uint32_t crc = (uint32_t)w.crc;
    put_raw(&w, &crc, 4);
    return w.write_errno;
}

int ckpt_save(const Ckpt *c, const char *path, Error *err)
{
    AtomicFile af;
    if (atomic_open(&af, path, err) < 0)
        return -1;
    /* the cause, for atomic_commit's message */
    af.write_errno = write_all(c, af.f);
    return atomic_commit(&af, err);
}

void ckpt_to_bytes(const Ckpt *c, uint8_t **bytes, size_t *size)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, size);
    if (!f)
        fatal("ckpt_to_bytes: out of memory");
    write_all(c, f);
    if (fclose(f) != 0)
        fatal("ckpt_to_bytes: out of memory");
    *bytes = (uint8_t *)buf;
}

/* ---- loading ---- */

typedef struct {
    const uint8_t *p, *end;
    const char *path;
    Error *err;
} Reader;

static int take(Reader *r, void *dst, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return error_set(r->err, "%s is malformed: a record runs past "
                         "the end of the file", r->path);
    if (dst)
        memcpy(dst, r->p, n);
    r->p += n;
    return 0;
}

static int take_string(Reader *r, char *dst, size_t cap, const char *what)
{
    uint32_t n = 0;
    if (take(r, &n, 4) < 0)
        return -1;
    if (n >= cap)
        return error_set(r->err, "%s is malformed: a %s of %u bytes",
                         r->path, what, n);
    if (take(r, dst, n) < 0)
        return -1;
    /* a NUL inside would cut the name short: it could not be saved
     * again as it is, and two names could become one */
    if (memchr(dst, '\0', n))
        return error_set(r->err, "%s is malformed: a %s with a NUL byte "
                         "in it", r->path, what);
    dst[n] = '\0';
    return 0;
}

static int read_file(const char *path, uint8_t **out, size_t *size,
                     Error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return error_set(err, "cannot open checkpoint %s: %s", path,
                         strerror(errno));
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return error_set(err, "%s: out of memory", path);
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return error_set(err, "cannot read checkpoint %s", path);
    }
    *out = buf;
    *size = n;
    return 0;
}

static int parse_tensors(Ckpt *c, Reader *r)
{
    uint32_t count = 0;
    if (take(r, &count, 4) < 0)
        return -1;
    /* each tensor takes at least 12 bytes, which bounds the count */
    if (count > (size_t)(r->end - r->p) / 12)
        return error_set(r->err, "%s is malformed: it claims %u tensors",
                         r->path, count);
    c->tensors = xcalloc(count ? count : 1, sizeof *c->tensors);
    c->cap = (int)(count ? count : 1);
    for (uint32_t i = 0; i < count; i++) {
        CkptTensor *t = &c->tensors[i];
        uint32_t type = 0, ndim = 0;
        if (take_string(r, t->name, sizeof t->name, "tensor name") < 0 ||
            take(r, &type, 4) < 0 || take(r, &ndim, 4) < 0)
            return -1;
        t->type = (CkptType)type;
        if (type_size(t->type) == 0 || ndim > CKPT_MAX_DIMS)
            return error_set(r->err, "%s is malformed: tensor %s has type "
                             "%u and %u dimensions", r->path, t->name,
                             type, ndim);
        t->ndim = (int)ndim;
        uint64_t n = 1;
        for (uint32_t d = 0; d < ndim; d++) {
            if (take(r, &t->dims[d], 8) < 0)
                return -1;
            if (t->dims[d] != 0 && n > UINT64_MAX / 8 / t->dims[d])
                return error_set(r->err, "%s is malformed: tensor %s is "
                                 "absurdly large", r->path, t->name);
            n *= t->dims[d];
        }
        t->data = r->p;
        if (take(r, NULL, n * type_size(t->type)) < 0)
            return -1;
        c->count++;
    }
    if (r->p != r->end)
        return error_set(r->err, "%s is malformed: %td bytes follow the "
                         "last tensor", r->path, r->end - r->p);
    return 0;
}

int ckpt_load(Ckpt *c, const char *path, const char *expected_kind,
              Error *err)
{
    memset(c, 0, sizeof *c);
    uint8_t *bytes = NULL;
    size_t size = 0;
    if (read_file(path, &bytes, &size, err) < 0)
        return -1;
    return ckpt_from_bytes(c, bytes, size, path, expected_kind, err);
}

int ckpt_from_bytes(Ckpt *c, uint8_t *bytes, size_t size, const char *path,
                    const char *expected_kind, Error *err)
{
    memset(c, 0, sizeof *c);
    c->bytes = bytes;
    c->size = size;
    c->path = xstrdup(path);
    int rc = 0;
    uint32_t version = 0;
    uint64_t length = 0;
    if (size == 0)
        rc = error_set(err, "%s is empty; expected a checkpoint", path);
    else if (size < CKPT_MAGIC_SIZE ||
             memcmp(bytes, CKPT_MAGIC, CKPT_MAGIC_SIZE) != 0)
        rc = error_set(err, "%s is not a checkpoint: wrong magic number",
                       path);
    else if (size < CKPT_HEADER_SIZE + CKPT_TRAILER_SIZE)
        rc = error_set(err, "%s is truncated: %zu bytes", path, size);
    if (rc == 0) {
        memcpy(&version, bytes + CKPT_MAGIC_SIZE, 4);
        memcpy(&length, bytes + CKPT_MAGIC_SIZE + 4, 8);
        if (version != CKPT_VERSION)
            rc = error_set(err, "%s is a version %u checkpoint; this "
                           "program reads version %u", path, version,
                           CKPT_VERSION);
        else if (length != size)
            rc = error_set(err, "%s is %s: it holds %zu bytes, its "
                           "header says %llu", path,
                           size < length ? "truncated" : "malformed",
                           size, (unsigned long long)length);
    }
    if (rc == 0) {
        size_t body = size - CKPT_TRAILER_SIZE;
        uint32_t stored;
        memcpy(&stored, bytes + body, 4);
        uLong crc = crc32(0L, Z_NULL, 0);
        for (size_t off = 0; off < body;) {
            uInt chunk = body - off > (1u << 30) ? 1u << 30
                                                 : (uInt)(body - off);
            crc = crc32(crc, bytes + off, chunk);
            off += chunk;
        }
        if ((uint32_t)crc != stored)
            rc = error_set(err, "%s is corrupted: its checksum does not "
                           "match its contents", path);
    }
    if (rc == 0) {
        Reader r = {bytes + CKPT_HEADER_SIZE, bytes + size - 4, path, err};
        rc = take_string(&r, c->kind, sizeof c->kind, "kind");
        if (rc == 0 && expected_kind && strcmp(c->kind, expected_kind))
            rc = error_set(err, "%s is a checkpoint of %s, not of %s",
                           path, c->kind, expected_kind);
        if (rc == 0)
            rc = parse_tensors(c, &r);
    }
    if (rc < 0) {
        ckpt_free(c);
        return -1;
    }
    return 0;
}

const CkptTensor *ckpt_find(const Ckpt *c, const char *name)
{
    for (int i = 0; i < c->count; i++)
        if (strcmp(c->tensors[i].name, name) == 0)
            return &c->tensors[i];
    return NULL;
}

uint64_t ckpt_elements(const Ckpt *c, CkptType type)
{
    /* each tensor's bytes are in the file, so the sum cannot overflow */
    uint64_t n = 0;
    for (int i = 0; i < c->count; i++)
        if (c->tensors[i].type == type)
            n += elements(&c->tensors[i]);
    return n;
}

static void format_shape(char *buf, size_t n, int ndim,
                         const uint64_t *dims)
{
    int used = snprintf(buf, n, ndim ? "" : "scalar");
    for (int i = 0; i < ndim && used >= 0 && (size_t)used < n; i++)
        used += snprintf(buf + used, n - (size_t)used, i ? "x%llu" : "%llu",
                         (unsigned long long)dims[i]);
}

int ckpt_read(const Ckpt *c, const char *name, CkptType type, void *dst,
              int ndim, const uint64_t *dims, Error *err)
{
    const char *path = c->path ? c->path : "checkpoint";
    const CkptTensor *t = ckpt_find(c, name);
    if (!t)
        return error_set(err, "%s has no tensor %s; was it written by "
                         "another model?", path, name);
    if (t->type != type)
        return error_set(err, "%s: tensor %s holds %s, expected %s", path,
                         name, type_name(t->type), type_name(type));
    bool same = t->ndim == ndim;
    for (int i = 0; same && i < ndim; i++)
        same = t->dims[i] == dims[i];
    if (!same) {
        char have[96], want[96];
        format_shape(have, sizeof have, t->ndim, t->dims);
        format_shape(want, sizeof want, ndim, dims);
        return error_set(err, "%s: tensor %s has shape %s, this model "
                         "needs %s", path, name, have, want);
    }
    memcpy(dst, t->data, elements(t) * type_size(t->type));
    return 0;
}

int ckpt_read_params(const Ckpt *c, const Param *params, int n,
                     Error *err)
{
    for (int i = 0; i < n; i++) {
        uint64_t dims[2] = {(uint64_t)params[i].rows,
                            (uint64_t)params[i].cols};
        if (ckpt_read(c, params[i].name, CKPT_F32, params[i].value, 2,
                      dims, err) < 0)
            return -1;
    }
    return 0;
}
