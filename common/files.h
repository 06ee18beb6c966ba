/* files.h - writing files so that nothing is ever half-written.
 *
 * Every output (log, figure, checkpoint) is written to a temporary
 * file beside it and renamed into place only when complete, so an
 * interrupted run leaves either the old file or the new one, never a
 * torn one. The temporary's name holds the process id,
 * "<path>.<pid>.tmp", so that two processes writing the same file (two
 * runs into one folder, a run and `make plots`) never write into each
 * other's temporary: the last rename wins, and each file is whole.
 * A temporary still open when the program exits (fatal() after an
 * error) is removed; only a process killed outright leaves one.
 */
#ifndef COMMON_FILES_H
#define COMMON_FILES_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

typedef struct {
    FILE *f;        /* write here */
    char *path;     /* final name */
    char *tmp_path; /* "<path>.<pid>.tmp", renamed to path by
                       atomic_commit */
    int write_errno; /* of the first atomic_write that failed, 0 if
                        none: the cause, kept before later calls can
                        overwrite errno */
} AtomicFile;

/* This process's temporary name for path, in a new string (free it):
 * "<path>.<pid>.tmp", or "<path>.<tag>.<pid>.tmp" when tag is not NULL
 * (for a second temporary of the same file at once). */
char *atomic_tmp_path(const char *path, const char *tag);

/* Opens atomic_tmp_path(path, NULL) for writing. */
int atomic_open(AtomicFile *af, const char *path, Error *err);

/* The same with atomic_tmp_path(path, tag). */
int atomic_open_tagged(AtomicFile *af, const char *path, const char *tag,
                       Error *err);

/* fwrite to the temporary, keeping the cause of the first failure
 * (a full disk: ENOSPC; a file size limit: EFBIG) for atomic_commit's
 * message. Writing with fprintf on af->f directly is fine too: then
 * the cause is what the closing flush reports. */
void atomic_write(AtomicFile *af, const void *data, size_t n);

/* Checks every write succeeded, closes and renames into place. On
 * failure (a short write anywhere, or the closing flush) the temporary
 * file is removed, nothing is renamed, and err says "cannot write
 * <path>: <cause>". */
int atomic_commit(AtomicFile *af, Error *err);

/* Closes and removes the temporary file; the old file (if any) stays. */
void atomic_abort(AtomicFile *af);

/* Renames an already written temporary file into place. */
int atomic_rename(const char *tmp_path, const char *path, Error *err);

/* Creates a directory and its parents, like `mkdir -p`. */
int make_dirs(const char *path, Error *err);

/* Returns "<dir>/<name>" in a new string (free it). */
char *path_join(const char *dir, const char *name);

bool file_exists(const char *path);

#endif
