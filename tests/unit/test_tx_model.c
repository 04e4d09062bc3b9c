/*
 * Unit tests of the TX engine reference model (sim/model/toe_tx_model.c)
 * against docs/tx-datapath.md.
 *
 * Every emitted frame is checked twice: with the toe_pkt verifiers (which
 * have their own known-answer tests) and field by field against values the
 * tests work out from the contract.  Three frames are written out byte for
 * byte; their checksums are given as word sums beside them and were also
 * confirmed "good" by Wireshark's dissector (tshark 4.0, checksum
 * validation on).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_seed.h"
#include "toe_csum.h"
#include "toe_pkt.h"
#include "toe_tx_model.h"

/* ---- host memory and frame capture ---- */

#define MEM_BASE 0x0000123400000000ull
#define MEM_SIZE (1u << 18)
#define BUF_OFF 0x100u /* where most payloads start */
#define BUF_ADDR (MEM_BASE + BUF_OFF)

static uint8_t mem[MEM_SIZE];

struct host {
    size_t reads;
    size_t read_bytes;
};

/* Host memory as the DMA engine sees it; counts reads so tests can check
 * that failed descriptors read nothing. */
static int host_read(void *arg, uint64_t addr, void *dst, size_t len)
{
    struct host *h = arg;

    h->reads++;
    h->read_bytes += len;
    if (addr < MEM_BASE || addr - MEM_BASE > MEM_SIZE ||
        len > MEM_SIZE - (addr - MEM_BASE))
        return -1;
    memcpy(dst, mem + (addr - MEM_BASE), len);
    return 0;
}

struct capture {
    size_t n, cap;
    uint8_t **f;
    size_t *len;
};

static void capture_emit(void *arg, const uint8_t *frame, size_t len)
{
    struct capture *c = arg;

    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->f = realloc(c->f, c->cap * sizeof(*c->f));
        c->len = realloc(c->len, c->cap * sizeof(*c->len));
        assert_non_null(c->f);
        assert_non_null(c->len);
    }
    c->f[c->n] = malloc(len ? len : 1);
    assert_non_null(c->f[c->n]);
    memcpy(c->f[c->n], frame, len);
    c->len[c->n++] = len;
}

static void capture_clear(struct capture *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        free(c->f[i]);
    c->n = 0;
}

struct fx {
    struct toe_tx_model m;
    struct host h;
    struct capture cap;
    uint32_t cnt_before[TX_CNT_NUM];
};

static int fx_setup(void **state)
{
    struct fx *fx = calloc(1, sizeof(*fx));

    if (!fx)
        return -1;
    toe_tx_model_init(&fx->m, MEM_BASE, MEM_BASE + MEM_SIZE, host_read, &fx->h);
    *state = fx;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *fx = *state;

    capture_clear(&fx->cap);
    free(fx->cap.f);
    free(fx->cap.len);
    free(fx);
    return 0;
}

/* Run one descriptor with fresh capture and read counts, remembering the
 * counters from before. */
static void run(struct fx *fx, const struct toe_tx_desc *d,
                const struct toe_tx_ctx *c, uint32_t tsval, struct toe_tx_cpl *cpl)
{
    capture_clear(&fx->cap);
    fx->h.reads = fx->h.read_bytes = 0;
    memcpy(fx->cnt_before, fx->m.cnt, sizeof(fx->cnt_before));
    memset(cpl, 0xA5, sizeof(*cpl)); /* the model must write every field */
    toe_tx_model_process(&fx->m, d, c, tsval, capture_emit, &fx->cap, cpl);
}

static uint32_t cnt_delta(const struct fx *fx, int i)
{
    return fx->m.cnt[i] - fx->cnt_before[i];
}

/* ---- descriptors and contexts ---- */

#define IP_192_0_2_1 0xC0000201u
#define IP_198_51_100_2 0xC6336402u

static struct toe_tx_ctx base_ctx(void)
{
    struct toe_tx_ctx c;

    memset(&c, 0, sizeof(c));
    memcpy(c.dst_mac, ((uint8_t[]){0x02, 0, 0, 0, 0, 0x02}), 6);
    memcpy(c.src_mac, ((uint8_t[]){0x02, 0, 0, 0, 0, 0x01}), 6);
    c.flags = CTX_FLAG_DF;
    c.ttl = 64;
    c.src_ip = IP_192_0_2_1;
    c.dst_ip = IP_198_51_100_2;
    c.src_port = 49152;
    c.dst_port = 5001;
    c.rcv_nxt = 0x11223344;
    c.rcv_wnd = 501;
    c.mss = 1460;
    c.ip_id = 0x1234;
    return c;
}

static struct toe_tx_desc tso_desc(uint32_t len, uint32_t seq, uint8_t flags)
{
    struct toe_tx_desc d;

    memset(&d, 0, sizeof(d));
    d.buf_addr = BUF_ADDR;
    d.len = len;
    d.seq = seq;
    d.conn_id = 7;
    d.tag = 0xBEEF;
    d.op = TX_OP_TSO;
    d.tcp_flags = flags;
    return d;
}

static struct toe_tx_desc raw_desc(uint32_t len, uint8_t csum, uint8_t l3, uint8_t l4)
{
    struct toe_tx_desc d;

    memset(&d, 0, sizeof(d));
    d.buf_addr = BUF_ADDR;
    d.len = len;
    d.conn_id = 3;
    d.tag = 0x1234;
    d.op = TX_OP_RAW;
    d.csum_flags = csum;
    d.l3_off = l3;
    d.l4_off = l4;
    return d;
}

static void fill_mem_random(void)
{
    test_rand_fill(mem, sizeof(mem));
}

/* ---- the independent checker of a TSO send ---- */

/* Flags of segment i of n, straight from the contract's table. */
static uint8_t expect_flags(uint8_t f, uint32_t i, uint32_t n)
{
    if (i != n - 1)
        f &= (uint8_t)~(TCP_FLAG_FIN | TCP_FLAG_PSH);
    if (i != 0)
        f &= (uint8_t)~TCP_FLAG_CWR;
    return f;
}

/*
 * Check everything a successful TSO descriptor must have produced: the
 * completion, every frame field by field (with the toe_pkt verifiers too),
 * the payload slices and the counter deltas.  Returns the segment count.
 */
