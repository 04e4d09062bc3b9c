/*
 * Unit tests of the RX model's connection processing and ACKs
 * (sim/model/toe_rx_conn.c, toe_rx_ack.c, the tick part of toe_rx_cmd.c)
 * against docs/rx-datapath.md, "Connection processing", "ACK frames" and
 * "Ticks".
 *
 * Expected values are worked out here from the contract, never read back
 * from the model.  Four ACK frames are written out byte for byte; their
 * checksums were computed by a separate Python script (word sums given
 * beside them) and tshark 4.0 with checksum validation on reports both
 * checksums of each "Good".
 *
 * TSval is the model's timestamp clock, which counts ticks (one unit per
 * cfg.ts_ticks); the ts_now passed with the inputs must not matter, so the
 * tests pass values that would show if it did.
 */
#include "test_rx_fixture.h"
#include "test_seed.h"

#define CNT_EXC(r) (RX_CNT_EXC_NOT_IPV4 - RX_EXC_NOT_IPV4 + (r))

static uint8_t fb[RX_MAX_FRAME + 64]; /* the last frame sent */

/* Build s for connection id into fb, deliver it, return its length. */
static size_t send(struct fx *fx, uint16_t id, const struct seg *s)
{
    size_t n = build_seg(ctx_of(fx, id), s, fb);

    deliver(fx, fb, n);
    return n;
}

/* A fresh mark, then the segment; returns the frame length. */
static size_t send_marked(struct fx *fx, uint16_t id, const struct seg *s)
{
    fx_mark(fx);
    return send(fx, id, s);
}

/* Expect the last frame (fb, n bytes) to have gone to the exception path
 * of connection id for reason, with l3 14 and l4 34. */
static void expect_conn_exc(struct fx *fx, uint16_t id, size_t n, uint8_t reason)
{
    assert_int_equal(fx->n_exc, 1);
    expect_exc(fx, 0, reason, id, fb, n, 14, 34);
    assert_int_equal(fx->n_dma, 0);
    assert_int_equal(fx->n_ev, 0);
}

static void set_cfg3(struct fx *fx, uint32_t delack, uint32_t coalesce,
                     uint32_t ts_ticks)
{
    struct toe_rx_cfg cfg = {delack, coalesce, ts_ticks};

    toe_rx_model_set_cfg(fx->m, &cfg);
}

static void set_cfg(struct fx *fx, uint32_t delack, uint32_t coalesce)
{
    set_cfg3(fx, delack, coalesce, TOE_RX_TS_TICKS_DEFAULT);
}

/* A second connection: the standard one from another remote port. */
static struct toe_rx_ctx other_ctx(uint16_t remote_port)
{
    struct toe_rx_ctx c = std_ctx();

    c.remote_port = remote_port;
    return c;
}

/* ---- placement ---- */

static void place_in_order(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), want;
    struct seg s;
    size_t n;

    install(fx, &c);
    s = peer(fx, CONN, RCV0, 1000);
    n = send_marked(fx, CONN, &s);
    assert_int_equal(n, 1054);
    assert_int_equal(fx->n_dma, 1);
    expect_dma(fx, 0, MEM_BASE + 0x4000, 1000);
    assert_memory_equal(fx->dma[0].data, fb + 54, 1000);
    expect_ring(fx, &c, RCV0, 1000);
    assert_int_equal(fx->n_ev, 0);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(fx->n_exc, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 1054, RX_CNT_ACKS_IN, 1,
           RX_CNT_FAST_SEGS, 1, RX_CNT_FAST_BYTES, 1000);
    want = c;
    want.rcv_nxt = RCV0 + 1000;
    want.segs_in = 1;
    want.bytes_in = 1000;
    want.ev_rx_bytes = 1000;
    want.pend = TOE_RX_PEND_DELACK;        /* small segment: delayed ACK */
    want.delack_deadline = 0 + 4000;       /* now + DELACK_TICKS_DEFAULT */
    want.snd_wl1 = RCV0;                   /* seq > wl1: window (same) taken */
    expect_ctx(ctx_of(fx, CONN), &want);

    /* PSH: a DATA event at once with everything since the last one */
    s = peer(fx, CONN, RCV0 + 1000, 500);
    s.flags = TCP_FLAG_ACK | TCP_FLAG_PSH;
    send_marked(fx, CONN, &s);
    expect_dma(fx, 0, MEM_BASE + 0x4000 + 1000, 500);
    assert_int_equal(fx->n_ev, 1);
    expect_event(fx, 0, RX_EV_DATA, 0, CONN, RCV0 + 1500, 1500, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 554, RX_CNT_ACKS_IN, 1,
           RX_CNT_FAST_SEGS, 1, RX_CNT_FAST_BYTES, 500, RX_CNT_EVENTS, 1);
    want.rcv_nxt = RCV0 + 1500;
    want.segs_in = 2;
    want.bytes_in = 1500;
    want.ev_rx_bytes = 0;
    want.snd_wl1 = RCV0 + 1000;
    expect_ctx(ctx_of(fx, CONN), &want); /* deadline unchanged: still armed */
    expect_ring(fx, &c, RCV0, 1500);

    /* nothing left for a tick before the deadline */
    fx_mark(fx);
    tick(fx);
    assert_int_equal(fx->n_ev + fx->n_ack, 0);
}

static void ring_wrap(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    uint64_t base = c.buf_base;
    struct seg s;

    /* a 4 KiB ring whose next byte is at (odd) offset 4001 */
    c.buf_size_log2 = 12;
    c.buf_seq0 = RCV0 - 4001;
    c.rcv_adv = RCV0 + 4096;
    install(fx, &c);

    s = peer(fx, CONN, RCV0, 200);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_dma, 2);
    expect_dma(fx, 0, base + 4001, 95);
    expect_dma(fx, 1, base, 105);
    assert_memory_equal(fx->dma[0].data, fb + 54, 95);
    assert_memory_equal(fx->dma[1].data, fb + 54 + 95, 105);
    expect_ring(fx, &c, RCV0, 200);

    /* the host reads it all; a segment ending exactly at the ring's end
     * is one run */
    assert_int_equal(do_cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 200, 0, 0, NULL),
                     CONN_STATUS_OK);
    s = peer(fx, CONN, RCV0 + 200, 3991);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_dma, 1);
    expect_dma(fx, 0, base + 105, 3991);
    expect_ring(fx, &c, RCV0 + 200, 3991);

    /* and one starting exactly at the ring's start too */
    assert_int_equal(do_cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 4191, 0, 0, NULL),
                     CONN_STATUS_OK);
    s = peer(fx, CONN, RCV0 + 4191, 100);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_dma, 1);
    expect_dma(fx, 0, base, 100);
    expect_ring(fx, &c, RCV0 + 4191, 100);
    assert_int_equal(ctx_of(fx, CONN)->rcv_nxt, RCV0 + 4291);
}

/* Placement across sequence number 2^32 and the ring's end at once. */
static void ring_wrap_seq_wrap(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.buf_size_log2 = 12;
    c.buf_seq0 = 0xFFFFF000u;
    c.rcv_nxt = c.rcv_read = c.last_ack_sent = 0xFFFFFF80u;
    c.rcv_adv = 0x00000F80u;
    c.snd_wl1 = 0xFFFFFF7Fu;
    install(fx, &c);
    s = peer(fx, CONN, 0xFFFFFF80u, 300);
    send_marked(fx, CONN, &s);
    /* offset (0xFFFFFF80 - 0xFFFFF000) mod 4096 = 3968 */
    assert_int_equal(fx->n_dma, 2);
    expect_dma(fx, 0, c.buf_base + 3968, 128);
    expect_dma(fx, 1, c.buf_base, 172);
    expect_ring(fx, &c, 0xFFFFFF80u, 300);
    assert_int_equal(ctx_of(fx, CONN)->rcv_nxt, 0x000000ACu);
}

