// RX ingress: takes frames from the MAC, stores them in the frame buffer (store and
// forward: nothing is decided before the last byte and its checksum are in), keeps a
// copy of each frame's first CAP_BYTES bytes for the parser, and sums the frame on
// the way in.
//
// The running sum covers the frame from byte 0 up to the end of the IPv4 datagram
// (l3 + total length), so Ethernet padding never counts. The parser gets the TCP/UDP
// sum by taking away the sum of the bytes before the L4 header, which it computes from
// the captured head: one sum over the stream serves IPv4, TCP and UDP. The datagram's
// end is known from the captured head by the time the stream reaches it (the total
// length sits at byte 16 or 20, the end at byte 34 or later), because the sum runs one
// beat behind the capture.
module rx_ingress #(
  parameter int unsigned W = 64
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,

  input  logic [W-1:0]               rx_tdata_i,
  input  logic [W/8-1:0]             rx_tkeep_i,
  input  logic                       rx_tlast_i,
  input  logic                       rx_tvalid_i,
  output logic                       rx_tready_o,

  input  logic [31:0]                tick_i,   // tick count now

  output logic                       buf_valid_o,
  input  logic                       buf_ready_i,
  output logic [W-1:0]               buf_data_o,

  output logic                       frm_valid_o,
  input  logic                       frm_room_i,
  output toe_rx_pkg::rx_frame_t      frm_o,

  output logic                       sum_valid_o,
  input  logic                       sum_room_i,
  output logic [15:0]                sum_o,

  output logic                       arrive_o   // a frame's last beat was accepted
);
  localparam int unsigned B        = W / 8;
  localparam int unsigned CapBeats = (toe_rx_pkg::CAP_BYTES + B - 1) / B;
  localparam int unsigned CapW     = CapBeats * W;
  localparam int unsigned KeepW    = $clog2(B + 1);

  // ---- stage A: accept, store, capture ------------------------------------------------
  logic             fire, first_q;
  logic [15:0]      n_q, beat_q, stored_q;
  logic [CapW-1:0]  cap_q;
  logic [W-1:0]     keep_data;
  logic [KeepW-1:0] nkeep;
  logic             store;

  assign rx_tready_o = buf_ready_i && frm_room_i && sum_room_i;
  assign fire        = rx_tvalid_i && rx_tready_o;
  assign arrive_o    = fire && rx_tlast_i;

  always_comb begin
    nkeep = '0;
    for (int unsigned l = 0; l < B; l++) begin
      keep_data[8*l +: 8] = rx_tdata_i[8*l +: 8] & {8{rx_tkeep_i[l]}};
      nkeep = nkeep + KeepW'(rx_tkeep_i[l]);
    end
  end

  // Beats past RX_MAX_FRAME are not stored: such a frame is dropped anyway.
  logic [15:0] beat_idx;
  assign beat_idx = first_q ? 16'd0 : beat_q;
  assign store    = (nkeep != '0) && ({16'd0, beat_idx} * 32'(B) < toe_pkg::RX_MAX_FRAME);

  assign buf_valid_o = fire && store;
  assign buf_data_o  = keep_data;

  logic [16:0] n_next;
  assign n_next = (first_q ? 17'd0 : {1'b0, n_q}) + 17'(nkeep);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      first_q  <= 1'b1;
      n_q      <= '0;
      beat_q   <= '0;
      stored_q <= '0;
    end else if (fire) begin
      first_q  <= rx_tlast_i;
      n_q      <= n_next[16] ? 16'hFFFF : n_next[15:0];
      beat_q   <= (beat_idx == 16'hFFFF) ? beat_idx : beat_idx + 16'd1;
      stored_q <= (first_q ? 16'd0 : stored_q) + {15'd0, store};
    end
  end

  always_ff @(posedge clk_i) begin
    if (fire) begin
      if (first_q) begin
        cap_q <= CapW'(keep_data);  // a new frame: whatever the last one left is cleared
      end else if (beat_idx < 16'(CapBeats)) begin
        cap_q[beat_idx*W +: W] <= keep_data;
      end
    end
  end

  // ---- stage B: sum one beat behind, frame record at the last beat -------------------------
  logic          b_valid_q, b_first_q, b_last_q;
  logic [W-1:0]  b_data_q;
  logic [B-1:0]  b_keep_q;
  logic [15:0]   b_base_q;     // byte offset of the beat
  logic [31:0]   b_tick_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      b_valid_q <= 1'b0;
    end else begin
      b_valid_q <= fire;
    end
  end

  always_ff @(posedge clk_i) begin
    if (fire) begin
      b_first_q <= first_q;
      b_last_q  <= rx_tlast_i;
      b_data_q  <= keep_data;
      b_keep_q  <= rx_tkeep_i;
      b_base_q  <= (beat_idx < 16'(32'hFFFF / B)) ? beat_idx * 16'(B) : 16'hFFFF;
      b_tick_q  <= tick_i;
    end
  end

  // Where the datagram ends, once the head shows it (cap_q and n_q now include the
  // beat in stage B and nothing later).
  logic        vlan, known;
  logic [15:0] l3, total, dgram_end;
  assign vlan      = (n_q >= 16'd14) && cap_q[8*12 +: 8] == 8'h81 && cap_q[8*13 +: 8] == 8'h00;
  assign l3        = vlan ? 16'd18 : 16'd14;
  assign total     = {cap_q[8*({16'd0, l3} + 2) +: 8], cap_q[8*({16'd0, l3} + 3) +: 8]};
  assign known     = (n_q >= l3 + 16'd4);
  assign dgram_end = l3 + total;

  logic signed [17:0] rel_end;
  logic [B-1:0]       sum_mask;
  assign rel_end = $signed({2'b00, dgram_end}) - $signed({2'b00, b_base_q});

  always_comb begin
    for (int unsigned l = 0; l < B; l++) begin
      sum_mask[l] = b_keep_q[l] && (!known || $signed(18'(l)) < rel_end);
    end
  end

  toe_csum #(.W(W)) u_sum (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .valid_i     (b_valid_q),
    .first_i     (b_first_q),
    .last_i      (b_last_q),
    .data_i      (b_data_q),
    .mask_i      (sum_mask),
    .sum_valid_o (sum_valid_o),
    .sum_o       (sum_o)
  );

  assign frm_valid_o    = b_valid_q && b_last_q;
  assign frm_o.cap      = cap_q[toe_rx_pkg::CAP_BYTES*8-1:0];
  assign frm_o.n        = n_q;
  assign frm_o.too_long = ({16'd0, n_q} > toe_pkg::RX_MAX_FRAME);
  assign frm_o.beats    = stored_q;
  assign frm_o.tick     = b_tick_q;

endmodule
