// The DMA request arbiter: the device's one read channel and one write channel to host
// memory, shared by its clients in fixed priority (lowest index first).
//
// Read: a request (address, length) is answered by beats of up to 8 bytes packed from
// the address (tkeep, tlast), with err_i on every beat when the bounds check refused the
// range (the data then reads all ones). One read is outstanding at a time: the next
// request is granted after the last beat of the previous answer.
// Write: a burst of beats, each with the address of its lane 0 and a byte strobe, then
// one done (with err) from the host; the next burst is granted after that done.
// Serialising both channels keeps every client's writes in the order it made them, and
// a write before a later one of another client (an entry after what it describes).
//
// No grant while bus mastering is off (docs/device.md: no DMA then).
module dev_dma_arb #(
  parameter int unsigned NR = 4,
  parameter int unsigned NW = 4
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             master_i,

  // clients' read requests and data
  input  logic [NR-1:0]    c_rreq_valid_i,
  output logic [NR-1:0]    c_rreq_ready_o,
  input  logic [NR*64-1:0] c_rreq_addr_i,
  input  logic [NR*16-1:0] c_rreq_len_i,
  output logic [NR-1:0]    c_rd_valid_o,
  input  logic [NR-1:0]    c_rd_ready_i,
  // clients' write beats and dones
  input  logic [NW-1:0]    c_wr_valid_i,
  output logic [NW-1:0]    c_wr_ready_o,
  input  logic [NW*64-1:0] c_wr_addr_i,
  input  logic [NW*64-1:0] c_wr_data_i,
  input  logic [NW*8-1:0]  c_wr_strb_i,
  input  logic [NW-1:0]    c_wr_last_i,
  output logic [NW-1:0]    c_wr_done_o,    // err with it: wr_err_i

  // the host
  output logic             rreq_valid_o,
  input  logic             rreq_ready_i,
  output logic [63:0]      rreq_addr_o,
  output logic [15:0]      rreq_len_o,
  input  logic             rd_valid_i,
  output logic             rd_ready_o,
  input  logic             rd_last_i,
  input  logic             rd_err_i,
  output logic             wr_valid_o,
  input  logic             wr_ready_i,
  output logic [63:0]      wr_addr_o,
  output logic [63:0]      wr_data_o,
  output logic [7:0]       wr_strb_o,
  output logic             wr_last_o,
  input  logic             wr_done_i,
  input  logic             wr_err_i,

  output logic             rd_fault_o,     // DEV_CNT_DMA_RD_FAULTS
  output logic             wr_fault_o,     // DEV_CNT_DMA_WR_FAULTS
  output logic             busy_o
);
  localparam int unsigned RW = (NR > 1) ? $clog2(NR) : 1;
  localparam int unsigned WW = (NW > 1) ? $clog2(NW) : 1;

  // ---- reads ------------------------------------------------------------------------------
  logic          r_busy_q;      // a read is outstanding
  logic [RW-1:0] r_own_q, r_pick;
  logic          r_any;
  always_comb begin
    r_any  = c_rreq_valid_i != '0;
    r_pick = '0;
    for (int i = NR - 1; i >= 0; i--) if (c_rreq_valid_i[i]) r_pick = RW'(i);
  end
  assign rreq_valid_o = !r_busy_q && r_any && master_i;
  assign rreq_addr_o  = c_rreq_addr_i[64*r_pick +: 64];
  assign rreq_len_o   = c_rreq_len_i[16*r_pick +: 16];
  always_comb begin
    c_rreq_ready_o = '0;
    c_rd_valid_o   = '0;
    c_rreq_ready_o[r_pick] = rreq_valid_o && rreq_ready_i;
    c_rd_valid_o[r_own_q]  = r_busy_q && rd_valid_i;
  end
  assign rd_ready_o = r_busy_q && c_rd_ready_i[r_own_q];
  assign rd_fault_o = rd_valid_i && rd_ready_o && rd_last_i && rd_err_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      r_busy_q <= 1'b0;
      r_own_q  <= '0;
    end else if (rreq_valid_o && rreq_ready_i) begin
      r_busy_q <= 1'b1;
      r_own_q  <= r_pick;
    end else if (rd_valid_i && rd_ready_o && rd_last_i) begin
      r_busy_q <= 1'b0;
    end
  end

  // ---- writes -----------------------------------------------------------------------------
  typedef enum logic [1:0] {WIdle, WBurst, WDone} wst_e;
  wst_e          w_st_q;
  logic [WW-1:0] w_own_q, w_pick, w_sel;
  always_comb begin
    w_pick = '0;
    for (int i = NW - 1; i >= 0; i--) if (c_wr_valid_i[i]) w_pick = WW'(i);
  end
  assign w_sel      = (w_st_q == WIdle) ? w_pick : w_own_q;
  assign wr_valid_o = ((w_st_q == WIdle && master_i) || w_st_q == WBurst) && c_wr_valid_i[w_sel];
  assign wr_addr_o  = c_wr_addr_i[64*w_sel +: 64];
  assign wr_data_o  = c_wr_data_i[64*w_sel +: 64];
  assign wr_strb_o  = c_wr_strb_i[8*w_sel +: 8];
  assign wr_last_o  = c_wr_last_i[w_sel];
  always_comb begin
    c_wr_ready_o = '0;
    c_wr_done_o  = '0;
    c_wr_ready_o[w_sel]   = wr_valid_o && wr_ready_i;
    c_wr_done_o[w_own_q]  = w_st_q == WDone && wr_done_i;
  end
  assign wr_fault_o = w_st_q == WDone && wr_done_i && wr_err_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_st_q  <= WIdle;
      w_own_q <= '0;
    end else begin
      unique case (w_st_q)
        WIdle: if (wr_valid_o && wr_ready_i) begin
          w_own_q <= w_pick;
          w_st_q  <= wr_last_o ? WDone : WBurst;
        end
        WBurst: if (wr_valid_o && wr_ready_i && wr_last_o) w_st_q <= WDone;
        WDone:  if (wr_done_i) w_st_q <= WIdle;
        default: w_st_q <= WIdle;
      endcase
    end
  end

  assign busy_o = r_busy_q || w_st_q != WIdle;

endmodule
