/*
 * A platform with no device behind it, for the driver's unit tests: BAR0 is an
 * array that answers what bring-up needs (ID, IF_VERSION, STATUS ready, the
 * queues' ENTRY_SIZE, a self-clearing CONTROL.RESET), DMA memory is plain
 * memory at a bus address of its own, time moves only when the driver waits.
 * A test plays the device by writing ring entries into that memory itself.
 *
 * Optionally a minimal firmware answers the admin queue when its doorbell is
 * written: IDENTIFY fills admin_identify, every other opcode gets BAD_OPCODE,
 * or nothing at all (fw_silent) to make commands time out.
 */
#ifndef TEST_FAKE_PLAT_H
#define TEST_FAKE_PLAT_H

#include <stdlib.h>
#include <string.h>

#include "toe_drv_priv.h"
#include "toe_plat.h"

#define FAKE_DMA_BUS 0x200000000ull
#define FAKE_DMA_SIZE (8u << 20)

struct fake_plat {
    struct toe_plat base;
    uint32_t regs[BAR0_SIZE / 4];
    uint8_t *mem;
    uint64_t now;
    unsigned flrs, msix_on;
    uint32_t conn_max;
    uint32_t id, if_version; /* 0: the right ones */
    int fw;                 /* answer the admin queue */
    int fw_silent;          /* ... or take commands and never answer */
    uint32_t fw_cons, fw_acq_prod;
    unsigned fw_cmds;
};

static uint32_t fake_qreg(unsigned q, uint32_t r) { return QREG_BASE + q * QREG_STRIDE + r; }

static void *fake_bus_ptr(struct fake_plat *f, uint64_t bus, uint64_t len)
{
    if (!toe_dma_contains(&f->base.dma, bus, len))
        return NULL;
    return f->mem + (bus - FAKE_DMA_BUS);
}

static uint32_t fake_entry_size(unsigned q)
{
    static const uint32_t sz[DEV_QUEUES] = {64, 16, 32, 16, 16, 16, 16};

    return sz[q];
}

static uint32_t fake_read32(struct toe_plat *p, uint32_t off)
{
    struct fake_plat *f = (struct fake_plat *)p;

    switch (off) {
    case REG_ID: return f->id ? f->id : DEV_ID_MAGIC;
    case REG_IF_VERSION: return f->if_version ? f->if_version : IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR;
    case REG_STATUS: return STATUS_READY | STATUS_FW_READY;
    case REG_CONN_MAX: return f->conn_max;
    case REG_TIME_MODE: return TIME_MODE_VIRTUAL;
    default: break;
    }
    if (off >= QREG_BASE && off < QREG_BASE + DEV_QUEUES * QREG_STRIDE) {
        unsigned q = (off - QREG_BASE) / QREG_STRIDE;

        if ((off - QREG_BASE) % QREG_STRIDE == QREG_ENTRY_SIZE)
            return fake_entry_size(q);
        if ((off - QREG_BASE) % QREG_STRIDE == QREG_ERROR)
            return 0;
    }
    return f->regs[off / 4];
}

/* The minimal firmware: everything on ASQ up to PROD. */
static void fake_fw(struct fake_plat *f, uint32_t prod)
{
    const uint64_t asq = (uint64_t)f->regs[fake_qreg(QID_ASQ, QREG_BASE_HI) / 4] << 32 |
                         f->regs[fake_qreg(QID_ASQ, QREG_BASE_LO) / 4];
    const uint64_t acq = (uint64_t)f->regs[fake_qreg(QID_ACQ, QREG_BASE_HI) / 4] << 32 |
                         f->regs[fake_qreg(QID_ACQ, QREG_BASE_LO) / 4];
    const uint32_t sl = f->regs[fake_qreg(QID_ASQ, QREG_SIZE_LOG2) / 4];
    const uint32_t cl = f->regs[fake_qreg(QID_ACQ, QREG_SIZE_LOG2) / 4];

    while (f->fw_cons != prod) {
        struct toe_admin_cmd *c = fake_bus_ptr(f, asq + (f->fw_cons & ((1u << sl) - 1)) * 64u, 64);
        struct toe_admin_cpl *r = fake_bus_ptr(f, acq + (f->fw_acq_prod & ((1u << cl) - 1)) * 16u, 16);
        struct toe_admin_cpl cpl;

        f->fw_cons++;
        f->fw_cmds++;
        if (!c || !r || f->fw_silent)
            continue;
        memset(&cpl, 0, sizeof(cpl));
        cpl.tag = c->tag;
        cpl.opcode = c->opcode;
        cpl.sq_head = (uint16_t)f->fw_cons;
        if (c->opcode == ADMIN_OP_IDENTIFY) {
            struct toe_admin_identify *id = fake_bus_ptr(f, c->addr, sizeof(*id));

            if (!id || c->len < sizeof(*id)) {
                cpl.status = ADMIN_STATUS_BUF_SMALL;
                cpl.val0 = sizeof(*id);
            } else {
                memset(id, 0, sizeof(*id));
                id->if_version = IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR;
                id->conn_max = f->conn_max;
                id->msix_vectors = MSIX_VECTORS;
                id->queues = DEV_QUEUES;
                id->clk_mhz = DEV_CLK_MHZ;
            }
        } else {
            cpl.status = ADMIN_STATUS_BAD_OPCODE;
        }
        cpl.flags = ((f->fw_acq_prod >> cl) & 1u) ? 0 : 1;
        *r = cpl;
        f->fw_acq_prod++;
    }
}

