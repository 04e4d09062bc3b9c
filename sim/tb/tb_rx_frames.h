// RX co-simulation: the frames a run feeds to the RTL and the model.
//
// Well-formed traffic of every kind the parser tells apart (TCP with and without
// options, UDP, ARP, ICMP, IPv6, fragments, 802.1Q, IPv4 options, Ethernet padding),
// and every way of breaking it the contract names: truncation at every length, bad
// checksums, IHL < 5, wrong versions and lengths, bad data offsets, options running
// past the header, oversized and zero-length frames.
#ifndef TB_RX_FRAMES_H
#define TB_RX_FRAMES_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

struct RxFrame {
    std::vector<uint8_t> bytes;
    std::string what;  // printed on a mismatch
};

// A TCP segment to the local address with the given options and payload.
struct TcpSpec {
    bool vlan = false;
    unsigned ip_opt = 0;             // bytes of IPv4 options, multiple of 4
    std::vector<uint8_t> tcp_opt;    // raw option bytes, padded to a multiple of 4
    unsigned payload = 0;
    uint8_t flags = 0x10;            // ACK
    uint32_t src_ip = 0xC6336407, dst_ip = 0xC0000201;
    uint16_t src_port = 5001, dst_port = 40000;
    uint32_t seq = 1000, ack = 2000;
    uint16_t wnd = 65535;
    unsigned pad_to = 60;            // Ethernet minimum (frames without FCS)
};

std::vector<uint8_t> tb_rx_tcp_frame(const TcpSpec &s, std::mt19937_64 &rng);

// The directed set: one or more frames for every rule of the contract.
void tb_rx_frames_directed(std::vector<RxFrame> &out, std::mt19937_64 &rng);

// n random frames: mostly valid traffic, some broken at random.
void tb_rx_frames_random(std::vector<RxFrame> &out, unsigned n, std::mt19937_64 &rng);

#endif
