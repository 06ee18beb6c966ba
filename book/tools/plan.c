/* plan.c - what `make book` must run before it renders, and for how
 * long, said before it starts.
 *
 *   make -n book-pages | book-plan [--main NAME] BOOK_DIR
 *
 * It reads the commands make would run (a dry run's output) and keeps
 * the chapter programs among them ("build/bin/NN-name ARGS"). Each one's
 * time is the seconds= of the same command's run on its page,
 * BOOK_DIR/NN-name.md, so the plan quotes the book and never a guess;
 * a run the page does not show is said to be untimed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "files.h"
#include "runs.h"

#define LINE_CAP 4096
#define MAX_PLANNED 64

typedef struct {
    char program[64];
    char args[RUN_FIELD_MAX];
    double seconds; /* -1: the page shows no such run */
} Planned;

/* The seconds the page of `program` shows for the same command. */
static double page_seconds(const char *book_dir, const char *main_program,
                           const char *program, const char *args)
{
    char page[sizeof ((Planned *)0)->program + 4];
    snprintf(page, sizeof page, "%.*s.md", (int)sizeof page - 4, program);
    char *md = path_join(book_dir, page);
    PageRun *runs;
    Error err;
    int n = runs_read(md, main_program, &runs, &err);
    free(md);
    if (n < 0)
        return -1.0;
    double seconds = -1.0;
    for (int i = 0; i < n && seconds < 0; i++)
        if (runs[i].seconds >= 0 && strcmp(runs[i].program, program) == 0 &&
            strcmp(runs[i].args, args) == 0)
            seconds = runs[i].seconds;
    free(runs);
    return seconds;
}

int main(int argc, char **argv)
{
    error_set_program("book-plan");
    const char *main_program = NULL, *book_dir = NULL;
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--main") == 0) {
        main_program = argv[i + 1];
        i += 2;
    }
    if (i + 1 == argc && argv[i][0] != '-')
        book_dir = argv[i];
    if (!book_dir) {
        fprintf(stderr, "usage: make -n book-pages | book-plan [--main "
                        "NAME] BOOK_DIR\n");
        return 2;
    }
    Planned plan[MAX_PLANNED];
    int n = 0;
    char line[LINE_CAP];
    while (fgets(line, sizeof line, stdin) && n < MAX_PLANNED) {
        line[strcspn(line, "\r\n")] = '\0';
        Planned *p = &plan[n];
        /* only "DIR/bin/NN-name ...": a dry run's echo and cc lines do
         * not start with a program */
        if (strncmp(line, "make", 4) == 0 ||
            !runs_parse_command(line, NULL, p->program, sizeof p->program,
                                p->args, sizeof p->args))
            continue;
        p->seconds = page_seconds(book_dir, main_program, p->program,
                                  p->args);
        n++;
    }
    if (n == 0) {
        printf("book: no chapter to run: out/ holds every run the pages "
               "need\n");
        return 0;
    }
    double total = 0.0;
    int untimed = 0;
    for (int i = 0; i < n; i++) {
        if (plan[i].seconds >= 0)
            total += plan[i].seconds;
        else
            untimed++;
    }
    char about[64];
    runs_about(total, about, sizeof about);
    char extra[64] = "";
    if (untimed)
        snprintf(extra, sizeof extra, ", and %d the book does not time",
                 untimed);
    printf("book: %d run%s to make first: %s on 2 cores%s (the seconds= "
           "of the same runs in the book):\n",
           n, n == 1 ? "" : "s", about, extra);
    for (int i = 0; i < n; i++) {
        char cmd[RUN_FIELD_MAX + 80];
        snprintf(cmd, sizeof cmd, "build/bin/%s%s%s", plan[i].program,
                 plan[i].args[0] ? " " : "", plan[i].args);
        if (plan[i].seconds >= 0)
            runs_about(plan[i].seconds, about, sizeof about);
        else
            snprintf(about, sizeof about, "not timed in the book");
        printf("  %-52s %s\n", cmd, about);
    }
    printf("book: (make book-fast renders the pages without running "
           "anything)\n");
    return 0;
}
