/* experiments.c - the table of experiments: one change each.
 *
 * Adds: every trick of the chapter as a named, one-line change to a
 * configuration, so that the table's rows can be compared two by two.
 * Leaves out on purpose: tuning each trick's own constants (dropout's
 * rate, the smoothed label, the penalty's weight) beyond the value its
 * paper or common practice uses; the exercises try others.
 * Build and run: build/bin/10-stabilizing --list
 */
#include "experiments.h"

#include <string.h>

#include "error.h"

/* Budgets in G updates: the single changes are compared at a short
 * one, the ladder towards the best configuration at a long one. */
#define SHORT_STEPS 20000
#define LONG_STEPS 75000

#define SMOOTH_LABEL 0.9f
#define DROPOUT_RATE 0.5f
#define PACK 2
#define SLOW_G_FACTOR 0.25f   /* two time scales: G at 1/4 of D's rate */
#define GP_WEIGHT_TOY 0.1f    /* as in WGAN-GP's code for 2-D data */
#define GP_BETA1_TOY 0.5f
#define GP_WEIGHT_IMAGES 10.0f /* the paper's default (Algorithm 1) */
#define GP_BETA1_IMAGES 0.0f
#define GP_CRITIC_STEPS 5
#define GP_LR 1e-4f
#define GP_BETA2 0.9f
#define RECIPE_LR 1e-3f
#define RECIPE_WIDTH 128      /* of each of G's hidden layers */

/* The baselines: chapter 7's 2-D GAN and chapter 8's image GAN. */
static void baseline(GameConfig *c, Family f)
{
    memset(c, 0, sizeof *c);
    c->pack = 1;
    c->loss = LOSS_NONSATURATING;
    c->real_label = 1.0f;
    c->d_steps = 1;
    c->beta1 = 0.5f;
    c->beta2 = ADAM_BETA2;
    c->g_act = c->d_act = ACT_RELU;
    if (f == FAMILY_TOY) {
        static const int hidden[] = {128, 128};
        c->latent = c->dim = 2;
        c->g_depth = c->d_depth = 2;
        memcpy(c->g_hidden, hidden, sizeof hidden);
        memcpy(c->d_hidden, hidden, sizeof hidden);
        c->g_output = ACT_NONE;
        c->lr_g = c->lr_d = 2e-3f;
        c->batch = 100;
    } else {
        static const int g_hidden[] = {128, 256, 512, 1024};
        static const int d_hidden[] = {1024, 512, 256, 128};
        c->latent = 100;
        c->dim = 784;
        c->g_depth = c->d_depth = 4;
        memcpy(c->g_hidden, g_hidden, sizeof g_hidden);
        memcpy(c->d_hidden, d_hidden, sizeof d_hidden);
        c->g_output = ACT_TANH;
        c->lr_g = c->lr_d = 2e-4f;
        c->batch = 64;
    }
}

// listing: changes
static void minimax(GameConfig *c, Family f)
{
    (void)f;
    c->loss = LOSS_MINIMAX;
}

static void smooth(GameConfig *c, Family f)
{
    (void)f;
    c->real_label = SMOOTH_LABEL;
}

static void leaky(GameConfig *c, Family f)
{
    (void)f;
    c->d_act = ACT_LEAKY_RELU;
}

static void dropout(GameConfig *c, Family f)
{
    (void)f;
    c->d_dropout = DROPOUT_RATE;
}

static void slow_g(GameConfig *c, Family f)
{
    (void)f;
    c->lr_g = c->lr_d * SLOW_G_FACTOR;
}

static void decay(GameConfig *c, Family f)
{
    (void)f;
    c->decay = true;
}

static void batchnorm(GameConfig *c, Family f)
{
    (void)f;
    c->g_batchnorm = true;
}

static void pack(GameConfig *c, Family f)
{
    (void)f;
    c->pack = PACK;
}

static void spectral(GameConfig *c, Family f)
{
    (void)f;
    c->d_spectral = true;
}
// end-listing: changes

/* WGAN-GP comes with its own optimiser settings (Gulrajani et al.
 * 2017): they are part of the method, so one change here; the 2-D
 * ones of the authors' toy code, the paper's defaults on images. */
