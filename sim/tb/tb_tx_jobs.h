// TX co-simulation: the work a run feeds to the RTL and the model.
//
// A job is one descriptor plus the connection context it is sent with. Jobs are
// built before the run starts; their payloads live in one host-memory image that is
// the whole DMA window, so a job's buffer stays valid until the engine has read it.
#ifndef TB_TX_JOBS_H
#define TB_TX_JOBS_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "toe_formats.h"
}

struct TxJob {
    toe_tx_desc desc;
    toe_tx_ctx ctx;
    std::string what;  // a human-readable name, printed on a mismatch
};

// One TCP connection of the run: its context moves on as its sends complete, so
// that every flow in the capture has contiguous sequence numbers.
struct TxConn {
    toe_tx_ctx ctx;
    uint32_t next_seq;
};

struct TxWorkload {
    uint64_t dma_lo = 0x100000000ull;   // above 4 GiB: 64-bit addresses get exercised
    std::vector<uint8_t> mem;           // host memory: [dma_lo, dma_lo + mem.size())
    std::vector<TxJob> jobs;
    std::vector<TxConn> conns;
    uint64_t dma_hi() const { return dma_lo + mem.size(); }

    // Reserves len bytes of host memory filled from rng; returns their address.
    uint64_t alloc(size_t len, std::mt19937_64 &rng);
};

// The directed cases of docs/tx-datapath.md and the issue: boundary payload sizes,
// every tkeep alignment, MSS from the minimum to jumbo, sequence wrap, checksums
// 0x0000/0xFFFF, raw frames, flags, and every error status between good sends.
void tx_jobs_directed(TxWorkload &w, unsigned width_bytes, std::mt19937_64 &rng);

// n random jobs over a few connections; some break a rule on purpose.
void tx_jobs_random(TxWorkload &w, unsigned n, std::mt19937_64 &rng);

// n back-to-back sends of payload bytes each (MSS 1460, no options): the bench load.
void tx_jobs_bench(TxWorkload &w, unsigned n, unsigned payload, std::mt19937_64 &rng);

#endif
