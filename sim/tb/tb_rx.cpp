// Verilator co-simulation of the RX engine against the C reference model.
//
// Feeds toe_rx_engine (one datapath width) and toe_rx_model the same frames, commands
// and ticks in the same order (docs/rx-datapath.md, "Order"), with random gaps on the
// inputs and random backpressure on every output, and demands the same exception
// records and frames, DMA writes (address and byte, in order), events, ACK frames and
// command responses, and the same counters at the end. Every DMA write must land inside
// a receive ring the test installed (the memory guard). Where a script knows from the
// contract what a response or an ACK must be (RxExpect, RxAckExpect), the RTL's output
// is checked against that as well.
//
//   tb_rx_wNN --mode=directed|random|conn|delack-cap|bench [--seed=N] [--count=N]
//             [--backpressure=PCT] [--acks=FILE.pcap] [--conns=N] [--delack=TICKS]
//             [--expect-skew=N]
//
// conn: --conns connections (default 12) over a table of TB_CONN_MAX entries, --count
// steps. delack-cap: the delayed-ACK cap with cfg_delack_ticks = --delack (default
// 100000), timings checked exactly; --expect-skew moves the expected ticks (a run that
// must fail). --delack also sets the timeout of the other modes (default 3).
//
// Exit status 0 when everything matched; on the first divergence it prints what
// differed, the frame's name and the seed, and exits 1.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <deque>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "Vtoe_rx_engine.h"
#include "verilated.h"
#include "tb_ports.h"
#include "tb_rx_conn.h"
#include "tb_rx_delack.h"
#include "tb_rx_frames.h"

extern "C" {
#include "toe_pcap.h"
#include "toe_rx_model.h"
}

namespace {

constexpr unsigned kB = TB_WIDTH / 8;

struct ExcOut {
    toe_rx_exc rec;
    std::vector<uint8_t> frame;
};

// Appends the kept bytes of one output beat (tkeep contiguous from lane 0) to a frame.
template <typename D, typename K>
void append_beat(std::vector<uint8_t> &frame, const D &tdata, const K &tkeep)
{
    uint8_t data[kB];
    uint64_t keep = 0;
    get(tdata, data, kB);
    get(tkeep, &keep, (kB + 7) / 8);
    unsigned n = 0;
    while (n < kB && (keep >> n & 1)) n++;
    frame.insert(frame.end(), data, data + n);
}

struct DmaByte {
    uint64_t addr;
    uint8_t val;
};

struct Rsp {
    toe_conn_rsp rsp;
    bool has_ctx;
    toe_rx_ctx ctx;
};

// What the model said must come out, stream by stream, in order.
struct ModelSide {
    std::deque<ExcOut> exc;
    std::deque<DmaByte> dma;
    std::deque<toe_rx_event> ev;
    std::deque<std::vector<uint8_t>> acks;
    std::deque<uint32_t> ack_ticks;  // now of the input that sent each ACK
    std::deque<Rsp> rsp;
    const toe_rx_model *model = nullptr;
};

void on_exc(void *arg, const struct toe_rx_exc *rec, const uint8_t *frame, size_t len)
{
    static_cast<ModelSide *>(arg)->exc.push_back(ExcOut{*rec, std::vector<uint8_t>(frame, frame + len)});
}
void on_dma(void *arg, uint64_t addr, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) static_cast<ModelSide *>(arg)->dma.push_back(DmaByte{addr + i, data[i]});
}
void on_event(void *arg, const struct toe_rx_event *ev) { static_cast<ModelSide *>(arg)->ev.push_back(*ev); }
void on_ack(void *arg, const uint8_t *frame, size_t len)
{
    ModelSide *ms = static_cast<ModelSide *>(arg);
    ms->acks.emplace_back(frame, frame + len);
    ms->ack_ticks.push_back(toe_rx_model_now(ms->model));
}

