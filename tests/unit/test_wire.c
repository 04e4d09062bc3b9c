/*
 * Unit tests of the cable's impairment stage (sim/wire/toe_impair.c, docs/wire.md).
 *
 * Times are exact picoseconds computed here from the documented rules, never wall
 * clock.  The statistical tests push 100000 frames and accept a count within 5
 * standard deviations of its expectation (a false failure about once in 1.7 million
 * runs per check); their seed comes from TOE_SEED (tests/test_seed.h) and is printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "test_seed.h"
#include "toe_impair.h"
#include "toe_rng.h"

#define US 1000000ull   /* picoseconds */
#define NS 1000ull
#define N_STAT 100000u

static uint64_t seed; /* from TOE_SEED, printed by main */

/* The frame pushed as number `index`: its index in the first 8 bytes (little-endian)
 * and a pattern after it, so a delivered frame says where it came from. */
static void fill(uint8_t *buf, size_t len, uint64_t index)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = i < 8 ? (uint8_t)(index >> (8 * i)) : (uint8_t)(index * 131 + i * 7 + 1);
}

static uint64_t index_of(const uint8_t *buf)
{
    uint64_t x = 0;

    for (int i = 7; i >= 0; i--)
        x = x << 8 | buf[i];
    return x;
}

static struct toe_impair *make(const struct toe_impair_cfg *cfg, uint64_t s)
{
    const char *why = "";
    struct toe_impair *im = toe_impair_new(cfg, s, &why);

    if (!im)
        fail_msg("toe_impair_new: %s", why);
    assert_null(why);
    return im;
}

/* |observed - n p| within 5 sigma of a binomial count. */
static void assert_binomial(const char *what, uint64_t observed, uint64_t n, double p)
{
    double mean = (double)n * p, sigma = sqrt((double)n * p * (1 - p));

    printf("  %s: %llu of %llu (expected %.1f, 5 sigma = %.1f)\n", what,
           (unsigned long long)observed, (unsigned long long)n, mean, 5 * sigma);
    assert_true(fabs((double)observed - mean) <= 5 * sigma);
}

/* Pop one frame due at now and check its delivery time and bytes. */
static void expect_frame(struct toe_impair *im, uint64_t now, uint64_t want_time,
                         const uint8_t *want, size_t want_len)
{
    static uint8_t buf[TOE_IMPAIR_FRAME_MAX];
    size_t len = 0;
    uint64_t t = 0;

    assert_int_equal(toe_impair_pop(im, now, buf, sizeof(buf), &len, &t), 1);
    assert_int_equal(t, want_time);
    assert_int_equal(len, want_len);
    assert_memory_equal(buf, want, want_len);
}

/* ---- the generators against their published outputs --------------------------------- */

static void rng_reference_vectors(void **state)
{
    /* splitmix64 from 0 and from 1234567 (Vigna's splitmix64.c) */
    static const uint64_t sm0[] = {0xe220a8397b1dcdafull, 0x6e789e6aa1b965f4ull,
                                   0x06c45d188009454full};
    static const uint64_t sm1234567[] = {6457827717110365317ull, 3203168211198807973ull,
                                         9817491932198370423ull};
    /* xoshiro256** from the state {1, 2, 3, 4} (the reference implementation) */
    static const uint64_t xo[] = {11520ull, 0ull, 1509978240ull, 1215971899390074240ull,
                                  1216172134540287360ull, 607988272756665600ull,
                                  16172922978634559625ull, 8476171486693032832ull,
                                  10595114339597558777ull, 2904607092377533576ull};
    struct toe_rng r = {{1, 2, 3, 4}};
    uint64_t s;

    (void)state;
    s = 0;
    for (int i = 0; i < 3; i++)
        assert_int_equal(toe_splitmix64(&s), sm0[i]);
    s = 1234567;
    for (int i = 0; i < 3; i++)
        assert_int_equal(toe_splitmix64(&s), sm1234567[i]);
    for (int i = 0; i < 10; i++)
        assert_int_equal(toe_rng_next(&r), xo[i]);

    /* thresholds: exact powers of two, the ends included */
    assert_int_equal(toe_rng_threshold(0.0), 0);
    assert_int_equal(toe_rng_threshold(0.5), 1ull << 31);
    assert_int_equal(toe_rng_threshold(1.0), 1ull << 32);
    for (int i = 0; i < 1000; i++) {
        assert_true(toe_rng_chance(&r, 1ull << 32));
        assert_false(toe_rng_chance(&r, 0));
        assert_true(toe_rng_below(&r, 3) < 3);
        assert_int_equal(toe_rng_below(&r, 1), 0);
    }
}

/* ---- exact times ------------------------------------------------------------------- */

