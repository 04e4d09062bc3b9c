/*
 * The RX path: docs/device.md, "RX (RXBQ, EXCQ, EVQ)". Frames from the
 * port pass CONTROL.ENABLE and the MAC filter into the RX engine
 * (toe_rx_model). Its outputs - placement writes, events, frames handed
 * up, ACK frames, command responses - go to the host strictly in the order
 * the engine made them, through one output queue: when the head must wait
 * (a full or disabled EVQ or EXCQ, bus mastering off) everything behind it
 * waits too, as the engine's stalled pipeline would, and nothing is lost
 * or reordered. The receive FIFO counts as full while DEV_RX_WAIT_MAX
 * outputs wait.
 */
#include <stdlib.h>
#include <string.h>

#include "dev_model_priv.h"

static struct dev_rx_item *fifo_push(struct dev_model *d, uint8_t kind)
{
    struct dev_rx_fifo *f = &d->rxo;
    struct dev_rx_item *it;

    if (f->count == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 64, i;
        struct dev_rx_item *n = malloc(cap * sizeof(*n));

        if (!n)
            abort(); /* out of memory: nothing sensible to model */
        for (i = 0; i < f->count; i++)
            n[i] = f->items[(f->head + i) % f->cap];
        free(f->items);
        f->items = n;
        f->cap = cap;
        f->head = 0;
    }
    it = &f->items[(f->head + f->count++) % f->cap];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    return it;
}

static uint8_t *copy(const uint8_t *src, size_t len)
{
    uint8_t *p = malloc(len ? len : 1);

    if (!p)
        abort();
    if (len)
        memcpy(p, src, len);
    return p;
}

static void out_dma(void *arg, uint64_t addr, const uint8_t *data, size_t len)
{
    struct dev_rx_item *it = fifo_push(arg, RXO_DMA);

    it->addr = addr;
    it->len = len;
    it->data = copy(data, len);
}

static void out_event(void *arg, const struct toe_rx_event *ev)
{
    fifo_push(arg, RXO_EVENT)->u.ev = *ev;
}

static void out_exc(void *arg, const struct toe_rx_exc *rec, const uint8_t *frame, size_t len)
{
    struct dev_rx_item *it = fifo_push(arg, RXO_EXC);

    it->u.exc = *rec;
    it->len = len;
    it->data = copy(frame, len);
}

static void out_ack(void *arg, const uint8_t *frame, size_t len)
{
    struct dev_rx_item *it = fifo_push(arg, RXO_ACK);

    it->len = len;
    it->data = copy(frame, len);
}

static void out_rsp(void *arg, const struct toe_conn_rsp *rsp, const struct toe_rx_ctx *ctx)
{
    struct dev_rx_item *it = fifo_push(arg, RXO_RSP);

    it->u.r.rsp = *rsp;
    it->u.r.has_ctx = ctx != NULL;
    if (ctx)
        it->u.r.ctx = *ctx;
}

void dev_rx_out(struct dev_model *d, struct toe_rx_out *out)
{
    memset(out, 0, sizeof(*out));
    out->dma_write = out_dma;
    out->event = out_event;
    out->exception = out_exc;
    out->ack = out_ack;
    out->response = out_rsp;
    out->arg = d;
}

void dev_rx_fifo_clear(struct dev_model *d)
{
    struct dev_rx_fifo *f = &d->rxo;

    while (f->count) {
        free(f->items[f->head].data);
        f->head = (f->head + 1) % f->cap;
        f->count--;
    }
    f->head = 0;
}

/* With the filter on, a frame passes if it is for our MAC or for a group
 * (the I/G bit, first on the wire: broadcast and multicast). */
static int filter_pass(const struct dev_model *d, const uint8_t *frame, size_t len)
{
    uint8_t mac[6];

    if (!(d->fw.rx_filter & 1))
        return 1;
    if (len < 6)
        return 0; /* no destination address to match */
    if (frame[0] & 1)
        return 1;
    mac[0] = (uint8_t)d->fw.mac_lo;
    mac[1] = (uint8_t)(d->fw.mac_lo >> 8);
    mac[2] = (uint8_t)(d->fw.mac_lo >> 16);
    mac[3] = (uint8_t)(d->fw.mac_lo >> 24);
    mac[4] = (uint8_t)d->fw.mac_hi;
    mac[5] = (uint8_t)(d->fw.mac_hi >> 8);
    return memcmp(frame, mac, 6) == 0;
}

