/* test_tfevents.c - TensorBoard event files: CRC32C and its mask
 * against known answers, every byte of a file's records against their
 * encoding worked out by hand, names that sort in the order the files
 * were made, a failed write named, and a file read back by an
 * independent decoder (protoc's classes; tests/tfdecode.h), restarts
 * and all. */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "files.h"
#include "helpers.h"
#include "image.h"
#include "tfdecode.h"
#include "tfevents.h"

SCRATCH_FIXTURE

/* CRC32C's check value, and the iSCSI test vectors of RFC 3720
 * (appendix B.4), which any CRC32C must reproduce. */
static void test_crc32c_known_answers(void)
{
    CU_ASSERT_EQUAL(crc32c("123456789", 9), 0xe3069283u);
    CU_ASSERT_EQUAL(crc32c("", 0), 0u);
    uint8_t zeros[32] = {0}, ones[32], up[32], down[32];
    for (int i = 0; i < 32; i++) {
        ones[i] = 0xff;
        up[i] = (uint8_t)i;
        down[i] = (uint8_t)(31 - i);
    }
    CU_ASSERT_EQUAL(crc32c(zeros, 32), 0x8a9136aau);
    CU_ASSERT_EQUAL(crc32c(ones, 32), 0x62a8ab43u);
    CU_ASSERT_EQUAL(crc32c(up, 32), 0x46dd794eu);
    CU_ASSERT_EQUAL(crc32c(down, 32), 0x113fdb5cu);
}

/* mask(c) = ((c >> 15) | (c << 17)) + 0xa282ead8, by hand for
 * c = 0xe3069283: c >> 15 = 0x0001c60d, c << 17 = 0x25060000 (mod
 * 2^32), their or 0x2507c60d, plus 0xa282ead8 = 0xc78ab0e5. */
static void test_masked_crc(void)
{
    CU_ASSERT_EQUAL(tfrecord_masked_crc("123456789", 9), 0xc78ab0e5u);
    CU_ASSERT_EQUAL(tfrecord_masked_crc("", 0), 0xa282ead8u);
}

/* ---- a file's bytes, by hand ---- */

