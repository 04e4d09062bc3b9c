/*
 * SipHash-2-4 wrapper over libsodium (see toe_siphash.h for the layout).
 *
 * Linux feeds siphash raw 32-bit loads of network-order fields on a
 * little-endian machine. We build the same bytes explicitly, so the result
 * does not depend on the host's byte order.
 */
#include "toe_siphash.h"

#include <assert.h>
#include <sodium.h>

_Static_assert(crypto_shorthash_siphash24_KEYBYTES == TOE_SIPHASH_KEY_LEN, "SipHash key is 128 bits");
_Static_assert(crypto_shorthash_siphash24_BYTES == 8, "SipHash-2-4 gives 64 bits");

uint64_t toe_siphash24(const uint8_t key[TOE_SIPHASH_KEY_LEN], const void *msg, size_t len)
{
    unsigned char out[crypto_shorthash_siphash24_BYTES];
    uint64_t v = 0;
    int i;

    /* Cannot fail: SipHash has no error path, and needs no sodium_init(). */
    crypto_shorthash_siphash24(out, msg, (unsigned long long)len, key);
    for (i = 7; i >= 0; i--)
        v = v << 8 | out[i];
    return v;
}

uint32_t toe_siphash24_words(const uint8_t key[TOE_SIPHASH_KEY_LEN], const uint32_t *words,
                             unsigned n_words)
{
    uint8_t msg[16];
    unsigned i;

    assert(n_words <= 4);
    for (i = 0; i < n_words; i++) {
        msg[4 * i + 0] = (uint8_t)words[i];
        msg[4 * i + 1] = (uint8_t)(words[i] >> 8);
        msg[4 * i + 2] = (uint8_t)(words[i] >> 16);
        msg[4 * i + 3] = (uint8_t)(words[i] >> 24);
    }
    return (uint32_t)toe_siphash24(key, msg, 4u * n_words);
}

/* The 16-bit value a little-endian host loads from a network-order port. */
static uint32_t be16_as_loaded(uint16_t v)
{
    return (uint32_t)(uint16_t)(v >> 8 | v << 8);
}

uint32_t toe_siphash_ports_word(uint16_t sport, uint16_t dport)
{
    return be16_as_loaded(sport) << 16 | be16_as_loaded(dport);
}

uint32_t toe_siphash_addr_word(uint32_t addr)
{
    return (addr >> 24) | (addr >> 8 & 0xff00u) | (addr << 8 & 0xff0000u) | (addr << 24);
}
