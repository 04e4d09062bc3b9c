/*
 * The fake management window (fake_fw_window.h): registers, mailbox, mover,
 * command port, TX contexts and counters, from the documents alone.
 */
#include "fake_fw_window.h"

#include <stdlib.h>
#include <string.h>

#define CMD_AREA (FW_CMD_RSP_OFF + 16u + 128u) /* conn_cmd .. a READ's rx_ctx */

struct fake_win *fake_new(uint32_t conn_max, uint64_t host_base, uint32_t host_size)
{
    struct fake_win *f = calloc(1, sizeof(*f));

    f->conn_max = conn_max;
    f->host_base = host_base;
    f->host_size = host_size;
    f->host = calloc(1, host_size);
    f->installed = calloc(conn_max, 1);
    f->rx = calloc(conn_max, sizeof(*f->rx));
    f->tx = calloc(conn_max, sizeof(*f->tx));
    f->tx_valid = calloc(conn_max, 1);
    f->id = DEV_ID_MAGIC;
    fake_flr(f);
    return f;
}

void fake_free(struct fake_win *f)
{
    if (!f)
        return;
    free(f->host);
    free(f->installed);
    free(f->rx);
    free(f->tx);
    free(f->tx_valid);
    free(f);
}

void fake_flr(struct fake_win *f)
{
    memset(&f->asq, 0, sizeof(f->asq));
    memset(&f->acq, 0, sizeof(f->acq));
    memset(f->installed, 0, f->conn_max);
    memset(f->rx, 0, f->conn_max * sizeof(*f->rx));
    memset(f->tx, 0, f->conn_max * sizeof(*f->tx));
    memset(f->tx_valid, 0, f->conn_max);
    memset(f->tx_cnt, 0, sizeof(f->tx_cnt));
    memset(f->rx_cnt, 0, sizeof(f->rx_cnt));
    memset(f->dev_cnt, 0, sizeof(f->dev_cnt));
    f->dev_cnt[DEV_CNT_RESETS] = 1;
    memset(f->vec, 0, sizeof(f->vec));
    f->mac_lo = f->mac_hi = f->ipv4 = f->rx_filter = 0;
    f->delack = DELACK_TICKS_DEFAULT;
    f->coalesce = RX_EVENT_COALESCE_DEFAULT;
    f->ts_ticks = 100;
    f->dma_host_lo = f->dma_host_hi = f->dma_len = f->dma_mbox_off = f->dma_result = 0;
    f->cmd_mbox_off = f->cmd_result = 0;
    f->txctx_conn = f->txctx_mbox_off = f->txctx_status = 0;
    f->attn_reset = 1;
    f->fw_ready = 0;
}

void fake_clear_logs(struct fake_win *f)
{
    f->n_cmds = 0;
    f->n_txops = 0;
    f->n_ctrl = 0;
    f->dma_ops = f->dma_to_host = f->dma_faults = f->dma_gos = 0;
}

uint8_t *fake_host(struct fake_win *f, uint64_t addr, uint32_t len)
{
    /* [addr, addr + len) inside [host_base, host_base + host_size), no wrap */
    if (len == 0 || addr < f->host_base || addr - f->host_base > f->host_size ||
        len > f->host_size - (addr - f->host_base))
        return NULL;
    return f->host + (addr - f->host_base);
}

void fake_ring_enable(struct fake_win *f, struct fake_ring *r, uint64_t base, uint32_t log2)
{
    uint32_t bytes = (r == &f->asq ? 64u : 16u) << log2;
    uint8_t *mem = fake_host(f, base, bytes);

    /* As a driver does: a completion ring starts zeroed, so that entries left
     * from before do not pass the phase check. */
    if (mem)
        memset(mem, 0, bytes);
    r->base = base;
    r->log2 = log2;
    r->prod = r->cons = 0;
    r->enabled = 1;
}

void fake_submit(struct fake_win *f, const struct toe_admin_cmd *cmd)
{
    uint32_t size = 1u << f->asq.log2;
    uint8_t *slot = fake_host(f, f->asq.base + 64u * (f->asq.prod & (size - 1)), 64);

    if (f->asq.prod - f->asq.cons >= size) {
        f->violations++; /* the test overfilled its own ring */
        return;
    }
    if (slot)
        memcpy(slot, cmd, 64);
    f->asq.prod++;
}

