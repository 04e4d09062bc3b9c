// RX co-simulation scripts with connections (see tb_rx_conn.h).
#include "tb_rx_conn.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tb_rx_collide.h"
#include "tb_rx_frames.h"

extern "C" {
#include "toe_pkt.h"
#include "toe_rx_model.h"
}

namespace {

constexpr uint32_t kLocalIp = 0xC0000201;  // 192.0.2.1

uint32_t pick(std::mt19937_64 &rng, uint32_t lo, uint32_t hi)  // inclusive
{
    return lo + (uint32_t)(rng() % ((uint64_t)hi - lo + 1));
}

std::vector<uint8_t> ts_option(uint32_t tsval, uint32_t tsecr)
{
    std::vector<uint8_t> o = {1, 1, 8, 10};
    for (int i = 3; i >= 0; i--) o.push_back((uint8_t)(tsval >> (8 * i)));
    for (int i = 3; i >= 0; i--) o.push_back((uint8_t)(tsecr >> (8 * i)));
    return o;
}

struct Peer {
    uint32_t tsval;  // the peer's timestamp clock
};

struct Script {
    std::vector<RxItem> &out;
    toe_rx_model *shadow;
    std::mt19937_64 &rng;

    void frame(std::vector<uint8_t> f, const std::string &what)
    {
        toe_rx_model_frame(shadow, f.data(), f.size(), 0);
        out.push_back(tb_rx_item_frame(std::move(f), what));
    }
    // expect_status: what the contract says the response is (-1: not checked).
    void cmd(uint8_t op, uint16_t id, uint32_t a0, uint32_t a1, uint32_t a2, const toe_rx_ctx *ctx,
             const std::string &what, int expect_status = -1)
    {
        RxItem it = tb_rx_item_cmd(op, id, a0, a1, a2, ctx, (uint16_t)out.size(), what);
        it.expect.status = expect_status;
        toe_rx_model_cmd(shadow, &it.cmd, ctx ? &it.ctx : nullptr, 0);
        out.push_back(std::move(it));
    }
    void tick()
    {
        toe_rx_model_tick(shadow, 0);
        out.push_back(tb_rx_item_tick());
    }
};

toe_rx_ctx make_conn(unsigned i, std::mt19937_64 &rng, std::vector<RxRing> &rings)
{
    toe_rx_ctx c;
    std::memset(&c, 0, sizeof c);
    c.buf_size_log2 = (uint8_t)pick(rng, 12, 17);
    c.buf_base = 0x200000000ull + ((uint64_t)i << 18);
    rings.push_back(RxRing{c.buf_base, 1ull << c.buf_size_log2});
    c.local_ip = kLocalIp;
    c.remote_ip = 0xC6336400 + i + 1;
    c.local_port = (uint16_t)(40000 + i);
    c.remote_port = 5001;
    c.flags = (uint8_t)((rng() % 2 ? RX_FLAG_TS : 0) | (rng() % 4 == 0 ? RX_FLAG_VLAN : 0) | RX_FLAG_DF |
                        (rng() % 5 ? RX_FLAG_HW_DUPACK : 0));
    c.rcv_wscale = (uint8_t)pick(rng, 0, 7);
    c.snd_wscale = (uint8_t)pick(rng, 0, 7);
    const uint8_t dst[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, (uint8_t)(i + 1)};
    const uint8_t src[6] = {0x02, 0x0a, 0x70, 0x0e, 0x00, 0x01};
    std::memcpy(c.dst_mac, dst, 6);
    std::memcpy(c.src_mac, src, 6);
    c.vlan_tci = (uint16_t)(100 + i);
    c.ttl = 64;
    c.tos = 0;
    c.ip_id = (uint16_t)rng();
    static const uint16_t msses[] = {536, 1000, 1448, 1460};
    c.mss = msses[rng() % 4];
    c.rcv_nxt = (uint32_t)rng();
    c.buf_seq0 = c.rcv_nxt - pick(rng, 0, 5000);
    c.rcv_read = c.rcv_nxt;
    uint32_t size = 1u << c.buf_size_log2;
    uint32_t win = std::min<uint32_t>(size, 65535u << c.rcv_wscale);
    c.rcv_adv = c.rcv_nxt + (win >> c.rcv_wscale << c.rcv_wscale);
    c.last_ack_sent = c.rcv_nxt;
    c.ts_recent = (uint32_t)rng();
    c.snd_una = (uint32_t)rng();
    c.snd_nxt = c.snd_una + pick(rng, 0, 200000);
    c.snd_wnd = pick(rng, 0, 4) == 0 ? 0 : (pick(rng, 1, 65535) << c.snd_wscale);
    c.snd_wl1 = c.rcv_nxt - 1;
    c.snd_wl2 = c.snd_una;
    c.max_snd_wnd = c.snd_wnd + pick(rng, 0, 100000);
    return c;
}

// A segment from the connection's peer that the fast path would take as it stands:
// in order, acknowledging snd_una, the window the entry holds, ACK alone.
TcpSpec segment_to(const toe_rx_ctx &c)
{
    TcpSpec t;
    t.src_ip = c.remote_ip;
    t.dst_ip = c.local_ip;
    t.src_port = c.remote_port;
    t.dst_port = c.local_port;
    t.seq = c.rcv_nxt;
    t.ack = c.snd_una;
    t.wnd = (uint16_t)(c.snd_wnd >> c.snd_wscale);
    t.flags = TCP_FLAG_ACK;
    return t;
}

}  // namespace

