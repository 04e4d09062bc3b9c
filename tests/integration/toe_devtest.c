/*
 * toe-devtest: the driver core against a real toe-sim, for the integration tests
 * (tests/suites/60-toe-sim.sh; docs/toe-sim.md). One subcommand per check:
 *
 *   info                      attach through libpci, print identity and counters
 *   raw-send  N               send N seeded raw frames (ethertype 0x88b5) and wait
 *                             for every completion
 *   raw-recv  N               receive N frames on the exception ring and compare
 *                             each with the one raw-send made of the same seed,
 *                             byte for byte
 *   reset     N               send N frames with a function-level reset in the
 *                             middle: every send completes or is aborted, the
 *                             reset is reported, the driver runs on
 *   traffic-a N / traffic-b N the TX and RX traffic generators of lockstep: A
 *                             installs a connection (CONN_CREATE) and sends N
 *                             TSO sends of seeded sizes; B plays its TCP peer
 *                             with raw frames: it receives and checks A's
 *                             segments and sends N in-order data segments back,
 *                             which A's fast path places, ACKs and reports
 *   responder T               answer ARP and ICMP echo (driver/net) for A's
 *                             address on the exception ring for T
 *   ping      N               B: resolve A's MAC by ARP, then N echo requests of
 *                             seeded sizes, each reply checked and timed
 *   hold      T               attach and stay (virtual time T), then detach
 *
 * Options: --pci-dir DIR (or TOE_PCI_DIR), --seed S (default 1), --polled,
 * --timeout T (device time a check may take; default 10 s). Exit 0 when the
 * check holds, 1 when it does not (with the reason), 2 on a bad command line.
 *
 * --local model|rtl runs the device in this process instead (sim/local,
 * toe_plat_local: no toe-sim, no peer: info, raw-send, reset, bad-input, hold),
 * with --pcap FILE for the frames it sends, stamped as toe-sim's --pcap stamps
 * them: the same command gives the same capture over both (tests/suites/52-local.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_arp.h"
#include "toe_csum.h"
#include "toe_dev_drv.h"
#include "toe_formats.h"
#include "toe_icmp.h"
#include "toe_pcap.h"
#include "toe_pkt.h"
#include "toe_plat_local.h"

#define ETH_TEST 0x88b5u           /* IEEE local experimental ethertype */
#define FRAME_MAX 1514u

static uint64_t rng;

