// What one input does to one connection (docs/rx-datapath.md, "Connection
// processing", "ACK frames", "Ticks", "Commands"): purely combinational, from the
// entry as it was to the entry as it will be, plus what comes out - the frame's
// verdict, up to two events, an ACK, a command status and counter increments.
//
// kind_i selects the input: a TCP segment on this connection, a tick's visit, or a
// command that changes the entry (RCV_READ, RCV_NXT, SND, ACK_NOW). Table commands
// (INSERT, DELETE, READ) never come here. rx_conn holds the entry in RAM and does the
// reading and writing around this.
module rx_conn_proc (
  input  logic [1:0]               kind_i,      // KIND_*
  input  logic [15:0]              conn_id_i,
  input  toe_pkg::rx_ctx_t         ctx_i,
  input  toe_rx_pkg::rx_parsed_t   seg_i,       // KIND_SEG
  input  toe_pkg::conn_cmd_t       cmd_i,       // KIND_CMD
  input  logic [31:0]              now_i,       // tick count of the input
  input  logic [31:0]              ts_i,        // the timestamp clock (TSval)
  input  logic [31:0]              cfg_delack_ticks_i,
  input  logic [31:0]              cfg_coalesce_bytes_i,

  output toe_pkg::rx_ctx_t         ctx_o,
  output logic [1:0]               action_o,    // DO_* (segments)
  output logic [7:0]               exc_o,       // RX_EXC_* when DO_EXC
  output logic [29:0]              ring_off_o,  // DO_PLACE
  output logic                     ev_a_valid_o,
  output toe_pkg::rx_event_t       ev_a_o,
  output logic                     ev_b_valid_o,
  output toe_pkg::rx_event_t       ev_b_o,
  output logic                     ack_o,
  output logic [7:0]               ack_why_o,   // ACK_WHY_*
  output toe_rx_pkg::rx_ack_req_t  ack_req_o,
  output logic [7:0]               status_o,    // CONN_STATUS_* (commands)
  output logic                     acks_in_o,
  output logic                     dupack_in_o,
  output logic                     placed_o
);
  localparam logic [1:0] KIND_SEG   = 2'd0;
  localparam logic [1:0] KIND_SWEEP = 2'd1;
  localparam logic [1:0] KIND_CMD   = 2'd2;

  // Sequence-number comparisons, modulo 2^32 (RFC 9293 section 3.4).
  function automatic logic lt(input logic [31:0] a, input logic [31:0] b);
    lt = $signed(a - b) < 32'sd0;
  endfunction
  function automatic logic le(input logic [31:0] a, input logic [31:0] b);
    le = lt(a, b) || a == b;
  endfunction

  localparam logic [7:0] F_FIN = toe_pkg::TCP_FLAG_FIN;
  localparam logic [7:0] F_SYN = toe_pkg::TCP_FLAG_SYN;
  localparam logic [7:0] F_RST = toe_pkg::TCP_FLAG_RST;
  localparam logic [7:0] F_PSH = toe_pkg::TCP_FLAG_PSH;
  localparam logic [7:0] F_ACK = toe_pkg::TCP_FLAG_ACK;
  localparam logic [7:0] F_URG = toe_pkg::TCP_FLAG_URG;

  // ---- the window an ACK would carry now (used after the entry's update) ---------------------
  // Computed on the entry c1 below: w = free >> s, never moving the right edge left,
  // at most 65535 (RFC 9293 section 3.8.6.2.1, RFC 7323 section 2.3).
  function automatic logic [15:0] ack_window(input logic [4:0] size_log2, input logic [31:0] rcv_nxt,
                                             input logic [31:0] rcv_read, input logic [31:0] rcv_adv,
                                             input logic [3:0] s);
    logic [31:0] size, free, cur, w, rounded;
    logic [31:0] adv;
    size    = 32'd1 << size_log2;
    free    = size - (rcv_nxt - rcv_read);
    adv     = rcv_adv - rcv_nxt;
    cur     = $signed(adv) < 32'sd0 ? 32'd0 : adv;
    w       = free >> s;
    rounded = (cur + (32'd1 << s) - 32'd1) >> s;
    if ((w << s) < cur) w = rounded;
    ack_window = (w > 32'd65535) ? 16'hFFFF : w[15:0];
  endfunction

  toe_pkg::rx_ctx_t c1;      // the entry after the input, before any ACK
  logic             send_ack;
  logic [7:0]       why;

  logic [31:0] size, free, swnd;
  logic        ts_en;
  assign size  = 32'd1 << ctx_i.buf_size_log2[4:0];
  assign free  = size - (ctx_i.rcv_nxt - ctx_i.rcv_read);
  assign ts_en = (ctx_i.flags & toe_pkg::RX_FLAG_TS) != 8'd0;
  assign swnd  = {16'd0, seg_i.wnd} << ctx_i.snd_wscale[3:0];

  always_comb begin
    logic [31:0] L, una, bytes;
    logic        dup, hw_dupack, accept;
    logic [31:0] thresh, edge_now, wsum;
    logic [15:0] w_now;

    c1           = ctx_i;
    una          = ctx_i.snd_una;
    bytes        = ctx_i.ev_rx_bytes;
    thresh       = '0;
    edge_now     = '0;
    wsum         = '0;
    w_now        = '0;
    send_ack     = 1'b0;
    why          = 8'd0;
    action_o     = toe_rx_pkg::DO_DROP;
    exc_o        = 8'd0;
    ring_off_o   = '0;
    ev_a_valid_o = 1'b0;
    ev_b_valid_o = 1'b0;
    ev_a_o       = '0;
    ev_b_o       = '0;
    status_o     = toe_pkg::CONN_STATUS_OK;
    acks_in_o    = 1'b0;
    dupack_in_o  = 1'b0;
    placed_o     = 1'b0;
    accept       = 1'b0;
    dup          = 1'b0;
    L            = {16'd0, seg_i.pay_len};
    hw_dupack    = (ctx_i.flags & toe_pkg::RX_FLAG_HW_DUPACK) != 8'd0;
    ev_a_o.conn_id = conn_id_i;
    ev_b_o.conn_id = conn_id_i;
    ev_a_o.tick    = now_i;
    ev_b_o.tick    = now_i;

    unique case (kind_i)
      KIND_SEG: begin
        action_o = toe_rx_pkg::DO_EXC;
        if ((seg_i.tcp_flags & (F_SYN | F_RST | F_FIN | F_URG)) != 8'd0 ||
            (seg_i.tcp_flags & F_ACK) == 8'd0) begin
          exc_o = toe_pkg::RX_EXC_FLAGS;
        end else if (seg_i.other_opts || ts_en != seg_i.has_ts) begin
          exc_o = toe_pkg::RX_EXC_OPTIONS;
        end else if (ts_en && lt(seg_i.tsval, ctx_i.ts_recent)) begin
          exc_o = toe_pkg::RX_EXC_PAWS;  // RFC 7323 section 5.3
        end else if (lt(seg_i.ack, ctx_i.snd_una - ctx_i.max_snd_wnd) ||
                     lt(ctx_i.snd_nxt, seg_i.ack)) begin
          exc_o = toe_pkg::RX_EXC_ACK_RANGE;  // RFC 5961 section 5.2
        end else if (L != 32'd0) begin
          if (seg_i.seq == ctx_i.rcv_nxt) begin
            if (L <= free) begin
              action_o = toe_rx_pkg::DO_PLACE;
              accept   = 1'b1;
            end else begin
              exc_o = toe_pkg::RX_EXC_BUF_FULL;
            end
          end else begin
            // Unacceptable data is answered with an ACK (RFC 9293 section 3.10.7.4).
            if (lt(seg_i.seq, ctx_i.rcv_nxt))       exc_o = toe_pkg::RX_EXC_OLD;
            else if (le(ctx_i.rcv_adv, seg_i.seq))  exc_o = toe_pkg::RX_EXC_WINDOW;
            else                                    exc_o = toe_pkg::RX_EXC_OOO;
            if (hw_dupack) begin
              send_ack = 1'b1;
              why      = toe_pkg::ACK_WHY_DUP;
            end
          end
        end else if (seg_i.seq == ctx_i.rcv_nxt ||
                     (le(ctx_i.rcv_nxt, seg_i.seq) && lt(seg_i.seq, ctx_i.rcv_adv))) begin
          action_o = toe_rx_pkg::DO_DROP;  // a pure ACK the hardware takes
          accept   = 1'b1;
        end else begin
          exc_o = lt(seg_i.seq, ctx_i.rcv_nxt) ? toe_pkg::RX_EXC_OLD : toe_pkg::RX_EXC_WINDOW;
        end

        if (accept) begin
          // RFC 7323 section 4.3: TS.Recent from a segment that covers Last.ACK.sent.
          if (ts_en && le(seg_i.seq, ctx_i.last_ack_sent)) c1.ts_recent = seg_i.tsval;

          // Incoming ACK (RFC 5681 section 2, RFC 9293 section 3.10.7.4).
          acks_in_o = 1'b1;
          dup = L == 32'd0 && ctx_i.snd_una != ctx_i.snd_nxt && seg_i.ack == ctx_i.snd_una &&
                swnd == ctx_i.snd_wnd;
          una = ctx_i.snd_una;
          if (lt(ctx_i.snd_una, seg_i.ack)) begin
            una         = seg_i.ack;
            c1.snd_una  = seg_i.ack;
            c1.dupacks  = 8'd0;
            c1.pend     = c1.pend | 8'd2;
          end else if (dup) begin
            dupack_in_o = 1'b1;
            if (ctx_i.dupacks != 8'hFF) c1.dupacks = ctx_i.dupacks + 8'd1;
            if (ctx_i.dupacks == 8'd2) begin
              ev_a_valid_o   = 1'b1;
              ev_a_o.ev_type = toe_pkg::RX_EV_DUPACK3;
              ev_a_o.seq     = ctx_i.snd_una;
              ev_a_o.val     = ctx_i.snd_wnd;
            end
          end
          if (le(una, seg_i.ack) && (lt(ctx_i.snd_wl1, seg_i.seq) ||
              (seg_i.seq == ctx_i.snd_wl1 && le(ctx_i.snd_wl2, seg_i.ack)))) begin
            if (swnd != ctx_i.snd_wnd) begin
              c1.pend = c1.pend | 8'd4;
              if (ctx_i.snd_wnd == 32'd0) begin
                ev_a_valid_o   = 1'b1;
                ev_a_o.ev_type = toe_pkg::RX_EV_WND_OPEN;
                ev_a_o.seq     = una;
                ev_a_o.val     = swnd;
              end
            end
            c1.snd_wnd = swnd;
            c1.snd_wl1 = seg_i.seq;
            c1.snd_wl2 = seg_i.ack;
            if (swnd > ctx_i.max_snd_wnd) c1.max_snd_wnd = swnd;
          end

          // Placement and the ACK policy (RFC 1122 section 4.2.3.2).
          if (L != 32'd0) begin
            placed_o       = 1'b1;
            ring_off_o     = 30'(seg_i.seq - ctx_i.buf_seq0) & 30'(size - 32'd1);
            c1.rcv_nxt     = ctx_i.rcv_nxt + L;
            c1.segs_in     = ctx_i.segs_in + 32'd1;
            c1.bytes_in    = ctx_i.bytes_in + L;
            bytes          = ctx_i.ev_rx_bytes + L;
            c1.ev_rx_bytes = bytes;
            if ((seg_i.tcp_flags & F_PSH) != 8'd0 || bytes >= cfg_coalesce_bytes_i) begin
              ev_b_valid_o   = 1'b1;
              ev_b_o.ev_type = toe_pkg::RX_EV_DATA;
              ev_b_o.seq     = c1.rcv_nxt;
              ev_b_o.val     = bytes;
              c1.ev_rx_bytes = 32'd0;
            end
            if (L >= {16'd0, ctx_i.mss} && ctx_i.segs_unacked != 8'hFF) begin
              c1.segs_unacked = ctx_i.segs_unacked + 8'd1;
            end
            if (L >= {16'd0, ctx_i.mss} && ctx_i.segs_unacked >= 8'd1) begin
              send_ack = 1'b1;
              why      = toe_pkg::ACK_WHY_EVERY2;
            end else if ((ctx_i.pend & 8'd1) == 8'd0) begin
              c1.pend            = c1.pend | 8'd1;
              // RFC 1122 section 4.2.3.2: never delayed more than 500 ms.
              c1.delack_deadline = now_i + ((cfg_delack_ticks_i < toe_pkg::DELACK_TICKS_MAX) ?
                                            cfg_delack_ticks_i : toe_pkg::DELACK_TICKS_MAX);
            end
          end
        end
      end

      KIND_SWEEP: begin
        if (ctx_i.ev_rx_bytes != 32'd0) begin
          ev_a_valid_o   = 1'b1;
          ev_a_o.ev_type = toe_pkg::RX_EV_DATA;
          ev_a_o.seq     = ctx_i.rcv_nxt;
          ev_a_o.val     = ctx_i.ev_rx_bytes;
          c1.ev_rx_bytes = 32'd0;
        end
        if ((ctx_i.pend & 8'd6) != 8'd0) begin
          ev_b_valid_o   = 1'b1;
          ev_b_o.ev_type = toe_pkg::RX_EV_TX_UPDATE;
          ev_b_o.flags   = {6'd0, ctx_i.pend[2:1]};
          ev_b_o.seq     = ctx_i.snd_una;
          ev_b_o.val     = ctx_i.snd_wnd;
          c1.pend        = ctx_i.pend & ~8'd6;
        end
        if ((ctx_i.pend & 8'd1) != 8'd0 && le(ctx_i.delack_deadline, now_i)) begin
          send_ack = 1'b1;
          why      = toe_pkg::ACK_WHY_DELAYED;
        end
      end

      KIND_CMD: begin
        unique case (cmd_i.op)
          toe_pkg::CONN_CMD_RCV_READ: begin
            if (!(le(ctx_i.rcv_read, cmd_i.arg0) && le(cmd_i.arg0, ctx_i.rcv_nxt))) begin
              status_o = toe_pkg::CONN_STATUS_BAD_ARG;
            end else begin
              c1.rcv_read = cmd_i.arg0;
              // Receiver-side SWS avoidance (RFC 9293 section 3.8.6.2.2): update the
              // peer once the right edge can move by min(2*MSS, buffer/2).
              w_now    = ack_window(c1.buf_size_log2[4:0], c1.rcv_nxt, c1.rcv_read, c1.rcv_adv, c1.rcv_wscale[3:0]);
              edge_now = c1.rcv_nxt + ({16'd0, w_now} << c1.rcv_wscale[3:0]);
              thresh   = ({15'd0, ctx_i.mss, 1'b0} < (size >> 1)) ? {15'd0, ctx_i.mss, 1'b0} : (size >> 1);
              wsum     = edge_now - ctx_i.rcv_adv;
              if (!wsum[31] && wsum >= thresh) begin
                send_ack = 1'b1;
                why      = toe_pkg::ACK_WHY_WND_UPDATE;
              end
            end
          end
          toe_pkg::CONN_CMD_RCV_NXT: begin
            if (!(le(ctx_i.rcv_nxt, cmd_i.arg0) && le(cmd_i.arg0, ctx_i.rcv_read + size))) begin
              status_o = toe_pkg::CONN_STATUS_BAD_ARG;
            end else begin
              c1.rcv_nxt = cmd_i.arg0;
            end
          end
          toe_pkg::CONN_CMD_SND: begin
            if (!le(cmd_i.arg1, cmd_i.arg0)) begin
              status_o = toe_pkg::CONN_STATUS_BAD_ARG;
            end else begin
              c1.snd_nxt = cmd_i.arg0;
              c1.snd_una = cmd_i.arg1;
              c1.snd_wnd = cmd_i.arg2;
              if (cmd_i.arg2 > ctx_i.max_snd_wnd) c1.max_snd_wnd = cmd_i.arg2;
            end
          end
          toe_pkg::CONN_CMD_ACK_NOW: begin
            send_ack = 1'b1;
            why      = toe_pkg::ACK_WHY_HOST;
          end
          default: ;
        endcase
      end

      default: ;
    endcase
  end

  // ---- the ACK, if any, and what sending it does to the entry --------------------------------
  logic [15:0] w;
  assign w = ack_window(c1.buf_size_log2[4:0], c1.rcv_nxt, c1.rcv_read, c1.rcv_adv, c1.rcv_wscale[3:0]);

  always_comb begin
    ctx_o     = c1;
    ack_o     = send_ack;
    ack_why_o = why;
    ack_req_o = '0;
    ack_req_o.dst_mac  = c1.dst_mac;
    ack_req_o.src_mac  = c1.src_mac;
    ack_req_o.vlan     = (c1.flags & toe_pkg::RX_FLAG_VLAN) != 8'd0;
    ack_req_o.vlan_tci = c1.vlan_tci;
    ack_req_o.df       = (c1.flags & toe_pkg::RX_FLAG_DF) != 8'd0;
    ack_req_o.ttl      = c1.ttl;
    ack_req_o.tos      = c1.tos;
    ack_req_o.ip_id    = c1.ip_id;
    ack_req_o.src_ip   = c1.local_ip;
    ack_req_o.dst_ip   = c1.remote_ip;
    ack_req_o.src_port = c1.local_port;
    ack_req_o.dst_port = c1.remote_port;
    ack_req_o.seq      = c1.snd_nxt;
    ack_req_o.ack      = c1.rcv_nxt;
    ack_req_o.wnd      = w;
    ack_req_o.ts       = (c1.flags & toe_pkg::RX_FLAG_TS) != 8'd0;
    ack_req_o.tsval    = ts_i;
    ack_req_o.tsecr    = c1.ts_recent;
    if (send_ack) begin
      ctx_o.ip_id         = c1.ip_id + 16'd1;
      ctx_o.last_ack_sent = c1.rcv_nxt;
      ctx_o.rcv_adv       = c1.rcv_nxt + ({16'd0, w} << c1.rcv_wscale[3:0]);
      ctx_o.segs_unacked  = 8'd0;
      ctx_o.pend          = c1.pend & ~8'd1;
      ctx_o.acks_out      = c1.acks_out + 32'd1;
    end
  end

  // Entry and command fields this logic has no use for.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_fields;
  assign unused_fields = ^{seg_i.action, seg_i.reason, seg_i.n, seg_i.beats, seg_i.l3, seg_i.l4,
                           seg_i.tick, seg_i.src_ip, seg_i.dst_ip, seg_i.src_port,
                           seg_i.dst_port, seg_i.pay_off, seg_i.tsecr, cmd_i.rsvd0, cmd_i.tag, cmd_i.conn_id,
                           cmd_i.rsvd1, cmd_i.rsvd2, cmd_i.rsvd3, ctx_i.buf_base,
                           ctx_i.buf_size_log2[7:5], ctx_i.rcv_wscale[7:4], ctx_i.snd_wscale[7:4],
                           ctx_i.rsvd0, ctx_i.rsvd1, ctx_i.rsvd2, ctx_i.pend[7:3]};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule
