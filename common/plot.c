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

/* True when the file ends with PNG's IEND chunk: gnuplot exits 0 even
 * when it could not write the whole figure (a full disk), so a
 * complete exit status is not a complete file. */
static bool png_complete(const char *path)
{
    static const unsigned char iend[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D',
                                         0xae, 0x42, 0x60, 0x82};
    unsigned char tail[sizeof iend];
    FILE *f = fopen(path, "rb");
    bool whole = f && fseek(f, -(long)sizeof tail, SEEK_END) == 0 &&
                 fread(tail, 1, sizeof tail, f) == sizeof tail &&
                 memcmp(tail, iend, sizeof iend) == 0;
    if (f)
        fclose(f);
    return whole;
}

int plot_render(const char *name, const char *dir, bool quiet,
                Error *err)
{
    char script[4096], png[4096], assign[3 * 4096];
    snprintf(script, sizeof script, "%s/%s.gp", plot_dir(), name);
    snprintf(png, sizeof png, "%s/%s.png", dir, name);
    if (!file_exists(script))
        return error_set(err, "plot script %s not found", script);
    /* gnuplot writes this process's temporary, never another's */
    char *tmp = atomic_tmp_path(png, NULL);

    size_t len = 0;
    len += (size_t)snprintf(assign, sizeof assign, "dir=");
    append_quoted(assign, sizeof assign, &len, dir);
    len += (size_t)snprintf(assign + len, sizeof assign - len, "; out=");
    append_quoted(assign, sizeof assign, &len, tmp);

    char *argv[] = {"gnuplot", "-e", assign, script, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
    int status;
    if (rc == ENOENT) {
        printf("note: gnuplot not found, so %s was not drawn; install "
               "gnuplot-nox (make deps), then run `make plots`\n", png);
        rc = 0;
    } else if (rc != 0) {
        rc = error_set(err, "cannot run gnuplot: %s", strerror(rc));
    } else if (waitpid(pid, &status, 0) < 0) {
        rc = error_set(err, "waiting for gnuplot: %s", strerror(errno));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        remove(tmp);
        rc = error_set(err, "gnuplot failed on %s (see its message "
                       "above)", script);
    } else if (!png_complete(tmp)) {
        remove(tmp);
        rc = error_set(err, "cannot write %s: gnuplot could not write "
                       "all of it (is the disk full?)", png);
    } else if (atomic_rename(tmp, png, err) < 0) {
        rc = -1;
    } else if (!quiet) {
        printf("figure: %s\n", png);
    }
    free(tmp);
    return rc;
}
