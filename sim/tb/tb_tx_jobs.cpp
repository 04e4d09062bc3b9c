// TX co-simulation workloads: directed cases, random jobs and the bench load.
#include "tb_tx_jobs.h"

#include <algorithm>
#include <cstring>

extern "C" {
#include "toe_csum.h"
#include "toe_pkt.h"
#include "toe_tx_model.h"
}

namespace {

// The window the workload builders assume when they predict a job's status: any
// address they mean to be outside lies below dma_lo or far above every buffer.
constexpr uint64_t kAssumedWindow = 1ull << 39;

uint64_t pick(std::mt19937_64 &rng, uint64_t lo, uint64_t hi)  // inclusive
{
    return lo + rng() % (hi - lo + 1);
}

toe_tx_ctx make_ctx(unsigned idx, uint16_t mss, uint8_t flags, std::mt19937_64 &rng)
{
    toe_tx_ctx c;
    std::memset(&c, 0, sizeof c);
    const uint8_t dst[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, (uint8_t)(idx + 1)};
    const uint8_t src[6] = {0x02, 0x0a, 0x70, 0x0e, 0x00, 0x01};
    std::memcpy(c.dst_mac, dst, 6);
    std::memcpy(c.src_mac, src, 6);
    c.vlan_tci = (uint16_t)(0x2000 | (100 + idx));  // PCP 1, VID 100+idx
    c.flags = flags;
    c.ttl = 64;
    c.src_ip = 0xC0000201;                       // 192.0.2.1 (RFC 5737 TEST-NET-1)
    c.dst_ip = 0xC6336400 | (idx + 1);           // 198.51.100.x (TEST-NET-2)
    c.src_port = (uint16_t)(40000 + idx);
    c.dst_port = 5001;
    c.rcv_nxt = (uint32_t)rng();
    c.ts_recent = (uint32_t)rng();
    c.rcv_wnd = (uint16_t)pick(rng, 1, 0xFFFF);
    c.mss = mss;
    c.ip_id = (uint16_t)rng();
    c.tos = (uint8_t)(rng() & 0xFF);
    return c;
}

unsigned new_conn(TxWorkload &w, uint16_t mss, uint8_t flags, std::mt19937_64 &rng)
{
    TxConn k;
    k.ctx = make_ctx((unsigned)w.conns.size(), mss, flags, rng);
    k.next_seq = (uint32_t)rng();
    w.conns.push_back(k);
    return (unsigned)w.conns.size() - 1;
}

toe_tx_model assumed_model(TxWorkload &w)
{
    toe_tx_model m;
    toe_tx_model_init(&m, w.dma_lo, w.dma_lo + kAssumedWindow, nullptr, nullptr);
    return m;
}

// Appends a job and moves its connection on as the hardware will report it.
void push(TxWorkload &w, unsigned conn, const toe_tx_desc &d, const std::string &what)
{
    TxConn &k = w.conns[conn];
    TxJob j;
    j.desc = d;
    j.ctx = k.ctx;
    j.what = what;
    toe_tx_model m = assumed_model(w);
    if (d.op == TX_OP_TSO && toe_tx_check(&m, &d, &k.ctx) == TX_STATUS_OK) {
        uint32_t smax = toe_tx_smax(&k.ctx);
        uint32_t n = d.len == 0 ? 1 : (d.len + smax - 1) / smax;
        k.next_seq = d.seq + d.len + ((d.tcp_flags & TCP_FLAG_SYN) ? 1 : 0) +
                     ((d.tcp_flags & TCP_FLAG_FIN) ? 1 : 0);
        k.ctx.ip_id = (uint16_t)(k.ctx.ip_id + n);
    }
    w.jobs.push_back(j);
}

toe_tx_desc tso_desc(TxWorkload &w, unsigned conn, uint32_t len, uint8_t flags,
                     std::mt19937_64 &rng)
{
    toe_tx_desc d;
    std::memset(&d, 0, sizeof d);
    d.op = TX_OP_TSO;
    d.len = len;
    d.buf_addr = len ? w.alloc(len, rng) : 0xDEAD000000000000ull;  // never read
    d.seq = w.conns[conn].next_seq;
    d.conn_id = (uint16_t)conn;
    d.tag = (uint16_t)w.jobs.size();
    d.tcp_flags = flags;
    d.urg_ptr = (flags & TCP_FLAG_URG) ? (uint16_t)pick(rng, 1, len ? len : 1) : 0;
    return d;
}

void add_tso(TxWorkload &w, unsigned conn, uint32_t len, uint8_t flags, const std::string &what,
             std::mt19937_64 &rng)
{
    push(w, conn, tso_desc(w, conn, len, flags, rng), what);
}

// ---- raw frames -------------------------------------------------------------------

struct RawSpec {
    bool vlan = false;
    unsigned ip_opt = 0;   // bytes of IPv4 options (multiple of 4)
    int proto = 17;        // 6, 17, or 0 for a non-IP frame
    unsigned payload = 0;
    uint8_t csum_flags = 0;
    // Make the L4 checksum come out as 0x0000 before the UDP rule (needs payload >= 2).
    bool force_l4_zero = false;
};

// Builds a frame; checksum fields the engine is not asked to fill are made right
// here (so the capture checks out), the others are left as garbage.
std::vector<uint8_t> build_raw(const RawSpec &s, unsigned &l3, unsigned &l4, std::mt19937_64 &rng)
{
    std::vector<uint8_t> f;
    const uint8_t macs[12] = {0x02, 0x00, 0x5e, 0x20, 0x00, 0x01, 0x02, 0x0a, 0x70, 0x0e, 0x00, 0x01};
    f.insert(f.end(), macs, macs + 12);
    if (s.vlan) {
        const uint8_t tag[4] = {0x81, 0x00, 0x00, 0x2a};
        f.insert(f.end(), tag, tag + 4);
    }
    l3 = (unsigned)f.size() + 2;
    if (s.proto == 0) {  // an ARP request: not IP at all
        const uint8_t arp[30] = {0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, 2, 0x0a, 0x70, 0x0e, 0, 1,
                                 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 198, 51, 100, 7};
        f.insert(f.end(), arp, arp + 30);
        l4 = l3;
        return f;
    }
    f.push_back(0x08);
    f.push_back(0x00);
    unsigned ihl = 20 + s.ip_opt;
    unsigned l4_hdr = s.proto == 6 ? 20 : 8;
    unsigned ip_len = ihl + l4_hdr + s.payload;
    f.resize(l3 + ip_len);
    uint8_t *ip = &f[l3];
    ip[0] = (uint8_t)(0x40 | (ihl / 4));
    ip[1] = 0x00;
    toe_put16(ip + 2, (uint16_t)ip_len);
    toe_put16(ip + 4, (uint16_t)rng());
    toe_put16(ip + 6, 0x4000);
    ip[8] = 64;
    ip[9] = (uint8_t)s.proto;
    toe_put32(ip + 12, 0xC0000201);
    toe_put32(ip + 16, 0xC6336407);
    for (unsigned i = 20; i < ihl; i += 4) {  // NOP, NOP, NOP, EOL
        ip[i] = 1; ip[i + 1] = 1; ip[i + 2] = 1; ip[i + 3] = 0;
    }
    l4 = l3 + ihl;
    uint8_t *th = &f[l4];
    toe_put16(th, 33000);
    toe_put16(th + 2, 9);  // discard (RFC 863): random payloads, no dissector claims it
    if (s.proto == 6) {
        toe_put32(th + 4, (uint32_t)rng());
        toe_put32(th + 8, (uint32_t)rng());
        th[12] = 0x50;
        th[13] = TCP_FLAG_ACK | TCP_FLAG_PSH;
        toe_put16(th + 14, 65535);
    } else {
        toe_put16(th + 4, (uint16_t)(l4_hdr + s.payload));
    }
    for (unsigned i = 0; i < s.payload; i++) th[l4_hdr + i] = (uint8_t)rng();

    unsigned csum_at = s.proto == 6 ? 16 : 6;
    uint16_t l4_len = (uint16_t)(l4_hdr + s.payload);
    if (s.force_l4_zero) {
        // A slot word w changes the folded sum S to S + w; the checksum ~fold(S + w)
        // is 0 when w = ~fold(S), i.e. w is the checksum computed with w = 0.
        th[l4_hdr] = th[l4_hdr + 1] = 0;
        th[csum_at] = th[csum_at + 1] = 0;
        uint32_t sum = toe_csum_pseudo_ipv4(0xC0000201, 0xC6336407, (uint8_t)s.proto, l4_len);
        sum = toe_csum_partial(sum, th, l4_len);
        toe_put16(th + l4_hdr, (uint16_t)~toe_csum_fold(sum));
    }
    if (s.csum_flags & (CSUM_FLAG_TCP | CSUM_FLAG_UDP)) {
        toe_put16(th + csum_at, 0xBAD1);
    } else {
        th[csum_at] = th[csum_at + 1] = 0;
        uint32_t sum = toe_csum_pseudo_ipv4(0xC0000201, 0xC6336407, (uint8_t)s.proto, l4_len);
        uint16_t c = (uint16_t)~toe_csum_fold(toe_csum_partial(sum, th, l4_len));
        if (s.proto == 17 && c == 0) c = 0xFFFF;
        toe_put16(th + csum_at, c);
    }
    if (s.csum_flags & CSUM_FLAG_IP) {
        toe_put16(ip + 10, 0xBAD2);
    } else {
        toe_put16(ip + 10, 0);
        toe_put16(ip + 10, toe_csum(ip, ihl));
    }
    return f;
}

void add_raw(TxWorkload &w, const RawSpec &s, const std::string &what, std::mt19937_64 &rng)
{
    unsigned l3 = 0, l4 = 0;
    std::vector<uint8_t> f = build_raw(s, l3, l4, rng);
    toe_tx_desc d;
    std::memset(&d, 0, sizeof d);
    d.op = TX_OP_RAW;
    d.len = (uint32_t)f.size();
    d.buf_addr = w.alloc(f.size(), rng);
    std::memcpy(&w.mem[d.buf_addr - w.dma_lo], f.data(), f.size());
    d.tag = (uint16_t)w.jobs.size();
    d.conn_id = 0xFFFF;
    d.csum_flags = s.csum_flags;
    d.l3_off = (uint8_t)l3;
    d.l4_off = (uint8_t)l4;
    TxJob j;
    j.desc = d;
    std::memset(&j.ctx, 0, sizeof j.ctx);  // raw frames read no context
    j.what = what;
    w.jobs.push_back(j);
}

// Runs the model on one job to read back what it would send.
struct Capture {
    std::vector<std::vector<uint8_t>> frames;
};

int read_mem(void *arg, uint64_t addr, void *dst, size_t len)
{
    TxWorkload *w = static_cast<TxWorkload *>(arg);
    if (addr < w->dma_lo || addr + len > w->dma_hi()) return -1;
    std::memcpy(dst, &w->mem[addr - w->dma_lo], len);
    return 0;
}

void capture(void *arg, const uint8_t *frame, size_t len)
{
    static_cast<Capture *>(arg)->frames.emplace_back(frame, frame + len);
}

std::vector<std::vector<uint8_t>> model_frames(TxWorkload &w, const toe_tx_desc &d, const toe_tx_ctx &c)
{
    toe_tx_model m;
    toe_tx_model_init(&m, w.dma_lo, w.dma_hi(), read_mem, &w);
    Capture cap;
    toe_tx_cpl cpl;
    toe_tx_model_process(&m, &d, &c, 0, capture, &cap, &cpl);
    return cap.frames;
}

}  // namespace

