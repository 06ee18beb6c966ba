/* test_ch10_stabilizing.c - chapter 10: every layer and loss the
 * chapter adds against finite differences or closed forms (the layer
 * stack with batch norm, dropout and spectral norm; packing; the
 * minimax, non-saturating and Wasserstein losses; the gradient
 * penalty), the experiments each change one thing, spectral norm holds
 * during training, and the program is reproducible, refuses bad input
 * and prints what the book quotes. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "classifier.h"
#include "files.h"
#include "helpers.h"
#include "mixture.h"
#include "rng.h"

#include "../chapters/10-stabilizing/demo.h"
#include "../chapters/10-stabilizing/experiments.h"
#include "../chapters/10-stabilizing/game.h"
#include "../chapters/10-stabilizing/net.h"
#include "../chapters/10-stabilizing/penalty.h"
#include "../chapters/10-stabilizing/table.h"
#include "../chapters/10-stabilizing/toy.h"

#define PROG BIN_DIR "/10-stabilizing"
#define FD_STEP 1e-3f
#define TOLERANCE 5e-3 /* relative error of a gradient */
#define BATCH 6
#define WIDTH 7
#define MAX_PARAMS NET_MAX_PARAMS
#define ZERO_GRAD 2e-4 /* below this a gradient is rounding noise */

SCRATCH_FIXTURE

/* Random biases move every unit off ReLU's kink, where a central
 * difference would straddle two slopes (see chapter 7's test). */
static void random_biases(Net *net, Rng *rng)
{
    for (int l = 0; l < net->cfg.nlayers; l++)
        for (int j = 0; j < net->dense[l].out; j++)
            net->dense[l].b[j] = rng_range(rng, -0.5f, 0.5f);
}

/* The relative error of a gradient, except that a gradient that is 0
 * in theory (a bias the loss cannot see) is compared absolutely: both
 * sides are then rounding noise. */
static double grad_error(const float *grad, const float *num, size_t n)
{
    double biggest = 0.0, diff = 0.0;
    for (size_t i = 0; i < n; i++) {
        biggest = fmax(biggest, fmax(fabs(grad[i]), fabs(num[i])));
        diff = fmax(diff, fabs(grad[i] - num[i]));
    }
    if (biggest < ZERO_GRAD)
        return diff < ZERO_GRAD ? 0.0 : 1.0;
    return rel_error(grad, num, n);
}

/* The worst relative error between each param's grad and central
 * differences of f. */
static double worst_error(Param *params, int n, double (*f)(void *),
                          void *ctx)
{
    double worst = 0.0;
    for (int k = 0; k < n; k++) {
        size_t size = param_size(&params[k]);
        float *num = malloc(size * sizeof(float));
        numeric_gradient(params[k].value, size, f, ctx, FD_STEP, num);
        double e = grad_error(params[k].grad, num, size);
        if (e > worst) {
            worst = e;
            if (e >= TOLERANCE)
                fprintf(stderr, "\n    %s: relative error %.2e",
                        params[k].name, e);
        }
        free(num);
    }
    return worst;
}

/* ---- the layer stack ------------------------------------------------ */

typedef struct {
    Net net;
    Param params[MAX_PARAMS];
    int nparams;
    float x[BATCH * WIDTH], c[BATCH * 3];
    uint64_t mask_seed; /* the same dropout masks at every forward */
} NetCase;

/* With spectral norm the layers compute with W / sigma, sigma = v^T W u
 * for the u, v of the last power iteration, held fixed: the function
 * whose gradient stab_net_finish_grad returns. */
static void renormalise(Net *net)
{
    if (!net->cfg.spectral)
        return;
    for (int l = 0; l < net->cfg.nlayers; l++) {
        SpectralNorm *sn = &net->sn[l];
        double sigma = 0.0;
        for (int i = 0; i < sn->rows; i++)
            for (int j = 0; j < sn->cols; j++)
                sigma += (double)sn->v[i] *
                         net->raw_W[l][i * sn->cols + j] * sn->u[j];
        sn->sigma = (float)sigma;
        spectral_norm_apply(sn, net->raw_W[l], net->dense[l].W);
    }
}

/* L = sum c * net(x), batch statistics, fixed masks */
static double net_loss(void *ctx)
{
    NetCase *t = ctx;
    renormalise(&t->net);
    Rng masks;
    rng_seed(&masks, t->mask_seed);
    NetMode mode = t->net.cfg.dropout > 0.0f ? NET_TRAIN : NET_BATCH;
    const float *y = stab_net_forward(&t->net, t->x, BATCH, mode, &masks);
    double s = 0.0;
    for (int i = 0; i < BATCH * 3; i++)
        s += (double)t->c[i] * y[i];
    return s;
}