static void identity_without_impairment(void **state)
{
    static uint8_t frame[TOE_IMPAIR_FRAME_MAX];
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct toe_impair *im;
    uint64_t t = 5;

    (void)state;
    toe_impair_cfg_init(&cfg);
    im = make(&cfg, seed);
    assert_int_equal(toe_impair_next_time(im), TOE_IMPAIR_NEVER);
    /* Every length from 1 to the maximum in steps, one frame at a time: each is
     * due at the instant it was sent, with its bytes unchanged. */
    for (size_t len = 1; len <= TOE_IMPAIR_FRAME_MAX; len += 97) {
        fill(frame, len, len);
        assert_int_equal(toe_impair_push(im, frame, len, t), 1);
        assert_int_equal(toe_impair_next_time(im), t);
        expect_frame(im, t, t, frame, len);
        t += len;
    }
    fill(frame, TOE_IMPAIR_FRAME_MAX, 7);
    assert_int_equal(toe_impair_push(im, frame, TOE_IMPAIR_FRAME_MAX, t), 1);
    expect_frame(im, t, t, frame, TOE_IMPAIR_FRAME_MAX);

    /* Five frames at one instant come out in the order they went in. */
    for (uint64_t i = 0; i < 5; i++) {
        fill(frame, 60, 100 + i);
        assert_int_equal(toe_impair_push(im, frame, 60, t), 1);
    }
    for (uint64_t i = 0; i < 5; i++) {
        fill(frame, 60, 100 + i);
        expect_frame(im, t, t, frame, 60);
    }
    assert_int_equal(toe_impair_next_time(im), TOE_IMPAIR_NEVER);
    toe_impair_counters(im, &c);
    assert_int_equal(c.in, 175);
    assert_int_equal(c.out, 175);
    assert_int_equal(c.lost + c.duplicated + c.corrupted + c.reordered + c.limit_drops +
                     c.out_of_order + c.refused + c.queued, 0);
    toe_impair_free(im);
}

static void fixed_delay_exact_times(void **state)
{
    static const uint64_t sent[] = {0, 10, 10, 1000, 3 * US};
    const uint64_t d = 1500 * US; /* 1.5 ms */
    struct toe_impair_cfg cfg;
    struct toe_impair *im;
    uint8_t frame[5][100];
    uint8_t buf[100];
    size_t len;

    (void)state;
    toe_impair_cfg_init(&cfg);
    cfg.delay_ps = d;
    im = make(&cfg, seed);
    for (int i = 0; i < 5; i++) {
        fill(frame[i], sizeof(frame[i]), (uint64_t)i);
        assert_int_equal(toe_impair_push(im, frame[i], sizeof(frame[i]), sent[i]), 1);
    }
    for (int i = 0; i < 5; i++) {
        assert_int_equal(toe_impair_next_time(im), sent[i] + d);
        /* not a picosecond early */
        assert_int_equal(toe_impair_pop(im, sent[i] + d - 1, buf, sizeof(buf), &len, NULL), 0);
        expect_frame(im, sent[i] + d, sent[i] + d, frame[i], sizeof(frame[i]));
    }
    toe_impair_free(im);
}

/* Delivery time of the k-th (from 1) of back-to-back frames of `bits` each at rate,
 * starting at 0: the exact end of its last bit, rounded up to a picosecond. */
static uint64_t back_to_back(uint64_t k, uint64_t bits, uint64_t rate)
{
    return (k * bits * 1000000000000ull + rate - 1) / rate;
}

static void rate_serialization_exact(void **state)
{
    static const size_t lens[] = {60, 1514, 42, 9000};
    /* 10 Gb/s, Ethernet framing: (max(len, 60) + 24) * 8 bits at 100 ps a bit */
    static const uint64_t when[] = {67200, 67200 + 1230400, 67200 + 1230400 + 67200,
                                    67200 + 1230400 + 67200 + 7219200};
    static uint8_t frame[9000];
    struct toe_impair_cfg cfg;
    struct toe_impair *im;

    (void)state;
    toe_impair_cfg_init(&cfg);
    cfg.rate_bps = 10000000000ull;
    im = make(&cfg, seed);
    for (int i = 0; i < 4; i++) {
        fill(frame, lens[i], (uint64_t)i);
        assert_int_equal(toe_impair_push(im, frame, lens[i], 0), 1);
    }
    for (int i = 0; i < 4; i++) {
        fill(frame, lens[i], (uint64_t)i);
        assert_int_equal(toe_impair_next_time(im), when[i]);
        expect_frame(im, when[i], when[i], frame, lens[i]);
    }
    /* The link has been idle since 8584000: a frame sent later starts when sent. */
    fill(frame, 1514, 9);
    assert_int_equal(toe_impair_push(im, frame, 1514, 20 * US), 1);
    expect_frame(im, 20 * US + 1230400, 20 * US + 1230400, frame, 1514);
    toe_impair_free(im);

    /* Delay, then the link (netem): 1 us of delay, 1 Gb/s, no framing overhead;
     * 1000-byte frames take 8 us each. */
    toe_impair_cfg_init(&cfg);
    cfg.delay_ps = 1 * US;
    cfg.rate_bps = 1000000000ull;
    cfg.overhead_bytes = 0;
    cfg.min_frame_bytes = 0;
    im = make(&cfg, seed);
    fill(frame, 1000, 0);
    assert_int_equal(toe_impair_push(im, frame, 1000, 0), 1);      /* ready 1, ends 9 */
    assert_int_equal(toe_impair_push(im, frame, 1000, 0), 1);      /* waits: ends 17 */
    assert_int_equal(toe_impair_push(im, frame, 1000, 5 * US), 1); /* ready 6, ends 25 */
    expect_frame(im, 9 * US, 9 * US, frame, 1000);
    expect_frame(im, 17 * US, 17 * US, frame, 1000);
    expect_frame(im, 25 * US, 25 * US, frame, 1000);
    assert_int_equal(toe_impair_push(im, frame, 1000, 30 * US), 1); /* idle: ready 31, ends 39 */
    expect_frame(im, 39 * US, 39 * US, frame, 1000);
    toe_impair_free(im);

    /* 3 Gb/s does not divide 1514-byte frames into whole picoseconds: each frame
     * arrives at the exact end of its last bit rounded up, and 300 of them add up
     * to exactly 300 frame times, no drift. */
    toe_impair_cfg_init(&cfg);
    cfg.rate_bps = 3000000000ull;
    im = make(&cfg, seed);
    fill(frame, 1514, 1);
    for (int i = 0; i < 300; i++)
        assert_int_equal(toe_impair_push(im, frame, 1514, 0), 1);
    assert_int_equal(back_to_back(1, 12304, cfg.rate_bps), 4101334);
    assert_int_equal(back_to_back(2, 12304, cfg.rate_bps), 8202667);
    assert_int_equal(back_to_back(300, 12304, cfg.rate_bps), 1230400 * NS);
    for (uint64_t k = 1; k <= 300; k++)
        expect_frame(im, TOE_IMPAIR_TIME_MAX, back_to_back(k, 12304, cfg.rate_bps), frame, 1514);
    toe_impair_free(im);
}

