/*
 * Shared fixture of the RX model unit tests (test_rx_parse.c,
 * test_rx_conn.c, test_rx_cmd.c): a model whose every output stream is
 * recorded, a host-memory image the DMA writes land in, a standard
 * connection, a builder of the frames its peer sends, and assertions on
 * records, events, ACK frames and counter deltas.
 *
 * Everything is static inline so each test program takes what it uses.
 */
#ifndef TEST_RX_FIXTURE_H
#define TEST_RX_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toe_csum.h"
#include "toe_pkt.h"
#include "toe_rx_model.h"

/* ---- recording every output stream ---- */

struct rec_dma {
    uint64_t addr;
    size_t len;
    uint8_t *data;
};

struct rec_exc {
    struct toe_rx_exc rec;
    size_t len;
    uint8_t *frame;
};

struct rec_ack {
    size_t len;
    uint8_t frame[TOE_RX_ACK_MAX];
};

struct rec_rsp {
    struct toe_conn_rsp rsp;
    int has_ctx;
    struct toe_rx_ctx ctx;
};

/* Host memory the rings live in (a 64-byte aligned address above 4 GiB, so
 * that 64-bit addressing is exercised). */
#define MEM_BASE 0x0000000200000000ull
#define MEM_SIZE (1u << 17)

struct fx {
    struct toe_rx_model *m;
    size_t n_dma, n_ev, n_exc, n_ack, n_rsp;
    size_t cap_dma, cap_ev, cap_exc, cap_ack, cap_rsp;
    struct rec_dma *dma;
    struct toe_rx_event *ev;
    struct rec_exc *exc;
    struct rec_ack *ack;
    struct rec_rsp *rsp;
    uint32_t cnt0[RX_CNT_NUM]; /* counters at the last fx_mark() */
    uint32_t ts_now;           /* passed as ts_now with every input: the
                                * model must ignore it (its timestamp
                                * clock counts ticks) */
    uint8_t mem[MEM_SIZE];
};

/* Grow *arr (of *cap elements of size sz) to hold n + 1. */
static inline void *grow(void *arr, size_t *cap, size_t n, size_t sz)
{
    if (n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        arr = realloc(arr, *cap * sz);
        assert_non_null(arr);
    }
    return arr;
}

static inline void on_dma(void *arg, uint64_t addr, const uint8_t *data, size_t len)
{
    struct fx *fx = arg;
    struct rec_dma *d;

    fx->dma = grow(fx->dma, &fx->cap_dma, fx->n_dma, sizeof(*fx->dma));
    d = &fx->dma[fx->n_dma++];
    d->addr = addr;
    d->len = len;
    d->data = malloc(len ? len : 1);
    assert_non_null(d->data);
    memcpy(d->data, data, len);
    /* Land it in host memory; a write outside the image is a test error. */
    assert_true(len > 0);
    assert_true(addr >= MEM_BASE && addr - MEM_BASE <= MEM_SIZE - len);
    memcpy(fx->mem + (addr - MEM_BASE), data, len);
}

static inline void on_event(void *arg, const struct toe_rx_event *ev)
{
    struct fx *fx = arg;

    fx->ev = grow(fx->ev, &fx->cap_ev, fx->n_ev, sizeof(*fx->ev));
    fx->ev[fx->n_ev++] = *ev;
}

static inline void on_exc(void *arg, const struct toe_rx_exc *rec,
                          const uint8_t *frame, size_t len)
{
    struct fx *fx = arg;
    struct rec_exc *e;

    fx->exc = grow(fx->exc, &fx->cap_exc, fx->n_exc, sizeof(*fx->exc));
    e = &fx->exc[fx->n_exc++];
    e->rec = *rec;
    e->len = len;
    e->frame = malloc(len ? len : 1);
    assert_non_null(e->frame);
    if (len)
        memcpy(e->frame, frame, len);
}

static inline void on_ack(void *arg, const uint8_t *frame, size_t len)
{
    struct fx *fx = arg;

    assert_true(len <= TOE_RX_ACK_MAX);
    fx->ack = grow(fx->ack, &fx->cap_ack, fx->n_ack, sizeof(*fx->ack));
    fx->ack[fx->n_ack].len = len;
    memcpy(fx->ack[fx->n_ack].frame, frame, len);
    fx->n_ack++;
}

