#include "run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "error.h"
#include "files.h"
#include "mat.h"
#include "parallel.h"
#include "progress.h"

void run_start(Run *run)
{
    Error err;
    run->t_start = clock_seconds();
    if (make_dirs(run->out, &err) < 0)
        fatal("%s", err.msg);
    blas_set_threads(run->threads);
    parallel_set_threads(run->threads);
    if (!run->quiet)
        printf("%s: seed %llu, data %s, output %s, %d thread%s\n",
               run->name, (unsigned long long)run->seed,
               run->data ? run->data : "(built in)", run->out,
               run->threads, run->threads == 1 ? "" : "s");
}

double run_seconds(const Run *run) { return clock_seconds() - run->t_start; }

char *run_path(const Run *run, const char *name)
{
    return path_join(run->out, name);
}

void run_result(const Run *run, const char *fmt, ...)
{
    char fields[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fields, sizeof fields, fmt, ap);
    va_end(ap);
    char line[1200];
    snprintf(line, sizeof line, "result: %s seconds=%.1f", fields,
             run_seconds(run));

    printf("%s\n", line);
    fflush(stdout);
    if (run->result_file && run->result_file[0] == '\0')
        return;
    char *path = run_path(run, run->result_file ? run->result_file
                                                : "result.txt");
    AtomicFile af;
    Error err;
    if (atomic_open(&af, path, &err) == 0) {
        fprintf(af.f, "%s\n", line);
        if (atomic_commit(&af, &err) < 0)
            warn("%s", err.msg);
    } else {
        warn("%s", err.msg);
    }
    free(path);
}

double run_peak_rss_mb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0.0;
    return (double)ru.ru_maxrss / 1024.0; /* Linux reports KiB */
}
