// RX co-simulation: the delayed-ACK cap script (see tb_rx_delack.h).
#include "tb_rx_delack.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tb_rx_frames.h"

extern "C" {
#include "toe_rx_model.h"
}

// 500 ms at the 10 us tick: the bound RFC 1122 section 4.2.3.2 puts on the delay.
static_assert(DELACK_TICKS_MAX == 500000 / 10, "DELACK_TICKS_MAX is 500 ms of 10 us ticks");

namespace {

struct Conn {
    uint16_t id;
    toe_rx_ctx ctx;
    uint32_t rcv_nxt;
    uint32_t tsval;           // the peer's TSval on its segments
    bool armed = false;       // the contract's view: delayed ACK armed
    uint32_t deadline = 0;
    uint32_t acks_out = 0;
};

toe_rx_ctx make_ctx(unsigned i, bool ts, std::mt19937_64 &rng, std::vector<RxRing> &rings)
{
    toe_rx_ctx c;
    std::memset(&c, 0, sizeof c);
    c.buf_size_log2 = 16;
    c.buf_base = 0x300000000ull + ((uint64_t)i << 20);
    rings.push_back(RxRing{c.buf_base, 1ull << c.buf_size_log2});
    c.local_ip = 0xC0000201;                // 192.0.2.1
    c.remote_ip = 0xC6336400 + 50 + i;      // 198.51.100.50 + i
    c.local_port = (uint16_t)(20000 + i);
    c.remote_port = 443;
    c.flags = (uint8_t)(RX_FLAG_DF | RX_FLAG_HW_DUPACK | (ts ? RX_FLAG_TS : RX_FLAG_VLAN));
    c.rcv_wscale = 2;
    c.snd_wscale = 3;
    const uint8_t dst[6] = {0x02, 0x00, 0x5e, 0x10, 0x01, (uint8_t)i};
    const uint8_t src[6] = {0x02, 0x0a, 0x70, 0x0e, 0x00, 0x01};
    std::memcpy(c.dst_mac, dst, 6);
    std::memcpy(c.src_mac, src, 6);
    c.vlan_tci = 0x0123;
    c.ttl = 64;
    c.ip_id = (uint16_t)rng();
    c.mss = 1460;
    c.rcv_nxt = (uint32_t)rng();
    c.buf_seq0 = c.rcv_nxt;
    c.rcv_read = c.rcv_nxt;
    c.rcv_adv = c.rcv_nxt + (1u << 16);
    c.last_ack_sent = c.rcv_nxt;
    c.ts_recent = 1000;
    c.snd_una = c.snd_nxt = (uint32_t)rng();
    c.snd_wnd = 4000u << 3;
    c.snd_wl1 = c.rcv_nxt - 1;
    c.snd_wl2 = c.snd_una;
    c.max_snd_wnd = c.snd_wnd;
    return c;
}

}  // namespace

