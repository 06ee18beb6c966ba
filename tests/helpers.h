/* helpers.h - what many tests need: scratch folders, files with chosen
 * bytes, running a chapter program, and gradient checks. */
#ifndef TESTS_HELPERS_H
#define TESTS_HELPERS_H

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "param.h"
#include "rng.h"

/* A new empty folder under $TMPDIR (or /tmp); remove it with
 * remove_tree. */
char *scratch_dir(void);
void remove_tree(const char *dir);

/* A suite's scratch folder: `dir`, made by the suite's setup and removed
 * with everything in it by its teardown (give both to CU_add_suite). */
#define SCRATCH_FIXTURE                                                  \
    static char *dir;                                                    \
    static int setup(void)                                               \
    {                                                                    \
        dir = scratch_dir();                                             \
        return 0;                                                        \
    }                                                                    \
    static int teardown(void)                                            \
    {                                                                    \
        remove_tree(dir);                                                \
        free(dir);                                                       \
        return 0;                                                        \
    }

/* "<dir>/<name>" (free it). */
char *scratch_path(const char *dir, const char *name);

void write_bytes(const char *path, const void *data, size_t n);
void write_gzip(const char *path, const void *data, size_t n);

/* Writes the first `train` training and `test` test images and labels
 * of a loaded dataset as the four plain IDX files into the folder dir
 * (made if missing): a small copy that a program under test loads in
 * milliseconds. */
void write_dataset_subset(const Dataset *ds, const char *dir, int train,
                          int test);

/* The whole file as a NUL-terminated string (free it); NULL if it
 * cannot be read. *size gets its length when size is not NULL. */
char *read_all(const char *path, size_t *size);

/* Runs a shell command; returns its exit status (or -1). */
int run_shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when the two files exist and hold the same bytes. */
bool same_file(const char *a, const char *b);

/* read_all and same_file on names inside the folder dir. */
char *scratch_read(const char *dir, const char *name);
bool scratch_same(const char *dir, const char *a, const char *b);

/* Relative error of two vectors: |a - b| / max(|a|, |b|), 0 if both
 * are zero. */
double rel_error(const float *a, const float *b, size_t n);

/* How far an image computed alone may be from the same image computed
 * in a batch (rel_error). Not 0: OpenBLAS multiplies the rows at the
 * edge of a product with another tile kernel, which sums in another
 * order, so one row of a product can round differently when the
 * product has 1 row and when it has 50 (seen with the Haswell,
 * SkylakeX and Prescott kernels of OpenBLAS 0.3.21). Far below what
 * a batch's own statistics change (1e-2 and more). */
#define BATCH_ROUNDING 1e-5

/* Central differences: for each x[i], (f(x + h) - f(x - h)) / 2h, with
 * f evaluated in the caller's context; x is restored after.
 *   x, numeric: (n) */
void numeric_gradient(float *x, size_t n, double (*f)(void *), void *ctx,
                      float h, float *numeric);

/* The derivative of loss along a random direction v of all of the
 * params' values at once, <grad, v> from the params' grads, against
 * central differences (at h and 2h, combined to cancel their h^2
 * error): one number
 * for a whole network, which sums the gradients of all its weights and
 * so stands far above the float rounding of a loss of about 1, where a
 * difference per weight of size 0.02 does not. Returns the relative
 * error (and prints both with FD_DEBUG set). */
double directional_gradient_error(Param *params, int n,
                                  double (*loss)(void *), void *ctx,
                                  Rng *rng, float h);

/* True when haystack contains needle; for checking error messages. */
bool contains(const char *haystack, const char *needle);

/* The book quotes each chapter's runs. Compares line number `which`
 * (0 for the first) of the lines starting "result: " in the chapter's
 * Markdown (path relative to the project) with the `actual` result
 * line: every key the book shows
 * must be in actual, equal within the tolerance given for that key in
 * `tolerances` ("key=tol key2=tol2"; keys not listed must match
 * exactly). "seconds" is never compared. Reports each mismatch on
 * stderr; returns true when all match. */
bool book_result_matches(const char *chapter_md, int which,
                         const char *actual, const char *tolerances);

