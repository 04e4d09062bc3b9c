/*
 * The two CRC-32s that index the connection table (docs/rx-datapath.md,
 * "Connection table"): CRC-32C (Castagnoli, the iSCSI CRC of RFC 3720
 * section 12.1) for bank 0 and the IEEE 802.3 CRC-32 (Ethernet FCS, zlib)
 * for bank 1.  Both in the usual reflected form: bytes enter LSB first,
 * register initialised to 0xFFFFFFFF, result XORed with 0xFFFFFFFF.
 */
#ifndef TOE_CRC32_H
#define TOE_CRC32_H

#include <stddef.h>
#include <stdint.h>

#define TOE_CRC32C_POLY 0x82F63B78u /* 0x1EDC6F41 reflected */
#define TOE_CRC32_POLY 0xEDB88320u  /* 0x04C11DB7 reflected */

/*
 * CRC-32C of data[0..len).  len may be 0 (the result is then 0); data may
 * then be NULL.  "123456789" gives 0xE3069283.
 */
uint32_t toe_crc32c(const void *data, size_t len);

/*
 * IEEE 802.3 CRC-32 of data[0..len), the value zlib's crc32() returns.
 * len may be 0 (result 0).  "123456789" gives 0xCBF43926.
 */
uint32_t toe_crc32(const void *data, size_t len);

#endif /* TOE_CRC32_H */
