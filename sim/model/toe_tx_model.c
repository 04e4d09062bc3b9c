/*
 * TX engine reference model: descriptor checks, TSO segmentation, raw frames
 * with checksum insertion, completions and counters, as docs/tx-datapath.md
 * states them.  Contracts are in toe_tx_model.h.
 *
 * Call order inside toe_tx_model_process(): toe_tx_check() -> tso_send() or
 * raw_send() (each frame: build -> emit -> count_frame()) -> completion.
 */
#include "toe_tx_model.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_csum.h"
#include "toe_pkt.h"

/* The counter of a completion is indexed by its status. */
_Static_assert((int)TX_CNT_DESC_OK == (int)TX_STATUS_OK &&
                   (int)TX_CNT_ERR_OP == (int)TX_STATUS_ERR_OP &&
                   (int)TX_CNT_ERR_OFFSETS == (int)TX_STATUS_ERR_OFFSETS,
               "TX_CNT status counters are indexed by TX_STATUS");

_Static_assert(TS_OPT_LEN == TOE_TCP_TSOPT_LEN, "one timestamp option block");
#define TSO_HDR_MAX (TOE_ETH_HLEN + TOE_VLAN_HLEN + TOE_IPV4_HLEN + TOE_TCP_HLEN + TS_OPT_LEN)
_Static_assert(TSO_HDR_MAX + MSS_MAX <= TOE_TX_FRAME_MAX, "TSO frame fits the buffer");

#define CSUM_FLAGS_KNOWN (CSUM_FLAG_IP | CSUM_FLAG_TCP | CSUM_FLAG_UDP)

void toe_tx_model_init(struct toe_tx_model *m, uint64_t dma_lo,
                       uint64_t dma_hi, toe_dma_read_fn rd, void *rd_arg)
{
    memset(m, 0, sizeof(*m));
    m->dma_lo = dma_lo;
    m->dma_hi = dma_hi;
    m->dma_read = rd;
    m->dma_arg = rd_arg;
}

uint32_t toe_tx_smax(const struct toe_tx_ctx *c)
{
    return (uint32_t)c->mss - ((c->flags & CTX_FLAG_TS) ? TS_OPT_LEN : 0);
}

/*
 * Nonzero if [addr, addr + len) lies inside [lo, hi).  Written so that no
 * sum is formed: a range that would wrap past 2^64 cannot satisfy
 * len <= hi - addr with addr <= hi.
 */
static int in_window(uint64_t lo, uint64_t hi, uint64_t addr, uint64_t len)
{
    return addr >= lo && addr <= hi && len <= hi - addr;
}

uint8_t toe_tx_check(const struct toe_tx_model *m, const struct toe_tx_desc *d,
                     const struct toe_tx_ctx *c)
{
    int tso = d->op == TX_OP_TSO;

    /* 1. ERR_OP */
    if (d->op != TX_OP_TSO && d->op != TX_OP_RAW)
        return TX_STATUS_ERR_OP;

    /* 2. ERR_LEN */
    if (tso ? d->len > TSO_MAX_LEN
            : (d->len < RAW_MIN_LEN || d->len > RAW_MAX_LEN))
        return TX_STATUS_ERR_LEN;

    if (tso) {
        assert(c != NULL);
        /* 3. ERR_MSS: MSS_MIN is Linux's TCP_MIN_MSS. */
        if (c->mss < MSS_MIN || c->mss > MSS_MAX)
            return TX_STATUS_ERR_MSS;
        /* 4. ERR_EMPTY: pure ACKs come from the hardware ACK path; a
         * reset normally has no data (RFC 9293 section 3.10.7.1). */
        if (d->len == 0 &&
            !(d->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST)))
            return TX_STATUS_ERR_EMPTY;
        /* 5. ERR_FLAGS: SYN, RST and URG are never replicated over
         * segments, so they need a single-segment send. */
        if ((d->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_RST | TCP_FLAG_URG)) &&
            d->len > toe_tx_smax(c))
            return TX_STATUS_ERR_FLAGS;
    } else {
        /* 5. ERR_FLAGS (raw) */
        if ((d->csum_flags & ~CSUM_FLAGS_KNOWN) ||
            ((d->csum_flags & CSUM_FLAG_TCP) && (d->csum_flags & CSUM_FLAG_UDP)))
            return TX_STATUS_ERR_FLAGS;
    }

    /* 6. ERR_ADDR */
    if (d->len > 0 && !in_window(m->dma_lo, m->dma_hi, d->buf_addr, d->len))
        return TX_STATUS_ERR_ADDR;

    /* 7. ERR_OFFSETS (raw with any checksum bit) */
    if (!tso && d->csum_flags) {
        uint32_t l3 = d->l3_off, l4 = d->l4_off;
        uint32_t l4_hdr = (d->csum_flags & CSUM_FLAG_TCP)   ? TOE_TCP_HLEN
                          : (d->csum_flags & CSUM_FLAG_UDP) ? TOE_UDP_HLEN
                                                            : 0;

        if ((l3 & 1) || (l4 & 1) || l3 < TOE_ETH_HLEN ||
            l4 < l3 + TOE_IPV4_HLEN || l4 + l4_hdr > d->len)
            return TX_STATUS_ERR_OFFSETS;
    }
    return TX_STATUS_OK;
}

