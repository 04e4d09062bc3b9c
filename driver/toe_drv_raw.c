/*
 * Raw frames and events: sends on TXQ and their completions on TXCQ, the
 * exception receive buffers (RXBQ) and the frames handed up in them (EXCQ),
 * and the RX events (EVQ). docs/driver.md, "Rings" and "What is validated".
 *
 * Every entry the device writes is copied out of shared memory first and
 * checked against what the driver itself knows: which sends are in flight,
 * which buffers are posted, how long they are, how many connections there
 * are. A bad entry is counted and skipped - its ring slot is still given back,
 * or the ring would stall behind it - and nothing it names is touched unless
 * the driver's own records say the name is good.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toe_drv_priv.h"

/* Room for the largest raw frame, per TXQ slot. */
#define TX_BUF_STRIDE (((RAW_MAX_LEN) + 63u) & ~63u)

/* ---- TX ------------------------------------------------------------------------------ */

int toe_drv_tx_setup(struct toe_drv *d)
{
    const struct toe_ring *q = &d->ring[QID_TXQ];
    int rc;

    d->tx_slot = calloc(q->n, sizeof(*d->tx_slot));
    if (!d->tx_slot)
        return toe_drv_fail(d, ENOMEM, "out of memory");
    rc = toe_plat_dma_alloc(d->plat, (size_t)q->n * TX_BUF_STRIDE, 4096, &d->tx_bufs);
    if (rc < 0)
        return toe_drv_fail(d, -rc, "no DMA memory for %u TX buffers of %u bytes", q->n, TX_BUF_STRIDE);
    return 0;
}

static int tx_post(struct toe_drv *d, struct toe_tx_desc *desc, uint64_t cookie)
{
    struct toe_ring *q = &d->ring[QID_TXQ];
    uint32_t slot;

    if (d->plat->gone)
        return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(d->plat));
    if (!d->up)
        return toe_drv_fail(d, ENODEV, "device %s is down", d->plat->bdf);
    if (q->prod - d->tx_done >= q->n) {
        toe_drv_txcq_poll(d, 0); /* completions may be waiting */
        if (q->prod - d->tx_done >= q->n)
            return toe_drv_fail(d, EAGAIN, "TXQ full: %u sends in flight", q->n);
    }
    slot = q->prod & q->mask;
    desc->tag = (uint16_t)slot;
    memcpy(toe_ring_slot(q, q->prod), desc, sizeof(*desc));
    d->tx_slot[slot].busy = 1;
    d->tx_slot[slot].cookie = cookie;
    d->tx_slot[slot].conn_id = desc->conn_id;
    q->prod++;
    d->stats.tx_sent++;
    toe_ring_doorbell(d, q);
    return 0;
}

