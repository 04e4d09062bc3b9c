/*
 * Unit tests of header build and verify (sim/model/toe_pkt.c).
 *
 * The TCP and UDP known answers were built byte by byte; their checksums are
 * worked out as word sums in the comments (checkable by hand) and were also
 * confirmed "good" by Wireshark's dissector (tshark 4.0 with
 * ip/tcp/udp.check_checksum enabled) on the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "toe_csum.h"
#include "toe_pkt.h"

#define IP_192_0_2_1 0xC0000201u
#define IP_198_51_100_7 0xC6336407u

static void be_helpers(void **state)
{
    uint8_t b[6] = {0};

    (void)state;
    toe_put16(b + 1, 0xA1B2); /* unaligned on purpose */
    assert_int_equal(b[1], 0xA1);
    assert_int_equal(b[2], 0xB2);
    assert_int_equal(toe_get16(b + 1), 0xA1B2);
    toe_put32(b + 1, 0x01020304);
    assert_memory_equal(b, ((uint8_t[]){0, 1, 2, 3, 4, 0}), 6);
    assert_int_equal(toe_get32(b + 1), 0x01020304);
    toe_put32(b, 0xFFFFFFFE);
    assert_int_equal(toe_get32(b), 0xFFFFFFFE);
}

static void eth_build_parse(void **state)
{
    struct toe_eth e = {
        .dst = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
        .src = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
        .type = TOE_ETHERTYPE_IPV4,
    };
    static const uint8_t plain[14] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01,
                                      0x08, 0x00};
    static const uint8_t tagged[18] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01,
                                       0x81, 0x00, 0x60, 0x64, 0x08, 0x00};
    uint8_t buf[18];
    struct toe_eth p;

    (void)state;
    assert_int_equal(toe_eth_build(buf, &e), 14);
    assert_memory_equal(buf, plain, 14);
    assert_int_equal(toe_eth_parse(buf, 14, &p), 0);
    assert_int_equal(p.vlan, 0);
    assert_int_equal(p.type, 0x0800);
    assert_int_equal(p.hlen, 14);
    assert_memory_equal(p.dst, e.dst, 6);
    assert_memory_equal(p.src, e.src, 6);

    e.vlan = 1;
    e.tci = 0x6064; /* PCP 3, DEI 0, VID 100 */
    assert_int_equal(toe_eth_build(buf, &e), 18);
    assert_memory_equal(buf, tagged, 18);
    assert_int_equal(toe_eth_parse(buf, 18, &p), 0);
    assert_int_equal(p.vlan, 1);
    assert_int_equal(p.tci, 0x6064);
    assert_int_equal(p.type, 0x0800);
    assert_int_equal(p.hlen, 18);

    assert_int_equal(toe_eth_parse(buf, 17, &p), -1); /* tag but no type */
    assert_int_equal(toe_eth_parse(plain, 13, &p), -1);
}

/* The known header 45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8
 * 00 c7 (checksum worked out in test_csum.c). */
