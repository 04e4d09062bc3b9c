/*
 * RFC 6528 section 3 initial sequence numbers; see toe_isn.h.
 *
 * Linux (net/core/secure_seq.c) differs in one respect we do not follow:
 * its M is a 64 ns clock (seq_scale: ktime_get_real_ns() >> 6), chosen for
 * 10 Gb/s links; we keep RFC 6528's 4 us timer, which the issue names. The
 * hash input is Linux's: siphash_3u32(saddr, daddr, sport << 16 | dport)
 * with the local side first, for active and passive opens alike.
 */
#include "toe_isn.h"

#include <string.h>
#include <sodium.h>

/* Keeps the ISN secrets apart from the SYN-cookie secrets of the same seed. */
#define ISN_SEED_DOMAIN 0x49u /* 'I' */

int toe_isn_init_random(struct toe_isn_secret *s)
{
    if (sodium_init() < 0)
        return -1;
    randombytes_buf(s->seq_key, sizeof(s->seq_key));
    randombytes_buf(s->ts_key, sizeof(s->ts_key));
    return 0;
}

void toe_isn_init_seed(struct toe_isn_secret *s, uint64_t seed)
{
    unsigned char rseed[randombytes_SEEDBYTES] = {0};
    uint8_t keys[2 * TOE_SIPHASH_KEY_LEN];
    int i;

    for (i = 0; i < 8; i++)
        rseed[i] = (unsigned char)(seed >> (8 * i));
    rseed[8] = ISN_SEED_DOMAIN;
    randombytes_buf_deterministic(keys, sizeof(keys), rseed);
    memcpy(s->seq_key, keys, TOE_SIPHASH_KEY_LEN);
    memcpy(s->ts_key, keys + TOE_SIPHASH_KEY_LEN, TOE_SIPHASH_KEY_LEN);
}

void toe_isn_init_keys(struct toe_isn_secret *s, const uint8_t seq_key[TOE_SIPHASH_KEY_LEN],
                       const uint8_t ts_key[TOE_SIPHASH_KEY_LEN])
{
    memcpy(s->seq_key, seq_key, TOE_SIPHASH_KEY_LEN);
    memcpy(s->ts_key, ts_key, TOE_SIPHASH_KEY_LEN);
}

uint32_t toe_isn_clock(uint64_t now_ns)
{
    /* Truncation to 32 bits is the modular clock RFC 793 describes. */
    return (uint32_t)(now_ns / TOE_ISN_TICK_NS);
}

uint32_t toe_isn_hash(const struct toe_isn_secret *s, const struct toe_tuple4 *t)
{
    uint32_t w[3];

    w[0] = toe_siphash_addr_word(t->local_ip);
    w[1] = toe_siphash_addr_word(t->remote_ip);
    w[2] = toe_siphash_ports_word(t->local_port, t->remote_port);
    return toe_siphash24_words(s->seq_key, w, 3);
}

uint32_t toe_isn_generate(const struct toe_isn_secret *s, const struct toe_tuple4 *t,
                          uint64_t now_ns)
{
    return toe_isn_clock(now_ns) + toe_isn_hash(s, t); /* modulo 2^32 */
}

uint32_t toe_isn_ts_offset(const struct toe_isn_secret *s, uint32_t local_ip, uint32_t remote_ip)
{
    uint32_t w[2];

    w[0] = toe_siphash_addr_word(local_ip);
    w[1] = toe_siphash_addr_word(remote_ip);
    return toe_siphash24_words(s->ts_key, w, 2);
}