uint64_t TxWorkload::alloc(size_t len, std::mt19937_64 &rng)
{
    // Start buffers at any byte alignment: the engine must not care.
    size_t at = mem.size() + (size_t)(rng() % 8);
    mem.resize(at + len);
    for (size_t i = at; i < at + len; i++) mem[i] = (uint8_t)rng();
    return dma_lo + at;
}

void tx_jobs_directed(TxWorkload &w, unsigned width_bytes, std::mt19937_64 &rng)
{
    const uint8_t AP = TCP_FLAG_ACK | TCP_FLAG_PSH;
    const uint8_t variants[4] = {0, CTX_FLAG_TS, CTX_FLAG_VLAN, CTX_FLAG_TS | CTX_FLAG_VLAN};
    const char *vname[4] = {"plain", "ts", "vlan", "ts+vlan"};

    // Boundary payloads around one segment, and the largest send.
    for (unsigned v = 0; v < 4; v++) {
        unsigned c = new_conn(w, 1460, variants[v] | CTX_FLAG_DF, rng);
        uint32_t smax = toe_tx_smax(&w.conns[c].ctx);
        std::string p = std::string("boundary/") + vname[v] + "/len=";
        const uint32_t lens[] = {1, smax - 1, smax, smax + 1, 2 * smax + 3, 65535, TSO_MAX_LEN};
        for (uint32_t len : lens) add_tso(w, c, len, AP, p + std::to_string(len), rng);
        add_tso(w, c, 0, TCP_FLAG_ACK | TCP_FLAG_FIN, p + "0/FIN", rng);
    }

    // Every tkeep alignment of the payload's end, behind every header length.
    for (unsigned v = 0; v < 4; v++) {
        unsigned c = new_conn(w, 1460, variants[v], rng);
        for (uint32_t len = 1; len <= 2 * width_bytes + 2; len++)
            add_tso(w, c, len, AP, std::string("align/") + vname[v] + "/len=" + std::to_string(len), rng);
    }

    // MSS from the smallest legal value to jumbo.
    const uint16_t msses[] = {MSS_MIN, MSS_MIN + 1, 100, 536, 1000, 1448, 1460, 4000, 8960, 8999, MSS_MAX};
    for (uint16_t mss : msses) {
        for (unsigned ts = 0; ts < 2; ts++) {
            unsigned c = new_conn(w, mss, ts ? CTX_FLAG_TS : 0, rng);
            uint32_t smax = toe_tx_smax(&w.conns[c].ctx);
            add_tso(w, c, std::min<uint32_t>(3 * smax + 17, 65535), AP,
                    "mss/" + std::to_string(mss) + (ts ? "/ts" : ""), rng);
        }
    }
    {
        unsigned c = new_conn(w, MSS_MIN, CTX_FLAG_TS, rng);
        add_tso(w, c, 65535, AP, "mss/88/ts/len=65535 (863 segments)", rng);
    }

    // Sequence numbers and IP IDs wrapping.
    {
        unsigned c = new_conn(w, 1460, CTX_FLAG_TS, rng);
        w.conns[c].next_seq = 0xFFFFFFFFu - 3000;
        w.conns[c].ctx.ip_id = 0xFFFE;
        add_tso(w, c, 10000, AP, "wrap/seq+ipid", rng);
        add_tso(w, c, 5000, AP | TCP_FLAG_FIN, "wrap/after", rng);
    }

    // Flags: which segments carry what.
    {
        unsigned c = new_conn(w, 1000, 0, rng);
        add_tso(w, c, 2500, TCP_FLAG_ACK | TCP_FLAG_PSH | TCP_FLAG_FIN, "flags/psh+fin on last", rng);
        add_tso(w, c, 2500, TCP_FLAG_ACK | TCP_FLAG_CWR | TCP_FLAG_ECE, "flags/cwr first, ece all", rng);
        add_tso(w, c, 700, TCP_FLAG_ACK | TCP_FLAG_URG | TCP_FLAG_PSH, "flags/urg single", rng);
        add_tso(w, c, 0, TCP_FLAG_ACK | TCP_FLAG_RST, "flags/rst", rng);
        unsigned s = new_conn(w, 1460, CTX_FLAG_TS, rng);
        add_tso(w, s, 0, TCP_FLAG_SYN, "flags/syn without ack", rng);
        add_tso(w, s, 0, TCP_FLAG_SYN | TCP_FLAG_ACK, "flags/syn+ack", rng);
        add_tso(w, s, 100, TCP_FLAG_ACK, "flags/ack only", rng);
        add_tso(w, s, 0, TCP_FLAG_ACK | TCP_FLAG_FIN, "flags/fin", rng);
    }

    // Checksums that come out as 0x0000 (TCP) and IPv4 header checksum 0x0000.
    {
        unsigned c = new_conn(w, 1460, 0, rng);
        toe_tx_desc d = tso_desc(w, c, 600, AP, rng);
        uint8_t *pay = &w.mem[d.buf_addr - w.dma_lo];
        pay[598] = pay[599] = 0;
        std::vector<std::vector<uint8_t>> f = model_frames(w, d, w.conns[c].ctx);
        // As in build_raw: putting the checksum computed with the slot zero into the
        // slot makes the new checksum 0.
        pay[598] = f[0][14 + 20 + 16];
        pay[599] = f[0][14 + 20 + 17];
        push(w, c, d, "csum/tcp=0x0000");

        unsigned c2 = new_conn(w, 1460, 0, rng);
        w.conns[c2].ctx.ip_id = 0;
        toe_tx_desc d2 = tso_desc(w, c2, 64, AP, rng);
        f = model_frames(w, d2, w.conns[c2].ctx);
        // The IP ID is a header word of its own: the same trick on the ID.
        w.conns[c2].ctx.ip_id = toe_get16(&f[0][14 + 10]);
        push(w, c2, d2, "csum/ipv4=0x0000");
    }

    // Raw frames with and without checksum insertion.
    {
        RawSpec s;
        s.proto = 6; s.payload = 100; s.csum_flags = CSUM_FLAG_IP | CSUM_FLAG_TCP;
        add_raw(w, s, "raw/tcp ip+tcp", rng);
        s.vlan = true; s.payload = 333;
        add_raw(w, s, "raw/tcp vlan odd", rng);
        s.vlan = false; s.ip_opt = 4; s.payload = 7;
        add_raw(w, s, "raw/tcp ip options", rng);
        s = RawSpec(); s.proto = 6; s.payload = 40; s.csum_flags = CSUM_FLAG_TCP; s.force_l4_zero = true;
        add_raw(w, s, "raw/tcp csum=0x0000", rng);
        s = RawSpec(); s.proto = 17; s.payload = 31; s.csum_flags = CSUM_FLAG_IP | CSUM_FLAG_UDP;
        add_raw(w, s, "raw/udp ip+udp odd", rng);
        s.force_l4_zero = true; s.payload = 20;
        add_raw(w, s, "raw/udp computed 0 sent as 0xFFFF", rng);
        s = RawSpec(); s.proto = 17; s.payload = 0; s.csum_flags = CSUM_FLAG_UDP; s.vlan = true;
        add_raw(w, s, "raw/udp empty vlan", rng);
        s = RawSpec(); s.proto = 17; s.payload = 64; s.csum_flags = CSUM_FLAG_IP;
        add_raw(w, s, "raw/ip only", rng);
        s = RawSpec(); s.proto = 6; s.payload = 10;
        add_raw(w, s, "raw/no offload", rng);
        s = RawSpec(); s.proto = 0;
        add_raw(w, s, "raw/arp", rng);
        s = RawSpec(); s.proto = 17; s.payload = RAW_MAX_LEN - 14 - 20 - 8;
        s.csum_flags = CSUM_FLAG_IP | CSUM_FLAG_UDP;
        add_raw(w, s, "raw/udp jumbo 9216", rng);
    }

    // Every error status, each followed by a good send that must still go out.
    {
        unsigned c = new_conn(w, 1460, CTX_FLAG_TS, rng);
        auto good = [&](const std::string &after) { add_tso(w, c, 3000, AP, "after " + after, rng); };
        toe_tx_desc d;

        d = tso_desc(w, c, 100, AP, rng); d.op = 7;
        push(w, c, d, "err/op"); good("err/op");
        d = tso_desc(w, c, 0, AP, rng); d.len = TSO_MAX_LEN + 1;
        push(w, c, d, "err/len tso 65537"); good("err/len");
        {
            TxConn saved = w.conns[c];
            w.conns[c].ctx.mss = MSS_MIN - 1;
            add_tso(w, c, 100, AP, "err/mss 87", rng);
            w.conns[c].ctx.mss = MSS_MAX + 1;
            add_tso(w, c, 100, AP, "err/mss 9001", rng);
            w.conns[c].ctx.mss = 0;
            add_tso(w, c, 100, AP, "err/mss 0", rng);
            w.conns[c] = saved;
            good("err/mss");
        }
        add_tso(w, c, 0, TCP_FLAG_ACK, "err/empty pure ack", rng); good("err/empty");
        add_tso(w, c, 2000, TCP_FLAG_SYN, "err/flags syn multi", rng);
        add_tso(w, c, 2000, TCP_FLAG_ACK | TCP_FLAG_URG, "err/flags urg multi", rng);
        add_tso(w, c, 2000, TCP_FLAG_ACK | TCP_FLAG_RST, "err/flags rst multi", rng); good("err/flags");
        d = tso_desc(w, c, 100, AP, rng); d.buf_addr = w.dma_lo - 1;
        push(w, c, d, "err/addr below window");
        d = tso_desc(w, c, 100, AP, rng); d.buf_addr = w.dma_lo + kAssumedWindow;
        push(w, c, d, "err/addr above window");
        d = tso_desc(w, c, 100, AP, rng); d.buf_addr = ~0ull - 10;
        push(w, c, d, "err/addr wraps 2^64"); good("err/addr");

        RawSpec s; s.proto = 6; s.payload = 10; s.csum_flags = CSUM_FLAG_IP | CSUM_FLAG_TCP;
        const char *raw_err[] = {"err/raw len 13", "err/raw len 9217", "err/raw tcp+udp",
                                 "err/raw unknown csum bit", "err/raw odd l3", "err/raw odd l4",
                                 "err/raw l3 < 14", "err/raw l4 < l3+20", "err/raw l4 hdr past end",
                                 "err/raw addr"};
        for (unsigned e = 0; e < sizeof raw_err / sizeof raw_err[0]; e++) {
            add_raw(w, s, raw_err[e], rng);
            toe_tx_desc &r = w.jobs.back().desc;
            switch (e) {
            case 0: r.len = 13; break;
            case 1: r.len = RAW_MAX_LEN + 1; break;
            case 2: r.csum_flags = CSUM_FLAG_TCP | CSUM_FLAG_UDP; break;
            case 3: r.csum_flags |= 0x08; break;
            case 4: r.l3_off = 15; break;
            case 5: r.l4_off = 35; break;
            case 6: r.l3_off = 12; break;
            case 7: r.l4_off = (uint8_t)(r.l3_off + 18); break;
            case 8: r.l4_off = (uint8_t)(r.len - 18); break;
            case 9: r.buf_addr = 0x1000; break;
            }
            add_raw(w, s, std::string("after ") + raw_err[e], rng);
        }
    }

    // A buffer that ends exactly at the end of the window is inside it.
    {
        unsigned c = new_conn(w, 1460, 0, rng);
        add_tso(w, c, 4000, AP | TCP_FLAG_FIN, "window/ends at dma_hi", rng);
        w.mem.resize(w.jobs.back().desc.buf_addr - w.dma_lo + w.jobs.back().desc.len);
    }
}

