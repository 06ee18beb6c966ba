/* test_ckpt.c - checkpoints round-trip bit for bit and refuse every
 * kind of damage with a message naming the file. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ckpt.h"
#include "files.h"
#include "generator.h"
#include "helpers.h"

SCRATCH_FIXTURE

#define ROWS 3
#define COLS 5

/* Saves a small checkpoint of kind "test-model" and returns its path. */
static char *save_sample(const char *name, float *w, int32_t *order,
                         uint64_t *state)
{
    for (int i = 0; i < ROWS * COLS; i++)
        w[i] = (float)i / 7.0f - 1.0f;
    w[0] = -0.0f;
    w[1] = 1e-40f; /* subnormal */
    w[2] = INFINITY;
    for (int i = 0; i < 6; i++)
        order[i] = 5 - i;
    state[0] = 0xdeadbeefcafef00du;
    state[1] = 42;
    Ckpt c;
    ckpt_init(&c, "test-model");
    ckpt_add(&c, "w", CKPT_F32, w, 2, (uint64_t[]){ROWS, COLS});
    ckpt_add(&c, "order", CKPT_I32, order, 1, (uint64_t[]){6});
    ckpt_add(&c, "rng", CKPT_U64, state, 1, (uint64_t[]){2});
    char *path = scratch_path(dir, name);
    Error err;
    CU_ASSERT_EQUAL(ckpt_save(&c, path, &err), 0);
    ckpt_free(&c);
    return path;
}

static void test_round_trip_bit_exact(void)
{
    float w[ROWS * COLS], w2[ROWS * COLS];
    int32_t order[6], order2[6];
    uint64_t state[2], state2[2];
    char *path = save_sample("round-trip.ckpt", w, order, state);
    char *tmp = atomic_tmp_path(path, NULL);
    CU_ASSERT_FALSE(file_exists(tmp)); /* renamed into place */
    free(tmp);
    Ckpt c;
    Error err;
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "test-model", &err), 0);
    CU_ASSERT_STRING_EQUAL(c.kind, "test-model");
    CU_ASSERT_EQUAL(c.count, 3);
    CU_ASSERT_EQUAL(ckpt_read(&c, "w", CKPT_F32, w2, 2,
                              (uint64_t[]){ROWS, COLS}, &err), 0);
    CU_ASSERT_EQUAL(ckpt_read(&c, "order", CKPT_I32, order2, 1,
                              (uint64_t[]){6}, &err), 0);
    CU_ASSERT_EQUAL(ckpt_read(&c, "rng", CKPT_U64, state2, 1,
                              (uint64_t[]){2}, &err), 0);
    CU_ASSERT_EQUAL(memcmp(w, w2, sizeof w), 0);
    CU_ASSERT_EQUAL(memcmp(order, order2, sizeof order), 0);
    CU_ASSERT_EQUAL(memcmp(state, state2, sizeof state), 0);
    ckpt_free(&c);
    free(path);
}

static void test_params_round_trip(void)
{
    float a[6] = {1, 2, 3, 4, 5, 6}, ga[6], b[2] = {7, 8}, gb[2];
    Param ps[2] = {{"l.W", a, ga, 3, 2}, {"l.b", b, gb, 1, 2}};
    Ckpt c;
    ckpt_init(&c, "m");
    ckpt_add_params(&c, ps, 2);
    char *path = scratch_path(dir, "params.ckpt");
    Error err;
    CU_ASSERT_EQUAL_FATAL(ckpt_save(&c, path, &err), 0);
    ckpt_free(&c);
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "m", &err), 0);
    CU_ASSERT_EQUAL(ckpt_read_params(&c, ps, 2, &err), 0);
    CU_ASSERT_EQUAL(a[5], 6.0f);
    CU_ASSERT_EQUAL(b[1], 8.0f);
    /* the same names with another shape: a different architecture */
    Param other = {"l.W", a, ga, 2, 3};
    CU_ASSERT_EQUAL(ckpt_read_params(&c, &other, 1, &err), -1);
    ASSERT_CONTAINS(err.msg, "tensor l.W has shape 3x2, this model needs "
                             "2x3");
    ckpt_free(&c);
    free(path);
}