int toe_drv_send_raw(struct toe_drv *d, const void *frame, size_t len, const struct toe_drv_raw_opts *o,
                     uint64_t cookie)
{
    const struct toe_ring *q = &d->ring[QID_TXQ];
    struct toe_tx_desc desc;
    uint8_t *buf;

    if (len < RAW_MIN_LEN || len > RAW_MAX_LEN)
        return toe_drv_fail(d, EINVAL, "raw frame of %zu bytes (%u..%u allowed)", len, RAW_MIN_LEN,
                            RAW_MAX_LEN);
    memset(&desc, 0, sizeof(desc));
    if (o && o->csum_flags) {
        const unsigned f = o->csum_flags;

        /* The device's own rules (TX_STATUS_ERR_FLAGS, ERR_OFFSETS): a
         * misuse gets the caller's error, not a device completion. */
        if ((f & ~(unsigned)(CSUM_FLAG_IP | CSUM_FLAG_TCP | CSUM_FLAG_UDP)) ||
            ((f & CSUM_FLAG_TCP) && (f & CSUM_FLAG_UDP)))
            return toe_drv_fail(d, EINVAL, "checksum flags 0x%x: unknown bits, or both TCP and UDP", f);
        if ((o->l3_off & 1) || (o->l4_off & 1) || o->l3_off < 14 || o->l4_off < o->l3_off + 20u ||
            ((f & CSUM_FLAG_TCP) && o->l4_off + 20u > len) || ((f & CSUM_FLAG_UDP) && o->l4_off + 8u > len))
            return toe_drv_fail(d, EINVAL, "checksum offsets l3 %u, l4 %u do not fit a %zu-byte frame",
                                o->l3_off, o->l4_off, len);
        desc.csum_flags = o->csum_flags;
        desc.l3_off = o->l3_off;
        desc.l4_off = o->l4_off;
    }
    if (!d->tx_bufs.va)
        return toe_drv_fail(d, ENODEV, "device %s is down", d->plat->bdf);
    buf = (uint8_t *)d->tx_bufs.va + (size_t)(q->prod & q->mask) * TX_BUF_STRIDE;
    desc.buf_addr = d->tx_bufs.bus + (uint64_t)(q->prod & q->mask) * TX_BUF_STRIDE;
    desc.len = (uint32_t)len;
    desc.op = TX_OP_RAW;
    /* The copy goes to the slot's buffer only once tx_post says the slot is
     * free; until then it is the buffer of a send in flight. */
    if (q->prod - d->tx_done >= q->n) {
        toe_drv_txcq_poll(d, 0);
        if (q->prod - d->tx_done >= q->n)
            return toe_drv_fail(d, EAGAIN, "TXQ full: %u sends in flight", q->n);
    }
    memcpy(buf, frame, len);
    return tx_post(d, &desc, cookie);
}

int toe_drv_tx_submit(struct toe_drv *d, const struct toe_tx_desc *desc, uint64_t cookie)
{
    struct toe_tx_desc copy = *desc;

    if (copy.len && !toe_dma_contains(&d->plat->dma, copy.buf_addr, copy.len))
        return toe_drv_fail(d, EINVAL, "descriptor buffer 0x%llx+%u is not in the DMA memory",
                            (unsigned long long)copy.buf_addr, copy.len);
    if (copy.op != TX_OP_TSO && copy.op != TX_OP_RAW)
        return toe_drv_fail(d, EINVAL, "descriptor op %u", copy.op);
    if (copy.op == TX_OP_TSO && copy.conn_id >= d->conn_max)
        return toe_drv_fail(d, EINVAL, "conn_id %u is not below %u", copy.conn_id, d->conn_max);
    copy.rsvd0 = 0;
    copy.rsvd1 = 0;
    return tx_post(d, &copy, cookie);
}

unsigned toe_drv_txcq_poll(struct toe_drv *d, unsigned budget)
{
    struct toe_ring *cq = &d->ring[QID_TXCQ];
    const struct toe_ring *q = &d->ring[QID_TXQ];
    struct toe_tx_cpl c;
    unsigned n = 0;

    while ((!budget || n < budget) && toe_ring_peek(cq, &c)) {
        struct toe_tx_slot *s = &d->tx_slot[d->tx_done & q->mask];

        cq->cons++;
        n++;
        /* Completions come in descriptor order: this one must be for the
         * oldest send in flight, and echo what that send said. */
        if (d->tx_done == q->prod || c.tag != (d->tx_done & q->mask) || !s->busy) {
            d->stats.txcq_bad++;
            d->stats.txcq_bad_tag++;
            continue;
        }
        if (c.conn_id != s->conn_id) {
            d->stats.txcq_bad++;
            d->stats.txcq_bad_conn++;
            continue;
        }
        if (c.status > TX_STATUS_ERR_CONN) {
            d->stats.txcq_bad++;
            d->stats.txcq_bad_status++;
            continue;
        }
        s->busy = 0;
        d->tx_done++;
        d->stats.tx_done++;
        if (c.status != TX_STATUS_OK)
            d->stats.tx_errors++;
        if (d->opts.on_tx_done)
            d->opts.on_tx_done(d->opts.cb_arg, s->cookie, c.status);
    }
    if (n)
        toe_ring_doorbell(d, cq);
    return n;
}

