#include "runs.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_CAP 4096
#define SECONDS_PER_MINUTE 60.0
#define SECONDS_PER_HOUR 3600.0
/* Below this a run is quoted in seconds, above it in hours. */
#define QUOTE_MINUTES_FROM 60.0
#define QUOTE_HOURS_FROM (1.5 * SECONDS_PER_HOUR)

/* A chapter's name: two digits, a dash, then lower case, digits and
 * dashes ("08-gan-mnist"). */
static bool is_chapter_name(const char *s, size_t n)
{
    if (n < 4 || !isdigit((unsigned char)s[0]) ||
        !isdigit((unsigned char)s[1]) || s[2] != '-')
        return false;
    for (size_t i = 3; i < n; i++)
        if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
            s[i] != '-')
            return false;
    return true;
}

/* Copies the blank-separated words of s into out, one space apart. */
static void collapse_blanks(const char *s, char *out, size_t size)
{
    size_t o = 0;
    while (*s && o + 1 < size) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (o > 0 && o + 1 < size)
            out[o++] = ' ';
        while (*s && *s != ' ' && *s != '\t' && o + 1 < size)
            out[o++] = *s++;
    }
    out[o] = '\0';
}

int runs_parse_command(const char *command, const char *main_program,
                       char *program, size_t program_size, char *args,
                       size_t args_size)
{
    char words[RUN_FIELD_MAX];
    collapse_blanks(command, words, sizeof words);
    program[0] = args[0] = '\0';
    char *rest = strchr(words, ' ');
    size_t first = rest ? (size_t)(rest - words) : strlen(words);
    rest = rest ? rest + 1 : words + first;
    const char *name = NULL;
    size_t name_len = 0;
    const char *last = words + first;
    while (last > words && last[-1] != '/')
        last--;
    size_t dir = last > words ? (size_t)(last - words) - 1 : 0;
    if (last > words && dir >= 3 && strncmp(last - 4, "bin", 3) == 0 &&
        (dir == 3 || last[-5] == '/')) {
        /* "bin/NN-name" or "DIR/bin/NN-name" */
        name = last;
        name_len = (size_t)(words + first - last);
    } else if (first == 4 && strncmp(words, "make", 4) == 0) {
        char *target = rest;
        size_t n = strcspn(target, " ");
        char *after = target[n] ? target + n + 1 : target + n;
        if (n == 3 && strncmp(target, "run", 3) == 0 && main_program) {
            name = main_program;
            name_len = strlen(main_program);
            rest = after;
        } else if (n > 4 && strncmp(target, "run-", 4) == 0) {
            name = target + 4;
            name_len = n - 4;
            rest = after;
        }
    }
    if (!name || !is_chapter_name(name, name_len) ||
        name_len + 1 > program_size)
        return 0;
    memcpy(program, name, name_len);
    program[name_len] = '\0';
    snprintf(args, args_size, "%s", rest);
    return 1;
}

void runs_about(double seconds, char *buf, size_t size)
{
    if (seconds < 10.0)
        snprintf(buf, size, "a few seconds");
    else if (seconds < QUOTE_MINUTES_FROM)
        snprintf(buf, size, "about %d seconds",
                 (int)(10.0 * round(seconds / 10.0)));
    else if (seconds < QUOTE_HOURS_FROM) {
        int m = (int)round(seconds / SECONDS_PER_MINUTE);
        snprintf(buf, size, "about %d minute%s", m, m == 1 ? "" : "s");
    } else {
        double halves = round(2.0 * seconds / SECONDS_PER_HOUR) / 2.0;
        snprintf(buf, size, "about %g hours", halves);
    }
}

typedef struct {
    PageRun *runs;
    int n, cap;
} RunList;

static PageRun *push(RunList *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->runs = realloc(l->runs, (size_t)l->cap * sizeof *l->runs);
        if (!l->runs)
            fatal("out of memory reading a book page");
    }
    PageRun *r = &l->runs[l->n++];
    memset(r, 0, sizeof *r);
    r->seconds = -1.0;
    return r;
}

