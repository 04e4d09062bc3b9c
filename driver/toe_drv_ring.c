/*
 * The rings (docs/device.md, "Queues"): memory, programming, and the phase
 * rule by which the host tells a fresh device-to-host entry from an old one.
 *
 * A device-to-host entry at index i is new when its phase bit equals
 * ((i >> SIZE_LOG2) & 1) ^ 1: 1 on the first pass, flipping every pass (as
 * NVMe's completion queues and Corundum's). The memory starts zeroed, so
 * nothing is new until the device writes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "toe_drv_priv.h"

struct ring_kind {
    uint32_t esize;
    int d2h;
    uint8_t phase_off, phase_bit;
    const char *name;
};

static const struct ring_kind kinds[DEV_QUEUES] = {
    [QID_ASQ] = {sizeof(struct toe_admin_cmd), 0, 0, 0, "ASQ"},
    [QID_ACQ] = {sizeof(struct toe_admin_cpl), 1, 4, 0x01, "ACQ"},
    [QID_TXQ] = {sizeof(struct toe_tx_desc), 0, 0, 0, "TXQ"},
    [QID_TXCQ] = {sizeof(struct toe_tx_cpl), 1, 5, 0x01, "TXCQ"},
    [QID_RXBQ] = {sizeof(struct toe_rx_buf), 0, 0, 0, "RXBQ"},
    [QID_EXCQ] = {sizeof(struct toe_exc_cpl), 1, 1, 0x80, "EXCQ"},
    [QID_EVQ] = {sizeof(struct toe_rx_event), 1, 1, 0x80, "EVQ"},
};

static uint32_t qreg(const struct toe_ring *r, uint32_t reg)
{
    return QREG_BASE + r->qid * QREG_STRIDE + reg;
}

int toe_ring_alloc(struct toe_drv *d, unsigned qid, uint32_t log2)
{
    struct toe_ring *r = &d->ring[qid];
    int rc;

    if (log2 < QUEUE_LOG2_MIN || log2 > QUEUE_LOG2_MAX)
        return toe_drv_fail(d, EINVAL, "%s: %u entries is outside 2^%u..2^%u", kinds[qid].name,
                            1u << (log2 > 31 ? 31 : log2), QUEUE_LOG2_MIN, QUEUE_LOG2_MAX);
    memset(r, 0, sizeof(*r));
    r->qid = qid;
    r->log2 = log2;
    r->n = 1u << log2;
    r->mask = r->n - 1;
    r->esize = kinds[qid].esize;
    r->d2h = kinds[qid].d2h;
    r->phase_off = kinds[qid].phase_off;
    r->phase_bit = kinds[qid].phase_bit;
    r->vector = QUEUE_NO_VECTOR;
    rc = toe_plat_dma_alloc(d->plat, (size_t)r->n * r->esize, 4096, &r->mem);
    if (rc < 0)
        return toe_drv_fail(d, -rc, "%s: no DMA memory for %u entries of %u bytes", kinds[qid].name, r->n,
                            r->esize);
    return 0;
}

void toe_ring_free(struct toe_drv *d, struct toe_ring *r)
{
    toe_plat_dma_free(d->plat, &r->mem);
}

int toe_ring_start(struct toe_drv *d, struct toe_ring *r)
{
    struct toe_plat *p = d->plat;
    uint32_t esize, ctrl, error;

    esize = toe_rd32(p, qreg(r, QREG_ENTRY_SIZE));
    if (esize != r->esize)
        return toe_drv_fail(d, EPROTO, "%s: the device's entries are %u bytes, the driver's %u",
                            kinds[r->qid].name, esize, r->esize);
    /* A restart begins at index 0 on both sides, over memory with no phase. */
    memset(r->mem.va, 0, (size_t)r->n * r->esize);
    r->prod = r->cons = 0;
    toe_wr32(p, qreg(r, QREG_CTRL), 0);
    toe_wr32(p, qreg(r, QREG_BASE_LO), (uint32_t)r->mem.bus);
    toe_wr32(p, qreg(r, QREG_BASE_HI), (uint32_t)(r->mem.bus >> 32));
    toe_wr32(p, qreg(r, QREG_SIZE_LOG2), r->log2);
    if (r->d2h)
        toe_wr32(p, qreg(r, QREG_VECTOR), r->vector);
    toe_wr32(p, qreg(r, QREG_CTRL), 1);
    ctrl = toe_rd32(p, qreg(r, QREG_CTRL));
    error = toe_rd32(p, qreg(r, QREG_ERROR));
    if (p->gone)
        return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(p));
    if (error != QERR_NONE || !(ctrl & 1))
        return toe_drv_fail(d, EIO, "%s did not start: ERROR %u, CTRL 0x%x (base 0x%llx, 2^%u entries, "
                            "vector 0x%x)", kinds[r->qid].name, error, ctrl,
                            (unsigned long long)r->mem.bus, r->log2, r->vector);
    return 0;
}

void toe_ring_stop(struct toe_drv *d, struct toe_ring *r)
{
    toe_wr32(d->plat, qreg(r, QREG_CTRL), 0);
}

void *toe_ring_slot(const struct toe_ring *r, uint32_t idx)
{
    return (uint8_t *)r->mem.va + (size_t)(idx & r->mask) * r->esize;
}

int toe_ring_peek(const struct toe_ring *r, void *buf)
{
    const uint8_t *e = toe_ring_slot(r, r->cons);
    const uint8_t want = ((r->cons >> r->log2) & 1u) ? 0 : r->phase_bit;
    uint8_t phase;

    /* The phase first, with acquire order: what the device wrote before it
     * is visible after it. Then a private copy, checked again, so that a
     * device rewriting the entry cannot change it between check and use. */
    phase = __atomic_load_n(&e[r->phase_off], __ATOMIC_ACQUIRE) & r->phase_bit;
    if (phase != want)
        return 0;
    memcpy(buf, e, r->esize);
    return (((const uint8_t *)buf)[r->phase_off] & r->phase_bit) == want;
}

void toe_ring_doorbell(struct toe_drv *d, struct toe_ring *r)
{
    toe_wr32(d->plat, qreg(r, r->d2h ? QREG_CONS : QREG_PROD), r->d2h ? r->cons : r->prod);
}
