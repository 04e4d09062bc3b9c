/*
 * The in-process platform (sim/local/toe_plat_local.h): the driver core over
 * the device model and over the Verilated RTL, with the firmware, in one
 * process and virtual time.
 *
 * Checked, for each backend: attach and IDENTIFY's exact identity; raw sends
 * out of the port byte for byte, later than the send; frames given to the port
 * (ARP, a SYN to no connection) handed up whole with their exception reason,
 * not before their time, and in time order when queued out of it; an idle one-second wait costing exactly one second of
 * virtual time, and a wait without a timer on a quiescent device costing none;
 * the same script twice giving the same times and bytes; a DMA write outside
 * the DMA memory refused by the platform's bounds check (and counted by the
 * device); CONN_CREATE, data placed by the fast path, CONN_DESTROY. On the
 * model also: a reset while running, a polled driver, and the port looped back
 * from inside frame_out. The RTL cases are kept small: it is slow.
 *
 * "model" as the only argument runs the model's cases alone, as the ASan build
 * (-DTEST_MODEL_ONLY) always does: the RTL library is not instrumented.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_seed.h"
#include "toe_dev.h"
#include "toe_dev_drv.h"
#include "toe_formats.h"
#include "toe_fw.h"
#include "toe_pkt.h"
#include "toe_plat_local.h"

#define MAX_REC 64
#define CONN_MAX 64u /* a size the RTL is built for (mk/dev-rtl.mk DEV_RTL_SIZES) */

/* The device is A; the wire's far end is B. */
static const uint8_t a_mac[6] = {0x02, 0x54, 0x4f, 0x45, 0x00, 0x0a};
static const uint8_t b_mac[6] = {0x02, 0x54, 0x4f, 0x45, 0x00, 0x0b};
#define A_IP 0x0a000001u
#define B_IP 0x0a000002u
#define A_PORT 5001
#define B_PORT 40000
#define A_ISS 1000000u
#define B_ISS 7000000u

struct rec {
    uint8_t data[2048];
    size_t len;
    uint64_t t_ns;
    uint8_t reason, l3_off, l4_off;
};

struct fx {
    const char *backend;
    struct toe_plat *p;
    struct toe_drv *d;
    struct rec out[MAX_REC];   /* frames out of the port */
    unsigned n_out;
    struct rec up[MAX_REC];    /* frames handed up to the driver */
    unsigned n_up;
    unsigned tx_ok, tx_bad, data_events;
    uint64_t loop_ns;          /* nonzero: frames out come back in this much later (a cable to itself) */
    uint32_t data_bytes;
};

static void rec_out(void *arg, const uint8_t *frame, size_t len, uint64_t t_ns)
{
    struct fx *f = arg;
    struct rec *r;

    assert_true(f->n_out < MAX_REC && len <= sizeof(r->data));
    r = &f->out[f->n_out++];
    memcpy(r->data, frame, len);
    r->len = len;
    r->t_ns = t_ns;
    if (f->loop_ns)
        assert_int_equal(toe_plat_local_frame_in(f->p, frame, len, t_ns + f->loop_ns), 0);
}

static void rec_up(void *arg, const struct toe_drv_frame *fr)
{
    struct fx *f = arg;
    struct rec *r;

    assert_true(f->n_up < MAX_REC && fr->len <= sizeof(r->data));
    r = &f->up[f->n_up++];
    memcpy(r->data, fr->data, fr->len);
    r->len = fr->len;
    r->t_ns = toe_plat_now_ns(f->p);
    r->reason = fr->reason;
    r->l3_off = fr->l3_off;
    r->l4_off = fr->l4_off;
}

static void on_tx_done(void *arg, uint64_t cookie, int status)
{
    struct fx *f = arg;

    (void)cookie;
    if (status == TX_STATUS_OK)
        f->tx_ok++;
    else
        f->tx_bad++;
}

static void on_event(void *arg, const struct toe_rx_event *ev)
{
    struct fx *f = arg;

    if (ev->ev_type == RX_EV_DATA) {
        f->data_events++;
        f->data_bytes += ev->val;
    }
}

