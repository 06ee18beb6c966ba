#include "mlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "error.h"
#include "mat.h"
#include "parallel.h"

void mlp_init(Mlp *m, int nlayers, const int *sizes, Activation hidden,
              Activation output, InitScheme scheme, int max_batch,
              Rng *rng)
{
    if (nlayers < 1 || nlayers > MLP_MAX_LAYERS)
        fatal("mlp_init: %d layers; 1 to %d are supported", nlayers,
              MLP_MAX_LAYERS);
    memset(m, 0, sizeof *m);
    m->nlayers = nlayers;
    m->hidden = hidden;
    m->output = output;
    m->slope = 0.2f;
    m->max_batch = max_batch;
    int widest = sizes[0];
    for (int l = 0; l <= nlayers; l++) {
        m->sizes[l] = sizes[l];
        if (sizes[l] > widest)
            widest = sizes[l];
    }
    for (int l = 0; l < nlayers; l++) {
        dense_init(&m->layers[l], sizes[l], sizes[l + 1], scheme, rng);
        m->out[l] = xmalloc((size_t)max_batch * sizes[l + 1] *
                            sizeof(float));
    }
    m->grad_a = xmalloc((size_t)max_batch * widest * sizeof(float));
    m->grad_b = xmalloc((size_t)max_batch * widest * sizeof(float));
}

void mlp_free(Mlp *m)
{
    for (int l = 0; l < m->nlayers; l++) {
        dense_free(&m->layers[l]);
        free(m->out[l]);
    }
    free(m->grad_a);
    free(m->grad_b);
    memset(m, 0, sizeof *m);
}

/* One range of an element-wise pass; parallel_for shares the elements
 * of a large one out between the threads, each computed as alone. */
typedef struct {
    Activation act;
    float slope;
    const float *x; /* forward: the input; backward: the output y */
    float *y;       /* forward: the output; backward: d, in place */
    bool backward;
} ActJob;

static void act_range(void *ctx, size_t begin, size_t end)
{
    const ActJob *t = ctx;
    const float *x = t->x + begin;
    float *y = t->y + begin;
    size_t n = end - begin;
    if (t->backward) {
        switch (t->act) {
        case ACT_NONE:
            break;
        case ACT_RELU:
            relu_backward(x, y, y, n);
            break;
        case ACT_LEAKY_RELU:
            leaky_relu_backward(x, y, y, n, t->slope);
            break;
        case ACT_TANH:
            tanh_backward(x, y, y, n);
            break;
        case ACT_SIGMOID:
            sigmoid_backward(x, y, y, n);
            break;
        }
        return;
    }
    switch (t->act) {
    case ACT_NONE:
        if (y != x)
            memcpy(y, x, n * sizeof(float));
        break;
    case ACT_RELU:
        relu_forward(x, y, n);
        break;
    case ACT_LEAKY_RELU:
        leaky_relu_forward(x, y, n, t->slope);
        break;
    case ACT_TANH:
        tanh_forward(x, y, n);
        break;
    case ACT_SIGMOID:
        sigmoid_forward(x, y, n);
        break;
    }
}

void activation_forward(Activation act, float slope, const float *x,
                        float *y, size_t n)
{
    if (act == ACT_NONE && x == y)
        return;
    ActJob t = {act, slope, x, y, false};
    parallel_for(n, act_range, &t);
}

void activation_backward(Activation act, float slope, const float *y,
                         float *d, size_t n)
{
    if (act == ACT_NONE)
        return;
    ActJob t = {act, slope, y, d, true};
    parallel_for(n, act_range, &t);
}

const float *mlp_forward(Mlp *m, const float *x, int n)
{
    if (n > m->max_batch)
        fatal("mlp_forward: batch of %d rows, built for at most %d", n,
              m->max_batch);
    m->input = x;
    const float *in = x;
    for (int l = 0; l < m->nlayers; l++) {
        dense_forward(&m->layers[l], in, m->out[l], n);
        Activation act = l == m->nlayers - 1 ? m->output : m->hidden;
        activation_forward(act, m->slope, m->out[l], m->out[l],
                           (size_t)n * m->sizes[l + 1]);
        in = m->out[l];
    }
    return m->out[m->nlayers - 1];
}

const float *mlp_layer_output(const Mlp *m, int l) { return m->out[l]; }

void mlp_backward(Mlp *m, const float *dy, float *dx, int n,
                  GradMode mode)
{
    int L = m->nlayers;
    /* d holds dL/d(output of layer l); it moves between two scratch
     * buffers so that no layer's gradient is overwritten early. */
    float *d = m->grad_a, *next = m->grad_b;
    memcpy(d, dy, (size_t)n * m->sizes[L] * sizeof(float));
    for (int l = L - 1; l >= 0; l--) {
        Activation act = l == L - 1 ? m->output : m->hidden;
        activation_backward(act, m->slope, m->out[l], d,
                          (size_t)n * m->sizes[l + 1]);
        const float *in = l > 0 ? m->out[l - 1] : m->input;
        dense_backward_mode(&m->layers[l], in, d, l > 0 ? next : dx, n,
                            mode);
        if (m->grad_ready && mode != GRAD_INPUT_ONLY)
            m->grad_ready(m->grad_ready_ctx, l);
        float *t = d;
        d = next;
        next = t;
    }
}

