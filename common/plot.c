#include "plot.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "files.h"

#ifndef PROJECT_DIR
#define PROJECT_DIR "."
#endif

extern char **environ;

const char *plot_dir(void)
{
    const char *env = getenv(PLOT_DIR_ENV);
    return env && *env ? env : PROJECT_DIR "/plots";
}

/* Appends s to buf as a gnuplot single-quoted string, in which a
 * quote is written twice. */
static void append_quoted(char *buf, size_t cap, size_t *len,
                          const char *s)
{
    if (*len < cap)
        buf[(*len)++] = '\'';
    for (; *s && *len + 2 < cap; s++) {
        if (*s == '\'')
            buf[(*len)++] = '\'';
        buf[(*len)++] = *s;
    }
    if (*len < cap)
        buf[(*len)++] = '\'';
    buf[*len < cap ? *len : cap - 1] = '\0';
}

int plot_render(const char *name, const char *dir, bool quiet,
                Error *err)
{
    char script[4096], png[4096], tmp[4096 + 8], assign[3 * 4096];
    snprintf(script, sizeof script, "%s/%s.gp", plot_dir(), name);
    snprintf(png, sizeof png, "%s/%s.png", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", png);
    if (!file_exists(script))
        return error_set(err, "plot script %s not found", script);

    size_t len = 0;
    len += (size_t)snprintf(assign, sizeof assign, "dir=");
    append_quoted(assign, sizeof assign, &len, dir);
    len += (size_t)snprintf(assign + len, sizeof assign - len, "; out=");
    append_quoted(assign, sizeof assign, &len, tmp);

    char *argv[] = {"gnuplot", "-e", assign, script, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
    if (rc == ENOENT) {
        printf("note: gnuplot not found, so %s was not drawn; install "
               "gnuplot-nox (make deps), then run `make plots`\n", png);
        return 0;
    }
    if (rc != 0)
        return error_set(err, "cannot run gnuplot: %s", strerror(rc));
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return error_set(err, "waiting for gnuplot: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        remove(tmp);
        return error_set(err, "gnuplot failed on %s (see its message "
                         "above)", script);
    }
    if (atomic_rename(tmp, png, err) < 0)
        return -1;
    if (!quiet)
        printf("figure: %s\n", png);
    return 0;
}
