/*
 * Connections: the table, state changes (with the counters Linux keeps on
 * them), the options a SYN negotiates, TIME_WAIT, and the end of a
 * connection (docs/tcp.md, "The state machine").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toe_pkt.h"
#include "toe_stack_int.h"

uint32_t tcb_id(const struct toe_stack *st, const struct toe_tcb *tb) { return (uint32_t)(tb - st->tcb); }

struct toe_tcb *tcb_alloc(struct toe_stack *st, const struct toe_tuple *t)
{
    uint32_t n = st->ntcb, i = st->tcb_free_hint;

    for (uint32_t k = 0; k < n; k++, i = (i + 1 == n) ? 0 : i + 1) {
        struct toe_tcb *tb = &st->tcb[i];

        if (tb->used)
            continue;
        if (toe_demux_insert(&st->dm, t, i))
            return NULL;
        memset(tb, 0, sizeof(*tb));
        tb->used = true;
        tb->t = *t;
        tb->fd = TOE_NONE;
        tb->listener = TOE_NONE;
        tb->q_next = TOE_NONE;
        tb->heap_pos = TOE_NONE;
        tb->hw = -1;
        tb->rto_ns = TOE_RTO_INIT_NS;
        tb->owner = st->owner;
        tb->created_ns = stk_now(st);
        tb->state = TOE_TCP_CLOSE;
        st->tcb_free_hint = i + 1 == n ? 0 : i + 1;
        st->tcb_used++;
        return tb;
    }
    errno = ENOBUFS;
    return NULL;
}

static bool synchronized_open(int s)
{
    return s == TOE_TCP_ESTABLISHED || s == TOE_TCP_CLOSE_WAIT;
}

void tcb_set_state(struct toe_stack *st, struct toe_tcb *tb, int state)
{
    int old = tb->state;

    if (old == state)
        return;
    /* RFC 1213 tcpCurrEstab: connections in ESTABLISHED or CLOSE_WAIT;
     * tcpEstabResets: from those straight to CLOSED. */
    if (synchronized_open(old) && !synchronized_open(state)) {
        st->mib[MIB_CURR_ESTAB]--;
        if (state == TOE_TCP_CLOSE)
            MIB_INC(st, MIB_ESTAB_RESETS);
    } else if (!synchronized_open(old) && synchronized_open(state)) {
        MIB_INC(st, MIB_CURR_ESTAB);
    }
    /* tcpAttemptFails: SYN_SENT or SYN_RECV to CLOSED, SYN_RECV to LISTEN. */
    if ((old == TOE_TCP_SYN_SENT || old == TOE_TCP_SYN_RECV) && state == TOE_TCP_CLOSE)
        MIB_INC(st, MIB_ATTEMPT_FAILS);
    if (old == TOE_TCP_TIME_WAIT)
        st->n_tw--;
    if (state == TOE_TCP_TIME_WAIT)
        st->n_tw++;
    tb->state = (uint8_t)state;
    /* The fast path runs while ESTABLISHED; teardown is the driver's. */
    if (old == TOE_TCP_ESTABLISHED && tb->hw >= 0) {
        if (st->ops.unoffload)
            st->ops.unoffload(st->ops.arg, tb->hw);
        tb->hw = -1;
    }
    if (tb->fd != TOE_NONE)
        sock_wake(st, tb->fd);
}

void tcb_destroy(struct toe_stack *st, struct toe_tcb *tb)
{
    if (!tb->used || tb->zombie)
        return;
    tcb_set_state(st, tb, TOE_TCP_CLOSE);
    if (tb->hw >= 0 && st->ops.unoffload)
        st->ops.unoffload(st->ops.arg, tb->hw);
    tb->hw = -1;
    tb->rtx_at = tb->tw_at = tb->ka_at = tb->delack_at = 0;
    timer_update(st, tb);
    toe_demux_remove(&st->dm, &tb->t);
    if (tb->listener != TOE_NONE) {
        struct toe_sock *ls = &st->sk[tb->listener];

        if (tb->queued) {
            /* unlink from the accept queue */
            uint32_t *pp = &ls->acq_head, prev = TOE_NONE, id = tcb_id(st, tb);

            while (*pp != TOE_NONE && *pp != id) {
                prev = *pp;
                pp = &st->tcb[*pp].q_next;
            }
            if (*pp == id) {
                *pp = tb->q_next;
                if (ls->acq_tail == id)
                    ls->acq_tail = prev;
                ls->acq_len--;
            }
        } else if (ls->synq_len) {
            ls->synq_len--;
        }
        tb->listener = TOE_NONE;
        tb->queued = false;
    }
    if (tb->orphan && st->mib[MIB_TCP_ORPHANS])
        st->mib[MIB_TCP_ORPHANS]--;
    tb->orphan = false;
    free(tb->sbuf);
    tb->sbuf = NULL;
    tb->sbuf_len = 0;
    if (tb->fd != TOE_NONE) {
        /* The descriptor stays (an application still holds it): the
         * connection is CLOSED but kept, with what is left to read, until
         * close() - as a Linux socket in TCP_CLOSE. */
        tb->zombie = true;
        sock_wake(st, tb->fd);
        return;
    }
    free(tb->rbuf);
    tb->sbuf = tb->rbuf = NULL;
    tb->used = false;
    st->tcb_used--;
}

