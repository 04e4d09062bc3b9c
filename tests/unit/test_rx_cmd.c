/*
 * Unit tests of the RX model's commands (sim/model/toe_rx_cmd.c) against
 * docs/rx-datapath.md, "Commands": every op, every status code and the
 * order in which the checks give them, INSERT's zeroed fields, DELETE
 * ending pending work, READ, the RCV_READ window-update threshold, RCV_NXT,
 * SND and ACK_NOW.
 */
#include "test_rx_fixture.h"
#include "test_seed.h"
#include "toe_conn_table.h"

static uint8_t fb[RX_MAX_FRAME + 64];

static uint8_t cmd(struct fx *fx, uint8_t op, uint16_t id, uint32_t a0,
                   uint32_t a1, uint32_t a2)
{
    return do_cmd(fx, op, id, a0, a1, a2, NULL);
}

/* A command that must fail with st and change nothing but the counters. */
static void expect_fail(struct fx *fx, uint8_t op, uint16_t id, uint32_t a0,
                        uint32_t a1, uint32_t a2, const struct toe_rx_ctx *ctx,
                        uint8_t st)
{
    const struct toe_rx_ctx *now = toe_rx_model_ctx(fx->m, id);
    struct toe_rx_ctx before;
    int had = now != NULL;

    if (had)
        before = *now;
    fx_mark(fx);
    assert_int_equal(do_cmd(fx, op, id, a0, a1, a2, ctx), st);
    assert_int_equal(fx->n_ack + fx->n_ev + fx->n_exc + fx->n_dma, 0);
    DELTAS(RX_CNT_CMDS, 1, RX_CNT_CMD_ERRORS, 1);
    if (had)
        expect_ctx(ctx_of(fx, id), &before);
    else
        assert_null(toe_rx_model_ctx(fx->m, id));
}

/* A fresh mark, then segment s of connection id (built into fb). */
static size_t send_marked(struct fx *fx, uint16_t id, const struct seg *s)
{
    size_t n = build_seg(ctx_of(fx, id), s, fb);

    fx_mark(fx);
    deliver(fx, fb, n);
    return n;
}

static struct toe_rx_ctx other_port(struct toe_rx_ctx c, uint16_t remote_port)
{
    c.remote_port = remote_port;
    return c;
}

/* Replace the standard connection by c. */
static void reinstall_cmd(struct fx *fx, const struct toe_rx_ctx *c)
{
    assert_int_equal(cmd(fx, CONN_CMD_DELETE, CONN, 0, 0, 0), CONN_STATUS_OK);
    install(fx, c);
}

/* ---- op and id checks ---- */

static void bad_op_and_id(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    static const uint8_t bad_ops[] = {0, 8, 9, 0x80, 0xFF};
    static const uint8_t ops[] = {CONN_CMD_DELETE, CONN_CMD_READ, CONN_CMD_RCV_READ,
                                  CONN_CMD_RCV_NXT, CONN_CMD_SND, CONN_CMD_ACK_NOW};
    size_t i;

    install(fx, &c);
    /* an unknown op is BAD_OP whatever the id (checked first) */
    for (i = 0; i < sizeof(bad_ops); i++) {
        expect_fail(fx, bad_ops[i], CONN, 0, 0, 0, NULL, CONN_STATUS_BAD_OP);
        expect_fail(fx, bad_ops[i], 0xFFFF, 0, 0, 0, NULL, CONN_STATUS_BAD_OP);
    }
    for (i = 0; i < sizeof(ops); i++) {
        /* conn_max is 64 */
        expect_fail(fx, ops[i], 64, 0, 0, 0, NULL, CONN_STATUS_BAD_ID);
        expect_fail(fx, ops[i], 0xFFFF, 0, 0, 0, NULL, CONN_STATUS_BAD_ID);
        expect_fail(fx, ops[i], 63, 0, 0, 0, NULL, CONN_STATUS_NOT_FOUND);
        expect_fail(fx, ops[i], 0, 0, 0, 0, NULL, CONN_STATUS_NOT_FOUND);
    }
    expect_fail(fx, CONN_CMD_INSERT, 64, 0, 0, 0, &c, CONN_STATUS_BAD_ID);
    /* the response echoes tag, conn_id and op (checked by do_cmd) */
}