static inline void on_rsp(void *arg, const struct toe_conn_rsp *rsp,
                          const struct toe_rx_ctx *ctx)
{
    struct fx *fx = arg;
    struct rec_rsp *r;

    fx->rsp = grow(fx->rsp, &fx->cap_rsp, fx->n_rsp, sizeof(*fx->rsp));
    r = &fx->rsp[fx->n_rsp++];
    r->rsp = *rsp;
    r->has_ctx = ctx != NULL;
    if (ctx)
        r->ctx = *ctx;
}

/* Forget what was recorded so far and remember the counters. */
static inline void fx_mark(struct fx *fx)
{
    size_t i;

    for (i = 0; i < fx->n_dma; i++)
        free(fx->dma[i].data);
    for (i = 0; i < fx->n_exc; i++)
        free(fx->exc[i].frame);
    fx->n_dma = fx->n_ev = fx->n_exc = fx->n_ack = fx->n_rsp = 0;
    memcpy(fx->cnt0, toe_rx_model_counters(fx->m), sizeof(fx->cnt0));
}

static inline struct fx *fx_new(uint32_t conn_max)
{
    struct fx *fx = calloc(1, sizeof(*fx));
    struct toe_rx_out out = {
        .dma_write = on_dma,
        .event = on_event,
        .exception = on_exc,
        .ack = on_ack,
        .response = on_rsp,
    };

    assert_non_null(fx);
    out.arg = fx;
    fx->m = toe_rx_model_new(conn_max, &out);
    assert_non_null(fx->m);
    fx_mark(fx);
    return fx;
}

static inline void fx_free(struct fx *fx)
{
    fx_mark(fx);
    toe_rx_model_free(fx->m);
    free(fx->dma);
    free(fx->ev);
    free(fx->exc);
    free(fx->ack);
    free(fx->rsp);
    free(fx);
}

static inline int fx_setup(void **state)
{
    *state = fx_new(64);
    return 0;
}

static inline int fx_teardown(void **state)
{
    fx_free(*state);
    return 0;
}

static inline uint32_t cnt(const struct fx *fx, int i)
{
    return toe_rx_model_counters(fx->m)[i];
}

static inline uint32_t cnt_delta(const struct fx *fx, int i)
{
    return cnt(fx, i) - fx->cnt0[i];
}

/*
 * Every counter moved by exactly the given amounts since fx_mark() and no
 * other counter moved.  Pairs of (RX_CNT_x, delta), ended by -1.
 */
static inline void expect_deltas(const struct fx *fx, const int *pairs)
{
    uint32_t want[RX_CNT_NUM] = {0};
    int i;

    for (i = 0; pairs[i] >= 0; i += 2)
        want[pairs[i]] = (uint32_t)pairs[i + 1];
    for (i = 0; i < RX_CNT_NUM; i++) {
        if (cnt_delta(fx, i) != want[i])
            print_error("counter %s moved by %u, expected %u\n", rx_cnt_names[i],
                        cnt_delta(fx, i), want[i]);
        assert_int_equal(cnt_delta(fx, i), want[i]);
    }
}
#define DELTAS(...) expect_deltas(fx, (const int[]){__VA_ARGS__, -1})

/* ---- the standard connection ---- */

#define IP_LOCAL 0xC0000201u  /* 192.0.2.1 */
#define IP_REMOTE 0xC6336402u /* 198.51.100.2 */
#define PORT_LOCAL 5001
#define PORT_REMOTE 49152
#define RCV0 0x11223344u      /* rcv_nxt at INSERT */
#define SND0 0x55667788u      /* snd_una = snd_nxt at INSERT */
#define CONN 5                /* conn_id of the standard connection */