static struct fx *fx_open(const char *backend)
{
    struct toe_plat_local_opts po = {.backend = backend, .conn_max = CONN_MAX, .dma_size = 8u << 20,
                                     .frame_out = rec_out};
    struct toe_drv_opts o = {0};
    struct fx *f = calloc(1, sizeof(*f));
    char err[256] = "";

    assert_non_null(f);
    f->backend = backend;
    po.arg = f;
    f->p = toe_plat_local_open(&po, err, sizeof(err));
    if (!f->p)
        fail_msg("toe_plat_local_open(%s): %s", backend, err);
    assert_int_equal(f->p->time_mode, TIME_MODE_VIRTUAL);
    assert_int_equal(f->p->bar0_size, BAR0_SIZE);
    o.on_frame = rec_up;
    o.on_tx_done = on_tx_done;
    o.on_event = on_event;
    o.cb_arg = f;
    f->d = toe_drv_attach_plat(f->p, NULL, &o, err, sizeof(err));
    if (!f->d)
        fail_msg("attach over the local %s platform: %s", backend, err);
    return f;
}

static void fx_close(struct fx *f)
{
    toe_drv_detach(f->d); /* closes the platform */
    free(f);
}

static uint64_t now_ns(struct fx *f) { return toe_drv_now_ns(f->d); }

/* Waits (virtual time) until *counter reaches want, at most limit_ns. */
static void wait_for(struct fx *f, const unsigned *counter, unsigned want, uint64_t limit_ns)
{
    const uint64_t end = now_ns(f) + limit_ns;

    while (*counter < want && now_ns(f) < end)
        assert_true(toe_drv_wait(f->d, (int64_t)(end - now_ns(f))) >= 0);
    assert_int_equal(*counter, want);
}

/* An Ethernet + IPv4 + TCP frame from B to A, payload plen bytes of pattern
 * seed, zero-padded to 60 bytes as the wire has it. Returns its length. */
static size_t tcp_frame(uint8_t *buf, uint8_t flags, uint32_t seq, uint32_t ack, size_t plen, uint8_t seed)
{
    struct toe_eth e = {.type = TOE_ETHERTYPE_IPV4};
    struct toe_tcp t = {.sport = B_PORT, .dport = A_PORT, .seq = seq, .ack = ack, .flags = flags, .win = 65535};
    struct toe_ipv4 ip = {.tot_len = (uint16_t)(40 + plen), .id = 1, .frag = TOE_IPV4_DF, .ttl = 64,
                          .proto = TOE_IPPROTO_TCP, .src = B_IP, .dst = A_IP};
    size_t l2, len;

    memset(buf, 0, 60);
    memcpy(e.dst, a_mac, 6);
    memcpy(e.src, b_mac, 6);
    l2 = toe_eth_build(buf, &e);
    toe_tcp_build(buf + l2 + 20, &t, NULL, 0);
    for (size_t k = 0; k < plen; k++)
        buf[l2 + 40 + k] = (uint8_t)(seed + 7 * k);
    toe_tcp_csum_fill(B_IP, A_IP, buf + l2 + 20, 20 + plen);
    toe_ipv4_build(buf + l2, &ip);
    len = l2 + 40 + plen;
    return len < 60 ? 60 : len;
}

/* An ARP request from B for A's address (60 bytes with the padding). */
static size_t arp_frame(uint8_t *buf)
{
    static const uint8_t hdr[8] = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01};

    memset(buf, 0, 60);
    memset(buf, 0xff, 6);
    memcpy(buf + 6, b_mac, 6);
    buf[12] = 0x08;
    buf[13] = 0x06;
    memcpy(buf + 14, hdr, 8);
    memcpy(buf + 22, b_mac, 6);
    toe_put32(buf + 28, B_IP);
    toe_put32(buf + 38, A_IP);
    return 60;
}

/* ---- 1. attach and identity --------------------------------------------------------- */

