/* test_optim.c - the optimisers' first steps equal values computed by
 * hand from their update rules (optim.h). */
#include <CUnit/CUnit.h>

#include <stdlib.h>

#include "helpers.h"
#include "optim.h"

typedef struct {
    float w, g;
    Param p;
} One;

static void one_init(One *o)
{
    o->w = 1.0f;
    o->g = 0.0f;
    o->p = (Param){"w", &o->w, &o->g, 1, 1};
}

static void test_sgd(void)
{
    One o;
    one_init(&o);
    Optim opt;
    optim_init_sgd(&opt, &o.p, 1, 0.1f);
    o.g = 0.5f;
    optim_step(&opt);
    CU_ASSERT_DOUBLE_EQUAL(o.w, 0.95, 1e-7); /* 1 - 0.1 * 0.5 */
    optim_free(&opt);
}

static void test_momentum(void)
{
    One o;
    one_init(&o);
    Optim opt;
    optim_init_momentum(&opt, &o.p, 1, 0.1f, 0.9f);
    o.g = 0.5f;
    optim_step(&opt); /* v = 0.5, w = 1 - 0.05 */
    CU_ASSERT_DOUBLE_EQUAL(o.w, 0.95, 1e-7);
    o.g = -1.0f;
    optim_step(&opt); /* v = 0.45 - 1 = -0.55, w = 0.95 + 0.055 */
    CU_ASSERT_DOUBLE_EQUAL(o.w, 1.005, 1e-6);
    optim_free(&opt);
}

static void test_adam_first_steps(void)
{
    One o;
    one_init(&o);
    Optim opt;
    optim_init_adam(&opt, &o.p, 1, 0.1f, 0.9f, 0.999f, 1e-8f);
    /* t = 1: m = 0.05, v = 0.00025; bias-corrected 0.5 and 0.25, so the
     * first step is lr * 0.5 / sqrt(0.25) = lr, whatever g is */
    o.g = 0.5f;
    optim_step(&opt);
    CU_ASSERT_DOUBLE_EQUAL(o.w, 0.9, 1e-6);
    /* t = 2, g = -1: m = -0.055, v = 0.00124975; m^ = -0.055 / 0.19,
     * v^ = 0.00124975 / 0.001999; w = 0.9 + 0.1 * 0.28947 / 0.79069 */
    o.g = -1.0f;
    optim_step(&opt);
    CU_ASSERT_DOUBLE_EQUAL(o.w, 0.93661035, 1e-6);
    /* t = 3, g = 0.25 */
    o.g = 0.25f;
    optim_step(&opt);
    CU_ASSERT_DOUBLE_EQUAL(o.w, 0.95027942, 1e-6);
    CU_ASSERT_EQUAL(opt.t, 3);
    optim_free(&opt);
}

static void test_step_does_not_zero_grads(void)
{
    One o;
    one_init(&o);
    Optim opt;
    optim_init_adam(&opt, &o.p, 1, 0.1f, ADAM_BETA1, ADAM_BETA2, ADAM_EPS);
    o.g = 0.5f;
    optim_step(&opt);
    CU_ASSERT_EQUAL(o.g, 0.5f);
    params_zero_grad(&o.p, 1);
    CU_ASSERT_EQUAL(o.g, 0.0f);
    optim_free(&opt);
}

static void test_state_round_trip(void)
{
    One a, b;
    one_init(&a);
    one_init(&b);
    Optim oa, ob;
    optim_init_adam(&oa, &a.p, 1, 0.1f, 0.9f, 0.999f, 1e-8f);
    optim_init_adam(&ob, &b.p, 1, 0.1f, 0.9f, 0.999f, 1e-8f);
    a.g = 0.5f;
    optim_step(&oa);
    optim_step(&oa);
    char *dir = scratch_dir();
    char *path = scratch_path(dir, "adam.ckpt");
    Ckpt c;
    Error err;
    ckpt_init(&c, "t");
    optim_ckpt_add(&c, &oa, "adam");
    CU_ASSERT_EQUAL_FATAL(ckpt_save(&c, path, &err), 0);
    ckpt_free(&c);
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "t", &err), 0);
    CU_ASSERT_EQUAL(optim_ckpt_read(&c, &ob, "adam", &err), 0);
    ckpt_free(&c);
    /* the restored optimiser takes the same next step */
    b.w = a.w;
    a.g = b.g = -0.25f;
    optim_step(&oa);
    optim_step(&ob);
    CU_ASSERT_EQUAL(ob.t, 3);
    CU_ASSERT_EQUAL(a.w, b.w);
    /* a momentum optimiser has no v to read */
    Optim om;
    optim_init_momentum(&om, &b.p, 1, 0.1f, 0.9f);
    CU_ASSERT_EQUAL_FATAL(ckpt_load(&c, path, "t", &err), 0);
    CU_ASSERT_EQUAL(optim_ckpt_read(&c, &om, "adam", &err), 0);
    ckpt_free(&c);
    optim_free(&om);
    optim_free(&oa);
    optim_free(&ob);
    remove_tree(dir);
    free(path);
    free(dir);
}

void suite_optim(void)
{
    CU_pSuite s = CU_add_suite("optim", NULL, NULL);
    CU_add_test(s, "SGD step by hand", test_sgd);
    CU_add_test(s, "momentum: two steps by hand", test_momentum);
    CU_add_test(s, "Adam: three steps by hand, with bias correction",
                test_adam_first_steps);
    CU_add_test(s, "a step leaves the gradients for the caller to zero",
                test_step_does_not_zero_grads);
    CU_add_test(s, "state saved and restored: the same next step",
                test_state_round_trip);
}
