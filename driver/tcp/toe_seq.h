/*
 * Sequence-number arithmetic (RFC 9293 section 3.4; RFC 1982 serial numbers).
 *
 * Sequence numbers live in a 32-bit circle: a is "before" b when the signed
 * distance b - a is positive. Every comparison of sequence numbers, ISNs and
 * timestamps in driver/tcp goes through these helpers, never through a raw
 * < on uint32_t, so that nothing breaks at the 2^32 wrap.
 */
#ifndef TOE_SEQ_H
#define TOE_SEQ_H

#include <stdint.h>

#define TOE_SEQ_LT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define TOE_SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define TOE_SEQ_GT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define TOE_SEQ_GEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)

/* The forward distance from a to b, modulo 2^32. */
static inline uint32_t toe_seq_diff(uint32_t b, uint32_t a)
{
    return b - a;
}

#endif /* TOE_SEQ_H */
