/*
 * A fake of the firmware's management window, written from docs/formats.md
 * ("Registers: FW", FW_ATTN, FW_CTRL, FW_DMA, FW_TXCTX, conn_cmd/conn_rsp) and
 * docs/rx-datapath.md ("Commands"), independent of the device model: what the
 * firmware's tests run against.
 *
 * It has the registers, the 4 KiB mailbox, a mover over a fake host memory
 * (one window [host_base, host_base + host_size): anything else is FAULT), a
 * connection-command port with a small table that follows the documented
 * statuses (and can be told the next statuses instead), the TX-context table
 * and the counters. Every access that breaks the window's rules (a register
 * that does not exist, a write to a read-only one, an index the firmware may
 * not write) is counted in `violations`: the tests demand 0.
 */
#ifndef FAKE_FW_WINDOW_H
#define FAKE_FW_WINDOW_H

#include <stdint.h>

#include "toe_formats.h"
#include "toe_fw.h"

#define FAKE_LOG_MAX 1024
#define FAKE_POLL_LIMIT 1000

struct fake_ring {
    uint64_t base;
    uint32_t log2, prod, cons, enabled;
};

struct fake_cmd_rec {
    struct toe_conn_cmd cmd;
    struct toe_rx_ctx ctx; /* INSERT: the context beside it */
};

struct fake_txop {
    uint32_t op, conn, status;
};

struct fake_win {
    uint32_t conn_max;
    uint32_t id;         /* FW_ID: DEV_ID_MAGIC */
    uint32_t attn_reset; /* FW_ATTN.RESET */
    uint32_t fw_ready;   /* STATUS.FW_READY */
    uint32_t ctrl_log[16];
    int n_ctrl;
    struct fake_ring asq, acq;

    uint32_t dma_host_lo, dma_host_hi, dma_len, dma_mbox_off, dma_result;
    uint32_t cmd_mbox_off, cmd_result;
    uint32_t txctx_conn, txctx_mbox_off, txctx_status;
    uint32_t mac_lo, mac_hi, ipv4, rx_filter, delack, coalesce, ts_ticks;
    uint32_t vec[2 * MSIX_VECTORS];
    uint32_t tx_cnt[TX_CNT_NUM], rx_cnt[RX_CNT_NUM], dev_cnt[DEV_CNT_NUM];
    uint8_t mbox[FW_MBOX_SIZE];

    uint8_t *host;
    uint64_t host_base;
    uint32_t host_size;

    uint8_t *installed;        /* per conn_id */
    struct toe_rx_ctx *rx;     /* the table's entries */
    uint8_t (*tx)[48];         /* TX contexts */
    uint8_t *tx_valid;

    /* Scripting and faults. */
    uint8_t script[16];        /* statuses the next commands answer (the table is not touched) */
    int n_script, script_pos;
    uint32_t busy_reads;       /* BUSY reads after each GO */
    int mbox_stuck;            /* a stuck-at-1 mailbox bit */
    uint32_t mbox_stuck_off, mbox_stuck_mask;
    uint32_t dma_flip_len;     /* flip a bit of every mailbox-to-host transfer this long */
    int read_ctx_flip;         /* READ answers with one byte of the entry changed */
    int rsp_wrong_tag;         /* the response carries another tag */
    int reset_ack_ignored;     /* FW_CTRL.RESET_ACK does not clear FW_ATTN.RESET */
    uint32_t dma_bad_arg_at;   /* the mover answers BAD_ARG to this GO (1-based count) */
    int cmd_bad_off_next;      /* the command port answers BAD_OFF to the next GO */

    /* What happened. */
    uint32_t reads, writes, violations, poll_timeouts, busy_seen;
    uint32_t dma_ops, dma_to_host, dma_faults, dma_gos;
    int n_cmds;
    struct fake_cmd_rec cmds[FAKE_LOG_MAX];
    int n_txops;
    struct fake_txop txops[FAKE_LOG_MAX];
    uint32_t dma_busy_left, cmd_busy_left;
};

struct fake_win *fake_new(uint32_t conn_max, uint64_t host_base, uint32_t host_size);
void fake_free(struct fake_win *f);
/* The bus the firmware uses. */
struct toe_fw_bus fake_bus(struct fake_win *f);
/* A function-level reset (docs/device.md, Reset): the window's part of it. */
void fake_flr(struct fake_win *f);
/* Forget the logs (commands, TX ops, FW_CTRL writes, DMA counts). */
void fake_clear_logs(struct fake_win *f);

/* Host memory: a pointer to [addr, addr + len), or NULL outside it. */
uint8_t *fake_host(struct fake_win *f, uint64_t addr, uint32_t len);

/* The host side of the admin rings (as a driver through BAR0 would); enabling
 * zeroes the ring's memory. */
void fake_ring_enable(struct fake_win *f, struct fake_ring *r, uint64_t base, uint32_t log2);
void fake_submit(struct fake_win *f, const struct toe_admin_cmd *cmd);
/* The next completion if its phase says it is new (1), else 0. */
int fake_take_cpl(struct fake_win *f, struct toe_admin_cpl *cpl);

/* Install an entry directly (as if an earlier firmware had), with a TX context. */
void fake_table_put(struct fake_win *f, uint32_t id, const struct toe_rx_ctx *rx,
                    const struct toe_tx_ctx *tx);

uint32_t fake_rd(void *arg, uint32_t off);
void fake_wr(void *arg, uint32_t off, uint32_t val);

#endif /* FAKE_FW_WINDOW_H */
