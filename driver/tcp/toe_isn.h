/*
 * Initial sequence numbers (RFC 6528 section 3) and per-connection timestamp
 * offsets (RFC 7323 section 5.4, as Linux's secure_tcp_ts_off).
 *
 *   ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
 *
 * M ticks every 4 microseconds (RFC 6528 section 3, after RFC 793's clock)
 * and is read from a clock the caller passes in nanoseconds, so the same code
 * runs on virtual time in tests and on CLOCK_MONOTONIC in toed. F is
 * SipHash-2-4 under a 128-bit secret. Each 4-tuple gets its own sequence
 * space that still moves forward with time, so old duplicates of an earlier
 * incarnation of the same tuple fall outside the new window (RFC 6528
 * section 3, RFC 9293 section 3.4.1), while an off-path attacker cannot
 * predict the ISN of a connection it does not take part in.
 *
 * Call order: toe_isn_init_random() (or _seed, _keys) once per stack, then
 * toe_isn_generate() for each active open and each SYN answered, and
 * toe_isn_ts_offset() for each connection that uses timestamps.
 */
#ifndef TOE_ISN_H
#define TOE_ISN_H

#include <stdint.h>

#include "toe_siphash.h"

#define TOE_ISN_TICK_NS 4000u /* RFC 6528 section 3: M is a 4 us timer */

struct toe_isn_secret {
    uint8_t seq_key[TOE_SIPHASH_KEY_LEN]; /* F of RFC 6528 */
    uint8_t ts_key[TOE_SIPHASH_KEY_LEN];  /* timestamp offsets: its own key, as Linux's ts_secret */
};

/* Fresh secrets from libsodium's randombytes_buf (the OS CSPRNG). 0, or -1
 * when libsodium cannot initialise. */
int toe_isn_init_random(struct toe_isn_secret *s);

/* Secrets derived from seed with libsodium's randombytes_buf_deterministic:
 * the same seed gives the same secrets everywhere (tests, virtual time). */
void toe_isn_init_seed(struct toe_isn_secret *s, uint64_t seed);

/* Secrets given outright. */
void toe_isn_init_keys(struct toe_isn_secret *s, const uint8_t seq_key[TOE_SIPHASH_KEY_LEN],
                       const uint8_t ts_key[TOE_SIPHASH_KEY_LEN]);

/* M: now_ns in 4 us ticks, modulo 2^32 (it wraps every 4.77 hours). */
uint32_t toe_isn_clock(uint64_t now_ns);

/* F: the keyed hash of the 4-tuple alone. */
uint32_t toe_isn_hash(const struct toe_isn_secret *s, const struct toe_tuple4 *t);

/* The ISN for t at now_ns: M + F, modulo 2^32. */
uint32_t toe_isn_generate(const struct toe_isn_secret *s, const struct toe_tuple4 *t,
                          uint64_t now_ns);

/*
 * The offset added to every TSval of a connection between these two
 * addresses, so that TSval does not reveal the host's uptime (Linux:
 * secure_tcp_ts_off(net, local, remote), used when tcp_timestamps=1).
 */
uint32_t toe_isn_ts_offset(const struct toe_isn_secret *s, uint32_t local_ip, uint32_t remote_ip);

#endif /* TOE_ISN_H */