int fake_take_cpl(struct fake_win *f, struct toe_admin_cpl *cpl)
{
    uint32_t size = 1u << f->acq.log2;
    uint8_t *slot = fake_host(f, f->acq.base + 16u * (f->acq.cons & (size - 1)), 16);
    uint8_t phase = (uint8_t)(((f->acq.cons >> f->acq.log2) & 1u) ^ 1u);

    if (!slot)
        return 0;
    memcpy(cpl, slot, 16);
    if ((cpl->flags & 1u) != phase)
        return 0;
    f->acq.cons++;
    return 1;
}

void fake_table_put(struct fake_win *f, uint32_t id, const struct toe_rx_ctx *rx,
                    const struct toe_tx_ctx *tx)
{
    f->installed[id] = 1;
    f->rx[id] = *rx;
    memcpy(f->tx[id], tx, 48);
    f->tx_valid[id] = 1;
}

/* ---- the mover --------------------------------------------------------------------- */

static void dma_go(struct fake_win *f, uint32_t ctrl)
{
    uint64_t host = (uint64_t)f->dma_host_hi << 32 | f->dma_host_lo;
    uint32_t len = f->dma_len, off = f->dma_mbox_off;
    uint8_t *p;

    f->dma_busy_left = f->busy_reads;
    if (++f->dma_gos == f->dma_bad_arg_at) {
        f->dma_result = FW_DMA_BAD_ARG;
        return;
    }
    if (len == 0 || len > FW_MBOX_SIZE || off > FW_MBOX_SIZE || off + len > FW_MBOX_SIZE) {
        f->dma_result = FW_DMA_BAD_ARG;
        return;
    }
    p = fake_host(f, host, len);
    if (!p) {
        f->dma_result = FW_DMA_FAULT;
        f->dma_faults++;
        return;
    }
    f->dma_ops++;
    if (ctrl & FW_DMA_TO_HOST) {
        memcpy(p, f->mbox + off, len);
        if (f->dma_flip_len && len == f->dma_flip_len)
            p[len / 2] ^= 0x10;
        f->dma_to_host++;
    } else {
        memcpy(f->mbox + off, p, len);
    }
    f->dma_result = 0;
}

/* ---- the connection-command port ------------------------------------------------------ */

static int lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static int le(uint32_t a, uint32_t b) { return !lt(b, a); }

static int bad_ctx(const struct toe_rx_ctx *c)
{
    uint32_t size;

    if (c->buf_size_log2 < 6 || c->buf_size_log2 > 30 || (c->buf_base & 63u))
        return 1;
    if (c->rcv_wscale > 14 || c->snd_wscale > 14 || c->mss < MSS_MIN || c->mss > MSS_MAX)
        return 1;
    size = 1u << c->buf_size_log2;
    return c->rcv_nxt - c->rcv_read > size;
}

static int tuple_taken(const struct fake_win *f, const struct toe_rx_ctx *c)
{
    for (uint32_t i = 0; i < f->conn_max; i++)
        if (f->installed[i] && f->rx[i].local_ip == c->local_ip &&
            f->rx[i].remote_ip == c->remote_ip && f->rx[i].local_port == c->local_port &&
            f->rx[i].remote_port == c->remote_port)
            return 1;
    return 0;
}

