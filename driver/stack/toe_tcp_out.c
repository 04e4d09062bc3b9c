/*
 * Segments out: headers and options as Linux writes them (tcp_options_write:
 * MSS, then SACK-permitted and timestamps, then window scale, with NOPs where
 * Linux puts them), resets (RFC 9293 3.10.7.1), and tcp_output(), which sends
 * what the peer's window and the send buffer allow.
 */
#include <string.h>

#include "toe_pkt.h"
#include "toe_stack_int.h"

#define FRAME_MAX 1600

uint32_t tcp_ts_now(const struct toe_stack *st, const struct toe_tcb *tb)
{
    /* Linux's TCP timestamp clock ticks every millisecond (since 4.13). */
    return (uint32_t)(stk_now(st) / TOE_MS) + (tb ? tb->ts_offset : 0);
}

/*
 * The receive window we offer, in bytes: the room in the receive buffer, at
 * most the initial window (no receive-buffer autotuning: issue 6), never
 * moving the right edge left (RFC 9293 3.8.6.2.1), rounded up to the scale's
 * unit as Linux does so that scaling does not eat it.
 */
uint32_t tcp_rcv_window(const struct toe_tcb *tb)
{
    uint32_t room = tb->rbuf_cap > tb->rbuf_len ? tb->rbuf_cap - tb->rbuf_len : 0;
    uint32_t clamp = tb->rbuf_cap < 65535u ? tb->rbuf_cap : 65535u;
    uint32_t unit = 1u << tb->rcv_wscale, w, cur;

    /* Linux's first window (tcp_select_initial_window), fixed at the SYN. */
    if (tb->rcv_wnd0)
        clamp = tb->rcv_wnd0;
    w = room < clamp ? room : clamp;
    cur = TOE_SEQ_GT(tb->rcv_adv, tb->rcv_nxt) ? tb->rcv_adv - tb->rcv_nxt : 0;
    if (tb->ws_ok && tb->rcv_wscale)
        w = (w + unit - 1) & ~(unit - 1);
    if (w < cur)
        w = (cur + unit - 1) & ~(unit - 1);
    if (w > (65535u << tb->rcv_wscale))
        w = 65535u << tb->rcv_wscale;
    return w;
}

static size_t write_options(const struct toe_stack *st, const struct toe_tcb *tb, uint8_t flags,
                            uint8_t *o)
{
    size_t n = 0;
    bool syn = flags & TF_SYN;

    if (syn) {
        o[n++] = 2;
        o[n++] = 4;
        toe_put16(o + n, tb->adv_mss);
        n += 2;
    }
    if (tb->ts_ok) {
        if (syn && tb->sack_ok) {
            o[n++] = 4;
            o[n++] = 2;
        } else {
            o[n++] = 1;
            o[n++] = 1;
        }
        o[n++] = 8;
        o[n++] = 10;
        toe_put32(o + n, tcp_ts_now(st, tb));
        toe_put32(o + n + 4, tb->ts_recent);
        n += 8;
    } else if (syn && tb->sack_ok) {
        o[n++] = 1;
        o[n++] = 1;
        o[n++] = 4;
        o[n++] = 2;
    }
    if (syn && tb->ws_ok) {
        o[n++] = 1;
        o[n++] = 3;
        o[n++] = 3;
        o[n++] = tb->rcv_wscale;
    }
    return n;
}

/* Copy len bytes at offset off of the send buffer (a ring from sbuf[0]). */
static void sbuf_copy(const struct toe_tcb *tb, uint32_t off, uint32_t len, uint8_t *dst)
{
    memcpy(dst, tb->sbuf + off, len);
}

