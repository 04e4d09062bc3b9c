// generated from rtl/data/toe_formats.json by tools/gen_formats.py; do not edit
//
// Struct bit i is byte i/8, bit i%8 of the little-endian memory image:
// the first field in memory sits in the least significant bits.

package toe_pkg;

  // largest TSO payload one descriptor may carry (bytes): 64 KiB, as Linux GSO_MAX_SIZE
  localparam logic [31:0] TSO_MAX_LEN = 32'd65536;
  // smallest raw frame (an Ethernet header)
  localparam logic [31:0] RAW_MIN_LEN = 32'd14;
  // largest raw frame, FCS excluded (jumbo)
  localparam logic [31:0] RAW_MAX_LEN = 32'd9216;
  // smallest MSS a TSO descriptor may use (Linux TCP_MIN_MSS)
  localparam logic [15:0] MSS_MIN = 16'd88;
  // largest MSS a TSO descriptor may use (jumbo)
  localparam logic [15:0] MSS_MAX = 16'd9000;
  // bytes of the timestamp option block: NOP, NOP, kind 8, len 10, TSval, TSecr (RFC 7323 appendix A layout)
  localparam logic [15:0] TS_OPT_LEN = 16'd12;
  // TX frame buffer size: holds one largest segment plus the next one arriving
  localparam logic [31:0] FRAME_BUF_BYTES = 32'd16384;

  // TX_OP: descriptor operation
  localparam logic [7:0] TX_OP_TSO = 8'd0;  // segment the payload by MSS; headers built from the connection context
  localparam logic [7:0] TX_OP_RAW = 8'd1;  // send the buffer as one whole frame; optional checksum insertion

  // TCP_FLAG: TCP header flag bits (RFC 9293 section 3.1, RFC 3168)
  localparam logic [7:0] TCP_FLAG_FIN = 8'd1;  // last segment only
  localparam logic [7:0] TCP_FLAG_SYN = 8'd2;  // single-segment descriptors only
  localparam logic [7:0] TCP_FLAG_RST = 8'd4;  // single-segment descriptors only
  localparam logic [7:0] TCP_FLAG_PSH = 8'd8;  // last segment only
  localparam logic [7:0] TCP_FLAG_ACK = 8'd16;  // every segment; ack number is the context's rcv_nxt
  localparam logic [7:0] TCP_FLAG_URG = 8'd32;  // single-segment descriptors only; urgent pointer from the descriptor
  localparam logic [7:0] TCP_FLAG_ECE = 8'd64;  // every segment
  localparam logic [7:0] TCP_FLAG_CWR = 8'd128;  // first segment only

  // CSUM_FLAG: raw-frame checksum insertion requests
  localparam logic [7:0] CSUM_FLAG_IP = 8'd1;  // fill the IPv4 header checksum at l3_off+10
  localparam logic [7:0] CSUM_FLAG_TCP = 8'd2;  // fill the TCP checksum at l4_off+16 (pseudo-header included)
  localparam logic [7:0] CSUM_FLAG_UDP = 8'd4;  // fill the UDP checksum at l4_off+6 (pseudo-header included; 0 sent as 0xFFFF)

  // CTX_FLAG: connection-context flag bits
  localparam logic [7:0] CTX_FLAG_TS = 8'd1;  // the connection uses TCP timestamps: every segment carries the 12-byte option
  localparam logic [7:0] CTX_FLAG_VLAN = 8'd2;  // insert an 802.1Q tag with vlan_tci
  localparam logic [7:0] CTX_FLAG_DF = 8'd4;  // set IPv4 Don't Fragment

  // TX_STATUS: completion status; checks run in this order and the first failure is reported
  localparam logic [7:0] TX_STATUS_OK = 8'd0;  // every frame was sent
  localparam logic [7:0] TX_STATUS_ERR_OP = 8'd1;  // unknown op
  localparam logic [7:0] TX_STATUS_ERR_LEN = 8'd2;  // TSO len above TSO_MAX_LEN, or raw len outside RAW_MIN_LEN..RAW_MAX_LEN
  localparam logic [7:0] TX_STATUS_ERR_MSS = 8'd3;  // TSO with context mss outside MSS_MIN..MSS_MAX
  localparam logic [7:0] TX_STATUS_ERR_EMPTY = 8'd4;  // TSO with len 0 and none of SYN, FIN, RST
  localparam logic [7:0] TX_STATUS_ERR_FLAGS = 8'd5;  // SYN, RST or URG on a TSO descriptor needing more than one segment; raw with unknown checksum bits or both TCP and UDP
  localparam logic [7:0] TX_STATUS_ERR_ADDR = 8'd6;  // len > 0 and [buf_addr, buf_addr+len) not inside the DMA window [dma_lo, dma_hi)
  localparam logic [7:0] TX_STATUS_ERR_OFFSETS = 8'd7;  // raw checksum offsets odd, l3_off < 14, l4_off < l3_off + 20, or the L4 header runs past len

  // TX engine counters: 32 bits, wrapping; the first TX_STATUS-many count completions by status
  localparam int unsigned TX_CNT_DESC_OK = 0;  // descriptors completed with status OK
  localparam int unsigned TX_CNT_ERR_OP = 1;  // descriptors rejected: ERR_OP
  localparam int unsigned TX_CNT_ERR_LEN = 2;  // descriptors rejected: ERR_LEN
  localparam int unsigned TX_CNT_ERR_MSS = 3;  // descriptors rejected: ERR_MSS
  localparam int unsigned TX_CNT_ERR_EMPTY = 4;  // descriptors rejected: ERR_EMPTY
  localparam int unsigned TX_CNT_ERR_FLAGS = 5;  // descriptors rejected: ERR_FLAGS
  localparam int unsigned TX_CNT_ERR_ADDR = 6;  // descriptors rejected: ERR_ADDR
  localparam int unsigned TX_CNT_ERR_OFFSETS = 7;  // descriptors rejected: ERR_OFFSETS
  localparam int unsigned TX_CNT_FRAMES = 8;  // frames emitted
  localparam int unsigned TX_CNT_FRAME_BYTES = 9;  // frame bytes emitted (FCS excluded)
  localparam int unsigned TX_CNT_PAYLOAD_BYTES = 10;  // TSO payload bytes emitted
  localparam int unsigned TX_CNT_NUM = 11;

  // TX descriptor: one send (TSO) or one raw frame (32 bytes)
  localparam int unsigned TX_DESC_BITS = 256;
  typedef struct packed {
    logic [31:0] rsvd1;  // @28: reserved, write 0
    logic [15:0] urg_ptr;  // @26: TSO with URG: urgent pointer
    logic [7:0] rsvd0;  // @25: reserved, write 0
    logic [7:0] l4_off;  // @24: raw: offset of the TCP/UDP header in the frame
    logic [7:0] l3_off;  // @23: raw: offset of the IPv4 header in the frame
    logic [7:0] csum_flags;  // @22: raw: CSUM_FLAG bits
    logic [7:0] tcp_flags;  // @21: TSO: TCP_FLAG bits of the whole send
    logic [7:0] op;  // @20: TX_OP
    logic [15:0] tag;  // @18: driver cookie echoed in the completion
    logic [15:0] conn_id;  // @16: connection-table index; echoed in the completion
    logic [31:0] seq;  // @12: TSO: sequence number of the first segment
    logic [31:0] len;  // @8: payload bytes (TSO) or frame bytes (raw)
    logic [63:0] buf_addr;  // @0: host address of the payload (TSO) or of the frame (raw)
  } tx_desc_t;
  localparam int unsigned TX_DESC_BUF_ADDR_LSB = 0;
  localparam int unsigned TX_DESC_LEN_LSB = 64;
  localparam int unsigned TX_DESC_SEQ_LSB = 96;
  localparam int unsigned TX_DESC_CONN_ID_LSB = 128;
  localparam int unsigned TX_DESC_TAG_LSB = 144;
  localparam int unsigned TX_DESC_OP_LSB = 160;
  localparam int unsigned TX_DESC_TCP_FLAGS_LSB = 168;
  localparam int unsigned TX_DESC_CSUM_FLAGS_LSB = 176;
  localparam int unsigned TX_DESC_L3_OFF_LSB = 184;
  localparam int unsigned TX_DESC_L4_OFF_LSB = 192;
  localparam int unsigned TX_DESC_RSVD0_LSB = 200;
  localparam int unsigned TX_DESC_URG_PTR_LSB = 208;
  localparam int unsigned TX_DESC_RSVD1_LSB = 224;

  // connection-context fields the TX path reads (a TSO descriptor's headers come from here) (48 bytes)
  localparam int unsigned TX_CTX_BITS = 384;
  typedef struct packed {
    logic [31:0] rsvd1;  // @44: reserved
    logic [7:0] rsvd0;  // @43: reserved
    logic [7:0] tos;  // @42: IPv4 DSCP/ECN byte
    logic [15:0] ip_id;  // @40: IPv4 ID of the first segment; +1 per segment
    logic [15:0] mss;  // @38: MSS as announced by the peer; payload per segment is mss, less TS_OPT_LEN with timestamps (RFC 6691)
    logic [15:0] rcv_wnd;  // @36: window field as sent (already scaled down)
    logic [31:0] ts_recent;  // @32: TSecr sent when CTX_FLAG_TS (RFC 7323 TS.Recent)
    logic [31:0] rcv_nxt;  // @28: ack number sent when ACK is set
    logic [15:0] dst_port;  // @26: peer TCP port
    logic [15:0] src_port;  // @24: local TCP port
    logic [31:0] dst_ip;  // @20: peer IPv4 address
    logic [31:0] src_ip;  // @16: local IPv4 address (192.0.2.1 is 0xC0000201)
    logic [7:0] ttl;  // @15: IPv4 TTL
    logic [7:0] flags;  // @14: CTX_FLAG bits
    logic [15:0] vlan_tci;  // @12: 802.1Q TCI (PCP, DEI, VID) when CTX_FLAG_VLAN
    logic [47:0] src_mac;  // @6: source MAC, wire order
    logic [47:0] dst_mac;  // @0: destination MAC, wire order
  } tx_ctx_t;
  localparam int unsigned TX_CTX_DST_MAC_LSB = 0;
  localparam int unsigned TX_CTX_SRC_MAC_LSB = 48;
  localparam int unsigned TX_CTX_VLAN_TCI_LSB = 96;
  localparam int unsigned TX_CTX_FLAGS_LSB = 112;
  localparam int unsigned TX_CTX_TTL_LSB = 120;
  localparam int unsigned TX_CTX_SRC_IP_LSB = 128;
  localparam int unsigned TX_CTX_DST_IP_LSB = 160;
  localparam int unsigned TX_CTX_SRC_PORT_LSB = 192;
  localparam int unsigned TX_CTX_DST_PORT_LSB = 208;
  localparam int unsigned TX_CTX_RCV_NXT_LSB = 224;
  localparam int unsigned TX_CTX_TS_RECENT_LSB = 256;
  localparam int unsigned TX_CTX_RCV_WND_LSB = 288;
  localparam int unsigned TX_CTX_MSS_LSB = 304;
  localparam int unsigned TX_CTX_IP_ID_LSB = 320;
  localparam int unsigned TX_CTX_TOS_LSB = 336;
  localparam int unsigned TX_CTX_RSVD0_LSB = 344;
  localparam int unsigned TX_CTX_RSVD1_LSB = 352;

  // TX completion: one per descriptor, in descriptor order (16 bytes)
  localparam int unsigned TX_CPL_BITS = 128;
  typedef struct packed {
    logic [15:0] rsvd0;  // @14: reserved
    logic [15:0] next_ip_id;  // @12: TSO: ip_id + nsegs
    logic [31:0] next_seq;  // @8: TSO: seq + len + SYN + FIN
    logic [15:0] nsegs;  // @6: frames emitted for this descriptor
    logic [7:0] flags;  // @5: bit 0: ring phase (written by the completion ring writer; 0 from the engine)
    logic [7:0] status;  // @4: TX_STATUS
    logic [15:0] conn_id;  // @2: the descriptor's conn_id
    logic [15:0] tag;  // @0: the descriptor's tag
  } tx_cpl_t;
  localparam int unsigned TX_CPL_TAG_LSB = 0;
  localparam int unsigned TX_CPL_CONN_ID_LSB = 16;
  localparam int unsigned TX_CPL_STATUS_LSB = 32;
  localparam int unsigned TX_CPL_FLAGS_LSB = 40;
  localparam int unsigned TX_CPL_NSEGS_LSB = 48;
  localparam int unsigned TX_CPL_NEXT_SEQ_LSB = 64;
  localparam int unsigned TX_CPL_NEXT_IP_ID_LSB = 96;
  localparam int unsigned TX_CPL_RSVD0_LSB = 112;

endpackage