/* One command of an sh block (continuation lines already joined). */
static void add_command(RunList *l, const char *text, int line,
                        const char *main_program)
{
    char body[RUN_FIELD_MAX];
    snprintf(body, sizeof body, "%s", text);
    char *hash = NULL;
    for (char *c = body; *c; c++)
        if (*c == '#' && (c == body || c[-1] == ' ' || c[-1] == '\t')) {
            hash = c;
            break;
        }
    char comment[RUN_FIELD_MAX] = "";
    if (hash) {
        collapse_blanks(hash + 1, comment, sizeof comment);
        *hash = '\0';
    }
    char words[RUN_FIELD_MAX];
    collapse_blanks(body, words, sizeof words);
    if (!words[0])
        return;
    PageRun *r = push(l);
    r->line = line;
    snprintf(r->comment, sizeof r->comment, "%s", comment);
    runs_parse_command(words, main_program, r->program, sizeof r->program,
                       r->args, sizeof r->args);
}

/* A text block's "result:" line: its seconds go to one command of the
 * sh block [first, end). */
static void pair_result(RunList *l, int first, int end, const char *line,
                        const char *name, const char *out)
{
    const char *s = strstr(line, " seconds=");
    if (!s)
        return;
    double seconds = strtod(s + strlen(" seconds="), NULL);
    int pick = -1;
    for (int i = first; name[0] && i < end && pick < 0; i++)
        if (l->runs[i].seconds < 0 && strcmp(l->runs[i].program, name) == 0)
            pick = i;
    for (int i = first; i < end && pick < 0; i++)
        if (l->runs[i].seconds < 0)
            pick = i;
    if (pick < 0)
        return;
    l->runs[pick].seconds = seconds;
    snprintf(l->runs[pick].out, sizeof l->runs[pick].out, "%s", out);
}

/* "NN-name: seed 1, data ..., output DIR, 2 threads" */
static bool opening_line(const char *line, char *name, size_t name_size,
                         char *out, size_t out_size)
{
    size_t n = strcspn(line, ":");
    if (!is_chapter_name(line, n) || strncmp(line + n, ": seed ", 7) != 0 ||
        n + 1 > name_size)
        return false;
    memcpy(name, line, n);
    name[n] = '\0';
    out[0] = '\0';
    const char *o = strstr(line, ", output ");
    if (o) {
        o += strlen(", output ");
        snprintf(out, out_size, "%.*s", (int)strcspn(o, ",\n"), o);
    }
    return true;
}

int runs_read(const char *md_path, const char *main_program, PageRun **runs,
              Error *err)
{
    FILE *f = fopen(md_path, "r");
    if (!f)
        return error_set(err, "cannot open %s", md_path);
    RunList l = {0};
    enum { PROSE, SH, TEXT, OTHER } block = PROSE;
    /* the commands of the last sh block, while it is the last fenced
     * block seen: the next text block is its output */
    int sh_first = -1, sh_end = -1;
    char line[LINE_CAP], pending[RUN_FIELD_MAX] = "";
    char name[64] = "", out[RUN_FIELD_MAX] = "";
    int lineno = 0, pending_line = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        const char *t = line;
        while (*t == ' ' || *t == '\t')
            t++;
        if (strncmp(t, "```", 3) == 0) {
            if (block == PROSE) {
                const char *info = t + 3;
                while (*info == '`' || *info == ' ')
                    info++;
                block = strcmp(info, "sh") == 0     ? SH
                        : strcmp(info, "text") == 0 ? TEXT
                                                    : OTHER;
                if (block == SH)
                    sh_first = l.n;
                name[0] = out[0] = '\0';
            } else {
                if (block == SH) {
                    if (pending[0])
                        add_command(&l, pending, pending_line, main_program);
                    pending[0] = '\0';
                    sh_end = l.n;
                } else {
                    sh_first = sh_end = -1;
                }
                block = PROSE;
            }
            continue;
        }
        if (block == SH) {
            size_t n = strlen(t);
            bool more = n > 0 && t[n - 1] == '\\';
            if (!pending[0])
                pending_line = lineno;
            size_t have = strlen(pending);
            snprintf(pending + have, sizeof pending - have, "%s%.*s",
                     have ? " " : "", (int)(more ? n - 1 : n), t);
            if (!more) {
                add_command(&l, pending, pending_line, main_program);
                pending[0] = '\0';
            }
        } else if (block == TEXT && sh_first >= 0) {
            if (!opening_line(t, name, sizeof name, out, sizeof out) &&
                strncmp(t, "result: ", 8) == 0)
                pair_result(&l, sh_first, sh_end, t, name, out);
        }
    }
    fclose(f);
    *runs = l.runs;
    return l.n;
}
