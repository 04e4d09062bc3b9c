/*
 * Commands and ticks: docs/rx-datapath.md, "Commands" and "Ticks: delayed
 * ACKs and coalesced events".  Contracts in toe_rx_model.h.
 */
#include <assert.h>
#include <string.h>

#include "toe_rx_priv.h"
#include "toe_rx_seq.h"

static struct toe_conn_key ctx_key(const struct toe_rx_ctx *c)
{
    struct toe_conn_key k;

    memset(&k, 0, sizeof(k));
    k.local_ip = c->local_ip;
    k.remote_ip = c->remote_ip;
    k.local_port = c->local_port;
    k.remote_port = c->remote_port;
    return k;
}

/* INSERT's BAD_CTX rule: values the datapath cannot work with. */
static int ctx_ok(const struct toe_rx_ctx *c)
{
    /* The bytes between rcv_read and rcv_nxt must fit the ring, or the free
     * space (and every placement after it) would wrap. */
    return c->buf_size_log2 >= 6 && c->buf_size_log2 <= 30 &&
           (c->buf_base & 63) == 0 && c->rcv_wscale <= 14 &&
           c->snd_wscale <= 14 && c->mss >= MSS_MIN && c->mss <= MSS_MAX &&
           c->rcv_nxt - c->rcv_read <= (1u << c->buf_size_log2);
}

static uint8_t cmd_insert(struct toe_rx_model *m, uint16_t id,
                          const struct toe_rx_ctx *given)
{
    static const struct toe_rx_ctx zero_ctx;
    struct toe_rx_ctx *c;
    struct toe_conn_key k;
    uint8_t st;

    if (!given)
        given = &zero_ctx;
    if (id >= m->conn_max)
        return CONN_STATUS_BAD_ID;
    if (toe_rx_installed(m, id))
        return CONN_STATUS_BUSY;
    if (!ctx_ok(given))
        return CONN_STATUS_BAD_CTX;
    k = ctx_key(given);
    st = toe_conn_table_insert(m->table, &k, id); /* EXISTS, TABLE_FULL */
    if (st != CONN_STATUS_OK)
        return st;
    c = &m->ctx[id];
    *c = *given;
    /* Bookkeeping of the hardware's own starts from zero. */
    c->ev_rx_bytes = 0;
    c->dupacks = 0;
    c->segs_unacked = 0;
    c->pend = 0;
    c->segs_in = 0;
    c->bytes_in = 0;
    c->acks_out = 0;
    toe_rx_set_installed(m, id, 1);
    return CONN_STATUS_OK;
}

/* RCV_READ: the host consumed up to arg0; reopen the window if that is
 * worth an ACK (receiver SWS avoidance, RFC 9293 section 3.8.6.2.2). */
static uint8_t cmd_rcv_read(struct toe_rx_model *m, uint16_t id, uint32_t arg0)
{
    struct toe_rx_ctx *c = &m->ctx[id];
    uint32_t size, thresh, edge;

    if (!(SEQ_LEQ(c->rcv_read, arg0) && SEQ_LEQ(arg0, c->rcv_nxt)))
        return CONN_STATUS_BAD_ARG;
    c->rcv_read = arg0;
    size = toe_rx_ring_size(c);
    thresh = 2u * c->mss < size / 2 ? 2u * c->mss : size / 2;
    edge = c->rcv_nxt + ((uint32_t)toe_rx_ack_window(c) << c->rcv_wscale);
    if (toe_seq_diff(edge, c->rcv_adv) >= (int32_t)thresh)
        toe_rx_send_ack(m, id, ACK_WHY_WND_UPDATE);
    return CONN_STATUS_OK;
}

static uint8_t cmd_rcv_nxt(struct toe_rx_model *m, uint16_t id, uint32_t arg0)
{
    struct toe_rx_ctx *c = &m->ctx[id];

    if (!(SEQ_LEQ(c->rcv_nxt, arg0) &&
          SEQ_LEQ(arg0, c->rcv_read + toe_rx_ring_size(c))))
        return CONN_STATUS_BAD_ARG;
    c->rcv_nxt = arg0;
    return CONN_STATUS_OK;
}

static uint8_t cmd_snd(struct toe_rx_model *m, uint16_t id,
                       const struct toe_conn_cmd *cmd)
{
    struct toe_rx_ctx *c = &m->ctx[id];

    if (!SEQ_LEQ(cmd->arg1, cmd->arg0))
        return CONN_STATUS_BAD_ARG;
    c->snd_nxt = cmd->arg0;
    c->snd_una = cmd->arg1;
    c->snd_wnd = cmd->arg2;
    if (cmd->arg2 > c->max_snd_wnd)
        c->max_snd_wnd = cmd->arg2;
    return CONN_STATUS_OK;
}

