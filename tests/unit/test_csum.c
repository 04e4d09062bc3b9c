/*
 * Unit tests of the Internet checksum (sim/model/toe_csum.c): the RFCs' own
 * worked examples, a real IPv4 header, and random cross-checks of the
 * split, offset and fast paths against the plain whole-buffer sum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_seed.h"
#include "toe_csum.h"

/* RFC 1071 section 3, "Numerical Examples": bytes 00 01 f2 03 f4 f5 f6 f7
 * sum to 2ddf0, which folds to ddf2 (normal order) and, summed with each
 * pair swapped, to f2dd. */
static const uint8_t rfc1071_bytes[8] = {0x00, 0x01, 0xf2, 0x03,
                                         0xf4, 0xf5, 0xf6, 0xf7};

static void rfc1071_example(void **state)
{
    uint8_t swapped[8];
    size_t i;

    (void)state;
    assert_int_equal(toe_csum_fold(toe_csum_partial(0, rfc1071_bytes, 8)), 0xddf2);
    assert_int_equal(toe_csum_fold(toe_csum_partial_fast(0, rfc1071_bytes, 8)), 0xddf2);
    assert_int_equal(toe_csum(rfc1071_bytes, 8), (uint16_t)~0xddf2);
    /* the raw 32-bit sum before folding, 0x2ddf0, folds the same way */
    assert_int_equal(toe_csum_fold(0x2ddf0), 0xddf2);

    for (i = 0; i < 8; i += 2) {
        swapped[i] = rfc1071_bytes[i + 1];
        swapped[i + 1] = rfc1071_bytes[i];
    }
    assert_int_equal(toe_csum_fold(toe_csum_partial(0, swapped, 8)), 0xf2dd);
    /* section 2(B): the same bytes seen from an odd offset give the
     * byte-swapped sum */
    assert_int_equal(toe_csum_fold(toe_csum_partial_at(0, rfc1071_bytes, 8, 1)),
                     0xf2dd);
}

static void odd_trailing_byte(void **state)
{
    /* 0x1234 + 0x5600 (the odd byte is the high byte of a zero-padded word) */
    static const uint8_t b[3] = {0x12, 0x34, 0x56};

    (void)state;
    assert_int_equal(toe_csum_fold(toe_csum_partial(0, b, 3)), 0x6834);
    assert_int_equal(toe_csum_fold(toe_csum_partial_fast(0, b, 3)), 0x6834);
    assert_int_equal(toe_csum_fold(toe_csum_partial(0, b, 1)), 0x1200);
    assert_int_equal(toe_csum_partial(0, b, 0), 0);
    assert_int_equal(toe_csum_partial(0x1234, NULL, 0), 0x1234);
    assert_int_equal(toe_csum_partial_fast(0x1234, NULL, 0), 0x1234);
}

static void fold_end_around_carry(void **state)
{
    (void)state;
    assert_int_equal(toe_csum_fold(0), 0);
    assert_int_equal(toe_csum_fold(0xFFFF), 0xFFFF);
    assert_int_equal(toe_csum_fold(0x10000), 0x0001);
    assert_int_equal(toe_csum_fold(0x1FFFE), 0xFFFF);    /* 1 + fffe */
    assert_int_equal(toe_csum_fold(0xFFFFFFFF), 0xFFFF); /* ffff + ffff -> 1fffe -> ffff */
    assert_int_equal(toe_csum_fold(0x0001FFFF), 0x0001); /* 1 + ffff = 10000 -> 1 */
}

/* The accumulator contract: at most 0xFFFF and zero only for zero input, for
 * any incoming 32-bit sum and up to 64 KiB plus headers of 0xFF bytes (the
 * largest words), so callers can keep adding. */
