/* model.h - chapter 12's model as common/gantrain.h runs it. */
#ifndef CH12_MODEL_H
#define CH12_MODEL_H

#include "gantrain.h"

#define DCGAN_NAME "12-dcgan"

/* Trains the DCGAN; returns the exit status. */
int dcgan_train(const GanTrainConfig *cfg);

#endif
