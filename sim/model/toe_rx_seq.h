/*
 * Sequence-number comparisons modulo 2^32 (RFC 9293 section 3.4,
 * "Sequence Numbers"): a < b means (int32_t)(a - b) < 0, as
 * docs/rx-datapath.md states it.  Every comparison of sequence numbers,
 * timestamps (RFC 7323 section 5.3) and ticks goes through these, never
 * through a raw < on the numbers.
 */
#ifndef TOE_RX_SEQ_H
#define TOE_RX_SEQ_H

#include <stdint.h>

/* The signed distance a - b; gcc defines the conversion as modular. */
static inline int32_t toe_seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

static inline int toe_seq_lt(uint32_t a, uint32_t b)
{
    return toe_seq_diff(a, b) < 0;
}

static inline int toe_seq_leq(uint32_t a, uint32_t b)
{
    return toe_seq_diff(a, b) <= 0;
}

static inline int toe_seq_gt(uint32_t a, uint32_t b)
{
    return toe_seq_diff(a, b) > 0;
}

static inline int toe_seq_geq(uint32_t a, uint32_t b)
{
    return toe_seq_diff(a, b) >= 0;
}

#define SEQ_LT(a, b) toe_seq_lt((a), (b))
#define SEQ_LEQ(a, b) toe_seq_leq((a), (b))
#define SEQ_GT(a, b) toe_seq_gt((a), (b))
#define SEQ_GEQ(a, b) toe_seq_geq((a), (b))

#endif /* TOE_RX_SEQ_H */
