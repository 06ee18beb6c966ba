/* test_ckpt.c - checkpoints round-trip bit for bit and refuse every
 * kind of damage with a message naming the file. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "files.h"
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
}
