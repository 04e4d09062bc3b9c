// toe_dev_rtl_new(): the Verilated RTL device (rtl/toe_dev.sv) behind sim/dev/toe_dev.h.
//
// The harness is the device's surroundings: host memory through env->dma_read/write
// (one read answered at a time, beats packed from its address; write bursts gathered and
// written strobed byte runs at their last beat, then one done), the Ethernet wire (a
// queue of frames fed a beat a clock; frames out gathered and handed to env->frame_out
// at the clock of their last beat), MSI-X and the engines' input moments (env->taken).
//
// Time: clock edge k is at k * DEV_CLK_PS. An MMIO or window access takes the next edge
// (one clock); run(until) makes every edge at or before until. While the device is
// settled (nothing in flight) the harness jumps: over whole idle ticks with the device's
// warp port when no connection has tick work, else to just short of the next tick with
// its skip port; never past the next MSI-X moderation deadline, which it reads from the
// device's debug port without clocking.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "verilated.h"
#include "tb_ports.h"

extern "C" {
#include "toe_dev.h"
}

#include "Vtoe_dev_c64.h"
#include "Vtoe_dev_c4096.h"

namespace {

constexpr uint64_t kClk = DEV_CLK_PS;
constexpr uint64_t kTick = DEV_TICK_CYCLES;

struct Base {
    struct toe_dev dev;  // first: the ops cast back
};

template <class V>
struct RtlDev : Base {
    toe_dev_env env{};
    uint32_t conn_max = 0;
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<V> top;
    uint64_t now_ps = 0;
    uint16_t pci_cmd = 0, msix_ctl = 0;

    // the wire in
    std::deque<std::vector<uint8_t>> rx_q;
    size_t rx_off = 0;
    // a DMA read being answered
    bool rd_active = false, rd_err = false;
    std::vector<uint8_t> rd_buf;
    size_t rd_off = 0;
    // a DMA write burst
    std::vector<std::pair<uint64_t, uint8_t>> wr_bytes;
    bool wr_done_next = false, wr_err_next = false;
    // the wire out
    std::vector<uint8_t> tx_frame;

    uint64_t cycle() const { return top->cycle_o; }
    uint64_t edge_ps() const { return (cycle() + 1) * kClk; }

    // Inputs for the coming clock from what the harness holds; then evaluate.
    void drive()
    {
        top->clk_i = 0;
        top->dma_rreq_ready_i = !rd_active;
        top->dma_rd_valid_i = rd_active;
        if (rd_active) {
            uint8_t beat[8];
            size_t n = std::min<size_t>(8, rd_buf.size() - rd_off);
            std::memset(beat, 0, sizeof(beat));
            std::memcpy(beat, rd_buf.data() + rd_off, n);
            put(top->dma_rd_data_i, beat, 8);
            top->dma_rd_keep_i = (uint8_t)((1u << n) - 1u);
            top->dma_rd_last_i = rd_off + n == rd_buf.size();
            top->dma_rd_err_i = rd_err;
        } else {
            top->dma_rd_last_i = 0;
            top->dma_rd_err_i = 0;
        }
        top->dma_wr_ready_i = 1;
        top->dma_wr_done_i = wr_done_next;
        top->dma_wr_err_i = wr_err_next;
        top->eth_tx_tready_i = 1;
        top->eth_rx_tvalid_i = !rx_q.empty();
        if (!rx_q.empty()) {
            const std::vector<uint8_t> &f = rx_q.front();
            uint8_t beat[8];
            size_t n = std::min<size_t>(8, f.size() - rx_off);
            std::memset(beat, 0, sizeof(beat));
            if (n) std::memcpy(beat, f.data() + rx_off, n);
            put(top->eth_rx_tdata_i, beat, 8);
            top->eth_rx_tkeep_i = (uint8_t)((1u << n) - 1u);
            top->eth_rx_tlast_i = rx_off + n == f.size();
        }
        top->pci_command_i = pci_cmd;
        top->msix_control_i = msix_ctl;
        top->eval();
    }

