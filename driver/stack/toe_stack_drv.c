/*
 * The stack over the driver core (toe_stack_drv.h): the netif, and the
 * hardware fast path of ESTABLISHED connections (docs/tcp.md, "Offload").
 *
 * One hardware entry per offloaded connection: conn_id is the slot here, the
 * receive ring is DMA memory whose byte s is at (s - buf_seq0) mod size. The
 * stack always holds every byte before `taken` (the hardware's placed bytes
 * are copied out on a DATA event, or before an exception of the connection
 * reaches the stack, or when the application asks for a state change), so
 * that what the stack sees is in sequence order whichever path it came by.
 */
#define _GNU_SOURCE
#include "toe_stack_drv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sd_conn {
    int used;
    uint32_t id;                 /* the stack's connection */
    struct toe_dma ring;
    uint32_t size, seq0;         /* ring bytes (a power of two), sequence number at offset 0 */
    uint32_t taken;              /* the stack has every byte before this */
};

/*
 * Receive rings come from chunks of DMA memory cut into rings of one size
 * (one free list per power of two), so that 65536 connections take a few
 * hundred allocations of the driver's DMA allocator, not 65536.
 */
#define RING_LOG2_MIN 12
#define RING_LOG2_MAX 30
#define RING_CHUNK (1u << 20)

struct ring_class {
    struct toe_dma *free;        /* rings given back */
    uint32_t nfree, capfree;
    struct toe_dma cur;          /* the chunk being cut */
    uint64_t cut;                /* bytes of cur handed out */
};

struct toe_stack_drv {
    struct toe_drv *d;
    struct ring_class rings[RING_LOG2_MAX + 1];
    struct toe_dma *chunks;
    uint32_t nchunks, capchunks;
    struct toe_stack *st;
    struct sd_conn *conn;
    uint32_t nconn;
    int (*hook)(void *arg, uint64_t deadline_ns);
    void *hook_arg;
    struct toe_stack_drv_stats stats;
};

static struct sd_conn *hw_conn(struct toe_stack_drv *sd, int h)
{
    return h >= 0 && (uint32_t)h < sd->nconn && sd->conn[h].used ? &sd->conn[h] : NULL;
}

/* Copy placed bytes [taken, upto) from the ring into the stack. */
static void take_placed(struct toe_stack_drv *sd, struct sd_conn *c, uint32_t upto)
{
    uint32_t n = upto - c->taken;
    const uint8_t *base = c->ring.va;

    if ((int32_t)n <= 0 || n > c->size)
        return;
    while (n) {
        uint32_t off = (c->taken - c->seq0) & (c->size - 1), run = c->size - off, got;

        if (run > n)
            run = n;
        got = toe_stack_hw_rx(sd->st, c->id, base + off, run);
        sd->stats.hw_bytes += got;
        c->taken += got;
        n -= got;
        if (got < run)
            break;   /* the connection went */
    }
}

/* Everything the hardware knows about the connection, into the stack. */
static void pull(struct toe_stack_drv *sd, int h)
{
    struct sd_conn *c = hw_conn(sd, h);
    struct toe_conn_create cc;
    struct toe_offload_conn s;
    const struct toe_rx_ctx *rx = &cc.rx.rx;

    if (!c)
        return;
    if (toe_drv_conn_read(sd->d, (uint16_t)h, &cc)) {
        sd->stats.admin_errors++;
        return;
    }
    take_placed(sd, c, rx->rcv_nxt);
    memset(&s, 0, sizeof(s));
    s.snd_una = rx->snd_una;
    s.snd_wnd = rx->snd_wnd;
    s.max_snd_wnd = rx->max_snd_wnd;
    s.snd_wl1 = rx->snd_wl1;
    s.snd_wl2 = rx->snd_wl2;
    s.rcv_adv = rx->rcv_adv;
    s.ts_recent = rx->ts_recent;
    toe_stack_hw_sync(sd->st, c->id, &s);
}

/* ---- receive rings ---------------------------------------------------------------- */

static int log2u(uint32_t v)
{
    int l = 0;

    while ((1u << l) < v)
        l++;
    return l;
}


