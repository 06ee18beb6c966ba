/* test_ch15_scale_out.c - chapter 15: training over MPI ranks is
 * training with their batches put together. One rank, without mpirun,
 * is chapter 8 byte for byte; two ranks of B images equal one of 2B
 * within float rounding, and hold the same weights, bit for bit, after
 * every step (and the check that says so catches replicas left
 * unsynchronised); layer-by-layer sums give the flat sum's bytes; a
 * 2-rank checkpoint resumes on 2 ranks to the bytes of a run that
 * never stopped, and on 1 rank within rounding; a rank count that
 * does not divide the step is refused; a rank that fails or is killed
 * ends the job with a message instead of a hang, and Ctrl-C reaching
 * one rank stops them all after the same step.
 *
 * mpirun runs with the TCP transport forced (--mca btl tcp,self), the
 * path a job across machines takes, over the loopback interface only
 * (a machine's other interfaces can make a dead peer's connection
 * time out slowly); --oversubscribe lets two ranks share whatever
 * cores there are. Under make sanitize, Open MPI's own unfreed blocks
 * are suppressed (tests/lsan-mpi.supp says how), ours still count. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "helpers.h"

#define PROG BIN_DIR "/15-scale-out"
#define CH08 BIN_DIR "/08-gan-mnist"
#define LSAN_FOR_MPI                                                     \
    "LSAN_OPTIONS=suppressions=" PROJECT_DIR "/tests/lsan-mpi.supp:"    \
    "fast_unwind_on_malloc=0 "
#define MPIRUN                                                           \
    LSAN_FOR_MPI "timeout 120 mpirun --allow-run-as-root "              \
    "--oversubscribe --mca btl tcp,self --mca btl_tcp_if_include lo "                   \
    "--mca oob_tcp_if_include lo"
#define TRAIN 512 /* one epoch is 8 steps of 64 images */
#define STEPS "8"
/* the first steps of 2 x 32 and 1 x 64 agree to the log's 6 digits;
 * then the game, through Adam's division by tiny second moments,
 * amplifies the different order of float sums */
#define SAME_BATCH_STEPS 4
#define SAME_BATCH_TOL 1e-4
#define RESUMED_TOL 1e-2

static char *dir;

static int setup(void)
{
    dir = scratch_dir();
    write_default_subset(dir, TRAIN, 10);
    return 0;
}

static int teardown(void)
{
    remove_tree(dir);
    free(dir);
    return 0;
}

/* `ranks` processes of 15-scale-out (0: no mpirun), output into
 * dir/<tag>/, what they print into dir/<tag>.out. */
static int run_ranks(int ranks, const char *tag, const char *args)
{
    if (ranks == 0)
        return run_shell(LSAN_FOR_MPI "%s --data %s/data --threads 1 "
                         "--quiet --no-events "
                         "--out %s/%s %s >%s/%s.out 2>&1", PROG, dir, dir,
                         tag, args, dir, tag);
    return run_shell(MPIRUN " -np %d %s --data %s/data --threads 1 --quiet "
                     "--no-events --out %s/%s %s >%s/%s.out 2>&1", ranks,
                     PROG, dir, dir, tag, args, dir, tag);
}

/* The runs several tests compare, each made once. */
enum { FULL, HALF, COUNT_RUNS };
static const struct {
    int ranks;
    const char *tag, *args;
} RUNS[COUNT_RUNS] = {
    [FULL] = {2, "full", "--batch 32 --steps " STEPS " --check-sync"},
    [HALF] = {2, "half", "--batch 32 --steps 4"},
};
static int run_status[COUNT_RUNS] = {-2, -2};

static void need(int which)
{
    if (run_status[which] == -2)
        run_status[which] = run_ranks(RUNS[which].ranks, RUNS[which].tag,
                                      RUNS[which].args);
    CU_ASSERT_EQUAL_FATAL(run_status[which], 0);
}

static char *file_of(const char *tag, const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "%s/%s", tag, name);
    return scratch_read(dir, rel);
}

static char *output(const char *tag) { return program_output(dir, tag); }

/* log.csv of run `tag`: rows (step, epoch, 4 stats), n at most */
static int read_log(const char *tag, double rows[][6], int n)
{
    char *text = file_of(tag, "log.csv");
    if (!text)
        return 0;
    int got = 0;
    char *line = strchr(text, '\n');
    while (line && got < n) {
        line++;
        if (sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf", &rows[got][0],
                   &rows[got][1], &rows[got][2], &rows[got][3],
                   &rows[got][4], &rows[got][5]) == 6)
            got++;
        line = strchr(line, '\n');
    }
    free(text);
    return got;
}

