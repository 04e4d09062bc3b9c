/*
 * ARP (RFC 826) and ICMP echo (RFC 792) in the driver (driver/net): frames
 * byte for byte, the neighbour table's timers to the nanosecond, every
 * malformed input refused with its reason, a seeded mutation loop. Frames go
 * to a pcap ($TOE_NET_PCAP) that tests/net/check_net_pcap.sh has tshark judge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_seed.h"
#include "toe_arp.h"
#include "toe_csum.h"
#include "toe_icmp.h"
#include "toe_pcap.h"
#include "toe_pkt.h"

static const uint8_t OUR_MAC[6] = {0x02, 0x54, 0x4f, 0x45, 0x00, 0x01};
static const uint8_t PEER_MAC[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
#define OUR_IP 0xC0000201u   /* 192.0.2.1 */
#define PEER_IP 0xC0000202u  /* 192.0.2.2 */
#define S 1000000000ull

static struct toe_pcap *pcap;
static uint64_t pcap_t;

static void keep(const uint8_t *f, size_t len)
{
    if (pcap)
        toe_pcap_write(pcap, pcap_t += 1000, f, len);
}

/* ---- ARP frames ---- */

/* A request as Linux sends it (tcpdump -xx of `arping`'s), padded to 60. */
static const uint8_t PEER_REQUEST[60] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,                   /* Ethernet, IPv4, 6, 4, request */
    0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0xc0, 0x00, 0x02, 0x02,       /* sender 192.0.2.2 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x01,       /* target 192.0.2.1 */
};

static void arp_request_bytes(void **state)
{
    uint8_t f[TOE_ARP_FRAME_LEN];
    static const uint8_t want[60] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x54, 0x4f, 0x45, 0x00, 0x01, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
        0x02, 0x54, 0x4f, 0x45, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x02,
    };

    (void)state;
    assert_int_equal(toe_arp_build_request(f, OUR_MAC, OUR_IP, PEER_IP), 60);
    assert_memory_equal(f, want, 60);
    keep(f, 60);
}

static void arp_answers_a_request(void **state)
{
    struct toe_arp_entry e[4];
    struct toe_arp_table t;
    struct toe_arp_out out;
    const struct toe_arp_entry *pe;
    static const uint8_t want[60] = {
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x02, 0x54, 0x4f, 0x45, 0x00, 0x01, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,                   /* reply */
        0x02, 0x54, 0x4f, 0x45, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,       /* sender: us */
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0xc0, 0x00, 0x02, 0x02,       /* target: the asker */
    };

    (void)state;
    toe_arp_init(&t, e, 4, OUR_MAC, OUR_IP);
    keep(PEER_REQUEST, 60);
    assert_int_equal(toe_arp_input(&t, PEER_REQUEST, 60, 5 * S, &out), TOE_ARP_OK);
    assert_int_equal(out.len, 60);
    assert_memory_equal(out.frame, want, 60);
    keep(out.frame, out.len);
    /* RFC 826: the asker is added, since the request was for us */
    pe = toe_arp_find(&t, PEER_IP);
    assert_non_null(pe);
    assert_int_equal(pe->state, TOE_ARP_REACHABLE);
    assert_memory_equal(pe->mac, PEER_MAC, 6);
    assert_int_equal(pe->when_ns, 5 * S);
    assert_int_equal(t.st.requests_in, 1);
    assert_int_equal(t.st.replies_out, 1);
}

