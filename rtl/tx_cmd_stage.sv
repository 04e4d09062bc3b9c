// TX command intake: accepts one descriptor with its connection context, samples the
// timestamp clock, runs the descriptor checks and hands on a job.
//
// Two pipeline registers keep every path short:
//   s1  the command as accepted, with the DMA-window arithmetic (64-bit) done and the
//       fixed TCP and IPv4 header words summed (what all segments share);
//   job the check result, smax, those sums folded, and the completion's next_seq.
// Each register takes a new entry whenever it is empty or being emptied.
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
  // ---- s1: the accepted command, the window arithmetic, the fixed-word sums -------------
  logic              s1_valid_q, s1_ready;
  toe_pkg::tx_desc_t s1_desc_q;
  toe_pkg::tx_ctx_t  s1_ctx_q;
  logic [31:0]       s1_tsval_q;
  logic              s1_lo_ok_q;
  logic [64:0]       s1_room_q;
  logic [31:0]       s1_tcp_fixed_q, s1_ip_fixed_q, s1_syn_fin_q;

  assign cmd_ready_o = !s1_valid_q || s1_ready;

  logic        ts, ack, urg;
  logic [15:0] tcp_hlen;
  logic [31:0] ack_no;
  logic [15:0] urg_ptr;
  logic [31:0] tcp_fixed, ip_fixed, syn_fin;

  assign ts       = (cmd_ctx_i.flags & toe_pkg::CTX_FLAG_TS) != 8'd0;
  assign ack      = (cmd_desc_i.tcp_flags & toe_pkg::TCP_FLAG_ACK) != 8'd0;
  assign urg      = (cmd_desc_i.tcp_flags & toe_pkg::TCP_FLAG_URG) != 8'd0;
  assign tcp_hlen = ts ? 16'd32 : 16'd20;
  assign ack_no   = ack ? cmd_ctx_i.rcv_nxt : 32'd0;
  assign urg_ptr  = urg ? cmd_desc_i.urg_ptr : 16'd0;

  // TCP checksum words that do not change from segment to segment (RFC 9293 section
  // 3.1): the pseudo-header's addresses and protocol, the header length's share of the
  // TCP length, ports, ack number, window, urgent pointer and the timestamp option
  // (NOP NOP 8 10 TSval TSecr, RFC 7323 appendix A). Per segment, tx_hdr_prep adds
  // seq, the payload length, the offset/flags word and the payload's own sum.
  logic [31:0] addr_words, ts_words;
  assign addr_words = 32'(cmd_ctx_i.src_ip[31:16]) + 32'(cmd_ctx_i.src_ip[15:0]) +
                      32'(cmd_ctx_i.dst_ip[31:16]) + 32'(cmd_ctx_i.dst_ip[15:0]);
  assign ts_words   = ts ? (32'h0101 + 32'h080a + 32'(ts_now_i[31:16]) + 32'(ts_now_i[15:0]) +
                            32'(cmd_ctx_i.ts_recent[31:16]) + 32'(cmd_ctx_i.ts_recent[15:0]))
                         : 32'd0;
  assign tcp_fixed  = addr_words + 32'd6 + 32'(tcp_hlen) +
                      32'(cmd_ctx_i.src_port) + 32'(cmd_ctx_i.dst_port) +
                      32'(ack_no[31:16]) + 32'(ack_no[15:0]) +
                      32'(cmd_ctx_i.rcv_wnd) + 32'(urg_ptr) + ts_words;
  // IPv4 header words (RFC 791 section 3.1) other than the total length's payload
  // share and the ID: version/IHL/TOS, the headers' share of the length, flags,
  // TTL/protocol and the addresses.
  assign ip_fixed   = 32'({8'h45, cmd_ctx_i.tos}) + 32'd20 + 32'(tcp_hlen) +
                      (((cmd_ctx_i.flags & toe_pkg::CTX_FLAG_DF) != 8'd0) ? 32'h4000 : 32'd0) +
                      32'({cmd_ctx_i.ttl, 8'd6}) + addr_words;
  assign syn_fin    = 32'((cmd_desc_i.tcp_flags & toe_pkg::TCP_FLAG_SYN) != 8'd0) +
                      32'((cmd_desc_i.tcp_flags & toe_pkg::TCP_FLAG_FIN) != 8'd0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
    end else if (cmd_ready_o) begin
      s1_valid_q <= cmd_valid_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (cmd_ready_o && cmd_valid_i) begin
      s1_desc_q      <= cmd_desc_i;
      s1_ctx_q       <= cmd_ctx_i;
      s1_tsval_q     <= ts_now_i;
      s1_lo_ok_q     <= (cmd_desc_i.buf_addr >= dma_lo_i);
      s1_room_q      <= {1'b0, dma_hi_i} - {1'b0, cmd_desc_i.buf_addr};
      s1_tcp_fixed_q <= tcp_fixed;
      s1_ip_fixed_q  <= ip_fixed;
      s1_syn_fin_q   <= syn_fin;
    end
  end

  // ---- checks and per-descriptor constants ---------------------------------------------
  logic [7:0]  status;
  logic [15:0] smax;

  tx_desc_check u_check (
    .desc_i      (s1_desc_q),
    .ctx_i       (s1_ctx_q),
    .win_lo_ok_i (s1_lo_ok_q),
    .win_room_i  (s1_room_q),
    .status_o    (status),
    .smax_o      (smax)
  );

  // ---- job register ----------------------------------------------------------------------
  logic job_valid_q;
  assign s1_ready    = !job_valid_q || job_ready_i;
  assign job_valid_o = job_valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      job_valid_q <= 1'b0;
    end else if (s1_ready) begin
      job_valid_q <= s1_valid_q;
    end
  end

  always_ff @(posedge clk_i) begin
    if (s1_ready && s1_valid_q) begin
      job_o.desc      <= s1_desc_q;
      job_o.ctx       <= s1_ctx_q;
      job_o.tsval     <= s1_tsval_q;
      job_o.status    <= status;
      job_o.smax      <= smax;
      job_o.one_seg   <= (s1_desc_q.len <= {16'd0, smax});
      job_o.tcp_const <= toe_net_pkg::csum_fold(s1_tcp_fixed_q);
      job_o.ip_const  <= toe_net_pkg::csum_fold(s1_ip_fixed_q);
      job_o.next_seq  <= s1_desc_q.seq + s1_desc_q.len + s1_syn_fin_q;
    end
  end

endmodule
