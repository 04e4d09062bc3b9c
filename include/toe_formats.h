/* generated from rtl/data/toe_formats.json by tools/gen_formats.py; do not edit */
#ifndef TOE_FORMATS_H
#define TOE_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define TOE_STATIC_ASSERT static_assert
#else
#define TOE_STATIC_ASSERT _Static_assert
#endif

/* Little-endian memory images; these structs are their host view on a
 * little-endian host (checked below). */

#define TSO_MAX_LEN 65536u /* largest TSO payload one descriptor may carry (bytes): 64 KiB, as Linux GSO_MAX_SIZE */
#define RAW_MIN_LEN 14u /* smallest raw frame (an Ethernet header) */
#define RAW_MAX_LEN 9216u /* largest raw frame, FCS excluded (jumbo) */
#define MSS_MIN 88u /* smallest MSS a TSO descriptor may use (Linux TCP_MIN_MSS) */
#define MSS_MAX 9000u /* largest MSS a TSO descriptor may use (jumbo) */
#define TS_OPT_LEN 12u /* bytes of the timestamp option block: NOP, NOP, kind 8, len 10, TSval, TSecr (RFC 7323 appendix A layout) */
#define FRAME_BUF_BYTES 16384u /* TX frame buffer size: holds one largest segment plus the next one arriving */

/* TX_OP: descriptor operation */
enum {
    TX_OP_TSO = 0, /* segment the payload by MSS; headers built from the connection context */
    TX_OP_RAW = 1, /* send the buffer as one whole frame; optional checksum insertion */
};

/* TCP_FLAG: TCP header flag bits (RFC 9293 section 3.1, RFC 3168) */
enum {
    TCP_FLAG_FIN = 1, /* last segment only */
    TCP_FLAG_SYN = 2, /* single-segment descriptors only */
    TCP_FLAG_RST = 4, /* single-segment descriptors only */
    TCP_FLAG_PSH = 8, /* last segment only */
    TCP_FLAG_ACK = 16, /* every segment; ack number is the context's rcv_nxt */
    TCP_FLAG_URG = 32, /* single-segment descriptors only; urgent pointer from the descriptor */
    TCP_FLAG_ECE = 64, /* every segment */
    TCP_FLAG_CWR = 128, /* first segment only */
};

/* CSUM_FLAG: raw-frame checksum insertion requests */
enum {
    CSUM_FLAG_IP = 1, /* fill the IPv4 header checksum at l3_off+10 */
    CSUM_FLAG_TCP = 2, /* fill the TCP checksum at l4_off+16 (pseudo-header included) */
    CSUM_FLAG_UDP = 4, /* fill the UDP checksum at l4_off+6 (pseudo-header included; 0 sent as 0xFFFF) */
};

/* CTX_FLAG: connection-context flag bits */
enum {
    CTX_FLAG_TS = 1, /* the connection uses TCP timestamps: every segment carries the 12-byte option */
    CTX_FLAG_VLAN = 2, /* insert an 802.1Q tag with vlan_tci */
    CTX_FLAG_DF = 4, /* set IPv4 Don't Fragment */
};

/* TX_STATUS: completion status; checks run in this order and the first failure is reported */
enum {
    TX_STATUS_OK = 0, /* every frame was sent */
    TX_STATUS_ERR_OP = 1, /* unknown op */
    TX_STATUS_ERR_LEN = 2, /* TSO len above TSO_MAX_LEN, or raw len outside RAW_MIN_LEN..RAW_MAX_LEN */
    TX_STATUS_ERR_MSS = 3, /* TSO with context mss outside MSS_MIN..MSS_MAX */
    TX_STATUS_ERR_EMPTY = 4, /* TSO with len 0 and none of SYN, FIN, RST */
    TX_STATUS_ERR_FLAGS = 5, /* SYN, RST or URG on a TSO descriptor needing more than one segment; raw with unknown checksum bits or both TCP and UDP */
    TX_STATUS_ERR_ADDR = 6, /* len > 0 and [buf_addr, buf_addr+len) not inside the DMA window [dma_lo, dma_hi) */
    TX_STATUS_ERR_OFFSETS = 7, /* raw checksum offsets odd, l3_off < 14, l4_off < l3_off + 20, or the L4 header runs past len */
};

/* TX engine counters: 32 bits, wrapping; the first TX_STATUS-many count completions by status */
enum {
    TX_CNT_DESC_OK = 0, /* descriptors completed with status OK */
    TX_CNT_ERR_OP = 1, /* descriptors rejected: ERR_OP */
    TX_CNT_ERR_LEN = 2, /* descriptors rejected: ERR_LEN */
    TX_CNT_ERR_MSS = 3, /* descriptors rejected: ERR_MSS */
    TX_CNT_ERR_EMPTY = 4, /* descriptors rejected: ERR_EMPTY */
    TX_CNT_ERR_FLAGS = 5, /* descriptors rejected: ERR_FLAGS */
    TX_CNT_ERR_ADDR = 6, /* descriptors rejected: ERR_ADDR */
    TX_CNT_ERR_OFFSETS = 7, /* descriptors rejected: ERR_OFFSETS */
    TX_CNT_FRAMES = 8, /* frames emitted */
    TX_CNT_FRAME_BYTES = 9, /* frame bytes emitted (FCS excluded) */
    TX_CNT_PAYLOAD_BYTES = 10, /* TSO payload bytes emitted */
    TX_CNT_NUM = 11
};

static const char *const tx_cnt_names[11] = {
    "desc_ok",
    "err_op",
    "err_len",
    "err_mss",
    "err_empty",
    "err_flags",
    "err_addr",
    "err_offsets",
    "frames",
    "frame_bytes",
    "payload_bytes",
};