RxItem tb_rx_item_tick()
{
    RxItem it;
    it.kind = RxItem::TICK;
    std::memset(&it.cmd, 0, sizeof it.cmd);
    std::memset(&it.ctx, 0, sizeof it.ctx);
    it.what = "tick";
    return it;
}

RxItem tb_rx_item_frame(std::vector<uint8_t> frame, const std::string &what)
{
    RxItem it;
    it.kind = RxItem::FRAME;
    it.frame = std::move(frame);
    std::memset(&it.cmd, 0, sizeof it.cmd);
    std::memset(&it.ctx, 0, sizeof it.ctx);
    it.what = what;
    return it;
}

RxItem tb_rx_item_cmd(uint8_t op, uint16_t id, uint32_t a0, uint32_t a1, uint32_t a2, const toe_rx_ctx *ctx,
                      uint16_t tag, const std::string &what)
{
    RxItem it;
    it.kind = RxItem::CMD;
    std::memset(&it.cmd, 0, sizeof it.cmd);
    std::memset(&it.ctx, 0, sizeof it.ctx);
    it.cmd.op = op;
    it.cmd.conn_id = id;
    it.cmd.tag = tag;
    it.cmd.arg0 = a0;
    it.cmd.arg1 = a1;
    it.cmd.arg2 = a2;
    if (ctx) it.ctx = *ctx;
    it.what = what;
    return it;
}

uint16_t tb_rx_conn_id(unsigned i, uint32_t conn_max)
{
    // Pairs of neighbours (2b, 2b + 1), so that two connections share each word of the
    // engine's work bitmap (64 ids), scattered over the table: 577 is odd, so
    // p * 577 mod conn_max/2 (a power of two) never repeats below conn_max/2.
    uint32_t b = (uint32_t)((uint64_t)(i / 2) * 577 % (conn_max / 2));
    return (uint16_t)(conn_max - 1 - (2 * b + i % 2));
}