void tb_rx_script_delack(std::vector<RxItem> &out, std::vector<RxRing> &rings, std::vector<RxAckExpect> &acks,
                         uint32_t conn_max, uint32_t delack_cfg, int skew, std::mt19937_64 &rng)
{
    // docs/rx-datapath.md, "ACK policy": delack_deadline = now + min(cfg_delack_ticks,
    // DELACK_TICKS_MAX).
    const uint32_t wait = std::min<uint32_t>(delack_cfg, DELACK_TICKS_MAX) + (uint32_t)skew;
    if ((int32_t)wait < 40) {
        std::fprintf(stderr, "tb_rx_script_delack: a wait of %d ticks is too short for the script\n", (int32_t)wait);
        std::abort();
    }
    uint32_t now = 0;
    // In conn_id order, the order a tick visits them.
    Conn b{1, make_ctx(1, false, rng, rings), 0, 0};
    Conn a{(uint16_t)(conn_max - 1), make_ctx(0, true, rng, rings), 0, 0};
    a.tsval = 2000;
    Conn *conns[2] = {&b, &a};

    auto tag = [&]() { return (uint16_t)out.size(); };
    auto read = [&](const Conn &k, const std::string &why) {
        RxItem it = tb_rx_item_cmd(CONN_CMD_READ, k.id, 0, 0, 0, nullptr, tag(),
                                   "read conn " + std::to_string(k.id) + " at tick " + std::to_string(now) + ": " + why);
        it.expect.status = CONN_STATUS_OK;
        it.expect.read = true;
        it.expect.delack_armed = k.armed;
        it.expect.delack_deadline = k.deadline;
        it.expect.acks_out = k.acks_out;
        it.expect.rcv_nxt = k.rcv_nxt;
        out.push_back(std::move(it));
    };
    // "Ticks": now += 1, then every connection with its delayed ACK armed and
    // now >= delack_deadline (modular) sends it.
    auto tick = [&]() {
        out.push_back(tb_rx_item_tick());
        now++;
        for (Conn *k : conns) {
            if (!k->armed || (int32_t)(now - k->deadline) < 0) continue;
            bool ts = k->ctx.flags & RX_FLAG_TS;
            acks.push_back(RxAckExpect{k->ctx.local_port, now, k->rcv_nxt, ts, ts ? k->ctx.ts_recent : 0});
            k->armed = false;
            k->acks_out++;
        }
    };
    // Ticks up to now == t, with a look at both entries every 100 ticks, more often in
    // a larger table (whose ticks take longer), so that the harness sees progress.
    const uint32_t read_every = std::max<uint32_t>(1, 100 * 1024 / conn_max);
    auto tick_to = [&](uint32_t t) {
        while ((int32_t)(now - t) < 0) {
            tick();
            if (now % read_every == 0) {
                read(a, "periodic");
                read(b, "periodic");
            }
        }
    };
    // A small in-order segment: placed, below mss, so it arms the delayed ACK unless
    // that is armed already ("ACK policy").
    auto segment = [&](Conn &k, unsigned len) {
        TcpSpec t;
        t.vlan = k.ctx.flags & RX_FLAG_VLAN;
        t.src_ip = k.ctx.remote_ip;
        t.dst_ip = k.ctx.local_ip;
        t.src_port = k.ctx.remote_port;
        t.dst_port = k.ctx.local_port;
        t.seq = k.rcv_nxt;
        t.ack = k.ctx.snd_una;
        t.wnd = (uint16_t)(k.ctx.snd_wnd >> k.ctx.snd_wscale);
        t.payload = len;
        if (k.ctx.flags & RX_FLAG_TS) {
            t.tcp_opt = {1, 1, 8, 10};
            for (int i = 3; i >= 0; i--) t.tcp_opt.push_back((uint8_t)(k.tsval >> (8 * i)));
            for (int i = 3; i >= 0; i--) t.tcp_opt.push_back((uint8_t)(777u >> (8 * i)));
            // "Timestamps": seq <= last_ack_sent takes the TSval as ts_recent.
            if ((int32_t)(k.rcv_nxt - k.ctx.last_ack_sent) <= 0) k.ctx.ts_recent = k.tsval;
            k.tsval += 5;
        }
        out.push_back(tb_rx_item_frame(tb_rx_tcp_frame(t, rng), "conn " + std::to_string(k.id) + ": " +
                                                                   std::to_string(len) + " bytes at tick " +
                                                                   std::to_string(now)));
        k.rcv_nxt += len;
        if (!k.armed) {
            k.armed = true;
            k.deadline = now + wait;
        }
    };

    for (Conn *k : conns) {
        RxItem it = tb_rx_item_cmd(CONN_CMD_INSERT, k->id, 0, 0, 0, &k->ctx, tag(),
                                   "insert conn " + std::to_string(k->id));
        it.expect.status = CONN_STATUS_OK;
        out.push_back(std::move(it));
        k->rcv_nxt = k->ctx.rcv_nxt;
    }
    tick_to(3);
    segment(a, 100);
    read(a, "armed by the first segment");
    tick_to(7);
    segment(b, 200);
    read(b, "armed by the first segment");
    tick_to(17);
    segment(a, 50);
    read(a, "a second segment leaves the deadline alone");
    // Around each deadline: the entry just before, at, and just after it.
    for (Conn *k : {&a, &b}) {
        uint32_t d = k->deadline;
        tick_to(d - 1);
        read(*k, "the tick before the deadline");
        tick_to(d);
        read(*k, "the deadline's tick");
        tick_to(d + 1);
        read(*k, "the tick after");
    }
    read(a, "the end");
    read(b, "the end");
}
