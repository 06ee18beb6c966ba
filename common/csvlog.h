/* csvlog.h - the run's log.csv: a header row, then one row per logged
 * point, first column `step` (or `epoch`).
 *
 * Rows are flushed as they are written, to a temporary beside path
 * (files.h); csv_close renames the finished log into place. Numbers are printed with %.6g,
 * so the same values always give the same bytes.
 */
#ifndef COMMON_CSVLOG_H
#define COMMON_CSVLOG_H

#include "error.h"
#include "files.h"

typedef struct {
    AtomicFile file;
    int ncols; /* from the header */
} CsvLog;

/* header: comma-separated column names, e.g. "step,loss,accuracy". */
int csv_open(CsvLog *log, const char *path, const char *header,
             Error *err);

/* Writes one row of log->ncols values and flushes it. A row that
 * cannot be written (a full disk) stops the program with one message
 * naming the log (error.h's fatal), and its temporary is removed. */
void csv_row(CsvLog *log, const double *values);

/* Writes an empty line: gnuplot reads blocks of rows separated by
 * one as the lines of a grid (for `splot` and `with image`). */
void csv_break(CsvLog *log);

int csv_close(CsvLog *log, Error *err);
void csv_abort(CsvLog *log);

/* For a program, whose only answer to an output it cannot write is to
 * stop: csv_open on dir/name and csv_close, exiting with the message
 * (error.h's fatal) when they fail. */
void csv_open_in(CsvLog *log, const char *dir, const char *name,
                 const char *header);
void csv_close_or_exit(CsvLog *log);

/* Continues the log of a run that is resumed from a checkpoint taken
 * after step `last`: the existing file at path must have the same
 * header; its rows whose first column is at most `last` are kept, the
 * rest (written after that checkpoint) are dropped. Then rows go on as
 * after csv_open, so a resumed run's log equals an uninterrupted one.
 * A log that ends before `last` (one row per step or epoch is what
 * every caller writes) is refused: its missing rows cannot be made
 * again. */
int csv_resume(CsvLog *log, const char *path, const char *header,
               double last, Error *err);

/* Makes the rows written so far visible at path (atomically), while the
 * log stays open: a long run publishes its log at every checkpoint,
 * before the checkpoint itself, so that a crash between the two leaves
 * the log ahead of the checkpoint (csv_resume cuts it back), never
 * behind. Fails, publishing nothing, if a row did not reach the
 * temporary. */
int csv_publish(CsvLog *log, Error *err);

#endif
