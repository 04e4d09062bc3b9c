/*
 * Power-on and function-level reset (CONTROL.RESET, the channel's RESET,
 * toe_dev_ops.flr): docs/device.md, "Reset". Everything returns to its
 * reset value at once; STATUS.READY then stays 0 for conn_max + 256 core
 * cycles (the hardware's walk over the connection table), and ticks count
 * from the end of that walk.
 */
#include <stdio.h>
#include <string.h>

#include "dev_model_priv.h"

int dev_reset(struct dev_model *d, int count)
{
    struct toe_rx_out out;
    struct toe_rx_model *rx;
    uint32_t resets = d->cnt[DEV_CNT_RESETS];
    unsigned i;

    /* A fresh RX engine: empty table, tick count, timestamp clock and
     * counters 0. Made before the old one goes, so that running out of
     * memory leaves a whole device. */
    dev_rx_out(d, &out);
    rx = toe_rx_model_new(d->conn_max, &out);
    if (!rx) {
        fprintf(stderr, "toe_dev model: out of memory for the RX engine at reset\n");
        return -1;
    }
    toe_rx_model_free(d->rx);
    d->rx = rx;
    dev_rx_fifo_clear(d);

    memset(d->q, 0, sizeof(d->q));
    for (i = 0; i < DEV_QUEUES; i++)
        d->q[i].vector = QUEUE_NO_VECTOR;
    memset(d->vec, 0, sizeof(d->vec));
    for (i = 0; i < MSIX_VECTORS; i++)
        d->vec[i].vctrl = VCTRL_MASK;
    d->control = 0;
    d->scratch = 0;
    d->time_hi_latch = 0;
    d->dma_lo_lo = d->dma_lo_hi = d->dma_hi_lo = d->dma_hi_hi = 0;
    d->fw_ready = 0;
    memset(d->txctx, 0, (size_t)d->conn_max * sizeof(*d->txctx));
    memset(d->txctx_valid, 0, d->conn_max);
    d->tx_cpl_waiting = 0;
    dev_tx_init(d);
    /* DEV_CNT_RESETS counts resets since power-on: the one counter a reset
     * does not clear. */
    memset(d->cnt, 0, sizeof(d->cnt));
    d->cnt[DEV_CNT_RESETS] = resets + (uint32_t)count;
    dev_fw_reset(d);
    dev_rx_apply_cfg(d);

    d->in_reset = 1;
    d->reset_end = d->now + ((uint64_t)d->conn_max + 256u) * DEV_CLK_PS;
    d->ticks = 0;
    d->tick_base = d->reset_end;
    return 0;
}

void dev_reset_done(struct dev_model *d)
{
    d->in_reset = 0;
    d->tick_base = d->now;
    d->ticks = 0;
    if (d->fw.cmd_waiting)
        dev_fw_cmd_start(d);
    dev_kick(d);
}