static const uint8_t known_ip[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
                                     0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
                                     0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

static void ipv4_build_known(void **state)
{
    struct toe_ipv4 h = {
        .tos = 0, .tot_len = 0x73, .id = 0, .frag = TOE_IPV4_DF, .ttl = 64,
        .proto = TOE_IPPROTO_UDP, .src = 0xC0A80001, .dst = 0xC0A800C7,
    };
    struct toe_ipv4 p;
    uint8_t buf[0x73] = {0};

    (void)state;
    toe_ipv4_build(buf, &h);
    assert_memory_equal(buf, known_ip, 20);
    assert_int_equal(toe_ipv4_verify(buf, sizeof(buf)), TOE_IPV4_OK);
    toe_ipv4_parse(buf, &p);
    assert_int_equal(p.tot_len, 0x73);
    assert_int_equal(p.frag, 0x4000);
    assert_int_equal(p.ttl, 64);
    assert_int_equal(p.proto, 17);
    assert_int_equal(p.src, 0xC0A80001);
    assert_int_equal(p.dst, 0xC0A800C7);
}

/* Rewrite the header checksum after editing a field, so that only the
 * intended check fails. */
static void refill_ip_csum(uint8_t *ip, size_t hlen)
{
    toe_put16(ip + 10, 0);
    toe_put16(ip + 10, toe_csum(ip, hlen));
}

static void ipv4_verify_errors(void **state)
{
    uint8_t ip[200];

    (void)state;
    memset(ip, 0, sizeof(ip));
    memcpy(ip, known_ip, 20);

    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_OK);
    /* Ethernet padding after the datagram is allowed */
    assert_int_equal(toe_ipv4_verify(ip, 0x73 + 7), TOE_IPV4_OK);

    assert_int_equal(toe_ipv4_verify(ip, 19), TOE_IPV4_ERR_SHORT);

    ip[0] = 0x65; /* version 6 */
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_ERR_VERSION);
    ip[0] = 0x44; /* IHL 4 */
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_ERR_IHL);
    ip[0] = 0x4F; /* IHL 15: 60 bytes, more than present */
    assert_int_equal(toe_ipv4_verify(ip, 40), TOE_IPV4_ERR_SHORT);
    ip[0] = 0x45;

    assert_int_equal(toe_ipv4_verify(ip, 0x72), TOE_IPV4_ERR_TOTLEN); /* > present */
    toe_put16(ip + 2, 19); /* < header */
    refill_ip_csum(ip, 20);
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_ERR_TOTLEN);
    toe_put16(ip + 2, 0x73);
    refill_ip_csum(ip, 20);
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_OK);

    ip[8] ^= 0x01; /* TTL changed, checksum not */
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_ERR_CSUM);
    ip[8] ^= 0x01;

    toe_put16(ip + 6, TOE_IPV4_MF);
    refill_ip_csum(ip, 20);
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_ERR_FRAG);
    toe_put16(ip + 6, 0x0001); /* offset 8 bytes */
    refill_ip_csum(ip, 20);
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_ERR_FRAG);
    toe_put16(ip + 6, 0); /* neither DF nor MF: not a fragment */
    refill_ip_csum(ip, 20);
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_OK);

    /* a bad checksum on a fragment reports the checksum */
    toe_put16(ip + 6, TOE_IPV4_MF);
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_ERR_CSUM);

    /* a header with options: IHL 6, checksum over 24 bytes */
    memcpy(ip, known_ip, 20);
    ip[0] = 0x46;
    ip[20] = 0x01;
    ip[21] = 0x01;
    ip[22] = 0x01;
    ip[23] = 0x00;
    refill_ip_csum(ip, 24);
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_OK);
    ip[22] = 0x02;
    assert_int_equal(toe_ipv4_verify(ip, 0x73), TOE_IPV4_ERR_CSUM);

    assert_string_equal(toe_ipv4_strerror(TOE_IPV4_ERR_TOTLEN), "total length disagrees");
}

/*
 * TCP, 192.0.2.1:49152 -> 198.51.100.7:80, seq 0x01020304, ack 0x0a0b0c0d,
 * data offset 5, PSH|ACK, window 0x7210, payload "hi!" (odd length: 23 bytes).
 * pseudo-header c000 + 0201 + c633 + 6407 + 0006 + 0017
 * header        c000 + 0050 + 0102 + 0304 + 0a0b + 0c0d + 5018 + 7210
 *               + [0000 checksum] + 0000
 * payload       6869 + 2100 (the odd '!' is a high byte)
 * = 0x41257 -> fold 0x125b -> checksum ~0x125b = 0xeda4
 */
static const uint8_t known_tcp[23] = {
    0xc0, 0x00, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d,
    0x50, 0x18, 0x72, 0x10, 0xed, 0xa4, 0x00, 0x00, 0x68, 0x69, 0x21,
};

/*
 * UDP, 192.0.2.1:5353 -> 198.51.100.7:53, length 12, payload "abcd".
 * pseudo-header c000 + 0201 + c633 + 6407 + 0011 + 000c
 * header        14e9 + 0035 + 000c + [0000]
 * payload       6162 + 6364
 * = 0x2c648 -> fold 0xc64a -> checksum 0x39b5
 */
static const uint8_t known_udp[12] = {0x14, 0xe9, 0x00, 0x35, 0x00, 0x0c,
                                      0x39, 0xb5, 0x61, 0x62, 0x63, 0x64};

