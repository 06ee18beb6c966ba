#include "listing.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

#define BEGIN_MARK "// listing: "
#define END_MARK "// end-listing: "
#define LINE_MAX_LEN 1024

/* If the line (after indentation) is a marker, copies its name and
 * returns 1 for a begin marker, 2 for an end marker; else 0. */
static int marker(const char *line, char *name)
{
    while (*line == ' ' || *line == '\t')
        line++;
    int kind = 0;
    if (strncmp(line, BEGIN_MARK, strlen(BEGIN_MARK)) == 0) {
        kind = 1;
        line += strlen(BEGIN_MARK);
    } else if (strncmp(line, END_MARK, strlen(END_MARK)) == 0) {
        kind = 2;
        line += strlen(END_MARK);
    } else {
        return 0;
    }
    size_t n = strcspn(line, " \t\r\n");
    if (n >= LISTING_NAME_MAX)
        n = LISTING_NAME_MAX - 1;
    memcpy(name, line, n);
    name[n] = '\0';
    return kind;
}

static size_t indent_of(const char *line)
{
    size_t n = 0;
    while (line[n] == ' ')
        n++;
    return line[n] == '\n' || line[n] == '\0' ? (size_t)-1 : n;
}

char *listing_extract(const char *root, const char *path, const char *name,
                      int *first_line, Error *err)
{
    char *full = path_join(root, path);
    FILE *f = fopen(full, "r");
    if (!f) {
        error_set(err, "listing %s: cannot open %s", name, full);
        free(full);
        return NULL;
    }
    free(full);
    char line[LINE_MAX_LEN], mark[LISTING_NAME_MAX];
    size_t cap = 4096, len = 0, dedent = (size_t)-1;
    char *text = xmalloc(cap);
    text[0] = '\0';
    int state = 0, lineno = 0; /* 0 before, 1 inside, 2 after */
    while (state < 2 && fgets(line, sizeof line, f)) {
        lineno++;
        int kind = marker(line, mark);
        if (kind == 1 && strcmp(mark, name) == 0 && state == 0) {
            state = 1;
            *first_line = lineno + 1;
            continue;
        }
        if (kind == 2 && strcmp(mark, name) == 0 && state == 1) {
            state = 2;
            continue;
        }
        if (state != 1 || kind != 0)
            continue;
        size_t n = strlen(line);
        if (len + n + 1 > cap)
            text = realloc(text, cap = 2 * (len + n + 1));
        memcpy(text + len, line, n + 1);
        len += n;
        size_t ind = indent_of(line);
        if (ind < dedent)
            dedent = ind;
    }
    fclose(f);
    if (state != 2) {
        error_set(err, state == 0 ? "listing %s not found in %s"
                                  : "listing %s in %s has no end marker",
                  name, path);
        free(text);
        return NULL;
    }
    if (dedent == (size_t)-1 || dedent == 0)
        return text;
    /* remove the common indentation from every non-blank line */
    char *out = xmalloc(len + 1), *o = out;
    for (char *s = text; *s;) {
        char *eol = strchr(s, '\n');
        size_t n = eol ? (size_t)(eol - s + 1) : strlen(s);
        size_t skip = indent_of(s) == (size_t)-1 ? 0 : dedent;
        memcpy(o, s + skip, n - skip);
        o += n - skip;
        s += n;
    }
    *o = '\0';
    free(text);
    return out;
}

int listing_parse_ref(const char *line, ListingRef *ref, Error *err)
{
    const char *open = "{{listing ";
    if (strncmp(line, open, strlen(open)) != 0)
        return 0;
    char path[LISTING_PATH_MAX], name[LISTING_NAME_MAX], rest[8];
    int n = sscanf(line + strlen(open), "%255s %63[^} \t]%7s", path, name,
                   rest);
    if (n != 3 || strcmp(rest, "}}") != 0)
        return error_set(err, "malformed placeholder (want {{listing "
                         "PATH NAME}}): %s", line);
    snprintf(ref->path, sizeof ref->path, "%s", path);
    snprintf(ref->name, sizeof ref->name, "%s", name);
    return 1;
}

int listing_regions(const char *path, char ***names, Error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return error_set(err, "cannot open %s", path);
    char line[LINE_MAX_LEN], mark[LISTING_NAME_MAX];
    int count = 0, cap = 8, rc = 0, lineno = 0;
    char **list = xmalloc((size_t)cap * sizeof *list);
    char *open = xcalloc((size_t)cap, 1); /* open[i]: region i not ended */
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        int kind = marker(line, mark), found = -1;
        for (int i = 0; kind && i < count; i++)
            if (strcmp(list[i], mark) == 0)
                found = i;
        if (kind == 1 && found >= 0)
            rc = error_set(err, "%s:%d: listing %s is marked twice", path,
                           lineno, mark);
        else if (kind == 1) {
            if (count == cap) {
                cap *= 2;
                list = realloc(list, (size_t)cap * sizeof *list);
                open = realloc(open, (size_t)cap);
            }
            list[count] = xstrdup(mark);
            open[count++] = 1;
        } else if (kind == 2 && (found < 0 || !open[found]))
            rc = error_set(err, "%s:%d: end of listing %s, which is not "
                           "open", path, lineno, mark);
        else if (kind == 2)
            open[found] = 0;
    }
    fclose(f);
    for (int i = 0; rc == 0 && i < count; i++)
        if (open[i])
            rc = error_set(err, "%s: listing %s has no end marker", path,
                           list[i]);
    free(open);
    if (rc < 0) {
        for (int i = 0; i < count; i++)
            free(list[i]);
        free(list);
        return -1;
    }
    *names = list;
    return count;
}