static int ring_get(struct toe_stack_drv *sd, int l2, struct toe_dma *out)
{
    struct ring_class *rc = &sd->rings[l2];
    uint64_t size = 1ull << l2;

    if (rc->nfree) {
        *out = rc->free[--rc->nfree];
        return 0;
    }
    if (!rc->cur.va || rc->cut + size > rc->cur.len) {
        struct toe_dma c;
        size_t len = size > RING_CHUNK ? size : RING_CHUNK;

        if (sd->nchunks == sd->capchunks) {
            uint32_t cap = sd->capchunks ? 2 * sd->capchunks : 64;
            struct toe_dma *n = realloc(sd->chunks, cap * sizeof(*n));

            if (!n)
                return -ENOMEM;
            sd->chunks = n;
            sd->capchunks = cap;
        }
        if (toe_drv_dma_alloc(sd->d, len, len, &c))
            return -ENOMEM;
        sd->chunks[sd->nchunks++] = c;
        rc->cur = c;
        rc->cut = 0;
    }
    out->va = (uint8_t *)rc->cur.va + rc->cut;
    out->bus = rc->cur.bus + rc->cut;
    out->len = size;
    rc->cut += size;
    return 0;
}

static void ring_put(struct toe_stack_drv *sd, int l2, const struct toe_dma *r)
{
    struct ring_class *rc = &sd->rings[l2];

    if (rc->nfree == rc->capfree) {
        uint32_t cap = rc->capfree ? 2 * rc->capfree : 64;
        struct toe_dma *n = realloc(rc->free, cap * sizeof(*n));

        if (!n)
            return;   /* the ring stays with its chunk until the end */
        rc->free = n;
        rc->capfree = cap;
    }
    rc->free[rc->nfree++] = *r;
}

/* ---- the driver's callbacks ------------------------------------------------------ */

static void on_frame(void *arg, const struct toe_drv_frame *f)
{
    struct toe_stack_drv *sd = arg;

    /* A segment of an offloaded connection the hardware handed up (FIN, RST,
     * out of order, ...): what it placed before comes first. */
    if (f->reason >= RX_EXC_FLAGS && f->conn_id != TOE_DRV_NO_CONN)
        pull(sd, (int)f->conn_id);
    toe_stack_input(sd->st, f->data, f->len);
}

static void on_event(void *arg, const struct toe_rx_event *ev)
{
    struct toe_stack_drv *sd = arg;
    struct sd_conn *c = hw_conn(sd, ev->conn_id);

    if (!c) {
        sd->stats.bad_events++;   /* a connection that just left the table */
        return;
    }
    if (ev->ev_type == RX_EV_DATA) {
        sd->stats.data_events++;
        take_placed(sd, c, ev->seq);
        return;
    }
    /* TX_UPDATE, DUPACK3, WND_OPEN: the send state moved. */
    sd->stats.update_events++;
    pull(sd, ev->conn_id);
}

void toe_stack_drv_callbacks(struct toe_stack_drv *sd, struct toe_drv_opts *o)
{
    o->on_frame = on_frame;
    o->on_event = on_event;
    o->cb_arg = sd;
}

/* ---- the netif ------------------------------------------------------------------- */

static int nif_output(void *arg, const uint8_t *frame, size_t len)
{
    struct toe_stack_drv *sd = arg;
    int rc = toe_drv_send_raw(sd->d, frame, len, NULL, 0);

    if (rc == -EAGAIN) {
        /* The TX ring is full: take the completions there are, once more. */
        toe_drv_poll(sd->d, 0);
        rc = toe_drv_send_raw(sd->d, frame, len, NULL, 0);
    }
    if (rc)
        sd->stats.tx_refused++;
    return rc;
}

static uint64_t nif_now(void *arg) { return toe_drv_now_ns(((struct toe_stack_drv *)arg)->d); }

void toe_stack_drv_step(struct toe_stack_drv *sd, uint64_t deadline)
{
    uint64_t now = toe_drv_now_ns(sd->d), t = toe_stack_next_timer(sd->st);

    if (deadline < t)
        t = deadline;
    if (t > now)
        toe_drv_wait(sd->d, t == UINT64_MAX ? -1 : (int64_t)(t - now));
    else
        toe_drv_poll(sd->d, 0);
    toe_stack_timers(sd->st);
}

static int nif_wait(void *arg, uint64_t deadline)
{
    struct toe_stack_drv *sd = arg;

    if (sd->hook)
        return sd->hook(sd->hook_arg, deadline);
    toe_stack_drv_step(sd, deadline);
    return toe_drv_gone(sd->d) ? -ENODEV : 0;
}