static uint8_t conn_exec(struct fake_win *f, const struct toe_conn_cmd *c, const uint8_t *ctx,
                         uint8_t *read_out)
{
    struct toe_rx_ctx *e;

    if (c->op < CONN_CMD_INSERT || c->op > CONN_CMD_ACK_NOW)
        return CONN_STATUS_BAD_OP;
    if (c->conn_id >= f->conn_max)
        return CONN_STATUS_BAD_ID;
    e = &f->rx[c->conn_id];
    if (c->op == CONN_CMD_INSERT) {
        struct toe_rx_ctx n;

        memcpy(&n, ctx, sizeof(n));
        if (f->installed[c->conn_id])
            return CONN_STATUS_BUSY;
        if (bad_ctx(&n))
            return CONN_STATUS_BAD_CTX;
        if (tuple_taken(f, &n))
            return CONN_STATUS_EXISTS;
        n.ev_rx_bytes = 0;
        n.dupacks = n.segs_unacked = n.pend = 0;
        n.segs_in = n.bytes_in = n.acks_out = 0;
        *e = n;
        f->installed[c->conn_id] = 1;
        return CONN_STATUS_OK;
    }
    if (!f->installed[c->conn_id])
        return CONN_STATUS_NOT_FOUND;
    switch (c->op) {
    case CONN_CMD_DELETE:
        f->installed[c->conn_id] = 0;
        return CONN_STATUS_OK;
    case CONN_CMD_READ:
        memcpy(read_out, e, sizeof(*e));
        if (f->read_ctx_flip)
            read_out[50] ^= 0x01;
        return CONN_STATUS_OK;
    case CONN_CMD_RCV_READ:
        if (!le(e->rcv_read, c->arg0) || !le(c->arg0, e->rcv_nxt))
            return CONN_STATUS_BAD_ARG;
        e->rcv_read = c->arg0;
        return CONN_STATUS_OK;
    case CONN_CMD_RCV_NXT:
        if (!le(e->rcv_nxt, c->arg0) || !le(c->arg0, e->rcv_read + (1u << e->buf_size_log2)))
            return CONN_STATUS_BAD_ARG;
        e->rcv_nxt = c->arg0;
        return CONN_STATUS_OK;
    case CONN_CMD_SND:
        if (!le(c->arg1, c->arg0))
            return CONN_STATUS_BAD_ARG;
        e->snd_nxt = c->arg0;
        e->snd_una = c->arg1;
        e->snd_wnd = c->arg2;
        if (c->arg2 > e->max_snd_wnd)
            e->max_snd_wnd = c->arg2;
        return CONN_STATUS_OK;
    default: /* ACK_NOW */
        e->acks_out++;
        return CONN_STATUS_OK;
    }
}

static void cmd_go(struct fake_win *f)
{
    uint32_t off = f->cmd_mbox_off;
    struct toe_conn_cmd c;
    struct toe_conn_rsp r;
    uint8_t status;

    f->cmd_busy_left = f->busy_reads;
    if ((off & 3u) || off > FW_MBOX_SIZE || off + CMD_AREA > FW_MBOX_SIZE || f->cmd_bad_off_next) {
        f->cmd_bad_off_next = 0;
        f->cmd_result = 2u; /* BAD_OFF */
        return;
    }
    f->cmd_result = 0;
    memcpy(&c, f->mbox + off, sizeof(c));
    if (f->n_cmds < FAKE_LOG_MAX) {
        f->cmds[f->n_cmds].cmd = c;
        memcpy(&f->cmds[f->n_cmds].ctx, f->mbox + off + 32, 128);
        f->n_cmds++;
    }
    if (f->script_pos < f->n_script)
        status = f->script[f->script_pos++];
    else
        status = conn_exec(f, &c, f->mbox + off + 32, f->mbox + off + FW_CMD_RSP_OFF + 16);
    memset(&r, 0, sizeof(r));
    r.tag = (uint16_t)(c.tag + (f->rsp_wrong_tag ? 1 : 0));
    r.conn_id = c.conn_id;
    r.op = c.op;
    r.status = status;
    memcpy(f->mbox + off + FW_CMD_RSP_OFF, &r, sizeof(r));
}

/* ---- TX contexts ------------------------------------------------------------------- */

static void txctx_go(struct fake_win *f, uint32_t op)
{
    uint32_t id = f->txctx_conn, off = f->txctx_mbox_off;

    if (id >= f->conn_max || off > FW_MBOX_SIZE || off + 48 > FW_MBOX_SIZE ||
        op < FW_TXCTX_WRITE || op > FW_TXCTX_CLEAR) {
        f->txctx_status = FW_TXCTX_BAD_ID;
    } else if (op == FW_TXCTX_WRITE) {
        memcpy(f->tx[id], f->mbox + off, 48);
        f->tx_valid[id] = 1;
        f->txctx_status = 0;
    } else if (op == FW_TXCTX_READ) {
        memcpy(f->mbox + off, f->tx[id], 48);
        f->txctx_status = f->tx_valid[id] ? FW_TXCTX_VALID : 0;
    } else {
        memset(f->tx[id], 0, 48);
        f->tx_valid[id] = 0;
        f->txctx_status = 0;
    }
    if (f->n_txops < FAKE_LOG_MAX)
        f->txops[f->n_txops++] = (struct fake_txop){op, id, f->txctx_status};
}

