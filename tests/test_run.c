/* test_run.c - one run per output folder: a second live run into the
 * same folder is refused before it trains, with a message naming the
 * folder; a lock file left by a run that has ended blocks nothing. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "helpers.h"
#include "run.h"

#define PROG BIN_DIR "/01-neuron"

SCRATCH_FIXTURE

typedef struct {
    pid_t pid;
    int release; /* write end: closing it lets the holder exit */
} Holder;

/* A child process that calls run_start on out, then holds its lock
 * until released. Returns once the lock is taken. */
static Holder hold_lock(const char *out)
{
    int ready[2], release[2];
    CU_ASSERT_FATAL(pipe(ready) == 0 && pipe(release) == 0);
    fflush(NULL); /* the child must not print the parent's buffers */
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(release[1]);
        Run run = {.name = "holder", .out = out, .threads = 1,
                   .quiet = true, .result_file = ""};
        run_start(&run);
        char c = 'x';
        if (write(ready[1], &c, 1) != 1)
            _exit(1);
        while (read(release[0], &c, 1) > 0) /* until the parent closes */
            ;
        _exit(0);
    }
    close(ready[1]);
    close(release[0]);
    char c;
    CU_ASSERT_EQUAL(read(ready[0], &c, 1), 1); /* 0: the child failed */
    close(ready[0]);
    return (Holder){pid, release[1]};
}

/* Releases the holder and returns its exit status. */
static int release_lock(Holder h)
{
    close(h.release);
    int status;
    waitpid(h.pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* run_start on out in a child whose stderr goes to dir/<tag>.err;
 * returns the child's exit status. */
static int start_in_child(const char *out, const char *tag)
{
    char name[64];
    snprintf(name, sizeof name, "%s.err", tag);
    char *err = scratch_path(dir, name);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(err, "w", stderr))
            _exit(3);
        Run run = {.name = "second", .out = out, .threads = 1,
                   .quiet = true, .result_file = ""};
        run_start(&run);
        _exit(0);
    }
    free(err);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Chapter 1's program, a few steps into out; its output to
 * dir/<tag>.out. Returns its exit status. */
static int run_neuron(const char *out, const char *tag)
{
    return run_shell("%s --steps 5 --quiet --out %s >%s/%s.out 2>&1", PROG,
                     out, dir, tag);
}

static void test_second_live_run_refused(void)
{
    char *out = scratch_path(dir, "busy");
    Holder h = hold_lock(out);

    CU_ASSERT_EQUAL(start_in_child(out, "second"), 1);
    char *err = scratch_read(dir, "second.err");
    char expected[4200];
    snprintf(expected, sizeof expected, "another run (process %ld) is "
             "using the output folder %s;", (long)h.pid, out);
    ASSERT_CONTAINS(err, expected);
    free(err);

    /* a whole program: refused before it writes anything */
    CU_ASSERT_EQUAL(run_neuron(out, "program"), 1);
    char *text = scratch_read(dir, "program.out");
    ASSERT_CONTAINS(text, expected);
    ASSERT_CONTAINS(text, "give this run another --out");
    free(text);
    char *log = path_join(out, "log.csv");
    char *result = path_join(out, "result.txt");
    CU_ASSERT_FALSE(file_exists(log));
    CU_ASSERT_FALSE(file_exists(result));

    /* once the holder has ended, the folder is free */
    CU_ASSERT_EQUAL(release_lock(h), 0);
    CU_ASSERT_EQUAL(run_neuron(out, "after"), 0);
    CU_ASSERT_TRUE(file_exists(log));
    CU_ASSERT_TRUE(file_exists(result));
    free(log);
    free(result);
    free(out);
}

static void test_stale_lock_file_blocks_nothing(void)
{
    /* left by a run that was killed: the file is there, nobody holds
     * its lock */
    char *out = scratch_path(dir, "stale");
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(out, &err), 0);
    char *lock = path_join(out, RUN_LOCK_FILE);
    write_bytes(lock, "999999\n", 7);
    CU_ASSERT_EQUAL(start_in_child(out, "stale"), 0);
    CU_ASSERT_EQUAL(run_neuron(out, "stale-program"), 0);
    CU_ASSERT_TRUE(file_exists(lock)); /* kept, for the next run */
    free(lock);
    free(out);
}

static void test_other_folders_are_free(void)
{
    char *a = scratch_path(dir, "a"), *b = scratch_path(dir, "b");
    Holder h = hold_lock(a);
    CU_ASSERT_EQUAL(start_in_child(b, "other"), 0);
    CU_ASSERT_EQUAL(release_lock(h), 0);
    free(a);
    free(b);
}

void suite_run(void)
{
    CU_pSuite s = CU_add_suite("run", setup, teardown);
    CU_add_test(s, "a second live run into a folder is refused",
                test_second_live_run_refused);
    CU_add_test(s, "a lock file nobody holds blocks nothing",
                test_stale_lock_file_blocks_nothing);
    CU_add_test(s, "a run in another folder is not blocked",
                test_other_folders_are_free);
}
