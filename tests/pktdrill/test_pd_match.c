/*
 * The packet half of the packetdrill runner (pd_build.c, pd_frame.c,
 * pd_match.c): inbound lines into exact wire bytes, read back with the model's
 * own parsers; handshakes scripted both ways with ISN learning across 2^32;
 * outbound frames matching, and failing with the exact message naming the
 * field, one field at a time; bad frames (truncated, corrupt, random) refused
 * with a reason. The frames also go to a pcap that check_pd_pcap.sh has tshark
 * decode, an oracle that shares no code with us.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pd_ast.h"
#include "pd_match.h"
#include "test_seed.h"
#include "toe_csum.h"
#include "toe_pcap.h"
#include "toe_pkt.h"

#define ISN_L 0xFFFFFFFFu     /* the TOE's ISN: relative 1 is absolute 0 */
#define ISN_R 0xFFFFFFFEu     /* the script's absolute ISN: relative 2 is 0 */

/* ---- helpers --------------------------------------------------------------------- */

static struct pd_script *held[64];
static size_t n_held;

/* The packet of one script line written without its time ("< S 0:0(0) win 1"). */
static const struct pd_packet *line(const char *text)
{
    char buf[512];
    struct pd_error err;
    struct pd_script *s;

    snprintf(buf, sizeof(buf), "0 %s\n", text);
    s = pd_parse_text("t.pkt", buf, strlen(buf), &err);
    if (!s)
        fail_msg("parse of '%s' failed: %s", text, err.msg);
    assert_true(n_held < sizeof(held) / sizeof(held[0]));
    held[n_held++] = s;
    assert_int_equal(s->n_events, 1);
    assert_int_equal(s->events[0].kind, PD_EV_PACKET);
    return &s->events[0].u.packet;
}

static int free_held(void **state)
{
    (void)state;
    while (n_held)
        pd_script_free(held[--n_held]);
    return 0;
}

/* A frame as the TOE would send it, written with the model's codec, not pd_build. */
struct act {
    unsigned flags;           /* pd_tcp_flag bits; AE goes to byte 12 */
    uint32_t seq, ack;
    uint16_t win, urg;
    uint8_t tos;
    uint8_t opt[40];
    size_t optlen;
    size_t paylen;
    uint16_t sport;           /* 0: the flow's */
    uint32_t src;             /* 0: the flow's */
};

static size_t toe_frame(const struct pd_flow *fl, const struct act *a, uint8_t *buf)
{
    struct toe_eth eth = { .type = TOE_ETHERTYPE_IPV4 };
    struct toe_tcp tcp = { 0 };
    struct toe_ipv4 ip = { .frag = TOE_IPV4_DF, .ttl = 64, .proto = TOE_IPPROTO_TCP };
    uint8_t *seg = buf + TOE_ETH_HLEN + TOE_IPV4_HLEN;
    size_t thl;

    memcpy(eth.dst, fl->remote_mac, 6);
    memcpy(eth.src, fl->local_mac, 6);
    toe_eth_build(buf, &eth);
    tcp.sport = a->sport ? a->sport : fl->local_port;
    tcp.dport = fl->remote_port;
    tcp.seq = a->seq, tcp.ack = a->ack, tcp.flags = (uint8_t)a->flags;
    tcp.win = a->win, tcp.urg = a->urg;
    thl = toe_tcp_build(seg, &tcp, a->opt, a->optlen);
    if (a->flags & PD_TCP_AE)
        seg[12] |= 1;
    memset(seg + thl, 'x', a->paylen);
    ip.src = a->src ? a->src : fl->local_ip;
    ip.dst = fl->remote_ip;
    toe_tcp_csum_fill(ip.src, ip.dst, seg, thl + a->paylen);
    ip.tos = a->tos;
    ip.tot_len = (uint16_t)(TOE_IPV4_HLEN + thl + a->paylen);
    toe_ipv4_build(buf + TOE_ETH_HLEN, &ip);
    return TOE_ETH_HLEN + TOE_IPV4_HLEN + thl + a->paylen;
}

/* Parse a built frame with the model's parsers; fail the case unless it is sound. */
static const uint8_t *parse_built(const struct pd_flow *fl, const uint8_t *f, size_t len,
                                  struct toe_ipv4 *ip, struct toe_tcp *tcp)
{
    struct toe_eth eth;
    const uint8_t *seg;

