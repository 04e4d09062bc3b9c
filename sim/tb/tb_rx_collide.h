// RX co-simulation: 4-tuples that share both of their connection-table buckets.
//
// The bucket hashes are CRC-32C (bank 0) and CRC-32 (bank 1) of the 12-byte key, taken
// mod the bucket count, a power of two (docs/rx-datapath.md, "Connection table"). A CRC
// is affine over GF(2): for keys of one length crc(a ^ d) = crc(a) ^ crc(d) ^ crc(0),
// and so are its low bits. The keys base ^ d therefore share base's bucket in both
// banks exactly when d solves 2*log2(buckets) linear equations; solving them gives as
// many such keys as a test needs, at any table size, without a search.
#ifndef TB_RX_COLLIDE_H
#define TB_RX_COLLIDE_H

#include <cstdint>
#include <vector>

extern "C" {
#include "toe_conn_table.h"
}

// n distinct keys, base first, that differ from base only in the low 24 bits of the
// remote address and in the remote port, and sit in base's bank-0 and bank-1 buckets
// of a table of conn_max entries. Aborts if there are not n of them.
std::vector<toe_conn_key> tb_rx_colliding_keys(const toe_conn_key &base, unsigned n, uint32_t conn_max);

#endif
