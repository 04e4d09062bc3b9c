/*
 * Segments in: RFC 9293 section 3.10.7 ("SEGMENT ARRIVES") with RFC 5961's
 * protections and Linux's choices where the RFC leaves room (docs/tcp.md,
 * "The state machine").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toe_stack_int.h"

/* RFC 9293 3.10.7.4, first check: the acceptability table. */
static bool seq_acceptable(const struct toe_tcb *tb, const struct toe_seg *sg, uint32_t wnd)
{
    uint32_t seg_len = sg->len + !!(sg->flags & TF_SYN) + !!(sg->flags & TF_FIN);
    uint32_t end = sg->seq + seg_len - 1;

    if (seg_len == 0) {
        if (wnd == 0)
            return sg->seq == tb->rcv_nxt;
        return TOE_SEQ_GEQ(sg->seq, tb->rcv_nxt) && TOE_SEQ_LT(sg->seq, tb->rcv_nxt + wnd);
    }
    if (wnd == 0)
        return false;
    return (TOE_SEQ_GEQ(sg->seq, tb->rcv_nxt) && TOE_SEQ_LT(sg->seq, tb->rcv_nxt + wnd)) ||
           (TOE_SEQ_GEQ(end, tb->rcv_nxt) && TOE_SEQ_LT(end, tb->rcv_nxt + wnd));
}

/*
 * Linux's tcp_oow_rate_limited: an ACK answering an invalid segment goes at
 * most once per tcp_invalid_ratelimit (500 ms) per connection - else two
 * ends that each find the other's ACKs invalid (PAWS after a clock jump, a
 * desynchronized pair) would answer each other without end. Segments with
 * data, SYN or FIN are always answered (force).
 */
static bool oow_limited(struct toe_stack *st, struct toe_tcb *tb, bool force, enum toe_mib skipped)
{
    uint64_t now = stk_now(st);

    if (force)
        return false;
    if (tb->last_oow_ns && now - tb->last_oow_ns < TOE_OOW_RATELIMIT_NS) {
        MIB_INC(st, skipped);
        return true;
    }
    tb->last_oow_ns = now ? now : 1;
    return false;
}

static bool seg_pure(const struct toe_seg *sg) { return !sg->len && !(sg->flags & (TF_SYN | TF_FIN)); }

/* RFC 5961 3.2, 4.2, 5.2: the challenge ACK, per connection at most one per
 * 500 ms (tcp_send_challenge_ack's per-socket limit). */
static void challenge_ack(struct toe_stack *st, struct toe_tcb *tb)
{
    if (oow_limited(st, tb, false, MIB_ACK_SKIPPED_CHALLENGE))
        return;
    MIB_INC(st, MIB_TCP_CHALLENGE_ACK);
    tcp_send_ack(st, tb);
}

/* The duplicate ACK to an unacceptable segment (RFC 9293 3.10.7.4). */
static void dup_ack(struct toe_stack *st, struct toe_tcb *tb, const struct toe_seg *sg, enum toe_mib skipped)
{
    if (!oow_limited(st, tb, !seg_pure(sg), skipped))
        tcp_send_ack(st, tb);
}

static void set_window(struct toe_tcb *tb, const struct toe_seg *sg)
{
    /* RFC 9293 3.10.7.4 fifth check: update on a newer segment. */
    if (TOE_SEQ_LT(tb->snd_wl1, sg->seq) || (tb->snd_wl1 == sg->seq && TOE_SEQ_LEQ(tb->snd_wl2, sg->ack))) {
        tb->snd_wnd = sg->wnd << tb->snd_wscale;
        tb->snd_wl1 = sg->seq;
        tb->snd_wl2 = sg->ack;
        if (tb->snd_wnd > tb->max_snd_wnd)
            tb->max_snd_wnd = tb->snd_wnd;
    }
}

/* SND.UNA moves to ack: drop what it acknowledges from the send buffer
 * (SYN and FIN take sequence space but no buffer). */