    assert_int_equal(toe_eth_parse(f, len, &eth), 0);
    assert_memory_equal(eth.dst, fl->local_mac, 6);
    assert_memory_equal(eth.src, fl->remote_mac, 6);
    assert_int_equal(eth.type, TOE_ETHERTYPE_IPV4);
    assert_int_equal(toe_ipv4_verify(f + 14, len - 14), TOE_IPV4_OK);
    toe_ipv4_parse(f + 14, ip);
    assert_int_equal(ip->tot_len, len - 14);
    assert_int_equal(ip->proto, TOE_IPPROTO_TCP);
    assert_int_equal(ip->src, PD_DEFAULT_REMOTE_IP);
    assert_int_equal(ip->dst, PD_DEFAULT_LOCAL_IP);
    assert_int_equal(ip->ttl, 64);
    assert_int_equal(ip->frag, TOE_IPV4_DF);
    seg = f + 34;
    assert_int_not_equal(toe_tcp_parse(seg, len - 34, tcp), 0);
    assert_true(toe_tcp_csum_ok(ip->src, ip->dst, seg, len - 34));
    assert_int_equal(tcp->sport, PD_DEFAULT_REMOTE_PORT);
    assert_int_equal(tcp->dport, PD_DEFAULT_LOCAL_PORT);
    return seg;
}

static size_t build_ok(const struct pd_flow *fl, const char *text, uint8_t *f, size_t cap,
                       const uint8_t *payload)
{
    char why[256] = "";
    size_t n = pd_build_inbound(fl, line(text), f, cap, payload, why, sizeof(why));

    if (!n)
        fail_msg("build of '%s' failed: %s", text, why);
    return n;
}

static void must_match(struct pd_flow *fl, const char *text, const struct act *a)
{
    uint8_t f[1600];
    char why[1024] = "";
    size_t n = toe_frame(fl, a, f);

    if (!pd_match_outbound(fl, line(text), f, n, why, sizeof(why)))
        fail_msg("'%s' should match: %s", text, why);
}

/* ---- building inbound frames --------------------------------------------------------- */

static void build_syn_exact_bytes(void **state)
{
    static const uint8_t opts[] = { 2, 4, 0x03, 0xE8, 4, 2, 1, 1, 1, 3, 3, 7 };
    struct pd_flow fl;
    uint8_t f[256];
    struct toe_ipv4 ip;
    struct toe_tcp tcp;
    const uint8_t *seg;
    size_t n;

    (void)state;
    pd_flow_init(&fl);
    n = build_ok(&fl, "< S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>", f, sizeof(f), NULL);
    assert_int_equal(n, 14 + 20 + 20 + 12);
    seg = parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(ip.tos, 0);
    assert_int_equal(tcp.seq, 0);     /* the script's relative 0 is absolute 0 by default */
    assert_int_equal(tcp.ack, 0);
    assert_int_equal(tcp.flags, PD_TCP_SYN);
    assert_int_equal(tcp.win, 32792);
    assert_int_equal(tcp.urg, 0);
    assert_int_equal(tcp.hlen, 32);
    assert_memory_equal(seg + 20, opts, sizeof(opts));
    free_held(NULL);
}

static void build_data_wraps_and_payload(void **state)
{
    static const uint8_t pay[10] = "0123456789";
    struct pd_flow fl;
    uint8_t f[256];
    struct toe_ipv4 ip;
    struct toe_tcp tcp;
    const uint8_t *seg;
    size_t n;

    (void)state;
    pd_flow_init(&fl);
    fl.remote_isn = ISN_R;
    fl.local_isn_known = true, fl.local_isn = ISN_L;
    n = build_ok(&fl, "< P. 1:11(10) ack 1 win 257", f, sizeof(f), pay);
    assert_int_equal(n, 14 + 20 + 20 + 10);
    seg = parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(tcp.seq, 0xFFFFFFFFu);           /* ISN_R + 1 */
    assert_int_equal(tcp.ack, 0);                     /* ISN_L + 1 wraps */
    assert_int_equal(tcp.flags, PD_TCP_PSH | PD_TCP_ACK);
    assert_int_equal(tcp.win, 257);
    assert_memory_equal(seg + 20, pay, 10);
    /* past the wrap: relative 3 is absolute 1; without a payload, zeros */
    n = build_ok(&fl, "< [ce] F. 3:8(5) ack 4294967295 win 1 urg 2", f, sizeof(f), NULL);
    seg = parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(ip.tos, 3);
    assert_int_equal(tcp.seq, 1);
    assert_int_equal(tcp.ack, 0xFFFFFFFEu);           /* ISN_L + 2^32 - 1 */
    assert_int_equal(tcp.flags, PD_TCP_FIN | PD_TCP_ACK);
    assert_int_equal(tcp.urg, 2);
    assert_memory_equal(seg + 20, "\0\0\0\0\0", 5);
    free_held(NULL);
}

static void build_ts_ecr_and_sack_mapped(void **state)
{
    struct pd_flow fl;
    uint8_t f[256];
    struct toe_ipv4 ip;
    struct toe_tcp tcp;
    const uint8_t *seg;
    size_t n;
    static const uint8_t opts[] = {
        1, 1, 8, 10, 0, 0, 0x02, 0xBC, 0x00, 0x01, 0xE2, 0x40,   /* val 700, ecr 123456 */
        1, 1, 5, 10, 0, 0, 0, 200, 0, 0, 1, 44,                  /* ISN_L + 201, + 301 */
    };

    (void)state;
    pd_flow_init(&fl);
    fl.local_isn_known = true, fl.local_isn = ISN_L;
    fl.ts_known = true, fl.ts_script_first = 5000, fl.ts_actual_first = 123456;
    n = build_ok(&fl, "< . 1:1(0) ack 101 win 257 <nop,nop,TS val 700 ecr 5000,nop,nop,sack 201:301>",
                 f, sizeof(f), NULL);
    seg = parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(tcp.hlen, 44);
    assert_int_equal(tcp.ack, 100);
    assert_memory_equal(seg + 20, opts, sizeof(opts));
    free_held(NULL);
}

