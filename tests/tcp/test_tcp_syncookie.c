/*
 * SYN cookies (RFC 4987 section 3.6) in Linux's encoding
 * (driver/tcp/toe_syncookie.c; net/ipv4/syncookies.c).
 *
 * The known answer is built from the SipHash paper's vectors and the byte
 * layout of Linux's siphash_4u32, not from our cookie code. Random parts
 * print their seed (TOE_SEED repeats a run).
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
#include "toe_syncookie.h"

static const struct toe_tuple4 tuple_a = {
    .local_ip = 0x0a000001u, .remote_ip = 0xc0a80107u, .local_port = 80, .remote_port = 51234,
};

static struct toe_syncookie_secret seeded(uint64_t seed)
{
    struct toe_syncookie_secret s;

    toe_syncookie_init_seed(&s, seed);
    return s;
}

/* The third segment of the handshake the cookie answers: SEQ = ISN + 1 (the
 * SYN took one), ACK = cookie + 1 (our SYN+ACK took one). */
static enum toe_syncookie_verdict check_ack(const struct toe_syncookie_secret *s,
                                            const struct toe_tuple4 *t, uint32_t peer_isn,
                                            uint32_t cookie, uint32_t count, uint16_t *mss)
{
    return toe_syncookie_check(s, t, peer_isn + 1, cookie + 1, count, mss);
}

static void minute_counter(void **state)
{
    (void)state;
    assert_int_equal(toe_syncookie_time(0), 0);
    assert_int_equal(toe_syncookie_time(59999999999ull), 0);
    assert_int_equal(toe_syncookie_time(60000000000ull), 1);
    assert_int_equal(toe_syncookie_time(3600ull * 1000000000ull), 60);
}

/* net.ipv4.tcp_syncookies: 0 never, 1 on SYN-queue overflow, 2 always. */
static void knob_modes(void **state)
{
    (void)state;
    assert_false(toe_syncookie_want(TOE_SYNCOOKIES_OFF, false));
    assert_false(toe_syncookie_want(TOE_SYNCOOKIES_OFF, true));
    assert_false(toe_syncookie_want(TOE_SYNCOOKIES_ON_OVERFLOW, false));
    assert_true(toe_syncookie_want(TOE_SYNCOOKIES_ON_OVERFLOW, true));
    assert_true(toe_syncookie_want(TOE_SYNCOOKIES_ALWAYS, false));
    assert_true(toe_syncookie_want(TOE_SYNCOOKIES_ALWAYS, true));
}

/*
 * Known answer. Both keys 00..0f; the SYN's source (the peer) 0.1.2.3 and
 * destination (us) 4.5.6.7, our port 0x0809, the peer's 0x0a0b, counter
 * 0x0f0e0d0c: Linux hashes saddr, daddr, (sport << 16 | dport), count,
 * which is the message 00 01 .. 0f, so H2 is the 16-byte vector's low half,
 * db 9b c2 57 = 0x57c29bdb. H1 (counter 0) is the hash of 00..0b and four
 * zero bytes, computed here by the byte-level wrapper the vectors checked.
 */
static void known_answer_from_paper_vectors(void **state)
{
    struct toe_syncookie_secret s;
    const struct toe_tuple4 t = {
        .local_ip = 0x04050607u, .remote_ip = 0x00010203u,
        .local_port = 0x0809, .remote_port = 0x0a0b,
    };
    uint8_t msg[16];
    uint32_t count = 0x0f0e0d0cu, isn = 0xdeadbeefu, h1, h2, want;
    uint16_t mss = 1460, got = 0;
    int i;

    (void)state;
    for (i = 0; i < 16; i++) {
        s.key[0][i] = s.key[1][i] = (uint8_t)i;
        msg[i] = i < 12 ? (uint8_t)i : 0;
    }
    h1 = (uint32_t)toe_siphash24(s.key[0], msg, 16);
    h2 = 0x57c29bdbu;
    want = h1 + isn + (count << 24) + ((h2 + 3) & 0x00FFFFFFu); /* 1460 is index 3 */
    assert_int_equal(toe_syncookie_make(&s, &t, isn, &mss, count), want);
    assert_int_equal(mss, 1460);
    assert_int_equal(check_ack(&s, &t, isn, want, count, &got), TOE_SYNCOOKIE_OK);
    assert_int_equal(got, 1460);
}

