/* main.c - chapter 4: a softmax MLP learns to classify Fashion-MNIST.
 *
 * Adds over chapter 3: a real dataset read a mini-batch at a time and
 * shuffled every epoch, ten classes through a softmax, a held-out test
 * set, a look at the mistakes, and a saved checkpoint.
 * Leaves out on purpose: how Adam and He initialisation work (chapter
 * 5), regularisation against overfitting, and convolution (chapter
 * 12).
 *
 * Trains common/classifier.h's network (784 -> 256 -> 128 -> 10, ReLU)
 * with Adam (--optim sgd for plain gradient descent), lowering the
 * learning rate a little every epoch. After every epoch it scores
 * 10,000 training images and the whole test set into log.csv. At the
 * end it prints the confusion matrix on the test set and the test
 * images with the largest loss, saves the weights as classifier.ckpt
 * for later chapters, and draws the learning curves (04-classifier.png),
 * the confusion matrix (04-classifier-confusion.png) and the most-wrong
 * images (04-classifier-wrong.png; also most-wrong.png and .csv).
 *
 * --eval FILE skips training: it loads a saved classifier and scores
 * it on the test set, writing the same predictions.csv and figures.
 *
 * Build and run: make run-04-classifier   (build/bin/04-classifier
 * --help lists the options; after `make mnist`, --data data/mnist
 * reads the MNIST digits)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "classifier.h"
#include "cli.h"
#include "csvlog.h"
#include "dataset.h"
#include "error.h"
#include "files.h"
#include "image.h"
#include "optim.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "run.h"

#include "report.h"
#include "train.h"

#define EVAL_BATCH 1000 /* rows per forward pass when scoring a split */
#define TRAIN_SCORED 10000 /* training images scored after each epoch */
#define WORST_COUNT 24  /* most-wrong images shown */
#define WORST_COLS 8    /* tiles per row of most-wrong.png */
#define WORST_PRINTED 8 /* of them, listed in the output */
#define MAX_BATCH 4096  /* largest --batch accepted */

typedef struct {
    uint64_t seed;
    const char *out, *data, *eval, *optim;
    OptimKind kind;
    int epochs, batch, limit, threads;
    float lr;
    bool quiet;
} Config;

static void fatal_if(int rc, const Error *err)
{
    if (rc < 0)
        fatal("%s", err->msg);
}

/* Trains clf from scratch, logging every epoch; returns the score on
 * the first TRAIN_SCORED training images after the last epoch. (They
 * stand for the whole training set: scoring all 60,000 would cost a
 * fifth of the run.) */
static Score train(const Config *cfg, const Run *run, Classifier *clf,
                   const Split *train_set, const Split *test_set)
{
    Error err;
    Rng rng;
    rng_seed(&rng, cfg->seed);
    classifier_init(clf, cfg->batch > EVAL_BATCH ? cfg->batch
                                                 : EVAL_BATCH, &rng);
    Param params[2 * MLP_MAX_LAYERS];
    int nparams = mlp_params(&clf->net, CLASSIFIER_PREFIX, params);
    Optim opt;
    clf_optim_init(&opt, cfg->kind, cfg->lr, params, nparams);
    TrainBuffers buf;
    clf_buffers_init(&buf, cfg->batch, train_set->count);

    CsvLog log;
    char *path = run_path(run, "log.csv");
    fatal_if(csv_open(&log, path,
                      "epoch,lr,train_loss,train_accuracy,test_loss,"
                      "test_accuracy", &err), &err);
    free(path);
    Progress progress;
    long per_epoch = clf_epoch_steps(train_set->count, cfg->batch);
    progress_init(&progress, 0, per_epoch * cfg->epochs, cfg->quiet);
    long step = 0;
    Score tr = {0, 0};
    Split scored = *train_set;
    if (scored.count > TRAIN_SCORED)
        scored.count = TRAIN_SCORED;
    /* epoch 0 scores the untrained network */
    for (int epoch = 0; epoch <= cfg->epochs; epoch++) {
        if (epoch > 0) {
            opt.lr = clf_learning_rate(cfg->lr, epoch, cfg->epochs);
            clf_train_epoch(clf, &opt, train_set, &buf, &rng, &progress,
                            &step);
        }
        tr = clf_evaluate(clf, &scored, NULL, NULL);
        Score te = clf_evaluate(clf, test_set, NULL, NULL);
        if (!isfinite(tr.loss) || !isfinite(te.loss))
            fatal("training diverged in epoch %d (the loss is not "
                  "finite); try a smaller --lr than %g", epoch,
                  (double)cfg->lr);
        csv_row(&log, (double[]){epoch, epoch ? opt.lr : 0.0, tr.loss,
                                 tr.accuracy, te.loss, te.accuracy});
    }
    progress_end(&progress);
    fatal_if(csv_close(&log, &err), &err);
    clf_buffers_free(&buf);
    optim_free(&opt);
    return tr;
}