/* Read from the host or give up: see toe_tx_model.h on read errors. */
static void dma_read_or_die(struct toe_tx_model *m, uint64_t addr, void *dst,
                            size_t len)
{
    if (m->dma_read(m->dma_arg, addr, dst, len) != 0) {
        fprintf(stderr,
                "toe_tx_model: DMA read of %zu bytes at 0x%llx failed inside "
                "the window; the contract has no status for this\n",
                len, (unsigned long long)addr);
        abort();
    }
}

/* Emit one frame and count it as the hardware does on its last beat. */
static void send_frame(struct toe_tx_model *m, toe_tx_emit_fn emit,
                       void *emit_arg, const uint8_t *frame, size_t len,
                       uint32_t payload)
{
    emit(emit_arg, frame, len);
    m->cnt[TX_CNT_FRAMES]++;
    m->cnt[TX_CNT_FRAME_BYTES] += (uint32_t)len;
    m->cnt[TX_CNT_PAYLOAD_BYTES] += payload;
}

/*
 * Segment flags per docs/tx-datapath.md, as Linux tcp_gso_segment(): FIN
 * and PSH only on the last segment, CWR only on the first (RFC 3168 section
 * 6.1.2: CWR marks the first new data after a window reduction).
 */
static uint8_t seg_flags(uint8_t flags, uint32_t i, uint32_t n)
{
    if (i + 1 != n)
        flags &= (uint8_t)~(TCP_FLAG_FIN | TCP_FLAG_PSH);
    if (i != 0)
        flags &= (uint8_t)~TCP_FLAG_CWR;
    return flags;
}

/* Send a checked TSO descriptor; returns the number of segments. */
static uint32_t tso_send(struct toe_tx_model *m, const struct toe_tx_desc *d,
                         const struct toe_tx_ctx *c, uint32_t tsval,
                         toe_tx_emit_fn emit, void *emit_arg)
{
    uint8_t frame[TOE_TX_FRAME_MAX];
    uint8_t opt[TS_OPT_LEN];
    size_t optlen = 0;
    uint32_t smax = toe_tx_smax(c);
    uint32_t n = d->len == 0 ? 1 : (d->len + smax - 1) / smax;
    struct toe_eth eth;
    uint32_t i;

    memcpy(eth.dst, c->dst_mac, TOE_ETH_ALEN);
    memcpy(eth.src, c->src_mac, TOE_ETH_ALEN);
    eth.vlan = (c->flags & CTX_FLAG_VLAN) != 0;
    eth.tci = c->vlan_tci;
    eth.type = TOE_ETHERTYPE_IPV4;

    if (c->flags & CTX_FLAG_TS)
        optlen = toe_tcp_ts_option(opt, tsval, c->ts_recent);

    for (i = 0; i < n; i++) {
        uint32_t off = i * smax;
        uint32_t plen = d->len - off < smax ? d->len - off : smax;
        size_t l2 = toe_eth_build(frame, &eth);
        size_t l4_len = TOE_TCP_HLEN + optlen + plen;
        struct toe_ipv4 ip = {
            .tos = c->tos,
            .tot_len = (uint16_t)(TOE_IPV4_HLEN + l4_len),
            .id = (uint16_t)(c->ip_id + i),
            .frag = (c->flags & CTX_FLAG_DF) ? TOE_IPV4_DF : 0,
            .ttl = c->ttl,
            .proto = TOE_IPPROTO_TCP,
            .src = c->src_ip,
            .dst = c->dst_ip,
        };
        uint8_t flags = seg_flags(d->tcp_flags, i, n);
        struct toe_tcp tcp = {
            .sport = c->src_port,
            .dport = c->dst_port,
            .seq = d->seq + off, /* mod 2^32 */
            .ack = (flags & TCP_FLAG_ACK) ? c->rcv_nxt : 0,
            .flags = flags,
            .win = c->rcv_wnd,
            .urg = (flags & TCP_FLAG_URG) ? d->urg_ptr : 0,
        };
        uint8_t *l4 = frame + l2 + TOE_IPV4_HLEN;
        size_t hlen = toe_tcp_build(l4, &tcp, opt, optlen);

        toe_ipv4_build(frame + l2, &ip);
        if (plen)
            dma_read_or_die(m, d->buf_addr + off, l4 + hlen, plen);
        toe_tcp_csum_fill(c->src_ip, c->dst_ip, l4, l4_len);
        send_frame(m, emit, emit_arg, frame, l2 + TOE_IPV4_HLEN + l4_len, plen);
    }
    return n;
}