/* Heap allocations (malloc, calloc, realloc) the project's code in the
 * runner has made so far; the difference across a call is what that
 * call allocated. -1 under AddressSanitizer, which owns malloc. */
long allocations(void);

/* The number after " key=" (or a leading "key=") in a result line,
 * NAN when the line has no such key. */
double result_number(const char *line, const char *key);

/* Means of columns first .. first + n - 1 (0 is the first column) over
 * the last `rows` rows of a CSV log with a header row, into means (n).
 * Returns false when the file cannot be read or has fewer rows. */
bool csv_tail_means(const char *path, int first, int n, int rows,
                    double *means);

/* For the GAN chapters, whose log.csv is
 *   step,epoch,loss_d,loss_g,d_real,d_fake
 * checks the result.txt of the run in folder out: `epochs` complete
 * epochs; loss_d and loss_g above 0, d_real and d_fake inside (0, 1),
 * each the mean of the log's last `mean_rows` rows; and mean_steps=N
 * saying so, unless they are one whole epoch's (whole_epoch), when the
 * line has no mean_steps. */
void assert_gan_result_means(const char *out, int epochs, int mean_rows,
                             bool whole_epoch);

/* ---- a chapter program under test, in a scratch folder dir ---- */

/* Writes the first `train` training and `test` test images of the
 * default dataset into dir/data (nothing when it is not installed: the
 * runs that need it then fail their assertions). */
void write_default_subset(const char *dir, int train, int test);

/* Runs `prog --data dir/data --threads 1 --quiet args`, stdout and
 * stderr into dir/<tag>.out; returns the exit status. */
int run_program(const char *prog, const char *dir, const char *tag,
                const char *args);

/* What that run printed (free it), or NULL. */
char *program_output(const char *dir, const char *tag);

/* Asserts that the run exits with status 1 and prints `message`. */
void expect_program_failure(const char *prog, const char *dir,
                            const char *tag, const char *args,
                            const char *message);

/* A GAN chapter's training run, as tests of chapters 8 and 12 hold it:
 * Ctrl-C in a long run on dir/data (batch 32) exits 130, prints the
 * resume command (which must contain `resume_says`), and resumes. */
void check_sigint_resumes(const char *prog, const char *dir,
                          const char *resume_says);

/* Ctrl-C at several steps of one run, each drawn with `seed`: a run of
 * `args` (on dir/data, into dir/<out>) is interrupted once its log
 * holds a chosen step, resumed, interrupted again later, and so on to
 * its end; its log.csv and checkpoint.ckpt must then equal, byte for
 * byte, those of the same run never stopped (dir/<reference>, which
 * the caller has run). `steps` is the run's length; the steps chosen
 * stay `margin` short of it, so that the interrupt lands before the
 * run ends. Returns how many interrupts landed. */
int check_sigint_chain(const char *prog, const char *dir, const char *args,
                       const char *reference, const char *out, long steps,
                       long margin, uint64_t seed);

/* How a process ended: its exit status, or 128 + the signal that
 * killed it (as a shell reports it). */
int exit_code(int wait_status);

/* run_program under a file size limit (RLIMIT_FSIZE, bytes): a write
 * past it fails with EFBIG, as on a full disk, when SIGXFSZ is ignored
 * (ignore_signal); otherwise the kernel kills the program with SIGXFSZ
 * at that byte, as exactly as a kill -9 there would. Returns
 * exit_code's answer. */
int run_program_limited(const char *prog, const char *dir, const char *tag,
                        const char *args, long max_file_bytes,
                        bool ignore_signal);

/* A NaN planted in the checkpoint's tensor `tensor` after 2 steps stops
 * the resumed run at step 3 with `message` (exit 1) and leaves the
 * checkpoint byte for byte as it was. */
void check_nan_stops(const char *prog, const char *dir, const char *tensor,
                     const char *message);

/* scratch_same, saying which files differ when they do. */
bool same_or_say(const char *dir, const char *a, const char *b);

#define ASSERT_CONTAINS(haystack, needle)                                 \
    CU_ASSERT_TRUE_FATAL(contains((haystack), (needle)))

#endif
