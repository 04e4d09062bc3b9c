/*
 * Bring-up, reset and detach (docs/driver.md, "Bring-up"; docs/device.md,
 * "Reset"). The order:
 *
 *   find (libpci) -> memory space + bus mastering -> platform (channel or
 *   BAR0 mapped) -> REG_ID, REG_IF_VERSION -> CONTROL.RESET -> STATUS.READY ->
 *   STATUS.FW_READY -> REG_CONN_MAX -> DMA window -> MSI-X table and enable
 *   (or polled) -> every ring: BASE, SIZE_LOG2, VECTOR, ENABLE, ERROR -> RX
 *   buffers posted -> CONTROL.ENABLE.
 *
 * Every wait is bounded in platform time (ready_timeout_ns) and the platform
 * bounds each of its own waits in wall time, so a device that never gets ready
 * is an error message, never a hang.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "toe_drv_priv.h"

#define READY_TIMEOUT_NS_DEFAULT 1000000000ull
#define POLL_INTERVAL_NS_DEFAULT 10000ull
#define STATUS_POLL_NS 10000

/* Ring sizes by default (log2 of entries), QID order: a few admin commands at
 * a time, 256 sends and RX buffers, room for 1024 events. */
static const uint8_t ring_log2_default[DEV_QUEUES] = {4, 4, 8, 8, 8, 8, 10};

int toe_drv_fail(struct toe_drv *d, int e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(d->err, sizeof(d->err), fmt, ap);
    va_end(ap);
    return -e;
}

/* Reads of all ones where a register cannot read so: a device that was
 * removed (PCIe answers a read nobody claims with all ones). */
static int check_present(struct toe_drv *d, uint32_t v)
{
    struct toe_plat *p = d->plat;

    if (!p->gone && v == 0xffffffffu && toe_rd32(p, REG_ID) == 0xffffffffu)
        toe_plat_mark_gone(p, "device %s is gone: its registers read all ones", p->bdf);
    if (p->gone)
        return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(p));
    return 0;
}

/* Waits until (STATUS & mask) == mask, within ready_timeout_ns. */
static int wait_status(struct toe_drv *d, uint32_t mask, const char *what)
{
    struct toe_plat *p = d->plat;
    const uint64_t start = toe_plat_now_ns(p);
    uint32_t v;

    for (;;) {
        v = toe_rd32(p, REG_STATUS);
        if (check_present(d, v) < 0)
            return -ENODEV;
        if (v & STATUS_FATAL)
            return toe_drv_fail(d, EIO, "device %s: STATUS.FATAL (0x%08x) waiting for %s", p->bdf, v, what);
        if ((v & mask) == mask)
            return 0;
        if (toe_plat_now_ns(p) - start >= d->opts.ready_timeout_ns)
            return toe_drv_fail(d, ETIMEDOUT, "device %s: no %s within %llu ns (STATUS 0x%08x)", p->bdf, what,
                                (unsigned long long)d->opts.ready_timeout_ns, v);
        if (toe_drv_sleep(d, STATUS_POLL_NS) < 0)
            return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(p));
    }
}

/* The identity checks that come before anything is written. */
static int check_identity(struct toe_drv *d)
{
    struct toe_plat *p = d->plat;
    uint32_t id = toe_rd32(p, REG_ID), ver, major, minor;

    if (p->gone)
        return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(p));
    if (id != DEV_ID_MAGIC)
        return toe_drv_fail(d, ENODEV, "device %s: REG_ID reads 0x%08x, not 0x%08x: not an OpenTOE function",
                            p->bdf, id, DEV_ID_MAGIC);
    ver = toe_rd32(p, REG_IF_VERSION);
    major = ver >> 16;
    minor = ver & 0xffffu;
    if (major != IF_VERSION_MAJOR)
        return toe_drv_fail(d, EPROTONOSUPPORT, "device speaks interface %u.%u, this driver speaks %u.%u", major,
                            minor, IF_VERSION_MAJOR, IF_VERSION_MINOR);
    d->if_version = ver;
    d->features = toe_rd32(p, REG_FEATURES);
    return 0;
}

/* Everything after the reset itself: ready, firmware, window, vectors, rings,
 * buffers, datapath on. */
