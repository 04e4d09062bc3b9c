/*
 * Known-answer tests of the two CRC-32s that hash the connection table
 * (sim/model/toe_crc32.c).
 *
 * Sources of the expected values, none of them this code:
 * - "123456789": the check values of the CRC catalogue (Williams' model
 *   parameters; reveng "CRC-32/ISCSI" check 0xE3069283, "CRC-32/ISO-HDLC"
 *   check 0xCBF43926).
 * - CRC-32C of 32 bytes 0x00 / 0xFF / 00..1F / 1F..00: RFC 3720 appendix
 *   B.4 (there printed as the bytes of the little-endian CRC field, e.g.
 *   "aa 36 91 8a" for 0x8A9136AA).
 * - CRC-32 of the same inputs and of "The quick brown fox jumps over the
 *   lazy dog": Python 3 zlib.crc32() (the pangram's 0x414FA339 is also the
 *   widely published value).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "toe_conn_table.h"
#include "toe_crc32.h"

static const char check_str[] = "123456789";
static const char fox[] = "The quick brown fox jumps over the lazy dog";

static void check_values(void **state)
{
    (void)state;
    assert_int_equal(toe_crc32c(check_str, 9), 0xE3069283u);
    assert_int_equal(toe_crc32(check_str, 9), 0xCBF43926u);
}

static void empty_input(void **state)
{
    (void)state;
    /* init 0xFFFFFFFF xor final 0xFFFFFFFF with nothing in between */
    assert_int_equal(toe_crc32c(NULL, 0), 0);
    assert_int_equal(toe_crc32(NULL, 0), 0);
}

static void rfc3720_b4_vectors(void **state)
{
    uint8_t buf[32];
    int i;

    (void)state;
    memset(buf, 0x00, sizeof(buf));
    assert_int_equal(toe_crc32c(buf, 32), 0x8A9136AAu);
    assert_int_equal(toe_crc32(buf, 32), 0x190A55ADu); /* zlib.crc32 */
    memset(buf, 0xFF, sizeof(buf));
    assert_int_equal(toe_crc32c(buf, 32), 0x62A8AB43u);
    assert_int_equal(toe_crc32(buf, 32), 0xFF6CAB0Bu); /* zlib.crc32 */
    for (i = 0; i < 32; i++)
        buf[i] = (uint8_t)i;
    assert_int_equal(toe_crc32c(buf, 32), 0x46DD794Eu);
    assert_int_equal(toe_crc32(buf, 32), 0x91267E8Au); /* zlib.crc32 */
    for (i = 0; i < 32; i++)
        buf[i] = (uint8_t)(31 - i);
    assert_int_equal(toe_crc32c(buf, 32), 0x113FDB5Cu);
    assert_int_equal(toe_crc32(buf, 32), 0x9AB0EF72u); /* zlib.crc32 */
}

static void text_vectors(void **state)
{
    (void)state;
    assert_int_equal(toe_crc32(fox, strlen(fox)), 0x414FA339u);
    assert_int_equal(toe_crc32c(fox, strlen(fox)), 0x22620404u);
    assert_int_equal(toe_crc32c("a", 1), 0xC1D04330u);
    assert_int_equal(toe_crc32("a", 1), 0xE8B7BE43u); /* zlib.crc32 */
}

/*
 * A connection key as hashed: 192.0.2.1, 198.51.100.2, 5001, 49152, each
 * big-endian.  CRC-32 from zlib.crc32(bytes.fromhex(
 * "c0000201c63364021389c000")); the CRC-32C from a bitwise Python
 * implementation that reproduces every RFC 3720 value above.
 */
static void key_bytes_and_hashes(void **state)
{
    static const uint8_t want[12] = {0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33,
                                     0x64, 0x02, 0x13, 0x89, 0xc0, 0x00};
    struct toe_conn_key k = {0xC0000201u, 0xC6336402u, 5001, 49152};
    uint8_t b[12];

    (void)state;
    memset(b, 0xEE, sizeof(b));
    toe_conn_key_bytes(&k, b);
    assert_memory_equal(b, want, 12);
    assert_int_equal(toe_crc32(b, 12), 0x93AA3A62u);
    assert_int_equal(toe_crc32c(b, 12), 0xB5141104u);
    /* buckets are the CRCs mod the bank size */
    assert_int_equal(toe_conn_bucket(&k, 0, 1024), 0xB5141104u % 1024);
    assert_int_equal(toe_conn_bucket(&k, 1, 1024), 0x93AA3A62u % 1024);
    assert_int_equal(toe_conn_bucket(&k, 0, 16384), 0x1104u % 16384);
    assert_int_equal(toe_conn_bucket(&k, 1, 1), 0);
}

/* No byte or bit is ignored: a CRC detects every single-bit error, so
 * flipping the low bit of any byte changes both CRCs. */
static void every_byte_counts(void **state)
{
    uint8_t buf[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 37 + 11);
    for (i = 0; i < sizeof(buf); i++) {
        uint8_t save = buf[i];
        uint32_t c = toe_crc32c(buf, sizeof(buf)), z = toe_crc32(buf, sizeof(buf));

        buf[i] ^= 0x01;
        assert_int_not_equal(toe_crc32c(buf, sizeof(buf)), c);
        assert_int_not_equal(toe_crc32(buf, sizeof(buf)), z);
        buf[i] = save;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_values),
        cmocka_unit_test(empty_input),
        cmocka_unit_test(rfc3720_b4_vectors),
        cmocka_unit_test(text_vectors),
        cmocka_unit_test(key_bytes_and_hashes),
        cmocka_unit_test(every_byte_counts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
