/*
 * SipHash-2-4 for the TCP stack's keyed hashes (ISNs, timestamp offsets, SYN
 * cookies), through libsodium's crypto_shorthash_siphash24: a reviewed
 * implementation, not ours.
 *
 * The 4-tuple is hashed in the byte layout Linux's siphash_3u32/4u32 see on
 * a little-endian host (net/core/secure_seq.c, net/ipv4/syncookies.c): the
 * two addresses in network order, then the 32-bit word (sport << 16 | dport)
 * built from network-order ports - in memory dport's bytes then sport's -
 * then an optional 32-bit little-endian word (the SYN-cookie counter). With
 * the same 16-byte key the low 32 bits equal what Linux computes on x86.
 */
#ifndef TOE_SIPHASH_H
#define TOE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define TOE_SIPHASH_KEY_LEN 16 /* 128-bit key (RFC 6528 section 3: a secret of at least 128 bits) */

/* One TCP connection's addresses, in host byte order. */
struct toe_tuple4 {
    uint32_t local_ip;
    uint32_t remote_ip;
    uint16_t local_port;
    uint16_t remote_port;
};

/* SipHash-2-4 of msg[0..len) under key; the 8 output bytes read little-endian
 * (the paper's convention). */
uint64_t toe_siphash24(const uint8_t key[TOE_SIPHASH_KEY_LEN], const void *msg, size_t len);

/*
 * Linux's siphash_{2,3,4}u32 message: n_words 32-bit words, word i stored
 * little-endian at bytes 4i..4i+3. Returns the low 32 bits of the hash, as
 * Linux's callers keep (u32 result of a u64 function).
 */
uint32_t toe_siphash24_words(const uint8_t key[TOE_SIPHASH_KEY_LEN], const uint32_t *words,
                             unsigned n_words);

/*
 * The word Linux hashes for a pair of ports: (__be16 sport) << 16 | (__be16
 * dport) as a little-endian host sees them.
 */
uint32_t toe_siphash_ports_word(uint16_t sport, uint16_t dport);

/* An IPv4 address in host order as the __be32 a little-endian Linux loads. */
uint32_t toe_siphash_addr_word(uint32_t addr);

#endif /* TOE_SIPHASH_H */