/* The largest table: id 65535 is valid; the smallest, 64; a bad size gives no model. */
static void table_sizes(void **state)
{
    struct fx *fx;
    struct toe_rx_ctx c = std_ctx();

    (void)state;
    assert_null(toe_rx_model_new(0, NULL));
    assert_null(toe_rx_model_new(2, NULL));
    assert_null(toe_rx_model_new(32, NULL));   /* below CONN_MAX_MIN, as the RTL */
    assert_null(toe_rx_model_new(100, NULL));
    assert_null(toe_rx_model_new(131072, NULL));
    toe_rx_model_free(NULL);
    fx = fx_new(65536);
    insert_ok(fx, 65535, &c);
    assert_int_equal(toe_rx_model_conn_max(fx->m), 65536);
    assert_non_null(toe_rx_model_ctx(fx->m, 65535));
    fx_free(fx);
    fx = fx_new(CONN_MAX_MIN);
    expect_fail(fx, CONN_CMD_INSERT, 64, 0, 0, 0, &c, CONN_STATUS_BAD_ID);
    insert_ok(fx, 63, &c);
    assert_null(toe_rx_model_ctx(fx->m, 64));
    fx_free(fx);
}

/* ---- INSERT ---- */

static void insert_checks(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), bad;

    /* BAD_CTX, each limit just outside (and just inside below) */
    bad = c;
    bad.buf_size_log2 = 5;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad.buf_size_log2 = 31;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad.buf_size_log2 = 0;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad = c;
    bad.buf_base += 32;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad.buf_base = c.buf_base + 1;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad = c;
    bad.rcv_wscale = 15;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad = c;
    bad.snd_wscale = 15;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad = c;
    bad.mss = MSS_MIN - 1;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad.mss = MSS_MAX + 1;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad.mss = 0;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad = c;  /* more unconsumed bytes than the ring holds */
    bad.rcv_read = c.rcv_nxt - (1u << c.buf_size_log2) - 1;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    bad.rcv_read = c.rcv_nxt + 1;  /* rcv_read beyond rcv_nxt: wraps to ~4 GiB */
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    /* no context at all counts as an all-zero one */
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, NULL, CONN_STATUS_BAD_CTX);

    /* the limits themselves are fine */
    bad = c;
    bad.buf_size_log2 = 6;
    bad.rcv_read = c.rcv_nxt - 64;  /* a full ring */
    bad.rcv_wscale = 14;
    bad.snd_wscale = 14;
    bad.mss = MSS_MIN;
    insert_ok(fx, 1, &bad);
    bad = c;
    bad.remote_port = 1;
    bad.buf_size_log2 = 30;
    bad.buf_base = 0xFFFFFFFFFFFFFFC0ull;
    bad.mss = MSS_MAX;
    insert_ok(fx, 2, &bad);

    /* BUSY before BAD_CTX; EXISTS after BAD_CTX */
    c.remote_port = 2;
    insert_ok(fx, CONN, &c);
    bad = c;
    bad.mss = 0;
    bad.remote_port = 3;
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &bad, CONN_STATUS_BUSY);
    expect_fail(fx, CONN_CMD_INSERT, CONN, 0, 0, 0, &c, CONN_STATUS_BUSY);
    expect_fail(fx, CONN_CMD_INSERT, 7, 0, 0, 0, &c, CONN_STATUS_EXISTS);
    bad = c;
    bad.mss = 0;
    expect_fail(fx, CONN_CMD_INSERT, 7, 0, 0, 0, &bad, CONN_STATUS_BAD_CTX);
    /* another MAC or flags do not make another 4-tuple */
    bad = c;
    bad.dst_mac[5] ^= 1;
    bad.flags ^= RX_FLAG_TS;
    expect_fail(fx, CONN_CMD_INSERT, 7, 0, 0, 0, &bad, CONN_STATUS_EXISTS);
}

/*
 * TABLE_FULL: eight 4-tuples sharing both buckets (found by search) fill
 * them; the ninth fails and stays uninstalled.
 */