/* The largest table entry not above the peer's MSS; 536 is the floor, even
 * for a peer that announced less (as Linux: index 0 is never refused). */
static void mss_table_choice(void **state)
{
    static const struct { uint16_t peer, enc; } cases[] = {
        {0, 536},      {535, 536},   {536, 536},   {537, 536},   {1299, 536},
        {1300, 1300},  {1301, 1300}, {1439, 1300}, {1440, 1440}, {1452, 1440},
        {1459, 1440},  {1460, 1460}, {1461, 1460}, {8960, 1460}, {65535, 1460},
    };
    struct toe_syncookie_secret s = seeded(1);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint16_t mss = cases[i].peer, got = 0;
        uint32_t c = toe_syncookie_make(&s, &tuple_a, 1000, &mss, 77);

        assert_int_equal(mss, cases[i].enc);
        assert_int_equal(check_ack(&s, &tuple_a, 1000, c, 77, &got), TOE_SYNCOOKIE_OK);
        assert_int_equal(got, cases[i].enc);
    }
}

/* Every table entry, and random MSS values between and around them, with
 * random peer ISNs (0xFFFFFFFF included: its ACK's SEQ is 0) and counters. */
static void round_trip_random(void **state)
{
    struct toe_syncookie_secret s = seeded(test_rand64());
    int i;

    (void)state;
    for (i = 0; i < 20000; i++) {
        uint16_t peer = i < 4 ? toe_syncookie_msstab[i] : (uint16_t)(400 + test_rand_below(1200));
        uint16_t mss = peer, got = 0;
        uint32_t isn = i == 4 ? 0xFFFFFFFFu : (uint32_t)test_rand64();
        uint32_t count = (uint32_t)test_rand64();
        uint32_t c = toe_syncookie_make(&s, &tuple_a, isn, &mss, count);
        int j;

        assert_true(mss <= peer || mss == 536);
        for (j = TOE_SYNCOOKIE_N_MSS - 1; j >= 0; j--)
            if (toe_syncookie_msstab[j] <= peer)
                break;
        assert_int_equal(mss, toe_syncookie_msstab[j < 0 ? 0 : j]);
        assert_int_equal(check_ack(&s, &tuple_a, isn, c, count, &got), TOE_SYNCOOKIE_OK);
        assert_int_equal(got, mss);
    }
}

/*
 * Age: Linux accepts a counter difference below MAX_SYNCOOKIE_AGE (2), so a
 * cookie stays good for one to two minutes. One minute old passes, two and
 * three are too old, and one from the future is refused too.
 */
static void age_window(void **state)
{
    struct toe_syncookie_secret s = seeded(2);
    uint64_t t0 = 3600ull * 1000000000ull + 59000000000ull; /* 1 h 59 s: 1 s before a tick */
    uint32_t c0 = toe_syncookie_time(t0);
    uint16_t mss = 1440, got = 0;
    uint32_t ck = toe_syncookie_make(&s, &tuple_a, 5, &mss, c0);

    (void)state;
    assert_int_equal(check_ack(&s, &tuple_a, 5, ck, toe_syncookie_time(t0 + 1000000000ull), &got),
                     TOE_SYNCOOKIE_OK); /* 1 s later, next minute */
    assert_int_equal(check_ack(&s, &tuple_a, 5, ck, c0 + 1, &got), TOE_SYNCOOKIE_OK);
    assert_int_equal(got, 1440);
    got = 0;
    assert_int_equal(check_ack(&s, &tuple_a, 5, ck, c0 + 2, &got), TOE_SYNCOOKIE_TOO_OLD);
    assert_int_equal(check_ack(&s, &tuple_a, 5, ck, c0 + 3, &got), TOE_SYNCOOKIE_TOO_OLD);
    assert_int_equal(check_ack(&s, &tuple_a, 5, ck, c0 - 1, &got), TOE_SYNCOOKIE_TOO_OLD);
    assert_int_equal(got, 0); /* untouched on refusal */
}