/* ---- DATA events ---- */

static void data_event_threshold(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    uint32_t seq = RCV0;
    struct seg s;
    int i;

    install(fx, &c);
    set_cfg(fx, DELACK_TICKS_DEFAULT, 3000);
    for (i = 0; i < 3; i++) {
        s = peer(fx, CONN, seq, 1000);
        send_marked(fx, CONN, &s);
        seq += 1000;
        assert_int_equal(fx->n_ev, i == 2);
    }
    expect_event(fx, 0, RX_EV_DATA, 0, CONN, RCV0 + 3000, 3000, 0);
    /* 2999 bytes: none; one more byte reaches the threshold exactly
     * (all below the MSS, so no EVERY2 count builds up) */
    s = peer(fx, CONN, seq, 1000);
    send_marked(fx, CONN, &s);
    s = peer(fx, CONN, seq + 1000, 1000);
    send(fx, CONN, &s);
    s = peer(fx, CONN, seq + 2000, 999);
    send(fx, CONN, &s);
    assert_int_equal(fx->n_ev, 0);
    assert_int_equal(ctx_of(fx, CONN)->ev_rx_bytes, 2999);
    s = peer(fx, CONN, seq + 2999, 1);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_ev, 1);
    expect_event(fx, 0, RX_EV_DATA, 0, CONN, RCV0 + 6000, 3000, 0);
    seq = RCV0 + 6000;

    /* the default: 16384 bytes; eleven full segments (16060) make none,
     * the twelfth (17520) one; every second one is ACKed (EVERY2) */
    set_cfg(fx, DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT);
    fx_mark(fx);
    for (i = 0; i < 12; i++) {
        s = peer(fx, CONN, seq, 1460);
        send(fx, CONN, &s);
        seq += 1460;
        assert_int_equal(fx->n_ev, i == 11);
        assert_int_equal(fx->n_ack, (size_t)(i + 1) / 2);
    }
    expect_event(fx, 0, RX_EV_DATA, 0, CONN, RCV0 + 6000 + 17520, 17520, 0);
    assert_int_equal(cnt_delta(fx, RX_CNT_ACK_EVERY2), 6);
    assert_int_equal(cnt_delta(fx, RX_CNT_EVENTS), 1);

    /* threshold 0: every placement reports */
    set_cfg(fx, DELACK_TICKS_DEFAULT, 0);
    s = peer(fx, CONN, seq, 1);
    send_marked(fx, CONN, &s);
    expect_event(fx, 0, RX_EV_DATA, 0, CONN, seq + 1, 1, 0);
}

/*
 * A tick reports what is left, connection by connection in conn_id order:
 * DATA, then TX_UPDATE, then the delayed ACK if due.
 */
static void tick_order(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c9 = other_ctx(40009), c3 = other_ctx(40003);
    struct seg s;

    c3.snd_nxt = c9.snd_nxt = SND0 + 1000;
    insert_ok(fx, 9, &c9);
    insert_ok(fx, 3, &c3);
    set_cfg(fx, 1, RX_EVENT_COALESCE_DEFAULT);

    fx_mark(fx);
    s = peer(fx, 9, RCV0, 100);
    send(fx, 9, &s);
    s = peer(fx, 3, RCV0, 200);
    s.ack = SND0 + 500;
    send(fx, 3, &s);
    assert_int_equal(fx->n_ev + fx->n_ack, 0);

    fx_mark(fx);
    tick(fx);
    assert_int_equal(fx->n_ev, 3);
    expect_event(fx, 0, RX_EV_DATA, 0, 3, RCV0 + 200, 200, 1);
    expect_event(fx, 1, RX_EV_TX_UPDATE, EV_FLAG_ACKED, 3, SND0 + 500, 65535, 1);
    expect_event(fx, 2, RX_EV_DATA, 0, 9, RCV0 + 100, 100, 1);
    assert_int_equal(fx->n_ack, 2);
    assert_int_equal(toe_get16(fx->ack[0].frame + 36), 40003); /* dst port */
    assert_int_equal(toe_get16(fx->ack[1].frame + 36), 40009);
    DELTAS(RX_CNT_EVENTS, 3, RX_CNT_ACKS_OUT, 2, RX_CNT_ACK_DELAYED, 2);

    /* nothing twice */
    fx_mark(fx);
    tick(fx);
    assert_int_equal(fx->n_ev + fx->n_ack, 0);
    assert_int_equal(toe_rx_model_now(fx->m), 2);
}

/* ---- ACK frames ---- */

/*
 * EVERY2 after two full-sized segments, no tag, no timestamps: ack
 * RCV0 + 2920, window 32768 - 2920 = 29848 (0x7498), IP ID 0x1000, DF.
 * IP:  4500 + 0028 + 1000 + 4000 + 4006 + [0000] + c000 + 0201 + c633
 *      + 6402 = 0x2c164 -> fold 0xc166 -> checksum 0x3e99
 * TCP: pseudo c000 + 0201 + c633 + 6402 + 0006 + 0014, header 1389 + c000
 *      + 5566 + 7788 + 1122 + 3eac + 5010 + 7498 + [0000] + 0000
 *      = 0x4a13d -> fold 0xa141 -> checksum 0x5ebe
 */
static const uint8_t ack_plain[54] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x28, 0x10, 0x00, 0x40, 0x00, 0x40, 0x06, 0x3e, 0x99, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33,
    0x64, 0x02, 0x13, 0x89, 0xc0, 0x00, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22, 0x3e, 0xac, 0x50, 0x10,
    0x74, 0x98, 0x5e, 0xbe, 0x00, 0x00,
};

static void every2_ack(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), want, before;
    struct seg s;

    install(fx, &c);
    s = peer(fx, CONN, RCV0, 1460);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(ctx_of(fx, CONN)->segs_unacked, 1);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK);

    before = *ctx_of(fx, CONN);
    s = peer(fx, CONN, RCV0 + 1460, 1460);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(fx->ack[0].len, sizeof(ack_plain));
    assert_memory_equal(fx->ack[0].frame, ack_plain, sizeof(ack_plain));
    expect_ack(fx, 0, &before, RCV0 + 2920, 29848, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 1514, RX_CNT_ACKS_IN, 1, RX_CNT_FAST_SEGS, 1,
           RX_CNT_FAST_BYTES, 1460, RX_CNT_ACKS_OUT, 1, RX_CNT_ACK_EVERY2, 1);
    want = c;
    want.rcv_nxt = RCV0 + 2920;
    want.snd_wl1 = RCV0 + 1460;
    want.segs_in = 2;
    want.bytes_in = 2920;
    want.ev_rx_bytes = 2920;
    want.delack_deadline = 4000; /* left as it was; only the arm bit clears */
    want.ip_id = 0x1001;
    want.last_ack_sent = RCV0 + 2920;
    want.rcv_adv = RCV0 + 2920 + 29848;
    want.acks_out = 1;
    expect_ctx(ctx_of(fx, CONN), &want);

    /* the tick has the DATA event but no delayed ACK */
    fx_mark(fx);
    tick(fx);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(fx->n_ev, 1);
    expect_event(fx, 0, RX_EV_DATA, 0, CONN, RCV0 + 2920, 2920, 1);

    /* full, small, full: only full-sized segments count; longer than
     * the MSS counts as full, one byte less does not */
    s = peer(fx, CONN, RCV0 + 2920, 1500);
    send_marked(fx, CONN, &s);
    s = peer(fx, CONN, RCV0 + 4420, 1459);
    send(fx, CONN, &s);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(ctx_of(fx, CONN)->segs_unacked, 1);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK);
    assert_int_equal(ctx_of(fx, CONN)->delack_deadline, 1 + 4000);
    s = peer(fx, CONN, RCV0 + 5879, 1460);
    send(fx, CONN, &s);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(ctx_of(fx, CONN)->segs_unacked, 0);
    assert_int_equal(ctx_of(fx, CONN)->pend, 0);
    assert_int_equal(toe_get32(fx->ack[0].frame + 42), RCV0 + 7339);
}

