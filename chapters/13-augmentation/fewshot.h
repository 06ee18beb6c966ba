/* fewshot.h - chapter 11's conditional GAN trained on the few
 * labelled images alone. */
#ifndef CH13_FEWSHOT_H
#define CH13_FEWSHOT_H

#include "dataset.h"
#include "rng.h"

#include "../11-cgan/cgan.h"

/* Trains c (built by cgan_init with its batch N <= count) for `steps`
 * steps of chapter 11's game on the training images rows[0..count) of
 * ds and their labels, and nothing else: each step takes the next N of
 * those rows in an order reshuffled from rng whenever fewer than N are
 * left. Returns the last step's numbers. */
CganStats aug_cgan_train(Cgan *c, const Dataset *ds, const int *rows,
                         int count, long steps, Rng *rng);

#endif
