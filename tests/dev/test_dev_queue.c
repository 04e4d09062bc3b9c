/*
 * The ring rules (docs/device.md, "Queues"), on TXQ and TXCQ driven by raw
 * frames: each BAD_CONFIG cause, BAD_PROD, BAD_CONS, wrap with the phase
 * flipping every pass, back-pressure from a full or disabled TXCQ and from
 * bus mastering off, and a seeded random run of all of it.
 */
#include "dev_test.h"
#include "test_seed.h"

/* TXCQ entry i (ring of 2^log2 at AT_TXCQ) is the completion of raw
 * descriptor `tag`, written on the pass that gives phase. */
static void expect_raw_cpl(struct tdev *t, uint32_t log2, uint32_t i, uint16_t tag, int phase)
{
    struct toe_tx_cpl c, want;

    memcpy(&c, ring_slot(t, AT_TXCQ, log2, 16, i), sizeof(c));
    memset(&want, 0, sizeof(want));
    want.tag = tag;
    want.status = TX_STATUS_OK;
    want.flags = (uint8_t)phase;
    want.nsegs = 1;
    assert_int_equal(c.tag, want.tag);
    assert_int_equal(c.flags, want.flags);
    assert_memory_equal(&c, &want, sizeof(c));
}

static void enable_checks(void **state)
{
    struct tdev *t = *state;
    uint32_t q = qreg(QID_EVQ, 0);
    static const struct {
        uint32_t lo, log2, vector;
        int ok;
    } cases[] = {
        {0x22000, 0, QUEUE_NO_VECTOR, 0}, /* SIZE_LOG2 below 1 */
        {0x22000, 16, QUEUE_NO_VECTOR, 0}, /* above 15 */
        {0x22020, 4, QUEUE_NO_VECTOR, 0}, /* BASE not 64-byte aligned */
        {0x22001, 4, 0, 0},
        {0x22000, 4, 32, 0},               /* VECTOR neither < 32 nor NO_VECTOR */
        {0x22000, 4, 0xFFFFFFFEu, 0},
        {0x22040, 1, 31, 1},
        {0x22000, 15, 0, 1},
        {0x22000, 4, QUEUE_NO_VECTOR, 1},
    };
    size_t i;
    uint32_t errors = 0;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        wr(t, q + QREG_CTRL, 0);
        wr(t, q + QREG_BASE_LO, (uint32_t)HOST_BASE + cases[i].lo);
        wr(t, q + QREG_BASE_HI, 1);
        wr(t, q + QREG_SIZE_LOG2, cases[i].log2);
        wr(t, q + QREG_VECTOR, cases[i].vector);
        wr(t, q + QREG_CTRL, 1);
        errors += !cases[i].ok;
        assert_int_equal(rd(t, q + QREG_CTRL), cases[i].ok ? 1 : 0);
        assert_int_equal(rd(t, q + QREG_ERROR), cases[i].ok ? QERR_NONE : QERR_BAD_CONFIG);
        assert_int_equal(dev_cnt(t, DEV_CNT_QUEUE_ERRORS), errors);
    }
    /* A host-to-device ring's VECTOR is not checked: it sends nothing. */
    wr(t, qreg(QID_TXQ, QREG_BASE_LO), (uint32_t)hva(AT_TXQ));
    wr(t, qreg(QID_TXQ, QREG_BASE_HI), 1);
    wr(t, qreg(QID_TXQ, QREG_SIZE_LOG2), 2);
    wr(t, qreg(QID_TXQ, QREG_VECTOR), 1000);
    wr(t, qreg(QID_TXQ, QREG_CTRL), 1);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CTRL)), 1);
    DEV_DELTAS(t, DEV_CNT_QUEUE_ERRORS, (int)errors);
}

static void enable_restarts_indices(void **state)
{
    struct tdev *t = *state;

    ring_on(t, QID_TXQ, AT_TXQ, 3, QUEUE_NO_VECTOR);
    wr(t, qreg(QID_TXQ, QREG_PROD), 5); /* CONTROL.ENABLE off: nothing taken */
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_PROD)), 5);
    wr(t, qreg(QID_TXQ, QREG_CTRL), 1); /* again while running: no restart */
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_PROD)), 5);
    wr(t, qreg(QID_TXQ, QREG_CTRL), 0);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_PROD)), 5); /* stopped, as it was */
    wr(t, qreg(QID_TXQ, QREG_CTRL), 1);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_PROD)), 0);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 0);
    DEV_DELTAS(t, 0, 0);
}

