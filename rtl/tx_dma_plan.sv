// TX DMA planner: turns one checked descriptor into the DMA reads of its payload,
// one read per TSO segment (at most smax bytes each) or one read for a raw frame,
// and tells the payload buffer, read by read, how to checksum what comes back.
// Issues one read per clock while the DMA engine and the buffer's queue accept.
module tx_dma_plan (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  input  logic                      in_valid_i,
  output logic                      in_ready_o,
  input  logic                      in_raw_i,
  input  logic [63:0]               in_addr_i,
  input  logic [16:0]               in_len_i,    // > 0
  input  logic [15:0]               in_smax_i,
  input  logic [7:0]                in_l3_off_i,
  input  logic [7:0]                in_l4_off_i,
  input  logic [7:0]                in_csum_flags_i,

  output logic                      rd_req_valid_o,
  input  logic                      rd_req_ready_i,
  output logic [63:0]               rd_req_addr_o,
  output logic [15:0]               rd_req_len_o,

  output logic                      info_valid_o,
  input  logic                      info_ready_i,
  output toe_tx_pkg::tx_seg_info_t  info_o
);
  logic        busy_q, raw_q;
  logic [63:0] addr_q;
  logic [16:0] rem_q;
  logic [15:0] smax_q;
  logic [7:0]  l3_q, l4_q, flags_q;

  logic [16:0] seg_len;
  logic        fire, last;

  // A raw frame is a single read; a TSO send is cut at smax.
  assign seg_len = (raw_q || rem_q <= {1'b0, smax_q}) ? rem_q : {1'b0, smax_q};
  assign last    = (seg_len == rem_q);
  assign fire    = busy_q && rd_req_ready_i && info_ready_i;

  assign rd_req_valid_o = busy_q && info_ready_i;
  assign info_valid_o   = busy_q && rd_req_ready_i;
  assign rd_req_addr_o  = addr_q;
  assign rd_req_len_o   = seg_len[15:0];  // <= RAW_MAX_LEN or MSS_MAX: fits 16 bits

  assign info_o.raw        = raw_q;
  assign info_o.len        = seg_len[15:0];
  assign info_o.l3_off     = l3_q;
  assign info_o.l4_off     = l4_q;
  assign info_o.csum_flags = flags_q;

  assign in_ready_o = !busy_q || (fire && last);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
    end else if (in_ready_o) begin
      busy_q <= in_valid_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (in_ready_o && in_valid_i) begin
      raw_q   <= in_raw_i;
      addr_q  <= in_addr_i;
      rem_q   <= in_len_i;
      smax_q  <= in_smax_i;
      l3_q    <= in_l3_off_i;
      l4_q    <= in_l4_off_i;
      flags_q <= in_csum_flags_i;
    end else if (fire) begin
      addr_q <= addr_q + {47'd0, seg_len};
      rem_q  <= rem_q - seg_len;
    end
  end

endmodule
