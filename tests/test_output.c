/* test_output.c - logs, PNGs and folders: written whole or not at all,
 * also when two processes write the same file, or one stops on an
 * error with files open. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stb_image.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csvlog.h"
#include "files.h"
#include "helpers.h"
#include "image.h"

SCRATCH_FIXTURE

static void test_csv_log(void)
{
    char *path = scratch_path(dir, "log.csv");
    CsvLog log;
    Error err;
    CU_ASSERT_EQUAL_FATAL(csv_open(&log, path, "step,loss,acc", &err), 0);
    CU_ASSERT_EQUAL(log.ncols, 3);
    csv_row(&log, (double[]){0, 0.6931471805599453, 0.5});
    csv_row(&log, (double[]){100, 1e-7, 1});
    /* not in place until closed */
    CU_ASSERT_FALSE(file_exists(path));
    CU_ASSERT_EQUAL(csv_close(&log, &err), 0);
    char *text = read_all(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "step,loss,acc\n0,0.693147,0.5\n"
                                 "100,1e-07,1\n");
    free(text);
    free(path);
}

static void test_csv_abort_keeps_old_file(void)
{
    char *path = scratch_path(dir, "kept.csv");
    write_bytes(path, "old\n", 4);
    CsvLog log;
    Error err;
    CU_ASSERT_EQUAL_FATAL(csv_open(&log, path, "a", &err), 0);
    csv_row(&log, (double[]){1});
    csv_abort(&log);
    char *text = read_all(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "old\n");
    free(text);
    free(path);
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
           (uint32_t)b[2] << 8 | b[3];
}

static void test_png_grid(void)
{
    char *path = scratch_path(dir, "grid.png");
    float images[5 * 4 * 3];
    for (int i = 0; i < 5 * 12; i++)
        images[i] = (float)(i % 12) / 11.0f * 2.0f - 1.0f;
    Error err;
    CU_ASSERT_EQUAL_FATAL(png_write_grid(path, images, 5, 4, 3, 3, -1.0f,
                                         1.0f, &err), 0);
    size_t size;
    unsigned char *png = (unsigned char *)read_all(path, &size);
    CU_ASSERT_TRUE_FATAL(size > 33);
    CU_ASSERT_EQUAL(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
    CU_ASSERT_EQUAL(memcmp(png + 12, "IHDR", 4), 0);
    /* 3 tiles across, 2 down, each zoomed, with borders */
    CU_ASSERT_EQUAL(be32(png + 16), 3 * 3 * GRID_ZOOM + 4 * GRID_PAD);
    CU_ASSERT_EQUAL(be32(png + 20), 2 * 4 * GRID_ZOOM + 3 * GRID_PAD);
    free(png);
    free(path);
}

/* The in-memory PNG is the file's, byte for byte, and decodes to the
 * grid's pixels. */
static void test_png_in_memory(void)
{
    char *path = scratch_path(dir, "grid-mem.png");
    float images[3 * 2 * 2] = {-1, 1, 0, 1, 1, 1, 1, 1, -1, -1, -1, -1};
    Error err;
    PngBytes png;
    CU_ASSERT_EQUAL_FATAL(png_write_grid(path, images, 3, 2, 2, 2, -1.0f,
                                         1.0f, &err), 0);
    CU_ASSERT_EQUAL_FATAL(png_encode_grid(&png, images, 3, 2, 2, 2, -1.0f,
                                          1.0f, &err), 0);
    size_t size;
    char *file = read_all(path, &size);
    CU_ASSERT_TRUE(file && size == png.size &&
                   memcmp(file, png.bytes, size) == 0);
    int w, h, channels;
    unsigned char *px = stbi_load_from_memory(png.bytes, (int)png.size, &w,
                                              &h, &channels, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(px);
    CU_ASSERT_EQUAL(w, png.width);
    CU_ASSERT_EQUAL(h, png.height);
    CU_ASSERT_EQUAL(w, 2 * 2 * GRID_ZOOM + 3 * GRID_PAD);
    CU_ASSERT_EQUAL(h, 2 * 2 * GRID_ZOOM + 3 * GRID_PAD);
    CU_ASSERT_EQUAL(channels, 1);
    /* the first tile's first pixel is -1 (black), its second 1 (white),
     * the empty fourth tile mid-grey */
    CU_ASSERT_EQUAL(px[GRID_PAD * w + GRID_PAD], 0);
    CU_ASSERT_EQUAL(px[GRID_PAD * w + GRID_PAD + GRID_ZOOM], 255);
    int far = h - GRID_PAD - 1;
    CU_ASSERT_EQUAL(px[far * w + w - GRID_PAD - 1], 128);
    stbi_image_free(px);
    free(png.bytes);
    free(file);
    free(path);
}

static void test_png_unwritable(void)
{
    float x[4] = {0};
    Error err;
    CU_ASSERT_EQUAL(png_write_grid("/nonexistent-dir/g.png", x, 1, 2, 2, 1,
                                   0, 1, &err), -1);
    ASSERT_CONTAINS(err.msg, "cannot write");
}

static void test_make_dirs(void)
{
    char *deep = scratch_path(dir, "a/b/c");
    Error err;
    CU_ASSERT_EQUAL(make_dirs(deep, &err), 0);
    CU_ASSERT_TRUE(file_exists(deep));
    CU_ASSERT_EQUAL(make_dirs(deep, &err), 0); /* exists: fine */
    char *file = scratch_path(dir, "plain-file");
    write_bytes(file, "x", 1);
    CU_ASSERT_EQUAL(make_dirs(file, &err), -1);
    ASSERT_CONTAINS(err.msg, "it is a file");
    char *under = scratch_path(dir, "plain-file/sub");
    CU_ASSERT_EQUAL(make_dirs(under, &err), -1);
    ASSERT_CONTAINS(err.msg, "cannot create directory");
    free(deep);
    free(file);
    free(under);
}

static void test_csv_resume_and_publish(void)
{
    char *path = scratch_path(dir, "resume.csv");
    CsvLog log;
    Error err;
    CU_ASSERT_EQUAL_FATAL(csv_open(&log, path, "step,x", &err), 0);
    for (int s = 1; s <= 5; s++)
        csv_row(&log, (double[]){s, 10 * s});
    CU_ASSERT_EQUAL(csv_publish(&log, &err), 0);
    char *text = read_all(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "step,x\n1,10\n2,20\n3,30\n4,40\n5,50\n");
    free(text);
    csv_row(&log, (double[]){6, 60});
    csv_abort(&log); /* a crash: the published log stays */
    /* resume from a checkpoint taken after step 3 */
    CU_ASSERT_EQUAL_FATAL(csv_resume(&log, path, "step,x", 3, &err), 0);
    csv_row(&log, (double[]){4, 41});
    CU_ASSERT_EQUAL(csv_close(&log, &err), 0);
    text = read_all(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "step,x\n1,10\n2,20\n3,30\n4,41\n");
    free(text);
    /* a log behind its checkpoint (step 9) cannot be completed */
    CU_ASSERT_EQUAL(csv_resume(&log, path, "step,x", 9, &err), -1);
    ASSERT_CONTAINS(err.msg, "it ends at 4, before the checkpoint's 9");
    char *tmp = atomic_tmp_path(path, NULL);
    CU_ASSERT_FALSE(file_exists(tmp)); /* its temporary is gone */
    free(tmp);
    text = read_all(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "step,x\n1,10\n2,20\n3,30\n4,41\n");
    free(text);
    CU_ASSERT_EQUAL(csv_resume(&log, path, "step,y", 3, &err), -1);
    ASSERT_CONTAINS(err.msg, "its header is not \"step,y\"");
    char *absent = scratch_path(dir, "absent.csv");
    CU_ASSERT_EQUAL(csv_resume(&log, absent, "step,x", 3, &err), -1);
    ASSERT_CONTAINS(err.msg, "it is missing");
    free(absent);
    free(path);
}

static void test_tmp_names(void)
{
    char pid[32];
    snprintf(pid, sizeof pid, ".%ld.", (long)getpid());
    char *tmp = atomic_tmp_path("out/x.ckpt", NULL);
    char *tagged = atomic_tmp_path("out/log.csv", "publish");
    char want[64];
    snprintf(want, sizeof want, "out/x.ckpt%stmp", pid);
    CU_ASSERT_STRING_EQUAL(tmp, want);
    snprintf(want, sizeof want, "out/log.csv.publish%stmp", pid);
    CU_ASSERT_STRING_EQUAL(tagged, want);
    free(tmp);
    free(tagged);
}

/* The names in folder d other than . and .., joined by spaces. */
static void list_folder(const char *d, char *names, size_t cap)
{
    names[0] = '\0';
    DIR *dd = opendir(d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dd);
    struct dirent *e;
    while ((e = readdir(dd)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            strncat(names, e->d_name, cap - strlen(names) - 2);
            strcat(names, " ");
        }
    closedir(dd);
}

#define WHOLE_BYTES (1 << 20) /* more than one write's buffer */

/* Writes WHOLE_BYTES of c into af and commits it. */
static int write_whole(AtomicFile *af, char c)
{
    char *buf = malloc(WHOLE_BYTES);
    memset(buf, c, WHOLE_BYTES);
    fwrite(buf, 1, WHOLE_BYTES, af->f);
    free(buf);
    Error err;
    return atomic_commit(af, &err);
}

/* Two processes write the same file at once (two runs into one folder,
 * or a run and `make plots`): each writes its own temporary, both
 * renames succeed, and the file is one of them whole. With one fixed
 * temporary name the second process would write into the first's
 * file after its rename, and its own rename would fail. */
static void test_two_processes_same_file(void)
{
    char *sub = scratch_path(dir, "two");
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(sub, &err), 0);
    char *path = path_join(sub, "x.ckpt");
    int opened[2], go[2];
    CU_ASSERT_FATAL(pipe(opened) == 0 && pipe(go) == 0);
    fflush(NULL);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        AtomicFile af;
        char c = 'o';
        if (atomic_open(&af, path, &err) < 0 || write(opened[1], &c, 1) != 1 ||
            read(go[0], &c, 1) != 1)
            _exit(2);
        _exit(write_whole(&af, 'b') == 0 ? 0 : 1);
    }
    char c;
    CU_ASSERT_EQUAL(read(opened[0], &c, 1), 1); /* the child's is open */
    AtomicFile af;
    CU_ASSERT_EQUAL_FATAL(atomic_open(&af, path, &err), 0);
    CU_ASSERT_EQUAL(write_whole(&af, 'a'), 0);
    CU_ASSERT_EQUAL(write(go[1], "g", 1), 1); /* now the child writes */
    int status;
    waitpid(pid, &status, 0);
    CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    size_t size;
    char *text = read_all(path, &size);
    CU_ASSERT_EQUAL_FATAL(size, WHOLE_BYTES);
    size_t same = 0;
    while (same < size && text[same] == text[0])
        same++;
    CU_ASSERT_EQUAL(same, size); /* one writer's bytes, whole */
    CU_ASSERT_EQUAL(text[0], 'b'); /* the last rename wins */
    free(text);
    char names[256];
    list_folder(sub, names, sizeof names);
    CU_ASSERT_STRING_EQUAL(names, "x.ckpt "); /* no temporary left */
    for (int i = 0; i < 2; i++) {
        close(opened[i]);
        close(go[i]);
    }
    free(path);
    free(sub);
}

/* A program that stops on an error (fatal) with files still open
 * leaves no temporary behind, and the old file stays. */
static void test_fatal_removes_temporaries(void)
{
    char *sub = scratch_path(dir, "fatal");
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(sub, &err), 0);
    char *kept = path_join(sub, "kept.csv");
    write_bytes(kept, "old\n", 4);
    char *fresh = path_join(sub, "fresh.png");
    fflush(NULL);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        CsvLog log;
        AtomicFile af;
        if (csv_open(&log, kept, "a", &err) < 0 ||
            atomic_open(&af, fresh, &err) < 0)
            _exit(2);
        csv_row(&log, (double[]){1});
        fatal("stopping with two files open");
    }
    int status;
    waitpid(pid, &status, 0);
    CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    char names[256];
    list_folder(sub, names, sizeof names);
    CU_ASSERT_STRING_EQUAL(names, "kept.csv ");
    char *text = read_all(kept, NULL);
    CU_ASSERT_STRING_EQUAL(text, "old\n");
    free(text);
    free(kept);
    free(fresh);
    free(sub);
}

void suite_output(void)
{
    CU_pSuite s = CU_add_suite("output", setup, teardown);
    CU_add_test(s, "csv log: header, %.6g rows, renamed on close",
                test_csv_log);
    CU_add_test(s, "csv log: abort keeps the old file",
                test_csv_abort_keeps_old_file);
    CU_add_test(s, "png grid: signature and size", test_png_grid);
    CU_add_test(s, "png grid in memory: the file's bytes, decodable",
                test_png_in_memory);
    CU_add_test(s, "csv log: publish while open, resume after a step",
                test_csv_resume_and_publish);
    CU_add_test(s, "png: unwritable path is an error",
                test_png_unwritable);
    CU_add_test(s, "make_dirs: parents, existing, a file in the way",
                test_make_dirs);
    CU_add_test(s, "temporaries are named by the process",
                test_tmp_names);
    CU_add_test(s, "two processes write one file: no collision",
                test_two_processes_same_file);
    CU_add_test(s, "fatal() leaves no temporary behind",
                test_fatal_removes_temporaries);
}
