#define _GNU_SOURCE /* memfd_create */
#include "fuzzfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int fds[FUZZ_FILES] = {-1, -1, -1, -1};
static char paths[FUZZ_FILES][64];

const char *fuzz_file(int slot, const uint8_t *data, size_t size)
{
    if (fds[slot] < 0) {
        fds[slot] = memfd_create("fuzz-input", 0);
        if (fds[slot] < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(paths[slot], sizeof paths[slot], "/proc/self/fd/%d",
                 fds[slot]);
    }
    if (ftruncate(fds[slot], 0) != 0 ||
        (size && pwrite(fds[slot], data, size, 0) != (ssize_t)size)) {
        perror("writing the fuzz input");
        abort();
    }
    return paths[slot];
}

static char scratch[256];

static void remove_scratch(void)
{
    fuzz_scratch_clear();
    rmdir(scratch);
}

const char *fuzz_scratch(void)
{
    if (!scratch[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm"
                           : getenv("TMPDIR")             ? getenv("TMPDIR")
                                                          : "/tmp";
        snprintf(scratch, sizeof scratch, "%s/gan-fuzz.XXXXXX", base);
        if (!mkdtemp(scratch)) {
            perror("mkdtemp");
            abort();
        }
        atexit(remove_scratch);
    }
    return scratch;
}

const char *fuzz_scratch_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_scratch(), name);
    return path;
}

void fuzz_scratch_clear(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'/* '%s'/.[!.]*", scratch,
             scratch);
    if (scratch[0] && system(cmd) != 0)
        fprintf(stderr, "fuzz: could not clear %s\n", scratch);
}

void fuzz_fail(const char *file, int line, const char *cond,
               const char *fmt, ...)
{
    fprintf(stderr, "%s:%d: property failed: %s: ", file, line, cond);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
