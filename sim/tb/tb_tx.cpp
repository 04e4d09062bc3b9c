// Verilator co-simulation of the TX engine against the C reference model.
//
// Feeds toe_tx_engine (Verilated at one datapath width) and toe_tx_model the same
// descriptors, contexts, host memory and timestamp clock, and demands the same frames
// byte for byte, the same completions and the same counters. The DMA side is a host
// memory with a configurable latency that checks every read against the DMA window
// like an IOMMU. Random backpressure on every ready the bench drives.
//
//   tb_tx_wNN --mode=directed|random|bench [--seed=N] [--count=N] [--payload=N]
//             [--backpressure=PCT] [--dma-latency=CYCLES] [--pcap=FILE] [--flows=FILE]
//             [--trace=FILE.fst] [--inject-fault=BYTE] [--dump-payload=FILE]
//
// --inject-fault flips one byte of the model's first frame: the run must then fail at
// exactly that byte (the test that shows the comparison can fail). --dump-payload
// writes the TSO payloads of all jobs in order: for the one-flow bench load, the byte
// stream a receiver must reassemble.
// Exit status 0 when everything matched; on the first mismatch it prints the byte,
// the frame around it and the seed, and exits 1.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "Vtoe_tx_engine.h"
#include "verilated.h"
#include "tb_ports.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

#include "tb_tx_jobs.h"

extern "C" {
#include "toe_pcap.h"
#include "toe_tx_model.h"
}

namespace {

constexpr unsigned kB = TB_WIDTH / 8;  // bytes per beat
constexpr uint64_t kClockNs = 4;       // the 250 MHz core clock, for pcap time stamps

struct Options {
    std::string mode = "directed";
    uint64_t seed = 1;
    unsigned count = 2000;
    unsigned payload = 1460;
    unsigned backpressure = 0;  // percent of cycles each bench-driven ready is low
    unsigned dma_latency = 16;
    std::string pcap, flows, trace;
    long inject_fault = -1;
    std::string dump_payload;
};

bool parse(int argc, char **argv, Options &o)
{
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&](const char *k) -> const char * {
            size_t n = std::strlen(k);
            return a.compare(0, n, k) == 0 ? a.c_str() + n : nullptr;
        };
        const char *v;
        if ((v = val("--mode="))) o.mode = v;
        else if ((v = val("--seed="))) o.seed = std::strtoull(v, nullptr, 0);
        else if ((v = val("--count="))) o.count = (unsigned)std::strtoul(v, nullptr, 0);
        else if ((v = val("--payload="))) o.payload = (unsigned)std::strtoul(v, nullptr, 0);
        else if ((v = val("--backpressure="))) o.backpressure = (unsigned)std::strtoul(v, nullptr, 0);
        else if ((v = val("--dma-latency="))) o.dma_latency = (unsigned)std::strtoul(v, nullptr, 0);
        else if ((v = val("--pcap="))) o.pcap = v;
        else if ((v = val("--flows="))) o.flows = v;
        else if ((v = val("--trace="))) o.trace = v;
        else if ((v = val("--inject-fault="))) o.inject_fault = std::strtol(v, nullptr, 0);
        else if ((v = val("--dump-payload="))) o.dump_payload = v;
        else if (a[0] == '+') continue;  // Verilator's own plusargs
        else {
            std::fprintf(stderr, "tb_tx: unknown argument '%s'\n", argv[i]);
            return false;
        }
    }
    return o.mode == "directed" || o.mode == "random" || o.mode == "bench";
}

// ---- what the model says must come out ---------------------------------------------------
struct Expected {
    std::vector<uint8_t> bytes;
    size_t job;
};

struct Scoreboard {
    long inject_fault = -1;
    uint64_t model_frames = 0;
    std::deque<Expected> frames;
    std::deque<std::pair<toe_tx_cpl, size_t>> cpls;
    size_t cur_job = 0;
};

