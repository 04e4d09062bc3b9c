// Verilator test of the checksum unit (rtl/toe_csum.sv) on its own, at one width.
//
// Streams random "frames" of random length through toe_csum: random data, a random
// byte mask on every beat (masked bytes count as zero), random idle cycles between
// beats. Each frame's folded sum from the RTL must equal the C model's sum of the
// same bytes with the masked ones zeroed (toe_csum_partial, RFC 1071). Directed frames
// first: all zeros, all ones (sum 0xFFFF), a single byte, the RFC 1071 section 3 bytes.
//
//   tb_csum_wNN [--seed=N] [--frames=N]
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vtoe_csum.h"
#include "verilated.h"
#include "tb_ports.h"

extern "C" {
#include "toe_csum.h"
}

namespace {

constexpr unsigned kB = TB_WIDTH / 8;

struct Frame {
    std::vector<uint8_t> bytes;  // what the unit sees
    std::vector<uint8_t> mask;   // per byte: 1 = counted
};

}  // namespace

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    unsigned nframes = 3000;
    for (int i = 1; i < argc; i++) {
        if (!std::strncmp(argv[i], "--seed=", 7)) seed = std::strtoull(argv[i] + 7, nullptr, 0);
        else if (!std::strncmp(argv[i], "--frames=", 9)) nframes = (unsigned)std::strtoul(argv[i] + 9, nullptr, 0);
        else if (argv[i][0] != '+') {
            std::fprintf(stderr, "usage: %s [--seed=N] [--frames=N]\n", argv[0]);
            return 2;
        }
    }
    std::printf("tb_csum: width %u, seed %" PRIu64 " (rerun with --seed=%" PRIu64 ")\n", TB_WIDTH, seed, seed);
    std::mt19937_64 rng(seed);

    std::vector<Frame> frames;
    // A frame fills whole beats: bytes past its end are junk with their mask bit clear.
    auto add = [&](std::vector<uint8_t> b, bool full_mask) {
        Frame f;
        size_t len = b.size();
        f.bytes = b;
        f.bytes.resize(((len + kB - 1) / kB) * kB, 0xEE);
        f.mask.resize(f.bytes.size());
        for (size_t i = 0; i < f.mask.size(); i++) f.mask[i] = i < len && (full_mask || rng() % 4 != 0);
        frames.push_back(f);
    };
    add(std::vector<uint8_t>(64, 0x00), true);
    add(std::vector<uint8_t>(64, 0xFF), true);
    add(std::vector<uint8_t>(1, 0xAB), true);
    add({0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}, true);  // RFC 1071 section 3
    add(std::vector<uint8_t>(9216, 0xFF), true);                   // a jumbo of all ones
    while (frames.size() < nframes) {
        size_t len = 1 + rng() % (rng() % 8 ? 200 : 9216);
        std::vector<uint8_t> b(len);
        for (auto &x : b) x = (uint8_t)rng();
        add(b, rng() % 3 == 0);
    }

    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vtoe_csum> top(new Vtoe_csum(ctx.get()));
    top->rst_ni = 0;
    top->clk_i = 0;
    top->valid_i = 0;
    top->eval();
    for (int i = 0; i < 3; i++) { top->clk_i = 1; top->eval(); top->clk_i = 0; top->eval(); }
    top->rst_ni = 1;

    std::deque<uint16_t> expect;
    std::vector<uint16_t> rtl_sums;
    size_t fi = 0, beat = 0, checked = 0;
    uint64_t cycle = 0;
    int fail = 0;
    while (!fail && (fi < frames.size() || !expect.empty())) {
        bool drive = fi < frames.size() && rng() % 5 != 0;  // idle cycles between beats
        top->valid_i = drive;
        if (drive) {
            const Frame &f = frames[fi];
            size_t nbeats = f.bytes.size() / kB;
            uint8_t data[kB];
            uint64_t mask = 0;
            std::memcpy(data, &f.bytes[beat * kB], kB);
            for (unsigned l = 0; l < kB; l++) mask |= (uint64_t)f.mask[beat * kB + l] << l;
            put(top->data_i, data, kB);
            put(top->mask_i, &mask, (kB + 7) / 8);
            top->first_i = beat == 0;
            top->last_i = beat == nbeats - 1;
            if (beat == nbeats - 1) {
                std::vector<uint8_t> z(f.bytes);
                for (size_t i = 0; i < z.size(); i++) z[i] &= f.mask[i] ? 0xFF : 0x00;
                expect.push_back(toe_csum_fold(toe_csum_partial(0, z.data(), z.size())));
                fi++;
                beat = 0;
            } else {
                beat++;
            }
        }
        top->clk_i = 1; top->eval();
        top->clk_i = 0; top->eval();
        cycle++;
        if (top->sum_valid_o) {
            if (expect.empty()) {
                std::fprintf(stderr, "tb_csum: a sum with no frame behind it at cycle %" PRIu64 "\n", cycle);
                fail = 1;
            } else if (top->sum_o != expect.front()) {
                std::fprintf(stderr, "tb_csum: frame %zu: rtl 0x%04x, model 0x%04x (seed %" PRIu64 ")\n",
                             checked, top->sum_o, expect.front(), seed);
                fail = 1;
            } else {
                rtl_sums.push_back(top->sum_o);
                expect.pop_front();
                checked++;
            }
        }
        if (cycle > 100000000) { std::fprintf(stderr, "tb_csum: runaway\n"); fail = 1; }
    }
    // The directed frames' sums are known without any model: zeros sum to 0, ones to
    // 0xFFFF, one byte 0xAB to 0xAB00, and RFC 1071 section 3 gives 0xddf2.
    static const uint16_t known[] = {0x0000, 0xFFFF, 0xAB00, 0xddf2, 0xFFFF};
    for (size_t i = 0; i < sizeof known / sizeof known[0] && !fail; i++) {
        if (rtl_sums[i] != known[i]) {
            std::fprintf(stderr, "tb_csum: directed frame %zu: rtl 0x%04x, known answer 0x%04x\n", i,
                         rtl_sums[i], known[i]);
            fail = 1;
        }
    }
    std::printf("tb_csum: %s: %zu frames checked in %" PRIu64 " cycles\n", fail ? "FAIL" : "ok", checked, cycle);
    top->final();
    return fail;
}
