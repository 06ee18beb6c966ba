/* optim.h - optimisers: plain SGD, SGD with momentum, and Adam.
 *
 * An optimiser holds its Params (pointers into the layers) and one or
 * two state tensors per Param. optim_step() reads every grad and
 * updates every value; it does not zero the gradients (see dense.h).
 *
 *   SGD        w -= lr g
 *   momentum   v = mu v + g;  w -= lr v
 *   Adam       m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *              w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *              (Kingma and Ba 2015, with bias correction; t counts
 *              steps from 1.)
 *
 * The update runs on parallel_threads() threads (parallel.h): it is one
 * pass over every weight, bound by memory bandwidth.
 */
#ifndef COMMON_OPTIM_H
#define COMMON_OPTIM_H

#include "ckpt.h"
#include "error.h"
#include "param.h"

typedef enum { OPTIM_SGD, OPTIM_MOMENTUM, OPTIM_ADAM } OptimKind;

typedef struct {
    OptimKind kind;
    float lr;
    float momentum;          /* mu, for OPTIM_MOMENTUM */
    float beta1, beta2, eps; /* for OPTIM_ADAM */
    long t;                  /* steps taken so far */
    int nparams;
    Param *params;           /* (nparams), a copy of the caller's list */
    float **m;               /* per param: velocity, or Adam's m */
    float **v;               /* per param: Adam's v; NULL otherwise */
    size_t *offsets;         /* (nparams + 1): where each param starts if
                                all were laid end to end; the update is
                                split across threads on this index */
} Optim;

void optim_init_sgd(Optim *o, const Param *params, int n, float lr);
void optim_init_momentum(Optim *o, const Param *params, int n, float lr,
                         float mu);
void optim_init_adam(Optim *o, const Param *params, int n, float lr,
                     float beta1, float beta2, float eps);
void optim_step(Optim *o);
void optim_free(Optim *o);

/* Adds the optimiser's state to a checkpoint: "<prefix>.t" and, per
 * Param, "<prefix>.m.<name>" and "<prefix>.v.<name>" (those it has).
 * The data is borrowed until ckpt_save returns. */
void optim_ckpt_add(Ckpt *c, Optim *o, const char *prefix);

/* Restores that state into an optimiser built over the same Params,
 * checking every shape. */
int optim_ckpt_read(const Ckpt *c, Optim *o, const char *prefix,
                    Error *err);

/* Default Adam constants of the paper. */
#define ADAM_BETA1 0.9f
#define ADAM_BETA2 0.999f
#define ADAM_EPS 1e-8f

#endif