static void limit_tail_drop(void **state)
{
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct toe_impair *im;
    uint8_t frame[100];
    /* 1 Gb/s, Ethernet framing: (100 + 24) * 8 = 992 bits, 992 ns a frame */
    const uint64_t ft = 992 * NS;

    (void)state;
    toe_impair_cfg_init(&cfg);
    cfg.rate_bps = 1000000000ull;
    cfg.limit = 4;
    im = make(&cfg, seed);
    for (uint64_t i = 0; i < 10; i++) {
        fill(frame, sizeof(frame), i);
        assert_int_equal(toe_impair_push(im, frame, sizeof(frame), 0), i < 4 ? 1 : 0);
    }
    toe_impair_counters(im, &c);
    assert_int_equal(c.in, 10);
    assert_int_equal(c.limit_drops, 6);
    assert_int_equal(c.queued, 4);
    fill(frame, sizeof(frame), 0);
    expect_frame(im, ft, ft, frame, sizeof(frame));
    /* Room for one: it queues behind the three left, and the dropped frames took no
     * time on the link. */
    fill(frame, sizeof(frame), 10);
    assert_int_equal(toe_impair_push(im, frame, sizeof(frame), ft), 1);
    fill(frame, sizeof(frame), 11);
    assert_int_equal(toe_impair_push(im, frame, sizeof(frame), ft), 0);
    for (uint64_t i = 1; i < 4; i++) {
        fill(frame, sizeof(frame), i);
        expect_frame(im, 10 * ft, (i + 1) * ft, frame, sizeof(frame));
    }
    fill(frame, sizeof(frame), 10);
    expect_frame(im, 10 * ft, 5 * ft, frame, sizeof(frame));
    toe_impair_counters(im, &c);
    assert_int_equal(c.limit_drops, 7);
    assert_int_equal(c.out, 5);
    assert_int_equal(c.queued, 0);
    toe_impair_free(im);

    /* A duplicate needs room for both copies: with one slot free only the original
     * goes in, so the stage never holds more than limit frames. */
    toe_impair_cfg_init(&cfg);
    cfg.duplicate = 1.0;
    cfg.delay_ps = 1 * US;
    cfg.limit = 3;
    im = make(&cfg, seed);
    assert_int_equal(toe_impair_push(im, frame, sizeof(frame), 0), 2);
    assert_int_equal(toe_impair_push(im, frame, sizeof(frame), 0), 1);
    assert_int_equal(toe_impair_push(im, frame, sizeof(frame), 0), 0);
    toe_impair_counters(im, &c);
    assert_int_equal(c.queued, 3);
    assert_int_equal(c.duplicated, 2);
    assert_int_equal(c.limit_drops, 2); /* the second frame's copy, the third frame */
    toe_impair_free(im);
}

/* ---- rates over many frames ---------------------------------------------------------- */

/* Push N_STAT 64-byte frames 1 us apart through cfg, popping as they fall due;
 * calls check(frame, len, time, index-of-push, arg) for each frame delivered. */
typedef void check_fn(const uint8_t *buf, size_t len, uint64_t t, void *arg);

static void stream(struct toe_impair *im, uint32_t n, size_t flen, uint64_t spacing,
                   check_fn *check, void *arg)
{
    static uint8_t frame[TOE_IMPAIR_FRAME_MAX], buf[TOE_IMPAIR_FRAME_MAX];
    uint64_t t, last = 0;
    size_t len;

    for (uint32_t i = 0; i <= n; i++) {
        uint64_t now = i < n ? (uint64_t)i * spacing : TOE_IMPAIR_TIME_MAX;

        while (toe_impair_pop(im, now, buf, sizeof(buf), &len, &t) == 1) {
            assert_true(t <= now);
            assert_true(t >= last); /* deliveries never go back in time */
            last = t;
            if (check)
                check(buf, len, t, arg);
        }
        if (i < n) {
            fill(frame, flen, i);
            assert_true(toe_impair_push(im, frame, flen, now) >= 0);
        }
    }
}

struct seen {
    uint64_t next;   /* the push index expected next (in-order streams) */
    uint64_t count;  /* frames delivered */
    uint64_t twice;  /* frames delivered a second time right after the first */
    uint64_t flips;  /* frames with one bit inverted */
    uint8_t hit[64 * 8];
    uint64_t spacing, delay;
    uint64_t early;  /* delivered at the push time (reordered) */
    uint8_t *is_early; /* per push index */
};

