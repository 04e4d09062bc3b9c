// The firmware's management window (docs/device.md, "The firmware and the admin queue";
// the FW_* table in formats.md): its view of the admin rings with the two indices it
// owns, the configuration, moderation, the counters, the 4 KiB mailbox RAM and its three
// ports - the DMA mover, the connection-command port and the TX-context table.
//
// One window access per clock (fw_valid_i), answered in that clock. The mailbox is four
// byte-wide banks: a window access reads or writes one 32-bit word, the ports move one
// byte a clock through their own read port and one shared write port (the window's
// write first, then the TX-context port, the command port, the mover). A TX-context
// operation runs to its end before the window takes the next access (fw_ready_o low
// meanwhile: a bus wait state), since the firmware reads its status right after the
// CTRL write; the mover and the command port say BUSY while they work.
// The window is the firmware's own bus: the PCI command register does not gate it.
module dev_fw #(
  parameter int unsigned ConnMax = 4096
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 in_reset_i,
  input  logic                 master_i,

  input  logic                 fw_valid_i,
  input  logic                 fw_write_i,
  input  logic [15:0]          fw_addr_i,
  input  logic [31:0]          fw_wdata_i,
  output logic [31:0]          fw_rdata_o,
  output logic                 fw_ready_o,
  output logic [31:0]          attn_o,
  output logic                 fw_ready_bit_o,   // STATUS.FW_READY

  // the admin rings (dev_queues)
  input  logic                 asq_en_i,
  input  logic [63:0]          asq_base_i,
  input  logic [3:0]           asq_log2_i,
  input  logic [31:0]          asq_prod_i,
  input  logic [31:0]          asq_cons_i,
  input  logic                 acq_en_i,
  input  logic [63:0]          acq_base_i,
  input  logic [3:0]           acq_log2_i,
  input  logic [31:0]          acq_prod_i,
  input  logic [31:0]          acq_cons_i,
  output logic                 asq_cons_we_o,
  output logic                 acq_prod_we_o,
  output logic [31:0]          q_data_o,
  input  logic                 q_bad_i,

  // moderation (dev_msix)
  output logic                 m_wr_o,
  output logic [4:0]           m_vec_o,
  output logic                 m_sel_o,
  input  logic [31:0]          m_rdata_i,

  input  logic [toe_pkg::TX_CNT_NUM*32-1:0]  tx_cnt_i,
  input  logic [toe_pkg::RX_CNT_NUM*32-1:0]  rx_cnt_i,
  input  logic [toe_pkg::DEV_CNT_NUM*32-1:0] dev_cnt_i,
  input  logic [31:0]          rx_now_i,

  output logic [47:0]          mac_o,
  output logic                 filter_o,
  output logic [31:0]          delack_o,
  output logic [31:0]          coalesce_o,
  output logic [31:0]          ts_ticks_o,

  // the mover's DMA
  output logic                 rreq_valid_o,
  input  logic                 rreq_ready_i,
  output logic [63:0]          rreq_addr_o,
  output logic [15:0]          rreq_len_o,
  input  logic                 rd_valid_i,
  output logic                 rd_ready_o,
  input  logic [63:0]          rd_data_i,
  input  logic [7:0]           rd_keep_i,
  input  logic                 rd_last_i,
  input  logic                 rd_err_i,
  output logic                 wr_valid_o,
  input  logic                 wr_ready_i,
  output logic [63:0]          wr_addr_o,
  output logic [63:0]          wr_data_o,
  output logic [7:0]           wr_strb_o,
  output logic                 wr_last_o,
  input  logic                 wr_done_i,
  input  logic                 wr_err_i,

  // the command port into the RX engine
  output logic                 cmd_valid_o,
  input  logic                 cmd_ready_i,
  output toe_pkg::conn_cmd_t   cmd_o,
  output toe_pkg::rx_ctx_t     cmd_ctx_o,
  input  logic                 rsp_valid_i,
  output logic                 rsp_ready_o,
  input  toe_pkg::conn_rsp_t   rsp_i,
  input  toe_pkg::rx_ctx_t     rsp_ctx_i,

  // the TX-context table, read by the TX path
  input  logic [15:0]          tx_conn_i,
  output logic [383:0]         tx_ctx_o,
  output logic                 tx_ctx_valid_o,

  output logic                 cnt_bad_o,        // DEV_CNT_MMIO_BAD
  output logic                 cnt_dma_op_o,     // DEV_CNT_FW_DMA_OPS
  output logic                 busy_o
);
  localparam int unsigned IdW = $clog2(ConnMax);
  localparam logic [15:0] MboxEnd = 16'h2000;
  localparam logic [31:0] CmdArea = toe_pkg::FW_CMD_RSP_OFF + 32'd16 + 32'd128;  // 304
  localparam logic [31:0] TsTicksReset = 32'd100;

  // ---- configuration and port registers --------------------------------------------------
  logic        attn_reset_q, ready_q;
  logic [31:0] mac_lo_q, mac_hi_q, ipv4_q, filter_q, delack_q, coal_q, ts_q;
  logic [31:0] dma_host_lo_q, dma_host_hi_q, dma_len_q, dma_off_q, dma_status_q;
  logic [31:0] cmd_off_q, cmd_status_q;
  logic [31:0] txc_conn_q, txc_off_q, txc_status_q;

  assign mac_o      = {mac_hi_q[15:0], mac_lo_q};
  assign filter_o   = filter_q[0];
  assign delack_o   = delack_q;
  assign coalesce_o = coal_q;
  assign ts_ticks_o = ts_q;
  assign fw_ready_bit_o = ready_q;
  assign attn_o = {30'd0, attn_reset_q, asq_en_i && asq_prod_i != asq_cons_i};

  // ---- the mailbox --------------------------------------------------------------------------
  logic [7:0]  bank0 [1024];
  logic [7:0]  bank1 [1024];
  logic [7:0]  bank2 [1024];
  logic [7:0]  bank3 [1024];
  logic        is_mbox;
  logic [9:0]  w_idx;
  logic [31:0] mbox_word;
  assign is_mbox   = fw_addr_i >= 16'h1000 && fw_addr_i < MboxEnd;
  assign w_idx     = fw_addr_i[11:2];
  assign mbox_word = {bank3[w_idx], bank2[w_idx], bank1[w_idx], bank0[w_idx]};

  // One byte read port per engine.
  function automatic logic [7:0] mb_byte(input logic [1:0] lane, input logic [7:0] b0,
                                         input logic [7:0] b1, input logic [7:0] b2,
                                         input logic [7:0] b3);
    unique case (lane)
      2'd0:    mb_byte = b0;
      2'd1:    mb_byte = b1;
      2'd2:    mb_byte = b2;
      default: mb_byte = b3;
    endcase
  endfunction
  logic [11:0] mv_a, cm_a, tc_a;
  logic [7:0]  mv_rb, cm_rb, tc_rb;
  assign mv_rb = mb_byte(mv_a[1:0], bank0[mv_a[11:2]], bank1[mv_a[11:2]], bank2[mv_a[11:2]], bank3[mv_a[11:2]]);
  assign cm_rb = mb_byte(cm_a[1:0], bank0[cm_a[11:2]], bank1[cm_a[11:2]], bank2[cm_a[11:2]], bank3[cm_a[11:2]]);
  assign tc_rb = mb_byte(tc_a[1:0], bank0[tc_a[11:2]], bank1[tc_a[11:2]], bank2[tc_a[11:2]], bank3[tc_a[11:2]]);

  // The write port: the window's word, else one engine's byte.
  logic        win_we, tc_we, cm_we, mv_we, cm_gnt, mv_gnt;
  logic [7:0]  tc_wb, cm_wb, mv_wb, e_wb;
  logic [11:0] e_wa;
  logic        e_we;
  assign win_we = fw_valid_i && fw_write_i && is_mbox && fw_addr_i[1:0] == 2'd0;
  assign cm_gnt = !win_we && !tc_we;
  assign mv_gnt = !win_we && !tc_we && !cm_we;
  always_comb begin
    e_we = 1'b0;
    e_wa = mv_a;
    e_wb = mv_wb;
    if (tc_we) begin
      e_we = 1'b1; e_wa = tc_a; e_wb = tc_wb;
    end else if (cm_we && cm_gnt) begin
      e_we = 1'b1; e_wa = cm_a; e_wb = cm_wb;
    end else if (mv_we && mv_gnt) begin
      e_we = 1'b1; e_wa = mv_a; e_wb = mv_wb;
    end
    if (win_we) e_we = 1'b0;
  end
  always_ff @(posedge clk_i) begin
    if (win_we) begin
      bank0[w_idx] <= fw_wdata_i[7:0];
      bank1[w_idx] <= fw_wdata_i[15:8];
      bank2[w_idx] <= fw_wdata_i[23:16];
      bank3[w_idx] <= fw_wdata_i[31:24];
    end else if (e_we) begin
      unique case (e_wa[1:0])
        2'd0:    bank0[e_wa[11:2]] <= e_wb;
        2'd1:    bank1[e_wa[11:2]] <= e_wb;
        2'd2:    bank2[e_wa[11:2]] <= e_wb;
        default: bank3[e_wa[11:2]] <= e_wb;
      endcase
    end
  end

  // ---- window decode -------------------------------------------------------------------------
  logic        rd, wr, aligned;
  logic        dma_busy, cmd_busy, tc_busy;
  logic        rd_ok, wr_ok;       // the access names a register that allows it
  logic [31:0] rdata;
  logic [15:0] a;
  assign a        = fw_addr_i;
  assign rd       = fw_valid_i && !fw_write_i;
  assign wr       = fw_valid_i && fw_write_i;
  assign aligned  = a[1:0] == 2'd0;
  assign dma_busy = dma_status_q[0];
  assign cmd_busy = cmd_status_q[0];

  always_comb begin
    rdata = '0;
    rd_ok = 1'b1;
    if (a >= 16'h0200 && a < 16'h0300) begin
      rdata = m_rdata_i;
    end else if (a >= 16'h0400 && a < 16'h0400 + 16'(4 * toe_pkg::TX_CNT_NUM)) begin
      rdata = tx_cnt_i[32 * a[7:2] +: 32];
    end else if (a >= 16'h0480 && a < 16'h0480 + 16'(4 * toe_pkg::RX_CNT_NUM)) begin
      rdata = rx_cnt_i[32 * (a[8:2] - 7'h20) +: 32];
    end else if (a >= 16'h0580 && a < 16'h0580 + 16'(4 * toe_pkg::DEV_CNT_NUM)) begin
      rdata = dev_cnt_i[32 * (a[8:2] - 7'h60) +: 32];
    end else if (is_mbox) begin
      rdata = mbox_word;
    end else begin
      unique case (a)
        toe_pkg::FW_ID:             rdata = toe_pkg::DEV_ID_MAGIC;
        toe_pkg::FW_ATTN:           rdata = attn_o;
        toe_pkg::FW_NOW_TICK:       rdata = rx_now_i;
        toe_pkg::FW_CONN_MAX:       rdata = 32'(ConnMax);
        toe_pkg::FW_ASQ_BASE_LO:    rdata = asq_base_i[31:0];
        toe_pkg::FW_ASQ_BASE_HI:    rdata = asq_base_i[63:32];
        toe_pkg::FW_ASQ_SIZE_LOG2:  rdata = {28'd0, asq_log2_i};
        toe_pkg::FW_ASQ_PROD:       rdata = asq_prod_i;
        toe_pkg::FW_ASQ_CONS:       rdata = asq_cons_i;
        toe_pkg::FW_ASQ_CTRL:       rdata = {31'd0, asq_en_i};
        toe_pkg::FW_ACQ_BASE_LO:    rdata = acq_base_i[31:0];
        toe_pkg::FW_ACQ_BASE_HI:    rdata = acq_base_i[63:32];
        toe_pkg::FW_ACQ_SIZE_LOG2:  rdata = {28'd0, acq_log2_i};
        toe_pkg::FW_ACQ_PROD:       rdata = acq_prod_i;
        toe_pkg::FW_ACQ_CONS:       rdata = acq_cons_i;
        toe_pkg::FW_ACQ_CTRL:       rdata = {31'd0, acq_en_i};
        toe_pkg::FW_DMA_HOST_LO:    rdata = dma_host_lo_q;
        toe_pkg::FW_DMA_HOST_HI:    rdata = dma_host_hi_q;
        toe_pkg::FW_DMA_LEN:        rdata = dma_len_q;
        toe_pkg::FW_DMA_MBOX_OFF:   rdata = dma_off_q;
        toe_pkg::FW_DMA_STATUS:     rdata = dma_status_q;
        toe_pkg::FW_CMD_MBOX_OFF:   rdata = cmd_off_q;
        toe_pkg::FW_CMD_STATUS:     rdata = cmd_status_q;
        toe_pkg::FW_TXCTX_CONN:     rdata = txc_conn_q;
        toe_pkg::FW_TXCTX_MBOX_OFF: rdata = txc_off_q;
        toe_pkg::FW_TXCTX_STATUS:   rdata = txc_status_q;
        toe_pkg::FW_MAC_LO:         rdata = mac_lo_q;
        toe_pkg::FW_MAC_HI:         rdata = mac_hi_q;
        toe_pkg::FW_IPV4:           rdata = ipv4_q;
        toe_pkg::FW_RX_FILTER:      rdata = filter_q;
        toe_pkg::FW_DELACK_TICKS:   rdata = delack_q;
        toe_pkg::FW_COALESCE_BYTES: rdata = coal_q;
        toe_pkg::FW_TS_TICKS:       rdata = ts_q;
        default:                    rd_ok = 1'b0;  // write-only (the CTRL ports) or nothing
      endcase
    end
    if (!aligned) rd_ok = 1'b0;
  end
  assign fw_rdata_o = (rd && rd_ok) ? rdata : 32'd0;
  assign fw_ready_o = !tc_busy;

  // Moderation and the admin indices go to their blocks.
  assign m_vec_o       = a[7:3];
  assign m_sel_o       = a[2];
  assign m_wr_o        = wr && aligned && a >= 16'h0200 && a < 16'h0300;
  assign asq_cons_we_o = wr && a == toe_pkg::FW_ASQ_CONS;
  assign acq_prod_we_o = wr && a == toe_pkg::FW_ACQ_PROD;
  assign q_data_o      = fw_wdata_i;

  // Writes: what each one does, and which are ignored (counted).
  logic dma_go, cmd_go, tc_go, dma_bad_arg, cmd_bad_off, tc_bad_id, tc_bad_op;
  always_comb begin
    wr_ok = aligned;
    if (aligned && !(a >= 16'h0200 && a < 16'h0300) && !is_mbox) begin
      unique case (a)
        toe_pkg::FW_CTRL, toe_pkg::FW_TXCTX_CONN, toe_pkg::FW_TXCTX_MBOX_OFF,
        toe_pkg::FW_MAC_LO, toe_pkg::FW_MAC_HI, toe_pkg::FW_IPV4, toe_pkg::FW_RX_FILTER,
        toe_pkg::FW_DELACK_TICKS, toe_pkg::FW_COALESCE_BYTES, toe_pkg::FW_TS_TICKS,
        toe_pkg::FW_CMD_CTRL: wr_ok = 1'b1;
        toe_pkg::FW_ASQ_CONS, toe_pkg::FW_ACQ_PROD: wr_ok = !q_bad_i;
        toe_pkg::FW_DMA_HOST_LO, toe_pkg::FW_DMA_HOST_HI, toe_pkg::FW_DMA_LEN,
        toe_pkg::FW_DMA_MBOX_OFF: wr_ok = !dma_busy;
        toe_pkg::FW_DMA_CTRL: wr_ok = !(fw_wdata_i[0] && dma_busy);
        toe_pkg::FW_CMD_MBOX_OFF: wr_ok = !cmd_busy;
        toe_pkg::FW_TXCTX_CTRL: wr_ok = !tc_bad_op;
        default: wr_ok = 1'b0;
      endcase
    end
    if (a == toe_pkg::FW_CMD_CTRL && fw_wdata_i[0] && cmd_busy) wr_ok = 1'b0;
  end
  assign dma_go      = wr && a == toe_pkg::FW_DMA_CTRL && fw_wdata_i[0] && !dma_busy;
  assign dma_bad_arg = dma_len_q == 32'd0 || dma_len_q > toe_pkg::FW_MBOX_SIZE ||
                       {1'b0, dma_off_q} + {1'b0, dma_len_q} > {1'b0, toe_pkg::FW_MBOX_SIZE};
  assign cmd_go      = wr && a == toe_pkg::FW_CMD_CTRL && fw_wdata_i[0] && !cmd_busy;
  assign cmd_bad_off = cmd_off_q > toe_pkg::FW_MBOX_SIZE - CmdArea;
  assign tc_bad_op   = fw_wdata_i != toe_pkg::FW_TXCTX_WRITE && fw_wdata_i != toe_pkg::FW_TXCTX_READ &&
                       fw_wdata_i != toe_pkg::FW_TXCTX_CLEAR;
  assign tc_go       = wr && a == toe_pkg::FW_TXCTX_CTRL && !tc_bad_op;
  assign tc_bad_id   = txc_conn_q >= 32'(ConnMax) ||
                       {1'b0, txc_off_q} + 33'd48 > {1'b0, toe_pkg::FW_MBOX_SIZE};
  assign cnt_bad_o   = (rd && !rd_ok) || (wr && !wr_ok);

  // ---- the TX-context table ---------------------------------------------------------------
  typedef enum logic [1:0] {TcIdle, TcRead, TcWrite} tc_e;
  tc_e            tc_st_q;
  logic [5:0]     tc_n_q;
  logic [383:0]   tc_sh_q;
  logic [IdW-1:0] tc_id_q;
  logic [383:0]   ctx_mem [ConnMax];
  logic [ConnMax-1:0] ctx_valid_q;
  logic           tc_mem_we;
  logic [383:0]   tc_rd_ctx;

  assign tc_busy   = tc_st_q != TcIdle;
  assign tc_a      = txc_off_q[11:0] + {6'd0, tc_n_q};
  assign tc_we     = tc_st_q == TcWrite && !win_we;
  assign tc_wb     = tc_sh_q[7:0];
  assign tc_mem_we = tc_st_q == TcRead && tc_n_q == 6'd47;
  assign tc_rd_ctx = ctx_valid_q[txc_conn_q[IdW-1:0]] ? ctx_mem[txc_conn_q[IdW-1:0]] : 384'd0;

  assign tx_ctx_o       = ctx_mem[tx_conn_i[IdW-1:0]];
  assign tx_ctx_valid_o = ctx_valid_q[tx_conn_i[IdW-1:0]];

  always_ff @(posedge clk_i) begin
    if (tc_mem_we) ctx_mem[tc_id_q] <= {tc_rb, tc_sh_q[383:8]};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tc_st_q      <= TcIdle;
      tc_n_q       <= '0;
      tc_sh_q      <= '0;
      tc_id_q      <= '0;
      ctx_valid_q  <= '0;
      txc_status_q <= '0;
    end else begin
      unique case (tc_st_q)
        TcIdle: if (tc_go) begin
          tc_n_q  <= '0;
          tc_id_q <= txc_conn_q[IdW-1:0];
          if (tc_bad_id) begin
            txc_status_q <= toe_pkg::FW_TXCTX_BAD_ID;
          end else if (fw_wdata_i == toe_pkg::FW_TXCTX_WRITE) begin
            txc_status_q <= '0;
            tc_st_q      <= TcRead;
          end else if (fw_wdata_i == toe_pkg::FW_TXCTX_READ) begin
            txc_status_q <= ctx_valid_q[txc_conn_q[IdW-1:0]] ? toe_pkg::FW_TXCTX_VALID : 32'd0;
            tc_sh_q      <= tc_rd_ctx;
            tc_st_q      <= TcWrite;
          end else begin
            txc_status_q <= '0;
            ctx_valid_q[txc_conn_q[IdW-1:0]] <= 1'b0;  // CLEAR
          end
        end
        TcRead: begin  // mailbox -> table, a byte a clock
          tc_sh_q <= {tc_rb, tc_sh_q[383:8]};
          tc_n_q  <= tc_n_q + 6'd1;
          if (tc_n_q == 6'd47) begin
            ctx_valid_q[tc_id_q] <= 1'b1;
            tc_st_q <= TcIdle;
          end
        end
        TcWrite: if (tc_we) begin  // table -> mailbox
          tc_sh_q <= {8'd0, tc_sh_q[383:8]};
          tc_n_q  <= tc_n_q + 6'd1;
          if (tc_n_q == 6'd47) tc_st_q <= TcIdle;
        end
        default: tc_st_q <= TcIdle;
      endcase
    end
  end

  // ---- the command port ----------------------------------------------------------------------
  typedef enum logic [2:0] {CmIdle, CmWalk, CmRead, CmSend, CmRsp, CmWrite} cm_e;
  cm_e          cm_st_q;
  logic [7:0]   cm_n_q, cm_len_q;
  logic [11:0]  cm_base_q;
  logic [1279:0] cm_sh_q;     // conn_cmd and rx_ctx in; conn_rsp and rx_ctx out

  assign cm_a        = cm_base_q + ((cm_st_q == CmWrite) ? 12'(toe_pkg::FW_CMD_RSP_OFF) : 12'd0) +
                       {4'd0, cm_n_q};
  assign cm_we       = cm_st_q == CmWrite;
  assign cm_wb       = cm_sh_q[7:0];
  assign cmd_valid_o = cm_st_q == CmSend;
  assign cmd_o       = cm_sh_q[255:0];
  assign cmd_ctx_o   = cm_sh_q[1279:256];
  assign rsp_ready_o = cm_st_q == CmRsp;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cm_st_q      <= CmIdle;
      cm_n_q       <= '0;
      cm_len_q     <= '0;
      cm_base_q    <= '0;
      cm_sh_q      <= '0;
      cmd_status_q <= '0;
    end else begin
      unique case (cm_st_q)
        CmIdle: if (cmd_go) begin
          if (cmd_bad_off) begin
            cmd_status_q <= 32'd2;  // BAD_OFF: nothing done
          end else begin
            cmd_status_q <= 32'd1;  // BUSY
            cm_base_q    <= cmd_off_q[11:0];
            cm_n_q       <= '0;
            cm_st_q      <= CmWalk;
          end
        end
        CmWalk: if (!in_reset_i) cm_st_q <= CmRead;  // the table is being walked
        CmRead: begin
          cm_sh_q <= {cm_rb, cm_sh_q[1279:8]};
          cm_n_q  <= cm_n_q + 8'd1;
          if (cm_n_q == 8'd159) cm_st_q <= CmSend;
        end
        CmSend: if (cmd_ready_i) cm_st_q <= CmRsp;
        CmRsp: if (rsp_valid_i) begin
          // A READ's context comes beside its response.
          cm_sh_q  <= {128'd0, rsp_ctx_i, rsp_i};
          cm_len_q <= (rsp_i.op == toe_pkg::CONN_CMD_READ && rsp_i.status == toe_pkg::CONN_STATUS_OK) ?
                      8'd144 : 8'd16;
          cm_n_q   <= '0;
          cm_st_q  <= CmWrite;
        end
        CmWrite: if (cm_gnt) begin
          cm_sh_q <= {8'd0, cm_sh_q[1279:8]};
          cm_n_q  <= cm_n_q + 8'd1;
          if (cm_n_q == cm_len_q - 8'd1) begin
            cmd_status_q <= '0;
            cm_st_q      <= CmIdle;
          end
        end
        default: cm_st_q <= CmIdle;
      endcase
    end
  end

  // ---- the mover -------------------------------------------------------------------------------
  typedef enum logic [2:0] {MvIdle, MvWait, MvInReq, MvIn, MvOut, MvOutBeat, MvOutDone} mv_e;
  mv_e         mv_st_q;
  logic        mv_to_host_q, mv_err_q;
  logic [12:0] mv_n_q;        // bytes moved (or gathered)
  logic [63:0] mv_beat_q;     // a read beat being stored, or a write beat being gathered
  logic [7:0]  mv_keep_q;
  logic        mv_hold_q, mv_last_q;
  logic [2:0]  mv_lane_q;
  logic [12:0] mv_start_q;    // first byte of the beat being gathered

  assign mv_a  = dma_off_q[11:0] + mv_n_q[11:0];
  assign mv_we = mv_st_q == MvIn && mv_hold_q && !mv_err_q;
  assign mv_wb = mv_beat_q[8 * mv_lane_q +: 8];

  assign rreq_valid_o = mv_st_q == MvInReq;
  assign rreq_addr_o  = {dma_host_hi_q, dma_host_lo_q};
  assign rreq_len_o   = dma_len_q[15:0];
  assign rd_ready_o   = mv_st_q == MvIn && !mv_hold_q;
  assign wr_valid_o   = mv_st_q == MvOutBeat;
  assign wr_addr_o    = {dma_host_hi_q, dma_host_lo_q} + {51'd0, mv_start_q};
  assign wr_data_o    = mv_beat_q;
  assign wr_strb_o    = mv_keep_q;
  assign wr_last_o    = mv_last_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mv_st_q      <= MvIdle;
      mv_to_host_q <= 1'b0;
      mv_err_q     <= 1'b0;
      mv_n_q       <= '0;
      mv_beat_q    <= '0;
      mv_keep_q    <= '0;
      mv_hold_q    <= 1'b0;
      mv_last_q    <= 1'b0;
      mv_lane_q    <= '0;
      mv_start_q   <= '0;
      dma_status_q <= '0;
      cnt_dma_op_o <= 1'b0;
    end else begin
      cnt_dma_op_o <= 1'b0;
      unique case (mv_st_q)
        MvIdle: if (dma_go) begin
          if (dma_bad_arg) begin
            dma_status_q <= toe_pkg::FW_DMA_BAD_ARG;
          end else begin
            dma_status_q <= toe_pkg::FW_DMA_BUSY;
            mv_to_host_q <= fw_wdata_i[1];
            mv_n_q       <= '0;
            mv_err_q     <= 1'b0;
            mv_hold_q    <= 1'b0;
            mv_st_q      <= MvWait;
          end
        end
        MvWait: if (master_i) begin
          mv_start_q <= '0;
          mv_lane_q  <= '0;
          mv_keep_q  <= '0;
          mv_st_q    <= mv_to_host_q ? MvOut : MvInReq;
        end
        MvInReq: if (rreq_ready_i) mv_st_q <= MvIn;
        MvIn: begin
          if (!mv_hold_q) begin
            if (rd_valid_i) begin
              // A refused read moves nothing: its beats are let go unstored.
              mv_hold_q <= !(rd_err_i || mv_err_q);
              mv_err_q  <= mv_err_q || rd_err_i;
              mv_beat_q <= rd_data_i;
              mv_keep_q <= rd_keep_i;
              mv_last_q <= rd_last_i;
              mv_lane_q <= '0;
              if (rd_last_i && (rd_err_i || mv_err_q)) begin
                dma_status_q <= toe_pkg::FW_DMA_FAULT;
                cnt_dma_op_o <= 1'b1;
                mv_st_q      <= MvIdle;
              end
            end
          end else if (mv_gnt) begin
            mv_n_q    <= mv_n_q + 13'd1;
            mv_lane_q <= mv_lane_q + 3'd1;
            if (mv_lane_q == 3'd7 || !mv_keep_q[mv_lane_q + 3'd1]) begin
              mv_hold_q <= 1'b0;
              if (mv_last_q) begin
                dma_status_q <= '0;
                cnt_dma_op_o <= 1'b1;
                mv_st_q      <= MvIdle;
              end
            end
          end
        end
        MvOut: begin  // gather a beat from the mailbox, a byte a clock
          mv_beat_q[8 * mv_lane_q +: 8] <= mv_rb;
          mv_keep_q[mv_lane_q] <= 1'b1;
          mv_n_q    <= mv_n_q + 13'd1;
          mv_lane_q <= mv_lane_q + 3'd1;
          if (mv_lane_q == 3'd7 || {19'd0, mv_n_q} + 32'd1 == dma_len_q) begin
            mv_last_q <= {19'd0, mv_n_q} + 32'd1 == dma_len_q;
            mv_st_q   <= MvOutBeat;
          end
        end
        MvOutBeat: if (wr_ready_i) begin
          mv_beat_q  <= '0;
          mv_keep_q  <= '0;
          mv_lane_q  <= '0;
          mv_start_q <= mv_n_q;
          mv_st_q    <= mv_last_q ? MvOutDone : MvOut;
        end
        MvOutDone: if (wr_done_i) begin
          dma_status_q <= wr_err_i ? toe_pkg::FW_DMA_FAULT : 32'd0;
          cnt_dma_op_o <= 1'b1;
          mv_st_q      <= MvIdle;
        end
        default: mv_st_q <= MvIdle;
      endcase
    end
  end

  // ---- registers ---------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      attn_reset_q  <= 1'b1;
      ready_q       <= 1'b0;
      mac_lo_q      <= '0;
      mac_hi_q      <= '0;
      ipv4_q        <= '0;
      filter_q      <= '0;
      delack_q      <= toe_pkg::DELACK_TICKS_DEFAULT;
      coal_q        <= toe_pkg::RX_EVENT_COALESCE_DEFAULT;
      ts_q          <= TsTicksReset;
      dma_host_lo_q <= '0;
      dma_host_hi_q <= '0;
      dma_len_q     <= '0;
      dma_off_q     <= '0;
      cmd_off_q     <= '0;
      txc_conn_q    <= '0;
      txc_off_q     <= '0;
    end else if (wr && wr_ok) begin
      unique case (a)
        toe_pkg::FW_CTRL: begin
          if (fw_wdata_i[1]) attn_reset_q <= 1'b0;
          if (fw_wdata_i[2])      ready_q <= 1'b0;  // both at once: NOT_READY wins
          else if (fw_wdata_i[0]) ready_q <= 1'b1;
        end
        toe_pkg::FW_DMA_HOST_LO:    dma_host_lo_q <= fw_wdata_i;
        toe_pkg::FW_DMA_HOST_HI:    dma_host_hi_q <= fw_wdata_i;
        toe_pkg::FW_DMA_LEN:        dma_len_q     <= fw_wdata_i;
        toe_pkg::FW_DMA_MBOX_OFF:   dma_off_q     <= fw_wdata_i;
        toe_pkg::FW_CMD_MBOX_OFF:   cmd_off_q     <= fw_wdata_i;
        toe_pkg::FW_TXCTX_CONN:     txc_conn_q    <= fw_wdata_i;
        toe_pkg::FW_TXCTX_MBOX_OFF: txc_off_q     <= fw_wdata_i;
        toe_pkg::FW_MAC_LO:         mac_lo_q      <= fw_wdata_i;
        toe_pkg::FW_MAC_HI:         mac_hi_q      <= {16'd0, fw_wdata_i[15:0]};
        toe_pkg::FW_IPV4:           ipv4_q        <= fw_wdata_i;
        toe_pkg::FW_RX_FILTER:      filter_q      <= {31'd0, fw_wdata_i[0]};
        toe_pkg::FW_DELACK_TICKS:   delack_q      <= fw_wdata_i;
        toe_pkg::FW_COALESCE_BYTES: coal_q        <= fw_wdata_i;
        toe_pkg::FW_TS_TICKS:       ts_q          <= fw_wdata_i;
        default: ;
      endcase
    end
  end

  // Work under way; a command waiting for the engine's response (the engine reports its
  // own activity) and the mover waiting for bus mastering wait for others.
  assign busy_o = tc_busy || (cmd_busy && cm_st_q != CmRsp) ||
                  (dma_busy && !(mv_st_q == MvWait && !master_i));

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_signals;
  assign unused_signals = ^{tx_conn_i};  // ids above the table are the TX path's to refuse
  /* verilator lint_on UNUSEDSIGNAL */

endmodule