/* TX descriptor: one send (TSO) or one raw frame (32 bytes) */
struct toe_tx_desc {
    uint64_t buf_addr; /* @0: host address of the payload (TSO) or of the frame (raw) */
    uint32_t len; /* @8: payload bytes (TSO) or frame bytes (raw) */
    uint32_t seq; /* @12: TSO: sequence number of the first segment */
    uint16_t conn_id; /* @16: connection-table index; echoed in the completion */
    uint16_t tag; /* @18: driver cookie echoed in the completion */
    uint8_t op; /* @20: TX_OP */
    uint8_t tcp_flags; /* @21: TSO: TCP_FLAG bits of the whole send */
    uint8_t csum_flags; /* @22: raw: CSUM_FLAG bits */
    uint8_t l3_off; /* @23: raw: offset of the IPv4 header in the frame */
    uint8_t l4_off; /* @24: raw: offset of the TCP/UDP header in the frame */
    uint8_t rsvd0; /* @25: reserved, write 0 */
    uint16_t urg_ptr; /* @26: TSO with URG: urgent pointer */
    uint32_t rsvd1; /* @28: reserved, write 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_tx_desc) == 32, "toe_tx_desc size");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, buf_addr) == 0, "toe_tx_desc.buf_addr");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, len) == 8, "toe_tx_desc.len");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, seq) == 12, "toe_tx_desc.seq");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, conn_id) == 16, "toe_tx_desc.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, tag) == 18, "toe_tx_desc.tag");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, op) == 20, "toe_tx_desc.op");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, tcp_flags) == 21, "toe_tx_desc.tcp_flags");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, csum_flags) == 22, "toe_tx_desc.csum_flags");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, l3_off) == 23, "toe_tx_desc.l3_off");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, l4_off) == 24, "toe_tx_desc.l4_off");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, rsvd0) == 25, "toe_tx_desc.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, urg_ptr) == 26, "toe_tx_desc.urg_ptr");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, rsvd1) == 28, "toe_tx_desc.rsvd1");

/* connection-context fields the TX path reads (a TSO descriptor's headers come from here) (48 bytes) */
struct toe_tx_ctx {
    uint8_t dst_mac[6]; /* @0: destination MAC, wire order */
    uint8_t src_mac[6]; /* @6: source MAC, wire order */
    uint16_t vlan_tci; /* @12: 802.1Q TCI (PCP, DEI, VID) when CTX_FLAG_VLAN */
    uint8_t flags; /* @14: CTX_FLAG bits */
    uint8_t ttl; /* @15: IPv4 TTL */
    uint32_t src_ip; /* @16: local IPv4 address (192.0.2.1 is 0xC0000201) */
    uint32_t dst_ip; /* @20: peer IPv4 address */
    uint16_t src_port; /* @24: local TCP port */
    uint16_t dst_port; /* @26: peer TCP port */
    uint32_t rcv_nxt; /* @28: ack number sent when ACK is set */
    uint32_t ts_recent; /* @32: TSecr sent when CTX_FLAG_TS (RFC 7323 TS.Recent) */
    uint16_t rcv_wnd; /* @36: window field as sent (already scaled down) */
    uint16_t mss; /* @38: MSS as announced by the peer; payload per segment is mss, less TS_OPT_LEN with timestamps (RFC 6691) */
    uint16_t ip_id; /* @40: IPv4 ID of the first segment; +1 per segment */
    uint8_t tos; /* @42: IPv4 DSCP/ECN byte */
    uint8_t rsvd0; /* @43: reserved */
    uint32_t rsvd1; /* @44: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_tx_ctx) == 48, "toe_tx_ctx size");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, dst_mac) == 0, "toe_tx_ctx.dst_mac");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, src_mac) == 6, "toe_tx_ctx.src_mac");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, vlan_tci) == 12, "toe_tx_ctx.vlan_tci");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, flags) == 14, "toe_tx_ctx.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, ttl) == 15, "toe_tx_ctx.ttl");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, src_ip) == 16, "toe_tx_ctx.src_ip");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, dst_ip) == 20, "toe_tx_ctx.dst_ip");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, src_port) == 24, "toe_tx_ctx.src_port");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, dst_port) == 26, "toe_tx_ctx.dst_port");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, rcv_nxt) == 28, "toe_tx_ctx.rcv_nxt");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, ts_recent) == 32, "toe_tx_ctx.ts_recent");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, rcv_wnd) == 36, "toe_tx_ctx.rcv_wnd");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, mss) == 38, "toe_tx_ctx.mss");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, ip_id) == 40, "toe_tx_ctx.ip_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, tos) == 42, "toe_tx_ctx.tos");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, rsvd0) == 43, "toe_tx_ctx.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, rsvd1) == 44, "toe_tx_ctx.rsvd1");

/* TX completion: one per descriptor, in descriptor order (16 bytes) */
struct toe_tx_cpl {
    uint16_t tag; /* @0: the descriptor's tag */
    uint16_t conn_id; /* @2: the descriptor's conn_id */
    uint8_t status; /* @4: TX_STATUS */
    uint8_t flags; /* @5: bit 0: ring phase (written by the completion ring writer; 0 from the engine) */
    uint16_t nsegs; /* @6: frames emitted for this descriptor */
    uint32_t next_seq; /* @8: TSO: seq + len + SYN + FIN */
    uint16_t next_ip_id; /* @12: TSO: ip_id + nsegs */
    uint16_t rsvd0; /* @14: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_tx_cpl) == 16, "toe_tx_cpl size");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, tag) == 0, "toe_tx_cpl.tag");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, conn_id) == 2, "toe_tx_cpl.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, status) == 4, "toe_tx_cpl.status");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, flags) == 5, "toe_tx_cpl.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, nsegs) == 6, "toe_tx_cpl.nsegs");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, next_seq) == 8, "toe_tx_cpl.next_seq");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, next_ip_id) == 12, "toe_tx_cpl.next_ip_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, rsvd0) == 14, "toe_tx_cpl.rsvd0");

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "toe_formats.h maps memory images directly: little-endian hosts only"
#endif

#endif /* TOE_FORMATS_H */
