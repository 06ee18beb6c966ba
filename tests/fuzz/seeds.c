/* seeds.c - writes the fuzz targets' seed corpus, tests/fuzz/corpus/:
 * real small files, saved by the programs' own save functions, and
 * the broken ones the suite's tests make (test_idx.c, test_ckpt.c).
 * Each file starts with the byte its target reads first (see the
 * target's header comment).
 *
 *   build/bin/fuzz-seeds tests/fuzz/corpus    (make fuzz-seeds)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "ckpt.h"
#include "classifier.h"
#include "dataset.h"
#include "files.h"
#include "generator.h"
#include "idx.h"
#include "smallnets.h"

static const char *root;

/* Writes <root>/<target>/<name>: the mode byte, then n bytes. */
static void seed(const char *target, const char *name, uint8_t mode,
                 const void *data, size_t n)
{
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/%s", root, target);
    Error err;
    if (make_dirs(dir, &err) < 0)
        fatal("%s", err.msg);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        fatal("cannot write %s", path);
    fputc(mode, f);
    fwrite(data, 1, n, f);
    if (fclose(f) != 0)
        fatal("cannot write %s", path);
}

static void seed_text(const char *target, const char *name, uint8_t mode,
                      const char *text)
{
    seed(target, name, mode, text, strlen(text));
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fatal("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    uint8_t *b = xmalloc(*n ? *n : 1);
    if (fread(b, 1, *n, f) != *n)
        fatal("cannot read %s", path);
    fclose(f);
    return b;
}

static uint8_t *gzip(const uint8_t *data, size_t n, size_t *out_n)
{
    z_stream s = {0};
    deflateInit2(&s, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&s, n);
    uint8_t *out = xmalloc(cap);
    s.next_in = (Bytef *)data;
    s.avail_in = (uInt)n;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    deflate(&s, Z_FINISH);
    *out_n = cap - s.avail_out;
    deflateEnd(&s);
    return out;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* ---- IDX: mode bit 0 labels, bit 1 gzip in the harness, bit 2 28x28 */

static void idx_seeds(void)
{
    uint8_t b[16 + 2 * 784 + 8];
    /* two real test images and sixteen real labels, when installed */
    Dataset ds;
    Error err;
    if (dataset_load(dataset_dir(NULL), &ds, &err) == 0) {
        put_be32(b, IDX_MAGIC_IMAGES), put_be32(b + 4, 2);
        put_be32(b + 8, 28), put_be32(b + 12, 28);
        memcpy(b + 16, ds.test_images.pixels, 2 * 784);
        seed("idx", "real-images", 4, b, 16 + 2 * 784);
        seed("idx", "real-images-any-size", 0, b, 16 + 2 * 784);
        seed("idx", "real-images-zipped-by-harness", 6, b, 16 + 2 * 784);
        size_t zn;
        uint8_t *z = gzip(b, 16 + 2 * 784, &zn);
        seed("idx", "real-images.gz", 4, z, zn);
        z[zn / 2] ^= 0x40;
        seed("idx", "corrupt.gz", 4, z, zn);
        seed("idx", "truncated.gz", 4, z, zn / 2);
        free(z);
        put_be32(b, IDX_MAGIC_LABELS), put_be32(b + 4, 16);
        memcpy(b + 8, ds.test_labels.labels, 16);
        seed("idx", "real-labels", 5, b, 8 + 16);
        z = gzip(b, 8 + 16, &zn);
        seed("idx", "real-labels.gz", 5, z, zn);
        free(z);
        dataset_free(&ds);
    } else {
        fprintf(stderr, "fuzz-seeds: no real images (%s)\n", err.msg);
    }
    /* the broken files of test_idx.c */
    put_be32(b, IDX_MAGIC_IMAGES), put_be32(b + 4, 1);
    put_be32(b + 8, 28), put_be32(b + 12, 28);
    for (int i = 0; i < 784; i++)
        b[16 + i] = (uint8_t)(i % 251);
    seed("idx", "truncated-header", 4, b, 10);
    seed("idx", "truncated-data", 4, b, 16 + 700);
    memset(b + 16 + 784, 7, 8);
    seed("idx", "trailing-data", 4, b, 16 + 784 + 8);
    put_be32(b + 8, 27);
    seed("idx", "wrong-dimensions", 4, b, 16 + 27 * 28);
    put_be32(b + 8, 28);
    put_be32(b + 4, 0x7fffffffu);
    seed("idx", "absurd-count", 4, b, 16 + 784);
    put_be32(b + 4, 1);
    put_be32(b, 0x00000801u);
    seed("idx", "wrong-magic", 4, b, 16 + 784);
    seed("idx", "empty", 0, b, 0);
    put_be32(b, IDX_MAGIC_IMAGES), put_be32(b + 4, 0);
    seed("idx", "no-images", 0, b, 16);
    put_be32(b, IDX_MAGIC_LABELS), put_be32(b + 4, 3);
    b[8] = 1, b[9] = 10, b[10] = 2;
    seed("idx", "label-out-of-range", 5, b, 11);
    seed("idx", "label-count-mismatch", 5, b, 10);
}

/* ---- checkpoints: mode = reader | 0x10 fix length | 0x20 fix CRC */

static const char *ckpt_dir(void)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s/.scratch", root);
    Error err;
    if (make_dirs(dir, &err) < 0)
        fatal("%s", err.msg);
    return dir;
}

/* Saves c, then seeds the file for reader (and a broken copy). */
static void ckpt_seed(const Ckpt *c, const char *name, int reader)
{
    char *path = path_join(ckpt_dir(), name);
    Error err;
    if (ckpt_save(c, path, &err) < 0)
        fatal("%s", err.msg);
    size_t n;
    uint8_t *b = slurp(path, &n);
    seed("ckpt", name, (uint8_t)reader, b, n);
    remove(path);
    free(path);
    free(b);
}

static void ckpt_file_seed(const char *path, const char *name, int reader)
{
    size_t n;
    uint8_t *b = slurp(path, &n);
    seed("ckpt", name, (uint8_t)reader, b, n);
    /* the same with the length and CRC mended by the harness, so
     * mutations inside it reach the parser */
    char mended[128];
    snprintf(mended, sizeof mended, "%s-mended", name);
    seed("ckpt", mended, (uint8_t)(reader | 0x30), b, n);
    remove(path);
    free(b);
}

static void ckpt_seeds(void)
{
    /* test_ckpt.c's sample: every type, a scalar, an empty tensor */
    float w[15];
    int32_t order[6] = {5, 4, 3, 2, 1, 0};
    uint64_t state[2] = {0xdeadbeefcafef00du, 42}, one = 1;
    for (int i = 0; i < 15; i++)
        w[i] = (float)i / 7.0f - 1.0f;
    Ckpt c;
    ckpt_init(&c, "test-model");
    ckpt_add(&c, "w", CKPT_F32, w, 2, (uint64_t[]){3, 5});
    ckpt_add(&c, "order", CKPT_I32, order, 1, (uint64_t[]){6});
    ckpt_add(&c, "rng", CKPT_U64, state, 1, (uint64_t[]){2});
    ckpt_add(&c, "scalar", CKPT_U64, &one, 0, NULL);
    ckpt_add(&c, "empty", CKPT_F32, w, 3, (uint64_t[]){2, 0, 4});
    ckpt_add(&c, "cube", CKPT_F32, w, 4, (uint64_t[]){1, 3, 1, 5});
    char *path = path_join(ckpt_dir(), "sample");
    Error err;
    if (ckpt_save(&c, path, &err) < 0)
        fatal("%s", err.msg);
    ckpt_free(&c);
    size_t n;
    uint8_t *b = slurp(path, &n);
    seed("ckpt", "sample", 0, b, n);
    seed("ckpt", "sample-mended", 0x30, b, n);
    /* test_ckpt.c's broken copies */
    uint8_t *x = xmalloc(n);
    memcpy(x, b, n), x[0] = 'X';
    seed("ckpt", "wrong-magic", 0, x, n);
    memcpy(x, b, n), x[8] = 9;
    seed("ckpt", "wrong-version", 0, x, n);
    seed("ckpt", "truncated", 0, b, n - 9);
    seed("ckpt", "truncated-header", 0, b, 14);
    seed("ckpt", "empty", 0, b, 0);
    memcpy(x, b, n), x[n / 2] ^= 1;
    seed("ckpt", "flipped-bit", 0, x, n);
    seed("ckpt", "other-kind", 1, b, n);
    free(x);
    free(b);
    remove(path);
    free(path);

    /* chapter 4's classifier: its widths, but no weights (the real
     * one is a megabyte), and one of other widths */
    ckpt_init(&c, CLASSIFIER_KIND);
    ckpt_add(&c, CLASSIFIER_ARCH_TENSOR, CKPT_I32, classifier_sizes, 1,
             (uint64_t[]){CLASSIFIER_LAYERS + 1});
    ckpt_seed(&c, "classifier-arch-only", 1 | 0x30);
    ckpt_free(&c);
    int32_t widths[3] = {784, 5, 10};
    ckpt_init(&c, CLASSIFIER_KIND);
    ckpt_add(&c, CLASSIFIER_ARCH_TENSOR, CKPT_I32, widths, 1,
             (uint64_t[]){3});
    ckpt_seed(&c, "classifier-other-widths", 1 | 0x30);
    ckpt_free(&c);

    /* generators as chapters 8 and 12 save them, for chapter 9 */
    Mlp g;
    small_mlp_generator(&g);
    MlpArch arch;
    Param params[2 * MLP_MAX_LAYERS];
    ckpt_init(&c, GENERATOR_KIND);
    mlp_ckpt_add(&c, &g, GENERATOR_PREFIX, &arch, params);
    ckpt_seed(&c, "mlp-generator", 2 | 0x30);
    snprintf(c.kind, sizeof c.kind, "08-gan-mnist");
    ckpt_seed(&c, "mlp-generator-of-08", 3 | 0x30);
    ckpt_free(&c);
    mlp_free(&g);
    ConvNet net;
    small_conv_generator(&net);
    path = path_join(ckpt_dir(), "conv");
    if (generator_save_net(&net, NULL, path, &err) < 0)
        fatal("%s", err.msg);
    ckpt_file_seed(path, "conv-generator", 4);
    /* with its input cut into noise and codes (g.latent), as the
     * generators of codes save it */
    GeneratorLatent latent = {.noise = 0, .categories = 2, .continuous = 0};
    if (generator_save_net(&net, &latent, path, &err) < 0)
        fatal("%s", err.msg);
    ckpt_file_seed(path, "conv-generator-latent", 2);
    convnet_free(&net);
    free(path);

    /* chapter 8's run state */
    TrainState s;
    small_gan_state(&s);
    path = path_join(ckpt_dir(), "state08");
    if (state_save(&s, path, &err) < 0)
        fatal("%s", err.msg);
    small_gan_state_free(&s);
    ckpt_file_seed(path, "state-08", 5);
    free(path);

    /* chapter 11's run state and generator */
    CganState cs;
    small_cgan_state(&cs);
    path = path_join(ckpt_dir(), "state11");
    if (cgan_state_save(&cs, path, &err) < 0)
        fatal("%s", err.msg);
    ckpt_file_seed(path, "state-11", 6);
    free(path);
    path = path_join(ckpt_dir(), "gen11");
    if (cgan_generator_save(&cs.net, path, &err) < 0)
        fatal("%s", err.msg);
    ckpt_file_seed(path, "generator-11", 7);
    free(path);
    small_cgan_state_free(&cs);

    /* chapter 12's run state, as gantrain saves it */
    static SmallDcgan d;
    small_dcgan(&d);
    ckpt_init(&c, "12-dcgan");
    small_dcgan_ckpt_add(&d, &c);
    ckpt_seed(&c, "state-12", 8 | 0x30);
    ckpt_free(&c);
    small_dcgan_free(&d);
    char *dir = path_join(root, ".scratch");
    remove(dir);
    free(dir);
}

/* ---- logs on resume: header index, last step (2 bytes), file ---- */

static void csv_seed(const char *name, int header, int last,
                     const char *text)
{
    size_t n = strlen(text);
    uint8_t *b = xmalloc(n + 2);
    b[0] = (uint8_t)(last & 0xff), b[1] = (uint8_t)(last >> 8);
    memcpy(b + 2, text, n);
    seed("csvlog", name, (uint8_t)header, b, n + 2);
    free(b);
}

#define GAN_LOG "step,epoch,loss_d,loss_g,d_real,d_fake\n"
#define EPOCH_LOG                                                       \
    "epoch,class_accuracy,real_accuracy,acc_0,acc_1,acc_2,acc_3,acc_4,"  \
    "acc_5,acc_6,acc_7,acc_8,acc_9\n"

static void csvlog_seeds(void)
{
    const char *rows = "1,0,1.38629,0.693147,0.5,0.5\n"
                       "50,0,1.1,0.9,0.61,0.42\n"
                       "100,1,1.2,0.85,0.58,0.44\n";
    char text[1024];
    snprintf(text, sizeof text, GAN_LOG "%s", rows);
    csv_seed("gan-log", 0, 50, text);
    csv_seed("gan-log-all-kept", 0, 100, text);
    snprintf(text, sizeof text, GAN_LOG "%s150,1,1.2", rows);
    csv_seed("gan-log-torn-row", 0, 200, text);
    csv_seed("gan-log-header-only", 0, 0, GAN_LOG);
    csv_seed("gan-log-other-header", 0, 10, "step,loss\n1,0.5\n");
    csv_seed("empty", 0, 10, "");
    snprintf(text, sizeof text,
             EPOCH_LOG "1,0.31,0.88,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,"
                       "1\n2,0.5,0.88,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,"
                       "1\n");
    csv_seed("epochs-11", 1, 1, text);
    csv_seed("step-loss", 2, 3, "step,loss\n1,0.5\n2,nan\n3,inf\n4,1e308\n");
}

/* ---- chapter 10's table: experiment | files bits; files cut by %% */

static void table_seeds(void)
{
    const char *ring = "seed,steps,modes,high_quality,modes_running,hq_running,"
                       "modes_small,hq_small\n"
                       "1,2000,8,85.5,7,80.1,6,70.2\n"
                       "2,2000,7,82.5,8,81.1,5,60.2\n";
    const char *fashion = "seed,steps,fcd,fcd_floor\n1,3000,41.5,2.1\n";
    char text[2048];
    snprintf(text, sizeof text, "%s\n%%%%\n%s\n%%%%\n%s", ring, ring,
             fashion);
    seed_text("table", "all-three", 0xe0, text);
    seed_text("table", "ring-only", 0x21, text);
    seed_text("table", "fashion-only", 0x82, text);
    snprintf(text, sizeof text,
             "seed,steps,modes,high_quality,modes_running,hq_running,modes_small,"
             "hq_small\n1,2000,1e300,nan,inf,-inf,-1e300,1\n\n%%%%\n"
             "\n%%%%\nseed,steps,fcd,fcd_floor\n1,2,3\n");
    seed_text("table", "absurd-numbers", 0xe3, text);
    seed_text("table", "none", 0x00, "");
}

/* ---- options: chapter index, then argv cut at NULs ---- */

static void cli_seed(const char *name, int chapter, const char *args,
                     size_t n)
{
    seed("cli", name, (uint8_t)chapter, args, n);
}
#define CLI_SEED_ARGS(name, chapter, lit) \
    cli_seed(name, chapter, lit, sizeof lit - 1)

static void cli_seeds(void)
{
    /* chapters 01 to 15 are indices 0 to 14 */
    CLI_SEED_ARGS("01-help", 0, "--help");
    CLI_SEED_ARGS("01-seed", 0, "--seed\0" "7\0--quiet");
    CLI_SEED_ARGS("03-max-size", 2, "--max-size=0");
    CLI_SEED_ARGS("04-optim", 3, "--optim\0adam\0--epochs\0" "2");
    CLI_SEED_ARGS("05-threads", 4, "--threads=0");
    CLI_SEED_ARGS("06-g-loss", 5, "--g-loss\0minimax\0--noise\0uniform");
    CLI_SEED_ARGS("07-target", 6, "--target\0grid\0--seeds\0" "3");
    CLI_SEED_ARGS("08-steps", 7, "--steps\0" "600\0--batch=32\0--quiet");
    CLI_SEED_ARGS("08-generate", 7, "--generate\0" "16\0--idx\0--from\0x");
    CLI_SEED_ARGS("08-bad-seed", 7, "--seed\0-1");
    CLI_SEED_ARGS("08-huge-seed", 7, "--seed\0" "18446744073709551615");
    CLI_SEED_ARGS("08-no-value", 7, "--resume");
    CLI_SEED_ARGS("09-images", 8, "--images\0f.idx\0--samples\0" "500");
    CLI_SEED_ARGS("09-bn-batch", 8, "--bn-batch=1");
    CLI_SEED_ARGS("10-experiment", 9, "--experiment\0baseline\0--table");
    CLI_SEED_ARGS("11-class", 10, "--generate\0" "8\0--class\0" "3");
    CLI_SEED_ARGS("12-unknown", 11, "--bogus\0--epochs\0" "1.5");
    CLI_SEED_ARGS("12-float", 11, "--lr\0" "2e-4\0--epochs\0" "1e400");
    CLI_SEED_ARGS("13-help", 12, "--help");
    CLI_SEED_ARGS("14-help", 13, "--help");
    CLI_SEED_ARGS("15-steps", 14, "--steps=10\0--quiet");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    root = argv[1];
    error_set_program("fuzz-seeds");
    idx_seeds();
    ckpt_seeds();
    csvlog_seeds();
    table_seeds();
    cli_seeds();
    return 0;
}
