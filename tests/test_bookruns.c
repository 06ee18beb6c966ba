/* test_bookruns.c - reading the runs a page shows and what they cost,
 * which make book's plan quotes (book/tools/runs.h). */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "runs.h"

SCRATCH_FIXTURE

static void test_commands_name_their_program(void)
{
    char program[64], args[RUN_FIELD_MAX];
    CU_ASSERT_EQUAL(runs_parse_command("build/bin/09-evaluation  --ckpt-dir "
                                       "out/08-gan-mnist", NULL, program,
                                       sizeof program, args, sizeof args), 1);
    CU_ASSERT_STRING_EQUAL(program, "09-evaluation");
    CU_ASSERT_STRING_EQUAL(args, "--ckpt-dir out/08-gan-mnist");
    CU_ASSERT_EQUAL(runs_parse_command("/tmp/b/bin/01-neuron", NULL, program,
                                       sizeof program, args, sizeof args), 1);
    CU_ASSERT_STRING_EQUAL(program, "01-neuron");
    CU_ASSERT_STRING_EQUAL(args, "");
    CU_ASSERT_EQUAL(runs_parse_command("make run-07-gan-2d", NULL, program,
                                       sizeof program, args, sizeof args), 1);
    CU_ASSERT_STRING_EQUAL(program, "07-gan-2d");
    CU_ASSERT_EQUAL(runs_parse_command("make run", "08-gan-mnist", program,
                                       sizeof program, args, sizeof args), 1);
    CU_ASSERT_STRING_EQUAL(program, "08-gan-mnist");
    /* not chapter programs */
    const char *others[] = {"make mnist", "make run", "build/bin/weave a b",
                            "EPOCHS=40 make run", "git clone x",
                            "cabin/01-neuron", "build/bin/1-x"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        CU_ASSERT_EQUAL(runs_parse_command(others[i], NULL, program,
                                           sizeof program, args, sizeof args),
                        0);
}

static void test_results_pair_with_commands(void)
{
    const char *md =
        "# A page\n\n```sh\nmake run-01-neuron      # about 1 minute\n```\n\n"
        "Then it prints:\n\n```text\n01-neuron: seed 1, data (built in), "
        "output out/01-neuron, 2 threads\nresult: a=1 seconds=61.0\n```\n\n"
        "```sh\nbuild/bin/04-x --limit 5 \\\n    --epochs 1\n"
        "build/bin/05-y\nbuild/bin/09-z --out out/q  # three\n```\n"
        "```text\n09-z: seed 1, data d, output out/q, 2 threads\n"
        "result: b=2 seconds=2.5\n```\n"
        "```sh\nbuild/bin/04-x\nbuild/bin/04-x --sgd\n```\n"
        "```text\nresult: c=1 seconds=1.0\nresult: c=2 seconds=3.0\n```\n"
        "```text\nresult: lonely=1 seconds=99\n```\n"
        "   ```sh\n   build/bin/06-w --quick\n   ```\n";
    char *path = scratch_path(dir, "page.md");
    write_bytes(path, md, strlen(md));
    PageRun *runs;
    Error err;
    int n = runs_read(path, NULL, &runs, &err);
    CU_ASSERT_EQUAL_FATAL(n, 7);
    CU_ASSERT_STRING_EQUAL(runs[0].program, "01-neuron");
    CU_ASSERT_STRING_EQUAL(runs[0].comment, "about 1 minute");
    CU_ASSERT_STRING_EQUAL(runs[0].out, "out/01-neuron");
    CU_ASSERT_DOUBLE_EQUAL(runs[0].seconds, 61.0, 1e-9);
    CU_ASSERT_EQUAL(runs[0].line, 4);
    /* continuation lines join; the opening line names who printed */
    CU_ASSERT_STRING_EQUAL(runs[1].args, "--limit 5 --epochs 1");
    CU_ASSERT_EQUAL(runs[1].line, 15);
    CU_ASSERT_TRUE(runs[1].seconds < 0);
    CU_ASSERT_TRUE(runs[2].seconds < 0);
    CU_ASSERT_DOUBLE_EQUAL(runs[3].seconds, 2.5, 1e-9);
    CU_ASSERT_STRING_EQUAL(runs[3].comment, "three");
    /* without opening lines, results go to the commands in order */
    CU_ASSERT_DOUBLE_EQUAL(runs[4].seconds, 1.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(runs[5].seconds, 3.0, 1e-9);
    /* a text block after a text block is no one's output; an indented
     * block (in a list) is a block */
    CU_ASSERT_STRING_EQUAL(runs[6].program, "06-w");
    CU_ASSERT_TRUE(runs[6].seconds < 0);
    free(runs);
    free(path);
}

static void test_costs_have_one_wording(void)
{
    char s[64];
    const struct {
        double seconds;
        const char *words;
    } cases[] = {{0.2, "a few seconds"},      {12.3, "about 10 seconds"},
                 {27.0, "about 30 seconds"},  {61.0, "about 1 minute"},
                 {146.4, "about 2 minutes"},  {237.2, "about 4 minutes"},
                 {631.1, "about 11 minutes"}, {9000, "about 2.5 hours"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        runs_about(cases[i].seconds, s, sizeof s);
        CU_ASSERT_STRING_EQUAL(s, cases[i].words);
    }
}

void suite_bookruns(void)
{
    CU_pSuite s = CU_add_suite("bookruns", setup, teardown);
    CU_add_test(s, "a command names its chapter's program",
                test_commands_name_their_program);
    CU_add_test(s, "result lines pair with the commands that printed them",
                test_results_pair_with_commands);
    CU_add_test(s, "a run's cost has one wording", test_costs_have_one_wording);
}
