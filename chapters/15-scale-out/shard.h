/* shard.h - data parallelism: one replica of G and D on every rank,
 * each step's batch split between the ranks, the gradients summed.
 *
 * A step of P ranks with B rows each is a step of one process with
 * P·B rows (the "global batch", the one gantrain and the checkpoints
 * count):
 *   - rank r takes rows [rB, (r+1)B) of the step's real images, and
 *     the same rows of the step's noise, which every rank draws whole
 *     from the shared generator (keeping only its own), so that the
 *     generator stays the same on every rank;
 *   - D's gradients and stats are averaged over the ranks
 *     (gradsync.h) before D's Adam step, G's before G's, so every rank
 *     takes the same two steps and the replicas stay identical;
 *   - batch norm (the DCGAN) normalises by each rank's own B rows.
 * Started from rank 0's weights (gantrain hands them over), the
 * replicas then stay equal bit for bit: the same sums, divided the
 * same way, on every rank.
 */
#ifndef CH15_SHARD_H
#define CH15_SHARD_H

#include <stdbool.h>

#include "../12-dcgan/dcgan.h"
#include "gantrain.h"
#include "gradsync.h"
#include "mlpgan.h"
#include "mpiteam.h"

typedef enum { SHARD_MLP, SHARD_DCGAN } ShardKind;

typedef struct {
    bool overlap;      /* reduce layer by layer during backward (MLP) */
    const char *unsync; /* "d" or "g": do not sum that network's
                           gradients, to watch the replicas drift */
    bool check_sync;   /* compare the weights' CRC-32 after every step */
    long fail_at;      /* the last rank fails in its step N (tests) */
    long kill_at;      /* the last rank is killed in its step N */
} ShardOptions;

typedef struct Shard {
    ShardKind kind;
    GanModel inner;    /* the unsharded model, on B rows */
    MlpGan mlp;
    Dcgan dcgan;
    const MpiTeam *team;
    ShardOptions opt;
    int per;           /* B, rows per rank */
    int batch;         /* P·B */
    Optim *d_opt, *g_opt;
    GradSync d_sync, g_sync;
    long steps;        /* steps this process has taken */
    long timed;        /* of them, after the warm-up */
    double step_seconds, sync_seconds; /* over the timed steps */
    long checked;      /* steps whose weights were compared */
} Shard;

/* model: gantrain's view of s, the `kind` GAN split over team. */
void shard_model(GanModel *model, Shard *s, ShardKind kind,
                 const MpiTeam *team, const ShardOptions *opt,
                 const char *name);

/* Gradient scalars of G and D together: what each step sums. */
size_t shard_grad_floats(const Shard *s);

#endif
