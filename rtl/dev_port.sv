// The Ethernet port's transmit side: frames from the TX engine and ACK frames from the
// RX engine share it, taken in turn at frame boundaries (docs/device.md, TX): a source
// keeps the port from its first beat to its last, then the other one goes first if it
// waits.
module dev_port (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [63:0] a_tdata_i,    // TX engine
  input  logic [7:0]  a_tkeep_i,
  input  logic        a_tlast_i,
  input  logic        a_tvalid_i,
  output logic        a_tready_o,
  input  logic [63:0] b_tdata_i,    // RX engine ACKs
  input  logic [7:0]  b_tkeep_i,
  input  logic        b_tlast_i,
  input  logic        b_tvalid_i,
  output logic        b_tready_o,
  output logic [63:0] tx_tdata_o,
  output logic [7:0]  tx_tkeep_o,
  output logic        tx_tlast_o,
  output logic        tx_tvalid_o,
  input  logic        tx_tready_i
);
  logic locked_q, own_q, last_q;   // own: 0 TX engine, 1 ACKs; last: who sent the last frame
  logic sel;

  always_comb begin
    if (locked_q)                       sel = own_q;
    else if (a_tvalid_i && b_tvalid_i)  sel = !last_q;
    else                                sel = b_tvalid_i;
  end

  assign tx_tdata_o  = sel ? b_tdata_i : a_tdata_i;
  assign tx_tkeep_o  = sel ? b_tkeep_i : a_tkeep_i;
  assign tx_tlast_o  = sel ? b_tlast_i : a_tlast_i;
  assign tx_tvalid_o = sel ? b_tvalid_i : a_tvalid_i;
  assign a_tready_o  = !sel && tx_tready_i;
  assign b_tready_o  = sel && tx_tready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      locked_q <= 1'b0;
      own_q    <= 1'b0;
      last_q   <= 1'b1;
    end else if (tx_tvalid_o && tx_tready_i) begin
      locked_q <= !tx_tlast_o;
      own_q    <= sel;
      if (tx_tlast_o) last_q <= sel;
    end
  end

endmodule