static uint64_t le(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Checks the record at *at: its length, the masked CRC of its length
 * (known, for the lengths used here), its data against `want` except
 * the 8 bytes of wall time after the first byte, and the masked CRC of
 * its data; returns the wall time, and moves *at past the record. */
static double expect_record(const uint8_t *file, size_t size, size_t *at,
                            const uint8_t *want, size_t n,
                            uint32_t length_crc)
{
    CU_ASSERT_TRUE_FATAL(*at + 16 + n <= size);
    const uint8_t *r = file + *at;
    CU_ASSERT_EQUAL(le(r, 8), n);
    CU_ASSERT_EQUAL(le(r + 8, 4), length_crc);
    const uint8_t *data = r + 12;
    CU_ASSERT_EQUAL(data[0], want[0]); /* wall_time: field 1, fixed64 */
    CU_ASSERT_EQUAL(memcmp(data + 9, want + 9, n - 9), 0);
    CU_ASSERT_EQUAL(le(data + n, 4), tfrecord_masked_crc(data, n));
    uint64_t bits = le(data + 1, 8);
    double t;
    memcpy(&t, &bits, sizeof t);
    *at += 16 + n;
    return t;
}

#define WALL 0, 0, 0, 0, 0, 0, 0, 0 /* its bytes are not compared */

static void test_records_by_hand(void)
{
    char *sub = scratch_path(dir, "by-hand");
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(sub, &err), 0);
    /* the wall time is now's, give or take: a minute either way, since a
     * virtual machine's clock may be stepped while the test runs (seen
     * here), and a garbled double would be off by far more */
    double before = (double)time(NULL) - 60;
    TfEvents ev;
    CU_ASSERT_EQUAL_FATAL(tfevents_open(&ev, sub, 7, &err), 0);
    tfevents_scalars(&ev, 300, 1, (const char *const[]){"loss"},
                     (const double[]){0.25});
    tfevents_image(&ev, 3, "img", (const uint8_t *)"PNGDATA", 7, 2, 3, 1);
    CU_ASSERT_EQUAL_FATAL(tfevents_close(&ev, &err), 0);
    double after = (double)time(NULL) + 60;
    int count;
    char *path = events_files(sub, &count);
    CU_ASSERT_EQUAL_FATAL(count, 1);
    size_t size, at = 0;
    uint8_t *file = (uint8_t *)read_all(path, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(file);

    /* Event{wall_time, file_version "brain.Event:2"}: key 0x09
     * (field 1, fixed64), then key 0x1a (field 3, length-delimited),
     * length 13, the string */
    static const uint8_t version[] = {0x09, WALL, 0x1a, 13, 'b', 'r', 'a',
                                      'i', 'n', '.', 'E', 'v', 'e', 'n',
                                      't', ':', '2'};
    /* Event{step 7 (0x10: field 2, varint), session_log (0x3a: field
     * 7, length 2) SessionLog{status START (0x08: field 1, varint 1)}} */
    static const uint8_t start[] = {0x09, WALL, 0x10, 7, 0x3a, 2, 0x08, 1};
    /* Event{step 300 = varint 0xac 0x02, summary (0x2a: field 5) of
     * 13 bytes: Summary{value (0x0a: field 1) of 11 bytes: Value{tag
     * (0x0a) "loss", simple_value (0x15: field 2, fixed32) 0.25f =
     * 0x3e800000, little-endian}}} */
    static const uint8_t scalar[] = {0x09, WALL, 0x10, 0xac, 0x02, 0x2a, 13,
                                     0x0a, 11, 0x0a, 4, 'l', 'o', 's',
                                     's', 0x15, 0x00, 0x00, 0x80, 0x3e};
    /* Event{step 3, summary of 24 bytes: {value of 22: {tag "img",
     * image (0x22: field 4) of 15: Image{height 3 (0x08), width 2
     * (0x10), colorspace 1 (0x18), encoded_image_string (0x22) of 7:
     * "PNGDATA"}}}} */
    static const uint8_t image[] = {
        0x09, WALL, 0x10, 3, 0x2a, 24, 0x0a, 22, 0x0a, 3, 'i', 'm', 'g',
        0x22, 15, 0x08, 3, 0x10, 2, 0x18, 1, 0x22, 7, 'P', 'N', 'G',
        'D', 'A', 'T', 'A'};
    /* the masked CRC32C of each length's 8 little-endian bytes, from
     * a bitwise CRC32C written apart from ours */
    double t = expect_record(file, size, &at, version, sizeof version,
                             0x224b7fa3u);
    CU_ASSERT_TRUE(t >= before && t <= after);
    expect_record(file, size, &at, start, sizeof start, 0x092b536du);
    expect_record(file, size, &at, scalar, sizeof scalar, 0x139e0d1au);
    t = expect_record(file, size, &at, image, sizeof image, 0xf336bceau);
    CU_ASSERT_TRUE(t >= before && t <= after);
    CU_ASSERT_EQUAL(at, size); /* and nothing else */
    free(file);
    free(path);
    free(sub);
}

/* Off (never opened, as --no-events leaves it): nothing happens. */
static void test_off_writes_nothing(void)
{
    TfEvents ev = {0};
    Error err;
    tfevents_scalars(&ev, 1, 1, (const char *const[]){"x"},
                     (const double[]){1});
    CU_ASSERT_EQUAL(tfevents_grid(&ev, 1, "g", (const float[]){0}, 1, 1, 1,
                                  1, 0, 1, &err), 0);
    CU_ASSERT_EQUAL(tfevents_flush(&ev, &err), 0);
    CU_ASSERT_EQUAL(tfevents_close(&ev, &err), 0);
}

/* Two files made in the same second get names that sort in the order
 * they were made: events.out.tfevents.<seconds>.<host>, the second
 * one a second later. */
static void test_names_sort_in_order(void)
{
    char *sub = scratch_path(dir, "names");
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(sub, &err), 0);
    TfEvents a, b;
    long long now = (long long)time(NULL);
    CU_ASSERT_EQUAL_FATAL(tfevents_open(&a, sub, 1, &err), 0);
    CU_ASSERT_EQUAL_FATAL(tfevents_open(&b, sub, 1, &err), 0);
    const char *na = strrchr(a.path, '/') + 1, *nb = strrchr(b.path, '/') + 1;
    CU_ASSERT_EQUAL(strncmp(na, TFEVENTS_PREFIX, strlen(TFEVENTS_PREFIX)),
                    0);
    char *end;
    long long sa = strtoll(na + strlen(TFEVENTS_PREFIX), &end, 10);
    CU_ASSERT_TRUE(sa >= now && sa <= now + 1 && *end == '.' && end[1]);
    CU_ASSERT_TRUE(strcmp(na, nb) < 0);
    CU_ASSERT_EQUAL(tfevents_close(&a, &err), 0);
    CU_ASSERT_EQUAL(tfevents_close(&b, &err), 0);
    free(sub);
}