static void check_net(const NetConfig *cfg, uint64_t seed)
{
    NetCase t;
    Rng rng;
    rng_seed(&rng, seed);
    stab_net_init(&t.net, cfg, &rng);
    random_biases(&t.net, &rng);
    t.nparams = stab_net_params(&t.net, "n", t.params);
    for (int i = 0; i < BATCH * WIDTH; i++)
        t.x[i] = rng_range(&rng, -1, 1);
    for (int i = 0; i < BATCH * 3; i++)
        t.c[i] = rng_range(&rng, -1, 1);
    t.mask_seed = seed + 100;
    net_loss(&t);
    float dx[BATCH * WIDTH], num[BATCH * WIDTH];
    stab_net_zero_grad(&t.net);
    stab_net_backward(&t.net, t.c, dx, BATCH, GRAD_ACCUMULATE);
    stab_net_finish_grad(&t.net);
    double worst = worst_error(t.params, t.nparams, net_loss, &t);
    numeric_gradient(t.x, BATCH * WIDTH, net_loss, &t, FD_STEP, num);
    double ex = rel_error(dx, num, BATCH * WIDTH);
    if (ex >= TOLERANCE)
        fprintf(stderr, "\n    dx: relative error %.2e", ex);
    CU_ASSERT_TRUE(worst < TOLERANCE);
    CU_ASSERT_TRUE(ex < TOLERANCE);
    stab_net_free(&t.net);
}

static NetConfig small_net(Activation hidden, Activation output)
{
    NetConfig c = {.nlayers = 3, .sizes = {WIDTH, 5, 4, 3},
                   .hidden = hidden, .output = output, .slope = 0.2f,
                   .max_batch = BATCH};
    return c;
}

static void test_net_batchnorm_gradients(void)
{
    NetConfig c = small_net(ACT_RELU, ACT_TANH);
    c.batchnorm = true;
    check_net(&c, 1);
}

static void test_net_dropout_spectral_gradients(void)
{
    NetConfig c = small_net(ACT_LEAKY_RELU, ACT_NONE);
    c.dropout = 0.5f;
    check_net(&c, 2);
    c.dropout = 0.0f;
    c.spectral = true;
    check_net(&c, 3);
}

/* Dropout keeps units with probability 1 - p, scaled by 1 / (1 - p):
 * the mean activation is unchanged; evaluation drops nothing. */
static void test_dropout_keeps_the_mean(void)
{
    enum { ROWS = 2000 };
    NetConfig c = {.nlayers = 2, .sizes = {1, 50, 1},
                   .hidden = ACT_RELU, .output = ACT_NONE,
                   .dropout = 0.5f, .max_batch = ROWS};
    Rng rng;
    rng_seed(&rng, 4);
    Net net;
    stab_net_init(&net, &c, &rng);
    float *x = malloc(ROWS * sizeof(float));
    for (int i = 0; i < ROWS; i++)
        x[i] = 1.0f;
    stab_net_forward(&net, x, ROWS, NET_TRAIN, &rng);
    double kept = 0.0, mean = 0.0;
    for (int i = 0; i < ROWS * 50; i++) {
        kept += net.keep[0][i] > 0.0f;
        mean += net.out[0][i] - net.act[0][i];
    }
    CU_ASSERT_DOUBLE_EQUAL(kept / (ROWS * 50), 0.5, 0.01);
    /* act is the same for every row: out averages back to it */
    CU_ASSERT_DOUBLE_EQUAL(mean / (ROWS * 50), 0.0, 0.02);
    stab_net_forward(&net, x, ROWS, NET_EVAL, NULL);
    CU_ASSERT_EQUAL(memcmp(net.out[0], net.act[0],
                           ROWS * 50 * sizeof(float)), 0);
    free(x);
    stab_net_free(&net);
}

/* ---- the game: losses, packing, gradients --------------------------- */

typedef struct {
    Game gm;
    float *real, *z; /* (m N, X), (m N, Z) */
} GameCase;

static GameConfig small_game(void)
{
    GameConfig c;
    stab_experiment_config(stab_experiment_find("baseline"), FAMILY_TOY,
                           &c);
    c.g_hidden[0] = c.g_hidden[1] = c.d_hidden[0] = c.d_hidden[1] = 8;
    /* smooth activations: with ReLU, some central difference among
     * hundreds would straddle a kink; the ReLU paths are checked by
     * the layer tests above */
    c.g_act = c.d_act = ACT_TANH;
    c.batch = BATCH;
    c.steps = 100;
    return c;
}