    void flush_write()
    {
        bool err = false;
        size_t i = 0;
        std::vector<uint8_t> run;
        while (i < wr_bytes.size()) {
            uint64_t a = wr_bytes[i].first;
            run.clear();
            while (i < wr_bytes.size() && wr_bytes[i].first == a + run.size())
                run.push_back(wr_bytes[i++].second);
            if (!env.dma_write || env.dma_write(env.arg, a, run.data(), run.size()) != 0)
                err = true;
        }
        wr_bytes.clear();
        wr_done_next = true;
        wr_err_next = err;
    }

    // What happens at the coming edge, seen before it; then the edge.
    void edge()
    {
        uint64_t t = edge_ps();
        bool done_sent = top->dma_wr_done_i;

        if (top->dma_rreq_valid_o && top->dma_rreq_ready_i) {
            uint64_t a = top->dma_rreq_addr_o;
            size_t len = top->dma_rreq_len_o;
            rd_buf.assign(len ? len : 1, 0xff);
            rd_err = !env.dma_read || env.dma_read(env.arg, a, rd_buf.data(), len) != 0;
            if (rd_err)
                std::memset(rd_buf.data(), 0xff, rd_buf.size());
            rd_off = 0;
            rd_active = true;  // beats from the next clock
        } else if (rd_active && top->dma_rd_ready_o) {
            rd_off += 8;
            if (rd_off >= rd_buf.size())
                rd_active = false;
        }
        if (top->dma_wr_valid_o && top->dma_wr_ready_i) {
            uint8_t d[8];
            uint64_t a = top->dma_wr_addr_o;
            unsigned strb = top->dma_wr_strb_o;
            get(top->dma_wr_data_o, d, 8);
            for (unsigned l = 0; l < 8; l++)
                if (strb & (1u << l))
                    wr_bytes.emplace_back(a + l, d[l]);
            if (top->dma_wr_last_o)
                flush_write();
        }
        if (done_sent)
            wr_done_next = wr_err_next = false;
        if (top->eth_rx_tvalid_i && top->eth_rx_tready_o) {
            rx_off += 8;
            if (rx_off >= rx_q.front().size()) {
                rx_q.pop_front();
                rx_off = 0;
            }
        }
        if (top->eth_tx_tvalid_o && top->eth_tx_tready_i) {
            uint8_t d[8];
            unsigned keep = top->eth_tx_tkeep_o;
            get(top->eth_tx_tdata_o, d, 8);
            for (unsigned l = 0; l < 8; l++)
                if (keep & (1u << l))
                    tx_frame.push_back(d[l]);
            if (top->eth_tx_tlast_o) {
                if (env.frame_out)
                    env.frame_out(env.arg, tx_frame.data(), tx_frame.size(), t);
                tx_frame.clear();
            }
        }
        if (top->msix_valid_o && env.msix)
            env.msix(env.arg, top->msix_vector_o, t);
        if (env.taken) {
            if (top->taken_rx_frame_o) env.taken(env.arg, TOE_DEV_IN_RX_FRAME, t);
            if (top->taken_tx_desc_o) env.taken(env.arg, TOE_DEV_IN_TX_DESC, t);
            if (top->taken_rx_cmd_o) env.taken(env.arg, TOE_DEV_IN_RX_CMD, t);
        }

        top->clk_i = 1;
        top->eval();
        // One-clock inputs end with their edge.
        top->mmio_valid_i = 0;
        top->fw_valid_i = 0;
        top->flr_i = 0;
        top->warp_i = 0;
        top->skip_i = 0;
        if (top->dma_abort_o) {
            // A reset: the device forgot what it had asked for.
            rd_active = false;
            wr_bytes.clear();
            wr_done_next = wr_err_next = false;
            tx_frame.clear();
        }
        if (now_ps < cycle() * kClk)
            now_ps = cycle() * kClk;
    }

    void step()
    {
        drive();
        edge();
    }

    bool harness_idle() const
    {
        return rx_q.empty() && !rd_active && wr_bytes.empty() && !wr_done_next;
    }