/* Any change to the tuple or the secret breaks the cookie; the peer's ISN, see below. */
static void wrong_tuple_isn_or_secret_rejected(void **state)
{
    struct toe_syncookie_secret s = seeded(3), s2;
    struct toe_tuple4 t;
    uint16_t mss = 1460, got = 0;
    uint32_t ck = toe_syncookie_make(&s, &tuple_a, 1234567, &mss, 500);

    (void)state;
    assert_int_equal(check_ack(&s, &tuple_a, 1234567, ck, 500, &got), TOE_SYNCOOKIE_OK);
    t = tuple_a; t.remote_port++;
    assert_int_not_equal(check_ack(&s, &t, 1234567, ck, 500, &got), TOE_SYNCOOKIE_OK);
    t = tuple_a; t.local_port++;
    assert_int_not_equal(check_ack(&s, &t, 1234567, ck, 500, &got), TOE_SYNCOOKIE_OK);
    t = tuple_a; t.remote_ip ^= 0x100;
    assert_int_not_equal(check_ack(&s, &t, 1234567, ck, 500, &got), TOE_SYNCOOKIE_OK);
    t = tuple_a; t.local_ip ^= 1;
    assert_int_not_equal(check_ack(&s, &t, 1234567, ck, 500, &got), TOE_SYNCOOKIE_OK);
    /*
     * The peer's ISN enters the cookie by addition, like the MSS index, so
     * a SEQ k below the true one reads as index + k (Linux alike). That is
     * no forgery - the sender already holds a valid cookie - and any k that
     * leaves the table, or reaches the counter byte, is refused.
     */
    got = 0;
    assert_int_equal(check_ack(&s, &tuple_a, 1234567 + 1, ck, 500, &got), TOE_SYNCOOKIE_OK);
    assert_int_equal(got, 1440); /* index 3 - 1 */
    assert_int_equal(check_ack(&s, &tuple_a, 1234567 - 1, ck, 500, &got), TOE_SYNCOOKIE_BAD_HASH);
    assert_int_equal(check_ack(&s, &tuple_a, 1234567 + 4, ck, 500, &got), TOE_SYNCOOKIE_BAD_HASH);
    assert_int_equal(check_ack(&s, &tuple_a, 1234567 + 1000, ck, 500, &got), TOE_SYNCOOKIE_BAD_HASH);
    assert_int_equal(check_ack(&s, &tuple_a, 1234567 + 0x02000000, ck, 500, &got), TOE_SYNCOOKIE_TOO_OLD);
    s2 = s;
    s2.key[1][0] ^= 1; /* only H2's secret: the counter survives, the hash does not */
    assert_int_equal(check_ack(&s2, &tuple_a, 1234567, ck, 500, &got), TOE_SYNCOOKIE_BAD_HASH);
    s2 = s;
    s2.key[0][7] ^= 0x40;
    assert_int_not_equal(check_ack(&s2, &tuple_a, 1234567, ck, 500, &got), TOE_SYNCOOKIE_OK);
}

/* A cookie with its counter intact but its low 24 bits altered is a
 * forgery, and says so: BAD_HASH, not TOO_OLD. */
static void altered_hash_bits_rejected(void **state)
{
    struct toe_syncookie_secret s = seeded(4);
    uint16_t mss = 536, got = 0;
    uint32_t ck = toe_syncookie_make(&s, &tuple_a, 99, &mss, 1000);
    int bit;

    (void)state;
    for (bit = 2; bit < 24; bit++)
        assert_int_equal(check_ack(&s, &tuple_a, 99, ck ^ (1u << bit), 1000, &got),
                         TOE_SYNCOOKIE_BAD_HASH);
    assert_string_equal(toe_syncookie_verdict_name(TOE_SYNCOOKIE_BAD_HASH), "bad hash");
}