static void make_game(GameCase *t, const GameConfig *cfg, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    stab_game_init(&t->gm, cfg, cfg->batch * cfg->pack, &rng);
    random_biases(&t->gm.g, &rng);
    random_biases(&t->gm.d, &rng);
    int n = t->gm.samples;
    t->real = malloc((size_t)n * cfg->dim * sizeof(float));
    t->z = malloc((size_t)n * cfg->latent * sizeof(float));
    Mixture ring;
    mixture_ring(&ring);
    mixture_sample(&ring, &rng, t->real, n);
    rng_fill_normal(&rng, t->z, (long)n * cfg->latent, 0.0f, 1.0f);
}

static void free_game(GameCase *t)
{
    stab_game_free(&t->gm);
    free(t->real);
    free(t->z);
}

/* The referee computes every loss in double from D's outputs, with
 * none of the code it judges. */
static double bce(double x, double label)
{
    return fmax(x, 0.0) - x * label + log1p(exp(-fabs(x)));
}

static double mean_of(const float *logits, int n, double (*f)(double))
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += f(logits[i]);
    return s / n;
}

static double real_label_seen;
static double as_real(double x) { return bce(x, real_label_seen); }
static double as_fake(double x) { return bce(x, 0.0); }
static double as_value(double x) { return x; }
static double minimax_term(double x) { return -bce(x, 0.0); }

static const float *fake_of(GameCase *t)
{
    return stab_net_forward(&t->gm.g, t->z, t->gm.samples, NET_BATCH,
                            NULL);
}

static double d_loss(void *ctx)
{
    GameCase *t = ctx;
    int N = t->gm.cfg.batch;
    bool critic = t->gm.cfg.loss == LOSS_WASSERSTEIN;
    const float *fake = fake_of(t);
    double l = 0.0;
    real_label_seen = t->gm.cfg.real_label;
    const float *out = stab_net_forward(&t->gm.d, fake, N, NET_BATCH, NULL);
    l += critic ? mean_of(out, N, as_value) : mean_of(out, N, as_fake);
    out = stab_net_forward(&t->gm.d, t->real, N, NET_BATCH, NULL);
    l += critic ? -mean_of(out, N, as_value) : mean_of(out, N, as_real);
    return l;
}

static GanLoss g_loss_kind;

static double g_loss(void *ctx)
{
    GameCase *t = ctx;
    int N = t->gm.cfg.batch;
    const float *out = stab_net_forward(&t->gm.d, fake_of(t), N,
                                        NET_BATCH, NULL);
    real_label_seen = 1.0;
    switch (g_loss_kind) {
    case LOSS_NONSATURATING:
        return mean_of(out, N, as_real);
    case LOSS_MINIMAX:
        return mean_of(out, N, minimax_term);
    case LOSS_WASSERSTEIN:
        return -mean_of(out, N, as_value);
    }
    return 0.0;
}

static void check_game(const GameConfig *cfg, uint64_t seed)
{
    GameCase t;
    make_game(&t, cfg, seed);
    GameStats st;
    stab_game_d_gradients(&t.gm, t.real, t.z, NULL, &st);
    CU_ASSERT_DOUBLE_EQUAL(st.loss_d, d_loss(&t), 1e-4);
    double ed = worst_error(t.gm.d_params, t.gm.d_opt.nparams, d_loss,
                            &t);
    g_loss_kind = cfg->loss;
    stab_game_g_gradients(&t.gm, t.z, cfg->loss, NET_TRAIN, NULL, &st);
    CU_ASSERT_DOUBLE_EQUAL(st.loss_g, g_loss(&t), 1e-4);
    double eg = worst_error(t.gm.g_params, t.gm.g_opt.nparams, g_loss,
                            &t);
    CU_ASSERT_TRUE(ed < TOLERANCE);
    CU_ASSERT_TRUE(eg < TOLERANCE);
    free_game(&t);
}

static void test_losses_gradients(void)
{
    GameConfig c = small_game();
    check_game(&c, 10);            /* non-saturating */
    c.loss = LOSS_MINIMAX;
    check_game(&c, 11);
    c.loss = LOSS_NONSATURATING;
    c.real_label = 0.9f;           /* one-sided smoothing */
    check_game(&c, 12);
    c.real_label = 1.0f;
    c.loss = LOSS_WASSERSTEIN;     /* the critic, without penalty */
    check_game(&c, 13);
}

