/*
 * SELF_TEST: the window's identity, the mailbox RAM (March C-), DMA loopback
 * through the host's scratch buffer, and the connection table and TX-context
 * table at conn_id (which must be free). val0 = the failed checks
 * (TOE_FW_ST_* bits, docs/device.md); status OK when val0 is 0, else
 * SELFTEST_FAIL. A refused loopback buffer is DMA_FAULT, as for any command.
 *
 * The tests overwrite the whole mailbox; the command has been copied out of it
 * and the completion is written after them.
 */
#include "toe_fw_int.h"

#define MBOX_WORDS (FW_MBOX_SIZE / 4u)
#define LOOP_BYTES 256u
#define LOOP_OUT MB_DATA
#define LOOP_BACK (MB_DATA + LOOP_BYTES)

/*
 * March C- (van de Goor): {up(w0); up(r0,w1); up(r1,w0); down(r0,w1);
 * down(r1,w0); any(r0)} with 0 and all-ones words finds stuck-at, transition
 * and coupling faults and address-decoder faults; a pass with each word's own
 * address in it then finds words that alias one another within a word of data.
 */
static int march_element(struct toe_fw *fw, int down, uint32_t expect, uint32_t write)
{
    int bad = 0;

    for (uint32_t k = 0; k < MBOX_WORDS; k++) {
        uint32_t off = 4u * (down ? MBOX_WORDS - 1u - k : k);

        if (fw_mbox_rd(fw, off) != expect)
            bad = 1;
        fw_mbox_wr(fw, off, write);
    }
    return bad;
}

static int test_mbox(struct toe_fw *fw)
{
    int bad = 0;

    for (uint32_t k = 0; k < MBOX_WORDS; k++)
        fw_mbox_wr(fw, 4u * k, 0);
    bad |= march_element(fw, 0, 0, ~0u);
    bad |= march_element(fw, 0, ~0u, 0);
    bad |= march_element(fw, 1, 0, ~0u);
    bad |= march_element(fw, 1, ~0u, 0);
    for (uint32_t k = 0; k < MBOX_WORDS; k++)
        if (fw_mbox_rd(fw, 4u * k) != 0)
            bad = 1;
    for (uint32_t k = 0; k < MBOX_WORDS; k++)
        fw_mbox_wr(fw, 4u * k, (4u * k) * 0x00010001u ^ 0xa5005a00u);
    for (uint32_t k = 0; k < MBOX_WORDS; k++)
        if (fw_mbox_rd(fw, 4u * k) != ((4u * k) * 0x00010001u ^ 0xa5005a00u))
            bad = 1;
    return bad;
}

/* Word i of loopback pass p: its index, the command's tag (so that a buffer
 * left from an earlier test does not pass), inverted on the second pass (so
 * that one left from the first does not). */
static uint32_t loop_word(uint32_t tag, uint32_t i, uint32_t pass)
{
    uint32_t w = 0x5a000000u | tag << 8 | i;

    return pass ? ~w : w;
}

/* 0 pass, 1 mismatch, ADMIN_STATUS_DMA_FAULT */
static uint32_t test_dma(struct toe_fw *fw)
{
    uint32_t bad = 0;

    for (uint32_t pass = 0; pass < 2; pass++) {
        uint32_t st;

        for (uint32_t i = 0; i < LOOP_BYTES / 4; i++) {
            fw_mbox_wr(fw, LOOP_OUT + 4 * i, loop_word(fw->cmd.tag, i, pass));
            fw_mbox_wr(fw, LOOP_BACK + 4 * i, ~loop_word(fw->cmd.tag, i, pass));
        }
        st = fw_dma(fw, fw->cmd.addr, LOOP_OUT, LOOP_BYTES, 1);
        if (st == 0)
            st = fw_dma(fw, fw->cmd.addr, LOOP_BACK, LOOP_BYTES, 0);
        if (st != 0)
            return st;
        for (uint32_t i = 0; i < LOOP_BYTES / 4; i++)
            if (fw_mbox_rd(fw, LOOP_BACK + 4 * i) != loop_word(fw->cmd.tag, i, pass))
                bad = 1;
    }
    return bad;
}

/*
 * The test entry: valid for INSERT (ring 4 KiB at an aligned base, MSS 1460,
 * nothing unread) with a 4-tuple no real connection has (TEST-NET-1 addresses,
 * port 0 on both sides: RFC 6335 reserves it) and a distinct value in every
 * other word, so that a READ that returns the wrong word or another entry is
 * seen. The fields INSERT starts at 0 are 0, so a READ returns it unchanged.
 */
static uint32_t test_ctx_word(uint32_t i)
{
    switch (i) {
    case 0:
        return 0x00001000u; /* buf_base */
    case 1:
        return 0;
    case 2:
        return 0xc00002feu; /* local_ip 192.0.2.254 */
    case 3:
        return 0xc00002fdu; /* remote_ip 192.0.2.253 */
    case 4:
        return 0; /* ports 0 */
    case 5:
        return 0x00000c00u; /* flags 0, buf_size_log2 12, wscales 0 */
    case 9:
        return 0x40u << 16 | 0x0000u; /* vlan_tci 0, ttl 64, tos 0 */
    case 10:
        return 1460u << 16 | 0x1234u; /* ip_id, mss */
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
        return 0x10000000u; /* rcv_nxt, rcv_read, buf_seq0, rcv_adv, last_ack_sent */
    case 17:
    case 18:
        return 0x20000000u; /* snd_una, snd_nxt */
    default:
        if (i >= 24)
            return 0; /* ev_rx_bytes .. rsvd2: INSERT starts them at 0 */
        return 0x01010101u * i; /* dst/src mac, ts_recent, windows, wl1/wl2, deadline */
    }
}

static int test_conn(struct toe_fw *fw, uint32_t id)
{
    int bad = 0;
    uint32_t st;

    for (uint32_t i = 0; i < 32; i++)
        fw_mbox_wr(fw, MB_CONN_CTX + 4 * i, test_ctx_word(i));
    if (fw_conn_cmd(fw, CONN_CMD_INSERT, id, 0, 0, 0) != CONN_STATUS_OK)
        return 1;
    if (fw_conn_cmd(fw, CONN_CMD_READ, id, 0, 0, 0) != CONN_STATUS_OK) {
        bad = 1;
    } else {
        for (uint32_t i = 0; i < 32; i++)
            if (fw_mbox_rd(fw, MB_CONN_READ + 4 * i) != test_ctx_word(i))
                bad = 1;
    }
    st = fw_conn_cmd(fw, CONN_CMD_DELETE, id, 0, 0, 0);
    if (st != CONN_STATUS_OK) {
        fw_set_installed(fw, id, 1); /* still there: the admin RESET removes it */
        return 1;
    }
    if (fw_conn_cmd(fw, CONN_CMD_READ, id, 0, 0, 0) != CONN_STATUS_NOT_FOUND)
        bad = 1;
    return bad;
}

/* A TX context with a distinct value in every word and valid flags. */
static uint32_t test_tx_word(uint32_t i)
{
    switch (i) {
    case 3:
        return 0x40u << 24 | (uint32_t)CTX_FLAG_TS << 16 | 0x0123u; /* vlan_tci, flags, ttl 64 */
    case 10:
        return 0x00001234u; /* ip_id; tos 0, rsvd0 0 */
    case 11:
        return 0; /* rsvd1 */
    default:
        return 0x3c000000u | i * 0x00050003u;
    }
}

static int test_txctx(struct toe_fw *fw, uint32_t id)
{
    int bad = 0;

    if (fw_txctx(fw, FW_TXCTX_READ, id, MB_PROBE) & (FW_TXCTX_VALID | FW_TXCTX_BAD_ID))
        bad = 1; /* a free id has no context */
    for (uint32_t i = 0; i < 12; i++)
        fw_mbox_wr(fw, MB_TX + 4 * i, test_tx_word(i));
    if (fw_txctx(fw, FW_TXCTX_WRITE, id, MB_TX) & FW_TXCTX_BAD_ID)
        bad = 1;
    if (!(fw_txctx(fw, FW_TXCTX_READ, id, MB_PROBE) & FW_TXCTX_VALID))
        bad = 1;
    for (uint32_t i = 0; i < 12; i++)
        if (fw_mbox_rd(fw, MB_PROBE + 4 * i) != fw_mbox_rd(fw, MB_TX + 4 * i))
            bad = 1;
    fw_txctx(fw, FW_TXCTX_CLEAR, id, MB_PROBE);
    if (fw_txctx(fw, FW_TXCTX_READ, id, MB_PROBE) & FW_TXCTX_VALID)
        bad = 1;
    return bad;
}

void fw_cmd_self_test(struct toe_fw *fw, struct fw_res *res)
{
    uint32_t id = fw->cmd.conn_id;
    uint32_t failed = 0, st;

    if (fw_is_installed(fw, id)) {
        res->status = ADMIN_STATUS_CONN_ERROR;
        res->val0 = CONN_STATUS_BUSY;
        return;
    }
    if (fw_rd(fw, FW_ID) != DEV_ID_MAGIC)
        failed |= TOE_FW_ST_ID;
    if (test_mbox(fw))
        failed |= TOE_FW_ST_MBOX;
    st = test_dma(fw);
    if (st == ADMIN_STATUS_DMA_FAULT) {
        res->status = st;
        return;
    }
    if (st)
        failed |= TOE_FW_ST_DMA;
    if (test_conn(fw, id))
        failed |= TOE_FW_ST_CONN;
    if (test_txctx(fw, id))
        failed |= TOE_FW_ST_TXCTX;
    res->status = failed ? ADMIN_STATUS_SELFTEST_FAIL : ADMIN_STATUS_OK;
    res->val0 = failed;
}
