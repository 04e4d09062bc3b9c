// RX co-simulation frames: builders, the directed set and random traffic.
#include "tb_rx_frames.h"

#include <cstring>

extern "C" {
#include "toe_csum.h"
#include "toe_pkt.h"
}

namespace {

const uint8_t kDstMac[6] = {0x02, 0x0a, 0x70, 0x0e, 0x00, 0x01};
const uint8_t kSrcMac[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x07};

size_t put_eth(std::vector<uint8_t> &f, bool vlan, uint16_t type)
{
    f.insert(f.end(), kDstMac, kDstMac + 6);
    f.insert(f.end(), kSrcMac, kSrcMac + 6);
    if (vlan) {
        const uint8_t tag[4] = {0x81, 0x00, 0x20, 0x65};
        f.insert(f.end(), tag, tag + 4);
    }
    f.push_back((uint8_t)(type >> 8));
    f.push_back((uint8_t)type);
    return f.size();
}

// IPv4 header at l3 (options NOP-filled), checksum filled.
void put_ipv4(std::vector<uint8_t> &f, size_t l3, unsigned ip_opt, uint8_t proto, size_t l4_len,
              uint32_t src, uint32_t dst, uint16_t frag, std::mt19937_64 &rng)
{
    unsigned ihl = 20 + ip_opt;
    f.resize(l3 + ihl + l4_len);
    uint8_t *ip = &f[l3];
    ip[0] = (uint8_t)(0x40 | (ihl / 4));
    ip[1] = (uint8_t)(rng() & 0xFC);
    toe_put16(ip + 2, (uint16_t)(ihl + l4_len));
    toe_put16(ip + 4, (uint16_t)rng());
    toe_put16(ip + 6, frag);
    ip[8] = 64;
    ip[9] = proto;
    toe_put16(ip + 10, 0);
    toe_put32(ip + 12, src);
    toe_put32(ip + 16, dst);
    for (unsigned i = 20; i < ihl; i++) ip[i] = 1;  // NOPs
    toe_put16(ip + 10, toe_csum(ip, ihl));
}

void pad(std::vector<uint8_t> &f, unsigned to)
{
    while (f.size() < to) f.push_back(0);
}

void fix_ip_csum(std::vector<uint8_t> &f, size_t l3)
{
    unsigned ihl = (f[l3] & 15) * 4;
    if (ihl < 20 || l3 + ihl > f.size()) return;
    toe_put16(&f[l3 + 10], 0);
    toe_put16(&f[l3 + 10], toe_csum(&f[l3], ihl));
}

void fix_tcp_csum(std::vector<uint8_t> &f, size_t l3, size_t l4, size_t len4)
{
    toe_put16(&f[l4 + 16], 0);
    uint32_t sum = toe_csum_pseudo_ipv4(toe_get32(&f[l3 + 12]), toe_get32(&f[l3 + 16]), 6, (uint16_t)len4);
    toe_put16(&f[l4 + 16], (uint16_t)~toe_csum_fold(toe_csum_partial(sum, &f[l4], len4)));
}

std::vector<uint8_t> udp_frame(bool vlan, unsigned payload, bool zero_csum, std::mt19937_64 &rng)
{
    std::vector<uint8_t> f;
    size_t l3 = put_eth(f, vlan, 0x0800);
    put_ipv4(f, l3, 0, 17, 8 + payload, 0xC6336407, 0xC0000201, 0x4000, rng);
    uint8_t *u = &f[l3 + 20];
    toe_put16(u, 53000);
    toe_put16(u + 2, 9);
    toe_put16(u + 4, (uint16_t)(8 + payload));
    for (unsigned i = 0; i < payload; i++) u[8 + i] = (uint8_t)rng();
    toe_put16(u + 6, 0);
    if (!zero_csum) toe_udp_csum_fill(0xC6336407, 0xC0000201, u, 8 + payload);
    pad(f, 60);
    return f;
}

std::vector<uint8_t> ts_opt(uint32_t tsval, uint32_t tsecr)
{
    std::vector<uint8_t> o = {1, 1, 8, 10};
    for (int i = 3; i >= 0; i--) o.push_back((uint8_t)(tsval >> (8 * i)));
    for (int i = 3; i >= 0; i--) o.push_back((uint8_t)(tsecr >> (8 * i)));
    return o;
}

}  // namespace