static void arp_merge_rules(void **state)
{
    struct toe_arp_entry e[4];
    struct toe_arp_table t;
    struct toe_arp_out out;
    uint8_t f[TOE_ARP_FRAME_LEN], mac[6];
    static const uint8_t NEW_MAC[6] = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc};

    (void)state;
    toe_arp_init(&t, e, 4, OUR_MAC, OUR_IP);
    /* a request between two others, from an unknown sender: nothing learnt, no reply */
    toe_arp_build_request(f, PEER_MAC, PEER_IP, 0xC0000209u);
    assert_int_equal(toe_arp_input(&t, f, 60, S, &out), TOE_ARP_OK);
    assert_int_equal(out.len, 0);
    assert_null(toe_arp_find(&t, PEER_IP));
    /* once known, any packet from it updates its address (it moved NICs) */
    assert_int_equal(toe_arp_input(&t, PEER_REQUEST, 60, 2 * S, &out), TOE_ARP_OK);
    toe_arp_build_request(f, NEW_MAC, PEER_IP, 0xC0000209u);
    assert_int_equal(toe_arp_input(&t, f, 60, 3 * S, &out), TOE_ARP_OK);
    assert_int_equal(out.len, 0);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, 3 * S, mac, &out), TOE_ARP_RESOLVED);
    assert_memory_equal(mac, NEW_MAC, 6);
    assert_int_equal(toe_arp_find(&t, PEER_IP)->when_ns, 3 * S);
    /* an RFC 5227 probe (sender 0.0.0.0) for our address is answered, learns nothing */
    toe_arp_build_request(f, NEW_MAC, 0, OUR_IP);
    assert_int_equal(toe_arp_input(&t, f, 60, 4 * S, &out), TOE_ARP_OK);
    assert_int_equal(out.len, 60);
    assert_int_equal(toe_get32(out.frame + 38), 0);
    assert_null(toe_arp_find(&t, 0));
}

static void arp_malformed(void **state)
{
    struct toe_arp_entry e[2];
    struct toe_arp_table t;
    struct toe_arp_out out;
    struct toe_arp_pkt p;
    uint8_t f[60];
    static const struct {
        size_t off;
        uint8_t v;
        enum toe_arp_err want;
    } cases[] = {
        {12, 0x08, TOE_ARP_OK},          /* (unchanged byte: the baseline) */
        {13, 0x00, TOE_ARP_NOT_ARP},     /* EtherType 0x0800 */
        {15, 0x06, TOE_ARP_BAD_FORMAT},  /* hardware type 6 (IEEE 802) */
        {16, 0x86, TOE_ARP_BAD_FORMAT},  /* protocol 0x8600 */
        {18, 0x08, TOE_ARP_BAD_FORMAT},  /* hardware length 8 */
        {19, 0x10, TOE_ARP_BAD_FORMAT},  /* protocol length 16 */
        {21, 0x03, TOE_ARP_BAD_OP},      /* RARP request */
        {22, 0x01, TOE_ARP_BAD_SENDER},  /* sender MAC 01:...: a group address */
    };

    (void)state;
    toe_arp_init(&t, e, 2, OUR_MAC, OUR_IP);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memcpy(f, PEER_REQUEST, 60);
        f[cases[i].off] = cases[i].v;
        assert_int_equal(toe_arp_parse(f, 60, &p), cases[i].want);
    }
    assert_int_equal(toe_arp_parse(PEER_REQUEST, 41, &p), TOE_ARP_SHORT);
    assert_int_equal(toe_arp_input(&t, PEER_REQUEST, 41, S, &out), TOE_ARP_SHORT);
    assert_int_equal(out.len, 0);
    /* a reply claiming 0.0.0.0 */
    toe_arp_build_reply(f, PEER_MAC, 0, &(struct toe_arp_pkt){.sha = {2, 0, 0, 0, 0, 9}, .spa = OUR_IP});
    assert_int_equal(toe_arp_input(&t, f, 60, S, &out), TOE_ARP_BAD_SENDER);
    assert_int_equal(t.st.bad_in, 2);
    assert_int_equal(t.st.requests_in + t.st.replies_in, 0);
    assert_string_equal(toe_arp_strerror(TOE_ARP_BAD_OP), "neither request nor reply");
}

/* Linux's timing: a request at once, then every second, three in all; the
 * resolution fails a second after the third; retried 30 s later. */