static void refuse(const struct pd_flow *fl, const char *text, size_t cap, const char *want)
{
    uint8_t f[256];
    char why[256] = "";

    assert_int_equal(pd_build_inbound(fl, line(text), f, cap, NULL, why, sizeof(why)), 0);
    assert_string_equal(why, want);
}

static void build_refusals(void **state)
{
    struct pd_flow fl;

    (void)state;
    pd_flow_init(&fl);
    refuse(&fl, "< . 1:1(0) ack 1 win 1", 256, "ack 1 before the TOE's ISN is known (no SYN from it yet)");
    refuse(&fl, "< S 0:0(0) win 1 <wscale 7>", 256,
           "TCP options take 3 bytes, not a multiple of 4: add nop or eol");
    refuse(&fl, "< S 0:0(0) win 1", 53, "the frame needs 54 bytes, room for 53");
    refuse(&fl, "< S 0:0(0) win 1 <nop,nop,TS val 1 ecr 5>", 256,
           "TS ecr 5 before any TS val from the TOE is known");
    refuse(&fl, "> S 0:0(0) win 1", 256, "not an inbound ('<') packet");
    refuse(&fl, "< S 0:0(0) win 1 <sack 1:2>", 256,
           "a SACK block before the TOE's ISN is known (no SYN from it yet)");
    fl.local_isn_known = true;
    refuse(&fl, "< . 1:1(0) ack 1 win 1 <sack 1:2 3:4 5:6 7:8,nop,nop,TS val 1 ecr 0>", 256,
           "TCP options take more than 40 bytes (RFC 9293 3.1)");
    /* exactly the room needed is enough */
    assert_int_equal(pd_build_inbound(&fl, line("< S 0:0(0) win 1"), (uint8_t[54]){ 0 }, 54, NULL,
                                      NULL, 0), 54);
    free_held(NULL);
}

/* ---- handshakes, both ways, across 2^32 ----------------------------------------------------- */

#define SYNACK_OPTS { 2, 4, 0x05, 0xB4, 1, 3, 3, 7 }, 8

/* Passive open: the script connects, the TOE answers; its ISN is learned from the SYN-ACK. */
static void handshake_passive_learns_isn(void **state)
{
    struct pd_flow fl;
    uint8_t f[1600];
    struct toe_ipv4 ip;
    struct toe_tcp tcp;
    size_t n;
    char why[1024];

    (void)state;
    pd_flow_init(&fl);
    fl.remote_isn = ISN_R;
    n = build_ok(&fl, "< S 0:0(0) win 65535 <mss 1460,nop,wscale 7>", f, sizeof(f), NULL);
    parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(tcp.seq, ISN_R);
    assert_false(fl.local_isn_known);
    must_match(&fl, "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>",
               &(struct act){ PD_TCP_SYN | PD_TCP_ACK, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 });
    assert_true(fl.local_isn_known);
    assert_int_equal(fl.local_isn, ISN_L);
    n = build_ok(&fl, "< . 1:1(0) ack 1 win 257", f, sizeof(f), NULL);
    parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(tcp.seq, 0xFFFFFFFFu);
    assert_int_equal(tcp.ack, 0);
    n = build_ok(&fl, "< P. 1:1001(1000) ack 1 win 257", f, sizeof(f), NULL);
    parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(tcp.seq, 0xFFFFFFFFu);
    /* the TOE acks 1000 bytes: absolute ISN_R + 1001 = 999 */
    must_match(&fl, "> . 1:1(0) ack 1001 win 65535",
               &(struct act){ PD_TCP_ACK, 0, 999, 65535, 0, 0, { 0 }, 0, 0, 0, 0 });
    /* and sends 100: relative 1..101 is absolute 0..100 */
    must_match(&fl, "> P. 1:101(100) ack 1001 <...>",
               &(struct act){ PD_TCP_PSH | PD_TCP_ACK, 0, 999, 100, 0, 0, { 1, 1, 1, 1 }, 4, 100, 0, 0 });
    /* one byte short of the ack: relative 1000 */
    n = toe_frame(&fl, &(struct act){ PD_TCP_ACK, 0, 998, 65535, 0, 0, { 0 }, 0, 0, 0, 0 }, f);
    assert_false(pd_match_outbound(&fl, line("> . 1:1(0) ack 1001"), f, n, why, sizeof(why)));
    assert_string_equal(why, "expected: > . 1:1(0) ack 1001  actual: > . 1:1(0) ack 1000 win 65535  "
                             "(first difference: ack: expected 1001, actual 1000)");
    free_held(NULL);
}

