/* tfevents.h - TensorBoard event files, written by hand: what a run
 * logs, in the format `tensorboard --logdir out` reads.
 *
 * An event file is a TFRecord file: a sequence of records, each
 *     u64  length of the data, little-endian
 *     u32  masked CRC32C of those 8 bytes
 *     data a serialised Event protocol buffer
 *     u32  masked CRC32C of the data
 * where CRC32C is the Castagnoli CRC and the mask turns a CRC into
 * ((crc >> 15) | (crc << 17)) + 0xa282ead8. Of the protocol buffers,
 * only the few fields written here are encoded (tensorboard's
 * event.proto and summary.proto give their numbers):
 *     Event       wall_time 1 (double), step 2 (int64), file_version 3
 *                 (string), summary 5, session_log 7
 *     SessionLog  status 1 (enum; START = 1)
 *     Summary     value 1 (repeated)
 *     Value       tag 1 (string), simple_value 2 (float), image 4
 *     Image       height 1, width 2, colorspace 3, encoded_image_string 4
 *
 * A file is <dir>/events.out.tfevents.<unix seconds>.<hostname>. It
 * starts with the file_version "brain.Event:2" and a SessionLog START
 * at the first step the run will log.
 *
 * This is the one output that is appended in place rather than written
 * to a temporary and renamed: TensorBoard reads the file while it
 * grows, which a rename would hide from it, and the format is made for
 * it. Every record carries its length and CRCs, so a reader stops at a
 * record that an interrupted run left half-written and loses nothing
 * before it. Records are buffered and flushed when the caller says
 * (at the end of every epoch) and at close.
 *
 * Each run writes a file of its own, a resumed run too: never two
 * processes into one file. A resumed run's START, at the first step it
 * logs, tells TensorBoard to drop whatever the earlier file holds from
 * that step on (steps logged after the checkpoint it resumes from), as
 * csv_resume drops those rows of log.csv. A new run into a folder that
 * holds an earlier run's files starts at step 1, so the same rule hides
 * all of the earlier run.
 *
 * The file holds the wall-clock time of every event, so two runs never
 * give the same bytes; nothing else the run writes depends on it.
 */
#ifndef COMMON_TFEVENTS_H
#define COMMON_TFEVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

#define TFEVENTS_PREFIX "events.out.tfevents."
#define TFEVENTS_FILE_VERSION "brain.Event:2"
#define TFEVENTS_GRAYSCALE 1 /* Image.colorspace of one channel */

/* Bytes of one protocol buffer message under construction. */
typedef struct {
    uint8_t *bytes;
    size_t size, cap;
} TfBuf;

enum { TFEVENTS_DEPTH = 4 }; /* Event > Summary > Value > Image */

typedef struct {
    FILE *f;       /* NULL: never opened (events off) or closed; every
                      call below then does nothing */
    char *path;
    int write_errno; /* of the first write that failed, 0 if none */
    TfBuf msg[TFEVENTS_DEPTH]; /* reused for every event */
} TfEvents;

/* CRC32C (Castagnoli, reflected polynomial 0x82f63b78) of n bytes. */
uint32_t crc32c(const void *data, size_t n);

/* The masked CRC32C a TFRecord stores. */
uint32_t tfrecord_masked_crc(const void *data, size_t n);

/* Creates a new event file in dir and writes its first two records:
 * the file version, and a SessionLog START at step first_step. The
 * name takes the current second, or the first later one whose name is
 * free (a run resumed within the second of the last), so that the
 * names sort in the order the files were made. */
int tfevents_open(TfEvents *ev, const char *dir, long first_step,
                  Error *err);

/* One event at `step` holding n scalars: tags[i] = values[i]. The
 * values are stored as floats (simple_value). */
void tfevents_scalars(TfEvents *ev, long step, int n,
                      const char *const *tags, const double *values);

/* One event at `step` holding an image: PNG bytes of width x height
 * pixels with `channels` channels (1 grey, 3 RGB, 4 RGBA). */
void tfevents_image(TfEvents *ev, long step, const char *tag,
                    const uint8_t *png, size_t size, int width,
                    int height, int channels);

/* The same as image.h's png_write_grid draws it: n images of (h, w)
 * floats, `cols` tiles per row, lo..hi mapped to black..white. */
int tfevents_grid(TfEvents *ev, long step, const char *tag,
                  const float *images, int n, int h, int w, int cols,
                  float lo, float hi, Error *err);

/* Hands the buffered records to the file; fails, naming the file, if
 * any write so far has failed. */
int tfevents_flush(TfEvents *ev, Error *err);

/* Flushes and closes; the struct is then as if never opened. */
int tfevents_close(TfEvents *ev, Error *err);

/* For a program, whose only answer to an output it cannot write is to
 * stop (error.h's fatal): tfevents_open unless `off` (--no-events),
 * and tfevents_grid, tfevents_flush and tfevents_close. */
void tfevents_open_or_exit(TfEvents *ev, const char *dir, long first_step,
                           bool off);
void tfevents_grid_or_exit(TfEvents *ev, long step, const char *tag,
                           const float *images, int n, int h, int w,
                           int cols, float lo, float hi);
void tfevents_flush_or_exit(TfEvents *ev);
void tfevents_close_or_exit(TfEvents *ev);

#endif
