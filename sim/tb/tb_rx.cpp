// Verilator co-simulation of the RX engine against the C reference model.
//
// Feeds toe_rx_engine (one datapath width) and toe_rx_model the same frames and ticks
// in the same order (docs/rx-datapath.md, "Order"), with random gaps on the input and
// random backpressure on every output, and demands the same exception records and
// frames, in order, and the same counters. Dropped frames must not come out at all.
//
//   tb_rx_wNN --mode=directed|random [--seed=N] [--count=N] [--backpressure=PCT]
//
// Exit status 0 when everything matched; on the first divergence it prints what
// differed, the frame's name and the seed, and exits 1.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vtoe_rx_engine.h"
#include "verilated.h"
#include "tb_ports.h"
#include "tb_rx_frames.h"

extern "C" {
#include "toe_rx_model.h"
}

namespace {

constexpr unsigned kB = TB_WIDTH / 8;

struct ExcOut {
    toe_rx_exc rec;
    std::vector<uint8_t> frame;
};

struct ModelSide {
    std::deque<ExcOut> exc;
    unsigned other = 0;  // outputs an empty table must never make
};

void on_exc(void *arg, const struct toe_rx_exc *rec, const uint8_t *frame, size_t len)
{
    static_cast<ModelSide *>(arg)->exc.push_back(ExcOut{*rec, std::vector<uint8_t>(frame, frame + len)});
}
void on_dma(void *arg, uint64_t, const uint8_t *, size_t) { static_cast<ModelSide *>(arg)->other++; }
void on_event(void *arg, const struct toe_rx_event *) { static_cast<ModelSide *>(arg)->other++; }
void on_ack(void *arg, const uint8_t *, size_t) { static_cast<ModelSide *>(arg)->other++; }

}  // namespace

