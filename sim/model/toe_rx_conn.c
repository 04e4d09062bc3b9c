/*
 * Connection processing of a verified TCP segment whose 4-tuple is in the
 * table: docs/rx-datapath.md, "Connection processing (known 4-tuple)".
 * Contract in toe_rx_priv.h.
 *
 * Order: acceptance checks (flags, options, PAWS, ACK range, sequence) ->
 * exception, or timestamps -> incoming ACK -> placement -> ACK policy.
 * All sequence arithmetic is modulo 2^32 through toe_rx_seq.h; lengths,
 * windows and free space are plain unsigned 32-bit quantities.
 */
#include <assert.h>

#include "toe_rx_priv.h"
#include "toe_rx_seq.h"

#define SEG_CTL_EXC (TCP_FLAG_SYN | TCP_FLAG_RST | TCP_FLAG_FIN | TCP_FLAG_URG)

uint32_t toe_rx_ring_size(const struct toe_rx_ctx *c)
{
    assert(c->buf_size_log2 <= 31);
    return 1u << c->buf_size_log2;
}

uint32_t toe_rx_free(const struct toe_rx_ctx *c)
{
    return toe_rx_ring_size(c) - (c->rcv_nxt - c->rcv_read);
}

/*
 * Steps 1-5: the exception reason (RX_EXC_*) of segment p of connection c,
 * or 0 when it is placed (L > 0) or accepted (L = 0).  *dupack is set when
 * the exception is answered with an ACK (DUP).
 */
static uint8_t check_segment(const struct toe_rx_ctx *c,
                             const struct toe_rx_parsed *p, uint32_t L,
                             int *dupack)
{
    int ts = (c->flags & RX_FLAG_TS) != 0;

    *dupack = 0;
    /* 1. Anything but a plain ACK (PSH, ECE, CWR allowed) is the driver's. */
    if ((p->flags & SEG_CTL_EXC) || !(p->flags & TCP_FLAG_ACK))
        return RX_EXC_FLAGS;
    /* 2. Only the timestamp option, and exactly when negotiated (RFC 7323
     * section 3.2: once in use, every segment carries it). */
    if (p->other_opts || ts != p->has_ts)
        return RX_EXC_OPTIONS;
    /* 3. PAWS, RFC 7323 section 5.3 R1. */
    if (ts && SEQ_LT(p->tsval, c->ts_recent))
        return RX_EXC_PAWS;
    /* 4. RFC 5961 section 5.2: acceptable ACKs lie in
     * [SND.UNA - MAX.SND.WND, SND.NXT]. */
    if (SEQ_LT(p->ack, c->snd_una - c->max_snd_wnd) || SEQ_GT(p->ack, c->snd_nxt))
        return RX_EXC_ACK_RANGE;
    /* 5. Sequence check.  Only in-order data is placed; everything else
     * goes to the driver, which keeps the out-of-order queue. */
    if (L > 0) {
        if (p->seq == c->rcv_nxt)
            return L <= toe_rx_free(c) ? 0 : RX_EXC_BUF_FULL;
        /* RFC 9293 section 3.10.7.4: an unacceptable segment is answered
         * with an ACK (unless the driver sends its own, with SACK). */
        *dupack = (c->flags & RX_FLAG_HW_DUPACK) != 0;
        if (SEQ_LT(p->seq, c->rcv_nxt))
            return RX_EXC_OLD;
        if (SEQ_GEQ(p->seq, c->rcv_adv))
            return RX_EXC_WINDOW;
        return RX_EXC_OOO;
    }
    /* A pure ACK: acceptable at RCV.NXT even with a zero window, else
     * inside [RCV.NXT, RCV.ADV); never ACKed back (no ACK for an ACK). */
    if (p->seq == c->rcv_nxt ||
        (SEQ_LEQ(c->rcv_nxt, p->seq) && SEQ_LT(p->seq, c->rcv_adv)))
        return 0;
    return SEQ_LT(p->seq, c->rcv_nxt) ? RX_EXC_OLD : RX_EXC_WINDOW;
}

/*
 * The incoming ACK of an accepted segment: duplicate counting (RFC 5681
 * section 2), SND.UNA, and the send window with the SND.WL1/SND.WL2 rule of
 * RFC 9293 section 3.10.7.4.
 */