/* Free a zombie (its descriptor is being closed). */
void tcb_free(struct toe_stack *st, struct toe_tcb *tb)
{
    if (!tb->used)
        return;
    if (!tb->zombie) {
        tb->fd = TOE_NONE;
        tcb_destroy(st, tb);
    }
    if (!tb->used)
        return;
    free(tb->sbuf);
    free(tb->rbuf);
    tb->sbuf = tb->rbuf = NULL;
    tb->used = false;
    tb->zombie = false;
    st->tcb_used--;
}

void tcb_drop(struct toe_stack *st, struct toe_tcb *tb, int err)
{
    tb->so_error = err;
    tcb_destroy(st, tb);
}

/*
 * RFC 9293 3.6: TIME_WAIT holds the 4-tuple for 2 MSL. Beyond
 * tcp_max_tw_buckets the connection skips it (TCPTimeWaitOverflow), as
 * Linux's inet_twsk_alloc failing does.
 */
void tcb_enter_time_wait(struct toe_stack *st, struct toe_tcb *tb)
{
    if (st->n_tw >= (uint64_t)knob(st, TOE_KNOB_TCP_MAX_TW_BUCKETS)) {
        MIB_INC(st, MIB_TIMEWAIT_OVERFLOW);
        tcb_destroy(st, tb);
        return;
    }
    tcb_set_state(st, tb, TOE_TCP_TIME_WAIT);
    MIB_INC(st, MIB_TW);
    if (tb->hw >= 0 && st->ops.unoffload) {
        st->ops.unoffload(st->ops.arg, tb->hw);
        tb->hw = -1;
    }
    tb->rtx_at = tb->ka_at = tb->delack_at = 0;
    tb->retries = 0;
    tb->tw_since = stk_now(st);
    tb->tw_at = tb->tw_since + 2ull * (uint64_t)knob(st, TOE_KNOB_TOE_TCP_MSL) * TOE_SEC;
    /* What TIME_WAIT keeps is the tuple, the sequence numbers and TS.Recent
     * (Linux's inet_timewait_sock): the buffers go. */
    free(tb->sbuf);
    tb->sbuf = NULL;
    tb->sbuf_len = tb->sbuf_cap = 0;
    timer_update(st, tb);
}

/* The receive buffer: half of tcp_rmem[1] or of SO_RCVBUF's (doubled)
 * value, as Linux offers half its buffer as window (tcp_adv_win_scale 1). */
static uint32_t rcv_space(const struct toe_stack *st, const struct toe_tcb *tb)
{
    uint32_t r = (uint32_t)knob_i(st, TOE_KNOB_TCP_RMEM, 1);
    uint32_t fd = tb->fd != TOE_NONE ? tb->fd : tb->listener;

    if (fd != TOE_NONE && st->sk[fd].rcvbuf)
        r = (uint32_t)st->sk[fd].rcvbuf;
    return r / 2 < 2048 ? 2048 : r / 2;
}

/* Linux's first window: the largest multiple of m within min(64 KiB, buffer). */
static uint32_t first_window(const struct toe_stack *st, const struct toe_tcb *tb, uint32_t m)
{
    uint32_t space = rcv_space(st, tb);

    if (space > 65535u)
        space = 65535u;
    return space >= m ? (space / m) * m : space;
}

