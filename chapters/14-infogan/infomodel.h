/* infomodel.h - chapter 14's program: InfoGAN trained by the shared GAN
 * run (common/gantrain.h), measured after every epoch by how well Q's
 * categorical code matches the test set's classes, and its codes drawn.
 */
#ifndef CH14_INFOMODEL_H
#define CH14_INFOMODEL_H

#include <stdbool.h>

#include "gantrain.h"

#define INFOGAN_NAME "14-infogan"

/* Trains as gantrain_run does, with chapter 12's networks or (paper)
 * the InfoGAN paper's, or those of the checkpoint it resumes; then,
 * unless interrupted, draws the codes of the final checkpoint
 * (infogan_codes). Returns the exit status. */
int infogan_train(const GanTrainConfig *cfg, bool paper);

/* From the checkpoint at `from`: codes.png (a row per value of c1, the
 * same noise in each column), c2.png and c3.png (a code swept from -2
 * to 2 along each row, beyond its training range [-1, 1]), and
 * match.csv, how Q's c1 names the test images (data: the IDX folder,
 * NULL for the default), its best one-to-one matching with the
 * classes and the accuracy that gives: what the run measured after
 * its last epoch, Q reading in batches of the training batch (batch
 * norm by each batch's statistics, as in training). With a classifier
 * (chapter 4's checkpoint; NULL for none), also judged.csv: which
 * class G draws for each code, as the classifier judges 1,000 samples
 * of it, matched the same way. Returns 0, or exits with a message. */
int infogan_codes(const char *from, const char *out, const char *data,
                  const char *classifier, bool quiet);

#endif
