#include "epochmeans.h"

#include <stdio.h>

void epoch_means_add(EpochMeans *m, double loss_d, double loss_g,
                     double d_real, double d_fake)
{
    StepSums *s = &m->current;
    s->loss_d += loss_d;
    s->loss_g += loss_g;
    s->d_real += d_real;
    s->d_fake += d_fake;
    s->steps++;
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
    /* no steps quote zeros, said to be over 0 steps */
    long n = s->steps ? s->steps : 1;
    int used = 0;
    if (s->steps != per_epoch)
        used = snprintf(buf, cap, "mean_steps=%ld ", s->steps);
    if (used < 0 || (size_t)used >= cap)
        used = 0;
    snprintf(buf + used, cap - (size_t)used,
             "loss_d=%.4f loss_g=%.4f d_real=%.4f d_fake=%.4f",
             s->loss_d / n, s->loss_g / n, s->d_real / n, s->d_fake / n);
}
