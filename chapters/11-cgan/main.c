/* main.c - chapter 11: a conditional GAN (Mirza and Osindero 2014) on
 * 28x28 images, judged by the classifier of chapter 4.
 *
 * Adds over chapter 8: the class label in both networks, a grid with
 * one row per class, and a per-class verdict (the share of samples the
 * classifier assigns to the class asked for, and the per-class FCD).
 * Leaves out on purpose: the stabilising tricks of chapter 10 and the
 * convolutions of chapter 12, so that the label is the one change.
 * Build and run: make run-11-cgan; its tests: make check SUITE=11-cgan
 *
 *   build/bin/11-cgan                         train, then evaluate
 *   build/bin/11-cgan --resume CKPT           continue a stopped run
 *   build/bin/11-cgan --class K --generate N  N samples of class K
 *   build/bin/11-cgan --generate N            N samples of every class
 *   build/bin/11-cgan --evaluate              score a saved generator
 *
 * Needs out/04-classifier/classifier.ckpt (build/bin/04-classifier
 * writes it) or another classifier named by --classifier.
 */
#include <stdio.h>
#include <stdlib.h>

#include "classifier.h"
#include "cli.h"
#include "error.h"
#include "mlp.h"
#include "run.h"

#include "cgan.h"
#include "sample.h"
#include "state.h"
#include "train.h"

#define DEFAULT_EPOCHS 20
#define DEFAULT_BATCH 64
#define DEFAULT_EPOCH_SAMPLES 100 /* per class, for epochs.csv */
#define DEFAULT_EVAL_SAMPLES 1000 /* per class, for eval.csv */
#define MAX_GENERATE 1000 /* per class */
#define EVERY_CLASS (-1)

/* --generate: N samples of one class, or of every class, from a saved
 * generator. */
static int generate_main(const CganConfig *cfg, const char *from, int k,
                         int n)
{
    Run run = {.name = "11-cgan", .seed = cfg->seed, .out = cfg->out,
               .threads = cfg->threads, .quiet = cfg->quiet};
    run_start(&run);
    Error err;
    Mlp g;
    float scale;
    if (cgan_generator_load(from, DEFAULT_BATCH, &g, &scale, &err) < 0)
        fatal("%s", err.msg);
    CganGenerator gen = {&g, scale};
    char name[64];
    if (k == EVERY_CLASS)
        snprintf(name, sizeof name, "classes.png");
    else
        snprintf(name, sizeof name, "class-%d.png", k);
    char *path = run_path(&run, name);
    int rc = k == EVERY_CLASS
                 ? cgan_classes_write(gen, n, cfg->seed, path, &err)
                 : cgan_samples_write(gen, k, n, cfg->seed, path, &err);
    if (rc < 0)
        fatal("%s", err.msg);
    if (!cfg->quiet)
        printf("figure: %s\n", path);
    if (k == EVERY_CLASS)
        run_result(&run, "images=%d classes=all from=%s",
                   n * CGAN_CLASSES, from);
    else
        run_result(&run, "images=%d class=%d from=%s", n, k, from);
    free(path);
    mlp_free(&g);
    return 0;
}

int main(int argc, char **argv)
{
    CganConfig cfg = {.out = "out/11-cgan", .seed = 1,
                      .classifier = CLASSIFIER_CKPT,
                      .epochs = DEFAULT_EPOCHS, .batch = DEFAULT_BATCH,
                      .label_scale = CGAN_LABEL_SCALE,
                      .epoch_samples = DEFAULT_EPOCH_SAMPLES,
                      .eval_samples = DEFAULT_EVAL_SAMPLES,
                      .threads = cli_default_threads()};
    const char *from = NULL;
    int generate = 0, klass = EVERY_CLASS;
    bool evaluate = false;
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        CLI_EPOCHS(&cfg.epochs),
        {"--steps", OPT_LONG, &cfg.max_steps, "N",
         "stop after N steps in all, even mid-epoch", 1, 1e12},
        {"--batch", OPT_INT, &cfg.batch, "N", "images per step", 1, 4096},
        {"--limit", OPT_INT, &cfg.limit, "N",
         "train on the first N images only", 1, 1e9},
        {"--resume", OPT_STRING, &cfg.resume, "CKPT",
         "continue from a checkpoint of this program", 0, 0},
        {"--label-scale", OPT_FLOAT, &cfg.label_scale, "S",
         "the value in a one-hot row's class column (the book compares "
         "1 and 10)", CGAN_MIN_LABEL_SCALE, CGAN_MAX_LABEL_SCALE},
        {"--classifier", OPT_STRING, &cfg.classifier, "CKPT",
         "chapter 4's classifier, which judges the samples", 0, 0},
        {"--epoch-samples", OPT_INT, &cfg.epoch_samples, "N",
         "samples per class scored after every epoch", 1, 100000},
        {"--eval-samples", OPT_INT, &cfg.eval_samples, "N",
         "samples per class in the final evaluation", 2, 100000},
        {"--class", OPT_INT, &klass, "K",
         "the class --generate draws, 0 to 9 (-1: N of every class)", 0,
         CGAN_CLASSES - 1},
        {"--generate", OPT_INT, &generate, "N",
         "draw N samples of --class from --from into class-K.png "
         "(or classes.png)", 1, MAX_GENERATE},
        {"--evaluate", OPT_FLAG, &evaluate, NULL,
         "score the generator in --from per class; do not train", 0, 0},
        {"--from", OPT_STRING, &from, "CKPT",
         "checkpoint for --generate and --evaluate "
         "(default <out>/generator.ckpt)", 0, 0},
        CLI_NO_EVENTS(&cfg.no_events),
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "11-cgan",
              "Trains a conditional GAN (Mirza and Osindero 2014) on "
              "28x28 images and asks chapter 4's classifier whether it "
              "draws the class asked for.",
              options, sizeof options / sizeof options[0]);
    if (klass != EVERY_CLASS && !generate)
        cli_usage_error("--class is for --generate");
    if (generate && evaluate)
        cli_usage_error("--generate and --evaluate: choose one");
    if ((generate || evaluate) && cfg.resume)
        cli_usage_error("--resume trains; --generate and --evaluate "
                        "read --from");
    char fallback[4096];
    if ((generate || evaluate) && !from) {
        snprintf(fallback, sizeof fallback, "%s/generator.ckpt", cfg.out);
        from = fallback;
    }
    if (generate)
        return generate_main(&cfg, from, klass, generate);
    if (evaluate)
        return cgan_evaluate_main(&cfg, from);
    return cgan_train(&cfg);
}