/*
 * A quick ACK (HOST) with a tag and timestamps: TCI 0x6064, TOS 0x10, TTL
 * 63, IP ID 0xffff, snd_nxt 0x0000fffe, rcv_nxt 0xffffff00, TSval 1000
 * (3000 ticks at 3 ticks per unit), TSecr 0xcafef00d; window scale 7 over a
 * 1 MiB ring with 1000 bytes unread: free 1047576 >> 7 = 8184, but
 * 8184 << 7 = 1047552 is left of the edge offered before
 * (rcv_adv - rcv_nxt = 1047600), so ceil(1047600 / 128) = 8185 (0x1ff9).
 * IP:  4510 + 0034 + ffff + 4000 + 3f06 + [0000] + c000 + 0201 + c633
 *      + 6402 = 0x3b07f -> fold 0xb082 -> checksum 0x4f7d
 * TCP: pseudo c000 + 0201 + c633 + 6402 + 0006 + 0020, header 1389 + c000
 *      + 0000 + fffe + ffff + ff00 + 8010 + 1ff9 + [0000] + 0000, option
 *      0101 + 080a + 0000 + 03e8 + cafe + f00d = 0x826e9 -> fold 0x26f1
 *      -> checksum 0xd90e
 */
static const uint8_t ack_vlan_ts[70] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x81, 0x00, 0x60, 0x64,
    0x08, 0x00, 0x45, 0x10, 0x00, 0x34, 0xff, 0xff, 0x40, 0x00, 0x3f, 0x06, 0x4f, 0x7d, 0xc0, 0x00,
    0x02, 0x01, 0xc6, 0x33, 0x64, 0x02, 0x13, 0x89, 0xc0, 0x00, 0x00, 0x00, 0xff, 0xfe, 0xff, 0xff,
    0xff, 0x00, 0x80, 0x10, 0x1f, 0xf9, 0xd9, 0x0e, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x00, 0x00,
    0x03, 0xe8, 0xca, 0xfe, 0xf0, 0x0d,
};

/* An 802.1Q tag (TCI 5), no timestamps: the ACK of a fresh connection,
 * window 32768 (0x8000); the TCP sum equals ack_plain's (ack 0x0b68 less,
 * window 0x0b68 more). */
static const uint8_t ack_vlan[58] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x81, 0x00, 0x00, 0x05,
    0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x10, 0x00, 0x40, 0x00, 0x40, 0x06, 0x3e, 0x99, 0xc0, 0x00,
    0x02, 0x01, 0xc6, 0x33, 0x64, 0x02, 0x13, 0x89, 0xc0, 0x00, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22,
    0x33, 0x44, 0x50, 0x10, 0x80, 0x00, 0x5e, 0xbe, 0x00, 0x00,
};

static void ack_frames_vlan_ts(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), want;

    c.flags = RX_FLAG_VLAN | RX_FLAG_TS | RX_FLAG_DF | RX_FLAG_HW_DUPACK;
    c.vlan_tci = 0x6064;
    c.tos = 0x10;
    c.ttl = 63;
    c.ip_id = 0xFFFF;
    c.rcv_wscale = 7;
    c.buf_size_log2 = 20;
    c.rcv_nxt = 0xFFFFFF00u;
    c.rcv_read = c.buf_seq0 = 0xFFFFFB18u; /* 1000 bytes unread */
    c.rcv_adv = 0x000FFB30u;               /* rcv_nxt + 1047600 */
    c.last_ack_sent = 0xFFFFFF00u;
    c.ts_recent = 0xCAFEF00Du;
    c.snd_una = c.snd_nxt = 0x0000FFFEu;
    c.snd_wl2 = c.snd_una;
    install(fx, &c);
    set_cfg3(fx, DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT, 3);
    while (toe_rx_model_now(fx->m) < 3000)
        tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 1000);
    fx->ts_now = 0x00BC614E; /* ignored */
    fx_mark(fx);
    assert_int_equal(do_cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0, NULL), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(fx->ack[0].len, 70);
    assert_memory_equal(fx->ack[0].frame, ack_vlan_ts, 70);
    expect_ack(fx, 0, &c, 0xFFFFFF00u, 0x1FF9, 1000);
    DELTAS(RX_CNT_ACKS_OUT, 1, RX_CNT_ACK_HOST, 1, RX_CNT_CMDS, 1);
    want = c;
    want.ip_id = 0;                         /* 0xffff + 1 */
    want.rcv_adv = 0xFFFFFF00u + 8185 * 128; /* 0x000ffb80 */
    want.acks_out = 1;
    expect_ctx(ctx_of(fx, CONN), &want);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, 0x000FFB80u);

    /* with a tag but no timestamps (the same 4-tuple, installed anew) */
    assert_int_equal(do_cmd(fx, CONN_CMD_DELETE, CONN, 0, 0, 0, NULL), CONN_STATUS_OK);
    c = std_ctx();
    c.flags |= RX_FLAG_VLAN;
    c.vlan_tci = 5;
    install(fx, &c);
    assert_int_equal(do_cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0, NULL), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(fx->ack[0].len, 58);
    assert_memory_equal(fx->ack[0].frame, ack_vlan, 58);
    expect_ack(fx, 0, &c, RCV0, 0x8000, 0);
}

/*
 * The delayed ACK of one 100-byte segment, timestamps, no tag, no DF:
 * armed at tick 0 with the default 4000 ticks, sent at tick 4000 (not
 * 3999) with the timestamp clock then, 4000 / 100 = 40, as TSval and the
 * segment's TSval 5000 as TSecr; window 32768 - 100 = 32668 (0x7f9c).
 * IP:  4500 + 0034 + 1000 + 0000 + 4006 + [0000] + c000 + 0201 + c633
 *      + 6402 = 0x28170 -> fold 0x8172 -> checksum 0x7e8d
 * TCP: pseudo c000 + 0201 + c633 + 6402 + 0006 + 0020, header 1389 + c000
 *      + 5566 + 7788 + 1122 + 33a8 + 8010 + 7f9c + [0000] + 0000, option
 *      0101 + 080a + 0000 + 0028 + 0000 + 1388 = 0x4ee04 -> fold 0xee08
 *      -> checksum 0x11f7
 */
static const uint8_t ack_ts_delayed[66] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x34, 0x10, 0x00, 0x00, 0x00, 0x40, 0x06, 0x7e, 0x8d, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33,
    0x64, 0x02, 0x13, 0x89, 0xc0, 0x00, 0x55, 0x66, 0x77, 0x88, 0x11, 0x22, 0x33, 0xa8, 0x80, 0x10,
    0x7f, 0x9c, 0x11, 0xf7, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00,
    0x13, 0x88,
};