/* Active open: the TOE connects; its SYN's ISN becomes relative 0. */
static void handshake_active_learns_isn(void **state)
{
    struct pd_flow fl;
    uint8_t f[1600];
    struct toe_ipv4 ip;
    struct toe_tcp tcp;
    size_t n;
    char why[1024];

    (void)state;
    pd_flow_init(&fl);
    fl.remote_isn = ISN_R;
    /* a first packet that is not a SYN teaches nothing */
    n = toe_frame(&fl, &(struct act){ PD_TCP_ACK, 5, 6, 1, 0, 0, { 0 }, 0, 0, 0, 0 }, f);
    assert_false(pd_match_outbound(&fl, line("> . 1:1(0) ack 1"), f, n, why, sizeof(why)));
    assert_string_equal(why, "expected: > . 1:1(0) ack 1  actual: > . 0:0(0) ack 8 win 1  (first difference: "
                             "the TOE's ISN is unknown: its first packet is not a SYN)");
    assert_false(fl.local_isn_known);
    must_match(&fl, "> S 0:0(0) win 65535 <mss 1460,nop,wscale 7>",
               &(struct act){ PD_TCP_SYN, ISN_L, 0, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 });
    assert_int_equal(fl.local_isn, ISN_L);
    n = build_ok(&fl, "< S. 0:0(0) ack 1 win 5792 <mss 1460,nop,wscale 2>", f, sizeof(f), NULL);
    parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(tcp.seq, ISN_R);
    assert_int_equal(tcp.ack, 0);                 /* ISN_L + 1 */
    assert_int_equal(tcp.flags, PD_TCP_SYN | PD_TCP_ACK);
    must_match(&fl, "> . 1:1(0) ack 1",
               &(struct act){ PD_TCP_ACK, 0, ISN_R + 1, 502, 0, 0, { 0 }, 0, 0, 0, 0 });
    must_match(&fl, "> P. 1:1001(1000) ack 1 win 502",
               &(struct act){ PD_TCP_PSH | PD_TCP_ACK, 0, ISN_R + 1, 502, 0, 0, { 0 }, 0, 1000, 0, 0 });
    /* the next segment starts at relative 1001, absolute 1000 */
    must_match(&fl, "> F. 1001:1001(0) ack 1",
               &(struct act){ PD_TCP_FIN | PD_TCP_ACK, 1000, ISN_R + 1, 502, 0, 0, { 0 }, 0, 0, 0, 0 });
    free_held(NULL);
}

/* An active open (learn_local_port): the SYN teaches the port the TOE picked and its
 * ISN; the flag is spent; a later SYN from another port is a mismatch again; a new
 * connect() (flag set once more) learns the new port and a fresh ISN. */