static uint32_t check_tso(const struct fx *fx, const struct toe_tx_desc *d,
                          const struct toe_tx_ctx *c, uint32_t tsval,
                          const struct toe_tx_cpl *cpl)
{
    int ts = (c->flags & CTX_FLAG_TS) != 0;
    int vlan = (c->flags & CTX_FLAG_VLAN) != 0;
    uint32_t smax = c->mss - (ts ? 12u : 0u);
    uint32_t n = d->len ? (d->len + smax - 1) / smax : 1;
    uint32_t ctl = !!(d->tcp_flags & TCP_FLAG_SYN) + !!(d->tcp_flags & TCP_FLAG_FIN);
    size_t l2 = vlan ? 18 : 14, thl = ts ? 32 : 20;
    uint32_t bytes = 0, i;

    assert_int_equal(cpl->status, TX_STATUS_OK);
    assert_int_equal(cpl->tag, d->tag);
    assert_int_equal(cpl->conn_id, d->conn_id);
    assert_int_equal(cpl->flags, 0);
    assert_int_equal(cpl->rsvd0, 0);
    assert_int_equal(cpl->nsegs, n);
    assert_int_equal(cpl->next_seq, (uint32_t)(d->seq + d->len + ctl));
    assert_int_equal(cpl->next_ip_id, (uint16_t)(c->ip_id + n));
    assert_int_equal(fx->cap.n, n);

    for (i = 0; i < n; i++) {
        const uint8_t *f = fx->cap.f[i];
        size_t flen = fx->cap.len[i];
        uint32_t plen = i == n - 1 ? d->len - i * smax : smax;
        const uint8_t *ip = f + l2, *tcp = f + l2 + 20;
        struct toe_eth e;
        struct toe_ipv4 ih;
        struct toe_tcp th;

        assert_int_equal(flen, l2 + 20 + thl + plen);
        bytes += (uint32_t)flen;

        assert_int_equal(toe_eth_parse(f, flen, &e), 0);
        assert_memory_equal(e.dst, c->dst_mac, 6);
        assert_memory_equal(e.src, c->src_mac, 6);
        assert_int_equal(e.vlan, vlan);
        if (vlan)
            assert_int_equal(e.tci, c->vlan_tci);
        assert_int_equal(e.type, 0x0800);
        assert_int_equal(e.hlen, l2);

        assert_int_equal(toe_ipv4_verify(ip, flen - l2), TOE_IPV4_OK);
        toe_ipv4_parse(ip, &ih);
        assert_int_equal(ip[0], 0x45);
        assert_int_equal(ih.tos, c->tos);
        assert_int_equal(ih.tot_len, flen - l2);
        assert_int_equal(ih.id, (uint16_t)(c->ip_id + i));
        assert_int_equal(ih.frag, (c->flags & CTX_FLAG_DF) ? 0x4000 : 0);
        assert_int_equal(ih.ttl, c->ttl);
        assert_int_equal(ih.proto, 6);
        assert_int_equal(ih.src, c->src_ip);
        assert_int_equal(ih.dst, c->dst_ip);

        assert_int_equal(toe_tcp_parse(tcp, flen - l2 - 20, &th), thl);
        assert_true(toe_tcp_csum_ok(c->src_ip, c->dst_ip, tcp, flen - l2 - 20));
        assert_int_equal(th.csum, toe_tcp_csum(c->src_ip, c->dst_ip, tcp, flen - l2 - 20));
        assert_int_equal(tcp[12] & 0x0F, 0); /* reserved bits */
        assert_int_equal(th.sport, c->src_port);
        assert_int_equal(th.dport, c->dst_port);
        assert_int_equal(th.seq, (uint32_t)(d->seq + i * smax));
        assert_int_equal(th.flags, expect_flags(d->tcp_flags, i, n));
        assert_int_equal(th.ack, (d->tcp_flags & TCP_FLAG_ACK) ? c->rcv_nxt : 0);
        assert_int_equal(th.win, c->rcv_wnd);
        assert_int_equal(th.urg, (d->tcp_flags & TCP_FLAG_URG) ? d->urg_ptr : 0);
        if (ts) {
            assert_memory_equal(tcp + 20, ((uint8_t[]){1, 1, 8, 10}), 4);
            assert_int_equal(toe_get32(tcp + 24), tsval);
            assert_int_equal(toe_get32(tcp + 28), c->ts_recent);
        }
        if (plen)
            assert_memory_equal(tcp + thl, mem + (d->buf_addr - MEM_BASE) + i * smax,
                                plen);
    }

    assert_int_equal(cnt_delta(fx, TX_CNT_DESC_OK), 1);
    assert_int_equal(cnt_delta(fx, TX_CNT_FRAMES), n);
    assert_int_equal(cnt_delta(fx, TX_CNT_FRAME_BYTES), bytes);
    assert_int_equal(cnt_delta(fx, TX_CNT_PAYLOAD_BYTES), d->len);
    for (i = TX_CNT_ERR_OP; i <= TX_CNT_ERR_OFFSETS; i++)
        assert_int_equal(cnt_delta(fx, (int)i), 0);
    assert_int_equal(fx->h.read_bytes, d->len);
    return n;
}

/* ---- TSO: literal frames ---- */

/*
 * One segment, no VLAN, no timestamps: context base_ctx(), seq 0x0a0b0c0d,
 * PSH|ACK, payload "hello\n".
 * IP:  4500 + 002e + 1234 + 4000 + 4006 + [0000] + c000 + 0201 + c633
 *      + 6402 = 0x2c39e -> fold 0xc3a0 -> checksum 0x3c5f
 * TCP: pseudo c000 + 0201 + c633 + 6402 + 0006 + 001a, header c000 + 1389
 *      + 0a0b + 0c0d + 1122 + 3344 + 5018 + 01f5 + [0000] + 0000, payload
 *      6865 + 6c6c + 6f0a = 0x4b045 -> fold 0xb049 -> checksum 0x4fb6
 */
static const uint8_t frame_plain[60] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x2e, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x3c, 0x5f, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33,
    0x64, 0x02, 0xc0, 0x00, 0x13, 0x89, 0x0a, 0x0b, 0x0c, 0x0d, 0x11, 0x22, 0x33, 0x44, 0x50, 0x18,
    0x01, 0xf5, 0x4f, 0xb6, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x0a,
};

static void tso_literal_plain(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(6, 0x0a0b0c0d, TCP_FLAG_PSH | TCP_FLAG_ACK);
    struct toe_tx_cpl cpl;

    memcpy(mem + BUF_OFF, "hello\n", 6);
    run(fx, &d, &c, 0x55555555, &cpl);
    assert_int_equal(fx->cap.n, 1);
    assert_int_equal(fx->cap.len[0], sizeof(frame_plain));
    assert_memory_equal(fx->cap.f[0], frame_plain, sizeof(frame_plain));
    assert_int_equal(cpl.status, TX_STATUS_OK);
    assert_int_equal(cpl.nsegs, 1);
    assert_int_equal(cpl.next_seq, 0x0a0b0c13);
    assert_int_equal(cpl.next_ip_id, 0x1235);
    assert_int_equal(cpl.tag, 0xBEEF);
    assert_int_equal(cpl.conn_id, 7);
    assert_int_equal(cpl.flags, 0);
    assert_int_equal(fx->m.cnt[TX_CNT_FRAME_BYTES], 60);
    assert_int_equal(fx->m.cnt[TX_CNT_PAYLOAD_BYTES], 6);
    check_tso(fx, &d, &c, 0x55555555, &cpl);
}

/*
 * One segment with an 802.1Q tag (TCI 0x6064: PCP 3, VID 100) and
 * timestamps: TOS 0x10, TTL 63, IP ID 0xffff, seq 0xfffffffe, PSH|ACK,
 * TSval 0x00bc614e, TSecr 0xcafef00d, payload "world" (odd length).
 * IP:  4510 + 0039 + ffff + 4000 + 3f06 + [0000] + c000 + 0201 + c633
 *      + 6402 = 0x3b084 -> fold 0xb087 -> checksum 0x4f78
 * TCP: pseudo c000 + 0201 + c633 + 6402 + 0006 + 0025, header c000 + 1389
 *      + ffff + fffe + 1122 + 3344 + 8018 + 01f5 + [0000] + 0000, option
 *      0101 + 080a + 00bc + 614e + cafe + f00d, payload 776f + 726c + 6400
 *      = 0x8fa55 -> fold 0xfa5d -> checksum 0x05a2
 */
static const uint8_t frame_vlan_ts[75] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x81, 0x00, 0x60, 0x64,
    0x08, 0x00, 0x45, 0x10, 0x00, 0x39, 0xff, 0xff, 0x40, 0x00, 0x3f, 0x06, 0x4f, 0x78, 0xc0, 0x00,
    0x02, 0x01, 0xc6, 0x33, 0x64, 0x02, 0xc0, 0x00, 0x13, 0x89, 0xff, 0xff, 0xff, 0xfe, 0x11, 0x22,
    0x33, 0x44, 0x80, 0x18, 0x01, 0xf5, 0x05, 0xa2, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x00, 0xbc,
    0x61, 0x4e, 0xca, 0xfe, 0xf0, 0x0d, 0x77, 0x6f, 0x72, 0x6c, 0x64,
};

static void tso_literal_vlan_ts(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(5, 0xfffffffe, TCP_FLAG_PSH | TCP_FLAG_ACK);
    struct toe_tx_cpl cpl;

    c.flags = CTX_FLAG_VLAN | CTX_FLAG_TS | CTX_FLAG_DF;
    c.vlan_tci = 0x6064;
    c.tos = 0x10;
    c.ttl = 63;
    c.ip_id = 0xffff;
    c.ts_recent = 0xcafef00d;
    d.buf_addr = BUF_ADDR + 1; /* an odd host address */
    memcpy(mem + BUF_OFF + 1, "world", 5);
    run(fx, &d, &c, 0x00bc614e, &cpl);
    assert_int_equal(fx->cap.n, 1);
    assert_int_equal(fx->cap.len[0], sizeof(frame_vlan_ts));
    assert_memory_equal(fx->cap.f[0], frame_vlan_ts, sizeof(frame_vlan_ts));
    assert_int_equal(cpl.next_seq, 3);     /* 0xfffffffe + 5, mod 2^32 */
    assert_int_equal(cpl.next_ip_id, 0);   /* 0xffff + 1, mod 2^16 */
    check_tso(fx, &d, &c, 0x00bc614e, &cpl);
}