void on_model_frame(void *arg, const uint8_t *frame, size_t len)
{
    Scoreboard *sb = static_cast<Scoreboard *>(arg);
    sb->frames.push_back(Expected{std::vector<uint8_t>(frame, frame + len), sb->cur_job});
    if (sb->model_frames++ == 0 && sb->inject_fault >= 0 && (size_t)sb->inject_fault < len)
        sb->frames.back().bytes[sb->inject_fault] ^= 0x01;
}

int model_read(void *arg, uint64_t addr, void *dst, size_t len)
{
    const TxWorkload *w = static_cast<const TxWorkload *>(arg);
    if (addr < w->dma_lo || addr + len > w->dma_hi()) return -1;
    std::memcpy(dst, &w->mem[addr - w->dma_lo], len);
    return 0;
}

void dump_bytes(const char *label, const std::vector<uint8_t> &b, size_t at)
{
    size_t lo = at >= 16 ? (at - 16) & ~(size_t)15 : 0;
    size_t hi = std::min(b.size(), lo + 48);
    std::fprintf(stderr, "  %s (%zu bytes):\n", label, b.size());
    for (size_t i = lo; i < hi; i += 16) {
        std::fprintf(stderr, "    %04zx:", i);
        for (size_t k = i; k < std::min(hi, i + 16); k++)
            std::fprintf(stderr, k == at ? " [%02x]" : " %02x", b[k]);
        std::fprintf(stderr, "\n");
    }
}

struct DmaRead {
    uint64_t addr;
    unsigned len;
    uint64_t ready_at;
    unsigned beat;
};

}  // namespace

