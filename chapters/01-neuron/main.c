/* main.c - chapter 1: one neuron learns AND, OR and two blobs.
 *
 * Three neurons, one per task, are trained side by side by full-batch
 * gradient descent. The run writes log.csv (loss and accuracy of each
 * task every LOG_EVERY steps), the points and the neuron's probability
 * over a grid for each task, and the figure 01-neuron.png.
 *
 * Build and run: make run-01-neuron   (or build/bin/01-neuron --help)
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "csvlog.h"
#include "error.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "run.h"
#include "toy.h"

#include "neuron.h"

#define TASKS 3
#define BLOB_POINTS 200
#define BLOB_STD 0.75f
#define INIT_RANGE 0.5f /* first weights drawn from U(-0.5, 0.5) */
#define LOG_EVERY 10
#define GRID_CELLS 80   /* the probability map is 81 x 81 points */

typedef struct {
    const char *name;
    int count;
    float *X, *y;     /* (count, 2), (count) */
    float lo, hi;     /* the square the figure shows */
    Neuron neuron;
} Task;

typedef struct {
    uint64_t seed;
    const char *out;
    long steps;
    float lr;
    int threads;
    bool quiet;
} Config;

static void make_tasks(Task *tasks, Rng *rng)
{
    const Gate gates[2] = {GATE_AND, GATE_OR};
    const char *names[2] = {"and", "or"};
    for (int t = 0; t < 2; t++) {
        tasks[t] = (Task){.name = names[t], .count = TOY_GATE_POINTS,
                          .lo = -0.5f, .hi = 1.5f};
        tasks[t].X = xmalloc(TOY_GATE_POINTS * 2 * sizeof(float));
        tasks[t].y = xmalloc(TOY_GATE_POINTS * sizeof(float));
        toy_gate(gates[t], tasks[t].X, tasks[t].y);
    }
    tasks[2] = (Task){.name = "blobs", .count = BLOB_POINTS,
                      .lo = -3.5f, .hi = 3.5f};
    tasks[2].X = xmalloc(BLOB_POINTS * 2 * sizeof(float));
    tasks[2].y = xmalloc(BLOB_POINTS * sizeof(float));
    toy_blobs(rng, BLOB_POINTS, BLOB_STD, tasks[2].X, tasks[2].y);
    for (int t = 0; t < TASKS; t++) {
        for (int j = 0; j < NEURON_INPUTS; j++)
            tasks[t].neuron.w[j] = rng_range(rng, -INIT_RANGE, INIT_RANGE);
        tasks[t].neuron.b = 0.0f;
    }
}

static void log_row(CsvLog *log, long step, const Task *tasks)
{
    double row[1 + 2 * TASKS] = {(double)step};
    for (int t = 0; t < TASKS; t++) {
        const Task *k = &tasks[t];
        row[1 + 2 * t] = neuron_loss(&k->neuron, k->X, k->y, k->count);
        row[2 + 2 * t] = neuron_accuracy(&k->neuron, k->X, k->y, k->count);
    }
    csv_row(log, row);
}

/* points-<task>.csv: the data; map-<task>.csv: the neuron's p over a
 * grid, in blocks that gnuplot draws as an image. */