int main(int argc, char **argv)
{
    std::string mode = "directed";
    uint64_t seed = 1;
    unsigned count = 2000, backpressure = 0;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a.rfind("--mode=", 0) == 0) mode = a.substr(7);
        else if (a.rfind("--seed=", 0) == 0) seed = std::strtoull(a.c_str() + 7, nullptr, 0);
        else if (a.rfind("--count=", 0) == 0) count = (unsigned)std::strtoul(a.c_str() + 8, nullptr, 0);
        else if (a.rfind("--backpressure=", 0) == 0) backpressure = (unsigned)std::strtoul(a.c_str() + 15, nullptr, 0);
        else if (a[0] != '+') {
            std::fprintf(stderr, "usage: %s --mode=directed|random [--seed=N] [--count=N] [--backpressure=PCT]\n", argv[0]);
            return 2;
        }
    }
    std::printf("tb_rx: width %u, mode %s, seed %" PRIu64 " (rerun with --seed=%" PRIu64 ")\n", TB_WIDTH,
                mode.c_str(), seed, seed);

    std::mt19937_64 rng(seed);
    std::vector<RxFrame> frames;
    if (mode == "directed") tb_rx_frames_directed(frames, rng);
    else tb_rx_frames_random(frames, count, rng);

    ModelSide ms;
    toe_rx_out out;
    std::memset(&out, 0, sizeof out);
    out.exception = on_exc;
    out.dma_write = on_dma;
    out.event = on_event;
    out.ack = on_ack;
    out.arg = &ms;
    toe_rx_model *model = toe_rx_model_new(CONN_MAX_DEFAULT, &out);

    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vtoe_rx_engine> top(new Vtoe_rx_engine(ctx.get()));
    std::mt19937_64 bp(seed ^ 0x5bd1e995ull);
    auto ready = [&]() { return backpressure == 0 || (bp() % 100) >= backpressure; };

    top->rst_ni = 0;
    top->clk_i = 0;
    top->eval();
    for (int i = 0; i < 4; i++) { top->clk_i = 1; top->eval(); top->clk_i = 0; top->eval(); }
    top->rst_ni = 1;

    size_t fi = 0, beat = 0, checked = 0;
    std::vector<uint8_t> cur;
    bool have_rec = false;
    toe_rx_exc rec;
    uint64_t cycle = 0, last_progress = 0;
    int fail = 0;
    std::map<std::string, unsigned> reasons;

    auto report = [&](const char *what) {
        std::fprintf(stderr, "tb_rx: MISMATCH (%s) at cycle %" PRIu64 ", width %u\n  reproduce: %s --mode=%s --seed=%" PRIu64
                             " --count=%u --backpressure=%u\n", what, cycle, TB_WIDTH, argv[0], mode.c_str(), seed,
                     count, backpressure);
        fail = 1;
    };

    while (!fail) {
        bool tick = bp() % 97 == 0;  // ticks at random points, also between a frame's beats
        bool drive = fi < frames.size() && bp() % 8 != 0;
        top->tick_i = tick;
        top->ts_now_i = (uint32_t)(cycle >> 4);
        top->rx_tvalid_i = drive;
        if (drive) {
            const std::vector<uint8_t> &f = frames[fi].bytes;
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
        top->exc_ready_i = ready();
        top->exc_tready_i = ready();
        top->clk_i = 0;
        top->eval();

        bool in_fire = top->rx_tvalid_i && top->rx_tready_o;
        bool rec_fire = top->exc_valid_o && top->exc_ready_i;
        bool dat_fire = top->exc_tvalid_o && top->exc_tready_i;

        // The model takes the inputs of this cycle in the contract's order.
        if (tick) toe_rx_model_tick(model, (uint32_t)(cycle >> 4));
        if (in_fire && top->rx_tlast_i) {
            const RxFrame &f = frames[fi];
            size_t before = ms.exc.size();
            toe_rx_model_frame(model, f.bytes.data(), f.bytes.size(), (uint32_t)(cycle >> 4));
            if (ms.exc.size() > before) {
                reasons[std::to_string(ms.exc.back().rec.reason)]++;
            }
        }
        if (in_fire) {
            if (top->rx_tlast_i) { fi++; beat = 0; } else { beat++; }
        }
        if (rec_fire) {
            if (have_rec) { report("a second record before the first one's frame"); break; }
            get(top->exc_o, &rec, sizeof rec);
            have_rec = true;
        }
        if (dat_fire) {
            uint8_t data[kB];
            uint64_t keep = 0;
            get(top->exc_tdata_o, data, kB);
            get(top->exc_tkeep_o, &keep, (kB + 7) / 8);
            unsigned n = 0;
            while (n < kB && (keep >> n & 1)) n++;
            cur.insert(cur.end(), data, data + n);
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
        if (in_fire || rec_fire || dat_fire) last_progress = cycle;

        top->clk_i = 1;
        top->eval();
        top->clk_i = 0;
        top->eval();
        cycle++;
        if (fi == frames.size() && ms.exc.empty() && cycle - last_progress > 200) break;
        if (cycle - last_progress > 100000) { report("hang"); break; }
    }

    if (!fail && !ms.exc.empty()) report("exceptions the RTL never made");
    if (!fail && ms.other) report("the model made outputs an empty table cannot make");
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
                if (!mc[i]) { std::fprintf(stderr, "tb_rx: no frame hit %s\n", rx_cnt_names[i]); report("coverage"); }
            for (unsigned i = RX_CNT_EXC_NOT_IPV4; i <= RX_CNT_EXC_NO_CONN; i++)
                if (!mc[i]) { std::fprintf(stderr, "tb_rx: no frame hit %s\n", rx_cnt_names[i]); report("coverage"); }
        }
        std::printf("tb_rx: counters:");
        for (unsigned i = 0; i < RX_CNT_NUM; i++)
            if (mc[i]) std::printf(" %s=%u", rx_cnt_names[i], mc[i]);
        std::printf("\n");
    }
    std::printf("tb_rx: %s: %zu frames in, %zu exceptions compared, %" PRIu64 " cycles\n", fail ? "FAIL" : "ok",
                frames.size(), checked, cycle);
    top->final();
    toe_rx_model_free(model);
    return fail;
}
