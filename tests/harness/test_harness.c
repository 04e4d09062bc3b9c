/*
 * The embedded TOE end to end (driver/stack/toe_harness.h): segments built
 * here go into the device's port, the device's exception path and fast path
 * carry them to the stack through the driver, and what the TOE sends comes
 * out of the port - on the model and on the RTL. A passive open, data placed
 * by the hardware (offloaded) and acknowledged by it, the peer's FIN, the
 * close; every outbound segment checked field by field, with its time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "toe_harness.h"
#include "toe_csum.h"
#include "toe_pkt.h"
#include "toe_socket.h"
#include "toe_stack.h"
#include "test_seed.h"

#define MS 1000000ull
#define TOE_IP 0xC0A80001u       /* 192.168.0.1 */
#define PEER_IP 0xC0000201u      /* 192.0.2.1 */
#define PEER_PORT 50000
#define PEER_ISN 1000u

static const uint8_t toe_mac[6] = {2, 0, 0, 0, 0, 1}, peer_mac[6] = {2, 0, 0, 0, 0, 2};
static uint64_t seed;

struct out {
    uint64_t t;
    size_t len;
    uint8_t f[1600];
};

struct run {
    struct toe_harness *h;
    struct out out[64];
    int nout;
};

static void frame_out(void *arg, const uint8_t *f, size_t len, uint64_t t)
{
    struct run *r = arg;

    if (r->nout < 64 && len <= sizeof(r->out[0].f)) {
        r->out[r->nout].t = t;
        r->out[r->nout].len = len;
        memcpy(r->out[r->nout].f, f, len);
        r->nout++;
    }
}

/* A segment from the peer: Ethernet + IPv4 + TCP with options and payload. */
static size_t seg(uint8_t *f, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win, const uint8_t *opt,
                  size_t optlen, const uint8_t *data, size_t len)
{
    struct toe_eth e = {.type = TOE_ETHERTYPE_IPV4};
    struct toe_tcp th = {.sport = PEER_PORT, .dport = 8080, .seq = seq, .ack = ack, .flags = flags, .win = win};
    size_t eh, tl;
    struct toe_ipv4 ih;

    memcpy(e.dst, toe_mac, 6);
    memcpy(e.src, peer_mac, 6);
    eh = toe_eth_build(f, &e);
    tl = toe_tcp_build(f + eh + 20, &th, opt, optlen);
    memcpy(f + eh + 20 + tl, data, len);
    tl += len;
    ih = (struct toe_ipv4){.tot_len = (uint16_t)(20 + tl), .id = 1, .frag = TOE_IPV4_DF, .ttl = 64,
                           .proto = TOE_IPPROTO_TCP, .src = PEER_IP, .dst = TOE_IP};
    toe_ipv4_build(f + eh, &ih);
    toe_tcp_csum_fill(PEER_IP, TOE_IP, f + eh + 20, tl);
    return eh + 20 + tl;
}

static struct toe_tcp tcp_of(const struct out *o, const uint8_t **opt, size_t *optlen, size_t *paylen)
{
    struct toe_tcp th;
    const uint8_t *t = o->f + 14 + 20;

    assert_int_equal(toe_get16(o->f + 12), 0x0800);
    assert_int_equal(o->f[14 + 9], 6);
    assert_true(toe_tcp_csum_ok(TOE_IP, PEER_IP, t, o->len - 34));
    assert_true(toe_tcp_parse(t, o->len - 34, &th) > 0);
    *opt = t + 20;
    *optlen = th.hlen - 20;
    *paylen = toe_get16(o->f + 16) - 20 - th.hlen;
    return th;
}

static void open_run(struct run *r, const char *backend)
{
    struct toe_harness_opts o = {.backend = backend, .ip = TOE_IP, .prefix_len = 16, .seed = seed,
                                 .frame_out = frame_out, .arg = r};
    char err[256];

    memset(r, 0, sizeof(*r));
    memcpy(o.mac, toe_mac, 6);
    r->h = toe_harness_open(&o, err, sizeof(err));
    if (!r->h)
        fail_msg("harness: %s", err);
    /* The peer as a permanent neighbour: no ARP in these exchanges. */
    toe_stack_neigh_add(toe_harness_stack(r->h), PEER_IP, peer_mac);
}

