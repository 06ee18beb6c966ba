#include "rng.h"

#include <math.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void rng_seed(Rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&seed);
    rng->spare = 0.0;
    rng->has_spare = 0;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_u64(Rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t rng_below(Rng *rng, uint64_t n)
{
    /* Reject the few values at the top that would make some results
     * more likely than others. */
    uint64_t limit = -n % n;
    for (;;) {
        uint64_t x = rng_u64(rng);
        if (x >= limit)
            return x % n;
    }
}

float rng_uniform(Rng *rng)
{
    return (float)(rng_u64(rng) >> 40) * 0x1.0p-24f;
}

float rng_range(Rng *rng, float lo, float hi)
{
    return lo + (hi - lo) * rng_uniform(rng);
}

float rng_normal(Rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return (float)rng->spare;
    }
    /* u1 in (0, 1] so that log(u1) is finite. */
    double u1 = ((rng_u64(rng) >> 11) + 1) * 0x1.0p-53;
    double u2 = (rng_u64(rng) >> 11) * 0x1.0p-53;
    double r = sqrt(-2.0 * log(u1));
    double theta = 6.283185307179586 * u2; /* 2 pi u2 */
    rng->spare = r * sin(theta);
    rng->has_spare = 1;
    return (float)(r * cos(theta));
}

void rng_fill_normal(Rng *rng, float *x, long n, float mean, float std)
{
    for (long i = 0; i < n; i++)
        x[i] = mean + std * rng_normal(rng);
}

void rng_shuffle(Rng *rng, int *idx, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(rng, (uint64_t)i + 1);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}

void rng_save(const Rng *rng, uint64_t words[RNG_STATE_WORDS])
{
    memcpy(words, rng->s, sizeof rng->s);
    memcpy(&words[4], &rng->spare, sizeof rng->spare);
    words[5] = (uint64_t)rng->has_spare;
}

void rng_restore(Rng *rng, const uint64_t words[RNG_STATE_WORDS])
{
    memcpy(rng->s, words, sizeof rng->s);
    memcpy(&rng->spare, &words[4], sizeof rng->spare);
    rng->has_spare = (int)words[5];
}
