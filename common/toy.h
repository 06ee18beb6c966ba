/* toy.h - small 2-D datasets whose answer you can see.
 *
 * Points are rows of X (n, 2); labels y (n) are 0 or 1 as floats, the
 * form a binary cross-entropy loss takes them in.
 */
#ifndef COMMON_TOY_H
#define COMMON_TOY_H

#include "rng.h"

#define TOY_GATE_POINTS 4

typedef enum { GATE_AND, GATE_OR, GATE_XOR } Gate;

/* The four corners of the unit square labelled by a logic gate.
 *   X: (4, 2)   y: (4) */
void toy_gate(Gate gate, float *X, float *y);

/* Two Gaussian blobs of n / 2 points each with standard deviation std,
 * class 0 around (-1, -1) and class 1 around (1, 1), interleaved so
 * that any prefix holds both classes.   X: (n, 2)   y: (n) */
void toy_blobs(Rng *rng, int n, float std, float *X, float *y);

/* Two interleaved half-circles ("moons") with Gaussian noise of
 * standard deviation noise.   X: (n, 2)   y: (n) */
void toy_moons(Rng *rng, int n, float noise, float *X, float *y);

#endif
