/* model.h - chapter 12's model as common/gantrain.h runs it. */
#ifndef CH12_MODEL_H
#define CH12_MODEL_H

#include "dcgan.h"
#include "gantrain.h"

#define DCGAN_NAME "12-dcgan"

/* The DCGAN gan as gantrain runs it (chapter 15 shards it). */
void dcgan_model(GanModel *model, Dcgan *gan);

/* Trains the DCGAN; returns the exit status. */
int dcgan_train(const GanTrainConfig *cfg);

#endif
