/* fuzz_csvlog.c - resuming a log (csv_resume in common/csvlog.c) from
 * any old log.csv.
 *
 * The first byte chooses the header the resuming run expects (one of
 * the logs the chapters resume: chapters 8 and 12's log.csv, chapter
 * 11's log.csv and epochs.csv), the next two the step the checkpoint
 * was taken after (little-endian); the rest is the old file.
 *
 * Properties: the kept rows are the old file's from its start while
 * they are whole lines whose step is at most the checkpoint's; a log is
 * resumed exactly when its header is the one expected and the last
 * kept row's step (0 with none) is not below the checkpoint's (else
 * rows would be lost); a refused log gets a message and is left as it
 * was; a resumed one, with one more row written and closed, is the
 * header, the kept rows, then the new row.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvlog.h"
#include "fuzzfile.h"

static const char *const headers[] = {
    "step,epoch,loss_d,loss_g,d_real,d_fake",
    ("epoch,class_accuracy,real_accuracy,acc_0,acc_1,acc_2,acc_3,acc_4,"
     "acc_5,acc_6,acc_7,acc_8,acc_9"),
    "step,loss",
};
#define NHEADERS (int)(sizeof headers / sizeof headers[0])

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    FUZZ_CHECK(f != NULL, "cannot read %s back", path);
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap)
            buf = realloc(buf, cap = cap ? 2 * cap : 4096);
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *size = n;
    return buf;
}

/* The bytes csv_resume should keep: the old file's whole rows from its
 * start, after the header line, while their step is at most last. */
static size_t kept_rows(const char *old, size_t n, size_t start,
                        double last, double *kept_step)
{
    size_t at = start;
    *kept_step = 0;
    while (at < n) {
        const char *nl = memchr(old + at, '\n', n - at);
        if (!nl)
            break;
        size_t len = (size_t)(nl - (old + at)) + 1;
        /* a line with a NUL in it, or longer than the reader's buffer
         * (4096 bytes, NUL included), reads as one cut short */
        if (memchr(old + at, '\0', len) || len > 4095)
            break;
        char line[4096];
        memcpy(line, old + at, len);
        line[len] = '\0';
        char *end;
        double step = strtod(line, &end);
        if (end == line || step > last)
            break;
        *kept_step = step;
        at += len;
    }
    return at - start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    const char *header = headers[data[0] % NHEADERS];
    double last = data[1] | data[2] << 8;
    const char *old = (const char *)data + 3;
    size_t n = size - 3;
    const char *path = fuzz_scratch_path("log.csv");
    FILE *f = fopen(path, "wb");
    fwrite(old, 1, n, f);
    fclose(f);

    CsvLog log;
    Error err = {""};
    size_t hlen = strlen(header);
    bool header_ok = n > hlen && memcmp(old, header, hlen) == 0 &&
                     old[hlen] == '\n';
    double kept_step = 0;
    size_t kept = header_ok ? kept_rows(old, n, hlen + 1, last, &kept_step)
                            : 0;
    /* written so, a NaN step is not below the checkpoint's */
    bool whole = header_ok && !(kept_step < last);
    if (csv_resume(&log, path, header, last, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");
        FUZZ_CHECK(!whole, "refused a log that holds every row up to "
                   "the checkpoint's: %s", err.msg);
        size_t m;
        char *now = slurp(path, &m);
        FUZZ_CHECK(m == n && memcmp(now, old, n) == 0,
                   "a refused log was changed");
        free(now);
        return 0;
    }
    FUZZ_CHECK(whole, "resumed a log whose header is not \"%s\", or "
               "that ends before step %g", header, last);
    double row[16] = {last + 1};
    csv_row(&log, row);
    FUZZ_CHECK(csv_close(&log, &err) == 0, "%s", err.msg);
    size_t m;
    char *now = slurp(path, &m);
    FUZZ_CHECK(m > hlen + 1 + kept && memcmp(now, old, hlen + 1 + kept) == 0,
               "the resumed log does not start with the old file's %zu "
               "bytes of whole rows", kept);
    char expect[64];
    int len = snprintf(expect, sizeof expect, "%.6g,", last + 1);
    FUZZ_CHECK(m >= hlen + 1 + kept + (size_t)len &&
                   memcmp(now + hlen + 1 + kept, expect, (size_t)len) == 0,
               "the new row does not follow the kept rows");
    free(now);
    return 0;
}