static int nif_offload(void *arg, const struct toe_offload_conn *o)
{
    struct toe_stack_drv *sd = arg;
    struct toe_conn_create cc;
    struct toe_rx_ctx *rx = &cc.rx.rx;
    struct toe_tx_ctx *tx = &cc.tx.tx;
    struct sd_conn *c = NULL;
    uint32_t h;
    int rc;

    for (h = 0; h < sd->nconn; h++)
        if (!sd->conn[h].used) {
            c = &sd->conn[h];
            break;
        }
    if (!c) {
        sd->stats.offload_failed++;
        return -ENOSPC;
    }
    if (o->rcv_buf < (1u << RING_LOG2_MIN) || o->rcv_buf > (1u << RING_LOG2_MAX) ||
        ring_get(sd, log2u(o->rcv_buf), &c->ring)) {
        sd->stats.offload_failed++;
        return -ENOMEM;
    }
    memset(&cc, 0, sizeof(cc));
    rx->buf_base = c->ring.bus;
    rx->buf_size_log2 = (uint8_t)log2u(o->rcv_buf);
    rx->local_ip = o->laddr;
    rx->remote_ip = o->raddr;
    rx->local_port = o->lport;
    rx->remote_port = o->rport;
    /* The hardware answers unacceptable data with an ACK itself (the driver
     * sends no SACK yet); DF as every segment of ours. */
    rx->flags = RX_FLAG_DF | RX_FLAG_HW_DUPACK | (o->ts_ok ? RX_FLAG_TS : 0);
    rx->rcv_wscale = o->rcv_wscale;
    rx->snd_wscale = o->snd_wscale;
    memcpy(rx->dst_mac, o->peer_mac, 6);
    memcpy(rx->src_mac, o->local_mac, 6);
    rx->ttl = o->ttl;
    rx->ip_id = o->ip_id;
    rx->mss = (uint16_t)(o->rcv_mss - (o->ts_ok ? 12 : 0));
    rx->rcv_nxt = o->rcv_nxt;
    rx->rcv_read = o->rcv_read;
    rx->buf_seq0 = o->rcv_read;
    rx->rcv_adv = o->rcv_adv;
    rx->last_ack_sent = o->rcv_nxt;
    rx->ts_recent = o->ts_recent;
    rx->snd_una = o->snd_una;
    rx->snd_nxt = o->snd_nxt;
    rx->snd_wnd = o->snd_wnd;
    rx->snd_wl1 = o->snd_wl1;
    rx->snd_wl2 = o->snd_wl2;
    rx->max_snd_wnd = o->max_snd_wnd;
    memcpy(tx->dst_mac, o->peer_mac, 6);
    memcpy(tx->src_mac, o->local_mac, 6);
    tx->flags = CTX_FLAG_DF | (o->ts_ok ? CTX_FLAG_TS : 0);
    tx->ttl = o->ttl;
    tx->src_ip = o->laddr;
    tx->dst_ip = o->raddr;
    tx->src_port = o->lport;
    tx->dst_port = o->rport;
    tx->rcv_nxt = o->rcv_nxt;
    tx->ts_recent = o->ts_recent;
    tx->rcv_wnd = 65535;
    tx->mss = (uint16_t)(o->snd_mss + (o->ts_ok ? 12 : 0));
    tx->ip_id = o->ip_id;
    rc = toe_drv_conn_create(sd->d, (uint16_t)h, &cc);
    if (rc) {
        /* TABLE_FULL (both buckets of the tuple), or anything else the
         * firmware refused: the connection stays in software. */
        ring_put(sd, log2u(c->size ? c->size : o->rcv_buf), &c->ring);
        sd->stats.offload_failed++;
        if (rc < 0)
            sd->stats.admin_errors++;
        return -ENOSPC;
    }
    c->used = 1;
    c->id = o->id;
    c->size = o->rcv_buf;
    c->seq0 = o->rcv_read;
    c->taken = o->rcv_nxt;
    sd->stats.offloaded++;
    return (int)h;
}

static void nif_unoffload(void *arg, int h)
{
    struct toe_stack_drv *sd = arg;
    struct sd_conn *c = hw_conn(sd, h);

    if (!c)
        return;
    if (toe_drv_conn_destroy(sd->d, (uint16_t)h))
        sd->stats.admin_errors++;
    ring_put(sd, log2u(c->size), &c->ring);
    c->used = 0;
    sd->stats.unoffloaded++;
}

