/* test_faults.c - what faults leave behind: a process killed while it
 * writes a checkpoint (kill -9 at random moments, and the kernel's
 * SIGXFSZ at exact bytes), a full disk (a file size limit, and a small
 * tmpfs where one can be mounted), an --out that cannot be written,
 * and Ctrl-C at random steps, on chapter 8's real runs where it can.
 *
 * The file size limit (RLIMIT_FSIZE) is the full disk every machine
 * has: a write past it fails with EFBIG when SIGXFSZ is ignored, and
 * with SIGXFSZ's default action the kernel kills the writer at exactly
 * that byte, which is kill -9 at a chosen offset of the file. */
#define _DEFAULT_SOURCE /* setgroups */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckpt.h"
#include "files.h"
#include "helpers.h"
#include "rng.h"

#define PROG BIN_DIR "/08-gan-mnist"
#define SMALL_TRAIN 640
#define SMALL_TEST 100

SCRATCH_FIXTURE

static int setup_with_data(void)
{
    setup();
    write_default_subset(dir, SMALL_TRAIN, SMALL_TEST);
    return 0;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The temporaries ("<name>.<pid>.tmp") in folder d whose name starts
 * with `prefix`: how many, and the size of the last one seen. */
static int temporaries(const char *d, const char *prefix, long *size)
{
    DIR *dd = opendir(d);
    int n = 0;
    for (struct dirent *e; dd && (e = readdir(dd)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".tmp") != 0 ||
            strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        n++;
        char *path = path_join(d, e->d_name);
        if (size)
            *size = file_size(path);
        free(path);
    }
    if (dd)
        closedir(dd);
    return n;
}

static int lines(const char *text)
{
    int n = 0;
    for (const char *c = text; c && *c; c++)
        n += *c == '\n';
    return n;
}

/* ---- kill -9 while a checkpoint is written ---- */

#define KIND "fault-test"
#define WEIGHTS (1 << 20) /* 4 MiB of floats: the write takes a while */

/* Saves generation g: a tensor "gen" = g and WEIGHTS floats all g. */
static int save_generation(const char *path, uint64_t g, float *w)
{
    for (size_t i = 0; i < WEIGHTS; i++)
        w[i] = (float)g;
    Ckpt c;
    ckpt_init(&c, KIND);
    ckpt_add(&c, "gen", CKPT_U64, &g, 1, (uint64_t[]){1});
    ckpt_add(&c, "w", CKPT_F32, w, 1, (uint64_t[]){WEIGHTS});
    Error err;
    int rc = ckpt_save(&c, path, &err);
    ckpt_free(&c);
    return rc;
}

/* The generation a checkpoint holds, checking that it loads and that
 * every weight is of that generation; UINT64_MAX if not. */
static uint64_t load_generation(const char *path, float *w)
{
    Ckpt c;
    Error err;
    uint64_t g = UINT64_MAX;
    if (ckpt_load(&c, path, KIND, &err) < 0) {
        fprintf(stderr, "\n    %s\n", err.msg);
        return g;
    }
    uint64_t got;
    if (ckpt_read(&c, "gen", CKPT_U64, &got, 1, (uint64_t[]){1}, &err) == 0
        && ckpt_read(&c, "w", CKPT_F32, w, 1, (uint64_t[]){WEIGHTS},
                     &err) == 0) {
        g = got;
        for (size_t i = 0; i < WEIGHTS; i++)
            if (w[i] != (float)got)
                g = UINT64_MAX;
    }
    ckpt_free(&c);
    return g;
}

/* A child that saves generation g (limit > 0: under that file size
 * limit, killed by SIGXFSZ at that byte), or generations g, g+1, ...
 * for ever (forever). */
static pid_t start_saver(const char *path, uint64_t g, long limit,
                         bool forever, float *w)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    signal(SIGXFSZ, SIG_DFL);
    if (limit >= 0) {
        struct rlimit size = {(rlim_t)limit, (rlim_t)limit};
        if (setrlimit(RLIMIT_FSIZE, &size) != 0)
            _exit(126);
    }
    do {
        if (save_generation(path, g++, w) < 0)
            _exit(1);
    } while (forever);
    _exit(0);
}

/* ckpt_save killed at exact bytes of its write: the file keeps the old
 * generation, whole; the torn temporary beside it (exactly as long as
 * the kill allowed) is never taken for it. */
static void test_killed_at_every_kind_of_byte(void)
{
    char *path = scratch_path(dir, "kill.ckpt");
    float *w = malloc(WEIGHTS * sizeof(float));
    CU_ASSERT_EQUAL_FATAL(save_generation(path, 1, w), 0);
    long size = file_size(path);
    Rng rng;
    rng_seed(&rng, 12);
    /* the header, a tensor's header, its data, the CRC, and a few
     * drawn at random */
    long offsets[16] = {0, 1, 8, 20, 40, size / 2, size - 5, size - 4,
                        size - 1, size};
    int n = 10;
    while (n < 16)
        offsets[n++] = (long)(rng_uniform(&rng) * (float)size);
    for (int i = 0; i < n; i++) {
        CU_ASSERT_EQUAL_FATAL(save_generation(path, 1, w), 0);
        pid_t pid = start_saver(path, 2, offsets[i], false, w);
        CU_ASSERT_FATAL(pid > 0);
        int status;
        waitpid(pid, &status, 0);
        bool whole = offsets[i] >= size; /* the limit did not cut it */
        CU_ASSERT_EQUAL(exit_code(status), whole ? 0 : 128 + SIGXFSZ);
        CU_ASSERT_EQUAL(load_generation(path, w), whole ? 2u : 1u);
        long torn = -1;
        CU_ASSERT_EQUAL(temporaries(dir, "kill.ckpt.", &torn),
                        whole ? 0 : 1);
        if (!whole)
            CU_ASSERT_EQUAL(torn, offsets[i]);
        run_shell("rm -f %s/kill.ckpt.*.tmp", dir);
    }
    free(w);
    free(path);
}

/* A child saving generation after generation, killed with SIGKILL at
 * moments drawn at random: whenever it dies, the file is one whole
 * generation, never older than the last one seen. */