static void check_lossy(const uint8_t *buf, size_t len, uint64_t t, void *arg)
{
    struct seen *s = arg;
    uint8_t want[64];
    uint64_t i = index_of(buf);

    (void)t;
    assert_true(i >= s->next);  /* in order, some missing */
    fill(want, len, i);
    assert_memory_equal(buf, want, len);
    s->next = i + 1;
    s->count++;
}

static void loss_rate(void **state)
{
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct seen s = {0};
    struct toe_impair *im;

    (void)state;
    printf("loss_rate: seed %llu\n", (unsigned long long)seed);
    toe_impair_cfg_init(&cfg);
    cfg.loss = 0.1;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, 1 * US, check_lossy, &s);
    toe_impair_counters(im, &c);
    assert_binomial("lost", c.lost, N_STAT, 0.1);
    assert_int_equal(c.out, N_STAT - c.lost);
    assert_int_equal(s.count, c.out);
    assert_int_equal(c.duplicated + c.corrupted + c.out_of_order, 0);
    toe_impair_free(im);
}

/* Gilbert-Elliott: p 1%, r 25%, every frame lost in the bad state and none in the
 * good one.  The chain is bad a share p / (p + r) of the time and its bad runs are
 * geometric with mean 1 / r = 4 frames. */
static void gilbert_elliott_bursts(void **state)
{
    static uint8_t frame[64], buf[64];
    const double p = 0.01, r = 0.25, pi_bad = p / (p + r), lambda = 1 - p - r;
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct toe_impair *im;
    uint64_t bursts = 0, run = 0, lost = 0, t;
    double sigma, mean_len, sd_len;
    size_t len;

    (void)state;
    printf("gilbert_elliott_bursts: seed %llu\n", (unsigned long long)seed);
    toe_impair_cfg_init(&cfg);
    cfg.loss_model = TOE_IMPAIR_LOSS_GE;
    cfg.ge_p = p;
    cfg.ge_r = r;
    cfg.ge_loss_bad = 1.0;
    cfg.ge_loss_good = 0.0;
    im = make(&cfg, seed);
    for (uint64_t i = 0; i < N_STAT; i++) {
        fill(frame, sizeof(frame), i);
        assert_true(toe_impair_push(im, frame, sizeof(frame), i) >= 0);
        if (toe_impair_pop(im, i, buf, sizeof(buf), &len, &t) == 1) {
            assert_int_equal(index_of(buf), i);
            run = 0;
        } else if (run++ == 0) {
            bursts++;
        }
    }
    toe_impair_counters(im, &c);
    lost = c.lost;
    /* A Markov chain's count has the binomial variance times (1 + l) / (1 - l),
     * l = 1 - p - r the chain's second eigenvalue. */
    sigma = sqrt(N_STAT * pi_bad * (1 - pi_bad) * (1 + lambda) / (1 - lambda));
    printf("  lost %llu (expected %.1f, 5 sigma = %.1f), %llu bursts\n",
           (unsigned long long)lost, N_STAT * pi_bad, 5 * sigma, (unsigned long long)bursts);
    assert_true(fabs((double)lost - N_STAT * pi_bad) <= 5 * sigma);
    /* burst lengths: geometric, mean 1/r, standard deviation sqrt(1-r)/r */
    mean_len = (double)lost / (double)bursts;
    sd_len = sqrt(1 - r) / r / sqrt((double)bursts);
    printf("  mean burst %.3f frames (expected %.3f, 5 sigma = %.3f)\n", mean_len, 1 / r,
           5 * sd_len);
    assert_true(fabs(mean_len - 1 / r) <= 5 * sd_len);
    toe_impair_free(im);
}

static void check_dup(const uint8_t *buf, size_t len, uint64_t t, void *arg)
{
    struct seen *s = arg;
    uint8_t want[64];
    uint64_t i = index_of(buf);

    /* each frame once, or twice in a row, at its send time plus the delay */
    if (i + 1 == s->next) {
        s->twice++;
    } else {
        assert_int_equal(i, s->next);
        s->next = i + 1;
    }
    assert_int_equal(t, i * s->spacing + s->delay);
    fill(want, len, i);
    assert_memory_equal(buf, want, len);
    s->count++;
}

static void duplicate_rate(void **state)
{
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct seen s = {.spacing = 1 * US, .delay = 3 * US};
    struct toe_impair *im;

    (void)state;
    printf("duplicate_rate: seed %llu\n", (unsigned long long)seed);
    toe_impair_cfg_init(&cfg);
    cfg.duplicate = 0.05;
    cfg.delay_ps = s.delay;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, s.spacing, check_dup, &s);
    toe_impair_counters(im, &c);
    assert_binomial("duplicated", c.duplicated, N_STAT, 0.05);
    assert_int_equal(s.twice, c.duplicated);
    assert_int_equal(s.next, N_STAT);
    assert_int_equal(c.out, N_STAT + c.duplicated);
    assert_int_equal(c.lost + c.corrupted + c.out_of_order, 0);
    toe_impair_free(im);
}

static void check_corrupt(const uint8_t *buf, size_t len, uint64_t t, void *arg)
{
    struct seen *s = arg;
    uint8_t want[64];
    unsigned flipped = 0, where = 0;

    (void)t;
    assert_int_equal(len, 64);
    fill(want, len, s->next++); /* in order: the index bytes may be the ones hit */
    for (unsigned b = 0; b < 64 * 8; b++) {
        if ((buf[b / 8] ^ want[b / 8]) >> (b % 8) & 1) {
            flipped++;
            where = b;
        }
    }
    assert_true(flipped <= 1);
    if (flipped) {
        s->flips++;
        s->hit[where] = 1;
    }
}

