/* test_cli.c - the options every chapter shares, tried on chapter 1's
 * program as a user would: --help, unknown and malformed options. */
#include <CUnit/CUnit.h>
#include <stdlib.h>

#include "helpers.h"

#define PROG BIN_DIR "/01-neuron"

SCRATCH_FIXTURE

/* Runs PROG with args, stdout and stderr to files in dir; returns the
 * exit status. */
static int run(const char *args)
{
    return run_shell("%s %s >%s/stdout 2>%s/stderr", PROG, args, dir, dir);
}

static char *output(const char *which)
{
    return scratch_read(dir, which);
}

static void expect_usage_error(const char *args, const char *message)
{
    CU_ASSERT_EQUAL(run(args), 2);
    char *err = output("stderr");
    ASSERT_CONTAINS(err, message);
    ASSERT_CONTAINS(err, "usage: 01-neuron");
    free(err);
}

static void test_help(void)
{
    CU_ASSERT_EQUAL(run("--help"), 0);
    char *out = output("stdout");
    ASSERT_CONTAINS(out, "usage: 01-neuron [options]");
    ASSERT_CONTAINS(out, "--seed N");
    ASSERT_CONTAINS(out, "(default 1)");
    free(out);
}

static void test_unknown_option(void)
{
    expect_usage_error("--bogus", "unknown option --bogus");
}

static void test_malformed_values(void)
{
    expect_usage_error("--seed abc", "--seed needs a number, not 'abc'");
    expect_usage_error("--steps 1.5", "--steps needs a whole number");
    expect_usage_error("--steps 0", "--steps must be between 1 and");
    expect_usage_error("--steps", "--steps needs a value");
    expect_usage_error("--lr=-1", "--lr must be between");
    expect_usage_error("--quiet=yes", "--quiet takes no value");
    expect_usage_error("stray", "unexpected argument 'stray'");
    expect_usage_error("--out ''", "--out needs a non-empty value");
}

static void test_unwritable_out(void)
{
    char args[4096];
    snprintf(args, sizeof args, "--out %s/file/sub --quiet", dir);
    char *file = scratch_path(dir, "file");
    write_bytes(file, "x", 1);
    CU_ASSERT_EQUAL(run(args), 1);
    char *err = output("stderr");
    ASSERT_CONTAINS(err, "01-neuron: cannot create directory");
    free(err);
    free(file);
}

static void test_equals_form(void)
{
    char args[4096];
    snprintf(args, sizeof args, "--seed=3 --steps=5 --out=%s/eq --quiet",
             dir);
    CU_ASSERT_EQUAL(run(args), 0);
    char *out = output("stdout");
    ASSERT_CONTAINS(out, "result: ");
    ASSERT_CONTAINS(out, "steps=5");
    free(out);
}

void suite_cli(void)
{
    CU_pSuite s = CU_add_suite("cli", setup, teardown);
    CU_add_test(s, "--help: usage on stdout, exit 0", test_help);
    CU_add_test(s, "unknown option: usage on stderr, exit 2",
                test_unknown_option);
    CU_add_test(s, "malformed or missing values: exit 2",
                test_malformed_values);
    CU_add_test(s, "unwritable --out: one message, exit 1",
                test_unwritable_out);
    CU_add_test(s, "--name=value works", test_equals_form);
}
