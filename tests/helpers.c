#define _XOPEN_SOURCE 700 /* nftw */
#include "helpers.h"

#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "ckpt.h"
#include "dataset.h"
#include "files.h"
#include "rng.h"

char *scratch_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *templ = path_join(tmp && *tmp ? tmp : "/tmp", "gan-test-XXXXXX");
    if (!mkdtemp(templ)) {
        perror("mkdtemp");
        abort();
    }
    return templ;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *scratch_path(const char *dir, const char *name)
{
    return path_join(dir, name);
}

void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

void write_gzip(const char *path, const void *data, size_t n)
{
    gzFile gz = gzopen(path, "wb");
    if (!gz || gzwrite(gz, data, (unsigned)n) != (int)n ||
        gzclose(gz) != Z_OK) {
        fprintf(stderr, "cannot write %s\n", path);
        abort();
    }
}

char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    if (size)
        *size = n;
    return buf;
}

int run_shell(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    fflush(stdout);
    int status = system(cmd);
    if (status == -1 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

bool same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *da = read_all(a, &na), *db = read_all(b, &nb);
    bool same = da && db && na == nb && memcmp(da, db, na) == 0;
    free(da);
    free(db);
    return same;
}

double rel_error(const float *a, const float *b, size_t n)
{
    double diff = 0, na = 0, nb = 0;
    for (size_t i = 0; i < n; i++) {
        diff += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        na += (double)a[i] * a[i];
        nb += (double)b[i] * b[i];
    }
    double scale = fmax(sqrt(na), sqrt(nb));
    return scale > 0 ? sqrt(diff) / scale : 0.0;
}

void numeric_gradient(float *x, size_t n, double (*f)(void *), void *ctx,
                      float h, float *numeric)
{
    for (size_t i = 0; i < n; i++) {
        float keep = x[i];
        x[i] = keep + h;
        double up = f(ctx);
        x[i] = keep - h;
        double down = f(ctx);
        x[i] = keep;
        numeric[i] = (float)((up - down) / (2.0 * h));
    }
}

/* L(w + s h v) for the params moved along v by s h, then put back. */
static double loss_along(Param *params, int n, const float *v, double s,
                         double (*loss)(void *), void *ctx)
{
    size_t at = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < param_size(&params[i]); k++, at++)
            params[i].value[k] += (float)s * v[at];
    double value = loss(ctx);
    at = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < param_size(&params[i]); k++, at++)
            params[i].value[k] -= (float)s * v[at];
    return value;
}

double directional_gradient_error(Param *params, int n,
                                  double (*loss)(void *), void *ctx,
                                  Rng *rng, float h)
{
    size_t total = params_count(params, n);
    float *v = malloc(total * sizeof(float));
    rng_fill_normal(rng, v, (long)total, 0.0f, 1.0f);
    double analytic = 0;
    size_t at = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < param_size(&params[i]); k++, at++)
            analytic += (double)params[i].grad[k] * v[at];
    /* central differences at h and 2h, each off by c h^2 + O(h^4):
     * (4 D(h) - D(2h)) / 3 cancels the h^2 term (Richardson), which a
     * network with batch norm over a few rows needs, being curved */
    double d1 = (loss_along(params, n, v, h, loss, ctx) -
                 loss_along(params, n, v, -h, loss, ctx)) / (2.0 * h);
    double d2 = (loss_along(params, n, v, 2.0 * h, loss, ctx) -
                 loss_along(params, n, v, -2.0 * h, loss, ctx)) / (4.0 * h);
    free(v);
    double numeric = (4.0 * d1 - d2) / 3.0;
    if (getenv("FD_DEBUG"))
        fprintf(stderr, "\n analytic %g numeric %g", analytic, numeric);
    return fabs(analytic - numeric) / fmax(fabs(analytic), fabs(numeric));
}

