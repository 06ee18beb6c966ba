/* test_idx.c - reading the real Fashion-MNIST files, and refusing
 * every kind of bad file with one clear message and no crash. */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "files.h"
#include "helpers.h"
#include "idx.h"

SCRATCH_FIXTURE

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* An image file: header for count images of rows x cols, then
 * `payload` bytes of pixels (each pixel = its index mod 251). */
static size_t make_images(uint8_t *buf, uint32_t magic, uint32_t count,
                          uint32_t rows, uint32_t cols, size_t payload)
{
    put_be32(buf, magic);
    put_be32(buf + 4, count);
    put_be32(buf + 8, rows);
    put_be32(buf + 12, cols);
    for (size_t i = 0; i < payload; i++)
        buf[16 + i] = (uint8_t)(i % 251);
    return 16 + payload;
}

static size_t make_labels(uint8_t *buf, uint32_t count, size_t payload)
{
    put_be32(buf, IDX_MAGIC_LABELS);
    put_be32(buf + 4, count);
    for (size_t i = 0; i < payload; i++)
        buf[8 + i] = (uint8_t)(i % 10);
    return 8 + payload;
}

#define IMG (28 * 28)
static uint8_t buf[16 + 4 * IMG + 64];

/* Writes the bytes as a file and expects idx_read_images to refuse it
 * with a message containing `expect`. */
static void expect_images_refused(const char *name, size_t n,
                                  const char *expect, int gz)
{
    char *path = scratch_path(dir, name);
    if (gz)
        write_gzip(path, buf, n);
    else
        write_bytes(path, buf, n);
    IdxImages im;
    Error err = {""};
    CU_ASSERT_EQUAL(idx_read_images(path, 28, 28, &im, &err), -1);
    CU_ASSERT_PTR_NULL(im.pixels);
    ASSERT_CONTAINS(err.msg, expect);
    ASSERT_CONTAINS(err.msg, path);
    free(path);
}