static int emit(struct toe_stack *st, uint32_t saddr, uint32_t daddr, uint16_t sport, uint16_t dport,
                uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, const uint8_t *opt, size_t optlen,
                const uint8_t *payload, uint32_t len, const uint8_t *mac_hint, uint16_t *ip_id)
{
    uint8_t f[FRAME_MAX];
    struct toe_eth e = {.type = TOE_ETHERTYPE_IPV4};
    struct toe_tcp th = {.sport = sport, .dport = dport, .seq = seq, .ack = ack, .flags = flags, .win = win};
    size_t eh = toe_eth_build(f, &e), tl;
    struct toe_ipv4 ih;

    if (eh + TOE_IPV4_HLEN + TOE_TCP_HLEN + optlen + len > sizeof(f))
        return -1;
    tl = toe_tcp_build(f + eh + TOE_IPV4_HLEN, &th, opt, optlen);
    if (len)
        memcpy(f + eh + TOE_IPV4_HLEN + tl, payload, len);
    tl += len;
    ih = (struct toe_ipv4){.tot_len = (uint16_t)(TOE_IPV4_HLEN + tl), .id = *ip_id, .frag = TOE_IPV4_DF,
                           .ttl = (uint8_t)knob(st, TOE_KNOB_IP_DEFAULT_TTL), .proto = TOE_IPPROTO_TCP,
                           .src = saddr, .dst = daddr};
    (*ip_id)++;
    toe_ipv4_build(f + eh, &ih);
    toe_tcp_csum_fill(saddr, daddr, f + eh + TOE_IPV4_HLEN, tl);
    MIB_INC(st, MIB_OUT_SEGS);
    if (flags & TF_RST)
        MIB_INC(st, MIB_OUT_RSTS);
    return stk_send_frame(st, daddr, mac_hint, f, eh + TOE_IPV4_HLEN + tl);
}

int tcp_output_seg(struct toe_stack *st, struct toe_tcb *tb, uint8_t flags, uint32_t seq, uint32_t data_off,
                   uint32_t len)
{
    uint8_t opt[40], payload[FRAME_MAX];
    size_t optlen = write_options(st, tb, flags, opt);
    uint32_t win;
    uint16_t wf;

    if (flags & TF_SYN) {
        /* RFC 7323 2.2: the window of a SYN is never scaled; Linux sends its
         * first window as it is (64240, 65160), not rounded to the scale. */
        win = tb->rcv_wnd0 ? tb->rcv_wnd0 : tcp_rcv_window(tb);
        wf = (uint16_t)(win > 65535u ? 65535u : win);
    } else {
        win = tcp_rcv_window(tb);
        wf = (uint16_t)(win >> (tb->ws_ok ? tb->rcv_wscale : 0));
        if (flags & TF_ACK)
            tb->rcv_adv = tb->rcv_nxt + ((uint32_t)wf << (tb->ws_ok ? tb->rcv_wscale : 0));
    }
    if (len)
        sbuf_copy(tb, data_off, len, payload);
    return emit(st, tb->t.laddr, tb->t.raddr, tb->t.lport, tb->t.rport, seq, (flags & TF_ACK) ? tb->rcv_nxt : 0,
                flags, wf, opt, optlen, payload, len, tb->peer_mac_ok ? tb->peer_mac : NULL, &st->ip_id);
}

void tcp_send_ack(struct toe_stack *st, struct toe_tcb *tb)
{
    tcp_output_seg(st, tb, TF_ACK, tb->snd_nxt, 0, 0);
}

void tcp_send_syn(struct toe_stack *st, struct toe_tcb *tb)
{
    if (!tb->retries)
        tb->rtt_sent_ns = stk_now(st);
    tcp_output_seg(st, tb, TF_SYN, tb->iss, 0, 0);
}

void tcp_send_synack(struct toe_stack *st, struct toe_tcb *tb)
{
    if (!tb->retries && !tb->rtt_sent_ns)
        tb->rtt_sent_ns = stk_now(st);
    tcp_output_seg(st, tb, TF_SYN | TF_ACK, tb->iss, 0, 0);
}

/* An abort (close with unread data, SO_LINGER {1, 0}, a full accept queue
 * with tcp_abort_on_overflow): RST with the sequence number the peer expects
 * (RFC 9293 3.10.4 ABORT: "send a reset segment <SEQ=SND.NXT><CTL=RST>"),
 * with ACK as Linux's tcp_send_active_reset. */
void tcp_send_rst_tcb(struct toe_stack *st, struct toe_tcb *tb)
{
    uint8_t opt[12];
    size_t optlen = 0;

    if (tb->ts_ok) {
        optlen = toe_tcp_ts_option(opt, tcp_ts_now(st, tb), tb->ts_recent);
    }
    emit(st, tb->t.laddr, tb->t.raddr, tb->t.lport, tb->t.rport, tb->snd_nxt, tb->rcv_nxt, TF_RST | TF_ACK, 0,
         opt, optlen, NULL, 0, tb->peer_mac_ok ? tb->peer_mac : NULL, &st->ip_id);
}

