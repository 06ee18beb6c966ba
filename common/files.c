#include "files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *atomic_tmp_path(const char *path, const char *tag)
{
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    size_t n = strlen(path) + (tag ? strlen(tag) + 1 : 0) + strlen(pid) +
               sizeof "..tmp";
    char *tmp = xmalloc(n);
    snprintf(tmp, n, "%s%s%s.%s.tmp", path, tag ? "." : "", tag ? tag : "",
             pid);
    return tmp;
}

/* The temporaries of the files open now, with the process that opened
 * each. A program that stops on an error (fatal() exits) before it
 * commits them would leave "<name>.<pid>.tmp" files behind, one more
 * each time, since every process has its own names; they are removed
 * at exit instead. A child forked after the open does not own them. */
#define TRACKED_TEMPS 64
static struct {
    char *path;
    pid_t owner;
} open_temps[TRACKED_TEMPS];

static void remove_open_temps(void)
{
    for (int i = 0; i < TRACKED_TEMPS; i++)
        if (open_temps[i].path && open_temps[i].owner == getpid())
            remove(open_temps[i].path);
}

static void track_temp(char *tmp_path)
{
    static bool hooked;
    if (!hooked)
        hooked = atexit(remove_open_temps) == 0;
    for (int i = 0; i < TRACKED_TEMPS; i++)
        if (!open_temps[i].path) {
            open_temps[i].path = tmp_path;
            open_temps[i].owner = getpid();
            return;
        }
    /* more files open at once than tracked: this one is only left
     * behind if the program exits before committing it */
}

static void untrack_temp(const char *tmp_path)
{
    for (int i = 0; i < TRACKED_TEMPS; i++)
        if (open_temps[i].path == tmp_path)
            open_temps[i].path = NULL;
}

int atomic_open_tagged(AtomicFile *af, const char *path, const char *tag,
                       Error *err)
{
    af->path = xstrdup(path);
    af->tmp_path = atomic_tmp_path(path, tag);
    af->write_errno = 0;
    af->f = fopen(af->tmp_path, "wb");
    if (!af->f) {
        /* named by the file the reader asked for, not its temporary */
        int e = errno;
        error_set(err, "cannot write %s: %s", af->path, strerror(e));
        free(af->path);
        free(af->tmp_path);
        af->path = af->tmp_path = NULL;
        return -1;
    }
    track_temp(af->tmp_path);
    return 0;
}

int atomic_open(AtomicFile *af, const char *path, Error *err)
{
    return atomic_open_tagged(af, path, NULL, err);
}

static void atomic_release(AtomicFile *af)
{
    untrack_temp(af->tmp_path);
    free(af->path);
    free(af->tmp_path);
    af->path = af->tmp_path = NULL;
    af->f = NULL;
}

int atomic_rename(const char *tmp_path, const char *path, Error *err)
{
    if (rename(tmp_path, path) != 0) {
        int e = errno;
        remove(tmp_path);
        return error_set(err, "cannot rename %s to %s: %s", tmp_path,
                         path, strerror(e));
    }
    return 0;
}

void atomic_write(AtomicFile *af, const void *data, size_t n)
{
    if (fwrite(data, 1, n, af->f) != n && !af->write_errno)
        af->write_errno = errno ? errno : EIO;
}

int atomic_commit(AtomicFile *af, Error *err)
{
    /* After a failed write, glibc keeps the unwritten bytes and tries
     * them again at fclose, which then reports the same cause. */
    bool failed = ferror(af->f) != 0;
    int e = af->write_errno;
    errno = 0;
    if (fclose(af->f) != 0) {
        failed = true;
        if (!e)
            e = errno;
    }
    af->f = NULL;
    int rc = 0;
    if (failed) {
        remove(af->tmp_path);
        rc = error_set(err, "cannot write %s: %s", af->path,
                       strerror(e ? e : EIO));
    } else {
        rc = atomic_rename(af->tmp_path, af->path, err);
    }
    atomic_release(af);
    return rc;
}

void atomic_abort(AtomicFile *af)
{
    if (af->f)
        fclose(af->f);
    if (af->tmp_path)
        remove(af->tmp_path);
    atomic_release(af);
}

int make_dirs(const char *path, Error *err)
{
    if (path[0] == '\0')
        return error_set(err, "empty directory name");
    char *p = xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        bool end = *s == '\0';
        if (*s != '/' && !end)
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = error_set(err, "cannot create directory %s: %s", p,
                           strerror(errno));
            break;
        }
        if (end)
            break;
        *s = '/';
    }
    if (rc == 0) {
        struct stat st;
        if (stat(path, &st) != 0)
            rc = error_set(err, "cannot use directory %s: %s", path,
                           strerror(errno));
        else if (!S_ISDIR(st.st_mode))
            rc = error_set(err, "cannot use %s as a directory: it is a "
                           "file", path);
        else if (access(path, W_OK) != 0)
            rc = error_set(err, "cannot write into directory %s: %s",
                           path, strerror(errno));
    }
    free(p);
    return rc;
}

char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    bool slash = a > 0 && dir[a - 1] != '/';
    char *s = xmalloc(a + slash + b + 1);
    memcpy(s, dir, a);
    if (slash)
        s[a] = '/';
    memcpy(s + a + slash, name, b + 1);
    return s;
}

bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}
