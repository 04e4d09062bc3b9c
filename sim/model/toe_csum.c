/*
 * Internet checksum (RFC 1071) and incremental update (RFC 1624).
 * Contracts are in toe_csum.h.
 */
#include "toe_csum.h"

#include <string.h>

/*
 * Fold a 64-bit accumulator to [0, 0xFFFF] by end-around carry.  Each step
 * keeps the value modulo 0xFFFF (2^16 == 1 mod 0xFFFF) and keeps a nonzero
 * value nonzero, which is what the accumulator contract in toe_csum.h asks.
 */
static uint32_t fold64(uint64_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xFFFFu) + (acc >> 16);
    return (uint32_t)acc;
}

static uint16_t bswap16(uint32_t v)
{
    return (uint16_t)(((v & 0xFFu) << 8) | ((v >> 8) & 0xFFu));
}

/*
 * The plain word-at-a-time loop: the reference that toe_csum_partial_fast()
 * must match.  A 64-bit accumulator takes 2^48 words before it could
 * overflow, far beyond any buffer this model sees.
 */
uint32_t toe_csum_partial(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t acc = sum;
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        acc += ((uint32_t)p[i] << 8) | p[i + 1];
    if (len & 1)
        acc += (uint32_t)p[len - 1] << 8; /* RFC 1071: pad with zero */
    return fold64(acc);
}

uint32_t toe_csum_partial_at(uint32_t sum, const void *data, size_t len,
                             size_t offset)
{
    uint32_t piece = toe_csum_partial(0, data, len);

    /* The piece is folded to 16 bits, so swapping it is exact; 0 and
     * 0xFFFF swap to themselves, which keeps the accumulator's zero-ness. */
    if (offset & 1)
        piece = bswap16(piece);
    return fold64((uint64_t)sum + piece);
}

/* Bytes per chunk between folds in the fast loop: each 8-byte word adds
 * less than 2^33, so 2^27 words (1 GiB) add less than 2^60. */
#define FAST_CHUNK ((size_t)1 << 30)

/*
 * Sum 8-byte words as host-order numbers, each split into its two 32-bit
 * halves so that no carry is lost and the loop has no dependency on a
 * carry flag (the compiler can vectorise it).  On a little-endian host the
 * result is the byte-swapped sum (RFC 1071 section 2(B)), swapped back once.
 */
uint32_t toe_csum_partial_fast(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t total = 0;

    while (len >= 8) {
        size_t chunk = len < FAST_CHUNK ? len : FAST_CHUNK;
        uint64_t a0 = 0, a1 = 0;
        size_t i;

        chunk &= ~(size_t)7;
        for (i = 0; i + 16 <= chunk; i += 16) {
            uint64_t w0, w1;
            memcpy(&w0, p + i, 8);
            memcpy(&w1, p + i + 8, 8);
            a0 += (w0 & 0xFFFFFFFFu) + (w0 >> 32);
            a1 += (w1 & 0xFFFFFFFFu) + (w1 >> 32);
        }
        if (i < chunk) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            a0 += (w & 0xFFFFFFFFu) + (w >> 32);
        }
        total += fold64(a0) + fold64(a1);
        p += chunk;
        len -= chunk;
    }
    if (len) {
        /* Zero padding after the tail is exactly RFC 1071's odd-byte rule,
         * because the tail starts at an even offset. */
        uint8_t tail[8] = {0};
        uint64_t w;
        memcpy(tail, p, len);
        memcpy(&w, tail, 8);
        total += (w & 0xFFFFFFFFu) + (w >> 32);
    }

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    total = bswap16(fold64(total));
#endif
    return fold64(total + sum);
}

uint16_t toe_csum_fold(uint32_t sum)
{
    return (uint16_t)fold64(sum);
}

uint16_t toe_csum(const void *data, size_t len)
{
    return (uint16_t)~toe_csum_fold(toe_csum_partial(0, data, len));
}

uint16_t toe_csum_update16(uint16_t hc, uint16_t m, uint16_t m_new)
{
    uint32_t s = (uint32_t)(uint16_t)~hc + (uint16_t)~m + m_new;

    return (uint16_t)~toe_csum_fold(s);
}

uint32_t toe_csum_pseudo_ipv4(uint32_t src_ip, uint32_t dst_ip, uint8_t proto,
                              uint16_t l4_len)
{
    return (src_ip >> 16) + (src_ip & 0xFFFFu) + (dst_ip >> 16) +
           (dst_ip & 0xFFFFu) + proto + l4_len;
}
