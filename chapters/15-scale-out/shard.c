/* shard.c - chapter 8's GAN and chapter 12's DCGAN, each rank on its
 * shard of every batch, their gradients averaged over the ranks. */
#include "shard.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "../12-dcgan/model.h"
#include "error.h"
#include "progress.h"

#define WARMUP_STEPS 3 /* left out of the timing: caches, first sends */

static void skip_normals(Rng *rng, long n)
{
    for (long i = 0; i < n; i++)
        (void)rng_normal(rng);
}

// listing: rank-noise
/* This rank's rows of the step's noise, `cols` normals a row: a copy
 * of the shared generator moved past the rows of the ranks before
 * this one. The shared generator itself moves past all P·B rows, as
 * one process drawing them all would, and so stays the same on every
 * rank. */
static Rng rank_rows(const Shard *s, Rng *shared, int cols)
{
    Rng mine = *shared;
    skip_normals(&mine, (long)s->team->rank * s->per * cols);
    skip_normals(shared, (long)s->batch * cols);
    return mine;
}
// end-listing: rank-noise

// listing: mlp-shard-step
/* Chapter 8's step (gan_train_step) with the sums between backward
 * and each Adam step. */
static void mlp_step(Shard *s, Rng *rng, float *stats)
{
    Gan *gan = &s->mlp.gan;
    GanStats st;
    Rng mine = rank_rows(s, rng, GAN_Z);
    gan_d_gradients(gan, &mine, &st);
    float d_stats[3] = {st.loss_d, st.d_real, st.d_fake};
    grad_sync_finish(&s->d_sync, d_stats, 3);
    optim_step(&gan->d_opt);

    mine = rank_rows(s, rng, GAN_Z);
    gan_g_gradients(gan, &mine, &st);
    grad_sync_finish(&s->g_sync, &st.loss_g, 1);
    optim_step(&gan->g_opt);
    stats[0] = d_stats[0];
    stats[1] = st.loss_g;
    stats[2] = d_stats[1];
    stats[3] = d_stats[2];
}
// end-listing: mlp-shard-step

/* Chapter 12's step (dcgan_train_step) likewise: one batch of fakes
 * for both networks' steps. */
static void dcgan_step(Shard *s, Rng *rng, float *stats)
{
    Dcgan *gan = &s->dcgan;
    Rng mine = rank_rows(s, rng, DCGAN_Z);
    const float *fake = dcgan_fakes(gan, &mine);
    dcgan_d_gradients(gan, fake, stats);
    float d_stats[3] = {stats[STAT_LOSS_D], stats[STAT_D_REAL],
                        stats[STAT_D_FAKE]};
    grad_sync_finish(&s->d_sync, d_stats, 3);
    optim_step(&gan->d_opt);
    dcgan_g_gradients(gan, fake, stats);
    grad_sync_finish(&s->g_sync, &stats[STAT_LOSS_G], 1);
    optim_step(&gan->g_opt);
    stats[STAT_LOSS_D] = d_stats[0];
    stats[STAT_D_REAL] = d_stats[1];
    stats[STAT_D_FAKE] = d_stats[2];
}

static uint32_t weights_crc(const Optim *o, uint32_t crc)
{
    for (int i = 0; i < o->nparams; i++)
        crc = (uint32_t)crc32(crc, (const Bytef *)o->params[i].value,
                              (uInt)(param_size(&o->params[i]) *
                                     sizeof(float)));
    return crc;
}

/* --check-sync: every rank's CRC-32 of all its weights, against rank
 * 0's. */
static void check_same_weights(Shard *s)
{
    const MpiTeam *t = s->team;
    unsigned crc = weights_crc(s->g_opt, weights_crc(s->d_opt, 0));
    unsigned all[1024];
    if (t->size > (int)(sizeof all / sizeof all[0]))
        fatal("--check-sync compares at most %zu ranks",
              sizeof all / sizeof all[0]);
    MPI_Allgather(&crc, 1, MPI_UNSIGNED, all, 1, MPI_UNSIGNED, t->comm);
    for (int r = 1; r < t->size; r++)
        if (all[r] != all[0]) {
            if (t->rank == 0)
                fatal("after step %ld the weights of rank %d differ from "
                      "rank 0's (CRC-32 %08x, rank 0 %08x): the replicas "
                      "have drifted apart", s->steps, r, all[r], all[0]);
            MPI_Barrier(t->comm); /* rank 0 ends the job */
        }
    s->checked++;
}

/* --fail-at and --kill-at: what a rank that breaks down looks like to
 * the others (the tests' failing rank). */
static void maybe_break_down(const Shard *s)
{
    if (s->team->rank != s->team->size - 1)
        return;
    if (s->steps == s->opt.fail_at)
        fatal("failing in step %ld, as --fail-at asked", s->steps);
    if (s->steps == s->opt.kill_at)
        raise(SIGKILL);
}

