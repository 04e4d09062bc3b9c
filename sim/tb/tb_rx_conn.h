// RX co-simulation with connections: a stimulus script of frames, commands and ticks.
//
// The script is written against a shadow copy of the C model, so that each step can
// be chosen from the connection's true state (the next in-order sequence number, what
// is outstanding, what the host may consume). The run then replays the script in the
// same order into the RTL and a fresh model and compares every output.
#ifndef TB_RX_CONN_H
#define TB_RX_CONN_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "toe_formats.h"
}

struct RxItem {
    enum Kind { FRAME, CMD, TICK } kind;
    std::vector<uint8_t> frame;  // FRAME
    toe_conn_cmd cmd;            // CMD
    toe_rx_ctx ctx;              // CMD INSERT
    std::string what;
    int phase = 0;               // bench: 0 set-up, 1 the measured stream, 2 ACK latency
};

struct RxRing {
    uint64_t base, size;
};

// nconn connections and n steps of traffic, commands and ticks over them; rings lists
// every receive ring the script installs (the harness's memory guard).
void tb_rx_script_conn(std::vector<RxItem> &out, std::vector<RxRing> &rings, unsigned nconn,
                       unsigned n, uint32_t conn_max, uint32_t delack_ticks, std::mt19937_64 &rng);

// The bench load: nconn connections installed, then nframes back-to-back in-order
// segments of payload bytes (0: pure ACKs padded to the 60-byte minimum frame) spread
// round-robin over them (phase 1), then two full-sized segments to one connection
// whose second draws an immediate ACK (phase 2, the ACK latency).
void tb_rx_script_bench(std::vector<RxItem> &out, std::vector<RxRing> &rings, unsigned nconn,
                        unsigned nframes, unsigned payload, uint32_t conn_max, std::mt19937_64 &rng);

#endif