static void test_real_fashion_mnist(void)
{
    Dataset ds;
    Error err;
    int rc = dataset_load(DATASET_DEFAULT_DIR, &ds, &err);
    if (rc < 0)
        fprintf(stderr, "\n    %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(ds.train_images.count, 60000);
    CU_ASSERT_EQUAL(ds.test_images.count, 10000);
    CU_ASSERT_EQUAL(ds.train_images.rows, 28);
    CU_ASSERT_EQUAL(ds.train_labels.labels[0], 9); /* an ankle boot */
    CU_ASSERT_EQUAL(ds.test_labels.labels[0], 9);
    uint64_t sum = 0;
    for (size_t i = 0; i < 60000u * IMG; i++)
        sum += ds.train_images.pixels[i];
    CU_ASSERT_EQUAL(sum, 3431114169u); /* computed once with Python */
    int per_class[10] = {0};
    for (int i = 0; i < 60000; i++)
        per_class[ds.train_labels.labels[i]]++;
    for (int k = 0; k < 10; k++)
        CU_ASSERT_EQUAL(per_class[k], 6000);
    dataset_free(&ds);
}

static void test_small_files_plain_and_gzipped(void)
{
    size_t n = make_images(buf, IDX_MAGIC_IMAGES, 3, 28, 28, 3 * IMG);
    for (int gz = 0; gz < 2; gz++) {
        char *path = scratch_path(dir, gz ? "ok.gz" : "ok");
        if (gz)
            write_gzip(path, buf, n);
        else
            write_bytes(path, buf, n);
        IdxImages im;
        Error err;
        CU_ASSERT_EQUAL_FATAL(idx_read_images(path, 28, 28, &im, &err), 0);
        CU_ASSERT_EQUAL(im.count, 3);
        CU_ASSERT_EQUAL(im.pixels[IMG + 5], (IMG + 5) % 251);
        idx_free_images(&im);
        free(path);
    }
}

static void test_missing_file(void)
{
    IdxImages im;
    Error err;
    char *path = scratch_path(dir, "no-such-file");
    CU_ASSERT_EQUAL(idx_read_images(path, 28, 28, &im, &err), -1);
    ASSERT_CONTAINS(err.msg, "cannot open");
    ASSERT_CONTAINS(err.msg, "No such file");
    free(path);
}

static void test_empty_file(void)
{
    expect_images_refused("empty", 0, "is empty", 0);
}

static void test_truncated_header(void)
{
    make_images(buf, IDX_MAGIC_IMAGES, 3, 28, 28, 0);
    expect_images_refused("short-header", 10, "truncated", 0);
}

static void test_truncated_data(void)
{
    size_t n = make_images(buf, IDX_MAGIC_IMAGES, 3, 28, 28, 3 * IMG);
    expect_images_refused("short-data", n - 100, "truncated", 0);
    expect_images_refused("short-data.gz", n - 100, "truncated", 1);
}

static void test_trailing_data(void)
{
    size_t n = make_images(buf, IDX_MAGIC_IMAGES, 2, 28, 28, 3 * IMG);
    expect_images_refused("long-data", n, "data after", 0);
}

static void test_wrong_magic(void)
{
    size_t n = make_images(buf, 0x00000801, 3, 28, 28, 3 * IMG);
    expect_images_refused("labels-not-images", n, "magic number", 0);
    n = make_images(buf, 0x89504e47, 3, 28, 28, 3 * IMG); /* a PNG */
    expect_images_refused("png", n, "not an IDX image file", 0);
}

static void test_wrong_dimensions(void)
{
    size_t n = make_images(buf, IDX_MAGIC_IMAGES, 2, 32, 32, 2 * 32 * 32);
    expect_images_refused("32x32", n, "needs 28x28", 0);
}

static void test_absurd_count(void)
{
    /* 2^31 images: 1.7 TB promised, 4 images present. The reader must
     * refuse it without trying to allocate the promise. */
    size_t n = make_images(buf, IDX_MAGIC_IMAGES, 1u << 31, 28, 28,
                           4 * IMG);
    expect_images_refused("huge", n, "absurd", 0);
    n = make_images(buf, IDX_MAGIC_IMAGES, (1u << 31) - 1, 28, 28, 4 * IMG);
    expect_images_refused("huge-but-legal", n, "truncated", 0);
    n = make_images(buf, IDX_MAGIC_IMAGES, 5, 100000, 28, 4 * IMG);
    expect_images_refused("wide", n, "absurd", 0);
}

static void test_corrupt_gzip(void)
{
    size_t n = make_images(buf, IDX_MAGIC_IMAGES, 3, 28, 28, 3 * IMG);
    char *path = scratch_path(dir, "corrupt.gz");
    write_gzip(path, buf, n);
    size_t size;
    char *gz = read_all(path, &size);
    for (size_t i = 20; i < size - 8; i += 7)
        gz[i] ^= 0x5a; /* keep the gzip header, damage the stream */
    write_bytes(path, gz, size);
    free(gz);
    IdxImages im;
    Error err;
    CU_ASSERT_EQUAL(idx_read_images(path, 28, 28, &im, &err), -1);
    ASSERT_CONTAINS(err.msg, "corrupt gzip");
    free(path);
}

static void test_label_out_of_range(void)
{
    size_t n = make_labels(buf, 20, 20);
    buf[8 + 13] = 12;
    char *path = scratch_path(dir, "labels-12");
    write_bytes(path, buf, n);
    IdxLabels lb;
    Error err;
    CU_ASSERT_EQUAL(idx_read_labels(path, 10, &lb, &err), -1);
    ASSERT_CONTAINS(err.msg, "label 12 at index 13 is out of range 0..9");
    free(path);
}

static void test_label_count_mismatch(void)
{
    char *sub = scratch_path(dir, "mismatch");
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(sub, &err), 0);
    size_t n = make_images(buf, IDX_MAGIC_IMAGES, 4, 28, 28, 4 * IMG);
    const char *names[2] = {"train", "t10k"};
    for (int s = 0; s < 2; s++) {
        char name[64];
        snprintf(name, sizeof name, "%s-images-idx3-ubyte", names[s]);
        char *p = scratch_path(sub, name);
        write_bytes(p, buf, n);
        free(p);
    }
    uint8_t labels[8 + 5];
    for (int s = 0; s < 2; s++) {
        char name[64];
        snprintf(name, sizeof name, "%s-labels-idx1-ubyte.gz", names[s]);
        char *p = scratch_path(sub, name);
        size_t m = make_labels(buf, s ? 4 : 3, s ? 4 : 3);
        memcpy(labels, buf, m);
        write_gzip(p, labels, m);
        free(p);
    }
    Dataset ds;
    CU_ASSERT_EQUAL(dataset_load(sub, &ds, &err), -1);
    ASSERT_CONTAINS(err.msg, "holds 4 images but");
    ASSERT_CONTAINS(err.msg, "holds 3 labels");
    free(sub);
}