static void take_ack(struct toe_stack *st, struct toe_tcb *tb, uint32_t ack)
{
    uint32_t acked = ack - tb->snd_una, data;

    if (!acked)
        return;
    data = acked;
    if (tb->fin_sent && TOE_SEQ_GT(ack, tb->fin_seq))
        data--;                                 /* our FIN */
    if (data > tb->sbuf_len)
        data = tb->sbuf_len;
    if (data && tb->sbuf) {
        memmove(tb->sbuf, tb->sbuf + data, tb->sbuf_len - data);
        tb->sbuf_len -= data;
        if (!tb->sbuf_len) {
            free(tb->sbuf);   /* all acknowledged: an idle connection keeps no buffer */
            tb->sbuf = NULL;
        }
    }
    tb->snd_una = ack;
    /* RFC 6298 5.7 and Karn: after a backoff, the RTO comes back with the
     * next sample; a new ACK keeps the backed-off value until then. */
    if (tb->rtt_timing && TOE_SEQ_GT(ack, tb->rtt_seq)) {
        tb->rtt_timing = false;
        tcp_rtt_sample(st, tb, stk_now(st) - tb->rtt_sent_ns);
    } else if (!tb->srtt_ns) {
        tb->rto_ns = TOE_RTO_INIT_NS;
    } else if (tb->retries) {
        /* back from the backoff: the RTO of the estimate there is */
        uint64_t var = 4 * tb->rttvar_ns > TOE_RTO_MIN_NS ? 4 * tb->rttvar_ns : TOE_RTO_MIN_NS;

        tb->rto_ns = tb->srtt_ns + var > TOE_RTO_MAX_NS ? TOE_RTO_MAX_NS : tb->srtt_ns + var;
    }
    tb->retries = 0;
    tb->rtx_at = 0;
    if (tb->snd_una != tb->snd_nxt)
        tcp_rtx_arm(st, tb);
    else
        timer_update(st, tb);
    if (tb->fd != TOE_NONE)
        sock_wake(st, tb->fd);
}

static void take_ack_sw(struct toe_stack *st, struct toe_tcb *tb, uint32_t ack)
{
    take_ack(st, tb, ack);
    tcb_hw_snd(st, tb);
}

static bool our_fin_acked(const struct toe_tcb *tb)
{
    return tb->fin_sent && TOE_SEQ_GT(tb->snd_una, tb->fin_seq);
}

/* An orphaned FIN_WAIT_2 lives tcp_fin_timeout, then goes without a word
 * (Linux turns it into a FIN_WAIT2 time-wait socket for that long). */
static void fin_wait2(struct toe_stack *st, struct toe_tcb *tb)
{
    tcb_set_state(st, tb, TOE_TCP_FIN_WAIT2);
    if (tb->orphan) {
        tb->tw_at = stk_now(st) + (uint64_t)knob(st, TOE_KNOB_TCP_FIN_TIMEOUT) * TOE_SEC;
        timer_update(st, tb);
    }
}

