// RX connection stage: the connection table and everything that reads or writes a
// connection's entry, one input at a time in arrival order (docs/rx-datapath.md,
// "Order").
//
//   arrivals (ticks, frames, commands) -> [order queue] -> this FSM -> verdicts (dispatch)
//                                                                   -> events, ACK requests,
//                                                                      command responses
//
// State: the entries (rx_ctx plus an installed bit) in ctx_mem, indexed by conn_id; the
// 4-tuple index in two banks of CONN_MAX/4 buckets of 4 slots, bank 0 at CRC-32C(key),
// bank 1 at CRC-32(key); and a "work" bitmap with one bit per connection that has a
// DATA or TX_UPDATE event or a delayed ACK pending, so that a tick visits only those, in
// conn_id order, 64 ids per read.
//
// One input takes a handful of clocks (hash, bucket read, entry read, update and
// write, then one clock per output). That keeps up with minimum frames at 64 bits;
// pipelining with forwarding between inputs of the same connection is the next step
// for the wider datapaths.
module rx_conn #(
  parameter int unsigned ConnMax = 4096   // power of two, 64..65536
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic [31:0]                cfg_delack_ticks_i,
  input  logic [31:0]                cfg_coalesce_bytes_i,
  input  logic [31:0]                cfg_ts_ticks_i,   // ticks per timestamp-clock unit

  // Arrival order: ticks before, then a frame and/or a command (one entry per cycle
  // with arrivals), and ticks after the newest entry.
  input  logic                       ord_valid_i,
  output logic                       ord_ready_o,
  input  logic [31:0]                ord_ticks_i,     // ticks that came before this entry
  input  logic                       ord_frame_i,
  input  logic                       ord_cmd_i,
  input  logic [31:0]                ticks_pend_i,    // ticks after the newest entry
  output logic                       tick_take_o,     // took one of those

  input  logic                       seg_valid_i,
  output logic                       seg_ready_o,
  input  toe_rx_pkg::rx_parsed_t     seg_i,

  input  logic                       cmd_valid_i,
  output logic                       cmd_ready_o,
  input  toe_pkg::conn_cmd_t         cmd_i,
  input  toe_pkg::rx_ctx_t           cmd_ctx_i,

  output logic                       vd_valid_o,
  input  logic                       vd_ready_i,
  output toe_rx_pkg::rx_verdict_t    vd_o,

  output logic                       ev_valid_o,
  input  logic                       ev_ready_i,
  output toe_pkg::rx_event_t         ev_o,

  output logic                       ack_valid_o,
  input  logic                       ack_ready_i,
  output toe_rx_pkg::rx_ack_req_t    ack_o,

  output logic                       rsp_valid_o,
  input  logic                       rsp_ready_i,
  output toe_pkg::conn_rsp_t         rsp_o,
  output toe_pkg::rx_ctx_t           rsp_ctx_o,

  // One-clock counter pulses.
  output logic                       c_acks_in_o,
  output logic                       c_dupack_in_o,
  output logic                       c_placed_o,
  output logic [15:0]                c_placed_bytes_o,
  output logic [7:0]                 c_ack_why_o,     // ACK_WHY_* of an ACK sent, or 0
  output logic                       c_event_o,
  output logic                       c_cmd_o,
  output logic                       c_cmd_err_o
);
  localparam int unsigned NB      = ConnMax / 4;       // buckets per bank
  localparam int unsigned BW      = $clog2(NB);
  localparam int unsigned IdW     = $clog2(ConnMax);
  localparam int unsigned NWords  = (ConnMax + 63) / 64;
  localparam int unsigned WW      = (NWords > 1) ? $clog2(NWords) : 1;
  localparam int unsigned SlotW   = 1 + 96 + 16;
  localparam int unsigned CtxW    = toe_pkg::RX_CTX_BITS;

  if (ConnMax < 64 || ConnMax > 65536 || (ConnMax & (ConnMax - 1)) != 0) begin : g_bad_conn_max
    $error("ConnMax must be a power of two from 64 to 65536");
  end

  // CRC-32 of the 12-byte key, reflected, init and final XOR all ones: poly 0x82F63B78
  // is CRC-32C (iSCSI), 0xEDB88320 the Ethernet/zlib CRC-32.
  function automatic logic [31:0] crc32_key(input logic [95:0] key, input logic [31:0] poly);
    logic [31:0] c;
    c = 32'hFFFF_FFFF;
    for (int i = 0; i < 12; i++) begin
      c = c ^ {24'd0, key[8*i +: 8]};
      for (int b = 0; b < 8; b++) c = c[0] ? ((c >> 1) ^ poly) : (c >> 1);
    end
    crc32_key = ~c;
  endfunction

  // The key in wire order: local address, remote address, local port, remote port, all
  // big-endian (byte 0 in bits [7:0]).
  function automatic logic [95:0] make_key(input logic [31:0] lip, input logic [31:0] rip,
                                           input logic [15:0] lport, input logic [15:0] rport);
    make_key = {toe_net_pkg::be16(rport), toe_net_pkg::be16(lport), toe_net_pkg::be32(rip),
                toe_net_pkg::be32(lip)};
  endfunction

  // ---- memories (synchronous read, one port each) -----------------------------------------
  logic [CtxW:0]     ctx_mem [ConnMax];   // {installed, rx_ctx}
  logic [4*SlotW-1:0] bank0 [NB];
  logic [4*SlotW-1:0] bank1 [NB];
  logic [63:0]       work_mem [NWords];

  logic              ctx_we, b0_we, b1_we, work_we;
  logic [IdW-1:0]    ctx_addr;
  logic [CtxW:0]     ctx_wdata, ctx_rdata;
  logic [BW-1:0]     b0_addr, b1_addr;
  logic [4*SlotW-1:0] b0_wdata, b1_wdata, b0_rdata, b1_rdata;
  logic [WW-1:0]     work_addr;
  logic [63:0]       work_wdata, work_rdata;

  always_ff @(posedge clk_i) begin
    if (ctx_we) ctx_mem[ctx_addr] <= ctx_wdata;
    ctx_rdata <= ctx_mem[ctx_addr];
    if (b0_we) bank0[b0_addr] <= b0_wdata;
    b0_rdata <= bank0[b0_addr];
    if (b1_we) bank1[b1_addr] <= b1_wdata;
    b1_rdata <= bank1[b1_addr];
    if (work_we) work_mem[work_addr] <= work_wdata;
    work_rdata <= work_mem[work_addr];
  end

  // The table must start empty: a reset walk clears the installed bits, the buckets and
  // the work bitmap (ConnMax clocks) before the first input is taken.
  logic             init_q;
  logic [IdW-1:0]   init_idx_q;

  // ---- FSM ------------------------------------------------------------------------------
  typedef enum logic [4:0] {
    StInit, StIdle, StCmd, StInsChk, StCmdCtx, StHash, StBank, StSegCtx, StSwCtx, StCmdProc,
    StEvA, StEvB, StAck, StVerdict, StRsp, StSwRd, StSwScan
  } state_e;

  localparam logic [1:0] PSeg = 2'd0, PIns = 2'd1, PDel = 2'd2;
  localparam logic [1:0] KindSeg = 2'd0, KindSweep = 2'd1, KindCmd = 2'd2;

  state_e            st_q;
  logic [31:0]       now_q;
  logic [31:0]       ts_q, ts_sub_q;   // the timestamp clock, counted in ticks
  logic [31:0]       ticks_left_q;     // ticks of the head entry still to run
  logic              ord_loaded_q;     // the head entry's tick count is in ticks_left_q
  logic              frame_done_q, cmd_done_q;
  logic [1:0]        purpose_q, kind_q;
  toe_rx_pkg::rx_parsed_t seg_q;
  toe_pkg::conn_cmd_t cmd_q;
  toe_pkg::rx_ctx_t  cctx_q;
  logic [95:0]       key_q;
  logic [BW-1:0]     bkt0_q, bkt1_q;
  logic [15:0]       id_q;
  logic [7:0]        status_q;
  toe_rx_pkg::rx_verdict_t vd_q;
  toe_pkg::rx_ctx_t  rctx_q;           // the entry a READ returns
  logic [WW-1:0]     sw_w_q;
  logic [6:0]        sw_b_q;           // next bit of the word to look at
  logic              sweep_q;          // inside a tick's visit

  // Results of processing, latched at the step that computes them.
  logic              ev_a_v_q, ev_b_v_q, ack_v_q;
  toe_pkg::rx_event_t ev_a_q, ev_b_q;
  toe_rx_pkg::rx_ack_req_t ack_q;
  logic [7:0]        ack_why_q;

  // ---- processing of the entry just read ---------------------------------------------------
  toe_pkg::rx_ctx_t  cur_ctx;
  logic              cur_inst;
  assign cur_ctx  = ctx_rdata[CtxW-1:0];
  assign cur_inst = ctx_rdata[CtxW];

  toe_pkg::rx_ctx_t        p_ctx;
  logic [1:0]              p_action;
  logic [7:0]              p_exc, p_status, p_why;
  logic [29:0]             p_ring_off;
  logic                    p_ev_a_v, p_ev_b_v, p_ack, p_acks_in, p_dup_in, p_placed;
  toe_pkg::rx_event_t      p_ev_a, p_ev_b;
  toe_rx_pkg::rx_ack_req_t p_ack_req;

  rx_conn_proc u_proc (
    .kind_i               (kind_q),
    .conn_id_i            (id_q),
    .ctx_i                (cur_ctx),
    .seg_i                (seg_q),
    .cmd_i                (cmd_q),
    .now_i                (kind_q == KindSeg ? seg_q.tick : now_q),
    .ts_i                 (ts_q),
    .cfg_delack_ticks_i   (cfg_delack_ticks_i),
    .cfg_coalesce_bytes_i (cfg_coalesce_bytes_i),
    .ctx_o                (p_ctx),
    .action_o             (p_action),
    .exc_o                (p_exc),
    .ring_off_o           (p_ring_off),
    .ev_a_valid_o         (p_ev_a_v),
    .ev_a_o               (p_ev_a),
    .ev_b_valid_o         (p_ev_b_v),
    .ev_b_o               (p_ev_b),
    .ack_o                (p_ack),
    .ack_why_o            (p_why),
    .ack_req_o            (p_ack_req),
    .status_o             (p_status),
    .acks_in_o            (p_acks_in),
    .dupack_in_o          (p_dup_in),
    .placed_o             (p_placed)
  );

  // ---- the bucket pair of key_q -------------------------------------------------------------
  logic [3:0]  hit0, hit1, used0, used1;
  logic [15:0] hit_id;
  logic        hit;
  always_comb begin
    hit_id = '0;
    for (int w = 0; w < 4; w++) begin
      logic [SlotW-1:0] s0, s1;
      s0 = b0_rdata[SlotW*w +: SlotW];
      s1 = b1_rdata[SlotW*w +: SlotW];
      used0[w] = s0[SlotW-1];
      used1[w] = s1[SlotW-1];
      hit0[w]  = s0[SlotW-1] && s0[111:16] == key_q;
      hit1[w]  = s1[SlotW-1] && s1[111:16] == key_q;
    end
    for (int w = 3; w >= 0; w--) begin
      if (hit1[w]) hit_id = b1_rdata[SlotW*w +: 16];
    end
    for (int w = 3; w >= 0; w--) begin
      if (hit0[w]) hit_id = b0_rdata[SlotW*w +: 16];
    end
  end
  assign hit = (hit0 != 4'd0) || (hit1 != 4'd0);

  function automatic logic [2:0] popcount4(input logic [3:0] v);
    popcount4 = {2'd0, v[0]} + {2'd0, v[1]} + {2'd0, v[2]} + {2'd0, v[3]};
  endfunction
  function automatic logic [1:0] first_zero(input logic [3:0] v);
    first_zero = 2'd0;
    for (int w = 3; w >= 0; w--) if (!v[w]) first_zero = 2'(w);
  endfunction

  // INSERT: the bucket with fewer used slots, bank 0 on a tie, its lowest free slot.
  logic       ins_bank;
  logic [1:0] ins_way;
  assign ins_bank = popcount4(used1) < popcount4(used0);
  assign ins_way  = ins_bank ? first_zero(used1) : first_zero(used0);

  // INSERT writes the entry as given, with the hardware's own bookkeeping at zero.
  toe_pkg::rx_ctx_t cctx_init;
  always_comb begin
    cctx_init              = cctx_q;
    cctx_init.ev_rx_bytes  = 32'd0;
    cctx_init.dupacks      = 8'd0;
    cctx_init.segs_unacked = 8'd0;
    cctx_init.pend         = 8'd0;
    cctx_init.segs_in      = 32'd0;
    cctx_init.bytes_in     = 32'd0;
    cctx_init.acks_out     = 32'd0;
  end

  // A context INSERT accepts (docs/rx-datapath.md, "Commands").
  logic ctx_ok;
  assign ctx_ok = cctx_q.buf_size_log2 >= 8'd6 && cctx_q.buf_size_log2 <= 8'd30 &&
                  cctx_q.buf_base[5:0] == 6'd0 && cctx_q.rcv_wscale <= 8'd14 &&
                  cctx_q.snd_wscale <= 8'd14 && cctx_q.mss >= toe_pkg::MSS_MIN &&
                  cctx_q.mss <= toe_pkg::MSS_MAX &&
                  // What the host has not consumed must fit the ring.
                  (cctx_q.rcv_nxt - cctx_q.rcv_read) <= (32'd1 << cctx_q.buf_size_log2[4:0]);

  // The lowest set bit of the work word at or above sw_b_q.
  logic [63:0] sw_masked;
  logic [5:0]  sw_bit;
  logic        sw_any;
  always_comb begin
    sw_masked = work_rdata & ~((64'd1 << sw_b_q[5:0]) - 64'd1);
    if (sw_b_q[6]) sw_masked = '0;
    sw_bit = '0;
    sw_any = sw_masked != 64'd0;
    for (int b = 63; b >= 0; b--) if (sw_masked[b]) sw_bit = 6'(b);
  end

  // Work bit of an entry: something for the next tick to do.
  function automatic logic needs_tick(input logic [2:0] pend, input logic [31:0] ev_rx_bytes);
    needs_tick = pend != 3'd0 || ev_rx_bytes != 32'd0;
  endfunction

  logic [31:0]    h0, h1;
  logic [IdW-1:0] sw_id;
  assign h0    = crc32_key(key_q, 32'h82F63B78);
  assign h1    = crc32_key(key_q, 32'hEDB88320);
  assign sw_id = IdW'({sw_w_q, sw_bit});

  // The hashes pick a bucket with their low bits.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_hash;
  assign unused_hash = ^{h0, h1};
  /* verilator lint_on UNUSEDSIGNAL */

  // ---- outputs -------------------------------------------------------------------------------
  assign vd_valid_o  = st_q == StVerdict;
  assign vd_o        = vd_q;
  assign ev_valid_o  = (st_q == StEvA && ev_a_v_q) || (st_q == StEvB && ev_b_v_q);
  assign ev_o        = st_q == StEvA ? ev_a_q : ev_b_q;
  assign ack_valid_o = st_q == StAck && ack_v_q;
  assign ack_o       = ack_q;
  assign rsp_valid_o = st_q == StRsp;
  always_comb begin
    rsp_o         = '0;
    rsp_o.tag     = cmd_q.tag;
    rsp_o.conn_id = cmd_q.conn_id;
    rsp_o.op      = cmd_q.op;
    rsp_o.status  = status_q;
  end
  assign rsp_ctx_o = rctx_q;

  // What the head of the order queue still asks for.
  logic head_ticks, head_frame, head_cmd, pend_tick;
  // A fresh head entry is worked on in the clock it shows up: its state is the
  // entry's own until the first step is taken.
  logic [31:0] ticks_left;
  logic        frame_done, cmd_done;
  assign ticks_left = ord_loaded_q ? ticks_left_q : ord_ticks_i;
  assign frame_done = ord_loaded_q && frame_done_q;
  assign cmd_done   = ord_loaded_q && cmd_done_q;
  assign head_ticks = ord_valid_i && ticks_left != 32'd0;
  assign head_frame = ord_valid_i && ticks_left == 32'd0 && ord_frame_i && !frame_done;
  assign head_cmd   = ord_valid_i && ticks_left == 32'd0 && !head_frame && ord_cmd_i && !cmd_done;
  assign pend_tick  = !ord_valid_i && ticks_pend_i != 32'd0;

  assign seg_ready_o = st_q == StIdle && head_frame && seg_valid_i;
  assign cmd_ready_o = st_q == StIdle && head_cmd && cmd_valid_i;
  assign tick_take_o = st_q == StIdle && !init_q && pend_tick;
  // The head entry leaves with the output that finishes it: its frame's verdict
  // (unless a command of the same cycle still waits) or its command's response.
  assign ord_ready_o = (st_q == StVerdict && vd_ready_i && !(ord_cmd_i && !cmd_done)) ||
                       (st_q == StRsp && rsp_ready_i);

  // ---- memory ports -------------------------------------------------------------------------
  always_comb begin
    ctx_we    = 1'b0;
    ctx_wdata = {1'b1, CtxW'(p_ctx)};
    ctx_addr  = id_q[IdW-1:0];
    b0_we     = 1'b0;
    b1_we     = 1'b0;
    b0_addr   = bkt0_q;
    b1_addr   = bkt1_q;
    b0_wdata  = b0_rdata;
    b1_wdata  = b1_rdata;
    work_we   = 1'b0;
    work_addr = id_q[IdW-1:6];
    work_wdata = work_rdata;
    if (init_q) begin
      ctx_we    = 1'b1;
      ctx_addr  = init_idx_q;
      ctx_wdata = '0;
      b0_we     = init_idx_q < IdW'(NB);
      b1_we     = init_idx_q < IdW'(NB);
      b0_addr   = BW'(init_idx_q);
      b1_addr   = BW'(init_idx_q);
      b0_wdata  = '0;
      b1_wdata  = '0;
      work_we   = init_idx_q < IdW'(NWords);
      work_addr = WW'(init_idx_q);
      work_wdata = '0;
    end else begin
      unique case (st_q)
        StHash: begin
          b0_addr = h0[BW-1:0];
          b1_addr = h1[BW-1:0];
        end
        StBank: begin
          if (purpose_q == PSeg && hit) begin
            ctx_addr  = hit_id[IdW-1:0];
            work_addr = hit_id[IdW-1:6];
          end else if (purpose_q == PIns && !hit && (used0 != 4'hF || used1 != 4'hF)) begin
            ctx_we    = 1'b1;
            ctx_wdata = {1'b1, CtxW'(cctx_init)};
            work_we   = 1'b1;
            work_wdata = work_rdata & ~(64'd1 << id_q[5:0]);
            if (ins_bank) begin
              b1_we = 1'b1;
              b1_wdata[SlotW*ins_way +: SlotW] = {1'b1, key_q, id_q};
            end else begin
              b0_we = 1'b1;
              b0_wdata[SlotW*ins_way +: SlotW] = {1'b1, key_q, id_q};
            end
          end else if (purpose_q == PDel) begin
            ctx_we    = 1'b1;
            ctx_wdata = {1'b0, CtxW'(rctx_q)};
            work_we   = 1'b1;
            work_wdata = work_rdata & ~(64'd1 << id_q[5:0]);
            for (int w = 0; w < 4; w++) begin
              if (hit0[w] && b0_rdata[SlotW*w +: 16] == id_q) begin
                b0_we = 1'b1;
                b0_wdata[SlotW*w +: SlotW] = '0;
              end
              if (hit1[w] && b1_rdata[SlotW*w +: 16] == id_q) begin
                b1_we = 1'b1;
                b1_wdata[SlotW*w +: SlotW] = '0;
              end
            end
          end
        end
        StSegCtx, StSwCtx, StCmdProc: begin
          ctx_we     = 1'b1;
          work_we    = 1'b1;
          work_wdata = needs_tick(p_ctx.pend[2:0], p_ctx.ev_rx_bytes) ? (work_rdata | (64'd1 << id_q[5:0]))
                                                                      : (work_rdata & ~(64'd1 << id_q[5:0]));
        end
        StSwRd: work_addr = sw_w_q;
        StSwScan: begin
          ctx_addr  = sw_id;
          work_addr = sw_w_q;
        end
        default: ;
      endcase
    end
  end

  // Where an input's handling ends once its outputs are out.
  state_e final_st;
  assign final_st = sweep_q ? StSwRd : (kind_q == KindSeg ? StVerdict : StRsp);

  // ---- the state machine ------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q         <= StInit;
      init_q       <= 1'b1;
      init_idx_q   <= '0;
      now_q        <= '0;
      ts_q         <= '0;
      ts_sub_q     <= '0;
      ord_loaded_q <= 1'b0;
      ticks_left_q <= '0;
      frame_done_q <= 1'b0;
      cmd_done_q   <= 1'b0;
      sweep_q      <= 1'b0;
    end else begin
      unique case (st_q)
        StInit: begin
          init_idx_q <= init_idx_q + 1'b1;
          if (init_idx_q == IdW'(ConnMax - 1)) begin
            init_q <= 1'b0;
            st_q   <= StIdle;
          end
        end

        StIdle: begin
          if (head_ticks || tick_take_o) begin
            // A tick: now moves on, then every connection with work is visited.
            if (head_ticks) begin
              ord_loaded_q <= 1'b1;
              ticks_left_q <= ticks_left - 32'd1;
              frame_done_q <= frame_done;
              cmd_done_q   <= cmd_done;
            end
            now_q   <= now_q + 32'd1;
            // The timestamp clock (RFC 7323 TSval) moves on every cfg_ts_ticks ticks:
            // counted here, in arrival order, it is exact for every input.
            if (ts_sub_q + 32'd1 >= cfg_ts_ticks_i) begin
              ts_sub_q <= '0;
              ts_q     <= ts_q + 32'd1;
            end else begin
              ts_sub_q <= ts_sub_q + 32'd1;
            end
            sw_w_q  <= '0;
            sw_b_q  <= '0;
            sweep_q <= 1'b1;
            st_q    <= StSwRd;
          end else if (seg_ready_o) begin
            ord_loaded_q <= 1'b1;
            ticks_left_q <= '0;
            frame_done_q <= 1'b1;
            cmd_done_q   <= cmd_done;
            seg_q        <= seg_i;
            kind_q       <= KindSeg;
            purpose_q    <= PSeg;
            vd_q         <= '0;
            vd_q.n       <= seg_i.n;
            vd_q.beats   <= seg_i.beats;
            vd_q.l3      <= seg_i.l3;
            vd_q.l4      <= seg_i.l4;
            vd_q.tick    <= seg_i.tick;
            vd_q.conn_id <= 16'hFFFF;
            vd_q.pay_off <= seg_i.pay_off;
            vd_q.pay_len <= seg_i.pay_len;
            if (seg_i.action == toe_rx_pkg::ACT_CONN) begin
              key_q <= make_key(seg_i.dst_ip, seg_i.src_ip, seg_i.dst_port, seg_i.src_port);
              st_q  <= StHash;
            end else begin
              vd_q.action <= (seg_i.action == toe_rx_pkg::ACT_EXC) ? toe_rx_pkg::DO_EXC : toe_rx_pkg::DO_DROP;
              vd_q.exc    <= (seg_i.action == toe_rx_pkg::ACT_EXC) ? seg_i.reason : 8'd0;
              vd_q.drop   <= (seg_i.action == toe_rx_pkg::ACT_EXC) ? 8'd0 : seg_i.reason;
              st_q        <= StVerdict;
            end
          end else if (cmd_ready_o) begin
            ord_loaded_q <= 1'b1;
            ticks_left_q <= '0;
            frame_done_q <= frame_done;
            cmd_done_q   <= 1'b1;
            cmd_q      <= cmd_i;
            cctx_q     <= cmd_ctx_i;
            kind_q     <= KindCmd;
            id_q       <= cmd_i.conn_id;
            rctx_q     <= '0;
            st_q       <= StCmd;
          end
        end

        StCmd: begin
          if (cmd_q.op < toe_pkg::CONN_CMD_INSERT || cmd_q.op > toe_pkg::CONN_CMD_ACK_NOW) begin
            status_q <= toe_pkg::CONN_STATUS_BAD_OP;
            st_q     <= StRsp;
          end else if ({16'd0, cmd_q.conn_id} >= 32'(ConnMax)) begin
            status_q <= toe_pkg::CONN_STATUS_BAD_ID;
            st_q     <= StRsp;
          end else begin
            // ctx_addr = id_q: the entry arrives in the next state.
            st_q <= (cmd_q.op == toe_pkg::CONN_CMD_INSERT) ? StInsChk : StCmdCtx;
          end
        end

        StInsChk: begin
          if (cur_inst) begin
            status_q <= toe_pkg::CONN_STATUS_BUSY;
            st_q     <= StRsp;
          end else if (!ctx_ok) begin
            status_q <= toe_pkg::CONN_STATUS_BAD_CTX;
            st_q     <= StRsp;
          end else begin
            key_q     <= make_key(cctx_q.local_ip, cctx_q.remote_ip, cctx_q.local_port, cctx_q.remote_port);
            purpose_q <= PIns;
            st_q      <= StHash;
          end
        end

        StCmdCtx: begin
          if (!cur_inst) begin
            status_q <= toe_pkg::CONN_STATUS_NOT_FOUND;
            st_q     <= StRsp;
          end else if (cmd_q.op == toe_pkg::CONN_CMD_DELETE) begin
            rctx_q    <= cur_ctx;
            key_q     <= make_key(cur_ctx.local_ip, cur_ctx.remote_ip, cur_ctx.local_port, cur_ctx.remote_port);
            purpose_q <= PDel;
            st_q      <= StHash;
          end else if (cmd_q.op == toe_pkg::CONN_CMD_READ) begin
            rctx_q   <= cur_ctx;
            status_q <= toe_pkg::CONN_STATUS_OK;
            st_q     <= StRsp;
          end else begin
            st_q <= StCmdProc;
          end
        end

        StHash: begin
          bkt0_q <= h0[BW-1:0];
          bkt1_q <= h1[BW-1:0];
          st_q   <= StBank;
        end

        StBank: begin
          unique case (purpose_q)
            PSeg: begin
              if (hit) begin
                id_q         <= hit_id;
                vd_q.conn_id <= hit_id;
                st_q         <= StSegCtx;
              end else begin
                vd_q.action <= toe_rx_pkg::DO_EXC;
                vd_q.exc    <= toe_pkg::RX_EXC_NO_CONN;
                st_q        <= StVerdict;
              end
            end
            PIns: begin
              status_q <= hit ? toe_pkg::CONN_STATUS_EXISTS :
                          (used0 == 4'hF && used1 == 4'hF) ? toe_pkg::CONN_STATUS_TABLE_FULL :
                          toe_pkg::CONN_STATUS_OK;
              st_q     <= StRsp;
            end
            default: begin  // PDel
              status_q <= toe_pkg::CONN_STATUS_OK;
              st_q     <= StRsp;
            end
          endcase
        end

        StSegCtx, StSwCtx, StCmdProc: begin
          ev_a_v_q  <= p_ev_a_v;
          ev_b_v_q  <= p_ev_b_v;
          ev_a_q    <= p_ev_a;
          ev_b_q    <= p_ev_b;
          ack_v_q   <= p_ack;
          ack_q     <= p_ack_req;
          ack_why_q <= p_why;
          status_q  <= p_status;
          if (st_q == StSegCtx) begin
            vd_q.action    <= p_action;
            vd_q.exc       <= p_exc;
            vd_q.drop      <= 8'd0;
            vd_q.buf_base  <= cur_ctx.buf_base;
            vd_q.size_log2 <= cur_ctx.buf_size_log2[4:0];
            vd_q.ring_off  <= p_ring_off;
          end
          // The entry is written in this clock; only the outputs it asks for follow.
          st_q <= p_ev_a_v ? StEvA : p_ev_b_v ? StEvB : p_ack ? StAck : final_st;
        end

        StEvA: if (ev_ready_i) st_q <= ev_b_v_q ? StEvB : ack_v_q ? StAck : final_st;
        StEvB: if (ev_ready_i) st_q <= ack_v_q ? StAck : final_st;
        StAck: if (ack_ready_i) st_q <= final_st;

        StVerdict: if (vd_ready_i) begin
          st_q <= StIdle;
          if (ord_ready_o) begin
            ord_loaded_q <= 1'b0;
            frame_done_q <= 1'b0;
            cmd_done_q   <= 1'b0;
          end
        end
        StRsp: if (rsp_ready_i) begin
          st_q         <= StIdle;
          ord_loaded_q <= 1'b0;
          frame_done_q <= 1'b0;
          cmd_done_q   <= 1'b0;
        end

        StSwRd: st_q <= StSwScan;  // work_addr = sw_w_q: the word arrives next clock
        StSwScan: begin
          if (sw_any) begin
            id_q   <= 16'({sw_w_q, sw_bit});
            sw_b_q <= {1'b0, sw_bit} + 7'd1;
            kind_q <= KindSweep;
            st_q   <= StSwCtx;
          end else if (sw_w_q == WW'(NWords - 1)) begin
            sweep_q <= 1'b0;
            st_q    <= StIdle;
          end else begin
            sw_w_q <= sw_w_q + 1'b1;
            sw_b_q <= '0;
            st_q   <= StSwRd;
          end
        end

        default: st_q <= StIdle;
      endcase
    end
  end

  // ---- counters ----------------------------------------------------------------------------
  logic in_proc;
  assign in_proc          = st_q == StSegCtx || st_q == StSwCtx || st_q == StCmdProc;
  assign c_acks_in_o      = in_proc && p_acks_in;
  assign c_dupack_in_o    = in_proc && p_dup_in;
  assign c_placed_o       = in_proc && p_placed;
  assign c_placed_bytes_o = seg_q.pay_len;
  assign c_ack_why_o      = (st_q == StAck && ack_v_q && ack_ready_i) ? ack_why_q : 8'd0;
  assign c_event_o        = ev_valid_o && ev_ready_i;
  assign c_cmd_o          = rsp_valid_o && rsp_ready_i;
  assign c_cmd_err_o      = rsp_valid_o && rsp_ready_i && status_q != toe_pkg::CONN_STATUS_OK;

endmodule
