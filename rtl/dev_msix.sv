// MSI-X (docs/device.md, "Interrupts (MSI-X)"): the table, the PBA and moderation.
// Per vector: PENDING entries since the last message and the clock of the first; a
// message is due once PENDING reaches MOD_COUNT (when set) or MOD_NS has passed since
// that first entry (MOD_NS 0: at once). A due message goes when MSI-X is enabled, the
// function and the vector are unmasked and bus mastering is on; otherwise its PBA bit
// holds it (DEV_CNT_MSIX_HELD once per held message).
//
// One vector is acted on per clock, the lowest that needs it: a message out, or a PBA
// bit set. The moderation state of one vector is visible on the dbg_* port so that a
// virtual-time host can find the next deadline without clocking the device.
module dev_msix (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [63:0] cycle_i,
  input  logic        deliver_ok_i,    // MSI-X on, function unmasked, bus mastering on

  // the table and the PBA (BAR0)
  input  logic        tw_valid_i,
  input  logic [4:0]  t_vec_i,
  input  logic [1:0]  t_reg_i,         // ADDR_LO, ADDR_HI, DATA, VCTRL
  input  logic [31:0] tw_data_i,
  output logic [31:0] tr_data_o,
  output logic [31:0] pba_o,
  // VREG reads (BAR0)
  input  logic [4:0]  v_vec_i,
  input  logic [1:0]  v_reg_i,         // MOD_NS, MOD_COUNT, SENT, PENDING
  output logic [31:0] vr_data_o,
  // moderation (the firmware window's FW_VEC_BASE)
  input  logic        mw_valid_i,
  input  logic [4:0]  m_vec_i,
  input  logic        m_sel_i,         // 0 MOD_NS, 1 MOD_COUNT
  input  logic [31:0] mw_data_i,
  output logic [31:0] mr_data_o,

  // entries written to rings bound to a vector (QUEUE_NO_VECTOR or above: polled)
  input  logic        e0_valid_i,
  input  logic [31:0] e0_vec_i,
  input  logic        e1_valid_i,
  input  logic [31:0] e1_vec_i,
  input  logic [31:0] e1_n_i,

  output logic        msg_valid_o,
  output logic [4:0]  msg_vec_o,
  output logic        held_o,          // DEV_CNT_MSIX_HELD

  input  logic [4:0]  dbg_vec_i,
  output logic [31:0] dbg_pending_o,
  output logic [63:0] dbg_first_o,
  output logic [31:0] dbg_mod_ns_o,
  output logic        dbg_due_o,
  output logic        busy_o           // some vector is due (a message or PBA bit on its way)
);
  localparam int unsigned NV = 32;

  logic [31:0] addr_lo_q [NV];
  logic [31:0] addr_hi_q [NV];
  logic [31:0] data_q    [NV];
  logic [31:0] mod_ns_q  [NV];
  logic [31:0] mod_cnt_q [NV];
  logic [31:0] sent_q    [NV];
  logic [31:0] pend_q    [NV];
  logic [63:0] first_q   [NV];
  logic [NV-1:0] mask_q, pba_q;

  logic [NV-1:0] due, act;
  logic [63:0]   elapsed [NV];
  for (genvar v = 0; v < NV; v++) begin : g_due
    assign elapsed[v] = cycle_i - first_q[v];
    // elapsed clocks * DEV_CLK_PS / 1000 ns >= MOD_NS; 2^30 clocks are past any MOD_NS
    assign due[v] = pend_q[v] != 32'd0 &&
                    ((mod_cnt_q[v] != 32'd0 && pend_q[v] >= mod_cnt_q[v]) ||
                     elapsed[v][63:30] != 34'd0 || {elapsed[v][29:0], 2'b00} >= mod_ns_q[v]);
    assign act[v] = due[v] && ((deliver_ok_i && !mask_q[v]) || !pba_q[v]);
  end
  if (toe_pkg::DEV_CLK_PS != 32'd4000) begin : g_clk
    $error("dev_msix counts 4 ns per clock");
  end

  logic       act_any;
  logic [4:0] act_vec;
  always_comb begin
    act_any = act != '0;
    act_vec = '0;
    for (int v = NV - 1; v >= 0; v--) if (act[v]) act_vec = 5'(v);
  end
  assign msg_valid_o = act_any && deliver_ok_i && !mask_q[act_vec];
  assign msg_vec_o   = act_vec;
  assign held_o      = act_any && !msg_valid_o;
  assign busy_o      = act_any;
  assign pba_o       = pba_q;

  always_comb begin
    unique case (t_reg_i)
      2'd0:    tr_data_o = addr_lo_q[t_vec_i];
      2'd1:    tr_data_o = addr_hi_q[t_vec_i];
      2'd2:    tr_data_o = data_q[t_vec_i];
      default: tr_data_o = {31'd0, mask_q[t_vec_i]};
    endcase
    unique case (v_reg_i)
      2'd0:    vr_data_o = mod_ns_q[v_vec_i];
      2'd1:    vr_data_o = mod_cnt_q[v_vec_i];
      2'd2:    vr_data_o = sent_q[v_vec_i];
      default: vr_data_o = pend_q[v_vec_i];
    endcase
    mr_data_o = m_sel_i ? mod_cnt_q[m_vec_i] : mod_ns_q[m_vec_i];
  end
  assign dbg_pending_o = pend_q[dbg_vec_i];
  assign dbg_first_o   = first_q[dbg_vec_i];
  assign dbg_mod_ns_o  = mod_ns_q[dbg_vec_i];
  assign dbg_due_o     = due[dbg_vec_i];

  // Entries this clock per vector.
  logic [31:0] add [NV];
  always_comb begin
    for (int v = 0; v < NV; v++) begin
      add[v] = '0;
      if (e0_valid_i && e0_vec_i == 32'(v)) add[v] = add[v] + 32'd1;
      if (e1_valid_i && e1_vec_i == 32'(v)) add[v] = add[v] + e1_n_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int v = 0; v < NV; v++) begin
        addr_lo_q[v] <= '0;
        addr_hi_q[v] <= '0;
        data_q[v]    <= '0;
        mod_ns_q[v]  <= '0;
        mod_cnt_q[v] <= '0;
        sent_q[v]    <= '0;
        pend_q[v]    <= '0;
        first_q[v]   <= '0;
      end
      mask_q <= '1;
      pba_q  <= '0;
    end else begin
      for (int v = 0; v < NV; v++) begin
        if (msg_valid_o && act_vec == 5'(v)) begin
          // The message covers what was pending; entries of this clock start anew.
          pend_q[v]  <= add[v];
          first_q[v] <= cycle_i;
          sent_q[v]  <= sent_q[v] + 32'd1;
          pba_q[v]   <= 1'b0;
        end else begin
          if (held_o && act_vec == 5'(v)) pba_q[v] <= 1'b1;
          if (add[v] != 32'd0) begin
            if (pend_q[v] == 32'd0) first_q[v] <= cycle_i;
            pend_q[v] <= pend_q[v] + add[v];
          end
        end
      end
      if (tw_valid_i) begin
        unique case (t_reg_i)
          2'd0:    addr_lo_q[t_vec_i] <= tw_data_i;
          2'd1:    addr_hi_q[t_vec_i] <= tw_data_i;
          2'd2:    data_q[t_vec_i]    <= tw_data_i;
          default: mask_q[t_vec_i]    <= tw_data_i[0];
        endcase
      end
      if (mw_valid_i) begin
        if (m_sel_i) mod_cnt_q[m_vec_i] <= mw_data_i;
        else         mod_ns_q[m_vec_i]  <= mw_data_i;
      end
    end
  end

endmodule
