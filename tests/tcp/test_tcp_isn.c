/*
 * Initial sequence numbers (RFC 6528 section 3) and timestamp offsets
 * (driver/tcp/toe_isn.c).
 *
 * Known answers come from the SipHash paper's vectors (key 00..0f, message
 * 00 01 ..): a tuple whose Linux-layout message is 00..0b must hash to the
 * low 32 bits of the 12-byte vector. The rest checks RFC 6528's properties:
 * M advances one per 4 us and wraps at 2^32, F separates tuples, the secret
 * alone decides F. Random parts print their seed (TOE_SEED repeats a run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_seed.h"
#include "toe_isn.h"
#include "toe_seq.h"

static const struct toe_tuple4 tuple_a = {
    .local_ip = 0x0a000001u, .remote_ip = 0x0a000002u, .local_port = 80, .remote_port = 40000,
};

static void ref_key(uint8_t k[TOE_SIPHASH_KEY_LEN])
{
    int i;

    for (i = 0; i < TOE_SIPHASH_KEY_LEN; i++)
        k[i] = (uint8_t)i;
}

static struct toe_isn_secret seeded(uint64_t seed)
{
    struct toe_isn_secret s;

    toe_isn_init_seed(&s, seed);
    return s;
}

static void clock_ticks_every_4us(void **state)
{
    (void)state;
    assert_int_equal(toe_isn_clock(0), 0);
    assert_int_equal(toe_isn_clock(3999), 0);
    assert_int_equal(toe_isn_clock(4000), 1);
    assert_int_equal(toe_isn_clock(1000000000ull), 250000); /* 1 s */
    /* 2^32 ticks = 17179.87 s (4.77 h): M is back at 0. */
    assert_int_equal(toe_isn_clock(4000ull << 32), 0);
    assert_int_equal(toe_isn_clock((4000ull << 32) - 1), 0xFFFFFFFFu);
}

/*
 * Known answer: local 0.1.2.3, remote 4.5.6.7, remote port 0x0809, local
 * port 0x0a0b is the message 00 01 .. 0b in Linux's layout: local address,
 * remote address, then the word (local port << 16 | remote port) of
 * network-order ports, whose little-endian bytes are the remote port's then
 * the local port's (toe_siphash.h). The vector for 12 bytes is
 * fb e5 0e 86 ..., so F = 0x860ee5fb.
 */
static void known_answer_from_paper_vectors(void **state)
{
    uint8_t k[TOE_SIPHASH_KEY_LEN];
    struct toe_isn_secret s;
    const struct toe_tuple4 t = {
        .local_ip = 0x00010203u, .remote_ip = 0x04050607u,
        .local_port = 0x0a0b, .remote_port = 0x0809,
    };

    (void)state;
    ref_key(k);
    toe_isn_init_keys(&s, k, k);
    assert_int_equal(toe_isn_hash(&s, &t), 0x860ee5fbu);
    assert_int_equal(toe_isn_generate(&s, &t, 5 * 4000ull + 1234), 0x860ee5fbu + 5);
    /* Timestamp offset: 8 bytes 00..07 -> vector 62 24 93 9a ... */
    assert_int_equal(toe_isn_ts_offset(&s, 0x00010203u, 0x04050607u), 0x9a932462u);
}

/* Same tuple: the ISN moves with M alone, exactly one per 4 us. */
static void monotone_at_4us_for_same_tuple(void **state)
{
    struct toe_isn_secret s = seeded(7);
    uint64_t now = (uint64_t)test_rand64() >> 8; /* anywhere, far from the 64-bit wrap */
    uint32_t prev = toe_isn_generate(&s, &tuple_a, now);
    int i;

    (void)state;
    for (i = 0; i < 100000; i++) {
        uint64_t step = test_rand_below(20000);
        uint32_t next = toe_isn_generate(&s, &tuple_a, now + step);

        assert_true(TOE_SEQ_GEQ(next, prev));
        assert_int_equal(toe_seq_diff(next, prev),
                         (uint32_t)((now + step) / 4000 - now / 4000));
        now += step;
        prev = next;
    }
    /* Within one 4 us tick nothing changes; the next tick adds exactly 1. */
    now = 4000ull * 123456789u;
    assert_int_equal(toe_isn_generate(&s, &tuple_a, now + 3999), toe_isn_generate(&s, &tuple_a, now));
    assert_int_equal(toe_isn_generate(&s, &tuple_a, now + 4000),
                     toe_isn_generate(&s, &tuple_a, now) + 1);
}