static void active_open_learns_local_port(void **state)
{
    struct pd_flow fl;
    uint8_t f[1600];
    size_t n;
    char why[1024];

    (void)state;
    pd_flow_init(&fl);
    fl.remote_port = 8080;            /* upstream's --connect_port */
    fl.local_port = 0;
    fl.learn_local_port = true;
    /* a SYN-ACK does not teach the port: it is no active open */
    n = toe_frame(&fl, &(struct act){ PD_TCP_SYN | PD_TCP_ACK, 9, 1, 65535, 0, 0, { 0 }, 0, 0, 41000, 0 }, f);
    assert_false(pd_match_outbound(&fl, line("> S. 0:0(0) ack 1"), f, n, why, sizeof(why)));
    assert_non_null(strstr(why, "first difference: ports: expected 0 > 8080, actual 41000 > 8080"));
    assert_true(fl.learn_local_port);
    must_match(&fl, "> S 0:0(0) win 65535",
               &(struct act){ PD_TCP_SYN, ISN_L, 0, 65535, 0, 0, { 0 }, 0, 0, 41000, 0 });
    assert_int_equal(fl.local_port, 41000);
    assert_int_equal(fl.local_isn, ISN_L);
    assert_false(fl.learn_local_port);
    /* the retransmitted SYN must come from the learned port with the learned ISN */
    must_match(&fl, "> S 0:0(0) win 65535",
               &(struct act){ PD_TCP_SYN, ISN_L, 0, 65535, 0, 0, { 0 }, 0, 0, 41000, 0 });
    n = toe_frame(&fl, &(struct act){ PD_TCP_SYN, ISN_L, 0, 65535, 0, 0, { 0 }, 0, 0, 41001, 0 }, f);
    assert_false(pd_match_outbound(&fl, line("> S 0:0(0) win 65535"), f, n, why, sizeof(why)));
    assert_non_null(strstr(why, "first difference: ports: expected 41000 > 8080, actual 41001 > 8080"));
    n = toe_frame(&fl, &(struct act){ PD_TCP_SYN, 77, 0, 65535, 0, 0, { 0 }, 0, 0, 41000, 0 }, f);
    assert_false(pd_match_outbound(&fl, line("> S 0:0(0) win 65535"), f, n, why, sizeof(why)));
    assert_non_null(strstr(why, "first difference: seq: expected 0, actual"));
    /* a new connect(): new port, new ISN */
    fl.learn_local_port = true;
    must_match(&fl, "> S 0:0(0) win 65535",
               &(struct act){ PD_TCP_SYN, 77, 0, 65535, 0, 0, { 0 }, 0, 0, 41001, 0 });
    assert_int_equal(fl.local_port, 41001);
    assert_int_equal(fl.local_isn, 77);
    /* a failed match leaves the flag as it was */
    fl.learn_local_port = true;
    n = toe_frame(&fl, &(struct act){ PD_TCP_SYN, 5, 0, 1000, 0, 0, { 0 }, 0, 0, 42000, 0 }, f);
    assert_false(pd_match_outbound(&fl, line("> S 0:0(0) win 65535"), f, n, why, sizeof(why)));
    assert_true(fl.learn_local_port);
    assert_int_equal(fl.local_port, 41001);
    /* learn_isn (an inbound SYN reopened the tuple): an ACK keeps the old numbering, the
     * next SYN-ACK teaches a new ISN, and its retransmission is checked against it */
    fl.learn_local_port = false;
    fl.learn_isn = true;
    must_match(&fl, "> . 1:1(0) ack 1",
               &(struct act){ PD_TCP_ACK, 78, 1, 1000, 0, 0, { 0 }, 0, 0, 41001, 0 });
    assert_true(fl.learn_isn);
    must_match(&fl, "> S. 0:0(0) ack 1",
               &(struct act){ PD_TCP_SYN | PD_TCP_ACK, 5000, 1, 1000, 0, 0, { 0 }, 0, 0, 41001, 0 });
    assert_false(fl.learn_isn);
    assert_int_equal(fl.local_isn, 5000);
    n = toe_frame(&fl, &(struct act){ PD_TCP_SYN | PD_TCP_ACK, 77, 1, 1000, 0, 0, { 0 }, 0, 0, 41001, 0 }, f);
    assert_false(pd_match_outbound(&fl, line("> S. 0:0(0) ack 1"), f, n, why, sizeof(why)));
    assert_non_null(strstr(why, "first difference: seq: expected 0, actual"));
    free_held(NULL);
}

/* ---- one field at a time ------------------------------------------------------------------ */

#include "test_pd_match_cases.h"

/* One cmocka case per entry of mut_cases (test_pd_match_cases.h). */
static void match_one_field(void **state)
{
    const struct mut_case *c = *state;
    struct pd_flow fl, before;
    uint8_t f[1600];
    char why[1024] = "";
    size_t n;
    bool ok;

    pd_flow_init(&fl);
    fl.remote_isn = ISN_R;
    fl.local_isn_known = true, fl.local_isn = ISN_L;
    before = fl;
    n = toe_frame(&fl, &c->act, f);
    ok = pd_match_outbound(&fl, line(c->want), f, n, why, sizeof(why));
    if (!c->why) {
        if (!ok)
            fail_msg("'%s' should match: %s", c->want, why);
        return;
    }
    if (ok)
        fail_msg("matched, but should give: %s", c->why);
    if (strcmp(why, c->why))
        fail_msg("\n  got  %s\n  want %s", why, c->why);
    /* a failed match teaches the flow nothing */
    assert_memory_equal(&fl, &before, sizeof(fl));
}

/* "match_07_ack": the case's number and the field its message names ("ok" for a match). */
static void case_name(char *buf, size_t size, size_t i, const struct mut_case *c)
{
    const char *d = c->why ? strstr(c->why, "(first difference: ") : NULL;
    size_t k = 0, len;

    len = (size_t)snprintf(buf, size, "match_%02zu_", i);
    if (!d) {
        snprintf(buf + len, size - len, "ok");
        return;
    }
    for (d += strlen("(first difference: "); *d && *d != ':' && len + k + 1 < size; d++, k++)
        buf[len + k] = *d == ' ' ? '_' : *d;
    buf[len + k] = '\0';
}

/* ---- timestamps --------------------------------------------------------------------------- */

