/* fuzz_table.c - chapter 10's results table (stab_table_write in
 * chapters/10-stabilizing/table.c), rebuilt from any per-seed files.
 *
 * The first byte chooses the experiment whose folder holds the files
 * and, in its top three bits, which of them exist: seeds-ring.csv,
 * seeds-grid.csv, fashion.csv. The rest is cut at each "\n%%\n" into
 * their contents, in that order.
 *
 * Properties: no crash and no undefined behaviour on any numbers; the
 * table is written whatever the files hold (stab_table_write fails
 * only on what it cannot write), with one row when the experiment's
 * files give it one, as table.csv and as table.md.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "fuzzfile.h"

#include "../../chapters/10-stabilizing/experiments.h"
#include "../../chapters/10-stabilizing/table.h"

static const char *const names[] = {"seeds-ring.csv", "seeds-grid.csv",
                                    "fashion.csv"};
#define NFILES 3
#define CUT "\n%%\n"

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    FUZZ_CHECK(f != NULL, "no %s", path);
    int n = 0, ch;
    while ((ch = fgetc(f)) != EOF)
        n += ch == '\n';
    fclose(f);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const Experiment *e = &stab_experiments[(data[0] & 31) %
                                            stab_experiment_count];
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", fuzz_scratch(), e->name);
    mkdir(dir, 0777);
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    for (int i = 0; i < NFILES; i++) {
        const char *cut = p < end ? memmem(p, (size_t)(end - p), CUT, 4)
                                  : NULL;
        const char *stop = cut ? cut + 1 : end; /* keep its newline */
        char *path = path_join(dir, names[i]);
        if (data[0] & (0x20 << i)) {
            FILE *f = fopen(path, "wb");
            fwrite(p, 1, p < stop ? (size_t)(stop - p) : 0, f);
            fclose(f);
        } else {
            unlink(path);
        }
        free(path);
        p = cut ? cut + 4 : end;
    }
    Error err = {""};
    int found = stab_table_write(fuzz_scratch(), &err);
    FUZZ_CHECK(found == 0 || found == 1, "%d experiments found (%s)", found,
               err.msg);
    char *csv = path_join(fuzz_scratch(), "table.csv");
    char *md = path_join(fuzz_scratch(), "table.md");
    FUZZ_CHECK(count_lines(csv) == 1 + found, "table.csv's rows");
    FUZZ_CHECK(count_lines(md) == 2 + found, "table.md's rows");
    free(csv);
    free(md);
    for (int i = 0; i < NFILES; i++) {
        char *path = path_join(dir, names[i]);
        unlink(path);
        free(path);
    }
    rmdir(dir);
    return 0;
}