static void lifecycle(const char *backend)
{
    static const uint8_t syn_opt[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0, 1, 3, 3, 7};
    struct run r;
    struct toe_ctx *c;
    struct toe_stack *st;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(8080)};
    uint8_t f[1600], ts[12], data[100], buf[200];
    const uint8_t *opt;
    size_t optlen, plen, n;
    struct toe_tcp th;
    uint32_t isn, tsval;
    uint64_t t0, t_data;
    int lfd, fd;

    open_run(&r, backend);
    c = toe_harness_ctx(r.h);
    st = toe_harness_stack(r.h);
    lfd = toe_socket(c, AF_INET, SOCK_STREAM, 0);
    assert_int_equal(lfd, 3);
    assert_int_equal(toe_bind(c, lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(toe_listen(c, lfd, 8), 0);

    /* SYN in; the SYN+ACK out: Linux's options and window, our ISN. */
    t0 = toe_harness_now_ns(r.h);
    n = seg(f, 0x02, PEER_ISN, 0, 65535, syn_opt, sizeof syn_opt, NULL, 0);
    assert_int_equal(toe_harness_inject(r.h, f, n), 0);
    toe_harness_run_until(r.h, t0 + 1 * MS);
    assert_int_equal(r.nout, 1);
    th = tcp_of(&r.out[0], &opt, &optlen, &plen);
    assert_int_equal(th.flags, 0x12);
    assert_int_equal(th.ack, PEER_ISN + 1);
    assert_int_equal(th.win, 65160);
    assert_int_equal(optlen, 20);
    assert_memory_equal(opt, "\x02\x04\x05\xb4\x04\x02\x08\x0a", 8);
    assert_memory_equal(opt + 12, "\x00\x00\x00\x64\x01\x03\x03\x07", 8);   /* TSecr 100, wscale 7 */
    assert_memory_equal(r.out[0].f, peer_mac, 6);
    assert_true(r.out[0].t > t0);
    isn = th.seq;
    tsval = toe_get32(opt + 8);

    /* The third ACK: ESTABLISHED, into the hardware table. */
    toe_tcp_ts_option(ts, 101, tsval);
    n = seg(f, 0x10, PEER_ISN + 1, isn + 1, 502, ts, sizeof ts, NULL, 0);
    toe_harness_inject(r.h, f, n);
    toe_harness_run_until(r.h, toe_harness_now_ns(r.h) + 1 * MS);
    fd = toe_accept(c, lfd, NULL, NULL);
    assert_int_equal(fd, 4);
    assert_int_equal(toe_stack_counter(st, "ToeOffloaded"), 1);
    assert_int_equal(toe_stack_counter(st, "TcpPassiveOpens"), 1);

    /* 100 bytes with PSH: the hardware places them and acknowledges them
     * itself - at its delayed-ACK time, 40 ms, as the segment is less than
     * a full one. */
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 3);
    toe_tcp_ts_option(ts, 102, tsval);
    n = seg(f, 0x18, PEER_ISN + 1, isn + 1, 502, ts, sizeof ts, data, sizeof data);
    t_data = toe_harness_now_ns(r.h);
    toe_harness_inject(r.h, f, n);
    toe_harness_run_until(r.h, t_data + 60 * MS);
    assert_int_equal(toe_recv(c, fd, buf, sizeof buf, MSG_DONTWAIT), 100);
    assert_memory_equal(buf, data, 100);
    assert_int_equal(r.nout, 2);
    th = tcp_of(&r.out[1], &opt, &optlen, &plen);
    assert_int_equal(th.flags, 0x10);
    assert_int_equal(th.seq, isn + 1);
    assert_int_equal(th.ack, PEER_ISN + 101);
    assert_int_equal(plen, 0);
    assert_int_equal(optlen, 12);
    assert_int_equal(toe_get32(opt + 8), 102);   /* TSecr: the segment's TSval */
    /* 4000 ticks of 10 us from the tick the segment was placed in: within
     * one tick of 40 ms (docs/rx-datapath.md, delayed ACKs). */
    assert_true(r.out[1].t > t_data + 40 * MS - 10000 && r.out[1].t <= t_data + 40 * MS + 10000);

    /* The peer's FIN (an exception: the hardware hands it up): CLOSE_WAIT,
     * out of the hardware; its ACK waits 40 ms for the application. */
    toe_tcp_ts_option(ts, 103, tsval);
    n = seg(f, 0x11, PEER_ISN + 101, isn + 1, 502, ts, sizeof ts, NULL, 0);
    toe_harness_inject(r.h, f, n);
    toe_harness_run_until(r.h, toe_harness_now_ns(r.h) + 1 * MS);
    assert_int_equal(toe_recv(c, fd, buf, sizeof buf, MSG_DONTWAIT), 0);
    assert_int_equal(r.nout, 2);
    /* close() now: the FIN carries the ACK of theirs. */
    assert_int_equal(toe_close(c, fd), 0);
    toe_harness_run_until(r.h, toe_harness_now_ns(r.h) + 1 * MS);
    assert_int_equal(r.nout, 3);
    th = tcp_of(&r.out[2], &opt, &optlen, &plen);
    assert_int_equal(th.flags, 0x11);
    assert_int_equal(th.seq, isn + 1);
    assert_int_equal(th.ack, PEER_ISN + 102);
    assert_int_equal(toe_get32(opt + 8), 103);
    /* Their ACK of our FIN: gone. */
    toe_tcp_ts_option(ts, 104, tsval);
    n = seg(f, 0x10, PEER_ISN + 102, isn + 2, 502, ts, sizeof ts, NULL, 0);
    toe_harness_inject(r.h, f, n);
    toe_harness_run_until(r.h, toe_harness_now_ns(r.h) + 1 * MS);
    assert_int_equal(toe_stack_counter(st, "TcpCurrEstab"), 0);
    assert_int_equal(r.nout, 3);
    toe_close(c, lfd);
    toe_harness_close(r.h);
}

