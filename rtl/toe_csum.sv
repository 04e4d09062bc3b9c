// Streaming Internet checksum (RFC 1071) over one data beat per clock.
//
// Adds the big-endian 16-bit words of every beat (byte lane 2k is the high byte of
// word k), with bytes whose mask bit is clear counted as zero, from a beat marked
// first_i through a beat marked last_i. The folded, uncomplemented 16-bit sum appears
// on sum_o with sum_valid_o for one cycle, four cycles after the last beat:
//   stage 0  the masked beat                          -> words_q
//   stage 1  adder tree over the beat's W/16 words   -> beat_sum_q
//   stage 2  accumulate with the previous beats       -> acc_q
//   stage 3  end-around-carry fold                    -> sum_o
// Stage 0 keeps the producer's mask logic out of the adder tree's path.
//
// The accumulator is 32 bits: a frame of at most 64 KiB has 32 Ki words of at most
// 0xFFFF, which sums to below 2^31, so no carry is ever lost before the fold.
module toe_csum #(
  parameter int unsigned W = 64  // datapath width in bits: 64, 128, 256 or 512
) (
  input  logic           clk_i,
  input  logic           rst_ni,
  input  logic           valid_i,
  input  logic           first_i,
  input  logic           last_i,
  input  logic [W-1:0]   data_i,
  input  logic [W/8-1:0] mask_i,
  output logic           sum_valid_o,
  output logic [15:0]    sum_o
);
  localparam int unsigned Words = W / 16;

  logic [W-1:0] words_q;
  logic         s0_valid_q, s0_first_q, s0_last_q;
  localparam int unsigned BeatSumW = 16 + $clog2(Words);

  logic [BeatSumW-1:0] beat_sum_d, beat_sum_q;
  logic                s1_valid_q, s1_first_q, s1_last_q;
  logic [31:0]         acc_q, acc_d;
  logic                s2_done_q;

  logic [W-1:0] words_d;
  always_comb begin
    for (int unsigned l = 0; l < W / 8; l++) begin
      words_d[8*l +: 8] = data_i[8*l +: 8] & {8{mask_i[l]}};
    end
  end

  // Lane 2k is the high byte of word k (network order).
  always_comb begin
    beat_sum_d = '0;
    for (int unsigned k = 0; k < Words; k++) begin
      beat_sum_d = beat_sum_d + BeatSumW'({words_q[16*k +: 8], words_q[16*k + 8 +: 8]});
    end
  end

  assign acc_d = (s1_first_q ? 32'd0 : acc_q) + 32'(beat_sum_q);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s0_valid_q  <= 1'b0;
      s0_first_q  <= 1'b0;
      s0_last_q   <= 1'b0;
      words_q     <= '0;
      s1_valid_q  <= 1'b0;
      s1_first_q  <= 1'b0;
      s1_last_q   <= 1'b0;
      beat_sum_q  <= '0;
      acc_q       <= '0;
      s2_done_q   <= 1'b0;
      sum_valid_o <= 1'b0;
      sum_o       <= '0;
    end else begin
      s0_valid_q  <= valid_i;
      s0_first_q  <= first_i;
      s0_last_q   <= last_i;
      if (valid_i) words_q <= words_d;
      s1_valid_q  <= s0_valid_q;
      s1_first_q  <= s0_first_q;
      s1_last_q   <= s0_last_q;
      if (s0_valid_q) beat_sum_q <= beat_sum_d;
      if (s1_valid_q) acc_q <= acc_d;
      s2_done_q   <= s1_valid_q && s1_last_q;
      sum_valid_o <= s2_done_q;
      if (s2_done_q) sum_o <= toe_net_pkg::csum_fold(acc_q);
    end
  end

endmodule