    // The first clock count at which a pending vector's MOD_NS deadline is due; UINT64_MAX
    // if none. Reads the debug port: combinational, no clock.
    uint64_t irq_deadline_cycle()
    {
        uint64_t d = UINT64_MAX;
        for (unsigned v = 0; v < MSIX_VECTORS; v++) {
            top->dbg_vec_i = v;
            top->eval();
            if (top->dbg_pending_o == 0 || top->dbg_due_o)
                continue;
            uint64_t need = ((uint64_t)top->dbg_mod_ns_o * 1000u + kClk - 1) / kClk;
            uint64_t at = top->dbg_first_o + need;
            if (at < d) d = at;
        }
        return d;
    }

    void run(uint64_t until)
    {
        if (until < now_ps)
            return;  // time does not go back
        while ((cycle() + 1) * kClk <= until) {
            drive();
            if (harness_idle() && top->settled_o) {
                uint64_t last = until / kClk;  // the last clock count we may reach
                uint64_t dl = irq_deadline_cycle();
                if (dl < last) last = dl;
                uint64_t c = cycle();
                drive();
                uint64_t room = last > c + 1 ? last - c - 1 : 0;  // clocks to jump beyond one
                if (top->warp_ok_o && room >= kTick) {
                    uint64_t n = room / kTick;
                    if (n > 0x7fffffffu) n = 0x7fffffffu;
                    top->warp_i = 1;
                    top->warp_n_i = (uint32_t)n;
                    drive();
                    edge();
                    continue;
                }
                uint64_t to_tick = top->to_tick_o;
                if (!top->in_reset_o && to_tick >= 3 && room > 0) {
                    uint64_t s = std::min<uint64_t>(room, to_tick - 2);
                    top->skip_i = 1;
                    top->skip_n_i = (uint32_t)s;
                    drive();
                    edge();
                    continue;
                }
            }
            edge();
        }
        if (now_ps < until)
            now_ps = until;
    }

    uint64_t next_activity()
    {
        drive();
        if (!harness_idle() || !top->settled_o)
            return now_ps;
        uint64_t dl = irq_deadline_cycle();
        uint64_t t = dl == UINT64_MAX ? UINT64_MAX : dl * kClk;
        drive();
        if (!top->rx_idle_o) {
            uint64_t tick = (cycle() + top->to_tick_o) * kClk;
            if (tick < t) t = tick;
        }
        return t < now_ps ? now_ps : t;
    }

    uint32_t mmio(bool write, uint32_t off, uint32_t val)
    {
        top->mmio_valid_i = 1;
        top->mmio_write_i = write;
        top->mmio_addr_i = (uint16_t)off;
        top->mmio_wdata_i = val;
        drive();
        // An offset beyond the 16-bit decode is no register: let the device count it as
        // one by sending an unaligned access in its place.
        if (off >= BAR0_SIZE) {
            top->mmio_addr_i = 1;
            drive();
        }
        uint32_t r = top->mmio_rdata_o;
        edge();
        return off >= BAR0_SIZE && (pci_cmd & 2) ? 0 : r;
    }

    uint32_t fw(bool write, uint32_t off, uint32_t val)
    {
        drive();
        while (!top->fw_ready_o) {  // the window's wait state
            edge();
            drive();
        }
        top->fw_valid_i = 1;
        top->fw_write_i = write;
        top->fw_addr_i = (uint16_t)(off >= 0x10000u ? 1u : off);
        top->fw_wdata_i = val;
        drive();
        uint32_t r = top->fw_rdata_o;
        edge();
        return r;
    }