void mlp_zero_grad(Mlp *m)
{
    for (int l = 0; l < m->nlayers; l++)
        dense_zero_grad(&m->layers[l]);
}

int mlp_params(Mlp *m, const char *prefix, Param *params)
{
    int n = 0;
    for (int l = 0; l < m->nlayers; l++) {
        char name[PARAM_NAME_MAX];
        snprintf(name, sizeof name, "%s.fc%d", prefix, l + 1);
        n += dense_params(&m->layers[l], name, params + n);
    }
    return n;
}

long mlp_param_count(const Mlp *m)
{
    long n = 0;
    for (int l = 0; l < m->nlayers; l++)
        n += (long)m->layers[l].in * m->layers[l].out + m->layers[l].out;
    return n;
}

static void arch_of(const Mlp *m, MlpArch *arch)
{
    memset(arch, 0, sizeof *arch);
    arch->words[0] = m->nlayers;
    arch->words[1] = (int32_t)m->hidden;
    arch->words[2] = (int32_t)m->output;
    memcpy(&arch->words[3], &m->slope, sizeof m->slope);
    for (int l = 0; l <= m->nlayers; l++)
        arch->words[4 + l] = m->sizes[l];
}

void mlp_ckpt_add(Ckpt *c, Mlp *m, const char *prefix, MlpArch *arch,
                  Param *params)
{
    char name[CKPT_NAME_MAX];
    arch_of(m, arch);
    snprintf(name, sizeof name, "%s.arch", prefix);
    ckpt_add(c, name, CKPT_I32, arch->words, 1,
             (uint64_t[]){MLP_ARCH_WORDS});
    int n = mlp_params(m, prefix, params);
    ckpt_add_params(c, params, n);
}

static int read_arch(const Ckpt *c, const char *prefix, MlpArch *arch,
                     Error *err)
{
    char name[CKPT_NAME_MAX];
    snprintf(name, sizeof name, "%s.arch", prefix);
    if (ckpt_read(c, name, CKPT_I32, arch->words, 1,
                  (uint64_t[]){MLP_ARCH_WORDS}, err) < 0)
        return -1;
    int32_t L = arch->words[0];
    bool ok = L >= 1 && L <= MLP_MAX_LAYERS &&
              arch->words[1] >= ACT_NONE && arch->words[1] <= ACT_SIGMOID &&
              arch->words[2] >= ACT_NONE && arch->words[2] <= ACT_SIGMOID;
    for (int l = 0; ok && l <= L; l++)
        ok = arch->words[4 + l] >= 1 && arch->words[4 + l] <= (1 << 20);
    if (!ok)
        return error_set(err, "%s: %s describes no network this program "
                         "can build", c->path ? c->path : "checkpoint",
                         name);
    return 0;
}

int mlp_ckpt_load(const Ckpt *c, const char *prefix, int max_batch,
                  Mlp *m, Error *err)
{
    MlpArch arch;
    if (read_arch(c, prefix, &arch, err) < 0)
        return -1;
    int L = arch.words[0], sizes[MLP_MAX_LAYERS + 1];
    for (int l = 0; l <= L; l++)
        sizes[l] = arch.words[4 + l];
    /* a file of a few bytes can claim layers of a million units: build
     * nothing that the file does not hold the parameters of */
    long long count = 0;
    for (int l = 0; l < L; l++)
        count += ((long long)sizes[l] + 1) * sizes[l + 1];
    uint64_t held = ckpt_elements(c, CKPT_F32);
    if ((uint64_t)count > held)
        return error_set(err, "%s: %s.arch describes a network of %lld "
                         "parameters, but the file holds only %llu "
                         "numbers", c->path ? c->path : "checkpoint",
                         prefix, count, (unsigned long long)held);
    Rng unused;
    rng_seed(&unused, 0);
    mlp_init(m, L, sizes, (Activation)arch.words[1],
             (Activation)arch.words[2], INIT_XAVIER, max_batch, &unused);
    memcpy(&m->slope, &arch.words[3], sizeof m->slope);
    Param params[2 * MLP_MAX_LAYERS];
    int n = mlp_params(m, prefix, params);
    if (ckpt_read_params(c, params, n, err) < 0) {
        mlp_free(m);
        return -1;
    }
    return 0;
}

int mlp_ckpt_read(const Ckpt *c, const char *prefix, Mlp *m, Error *err)
{
    MlpArch have, want;
    if (read_arch(c, prefix, &have, err) < 0)
        return -1;
    arch_of(m, &want);
    if (memcmp(&have, &want, sizeof have) != 0)
        return error_set(err, "%s holds a different %s network than "
                         "this program builds (layer sizes or "
                         "activations differ)",
                         c->path ? c->path : "checkpoint", prefix);
    Param params[2 * MLP_MAX_LAYERS];
    int n = mlp_params(m, prefix, params);
    return ckpt_read_params(c, params, n, err);
}
