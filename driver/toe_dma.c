/* The DMA memory allocator; see toe_dma.h. */
#define _GNU_SOURCE
#include "toe_dma.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EXTENTS_DEFAULT 4096u

int toe_dma_pool_init(struct toe_dma_pool *p, void *va, uint64_t bus, uint64_t size,
                      unsigned max_extents)
{
    memset(p, 0, sizeof(*p));
    p->max = max_extents ? max_extents : EXTENTS_DEFAULT;
    /* The region must not wrap the bus either. */
    if (size && (!va || size - 1 > UINT64_MAX - bus))
        return -EINVAL;
    p->ext = calloc(p->max, sizeof(*p->ext));
    if (!p->ext)
        return -ENOMEM;
    p->va = va;
    p->bus = bus;
    p->size = size;
    if (size) {
        p->ext[0].off = 0;
        p->ext[0].len = size;
        p->n = 1;
    }
    return 0;
}

void toe_dma_pool_fini(struct toe_dma_pool *p)
{
    free(p->ext);
    memset(p, 0, sizeof(*p));
}

static int pow2(uint64_t v) { return v && !(v & (v - 1)); }

/* Makes room for one more extent after index i. */
static int insert_after(struct toe_dma_pool *p, unsigned i, uint64_t off, uint64_t len, int used)
{
    if (p->n == p->max)
        return -ENOMEM;
    memmove(&p->ext[i + 2], &p->ext[i + 1], (p->n - i - 1) * sizeof(*p->ext));
    p->ext[i + 1].off = off;
    p->ext[i + 1].len = len;
    p->ext[i + 1].used = used;
    p->n++;
    return 0;
}

static void remove_at(struct toe_dma_pool *p, unsigned i)
{
    memmove(&p->ext[i], &p->ext[i + 1], (p->n - i - 1) * sizeof(*p->ext));
    p->n--;
}

int toe_dma_alloc(struct toe_dma_pool *p, size_t len, size_t align, struct toe_dma *out)
{
    uint64_t want, a;
    unsigned i;

    memset(out, 0, sizeof(*out));
    if (len == 0 || !pow2(align ? align : 1))
        return -EINVAL;
    a = align < TOE_DMA_MIN_ALIGN ? TOE_DMA_MIN_ALIGN : align;
    if (len > p->size)
        return -ENOMEM;
    want = ((uint64_t)len + TOE_DMA_MIN_ALIGN - 1) & ~(uint64_t)(TOE_DMA_MIN_ALIGN - 1);
    for (i = 0; i < p->n; i++) {
        struct toe_dma_extent *e = &p->ext[i];
        /* Alignment is of the bus address: that is what the device checks. */
        uint64_t start = ((p->bus + e->off + a - 1) & ~(a - 1)) - p->bus;
        uint64_t pad = start - e->off, end;

        if (e->used || pad >= e->len || e->len - pad < want)
            continue;
        end = start + want;
        /* Room for the split pieces first, so that a full table changes nothing. */
        if (p->n + (pad != 0) + (end != e->off + e->len) > p->max)
            return -ENOMEM;
        if (end != e->off + e->len)
            (void)insert_after(p, i, end, e->off + e->len - end, 0);
        if (pad) {
            e->len = pad;
            (void)insert_after(p, i, start, want, 1);
            i++;
        } else {
            e->len = want;
            e->used = 1;
        }
        p->in_use += want;
        out->va = p->va + start;
        out->bus = p->bus + start;
        out->len = len;
        memset(out->va, 0, want);
        return 0;
    }
    return -ENOMEM;
}

int toe_dma_free(struct toe_dma_pool *p, struct toe_dma *b)
{
    uint64_t off;
    unsigned lo = 0, hi = p->n;

    if (!b->va)
        return 0;
    if (b->bus < p->bus || b->bus - p->bus >= p->size ||
        (uint8_t *)b->va != p->va + (b->bus - p->bus)) {
        p->bad_free++;
        return -EINVAL;
    }
    off = b->bus - p->bus;
    while (lo < hi) { /* binary search: extents are sorted by offset */
        unsigned mid = lo + (hi - lo) / 2;

        if (p->ext[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == p->n || p->ext[lo].off != off || !p->ext[lo].used) {
        p->bad_free++;
        return -EINVAL;
    }
    p->ext[lo].used = 0;
    p->in_use -= p->ext[lo].len;
    if (lo + 1 < p->n && !p->ext[lo + 1].used) {
        p->ext[lo].len += p->ext[lo + 1].len;
        remove_at(p, lo + 1);
    }
    if (lo > 0 && !p->ext[lo - 1].used) {
        p->ext[lo - 1].len += p->ext[lo].len;
        remove_at(p, lo);
    }
    memset(b, 0, sizeof(*b));
    return 0;
}

int toe_dma_contains(const struct toe_dma_pool *p, uint64_t bus, uint64_t len)
{
    return len > 0 && bus >= p->bus && bus - p->bus < p->size && len <= p->size - (bus - p->bus);
}