/*
 * FIN with no data: the 54-byte frame of the contract (unpadded); FIN|ACK,
 * seq 0x0a0b0c13, IP ID 0x1235.  No memory is read, so the buffer address
 * does not matter (ERR_ADDR only applies with len > 0).
 * IP:  4500 + 0028 + 1235 + 4000 + 4006 + [0000] + c000 + 0201 + c633
 *      + 6402 = 0x2c399 -> fold 0xc39b -> checksum 0x3c64
 * TCP: pseudo c000 + 0201 + c633 + 6402 + 0006 + 0014, header c000 + 1389
 *      + 0a0b + 0c13 + 1122 + 3344 + 5011 + 01f5 + [0000] + 0000
 *      = 0x36c63 -> fold 0x6c66 -> checksum 0x9399
 */
static const uint8_t frame_fin[54] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x28, 0x12, 0x35, 0x40, 0x00, 0x40, 0x06, 0x3c, 0x64, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33,
    0x64, 0x02, 0xc0, 0x00, 0x13, 0x89, 0x0a, 0x0b, 0x0c, 0x13, 0x11, 0x22, 0x33, 0x44, 0x50, 0x11,
    0x01, 0xf5, 0x93, 0x99, 0x00, 0x00,
};

static void tso_literal_fin_only(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(0, 0x0a0b0c13, TCP_FLAG_FIN | TCP_FLAG_ACK);
    struct toe_tx_cpl cpl;

    c.ip_id = 0x1235;
    d.buf_addr = 0xFFFFFFFFFFFFFFFFull; /* outside the window, never read */
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(fx->cap.n, 1);
    assert_int_equal(fx->cap.len[0], 54);
    assert_memory_equal(fx->cap.f[0], frame_fin, sizeof(frame_fin));
    assert_int_equal(cpl.next_seq, 0x0a0b0c14); /* FIN takes a sequence number */
    assert_int_equal(fx->h.reads, 0);
    assert_int_equal(fx->m.cnt[TX_CNT_PAYLOAD_BYTES], 0);
    assert_int_equal(fx->m.cnt[TX_CNT_FRAME_BYTES], 54);
    check_tso(fx, &d, &c, 0, &cpl);
}

/* ---- TSO: segmentation rules ---- */

/*
 * Payload 0 (FIN only), 1, smax-1, smax, smax+1 and 65535 bytes, with and
 * without timestamps and VLAN.  MSS 1460: smax is 1460, or 1448 with
 * timestamps (RFC 6691), so 65535 bytes take 45 segments (44 * 1460 =
 * 64240, 1295 left) or 46 (45 * 1448 = 65160, 375 left).
 */
static void tso_payload_sizes(void **state)
{
    struct fx *fx = *state;
    int ts, vlan, k;

    fill_mem_random();
    for (ts = 0; ts < 2; ts++)
        for (vlan = 0; vlan < 2; vlan++) {
            uint32_t smax = ts ? 1448 : 1460;
            const uint32_t lens[6] = {0, 1, smax - 1, smax, smax + 1, 65535};
            const uint32_t nsegs[6] = {1, 1, 1, 1, 2, ts ? 46u : 45u};

            for (k = 0; k < 6; k++) {
                struct toe_tx_ctx c = base_ctx();
                struct toe_tx_desc d = tso_desc(lens[k], 1000u * (uint32_t)k,
                                                TCP_FLAG_ACK | TCP_FLAG_PSH);
                struct toe_tx_cpl cpl;

                c.flags |= (uint8_t)((ts ? CTX_FLAG_TS : 0) | (vlan ? CTX_FLAG_VLAN : 0));
                c.vlan_tci = 0xE00A;
                c.ts_recent = 0x01020304;
                if (lens[k] == 0)
                    d.tcp_flags |= TCP_FLAG_FIN;
                assert_int_equal(toe_tx_smax(&c), smax);
                run(fx, &d, &c, 0xA0B0C0D0, &cpl);
                assert_int_equal(cpl.nsegs, nsegs[k]);
                check_tso(fx, &d, &c, 0xA0B0C0D0, &cpl);
                if (lens[k] == smax + 1) /* the last segment carries one byte */
                    assert_int_equal(fx->cap.len[1], (vlan ? 18 : 14) + 20 + (ts ? 32 : 20) + 1);
                if (lens[k] == 65535)
                    assert_int_equal(fx->cap.len[nsegs[k] - 1],
                                     (vlan ? 18 : 14) + 20 + (ts ? 32 : 20) +
                                         (ts ? 375 : 1295));
            }
        }
}

/* With MSS 1460 a full segment is a 1514-byte frame with or without
 * timestamps: RFC 6691 takes the option bytes out of the payload. */
static void tso_timestamps_reduce_payload(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(3000, 5, TCP_FLAG_ACK);
    struct toe_tx_cpl cpl;
    size_t i;

    fill_mem_random();
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(cpl.nsegs, 3); /* 1460 + 1460 + 80 */
    assert_int_equal(fx->cap.len[0], 1514);
    assert_int_equal(fx->cap.len[1], 1514);
    assert_int_equal(fx->cap.len[2], 14 + 40 + 80);
    check_tso(fx, &d, &c, 0, &cpl);

    c.flags |= CTX_FLAG_TS;
    c.ts_recent = 0x87654321;
    run(fx, &d, &c, 0x12345678, &cpl);
    assert_int_equal(cpl.nsegs, 3); /* 1448 + 1448 + 104 */
    assert_int_equal(fx->cap.len[0], 1514);
    assert_int_equal(fx->cap.len[1], 1514);
    assert_int_equal(fx->cap.len[2], 14 + 52 + 104);
    for (i = 0; i < 3; i++) {
        const uint8_t *tcp = fx->cap.f[i] + 34;
        assert_int_equal(tcp[12] >> 4, 8);                  /* data offset 8 */
        assert_int_equal(toe_get32(tcp + 24), 0x12345678);  /* same TSval on all */
        assert_int_equal(toe_get32(tcp + 28), 0x87654321);
        assert_int_equal(toe_get32(tcp + 4), 5 + 1448 * i);
    }
    check_tso(fx, &d, &c, 0x12345678, &cpl);
}

/* The MSS limits: MSS_MIN with timestamps (smax 76: 65535 bytes are 863
 * segments, within nsegs' 16 bits) and MSS_MAX (8 segments of up to 9000,
 * the largest frame 18 + 20 + 20 + 9000 = 9058 bytes). */
static void tso_mss_extremes(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(65535, 0xdeadbeef, TCP_FLAG_ACK | TCP_FLAG_FIN);
    struct toe_tx_cpl cpl;

    fill_mem_random();
    c.mss = MSS_MIN;
    c.flags |= CTX_FLAG_TS | CTX_FLAG_VLAN;
    run(fx, &d, &c, 77, &cpl);
    assert_int_equal(cpl.nsegs, 863);
    check_tso(fx, &d, &c, 77, &cpl);

    c.mss = MSS_MAX;
    c.flags = CTX_FLAG_VLAN;
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(cpl.nsegs, 8);
    assert_int_equal(fx->cap.len[0], 9058);
    check_tso(fx, &d, &c, 0, &cpl);

    c.flags = CTX_FLAG_VLAN | CTX_FLAG_TS; /* 18 + 20 + 32 + 8988 */
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(fx->cap.len[0], 9058);
    check_tso(fx, &d, &c, 0, &cpl);
}

/* FIN and PSH on the last segment only, CWR on the first only, ACK and ECE
 * on all (docs/tx-datapath.md; Linux tcp_gso_segment). */
static void tso_flags_per_segment(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    uint8_t all = TCP_FLAG_FIN | TCP_FLAG_PSH | TCP_FLAG_ACK | TCP_FLAG_CWR | TCP_FLAG_ECE;
    struct toe_tx_desc d = tso_desc(3 * 1460 - 5, 100, all);
    struct toe_tx_cpl cpl;

    fill_mem_random();
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(cpl.nsegs, 3);
    assert_int_equal(fx->cap.f[0][14 + 20 + 13], 0xD0); /* CWR ECE ACK */
    assert_int_equal(fx->cap.f[1][14 + 20 + 13], 0x50); /* ECE ACK */
    assert_int_equal(fx->cap.f[2][14 + 20 + 13], 0x59); /* ECE ACK PSH FIN */
    assert_int_equal(cpl.next_seq, 100 + 3 * 1460 - 5 + 1);
    check_tso(fx, &d, &c, 0, &cpl);

    /* one segment is first and last: it keeps everything */
    d.len = 10;
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(fx->cap.f[0][14 + 20 + 13], 0xD9);
    check_tso(fx, &d, &c, 0, &cpl);

    /* two segments */
    d.len = 1461;
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(fx->cap.f[0][14 + 20 + 13], 0xD0);
    assert_int_equal(fx->cap.f[1][14 + 20 + 13], 0x59);
    check_tso(fx, &d, &c, 0, &cpl);
}

/* SYN, RST and URG on single-segment descriptors; ack and urgent pointer
 * fields follow their flags; SYN and FIN each take a sequence number. */
static void tso_single_segment_flags(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d;
    struct toe_tx_cpl cpl;

    fill_mem_random();
    d = tso_desc(0, 0x7FFFFFFF, TCP_FLAG_SYN); /* SYN, no ACK: ack field 0 */
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(cpl.next_seq, 0x80000000);
    assert_int_equal(toe_get32(fx->cap.f[0] + 34 + 8), 0);
    check_tso(fx, &d, &c, 0, &cpl);

    d = tso_desc(1460, 1, TCP_FLAG_SYN | TCP_FLAG_ACK); /* SYN with a full segment of data */
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(cpl.next_seq, 1 + 1460 + 1);
    assert_int_equal(toe_get32(fx->cap.f[0] + 34 + 8), 0x11223344);
    check_tso(fx, &d, &c, 0, &cpl);

    d = tso_desc(0, 0xFFFFFFFF, TCP_FLAG_SYN | TCP_FLAG_FIN);
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(cpl.next_seq, 1); /* + SYN + FIN, wrapped */
    check_tso(fx, &d, &c, 0, &cpl);

    d = tso_desc(1460, 9, TCP_FLAG_RST | TCP_FLAG_ACK);
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(cpl.next_seq, 9 + 1460);
    check_tso(fx, &d, &c, 0, &cpl);

    d = tso_desc(20, 9, TCP_FLAG_URG | TCP_FLAG_ACK);
    d.urg_ptr = 0x1357;
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(toe_get16(fx->cap.f[0] + 34 + 18), 0x1357);
    check_tso(fx, &d, &c, 0, &cpl);

    d.tcp_flags = TCP_FLAG_ACK; /* urg_ptr ignored without URG */
    d.len = 5000;
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(toe_get16(fx->cap.f[0] + 34 + 18), 0);
    check_tso(fx, &d, &c, 0, &cpl);
}

/* Sequence numbers wrap past 2^32 within a send and in next_seq; IP IDs
 * wrap past 2^16. */
static void tso_seq_and_id_wrap(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(4000, 0xFFFFFA00, TCP_FLAG_ACK | TCP_FLAG_FIN);
    struct toe_tx_cpl cpl;

    fill_mem_random();
    c.ip_id = 0xFFFE;
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(cpl.nsegs, 3);
    assert_int_equal(toe_get32(fx->cap.f[0] + 34 + 4), 0xFFFFFA00);
    assert_int_equal(toe_get32(fx->cap.f[1] + 34 + 4), 0xFFFFFFB4); /* + 1460 */
    assert_int_equal(toe_get32(fx->cap.f[2] + 34 + 4), 0x00000568); /* + 2920, wrapped */
    assert_int_equal(cpl.next_seq, 0x000009A1); /* + 4000 + FIN */
    assert_int_equal(toe_get16(fx->cap.f[0] + 14 + 4), 0xFFFE);
    assert_int_equal(toe_get16(fx->cap.f[1] + 14 + 4), 0xFFFF);
    assert_int_equal(toe_get16(fx->cap.f[2] + 14 + 4), 0x0000);
    assert_int_equal(cpl.next_ip_id, 0x0001);
    check_tso(fx, &d, &c, 0, &cpl);

    d.seq = 0xFFFFFFFF; /* the very first payload byte wraps */
    d.len = 1461;
    c.ip_id = 0xFFFF;
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(toe_get32(fx->cap.f[1] + 34 + 4), 1459);
    assert_int_equal(cpl.next_seq, 1461);
    assert_int_equal(cpl.next_ip_id, 1);
    check_tso(fx, &d, &c, 0, &cpl);
}

/* Header fields that come straight from the context. */
static void tso_context_fields(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(100, 0, TCP_FLAG_ACK);
    struct toe_tx_cpl cpl;

    fill_mem_random();
    c.flags = 0; /* no DF: flags/fragment 0 */
    c.tos = 0xB8;
    c.ttl = 1;
    c.rcv_wnd = 0xFFFF;
    c.src_port = 1;
    c.dst_port = 65535;
    c.vlan_tci = 0xFFFF; /* not used without CTX_FLAG_VLAN */
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(toe_get16(fx->cap.f[0] + 12), 0x0800);
    assert_int_equal(toe_get16(fx->cap.f[0] + 14 + 6), 0x0000);
    assert_int_equal(fx->cap.f[0][14 + 1], 0xB8);
    assert_int_equal(fx->cap.f[0][14 + 8], 1);
    check_tso(fx, &d, &c, 0, &cpl);
}

/* Random valid TSO sends against the checker.  The seed is printed at
 * start; TOE_SEED repeats a run. */
static void tso_random(void **state)
{
    struct fx *fx = *state;
    int iter;

    fill_mem_random();
    for (iter = 0; iter < 300; iter++) {
        struct toe_tx_ctx c = base_ctx();
        struct toe_tx_desc d;
        struct toe_tx_cpl cpl;
        uint32_t smax, len, r = test_rand_below(4);
        uint8_t flags;
        uint32_t tsval = (uint32_t)test_rand64();

        c.mss = (uint16_t)(MSS_MIN + test_rand_below(MSS_MAX - MSS_MIN + 1));
        c.flags = (uint8_t)test_rand_below(8);
        c.vlan_tci = (uint16_t)test_rand64();
        c.tos = (uint8_t)test_rand64();
        c.ttl = (uint8_t)test_rand64();
        c.src_ip = (uint32_t)test_rand64();
        c.dst_ip = (uint32_t)test_rand64();
        c.src_port = (uint16_t)test_rand64();
        c.dst_port = (uint16_t)test_rand64();
        c.rcv_nxt = (uint32_t)test_rand64();
        c.ts_recent = (uint32_t)test_rand64();
        c.rcv_wnd = (uint16_t)test_rand64();
        c.ip_id = (uint16_t)test_rand64();
        test_rand_fill(c.dst_mac, 6);
        test_rand_fill(c.src_mac, 6);
        smax = toe_tx_smax(&c);

        len = r == 0 ? test_rand_below(TSO_MAX_LEN + 1)
            : r == 1 ? test_rand_below(3 * smax + 2)
            : r == 2 ? smax * (1 + test_rand_below(5)) + test_rand_below(3) - 1
                     : TSO_MAX_LEN - test_rand_below(3);
        flags = (uint8_t)test_rand64();
        if (len > smax)
            flags &= (uint8_t)~(TCP_FLAG_SYN | TCP_FLAG_RST | TCP_FLAG_URG);
        if (len == 0)
            flags |= TCP_FLAG_FIN;
        d = tso_desc(len, (uint32_t)test_rand64(), flags);
        d.urg_ptr = (uint16_t)test_rand64();
        d.buf_addr = MEM_BASE + test_rand_below(MEM_SIZE - TSO_MAX_LEN);
        d.tag = (uint16_t)iter;

        assert_int_equal(toe_tx_check(&fx->m, &d, &c), TX_STATUS_OK);
        run(fx, &d, &c, tsval, &cpl);
        check_tso(fx, &d, &c, tsval, &cpl);
    }
}

