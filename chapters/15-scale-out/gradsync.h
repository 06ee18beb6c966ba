/* gradsync.h - one network's gradients summed over the ranks, so that
 * every rank's optimiser takes the same step.
 *
 * THE NORMALISATION: each rank's loss is the mean over its own B rows,
 * so its gradient is (1/B) times a sum over them. The ranks' gradients
 * are summed and divided by P: (1/PB) times the sum over all P·B rows,
 * which is the gradient one process computes with a batch of P·B. (For
 * P = 2 the division is exact, and (g/B)/2 is g/(2B) to the last bit;
 * only the order of the sums differs.) The step's stats (the losses,
 * D's mean outputs) are means too and travel the same way, so the
 * log shows the whole batch's numbers.
 *
 * Two ways to send them:
 *   flat     after backward, every gradient is copied into one buffer
 *            (with the stats), one MPI_Allreduce sums it, and the sums
 *            are copied back divided by P;
 *   overlap  each layer's dW and db are summed in place by their own
 *            MPI_Iallreduce started the moment backward has made them
 *            (Mlp.grad_ready), while backward goes on to the layers
 *            before; grad_sync_finish waits for what is still on the
 *            wire. Open MPI moves a non-blocking reduction along only
 *            inside MPI calls, so each new layer also tests the ones
 *            already sent.
 * With one rank there is nothing to sum: every call returns at once,
 * so a run of one rank is chapter 8's, bit for bit.
 */
#ifndef CH15_GRADSYNC_H
#define CH15_GRADSYNC_H

#include <mpi.h>
#include <stdbool.h>

#include "gantrain.h"
#include "mlp.h"
#include "param.h"

#define GRAD_SYNC_MAX_PARAMS 32

typedef struct {
    MPI_Comm comm;
    int size;                        /* P */
    const Param *params;             /* the network's, (nparams) */
    int nparams;
    bool overlap;                    /* per layer, as backward goes */
    bool skip;                       /* sum the stats only (--unsync) */
    size_t floats;                   /* gradient scalars in all */
    float *flat;                     /* (floats + GANTRAIN_MAX_STATS) */
    MPI_Request req[GRAD_SYNC_MAX_PARAMS + 1];
    int nreq;
    double seconds;                  /* spent here, summed over steps */
} GradSync;

void grad_sync_init(GradSync *s, MPI_Comm comm, int size,
                    const Param *params, int nparams, bool overlap);
void grad_sync_free(GradSync *s);

/* Has mlp_backward call grad_sync_layer for each layer of net, whose
 * Params (W then b, layer by layer, as mlp_params lists them) are s's. */
void grad_sync_watch(GradSync *s, Mlp *net);

/* The Mlp.grad_ready hook: layer l's dW and db are ready; in overlap
 * mode, starts their sums. */
void grad_sync_layer(void *ctx, int l);

/* After backward: every gradient, and stats[0..nstats), becomes its
 * mean over the ranks, on every rank. */
void grad_sync_finish(GradSync *s, float *stats, int nstats);

#endif