/*
 * UDP whose checksum computes to 0: same addresses and ports, payload
 * "ze" 84 16, the last word chosen to bring the sum to all ones:
 * c000 + 0201 + c633 + 6407 + 0011 + 000c + 14e9 + 0035 + 000c + [0000]
 * + 7a65 + 8416 = 0x2fffd -> fold 0xffff -> ~ = 0x0000, sent as 0xffff.
 */
static const uint8_t zero_udp[12] = {0x14, 0xe9, 0x00, 0x35, 0x00, 0x0c,
                                     0xff, 0xff, 0x7a, 0x65, 0x84, 0x16};

/*
 * TCP whose checksum is 0x0000 (sent as is: TCP has no "no checksum"
 * value): known_tcp's header, 24 bytes, payload "zz" fc 92:
 * c000 + 0201 + c633 + 6407 + 0006 + 0018 + c000 + 0050 + 0102 + 0304
 * + 0a0b + 0c0d + 5018 + 7210 + [0000] + 0000 + 7a7a + fc92
 * = 0x4fffb -> fold 0xffff -> ~ = 0x0000.
 */
static const uint8_t zero_tcp[24] = {
    0xc0, 0x00, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d,
    0x50, 0x18, 0x72, 0x10, 0x00, 0x00, 0x00, 0x00, 0x7a, 0x7a, 0xfc, 0x92,
};

static void tcp_known_answer(void **state)
{
    uint8_t seg[23];
    struct toe_tcp h = {
        .sport = 49152, .dport = 80, .seq = 0x01020304, .ack = 0x0a0b0c0d,
        .flags = 0x18, .win = 0x7210, .urg = 0,
    };
    struct toe_tcp p;

    (void)state;
    assert_int_equal(toe_tcp_build(seg, &h, NULL, 0), 20);
    memcpy(seg + 20, "hi!", 3);
    assert_int_equal(toe_get16(seg + 16), 0);
    assert_int_equal(toe_tcp_csum(IP_192_0_2_1, IP_198_51_100_7, seg, 23), 0xeda4);
    toe_tcp_csum_fill(IP_192_0_2_1, IP_198_51_100_7, seg, 23);
    assert_memory_equal(seg, known_tcp, 23);
    assert_true(toe_tcp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, seg, 23));
    /* the field's content does not matter to the computation */
    assert_int_equal(toe_tcp_csum(IP_192_0_2_1, IP_198_51_100_7, known_tcp, 23), 0xeda4);

    /* any single-bit error, or other addresses, is caught */
    seg[22] ^= 0x04;
    assert_false(toe_tcp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, seg, 23));
    seg[22] ^= 0x04;
    assert_false(toe_tcp_csum_ok(IP_192_0_2_1, IP_198_51_100_7 + 1, seg, 23));
    assert_false(toe_tcp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, seg, 22));

    assert_int_equal(toe_tcp_parse(seg, 23, &p), 20);
    assert_int_equal(p.sport, 49152);
    assert_int_equal(p.dport, 80);
    assert_int_equal(p.seq, 0x01020304);
    assert_int_equal(p.ack, 0x0a0b0c0d);
    assert_int_equal(p.flags, 0x18);
    assert_int_equal(p.win, 0x7210);
    assert_int_equal(p.csum, 0xeda4);
    assert_int_equal(p.hlen, 20);
    assert_int_equal(toe_tcp_parse(seg, 19, &p), 0);
    seg[12] = 0x40; /* data offset 4 */
    assert_int_equal(toe_tcp_parse(seg, 23, &p), 0);
    seg[12] = 0x60; /* 24 bytes of header, 23 present */
    assert_int_equal(toe_tcp_parse(seg, 23, &p), 0);
}

static void tcp_options_build(void **state)
{
    static const uint8_t ts[12] = {1, 1, 8, 10, 0, 0xbc, 0x61, 0x4e,
                                   0xca, 0xfe, 0xf0, 0x0d};
    uint8_t seg[32];
    struct toe_tcp h = {.sport = 1, .dport = 2, .flags = 0x10};
    struct toe_tcp p;

    (void)state;
    assert_int_equal(toe_tcp_build(seg, &h, ts, sizeof(ts)), 32);
    assert_int_equal(seg[12], 0x80); /* data offset 8, reserved bits 0 */
    assert_memory_equal(seg + 20, ts, 12);
    assert_int_equal(toe_tcp_parse(seg, 32, &p), 32);
}