/* ---- register access ---------------------------------------------------------------- */

static uint32_t ring_reg_rd(const struct fake_ring *r, uint32_t rel, int *ok)
{
    switch (rel) {
    case 0x0: return (uint32_t)r->base;
    case 0x4: return (uint32_t)(r->base >> 32);
    case 0x8: return r->log2;
    case 0xc: return r->prod;
    case 0x10: return r->cons;
    case 0x14: return r->enabled;
    default: *ok = 0; return 0;
    }
}

uint32_t fake_rd(void *arg, uint32_t off)
{
    struct fake_win *f = arg;
    int ok = 1;
    uint32_t v = 0;

    f->reads++;
    if (off & 3u) {
        f->violations++;
        return 0;
    }
    if (off >= FW_MBOX && off < FW_MBOX + FW_MBOX_SIZE) {
        memcpy(&v, f->mbox + (off - FW_MBOX), 4);
        return v;
    }
    if (off >= FW_VEC_BASE && off < FW_VEC_BASE + 8 * MSIX_VECTORS)
        return f->vec[(off - FW_VEC_BASE) / 4];
    if (off >= FW_TX_CNT_BASE && off < FW_TX_CNT_BASE + 4 * TX_CNT_NUM)
        return f->tx_cnt[(off - FW_TX_CNT_BASE) / 4];
    if (off >= FW_RX_CNT_BASE && off < FW_RX_CNT_BASE + 4 * RX_CNT_NUM)
        return f->rx_cnt[(off - FW_RX_CNT_BASE) / 4];
    if (off >= FW_DEV_CNT_BASE && off < FW_DEV_CNT_BASE + 4 * DEV_CNT_NUM)
        return f->dev_cnt[(off - FW_DEV_CNT_BASE) / 4];
    if ((off >= FW_ASQ_BASE_LO && off <= FW_ASQ_CTRL) || (off >= FW_ACQ_BASE_LO && off <= FW_ACQ_CTRL)) {
        if (off >= FW_ACQ_BASE_LO)
            v = ring_reg_rd(&f->acq, off - FW_ACQ_BASE_LO, &ok);
        else
            v = ring_reg_rd(&f->asq, off - FW_ASQ_BASE_LO, &ok);
        if (!ok)
            f->violations++;
        return v;
    }
    switch (off) {
    case FW_ID: return f->id;
    case FW_ATTN:
        return (f->asq.enabled && f->asq.prod != f->asq.cons ? FW_ATTN_ASQ : 0u) |
               (f->attn_reset ? FW_ATTN_RESET : 0u);
    case FW_NOW_TICK: return 0;
    case FW_CONN_MAX: return f->conn_max;
    case FW_DMA_HOST_LO: return f->dma_host_lo;
    case FW_DMA_HOST_HI: return f->dma_host_hi;
    case FW_DMA_LEN: return f->dma_len;
    case FW_DMA_MBOX_OFF: return f->dma_mbox_off;
    case FW_DMA_STATUS:
        if (f->dma_busy_left) {
            f->dma_busy_left--;
            f->busy_seen++;
            return FW_DMA_BUSY;
        }
        return f->dma_result;
    case FW_CMD_MBOX_OFF: return f->cmd_mbox_off;
    case FW_CMD_STATUS:
        if (f->cmd_busy_left) {
            f->cmd_busy_left--;
            f->busy_seen++;
            return 1u;
        }
        return f->cmd_result;
    case FW_TXCTX_CONN: return f->txctx_conn;
    case FW_TXCTX_MBOX_OFF: return f->txctx_mbox_off;
    case FW_TXCTX_STATUS: return f->txctx_status;
    case FW_MAC_LO: return f->mac_lo;
    case FW_MAC_HI: return f->mac_hi;
    case FW_IPV4: return f->ipv4;
    case FW_RX_FILTER: return f->rx_filter;
    case FW_DELACK_TICKS: return f->delack;
    case FW_COALESCE_BYTES: return f->coalesce;
    case FW_TS_TICKS: return f->ts_ticks;
    default:
        f->violations++; /* FW_CTRL, DMA_CTRL, CMD_CTRL, TXCTX_CTRL are write-only; holes */
        return 0;
    }
}