/* The ISN space wraps at 2^32 and the order survives it (RFC 9293 3.4). */
static void sequence_arithmetic_wraps(void **state)
{
    uint64_t seed;
    uint64_t t0 = (0xFFFFFFFEull) * 4000; /* M = 2^32 - 2 */

    (void)state;
    assert_true(TOE_SEQ_LT(0xFFFFFFF0u, 0x10u));
    assert_true(TOE_SEQ_GT(0x10u, 0xFFFFFFF0u));
    assert_false(TOE_SEQ_LT(0x10u, 0xFFFFFFF0u)); /* a raw < would say true */
    assert_int_equal(toe_seq_diff(0x10u, 0xFFFFFFF0u), 0x20u);
    for (seed = 1; seed <= 16; seed++) {
        struct toe_isn_secret s = seeded(seed);
        uint32_t before = toe_isn_generate(&s, &tuple_a, t0);
        uint32_t after = toe_isn_generate(&s, &tuple_a, t0 + 3 * 4000); /* M wrapped to 1 */

        assert_int_equal(toe_isn_clock(t0 + 3 * 4000), 1);
        assert_int_equal(after - before, 3);
        assert_true(TOE_SEQ_GT(after, before));
    }
    /* A tuple whose ISN itself crosses 0: F + M over 2^32. */
    {
        struct toe_isn_secret s = seeded(3);
        uint32_t f = toe_isn_hash(&s, &tuple_a);
        uint64_t t = (uint64_t)(0xFFFFFFFFu - f) * 4000; /* ISN = 0xFFFFFFFF */

        assert_int_equal(toe_isn_generate(&s, &tuple_a, t), 0xFFFFFFFFu);
        assert_int_equal(toe_isn_generate(&s, &tuple_a, t + 4000), 0);
        assert_true(TOE_SEQ_GT(toe_isn_generate(&s, &tuple_a, t + 4000),
                               toe_isn_generate(&s, &tuple_a, t)));
    }
}

/* Each field of the tuple counts, and direction counts (local vs remote). */
static void different_tuples_differ(void **state)
{
    struct toe_isn_secret s = seeded(11);
    struct toe_tuple4 t;
    uint64_t now = 1000000000ull;
    uint32_t base = toe_isn_generate(&s, &tuple_a, now);

    (void)state;
    t = tuple_a; t.local_ip ^= 1;
    assert_int_not_equal(toe_isn_generate(&s, &t, now), base);
    t = tuple_a; t.remote_ip ^= 1;
    assert_int_not_equal(toe_isn_generate(&s, &t, now), base);
    t = tuple_a; t.local_port ^= 1;
    assert_int_not_equal(toe_isn_generate(&s, &t, now), base);
    t = tuple_a; t.remote_port ^= 1;
    assert_int_not_equal(toe_isn_generate(&s, &t, now), base);
    t.local_ip = tuple_a.remote_ip; t.remote_ip = tuple_a.local_ip;
    t.local_port = tuple_a.remote_port; t.remote_port = tuple_a.local_port;
    assert_int_not_equal(toe_isn_generate(&s, &t, now), base);
}

/*
 * 20000 random tuples at one instant: F is a 32-bit PRF, so equal values
 * are birthday collisions: expected n(n-1)/2 / 2^32 = 0.047. More than 3
 * has probability below 2e-7 (Poisson tail); a weak F (say, a sum of the
 * fields) collides far more often on these structured tuples.
 */