static void insert_table_full(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), k0;
    struct toe_conn_key key;
    uint32_t b0 = 0, b1 = 0, port;
    int found = 0;

    for (port = 1; found < 9; port++) {
        c.remote_port = (uint16_t)port;
        key.local_ip = c.local_ip;
        key.remote_ip = c.remote_ip;
        key.local_port = c.local_port;
        key.remote_port = c.remote_port;
        if (found == 0) {
            b0 = toe_conn_bucket(&key, 0, 16);
            b1 = toe_conn_bucket(&key, 1, 16);
            k0 = c;
        } else if (toe_conn_bucket(&key, 0, 16) != b0 ||
                   toe_conn_bucket(&key, 1, 16) != b1) {
            continue;
        }
        if (found < 8) {
            insert_ok(fx, (uint16_t)(10 + found), &c);
        } else {
            expect_fail(fx, CONN_CMD_INSERT, 18, 0, 0, 0, &c, CONN_STATUS_TABLE_FULL);
            expect_fail(fx, CONN_CMD_READ, 18, 0, 0, 0, NULL, CONN_STATUS_NOT_FOUND);
            /* an existing one is still EXISTS, not TABLE_FULL */
            expect_fail(fx, CONN_CMD_INSERT, 18, 0, 0, 0, &k0, CONN_STATUS_EXISTS);
            /* room again after a DELETE */
            assert_int_equal(cmd(fx, CONN_CMD_DELETE, 13, 0, 0, 0), CONN_STATUS_OK);
            insert_ok(fx, 18, &c);
        }
        found++;
    }
    /* frames find each of them */
    {
        struct seg s = {.seq = RCV0, .ack = SND0, .wnd = 65535};

        fx_mark(fx);
        send_seg(fx, 18, &s);
        send_seg(fx, 10, &s);
        assert_int_equal(fx->n_exc, 0);
        assert_int_equal(cnt_delta(fx, RX_CNT_ACKS_IN), 2);
    }
}

/* INSERT stores the context as given but for the hardware's own fields. */
static void insert_zeroes_own_fields(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), want;
    const struct rec_rsp *r;

    c.delack_deadline = 1234;
    c.ev_rx_bytes = 5;
    c.dupacks = 3;
    c.segs_unacked = 1;
    c.pend = 7;
    c.segs_in = 9;
    c.bytes_in = 99;
    c.acks_out = 999;
    c.rsvd0 = 0x11;
    c.rsvd1 = 0x22222222;
    c.rsvd2 = 0x3333333333333333ull;
    install(fx, &c);
    want = c;
    want.ev_rx_bytes = 0;
    want.dupacks = 0;
    want.segs_unacked = 0;
    want.pend = 0;
    want.segs_in = 0;
    want.bytes_in = 0;
    want.acks_out = 0;
    expect_ctx(ctx_of(fx, CONN), &want);
    assert_int_equal(cmd(fx, CONN_CMD_READ, CONN, 0, 0, 0), CONN_STATUS_OK);
    r = &fx->rsp[fx->n_rsp - 1];
    assert_true(r->has_ctx);
    expect_ctx(&r->ctx, &want);
    /* nothing pending: a tick does nothing */
    fx_mark(fx);
    tick(fx);
    assert_int_equal(fx->n_ev + fx->n_ack, 0);
}

/* ---- DELETE and READ ---- */