static void arp_resolution_timers(void **state)
{
    struct toe_arp_entry e[4];
    struct toe_arp_table t;
    struct toe_arp_out out;
    uint8_t mac[6], f[60];
    const uint64_t t0 = 7 * S + 123;

    (void)state;
    toe_arp_init(&t, e, 4, OUR_MAC, OUR_IP);
    assert_int_equal(toe_arp_next_timer(&t), UINT64_MAX);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, t0, mac, &out), TOE_ARP_PENDING);
    assert_int_equal(out.len, 60);
    toe_arp_build_request(f, OUR_MAC, OUR_IP, PEER_IP);
    assert_memory_equal(out.frame, f, 60);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, t0 + 1, mac, &out), TOE_ARP_PENDING);
    assert_int_equal(out.len, 0); /* asked already */
    assert_int_equal(toe_arp_next_timer(&t), t0 + S);
    assert_int_equal(toe_arp_tick(&t, t0 + S - 1, &out), 0);
    assert_int_equal(toe_arp_tick(&t, t0 + S, &out), 1);
    assert_memory_equal(out.frame, f, 60);
    assert_int_equal(toe_arp_tick(&t, t0 + S, &out), 0);
    assert_int_equal(toe_arp_tick(&t, t0 + 2 * S, &out), 1);
    assert_int_equal(t.st.requests_out, 3);
    assert_int_equal(toe_arp_next_timer(&t), t0 + 3 * S);
    assert_int_equal(toe_arp_tick(&t, t0 + 3 * S, &out), 0); /* no fourth: failed */
    assert_int_equal(toe_arp_find(&t, PEER_IP)->state, TOE_ARP_FAILED);
    assert_int_equal(t.st.failed, 1);
    assert_int_equal(toe_arp_next_timer(&t), UINT64_MAX);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, t0 + 3 * S + 29 * S, mac, &out), TOE_ARP_UNREACHABLE);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, t0 + 3 * S + 30 * S, mac, &out), TOE_ARP_PENDING);
    assert_int_equal(out.len, 60);
    /* the answer: resolved, then stale exactly 30 s later */
    toe_arp_build_reply(f, PEER_MAC, PEER_IP,
                        &(struct toe_arp_pkt){.op = 1, .spa = OUR_IP, .sha = {0x02, 0x54, 0x4f, 0x45, 0, 1}});
    assert_int_equal(toe_arp_input(&t, f, 60, 40 * S, &out), TOE_ARP_OK);
    assert_int_equal(out.len, 0);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, 40 * S, mac, &out), TOE_ARP_RESOLVED);
    assert_memory_equal(mac, PEER_MAC, 6);
    assert_int_equal(t.st.resolved, 1);
    assert_int_equal(toe_arp_next_timer(&t), 70 * S);
    assert_int_equal(toe_arp_tick(&t, 70 * S - 1, &out), 0);
    assert_int_equal(toe_arp_find(&t, PEER_IP)->state, TOE_ARP_REACHABLE);
    assert_int_equal(toe_arp_tick(&t, 70 * S, &out), 0);
    assert_int_equal(toe_arp_find(&t, PEER_IP)->state, TOE_ARP_STALE);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, 71 * S, mac, &out), TOE_ARP_RESOLVED);
    assert_int_equal(out.len, 0);
}

static void arp_table_full(void **state)
{
    struct toe_arp_entry e[2];
    struct toe_arp_table t;
    struct toe_arp_out out;
    uint8_t mac[6];

    (void)state;
    toe_arp_init(&t, e, 2, OUR_MAC, OUR_IP);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, 0, mac, &out), TOE_ARP_PENDING);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP + 1, 0, mac, &out), TOE_ARP_PENDING);
    /* both in use (asking): none can be taken */
    assert_int_equal(toe_arp_resolve(&t, PEER_IP + 2, 0, mac, &out), TOE_ARP_NO_ROOM);
    assert_int_equal(out.len, 0);
    assert_int_equal(t.st.table_full, 1);
    /* once one has failed, its slot is reclaimed */
    for (uint64_t s = 1; s <= 3; s++)
        while (toe_arp_tick(&t, s * S, &out))
            ;
    assert_int_equal(t.st.failed, 2);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP + 2, 4 * S, mac, &out), TOE_ARP_PENDING);
    assert_int_equal(out.len, 60);
    assert_int_equal(toe_arp_find(&t, PEER_IP + 2)->state, TOE_ARP_INCOMPLETE);
}

/* ---- ICMP echo ---- */

/* An echo request as `ping -c1 -s 24` sends it: identifier 0x1c46, sequence 1. */
static size_t ping_request(uint8_t *f, int vlan, size_t data_len, uint32_t dst)
{
    struct toe_eth e = {{0}, {0}, vlan, 0x2005, TOE_ETHERTYPE_IPV4, 0};
    struct toe_ipv4 ip = {0, (uint16_t)(20 + 8 + data_len), 0x3d21, TOE_IPV4_DF, 64, TOE_IPPROTO_ICMP,
                          PEER_IP, dst};
    size_t l2;
    uint8_t *m;

    memcpy(e.dst, OUR_MAC, 6);
    memcpy(e.src, PEER_MAC, 6);
    l2 = toe_eth_build(f, &e);
    toe_ipv4_build(f + l2, &ip);
    m = f + l2 + 20;
    m[0] = TOE_ICMP_ECHO_REQUEST;
    m[1] = 0;
    toe_put16(m + 2, 0);
    toe_put16(m + 4, 0x1c46);
    toe_put16(m + 6, 1);
    for (size_t i = 0; i < data_len; i++)
        m[8 + i] = (uint8_t)(0x10 + i);
    toe_put16(m + 2, toe_csum(m, 8 + data_len));
    return l2 + 20 + 8 + data_len;
}

static void icmp_echo_reply_fields(void **state)
{
    uint8_t rq[128], rp[128];
    size_t n = ping_request(rq, 0, 24, OUR_IP), rn;
    struct toe_icmp_stats st = {0};
    struct toe_ipv4 ip;

    (void)state;
    keep(rq, n);
    assert_int_equal(toe_icmp_echo(rq, n, OUR_MAC, OUR_IP, 0x0101, NULL, rp, sizeof(rp), &rn, &st),
                     TOE_ICMP_REPLY);
    keep(rp, rn);
    assert_int_equal(rn, n);
    assert_memory_equal(rp, PEER_MAC, 6);
    assert_memory_equal(rp + 6, OUR_MAC, 6);
    assert_int_equal(toe_get16(rp + 12), 0x0800);
    assert_int_equal(toe_ipv4_verify(rp + 14, rn - 14), TOE_IPV4_OK);
    toe_ipv4_parse(rp + 14, &ip);
    assert_int_equal(ip.src, OUR_IP);
    assert_int_equal(ip.dst, PEER_IP);
    assert_int_equal(ip.ttl, 64);
    assert_int_equal(ip.id, 0x0101);
    assert_int_equal(ip.frag, 0);
    assert_int_equal(ip.tot_len, 52);
    /* type 0, code 0, the same identifier, sequence and data */
    assert_int_equal(rp[34], 0);
    assert_int_equal(rp[35], 0);
    assert_memory_equal(rp + 38, rq + 38, 4 + 24);
    assert_int_equal(toe_csum(rp + 34, 32), 0);
    /* RFC 1624: the reply's checksum is the request's plus 0x0800 (type 8 -> 0) */
    assert_int_equal(toe_get16(rp + 36), toe_csum_update16(toe_get16(rq + 36), 0x0800, 0x0000));
    assert_int_equal(st.in_msgs, 1);
    assert_int_equal(st.in_echos, 1);
    assert_int_equal(st.out_echo_reps, 1);
}

static void icmp_vlan_and_padding(void **state)
{
    uint8_t rq[128], rp[128];
    size_t n = ping_request(rq, 1, 0, OUR_IP), rn;
    struct toe_icmp_stats st = {0};

    (void)state;
    /* a 46-byte tagged frame padded to 64 on the wire: the padding is not data */
    memset(rq + n, 0xee, 64 - n);
    assert_int_equal(toe_icmp_echo(rq, 64, OUR_MAC, OUR_IP, 7, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_REPLY);
    assert_int_equal(rn, 60); /* 46 bytes of reply, padded with zeros to Ethernet's minimum */
    assert_int_equal(toe_get16(rp + 12), 0x8100);
    assert_int_equal(toe_get16(rp + 14), 0x2005);
    assert_int_equal(toe_get16(rp + 20), 28);
    assert_int_equal(toe_csum(rp + 38, 8), 0);
    for (size_t i = 46; i < 60; i++)
        assert_int_equal(rp[i], 0);
    keep(rq, 64);
    keep(rp, rn);
}

static void icmp_refusals(void **state)
{
    uint8_t rq[128], rp[128], f[128];
    size_t n = ping_request(rq, 0, 24, OUR_IP), rn;
    struct toe_icmp_stats st = {0};

    (void)state;
    memcpy(f, rq, n);
    f[40] ^= 0x01; /* a data bit */
    assert_int_equal(toe_icmp_echo(f, n, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_BAD_CSUM);
    assert_int_equal(rn, 0);
    assert_int_equal(st.in_csum_errors, 1);
    memcpy(f, rq, n);
    f[24] ^= 0x01; /* the IPv4 header checksum */
    assert_int_equal(toe_icmp_echo(f, n, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_BAD_IP);
    n = ping_request(rq, 0, 24, 0xFFFFFFFFu);
    assert_int_equal(toe_icmp_echo(rq, n, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_BROADCAST);
    n = ping_request(rq, 0, 24, 0xE0000001u);
    assert_int_equal(toe_icmp_echo(rq, n, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_BROADCAST);
    n = ping_request(rq, 0, 24, OUR_IP + 5);
    assert_int_equal(toe_icmp_echo(rq, n, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_NOT_OURS);
    n = ping_request(rq, 0, 24, OUR_IP);
    memcpy(f, rq, n);
    toe_put16(f + 20, TOE_IPV4_MF); /* the first fragment of a larger ping */
    toe_put16(f + 24, 0);
    toe_put16(f + 24, toe_csum(f + 14, 20));
    assert_int_equal(toe_icmp_echo(f, n, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_FRAGMENT);
    memcpy(f, rq, n);
    f[34] = TOE_ICMP_ECHO_REPLY; /* someone's reply: not answered */
    toe_put16(f + 36, 0);
    toe_put16(f + 36, toe_csum(f + 34, 32));
    assert_int_equal(toe_icmp_echo(f, n, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_NOT_ECHO);
    assert_int_equal(toe_icmp_echo(rq, n, OUR_MAC, OUR_IP, 1, NULL, rp, 40, &rn, &st), TOE_ICMP_NO_ROOM);
    memcpy(f, rq, n);
    f[23] = 6; /* TCP */
    toe_put16(f + 24, 0);
    toe_put16(f + 24, toe_csum(f + 14, 20));
    assert_int_equal(toe_icmp_echo(f, n, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st), TOE_ICMP_NOT_ICMP);
    assert_int_equal(toe_icmp_echo(PEER_REQUEST, 60, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st),
                     TOE_ICMP_NOT_IPV4);
    assert_int_equal(st.out_echo_reps, 0);
    assert_string_equal(toe_icmp_strverdict(TOE_ICMP_BROADCAST), "to a broadcast or multicast address");
}

/* The knobs: neighbour timers from net.ipv4.neigh.default.*, and
 * icmp_echo_ignore_all / icmp_echo_ignore_broadcasts / ip_default_ttl. */
static void configured(void **state)
{
    struct toe_arp_entry e[2];
    struct toe_arp_table t;
    struct toe_arp_out out;
    const struct toe_arp_cfg cfg = {500000000ull, 5 * S, 2}; /* 500 ms, 5 s, 2 requests */
    uint8_t mac[6], rq[128], rp[128];
    size_t n, rn;
    struct toe_icmp_stats st = {0};
    const struct toe_icmp_cfg all = {1, 1, 64}, bcast = {0, 0, 128};

    (void)state;
    toe_arp_init(&t, e, 2, OUR_MAC, OUR_IP);
    toe_arp_configure(&t, &cfg);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, 0, mac, &out), TOE_ARP_PENDING);
    assert_int_equal(toe_arp_next_timer(&t), S / 2);
    assert_int_equal(toe_arp_tick(&t, S / 2, &out), 1);          /* the second and last request */
    assert_int_equal(toe_arp_tick(&t, S, &out), 0);              /* failed after two */
    assert_int_equal(toe_arp_find(&t, PEER_IP)->state, TOE_ARP_FAILED);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, S + 5 * S - 1, mac, &out), TOE_ARP_UNREACHABLE);
    assert_int_equal(toe_arp_resolve(&t, PEER_IP, S + 5 * S, mac, &out), TOE_ARP_PENDING);
    n = ping_request(rq, 0, 8, OUR_IP);
    assert_int_equal(toe_icmp_echo(rq, n, OUR_MAC, OUR_IP, 1, &all, rp, sizeof(rp), &rn, &st), TOE_ICMP_IGNORED);
    assert_int_equal(rn, 0);
    assert_int_equal(st.in_echos, 1);
    assert_int_equal(st.out_echo_reps, 0);
    /* broadcasts answered, from our own address, with TTL 128 */
    n = ping_request(rq, 0, 8, 0xFFFFFFFFu);
    assert_int_equal(toe_icmp_echo(rq, n, OUR_MAC, OUR_IP, 1, &bcast, rp, sizeof(rp), &rn, &st), TOE_ICMP_REPLY);
    assert_int_equal(toe_get32(rp + 26), OUR_IP);
    assert_int_equal(rp[22], 128);
    assert_string_equal(toe_icmp_strverdict(TOE_ICMP_IGNORED), "echo requests ignored (icmp_echo_ignore_all)");
}

/* Seeded mutations of a good request and of an ARP request: never a crash or
 * an out-of-bounds access (the suite runs this under ASan and UBSan), and a
 * reply only for what is still a valid echo request. */
static void mutations(void **state)
{
    uint8_t rq[128], f[128], rp[160];
    size_t n = ping_request(rq, 0, 56, OUR_IP), rn, replies = 0;
    struct toe_icmp_stats st = {0};
    struct toe_arp_entry e[8];
    struct toe_arp_table t;
    struct toe_arp_out out;

    (void)state;
    test_seed_init("test_net mutations");
    toe_arp_init(&t, e, 8, OUR_MAC, OUR_IP);
    for (int i = 0; i < 200000; i++) {
        size_t len = test_rand_below(2) ? n : test_rand_below((uint32_t)sizeof(f) + 1);
        int flips = 1 + (int)test_rand_below(4);

        memcpy(f, i & 1 ? rq : PEER_REQUEST, sizeof(PEER_REQUEST));
        if (i & 1)
            memcpy(f, rq, n);
        while (flips--)
            f[test_rand_below((uint32_t)sizeof(f))] ^= (uint8_t)(1u << test_rand_below(8));
        if (toe_icmp_echo(f, len, OUR_MAC, OUR_IP, 1, NULL, rp, sizeof(rp), &rn, &st) == TOE_ICMP_REPLY) {
            replies++;
            assert_true(rn <= len || rn == TOE_ICMP_MIN_FRAME);
            assert_int_equal(toe_ipv4_verify(rp + 14, rn - 14), TOE_IPV4_OK);
        }
        toe_arp_input(&t, f, len, (uint64_t)i * 1000, &out);
        assert_true(out.len == 0 || out.len == TOE_ARP_FRAME_LEN);
        toe_arp_tick(&t, (uint64_t)i * 1000, &out);
    }
    print_message("mutations: %zu replies to still-valid requests\n", replies);
}

int main(void)
{
    const char *path = getenv("TOE_NET_PCAP");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arp_request_bytes),
        cmocka_unit_test(arp_answers_a_request),
        cmocka_unit_test(arp_merge_rules),
        cmocka_unit_test(arp_malformed),
        cmocka_unit_test(arp_resolution_timers),
        cmocka_unit_test(arp_table_full),
        cmocka_unit_test(icmp_echo_reply_fields),
        cmocka_unit_test(icmp_vlan_and_padding),
        cmocka_unit_test(icmp_refusals),
        cmocka_unit_test(configured),
        cmocka_unit_test(mutations),
    };
    int r;

    if (path && *path)
        pcap = toe_pcap_open(path);
    r = cmocka_run_group_tests(tests, NULL, NULL);
    if (pcap)
        toe_pcap_close(pcap);
    return r;
}