void tcb_init_buffers(struct toe_stack *st, struct toe_tcb *tb)
{
    uint32_t w = (uint32_t)knob_i(st, TOE_KNOB_TCP_WMEM, 1);

    if (tb->fd != TOE_NONE && st->sk[tb->fd].sndbuf)
        w = (uint32_t)st->sk[tb->fd].sndbuf;
    else if (tb->fd == TOE_NONE && tb->listener != TOE_NONE && st->sk[tb->listener].sndbuf)
        w = (uint32_t)st->sk[tb->listener].sndbuf;
    tb->rbuf_cap = rcv_space(st, tb);
    tb->sbuf_cap = w;
}

/*
 * Per-connection TSval offsets (tcp_timestamps = 1, Linux's default) only
 * without the hardware: its ACKs carry the device's timestamp clock as it
 * is, and a connection's TSvals must come from one clock (RFC 7323 5.4).
 */
bool ts_offsets(const struct toe_stack *st)
{
    return knob(st, TOE_KNOB_TCP_TIMESTAMPS) == 1 && !st->ops.offload;
}

/* Window scale we offer: Linux's tcp_select_initial_window, the shift that
 * makes 65535 << shift cover tcp_rmem[2] (7 for the 6 MiB default). */
static uint8_t our_wscale(const struct toe_stack *st)
{
    int64_t space = knob_i(st, TOE_KNOB_TCP_RMEM, 2);
    uint8_t s = 0;

    while (space > 65535 && s < 14) {
        space >>= 1;
        s++;
    }
    return s;
}

/* The MSS we announce: MTU - 40 (S13), or TCP_MAXSEG when set lower. */
static uint16_t our_mss(const struct toe_stack *st, const struct toe_tcb *tb)
{
    uint16_t m = (uint16_t)(st->cfg.mtu - TOE_IPV4_HLEN - TOE_TCP_HLEN);
    uint32_t fd = tb->fd != TOE_NONE ? tb->fd : tb->listener;

    if (fd != TOE_NONE && st->sk[fd].maxseg && st->sk[fd].maxseg < m)
        m = (uint16_t)st->sk[fd].maxseg;
    return m;
}

/* An active open's options, before the SYN goes (what we offer). */
void tcb_offer_options(struct toe_stack *st, struct toe_tcb *tb)
{
    tb->adv_mss = our_mss(st, tb);
    tb->ws_ok = knob(st, TOE_KNOB_TCP_WINDOW_SCALING) != 0;
    tb->rcv_wscale = tb->ws_ok ? our_wscale(st) : 0;
    tb->sack_ok = knob(st, TOE_KNOB_TCP_SACK) != 0;
    tb->ts_ok = knob(st, TOE_KNOB_TCP_TIMESTAMPS) != 0;
    if (tb->ts_ok && ts_offsets(st))
        tb->ts_offset = toe_isn_ts_offset(&st->isn, tb->t.laddr, tb->t.raddr);
    /* The SYN's window counts whole MSS without options: 64240 at 1460. */
    tb->rcv_wnd0 = first_window(st, tb, tb->adv_mss);
}

/*
 * What a SYN (passive open) or SYN+ACK (active open) settles: each option is
 * in use only when both sides offered it (RFC 7323 1.3 and 2.2, RFC 2018 2),
 * the peer's MSS (536 when it sent none, RFC 9293 3.7.1), and from those the
 * segment size we send.
 */
