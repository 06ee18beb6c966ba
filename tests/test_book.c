/* test_book.c - every listing the book asks for exists in the sources,
 * and every region marked in the sources is shown by the book; every
 * chapter's page shows its default run with its time, and every command
 * a page shows that takes more than a minute says how long.
 *
 * It reads common/, the book's chapters that are not programs (the
 * preface), and, for each chapter being built (TEST_CHAPTERS, from the
 * Makefile's CHAPTERS), chapters/NN-name/ and book/NN-name.md. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "helpers.h"
#include "listing.h"
#include "runs.h"

#define MAX_FILES 512

/* Files under root/sub whose names end in one of the suffixes, as
 * paths relative to root. */
static int list_files(const char *sub, const char *suffixes, char **out,
                      int n)
{
    char *full = path_join(PROJECT_DIR, sub);
    DIR *d = opendir(full);
    free(full);
    if (!d)
        return n;
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_FILES) {
        if (e->d_name[0] == '.')
            continue;
        char *rel = path_join(sub, e->d_name);
        char *abs = path_join(PROJECT_DIR, rel);
        DIR *child = opendir(abs);
        free(abs);
        if (child) {
            closedir(child);
            n = list_files(rel, suffixes, out, n);
            free(rel);
            continue;
        }
        const char *dot = strrchr(e->d_name, '.');
        if (dot && strstr(suffixes, dot) && dot[1])
            out[n++] = rel;
        else
            free(rel);
    }
    closedir(d);
    return n;
}

typedef struct {
    char *file, *name;
    int used;
} Region;

static void test_listings_resolve_and_are_used(void)
{
    char *sources[MAX_FILES], *chapters[MAX_FILES];
    int ns = list_files("common", ".c .h", sources, 0);
    int nc = 0;
    chapters[nc++] = xstrdup("book/00-preface.md");
    char list[4096];
    snprintf(list, sizeof list, "%s", TEST_CHAPTERS);
    for (char *ch = strtok(list, " "); ch; ch = strtok(NULL, " ")) {
        char dir[512], md[512];
        snprintf(dir, sizeof dir, "chapters/%s", ch);
        snprintf(md, sizeof md, "book/%s.md", ch);
        ns = list_files(dir, ".c .h", sources, ns);
        char *abs = path_join(PROJECT_DIR, md);
        if (file_exists(abs))
            chapters[nc++] = xstrdup(md);
        else {
            fprintf(stderr, "\n    chapter %s has no %s\n", ch, md);
            CU_FAIL("a chapter has no book chapter");
        }
        free(abs);
    }

    Region regions[MAX_FILES];
    int nr = 0;
    Error err;
    for (int i = 0; i < ns; i++) {
        char **names;
        char *abs = path_join(PROJECT_DIR, sources[i]);
        int n = listing_regions(abs, &names, &err);
        free(abs);
        if (n < 0) {
            fprintf(stderr, "\n    %s\n", err.msg);
            CU_FAIL("a source file has a malformed listing marker");
            continue;
        }
        for (int k = 0; k < n; k++) {
            if (nr < MAX_FILES)
                regions[nr++] = (Region){sources[i], names[k], 0};
            else
                free(names[k]);
        }
        free(names);
    }

    int refs = 0;
    for (int i = 0; i < nc; i++) {
        char *abs = path_join(PROJECT_DIR, chapters[i]);
        char *md = read_all(abs, NULL);
        free(abs);
        int lineno = 0;
        for (char *line = strtok(md, "\n"); line;
             line = strtok(NULL, "\n")) {
            lineno++;
            ListingRef ref;
            int is_ref = listing_parse_ref(line, &ref, &err);
            if (is_ref == 0)
                continue;
            refs++;
            int first;
            char *code = is_ref < 0 ? NULL
                                    : listing_extract(PROJECT_DIR, ref.path,
                                                      ref.name, &first,
                                                      &err);
            if (!code) {
                fprintf(stderr, "\n    %s: %s\n", chapters[i], err.msg);
                CU_FAIL("a listing in the book does not resolve");
                continue;
            }
            free(code);
            for (int r = 0; r < nr; r++)
                if (strcmp(regions[r].file, ref.path) == 0 &&
                    strcmp(regions[r].name, ref.name) == 0)
                    regions[r].used++;
        }
        free(md);
    }
    /* A region in common/ may be shown by a chapter left out of
     * CHAPTERS: count those uses too, without checking that chapter's
     * other placeholders (its sources are not part of this build). */
    char *others[MAX_FILES];
    int no = list_files("book", ".md", others, 0);
    for (int i = 0; i < no; i++) {
        bool listed = false;
        for (int c = 0; c < nc; c++)
            listed = listed || strcmp(others[i], chapters[c]) == 0;
        char *abs = path_join(PROJECT_DIR, others[i]);
        char *md = listed ? NULL : read_all(abs, NULL);
        free(abs);
        for (char *line = md ? strtok(md, "\n") : NULL; line;
             line = strtok(NULL, "\n")) {
            ListingRef ref;
            if (listing_parse_ref(line, &ref, &err) != 1)
                continue;
            for (int r = 0; r < nr; r++)
                if (strcmp(regions[r].file, ref.path) == 0 &&
                    strcmp(regions[r].name, ref.name) == 0)
                    regions[r].used++;
        }
        free(md);
        free(others[i]);
    }

    CU_ASSERT_TRUE(refs > 0);
    for (int r = 0; r < nr; r++) {
        if (!regions[r].used) {
            fprintf(stderr, "\n    %s: listing %s is shown nowhere in "
                    "book/\n", regions[r].file, regions[r].name);
            CU_FAIL("a marked region is unused");
        }
        free(regions[r].name);
    }
    for (int i = 0; i < ns; i++)
        free(sources[i]);
    for (int i = 0; i < nc; i++)
        free(chapters[i]);
}

static void test_missing_region_is_an_error(void)
{
    Error err;
    int first;
    char *code = listing_extract(PROJECT_DIR, "chapters/01-neuron/neuron.c",
                                 "no-such-region", &first, &err);
    CU_ASSERT_PTR_NULL(code);
    ASSERT_CONTAINS(err.msg, "listing no-such-region not found");
    ListingRef ref;
    CU_ASSERT_EQUAL(listing_parse_ref("{{listing only-a-path}}", &ref, &err),
                    -1);
    CU_ASSERT_EQUAL(listing_parse_ref("plain text", &ref, &err), 0);
}

static void test_extract_dedents_and_drops_markers(void)
{
    char *dir = scratch_dir();
    char *path = scratch_path(dir, "x.c");
    write_bytes(path,
                "int f(void)\n{\n    // listing: body\n    int a = 1;\n"
                "    // listing: inner\n    a++;\n    // end-listing: inner\n"
                "\n    return a;\n    // end-listing: body\n}\n",
                strlen("int f(void)\n{\n    // listing: body\n    int a = "
                       "1;\n    // listing: inner\n    a++;\n    // "
                       "end-listing: inner\n\n    return a;\n    // "
                       "end-listing: body\n}\n"));
    Error err;
    int first;
    char *code = listing_extract(dir, "x.c", "body", &first, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(code);
    CU_ASSERT_STRING_EQUAL(code, "int a = 1;\na++;\n\nreturn a;\n");
    CU_ASSERT_EQUAL(first, 4);
    free(code);
    write_bytes(path, "// listing: open\nx\n", 19);
    char **names;
    CU_ASSERT_EQUAL(listing_regions(path, &names, &err), -1);
    ASSERT_CONTAINS(err.msg, "listing open has no end marker");
    free(path);
    remove_tree(dir);
    free(dir);
}

/* The pages of the chapters being built, in turn. */
static int chapter_pages(char pages[][64], int cap)
{
    char list[4096];
    snprintf(list, sizeof list, "%s", TEST_CHAPTERS);
    int n = 0;
    for (char *ch = strtok(list, " "); ch && n < cap; ch = strtok(NULL, " "))
        snprintf(pages[n++], 64, "%.63s", ch);
    return n;
}

static int page_runs(const char *chapter, PageRun **runs)
{
    char md[80];
    snprintf(md, sizeof md, "book/%.63s.md", chapter);
    char *abs = path_join(PROJECT_DIR, md);
    Error err;
    int n = runs_read(abs, "08-gan-mnist", runs, &err);
    free(abs);
    return n;
}

/* make book quotes these seconds before it runs a chapter. */
static void test_every_page_times_its_default_run(void)
{
    char chapters[64][64];
    int nc = chapter_pages(chapters, 64);
    for (int c = 0; c < nc; c++) {
        PageRun *runs;
        int n = page_runs(chapters[c], &runs);
        bool timed = false;
        for (int i = 0; i < n; i++)
            timed = timed || (strcmp(runs[i].program, chapters[c]) == 0 &&
                              runs[i].args[0] == '\0' &&
                              runs[i].seconds >= 0);
        if (!timed) {
            fprintf(stderr, "\n    book/%s.md shows no run of make run-%s "
                    "with its result line (seconds=)\n", chapters[c],
                    chapters[c]);
            CU_FAIL("a page does not time its chapter's default run");
        }
        if (n > 0)
            free(runs);
    }
}

static void test_long_commands_say_how_long(void)
{
    char chapters[64][64];
    int nc = chapter_pages(chapters, 64);
    int long_runs = 0;
    for (int c = 0; c < nc; c++) {
        PageRun *runs;
        int n = page_runs(chapters[c], &runs);
        for (int i = 0; i < n; i++) {
            if (runs[i].seconds < RUNS_STATE_COST_SECONDS)
                continue;
            long_runs++;
            char about[64], want[96];
            runs_about(runs[i].seconds, about, sizeof about);
            snprintf(want, sizeof want, "%s on 2 cores", about);
            if (!strstr(runs[i].comment, want)) {
                fprintf(stderr, "\n    book/%s.md:%d: its result says "
                        "seconds=%.1f; put \"# %s\" beside the command\n",
                        chapters[c], runs[i].line, runs[i].seconds, want);
                CU_FAIL("a command over a minute does not say how long");
            }
        }
        if (n > 0)
            free(runs);
    }
    CU_ASSERT_TRUE(long_runs > 0 || nc < 8);
}

void suite_book(void)
{
    CU_pSuite s = CU_add_suite("book", NULL, NULL);
    CU_add_test(s, "every listing resolves; every region is shown",
                test_listings_resolve_and_are_used);
    CU_add_test(s, "a missing region or bad placeholder is an error",
                test_missing_region_is_an_error);
    CU_add_test(s, "regions are dedented, inner markers dropped",
                test_extract_dedents_and_drops_markers);
    CU_add_test(s, "every chapter's page times its default run",
                test_every_page_times_its_default_run);
    CU_add_test(s, "a command over a minute says how long",
                test_long_commands_say_how_long);
}
