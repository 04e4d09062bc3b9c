/*
 * SYN cookies (RFC 4987 section 3.6) in Linux's encoding; see
 * toe_syncookie.h for the layout and the call order.
 */
#include "toe_syncookie.h"

#include <assert.h>
#include <string.h>
#include <sodium.h>

#include "toe_seq.h"

/* Keeps the cookie secrets apart from the ISN secrets of the same seed. */
#define COOKIE_SEED_DOMAIN 0x43u /* 'C' */

#define TS_OPT_WSCALE_MASK 0xFu
#define TS_OPT_SACK        0x10u
#define TS_OPT_ECN         0x20u
#define TS_MASK            ((1u << TOE_SYNCOOKIE_TS_BITS) - 1)
#define MAX_WSCALE         14u /* RFC 7323 section 2.3 */

/* 1440 and 1452 are PPPoE over Ethernet; 536 the RFC 9293 default. */
const uint16_t toe_syncookie_msstab[TOE_SYNCOOKIE_N_MSS] = {536, 1300, 1440, 1460};

int toe_syncookie_init_random(struct toe_syncookie_secret *s)
{
    if (sodium_init() < 0)
        return -1;
    randombytes_buf(s->key, sizeof(s->key));
    return 0;
}

void toe_syncookie_init_seed(struct toe_syncookie_secret *s, uint64_t seed)
{
    unsigned char rseed[randombytes_SEEDBYTES] = {0};
    int i;

    for (i = 0; i < 8; i++)
        rseed[i] = (unsigned char)(seed >> (8 * i));
    rseed[8] = COOKIE_SEED_DOMAIN;
    randombytes_buf_deterministic(s->key, sizeof(s->key), rseed);
}

bool toe_syncookie_want(enum toe_syncookie_mode mode, bool syn_queue_full)
{
    switch (mode) {
    case TOE_SYNCOOKIES_ALWAYS:
        return true;
    case TOE_SYNCOOKIES_ON_OVERFLOW:
        return syn_queue_full;
    case TOE_SYNCOOKIES_OFF:
    default:
        return false;
    }
}

uint32_t toe_syncookie_time(uint64_t now_ns)
{
    return (uint32_t)(now_ns / TOE_SYNCOOKIE_PERIOD_NS);
}

/*
 * Linux cookie_hash(): siphash_4u32(saddr, daddr, sport << 16 | dport,
 * count) where s/d are the SYN's source (the peer) and destination (us).
 */
static uint32_t cookie_hash(const struct toe_syncookie_secret *s, const struct toe_tuple4 *t,
                            uint32_t count, int which)
{
    uint32_t w[4];

    w[0] = toe_siphash_addr_word(t->remote_ip);
    w[1] = toe_siphash_addr_word(t->local_ip);
    w[2] = toe_siphash_ports_word(t->remote_port, t->local_port);
    w[3] = count;
    return toe_siphash24_words(s->key[which], w, 4);
}

uint32_t toe_syncookie_make(const struct toe_syncookie_secret *s, const struct toe_tuple4 *t,
                            uint32_t peer_isn, uint16_t *mss, uint32_t count)
{
    uint32_t mssind;

    /* The largest entry not above the peer's MSS; index 0 as the floor. */
    for (mssind = TOE_SYNCOOKIE_N_MSS - 1; mssind > 0; mssind--)
        if (*mss >= toe_syncookie_msstab[mssind])
            break;
    *mss = toe_syncookie_msstab[mssind];

    /* All additions modulo 2^32 (secure_tcp_syn_cookie). */
    return cookie_hash(s, t, 0, 0) + peer_isn + (count << TOE_SYNCOOKIE_HASH_BITS) +
           ((cookie_hash(s, t, count, 1) + mssind) & TOE_SYNCOOKIE_HASH_MASK);
}

enum toe_syncookie_verdict toe_syncookie_check(const struct toe_syncookie_secret *s,
                                               const struct toe_tuple4 *t, uint32_t seg_seq,
                                               uint32_t seg_ack, uint32_t count, uint16_t *mss)
{
    /* The SYN and our SYN+ACK each took one sequence number (RFC 9293 3.4). */
    uint32_t cookie = seg_ack - 1;
    uint32_t peer_isn = seg_seq - 1;
    uint32_t age, data;

    /* Strip H1 and the peer's ISN: (count << 24) + (H2 + mssind) mod 2^24 is left. */
    cookie -= cookie_hash(s, t, 0, 0) + peer_isn;

    /* The counter has only 8 bits in the cookie: compare modulo 2^8. */
    age = (count - (cookie >> TOE_SYNCOOKIE_HASH_BITS)) & ((1u << TOE_SYNCOOKIE_COUNT_BITS) - 1);
    if (age >= TOE_SYNCOOKIE_MAX_AGE)
        return TOE_SYNCOOKIE_TOO_OLD;

    /* H2 of the full 32-bit counter it was made at: a cookie 256 minutes old
     * has age 0 here but fails this hash. */
    data = (cookie - cookie_hash(s, t, count - age, 1)) & TOE_SYNCOOKIE_HASH_MASK;
    if (data >= TOE_SYNCOOKIE_N_MSS)
        return TOE_SYNCOOKIE_BAD_HASH;
    *mss = toe_syncookie_msstab[data];
    return TOE_SYNCOOKIE_OK;
}

const char *toe_syncookie_verdict_name(enum toe_syncookie_verdict v)
{
    switch (v) {
    case TOE_SYNCOOKIE_OK:
        return "ok";
    case TOE_SYNCOOKIE_TOO_OLD:
        return "too old";
    case TOE_SYNCOOKIE_BAD_HASH:
        return "bad hash";
    }
    return "?";
}

uint32_t toe_syncookie_ts_encode(uint32_t ts_now, const struct toe_syncookie_opts *o)
{
    uint32_t options, ts;

    assert(!o->wscale_ok || o->snd_wscale <= MAX_WSCALE);
    options = o->wscale_ok ? o->snd_wscale : TS_OPT_WSCALE_MASK;
    if (o->sack_ok)
        options |= TS_OPT_SACK;
    if (o->ecn_ok)
        options |= TS_OPT_ECN;

    ts = (ts_now & ~TS_MASK) | options;
    /* Later TSvals use the plain clock; never let this one be ahead of it. */
    if (TOE_SEQ_GT(ts, ts_now))
        ts -= 1u << TOE_SYNCOOKIE_TS_BITS;
    return ts;
}

void toe_syncookie_ts_decode(uint32_t tsecr, struct toe_syncookie_opts *o)
{
    uint32_t options = tsecr & TS_MASK;
    uint32_t ws = options & TS_OPT_WSCALE_MASK;

    memset(o, 0, sizeof(*o));
    o->sack_ok = (options & TS_OPT_SACK) != 0;
    o->ecn_ok = (options & TS_OPT_ECN) != 0;
    if (ws == TS_OPT_WSCALE_MASK)
        return; /* no window scaling */
    o->wscale_ok = true;
    o->snd_wscale = (uint8_t)ws;
}