static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static void random_tuples_spread(void **state)
{
    enum { N = 20000 };
    static uint32_t v[N];
    struct toe_isn_secret s = seeded(test_rand64());
    int i, collisions = 0;

    (void)state;
    for (i = 0; i < N; i++) {
        struct toe_tuple4 t = tuple_a;

        /* Neighbouring clients on a /16, any ephemeral port: what a server sees. */
        t.remote_ip = 0xc0a80000u | test_rand_below(65536);
        t.remote_port = (uint16_t)(32768 + test_rand_below(28232));
        v[i] = toe_isn_generate(&s, &t, 5000000000ull);
    }
    qsort(v, N, sizeof(v[0]), cmp_u32);
    for (i = 1; i < N; i++)
        collisions += v[i] == v[i - 1];
    print_message("%d equal ISNs among %d tuples (expected 0.047; birthday duplicates of tuples included)\n",
                  collisions, N);
    assert_true(collisions <= 3);
}

/* Same secret and same time: the same ISN (virtual time replays exactly). */
static void same_secret_same_time_same_isn(void **state)
{
    struct toe_isn_secret a = seeded(42), b = seeded(42);

    (void)state;
    assert_memory_equal(&a, &b, sizeof(a));
    assert_int_equal(toe_isn_generate(&a, &tuple_a, 987654321ull),
                     toe_isn_generate(&b, &tuple_a, 987654321ull));
}

/* A changed secret changes F (and so every ISN), and the two keys are
 * independent: the ISN key does not move the timestamp offset. */
static void changed_secret_changes_isn(void **state)
{
    struct toe_isn_secret a = seeded(42), b = seeded(43), c;
    uint64_t now = 987654321ull;

    (void)state;
    assert_int_not_equal(toe_isn_generate(&a, &tuple_a, now), toe_isn_generate(&b, &tuple_a, now));
    c = a;
    c.seq_key[0] ^= 0x80;
    assert_int_not_equal(toe_isn_generate(&a, &tuple_a, now), toe_isn_generate(&c, &tuple_a, now));
    assert_int_equal(toe_isn_ts_offset(&a, tuple_a.local_ip, tuple_a.remote_ip),
                     toe_isn_ts_offset(&c, tuple_a.local_ip, tuple_a.remote_ip));
    c = a;
    c.ts_key[15] ^= 0x01;
    assert_int_not_equal(toe_isn_ts_offset(&a, tuple_a.local_ip, tuple_a.remote_ip),
                         toe_isn_ts_offset(&c, tuple_a.local_ip, tuple_a.remote_ip));
    assert_int_equal(toe_isn_generate(&a, &tuple_a, now), toe_isn_generate(&c, &tuple_a, now));
}

/* Linux keys the offset by the address pair only: every port of the pair
 * shares it (secure_tcp_ts_off), and another pair gets another one. */
static void ts_offset_per_address_pair(void **state)
{
    struct toe_isn_secret s = seeded(5);
    uint32_t off = toe_isn_ts_offset(&s, tuple_a.local_ip, tuple_a.remote_ip);

    (void)state;
    assert_int_not_equal(toe_isn_ts_offset(&s, tuple_a.local_ip, tuple_a.remote_ip + 1), off);
    assert_int_not_equal(toe_isn_ts_offset(&s, tuple_a.remote_ip, tuple_a.local_ip), off);
    assert_int_equal(toe_isn_ts_offset(&s, tuple_a.local_ip, tuple_a.remote_ip), off);
}

/* The default secret comes from the OS CSPRNG: two stacks never share one. */
static void random_secrets_differ(void **state)
{
    struct toe_isn_secret a, b;

    (void)state;
    assert_int_equal(toe_isn_init_random(&a), 0);
    assert_int_equal(toe_isn_init_random(&b), 0);
    assert_memory_not_equal(a.seq_key, b.seq_key, sizeof(a.seq_key));
    assert_memory_not_equal(a.seq_key, a.ts_key, sizeof(a.seq_key));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clock_ticks_every_4us),
        cmocka_unit_test(known_answer_from_paper_vectors),
        cmocka_unit_test(monotone_at_4us_for_same_tuple),
        cmocka_unit_test(sequence_arithmetic_wraps),
        cmocka_unit_test(different_tuples_differ),
        cmocka_unit_test(random_tuples_spread),
        cmocka_unit_test(same_secret_same_time_same_isn),
        cmocka_unit_test(changed_secret_changes_isn),
        cmocka_unit_test(ts_offset_per_address_pair),
        cmocka_unit_test(random_secrets_differ),
    };

    test_seed_init("test_tcp_isn");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