static void delete_stops_pending(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), c2;
    struct seg s;
    size_t n;
    int i;

    c.snd_nxt = SND0 + 1000;
    install(fx, &c);
    /* DATA unreported, TX_UPDATE pending, delayed ACK armed */
    s = peer(fx, CONN, RCV0, 100);
    s.ack = SND0 + 10;
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK | TOE_RX_PEND_ACKED);
    assert_int_equal(ctx_of(fx, CONN)->ev_rx_bytes, 100);
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_DELETE, CONN, 0, 0, 0), CONN_STATUS_OK);
    DELTAS(RX_CNT_CMDS, 1);
    assert_null(toe_rx_model_ctx(fx->m, CONN));
    for (i = 0; i < 5000; i++)
        tick(fx);
    assert_int_equal(fx->n_ev + fx->n_ack, 0);

    /* gone from the table: its frames are NO_CONN */
    s.seq = RCV0 + 100;
    n = build_seg(&c, &s, fb);
    fx_mark(fx);
    deliver(fx, fb, n);
    assert_int_equal(fx->n_exc, 1);
    expect_exc(fx, 0, RX_EXC_NO_CONN, 0xFFFF, fb, n, 14, 34);
    expect_fail(fx, CONN_CMD_DELETE, CONN, 0, 0, 0, NULL, CONN_STATUS_NOT_FOUND);
    expect_fail(fx, CONN_CMD_READ, CONN, 0, 0, 0, NULL, CONN_STATUS_NOT_FOUND);

    /* the id takes another 4-tuple, the 4-tuple another id, both clean */
    c2 = other_port(c, 7777);
    insert_ok(fx, CONN, &c2);
    insert_ok(fx, 9, &c);
    fx_mark(fx);
    for (i = 0; i < 5000; i++)
        tick(fx);
    assert_int_equal(fx->n_ev + fx->n_ack, 0);
    assert_int_equal(ctx_of(fx, 9)->ev_rx_bytes, 0);
    assert_int_equal(ctx_of(fx, 9)->pend, 0);
}

static void read_returns_state(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), want;
    const struct rec_rsp *r;
    struct seg s;

    c.flags |= RX_FLAG_TS;
    c.snd_nxt = SND0 + 5000;
    c.ts_recent = 10;
    install(fx, &c);
    tick(fx);
    s = peer(fx, CONN, RCV0, 1460);
    s.ack = SND0 + 1000;
    s.wnd = 30000;
    s.tsval = 11;
    send_marked(fx, CONN, &s);
    s = peer(fx, CONN, RCV0 + 1460, 0);
    send_marked(fx, CONN, &s); /* a duplicate */
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_READ, CONN, 0, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack + fx->n_ev, 0);
    DELTAS(RX_CNT_CMDS, 1);
    r = &fx->rsp[0];
    assert_true(r->has_ctx);
    want = c;
    want.rcv_nxt = RCV0 + 1460;
    want.ts_recent = 11;
    want.snd_una = SND0 + 1000;
    want.snd_wnd = 30000;
    want.snd_wl1 = RCV0 + 1460; /* the pure ACK is newer (seq > wl1) */
    want.snd_wl2 = SND0 + 1000;
    want.delack_deadline = 1 + 4000;
    want.ev_rx_bytes = 1460;
    want.dupacks = 1;
    want.segs_unacked = 1;
    want.pend = TOE_RX_PEND_DELACK | TOE_RX_PEND_ACKED | TOE_RX_PEND_WND;
    want.segs_in = 1;
    want.bytes_in = 1460;
    expect_ctx(&r->ctx, &want);
    expect_ctx(ctx_of(fx, CONN), &want);
}

/* ---- RCV_READ ---- */

static void rcv_read_args(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();

    /* rcv_read 0xffffff00, rcv_nxt 0x100: the range wraps */
    c.rcv_read = c.buf_seq0 = 0xFFFFFF00u;
    c.rcv_nxt = c.last_ack_sent = 0x100;
    c.rcv_adv = 0x100 + 32768 - 512;
    install(fx, &c);
    expect_fail(fx, CONN_CMD_RCV_READ, CONN, 0xFFFFFEFFu, 0, 0, NULL, CONN_STATUS_BAD_ARG);
    expect_fail(fx, CONN_CMD_RCV_READ, CONN, 0x101, 0, 0, NULL, CONN_STATUS_BAD_ARG);
    expect_fail(fx, CONN_CMD_RCV_READ, CONN, 0x80000000u, 0, 0, NULL, CONN_STATUS_BAD_ARG);
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, 0xFFFFFF00u, 0, 0), CONN_STATUS_OK);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, 0x10, 0, 0), CONN_STATUS_OK);
    assert_int_equal(ctx_of(fx, CONN)->rcv_read, 0x10);
    /* moving back is BAD_ARG now */
    expect_fail(fx, CONN_CMD_RCV_READ, CONN, 0xFFFFFFFFu, 0, 0, NULL, CONN_STATUS_BAD_ARG);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, 0x100, 0, 0), CONN_STATUS_OK);
    assert_int_equal(ctx_of(fx, CONN)->rcv_read, 0x100);
}