/* Rewrites the saved sample with `edit` applied, then expects the load
 * to fail with `expect` in the message. */
static void expect_refused(const char *name, void (*edit)(char *, size_t *),
                           const char *kind, const char *expect)
{
    float w[ROWS * COLS];
    int32_t order[6];
    uint64_t state[2];
    char *path = save_sample(name, w, order, state);
    size_t size;
    char *bytes = read_all(path, &size);
    edit(bytes, &size);
    write_bytes(path, bytes, size);
    free(bytes);
    Ckpt c;
    Error err = {""};
    CU_ASSERT_EQUAL(ckpt_load(&c, path, kind, &err), -1);
    ASSERT_CONTAINS(err.msg, expect);
    ASSERT_CONTAINS(err.msg, path);
    CU_ASSERT_PTR_NULL(c.bytes); /* nothing left to free */
    free(path);
}

static void edit_magic(char *b, size_t *n)
{
    (void)n;
    b[0] = 'X';
}
static void edit_version(char *b, size_t *n)
{
    (void)n;
    b[8] = 9;
}
static void edit_truncate(char *b, size_t *n)
{
    (void)b;
    *n -= 10;
}
static void edit_truncate_header(char *b, size_t *n)
{
    (void)b;
    *n = 12;
}
static void edit_empty(char *b, size_t *n)
{
    (void)b;
    *n = 0;
}
static void edit_flip(char *b, size_t *n)
{
    b[*n / 2] ^= 0x01;
}
static void edit_nothing(char *b, size_t *n)
{
    (void)b;
    (void)n;
}

static void test_refuse_wrong_magic(void)
{
    expect_refused("magic.ckpt", edit_magic, NULL, "wrong magic");
}
static void test_refuse_wrong_version(void)
{
    expect_refused("version.ckpt", edit_version, NULL, "version 9");
}
static void test_refuse_truncated(void)
{
    expect_refused("trunc.ckpt", edit_truncate, NULL, "truncated");
    expect_refused("trunc2.ckpt", edit_truncate_header, NULL, "truncated");
    expect_refused("empty.ckpt", edit_empty, NULL, "is empty");
}
static void test_refuse_bad_checksum(void)
{
    expect_refused("flip.ckpt", edit_flip, NULL, "checksum");
}
static void test_refuse_other_kind(void)
{
    expect_refused("kind.ckpt", edit_nothing, "04-classifier",
                   "is a checkpoint of test-model, not of 04-classifier");
}

static void test_refuse_wrong_tensor(void)
{
    float w[ROWS * COLS];
    int32_t order[6];
    uint64_t state[2];
    char *path = save_sample("tensor.ckpt", w, order, state);
    Ckpt c;
    Error err;
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, NULL, &err), 0);
    CU_ASSERT_EQUAL(ckpt_read(&c, "missing", CKPT_F32, w, 1,
                              (uint64_t[]){1}, &err), -1);
    ASSERT_CONTAINS(err.msg, "has no tensor missing");
    CU_ASSERT_EQUAL(ckpt_read(&c, "order", CKPT_F32, w, 1,
                              (uint64_t[]){6}, &err), -1);
    ASSERT_CONTAINS(err.msg, "holds int32, expected float32");
    ckpt_free(&c);
    free(path);
}

static void test_missing_file(void)
{
    char *path = scratch_path(dir, "absent.ckpt");
    Ckpt c;
    Error err;
    CU_ASSERT_EQUAL(ckpt_load(&c, path, NULL, &err), -1);
    ASSERT_CONTAINS(err.msg, "cannot open checkpoint");
    free(path);
}