static void rcv_data(struct toe_stack *st, struct toe_tcb *tb, const struct toe_seg *sg, uint32_t *ack_now)
{
    uint32_t off, n, room;
    const uint8_t *d = sg->data;

    if (!sg->len)
        return;
    if (tb->state != TOE_TCP_ESTABLISHED && tb->state != TOE_TCP_FIN_WAIT1 && tb->state != TOE_TCP_FIN_WAIT2)
        return;   /* RFC 9293 3.10.7.4 seventh check: after the peer's FIN, text is ignored */
    if (tb->orphan || tb->shut_rd) {
        /* Linux (tcp_rcv_state_process): new data for a socket that shut down
         * reading is answered with a reset (TCPAbortOnData). */
        if (TOE_SEQ_GT(sg->seq + sg->len, tb->rcv_nxt)) {
            MIB_INC(st, MIB_TCP_ABORT_ON_DATA);
            tcp_send_rst_tcb(st, tb);
            tcb_drop(st, tb, ECONNRESET);
            *ack_now = 2;
        }
        return;
    }
    if (TOE_SEQ_GT(sg->seq, tb->rcv_nxt)) {
        /* Out of order: the driver's reassembly queue is issue 6's; until
         * then the segment goes and a duplicate ACK says where we are. */
        MIB_INC(st, MIB_TCP_OFO_DROP);
        *ack_now = 1;
        return;
    }
    off = tb->rcv_nxt - sg->seq;                /* bytes already taken */
    if (off >= sg->len) {
        *ack_now = 1;
        return;
    }
    n = sg->len - off;
    room = tb->rbuf_cap - tb->rbuf_len;
    if (n > room)
        n = room;
    if (!tb->rbuf && tb->rbuf_cap) {
        tb->rbuf = malloc(tb->rbuf_cap);
        if (!tb->rbuf) {
            MIB_INC(st, MIB_TCP_ABORT_ON_MEMORY);
            return;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        tb->rbuf[(tb->rbuf_head + tb->rbuf_len + i) % tb->rbuf_cap] = d[off + i];
    tb->rbuf_len += n;
    tb->rcv_nxt += n;
    tb->data_rcvd = true;
    *ack_now = 1;
    if (tb->hw >= 0 && st->ops.offload_rcv_nxt)
        st->ops.offload_rcv_nxt(st->ops.arg, tb->hw, tb->rcv_nxt);
    if (tb->fd != TOE_NONE)
        sock_wake(st, tb->fd);
}

/* Bytes the hardware placed and acknowledged (toe_stack.h). */
uint32_t toe_stack_hw_rx(struct toe_stack *st, uint32_t id, const uint8_t *data, uint32_t len)
{
    struct toe_tcb *tb = id < st->ntcb ? &st->tcb[id] : NULL;
    uint32_t room, n;

    if (!tb || !tb->used || tb->zombie || !len)
        return 0;
    if (!tb->rbuf) {
        tb->rbuf = malloc(tb->rbuf_cap);
        if (!tb->rbuf)
            return 0;
    }
    room = tb->rbuf_cap - tb->rbuf_len;
    n = len < room ? len : room;
    for (uint32_t i = 0; i < n; i++)
        tb->rbuf[(tb->rbuf_head + tb->rbuf_len + i) % tb->rbuf_cap] = data[i];
    tb->rbuf_len += n;
    tb->rcv_nxt += n;
    tb->data_rcvd = true;
    if (tb->fd != TOE_NONE)
        sock_wake(st, tb->fd);
    return n;
}

void toe_stack_hw_sync(struct toe_stack *st, uint32_t id, const struct toe_offload_conn *c)
{
    struct toe_tcb *tb = id < st->ntcb ? &st->tcb[id] : NULL;

    if (!tb || !tb->used || tb->zombie)
        return;
    if (TOE_SEQ_GT(c->snd_una, tb->snd_una) && TOE_SEQ_LEQ(c->snd_una, tb->snd_nxt))
        take_ack(st, tb, c->snd_una);
    tb->snd_wnd = c->snd_wnd;
    tb->snd_wl1 = c->snd_wl1;
    tb->snd_wl2 = c->snd_wl2;
    if (c->max_snd_wnd > tb->max_snd_wnd)
        tb->max_snd_wnd = c->max_snd_wnd;
    if (TOE_SEQ_GT(c->rcv_adv, tb->rcv_adv))
        tb->rcv_adv = c->rcv_adv;
    if (tb->ts_ok)
        tb->ts_recent = c->ts_recent;
    /* The window it offered may have let the peer send: anything waiting? */
    tcp_output(st, tb);
}

/* The FIN (RFC 9293 3.10.7.4 eighth check), in order. */
static void rcv_fin(struct toe_stack *st, struct toe_tcb *tb, uint32_t *ack_now)
{
    tb->rcv_nxt++;
    tb->rcv_fin = true;
    switch (tb->state) {
    case TOE_TCP_SYN_RECV:
    case TOE_TCP_ESTABLISHED:
        tcb_set_state(st, tb, TOE_TCP_CLOSE_WAIT);
        /* Linux enters pingpong mode: the FIN's ACK waits for the
         * application's answer for the delayed-ACK time ato - 40 ms
         * (TCP_ATO_MIN) once data came, else 0, which the timer makes one
         * jiffy (1 ms at HZ 1000): tcp_fin, tcp_send_delayed_ack. */
        if (*ack_now != 1) {
            tb->delack_at = stk_now(st) + (tb->data_rcvd ? 40 * TOE_MS : 1 * TOE_MS);
            timer_update(st, tb);
        }
        break;
    case TOE_TCP_FIN_WAIT1:
        *ack_now = 1;
        if (our_fin_acked(tb)) {
            tcp_send_ack(st, tb);
            *ack_now = 0;
            tcb_enter_time_wait(st, tb);
        } else {
            tcb_set_state(st, tb, TOE_TCP_CLOSING);
        }
        break;
    case TOE_TCP_FIN_WAIT2:
        tcp_send_ack(st, tb);
        *ack_now = 0;
        tcb_enter_time_wait(st, tb);
        break;
    default:
        break;
    }
    if (tb->used && tb->fd != TOE_NONE)
        sock_wake(st, tb->fd);
}

/* TIME_WAIT (Linux's tcp_timewait_state_process). */
static void time_wait_input(struct toe_stack *st, struct toe_tcb *tb, const struct toe_seg *sg)
{
    if (sg->flags & TF_RST) {
        /* tcp_rfc1337 = 0: a reset at RCV.NXT ends TIME_WAIT early. */
        if (sg->seq == tb->rcv_nxt) {
            MIB_INC(st, MIB_TW_KILLED);
            tcb_destroy(st, tb);
        }
        return;
    }
    if ((sg->flags & TF_SYN) && !(sg->flags & TF_ACK)) {
        /* A new SYN for the tuple: accepted when it cannot be an old
         * duplicate - its sequence number beyond the old connection's, or a
         * newer timestamp (RFC 6191) - and then the listener takes it. */
        bool newer = TOE_SEQ_GT(sg->seq, tb->rcv_nxt) ||
                     (tb->ts_ok && sg->has_ts && TOE_SEQ_GT(sg->tsval, tb->ts_recent));
        uint32_t lfd = toe_demux_listener(&st->dm, tb->t.laddr, tb->t.lport);

        if (newer && lfd != TOE_DEMUX_NONE) {
            /* Linux starts the new connection's ISN past the old one's
             * (tw_snd_nxt + 65535 + 2), so old segments cannot fit it. */
            st->tw_isn = tb->snd_nxt + 65535u + 2u;
            st->tw_isn_set = true;
            MIB_INC(st, MIB_TW_RECYCLED);
            tcb_destroy(st, tb);
            tcp_listen_input(st, lfd, sg);
            return;
        }
        dup_ack(st, tb, sg, MIB_ACK_SKIPPED_TW);
        return;
    }
    if (sg->flags & TF_FIN) {
        /* RFC 9293 3.10.7.4: a retransmitted FIN is acknowledged again and
         * the 2 MSL timer restarts (S16). */
        if (sg->seq + sg->len + 1 == tb->rcv_nxt) {
            tcp_send_ack(st, tb);
            tb->tw_at = stk_now(st) + 2ull * (uint64_t)knob(st, TOE_KNOB_TOE_TCP_MSL) * TOE_SEC;
            timer_update(st, tb);
            return;
        }
    }
    if (sg->len || (sg->flags & TF_FIN))
        tcp_send_ack(st, tb);
}

static void syn_sent_input(struct toe_stack *st, struct toe_tcb *tb, const struct toe_seg *sg)
{
    bool ack_ok = false;

    if (sg->flags & TF_ACK) {
        if (TOE_SEQ_LEQ(sg->ack, tb->iss) || TOE_SEQ_GT(sg->ack, tb->snd_nxt)) {
            /* S8: an old duplicate's SYN+ACK is answered with a reset. */
            tcp_send_rst_reply(st, sg);
            return;
        }
        ack_ok = true;
    }
    if (sg->flags & TF_RST) {
        if (ack_ok)
            tcb_drop(st, tb, ECONNREFUSED);
        return;
    }
    if (!(sg->flags & TF_SYN))
        return;
    tb->irs = sg->seq;
    tb->rcv_nxt = sg->seq + 1;
    tcb_options_from_syn(st, tb, sg);
    /* RFC 7323 2.2: the window of a SYN is not scaled. */
    tb->snd_wnd = sg->wnd;
    tb->max_snd_wnd = tb->snd_wnd;
    tb->snd_wl1 = sg->seq;
    tb->snd_wl2 = sg->ack;
    tcb_init_buffers(st, tb);
    if (ack_ok) {
        tb->snd_una = sg->ack;
        tb->rtx_at = 0;
        if (!tb->retries)
            tcp_rtt_sample(st, tb, stk_now(st) - tb->rtt_sent_ns);
        tcb_established(st, tb);
        timer_update(st, tb);
        tcp_send_ack(st, tb);
        tcp_output(st, tb);
        return;
    }
    /* Simultaneous open (RFC 9293 3.5, figure 8): SYN_RECEIVED, and our
     * SYN again with the ACK. */
    tcb_set_state(st, tb, TOE_TCP_SYN_RECV);
    tcp_send_synack(st, tb);
}

void tcp_input(struct toe_stack *st, const struct toe_seg *sg)
{
    struct toe_tuple t = {.laddr = sg->daddr, .raddr = sg->saddr, .lport = sg->dport, .rport = sg->sport};
    uint32_t id = toe_demux_lookup(&st->dm, &t), lfd, wnd, ack_now = 0;
    struct toe_tcb *tb;

    if (id == TOE_DEMUX_NONE) {
        lfd = toe_demux_listener(&st->dm, t.laddr, t.lport);
        if (lfd != TOE_DEMUX_NONE)
            tcp_listen_input(st, lfd, sg);
        else
            tcp_send_rst_reply(st, sg);   /* CLOSED (RFC 9293 3.10.7.1) */
        return;
    }
    tb = &st->tcb[id];
    if (tb->state == TOE_TCP_SYN_SENT) {
        syn_sent_input(st, tb, sg);
        return;
    }
    if (tb->state == TOE_TCP_TIME_WAIT) {
        time_wait_input(st, tb, sg);
        return;
    }
    /* A retransmitted SYN for a half-open child: the SYN+ACK again
     * (Linux's tcp_check_req). */
    if (tb->state == TOE_TCP_SYN_RECV && (sg->flags & (TF_SYN | TF_ACK | TF_RST)) == TF_SYN &&
        sg->seq == tb->irs) {
        tcp_send_synack(st, tb);
        return;
    }
    /* RFC 7323 5.3: PAWS, before the sequence check - unless TS.Recent is
     * over 24 days old (5.5), when the peer's clock may have wrapped past it. */
    if (tb->ts_ok && sg->has_ts && TOE_SEQ_LT(sg->tsval, tb->ts_recent) &&
        stk_now(st) - tb->ts_recent_ns > TOE_PAWS_24DAYS_NS) {
        tb->ts_recent = sg->tsval;
        tb->ts_recent_ns = stk_now(st);
    }
    if (tb->ts_ok && sg->has_ts && !(sg->flags & TF_RST) && TOE_SEQ_LT(sg->tsval, tb->ts_recent)) {
        MIB_INC(st, MIB_TCP_PAWS_ESTAB);
        if (sg->flags & TF_SYN)
            challenge_ack(st, tb);
        else
            dup_ack(st, tb, sg, MIB_ACK_SKIPPED_PAWS);
        return;
    }
    /* First: sequence number. */
    wnd = tb->state == TOE_TCP_SYN_RECV ? tcp_rcv_window(tb) :
          (TOE_SEQ_GT(tb->rcv_adv, tb->rcv_nxt) ? tb->rcv_adv - tb->rcv_nxt : 0);
    if (tb->state == TOE_TCP_SYN_RECV && !wnd)
        wnd = tb->rcv_wnd0;
    if (!seq_acceptable(tb, sg, wnd)) {
        if (sg->flags & TF_SYN)
            challenge_ack(st, tb);
        else if (!(sg->flags & TF_RST))
            dup_ack(st, tb, sg, MIB_ACK_SKIPPED_SEQ);
        return;
    }
    /* Second: RST (RFC 5961 3.2: only exactly at RCV.NXT resets). */
    if (sg->flags & TF_RST) {
        if (sg->seq != tb->rcv_nxt) {
            challenge_ack(st, tb);
            return;
        }
        switch (tb->state) {
        case TOE_TCP_SYN_RECV:
            /* From a passive open: back to LISTEN (the child goes); from a
             * simultaneous open: refused. */
            tcb_drop(st, tb, tb->listener != TOE_NONE ? 0 : ECONNREFUSED);
            return;
        case TOE_TCP_ESTABLISHED:
        case TOE_TCP_FIN_WAIT1:
        case TOE_TCP_FIN_WAIT2:
            tcb_drop(st, tb, ECONNRESET);
            return;
        case TOE_TCP_CLOSE_WAIT:
            /* Linux's tcp_reset: EPIPE here (the peer already closed). */
            tcb_drop(st, tb, EPIPE);
            return;
        default:   /* CLOSING, LAST_ACK */
            tcb_destroy(st, tb);
            return;
        }
    }
    /* Fourth: SYN in a synchronized state (RFC 5961 4.2). */
    if (sg->flags & TF_SYN) {
        challenge_ack(st, tb);
        return;
    }
    /* Fifth: ACK. */
    if (!(sg->flags & TF_ACK))
        return;
    if (tb->state == TOE_TCP_SYN_RECV) {
        if (TOE_SEQ_LEQ(sg->ack, tb->snd_una) || TOE_SEQ_GT(sg->ack, tb->snd_nxt)) {
            tcp_send_rst_reply(st, sg);
            return;
        }
        tb->snd_wnd = sg->wnd << tb->snd_wscale;
        tb->max_snd_wnd = tb->snd_wnd;
        tb->snd_wl1 = sg->seq;
        tb->snd_wl2 = sg->ack;
        /* The handshake's RTT (Linux's tcp_synack_rtt_meas), unless the
         * SYN+ACK was sent again (Karn). */
        if (!tb->retries && tb->rtt_sent_ns)
            tcp_rtt_sample(st, tb, stk_now(st) - tb->rtt_sent_ns);
        tb->retries = 0;
        if (tb->listener != TOE_NONE) {
            tcp_child_established(st, tb, sg);
            if (!tb->used || tb->state != TOE_TCP_ESTABLISHED)
                return;   /* the accept queue was full: dropped or reset */
        } else {
            tcb_init_buffers(st, tb);
            tcb_established(st, tb);
        }
        take_ack(st, tb, sg->ack);
    } else {
        /* RFC 5961 5.2: an ACK outside [SND.UNA - MAX.SND.WND, SND.NXT]. */
        if (TOE_SEQ_GT(sg->ack, tb->snd_nxt) || TOE_SEQ_LT(sg->ack, tb->snd_una - tb->max_snd_wnd)) {
            challenge_ack(st, tb);
            return;
        }
        if (TOE_SEQ_GT(sg->ack, tb->snd_una))
            take_ack_sw(st, tb, sg->ack);
        if (TOE_SEQ_GEQ(sg->ack, tb->snd_una))
            set_window(tb, sg);
    }
    if (tb->ts_ok && sg->has_ts && TOE_SEQ_LEQ(sg->seq, tb->rcv_nxt)) {
        /* RFC 7323 4.3: TS.Recent from a segment covering Last.ACK.sent. */
        tb->ts_recent = sg->tsval;
        tb->ts_recent_ns = stk_now(st);
    }
    switch (tb->state) {
    case TOE_TCP_FIN_WAIT1:
        if (our_fin_acked(tb))
            fin_wait2(st, tb);
        break;
    case TOE_TCP_CLOSING:
        if (our_fin_acked(tb)) {
            tcb_enter_time_wait(st, tb);
            return;
        }
        break;
    case TOE_TCP_LAST_ACK:
        if (our_fin_acked(tb)) {
            tcb_destroy(st, tb);
            return;
        }
        break;
    default:
        break;
    }
    /* Seventh: text; eighth: FIN. */
    rcv_data(st, tb, sg, &ack_now);
    if (ack_now == 2 || !tb->used)
        return;
    if ((sg->flags & TF_FIN) && sg->seq + sg->len == tb->rcv_nxt)
        rcv_fin(st, tb, &ack_now);
    else if (sg->flags & TF_FIN)
        ack_now = 1;   /* a FIN beyond a hole: say where we are */
    if (!tb->used)
        return;
    if (ack_now == 1) {
        tb->delack_at = 0;
        timer_update(st, tb);
        tcp_send_ack(st, tb);
    }
    tcp_output(st, tb);
}
