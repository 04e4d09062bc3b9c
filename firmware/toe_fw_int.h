/*
 * The firmware's inside: mailbox layout, window helpers, command handlers.
 * Not part of the interface (toe_fw.h).
 *
 *   toe_fw.c           init, the RESET attention, the admin rings (fetch, complete)
 *   toe_fw_cmd.c       field validation and the device commands (IDENTIFY, SET_*, STATS, RESET)
 *   toe_fw_conn.c      the connection commands (CONN_*)
 *   toe_fw_selftest.c  SELF_TEST
 *   toe_fw_hw.c        the window: mailbox words, the mover, the command port, TX contexts
 */
#ifndef TOE_FW_INT_H
#define TOE_FW_INT_H

#include "toe_fw.h"

/*
 * Mailbox layout (offsets in the 4 KiB mailbox; FW_MBOX_BASE in the window).
 * The connection-command area is the port's: conn_cmd at +0, an INSERT's
 * rx_ctx at +32, conn_rsp at +FW_CMD_RSP_OFF (160), a READ's rx_ctx at +176.
 * MB_TX follows that rx_ctx, so a READ's rx_ctx and a TX READ into MB_TX are
 * CONN_READ's 176-byte answer in one piece.
 */
#define MB_CMD 0x000u     /* the admin_cmd being served (64) */
#define MB_CPL 0x040u     /* the admin_cpl being written (16) */
#define MB_CONN 0x080u    /* connection command area (304) */
#define MB_CONN_CTX (MB_CONN + 32u)                  /* INSERT's rx_ctx */
#define MB_CONN_RSP (MB_CONN + FW_CMD_RSP_OFF)       /* conn_rsp */
#define MB_CONN_READ (MB_CONN + FW_CMD_RSP_OFF + 16u) /* READ's rx_ctx */
#define MB_TX (MB_CONN_READ + 128u)                  /* a tx_ctx (48) */
#define MB_DATA 0x200u    /* IDENTIFY, STATS, SELF_TEST's loopback (512) */
#define MB_PROBE 0x400u   /* TX READs that only ask whether a context is valid (48) */

TOE_STATIC_ASSERT(MB_TX == 0x1b0u, "MB_TX follows the READ's rx_ctx");
TOE_STATIC_ASSERT(MB_TX + 48u <= MB_DATA, "mailbox areas overlap");
TOE_STATIC_ASSERT(MB_PROBE + 48u <= FW_MBOX_SIZE, "mailbox overflow");

#define FW_STATS_NUM (TX_CNT_NUM + RX_CNT_NUM + DEV_CNT_NUM)
#define FW_STATS_BYTES (4u * FW_STATS_NUM)

/* conn_cmd's answer when the port itself failed (BAD_OFF, or a response that
 * is not the command's): CONN_ERROR's val0. */
#define FW_CONN_PORT_ERROR 0x100u

/* A command's outcome: the completion's status, val0, val1. */
struct fw_res {
    uint32_t status;
    uint32_t val0;
    uint32_t val1;
};

/* ---- toe_fw_hw.c ---- */
uint32_t fw_rd(struct toe_fw *fw, uint32_t off);
void fw_wr(struct toe_fw *fw, uint32_t off, uint32_t val);
uint32_t fw_mbox_rd(struct toe_fw *fw, uint32_t mbox_off);
void fw_mbox_wr(struct toe_fw *fw, uint32_t mbox_off, uint32_t val);
/* len bytes, a multiple of 4, little-endian words */
void fw_mbox_write(struct toe_fw *fw, uint32_t mbox_off, const void *src, uint32_t len);
void fw_mbox_read(struct toe_fw *fw, uint32_t mbox_off, void *dst, uint32_t len);
/* The mover: 0, or ADMIN_STATUS_DMA_FAULT (refused; a BAD_ARG counts as a
 * hardware error too). */
uint32_t fw_dma(struct toe_fw *fw, uint64_t host, uint32_t mbox_off, uint32_t len, int to_host);
/* A connection command through MB_CONN: its CONN_STATUS or FW_CONN_PORT_ERROR.
 * An INSERT's rx_ctx must already be at MB_CONN_CTX. */
uint32_t fw_conn_cmd(struct toe_fw *fw, uint32_t op, uint32_t conn_id, uint32_t a0, uint32_t a1,
                     uint32_t a2);
/* A TX-context operation: FW_TXCTX_STATUS after it. */
uint32_t fw_txctx(struct toe_fw *fw, uint32_t op, uint32_t conn_id, uint32_t mbox_off);

static inline int fw_is_installed(const struct toe_fw *fw, uint32_t id)
{
    return (fw->installed[id >> 5] >> (id & 31u)) & 1u;
}
static inline void fw_set_installed(struct toe_fw *fw, uint32_t id, int on)
{
    uint32_t bit = 1u << (id & 31u);

    if (on)
        fw->installed[id >> 5] |= bit;
    else
        fw->installed[id >> 5] &= ~bit;
}

void fw_zero(void *p, uint32_t len);

/* ---- handlers: fw->cmd is validated (toe_fw_cmd.c) before they run ---- */
int fw_validate(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_identify(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_reset(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_set_mac(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_set_ipv4(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_stats(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_set_irq_mod(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_set_rx_cfg(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_conn_create(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_conn_modify(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_conn_destroy(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_conn_read(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_conn_set_tx(struct toe_fw *fw, struct fw_res *res);
void fw_cmd_self_test(struct toe_fw *fw, struct fw_res *res);

/* The window's configuration at its reset values (toe_fw_cmd.c). */
void fw_config_reset(struct toe_fw *fw);
/* Read the counters into out[FW_STATS_NUM] (raw, not baselined). */
void fw_read_counters(struct toe_fw *fw, uint32_t *out);
/* The admin buffer [addr, addr + need) reaches past 2^64. */
int fw_buf_wraps(uint64_t addr, uint32_t need);

#endif /* TOE_FW_INT_H */
