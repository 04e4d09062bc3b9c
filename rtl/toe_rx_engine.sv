// OpenTOE RX engine (docs/rx-datapath.md).
//
//   rx --> rx_ingress --> frame buffer ---------------------------------------> rx_dispatch --> exceptions,
//          (store, capture \-> frame records + sums -> rx_parse -> rx_conn -------^ (drop, hand up,   DMA writes
//           the head, sum)                            (verdict)  (table, TCP rules,  place payload)
//                                                                 ACK policy, ticks) --> events, responses,
//   commands, ticks ------------------------------------------------^                  rx_ack_build --> ACK frames
//
// Every input is handled in arrival order (ticks, frames, commands): an order queue
// records the arrivals and rx_conn takes them one by one; frames the connection stage
// has decided on go on to dispatch in the same order as their beats sit in the buffer.
module toe_rx_engine #(
  parameter int unsigned W = 64,
  parameter int unsigned ConnMax = 4096,
  parameter bit          Warp = 1'b1      // idle warp for virtual time (see rx_conn)
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  input  logic [W-1:0]              rx_tdata_i,
  input  logic [W/8-1:0]            rx_tkeep_i,
  input  logic                      rx_tlast_i,
  input  logic                      rx_tvalid_i,
  output logic                      rx_tready_o,

  input  logic                      tick_i,
  input  logic [31:0]               cfg_delack_ticks_i,
  input  logic [31:0]               cfg_coalesce_bytes_i,
  input  logic [31:0]               cfg_ts_ticks_i,

  input  logic                      cmd_valid_i,
  output logic                      cmd_ready_o,
  input  toe_pkg::conn_cmd_t        cmd_i,
  input  toe_pkg::rx_ctx_t          cmd_ctx_i,

  output logic                      rsp_valid_o,
  input  logic                      rsp_ready_i,
  output toe_pkg::conn_rsp_t        rsp_o,
  output toe_pkg::rx_ctx_t          rsp_ctx_o,

  output logic                      ev_valid_o,
  input  logic                      ev_ready_i,
  output toe_pkg::rx_event_t        ev_o,

  output logic [W-1:0]              ack_tdata_o,
  output logic [W/8-1:0]            ack_tkeep_o,
  output logic                      ack_tlast_o,
  output logic                      ack_tvalid_o,
  input  logic                      ack_tready_i,

  output logic                      wr_valid_o,
  input  logic                      wr_ready_i,
  output logic [63:0]               wr_addr_o,
  output logic [W-1:0]              wr_data_o,
  output logic [W/8-1:0]            wr_strb_o,
  output logic                      wr_last_o,

  output logic                      exc_valid_o,
  input  logic                      exc_ready_i,
  output toe_pkg::rx_exc_t          exc_o,

  output logic [W-1:0]              exc_tdata_o,
  output logic [W/8-1:0]            exc_tkeep_o,
  output logic                      exc_tlast_o,
  output logic                      exc_tvalid_o,
  input  logic                      exc_tready_i,

  output logic [toe_pkg::RX_CNT_NUM*32-1:0] cnt_o,

  // Virtual time (additive; tie warp_i low where unused). idle_o: the engine has had
  // nothing in flight for QuietClocks clocks and no connection has tick work, so a
  // tick would only count; then warp_i takes warp_n_i such ticks in one clock.
  input  logic                      warp_i,
  input  logic [31:0]               warp_n_i,
  output logic                      warp_ok_o,
  output logic                      quiet_o,   // nothing in flight (tick work may wait)
  output logic                      idle_o,
  output logic [31:0]               now_o,     // ticks taken (FW_NOW_TICK)
  output logic [31:0]               ts_o,      // the timestamp clock (TSval)
  // One clock per payload placement decided; each is one burst on wr_* ending with
  // wr_last_o, after any event made with it (a shell that keeps events behind the data
  // they report counts both).
  output logic                      placed_o
);
  localparam int unsigned B = W / 8;
  localparam int unsigned BufDepth = 32'(toe_pkg::FRAME_BUF_BYTES) / B;

  if (W != 64 && W != 128 && W != 256 && W != 512) begin : g_bad_width
    $error("W must be 64, 128, 256 or 512");
  end

  // Ticks since reset: the time base of every arrival (docs/rx-datapath.md, "Order").
  logic [31:0] now_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)        now_q <= '0;
    else if (tick_i)    now_q <= now_q + 32'd1;
    else if (warp_take) now_q <= now_q + warp_n_i;
  end
  logic warp_take;  // an idle warp is taken (below)
  // A tick and a frame in the same cycle: the tick comes first.
  logic [31:0] now_in;
  assign now_in = tick_i ? now_q + 32'd1 : now_q;

  // ---- ingress ---------------------------------------------------------------------------
  // Queue flags nobody needs: the frame buffer's and the queues' own ready signals are
  // covered by the almost-full margins that gate the ingress.
  logic buf_af, frmq_wr_ready, sumq_wr_ready;
  logic                  bufw_valid, bufw_ready, bufr_valid, bufr_ready;
  logic [W-1:0]          bufw_data, bufr_data;
  logic                  frm_valid, frm_af, frmq_valid, frmq_pop;
  toe_rx_pkg::rx_frame_t frm, frmq;
  logic                  sum_valid, sum_af, sumq_valid;
  logic [15:0]           sum, sumq;
  logic                  arrive;

  rx_ingress #(.W(W)) u_ingress (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .rx_tdata_i  (rx_tdata_i),
    .rx_tkeep_i  (rx_tkeep_i),
    .rx_tlast_i  (rx_tlast_i),
    .rx_tvalid_i (rx_tvalid_i),
    .rx_tready_o (rx_tready_o),
    .tick_i      (now_in),
    .buf_valid_o (bufw_valid),
    .buf_ready_i (bufw_ready),
    .buf_data_o  (bufw_data),
    .frm_valid_o (frm_valid),
    .frm_room_i  (!frm_af && !ord_af),
    .frm_o       (frm),
    .sum_valid_o (sum_valid),
    .sum_room_i  (!sum_af),
    .sum_o       (sum),
    .arrive_o    (arrive)
  );

  toe_fifo #(.Width(W), .Depth(BufDepth)) u_frame_buf (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (bufw_valid),
    .wr_ready_o    (bufw_ready),
    .wr_data_i     (bufw_data),
    .rd_valid_o    (bufr_valid),
    .rd_ready_i    (bufr_ready),
    .rd_data_o     (bufr_data),
    .almost_full_o (buf_af)
  );

  // A record is written one clock after its last beat; the sum four clocks after that.
  toe_fifo #(.Width($bits(frm)), .Depth(8), .AlmostFullMargin(2)) u_frm_fifo (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (frm_valid),
    .wr_ready_o    (frmq_wr_ready),
    .wr_data_i     (frm),
    .rd_valid_o    (frmq_valid),
    .rd_ready_i    (frmq_pop),
    .rd_data_o     (frmq),
    .almost_full_o (frm_af)
  );

  toe_fifo #(.Width(16), .Depth(16), .AlmostFullMargin(7)) u_sum_fifo (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (sum_valid),
    .wr_ready_o    (sumq_wr_ready),
    .wr_data_i     (sum),
    .rd_valid_o    (sumq_valid),
    .rd_ready_i    (frmq_pop),
    .rd_data_o     (sumq),
    .almost_full_o (sum_af)
  );

  // ---- parse and dispatch -------------------------------------------------------------------
  logic                   prs_valid, prs_ready;
  toe_rx_pkg::rx_parsed_t prs;

  rx_parse u_parse (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .frm_valid_i (frmq_valid),
    .frm_ready_o (frmq_pop),
    .frm_i       (frmq),
    .sum_valid_i (sumq_valid),
    .sum_i       (sumq),
    .out_valid_o (prs_valid),
    .out_ready_i (prs_ready),
    .out_o       (prs)
  );

  // ---- arrival order --------------------------------------------------------------------
  // One entry per cycle with a frame or command arrival, carrying the ticks that came
  // before it; ticks after the newest entry wait in ticks_pend_q.
  logic        ord_push, ord_af, ord_wr_ready, ordq_valid, ordq_pop, tick_take;
  logic [33:0] ordq;
  logic [31:0] ticks_pend_q;
  logic [6:0]  ord_cnt_q;   // entries written and not yet taken
  logic        cmd_take;

  assign ord_push = arrive || cmd_take;

  toe_fifo #(.Width(34), .Depth(32), .AlmostFullMargin(4)) u_ord_fifo (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (ord_push),
    .wr_ready_o    (ord_wr_ready),
    .wr_data_i     ({ticks_pend_q + {31'd0, tick_i}, arrive, cmd_take}),
    .rd_valid_o    (ordq_valid),
    .rd_ready_i    (ordq_pop),
    .rd_data_o     (ordq),
    .almost_full_o (ord_af)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ticks_pend_q <= '0;
      ord_cnt_q    <= '0;
    end else begin
      ticks_pend_q <= ord_push ? 32'd0 : ticks_pend_q + {31'd0, tick_i} - {31'd0, tick_take};
      ord_cnt_q    <= ord_cnt_q + {6'd0, ord_push} - {6'd0, ordq_valid && ordq_pop};
    end
  end

  // ---- commands ----------------------------------------------------------------------------
  logic                  cmdq_valid, cmdq_pop, cmdq_wr_ready, cmdq_af;
  toe_pkg::conn_cmd_t    cmdq_cmd;
  toe_pkg::rx_ctx_t      cmdq_ctx;

  assign cmd_ready_o = cmdq_wr_ready && !ord_af;
  assign cmd_take    = cmd_valid_i && cmd_ready_o;

  toe_fifo #(.Width($bits(cmd_i) + $bits(cmd_ctx_i)), .Depth(4)) u_cmd_fifo (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (cmd_take),
    .wr_ready_o    (cmdq_wr_ready),
    .wr_data_i     ({cmd_i, cmd_ctx_i}),
    .rd_valid_o    (cmdq_valid),
    .rd_ready_i    (cmdq_pop),
    .rd_data_o     ({cmdq_cmd, cmdq_ctx}),
    .almost_full_o (cmdq_af)
  );

  // ---- the connection stage ------------------------------------------------------------------
  logic                    vd_valid, vd_ready;
  toe_rx_pkg::rx_verdict_t vd;
  logic                    ackr_valid, ackr_ready;
  toe_rx_pkg::rx_ack_req_t ackr;
  logic                    c_acks_in, c_dupack_in, c_placed, c_event, c_cmd, c_cmd_err;
  logic [15:0]             c_placed_bytes;
  logic [7:0]              c_ack_why;

  logic                    c_busy, c_active, c_work, c_warp_ok;

  rx_conn #(.ConnMax(ConnMax), .Warp(Warp)) u_conn (
    .clk_i                (clk_i),
    .rst_ni               (rst_ni),
    .cfg_delack_ticks_i   (cfg_delack_ticks_i),
    .cfg_coalesce_bytes_i (cfg_coalesce_bytes_i),
    .cfg_ts_ticks_i       (cfg_ts_ticks_i),
    .ord_valid_i          (ordq_valid),
    .ord_ready_o          (ordq_pop),
    .ord_ticks_i          (ordq[33:2]),
    .ord_frame_i          (ordq[1]),
    .ord_cmd_i            (ordq[0]),
    // Ticks newer than a queued entry must wait for it.
    .ticks_pend_i         ((ord_cnt_q == 7'd0 && !ord_push) ? ticks_pend_q : 32'd0),
    .tick_take_o          (tick_take),
    .warp_i               (warp_take),
    .warp_n_i             (warp_n_i),
    .warp_ok_o            (c_warp_ok),
    .busy_o               (c_busy),
    .active_o             (c_active),
    .work_o               (c_work),
    .now_o                (now_o),
    .ts_o                 (ts_o),
    .seg_valid_i          (prs_valid),
    .seg_ready_o          (prs_ready),
    .seg_i                (prs),
    .cmd_valid_i          (cmdq_valid),
    .cmd_ready_o          (cmdq_pop),
    .cmd_i                (cmdq_cmd),
    .cmd_ctx_i            (cmdq_ctx),
    .vd_valid_o           (vd_valid),
    .vd_ready_i           (vd_ready),
    .vd_o                 (vd),
    .ev_valid_o           (ev_valid_o),
    .ev_ready_i           (ev_ready_i),
    .ev_o                 (ev_o),
    .ack_valid_o          (ackr_valid),
    .ack_ready_i          (ackr_ready),
    .ack_o                (ackr),
    .rsp_valid_o          (rsp_valid_o),
    .rsp_ready_i          (rsp_ready_i),
    .rsp_o                (rsp_o),
    .rsp_ctx_o            (rsp_ctx_o),
    .c_acks_in_o          (c_acks_in),
    .c_dupack_in_o        (c_dupack_in),
    .c_placed_o           (c_placed),
    .c_placed_bytes_o     (c_placed_bytes),
    .c_ack_why_o          (c_ack_why),
    .c_event_o            (c_event),
    .c_cmd_o              (c_cmd),
    .c_cmd_err_o          (c_cmd_err)
  );

  rx_ack_build #(.W(W)) u_ack (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .req_valid_i (ackr_valid),
    .req_ready_o (ackr_ready),
    .req_i       (ackr),
    .tdata_o     (ack_tdata_o),
    .tkeep_o     (ack_tkeep_o),
    .tlast_o     (ack_tlast_o),
    .tvalid_o    (ack_tvalid_o),
    .tready_i    (ack_tready_i)
  );

  logic [7:0] cnt_exc, cnt_drop;

  rx_dispatch #(.W(W)) u_dispatch (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .in_valid_i   (vd_valid),
    .in_ready_o   (vd_ready),
    .in_i         (vd),
    .buf_valid_i  (bufr_valid),
    .buf_ready_o  (bufr_ready),
    .buf_data_i   (bufr_data),
    .exc_valid_o  (exc_valid_o),
    .exc_ready_i  (exc_ready_i),
    .exc_o        (exc_o),
    .exc_tdata_o  (exc_tdata_o),
    .exc_tkeep_o  (exc_tkeep_o),
    .exc_tlast_o  (exc_tlast_o),
    .exc_tvalid_o (exc_tvalid_o),
    .exc_tready_i (exc_tready_i),
    .wr_valid_o   (wr_valid_o),
    .wr_ready_i   (wr_ready_i),
    .wr_addr_o    (wr_addr_o),
    .wr_data_o    (wr_data_o),
    .wr_strb_o    (wr_strb_o),
    .wr_last_o    (wr_last_o),
    .cnt_exc_o    (cnt_exc),
    .cnt_drop_o   (cnt_drop)
  );

  // ---- quiet and warp --------------------------------------------------------------------
  // Stages hand over with gaps of a few clocks (a record one clock after its frame's last
  // beat, the sum four after that): the engine counts as quiet once no stage has moved
  // anything for QuietClocks clocks. Handshakes count, not valids: an engine whose
  // outputs wait for their consumers is quiet (it can do nothing until they take them).
  localparam logic [3:0] QuietClocks = 4'd15;
  logic       any_activity;
  logic [3:0] quiet_cnt_q;
  assign any_activity = (rx_tvalid_i && rx_tready_o) || tick_i || tick_take || frm_valid || sum_valid ||
                        (bufw_valid && bufw_ready) || (bufr_valid && bufr_ready) ||
                        (frmq_valid && frmq_pop) || (prs_valid && prs_ready) ||
                        (ordq_valid && ordq_pop) || (cmdq_valid && cmdq_pop) ||
                        (cmd_valid_i && cmd_ready_o) || (vd_valid && vd_ready) ||
                        (ackr_valid && ackr_ready) || (ack_tvalid_o && ack_tready_i) ||
                        (ev_valid_o && ev_ready_i) || (wr_valid_o && wr_ready_i) ||
                        (exc_valid_o && exc_ready_i) || (exc_tvalid_o && exc_tready_i) ||
                        (rsp_valid_o && rsp_ready_i) || c_active;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)           quiet_cnt_q <= QuietClocks;
    else if (any_activity) quiet_cnt_q <= QuietClocks;
    else if (quiet_cnt_q != 4'd0) quiet_cnt_q <= quiet_cnt_q - 4'd1;
  end
  assign quiet_o   = quiet_cnt_q == 4'd0 && !any_activity;
  assign idle_o    = quiet_o && !c_work;
  assign warp_ok_o = idle_o && c_warp_ok;
  assign warp_take = warp_i && warp_ok_o && warp_n_i != 32'd0;

  assign placed_o = c_placed;

  // ---- counters -------------------------------------------------------------------------
  localparam int unsigned KeepW = $clog2(B + 1);
  logic [KeepW-1:0] nkeep;
  always_comb begin
    nkeep = '0;
    for (int unsigned l = 0; l < B; l++) nkeep = nkeep + KeepW'(rx_tkeep_i[l]);
  end

  logic [toe_pkg::RX_CNT_NUM*32-1:0] cnt_q;
  assign cnt_o = cnt_q;

  // Counter index of an exception or drop reason (formats.md: the EXC_* and DROP_*
  // counters follow the reasons' order).
  localparam int unsigned ExcBase  = toe_pkg::RX_CNT_EXC_NOT_IPV4 - 1;
  localparam int unsigned DropBase = toe_pkg::RX_CNT_DROP_RUNT - 1;
  localparam int unsigned AckBase  = toe_pkg::RX_CNT_ACK_EVERY2 - 1;

  // What each counter gains this cycle; all are added at once.
  logic [toe_pkg::RX_CNT_NUM*32-1:0] inc;
  always_comb begin
    inc = '0;
    inc[32*toe_pkg::RX_CNT_FRAMES +: 32]     = 32'(arrive);
    inc[32*toe_pkg::RX_CNT_BYTES +: 32]      = (rx_tvalid_i && rx_tready_o) ? 32'(nkeep) : 32'd0;
    inc[32*toe_pkg::RX_CNT_EXC +: 32]        = 32'(cnt_exc != 8'd0);
    inc[32*toe_pkg::RX_CNT_DROPS +: 32]      = 32'(cnt_drop != 8'd0);
    inc[32*toe_pkg::RX_CNT_ACKS_IN +: 32]    = 32'(c_acks_in);
    inc[32*toe_pkg::RX_CNT_DUPACKS_IN +: 32] = 32'(c_dupack_in);
    inc[32*toe_pkg::RX_CNT_FAST_SEGS +: 32]  = 32'(c_placed);
    inc[32*toe_pkg::RX_CNT_FAST_BYTES +: 32] = c_placed ? {16'd0, c_placed_bytes} : 32'd0;
    inc[32*toe_pkg::RX_CNT_ACKS_OUT +: 32]   = 32'(c_ack_why != 8'd0);
    inc[32*toe_pkg::RX_CNT_EVENTS +: 32]     = 32'(c_event);
    inc[32*toe_pkg::RX_CNT_CMDS +: 32]       = 32'(c_cmd);
    inc[32*toe_pkg::RX_CNT_CMD_ERRORS +: 32] = 32'(c_cmd_err);
    for (int unsigned r = 1; r <= 32'(toe_pkg::RX_EXC_BUF_FULL); r++) begin
      inc[32*(ExcBase + r) +: 32] = 32'(cnt_exc == 8'(r));
    end
    for (int unsigned r = 1; r <= 32'(toe_pkg::RX_DROP_UDP_CSUM); r++) begin
      inc[32*(DropBase + r) +: 32] = 32'(cnt_drop == 8'(r));
    end
    for (int unsigned r = 1; r <= 32'(toe_pkg::ACK_WHY_HOST); r++) begin
      inc[32*(AckBase + r) +: 32] = 32'(c_ack_why == 8'(r));
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else begin
      for (int unsigned i = 0; i < toe_pkg::RX_CNT_NUM; i++) begin
        cnt_q[32*i +: 32] <= cnt_q[32*i +: 32] + inc[32*i +: 32];
      end
    end
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_signals;
  assign unused_signals = ^{buf_af, frmq_wr_ready, sumq_wr_ready, ord_wr_ready, cmdq_af, c_busy};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule
