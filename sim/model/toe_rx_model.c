/*
 * RX engine reference model: the object, its three inputs and the output
 * helpers every step shares.  Contracts are in toe_rx_model.h and
 * toe_rx_priv.h; the behaviour is docs/rx-datapath.md.
 */
#include "toe_rx_model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "toe_rx_priv.h"

/* Reason counters are laid out in reason order (formats.md). */
_Static_assert(RX_CNT_EXC_NOT_IPV4 - 1 + RX_EXC_NOT_IPV4 == RX_CNT_EXC_NOT_IPV4 &&
                   RX_CNT_EXC_NOT_IPV4 - 1 + RX_EXC_BUF_FULL == RX_CNT_EXC_BUF_FULL &&
                   RX_CNT_EXC_NOT_IPV4 - 1 + RX_EXC_NO_CONN == RX_CNT_EXC_NO_CONN,
               "RX_CNT_EXC_* follow RX_EXC_*");
_Static_assert(RX_CNT_DROP_RUNT - 1 + RX_DROP_RUNT == RX_CNT_DROP_RUNT &&
                   RX_CNT_DROP_RUNT - 1 + RX_DROP_UDP_CSUM == RX_CNT_DROP_UDP_CSUM,
               "RX_CNT_DROP_* follow RX_DROP_*");

struct toe_rx_model *toe_rx_model_new(uint32_t conn_max,
                                      const struct toe_rx_out *out)
{
    struct toe_rx_model *m;

    if (conn_max < CONN_MAX_MIN || conn_max > CONN_MAX_MAX ||
        (conn_max & (conn_max - 1)) != 0)
        return NULL;
    m = calloc(1, sizeof(*m));
    if (!m)
        goto fail_model;
    m->conn_max = conn_max;
    if (out)
        m->out = *out;
    m->cfg.delack_ticks = DELACK_TICKS_DEFAULT;
    m->cfg.coalesce_bytes = RX_EVENT_COALESCE_DEFAULT;
    m->cfg.ts_ticks = TOE_RX_TS_TICKS_DEFAULT;
    m->table = toe_conn_table_new(conn_max);
    if (!m->table)
        goto fail_table;
    m->ctx = calloc(conn_max, sizeof(*m->ctx));
    if (!m->ctx)
        goto fail_ctx;
    m->installed = calloc((conn_max + 63) / 64, sizeof(*m->installed));
    m->active = calloc((conn_max + 63) / 64, sizeof(*m->active));
    if (!m->installed || !m->active)
        goto fail_installed;
    return m;

fail_installed:
    free(m->installed);
    free(m->active);
    free(m->ctx);
fail_ctx:
    toe_conn_table_free(m->table);
fail_table:
    free(m);
fail_model:
    return NULL;
}

void toe_rx_model_free(struct toe_rx_model *m)
{
    if (!m)
        return;
    free(m->installed);
    free(m->active);
    free(m->ctx);
    toe_conn_table_free(m->table);
    free(m);
}

void toe_rx_model_set_cfg(struct toe_rx_model *m, const struct toe_rx_cfg *cfg)
{
    m->cfg = *cfg;
}

const uint32_t *toe_rx_model_counters(const struct toe_rx_model *m)
{
    return m->cnt;
}

const struct toe_rx_ctx *toe_rx_model_ctx(const struct toe_rx_model *m,
                                          uint16_t conn_id)
{
    return toe_rx_installed(m, conn_id) ? &m->ctx[conn_id] : NULL;
}

uint32_t toe_rx_model_now(const struct toe_rx_model *m)
{
    return m->now;
}

uint32_t toe_rx_model_ts(const struct toe_rx_model *m)
{
    return m->ts;
}

uint32_t toe_rx_model_conn_max(const struct toe_rx_model *m)
{
    return m->conn_max;
}

int toe_rx_installed(const struct toe_rx_model *m, uint32_t conn_id)
{
    return conn_id < m->conn_max &&
           ((m->installed[conn_id / 64] >> (conn_id % 64)) & 1u);
}