static const uint8_t MAC_US[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_PEER[6] = {0x02, 0, 0, 0, 0, 0x02};

/*
 * A 32 KiB ring at MEM_BASE + 0x4000, unscaled windows, MSS 1460, DF and
 * HW_DUPACK, nothing outstanding, window 32768 offered.
 */
static inline struct toe_rx_ctx std_ctx(void)
{
    struct toe_rx_ctx c;

    memset(&c, 0, sizeof(c));
    c.buf_base = MEM_BASE + 0x4000;
    c.local_ip = IP_LOCAL;
    c.remote_ip = IP_REMOTE;
    c.local_port = PORT_LOCAL;
    c.remote_port = PORT_REMOTE;
    c.flags = RX_FLAG_DF | RX_FLAG_HW_DUPACK;
    c.buf_size_log2 = 15;
    memcpy(c.dst_mac, MAC_PEER, 6);
    memcpy(c.src_mac, MAC_US, 6);
    c.ttl = 64;
    c.ip_id = 0x1000;
    c.mss = 1460;
    c.rcv_nxt = RCV0;
    c.rcv_read = RCV0;
    c.buf_seq0 = RCV0;
    c.rcv_adv = RCV0 + 32768;
    c.last_ack_sent = RCV0;
    c.snd_una = SND0;
    c.snd_nxt = SND0;
    c.snd_wnd = 65535;
    c.snd_wl1 = RCV0 - 1; /* the SYN-ACK */
    c.snd_wl2 = SND0;
    c.max_snd_wnd = 65535;
    return c;
}

/* Every field of entry got equals want (field by field, so that a failure
 * names the field's values; then the whole image, reserved bytes too). */
static inline void expect_ctx(const struct toe_rx_ctx *got,
                              const struct toe_rx_ctx *want)
{
    assert_non_null(got);
    assert_int_equal(got->buf_base, want->buf_base);
    assert_int_equal(got->local_ip, want->local_ip);
    assert_int_equal(got->remote_ip, want->remote_ip);
    assert_int_equal(got->local_port, want->local_port);
    assert_int_equal(got->remote_port, want->remote_port);
    assert_int_equal(got->flags, want->flags);
    assert_int_equal(got->buf_size_log2, want->buf_size_log2);
    assert_int_equal(got->rcv_wscale, want->rcv_wscale);
    assert_int_equal(got->snd_wscale, want->snd_wscale);
    assert_int_equal(got->vlan_tci, want->vlan_tci);
    assert_int_equal(got->ttl, want->ttl);
    assert_int_equal(got->tos, want->tos);
    assert_int_equal(got->ip_id, want->ip_id);
    assert_int_equal(got->mss, want->mss);
    assert_int_equal(got->rcv_nxt, want->rcv_nxt);
    assert_int_equal(got->rcv_read, want->rcv_read);
    assert_int_equal(got->buf_seq0, want->buf_seq0);
    assert_int_equal(got->rcv_adv, want->rcv_adv);
    assert_int_equal(got->last_ack_sent, want->last_ack_sent);
    assert_int_equal(got->ts_recent, want->ts_recent);
    assert_int_equal(got->snd_una, want->snd_una);
    assert_int_equal(got->snd_nxt, want->snd_nxt);
    assert_int_equal(got->snd_wnd, want->snd_wnd);
    assert_int_equal(got->snd_wl1, want->snd_wl1);
    assert_int_equal(got->snd_wl2, want->snd_wl2);
    assert_int_equal(got->max_snd_wnd, want->max_snd_wnd);
    assert_int_equal(got->delack_deadline, want->delack_deadline);
    assert_int_equal(got->ev_rx_bytes, want->ev_rx_bytes);
    assert_int_equal(got->dupacks, want->dupacks);
    assert_int_equal(got->segs_unacked, want->segs_unacked);
    assert_int_equal(got->pend, want->pend);
    assert_int_equal(got->segs_in, want->segs_in);
    assert_int_equal(got->bytes_in, want->bytes_in);
    assert_int_equal(got->acks_out, want->acks_out);
    assert_memory_equal(got, want, sizeof(*want));
}

/* ---- commands ---- */

/* Run one command; returns its status and checks the response's echo. */
static inline uint8_t do_cmd(struct fx *fx, uint8_t op, uint16_t id,
                             uint32_t a0, uint32_t a1, uint32_t a2,
                             const struct toe_rx_ctx *ctx)
{
    struct toe_conn_cmd cmd;
    const struct rec_rsp *r;
    size_t before = fx->n_rsp;

    memset(&cmd, 0, sizeof(cmd));
    cmd.op = op;
    cmd.conn_id = id;
    cmd.tag = (uint16_t)(0xA000 + before);
    cmd.arg0 = a0;
    cmd.arg1 = a1;
    cmd.arg2 = a2;
    toe_rx_model_cmd(fx->m, &cmd, ctx, fx->ts_now);
    assert_int_equal(fx->n_rsp, before + 1);
    r = &fx->rsp[before];
    assert_int_equal(r->rsp.tag, cmd.tag);
    assert_int_equal(r->rsp.conn_id, id);
    assert_int_equal(r->rsp.op, op);
    assert_int_equal(r->rsp.rsvd0, 0);
    assert_int_equal(r->rsp.rsvd1, 0);
    assert_int_equal(r->has_ctx, op == CONN_CMD_READ && r->rsp.status == CONN_STATUS_OK);
    return r->rsp.status;
}

static inline void insert_ok(struct fx *fx, uint16_t id, const struct toe_rx_ctx *c)
{
    assert_int_equal(do_cmd(fx, CONN_CMD_INSERT, id, 0, 0, 0, c), CONN_STATUS_OK);
}

/* The standard connection, installed as CONN, with the given changes
 * applied by the caller first; recording starts afresh. */
static inline void install(struct fx *fx, const struct toe_rx_ctx *c)
{
    insert_ok(fx, CONN, c);
    fx_mark(fx);
}

static inline const struct toe_rx_ctx *ctx_of(struct fx *fx, uint16_t id)
{
    const struct toe_rx_ctx *c = toe_rx_model_ctx(fx->m, id);

    assert_non_null(c);
    return c;
}

/* ---- frames the peer sends ---- */

struct seg {
    uint32_t seq, ack;
    uint8_t flags;          /* default TCP_FLAG_ACK when 0 and !raw_flags */
    int raw_flags;          /* take flags as given, even 0 */
    uint16_t wnd;
    int ts;                 /* prepend NOP NOP TS(tsval, tsecr) */
    uint32_t tsval, tsecr;
    const uint8_t *opt;     /* more option bytes, a multiple of 4 */
    size_t optlen;
    const uint8_t *data;    /* payload (NULL: a pattern from seq) */
    size_t len;
    int vlan;
    uint16_t tci;
    size_t pad;             /* Ethernet padding bytes after the IP packet */
};

/* Payload byte of sequence number s when the builder makes one up. */
static inline uint8_t pattern(uint32_t s)
{
    return (uint8_t)(s * 7u + (s >> 8) * 13u + 1u);
}

/*
 * The frame the peer of connection c sends (remote -> local), checksums
 * filled, into buf (room for 9216 bytes); returns its length.
 */
static inline size_t build_seg(const struct toe_rx_ctx *c, const struct seg *s,
                               uint8_t *buf)
{
    uint8_t opt[40];
    size_t optlen = 0, l2, l4_len, i;
    struct toe_eth e;
    struct toe_ipv4 ip;
    struct toe_tcp t;
    uint8_t *l4;

    memset(&e, 0, sizeof(e));
    memcpy(e.dst, c->src_mac, 6);
    memcpy(e.src, c->dst_mac, 6);
    e.vlan = s->vlan;
    e.tci = s->tci;
    e.type = TOE_ETHERTYPE_IPV4;
    l2 = toe_eth_build(buf, &e);

    if (s->ts) {
        opt[0] = 1;
        opt[1] = 1;
        opt[2] = 8;
        opt[3] = 10;
        toe_put32(opt + 4, s->tsval);
        toe_put32(opt + 8, s->tsecr);
        optlen = 12;
    }
    assert_true(s->optlen % 4 == 0 && optlen + s->optlen <= 40);
    if (s->optlen)
        memcpy(opt + optlen, s->opt, s->optlen);
    optlen += s->optlen;

    memset(&t, 0, sizeof(t));
    t.sport = c->remote_port;
    t.dport = c->local_port;
    t.seq = s->seq;
    t.ack = s->ack;
    t.flags = (s->flags || s->raw_flags) ? s->flags : TCP_FLAG_ACK;
    t.win = s->wnd;
    l4 = buf + l2 + TOE_IPV4_HLEN;
    toe_tcp_build(l4, &t, opt, optlen);
    for (i = 0; i < s->len; i++)
        l4[20 + optlen + i] = s->data ? s->data[i] : pattern(s->seq + (uint32_t)i);
    l4_len = 20 + optlen + s->len;
    toe_tcp_csum_fill(c->remote_ip, c->local_ip, l4, l4_len);

    memset(&ip, 0, sizeof(ip));
    ip.tot_len = (uint16_t)(TOE_IPV4_HLEN + l4_len);
    ip.id = 0x4242;
    ip.frag = TOE_IPV4_DF;
    ip.ttl = 64;
    ip.proto = TOE_IPPROTO_TCP;
    ip.src = c->remote_ip;
    ip.dst = c->local_ip;
    toe_ipv4_build(buf + l2, &ip);
    memset(buf + l2 + TOE_IPV4_HLEN + l4_len, 0, s->pad);
    return l2 + TOE_IPV4_HLEN + l4_len + s->pad;
}

/* Deliver a frame in a buffer of exactly its length (so that valgrind sees
 * any read past it). */
static inline void deliver(struct fx *fx, const uint8_t *frame, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);

    assert_non_null(copy);
    memcpy(copy, frame, len);
    toe_rx_model_frame(fx->m, len ? copy : NULL, len, fx->ts_now);
    free(copy);
}

