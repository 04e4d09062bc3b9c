/*
 * SYN cookies (RFC 4987 section 3.6), encoded as Linux encodes them
 * (net/ipv4/syncookies.c: __cookie_v4_init_sequence, __cookie_v4_check,
 * cookie_init_timestamp, cookie_timestamp_decode).
 *
 * A listener whose SYN queue is full (or always, tcp_syncookies=2) answers a
 * SYN with a SYN+ACK whose ISN is the cookie and keeps no state. The third
 * segment's ACK - 1 gives the cookie back; if it checks, the connection is
 * created from it and the MSS it carries.
 *
 *   cookie = H1(tuple) + ISN_peer + (count << 24)
 *          + ((H2(tuple, count) + mssind) & 0x00FFFFFF)      (mod 2^32)
 *
 * H1, H2: SipHash-2-4 under two 128-bit secrets; count: minutes (Linux's
 * tcp_cookie_time(), jiffies / (60 * HZ)); mssind: index into the MSS table.
 *
 * Call order: toe_syncookie_init_random() once; per SYN under pressure
 * toe_syncookie_want(), toe_syncookie_make() (and toe_syncookie_ts_encode()
 * when the SYN has timestamps); per ACK arriving for no connection,
 * toe_syncookie_check() (and toe_syncookie_ts_decode()).
 */
#ifndef TOE_SYNCOOKIE_H
#define TOE_SYNCOOKIE_H

#include <stdbool.h>
#include <stdint.h>

#include "toe_siphash.h"

#define TOE_SYNCOOKIE_COUNT_BITS 8      /* top 8 bits: the minute counter */
#define TOE_SYNCOOKIE_HASH_BITS  24     /* Linux COOKIEBITS */
#define TOE_SYNCOOKIE_HASH_MASK  0x00FFFFFFu
#define TOE_SYNCOOKIE_PERIOD_NS  60000000000ull /* TCP_SYNCOOKIE_PERIOD, 60 s */
#define TOE_SYNCOOKIE_MAX_AGE    2      /* MAX_SYNCOOKIE_AGE: ages 0 and 1 accepted */
#define TOE_SYNCOOKIE_N_MSS      4

/* Linux's msstab: what a cookie can say about the peer's MSS. */
extern const uint16_t toe_syncookie_msstab[TOE_SYNCOOKIE_N_MSS];

struct toe_syncookie_secret {
    uint8_t key[2][TOE_SIPHASH_KEY_LEN]; /* H1, H2 (Linux syncookie_secret[2]) */
};

/* net.ipv4.tcp_syncookies */
enum toe_syncookie_mode {
    TOE_SYNCOOKIES_OFF = 0,       /* never: a full SYN queue drops SYNs */
    TOE_SYNCOOKIES_ON_OVERFLOW = 1, /* Linux default: only while the SYN queue is full */
    TOE_SYNCOOKIES_ALWAYS = 2,    /* every SYN (testing, or a listener under siege) */
};

enum toe_syncookie_verdict {
    TOE_SYNCOOKIE_OK = 0,
    TOE_SYNCOOKIE_TOO_OLD,  /* the counter in the cookie is MAX_AGE or more minutes back
                             * (or ahead): expired, or a wrong tuple/secret scrambled it */
    TOE_SYNCOOKIE_BAD_HASH, /* counter in range but H2 does not give an MSS index: forged */
};

/* Fresh secrets from randombytes_buf. 0, or -1 when libsodium cannot start. */
int toe_syncookie_init_random(struct toe_syncookie_secret *s);

/* Secrets derived from seed (randombytes_buf_deterministic); distinct from the
 * ISN secrets of the same seed. */
void toe_syncookie_init_seed(struct toe_syncookie_secret *s, uint64_t seed);

/* Whether to answer this SYN with a cookie rather than queueing it. */
bool toe_syncookie_want(enum toe_syncookie_mode mode, bool syn_queue_full);

/* The minute counter at now_ns (tcp_cookie_time()), modulo 2^32. */
uint32_t toe_syncookie_time(uint64_t now_ns);

/*
 * The cookie (our ISN) for a SYN on t with sequence number peer_isn, made at
 * counter count. *mss holds the peer's announced MSS and is replaced by the
 * table entry the cookie encodes: the largest not above it (536 if none is).
 */
uint32_t toe_syncookie_make(const struct toe_syncookie_secret *s, const struct toe_tuple4 *t,
                            uint32_t peer_isn, uint16_t *mss, uint32_t count);

/*
 * Check the third segment of a cookie handshake on t: seg_seq and seg_ack are
 * its SEQ and ACK fields, count the counter now. On TOE_SYNCOOKIE_OK *mss is
 * the MSS the cookie encoded; otherwise *mss is untouched.
 */
enum toe_syncookie_verdict toe_syncookie_check(const struct toe_syncookie_secret *s,
                                               const struct toe_tuple4 *t, uint32_t seg_seq,
                                               uint32_t seg_ack, uint32_t count, uint16_t *mss);

const char *toe_syncookie_verdict_name(enum toe_syncookie_verdict v);

/*
 * Options a cookie cannot carry in 32 bits go into the low 6 bits of the
 * SYN+ACK's TSval (Linux cookie_init_timestamp; RFC 4987 section 3.6 notes
 * that cookies otherwise lose them): bits 0-3 the peer's window-scale shift
 * (15: none), bit 4 SACK permitted, bit 5 ECN.
 */
struct toe_syncookie_opts {
    bool wscale_ok;
    uint8_t snd_wscale; /* the peer's shift, 0..14 (RFC 7323 section 2.3) */
    bool sack_ok;
    bool ecn_ok;
};

#define TOE_SYNCOOKIE_TS_BITS 6

/*
 * The TSval to send (before the connection's timestamp offset is added):
 * ts_now with its low 6 bits replaced by the options, moved back 64 ticks if
 * that would put it after ts_now, so that later TSvals never go backwards.
 */
uint32_t toe_syncookie_ts_encode(uint32_t ts_now, const struct toe_syncookie_opts *o);

/*
 * The options from the third segment's TSecr, less the timestamp offset.
 * Every 6-bit value decodes: a shift field of 15 means no window scaling,
 * and 0..14 are the shifts we may have sent.
 */
void toe_syncookie_ts_decode(uint32_t tsecr, struct toe_syncookie_opts *o);

#endif /* TOE_SYNCOOKIE_H */
