/*
 * The device model's object and its time: toe_dev_model_new(), the ops
 * table, run() with its ticks, moderation deadlines and reset end,
 * next_activity(), and dev_kick(), the one place where waiting work
 * resumes. docs/device.md, "Time" and "Ticks".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dev_model_priv.h"

int dev_dma_read(struct dev_model *d, uint64_t addr, void *dst, size_t len)
{
    if (d->env.dma_read && d->env.dma_read(d->env.arg, addr, dst, len) == 0)
        return 0;
    memset(dst, 0xff, len); /* a refused read reads as all ones */
    d->cnt[DEV_CNT_DMA_RD_FAULTS]++;
    return -1;
}

int dev_dma_write(struct dev_model *d, uint64_t addr, const void *src, size_t len)
{
    if (d->env.dma_write && d->env.dma_write(d->env.arg, addr, src, len) == 0)
        return 0;
    d->cnt[DEV_CNT_DMA_WR_FAULTS]++;
    return -1;
}

void dev_rx_apply_cfg(struct dev_model *d)
{
    struct toe_rx_cfg cfg = {d->fw.delack_ticks, d->fw.coalesce_bytes, d->fw.ts_ticks};

    toe_rx_model_set_cfg(d->rx, &cfg);
}

void dev_kick(struct dev_model *d)
{
    dev_fw_dma_kick(d);
    dev_tx_kick(d);
    dev_rx_drain(d);
    /* Last: the entries this work wrote are one batch for moderation. */
    dev_irq_eval(d);
}

static uint64_t next_tick(const struct dev_model *d)
{
    return d->tick_base + (d->ticks + 1) * DEV_TICK_PS;
}

/* Ticks are counted from the end of the reset; each one runs the RX engine's
 * tick. While no connection has tick work, a stretch of them is one warp. */
static void run_ticks_to(struct dev_model *d, uint64_t limit)
{
    if (toe_rx_model_idle(d->rx)) {
        uint64_t k = (limit - d->tick_base) / DEV_TICK_PS; /* the last tick <= limit */

        toe_rx_model_warp(d->rx, k - d->ticks);
        d->ticks = k;
        d->now = d->tick_base + k * DEV_TICK_PS;
        return; /* an idle tick has no outputs */
    }
    d->ticks++;
    d->now = d->tick_base + d->ticks * DEV_TICK_PS;
    toe_rx_model_tick(d->rx, 0);
    dev_kick(d);
}

static void model_run(struct toe_dev *dev, uint64_t until)
{
    struct dev_model *d = dev_of(dev);

    if (until < d->now)
        return; /* time does not go back */
    for (;;) {
        uint64_t t_tick, t_irq;

        if (d->in_reset) {
            if (d->reset_end > until)
                break;
            d->now = d->reset_end;
            dev_reset_done(d);
            continue;
        }
        t_tick = next_tick(d);
        t_irq = dev_irq_deadline(d);
        /* A TX completion whose frames are leaving is an event of its own. */
        if (dev_tx_deadline(d) < t_irq)
            t_irq = dev_tx_deadline(d);
        /* A tick and a deadline at the same time: the tick first, so that
         * its entries join the batch the deadline sends. */
        if (t_tick <= t_irq) {
            if (t_tick > until)
                break;
            run_ticks_to(d, t_irq < until ? t_irq : until);
            /* A deadline on a tick's time: an idle tick kicked nothing, and
             * the deadline, no longer in the future, would be lost. */
            if (d->now == t_irq)
                dev_kick(d);
        } else {
            if (t_irq > until)
                break;
            d->now = t_irq;
            dev_kick(d);
        }
    }
    d->now = until;
}

static uint64_t model_next_activity(const struct toe_dev *dev)
{
    const struct dev_model *d = dev_of_c(dev);
    uint64_t t;

    if (d->in_reset)
        return d->reset_end;
    t = dev_irq_deadline(d);
    if (dev_tx_deadline(d) < t)
        t = dev_tx_deadline(d);
    if (!toe_rx_model_idle(d->rx) && next_tick(d) < t)
        t = next_tick(d);
    return t;
}

static uint64_t model_now(const struct toe_dev *dev)
{
    return dev_of_c(dev)->now;
}

static void model_frame_in(struct toe_dev *dev, const uint8_t *frame, size_t len)
{
    struct dev_model *d = dev_of(dev);

    dev_rx_frame(d, frame, len);
    dev_kick(d);
}

static void model_pci_state(struct toe_dev *dev, uint16_t command, uint16_t msix_control)
{
    struct dev_model *d = dev_of(dev);

    d->pci_cmd = command;
    d->msix_ctl = msix_control;
    dev_kick(d); /* bus mastering or MSI-X may have come on */
}

static void model_flr(struct toe_dev *dev)
{
    dev_reset(dev_of(dev), 1);
}

static void model_counters(const struct toe_dev *dev, uint32_t tx[TX_CNT_NUM],
                           uint32_t rx[RX_CNT_NUM], uint32_t devc[DEV_CNT_NUM])
{
    const struct dev_model *d = dev_of_c(dev);

    if (tx)
        memcpy(tx, d->tx.cnt, sizeof(d->tx.cnt));
    if (rx)
        memcpy(rx, toe_rx_model_counters(d->rx), RX_CNT_NUM * sizeof(uint32_t));
    if (devc)
        memcpy(devc, d->cnt, sizeof(d->cnt));
}

static uint32_t model_fw_attention(const struct toe_dev *dev)
{
    return dev_fw_attn(dev_of_c(dev));
}

static void model_free(struct toe_dev *dev)
{
    struct dev_model *d = dev_of(dev);

    dev_defer_free(d);
    dev_rx_fifo_clear(d);
    free(d->rxo.items);
    toe_rx_model_free(d->rx);
    free(d->txctx);
    free(d->txctx_valid);
    free(d);
}

static const struct toe_dev_ops model_ops = {
    .name = "model",
    .mmio_read = dev_mmio_read,
    .mmio_write = dev_mmio_write,
    .fw_read = dev_fw_read,
    .fw_write = dev_fw_write,
    .frame_in = model_frame_in,
    .pci_state = model_pci_state,
    .flr = model_flr,
    .run = model_run,
    .now = model_now,
    .next_activity = model_next_activity,
    .fw_attention = model_fw_attention,
    .counters = model_counters,
    .free = model_free,
};

struct toe_dev *toe_dev_model_new(const struct toe_dev_cfg *cfg, const struct toe_dev_env *env)
{
    uint32_t conn_max = cfg && cfg->conn_max ? cfg->conn_max : CONN_MAX_DEFAULT;
    uint32_t mode = cfg ? cfg->time_mode : TIME_MODE_VIRTUAL;
    struct dev_model *d;

    if (conn_max < CONN_MAX_MIN || conn_max > CONN_MAX_MAX || (conn_max & (conn_max - 1)) ||
        (mode != TIME_MODE_REAL && mode != TIME_MODE_VIRTUAL)) {
        errno = EINVAL;
        return NULL;
    }
    d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->dev.ops = &model_ops;
    if (env)
        d->env = *env;
    d->conn_max = conn_max;
    d->time_mode = mode;
    d->txctx = calloc(conn_max, sizeof(*d->txctx));
    d->txctx_valid = calloc(conn_max, 1);
    /* Power-on is a reset at time 0 that DEV_CNT_RESETS does not count. */
    if (!d->txctx || !d->txctx_valid || dev_reset(d, 0) != 0) {
        model_free(&d->dev);
        errno = ENOMEM;
        return NULL;
    }
    return &d->dev;
}