/* Build the peer's segment for connection id and deliver it. */
/* A segment from the peer of connection id: ACK of what is outstanding at
 * SND.UNA, the current window, a timestamp equal to TS.Recent when in use. */
static inline struct seg peer(struct fx *fx, uint16_t id, uint32_t seq, size_t len)
{
    const struct toe_rx_ctx *c = ctx_of(fx, id);
    struct seg s;

    memset(&s, 0, sizeof(s));
    s.seq = seq;
    s.ack = c->snd_una;
    s.wnd = (uint16_t)(c->snd_wnd >> c->snd_wscale);
    s.ts = (c->flags & RX_FLAG_TS) != 0;
    s.tsval = c->ts_recent;
    s.len = len;
    return s;
}

static inline size_t send_seg(struct fx *fx, uint16_t id, const struct seg *s)
{
    static uint8_t buf[RX_MAX_FRAME + 64];
    size_t n = build_seg(ctx_of(fx, id), s, buf);

    deliver(fx, buf, n);
    return n;
}

static inline void tick(struct fx *fx)
{
    toe_rx_model_tick(fx->m, fx->ts_now);
}

/* ---- assertions on outputs ---- */

static inline void expect_event(const struct fx *fx, size_t i, uint8_t type,
                                uint8_t flags, uint16_t id, uint32_t seq,
                                uint32_t val, uint32_t tick)
{
    const struct toe_rx_event *e;

    assert_true(i < fx->n_ev);
    e = &fx->ev[i];
    assert_int_equal(e->ev_type, type);
    assert_int_equal(e->flags, flags);
    assert_int_equal(e->conn_id, id);
    assert_int_equal(e->seq, seq);
    assert_int_equal(e->val, val);
    assert_int_equal(e->tick, tick);
}