static void test_lifecycle_model(void **state)
{
    (void)state;
    lifecycle("model");
}

static void test_lifecycle_rtl(void **state)
{
    (void)state;
    lifecycle("rtl");
}

/* A SYN to a port nobody listens on: RST+ACK with ack = SYN + 1, seq 0. */
static void test_refused_rst(void **state)
{
    struct run r;
    uint8_t f[200];
    const uint8_t *opt;
    size_t optlen, plen, n;
    struct toe_tcp th;

    (void)state;
    open_run(&r, "model");
    n = seg(f, 0x02, PEER_ISN, 0, 65535, NULL, 0, NULL, 0);
    toe_harness_inject(r.h, f, n);
    toe_harness_run_until(r.h, toe_harness_now_ns(r.h) + 1 * MS);
    assert_int_equal(r.nout, 1);
    th = tcp_of(&r.out[0], &opt, &optlen, &plen);
    assert_int_equal(th.flags, 0x14);
    assert_int_equal(th.seq, 0);
    assert_int_equal(th.ack, PEER_ISN + 1);
    assert_int_equal(optlen, 0);
    toe_harness_close(r.h);
}

/* S27: ARP answers for our address, ICMP echo replies; and an active open to
 * a peer nobody resolved yet: the ARP request first, the SYN as soon as the
 * answer is in (held meanwhile, as Linux's neighbour queue). */
static size_t arp_frame(uint8_t *f, int op, const uint8_t *sha, uint32_t spa, const uint8_t *tha, uint32_t tpa,
                        const uint8_t *dst)
{
    memset(f, 0, 60);
    memcpy(f, dst, 6);
    memcpy(f + 6, sha, 6);
    toe_put16(f + 12, 0x0806);
    toe_put16(f + 14, 1);
    toe_put16(f + 16, 0x0800);
    f[18] = 6;
    f[19] = 4;
    toe_put16(f + 20, (uint16_t)op);
    memcpy(f + 22, sha, 6);
    toe_put32(f + 28, spa);
    memcpy(f + 32, tha, 6);
    toe_put32(f + 38, tpa);
    return 60;
}

