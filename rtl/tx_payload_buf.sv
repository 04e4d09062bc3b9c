// TX payload intake: takes the DMA read data, writes it into the frame buffer and
// checksums it on the way in, so that the header, which leaves first, can carry the
// checksum of data that leaves after it (store and forward, as Corundum's
// tx_checksum does).
//
// The byte count of every read comes from the planner's seg-info queue, never from
// the returned stream: lanes past the requested length are zeroed before they are
// stored, so the buffer content is a pure function of host memory.
//
// Three one's-complement sums per read (toe_tx_pkg::tx_sums_t): for TSO, sum a is
// the whole payload; for a raw frame a, b and c are the L4 range, the IPv4 header
// and the address words of the pseudo-header, each without its checksum field.
module tx_payload_buf #(
  parameter int unsigned W = 64
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  input  logic                      info_valid_i,
  output logic                      info_ready_o,
  input  toe_tx_pkg::tx_seg_info_t  info_i,

  input  logic [W-1:0]              rd_tdata_i,
  input  logic [W/8-1:0]            rd_tkeep_i,
  input  logic                      rd_tlast_i,
  input  logic                      rd_tvalid_i,
  output logic                      rd_tready_o,

  output logic                      buf_valid_o,
  input  logic                      buf_ready_i,
  output logic [W-1:0]              buf_data_o,

  output logic                      sums_valid_o,
  input  logic                      sums_room_i,   // the sums queue can take every sum in flight
  output toe_tx_pkg::tx_sums_t      sums_o
);
  localparam int unsigned B = W / 8;

  // The stream's own framing is not trusted (see above).
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_stream;
  assign unused_stream = ^{rd_tkeep_i, rd_tlast_i};
  /* verilator lint_on UNUSEDSIGNAL */

  logic [15:0]  off_q;   // offset of the current beat within the read
  logic         fire, last;
  logic [B-1:0] lane_ok, mask_a, mask_b, mask_c;
  logic [W-1:0] data_masked;
  logic is_tcp, is_udp;
  assign is_tcp = (info_i.csum_flags & toe_pkg::CSUM_FLAG_TCP) != 8'd0;
  assign is_udp = (info_i.csum_flags & toe_pkg::CSUM_FLAG_UDP) != 8'd0;

  // Byte positions relative to this beat (position - off_q, signed 18 bits), so that
  // each lane compares its own constant index instead of adding and comparing 16 bits.
  logic signed [17:0] rel_len, rel_l3, rel_l4, rel_ipc, rel_l4c, rel_addr;

  function automatic logic signed [17:0] rel(input logic [15:0] pos, input logic [15:0] base);
    rel = $signed({2'b00, pos}) - $signed({2'b00, base});
  endfunction

  assign rel_len  = rel(info_i.len, off_q);
  assign rel_l3   = rel({8'd0, info_i.l3_off}, off_q);
  assign rel_l4   = rel({8'd0, info_i.l4_off}, off_q);
  assign rel_ipc  = rel({8'd0, info_i.l3_off} + 16'd10, off_q);
  assign rel_l4c  = rel({8'd0, info_i.l4_off} + (is_tcp ? 16'd16 : 16'd6), off_q);
  assign rel_addr = rel({8'd0, info_i.l3_off} + 16'd12, off_q);

  always_comb begin
    for (int unsigned l = 0; l < B; l++) begin
      logic signed [17:0] lane;
      logic in_l4, in_ip, in_addr, ipc, l4c;
      lane    = $signed(18'(l));
      lane_ok[l] = lane < rel_len;
      in_l4   = lane >= rel_l4;
      in_ip   = lane >= rel_l3 && lane < rel_l4;
      in_addr = lane >= rel_addr && lane < rel_addr + 18'sd8;
      ipc     = lane == rel_ipc || lane == rel_ipc + 18'sd1;
      l4c     = lane == rel_l4c || lane == rel_l4c + 18'sd1;
      mask_a[l] = lane_ok[l] && (!info_i.raw || ((is_tcp || is_udp) && in_l4 && !l4c));
      mask_b[l] = lane_ok[l] && info_i.raw && in_ip && !ipc;
      mask_c[l] = lane_ok[l] && info_i.raw && in_addr;
      data_masked[8*l +: 8] = rd_tdata_i[8*l +: 8] & {8{lane_ok[l]}};
    end
  end

  assign last         = ({16'd0, off_q} + 32'(B)) >= {16'd0, info_i.len};
  assign rd_tready_o  = info_valid_i && buf_ready_i && sums_room_i;
  assign fire         = rd_tvalid_i && rd_tready_o;
  assign info_ready_o = fire && last;
  assign buf_valid_o  = fire;
  assign buf_data_o   = data_masked;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      off_q <= '0;
    end else if (fire) begin
      off_q <= last ? 16'd0 : off_q + 16'(B);
    end
  end

  logic sum_valid_a, sum_valid_b, sum_valid_c;

  toe_csum #(.W(W)) u_sum_a (
    .clk_i(clk_i), .rst_ni(rst_ni), .valid_i(fire), .first_i(off_q == 16'd0), .last_i(last),
    .data_i(rd_tdata_i), .mask_i(mask_a), .sum_valid_o(sum_valid_a), .sum_o(sums_o.a));
  toe_csum #(.W(W)) u_sum_b (
    .clk_i(clk_i), .rst_ni(rst_ni), .valid_i(fire), .first_i(off_q == 16'd0), .last_i(last),
    .data_i(rd_tdata_i), .mask_i(mask_b), .sum_valid_o(sum_valid_b), .sum_o(sums_o.b));
  toe_csum #(.W(W)) u_sum_c (
    .clk_i(clk_i), .rst_ni(rst_ni), .valid_i(fire), .first_i(off_q == 16'd0), .last_i(last),
    .data_i(rd_tdata_i), .mask_i(mask_c), .sum_valid_o(sum_valid_c), .sum_o(sums_o.c));

  // The three units see the same valid/first/last beats: their sums are ready together.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_valid;
  assign unused_valid = sum_valid_b ^ sum_valid_c;
  /* verilator lint_on UNUSEDSIGNAL */
  assign sums_valid_o = sum_valid_a;

endmodule
