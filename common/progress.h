/* progress.h - the progress line.
 *
 * On a terminal, one line redrawn in place at most ten times a second:
 *   step 1200/6000  20%  512 steps/s  ETA 0:09  loss=0.4121
 * When stdout is a file or a pipe, a plain line at every tenth of the
 * run instead, so a captured log stays short. --quiet prints neither.
 * Timing is for display only; nothing computed depends on it.
 */
#ifndef COMMON_PROGRESS_H
#define COMMON_PROGRESS_H

#include <stdbool.h>

typedef struct {
    long total;         /* steps in the whole run */
    long first;         /* step the run started from (after a resume) */
    double t_start;     /* seconds, monotonic clock */
    double t_last_draw;
    long next_plain;    /* next step to print a plain line at */
    bool tty, quiet, drawn;
} Progress;

/* Seconds on a monotonic clock. */
double clock_seconds(void);

void progress_init(Progress *p, long first, long total, bool quiet);

/* Reports that `step` steps are done; the printf-style tail (e.g. the
 * current losses) is appended to the line. */
void progress_update(Progress *p, long step, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Ends the line on a terminal; call before printing anything else. */
void progress_end(Progress *p);

double progress_seconds(const Progress *p);

#endif
