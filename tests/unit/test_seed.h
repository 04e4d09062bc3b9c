/*
 * Reproducible randomness for the unit tests: a seed from the environment
 * variable TOE_SEED if set (decimal or 0x-hex), else from the clock, printed
 * so that any failing run can be repeated exactly:
 *     TOE_SEED=<printed value> ./test_x
 * The generator is splitmix64, so a seed means the same numbers everywhere.
 */
#ifndef TOE_TEST_SEED_H
#define TOE_TEST_SEED_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t test_rng_state;

/* Choose and print the seed; call once from main(). */
static inline uint64_t test_seed_init(const char *prog)
{
    const char *env = getenv("TOE_SEED");
    uint64_t seed;

    if (env && *env)
        seed = strtoull(env, NULL, 0);
    else {
        struct timespec ts;

        timespec_get(&ts, TIME_UTC); /* C11; nanoseconds keep runs apart */
        seed = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    }
    printf("%s: seed %llu (set TOE_SEED to repeat)\n", prog,
           (unsigned long long)seed);
    fflush(stdout);
    test_rng_state = seed;
    return seed;
}

static inline uint64_t test_rand64(void)
{
    uint64_t z = (test_rng_state += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform enough in [0, n) for test purposes; n > 0. */
static inline uint32_t test_rand_below(uint32_t n)
{
    return (uint32_t)(test_rand64() % n);
}

static inline void test_rand_fill(void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t i;

    for (i = 0; i < len; i++)
        p[i] = (uint8_t)test_rand64();
}

#endif /* TOE_TEST_SEED_H */