/* Exception i: its record, and the frame as delivered. */
static inline void expect_exc(const struct fx *fx, size_t i, uint8_t reason,
                              uint16_t id, const uint8_t *frame, size_t len,
                              uint8_t l3, uint8_t l4)
{
    const struct rec_exc *e;

    assert_true(i < fx->n_exc);
    e = &fx->exc[i];
    assert_int_equal(e->rec.reason, reason);
    assert_int_equal(e->rec.flags, 0);
    assert_int_equal(e->rec.conn_id, id);
    assert_int_equal(e->rec.len, len);
    assert_int_equal(e->rec.l3_off, l3);
    assert_int_equal(e->rec.l4_off, l4);
    assert_int_equal(e->rec.tick, toe_rx_model_now(fx->m));
    assert_int_equal(e->rec.rsvd0, 0);
    assert_int_equal(e->len, len);
    if (len)
        assert_memory_equal(e->frame, frame, len);
}

/*
 * ACK frame i, checked with the toe_pkt verifiers and field by field: it
 * comes from connection state c as it was before the ACK (addresses, MACs,
 * tag, TTL, TOS, DF, ip_id, snd_nxt, ts_recent), acknowledges ack with
 * window field win and carries TSval tsval when c uses timestamps.
 */
static inline void expect_ack(const struct fx *fx, size_t i,
                              const struct toe_rx_ctx *c, uint32_t ack,
                              uint16_t win, uint32_t tsval)
{
    int ts = (c->flags & RX_FLAG_TS) != 0, vlan = (c->flags & RX_FLAG_VLAN) != 0;
    size_t l2 = vlan ? 18 : 14, thl = ts ? 32 : 20;
    const uint8_t *f, *tcp;
    struct toe_eth e;
    struct toe_ipv4 ih;
    struct toe_tcp th;
    size_t len;

    assert_true(i < fx->n_ack);
    f = fx->ack[i].frame;
    len = fx->ack[i].len;
    assert_int_equal(len, l2 + 20 + thl);
    assert_int_equal(toe_eth_parse(f, len, &e), 0);
    assert_memory_equal(e.dst, c->dst_mac, 6);
    assert_memory_equal(e.src, c->src_mac, 6);
    assert_int_equal(e.vlan, vlan);
    if (vlan)
        assert_int_equal(e.tci, c->vlan_tci);
    assert_int_equal(e.type, 0x0800);
    assert_int_equal(toe_ipv4_verify(f + l2, len - l2), TOE_IPV4_OK);
    toe_ipv4_parse(f + l2, &ih);
    assert_int_equal(f[l2], 0x45);
    assert_int_equal(ih.tos, c->tos);
    assert_int_equal(ih.tot_len, 20 + thl);
    assert_int_equal(ih.id, c->ip_id);
    assert_int_equal(ih.frag, (c->flags & RX_FLAG_DF) ? 0x4000 : 0);
    assert_int_equal(ih.ttl, c->ttl);
    assert_int_equal(ih.proto, 6);
    assert_int_equal(ih.src, c->local_ip);
    assert_int_equal(ih.dst, c->remote_ip);
    tcp = f + l2 + 20;
    assert_int_equal(toe_tcp_parse(tcp, thl, &th), thl);
    assert_true(toe_tcp_csum_ok(c->local_ip, c->remote_ip, tcp, thl));
    assert_int_equal(th.sport, c->local_port);
    assert_int_equal(th.dport, c->remote_port);
    assert_int_equal(th.seq, c->snd_nxt);
    assert_int_equal(th.ack, ack);
    assert_int_equal(th.flags, TCP_FLAG_ACK);
    assert_int_equal(tcp[12] & 0x0F, 0);
    assert_int_equal(th.win, win);
    assert_int_equal(th.urg, 0);
    if (ts) {
        assert_memory_equal(tcp + 20, ((const uint8_t[]){1, 1, 8, 10}), 4);
        assert_int_equal(toe_get32(tcp + 24), tsval);
        assert_int_equal(toe_get32(tcp + 28), c->ts_recent);
    }
}

/* Recorded DMA run i. */
static inline void expect_dma(const struct fx *fx, size_t i, uint64_t addr,
                              size_t len)
{
    assert_true(i < fx->n_dma);
    assert_int_equal(fx->dma[i].addr, addr);
    assert_int_equal(fx->dma[i].len, len);
}

/* The ring of c holds the pattern of sequence numbers [from, from + len). */
static inline void expect_ring(const struct fx *fx, const struct toe_rx_ctx *c,
                               uint32_t from, uint32_t len)
{
    uint32_t size = 1u << c->buf_size_log2, i;

    for (i = 0; i < len; i++) {
        uint32_t s = from + i;
        uint64_t a = c->buf_base + ((s - c->buf_seq0) & (size - 1));

        assert_int_equal(fx->mem[a - MEM_BASE], pattern(s));
    }
}

#endif /* TEST_RX_FIXTURE_H */