static void test_identify(void **state)
{
    struct fx *f = fx_open(*state);
    struct toe_admin_identify id;

    assert_string_equal(f->p->ops->name, "local");
    assert_int_equal(toe_drv_identify(f->d, &id), 0);
    assert_int_equal(id.if_version, (IF_VERSION_MAJOR << 16) | IF_VERSION_MINOR);
    assert_int_equal(id.fw_version, TOE_FW_VERSION);
    assert_int_equal(id.conn_max, CONN_MAX);
    assert_int_equal(toe_drv_conn_max(f->d), CONN_MAX);
    assert_int_equal(id.msix_vectors, MSIX_VECTORS);
    assert_int_equal(id.queues, DEV_QUEUES);
    assert_int_equal(id.clk_mhz, DEV_CLK_MHZ);
    assert_int_equal(id.width_bytes, DEV_WIDTH_BITS / 8);
    assert_int_equal(toe_rd32(f->p, REG_ID), DEV_ID_MAGIC);
    assert_int_equal(toe_rd32(f->p, REG_TIME_MODE), TIME_MODE_VIRTUAL);
    /* Interrupts, not polling: IDENTIFY's completion came as vector 0. */
    assert_true(toe_plat_local_stats(f->p)->msix > 0);
    assert_true(toe_drv_stats(f->d)->irqs > 0);
    assert_true(toe_plat_local_stats(f->p)->fw_services > 0);
    assert_string_equal(toe_plat_local_dev(f->p)->ops->name, f->backend);
    print_message("%s: attached and identified at %llu ns: %llu reads, %llu writes, %llu MSI-X, firmware ran %llu times\n",
                  f->backend, (unsigned long long)now_ns(f),
                  (unsigned long long)toe_plat_local_stats(f->p)->reads,
                  (unsigned long long)toe_plat_local_stats(f->p)->writes,
                  (unsigned long long)toe_plat_local_stats(f->p)->msix,
                  (unsigned long long)toe_plat_local_stats(f->p)->fw_services);
    fx_close(f);
}

/* ---- 2. raw sends out of the port ---------------------------------------------------- */

static void send_and_check(struct fx *f, size_t len, uint8_t seed)
{
    uint8_t fr[1514];
    const unsigned n0 = f->n_out, ok0 = f->tx_ok;
    uint64_t t0;

    for (size_t k = 0; k < len; k++)
        fr[k] = (uint8_t)(seed * 31 + k * 13);
    memcpy(fr, b_mac, 6);
    memcpy(fr + 6, a_mac, 6);
    fr[12] = 0x88; /* IEEE local experimental ethertype */
    fr[13] = 0xb5;
    t0 = now_ns(f);
    assert_int_equal(toe_drv_send_raw(f->d, fr, len, NULL, seed), 0);
    wait_for(f, &f->n_out, n0 + 1, 1000000);
    wait_for(f, &f->tx_ok, ok0 + 1, 1000000);
    assert_int_equal(f->out[n0].len, len);
    assert_memory_equal(f->out[n0].data, fr, len);
    assert_true(f->out[n0].t_ns > 0);
    assert_true(f->out[n0].t_ns > t0);
    assert_true(f->out[n0].t_ns <= now_ns(f));
    assert_int_equal(f->tx_bad, 0);
    print_message("%s: %zu bytes sent at %llu ns, out at %llu ns\n", f->backend, len, (unsigned long long)t0,
                  (unsigned long long)f->out[n0].t_ns);
}

static void test_send_raw(void **state)
{
    struct fx *f = fx_open(*state);
    const int rtl = !strcmp(f->backend, "rtl");

    send_and_check(f, 60, 1);
    send_and_check(f, 1514, 2);
    if (!rtl)
        for (int i = 0; i < 8; i++)
            send_and_check(f, 60 + test_rand_below(1514 - 60 + 1), (uint8_t)(3 + i));
    assert_int_equal(toe_plat_local_stats(f->p)->frames_out, f->n_out);
    fx_close(f);
}