/*
 * 100000 ACKs with random SEQ and ACK for a listening tuple, from an
 * attacker without the secret. After stripping H1 and SEQ the cookie is
 * uniform: its counter byte is within the window with probability 2/256
 * and then its low 24 bits are below 4 with probability 4/2^24, so
 * p(accept) = 2^-29 and the expected number accepted is 1.9e-4. Two or more
 * acceptances have probability 1.7e-8: the bound is 1.
 * The refusals split by reason as the window predicts: BAD_HASH with
 * p = 2/256 - 2^-29, mean 781.2, sd 27.8; [614, 948] is +-6 sd
 * (a window of 1 or 3 minutes would give 391 or 1172).
 */
static void random_forgeries_rejected(void **state)
{
    struct toe_syncookie_secret s = seeded(test_rand64());
    unsigned long n_ok = 0, n_old = 0, n_hash = 0;
    int i;

    (void)state;
    for (i = 0; i < 100000; i++) {
        uint16_t got = 0;
        uint32_t seq = (uint32_t)test_rand64(), ack = (uint32_t)test_rand64();

        switch (toe_syncookie_check(&s, &tuple_a, seq, ack, 4242, &got)) {
        case TOE_SYNCOOKIE_OK: n_ok++; break;
        case TOE_SYNCOOKIE_TOO_OLD: n_old++; break;
        case TOE_SYNCOOKIE_BAD_HASH: n_hash++; break;
        }
    }
    print_message("100000 forged ACKs: %lu accepted (expected 0.00019, bound 1), %lu too old, "
                  "%lu bad hash (expected 781 +- 28)\n", n_ok, n_old, n_hash);
    assert_true(n_ok <= 1);
    assert_in_range(n_hash, 614, 948);
    assert_int_equal(n_ok + n_old + n_hash, 100000);
}

/*
 * The counter is 32 bits in the hash but 8 in the cookie. Across the 32-bit
 * wrap and across an 8-bit wrap a one-minute-old cookie still checks; one
 * exactly 256 minutes old has an in-window counter byte (age 0) but fails
 * H2, which saw the full counter.
 */
static void counter_wrap(void **state)
{
    struct toe_syncookie_secret s = seeded(6);
    uint16_t mss, got;
    uint32_t ck;

    (void)state;
    mss = 1300; got = 0;
    ck = toe_syncookie_make(&s, &tuple_a, 7, &mss, 0xFFFFFFFFu);
    assert_int_equal(check_ack(&s, &tuple_a, 7, ck, 0, &got), TOE_SYNCOOKIE_OK);
    assert_int_equal(got, 1300);
    assert_int_equal(check_ack(&s, &tuple_a, 7, ck, 1, &got), TOE_SYNCOOKIE_TOO_OLD);

    mss = 1440; got = 0;
    ck = toe_syncookie_make(&s, &tuple_a, 7, &mss, 0x1FF);
    assert_int_equal(check_ack(&s, &tuple_a, 7, ck, 0x200, &got), TOE_SYNCOOKIE_OK);
    assert_int_equal(got, 1440);

    assert_int_equal(check_ack(&s, &tuple_a, 7, ck, 0x1FF + 256, &got), TOE_SYNCOOKIE_BAD_HASH);
    assert_int_equal(check_ack(&s, &tuple_a, 7, ck, 0x1FF + 257, &got), TOE_SYNCOOKIE_BAD_HASH);
    assert_int_equal(check_ack(&s, &tuple_a, 7, ck, 0x1FF + 258, &got), TOE_SYNCOOKIE_TOO_OLD);
}

/* Same seed, same cookie; the cookie secrets are not the ISN secrets. */
static void seeded_secrets(void **state)
{
    struct toe_syncookie_secret a = seeded(9), b = seeded(9), c = seeded(10), r1, r2;
    struct toe_isn_secret isn;
    uint16_t m1 = 1460, m2 = 1460, m3 = 1460;

    (void)state;
    assert_int_equal(toe_syncookie_make(&a, &tuple_a, 1, &m1, 2),
                     toe_syncookie_make(&b, &tuple_a, 1, &m2, 2));
    assert_int_not_equal(toe_syncookie_make(&a, &tuple_a, 1, &m1, 2),
                         toe_syncookie_make(&c, &tuple_a, 1, &m3, 2));
    assert_memory_not_equal(a.key[0], a.key[1], TOE_SIPHASH_KEY_LEN);
    toe_isn_init_seed(&isn, 9);
    assert_memory_not_equal(a.key[0], isn.seq_key, TOE_SIPHASH_KEY_LEN);
    assert_int_equal(toe_syncookie_init_random(&r1), 0);
    assert_int_equal(toe_syncookie_init_random(&r2), 0);
    assert_memory_not_equal(&r1, &r2, sizeof(r1));
}