/* The TOE's first TS val pairs with the script's; inbound ecr values map through it, mod 2^32. */
static void timestamps_learned_and_mapped(void **state)
{
    struct pd_flow fl;
    uint8_t f[256];
    struct toe_ipv4 ip;
    struct toe_tcp tcp;
    const uint8_t *seg;
    size_t n;

    (void)state;
    pd_flow_init(&fl);
    must_match(&fl, "> S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>",
               &(struct act){ PD_TCP_SYN, 77, 0, 65535, 0, 0,
                              { 2, 4, 5, 0xB4, 4, 2, 8, 10, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 0, 0, 1, 3, 3, 7 },
                              20, 0, 0, 0 });
    assert_true(fl.ts_known);
    assert_int_equal(fl.ts_script_first, 100);
    assert_int_equal(fl.ts_actual_first, 0xFFFFFFF0u);
    n = build_ok(&fl, "< S. 0:0(0) ack 1 win 5792 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>",
                 f, sizeof(f), NULL);
    seg = parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(tcp.ack, 78);
    assert_int_equal(toe_get32(seg + 20 + 8), 700);
    assert_int_equal(toe_get32(seg + 20 + 12), 0xFFFFFFF0u);
    n = build_ok(&fl, "< . 1:1(0) ack 1 win 1 <nop,nop,TS val 701 ecr 120>", f, sizeof(f), NULL);
    seg = parse_built(&fl, f, n, &ip, &tcp);
    assert_int_equal(toe_get32(seg + 20 + 8), 4);  /* 0xFFFFFFF0 + 20 wraps */
    free_held(NULL);
}

/* ---- frames that are not what a '>' line describes -------------------------------------------- */

static void expect_bad(struct pd_flow *fl, const uint8_t *f, size_t n, const char *reason)
{
    char why[1024], want[1024];

    snprintf(want, sizeof(want), "expected: > . 1:1(0) ack 1 win 3  actual: (not a TCP/IPv4 frame)  "
             "(first difference: %s)", reason);
    assert_false(pd_match_outbound(fl, line("> . 1:1(0) ack 1 win 3"), f, n, why, sizeof(why)));
    assert_string_equal(why, want);
}

static void bad_frames_refused(void **state)
{
    struct pd_flow fl;
    uint8_t f[256], g[256];
    char reason[160];
    size_t n, cut;
    char why[1024];
    uint16_t good;
    const struct pd_packet *want;

    (void)state;
    pd_flow_init(&fl);
    fl.local_isn_known = true, fl.local_isn = ISN_L;
    n = toe_frame(&fl, &(struct act){ PD_TCP_ACK, 0, 1, 3, 0, 0, { 0 }, 0, 10, 0, 0 }, f);
    assert_int_equal(n, 64);
    expect_bad(&fl, f, 0, "truncated Ethernet header (0 bytes)");
    expect_bad(&fl, NULL, 0, "truncated Ethernet header (0 bytes)");
    expect_bad(&fl, f, 13, "truncated Ethernet header (13 bytes)");
    snprintf(reason, sizeof(reason), "bad IPv4 header: %s", toe_ipv4_strerror(TOE_IPV4_ERR_SHORT));
    expect_bad(&fl, f, 14, reason);
    expect_bad(&fl, f, 33, reason);
    snprintf(reason, sizeof(reason), "bad IPv4 header: %s", toe_ipv4_strerror(TOE_IPV4_ERR_TOTLEN));
    expect_bad(&fl, f, 34, reason);
    expect_bad(&fl, f, 63, reason);
    /* every prefix is refused, never read past */
    want = line("> . 1:1(0) ack 1 win 3");
    for (cut = 0; cut < n; cut++)
        assert_false(pd_match_outbound(&fl, want, f, cut, why, sizeof(why)));
    /* the whole frame is fine (and proves the cases above fail for their reason) */
    must_match(&fl, "> . 1:11(10) ack 1 win 3", &(struct act){ PD_TCP_ACK, 0, 1, 3, 0, 0, { 0 }, 0, 10, 0, 0 });

    memcpy(g, f, n);
    g[12] = 0x86, g[13] = 0xDD;
    expect_bad(&fl, g, n, "not IPv4 (EtherType 0x86dd)");
    memcpy(g, f, n);
    g[14 + 9] = 17;           /* UDP; the header checksum made right again */
    toe_put16(g + 14 + 10, 0);
    toe_put16(g + 14 + 10, toe_csum(g + 14, 20));
    expect_bad(&fl, g, n, "not TCP (IP protocol 17)");
    memcpy(g, f, n);
    g[14 + 10] ^= 1;
    snprintf(reason, sizeof(reason), "bad IPv4 header: %s", toe_ipv4_strerror(TOE_IPV4_ERR_CSUM));
    expect_bad(&fl, g, n, reason);
    /* a bad TCP checksum is a mismatch, even when every field is as expected */
    memcpy(g, f, n);
    good = toe_get16(g + 34 + 16);
    toe_put16(g + 34 + 16, (uint16_t)(good ^ 0x0100));
    snprintf(reason, sizeof(reason), "bad TCP checksum 0x%04x (should be 0x%04x)", good ^ 0x0100u, good);
    expect_bad(&fl, g, n, reason);
    memcpy(g, f, n);
    g[n - 1] ^= 0x40;         /* a payload byte */
    snprintf(reason, sizeof(reason), "bad TCP checksum 0x%04x (should be 0x%04x)", good,
             toe_tcp_csum(fl.local_ip, fl.remote_ip, g + 34, n - 34));
    expect_bad(&fl, g, n, reason);
    /* IPv4 total length leaving 10 bytes of TCP header */
    memcpy(g, f, n);
    toe_put16(g + 14 + 2, 30);
    toe_put16(g + 14 + 10, 0);
    toe_put16(g + 14 + 10, toe_csum(g + 14, 20));
    expect_bad(&fl, g, n, "truncated TCP header (10 bytes of segment)");
    /* a data offset past the segment */
    memcpy(g, f, n);
    g[34 + 12] = 0xF0;
    expect_bad(&fl, g, n, "truncated TCP header (30 bytes of segment)");
    free_held(NULL);
}

