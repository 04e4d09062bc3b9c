// RX parser: decides what becomes of a frame from its captured head, its length and
// the ingress sum (docs/rx-datapath.md, "Parsing and verification"): drop it (with a
// reason), hand it to the host whole (exception, with a reason), or pass its TCP
// fields on to the connection stage.
//
// Four stages, each a register with valid/ready:
//   s1  Ethernet/802.1Q and the IPv4 header position (l3, IHL, l4)
//   s2  the IPv4 header sum and the sum of the bytes before L4 (masked sums over the
//       head), the IPv4, UDP and TCP fields, and the TCP options cut out of the head
//   s3  the TCP option walk, one option per clock (kind 0 ends, kind 1 is one byte,
//       every other kind has a length byte that must stay inside the header); the
//       usual NOP, NOP, timestamps layout is taken whole, in no extra clock
//   s4  the verdict, in the contract's order
module rx_parse (
  input  logic                        clk_i,
  input  logic                        rst_ni,

  input  logic                        frm_valid_i,
  output logic                        frm_ready_o,
  input  toe_rx_pkg::rx_frame_t       frm_i,

  input  logic                        sum_valid_i,
  input  logic [15:0]                 sum_i,       // ingress sum over [0, datagram end)

  output logic                        out_valid_o,
  input  logic                        out_ready_i,
  output toe_rx_pkg::rx_parsed_t      out_o
);
  localparam int unsigned CapB  = toe_rx_pkg::CAP_BYTES;
  localparam int unsigned Words = CapB / 2;

  // One byte or big-endian word of the head at a variable offset.
  function automatic logic [7:0] byte_at(input logic [CapB*8-1:0] cap, input logic [7:0] i);
    byte_at = cap[8*i +: 8];
  endfunction
  function automatic logic [15:0] be16_at(input logic [CapB*8-1:0] cap, input logic [7:0] i);
    be16_at = {cap[8*i +: 8], cap[8*(i + 8'd1) +: 8]};
  endfunction
  function automatic logic [31:0] be32_at(input logic [CapB*8-1:0] cap, input logic [7:0] i);
    be32_at = {cap[8*i +: 8], cap[8*(i + 8'd1) +: 8], cap[8*(i + 8'd2) +: 8], cap[8*(i + 8'd3) +: 8]};
  endfunction

  // ---- s1: link layer and where the IPv4 header sits ------------------------------------
  logic                   s1_valid_q, s1_ready;
  toe_rx_pkg::rx_frame_t  s1_frm_q;
  logic [15:0]            s1_sum_q;
  logic                   s1_vlan_q, s1_ipv4_q, s1_runt_q;
  logic [7:0]             s1_l3_q;
  logic [3:0]             s1_ihl_q;

  logic tag_d, vlan_d, ipv4_d;
  logic [7:0] l3_d, ver_ihl_d;
  // An 802.1Q tag: ethertype 0x8100 (a frame too short to hold the whole tag is a runt).
  assign tag_d  = byte_at(frm_i.cap, 8'd12) == 8'h81 && byte_at(frm_i.cap, 8'd13) == 8'h00;
  assign vlan_d = tag_d && frm_i.n >= 16'd18;
  assign l3_d   = vlan_d ? 8'd18 : 8'd14;
  assign ipv4_d = be16_at(frm_i.cap, l3_d - 8'd2) == 16'h0800;
  assign ver_ihl_d = byte_at(frm_i.cap, l3_d);

  // The ingress sum of a frame arrives a few clocks after its record.
  assign frm_ready_o = sum_valid_i && (!s1_valid_q || s1_ready);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                        s1_valid_q <= 1'b0;
    else if (!s1_valid_q || s1_ready)   s1_valid_q <= frm_valid_i && sum_valid_i;
  end

  always_ff @(posedge clk_i) begin
    if (frm_ready_o && frm_valid_i) begin
      s1_frm_q  <= frm_i;
      s1_sum_q  <= sum_i;
      s1_vlan_q <= vlan_d;
      s1_ipv4_q <= ipv4_d;
      s1_l3_q   <= l3_d;
      s1_ihl_q  <= ver_ihl_d[3:0];
      s1_runt_q <= frm_i.n < 16'd14 || (tag_d && frm_i.n < 16'd18);
    end
  end

  // ---- s2: sums over the head, header fields, the options ----------------------------------
  logic                   s2_valid_q, s2_ready;
  toe_rx_pkg::rx_frame_t  s2_frm_q;
  logic [15:0]            s2_sum_q, s2_ip_sum_q, s2_pre_l4_q;
  logic                   s2_vlan_q, s2_ipv4_q, s2_runt_q;
  logic [7:0]             s2_l3_q, s2_l4_q;
  logic [7:0]             s2_ver_ihl_q, s2_proto_q;
  logic [15:0]            s2_total_q, s2_frag_q;
  logic [31:0]            s2_src_q, s2_dst_q;
  logic [15:0]            s2_sport_q, s2_dport_q, s2_udp_len_q, s2_udp_csum_q, s2_wnd_q;
  logic [31:0]            s2_seq_q, s2_ack_q;
  logic [7:0]             s2_off_q, s2_flags_q;
  logic [8*40-1:0]        s2_opt_q;

  logic [7:0]  l4_d;
  logic [31:0] ip_acc, pre_acc;
  assign l4_d = s1_l3_q + {2'd0, s1_ihl_q, 2'd0};

  // Word k covers head bytes 2k and 2k+1 (l3 and l4 are even). The words are masked
  // first and then all added, so that synthesis builds an adder tree, not a chain.
  always_comb begin
    ip_acc  = '0;
    pre_acc = '0;
    for (int unsigned k = 0; k < Words; k++) begin
      logic [15:0] w, w_ip, w_pre;
      w     = {s1_frm_q.cap[16*k +: 8], s1_frm_q.cap[16*k + 8 +: 8]};
      w_ip  = w & {16{8'(2*k) >= s1_l3_q && 8'(2*k) < l4_d}};
      w_pre = w & {16{8'(2*k) < l4_d}};
      ip_acc  = ip_acc + 32'(w_ip);
      pre_acc = pre_acc + 32'(w_pre);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                      s2_valid_q <= 1'b0;
    else if (!s2_valid_q || s2_ready) s2_valid_q <= s1_valid_q;
  end
  assign s1_ready = !s2_valid_q || s2_ready;

  always_ff @(posedge clk_i) begin
    if (s1_valid_q && s1_ready) begin
      s2_frm_q      <= s1_frm_q;
      s2_sum_q      <= s1_sum_q;
      s2_vlan_q     <= s1_vlan_q;
      s2_ipv4_q     <= s1_ipv4_q;
      s2_runt_q     <= s1_runt_q;
      s2_l3_q       <= s1_l3_q;
      s2_l4_q       <= l4_d;
      s2_ip_sum_q   <= toe_net_pkg::csum_fold(ip_acc);
      s2_pre_l4_q   <= toe_net_pkg::csum_fold(pre_acc);
      s2_ver_ihl_q  <= byte_at(s1_frm_q.cap, s1_l3_q);
      s2_total_q    <= be16_at(s1_frm_q.cap, s1_l3_q + 8'd2);
      s2_frag_q     <= be16_at(s1_frm_q.cap, s1_l3_q + 8'd6);
      s2_proto_q    <= byte_at(s1_frm_q.cap, s1_l3_q + 8'd9);
      s2_src_q      <= be32_at(s1_frm_q.cap, s1_l3_q + 8'd12);
      s2_dst_q      <= be32_at(s1_frm_q.cap, s1_l3_q + 8'd16);
      s2_sport_q    <= be16_at(s1_frm_q.cap, l4_d);
      s2_dport_q    <= be16_at(s1_frm_q.cap, l4_d + 8'd2);
      s2_udp_len_q  <= be16_at(s1_frm_q.cap, l4_d + 8'd4);
      s2_udp_csum_q <= be16_at(s1_frm_q.cap, l4_d + 8'd6);
      s2_seq_q      <= be32_at(s1_frm_q.cap, l4_d + 8'd4);
      s2_ack_q      <= be32_at(s1_frm_q.cap, l4_d + 8'd8);
      s2_off_q      <= byte_at(s1_frm_q.cap, l4_d + 8'd12);
      s2_flags_q    <= byte_at(s1_frm_q.cap, l4_d + 8'd13);
      s2_wnd_q      <= be16_at(s1_frm_q.cap, l4_d + 8'd14);
      s2_opt_q      <= 320'(s1_frm_q.cap >> (8 * ({24'd0, l4_d} + 32'd20)));
    end
  end

  // ---- s3: the option walk ----------------------------------------------------------------
  // The header checks the walk depends on (the verdict stage repeats them in order).
  logic [15:0] s2_ihl4, s2_len4;
  logic [5:0]  s2_optlen;
  logic        s2_tcp_ok;
  assign s2_ihl4   = {10'd0, s2_ver_ihl_q[3:0], 2'd0};
  assign s2_len4   = s2_total_q - s2_ihl4;
  assign s2_optlen = 6'({s2_off_q[7:4], 2'd0}) - 6'd20;
  assign s2_tcp_ok = s2_proto_q == 8'd6 && s2_len4 >= 16'd20 && s2_off_q[7:4] >= 4'd5 &&
                     {10'd0, s2_off_q[7:4], 2'd0} <= s2_len4;

  logic                   s3_valid_q, s3_busy_q, s3_done;
  toe_rx_pkg::rx_frame_t  s3_frm_q;
  logic [15:0]            s3_sum_q, s3_ip_sum_q, s3_pre_l4_q;
  logic                   s3_vlan_q, s3_ipv4_q, s3_runt_q;
  logic [7:0]             s3_l3_q, s3_l4_q, s3_ver_ihl_q, s3_proto_q, s3_off_q, s3_flags_q;
  logic [15:0]            s3_total_q, s3_frag_q, s3_sport_q, s3_dport_q, s3_udp_len_q, s3_udp_csum_q;
  logic [15:0]            s3_wnd_q;
  logic [31:0]            s3_src_q, s3_dst_q, s3_seq_q, s3_ack_q;
  logic [8*40-1:0]        s3_opt_q;
  logic [5:0]             s3_optlen_q, s3_p_q;
  logic                   s3_has_ts_q, s3_other_q, s3_bad_q;
  logic [31:0]            s3_tsval_q, s3_tsecr_q;

  // One step of the walk at s3_p_q.
  logic [7:0] kind, olen;
  logic [6:0] p1, pend;
  logic       step_end, step_bad;
  assign kind     = s3_opt_q[8*s3_p_q +: 8];
  assign olen     = s3_opt_q[8*(6'(s3_p_q + 6'd1)) +: 8];
  assign p1       = {1'b0, s3_p_q} + 7'd1;
  assign pend     = {1'b0, s3_p_q} + olen[6:0];
  assign step_bad = kind != 8'd0 && kind != 8'd1 &&
                    (p1 >= {1'b0, s3_optlen_q} || olen < 8'd2 || olen > 8'd40 ||
                     pend > {1'b0, s3_optlen_q});
  assign step_end = s3_p_q >= s3_optlen_q || kind == 8'd0 || step_bad ||
                    (kind == 8'd1 ? p1 >= {1'b0, s3_optlen_q} : pend >= {1'b0, s3_optlen_q});
  assign s3_done  = s3_valid_q && !s3_busy_q;

  // The layout RFC 7323 Appendix A recommends and every common stack sends - NOP, NOP,
  // timestamps, and nothing else - is recognised whole, without walking, so that a
  // stream of timestamped segments goes through at one a clock (Linux has the same
  // fast path, tcp_parse_aligned_timestamp). The walk would find the same.
  logic s2_aligned_ts;
  assign s2_aligned_ts = s2_tcp_ok && s2_optlen == 6'd12 && s2_opt_q[31:0] == 32'h0A08_0101;

  logic s4_ready;
  assign s2_ready = !s3_valid_q || (s3_done && s4_ready);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s3_valid_q <= 1'b0;
      s3_busy_q  <= 1'b0;
    end else if (s2_ready) begin
      s3_valid_q <= s2_valid_q;
      // Only a structurally sound TCP header with options needs walking.
      s3_busy_q  <= s2_valid_q && s2_tcp_ok && s2_optlen != 6'd0 && !s2_aligned_ts;
    end else if (s3_busy_q && step_end) begin
      s3_busy_q  <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (s2_ready && s2_valid_q) begin
      s3_frm_q      <= s2_frm_q;
      s3_sum_q      <= s2_sum_q;
      s3_ip_sum_q   <= s2_ip_sum_q;
      s3_pre_l4_q   <= s2_pre_l4_q;
      s3_vlan_q     <= s2_vlan_q;
      s3_ipv4_q     <= s2_ipv4_q;
      s3_runt_q     <= s2_runt_q;
      s3_l3_q       <= s2_l3_q;
      s3_l4_q       <= s2_l4_q;
      s3_ver_ihl_q  <= s2_ver_ihl_q;
      s3_proto_q    <= s2_proto_q;
      s3_total_q    <= s2_total_q;
      s3_frag_q     <= s2_frag_q;
      s3_src_q      <= s2_src_q;
      s3_dst_q      <= s2_dst_q;
      s3_sport_q    <= s2_sport_q;
      s3_dport_q    <= s2_dport_q;
      s3_udp_len_q  <= s2_udp_len_q;
      s3_udp_csum_q <= s2_udp_csum_q;
      s3_seq_q      <= s2_seq_q;
      s3_ack_q      <= s2_ack_q;
      s3_off_q      <= s2_off_q;
      s3_flags_q    <= s2_flags_q;
      s3_wnd_q      <= s2_wnd_q;
      s3_opt_q      <= s2_opt_q;
      s3_optlen_q   <= s2_optlen;
      s3_p_q        <= '0;
      s3_has_ts_q   <= s2_aligned_ts;
      s3_other_q    <= 1'b0;
      s3_bad_q      <= 1'b0;
      s3_tsval_q    <= s2_aligned_ts ? toe_net_pkg::be32(s2_opt_q[63:32]) : 32'd0;
      s3_tsecr_q    <= s2_aligned_ts ? toe_net_pkg::be32(s2_opt_q[95:64]) : 32'd0;
    end else if (s3_busy_q) begin
      if (step_bad) begin
        s3_bad_q <= 1'b1;
      end else if (kind != 8'd0 && kind != 8'd1) begin
        // A timestamp option is kind 8, length 10 (RFC 7323 section 3); a second one,
        // like any other option, keeps the segment off the fast path.
        if (kind == 8'd8 && olen == 8'd10 && !s3_has_ts_q) begin
          s3_has_ts_q <= 1'b1;
          s3_tsval_q  <= {s3_opt_q[8*(s3_p_q + 6'd2) +: 8], s3_opt_q[8*(s3_p_q + 6'd3) +: 8],
                          s3_opt_q[8*(s3_p_q + 6'd4) +: 8], s3_opt_q[8*(s3_p_q + 6'd5) +: 8]};
          s3_tsecr_q  <= {s3_opt_q[8*(s3_p_q + 6'd6) +: 8], s3_opt_q[8*(s3_p_q + 6'd7) +: 8],
                          s3_opt_q[8*(s3_p_q + 6'd8) +: 8], s3_opt_q[8*(s3_p_q + 6'd9) +: 8]};
        end else begin
          s3_other_q <= 1'b1;
        end
      end
      s3_p_q <= (kind == 8'd1) ? p1[5:0] : pend[5:0];
    end
  end

  // ---- s4: the verdict ---------------------------------------------------------------------
  toe_rx_pkg::rx_parsed_t v;
  logic [15:0] ihl4, len4, tcp_hlen, l4_sum, pseudo_sum;
  logic [31:0] l4_acc;
  logic        l4_csum_ok, ip_hdr_ok;

  assign ihl4     = {10'd0, s3_ver_ihl_q[3:0], 2'd0};
  assign len4     = s3_total_q - ihl4;
  assign tcp_hlen = {10'd0, s3_off_q[7:4], 2'd0};
  // The L4 sum is the ingress sum less the bytes before L4 (one's-complement
  // subtraction is adding the complement); with the pseudo-header a good segment sums
  // to zero modulo 0xFFFF, which the fold shows as 0xFFFF or 0x0000.
  assign pseudo_sum = toe_net_pkg::csum_fold(32'(s3_src_q[31:16]) + 32'(s3_src_q[15:0]) +
                                             32'(s3_dst_q[31:16]) + 32'(s3_dst_q[15:0]) +
                                             32'(s3_proto_q) + 32'(len4));
  logic [15:0] pre_l4_neg;
  assign pre_l4_neg = ~s3_pre_l4_q;
  assign l4_acc     = 32'(s3_sum_q) + 32'(pre_l4_neg) + 32'(pseudo_sum);
  assign l4_sum     = toe_net_pkg::csum_fold(l4_acc);
  assign l4_csum_ok = (l4_sum == 16'hFFFF) || (l4_sum == 16'h0000);
  assign ip_hdr_ok  = s3_frm_q.n >= 16'(s3_l3_q) + 16'd20 && s3_ver_ihl_q[7:4] == 4'd4 &&
                      s3_ver_ihl_q[3:0] >= 4'd5 && 16'(s3_l3_q) + ihl4 <= s3_frm_q.n &&
                      s3_total_q >= ihl4 && 17'(s3_l3_q) + 17'(s3_total_q) <= 17'(s3_frm_q.n);

  always_comb begin
    v            = '0;
    v.n          = s3_frm_q.n;
    v.beats      = s3_frm_q.beats;
    v.tick       = s3_frm_q.tick;
    v.src_ip     = s3_src_q;
    v.dst_ip     = s3_dst_q;
    v.src_port   = s3_sport_q;
    v.dst_port   = s3_dport_q;
    v.seq        = s3_seq_q;
    v.ack        = s3_ack_q;
    v.wnd        = s3_wnd_q;
    v.tcp_flags  = s3_flags_q;
    v.pay_off    = s3_l4_q + tcp_hlen[7:0];
    v.pay_len    = len4 - tcp_hlen;
    v.has_ts     = s3_has_ts_q;
    v.other_opts = s3_other_q;
    v.tsval      = s3_tsval_q;
    v.tsecr      = s3_tsecr_q;
    v.action     = toe_rx_pkg::ACT_DROP;
    if (s3_runt_q) begin
      v.reason = toe_pkg::RX_DROP_RUNT;
    end else if (s3_frm_q.too_long) begin
      v.reason = toe_pkg::RX_DROP_TOO_LONG;
    end else if (!s3_ipv4_q) begin
      v.action = toe_rx_pkg::ACT_EXC;
      v.reason = toe_pkg::RX_EXC_NOT_IPV4;
    end else begin
      v.l3 = s3_l3_q;
      if (!ip_hdr_ok) begin
        v.reason = toe_pkg::RX_DROP_IP_HDR;
      end else if (s3_ip_sum_q != 16'hFFFF) begin
        v.reason = toe_pkg::RX_DROP_IP_CSUM;
      end else begin
        v.l4 = s3_l4_q;
        if (s3_frag_q[13] || s3_frag_q[12:0] != 13'd0) begin
          v.action = toe_rx_pkg::ACT_EXC;
          v.reason = toe_pkg::RX_EXC_FRAG;
        end else if (s3_proto_q != 8'd6 && s3_proto_q != 8'd17) begin
          v.action = toe_rx_pkg::ACT_EXC;
          v.reason = toe_pkg::RX_EXC_NOT_TCP;
        end else if (s3_proto_q == 8'd17) begin
          if (len4 < 16'd8 || s3_udp_len_q != len4) begin
            v.reason = toe_pkg::RX_DROP_UDP_HDR;
          end else if (s3_udp_csum_q != 16'd0 && !l4_csum_ok) begin
            v.reason = toe_pkg::RX_DROP_UDP_CSUM;
          end else begin
            v.action = toe_rx_pkg::ACT_EXC;
            v.reason = toe_pkg::RX_EXC_UDP;
          end
        end else if (len4 < 16'd20 || s3_off_q[7:4] < 4'd5 || tcp_hlen > len4 || s3_bad_q) begin
          v.reason = toe_pkg::RX_DROP_TCP_HDR;
        end else if (!l4_csum_ok) begin
          v.reason = toe_pkg::RX_DROP_TCP_CSUM;
        end else begin
          v.action = toe_rx_pkg::ACT_CONN;
        end
      end
    end
  end

  logic out_valid_q;
  assign out_valid_o = out_valid_q;
  assign s4_ready    = !out_valid_q || out_ready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)       out_valid_q <= 1'b0;
    else if (s4_ready) out_valid_q <= s3_done;
  end

  always_ff @(posedge clk_i) begin
    if (s4_ready && s3_done) out_o <= v;
  end

  // Bits the verdict has no use for: the head itself (its fields were taken out in s2),
  // the version nibble at s1 (s2 reads the whole byte), the TCP reserved bits, and the
  // reserved and DF bits of the IPv4 flags.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_fields;
  assign unused_fields = ^{s3_frm_q.cap, s3_vlan_q, ver_ihl_d[7:4], s3_off_q[3:0], s3_frag_q[15:14]};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule
