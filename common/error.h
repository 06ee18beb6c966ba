/* error.h - errors that say what went wrong, and allocation that
 * never returns NULL.
 *
 * Library code never exits on bad input: a function that can fail
 * takes an Error *, fills in one clear sentence (naming the file or
 * option and the cause) and returns -1. Programs print that sentence
 * with fatal() and exit 1. Tests check the sentence.
 */
#ifndef COMMON_ERROR_H
#define COMMON_ERROR_H

#include <stddef.h>

#define ERROR_MSG_MAX 512

typedef struct {
    char msg[ERROR_MSG_MAX]; /* "" when no error has been set */
} Error;

/* Formats the message into err (if err is not NULL). Returns -1, so
 * a failing function can end with `return error_set(err, ...);`. */
int error_set(Error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The program name used by fatal() and warn(); cli_parse sets it. */
void error_set_program(const char *name);
const char *error_program(void);

/* Prints "<program>: <message>" to stderr and exits with status 1
 * (through the function error_set_exit gave, if any). */
_Noreturn void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* How fatal() ends the program: a program of several processes
 * (chapter 15's MPI ranks) ends them all (MPI_Abort) rather than this
 * one alone, which would leave the others waiting for it. NULL: exit. */
void error_set_exit(void (*end)(int status));

/* Prints "<program>: <message>" to stderr and carries on. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* malloc/calloc that exit with a clear message instead of returning
 * NULL. Use them for memory whose size the program chose; sizes that
 * come from a file must be checked against the file first. */
void *xmalloc(size_t bytes);
void *xcalloc(size_t count, size_t size);
char *xstrdup(const char *s);

#endif