/* ---- 3. frames into the port ----------------------------------------------------------- */

static void frame_in_check(struct fx *f, const uint8_t *fr, size_t len, uint8_t reason, uint8_t l3, uint8_t l4)
{
    const unsigned n0 = f->n_up;
    const uint64_t at = now_ns(f) + 5000;

    assert_int_equal(toe_plat_local_frame_in(f->p, fr, len, at), 0);
    wait_for(f, &f->n_up, n0 + 1, 1000000);
    assert_int_equal(f->up[n0].reason, reason);
    assert_int_equal(f->up[n0].len, len);
    assert_memory_equal(f->up[n0].data, fr, len);
    assert_int_equal(f->up[n0].l3_off, l3);
    assert_int_equal(f->up[n0].l4_off, l4);
    assert_true(f->up[n0].t_ns >= at);
    print_message("%s: %zu-byte frame in at %llu ns, handed up (reason %u) at %llu ns\n", f->backend, len,
                  (unsigned long long)at, reason, (unsigned long long)f->up[n0].t_ns);
}

static void test_frame_in(void **state)
{
    struct fx *f = fx_open(*state);
    uint8_t fr[1514];
    size_t len;

    len = arp_frame(fr);
    frame_in_check(f, fr, len, RX_EXC_NOT_IPV4, 0, 0);
    len = tcp_frame(fr, TCP_FLAG_SYN, B_ISS, 0, 0, 0);
    assert_int_equal(len, 60);
    frame_in_check(f, fr, len, RX_EXC_NO_CONN, 14, 34);
    assert_int_equal(toe_plat_local_stats(f->p)->frames_in, 2);
    /* Queued out of order: they go in in time order, those of one time in call
     * order (SYN, then ARP, at the later time). */
    {
        const uint64_t t = now_ns(f);
        uint8_t arp[60];

        arp_frame(arp);
        assert_int_equal(toe_plat_local_frame_in(f->p, fr, len, t + 20000), 0);
        assert_int_equal(toe_plat_local_frame_in(f->p, arp, 60, t + 20000), 0);
        assert_int_equal(toe_plat_local_frame_in(f->p, fr, len, t + 10000), 0);
        wait_for(f, &f->n_up, 5, 1000000);
        assert_int_equal(f->up[2].reason, RX_EXC_NO_CONN);
        assert_true(f->up[2].t_ns >= t + 10000 && f->up[2].t_ns < t + 20000);
        assert_int_equal(f->up[3].reason, RX_EXC_NO_CONN);
        assert_int_equal(f->up[4].reason, RX_EXC_NOT_IPV4);
        assert_true(f->up[3].t_ns >= t + 20000 && f->up[4].t_ns >= f->up[3].t_ns);
    }
    fx_close(f);
}

/* ---- 4. idle time ------------------------------------------------------------------------ */

static void test_idle_wait(void **state)
{
    struct fx *f = fx_open(*state);
    uint64_t t0 = now_ns(f);

    assert_int_equal(toe_drv_wait(f->d, 1000000000), 0);
    assert_int_equal(now_ns(f) - t0, 1000000000ull);
    /* No timer, nothing to do ever again: back at once, the clock where it was. */
    t0 = now_ns(f);
    assert_int_equal(toe_drv_wait(f->d, -1), 0);
    assert_int_equal(now_ns(f), t0);
    /* The caller moves the device on by itself. */
    toe_plat_local_run(f->p, t0 + 250000);
    assert_int_equal(now_ns(f), t0 + 250000);
    fx_close(f);
}

/* ---- 5. determinism ---------------------------------------------------------------------- */

struct script_result {
    unsigned n_out, n_up;
    struct rec out[8];
    uint64_t up_t[8];
    uint64_t end_ns;
};