/* ---- descriptor checks ---- */

/*
 * Run a descriptor that must fail with `status` and check everything the
 * contract says about failure: no read, no frame, nsegs 0, next_seq and
 * next_ip_id handed back for TSO and 0 otherwise, the status counter bumped
 * by one and nothing else counted.
 */
static void expect_fail(struct fx *fx, const struct toe_tx_desc *d,
                        const struct toe_tx_ctx *c, uint8_t status)
{
    struct toe_tx_cpl cpl;
    int i;

    assert_int_equal(toe_tx_check(&fx->m, d, c), status);
    run(fx, d, c, 0x99999999, &cpl);
    assert_int_equal(cpl.status, status);
    assert_int_equal(cpl.nsegs, 0);
    assert_int_equal(cpl.tag, d->tag);
    assert_int_equal(cpl.conn_id, d->conn_id);
    assert_int_equal(cpl.flags, 0);
    assert_int_equal(cpl.rsvd0, 0);
    if (d->op == TX_OP_TSO) {
        assert_int_equal(cpl.next_seq, d->seq);
        assert_int_equal(cpl.next_ip_id, c->ip_id);
    } else {
        /* raw, and also an unknown op (which is not TSO): see the note in
         * toe_tx_model_process() */
        assert_int_equal(cpl.next_seq, 0);
        assert_int_equal(cpl.next_ip_id, 0);
    }
    assert_int_equal(fx->h.reads, 0);
    assert_int_equal(fx->cap.n, 0);
    for (i = 0; i < TX_CNT_NUM; i++)
        assert_int_equal(cnt_delta(fx, i), i == status ? 1 : 0);
}

/* Run a descriptor that must pass, checking only status and counting. */
static void expect_ok(struct fx *fx, const struct toe_tx_desc *d,
                      const struct toe_tx_ctx *c)
{
    struct toe_tx_cpl cpl;

    assert_int_equal(toe_tx_check(&fx->m, d, c), TX_STATUS_OK);
    run(fx, d, c, 0, &cpl);
    assert_int_equal(cpl.status, TX_STATUS_OK);
    assert_true(cpl.nsegs >= 1);
    assert_int_equal(cnt_delta(fx, TX_CNT_DESC_OK), 1);
    assert_int_equal(cnt_delta(fx, TX_CNT_FRAMES), cpl.nsegs);
}

/*
 * The order of the checks: a TSO descriptor that fails checks 1-6 at once
 * reports ERR_OP; repairing one check at a time walks down the list.
 */
static void check_order_tso(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(TSO_MAX_LEN + 1, 0x42, TCP_FLAG_RST);

    d.op = 2;
    d.buf_addr = MEM_BASE - 1;
    c.mss = MSS_MIN - 1;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_OP);
    d.op = TX_OP_TSO;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_LEN);
    d.len = 0;        /* ACK alone: also ERR_EMPTY, but mss comes first */
    d.tcp_flags = TCP_FLAG_ACK;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_MSS);
    c.mss = 1460;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_EMPTY);
    d.tcp_flags = TCP_FLAG_RST;
    d.len = 1461;     /* RST over two segments; the address is bad too */
    expect_fail(fx, &d, &c, TX_STATUS_ERR_FLAGS);
    d.tcp_flags = TCP_FLAG_ACK;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_ADDR);
    d.buf_addr = BUF_ADDR;
    expect_ok(fx, &d, &c);
}

/* The same for raw: MSS and EMPTY do not apply (the context is not read,
 * even a nonsense one), ERR_OFFSETS comes after ERR_ADDR. */
static void check_order_raw(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c;
    struct toe_tx_desc d = raw_desc(RAW_MIN_LEN - 1, CSUM_FLAG_TCP | CSUM_FLAG_UDP, 13, 0);

    memset(&c, 0, sizeof(c)); /* mss 0 */
    d.op = 0xFF;
    d.buf_addr = MEM_BASE + MEM_SIZE;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_OP);
    d.op = TX_OP_RAW;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_LEN);
    d.len = 60;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_FLAGS);
    d.csum_flags = CSUM_FLAG_TCP;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_ADDR);
    d.buf_addr = BUF_ADDR;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_OFFSETS);
    d.l3_off = 14;
    d.l4_off = 34;
    expect_ok(fx, &d, &c);
    expect_ok(fx, &d, NULL); /* raw needs no context */
}

/* Both sides of every limit of checks 2-5. */
static void check_limits(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d;
    int ts;

    fill_mem_random();
    /* 2. ERR_LEN */
    d = tso_desc(TSO_MAX_LEN, 0, TCP_FLAG_ACK);
    expect_ok(fx, &d, &c);
    d.len = TSO_MAX_LEN + 1;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_LEN);
    d.len = 0xFFFFFFFF;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_LEN);
    d = raw_desc(RAW_MIN_LEN, 0, 0, 0);
    expect_ok(fx, &d, NULL);
    d.len = RAW_MAX_LEN;
    expect_ok(fx, &d, NULL);
    d.len = RAW_MIN_LEN - 1;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_LEN);
    d.len = RAW_MAX_LEN + 1;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_LEN);
    d.len = 0;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_LEN);

    /* 3. ERR_MSS, with and without timestamps */
    for (ts = 0; ts < 2; ts++) {
        c = base_ctx();
        c.flags |= (uint8_t)(ts ? CTX_FLAG_TS : 0);
        d = tso_desc(500, 0, TCP_FLAG_ACK);
        c.mss = MSS_MIN;
        expect_ok(fx, &d, &c);
        c.mss = MSS_MAX;
        expect_ok(fx, &d, &c);
        c.mss = MSS_MIN - 1;
        expect_fail(fx, &d, &c, TX_STATUS_ERR_MSS);
        c.mss = MSS_MAX + 1;
        expect_fail(fx, &d, &c, TX_STATUS_ERR_MSS);
        c.mss = 0;
        expect_fail(fx, &d, &c, TX_STATUS_ERR_MSS);
        c.mss = 0xFFFF;
        expect_fail(fx, &d, &c, TX_STATUS_ERR_MSS);
    }

    /* 4. ERR_EMPTY: len 0 needs SYN, FIN or RST */
    c = base_ctx();
    d = tso_desc(0, 0, 0);
    expect_fail(fx, &d, &c, TX_STATUS_ERR_EMPTY);
    d.tcp_flags = TCP_FLAG_ACK;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_EMPTY);
    d.tcp_flags = (uint8_t)~(TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST);
    expect_fail(fx, &d, &c, TX_STATUS_ERR_EMPTY);
    d.tcp_flags = TCP_FLAG_RST | TCP_FLAG_ACK;
    expect_ok(fx, &d, &c);
    d.tcp_flags = TCP_FLAG_RST;
    expect_ok(fx, &d, &c);
    d.tcp_flags = TCP_FLAG_SYN;
    expect_ok(fx, &d, &c);
    d.tcp_flags = TCP_FLAG_FIN;
    expect_ok(fx, &d, &c);
    d.tcp_flags = TCP_FLAG_SYN | TCP_FLAG_ACK;
    expect_ok(fx, &d, &c);

    /* 5. ERR_FLAGS (TSO): SYN, RST, URG need len <= smax */
    for (ts = 0; ts < 2; ts++) {
        static const uint8_t single[3] = {TCP_FLAG_SYN, TCP_FLAG_RST, TCP_FLAG_URG};
        static const uint8_t multi[5] = {TCP_FLAG_FIN, TCP_FLAG_PSH, TCP_FLAG_ACK,
                                         TCP_FLAG_ECE, TCP_FLAG_CWR};
        int k;

        c = base_ctx();
        c.flags |= (uint8_t)(ts ? CTX_FLAG_TS : 0);
        for (k = 0; k < 3; k++) {
            d = tso_desc(toe_tx_smax(&c), 0, single[k] | TCP_FLAG_ACK);
            expect_ok(fx, &d, &c);
            d.len++;
            expect_fail(fx, &d, &c, TX_STATUS_ERR_FLAGS);
            d.len = TSO_MAX_LEN;
            expect_fail(fx, &d, &c, TX_STATUS_ERR_FLAGS);
        }
        for (k = 0; k < 5; k++) {
            d = tso_desc(TSO_MAX_LEN, 0, multi[k]);
            expect_ok(fx, &d, &c);
        }
    }
    /* with timestamps smax is mss - 12: 1449 bytes is two segments */
    c = base_ctx();
    c.flags |= CTX_FLAG_TS;
    d = tso_desc(1449, 0, TCP_FLAG_SYN);
    expect_fail(fx, &d, &c, TX_STATUS_ERR_FLAGS);

    /* 5. ERR_FLAGS (raw): unknown checksum bits, or TCP and UDP together */
    d = raw_desc(60, 0x08, 14, 34);
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_FLAGS);
    d.csum_flags = 0x80 | CSUM_FLAG_IP;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_FLAGS);
    d.csum_flags = CSUM_FLAG_TCP | CSUM_FLAG_UDP;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_FLAGS);
    d.csum_flags = CSUM_FLAG_IP | CSUM_FLAG_TCP | CSUM_FLAG_UDP;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_FLAGS);
    d.csum_flags = CSUM_FLAG_IP | CSUM_FLAG_UDP;
    expect_ok(fx, &d, NULL);
    d.csum_flags = CSUM_FLAG_IP | CSUM_FLAG_TCP;
    expect_ok(fx, &d, NULL);
    /* tcp_flags mean nothing to raw, csum_flags nothing to TSO */
    d.tcp_flags = TCP_FLAG_SYN | TCP_FLAG_RST | TCP_FLAG_URG;
    expect_ok(fx, &d, NULL);
    c = base_ctx();
    d = tso_desc(100, 0, TCP_FLAG_ACK);
    d.csum_flags = 0xFF;
    expect_ok(fx, &d, &c);
}

