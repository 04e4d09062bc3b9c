/*
 * BAR0: the global registers, the queue blocks, the vector blocks, the
 * MSI-X table and PBA, and the DEV_CNT window. docs/device.md, "BAR0
 * accesses": while memory space is off nothing decodes (reads all ones);
 * a read of no register gives 0 and a write to none, or to a read-only
 * one, is ignored, both counted in DEV_CNT_MMIO_BAD.
 */
#include "dev_model_priv.h"

#define QREG_END (QREG_BASE + DEV_QUEUES * QREG_STRIDE)
#define VREG_END (VREG_BASE + MSIX_VECTORS * VREG_STRIDE)
#define MSIX_END (MSIX_BASE + MSIX_VECTORS * MSIX_STRIDE)
#define REG_CNT_END (REG_CNT_BASE + DEV_CNT_NUM * 4u)
#define FEATURES_ALL (FEATURE_TX_CSUM | FEATURE_TSO | FEATURE_RX_CSUM | FEATURE_RX_PLACE | FEATURE_HW_ACK)

static int bad_read(struct dev_model *d)
{
    d->cnt[DEV_CNT_MMIO_BAD]++;
    return 0;
}

static void bad_write(struct dev_model *d)
{
    d->cnt[DEV_CNT_MMIO_BAD]++;
}

/* ---- reads ---- */

static uint32_t read_global(struct dev_model *d, uint32_t off)
{
    uint64_t ns;

    if (off >= REG_CNT_BASE && off < REG_CNT_END)
        return d->cnt[(off - REG_CNT_BASE) / 4];
    switch (off) {
    case REG_ID: return DEV_ID_MAGIC;
    case REG_IF_VERSION: return IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR;
    case REG_FEATURES: return FEATURES_ALL;
    case REG_DATAPATH: return DEV_CLK_MHZ << 16 | DEV_WIDTH_BITS / 8;
    case REG_CONN_MAX: return d->conn_max;
    case REG_QUEUES: return DEV_QUEUES;
    case REG_TICK_NS: return (uint32_t)(DEV_TICK_PS / 1000u);
    case REG_TIME_MODE: return d->time_mode;
    case REG_CONTROL: return (d->control & CONTROL_ENABLE) | (d->in_reset ? CONTROL_RESET : 0);
    case REG_STATUS: return (d->in_reset ? 0 : STATUS_READY) | (d->fw_ready ? STATUS_FW_READY : 0);
    case REG_SCRATCH: return d->scratch;
    case REG_TIME_LO:
        /* One 64-bit value read as two words: the high half is taken now. */
        ns = d->now / 1000u;
        d->time_hi_latch = (uint32_t)(ns >> 32);
        return (uint32_t)ns;
    case REG_TIME_HI: return d->time_hi_latch;
    case REG_DMA_LO_LO: return d->dma_lo_lo;
    case REG_DMA_LO_HI: return d->dma_lo_hi;
    case REG_DMA_HI_LO: return d->dma_hi_lo;
    case REG_DMA_HI_HI: return d->dma_hi_hi;
    default: return (uint32_t)bad_read(d);
    }
}

static uint32_t read_queue(struct dev_model *d, unsigned qid, uint32_t reg)
{
    const struct dev_ring *r = &d->q[qid];

    switch (reg) {
    case QREG_BASE_LO: return r->base_lo;
    case QREG_BASE_HI: return r->base_hi;
    case QREG_SIZE_LOG2: return r->size_log2;
    case QREG_PROD: return r->prod;
    case QREG_CONS: return r->cons;
    case QREG_CTRL: return r->enabled ? QCTRL_ENABLE : 0;
    case QREG_VECTOR: return r->vector;
    case QREG_ERROR: return r->error;
    case QREG_ENTRY_SIZE: return dev_ring_entry_size(qid);
    default: return (uint32_t)bad_read(d);
    }
}

static uint32_t read_vreg(const struct dev_model *d, unsigned v, uint32_t reg)
{
    switch (reg) {
    case VREG_MOD_NS: return d->vec[v].mod_ns;
    case VREG_MOD_COUNT: return d->vec[v].mod_count;
    case VREG_SENT: return d->vec[v].sent;
    default: return d->vec[v].pending; /* VREG_PENDING: the block has four words */
    }
}

static uint32_t read_msix(const struct dev_model *d, unsigned v, uint32_t reg)
{
    switch (reg) {
    case MSIX_ADDR_LO: return d->vec[v].addr_lo;
    case MSIX_ADDR_HI: return d->vec[v].addr_hi;
    case MSIX_DATA: return d->vec[v].data;
    default: return d->vec[v].vctrl;
    }
}

static uint32_t pba_bits(const struct dev_model *d)
{
    uint32_t bits = 0;
    unsigned i;

    for (i = 0; i < MSIX_VECTORS; i++)
        bits |= (uint32_t)(d->vec[i].pba != 0) << i;
    return bits;
}