static void test_packing_and_batchnorm_gradients(void)
{
    GameConfig c = small_game();
    c.pack = 2;
    c.g_batchnorm = true;
    check_game(&c, 14);
    /* D reads the (m N, X) samples as N rows of m X numbers: row i is
     * samples m i, ..., m i + m - 1 side by side */
    GameCase t;
    make_game(&t, &c, 15);
    CU_ASSERT_EQUAL(t.gm.samples, 2 * BATCH);
    CU_ASSERT_EQUAL(t.gm.d.cfg.sizes[0], 2 * c.dim);
    float joined[BATCH * 4];
    for (int i = 0; i < BATCH; i++)
        for (int j = 0; j < 4; j++)
            joined[i * 4 + j] = t.real[(2 * i + j / 2) * 2 + j % 2];
    float a[BATCH], b[BATCH];
    memcpy(a, stab_net_forward(&t.gm.d, t.real, BATCH, NET_EVAL, NULL),
           sizeof a);
    memcpy(b, stab_net_forward(&t.gm.d, joined, BATCH, NET_EVAL, NULL),
           sizeof b);
    CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
    free_game(&t);
}

/* The critic's loss: -mean f on real data, +mean f on generated data,
 * each row's gradient sign / n. */
static void test_critic_loss_closed_form(void)
{
    float f[4] = {1.0f, -2.0f, 3.0f, 0.5f}, df[4];
    CU_ASSERT_DOUBLE_EQUAL(stab_critic_loss(f, 4, -1.0f, df), -0.625,
                           1e-7);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_DOUBLE_EQUAL(df[i], -0.25, 1e-7);
    CU_ASSERT_DOUBLE_EQUAL(stab_critic_loss(f, 4, 1.0f, df), 0.625, 1e-7);
    CU_ASSERT_DOUBLE_EQUAL(df[3], 0.25, 1e-7);
}

/* With D sure the samples are fake (D(G(z)) about e^-12), the minimax
 * loss's gradient is D(G(z)) / (1 - D(G(z))) times the non-saturating
 * one's at every sample: it vanishes. dL/dlogit by hand: (s - 1) / N
 * and -s / N. */
static void test_minimax_gradient_vanishes(void)
{
    const float sure = -12.0f;
    GameConfig c = small_game();
    GameCase t;
    make_game(&t, &c, 16);
    Dense *last = &t.gm.d.dense[t.gm.d.cfg.nlayers - 1];
    last->b[0] = sure;
    int N = c.batch;
    GameStats st;
    stab_game_g_gradients(&t.gm, t.z, LOSS_NONSATURATING, NET_BATCH, NULL,
                          &st);
    const float *logits = t.gm.d.out[t.gm.d.cfg.nlayers - 1];
    for (int i = 0; i < N; i++)
        CU_ASSERT_DOUBLE_EQUAL(t.gm.dlogits[i],
                               (sigmoid(logits[i]) - 1.0f) / N, 1e-7);
    double ns = stab_game_g_grad_norm(&t.gm, t.z, LOSS_NONSATURATING,
                                      NULL);
    stab_game_g_gradients(&t.gm, t.z, LOSS_MINIMAX, NET_BATCH, NULL, &st);
    for (int i = 0; i < N; i++)
        CU_ASSERT_DOUBLE_EQUAL(t.gm.dlogits[i], -sigmoid(logits[i]) / N,
                               1e-9);
    double d_fake;
    double mm = stab_game_g_grad_norm(&t.gm, t.z, LOSS_MINIMAX, &d_fake);
    CU_ASSERT_TRUE(d_fake < 1e-4);
    CU_ASSERT_TRUE(ns > 0.0);
    CU_ASSERT_TRUE(mm < 1e-4 * ns);
    free_game(&t);
}

/* ---- the gradient penalty ------------------------------------------- */

typedef struct {
    Net critic;
    Penalty p;
    Param params[MAX_PARAMS];
    int nparams;
    float x[BATCH * WIDTH];
} PenaltyCase;

static double penalty_value(void *ctx)
{
    PenaltyCase *t = ctx;
    return stab_gradient_penalty(&t->p, &t->critic, t->x, BATCH, 0.7f,
                                 false);
}

static double critic_sum(void *ctx)
{
    PenaltyCase *t = ctx;
    const float *f = stab_net_forward(&t->critic, t->x, BATCH, NET_TRAIN,
                                      NULL);
    double s = 0.0;
    for (int i = 0; i < BATCH; i++)
        s += f[i];
    return s;
}

