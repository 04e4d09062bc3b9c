/*
 * Idle ticks in O(1): toe_rx_model_idle() and toe_rx_model_warp().
 * Contracts in toe_rx_model.h.
 *
 * A device left alone for minutes of virtual time would otherwise run a
 * tick every 10 us, each visiting every installed connection, to find
 * nothing to do. A tick only does work for a connection with coalesced
 * bytes to report (ev_rx_bytes) or a pend bit (TX_UPDATE or a delayed
 * ACK); without those the only effects of a tick are now += 1 and the
 * timestamp clock's divider step (toe_rx_tick in toe_rx_cmd.c), and those
 * compose arithmetically.
 */
#include "toe_rx_priv.h"

int toe_rx_model_idle(const struct toe_rx_model *m)
{
    uint32_t words = (m->conn_max + 63) / 64, i;

    for (i = 0; i < words; i++) {
        uint64_t bits = m->installed[i] & m->active[i];

        while (bits) {
            const struct toe_rx_ctx *c = &m->ctx[i * 64 + (unsigned)__builtin_ctzll(bits)];

            bits &= bits - 1;
            if (c->pend != 0 || c->ev_rx_bytes != 0)
                return 0;
        }
    }
    return 1;
}

void toe_rx_model_warp(struct toe_rx_model *m, uint64_t ticks)
{
    uint64_t period, q, s;

    /* Work pending: those ticks must run one by one until it is done. */
    while (ticks > 0 && !toe_rx_model_idle(m)) {
        toe_rx_tick(m);
        ticks--;
    }
    if (ticks == 0)
        return;
    /* The first tick as toe_rx_tick() takes it: ts_sub may stand at or
     * above a ts_ticks that was lowered since it last stepped. After it,
     * ts_sub < period holds and the divider is plain arithmetic. */
    toe_rx_tick(m);
    ticks--;
    period = m->cfg.ts_ticks > 1 ? m->cfg.ts_ticks : 1; /* 0 and 1: every tick */
    q = ticks / period;
    s = (uint64_t)m->ts_sub + ticks % period; /* < 2 * period: no overflow */
    q += s / period;
    m->ts += (uint32_t)q;     /* both counters wrap at 2^32, as in hardware */
    m->ts_sub = (uint32_t)(s % period);
    m->now += (uint32_t)ticks;
}
