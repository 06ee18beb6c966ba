#include "init.h"

#include <math.h>
#include <string.h>

void init_weights(float *w, int fan_in, int fan_out, InitScheme scheme,
                  Rng *rng)
{
    init_weights_n(w, (long)fan_in * fan_out, fan_in, fan_out, scheme,
                   rng);
}

void init_weights_n(float *w, long n, int fan_in, int fan_out,
                    InitScheme scheme, Rng *rng)
{
    switch (scheme) {
    case INIT_SMALL_NORMAL:
        // listing: init-small
        rng_fill_normal(rng, w, n, 0.0f, INIT_SMALL_STD);
        // end-listing: init-small
        break;
    case INIT_XAVIER: {
        // listing: init-xavier
        float a = sqrtf(6.0f / (float)(fan_in + fan_out));
        for (long i = 0; i < n; i++)
            w[i] = rng_range(rng, -a, a);
        // end-listing: init-xavier
        break;
    }
    case INIT_HE:
        // listing: init-he
        rng_fill_normal(rng, w, n, 0.0f, sqrtf(2.0f / (float)fan_in));
        // end-listing: init-he
        break;
    case INIT_DCGAN:
        rng_fill_normal(rng, w, n, 0.0f, INIT_DCGAN_STD);
        break;
    }
}

static const char *const scheme_names[] = {"small", "xavier", "he",
                                            "dcgan"};

#define SCHEMES ((int)(sizeof scheme_names / sizeof scheme_names[0]))

int init_scheme_parse(const char *name, InitScheme *out)
{
    for (int i = 0; i < SCHEMES; i++)
        if (strcmp(name, scheme_names[i]) == 0) {
            *out = (InitScheme)i;
            return 0;
        }
    return -1;
}

const char *init_scheme_name(InitScheme scheme)
{
    return scheme_names[scheme];
}
