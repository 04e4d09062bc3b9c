/*
 * The DMA memory allocator: carves one region of host memory that the device
 * can reach (the platform's: a memfd shared with toe-sim, or memory an IOMMU
 * maps) into aligned buffers, each with its host pointer and its bus address.
 *
 * First fit over a sorted table of extents (free or used), split on allocation
 * and merged with free neighbours on release: the driver allocates a few
 * dozen long-lived buffers (rings, buffer pools, a scratch page), so clarity
 * wins over speed. Bounded: at most max_extents extents, and never a byte
 * outside the region. Freeing anything that is not a live allocation is
 * refused and counted, never a corruption.
 */
#ifndef TOE_DMA_H
#define TOE_DMA_H

#include <stddef.h>
#include <stdint.h>

/* Every allocation starts on, and is rounded up to, a cache line. */
#define TOE_DMA_MIN_ALIGN 64u

/* One DMA buffer: where the host sees it and where the device does. */
struct toe_dma {
    void *va;
    uint64_t bus;
    size_t len;
};

struct toe_dma_extent {
    uint64_t off, len;
    int used;
};

struct toe_dma_pool {
    uint8_t *va;              /* host address of the region's first byte */
    uint64_t bus;             /* bus address (IOVA) of the same byte */
    uint64_t size;            /* 0: no DMA memory on this platform */
    struct toe_dma_extent *ext;
    unsigned n, max;          /* extents in use, capacity */
    uint64_t in_use;          /* bytes allocated */
    uint64_t bad_free;        /* frees of something not allocated */
};

/* A pool over [va, va + size) at bus address bus, for up to max_extents
 * extents (0: 4096). 0 or -ENOMEM. size 0 makes a pool that refuses every
 * allocation. */
int toe_dma_pool_init(struct toe_dma_pool *p, void *va, uint64_t bus, uint64_t size,
                      unsigned max_extents);
void toe_dma_pool_fini(struct toe_dma_pool *p);

/* len bytes (> 0) aligned to align (a power of two; below 64 means 64), zeroed.
 * 0 and *out filled; -EINVAL (len 0, align not a power of two), -ENOMEM (no
 * room, or the extent table is full). */
int toe_dma_alloc(struct toe_dma_pool *p, size_t len, size_t align, struct toe_dma *out);

/* Releases a buffer toe_dma_alloc() gave (by its bus address) and clears *b.
 * -EINVAL when it is not a live allocation (counted in bad_free). A buffer
 * with va NULL (never allocated) is ignored: 0. */
int toe_dma_free(struct toe_dma_pool *p, struct toe_dma *b);

/* 1 when [bus, bus + len) lies inside the region, len > 0, without overflow. */
int toe_dma_contains(const struct toe_dma_pool *p, uint64_t bus, uint64_t len);

#endif
