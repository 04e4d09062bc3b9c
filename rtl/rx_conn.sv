// RX connection stage: the connection table and everything that reads or writes a
// connection's entry, in arrival order (docs/rx-datapath.md, "Order").
//
//   arrivals (ticks, frames, commands) -> [order queue] -> segment pipeline  -> verdicts (dispatch)
//                                                       -> slow path (FSM)   -> events, ACK requests,
//                                                                               command responses
//
// State: the entries (rx_ctx plus an installed bit) in ctx_mem, indexed by conn_id; the
// 4-tuple index in two banks of CONN_MAX/4 buckets of 4 slots, bank 0 at CRC-32C(key),
// bank 1 at CRC-32(key); and a "work" bitmap with one bit per connection that has a
// DATA or TX_UPDATE event or a delayed ACK pending, with a summary bit per bitmap word,
// so that a tick visits only those connections, in conn_id order.
//
// Segments stream through a two-stage pipeline at one a clock, back-to-back segments of
// one connection included (the second takes the first's entry by forwarding). Ticks
// and commands are rare: each waits for the pipeline to empty and then runs on the
// slow path, a state machine that owns the memories meanwhile. Both write the same
// output queues, so every output stream stays in input order.
module rx_conn #(
  parameter int unsigned ConnMax = 4096,  // power of two, 64..65536
  // Idle warp (virtual time): a simulation host may jump many idle ticks at once.
  // Synthesis may set 0: the divider it needs then goes away.
  parameter bit          Warp = 1'b1
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

  // Idle warp: with warp_ok_o high, warp_i takes warp_n_i (>= 1) ticks in one clock,
  // with exactly the effect those ticks would have had one by one (now and the
  // timestamp divider move on; no connection has tick work, so nothing else does).
  input  logic                       warp_i,
  input  logic [31:0]                warp_n_i,
  output logic                       warp_ok_o,
  output logic                       busy_o,          // the slow path or the pipeline holds work
  output logic                       active_o,        // ... and can move on (not held by outputs)
  output logic                       work_o,          // some connection has tick work
  output logic [31:0]                now_o,           // ticks taken so far
  output logic [31:0]                ts_o,            // the timestamp clock

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

  if (ConnMax < toe_pkg::CONN_MAX_MIN || ConnMax > toe_pkg::CONN_MAX_MAX ||
      (ConnMax & (ConnMax - 1)) != 0) begin : g_bad_conn_max
    $error("ConnMax must be a power of two from CONN_MAX_MIN (64) to CONN_MAX_MAX (65536)");
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

  // The bitmap word of a connection id.
  function automatic logic [WW-1:0] word_of(input logic [15:0] id);
    word_of = WW'(id >> 6);
  endfunction

  // ---- memories: one read and one write address each, read registered ---------------------
  // What a read returns when the same clock writes the same address does not matter:
  // the segment pipeline forwards its own last write (below) and the slow path never
  // reads an address in the clock it writes it.
  logic [CtxW:0]      ctx_mem [ConnMax];   // {installed, rx_ctx}
  logic [4*SlotW-1:0] bank0 [NB];
  logic [4*SlotW-1:0] bank1 [NB];
  logic [63:0]        work_mem [NWords];

  logic               ctx_we, b0_we, b1_we, work_we;
  logic [IdW-1:0]     ctx_raddr, ctx_waddr;
  logic [CtxW:0]      ctx_wdata, ctx_rdata;
  logic [BW-1:0]      b0_raddr, b1_raddr, b0_waddr, b1_waddr;
  logic [4*SlotW-1:0] b0_wdata, b1_wdata, b0_rdata, b1_rdata;
  logic [WW-1:0]      work_raddr, work_waddr;
  logic [63:0]        work_wdata, work_rdata;

  always_ff @(posedge clk_i) begin
    if (ctx_we) ctx_mem[ctx_waddr] <= ctx_wdata;
    ctx_rdata <= ctx_mem[ctx_raddr];
    if (b0_we) bank0[b0_waddr] <= b0_wdata;
    b0_rdata <= bank0[b0_raddr];
    if (b1_we) bank1[b1_waddr] <= b1_wdata;
    b1_rdata <= bank1[b1_raddr];
    if (work_we) work_mem[work_waddr] <= work_wdata;
    work_rdata <= work_mem[work_raddr];
  end

  // The table must start empty: a reset walk clears the installed bits, the buckets and
  // the work bitmap (ConnMax clocks) before the first input is taken.
  logic             init_q;
  logic [IdW-1:0]   init_idx_q;

  // ---- slow-path state machine: ticks and commands ----------------------------------------
  typedef enum logic [3:0] {
    StInit, StIdle, StCmd, StInsChk, StCmdCtx, StHash, StBank, StSwCtx, StCmdProc,
    StRsp, StSwFind, StSwRd, StSwScan
  } state_e;

  localparam logic [1:0] PIns = 2'd1, PDel = 2'd2;
  localparam logic [1:0] KindSeg = 2'd0, KindSweep = 2'd1, KindCmd = 2'd2;

  state_e            st_q;
  logic [31:0]       now_q;
  logic [31:0]       ts_q, ts_sub_q;   // the timestamp clock, counted in ticks
  logic [31:0]       ticks_left_q;     // ticks of the head entry still to run
  logic              ord_loaded_q;     // the head entry's tick count is in ticks_left_q
  logic              frame_done_q, cmd_done_q;
  logic [1:0]        purpose_q, kind_q;
  toe_pkg::conn_cmd_t cmd_q;
  toe_pkg::rx_ctx_t  cctx_q;
  logic [95:0]       key_q;
  logic [BW-1:0]     bkt0_q, bkt1_q;
  logic [15:0]       id_q;
  logic [7:0]        status_q;
  toe_pkg::rx_ctx_t  rctx_q;           // the entry a READ returns
  logic [WW-1:0]     sw_w_q;
  logic [6:0]        sw_b_q;           // next bit of the word to look at

  // ---- segment pipeline: B (bucket read) -> C (entry read, processing, write) ---------------
  // A segment is taken from the parser with its key hashed in the same clock, which
  // addresses the bucket pair; B compares the four slots of each bank and addresses the
  // entry; C processes it and writes it back. One segment a clock, whatever the
  // connection: C reads the entry of the segment before it from fw_* (written in the
  // clock C reads), never from the RAM. A full output queue stops the whole pipeline;
  // while it stands, the reads repeat the addresses of B and C.
  logic                   en;           // the pipeline moves this clock
  logic                   b_valid_q, b_conn_q;
  toe_rx_pkg::rx_parsed_t b_seg_q;
  logic [95:0]            b_key_q;
  logic [BW-1:0]          b_bkt0_q, b_bkt1_q;
  logic                   c_valid_q, c_conn_q, c_hit_q;
  toe_rx_pkg::rx_parsed_t c_seg_q;
  logic [15:0]            c_id_q;
  logic                   fw_valid_q;
  logic [15:0]            fw_id_q;
  toe_pkg::rx_ctx_t       fw_ctx_q;
  logic [63:0]            fw_word_q;
  logic                   pipe_empty;
  assign pipe_empty = !b_valid_q && !c_valid_q;

  // ---- the bucket pair of a key -----------------------------------------------------------
  // B's key in the pipeline, key_q on the slow path (StBank).
  logic [95:0] cmp_key;
  assign cmp_key = (st_q == StIdle) ? b_key_q : key_q;

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
      hit0[w]  = s0[SlotW-1] && s0[111:16] == cmp_key;
      hit1[w]  = s1[SlotW-1] && s1[111:16] == cmp_key;
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

  // The summary of the work bitmap: one bit per word with a bit set, kept as the words
  // are written, so that a tick skips 64 idle words a clock (a 65536-entry table has
  // 1024 words; a tick every 10 us is 2500 clocks at 250 MHz).
  localparam int unsigned NGroups = (NWords + 63) / 64;
  logic [NWords-1:0]       sum_q;
  logic [NGroups*64-1:0]   sum_pad;
  logic [15:0]             sw_w16;
  logic [63:0]             find_masked;
  logic [5:0]              find_bit;
  logic                    find_any, find_last;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)      sum_q <= '0;
    else if (work_we) sum_q[work_waddr] <= work_wdata != 64'd0;
  end
  assign sum_pad   = (NGroups * 64)'(sum_q);
  assign sw_w16    = 16'(sw_w_q);
  assign find_last = sw_w16[15:6] == 10'(NGroups - 1);
  // The lowest word at or above sw_w_q, within its group of 64, that has work.
  always_comb begin
    find_masked = sum_pad[64*sw_w16[15:6] +: 64] & ~((64'd1 << sw_w16[5:0]) - 64'd1);
    find_any    = find_masked != 64'd0;
    find_bit    = '0;
    for (int b = 63; b >= 0; b--) if (find_masked[b]) find_bit = 6'(b);
  end

  // Work bit of an entry: something for the next tick to do.
  function automatic logic needs_tick(input logic [2:0] pend, input logic [31:0] ev_rx_bytes);
    needs_tick = pend != 3'd0 || ev_rx_bytes != 32'd0;
  endfunction

  // One hash unit: the segment the parser offers, or the slow path's key_q.
  logic [95:0]    seg_key, hash_key;
  logic [31:0]    h0, h1;
  logic [IdW-1:0] sw_id;
  assign seg_key  = make_key(seg_i.dst_ip, seg_i.src_ip, seg_i.dst_port, seg_i.src_port);
  assign hash_key = (st_q == StIdle) ? seg_key : key_q;
  assign h0       = crc32_key(hash_key, 32'h82F63B78);
  assign h1       = crc32_key(hash_key, 32'hEDB88320);
  assign sw_id    = IdW'({sw_w_q, sw_bit});

  // The hashes pick a bucket with their low bits.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_hash;
  assign unused_hash = ^{h0, h1};
  /* verilator lint_on UNUSEDSIGNAL */

  // ---- processing: C's segment in StIdle, otherwise the slow path's input -------------------
  toe_pkg::rx_ctx_t  cur_ctx, c_ctx;
  logic              cur_inst;
  logic [63:0]       c_word;
  assign cur_ctx  = ctx_rdata[CtxW-1:0];
  assign cur_inst = ctx_rdata[CtxW];
  assign c_ctx    = (fw_valid_q && fw_id_q == c_id_q) ? fw_ctx_q : cur_ctx;
  assign c_word   = (fw_valid_q && word_of(fw_id_q) == word_of(c_id_q)) ? fw_word_q : work_rdata;

  logic                    pipe_mode;
  toe_pkg::rx_ctx_t        p_ctx;
  logic [1:0]              p_action;
  logic [7:0]              p_exc, p_status, p_why;
  logic [29:0]             p_ring_off;
  logic                    p_ev_a_v, p_ev_b_v, p_ack, p_acks_in, p_dup_in, p_placed;
  toe_pkg::rx_event_t      p_ev_a, p_ev_b;
  toe_rx_pkg::rx_ack_req_t p_ack_req;
  logic [63:0]             p_word_in, p_word;
  logic [15:0]             p_id;
  assign pipe_mode = st_q == StIdle;
  assign p_id      = pipe_mode ? c_id_q : id_q;
  assign p_word_in = pipe_mode ? c_word : work_rdata;
  assign p_word    = needs_tick(p_ctx.pend[2:0], p_ctx.ev_rx_bytes) ? (p_word_in | (64'd1 << p_id[5:0]))
                                                                    : (p_word_in & ~(64'd1 << p_id[5:0]));

  rx_conn_proc u_proc (
    .kind_i               (pipe_mode ? KindSeg : kind_q),
    .conn_id_i            (p_id),
    .ctx_i                (pipe_mode ? c_ctx : cur_ctx),
    .seg_i                (c_seg_q),
    .cmd_i                (cmd_q),
    .now_i                (pipe_mode ? c_seg_q.tick : now_q),
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

  // ---- output queues (the pipeline and the slow path both write them, in input order) ------
  // An input that changes an entry may make two events and an ACK; it goes ahead only
  // when there is room for all of them, counted from registers.
  logic [2:0] ev_free;
  logic [1:0] ack_free, vd_free;
  logic       out_room, vd_room, commit, c_fire;
  logic [1:0] ev_n;
  assign out_room = ev_free >= 3'd2 && ack_free != 2'd0;
  assign vd_room  = vd_free != 2'd0;
  assign en       = !c_valid_q || (vd_room && out_room);
  assign c_fire   = c_valid_q && en;
  // The entry is written and the outputs queued: a hit segment leaving C, or the slow
  // path's visit or command in its processing state.
  assign commit   = (pipe_mode && c_fire && c_hit_q) ||
                    ((st_q == StSwCtx || st_q == StCmdProc) && out_room);
  assign ev_n     = commit ? 2'(p_ev_a_v) + 2'(p_ev_b_v) : 2'd0;

  toe_regq #(.Width($bits(p_ev_a)), .Depth(4)) u_evq (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .wr_n_i     (ev_n),
    .wr_data0_i (p_ev_a_v ? p_ev_a : p_ev_b),
    .wr_data1_i (p_ev_b),
    .free_o     (ev_free),
    .rd_valid_o (ev_valid_o),
    .rd_ready_i (ev_ready_i),
    .rd_data_o  (ev_o)
  );

  logic [7:0] ackq_why;
  toe_regq #(.Width(8 + $bits(p_ack_req)), .Depth(2)) u_ackq (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .wr_n_i     ({1'b0, commit && p_ack}),
    .wr_data0_i ({p_why, p_ack_req}),
    .wr_data1_i ({p_why, p_ack_req}),
    .free_o     (ack_free),
    .rd_valid_o (ack_valid_o),
    .rd_ready_i (ack_ready_i),
    .rd_data_o  ({ackq_why, ack_o})
  );

  // C's verdict: a segment that reached its connection gets what processing decided;
  // the parser's drops and exceptions, and segments of no connection, pass as they are.
  toe_rx_pkg::rx_verdict_t c_vd;
  always_comb begin
    c_vd         = '0;
    c_vd.n       = c_seg_q.n;
    c_vd.beats   = c_seg_q.beats;
    c_vd.l3      = c_seg_q.l3;
    c_vd.l4      = c_seg_q.l4;
    c_vd.tick    = c_seg_q.tick;
    c_vd.pay_off = c_seg_q.pay_off;
    c_vd.pay_len = c_seg_q.pay_len;
    c_vd.conn_id = 16'hFFFF;
    if (!c_conn_q) begin
      c_vd.action = (c_seg_q.action == toe_rx_pkg::ACT_EXC) ? toe_rx_pkg::DO_EXC : toe_rx_pkg::DO_DROP;
      c_vd.exc    = (c_seg_q.action == toe_rx_pkg::ACT_EXC) ? c_seg_q.reason : 8'd0;
      c_vd.drop   = (c_seg_q.action == toe_rx_pkg::ACT_EXC) ? 8'd0 : c_seg_q.reason;
    end else if (!c_hit_q) begin
      c_vd.action = toe_rx_pkg::DO_EXC;
      c_vd.exc    = toe_pkg::RX_EXC_NO_CONN;
    end else begin
      c_vd.conn_id   = c_id_q;
      c_vd.action    = p_action;
      c_vd.exc       = p_exc;
      c_vd.buf_base  = c_ctx.buf_base;
      c_vd.size_log2 = c_ctx.buf_size_log2[4:0];
      c_vd.ring_off  = p_ring_off;
    end
  end

  toe_regq #(.Width($bits(c_vd)), .Depth(2)) u_vdq (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .wr_n_i     ({1'b0, c_fire}),
    .wr_data0_i (c_vd),
    .wr_data1_i (c_vd),
    .free_o     (vd_free),
    .rd_valid_o (vd_valid_o),
    .rd_ready_i (vd_ready_i),
    .rd_data_o  (vd_o)
  );

  assign rsp_valid_o = st_q == StRsp;
  always_comb begin
    rsp_o         = '0;
    rsp_o.tag     = cmd_q.tag;
    rsp_o.conn_id = cmd_q.conn_id;
    rsp_o.op      = cmd_q.op;
    rsp_o.status  = status_q;
  end
  assign rsp_ctx_o = rctx_q;

  // ---- the order of arrivals ----------------------------------------------------------------
  // What the head of the order queue still asks for. A fresh head entry is worked on in
  // the clock it shows up: its state is the entry's own until the first step is taken.
  logic        head_ticks, head_frame, head_cmd, pend_tick, take_seg;
  logic [31:0] ticks_left;
  logic        frame_done, cmd_done;
  assign ticks_left = ord_loaded_q ? ticks_left_q : ord_ticks_i;
  assign frame_done = ord_loaded_q && frame_done_q;
  assign cmd_done   = ord_loaded_q && cmd_done_q;
  assign head_ticks = ord_valid_i && ticks_left != 32'd0;
  assign head_frame = ord_valid_i && ticks_left == 32'd0 && ord_frame_i && !frame_done;
  assign head_cmd   = ord_valid_i && ticks_left == 32'd0 && !head_frame && ord_cmd_i && !cmd_done;
  assign pend_tick  = !ord_valid_i && ticks_pend_i != 32'd0;

  // Frames stream into the pipeline; a tick or a command waits until the pipeline is
  // empty, so that it sees every entry as the inputs before it left it (and the
  // timestamp clock a segment's ACK carries is the one of its arrival).
  assign take_seg    = st_q == StIdle && head_frame && seg_valid_i && en;
  assign seg_ready_o = take_seg;
  assign cmd_ready_o = st_q == StIdle && head_cmd && cmd_valid_i && pipe_empty;
  assign tick_take_o = st_q == StIdle && !init_q && pend_tick && pipe_empty;
  // The head entry leaves with its frame, unless a command of the same arrival still
  // waits behind it, or with its command's response.
  assign ord_ready_o = (take_seg && !(ord_cmd_i && !cmd_done)) || (st_q == StRsp && rsp_ready_i);

  // ---- memory ports -------------------------------------------------------------------------
  always_comb begin
    ctx_we     = 1'b0;
    ctx_waddr  = id_q[IdW-1:0];
    ctx_raddr  = id_q[IdW-1:0];
    ctx_wdata  = {1'b1, CtxW'(p_ctx)};
    b0_we      = 1'b0;
    b1_we      = 1'b0;
    b0_waddr   = bkt0_q;
    b1_waddr   = bkt1_q;
    b0_raddr   = h0[BW-1:0];
    b1_raddr   = h1[BW-1:0];
    b0_wdata   = b0_rdata;
    b1_wdata   = b1_rdata;
    work_we    = 1'b0;
    work_waddr = word_of(id_q);
    work_raddr = word_of(id_q);
    work_wdata = p_word;
    if (init_q) begin
      ctx_we     = 1'b1;
      ctx_waddr  = init_idx_q;
      ctx_wdata  = '0;
      b0_we      = init_idx_q < IdW'(NB);
      b1_we      = init_idx_q < IdW'(NB);
      b0_waddr   = BW'(init_idx_q);
      b1_waddr   = BW'(init_idx_q);
      b0_wdata   = '0;
      b1_wdata   = '0;
      work_we    = init_idx_q < IdW'(NWords);
      work_waddr = WW'(init_idx_q);
      work_wdata = '0;
    end else begin
      unique case (st_q)
        StIdle: begin
          // The pipeline: a moving pipeline reads for the segments entering B and C, a
          // standing one reads again for the segments it holds.
          if (!en) begin
            b0_raddr = b_bkt0_q;
            b1_raddr = b_bkt1_q;
          end
          ctx_raddr  = en ? hit_id[IdW-1:0] : c_id_q[IdW-1:0];
          work_raddr = en ? word_of(hit_id) : word_of(c_id_q);
          ctx_waddr  = c_id_q[IdW-1:0];
          work_waddr = word_of(c_id_q);
          ctx_we     = commit;
          work_we    = commit;
        end
        StBank: begin
          if (purpose_q == PIns && !hit && (used0 != 4'hF || used1 != 4'hF)) begin
            ctx_we     = 1'b1;
            ctx_wdata  = {1'b1, CtxW'(cctx_init)};
            work_we    = 1'b1;
            work_wdata = work_rdata & ~(64'd1 << id_q[5:0]);
            if (ins_bank) begin
              b1_we = 1'b1;
              b1_wdata[SlotW*ins_way +: SlotW] = {1'b1, key_q, id_q};
            end else begin
              b0_we = 1'b1;
              b0_wdata[SlotW*ins_way +: SlotW] = {1'b1, key_q, id_q};
            end
          end else if (purpose_q == PDel) begin
            ctx_we     = 1'b1;
            ctx_wdata  = {1'b0, CtxW'(rctx_q)};
            work_we    = 1'b1;
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
        StSwCtx, StCmdProc: begin
          ctx_we  = commit;
          work_we = commit;
        end
        StSwRd: work_raddr = sw_w_q;
        StSwScan: begin
          ctx_raddr  = sw_id;
          work_raddr = sw_w_q;
        end
        default: ;
      endcase
    end
  end

  // ---- the pipeline registers ---------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      b_valid_q  <= 1'b0;
      c_valid_q  <= 1'b0;
      fw_valid_q <= 1'b0;
    end else begin
      if (en) begin
        b_valid_q <= take_seg;
        c_valid_q <= b_valid_q;
      end
      fw_valid_q <= pipe_mode && commit;
    end
  end

  always_ff @(posedge clk_i) begin
    if (take_seg) begin
      b_seg_q  <= seg_i;
      b_conn_q <= seg_i.action == toe_rx_pkg::ACT_CONN;
      b_key_q  <= seg_key;
      b_bkt0_q <= h0[BW-1:0];
      b_bkt1_q <= h1[BW-1:0];
    end
    if (en && b_valid_q) begin
      c_seg_q  <= b_seg_q;
      c_conn_q <= b_conn_q;
      c_hit_q  <= b_conn_q && hit;
      c_id_q   <= hit_id;
    end
    if (pipe_mode && commit) begin
      fw_id_q   <= c_id_q;
      fw_ctx_q  <= p_ctx;
      fw_word_q <= p_word;
    end
  end

  // ---- idle warp -----------------------------------------------------------------------------
  // As the tick branch of the slow path would do it n times: the first tick as a tick
  // (ts_sub may stand at or above a lowered cfg_ts_ticks), after which ts_sub < period
  // and the rest is a division (sim/model/toe_rx_warp.c does the same arithmetic).
  logic        warp_take;
  logic [31:0] period, w1_sub, w1_ts, wp_ts, wp_sub;
  logic [32:0] w_total;
  assign busy_o    = st_q != StIdle || init_q || !pipe_empty || fw_valid_q;
  assign work_o    = sum_q != '0;
  // Held: the pipeline or the slow path waits for room in the output queues (or for the
  // response to be taken), which only their consumers can make.
  assign active_o  = init_q || fw_valid_q || ((b_valid_q || c_valid_q) && en) ||
                     (st_q != StIdle && !((st_q == StSwCtx || st_q == StCmdProc) && !out_room) &&
                      !(st_q == StRsp && !rsp_ready_i));
  assign warp_ok_o = Warp && !busy_o && !work_o && !ord_valid_i && ticks_pend_i == 32'd0;
  assign warp_take = warp_i && warp_ok_o && warp_n_i != 32'd0;
  assign now_o     = now_q;
  assign ts_o      = ts_q;
  always_comb begin
    period  = (cfg_ts_ticks_i > 32'd1) ? cfg_ts_ticks_i : 32'd1;
    if (ts_sub_q + 32'd1 >= cfg_ts_ticks_i) begin
      w1_sub = '0;
      w1_ts  = ts_q + 32'd1;
    end else begin
      w1_sub = ts_sub_q + 32'd1;
      w1_ts  = ts_q;
    end
    w_total = {1'b0, w1_sub} + {1'b0, warp_n_i - 32'd1};
    if (Warp) begin
      wp_ts  = w1_ts + 32'(w_total / {1'b0, period});
      wp_sub = 32'(w_total % {1'b0, period});
    end else begin
      wp_ts  = w1_ts;
      wp_sub = w1_sub;
    end
  end

  // ---- the slow path ------------------------------------------------------------------------
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
          if ((head_ticks && pipe_empty) || tick_take_o) begin
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
            st_q    <= StSwFind;
          end else if (warp_take) begin
            now_q    <= now_q + warp_n_i;
            ts_q     <= wp_ts;
            ts_sub_q <= wp_sub;
          end else if (take_seg) begin
            if (ord_ready_o) begin
              ord_loaded_q <= 1'b0;
              frame_done_q <= 1'b0;
              cmd_done_q   <= 1'b0;
            end else begin
              ord_loaded_q <= 1'b1;
              ticks_left_q <= '0;
              frame_done_q <= 1'b1;
              cmd_done_q   <= cmd_done;
            end
          end else if (cmd_ready_o) begin
            ord_loaded_q <= 1'b1;
            ticks_left_q <= '0;
            frame_done_q <= frame_done;
            cmd_done_q   <= 1'b1;
            cmd_q        <= cmd_i;
            cctx_q       <= cmd_ctx_i;
            kind_q       <= KindCmd;
            id_q         <= cmd_i.conn_id;
            rctx_q       <= '0;
            st_q         <= StCmd;
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
            // ctx_raddr = id_q: the entry arrives in the next state.
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
          if (purpose_q == PIns) begin
            status_q <= hit ? toe_pkg::CONN_STATUS_EXISTS :
                        (used0 == 4'hF && used1 == 4'hF) ? toe_pkg::CONN_STATUS_TABLE_FULL :
                        toe_pkg::CONN_STATUS_OK;
          end else begin
            status_q <= toe_pkg::CONN_STATUS_OK;
          end
          st_q <= StRsp;
        end

        StSwCtx, StCmdProc: begin
          // The entry is written, and the outputs queued, once they all have room.
          if (out_room) begin
            status_q <= p_status;
            st_q     <= (st_q == StSwCtx) ? StSwRd : StRsp;
          end
        end

        StRsp: if (rsp_ready_i) begin
          st_q         <= StIdle;
          ord_loaded_q <= 1'b0;
          frame_done_q <= 1'b0;
          cmd_done_q   <= 1'b0;
        end

        StSwFind: begin
          if (find_any) begin
            sw_w_q <= WW'({sw_w16[15:6], find_bit});
            st_q   <= StSwRd;
          end else if (find_last) begin
            st_q <= StIdle;
          end else begin
            sw_w_q <= WW'({sw_w16[15:6] + 10'd1, 6'd0});
          end
        end
        StSwRd: st_q <= StSwScan;  // work_raddr = sw_w_q: the word arrives next clock
        StSwScan: begin
          if (sw_any) begin
            id_q   <= 16'({sw_w_q, sw_bit});
            sw_b_q <= {1'b0, sw_bit} + 7'd1;
            kind_q <= KindSweep;
            st_q   <= StSwCtx;
          end else if (sw_w_q == WW'(NWords - 1)) begin
            st_q    <= StIdle;
          end else begin
            sw_w_q <= sw_w_q + 1'b1;
            sw_b_q <= '0;
            st_q   <= StSwFind;
          end
        end

        default: st_q <= StIdle;
      endcase
    end
  end

  // ---- counters ----------------------------------------------------------------------------
  assign c_acks_in_o      = commit && p_acks_in;
  assign c_dupack_in_o    = commit && p_dup_in;
  assign c_placed_o       = commit && p_placed;
  assign c_placed_bytes_o = c_seg_q.pay_len;
  assign c_ack_why_o      = (ack_valid_o && ack_ready_i) ? ackq_why : 8'd0;
  assign c_event_o        = ev_valid_o && ev_ready_i;
  assign c_cmd_o          = rsp_valid_o && rsp_ready_i;
  assign c_cmd_err_o      = rsp_valid_o && rsp_ready_i && status_q != toe_pkg::CONN_STATUS_OK;

endmodule