/*
 * The window-update ACK: after the host reads up to X the right edge is
 * rcv_nxt + free = X + 32768 and rcv_adv was RCV0 + 32768, so the edge
 * moves X - RCV0; the threshold is min(2 * 1460, 32768 / 2) = 2920.
 */
static void rcv_read_window_update(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), before;
    struct seg s;
    int i;

    c.flags |= RX_FLAG_TS;
    install(fx, &c);
    for (i = 0; i < 10; i++) { /* 10 x 1000 bytes, no ACK yet (< mss) */
        s = peer(fx, CONN, RCV0 + 1000 * (uint32_t)i, 1000);
        send_marked(fx, CONN, &s);
    }
    assert_int_equal(ctx_of(fx, CONN)->acks_out, 0);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK);

    /* 42 ticks at one per timestamp unit: TSval 42 (the DATA event they
     * bring is of no interest here) */
    toe_rx_model_set_cfg(fx->m, &(struct toe_rx_cfg){DELACK_TICKS_DEFAULT,
                                                     RX_EVENT_COALESCE_DEFAULT, 1});
    for (i = 0; i < 42; i++)
        tick(fx);
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 2919, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 0);
    DELTAS(RX_CNT_CMDS, 1);
    assert_int_equal(ctx_of(fx, CONN)->rcv_read, RCV0 + 2919);

    before = *ctx_of(fx, CONN);
    fx->ts_now = 4242; /* ignored */
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 2920, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
    /* window: free 32768 - (10000 - 2920) = 25688 */
    expect_ack(fx, 0, &before, RCV0 + 10000, 25688, 42);
    DELTAS(RX_CNT_CMDS, 1, RX_CNT_ACKS_OUT, 1, RX_CNT_ACK_WND_UPDATE, 1);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 10000 + 25688);
    assert_int_equal(ctx_of(fx, CONN)->last_ack_sent, RCV0 + 10000);
    assert_int_equal(ctx_of(fx, CONN)->pend, 0); /* the delayed ACK is served */
    /* reading on from there: the next update is 2920 further */
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 5839, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 5840, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
}

/* A small ring: the threshold is size / 2 (2048 < 2 * mss). */
static void rcv_read_small_ring(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.buf_size_log2 = 12;
    c.rcv_adv = RCV0 + 4096;
    install(fx, &c);
    s = peer(fx, CONN, RCV0, 4000);
    send_marked(fx, CONN, &s);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 2047, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 2048, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(toe_get16(fx->ack[0].frame + 48), 4096 - 4000 + 2048);
}

/*
 * A zero window reopening: four 8192-byte segments fill the 32 KiB ring;
 * the second EVERY2 ACK offers window 0.  Reading 2919 bytes sends
 * nothing, the 2920th a WND_UPDATE with window 2920.
 */
static void zero_window_reopens(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    int i;

    install(fx, &c);
    for (i = 0; i < 4; i++) {
        s = peer(fx, CONN, RCV0 + 8192 * (uint32_t)i, 8192);
        send_marked(fx, CONN, &s);
        assert_int_equal(fx->n_ack, (size_t)(i & 1));
    }
    assert_int_equal(toe_get16(fx->ack[0].frame + 48), 0);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 32768);
    assert_int_equal(ctx_of(fx, CONN)->rcv_nxt, RCV0 + 32768);
    /* the ring is full: more data is BUF_FULL */
    s = peer(fx, CONN, RCV0 + 32768, 1);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 1);
    assert_int_equal(fx->exc[0].rec.reason, RX_EXC_BUF_FULL);

    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 2919, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_READ, CONN, RCV0 + 2920, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(toe_get32(fx->ack[0].frame + 42), RCV0 + 32768);
    assert_int_equal(toe_get16(fx->ack[0].frame + 48), 2920);
    assert_int_equal(cnt_delta(fx, RX_CNT_ACK_WND_UPDATE), 1);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, RCV0 + 32768 + 2920);
}

/* ---- RCV_NXT ---- */

