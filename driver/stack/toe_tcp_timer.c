/*
 * Timers: one deadline per connection (the earliest of its retransmission,
 * TIME_WAIT / FIN_WAIT_2, delayed-ACK and keepalive times) in a binary heap,
 * so that the next deadline is at hand and a run touches only what is due.
 */
#include <errno.h>

#include "toe_stack_int.h"

static uint64_t earliest(const struct toe_tcb *tb)
{
    uint64_t t = UINT64_MAX;

    if (tb->rtx_at && tb->rtx_at < t)
        t = tb->rtx_at;
    if (tb->tw_at && tb->tw_at < t)
        t = tb->tw_at;
    if (tb->delack_at && tb->delack_at < t)
        t = tb->delack_at;
    if (tb->ka_at && tb->ka_at < t)
        t = tb->ka_at;
    return t;
}

static void heap_swap(struct toe_stack *st, uint32_t a, uint32_t b)
{
    uint32_t x = st->heap[a];

    st->heap[a] = st->heap[b];
    st->heap[b] = x;
    st->tcb[st->heap[a]].heap_pos = a;
    st->tcb[st->heap[b]].heap_pos = b;
}

static void sift_up(struct toe_stack *st, uint32_t i)
{
    while (i) {
        uint32_t p = (i - 1) / 2;

        if (st->tcb[st->heap[p]].due <= st->tcb[st->heap[i]].due)
            break;
        heap_swap(st, i, p);
        i = p;
    }
}

static void sift_down(struct toe_stack *st, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;

        if (l < st->heap_n && st->tcb[st->heap[l]].due < st->tcb[st->heap[m]].due)
            m = l;
        if (r < st->heap_n && st->tcb[st->heap[r]].due < st->tcb[st->heap[m]].due)
            m = r;
        if (m == i)
            return;
        heap_swap(st, i, m);
        i = m;
    }
}

void timer_update(struct toe_stack *st, struct toe_tcb *tb)
{
    uint64_t due = tb->used ? earliest(tb) : UINT64_MAX;
    uint32_t pos = tb->heap_pos;

    if (due == UINT64_MAX) {
        if (pos == TOE_NONE)
            return;
        st->heap_n--;
        if (pos != st->heap_n) {
            heap_swap(st, pos, st->heap_n);
            tb->heap_pos = TOE_NONE;
            sift_up(st, pos);
            sift_down(st, pos);
        }
        tb->heap_pos = TOE_NONE;
        return;
    }
    tb->due = due;
    if (pos == TOE_NONE) {
        pos = st->heap_n++;
        st->heap[pos] = tcb_id(st, tb);
        tb->heap_pos = pos;
    }
    sift_up(st, tb->heap_pos);
    sift_down(st, tb->heap_pos);
}

void tcp_rtx_arm(struct toe_stack *st, struct toe_tcb *tb)
{
    tb->rtx_at = stk_now(st) + tb->rto_ns;
    timer_update(st, tb);
}

/*
 * RFC 6298 2.2 and 2.3 (alpha 1/8, beta 1/4), with Linux's RTO:
 * SRTT + max(4 RTTVAR, tcp_rto_min) (tcp_set_rto: rttvar floored at 200 ms),
 * within TCP_RTO_MAX. A first sample of 100 ms gives 300 ms.
 */
void tcp_rtt_sample(struct toe_stack *st, struct toe_tcb *tb, uint64_t r)
{
    uint64_t var;

    (void)st;
    if (!tb->srtt_ns) {
        tb->srtt_ns = r ? r : 1;
        tb->rttvar_ns = r / 2;
    } else {
        uint64_t d = tb->srtt_ns > r ? tb->srtt_ns - r : r - tb->srtt_ns;

        tb->rttvar_ns = (3 * tb->rttvar_ns + d) / 4;
        tb->srtt_ns = (7 * tb->srtt_ns + r) / 8;
    }
    var = 4 * tb->rttvar_ns > TOE_RTO_MIN_NS ? 4 * tb->rttvar_ns : TOE_RTO_MIN_NS;
    tb->rto_ns = tb->srtt_ns + var;
    if (tb->rto_ns > TOE_RTO_MAX_NS)
        tb->rto_ns = TOE_RTO_MAX_NS;
}