/* 6. ERR_ADDR: the whole range inside [dma_lo, dma_hi), with no overflow. */
static void check_addr(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d = tso_desc(1000, 0, TCP_FLAG_ACK);
    struct toe_tx_model w;

    fill_mem_random();
    d.buf_addr = MEM_BASE;
    expect_ok(fx, &d, &c);
    d.buf_addr = MEM_BASE + MEM_SIZE - 1000; /* ends exactly at dma_hi */
    expect_ok(fx, &d, &c);
    d.buf_addr = MEM_BASE + MEM_SIZE - 999;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_ADDR);
    d.buf_addr = MEM_BASE - 1;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_ADDR);
    d.buf_addr = MEM_BASE + MEM_SIZE;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_ADDR);
    d.buf_addr = 0;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_ADDR);
    d.buf_addr = 0xFFFFFFFFFFFFFFFFull;
    expect_fail(fx, &d, &c, TX_STATUS_ERR_ADDR);

    d = raw_desc(RAW_MAX_LEN, 0, 0, 0);
    d.buf_addr = MEM_BASE + MEM_SIZE - RAW_MAX_LEN;
    expect_ok(fx, &d, NULL);
    d.buf_addr++;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_ADDR);

    /* len 0 reads nothing, so the address is not checked */
    d = tso_desc(0, 0, TCP_FLAG_FIN);
    d.buf_addr = 0xFFFFFFFFFFFFFFFFull;
    expect_ok(fx, &d, &c);

    /* A window up to the top of the address space (checked without side
     * effects, the test's host memory is not there).  A range that wraps
     * past 2^64 ends "below" dma_hi if the sum is formed naively. */
    toe_tx_model_init(&w, 0x1000, 0xFFFFFFFFFFFFFFFFull, host_read, NULL);
    d = tso_desc(0x20, 0, TCP_FLAG_ACK);
    d.buf_addr = 0xFFFFFFFFFFFFFFF0ull; /* + 0x20 wraps to 0x10 */
    assert_int_equal(toe_tx_check(&w, &d, &c), TX_STATUS_ERR_ADDR);
    d.buf_addr = 0xFFFFFFFFFFFFFFDFull; /* ends exactly at dma_hi */
    assert_int_equal(toe_tx_check(&w, &d, &c), TX_STATUS_OK);
    d.buf_addr = 0xFFFFFFFFFFFFFFE0ull; /* one past */
    assert_int_equal(toe_tx_check(&w, &d, &c), TX_STATUS_ERR_ADDR);
    d = raw_desc(RAW_MAX_LEN, 0, 0, 0);
    d.buf_addr = 0xFFFFFFFFFFFFF000ull; /* 4096 bytes left, 9216 asked */
    assert_int_equal(toe_tx_check(&w, &d, NULL), TX_STATUS_ERR_ADDR);
    d.buf_addr = 0x0FFF;
    assert_int_equal(toe_tx_check(&w, &d, NULL), TX_STATUS_ERR_ADDR);

    /* an empty window rejects every read, but not a FIN without data */
    toe_tx_model_init(&w, MEM_BASE, MEM_BASE, host_read, NULL);
    d = tso_desc(1, 0, TCP_FLAG_ACK);
    d.buf_addr = MEM_BASE;
    assert_int_equal(toe_tx_check(&w, &d, &c), TX_STATUS_ERR_ADDR);
    d.len = 0;
    d.tcp_flags = TCP_FLAG_FIN;
    assert_int_equal(toe_tx_check(&w, &d, &c), TX_STATUS_OK);
    toe_tx_model_init(&w, MEM_BASE + 10, MEM_BASE, host_read, NULL); /* lo > hi */
    d = tso_desc(1, 0, TCP_FLAG_ACK);
    d.buf_addr = MEM_BASE + 5;
    assert_int_equal(toe_tx_check(&w, &d, &c), TX_STATUS_ERR_ADDR);
}

/* 7. ERR_OFFSETS, only with checksum bits. */
static void check_offsets(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_desc d;

    fill_mem_random();
    /* IP alone: l4 may equal len */
    d = raw_desc(34, CSUM_FLAG_IP, 14, 34);
    expect_ok(fx, &d, NULL);
    d.l4_off = 36; /* past len */
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS);
    d = raw_desc(100, CSUM_FLAG_IP, 15, 35);
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS); /* l3 odd */
    d.l3_off = 14;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS); /* l4 odd */
    d.l4_off = 34;
    expect_ok(fx, &d, NULL);
    d.l3_off = 12;
    d.l4_off = 32;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS); /* l3 < 14 */
    d.l3_off = 14;
    d.l4_off = 32;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS); /* l4 < l3 + 20 */
    d.l3_off = 240; /* l3 + 20 = 260: an 8-bit sum would wrap to 4 */
    d.l4_off = 4;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS);
    d.l4_off = 254;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS);
    d = raw_desc(300, CSUM_FLAG_IP, 234, 254); /* the largest offsets */
    expect_ok(fx, &d, NULL);

    /* TCP: 20 header bytes must fit */
    d = raw_desc(54, CSUM_FLAG_TCP, 14, 34);
    expect_ok(fx, &d, NULL);
    d.len = 53;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS);
    d.csum_flags = CSUM_FLAG_TCP | CSUM_FLAG_IP;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS);
    /* UDP: 8 header bytes must fit */
    d = raw_desc(42, CSUM_FLAG_UDP, 14, 34);
    expect_ok(fx, &d, NULL);
    d.len = 41;
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS);
    d = raw_desc(RAW_MAX_LEN, CSUM_FLAG_UDP, 254, 255); /* odd l4 */
    expect_fail(fx, &d, NULL, TX_STATUS_ERR_OFFSETS);

    /* without checksum bits the offsets are not looked at */
    d = raw_desc(20, 0, 1, 3);
    expect_ok(fx, &d, NULL);
}

/* ---- counters ---- */

