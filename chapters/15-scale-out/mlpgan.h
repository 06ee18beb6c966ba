/* mlpgan.h - chapter 8's GAN as common/gantrain.h runs it. Chapter 8
 * keeps a loop of its own, the one its book walks through; this is
 * the same model handed to the shared loop, so that chapter 15 can
 * shard it. Its checkpoints hold chapter 8's tensors, and its
 * generators are chapter 8's, which 09-evaluation reads. */
#ifndef CH15_MLPGAN_H
#define CH15_MLPGAN_H

#include "../08-gan-mnist/gan.h"
#include "gantrain.h"

typedef struct {
    Gan gan;
    /* what a checkpoint borrows until it is saved */
    MlpArch g_arch, d_arch;
    Param g_tensors[2 * MLP_MAX_LAYERS], d_tensors[2 * MLP_MAX_LAYERS];
} MlpGan;

/* model: gantrain's view of m, under the program name `name`. */
void mlp_gan_model(GanModel *model, MlpGan *m, const char *name);

#endif