void toe_drv_tx_abort_all(struct toe_drv *d)
{
    const struct toe_ring *q = &d->ring[QID_TXQ];

    if (!d->tx_slot)
        return;
    while (d->tx_done != q->prod) {
        struct toe_tx_slot *s = &d->tx_slot[d->tx_done & q->mask];

        d->tx_done++;
        if (!s->busy)
            continue;
        s->busy = 0;
        d->stats.tx_aborted++;
        if (d->opts.on_tx_done)
            d->opts.on_tx_done(d->opts.cb_arg, s->cookie, TOE_TX_ABORTED);
    }
}

/* ---- RX exception buffers ------------------------------------------------------------ */

int toe_drv_rx_setup(struct toe_drv *d)
{
    const struct toe_ring *q = &d->ring[QID_RXBQ];
    uint32_t i;
    int rc;

    d->rx_buf_len = d->opts.rx_buf_len ? d->opts.rx_buf_len : TOE_DRV_RX_BUF_DEFAULT;
    if (d->rx_buf_len < RXB_MIN_LEN || d->rx_buf_len > TOE_DRV_RX_BUF_MAX)
        return toe_drv_fail(d, EINVAL, "RX buffers of %u bytes (%u..%u allowed)", d->rx_buf_len, RXB_MIN_LEN,
                            TOE_DRV_RX_BUF_MAX);
    d->rx_stride = (d->rx_buf_len + 63u) & ~63u;
    d->rx_nbufs = q->n;
    d->rx_post = calloc(q->n, sizeof(*d->rx_post));
    d->rx_free = calloc(d->rx_nbufs, sizeof(*d->rx_free));
    if (!d->rx_post || !d->rx_free)
        return toe_drv_fail(d, ENOMEM, "out of memory");
    rc = toe_plat_dma_alloc(d->plat, (size_t)d->rx_nbufs * d->rx_stride, 4096, &d->rx_pool);
    if (rc < 0)
        return toe_drv_fail(d, -rc, "no DMA memory for %u RX buffers of %u bytes", d->rx_nbufs, d->rx_stride);
    for (i = 0; i < d->rx_nbufs; i++)
        d->rx_free[i] = d->rx_nbufs - 1 - i;
    d->rx_nfree = d->rx_nbufs;
    return 0;
}

void toe_drv_rx_refill(struct toe_drv *d)
{
    struct toe_ring *q = &d->ring[QID_RXBQ];
    const uint32_t start = q->prod;

    if (!d->rx_post)
        return;
    while (d->rx_nfree && !d->rx_post[q->prod & q->mask].posted) {
        struct toe_rx_post *s = &d->rx_post[q->prod & q->mask];
        struct toe_rx_buf b;

        s->buf = d->rx_free[--d->rx_nfree];
        s->idx = q->prod;
        s->posted = 1;
        memset(&b, 0, sizeof(b));
        b.addr = d->rx_pool.bus + (uint64_t)s->buf * d->rx_stride;
        b.len = d->rx_buf_len;
        memcpy(toe_ring_slot(q, q->prod), &b, sizeof(b));
        q->prod++;
    }
    if (q->prod != start) {
        d->stats.rx_reposted += q->prod - start;
        toe_ring_doorbell(d, q);
    }
}

void toe_drv_rx_unpost_all(struct toe_drv *d)
{
    const struct toe_ring *q = &d->ring[QID_RXBQ];
    uint32_t i;

    if (!d->rx_post)
        return;
    for (i = 0; i < q->n; i++) {
        if (!d->rx_post[i].posted)
            continue;
        d->rx_post[i].posted = 0;
        d->rx_free[d->rx_nfree++] = d->rx_post[i].buf;
    }
}

static int exc_offsets_ok(const struct toe_exc_cpl *c)
{
    if (c->l3_off && (c->l3_off < 14 || c->l3_off >= c->len))
        return 0;
    if (c->l4_off && (c->l4_off >= c->len || c->l4_off < c->l3_off + 20u))
        return 0;
    return 1;
}

