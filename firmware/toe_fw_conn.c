/*
 * The connection commands: CONN_CREATE, CONN_MODIFY, CONN_DESTROY, CONN_READ,
 * CONN_SET_TX. The RX entry goes through the connection-command port (the
 * table's INSERT/DELETE/READ/... of docs/rx-datapath.md, "Commands"), the TX
 * context through the TX-context table. The driver never reaches either: only
 * these commands do, and the firmware keeps the set of ids it installed
 * (fw->installed) for the admin RESET.
 *
 * Errors: the table's CONN_STATUS other than OK is CONN_ERROR with val0 = that
 * status (FW_CONN_PORT_ERROR when the port itself failed); a host buffer whose
 * reserved fields or flags are not 0 is BAD_FIELD with val0 = the offset in
 * that buffer and val1 = 1.
 */
#include "toe_fw_int.h"

#define RX_FLAG_ALL (RX_FLAG_TS | RX_FLAG_VLAN | RX_FLAG_DF | RX_FLAG_HW_DUPACK)
#define CTX_FLAG_ALL (CTX_FLAG_TS | CTX_FLAG_VLAN | CTX_FLAG_DF)

static void bad_buf_field(struct fw_res *res, uint32_t off)
{
    res->status = ADMIN_STATUS_BAD_FIELD;
    res->val0 = off;
    res->val1 = 1;
}

static void conn_error(struct fw_res *res, uint32_t conn_status)
{
    res->status = ADMIN_STATUS_CONN_ERROR;
    res->val0 = conn_status;
}

/* The rx_ctx at MB_CONN_CTX: flags and reserved bytes. Offset of the first bad
 * field, or 0. */
static uint32_t check_rx_ctx(struct toe_fw *fw)
{
    if (fw_mbox_rd(fw, MB_CONN_CTX + 20) & (0xffu & ~(uint32_t)RX_FLAG_ALL))
        return 20; /* flags */
    if (fw_mbox_rd(fw, MB_CONN_CTX + 100) >> 24)
        return 103; /* rsvd0 */
    if (fw_mbox_rd(fw, MB_CONN_CTX + 116))
        return 116; /* rsvd1 */
    if (fw_mbox_rd(fw, MB_CONN_CTX + 120) | fw_mbox_rd(fw, MB_CONN_CTX + 124))
        return 120; /* rsvd2 */
    return 0;
}

/* The tx_ctx at MB_TX, likewise; offsets within the tx_ctx. */
static uint32_t check_tx_ctx(struct toe_fw *fw)
{
    if ((fw_mbox_rd(fw, MB_TX + 12) >> 16) & (0xffu & ~(uint32_t)CTX_FLAG_ALL))
        return 14; /* flags */
    if (fw_mbox_rd(fw, MB_TX + 40) >> 24)
        return 43; /* rsvd0 */
    if (fw_mbox_rd(fw, MB_TX + 44))
        return 44; /* rsvd1 */
    return 0;
}

/* RX entry first, then the TX context: no TX context ever exists for an id
 * the table refused. The 176 bytes come in two transfers: the rx_ctx to where
 * INSERT takes it (MB_CONN_CTX) and the tx_ctx to MB_TX, because the port's
 * conn_rsp lands right behind the rx_ctx. */
void fw_cmd_conn_create(struct toe_fw *fw, struct fw_res *res)
{
    const struct toe_admin_cmd *c = &fw->cmd;
    uint32_t off, st;

    res->status = fw_dma(fw, c->addr, MB_CONN_CTX, sizeof(struct toe_rx_ctx), 0);
    if (res->status == 0)
        res->status = fw_dma(fw, c->addr + sizeof(struct toe_rx_ctx), MB_TX,
                             sizeof(struct toe_tx_ctx), 0);
    if (res->status != 0)
        return;
    off = check_rx_ctx(fw);
    if (off) {
        bad_buf_field(res, off);
        return;
    }
    off = check_tx_ctx(fw);
    if (off) {
        bad_buf_field(res, offsetof(struct toe_conn_create, tx) + off);
        return;
    }
    st = fw_conn_cmd(fw, CONN_CMD_INSERT, c->conn_id, 0, 0, 0);
    if (st != CONN_STATUS_OK) {
        conn_error(res, st);
        return;
    }
    if (fw_txctx(fw, FW_TXCTX_WRITE, c->conn_id, MB_TX) & FW_TXCTX_BAD_ID) {
        /* conn_id is below CONN_MAX and MB_TX fits: the table is wrong. Take
         * the RX entry back so that the two stay together. */
        fw->cnt.hw_errors++;
        fw_conn_cmd(fw, CONN_CMD_DELETE, c->conn_id, 0, 0, 0);
        conn_error(res, CONN_STATUS_BAD_ID);
        return;
    }
    fw_set_installed(fw, c->conn_id, 1);
}

