/*
 * The management window as the firmware uses it: mailbox words, the DMA mover,
 * the connection-command port and the TX-context table (docs/device.md, "The
 * firmware and the admin queue"; FW_* in docs/formats.md).
 *
 * Every operation follows the window's rule: write the arguments, write GO (or
 * the operation), wait with bus.poll until BUSY is clear, then look at the
 * status. The mailbox takes 32-bit accesses only; byte 0 of a word is its
 * least significant byte (the formats are little-endian).
 */
#include "toe_fw_int.h"

uint32_t fw_rd(struct toe_fw *fw, uint32_t off)
{
    return fw->bus.rd(fw->bus.arg, off);
}

void fw_wr(struct toe_fw *fw, uint32_t off, uint32_t val)
{
    fw->bus.wr(fw->bus.arg, off, val);
}

uint32_t fw_mbox_rd(struct toe_fw *fw, uint32_t mbox_off)
{
    return fw_rd(fw, FW_MBOX_BASE + mbox_off);
}

void fw_mbox_wr(struct toe_fw *fw, uint32_t mbox_off, uint32_t val)
{
    fw_wr(fw, FW_MBOX_BASE + mbox_off, val);
}

void fw_mbox_write(struct toe_fw *fw, uint32_t mbox_off, const void *src, uint32_t len)
{
    const uint8_t *p = src;

    for (uint32_t i = 0; i < len; i += 4)
        fw_mbox_wr(fw, mbox_off + i,
                   (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
                       (uint32_t)p[i + 3] << 24);
}

void fw_mbox_read(struct toe_fw *fw, uint32_t mbox_off, void *dst, uint32_t len)
{
    uint8_t *p = dst;

    for (uint32_t i = 0; i < len; i += 4) {
        uint32_t w = fw_mbox_rd(fw, mbox_off + i);

        p[i] = (uint8_t)w;
        p[i + 1] = (uint8_t)(w >> 8);
        p[i + 2] = (uint8_t)(w >> 16);
        p[i + 3] = (uint8_t)(w >> 24);
    }
}

void fw_zero(void *p, uint32_t len)
{
    uint8_t *b = p;

    while (len--)
        *b++ = 0;
}

int fw_buf_wraps(uint64_t addr, uint32_t need)
{
    return addr + need - 1u < addr;
}

uint32_t fw_dma(struct toe_fw *fw, uint64_t host, uint32_t mbox_off, uint32_t len, int to_host)
{
    uint32_t st;

    fw_wr(fw, FW_DMA_HOST_LO, (uint32_t)host);
    fw_wr(fw, FW_DMA_HOST_HI, (uint32_t)(host >> 32));
    fw_wr(fw, FW_DMA_LEN, len);
    fw_wr(fw, FW_DMA_MBOX_OFF, mbox_off);
    fw_wr(fw, FW_DMA_CTRL, FW_DMA_GO | (to_host ? FW_DMA_TO_HOST : 0u));
    st = fw->bus.poll(fw->bus.arg, FW_DMA_STATUS, FW_DMA_BUSY, 0);
    if (st & FW_DMA_BAD_ARG) {
        /* Our lengths and offsets are constants that fit: the mover is wrong. */
        fw->cnt.hw_errors++;
        return ADMIN_STATUS_DMA_FAULT;
    }
    return (st & FW_DMA_FAULT) ? ADMIN_STATUS_DMA_FAULT : 0u;
}

uint32_t fw_conn_cmd(struct toe_fw *fw, uint32_t op, uint32_t conn_id, uint32_t a0, uint32_t a1,
                     uint32_t a2)
{
    uint32_t tag = fw->conn_tag++;
    uint32_t st, r0, r1;

    fw_mbox_wr(fw, MB_CONN + 0, op | conn_id << 16); /* op, rsvd0, conn_id */
    fw_mbox_wr(fw, MB_CONN + 4, tag);                /* tag, rsvd1 */
    fw_mbox_wr(fw, MB_CONN + 8, a0);
    fw_mbox_wr(fw, MB_CONN + 12, a1);
    fw_mbox_wr(fw, MB_CONN + 16, a2);
    for (uint32_t off = 20; off < 32; off += 4) /* rsvd2, rsvd3 */
        fw_mbox_wr(fw, MB_CONN + off, 0);
    fw_wr(fw, FW_CMD_MBOX_OFF, MB_CONN);
    fw_wr(fw, FW_CMD_CTRL, 1);
    st = fw->bus.poll(fw->bus.arg, FW_CMD_STATUS, 1u, 0);
    if (st & 2u) { /* BAD_OFF: our area always fits */
        fw->cnt.hw_errors++;
        return FW_CONN_PORT_ERROR;
    }
    /* conn_rsp: tag, conn_id | op, status. One response per command, in order:
     * one that is not this command's means the port and we disagree. */
    r0 = fw_mbox_rd(fw, MB_CONN_RSP + 0);
    r1 = fw_mbox_rd(fw, MB_CONN_RSP + 4);
    if (r0 != (tag | conn_id << 16) || (r1 & 0xffu) != op) {
        fw->cnt.hw_errors++;
        return FW_CONN_PORT_ERROR;
    }
    return (r1 >> 8) & 0xffu;
}

/*
 * FW_TXCTX_STATUS has no BUSY bit: a TX-context operation is done when its
 * CTRL write is (the table is a RAM next to the window), so the status is read
 * right after it.
 */
uint32_t fw_txctx(struct toe_fw *fw, uint32_t op, uint32_t conn_id, uint32_t mbox_off)
{
    fw_wr(fw, FW_TXCTX_CONN, conn_id);
    fw_wr(fw, FW_TXCTX_MBOX_OFF, mbox_off);
    fw_wr(fw, FW_TXCTX_CTRL, op);
    return fw_rd(fw, FW_TXCTX_STATUS);
}

void fw_read_counters(struct toe_fw *fw, uint32_t *out)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < TX_CNT_NUM; i++)
        out[n++] = fw_rd(fw, FW_TX_CNT_BASE + 4 * i);
    for (uint32_t i = 0; i < RX_CNT_NUM; i++)
        out[n++] = fw_rd(fw, FW_RX_CNT_BASE + 4 * i);
    for (uint32_t i = 0; i < DEV_CNT_NUM; i++)
        out[n++] = fw_rd(fw, FW_DEV_CNT_BASE + 4 * i);
}