static void rcv_nxt_cmd(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    /* 1000 unread bytes, rcv_read near the wrap */
    c.rcv_read = c.buf_seq0 = 0xFFFFFF00u;
    c.rcv_nxt = c.last_ack_sent = 0xFFFFFF00u + 1000;
    c.rcv_adv = c.rcv_nxt + 31768;
    install(fx, &c);
    expect_fail(fx, CONN_CMD_RCV_NXT, CONN, c.rcv_nxt - 1, 0, 0, NULL, CONN_STATUS_BAD_ARG);
    expect_fail(fx, CONN_CMD_RCV_NXT, CONN, 0xFFFFFF00u + 32769, 0, 0, NULL,
                CONN_STATUS_BAD_ARG);
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_NXT, CONN, c.rcv_nxt, 0, 0), CONN_STATUS_OK);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_NXT, CONN, 0xFFFFFF00u + 32768, 0, 0),
                     CONN_STATUS_OK);
    assert_int_equal(fx->n_ack + fx->n_ev, 0);
    DELTAS(RX_CNT_CMDS, 2);
    assert_int_equal(ctx_of(fx, CONN)->rcv_nxt, 0xFFFFFF00u + 32768);

    /* the driver took 1000 bytes past what the hardware placed: the next
     * in-order byte is there, at its ring offset */
    c.rcv_nxt = c.last_ack_sent = 0xFFFFFF00u + 1000;
    reinstall_cmd(fx, &c);
    assert_int_equal(cmd(fx, CONN_CMD_RCV_NXT, CONN, c.rcv_nxt + 1000, 0, 0), CONN_STATUS_OK);
    s = peer(fx, CONN, c.rcv_nxt, 100);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 1);
    assert_int_equal(fx->exc[0].rec.reason, RX_EXC_OLD);
    s = peer(fx, CONN, c.rcv_nxt + 1000, 100);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    expect_dma(fx, 0, c.buf_base + 2000, 100);
    /* the window counts the driver's bytes as taken: free is
     * 32768 - 2100 = 30668, which is also exactly the offered edge
     * (rcv_read + 32768) less rcv_nxt */
    assert_int_equal(cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
    assert_int_equal(toe_get16(fx->ack[0].frame + 48), 30668);
    assert_int_equal(ctx_of(fx, CONN)->rcv_adv, 0xFFFFFF00u + 32768);
}

/* ---- SND ---- */

static void snd_cmd(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), want;
    struct seg s;

    c.dupacks = 0;
    install(fx, &c);
    expect_fail(fx, CONN_CMD_SND, CONN, SND0, SND0 + 1, 1000, NULL, CONN_STATUS_BAD_ARG);
    /* arg1 - arg0 = 0x7fffffff: arg1 is after arg0 */
    expect_fail(fx, CONN_CMD_SND, CONN, 0x10, 0x8000000Fu, 1000, NULL, CONN_STATUS_BAD_ARG);
    /* arg1 - arg0 = 0x80000000: (int32_t) makes that "before" */
    assert_int_equal(cmd(fx, CONN_CMD_SND, CONN, 0x10, 0x80000010u, 1000), CONN_STATUS_OK);
    assert_int_equal(cmd(fx, CONN_CMD_SND, CONN, SND0, SND0, 65535), CONN_STATUS_OK);
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_SND, CONN, SND0 + 3000, SND0, 1000), CONN_STATUS_OK);
    DELTAS(RX_CNT_CMDS, 1);
    want = c;
    want.snd_nxt = SND0 + 3000;
    want.snd_wnd = 1000;
    expect_ctx(ctx_of(fx, CONN), &want); /* max_snd_wnd stays 65535 */
    assert_int_equal(cmd(fx, CONN_CMD_SND, CONN, SND0 + 3000, SND0, 100000), CONN_STATUS_OK);
    assert_int_equal(ctx_of(fx, CONN)->max_snd_wnd, 100000);
    /* across the wrap; snd_una == snd_nxt is fine */
    assert_int_equal(cmd(fx, CONN_CMD_SND, CONN, 0x10, 0xFFFFFFF0u, 0), CONN_STATUS_OK);
    assert_int_equal(cmd(fx, CONN_CMD_SND, CONN, 0x10, 0x10, 5), CONN_STATUS_OK);
    assert_int_equal(ctx_of(fx, CONN)->max_snd_wnd, 100000);
    /* the new snd_nxt bounds incoming ACKs */
    assert_int_equal(cmd(fx, CONN_CMD_SND, CONN, SND0 + 3000, SND0, 1000), CONN_STATUS_OK);
    s = peer(fx, CONN, RCV0, 0);
    s.ack = SND0 + 3000;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(ctx_of(fx, CONN)->snd_una, SND0 + 3000);
    s.ack = SND0 + 3001;
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->exc[0].rec.reason, RX_EXC_ACK_RANGE);
    /* and the ACKs we send carry it */
    assert_int_equal(cmd(fx, CONN_CMD_SND, CONN, SND0 + 4000, SND0 + 3000, 1000),
                     CONN_STATUS_OK);
    assert_int_equal(cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0), CONN_STATUS_OK);
    assert_int_equal(toe_get32(fx->ack[0].frame + 38), SND0 + 4000);
}

