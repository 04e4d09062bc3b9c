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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle_model),
        cmocka_unit_test(test_lifecycle_rtl),
        cmocka_unit_test(test_refused_rst),
    };

    seed = test_seed_init("test_harness");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
