/* fuzz_ckpt.c - the checkpoint loader (common/ckpt.c) and every
 * reader built on it, on any bytes.
 *
 * The first byte chooses the reader (its low 4 bits, modulo READERS)
 * and what the harness repairs first:
 *   0x10  the header's length field, set to the file's size
 *   0x20  the trailing CRC-32, set to the bytes' checksum
 * Without the repairs nearly every mutation is refused by the length
 * or the checksum, which is right but tests nothing behind them.
 *
 * Whatever ckpt_load accepts must round-trip: saved again it gives
 * the very bytes it was loaded from (the format has one spelling of
 * everything), and that file loads to the same tensors.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ckpt.h"
#include "classifier.h"
#include "fuzzfile.h"
#include "generator.h"
#include "smallnets.h"

#define FIX_LENGTH 0x10
#define FIX_CRC 0x20

static TrainState gan;
static CganState cgan;
static SmallDcgan dcgan;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    small_gan_state(&gan);
    small_cgan_state(&cgan);
    small_dcgan(&dcgan);
    return 0;
}

static size_t type_bytes(CkptType t) { return t == CKPT_U64 ? 8 : 4; }

static size_t tensor_bytes(const CkptTensor *t)
{
    size_t n = type_bytes(t->type);
    for (int d = 0; d < t->ndim; d++)
        n *= t->dims[d];
    return n;
}

/* Reads every tensor through ckpt_read, as a model would. */
static void read_all_tensors(const Ckpt *c)
{
    for (int i = 0; i < c->count; i++) {
        const CkptTensor *t = &c->tensors[i];
        FUZZ_CHECK(ckpt_find(c, t->name) != NULL, "tensor %s", t->name);
        size_t n = tensor_bytes(t);
        void *dst = malloc(n ? n : 1);
        Error err;
        /* a name can occur twice; ckpt_read reads the first */
        const CkptTensor *first = ckpt_find(c, t->name);
        if (first == t) {
            FUZZ_CHECK(ckpt_read(c, t->name, t->type, dst, t->ndim,
                                 t->dims, &err) == 0, "%s", err.msg);
            FUZZ_CHECK(n == 0 || memcmp(dst, t->data, n) == 0,
                       "tensor %s read differently", t->name);
        }
        free(dst);
    }
}

static void same_tensors(const Ckpt *a, const Ckpt *b)
{
    FUZZ_CHECK(strcmp(a->kind, b->kind) == 0 && a->count == b->count,
               "kind or count changed");
    for (int i = 0; i < a->count; i++) {
        const CkptTensor *x = &a->tensors[i], *y = &b->tensors[i];
        FUZZ_CHECK(strcmp(x->name, y->name) == 0 && x->type == y->type &&
                       x->ndim == y->ndim &&
                       memcmp(x->dims, y->dims,
                              sizeof x->dims[0] * (size_t)x->ndim) == 0,
                   "tensor %d changed", i);
        size_t n = tensor_bytes(x);
        FUZZ_CHECK(n == 0 || memcmp(x->data, y->data, n) == 0,
                   "tensor %s's data changed", x->name);
    }
}

/* The round-trip property on a loaded checkpoint. */
static void round_trip(const Ckpt *c, const uint8_t *bytes, size_t size)
{
    Error err;
    const char *path = fuzz_scratch_path("again.ckpt");
    FUZZ_CHECK(ckpt_save(c, path, &err) == 0, "%s", err.msg);
    Ckpt again;
    FUZZ_CHECK(ckpt_load(&again, path, c->kind, &err) == 0, "%s", err.msg);
    uint64_t length;
    memcpy(&length, again.bytes + 12, 8);
    FUZZ_CHECK(length == size && memcmp(again.bytes, bytes, size) == 0,
               "saved again, the file's bytes differ");
    same_tensors(c, &again);
    ckpt_free(&again);
}

static void raw(const char *path, const uint8_t *bytes, size_t size)
{
    Ckpt c;
    Error err = {""};
    if (ckpt_load(&c, path, NULL, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");
        return;
    }
    read_all_tensors(&c);
    round_trip(&c, bytes, size);
    ckpt_free(&c);
}

#define READERS 9

/* One chapter's way of reading a checkpoint; returns its status. */
static int read_as(int reader, const char *path, Error *err)
{
    int rc = -1, batch, count;
    uint64_t seed;
    uint32_t crc;
    switch (reader) {
    case 1: { /* chapters 4 and 9: the classifier */
        Classifier clf;
        rc = classifier_load(&clf, path, SMALL_BATCH, err);
        if (rc == 0)
            classifier_free(&clf);
        break;
    }
    case 2:   /* chapter 9: any generator */
    case 3:   /* ... of chapter 8 */
    case 4: { /* ... of chapter 12 */
        const char *of[] = {NULL, "08-gan-mnist", "12-dcgan"};
        Generator g;
        rc = generator_load_of(path, of[reader - 2], SMALL_BATCH, &g, err);
        if (rc == 0)
            generator_free(&g);
        break;
    }
    case 5: /* chapter 8's --resume */
        rc = state_peek(path, &batch, &count, &seed, &crc, err);
        if (rc == 0)
            rc = state_load(&gan, path, err);
        break;
    case 6: { /* chapter 11's --resume */
        CganRunShape shape;
        rc = cgan_state_peek(path, &shape, err);
        if (rc == 0)
            rc = cgan_state_load(&cgan, path, err);
        break;
    }
    case 7: { /* chapter 11's --generate and --evaluate */
        Mlp g;
        float scale;
        rc = cgan_generator_load(path, SMALL_BATCH, &g, &scale, err);
        if (rc == 0)
            mlp_free(&g);
        break;
    }
    case 8: { /* chapter 12's --resume, through common/gantrain */
        Ckpt c;
        rc = ckpt_load(&c, path, "12-dcgan", err);
        if (rc == 0) {
            rc = train_place_peek(&c, &batch, &count, &seed, &crc, err);
            if (rc == 0)
                rc = small_dcgan_ckpt_read(&dcgan, &c, err);
            ckpt_free(&c);
        }
        break;
    }
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    uint8_t *bytes = malloc(size);
    size--;
    memcpy(bytes, data + 1, size);
    /* magic 8, version 4, then the u64 length; the CRC is last */
    if ((mode & FIX_LENGTH) && size >= 20) {
        uint64_t n = size;
        memcpy(bytes + 12, &n, 8);
    }
    if ((mode & FIX_CRC) && size >= 4) {
        uint32_t crc = (uint32_t)crc32(0L, bytes, (uInt)(size - 4));
        memcpy(bytes + size - 4, &crc, 4);
    }
    const char *path = fuzz_file(0, bytes, size);
    int reader = (mode & 15) % READERS;
    if (reader == 0) {
        raw(path, bytes, size);
    } else {
        Error err = {""};
        if (read_as(reader, path, &err) < 0)
            FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");
    }
    free(bytes);
    return 0;
}
