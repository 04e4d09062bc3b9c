// The TX path around the engine (docs/device.md, "TX (TXQ, TXCQ)"): descriptors from
// TXQ while CONTROL.ENABLE and bus mastering are on; a TSO descriptor without a usable
// connection completes TX_STATUS_ERR_CONN here and sends nothing; every other one goes
// to the TX engine with its connection's context (all zeros for RAW) and the
// descriptor's ip_id. One descriptor at a time: the next is fetched only once the
// previous completion is in TXCQ, so TXQ CONS is at most one ahead of TXCQ PROD (the
// model's rule).
//
//   TXQ slot --(DMA read, 32 bytes)--> check --> engine --> completion --(DMA write)--> TXCQ
module dev_tx #(
  parameter int unsigned ConnMax = 4096
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic                     enable_i,      // CONTROL.ENABLE
  input  logic                     master_i,      // bus mastering

  // TXQ and TXCQ
  input  logic                     txq_en_i,
  input  logic [63:0]              txq_base_i,
  input  logic [3:0]               txq_log2_i,
  input  logic [31:0]              txq_prod_i,
  input  logic [31:0]              txq_cons_i,
  input  logic                     txcq_en_i,
  input  logic [63:0]              txcq_base_i,
  input  logic [3:0]               txcq_log2_i,
  input  logic [31:0]              txcq_prod_i,
  input  logic [31:0]              txcq_cons_i,
  output logic                     txq_take_o,
  output logic                     txq_fail_o,    // QERR_DMA_FAULT
  output logic                     txcq_post_o,
  output logic                     txcq_fail_o,   // QERR_DMA_FAULT

  // the TX-context table (dev_fw)
  output logic [15:0]              ctx_conn_o,
  input  logic [383:0]             ctx_i,
  input  logic                     ctx_valid_i,

  // DMA: the descriptor read and the completion write
  output logic                     rreq_valid_o,
  input  logic                     rreq_ready_i,
  output logic [63:0]              rreq_addr_o,
  output logic [15:0]              rreq_len_o,
  input  logic                     rd_valid_i,
  output logic                     rd_ready_o,
  input  logic [63:0]              rd_data_i,
  input  logic                     rd_last_i,
  input  logic                     rd_err_i,
  output logic                     wr_valid_o,
  input  logic                     wr_ready_i,
  output logic [63:0]              wr_addr_o,
  output logic [63:0]              wr_data_o,
  output logic [7:0]               wr_strb_o,
  output logic                     wr_last_o,
  input  logic                     wr_done_i,
  input  logic                     wr_err_i,

  // the engine
  output logic                     cmd_valid_o,
  input  logic                     cmd_ready_i,
  output toe_pkg::tx_desc_t        cmd_desc_o,
  output toe_pkg::tx_ctx_t         cmd_ctx_o,
  input  logic                     cpl_valid_i,
  output logic                     cpl_ready_o,
  input  toe_pkg::tx_cpl_t         cpl_i,

  output logic                     cnt_descs_o,
  output logic                     cnt_bad_conn_o,
  output logic                     cnt_cpls_o,
  output logic                     busy_o
);
  typedef enum logic [2:0] {StIdle, StFetch, StCheck, StCmd, StEngine, StCpl, StCplWr, StCplDone} st_e;

  st_e               st_q, st_d;
  logic [255:0]      desc_q, desc_d;
  logic              rd_err_q, rd_err_d;
  logic [127:0]      cpl_q, cpl_d;
  logic              wbeat_q, wbeat_d;
  toe_pkg::tx_desc_t desc;
  toe_pkg::tx_ctx_t  ctx;
  toe_pkg::tx_cpl_t  bad_cpl;

  assign desc       = desc_q;
  assign ctx_conn_o = desc.conn_id;

  logic [31:0] txcq_size;
  logic        txcq_room, txcq_phase;
  assign txcq_size  = 32'd1 << txcq_log2_i;
  assign txcq_room  = txcq_en_i && (txcq_prod_i - txcq_cons_i) < txcq_size;
  // 1 on the first pass over the ring, flipping on every pass
  assign txcq_phase = !txcq_prod_i[{1'b0, txcq_log2_i}];

  // The context the engine gets: the connection's, with the descriptor's IPv4 ID (the
  // driver numbers the segments of every send, RFC 6864); all zeros for RAW.
  always_comb begin
    ctx = ctx_i;
    ctx.ip_id = desc.ip_id;
    if (desc.op != toe_pkg::TX_OP_TSO) ctx = '0;
    bad_cpl = '0;
    bad_cpl.tag     = desc.tag;
    bad_cpl.conn_id = desc.conn_id;
    bad_cpl.status  = toe_pkg::TX_STATUS_ERR_CONN;
  end
  assign cmd_desc_o = desc;
  assign cmd_ctx_o  = ctx;

  assign rreq_valid_o = st_q == StIdle && enable_i && master_i && txq_en_i && txq_prod_i != txq_cons_i;
  assign rreq_addr_o  = txq_base_i + {27'd0, (txq_cons_i & ((32'd1 << txq_log2_i) - 32'd1)), 5'd0};
  assign rreq_len_o   = 16'd32;
  assign rd_ready_o   = st_q == StFetch;

  assign cmd_valid_o = st_q == StCmd;
  assign cpl_ready_o = st_q == StEngine;

  assign wr_valid_o = st_q == StCplWr;
  assign wr_addr_o  = txcq_base_i + {28'd0, (txcq_prod_i & (txcq_size - 32'd1)), 4'd0} + {60'd0, wbeat_q, 3'd0};
  assign wr_data_o  = wbeat_q ? cpl_q[127:64] : cpl_q[63:0];
  assign wr_strb_o  = 8'hFF;
  assign wr_last_o  = wbeat_q;

  always_comb begin
    st_d     = st_q;
    desc_d   = desc_q;
    rd_err_d = rd_err_q;
    cpl_d    = cpl_q;
    wbeat_d  = wbeat_q;
    txq_take_o     = 1'b0;
    txq_fail_o     = 1'b0;
    txcq_post_o    = 1'b0;
    txcq_fail_o    = 1'b0;
    cnt_descs_o    = 1'b0;
    cnt_bad_conn_o = 1'b0;
    cnt_cpls_o     = 1'b0;
    unique case (st_q)
      StIdle: if (rreq_valid_o && rreq_ready_i) begin
        rd_err_d = 1'b0;
        st_d     = StFetch;
      end
      StFetch: if (rd_valid_i) begin
        desc_d   = {rd_data_i, desc_q[255:64]};
        rd_err_d = rd_err_q || rd_err_i;
        if (rd_last_i) begin
          if (rd_err_q || rd_err_i) begin
            txq_fail_o = 1'b1;  // TXQ stops; the descriptor is not taken
            st_d       = StIdle;
          end else begin
            txq_take_o  = 1'b1;
            cnt_descs_o = 1'b1;
            st_d        = StCheck;
          end
        end
      end
      StCheck: begin
        if (desc.op == toe_pkg::TX_OP_TSO && ({16'd0, desc.conn_id} >= 32'(ConnMax) || !ctx_valid_i)) begin
          cpl_d          = 128'(bad_cpl);
          cnt_bad_conn_o = 1'b1;
          st_d           = StCpl;
        end else begin
          st_d = StCmd;
        end
      end
      StCmd:    if (cmd_ready_i) st_d = StEngine;
      StEngine: if (cpl_valid_i) begin
        cpl_d = cpl_i;
        st_d  = StCpl;
      end
      StCpl: if (master_i && txcq_room) begin
        cpl_d[toe_pkg::TX_CPL_FLAGS_LSB] = txcq_phase;
        wbeat_d = 1'b0;
        st_d    = StCplWr;
      end
      StCplWr: if (wr_ready_i) begin
        wbeat_d = 1'b1;
        if (wbeat_q) st_d = StCplDone;
      end
      StCplDone: if (wr_done_i) begin
        if (wr_err_i) begin
          txcq_fail_o = 1'b1;  // TXCQ stops; the completion waits for it
          st_d        = StCpl;
        end else begin
          txcq_post_o = 1'b1;
          cnt_cpls_o  = 1'b1;
          st_d        = StIdle;
        end
      end
      default: st_d = StIdle;
    endcase
  end

  // Busy: work to start or under way; a completion waiting for TXCQ room (or bus
  // mastering) waits for the host, which is not work.
  assign busy_o = (st_q == StIdle) ? rreq_valid_o : !(st_q == StCpl && !(master_i && txcq_room));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q     <= StIdle;
      desc_q   <= '0;
      rd_err_q <= 1'b0;
      cpl_q    <= '0;
      wbeat_q  <= 1'b0;
    end else begin
      st_q     <= st_d;
      desc_q   <= desc_d;
      rd_err_q <= rd_err_d;
      cpl_q    <= cpl_d;
      wbeat_q  <= wbeat_d;
    end
  end

endmodule