static void malformed_options_refused(void **state)
{
    static const struct { uint8_t opt[8]; const char *reason; } cases[] = {
        { { 2, 4, 5, 0xB4, 2, 0, 1, 1 }, "malformed TCP option kind 2 at option byte 4" },
        { { 1, 1, 1, 1, 1, 1, 1, 8 }, "malformed TCP option kind 8 at option byte 7" },
        { { 8, 6, 0, 0, 0, 0, 1, 1 }, "TCP option kind 8 with length 6" },
        { { 2, 3, 5, 1, 1, 1, 1, 1 }, "TCP option kind 2 with length 3" },
        { { 1, 1, 5, 6, 0, 0, 0, 0 }, "TCP option kind 5 with length 6" },
        { { 1, 1, 1, 30, 9, 0, 0, 0 }, "malformed TCP option kind 30 at option byte 3" },
    };
    struct pd_flow fl;
    uint8_t f[256];
    size_t i, n;

    (void)state;
    pd_flow_init(&fl);
    fl.local_isn_known = true, fl.local_isn = ISN_L;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct act a = { PD_TCP_ACK, 0, 1, 3, 0, 0, { 0 }, 8, 0, 0, 0 };

        memcpy(a.opt, cases[i].opt, 8);
        n = toe_frame(&fl, &a, f);
        expect_bad(&fl, f, n, cases[i].reason);
    }
    /* eol ends the list: what follows is padding, not options */
    must_match(&fl, "> . 1:1(0) ack 1 win 3 <mss 1460,eol>",
               &(struct act){ PD_TCP_ACK, 0, 1, 3, 0, 0, { 2, 4, 5, 0xB4, 0, 0xEE, 0xEE, 0xEE }, 8, 0, 0, 0 });
    free_held(NULL);
}

/* Random bytes, and random damage to a good frame: a verdict and a reason, never a crash. */
static void random_frames_never_crash(void **state)
{
    struct pd_flow fl;
    uint8_t good[256], f[256];
    char why[1024], text[512];
    size_t n, len, i, k;
    unsigned refused = 0;

    (void)state;
    pd_flow_init(&fl);
    fl.local_isn_known = true, fl.local_isn = ISN_L;
    n = toe_frame(&fl, &(struct act){ PD_TCP_ACK, 0, 1, 3, 0, 0, SYNACK_OPTS, 20, 0, 0 }, good);
    for (i = 0; i < 20000; i++) {
        if (i % 2) {
            len = (size_t)(test_rand64() % sizeof(f));
            for (k = 0; k < len; k++)
                f[k] = (uint8_t)test_rand64();
        } else {
            len = n;
            memcpy(f, good, n);
            for (k = 0; k < 1 + test_rand64() % 3; k++)
                f[14 + test_rand64() % (n - 14)] ^= (uint8_t)(1u << (test_rand64() % 8));
        }
        why[0] = 'x';
        if (!pd_match_outbound(&fl, line("> . 1:21(20) ack 1 win 3 <mss 1460,nop,wscale 7>"), f, len, why,
                               sizeof(why))) {
            refused++;
            static const char head[] = "expected: > . 1:21(20) ack 1 win 3 <mss 1460,nop,wscale 7>  actual: ";

            if (strncmp(why, head, sizeof(head) - 1))
                fail_msg("iteration %zu: %s", i, why);
        }
        assert_true(pd_print_frame(&fl, f, len, text, sizeof(text)) > 0);
        free_held(NULL);
    }
    /* an IP or TCP header bit flipped is caught by a checksum, so almost all are refused */
    assert_true(refused > 19000);
}

/* ---- printing actual frames ---------------------------------------------------------------------- */

