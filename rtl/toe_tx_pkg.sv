// Tokens passed between the stages of the TX engine (internal to the RTL; the
// host-visible formats live in the generated toe_pkg).
//
// Yosys 0.23 cannot resolve one package's names inside another, so the host formats
// are carried here as plain vectors of their widths; toe_tx_engine checks at
// elaboration that these widths equal toe_pkg's, and the stages view them through
// toe_pkg's struct types.
package toe_tx_pkg;

  localparam int unsigned DESC_BITS = 256;  // toe_pkg::TX_DESC_BITS
  localparam int unsigned CTX_BITS  = 384;  // toe_pkg::TX_CTX_BITS
  localparam int unsigned CPL_BITS  = 128;  // toe_pkg::TX_CPL_BITS

  // Bytes of the largest TSO header: Ethernet + 802.1Q (18) + IPv4 (20) + TCP (20)
  // + timestamp option (12) = 70, rounded up to a whole 64-bit beat.
  localparam int unsigned HDR_BYTES = 72;

  // A checked descriptor waiting for the header stage (descriptor FIFO entry), with
  // what is the same for all its segments worked out once, so that the header stage
  // only adds what changes per segment.
  typedef struct packed {
    logic [DESC_BITS-1:0] desc;
    logic [CTX_BITS-1:0]  ctx;
    logic [31:0]          tsval;      // ts_now when the descriptor was accepted
    logic [7:0]           status;     // TX_STATUS_*
    logic [15:0]          smax;       // payload bytes per TSO segment
    logic                 one_seg;    // len <= smax: the first segment is the last
    logic [15:0]          tcp_const;  // folded sum of the TCP checksum's fixed words
    logic [15:0]          ip_const;   // folded sum of the IPv4 header's fixed words
    logic [31:0]          next_seq;   // seq + len + SYN + FIN, for the completion
  } tx_job_t;

  // One DMA read as the payload buffer must account for it (planner -> buffer).
  typedef struct packed {
    logic        raw;         // whole raw frame: compute the masked sums below
    logic [15:0] len;         // bytes the read returns
    logic [7:0]  l3_off;
    logic [7:0]  l4_off;
    logic [7:0]  csum_flags;  // CSUM_FLAG_* (raw only)
  } tx_seg_info_t;

  // Folded, uncomplemented one's-complement sums of one read (buffer -> header stage).
  //   a: TSO: the whole payload; raw: [l4_off, len) without the L4 checksum field
  //   b: raw: [l3_off, l4_off) without the IPv4 checksum field
  //   c: raw: [l3_off+12, l3_off+20), the addresses for the pseudo-header
  typedef struct packed {
    logic [15:0] a;
    logic [15:0] b;
    logic [15:0] c;
  } tx_sums_t;

  // What the emit stage needs to put one frame (and/or one completion) on its way.
  typedef struct packed {
    logic                     has_frame;
    logic                     has_cpl;
    logic                     is_tso;
    logic [CPL_BITS-1:0]     cpl;
    logic [HDR_BYTES*8-1:0]   hdr;       // stream order: byte 0 in bits [7:0]
    logic [7:0]               hdr_len;
    logic [15:0]              pay_len;   // bytes taken from the frame buffer
    logic                     p0_en;     // raw: checksum patches, big-endian at p*_off
    logic [15:0]              p0_off;
    logic [15:0]              p0_val;
    logic                     p1_en;
    logic [15:0]              p1_off;
    logic [15:0]              p1_val;
  } tx_token_t;

endpackage