static void incoming_ack(struct toe_rx_model *m, uint16_t id,
                         const struct toe_rx_parsed *p, uint32_t L)
{
    struct toe_rx_ctx *c = &m->ctx[id];
    uint32_t swnd = (uint32_t)p->wnd << c->snd_wscale;

    m->cnt[RX_CNT_ACKS_IN]++;

    /* RFC 5681 section 2, "DUPLICATE ACKNOWLEDGMENT": no data, data
     * outstanding, same ACK, same window. */
    if (L == 0 && c->snd_una != c->snd_nxt && p->ack == c->snd_una &&
        swnd == c->snd_wnd) {
        if (c->dupacks < 255)
            c->dupacks++;
        m->cnt[RX_CNT_DUPACKS_IN]++;
        if (c->dupacks == 3) /* fast retransmit is the driver's (section 3.2) */
            toe_rx_emit_event(m, RX_EV_DUPACK3, 0, id, c->snd_una, c->snd_wnd);
    }

    if (SEQ_GT(p->ack, c->snd_una)) {
        c->snd_una = p->ack;
        c->dupacks = 0;
        c->pend |= TOE_RX_PEND_ACKED;
        toe_rx_set_active(m, id);
    }

    /* The window comes from the newest segment only: a reordered older
     * one (smaller seq, or same seq and smaller ack) must not undo it. */
    if (SEQ_GEQ(p->ack, c->snd_una) &&
        (SEQ_GT(p->seq, c->snd_wl1) ||
         (p->seq == c->snd_wl1 && SEQ_GEQ(p->ack, c->snd_wl2)))) {
        if (swnd != c->snd_wnd) {
            c->pend |= TOE_RX_PEND_WND;
            toe_rx_set_active(m, id);
            if (c->snd_wnd == 0) /* the sender's persist state can end now */
                toe_rx_emit_event(m, RX_EV_WND_OPEN, 0, id, c->snd_una, swnd);
        }
        c->snd_wnd = swnd;
        c->snd_wl1 = p->seq;
        c->snd_wl2 = p->ack;
        if (swnd > c->max_snd_wnd)
            c->max_snd_wnd = swnd;
    }
}

/*
 * Write the L payload bytes at ring offset (seq - buf_seq0) mod size,
 * wrapping to the ring's start.  With L <= free <= size that is one or two
 * runs; the loop also keeps an entry the driver set up inconsistently
 * (free > size) inside its ring.
 */
static void place(struct toe_rx_model *m, const struct toe_rx_ctx *c,
                  uint32_t seq, const uint8_t *data, uint32_t L)
{
    uint32_t size = toe_rx_ring_size(c);
    uint32_t off = (seq - c->buf_seq0) & (size - 1);

    while (L > 0) {
        uint32_t run = L < size - off ? L : size - off;

        if (m->out.dma_write)
            m->out.dma_write(m->out.arg, c->buf_base + off, data, run);
        data += run;
        L -= run;
        off = 0;
    }
}

void toe_rx_segment(struct toe_rx_model *m, uint16_t id,
                    const struct toe_rx_parsed *p, const uint8_t *frame,
                    size_t n)
{
    struct toe_rx_ctx *c = &m->ctx[id];
    uint32_t L = p->len4 - p->hlen;
    int dupack;
    uint8_t exc = check_segment(c, p, L, &dupack);

    if (exc) {
        toe_rx_emit_exc(m, exc, id, p->l3, p->l4, frame, n);
        if (dupack)
            toe_rx_send_ack(m, id, ACK_WHY_DUP);
        return;
    }

    /* RFC 7323 section 4.3 (simplified as the contract states it): the
     * TSval of a segment at or before Last.ACK.sent becomes TS.Recent. */
    if ((c->flags & RX_FLAG_TS) && SEQ_LEQ(p->seq, c->last_ack_sent))
        c->ts_recent = p->tsval;

    incoming_ack(m, id, p, L);

    if (L == 0)
        return;

    place(m, c, p->seq, frame + p->l4 + p->hlen, L);
    c->rcv_nxt += L;
    c->segs_in++;
    c->bytes_in += L;
    c->ev_rx_bytes += L;
    toe_rx_set_active(m, id);
    m->cnt[RX_CNT_FAST_SEGS]++;
    m->cnt[RX_CNT_FAST_BYTES] += L;
    if ((p->flags & TCP_FLAG_PSH) || c->ev_rx_bytes >= m->cfg.coalesce_bytes) {
        toe_rx_emit_event(m, RX_EV_DATA, 0, id, c->rcv_nxt, c->ev_rx_bytes);
        c->ev_rx_bytes = 0;
    }

    /* RFC 1122 section 4.2.3.2: ACK at least every second full-sized
     * segment, otherwise within the delayed-ACK time. */
    if (L >= c->mss && c->segs_unacked < 255)
        c->segs_unacked++;
    if (L >= c->mss && c->segs_unacked >= 2) {
        toe_rx_send_ack(m, id, ACK_WHY_EVERY2);
    } else if (!(c->pend & TOE_RX_PEND_DELACK)) {
        c->pend |= TOE_RX_PEND_DELACK;
        toe_rx_set_active(m, id);
        /* RFC 1122 4.2.3.2: an ACK is never delayed more than 500 ms. */
        c->delack_deadline = m->now + (m->cfg.delack_ticks < DELACK_TICKS_MAX
                                           ? m->cfg.delack_ticks : DELACK_TICKS_MAX);
    }
}
