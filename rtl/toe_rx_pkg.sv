// Tokens passed between the stages of the RX engine (internal to the RTL; the
// host-visible formats live in the generated toe_pkg).
package toe_rx_pkg;

  // Bytes of a frame's head the parser looks at (toe_pkg::RX_HDR_CAP, 142), rounded up
  // to whole 16-bit words and to a multiple of 8 bytes.
  localparam int unsigned CAP_BYTES = 144;

  // What the ingress stage knows of a frame once its last beat is in (ingress -> parse).
  typedef struct packed {
    logic [CAP_BYTES*8-1:0] cap;       // the first bytes, stream order; zero past the end
    logic [15:0]            n;         // frame bytes (saturates at 0xFFFF)
    logic                   too_long;  // n > RX_MAX_FRAME: not stored
    logic [15:0]            beats;     // beats stored in the frame buffer
    logic [31:0]            tick;      // tick count at arrival
  } rx_frame_t;

  // Actions the parser decides on.
  localparam logic [1:0] ACT_DROP = 2'd0;
  localparam logic [1:0] ACT_EXC  = 2'd1;
  localparam logic [1:0] ACT_CONN = 2'd2;  // TCP, checksums good: look the 4-tuple up

  // The parser's verdict and the TCP fields the connection stage needs.
  typedef struct packed {
    logic [1:0]  action;
    logic [7:0]  reason;      // RX_DROP_* or RX_EXC_* (ACT_CONN: 0)
    logic [15:0] n;
    logic [15:0] beats;
    logic [7:0]  l3;          // 0 if not IPv4
    logic [7:0]  l4;          // 0 unless the IPv4 header was valid
    logic [31:0] tick;
    // TCP (ACT_CONN)
    logic [31:0] src_ip;
    logic [31:0] dst_ip;
    logic [15:0] src_port;
    logic [15:0] dst_port;
    logic [31:0] seq;
    logic [31:0] ack;
    logic [15:0] wnd;
    logic [7:0]  tcp_flags;
    logic [7:0]  pay_off;     // first payload byte in the frame (l4 + 4*doff)
    logic [15:0] pay_len;
    logic        has_ts;
    logic        other_opts;
    logic [31:0] tsval;
    logic [31:0] tsecr;
  } rx_parsed_t;

  // What becomes of a frame, as the connection stage hands it to dispatch.
  localparam logic [1:0] DO_DROP  = 2'd0;  // discard its beats (drops and accepted pure ACKs)
  localparam logic [1:0] DO_EXC   = 2'd1;  // to the host whole, behind an rx_exc record
  localparam logic [1:0] DO_PLACE = 2'd2;  // write its payload into the connection's ring

  typedef struct packed {
    logic [1:0]  action;      // DO_*
    logic [7:0]  drop;        // RX_DROP_* of a dropped frame (0: an accepted segment)
    logic [7:0]  exc;         // RX_EXC_* of an exception
    logic [15:0] conn_id;
    logic [15:0] n;
    logic [15:0] beats;
    logic [7:0]  l3;
    logic [7:0]  l4;
    logic [31:0] tick;
    // DO_PLACE: payload [pay_off, pay_off + pay_len) of the frame goes to ring offset
    // ring_off of the ring at buf_base (size 2^size_log2), wrapping at its end.
    logic [7:0]  pay_off;
    logic [15:0] pay_len;
    logic [63:0] buf_base;
    logic [4:0]  size_log2;   // 6..30
    logic [29:0] ring_off;
  } rx_verdict_t;

  // Everything an ACK frame carries (connection stage -> ACK builder).
  typedef struct packed {
    logic [47:0] dst_mac;     // stream order: first byte in the low bits
    logic [47:0] src_mac;
    logic        vlan;
    logic [15:0] vlan_tci;
    logic        df;
    logic [7:0]  ttl;
    logic [7:0]  tos;
    logic [15:0] ip_id;
    logic [31:0] src_ip;      // ours
    logic [31:0] dst_ip;
    logic [15:0] src_port;
    logic [15:0] dst_port;
    logic [31:0] seq;
    logic [31:0] ack;
    logic [15:0] wnd;
    logic        ts;
    logic [31:0] tsval;
    logic [31:0] tsecr;
  } rx_ack_req_t;

endpackage
