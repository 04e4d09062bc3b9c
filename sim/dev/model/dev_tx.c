/*
 * The TX path: docs/device.md, "TX (TXQ, TXCQ)". Descriptors are taken from
 * TXQ while CONTROL.ENABLE and bus mastering are on; a TSO descriptor
 * without a usable connection completes ERR_CONN in the shell; every other
 * one goes to the TX engine (toe_tx_model) with its connection's context,
 * ip_id taken from the descriptor, and the RX engine's timestamp clock as
 * ts_now. The engine takes the next descriptor only once the previous
 * completion is in TXCQ: a full or disabled TXCQ stalls it with at most one
 * completion waiting.
 */
#include <stddef.h>
#include <string.h>

#include "dev_model_priv.h"

/* The engine's payload reads. A refused one reads as all ones and is
 * counted (dev_dma_read); the stream has no error signal, so the engine
 * goes on (docs/device.md). */
static int tx_dma_read(void *arg, uint64_t addr, void *dst, size_t len)
{
    dev_dma_read(arg, addr, dst, len);
    return 0;
}

static void tx_emit(void *arg, const uint8_t *frame, size_t len)
{
    struct dev_model *d = arg;

    dev_port_send(d, frame, len);
}

void dev_port_send(struct dev_model *d, const uint8_t *frame, size_t len)
{
    const uint64_t bytes_per_clock = DEV_WIDTH_BITS / 8;
    uint64_t start = d->port_free > d->now ? d->port_free : d->now;

    /* Frames leave one after another at the datapath's rate (W bits a clock,
     * as the RTL's TX stream): a burst spreads out in time on the wire. */
    d->port_free = start + (len + bytes_per_clock - 1) / bytes_per_clock * DEV_CLK_PS;
    if (d->env.frame_out)
        d->env.frame_out(d->env.arg, frame, len, d->port_free);
}

uint64_t dev_tx_deadline(const struct dev_model *d)
{
    return d->tx_cpl_waiting && d->tx_cpl_at > d->now ? d->tx_cpl_at : UINT64_MAX;
}

void dev_tx_init(struct dev_model *d)
{
    toe_tx_model_init(&d->tx, 0, 0, tx_dma_read, d);
}

/* A descriptor the TX engine itself takes (not completed by the shell). */
static int for_engine(const struct dev_model *d, const struct toe_tx_desc *desc)
{
    return desc->op != TX_OP_TSO || (desc->conn_id < d->conn_max && d->txctx_valid[desc->conn_id]);
}

static void tx_run(struct dev_model *d, const struct toe_tx_desc *desc, struct toe_tx_cpl *cpl,
                   uint32_t ts)
{
    struct toe_tx_ctx ctx;

    memset(&ctx, 0, sizeof(ctx)); /* RAW and unknown ops: all zeros */
    if (desc->op == TX_OP_TSO) {
        if (desc->conn_id >= d->conn_max || !d->txctx_valid[desc->conn_id]) {
            memset(cpl, 0, sizeof(*cpl));
            cpl->tag = desc->tag;
            cpl->conn_id = desc->conn_id;
            cpl->status = TX_STATUS_ERR_CONN;
            d->cnt[DEV_CNT_TX_BAD_CONN]++;
            return;
        }
        ctx = d->txctx[desc->conn_id];
        /* The driver numbers the segments of every send (RFC 6864). */
        ctx.ip_id = desc->ip_id;
    }
    d->tx.dma_lo = dev_u64(d->dma_lo_lo, d->dma_lo_hi);
    d->tx.dma_hi = dev_u64(d->dma_hi_lo, d->dma_hi_hi);
    toe_tx_model_process(&d->tx, desc, &ctx, ts, tx_emit, d, cpl);
}

/* The waiting completion into TXCQ; 1 when none waits any more. */
static int tx_cpl_flush(struct dev_model *d)
{
    if (!d->tx_cpl_waiting)
        return 1;
    if (d->now < d->tx_cpl_at)
        return 0; /* its frames are still leaving (docs/device.md, TX) */
    if (!dev_bus_master(d) || !dev_ring_room(d, QID_TXCQ))
        return 0;
    if (dev_ring_post(d, QID_TXCQ, &d->tx_cpl, offsetof(struct toe_tx_cpl, flags), 0x01) != 0)
        return 0; /* TXCQ stopped (DMA fault); the completion still waits */
    d->tx_cpl_waiting = 0;
    d->cnt[DEV_CNT_TX_CPLS]++;
    return 1;
}

void dev_tx_kick(struct dev_model *d)
{
    while (tx_cpl_flush(d)) {
        struct toe_tx_desc desc;
        uint32_t ts = 0;

        if (!(d->control & CONTROL_ENABLE) || !dev_bus_master(d) ||
            dev_ring_pending(d, QID_TXQ) == 0)
            return;
        if (dev_ring_fetch(d, QID_TXQ, &desc) != 0)
            return; /* TXQ stopped: QERR_DMA_FAULT */
        /* Lockstep: the engine's descriptor waits until the RTL's takes it,
         * and carries the TSval sampled then. */
        if (for_engine(d, &desc) && dev_defer_tx_ts(d, &ts) != 0)
            return;
        d->q[QID_TXQ].cons++;
        d->cnt[DEV_CNT_TX_DESCS]++;
        tx_run(d, &desc, &d->tx_cpl, ts);
        /* The completion follows the descriptor's last frame out of the port. */
        d->tx_cpl_at = d->tx_cpl.nsegs && d->port_free > d->now ? d->port_free : d->now;
        d->tx_cpl.flags = 0;
        d->tx_cpl_waiting = 1;
    }
}