static void test_errors_name_the_file(void)
{
    TfEvents ev;
    Error err;
    CU_ASSERT_EQUAL(tfevents_open(&ev, "/nonexistent-dir", 1, &err), -1);
    ASSERT_CONTAINS(err.msg, "cannot write /nonexistent-dir/"
                             TFEVENTS_PREFIX);
    /* a write that fails later (a full disk) is reported by the next
     * flush, naming the file */
    char *sub = scratch_path(dir, "full");
    CU_ASSERT_EQUAL_FATAL(make_dirs(sub, &err), 0);
    CU_ASSERT_EQUAL_FATAL(tfevents_open(&ev, sub, 1, &err), 0);
    FILE *full = fopen("/dev/full", "wb");
    if (full) {
        fclose(ev.f);
        ev.f = full;
        double v[1] = {1};
        tfevents_scalars(&ev, 1, 1, (const char *const[]){"x"}, v);
        CU_ASSERT_EQUAL(tfevents_flush(&ev, &err), -1);
        ASSERT_CONTAINS(err.msg, "cannot write ");
        ASSERT_CONTAINS(err.msg, ev.path);
        ASSERT_CONTAINS(err.msg, "No space left");
    }
    tfevents_close(&ev, &err);
    free(sub);
}

/* ---- the independent decoder ---- */

static void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}

/* A run that logs steps 1-4 and the grid at 2, stops, and is resumed
 * twice from its checkpoint at step 2 (the first resumed run got as
 * far as step 3): TensorBoard keeps the last run's steps 3 and 4, as
 * log.csv does. */
static void test_decoder_reads_a_resumed_run(void)
{
    if (!tfdecode_available())
        return;
    char *sub = scratch_path(dir, "decoded");
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(sub, &err), 0);
    static const char *const tags[] = {"epoch", "loss"};
    float grid[6 * 4];
    for (int i = 0; i < 6 * 4; i++)
        grid[i] = (float)i / 12.0f - 1.0f;
    TfEvents ev;
    CU_ASSERT_EQUAL_FATAL(tfevents_open(&ev, sub, 1, &err), 0);
    for (long s = 1; s <= 4; s++)
        tfevents_scalars(&ev, s, 2, tags, (double[]){1, 1.0 / (double)s});
    CU_ASSERT_EQUAL(tfevents_grid(&ev, 2, "samples", grid, 6, 2, 2, 3,
                                  -1.0f, 1.0f, &err), 0);
    CU_ASSERT_EQUAL_FATAL(tfevents_close(&ev, &err), 0);
    /* resumed at step 3: a different loss, then stopped */
    CU_ASSERT_EQUAL_FATAL(tfevents_open(&ev, sub, 3, &err), 0);
    tfevents_scalars(&ev, 3, 2, tags, (double[]){2, 9.0});
    CU_ASSERT_EQUAL_FATAL(tfevents_close(&ev, &err), 0);
    /* resumed at step 3 again, to the end */
    CU_ASSERT_EQUAL_FATAL(tfevents_open(&ev, sub, 3, &err), 0);
    tfevents_scalars(&ev, 3, 2, tags, (double[]){2, 0.125});
    tfevents_scalars(&ev, 4, 2, tags, (double[]){2, 0.0625});
    CU_ASSERT_EQUAL(tfevents_grid(&ev, 4, "samples", grid, 6, 2, 2, 3,
                                  -1.0f, 1.0f, &err), 0);
    CU_ASSERT_EQUAL_FATAL(tfevents_close(&ev, &err), 0);

    char *csv = scratch_path(dir, "decoded.csv");
    write_text(csv, "step,epoch,loss\n1,1,1\n2,1,0.5\n3,2,0.125\n"
                    "4,2,0.0625\n");
    char args[1024];
    snprintf(args, sizeof args, "--csv %s", csv);
    char *report = tfdecode(dir, sub, args);
    CU_ASSERT_PTR_NOT_NULL_FATAL(report);
    if (strncmp(report, "events: ", 8) != 0)
        fprintf(stderr, "\n    %s\n", report);
    ASSERT_CONTAINS(report, "events: ");
    CU_ASSERT_EQUAL(result_number(report, "files"), 3);
    CU_ASSERT_EQUAL(result_number(report, "starts"), 3);
    /* the two scalars of steps 3 and 4 of the first file, and of step
     * 3 of the second */
    CU_ASSERT_EQUAL(result_number(report, "purged"), 3 * 2);
    CU_ASSERT_EQUAL(result_number(report, "scalar_events"), 4);
    CU_ASSERT_EQUAL(result_number(report, "csv_rows"), 4);
    CU_ASSERT_EQUAL(result_number(report, "images"), 2);
    ASSERT_CONTAINS(report, " image_steps=2,4 ");
    /* 3 tiles of 2 x 2 across, 2 down, zoomed, with borders */
    CU_ASSERT_EQUAL(result_number(report, "image_width"),
                    3 * 2 * GRID_ZOOM + 4 * GRID_PAD);
    CU_ASSERT_EQUAL(result_number(report, "image_height"),
                    2 * 2 * GRID_ZOOM + 3 * GRID_PAD);
    ASSERT_CONTAINS(report, " tags=epoch,loss,samples");
    free(report);

    /* and it does check: a log that says otherwise is refused */
    write_text(csv, "step,epoch,loss\n1,1,1\n2,1,0.5\n3,2,9\n4,2,0.0625\n");
    report = tfdecode(dir, sub, args);
    CU_ASSERT_PTR_NOT_NULL_FATAL(report);
    ASSERT_CONTAINS(report, "error: loss at step 3");
    free(report);
    free(csv);
    free(sub);
}