static void counters_accumulate_and_wrap(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_ctx c = base_ctx();
    struct toe_tx_desc d;
    struct toe_tx_cpl cpl;

    fill_mem_random();
    d = tso_desc(2000, 0, TCP_FLAG_ACK); /* 1514 + 14 + 40 + 540 */
    run(fx, &d, &c, 0, &cpl);
    d = raw_desc(77, 0, 0, 0);
    run(fx, &d, NULL, 0, &cpl);
    d = tso_desc(0, 0, 0); /* ERR_EMPTY */
    run(fx, &d, &c, 0, &cpl);
    d = tso_desc(0, 0, TCP_FLAG_FIN);
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(fx->m.cnt[TX_CNT_DESC_OK], 3);
    assert_int_equal(fx->m.cnt[TX_CNT_ERR_EMPTY], 1);
    assert_int_equal(fx->m.cnt[TX_CNT_FRAMES], 4);
    assert_int_equal(fx->m.cnt[TX_CNT_FRAME_BYTES], 1514 + 594 + 77 + 54);
    assert_int_equal(fx->m.cnt[TX_CNT_PAYLOAD_BYTES], 2000); /* TSO payload only */

    /* 32-bit counters wrap */
    fx->m.cnt[TX_CNT_FRAME_BYTES] = 0xFFFFFFF0;
    fx->m.cnt[TX_CNT_DESC_OK] = 0xFFFFFFFF;
    fx->m.cnt[TX_CNT_ERR_OP] = 0xFFFFFFFF;
    d = tso_desc(0, 0, TCP_FLAG_FIN);
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(fx->m.cnt[TX_CNT_FRAME_BYTES], 54 - 0x10);
    assert_int_equal(fx->m.cnt[TX_CNT_DESC_OK], 0);
    d.op = 9;
    run(fx, &d, &c, 0, &cpl);
    assert_int_equal(fx->m.cnt[TX_CNT_ERR_OP], 0);

    toe_tx_model_init(&fx->m, MEM_BASE, MEM_BASE + MEM_SIZE, host_read, &fx->h);
    for (int i = 0; i < TX_CNT_NUM; i++)
        assert_int_equal(fx->m.cnt[i], 0);
}

/* ---- raw frames ---- */

/*
 * Frames for the raw checksum tests, Ethernet + IPv4 (192.0.2.1 ->
 * 198.51.100.7, DF, TTL 64, ID 0) + L4, with garbage in the checksum
 * fields.  The L4 parts are the known answers of test_pkt.c, whose
 * checksums are worked out there:
 *   TCP "hi!"            0xeda4   (IP total length 43: IP checksum 0x4e91)
 *   UDP "abcd"           0x39b5   (IP total length 32: 0x4e91)
 *   UDP "ze" 84 16       computes 0x0000, sent as 0xffff
 *   TCP "zz" fc 92       0x0000, sent as is (IP total length 44: 0x4e90)
 * IP: 4500 + 002b + 0000 + 4000 + 4006 + [0000] + c000 + 0201 + c633 + 6407
 *     = 0x2b16c -> fold 0xb16e -> 0x4e91; UDP: 0020 + 4011 gives the same
 *     sum as 002b + 4006; total length 44 adds one: 0x4e90.
 */
static const uint8_t l4_tcp_hi[23] = {
    0xc0, 0x00, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d,
    0x50, 0x18, 0x72, 0x10, 0xde, 0xad, 0x00, 0x00, 0x68, 0x69, 0x21,
};
static const uint8_t l4_udp_abcd[12] = {0x14, 0xe9, 0x00, 0x35, 0x00, 0x0c,
                                        0xde, 0xad, 0x61, 0x62, 0x63, 0x64};
static const uint8_t l4_udp_zero[12] = {0x14, 0xe9, 0x00, 0x35, 0x00, 0x0c,
                                        0xde, 0xad, 0x7a, 0x65, 0x84, 0x16};
static const uint8_t l4_tcp_zero[24] = {
    0xc0, 0x00, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d,
    0x50, 0x18, 0x72, 0x10, 0xde, 0xad, 0x00, 0x00, 0x7a, 0x7a, 0xfc, 0x92,
};

/* Put Ethernet (l2 bytes, tagged if 18) + IPv4 + l4 into host memory at
 * BUF_OFF; the IP checksum field holds 0xbeef.  Returns the frame length. */
static size_t put_raw_frame(size_t l2, uint8_t proto, const uint8_t *l4, size_t l4len)
{
    uint8_t *f = mem + BUF_OFF;
    static const uint8_t ip[20] = {0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40,
                                   0x00, 0x40, 0x00, 0xbe, 0xef, 0xc0, 0x00,
                                   0x02, 0x01, 0xc6, 0x33, 0x64, 0x07};

    memset(f, 0x11, l2);
    if (l2 == 18)
        toe_put16(f + 12, 0x8100);
    toe_put16(f + l2 - 2, 0x0800);
    memcpy(f + l2, ip, 20);
    toe_put16(f + l2 + 2, (uint16_t)(20 + l4len));
    f[l2 + 9] = proto;
    memcpy(f + l2 + 20, l4, l4len);
    return l2 + 20 + l4len;
}

/* Send the raw frame at BUF_OFF and check that exactly the bytes at
 * field offsets fa and fb (if nonzero) changed, to va and vb. */
static void raw_expect(struct fx *fx, const struct toe_tx_desc *d, size_t fa,
                       uint16_t va, size_t fb, uint16_t vb)
{
    uint8_t want[RAW_MAX_LEN];
    struct toe_tx_cpl cpl;

    memcpy(want, mem + BUF_OFF, d->len);
    if (fa)
        toe_put16(want + fa, va);
    if (fb)
        toe_put16(want + fb, vb);
    run(fx, d, NULL, 0, &cpl);
    assert_int_equal(cpl.status, TX_STATUS_OK);
    assert_int_equal(cpl.nsegs, 1);
    assert_int_equal(cpl.next_seq, 0);
    assert_int_equal(cpl.next_ip_id, 0);
    assert_int_equal(cpl.tag, d->tag);
    assert_int_equal(cpl.conn_id, d->conn_id);
    assert_int_equal(cpl.flags, 0);
    assert_int_equal(fx->cap.n, 1);
    assert_int_equal(fx->cap.len[0], d->len);
    assert_memory_equal(fx->cap.f[0], want, d->len);
    assert_int_equal(cnt_delta(fx, TX_CNT_DESC_OK), 1);
    assert_int_equal(cnt_delta(fx, TX_CNT_FRAMES), 1);
    assert_int_equal(cnt_delta(fx, TX_CNT_FRAME_BYTES), d->len);
    assert_int_equal(cnt_delta(fx, TX_CNT_PAYLOAD_BYTES), 0);
}

static void raw_passthrough(void **state)
{
    struct fx *fx = *state;
    struct toe_tx_desc d = raw_desc(101, 0, 0, 0);

    fill_mem_random();
    d.seq = 0x12345678; /* ignored by raw */
    raw_expect(fx, &d, 0, 0, 0, 0);
    assert_int_equal(fx->h.read_bytes, 101);
}

static void raw_ip_tcp_known(void **state)
{
    struct fx *fx = *state;
    size_t l2;

    for (l2 = 14; l2 <= 18; l2 += 4) {
        size_t len = put_raw_frame(l2, 6, l4_tcp_hi, sizeof(l4_tcp_hi));
        struct toe_tx_desc d = raw_desc((uint32_t)len, CSUM_FLAG_IP | CSUM_FLAG_TCP,
                                        (uint8_t)l2, (uint8_t)(l2 + 20));
        const uint8_t *f;

        raw_expect(fx, &d, l2 + 10, 0x4e91, l2 + 20 + 16, 0xeda4);
        f = fx->cap.f[0];
        assert_int_equal(toe_ipv4_verify(f + l2, len - l2), TOE_IPV4_OK);
        assert_true(toe_tcp_csum_ok(0xC0000201, 0xC6336407, f + l2 + 20, len - l2 - 20));
    }
}

