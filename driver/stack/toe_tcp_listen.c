/*
 * Passive opens (S10-S12): a listener's SYN queue (children in SYN_RECV), its
 * accept queue, SYN cookies, and what Linux does when they overflow
 * (tcp_conn_request, tcp_check_req, cookie_v4_check).
 */
#include <errno.h>
#include <string.h>

#include "toe_pkt.h"
#include "toe_stack_int.h"

/* Linux's TCP_SYNCOOKIE_VALID: cookies are checked for 2 minutes after the
 * last one went out. */
#define COOKIE_VALID_NS (120 * TOE_SEC)

static struct toe_tuple4 tuple4(const struct toe_seg *sg)
{
    return (struct toe_tuple4){.local_ip = sg->daddr, .remote_ip = sg->saddr, .local_port = sg->dport,
                               .remote_port = sg->sport};
}

/* Linux's sk_acceptq_is_full: the queue holds backlog + 1 before it is full. */
static bool acceptq_full(const struct toe_sock *ls) { return ls->acq_len > (uint32_t)ls->backlog; }

static void acceptq_add(struct toe_stack *st, struct toe_sock *ls, struct toe_tcb *tb)
{
    uint32_t id = tcb_id(st, tb);

    tb->q_next = TOE_NONE;
    tb->queued = true;
    if (ls->acq_tail == TOE_NONE)
        ls->acq_head = id;
    else
        st->tcb[ls->acq_tail].q_next = id;
    ls->acq_tail = id;
    ls->acq_len++;
}

static void overflow(struct toe_stack *st)
{
    MIB_INC(st, MIB_LISTEN_OVERFLOWS);
    MIB_INC(st, MIB_LISTEN_DROPS);
}

/* The third ACK of a cookie handshake: the connection from the cookie alone. */
static void cookie_ack(struct toe_stack *st, uint32_t lfd, const struct toe_seg *sg)
{
    struct toe_sock *ls = &st->sk[lfd];
    struct toe_tuple4 t4 = tuple4(sg);
    struct toe_tuple t = {.laddr = sg->daddr, .raddr = sg->saddr, .lport = sg->dport, .rport = sg->sport};
    uint16_t mss = 0;
    enum toe_syncookie_verdict v;
    struct toe_syncookie_opts so = {0};
    struct toe_tcb *tb;

    v = toe_syncookie_check(&st->cookie, &t4, sg->seq, sg->ack, toe_syncookie_time(stk_now(st)), &mss);
    if (v != TOE_SYNCOOKIE_OK) {
        /* A forged or stale ACK creates nothing; the listener answers it
         * with a reset, as for any ACK it has no connection for. */
        MIB_INC(st, MIB_SYNCOOKIES_FAILED);
        tcp_send_rst_reply(st, sg);
        return;
    }
    MIB_INC(st, MIB_SYNCOOKIES_RECV);
    if (acceptq_full(ls)) {
        overflow(st);
        if (knob(st, TOE_KNOB_TCP_ABORT_ON_OVERFLOW))
            tcp_send_rst_reply(st, sg);
        return;
    }
    tb = tcb_alloc(st, &t);
    if (!tb)
        return;
    tb->listener = lfd;
    tb->irs = sg->seq - 1;
    tb->rcv_nxt = sg->seq;
    tb->iss = sg->ack - 1;
    tb->snd_una = tb->snd_nxt = tb->snd_max = sg->ack;
    tb->from_cookie = true;
    /* What the SYN offered comes back in the TSecr's low bits (Linux's
     * cookie_timestamp_decode); without timestamps only the MSS survived. */
    tb->adv_mss = (uint16_t)(st->cfg.mtu - 40);
    if (sg->has_ts && sg->tsecr && knob(st, TOE_KNOB_TCP_TIMESTAMPS)) {
        toe_syncookie_ts_decode(sg->tsecr, &so);
        tb->ts_ok = true;
        tb->ts_recent = sg->tsval;
        tb->ts_recent_ns = stk_now(st);
        tb->sack_ok = so.sack_ok && knob(st, TOE_KNOB_TCP_SACK);
        tb->ws_ok = so.wscale_ok && knob(st, TOE_KNOB_TCP_WINDOW_SCALING);
        tb->snd_wscale = tb->ws_ok ? so.snd_wscale : 0;
        if (tb->ws_ok) {
            int64_t space = knob_i(st, TOE_KNOB_TCP_RMEM, 2);

            while (space > 65535 && tb->rcv_wscale < 14) {
                space >>= 1;
                tb->rcv_wscale++;
            }
        }
        if (ts_offsets(st))
            tb->ts_offset = toe_isn_ts_offset(&st->isn, t.laddr, t.raddr);
    }
    tb->peer_mss = mss;
    tb->snd_mss = (uint16_t)((mss < tb->adv_mss ? mss : tb->adv_mss) - (tb->ts_ok ? TOE_TCP_TSOPT_LEN : 0));
    {
        uint32_t m = tb->adv_mss - (tb->ts_ok ? TOE_TCP_TSOPT_LEN : 0);

        tb->rcv_wnd0 = (65535u / m) * m;
    }
    tb->rcv_adv = tb->rcv_nxt + tb->rcv_wnd0;
    tb->snd_wnd = sg->wnd << tb->snd_wscale;
    tb->max_snd_wnd = tb->snd_wnd;
    tb->snd_wl1 = sg->seq;
    tb->snd_wl2 = sg->ack;
    memcpy(tb->peer_mac, sg->src_mac, 6);
    tb->peer_mac_ok = true;
    tcb_init_buffers(st, tb);
    MIB_INC(st, MIB_PASSIVE_OPENS);
    tcb_established(st, tb);
    acceptq_add(st, ls, tb);
    sock_wake(st, lfd);
    /* Data on the third segment, a FIN: the normal path takes them. */
    if (sg->len || (sg->flags & TF_FIN))
        tcp_input(st, sg);
}

