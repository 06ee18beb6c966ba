/* files.h - writing files so that nothing is ever half-written.
 *
 * Every output (log, figure, checkpoint) is written to "<path>.tmp"
 * and renamed into place only when complete, so an interrupted run
 * leaves either the old file or the new one, never a torn one.
 */
#ifndef COMMON_FILES_H
#define COMMON_FILES_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

typedef struct {
    FILE *f;        /* write here */
    char *path;     /* final name */
    char *tmp_path; /* "<path>.tmp", renamed to path by atomic_commit */
} AtomicFile;

/* Opens "<path>.tmp" for writing. */
int atomic_open(AtomicFile *af, const char *path, Error *err);

/* Checks every write succeeded, closes and renames into place. On
 * failure the temporary file is removed and nothing is renamed. */
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
