// RX co-simulation: 4-tuples that share both buckets (see tb_rx_collide.h).
#include "tb_rx_collide.h"

#include <cstdio>
#include <cstdlib>

namespace {

constexpr unsigned kVarBits = 40;  // remote address bits 0..23, remote port bits 0..15

toe_conn_key flip(toe_conn_key k, uint64_t d)
{
    k.remote_ip ^= (uint32_t)(d & 0xFFFFFF);
    k.remote_port = (uint16_t)(k.remote_port ^ (d >> 24));
    return k;
}

}  // namespace

std::vector<toe_conn_key> tb_rx_colliding_keys(const toe_conn_key &base, unsigned n, uint32_t conn_max)
{
    const uint32_t nb = conn_max / CONN_WAYS;
    unsigned bw = 0;
    while ((1u << bw) < nb) bw++;
    // Both bucket numbers side by side: the vector the equations are about.
    auto sig = [&](const toe_conn_key &k) {
        return (uint64_t)toe_conn_bucket(&k, 0, nb) | (uint64_t)toe_conn_bucket(&k, 1, nb) << bw;
    };
    const uint64_t s0 = sig(base);

    // Gaussian elimination over GF(2): a basis of the signatures of the flipped bits,
    // one row per pivot (its highest bit), each with the set of bits it combines. A
    // bit whose signature reduces to zero gives a combination that moves no bucket.
    struct Row {
        uint64_t sig, bits;
        bool used;
    };
    std::vector<Row> pivot(2 * bw, Row{0, 0, false});
    std::vector<uint64_t> null;
    for (unsigned j = 0; j < kVarBits; j++) {
        uint64_t v = sig(flip(base, 1ull << j)) ^ s0, bits = 1ull << j;
        for (int b = (int)(2 * bw) - 1; b >= 0 && v; b--) {
            if (!(v >> b & 1)) continue;
            if (!pivot[b].used) {
                pivot[b] = Row{v, bits, true};
                v = 0;
                bits = 0;
                break;
            }
            v ^= pivot[b].sig;
            bits ^= pivot[b].bits;
        }
        if (bits) null.push_back(bits);  // v reduced to zero: independent of the others
    }

    std::vector<toe_conn_key> keys;
    for (uint64_t i = 0; i < n; i++) {
        if (null.size() < 64 && i >> null.size()) {
            std::fprintf(stderr, "tb_rx_colliding_keys: only %zu free dimensions for %u keys\n", null.size(), n);
            std::abort();
        }
        uint64_t d = 0;
        for (unsigned b = 0; b < null.size() && b < 64; b++)
            if (i >> b & 1) d ^= null[b];
        toe_conn_key k = flip(base, d);
        if (sig(k) != s0) {  // the algebra above is wrong, not the RTL
            std::fprintf(stderr, "tb_rx_colliding_keys: key %u has buckets 0x%llx, base 0x%llx\n", (unsigned)i,
                         (unsigned long long)sig(k), (unsigned long long)s0);
            std::abort();
        }
        keys.push_back(k);
    }
    return keys;
}
