// Descriptor checks of the TX engine (docs/tx-datapath.md, "Descriptor checks").
//
// Purely combinational: the first failing check, in the documented order, decides the
// status. Also yields smax, the TSO payload per segment: the MSS less the timestamp
// option when the connection uses timestamps (RFC 6691 section 2: the MSS value
// counts no IP or TCP options, so the sender subtracts them).
//
// The DMA-window arithmetic comes in precomputed (one pipeline stage earlier, see
// tx_cmd_stage) so that no 64-bit add and compare sit in series here:
//   win_lo_ok_i = buf_addr >= dma_lo
//   win_room_i  = dma_hi - buf_addr, 65 bits: negative (bit 64) when buf_addr > dma_hi
module tx_desc_check (
  input  toe_pkg::tx_desc_t desc_i,
  input  toe_pkg::tx_ctx_t  ctx_i,
  input  logic              win_lo_ok_i,
  input  logic [64:0]       win_room_i,
  output logic [7:0]        status_o,
  output logic [15:0]       smax_o
);
  logic        is_tso, is_raw;
  logic        may_be_empty, single_only, fits;
  logic [8:0]  l3_min_l4;
  logic [8:0]  l4_hdr_end;
  logic [15:0] ts_opt;

  // The checks read only some fields of the descriptor and context.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_fields;
  assign unused_fields = ^{desc_i.buf_addr, desc_i.seq, desc_i.conn_id, desc_i.tag, desc_i.rsvd0,
                           desc_i.urg_ptr, desc_i.ip_id, desc_i.rsvd1, ctx_i};
  /* verilator lint_on UNUSEDSIGNAL */

  assign is_tso = (desc_i.op == toe_pkg::TX_OP_TSO);
  assign is_raw = (desc_i.op == toe_pkg::TX_OP_RAW);
  assign ts_opt = ((ctx_i.flags & toe_pkg::CTX_FLAG_TS) != 8'd0) ? toe_pkg::TS_OPT_LEN : 16'd0;
  assign smax_o = ctx_i.mss - ts_opt;

  // Segments that may go without payload: SYN and FIN (each takes a sequence number)
  // and RST.
  assign may_be_empty = ((desc_i.tcp_flags &
                          (toe_pkg::TCP_FLAG_SYN | toe_pkg::TCP_FLAG_FIN | toe_pkg::TCP_FLAG_RST)) != 8'd0);
  assign single_only = ((desc_i.tcp_flags &
                         (toe_pkg::TCP_FLAG_SYN | toe_pkg::TCP_FLAG_RST | toe_pkg::TCP_FLAG_URG)) != 8'd0);
  // [buf_addr, buf_addr + len) ends at or below dma_hi. Computed as len <= room, a
  // buffer that would wrap past 2^64 cannot fit.
  assign fits        = !win_room_i[64] && (win_room_i[63:32] != 32'd0 || desc_i.len <= win_room_i[31:0]);
  assign l3_min_l4   = {1'b0, desc_i.l3_off} + 9'd20;
  assign l4_hdr_end  = {1'b0, desc_i.l4_off} +
                       (((desc_i.csum_flags & toe_pkg::CSUM_FLAG_TCP) != 8'd0) ? 9'd20 :
                        ((desc_i.csum_flags & toe_pkg::CSUM_FLAG_UDP) != 8'd0) ? 9'd8 : 9'd0);

  always_comb begin
    status_o = toe_pkg::TX_STATUS_OK;
    if (!is_tso && !is_raw) begin
      status_o = toe_pkg::TX_STATUS_ERR_OP;
    end else if (is_tso ? (desc_i.len > toe_pkg::TSO_MAX_LEN)
                        : (desc_i.len < toe_pkg::RAW_MIN_LEN || desc_i.len > toe_pkg::RAW_MAX_LEN)) begin
      status_o = toe_pkg::TX_STATUS_ERR_LEN;
    end else if (is_tso && (ctx_i.mss < toe_pkg::MSS_MIN || ctx_i.mss > toe_pkg::MSS_MAX)) begin
      status_o = toe_pkg::TX_STATUS_ERR_MSS;
    end else if (is_tso && desc_i.len == 32'd0 && !may_be_empty) begin
      status_o = toe_pkg::TX_STATUS_ERR_EMPTY;
    end else if (is_tso ? (single_only && desc_i.len > {16'd0, smax_o})
                        : ((desc_i.csum_flags & ~(toe_pkg::CSUM_FLAG_IP | toe_pkg::CSUM_FLAG_TCP |
                                                  toe_pkg::CSUM_FLAG_UDP)) != 8'd0 ||
                           (desc_i.csum_flags & (toe_pkg::CSUM_FLAG_TCP | toe_pkg::CSUM_FLAG_UDP)) ==
                           (toe_pkg::CSUM_FLAG_TCP | toe_pkg::CSUM_FLAG_UDP))) begin
      status_o = toe_pkg::TX_STATUS_ERR_FLAGS;
    end else if (desc_i.len != 32'd0 && (!win_lo_ok_i || !fits)) begin
      status_o = toe_pkg::TX_STATUS_ERR_ADDR;
    end else if (is_raw && desc_i.csum_flags != 8'd0 &&
                 (desc_i.l3_off[0] || desc_i.l4_off[0] || desc_i.l3_off < 8'd14 ||
                  {1'b0, desc_i.l4_off} < l3_min_l4 || {23'd0, l4_hdr_end} > desc_i.len)) begin
      status_o = toe_pkg::TX_STATUS_ERR_OFFSETS;
    end
  end

endmodule