    void init(const toe_dev_cfg *cfg)
    {
        ctx.reset(new VerilatedContext);
        top.reset(new V(ctx.get(), "toe_dev"));
        top->time_mode_i = cfg ? cfg->time_mode == TIME_MODE_VIRTUAL : 1;
        // Power-on: a falling edge on the asynchronous reset, then released.
        top->clk_i = 0;
        top->rst_ni = 1;
        top->eval();
        top->rst_ni = 0;
        top->eval();
        top->rst_ni = 1;
        top->eval();
    }
};

template <class V> RtlDev<V> *of(toe_dev *d) { return static_cast<RtlDev<V> *>(reinterpret_cast<Base *>(d)); }
template <class V> const RtlDev<V> *of(const toe_dev *d) { return static_cast<const RtlDev<V> *>(reinterpret_cast<const Base *>(d)); }
// The device's const queries still evaluate its combinational logic.
template <class V> RtlDev<V> *of_mut(const toe_dev *d) { return const_cast<RtlDev<V> *>(of<V>(d)); }

template <class V> struct Ops {
    static uint32_t mmio_read(toe_dev *d, uint32_t off) { return of<V>(d)->mmio(false, off, 0); }
    static void mmio_write(toe_dev *d, uint32_t off, uint32_t v) { of<V>(d)->mmio(true, off, v); }
    static uint32_t fw_read(toe_dev *d, uint32_t off) { return of<V>(d)->fw(false, off, 0); }
    static void fw_write(toe_dev *d, uint32_t off, uint32_t v) { of<V>(d)->fw(true, off, v); }
    static void frame_in(toe_dev *d, const uint8_t *f, size_t len)
    {
        of<V>(d)->rx_q.emplace_back(f, f + len);
    }
    static void pci_state(toe_dev *d, uint16_t cmd, uint16_t msix)
    {
        of<V>(d)->pci_cmd = cmd;
        of<V>(d)->msix_ctl = msix;
    }
    static void flr(toe_dev *d)
    {
        RtlDev<V> *r = of<V>(d);
        r->top->flr_i = 1;
        r->step();
    }
    static void run(toe_dev *d, uint64_t until) { of<V>(d)->run(until); }
    static uint64_t now(const toe_dev *d) { return of<V>(d)->now_ps; }
    static uint64_t next_activity(const toe_dev *d) { return of_mut<V>(d)->next_activity(); }
    static uint32_t fw_attention(const toe_dev *d) { return of<V>(d)->top->fw_attn_o; }
    static void counters(const toe_dev *d, uint32_t tx[TX_CNT_NUM], uint32_t rx[RX_CNT_NUM],
                         uint32_t dev[DEV_CNT_NUM])
    {
        const RtlDev<V> *r = of<V>(d);
        if (tx) get(r->top->cnt_tx_o, tx, TX_CNT_NUM * 4);
        if (rx) get(r->top->cnt_rx_o, rx, RX_CNT_NUM * 4);
        if (dev) get(r->top->cnt_dev_o, dev, DEV_CNT_NUM * 4);
    }
    static void free_dev(toe_dev *d) { delete of<V>(d); }
    static const toe_dev_ops table;
};

template <class V>
const toe_dev_ops Ops<V>::table = {
    "rtl",
    Ops<V>::mmio_read,
    Ops<V>::mmio_write,
    Ops<V>::fw_read,
    Ops<V>::fw_write,
    Ops<V>::frame_in,
    Ops<V>::pci_state,
    Ops<V>::flr,
    Ops<V>::run,
    Ops<V>::now,
    Ops<V>::next_activity,
    Ops<V>::fw_attention,
    Ops<V>::counters,
    Ops<V>::free_dev,
};

template <class V>
toe_dev *make(const toe_dev_cfg *cfg, const toe_dev_env *env, uint32_t conn_max)
{
    RtlDev<V> *r = new (std::nothrow) RtlDev<V>;
    if (!r) {
        errno = ENOMEM;
        return nullptr;
    }
    r->dev.ops = &Ops<V>::table;
    if (env) r->env = *env;
    r->conn_max = conn_max;
    r->init(cfg);
    return &r->dev;
}

}  // namespace

extern "C" toe_dev *toe_dev_rtl_new(const toe_dev_cfg *cfg, const toe_dev_env *env)
{
    uint32_t conn_max = cfg && cfg->conn_max ? cfg->conn_max : CONN_MAX_DEFAULT;
    uint32_t mode = cfg ? cfg->time_mode : (uint32_t)TIME_MODE_VIRTUAL;

    if (mode != TIME_MODE_REAL && mode != TIME_MODE_VIRTUAL) {
        errno = EINVAL;
        return nullptr;
    }
    // The table size is a parameter of the RTL: one Verilated build per size offered.
    if (conn_max == 64) return make<Vtoe_dev_c64>(cfg, env, conn_max);
    if (conn_max == 4096) return make<Vtoe_dev_c4096>(cfg, env, conn_max);
    errno = EINVAL;
    return nullptr;
}