static void delayed_ack(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), before;
    struct seg s;
    uint32_t t;

    c.flags = RX_FLAG_TS | RX_FLAG_HW_DUPACK;
    install(fx, &c);
    fx->ts_now = 1000;
    s = peer(fx, CONN, RCV0, 100);
    s.tsval = 5000;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 5000);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK);
    assert_int_equal(ctx_of(fx, CONN)->delack_deadline, 4000);

    fx_mark(fx);
    for (t = 1; t < 4000; t++) {
        fx->ts_now = 1000 + t; /* ignored */
        tick(fx);
    }
    assert_int_equal(toe_rx_model_ts(fx->m), 39);
    assert_int_equal(toe_rx_model_now(fx->m), 3999);
    assert_int_equal(fx->n_ack, 0); /* not a tick early */
    assert_int_equal(fx->n_ev, 1);  /* the DATA event, at the first tick */
    expect_event(fx, 0, RX_EV_DATA, 0, CONN, RCV0 + 100, 100, 1);

    before = *ctx_of(fx, CONN);
    fx_mark(fx);
    tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 40);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(fx->ack[0].len, 66);
    assert_memory_equal(fx->ack[0].frame, ack_ts_delayed, 66);
    expect_ack(fx, 0, &before, RCV0 + 100, 32668, 40);
    DELTAS(RX_CNT_ACKS_OUT, 1, RX_CNT_ACK_DELAYED, 1);
    assert_int_equal(ctx_of(fx, CONN)->pend, 0);
    assert_int_equal(ctx_of(fx, CONN)->last_ack_sent, RCV0 + 100);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 100 + 32668);

    /* once sent, no more */
    fx_mark(fx);
    for (t = 0; t < 5000; t++)
        tick(fx);
    assert_int_equal(fx->n_ack, 0);

    /* a second small segment while armed leaves the deadline alone */
    set_cfg(fx, 10, RX_EVENT_COALESCE_DEFAULT);
    s = peer(fx, CONN, RCV0 + 100, 10);
    send_marked(fx, CONN, &s); /* now 9000: deadline 9010 */
    assert_int_equal(ctx_of(fx, CONN)->delack_deadline, 9010);
    for (t = 0; t < 5; t++)
        tick(fx);
    s = peer(fx, CONN, RCV0 + 110, 10);
    send(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->delack_deadline, 9010);
    for (t = 0; t < 4; t++)
        tick(fx);
    assert_int_equal(fx->n_ack, 0);
    tick(fx);
    assert_int_equal(toe_rx_model_now(fx->m), 9010);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(toe_get32(fx->ack[0].frame + 42), RCV0 + 120);
}

/*
 * RFC 1122 4.2.3.2: an ACK is never delayed more than 500 ms, whatever the
 * setting: the timeout is capped at DELACK_TICKS_MAX (500 ms at the 10 us
 * tick).  0 means "at the next tick".
 */
static void delayed_ack_capped(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    uint32_t t, now;

    install(fx, &c);
    set_cfg(fx, 0xFFFFFFF0u, RX_EVENT_COALESCE_DEFAULT);
    s = peer(fx, CONN, RCV0, 10);
    send_marked(fx, CONN, &s);
    now = toe_rx_model_now(fx->m);
    assert_int_equal(ctx_of(fx, CONN)->delack_deadline, now + DELACK_TICKS_MAX);
    for (t = 1; t < DELACK_TICKS_MAX; t++)
        tick(fx);
    assert_int_equal(fx->n_ack, 0); /* not a tick early */
    tick(fx);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(cnt_delta(fx, RX_CNT_ACK_DELAYED), 1);

    set_cfg(fx, DELACK_TICKS_MAX - 1, RX_EVENT_COALESCE_DEFAULT);  /* below the cap: as set */
    s = peer(fx, CONN, RCV0 + 10, 10);
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->delack_deadline,
                     toe_rx_model_now(fx->m) + DELACK_TICKS_MAX - 1);
    assert_int_equal(do_cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0, NULL), CONN_STATUS_OK);

    set_cfg(fx, 0, RX_EVENT_COALESCE_DEFAULT);
    s = peer(fx, CONN, RCV0 + 20, 10);
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->delack_deadline, toe_rx_model_now(fx->m));
    tick(fx);
    assert_int_equal(fx->n_ack, 1);
}

/*
 * The timestamp clock counts ticks: one unit per cfg.ts_ticks (0 and 1:
 * every tick), counted from the last step, so a smaller setting takes
 * effect at the next tick.  Each input sees the clock of its place in the
 * order: a frame after k ticks, ts(k); a tick's delayed ACK, the clock
 * after that tick's own step.  The ts_now arguments change nothing.
 */
static void ts_clock(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    int i;

    c.flags |= RX_FLAG_TS;
    install(fx, &c);
    assert_int_equal(toe_rx_model_ts(fx->m), 0);
    for (i = 1; i <= 100; i++) {
        fx->ts_now = (uint32_t)test_rand64();
        tick(fx);
        assert_int_equal(toe_rx_model_ts(fx->m), i == 100);
    }
    set_cfg3(fx, DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT, 3);
    tick(fx);
    tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 1);
    tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 2);
    set_cfg3(fx, DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT, 1);
    tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 3);
    set_cfg3(fx, DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT, 0);
    tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 4);
    /* 50 ticks into a 100-tick unit, then 10: the next tick steps */
    set_cfg3(fx, DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT, 100);
    for (i = 0; i < 50; i++)
        tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 4);
    set_cfg3(fx, DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT, 10);
    tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 5);
    for (i = 0; i < 9; i++)
        tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 5);
    tick(fx);
    assert_int_equal(toe_rx_model_ts(fx->m), 6);

    /* a DUP ACK carries the clock at the frame's place */
    fx->ts_now = 0xDEADBEEF;
    s = peer(fx, CONN, RCV0 + 10, 10);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(toe_get32(fx->ack[0].frame + 58), 6);
    /* a delayed ACK, the clock after its tick's step */
    set_cfg3(fx, 2, RX_EVENT_COALESCE_DEFAULT, 1);
    s = peer(fx, CONN, RCV0, 10);
    send_marked(fx, CONN, &s); /* now 166: deadline 168 */
    tick(fx);
    assert_int_equal(fx->n_ack, 0);
    tick(fx);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(toe_rx_model_now(fx->m), 168);
    assert_int_equal(toe_rx_model_ts(fx->m), 8);
    assert_int_equal(toe_get32(fx->ack[0].frame + 58), 8);
}

/* ---- unacceptable segments ---- */

/* Segment of L bytes at seq: an exception of reason with a DUP ACK
 * (ack rcv_nxt, window win) when dup. */
static void expect_unacceptable(struct fx *fx, uint32_t seq, size_t L,
                                uint8_t reason, int dup, uint16_t win)
{
    struct toe_rx_ctx before = *ctx_of(fx, CONN), want = before;
    struct seg s = peer(fx, CONN, seq, L);
    size_t n = send_marked(fx, CONN, &s);

    expect_conn_exc(fx, CONN, n, reason);
    if (dup) {
        assert_int_equal(fx->n_ack, 1);
        expect_ack(fx, 0, &before, before.rcv_nxt, win, toe_rx_model_ts(fx->m));
        DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, (int)n, RX_CNT_EXC, 1, CNT_EXC(reason), 1,
               RX_CNT_ACKS_OUT, 1, RX_CNT_ACK_DUP, 1);
        want.ip_id++;
        want.acks_out++;
        want.last_ack_sent = before.rcv_nxt;
        want.rcv_adv = before.rcv_nxt + win;
        want.segs_unacked = 0;
        want.pend &= (uint8_t)~TOE_RX_PEND_DELACK;
    } else {
        assert_int_equal(fx->n_ack, 0);
        DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, (int)n, RX_CNT_EXC, 1, CNT_EXC(reason), 1);
    }
    expect_ctx(ctx_of(fx, CONN), &want);
}

