/* main.c - chapter 2: one neuron fails XOR; two layers solve it.
 *
 * On two tasks, XOR and two interleaved half-moons, a single neuron
 * and a two-layer network (2 -> H tanh -> 1) are trained side by side
 * by full-batch gradient descent. The run writes log.csv (loss and
 * accuracy of all four every LOG_EVERY steps), each task's points,
 * each model's probability over a grid, and the figure 02-backprop.png.
 *
 * Adds over chapter 1: the hidden layer and backprop (twolayer.c).
 * Leaves out on purpose: matrices and mini-batches (chapter 3).
 * Build and run: make run-02-backprop   (or build/bin/02-backprop --help)
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

#include "single.h"
#include "twolayer.h"

#define TASKS 2
#define MOON_POINTS 200
#define MOON_NOISE 0.1f
#define NEURON_INIT_RANGE 0.5f /* chapter 1's U(-0.5, 0.5) */
#define NET_INIT_RANGE 1.0f    /* the network's weights: U(-1, 1) */
#define LOG_EVERY 10
#define GRID_CELLS 80          /* the probability maps are 81 x 81 */
#define MODELS 2               /* the neuron and the network */
#define XOR_LO -0.5f           /* the squares the figures show */
#define XOR_HI 1.5f
#define MOONS_LO -1.5f
#define MOONS_HI 2.5f

typedef struct {
    const char *name;
    int count;
    float *X, *y;     /* (count, 2), (count) */
    float lo, hi;     /* the square the figure shows */
    OneNeuron neuron;
    TwoLayer net;
} Task;

typedef struct {
    uint64_t seed;
    const char *out;
    long steps;
    float lr;
    int hidden;
    int threads;
    bool quiet;
} Config;

static void make_tasks(Task *tasks, int hidden, Rng *rng)
{
    tasks[0] = (Task){.name = "xor", .count = TOY_GATE_POINTS,
                      .lo = XOR_LO, .hi = XOR_HI};
    tasks[0].X = xmalloc(TOY_GATE_POINTS * 2 * sizeof(float));
    tasks[0].y = xmalloc(TOY_GATE_POINTS * sizeof(float));
    toy_gate(GATE_XOR, tasks[0].X, tasks[0].y);
    tasks[1] = (Task){.name = "moons", .count = MOON_POINTS,
                      .lo = MOONS_LO, .hi = MOONS_HI};
    tasks[1].X = xmalloc(MOON_POINTS * 2 * sizeof(float));
    tasks[1].y = xmalloc(MOON_POINTS * sizeof(float));
    toy_moons(rng, MOON_POINTS, MOON_NOISE, tasks[1].X, tasks[1].y);
    for (int t = 0; t < TASKS; t++) {
        Task *k = &tasks[t];
        for (int j = 0; j < SINGLE_INPUTS; j++)
            k->neuron.w[j] = rng_range(rng, -NEURON_INIT_RANGE,
                                       NEURON_INIT_RANGE);
        k->neuron.b = 0.0f;
        twolayer_init(&k->net, hidden, NET_INIT_RANGE, rng);
    }
}

static void log_row(CsvLog *log, long step, const Task *tasks)
{
    double row[1 + 2 * MODELS * TASKS] = {(double)step};
    double *v = row + 1;
    for (int t = 0; t < TASKS; t++) {
        const Task *k = &tasks[t];
        *v++ = single_loss(&k->neuron, k->X, k->y, k->count);
        *v++ = single_accuracy(&k->neuron, k->X, k->y, k->count);
        *v++ = twolayer_loss(&k->net, k->X, k->y, k->count);
        *v++ = twolayer_accuracy(&k->net, k->X, k->y, k->count);
    }
    csv_row(log, row);
}

static void write_points(const Run *run, const Task *k)
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
}

/* map-<task>-<model>.csv: p(class 1 | x) over a grid, in blocks that
 * gnuplot draws as an image. model 0 is the neuron, 1 the network. */
static void write_map(const Run *run, const Task *k, int model)
{
    Error err;
    char name[64];
    CsvLog f;
    snprintf(name, sizeof name, "map-%s-%s.csv", k->name,
             model ? "net" : "neuron");
    char *path = run_path(run, name);
    if (csv_open(&f, path, "x1,x2,p", &err) < 0)
        fatal("%s", err.msg);
    float cell = (k->hi - k->lo) / GRID_CELLS;
    for (int a = 0; a <= GRID_CELLS; a++) {
        for (int b = 0; b <= GRID_CELLS; b++) {
            float x[2] = {k->lo + a * cell, k->lo + b * cell};
            float p = model ? twolayer_predict(&k->net, x)
                            : single_predict(&k->neuron, x);
            csv_row(&f, (double[]){x[0], x[1], p});
        }
        csv_break(&f);
    }
    if (csv_close(&f, &err) < 0)
        fatal("%s", err.msg);
    free(path);
}

