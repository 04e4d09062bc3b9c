/*
 * Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * The checksum is the one's complement of the one's complement sum of the
 * data taken as big-endian 16-bit words; a trailing odd byte is the high
 * byte of a word padded with zero (RFC 1071 section 1, RFC 9293 section
 * 3.1).
 *
 * Partial sums.  The toe_csum_partial* functions return an "accumulator":
 * a value in [0, 0xFFFF] that is congruent, modulo 0xFFFF, to the one's
 * complement sum of everything added so far, and that is 0 only if
 * everything added so far was 0.  Because it never exceeds 0xFFFF a caller
 * may add up to 65536 accumulators (or other 16-bit words) into one
 * uint32_t before folding; every function here takes such a uint32_t.
 * toe_csum_fold() turns an accumulator into the 16-bit sum, and the
 * checksum field is its complement.
 */
#ifndef TOE_CSUM_H
#define TOE_CSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Add the bytes data[0..len) to the accumulator sum, as big-endian 16-bit
 * words starting at data[0]; an odd last byte is the high byte of a word
 * whose low byte is zero.  sum may be any uint32_t value (for example the
 * total of several accumulators).  Returns an accumulator in [0, 0xFFFF]
 * (see the file comment).  len may be 0; data may then be NULL.
 */
uint32_t toe_csum_partial(uint32_t sum, const void *data, size_t len);

/*
 * As toe_csum_partial(), but for a piece that starts at byte `offset` of the
 * checksummed region rather than at its start.  A piece at an odd offset
 * begins with the low byte of a word, so its own sum is byte-swapped before
 * it is added (RFC 1071 section 2(B): the sum is byte-order independent, so
 * a swapped sum is the sum of swapped words).  Summing a region in any
 * split, each piece with its offset, gives the same accumulator as summing
 * it whole.
 */
uint32_t toe_csum_partial_at(uint32_t sum, const void *data, size_t len,
                             size_t offset);

/*
 * Identical results to toe_csum_partial() for every input; faster, as it
 * adds 64-bit words with end-around carry (RFC 1071 section 2(C)) and
 * restores byte order once at the end (section 2(B)).  Loads go through
 * memcpy, so data may have any alignment and len any value.
 */
uint32_t toe_csum_partial_fast(uint32_t sum, const void *data, size_t len);

/*
 * Fold a 32-bit accumulator to 16 bits by end-around carry.  Not
 * complemented: the result is the one's complement sum itself.  A nonzero
 * input never folds to 0, so a sum over a nonzero word gives 0xFFFF, not 0,
 * when it is "minus zero".
 */
uint16_t toe_csum_fold(uint32_t sum);

/* The Internet checksum of data[0..len): ~fold(partial(0, data, len)). */
uint16_t toe_csum(const void *data, size_t len);

/*
 * Incremental update of a checksum field hc when a 16-bit word m of the
 * covered data becomes m_new: RFC 1624 section 3, eqn. 3,
 * HC' = ~(~HC + ~m + m').  Unlike eqn. 2 this never produces 0xFFFF
 * ("minus zero") where a full recomputation would give 0x0000.
 */
uint16_t toe_csum_update16(uint16_t hc, uint16_t m, uint16_t m_new);

/*
 * The accumulator of the IPv4 pseudo-header used by TCP (RFC 9293 section
 * 3.1) and UDP (RFC 768): source address, destination address, zero,
 * protocol, L4 length.  Addresses are host-order numbers (192.0.2.1 is
 * 0xC0000201).  The result is at most 5 * 0xFFFF + 0xFF and may be passed
 * as the sum of toe_csum_partial().
 */
uint32_t toe_csum_pseudo_ipv4(uint32_t src_ip, uint32_t dst_ip, uint8_t proto,
                              uint16_t l4_len);

#endif /* TOE_CSUM_H */