static void run_script(const char *backend, struct script_result *r)
{
    struct fx *f = fx_open(backend);
    uint8_t fr[1514];

    memset(fr, 0x5a, sizeof(fr));
    memcpy(fr, b_mac, 6);
    assert_int_equal(toe_drv_send_raw(f->d, fr, 100, NULL, 1), 0);
    assert_int_equal(toe_plat_local_frame_in(f->p, fr, arp_frame(fr), now_ns(f) + 3000), 0);
    memset(fr, 0xa5, sizeof(fr));
    assert_int_equal(toe_drv_send_raw(f->d, fr, 1514, NULL, 2), 0);
    wait_for(f, &f->n_out, 2, 1000000);
    wait_for(f, &f->n_up, 1, 1000000);
    assert_int_equal(toe_drv_wait(f->d, 20000), 0);
    r->n_out = f->n_out;
    r->n_up = f->n_up;
    memcpy(r->out, f->out, sizeof(r->out));
    for (unsigned i = 0; i < f->n_up && i < 8; i++)
        r->up_t[i] = f->up[i].t_ns;
    r->end_ns = now_ns(f);
    fx_close(f);
}

static void test_deterministic(void **state)
{
    static struct script_result a, b;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    run_script(*state, &a);
    run_script(*state, &b);
    assert_int_equal(a.n_out, 2);
    assert_int_equal(a.n_out, b.n_out);
    assert_int_equal(a.n_up, b.n_up);
    for (unsigned i = 0; i < a.n_out; i++) {
        assert_int_equal(a.out[i].t_ns, b.out[i].t_ns);
        assert_int_equal(a.out[i].len, b.out[i].len);
        assert_memory_equal(a.out[i].data, b.out[i].data, a.out[i].len);
    }
    for (unsigned i = 0; i < a.n_up; i++)
        assert_int_equal(a.up_t[i], b.up_t[i]);
    assert_int_equal(a.end_ns, b.end_ns);
    assert_true(a.out[0].t_ns < a.out[1].t_ns);
}

/* ---- 6 and 7. connections, the fast path, DMA refused ------------------------------------ */

static void conn_fill(struct toe_conn_create *cc, uint64_t buf_bus)
{
    memset(cc, 0, sizeof(*cc));
    cc->rx.rx.buf_base = buf_bus;
    cc->rx.rx.buf_size_log2 = 16;
    cc->rx.rx.local_ip = A_IP;
    cc->rx.rx.remote_ip = B_IP;
    cc->rx.rx.local_port = A_PORT;
    cc->rx.rx.remote_port = B_PORT;
    memcpy(cc->rx.rx.src_mac, a_mac, 6);
    memcpy(cc->rx.rx.dst_mac, b_mac, 6);
    cc->rx.rx.ttl = 64;
    cc->rx.rx.mss = 1460;
    cc->rx.rx.rcv_nxt = cc->rx.rx.rcv_read = cc->rx.rx.buf_seq0 = cc->rx.rx.last_ack_sent = B_ISS;
    cc->rx.rx.rcv_adv = B_ISS + 65535;
    cc->rx.rx.snd_una = cc->rx.rx.snd_nxt = A_ISS;
    cc->rx.rx.snd_wnd = cc->rx.rx.max_snd_wnd = 65535;
    cc->rx.rx.flags = RX_FLAG_DF;
    memcpy(cc->tx.tx.dst_mac, b_mac, 6);
    memcpy(cc->tx.tx.src_mac, a_mac, 6);
    cc->tx.tx.flags = CTX_FLAG_DF;
    cc->tx.tx.ttl = 64;
    cc->tx.tx.src_ip = A_IP;
    cc->tx.tx.dst_ip = B_IP;
    cc->tx.tx.src_port = A_PORT;
    cc->tx.tx.dst_port = B_PORT;
    cc->tx.tx.rcv_nxt = B_ISS;
    cc->tx.tx.rcv_wnd = 65535;
    cc->tx.tx.mss = 1460;
}

#define DATA_LEN 200u

/* One in-order data segment from B into connection 1. */
static void data_in(struct fx *f)
{
    uint8_t fr[1514];
    size_t len = tcp_frame(fr, TCP_FLAG_ACK, B_ISS, A_ISS, DATA_LEN, 9);

    assert_int_equal(toe_plat_local_frame_in(f->p, fr, len, now_ns(f) + 2000), 0);
}