static void corrupt_flips_one_bit(void **state)
{
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct seen s = {0};
    struct toe_impair *im;
    unsigned positions = 0;

    (void)state;
    printf("corrupt_flips_one_bit: seed %llu\n", (unsigned long long)seed);
    toe_impair_cfg_init(&cfg);
    cfg.corrupt = 0.2;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, 1 * US, check_corrupt, &s);
    toe_impair_counters(im, &c);
    assert_binomial("corrupted", c.corrupted, N_STAT, 0.2);
    assert_int_equal(s.flips, c.corrupted);
    /* Every one of the 512 bits gets hit: about 20000 flips, so a bit is missed with
     * probability (511/512)^20000, about 1e-17. */
    for (unsigned b = 0; b < 64 * 8; b++)
        positions += s.hit[b];
    assert_int_equal(positions, 64 * 8);
    assert_int_equal(c.out, N_STAT);
    toe_impair_free(im);
}

static void check_reorder(const uint8_t *buf, size_t len, uint64_t t, void *arg)
{
    struct seen *s = arg;
    uint64_t i = index_of(buf), sent = i * s->spacing;

    (void)len;
    /* sent at once, or held the whole delay: nothing in between */
    if (t == sent) {
        s->early++;
        s->is_early[i] = 1;
    } else {
        assert_int_equal(t, sent + s->delay);
    }
    s->count++;
}

/* The out-of-order deliveries a run must show, worked out from which frames went
 * early: frame i, held for `window` frame spacings, is overtaken when a frame j
 * with i < j < i + window went early (j = i + window arrives at the same instant
 * and goes after it, ties keeping push order). */
static uint64_t overtaken(const uint8_t *is_early, uint64_t n, uint64_t window)
{
    uint64_t count = 0;

    for (uint64_t i = 0; i < n; i++) {
        if (is_early[i])
            continue;
        for (uint64_t j = i + 1; j < i + window && j < n; j++) {
            if (is_early[j]) {
                count++;
                break;
            }
        }
    }
    return count;
}

static void reorder_needs_delay(void **state)
{
    static uint8_t is_early[N_STAT];
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct seen s = {.spacing = 1 * US, .delay = 10 * US, .is_early = is_early};
    struct toe_impair *im;
    const char *why = NULL;

    (void)state;
    printf("reorder_needs_delay: seed %llu\n", (unsigned long long)seed);
    /* Without a delay there is nothing to overtake: refused, as tc refuses it. */
    toe_impair_cfg_init(&cfg);
    cfg.reorder = 0.25;
    assert_null(toe_impair_new(&cfg, seed, &why));
    printf("  delay 0: %s\n", why);
    assert_non_null(strstr(why, "reorder: needs delay_ps > 0"));

    /* A delay alone keeps the order. */
    cfg.reorder = 0;
    cfg.delay_ps = s.delay;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, s.spacing, check_reorder, &s);
    toe_impair_counters(im, &c);
    assert_int_equal(c.out, N_STAT);
    assert_int_equal(c.reordered + c.out_of_order + s.early, 0);
    toe_impair_free(im);

    /* With it, a quarter of the frames go at once (gap 1: each frame on its own
     * draw) and overtake the frames held; exactly the frames with an early frame
     * behind them within the 10 us of delay come out of order. */
    cfg.reorder = 0.25;
    memset(&s, 0, sizeof(s));
    s.spacing = 1 * US;
    s.delay = 10 * US;
    s.is_early = is_early;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, s.spacing, check_reorder, &s);
    toe_impair_counters(im, &c);
    assert_binomial("reordered", c.reordered, N_STAT, 0.25);
    assert_int_equal(s.early, c.reordered);
    assert_int_equal(c.out, N_STAT);
    printf("  out of order: %llu\n", (unsigned long long)c.out_of_order);
    assert_int_equal(c.out_of_order, overtaken(is_early, N_STAT, 10));
    toe_impair_free(im);
}

static void reorder_gap_pattern(void **state)
{
    static uint8_t is_early[1000];
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct seen s = {.spacing = 1 * US, .delay = 10 * US, .is_early = is_early};
    struct toe_impair *im;

    (void)state;
    /* reorder 100% gap 5 (tc-netem(8)): after 4 delayed frames the 5th goes at once,
     * every time */
    toe_impair_cfg_init(&cfg);
    cfg.delay_ps = s.delay;
    cfg.reorder = 1.0;
    cfg.reorder_gap = 5;
    im = make(&cfg, seed);
    stream(im, 1000, 64, s.spacing, check_reorder, &s);
    for (uint64_t i = 0; i < 1000; i++)
        assert_int_equal(is_early[i], i % 5 == 4);
    toe_impair_counters(im, &c);
    assert_int_equal(s.count, 1000);
    assert_int_equal(c.out, 1000);
    assert_int_equal(c.reordered, 200);
    /* every held frame has an early one at most 4 frames behind it */
    assert_int_equal(c.out_of_order, 800);
    assert_int_equal(overtaken(is_early, 1000, 10), 800);
    toe_impair_free(im);
}

struct jitter_seen {
    uint64_t spacing, delay, jitter, n, zero;
    uint64_t min, max;
    double sum;
};

static void check_jitter(const uint8_t *buf, size_t len, uint64_t t, void *arg)
{
    struct jitter_seen *j = arg;
    uint64_t d = t - index_of(buf) * j->spacing;

    (void)len;
    assert_true(d <= j->delay + j->jitter);
    assert_true(d + j->jitter >= j->delay);
    if (d < j->min)
        j->min = d;
    if (d > j->max)
        j->max = d;
    j->zero += d == 0;
    j->sum += (double)d;
    j->n++;
}