void tcb_options_from_syn(struct toe_stack *st, struct toe_tcb *tb, const struct toe_seg *sg)
{
    bool passive = !(sg->flags & TF_ACK);

    if (passive) {
        tb->adv_mss = our_mss(st, tb);
        tb->ws_ok = knob(st, TOE_KNOB_TCP_WINDOW_SCALING) && sg->has_ws;
        tb->rcv_wscale = tb->ws_ok ? our_wscale(st) : 0;
        tb->sack_ok = knob(st, TOE_KNOB_TCP_SACK) && sg->has_sackok;
        tb->ts_ok = knob(st, TOE_KNOB_TCP_TIMESTAMPS) && sg->has_ts;
        if (tb->ts_ok && ts_offsets(st))
            tb->ts_offset = toe_isn_ts_offset(&st->isn, tb->t.laddr, tb->t.raddr);
        /* The SYN+ACK's window counts whole MSS less the timestamp option:
         * 65160 at 1460 with timestamps. */
        tb->rcv_wnd0 = first_window(st, tb, tb->adv_mss - (tb->ts_ok ? TOE_TCP_TSOPT_LEN : 0));
    } else {
        tb->ws_ok = tb->ws_ok && sg->has_ws;
        if (!tb->ws_ok)
            tb->rcv_wscale = 0;
        tb->sack_ok = tb->sack_ok && sg->has_sackok;
        tb->ts_ok = tb->ts_ok && sg->has_ts;
    }
    /* RFC 7323 2.3: a shift above 14 is used as 14. */
    tb->snd_wscale = tb->ws_ok ? (sg->ws > 14 ? 14 : sg->ws) : 0;
    tb->peer_mss = sg->has_mss ? sg->mss : 536;
    if (tb->peer_mss < 88)
        tb->peer_mss = 88;   /* Linux's tcp_min_snd_mss floor (48) plus headers: refuse tiny MSS games */
    tb->snd_mss = tb->peer_mss < tb->adv_mss ? tb->peer_mss : tb->adv_mss;
    if (tb->ts_ok)
        tb->snd_mss -= TOE_TCP_TSOPT_LEN;
    if (tb->ts_ok) {
        tb->ts_recent = sg->tsval;
        tb->ts_recent_ns = stk_now(st);
    }
    memcpy(tb->peer_mac, sg->src_mac, 6);
    tb->peer_mac_ok = true;
}

/* Install the connection in the hardware when the netif can (docs/tcp.md,
 * "Offload"); a full table leaves it in software, counted. */
static void offload(struct toe_stack *st, struct toe_tcb *tb)
{
    struct toe_offload_conn c;
    int h;

    if (!st->ops.offload || tb->hw >= 0)
        return;
    memset(&c, 0, sizeof(c));
    c.laddr = tb->t.laddr;
    c.raddr = tb->t.raddr;
    c.lport = tb->t.lport;
    c.rport = tb->t.rport;
    memcpy(c.local_mac, st->cfg.mac, 6);
    memcpy(c.peer_mac, tb->peer_mac, 6);
    c.ttl = (uint8_t)knob(st, TOE_KNOB_IP_DEFAULT_TTL);
    c.snd_una = tb->snd_una;
    c.snd_nxt = tb->snd_nxt;
    c.snd_wnd = tb->snd_wnd;
    c.max_snd_wnd = tb->max_snd_wnd;
    c.snd_wl1 = tb->snd_wl1;
    c.snd_wl2 = tb->snd_wl2;
    c.rcv_nxt = tb->rcv_nxt;
    c.rcv_adv = tb->rcv_adv;
    c.rcv_read = tb->rcv_nxt - tb->rbuf_len;
    c.snd_wscale = tb->snd_wscale;
    c.rcv_wscale = tb->rcv_wscale;
    c.snd_mss = tb->snd_mss;
    c.rcv_mss = tb->adv_mss;
    c.ts_ok = tb->ts_ok;
    c.ts_recent = tb->ts_recent;
    c.ip_id = st->ip_id;
    c.id = tcb_id(st, tb);
    /* The hardware's receive ring: the largest power of two the receive
     * buffer holds, so that what the ring's window lets in always fits. */
    c.rcv_buf = 4096;
    while (c.rcv_buf * 2 <= tb->rbuf_cap)
        c.rcv_buf *= 2;
    if (tb->rbuf_len > c.rcv_buf || tb->rbuf_cap < 4096)
        return;   /* unread data the ring could not account for: stay in software */
    h = st->ops.offload(st->ops.arg, &c);
    if (h >= 0) {
        tb->hw = h;
        MIB_INC(st, MIB_TCP_OFFLOADED);
    } else {
        MIB_INC(st, MIB_TCP_OFFLOAD_FAILED);
    }
}

void tcb_established(struct toe_stack *st, struct toe_tcb *tb)
{
    tcb_set_state(st, tb, TOE_TCP_ESTABLISHED);
    tb->retries = 0;
    if (!tb->srtt_ns)
        tb->rto_ns = TOE_RTO_INIT_NS;   /* no sample (a retransmitted handshake): RFC 6298 5.7 */
    offload(st, tb);
}

void tcb_hw_snd(struct toe_stack *st, struct toe_tcb *tb)
{
    if (tb->hw >= 0 && st->ops.offload_snd)
        st->ops.offload_snd(st->ops.arg, tb->hw, tb->snd_nxt, tb->snd_una, tb->snd_wnd);
}
