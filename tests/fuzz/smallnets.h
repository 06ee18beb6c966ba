/* smallnets.h - every chapter's kind of checkpoint, on networks small
 * enough for a fuzzer: the seed corpus is saved from them by the real
 * save functions (seeds.c), and fuzz_ckpt.c reads into them with the
 * real readers. The readers check a file against the network the
 * program built, so both sides build these same ones.
 */
#ifndef TESTS_FUZZ_SMALLNETS_H
#define TESTS_FUZZ_SMALLNETS_H

#include "convnet.h"
#include "mlp.h"
#include "optim.h"
#include "trainplace.h"

#include "../../chapters/08-gan-mnist/state.h"
#include "../../chapters/11-cgan/state.h"

#define SMALL_BATCH 2
#define SMALL_COUNT 6 /* training images a small run's place orders */

/* Chapter 8's run state with G 2-3-5 and D 5-3-1. */
void small_gan_state(TrainState *s);
void small_gan_state_free(TrainState *s);

/* Chapter 11's, with G (Z + K)-3-784 and D (784 + K)-2-1, so its
 * generator loads as a conditional one. */
void small_cgan_state(CganState *s);
void small_cgan_state_free(CganState *s);

/* Chapter 12's shape: convolutional G and D with Adam, and the place;
 * what gantrain saves for it. */
typedef struct {
    ConvNet g, d;
    Param g_params[CONVNET_MAX_PARAMS], d_params[CONVNET_MAX_PARAMS];
    Optim g_opt, d_opt;
    TrainPlace place;
    ConvNetArch g_arch, d_arch;
    Param g_tensors[CONVNET_MAX_TENSORS], d_tensors[CONVNET_MAX_TENSORS];
} SmallDcgan;
void small_dcgan(SmallDcgan *s);
void small_dcgan_free(SmallDcgan *s);

/* Adds everything of s to c, as chapter 12's run does. */
void small_dcgan_ckpt_add(SmallDcgan *s, Ckpt *c);
/* Reads it back, as gantrain does on --resume. */
int small_dcgan_ckpt_read(SmallDcgan *s, const Ckpt *c, Error *err);

/* Generators that chapter 9 accepts: 784 pixels through a tanh. */
void small_mlp_generator(Mlp *g);    /* 2-4-784 */
void small_conv_generator(ConvNet *g); /* 2 -> 7x7 -> 14x14 -> 28x28 */

#endif
