/*
 * The firmware's management window (docs/device.md, "The firmware and the
 * admin queue"; the FW_* table in formats.md): its view of the admin rings
 * with the two indices it owns (FW_ASQ_CONS, FW_ACQ_PROD), the device
 * configuration, moderation, the counters and the mailbox. The ports that
 * do work (mover, connection commands, TX contexts) are in dev_fw_ports.c.
 * The window is the firmware's own bus: the PCI command register does not
 * gate it. Accesses to no register, to a read-only one with a write, to a
 * write-only one with a read, and index writes out of range are ignored
 * (reads give 0) and counted in DEV_CNT_MMIO_BAD, as on BAR0.
 */
#include <string.h>

#include "dev_model_priv.h"

#define FW_VEC_END (FW_VEC_BASE + MSIX_VECTORS * 8u)
#define FW_TX_CNT_END (FW_TX_CNT_BASE + TX_CNT_NUM * 4u)
#define FW_RX_CNT_END (FW_RX_CNT_BASE + RX_CNT_NUM * 4u)
#define FW_DEV_CNT_END (FW_DEV_CNT_BASE + DEV_CNT_NUM * 4u)
#define FW_TS_TICKS_RESET 100u

void dev_fw_reset(struct dev_model *d)
{
    struct dev_fw *f = &d->fw;
    uint8_t mbox[FW_MBOX_SIZE];

    /* The mailbox is RAM: a reset leaves its contents. */
    memcpy(mbox, f->mbox, sizeof(mbox));
    memset(f, 0, sizeof(*f));
    memcpy(f->mbox, mbox, sizeof(mbox));
    f->attn_reset = 1;
    f->delack_ticks = DELACK_TICKS_DEFAULT;
    f->coalesce_bytes = RX_EVENT_COALESCE_DEFAULT;
    f->ts_ticks = FW_TS_TICKS_RESET;
}

static uint32_t bad(struct dev_model *d)
{
    d->cnt[DEV_CNT_MMIO_BAD]++;
    return 0;
}

uint32_t dev_fw_attn(const struct dev_model *d)
{
    const struct dev_ring *asq = &d->q[QID_ASQ];

    return (asq->enabled && asq->prod != asq->cons ? FW_ATTN_ASQ : 0) |
           (d->fw.attn_reset ? FW_ATTN_RESET : 0);
}

/* FW_ASQ_* and FW_ACQ_* read the same layout at 0x20 and 0x40. */
static int read_ring_view(const struct dev_model *d, uint32_t off, uint32_t *val)
{
    unsigned qid;
    const struct dev_ring *r;

    if (off >= FW_ASQ_BASE_LO && off <= FW_ASQ_CTRL)
        qid = QID_ASQ, off -= FW_ASQ_BASE_LO;
    else if (off >= FW_ACQ_BASE_LO && off <= FW_ACQ_CTRL)
        qid = QID_ACQ, off -= FW_ACQ_BASE_LO;
    else
        return 0;
    r = &d->q[qid];
    switch (off) {
    case 0x00: *val = r->base_lo; break;
    case 0x04: *val = r->base_hi; break;
    case 0x08: *val = r->size_log2; break;
    case 0x0c: *val = r->prod; break;
    case 0x10: *val = r->cons; break;
    default: *val = r->enabled ? 1u : 0u; break;
    }
    return 1;
}

static int read_window(struct dev_model *d, uint32_t off, uint32_t *val)
{
    if (off >= FW_VEC_BASE && off < FW_VEC_END) {
        const struct dev_vec *v = &d->vec[(off - FW_VEC_BASE) / 8];

        *val = (off & 4) ? v->mod_count : v->mod_ns;
    } else if (off >= FW_TX_CNT_BASE && off < FW_TX_CNT_END) {
        *val = d->tx.cnt[(off - FW_TX_CNT_BASE) / 4];
    } else if (off >= FW_RX_CNT_BASE && off < FW_RX_CNT_END) {
        *val = toe_rx_model_counters(d->rx)[(off - FW_RX_CNT_BASE) / 4];
    } else if (off >= FW_DEV_CNT_BASE && off < FW_DEV_CNT_END) {
        *val = d->cnt[(off - FW_DEV_CNT_BASE) / 4];
    } else if (off >= FW_MBOX && off < FW_MBOX + FW_MBOX_SIZE) {
        memcpy(val, d->fw.mbox + (off - FW_MBOX), 4);
    } else {
        return 0;
    }
    return 1;
}

uint32_t dev_fw_read(struct toe_dev *dev, uint32_t off)
{
    struct dev_model *d = dev_of(dev);
    const struct dev_fw *f = &d->fw;
    uint32_t val;

    if (off & 3)
        return bad(d);
    if (read_ring_view(d, off, &val) || read_window(d, off, &val))
        return val;
    switch (off) {
    case FW_ID: return DEV_ID_MAGIC;
    case FW_ATTN: return dev_fw_attn(d);
    case FW_NOW_TICK: return toe_rx_model_now(d->rx);
    case FW_CONN_MAX: return d->conn_max;
    case FW_DMA_HOST_LO: return f->dma_host_lo;
    case FW_DMA_HOST_HI: return f->dma_host_hi;
    case FW_DMA_LEN: return f->dma_len;
    case FW_DMA_MBOX_OFF: return f->dma_mbox_off;
    case FW_DMA_STATUS: return f->dma_status;
    case FW_CMD_MBOX_OFF: return f->cmd_mbox_off;
    case FW_CMD_STATUS: return f->cmd_status;
    case FW_TXCTX_CONN: return f->txctx_conn;
    case FW_TXCTX_MBOX_OFF: return f->txctx_mbox_off;
    case FW_TXCTX_STATUS: return f->txctx_status;
    case FW_MAC_LO: return f->mac_lo;
    case FW_MAC_HI: return f->mac_hi;
    case FW_IPV4: return f->ipv4;
    case FW_RX_FILTER: return f->rx_filter;
    case FW_DELACK_TICKS: return f->delack_ticks;
    case FW_COALESCE_BYTES: return f->coalesce_bytes;
    case FW_TS_TICKS: return f->ts_ticks;
    default: return bad(d); /* write-only (CTRL ports) or no register */
    }
}