/* Largest relative difference of the stats in steps [from, to]. */
static double log_difference(const char *a, const char *b, int from, int to)
{
    double x[64][6], y[64][6];
    int nx = read_log(a, x, 64), ny = read_log(b, y, 64);
    CU_ASSERT_TRUE_FATAL(nx >= to && ny >= to);
    double worst = 0.0;
    for (int r = from - 1; r < to; r++) {
        CU_ASSERT_EQUAL(x[r][0], y[r][0]);
        for (int c = 2; c < 6; c++) {
            double d = fabs(x[r][c] - y[r][c]) /
                       fmax(fabs(x[r][c]), fabs(y[r][c]));
            worst = fmax(worst, d);
        }
    }
    return worst;
}

static bool same(const char *a, const char *b) { return same_or_say(dir, a, b); }

static void test_one_rank_is_chapter_8(void)
{
    CU_ASSERT_EQUAL_FATAL(run_ranks(0, "alone", "--steps 6"), 0);
    CU_ASSERT_EQUAL_FATAL(
        run_shell("%s --data %s/data --threads 1 --quiet --no-events "
                  "--steps 6 --out %s/ch08 >%s/ch08.out 2>&1", CH08, dir,
                  dir, dir), 0);
    CU_ASSERT_TRUE(same("alone/log.csv", "ch08/log.csv"));
    char *out = output("alone");
    ASSERT_CONTAINS(out, "ranks=1 ");
    free(out);
}

