/*
 * Time (docs/device.md, "Ticks" and "Time"): ticks every 10 us from the
 * end of the reset, a delayed ACK leaving at its exact tick, next_activity()
 * in every state, runs split any way giving the same outputs (the idle
 * stretches are warped, the busy ticks run one by one), and ten idle
 * minutes in one call with the tick count and the timestamp clock exact.
 */
#include "dev_test.h"
#include "test_seed.h"
#include "toe_pkt.h"

static const uint8_t MAC_US[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_PEER[6] = {0x02, 0, 0, 0, 0, 0x02};
#define CONN 2
#define RCV0 0x10000000u
#define SND0 0x20000000u

static void install_ts_conn(struct tdev *t)
{
    struct toe_rx_ctx c;
    struct toe_conn_cmd cmd;
    struct toe_conn_rsp rsp;

    memset(&c, 0, sizeof(c));
    c.buf_base = hva(AT_CONNRING);
    c.local_ip = 0xC0000201u;
    c.remote_ip = 0xC6336402u;
    c.local_port = 80;
    c.remote_port = 40000;
    c.flags = RX_FLAG_TS;
    c.buf_size_log2 = 15;
    memcpy(c.dst_mac, MAC_PEER, 6);
    memcpy(c.src_mac, MAC_US, 6);
    c.ttl = 64;
    c.mss = 1460;
    c.rcv_nxt = c.rcv_read = c.buf_seq0 = c.last_ack_sent = RCV0;
    c.rcv_adv = RCV0 + 32768;
    c.ts_recent = 1000;
    c.snd_una = c.snd_nxt = SND0;
    c.snd_wnd = c.max_snd_wnd = 65535;
    c.snd_wl1 = RCV0 - 1;
    c.snd_wl2 = SND0;
    memset(&cmd, 0, sizeof(cmd));
    cmd.op = CONN_CMD_INSERT;
    cmd.conn_id = CONN;
    rsp = fw_conn_cmd(t, 0, &cmd, &c, NULL);
    assert_int_equal(rsp.status, CONN_STATUS_OK);
}

/* The peer's data segment (timestamps, TSval 2000) of len bytes at seq. */
static void peer_data(struct tdev *t, uint32_t seq, size_t len)
{
    static uint8_t f[1600];
    struct toe_eth e = {{0}, {0}, 0, 0, TOE_ETHERTYPE_IPV4, 0};
    struct toe_ipv4 ip = {0, (uint16_t)(52 + len), 1, 0, 64, 6, 0xC6336402u, 0xC0000201u};
    struct toe_tcp th = {40000, 80, seq, SND0, TCP_FLAG_ACK, 65535, 0, 0, 0};
    uint8_t opt[12];

    memcpy(e.dst, MAC_US, 6);
    memcpy(e.src, MAC_PEER, 6);
    toe_eth_build(f, &e);
    toe_ipv4_build(f + 14, &ip);
    toe_tcp_ts_option(opt, 2000, 0);
    toe_tcp_build(f + 34, &th, opt, 12);
    memset(f + 66, 0x5A, len);
    toe_tcp_csum_fill(ip.src, ip.dst, f + 34, 32 + len);
    t->d->ops->frame_in(t->d, f, 66 + len);
}

static void conn_on(struct tdev *t)
{
    datapath_on(t);
    ring_on(t, QID_EVQ, AT_EVQ, 6, QUEUE_NO_VECTOR);
    install_ts_conn(t);
}

/* The TSval of ACK frame i (no tag, timestamps). */
static uint32_t ack_tsval(const struct tdev *t, size_t i)
{
    assert_int_equal(t->frames[i].len, 66);
    return toe_get32(t->frames[i].data + 34 + 24);
}

static void delayed_ack_exact(void **state)
{
    struct tdev *t = *state;
    uint64_t base = now(t); /* the walk ended here: ticks count from it */
    uint64_t t_ack;

    conn_on(t);
    fww(t, FW_DELACK_TICKS, 10);
    fww(t, FW_TS_TICKS, 3);
    run_to(t, base + 5 * TICK_PS + 1);
    assert_int_equal(next_activity(t), UINT64_MAX);
    peer_data(t, RCV0, 100); /* at tick 5: the deadline is tick 15 */
    assert_int_equal(next_activity(t), base + 6 * TICK_PS);
    run_to(t, base + 6 * TICK_PS); /* DATA event out; the ACK still armed */
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_PROD)), 1);
    assert_int_equal(next_activity(t), base + 7 * TICK_PS);
    t_ack = base + 15 * TICK_PS;
    run_to(t, t_ack - 1);
    assert_int_equal(t->n_frames, 0);
    run_to(t, t_ack + 1000 * TICK_PS);
    assert_int_equal(t->n_frames, 1);
    assert_int_equal(t->frames[0].t, t_ack + WIRE_PS(t->frames[0].len));
    assert_int_equal(ack_tsval(t, 0), 15 / 3);
    assert_int_equal(toe_get32(t->frames[0].data + 34 + 8), RCV0 + 100);
    assert_int_equal(next_activity(t), UINT64_MAX);
    assert_int_equal(fwr(t, FW_NOW_TICK), 1015);
}