void tb_rx_script_conn(std::vector<RxItem> &out, std::vector<RxRing> &rings, unsigned nconn, unsigned n,
                       uint32_t conn_max, uint32_t delack_ticks, std::mt19937_64 &rng)
{
    constexpr unsigned kGroup = 9;  // eight fill a bucket pair, the ninth finds it full
    constexpr unsigned kHot = 12;
    const unsigned total = nconn + kGroup;
    // The spare ids below are never installed; local ports 40000 + i stay distinct.
    if (nconn == 0 || total + 4 > conn_max || nconn > 20000) {
        std::fprintf(stderr, "tb_rx_script_conn: %u connections do not fit a table of %u\n", nconn, conn_max);
        std::abort();
    }
    auto spare = [&](unsigned j) { return tb_rx_conn_id(total + j, conn_max); };

    toe_rx_out none;
    std::memset(&none, 0, sizeof none);
    toe_rx_model *shadow = toe_rx_model_new(conn_max, &none);
    toe_rx_cfg cfg = {delack_ticks, 4096, 2};
    toe_rx_model_set_cfg(shadow, &cfg);
    Script s{out, shadow, rng};
    std::vector<uint16_t> ids;
    std::vector<Peer> peers;
    std::vector<toe_rx_ctx> last;  // what each connection is (re-)offloaded with
    for (unsigned i = 0; i < total; i++) {
        toe_rx_ctx c = make_conn(i, rng, rings);
        ids.push_back(tb_rx_conn_id(i, conn_max));
        peers.push_back(Peer{(uint32_t)rng()});
        last.push_back(c);
    }

    // The group first, into an empty table, so that the contract alone says where each
    // goes: the bucket with fewer used slots, bank 0 on a tie, the lowest free way. The
    // eight alternate between the two buckets and fill every way of both.
    toe_conn_key base = {0xCB007100, 0, 30000, 6000};  // 203.0.113.0 (RFC 5737) to local port 30000
    base.local_ip = kLocalIp;
    std::vector<toe_conn_key> keys = tb_rx_colliding_keys(base, kGroup, conn_max);
    for (unsigned j = 0; j < kGroup; j++) {
        toe_rx_ctx &c = last[nconn + j];
        c.local_ip = keys[j].local_ip;
        c.remote_ip = keys[j].remote_ip;
        c.local_port = keys[j].local_port;
        c.remote_port = keys[j].remote_port;
    }
    auto group = [&](unsigned j, const std::string &what, int status) {
        s.cmd(CONN_CMD_INSERT, ids[nconn + j], 0, 0, 0, &last[nconn + j],
              "bucket group #" + std::to_string(j) + ": " + what, status);
    };
    for (unsigned j = 0; j < 8; j++)
        group(j, std::string("insert into bank ") + (j % 2 ? "1" : "0") + " way " + std::to_string(j / 2),
              CONN_STATUS_OK);
    group(8, "both buckets full: TABLE_FULL", CONN_STATUS_TABLE_FULL);
    s.cmd(CONN_CMD_INSERT, spare(0), 0, 0, 0, &last[nconn + 3], "bucket group #3's tuple again: EXISTS",
          CONN_STATUS_EXISTS);
    s.cmd(CONN_CMD_DELETE, ids[nconn + 2], 0, 0, 0, nullptr, "bucket group #2: delete (bank 0 way 1)",
          CONN_STATUS_OK);
    group(8, "into the freed way", CONN_STATUS_OK);
    group(2, "back: TABLE_FULL", CONN_STATUS_TABLE_FULL);

    // The rest at scattered ids, the first at the top of the table; some commands fail
    // on purpose.
    for (unsigned i = 0; i < nconn; i++) {
        uint16_t id = ids[i];
        const toe_rx_ctx &c = last[i];
        s.cmd(CONN_CMD_INSERT, id, 0, 0, 0, &c, "insert #" + std::to_string(i));
        if (i == 0) {
            // Its buckets may be the group's (the shadow knows): BUSY only if it went in.
            bool in = toe_rx_model_ctx(shadow, id) != nullptr;
            s.cmd(CONN_CMD_INSERT, id, 0, 0, 0, &c, "insert again: BUSY", in ? CONN_STATUS_BUSY : -1);
            s.cmd(CONN_CMD_INSERT, spare(1), 0, 0, 0, &c, "same tuple: EXISTS", in ? CONN_STATUS_EXISTS : -1);
            toe_rx_ctx bad = c;
            bad.buf_size_log2 = 5;
            s.cmd(CONN_CMD_INSERT, spare(2), 0, 0, 0, &bad, "ring too small: BAD_CTX", CONN_STATUS_BAD_CTX);
            bad = c;
            bad.rcv_read = c.rcv_nxt - (1u << c.buf_size_log2) - 1;
            s.cmd(CONN_CMD_INSERT, spare(2), 0, 0, 0, &bad, "unconsumed beyond the ring: BAD_CTX",
                  CONN_STATUS_BAD_CTX);
            s.cmd(CONN_CMD_READ, spare(3), 0, 0, 0, nullptr, "read empty: NOT_FOUND", CONN_STATUS_NOT_FOUND);
            // A 65536-entry table has every 16-bit id: BAD_ID cannot happen there.
            if (conn_max < 65536)
                s.cmd(CONN_CMD_READ, (uint16_t)conn_max, 0, 0, 0, nullptr, "read beyond: BAD_ID",
                      CONN_STATUS_BAD_ID);
            s.cmd(9, id, 0, 0, 0, nullptr, "op 9: BAD_OP", CONN_STATUS_BAD_OP);
        }
    }

    // Most traffic goes to a hot set when there are many connections, so that each of
    // those sees enough to reach every rule; the rest is spread over the whole table.
    std::vector<unsigned> hot;
    for (unsigned k = 0; k < total; k++)
        if (k < kHot || k >= nconn) hot.push_back(k);
    const bool spread = total > 2 * kHot;

    for (unsigned step = 0; step < n; step++) {
        unsigned k = spread && rng() % 5 ? hot[rng() % hot.size()] : (unsigned)(rng() % total);
        uint16_t id = ids[k];
        const toe_rx_ctx *live = toe_rx_model_ctx(shadow, id);
        std::string tag = "conn " + std::to_string(id) + " step " + std::to_string(step) + ": ";
        unsigned r = (unsigned)(rng() % 100);
        if (r < 8) {
            s.tick();
            continue;
        }
        if (!live) {  // deleted or never in: offload it (again), or talk to it anyway (NO_CONN)
            if (rng() % 2) {
                s.cmd(CONN_CMD_INSERT, id, 0, 0, 0, &last[k], tag + "re-insert");
                continue;
            }
            TcpSpec t;
            t.src_ip = last[k].remote_ip;
            t.dst_ip = last[k].local_ip;
            t.src_port = last[k].remote_port;
            t.dst_port = last[k].local_port;
            s.frame(tb_rx_tcp_frame(t, rng), tag + "to a deleted connection");
            continue;
        }
        toe_rx_ctx c = *live;
        Peer &p = peers[k];
        bool ts = c.flags & RX_FLAG_TS;
        TcpSpec t = segment_to(c);
        t.vlan = rng() % 8 == 0;
        uint32_t out_bytes = c.snd_nxt - c.snd_una;
        t.ack = c.snd_una + (out_bytes ? pick(rng, 0, out_bytes) : 0);
        if (rng() % 3 == 0) t.ack = c.snd_una;
        if (rng() % 6 == 0) t.wnd = (uint16_t)(rng() % 5 == 0 ? 0 : rng());
        p.tsval += pick(rng, 0, 3);
        if (ts) t.tcp_opt = ts_option(std::max(p.tsval, c.ts_recent) + pick(rng, 0, 2), (uint32_t)rng());
        std::string what;
        if (r < 45) {  // in-order data
            t.payload = rng() % 5 < 2 ? c.mss : pick(rng, 1, c.mss);
            if (rng() % 3 == 0) t.flags |= TCP_FLAG_PSH;
            what = "data " + std::to_string(t.payload);
        } else if (r < 58) {  // a pure ACK, often a duplicate
            if (rng() % 2) t.ack = c.snd_una;
            what = "pure ack";
        } else if (r < 63) {
            t.payload = pick(rng, 1, 1000);
            t.seq = c.rcv_nxt + pick(rng, 1, 3000);
            what = "out of order";
        } else if (r < 66) {
            t.payload = pick(rng, 1, 1000);
            t.seq = c.rcv_nxt - pick(rng, 1, 3000);
            what = "old data";
        } else if (r < 68) {
            t.payload = pick(rng, 1, 500);
            t.seq = c.rcv_adv + pick(rng, 0, 3000);
            what = "beyond the window";
        } else if (r < 70) {
            t.flags |= (uint8_t)(std::vector<uint8_t>{TCP_FLAG_FIN, TCP_FLAG_SYN, TCP_FLAG_RST, TCP_FLAG_URG}[rng() % 4]);
            t.payload = pick(rng, 0, 100);
            what = "flags";
        } else if (r < 72) {
            std::vector<uint8_t> o = {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9};
            if (ts) { auto tso = ts_option(c.ts_recent + 1, 0); o.insert(o.begin(), tso.begin(), tso.end()); }
            t.tcp_opt = o;
            what = "sack";
        } else if (r < 74 && ts) {
            t.tcp_opt = ts_option(c.ts_recent - pick(rng, 1, 1000), 0);
            t.payload = pick(rng, 0, 100);
            what = "paws";
        } else if (r < 76) {
            t.ack = c.snd_nxt + pick(rng, 1, 100000);
            what = "ack beyond snd_nxt";
        } else if (r < 84) {  // the host consumes
            uint32_t avail = c.rcv_nxt - c.rcv_read;
            uint32_t to = c.rcv_read + (avail ? pick(rng, 0, avail) : 0);
            if (rng() % 10 == 0) to = c.rcv_nxt + 1;
            s.cmd(CONN_CMD_RCV_READ, id, to, 0, 0, nullptr, tag + "rcv_read");
            continue;
        } else if (r < 88) {  // our side sent more / the driver's view of the send state
            uint32_t nxt = c.snd_nxt + pick(rng, 0, 30000);
            uint32_t una = rng() % 4 == 0 ? nxt : c.snd_una;
            if (rng() % 10 == 0) una = nxt + 1;
            s.cmd(CONN_CMD_SND, id, nxt, una, rng() % 2 ? c.snd_wnd : (uint32_t)rng() % 200000, nullptr,
                  tag + "snd");
            continue;
        } else if (r < 90) {
            s.cmd(CONN_CMD_ACK_NOW, id, 0, 0, 0, nullptr, tag + "ack now");
            continue;
        } else if (r < 92) {
            s.cmd(CONN_CMD_RCV_NXT, id, c.rcv_nxt + (rng() % 5 == 0 ? (1u << 31) : pick(rng, 0, 100)), 0, 0,
                  nullptr, tag + "rcv_nxt");
            continue;
        } else if (r < 95) {
            s.cmd(CONN_CMD_READ, id, 0, 0, 0, nullptr, tag + "read");
            continue;
        } else if (r < 96) {
            // The driver takes the connection back; it keeps the state to offload it
            // again later.
            last[k] = c;
            s.cmd(CONN_CMD_DELETE, id, 0, 0, 0, nullptr, tag + "delete");
            continue;
        } else {
            t.dst_port = (uint16_t)(t.dst_port + 1000);  // nobody's tuple
            what = "no connection";
        }
        s.frame(tb_rx_tcp_frame(t, rng), tag + what);
    }
    // Back to back, the two connections of one work-bitmap word: A's small in-order
    // segment arms its delayed ACK (sets its bit), B's pure ACK right behind it rewrites
    // the same word, and nothing else touches that word before the ticks that owe A its
    // ACK. The two meet in the connection pipeline, which must forward the word A wrote
    // (and, for the pairs that send A's data twice, A's entry).
    // READs first hold the pipeline for some 30 clocks, so that the pair queues up
    // behind them and then goes through back to back at every width; the ticks before
    // let every pending event and delayed ACK out, so that no bit of the word is set
    // but A's.
    for (uint32_t i = 0; i <= delack_ticks + 1; i++) s.tick();
    for (unsigned j = 0; j + 1 < nconn && j < kHot; j += 2) {
        for (int rd = 0; rd < 8; rd++)
            s.cmd(CONN_CMD_READ, ids[j + rd % 2], 0, 0, 0, nullptr,
                  "conn " + std::to_string(ids[j + rd % 2]) + ": word-pair read");
        // Every other pair: A's data twice instead, so that the second segment must
        // take A's entry (rcv_nxt moved on) from the first by forwarding.
        const bool same = (j / 2) % 2 == 1;
        for (unsigned n2 = 0; n2 < 2; n2++) {
            const unsigned k = same ? j : j + n2;
            const bool data = same || n2 == 0;
            const toe_rx_ctx *live = toe_rx_model_ctx(shadow, ids[k]);
            if (!live) continue;
            const toe_rx_ctx &c = *live;
            TcpSpec t = segment_to(c);
            if (c.flags & RX_FLAG_TS) t.tcp_opt = ts_option(std::max(peers[k].tsval, c.ts_recent), (uint32_t)rng());
            t.payload = data ? 10 : 0;
            s.frame(tb_rx_tcp_frame(t, rng), "conn " + std::to_string(ids[k]) + ": word-pair " +
                                                 (data ? "data" : "pure ack"));
        }
    }
    // Let every pending event and delayed ACK come out.
    for (uint32_t i = 0; i <= delack_ticks + 1; i++) s.tick();
    toe_rx_model_free(shadow);
}