static int opts_equal(const struct toe_syncookie_opts *a, const struct toe_syncookie_opts *b)
{
    return a->wscale_ok == b->wscale_ok && (!a->wscale_ok || a->snd_wscale == b->snd_wscale) &&
           a->sack_ok == b->sack_ok && a->ecn_ok == b->ecn_ok;
}

/*
 * Options in TSval (Linux cookie_init_timestamp / cookie_timestamp_decode):
 * every window shift 0..14 and "none", with and without SACK and ECN, over
 * random clocks and the 2^32 wrap, through the connection's timestamp
 * offset (TSval sent = encoded + offset; TSecr - offset decodes). The TSval
 * is never after the clock and at most 63 ticks before it.
 */
static void timestamp_options(void **state)
{
    struct toe_isn_secret isn;
    uint32_t off;
    int ws, sack, ecn, i;

    (void)state;
    toe_isn_init_seed(&isn, test_rand64());
    off = toe_isn_ts_offset(&isn, tuple_a.local_ip, tuple_a.remote_ip);
    for (ws = 0; ws <= 15; ws++)
        for (sack = 0; sack < 2; sack++)
            for (ecn = 0; ecn < 2; ecn++)
                for (i = 0; i < 200; i++) {
                    struct toe_syncookie_opts o = {
                        .wscale_ok = ws < 15, .snd_wscale = (uint8_t)(ws < 15 ? ws : 0),
                        .sack_ok = sack, .ecn_ok = ecn,
                    }, back;
                    uint32_t now = i == 0 ? 5 : i == 1 ? 0xFFFFFFFFu : (uint32_t)test_rand64();
                    uint32_t ts = toe_syncookie_ts_encode(now, &o);
                    uint32_t tsval = ts + off; /* on the wire; the peer echoes it */

                    assert_true(TOE_SEQ_LEQ(ts, now));
                    assert_true(toe_seq_diff(now, ts) < 64);
                    assert_int_equal(ts & 0xF, ws);
                    toe_syncookie_ts_decode(tsval - off, &back);
                    assert_true(opts_equal(&o, &back));
                }
    /* Bits we know: shift 7 with SACK is 0x17; a clock ending in 0x10 must
     * step back a whole 64 ticks to carry it. */
    {
        struct toe_syncookie_opts o = {.wscale_ok = true, .snd_wscale = 7, .sack_ok = true};

        assert_int_equal(toe_syncookie_ts_encode(0x1000, &o), 0x1000 - 64 + 0x17);
        assert_int_equal(toe_syncookie_ts_encode(0x1017, &o), 0x1017);
        assert_int_equal(toe_syncookie_ts_encode(0x103F, &o), 0x1017);
        assert_int_equal(toe_syncookie_ts_encode(5, &o), 0xFFFFFFD7u); /* wraps */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minute_counter),
        cmocka_unit_test(knob_modes),
        cmocka_unit_test(known_answer_from_paper_vectors),
        cmocka_unit_test(mss_table_choice),
        cmocka_unit_test(round_trip_random),
        cmocka_unit_test(age_window),
        cmocka_unit_test(wrong_tuple_isn_or_secret_rejected),
        cmocka_unit_test(altered_hash_bits_rejected),
        cmocka_unit_test(random_forgeries_rejected),
        cmocka_unit_test(counter_wrap),
        cmocka_unit_test(seeded_secrets),
        cmocka_unit_test(timestamp_options),
    };

    test_seed_init("test_tcp_syncookie");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
