/* fuzz_cli.c - the option parser (common/cli.c) with every chapter's
 * own table of options, on any command line.
 *
 * The first byte chooses the chapter; the rest, split at NUL bytes,
 * is its argv after the program name. The chapter's real main() runs
 * up to its cli_parse, so the table under test is the one it ships:
 * the link wraps cli_parse, whose return ends the run (the options
 * parsed), and exit, which the parser calls for --help and for usage
 * errors. What the parser prints is caught in memory.
 *
 * Properties: the parser either returns, or exits 0 after printing the
 * usage (--help), or exits 2 after one line naming the program and
 * then the usage; never any other status, never a crash.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzzfile.h"

#define FUZZ_MAIN(fn, name) int fn(int argc, char **argv);
#include "fuzzmains.inc"
#undef FUZZ_MAIN

typedef struct {
    int (*main)(int, char **);
    const char *name;
} Chapter;

#define FUZZ_MAIN(fn, name) {fn, name},
static const Chapter chapters[] = {
#include "fuzzmains.inc"
};
#undef FUZZ_MAIN
#define NCHAPTERS (int)(sizeof chapters / sizeof chapters[0])

#define MAX_ARGS 64

static jmp_buf back;
static bool active;

void __real_cli_parse(int argc, char **argv, const char *prog,
                      const char *summary, const CliOption *options,
                      int n);
void __wrap_cli_parse(int argc, char **argv, const char *prog,
                      const char *summary, const CliOption *options,
                      int n);
_Noreturn void __real_exit(int status);
_Noreturn void __wrap_exit(int status);

/* longjmp's value: 1 for a parse that returned, else 2 + status. */
void __wrap_cli_parse(int argc, char **argv, const char *prog,
                      const char *summary, const CliOption *options,
                      int n)
{
    __real_cli_parse(argc, argv, prog, summary, options, n);
    if (active)
        longjmp(back, 1);
}

void __wrap_exit(int status)
{
    if (active)
        longjmp(back, 2 + (status & 0xff));
    __real_exit(status);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const Chapter *ch = &chapters[data[0] % NCHAPTERS];
    /* the arguments: a copy, NUL-terminated, cut at each NUL */
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)ch->name;
    for (size_t i = 0; i < size - 1 && argc <= MAX_ARGS;) {
        argv[argc++] = text + i;
        i += strlen(text + i) + 1;
    }
    argv[argc] = NULL;

    char *out = NULL;
    size_t out_size = 0;
    FILE *mem = open_memstream(&out, &out_size);
    FILE *saved_out = stdout, *saved_err = stderr;
    stdout = stderr = mem;
    active = true;
    int how = setjmp(back);
    if (how == 0)
        ch->main(argc, argv);
    active = false;
    stdout = saved_out, stderr = saved_err;
    fclose(mem);

    FUZZ_CHECK(how != 0, "%s's main returned without parsing", ch->name);
    if (how == 2) {
        FUZZ_CHECK(strncmp(out, "usage: ", 7) == 0,
                   "exit 0 without the usage: %.200s", out);
    } else if (how == 2 + 2) {
        size_t n = strlen(ch->name);
        FUZZ_CHECK(strncmp(out, ch->name, n) == 0 && out[n] == ':' &&
                       strstr(out, "\nusage: ") != NULL,
                   "exit 2 without the program, a message and the "
                   "usage: %.200s", out);
    } else {
        FUZZ_CHECK(how == 1, "exit %d: %.300s", how - 2, out);
    }
    free(out);
    free(text);
    return 0;
}