/*
 * Fill the 16-bit field at l4 + csum_off of a raw frame with the TCP or UDP
 * checksum: pseudo-header from the frame's address words at l3_off + 12,
 * protocol, and the L4 length len - l4_off (the frame carries no padding).
 */
static void raw_l4_csum(uint8_t *frame, size_t len, size_t l3, size_t l4,
                        uint8_t proto, size_t csum_off)
{
    uint32_t s = toe_csum_pseudo_ipv4(toe_get32(frame + l3 + 12),
                                      toe_get32(frame + l3 + 16), proto,
                                      (uint16_t)(len - l4));
    uint16_t sum;

    toe_put16(frame + l4 + csum_off, 0);
    s = toe_csum_partial(s, frame + l4, len - l4);
    sum = (uint16_t)~toe_csum_fold(s);
    /* RFC 768: a computed zero is sent as all ones; TCP has no such rule. */
    if (proto == TOE_IPPROTO_UDP && sum == 0)
        sum = 0xFFFF;
    toe_put16(frame + l4 + csum_off, sum);
}

/* Send a checked raw descriptor as one frame, filling requested checksums. */
static void raw_send(struct toe_tx_model *m, const struct toe_tx_desc *d,
                     toe_tx_emit_fn emit, void *emit_arg)
{
    uint8_t frame[TOE_TX_FRAME_MAX];
    size_t len = d->len, l3 = d->l3_off, l4 = d->l4_off;

    dma_read_or_die(m, d->buf_addr, frame, len);
    /* The IP range [l3, l4) and the L4 range [l4, len) are disjoint, and the
     * pseudo-header reads the addresses, not the IP checksum field: the
     * order of the insertions does not matter. */
    if (d->csum_flags & CSUM_FLAG_IP) {
        toe_put16(frame + l3 + TOE_IPV4_CSUM_OFF, 0);
        toe_put16(frame + l3 + TOE_IPV4_CSUM_OFF, toe_csum(frame + l3, l4 - l3));
    }
    if (d->csum_flags & CSUM_FLAG_TCP)
        raw_l4_csum(frame, len, l3, l4, TOE_IPPROTO_TCP, TOE_TCP_CSUM_OFF);
    if (d->csum_flags & CSUM_FLAG_UDP)
        raw_l4_csum(frame, len, l3, l4, TOE_IPPROTO_UDP, TOE_UDP_CSUM_OFF);
    send_frame(m, emit, emit_arg, frame, len, 0);
}

void toe_tx_model_process(struct toe_tx_model *m, const struct toe_tx_desc *d,
                          const struct toe_tx_ctx *c, uint32_t tsval,
                          toe_tx_emit_fn emit, void *emit_arg,
                          struct toe_tx_cpl *cpl)
{
    uint8_t status = toe_tx_check(m, d, c);

    memset(cpl, 0, sizeof(*cpl));
    cpl->tag = d->tag;
    cpl->conn_id = d->conn_id;
    cpl->status = status;
    cpl->flags = 0; /* the ring writer owns the phase bit */

    if (status != TX_STATUS_OK) {
        /* Failed TSO hands back the state it was given so that the driver
         * can carry on from it; everything else (raw, and an unknown op,
         * which is not TSO) completes with zeros. */
        if (d->op == TX_OP_TSO) {
            cpl->next_seq = d->seq;
            cpl->next_ip_id = c->ip_id;
        }
    } else if (d->op == TX_OP_TSO) {
        uint32_t n = tso_send(m, d, c, tsval, emit, emit_arg);
        /* SYN and FIN each take a sequence number (RFC 9293 section 3.4). */
        uint32_t ctl = ((d->tcp_flags & TCP_FLAG_SYN) ? 1u : 0u) +
                       ((d->tcp_flags & TCP_FLAG_FIN) ? 1u : 0u);

        cpl->nsegs = (uint16_t)n;
        cpl->next_seq = d->seq + d->len + ctl;
        cpl->next_ip_id = (uint16_t)(c->ip_id + n);
    } else {
        raw_send(m, d, emit, emit_arg);
        cpl->nsegs = 1;
    }
    m->cnt[status]++;
}
