#include "smallnets.h"

#include <stdlib.h>

#include "generator.h"

#include "../../chapters/11-cgan/cgan.h"

static Rng seeded(void)
{
    Rng r;
    rng_seed(&r, 7);
    return r;
}

static void adam(Optim *o, Mlp *m, const char *prefix, Param *params)
{
    int n = mlp_params(m, prefix, params);
    optim_init_adam(o, params, n, 2e-4f, 0.5f, 0.999f, 1e-8f);
}

void small_gan_state(TrainState *s)
{
    *s = (TrainState){0};
    Rng r = seeded();
    mlp_init(&s->gan.g, 2, (int[]){2, 3, 5}, ACT_RELU, ACT_TANH,
             INIT_XAVIER, SMALL_BATCH, &r);
    mlp_init(&s->gan.d, 2, (int[]){5, 3, 1}, ACT_RELU, ACT_NONE,
             INIT_XAVIER, 2 * SMALL_BATCH, &r);
    adam(&s->gan.g_opt, &s->gan.g, "g", s->gan.g_params);
    adam(&s->gan.d_opt, &s->gan.d, "d", s->gan.d_params);
    train_place_init(&s->place, SMALL_COUNT, SMALL_BATCH, 7, 0x1234u);
}

void small_gan_state_free(TrainState *s)
{
    mlp_free(&s->gan.g);
    mlp_free(&s->gan.d);
    optim_free(&s->gan.g_opt);
    optim_free(&s->gan.d_opt);
    train_place_free(&s->place);
}

void small_cgan_state(CganState *s)
{
    *s = (CganState){0};
    Rng r = seeded();
    mlp_init(&s->net.g, 2, (int[]){CGAN_G_IN, 3, CGAN_PIXELS}, ACT_RELU,
             ACT_TANH, INIT_XAVIER, SMALL_BATCH, &r);
    mlp_init(&s->net.d, 2, (int[]){CGAN_D_IN, 2, 1}, ACT_RELU, ACT_NONE,
             INIT_XAVIER, 2 * SMALL_BATCH, &r);
    adam(&s->net.g_opt, &s->net.g, "g", s->net.g_params);
    adam(&s->net.d_opt, &s->net.d, "d", s->net.d_params);
    s->net.label_scale = CGAN_LABEL_SCALE;
    train_place_init(&s->place, SMALL_COUNT, SMALL_BATCH, 7, 0x1234u);
}

void small_cgan_state_free(CganState *s)
{
    mlp_free(&s->net.g);
    mlp_free(&s->net.d);
    optim_free(&s->net.g_opt);
    optim_free(&s->net.d_opt);
    train_place_free(&s->place);
}

static const BlockSpec g_blocks[] = {
    {.kind = BLOCK_DENSE, .h = 2, .w = 2, .c = 2, .bn = true,
     .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 1, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_TANH},
};
static const BlockSpec d_blocks[] = {
    {.kind = BLOCK_CONV, .c = 2, .k = 2, .stride = 2, .pad = 0,
     .bn = true, .act = ACT_LEAKY_RELU},
    {.kind = BLOCK_DENSE, .c = 1, .act = ACT_NONE},
};

static void build(ConvNet *net, int h, int w, int c, const BlockSpec *b,
                  int n, Rng *r)
{
    Error err;
    if (convnet_init(net, h, w, c, b, n, 0.2f, INIT_XAVIER, SMALL_BATCH,
                     r, &err) < 0)
        fatal("smallnets: %s", err.msg);
}

void small_dcgan(SmallDcgan *s)
{
    *s = (SmallDcgan){0};
    Rng r = seeded();
    build(&s->g, 1, 1, 2, g_blocks, 2, &r);  /* 2 -> 2x2x2 -> 4x4x1 */
    build(&s->d, 4, 4, 1, d_blocks, 2, &r);  /* 4x4 -> 2x2x2 -> 1 */
    int ng = convnet_params(&s->g, "g", s->g_params);
    int nd = convnet_params(&s->d, "d", s->d_params);
    optim_init_adam(&s->g_opt, s->g_params, ng, 2e-4f, 0.5f, 0.999f, 1e-8f);
    optim_init_adam(&s->d_opt, s->d_params, nd, 2e-4f, 0.5f, 0.999f, 1e-8f);
    train_place_init(&s->place, SMALL_COUNT, SMALL_BATCH, 7, 0x1234u);
}

void small_dcgan_free(SmallDcgan *s)
{
    convnet_free(&s->g);
    convnet_free(&s->d);
    optim_free(&s->g_opt);
    optim_free(&s->d_opt);
    train_place_free(&s->place);
}

void small_dcgan_ckpt_add(SmallDcgan *s, Ckpt *c)
{
    convnet_ckpt_add(c, &s->g, "g", &s->g_arch, s->g_tensors);
    convnet_ckpt_add(c, &s->d, "d", &s->d_arch, s->d_tensors);
    optim_ckpt_add(c, &s->g_opt, "adam.g");
    optim_ckpt_add(c, &s->d_opt, "adam.d");
    train_place_ckpt_add(c, &s->place);
}

int small_dcgan_ckpt_read(SmallDcgan *s, const Ckpt *c, Error *err)
{
    if (convnet_ckpt_read(c, "g", &s->g, err) < 0 ||
        convnet_ckpt_read(c, "d", &s->d, err) < 0 ||
        optim_ckpt_read(c, &s->g_opt, "adam.g", err) < 0 ||
        optim_ckpt_read(c, &s->d_opt, "adam.d", err) < 0 ||
        train_place_ckpt_read(c, &s->place, err) < 0)
        return -1;
    return 0;
}

void small_mlp_generator(Mlp *g)
{
    Rng r = seeded();
    mlp_init(g, 2, (int[]){2, 4, GENERATOR_PIXELS}, ACT_RELU,
             ACT_TANH, INIT_XAVIER, SMALL_BATCH, &r);
}

static const BlockSpec conv_g_blocks[] = {
    {.kind = BLOCK_DENSE, .h = 7, .w = 7, .c = 1, .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 1, .k = 4, .stride = 2, .pad = 1,
     .bn = true, .act = ACT_RELU},
    {.kind = BLOCK_CONVT, .c = 1, .k = 4, .stride = 2, .pad = 1,
     .act = ACT_TANH},
};

void small_conv_generator(ConvNet *g)
{
    Rng r = seeded();
    build(g, 1, 1, 2, conv_g_blocks, 3, &r);
}
