// The RX path around the engine (docs/device.md, "RX (RXBQ, EXCQ, EVQ)").
//
//   port --> gate (ENABLE, reset walk, MAC filter) --> engine --> placement writes ----> DMA
//                                                             --> events --> EVQ entry --> DMA
//                                                             --> frame handed up --> RXBQ buffer,
//                                                                 then its EXCQ entry --> DMA
//
// The gate decides on a frame's first beat and the frame then goes wholly to the engine
// or nowhere. The engine's back-pressure reaches the port: the RTL has no receive FIFO
// of its own beyond the engine's frame buffer (the harness holds what waits).
// Placement writes go to the DMA channel as the engine makes them (a refused one is
// counted by the arbiter and lost). Events and frames handed up are served by one
// entry writer, one at a time, an event first when both wait; each waits for room in its
// ring (and bus mastering) and holds the engine's output meanwhile.
module dev_rx (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 enable_i,     // CONTROL.ENABLE
  input  logic                 in_reset_i,   // the reset's table walk
  input  logic                 master_i,
  input  logic                 filter_i,     // FW_RX_FILTER
  input  logic [47:0]          mac_i,        // our MAC, byte 0 (first on the wire) in [7:0]

  // the port
  input  logic [63:0]          port_tdata_i,
  input  logic [7:0]           port_tkeep_i,
  input  logic                 port_tlast_i,
  input  logic                 port_tvalid_i,
  output logic                 port_tready_o,
  // to the engine
  output logic [63:0]          eng_tdata_o,
  output logic [7:0]           eng_tkeep_o,
  output logic                 eng_tlast_o,
  output logic                 eng_tvalid_o,
  input  logic                 eng_tready_i,

  // the engine's outputs
  input  logic                 ev_valid_i,
  output logic                 ev_ready_o,
  input  toe_pkg::rx_event_t   ev_i,
  input  logic                 exc_valid_i,
  output logic                 exc_ready_o,
  input  toe_pkg::rx_exc_t     exc_i,
  input  logic [63:0]          exc_tdata_i,
  input  logic [7:0]           exc_tkeep_i,
  input  logic                 exc_tlast_i,
  input  logic                 exc_tvalid_i,
  output logic                 exc_tready_o,

  // RXBQ, EXCQ, EVQ
  input  logic                 rxbq_en_i,
  input  logic [63:0]          rxbq_base_i,
  input  logic [3:0]           rxbq_log2_i,
  input  logic [31:0]          rxbq_prod_i,
  input  logic [31:0]          rxbq_cons_i,
  input  logic                 excq_en_i,
  input  logic [63:0]          excq_base_i,
  input  logic [3:0]           excq_log2_i,
  input  logic [31:0]          excq_prod_i,
  input  logic [31:0]          excq_cons_i,
  input  logic                 evq_en_i,
  input  logic [63:0]          evq_base_i,
  input  logic [3:0]           evq_log2_i,
  input  logic [31:0]          evq_prod_i,
  input  logic [31:0]          evq_cons_i,
  output logic                 rxbq_take_o,
  output logic                 rxbq_fail_o,
  output logic [2:0]           rxbq_err_o,
  output logic                 excq_post_o,
  output logic                 excq_fail_o,
  output logic                 evq_post_o,
  output logic                 evq_fail_o,

  // DMA: the RXBQ entry read, and the entry writer's writes
  output logic                 rreq_valid_o,
  input  logic                 rreq_ready_i,
  output logic [63:0]          rreq_addr_o,
  output logic [15:0]          rreq_len_o,
  input  logic                 rd_valid_i,
  output logic                 rd_ready_o,
  input  logic [63:0]          rd_data_i,
  input  logic                 rd_last_i,
  input  logic                 rd_err_i,
  output logic                 wr_valid_o,
  input  logic                 wr_ready_i,
  output logic [63:0]          wr_addr_o,
  output logic [63:0]          wr_data_o,
  output logic [7:0]           wr_strb_o,
  output logic                 wr_last_o,
  input  logic                 wr_done_i,
  input  logic                 wr_err_i,

  // payload placement: decided (engine) and its write burst handed to the DMA channel
  input  logic                 placed_i,
  input  logic                 pl_done_i,

  output logic                 taken_frame_o,  // the engine took a frame's last beat
  output logic                 cnt_in_o,
  output logic                 cnt_disabled_o,
  output logic                 cnt_filtered_o,
  output logic                 cnt_no_buf_o,
  output logic                 cnt_buf_small_o,
  output logic                 cnt_exc_o,
  output logic                 cnt_events_o,
  output logic                 busy_o
);
  // ---- the gate -----------------------------------------------------------------------------
  logic in_frame_q, pass_q, pass_now, pass, first, fire;
  logic dst_ours;
  assign first    = !in_frame_q;
  assign dst_ours = port_tkeep_i[5] && (port_tdata_i[0] || port_tdata_i[47:0] == mac_i);
  assign pass_now = !in_reset_i && enable_i && (!filter_i || dst_ours);
  assign pass     = first ? pass_now : pass_q;

  assign eng_tdata_o   = port_tdata_i;
  assign eng_tkeep_o   = port_tkeep_i;
  assign eng_tlast_o   = port_tlast_i;
  assign eng_tvalid_o  = port_tvalid_i && pass;
  assign port_tready_o = pass ? eng_tready_i : 1'b1;
  assign fire          = port_tvalid_i && port_tready_o;
  assign taken_frame_o = eng_tvalid_o && eng_tready_i && port_tlast_i;

  assign cnt_in_o       = fire && first;
  assign cnt_disabled_o = fire && first && (in_reset_i || !enable_i);
  assign cnt_filtered_o = fire && first && !in_reset_i && enable_i && filter_i && !dst_ours;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      in_frame_q <= 1'b0;
      pass_q     <= 1'b0;
    end else if (fire) begin
      in_frame_q <= !port_tlast_i;
      if (first) pass_q <= pass_now;
    end
  end

  // ---- the entry writer -------------------------------------------------------------------
  typedef enum logic [3:0] {
    StIdle, StEvWait, StEvWr, StEvDone, StXBuf, StXFetch, StXCheck, StXDrain,
    StXFrame, StXFrameDone, StXCpl, StXCplWr, StXCplDone
  } st_e;

  st_e              st_q, st_d;
  logic [127:0]     ent_q, ent_d;    // the entry to write (event or exc_cpl)
  logic             wbeat_q, wbeat_d;
  toe_pkg::rx_exc_t rec_q, rec_d;
  logic [127:0]     buf_q, buf_d;    // the RXBQ entry (rx_buf)
  logic             rerr_q, rerr_d;
  logic [63:0]      waddr_q, waddr_d;
  logic             ferr_q, ferr_d;  // the frame's write was refused
  logic [31:0]      bidx_q, bidx_d;
  toe_pkg::rx_buf_t rbuf;
  toe_pkg::exc_cpl_t cpl;
  assign rbuf = buf_q;

  function automatic logic room(input logic en, input logic [31:0] prod, input logic [31:0] cons,
                                input logic [3:0] log2);
    room = en && (prod - cons) < (32'd1 << log2);
  endfunction
  function automatic logic phase(input logic [31:0] prod, input logic [3:0] log2);
    phase = !prod[{1'b0, log2}];  // 1 on the first pass, flipping every pass
  endfunction
  function automatic logic [63:0] slot16(input logic [63:0] base, input logic [31:0] idx,
                                         input logic [3:0] log2);
    slot16 = base + {28'd0, idx & ((32'd1 << log2) - 32'd1), 4'd0};
  endfunction

  // An event, or a frame handed up, goes to the host only after the placement writes
  // decided before it (for an event, the segments it reports): the engine's event queue
  // can run ahead of its dispatch stage.
  // Counts modulo 2^32: done has reached the target while done - target < 2^31.
  logic [31:0] placed_cnt_q, pl_done_cnt_q, pl_target_q, pl_target_d;
  logic        pl_caught_up;
  assign pl_caught_up = (pl_done_cnt_q - pl_target_q) < 32'h8000_0000;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      placed_cnt_q  <= '0;
      pl_done_cnt_q <= '0;
    end else begin
      placed_cnt_q  <= placed_cnt_q + {31'd0, placed_i};
      pl_done_cnt_q <= pl_done_cnt_q + {31'd0, pl_done_i};
    end
  end

  logic evq_room, excq_room;
  assign evq_room  = master_i && room(evq_en_i, evq_prod_i, evq_cons_i, evq_log2_i);
  assign excq_room = master_i && room(excq_en_i, excq_prod_i, excq_cons_i, excq_log2_i);

  always_comb begin
    cpl = '0;
    cpl.reason  = rec_q.reason;
    cpl.conn_id = rec_q.conn_id;
    cpl.len     = ferr_q ? 16'd0 : rec_q.len;
    cpl.l3_off  = rec_q.l3_off;
    cpl.l4_off  = rec_q.l4_off;
    cpl.tick    = rec_q.tick;
    cpl.buf_idx = bidx_q;
  end

  assign ev_ready_o   = st_q == StIdle && ev_valid_i;
  assign exc_ready_o  = st_q == StIdle && !ev_valid_i && exc_valid_i;
  assign exc_tready_o = st_q == StXDrain || (st_q == StXFrame && wr_ready_i);

  assign rreq_valid_o = st_q == StXBuf && pl_caught_up && master_i && rxbq_en_i &&
                        rxbq_prod_i != rxbq_cons_i && excq_room;
  assign rreq_addr_o  = slot16(rxbq_base_i, rxbq_cons_i, rxbq_log2_i);
  assign rreq_len_o   = 16'd16;
  assign rd_ready_o   = st_q == StXFetch;

  always_comb begin
    wr_valid_o = 1'b0;
    wr_addr_o  = '0;
    wr_data_o  = wbeat_q ? ent_q[127:64] : ent_q[63:0];
    wr_strb_o  = 8'hFF;
    wr_last_o  = wbeat_q;
    unique case (st_q)
      StEvWr: begin
        wr_valid_o = 1'b1;
        wr_addr_o  = slot16(evq_base_i, evq_prod_i, evq_log2_i) + {60'd0, wbeat_q, 3'd0};
      end
      StXCplWr: begin
        wr_valid_o = 1'b1;
        wr_addr_o  = slot16(excq_base_i, excq_prod_i, excq_log2_i) + {60'd0, wbeat_q, 3'd0};
      end
      StXFrame: begin
        wr_valid_o = exc_tvalid_i;
        wr_addr_o  = waddr_q;
        wr_data_o  = exc_tdata_i;
        wr_strb_o  = exc_tkeep_i;
        wr_last_o  = exc_tlast_i;
      end
      default: ;
    endcase
  end

  always_comb begin
    st_d    = st_q;
    ent_d   = ent_q;
    wbeat_d = wbeat_q;
    rec_d   = rec_q;
    buf_d   = buf_q;
    rerr_d  = rerr_q;
    waddr_d = waddr_q;
    ferr_d  = ferr_q;
    bidx_d  = bidx_q;
    pl_target_d = pl_target_q;
    rxbq_take_o = 1'b0;
    rxbq_fail_o = 1'b0;
    rxbq_err_o  = 3'(toe_pkg::QERR_DMA_FAULT);
    excq_post_o = 1'b0;
    excq_fail_o = 1'b0;
    evq_post_o  = 1'b0;
    evq_fail_o  = 1'b0;
    cnt_no_buf_o    = 1'b0;
    cnt_buf_small_o = 1'b0;
    cnt_exc_o       = 1'b0;
    cnt_events_o    = 1'b0;
    unique case (st_q)
      StIdle: begin
        if (ev_valid_i) begin
          ent_d       = ev_i;
          pl_target_d = placed_cnt_q + {31'd0, placed_i};
          st_d        = StEvWait;
        end else if (exc_valid_i) begin
          rec_d       = exc_i;
          pl_target_d = placed_cnt_q + {31'd0, placed_i};
          st_d        = StXBuf;
        end
      end
      // ---- an event ----
      StEvWait: if (evq_room && pl_caught_up) begin
        ent_d[15] = phase(evq_prod_i, evq_log2_i);  // flags bit 7
        wbeat_d   = 1'b0;
        st_d      = StEvWr;
      end
      StEvWr: if (wr_ready_i) begin
        wbeat_d = 1'b1;
        if (wbeat_q) st_d = StEvDone;
      end
      StEvDone: if (wr_done_i) begin
        if (wr_err_i) begin
          evq_fail_o = 1'b1;  // EVQ stops; the event waits for it
          st_d       = StEvWait;
        end else begin
          evq_post_o   = 1'b1;
          cnt_events_o = 1'b1;
          st_d         = StIdle;
        end
      end
      // ---- a frame handed up ----
      StXBuf: if (pl_caught_up) begin
        if (master_i && (!rxbq_en_i || rxbq_prod_i == rxbq_cons_i)) begin
          cnt_no_buf_o = 1'b1;  // no buffer posted: dropped at once
          st_d         = StXDrain;
        end else if (rreq_valid_o && rreq_ready_i) begin
          rerr_d = 1'b0;
          st_d   = StXFetch;
        end
      end
      StXFetch: if (rd_valid_i) begin
        buf_d  = {rd_data_i, buf_q[127:64]};
        rerr_d = rerr_q || rd_err_i;
        if (rd_last_i) st_d = StXCheck;
      end
      StXCheck: begin
        if (rerr_q) begin
          rxbq_fail_o  = 1'b1;
          cnt_no_buf_o = 1'b1;
          st_d         = StXDrain;
        end else if (rbuf.len < toe_pkg::RXB_MIN_LEN || rbuf.rsvd0 != 32'd0) begin
          rxbq_fail_o  = 1'b1;
          rxbq_err_o   = 3'(toe_pkg::QERR_BAD_ENTRY);
          cnt_no_buf_o = 1'b1;
          st_d         = StXDrain;
        end else if ({16'd0, rec_q.len} > rbuf.len) begin
          cnt_buf_small_o = 1'b1;  // the buffer stays for the next frame
          st_d            = StXDrain;
        end else begin
          rxbq_take_o = 1'b1;
          bidx_d      = rxbq_cons_i;
          waddr_d     = rbuf.addr;
          ferr_d      = 1'b0;
          st_d        = (rec_q.len == 16'd0) ? StXCpl : StXFrame;
        end
      end
      StXDrain: begin
        if (rec_q.len == 16'd0 || (exc_tvalid_i && exc_tlast_i)) st_d = StIdle;
      end
      StXFrame: if (exc_tvalid_i && wr_ready_i) begin
        waddr_d = waddr_q + 64'd8;
        if (exc_tlast_i) st_d = StXFrameDone;
      end
      StXFrameDone: if (wr_done_i) begin
        ferr_d = wr_err_i;  // a refused frame still gives the buffer back: len 0
        st_d   = StXCpl;
      end
      StXCpl: if (excq_room) begin
        ent_d     = cpl;
        ent_d[15] = phase(excq_prod_i, excq_log2_i);
        wbeat_d   = 1'b0;
        st_d      = StXCplWr;
      end
      StXCplWr: if (wr_ready_i) begin
        wbeat_d = 1'b1;
        if (wbeat_q) st_d = StXCplDone;
      end
      StXCplDone: if (wr_done_i) begin
        if (wr_err_i) begin
          excq_fail_o = 1'b1;
          st_d        = StXCpl;
        end else begin
          excq_post_o = 1'b1;
          cnt_exc_o   = 1'b1;
          st_d        = StIdle;
        end
      end
      default: st_d = StIdle;
    endcase
  end

  // Busy: a frame part-way through the gate, or the entry writer at work; an entry
  // waiting for room in its ring (or for bus mastering) waits for the host.
  assign busy_o = in_frame_q || !(st_q == StIdle || (st_q == StEvWait && !evq_room && pl_caught_up) ||
                                  (st_q == StXCpl && !excq_room) ||
                                  (st_q == StXBuf && pl_caught_up && !rreq_valid_o &&
                                   !(master_i && (!rxbq_en_i || rxbq_prod_i == rxbq_cons_i))));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q    <= StIdle;
      ent_q   <= '0;
      wbeat_q <= 1'b0;
      rec_q   <= '0;
      buf_q   <= '0;
      rerr_q  <= 1'b0;
      waddr_q <= '0;
      ferr_q  <= 1'b0;
      bidx_q  <= '0;
      pl_target_q <= '0;
    end else begin
      st_q    <= st_d;
      ent_q   <= ent_d;
      wbeat_q <= wbeat_d;
      rec_q   <= rec_d;
      buf_q   <= buf_d;
      rerr_q  <= rerr_d;
      waddr_q <= waddr_d;
      ferr_q  <= ferr_d;
      bidx_q  <= bidx_d;
      pl_target_q <= pl_target_d;
    end
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_signals;
  assign unused_signals = ^{rec_q.flags, rec_q.rsvd0};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule
