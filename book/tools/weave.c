/* weave.c - turns a book chapter into the Markdown pandoc renders.
 *
 *   weave CHAPTER.md OUT.md        replace each {{listing PATH NAME}}
 *                                  line with that region of the source
 *   weave --fast CHAPTER.md OUT.md the same from what is committed only:
 *                                  no figure from out/ (see below)
 *   weave --index OUT.md CH.md...  the table of contents
 *
 * Paths are relative to the project's root (the current directory).
 * Any placeholder that does not resolve, and any figure (an image whose
 * path starts with out/) that does not exist, stops the build with the
 * chapter's file and line.
 *
 * --fast is make book-fast, for a reader who runs nothing: a figure
 * out/NN-name/FILE becomes the copy book/figures/NN-name-FILE where the
 * book keeps one, and otherwise a note that keeps its caption and says
 * that make book draws it. It never reads out/, so the fast pages are
 * the same on every clone.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "files.h"
#include "listing.h"

#define LINE_CAP 4096

static void check_figures(const char *md, int lineno, const char *line)
{
    for (const char *s = strstr(line, "](out/"); s;
         s = strstr(s + 1, "](out/")) {
        char path[LINE_CAP];
        size_t n = strcspn(s + 2, ") \t");
        snprintf(path, sizeof path, "%.*s", (int)n, s + 2);
        if (!file_exists(path)) {
            char chapter[64] = "";
            sscanf(path, "out/%63[^/]", chapter);
            fatal("%s:%d: figure %s not found\nHINT: make run-%s draws "
                  "it", md, lineno, path, chapter);
        }
    }
}

#define FIGURE_DIR "book/figures"

/* A paragraph that starts with an image: "![caption](path)", possibly
 * over several lines. In --fast mode one whose path is in out/ is
 * rewritten (see the header); otherwise it is checked and kept. */
static void weave_figure(const char *md, int lineno, const char *para,
                         bool fast, FILE *out)
{
    const char *ref = strstr(para, "](out/");
    if (!ref) {
        fputs(para, out);
        return;
    }
    if (!fast) {
        check_figures(md, lineno, para);
        fputs(para, out);
        return;
    }
    const char *path = ref + 2;
    size_t path_len = strcspn(path, ") \t\n");
    char chapter[64] = "", copy[LINE_CAP];
    sscanf(path, "out/%63[^/]", chapter);
    const char *file = path + strlen("out/") + strlen(chapter) + 1;
    snprintf(copy, sizeof copy, FIGURE_DIR "/%s-%.*s", chapter,
             (int)(path + path_len - file), file);
    if (file_exists(copy)) {
        fprintf(out, "%.*s](%s%s", (int)(ref - para), para, copy,
                path + path_len);
        return;
    }
    const char *caption = strstr(para, "![") + 2;
    fprintf(out,
            "::: figure-missing\n*Not in this build, which runs nothing: "
            "`make book` draws `%.*s` by running the chapter.* %.*s\n:::\n\n",
            (int)path_len, path, (int)(ref - caption), caption);
}

static void weave_chapter(const char *md, const char *out_path, bool fast)
{
    FILE *in = fopen(md, "r");
    if (!in)
        fatal("cannot open %s", md);
    AtomicFile out;
    Error err;
    if (atomic_open(&out, out_path, &err) < 0)
        fatal("%s", err.msg);
    char line[LINE_CAP];
    int lineno = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        ListingRef ref;
        int is_ref = listing_parse_ref(line, &ref, &err);
        if (is_ref < 0)
            fatal("%s:%d: %s", md, lineno, err.msg);
        if (!is_ref && strncmp(line, "![", 2) == 0) {
            /* the image's paragraph: up to a blank line */
            char para[4 * LINE_CAP];
            int first = lineno;
            snprintf(para, sizeof para, "%s", line);
            while (line[0] != '\n' && fgets(line, sizeof line, in)) {
                lineno++;
                if (strncmp(line, "{{listing ", 10) == 0)
                    fatal("%s:%d: a listing right under a figure; put a "
                          "blank line between them", md, lineno);
                size_t have = strlen(para);
                snprintf(para + have, sizeof para - have, "%s", line);
            }
            weave_figure(md, first, para, fast, out.f);
            continue;
        }
        if (!is_ref) {
            check_figures(md, lineno, line);
            fputs(line, out.f);
            continue;
        }
        int first;
        char *code = listing_extract(".", ref.path, ref.name, &first, &err);
        if (!code)
            fatal("%s:%d: %s", md, lineno, err.msg);
        int lines = 0;
        for (const char *c = code; *c; c++)
            lines += *c == '\n';
        fprintf(out.f,
                "::: listing\n<div class=\"listing-source\">%s, lines "
                "%d&ndash;%d</div>\n\n```{.c .numberLines startFrom=\"%d\"}"
                "\n%s```\n:::\n",
                ref.path, first, first + lines - 1, first, code);
        free(code);
    }
    fclose(in);
    if (atomic_commit(&out, &err) < 0)
        fatal("%s", err.msg);
}

static void weave_index(const char *out_path, int n, char **chapters)
{
    AtomicFile out;
    Error err;
    if (atomic_open(&out, out_path, &err) < 0)
        fatal("%s", err.msg);
    fprintf(out.f, "# From One Neuron to a GAN, in C\n\n");
    for (int i = 0; i < n; i++) {
        FILE *f = fopen(chapters[i], "r");
        if (!f)
            fatal("cannot open %s", chapters[i]);
        char line[LINE_CAP], title[LINE_CAP] = "";
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "# ", 2) == 0) {
                snprintf(title, sizeof title, "%s", line + 2);
                title[strcspn(title, "\n")] = '\0';
                break;
            }
        fclose(f);
        const char *base = strrchr(chapters[i], '/');
        base = base ? base + 1 : chapters[i];
        fprintf(out.f, "- [%s](%.*s.html)\n", title[0] ? title : base,
                (int)(strlen(base) - 3), base);
    }
    if (atomic_commit(&out, &err) < 0)
        fatal("%s", err.msg);
}

int main(int argc, char **argv)
{
    error_set_program("weave");
    if (argc >= 3 && strcmp(argv[1], "--index") == 0) {
        weave_index(argv[2], argc - 3, argv + 3);
        return 0;
    }
    bool fast = argc == 4 && strcmp(argv[1], "--fast") == 0;
    if (argc != 3 + fast) {
        fprintf(stderr, "usage: weave [--fast] CHAPTER.md OUT.md\n"
                        "       weave --index OUT.md CHAPTER.md...\n");
        return 2;
    }
    weave_chapter(argv[1 + fast], argv[2 + fast], fast);
    return 0;
}
