// RX dispatch: carries out the connection stage's verdict on the stored frame
// (docs/rx-datapath.md): discards it (a drop, or a pure ACK the hardware took), hands
// it to the host whole behind an rx_exc record (exception), or writes its payload into
// the connection's receive ring (placement).
//
// Placement realigns the payload to the host's byte addresses: the DMA write port
// takes beats at W/8-aligned ring addresses with a byte strobe. Payload byte k lives
// at ring offset ring_off + k; the frame byte feeding lane l of output beat j is
// pay_off - (ring_off mod B) + j*B + l, so each output beat takes the top of one frame
// beat and the bottom of the next (prev_q and the buffer head). The ring is a power of
// two of at least 64 bytes at a 64-byte aligned base, so an aligned beat never
// straddles its end: the wrap is a mask on the address.
module rx_dispatch #(
  parameter int unsigned W = 64
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,

  input  logic                        in_valid_i,
  output logic                        in_ready_o,
  input  toe_rx_pkg::rx_verdict_t     in_i,

  input  logic                        buf_valid_i,
  output logic                        buf_ready_o,
  input  logic [W-1:0]                buf_data_i,

  output logic                        exc_valid_o,
  input  logic                        exc_ready_i,
  output toe_pkg::rx_exc_t            exc_o,

  output logic [W-1:0]                exc_tdata_o,
  output logic [W/8-1:0]              exc_tkeep_o,
  output logic                        exc_tlast_o,
  output logic                        exc_tvalid_o,
  input  logic                        exc_tready_i,

  output logic                        wr_valid_o,
  input  logic                        wr_ready_i,
  output logic [63:0]                 wr_addr_o,
  output logic [W-1:0]                wr_data_o,
  output logic [W/8-1:0]              wr_strb_o,
  output logic                        wr_last_o,

  output logic [7:0]                  cnt_exc_o,   // RX_EXC_* of a frame handed up, or 0
  output logic [7:0]                  cnt_drop_o   // RX_DROP_* of a frame dropped, or 0
);
  localparam int unsigned B    = W / 8;
  localparam int unsigned LogB = $clog2(B);

  logic        active_q, meta_sent_q;
  logic [1:0]  act_q;
  logic [15:0] left_q;    // frame beats still in the buffer
  logic [15:0] tail_q;    // bytes in the frame's last beat
  toe_pkg::rx_exc_t rec_q;

  // Placement state.
  logic [15:0]  seen_q;    // frame beats taken so far (the next one has this index)
  logic [15:0]  q0_q;      // index of the frame beat that completes output beat 0
  logic [15:0]  j_q, nout_q;  // output beats written, output beats in all
  logic [LogB-1:0] r_q;    // lane in the earlier frame beat where an output beat starts
  logic [W-1:0] prev_q;    // the frame beat before the head (zero before the first)
  logic [29:0]  a_q;       // ring offset of the next output beat (aligned)
  logic [30:0]  k0_q;      // payload index of lane 0 of the next output beat, + B
  logic [15:0]  plen_q;
  logic [63:0]  base_q;
  logic [29:0]  mask_q;

  logic is_place, is_exc;
  assign is_exc   = act_q == toe_rx_pkg::DO_EXC;
  assign is_place = act_q == toe_rx_pkg::DO_PLACE;

  // ---- placement: one output beat from prev_q and the head (or zeros past the end) ----
  logic          frame_left, emit_now, more_out;
  logic [W-1:0]  head, out_data;
  logic [B-1:0]  out_strb;

  assign frame_left = left_q != 16'd0;
  assign more_out   = j_q != nout_q;
  assign head       = frame_left ? buf_data_i : '0;
  // Output beat j is due once frame beat q0 + j is at the head (or the frame is over).
  assign emit_now   = is_place && more_out && (seen_q >= q0_q || !frame_left) &&
                      (!frame_left || buf_valid_i);

  always_comb begin
    for (int unsigned l = 0; l < B; l++) begin
      logic [LogB:0] src;
      logic signed [31:0] k;
      src = {1'b0, r_q} + (LogB + 1)'(l);
      out_data[8*l +: 8] = src[LogB] ? head[8*src[LogB-1:0] +: 8] : prev_q[8*src[LogB-1:0] +: 8];
      k = $signed({1'b0, k0_q}) - $signed(32'(B)) + $signed(32'(l));
      out_strb[l] = k >= 0 && k < $signed({16'd0, plen_q});
      if (!out_strb[l]) out_data[8*l +: 8] = 8'd0;
    end
  end

  assign wr_valid_o = active_q && emit_now;
  assign wr_addr_o  = base_q + {34'd0, a_q & mask_q};
  assign wr_data_o  = out_data;
  assign wr_strb_o  = out_strb;
  assign wr_last_o  = j_q == nout_q - 16'd1;

  logic wr_fire;
  assign wr_fire = wr_valid_o && wr_ready_i;

  // ---- taking beats from the buffer -----------------------------------------------------------
  logic beat_fire, last_beat, done;
  assign last_beat = left_q == 16'd1;
  always_comb begin
    beat_fire = 1'b0;
    if (active_q && frame_left && buf_valid_i) begin
      if (is_exc)        beat_fire = meta_sent_q && exc_tready_i;
      else if (is_place) beat_fire = emit_now ? wr_ready_i : (seen_q < q0_q || !more_out);
      else               beat_fire = 1'b1;
    end
  end
  // A frame whose first beat needs no output port (a drop, or a placement whose first
  // output beat waits for the second frame beat) takes that beat in the clock its
  // verdict is taken, if the frame before did not read the buffer in that clock: the
  // clock in which a placement writes its last output beat from prev_q alone is then
  // not lost to the buffer.
  logic take_first;
  logic [15:0] g, q0, nout;   // of the verdict on offer (below)
  assign buf_ready_o = beat_fire || take_first;

  logic frame_done;
  assign frame_done = !frame_left || (beat_fire && last_beat);
  assign done       = active_q && frame_done && (!is_exc || meta_sent_q) &&
                      (!is_place || !more_out || (wr_fire && wr_last_o && (!frame_left || last_beat)));

  // The next verdict is taken in the clock the current frame finishes: no idle clock
  // between frames.
  assign in_ready_o = !active_q || done;
  assign take_first = in_ready_o && in_valid_i && buf_valid_i && !beat_fire && in_i.beats != 16'd0 &&
                      (in_i.action == toe_rx_pkg::DO_DROP ||
                       (in_i.action == toe_rx_pkg::DO_PLACE && q0 != 16'd0));

  assign exc_valid_o  = active_q && is_exc && !meta_sent_q;
  assign exc_o        = rec_q;
  assign exc_tvalid_o = active_q && is_exc && meta_sent_q && frame_left && buf_valid_i;
  assign exc_tdata_o  = buf_data_i;
  assign exc_tlast_o  = last_beat;
  always_comb begin
    for (int unsigned l = 0; l < B; l++) exc_tkeep_o[l] = !last_beat || 16'(l) < tail_q;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q    <= 1'b0;
      meta_sent_q <= 1'b0;
    end else if (in_ready_o) begin
      active_q    <= in_valid_i;
      meta_sent_q <= 1'b0;
    end else if (exc_valid_o && exc_ready_i) begin
      meta_sent_q <= 1'b1;
    end
  end

  // Output beat 0 starts at the aligned ring offset below ring_off; its lane 0 is
  // payload index -(ring_off mod B), fed by frame byte G - B with G = pay_off + B -
  // (ring_off mod B) >= 0, i.e. lane r = G mod B of frame beat G/B - 1. It can go out
  // once frame beat q0 = G/B (the one after) is at the head.
  // Both fit 16 bits: pay_off < 256 and pay_len <= RX_MAX_FRAME.
  assign g    = {8'd0, in_i.pay_off} + 16'(B) - 16'(in_i.ring_off[LogB-1:0]);
  assign q0   = g >> LogB;
  // Output beats: ceil((ring_off mod B + pay_len) / B).
  assign nout = (16'(in_i.ring_off[LogB-1:0]) + in_i.pay_len + 16'(B - 1)) >> LogB;

  always_ff @(posedge clk_i) begin
    if (in_ready_o && in_valid_i) begin
      act_q         <= in_i.action;
      left_q        <= in_i.beats - 16'(take_first);
      tail_q        <= in_i.n - ((in_i.beats - 16'd1) << LogB);
      rec_q         <= '0;
      rec_q.reason  <= in_i.exc;
      rec_q.conn_id <= in_i.conn_id;
      rec_q.len     <= in_i.n;
      rec_q.l3_off  <= in_i.l3;
      rec_q.l4_off  <= in_i.l4;
      rec_q.tick    <= in_i.tick;
      seen_q        <= take_first ? 16'd1 : 16'd0;
      q0_q          <= q0;
      r_q           <= g[LogB-1:0];
      j_q           <= '0;
      nout_q        <= (in_i.action == toe_rx_pkg::DO_PLACE) ? nout : 16'd0;
      prev_q        <= take_first ? buf_data_i : '0;
      a_q           <= in_i.ring_off & ~30'(B - 1);
      k0_q          <= 31'(B) - 31'(in_i.ring_off[LogB-1:0]);
      plen_q        <= in_i.pay_len;
      base_q        <= in_i.buf_base;
      mask_q        <= (30'd1 << in_i.size_log2) - 30'd1;
    end else begin
      if (beat_fire) begin
        left_q <= left_q - 16'd1;
        seen_q <= seen_q + 16'd1;
        prev_q <= buf_data_i;
      end
      if (wr_fire) begin
        j_q  <= j_q + 16'd1;
        a_q  <= a_q + 30'(B);
        k0_q <= k0_q + 31'(B);
      end
    end
  end

  // One classification per frame, when its verdict is taken.
  assign cnt_exc_o  = (in_ready_o && in_valid_i && in_i.action == toe_rx_pkg::DO_EXC) ? in_i.exc : 8'd0;
  assign cnt_drop_o = (in_ready_o && in_valid_i && in_i.action == toe_rx_pkg::DO_DROP) ? in_i.drop : 8'd0;

endmodule
