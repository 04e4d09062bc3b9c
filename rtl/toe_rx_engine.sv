// OpenTOE RX engine (docs/rx-datapath.md).
//
//   rx --> rx_ingress --> frame buffer ---------------------------> rx_dispatch --> exceptions
//          (store, capture  \-> frame records + ingress sums --> rx_parse --^      (record + frame)
//           the head, sum)                                      (verdict)           counters
//
// This first part parses and verifies every frame and carries out the verdicts that
// need no connection state: drops (counted per cause) and exceptions (the whole frame
// with its reason). The connection table, the fast path, ACK generation and incoming-ACK
// processing are the next steps; until then every TCP segment that passes the checks
// goes up as NO_CONN, which is what the contract says for an empty table.
module toe_rx_engine #(
  parameter int unsigned W = 64
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  input  logic [W-1:0]              rx_tdata_i,
  input  logic [W/8-1:0]            rx_tkeep_i,
  input  logic                      rx_tlast_i,
  input  logic                      rx_tvalid_i,
  output logic                      rx_tready_o,

  input  logic                      tick_i,
  input  logic [31:0]               ts_now_i,

  output logic                      exc_valid_o,
  input  logic                      exc_ready_i,
  output toe_pkg::rx_exc_t          exc_o,

  output logic [W-1:0]              exc_tdata_o,
  output logic [W/8-1:0]            exc_tkeep_o,
  output logic                      exc_tlast_o,
  output logic                      exc_tvalid_o,
  input  logic                      exc_tready_i,

  output logic [toe_pkg::RX_CNT_NUM*32-1:0] cnt_o
);
  localparam int unsigned B = W / 8;
  localparam int unsigned BufDepth = 32'(toe_pkg::FRAME_BUF_BYTES) / B;

  if (W != 64 && W != 128 && W != 256 && W != 512) begin : g_bad_width
    $error("W must be 64, 128, 256 or 512");
  end

  // Ticks since reset: the time base of every arrival (docs/rx-datapath.md, "Order").
  logic [31:0] now_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)     now_q <= '0;
    else if (tick_i) now_q <= now_q + 32'd1;
  end
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
    .ts_now_i    (ts_now_i),
    .buf_valid_o (bufw_valid),
    .buf_ready_i (bufw_ready),
    .buf_data_o  (bufw_data),
    .frm_valid_o (frm_valid),
    .frm_room_i  (!frm_af),
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

  logic [7:0] cnt_exc, cnt_drop;

  rx_dispatch #(.W(W)) u_dispatch (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .in_valid_i   (prs_valid),
    .in_ready_o   (prs_ready),
    .in_i         (prs),
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
    .cnt_exc_o    (cnt_exc),
    .cnt_drop_o   (cnt_drop)
  );

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

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else begin
      if (arrive) begin
        cnt_q[32*toe_pkg::RX_CNT_FRAMES +: 32] <= cnt_q[32*toe_pkg::RX_CNT_FRAMES +: 32] + 32'd1;
      end
      if (rx_tvalid_i && rx_tready_o) begin
        cnt_q[32*toe_pkg::RX_CNT_BYTES +: 32] <= cnt_q[32*toe_pkg::RX_CNT_BYTES +: 32] + 32'(nkeep);
      end
      if (cnt_exc != 8'd0) begin
        cnt_q[32*toe_pkg::RX_CNT_EXC +: 32] <= cnt_q[32*toe_pkg::RX_CNT_EXC +: 32] + 32'd1;
      end
      if (cnt_drop != 8'd0) begin
        cnt_q[32*toe_pkg::RX_CNT_DROPS +: 32] <= cnt_q[32*toe_pkg::RX_CNT_DROPS +: 32] + 32'd1;
      end
      for (int unsigned r = 1; r <= 32'(toe_pkg::RX_EXC_BUF_FULL); r++) begin
        if (cnt_exc == 8'(r)) cnt_q[32*(ExcBase + r) +: 32] <= cnt_q[32*(ExcBase + r) +: 32] + 32'd1;
      end
      for (int unsigned r = 1; r <= 32'(toe_pkg::RX_DROP_UDP_CSUM); r++) begin
        if (cnt_drop == 8'(r)) cnt_q[32*(DropBase + r) +: 32] <= cnt_q[32*(DropBase + r) +: 32] + 32'd1;
      end
    end
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_signals;
  assign unused_signals = ^{buf_af, frmq_wr_ready, sumq_wr_ready};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule
