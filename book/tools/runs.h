/* runs.h - the runs a book page shows, and what each one cost.
 *
 * A page shows a run as a ```sh block of commands followed (prose may
 * stand between) by a ```text block of what they printed. Each
 *     result: ... seconds=S
 * line in the output belongs to one command of the sh block: to the
 * first command not yet paired that runs the program named by the
 * run's opening line above it ("09-evaluation: seed 1, ..., output
 * out/09-evaluation, 2 threads"), or, without one, to the first command
 * not yet paired. Those seconds are what `make book` quotes before it
 * runs a chapter, and what a page must say beside a command that takes
 * more than a minute (runs_about), so the two cannot disagree.
 */
#ifndef BOOK_RUNS_H
#define BOOK_RUNS_H

#include <stddef.h>

#include "error.h"

#define RUN_FIELD_MAX 512

typedef struct {
    char program[64];          /* "09-evaluation", "" when the command
                                  runs no chapter (make mnist, git) */
    char args[RUN_FIELD_MAX];  /* what follows it, blanks collapsed */
    char comment[RUN_FIELD_MAX]; /* after " # ", trimmed; "" if none */
    char out[RUN_FIELD_MAX];   /* "output DIR" of its opening line */
    double seconds;            /* its result line's; -1 when none */
    int line;                  /* where the command starts */
} PageRun;

/* Every command in the sh blocks of the page at md_path, in order, with
 * its cost where the page shows one. `make run` stands for
 * main_program, `make run-NAME` for build/bin/NAME. Returns the count
 * and sets *runs (free it), or -1 with err. */
int runs_read(const char *md_path, const char *main_program, PageRun **runs,
              Error *err);

/* Splits one command into program and args the same way: the first
 * word "DIR/bin/NN-name" (any DIR) or "make run-NN-name" names the
 * program. Returns 1 when it runs a chapter, else 0. */
int runs_parse_command(const char *command, const char *main_program,
                       char *program, size_t program_size, char *args,
                       size_t args_size);

/* "about 4 minutes": the one wording of a run's cost, used by make
 * book's plan and required beside the commands on the pages. */
void runs_about(double seconds, char *buf, size_t size);

/* A page must state the cost of commands that take this long. */
#define RUNS_STATE_COST_SECONDS 60.0

#endif
