// RX co-simulation with connections: a stimulus script of frames, commands and ticks.
//
// The script is written against a shadow copy of the C model, so that each step can
// be chosen from the connection's true state (the next in-order sequence number, what
// is outstanding, what the host may consume). The run then replays the script in the
// same order into the RTL and a fresh model and compares every output.
//
// Where the script knows from the contract alone what must happen (a status, the
// state a READ returns, when an ACK goes out), it says so in the item, and the harness
// checks the RTL's output against that too: the model agreeing with the RTL proves
// only that they agree.
#ifndef TB_RX_CONN_H
#define TB_RX_CONN_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "toe_formats.h"
}

// What the contract says the response to a command holds.
struct RxExpect {
    int status = -1;                // CONN_STATUS_*; -1: not checked
    bool read = false;              // a READ: the entry's fields below are checked
    bool delack_armed = false;      // pend bit 0
    uint32_t delack_deadline = 0;   // checked while armed
    uint32_t acks_out = 0, rcv_nxt = 0;
};

struct RxItem {
    enum Kind { FRAME, CMD, TICK } kind;
    std::vector<uint8_t> frame;  // FRAME
    toe_conn_cmd cmd;            // CMD
    toe_rx_ctx ctx;              // CMD INSERT
    std::string what;
    int phase = 0;               // bench: 0 set-up, 1 the measured stream, 2 ACK latency
    RxExpect expect;             // CMD
};

// One ACK the contract says must go out, in the order of the ACK stream.
struct RxAckExpect {
    uint16_t local_port;  // the ACK's TCP source port
    uint32_t tick;        // now of the tick that sends it
    uint32_t ack;         // its acknowledgment number
    bool ts;              // with the timestamp option; TSval is then `tick` (ts_ticks 1)
    uint32_t tsecr;       // with ts: TSecr, the connection's ts_recent
};

struct RxRing {
    uint64_t base, size;
};

RxItem tb_rx_item_tick();
RxItem tb_rx_item_frame(std::vector<uint8_t> frame, const std::string &what);
RxItem tb_rx_item_cmd(uint8_t op, uint16_t id, uint32_t a0, uint32_t a1, uint32_t a2, const toe_rx_ctx *ctx,
                      uint16_t tag, const std::string &what);

// The conn_id of the i-th connection a script installs: the first at the top of the
// table (conn_max - 1), the rest scattered over all of it.
uint16_t tb_rx_conn_id(unsigned i, uint32_t conn_max);

// nconn connections and n steps of traffic, commands and ticks over them; rings lists
// every receive ring the script installs (the harness's memory guard). Besides the
// nconn, a group of eight connections whose 4-tuples share both their bank-0 and
// their bank-1 bucket fills those buckets (every way of both banks), and a ninth
// tuple of that group meets TABLE_FULL. With more than 24 connections most of the
// traffic goes to a hot set (the first 12 and the group), the rest anywhere.
void tb_rx_script_conn(std::vector<RxItem> &out, std::vector<RxRing> &rings, unsigned nconn,
                       unsigned n, uint32_t conn_max, uint32_t delack_ticks, std::mt19937_64 &rng);

// The bench load: nconn connections installed, then nframes back-to-back in-order
// segments of payload bytes (0: pure ACKs padded to the 60-byte minimum frame) spread
// round-robin over them (phase 1), then two full-sized segments to one connection
// whose second draws an immediate ACK (phase 2, the ACK latency).
void tb_rx_script_bench(std::vector<RxItem> &out, std::vector<RxRing> &rings, unsigned nconn,
                        unsigned nframes, unsigned payload, uint32_t conn_max, std::mt19937_64 &rng);

#endif