static void shard_step(void *m, Rng *rng, float *stats)
{
    Shard *s = m;
    double t0 = clock_seconds(), sync0 = s->d_sync.seconds +
                                         s->g_sync.seconds;
    s->steps++;
    maybe_break_down(s);
    if (s->kind == SHARD_MLP)
        mlp_step(s, rng, stats);
    else
        dcgan_step(s, rng, stats);
    if (s->steps > WARMUP_STEPS) {
        s->timed++;
        s->step_seconds += clock_seconds() - t0;
        s->sync_seconds += s->d_sync.seconds + s->g_sync.seconds - sync0;
    }
    if (s->opt.check_sync)
        check_same_weights(s);
}

static void shard_init(void *m, int batch, Rng *rng)
{
    Shard *s = m;
    const MpiTeam *t = s->team;
    if (batch % t->size != 0)
        fatal("a step of %d images does not split evenly over %d ranks "
              "(a checkpoint keeps the images per step of all ranks "
              "together; choose a rank count that divides it)",
              batch, t->size);
    s->batch = batch;
    s->per = batch / t->size;
    s->inner.init(s->inner.model, s->per, rng);
    s->d_opt = s->kind == SHARD_MLP ? &s->mlp.gan.d_opt : &s->dcgan.d_opt;
    s->g_opt = s->kind == SHARD_MLP ? &s->mlp.gan.g_opt : &s->dcgan.g_opt;
    grad_sync_init(&s->d_sync, t->comm, t->size, s->d_opt->params,
                   s->d_opt->nparams, s->opt.overlap);
    grad_sync_init(&s->g_sync, t->comm, t->size, s->g_opt->params,
                   s->g_opt->nparams, s->opt.overlap);
    s->d_sync.skip = s->opt.unsync && strcmp(s->opt.unsync, "d") == 0;
    s->g_sync.skip = s->opt.unsync && strcmp(s->opt.unsync, "g") == 0;
    if (s->opt.overlap && s->kind == SHARD_MLP) {
        grad_sync_watch(&s->d_sync, &s->mlp.gan.d);
        grad_sync_watch(&s->g_sync, &s->mlp.gan.g);
    }
}

static void shard_free(void *m)
{
    Shard *s = m;
    s->inner.free(s->inner.model);
    grad_sync_free(&s->d_sync);
    grad_sync_free(&s->g_sync);
}

/* gantrain hands over the rows of the whole step; this rank's are
 * its B of them */
static void shard_batch(void *m, const Dataset *data, const int *rows,
                        int n)
{
    Shard *s = m;
    (void)n;
    s->inner.load_batch(s->inner.model, data,
                        rows + (size_t)s->team->rank * s->per, s->per);
}

static void shard_ckpt_add(void *m, Ckpt *c)
{
    Shard *s = m;
    s->inner.ckpt_add(s->inner.model, c);
}

static int shard_ckpt_read(void *m, const Ckpt *c, Error *err)
{
    Shard *s = m;
    return s->inner.ckpt_read(s->inner.model, c, err);
}

static void shard_epoch_end(void *m, Rng *rng)
{
    Shard *s = m;
    if (s->inner.epoch_end)
        s->inner.epoch_end(s->inner.model, rng);
}

static void shard_samples(void *m, uint64_t seed, int n, float *images)
{
    Shard *s = m;
    s->inner.samples(s->inner.model, seed, n, images);
}

static int shard_save_generator(void *m, const char *path, Error *err)
{
    Shard *s = m;
    return s->inner.save_generator(s->inner.model, path, err);
}

size_t shard_grad_floats(const Shard *s)
{
    return s->d_sync.floats + s->g_sync.floats;
}

/* ranks, the timed steps (after the warm-up) and what they cost */
static void shard_fields(void *m, char *buf, size_t size)
{
    Shard *s = m;
    double n = s->timed > 0 ? (double)s->timed : 1.0;
    int len = snprintf(buf, size,
                       "ranks=%d batch_per_rank=%d overlap=%d "
                       "step_ms=%.2f sync_ms=%.2f grad_floats=%zu",
                       s->team->size, s->per, s->opt.overlap ? 1 : 0,
                       1e3 * s->step_seconds / n, 1e3 * s->sync_seconds / n,
                       shard_grad_floats(s));
    if (s->opt.check_sync && len > 0 && (size_t)len < size)
        snprintf(buf + len, size - (size_t)len, " checked_steps=%ld",
                 s->checked);
}

void shard_model(GanModel *model, Shard *s, ShardKind kind,
                 const MpiTeam *team, const ShardOptions *opt,
                 const char *name)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->team = team;
    s->opt = *opt;
    if (kind == SHARD_MLP)
        mlp_gan_model(&s->inner, &s->mlp, name);
    else
        dcgan_model(&s->inner, &s->dcgan);
    *model = s->inner;
    model->name = name;
    model->model = s;
    model->init = shard_init;
    model->free = shard_free;
    model->load_batch = shard_batch;
    model->step = shard_step;
    model->ckpt_add = shard_ckpt_add;
    model->ckpt_read = shard_ckpt_read;
    model->epoch_end = shard_epoch_end;
    model->samples = shard_samples;
    model->save_generator = shard_save_generator;
    model->result_fields = shard_fields;
}
