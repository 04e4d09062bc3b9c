// The seven rings' registers and rules (docs/device.md, "Queues"): free-running 32-bit
// indices (slot = index mod 2^SIZE_LOG2, every difference modulo 2^32), the enable
// checks, the host's PROD and CONS writes, the firmware's FW_ASQ_CONS and FW_ACQ_PROD,
// and the device's own steps: take (CONS + 1 on a host-to-device ring), post (PROD + 1
// on a device-to-host ring) and fail (a QERR stops the ring).
//
// State goes out flattened, ring q at [32q +: 32] (base at [64q +: 64]), for the blocks
// that fetch and post entries.
module dev_queues (
  input  logic              clk_i,
  input  logic              rst_ni,

  // BAR0: a QREG access (reg = offset in the ring's block)
  input  logic              hw_valid_i,
  input  logic [2:0]        h_qid_i,
  input  logic [5:0]        h_reg_i,
  input  logic [31:0]       hw_data_i,
  output logic [31:0]       hr_data_o,
  output logic              h_bad_o,      // read or write of nothing / not allowed

  // the firmware window
  input  logic              fw_asq_cons_we_i,
  input  logic              fw_acq_prod_we_i,
  input  logic [31:0]       fw_data_i,
  output logic              fw_bad_o,
  output logic [31:0]       acq_adv_o,    // entries the firmware's FW_ACQ_PROD added

  // the device's steps, one bit per ring
  input  logic [6:0]        take_i,
  input  logic [6:0]        post_i,
  input  logic [6:0]        fail_i,
  input  logic [7*3-1:0]    fail_err_i,   // QERR of each failing ring

  output logic [6:0]        en_o,
  output logic [7*64-1:0]   base_o,
  output logic [7*4-1:0]    log2_o,
  output logic [7*32-1:0]   prod_o,
  output logic [7*32-1:0]   cons_o,
  output logic [7*32-1:0]   vector_o,
  output logic              qerr_o        // a ring stopped with an error (DEV_CNT_QUEUE_ERRORS)
);
  localparam logic [31:0] NoVector = toe_pkg::QUEUE_NO_VECTOR;

  logic [31:0] base_lo_q [7];
  logic [31:0] base_hi_q [7];
  logic [31:0] log2_q    [7];
  logic [31:0] prod_q    [7];
  logic [31:0] cons_q    [7];
  logic [31:0] vector_q  [7];
  logic [2:0]  err_q     [7];
  logic [6:0]  en_q;

  logic [31:0] base_lo_d [7];
  logic [31:0] base_hi_d [7];
  logic [31:0] log2_d    [7];
  logic [31:0] prod_d    [7];
  logic [31:0] cons_d    [7];
  logic [31:0] vector_d  [7];
  logic [2:0]  err_d     [7];
  logic [6:0]  en_d;

  // Device-to-host rings: ACQ, TXCQ, EXCQ, EVQ.
  function automatic logic d2h(input logic [2:0] q);
    d2h = q == 3'd1 || q == 3'd3 || q == 3'd5 || q == 3'd6;
  endfunction

  function automatic logic [31:0] entry_size(input logic [2:0] q);
    unique case (q)
      3'd0:    entry_size = 32'd64;
      3'd2:    entry_size = 32'd32;
      default: entry_size = 32'd16;
    endcase
  endfunction

  logic [31:0] ring_size [7];
  for (genvar g = 0; g < 7; g++) begin : g_out
    assign ring_size[g]         = 32'd1 << log2_q[g][4:0];
    assign base_o[64*g +: 64]   = {base_hi_q[g], base_lo_q[g]};
    assign log2_o[4*g +: 4]     = log2_q[g][3:0];
    assign prod_o[32*g +: 32]   = prod_q[g];
    assign cons_o[32*g +: 32]   = cons_q[g];
    assign vector_o[32*g +: 32] = vector_q[g];
  end
  assign en_o = en_q;

  // ---- reads ----------------------------------------------------------------------------
  always_comb begin
    hr_data_o = '0;
    unique case (h_reg_i)
      6'h00:   hr_data_o = base_lo_q[h_qid_i];
      6'h04:   hr_data_o = base_hi_q[h_qid_i];
      6'h08:   hr_data_o = log2_q[h_qid_i];
      6'h0c:   hr_data_o = prod_q[h_qid_i];
      6'h10:   hr_data_o = cons_q[h_qid_i];
      6'h14:   hr_data_o = {31'd0, en_q[h_qid_i]};
      6'h18:   hr_data_o = vector_q[h_qid_i];
      6'h1c:   hr_data_o = {29'd0, err_q[h_qid_i]};
      6'h20:   hr_data_o = entry_size(h_qid_i);
      default: hr_data_o = '0;
    endcase
  end

  // ---- next state ----------------------------------------------------------------------------
  logic        cfg_ok, h_fail, q_fail;
  logic [31:0] acq_room;
  always_comb begin
    for (int q = 0; q < 7; q++) begin
      base_lo_d[q] = base_lo_q[q];
      base_hi_d[q] = base_hi_q[q];
      log2_d[q]    = log2_q[q];
      prod_d[q]    = prod_q[q];
      cons_d[q]    = cons_q[q];
      vector_d[q]  = vector_q[q];
      err_d[q]     = err_q[q];
    end
    en_d      = en_q;
    h_bad_o   = 1'b0;
    h_fail    = 1'b0;
    fw_bad_o  = 1'b0;
    acq_adv_o = '0;
    acq_room  = ring_size[1] - (prod_q[1] - cons_q[1]);
    cfg_ok    = log2_q[h_qid_i] >= 32'(toe_pkg::QUEUE_LOG2_MIN) &&
                log2_q[h_qid_i] <= 32'(toe_pkg::QUEUE_LOG2_MAX) && base_lo_q[h_qid_i][5:0] == 6'd0 &&
                (!d2h(h_qid_i) || vector_q[h_qid_i] < 32'(toe_pkg::MSIX_VECTORS) ||
                 vector_q[h_qid_i] == NoVector);

    // The device's own steps first: a host write in the same clock sees their result
    // only from the next clock, as the rules are checked against the registers.
    for (int q = 0; q < 7; q++) begin
      if (take_i[q]) cons_d[q] = cons_q[q] + 32'd1;
      if (post_i[q]) prod_d[q] = prod_q[q] + 32'd1;
      if (fail_i[q]) begin
        err_d[q] = fail_err_i[3*q +: 3];
        en_d[q]  = 1'b0;
      end
    end

    if (hw_valid_i) begin
      unique case (h_reg_i)
        6'h00, 6'h04, 6'h08, 6'h18: begin
          if (en_q[h_qid_i]) begin
            h_bad_o = 1'b1;  // configuration is fixed while the ring runs
          end else begin
            unique case (h_reg_i)
              6'h00:   base_lo_d[h_qid_i] = hw_data_i;
              6'h04:   base_hi_d[h_qid_i] = hw_data_i;
              6'h08:   log2_d[h_qid_i]    = hw_data_i;
              default: vector_d[h_qid_i]  = hw_data_i;
            endcase
          end
        end
        6'h0c: begin  // PROD: the host-to-device doorbell
          if (d2h(h_qid_i) || !en_q[h_qid_i]) begin
            h_bad_o = 1'b1;
          end else if (hw_data_i - cons_q[h_qid_i] > ring_size[h_qid_i]) begin
            h_fail = 1'b1;
            err_d[h_qid_i] = 3'(toe_pkg::QERR_BAD_PROD);
            en_d[h_qid_i]  = 1'b0;
          end else begin
            prod_d[h_qid_i] = hw_data_i;
          end
        end
        6'h10: begin  // CONS: device-to-host slots given back
          if (!d2h(h_qid_i) || !en_q[h_qid_i]) begin
            h_bad_o = 1'b1;
          end else if (hw_data_i - cons_q[h_qid_i] > prod_q[h_qid_i] - cons_q[h_qid_i]) begin
            h_fail = 1'b1;
            err_d[h_qid_i] = 3'(toe_pkg::QERR_BAD_CONS);
            en_d[h_qid_i]  = 1'b0;
          end else begin
            cons_d[h_qid_i] = hw_data_i;
          end
        end
        6'h14: begin
          if (!hw_data_i[0]) begin
            en_d[h_qid_i] = 1'b0;  // work already taken finishes; nothing new starts
          end else if (!en_q[h_qid_i]) begin
            if (!cfg_ok) begin
              h_fail = 1'b1;
              err_d[h_qid_i] = 3'(toe_pkg::QERR_BAD_CONFIG);
            end else begin
              prod_d[h_qid_i] = '0;
              cons_d[h_qid_i] = '0;
              err_d[h_qid_i]  = '0;
              en_d[h_qid_i]   = 1'b1;
            end
          end
        end
        default: h_bad_o = 1'b1;  // ERROR, ENTRY_SIZE or nothing
      endcase
    end

    // The firmware's indices: forward, never past what the other side allows.
    if (fw_asq_cons_we_i) begin
      if (!en_q[0] || fw_data_i - cons_q[0] > prod_q[0] - cons_q[0]) fw_bad_o = 1'b1;
      else cons_d[0] = fw_data_i;
    end
    if (fw_acq_prod_we_i) begin
      if (!en_q[1] || fw_data_i - prod_q[1] > acq_room) begin
        fw_bad_o = 1'b1;
      end else begin
        prod_d[1] = fw_data_i;
        acq_adv_o = fw_data_i - prod_q[1];
      end
    end
  end

  assign q_fail = fail_i != 7'd0;
  assign qerr_o = h_fail || q_fail;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int q = 0; q < 7; q++) begin
        base_lo_q[q] <= '0;
        base_hi_q[q] <= '0;
        log2_q[q]    <= '0;
        prod_q[q]    <= '0;
        cons_q[q]    <= '0;
        vector_q[q]  <= NoVector;
        err_q[q]     <= '0;
      end
      en_q <= '0;
    end else begin
      for (int q = 0; q < 7; q++) begin
        base_lo_q[q] <= base_lo_d[q];
        base_hi_q[q] <= base_hi_d[q];
        log2_q[q]    <= log2_d[q];
        prod_q[q]    <= prod_d[q];
        cons_q[q]    <= cons_d[q];
        vector_q[q]  <= vector_d[q];
        err_q[q]     <= err_d[q];
      end
      en_q <= en_d;
    end
  end

endmodule
