#include "epochmeans.h"

#include <stdio.h>

#include "error.h"

const char *const EPOCH_MEANS_GAN[4] = {"loss_d", "loss_g", "d_real",
                                        "d_fake"};

void epoch_means_init(EpochMeans *m, int n, const char *const *names)
{
    if (n < 1 || n > EPOCH_MEANS_MAX)
        fatal("epoch_means_init: %d statistics; 1 to %d are counted", n,
              EPOCH_MEANS_MAX);
    *m = (EpochMeans){.n = n, .names = names};
}

void epoch_means_add(EpochMeans *m, const float *values)
{
    StepSums *s = &m->current;
    for (int i = 0; i < m->n; i++)
        s->sum[i] += values[i];
    s->steps++;
}

double step_sums_mean(const StepSums *s, int i)
{
    return s->steps ? s->sum[i] / s->steps : 0.0;
}

const StepSums *epoch_means_end(EpochMeans *m)
{
    m->last = m->current;
    m->current = (StepSums){0};
    return &m->last;
}

const StepSums *epoch_means_quoted(const EpochMeans *m)
{
    return m->current.steps > 0 ? &m->current : &m->last;
}

void epoch_means_fields(const EpochMeans *m, int per_epoch, char *buf,
                        size_t cap)
{
    const StepSums *s = epoch_means_quoted(m);
    size_t used = 0;
    buf[0] = '\0';
    if (s->steps != per_epoch)
        used = (size_t)snprintf(buf, cap, "mean_steps=%ld ", s->steps);
    /* no steps quote zeros, said to be over 0 steps */
    for (int i = 0; i < m->n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s=%.4f",
                                 i ? " " : "", m->names[i],
                                 step_sums_mean(s, i));
}
