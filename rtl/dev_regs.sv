// BAR0 (docs/device.md, "BAR0 accesses"): the global registers, the DEV_CNT window, and
// the decode that sends QREG accesses to dev_queues and VREG, MSI-X table and PBA
// accesses to dev_msix. One access per clock, answered in that clock. While the command
// register's memory-space bit is off nothing decodes: reads give all ones, writes are
// lost. A read of no register gives 0 and a write to none, or to a read-only one, is
// ignored; both count DEV_CNT_MMIO_BAD. During the reset's table walk every write is
// ignored (counted).
module dev_regs #(
  parameter int unsigned ConnMax = 4096
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        mem_en_i,       // PCI command: memory space
  input  logic        in_reset_i,
  input  logic        time_mode_i,    // TIME_MODE (cfg)
  input  logic [63:0] cycle_i,
  input  logic        fw_ready_i,     // STATUS.FW_READY

  input  logic        valid_i,
  input  logic        write_i,
  input  logic [15:0] addr_i,
  input  logic [31:0] wdata_i,
  output logic [31:0] rdata_o,

  input  logic [toe_pkg::DEV_CNT_NUM*32-1:0] dev_cnt_i,

  // dev_queues
  output logic        q_wr_o,
  output logic [2:0]  q_qid_o,
  output logic [5:0]  q_reg_o,
  input  logic [31:0] q_rdata_i,
  input  logic        q_bad_i,
  // dev_msix
  output logic        t_wr_o,
  output logic [4:0]  t_vec_o,
  output logic [1:0]  t_reg_o,
  input  logic [31:0] t_rdata_i,
  input  logic [31:0] v_rdata_i,
  input  logic [31:0] pba_i,

  output logic        reset_req_o,    // CONTROL.RESET written
  output logic        enable_o,       // CONTROL.ENABLE
  output logic [63:0] dma_lo_o,
  output logic [63:0] dma_hi_o,
  output logic        cnt_bad_o
);
  localparam logic [31:0] Features = toe_pkg::FEATURE_TX_CSUM | toe_pkg::FEATURE_TSO |
                                     toe_pkg::FEATURE_RX_CSUM | toe_pkg::FEATURE_RX_PLACE |
                                     toe_pkg::FEATURE_HW_ACK;
  localparam logic [31:0] TickNs = toe_pkg::DEV_TICK_CYCLES * toe_pkg::DEV_CLK_PS / 32'd1000;

  logic        enable_q, enable_d;
  logic [31:0] scratch_q, scratch_d, time_hi_q, time_hi_d;
  logic [31:0] dma_ll_q, dma_lh_q, dma_hl_q, dma_hh_q;
  logic [31:0] dma_ll_d, dma_lh_d, dma_hl_d, dma_hh_d;

  assign enable_o = enable_q;
  assign dma_lo_o = {dma_lh_q, dma_ll_q};
  assign dma_hi_o = {dma_hh_q, dma_hl_q};

  logic        acc, rd, wr, aligned;
  logic        in_q, in_v, in_t, in_cnt;
  logic [63:0] ns;
  assign acc     = valid_i && mem_en_i;
  assign rd      = acc && !write_i;
  assign wr      = acc && write_i;
  assign aligned = addr_i[1:0] == 2'd0;
  assign in_q    = addr_i >= 16'h1000 && addr_i < 16'h1000 + 16'(7 * toe_pkg::QREG_STRIDE);
  assign in_v    = addr_i >= 16'h2000 && addr_i < 16'h2000 + 16'(32 * toe_pkg::VREG_STRIDE);
  assign in_t    = addr_i >= 16'h8000 && addr_i < 16'h8000 + 16'(32 * toe_pkg::MSIX_STRIDE);
  assign in_cnt  = addr_i >= toe_pkg::REG_CNT_BASE &&
                   addr_i < toe_pkg::REG_CNT_BASE + 16'(4 * toe_pkg::DEV_CNT_NUM);
  assign ns      = {cycle_i[61:0], 2'b00};  // DEV_CLK_PS = 4000: 4 ns a clock

  assign q_qid_o = addr_i[8:6];
  assign q_reg_o = addr_i[5:0];
  assign q_wr_o  = wr && aligned && in_q && !in_reset_i;
  assign t_vec_o = addr_i[8:4];
  assign t_reg_o = addr_i[3:2];
  assign t_wr_o  = wr && aligned && in_t && !in_reset_i;

  // ---- reads ------------------------------------------------------------------------------
  logic [31:0] rdata;
  logic        rd_ok;
  always_comb begin
    rdata = '0;
    rd_ok = 1'b1;
    if (in_cnt) begin
      rdata = dev_cnt_i[32 * addr_i[6:2] +: 32];
    end else if (in_q) begin
      rdata = q_rdata_i;
      rd_ok = addr_i[5:0] <= 6'h20;
    end else if (in_v) begin
      rdata = v_rdata_i;
    end else if (in_t) begin
      rdata = t_rdata_i;
    end else if (addr_i == 16'(toe_pkg::BAR0_MSIX_PBA)) begin
      rdata = pba_i;
    end else if (addr_i == 16'(toe_pkg::BAR0_MSIX_PBA) + 16'd4) begin
      rdata = '0;  // the PBA is one QWORD for 32 vectors (PCIe 7.7.2.5)
    end else begin
      unique case (addr_i)
        toe_pkg::REG_ID:         rdata = toe_pkg::DEV_ID_MAGIC;
        toe_pkg::REG_IF_VERSION: rdata = (toe_pkg::IF_VERSION_MAJOR << 16) | toe_pkg::IF_VERSION_MINOR;
        toe_pkg::REG_FEATURES:   rdata = Features;
        toe_pkg::REG_DATAPATH:   rdata = (toe_pkg::DEV_CLK_MHZ << 16) | (toe_pkg::DEV_WIDTH_BITS / 32'd8);
        toe_pkg::REG_CONN_MAX:   rdata = 32'(ConnMax);
        toe_pkg::REG_QUEUES:     rdata = 32'(toe_pkg::DEV_QUEUES);
        toe_pkg::REG_TICK_NS:    rdata = TickNs;
        toe_pkg::REG_TIME_MODE:  rdata = {31'd0, time_mode_i};
        toe_pkg::REG_CONTROL:    rdata = {30'd0, enable_q, in_reset_i};
        toe_pkg::REG_STATUS:     rdata = {29'd0, fw_ready_i, 1'b0, !in_reset_i};
        toe_pkg::REG_SCRATCH:    rdata = scratch_q;
        toe_pkg::REG_TIME_LO:    rdata = ns[31:0];
        toe_pkg::REG_TIME_HI:    rdata = time_hi_q;
        toe_pkg::REG_DMA_LO_LO:  rdata = dma_ll_q;
        toe_pkg::REG_DMA_LO_HI:  rdata = dma_lh_q;
        toe_pkg::REG_DMA_HI_LO:  rdata = dma_hl_q;
        toe_pkg::REG_DMA_HI_HI:  rdata = dma_hh_q;
        default:                 rd_ok = 1'b0;
      endcase
    end
    if (!aligned) rd_ok = 1'b0;
  end
  assign rdata_o = !mem_en_i ? 32'hFFFF_FFFF : (rd && rd_ok) ? rdata : 32'd0;

  // ---- writes -----------------------------------------------------------------------------
  logic wr_bad;
  always_comb begin
    enable_d    = enable_q;
    scratch_d   = scratch_q;
    time_hi_d   = time_hi_q;
    dma_ll_d    = dma_ll_q;
    dma_lh_d    = dma_lh_q;
    dma_hl_d    = dma_hl_q;
    dma_hh_d    = dma_hh_q;
    wr_bad      = 1'b0;
    reset_req_o = 1'b0;
    // One 64-bit value read as two words: the high half is taken with the low.
    if (rd && aligned && addr_i == toe_pkg::REG_TIME_LO) time_hi_d = ns[63:32];
    if (wr) begin
      if (!aligned || in_reset_i) begin
        wr_bad = 1'b1;
      end else if (in_q) begin
        wr_bad = q_bad_i;
      end else if (in_t) begin
        wr_bad = 1'b0;
      end else begin
        unique case (addr_i)
          toe_pkg::REG_CONTROL: begin
            if (wdata_i[0]) reset_req_o = 1'b1;
            else            enable_d    = wdata_i[1];
          end
          toe_pkg::REG_SCRATCH: scratch_d = wdata_i;
          // The window the TX engine checks may not move under it.
          toe_pkg::REG_DMA_LO_LO: if (enable_q) wr_bad = 1'b1; else dma_ll_d = wdata_i;
          toe_pkg::REG_DMA_LO_HI: if (enable_q) wr_bad = 1'b1; else dma_lh_d = wdata_i;
          toe_pkg::REG_DMA_HI_LO: if (enable_q) wr_bad = 1'b1; else dma_hl_d = wdata_i;
          toe_pkg::REG_DMA_HI_HI: if (enable_q) wr_bad = 1'b1; else dma_hh_d = wdata_i;
          default: wr_bad = 1'b1;  // read-only, VREG, the PBA, or nothing
        endcase
      end
    end
  end
  assign cnt_bad_o = (rd && !rd_ok) || wr_bad;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_signals;
  assign unused_signals = ^{cycle_i[63:62]};  // 2^62 clocks: the ns count wraps first
  /* verilator lint_on UNUSEDSIGNAL */

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      enable_q  <= 1'b0;
      scratch_q <= '0;
      time_hi_q <= '0;
      dma_ll_q  <= '0;
      dma_lh_q  <= '0;
      dma_hl_q  <= '0;
      dma_hh_q  <= '0;
    end else begin
      enable_q  <= enable_d;
      scratch_q <= scratch_d;
      time_hi_q <= time_hi_d;
      dma_ll_q  <= dma_ll_d;
      dma_lh_q  <= dma_lh_d;
      dma_hl_q  <= dma_hl_d;
      dma_hh_q  <= dma_hh_d;
    end
  end

endmodule
