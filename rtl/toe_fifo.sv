// Synchronous first-word-fall-through FIFO.
//
// Storage is a simple dual-port memory with a registered read port, so Yosys maps a
// deep instance onto block RAM (and a shallow one onto LUT RAM); a one-entry output
// register in front of it gives show-ahead behaviour: rd_data_o is valid whenever
// rd_valid_o is high, and is consumed by rd_ready_i. Occupancy includes that register.
module toe_fifo #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 16,          // power of two, >= 2
  parameter int unsigned AlmostFullMargin = 0 // almost_full_o when free slots <= margin
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             wr_valid_i,
  output logic             wr_ready_o,
  input  logic [Width-1:0] wr_data_i,

  output logic             rd_valid_o,
  input  logic             rd_ready_i,
  output logic [Width-1:0] rd_data_o,

  output logic             almost_full_o
);
  localparam int unsigned AddrW = $clog2(Depth);

  logic [Width-1:0] mem_q [Depth];
  logic [AddrW:0]   wr_ptr_q, rd_ptr_q;  // one extra bit tells full from empty
  logic             out_valid_q;
  logic [Width-1:0] out_data_q;

  logic [AddrW:0] mem_count;
  logic           mem_empty, mem_full;
  logic           do_write, do_fetch;

  assign mem_count  = wr_ptr_q - rd_ptr_q;
  assign mem_empty  = (mem_count == '0);
  assign mem_full   = mem_count[AddrW];
  assign wr_ready_o = !mem_full;
  assign do_write   = wr_valid_i && !mem_full;
  // Refill the output register when it is empty or being consumed this cycle.
  assign do_fetch   = !mem_empty && (!out_valid_q || rd_ready_i);

  assign rd_valid_o = out_valid_q;
  assign rd_data_o  = out_data_q;
  // Free slots = Depth - mem_count (the output register is extra slack).
  assign almost_full_o = ({1'b0, mem_count} + (AddrW + 2)'(AlmostFullMargin)) >= (AddrW + 2)'(Depth);

  always_ff @(posedge clk_i) begin
    if (do_write) mem_q[wr_ptr_q[AddrW-1:0]] <= wr_data_i;
    if (do_fetch) out_data_q <= mem_q[rd_ptr_q[AddrW-1:0]];
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_ptr_q    <= '0;
      rd_ptr_q    <= '0;
      out_valid_q <= 1'b0;
    end else begin
      if (do_write) wr_ptr_q <= wr_ptr_q + 1'b1;
      if (do_fetch) rd_ptr_q <= rd_ptr_q + 1'b1;
      if (do_fetch)        out_valid_q <= 1'b1;
      else if (rd_ready_i) out_valid_q <= 1'b0;
    end
  end

endmodule
