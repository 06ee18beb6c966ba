#include "mixture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

#define PI 3.14159265358979323846
#define RING_MODES 8
#define RING_RADIUS 1.0
#define RING_SIGMA 0.01f
#define GRID_SIDE 5        /* 5 x 5 modes */
#define GRID_FIRST (-4.0f) /* centres at -4, -2, 0, 2, 4 */
#define GRID_SPACING 2.0f
#define GRID_SIGMA 0.05f

void mixture_init(Mixture *m, const char *name, int modes,
                  const float *centres, float sigma)
{
    if (modes < 1 || modes > MIXTURE_MAX_MODES)
        fatal("mixture_init: %d modes; 1 to %d are supported", modes,
              MIXTURE_MAX_MODES);
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    m->modes = modes;
    memcpy(m->centres, centres, (size_t)modes * 2 * sizeof(float));
    m->sigma = sigma;
}

void mixture_ring(Mixture *m)
{
    float centres[RING_MODES][2];
    for (int k = 0; k < RING_MODES; k++) {
        double angle = 2.0 * PI * k / RING_MODES;
        centres[k][0] = (float)(RING_RADIUS * cos(angle));
        centres[k][1] = (float)(RING_RADIUS * sin(angle));
    }
    mixture_init(m, "ring", RING_MODES, &centres[0][0], RING_SIGMA);
}

void mixture_grid(Mixture *m)
{
    float centres[GRID_SIDE * GRID_SIDE][2];
    for (int i = 0; i < GRID_SIDE; i++)
        for (int j = 0; j < GRID_SIDE; j++) {
            centres[i * GRID_SIDE + j][0] = GRID_FIRST + GRID_SPACING * i;
            centres[i * GRID_SIDE + j][1] = GRID_FIRST + GRID_SPACING * j;
        }
    mixture_init(m, "grid", GRID_SIDE * GRID_SIDE, &centres[0][0],
                 GRID_SIGMA);
}

int mixture_parse(const char *name, Mixture *m)
{
    if (strcmp(name, "ring") == 0)
        mixture_ring(m);
    else if (strcmp(name, "grid") == 0)
        mixture_grid(m);
    else
        return -1;
    return 0;
}

void mixture_sample(const Mixture *m, Rng *rng, float *x, int n)
{
    for (int i = 0; i < n; i++) {
        int k = (int)rng_below(rng, (uint64_t)m->modes);
        x[2 * i] = m->centres[k][0] + m->sigma * rng_normal(rng);
        x[2 * i + 1] = m->centres[k][1] + m->sigma * rng_normal(rng);
    }
}

/* Nearest centre by squared distance, in double so that a point placed
 * exactly on the 3-sigma circle is judged exactly. */
static int nearest_squared(const Mixture *m, const float *p, double *d2)
{
    int best = 0;
    double best_d2 = INFINITY;
    for (int k = 0; k < m->modes; k++) {
        double dx = (double)p[0] - m->centres[k][0];
        double dy = (double)p[1] - m->centres[k][1];
        double dist2 = dx * dx + dy * dy;
        if (dist2 < best_d2) {
            best_d2 = dist2;
            best = k;
        }
    }
    *d2 = best_d2;
    return best;
}

int mixture_nearest(const Mixture *m, const float *p, double *distance)
{
    double d2;
    int k = nearest_squared(m, p, &d2);
    if (distance)
        *distance = sqrt(d2);
    return k;
}

void mixture_score(const Mixture *m, const float *x, int n,
                   MixtureScore *score)
{
    memset(score, 0, sizeof *score);
    double radius = MIXTURE_QUALITY_SIGMAS * (double)m->sigma;
    int good = 0;
    for (int i = 0; i < n; i++) {
        double d2;
        int k = nearest_squared(m, &x[2 * i], &d2);
        if (d2 <= radius * radius) {
            score->counts[k]++;
            good++;
        }
    }
    for (int k = 0; k < m->modes; k++)
        if (score->counts[k] > 0)
            score->modes++;
    score->high_quality = n > 0 ? 100.0 * good / n : 0.0;
}