uint32_t dev_mmio_read(struct toe_dev *dev, uint32_t off)
{
    struct dev_model *d = dev_of(dev);

    if (!(d->pci_cmd & PCI_CMD_MEMORY))
        return 0xFFFFFFFFu; /* not decoded: the bus master-aborts */
    if ((off & 3) || off >= BAR0_SIZE)
        return (uint32_t)bad_read(d);
    if (off < QREG_BASE)
        return read_global(d, off);
    if (off < QREG_END)
        return read_queue(d, (off - QREG_BASE) / QREG_STRIDE, (off - QREG_BASE) % QREG_STRIDE);
    if (off >= VREG_BASE && off < VREG_END)
        return read_vreg(d, (off - VREG_BASE) / VREG_STRIDE, (off - VREG_BASE) % VREG_STRIDE);
    if (off >= MSIX_BASE && off < MSIX_END)
        return read_msix(d, (off - MSIX_BASE) / MSIX_STRIDE, (off - MSIX_BASE) % MSIX_STRIDE);
    /* The PBA is one QWORD for 32 vectors (PCIe 7.7.2.5): bits, then 0. */
    if (off == BAR0_MSIX_PBA)
        return pba_bits(d);
    if (off == BAR0_MSIX_PBA + 4)
        return 0;
    return (uint32_t)bad_read(d);
}

/* ---- writes ---- */

static void write_global(struct dev_model *d, uint32_t off, uint32_t val)
{
    uint32_t *dma = NULL;

    switch (off) {
    case REG_CONTROL:
        if (val & CONTROL_RESET) {
            dev_reset(d, 1);
            return;
        }
        d->control = val & CONTROL_ENABLE;
        return;
    case REG_SCRATCH:
        d->scratch = val;
        return;
    case REG_DMA_LO_LO: dma = &d->dma_lo_lo; break;
    case REG_DMA_LO_HI: dma = &d->dma_lo_hi; break;
    case REG_DMA_HI_LO: dma = &d->dma_hi_lo; break;
    case REG_DMA_HI_HI: dma = &d->dma_hi_hi; break;
    default:
        bad_write(d); /* read-only or no register */
        return;
    }
    /* The window the TX engine checks may not move under it. */
    if (d->control & CONTROL_ENABLE)
        bad_write(d);
    else
        *dma = val;
}

static void write_queue(struct dev_model *d, unsigned qid, uint32_t reg, uint32_t val)
{
    struct dev_ring *r = &d->q[qid];
    uint32_t *cfg = NULL;

    switch (reg) {
    case QREG_BASE_LO: cfg = &r->base_lo; break;
    case QREG_BASE_HI: cfg = &r->base_hi; break;
    case QREG_SIZE_LOG2: cfg = &r->size_log2; break;
    case QREG_VECTOR: cfg = &r->vector; break;
    case QREG_PROD:
        if (dev_ring_d2h(qid) || dev_ring_host_prod(d, qid, val) != 0)
            bad_write(d);
        return;
    case QREG_CONS:
        if (!dev_ring_d2h(qid) || dev_ring_host_cons(d, qid, val) != 0)
            bad_write(d);
        return;
    case QREG_CTRL:
        dev_ring_ctrl(d, qid, val);
        return;
    default:
        bad_write(d); /* ERROR, ENTRY_SIZE, or no register */
        return;
    }
    if (r->enabled)
        bad_write(d); /* configuration is fixed while the ring runs */
    else
        *cfg = val;
}

static void write_msix(struct dev_model *d, unsigned v, uint32_t reg, uint32_t val)
{
    switch (reg) {
    case MSIX_ADDR_LO: d->vec[v].addr_lo = val; break;
    case MSIX_ADDR_HI: d->vec[v].addr_hi = val; break;
    case MSIX_DATA: d->vec[v].data = val; break;
    default: d->vec[v].vctrl = val & VCTRL_MASK; break; /* other bits reserved */
    }
}

void dev_mmio_write(struct toe_dev *dev, uint32_t off, uint32_t val)
{
    struct dev_model *d = dev_of(dev);

    if (!(d->pci_cmd & PCI_CMD_MEMORY))
        return; /* not decoded: lost */
    if ((off & 3) || off >= BAR0_SIZE || d->in_reset) {
        bad_write(d); /* no register, or the reset's walk (docs/device.md) */
        return;
    }
    if (off < QREG_BASE)
        write_global(d, off, val);
    else if (off < QREG_END)
        write_queue(d, (off - QREG_BASE) / QREG_STRIDE, (off - QREG_BASE) % QREG_STRIDE, val);
    else if (off >= MSIX_BASE && off < MSIX_END)
        write_msix(d, (off - MSIX_BASE) / MSIX_STRIDE, (off - MSIX_BASE) % MSIX_STRIDE, val);
    else
        bad_write(d); /* VREG and the PBA are read-only; the rest is nothing */
    if (!d->in_reset)
        dev_kick(d);
}