static void print_table(const Task *tasks)
{
    printf("%-6s %-10s %8s %9s\n", "task", "model", "loss", "accuracy");
    for (int t = 0; t < TASKS; t++) {
        const Task *k = &tasks[t];
        printf("%-6s %-10s %8.4f %9.4f\n", k->name, "neuron",
               single_loss(&k->neuron, k->X, k->y, k->count),
               single_accuracy(&k->neuron, k->X, k->y, k->count));
        printf("%-6s %-10s %8.4f %9.4f\n", k->name, "two-layer",
               twolayer_loss(&k->net, k->X, k->y, k->count),
               twolayer_accuracy(&k->net, k->X, k->y, k->count));
    }
}

int main(int argc, char **argv)
{
    Config cfg = {.seed = 1, .out = "out/02-backprop", .steps = 3000,
                  .lr = 1.0f, .hidden = 8,
                  .threads = cli_default_threads()};
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_STEPS(&cfg.steps),
        {"--lr", OPT_FLOAT, &cfg.lr, "X", "learning rate", 1e-6, 100},
        {"--hidden", OPT_INT, &cfg.hidden, "H", "hidden units", 1,
         TWOLAYER_MAX_HIDDEN},
        CLI_THREADS(&cfg.threads),
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, "02-backprop",
              "One neuron and a two-layer network learn XOR and two "
              "half-moons by backprop.",
              options, sizeof options / sizeof options[0]);

    Run run = {.name = "02-backprop", .seed = cfg.seed, .out = cfg.out,
               .threads = cfg.threads, .quiet = cfg.quiet};
    run_start(&run);
    Rng rng;
    rng_seed(&rng, cfg.seed);
    Task tasks[TASKS];
    make_tasks(tasks, cfg.hidden, &rng);

    Error err;
    CsvLog log;
    char *log_path = run_path(&run, "log.csv");
    if (csv_open(&log, log_path,
                 "step,loss_xor_neuron,acc_xor_neuron,loss_xor_net,"
                 "acc_xor_net,loss_moons_neuron,acc_moons_neuron,"
                 "loss_moons_net,acc_moons_net", &err) < 0)
        fatal("%s", err.msg);
    Progress progress;
    progress_init(&progress, 0, cfg.steps, cfg.quiet);
    log_row(&log, 0, tasks);
    for (long step = 1; step <= cfg.steps; step++) {
        for (int t = 0; t < TASKS; t++) {
            Task *k = &tasks[t];
            OneNeuron dneuron;
            single_gradient(&k->neuron, k->X, k->y, k->count, &dneuron);
            single_step(&k->neuron, &dneuron, cfg.lr);
            // listing: train-step
            TwoLayer dnet;
            twolayer_gradient(&k->net, k->X, k->y, k->count, &dnet);
            twolayer_step(&k->net, &dnet, cfg.lr);
            // end-listing: train-step
        }
        if (step % LOG_EVERY == 0 || step == cfg.steps)
            log_row(&log, step, tasks);
        progress_update(&progress, step, "loss_moons_net=%.4f",
                        twolayer_loss(&tasks[1].net, tasks[1].X,
                                      tasks[1].y, tasks[1].count));
    }
    progress_end(&progress);
    if (csv_close(&log, &err) < 0)
        fatal("%s", err.msg);
    free(log_path);

    for (int t = 0; t < TASKS; t++) {
        write_points(&run, &tasks[t]);
        for (int model = 0; model < MODELS; model++)
            write_map(&run, &tasks[t], model);
    }
    if (!cfg.quiet)
        print_table(tasks);
    if (plot_render("02-backprop", cfg.out, cfg.quiet, &err) < 0)
        warn("%s", err.msg);

    const Task *x = &tasks[0], *m = &tasks[1];
    run_result(&run,
               "xor_neuron_accuracy=%.4f xor_net_accuracy=%.4f "
               "moons_neuron_accuracy=%.4f moons_net_accuracy=%.4f "
               "moons_net_loss=%.4f steps=%ld hidden=%d",
               single_accuracy(&x->neuron, x->X, x->y, x->count),
               twolayer_accuracy(&x->net, x->X, x->y, x->count),
               single_accuracy(&m->neuron, m->X, m->y, m->count),
               twolayer_accuracy(&m->net, m->X, m->y, m->count),
               twolayer_loss(&m->net, m->X, m->y, m->count), cfg.steps,
               cfg.hidden);
    for (int t = 0; t < TASKS; t++) {
        free(tasks[t].X);
        free(tasks[t].y);
    }
    return 0;
}
