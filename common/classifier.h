/* classifier.h - chapter 4's image classifier, as the evaluator that
 * later chapters load.
 *
 * Chapter 4 trains a softmax MLP on 28x28 images and saves it to
 * CLASSIFIER_CKPT. Chapters 9 (evaluation), 11 (conditional GAN) and
 * 13 (augmentation) load that file to ask two things of a batch of
 * images: which class each one shows (classifier_predict, or the whole
 * distribution with classifier_probs), and where each one lands in the
 * classifier's feature space (classifier_features: the penultimate
 * layer, the numbers a Frechet distance compares).
 *
 *   x (N, D) -> fc1 -> ReLU -> (N, H) -> fc2 -> ReLU -> (N, F)
 *            -> fc3 -> logits (N, K)
 *
 * with D = 784 pixels, H = CLASSIFIER_HIDDEN, F = CLASSIFIER_FEATURES
 * and K = 10 classes.
 *
 * Images go in as floats in [CLASSIFIER_PIXEL_LO, CLASSIFIER_PIXEL_HI]
 * = [0, 1], as images_to_float(im, idx, n, 0, 1, x) gives them. A
 * generator's tanh output g in [-1, 1] must be mapped first:
 * x = (g + 1) / 2.
 *
 * The checkpoint (kind CLASSIFIER_KIND) holds the layer widths as the
 * int32 tensor "arch" beside the weights, so loading a classifier of
 * another shape is refused with a message naming the file and both
 * shapes, before any weight is read.
 */
#ifndef COMMON_CLASSIFIER_H
#define COMMON_CLASSIFIER_H

#include "dataset.h"
#include "error.h"
#include "mlp.h"
#include "rng.h"

#define CLASSIFIER_KIND "04-classifier"
#define CLASSIFIER_CKPT "out/04-classifier/classifier.ckpt"
#define CLASSIFIER_INPUT (DATASET_SIDE * DATASET_SIDE) /* D */
#define CLASSIFIER_HIDDEN 256                          /* H */
#define CLASSIFIER_FEATURES 128                        /* F */
#define CLASSIFIER_CLASSES DATASET_CLASSES             /* K */
#define CLASSIFIER_LAYERS 3
#define CLASSIFIER_PIXEL_LO 0.0f
#define CLASSIFIER_PIXEL_HI 1.0f
#define CLASSIFIER_PREFIX "clf" /* parameter names: clf.fc1.W, ... */
#define CLASSIFIER_ARCH_TENSOR "arch"

typedef struct {
    Mlp net; /* D -> H -> F -> K; ReLU hidden, logits out */
} Classifier;

/* The widths D, H, F, K of the architecture above. */
extern const int classifier_sizes[CLASSIFIER_LAYERS + 1];

/* A fresh classifier with He-initialised weights (its hidden layers
 * are ReLU), for batches of at most max_batch rows. */
void classifier_init(Classifier *c, int max_batch, Rng *rng);
void classifier_free(Classifier *c);

/* Writes the weights and the architecture to path (atomically). */
int classifier_save(Classifier *c, const char *path, Error *err);

/* Builds a classifier for batches of at most max_batch rows and reads
 * its weights from path. Refuses, with a message naming the file, a
 * file that is not a checkpoint of kind CLASSIFIER_KIND, one whose
 * architecture differs, and one whose tensors have other shapes. On
 * failure c is left empty (nothing to free). */
int classifier_load(Classifier *c, const char *path, int max_batch,
                    Error *err);

/* The forward pass of n <= max_batch rows; returns the logits, valid
 * until the next forward.   x: (n, D)   returns (n, K) */
const float *classifier_logits(Classifier *c, const float *x, int n);

/* The calls below take any n: they run the network max_batch rows at
 * a time. */

/* The most likely class of each image.   x: (n, D)   classes: (n) */
void classifier_predict(Classifier *c, const float *x, int n,
                        int *classes);

/* Each image's softmax distribution.   x: (n, D)   probs: (n, K) */
void classifier_probs(Classifier *c, const float *x, int n,
                      float *probs);

/* The penultimate layer's activations.   x: (n, D)   features: (n, F) */
void classifier_features(Classifier *c, const float *x, int n,
                         float *features);

#endif
