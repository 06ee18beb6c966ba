/* gradsync.c - the all-reduce of one network's gradients: a flat
 * buffer summed at once, or layer by layer while backward runs. */
#include "gradsync.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "progress.h"

void grad_sync_init(GradSync *s, MPI_Comm comm, int size,
                    const Param *params, int nparams, bool overlap)
{
    if (nparams > GRAD_SYNC_MAX_PARAMS)
        fatal("grad_sync_init: %d tensors, at most %d", nparams,
              GRAD_SYNC_MAX_PARAMS);
    *s = (GradSync){.comm = comm, .size = size, .params = params,
                    .nparams = nparams, .overlap = overlap};
    s->floats = params_count(params, nparams);
    s->flat = xmalloc((s->floats + GANTRAIN_MAX_STATS) * sizeof(float));
}

void grad_sync_free(GradSync *s) { free(s->flat); }

void grad_sync_watch(GradSync *s, Mlp *net)
{
    net->grad_ready = grad_sync_layer;
    net->grad_ready_ctx = s;
}

static void sum_in_place(GradSync *s, float *x, size_t n)
{
    s->req[s->nreq] = MPI_REQUEST_NULL;
    MPI_Iallreduce(MPI_IN_PLACE, x, (int)n, MPI_FLOAT, MPI_SUM, s->comm,
                   &s->req[s->nreq]);
    s->nreq++;
}

// listing: grad-sync-layer
void grad_sync_layer(void *ctx, int l)
{
    GradSync *s = ctx;
    if (s->size == 1 || !s->overlap || s->skip)
        return;
    double t0 = clock_seconds();
    for (int i = 2 * l; i < 2 * l + 2 && i < s->nparams; i++)
        sum_in_place(s, s->params[i].grad, param_size(&s->params[i]));
    /* nudge the sums already on their way: Open MPI progresses them
     * only inside MPI calls */
    int done;
    MPI_Testall(s->nreq, s->req, &done, MPI_STATUSES_IGNORE);
    s->seconds += clock_seconds() - t0;
}
// end-listing: grad-sync-layer

static void divide(float *x, size_t n, float p)
{
    for (size_t i = 0; i < n; i++)
        x[i] /= p;
}

// listing: grad-sync-flat
static void sum_flat(GradSync *s, float *stats, int nstats)
{
    float *at = s->flat;
    for (int i = 0; i < s->nparams; i++) {
        size_t n = param_size(&s->params[i]);
        memcpy(at, s->params[i].grad, n * sizeof(float));
        at += n;
    }
    memcpy(at, stats, (size_t)nstats * sizeof(float));
    MPI_Allreduce(MPI_IN_PLACE, s->flat, (int)(s->floats + nstats),
                  MPI_FLOAT, MPI_SUM, s->comm);
    /* the sum over P ranks of means over B rows, divided by P: the
     * mean over the P·B rows of the whole step */
    divide(s->flat, s->floats + nstats, (float)s->size);
    at = s->flat;
    for (int i = 0; i < s->nparams; i++) {
        size_t n = param_size(&s->params[i]);
        memcpy(s->params[i].grad, at, n * sizeof(float));
        at += n;
    }
    memcpy(stats, at, (size_t)nstats * sizeof(float));
}
// end-listing: grad-sync-flat

static void finish_overlap(GradSync *s, float *stats, int nstats)
{
    sum_in_place(s, stats, (size_t)nstats);
    MPI_Waitall(s->nreq, s->req, MPI_STATUSES_IGNORE);
    s->nreq = 0;
    for (int i = 0; i < s->nparams && !s->skip; i++)
        divide(s->params[i].grad, param_size(&s->params[i]),
               (float)s->size);
    divide(stats, (size_t)nstats, (float)s->size);
}

void grad_sync_finish(GradSync *s, float *stats, int nstats)
{
    if (s->size == 1)
        return;
    double t0 = clock_seconds();
    if (s->overlap || s->skip)
        finish_overlap(s, stats, nstats);
    else
        sum_flat(s, stats, nstats);
    s->seconds += clock_seconds() - t0;
}
