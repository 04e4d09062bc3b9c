// Function-level reset (docs/device.md, "Reset"): CONTROL.RESET, the channel's RESET and
// toe_dev_ops.flr all come here. The request resets every block but the clock, the
// reset counter and the mailbox RAM for one clock (soft_rst_no, an asynchronous reset
// driven from a flop), and STATUS.READY then stays 0 for ConnMax + 256 clocks - the
// connection-table walk, which the RX engine does in ConnMax of them. Power-on is the
// same walk, not counted as a reset.
module dev_reset #(
  parameter int unsigned ConnMax = 4096
) (
  input  logic clk_i,
  input  logic rst_ni,       // power-on
  input  logic req_i,        // a function-level reset, taken at this clock's edge
  output logic soft_rst_no,  // low for the clock after a request (and at power-on)
  output logic in_reset_o,   // the walk: STATUS.READY 0
  output logic reset_o       // one clock per counted reset (DEV_CNT_RESETS)
);
  localparam logic [31:0] WalkCycles = 32'(ConnMax) + 32'd256;

  logic [31:0] walk_q;
  logic        soft_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      walk_q <= WalkCycles;
      soft_q <= 1'b0;
    end else begin
      soft_q <= req_i;
      if (req_i)                 walk_q <= WalkCycles;
      else if (walk_q != 32'd0)  walk_q <= walk_q - 32'd1;
    end
  end

  assign soft_rst_no = rst_ni && !soft_q;
  assign in_reset_o  = walk_q != 32'd0;
  assign reset_o     = req_i;

endmodule
