/* run.h - what every chapter program does at its start and its end.
 *
 * run_start makes the output folder, locks it for this run (a second
 * live run into the same folder stops with one clear message before it
 * trains: the lock file is <out>/.lock), removes the temporaries that
 * runs killed outright left there (files.h), sets the thread count and
 * prints the opening line naming seed, data and output folder. run_result
 * prints the closing summary, the last line on stdout:
 *     result: test_accuracy=0.8873 epochs=10 seconds=41.2
 * and keeps a copy of it in <out>/result.txt, for scripts and the book
 * (a result.txt that cannot be written is a failure: exit 1).
 */
#ifndef COMMON_RUN_H
#define COMMON_RUN_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const char *name; /* "01-neuron" */
    uint64_t seed;
    const char *out;  /* output folder */
    const char *data; /* data folder, or NULL when none is read */
    int threads;
    bool quiet;
    const char *result_file; /* where run_result keeps its line: NULL
                                for result.txt, "" for nowhere */
    double t_start;   /* monotonic seconds at run_start */
} Run;

#define RUN_LOCK_FILE ".lock"

/* Exits with a clear message when the output folder cannot be made or
 * another live run holds its lock. Once per process: the lock is held
 * until the process exits. */
void run_start(Run *run);

/* The start of a process that helps another's run (chapter 15's ranks
 * other than 0): the clock and the thread count, but no folder, lock
 * or opening line, which are the run's own. */
void run_start_follower(Run *run);

/* Seconds since run_start. */
double run_seconds(const Run *run);

/* Prints "result: <fields> seconds=<s>" and writes it to result.txt
 * (or run->result_file); fields are printf-formatted key=value pairs. */
void run_result(const Run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The most memory the process has held resident so far, in MiB. */
double run_peak_rss_mb(void);

/* "<out>/<name>" in a new string. */
char *run_path(const Run *run, const char *name);

#endif