int main(int argc, char **argv)
{
    Options opt;
    if (!parse(argc, argv, opt)) {
        std::fprintf(stderr, "usage: %s --mode=directed|random|bench [--seed=N] [--count=N] "
                             "[--payload=N] [--backpressure=PCT] [--dma-latency=N] [--pcap=FILE] "
                             "[--flows=FILE] [--trace=FILE]\n", argv[0]);
        return 2;
    }
    std::printf("tb_tx: width %u, mode %s, seed %" PRIu64 " (rerun with --seed=%" PRIu64 ")\n",
                TB_WIDTH, opt.mode.c_str(), opt.seed, opt.seed);

    std::mt19937_64 rng(opt.seed);
    TxWorkload w;
    if (opt.mode == "directed") tx_jobs_directed(w, kB, rng);
    else if (opt.mode == "random") tx_jobs_random(w, opt.count, rng);
    else tx_jobs_bench(w, opt.count, opt.payload, rng);

    toe_tx_model model;
    toe_tx_model_init(&model, w.dma_lo, w.dma_hi(), model_read, &w);
    Scoreboard sb;
    sb.inject_fault = opt.inject_fault;

    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vtoe_tx_engine> top(new Vtoe_tx_engine(ctx.get()));
#if VM_TRACE
    std::unique_ptr<VerilatedFstC> tfp;
    if (!opt.trace.empty()) {
        ctx->traceEverOn(true);
        tfp.reset(new VerilatedFstC);
        top->trace(tfp.get(), 99);
        tfp->open(opt.trace.c_str());
    }
#else
    if (!opt.trace.empty()) std::fprintf(stderr, "tb_tx: built without tracing; --trace ignored\n");
#endif

    struct toe_pcap *pcap = nullptr;
    if (!opt.pcap.empty() && !(pcap = toe_pcap_open(opt.pcap.c_str()))) return 1;

    // The bench-side random streams are separate from the workload's, so the same
    // seed gives the same jobs whatever the backpressure.
    std::mt19937_64 bp(opt.seed ^ 0x9e3779b97f4a7c15ull);
    auto ready = [&]() { return opt.backpressure == 0 || (bp() % 100) >= opt.backpressure; };

    top->dma_lo_i = w.dma_lo;
    top->dma_hi_i = w.dma_hi();
    top->rst_ni = 0;
    top->clk_i = 0;
    top->eval();
    for (int i = 0; i < 4; i++) {
        top->clk_i = 1; top->eval();
        top->clk_i = 0; top->eval();
    }
    top->rst_ni = 1;
    top->eval();

    size_t next_job = 0;
    std::deque<DmaRead> dma;
    std::vector<uint8_t> cur_frame;
    uint64_t cycle = 0, last_progress = 0;
    uint64_t frames_seen = 0, cpls_seen = 0, first_beat = 0, last_beat = 0;
    uint64_t frame_bytes = 0, payload_bytes = 0;
    bool fail = false;
    double model_wall = 0;  // seconds spent in the C model, to compare it with the RTL
    auto t0 = std::chrono::steady_clock::now();

    auto report = [&](const char *what, size_t job) {
        std::fprintf(stderr, "tb_tx: MISMATCH (%s) at cycle %" PRIu64 ", job %zu '%s', width %u\n"
                             "  reproduce: %s --mode=%s --seed=%" PRIu64 " --count=%u --backpressure=%u "
                             "--dma-latency=%u\n",
                     what, cycle, job, job < w.jobs.size() ? w.jobs[job].what.c_str() : "?", TB_WIDTH,
                     argv[0], opt.mode.c_str(), opt.seed, opt.count, opt.backpressure, opt.dma_latency);
        fail = true;
    };

    while (!fail) {
        // ---- drive inputs for this cycle (clock low) ----
        bool have_cmd = next_job < w.jobs.size();
        top->cmd_valid_i = have_cmd;
        if (have_cmd) {
            put(top->cmd_desc_i, &w.jobs[next_job].desc, sizeof(toe_tx_desc));
            put(top->cmd_ctx_i, &w.jobs[next_job].ctx, sizeof(toe_tx_ctx));
        }
        top->ts_now_i = (uint32_t)(cycle >> 4);
        top->rd_req_ready_i = ready();
        bool dma_valid = !dma.empty() && dma.front().ready_at <= cycle && ready();
        top->rd_tvalid_i = dma_valid;
        if (dma_valid) {
            const DmaRead &r = dma.front();
            uint8_t beat[kB];
            unsigned off = r.beat * kB, n = std::min(kB, r.len - off);
            std::memcpy(beat, &w.mem[r.addr - w.dma_lo + off], n);
            std::memset(beat + n, 0xA5, kB - n);  // junk past the end: must never leak out
            put(top->rd_tdata_i, beat, kB);
            uint64_t keep = n == 64 ? ~0ull : ((1ull << n) - 1);
            put(top->rd_tkeep_i, &keep, (kB + 7) / 8);
            top->rd_tlast_i = (off + n == r.len);
        }
        top->tx_tready_i = ready();
        top->cpl_ready_i = ready();
        top->clk_i = 0;
        top->eval();

        // ---- sample handshakes before the edge ----
        bool cmd_fire = top->cmd_valid_i && top->cmd_ready_o;
        bool req_fire = top->rd_req_valid_o && top->rd_req_ready_i;
        bool rd_fire = top->rd_tvalid_i && top->rd_tready_o;
        bool tx_fire = top->tx_tvalid_o && top->tx_tready_i;
        bool cpl_fire = top->cpl_valid_o && top->cpl_ready_i;

        if (cmd_fire) {
            // The engine samples ts_now in the cycle it accepts the command.
            sb.cur_job = next_job;
            toe_tx_cpl cpl;
            auto m0 = std::chrono::steady_clock::now();
            toe_tx_model_process(&model, &w.jobs[next_job].desc, &w.jobs[next_job].ctx,
                                 (uint32_t)(cycle >> 4), on_model_frame, &sb, &cpl);
            model_wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - m0).count();
            sb.cpls.emplace_back(cpl, next_job);
            next_job++;
        }
        if (req_fire) {
            uint64_t addr = top->rd_req_addr_o;
            unsigned len = top->rd_req_len_o;
            // The IOMMU's check: a read outside the window is a hardware bug.
            if (len == 0 || addr < w.dma_lo || addr + len > w.dma_hi()) {
                std::fprintf(stderr, "tb_tx: DMA read [0x%" PRIx64 ", +%u) outside the window\n", addr, len);
                report("DMA outside window", sb.cur_job);
                break;
            }
            dma.push_back(DmaRead{addr, len, cycle + opt.dma_latency, 0});
        }
        if (rd_fire) {
            DmaRead &r = dma.front();
            if (++r.beat * kB >= r.len) dma.pop_front();
        }
        if (tx_fire) {
            uint8_t beat[kB];
            uint64_t keep = 0;
            get(top->tx_tdata_o, beat, kB);
            get(top->tx_tkeep_o, &keep, (kB + 7) / 8);
            bool last = top->tx_tlast_o;
            unsigned n = 0;
            while (n < kB && (keep >> n & 1)) n++;
            uint64_t want = n == 64 ? ~0ull : ((1ull << n) - 1);
            if (keep != want || n == 0 || (!last && n != kB)) {
                std::fprintf(stderr, "tb_tx: bad tkeep 0x%" PRIx64 " (last=%d)\n", keep, last);
                report("tkeep", sb.frames.empty() ? 0 : sb.frames.front().job);
                break;
            }
            if (frames_seen == 0 && cur_frame.empty()) first_beat = cycle;
            last_beat = cycle;
            cur_frame.insert(cur_frame.end(), beat, beat + n);
            if (last) {
                if (sb.frames.empty()) {
                    report("frame the model did not send", w.jobs.size());
                    dump_bytes("rtl", cur_frame, 0);
                    break;
                }
                Expected &e = sb.frames.front();
                if (e.bytes != cur_frame) {
                    size_t at = 0;
                    while (at < e.bytes.size() && at < cur_frame.size() && e.bytes[at] == cur_frame[at]) at++;
                    std::fprintf(stderr, "tb_tx: frame %" PRIu64 " differs at byte %zu (rtl %zu bytes, model %zu)\n",
                                 frames_seen, at, cur_frame.size(), e.bytes.size());
                    report("frame bytes", e.job);
                    dump_bytes("rtl", cur_frame, at);
                    dump_bytes("model", e.bytes, at);
                    break;
                }
                if (pcap) toe_pcap_write(pcap, cycle * kClockNs, cur_frame.data(), cur_frame.size());
                frame_bytes += cur_frame.size();
                sb.frames.pop_front();
                cur_frame.clear();
                frames_seen++;
            }
        }
        if (cpl_fire) {
            toe_tx_cpl got;
            get(top->cpl_o, &got, sizeof got);
            if (sb.cpls.empty()) {
                report("completion the model did not issue", w.jobs.size());
                break;
            }
            auto &e = sb.cpls.front();
            if (std::memcmp(&got, &e.first, sizeof got) != 0) {
                std::fprintf(stderr, "tb_tx: completion %" PRIu64 ": rtl tag %u status %u nsegs %u next_seq %08x "
                                     "next_ip_id %04x; model tag %u status %u nsegs %u next_seq %08x next_ip_id %04x\n",
                             cpls_seen, got.tag, got.status, got.nsegs, got.next_seq, got.next_ip_id,
                             e.first.tag, e.first.status, e.first.nsegs, e.first.next_seq, e.first.next_ip_id);
                report("completion", e.second);
                break;
            }
            if (!sb.frames.empty() && sb.frames.front().job <= e.second) {
                report("completion before its frames", e.second);
                break;
            }
            sb.cpls.pop_front();
            cpls_seen++;
        }
        if (cmd_fire || req_fire || rd_fire || tx_fire || cpl_fire) last_progress = cycle;

        // ---- clock edge ----
        top->clk_i = 1;
        top->eval();
#if VM_TRACE
        if (tfp) tfp->dump(2 * cycle + 1);
#endif
        top->clk_i = 0;
        top->eval();
#if VM_TRACE
        if (tfp) tfp->dump(2 * cycle + 2);
#endif
        cycle++;

        if (next_job == w.jobs.size() && sb.frames.empty() && sb.cpls.empty() && dma.empty())
            break;
        if (cycle - last_progress > 100000) {
            std::fprintf(stderr, "tb_tx: no progress for 100000 cycles: %zu jobs sent of %zu, %zu frames and %zu "
                                 "completions outstanding, %zu DMA reads pending\n",
                         next_job, w.jobs.size(), sb.frames.size(), sb.cpls.size(), dma.size());
            report("hang", next_job);
            break;
        }
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    if (!fail) {
        // Let the counters settle, then they must equal the model's.
        for (int i = 0; i < 8; i++) {
            top->clk_i = 1; top->eval();
            top->clk_i = 0; top->eval();
        }
        uint32_t cnt[TX_CNT_NUM];
        get(top->cnt_o, cnt, sizeof cnt);
        for (unsigned i = 0; i < TX_CNT_NUM; i++) {
            if (cnt[i] != model.cnt[i]) {
                std::fprintf(stderr, "tb_tx: counter %s: rtl %u, model %u\n", tx_cnt_names[i], cnt[i], model.cnt[i]);
                report("counters", w.jobs.size());
            }
        }
        payload_bytes = model.cnt[TX_CNT_PAYLOAD_BYTES];
    }
    if (pcap) toe_pcap_close(pcap);

    if (!opt.flows.empty()) {
        // The oracle's manifest: what each TCP flow's segments must respect.
        FILE *f = std::fopen(opt.flows.c_str(), "w");
        if (!f) { std::perror(opt.flows.c_str()); return 1; }
        std::fprintf(f, "# src_ip\tsrc_port\tdst_ip\tdst_port\tmss\ttimestamps\n");
        for (const TxConn &k : w.conns) {
            const toe_tx_ctx &c = k.ctx;
            std::fprintf(f, "%u.%u.%u.%u\t%u\t%u.%u.%u.%u\t%u\t%u\t%d\n", c.src_ip >> 24, c.src_ip >> 16 & 255,
                         c.src_ip >> 8 & 255, c.src_ip & 255, c.src_port, c.dst_ip >> 24, c.dst_ip >> 16 & 255,
                         c.dst_ip >> 8 & 255, c.dst_ip & 255, c.dst_port, c.mss, (c.flags & CTX_FLAG_TS) ? 1 : 0);
        }
        std::fclose(f);
    }

    if (!opt.dump_payload.empty()) {
        FILE *f = std::fopen(opt.dump_payload.c_str(), "wb");
        if (!f) { std::perror(opt.dump_payload.c_str()); return 1; }
        for (const TxJob &j : w.jobs)
            if (j.desc.op == TX_OP_TSO && j.desc.len)
                std::fwrite(&w.mem[j.desc.buf_addr - w.dma_lo], 1, j.desc.len, f);
        std::fclose(f);
    }

    uint64_t busy = last_beat - first_beat + 1;
    std::printf("tb_tx: %s: %zu jobs, %" PRIu64 " frames, %" PRIu64 " completions, %" PRIu64 " cycles, "
                "%.0f cycles/s\n", fail ? "FAIL" : "ok", w.jobs.size(), frames_seen, cpls_seen, cycle,
                cycle / (wall > 0 ? wall : 1e-9));
    if (opt.mode == "bench" && !fail) {
        // The RTL's share of the wall time is everything but the model's; the ratio of
        // the two is what the model saves over simulating the RTL for the same frames.
        double rtl_wall = wall - model_wall;
        std::printf("BENCH width=%u payload=%u frames=%" PRIu64 " busy_cycles=%" PRIu64
                    " efficiency=%.4f goodput=%.4f cycles_per_s=%.0f model_speedup=%.1f\n",
                    TB_WIDTH, opt.payload, frames_seen, busy, (double)frame_bytes / (busy * kB),
                    (double)payload_bytes / (busy * kB), cycle / (wall > 0 ? wall : 1e-9),
                    rtl_wall / (model_wall > 0 ? model_wall : 1e-9));
    }
    top->final();
#if VM_TRACE
    if (tfp) tfp->close();
#endif
    return fail ? 1 : 0;
}