static int hw_init(struct toe_drv *d)
{
    struct toe_plat *p = d->plat;
    const uint64_t lo = p->dma.bus, hi = p->dma.bus + p->dma.size;
    uint32_t cm;
    unsigned q;
    int rc;

    d->up = 0;
    rc = wait_status(d, STATUS_READY, "STATUS.READY after the reset");
    if (rc < 0)
        return rc;
    rc = wait_status(d, STATUS_READY | STATUS_FW_READY, "STATUS.FW_READY (the firmware)");
    if (rc < 0)
        return rc;
    cm = toe_rd32(p, REG_CONN_MAX);
    if (check_present(d, cm) < 0)
        return -ENODEV;
    if (cm < CONN_MAX_MIN || cm > CONN_MAX_MAX || (cm & (cm - 1)))
        return toe_drv_fail(d, EPROTO, "device %s: REG_CONN_MAX reads %u (a power of two in %u..%u expected)",
                            p->bdf, cm, CONN_MAX_MIN, CONN_MAX_MAX);
    d->conn_max = cm;
    /* The TX engine's window: all of our DMA memory, [lo, hi). */
    toe_wr32(p, REG_DMA_LO_LO, (uint32_t)lo);
    toe_wr32(p, REG_DMA_LO_HI, (uint32_t)(lo >> 32));
    toe_wr32(p, REG_DMA_HI_LO, (uint32_t)hi);
    toe_wr32(p, REG_DMA_HI_HI, (uint32_t)(hi >> 32));
    rc = toe_drv_irq_setup(d);
    if (rc < 0)
        return rc;
    for (q = 0; q < DEV_QUEUES; q++) {
        rc = toe_ring_start(d, &d->ring[q]);
        if (rc < 0)
            return rc;
    }
    d->tx_done = 0;
    d->admin_busy = 0;
    d->admin_late = 0;
    d->irq_pending = 0;
    d->up = 1;
    toe_drv_rx_refill(d);
    toe_wr32(p, REG_CONTROL, CONTROL_ENABLE);
    if (check_present(d, toe_rd32(p, REG_STATUS)) < 0) {
        d->up = 0;
        return -ENODEV;
    }
    return 0;
}

static void free_all(struct toe_drv *d)
{
    unsigned q;

    if (d->plat) {
        for (q = 0; q < DEV_QUEUES; q++)
            toe_ring_free(d, &d->ring[q]);
        toe_plat_dma_free(d->plat, &d->tx_bufs);
        toe_plat_dma_free(d->plat, &d->rx_pool);
        toe_plat_dma_free(d->plat, &d->scratch);
        toe_plat_close(d->plat);
    }
    free(d->tx_slot);
    free(d->rx_post);
    free(d->rx_free);
    free(d);
}

static struct toe_drv *attach_fail(struct toe_drv *d, int e, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", d->err);
    /* A device brought half up stops touching the memory about to go. */
    if (d->reset_sent && !d->plat->gone)
        toe_wr32(d->plat, REG_CONTROL, CONTROL_RESET);
    free_all(d);
    errno = e;
    return NULL;
}

struct toe_drv *toe_drv_attach_plat(struct toe_plat *p, const struct toe_pci_dev *pci,
                                    const struct toe_drv_opts *opts, char *err, size_t errlen)
{
    struct toe_drv *d = calloc(1, sizeof(*d));
    unsigned q;
    int rc;

    if (!d) {
        toe_plat_close(p);
        snprintf(err, errlen, "out of memory");
        errno = ENOMEM;
        return NULL;
    }
    d->plat = p;
    if (pci) {
        d->pci = *pci;
        d->have_pci = 1;
    }
    if (opts)
        d->opts = *opts;
    if (!d->opts.admin_timeout_ns)
        d->opts.admin_timeout_ns = 1000000000ull;
    if (!d->opts.ready_timeout_ns)
        d->opts.ready_timeout_ns = READY_TIMEOUT_NS_DEFAULT;
    if (!d->opts.poll_interval_ns)
        d->opts.poll_interval_ns = POLL_INTERVAL_NS_DEFAULT;

    rc = check_identity(d);
    if (rc < 0)
        return attach_fail(d, -rc, err, errlen);
    if (p->dma.size == 0) {
        toe_drv_fail(d, ENOTSUP, "device %s: the %s platform has no DMA memory (an IOMMU mapping through "
                     "vfio is not built yet)", p->bdf, p->ops->name);
        return attach_fail(d, ENOTSUP, err, errlen);
    }
    for (q = 0; q < DEV_QUEUES; q++) {
        rc = toe_ring_alloc(d, q, d->opts.ring_log2[q] ? d->opts.ring_log2[q] : ring_log2_default[q]);
        if (rc < 0)
            return attach_fail(d, -rc, err, errlen);
    }
    rc = toe_drv_tx_setup(d);
    if (rc == 0)
        rc = toe_drv_rx_setup(d);
    if (rc == 0 && (rc = toe_plat_dma_alloc(p, TOE_DRV_SCRATCH, 4096, &d->scratch)) < 0)
        rc = toe_drv_fail(d, -rc, "no DMA memory for the admin scratch buffer");
    if (rc < 0)
        return attach_fail(d, -rc, err, errlen);

    toe_wr32(p, REG_CONTROL, CONTROL_RESET);
    d->reset_sent = 1;
    rc = hw_init(d);
    if (rc < 0)
        return attach_fail(d, -rc, err, errlen);
    return d;
}