static void bad_prod(void **state)
{
    struct tdev *t = *state;

    ring_on(t, QID_TXQ, AT_TXQ, 2, QUEUE_NO_VECTOR);
    wr(t, qreg(QID_TXQ, QREG_PROD), 4); /* exactly full: fine */
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ERROR)), QERR_NONE);
    wr(t, qreg(QID_TXQ, QREG_PROD), 5);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ERROR)), QERR_BAD_PROD);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CTRL)), 0);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_PROD)), 4);
    DEV_DELTAS(t, DEV_CNT_QUEUE_ERRORS, 1);
    /* behind CONS is a huge distance modulo 2^32 */
    wr(t, qreg(QID_TXQ, QREG_CTRL), 1);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ERROR)), QERR_NONE);
    wr(t, qreg(QID_TXQ, QREG_PROD), 0xFFFFFFFFu);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ERROR)), QERR_BAD_PROD);
    DEV_DELTAS(t, DEV_CNT_QUEUE_ERRORS, 2);
}

/* n raw frames through TXQ (2^tlog2) into TXCQ (2^clog2), tags from tag0. */
static void send_raw(struct tdev *t, uint32_t tlog2, uint32_t n, uint16_t tag0)
{
    uint32_t prod = rd(t, qreg(QID_TXQ, QREG_PROD)), i;

    for (i = 0; i < n; i++)
        post_raw(t, tlog2, prod + i, AT_TXBUF + ((prod + i) & 15) * 256, 60,
                 (uint16_t)(tag0 + i), (uint8_t)(tag0 + i));
    wr(t, qreg(QID_TXQ, QREG_PROD), prod + n);
    run_until_settled(t); /* each completion follows its frame out of the port */
}

static void bad_cons(void **state)
{
    struct tdev *t = *state;

    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 3, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 3, QUEUE_NO_VECTOR);
    send_raw(t, 3, 2, 1);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 2);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 3); /* beyond PROD */
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_ERROR)), QERR_BAD_CONS);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_CTRL)), 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_CONS)), 0);
    wr(t, qreg(QID_TXCQ, QREG_CTRL), 1);
    send_raw(t, 3, 2, 3);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 2);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 2);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 2); /* the same again: fine */
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_ERROR)), QERR_NONE);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 1); /* behind */
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_ERROR)), QERR_BAD_CONS);
    DEV_DELTAS(t, DEV_CNT_QUEUE_ERRORS, 2, DEV_CNT_TX_DESCS, 4, DEV_CNT_TX_CPLS, 4);
}

/* Seven passes over a 2-entry TXCQ and three and a half over a 4-entry TXQ:
 * the phase is 1, 0, 1, ... per pass; slots are reused in place. */
static void wrap_and_phase(void **state)
{
    struct tdev *t = *state;
    uint32_t i;

    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 2, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 1, QUEUE_NO_VECTOR);
    for (i = 0; i < 14; i += 2) {
        send_raw(t, 2, 2, (uint16_t)(100 + i));
        assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), i + 2);
        expect_raw_cpl(t, 1, i, (uint16_t)(100 + i), ((i >> 1) & 1) ^ 1);
        expect_raw_cpl(t, 1, i + 1, (uint16_t)(101 + i), ((i >> 1) & 1) ^ 1);
        wr(t, qreg(QID_TXCQ, QREG_CONS), i + 2);
    }
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 14);
    assert_int_equal(t->n_frames, 14);
    for (i = 0; i < 14; i++) {
        assert_int_equal(t->frames[i].len, 60);
        assert_int_equal(t->frames[i].data[0], (uint8_t)(100 + i));
    }
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 14, DEV_CNT_TX_CPLS, 14);
}

/* A full TXCQ stalls the engine with one completion waiting: its frame has
 * left, the next descriptor is not taken. CONS lets it go on. */
static void backpressure_full(void **state)
{
    struct tdev *t = *state;

    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 3, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 1, QUEUE_NO_VECTOR);
    send_raw(t, 3, 6, 1);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 2);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 3);
    assert_int_equal(t->n_frames, 3);
    run_for(t, 1000 * TICK_PS); /* time alone changes nothing */
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 3);
    assert_int_equal(next_activity(t), UINT64_MAX);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 1);
    run_until_settled(t);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 3);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 4);
    assert_int_equal(t->n_frames, 4);
    expect_raw_cpl(t, 1, 2, 3, 0);
    /* disabled: the waiting completion goes once it runs again, into its
     * restarted slot 0 with phase 1 */
    wr(t, qreg(QID_TXCQ, QREG_CTRL), 0);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 3); /* ignored: disabled */
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 4);
    wr(t, qreg(QID_TXCQ, QREG_CTRL), 1);
    run_until_settled(t);
    expect_raw_cpl(t, 1, 0, 4, 1);
    expect_raw_cpl(t, 1, 1, 5, 1);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 2);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 6);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 2);
    run_until_settled(t);
    expect_raw_cpl(t, 1, 2, 6, 0);
    assert_int_equal(t->n_frames, 6);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 6, DEV_CNT_TX_CPLS, 6, DEV_CNT_MMIO_BAD, 1);
}

/* No DMA while bus mastering is off: descriptors wait, then all go. CONTROL.ENABLE
 * off likewise takes none. */
static void backpressure_master_and_enable(void **state)
{
    struct tdev *t = *state;

    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 3, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 3, QUEUE_NO_VECTOR);
    pci(t, PCI_CMD_MEMORY_ONLY, MSIX_ON);
    send_raw(t, 3, 3, 1);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 0);
    assert_int_equal(t->n_frames, 0);
    pci(t, PCI_ON, MSIX_ON);
    run_until_settled(t);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 3);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 3);
    wr(t, REG_CONTROL, 0);
    send_raw(t, 3, 2, 4);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 3);
    wr(t, REG_CONTROL, CONTROL_ENABLE);
    run_until_settled(t);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 5);
    assert_int_equal(t->n_frames, 5);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 5, DEV_CNT_TX_CPLS, 5);
}

/* Seeded: random ring sizes, batches and CONS returns. Every completion
 * comes once, in order, with the right phase, and every frame once. */
static void random_rings(void **state)
{
    struct tdev *t = *state;
    uint32_t tlog2, clog2, posted = 0, consumed = 0, step;

    test_seed_init("test_dev_model random_rings");
    tlog2 = 1 + test_rand_below(4);
    clog2 = 1 + test_rand_below(4);
    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, tlog2, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, clog2, QUEUE_NO_VECTOR);
    for (step = 0; step < 3000; step++) {
        uint32_t txq_cons = rd(t, qreg(QID_TXQ, QREG_CONS));
        uint32_t prod = rd(t, qreg(QID_TXCQ, QREG_PROD));
        uint32_t room = (1u << tlog2) - (posted - txq_cons);

        if (test_rand_below(2) && room) {
            uint32_t n = 1 + test_rand_below(room), i;

            for (i = 0; i < n; i++)
                post_raw(t, tlog2, posted + i, AT_TXBUF + ((posted + i) & 15) * 256,
                         14 + test_rand_below(200), (uint16_t)(posted + i),
                         (uint8_t)(posted + i));
            posted += n;
            wr(t, qreg(QID_TXQ, QREG_PROD), posted);
        } else if (prod != consumed) {
            uint32_t n = 1 + test_rand_below(prod - consumed), i;

            for (i = 0; i < n; i++, consumed++)
                expect_raw_cpl(t, clog2, consumed, (uint16_t)consumed,
                               (int)(((consumed >> clog2) & 1) ^ 1));
            wr(t, qreg(QID_TXCQ, QREG_CONS), consumed);
        }
        if (test_rand_below(2))
            run_until_settled(t); /* else the next step finds frames still leaving */
        /* the engine is at most one completion ahead of TXCQ */
        prod = rd(t, qreg(QID_TXCQ, QREG_PROD));
        txq_cons = rd(t, qreg(QID_TXQ, QREG_CONS));
        assert_true(txq_cons - prod <= 1);
        assert_int_equal(t->n_frames, txq_cons);
    }
    for (step = 0; step < t->n_frames; step++)
        assert_int_equal(t->frames[step].data[0], (uint8_t)step);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, (int)t->n_frames,
               DEV_CNT_TX_CPLS, (int)rd(t, qreg(QID_TXCQ, QREG_PROD)));
}

size_t dev_queue_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        DEV_TEST(enable_checks),
        DEV_TEST(enable_restarts_indices),
        DEV_TEST(bad_prod),
        DEV_TEST(bad_cons),
        DEV_TEST(wrap_and_phase),
        DEV_TEST(backpressure_full),
        DEV_TEST(backpressure_master_and_enable),
        DEV_TEST(random_rings),
    };

    ADD_TESTS(out, tests);
}