/* predictions.csv: every test image's label, guess and loss. */
static void write_predictions(const Run *run, const Split *s,
                              const int *predicted, const float *loss)
{
    Error err;
    CsvLog f;
    char *path = run_path(run, "predictions.csv");
    fatal_if(csv_open(&f, path, "index,label,predicted,loss", &err),
             &err);
    for (int i = 0; i < s->count; i++)
        csv_row(&f, (double[]){i, s->labels->labels[i], predicted[i],
                               loss[i]});
    fatal_if(csv_close(&f, &err), &err);
    free(path);
}

/* most-wrong.png and most-wrong.csv: the test images with the largest
 * loss, i.e. the ones it was most confidently wrong about. */
static void write_most_wrong(const Config *cfg, const Run *run,
                             const Split *s, const int *predicted,
                             const float *loss,
                             const char *const *names)
{
    Error err;
    int worst[WORST_COUNT];
    int n = s->count < WORST_COUNT ? s->count : WORST_COUNT;
    clf_worst_select(loss, s->count, worst, n);
    float *tiles = xmalloc((size_t)n * CLASSIFIER_INPUT *
                           sizeof(float)); /* (n, D) */
    images_to_float(s->images, worst, n, CLASSIFIER_PIXEL_LO,
                    CLASSIFIER_PIXEL_HI, tiles);
    char *path = run_path(run, "most-wrong.png");
    fatal_if(png_write_grid(path, tiles, n, DATASET_SIDE, DATASET_SIDE,
                            WORST_COLS, CLASSIFIER_PIXEL_LO,
                            CLASSIFIER_PIXEL_HI, &err), &err);
    free(path);
    free(tiles);

    /* the same pixels as one matrix per image, for the labelled
     * figure that plots/04-classifier-wrong.gp draws */
    AtomicFile af;
    path = run_path(run, "most-wrong-pixels.csv");
    fatal_if(atomic_open(&af, path, &err), &err);
    for (int r = 0; r < n; r++) {
        const uint8_t *px = s->images->pixels +
                            (size_t)worst[r] * CLASSIFIER_INPUT;
        for (int y = 0; y < DATASET_SIDE; y++)
            for (int x = 0; x < DATASET_SIDE; x++)
                fprintf(af.f, "%d%c", px[y * DATASET_SIDE + x],
                        x + 1 < DATASET_SIDE ? ',' : '\n');
        fprintf(af.f, "\n\n");
    }
    fatal_if(atomic_commit(&af, &err), &err);
    free(path);

    path = run_path(run, "most-wrong.csv");
    fatal_if(atomic_open(&af, path, &err), &err);
    fprintf(af.f, "rank,index,label,predicted,p_label,label_name,"
            "predicted_name\n");
    if (!cfg->quiet)
        printf("most wrong (tile: true -> predicted, p(true)); all %d "
               "in most-wrong.csv:\n", n);
    for (int r = 0; r < n; r++) {
        int i = worst[r], t = s->labels->labels[i], p = predicted[i];
        double p_true = exp((double)-loss[i]);
        fprintf(af.f, "%d,%d,%d,%d,%.6g,%s,%s\n", r + 1, i, t, p, p_true,
                names[t], names[p]);
        if (!cfg->quiet && r < WORST_PRINTED)
            printf("  %2d  %-11s -> %-11s p=%.2g\n", r + 1, names[t],
                   names[p], p_true);
    }
    fatal_if(atomic_commit(&af, &err), &err);
    free(path);
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/04-classifier", .epochs = 20,
                  .batch = 64, .optim = "adam",
                  .threads = cli_default_threads()};
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        CLI_EPOCHS(&cfg.epochs),
        {"--batch", OPT_INT, &cfg.batch, "N", "images per training step",
         1, MAX_BATCH},
        {"--optim", OPT_STRING, &cfg.optim, "NAME",
         "sgd, momentum or adam (chapter 5 compares them)", 0, 0},
        {"--lr", OPT_FLOAT, &cfg.lr, "X",
         "first learning rate (0: 0.1 for sgd, 0.01 for momentum, "
         "0.001 for adam)", 0, 10},
        {"--limit", OPT_INT, &cfg.limit, "N",
         "train on the first N training images only (0: all)", 0, 1e9},
        {"--eval", OPT_STRING, &cfg.eval, "FILE",
         "score a saved classifier on the test set; do not train", 0,
         0},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "04-classifier",
              "A softmax MLP learns to classify 28x28 images "
              "(Fashion-MNIST by default).",
              options, sizeof options / sizeof options[0]);
    if (clf_optim_parse(cfg.optim, &cfg.kind) < 0)
        cli_usage_error("--optim must be sgd, momentum or adam, not '%s'",
                        cfg.optim);
    if (cfg.lr == 0.0f)
        cfg.lr = clf_optim_default_lr(cfg.kind);

    const char *data = dataset_dir(cfg.data);
    Run run = {.name = "04-classifier", .seed = cfg.seed,
               .out = cfg.out, .data = data, .threads = cfg.threads,
               .quiet = cfg.quiet};
    run_start(&run);
    Error err;
    Dataset ds;
    fatal_if(dataset_load(data, &ds, &err), &err);
    int count = ds.train_images.count;
    if (cfg.limit > 0 && cfg.limit < count)
        count = cfg.limit;
    Split train_set = {&ds.train_images, &ds.train_labels, count};
    Split test_set = {&ds.test_images, &ds.test_labels,
                      ds.test_images.count};

    Classifier clf;
    Score trained = {0, 0};
    if (cfg.eval) {
        fatal_if(classifier_load(&clf, cfg.eval, EVAL_BATCH, &err), &err);
    } else {
        trained = train(&cfg, &run, &clf, &train_set, &test_set);
        char *path = run_path(&run, "classifier.ckpt");
        fatal_if(classifier_save(&clf, path, &err), &err);
        if (!cfg.quiet)
            printf("checkpoint: %s\n", path);
        free(path);
    }

    int *predicted = xmalloc((size_t)test_set.count * sizeof(int));
    float *loss = xmalloc((size_t)test_set.count * sizeof(float));
    Score test = clf_evaluate(&clf, &test_set, predicted, loss);
    const char *const *names = dataset_class_names(data);
    long counts[K_CLASSES][K_CLASSES];
    int *truth = xmalloc((size_t)test_set.count * sizeof(int));
    for (int i = 0; i < test_set.count; i++)
        truth[i] = ds.test_labels.labels[i];
    clf_confusion_count(truth, predicted, test_set.count, counts);
    if (!cfg.quiet)
        clf_confusion_print(counts, names);
    char *path = run_path(&run, "confusion.csv");
    fatal_if(clf_confusion_write(path, counts, &err), &err);
    free(path);
    path = run_path(&run, "classes.csv");
    fatal_if(clf_class_names_write(path, names, &err), &err);
    free(path);
    write_predictions(&run, &test_set, predicted, loss);
    write_most_wrong(&cfg, &run, &test_set, predicted, loss, names);

    if (!cfg.eval && plot_render("04-classifier", cfg.out, cfg.quiet,
                                 &err) < 0)
        warn("%s", err.msg);
    if (plot_render("04-classifier-confusion", cfg.out, cfg.quiet,
                    &err) < 0)
        warn("%s", err.msg);
    if (plot_render("04-classifier-wrong", cfg.out, cfg.quiet, &err) < 0)
        warn("%s", err.msg);

    if (cfg.eval)
        run_result(&run, "test_accuracy=%.4f test_loss=%.4f",
                   test.accuracy, test.loss);
    else
        run_result(&run, "test_accuracy=%.4f test_loss=%.4f "
                   "train_accuracy=%.4f epochs=%d train_images=%d",
                   test.accuracy, test.loss, trained.accuracy, cfg.epochs,
                   count);
    free(truth);
    free(predicted);
    free(loss);
    classifier_free(&clf);
    dataset_free(&ds);
    return 0;
}