static void unacceptable_with_dup_ack(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    install(fx, &c);
    expect_unacceptable(fx, RCV0 + 100, 100, RX_EXC_OOO, 1, 32768);
    expect_unacceptable(fx, RCV0 + 1, 1, RX_EXC_OOO, 1, 32768);
    expect_unacceptable(fx, RCV0 + 32767, 10, RX_EXC_OOO, 1, 32768);
    expect_unacceptable(fx, RCV0 + 32768, 10, RX_EXC_WINDOW, 1, 32768);
    expect_unacceptable(fx, RCV0 + 0x7FFFFFFF, 10, RX_EXC_WINDOW, 1, 32768);
    expect_unacceptable(fx, RCV0 - 100, 100, RX_EXC_OLD, 1, 32768);
    expect_unacceptable(fx, RCV0 - 50, 100, RX_EXC_OLD, 1, 32768); /* partly new */
    expect_unacceptable(fx, RCV0 - 0x80000000u, 10, RX_EXC_OLD, 1, 32768);

    /* a DUP ACK also ends a pending delayed ACK and the EVERY2 count */
    s = peer(fx, CONN, RCV0, 1460);
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK);
    assert_int_equal(ctx_of(fx, CONN)->segs_unacked, 1);
    expect_unacceptable(fx, RCV0 + 2000, 100, RX_EXC_OOO, 1, 32768 - 1460);
    assert_int_equal(ctx_of(fx, CONN)->pend, 0);
    assert_int_equal(ctx_of(fx, CONN)->segs_unacked, 0);
}

static void unacceptable_without_hw_dupack(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();

    c.flags &= (uint8_t)~RX_FLAG_HW_DUPACK;
    install(fx, &c);
    expect_unacceptable(fx, RCV0 + 100, 100, RX_EXC_OOO, 0, 0);
    expect_unacceptable(fx, RCV0 + 32768, 10, RX_EXC_WINDOW, 0, 0);
    expect_unacceptable(fx, RCV0 - 100, 100, RX_EXC_OLD, 0, 0);
}

static void buf_full(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    size_t n;

    /* 31768 bytes unread: 1000 free, and 1000 offered */
    c.rcv_read = c.buf_seq0 = RCV0 - 31768;
    c.rcv_adv = RCV0 + 1000;
    install(fx, &c);
    expect_unacceptable(fx, RCV0, 1001, RX_EXC_BUF_FULL, 0, 0);
    s = peer(fx, CONN, RCV0, 1000);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(fx->n_dma, 1);
    expect_dma(fx, 0, c.buf_base + 31768, 1000);
    /* full: one byte is too many, a pure ACK is still taken */
    expect_unacceptable(fx, RCV0 + 1000, 1, RX_EXC_BUF_FULL, 0, 0);
    s = peer(fx, CONN, RCV0 + 1000, 0);
    n = send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, (int)n, RX_CNT_ACKS_IN, 1);
}

/*
 * In-order data is checked against the free ring space only, not against
 * the window offered: with a zero window offered (rcv_adv = rcv_nxt) but
 * room in the ring, it is placed (the contract's literal rule; see the
 * report on ambiguities).
 */
static void in_order_beyond_offered_window(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.rcv_adv = RCV0;
    install(fx, &c);
    s = peer(fx, CONN, RCV0, 100);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(fx->n_dma, 1);
    assert_int_equal(ctx_of(fx, CONN)->rcv_nxt, RCV0 + 100);
    /* but out-of-order data there is WINDOW (seq >= rcv_adv) */
    expect_unacceptable(fx, RCV0 + 200, 100, RX_EXC_WINDOW, 1, 32668);
}

/* ---- PAWS, ACK range, and the order of the checks ---- */

/* Replace the standard connection by c. */
static void reinstall(struct fx *fx, const struct toe_rx_ctx *c)
{
    assert_int_equal(do_cmd(fx, CONN_CMD_DELETE, CONN, 0, 0, 0, NULL), CONN_STATUS_OK);
    install(fx, c);
}

static void paws(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    size_t n;
    static const uint32_t recent[] = {1000, 0xFFFFFFF0u, 5, 0x7FFFFFFF};
    static const uint32_t older[] = {999, 0xFFFFFFEFu, 0xFFFFFFF0u, 0xFFFFFFFFu};
    static const uint32_t newer[] = {1000, 5, 0x7FFFFFFF, 0x80000000u};
    size_t i;

    c.flags |= RX_FLAG_TS;
    install(fx, &c);
    for (i = 0; i < 4; i++) {
        c.ts_recent = recent[i];
        reinstall(fx, &c);
        s = peer(fx, CONN, RCV0, 10);
        s.tsval = older[i];
        n = send_marked(fx, CONN, &s);
        expect_conn_exc(fx, CONN, n, RX_EXC_PAWS);
        assert_int_equal(fx->n_ack, 0);
        assert_int_equal(ctx_of(fx, CONN)->ts_recent, recent[i]);
        s.tsval = newer[i];
        send_marked(fx, CONN, &s);
        assert_int_equal(fx->n_exc, 0);
        assert_int_equal(fx->n_dma, 1);
        assert_int_equal(ctx_of(fx, CONN)->ts_recent, newer[i]);
    }
    /* half the space away counts as older: (int32_t)0x80000000 < 0 */
    c.ts_recent = 0;
    reinstall(fx, &c);
    s = peer(fx, CONN, RCV0, 0);
    s.tsval = 0x80000000u;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_PAWS);
}

static void ack_range(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    size_t n;
    static const struct {
        uint32_t una, nxt, max, ack;
        int ok;
    } cases[] = {
        {SND0, SND0 + 5000, 65535, SND0 + 5000, 1},
        {SND0, SND0 + 5000, 65535, SND0 + 5001, 0},
        {SND0, SND0 + 5000, 65535, SND0 - 65535, 1},
        {SND0, SND0 + 5000, 65535, SND0 - 65536, 0},
        {SND0, SND0, 0, SND0, 1},
        {SND0, SND0, 0, SND0 - 1, 0},
        {0x10, 0x20, 0x100, 0xFFFFFF10u, 1}, /* the window below wraps */
        {0x10, 0x20, 0x100, 0xFFFFFF0Fu, 0},
        {0xFFFFFFF0u, 0x10, 0x100, 0x10, 1}, /* snd_nxt past 2^32 */
        {0xFFFFFFF0u, 0x10, 0x100, 0x11, 0},
    };
    size_t i;

    install(fx, &c);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        c.snd_una = c.snd_wl2 = cases[i].una;
        c.snd_nxt = cases[i].nxt;
        c.max_snd_wnd = cases[i].max;
        reinstall(fx, &c);
        s = peer(fx, CONN, RCV0, 0);
        s.ack = cases[i].ack;
        n = send_marked(fx, CONN, &s);
        if (cases[i].ok) {
            assert_int_equal(fx->n_exc, 0);
            assert_int_equal(cnt_delta(fx, RX_CNT_ACKS_IN), 1);
        } else {
            expect_conn_exc(fx, CONN, n, RX_EXC_ACK_RANGE);
            DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, (int)n, RX_CNT_EXC, 1,
                   RX_CNT_EXC_ACK_RANGE, 1);
        }
    }
}

/* Each check in turn wins over all the later ones. */
static void check_order(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    static const uint8_t mss_opt[4] = {2, 4, 5, 180};
    static const uint8_t ctl[] = {TCP_FLAG_SYN, TCP_FLAG_RST, TCP_FLAG_FIN, TCP_FLAG_URG};
    struct seg s;
    size_t n, i;

    c.flags |= RX_FLAG_TS;
    c.ts_recent = 1000;
    install(fx, &c);

    /* a segment wrong in every way: out of order, ACK beyond snd_nxt, old
     * TSval, MSS option, FIN */
    s = peer(fx, CONN, RCV0 + 100, 10);
    s.ack = SND0 + 1;
    s.tsval = 999;
    s.opt = mss_opt;
    s.optlen = 4;
    s.flags = TCP_FLAG_ACK | TCP_FLAG_FIN;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_FLAGS);
    s.flags = TCP_FLAG_ACK;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_OPTIONS);
    s.optlen = 0;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_PAWS);
    s.tsval = 1000;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_ACK_RANGE);
    assert_int_equal(fx->n_ack, 0); /* only OLD/WINDOW/OOO are ACKed */
    s.ack = SND0;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_OOO);
    assert_int_equal(fx->n_ack, 1);

    /* every control flag, alone with ACK, and ACK missing */
    for (i = 0; i < sizeof(ctl); i++) {
        s = peer(fx, CONN, RCV0, 0);
        s.flags = (uint8_t)(TCP_FLAG_ACK | ctl[i]);
        n = send_marked(fx, CONN, &s);
        expect_conn_exc(fx, CONN, n, RX_EXC_FLAGS);
    }
    s = peer(fx, CONN, RCV0, 5);
    s.flags = TCP_FLAG_PSH;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_FLAGS);
    s.flags = 0;
    s.raw_flags = 1;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_FLAGS);
    /* PSH, ECE and CWR are fine */
    s.flags = TCP_FLAG_ACK | TCP_FLAG_PSH | TCP_FLAG_ECE | TCP_FLAG_CWR;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(fx->n_dma, 1);
    assert_int_equal(fx->n_ev, 1); /* PSH */
}

/* ---- pure ACKs ---- */

static void pure_ack_acceptance(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    size_t n;
    static const struct {
        uint32_t seq;
        uint8_t exc;
    } cases[] = {
        {RCV0, 0},
        {RCV0 + 1, 0},
        {RCV0 + 32767, 0},
        {RCV0 + 32768, RX_EXC_WINDOW},
        {RCV0 + 0x7FFFFFFF, RX_EXC_WINDOW},
        {RCV0 - 1, RX_EXC_OLD},
        {RCV0 - 0x80000000u, RX_EXC_OLD},
    };
    size_t i;

    install(fx, &c); /* HW_DUPACK: still no ACK for a pure ACK */
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s = peer(fx, CONN, cases[i].seq, 0);
        n = send_marked(fx, CONN, &s);
        assert_int_equal(fx->n_ack, 0);
        if (cases[i].exc) {
            expect_conn_exc(fx, CONN, n, cases[i].exc);
            DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 54, RX_CNT_EXC, 1,
                   CNT_EXC(cases[i].exc), 1);
        } else {
            assert_int_equal(fx->n_exc, 0);
            DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 54, RX_CNT_ACKS_IN, 1);
        }
    }
    /* a zero window offered: only seq == rcv_nxt */
    c.rcv_adv = RCV0;
    reinstall(fx, &c);
    s = peer(fx, CONN, RCV0, 0);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    s = peer(fx, CONN, RCV0 + 1, 0);
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_WINDOW);
    /* rcv_adv behind rcv_nxt (after RCV_NXT moved it on): same */
    c.rcv_adv = RCV0 - 10;
    reinstall(fx, &c);
    s = peer(fx, CONN, RCV0, 0);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    s = peer(fx, CONN, RCV0 + 1, 0);
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_WINDOW);
}

/* ---- incoming ACKs ---- */

static void dupacks(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    int i;

    c.snd_nxt = SND0 + 3000; /* data outstanding */
    install(fx, &c);
    tick(fx);
    tick(fx);
    for (i = 1; i <= 4; i++) {
        s = peer(fx, CONN, RCV0, 0);
        send_marked(fx, CONN, &s);
        assert_int_equal(ctx_of(fx, CONN)->dupacks, i);
        assert_int_equal(fx->n_ev, i == 3);
        if (i == 3) {
            expect_event(fx, 0, RX_EV_DUPACK3, 0, CONN, SND0, 65535, 2);
            DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 54, RX_CNT_ACKS_IN, 1,
                   RX_CNT_DUPACKS_IN, 1, RX_CNT_EVENTS, 1);
        } else {
            DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 54, RX_CNT_ACKS_IN, 1,
                   RX_CNT_DUPACKS_IN, 1);
        }
    }
    assert_int_equal(ctx_of(fx, CONN)->pend, 0); /* nothing for TX_UPDATE */

    /* not duplicates, and not resetting the count either (only an ACK
     * that advances snd_una does): with data, with another window */
    s = peer(fx, CONN, RCV0, 10);
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->dupacks, 4);
    assert_int_equal(cnt_delta(fx, RX_CNT_DUPACKS_IN), 0);
    s = peer(fx, CONN, RCV0 + 10, 0);
    s.wnd = 65534;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->dupacks, 4);
    assert_int_equal(cnt_delta(fx, RX_CNT_DUPACKS_IN), 0);
    /* the same ACK with the new window is a duplicate again */
    s = peer(fx, CONN, RCV0 + 10, 0);
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->dupacks, 5);

    /* an advancing ACK resets it and marks TX_UPDATE ACKED */
    s = peer(fx, CONN, RCV0 + 10, 0);
    s.ack = SND0 + 1000;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->dupacks, 0);
    assert_int_equal(ctx_of(fx, CONN)->snd_una, SND0 + 1000);
    assert_true(ctx_of(fx, CONN)->pend & TOE_RX_PEND_ACKED);

    /* saturation at 255: 300 duplicates, one DUPACK3, every one counted */
    fx_mark(fx);
    for (i = 0; i < 300; i++) {
        s = peer(fx, CONN, RCV0 + 10, 0);
        send(fx, CONN, &s);
    }
    assert_int_equal(ctx_of(fx, CONN)->dupacks, 255);
    assert_int_equal(cnt_delta(fx, RX_CNT_DUPACKS_IN), 300);
    assert_int_equal(fx->n_ev, 1);
    assert_int_equal(fx->ev[0].ev_type, RX_EV_DUPACK3);

    /* nothing outstanding: not a duplicate */
    assert_int_equal(do_cmd(fx, CONN_CMD_SND, CONN, SND0 + 1000, SND0 + 1000, 65534, NULL),
                     CONN_STATUS_OK);
    c = *ctx_of(fx, CONN);
    assert_int_equal(c.dupacks, 255); /* SND leaves it alone */
    s = peer(fx, CONN, RCV0 + 10, 0);
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->dupacks, 255);
    assert_int_equal(cnt_delta(fx, RX_CNT_DUPACKS_IN), 0);
}

static void tx_update_coalescing(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.snd_nxt = SND0 + 10000;
    install(fx, &c);
    /* three advancing ACKs in one tick: one TX_UPDATE with the last */
    s = peer(fx, CONN, RCV0, 0);
    s.ack = SND0 + 1000;
    send_marked(fx, CONN, &s);
    s.ack = SND0 + 2000;
    send(fx, CONN, &s);
    s.ack = SND0 + 3000;
    send(fx, CONN, &s);
    assert_int_equal(fx->n_ev, 0);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_ACKED);
    tick(fx);
    assert_int_equal(fx->n_ev, 1);
    expect_event(fx, 0, RX_EV_TX_UPDATE, EV_FLAG_ACKED, CONN, SND0 + 3000, 65535, 1);
    assert_int_equal(ctx_of(fx, CONN)->pend, 0);
    fx_mark(fx);
    tick(fx);
    assert_int_equal(fx->n_ev, 0);

    /* a window change alone: WND */
    s = peer(fx, CONN, RCV0, 0);
    s.wnd = 30000;
    send_marked(fx, CONN, &s);
    tick(fx);
    expect_event(fx, 0, RX_EV_TX_UPDATE, EV_FLAG_WND, CONN, SND0 + 3000, 30000, 3);
    /* both */
    s = peer(fx, CONN, RCV0, 0);
    s.ack = SND0 + 4000;
    s.wnd = 20000;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_ACKED | TOE_RX_PEND_WND);
    tick(fx);
    expect_event(fx, 0, RX_EV_TX_UPDATE, EV_FLAG_ACKED | EV_FLAG_WND, CONN,
                 SND0 + 4000, 20000, 4);
    /* a window changed there and back within a tick still reports WND */
    s = peer(fx, CONN, RCV0, 0);
    s.wnd = 20001;
    send_marked(fx, CONN, &s);
    s.wnd = 20000;
    send(fx, CONN, &s);
    tick(fx);
    expect_event(fx, 0, RX_EV_TX_UPDATE, EV_FLAG_WND, CONN, SND0 + 4000, 20000, 5);
    assert_int_equal(cnt_delta(fx, RX_CNT_EVENTS), 1);
}