static void test_dataset_folder_missing(void)
{
    char *sub = scratch_path(dir, "nothing-here");
    Dataset ds;
    Error err;
    CU_ASSERT_EQUAL(dataset_load(sub, &ds, &err), -1);
    ASSERT_CONTAINS(err.msg, "train-images-idx3-ubyte[.gz] not found");
    ASSERT_CONTAINS(err.msg, "HINT");
    free(sub);
}

static void test_images_to_float(void)
{
    uint8_t px[4] = {0, 255, 51, 204};
    IdxImages im = {.count = 2, .rows = 1, .cols = 2, .pixels = px};
    int idx[2] = {1, 0};
    float x[4];
    images_to_float(&im, idx, 2, -1.0f, 1.0f, x);
    CU_ASSERT_DOUBLE_EQUAL(x[0], -0.6, 1e-6); /* 51 -> -1 + 2 * 0.2 */
    CU_ASSERT_DOUBLE_EQUAL(x[1], 0.6, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(x[2], -1.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(x[3], 1.0, 1e-6);
}

/* What idx_write_images writes, idx_read_images reads back. */
static void test_write_round_trip(void)
{
    enum { N = 3, R = 4, C = 5 };
    uint8_t pixels[N * R * C];
    for (int i = 0; i < N * R * C; i++)
        pixels[i] = (uint8_t)(7 * i + 1);
    char *path = scratch_path(dir, "written.idx");
    Error err;
    CU_ASSERT_EQUAL_FATAL(idx_write_images(path, pixels, N, R, C, &err), 0);
    IdxImages im;
    CU_ASSERT_EQUAL_FATAL(idx_read_images(path, R, C, &im, &err), 0);
    CU_ASSERT_TRUE(im.count == N && im.rows == R && im.cols == C);
    CU_ASSERT_EQUAL(memcmp(im.pixels, pixels, sizeof pixels), 0);
    idx_free_images(&im);
    CU_ASSERT_EQUAL(idx_write_images("/no/such/dir/x.idx", pixels, N, R, C,
                                     &err), -1);
    ASSERT_CONTAINS(err.msg, "/no/such/dir/x.idx");
    free(path);
}

void suite_idx(void)
{
    CU_pSuite s = CU_add_suite("idx", setup, teardown);
    CU_add_test(s, "written images read back the same", test_write_round_trip);
    CU_add_test(s, "the real Fashion-MNIST: counts, labels, checksum",
                test_real_fashion_mnist);
    CU_add_test(s, "small files, plain and gzipped",
                test_small_files_plain_and_gzipped);
    CU_add_test(s, "refused: missing file", test_missing_file);
    CU_add_test(s, "refused: empty file", test_empty_file);
    CU_add_test(s, "refused: truncated header", test_truncated_header);
    CU_add_test(s, "refused: truncated data, plain and gzipped",
                test_truncated_data);
    CU_add_test(s, "refused: data beyond the header's count",
                test_trailing_data);
    CU_add_test(s, "refused: wrong magic", test_wrong_magic);
    CU_add_test(s, "refused: 32x32 where 28x28 is needed",
                test_wrong_dimensions);
    CU_add_test(s, "refused: 2^31 images, no huge allocation",
                test_absurd_count);
    CU_add_test(s, "refused: corrupt gzip stream", test_corrupt_gzip);
    CU_add_test(s, "refused: a label > 9", test_label_out_of_range);
    CU_add_test(s, "refused: label count != image count",
                test_label_count_mismatch);
    CU_add_test(s, "refused: a folder without the files, with a HINT",
                test_dataset_folder_missing);
    CU_add_test(s, "bytes to floats in [-1, 1], gathered by index",
                test_images_to_float);
}
