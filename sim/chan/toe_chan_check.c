/*
 * What the channel checks: a message against the rules of its type and ring
 * (docs/device.md "The channel", Messages), and a DMA range against the host's
 * memory, as an IOMMU would. Pure functions, plus the DMA pointer lookup.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "toe_chan_priv.h"

#define H2D (1u << TOE_CHAN_H2D)
#define D2H (1u << TOE_CHAN_D2H)

/* Per type: its name, the rings it may travel, and how many payload bytes it
 * uses (the rest must be 0, so that a later version can give them meaning and
 * be told apart). */
static const struct {
    const char *name;
    unsigned dirs;
    unsigned used;
} types[] = {
    [CHAN_MSG_MMIO_READ] = {"MMIO_READ", H2D, 18},
    [CHAN_MSG_MMIO_WRITE] = {"MMIO_WRITE", H2D, 18},
    [CHAN_MSG_MMIO_DONE] = {"MMIO_DONE", D2H, 8},
    [CHAN_MSG_MSIX] = {"MSIX", D2H, 2},
    [CHAN_MSG_SYNC] = {"SYNC", H2D | D2H, 8},
    [CHAN_MSG_RESET] = {"RESET", H2D, 0},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

const char *toe_chan_msg_name(unsigned type)
{
    return type < NTYPES && types[type].name ? types[type].name : "?";
}

int toe_chan_msg_check(const struct toe_chan_msg *m, enum toe_chan_dir dir, uint64_t min_time,
                       char *why, size_t whylen)
{
    const struct toe_chan_mmio *io = &m->payload.mmio;
    unsigned i;

#define BAD(...) return snprintf(why, whylen, __VA_ARGS__), -EPROTO
    if (m->type >= NTYPES || !types[m->type].name)
        BAD("unknown type %u", m->type);
    if (!(types[m->type].dirs & (1u << dir)))
        BAD("%s does not travel from %s", types[m->type].name,
            dir == TOE_CHAN_H2D ? "host to device" : "device to host");
    if (m->flags)
        BAD("flags 0x%04x (reserved, 0)", m->flags);
    if (m->id && m->type != CHAN_MSG_MMIO_READ && m->type != CHAN_MSG_MMIO_DONE)
        BAD("id %" PRIu32 " on a %s (reserved, 0)", m->id, types[m->type].name);
    if (m->time < min_time)
        BAD("time %" PRIu64 " ps is before %" PRIu64 " ps, the ring's last", m->time, min_time);
    for (i = types[m->type].used; i < sizeof(m->payload.bytes); i++)
        if (m->payload.bytes[i])
            BAD("payload byte %u is 0x%02x (unused by %s, 0)", i, m->payload.bytes[i],
                types[m->type].name);
    switch (m->type) {
    case CHAN_MSG_MMIO_READ:
    case CHAN_MSG_MMIO_WRITE:
        if (io->size != 4 && io->size != 8)
            BAD("MMIO size %u (4 or 8)", io->size);
        if (io->bar > 5)
            BAD("BAR %u (0 to 5)", io->bar);
        /* PCIe MMIO here is naturally aligned: a register never straddles
         * two, and a 64-bit access is one TLP. */
        if (io->offset % io->size)
            BAD("offset 0x%" PRIx64 " is not a multiple of the size %u", io->offset, io->size);
        if (m->type == CHAN_MSG_MMIO_READ && io->value)
            BAD("value 0x%" PRIx64 " on an MMIO_READ (0)", io->value);
        if (io->size == 4 && io->value >> 32)
            BAD("4-byte write of 0x%" PRIx64 ": more than 32 bits", io->value);
        break;
    case CHAN_MSG_SYNC:
        /* A grant runs forward from the host's clock; the device's SYNC says
         * only where it stopped. */
        if (dir == TOE_CHAN_H2D && m->payload.sync.until < m->time)
            BAD("SYNC grant until %" PRIu64 " ps is before its time %" PRIu64 " ps",
                m->payload.sync.until, m->time);
        if (dir == TOE_CHAN_D2H && m->payload.sync.until)
            BAD("device SYNC with until %" PRIu64 " (0)", m->payload.sync.until);
        break;
    case CHAN_MSG_MSIX:
        if (m->payload.msix.vector >= MSIX_VECTORS)
            BAD("MSI-X vector %u (below %u)", m->payload.msix.vector, MSIX_VECTORS);
        break;
    default:
        break;
    }
#undef BAD
    return 0;
}

int toe_chan_dma_range_ok(uint64_t base, uint64_t size, uint64_t iova, uint64_t len)
{
    /* No sum is formed, so nothing can wrap: the offset into the region must
     * leave room for len. */
    return len != 0 && iova >= base && iova - base < size && len <= size - (iova - base);
}

void *toe_chan_dma_ptr(struct toe_chan *ch, uint64_t iova, uint64_t len)
{
    if (ch->dma && toe_chan_dma_range_ok(ch->dma_iova, ch->dma_size, iova, len))
        return ch->dma + (iova - ch->dma_iova);
    ch->stats.dma_refused++;
    if (!ch->dma)
        toe_chan_fail(ch, EFAULT, 0, "DMA of %" PRIu64 " bytes at 0x%" PRIx64
                      " refused: no DMA memory", len, iova);
    else
        toe_chan_fail(ch, EFAULT, 0, "DMA of %" PRIu64 " bytes at 0x%" PRIx64
                      " refused: outside [0x%" PRIx64 ", 0x%" PRIx64 " + 0x%" PRIx64 ")",
                      len, iova, ch->dma_iova, ch->dma_iova, ch->dma_size);
    toe_chan_log_limited(ch, ch->stats.dma_refused);
    return NULL;
}