unsigned toe_drv_excq_poll(struct toe_drv *d, unsigned budget)
{
    struct toe_ring *cq = &d->ring[QID_EXCQ];
    const struct toe_ring *bq = &d->ring[QID_RXBQ];
    struct toe_exc_cpl c;
    unsigned n = 0;

    while ((!budget || n < budget) && toe_ring_peek(cq, &c)) {
        struct toe_rx_post *s = &d->rx_post[c.buf_idx & bq->mask];
        struct toe_drv_frame f;
        uint32_t buf;

        cq->cons++;
        n++;
        /* The buffer first: only one we posted and have not had back. */
        if (!s->posted || s->idx != c.buf_idx) {
            d->stats.excq_bad++;
            d->stats.excq_bad_buf++;
            continue;
        }
        /* The device is done with it, whatever else the entry says. */
        buf = s->buf;
        s->posted = 0;
        d->rx_free[d->rx_nfree++] = buf;
        if (c.reason < RX_EXC_NOT_IPV4 || c.reason > RX_EXC_BUF_FULL) {
            d->stats.excq_bad++;
            d->stats.excq_bad_reason++;
            continue;
        }
        if (c.len > d->rx_buf_len) {
            d->stats.excq_bad++;
            d->stats.excq_bad_len++;
            continue;
        }
        /* A known connection's reason must name one (rx_exc.conn_id). */
        if (c.reason >= RX_EXC_FLAGS && c.conn_id >= d->conn_max) {
            d->stats.excq_bad++;
            d->stats.excq_bad_conn++;
            continue;
        }
        if (!exc_offsets_ok(&c)) {
            d->stats.excq_bad++;
            d->stats.excq_bad_offsets++;
            continue;
        }
        if (c.len == 0) { /* its DMA write was refused: only the buffer came back */
            d->stats.rx_empty++;
            continue;
        }
        d->stats.rx_frames++;
        if (d->opts.on_frame) {
            f.data = (const uint8_t *)d->rx_pool.va + (size_t)buf * d->rx_stride;
            f.len = c.len;
            f.reason = c.reason;
            f.l3_off = c.l3_off;
            f.l4_off = c.l4_off;
            f.conn_id = c.reason >= RX_EXC_FLAGS ? c.conn_id : TOE_DRV_NO_CONN;
            f.tick = c.tick;
            d->opts.on_frame(d->opts.cb_arg, &f);
        }
    }
    if (n) {
        toe_ring_doorbell(d, cq);
        if (d->up)
            toe_drv_rx_refill(d);
    }
    return n;
}

/* ---- events -------------------------------------------------------------------------- */

unsigned toe_drv_evq_poll(struct toe_drv *d, unsigned budget)
{
    struct toe_ring *q = &d->ring[QID_EVQ];
    struct toe_rx_event e;
    unsigned n = 0;

    while ((!budget || n < budget) && toe_ring_peek(q, &e)) {
        const unsigned flags = e.flags & 0x7fu;

        q->cons++;
        n++;
        if (e.ev_type < RX_EV_DATA || e.ev_type > RX_EV_WND_OPEN) {
            d->stats.evq_bad++;
            d->stats.evq_bad_type++;
            continue;
        }
        if (e.conn_id >= d->conn_max) {
            d->stats.evq_bad++;
            d->stats.evq_bad_conn++;
            continue;
        }
        /* EV_FLAG bits belong to TX_UPDATE, which has at least one. */
        if (e.ev_type == RX_EV_TX_UPDATE ? (!flags || (flags & ~(unsigned)(EV_FLAG_ACKED | EV_FLAG_WND)))
                                         : flags != 0) {
            d->stats.evq_bad++;
            d->stats.evq_bad_flags++;
            continue;
        }
        e.flags = (uint8_t)flags;
        d->stats.events++;
        if (d->opts.on_event)
            d->opts.on_event(d->opts.cb_arg, &e);
    }
    if (n)
        toe_ring_doorbell(d, q);
    return n;
}