std::vector<uint8_t> tb_rx_tcp_frame(const TcpSpec &s, std::mt19937_64 &rng)
{
    std::vector<uint8_t> opt = s.tcp_opt;
    while (opt.size() % 4) opt.push_back(0);  // EOL padding
    std::vector<uint8_t> f;
    size_t l3 = put_eth(f, s.vlan, 0x0800);
    size_t thl = 20 + opt.size();
    put_ipv4(f, l3, s.ip_opt, 6, thl + s.payload, s.src_ip, s.dst_ip, 0x4000, rng);
    size_t l4 = l3 + 20 + s.ip_opt;
    uint8_t *t = &f[l4];
    toe_put16(t, s.src_port);
    toe_put16(t + 2, s.dst_port);
    toe_put32(t + 4, s.seq);
    toe_put32(t + 8, s.ack);
    t[12] = (uint8_t)((thl / 4) << 4);
    t[13] = s.flags;
    toe_put16(t + 14, s.wnd);
    toe_put16(t + 18, 0);
    std::memcpy(t + 20, opt.data(), opt.size());
    for (unsigned i = 0; i < s.payload; i++) t[thl + i] = (uint8_t)rng();
    fix_tcp_csum(f, l3, l4, thl + s.payload);
    pad(f, s.pad_to);
    return f;
}

void tb_rx_frames_directed(std::vector<RxFrame> &out, std::mt19937_64 &rng)
{
    auto add = [&](std::vector<uint8_t> f, const std::string &what) { out.push_back(RxFrame{f, what}); };

    // Well-formed TCP in every shape the parser distinguishes.
    TcpSpec s;
    add(tb_rx_tcp_frame(s, rng), "tcp/pure ack (padded to 60)");
    s.payload = 1460;
    add(tb_rx_tcp_frame(s, rng), "tcp/1460");
    s.tcp_opt = ts_opt(123456, 654321);
    s.payload = 1448;
    add(tb_rx_tcp_frame(s, rng), "tcp/ts 1448");
    s.vlan = true;
    s.ip_opt = 8;
    s.payload = 3;
    add(tb_rx_tcp_frame(s, rng), "tcp/ts vlan ip-options");
    s = TcpSpec();
    s.tcp_opt = {8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1};  // TS first, NOP NOP after
    add(tb_rx_tcp_frame(s, rng), "tcp/ts then nops");
    s.tcp_opt = {2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2};     // MSS, NOP, WS, SACK-permitted
    s.flags = 0x02;
    add(tb_rx_tcp_frame(s, rng), "tcp/syn with mss ws sackok");
    s.tcp_opt = {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9};  // a SACK block
    s.flags = 0x10;
    add(tb_rx_tcp_frame(s, rng), "tcp/sack block");
    s.tcp_opt = {0, 2, 4, 5, 0xb4};                     // EOL first: the rest is ignored
    add(tb_rx_tcp_frame(s, rng), "tcp/eol ends options");
    s.tcp_opt = {254, 6, 1, 2, 3, 4};                   // unknown option, skipped by length
    add(tb_rx_tcp_frame(s, rng), "tcp/unknown option");
    {
        std::vector<uint8_t> two = ts_opt(1, 2), second = ts_opt(3, 4);
        two.insert(two.end(), second.begin(), second.end());
        s.tcp_opt = two;
        add(tb_rx_tcp_frame(s, rng), "tcp/two timestamp options");
    }
    s.tcp_opt = {8, 9, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};    // kind 8 with the wrong length
    add(tb_rx_tcp_frame(s, rng), "tcp/ts wrong length");
    s.tcp_opt.assign(40, 1);                             // forty NOPs: the longest walk
    add(tb_rx_tcp_frame(s, rng), "tcp/40 nops");

    // Malformed TCP.
    {
        s = TcpSpec();
        s.tcp_opt = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 2, 9};  // MSS length runs past
        add(tb_rx_tcp_frame(s, rng), "tcp/option past header");
        s.tcp_opt = {1, 1, 30, 1, 0, 0, 0, 0};                    // length 1
        add(tb_rx_tcp_frame(s, rng), "tcp/option length < 2");
        s.tcp_opt = {1, 1, 1, 2};                                  // kind 2 without a length byte
        add(tb_rx_tcp_frame(s, rng), "tcp/option without length byte");
        s = TcpSpec();
        s.payload = 10;
        std::vector<uint8_t> f = tb_rx_tcp_frame(s, rng);
        f[14 + 20 + 12] = 0x40;  // data offset 4
        fix_tcp_csum(f, 14, 34, 30);
        add(f, "tcp/doff 4");
        f = tb_rx_tcp_frame(s, rng);
        f[14 + 20 + 12] = 0xF0;  // 60-byte header in a 30-byte segment
        fix_tcp_csum(f, 14, 34, 30);
        add(f, "tcp/doff beyond segment");
        f = tb_rx_tcp_frame(s, rng);
        f[14 + 20 + 30 - 1] ^= 0x20;  // payload bit flip
        add(f, "tcp/bad checksum");
        s.payload = 0;
        f = tb_rx_tcp_frame(s, rng);
        f[14 + 20 + 16] ^= 0xFF;
        add(f, "tcp/bad checksum pure ack");
    }

    // IPv4 faults.
    {
        s = TcpSpec();
        s.payload = 100;
        std::vector<uint8_t> base = tb_rx_tcp_frame(s, rng), f;
        f = base; f[14] = 0x65; fix_ip_csum(f, 14); add(f, "ip/version 6 in an IPv4 frame");
        f = base; f[14] = 0x44; add(f, "ip/ihl 4");
        f = base; toe_put16(&f[16], 1500); fix_ip_csum(f, 14); add(f, "ip/total beyond frame");
        f = base; toe_put16(&f[16], 16); fix_ip_csum(f, 14); add(f, "ip/total below ihl");
        f = base; toe_put16(&f[16], 40); fix_ip_csum(f, 14); add(f, "ip/total shorter (tcp sum breaks)");
        f = base; f[14 + 8] ^= 1; add(f, "ip/bad header checksum");
        f = base; f[14] = 0x4F; fix_ip_csum(f, 14); add(f, "ip/ihl 15 past the segment");
        f = base; toe_put16(&f[20], 0x2000); fix_ip_csum(f, 14); add(f, "ip/fragment MF");
        f = base; toe_put16(&f[20], 0x0005); fix_ip_csum(f, 14); add(f, "ip/fragment offset");
        f = base; f[23] = 1; fix_ip_csum(f, 14); add(f, "ip/icmp");
        f = base; f[12] = 0x86; f[13] = 0xdd; add(f, "eth/ipv6");
        f = base; f[12] = 0x08; f[13] = 0x06; add(f, "eth/arp type");
        f = base; f[12] = 0x88; f[13] = 0xa8; add(f, "eth/qinq outer tag");
    }

    // UDP.
    add(udp_frame(false, 20, false, rng), "udp/good");
    add(udp_frame(true, 333, false, rng), "udp/good vlan odd");
    add(udp_frame(false, 12, true, rng), "udp/no checksum");
    {
        std::vector<uint8_t> f = udp_frame(false, 20, false, rng);
        f[14 + 20 + 8] ^= 0x80;
        add(f, "udp/bad checksum");
        f = udp_frame(false, 20, false, rng);
        toe_put16(&f[14 + 20 + 4], 27);
        add(f, "udp/length mismatch");
        f = udp_frame(false, 0, false, rng);
        toe_put16(&f[16], 20 + 6);  // 6-byte UDP "header"
        fix_ip_csum(f, 14);
        add(f, "udp/truncated header");
    }

    // Sizes: zero, runts, exactly an Ethernet header, a tag cut short, oversize.
    add({}, "size/zero-length");
    add(std::vector<uint8_t>(13, 0xAA), "size/13 bytes");
    add(std::vector<uint8_t>(14, 0x00), "size/14 bytes, type 0");
    {
        std::vector<uint8_t> f;
        put_eth(f, false, 0x8100);
        f.push_back(0);
        add(f, "size/tag cut short");
        s = TcpSpec();
        s.payload = 9000 - 40;
        s.vlan = true;
        add(tb_rx_tcp_frame(s, rng), "size/jumbo 9018 tcp");
        f = tb_rx_tcp_frame(s, rng);
        f.resize(9300, 0x55);
        add(f, "size/9300 bytes: too long");
    }

    // Truncated at every length: a timestamp segment with a little data, VLAN and not.
    for (int v = 0; v < 2; v++) {
        s = TcpSpec();
        s.vlan = v;
        s.tcp_opt = ts_opt(77, 88);
        s.payload = 9;
        s.pad_to = 0;
        std::vector<uint8_t> whole = tb_rx_tcp_frame(s, rng);
        for (size_t n = 0; n <= whole.size(); n++)
            add(std::vector<uint8_t>(whole.begin(), whole.begin() + (long)n),
                std::string("truncated/") + (v ? "vlan/" : "") + std::to_string(n));
    }
}

void tb_rx_frames_random(std::vector<RxFrame> &out, unsigned n, std::mt19937_64 &rng)
{
    for (unsigned i = 0; i < n; i++) {
        std::string what = "random#" + std::to_string(i);
        std::vector<uint8_t> f;
        unsigned kind = (unsigned)(rng() % 100);
        if (kind < 70) {
            TcpSpec s;
            s.vlan = rng() % 4 == 0;
            s.ip_opt = 4 * (unsigned)(rng() % 3 == 0 ? rng() % 11 : 0);
            unsigned o = (unsigned)(rng() % 6);
            if (o == 1 || o == 2) s.tcp_opt = ts_opt((uint32_t)rng(), (uint32_t)rng());
            else if (o == 3) s.tcp_opt = {2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2};
            else if (o == 4) for (unsigned k = (unsigned)(rng() % 41); k; k--) s.tcp_opt.push_back((uint8_t)rng());
            unsigned pr = (unsigned)(rng() % 10);
            s.payload = pr < 4 ? 0 : pr < 8 ? (unsigned)(rng() % 1461) : (unsigned)(rng() % 8900);
            s.flags = (uint8_t)(rng() % 5 ? 0x18 : rng());
            s.seq = (uint32_t)rng();
            s.ack = (uint32_t)rng();
            s.src_port = (uint16_t)rng();
            s.dst_port = (uint16_t)rng();
            f = tb_rx_tcp_frame(s, rng);
            what += " tcp";
        } else if (kind < 80) {
            f = udp_frame(rng() % 2, (unsigned)(rng() % 1400), rng() % 5 == 0, rng);
            what += " udp";
        } else if (kind < 85) {
            f.resize(42 + rng() % 30);
            for (auto &b : f) b = (uint8_t)rng();
            f[12] = 0x08; f[13] = 0x06;
            what += " arp";
        } else {
            f.resize(rng() % 200);
            for (auto &b : f) b = (uint8_t)rng();
            if (f.size() > 14 && rng() % 2) { f[12] = 0x08; f[13] = 0x00; f[14] = 0x45; }
            what += " junk";
        }
        // Break some on purpose: a flipped bit anywhere, or a cut anywhere.
        unsigned b = (unsigned)(rng() % 10);
        if (b == 0 && !f.empty()) {
            f[rng() % f.size()] ^= (uint8_t)(1u << (rng() % 8));
            what += " bitflip";
        } else if (b == 1 && !f.empty()) {
            f.resize(rng() % f.size());
            what += " cut";
        }
        out.push_back(RxFrame{f, what});
    }
}