bool contains(const char *haystack, const char *needle)
{
    bool found = haystack && strstr(haystack, needle) != NULL;
    if (!found)
        fprintf(stderr, "\n    expected \"%s\" in \"%s\"\n", needle,
                haystack ? haystack : "(null)");
    return found;
}

/* Finds "key=" in a result line; returns a pointer to its value. */
static const char *result_value(const char *line, const char *key)
{
    size_t n = strlen(key);
    for (const char *s = line; (s = strstr(s, key)) != NULL; s += n) {
        bool starts = s == line || s[-1] == ' ';
        if (starts && s[n] == '=')
            return s + n + 1;
    }
    return NULL;
}

double result_number(const char *line, const char *key)
{
    const char *v = line ? result_value(line, key) : NULL;
    return v ? atof(v) : NAN;
}

#define CSV_TAIL_COLUMNS 64

bool csv_tail_means(const char *path, int first, int n, int rows,
                    double *means)
{
    if (n > CSV_TAIL_COLUMNS || rows < 1)
        return false;
    char *text = read_all(path, NULL);
    char *body = text ? strchr(text, '\n') : NULL; /* after the header */
    int count = 0; /* rows, each ended by a newline */
    for (const char *c = body; c && c[1]; c = strchr(c + 1, '\n'))
        count++;
    double sum[CSV_TAIL_COLUMNS] = {0};
    int row = 0, used = 0;
    for (char *line = body ? strtok(body, "\n") : NULL; line;
         line = strtok(NULL, "\n"), row++) {
        if (row < count - rows)
            continue;
        char *s = line;
        for (int col = 0; col < first + n && s; col++) {
            double v = strtod(s, &s);
            if (col >= first)
                sum[col - first] += v;
            s = strchr(s, ',');
            s = s ? s + 1 : NULL;
        }
        used++;
    }
    free(text);
    if (used != rows)
        return false;
    for (int k = 0; k < n; k++)
        means[k] = sum[k] / rows;
    return true;
}

void assert_gan_result_means(const char *out, int epochs, int mean_rows,
                             bool whole_epoch)
{
    char *result = scratch_read(out, "result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_EQUAL(result_number(result, "epochs"), epochs);
    double mean_steps = result_number(result, "mean_steps");
    CU_ASSERT_TRUE(whole_epoch ? isnan(mean_steps)
                               : mean_steps == mean_rows);
    double loss_d = result_number(result, "loss_d");
    double loss_g = result_number(result, "loss_g");
    double d_real = result_number(result, "d_real");
    double d_fake = result_number(result, "d_fake");
    CU_ASSERT_TRUE(loss_d > 0 && loss_g > 0);
    CU_ASSERT_TRUE(d_real > 0 && d_real < 1);
    CU_ASSERT_TRUE(d_fake > 0 && d_fake < 1);
    double m[4];
    char *log = path_join(out, "log.csv");
    bool read = csv_tail_means(log, 2, 4, mean_rows, m);
    free(log);
    if (!read)
        fprintf(stderr, "\n    %s/log.csv has no %d rows\n", out,
                mean_rows);
    CU_ASSERT_TRUE(read);
    const double rounding = 1e-4; /* the result prints %.4f */
    if (read) {
        CU_ASSERT_DOUBLE_EQUAL(loss_d, m[0], rounding);
        CU_ASSERT_DOUBLE_EQUAL(loss_g, m[1], rounding);
        CU_ASSERT_DOUBLE_EQUAL(d_real, m[2], rounding);
        CU_ASSERT_DOUBLE_EQUAL(d_fake, m[3], rounding);
    }
    free(result);
}

bool book_result_matches(const char *chapter_md, int which,
                         const char *actual, const char *tolerances)
{
    char *path = path_join(PROJECT_DIR, chapter_md);
    char *md = read_all(path, NULL);
    free(path);
    if (!md) {
        fprintf(stderr, "\n    cannot read %s\n", chapter_md);
        return false;
    }
    const char *line = strstr(md, "\nresult: ");
    for (int i = 0; line && i < which; i++)
        line = strstr(line + 1, "\nresult: ");
    if (!line) {
        fprintf(stderr, "\n    %s quotes no result line %d\n", chapter_md,
                which);
        free(md);
        return false;
    }
    line += strlen("\nresult: ");
    bool ok = true;
    const char *end = strchr(line, '\n');
    for (const char *s = line; s && s < end; s = strchr(s, ' ')) {
        while (*s == ' ')
            s++;
        char key[64];
        double book_value;
        if (sscanf(s, "%63[^= \n]=%lf", key, &book_value) != 2)
            break;
        if (strcmp(key, "seconds") == 0)
            continue;
        const char *got = result_value(actual, key);
        if (!got) {
            fprintf(stderr, "\n    the run printed no %s\n", key);
            ok = false;
            continue;
        }
        double tol = 0;
        const char *t = result_value(tolerances, key);
        if (t)
            tol = atof(t);
        double run_value = atof(got);
        if (fabs(run_value - book_value) > tol) {
            fprintf(stderr, "\n    %s: the book says %s=%g, the run gave "
                    "%g (tolerance %g)\n", chapter_md, key, book_value,
                    run_value, tol);
            ok = false;
        }
    }
    free(md);
    return ok;
}

static void write_idx(const char *dir, const char *name, bool images,
                      const uint8_t *data, int count)
{
    size_t head = images ? 16 : 8;
    size_t item = images ? (size_t)DATASET_SIDE * DATASET_SIDE : 1;
    size_t body = (size_t)count * item;
    uint8_t *buf = malloc(head + body);
    uint32_t words[4] = {images ? IDX_MAGIC_IMAGES : IDX_MAGIC_LABELS,
                         (uint32_t)count, DATASET_SIDE, DATASET_SIDE};
    for (size_t w = 0; w < head / 4; w++)
        for (int b = 0; b < 4; b++)
            buf[4 * w + b] = (uint8_t)(words[w] >> (24 - 8 * b));
    memcpy(buf + head, data, body);
    char *path = path_join(dir, name);
    write_bytes(path, buf, head + body);
    free(path);
    free(buf);
}

void write_dataset_subset(const Dataset *ds, const char *dir, int train,
                          int test)
{
    Error err;
    if (make_dirs(dir, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        abort();
    }
    write_idx(dir, "train-images-idx3-ubyte", true, ds->train_images.pixels,
              train);
    write_idx(dir, "train-labels-idx1-ubyte", false,
              ds->train_labels.labels, train);
    write_idx(dir, "t10k-images-idx3-ubyte", true, ds->test_images.pixels,
              test);
    write_idx(dir, "t10k-labels-idx1-ubyte", false, ds->test_labels.labels,
              test);
}

char *scratch_read(const char *dir, const char *name)
{
    char *path = scratch_path(dir, name);
    char *text = read_all(path, NULL);
    free(path);
    return text;
}

bool scratch_same(const char *dir, const char *a, const char *b)
{
    char *pa = scratch_path(dir, a), *pb = scratch_path(dir, b);
    bool result = same_file(pa, pb);
    free(pa);
    free(pb);
    return result;
}

void write_default_subset(const char *dir, int train, int test)
{
    Dataset ds;
    Error err;
    if (dataset_load(DATASET_DEFAULT_DIR, &ds, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    char *data = scratch_path(dir, "data");
    write_dataset_subset(&ds, data, train, test);
    free(data);
    dataset_free(&ds);
}

int run_program(const char *prog, const char *dir, const char *tag,
                const char *args)
{
    return run_shell("%s --data %s/data --threads 1 --quiet %s "
                     ">%s/%s.out 2>&1", prog, dir, args, dir, tag);
}

char *program_output(const char *dir, const char *tag)
{
    char name[256];
    snprintf(name, sizeof name, "%s.out", tag);
    return scratch_read(dir, name);
}

void expect_program_failure(const char *prog, const char *dir,
                            const char *tag, const char *args,
                            const char *message)
{
    CU_ASSERT_EQUAL(run_program(prog, dir, tag, args), 1);
    char *out = program_output(dir, tag);
    ASSERT_CONTAINS(out, message);
    free(out);
}

bool same_or_say(const char *dir, const char *a, const char *b)
{
    bool s = scratch_same(dir, a, b);
    if (!s)
        fprintf(stderr, "\n    %s and %s differ\n", a, b);
    return s;
}

/* Starts `prog --data data --threads 1 --quiet <args> --out <out>` in
 * dir, waits until its log's temporary holds `rows` lines (header
 * included) and then `settle` seconds more, presses Ctrl-C, and returns
 * the exit status; what it printed is in dir/<tag>.out. A run that ends
 * first is not waited for longer (its status is then its own). */
static int interrupt_when(const char *prog, const char *dir,
                          const char *args, const char *out, long rows,
                          const char *settle, const char *tag)
{
    int status = run_shell(
        "cd %s && { %s --data data --threads 1 --quiet %s --out %s "
        ">%s.out 2>&1 & pid=$!; log=%s/log.csv.$pid.tmp; "
        "for i in $(seq 3000); do [ -f $log ] && "
        "[ $(wc -l <$log) -ge %ld ] && break; "
        "kill -0 $pid 2>/dev/null || break; sleep 0.01; done; "
        "sleep %s; kill -INT $pid 2>/dev/null; wait $pid; "
        "echo $? >%s.status; }", dir, prog, args, out, tag, out, rows,
        settle, tag);
    CU_ASSERT_EQUAL_FATAL(status, 0);
    char name[256];
    snprintf(name, sizeof name, "%s.status", tag);
    char *code = scratch_read(dir, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(code);
    int rc = atoi(code);
    free(code);
    return rc;
}

void check_sigint_resumes(const char *prog, const char *dir,
                          const char *resume_says)
{
    /* start a long run, wait until it trains, press Ctrl-C */
    CU_ASSERT_EQUAL(interrupt_when(prog, dir, "--steps 1000000 --batch 32",
                                   "int", 2, "0.3", "int"), 130);
    char *out = program_output(dir, "int");
    ASSERT_CONTAINS(out, "interrupted after step");
    ASSERT_CONTAINS(out, resume_says);
    free(out);
    char args[1024];
    snprintf(args, sizeof args, "--resume %s/int/checkpoint.ckpt "
             "--steps 1000000 --epochs 1 --out %s/int", dir, dir);
    CU_ASSERT_EQUAL(run_program(prog, dir, "int2", args), 0);
}

void check_nan_stops(const char *prog, const char *dir, const char *tensor,
                     const char *message)
{
    char args[1024];
    snprintf(args, sizeof args, "--limit 64 --batch 32 --steps 2 "
             "--out %s/nan", dir);
    CU_ASSERT_EQUAL_FATAL(run_program(prog, dir, "nan1", args), 0);
    /* poison one weight, keeping the file well-formed */
    char *path = scratch_path(dir, "nan/checkpoint.ckpt");
    Ckpt c, out;
    Error err;
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, NULL, &err), 0);
    bool poisoned = false;
    for (int i = 0; i < c.count; i++)
        if (strcmp(c.tensors[i].name, tensor) == 0) {
            memcpy((void *)c.tensors[i].data, &(float){NAN}, sizeof(float));
            poisoned = true;
        }
    CU_ASSERT_TRUE_FATAL(poisoned);
    ckpt_init(&out, c.kind);
    for (int i = 0; i < c.count; i++)
        ckpt_add(&out, c.tensors[i].name, c.tensors[i].type,
                 c.tensors[i].data, c.tensors[i].ndim, c.tensors[i].dims);
    CU_ASSERT_EQUAL_FATAL(ckpt_save(&out, path, &err), 0);
    ckpt_free(&out);
    ckpt_free(&c);
    size_t before_size = 0, after_size = 0;
    char *before = read_all(path, &before_size);
    snprintf(args, sizeof args, "--resume %s --steps 4 --out %s/nan", path,
             dir);
    expect_program_failure(prog, dir, "nan2", args, message);
    char *after = read_all(path, &after_size);
    CU_ASSERT_TRUE(before && after && before_size == after_size &&
                   memcmp(before, after, before_size) == 0);
    free(before);
    free(after);
    free(path);
}

int check_sigint_chain(const char *prog, const char *dir, const char *args,
                       const char *reference, const char *out, long steps,
                       long margin, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    const long max_gap = 6; /* steps between two interrupts, at most */
    long done = 0;          /* steps the last checkpoint holds */
    int landed = 0;
    char run_args[2048], tag[64];
    for (int i = 0;; i++) {
        long at = done + 1 + (long)(rng_uniform(&rng) * max_gap);
        if (at > steps - margin)
            break;
        char *ckpt = path_join(out, "checkpoint.ckpt");
        if (done > 0)
            snprintf(run_args, sizeof run_args, "%s --resume %s", args,
                     ckpt);
        else
            snprintf(run_args, sizeof run_args, "%s", args);
        free(ckpt);
        snprintf(tag, sizeof tag, "%s-%d", out, i);
        /* the header and `at` rows: step `at` is done */
        int rc = interrupt_when(prog, dir, run_args, out, at + 1, "0",
                                tag);
        char *said = program_output(dir, tag);
        const char *where = said ? strstr(said, "interrupted after step ")
                                 : NULL;
        if (rc == 0) { /* ended before the interrupt: nothing to resume */
            fprintf(stderr, "\n    note: the run ended before the "
                    "interrupt at step %ld\n", at);
            free(said);
            done = steps;
            break;
        }
        CU_ASSERT_EQUAL(rc, 130);
        CU_ASSERT_PTR_NOT_NULL(where);
        long stopped = where ? atol(where + strlen("interrupted after "
                                                   "step ")) : 0;
        free(said);
        if (rc != 130 || stopped < at) {
            CU_FAIL("the interrupt did not stop the run after its step");
            return landed;
        }
        landed++;
        done = stopped;
    }
    if (done < steps) {
        if (done > 0)
            snprintf(run_args, sizeof run_args, "%s --resume "
                     "%s/%s/checkpoint.ckpt --out %s/%s", args, dir, out,
                     dir, out);
        else
            snprintf(run_args, sizeof run_args, "%s --out %s/%s", args,
                     dir, out);
        snprintf(tag, sizeof tag, "%s-end", out);
        CU_ASSERT_EQUAL(run_program(prog, dir, tag, run_args), 0);
    }
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/log.csv", reference);
    snprintf(b, sizeof b, "%s/log.csv", out);
    CU_ASSERT_TRUE(same_or_say(dir, a, b));
    snprintf(a, sizeof a, "%s/checkpoint.ckpt", reference);
    snprintf(b, sizeof b, "%s/checkpoint.ckpt", out);
    CU_ASSERT_TRUE(same_or_say(dir, a, b));
    return landed;
}

int exit_code(int wait_status)
{
    if (WIFEXITED(wait_status))
        return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    return -1;
}

int run_program_limited(const char *prog, const char *dir, const char *tag,
                        const char *args, long max_file_bytes,
                        bool ignore_signal)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "exec %s --data %s/data --threads 1 --quiet "
             "%s >%s/%s.out 2>&1", prog, dir, args, dir, tag);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* an ignored signal stays ignored across exec */
        signal(SIGXFSZ, ignore_signal ? SIG_IGN : SIG_DFL);
        struct rlimit no_core = {0, 0};
        struct rlimit size = {(rlim_t)max_file_bytes,
                              (rlim_t)max_file_bytes};
        if (setrlimit(RLIMIT_CORE, &no_core) != 0 ||
            setrlimit(RLIMIT_FSIZE, &size) != 0)
            _exit(126);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return exit_code(status);
}
