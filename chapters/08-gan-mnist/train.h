/* train.h - the training run: epochs over the data, the log, a grid of
 * samples and a checkpoint after every epoch, Ctrl-C and --resume. */
#ifndef CH08_TRAIN_H
#define CH08_TRAIN_H

#include "gantrain.h"

/* The options of a run, as every GAN chapter's (common/gantrain.h);
 * chapter 8 keeps its own loop, the one the book walks through. */
typedef GanTrainConfig TrainConfig;

/* Runs training; returns the exit status. */
int gan_train(const TrainConfig *cfg);

#endif