static void next_activity_states(void **state)
{
    struct tdev *t = *state;
    uint64_t t0;

    assert_int_equal(next_activity(t), UINT64_MAX);
    run_to(t, now(t) - 1); /* time does not go back */
    assert_int_equal(next_activity(t), UINT64_MAX);
    /* a moderation deadline before the next tick */
    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 2, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 2, 1);
    wr(t, msix_reg(1, MSIX_VCTRL), 0);
    fww(t, FW_VEC_BASE + 8, 3000); /* 3 us */
    post_raw(t, 2, 0, AT_TXBUF, 60, 1, 1);
    t0 = now(t);
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);
    /* first the completion, when the frame has left; then its deadline */
    assert_int_equal(next_activity(t), t0 + WIRE_PS(60));
    run_to(t, next_activity(t));
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 1);
    assert_int_equal(next_activity(t), t0 + WIRE_PS(60) + 3000000u);
    run_to(t, next_activity(t));
    assert_int_equal(t->n_msix, 1);
    assert_int_equal(t->msix[0].t, t0 + WIRE_PS(60) + 3000000u);
    assert_int_equal(next_activity(t), UINT64_MAX);
    /* a reset: its end */
    t->d->ops->flr(t->d);
    assert_int_equal(next_activity(t), now(t) + (64 + 256) * PS_PER_CYCLE);
}

/* A TX completion and a moderation deadline that fall exactly on an idle
 * tick's time still happen, in one run() call past them (the ticks of an idle
 * stretch are one warp, and a warp kicks nothing by itself). */
static void deadline_on_idle_tick(void **state)
{
    struct tdev *t = *state;
    uint64_t base = now(t), at = base + 5 * TICK_PS;

    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 2, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 2, 1);
    wr(t, msix_reg(1, MSIX_VCTRL), 0);
    fww(t, FW_VEC_BASE + 8, 20000); /* MOD_NS 20 us: two ticks */
    run_to(t, base + TICK_PS - 1);
    assert_int_equal(fwr(t, FW_NOW_TICK), 0); /* ticks count from here */
    run_to(t, at - WIRE_PS(60));
    post_raw(t, 2, 0, AT_TXBUF, 60, 1, 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);
    assert_int_equal(next_activity(t), at);
    run_to(t, at + 3 * TICK_PS);
    assert_int_equal(fwr(t, FW_NOW_TICK), 8);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 1);
    assert_int_equal(t->n_msix, 1);
    assert_int_equal(t->msix[0].t, at + 2 * TICK_PS);
    assert_int_equal(next_activity(t), UINT64_MAX);
}

