#include "csvlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    /* a run that cannot log has nothing to go on for: stop at the
     * first row that does not reach the disk, naming the log */
    if (fflush(log->file.f) != 0)
        fatal("cannot write %s: %s", log->file.path, strerror(errno));
}

void csv_break(CsvLog *log) { fputc('\n', log->file.f); }

int csv_close(CsvLog *log, Error *err)
{
    return atomic_commit(&log->file, err);
}

void csv_abort(CsvLog *log) { atomic_abort(&log->file); }

void csv_open_in(CsvLog *log, const char *dir, const char *name,
                 const char *header)
{
    char *path = path_join(dir, name);
    Error err;
    if (csv_open(log, path, header, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

void csv_close_or_exit(CsvLog *log)
{
    Error err;
    if (csv_close(log, &err) < 0)
        fatal("%s", err.msg);
}

#define CSV_LINE_MAX 4096

int csv_resume(CsvLog *log, const char *path, const char *header,
               double last, Error *err)
{
    FILE *old = fopen(path, "r");
    if (!old)
        return error_set(err, "cannot resume the log %s: it is missing",
                         path);
    char line[CSV_LINE_MAX];
    bool same_header = fgets(line, sizeof line, old) &&
                       strncmp(line, header, strlen(header)) == 0 &&
                       line[strlen(header)] == '\n';
    if (!same_header) {
        fclose(old);
        return error_set(err, "cannot resume the log %s: its header is "
                         "not \"%s\"", path, header);
    }
    if (csv_open(log, path, header, err) < 0) {
        fclose(old);
        return -1;
    }
    double kept = 0; /* the first column of the last row kept */
    while (fgets(line, sizeof line, old)) {
        char *end;
        double step = strtod(line, &end);
        /* a row cut short by a crash has no newline: drop it */
        if (end == line || !strchr(line, '\n') || step > last)
            break;
        fputs(line, log->file.f);
        kept = step;
    }
    fclose(old);
    fflush(log->file.f);
    if (kept < last) {
        csv_abort(log);
        return error_set(err, "cannot resume the log %s: it ends at %g, "
                         "before the checkpoint's %g, so its rows from "
                         "there on are lost", path, kept, last);
    }
    return 0;
}

int csv_publish(CsvLog *log, Error *err)
{
    /* a log whose rows did not all reach its temporary would publish
     * a torn copy */
    errno = 0;
    if (fflush(log->file.f) != 0 || ferror(log->file.f))
        return error_set(err, "cannot write %s: %s", log->file.path,
                         strerror(errno ? errno : EIO));
    FILE *in = fopen(log->file.tmp_path, "r");
    if (!in)
        return error_set(err, "cannot read back %s", log->file.tmp_path);
    /* the copy needs a temporary of its own: the log's stays open */
    AtomicFile out;
    int rc = atomic_open_tagged(&out, log->file.path, "publish", err);
    if (rc == 0) {
        char buf[1 << 16];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, in)) > 0)
            atomic_write(&out, buf, got);
        rc = atomic_commit(&out, err);
    }
    fclose(in);
    return rc;
}