/* A record cut short, as by a run killed mid-write, or a flipped bit:
 * the decoder's own framing check refuses both. */
static void test_decoder_checks_the_framing(void)
{
    if (!tfdecode_available())
        return;
    char *sub = scratch_path(dir, "damaged");
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(sub, &err), 0);
    TfEvents ev;
    CU_ASSERT_EQUAL_FATAL(tfevents_open(&ev, sub, 1, &err), 0);
    tfevents_scalars(&ev, 1, 1, (const char *const[]){"x"},
                     (const double[]){3});
    char *path = xstrdup(ev.path);
    CU_ASSERT_EQUAL_FATAL(tfevents_close(&ev, &err), 0);
    size_t size;
    char *bytes = read_all(path, &size);
    write_bytes(path, bytes, size - 3);
    char *report = tfdecode(dir, sub, "");
    CU_ASSERT_PTR_NOT_NULL_FATAL(report);
    ASSERT_CONTAINS(report, "is truncated");
    free(report);
    bytes[size - 6] ^= 1; /* inside the last record's data */
    write_bytes(path, bytes, size);
    report = tfdecode(dir, sub, "");
    CU_ASSERT_PTR_NOT_NULL_FATAL(report);
    ASSERT_CONTAINS(report, "bad data CRC");
    free(report);
    free(bytes);
    free(path);
    free(sub);
}

void suite_tfevents(void)
{
    CU_pSuite s = CU_add_suite("tfevents", setup, teardown);
    CU_add_test(s, "CRC32C: check value and RFC 3720's vectors",
                test_crc32c_known_answers);
    CU_add_test(s, "the masked CRC, by hand", test_masked_crc);
    CU_add_test(s, "every byte of a file's records, by hand",
                test_records_by_hand);
    CU_add_test(s, "off: every call does nothing", test_off_writes_nothing);
    CU_add_test(s, "names sort in the order the files were made",
                test_names_sort_in_order);
    CU_add_test(s, "errors name the file", test_errors_name_the_file);
    CU_add_test(s, "protoc's decoder: a resumed run, as log.csv",
                test_decoder_reads_a_resumed_run);
    CU_add_test(s, "protoc's decoder: truncated and damaged records",
                test_decoder_checks_the_framing);
}