static void check_penalty(Activation act, uint64_t seed)
{
    NetConfig c = {.nlayers = 3, .sizes = {WIDTH, 6, 5, 1},
                   .hidden = act, .output = ACT_NONE, .slope = 0.2f,
                   .max_batch = BATCH};
    PenaltyCase t;
    Rng rng;
    rng_seed(&rng, seed);
    stab_net_init(&t.critic, &c, &rng);
    random_biases(&t.critic, &rng);
    stab_penalty_init(&t.p, &t.critic, BATCH);
    t.nparams = stab_net_params(&t.critic, "c", t.params);
    for (int i = 0; i < BATCH * WIDTH; i++)
        t.x[i] = rng_range(&rng, -1, 1);

    /* the input gradient g: f of each row depends on that row only, so
     * the differences of the sum over rows give every g_i at once */
    stab_net_zero_grad(&t.critic);
    float value = stab_gradient_penalty(&t.p, &t.critic, t.x, BATCH, 0.7f,
                                        true);
    float num[BATCH * WIDTH];
    numeric_gradient(t.x, BATCH * WIDTH, critic_sum, &t, FD_STEP, num);
    double eg = rel_error(t.p.g, num, BATCH * WIDTH);
    /* P from that g, by hand */
    double p = 0.0;
    for (int i = 0; i < BATCH; i++) {
        double ss = 0.0;
        for (int j = 0; j < WIDTH; j++)
            ss += (double)num[i * WIDTH + j] * num[i * WIDTH + j];
        p += (sqrt(ss) - 1.0) * (sqrt(ss) - 1.0);
    }
    CU_ASSERT_DOUBLE_EQUAL(value, 0.7 * p / BATCH, 1e-3 * value);
    /* dP/dW: the forward chain; biases get nothing */
    double ew = 0.0;
    for (int k = 0; k < t.nparams; k += 2) {
        size_t size = param_size(&t.params[k]);
        float *nw = malloc(size * sizeof(float));
        numeric_gradient(t.params[k].value, size, penalty_value, &t,
                         FD_STEP, nw);
        double e = rel_error(t.params[k].grad, nw, size);
        ew = e > ew ? e : ew;
        free(nw);
        for (int j = 0; j < t.params[k + 1].cols; j++)
            CU_ASSERT_EQUAL(t.params[k + 1].grad[j], 0.0f);
    }
    if (eg >= TOLERANCE || ew >= TOLERANCE)
        fprintf(stderr, "\n    relative errors: g %.2e, dP/dW %.2e", eg,
                ew);
    CU_ASSERT_TRUE(eg < TOLERANCE);
    CU_ASSERT_TRUE(ew < TOLERANCE);
    stab_penalty_free(&t.p);
    stab_net_free(&t.critic);
}

static void test_gradient_penalty(void)
{
    check_penalty(ACT_LEAKY_RELU, 20);
    check_penalty(ACT_RELU, 21);
}

/* ---- the experiments ------------------------------------------------ */

/* How many of the knobs two configurations set differently. */
static int changes(const GameConfig *a, const GameConfig *b)
{
    bool g_shape = a->g_depth != b->g_depth ||
                   memcmp(a->g_hidden, b->g_hidden, sizeof a->g_hidden);
    bool d_shape = a->d_depth != b->d_depth ||
                   memcmp(a->d_hidden, b->d_hidden, sizeof a->d_hidden);
    bool rates = a->lr_g != b->lr_g || a->lr_d != b->lr_d;
    bool adam = a->beta1 != b->beta1 || a->beta2 != b->beta2;
    return g_shape + d_shape + rates + adam + (a->latent != b->latent) +
           (a->dim != b->dim) + (a->g_output != b->g_output) +
           (a->g_batchnorm != b->g_batchnorm) + (a->d_act != b->d_act) +
           (a->d_dropout != b->d_dropout) +
           (a->d_spectral != b->d_spectral) + (a->pack != b->pack) +
           (a->loss != b->loss) + (a->real_label != b->real_label) +
           (a->gp_weight != b->gp_weight) + (a->d_steps != b->d_steps) +
           (a->decay != b->decay) + (a->batch != b->batch);
}

static void test_experiments_change_one_thing(void)
{
    for (int i = 0; i < stab_experiment_count; i++) {
        const Experiment *e = &stab_experiments[i];
        CU_ASSERT_PTR_EQUAL(stab_experiment_find(e->name), e);
        if (!e->parent) {
            CU_ASSERT_STRING_EQUAL(e->name, "baseline");
            continue;
        }
        const Experiment *p = stab_experiment_find(e->parent);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_TRUE(p < e); /* parents come first in the table */
        for (int f = FAMILY_TOY; f <= FAMILY_FASHION; f++) {
            GameConfig a, b;
            stab_experiment_config(p, (Family)f, &a);
            stab_experiment_config(e, (Family)f, &b);
            int n = changes(&a, &b) + (e->toy_steps != p->toy_steps);
            /* WGAN-GP is a method: its loss, penalty, critic steps and
             * optimiser settings come together */
            bool method = strcmp(e->name, "wgan-gp") == 0;
            if (n != 1 && !method)
                fprintf(stderr, "\n    %s changes %d things", e->name, n);
            CU_ASSERT_TRUE(method ? n > 1 : n == 1);
        }
    }
    CU_ASSERT_PTR_NOT_NULL(stab_experiment_find(stab_best_experiment));
    CU_ASSERT_PTR_NULL(stab_experiment_find("no-such"));
}

