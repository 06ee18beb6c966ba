#include "csvlog.h"

#include <stdio.h>

int csv_open(CsvLog *log, const char *path, const char *header,
             Error *err)
{
    if (atomic_open(&log->file, path, err) < 0)
        return -1;
    log->ncols = 1;
    for (const char *c = header; *c; c++)
        log->ncols += *c == ',';
    fprintf(log->file.f, "%s\n", header);
    return 0;
}

void csv_row(CsvLog *log, const double *values)
{
    for (int i = 0; i < log->ncols; i++)
        fprintf(log->file.f, i ? ",%.6g" : "%.6g", values[i]);
    fputc('\n', log->file.f);
    fflush(log->file.f);
}

void csv_break(CsvLog *log) { fputc('\n', log->file.f); }

int csv_close(CsvLog *log, Error *err)
{
    return atomic_commit(&log->file, err);
}

void csv_abort(CsvLog *log) { atomic_abort(&log->file); }
