/* game.h - the GAN game with every knob chapter 10 turns.
 *
 *   G: z (Z) -> hidden ReLU layers (with batch norm, optionally) -> x (X)
 *   D: m samples (m X) -> hidden layers -> one logit (or critic value)
 *
 * The knobs, each a field of GameConfig: the generator's loss
 * (non-saturating, minimax, or Wasserstein), one-sided label
 * smoothing, D's activation, dropout in D, separate learning rates,
 * a learning rate that decays linearly to 0, batch norm in G, packing
 * m samples into one D input (PacGAN), spectral normalisation of D,
 * and the gradient penalty of a Wasserstein critic (WGAN-GP).
 *
 * One step: d_steps updates of D, each on a fresh real batch and fresh
 * codes, then one update of G on fresh codes. With packing, a step
 * draws m N samples of each kind and D sees them as N rows of m X
 * numbers: the (m N, X) matrix read as (N, m X), no copy needed.
 */
#ifndef CH10_GAME_H
#define CH10_GAME_H

#include <stdbool.h>

#include "net.h"
#include "optim.h"
#include "rng.h"

#include "penalty.h"

typedef enum {
    LOSS_NONSATURATING, /* G minimises -log D(G(z)) */
    LOSS_MINIMAX,       /* G minimises log(1 - D(G(z))) */
    LOSS_WASSERSTEIN,   /* critic f: D maximises f(x) - f(G(z)) */
} GanLoss;

// listing: game-config
typedef struct {
    int latent, dim;        /* Z, and X: the size of one sample */
    int g_hidden[NET_MAX_LAYERS], g_depth; /* G's hidden widths */
    Activation g_act;       /* G's hidden activation: ACT_RELU */
    Activation g_output;    /* NONE for points, TANH for images */
    bool g_batchnorm;       /* batch norm in G's hidden layers */
    int d_hidden[NET_MAX_LAYERS], d_depth; /* D's hidden widths */
    Activation d_act;       /* ACT_RELU or ACT_LEAKY_RELU */
    float d_dropout;        /* P(drop) of D's hidden units, or 0 */
    bool d_spectral;        /* spectral normalisation in D */
    int pack;               /* m samples per D input (1: none) */
    GanLoss loss;
    float real_label;       /* D's target for real data: 1, or 0.9
                               for one-sided label smoothing */
    float gp_weight;        /* lambda of the gradient penalty */
    int d_steps;            /* D updates per G update */
    float lr_g, lr_d;       /* Adam's learning rates */
    float beta1, beta2;     /* Adam's moment decays, for both */
    bool decay;             /* both rates fall linearly to 0 */
    long steps;             /* G updates in the run (for decay) */
    int batch;              /* N: D inputs per update */
} GameConfig;
// end-listing: game-config

#define LEAKY_SLOPE 0.2f

typedef struct {
    GameConfig cfg;
    Net g, d;
    Param g_params[NET_MAX_PARAMS], d_params[NET_MAX_PARAMS];
    Optim g_opt, d_opt;
    Penalty gp;      /* buffers of the gradient penalty, if any */
    long step;       /* G updates so far */
    int samples;     /* m N: samples of each kind per update */
    float *z;        /* (m N, Z) codes */
    float *real;     /* (m N, X) = (N, m X) real samples */
    float *mix;      /* (N, m X) points between real and fake (GP) */
    float *dlogits;  /* (N) dLoss/dlogit */
    float *dfake;    /* (m N, X) dLoss/dG(z) */
} Game;

/* What one update measured, before its parameters moved. */
typedef struct {
    float loss_d;  /* D's loss (for WGAN-GP with the penalty) */
    float loss_g;  /* G's loss, by the loss G trains with */
    float d_real;  /* mean D(x) over the real batch: sigmoid of the
                      logit, or the critic's value for Wasserstein */
    float d_fake;  /* the same over the fake batch */
    float penalty; /* the gradient penalty (0 without) */
} GameStats;

/* Draws n real samples into x (n, X). */
typedef void (*RealSampler)(void *ctx, Rng *rng, float *x, int n);

/* The Wasserstein critic's loss on one batch of critic values f:
 * -mean f on real data (sign -1), +mean f on generated data (sign +1);
 * its gradient df = sign / n for every row.   f, df: (n) */
float stab_critic_loss(const float *f, int n, float sign, float *df);

/* score_batch: the largest batch G must generate at once when scored
 * (for batch-norm statistics computed on the whole scored batch). */
void stab_game_init(Game *gm, const GameConfig *cfg, int score_batch,
                    Rng *rng);
void stab_game_free(Game *gm);

/* Zeroes D's gradients and accumulates those of D's loss on a real
 * batch and on G(z) (plus the penalty): real (m N, X), z (m N, Z). */
void stab_game_d_gradients(Game *gm, const float *real, const float *z,
                           Rng *rng, GameStats *st);

/* Sets G's gradients to those of `loss` on G(z), through D (whose
 * gradients are left alone). mode NET_TRAIN trains; NET_BATCH measures
 * without touching batch norm's running averages or drawing dropout
 * masks.   z: (m N, Z) */
void stab_game_g_gradients(Game *gm, const float *z, GanLoss loss,
                           NetMode mode, Rng *rng, GameStats *st);

/* One update of D: fresh real samples and codes, its gradients, the
 * optimiser step (and the spectral norm's power iteration). */
void stab_game_d_update(Game *gm, RealSampler sample, void *ctx,
                        Rng *rng, GameStats *st);

/* One step of the game, as above. */
void stab_game_step(Game *gm, RealSampler sample, void *ctx, Rng *rng,
                    GameStats *st);

/* The norm of G's gradient under `loss`, on codes z (m N, Z), without
 * any update or other side effect: how hard each loss pushes G. When
 * d_fake is not NULL it gets the mean D(G(z)) on those codes. */
double stab_game_g_grad_norm(Game *gm, const float *z, GanLoss loss,
                             double *d_fake);

/* x = G(z) for n codes, `chunk` rows per forward (chunk <= the
 * score_batch of stab_game_init), in the given mode.
 *   z: (n, Z)   x: (n, X) */
void stab_game_generate(Game *gm, const float *z, float *x, int n,
                        int chunk, NetMode mode);

#endif
