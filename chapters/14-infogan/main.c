/* main.c - chapter 14: InfoGAN, codes that learn meaning without
 * labels, on chapter 12's convolutional networks.
 *
 *   build/bin/14-infogan                 train (Fashion-MNIST)
 *   build/bin/14-infogan --codes         the codes of a checkpoint
 *   build/bin/14-infogan --resume CKPT   continue a stopped run
 *   build/bin/14-infogan --generate 64   samples from a checkpoint
 */
#include <stdio.h>

#include "cli.h"
#include "gantrain.h"
#include "run.h"

#include "infomodel.h"

/* 3 epochs: 7 minutes on a 2-core AMD EPYC (AVX2), where 5 would take
 * about 12 (book chapter 14); code_acc barely moves after the third
 * (0.426 after it and 0.435 after five on the Intel machine). */
#define DEFAULT_EPOCHS 3
#define DEFAULT_BATCH 64

int main(int argc, char **argv)
{
    GanTrainConfig cfg = {.out = "out/14-infogan", .seed = 1,
                          .epochs = DEFAULT_EPOCHS, .batch = DEFAULT_BATCH,
                          .threads = cli_default_threads()};
    const char *from = NULL, *classifier = NULL;
    int generate = 0;
    bool interpolate = false, codes = false, idx = false, paper = false;
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        CLI_EPOCHS(&cfg.epochs),
        GANTRAIN_CLI_TRAINING(&cfg),
        GANTRAIN_CLI_PICTURES(&generate, &interpolate, &from, &idx),
        {"--paper-nets", OPT_FLAG, &paper, NULL,
         "the InfoGAN paper's networks: a dense layer of 1024 more in G "
         "and in D's body", 0, 0},
        {"--codes", OPT_FLAG, &codes, NULL,
         "draw the codes of --from (codes.png, c2.png, c3.png) and match "
         "c1 to the test classes (match.csv)", 0, 0},
        {"--classifier", OPT_STRING, &classifier, "CKPT",
         "with --codes: also judge what G draws for each code with "
         "chapter 4's classifier (judged.csv)", 0, 0},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, INFOGAN_NAME,
              "Trains InfoGAN (Chen et al. 2016) on 28x28 images "
              "(Fashion-MNIST by default): a categorical code and two "
              "continuous ones that G must make readable from its images.",
              options, sizeof options / sizeof options[0]);
    if ((generate != 0) + interpolate + codes > 1)
        cli_usage_error("--generate, --interpolate and --codes: choose one");
    if (idx && !generate)
        cli_usage_error("--idx writes the samples of --generate N");
    if (classifier && !codes)
        cli_usage_error("--classifier judges the samples of --codes");
    if ((generate || interpolate || codes) && cfg.resume)
        cli_usage_error("--resume trains; --generate, --interpolate and "
                        "--codes read --from");
    if (generate || interpolate)
        return gantrain_pictures(INFOGAN_NAME, &cfg, from, generate,
                                 interpolate, idx);
    if (codes) {
        char fallback[4096];
        if (!from) {
            snprintf(fallback, sizeof fallback, "%s/checkpoint.ckpt",
                     cfg.out);
            from = fallback;
        }
        Run run = {.name = INFOGAN_NAME, .seed = cfg.seed, .out = cfg.out,
                   .data = from, .threads = cfg.threads, .quiet = cfg.quiet,
                   .result_file = ""};
        run_start(&run);
        return infogan_codes(from, cfg.out, cfg.data, classifier,
                             cfg.quiet);
    }
    if (paper && (generate || interpolate || codes || cfg.resume))
        cli_usage_error("--paper-nets builds new networks; a checkpoint "
                        "holds its own");
    return infogan_train(&cfg, paper);
}
