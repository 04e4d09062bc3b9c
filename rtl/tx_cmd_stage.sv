// TX command intake: accepts one descriptor with its connection context, samples the
// timestamp clock, runs the descriptor checks and registers the result as a job.
// A plain pipeline register: it takes a command whenever its slot is empty or
// being emptied this cycle.
module tx_cmd_stage (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic [63:0]           dma_lo_i,
  input  logic [63:0]           dma_hi_i,
  input  logic [31:0]           ts_now_i,

  input  logic                  cmd_valid_i,
  output logic                  cmd_ready_o,
  input  toe_pkg::tx_desc_t     cmd_desc_i,
  input  toe_pkg::tx_ctx_t      cmd_ctx_i,

  output logic                  job_valid_o,
  input  logic                  job_ready_i,
  output toe_tx_pkg::tx_job_t   job_o
);
  logic [7:0]  status;
  logic [15:0] smax;
  logic        valid_q;

  tx_desc_check u_check (
    .desc_i   (cmd_desc_i),
    .ctx_i    (cmd_ctx_i),
    .dma_lo_i (dma_lo_i),
    .dma_hi_i (dma_hi_i),
    .status_o (status),
    .smax_o   (smax)
  );

  assign cmd_ready_o = !valid_q || job_ready_i;
  assign job_valid_o = valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
    end else if (cmd_ready_o) begin
      valid_q <= cmd_valid_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (cmd_ready_o && cmd_valid_i) begin
      job_o.desc   <= cmd_desc_i;
      job_o.ctx    <= cmd_ctx_i;
      job_o.tsval  <= ts_now_i;
      job_o.status <= status;
      job_o.smax   <= smax;
    end
  end

endmodule
