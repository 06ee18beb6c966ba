/* main.c - chapter 15: chapter 8's GAN (or chapter 12's DCGAN) trained
 * data-parallel by several processes, on one machine or many, with
 * Open MPI.
 *
 *   build/bin/15-scale-out                      one rank, no mpirun
 *   mpirun -np 2 build/bin/15-scale-out         two ranks
 *   mpirun -np 2 build/bin/15-scale-out --overlap
 *                                               sums sent during backward
 *   mpirun --hostfile hosts -np 4 build/bin/15-scale-out
 *                                               four ranks on the hosts
 *
 * Adds over chapters 8 and 12: nothing to the model; its step split
 * over ranks, the gradients averaged (gradsync.c), rank 0's state
 * handed to all, rank 0 alone writing. Leaves out on purpose: model
 * parallelism (a network too big for one process), asynchronous
 * updates, and fault tolerance beyond "stop everything, resume from
 * the last checkpoint".
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "gantrain.h"
#include "mat.h"

#include "mpiteam.h"
#include "shard.h"

#define PROGRAM "15-scale-out"
#define DEFAULT_EPOCHS 1
#define DEFAULT_BATCH 64 /* per rank */

int main(int argc, char **argv)
{
    /* threads 0: the host's cores shared among its ranks (below) */
    GanTrainConfig cfg = {.out = "out/" PROGRAM, .seed = 1,
                          .epochs = DEFAULT_EPOCHS, .batch = DEFAULT_BATCH};
    const char *model = "mlp";
    ShardOptions opt = {0};
    CliOption options[] = {
        CLI_SEED(&cfg.seed),
        CLI_OUT(&cfg.out),
        CLI_DATA(&cfg.data),
        CLI_EPOCHS(&cfg.epochs),
        {"--steps", OPT_LONG, &cfg.max_steps, "N",
         "stop after N steps in all, even mid-epoch", 1, 1e12},
        {"--batch", OPT_INT, &cfg.batch, "N",
         "images per step on each rank (a step takes N x ranks)", 1, 4096},
        {"--limit", OPT_INT, &cfg.limit, "N",
         "train on the first N images only", 1, 1e9},
        {"--resume", OPT_STRING, &cfg.resume, "CKPT",
         "continue from a checkpoint of this program, on any number of "
         "ranks that divides its images per step", 0, 0},
        {"--plot-every", OPT_LONG, &cfg.plot_every, "N",
         "redraw the loss figure every N steps", 1, 1e12},
        CLI_NO_EVENTS(&cfg.no_events),
        {"--model", OPT_STRING, &model, "NAME",
         "mlp (chapter 8's GAN) or dcgan (chapter 12's)", 0, 0},
        {"--overlap", OPT_FLAG, &opt.overlap, NULL,
         "sum each layer's gradients while backward computes the layers "
         "before it (mlp)", 0, 0},
        {"--check-sync", OPT_FLAG, &opt.check_sync, NULL,
         "compare every rank's weights (CRC-32) after every step", 0, 0},
        {"--unsync", OPT_STRING, &opt.unsync, "NET",
         "do not average d's or g's gradients, to see the replicas drift",
         0, 0},
        {"--fail-at", OPT_LONG, &opt.fail_at, "N",
         "the last rank stops with an error in its step N (for tests)", 1,
         1e12},
        {"--kill-at", OPT_LONG, &opt.kill_at, "N",
         "the last rank is killed (SIGKILL) in its step N (for tests)", 1,
         1e12},
        {"--threads", OPT_INT, &cfg.threads, "N",
         "OpenBLAS threads per rank, 0 for the host's cores shared among "
         "its ranks (same seed, ranks and threads: same results)", 0, 256},
        CLI_QUIET(&cfg.quiet),
    };
    cli_parse(argc, argv, PROGRAM,
              "Trains chapter 8's GAN or chapter 12's DCGAN data-parallel "
              "over the ranks mpirun starts (one without mpirun).",
              options, sizeof options / sizeof options[0]);
    ShardKind kind = SHARD_MLP;
    if (strcmp(model, "dcgan") == 0)
        kind = SHARD_DCGAN;
    else if (strcmp(model, "mlp") != 0)
        cli_usage_error("--model must be mlp or dcgan");
    if (opt.overlap && kind != SHARD_MLP)
        cli_usage_error("--overlap is for --model mlp");
    if (opt.unsync && strcmp(opt.unsync, "d") && strcmp(opt.unsync, "g"))
        cli_usage_error("--unsync must be d or g");

    MpiTeam team;
    mpi_team_start(&team, &argc, &argv, PROGRAM);
    if (cfg.threads == 0) {
        cfg.threads = cli_default_threads() / team.local_size;
        if (cfg.threads < 1)
            cfg.threads = 1;
    }
    /* gantrain counts a step's images over all ranks */
    cfg.batch *= team.size;
    cfg.team = team.size > 1 ? &team.team : NULL;
    if (team.rank == 0 && !cfg.quiet)
        printf("%s: %d rank%s, %d OpenBLAS thread%s per rank (kernel "
               "%s)\n", PROGRAM, team.size, team.size == 1 ? "" : "s",
               cfg.threads, cfg.threads == 1 ? "" : "s", blas_kernel());
    static Shard shard; /* holds the DCGAN, too large for the stack */
    GanModel m;
    shard_model(&m, &shard, kind, &team, &opt, PROGRAM);
    int status = gantrain_run(&m, &cfg);
    mpi_team_end(&team);
    return status;
}
