/* cli.h - command-line options, the same for every chapter.
 *
 * A chapter lists its options in a table; cli_parse fills them in,
 * answers --help (usage on stdout, exit 0), and refuses an unknown
 * option, a missing value, or a value that is malformed or out of
 * range with one line naming the option, then the usage, on stderr,
 * and exit status 2. Both "--seed 7" and "--seed=7" work.
 *
 * The options every chapter shares have macros below, so they are
 * spelled and explained the same everywhere.
 */
#ifndef COMMON_CLI_H
#define COMMON_CLI_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    OPT_FLAG,   /* bool *: present or not */
    OPT_INT,    /* int * */
    OPT_LONG,   /* long * */
    OPT_U64,    /* uint64_t * */
    OPT_FLOAT,  /* float * */
    OPT_STRING, /* const char **: points into argv */
} OptType;

typedef struct {
    const char *name;    /* "--seed" */
    OptType type;
    void *dest;
    const char *metavar; /* "N", shown in usage; NULL for flags */
    const char *help;
    double min, max;     /* allowed range of a number */
} CliOption;

#define CLI_SEED(p)                                                       \
    {"--seed", OPT_U64, (p), "N", "random seed", 0, 1.8e19}
#define CLI_OUT(p)                                                        \
    {"--out", OPT_STRING, (p), "DIR", "folder for the run's files", 0, 0}
#define CLI_DATA(p)                                                       \
    {"--data", OPT_STRING, (p), "DIR",                                    \
     "folder of the four IDX files (default $GAN_DATA, else "            \
     "Fashion-MNIST)", 0, 0}
#define CLI_STEPS(p)                                                      \
    {"--steps", OPT_LONG, (p), "N", "training steps", 1, 1e12}
#define CLI_EPOCHS(p)                                                     \
    {"--epochs", OPT_INT, (p), "N", "passes over the training set", 1,   \
     1e6}
#define CLI_THREADS(p)                                                    \
    {"--threads", OPT_INT, (p), "N",                                      \
     "OpenBLAS threads (same seed and threads: same results)", 1, 256}
#define CLI_QUIET(p)                                                      \
    {"--quiet", OPT_FLAG, (p), NULL,                                      \
     "print only the result line and errors", 0, 0}
#define CLI_NO_EVENTS(p)                                                  \
    {"--no-events", OPT_FLAG, (p), NULL,                                  \
     "write no TensorBoard events file (events.out.tfevents.*)", 0, 0}

/* Parses argv against options[0..n). prog names the program, summary
 * is one line on what it does. Exits on --help and on errors. */
void cli_parse(int argc, char **argv, const char *prog,
               const char *summary, const CliOption *options, int n);

/* Prints the usage to stderr and exits 2: for checks across options
 * that the table cannot express. */
_Noreturn void cli_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* The number of processor cores online: the default for --threads. */
int cli_default_threads(void);

#endif