static void accumulator_bounds(void **state)
{
    static uint8_t ones[65536 + 128];
    static uint8_t zeros[100];
    uint32_t a, f;

    (void)state;
    memset(ones, 0xFF, sizeof(ones));
    a = toe_csum_partial(0xFFFFFFFF, ones, sizeof(ones));
    f = toe_csum_partial_fast(0xFFFFFFFF, ones, sizeof(ones));
    assert_true(a <= 0xFFFF);
    assert_int_equal(a, f);
    assert_int_equal(toe_csum_fold(a), 0xFFFF);
    assert_int_equal(toe_csum_partial(0, zeros, sizeof(zeros)), 0);
    assert_int_equal(toe_csum_partial_fast(0, zeros, sizeof(zeros)), 0);
    assert_int_equal(toe_csum_partial_at(0, zeros, 7, 3), 0);
    /* a nonzero sum stays nonzero: all-ones data is "minus zero", 0xFFFF */
    assert_int_equal(toe_csum_partial(0, ones, 2), 0xFFFF);
    assert_int_equal(toe_csum_partial_at(0, ones, 2, 1), 0xFFFF);
}

/* The IPv4 header 45 00 00 73 00 00 40 00 40 11 [b8 61] c0 a8 00 01
 * c0 a8 00 c7 (the widely used example of RFC 791 header checksumming):
 * 4500 + 0073 + 0000 + 4000 + 4011 + c0a8 + 0001 + c0a8 + 00c7 = 0x2479c,
 * fold 0x479e, complement 0xb861. */
static void ipv4_header_known_answer(void **state)
{
    uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                     0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

    (void)state;
    /* a header with a correct checksum sums to all ones (RFC 1071 (4)) */
    assert_int_equal(toe_csum_fold(toe_csum_partial(0, h, 20)), 0xFFFF);
    assert_int_equal(toe_csum(h, 20), 0x0000);
    h[10] = h[11] = 0;
    assert_int_equal(toe_csum_fold(toe_csum_partial(0, h, 20)), 0x479e);
    assert_int_equal(toe_csum(h, 20), 0xb861);
}

/* RFC 1624 section 4, "Examples": HC = 0xDD2F, the other header words sum
 * to 0xCD7A, m = 0x5555 becomes m' = 0x3285.  Eqn. 3 gives
 * ~(0x22D0 + 0xAAAA + 0x3285) = ~0xFFFF = 0x0000, as recomputation does;
 * eqn. 2 would give 0xFFFF. */
static void rfc1624_example(void **state)
{
    /* a three-word "header": the other words (their sum 0xCD7A), m, HC */
    uint8_t h[6] = {0xcd, 0x7a, 0x55, 0x55, 0x00, 0x00};

    (void)state;
    assert_int_equal(toe_csum(h, 6), 0xDD2F); /* ~(cd7a + 5555) = ~22d0 */
    assert_int_equal(toe_csum_update16(0xDD2F, 0x5555, 0x3285), 0x0000);
    h[2] = 0x32;
    h[3] = 0x85;
    assert_int_equal(toe_csum(h, 6), 0x0000); /* full recomputation agrees */
}

/* Eqn. 3 agrees with recomputation whenever the covered data is not all
 * zero (RFC 1624 section 3); keep one unchanged word nonzero. */
static void update16_random(void **state)
{
    uint8_t buf[64];
    int iter;

    (void)state;
    for (iter = 0; iter < 20000; iter++) {
        size_t words = 2 + test_rand_below(31);
        size_t k = 1 + test_rand_below((uint32_t)words - 1);
        uint16_t hc, m, m_new;

        test_rand_fill(buf, words * 2);
        if (iter % 4 == 0) /* plenty of zero-heavy cases */
            memset(buf, 0, words * 2);
        buf[0] |= 1;
        m = (uint16_t)((buf[2 * k] << 8) | buf[2 * k + 1]);
        m_new = (uint16_t)test_rand64();
        if (iter % 7 == 0)
            m_new = (uint16_t)(iter & 1 ? 0 : 0xFFFF);
        hc = toe_csum(buf, words * 2);
        buf[2 * k] = (uint8_t)(m_new >> 8);
        buf[2 * k + 1] = (uint8_t)m_new;
        assert_int_equal(toe_csum_update16(hc, m, m_new), toe_csum(buf, words * 2));
    }
}

