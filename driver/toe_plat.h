/*
 * The driver's platform layer (docs/driver.md, "The platform layer"): the only
 * code that knows how BAR0 is reached, how DMA memory is had, how interrupts
 * arrive and what time it is. Two implementations - a real mapping of BAR0
 * (resource0) for hardware, and the toe-sim channel - so the rest of the driver
 * cannot tell them apart.
 *
 * Device gone. A platform that loses its device (the channel's peer died, a
 * device that stopped answering reads within the wall-clock guard, or reads of
 * all ones that the driver recognises as a removed device) marks itself gone:
 * from then on reads return all ones at once, writes are dropped and waits
 * return -ENODEV, so that nothing above it can hang. toe_plat_gone() and
 * toe_plat_gone_why() say so and why.
 *
 * One thread per platform: nothing here locks.
 */
#ifndef TOE_PLAT_H
#define TOE_PLAT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_dma.h"
#include "toe_pci.h"

struct toe_plat;

struct toe_plat_ops {
    const char *name;
    uint32_t (*read32)(struct toe_plat *p, uint32_t off);
    void (*write32)(struct toe_plat *p, uint32_t off, uint32_t v);
    /*
     * Wait up to timeout_ns of the platform's time (< 0: no timer) for MSI-X
     * messages; *fired gets the set of vectors (bit v: vector v) that fired
     * since the last call, including any that arrived during register reads.
     * Returns at once when some are already pending. 0 (with *fired possibly
     * 0: the timeout), or -ENODEV once the device is gone.
     */
    int (*wait_irq)(struct toe_plat *p, int64_t timeout_ns, uint32_t *fired);
    /* The platform's clock in ns: the virtual clock in virtual time, the
     * monotonic wall clock since open in real time. Never goes back. */
    uint64_t (*now_ns)(struct toe_plat *p);
    /* Function-level reset (docs/device.md, Reset). 0 or -errno. Vectors
     * pending from before it are forgotten. */
    int (*flr)(struct toe_plat *p);
    /* MSI-X enable (message control bit 15, function mask bit 14 clear) in
     * configuration space, or disable. 0 or -errno. */
    int (*msix_enable)(struct toe_plat *p, int on);
    void (*close)(struct toe_plat *p);
};

struct toe_plat {
    const struct toe_plat_ops *ops;
    uint32_t bar0_size;
    uint64_t bad_access;        /* register accesses refused: unaligned or beyond BAR0 */
    uint32_t time_mode;         /* TIME_MODE_REAL or TIME_MODE_VIRTUAL */
    struct toe_dma_pool dma;    /* the DMA memory (size 0: none) */
    char bdf[32];               /* for messages */
    int gone;                   /* the device is gone: see above */
    char gone_why[192];
};

/*
 * A register access must be 4-byte aligned and inside BAR0; one that is not is
 * refused and counted, and a refused read returns all ones, as a PCIe read
 * that nothing answers does.
 */
static inline int toe_plat_off_ok(struct toe_plat *p, uint32_t off)
{
    if ((off & 3u) == 0 && p->bar0_size >= 4u && off <= p->bar0_size - 4u)
        return 1;
    p->bad_access++;
    return 0;
}

static inline uint32_t toe_rd32(struct toe_plat *p, uint32_t off)
{
    if (p->gone)
        return 0xffffffffu;
    return toe_plat_off_ok(p, off) ? p->ops->read32(p, off) : 0xffffffffu;
}

static inline void toe_wr32(struct toe_plat *p, uint32_t off, uint32_t v)
{
    if (!p->gone && toe_plat_off_ok(p, off))
        p->ops->write32(p, off, v);
}

static inline int toe_plat_wait_irq(struct toe_plat *p, int64_t timeout_ns, uint32_t *fired)
{
    *fired = 0;
    return p->gone ? -ENODEV : p->ops->wait_irq(p, timeout_ns, fired);
}

static inline uint64_t toe_plat_now_ns(struct toe_plat *p) { return p->ops->now_ns(p); }

static inline int toe_plat_flr(struct toe_plat *p)
{
    return p->gone ? -ENODEV : p->ops->flr(p);
}

