/* listing.h - code listings pulled from the sources by named markers.
 *
 * In a source file a region is marked by two comment lines:
 *     // listing: NAME
 *     ...
 *     // end-listing: NAME
 * In the book a line of its own asks for it:
 *     {{listing chapters/01-neuron/neuron.c NAME}}
 * and the weave tool puts the region's lines there, dedented, without
 * any marker lines. A placeholder whose region is missing, and a region
 * that no chapter shows, are both errors: the book cannot drift from
 * the code without a test failing.
 */
#ifndef BOOK_LISTING_H
#define BOOK_LISTING_H

#include "error.h"

#define LISTING_PATH_MAX 256
#define LISTING_NAME_MAX 64

typedef struct {
    char path[LISTING_PATH_MAX]; /* relative to the project's root */
    char name[LISTING_NAME_MAX];
    int line;                    /* where the placeholder stands */
} ListingRef;

/* The region `name` of the file at root/path: its text (free it) and
 * the line number of its first line. NULL with err set when the file,
 * the region, or its end marker is missing. */
char *listing_extract(const char *root, const char *path, const char *name,
                      int *first_line, Error *err);

/* Parses one markdown line; returns 1 and fills ref when it is a
 * placeholder, 0 when it is not, -1 with err when it is malformed. */
int listing_parse_ref(const char *line, ListingRef *ref, Error *err);

/* The names of every region in a file, in order (free each and the
 * array); returns their count, or -1 with err when a region is not
 * closed or a name is repeated. */
int listing_regions(const char *path, char ***names, Error *err);

#endif