static void pseudo_header(void **state)
{
    /* 192.0.2.1 -> 198.51.100.7, TCP, 23 bytes:
     * c000 + 0201 + c633 + 6407 + 0006 + 0017 = 0x1ec58 */
    static const uint8_t ph[12] = {0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33,
                                   0x64, 0x07, 0x00, 0x06, 0x00, 0x17};
    uint32_t s = toe_csum_pseudo_ipv4(0xC0000201, 0xC6336407, 6, 23);

    (void)state;
    assert_int_equal(s, 0x1ec58);
    assert_int_equal(toe_csum_fold(s), toe_csum_fold(toe_csum_partial(0, ph, 12)));
    /* largest possible value stays within the documented bound */
    assert_int_equal(toe_csum_pseudo_ipv4(0xFFFFFFFF, 0xFFFFFFFF, 0xFF, 0xFFFF),
                     5u * 0xFFFF + 0xFF);
}

/* Summing a buffer in random pieces, in random order, each at its offset,
 * equals summing it whole (RFC 1071 section 2(B)). */
static void random_pieces(void **state)
{
    static uint8_t buf[3000];
    int iter;

    (void)state;
    for (iter = 0; iter < 3000; iter++) {
        size_t len = test_rand_below(sizeof(buf) + 1);
        size_t cut[17];
        size_t ncut = 0, i;
        uint32_t whole, acc = 0;
        uint32_t start = test_rand64() & 0x1 ? (uint32_t)test_rand64() : 0;

        test_rand_fill(buf, len);
        whole = toe_csum_partial(start, buf, len);

        /* sorted cut points including 0 and len */
        cut[ncut++] = 0;
        for (i = test_rand_below(15); i > 0; i--)
            cut[ncut++] = len ? test_rand_below((uint32_t)len + 1) : 0;
        cut[ncut++] = len;
        for (i = 1; i < ncut; i++) { /* insertion sort, ncut <= 17 */
            size_t j = i, v = cut[i];
            while (j > 0 && cut[j - 1] > v) {
                cut[j] = cut[j - 1];
                j--;
            }
            cut[j] = v;
        }
        /* add the pieces back to front, so order matters if anything does */
        acc = start;
        for (i = ncut - 1; i > 0; i--)
            acc = toe_csum_partial_at(acc, buf + cut[i - 1], cut[i] - cut[i - 1],
                                      cut[i - 1]);
        assert_true(acc <= 0xFFFF && whole <= 0xFFFF);
        assert_int_equal(acc, whole);
    }
}

/* The fast variant gives the same accumulator as the reference for every
 * length, alignment and incoming sum. */
static void fast_matches_reference(void **state)
{
    static uint8_t buf[70000 + 16];
    size_t len, align;
    int iter;

    (void)state;
    test_rand_fill(buf, sizeof(buf));
    for (len = 0; len <= 300; len++)
        for (align = 0; align < 8; align++) {
            uint32_t s = (uint32_t)test_rand64();
            assert_int_equal(toe_csum_partial_fast(s, buf + align, len),
                             toe_csum_partial(s, buf + align, len));
            assert_int_equal(toe_csum_partial_fast(0, buf + align, len),
                             toe_csum_partial(0, buf + align, len));
        }
    for (iter = 0; iter < 200; iter++) {
        size_t l = test_rand_below(70000 + 1);
        size_t a = test_rand_below(16);
        uint32_t s = iter & 1 ? (uint32_t)test_rand64() : 0xFFFFFFFFu;

        if (iter % 10 == 0)
            memset(buf + a, 0xFF, l); /* carries everywhere */
        assert_int_equal(toe_csum_partial_fast(s, buf + a, l),
                         toe_csum_partial(s, buf + a, l));
        if (iter % 10 == 0)
            test_rand_fill(buf, sizeof(buf));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc1071_example),
        cmocka_unit_test(odd_trailing_byte),
        cmocka_unit_test(fold_end_around_carry),
        cmocka_unit_test(accumulator_bounds),
        cmocka_unit_test(ipv4_header_known_answer),
        cmocka_unit_test(rfc1624_example),
        cmocka_unit_test(update16_random),
        cmocka_unit_test(pseudo_header),
        cmocka_unit_test(random_pieces),
        cmocka_unit_test(fast_matches_reference),
    };

    test_seed_init("test_csum");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