static void tcp_zero_checksum(void **state)
{
    uint8_t seg[24];

    (void)state;
    memcpy(seg, zero_tcp, 24);
    toe_put16(seg + 16, 0x5A5A);
    assert_int_equal(toe_tcp_csum(IP_192_0_2_1, IP_198_51_100_7, seg, 24), 0x0000);
    toe_tcp_csum_fill(IP_192_0_2_1, IP_198_51_100_7, seg, 24);
    assert_memory_equal(seg, zero_tcp, 24);
    assert_true(toe_tcp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, seg, 24));
    /* 0xFFFF is the other one's complement zero and is also accepted */
    toe_put16(seg + 16, 0xFFFF);
    assert_true(toe_tcp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, seg, 24));
}

static void udp_known_answers(void **state)
{
    uint8_t d[12];

    (void)state;
    memcpy(d, known_udp, 12);
    toe_put16(d + 6, 0);
    assert_int_equal(toe_udp_csum(IP_192_0_2_1, IP_198_51_100_7, d, 12), 0x39b5);
    toe_udp_csum_fill(IP_192_0_2_1, IP_198_51_100_7, d, 12);
    assert_memory_equal(d, known_udp, 12);
    assert_true(toe_udp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, d, 12));
    d[9] ^= 0x80;
    assert_false(toe_udp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, d, 12));
    /* a zero field means the sender computed no checksum (RFC 768) */
    toe_put16(d + 6, 0);
    assert_true(toe_udp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, d, 12));

    /* computed 0 is transmitted as 0xFFFF, which verifies */
    memcpy(d, zero_udp, 12);
    toe_put16(d + 6, 0x1234);
    assert_int_equal(toe_udp_csum(IP_192_0_2_1, IP_198_51_100_7, d, 12), 0xFFFF);
    toe_udp_csum_fill(IP_192_0_2_1, IP_198_51_100_7, d, 12);
    assert_memory_equal(d, zero_udp, 12);
    assert_true(toe_udp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, d, 12));
}

/* A complete frame: Ethernet + IPv4 + TCP built with the helpers verifies
 * end to end, and the parsers find every field again. */
static void frame_round_trip(void **state)
{
    uint8_t f[14 + 4 + 20 + 23];
    struct toe_eth e = {.dst = {1, 2, 3, 4, 5, 6}, .src = {7, 8, 9, 10, 11, 12},
                        .vlan = 1, .tci = 0x0FFF, .type = TOE_ETHERTYPE_IPV4};
    struct toe_ipv4 ih = {.tot_len = 43, .id = 7, .ttl = 1,
                          .proto = TOE_IPPROTO_TCP, .src = IP_192_0_2_1,
                          .dst = IP_198_51_100_7};
    struct toe_eth pe;
    size_t l2;

    (void)state;
    l2 = toe_eth_build(f, &e);
    toe_ipv4_build(f + l2, &ih);
    memcpy(f + l2 + 20, known_tcp, 23);
    assert_int_equal(toe_eth_parse(f, sizeof(f), &pe), 0);
    assert_int_equal(pe.hlen, 18);
    assert_int_equal(pe.tci, 0x0FFF);
    assert_int_equal(toe_ipv4_verify(f + l2, sizeof(f) - l2), TOE_IPV4_OK);
    assert_true(toe_tcp_csum_ok(IP_192_0_2_1, IP_198_51_100_7, f + l2 + 20, 23));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(be_helpers),
        cmocka_unit_test(eth_build_parse),
        cmocka_unit_test(ipv4_build_known),
        cmocka_unit_test(ipv4_verify_errors),
        cmocka_unit_test(tcp_known_answer),
        cmocka_unit_test(tcp_options_build),
        cmocka_unit_test(tcp_zero_checksum),
        cmocka_unit_test(udp_known_answers),
        cmocka_unit_test(frame_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