/*
 * The window is taken only from a segment at least as new as the one it
 * last came from (RFC 9293 section 3.10.7.4, SND.WL1/SND.WL2) and with an
 * ACK not below snd_una.
 */
static void window_update_wl(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.snd_nxt = SND0 + 1000;
    install(fx, &c);
    /* a pure ACK further into the window: newer, taken */
    s = peer(fx, CONN, RCV0 + 500, 0);
    s.wnd = 40000;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 40000);
    assert_int_equal(ctx_of(fx, CONN)->snd_wl1, RCV0 + 500);
    assert_int_equal(ctx_of(fx, CONN)->snd_wl2, SND0);
    /* an older one (reordered, seq < wl1), though acceptable: ignored */
    s = peer(fx, CONN, RCV0, 0);
    s.wnd = 1000;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 40000);
    assert_int_equal(ctx_of(fx, CONN)->snd_wl1, RCV0 + 500);
    /* the same seq with a newer ACK: taken (and snd_una moves) */
    s = peer(fx, CONN, RCV0 + 500, 0);
    s.ack = SND0 + 100;
    s.wnd = 1000;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 1000);
    assert_int_equal(ctx_of(fx, CONN)->snd_wl2, SND0 + 100);
    assert_int_equal(ctx_of(fx, CONN)->max_snd_wnd, 65535);
    /* an ACK below snd_una (inside the RFC 5961 range): no window */
    s = peer(fx, CONN, RCV0 + 600, 0);
    s.ack = SND0 + 50;
    s.wnd = 2000;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 1000);
    assert_int_equal(ctx_of(fx, CONN)->snd_una, SND0 + 100);
    assert_int_equal(ctx_of(fx, CONN)->snd_wl1, RCV0 + 500);
    /* same seq, ACK equal to wl2: taken; larger than ever: max grows */
    s = peer(fx, CONN, RCV0 + 500, 0);
    s.wnd = 65535;
    s.ack = SND0 + 100;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 65535);

    /* same seq, ACK between snd_una and wl2 (a state the driver set up):
     * snd_una moves, the window does not */
    c = std_ctx();
    c.snd_nxt = SND0 + 200;
    c.snd_wl1 = RCV0;
    c.snd_wl2 = SND0 + 100;
    reinstall(fx, &c);
    s = peer(fx, CONN, RCV0, 0);
    s.ack = SND0 + 50;
    s.wnd = 500;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->snd_una, SND0 + 50);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 65535);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_ACKED);
}

static void wnd_open(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.snd_wnd = 0;
    c.snd_nxt = SND0 + 100;
    install(fx, &c);
    tick(fx);
    /* zero to zero: nothing */
    s = peer(fx, CONN, RCV0, 0);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_ev, 0);
    assert_int_equal(ctx_of(fx, CONN)->pend, 0);
    /* zero to 1000, with data and PSH: WND_OPEN at once, before DATA */
    s = peer(fx, CONN, RCV0, 10);
    s.wnd = 1000;
    s.ack = SND0 + 10;
    s.flags = TCP_FLAG_ACK | TCP_FLAG_PSH;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_ev, 2);
    expect_event(fx, 0, RX_EV_WND_OPEN, 0, CONN, SND0 + 10, 1000, 1);
    expect_event(fx, 1, RX_EV_DATA, 0, CONN, RCV0 + 10, 10, 1);
    assert_int_equal(ctx_of(fx, CONN)->pend,
                     TOE_RX_PEND_DELACK | TOE_RX_PEND_ACKED | TOE_RX_PEND_WND);
    assert_int_equal(ctx_of(fx, CONN)->max_snd_wnd, 65535);
    /* 1000 to 2000: no WND_OPEN */
    s = peer(fx, CONN, RCV0 + 10, 0);
    s.wnd = 2000;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_ev, 0);
    tick(fx);
    expect_event(fx, 0, RX_EV_TX_UPDATE, EV_FLAG_ACKED | EV_FLAG_WND, CONN,
                 SND0 + 10, 2000, 2);
    /* back to zero and open again: WND_OPEN again */
    s = peer(fx, CONN, RCV0 + 10, 0);
    s.wnd = 0;
    send_marked(fx, CONN, &s);
    s.wnd = 1;
    send(fx, CONN, &s);
    assert_int_equal(fx->n_ev, 1);
    expect_event(fx, 0, RX_EV_WND_OPEN, 0, CONN, SND0 + 10, 1, 2);
}

/* TS.Recent takes the TSval of a segment at or before Last.ACK.sent. */
static void ts_recent_rule(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.flags |= RX_FLAG_TS;
    c.ts_recent = 50;
    install(fx, &c);
    s = peer(fx, CONN, RCV0, 1000);
    s.tsval = 100;
    send_marked(fx, CONN, &s); /* seq == last_ack_sent */
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 100);
    s = peer(fx, CONN, RCV0 + 1000, 1000);
    s.tsval = 200;
    send_marked(fx, CONN, &s); /* seq > last_ack_sent: unchanged */
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 100);
    /* the ACK echoes TS.Recent and moves Last.ACK.sent; its TSval is the
     * clock: 777 ticks at one per unit */
    set_cfg3(fx, DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT, 1);
    while (toe_rx_model_now(fx->m) < 777)
        tick(fx);
    fx_mark(fx);
    assert_int_equal(do_cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0, NULL), CONN_STATUS_OK);
    assert_int_equal(toe_get32(fx->ack[0].frame + 54 + 4), 777);
    assert_int_equal(toe_get32(fx->ack[0].frame + 54 + 8), 100);
    assert_int_equal(ctx_of(fx, CONN)->last_ack_sent, RCV0 + 2000);
    s = peer(fx, CONN, RCV0 + 2000, 0);
    s.tsval = 300;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 300);
    /* a pure ACK inside the window but beyond Last.ACK.sent: unchanged */
    s = peer(fx, CONN, RCV0 + 2500, 0);
    s.tsval = 400;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 300);
    /* an older segment's TSval never gets in: an exception first */
    s = peer(fx, CONN, RCV0 + 1000, 100);
    s.tsval = 350;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 1);
    assert_int_equal(fx->exc[0].rec.reason, RX_EXC_OLD);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 300);
    /* the DUP ACK it caused echoes the unchanged TS.Recent */
    assert_int_equal(toe_get32(fx->ack[0].frame + 54 + 8), 300);
    /* across 2^32: last_ack_sent 0xffffff00, seq 0x10 is after it */
    c.rcv_nxt = c.rcv_read = c.buf_seq0 = c.last_ack_sent = 0xFFFFFF00u;
    c.rcv_adv = 0xFFFFFF00u + 32768;
    c.snd_wl1 = 0xFFFFFEFFu;
    c.ts_recent = 1;
    reinstall(fx, &c);
    s = peer(fx, CONN, 0xFFFFFF00u, 0x110);
    s.tsval = 2;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 2);
    assert_int_equal(ctx_of(fx, CONN)->rcv_nxt, 0x10);
    s = peer(fx, CONN, 0x10, 0);
    s.tsval = 3;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 2);
}

/* ---- the window in ACKs ---- */

/* ACK_NOW on the standard connection; returns the window field sent. */
static uint16_t ack_now_win(struct fx *fx)
{
    fx_mark(fx);
    assert_int_equal(do_cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0, NULL), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
    return toe_get16(fx->ack[0].frame + 48);
}

