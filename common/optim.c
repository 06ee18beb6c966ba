#include "optim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "parallel.h"

static void optim_alloc(Optim *o, const Param *params, int n, int states)
{
    o->t = 0;
    o->nparams = n;
    o->params = xmalloc((size_t)n * sizeof(Param));
    memcpy(o->params, params, (size_t)n * sizeof(Param));
    o->m = NULL;
    o->v = NULL;
    o->offsets = xmalloc(((size_t)n + 1) * sizeof(size_t));
    o->offsets[0] = 0;
    for (int i = 0; i < n; i++)
        o->offsets[i + 1] = o->offsets[i] + param_size(&params[i]);
    if (states >= 1) {
        o->m = xmalloc((size_t)n * sizeof(float *));
        for (int i = 0; i < n; i++)
            o->m[i] = xcalloc(param_size(&params[i]), sizeof(float));
    }
    if (states >= 2) {
        o->v = xmalloc((size_t)n * sizeof(float *));
        for (int i = 0; i < n; i++)
            o->v[i] = xcalloc(param_size(&params[i]), sizeof(float));
    }
}

void optim_init_sgd(Optim *o, const Param *params, int n, float lr)
{
    *o = (Optim){.kind = OPTIM_SGD, .lr = lr};
    optim_alloc(o, params, n, 0);
}

void optim_init_momentum(Optim *o, const Param *params, int n, float lr,
                         float mu)
{
    *o = (Optim){.kind = OPTIM_MOMENTUM, .lr = lr, .momentum = mu};
    optim_alloc(o, params, n, 1);
}

void optim_init_adam(Optim *o, const Param *params, int n, float lr,
                     float beta1, float beta2, float eps)
{
    *o = (Optim){.kind = OPTIM_ADAM, .lr = lr, .beta1 = beta1,
                 .beta2 = beta2, .eps = eps};
    optim_alloc(o, params, n, 2);
}

// listing: sgd-update
static void sgd_update(float *restrict w, const float *restrict g,
                       size_t n, float lr)
{
    for (size_t i = 0; i < n; i++)
        w[i] -= lr * g[i];
}
// end-listing: sgd-update

static void momentum_update(float *restrict w, const float *restrict g,
                            float *restrict vel, size_t n, float lr,
                            float mu)
{
    // listing: momentum-update
    for (size_t i = 0; i < n; i++) {
        vel[i] = mu * vel[i] + g[i];
        w[i] -= lr * vel[i];
    }
    // end-listing: momentum-update
}

/* step = lr / (1 - b1^t) and inv_bc2 = 1 / sqrt(1 - b2^t) are the
 * same for every element, so they are computed once per step. */
static void adam_update(float *restrict w, const float *restrict g,
                        float *restrict m, float *restrict v, size_t n,
                        float b1, float b2, float eps, float step,
                        float inv_bc2)
{
    // listing: adam-update
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1.0f - b1) * g[i];
        v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
        w[i] -= step * m[i] / (sqrtf(v[i]) * inv_bc2 + eps);
    }
    // end-listing: adam-update
}

typedef struct {
    Optim *o;
    float step, inv_bc2; /* Adam's per-step constants */
} UpdateJob;

/* Updates elements [begin, end) of all params laid end to end. */
static void update_range(void *ctx, size_t begin, size_t end)
{
    UpdateJob *job = ctx;
    Optim *o = job->o;
    for (int i = 0; i < o->nparams; i++) {
        size_t lo = o->offsets[i], hi = o->offsets[i + 1];
        if (hi <= begin || lo >= end)
            continue;
        size_t a = (begin > lo ? begin : lo) - lo;
        size_t n = (end < hi ? end : hi) - lo - a;
        Param *p = &o->params[i];
        switch (o->kind) {
        case OPTIM_SGD:
            sgd_update(p->value + a, p->grad + a, n, o->lr);
            break;
        case OPTIM_MOMENTUM:
            momentum_update(p->value + a, p->grad + a, o->m[i] + a, n,
                            o->lr, o->momentum);
            break;
        case OPTIM_ADAM:
            adam_update(p->value + a, p->grad + a, o->m[i] + a,
                        o->v[i] + a, n, o->beta1, o->beta2, o->eps,
                        job->step, job->inv_bc2);
            break;
        }
    }
}

void optim_step(Optim *o)
{
    // listing: bias-correction
    o->t++;
    double bc1 = 1.0 - pow(o->beta1, (double)o->t);
    double bc2 = 1.0 - pow(o->beta2, (double)o->t);
    // end-listing: bias-correction
    UpdateJob job = {o, (float)(o->lr / bc1), (float)(1.0 / sqrt(bc2))};
    parallel_for(o->offsets[o->nparams], update_range, &job);
}

void optim_free(Optim *o)
{
    for (int i = 0; i < o->nparams; i++) {
        if (o->m)
            free(o->m[i]);
        if (o->v)
            free(o->v[i]);
    }
    free(o->m);
    free(o->v);
    free(o->params);
    free(o->offsets);
    memset(o, 0, sizeof *o);
}

_Static_assert(sizeof(long) == sizeof(uint64_t),
               "the step count is saved as a 64-bit word");

static void state_name(char *buf, size_t n, const char *prefix,
                       const char *which, const Param *p)
{
    snprintf(buf, n, "%s.%s.%s", prefix, which, p->name);
}

void optim_ckpt_add(Ckpt *c, Optim *o, const char *prefix)
{
    char name[CKPT_NAME_MAX];
    snprintf(name, sizeof name, "%s.t", prefix);
    ckpt_add(c, name, CKPT_U64, &o->t, 1, (uint64_t[]){1});
    for (int i = 0; i < o->nparams; i++) {
        const Param *p = &o->params[i];
        uint64_t dims[2] = {(uint64_t)p->rows, (uint64_t)p->cols};
        if (o->m) {
            state_name(name, sizeof name, prefix, "m", p);
            ckpt_add(c, name, CKPT_F32, o->m[i], 2, dims);
        }
        if (o->v) {
            state_name(name, sizeof name, prefix, "v", p);
            ckpt_add(c, name, CKPT_F32, o->v[i], 2, dims);
        }
    }
}

int optim_ckpt_read(const Ckpt *c, Optim *o, const char *prefix,
                    Error *err)
{
    char name[CKPT_NAME_MAX];
    snprintf(name, sizeof name, "%s.t", prefix);
    if (ckpt_read(c, name, CKPT_U64, &o->t, 1, (uint64_t[]){1}, err) < 0)
        return -1;
    for (int i = 0; i < o->nparams; i++) {
        const Param *p = &o->params[i];
        uint64_t dims[2] = {(uint64_t)p->rows, (uint64_t)p->cols};
        if (o->m) {
            state_name(name, sizeof name, prefix, "m", p);
            if (ckpt_read(c, name, CKPT_F32, o->m[i], 2, dims, err) < 0)
                return -1;
        }
        if (o->v) {
            state_name(name, sizeof name, prefix, "v", p);
            if (ckpt_read(c, name, CKPT_F32, o->v[i], 2, dims, err) < 0)
                return -1;
        }
    }
    return 0;
}
