// RX co-simulation: the 500 ms cap on the delayed ACK (RFC 1122 section 4.2.3.2).
//
// With cfg_delack_ticks above DELACK_TICKS_MAX the engine must behave as if it were
// DELACK_TICKS_MAX (docs/rx-datapath.md, "ACK policy" and "Ticks"): a segment placed at
// tick T that arms the delayed ACK sets delack_deadline = T + DELACK_TICKS_MAX, and the
// ACK goes out from the tick that makes now = T + DELACK_TICKS_MAX, not one tick sooner
// or later. The script works this out from the contract alone and says so in its
// items: READ commands between the ticks whose entry must show the ACK still armed with
// that deadline, or sent; and the list of ACKs, with the tick that sends each, its
// acknowledgment number and, with timestamps, its TSval (the run's ts_ticks is 1, so
// TSval is the tick count the RTL itself kept).
#ifndef TB_RX_DELACK_H
#define TB_RX_DELACK_H

#include <cstdint>
#include <random>
#include <vector>

#include "tb_rx_conn.h"

// The ticks per timestamp-clock unit the script assumes (TSval == now).
constexpr uint32_t kDelackTsTicks = 1;

// Two connections (one with timestamps at the top conn_id, one with 802.1Q and
// without), each sent small segments that arm the delayed ACK a few ticks apart, a
// second segment that must not move an armed deadline, then ticks until both ACKs are
// out, with READs every 100 ticks (at 1024 entries; more often in a larger table) and
// on both sides of each deadline. skew moves every expected deadline by that many
// ticks: a nonzero skew must make the run fail (the test of the checks).
// delack_cfg - as capped - plus skew must be at least 40.
void tb_rx_script_delack(std::vector<RxItem> &out, std::vector<RxRing> &rings, std::vector<RxAckExpect> &acks,
                         uint32_t conn_max, uint32_t delack_cfg, int skew, std::mt19937_64 &rng);

#endif