static void write_task_files(const Run *run, const Task *k)
{
    Error err;
    char name[64];
    CsvLog f;
    snprintf(name, sizeof name, "points-%s.csv", k->name);
    char *path = run_path(run, name);
    if (csv_open(&f, path, "x1,x2,label", &err) < 0)
        fatal("%s", err.msg);
    for (int i = 0; i < k->count; i++)
        csv_row(&f, (double[]){k->X[2 * i], k->X[2 * i + 1], k->y[i]});
    if (csv_close(&f, &err) < 0)
        fatal("%s", err.msg);
    free(path);

    snprintf(name, sizeof name, "map-%s.csv", k->name);
    path = run_path(run, name);
    if (csv_open(&f, path, "x1,x2,p", &err) < 0)
        fatal("%s", err.msg);
    float cell = (k->hi - k->lo) / GRID_CELLS;
    for (int a = 0; a <= GRID_CELLS; a++) {
        for (int b = 0; b <= GRID_CELLS; b++) {
            float x[2] = {k->lo + a * cell, k->lo + b * cell};
            csv_row(&f, (double[]){x[0], x[1],
                                   neuron_predict(&k->neuron, x)});
        }
        csv_break(&f);
    }
    if (csv_close(&f, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/01-neuron", .steps = 2000,
                  .lr = 1.0f, .threads = cli_default_threads()};
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_STEPS(&cfg.steps),
        {"--lr", OPT_FLOAT, &cfg.lr, "X", "learning rate", 1e-6, 100},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "01-neuron",
              "One neuron learns AND, OR and two Gaussian blobs by "
              "gradient descent.",
              options, sizeof options / sizeof options[0]);

    Run run = {.name = "01-neuron", .seed = cfg.seed, .out = cfg.out,
               .threads = cfg.threads, .quiet = cfg.quiet};
    run_start(&run);
    Rng rng;
    rng_seed(&rng, cfg.seed);
    Task tasks[TASKS];
    make_tasks(tasks, &rng);

    Error err;
    CsvLog log;
    char *log_path = run_path(&run, "log.csv");
    if (csv_open(&log, log_path,
                 "step,loss_and,acc_and,loss_or,acc_or,loss_blobs,"
                 "acc_blobs", &err) < 0)
        fatal("%s", err.msg);
    Progress progress;
    progress_init(&progress, 0, cfg.steps, cfg.quiet);
    log_row(&log, 0, tasks);
    for (long step = 1; step <= cfg.steps; step++) {
        for (int t = 0; t < TASKS; t++) {
            Task *k = &tasks[t];
            // listing: train-step
            Neuron grad;
            neuron_gradient(&k->neuron, k->X, k->y, k->count, &grad);
            neuron_step(&k->neuron, &grad, cfg.lr);
            // end-listing: train-step
        }
        if (step % LOG_EVERY == 0 || step == cfg.steps)
            log_row(&log, step, tasks);
        progress_update(&progress, step, "loss_blobs=%.4f",
                        neuron_loss(&tasks[2].neuron, tasks[2].X,
                                    tasks[2].y, tasks[2].count));
    }
    progress_end(&progress);
    if (csv_close(&log, &err) < 0)
        fatal("%s", err.msg);
    free(log_path);

    if (!cfg.quiet)
        printf("%-6s %8s %9s %9s %9s %9s\n", "task", "loss", "accuracy",
               "w1", "w2", "b");
    for (int t = 0; t < TASKS; t++) {
        const Task *k = &tasks[t];
        write_task_files(&run, k);
        if (!cfg.quiet)
            printf("%-6s %8.4f %9.4f %9.4f %9.4f %9.4f\n", k->name,
                   neuron_loss(&k->neuron, k->X, k->y, k->count),
                   neuron_accuracy(&k->neuron, k->X, k->y, k->count),
                   k->neuron.w[0], k->neuron.w[1], k->neuron.b);
    }
    if (plot_render("01-neuron", cfg.out, cfg.quiet, &err) < 0)
        warn("%s", err.msg);

    run_result(&run,
               "and_accuracy=%.4f or_accuracy=%.4f blobs_accuracy=%.4f "
               "blobs_loss=%.4f steps=%ld",
               neuron_accuracy(&tasks[0].neuron, tasks[0].X, tasks[0].y,
                               tasks[0].count),
               neuron_accuracy(&tasks[1].neuron, tasks[1].X, tasks[1].y,
                               tasks[1].count),
               neuron_accuracy(&tasks[2].neuron, tasks[2].X, tasks[2].y,
                               tasks[2].count),
               neuron_loss(&tasks[2].neuron, tasks[2].X, tasks[2].y,
                           tasks[2].count),
               cfg.steps);
    for (int t = 0; t < TASKS; t++) {
        free(tasks[t].X);
        free(tasks[t].y);
    }
    return 0;
}
