/* mixture.h - 2-D mixtures of Gaussians whose modes you can count, and
 * the mode metrics of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin
 * et al. 2018).
 *
 * A Mixture is M centres with one standard deviation sigma shared by
 * every mode; each mode has weight 1/M. Two targets follow the
 * literature's protocol:
 *   ring  8 modes on the unit circle at angles 2 pi k / 8, sigma 0.01
 *   grid  25 modes at {-4, -2, 0, 2, 4}^2, sigma 0.05
 *
 * THE METRICS, on any set of 2-D samples: each sample belongs to its
 * nearest centre (Euclidean distance). It is HIGH QUALITY when that
 * distance is at most 3 sigma. A mode is CAPTURED when at least one
 * high-quality sample belongs to it. The score reports the modes
 * captured and the percentage of high-quality samples. Even samples
 * of the mixture itself are not 100% high quality: the mass of a 2-D
 * isotropic Gaussian within radius 3 sigma is 1 - e^(-9/2) = 98.89%.
 */
#ifndef COMMON_MIXTURE_H
#define COMMON_MIXTURE_H

#include "rng.h"

#define MIXTURE_MAX_MODES 64
#define MIXTURE_NAME_MAX 16
/* "within three standard deviations of its nearest mode" */
#define MIXTURE_QUALITY_SIGMAS 3.0
/* 1 - exp(-MIXTURE_QUALITY_SIGMAS^2 / 2), in percent */
#define MIXTURE_GAUSSIAN_HQ_PERCENT 98.8891

typedef struct {
    char name[MIXTURE_NAME_MAX];           /* "ring", "grid" */
    int modes;                             /* M */
    float centres[MIXTURE_MAX_MODES][2];   /* (M, 2) */
    float sigma;                           /* of every mode */
} Mixture;

typedef struct {
    int modes;                        /* modes captured, 0..M */
    double high_quality;              /* % of samples within 3 sigma */
    int counts[MIXTURE_MAX_MODES];    /* (M) high-quality samples whose
                                       * nearest centre is mode m */
} MixtureScore;

/* The two targets of the protocol. */
void mixture_ring(Mixture *m);
void mixture_grid(Mixture *m);

/* Any other mixture: centres (modes, 2), 1 <= modes <= MIXTURE_MAX_MODES
 * (a programming error otherwise: it exits with a message). */
void mixture_init(Mixture *m, const char *name, int modes,
                  const float *centres, float sigma);

/* "ring" or "grid" -> 0 and the target; -1 for any other name. */
int mixture_parse(const char *name, Mixture *m);

/* n samples: a mode drawn uniformly, plus N(0, sigma^2) noise on each
 * coordinate.   x: (n, 2) */
void mixture_sample(const Mixture *m, Rng *rng, float *x, int n);

/* The index of the centre nearest to the point p (2), the first one
 * on a tie; *distance gets the Euclidean distance when not NULL. */
int mixture_nearest(const Mixture *m, const float *p, double *distance);

/* Scores n samples by the metrics above.   x: (n, 2) */
void mixture_score(const Mixture *m, const float *x, int n,
                   MixtureScore *score);

#endif