/* The channel when toe-sim's socket is there, else BAR0 mapped. */
static struct toe_plat *open_plat(const struct toe_pci_dev *pci, const struct toe_drv_opts *opts, char *err,
                                  size_t errlen)
{
    char path[PATH_MAX + 32];
    struct stat st;

    snprintf(path, sizeof(path), "%s/toe-sim.sock", pci->dev_dir);
    if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        return toe_plat_chan_open(pci, opts ? &opts->chan : NULL, err, errlen);
    return toe_plat_mmio_open(pci, err, errlen);
}

struct toe_drv *toe_drv_attach(const char *pci_dir, const struct toe_drv_opts *opts, char *err, size_t errlen)
{
    struct toe_pci_dev pci;
    struct toe_plat *p;

    if (toe_pci_find(pci_dir, &pci, err, errlen) < 0) {
        errno = ENODEV;
        return NULL;
    }
    if (toe_pci_enable(&pci, err, errlen) < 0) {
        errno = EIO;
        return NULL;
    }
    p = open_plat(&pci, opts, err, errlen);
    if (!p)
        return NULL; /* errno from the platform */
    return toe_drv_attach_plat(p, &pci, opts, err, errlen);
}

int toe_drv_reset(struct toe_drv *d)
{
    struct toe_plat *p = d->plat;
    char err[256];
    int rc;

    if (p->gone)
        return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(p));
    d->up = 0;
    d->stats.resets++;
    rc = toe_plat_flr(p);
    if (rc < 0 && !p->gone)
        toe_wr32(p, REG_CONTROL, CONTROL_RESET); /* no FLR here: the register does the same */
    /* Whatever was in flight is gone with the function's state. */
    toe_drv_tx_abort_all(d);
    toe_drv_rx_unpost_all(d);
    /* A real FLR clears the command register too; toe-sim's leaves it. */
    if (d->have_pci && !p->gone && toe_pci_enable(&d->pci, err, sizeof(err)) < 0)
        rc = toe_drv_fail(d, EIO, "%s", err);
    else
        rc = hw_init(d);
    if (d->opts.on_reset)
        d->opts.on_reset(d->opts.cb_arg, TOE_DRV_RESET_CALLER);
    return rc;
}

void toe_drv_detach(struct toe_drv *d)
{
    struct toe_plat *p;
    char err[256];
    unsigned q;

    if (!d)
        return;
    p = d->plat;
    if (!p->gone) {
        /* Quiet the device before its memory goes: datapath off, rings off,
         * vectors masked, a reset, then bus mastering off (no more DMA). */
        toe_wr32(p, REG_CONTROL, 0);
        for (q = 0; q < DEV_QUEUES; q++)
            toe_ring_stop(d, &d->ring[q]);
        toe_drv_irq_teardown(d);
        toe_wr32(p, REG_CONTROL, CONTROL_RESET);
        (void)toe_rd32(p, REG_STATUS); /* the writes have arrived */
        if (d->have_pci)
            (void)toe_pci_disable(&d->pci, err, sizeof(err));
    }
    d->up = 0;
    toe_drv_tx_abort_all(d);
    free_all(d);
}

/* ---- state ---------------------------------------------------------------------------- */

int toe_drv_dev_counters(struct toe_drv *d, uint32_t out[DEV_CNT_NUM])
{
    unsigned i;

    for (i = 0; i < DEV_CNT_NUM; i++)
        out[i] = toe_rd32(d->plat, REG_CNT_BASE + 4u * i);
    if (d->plat->gone)
        return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(d->plat));
    return 0;
}

int toe_drv_dma_alloc(struct toe_drv *d, size_t len, size_t align, struct toe_dma *out)
{
    int rc = toe_plat_dma_alloc(d->plat, len, align, out);

    return rc < 0 ? toe_drv_fail(d, -rc, "no DMA buffer of %zu bytes", len) : 0;
}

int toe_drv_dma_free(struct toe_drv *d, struct toe_dma *b)
{
    int rc = toe_plat_dma_free(d->plat, b);

    return rc < 0 ? toe_drv_fail(d, -rc, "free of a DMA buffer that is not allocated") : 0;
}

const struct toe_drv_stats *toe_drv_stats(const struct toe_drv *d) { return &d->stats; }
const char *toe_drv_error(const struct toe_drv *d) { return d->err; }
int toe_drv_gone(const struct toe_drv *d) { return d->plat->gone; }
uint32_t toe_drv_conn_max(const struct toe_drv *d) { return d->conn_max; }
uint64_t toe_drv_now_ns(struct toe_drv *d) { return toe_plat_now_ns(d->plat); }
struct toe_plat *toe_drv_plat(struct toe_drv *d) { return d->plat; }