static uint64_t rand64(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Frame i of the seeded sequence: 60..1514 bytes, numbered, random payload. */
static size_t make_frame(uint32_t i, uint8_t *f)
{
    size_t len = 60 + (size_t)(rand64() % (FRAME_MAX - 60 + 1));

    memset(f, 0xff, 6);
    memcpy(f + 6, "\x02\x54\x4f\x45\x00\x01", 6);
    f[12] = ETH_TEST >> 8;
    f[13] = ETH_TEST & 0xff;
    toe_put32(f + 14, i);
    for (size_t k = 18; k < len; k++)
        f[k] = (uint8_t)rand64();
    return len;
}

struct ctx {
    struct toe_drv *d;
    uint64_t timeout_ns;
    /* raw */
    uint32_t expect, got, bad, done, aborted, tx_err;
    int resets;
    /* traffic */
    uint32_t seg_bytes_ok, segs, events, acks_seen, data_bytes;
    uint32_t b_next_seq;          /* B: next sequence number it expects from A */
    uint64_t b_payload;           /* B: payload bytes of A's it checked */
    uint32_t b_acked;             /* B: the acknowledgment number of A's last pure ACK */
    int status_of[16];            /* bad-input: each send's completion status, by cookie */
    /* responder / ping */
    struct toe_arp_table arp;
    struct toe_arp_entry arp_e[16];
    struct toe_icmp_stats icmp;
    uint16_t ip_id;
    uint8_t peer_mac[6];
    uint32_t arp_replies, echo_replies, echo_bad;
    uint32_t echo_want_seq, echo_len;
    uint8_t echo_data[1500];
};

static void on_tx_done(void *arg, uint64_t cookie, int status)
{
    struct ctx *c = arg;

    if (cookie < sizeof(c->status_of) / sizeof(c->status_of[0]))
        c->status_of[cookie] = status;
    if (status == TOE_TX_ABORTED)
        c->aborted++;
    else if (status != TX_STATUS_OK)
        c->tx_err++;
    c->done++;
}

static void on_frame_raw(void *arg, const struct toe_drv_frame *fr)
{
    struct ctx *c = arg;
    uint8_t want[FRAME_MAX];
    size_t n = make_frame(c->got, want);

    if (fr->reason != RX_EXC_NOT_IPV4 || fr->len != n || memcmp(fr->data, want, n)) {
        size_t k = 0;

        while (k < n && k < fr->len && fr->data[k] == want[k])
            k++;
        fprintf(stderr, "frame %u: reason %u, %u bytes (expected %zu), first difference at byte %zu\n",
                c->got, fr->reason, fr->len, n, k);
        c->bad++;
    }
    c->got++;
}

static int wait_until(struct ctx *c, const uint32_t *counter, uint32_t target)
{
    uint64_t end = toe_drv_now_ns(c->d) + c->timeout_ns;

    while (*counter < target) {
        int r;

        if (toe_drv_now_ns(c->d) >= end) {
            fprintf(stderr, "timeout: %u of %u after %" PRIu64 " ns\n", *counter, target, c->timeout_ns);
            return -1;
        }
        r = toe_drv_wait(c->d, (int64_t)(end - toe_drv_now_ns(c->d)));
        if (r < 0) {
            fprintf(stderr, "wait: %s\n", toe_drv_error(c->d));
            return -1;
        }
    }
    return 0;
}

static int send_frame(struct ctx *c, const void *f, size_t len, uint64_t cookie)
{
    for (;;) {
        int r = toe_drv_send_raw(c->d, f, len, NULL, cookie);

        if (r != -EAGAIN)
            return r;
        if (toe_drv_wait(c->d, 1000000) < 0)
            return -ENODEV;
    }
}

static int cmd_info(struct ctx *c)
{
    struct toe_admin_identify id;
    uint32_t dev[DEV_CNT_NUM];
    int r = toe_drv_identify(c->d, &id);

    if (r) {
        fprintf(stderr, "IDENTIFY: %s\n", r > 0 ? toe_admin_status_name((unsigned)r) : toe_drv_error(c->d));
        return 1;
    }
    printf("interface %u.%u, firmware %u.%u, features 0x%x, %u connections, %u MSI-X vectors, "
           "%u queues, %u-bit datapath at %u MHz, tick %u ns, firmware image %u bytes\n",
           id.if_version >> 16, id.if_version & 0xffff, id.fw_version >> 16, id.fw_version & 0xffff,
           id.features, id.conn_max, id.msix_vectors, id.queues, id.width_bytes * 8, id.clk_mhz,
           id.tick_ns, id.fw_code_bytes);
    if (toe_drv_dev_counters(c->d, dev) == 0)
        printf("device counters: mmio_bad %u, dma faults %u/%u, queue errors %u, resets %u\n",
               dev[DEV_CNT_MMIO_BAD], dev[DEV_CNT_DMA_RD_FAULTS], dev[DEV_CNT_DMA_WR_FAULTS],
               dev[DEV_CNT_QUEUE_ERRORS], dev[DEV_CNT_RESETS]);
    return 0;
}

static int cmd_raw_send(struct ctx *c, uint32_t n)
{
    uint8_t f[FRAME_MAX];

    for (uint32_t i = 0; i < n; i++) {
        size_t len = make_frame(i, f);

        if (send_frame(c, f, len, i)) {
            fprintf(stderr, "send %u: %s\n", i, toe_drv_error(c->d));
            return 1;
        }
    }
    if (wait_until(c, &c->done, n))
        return 1;
    printf("raw-send: %u frames sent, %u completed, %u with an error status\n", n, c->done, c->tx_err);
    return c->tx_err ? 1 : 0;
}

static int cmd_raw_recv(struct ctx *c, uint32_t n)
{
    if (wait_until(c, &c->got, n))
        return 1;
    printf("raw-recv: %u frames received, %u differ from what the seed gives\n", c->got, c->bad);
    return c->bad ? 1 : 0;
}

static void on_reset(void *arg, int why)
{
    (void)why;
    ((struct ctx *)arg)->resets++;
}

static int cmd_reset(struct ctx *c, uint32_t n)
{
    uint8_t f[FRAME_MAX];

    for (uint32_t i = 0; i < n; i++) {
        size_t len = make_frame(i, f);

        if (i == n / 2 && toe_drv_reset(c->d)) {
            fprintf(stderr, "reset: %s\n", toe_drv_error(c->d));
            return 1;
        }
        if (send_frame(c, f, len, i)) {
            fprintf(stderr, "send %u: %s\n", i, toe_drv_error(c->d));
            return 1;
        }
    }
    if (wait_until(c, &c->done, n))
        return 1;
    printf("reset: %u sends, %u completed (%u aborted by the reset), %u reset reported\n", n, c->done,
           c->aborted, c->resets);
    return c->resets == 1 && c->tx_err == 0 ? 0 : 1;
}

/* ---- traffic: A (the offloaded endpoint) and B (its peer, raw frames) ------------------ */

#define A_IP 0xc0000201u
#define B_IP 0xc0000202u
#define A_PORT 5001
#define B_PORT 40000
#define A_ISS 0x10000000u      /* A's first sequence number */
#define B_ISS 0xfffff000u      /* B's: wraps during the run */
#define TRAFFIC_MSS 1460
static const uint8_t a_mac[6] = {0x02, 0x54, 0x4f, 0x45, 0x00, 0x0a};
static const uint8_t b_mac[6] = {0x02, 0x54, 0x4f, 0x45, 0x00, 0x0b};

static uint8_t pattern_a(uint32_t seq) { return (uint8_t)(seq * 13u + 7u); }
static uint8_t pattern_b(uint32_t seq) { return (uint8_t)(seq * 29u + 3u); }

static void on_event_a(void *arg, const struct toe_rx_event *ev)
{
    struct ctx *c = arg;

    c->events++;
    if (ev->ev_type == RX_EV_DATA)
        c->data_bytes += ev->val;
}

static int cmd_traffic_a(struct ctx *c, uint32_t n)
{
    struct toe_conn_create cc;
    struct toe_dma rxring, txbuf;
    uint32_t seq = A_ISS, placed_checked = 0;
    int r;

    if (toe_drv_dma_alloc(c->d, 1u << 20, 64, &rxring) || toe_drv_dma_alloc(c->d, 65536, 64, &txbuf)) {
        fprintf(stderr, "no DMA memory\n");
        return 1;
    }
    memset(&cc, 0, sizeof(cc));
    cc.rx.rx.buf_base = rxring.bus;
    cc.rx.rx.buf_size_log2 = 20;
    cc.rx.rx.local_ip = A_IP;
    cc.rx.rx.remote_ip = B_IP;
    cc.rx.rx.local_port = A_PORT;
    cc.rx.rx.remote_port = B_PORT;
    memcpy(cc.rx.rx.src_mac, a_mac, 6);
    memcpy(cc.rx.rx.dst_mac, b_mac, 6);
    cc.rx.rx.ttl = 64;
    cc.rx.rx.mss = TRAFFIC_MSS;
    cc.rx.rx.rcv_nxt = cc.rx.rx.rcv_read = cc.rx.rx.buf_seq0 = cc.rx.rx.last_ack_sent = B_ISS;
    cc.rx.rx.rcv_adv = B_ISS + 65535;
    cc.rx.rx.snd_una = cc.rx.rx.snd_nxt = A_ISS;
    cc.rx.rx.snd_wnd = cc.rx.rx.max_snd_wnd = 1u << 20;
    cc.rx.rx.snd_wscale = 4;
    cc.rx.rx.flags = RX_FLAG_DF;
    memcpy(cc.tx.tx.dst_mac, b_mac, 6);
    memcpy(cc.tx.tx.src_mac, a_mac, 6);
    cc.tx.tx.flags = CTX_FLAG_DF;
    cc.tx.tx.ttl = 64;
    cc.tx.tx.src_ip = A_IP;
    cc.tx.tx.dst_ip = B_IP;
    cc.tx.tx.src_port = A_PORT;
    cc.tx.tx.dst_port = B_PORT;
    cc.tx.tx.rcv_nxt = B_ISS;
    cc.tx.tx.rcv_wnd = 65535;
    cc.tx.tx.mss = TRAFFIC_MSS;
    if ((r = toe_drv_conn_create(c->d, 1, &cc))) {
        fprintf(stderr, "CONN_CREATE: %s\n", r > 0 ? toe_admin_status_name((unsigned)r) : toe_drv_error(c->d));
        return 1;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct toe_tx_desc d;
        uint32_t len = 1 + (uint32_t)(rand64() % 65535);
        uint16_t ip_id = (uint16_t)(i * 64);

        for (uint32_t k = 0; k < len; k++)
            ((uint8_t *)txbuf.va)[k] = pattern_a(seq + k);
        memset(&d, 0, sizeof(d));
        d.buf_addr = txbuf.bus;
        d.len = len;
        d.seq = seq;
        d.conn_id = 1;
        d.op = TX_OP_TSO;
        d.tcp_flags = TCP_FLAG_ACK | TCP_FLAG_PSH;
        d.ip_id = ip_id;
        c->done = 0;
        if (toe_drv_tx_submit(c->d, &d, i) || wait_until(c, &c->done, 1)) {
            fprintf(stderr, "TSO send %u: %s\n", i, toe_drv_error(c->d));
            return 1;
        }
        if (c->tx_err) {
            fprintf(stderr, "TSO send %u completed with an error\n", i);
            return 1;
        }
        seq += len;
    }
    /* The hardware checks incoming ACKs against SND.NXT (RFC 5961 5.2): tell it
     * what was sent. */
    if ((r = toe_drv_conn_modify(c->d, 1, CONN_CMD_SND, seq, A_ISS, 1u << 20))) {
        fprintf(stderr, "CONN_MODIFY SND: %s\n", r > 0 ? toe_admin_status_name((unsigned)r) : toe_drv_error(c->d));
        return 1;
    }
    /* B's data: n segments of 1..1460 bytes, placed by the fast path; both
     * sides draw the same sizes from the seed, after those of A's sends. */
    {
        uint32_t want = 0, bseq = B_ISS;

        for (uint32_t i = 0; i < n; i++)
            want += 1 + (uint32_t)(rand64() % TRAFFIC_MSS);
        if (wait_until(c, &c->data_bytes, want))
            return 1;
        for (uint32_t k = 0; k < want; k++, bseq++) {
            uint8_t got = ((uint8_t *)rxring.va)[(bseq - B_ISS) & ((1u << 20) - 1)];

            if (got != pattern_b(bseq)) {
                fprintf(stderr, "placed byte %u (seq %u): 0x%02x, expected 0x%02x\n", k, bseq, got,
                        pattern_b(bseq));
                return 1;
            }
            placed_checked++;
        }
    }
    printf("traffic-a: %u TSO sends (%u bytes) completed; %u events, %u bytes placed and checked\n", n,
           seq - A_ISS, c->events, placed_checked);
    /* The connection stays while B waits for the ACKs of its data (a detach
     * resets the device, and the delayed ACK with it). */
    {
        uint64_t end = toe_drv_now_ns(c->d) + 100000000;

        while (toe_drv_now_ns(c->d) < end)
            if (toe_drv_wait(c->d, (int64_t)(end - toe_drv_now_ns(c->d))) < 0)
                return 1;
    }
    return 0;
}

static void on_frame_b(void *arg, const struct toe_drv_frame *fr)
{
    struct ctx *c = arg;
    struct toe_tcp t;
    size_t l4 = fr->l4_off, hl, plen;

    if (fr->reason != RX_EXC_NO_CONN || l4 < 34 || l4 + 20 > fr->len ||
        !(hl = toe_tcp_parse(fr->data + l4, fr->len - l4, &t))) {
        c->bad++;
        return;
    }
    plen = toe_get16(fr->data + 16) - (l4 - 14) - hl;
    if (plen == 0) {
        c->acks_seen++;
        c->b_acked = t.ack;
        return;
    }
    if (t.seq != c->b_next_seq) {
        fprintf(stderr, "B: segment seq %u, expected %u\n", t.seq, c->b_next_seq);
        c->bad++;
    }
    for (size_t k = 0; k < plen; k++)
        if (fr->data[l4 + hl + k] != pattern_a(t.seq + (uint32_t)k)) {
            c->bad++;
            break;
        }
    c->b_next_seq = t.seq + (uint32_t)plen;
    c->b_payload += plen;
    c->segs++;
}

static int cmd_traffic_b(struct ctx *c, uint32_t n)
{
    uint8_t f[FRAME_MAX];
    uint64_t want = 0;
    uint32_t bseq = B_ISS;

    c->b_next_seq = A_ISS;
    for (uint32_t i = 0; i < n; i++)
        want += 1 + (rand64() % 65535);
    while (c->b_payload < want) {
        uint64_t end = toe_drv_now_ns(c->d) + c->timeout_ns;

        if (toe_drv_wait(c->d, (int64_t)c->timeout_ns) < 0 || toe_drv_now_ns(c->d) >= end) {
            fprintf(stderr, "B: %" PRIu64 " of %" PRIu64 " bytes of A's sends\n", c->b_payload, want);
            return 1;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = 1 + (uint32_t)(rand64() % TRAFFIC_MSS);
        struct toe_eth e = {.type = TOE_ETHERTYPE_IPV4};
        struct toe_tcp t = {.sport = B_PORT, .dport = A_PORT, .seq = bseq, .ack = c->b_next_seq,
                            .flags = TCP_FLAG_ACK, .win = 65535};
        struct toe_ipv4 ip = {.tot_len = (uint16_t)(40 + len), .id = (uint16_t)i, .frag = TOE_IPV4_DF,
                              .ttl = 64, .proto = TOE_IPPROTO_TCP, .src = B_IP, .dst = A_IP};
        size_t l2;

        memcpy(e.dst, a_mac, 6);
        memcpy(e.src, b_mac, 6);
        l2 = toe_eth_build(f, &e);
        toe_tcp_build(f + l2 + 20, &t, NULL, 0);
        for (uint32_t k = 0; k < len; k++)
            f[l2 + 40 + k] = pattern_b(bseq + k);
        toe_tcp_csum_fill(B_IP, A_IP, f + l2 + 20, 20 + len);
        toe_ipv4_build(f + l2, &ip);
        if (send_frame(c, f, l2 + 40 + len, i)) {
            fprintf(stderr, "B: send %u: %s\n", i, toe_drv_error(c->d));
            return 1;
        }
        bseq += len;
    }
    if (wait_until(c, &c->done, n))
        return 1;
    /* A's fast path acknowledges all of it: at least every second full-sized
     * segment, the rest by its delayed-ACK timer (40 ms by default; RFC 1122
     * 4.2.3.2). Wait for the ACK of the last byte, at most 100 ms. */
    {
        uint64_t end = toe_drv_now_ns(c->d) + 100000000;

        while (c->b_acked != bseq && toe_drv_now_ns(c->d) < end)
            if (toe_drv_wait(c->d, (int64_t)(end - toe_drv_now_ns(c->d))) < 0)
                return 1;
    }
    printf("traffic-b: %u segments of A's (%" PRIu64 " bytes) checked, %u bad; %u data segments sent; "
           "%u pure ACKs from A, the last acknowledging %u of %u\n", c->segs, c->b_payload, c->bad, n,
           c->acks_seen, c->b_acked - B_ISS, bseq - B_ISS);
    return c->bad || c->b_acked != bseq ? 1 : 0;
}

/* ---- responder (A) and ping (B) ---- */

/* A: what the device hands up that is not TCP - ARP and ICMP - answered by the
 * driver's net logic (driver/net), as a host stack would. */
static void on_frame_responder(void *arg, const struct toe_drv_frame *fr)
{
    struct ctx *c = arg;
    struct toe_arp_out out;
    uint8_t reply[FRAME_MAX + 4];
    size_t n;

    if (fr->len >= 14 && toe_get16(fr->data + 12) == TOE_ETHERTYPE_ARP) {
        toe_arp_input(&c->arp, fr->data, fr->len, toe_drv_now_ns(c->d), &out);
        if (out.len && send_frame(c, out.frame, out.len, 0))
            c->bad++;
        return;
    }
    if (toe_icmp_echo(fr->data, fr->len, a_mac, A_IP, c->ip_id, NULL, reply, sizeof(reply), &n, &c->icmp) ==
        TOE_ICMP_REPLY) {
        c->ip_id++;
        if (send_frame(c, reply, n, 0))
            c->bad++;
    }
}

/* B: ARP replies from A, and echo replies, each checked against its request. */
static void on_frame_ping(void *arg, const struct toe_drv_frame *fr)
{
    struct ctx *c = arg;
    struct toe_arp_pkt p;
    struct toe_ipv4 ip;
    const uint8_t *m;

    if (toe_arp_parse(fr->data, fr->len, &p) == TOE_ARP_OK) {
        if (p.op == TOE_ARP_OP_REPLY && p.spa == A_IP && p.tpa == B_IP) {
            memcpy(c->peer_mac, p.sha, 6);
            c->arp_replies++;
        }
        return;
    }
    if (fr->len < 42 || toe_get16(fr->data + 12) != TOE_ETHERTYPE_IPV4 ||
        toe_ipv4_verify(fr->data + 14, fr->len - 14) != TOE_IPV4_OK)
        return;
    toe_ipv4_parse(fr->data + 14, &ip);
    m = fr->data + 14 + (fr->data[14] & 15) * 4;
    if (ip.proto != TOE_IPPROTO_ICMP || m[0] != TOE_ICMP_ECHO_REPLY)
        return;
    /* RFC 792: the data, identifier and sequence number of the request, back */
    if (ip.src != A_IP || ip.dst != B_IP || ip.tot_len != 20 + 8 + c->echo_len ||
        toe_csum(m, 8 + c->echo_len) != 0 || toe_get16(m + 4) != 0x7e7e ||
        toe_get16(m + 6) != c->echo_want_seq || memcmp(m + 8, c->echo_data, c->echo_len))
        c->echo_bad++;
    c->echo_replies++;
}

static int cmd_ping(struct ctx *c, uint32_t n)
{
    uint8_t f[FRAME_MAX];
    uint64_t t0;

    /* Who has 192.0.2.1? */
    toe_arp_build_request(f, b_mac, B_IP, A_IP);
    t0 = toe_drv_now_ns(c->d);
    if (send_frame(c, f, TOE_ARP_FRAME_LEN, 0) || wait_until(c, &c->arp_replies, 1))
        return 1;
    printf("ARP: 192.0.2.1 is at %02x:%02x:%02x:%02x:%02x:%02x (%.3f us)\n", c->peer_mac[0], c->peer_mac[1],
           c->peer_mac[2], c->peer_mac[3], c->peer_mac[4], c->peer_mac[5],
           (double)(toe_drv_now_ns(c->d) - t0) / 1000.0);
    if (memcmp(c->peer_mac, a_mac, 6))
        return 1;
    for (uint32_t i = 1; i <= n; i++) {
        struct toe_eth e = {.type = TOE_ETHERTYPE_IPV4};
        struct toe_ipv4 ip = {.tot_len = 0, .id = (uint16_t)i, .frag = TOE_IPV4_DF, .ttl = 64,
                              .proto = TOE_IPPROTO_ICMP, .src = B_IP, .dst = A_IP};
        uint8_t *m = f + 34;
        uint32_t before = c->echo_replies;

        c->echo_len = (uint32_t)(rand64() % 1473);   /* ping -s 0..1472: up to a 1514-byte frame */
        for (uint32_t k = 0; k < c->echo_len; k++)
            c->echo_data[k] = (uint8_t)rand64();
        ip.tot_len = (uint16_t)(20 + 8 + c->echo_len);
        memcpy(e.dst, c->peer_mac, 6);
        memcpy(e.src, b_mac, 6);
        toe_eth_build(f, &e);
        toe_ipv4_build(f + 14, &ip);
        m[0] = TOE_ICMP_ECHO_REQUEST;
        m[1] = 0;
        toe_put16(m + 2, 0);
        toe_put16(m + 4, 0x7e7e);
        toe_put16(m + 6, (uint16_t)i);
        memcpy(m + 8, c->echo_data, c->echo_len);
        toe_put16(m + 2, toe_csum(m, 8 + c->echo_len));
        c->echo_want_seq = i;
        t0 = toe_drv_now_ns(c->d);
        if (send_frame(c, f, 34 + 8 + c->echo_len < 60 ? 60 : 34 + 8 + c->echo_len, i) ||
            wait_until(c, &c->echo_replies, before + 1))
            return 1;
        printf("%u bytes from 192.0.2.1: icmp_seq=%u ttl=64 time=%.3f us\n", 8 + c->echo_len, i,
               (double)(toe_drv_now_ns(c->d) - t0) / 1000.0);
    }
    printf("ping: %u transmitted, %u received, %u bad\n", n, c->echo_replies, c->echo_bad);
    return c->echo_replies == n && c->echo_bad == 0 ? 0 : 1;
}

/* One admin command that must complete with status want (docs/device.md, the admin
 * queue): a refusal, never a hang. */
static int admin_expect(struct ctx *c, const char *what, struct toe_admin_cmd *cmd, unsigned want)
{
    struct toe_admin_cpl cpl;
    int r = toe_drv_admin(c->d, cmd, &cpl);

    if (r < 0) {
        fprintf(stderr, "bad-input: %s: %s\n", what, toe_drv_error(c->d));
        return 1;
    }
    printf("bad-input: admin %-34s -> %s\n", what, toe_admin_status_name(cpl.status));
    if (cpl.status != want) {
        fprintf(stderr, "bad-input: %s completed %s, expected %s\n", what,
                toe_admin_status_name(cpl.status), toe_admin_status_name(want));
        return 1;
    }
    return 0;
}

/* Malformed TX descriptors and admin commands each get their exact error completion;
 * the device goes on: a good send after them completes and its frame leaves. */
static int cmd_bad_input(struct ctx *c)
{
    struct toe_dma buf;
    struct toe_admin_cmd a;
    static const struct {
        const char *what;
        uint8_t op;
        uint32_t len;
        int outside;     /* buffer outside the DMA window */
        uint8_t csum, l3, l4;
        uint16_t conn;
        int want;
    } tx[] = {
        /* refused by the driver (want -1): API misuse, never posted */
        {"unknown op 7", 7, 60, 0, 0, 0, 0, 0, -1},
        {"buffer outside the DMA memory", TX_OP_RAW, 60, 1, 0, 0, 0, 0, -1},
        {"TSO on conn_id 0xffff", TX_OP_TSO, 100, 0, 0, 0, 0, 0xffff, -1},
        /* posted: the device completes them with an error */
        {"raw frame of 5 bytes", TX_OP_RAW, 5, 0, 0, 0, 0, 0, TX_STATUS_ERR_LEN},
        {"raw with TCP and UDP checksums", TX_OP_RAW, 60, 0, CSUM_FLAG_TCP | CSUM_FLAG_UDP, 14, 34, 0,
         TX_STATUS_ERR_FLAGS},
        {"raw with an odd L3 offset", TX_OP_RAW, 60, 0, CSUM_FLAG_IP, 15, 35, 0, TX_STATUS_ERR_OFFSETS},
        {"TSO on a connection never created", TX_OP_TSO, 100, 0, 0, 0, 0, 3, TX_STATUS_ERR_CONN},
        {"a good raw frame after them", TX_OP_RAW, 60, 0, 0, 0, 0, 0, TX_STATUS_OK},
    };
    const uint32_t ntx = sizeof(tx) / sizeof(tx[0]);
    uint32_t dev0[DEV_CNT_NUM], dev1[DEV_CNT_NUM], posted = 0;
    int bad = 0;

    if (toe_drv_dma_alloc(c->d, 4096, 64, &buf) || toe_drv_dev_counters(c->d, dev0)) {
        fprintf(stderr, "bad-input: %s\n", toe_drv_error(c->d));
        return 1;
    }
    memset(buf.va, 0xff, 64);
    for (uint32_t i = 0; i < ntx; i++) {
        struct toe_tx_desc d;

        memset(&d, 0, sizeof(d));
        d.buf_addr = tx[i].outside ? buf.bus + (1ull << 40) : buf.bus;
        d.len = tx[i].len;
        d.op = tx[i].op;
        d.tag = (uint16_t)i;
        d.conn_id = tx[i].conn;
        d.csum_flags = tx[i].csum;
        d.l3_off = tx[i].l3;
        d.l4_off = tx[i].l4;
        d.tcp_flags = TCP_FLAG_ACK;
        c->status_of[i] = -1;
        if (toe_drv_tx_submit(c->d, &d, i)) {
            printf("bad-input: TX    %-34s -> refused by the driver: %s\n", tx[i].what,
                   toe_drv_error(c->d));
            bad += tx[i].want != -1;
            continue;
        }
        bad += tx[i].want == -1;
        posted++;
    }
    if (wait_until(c, &c->done, posted))
        return 1;
    for (uint32_t i = 0; i < ntx; i++) {
        if (tx[i].want == -1)
            continue;
        printf("bad-input: TX    %-34s -> status %d\n", tx[i].what, c->status_of[i]);
        if (c->status_of[i] != tx[i].want) {
            fprintf(stderr, "bad-input: %s completed %d, expected %d\n", tx[i].what, c->status_of[i],
                    tx[i].want);
            bad++;
        }
    }
    memset(&a, 0, sizeof(a));
    a.opcode = 99;
    bad += admin_expect(c, "opcode 99", &a, ADMIN_STATUS_BAD_OPCODE);
    memset(&a, 0, sizeof(a));
    a.opcode = ADMIN_OP_CONN_DESTROY;
    a.conn_id = 0xffff;
    bad += admin_expect(c, "CONN_DESTROY conn_id 0xffff", &a, ADMIN_STATUS_BAD_CONN);
    memset(&a, 0, sizeof(a));
    a.opcode = ADMIN_OP_IDENTIFY;
    a.addr = buf.bus;
    a.len = 16;
    bad += admin_expect(c, "IDENTIFY into 16 bytes", &a, ADMIN_STATUS_BUF_SMALL);
    memset(&a, 0, sizeof(a));
    a.opcode = ADMIN_OP_IDENTIFY;
    a.addr = buf.bus + (1ull << 40);
    a.len = 64;
    bad += admin_expect(c, "IDENTIFY outside host memory", &a, ADMIN_STATUS_DMA_FAULT);
    memset(&a, 0, sizeof(a));
    a.opcode = ADMIN_OP_SET_IPV4;
    a.arg0 = 0xC0000201u;
    a.arg1 = 33;
    bad += admin_expect(c, "SET_IPV4 prefix 33", &a, ADMIN_STATUS_BAD_FIELD);
    memset(&a, 0, sizeof(a));
    a.opcode = ADMIN_OP_IDENTIFY;
    a.flags = 1;
    a.addr = buf.bus;
    a.len = 64;
    bad += admin_expect(c, "IDENTIFY with reserved flags", &a, ADMIN_STATUS_BAD_FIELD);
    memset(&a, 0, sizeof(a));
    a.opcode = ADMIN_OP_CONN_READ;
    a.conn_id = 5;
    a.addr = buf.bus;
    a.len = 4096;
    bad += admin_expect(c, "CONN_READ of a free entry", &a, ADMIN_STATUS_NO_TX_CTX);
    if (toe_drv_dev_counters(c->d, dev1))
        return 1;
    printf("bad-input: device counters: tx descs +%u, bad conn +%u, dma write faults +%u, queue errors +%u\n",
           dev1[DEV_CNT_TX_DESCS] - dev0[DEV_CNT_TX_DESCS], dev1[DEV_CNT_TX_BAD_CONN] - dev0[DEV_CNT_TX_BAD_CONN],
           dev1[DEV_CNT_DMA_WR_FAULTS] - dev0[DEV_CNT_DMA_WR_FAULTS],
           dev1[DEV_CNT_QUEUE_ERRORS] - dev0[DEV_CNT_QUEUE_ERRORS]);
    /* Every posted descriptor taken, one without a connection, the IDENTIFY written
     * outside host memory refused by the bounds check, and no ring stopped. */
    if (dev1[DEV_CNT_TX_DESCS] - dev0[DEV_CNT_TX_DESCS] != posted ||
        dev1[DEV_CNT_TX_BAD_CONN] - dev0[DEV_CNT_TX_BAD_CONN] != 1 ||
        dev1[DEV_CNT_DMA_WR_FAULTS] - dev0[DEV_CNT_DMA_WR_FAULTS] != 1 ||
        dev1[DEV_CNT_QUEUE_ERRORS] != dev0[DEV_CNT_QUEUE_ERRORS])
        bad++;
    printf("bad-input: %d unexpected results\n", bad);
    return bad ? 1 : 0;
}

/* --local: the frames the in-process device sends, into --pcap's file. */
static void local_frame_out(void *arg, const uint8_t *frame, size_t len, uint64_t t_ns)
{
    if (arg)
        toe_pcap_write(arg, t_ns, frame, len);
}

static int parse_time_ns(const char *s, uint64_t *ns)
{
    char *end;
    double v = strtod(s, &end);

    if (end == s || v < 0)
        return -1;
    if (!strcmp(end, "s")) v *= 1e9;
    else if (!strcmp(end, "ms")) v *= 1e6;
    else if (!strcmp(end, "us")) v *= 1e3;
    else if (strcmp(end, "ns")) return -1;
    *ns = (uint64_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *pci_dir = getenv("TOE_PCI_DIR"), *cmd = NULL, *local = NULL, *pcap_path = NULL;
    struct toe_pcap *pcap = NULL;
    struct toe_drv_opts o;
    struct ctx c;
    uint64_t seed = 1, hold_ns = 0;
    uint32_t n = 0;
    int info_first = 0;
    char err[512];
    int r;

    memset(&c, 0, sizeof(c));
    memset(&o, 0, sizeof(o));
    c.timeout_ns = 10000000000ull;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pci-dir") && i + 1 < argc) pci_dir = argv[++i];
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--polled")) o.polled = 1;
        else if (!strcmp(argv[i], "--info")) info_first = 1;
        else if (!strcmp(argv[i], "--local") && i + 1 < argc) local = argv[++i];
        else if (!strcmp(argv[i], "--pcap") && i + 1 < argc) pcap_path = argv[++i];
        else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            if (parse_time_ns(argv[++i], &c.timeout_ns)) { fprintf(stderr, "bad --timeout\n"); return 2; }
        } else if (!cmd) cmd = argv[i];
        else if (!strcmp(cmd, "hold") || !strcmp(cmd, "responder")) {
            if (parse_time_ns(argv[i], &hold_ns)) { fprintf(stderr, "bad time\n"); return 2; }
        } else n = (uint32_t)strtoul(argv[i], NULL, 0);
    }
    if (!cmd || (!pci_dir && !local)) {
        fprintf(stderr, "usage: toe-devtest [--pci-dir DIR | --local model|rtl [--pcap FILE]] [--seed S] "
                        "[--polled] [--info] [--timeout T] "
                        "info|raw-send N|raw-recv N|reset N|traffic-a N|traffic-b N|bad-input|responder T|ping N|hold T\n");
        return 2;
    }
    rng = seed;
    printf("toe-devtest %s: seed %" PRIu64 "\n", cmd, seed);
    fflush(stdout);
    o.cb_arg = &c;
    o.on_tx_done = on_tx_done;
    o.on_reset = on_reset;
    if (!strcmp(cmd, "raw-recv"))
        o.on_frame = on_frame_raw;
    if (!strcmp(cmd, "traffic-a"))
        o.on_event = on_event_a;
    if (!strcmp(cmd, "traffic-b"))
        o.on_frame = on_frame_b;
    if (!strcmp(cmd, "responder"))
        o.on_frame = on_frame_responder;
    if (!strcmp(cmd, "ping"))
        o.on_frame = on_frame_ping;
    toe_arp_init(&c.arp, c.arp_e, sizeof(c.arp_e) / sizeof(c.arp_e[0]), a_mac, A_IP);
    if (local) {
        struct toe_plat_local_opts po = {.backend = local, .frame_out = local_frame_out};
        struct toe_plat *p;

        if (pcap_path && !(pcap = toe_pcap_open(pcap_path)))
            return 1;
        po.arg = pcap;
        p = toe_plat_local_open(&po, err, sizeof(err));
        c.d = p ? toe_drv_attach_plat(p, NULL, &o, err, sizeof(err)) : NULL;
    } else {
        c.d = toe_drv_attach(pci_dir, &o, err, sizeof(err));
    }
    if (!c.d) {
        fprintf(stderr, "toe-devtest: %s\n", err);
        return 1;
    }
    if (info_first && strcmp(cmd, "info") && cmd_info(&c))
        r = 1;
    else if (!strcmp(cmd, "info")) r = cmd_info(&c);
    else if (!strcmp(cmd, "raw-send")) r = cmd_raw_send(&c, n);
    else if (!strcmp(cmd, "raw-recv")) r = cmd_raw_recv(&c, n);
    else if (!strcmp(cmd, "reset")) r = cmd_reset(&c, n);
    else if (!strcmp(cmd, "traffic-a")) r = cmd_traffic_a(&c, n);
    else if (!strcmp(cmd, "traffic-b")) r = cmd_traffic_b(&c, n);
    else if (!strcmp(cmd, "bad-input")) r = cmd_bad_input(&c);
    else if (!strcmp(cmd, "ping")) r = cmd_ping(&c, n);
    else if (!strcmp(cmd, "hold") || !strcmp(cmd, "responder")) {
        uint64_t end = toe_drv_now_ns(c.d) + hold_ns;

        while (toe_drv_now_ns(c.d) < end && toe_drv_wait(c.d, (int64_t)(end - toe_drv_now_ns(c.d))) >= 0)
            ;
        r = 0;
        if (!strcmp(cmd, "responder")) {
            printf("responder: %" PRIu64 " ARP requests, %" PRIu64 " replies; ICMP: %" PRIu64 " echo requests, %"
                   PRIu64 " replies, %" PRIu64 " checksum errors\n", c.arp.st.requests_in, c.arp.st.replies_out,
                   c.icmp.in_echos, c.icmp.out_echo_reps, c.icmp.in_csum_errors);
            r = c.bad ? 1 : 0;
        }
    } else {
        fprintf(stderr, "toe-devtest: unknown command %s\n", cmd);
        r = 2;
    }
    if (toe_drv_gone(c.d)) {
        fprintf(stderr, "toe-devtest: device gone: %s\n", toe_drv_error(c.d));
        r = r ? r : 1;
    }
    toe_drv_detach(c.d);
    toe_pcap_close(pcap);
    return r;
}
