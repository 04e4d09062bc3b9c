/*
 * The ring rules of docs/device.md, "Queues": free-running 32-bit indices
 * (slot = index mod 2^SIZE_LOG2, all differences modulo 2^32), the enable
 * checks, the host's PROD and CONS writes, and entry DMA with the phase bit.
 */
#include <string.h>

#include "dev_model_priv.h"

/* QREG_ENTRY_SIZE per QID (formats.md, QID) */
static const uint32_t entry_size[DEV_QUEUES] = {
    [QID_ASQ] = 64, [QID_ACQ] = 16, [QID_TXQ] = 32, [QID_TXCQ] = 16,
    [QID_RXBQ] = 16, [QID_EXCQ] = 16, [QID_EVQ] = 16,
};

int dev_ring_d2h(unsigned qid)
{
    return qid == QID_ACQ || qid == QID_TXCQ || qid == QID_EXCQ || qid == QID_EVQ;
}

uint32_t dev_ring_entry_size(unsigned qid)
{
    return entry_size[qid];
}

uint64_t dev_ring_base(const struct dev_ring *r)
{
    return dev_u64(r->base_lo, r->base_hi);
}

void dev_ring_fail(struct dev_model *d, unsigned qid, uint32_t qerr)
{
    d->q[qid].error = qerr;
    d->q[qid].enabled = 0;
    d->cnt[DEV_CNT_QUEUE_ERRORS]++;
}

static int config_ok(const struct dev_ring *r, unsigned qid)
{
    if (r->size_log2 < QUEUE_LOG2_MIN || r->size_log2 > QUEUE_LOG2_MAX)
        return 0;
    if (dev_ring_base(r) & 63)
        return 0;
    /* The vector only matters where the device writes entries. */
    return !dev_ring_d2h(qid) || r->vector < MSIX_VECTORS || r->vector == QUEUE_NO_VECTOR;
}

void dev_ring_ctrl(struct dev_model *d, unsigned qid, uint32_t val)
{
    struct dev_ring *r = &d->q[qid];

    if (!(val & QCTRL_ENABLE)) {
        r->enabled = 0; /* work already taken finishes; nothing new starts */
        return;
    }
    if (r->enabled)
        return; /* already running: ENABLE written again restarts nothing */
    if (!config_ok(r, qid)) {
        dev_ring_fail(d, qid, QERR_BAD_CONFIG);
        return;
    }
    r->prod = r->cons = 0;
    r->error = QERR_NONE;
    r->enabled = 1;
}

int dev_ring_host_prod(struct dev_model *d, unsigned qid, uint32_t val)
{
    struct dev_ring *r = &d->q[qid];

    if (!r->enabled)
        return -1;
    if (val - r->cons > (1u << r->size_log2))
        dev_ring_fail(d, qid, QERR_BAD_PROD); /* more posted than the ring holds */
    else
        r->prod = val;
    return 0;
}

int dev_ring_host_cons(struct dev_model *d, unsigned qid, uint32_t val)
{
    struct dev_ring *r = &d->q[qid];

    if (!r->enabled)
        return -1;
    /* Valid: from the previous CONS forward, at most to PROD. A CONS
     * behind the previous one wraps to a distance beyond PROD's. */
    if (val - r->cons > r->prod - r->cons)
        dev_ring_fail(d, qid, QERR_BAD_CONS);
    else
        r->cons = val;
    return 0;
}

uint32_t dev_ring_pending(const struct dev_model *d, unsigned qid)
{
    const struct dev_ring *r = &d->q[qid];

    return r->enabled ? r->prod - r->cons : 0;
}

int dev_ring_room(const struct dev_model *d, unsigned qid)
{
    const struct dev_ring *r = &d->q[qid];

    return r->enabled && r->prod - r->cons < (1u << r->size_log2);
}

static uint64_t slot_addr(const struct dev_ring *r, unsigned qid, uint32_t index)
{
    uint32_t slot = index & ((1u << r->size_log2) - 1);

    return dev_ring_base(r) + (uint64_t)slot * entry_size[qid];
}

int dev_ring_fetch(struct dev_model *d, unsigned qid, void *entry)
{
    struct dev_ring *r = &d->q[qid];

    if (dev_dma_read(d, slot_addr(r, qid, r->cons), entry, entry_size[qid]) != 0) {
        dev_ring_fail(d, qid, QERR_DMA_FAULT);
        return -1;
    }
    return 0;
}

int dev_ring_post(struct dev_model *d, unsigned qid, void *entry, size_t phase_off,
                  uint8_t phase_mask)
{
    struct dev_ring *r = &d->q[qid];
    uint8_t *e = entry;
    /* 1 on the first pass over the ring, flipping on every pass */
    int phase = (int)(((r->prod >> r->size_log2) & 1u) ^ 1u);

    e[phase_off] = (uint8_t)((e[phase_off] & ~phase_mask) | (phase ? phase_mask : 0));
    if (dev_dma_write(d, slot_addr(r, qid, r->prod), entry, entry_size[qid]) != 0) {
        dev_ring_fail(d, qid, QERR_DMA_FAULT);
        return -1;
    }
    r->prod++;
    dev_irq_entries(d, r->vector, 1);
    return 0;
}
