// OpenTOE TX engine: checksum offload and TCP segmentation (TSO).
//
// One descriptor (with its connection context) in, Ethernet frames out:
//
//   cmd -> tx_cmd_stage -> job FIFO ------------------------> tx_hdr_prep -> tx_frame_emit -> tx
//           (checks)        \                                  ^   (headers,      ^  (realign,
//                            -> tx_dma_plan -> DMA read req    |    checksums)    |   patch, cpl,
//                               (one read      DMA read data -> tx_payload_buf ---+   counters)
//                                per segment)                   (frame buffer + sums)
//
// docs/tx-datapath.md is the behaviour contract, shared with the C model
// (sim/model/toe_tx_model.c). W is the datapath width in bits (64, 128, 256, 512).
// A completion leaves after the last beat of its descriptor's last frame has been
// accepted on tx (the completion queue adds a cycle or more), so a driver that sees it
// knows the frames are out and the buffer is free.
module toe_tx_engine #(
  parameter int unsigned W = 64,
  parameter int unsigned JobDepth = 16,  // descriptors between intake and header stage
  parameter int unsigned SegDepth = 16   // DMA reads in flight
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  input  logic [63:0]               dma_lo_i,
  input  logic [63:0]               dma_hi_i,
  input  logic [31:0]               ts_now_i,

  input  logic                      cmd_valid_i,
  output logic                      cmd_ready_o,
  input  toe_pkg::tx_desc_t         cmd_desc_i,
  input  toe_pkg::tx_ctx_t          cmd_ctx_i,

  output logic                      rd_req_valid_o,
  input  logic                      rd_req_ready_i,
  output logic [63:0]               rd_req_addr_o,
  output logic [15:0]               rd_req_len_o,

  input  logic [W-1:0]              rd_tdata_i,
  input  logic [W/8-1:0]            rd_tkeep_i,
  input  logic                      rd_tlast_i,
  input  logic                      rd_tvalid_i,
  output logic                      rd_tready_o,

  output logic [W-1:0]              tx_tdata_o,
  output logic [W/8-1:0]            tx_tkeep_o,
  output logic                      tx_tlast_o,
  output logic                      tx_tvalid_o,
  input  logic                      tx_tready_i,

  output logic                      cpl_valid_o,
  input  logic                      cpl_ready_i,
  output toe_pkg::tx_cpl_t          cpl_o,

  output logic [toe_pkg::TX_CNT_NUM*32-1:0] cnt_o
);
  localparam int unsigned B = W / 8;
  localparam int unsigned BufDepth = 32'(toe_pkg::FRAME_BUF_BYTES) / B;

  // Queue flags nobody needs: only the sums queue's fill level gates its producer,
  // and its almost-full margin covers every sum still in the checksum pipeline. The
  // descriptor fields listed are read by other stages from the job queue.
  logic jobq_af, infoq_af, buf_af, sumsq_wr_ready_unused, cplq_af;
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_signals;
  assign unused_signals = ^{jobq_af, infoq_af, buf_af, sumsq_wr_ready_unused, cplq_af,
                            job_desc.seq, job_desc.conn_id, job_desc.tag, job_desc.tcp_flags,
                            job_desc.rsvd0, job_desc.urg_ptr, job_desc.ip_id, job_desc.rsvd1, job_desc.len[31:17]};
  /* verilator lint_on UNUSEDSIGNAL */

  // The internal tokens carry the host formats as vectors (see toe_tx_pkg).
  if (toe_pkg::TX_DESC_BITS != toe_tx_pkg::DESC_BITS || toe_pkg::TX_CTX_BITS != toe_tx_pkg::CTX_BITS ||
      toe_pkg::TX_CPL_BITS != toe_tx_pkg::CPL_BITS) begin : g_format_width_mismatch
    $error("toe_tx_pkg format widths differ from toe_pkg");
  end
  // The frame buffer must hold the largest segment while the next one arrives.
  if (32'(toe_pkg::FRAME_BUF_BYTES) < 32'(toe_pkg::RAW_MAX_LEN) + B) begin : g_buffer_too_small
    $error("FRAME_BUF_BYTES cannot hold the largest frame");
  end
  if (W != 64 && W != 128 && W != 256 && W != 512) begin : g_bad_width
    $error("W must be 64, 128, 256 or 512");
  end

  // ---- intake and checks -------------------------------------------------------------
  logic                job_valid, job_ready;
  toe_tx_pkg::tx_job_t job;
  toe_pkg::tx_desc_t   job_desc;
  assign job_desc = job.desc;

  tx_cmd_stage u_cmd (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .dma_lo_i    (dma_lo_i),
    .dma_hi_i    (dma_hi_i),
    .ts_now_i    (ts_now_i),
    .cmd_valid_i (cmd_valid_i),
    .cmd_ready_o (cmd_ready_o),
    .cmd_desc_i  (cmd_desc_i),
    .cmd_ctx_i   (cmd_ctx_i),
    .job_valid_o (job_valid),
    .job_ready_i (job_ready),
    .job_o       (job)
  );

  // A job goes to the header stage's queue and, if it reads memory, to the planner,
  // in the same cycle.
  logic need_plan, jobq_ready, plan_ready;
  assign need_plan = (job.status == toe_pkg::TX_STATUS_OK) && (job_desc.len != 32'd0);
  assign job_ready = jobq_ready && (!need_plan || plan_ready);

  logic                jobq_valid, jobq_pop;
  toe_tx_pkg::tx_job_t jobq_data;

  toe_fifo #(.Width($bits(job)), .Depth(JobDepth)) u_job_fifo (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (job_valid && (!need_plan || plan_ready)),
    .wr_ready_o    (jobq_ready),
    .wr_data_i     (job),
    .rd_valid_o    (jobq_valid),
    .rd_ready_i    (jobq_pop),
    .rd_data_o     (jobq_data),
    .almost_full_o (jobq_af)
  );

  // ---- DMA reads -----------------------------------------------------------------------
  logic                     info_valid, info_ready;
  toe_tx_pkg::tx_seg_info_t info;

  tx_dma_plan u_plan (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .in_valid_i      (job_valid && need_plan && jobq_ready),
    .in_ready_o      (plan_ready),
    .in_raw_i        (job_desc.op == toe_pkg::TX_OP_RAW),
    .in_addr_i       (job_desc.buf_addr),
    .in_len_i        (job_desc.len[16:0]),
    .in_smax_i       (job.smax),
    .in_l3_off_i     (job_desc.l3_off),
    .in_l4_off_i     (job_desc.l4_off),
    .in_csum_flags_i (job_desc.csum_flags),
    .rd_req_valid_o  (rd_req_valid_o),
    .rd_req_ready_i  (rd_req_ready_i),
    .rd_req_addr_o   (rd_req_addr_o),
    .rd_req_len_o    (rd_req_len_o),
    .info_valid_o    (info_valid),
    .info_ready_i    (info_ready),
    .info_o          (info)
  );

  logic                     infoq_valid, infoq_pop;
  toe_tx_pkg::tx_seg_info_t infoq_data;

  toe_fifo #(.Width($bits(info)), .Depth(SegDepth)) u_info_fifo (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (info_valid),
    .wr_ready_o    (info_ready),
    .wr_data_i     (info),
    .rd_valid_o    (infoq_valid),
    .rd_ready_i    (infoq_pop),
    .rd_data_o     (infoq_data),
    .almost_full_o (infoq_af)
  );

  // ---- payload buffer and sums ------------------------------------------------------
  logic                 bufw_valid, bufw_ready, bufr_valid, bufr_ready;
  logic [W-1:0]         bufw_data, bufr_data;
  logic                 sums_valid, sums_room_n, sumsq_valid, sumsq_pop;
  toe_tx_pkg::tx_sums_t sums, sumsq_data;

  tx_payload_buf #(.W(W)) u_payload (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .info_valid_i (infoq_valid),
    .info_ready_o (infoq_pop),
    .info_i       (infoq_data),
    .rd_tdata_i   (rd_tdata_i),
    .rd_tkeep_i   (rd_tkeep_i),
    .rd_tlast_i   (rd_tlast_i),
    .rd_tvalid_i  (rd_tvalid_i),
    .rd_tready_o  (rd_tready_o),
    .buf_valid_o  (bufw_valid),
    .buf_ready_i  (bufw_ready),
    .buf_data_o   (bufw_data),
    .sums_valid_o (sums_valid),
    .sums_room_i  (!sums_room_n),
    .sums_o       (sums)
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

  // Up to four sums are inside the checksum pipeline (toe_csum) when intake stops;
  // keep room for them.
  toe_fifo #(.Width($bits(sums)), .Depth(16), .AlmostFullMargin(5)) u_sums_fifo (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (sums_valid),
    .wr_ready_o    (sumsq_wr_ready_unused),
    .wr_data_i     (sums),
    .rd_valid_o    (sumsq_valid),
    .rd_ready_i    (sumsq_pop),
    .rd_data_o     (sumsq_data),
    .almost_full_o (sums_room_n)
  );

  // ---- headers, emission, completions --------------------------------------------------
  logic                  tok_valid, tok_ready;
  toe_tx_pkg::tx_token_t tok;

  tx_hdr_prep u_hdr (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .job_valid_i  (jobq_valid),
    .job_ready_o  (jobq_pop),
    .job_i        (jobq_data),
    .sums_valid_i (sumsq_valid),
    .sums_ready_o (sumsq_pop),
    .sums_i       (sumsq_data),
    .tok_valid_o  (tok_valid),
    .tok_ready_i  (tok_ready),
    .tok_o        (tok)
  );

  logic                 cplw_valid, cplw_ready;
  logic [toe_tx_pkg::CPL_BITS-1:0] cplw_data;

  tx_frame_emit #(.W(W)) u_emit (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .tok_valid_i (tok_valid),
    .tok_ready_o (tok_ready),
    .tok_i       (tok),
    .buf_valid_i (bufr_valid),
    .buf_ready_o (bufr_ready),
    .buf_data_i  (bufr_data),
    .out_valid_o (tx_tvalid_o),
    .out_ready_i (tx_tready_i),
    .out_tdata_o (tx_tdata_o),
    .out_tkeep_o (tx_tkeep_o),
    .out_tlast_o (tx_tlast_o),
    .cpl_valid_o (cplw_valid),
    .cpl_ready_i (cplw_ready),
    .cpl_o       (cplw_data),
    .cnt_o       (cnt_o)
  );

  toe_fifo #(.Width(toe_tx_pkg::CPL_BITS), .Depth(4)) u_cpl_fifo (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .wr_valid_i    (cplw_valid),
    .wr_ready_o    (cplw_ready),
    .wr_data_i     (cplw_data),
    .rd_valid_o    (cpl_valid_o),
    .rd_ready_i    (cpl_ready_i),
    .rd_data_o     (cpl_o),
    .almost_full_o (cplq_af)
  );

endmodule