/* The same inputs, time cut into different pieces: the same outputs. */
static void runs_split_any_way(void **state)
{
    struct tdev *a = *state, *b = tdev_new(64);
    uint64_t base = now(a), end, ta, tb;
    uint32_t nxt = RCV0;
    int step;
    size_t i;

    test_seed_init("test_dev_model runs_split_any_way");
    assert_int_equal(now(b), base);
    conn_on(a);
    conn_on(b);
    fww(a, FW_DELACK_TICKS, 37);
    fww(b, FW_DELACK_TICKS, 37);
    fww(a, FW_TS_TICKS, 7);
    fww(b, FW_TS_TICKS, 7);
    ta = tb = base;
    for (step = 0; step < 60; step++) {
        uint64_t at = base + (uint64_t)(step + 1) * 50 * TICK_PS + test_rand_below(TICK_PS);

        /* a: one call to the input's time; b: pieces of random sizes */
        run_to(a, at);
        while (tb < at) {
            uint64_t piece = test_rand_below(3) == 0 ? test_rand_below(1000) :
                             (uint64_t)test_rand_below(20) * TICK_PS / 3;

            tb = tb + piece < at ? tb + piece : at;
            run_to(b, tb);
        }
        ta = at;
        if (step % 3 != 2) {
            peer_data(a, nxt, 10);
            peer_data(b, nxt, 10);
            nxt += 10;
        }
        assert_int_equal(fwr(a, FW_NOW_TICK), fwr(b, FW_NOW_TICK));
    }
    end = ta + 100 * TICK_PS;
    run_to(a, end);
    run_to(b, end);
    assert_int_equal(fwr(a, FW_NOW_TICK), (end - base) / TICK_PS);
    assert_int_equal(a->n_frames, b->n_frames);
    assert_int_equal(a->n_frames, 40); /* one delayed ACK per data segment */
    for (i = 0; i < a->n_frames; i++) {
        assert_int_equal(a->frames[i].t, b->frames[i].t);
        assert_int_equal(a->frames[i].len, b->frames[i].len);
        assert_memory_equal(a->frames[i].data, b->frames[i].data, a->frames[i].len);
        /* each ACK starts on a tick and carries that tick's clock */
        assert_int_equal((a->frames[i].t - base) % TICK_PS, WIRE_PS(a->frames[i].len));
        assert_int_equal(ack_tsval(a, i), (uint32_t)((a->frames[i].t - base) / TICK_PS / 7));
    }
    assert_memory_equal(hmem(a, AT_EVQ), hmem(b, AT_EVQ), 64 * 16);
    tdev_free(b);
}

/* Ten minutes with nothing to do, in one call. */
static void ten_idle_minutes(void **state)
{
    struct tdev *t = *state;
    const uint64_t ten_min = 600ull * 1000000000000ull;
    struct toe_conn_cmd cmd;
    uint32_t before;

    conn_on(t);
    run_for(t, 3 * TICK_PS);
    before = fwr(t, FW_NOW_TICK);
    assert_int_equal(before, 3);
    assert_int_equal(next_activity(t), UINT64_MAX);
    run_for(t, ten_min);
    assert_int_equal(fwr(t, FW_NOW_TICK), before + 60000000u);
    /* the timestamp clock went with it: an ACK now carries 60000003 / 100 */
    memset(&cmd, 0, sizeof(cmd));
    cmd.op = CONN_CMD_ACK_NOW;
    cmd.conn_id = CONN;
    assert_int_equal(fw_conn_cmd(t, 0, &cmd, NULL, NULL).status, CONN_STATUS_OK);
    assert_int_equal(t->n_frames, 1);
    assert_int_equal(ack_tsval(t, 0), 60000003u / 100u);
    assert_int_equal(t->frames[0].t, now(t) + WIRE_PS(t->frames[0].len));
    assert_int_equal(rd(t, REG_TIME_LO), (uint32_t)(now(t) / 1000u));
}

size_t dev_time_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        DEV_TEST(delayed_ack_exact),
        DEV_TEST(next_activity_states),
        DEV_TEST(deadline_on_idle_tick),
        DEV_TEST(runs_split_any_way),
        DEV_TEST(ten_idle_minutes),
    };

    ADD_TESTS(out, tests);
}