static void test_two_ranks_equal_one_with_both_batches(void)
{
    need(FULL);
    CU_ASSERT_EQUAL_FATAL(run_ranks(0, "double", "--batch 64 --steps 4"), 0);
    double d = log_difference("full", "double", 1, SAME_BATCH_STEPS);
    if (d > SAME_BATCH_TOL)
        fprintf(stderr, "\n    2 x 32 against 1 x 64: %.3g\n", d);
    CU_ASSERT_TRUE(d <= SAME_BATCH_TOL);
    /* and the log is the whole step's: 64 images a step, 8 a epoch */
    char *result = file_of("full", "result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    ASSERT_CONTAINS(result, "epochs=1 steps=8 ");
    ASSERT_CONTAINS(result, "ranks=2 batch_per_rank=32 ");
    free(result);
}

static void test_weights_identical_after_every_step(void)
{
    need(FULL);
    char *result = file_of("full", "result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    ASSERT_CONTAINS(result, "checked_steps=" STEPS " ");
    free(result);
    /* the DCGAN too, batch norm and all */
    CU_ASSERT_EQUAL(run_ranks(2, "dcgan", "--model dcgan --batch 16 "
                              "--steps 3 --check-sync"), 0);
    char *out = output("dcgan");
    ASSERT_CONTAINS(out, "checked_steps=3 ");
    free(out);
}

/* The check of the test above can fail: G's gradients left each
 * rank's own, the replicas differ after the first step. */
static void test_unsynchronised_replicas_are_caught(void)
{
    CU_ASSERT_EQUAL(run_ranks(2, "unsync", "--batch 32 --steps 3 "
                              "--check-sync --unsync g"), 1);
    char *out = output("unsync");
    ASSERT_CONTAINS(out, "after step 1 the weights of rank 1 differ from "
                         "rank 0's");
    ASSERT_CONTAINS(out, "drifted apart");
    free(out);
}

/* Two ranks: a + b = b + a exactly, so summing layer by layer gives
 * the flat buffer's bits. */
static void test_overlap_sums_the_same(void)
{
    need(FULL);
    CU_ASSERT_EQUAL_FATAL(run_ranks(2, "overlap", "--batch 32 --steps "
                                    STEPS " --overlap"), 0);
    CU_ASSERT_TRUE(same("full/log.csv", "overlap/log.csv"));
    CU_ASSERT_TRUE(same("full/checkpoint.ckpt", "overlap/checkpoint.ckpt"));
}

static void test_resume_on_two_ranks_and_on_one(void)
{
    need(FULL);
    need(HALF);
    char args[512];
    CU_ASSERT_EQUAL_FATAL(
        run_shell("cp -r %s/half %s/again2 && cp -r %s/half %s/again1", dir,
                  dir, dir, dir), 0);
    snprintf(args, sizeof args, "--steps " STEPS " --resume %s/half/"
             "checkpoint.ckpt", dir);
    CU_ASSERT_EQUAL_FATAL(run_ranks(2, "again2", args), 0);
    CU_ASSERT_TRUE(same("full/log.csv", "again2/log.csv"));
    CU_ASSERT_TRUE(same("full/checkpoint.ckpt", "again2/checkpoint.ckpt"));
    CU_ASSERT_TRUE(same("full/samples.png", "again2/samples.png"));

    /* one rank takes the step's 64 images alone */
    CU_ASSERT_EQUAL_FATAL(run_ranks(0, "again1", args), 0);
    double d = log_difference("full", "again1", 1, 8);
    if (d > RESUMED_TOL)
        fprintf(stderr, "\n    resumed on 1 rank: %.3g\n", d);
    CU_ASSERT_TRUE(d <= RESUMED_TOL);
    CU_ASSERT_EQUAL(log_difference("full", "again1", 1, 4), 0.0);
    char *out = output("again1");
    ASSERT_CONTAINS(out, "ranks=1 batch_per_rank=64 ");
    free(out);
}

static void test_rank_count_must_divide_the_step(void)
{
    need(HALF);
    char args[512];
    snprintf(args, sizeof args, "--steps " STEPS " --resume %s/half/"
             "checkpoint.ckpt", dir);
    CU_ASSERT_NOT_EQUAL(run_ranks(3, "three", args), 0);
    char *out = output("three");
    ASSERT_CONTAINS(out, "a step of 64 images does not split evenly over "
                         "3 ranks");
    free(out);
}

static void test_a_failing_rank_ends_the_job(void)
{
    /* timeout says 124 if the job hung */
    CU_ASSERT_EQUAL(run_ranks(2, "fails", "--batch 32 --fail-at 2"), 1);
    char *out = output("fails");
    ASSERT_CONTAINS(out, "15-scale-out rank 1 on ");
    ASSERT_CONTAINS(out, "failing in step 2, as --fail-at asked");
    free(out);
    int status = run_ranks(2, "killed", "--batch 32 --kill-at 2");
    CU_ASSERT_TRUE(status != 0 && status != 124);
    out = output("killed");
    ASSERT_CONTAINS(out, "exited on signal 9");
    free(out);
}

/* Ctrl-C (SIGINT) reaching one rank, the last: every rank stops after
 * the same step, rank 0 saves and says how to resume, status 130.
 * (mpirun given Ctrl-C itself ends the job at once.) */
static void test_sigint_on_one_rank_stops_all(void)
{
    /* timeout's child is mpirun, whose children are the ranks */
    int status = run_shell(
        MPIRUN " -np 2 %s --data %s/data --threads 1 --quiet --no-events "
        "--batch 8 --epochs 1000 --out %s/sigint >%s/sigint.out 2>&1 & "
        "t=$!; for i in $(seq 300); do ls %s/sigint 2>/dev/null | "
        "grep -q log.csv && break; sleep 0.1; done; sleep 1; "
        "kill -INT $(pgrep -P $(pgrep -P $t) | tail -n 1) || kill $t; "
        "wait $t",
        PROG, dir, dir, dir, dir);
    CU_ASSERT_EQUAL(status, 130);
    char *out = output("sigint");
    ASSERT_CONTAINS(out, "the state is saved. Resume with:");
    free(out);
    char *ckpt = scratch_path(dir, "sigint/checkpoint.ckpt");
    CU_ASSERT_TRUE(file_exists(ckpt));
    free(ckpt);
}

static void test_bad_options_are_usage_errors(void)
{
    static const char *const bad[][2] = {
        {"--model vgg", "--model must be mlp or dcgan"},
        {"--model dcgan --overlap", "--overlap is for --model mlp"},
        {"--unsync x", "--unsync must be d or g"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(run_ranks(0, "usage", bad[i][0]), 2);
        char *out = output("usage");
        ASSERT_CONTAINS(out, bad[i][1]);
        free(out);
    }
}

void suite_ch15_scale_out(void)
{
    CU_pSuite s = CU_add_suite("15-scale-out", setup, teardown);
    CU_add_test(s, "one rank, no mpirun: chapter 8's log, byte for byte",
                test_one_rank_is_chapter_8);
    CU_add_test(s, "2 ranks x 32 = 1 rank x 64 within rounding",
                test_two_ranks_equal_one_with_both_batches);
    CU_add_test(s, "all ranks' weights identical after every step",
                test_weights_identical_after_every_step);
    CU_add_test(s, "replicas left unsynchronised are caught",
                test_unsynchronised_replicas_are_caught);
    CU_add_test(s, "layer-by-layer sums = the flat sum, byte for byte",
                test_overlap_sums_the_same);
    CU_add_test(s, "a 2-rank checkpoint resumes on 2 ranks and on 1",
                test_resume_on_two_ranks_and_on_one);
    CU_add_test(s, "a rank count that does not divide the step: refused",
                test_rank_count_must_divide_the_step);
    CU_add_test(s, "a failing or killed rank ends the job, no hang",
                test_a_failing_rank_ends_the_job);
    CU_add_test(s, "SIGINT on one rank: all stop at one step, rank 0 saves",
                test_sigint_on_one_rank_stops_all);
    CU_add_test(s, "bad options are usage errors",
                test_bad_options_are_usage_errors);
}