static void write_ctrl(struct dev_model *d, uint32_t val)
{
    if (val & FW_CTRL_RESET_ACK)
        d->fw.attn_reset = 0;
    if (val & FW_CTRL_READY)
        d->fw_ready = 1;
    if (val & FW_CTRL_NOT_READY)
        d->fw_ready = 0; /* both at once: NOT_READY wins */
}

/* The firmware took ASQ entries up to val: forward, at most to PROD. */
static void write_asq_cons(struct dev_model *d, uint32_t val)
{
    struct dev_ring *r = &d->q[QID_ASQ];

    if (!r->enabled || val - r->cons > r->prod - r->cons)
        bad(d);
    else
        r->cons = val;
}

/* The firmware wrote ACQ entries up to val: forward, never past the host's
 * CONS plus the ring size; they count for the interrupt logic now. */
static void write_acq_prod(struct dev_model *d, uint32_t val)
{
    struct dev_ring *r = &d->q[QID_ACQ];
    uint32_t adv = val - r->prod, room = (1u << r->size_log2) - (r->prod - r->cons);

    if (!r->enabled || adv > room) {
        bad(d);
        return;
    }
    r->prod = val;
    dev_irq_entries(d, r->vector, adv);
}

/* Registers of the mover and the command port hold still while it is BUSY. */
static void write_held(struct dev_model *d, uint32_t *reg, int busy, uint32_t val)
{
    if (busy)
        bad(d);
    else
        *reg = val;
}

static int write_window(struct dev_model *d, uint32_t off, uint32_t val)
{
    struct dev_fw *f = &d->fw;

    if (off >= FW_VEC_BASE && off < FW_VEC_END) {
        struct dev_vec *v = &d->vec[(off - FW_VEC_BASE) / 8];

        if (off & 4)
            v->mod_count = val;
        else
            v->mod_ns = val;
    } else if (off >= FW_MBOX && off < FW_MBOX + FW_MBOX_SIZE) {
        memcpy(f->mbox + (off - FW_MBOX), &val, 4);
    } else if (off == FW_DELACK_TICKS) {
        f->delack_ticks = val; /* the engine caps it at DELACK_TICKS_MAX */
        dev_rx_apply_cfg(d);
    } else if (off == FW_COALESCE_BYTES) {
        f->coalesce_bytes = val;
        dev_rx_apply_cfg(d);
    } else if (off == FW_TS_TICKS) {
        f->ts_ticks = val;
        dev_rx_apply_cfg(d);
    } else {
        return 0;
    }
    return 1;
}

void dev_fw_write(struct toe_dev *dev, uint32_t off, uint32_t val)
{
    struct dev_model *d = dev_of(dev);
    struct dev_fw *f = &d->fw;
    int dma_busy = (f->dma_status & FW_DMA_BUSY) != 0;
    int cmd_busy = (f->cmd_status & FW_CMD_BUSY) != 0;

    if (off & 3) {
        bad(d);
    } else if (!write_window(d, off, val)) {
        switch (off) {
        case FW_CTRL: write_ctrl(d, val); break;
        case FW_ASQ_CONS: write_asq_cons(d, val); break;
        case FW_ACQ_PROD: write_acq_prod(d, val); break;
        case FW_DMA_HOST_LO: write_held(d, &f->dma_host_lo, dma_busy, val); break;
        case FW_DMA_HOST_HI: write_held(d, &f->dma_host_hi, dma_busy, val); break;
        case FW_DMA_LEN: write_held(d, &f->dma_len, dma_busy, val); break;
        case FW_DMA_MBOX_OFF: write_held(d, &f->dma_mbox_off, dma_busy, val); break;
        case FW_DMA_CTRL: dev_fw_dma_go(d, val); break;
        case FW_CMD_MBOX_OFF: write_held(d, &f->cmd_mbox_off, cmd_busy, val); break;
        case FW_CMD_CTRL:
            if (val & FW_CMD_GO)
                dev_fw_cmd_go(d);
            break;
        case FW_TXCTX_CONN: f->txctx_conn = val; break;
        case FW_TXCTX_MBOX_OFF: f->txctx_mbox_off = val; break;
        case FW_TXCTX_CTRL: dev_fw_txctx_op(d, val); break;
        case FW_MAC_LO: f->mac_lo = val; break;
        case FW_MAC_HI: f->mac_hi = val & 0xFFFFu; break;
        case FW_IPV4: f->ipv4 = val; break;
        case FW_RX_FILTER: f->rx_filter = val & 1u; break;
        default: bad(d); break; /* read-only or no register */
        }
    }
    dev_kick(d);
}