/* What a function-level reset clears (docs/device.md, Reset). */
static void fake_reset_regs(struct fake_plat *f)
{
    unsigned v;

    memset(&f->regs[QREG_BASE / 4], 0, DEV_QUEUES * QREG_STRIDE);
    for (v = 0; v < DEV_QUEUES; v++)
        f->regs[fake_qreg(v, QREG_VECTOR) / 4] = QUEUE_NO_VECTOR;
    for (v = 0; v < MSIX_VECTORS; v++) {
        memset(&f->regs[(MSIX_BASE + v * MSIX_STRIDE) / 4], 0, MSIX_STRIDE);
        f->regs[(MSIX_BASE + v * MSIX_STRIDE + MSIX_VCTRL) / 4] = 1;
    }
    memset(&f->regs[REG_DMA_LO_LO / 4], 0, 16);
    f->regs[REG_CONTROL / 4] = 0;
    f->fw_cons = f->fw_acq_prod = 0;
}

static void fake_write32(struct toe_plat *p, uint32_t off, uint32_t v)
{
    struct fake_plat *f = (struct fake_plat *)p;

    if (off == REG_CONTROL && (v & CONTROL_RESET)) {
        fake_reset_regs(f); /* the reset is over at once */
        return;
    }
    if (off == fake_qreg(QID_ASQ, QREG_CTRL) && (v & 1))
        f->fw_cons = f->fw_acq_prod = 0;
    f->regs[off / 4] = v;
    if (off == fake_qreg(QID_ASQ, QREG_PROD) && f->fw)
        fake_fw(f, v);
}

static int fake_wait_irq(struct toe_plat *p, int64_t timeout_ns, uint32_t *fired)
{
    struct fake_plat *f = (struct fake_plat *)p;

    f->now += timeout_ns < 0 ? 1000000u : (uint64_t)timeout_ns;
    *fired = 0;
    return 0;
}

static uint64_t fake_now_ns(struct toe_plat *p) { return ((struct fake_plat *)p)->now; }

static int fake_flr(struct toe_plat *p)
{
    struct fake_plat *f = (struct fake_plat *)p;

    f->flrs++;
    fake_reset_regs(f);
    return 0;
}

static int fake_msix_enable(struct toe_plat *p, int on)
{
    ((struct fake_plat *)p)->msix_on = (unsigned)on;
    return 0;
}

static void fake_close(struct toe_plat *p)
{
    struct fake_plat *f = (struct fake_plat *)p;

    toe_dma_pool_fini(&f->base.dma);
    free(f->mem);
    free(f);
}

static const struct toe_plat_ops fake_ops = {
    .name = "fake",
    .read32 = fake_read32,
    .write32 = fake_write32,
    .wait_irq = fake_wait_irq,
    .now_ns = fake_now_ns,
    .flr = fake_flr,
    .msix_enable = fake_msix_enable,
    .close = fake_close,
};

static struct fake_plat *fake_plat_new(void)
{
    struct fake_plat *f = calloc(1, sizeof(*f));

    if (!f)
        return NULL;
    f->mem = aligned_alloc(4096, FAKE_DMA_SIZE);
    if (!f->mem || toe_dma_pool_init(&f->base.dma, f->mem, FAKE_DMA_BUS, FAKE_DMA_SIZE, 0) < 0) {
        free(f->mem);
        free(f);
        return NULL;
    }
    f->base.ops = &fake_ops;
    f->base.bar0_size = BAR0_SIZE;
    f->base.time_mode = TIME_MODE_VIRTUAL;
    strcpy(f->base.bdf, "0000:00:05.0");
    f->conn_max = 4096;
    fake_reset_regs(f);
    return f;
}

#endif
