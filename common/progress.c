#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_REDRAW_SECONDS 0.1
#define PROGRESS_PLAIN_LINES 10

double clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_init(Progress *p, long first, long total, bool quiet)
{
    p->total = total;
    p->first = first;
    p->t_start = clock_seconds();
    p->t_last_draw = 0.0;
    p->tty = isatty(STDOUT_FILENO);
    p->quiet = quiet;
    p->drawn = false;
    p->next_plain = first + (total - first) / PROGRESS_PLAIN_LINES;
}

static void format_eta(char *buf, size_t n, double seconds)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

void progress_update(Progress *p, long step, const char *fmt, ...)
{
    if (p->quiet)
        return;
    double now = clock_seconds();
    bool last = step >= p->total;
    if (p->tty) {
        if (!last && now - p->t_last_draw < PROGRESS_REDRAW_SECONDS)
            return;
    } else {
        if (!last && step < p->next_plain)
            return;
        long stride = (p->total - p->first) / PROGRESS_PLAIN_LINES;
        p->next_plain = step + (stride > 0 ? stride : 1);
    }
    p->t_last_draw = now;
    double elapsed = now - p->t_start;
    double rate = elapsed > 0 ? (double)(step - p->first) / elapsed : 0;
    char eta[32];
    format_eta(eta, sizeof eta,
               rate > 0 ? (double)(p->total - step) / rate : 0.0);
    printf("%sstep %ld/%ld %3d%%  %.0f steps/s  ETA %s  ",
           p->tty ? "\r\033[K" : "", step, p->total,
           p->total ? (int)(100 * step / p->total) : 100, rate, eta);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (!p->tty)
        putchar('\n');
    fflush(stdout);
    p->drawn = true;
}

void progress_end(Progress *p)
{
    if (p->tty && p->drawn && !p->quiet) {
        putchar('\n');
        fflush(stdout);
    }
    p->drawn = false;
}

double progress_seconds(const Progress *p)
{
    return clock_seconds() - p->t_start;
}