/* In training, one power iteration step per update keeps every layer
 * of D at spectral norm 1 (checked against the converged iteration). */
static void test_spectral_norm_holds_in_training(void)
{
    enum { STEPS = 300, CONVERGED = 100 };
    GameConfig c;
    stab_experiment_config(stab_experiment_find("spectral"), FAMILY_TOY,
                           &c);
    c.steps = STEPS;
    Mixture grid;
    mixture_grid(&grid);
    Rng rng;
    rng_seed(&rng, 30);
    Game gm;
    stab_game_init(&gm, &c, c.batch, &rng);
    GameStats st;
    for (int s = 0; s < STEPS; s++)
        stab_game_step(&gm, stab_toy_sample, &grid, &rng, &st);
    for (int l = 0; l < gm.d.cfg.nlayers; l++) {
        SpectralNorm check;
        spectral_norm_init(&check, gm.d.sn[l].rows, gm.d.sn[l].cols, &rng);
        spectral_norm_update(&check, gm.d.dense[l].W, CONVERGED);
        CU_ASSERT_DOUBLE_EQUAL(check.sigma, 1.0, 0.01);
        spectral_norm_free(&check);
    }
    stab_game_free(&gm);
}

/* ---- the program ---------------------------------------------------- */

static int run(const char *args, const char *sub)
{
    return run_shell("%s %s --out %s/%s >%s/stdout 2>%s/stderr", PROG,
                     args, dir, sub, dir, dir);
}

static char *output(const char *which)
{
    return scratch_read(dir, which);
}

static bool same(const char *a, const char *b)
{
    return scratch_same(dir, a, b);
}

static void test_same_seed_same_files(void)
{
    const char *args = "--experiment batchnorm --target ring --seeds 2 "
                       "--steps 300 --quiet";
    char more[256];
    CU_ASSERT_EQUAL_FATAL(run(args, "a"), 0);
    CU_ASSERT_EQUAL_FATAL(run(args, "b"), 0);
    snprintf(more, sizeof more, "%s --seed 9", args);
    CU_ASSERT_EQUAL_FATAL(run(more, "c"), 0);
    CU_ASSERT_TRUE(same("a/batchnorm/seeds-ring.csv",
                        "b/batchnorm/seeds-ring.csv"));
    CU_ASSERT_TRUE(same("a/batchnorm/log-ring.csv",
                        "b/batchnorm/log-ring.csv"));
    CU_ASSERT_TRUE(same("a/table.csv", "b/table.csv"));
    CU_ASSERT_FALSE(same("a/batchnorm/log-ring.csv",
                         "c/batchnorm/log-ring.csv"));
    char *seeds = output("a/batchnorm/seeds-ring.csv");
    ASSERT_CONTAINS(seeds, "seed,steps,modes,high_quality,modes_running,"
                           "hq_running,modes_small,hq_small\n1,300,");
    ASSERT_CONTAINS(seeds, "\n2,300,");
    free(seeds);
    char *table = output("a/table.csv");
    ASSERT_CONTAINS(table, "experiment,parent,ring_steps,");
    ASSERT_CONTAINS(table, "\nbatchnorm,baseline,300,2,");
    free(table);
    char *md = output("a/table.md");
    ASSERT_CONTAINS(md, "| `batchnorm` | batch norm in G (`baseline`) |");
    free(md);
    char *result = output("a/result.txt");
    ASSERT_CONTAINS(result, "result: experiment=batchnorm ring_modes=");
    CU_ASSERT_PTR_NULL(strstr(result, "grid_"));
    free(result);
}

static void test_list(void)
{
    CU_ASSERT_EQUAL_FATAL(run("--list", "list"), 0);
    char *out = output("stdout");
    for (int i = 0; i < stab_experiment_count; i++)
        ASSERT_CONTAINS(out, stab_experiments[i].name);
    free(out);
}

static void expect_usage_error(const char *args, const char *message)
{
    CU_ASSERT_EQUAL(run(args, "bad"), 2);
    char *err = output("stderr");
    ASSERT_CONTAINS(err, message);
    ASSERT_CONTAINS(err, "usage: 10-stabilizing");
    free(err);
}

static void test_bad_options(void)
{
    expect_usage_error("--experiment nope",
                       "--experiment: no experiment 'nope'");
    expect_usage_error("--experiment baseline --target moons",
                       "--target: 'moons' is not ring, grid, both, "
                       "fashion or all");
    expect_usage_error("--target grid", "--target needs --experiment");
    expect_usage_error("--experiment leaky-decay --target fashion",
                       "is not measured on Fashion-MNIST");
    expect_usage_error("--seeds 0", "--seeds");
}

