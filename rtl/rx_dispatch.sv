// RX dispatch: carries out the parser's verdict on the stored frame - drops it, or
// hands it to the host whole behind an rx_exc record (docs/rx-datapath.md) - and keeps
// the classification counters.
//
// Until the connection stage exists, a TCP segment that passed every check (ACT_CONN)
// finds no connection and is an exception NO_CONN, as it is for an empty table.
module rx_dispatch #(
  parameter int unsigned W = 64
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,

  input  logic                        in_valid_i,
  output logic                        in_ready_o,
  input  toe_rx_pkg::rx_parsed_t      in_i,

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

  output logic [7:0]                  cnt_exc_o,   // RX_EXC_* of a frame handed up, or 0
  output logic [7:0]                  cnt_drop_o   // RX_DROP_* of a frame dropped, or 0
);
  localparam int unsigned B    = W / 8;
  localparam int unsigned LogB = $clog2(B);

  // ---- the verdict of the frame at the head -----------------------------------------------
  logic       active_q, meta_sent_q, exc_q;
  logic [15:0] left_q;   // beats of the frame still in the buffer
  logic [15:0] tail_q;   // bytes in the frame's last beat
  toe_pkg::rx_exc_t rec_q;

  logic [7:0] reason;
  logic       is_exc;
  assign is_exc = in_i.action != toe_rx_pkg::ACT_DROP;
  assign reason = (in_i.action == toe_rx_pkg::ACT_CONN) ? toe_pkg::RX_EXC_NO_CONN : in_i.reason;

  logic beat_fire, last_beat, done;
  assign last_beat = (left_q == 16'd1);
  // A dropped frame's beats are discarded one per clock; an exception's go out after
  // its record.
  assign beat_fire   = active_q && left_q != 16'd0 && buf_valid_i &&
                       (!exc_q || (meta_sent_q && exc_tready_i));
  assign buf_ready_o = beat_fire;
  assign done        = active_q && (left_q == 16'd0 || (beat_fire && last_beat)) &&
                       (!exc_q || meta_sent_q);

  assign in_ready_o = !active_q;

  assign exc_valid_o  = active_q && exc_q && !meta_sent_q;
  assign exc_o        = rec_q;
  assign exc_tvalid_o = active_q && exc_q && meta_sent_q && left_q != 16'd0 && buf_valid_i;
  assign exc_tdata_o  = buf_data_i;
  assign exc_tlast_o  = last_beat;
  always_comb begin
    for (int unsigned l = 0; l < B; l++) begin
      exc_tkeep_o[l] = !last_beat || 16'(l) < tail_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q    <= 1'b0;
      meta_sent_q <= 1'b0;
    end else if (!active_q) begin
      active_q    <= in_valid_i;
      meta_sent_q <= 1'b0;
    end else begin
      if (exc_valid_o && exc_ready_i) meta_sent_q <= 1'b1;
      if (done) active_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!active_q && in_valid_i) begin
      exc_q          <= is_exc;
      left_q         <= in_i.beats;
      tail_q         <= in_i.n - ((in_i.beats - 16'd1) << LogB);
      rec_q          <= '0;
      rec_q.reason   <= reason;
      rec_q.conn_id  <= 16'hFFFF;
      rec_q.len      <= in_i.n;
      rec_q.l3_off   <= in_i.l3;
      rec_q.l4_off   <= in_i.l4;
      rec_q.tick     <= in_i.tick;
    end else if (beat_fire) begin
      left_q <= left_q - 16'd1;
    end
  end

  // One classification per frame, when its verdict is taken.
  assign cnt_exc_o  = (!active_q && in_valid_i && is_exc) ? reason : 8'd0;
  assign cnt_drop_o = (!active_q && in_valid_i && !is_exc) ? in_i.reason : 8'd0;

  // The TCP fields wait for the connection stage.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_fields;
  assign unused_fields = ^{in_i.ts, in_i.src_ip, in_i.dst_ip, in_i.src_port, in_i.dst_port,
                           in_i.seq, in_i.ack, in_i.wnd, in_i.tcp_flags, in_i.pay_off,
                           in_i.pay_len, in_i.has_ts, in_i.other_opts, in_i.tsval, in_i.tsecr};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule
