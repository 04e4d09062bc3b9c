/*
 * Unit tests of toe_rx_model_idle() and toe_rx_model_warp()
 * (sim/model/toe_rx_warp.c): a warp over n ticks is exactly n ticks. Two
 * models get the same inputs; one ticks one tick at a time, the other warps;
 * their tick counts, timestamp clocks, every output stream, entries and
 * counters must then be the same, byte for byte. The timestamp clock is
 * also checked against its definition (one step every cfg.ts_ticks ticks,
 * 0 and 1 meaning every tick), not only against the twin.
 */
#include "test_rx_fixture.h"
#include "test_seed.h"
#include "toe_rx_priv.h"

struct twin {
    struct fx *a; /* ticks one by one */
    struct fx *b; /* warps */
};

static int twin_setup(void **state)
{
    struct twin *t = calloc(1, sizeof(*t));

    assert_non_null(t);
    t->a = fx_new(64);
    t->b = fx_new(64);
    *state = t;
    return 0;
}

static int twin_teardown(void **state)
{
    struct twin *t = *state;

    fx_free(t->a);
    fx_free(t->b);
    free(t);
    return 0;
}

static void both_cfg(struct twin *t, uint32_t ts_ticks)
{
    struct toe_rx_cfg cfg = {DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT, ts_ticks};

    toe_rx_model_set_cfg(t->a->m, &cfg);
    toe_rx_model_set_cfg(t->b->m, &cfg);
}

/* n ticks on a, one warp of n on b. */
static void advance(struct twin *t, uint64_t n)
{
    uint64_t i;

    for (i = 0; i < n; i++)
        tick(t->a);
    toe_rx_model_warp(t->b->m, n);
}

/* Everything observable of a and b is the same. */
static void expect_same(const struct twin *t)
{
    const struct fx *a = t->a, *b = t->b;
    size_t i;
    uint16_t id;

    assert_int_equal(toe_rx_model_now(a->m), toe_rx_model_now(b->m));
    assert_int_equal(toe_rx_model_ts(a->m), toe_rx_model_ts(b->m));
    assert_int_equal(a->m->ts_sub, b->m->ts_sub);
    assert_memory_equal(toe_rx_model_counters(a->m), toe_rx_model_counters(b->m),
                        RX_CNT_NUM * sizeof(uint32_t));
    assert_int_equal(a->n_ev, b->n_ev);
    if (a->n_ev)
        assert_memory_equal(a->ev, b->ev, a->n_ev * sizeof(*a->ev));
    assert_int_equal(a->n_ack, b->n_ack);
    for (i = 0; i < a->n_ack; i++) {
        assert_int_equal(a->ack[i].len, b->ack[i].len);
        assert_memory_equal(a->ack[i].frame, b->ack[i].frame, a->ack[i].len);
    }
    assert_int_equal(a->n_dma, b->n_dma);
    assert_int_equal(a->n_exc, b->n_exc);
    for (id = 0; id < 64; id++) {
        const struct toe_rx_ctx *ca = toe_rx_model_ctx(a->m, id);
        const struct toe_rx_ctx *cb = toe_rx_model_ctx(b->m, id);

        assert_int_equal(ca != NULL, cb != NULL);
        if (ca)
            assert_memory_equal(ca, cb, sizeof(*ca));
    }
    assert_int_equal(toe_rx_model_idle(a->m), toe_rx_model_idle(b->m));
}

/* The same segment of connection id to both. */
static void both_seg(struct twin *t, uint16_t id, const struct seg *s)
{
    send_seg(t->a, id, s);
    send_seg(t->b, id, s);
}

static void both_install(struct twin *t, const struct toe_rx_ctx *c)
{
    install(t->a, c);
    install(t->b, c);
}

/* ---- idle ---- */

static void idle_truth(void **state)
{
    struct twin *t = *state;
    struct fx *fx = t->a;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;
    int i;

    assert_true(toe_rx_model_idle(fx->m)); /* empty table */
    c.snd_nxt = SND0 + 1000;
    install(fx, &c);
    assert_true(toe_rx_model_idle(fx->m)); /* installed, nothing pending */

    /* 100 bytes, no PSH: DATA unreported, delayed ACK armed, snd_una moved */
    s = peer(fx, CONN, RCV0, 100);
    s.ack = SND0 + 10;
    send_seg(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK | TOE_RX_PEND_ACKED);
    assert_false(toe_rx_model_idle(fx->m));
    tick(fx); /* DATA and TX_UPDATE out; the delayed ACK still armed */
    assert_int_equal(fx->n_ev, 2);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_DELACK);
    assert_int_equal(ctx_of(fx, CONN)->ev_rx_bytes, 0);
    assert_false(toe_rx_model_idle(fx->m));
    for (i = 1; i < (int)DELACK_TICKS_DEFAULT; i++)
        tick(fx);
    assert_int_equal(fx->n_ack, 1); /* the delayed ACK, at its deadline */
    assert_true(toe_rx_model_idle(fx->m));

    /* a window change alone: TX_UPDATE WND pending */
    s = peer(fx, CONN, RCV0 + 100, 0);
    s.wnd = 1000;
    send_seg(fx, CONN, &s);
    assert_int_equal(ctx_of(fx, CONN)->pend, TOE_RX_PEND_WND);
    assert_false(toe_rx_model_idle(fx->m));
    tick(fx);
    assert_true(toe_rx_model_idle(fx->m));
}

/* ---- the timestamp clock's divider ---- */

/* ts after n ticks from a reset model with this ts_ticks: one step every
 * max(ts_ticks, 1) ticks. */
static uint32_t ts_by_definition(uint32_t ts_ticks, uint64_t n)
{
    return (uint32_t)(n / (ts_ticks > 1 ? ts_ticks : 1));
}

static void warp_idle_divider(void **state)
{
    static const uint32_t periods[] = {0, 1, 2, 7, 100, 1000};
    static const uint64_t steps[] = {0, 1, 2, 6, 7, 8, 99, 100, 101, 999, 1000, 12345};
    size_t p, i;

    (void)state;
    for (p = 0; p < sizeof(periods) / sizeof(periods[0]); p++) {
        struct twin t = {fx_new(64), fx_new(64)};
        uint64_t total = 0;

        both_cfg(&t, periods[p]);
        for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            advance(&t, steps[i]);
            total += steps[i];
            expect_same(&t);
            assert_int_equal(toe_rx_model_now(t.b->m), (uint32_t)total);
            assert_int_equal(toe_rx_model_ts(t.b->m), ts_by_definition(periods[p], total));
        }
        fx_free(t.a);
        fx_free(t.b);
    }
}

/* ts_ticks lowered below the ticks already counted since the last step:
 * the next tick steps at once (toe_rx_tick), and so must a warp. */
static void warp_after_lowered_period(void **state)
{
    struct twin *t = *state;

    both_cfg(t, 100);
    advance(t, 250); /* ts 2, ts_sub 50 */
    assert_int_equal(t->b->m->ts_sub, 50);
    both_cfg(t, 10);
    advance(t, 1); /* 50 + 1 >= 10: ts 3, ts_sub 0 */
    expect_same(t);
    assert_int_equal(toe_rx_model_ts(t->b->m), 3);
    assert_int_equal(t->b->m->ts_sub, 0);
    both_cfg(t, 100);
    advance(t, 150);
    both_cfg(t, 40);
    advance(t, 1234);
    expect_same(t);
    both_cfg(t, 0);
    advance(t, 77);
    expect_same(t);
    assert_int_equal(toe_rx_model_now(t->b->m), 250 + 1 + 150 + 1234 + 77);
}

/* Both 32-bit counters wrap as the hardware's do. */
static void warp_wraps(void **state)
{
    struct twin *t = *state;

    both_cfg(t, 3);
    t->a->m->now = t->b->m->now = 0xFFFFFF00u;
    t->a->m->ts = t->b->m->ts = 0xFFFFFFF0u;
    advance(t, 1000);
    expect_same(t);
    assert_int_equal(toe_rx_model_now(t->b->m), 0xFFFFFF00u + 1000u);
    assert_int_equal(toe_rx_model_ts(t->b->m), (uint32_t)(0xFFFFFFF0u + 333u));
}

/* A long idle stretch: 10 minutes of 10 us ticks in one call. */
static void warp_long(void **state)
{
    struct twin *t = *state;
    const uint64_t n = 60000000; /* 600 s */

    both_cfg(t, 100);
    toe_rx_model_warp(t->b->m, n);
    assert_int_equal(toe_rx_model_now(t->b->m), (uint32_t)n);
    assert_int_equal(toe_rx_model_ts(t->b->m), (uint32_t)(n / 100));
    assert_int_equal(t->b->m->ts_sub, 0);
    toe_rx_model_warp(t->b->m, 4294967296ull + 5); /* more than 2^32 ticks */
    assert_int_equal(toe_rx_model_now(t->b->m), (uint32_t)(n + 5));
    assert_int_equal(toe_rx_model_ts(t->b->m), (uint32_t)((n + 4294967296ull + 5) / 100));
}

/* ---- work pending: the warp runs those ticks ---- */

static void warp_with_pending_work(void **state)
{
    struct twin *t = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s;

    c.snd_nxt = SND0 + 1000;
    c.flags |= RX_FLAG_TS;
    c.ts_recent = 500;
    both_cfg(t, 7);
    both_install(t, &c);
    s = peer(t->a, CONN, RCV0, 300);
    s.ack = SND0 + 10;
    both_seg(t, CONN, &s);
    assert_false(toe_rx_model_idle(t->b->m));
    /* DATA, TX_UPDATE at the first tick; the delayed ACK 4000 ticks in; idle
     * for the rest */
    advance(t, 10000);
    expect_same(t);
    assert_int_equal(t->b->n_ev, 2);
    expect_event(t->b, 0, RX_EV_DATA, 0, CONN, RCV0 + 300, 300, 1);
    expect_event(t->b, 1, RX_EV_TX_UPDATE, EV_FLAG_ACKED, CONN, SND0 + 10, 65535, 1);
    assert_int_equal(t->b->n_ack, 1);
    /* its TSval is the clock at tick 4000: 4000 / 7 */
    assert_int_equal(toe_get32(t->b->ack[0].frame + 14 + 20 + 24), 4000u / 7u);
    assert_true(toe_rx_model_idle(t->b->m));
}

/* ---- seeded random: frames, commands, config and stretches of ticks ---- */

static void warp_random(void **state)
{
    struct twin *t = *state;
    struct toe_rx_ctx c = std_ctx();
    uint32_t nxt = RCV0, una = SND0;
    int step;

    c.snd_nxt = SND0 + 100000;
    both_install(t, &c);
    for (step = 0; step < 400; step++) {
        uint32_t r = test_rand_below(8);
        struct seg s;

        if (r < 3) { /* in-order data, sometimes PSH, sometimes acking more */
            s = peer(t->a, CONN, nxt, 1 + test_rand_below(1460));
            if (test_rand_below(2))
                s.flags = TCP_FLAG_ACK | TCP_FLAG_PSH;
            if (test_rand_below(2) && una - SND0 < 90000)
                una += test_rand_below(2000);
            s.ack = una;
            both_seg(t, CONN, &s);
            nxt += (uint32_t)s.len;
            /* keep room in the ring: the host consumed everything */
            if (test_rand_below(3) == 0) {
                do_cmd(t->a, CONN_CMD_RCV_READ, CONN, nxt, 0, 0, NULL);
                do_cmd(t->b, CONN_CMD_RCV_READ, CONN, nxt, 0, 0, NULL);
            }
        } else if (r == 3) {
            both_cfg(t, test_rand_below(300));
        } else if (r == 4) {
            do_cmd(t->a, CONN_CMD_ACK_NOW, CONN, 0, 0, 0, NULL);
            do_cmd(t->b, CONN_CMD_ACK_NOW, CONN, 0, 0, 0, NULL);
        } else {
            advance(t, test_rand_below(r == 7 ? 20000 : 50));
        }
        expect_same(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(idle_truth, twin_setup, twin_teardown),
        cmocka_unit_test(warp_idle_divider),
        cmocka_unit_test_setup_teardown(warp_after_lowered_period, twin_setup, twin_teardown),
        cmocka_unit_test_setup_teardown(warp_wraps, twin_setup, twin_teardown),
        cmocka_unit_test_setup_teardown(warp_long, twin_setup, twin_teardown),
        cmocka_unit_test_setup_teardown(warp_with_pending_work, twin_setup, twin_teardown),
        cmocka_unit_test_setup_teardown(warp_random, twin_setup, twin_teardown),
    };

    test_seed_init("test_rx_warp");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