static void window_right_edge(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    /* offered more than the ring (40000 > 32768): the edge stays */
    c.rcv_adv = RCV0 + 40000;
    install(fx, &c);
    assert_int_equal(ack_now_win(fx), 40000);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 40000);
    s = peer(fx, CONN, RCV0, 1000);
    send_marked(fx, CONN, &s);
    assert_int_equal(ack_now_win(fx), 39000); /* free 31768 < 39000 */
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 40000);

    /* scaled: ceil(cur / 2^s), exactly and with a remainder */
    c.rcv_wscale = 3;
    c.rcv_adv = RCV0 + 39000;
    reinstall(fx, &c);
    assert_int_equal(ack_now_win(fx), 4875); /* 39000 / 8 */
    c.rcv_adv = RCV0 + 39001;
    reinstall(fx, &c);
    assert_int_equal(ack_now_win(fx), 4876);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 4876 * 8);

    /* free space decides when it is further right */
    c.rcv_adv = RCV0 + 100;
    reinstall(fx, &c);
    assert_int_equal(ack_now_win(fx), 4096); /* 32768 >> 3 */
    /* rcv_adv behind rcv_nxt counts as zero */
    c.rcv_adv = RCV0 - 100000;
    reinstall(fx, &c);
    assert_int_equal(ack_now_win(fx), 4096);

    /* never above 65535: 1 MiB unscaled */
    c.rcv_wscale = 0;
    c.buf_size_log2 = 20;
    c.rcv_adv = RCV0;
    reinstall(fx, &c);
    assert_int_equal(ack_now_win(fx), 65535);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 65535);
    /* the clamp also applies to a far edge (the edge then moves left: the
     * 16-bit field cannot say more) */
    c.buf_size_log2 = 15;
    c.rcv_adv = RCV0 + 70000;
    reinstall(fx, &c);
    assert_int_equal(ack_now_win(fx), 65535);

    /* a full ring with nothing offered: zero window */
    c = std_ctx();
    c.rcv_read = c.buf_seq0 = RCV0 - 32768;
    c.rcv_adv = RCV0;
    reinstall(fx, &c);
    assert_int_equal(ack_now_win(fx), 0);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0);
}

static void window_scaling(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.rcv_wscale = 7;
    c.snd_wscale = 7;
    c.buf_size_log2 = 20;
    c.rcv_adv = RCV0 + 1048576;
    c.snd_nxt = SND0 + 100000;
    install(fx, &c);
    assert_int_equal(ack_now_win(fx), 8192); /* 2^20 >> 7 */
    s = peer(fx, CONN, RCV0, 1000);
    s.wnd = 1000; /* 128000 bytes */
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 128000);
    assert_int_equal(ctx_of(fx, CONN)->max_snd_wnd, 128000);
    /* free 1047576 >> 7 = 8184 would pull the edge left: 8185 */
    assert_int_equal(ack_now_win(fx), 8185);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 1000 + 8185 * 128);
    /* duplicates compare the scaled window */
    s = peer(fx, CONN, RCV0 + 1000, 0);
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->dupacks, 1);
    s.wnd = 100; /* 12800: smaller, not a duplicate, max stays */
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->dupacks, 1);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 12800);
    assert_int_equal(ctx_of(fx, CONN)->max_snd_wnd, 128000);
    /* the largest scale: 65535 << 14 */
    c.snd_wscale = 14;
    reinstall(fx, &c);
    s = peer(fx, CONN, RCV0, 0);
    s.wnd = 65535;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 0x3FFFC000u);
    assert_int_equal(ctx_of(fx, CONN)->max_snd_wnd, 0x3FFFC000u);
}

/*
 * Every sequence comparison across 2^32: a connection whose receive
 * sequence, send sequence and timestamps all straddle the wrap.
 */
static void sequence_wrap(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    size_t n;

    c.flags |= RX_FLAG_TS;
    c.rcv_nxt = c.rcv_read = c.buf_seq0 = c.last_ack_sent = 0xFFFFFF00u;
    c.rcv_adv = 0x00007F00u;
    c.snd_una = c.snd_wl2 = 0xFFFFFFF0u;
    c.snd_nxt = 0x00000100u;
    c.snd_wl1 = 0xFFFFFEFFu;
    c.ts_recent = 0xFFFFFFF0u;
    install(fx, &c);

    /* sequence check */
    expect_unacceptable(fx, 0x00000010u, 100, RX_EXC_OOO, 1, 32768);
    expect_unacceptable(fx, 0xFFFFFE00u, 100, RX_EXC_OLD, 1, 32768);
    expect_unacceptable(fx, 0x00007F00u, 10, RX_EXC_WINDOW, 1, 32768);
    expect_unacceptable(fx, 0x00007EFFu, 10, RX_EXC_OOO, 1, 32768);
    /* ACK range across the wrap */
    s = peer(fx, CONN, 0xFFFFFF00u, 0);
    s.ack = 0x00000101u;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_ACK_RANGE);
    /* PAWS across the wrap: 0xffffffef is older than 0xfffffff0 */
    s = peer(fx, CONN, 0xFFFFFF00u, 0);
    s.tsval = 0xFFFFFFEFu;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_PAWS);

    /* in-order data over the wrap, newer TSval 5 (past 2^32), ACK 0x50
     * (past 2^32, so it advances snd_una) */
    s = peer(fx, CONN, 0xFFFFFF00u, 512);
    s.tsval = 5;
    s.ack = 0x50;
    s.wnd = 30000;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    expect_dma(fx, 0, c.buf_base, 512);
    expect_ring(fx, &c, 0xFFFFFF00u, 512);
    assert_int_equal(ctx_of(fx, CONN)->rcv_nxt, 0x100);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 5);
    assert_int_equal(ctx_of(fx, CONN)->snd_una, 0x50);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 30000);
    assert_int_equal(ctx_of(fx, CONN)->snd_wl1, 0xFFFFFF00u);
    assert_int_equal(ctx_of(fx, CONN)->snd_wl2, 0x50);
    /* the ACK range now reaches back over the wrap: 0x50 - 65535 */
    s = peer(fx, CONN, 0x100, 0);
    s.ack = 0xFFFF0051u;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    s.ack = 0xFFFF0050u;
    n = send_marked(fx, CONN, &s);
    expect_conn_exc(fx, CONN, n, RX_EXC_ACK_RANGE);
    /* a newer segment for the window after the wrap: seq 0x100 > wl1 */
    s = peer(fx, CONN, 0x100, 0);
    s.wnd = 20000;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->snd_wnd, 20000);
    assert_int_equal(ctx_of(fx, CONN)->snd_wl1, 0x100);
    /* duplicates of the wrapped snd_una */
    for (n = 0; n < 3; n++) {
        s = peer(fx, CONN, 0x100, 0);
        send_marked(fx, CONN, &s);
    }
    expect_event(fx, 0, RX_EV_DUPACK3, 0, CONN, 0x50, 20000, 0);
    /* the ACK carries the wrapped numbers */
    fx_mark(fx);
    assert_int_equal(do_cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0, NULL), CONN_STATUS_OK);
    c = *ctx_of(fx, CONN);
    c.ip_id--; /* as it was when the ACK was built */
    expect_ack(fx, 0, &c, 0x100, 32768 - 512, 0);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, 0x100 + 32768 - 512);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(place_in_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ring_wrap, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ring_wrap_seq_wrap, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(data_event_threshold, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tick_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(every2_ack, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ack_frames_vlan_ts, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(delayed_ack, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(delayed_ack_capped, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ts_clock, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(unacceptable_with_dup_ack, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(unacceptable_without_hw_dupack, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(buf_full, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(in_order_beyond_offered_window, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(paws, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ack_range, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(check_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(pure_ack_acceptance, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(dupacks, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tx_update_coalescing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(window_update_wl, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(wnd_open, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ts_recent_rule, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(window_right_edge, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(window_scaling, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sequence_wrap, fx_setup, fx_teardown),
    };

    test_seed_init("test_rx_conn");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