void tb_rx_script_bench(std::vector<RxItem> &out, std::vector<RxRing> &rings, unsigned nconn,
                        unsigned nframes, unsigned payload, uint32_t conn_max, std::mt19937_64 &rng)
{
    toe_rx_out none;
    std::memset(&none, 0, sizeof none);
    toe_rx_model *shadow = toe_rx_model_new(conn_max, &none);
    Script s{out, shadow, rng};
    std::vector<toe_rx_ctx> conns;
    for (unsigned i = 0; i < nconn; i++) {
        toe_rx_ctx c;
        std::memset(&c, 0, sizeof c);
        c.buf_size_log2 = 20;
        c.buf_base = 0x400000000ull + ((uint64_t)i << 20);
        rings.push_back(RxRing{c.buf_base, 1ull << 20});
        c.local_ip = kLocalIp;
        c.remote_ip = 0x0A000000 | i;
        c.local_port = (uint16_t)(10000 + i);
        c.remote_port = 443;
        c.flags = RX_FLAG_DF | RX_FLAG_HW_DUPACK;
        c.rcv_wscale = 7;
        c.snd_wscale = 7;
        c.ttl = 64;
        c.mss = 1460;
        c.rcv_nxt = (uint32_t)rng();
        c.buf_seq0 = c.rcv_nxt;
        c.rcv_read = c.rcv_nxt;
        c.rcv_adv = c.rcv_nxt + (1u << 20);
        c.last_ack_sent = c.rcv_nxt;
        c.snd_una = c.snd_nxt = (uint32_t)rng();
        c.snd_wnd = 512u << 7;
        c.snd_wl1 = c.rcv_nxt - 1;
        c.snd_wl2 = c.snd_una;
        c.max_snd_wnd = c.snd_wnd;
        s.cmd(CONN_CMD_INSERT, (uint16_t)(i * (conn_max / nconn)), 0, 0, 0, &c, "bench insert");
        conns.push_back(c);
    }
    auto segment = [&](toe_rx_ctx &c, unsigned len, int phase) {
        TcpSpec t = segment_to(c);
        t.wnd = 512;
        t.payload = len;
        s.frame(tb_rx_tcp_frame(t, rng), "bench segment");
        out.back().phase = phase;
        c.rcv_nxt += len;
    };
    for (unsigned f = 0; f < nframes; f++) segment(conns[f % nconn], payload, 1);
    segment(conns[0], 1460, 2);
    segment(conns[0], 1460, 2);
    toe_rx_model_free(shadow);
}
