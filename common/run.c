#include "run.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include "error.h"
#include "files.h"
#include "mat.h"
#include "parallel.h"
#include "progress.h"

/* Two runs into one folder would overwrite each other's logs and
 * checkpoints, and interleave nonsense, so a run holds an exclusive
 * lock on <out>/.lock from its start to its end. flock's lock belongs
 * to the open file, which the kernel closes when the process ends,
 * however it ends: a lock file left by a run that died blocks nothing.
 * The holder writes its process id into the file, for the message. */
static void lock_output(const Run *run)
{
    char *path = run_path(run, RUN_LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        Error err;
        error_set(&err, "cannot create the lock file %s: %s", path,
                  strerror(errno));
        free(path); /* freed before exit, for the leak checker */
        fatal("%s", err.msg);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        char pid[32];
        int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || write(fd, pid, (size_t)n) != n)
            warn("cannot write %s: %s", path, strerror(errno));
    } else if (errno == EWOULDBLOCK) {
        free(path); /* before exit, for the leak checker */
        char holder[32] = "";
        ssize_t got = pread(fd, holder, sizeof holder - 1, 0);
        long pid = got > 0 ? strtol(holder, NULL, 10) : 0;
        if (pid > 0)
            fatal("another run (process %ld) is using the output folder "
                  "%s; wait for it to end, or give this run another "
                  "--out", pid, run->out);
        fatal("another run is using the output folder %s; wait for it "
              "to end, or give this run another --out", run->out);
    } else {
        /* a file system without locks: run, unguarded */
        warn("cannot lock %s (%s), so another run into %s would not be "
             "noticed", path, strerror(errno), run->out);
        close(fd);
    }
    /* fd stays open, and the lock held, until the process exits */
    free(path);
}

/* The pid in a temporary's name "<name>.<pid>.tmp" (files.h), or 0. */
static long temp_owner(const char *name)
{
    size_t n = strlen(name);
    const char *suffix = ".tmp";
    if (n < 6 || strcmp(name + n - 4, suffix) != 0)
        return 0;
    const char *end = name + n - 4, *start = end;
    while (start > name && start[-1] >= '0' && start[-1] <= '9')
        start--;
    if (start == end || start == name || start[-1] != '.')
        return 0;
    return strtol(start, NULL, 10);
}

/* A run killed outright (kill -9, a power cut) leaves its temporaries;
 * nothing reads them, but each is as big as the file it was becoming.
 * The lock is ours, so no other run writes here: the temporaries of
 * processes that no longer exist are removed. (Another process, such
 * as `make plots`, may be writing its own: a live owner's stay.) */
static void remove_dead_temps(const Run *run)
{
    DIR *d = opendir(run->out);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        long pid = temp_owner(e->d_name);
        if (pid <= 0 || pid == (long)getpid() ||
            kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char *path = run_path(run, e->d_name);
        remove(path);
        free(path);
    }
    closedir(d);
}

void run_start(Run *run)
{
    Error err;
    run->t_start = clock_seconds();
    if (make_dirs(run->out, &err) < 0)
        fatal("%s", err.msg);
    lock_output(run);
    remove_dead_temps(run);
    blas_set_threads(run->threads);
    parallel_set_threads(run->threads);
    if (!run->quiet)
        printf("%s: seed %llu, data %s, output %s, %d thread%s\n",
               run->name, (unsigned long long)run->seed,
               run->data ? run->data : "(built in)", run->out,
               run->threads, run->threads == 1 ? "" : "s");
}

void run_start_follower(Run *run)
{
    run->t_start = clock_seconds();
    blas_set_threads(run->threads);
    parallel_set_threads(run->threads);
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
    /* scripts and the book read it: a run that cannot keep it fails */
    AtomicFile af;
    Error err;
    if (atomic_open(&af, path, &err) < 0)
        fatal("%s", err.msg);
    fprintf(af.f, "%s\n", line);
    if (atomic_commit(&af, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

double run_peak_rss_mb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0.0;
    return (double)ru.ru_maxrss / 1024.0; /* Linux reports KiB */
}
