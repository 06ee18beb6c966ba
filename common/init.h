/* init.h - how a layer's weights start.
 *
 * The scale of the initial weights decides whether a signal survives a
 * deep stack of layers: too small and activations shrink layer after
 * layer, too large and they blow up. Chapter 5 measures it.
 */
#ifndef COMMON_INIT_H
#define COMMON_INIT_H

#include "rng.h"

typedef enum {
    INIT_SMALL_NORMAL, /* N(0, 0.01^2), whatever the layer's size */
    INIT_XAVIER,       /* U(-a, a), a = sqrt(6 / (fan_in + fan_out)) */
    INIT_HE,           /* N(0, 2 / fan_in), for ReLU layers */
    INIT_DCGAN,        /* N(0, 0.02^2) for every layer, whatever its
                          size: Radford et al. (2015)'s DCGAN */
} InitScheme;

#define INIT_SMALL_STD 0.01f
#define INIT_DCGAN_STD 0.02f

/* Fills w[0 .. fan_in * fan_out) for a layer with fan_in inputs and
 * fan_out outputs. */
void init_weights(float *w, int fan_in, int fan_out, InitScheme scheme,
                  Rng *rng);

/* Fills w[0 .. n) by the scheme for fans that do not multiply to n,
 * as in a transposed convolution, whose fan in counts only the inputs
 * that reach one output. */
void init_weights_n(float *w, long n, int fan_in, int fan_out,
                    InitScheme scheme, Rng *rng);

/* "small", "xavier", "he" -> scheme; returns -1 for any other name. */
int init_scheme_parse(const char *name, InitScheme *out);
const char *init_scheme_name(InitScheme scheme);

#endif