static void test_unwritable_destination(void)
{
    Ckpt c;
    ckpt_init(&c, "m");
    Error err;
    CU_ASSERT_EQUAL(ckpt_save(&c, "/nonexistent-dir/x.ckpt", &err), -1);
    ASSERT_CONTAINS(err.msg, "cannot write /nonexistent-dir/x.ckpt: ");
    ckpt_free(&c);
}

/* ---- found by fuzzing (tests/fuzz/fuzz_ckpt.c) ----
 *
 * The inputs are the fuzzer's own, in tests/fuzz/crashes/: a first
 * byte naming the reader and what the harness mends (0x10 the length
 * field, 0x20 the CRC), then the file. */

#define FUZZ_FIX_LENGTH 0x10
#define FUZZ_FIX_CRC 0x20

/* Sets the length field and the trailing CRC to match the bytes, as
 * the fuzz harness does (and as a program that meant harm could). */
static void mend(char *b, size_t n)
{
    uint64_t len = n;
    memcpy(b + 12, &len, 8);
    uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)b, (uInt)(n - 4));
    memcpy(b + n - 4, &crc, 4);
}

/* The file of fuzz input `name`, as the harness gives it to the reader:
 * written to the scratch folder; returns its path (free it). */
static char *fuzz_found(const char *name)
{
    char *in = path_join(PROJECT_DIR "/tests/fuzz/crashes", name);
    size_t size;
    char *data = read_all(in, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(data);
    CU_ASSERT_TRUE_FATAL(size > 24);
    unsigned char mode = (unsigned char)data[0];
    CU_ASSERT_EQUAL_FATAL(mode & (FUZZ_FIX_LENGTH | FUZZ_FIX_CRC),
                          FUZZ_FIX_LENGTH | FUZZ_FIX_CRC);
    mend(data + 1, size - 1);
    char *path = scratch_path(dir, name);
    write_bytes(path, data + 1, size - 1);
    free(data);
    free(in);
    return path;
}

/* A tensor named "\x01\0\0\0ar" (6 bytes) loaded as "\x01": the file
 * could not be saved again as it was, and two names could become one.
 * A NUL inside a name or the kind is now refused. */
static void test_fuzz_nul_in_name(void)
{
    char *path = fuzz_found("ckpt-nul-in-tensor-name");
    Ckpt c;
    Error err = {""};
    CU_ASSERT_EQUAL(ckpt_load(&c, path, NULL, &err), -1);
    ASSERT_CONTAINS(err.msg, "malformed: a tensor name with a NUL byte");
    free(path);
    /* and in the kind: "test\0model" */
    float w[ROWS * COLS];
    int32_t order[6];
    uint64_t state[2];
    path = save_sample("nul-kind.ckpt", w, order, state);
    size_t size;
    char *b = read_all(path, &size);
    CU_ASSERT_EQUAL_FATAL(memcmp(b + 24, "test-model", 10), 0);
    b[24 + 4] = '\0';
    mend(b, size);
    write_bytes(path, b, size);
    CU_ASSERT_EQUAL(ckpt_load(&c, path, NULL, &err), -1);
    ASSERT_CONTAINS(err.msg, "malformed: a kind with a NUL byte");
    free(b);
    free(path);
}

/* A convolutional generator whose g.net claims an input of 1 x
 * 1010631789 x 5525579 (or so): convnet_init multiplied the three sides
 * in a long long, which overflowed (undefined behaviour) before the
 * size was refused. */
static void test_fuzz_conv_input_overflow(void)
{
    char *path = fuzz_found("ckpt-conv-input-overflow");
    Generator g;
    Error err = {""};
    CU_ASSERT_EQUAL(generator_load_of(path, "12-dcgan", 4, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "g.net describes no network this program "
                             "can build: an input of ");
    free(path);
}

/* A convT block of g.net with padding 1527775233: twice it overflowed
 * an int in convt_geom (see test_conv.c for the geometry alone). */
static void test_fuzz_convt_padding_overflow(void)
{
    char *path = fuzz_found("ckpt-convt-padding-overflow");
    Generator g;
    Error err = {""};
    CU_ASSERT_EQUAL(generator_load_of(path, "12-dcgan", 4, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "padding 1527775233 gives a 6528456450 x "
                             "-1286676066 output; the padding is too "
                             "large");
    free(path);
}

/* A 16 KB generator whose g.arch claims a hidden layer of 2^20 units:
 * mlp_ckpt_load built the network (3.3 GB of weights, the fuzz
 * harness's malloc limit stopped it) before finding that the file
 * holds no such weights. Now nothing is built that the file does not
 * hold the parameters of. */
static void test_fuzz_mlp_claims_wide_layer(void)
{
    char *path = fuzz_found("ckpt-mlp-claims-wide-layer");
    Generator g;
    Error err = {""};
    CU_ASSERT_EQUAL(generator_load(path, 4, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "g.arch describes a network of 825230096 "
                             "parameters, but the file holds only 3932 "
                             "numbers");
    free(path);
}

/* A convolutional generator, kind "generator", whose g.net is the
 * given blocks on an in_h x in_w x 1 input, with `floats` numbers in
 * one other tensor. */
static char *conv_claim(const char *name, int in_h, int in_w,
                        const int32_t *block, int floats)
{
    int32_t words[CONVNET_ARCH_WORDS] = {1, in_h, in_w, 1};
    memcpy(&words[CONVNET_ARCH_HEAD], block,
           CONVNET_ARCH_BLOCK * sizeof *block);
    float *w = calloc((size_t)floats, sizeof *w);
    Ckpt c;
    ckpt_init(&c, GENERATOR_KIND);
    ckpt_add(&c, GENERATOR_PREFIX ".net", CKPT_I32, words, 1,
             (uint64_t[]){CONVNET_ARCH_WORDS});
    ckpt_add(&c, "weights", CKPT_F32, w, 1, (uint64_t[]){(uint64_t)floats});
    char *path = scratch_path(dir, name);
    Error err;
    CU_ASSERT_EQUAL(ckpt_save(&c, path, &err), 0);
    ckpt_free(&c);
    free(w);
    return path;
}

/* The same for convolutional networks: a 1 x 1 input to a dense block
 * of 1024 x 1024 claims 2^20 weights, and a 1024 x 1024 image through
 * one 32 x 32 convolution (1024 weights, which the file holds) claims
 * im2col columns of a billion numbers per image, 4 GB at batch 1. */
static void test_conv_claims_refused(void)
{
    Generator g;
    Error err = {""};
    /* kind, h, w, c, k, stride, pad, bn, act */
    int32_t dense[CONVNET_ARCH_BLOCK] = {BLOCK_DENSE, 1024, 1024, 1, 0, 0,
                                         0, 0, ACT_TANH};
    char *path = conv_claim("dense-claim.ckpt", 1, 1, dense, 16);
    CU_ASSERT_EQUAL(generator_load(path, 1, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "g.net describes a network of 1048576 "
                             "weights, but the file holds only 16 numbers");
    free(path);
    int32_t conv[CONVNET_ARCH_BLOCK] = {BLOCK_CONV, 1025, 1025, 1, 32, 1,
                                        16, 0, ACT_TANH};
    path = conv_claim("conv-claim.ckpt", 1024, 1024, conv, 1024);
    CU_ASSERT_EQUAL(generator_load(path, 1, &g, &err), -1);
    ASSERT_CONTAINS(err.msg, "numbers per image; one read from a file may "
                             "need at most 8388608");
    free(path);
}

/* The round-trip property of fuzz_ckpt on the whole seed corpus (real
 * small checkpoints of every chapter's kind, and broken ones): what
 * loads, saved again, is the same bytes and loads to the same tensors.
 * Asserts that most of the corpus does load, so it tests something. */
static void test_round_trip_corpus(void)
{
    const char *corpus = PROJECT_DIR "/tests/fuzz/corpus/ckpt";
    DIR *d = opendir(corpus);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    int loaded = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *in = path_join(corpus, e->d_name);
        size_t size;
        char *data = read_all(in, &size);
        free(in);
        CU_ASSERT_PTR_NOT_NULL_FATAL(data);
        if (size > 24 && (data[0] & FUZZ_FIX_LENGTH) &&
            (data[0] & FUZZ_FIX_CRC))
            mend(data + 1, size - 1);
        char *path = scratch_path(dir, "corpus.ckpt");
        char *again = scratch_path(dir, "again.ckpt");
        write_bytes(path, data + 1, size - 1);
        Ckpt c, c2;
        Error err;
        if (ckpt_load(&c, path, NULL, &err) == 0) {
            loaded++;
            CU_ASSERT_EQUAL_FATAL(ckpt_save(&c, again, &err), 0);
            CU_ASSERT_TRUE(same_file(path, again));
            CU_ASSERT_EQUAL_FATAL(ckpt_load(&c2, again, c.kind, &err), 0);
            CU_ASSERT_EQUAL_FATAL(c2.count, c.count);
            for (int i = 0; i < c.count; i++) {
                const CkptTensor *a = &c.tensors[i], *b = &c2.tensors[i];
                size_t n = a->type == CKPT_U64 ? 8 : 4;
                for (int k = 0; k < a->ndim; k++)
                    n *= a->dims[k];
                CU_ASSERT_STRING_EQUAL(a->name, b->name);
                CU_ASSERT_TRUE(a->type == b->type && a->ndim == b->ndim);
                CU_ASSERT_TRUE(n == 0 || memcmp(a->data, b->data, n) == 0);
            }
            ckpt_free(&c2);
            ckpt_free(&c);
        }
        free(again);
        free(path);
        free(data);
    }
    closedir(d);
    CU_ASSERT_TRUE(loaded >= 10);
}

void suite_ckpt(void)
{
    CU_pSuite s = CU_add_suite("ckpt", setup, teardown);
    CU_add_test(s, "round trip is bit-exact (-0, subnormal, inf)",
                test_round_trip_bit_exact);
    CU_add_test(s, "Params round trip; another shape is refused",
                test_params_round_trip);
    CU_add_test(s, "refused: wrong magic", test_refuse_wrong_magic);
    CU_add_test(s, "refused: another version", test_refuse_wrong_version);
    CU_add_test(s, "refused: truncated or empty", test_refuse_truncated);
    CU_add_test(s, "refused: one flipped bit (checksum)",
                test_refuse_bad_checksum);
    CU_add_test(s, "refused: a checkpoint of another kind",
                test_refuse_other_kind);
    CU_add_test(s, "refused: a missing tensor, a wrong type",
                test_refuse_wrong_tensor);
    CU_add_test(s, "refused: a missing file", test_missing_file);
    CU_add_test(s, "an unwritable destination is an error, not a crash",
                test_unwritable_destination);
    CU_add_test(s, "fuzz-found: a NUL byte inside a name is refused",
                test_fuzz_nul_in_name);
    CU_add_test(s, "fuzz-found: a conv input too large to multiply",
                test_fuzz_conv_input_overflow);
    CU_add_test(s, "fuzz-found: a convT padding that overflowed an int",
                test_fuzz_convt_padding_overflow);
    CU_add_test(s, "fuzz-found: an MLP claiming more than the file holds",
                test_fuzz_mlp_claims_wide_layer);
    CU_add_test(s, "conv networks claiming more than the file holds",
                test_conv_claims_refused);
    CU_add_test(s, "the fuzz corpus round-trips: saved again, same bytes",
                test_round_trip_corpus);
}
