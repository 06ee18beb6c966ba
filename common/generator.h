/* generator.h - a trained generator of 28x28 images, whichever chapter
 * made it: loaded from a checkpoint, sampled in batches, and drawn.
 *
 * One interface for the evaluator (chapter 9) and every program that
 * samples: a generator is either an Mlp (chapters 8 and 10) or a
 * ConvNet (chapter 12 on). Its checkpoint is of kind GENERATOR_KIND
 * (what the GAN chapters write after every epoch) or a GAN chapter's
 * training checkpoint (kind "NN-name", e.g. "08-gan-mnist") holding the
 * network "g": "g.arch" for an Mlp, "g.net" for a ConvNet. Its output
 * must be 784 pixels (28x28) from a tanh, in [-1, 1].
 *
 * A ConvNet generator with batch norm samples in BN_EVAL: each image
 * on its own, normalised by the statistics saved with it (the training
 * chapter sets them with convnet_bn_population before saving), never
 * by those of whatever batch it happens to be drawn in.
 */
#ifndef COMMON_GENERATOR_H
#define COMMON_GENERATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "convnet.h"
#include "error.h"
#include "mlp.h"

#define GENERATOR_KIND "generator"
#define GENERATOR_PREFIX "g"
#define GENERATOR_PIXELS 784 /* 28 x 28 */
#define GENERATOR_LATENT "g.latent"

/* What G's input is made of, in this order: `noise` numbers from
 * N(0, 1), then a one-hot code of `categories` (each as likely; 0 for
 * none), then `continuous` codes uniform in [-1, 1]. Every GAN before
 * InfoGAN (chapter 14) has only noise; a checkpoint without
 * GENERATOR_LATENT ("g.latent", three int32) means that. */
typedef struct {
    int noise, categories, continuous;
} GeneratorLatent;

typedef struct {
    bool conv;     /* which of the two it is */
    Mlp mlp;
    ConvNet net;
    GeneratorLatent latent;
    int z_dim;     /* Z: the sum of latent's three */
    int max_batch; /* rows per forward pass */
    BnMode bn;     /* BN_EVAL, unless generator_use_batch_statistics */
} Generator;

/* Builds G for batches of at most max_batch rows from the checkpoint
 * at path. Refuses, with a message naming the file, anything that is
 * not a checkpoint, a checkpoint that holds no generator, and a
 * generator that does not draw 784 pixels through a tanh. */
int generator_load(const char *path, int max_batch, Generator *g,
                   Error *err);
/* The same, refusing any checkpoint but one of `program` (its kind,
 * e.g. "08-gan-mnist") or a generator checkpoint. */
int generator_load_of(const char *path, const char *program, int max_batch,
                      Generator *g, Error *err);
void generator_free(Generator *g);

/* From now on, batch norm normalises each forward pass of max_batch
 * rows (the last may be smaller) by that batch's own statistics
 * (BN_BATCH), as in training, instead of the saved ones: what chapter
 * 12 measures against. No effect on a network without batch norm. */
void generator_use_batch_statistics(Generator *g);

/* "100-128-256-512-1024-784" or "100-dense-convT-convT-784": what the
 * network is, in one line. */
void generator_describe(const Generator *g, char *buf, size_t size);

/* G(z) for any n, max_batch rows at a time.
 *   z: (n, Z)   x: (n, 784) in [-1, 1] */
void generator_images(Generator *g, const float *z, int n, float *x);

/* n rows of G's input, (n, Z), drawn from rng as `latent` says. */
void generator_latent_draw(const GeneratorLatent *latent, Rng *rng,
                           float *z, int n);

/* Adds GENERATOR_LATENT to a checkpoint (latent stays alive until it is
 * saved). */
void generator_latent_ckpt_add(Ckpt *c, const GeneratorLatent *latent);

/* n images from G's input drawn (generator_latent_draw) with `seed` alone, so every
 * checkpoint of a run is shown the same noise.   x: (n, 784) in [0, 1],
 * the classifier's range */
void generator_draw(Generator *g, uint64_t seed, int n, float *x);

/* n samples from noise drawn with `seed`, as a square grid PNG. */
int generator_write_grid(Generator *g, int n, uint64_t seed,
                         const char *path, Error *err);

/* The same n samples as generator_write_grid's, as the bytes of an IDX
 * image file (what 09-evaluation --images scores). */
int generator_write_idx(Generator *g, int n, uint64_t seed,
                        const char *path, Error *err);

/* `rows` walks of `steps` images, each in a straight line from one
 * random z to another, one walk a row of a PNG. */
int generator_write_walks(Generator *g, int rows, int steps, uint64_t seed,
                          const char *path, Error *err);

/* Saves a ConvNet as a GENERATOR_KIND checkpoint; latent NULL: its
 * input is all noise. */
int generator_save_net(ConvNet *net, const GeneratorLatent *latent,
                       const char *path, Error *err);

#endif