/* One table command; its arguments are data[0..11] (validated: the op is
 * RCV_READ, RCV_NXT, SND or ACK_NOW, and the words it does not use are 0). */
void fw_cmd_conn_modify(struct toe_fw *fw, struct fw_res *res)
{
    const struct toe_admin_cmd *c = &fw->cmd;
    const uint8_t *d = c->data;
    uint32_t a[3];
    uint32_t st;

    for (int i = 0; i < 3; i++)
        a[i] = (uint32_t)d[4 * i] | (uint32_t)d[4 * i + 1] << 8 | (uint32_t)d[4 * i + 2] << 16 |
               (uint32_t)d[4 * i + 3] << 24;
    st = fw_conn_cmd(fw, c->arg0, c->conn_id, a[0], a[1], a[2]);
    if (st != CONN_STATUS_OK)
        conn_error(res, st);
}

void fw_cmd_conn_destroy(struct toe_fw *fw, struct fw_res *res)
{
    uint32_t id = fw->cmd.conn_id;
    uint32_t st = fw_conn_cmd(fw, CONN_CMD_DELETE, id, 0, 0, 0);

    if (st != CONN_STATUS_OK) {
        conn_error(res, st);
        return;
    }
    fw_txctx(fw, FW_TXCTX_CLEAR, id, MB_PROBE);
    fw_set_installed(fw, id, 0);
}

/* The READ's rx_ctx lands at MB_CONN_READ, the TX READ right behind it at
 * MB_TX: the conn_create image, sent in one transfer. */
void fw_cmd_conn_read(struct toe_fw *fw, struct fw_res *res)
{
    uint32_t id = fw->cmd.conn_id;
    uint32_t st = fw_conn_cmd(fw, CONN_CMD_READ, id, 0, 0, 0);

    if (st == CONN_STATUS_NOT_FOUND) {
        res->status = ADMIN_STATUS_NO_TX_CTX;
        return;
    }
    if (st != CONN_STATUS_OK) {
        conn_error(res, st);
        return;
    }
    if (!(fw_txctx(fw, FW_TXCTX_READ, id, MB_TX) & FW_TXCTX_VALID)) {
        fw->cnt.hw_errors++; /* an RX entry without its TX context */
        res->status = ADMIN_STATUS_NO_TX_CTX;
        return;
    }
    res->status = fw_dma(fw, fw->cmd.addr, MB_CONN_READ, sizeof(struct toe_conn_create), 1);
    if (res->status == 0)
        res->val0 = sizeof(struct toe_conn_create);
}

void fw_cmd_conn_set_tx(struct toe_fw *fw, struct fw_res *res)
{
    uint32_t id = fw->cmd.conn_id;
    uint32_t off;

    if (!(fw_txctx(fw, FW_TXCTX_READ, id, MB_PROBE) & FW_TXCTX_VALID)) {
        res->status = ADMIN_STATUS_NO_TX_CTX;
        return;
    }
    res->status = fw_dma(fw, fw->cmd.addr, MB_TX, sizeof(struct toe_tx_ctx), 0);
    if (res->status != 0)
        return;
    off = check_tx_ctx(fw);
    if (off) {
        bad_buf_field(res, off);
        return;
    }
    if (fw_txctx(fw, FW_TXCTX_WRITE, id, MB_TX) & FW_TXCTX_BAD_ID) {
        fw->cnt.hw_errors++;
        conn_error(res, CONN_STATUS_BAD_ID);
    }
}
