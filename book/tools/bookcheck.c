/* bookcheck.c - the program behind make book-check (see pagecheck.h).
 *
 *   book-check --probe PAGE.html PROBED.html   a copy of the page with
 *                                              the probe, for Chromium
 *   book-check --height DOM.html               the page's height in px
 *   book-check BOOK_DIR DOM.html...            check the dumped pages;
 *                                              exit 1 on any problem
 *
 * Each DOM.html is what `chromium --headless --dump-dom` printed for
 * the probed copy of BOOK_DIR/DOM.html (same file name), so links
 * between pages are checked against the book's own file names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "files.h"
#include "pagecheck.h"

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fatal("cannot open %s", path);
    size_t cap = 1 << 16, len = 0, got;
    char *s = xmalloc(cap);
    while ((got = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            cap *= 2;
            s = realloc(s, cap);
            if (!s)
                fatal("out of memory reading %s", path);
        }
    }
    if (ferror(f))
        fatal("cannot read %s", path);
    fclose(f);
    s[len] = '\0';
    return s;
}

static int probe(const char *page, const char *out_path)
{
    char *html = read_file(page);
    /* the probe's <base> needs the page's folder as an absolute path */
    char cwd[4096];
    if (page[0] != '/' && !getcwd(cwd, sizeof cwd))
        fatal("cannot read the current folder");
    char *dir = page[0] == '/' ? xstrdup(page) : path_join(cwd, page);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    char *probed = pagecheck_probe(html, dir);
    AtomicFile out;
    Error err;
    if (atomic_open(&out, out_path, &err) < 0)
        fatal("%s", err.msg);
    fputs(probed, out.f);
    if (atomic_commit(&out, &err) < 0)
        fatal("%s", err.msg);
    free(probed);
    free(dir);
    free(html);
    return 0;
}

int main(int argc, char **argv)
{
    error_set_program("book-check");
    if (argc == 4 && strcmp(argv[1], "--probe") == 0)
        return probe(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "--height") == 0) {
        char *dom = read_file(argv[2]);
        printf("%d\n", pagecheck_height(dom));
        free(dom);
        return 0;
    }
    if (argc < 3 || argv[1][0] == '-') {
        fprintf(stderr,
                "usage: book-check --probe PAGE.html PROBED.html\n"
                "       book-check --height DOM.html\n"
                "       book-check BOOK_DIR DOM.html...\n");
        return 2;
    }
    int n = argc - 2;
    PageDom *pages = xcalloc((size_t)n, sizeof *pages);
    for (int i = 0; i < n; i++) {
        const char *base = strrchr(argv[2 + i], '/');
        pages[i].name = base ? base + 1 : argv[2 + i];
        pages[i].dom = read_file(argv[2 + i]);
    }
    int problems = pagecheck_pages(pages, n, argv[1], stdout);
    for (int i = 0; i < n; i++)
        free((char *)pages[i].dom);
    free(pages);
    if (problems) {
        printf("book-check: %d problem%s in %d page%s\n", problems,
               problems == 1 ? "" : "s", n, n == 1 ? "" : "s");
        return 1;
    }
    printf("book-check: %d page%s, no problem\n", n, n == 1 ? "" : "s");
    return 0;
}
