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
    logic [31:0]            ts;        // ts_now at arrival
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
    logic [31:0] ts;
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

endpackage