/* The status of cmd, carrying it out if it is OK. */
static uint8_t run_cmd(struct toe_rx_model *m, const struct toe_conn_cmd *cmd,
                       const struct toe_rx_ctx *ctx)
{
    uint16_t id = cmd->conn_id;
    struct toe_conn_key k;

    if (cmd->op < CONN_CMD_INSERT || cmd->op > CONN_CMD_ACK_NOW)
        return CONN_STATUS_BAD_OP;
    if (cmd->op == CONN_CMD_INSERT)
        return cmd_insert(m, id, ctx);
    if (id >= m->conn_max)
        return CONN_STATUS_BAD_ID;
    if (!toe_rx_installed(m, id))
        return CONN_STATUS_NOT_FOUND;

    switch (cmd->op) {
    case CONN_CMD_DELETE:
        /* Leaving the installed set ends its pending DATA, TX_UPDATE and
         * delayed ACK: ticks only visit installed entries. */
        k = ctx_key(&m->ctx[id]);
        toe_conn_table_remove(m->table, &k);
        toe_rx_set_installed(m, id, 0);
        return CONN_STATUS_OK;
    case CONN_CMD_READ:
        return CONN_STATUS_OK; /* the entry goes out with the response */
    case CONN_CMD_RCV_READ:
        return cmd_rcv_read(m, id, cmd->arg0);
    case CONN_CMD_RCV_NXT:
        return cmd_rcv_nxt(m, id, cmd->arg0);
    case CONN_CMD_SND:
        return cmd_snd(m, id, cmd);
    case CONN_CMD_ACK_NOW:
        toe_rx_send_ack(m, id, ACK_WHY_HOST);
        return CONN_STATUS_OK;
    default:
        assert(0);
        return CONN_STATUS_BAD_OP;
    }
}

void toe_rx_cmd(struct toe_rx_model *m, const struct toe_conn_cmd *cmd,
                const struct toe_rx_ctx *ctx)
{
    struct toe_conn_rsp rsp;
    uint8_t st = run_cmd(m, cmd, ctx);

    memset(&rsp, 0, sizeof(rsp));
    rsp.tag = cmd->tag;
    rsp.conn_id = cmd->conn_id;
    rsp.op = cmd->op;
    rsp.status = st;
    m->cnt[RX_CNT_CMDS]++;
    if (st != CONN_STATUS_OK)
        m->cnt[RX_CNT_CMD_ERRORS]++;
    if (m->out.response)
        m->out.response(m->out.arg, &rsp,
                        (st == CONN_STATUS_OK && cmd->op == CONN_CMD_READ)
                            ? &m->ctx[cmd->conn_id]
                            : NULL);
}

/* The tick work of one installed connection, in the contract's order. */
static void tick_conn(struct toe_rx_model *m, uint16_t id)
{
    struct toe_rx_ctx *c = &m->ctx[id];

    if (c->ev_rx_bytes > 0) {
        toe_rx_emit_event(m, RX_EV_DATA, 0, id, c->rcv_nxt, c->ev_rx_bytes);
        c->ev_rx_bytes = 0;
    }
    if (c->pend & TOE_RX_PEND_TX_UPDATE) {
        uint8_t flags = (uint8_t)(((c->pend & TOE_RX_PEND_ACKED) ? EV_FLAG_ACKED : 0) |
                                  ((c->pend & TOE_RX_PEND_WND) ? EV_FLAG_WND : 0));

        toe_rx_emit_event(m, RX_EV_TX_UPDATE, flags, id, c->snd_una, c->snd_wnd);
        c->pend &= (uint8_t)~TOE_RX_PEND_TX_UPDATE;
    }
    if ((c->pend & TOE_RX_PEND_DELACK) && SEQ_GEQ(m->now, c->delack_deadline))
        toe_rx_send_ack(m, id, ACK_WHY_DELAYED);
}

void toe_rx_tick(struct toe_rx_model *m)
{
    uint32_t words = (m->conn_max + 63) / 64, i;

    m->now++;
    /* The timestamp clock moves on every cfg.ts_ticks ticks, counted here
     * in arrival order, so every input sees the value of its place in it.
     * Counting since the last step, a smaller ts_ticks takes effect at the
     * next tick; 0 and 1 both mean every tick. */
    if (m->ts_sub + 1u >= m->cfg.ts_ticks) {
        m->ts_sub = 0;
        m->ts++;
    } else {
        m->ts_sub++;
    }
    /* In conn_id order over the entries that may have work: the others'
     * tick_conn would do nothing. */
    for (i = 0; i < words; i++) {
        uint64_t bits = m->installed[i] & m->active[i];

        while (bits) {
            unsigned b = (unsigned)__builtin_ctzll(bits);
            const struct toe_rx_ctx *c = &m->ctx[i * 64 + b];

            bits &= bits - 1;
            tick_conn(m, (uint16_t)(i * 64 + b));
            if (!c->pend && !c->ev_rx_bytes)
                m->active[i] &= ~((uint64_t)1 << b);
        }
    }
}