static void test_conn_create_destroy(void **state)
{
    struct fx *f = fx_open(*state);
    struct toe_conn_create cc, back;
    struct toe_dma ring;

    assert_int_equal(toe_drv_dma_alloc(f->d, 1u << 16, 4096, &ring), 0);
    conn_fill(&cc, ring.bus);
    assert_int_equal(toe_drv_conn_create(f->d, 1, &cc), ADMIN_STATUS_OK);
    assert_int_equal(toe_drv_conn_read(f->d, 1, &back), ADMIN_STATUS_OK);
    assert_int_equal(back.rx.rx.local_port, A_PORT);
    assert_int_equal(back.rx.rx.rcv_nxt, B_ISS);
    /* The fast path places the data in the connection's ring and says so. */
    data_in(f);
    wait_for(f, &f->data_events, 1, 1000000);
    assert_int_equal(f->data_bytes, DATA_LEN);
    for (unsigned k = 0; k < DATA_LEN; k++)
        assert_int_equal(((const uint8_t *)ring.va)[k], (uint8_t)(9 + 7 * k));
    assert_int_equal(f->n_up, 0); /* nothing on the exception path */
    assert_int_equal(toe_plat_local_stats(f->p)->dma_wr_refused, 0);
    assert_int_equal(toe_drv_conn_destroy(f->d, 1), ADMIN_STATUS_OK);
    assert_int_not_equal(toe_drv_conn_read(f->d, 1, &back), ADMIN_STATUS_OK);
    /* Gone from the table: the same segment is an exception now. */
    data_in(f);
    wait_for(f, &f->n_up, 1, 1000000);
    assert_int_equal(f->up[0].reason, RX_EXC_NO_CONN);
    fx_close(f);
}

static void test_dma_refused(void **state)
{
    struct fx *f = fx_open(*state);
    const struct toe_dma_pool *pool = &f->p->dma;
    struct toe_conn_create cc;
    uint32_t c0[DEV_CNT_NUM], c1[DEV_CNT_NUM];

    /* The receive ring just past the end of the DMA memory: the device's
     * placement must be refused by the platform's bounds check. */
    conn_fill(&cc, pool->bus + pool->size);
    assert_int_equal(toe_drv_conn_create(f->d, 1, &cc), ADMIN_STATUS_OK);
    assert_int_equal(toe_drv_dev_counters(f->d, c0), 0);
    assert_int_equal(toe_plat_local_stats(f->p)->dma_wr_refused, 0);
    data_in(f);
    /* The device on by itself past the segment's arrival, then the driver. */
    toe_plat_local_run(f->p, now_ns(f) + 100000);
    assert_true(toe_drv_wait(f->d, 10000) >= 0);
    assert_int_equal(toe_drv_dev_counters(f->d, c1), 0);
    assert_int_equal(c1[DEV_CNT_DMA_WR_FAULTS] - c0[DEV_CNT_DMA_WR_FAULTS],
                     toe_plat_local_stats(f->p)->dma_wr_refused);
    assert_true(toe_plat_local_stats(f->p)->dma_wr_refused >= 1);
    print_message("%s: %llu DMA writes refused, DEV_CNT_DMA_WR_FAULTS +%u\n", f->backend,
                  (unsigned long long)toe_plat_local_stats(f->p)->dma_wr_refused,
                  c1[DEV_CNT_DMA_WR_FAULTS] - c0[DEV_CNT_DMA_WR_FAULTS]);
    assert_int_equal(c1[DEV_CNT_DMA_RD_FAULTS], c0[DEV_CNT_DMA_RD_FAULTS]);
    fx_close(f);
}

/* ---- the model: a reset while running ------------------------------------------------------ */

static void test_reset(void **state)
{
    struct fx *f = fx_open(*state);

    send_and_check(f, 60, 1);
    assert_int_equal(toe_drv_reset(f->d), 0);
    assert_int_equal(toe_plat_local_stats(f->p)->resets, 1);
    send_and_check(f, 300, 2);
    fx_close(f);
}

