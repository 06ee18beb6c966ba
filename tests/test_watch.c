/* test_watch.c - make watch's plots/watch.sh, run once as text on small
 * logs: a GAN chapter's own figure from the run's live temporary, its
 * last row still being written left out; any other log column by
 * column; no log yet; waiting for one, then Ctrl-C. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "helpers.h"

#define WATCH "sh " PROJECT_DIR "/plots/watch.sh"

SCRATCH_FIXTURE

/* Runs watch.sh with `args` in the scratch folder, its snapshots under
 * dir/tmp; what it printed goes to dir/<tag>.out. */
static int watch(const char *tag, const char *args)
{
    return run_shell("cd %s && mkdir -p tmp && TMPDIR=%s/tmp COLUMNS=90 "
                     "LINES=40 %s %s >%s.out 2>&1", dir, dir, WATCH, args,
                     tag);
}

static void write_text(const char *name, const char *text)
{
    char *path = scratch_path(dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(path, &err), 0);
    *slash = '/';
    write_bytes(path, text, strlen(text));
    free(path);
}

/* The published log holds 2 steps; the run's temporary 4 and a fifth
 * being written. */
static void test_gan_log_live(void)
{
    const char *header = "step,epoch,loss_d,loss_g,d_real,d_fake\n";
    const char *rows = "1,1,1.38,0.69,0.51,0.49\n2,1,1.2,0.9,0.6,0.4\n";
    char published[512], live[512];
    snprintf(published, sizeof published, "%s%s", header, rows);
    snprintf(live, sizeof live, "%s%s3,2,1.1,1.0,0.62,0.38\n"
             "4,2,1.0,1.1,0.65,0.35\n5,3,0.9", header, rows);
    write_text("08-gan-mnist/log.csv", published);
    write_text("08-gan-mnist/log.csv.4242.tmp", live);
    CU_ASSERT_EQUAL(watch("gan", "--once --terminal dumb ./08-gan-mnist"),
                    0);
    char *out = program_output(dir, "gan");
    ASSERT_CONTAINS(out, "watch: ./08-gan-mnist, step 4\n");
    ASSERT_CONTAINS(out, "The GAN game on 28x28 images");
    ASSERT_CONTAINS(out, "D(G(z)) (epoch mean)");
    ASSERT_CONTAINS(out, "+-----"); /* the frame of a text plot */
    free(out);
    char *tmp = scratch_path(dir, "tmp");
    CU_ASSERT_EQUAL(rmdir(tmp), 0); /* no snapshot left behind */
    free(tmp);
}

static void test_other_log(void)
{
    write_text("01-neuron/log.csv",
               "step,loss,accuracy\n1,0.7,0.5\n2,0.6,0.6\n3,0.5,0.75\n");
    CU_ASSERT_EQUAL(watch("other", "--once --terminal dumb ./01-neuron"),
                    0);
    char *out = program_output(dir, "other");
    ASSERT_CONTAINS(out, "step 3\n");
    ASSERT_CONTAINS(out, "loss");
    ASSERT_CONTAINS(out, "accuracy");
    free(out);
}

static void test_no_log_yet(void)
{
    write_text("later/.keep", "");
    CU_ASSERT_EQUAL(watch("none", "--once --terminal dumb ./later"), 1);
    char *out = program_output(dir, "none");
    ASSERT_CONTAINS(out, "no rows in ./later/log.csv yet");
    free(out);
    CU_ASSERT_EQUAL(watch("badterm", "--once --terminal nosuch ./later"),
                    2);
    out = program_output(dir, "badterm");
    ASSERT_CONTAINS(out, "no terminal 'nosuch'");
    free(out);
}

/* Without --once it waits for the run, says so, and Ctrl-C (SIGINT,
 * here from timeout) ends it cleanly: exit 0, nothing left behind. */
static void test_waits_then_ctrl_c(void)
{
    write_text("soon/.keep", "");
    /* timeout runs it in the foreground: a shell's background job
     * would ignore SIGINT */
    CU_ASSERT_EQUAL(run_shell("cd %s && TMPDIR=%s/tmp timeout "
                              "--preserve-status -s INT 0.5 %s --every 0.1 "
                              "--terminal dumb ./soon >wait.out 2>&1", dir,
                              dir, WATCH), 0);
    char *out = program_output(dir, "wait");
    ASSERT_CONTAINS(out, "waiting for the first row of ./soon/log.csv");
    ASSERT_CONTAINS(out, "watch: stopped");
    free(out);
    char *tmp = scratch_path(dir, "tmp");
    CU_ASSERT_EQUAL(rmdir(tmp), 0);
    free(tmp);
}

void suite_watch(void)
{
    CU_pSuite s = CU_add_suite("watch", setup, teardown);
    CU_add_test(s, "a GAN run's live log: its figure, as text, once",
                test_gan_log_live);
    CU_add_test(s, "any other log: every column", test_other_log);
    CU_add_test(s, "no log yet, or no such terminal: said, not drawn",
                test_no_log_yet);
    CU_add_test(s, "waits for a run, and Ctrl-C ends it cleanly",
                test_waits_then_ctrl_c);
}
