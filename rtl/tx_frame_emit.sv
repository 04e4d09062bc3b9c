// TX emit stage: puts each prepared frame on the output stream - the header bytes,
// then the buffered payload realigned behind them - and issues completions and
// counters.
//
// Realignment: with B lanes per beat, a header of H bytes fills H/B whole beats and
// leaves S = H mod B bytes that share a beat with the payload. Those S bytes are kept
// as the "carry" in the low lanes of hdr_q; every payload beat then goes out shifted
// up by S lanes behind the carry, and its top S bytes become the next carry. A raw
// frame has H = 0 and passes straight through, with its checksum fields patched in
// on the way out.
//
// A new frame starts on the clock after the previous one's last beat (no idle beat),
// so on a busy path the only beats without payload are header beats.
module tx_frame_emit #(
  parameter int unsigned W = 64
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,

  input  logic                       tok_valid_i,
  output logic                       tok_ready_o,
  input  toe_tx_pkg::tx_token_t      tok_i,

  input  logic                       buf_valid_i,
  output logic                       buf_ready_o,
  input  logic [W-1:0]               buf_data_i,

  output logic                       out_valid_o,
  input  logic                       out_ready_i,
  output logic [W-1:0]               out_tdata_o,
  output logic [W/8-1:0]             out_tkeep_o,
  output logic                       out_tlast_o,

  output logic                       cpl_valid_o,
  input  logic                       cpl_ready_i,
  output logic [toe_tx_pkg::CPL_BITS-1:0] cpl_o,

  output logic [toe_pkg::TX_CNT_NUM*32-1:0] cnt_o
);
  localparam int unsigned B     = W / 8;
  localparam int unsigned LogB  = $clog2(B);
  // The header register holds whole beats.
  localparam int unsigned HdrW  = ((toe_tx_pkg::HDR_BYTES * 8 + W - 1) / W) * W;

  logic              active_q, has_cpl_q, is_tso_q;
  logic [HdrW-1:0]   hdr_q;
  logic [15:0]       frame_len_q, pay_len_q, base_q;
  logic [15:0]       beat_q, nbeats_q, hdr_beats_q, pay_beats_q, popped_q;
  logic [LogB-1:0]   shift_q;
  logic [toe_tx_pkg::CPL_BITS-1:0] cpl_q;
  logic              p0_en_q, p1_en_q;
  logic [15:0]       p0_off_q, p0_val_q, p1_off_q, p1_val_q;

  // ---- one output beat -------------------------------------------------------------
  logic          in_hdr, use_buf, is_last, fire;
  logic [B-1:0]  carry_lanes, keep;
  logic [W-1:0]  beat, shifted, carry_next, patched;
  logic [15:0]   tail;

  assign in_hdr  = (beat_q < hdr_beats_q);
  assign use_buf = !in_hdr && (popped_q != pay_beats_q);
  assign is_last = (beat_q == nbeats_q - 16'd1);
  assign tail    = frame_len_q - base_q;  // bytes left, in 1..B on the last beat

  assign carry_lanes = ~({B{1'b1}} << shift_q);
  assign shifted     = buf_data_i << {shift_q, 3'd0};
  // For S = 0 there is no carry: shifting by the whole width yields zero.
  assign carry_next  = buf_data_i >> (W - {{(32-LogB-3){1'b0}}, shift_q, 3'd0});

  always_comb begin
    if (in_hdr) begin
      beat = hdr_q[W-1:0];
    end else begin
      beat = use_buf ? shifted : '0;
      for (int unsigned l = 0; l < B; l++) begin
        if (carry_lanes[l]) beat[8*l +: 8] = hdr_q[8*l +: 8];
      end
    end
  end

  always_comb begin
    for (int unsigned l = 0; l < B; l++) begin
      keep[l] = !is_last || (16'(l) < tail);
    end
  end

  // Raw checksum patches: the field's high byte at p*_off, its low byte after it. The
  // offsets are taken relative to this beat once, so each lane compares a constant.
  logic signed [17:0] rel_p0, rel_p1;
  assign rel_p0 = $signed({2'b00, p0_off_q}) - $signed({2'b00, base_q});
  assign rel_p1 = $signed({2'b00, p1_off_q}) - $signed({2'b00, base_q});

  always_comb begin
    for (int unsigned l = 0; l < B; l++) begin
      logic signed [17:0] lane;
      lane = $signed(18'(l));
      patched[8*l +: 8] = beat[8*l +: 8] & {8{keep[l]}};
      if (p0_en_q && lane == rel_p0)          patched[8*l +: 8] = p0_val_q[15:8];
      if (p0_en_q && lane == rel_p0 + 18'sd1) patched[8*l +: 8] = p0_val_q[7:0];
      if (p1_en_q && lane == rel_p1)          patched[8*l +: 8] = p1_val_q[15:8];
      if (p1_en_q && lane == rel_p1 + 18'sd1) patched[8*l +: 8] = p1_val_q[7:0];
    end
  end

  // The completion of a descriptor leaves with its last beat, so that beat waits for
  // room in the completion queue.
  assign out_valid_o = active_q && (!use_buf || buf_valid_i) &&
                       (!is_last || !has_cpl_q || cpl_ready_i);
  assign fire        = out_valid_o && out_ready_i;
  assign buf_ready_o = fire && use_buf;
  assign out_tdata_o = patched;
  assign out_tkeep_o = keep;
  assign out_tlast_o = is_last;

  // ---- token intake ---------------------------------------------------------------
  // A frame token may load as the previous frame's last beat leaves; a token with
  // only a completion (a rejected descriptor) waits for an idle stage.
  logic frame_done, take, cpl_only;
  assign frame_done  = fire && is_last;
  assign tok_ready_o = tok_i.has_frame ? (!active_q || frame_done) : (!active_q && cpl_ready_i);
  assign take        = tok_valid_i && tok_ready_o;
  assign cpl_only    = take && !tok_i.has_frame;

  assign cpl_valid_o = (frame_done && has_cpl_q) || cpl_only;
  assign cpl_o       = cpl_only ? tok_i.cpl : cpl_q;

  logic [15:0] tok_frame_len;
  assign tok_frame_len = {8'd0, tok_i.hdr_len} + tok_i.pay_len;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q <= 1'b0;
    end else if (take) begin
      active_q <= tok_i.has_frame;
    end else if (frame_done) begin
      active_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (take && tok_i.has_frame) begin
      hdr_q       <= HdrW'(tok_i.hdr);
      frame_len_q <= tok_frame_len;
      pay_len_q   <= tok_i.pay_len;
      nbeats_q    <= (tok_frame_len + 16'(B - 1)) >> LogB;
      hdr_beats_q <= {8'd0, tok_i.hdr_len} >> LogB;
      pay_beats_q <= (tok_i.pay_len + 16'(B - 1)) >> LogB;
      shift_q     <= tok_i.hdr_len[LogB-1:0];
      beat_q      <= '0;
      base_q      <= '0;
      popped_q    <= '0;
      has_cpl_q   <= tok_i.has_cpl;
      is_tso_q    <= tok_i.is_tso;
      cpl_q       <= tok_i.cpl;
      p0_en_q     <= tok_i.p0_en;
      p0_off_q    <= tok_i.p0_off;
      p0_val_q    <= tok_i.p0_val;
      p1_en_q     <= tok_i.p1_en;
      p1_off_q    <= tok_i.p1_off;
      p1_val_q    <= tok_i.p1_val;
    end else if (fire) begin
      beat_q <= beat_q + 16'd1;
      base_q <= base_q + 16'(B);
      if (in_hdr) begin
        hdr_q <= hdr_q >> W;
      end else if (use_buf) begin
        hdr_q[W-1:0] <= carry_next;
        popped_q     <= popped_q + 16'd1;
      end
    end
  end

  // ---- counters (wrapping, 32 bits each) ----------------------------------------------
  logic [toe_pkg::TX_CNT_NUM*32-1:0] cnt_q;
  logic [7:0] cpl_status;
  assign cnt_o      = cnt_q;
  assign cpl_status = cpl_o[toe_pkg::TX_CPL_STATUS_LSB +: 8];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else begin
      // Counters 0..7 count completions by status (DESC_OK, ERR_*).
      for (int unsigned st = 0; st <= 32'(toe_pkg::TX_STATUS_ERR_OFFSETS); st++) begin
        if (cpl_valid_o && cpl_status == 8'(st)) begin
          cnt_q[32*st +: 32] <= cnt_q[32*st +: 32] + 32'd1;
        end
      end
      if (frame_done) begin
        cnt_q[32*toe_pkg::TX_CNT_FRAMES +: 32] <= cnt_q[32*toe_pkg::TX_CNT_FRAMES +: 32] + 32'd1;
        cnt_q[32*toe_pkg::TX_CNT_FRAME_BYTES +: 32] <=
            cnt_q[32*toe_pkg::TX_CNT_FRAME_BYTES +: 32] + {16'd0, frame_len_q};
        if (is_tso_q) begin
          cnt_q[32*toe_pkg::TX_CNT_PAYLOAD_BYTES +: 32] <=
              cnt_q[32*toe_pkg::TX_CNT_PAYLOAD_BYTES +: 32] + {16'd0, pay_len_q};
        end
      end
    end
  end

endmodule