/* ---- the model, its port looped back from inside frame_out --------------------------------- */

static void test_loopback(void **state)
{
    struct fx *f = fx_open(*state);
    f->loop_ns = 3000;
    send_and_check(f, 200, 5);
    wait_for(f, &f->n_up, 1, 1000000);
    assert_int_equal(f->up[0].reason, RX_EXC_NOT_IPV4);
    assert_int_equal(f->up[0].len, 200);
    assert_memory_equal(f->up[0].data, f->out[0].data, 200);
    assert_true(f->up[0].t_ns >= f->out[0].t_ns + 3000);
    fx_close(f);
}

/* ---- the model, polled: no MSI-X, waits in poll intervals -------------------------------- */

static void test_polled(void **state)
{
    struct toe_plat_local_opts po = {.backend = *state, .conn_max = CONN_MAX, .dma_size = 8u << 20,
                                     .frame_out = rec_out};
    struct toe_drv_opts o = {.polled = 1, .on_frame = rec_up, .on_tx_done = on_tx_done};
    struct fx *f = calloc(1, sizeof(*f));
    struct toe_admin_identify id;
    char err[256] = "";
    uint8_t fr[60];
    uint64_t t0;

    assert_non_null(f);
    f->backend = *state;
    po.arg = o.cb_arg = f;
    f->p = toe_plat_local_open(&po, err, sizeof(err));
    assert_non_null(f->p);
    f->d = toe_drv_attach_plat(f->p, NULL, &o, err, sizeof(err));
    if (!f->d)
        fail_msg("polled attach: %s", err);
    assert_int_equal(toe_drv_identify(f->d, &id), 0);
    send_and_check(f, 60, 4);
    frame_in_check(f, fr, arp_frame(fr), RX_EXC_NOT_IPV4, 0, 0);
    assert_int_equal(toe_plat_local_stats(f->p)->msix, 0);
    /* No timer, polled: nothing can come, and the driver's wait ends after its
     * wall-clock guard at the latest - here long before, in virtual quanta. */
    t0 = now_ns(f);
    assert_int_equal(toe_drv_wait(f->d, 1000000), 0);
    assert_true(now_ns(f) - t0 >= 1000000);
    fx_close(f);
}

#define CASE(fn, be) cmocka_unit_test_prestate(fn, (void *)(be))

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
#ifdef TEST_MODEL_ONLY
    const int model_only = 1;
#else
    const int model_only = argc > 1 && !strcmp(argv[1], "model");
#endif
    static const char *const backends[] = {"model", "rtl"};
    static const char *const names[] = {"identify", "send_raw", "frame_in", "idle_wait", "deterministic",
                                        "dma_refused", "conn_create_destroy"};
    static char full[32][64];
    struct CMUnitTest tests[32];
    size_t n = 0;

    test_seed_init("test_plat_local");
    for (unsigned b = 0; b < (model_only ? 1u : 2u); b++) {
        const char *be = backends[b];
        const struct CMUnitTest t[] = {CASE(test_identify, be), CASE(test_send_raw, be), CASE(test_frame_in, be),
                                       CASE(test_idle_wait, be), CASE(test_deterministic, be),
                                       CASE(test_dma_refused, be), CASE(test_conn_create_destroy, be)};

        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++, n++) {
            tests[n] = t[i];
            snprintf(full[n], sizeof(full[n]), "%s/%s", be, names[i]);
            tests[n].name = full[n];
        }
    }
    tests[n] = (struct CMUnitTest)CASE(test_reset, "model");
    tests[n++].name = "model/reset";
    tests[n] = (struct CMUnitTest)CASE(test_polled, "model");
    tests[n++].name = "model/polled";
    tests[n] = (struct CMUnitTest)CASE(test_loopback, "model");
    tests[n++].name = "model/loopback";
    return _cmocka_run_group_tests("plat_local", tests, n, NULL, NULL);
}