static inline int toe_plat_msix_enable(struct toe_plat *p, int on)
{
    return p->gone ? -ENODEV : p->ops->msix_enable(p, on);
}

static inline int toe_plat_dma_alloc(struct toe_plat *p, size_t len, size_t align, struct toe_dma *out)
{
    return toe_dma_alloc(&p->dma, len, align, out);
}

static inline int toe_plat_dma_free(struct toe_plat *p, struct toe_dma *b)
{
    return toe_dma_free(&p->dma, b);
}

static inline int toe_plat_gone(const struct toe_plat *p) { return p->gone; }
static inline const char *toe_plat_gone_why(const struct toe_plat *p) { return p->gone ? p->gone_why : ""; }

/* Marks the device gone (the first reason is kept). For implementations, and
 * for the driver when reads of all ones show a device that was removed. */
void toe_plat_mark_gone(struct toe_plat *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void toe_plat_close(struct toe_plat *p)
{
    if (p)
        p->ops->close(p);
}

/*
 * BAR0 mapped from the device's sysfs resource0 file, as on real hardware
 * (root, memory space enabled). It has no DMA memory yet (that needs an IOMMU
 * mapping through vfio) and no interrupt delivery (vfio's eventfds): its
 * wait_irq sleeps for the timeout and reports nothing, so the driver runs it
 * polled. Returns NULL with a message in err.
 */
struct toe_plat *toe_plat_mmio_open(const struct toe_pci_dev *dev, char *err, size_t errlen);

/* The channel platform (toe_plat_chan.c), for a device toe-sim plays. */
#define TOE_PLAT_CHAN_IOVA_DEFAULT 0x100000000ull  /* 4 GiB: bus address of the DMA memory */
#define TOE_PLAT_CHAN_DMA_DEFAULT (64ull << 20)     /* 64 MiB of DMA memory */
#define TOE_PLAT_GUARD_MS_DEFAULT 10000             /* wall-clock bound on any one wait */
#define TOE_PLAT_IRQ_QUANTUM_NS_DEFAULT 10000       /* virtual time: interrupt latency bound */

struct toe_plat_chan_opts {
    uint64_t dma_size;          /* bytes of DMA memory (0: TOE_PLAT_CHAN_DMA_DEFAULT) */
    uint64_t dma_iova;          /* its bus address (0: TOE_PLAT_CHAN_IOVA_DEFAULT) */
    int guard_ms;               /* wall-clock guard of one wait (0: TOE_PLAT_GUARD_MS_DEFAULT) */
    /*
     * Virtual time: the longest grant one SYNC gives the device while MSI-X
     * may arrive (0: TOE_PLAT_IRQ_QUANTUM_NS_DEFAULT). A SYNC stamped T
     * promises that nothing earlier than T follows, so an interrupt the device
     * sends at t < T is acted on at T: the grant is the interrupt latency.
     * While MSI-X is off in configuration space (a polled driver) no message
     * can come, and a wait grants its whole timeout at once.
     */
    uint64_t irq_quantum_ns;
    uint32_t spin_ns;           /* toe_chan_opts.spin_ns */
};

/*
 * Connects to the toe-sim playing dev, at <dev->dev_dir>/toe-sim.sock, with a
 * fresh sealed memfd as DMA memory, and reads REG_TIME_MODE to learn how time
 * runs. NULL with errno and a message in err; EBUSY: "device <bdf> is in use
 * by another driver".
 */
struct toe_plat *toe_plat_chan_open(const struct toe_pci_dev *dev, const struct toe_plat_chan_opts *opts,
                                    char *err, size_t errlen);

/* What the channel platform counted (tests, diagnostics). */
struct toe_plat_chan_stats {
    uint64_t reads, writes;     /* MMIO messages sent */
    uint64_t msix;              /* MSI-X messages received */
    uint64_t msix_during_read;  /* ... while a read waited for its DONE */
    uint64_t syncs_sent, syncs_received;
    uint64_t stale_done;        /* MMIO_DONEs for no read waiting */
    uint64_t bad_msgs;          /* messages the channel refused */
    uint64_t resets;            /* RESET messages sent */
};
const struct toe_plat_chan_stats *toe_plat_chan_stats(const struct toe_plat *p);

#endif