static void test_kill9_at_random_moments(void)
{
    char *path = scratch_path(dir, "kill9.ckpt");
    float *w = malloc(WEIGHTS * sizeof(float));
    CU_ASSERT_EQUAL_FATAL(save_generation(path, 1, w), 0);
    Rng rng;
    rng_seed(&rng, 9);
    uint64_t seen = 1;
    const int kills = 12;
    const long max_delay_ns = 40 * 1000 * 1000;
    for (int i = 0; i < kills; i++) {
        pid_t pid = start_saver(path, seen + 1, -1, true, w);
        CU_ASSERT_FATAL(pid > 0);
        struct timespec delay = {
            0, (long)(rng_uniform(&rng) * (float)max_delay_ns)};
        nanosleep(&delay, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        CU_ASSERT_EQUAL(exit_code(status), 128 + SIGKILL);
        uint64_t g = load_generation(path, w);
        CU_ASSERT_TRUE(g != UINT64_MAX && g >= seen);
        if (g != UINT64_MAX)
            seen = g;
        run_shell("rm -f %s/kill9.ckpt.*.tmp", dir);
    }
    free(w);
    free(path);
}

/* Chapter 8's own checkpoint, killed inside its write at the end of a
 * resumed run's epoch: the folder keeps the last checkpoint byte for
 * byte (its log already published ahead of it), the next run resumes
 * from it, clears the dead run's temporary, and ends where a run never
 * killed ends. */
static void test_chapter_killed_mid_checkpoint(void)
{
    const char *common = "--limit 64 --batch 32 --seed 3"; /* 2 steps
                                                              an epoch */
    char args[1024];
    snprintf(args, sizeof args, "%s --epochs 2 --out %s/kref", common, dir);
    CU_ASSERT_EQUAL_FATAL(run_program(PROG, dir, "kref", args), 0);
    snprintf(args, sizeof args, "%s --epochs 1 --out %s/k", common, dir);
    CU_ASSERT_EQUAL_FATAL(run_program(PROG, dir, "k1", args), 0);
    char *ckpt = scratch_path(dir, "k/checkpoint.ckpt");
    char *out = scratch_path(dir, "k");
    size_t before_size = 0;
    char *before = read_all(ckpt, &before_size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(before);
    const long generator_size = 7000000; /* G alone fits below this */
    long offsets[] = {generator_size, (long)before_size / 2,
                      (long)before_size - 1};
    snprintf(args, sizeof args, "--resume %s --epochs 2 --out %s", ckpt,
             out);
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        CU_ASSERT_EQUAL(run_program_limited(PROG, dir, "kcut", args,
                                            offsets[i], false),
                        128 + SIGXFSZ);
        size_t after_size = 0;
        char *after = read_all(ckpt, &after_size);
        CU_ASSERT_TRUE(after && after_size == before_size &&
                       memcmp(after, before, before_size) == 0);
        free(after);
        /* the log went first: it holds the killed epoch's 2 steps too
         * (ahead of the checkpoint, which csv_resume cuts back) */
        char *log = scratch_read(dir, "k/log.csv");
        CU_ASSERT_EQUAL(lines(log), 1 + 4);
        free(log);
        /* the torn one, exactly as long as the kill allowed; the one
         * an earlier killed run left was cleared by this run's start */
        long torn = -1;
        CU_ASSERT_EQUAL(temporaries(out, "checkpoint.ckpt.", &torn), 1);
        CU_ASSERT_EQUAL(torn, offsets[i]);
    }
    CU_ASSERT_EQUAL(run_program(PROG, dir, "k2", args), 0);
    CU_ASSERT_EQUAL(temporaries(out, "", NULL), 0);
    CU_ASSERT_TRUE(same_or_say(dir, "kref/log.csv", "k/log.csv"));
    CU_ASSERT_TRUE(same_or_say(dir, "kref/checkpoint.ckpt",
                               "k/checkpoint.ckpt"));
    free(before);
    free(out);
    free(ckpt);
}

/* ---- a full disk ---- */

static bool png_whole(const char *path)
{
    static const unsigned char iend[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D',
                                         0xae, 0x42, 0x60, 0x82};
    size_t n = 0;
    char *bytes = read_all(path, &n);
    bool whole = bytes && n >= sizeof iend &&
                 memcmp(bytes + n - sizeof iend, iend, sizeof iend) == 0;
    free(bytes);
    return whole;
}

/* Every row ends with a newline and has the header's columns. */
static bool csv_whole(const char *path)
{
    char *text = read_all(path, NULL);
    if (!text)
        return false;
    int columns = -1;
    bool whole = *text != '\0';
    for (char *line = text; whole && *line;) {
        char *end = strchr(line, '\n');
        if (!end) {
            whole = false;
            break;
        }
        int commas = 0;
        for (char *c = line; c < end; c++)
            commas += *c == ',';
        if (columns < 0)
            columns = commas;
        whole = commas == columns;
        line = end + 1;
    }
    free(text);
    return whole;
}

/* No temporary is left, and every file under its final name is whole
 * (the events file is appended in place by design, tfevents.h: a
 * reader stops at a torn record, so it is not checked here). */
static void assert_nothing_partial(const char *out)
{
    DIR *d = opendir(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        char *path = path_join(out, name);
        bool ok = true;
        if (len > 4 && strcmp(name + len - 4, ".tmp") == 0)
            ok = false;
        else if (len > 5 && strcmp(name + len - 5, ".ckpt") == 0) {
            Ckpt c;
            Error err;
            ok = ckpt_load(&c, path, NULL, &err) == 0;
            if (ok)
                ckpt_free(&c);
        } else if (len > 4 && strcmp(name + len - 4, ".png") == 0)
            ok = png_whole(path);
        else if (len > 4 && strcmp(name + len - 4, ".csv") == 0)
            ok = csv_whole(path);
        else if (strcmp(name, "result.txt") == 0)
            ok = false; /* the run failed: no result */
        if (!ok)
            fprintf(stderr, "\n    %s is partial or left over\n", path);
        CU_ASSERT_TRUE(ok);
        free(path);
    }
    closedir(d);
}

/* 16 steps of 2 images: the log and the events file grow during the
 * epoch; the pictures and checkpoints come at its end. */
#define DISK_RUN "--limit 32 --batch 2 --epochs 1 --seed 9"

/* A run under a file size limit of `limit` bytes fails with exit 1 and
 * one line, naming <out>/<file...> and the cause, and leaves nothing
 * partial. */
static void expect_disk_full(const char *tag, long limit,
                             const char *file, const char *extra)
{
    char *out = scratch_path(dir, tag);
    char args[1024];
    snprintf(args, sizeof args, DISK_RUN " %s --out %s", extra, out);
    CU_ASSERT_EQUAL(run_program_limited(PROG, dir, tag, args, limit, true),
                    1);
    char *said = program_output(dir, tag);
    char expected[1024];
    snprintf(expected, sizeof expected, "cannot write %s/%s", out, file);
    ASSERT_CONTAINS(said, expected);
    ASSERT_CONTAINS(said, "File too large");
    CU_ASSERT_EQUAL(lines(said), 1);
    free(said);
    assert_nothing_partial(out);
    free(out);
}

/* Each file a training run writes, in turn the first one the "disk"
 * cannot hold: the limits sit between the sizes a run with no limit
 * gives. */
static void test_full_disk_each_file(void)
{
    char args[1024];
    snprintf(args, sizeof args, DISK_RUN " --out %s/fref", dir);
    CU_ASSERT_EQUAL_FATAL(run_program(PROG, dir, "fref", args), 0);
    char *ref = scratch_path(dir, "fref");
    char *log = path_join(ref, "log.csv");
    char *png = path_join(ref, "samples.png");
    long log_size = file_size(log), png_size = file_size(png);
    long events_size = 0;
    DIR *d = opendir(ref);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        if (strncmp(e->d_name, "events.", 7) == 0) {
            char *p = path_join(ref, e->d_name);
            events_size = file_size(p);
            free(p);
        }
    if (d)
        closedir(d);
    const long log_limit = 400, generator_fits = 1000000,
               state_fits = 10000000;
    /* the order the limits rely on */
    CU_ASSERT_FATAL(log_limit < log_size && log_size < png_size / 2 &&
                    png_size < events_size && events_size < generator_fits);
    expect_disk_full("full-log", log_limit, "log.csv", "");
    expect_disk_full("full-png", png_size / 2, "samples-epoch-001.png", "");
    expect_disk_full("full-events", (png_size + events_size) / 2,
                     "events.out.tfevents.", "");
    expect_disk_full("full-g", generator_fits, "generator-epoch-001.ckpt",
                     "");
    expect_disk_full("full-state", state_fits, "checkpoint.ckpt", "");
    free(log);
    free(png);
    free(ref);
}

/* gnuplot exits 0 when it cannot write all of a figure: the redrawn
 * figure is refused (said once, no partial PNG), the run goes on, and
 * the next file that does not fit stops it. */
static void test_full_disk_figure(void)
{
    char *out = scratch_path(dir, "full-fig");
    char args[1024];
    snprintf(args, sizeof args, DISK_RUN " --plot-every 4 --out %s", out);
    CU_ASSERT_EQUAL(run_program_limited(PROG, dir, "full-fig", args, 20000,
                                        true), 1);
    char *said = program_output(dir, "full-fig");
    ASSERT_CONTAINS(said, "08-gan-mnist.png: gnuplot could not write all "
                          "of it (is the disk full?); no more redraws");
    ASSERT_CONTAINS(said, "samples-epoch-001.png: File too large");
    CU_ASSERT_EQUAL(lines(said), 2);
    free(said);
    assert_nothing_partial(out);
    free(out);
}

/* A really full disk: a 3 MiB tmpfs as --out, mounted in a mount
 * namespace of its own (needs root, or user namespaces; skipped with a
 * note where neither is allowed). The files are copied out before the
 * namespace ends. */
static void test_full_tmpfs(void)
{
    int rc = run_shell(
        "cd %s && mkdir -p tfs tfs-copy && unshare -m sh -c '"
        "mount --make-rprivate / 2>/dev/null; "
        "mount -t tmpfs -o size=3m tmpfs tfs 2>/dev/null || exit 99; "
        "%s --data data --threads 1 --quiet " DISK_RUN " --out tfs "
        ">tfs.out 2>&1; echo $? >tfs.status; cp -a tfs/. tfs-copy/' "
        "2>/dev/null", dir, PROG);
    if (rc != 0) {
        fprintf(stderr, "\n    note: no tmpfs could be mounted here "
                "(not root?): the tmpfs case is skipped\n");
        return;
    }
    char *status = scratch_read(dir, "tfs.status");
    CU_ASSERT_TRUE(status && atoi(status) == 1);
    free(status);
    char *said = program_output(dir, "tfs");
    ASSERT_CONTAINS(said, "cannot write tfs/generator-epoch-001.ckpt: No "
                          "space left on device");
    CU_ASSERT_EQUAL(lines(said), 1);
    free(said);
    char *copy = scratch_path(dir, "tfs-copy");
    assert_nothing_partial(copy);
    free(copy);
}

/* ---- an --out that cannot be written ---- */

#define NOBODY 65534

/* Runs the program as user nobody when this process is root, as itself
 * otherwise: root writes into any directory whatever its mode, so a
 * read-only folder is read-only only to another user. Returns the exit
 * status, or -2 when root cannot become nobody here. */
static int run_unprivileged(const char *tag, const char *args)
{
    char cmd[4096], out[1024];
    snprintf(cmd, sizeof cmd, "exec %s --data %s/data --threads 1 --quiet "
             "%s", PROG, dir, args);
    snprintf(out, sizeof out, "%s/%s.out", dir, tag);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(126);
        if (geteuid() == 0 &&
            (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
             setuid(NOBODY) != 0))
            _exit(125);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    int rc = exit_code(status);
    return rc == 125 ? -2 : rc;
}

static bool empty_dir(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return d && n == 0;
}

/* A read-only folder (mode 0555, the run as another user when we are
 * root), a folder under one, a file where the folder should be, and a
 * folder under a file: each one line naming it and the cause, exit 1,
 * before the data is read or a step trained (nothing is written). */
static void test_readonly_out(void)
{
    char *ro = scratch_path(dir, "ro");
    CU_ASSERT_EQUAL_FATAL(mkdir(ro, 0555), 0);
    CU_ASSERT_EQUAL_FATAL(chmod(ro, 0555), 0);
    CU_ASSERT_EQUAL_FATAL(chmod(dir, 0755), 0); /* nobody passes through */
    char args[1024], expected[1024];
    snprintf(args, sizeof args, "--out %s", ro);
    int rc = run_unprivileged("ro", args);
    if (rc == -2 || rc == 126 || rc == 127) {
        fprintf(stderr, "\n    note: %s: the read-only folder case is "
                "skipped\n", rc == -2 ? "root cannot become nobody here"
                                      : "nobody cannot run the program");
    } else {
        CU_ASSERT_EQUAL(rc, 1);
        char *said = program_output(dir, "ro");
        snprintf(expected, sizeof expected,
                 "cannot write into directory %s: Permission denied", ro);
        ASSERT_CONTAINS(said, expected);
        CU_ASSERT_EQUAL(lines(said), 1);
        free(said);
        snprintf(args, sizeof args, "--out %s/sub", ro);
        CU_ASSERT_EQUAL(run_unprivileged("ro-sub", args), 1);
        said = program_output(dir, "ro-sub");
        snprintf(expected, sizeof expected,
                 "cannot create directory %s/sub: Permission denied", ro);
        ASSERT_CONTAINS(said, expected);
        free(said);
        CU_ASSERT_TRUE(empty_dir(ro));
    }
    char *file = scratch_path(dir, "afile");
    write_bytes(file, "x", 1);
    snprintf(args, sizeof args, "--out %s", file);
    snprintf(expected, sizeof expected,
             "cannot use %s as a directory: it is a file", file);
    expect_program_failure(PROG, dir, "afile", args, expected);
    snprintf(args, sizeof args, "--out %s/sub", file);
    snprintf(expected, sizeof expected,
             "cannot create directory %s/sub: Not a directory", file);
    expect_program_failure(PROG, dir, "afile-sub", args, expected);
    CU_ASSERT_EQUAL(file_size(file), 1);
    free(file);
    free(ro);
}

/* ---- Ctrl-C at random steps ---- */

static void test_sigint_at_random_steps(void)
{
    /* 8 steps an epoch, 3 epochs: interrupts inside epochs and at
     * their ends */
    const char *common = "--limit 256 --batch 32 --epochs 3 --seed 11";
    const long steps = 24, margin = 7;
    char args[1024];
    snprintf(args, sizeof args, "%s --out %s/sref", common, dir);
    CU_ASSERT_EQUAL_FATAL(run_program(PROG, dir, "sref", args), 0);
    int landed = check_sigint_chain(PROG, dir, common, "sref", "schain",
                                    steps, margin, 2026);
    if (landed == 0)
        fprintf(stderr, "\n    note: no interrupt landed (a busy "
                "machine?)\n");
}

void suite_faults(void)
{
    CU_pSuite s = CU_add_suite("faults", setup_with_data, teardown);
    CU_add_test(s, "checkpoint killed at exact bytes: the old one loads",
                test_killed_at_every_kind_of_byte);
    CU_add_test(s, "checkpoint writer kill -9'd at random: always whole",
                test_kill9_at_random_moments);
    CU_add_test(s, "chapter 8 killed mid-checkpoint: kept, resumes equal",
                test_chapter_killed_mid_checkpoint);
    CU_add_test(s, "full disk, each file: one message, exit 1, no part",
                test_full_disk_each_file);
    CU_add_test(s, "full disk, the figure: refused, said once",
                test_full_disk_figure);
    CU_add_test(s, "full tmpfs: ENOSPC, one message, nothing partial",
                test_full_tmpfs);
    CU_add_test(s, "read-only or impossible --out: refused before training",
                test_readonly_out);
    CU_add_test(s, "Ctrl-C at random steps: resumes to the same bytes",
                test_sigint_at_random_steps);
}