void toe_rx_set_installed(struct toe_rx_model *m, uint32_t conn_id, int on)
{
    uint64_t bit = (uint64_t)1 << (conn_id % 64);

    assert(conn_id < m->conn_max);
    if (on)
        m->installed[conn_id / 64] |= bit;
    else
        m->installed[conn_id / 64] &= ~bit;
    m->active[conn_id / 64] &= ~bit;   /* a new or gone entry has no tick work */
}

void toe_rx_set_active(struct toe_rx_model *m, uint32_t conn_id)
{
    assert(conn_id < m->conn_max);
    m->active[conn_id / 64] |= (uint64_t)1 << (conn_id % 64);
}

void toe_rx_emit_event(struct toe_rx_model *m, uint8_t type, uint8_t flags,
                       uint16_t conn_id, uint32_t seq, uint32_t val)
{
    struct toe_rx_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.ev_type = type;
    ev.flags = flags; /* bit 7, the ring phase, belongs to the ring writer */
    ev.conn_id = conn_id;
    ev.seq = seq;
    ev.val = val;
    ev.tick = m->now;
    m->cnt[RX_CNT_EVENTS]++;
    if (m->out.event)
        m->out.event(m->out.arg, &ev);
}

void toe_rx_emit_exc(struct toe_rx_model *m, uint8_t reason, uint16_t conn_id,
                     uint8_t l3, uint8_t l4, const uint8_t *frame, size_t n)
{
    struct toe_rx_exc rec;

    assert(reason >= RX_EXC_NOT_IPV4 && reason <= RX_EXC_BUF_FULL);
    assert(n <= RX_MAX_FRAME);
    memset(&rec, 0, sizeof(rec));
    rec.reason = reason;
    rec.conn_id = conn_id;
    rec.len = (uint16_t)n;
    rec.l3_off = l3;
    rec.l4_off = l4;
    rec.tick = m->now;
    m->cnt[RX_CNT_EXC]++;
    m->cnt[RX_CNT_EXC_NOT_IPV4 - RX_EXC_NOT_IPV4 + reason]++;
    if (m->out.exception)
        m->out.exception(m->out.arg, &rec, frame, n);
}

static void drop(struct toe_rx_model *m, uint8_t reason)
{
    assert(reason >= RX_DROP_RUNT && reason <= RX_DROP_UDP_CSUM);
    m->cnt[RX_CNT_DROPS]++;
    m->cnt[RX_CNT_DROP_RUNT - RX_DROP_RUNT + reason]++;
}

void toe_rx_model_frame(struct toe_rx_model *m, const uint8_t *frame,
                        size_t len, uint32_t ts_now)
{
    struct toe_rx_parsed p;
    struct toe_conn_key key;
    int id;

    (void)ts_now; /* the timestamp clock is m->ts */

    /* FRAMES and BYTES count every frame at arrival, whatever it is. */
    m->cnt[RX_CNT_FRAMES]++;
    m->cnt[RX_CNT_BYTES] += (uint32_t)len;

    switch (toe_rx_parse(frame, len, &p)) {
    case TOE_RX_DROP:
        drop(m, p.reason);
        return;
    case TOE_RX_EXC:
        toe_rx_emit_exc(m, p.reason, TOE_RX_NO_CONN_ID, p.l3, p.l4, frame, len);
        return;
    default:
        break;
    }

    /* 10. Local is the frame's destination. */
    key.local_ip = p.dst_ip;
    key.remote_ip = p.src_ip;
    key.local_port = p.dport;
    key.remote_port = p.sport;
    id = toe_conn_table_lookup(m->table, &key);
    if (id < 0) {
        toe_rx_emit_exc(m, RX_EXC_NO_CONN, TOE_RX_NO_CONN_ID, p.l3, p.l4, frame,
                        len);
        return;
    }
    assert(toe_rx_installed(m, (uint32_t)id));
    toe_rx_segment(m, (uint16_t)id, &p, frame, len);
}

void toe_rx_model_tick(struct toe_rx_model *m, uint32_t ts_now)
{
    (void)ts_now;
    toe_rx_tick(m);
}

void toe_rx_model_cmd(struct toe_rx_model *m, const struct toe_conn_cmd *cmd,
                      const struct toe_rx_ctx *ctx, uint32_t ts_now)
{
    (void)ts_now;
    toe_rx_cmd(m, cmd, ctx);
}
