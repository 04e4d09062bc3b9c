/*
 * The driver's platform layer (docs/device.md): the only code that knows how
 * BAR0 is reached, how DMA memory is had and how interrupts arrive.  Two
 * implementations - a real mapping of BAR0 (resource0) for hardware, and the
 * toe-sim channel - so the rest of the driver cannot tell them apart.
 */
#ifndef TOE_PLAT_H
#define TOE_PLAT_H

#include <stddef.h>
#include <stdint.h>

#include "toe_pci.h"

struct toe_plat;

struct toe_plat_ops {
    const char *name;
    uint32_t (*read32)(struct toe_plat *p, uint32_t off);
    void (*write32)(struct toe_plat *p, uint32_t off, uint32_t v);
    void (*close)(struct toe_plat *p);
};

struct toe_plat {
    const struct toe_plat_ops *ops;
    uint32_t bar0_size;
    uint64_t bad_access;    /* register accesses refused: unaligned or beyond BAR0 */
};

/*
 * A register access must be 4-byte aligned and inside BAR0; one that is not is
 * refused and counted, and a refused read returns all ones, as a PCIe read
 * that nothing answers does.
 */
static inline int toe_plat_off_ok(struct toe_plat *p, uint32_t off)
{
    if ((off & 3u) == 0 && off <= p->bar0_size - 4u)
        return 1;
    p->bad_access++;
    return 0;
}

static inline uint32_t toe_rd32(struct toe_plat *p, uint32_t off)
{
    return toe_plat_off_ok(p, off) ? p->ops->read32(p, off) : 0xffffffffu;
}

static inline void toe_wr32(struct toe_plat *p, uint32_t off, uint32_t v)
{
    if (toe_plat_off_ok(p, off))
        p->ops->write32(p, off, v);
}

static inline void toe_plat_close(struct toe_plat *p)
{
    if (p)
        p->ops->close(p);
}

/*
 * BAR0 mapped from the device's sysfs resource0 file, as on real hardware
 * (root, memory space enabled).  Returns NULL with a message in err.
 */
struct toe_plat *toe_plat_mmio_open(const struct toe_pci_dev *dev, char *err, size_t errlen);

#endif