// The receive rings, by base address (they never overlap): is a byte inside one?
struct RingGuard {
    std::map<uint64_t, uint64_t> end_of;  // base -> base + size
    explicit RingGuard(const std::vector<RxRing> &rings)
    {
        for (const RxRing &r : rings) end_of[r.base] = r.base + r.size;
    }
    bool inside(uint64_t a) const
    {
        auto it = end_of.upper_bound(a);
        return it != end_of.begin() && a < std::prev(it)->second;
    }
};

// The fields of an ACK frame the contract fixes for a delayed ACK (RxAckExpect).
bool check_ack(const std::vector<uint8_t> &f, uint32_t model_tick, const RxAckExpect &x, std::string &why)
{
    char buf[200];
    size_t l3 = f.size() > 14 && f[12] == 0x81 && f[13] == 0x00 ? 18 : 14;
    if (f.size() < l3 + 40) { why = "too short"; return false; }
    size_t l4 = l3 + 4 * (f[l3] & 15);
    const uint8_t *t = &f[l4];
    uint16_t sport = (uint16_t)(t[0] << 8 | t[1]);
    uint32_t ack = (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 | (uint32_t)t[10] << 8 | t[11];
    bool has_ts = (t[12] >> 4) == 8 && f.size() >= l4 + 32 && t[20] == 1 && t[21] == 1 && t[22] == 8 && t[23] == 10;
    uint32_t tsval = has_ts ? ((uint32_t)t[24] << 24 | (uint32_t)t[25] << 16 | (uint32_t)t[26] << 8 | t[27]) : 0;
    uint32_t tsecr = has_ts ? ((uint32_t)t[28] << 24 | (uint32_t)t[29] << 16 | (uint32_t)t[30] << 8 | t[31]) : 0;
    std::snprintf(buf, sizeof buf, "port %u ack %08x ts %d tsval %u tsecr %u, the model sent it at tick %u; "
                  "expected port %u ack %08x ts %d tsval %u tsecr %u at tick %u", sport, ack, has_ts, tsval, tsecr,
                  model_tick, x.local_port, x.ack, x.ts, x.ts ? x.tick : 0, x.tsecr, x.tick);
    why = buf;
    return sport == x.local_port && ack == x.ack && model_tick == x.tick && has_ts == x.ts &&
           (!x.ts || (tsval == x.tick && tsecr == x.tsecr));
}

// The RTL's response against what the contract says of it (RxExpect).
bool check_rsp(const toe_conn_rsp &r, const toe_rx_ctx &c, const RxExpect &x, std::string &why)
{
    char buf[240];
    bool armed = c.pend & TOE_RX_PEND_DELACK;
    std::snprintf(buf, sizeof buf, "status %u armed %d deadline %u acks_out %u rcv_nxt %08x; "
                  "expected status %d armed %d deadline %u acks_out %u rcv_nxt %08x", r.status, armed,
                  c.delack_deadline, c.acks_out, c.rcv_nxt, x.status, x.delack_armed, x.delack_deadline,
                  x.acks_out, x.rcv_nxt);
    why = buf;
    if (x.status >= 0 && r.status != x.status) return false;
    if (!x.read) return true;
    return armed == x.delack_armed && (!armed || c.delack_deadline == x.delack_deadline) &&
           c.acks_out == x.acks_out && c.rcv_nxt == x.rcv_nxt;
}
void on_rsp(void *arg, const struct toe_conn_rsp *rsp, const struct toe_rx_ctx *ctx)
{
    Rsp r;
    r.rsp = *rsp;
    r.has_ctx = ctx != nullptr;
    if (ctx) r.ctx = *ctx;
    else std::memset(&r.ctx, 0, sizeof r.ctx);
    static_cast<ModelSide *>(arg)->rsp.push_back(r);
}

}  // namespace

