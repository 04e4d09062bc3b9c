// The device clock (docs/device.md, "Time" and "Ticks"): the free-running cycle count
// behind REG_TIME_* (from power-on; a function-level reset does not stop it) and the
// RX engine's tick, one every DEV_TICK_CYCLES cycles counted from the end of a reset.
//
// Virtual time: warp_i jumps warp_n_i whole ticks in one clock. The cycle count moves
// on by that many tick periods and the tick phase stays where it was, so the clocks
// after a warp are the ones that would have followed the skipped stretch. skip_i jumps
// skip_n_i clocks short of the next tick (the host keeps it short of it): the ticks'
// work, if any, still runs at its tick.
module dev_clock (
  input  logic        clk_i,
  input  logic        rst_ni,        // power-on only
  input  logic        run_ticks_i,   // out of reset: the tick divider runs
  input  logic        warp_i,
  input  logic [31:0] warp_n_i,
  input  logic        skip_i,
  input  logic [31:0] skip_n_i,
  output logic [63:0] cycle_o,       // clocks since power-on
  output logic        tick_o,        // a tick this clock
  output logic [31:0] to_tick_o      // clocks until the next tick (1: this clock's edge)
);
  localparam logic [31:0] TickCycles = toe_pkg::DEV_TICK_CYCLES;

  logic [63:0] cycle_q, cycle_d;
  logic [31:0] phase_q, phase_d;   // clocks since the last tick (or the reset's end)

  assign tick_o    = run_ticks_i && phase_q == TickCycles - 32'd1;
  assign to_tick_o = TickCycles - phase_q;
  assign cycle_o   = cycle_q;

  always_comb begin
    cycle_d = cycle_q + 64'd1;
    if (warp_i) cycle_d = cycle_d + {32'd0, warp_n_i} * {32'd0, TickCycles};
    if (skip_i) cycle_d = cycle_d + {32'd0, skip_n_i};
    if (!run_ticks_i)  phase_d = '0;
    else if (tick_o)   phase_d = '0;
    else if (skip_i)   phase_d = phase_q + 32'd1 + skip_n_i;
    else               phase_d = phase_q + 32'd1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cycle_q <= '0;
      phase_q <= '0;
    end else begin
      cycle_q <= cycle_d;
      phase_q <= phase_d;
    end
  end

endmodule