static void jitter_uniform(void **state)
{
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct toe_impair *im;
    struct jitter_seen j = {.spacing = 100 * US, .delay = 10 * US, .jitter = 2 * US,
                            .min = UINT64_MAX};
    double se, vals;

    (void)state;
    printf("jitter_uniform: seed %llu\n", (unsigned long long)seed);
    /* 10 us +- 2 us, frames far apart: every delay in [8, 12] us, the mean 10 us
     * within 5 standard errors (variance of the uniform on 2J+1 points: J(J+1)/3),
     * and both ends reached within 1%. */
    toe_impair_cfg_init(&cfg);
    cfg.delay_ps = j.delay;
    cfg.jitter_ps = j.jitter;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, j.spacing, check_jitter, &j);
    se = sqrt((double)j.jitter * (double)(j.jitter + 1) / 3 / (double)j.n);
    printf("  mean delay %.1f ps (5 sigma = %.1f), min %llu, max %llu\n", j.sum / (double)j.n,
           5 * se, (unsigned long long)j.min, (unsigned long long)j.max);
    assert_int_equal(j.n, N_STAT);
    assert_true(fabs(j.sum / (double)j.n - (double)j.delay) <= 5 * se);
    assert_true(j.min < j.delay - j.jitter + j.jitter / 100);
    assert_true(j.max > j.delay + j.jitter - j.jitter / 100);
    toe_impair_free(im);

    /* Frames 1 us apart with 2 us of jitter overtake each other, as in netem. */
    memset(&j, 0, sizeof(j));
    j.spacing = 1 * US, j.delay = 10 * US, j.jitter = 2 * US, j.min = UINT64_MAX;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, j.spacing, check_jitter, &j);
    toe_impair_counters(im, &c);
    printf("  1 us apart: %llu out of order\n", (unsigned long long)c.out_of_order);
    assert_true(c.out_of_order > 0);
    assert_int_equal(c.reordered, 0);
    toe_impair_free(im);

    /* With a rate no frame overtakes: netem's rate starts each frame behind the last
     * one queued for the link, whatever its jitter. */
    cfg.rate_bps = 100000000000ull;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, j.spacing, NULL, NULL);
    toe_impair_counters(im, &c);
    assert_int_equal(c.out, N_STAT);
    assert_int_equal(c.out_of_order, 0);
    toe_impair_free(im);

    /* Jitter larger than the delay: the negative part counts as no delay. 1 us +- 3 us
     * gives 0 for 2000001 of the 6000001 equally likely draws. */
    toe_impair_cfg_init(&cfg);
    cfg.delay_ps = 1 * US;
    cfg.jitter_ps = 3 * US;
    memset(&j, 0, sizeof(j));
    j.spacing = 100 * US, j.delay = 1 * US, j.jitter = 3 * US, j.min = UINT64_MAX;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, j.spacing, check_jitter, &j);
    vals = 6.0 * US + 1;
    assert_binomial("no delay", j.zero, N_STAT, (2.0 * US + 1) / vals);
    assert_int_equal(j.min, 0);
    toe_impair_free(im);
}

struct order_seen {
    uint64_t t, index, count;
};

static void check_order(const uint8_t *buf, size_t len, uint64_t t, void *arg)
{
    struct order_seen *o = arg;
    uint64_t i = index_of(buf);

    (void)len;
    /* by time, and at one instant in push order (a copy shares its index) */
    if (o->count++ && t == o->t)
        assert_true(i >= o->index);
    o->t = t;
    o->index = i;
}

static void ties_keep_push_order(void **state)
{
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct order_seen o = {0};
    struct toe_impair *im;

    (void)state;
    printf("ties_keep_push_order: seed %llu\n", (unsigned long long)seed);
    /* Frames 1 ps apart, 5 ps +- 3 ps of delay, some sent at once, some doubled:
     * most delivery times are shared by several frames from both of the stage's
     * queues (the FIFO and the heap). */
    toe_impair_cfg_init(&cfg);
    cfg.delay_ps = 5;
    cfg.jitter_ps = 3;
    cfg.reorder = 0.3;
    cfg.duplicate = 0.1;
    im = make(&cfg, seed);
    stream(im, N_STAT, 64, 1, check_order, &o);
    toe_impair_counters(im, &c);
    assert_int_equal(o.count, N_STAT + c.duplicated);
    assert_int_equal(c.out, o.count);
    assert_true(c.out_of_order > 0);
    toe_impair_free(im);
}

/* ---- determinism ------------------------------------------------------------------ */

/* FNV-1a over every delivered frame's time, length and bytes, in delivery order. */
struct digest {
    uint64_t h;
};

static void fnv(struct digest *d, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d->h = (d->h ^ p[i]) * 0x100000001b3ull;
}

static void check_digest(const uint8_t *buf, size_t len, uint64_t t, void *arg)
{
    uint8_t hdr[12];

    for (int i = 0; i < 8; i++)
        hdr[i] = (uint8_t)(t >> (8 * i));
    for (int i = 0; i < 4; i++)
        hdr[8 + i] = (uint8_t)(len >> (8 * i));
    fnv(arg, hdr, sizeof(hdr));
    fnv(arg, buf, len);
}

/* Every knob at once. */
static void all_knobs(struct toe_impair_cfg *cfg)
{
    toe_impair_cfg_init(cfg);
    cfg->delay_ps = 20 * US;
    cfg->jitter_ps = 5 * US;
    cfg->loss = 0.02;
    cfg->duplicate = 0.02;
    cfg->corrupt = 0.02;
    cfg->reorder = 0.05;
    cfg->rate_bps = 1000000000ull;
    cfg->limit = 50;
}

static uint64_t run_digest(const struct toe_impair_cfg *cfg, uint64_t s,
                           struct toe_impair_counters *c)
{
    struct digest d = {0xcbf29ce484222325ull};
    struct toe_impair *im = make(cfg, s);

    stream(im, 20000, 200, 1 * US, check_digest, &d);
    toe_impair_counters(im, c);
    toe_impair_free(im);
    return d.h;
}

static void same_seed_same_output(void **state)
{
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c1, c2, c3;
    uint64_t a, b, other, pinned;

    (void)state;
    printf("same_seed_same_output: seed %llu\n", (unsigned long long)seed);
    all_knobs(&cfg);
    a = run_digest(&cfg, seed, &c1);
    b = run_digest(&cfg, seed, &c2);
    other = run_digest(&cfg, seed + 1, &c3);
    printf("  digest %016llx, seed+1: %016llx\n", (unsigned long long)a,
           (unsigned long long)other);
    assert_int_equal(a, b);
    assert_memory_equal(&c1, &c2, sizeof(c1));
    assert_int_not_equal(a, other);
    /* every knob did something, and the limit of 50 was reached at 1 Gb/s */
    assert_true(c1.lost && c1.duplicated && c1.corrupted && c1.reordered && c1.limit_drops &&
                c1.out_of_order);
    assert_int_equal(c1.in, 20000);
    assert_int_equal(c1.in + c1.duplicated, c1.out + c1.lost + c1.limit_drops);

    /* The same on every machine: seed 1 gives this digest, which pins the documented
     * algorithm (docs/wire.md, "Randomness").  A change to the algorithm must change
     * the docs and this value together. */
    pinned = run_digest(&cfg, 1, &c3);
    printf("  seed 1: digest %016llx, lost %llu, duplicated %llu, corrupted %llu, "
           "reordered %llu, limit drops %llu\n",
           (unsigned long long)pinned, (unsigned long long)c3.lost,
           (unsigned long long)c3.duplicated, (unsigned long long)c3.corrupted,
           (unsigned long long)c3.reordered, (unsigned long long)c3.limit_drops);
    assert_int_equal(pinned, 0x9356f50f8dccdc62ull);
}

/* ---- misuse ------------------------------------------------------------------------ */

static void bad_input_refused(void **state)
{
    static uint8_t frame[TOE_IMPAIR_FRAME_MAX + 1];
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    struct toe_impair *im;
    uint8_t small[10];
    size_t len = 0;
    uint64_t t = 0;

    (void)state;
    toe_impair_cfg_init(&cfg);
    cfg.delay_ps = 100;
    im = make(&cfg, seed);
    fill(frame, sizeof(frame), 3);

    assert_int_equal(toe_impair_push(NULL, frame, 60, 0), TOE_IMPAIR_E_ARG);
    assert_int_equal(toe_impair_push(im, NULL, 60, 0), TOE_IMPAIR_E_ARG);
    assert_int_equal(toe_impair_push(im, frame, 0, 0), TOE_IMPAIR_E_LEN);
    assert_int_equal(toe_impair_push(im, frame, TOE_IMPAIR_FRAME_MAX + 1, 0), TOE_IMPAIR_E_LEN);
    assert_int_equal(toe_impair_push(im, frame, 60, TOE_IMPAIR_TIME_MAX), TOE_IMPAIR_E_TIME);
    assert_int_equal(toe_impair_push(im, frame, 60, 1000), 1);
    assert_int_equal(toe_impair_push(im, frame, 60, 999), TOE_IMPAIR_E_TIME); /* back in time */

    /* a buffer too small: refused, the size needed given, the frame kept */
    assert_int_equal(toe_impair_pop(im, 1100, small, sizeof(small), &len, &t), TOE_IMPAIR_E_SPACE);
    assert_int_equal(len, 60);
    assert_int_equal(toe_impair_next_time(im), 1100);
    assert_int_equal(toe_impair_pop(im, 1100, NULL, 60, &len, &t), TOE_IMPAIR_E_ARG);
    assert_int_equal(toe_impair_pop(im, 1100, frame, 60, NULL, &t), TOE_IMPAIR_E_ARG);
    assert_int_equal(toe_impair_pop(NULL, 1100, frame, 60, &len, &t), TOE_IMPAIR_E_ARG);
    /* the pop at 1100 moved the clock: a push at 1050 is in the past */
    assert_int_equal(toe_impair_push(im, frame, 60, 1050), TOE_IMPAIR_E_TIME);

    toe_impair_counters(im, &c);
    assert_int_equal(c.refused, 9);
    assert_int_equal(c.in, 1);
    assert_int_equal(c.queued, 1);
    assert_int_equal(toe_impair_pop(im, 1100, frame, sizeof(frame), &len, &t), 1);
    assert_int_equal(t, 1100);
    assert_int_equal(len, 60);

    assert_int_equal(toe_impair_next_time(NULL), TOE_IMPAIR_NEVER);
    toe_impair_counters(NULL, &c);
    assert_int_equal(c.in + c.refused, 0);
    toe_impair_counters(im, NULL);
    toe_impair_free(NULL);
    toe_impair_cfg_init(NULL);
    for (int e = TOE_IMPAIR_E_NOMEM; e <= TOE_IMPAIR_E_ARG; e++)
        assert_string_not_equal(toe_impair_strerror(e), "unknown error");
    assert_string_equal(toe_impair_strerror(-99), "unknown error");
    /* frames still held are freed with the stage */
    assert_int_equal(toe_impair_push(im, frame, 60, 2000), 1);
    toe_impair_free(im);
}

static void bad_config_rejected(void **state)
{
    struct toe_impair_cfg cfg;
    const char *why;
    int n = 0;

    (void)state;
    /* Each case breaks one rule of a good configuration; the message starts with the
     * field's name, and toe_impair_new refuses it with the same message. */
#define REJECT(field, stmt)                                                           \
    do {                                                                              \
        toe_impair_cfg_init(&cfg);                                                    \
        stmt;                                                                         \
        why = toe_impair_cfg_check(&cfg);                                             \
        assert_non_null(why);                                                         \
        printf("  %-40s -> %s\n", #stmt, why);                                        \
        assert_int_equal(strncmp(why, field, strlen(field)), 0);                      \
        why = NULL;                                                                   \
        assert_null(toe_impair_new(&cfg, seed, &why));                                \
        assert_string_equal(why, toe_impair_cfg_check(&cfg));                         \
        n++;                                                                          \
    } while (0)
    REJECT("loss:", cfg.loss = 1.5);
    REJECT("loss:", cfg.loss = -0.1);
    REJECT("loss:", cfg.loss = NAN);
    REJECT("duplicate:", cfg.duplicate = 2);
    REJECT("corrupt:", cfg.corrupt = -1);
    REJECT("reorder:", (cfg.delay_ps = 1, cfg.reorder = 1.01));
    REJECT("reorder:", cfg.reorder = 0.5);
    REJECT("reorder_gap:", (cfg.delay_ps = 1, cfg.reorder_gap = 3));
    REJECT("loss_model:", cfg.loss_model = (enum toe_impair_loss_model)7);
    REJECT("ge_*:", cfg.ge_p = 0.1);
    REJECT("loss:", (cfg.loss_model = TOE_IMPAIR_LOSS_GE, cfg.loss = 0.1));
    REJECT("ge_p", (cfg.loss_model = TOE_IMPAIR_LOSS_GE, cfg.ge_r = 1.5));
    REJECT("ge_p", (cfg.loss_model = TOE_IMPAIR_LOSS_GE, cfg.ge_loss_bad = NAN));
    REJECT("delay_ps:", cfg.delay_ps = TOE_IMPAIR_DELAY_MAX_PS + 1);
    REJECT("jitter_ps:", cfg.jitter_ps = TOE_IMPAIR_DELAY_MAX_PS + 1);
    REJECT("rate_bps:", cfg.rate_bps = TOE_IMPAIR_RATE_MIN_BPS - 1);
    REJECT("rate_bps:", cfg.rate_bps = TOE_IMPAIR_RATE_MAX_BPS + 1);
    REJECT("overhead_bytes:", cfg.overhead_bytes = TOE_IMPAIR_OVERHEAD_MAX + 1);
    REJECT("min_frame_bytes:", cfg.min_frame_bytes = TOE_IMPAIR_FRAME_MAX + 1);
    REJECT("limit:", cfg.limit = 0);
    REJECT("limit:", cfg.limit = TOE_IMPAIR_LIMIT_MAX + 1);
#undef REJECT
    assert_int_equal(n, 21);
    assert_non_null(toe_impair_cfg_check(NULL));
    why = NULL;
    assert_null(toe_impair_new(NULL, seed, &why));
    assert_non_null(why);

    /* the edges themselves are fine */
    toe_impair_cfg_init(&cfg);
    cfg.loss = 1.0;
    cfg.duplicate = 1.0;
    cfg.corrupt = 1.0;
    cfg.delay_ps = TOE_IMPAIR_DELAY_MAX_PS;
    cfg.jitter_ps = TOE_IMPAIR_DELAY_MAX_PS;
    cfg.reorder = 1.0;
    cfg.reorder_gap = UINT32_MAX;
    cfg.rate_bps = TOE_IMPAIR_RATE_MIN_BPS;
    cfg.overhead_bytes = TOE_IMPAIR_OVERHEAD_MAX;
    cfg.min_frame_bytes = TOE_IMPAIR_FRAME_MAX;
    cfg.limit = TOE_IMPAIR_LIMIT_MAX;
    assert_null(toe_impair_cfg_check(&cfg));
    toe_impair_free(make(&cfg, seed));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng_reference_vectors),
        cmocka_unit_test(identity_without_impairment),
        cmocka_unit_test(fixed_delay_exact_times),
        cmocka_unit_test(rate_serialization_exact),
        cmocka_unit_test(limit_tail_drop),
        cmocka_unit_test(loss_rate),
        cmocka_unit_test(gilbert_elliott_bursts),
        cmocka_unit_test(duplicate_rate),
        cmocka_unit_test(corrupt_flips_one_bit),
        cmocka_unit_test(reorder_needs_delay),
        cmocka_unit_test(reorder_gap_pattern),
        cmocka_unit_test(jitter_uniform),
        cmocka_unit_test(ties_keep_push_order),
        cmocka_unit_test(same_seed_same_output),
        cmocka_unit_test(bad_input_refused),
        cmocka_unit_test(bad_config_rejected),
    };

    seed = test_seed_init("test_wire");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