void tx_jobs_random(TxWorkload &w, unsigned n, std::mt19937_64 &rng)
{
    const unsigned nconn = 6;
    unsigned first = (unsigned)w.conns.size();
    for (unsigned i = 0; i < nconn; i++) {
        static const uint16_t common[] = {1460, 1448, 536, 8960, 1220};
        uint16_t mss = (rng() % 2) ? common[rng() % 5] : (uint16_t)pick(rng, MSS_MIN, MSS_MAX);
        uint8_t flags = (uint8_t)((rng() % 2 ? CTX_FLAG_TS : 0) | (rng() % 3 == 0 ? CTX_FLAG_VLAN : 0) |
                                  (rng() % 4 ? CTX_FLAG_DF : 0));
        new_conn(w, mss, flags, rng);
    }
    for (unsigned i = 0; i < n; i++) {
        unsigned c = first + (unsigned)(rng() % nconn);
        unsigned r = (unsigned)(rng() % 100);
        std::string what = "random#" + std::to_string(i);
        if (r < 6) {
            RawSpec s;
            s.proto = (rng() % 3 == 0) ? 6 : 17;
            s.vlan = rng() % 2;
            s.ip_opt = 4 * (unsigned)(rng() % 3);
            s.payload = (unsigned)pick(rng, 0, rng() % 4 ? 1400 : 9000);
            s.csum_flags = (uint8_t)((rng() % 4 ? CSUM_FLAG_IP : 0) |
                                     (rng() % 4 ? (s.proto == 6 ? CSUM_FLAG_TCP : CSUM_FLAG_UDP) : 0));
            add_raw(w, s, what + " raw", rng);
            continue;
        }
        uint32_t len;
        unsigned lr = (unsigned)(rng() % 100);
        if (lr < 25) len = (uint32_t)pick(rng, 0, 100);
        else if (lr < 65) len = (uint32_t)pick(rng, 0, 3000);
        else if (lr < 90) len = (uint32_t)pick(rng, 0, 20000);
        else len = (uint32_t)pick(rng, 0, 65535);
        uint8_t flags = TCP_FLAG_ACK;
        if (rng() % 2) flags |= TCP_FLAG_PSH;
        if (rng() % 20 == 0) flags |= TCP_FLAG_FIN;
        if (rng() % 10 == 0) flags |= TCP_FLAG_CWR;
        if (rng() % 10 == 0) flags |= TCP_FLAG_ECE;
        if (rng() % 40 == 0) flags |= TCP_FLAG_URG;
        if (len == 0 && !(flags & TCP_FLAG_FIN) && rng() % 4) flags |= TCP_FLAG_FIN;
        toe_tx_desc d = tso_desc(w, c, len, flags, rng);
        if (r < 9) {  // a broken descriptor among the good ones
            switch (rng() % 4) {
            case 0: d.op = (uint8_t)pick(rng, 2, 255); break;
            case 1: d.len = (uint32_t)pick(rng, TSO_MAX_LEN + 1, 0xFFFFFFFFu); break;
            case 2: d.buf_addr = w.dma_lo - pick(rng, 1, 4096); break;
            case 3: d.tcp_flags |= TCP_FLAG_SYN; d.len = (uint32_t)pick(rng, 9001, 65535); break;
            }
            what += " broken";
        }
        push(w, c, d, what);
    }
}

void tx_jobs_bench(TxWorkload &w, unsigned n, unsigned payload, std::mt19937_64 &rng)
{
    unsigned c = new_conn(w, 1460, CTX_FLAG_DF, rng);
    for (unsigned i = 0; i < n; i++)
        add_tso(w, c, payload, TCP_FLAG_ACK | TCP_FLAG_PSH, "bench#" + std::to_string(i), rng);
}