int main(int argc, char **argv)
{
    std::string mode = "directed", acks_pcap;
    uint64_t seed = 1;
    unsigned count = 2000, backpressure = 0, payload = 1460, nconns = 0;
    uint32_t delack = 0;
    bool delack_set = false;
    int skew = 0;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a.rfind("--mode=", 0) == 0) mode = a.substr(7);
        else if (a.rfind("--seed=", 0) == 0) seed = std::strtoull(a.c_str() + 7, nullptr, 0);
        else if (a.rfind("--count=", 0) == 0) count = (unsigned)std::strtoul(a.c_str() + 8, nullptr, 0);
        else if (a.rfind("--backpressure=", 0) == 0) backpressure = (unsigned)std::strtoul(a.c_str() + 15, nullptr, 0);
        else if (a.rfind("--acks=", 0) == 0) acks_pcap = a.substr(7);
        else if (a.rfind("--payload=", 0) == 0) payload = (unsigned)std::strtoul(a.c_str() + 10, nullptr, 0);
        else if (a.rfind("--conns=", 0) == 0) nconns = (unsigned)std::strtoul(a.c_str() + 8, nullptr, 0);
        else if (a.rfind("--delack=", 0) == 0) {
            delack = (uint32_t)std::strtoul(a.c_str() + 9, nullptr, 0);
            delack_set = true;
        } else if (a.rfind("--expect-skew=", 0) == 0) skew = (int)std::strtol(a.c_str() + 14, nullptr, 0);
        else if (a[0] != '+') {
            std::fprintf(stderr, "usage: %s --mode=directed|random|conn|delack-cap|bench [--seed=N] [--count=N] "
                                 "[--backpressure=PCT] [--acks=FILE] [--conns=N] [--delack=TICKS] "
                                 "[--expect-skew=N]\n", argv[0]);
            return 2;
        }
    }
    std::printf("tb_rx: width %u, mode %s, seed %" PRIu64 " (rerun with --seed=%" PRIu64 ")\n", TB_WIDTH,
                mode.c_str(), seed, seed);

    // Short timers so that a test sees delayed ACKs fire and the timestamp clock move;
    // the delayed-ACK cap run uses a timestamp clock of one tick, so TSval tells ticks.
    const uint32_t conn_max = TB_CONN_MAX, coalesce = 4096;
    const bool bench = mode == "bench", delack_cap = mode == "delack-cap";
    const uint32_t ts_ticks = delack_cap ? kDelackTsTicks : 2;
    if (!delack_set) delack = delack_cap ? 100000 : 3;
    std::printf("tb_rx: table of %u entries, cfg_delack_ticks %u (0x%x), ts_ticks %u\n", conn_max, delack, delack,
                ts_ticks);
    std::mt19937_64 rng(seed);
    std::vector<RxItem> items;
    std::vector<RxRing> rings;
    std::vector<RxAckExpect> ack_expect;
    if (bench) {
        backpressure = 0;
        tb_rx_script_bench(items, rings, nconns ? nconns : 1000, count, payload, conn_max, rng);
    } else if (mode == "conn") {
        tb_rx_script_conn(items, rings, nconns ? nconns : 12, count, conn_max, delack, rng);
    } else if (delack_cap) {
        tb_rx_script_delack(items, rings, ack_expect, conn_max, delack, skew, rng);
    } else {
        std::vector<RxFrame> frames;
        if (mode == "directed") tb_rx_frames_directed(frames, rng);
        else tb_rx_frames_random(frames, count, rng);
        for (RxFrame &f : frames) {
            RxItem it;
            it.kind = RxItem::FRAME;
            it.frame = std::move(f.bytes);
            it.what = f.what;
            std::memset(&it.cmd, 0, sizeof it.cmd);
            std::memset(&it.ctx, 0, sizeof it.ctx);
            items.push_back(std::move(it));
        }
    }

    ModelSide ms;
    toe_rx_out out;
    std::memset(&out, 0, sizeof out);
    out.exception = on_exc;
    out.dma_write = on_dma;
    out.event = on_event;
    out.ack = on_ack;
    out.response = on_rsp;
    out.arg = &ms;
    toe_rx_model *model = toe_rx_model_new(conn_max, &out);
    ms.model = model;
    const RingGuard guard(rings);
    // Extra ticks at random (not in the delayed-ACK run, whose ticks are counted): about
    // one per 211 cycles at 1024 entries, fewer in a larger table, whose every tick
    // walks a longer work bitmap.
    const uint64_t tick_odds = delack_cap ? 0 : 211 * std::max<uint64_t>(1, conn_max / 1024);
    toe_rx_cfg cfg = {delack, coalesce, ts_ticks};
    toe_rx_model_set_cfg(model, &cfg);

    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vtoe_rx_engine> top(new Vtoe_rx_engine(ctx.get()));
    std::mt19937_64 bp(seed ^ 0x5bd1e995ull);
    auto ready = [&]() { return backpressure == 0 || (bp() % 100) >= backpressure; };
    struct toe_pcap *pcap = nullptr;
    if (!acks_pcap.empty() && !(pcap = toe_pcap_open(acks_pcap.c_str()))) return 1;

    top->cfg_delack_ticks_i = delack;
    top->cfg_coalesce_bytes_i = coalesce;
    top->cfg_ts_ticks_i = ts_ticks;
    top->rst_ni = 0;
    top->clk_i = 0;
    top->eval();
    for (int i = 0; i < 4; i++) { top->clk_i = 1; top->eval(); top->clk_i = 0; top->eval(); }
    top->rst_ni = 1;

    size_t ii = 0, beat = 0, checked = 0, dma_bytes = 0, events = 0, acks = 0, rsps = 0, expectations = 0;
    std::deque<size_t> cmd_items;  // the item of every command taken, awaiting its response
    std::set<uint8_t> statuses;    // every response status the RTL gave
    // Bench figures: the measured stream's first and last input beats, and the ACK latency.
    bool stream_started = false;
    uint64_t stream_first = 0, stream_last = 0, stream_bytes = 0, stream_frames = 0, lat_start = 0, lat_cycles = 0;
    size_t lat_index = SIZE_MAX;
    std::vector<uint8_t> cur, ack_cur;
    bool have_rec = false;
    toe_rx_exc rec;
    uint64_t cycle = 0, last_progress = 0;
    int fail = 0;

    auto report = [&](const char *what) {
        std::fprintf(stderr, "tb_rx: MISMATCH (%s) at cycle %" PRIu64 ", width %u, last input #%zu '%s'\n"
                             "  reproduce: %s --mode=%s --seed=%" PRIu64 " --count=%u --backpressure=%u%s --delack=%u "
                             "--expect-skew=%d\n",
                     what, cycle, TB_WIDTH, ii ? ii - 1 : 0, ii ? items[ii - 1].what.c_str() : "-", argv[0],
                     mode.c_str(), seed, count, backpressure,
                     nconns ? (" --conns=" + std::to_string(nconns)).c_str() : "", delack, skew);
        fail = 1;
    };
    // A case the script was meant to reach and did not: not a divergence (RTL and model
    // may agree on everything), but a hole in the test, so it fails too.
    bool coverage_holes = false;
    auto hole = [&]() {
        fail = 1;
        coverage_holes = true;
    };

    while (!fail) {
        // ---- inputs of this cycle ----
        bool have = ii < items.size();
        RxItem::Kind kind = have ? items[ii].kind : RxItem::TICK;
        bool drained_now = ms.exc.empty() && ms.dma.empty() && ms.ev.empty() && ms.acks.empty() && ms.rsp.empty();
        // The bench drives back to back, starts its stream once the commands before it
        // are answered (the table's reset walk and the INSERTs are not the stream's
        // time), and starts the latency pair on an idle engine.
        bool hold = bench && have && beat == 0 &&
                    ((items[ii].phase == 2 && !(drained_now && cycle - last_progress > 50)) ||
                     (items[ii].phase == 1 && !stream_started && !drained_now));
        bool tick = (have && kind == RxItem::TICK) || (!bench && tick_odds && bp() % tick_odds == 0);
        bool drive = have && kind == RxItem::FRAME && !hold && (bench || bp() % 8 != 0);
        bool drive_cmd = have && kind == RxItem::CMD && (bench || bp() % 4 != 0);
        top->tick_i = tick;
        top->rx_tvalid_i = drive;
        if (drive) {
            const std::vector<uint8_t> &f = items[ii].frame;
            size_t nbeats = f.empty() ? 1 : (f.size() + kB - 1) / kB;
            uint8_t data[kB];
            size_t off = beat * kB, n = f.size() > off ? std::min<size_t>(kB, f.size() - off) : 0;
            std::memset(data, 0xC3, kB);  // junk in unkept lanes: must never matter
            if (n) std::memcpy(data, &f[off], n);
            uint64_t keep = n == 64 ? ~0ull : ((1ull << n) - 1);
            put(top->rx_tdata_i, data, kB);
            put(top->rx_tkeep_i, &keep, (kB + 7) / 8);
            top->rx_tlast_i = beat == nbeats - 1;
        }
        top->cmd_valid_i = drive_cmd;
        if (drive_cmd) {
            put(top->cmd_i, &items[ii].cmd, sizeof(toe_conn_cmd));
            put(top->cmd_ctx_i, &items[ii].ctx, sizeof(toe_rx_ctx));
        }
        top->exc_ready_i = ready();
        top->exc_tready_i = ready();
        top->ev_ready_i = ready();
        top->ack_tready_i = ready();
        top->rsp_ready_i = ready();
        top->wr_ready_i = ready();
        top->clk_i = 0;
        top->eval();

        bool in_fire = top->rx_tvalid_i && top->rx_tready_o;
        bool cmd_fire = top->cmd_valid_i && top->cmd_ready_o;
        bool rec_fire = top->exc_valid_o && top->exc_ready_i;
        bool dat_fire = top->exc_tvalid_o && top->exc_tready_i;
        bool ev_fire = top->ev_valid_o && top->ev_ready_i;
        bool ack_fire = top->ack_tvalid_o && top->ack_tready_i;
        bool rsp_fire = top->rsp_valid_o && top->rsp_ready_i;
        bool wr_fire = top->wr_valid_o && top->wr_ready_i;

        // The model takes this cycle's inputs in the contract's order: tick, frame, command.
        uint32_t ts = (uint32_t)(cycle >> 4);
        if (tick) toe_rx_model_tick(model, ts);
        if (have && kind == RxItem::TICK) ii++;
        if (in_fire && bench && items[ii].phase == 1) {
            if (!stream_started) { stream_first = cycle; stream_started = true; }
            if (top->rx_tlast_i) { stream_last = cycle; stream_bytes += items[ii].frame.size(); stream_frames++; }
        }
        if (in_fire && top->rx_tlast_i) {
            size_t before = ms.acks.size();
            toe_rx_model_frame(model, items[ii].frame.data(), items[ii].frame.size(), ts);
            // The segment that draws an immediate ACK starts the latency clock.
            if (bench && items[ii].phase == 2 && ms.acks.size() > before && lat_index == SIZE_MAX) {
                lat_start = cycle;
                lat_index = acks + before;
            }
        }
        if (in_fire) {
            if (top->rx_tlast_i) { ii++; beat = 0; } else { beat++; }
        }
        if (cmd_fire) {
            const RxItem &it = items[ii];
            toe_rx_model_cmd(model, &it.cmd, it.cmd.op == CONN_CMD_INSERT ? &it.ctx : nullptr, ts);
            cmd_items.push_back(ii);
            ii++;
        }

        // ---- outputs ----
        if (rec_fire) {
            if (have_rec) { report("a second record before the first one's frame"); break; }
            get(top->exc_o, &rec, sizeof rec);
            have_rec = true;
        }
        if (dat_fire) {
            append_beat(cur, top->exc_tdata_o, top->exc_tkeep_o);
            if (top->exc_tlast_o) {
                if (!have_rec) { report("frame without a record"); break; }
                if (ms.exc.empty()) { report("exception the model did not make"); break; }
                ExcOut &e = ms.exc.front();
                if (std::memcmp(&rec, &e.rec, sizeof rec) != 0) {
                    std::fprintf(stderr, "tb_rx: record: rtl reason %u conn %u len %u l3 %u l4 %u tick %u; "
                                         "model reason %u conn %u len %u l3 %u l4 %u tick %u\n",
                                 rec.reason, rec.conn_id, rec.len, rec.l3_off, rec.l4_off, rec.tick,
                                 e.rec.reason, e.rec.conn_id, e.rec.len, e.rec.l3_off, e.rec.l4_off, e.rec.tick);
                    report("exception record");
                    break;
                }
                if (cur != e.frame) { report("exception frame bytes"); break; }
                ms.exc.pop_front();
                cur.clear();
                have_rec = false;
                checked++;
            }
        }
        if (wr_fire) {
            uint8_t data[kB];
            uint64_t strb = 0, addr = top->wr_addr_o;
            get(top->wr_data_o, data, kB);
            get(top->wr_strb_o, &strb, (kB + 7) / 8);
            if (addr % kB) { report("unaligned DMA write"); break; }
            for (unsigned l = 0; l < kB && !fail; l++) {
                if (!(strb >> l & 1)) continue;
                uint64_t a = addr + l;
                if (!guard.inside(a)) {
                    std::fprintf(stderr, "tb_rx: DMA write to 0x%" PRIx64 " outside every receive ring\n", a);
                    report("memory guard");
                } else if (ms.dma.empty()) {
                    report("DMA write the model did not make");
                } else if (ms.dma.front().addr != a || ms.dma.front().val != data[l]) {
                    std::fprintf(stderr, "tb_rx: DMA byte: rtl 0x%02x at 0x%" PRIx64 ", model 0x%02x at 0x%" PRIx64 "\n",
                                 data[l], a, ms.dma.front().val, ms.dma.front().addr);
                    report("DMA write");
                } else {
                    ms.dma.pop_front();
                    dma_bytes++;
                }
            }
            if (fail) break;
        }
        if (ev_fire) {
            toe_rx_event e;
            get(top->ev_o, &e, sizeof e);
            if (ms.ev.empty()) { report("event the model did not make"); break; }
            const toe_rx_event &m = ms.ev.front();
            if (std::memcmp(&e, &m, sizeof e) != 0) {
                std::fprintf(stderr, "tb_rx: event: rtl type %u flags %u conn %u seq %08x val %u tick %u; "
                                     "model type %u flags %u conn %u seq %08x val %u tick %u\n",
                             e.ev_type, e.flags, e.conn_id, e.seq, e.val, e.tick, m.ev_type, m.flags, m.conn_id,
                             m.seq, m.val, m.tick);
                report("event");
                break;
            }
            ms.ev.pop_front();
            events++;
        }
        if (top->ack_tvalid_o && ack_cur.empty() && acks == lat_index && lat_cycles == 0) lat_cycles = cycle - lat_start;
        if (ack_fire) {
            append_beat(ack_cur, top->ack_tdata_o, top->ack_tkeep_o);
            if (top->ack_tlast_o) {
                if (ms.acks.empty()) { report("ACK the model did not send"); break; }
                if (ack_cur != ms.acks.front()) {
                    size_t at = 0;
                    while (at < ack_cur.size() && at < ms.acks.front().size() && ack_cur[at] == ms.acks.front()[at]) at++;
                    std::fprintf(stderr, "tb_rx: ACK frame %zu differs at byte %zu (rtl %zu bytes, model %zu)\n", acks,
                                 at, ack_cur.size(), ms.acks.front().size());
                    for (int side = 0; side < 2; side++) {
                        const std::vector<uint8_t> &b = side ? ms.acks.front() : ack_cur;
                        std::fprintf(stderr, "  %s:", side ? "model" : "rtl  ");
                        for (size_t i = 0; i < b.size(); i++) std::fprintf(stderr, i == at ? " [%02x]" : " %02x", b[i]);
                        std::fprintf(stderr, "\n");
                    }
                    report("ACK frame");
                    break;
                }
                if (delack_cap) {
                    std::string why;
                    if (acks >= ack_expect.size()) {
                        std::fprintf(stderr, "tb_rx: ACK %zu: the contract expects only %zu\n", acks, ack_expect.size());
                        report("ACK against the contract");
                        break;
                    }
                    if (!check_ack(ack_cur, ms.ack_ticks.front(), ack_expect[acks], why)) {
                        std::fprintf(stderr, "tb_rx: ACK %zu: %s\n", acks, why.c_str());
                        report("ACK against the contract");
                        break;
                    }
                    expectations++;
                }
                if (pcap) toe_pcap_write(pcap, cycle * 4, ack_cur.data(), ack_cur.size());
                ms.acks.pop_front();
                ms.ack_ticks.pop_front();
                ack_cur.clear();
                acks++;
            }
        }
        if (rsp_fire) {
            toe_conn_rsp r;
            toe_rx_ctx c;
            get(top->rsp_o, &r, sizeof r);
            get(top->rsp_ctx_o, &c, sizeof c);
            if (ms.rsp.empty()) { report("response the model did not give"); break; }
            const Rsp &m = ms.rsp.front();
            if (std::memcmp(&r, &m.rsp, sizeof r) != 0) {
                std::fprintf(stderr, "tb_rx: response: rtl tag %u conn %u op %u status %u; model tag %u conn %u op %u "
                                     "status %u\n", r.tag, r.conn_id, r.op, r.status, m.rsp.tag, m.rsp.conn_id,
                             m.rsp.op, m.rsp.status);
                report("response");
                break;
            }
            if (m.has_ctx && std::memcmp(&c, &m.ctx, sizeof c) != 0) {
                const uint8_t *a = (const uint8_t *)&c, *b = (const uint8_t *)&m.ctx;
                size_t at = 0;
                while (a[at] == b[at]) at++;
                std::fprintf(stderr, "tb_rx: READ context differs at byte %zu: rtl 0x%02x, model 0x%02x\n", at, a[at], b[at]);
                report("READ context");
                break;
            }
            if (cmd_items.empty()) { report("response without a command"); break; }
            const RxItem &it = items[cmd_items.front()];
            cmd_items.pop_front();
            std::string why;
            if (!check_rsp(r, c, it.expect, why)) {
                std::fprintf(stderr, "tb_rx: response to '%s': %s\n", it.what.c_str(), why.c_str());
                report("response against the contract");
                break;
            }
            if (it.expect.status >= 0 || it.expect.read) expectations++;
            statuses.insert(r.status);
            ms.rsp.pop_front();
            rsps++;
        }
        if (in_fire || cmd_fire || rec_fire || dat_fire || wr_fire || ev_fire || ack_fire || rsp_fire)
            last_progress = cycle;

        // The falling edge is evaluated with the next cycle's inputs (nothing in the
        // engine acts on it): one evaluation fewer per cycle.
        top->clk_i = 1;
        top->eval();
        cycle++;
        bool drained = ms.exc.empty() && ms.dma.empty() && ms.ev.empty() && ms.acks.empty() && ms.rsp.empty();
        if (ii == items.size() && drained && cycle - last_progress > 300) break;
        if (cycle - last_progress > 200000) { report("hang"); break; }
    }

    if (!fail) {
        if (!ms.exc.empty()) report("exceptions the RTL never made");
        if (!ms.dma.empty()) report("DMA writes the RTL never made");
        if (!ms.ev.empty()) report("events the RTL never made");
        if (!ms.acks.empty()) report("ACKs the RTL never sent");
        if (!ms.rsp.empty()) report("responses the RTL never gave");
    }
    if (!fail) {
        uint32_t cnt[RX_CNT_NUM];
        get(top->cnt_o, cnt, sizeof cnt);
        const uint32_t *mc = toe_rx_model_counters(model);
        for (unsigned i = 0; i < RX_CNT_NUM; i++) {
            if (cnt[i] != mc[i]) {
                std::fprintf(stderr, "tb_rx: counter %s: rtl %u, model %u\n", rx_cnt_names[i], cnt[i], mc[i]);
                report("counters");
            }
        }
        // The directed set must reach every drop reason and every exception an empty
        // table can give; a reason nobody hit is a hole in the test, not a pass.
        if (mode == "directed") {
            for (unsigned i = RX_CNT_DROP_RUNT; i <= RX_CNT_DROP_UDP_CSUM; i++)
                if (!mc[i]) { std::fprintf(stderr, "tb_rx: no frame hit %s\n", rx_cnt_names[i]); hole(); }
            for (unsigned i = RX_CNT_EXC_NOT_IPV4; i <= RX_CNT_EXC_NO_CONN; i++)
                if (!mc[i]) { std::fprintf(stderr, "tb_rx: no frame hit %s\n", rx_cnt_names[i]); hole(); }
        }
        // The connection script must reach every connection exception, ACK reason and
        // event type.
        if (mode == "conn") {
            for (unsigned i = RX_CNT_EXC_NO_CONN; i <= RX_CNT_EXC_BUF_FULL; i++)
                if (!mc[i]) { std::fprintf(stderr, "tb_rx: no segment hit %s\n", rx_cnt_names[i]); hole(); }
            for (unsigned i = RX_CNT_ACK_EVERY2; i <= RX_CNT_ACK_HOST; i++)
                if (!mc[i]) { std::fprintf(stderr, "tb_rx: no %s\n", rx_cnt_names[i]); hole(); }
            if (!mc[RX_CNT_FAST_SEGS] || !mc[RX_CNT_DUPACKS_IN] || !mc[RX_CNT_CMD_ERRORS]) hole();
            for (uint8_t st : {CONN_STATUS_OK, CONN_STATUS_NOT_FOUND, CONN_STATUS_BUSY, CONN_STATUS_EXISTS,
                               CONN_STATUS_TABLE_FULL, CONN_STATUS_BAD_CTX, CONN_STATUS_BAD_ARG, CONN_STATUS_BAD_OP})
                if (!statuses.count(st)) { std::fprintf(stderr, "tb_rx: no response %u\n", st); hole(); }
            if (conn_max < 65536 && !statuses.count(CONN_STATUS_BAD_ID)) hole();
        }
        if (coverage_holes)
            std::fprintf(stderr, "tb_rx: COVERAGE HOLE: this script (seed %" PRIu64 ", count %u) did not reach the "
                                 "case(s) above; RTL and model agreed on what it did reach. Use a larger --count "
                                 "or another seed.\n", seed, count);
        // Every ACK the contract expects, and only those: all of them delayed.
        if (delack_cap && (acks != ack_expect.size() || cnt[RX_CNT_ACK_DELAYED] != ack_expect.size() ||
                           cnt[RX_CNT_ACKS_OUT] != ack_expect.size())) {
            std::fprintf(stderr, "tb_rx: %zu ACKs (%u delayed), the contract expects %zu delayed\n", acks,
                         cnt[RX_CNT_ACK_DELAYED], ack_expect.size());
            report("ACK count against the contract");
        }
        std::printf("tb_rx: counters:");
        for (unsigned i = 0; i < RX_CNT_NUM; i++)
            if (mc[i]) std::printf(" %s=%u", rx_cnt_names[i], mc[i]);
        std::printf("\n");
    }
    if (pcap) toe_pcap_close(pcap);
    if (bench && !fail) {
        uint64_t busy = stream_last - stream_first + 1;
        std::printf("BENCH width=%u payload=%u conns=%u frames=%" PRIu64 " busy_cycles=%" PRIu64
                    " efficiency=%.4f lookups_per_clock=%.4f ack_latency=%" PRIu64 "\n",
                    TB_WIDTH, payload, nconns, stream_frames, busy, (double)stream_bytes / (busy * kB),
                    (double)stream_frames / busy, lat_cycles);
    }
    std::printf("tb_rx: %s: %zu inputs, %zu exceptions, %zu DMA bytes, %zu events, %zu ACKs, %zu responses compared, "
                "%zu checked against the contract, %" PRIu64 " cycles, table of %u\n", fail ? "FAIL" : "ok",
                items.size(), checked, dma_bytes, events, acks, rsps, expectations, cycle, conn_max);
    top->final();
    toe_rx_model_free(model);
    return fail;
}