/* Double the RTO (RFC 6298 5.5), within TCP_RTO_MAX. */
static void backoff(struct toe_stack *st, struct toe_tcb *tb)
{
    tb->rtt_timing = false;   /* Karn: nothing retransmitted is timed */
    tb->retries++;
    tb->rto_ns = tb->rto_ns * 2 > TOE_RTO_MAX_NS ? TOE_RTO_MAX_NS : tb->rto_ns * 2;
    MIB_INC(st, MIB_TCP_TIMEOUTS);
    tcp_rtx_arm(st, tb);
}

static void rtx_timeout(struct toe_stack *st, struct toe_tcb *tb)
{
    tb->rtx_at = 0;
    switch (tb->state) {
    case TOE_TCP_SYN_SENT:
        /* tcp_syn_retries retransmissions 1, 2, 4 ... s apart; the next
         * timeout ends the attempt with ETIMEDOUT. */
        if (tb->retries >= knob(st, TOE_KNOB_TCP_SYN_RETRIES)) {
            tcb_drop(st, tb, ETIMEDOUT);
            return;
        }
        tcp_send_syn(st, tb);
        MIB_INC(st, MIB_RETRANS_SEGS);
        MIB_INC(st, MIB_TCP_SYN_RETRANS);
        tb->total_retrans++;
        backoff(st, tb);
        return;
    case TOE_TCP_SYN_RECV:
        if (tb->retries >= knob(st, TOE_KNOB_TCP_SYNACK_RETRIES)) {
            tcb_drop(st, tb, tb->listener == TOE_NONE ? ETIMEDOUT : 0);
            return;
        }
        tcp_send_synack(st, tb);
        MIB_INC(st, MIB_RETRANS_SEGS);
        MIB_INC(st, MIB_TCP_SYN_RETRANS);
        tb->total_retrans++;
        backoff(st, tb);
        return;
    default:
        break;
    }
    if (tb->snd_una == tb->snd_nxt)
        return;
    /* Established data or our FIN: tcp_retries2 retransmissions, then the
     * connection is dead (ETIMEDOUT). Orphans give up after 8 (Linux's
     * tcp_orphan_retries 0 means 8). */
    if (tb->retries >= (tb->orphan ? 8 : knob(st, TOE_KNOB_TCP_RETRIES2))) {
        MIB_INC(st, MIB_TCP_ABORT_ON_TIMEOUT);
        tcb_drop(st, tb, ETIMEDOUT);
        return;
    }
    {
        uint32_t n = tb->sbuf_len < tb->snd_mss ? tb->sbuf_len : tb->snd_mss;
        uint32_t flight = tb->snd_nxt - tb->snd_una - (tb->fin_sent ? 1 : 0);
        uint8_t fl = TF_ACK;

        if (n > flight)
            n = flight;
        if (n == tb->sbuf_len && tb->fin_sent)
            fl |= TF_FIN;
        if (n)
            fl |= TF_PSH;
        tcp_output_seg(st, tb, fl, tb->snd_una, 0, n);
    }
    MIB_INC(st, MIB_RETRANS_SEGS);
    tb->total_retrans++;
    backoff(st, tb);
}

void tcp_timers_run(struct toe_stack *st)
{
    uint64_t now = stk_now(st);

    while (st->heap_n && st->tcb[st->heap[0]].due <= now) {
        struct toe_tcb *tb = &st->tcb[st->heap[0]];

        if (tb->delack_at && tb->delack_at <= now) {
            tb->delack_at = 0;
            tcp_send_ack(st, tb);
        }
        if (tb->tw_at && tb->tw_at <= now) {
            /* TIME_WAIT's 2 MSL, or an orphan's tcp_fin_timeout in FIN_WAIT_2. */
            tb->tw_at = 0;
            tcb_destroy(st, tb);
            continue;
        }
        if (tb->rtx_at && tb->rtx_at <= now) {
            rtx_timeout(st, tb);
            if (!tb->used)
                continue;
        }
        if (tb->ka_at && tb->ka_at <= now)
            tb->ka_at = 0;   /* keepalive probes: issue 6 */
        timer_update(st, tb);
    }
}
