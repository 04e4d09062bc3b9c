/*
 * Bitwise reflected CRC-32.  Contracts are in toe_crc32.h.
 *
 * The model only hashes 12-byte keys, so the bit-serial form, which is
 * visibly the textbook definition, is fast enough and has no table to get
 * wrong.
 */
#include "toe_crc32.h"

/* Reflected CRC with init and final XOR 0xFFFFFFFF over data[0..len). */
static uint32_t crc32_reflected(uint32_t poly, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t crc = 0xFFFFFFFFu;
    size_t i;
    int b;

    for (i = 0; i < len; i++) {
        crc ^= p[i];
        for (b = 0; b < 8; b++)
            crc = (crc >> 1) ^ ((crc & 1u) ? poly : 0u);
    }
    return crc ^ 0xFFFFFFFFu;
}

uint32_t toe_crc32c(const void *data, size_t len)
{
    return crc32_reflected(TOE_CRC32C_POLY, data, len);
}

uint32_t toe_crc32(const void *data, size_t len)
{
    return crc32_reflected(TOE_CRC32_POLY, data, len);
}