static void syn_cookie_reply(struct toe_stack *st, const struct toe_seg *sg)
{
    struct toe_tuple4 t4 = tuple4(sg);
    struct toe_tcb tmp;
    uint16_t mss = sg->has_mss ? sg->mss : 536;

    /* A SYN+ACK from a TCB that is never kept: the cookie is its ISN. */
    memset(&tmp, 0, sizeof(tmp));
    tmp.t = (struct toe_tuple){.laddr = sg->daddr, .raddr = sg->saddr, .lport = sg->dport, .rport = sg->sport};
    tmp.fd = tmp.listener = TOE_NONE;
    tcb_options_from_syn(st, &tmp, sg);
    tmp.iss = toe_syncookie_make(&st->cookie, &t4, sg->seq, &mss, toe_syncookie_time(stk_now(st)));
    tmp.adv_mss = (uint16_t)(st->cfg.mtu - 40);
    tmp.rcv_nxt = sg->seq + 1;
    tmp.snd_nxt = tmp.iss + 1;
    tmp.rbuf_cap = 65535;
    if (tmp.ts_ok) {
        struct toe_syncookie_opts so = {.wscale_ok = tmp.ws_ok, .snd_wscale = tmp.snd_wscale,
                                        .sack_ok = tmp.sack_ok};

        /* Linux's cookie_init_timestamp: the options ride in TSval's low
         * bits, so the offset goes into the encoded value. */
        tmp.ts_offset = toe_syncookie_ts_encode(tcp_ts_now(st, &tmp), &so) - (uint32_t)(stk_now(st) / TOE_MS);
    }
    MIB_INC(st, MIB_SYNCOOKIES_SENT);
    tcp_output_seg(st, &tmp, TF_SYN | TF_ACK, tmp.iss, 0, 0);
}