void fake_wr(void *arg, uint32_t off, uint32_t val)
{
    struct fake_win *f = arg;

    f->writes++;
    if (off & 3u) {
        f->violations++;
        return;
    }
    if (off >= FW_MBOX && off < FW_MBOX + FW_MBOX_SIZE) {
        if (f->mbox_stuck && off - FW_MBOX == f->mbox_stuck_off)
            val |= f->mbox_stuck_mask;
        memcpy(f->mbox + (off - FW_MBOX), &val, 4);
        return;
    }
    if (off >= FW_VEC_BASE && off < FW_VEC_BASE + 8 * MSIX_VECTORS) {
        f->vec[(off - FW_VEC_BASE) / 4] = val;
        return;
    }
    switch (off) {
    case FW_CTRL:
        if (f->n_ctrl < 16)
            f->ctrl_log[f->n_ctrl++] = val;
        if (val & ~7u)
            f->violations++;
        if ((val & FW_CTRL_RESET_ACK) && !f->reset_ack_ignored)
            f->attn_reset = 0;
        if (val & FW_CTRL_READY)
            f->fw_ready = 1;
        if (val & FW_CTRL_NOT_READY)
            f->fw_ready = 0;
        return;
    case FW_ASQ_CONS:
        /* The firmware takes one entry at a time, never past PROD. */
        if (val != f->asq.cons + 1u || f->asq.prod - f->asq.cons == 0)
            f->violations++;
        f->asq.cons = val;
        return;
    case FW_ACQ_PROD:
        if (val != f->acq.prod + 1u || f->acq.prod - f->acq.cons >= (1u << f->acq.log2))
            f->violations++;
        f->acq.prod = val;
        return;
    case FW_DMA_HOST_LO: f->dma_host_lo = val; return;
    case FW_DMA_HOST_HI: f->dma_host_hi = val; return;
    case FW_DMA_LEN: f->dma_len = val; return;
    case FW_DMA_MBOX_OFF: f->dma_mbox_off = val; return;
    case FW_DMA_CTRL:
        if (val & FW_DMA_GO)
            dma_go(f, val);
        if (val & ~3u)
            f->violations++;
        return;
    case FW_CMD_MBOX_OFF: f->cmd_mbox_off = val; return;
    case FW_CMD_CTRL:
        if (val == 1u)
            cmd_go(f);
        else
            f->violations++;
        return;
    case FW_TXCTX_CONN: f->txctx_conn = val; return;
    case FW_TXCTX_MBOX_OFF: f->txctx_mbox_off = val; return;
    case FW_TXCTX_CTRL: txctx_go(f, val); return;
    case FW_MAC_LO: f->mac_lo = val; return;
    case FW_MAC_HI:
        if (val >> 16)
            f->violations++;
        f->mac_hi = val & 0xffffu;
        return;
    case FW_IPV4: f->ipv4 = val; return;
    case FW_RX_FILTER:
        if (val >> 1)
            f->violations++;
        f->rx_filter = val & 1u;
        return;
    case FW_DELACK_TICKS: f->delack = val; return;
    case FW_COALESCE_BYTES: f->coalesce = val; return;
    case FW_TS_TICKS: f->ts_ticks = val; return;
    default:
        f->violations++; /* read-only or no register */
        return;
    }
}

static uint32_t fake_poll(void *arg, uint32_t off, uint32_t mask, uint32_t want)
{
    struct fake_win *f = arg;
    uint32_t v = 0;

    for (int i = 0; i < FAKE_POLL_LIMIT; i++) {
        v = fake_rd(f, off);
        if ((v & mask) == want)
            return v;
    }
    f->poll_timeouts++;
    return v;
}

struct toe_fw_bus fake_bus(struct fake_win *f)
{
    struct toe_fw_bus b = {fake_rd, fake_wr, fake_poll, f};

    return b;
}
