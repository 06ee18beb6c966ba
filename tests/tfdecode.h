/* tfdecode.h - the tests' independent reader of TensorBoard event
 * files: tests/tfevents/decode.py, run by Debian's python3 with the
 * classes protoc makes from tests/tfevents/event.proto and
 * summary.proto (packages protobuf-compiler and python3-protobuf,
 * which `make deps` installs). */
#ifndef TESTS_TFDECODE_H
#define TESTS_TFDECODE_H

#include <stdbool.h>

/* True when protoc and Debian's python3 with google.protobuf are
 * installed; otherwise prints, once, that the tests reading event files
 * are skipped and why. */
bool tfdecode_available(void);

/* The paths of the event files in folder dir, sorted by name (the
 * order TensorBoard reads them in), separated by spaces (free it);
 * *count gets how many. */
char *events_files(const char *dir, int *count);

/* Runs the decoder, `args` (e.g. "--csv DIR/log.csv") before the event
 * files of folder `out`, its protoc output in scratch/pb. Returns the
 * line it printed (free it): "events: key=value ..." when every check
 * passed, "error: ..." when one failed; NULL when it printed nothing. */
char *tfdecode(const char *scratch, const char *out, const char *args);

/* For a GAN chapter's run in folder out, `files` event files: asserts
 * that they decode to exactly its log.csv's numbers (`rows` rows), and
 * `images` images tagged "samples" of a square grid of `grid_cols` x
 * `grid_cols` 28 x 28 images, as png_write_grid draws it. Returns the
 * decoder's line for further checks (free it), or NULL (when the
 * decoder is missing, having checked nothing). */
char *assert_events_match_log(const char *scratch, const char *out,
                              int files, int rows, int images,
                              int grid_cols);

#endif