void tcp_listen_input(struct toe_stack *st, uint32_t lfd, const struct toe_seg *sg)
{
    struct toe_sock *ls = &st->sk[lfd];
    struct toe_tuple t = {.laddr = sg->daddr, .raddr = sg->saddr, .lport = sg->dport, .rport = sg->sport};
    struct toe_tuple4 t4 = tuple4(sg);
    int64_t mode = knob(st, TOE_KNOB_TCP_SYNCOOKIES), max_syn = knob(st, TOE_KNOB_TCP_MAX_SYN_BACKLOG);
    bool want_cookie = false;
    struct toe_tcb *tb;

    /* RFC 9293 3.10.7.2: LISTEN. */
    if (sg->flags & TF_RST)
        return;
    if (sg->flags & TF_ACK) {
        if (!(sg->flags & TF_SYN) && mode && ls->last_overflow_ns &&
            stk_now(st) - ls->last_overflow_ns < COOKIE_VALID_NS) {
            cookie_ack(st, lfd, sg);
            return;
        }
        tcp_send_rst_reply(st, sg);
        return;
    }
    if (!(sg->flags & TF_SYN))
        return;
    /* tcp_conn_request: a full accept queue drops the SYN. */
    if (acceptq_full(ls)) {
        overflow(st);
        return;
    }
    /* A full SYN queue (as many half-open as the backlog): cookies, or a drop. */
    if (mode == 2 || ls->synq_len >= (uint32_t)ls->backlog) {
        if (!toe_syncookie_want((enum toe_syncookie_mode)mode, ls->synq_len >= (uint32_t)ls->backlog)) {
            MIB_INC(st, MIB_TCP_REQ_Q_FULL_DROP);
            MIB_INC(st, MIB_LISTEN_DROPS);
            return;
        }
        if (mode != 2)
            MIB_INC(st, MIB_TCP_REQ_Q_FULL_DO_COOKIES);
        want_cookie = true;
    }
    if (want_cookie) {
        ls->last_overflow_ns = stk_now(st) ? stk_now(st) : 1;
        syn_cookie_reply(st, sg);
        return;
    }
    /* Without cookies Linux keeps the last quarter of tcp_max_syn_backlog
     * for peers it knows (tcp_peer_is_proven); we know none. */
    if (!mode && max_syn - (int64_t)ls->synq_len < (max_syn >> 2)) {
        MIB_INC(st, MIB_LISTEN_DROPS);
        return;
    }
    tb = tcb_alloc(st, &t);
    if (!tb) {
        MIB_INC(st, MIB_LISTEN_DROPS);
        return;
    }
    tb->listener = lfd;
    tb->owner = ls->owner;
    ls->synq_len++;
    tb->irs = sg->seq;
    tb->rcv_nxt = sg->seq + 1;
    tcb_options_from_syn(st, tb, sg);
    tb->rbuf_cap = tb->rcv_wnd0;   /* until the child has its buffers */
    if (st->tw_isn_set) {
        tb->iss = st->tw_isn;
        st->tw_isn_set = false;
    } else {
        tb->iss = toe_isn_generate(&st->isn, &t4, stk_now(st));
    }
    tb->snd_una = tb->iss;
    tb->snd_nxt = tb->snd_max = tb->iss + 1;
    tb->snd_wnd = sg->wnd;
    tcb_set_state(st, tb, TOE_TCP_SYN_RECV);
    tcp_send_synack(st, tb);
    tb->rcv_adv = tb->rcv_nxt + tb->rcv_wnd0;
    tcp_rtx_arm(st, tb);
}

/*
 * The third ACK of a queued handshake (tcp_check_req / syn_recv_sock): into
 * the accept queue, or - when it is full - the ACK is dropped and the child
 * stays half-open so that its SYN+ACK timer tries again, or with
 * tcp_abort_on_overflow=1 a reset ends it.
 */
void tcp_child_established(struct toe_stack *st, struct toe_tcb *tb, const struct toe_seg *sg)
{
    struct toe_sock *ls = &st->sk[tb->listener];

    if (acceptq_full(ls)) {
        overflow(st);
        if (knob(st, TOE_KNOB_TCP_ABORT_ON_OVERFLOW)) {
            /* tcp_check_req's embryonic reset: tcp_v4_send_reset to the
             * ACK, <SEQ=SEG.ACK><CTL=RST>. */
            tcp_send_rst_reply(st, sg);
            tcb_destroy(st, tb);
        }
        return;
    }
    ls->synq_len--;
    tb->rtx_at = 0;
    tcb_init_buffers(st, tb);
    MIB_INC(st, MIB_PASSIVE_OPENS);
    tcb_established(st, tb);
    timer_update(st, tb);
    acceptq_add(st, ls, tb);
    sock_wake(st, tb->listener);
}

/* close() of a listener: children half-open or not yet accepted are reset,
 * as Linux's inet_csk_listen_stop does. */
void tcp_listener_close(struct toe_stack *st, uint32_t lfd)
{
    for (uint32_t i = 0; i < st->ntcb; i++) {
        struct toe_tcb *tb = &st->tcb[i];

        if (!tb->used || tb->listener != lfd || tb->fd != TOE_NONE)
            continue;
        if (tb->state != TOE_TCP_SYN_RECV) {
            MIB_INC(st, MIB_TCP_ABORT_ON_CLOSE);
            tcp_send_rst_tcb(st, tb);
        }
        tcb_destroy(st, tb);
    }
}