/* ---- ACK_NOW ---- */

static void ack_now(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), before;
    struct seg s;

    install(fx, &c);
    s = peer(fx, CONN, RCV0, 1460);
    send_marked(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->segs_unacked, 1);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK);
    before = *ctx_of(fx, CONN);
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0), CONN_STATUS_OK);
    assert_int_equal(fx->n_ack, 1);
    expect_ack(fx, 0, &before, RCV0 + 1460, 32768 - 1460, 0);
    DELTAS(RX_CNT_CMDS, 1, RX_CNT_ACKS_OUT, 1, RX_CNT_ACK_HOST, 1);
    assert_int_equal(ctx_of(fx, CONN)->segs_unacked, 0);
    assert_int_equal(ctx_of(fx, CONN)->pend, 0);
    assert_int_equal(ctx_of(fx, CONN)->acks_out, 1);
    assert_int_equal(ctx_of(fx, CONN)->ip_id, 0x1001);
    /* the next full-sized segment starts the count again: no EVERY2 */
    s = peer(fx, CONN, RCV0 + 1460, 1460);
    send_marked(fx, CONN, &s);
    assert_int_equal(fx->n_ack, 0);
    /* and no delayed ACK from before fires at its old deadline */
    fx_mark(fx);
    assert_int_equal(cmd(fx, CONN_CMD_ACK_NOW, CONN, 0, 0, 0), CONN_STATUS_OK);
    fx_mark(fx);
    while (toe_rx_model_now(fx->m) < 5000)
        tick(fx);
    assert_int_equal(fx->n_ack, 0);
}

/* Counters over a mix of commands. */
static void command_counters(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();

    fx_mark(fx);
    insert_ok(fx, 1, &c);
    assert_int_equal(do_cmd(fx, CONN_CMD_INSERT, 1, 0, 0, 0, &c), CONN_STATUS_BUSY);
    assert_int_equal(cmd(fx, CONN_CMD_READ, 1, 0, 0, 0), CONN_STATUS_OK);
    assert_int_equal(cmd(fx, 0, 1, 0, 0, 0), CONN_STATUS_BAD_OP);
    assert_int_equal(cmd(fx, CONN_CMD_DELETE, 1, 0, 0, 0), CONN_STATUS_OK);
    assert_int_equal(cmd(fx, CONN_CMD_DELETE, 1, 0, 0, 0), CONN_STATUS_NOT_FOUND);
    DELTAS(RX_CNT_CMDS, 6, RX_CNT_CMD_ERRORS, 3);
    assert_int_equal(fx->n_rsp, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bad_op_and_id, fx_setup, fx_teardown),
        cmocka_unit_test(table_sizes),
        cmocka_unit_test_setup_teardown(insert_checks, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(insert_table_full, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(insert_zeroes_own_fields, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(delete_stops_pending, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(read_returns_state, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rcv_read_args, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rcv_read_window_update, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rcv_read_small_ring, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(zero_window_reopens, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rcv_nxt_cmd, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(snd_cmd, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ack_now, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(command_counters, fx_setup, fx_teardown),
    };

    test_seed_init("test_rx_cmd");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
