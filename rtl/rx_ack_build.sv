// ACK frame builder: turns an ACK request of the connection stage into the frame
// (docs/rx-datapath.md, "ACK frames"): Ethernet with an optional 802.1Q tag, IPv4,
// TCP with only ACK set, and the timestamp option when the connection uses it, both
// checksums filled. One request is built while the previous frame streams out.
module rx_ack_build #(
  parameter int unsigned W = 64
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,

  input  logic                       req_valid_i,
  output logic                       req_ready_o,
  input  toe_rx_pkg::rx_ack_req_t    req_i,

  output logic [W-1:0]               tdata_o,
  output logic [W/8-1:0]             tkeep_o,
  output logic                       tlast_o,
  output logic                       tvalid_o,
  input  logic                       tready_i
);
  localparam int unsigned B     = W / 8;
  localparam int unsigned HdrW  = ((72 * 8 + W - 1) / W) * W;

  // ---- the frame, worked out in one clock -------------------------------------------------
  toe_rx_pkg::rx_ack_req_t r;
  assign r = req_i;

  logic [15:0] tcp_hlen, ip_len, frag, ip_csum, tcp_csum;
  assign tcp_hlen = r.ts ? 16'd32 : 16'd20;
  assign ip_len   = 16'd20 + tcp_hlen;
  assign frag     = r.df ? 16'h4000 : 16'h0000;
  assign ip_csum  = ~toe_net_pkg::csum_fold(32'({8'h45, r.tos}) + 32'(ip_len) + 32'(r.ip_id) + 32'(frag) +
                                            32'({r.ttl, 8'd6}) + 32'(r.src_ip[31:16]) + 32'(r.src_ip[15:0]) +
                                            32'(r.dst_ip[31:16]) + 32'(r.dst_ip[15:0]));
  // Pseudo-header, header (flags ACK = 0x10), options; no payload.
  assign tcp_csum = ~toe_net_pkg::csum_fold(32'(r.src_ip[31:16]) + 32'(r.src_ip[15:0]) +
                                            32'(r.dst_ip[31:16]) + 32'(r.dst_ip[15:0]) + 32'd6 +
                                            32'(tcp_hlen) + 32'(r.src_port) + 32'(r.dst_port) +
                                            32'(r.seq[31:16]) + 32'(r.seq[15:0]) +
                                            32'(r.ack[31:16]) + 32'(r.ack[15:0]) +
                                            32'({tcp_hlen[5:2], 4'd0, 8'h10}) + 32'(r.wnd) +
                                            (r.ts ? (32'h0101 + 32'h080a + 32'(r.tsval[31:16]) +
                                                     32'(r.tsval[15:0]) + 32'(r.tsecr[31:16]) +
                                                     32'(r.tsecr[15:0])) : 32'd0));

  logic [111:0] eth14;
  logic [143:0] eth18;
  logic [159:0] ip20, tcp20;
  logic [95:0]  ts12;
  logic [415:0] l3;
  logic [575:0] hdr;
  assign eth14 = {toe_net_pkg::be16(16'h0800), r.src_mac, r.dst_mac};
  assign eth18 = {toe_net_pkg::be16(16'h0800), toe_net_pkg::be16(r.vlan_tci),
                  toe_net_pkg::be16(16'h8100), r.src_mac, r.dst_mac};
  assign ip20  = {toe_net_pkg::be32(r.dst_ip), toe_net_pkg::be32(r.src_ip), toe_net_pkg::be16(ip_csum),
                  8'd6, r.ttl, toe_net_pkg::be16(frag), toe_net_pkg::be16(r.ip_id),
                  toe_net_pkg::be16(ip_len), r.tos, 8'h45};
  assign tcp20 = {16'd0, toe_net_pkg::be16(tcp_csum), toe_net_pkg::be16(r.wnd),
                  8'h10, tcp_hlen[5:2], 4'd0, toe_net_pkg::be32(r.ack), toe_net_pkg::be32(r.seq),
                  toe_net_pkg::be16(r.dst_port), toe_net_pkg::be16(r.src_port)};
  // RFC 7323 appendix A layout: NOP, NOP, kind 8, length 10, TSval, TSecr.
  assign ts12  = r.ts ? {toe_net_pkg::be32(r.tsecr), toe_net_pkg::be32(r.tsval), 8'd10, 8'd8, 8'd1, 8'd1}
                      : 96'd0;
  assign l3    = {ts12, tcp20, ip20};
  assign hdr   = r.vlan ? {16'd0, l3, eth18} : {48'd0, l3, eth14};

  // ---- streaming ----------------------------------------------------------------------------
  logic            active_q;
  logic [HdrW-1:0] hdr_q;
  logic [7:0]      left_q;   // bytes not yet sent
  logic            fire, last;

  assign last        = left_q <= 8'(B);
  assign fire        = active_q && tready_i;
  assign tvalid_o    = active_q;
  assign tdata_o     = hdr_q[W-1:0];
  assign tlast_o     = last;
  assign req_ready_o = !active_q || (fire && last);
  always_comb begin
    for (int unsigned l = 0; l < B; l++) tkeep_o[l] = !last || 8'(l) < left_q;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)          active_q <= 1'b0;
    else if (req_ready_o) active_q <= req_valid_i;
  end

  always_ff @(posedge clk_i) begin
    if (req_ready_o && req_valid_i) begin
      hdr_q  <= HdrW'(hdr);
      left_q <= 8'(16'd34 + tcp_hlen) + (r.vlan ? 8'd4 : 8'd0);
    end else if (fire) begin
      hdr_q  <= hdr_q >> W;
      left_q <= left_q - 8'(B);
    end
  end

endmodule