static void nif_pull(void *arg, int h) { pull(arg, h); }

static void nif_rcv_nxt(void *arg, int h, uint32_t rcv_nxt)
{
    struct toe_stack_drv *sd = arg;
    struct sd_conn *c = hw_conn(sd, h);

    if (!c)
        return;
    c->taken = rcv_nxt;
    if (toe_drv_conn_modify(sd->d, (uint16_t)h, CONN_CMD_RCV_NXT, rcv_nxt, 0, 0))
        sd->stats.admin_errors++;
}

static void nif_read(void *arg, int h, uint32_t rcv_read)
{
    struct toe_stack_drv *sd = arg;

    if (!hw_conn(sd, h))
        return;
    if (toe_drv_conn_modify(sd->d, (uint16_t)h, CONN_CMD_RCV_READ, rcv_read, 0, 0))
        sd->stats.admin_errors++;
}

static void nif_snd(void *arg, int h, uint32_t snd_nxt, uint32_t snd_una, uint32_t snd_wnd)
{
    struct toe_stack_drv *sd = arg;

    if (!hw_conn(sd, h))
        return;
    if (toe_drv_conn_modify(sd->d, (uint16_t)h, CONN_CMD_SND, snd_nxt, snd_una, snd_wnd))
        sd->stats.admin_errors++;
}

/* ---- life ------------------------------------------------------------------------ */

struct toe_stack_drv *toe_stack_drv_new(void) { return calloc(1, sizeof(struct toe_stack_drv)); }

int toe_stack_drv_start(struct toe_stack_drv *sd, struct toe_drv *d, const struct toe_stack_cfg *cfg, int offload,
                        char *err, size_t errlen)
{
    struct toe_netif_ops ops = {0};
    char e[256];
    int rc;

    sd->d = d;
    if ((rc = toe_drv_set_mac(d, cfg->mac, 1)) || (rc = toe_drv_set_ipv4(d, cfg->ip, cfg->prefix_len))) {
        snprintf(err, errlen, "setting the device's address: %s",
                 rc > 0 ? toe_admin_status_name((unsigned)rc) : strerror(-rc));
        return -1;
    }
    sd->nconn = toe_drv_conn_max(d);
    sd->conn = calloc(sd->nconn ? sd->nconn : 1, sizeof(*sd->conn));
    if (!sd->conn) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    ops.output = nif_output;
    ops.now_ns = nif_now;
    ops.wait = nif_wait;
    if (offload) {
        ops.offload = nif_offload;
        ops.unoffload = nif_unoffload;
        ops.offload_pull = nif_pull;
        ops.offload_rcv_nxt = nif_rcv_nxt;
        ops.offload_read = nif_read;
        ops.offload_snd = nif_snd;
    }
    ops.arg = sd;
    sd->st = toe_stack_new(cfg, &ops, e, sizeof(e));
    if (!sd->st) {
        snprintf(err, errlen, "%s", e);
        return -1;
    }
    return 0;
}

void toe_stack_drv_set_wait_hook(struct toe_stack_drv *sd, int (*hook)(void *, uint64_t), void *arg)
{
    sd->hook = hook;
    sd->hook_arg = arg;
}

struct toe_stack *toe_stack_drv_stack(struct toe_stack_drv *sd) { return sd->st; }
const struct toe_stack_drv_stats *toe_stack_drv_stats(const struct toe_stack_drv *sd) { return &sd->stats; }

void toe_stack_drv_free(struct toe_stack_drv *sd)
{
    if (!sd)
        return;
    toe_stack_free(sd->st);
    if (sd->d) {
        for (uint32_t h = 0; h < sd->nconn; h++)
            if (sd->conn[h].used)
                toe_drv_conn_destroy(sd->d, (uint16_t)h);
        for (uint32_t i = 0; i < sd->nchunks; i++)
            toe_drv_dma_free(sd->d, &sd->chunks[i]);
    }
    for (int l = 0; l <= RING_LOG2_MAX; l++)
        free(sd->rings[l].free);
    free(sd->chunks);
    free(sd->conn);
    free(sd);
}

size_t toe_stack_drv_bytes_per_conn(void) { return sizeof(struct sd_conn); }
