/*
 * Admin commands that configure or report the device: the field checks every
 * command passes first, then IDENTIFY, RESET, SET_MAC, SET_IPV4, STATS,
 * SET_IRQ_MOD and SET_RX_CFG (ADMIN_OP in docs/formats.md; the rules below are
 * written down in docs/device.md, "Admin commands").
 */
#include "toe_fw_int.h"

/* cfg_ts_ticks after reset (FW_TS_TICKS: "reset 100", 1 ms at the 10 us tick) */
#define FW_TS_TICKS_RESET 100u

/* admin_cmd bytes 0..31 an opcode may set (bit i: byte i); opcode and tag always. */
#define U_ALWAYS 0x0000000du
#define U_CONN 0x00000030u
#define U_ARG0 0x00000f00u
#define U_ARG1 0x0000f000u
#define U_ADDR 0x00ff0000u
#define U_LEN 0x0f000000u
#define U_BUF (U_ADDR | U_LEN)

struct op_rule {
    uint32_t used;      /* bytes 0..31 that may be non-zero */
    uint8_t data_bytes; /* data[0..data_bytes) may be non-zero */
    uint8_t conn;       /* conn_id names an entry: checked against CONN_MAX */
    uint16_t need;      /* len needed (BUF_SMALL), 0: no buffer */
};

static const struct op_rule rules[ADMIN_OP_SELF_TEST + 1] = {
    [ADMIN_OP_IDENTIFY] = {U_BUF, 0, 0, sizeof(struct toe_admin_identify)},
    [ADMIN_OP_RESET] = {0, 0, 0, 0},
    [ADMIN_OP_SET_MAC] = {U_ARG0, 6, 0, 0},
    [ADMIN_OP_SET_IPV4] = {U_ARG0 | U_ARG1, 0, 0, 0},
    [ADMIN_OP_CONN_CREATE] = {U_CONN | U_BUF, 0, 1, sizeof(struct toe_conn_create)},
    [ADMIN_OP_CONN_MODIFY] = {U_CONN | U_ARG0, 0, 1, 0}, /* data: per CONN_CMD */
    [ADMIN_OP_CONN_DESTROY] = {U_CONN, 0, 1, 0},
    [ADMIN_OP_CONN_READ] = {U_CONN | U_BUF, 0, 1, sizeof(struct toe_conn_create)},
    [ADMIN_OP_CONN_SET_TX] = {U_CONN | U_BUF, 0, 1, sizeof(struct toe_tx_ctx)},
    [ADMIN_OP_STATS] = {U_ARG0 | U_BUF, 0, 0, FW_STATS_BYTES},
    [ADMIN_OP_SET_IRQ_MOD] = {U_ARG0 | U_ARG1, 4, 0, 0},
    [ADMIN_OP_SET_RX_CFG] = {U_ARG0 | U_ARG1, 4, 0, 0},
    [ADMIN_OP_SELF_TEST] = {U_CONN | U_BUF, 0, 1, 256},
};

/* The offset of the admin_cmd field that holds byte b (data: the byte itself). */
static uint32_t field_of(uint32_t b)
{
    if (b >= 32 || b < 2)
        return b; /* data bytes; opcode, flags */
    if (b < 8)
        return b & ~1u; /* tag, conn_id, rsvd0 */
    if (b < 16)
        return b & ~3u; /* arg0, arg1 */
    if (b < 24)
        return 16; /* addr */
    return b & ~3u; /* len, rsvd1 */
}

/* CONN_MODIFY: the connection commands it passes on, and their argument words. */
static int modify_args(uint32_t op)
{
    switch (op) {
    case CONN_CMD_RCV_READ:
    case CONN_CMD_RCV_NXT:
        return 1;
    case CONN_CMD_SND:
        return 3;
    case CONN_CMD_ACK_NOW:
        return 0;
    default:
        return -1;
    }
}

static uint32_t rd_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The lowest offset of an argument out of range, or 64 (none). */
static uint32_t range_check(const struct toe_admin_cmd *c)
{
    switch (c->opcode) {
    case ADMIN_OP_SET_MAC: {
        uint32_t any = 0;

        if (c->arg0 & ~1u)
            return 8;
        for (int i = 0; i < 6; i++)
            any |= c->data[i];
        /* As Linux's is_valid_ether_addr(): not a group address, not zero. */
        if ((c->data[0] & 1u) || any == 0)
            return 32;
        return 64;
    }
    case ADMIN_OP_SET_IPV4:
        return c->arg1 > 32 ? 12 : 64;
    case ADMIN_OP_CONN_MODIFY:
        return modify_args(c->arg0) < 0 ? 8 : 64;
    case ADMIN_OP_STATS:
        return (c->arg0 & ~1u) ? 8 : 64;
    case ADMIN_OP_SET_IRQ_MOD:
        return c->arg0 >= MSIX_VECTORS ? 8 : 64;
    case ADMIN_OP_SET_RX_CFG:
        return rd_le32(c->data) == 0 ? 32 : 64; /* the timestamp clock must tick */
    default:
        return 64;
    }
}

/*
 * The checks every command passes, in this order: the opcode (BAD_OPCODE);
 * every byte the opcode does not use is 0 and every argument is in range
 * (BAD_FIELD, val0 = the lowest offending field, val1 = 0: in the admin_cmd);
 * conn_id below CONN_MAX (BAD_CONN, val0 = CONN_MAX); len large enough
 * (BUF_SMALL, val0 = bytes needed). Returns 0 when the command may run.
 */
int fw_validate(struct toe_fw *fw, struct fw_res *res)
{
    const struct toe_admin_cmd *c = &fw->cmd;
    const uint8_t *b = (const uint8_t *)c;
    const struct op_rule *r;
    uint32_t data_bytes, bad = 64;

    if (c->opcode == 0 || c->opcode > ADMIN_OP_SELF_TEST) {
        res->status = ADMIN_STATUS_BAD_OPCODE;
        return -1;
    }
    r = &rules[c->opcode];
    data_bytes = r->data_bytes;
    if (c->opcode == ADMIN_OP_CONN_MODIFY) {
        int n = modify_args(c->arg0);

        data_bytes = n < 0 ? ADMIN_MAX_INLINE : 4u * (uint32_t)n; /* a bad op is reported at 8 */
    }
    for (uint32_t i = 0; i < 64; i++) {
        int may = i < 32 ? (int)(((r->used | U_ALWAYS) >> i) & 1u) : (i - 32 < data_bytes);

        if (b[i] != 0 && !may) {
            bad = field_of(i);
            break;
        }
    }
    {
        uint32_t rb = range_check(c);

        if (rb < bad)
            bad = rb;
    }
    if (bad < 64) {
        res->status = ADMIN_STATUS_BAD_FIELD;
        res->val0 = bad;
        return -1;
    }
    if (r->conn && c->conn_id >= fw->conn_max) {
        res->status = ADMIN_STATUS_BAD_CONN;
        res->val0 = fw->conn_max;
        return -1;
    }
    if (r->need && c->len < r->need) {
        res->status = ADMIN_STATUS_BUF_SMALL;
        res->val0 = r->need;
        return -1;
    }
    if (r->need && fw_buf_wraps(c->addr, r->need)) {
        res->status = ADMIN_STATUS_DMA_FAULT;
        return -1;
    }
    return 0;
}

/* IDENTIFY: the device's constants, the window's configuration, our state. */
void fw_cmd_identify(struct toe_fw *fw, struct fw_res *res)
{
    struct toe_admin_identify id;
    uint32_t mac_lo = fw_rd(fw, FW_MAC_LO), mac_hi = fw_rd(fw, FW_MAC_HI);

    fw_zero(&id, sizeof(id));
    id.if_version = IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR;
    id.fw_version = TOE_FW_VERSION;
    /* The window has no REG_FEATURES: this firmware is built for the
     * reference device, which has every offload. */
    id.features = FEATURE_TX_CSUM | FEATURE_TSO | FEATURE_RX_CSUM | FEATURE_RX_PLACE |
                  FEATURE_HW_ACK;
    id.conn_max = fw->conn_max;
    id.msix_vectors = MSIX_VECTORS;
    id.queues = DEV_QUEUES;
    id.tick_ns = DEV_TICK_CYCLES * DEV_CLK_PS / 1000u;
    id.clk_mhz = DEV_CLK_MHZ;
    id.width_bytes = DEV_WIDTH_BITS / 8u;
    id.mbox_size = FW_MBOX_SIZE;
    for (int i = 0; i < 4; i++)
        id.mac[i] = (uint8_t)(mac_lo >> (8 * i));
    id.mac[4] = (uint8_t)mac_hi;
    id.mac[5] = (uint8_t)(mac_hi >> 8);
    id.prefix_len = fw->prefix_len;
    id.mac_filter = (uint8_t)(fw_rd(fw, FW_RX_FILTER) & 1u);
    id.ipv4 = fw_rd(fw, FW_IPV4);
    id.fw_code_bytes = fw->code_bytes;
    id.delack_ticks = fw_rd(fw, FW_DELACK_TICKS);
    id.coalesce_bytes = fw_rd(fw, FW_COALESCE_BYTES);
    id.ts_ticks = fw_rd(fw, FW_TS_TICKS);
    fw_mbox_write(fw, MB_DATA, &id, sizeof(id));
    res->status = fw_dma(fw, fw->cmd.addr, MB_DATA, sizeof(id), 1);
    if (res->status == 0)
        res->val0 = sizeof(id);
}

/* Counters minus the baseline of the last clear (mod 2^32), to the host;
 * arg0 bit 0 makes what was read the new baseline - only once it is delivered. */
void fw_cmd_stats(struct toe_fw *fw, struct fw_res *res)
{
    uint32_t raw[FW_STATS_NUM];

    fw_read_counters(fw, raw);
    for (uint32_t i = 0; i < FW_STATS_NUM; i++)
        fw_mbox_wr(fw, MB_DATA + 4 * i, raw[i] - fw->baseline[i]);
    res->status = fw_dma(fw, fw->cmd.addr, MB_DATA, FW_STATS_BYTES, 1);
    if (res->status != 0)
        return;
    res->val0 = FW_STATS_BYTES;
    if (fw->cmd.arg0 & 1u)
        for (uint32_t i = 0; i < FW_STATS_NUM; i++)
            fw->baseline[i] = raw[i];
}

/*
 * The admin RESET (datapath reset): every connection the firmware installed
 * leaves the table with its TX context, and the counters are baselined (STATS
 * reports from 0). Configuration (MAC, IPv4, filter, RX settings, moderation)
 * stays; the queues are BAR0's, which the window cannot reach: the driver stops
 * TXQ..EVQ itself (docs/device.md). val0 = connections removed.
 */
void fw_cmd_reset(struct toe_fw *fw, struct fw_res *res)
{
    uint32_t removed = 0;

    for (uint32_t id = 0; id < fw->conn_max; id++) {
        if (fw->installed[id >> 5] == 0) {
            id |= 31u; /* a whole word of free ids */
            continue;
        }
        if (!fw_is_installed(fw, id))
            continue;
        if (fw_conn_cmd(fw, CONN_CMD_DELETE, id, 0, 0, 0) != CONN_STATUS_OK)
            fw->cnt.hw_errors++; /* we installed it: the table should have it */
        fw_txctx(fw, FW_TXCTX_CLEAR, id, MB_PROBE);
        fw_set_installed(fw, id, 0);
        removed++;
    }
    fw_read_counters(fw, fw->baseline);
    res->val0 = removed;
}

void fw_cmd_set_mac(struct toe_fw *fw, struct fw_res *res)
{
    const uint8_t *m = fw->cmd.data;

    (void)res;
    fw_wr(fw, FW_MAC_LO, rd_le32(m));
    fw_wr(fw, FW_MAC_HI, (uint32_t)m[4] | (uint32_t)m[5] << 8);
    fw_wr(fw, FW_RX_FILTER, fw->cmd.arg0 & 1u);
}

void fw_cmd_set_ipv4(struct toe_fw *fw, struct fw_res *res)
{
    (void)res;
    fw_wr(fw, FW_IPV4, fw->cmd.arg0);
    fw->prefix_len = (uint8_t)fw->cmd.arg1;
}

void fw_cmd_set_irq_mod(struct toe_fw *fw, struct fw_res *res)
{
    uint32_t v = fw->cmd.arg0;

    (void)res;
    fw_wr(fw, FW_VEC_BASE + 8 * v, fw->cmd.arg1);
    fw_wr(fw, FW_VEC_BASE + 8 * v + 4, rd_le32(fw->cmd.data));
}

void fw_cmd_set_rx_cfg(struct toe_fw *fw, struct fw_res *res)
{
    (void)res;
    fw_wr(fw, FW_DELACK_TICKS, fw->cmd.arg0);
    fw_wr(fw, FW_COALESCE_BYTES, fw->cmd.arg1);
    fw_wr(fw, FW_TS_TICKS, rd_le32(fw->cmd.data));
}

/* The window's configuration at its reset values (after a function-level
 * reset the hardware has them already; writing them makes it so whatever the
 * firmware found). */
void fw_config_reset(struct toe_fw *fw)
{
    fw_wr(fw, FW_MAC_LO, 0);
    fw_wr(fw, FW_MAC_HI, 0);
    fw_wr(fw, FW_IPV4, 0);
    fw_wr(fw, FW_RX_FILTER, 0);
    fw_wr(fw, FW_DELACK_TICKS, DELACK_TICKS_DEFAULT);
    fw_wr(fw, FW_COALESCE_BYTES, RX_EVENT_COALESCE_DEFAULT);
    fw_wr(fw, FW_TS_TICKS, FW_TS_TICKS_RESET);
    for (uint32_t v = 0; v < MSIX_VECTORS; v++) {
        fw_wr(fw, FW_VEC_BASE + 8 * v, 0);
        fw_wr(fw, FW_VEC_BASE + 8 * v + 4, 0);
    }
    fw->prefix_len = 0;
}