static void wgan_gp(GameConfig *c, Family f)
{
    bool toy = f == FAMILY_TOY;
    c->loss = LOSS_WASSERSTEIN;
    c->gp_weight = toy ? GP_WEIGHT_TOY : GP_WEIGHT_IMAGES;
    c->d_steps = GP_CRITIC_STEPS;
    c->lr_g = c->lr_d = GP_LR;
    c->beta1 = toy ? GP_BETA1_TOY : GP_BETA1_IMAGES;
    c->beta2 = GP_BETA2;
}

static void deeper_g(GameConfig *c, Family f)
{
    (void)f;
    c->g_hidden[c->g_depth++] = RECIPE_WIDTH;
}

static void slower(GameConfig *c, Family f)
{
    (void)f;
    c->lr_g = c->lr_d = RECIPE_LR;
}

static void nothing(GameConfig *c, Family f)
{
    (void)c;
    (void)f;
}

// listing: table
const Experiment stab_experiments[] = {
    /* the baseline, and every trick alone, at the short budget */
    {"baseline", NULL, "chapter 7's GAN (chapter 8's on images)",
     nothing, SHORT_STEPS, true},
    {"minimax", "baseline", "G minimises log(1 - D(G(z)))", minimax,
     SHORT_STEPS, true},
    {"smooth", "baseline", "real label 0.9 (one-sided)", smooth,
     SHORT_STEPS, true},
    {"leaky", "baseline", "LeakyReLU(0.2) in D", leaky, SHORT_STEPS,
     true},
    {"dropout", "baseline", "dropout 0.5 in D", dropout, SHORT_STEPS,
     true},
    {"slow-g", "baseline", "G's learning rate / 4", slow_g, SHORT_STEPS,
     true},
    {"decay", "baseline", "learning rates fall linearly to 0", decay,
     SHORT_STEPS, true},
    {"batchnorm", "baseline", "batch norm in G", batchnorm, SHORT_STEPS,
     true},
    {"pack", "baseline", "D sees 2 samples at once (PacGAN)", pack,
     SHORT_STEPS, true},
    {"spectral", "baseline", "spectral norm in D", spectral,
     SHORT_STEPS, true},
    {"wgan-gp", "baseline", "Wasserstein critic + gradient penalty",
     wgan_gp, SHORT_STEPS, true},
    /* the ladder: the best single changes, combined one at a time */
    {"leaky-decay", "leaky", "learning rates fall linearly to 0", decay,
     SHORT_STEPS, false},
    {"leaky-decay-pack", "leaky-decay", "D sees 2 samples at once",
     pack, SHORT_STEPS, false},
    {"leaky-decay-75k", "leaky-decay", "75,000 steps", nothing,
     LONG_STEPS, false},
    {"leaky-decay-75k-pack", "leaky-decay-75k",
     "D sees 2 samples at once", pack, LONG_STEPS, false},
    {"leaky-decay-75k-pack-deep", "leaky-decay-75k-pack",
     "a third hidden layer in G", deeper_g, LONG_STEPS, false},
    /* the recipe of the independent implementation, step by step */
    {"leaky-decay-bn", "leaky-decay", "batch norm in G", batchnorm,
     SHORT_STEPS, false},
    {"leaky-decay-bn3", "leaky-decay-bn", "a third hidden layer in G",
     deeper_g, SHORT_STEPS, false},
    {"leaky-decay-bn3-lr", "leaky-decay-bn3", "learning rates 1e-3",
     slower, SHORT_STEPS, false},
    {"recipe", "leaky-decay-bn3-lr", "75,000 steps", nothing,
     LONG_STEPS, false},
};
// end-listing: table
const int stab_experiment_count =
    (int)(sizeof stab_experiments / sizeof stab_experiments[0]);

const Experiment *stab_experiment_find(const char *name)
{
    for (int i = 0; i < stab_experiment_count; i++)
        if (strcmp(stab_experiments[i].name, name) == 0)
            return &stab_experiments[i];
    return NULL;
}

int stab_experiment_depth(const Experiment *e)
{
    int depth = 0;
    while (e->parent) {
        e = stab_experiment_find(e->parent);
        depth++;
    }
    return depth;
}

void stab_experiment_config(const Experiment *e, Family f, GameConfig *c)
{
    const Experiment *chain[sizeof stab_experiments /
                            sizeof stab_experiments[0]];
    int n = 0;
    for (const Experiment *x = e; x; x = x->parent
                                           ? stab_experiment_find(x->parent)
                                           : NULL)
        chain[n++] = x;
    baseline(c, f);
    while (n > 0)
        chain[--n]->apply(c, f);
}
