/*
 * The firmware window's three ports (docs/device.md, "The firmware and the
 * admin queue"): the DMA mover between host memory and the mailbox, the
 * connection-command port into the RX engine's table, and the TX-context
 * table. A GO with bad arguments does nothing and says why; BUSY lasts from
 * GO until the work is done - at once, unless the mover waits for bus
 * mastering, or a command for the reset's table walk or for the RX
 * engine's outputs ahead of its response.
 */
#include <string.h>

#include "dev_model_priv.h"

/* ---- the mover ---- */

void dev_fw_dma_go(struct dev_model *d, uint32_t ctrl)
{
    struct dev_fw *f = &d->fw;

    if (!(ctrl & FW_DMA_GO))
        return;
    if (f->dma_status & FW_DMA_BUSY) {
        d->cnt[DEV_CNT_MMIO_BAD]++; /* one transfer at a time */
        return;
    }
    if (f->dma_len == 0 || f->dma_len > FW_MBOX_SIZE ||
        (uint64_t)f->dma_mbox_off + f->dma_len > FW_MBOX_SIZE) {
        f->dma_status = FW_DMA_BAD_ARG;
        return;
    }
    f->dma_to_host = (ctrl & FW_DMA_TO_HOST) != 0;
    f->dma_status = FW_DMA_BUSY;
    dev_fw_dma_kick(d);
}

void dev_fw_dma_kick(struct dev_model *d)
{
    struct dev_fw *f = &d->fw;
    uint64_t host = dev_u64(f->dma_host_lo, f->dma_host_hi);
    uint8_t *mb = f->mbox + f->dma_mbox_off;
    uint8_t tmp[FW_MBOX_SIZE];
    int rc;

    if (!(f->dma_status & FW_DMA_BUSY) || !dev_bus_master(d))
        return;
    if (f->dma_to_host) {
        rc = dev_dma_write(d, host, mb, f->dma_len);
    } else {
        /* Into a scratch copy: a refused read moves nothing. */
        rc = dev_dma_read(d, host, tmp, f->dma_len);
        if (rc == 0)
            memcpy(mb, tmp, f->dma_len);
    }
    d->cnt[DEV_CNT_FW_DMA_OPS]++;
    f->dma_status = rc ? FW_DMA_FAULT : 0;
}

/* ---- connection commands ---- */

void dev_fw_cmd_go(struct dev_model *d)
{
    struct dev_fw *f = &d->fw;

    if (f->cmd_status & FW_CMD_BUSY) {
        d->cnt[DEV_CNT_MMIO_BAD]++; /* one command at a time */
        return;
    }
    if (f->cmd_mbox_off > FW_MBOX_SIZE - FW_CMD_AREA) {
        f->cmd_status = FW_CMD_BAD_OFF;
        return;
    }
    f->cmd_off = f->cmd_mbox_off;
    f->cmd_status = FW_CMD_BUSY;
    if (d->in_reset)
        f->cmd_waiting = 1; /* the table is being walked: at its end */
    else if (d->defer.on)
        d->defer.cmd_held = 1; /* lockstep: when the RTL's engine takes it */
    else
        dev_fw_cmd_start(d);
}

void dev_fw_cmd_start(struct dev_model *d)
{
    struct dev_fw *f = &d->fw;
    struct toe_conn_cmd cmd;
    struct toe_rx_ctx ctx;

    f->cmd_waiting = 0;
    memcpy(&cmd, f->mbox + f->cmd_off, sizeof(cmd));
    memcpy(&ctx, f->mbox + f->cmd_off + sizeof(cmd), sizeof(ctx));
    /* The response comes back through the RX engine's output queue, after
     * whatever the engine made before it (dev_fw_cmd_done). */
    toe_rx_model_cmd(d->rx, &cmd, &ctx, 0);
}

void dev_fw_cmd_done(struct dev_model *d, const struct toe_conn_rsp *rsp,
                     const struct toe_rx_ctx *ctx)
{
    struct dev_fw *f = &d->fw;

    memcpy(f->mbox + f->cmd_off + FW_CMD_RSP_OFF, rsp, sizeof(*rsp));
    if (ctx)
        memcpy(f->mbox + f->cmd_off + FW_CMD_RSP_OFF + sizeof(*rsp), ctx, sizeof(*ctx));
    f->cmd_status &= ~FW_CMD_BUSY;
}

/* ---- TX contexts ---- */

void dev_fw_txctx_op(struct dev_model *d, uint32_t op)
{
    struct dev_fw *f = &d->fw;
    uint8_t *mb;

    if (op != FW_TXCTX_WRITE && op != FW_TXCTX_READ && op != FW_TXCTX_CLEAR) {
        d->cnt[DEV_CNT_MMIO_BAD]++;
        return;
    }
    if (f->txctx_conn >= d->conn_max ||
        (uint64_t)f->txctx_mbox_off + sizeof(struct toe_tx_ctx) > FW_MBOX_SIZE) {
        f->txctx_status = FW_TXCTX_BAD_ID;
        return;
    }
    f->txctx_status = 0;
    mb = f->mbox + f->txctx_mbox_off;
    switch (op) {
    case FW_TXCTX_WRITE:
        memcpy(&d->txctx[f->txctx_conn], mb, sizeof(struct toe_tx_ctx));
        d->txctx_valid[f->txctx_conn] = 1;
        break;
    case FW_TXCTX_READ:
        memcpy(mb, &d->txctx[f->txctx_conn], sizeof(struct toe_tx_ctx));
        if (d->txctx_valid[f->txctx_conn])
            f->txctx_status = FW_TXCTX_VALID;
        break;
    default: /* CLEAR */
        memset(&d->txctx[f->txctx_conn], 0, sizeof(struct toe_tx_ctx));
        d->txctx_valid[f->txctx_conn] = 0;
        break;
    }
}
