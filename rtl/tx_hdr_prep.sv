// TX header stage: walks each job segment by segment and prepares, for the emit
// stage, the frame header with both checksums filled in (TSO), or the checksum patches
// of a raw frame, plus the completion that follows a descriptor's last frame.
//
// It needs the payload sum of a segment before the segment's header can exist, so it
// waits for the payload buffer's sums; it runs one segment ahead of the emit stage,
// which hides this stage's latency behind the previous frame. What all segments of a
// descriptor share (the fixed header words' sums, next_seq) was worked out in
// tx_cmd_stage; per segment only seq, the lengths, the IP ID, the flags and the payload
// sum are added, so one segment per clock with short paths.
//
// Segmentation (docs/tx-datapath.md): segment i carries min(smax, len - i*smax)
// bytes; seq advances by the payload sent and the IP ID by one per segment; FIN and
// PSH only on the last segment, CWR only on the first (as Linux tcp_gso_segment).
module tx_hdr_prep (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  input  logic                   job_valid_i,
  output logic                   job_ready_o,
  input  toe_tx_pkg::tx_job_t    job_i,

  input  logic                   sums_valid_i,
  output logic                   sums_ready_o,
  input  toe_tx_pkg::tx_sums_t   sums_i,

  output logic                   tok_valid_o,
  input  logic                   tok_ready_i,
  output toe_tx_pkg::tx_token_t  tok_o
);
  toe_pkg::tx_desc_t desc;
  toe_pkg::tx_ctx_t  ctx;
  assign desc = job_i.desc;
  assign ctx  = job_i.ctx;

  // Fields of the job this stage does not use.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_fields;
  assign unused_fields = ^{desc.buf_addr, desc.len[31:17], desc.rsvd0, desc.ip_id, desc.rsvd1,
                           ctx.rsvd0, ctx.rsvd1, ctx.mss};
  /* verilator lint_on UNUSEDSIGNAL */

  // Where the walk through the head job stands. At a job's first segment the values
  // come straight from the job; after that from these registers, which hold the next
  // segment's values worked out one clock ahead.
  logic        first_q;   // the next segment is the head job's first
  logic [16:0] rem_q;     // payload bytes not yet handed on
  logic        last_q;    // rem_q <= smax
  logic [31:0] seq_q;
  logic [15:0] ip_id_q, idx_q;

  logic        is_tso, ok, ts, vlan;
  logic [16:0] rem, rem_after;
  logic        last, need_sums, step;
  logic [31:0] seq;
  logic [15:0] ip_id, idx, seg_len;

  assign is_tso    = (desc.op == toe_pkg::TX_OP_TSO);
  assign ok        = (job_i.status == toe_pkg::TX_STATUS_OK);
  assign ts        = (ctx.flags & toe_pkg::CTX_FLAG_TS) != 8'd0;
  assign vlan      = (ctx.flags & toe_pkg::CTX_FLAG_VLAN) != 8'd0;
  // desc.len is checked: at most TSO_MAX_LEN (17 bits) or RAW_MAX_LEN.
  assign rem       = first_q ? desc.len[16:0] : rem_q;
  assign last      = first_q ? job_i.one_seg : last_q;
  assign seq       = first_q ? desc.seq : seq_q;
  assign ip_id     = first_q ? ctx.ip_id : ip_id_q;
  assign idx       = first_q ? 16'd0 : idx_q;
  assign seg_len   = last ? rem[15:0] : job_i.smax;  // the last segment is at most smax
  assign rem_after = rem - {1'b0, job_i.smax};
  // A FIN-, SYN- or RST-only segment has no payload, hence no sums.
  assign need_sums = ok && (!is_tso || seg_len != 16'd0);

  assign step         = job_valid_i && (!need_sums || sums_valid_i) && (!tok_valid_o || tok_ready_i);
  assign job_ready_o  = step && (!ok || !is_tso || last);
  assign sums_ready_o = step && need_sums;

  // ---- TSO segment header ------------------------------------------------------------
  logic [7:0]  flags;
  logic [31:0] ack;
  logic [15:0] urg, frag, tcp_hlen, ip_len, ip_csum, tcp_csum, flag_word;

  always_comb begin
    flags = desc.tcp_flags;
    if (!last)    flags = flags & ~(toe_pkg::TCP_FLAG_FIN | toe_pkg::TCP_FLAG_PSH);
    if (!first_q) flags = flags & ~toe_pkg::TCP_FLAG_CWR;
  end

  assign ack       = ((flags & toe_pkg::TCP_FLAG_ACK) != 8'd0) ? ctx.rcv_nxt : 32'd0;
  assign urg       = ((flags & toe_pkg::TCP_FLAG_URG) != 8'd0) ? desc.urg_ptr : 16'd0;
  assign frag      = ((ctx.flags & toe_pkg::CTX_FLAG_DF) != 8'd0) ? 16'h4000 : 16'h0000;
  assign tcp_hlen  = ts ? 16'd32 : 16'd20;
  assign ip_len    = 16'd20 + tcp_hlen + seg_len;
  assign flag_word = {tcp_hlen[5:2], 4'd0, flags};

  // Checksums: the job's fixed-word sums plus what changes per segment. The payload
  // length counts once in the TCP pseudo-header and once in the IPv4 total length.
  assign tcp_csum = ~toe_net_pkg::csum_fold(32'(job_i.tcp_const) + 32'(seq[31:16]) + 32'(seq[15:0]) +
                                            32'(seg_len) + 32'(flag_word) +
                                            (need_sums ? 32'(sums_i.a) : 32'd0));
  assign ip_csum  = ~toe_net_pkg::csum_fold(32'(job_i.ip_const) + 32'(seg_len) + 32'(ip_id));

  logic [111:0] eth14;
  logic [143:0] eth18;
  logic [159:0] ip20, tcp20;
  logic [95:0]  ts12;
  logic [415:0] l3;
  logic [toe_tx_pkg::HDR_BYTES*8-1:0] tso_hdr;

  // Stream order: the first byte of each header sits in the low bits.
  assign eth14 = {toe_net_pkg::be16(16'h0800), ctx.src_mac, ctx.dst_mac};
  assign eth18 = {toe_net_pkg::be16(16'h0800), toe_net_pkg::be16(ctx.vlan_tci),
                  toe_net_pkg::be16(16'h8100), ctx.src_mac, ctx.dst_mac};
  assign ip20  = {toe_net_pkg::be32(ctx.dst_ip), toe_net_pkg::be32(ctx.src_ip),
                  toe_net_pkg::be16(ip_csum), 8'd6, ctx.ttl, toe_net_pkg::be16(frag),
                  toe_net_pkg::be16(ip_id), toe_net_pkg::be16(ip_len), ctx.tos, 8'h45};
  assign tcp20 = {toe_net_pkg::be16(urg), toe_net_pkg::be16(tcp_csum), toe_net_pkg::be16(ctx.rcv_wnd),
                  toe_net_pkg::be16(flag_word), toe_net_pkg::be32(ack), toe_net_pkg::be32(seq),
                  toe_net_pkg::be16(ctx.dst_port), toe_net_pkg::be16(ctx.src_port)};
  // RFC 7323 appendix A layout: NOP, NOP, kind 8, length 10, TSval, TSecr.
  assign ts12  = ts ? {toe_net_pkg::be32(ctx.ts_recent), toe_net_pkg::be32(job_i.tsval),
                       8'd10, 8'd8, 8'd1, 8'd1} : 96'd0;
  assign l3    = {ts12, tcp20, ip20};
  assign tso_hdr = vlan ? {16'd0, l3, eth18} : {48'd0, l3, eth14};

  // ---- raw frame checksum patches --------------------------------------------------------
  logic        raw_ip, raw_tcp, raw_udp;
  logic [15:0] l4_len, l4_sum, ip_sum;

  assign raw_ip  = (desc.csum_flags & toe_pkg::CSUM_FLAG_IP) != 8'd0;
  assign raw_tcp = (desc.csum_flags & toe_pkg::CSUM_FLAG_TCP) != 8'd0;
  assign raw_udp = (desc.csum_flags & toe_pkg::CSUM_FLAG_UDP) != 8'd0;
  assign l4_len  = desc.len[15:0] - {8'd0, desc.l4_off};
  assign ip_sum  = ~toe_net_pkg::csum_fold(32'(sums_i.b));
  assign l4_sum  = ~toe_net_pkg::csum_fold(32'(sums_i.a) + 32'(sums_i.c) +
                                           (raw_tcp ? 32'd6 : 32'd17) + 32'(l4_len));

  // ---- completion ------------------------------------------------------------------------
  toe_pkg::tx_cpl_t cpl;

  always_comb begin
    cpl.tag     = desc.tag;
    cpl.conn_id = desc.conn_id;
    cpl.status  = job_i.status;
    cpl.flags   = 8'd0;
    cpl.rsvd0   = 16'd0;
    if (!ok) begin
      cpl.nsegs      = 16'd0;
      cpl.next_seq   = is_tso ? desc.seq : 32'd0;
      cpl.next_ip_id = is_tso ? ctx.ip_id : 16'd0;
    end else if (is_tso) begin
      cpl.nsegs      = idx + 16'd1;
      cpl.next_seq   = job_i.next_seq;
      cpl.next_ip_id = ip_id + 16'd1;
    end else begin
      cpl.nsegs      = 16'd1;
      cpl.next_seq   = 32'd0;
      cpl.next_ip_id = 16'd0;
    end
  end

  // ---- walk state and token register ------------------------------------------------------
  logic tok_valid_q;
  assign tok_valid_o = tok_valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tok_valid_q <= 1'b0;
      first_q     <= 1'b1;
    end else begin
      if (step)             tok_valid_q <= 1'b1;
      else if (tok_ready_i) tok_valid_q <= 1'b0;
      if (step) first_q <= job_ready_o;
    end
  end

  // A segment that is not the last always carries smax bytes.
  always_ff @(posedge clk_i) begin
    if (step && !job_ready_o) begin
      rem_q   <= rem_after;
      last_q  <= (rem_after <= {1'b0, job_i.smax});
      seq_q   <= seq + {16'd0, job_i.smax};
      ip_id_q <= ip_id + 16'd1;
      idx_q   <= idx + 16'd1;
    end
  end

  always_ff @(posedge clk_i) begin
    if (step) begin
      tok_o.has_frame <= ok;
      tok_o.has_cpl   <= job_ready_o;
      tok_o.is_tso    <= is_tso;
      tok_o.cpl       <= cpl;
      tok_o.hdr       <= is_tso ? tso_hdr : '0;
      tok_o.hdr_len   <= is_tso ? 8'(16'd34 + (vlan ? 16'd4 : 16'd0) + tcp_hlen) : 8'd0;
      tok_o.pay_len   <= is_tso ? seg_len : desc.len[15:0];
      tok_o.p0_en     <= !is_tso && raw_ip;
      tok_o.p0_off    <= {8'd0, desc.l3_off} + 16'd10;
      tok_o.p0_val    <= ip_sum;
      tok_o.p1_en     <= !is_tso && (raw_tcp || raw_udp);
      tok_o.p1_off    <= {8'd0, desc.l4_off} + (raw_tcp ? 16'd16 : 16'd6);
      // RFC 768: a computed UDP checksum of zero is sent as all ones.
      tok_o.p1_val    <= (raw_udp && l4_sum == 16'd0) ? 16'hFFFF : l4_sum;
    end
  end

endmodule
