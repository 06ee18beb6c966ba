#include "tfdecode.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "files.h"
#include "helpers.h"
#include "image.h"
#include "tfevents.h"

/* python3-protobuf installs for Debian's python3, which need not be
 * the first python3 on PATH (pyenv, a virtualenv). */
#define DEBIAN_PYTHON "/usr/bin/python3"
#define DECODER PROJECT_DIR "/tests/tfevents/decode.py"

bool tfdecode_available(void)
{
    static int available = -1;
    if (available < 0) {
        available = run_shell("command -v protoc >/dev/null 2>&1 && "
                              DEBIAN_PYTHON " -c 'import google.protobuf' "
                              ">/dev/null 2>&1") == 0;
        if (!available)
            fprintf(stderr, "\n    note: protoc or Debian's python3-protobuf "
                    "is missing, so the event files are not decoded "
                    "(make deps installs them)\n");
    }
    return available;
}

char *events_files(const char *dir, int *count)
{
    char *pattern = path_join(dir, TFEVENTS_PREFIX "*");
    glob_t g;
    *count = 0;
    size_t len = 1;
    if (glob(pattern, 0, NULL, &g) == 0) { /* sorted, by strcoll */
        *count = (int)g.gl_pathc;
        for (size_t i = 0; i < g.gl_pathc; i++)
            len += strlen(g.gl_pathv[i]) + 1;
    } else {
        g.gl_pathc = 0;
    }
    char *list = calloc(len, 1);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        if (i)
            strcat(list, " ");
        strcat(list, g.gl_pathv[i]);
    }
    if (*count)
        globfree(&g);
    free(pattern);
    return list;
}

char *tfdecode(const char *scratch, const char *out, const char *args)
{
    int n;
    char *files = events_files(out, &n);
    char *report = NULL;
    if (n > 0 &&
        run_shell(DEBIAN_PYTHON " " DECODER " --build %s/pb %s %s "
                  ">%s/decode.out 2>&1", scratch, args, files, scratch) >= 0) {
        char *text = scratch_read(scratch, "decode.out");
        if (text && *text) {
            text[strcspn(text, "\n")] = '\0';
            report = text;
        } else {
            free(text);
        }
    }
    free(files);
    return report;
}

char *assert_events_match_log(const char *scratch, const char *out,
                              int files, int rows, int images,
                              int grid_cols)
{
    if (!tfdecode_available())
        return NULL;
    int n;
    free(events_files(out, &n));
    CU_ASSERT_EQUAL(n, files);
    char args[4096];
    snprintf(args, sizeof args, "--csv %s/log.csv", out);
    char *report = tfdecode(scratch, out, args);
    CU_ASSERT_PTR_NOT_NULL_FATAL(report);
    if (strncmp(report, "events: ", 8) != 0)
        fprintf(stderr, "\n    %s: %s\n", out, report);
    ASSERT_CONTAINS(report, "events: ");
    CU_ASSERT_EQUAL(result_number(report, "files"), files);
    CU_ASSERT_EQUAL(result_number(report, "csv_rows"), rows);
    CU_ASSERT_EQUAL(result_number(report, "images"), images);
    int side = grid_cols * DATASET_SIDE * GRID_ZOOM + (grid_cols + 1) *
               GRID_PAD;
    if (images > 0) {
        ASSERT_CONTAINS(report, "samples");
        CU_ASSERT_EQUAL(result_number(report, "image_width"), side);
        CU_ASSERT_EQUAL(result_number(report, "image_height"), side);
    }
    return report;
}