static void test_bad_files(void)
{
    CU_ASSERT_EQUAL(run_shell("%s --experiment baseline --target ring "
                              "--steps 10 --seeds 1 --out /dev/null/run "
                              "--quiet >/dev/null 2>%s/stderr", PROG,
                              dir), 1);
    char *err = output("stderr");
    ASSERT_CONTAINS(err, "10-stabilizing: ");
    ASSERT_CONTAINS(err, "/dev/null/run");
    free(err);
    CU_ASSERT_EQUAL(run("--experiment baseline --target fashion --data "
                        "/no/such/folder --quiet", "nodata"), 1);
    err = output("stderr");
    ASSERT_CONTAINS(err, "/no/such/folder");
    free(err);
    CU_ASSERT_EQUAL(run("--experiment baseline --target fashion "
                        "--classifier /no/such.ckpt --quiet", "noclf"), 1);
    err = output("stderr");
    ASSERT_CONTAINS(err, "/no/such.ckpt");
    ASSERT_CONTAINS(err, "HINT: chapter 4 trains the classifier");
    free(err);
}

/* A few steps on Fashion-MNIST, judged by an untrained classifier (the
 * numbers mean nothing; the plumbing is what is checked). */
static void test_fashion_run(void)
{
    Rng rng;
    rng_seed(&rng, 40);
    Classifier clf;
    classifier_init(&clf, 16, &rng);
    char *path = scratch_path(dir, "classifier.ckpt");
    Error err;
    CU_ASSERT_EQUAL_FATAL(classifier_save(&clf, path, &err), 0);
    classifier_free(&clf);
    char args[512];
    snprintf(args, sizeof args, "--experiment pack --target fashion "
             "--steps 6 --samples 300 --classifier %s --quiet", path);
    free(path);
    CU_ASSERT_EQUAL_FATAL(run(args, "fashion"), 0);
    char *csv = output("fashion/pack/fashion.csv");
    ASSERT_CONTAINS(csv, "seed,steps,fcd,fcd_floor\n1,6,");
    free(csv);
    char *log = output("fashion/pack/fashion-log.csv");
    ASSERT_CONTAINS(log, "step,loss_d,loss_g,d_real,d_fake,"
                         "grad_nonsaturating,grad_minimax\n0,");
    free(log);
    char *result = output("fashion/result.txt");
    ASSERT_CONTAINS(result, "result: experiment=pack fcd=");
    free(result);
    char *png = scratch_path(dir, "fashion/pack/fashion-samples.png");
    CU_ASSERT_TRUE(file_exists(png));
    free(png);
}

/* The book's short run: the baseline on the ring, 2 seeds. Training is
 * chaotic, so another CPU ends in other numbers; the tolerances say
 * how far they may drift. */
static void test_short_run_matches_book(void)
{
    CU_ASSERT_EQUAL_FATAL(run("--experiment baseline --target ring "
                              "--seeds 2 --steps 2000 --quiet", "short"),
                          0);
    char *result = output("short/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_TRUE(book_result_matches(
        "book/10-stabilizing.md", 1, result,
        "ring_modes=1.5 ring_modes_sd=1.5 ring_hq=25 ring_hq_sd=25 "
        "ring_at_target=2"));
    free(result);
}

/* The default run: the probe, then the baseline and the best
 * configuration (cut to a few steps here). The probe is the chapter's
 * point: once D is sure, the minimax loss pushes G far less. */