static void raw_udp_known(void **state)
{
    struct fx *fx = *state;
    size_t len = put_raw_frame(14, 17, l4_udp_abcd, sizeof(l4_udp_abcd));
    struct toe_tx_desc d = raw_desc((uint32_t)len, CSUM_FLAG_IP | CSUM_FLAG_UDP, 14, 34);

    raw_expect(fx, &d, 24, 0x4e91, 34 + 6, 0x39b5);
    assert_true(toe_udp_csum_ok(0xC0000201, 0xC6336407, fx->cap.f[0] + 34, 12));
}

/* RFC 768: a UDP checksum that computes to 0 is sent as 0xFFFF. */
static void raw_udp_zero_sent_as_ffff(void **state)
{
    struct fx *fx = *state;
    size_t len = put_raw_frame(14, 17, l4_udp_zero, sizeof(l4_udp_zero));
    struct toe_tx_desc d = raw_desc((uint32_t)len, CSUM_FLAG_UDP, 14, 34);

    /* UDP alone: the IP checksum field keeps its 0xbeef */
    raw_expect(fx, &d, 34 + 6, 0xFFFF, 0, 0);
    assert_int_equal(toe_get16(fx->cap.f[0] + 24), 0xbeef);
    assert_true(toe_udp_csum_ok(0xC0000201, 0xC6336407, fx->cap.f[0] + 34, 12));
}

/* TCP has no "no checksum" value: 0x0000 is sent as computed. */
static void raw_tcp_zero_checksum(void **state)
{
    struct fx *fx = *state;
    size_t len = put_raw_frame(14, 6, l4_tcp_zero, sizeof(l4_tcp_zero));
    struct toe_tx_desc d = raw_desc((uint32_t)len, CSUM_FLAG_IP | CSUM_FLAG_TCP, 14, 34);

    raw_expect(fx, &d, 24, 0x4e90, 34 + 16, 0x0000);
    assert_true(toe_tcp_csum_ok(0xC0000201, 0xC6336407, fx->cap.f[0] + 34, 24));
}

static void raw_ip_only_and_tcp_only(void **state)
{
    struct fx *fx = *state;
    size_t len = put_raw_frame(14, 6, l4_tcp_hi, sizeof(l4_tcp_hi));
    struct toe_tx_desc d = raw_desc((uint32_t)len, CSUM_FLAG_IP, 14, 34);

    raw_expect(fx, &d, 24, 0x4e91, 0, 0); /* L4 field keeps 0xdead */
    d.csum_flags = CSUM_FLAG_TCP;
    raw_expect(fx, &d, 34 + 16, 0xeda4, 0, 0); /* IP field keeps 0xbeef */
}

/* The IP checksum covers [l3_off, l4_off): a header with 4 option bytes. */
static void raw_ip_options(void **state)
{
    struct fx *fx = *state;
    uint8_t *f = mem + BUF_OFF;
    struct toe_tx_desc d;
    size_t len;

    put_raw_frame(14, 6, l4_tcp_hi, sizeof(l4_tcp_hi));
    /* move the TCP part up by 4 and insert a NOP NOP NOP EOL option */
    memmove(f + 38, f + 34, sizeof(l4_tcp_hi));
    memcpy(f + 34, ((uint8_t[]){1, 1, 1, 0}), 4);
    f[14] = 0x46;
    len = 14 + 24 + sizeof(l4_tcp_hi);
    toe_put16(f + 16, (uint16_t)(len - 14));
    d = raw_desc((uint32_t)len, CSUM_FLAG_IP | CSUM_FLAG_TCP, 14, 38);
    {
        uint8_t hdr[24];
        uint16_t ipc;

        memcpy(hdr, f + 14, 24);
        toe_put16(hdr + 10, 0);
        ipc = toe_csum(hdr, 24);
        /* the TCP sum does not depend on where the header sits */
        raw_expect(fx, &d, 24, ipc, 38 + 16, 0xeda4);
    }
    assert_int_equal(toe_ipv4_verify(fx->cap.f[0] + 14, len - 14), TOE_IPV4_OK);
}

/* The L4 length comes from len, not from the IP header: bytes after the
 * IP datagram are summed as L4 data (the contract forbids padding). */
static void raw_l4_length_from_len(void **state)
{
    struct fx *fx = *state;
    uint8_t seg[27];
    size_t len = put_raw_frame(14, 6, l4_tcp_hi, sizeof(l4_tcp_hi));
    struct toe_tx_desc d;

    memcpy(mem + BUF_OFF + len, "\x01\x02\x03\x04", 4); /* IP still says 43 */
    len += 4;
    memcpy(seg, mem + BUF_OFF + 34, 27);
    d = raw_desc((uint32_t)len, CSUM_FLAG_TCP, 14, 34);
    raw_expect(fx, &d, 34 + 16, toe_tcp_csum(0xC0000201, 0xC6336407, seg, 27), 0, 0);
}

/* Random raw frames with random offsets and checksum requests, against the
 * toe_pkt functions; largest and odd lengths included. */
static void raw_random(void **state)
{
    struct fx *fx = *state;
    int iter;

    for (iter = 0; iter < 400; iter++) {
        uint32_t l3 = 14 + 2 * test_rand_below(60);
        uint32_t l4 = l3 + 20 + 2 * test_rand_below(21);
        uint8_t csum = (uint8_t)(1 + test_rand_below(7));
        uint32_t l4hdr, len;
        uint8_t want[RAW_MAX_LEN];
        uint8_t *f = mem + BUF_OFF;
        struct toe_tx_desc d;
        size_t fa = 0, fb = 0;
        uint16_t va = 0, vb = 0;

        if ((csum & CSUM_FLAG_TCP) && (csum & CSUM_FLAG_UDP))
            csum &= (uint8_t)~CSUM_FLAG_UDP;
        if (l4 > 255)
            l4 = 254;
        l4hdr = (csum & CSUM_FLAG_TCP) ? 20 : (csum & CSUM_FLAG_UDP) ? 8 : 0;
        len = l4 + l4hdr + (iter % 10 == 0 ? RAW_MAX_LEN - l4 - l4hdr
                                           : test_rand_below(1600));
        test_rand_fill(f, len);
        memcpy(want, f, len);
        if (csum & CSUM_FLAG_IP) {
            toe_put16(want + l3 + 10, 0);
            va = toe_csum(want + l3, l4 - l3);
            fa = l3 + 10;
        }
        if (csum & CSUM_FLAG_TCP) {
            fb = l4 + 16;
            vb = toe_tcp_csum(toe_get32(f + l3 + 12), toe_get32(f + l3 + 16),
                              f + l4, len - l4);
        } else if (csum & CSUM_FLAG_UDP) {
            fb = l4 + 6;
            vb = toe_udp_csum(toe_get32(f + l3 + 12), toe_get32(f + l3 + 16),
                              f + l4, len - l4);
        }
        d = raw_desc(len, csum, (uint8_t)l3, (uint8_t)l4);
        d.tag = (uint16_t)iter;
        raw_expect(fx, &d, fa, va, fb, vb);
        if (csum & CSUM_FLAG_TCP)
            assert_true(toe_tcp_csum_ok(toe_get32(f + l3 + 12), toe_get32(f + l3 + 16),
                                        fx->cap.f[0] + l4, len - l4));
        if (csum & CSUM_FLAG_UDP)
            assert_true(toe_udp_csum_ok(toe_get32(f + l3 + 12), toe_get32(f + l3 + 16),
                                        fx->cap.f[0] + l4, len - l4));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(tso_literal_plain, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_literal_vlan_ts, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_literal_fin_only, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_payload_sizes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_timestamps_reduce_payload, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_mss_extremes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_flags_per_segment, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_single_segment_flags, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_seq_and_id_wrap, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_context_fields, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tso_random, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(check_order_tso, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(check_order_raw, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(check_limits, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(check_addr, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(check_offsets, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(counters_accumulate_and_wrap, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_passthrough, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_ip_tcp_known, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_udp_known, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_udp_zero_sent_as_ffff, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_tcp_zero_checksum, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_ip_only_and_tcp_only, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_ip_options, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_l4_length_from_len, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(raw_random, fx_setup, fx_teardown),
    };

    test_seed_init("test_tx_model");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
