// Small register queue: up to two writes and one read per clock, the head straight out
// of a register (an item written in one clock is readable in the next).
//
// For the short output queues of a stage that can make two items in one clock (a
// segment's two events). The writer checks free_o before it writes: free_o counts the
// slots free at the start of the clock, without the read of the same clock, so that
// it depends on registers only.
module toe_regq #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 4   // power of two, >= 2
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,

  input  logic [1:0]                 wr_n_i,      // items written this clock: 0, 1 or 2
  input  logic [Width-1:0]           wr_data0_i,  // the first of them
  input  logic [Width-1:0]           wr_data1_i,  // the second
  output logic [$clog2(Depth):0]     free_o,

  output logic                       rd_valid_o,
  input  logic                       rd_ready_i,
  output logic [Width-1:0]           rd_data_o
);
  localparam int unsigned AW = $clog2(Depth);

  if (Depth < 2 || (Depth & (Depth - 1)) != 0) begin : g_bad_depth
    $error("Depth must be a power of two, at least 2");
  end

  logic [Width-1:0] mem_q [Depth];
  logic [AW-1:0]    wr_q, rd_q, wr_next;
  logic [AW:0]      cnt_q;
  logic             pop;

  assign free_o     = (AW + 1)'(Depth) - cnt_q;
  assign rd_valid_o = cnt_q != '0;
  assign rd_data_o  = mem_q[rd_q];
  assign pop        = rd_valid_o && rd_ready_i;
  assign wr_next    = wr_q + 1'b1;

  always_ff @(posedge clk_i) begin
    if (wr_n_i != 2'd0) mem_q[wr_q] <= wr_data0_i;
    if (wr_n_i == 2'd2) mem_q[wr_next] <= wr_data1_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_q  <= '0;
      rd_q  <= '0;
      cnt_q <= '0;
    end else begin
      wr_q  <= wr_q + AW'(wr_n_i);
      rd_q  <= rd_q + AW'(pop);
      cnt_q <= cnt_q + (AW + 1)'(wr_n_i) - (AW + 1)'(pop);
    end
  end

endmodule