static void arp_ping(const char *backend)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6] = {0};
    struct run r;
    uint8_t f[200], want[60];
    size_t n;
    struct toe_eth e = {.type = TOE_ETHERTYPE_IPV4};
    struct toe_ipv4 ih;
    uint16_t csum;

    open_run(&r, backend);
    /* who-has 192.168.0.1 tell 192.0.2.1 -> is-at our MAC, to the asker */
    n = arp_frame(f, 1, peer_mac, PEER_IP, zero, TOE_IP, bcast);
    toe_harness_inject(r.h, f, n);
    toe_harness_run_until(r.h, toe_harness_now_ns(r.h) + 1 * MS);
    assert_int_equal(r.nout, 1);
    arp_frame(want, 2, toe_mac, TOE_IP, peer_mac, PEER_IP, peer_mac);
    assert_int_equal(r.out[0].len, 60);
    assert_memory_equal(r.out[0].f, want, 60);

    /* an echo request with 56 bytes of data -> the reply */
    memcpy(e.dst, toe_mac, 6);
    memcpy(e.src, peer_mac, 6);
    n = toe_eth_build(f, &e);
    ih = (struct toe_ipv4){.tot_len = 20 + 64, .id = 0x1234, .ttl = 64, .proto = 1, .src = PEER_IP, .dst = TOE_IP};
    toe_ipv4_build(f + n, &ih);
    f[n + 20] = 8;
    f[n + 21] = 0;
    f[n + 22] = f[n + 23] = 0;
    toe_put16(f + n + 24, 0x4242);
    toe_put16(f + n + 26, 7);
    for (int i = 0; i < 56; i++)
        f[n + 28 + i] = (uint8_t)i;
    csum = toe_csum(f + n + 20, 64);
    toe_put16(f + n + 22, csum);
    toe_harness_inject(r.h, f, n + 84);
    toe_harness_run_until(r.h, toe_harness_now_ns(r.h) + 1 * MS);
    assert_int_equal(r.nout, 2);
    assert_int_equal(r.out[1].len, 14 + 84);
    assert_memory_equal(r.out[1].f, peer_mac, 6);
    assert_int_equal(toe_get32(r.out[1].f + 26), TOE_IP);     /* from us */
    assert_int_equal(toe_get32(r.out[1].f + 30), PEER_IP);    /* to the asker */
    assert_int_equal(r.out[1].f[34], 0);                      /* echo reply */
    assert_int_equal(toe_get16(r.out[1].f + 38), 0x4242);     /* its id and sequence */
    assert_int_equal(toe_get16(r.out[1].f + 40), 7);
    assert_memory_equal(r.out[1].f + 42, f + n + 28, 56);     /* its data */
    assert_int_equal(toe_csum(r.out[1].f + 34, 64), 0);     /* a good ICMP checksum */
    assert_int_equal(toe_csum(r.out[1].f + 14, 20), 0);     /* and IPv4 header checksum */
    toe_harness_close(r.h);
}

static void test_arp_ping_model(void **state)
{
    (void)state;
    arp_ping("model");
}

static void test_arp_ping_rtl(void **state)
{
    (void)state;
    arp_ping("rtl");
}

static void test_connect_resolves(void **state)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6] = {0};
    struct toe_harness_opts o = {.backend = "model", .ip = TOE_IP, .prefix_len = 16, .seed = seed,
                                 .frame_out = frame_out};
    struct run r;
    char err[200];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(80), .sin_addr.s_addr = htonl(0xC0A80002u)};
    uint8_t f[60], want[60];
    struct toe_ctx *c;
    int fd;
    uint64_t t0;

    (void)state;
    memset(&r, 0, sizeof(r));
    o.arg = &r;
    memcpy(o.mac, toe_mac, 6);
    r.h = toe_harness_open(&o, err, sizeof(err));
    assert_non_null(r.h);
    c = toe_harness_ctx(r.h);
    fd = toe_socket(c, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    t0 = toe_harness_now_ns(r.h);
    assert_int_equal(toe_connect(c, fd, (struct sockaddr *)&to, sizeof to), -1);
    assert_int_equal(errno, EINPROGRESS);
    toe_harness_run_until(r.h, t0 + 1 * MS);
    /* who-has 192.168.0.2 tell 192.168.0.1, broadcast; no SYN yet */
    assert_int_equal(r.nout, 1);
    arp_frame(want, 1, toe_mac, TOE_IP, zero, 0xC0A80002u, bcast);
    assert_memory_equal(r.out[0].f, want, 42);
    /* the answer: the held SYN goes at once */
    arp_frame(f, 2, peer_mac, 0xC0A80002u, toe_mac, TOE_IP, toe_mac);
    toe_harness_inject(r.h, f, 60);
    toe_harness_run_until(r.h, t0 + 2 * MS);
    assert_int_equal(r.nout, 2);
    assert_memory_equal(r.out[1].f, peer_mac, 6);
    assert_int_equal(r.out[1].f[47], 0x02);
    assert_true(r.out[1].t < t0 + 2 * MS);
    toe_harness_close(r.h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle_model),
        cmocka_unit_test(test_lifecycle_rtl),
        cmocka_unit_test(test_refused_rst),
        cmocka_unit_test(test_arp_ping_model),
        cmocka_unit_test(test_arp_ping_rtl),
        cmocka_unit_test(test_connect_resolves),
    };

    seed = test_seed_init("test_harness");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
