/* fuzzfile.h - what every fuzz target needs: the fuzzer's bytes as a
 * file that the real parser opens by name, a scratch folder for what
 * the parser writes, and a check that stops the fuzzer when a
 * property fails.
 *
 * The parsers under test read files by path (gzopen, fopen), as the
 * programs do, so the targets feed them from memory through a memfd:
 * a file with no name on any disk, opened again as /proc/self/fd/N.
 * Nothing in the parsers is changed for fuzzing.
 */
#ifndef TESTS_FUZZ_FUZZFILE_H
#define TESTS_FUZZ_FUZZFILE_H

#include <stddef.h>
#include <stdint.h>

/* Replaces the contents of memory file `slot` (0 to FUZZ_FILES - 1)
 * with data[0..size) and returns a path that opens them. */
#define FUZZ_FILES 4
const char *fuzz_file(int slot, const uint8_t *data, size_t size);

/* A folder made once per process (under /dev/shm when it exists),
 * removed with everything in it at exit. */
const char *fuzz_scratch(void);

/* "<scratch>/<name>" in a static buffer, valid until the next call. */
const char *fuzz_scratch_path(const char *name);

/* Removes everything inside the scratch folder. */
void fuzz_scratch_clear(void);

/* When cond is false: prints what failed and aborts, which libFuzzer
 * reports as a crash and saves the input. */
#define FUZZ_CHECK(cond, ...)                                            \
    do {                                                                 \
        if (!(cond))                                                     \
            fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);           \
    } while (0)
_Noreturn void fuzz_fail(const char *file, int line, const char *cond,
                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
