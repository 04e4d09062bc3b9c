// The DEV_CNT counters (formats.md, DEV_CNT): one increment bit per counter and clock;
// every block's events are single pulses, and the harness makes one access a clock,
// so no counter sees two events in one clock. A reset clears them all but
// DEV_CNT_RESETS, which counts resets since power-on.
module dev_counters (
  input  logic                                 clk_i,
  input  logic                                 rst_ni,       // power-on
  input  logic                                 soft_rst_ni,  // every reset
  input  logic [toe_pkg::DEV_CNT_NUM-1:0]      inc_i,
  output logic [toe_pkg::DEV_CNT_NUM*32-1:0]   cnt_o
);
  localparam int unsigned N = toe_pkg::DEV_CNT_NUM;
  localparam int unsigned R = toe_pkg::DEV_CNT_RESETS;

  logic [N*32-1:0] cnt_q;
  logic [31:0]     resets_q;

  always_ff @(posedge clk_i or negedge soft_rst_ni) begin
    if (!soft_rst_ni) begin
      cnt_q <= '0;
    end else begin
      for (int unsigned i = 0; i < N; i++) begin
        if (i != R && inc_i[i]) cnt_q[32*i +: 32] <= cnt_q[32*i +: 32] + 32'd1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)       resets_q <= '0;
    else if (inc_i[R]) resets_q <= resets_q + 32'd1;
  end

  always_comb begin
    cnt_o = cnt_q;
    cnt_o[32*R +: 32] = resets_q;
  end

endmodule