/*
 * RFC 9293 3.10.7.1: a segment for no connection. An RST is dropped; a
 * segment with ACK gets <SEQ=SEG.ACK><CTL=RST>; one without gets
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (SYN and FIN count in SEG.LEN).
 */
void tcp_send_rst_reply(struct toe_stack *st, const struct toe_seg *sg)
{
    uint16_t id = 0; /* Linux sends IP ID 0 on its control-socket resets */

    if (sg->flags & TF_RST)
        return;
    if (sg->flags & TF_ACK)
        emit(st, sg->daddr, sg->saddr, sg->dport, sg->sport, sg->ack, 0, TF_RST, 0, NULL, 0, NULL, 0,
             sg->src_mac, &id);
    else
        emit(st, sg->daddr, sg->saddr, sg->dport, sg->sport, 0,
             sg->seq + sg->len + !!(sg->flags & TF_SYN) + !!(sg->flags & TF_FIN), TF_RST | TF_ACK, 0, NULL, 0,
             NULL, 0, sg->src_mac, &id);
}

/*
 * Send what may go: new data within min(peer window, send buffer) in
 * segments of snd_mss (PSH on the last one of what is there), then the FIN
 * once the application shut down writing and every byte went out. Nagle and
 * congestion control are issue 6's; this sends as soon as the window allows.
 */
void tcp_output(struct toe_stack *st, struct toe_tcb *tb)
{
    bool can_data = tb->state == TOE_TCP_ESTABLISHED || tb->state == TOE_TCP_CLOSE_WAIT ||
                    tb->state == TOE_TCP_FIN_WAIT1 || tb->state == TOE_TCP_CLOSING ||
                    tb->state == TOE_TCP_LAST_ACK;
    bool sent = false;

    if (!can_data)
        return;
    for (;;) {
        uint32_t off = tb->snd_nxt - tb->snd_una;     /* bytes of sbuf already sent */
        uint32_t wnd_end = tb->snd_una + tb->snd_wnd;
        uint32_t avail, room, n;

        if (tb->fin_sent)
            break;
        avail = tb->sbuf_len > off ? tb->sbuf_len - off : 0;
        room = TOE_SEQ_GT(wnd_end, tb->snd_nxt) ? wnd_end - tb->snd_nxt : 0;
        n = avail < room ? avail : room;
        if (n > tb->snd_mss)
            n = tb->snd_mss;
        if (n) {
            uint8_t fl = TF_ACK | (n == avail ? TF_PSH : 0);
            bool fin = n == avail && tb->fin_queued;

            if (fin)
                fl |= TF_FIN;
            if (!tb->rtt_timing) {
                tb->rtt_timing = true;
                tb->rtt_seq = tb->snd_nxt;
                tb->rtt_sent_ns = stk_now(st);
            }
            tcp_output_seg(st, tb, fl, tb->snd_nxt, off, n);
            tb->snd_nxt += n;
            if (fin) {
                tb->fin_sent = true;
                tb->fin_seq = tb->snd_nxt;
                tb->snd_nxt++;
            }
            sent = true;
            continue;
        }
        if (!avail && tb->fin_queued) {
            if (!tb->rtt_timing) {
                tb->rtt_timing = true;
                tb->rtt_seq = tb->snd_nxt;
                tb->rtt_sent_ns = stk_now(st);
            }
            tcp_output_seg(st, tb, TF_FIN | TF_ACK, tb->snd_nxt, 0, 0);
            tb->fin_sent = true;
            tb->fin_seq = tb->snd_nxt;
            tb->snd_nxt++;
            sent = true;
        }
        break;
    }
    if (TOE_SEQ_GT(tb->snd_nxt, tb->snd_max))
        tb->snd_max = tb->snd_nxt;
    if (sent && !tb->rtx_at)
        tcp_rtx_arm(st, tb);
    if (sent)
        tcb_hw_snd(st, tb);
}