static void print_frame_canonical(void **state)
{
    struct pd_flow fl;
    uint8_t f[256];
    char text[512];
    size_t n;

    (void)state;
    pd_flow_init(&fl);
    fl.remote_isn = ISN_R;
    /* ISN unknown: a SYN counts from itself */
    n = toe_frame(&fl, &(struct act){ SA, 1234, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 }, f);
    assert_int_equal(pd_print_frame(&fl, f, n, text, sizeof(text)),
                     strlen("> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>"));
    assert_string_equal(text, "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>");
    fl.local_isn_known = true, fl.local_isn = ISN_L;
    n = toe_frame(&fl, &(struct act){ PD_TCP_FIN | PD_TCP_PSH | PD_TCP_ACK | PD_TCP_ECE | PD_TCP_CWR, 99, 7,
                                      1, 0, 2, { 0 }, 0, 3, 0, 0 }, f);
    pd_print_frame(&fl, f, n, text, sizeof(text));
    assert_string_equal(text, "> [ect0] FP.EW 100:103(3) ack 9 win 1");
    /* the printed text parses as a script line (the canonical syntax) */
    line(text);
    /* cut short like snprintf, the whole length still returned */
    assert_int_equal(pd_print_frame(&fl, f, n, text, 8), strlen("> [ect0] FP.EW 100:103(3) ack 9 win 1"));
    assert_string_equal(text, "> [ect0");
    assert_int_equal(pd_print_frame(&fl, f, 20, text, sizeof(text)),
                     strlen("(not a TCP/IPv4 frame: bad IPv4 header: ") + strlen(toe_ipv4_strerror(TOE_IPV4_ERR_SHORT)) + 1);
    free_held(NULL);
}

/* ---- tshark's reading, as an oracle ----------------------------------------------------------- */

/*
 * The frames of a handshake, data with timestamps and SACK, and an ECN-marked
 * FIN, into the pcap check_pd_pcap.sh reads (PD_MATCH_PCAP, else under out/).
 * The values tshark must print are written in that script, not derived here.
 */
static void pcap_for_tshark(void **state)
{
    static const char *const lines[] = {
        "< S 0:0(0) win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>",
        "< . 1:1(0) ack 1 win 257",
        "< P. 1:1001(1000) ack 1 win 257 <nop,nop,TS val 700 ecr 5000>",
        "< . 1001:1001(0) ack 101 win 257 <nop,nop,sack 201:301 401:501>",
        "< [ce] F. 1001:1001(0) ack 101 win 257",
    };
    const char *path = getenv("PD_MATCH_PCAP");
    struct toe_pcap *pc;
    struct pd_flow fl;
    uint8_t f[1600];
    size_t i, n;

    (void)state;
    pc = toe_pcap_open(path && *path ? path : "out/pktdrill/pd_match.pcap");
    assert_non_null(pc);
    pd_flow_init(&fl);
    fl.remote_isn = ISN_R;
    n = build_ok(&fl, lines[0], f, sizeof(f), NULL);
    toe_pcap_write(pc, 1000, f, n);
    n = toe_frame(&fl, &(struct act){ SA, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 }, f);
    assert_true(pd_match_outbound(&fl, line("> S. 0:0(0) ack 1 <...>"), f, n, NULL, 0));
    toe_pcap_write(pc, 2000, f, n);
    fl.ts_known = true, fl.ts_script_first = 5000, fl.ts_actual_first = 0xFFFFFFF0u;
    for (i = 1; i < sizeof(lines) / sizeof(lines[0]); i++) {
        n = build_ok(&fl, lines[i], f, sizeof(f), NULL);
        toe_pcap_write(pc, 2000 + 1000 * i, f, n);
    }
    toe_pcap_close(pc);
    free_held(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(build_syn_exact_bytes, free_held),
        cmocka_unit_test_teardown(build_data_wraps_and_payload, free_held),
        cmocka_unit_test_teardown(build_ts_ecr_and_sack_mapped, free_held),
        cmocka_unit_test_teardown(build_refusals, free_held),
        cmocka_unit_test_teardown(handshake_passive_learns_isn, free_held),
        cmocka_unit_test_teardown(handshake_active_learns_isn, free_held),
        cmocka_unit_test_teardown(active_open_learns_local_port, free_held),
        cmocka_unit_test_teardown(timestamps_learned_and_mapped, free_held),
        cmocka_unit_test_teardown(bad_frames_refused, free_held),
        cmocka_unit_test_teardown(malformed_options_refused, free_held),
        cmocka_unit_test_teardown(random_frames_never_crash, free_held),
        cmocka_unit_test_teardown(print_frame_canonical, free_held),
        cmocka_unit_test_teardown(pcap_for_tshark, free_held),
    };

    enum { N_MUT = sizeof(mut_cases) / sizeof(mut_cases[0]) };
    const size_t n_fixed = sizeof(tests) / sizeof(tests[0]);
    static struct CMUnitTest all[sizeof(tests) / sizeof(tests[0]) + N_MUT];
    static char names[N_MUT][48];
    size_t i;

    test_seed_init("test_pd_match");
    memcpy(all, tests, sizeof(tests));
    for (i = 0; i < N_MUT; i++) {
        case_name(names[i], sizeof(names[i]), i, &mut_cases[i]);
        all[n_fixed + i] = (struct CMUnitTest){ .name = names[i], .test_func = match_one_field,
                                                .teardown_func = free_held,
                                                .initial_state = (void *)&mut_cases[i] };
    }
    return _cmocka_run_group_tests("pd_match", all, n_fixed + N_MUT, NULL, NULL);
}
