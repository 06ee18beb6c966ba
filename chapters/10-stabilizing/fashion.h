/* fashion.h - one experiment on Fashion-MNIST at a fixed budget,
 * judged by chapter 9's FCD: the Frechet distance between Gaussians
 * fitted to chapter 4's classifier features of generated images and of
 * the test images (common/frechet.h, common/classifier.h).
 *
 * The judge (data, classifier, the test images' fit and the floor) is
 * prepared once and shared by every experiment of a run. The floor is
 * the FCD of as many real training images as samples against the test
 * images: no generator can expect to go below it.
 *
 * Files, in <out>/<experiment>/:
 *   fashion.csv       seed, steps, fcd, fcd_floor: a row per seed
 *   fashion-log.csv   the first seed's run, every FASHION_LOG_EVERY
 *                     steps (FASHION_EARLY_EVERY in the first
 *                     FASHION_EARLY_STEPS): the means of the losses and
 *                     D's beliefs, and the norm of G's gradient under
 *                     the non-saturating and the minimax loss on the
 *                     same codes
 *   fashion-samples.png  64 of the first seed's samples, from fixed
 *                     codes
 */
#ifndef CH10_FASHION_H
#define CH10_FASHION_H

#include <stdint.h>

#include "classifier.h"
#include "dataset.h"
#include "error.h"
#include "frechet.h"
#include "progress.h"

#include "experiments.h"

#define FASHION_STEPS 4685     /* 5 epochs of chapter 8's 937 steps */
#define FASHION_SAMPLES 10000  /* images the FCD compares */
#define FASHION_LOG_EVERY 50
#define FASHION_EARLY_STEPS 500 /* the first steps are logged ... */
#define FASHION_EARLY_EVERY 10  /* ... more often */

typedef struct {
    Dataset data;
    Classifier clf;
    Gaussian test_fit;   /* of the first `samples` test images */
    double floor;        /* FCD of as many training images */
    int samples;
} FashionJudge;

/* Loads the data folder and the classifier checkpoint, fits the test
 * images and measures the floor. Returns -1 with err set (naming the
 * file, with a HINT) when something is missing. */
int stab_fashion_judge_init(FashionJudge *j, const char *data_dir,
                            const char *classifier, int samples,
                            uint64_t seed, Error *err);
void stab_fashion_judge_free(FashionJudge *j);

/* The FCD of n generated images.   x: (n, 784) in [-1, 1] */
double stab_fashion_fcd(FashionJudge *j, const float *x, int n);

typedef struct {
    const char *dir;    /* <out>/<experiment>, created by the caller */
    uint64_t seed;      /* first seed; the others follow */
    int seeds;
    long steps;
    Progress *progress; /* may be NULL */
    long *done;
} FashionPlan;

/* Trains experiment e's GAN on the training images for plan->steps
 * steps from each seed, writes the files above and each seed's FCD to
 * fcd (seeds). */
void stab_fashion_run(const Experiment *e, const FashionPlan *plan,
                      FashionJudge *j, double *fcd);

#endif
