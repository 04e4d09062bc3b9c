/*
 * toed's control protocol (driver/client/toe_proto.h): every field where the
 * wire format puts it, round trips of requests, replies and records, and the
 * malformed messages the decoder must refuse (toed drops a client for them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "toe_proto.h"

static struct toe_proto_msg req(unsigned op)
{
    struct toe_proto_msg m;

    memset(&m, 0, sizeof(m));
    m.magic = TOE_PROTO_REQ_MAGIC;
    m.version = TOE_PROTO_VERSION;
    m.op = (uint16_t)op;
    return m;
}

/* Encodes m and decodes the result (payload of plen zero bytes after it). */
static long roundtrip(const struct toe_proto_msg *m, int is_reply, struct toe_proto_msg *out, const char **why)
{
    uint8_t buf[TOE_PROTO_MSG_MAX + 16];

    memset(buf, 0, sizeof(buf));
    toe_proto_encode(m, buf);
    return toe_proto_decode(buf, TOE_PROTO_HDR_LEN + (m->plen <= TOE_PROTO_PAYLOAD_MAX ? m->plen : 0), is_reply,
                            out, why);
}

static void test_layout_little_endian(void **state)
{
    struct toe_proto_msg m = req(TOE_OP_SEND);
    uint8_t b[TOE_PROTO_HDR_LEN];
    (void)state;

    m.seq = 0x01020304;
    m.fd = 7;
    m.a[0] = 0x40;
    m.len = 0x1000;
    m.off = 0x20;
    toe_proto_encode(&m, b);
    assert_memory_equal(b, "TOEQ", 4);
    assert_int_equal(b[4], 1);
    assert_int_equal(b[6], TOE_OP_SEND);
    assert_int_equal(b[8], 0x04);
    assert_int_equal(b[11], 0x01);
    assert_int_equal(b[12], 7);
    assert_int_equal(b[16], 0x40);
    assert_int_equal(b[41], 0x10);
    assert_int_equal(b[44], 0x20);
}

static void test_request_roundtrip(void **state)
{
    struct toe_proto_msg m = req(TOE_OP_CONNECT), d;
    const char *why = NULL;
    (void)state;

    m.seq = 99;
    m.fd = 5;
    m.plen = 16;
    assert_int_equal(roundtrip(&m, 0, &d, &why), TOE_PROTO_HDR_LEN + 16);
    assert_int_equal(d.op, TOE_OP_CONNECT);
    assert_int_equal(d.seq, 99);
    assert_int_equal(d.fd, 5);
    assert_int_equal(d.plen, 16);
}

static void test_reply_roundtrip(void **state)
{
    struct toe_proto_msg m = req(TOE_OP_RECV), d;
    const char *why = NULL;
    (void)state;

    m.magic = TOE_PROTO_REP_MAGIC;
    m.ret = -1;
    m.err = 104;
    assert_int_equal(roundtrip(&m, 1, &d, &why), TOE_PROTO_HDR_LEN);
    assert_int_equal(d.ret, -1);
    assert_int_equal(d.err, 104);
    m.ret = 5000000000ll;   /* 64 bits survive */
    m.err = 0;
    assert_int_equal(roundtrip(&m, 1, &d, &why), TOE_PROTO_HDR_LEN);
    assert_true(d.ret == 5000000000ll);
}

static void test_partial_needs_more(void **state)
{
    struct toe_proto_msg m = req(TOE_OP_BIND), d;
    uint8_t b[TOE_PROTO_HDR_LEN + 16];
    const char *why = NULL;
    (void)state;

    m.plen = 16;
    toe_proto_encode(&m, b);
    assert_int_equal(toe_proto_decode(b, 3, 0, &d, &why), 0);
    assert_int_equal(toe_proto_decode(b, TOE_PROTO_HDR_LEN - 1, 0, &d, &why), 0);
    assert_int_equal(toe_proto_decode(b, TOE_PROTO_HDR_LEN + 15, 0, &d, &why), 0);
    assert_int_equal(toe_proto_decode(b, sizeof(b), 0, &d, &why), (long)sizeof(b));
}

/* One malformed request: refused, with the reason expected. */
static void refused(const struct toe_proto_msg *m, int is_reply, const char *reason)
{
    struct toe_proto_msg d;
    const char *why = NULL;

    assert_int_equal(roundtrip(m, is_reply, &d, &why), -1);
    assert_non_null(why);
    assert_string_equal(why, reason);
}

static void test_malformed_refused(void **state)
{
    struct toe_proto_msg m;
    uint8_t junk[8] = "GGGGGGGG";
    struct toe_proto_msg d;
    const char *why = NULL;
    (void)state;

    /* Garbage is refused as soon as its first four bytes are there. */
    assert_int_equal(toe_proto_decode(junk, sizeof(junk), 0, &d, &why), -1);
    assert_string_equal(why, "bad magic");
    m = req(TOE_OP_SOCKET);
    refused(&m, 1, "bad magic");   /* a request where a reply belongs */
    m.version = 2;
    refused(&m, 0, "unsupported protocol version");
    m = req(0);
    refused(&m, 0, "unknown op");
    m = req(TOE_OP_NUM);
    refused(&m, 0, "unknown op");
    m = req(TOE_OP_SETSOCKOPT);
    m.plen = TOE_PROTO_PAYLOAD_MAX + 1;
    refused(&m, 0, "payload too long");
    m = req(TOE_OP_SETSOCKOPT);
    m.plen = 257;
    refused(&m, 0, "payload length not allowed for this op");
    m = req(TOE_OP_CLOSE);
    m.plen = 4;
    refused(&m, 0, "payload length not allowed for this op");
    m = req(TOE_OP_CONNECT);   /* no address */
    refused(&m, 0, "payload length not allowed for this op");
    m = req(TOE_OP_SEND);
    m.off = 0xfffff000u;
    m.len = 0x2000;
    refused(&m, 0, "data beyond any shared area");
    m = req(TOE_OP_LISTEN);
    m.len = 1;
    refused(&m, 0, "shared-area data for an op without data");
    m = req(TOE_OP_HELLO);
    m.a[0] = 100;
    refused(&m, 0, "shared area size out of range");
    m = req(TOE_OP_POLL);
    m.a[0] = 2;
    m.plen = 8;
    refused(&m, 0, "poll: payload is not nfds pollfds");
    m = req(TOE_OP_POLL);
    m.a[0] = -1;
    refused(&m, 0, "poll: nfds out of range");
    m = req(TOE_OP_GETSOCKOPT);
    m.a[2] = -4;
    refused(&m, 0, "negative room for a result");
    m = req(TOE_OP_SOCKET);
    m.ret = 3;
    refused(&m, 0, "a request carries no return value");
    m = req(TOE_OP_SOCKET);
    m.magic = TOE_PROTO_REP_MAGIC;
    m.ret = -1;
    m.err = -5;
    refused(&m, 1, "errno out of range");
}

static void test_conn_record(void **state)
{
    struct toe_proto_conn c, d;
    uint8_t b[TOE_PROTO_CONN_LEN];
    (void)state;

    memset(&c, 0, sizeof(c));
    c.state = 6;
    c.laddr = 0x0a000001;
    c.raddr = 0x0a000002;
    c.lport = 40000;
    c.rport = 5000;
    c.timer = 3;
    c.timer_left_ns = 59000000000ull;
    c.snd_wscale = -1;
    c.rcv_wscale = 7;
    c.offloaded = 1;
    c.ssthresh = UINT32_MAX;
    c.fd = -1;
    c.owner = 12;
    toe_proto_conn_encode(&c, b);
    memset(&d, 0, sizeof(d));   /* padding as c's: the comparison is of the whole struct */
    assert_int_equal(toe_proto_conn_decode(b, sizeof(b), &d), 0);
    assert_memory_equal(&c, &d, sizeof(c));
    assert_int_equal(toe_proto_conn_decode(b, sizeof(b) - 1, &d), -1);
}

static void test_counter_record(void **state)
{
    uint8_t b[8 + TOE_PROTO_NAME_MAX + 1];
    char name[TOE_PROTO_NAME_MAX + 1], longname[TOE_PROTO_NAME_MAX + 2];
    uint64_t v = 0;
    size_t n;
    (void)state;

    n = toe_proto_counter_encode("TcpActiveOpens", 1, b, sizeof(b));
    assert_int_equal(n, 8 + 14);
    assert_int_equal(toe_proto_counter_decode(b, n, name, &v), 0);
    assert_string_equal(name, "TcpActiveOpens");
    assert_true(v == 1);
    b[10] = '\n';   /* names are printable words */
    assert_int_equal(toe_proto_counter_decode(b, n, name, &v), -1);
    assert_int_equal(toe_proto_counter_decode(b, 8, name, &v), -1);
    memset(longname, 'A', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(toe_proto_counter_encode(longname, 1, b, sizeof(b)), 0);
    assert_int_equal(toe_proto_counter_decode(b, 8 + TOE_PROTO_NAME_MAX + 1, name, &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_little_endian), cmocka_unit_test(test_request_roundtrip),
        cmocka_unit_test(test_reply_roundtrip),      cmocka_unit_test(test_partial_needs_more),
        cmocka_unit_test(test_malformed_refused),    cmocka_unit_test(test_conn_record),
        cmocka_unit_test(test_counter_record),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