static void test_default_run(void)
{
    CU_ASSERT_EQUAL_FATAL(run("--steps 200 --quiet", "demo"), 0);
    char *probe = output("demo/demo/probe.csv");
    ASSERT_CONTAINS(probe, "step,d_fake,grad_nonsaturating,grad_minimax"
                           "\n0,");
    ASSERT_CONTAINS(probe, "\n1000,");
    free(probe);
    char path[256];
    snprintf(path, sizeof path, "demo/demo/%s/seeds-grid.csv",
             stab_best_experiment);
    char *seeds = output(path);
    ASSERT_CONTAINS(seeds, "\n1,200,");
    free(seeds);
    char *result = output("demo/result.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    ASSERT_CONTAINS(result, "best_steps=200 ");
    double d_fake = 1.0, ns = 0.0, mm = 1e9;
    const char *at = strstr(result, "probe_d_fake=");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    CU_ASSERT_EQUAL(sscanf(at, "probe_d_fake=%lf probe_grad_ns=%lf "
                               "probe_grad_mm=%lf", &d_fake, &ns, &mm),
                    3);
    CU_ASSERT(d_fake < 0.1);
    CU_ASSERT(mm < ns / 5.0);
    free(result);
}

/* The figures name the best experiment as the program does. */
static void test_figures_name_the_best(void)
{
    char want[128];
    snprintf(want, sizeof want, "best = '%s'", stab_best_experiment);
    const char *scripts[] = {"plots/10-stabilizing.gp",
                             "plots/10-stabilizing-best.gp"};
    for (int i = 0; i < 2; i++) {
        char *path = path_join(PROJECT_DIR, scripts[i]);
        char *text = read_all(path, NULL);
        ASSERT_CONTAINS(text, want);
        free(text);
        free(path);
    }
}

/* Found by fuzzing (tests/fuzz/fuzz_table.c, its input kept in
 * tests/fuzz/crashes/): a seeds-ring.csv whose modes column holds
 * 1e300 was converted to int to be compared with the target's modes,
 * which is undefined behaviour (UBSan stopped on it). The input is the
 * fuzzer's: a first byte naming the experiment (low 5 bits) and the
 * files that exist (bits 5 to 7: seeds-ring, seeds-grid, fashion),
 * then their contents cut at each "\n%%\n". Now a count that is not
 * a whole number an int holds is no count of modes: never at target. */
static void test_fuzz_table_modes_out_of_range(void)
{
    size_t size;
    char *in = read_all(PROJECT_DIR "/tests/fuzz/crashes/table-modes-1e300",
                        &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    const Experiment *e =
        &stab_experiments[(in[0] & 31) % stab_experiment_count];
    char *out = scratch_path(dir, "fuzz-table");
    char *exp_dir = path_join(out, e->name);
    Error err;
    CU_ASSERT_EQUAL_FATAL(make_dirs(exp_dir, &err), 0);
    const char *names[] = {"seeds-ring.csv", "seeds-grid.csv",
                           "fashion.csv"};
    char *p = in + 1, *end = in + size;
    for (int i = 0; i < 3; i++) {
        char *cut = strstr(p, "\n%%\n");
        char *stop = cut ? cut + 1 : end;
        CU_ASSERT_TRUE(in[0] & (0x20 << i));
        char *path = path_join(exp_dir, names[i]);
        write_bytes(path, p, (size_t)(stop - p));
        free(path);
        p = cut ? cut + 4 : end;
    }
    CU_ASSERT_EQUAL(stab_table_write(out, &err), 1);
    char *table = scratch_read(dir, "fuzz-table/table.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(table);
    /* ring: steps 2000, 1 seed, modes 1e300 (sd 0), high quality NaN
     * (sd 0), and 0 seeds at target */
    ASSERT_CONTAINS(table, ",2000,1,1e+300,0,nan,0,0,");
    free(table);
    free(exp_dir);
    free(out);
    free(in);
}

void suite_ch10_stabilizing(void)
{
    CU_pSuite s = CU_add_suite("10-stabilizing", setup, teardown);
    CU_add_test(s, "fuzz-found: a table row with 1e300 modes",
                test_fuzz_table_modes_out_of_range);
    CU_add_test(s, "net with batch norm = finite differences",
                test_net_batchnorm_gradients);
    CU_add_test(s, "net with dropout, spectral norm = finite differences",
                test_net_dropout_spectral_gradients);
    CU_add_test(s, "dropout keeps the mean; evaluation drops nothing",
                test_dropout_keeps_the_mean);
    CU_add_test(s, "D and G gradients of every loss = finite differences",
                test_losses_gradients);
    CU_add_test(s, "packing = samples side by side; its gradients",
                test_packing_and_batchnorm_gradients);
    CU_add_test(s, "critic loss by hand", test_critic_loss_closed_form);
    CU_add_test(s, "minimax gradient vanishes when D is sure",
                test_minimax_gradient_vanishes);
    CU_add_test(s, "gradient penalty: g, P and dP/dW",
                test_gradient_penalty);
    CU_add_test(s, "every experiment changes one thing",
                test_experiments_change_one_thing);
    CU_add_test(s, "spectral norm stays 1 in training",
                test_spectral_norm_holds_in_training);
    CU_add_test(s, "same seed, same files byte for byte",
                test_same_seed_same_files);
    CU_add_test(s, "--list names every experiment", test_list);
    CU_add_test(s, "bad options exit 2 with the usage", test_bad_options);
    CU_add_test(s, "missing files exit 1 naming them", test_bad_files);
    CU_add_test(s, "a Fashion-MNIST run writes its files",
                test_fashion_run);
    CU_add_test(s, "the short run prints what the book quotes",
                test_short_run_matches_book);
    CU_add_test(s, "default run: minimax gradient falls behind",
                test_default_run);
    CU_add_test(s, "the figures name the best experiment",
                test_figures_name_the_best);
}