void dev_rx_frame(struct dev_model *d, const uint8_t *frame, size_t len)
{
    d->cnt[DEV_CNT_RX_FRAMES_IN]++;
    if (d->in_reset || !(d->control & CONTROL_ENABLE)) {
        d->cnt[DEV_CNT_RX_DISABLED_DROPS]++;
        return;
    }
    if (!filter_pass(d, frame, len)) {
        d->cnt[DEV_CNT_RX_FILTERED]++;
        return;
    }
    if (d->rxo.count >= DEV_RX_WAIT_MAX) {
        d->cnt[DEV_CNT_RX_FIFO_DROPS]++;
        return;
    }
    dev_defer_frame(d, frame, len);
}

static int post_exc_cpl(struct dev_model *d, struct dev_rx_item *it)
{
    if (!dev_bus_master(d) || !dev_ring_room(d, QID_EXCQ))
        return 0;
    if (dev_ring_post(d, QID_EXCQ, &it->u.cpl, offsetof(struct toe_exc_cpl, flags), 0x80) != 0)
        return 0; /* EXCQ stopped; the entry waits for it to start again */
    d->cnt[DEV_CNT_EXC_FRAMES]++;
    return 1;
}

/*
 * A frame handed up: to the next RXBQ buffer, then its EXCQ entry. A missing
 * buffer drops it (no wait); a present one waits until EXCQ has room, so
 * that a buffer is only taken when its entry can follow.
 */
static int deliver_exc(struct dev_model *d, struct dev_rx_item *it)
{
    struct dev_ring *b = &d->q[QID_RXBQ];
    struct toe_rx_buf buf;
    struct toe_exc_cpl cpl;

    if (!dev_bus_master(d))
        return 0;
    if (dev_ring_pending(d, QID_RXBQ) == 0) {
        d->cnt[DEV_CNT_RX_NO_BUF]++;
        return 1;
    }
    if (!dev_ring_room(d, QID_EXCQ))
        return 0;
    if (dev_ring_fetch(d, QID_RXBQ, &buf) != 0) {
        d->cnt[DEV_CNT_RX_NO_BUF]++; /* RXBQ stopped: QERR_DMA_FAULT */
        return 1;
    }
    if (buf.len < RXB_MIN_LEN || buf.rsvd0 != 0) {
        dev_ring_fail(d, QID_RXBQ, QERR_BAD_ENTRY);
        d->cnt[DEV_CNT_RX_NO_BUF]++;
        return 1;
    }
    if (it->len > buf.len) {
        d->cnt[DEV_CNT_RX_BUF_SMALL]++; /* the buffer stays for the next frame */
        return 1;
    }
    memset(&cpl, 0, sizeof(cpl));
    cpl.reason = it->u.exc.reason;
    cpl.conn_id = it->u.exc.conn_id;
    cpl.len = (uint16_t)it->len;
    cpl.l3_off = it->u.exc.l3_off;
    cpl.l4_off = it->u.exc.l4_off;
    cpl.tick = it->u.exc.tick;
    cpl.buf_idx = b->cons++;
    /* A refused frame write still gives the buffer back: len 0. */
    if (it->len && dev_dma_write(d, buf.addr, it->data, it->len) != 0)
        cpl.len = 0;
    free(it->data);
    it->data = NULL;
    it->kind = RXO_EXC_CPL;
    it->u.cpl = cpl;
    return post_exc_cpl(d, it);
}

/* Try the head output; 1 when it is done with. */
static int deliver(struct dev_model *d, struct dev_rx_item *it)
{
    struct toe_rx_event ev;

    switch (it->kind) {
    case RXO_DMA:
        if (!dev_bus_master(d))
            return 0;
        dev_dma_write(d, it->addr, it->data, it->len); /* refused: counted, lost */
        return 1;
    case RXO_EVENT:
        if (!dev_bus_master(d) || !dev_ring_room(d, QID_EVQ))
            return 0;
        ev = it->u.ev;
        if (dev_ring_post(d, QID_EVQ, &ev, offsetof(struct toe_rx_event, flags), 0x80) != 0)
            return 0;
        d->cnt[DEV_CNT_EVENTS]++;
        return 1;
    case RXO_EXC:
        return deliver_exc(d, it);
    case RXO_EXC_CPL:
        return post_exc_cpl(d, it);
    case RXO_ACK:
        dev_port_send(d, it->data, it->len);
        return 1;
    default: /* RXO_RSP */
        dev_fw_cmd_done(d, &it->u.r.rsp, it->u.r.has_ctx ? &it->u.r.ctx : NULL);
        return 1;
    }
}

void dev_rx_drain(struct dev_model *d)
{
    struct dev_rx_fifo *f = &d->rxo;

    while (f->count) {
        struct dev_rx_item *it = &f->items[f->head];

        if (!deliver(d, it))
            return;
        free(it->data);
        f->head = (f->head + 1) % f->cap;
        f->count--;
    }
}
