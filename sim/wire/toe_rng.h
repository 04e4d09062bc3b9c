/*
 * The cable's random numbers: xoshiro256** 1.0 (Blackman and Vigna, 2018), seeded
 * with splitmix64, as the authors recommend (https://prng.di.unimi.it/).  Both are
 * a few lines of 64-bit integer arithmetic, so a seed gives the same numbers on
 * every machine and compiler, which rand() and random() do not promise.
 *
 * Header-only so that the tests can check both generators against their published
 * outputs without exporting anything from the library.
 */
#ifndef TOE_RNG_H
#define TOE_RNG_H

#include <stdint.h>

struct toe_rng {
    uint64_t s[4];
};

/* splitmix64: advances *state and returns its next output. */
static inline uint64_t toe_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Fill r from the next four outputs of the splitmix64 sequence in *sm.  splitmix64
 * never yields four zeros in a row, the one state xoshiro cannot leave. */
static inline void toe_rng_seed(struct toe_rng *r, uint64_t *sm)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = toe_splitmix64(sm);
}

static inline uint64_t toe_rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: the next 64-bit output. */
static inline uint64_t toe_rng_next(struct toe_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = toe_rng_rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = toe_rng_rotl(s[3], 45);
    return result;
}

/*
 * Uniform in [0, n), n >= 1, without modulo bias: outputs below 2^64 mod n are
 * thrown away so that every residue has the same number of preimages (the method
 * of OpenBSD's arc4random_uniform).  At most one retry in 2 on average for the
 * worst n, almost never for the n used here.
 */
static inline uint64_t toe_rng_below(struct toe_rng *r, uint64_t n)
{
    const uint64_t min = (0 - n) % n; /* 2^64 mod n */
    uint64_t x;

    do
        x = toe_rng_next(r);
    while (x < min);
    return x % n;
}

/*
 * A Bernoulli trial: true with probability thr / 2^32, thr in 0..2^32 (see
 * toe_rng_threshold).  The top 32 bits of an output are compared, as netem
 * compares a 32-bit random number with its 32-bit scaled probability.
 */
static inline int toe_rng_chance(struct toe_rng *r, uint64_t thr)
{
    return (toe_rng_next(r) >> 32) < thr;
}

/* p in [0, 1] as a threshold for toe_rng_chance: floor(p * 2^32).  The product is
 * exact in IEEE 754 double (a power-of-two scaling), so it does not depend on the
 * machine either. */
static inline uint64_t toe_rng_threshold(double p)
{
    return (uint64_t)(p * 4294967296.0);
}

#endif /* TOE_RNG_H */
