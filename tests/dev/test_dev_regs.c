/*
 * BAR0 and reset: the identity registers, SCRATCH, memory space off, what
 * DEV_CNT_MMIO_BAD counts, the TIME_LO/HI latch, and the reset's exact
 * timing and reset values (docs/device.md, "BAR0 accesses", "Reset").
 */
#include "dev_test.h"

static void identity(void **state)
{
    struct tdev *t = *state;

    assert_int_equal(rd(t, REG_ID), 0x454f544f);
    assert_int_equal(rd(t, REG_IF_VERSION), 0x00010000);
    assert_int_equal(rd(t, REG_FEATURES), 0x1f);
    assert_int_equal(rd(t, REG_DATAPATH), (250u << 16) | 8u);
    assert_int_equal(rd(t, REG_CONN_MAX), 64);
    assert_int_equal(rd(t, REG_QUEUES), 7);
    assert_int_equal(rd(t, REG_TICK_NS), 10000);
    assert_int_equal(rd(t, REG_TIME_MODE), TIME_MODE_VIRTUAL);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY);
    assert_int_equal(rd(t, REG_CONTROL), 0);
    assert_int_equal(fwr(t, FW_ID), 0x454f544f);
    assert_int_equal(fwr(t, FW_CONN_MAX), 64);
    assert_int_equal(rd(t, qreg(QID_ASQ, QREG_ENTRY_SIZE)), 64);
    assert_int_equal(rd(t, qreg(QID_ACQ, QREG_ENTRY_SIZE)), 16);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ENTRY_SIZE)), 32);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_ENTRY_SIZE)), 16);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_ENTRY_SIZE)), 16);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_ENTRY_SIZE)), 16);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_ENTRY_SIZE)), 16);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_VECTOR)), QUEUE_NO_VECTOR);
    assert_int_equal(rd(t, msix_reg(31, MSIX_VCTRL)), 1);
    DEV_DELTAS(t, 0, 0);
}

static void identity_cfg(void **state)
{
    struct toe_dev_cfg cfg = {65536, TIME_MODE_REAL};
    struct toe_dev_cfg bad[] = {{32, 0}, {100, 0}, {131072, 0}, {64, 2}};
    struct toe_dev *d;
    size_t i;

    (void)state;
    d = toe_dev_model_new(&cfg, NULL);
    assert_non_null(d);
    assert_string_equal(d->ops->name, "model");
    d->ops->pci_state(d, PCI_ON, 0);
    assert_int_equal(toe_dev_mmio_read(d, REG_CONN_MAX), 65536);
    assert_int_equal(toe_dev_mmio_read(d, REG_TIME_MODE), TIME_MODE_REAL);
    toe_dev_free(d);
    d = toe_dev_model_new(NULL, NULL); /* defaults */
    assert_non_null(d);
    d->ops->pci_state(d, PCI_ON, 0);
    assert_int_equal(toe_dev_mmio_read(d, REG_CONN_MAX), CONN_MAX_DEFAULT);
    assert_int_equal(toe_dev_mmio_read(d, REG_TIME_MODE), TIME_MODE_VIRTUAL);
    toe_dev_free(d);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(toe_dev_model_new(&bad[i], NULL));
}

static void scratch(void **state)
{
    struct tdev *t = *state;
    static const uint32_t vals[] = {0, 0xFFFFFFFFu, 0xDEADBEEFu, 0x00000001u, 0x80000000u};
    size_t i;

    for (i = 0; i < 5; i++) {
        wr(t, REG_SCRATCH, vals[i]);
        assert_int_equal(rd(t, REG_SCRATCH), vals[i]);
    }
    DEV_DELTAS(t, 0, 0);
}

static void memory_space_off(void **state)
{
    struct tdev *t = *state;

    wr(t, REG_SCRATCH, 0x1234);
    pci(t, PCI_CMD_MASTER_ONLY, MSIX_ON);
    assert_int_equal(rd(t, REG_ID), 0xFFFFFFFFu);
    assert_int_equal(rd(t, REG_SCRATCH), 0xFFFFFFFFu);
    assert_int_equal(rd(t, 0x2c), 0xFFFFFFFFu);    /* no register: not counted either */
    wr(t, REG_SCRATCH, 0x5678);                     /* lost */
    wr(t, REG_ID, 1);                               /* lost, not counted */
    pci(t, PCI_ON, MSIX_ON);
    assert_int_equal(rd(t, REG_SCRATCH), 0x1234);
    DEV_DELTAS(t, 0, 0);
    /* the firmware's own bus does not depend on it */
    pci(t, 0, 0);
    assert_int_equal(fwr(t, FW_ID), DEV_ID_MAGIC);
}

static void mmio_bad(void **state)
{
    struct tdev *t = *state;
    static const uint32_t holes[] = {0x2c, 0x38, 0x3c, 0x50, 0xfc,
                                     REG_CNT_BASE + 4 * DEV_CNT_NUM, 0x0ffc,
                                     QREG_BASE + 0x24, QREG_BASE + 6 * 0x40 + 0x3c,
                                     QREG_BASE + 7 * 0x40, 0x1ffc, 0x2200, 0x7ffc,
                                     MSIX_BASE + 32 * 16, 0x9008, 0xfffc};
    static const uint32_t ro[] = {REG_ID, REG_IF_VERSION, REG_FEATURES, REG_DATAPATH,
                                  REG_CONN_MAX, REG_QUEUES, REG_TICK_NS, REG_TIME_MODE,
                                  REG_STATUS, REG_TIME_LO, REG_TIME_HI, REG_CNT_BASE,
                                  REG_CNT_BASE + 4 * (DEV_CNT_NUM - 1), VREG_BASE,
                                  VREG_BASE + 31 * 16 + 12, BAR0_MSIX_PBA, BAR0_MSIX_PBA + 4};
    size_t i;
    uint32_t n = 0;

    for (i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
        assert_int_equal(rd(t, holes[i]), 0);
        wr(t, holes[i], 0xFFFFFFFFu);
        n += 2;
        assert_int_equal(dev_cnt(t, DEV_CNT_MMIO_BAD), n);
    }
    for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
        uint32_t before = rd(t, ro[i]);

        wr(t, ro[i], before ^ 0x5A5A5A5Au);
        n++;
        if (ro[i] != REG_TIME_LO && ro[i] != REG_CNT_BASE)
            assert_int_equal(rd(t, ro[i]), before);
        assert_int_equal(dev_cnt(t, DEV_CNT_MMIO_BAD), n);
    }
    /* unaligned and out of the BAR */
    assert_int_equal(rd(t, REG_SCRATCH + 1), 0);
    wr(t, REG_SCRATCH + 2, 7);
    assert_int_equal(rd(t, BAR0_SIZE), 0);
    n += 3;
    assert_int_equal(rd(t, REG_SCRATCH), 0);
    /* ERROR and ENTRY_SIZE are read-only; PROD of a device-to-host ring and
     * CONS of a host-to-device one too */
    wr(t, qreg(QID_TXQ, QREG_ERROR), 1);
    wr(t, qreg(QID_TXQ, QREG_ENTRY_SIZE), 1);
    wr(t, qreg(QID_TXCQ, QREG_PROD), 1);
    wr(t, qreg(QID_TXQ, QREG_CONS), 1);
    /* PROD and CONS of disabled rings */
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 0);
    n += 6;
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_PROD)), 0);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ERROR)), 0);
    /* configuration of a running ring, and the DMA window while enabled */
    ring_on(t, QID_EVQ, AT_EVQ, 4, QUEUE_NO_VECTOR);
    wr(t, qreg(QID_EVQ, QREG_BASE_LO), 0x40);
    wr(t, qreg(QID_EVQ, QREG_BASE_HI), 0);
    wr(t, qreg(QID_EVQ, QREG_SIZE_LOG2), 5);
    wr(t, qreg(QID_EVQ, QREG_VECTOR), 3);
    wr(t, REG_CONTROL, CONTROL_ENABLE);
    wr(t, REG_DMA_LO_LO, 0x1000);
    wr(t, REG_DMA_HI_HI, 1);
    n += 6;
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_BASE_LO)), (uint32_t)hva(AT_EVQ));
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_BASE_HI)), 1);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_SIZE_LOG2)), 4);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_VECTOR)), QUEUE_NO_VECTOR);
    assert_int_equal(rd(t, REG_DMA_LO_LO), 0);
    assert_int_equal(rd(t, REG_DMA_HI_HI), 0);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, (int)n);
    /* the counter reads through its own window too */
    assert_int_equal(rd(t, REG_CNT_BASE + 4 * DEV_CNT_MMIO_BAD), n);
    assert_int_equal(fwr(t, FW_DEV_CNT_BASE + 4 * DEV_CNT_MMIO_BAD), n);
}

static void time_latch(void **state)
{
    struct tdev *t = *state;
    uint64_t target = 0x123456789ull * 1000u + 999u; /* ns above 2^32 */

    run_to(t, target);
    assert_int_equal(rd(t, REG_TIME_LO), (uint32_t)0x123456789ull);
    run_for(t, 0x100000000ull * 1000u); /* the high word moves on */
    assert_int_equal(rd(t, REG_TIME_HI), 0x1);  /* as latched by the LO read */
    assert_int_equal(rd(t, REG_TIME_LO), (uint32_t)0x223456789ull);
    assert_int_equal(rd(t, REG_TIME_HI), 0x2);
}

/* READY rises exactly conn_max + 256 cycles after the reset at t0. */
static void expect_reset_window(struct tdev *t, uint64_t t0)
{
    uint64_t end = t0 + (t->conn_max + 256u) * PS_PER_CYCLE;

    assert_int_equal(rd(t, REG_STATUS) & STATUS_READY, 0);
    assert_int_equal(rd(t, REG_CONTROL), CONTROL_RESET);
    assert_int_equal(next_activity(t), end);
    run_to(t, end - 1);
    assert_int_equal(rd(t, REG_STATUS) & STATUS_READY, 0);
    assert_int_equal(rd(t, REG_CONTROL), CONTROL_RESET);
    run_to(t, end);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY);
    assert_int_equal(rd(t, REG_CONTROL), 0);
    assert_int_equal(next_activity(t), UINT64_MAX);
}

static void reset_timing(void **state)
{
    struct tdev *t;
    struct toe_dev *d;
    struct toe_dev_cfg cfg = {1024, TIME_MODE_VIRTUAL};

    (void)state;
    /* power-on: a reset at 0 that DEV_CNT_RESETS does not count */
    d = toe_dev_model_new(&cfg, NULL);
    d->ops->pci_state(d, PCI_ON, 0);
    assert_int_equal(toe_dev_mmio_read(d, REG_STATUS), 0);
    assert_int_equal(d->ops->next_activity(d), (1024 + 256) * PS_PER_CYCLE);
    toe_dev_run(d, (1024 + 256) * PS_PER_CYCLE - 1);
    assert_int_equal(toe_dev_mmio_read(d, REG_STATUS), 0);
    toe_dev_run(d, (1024 + 256) * PS_PER_CYCLE);
    assert_int_equal(toe_dev_mmio_read(d, REG_STATUS), STATUS_READY);
    assert_int_equal(toe_dev_mmio_read(d, REG_CNT_BASE + 4 * DEV_CNT_RESETS), 0);
    toe_dev_free(d);

    t = tdev_new(4096);
    run_for(t, 12345);
    wr(t, REG_CONTROL, CONTROL_RESET | CONTROL_ENABLE);
    expect_reset_window(t, now(t));
    assert_int_equal(dev_cnt(t, DEV_CNT_RESETS), 1);
    run_for(t, 777);
    t->d->ops->flr(t->d);
    expect_reset_window(t, now(t));
    assert_int_equal(dev_cnt(t, DEV_CNT_RESETS), 2);
    tdev_free(t);
}

/* BAR0 writes during the walk are ignored and counted; a reset during it
 * starts it again. */
static void reset_walk_ignores_writes(void **state)
{
    struct tdev *t = *state;
    uint64_t t0, t1;

    wr(t, REG_CONTROL, CONTROL_RESET);
    t0 = now(t);
    mark(t);
    wr(t, REG_SCRATCH, 5);
    wr(t, qreg(QID_TXQ, QREG_SIZE_LOG2), 3);
    wr(t, REG_CONTROL, CONTROL_RESET);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 3);
    assert_int_equal(rd(t, REG_SCRATCH), 0);
    run_to(t, t0 + 100 * PS_PER_CYCLE);
    t->d->ops->flr(t->d); /* the channel's RESET: a fresh walk */
    t1 = now(t);
    expect_reset_window(t, t1);
    assert_int_equal(dev_cnt(t, DEV_CNT_RESETS), 2);
}

/* Everything back to its reset value, the clock not. */
static void reset_values(void **state)
{
    struct tdev *t = *state;
    struct toe_tx_ctx ctx;
    uint64_t before;

    datapath_on(t);
    wr(t, REG_SCRATCH, 9);
    ring_on(t, QID_TXCQ, AT_TXCQ, 3, 5);
    wr(t, msix_reg(5, MSIX_VCTRL), 0);
    wr(t, msix_reg(5, MSIX_DATA), 0x77);
    fww(t, FW_VEC_BASE + 8 * 5, 1000);
    fww(t, FW_VEC_BASE + 8 * 5 + 4, 4);
    fww(t, FW_CTRL, FW_CTRL_READY | FW_CTRL_RESET_ACK);
    fww(t, FW_MAC_LO, 0x01020304);
    fww(t, FW_DELACK_TICKS, 10);
    memset(&ctx, 0x11, sizeof(ctx));
    fw_set_txctx(t, 3, &ctx);
    fww(t, FW_MBOX + 0x40, 0xCAFEF00D);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY | STATUS_FW_READY);
    assert_int_equal(fwr(t, FW_ATTN), 0);
    run_for(t, 5 * TICK_PS);
    assert_int_equal(fwr(t, FW_NOW_TICK), 5);
    before = now(t);
    wr(t, REG_CONTROL, CONTROL_RESET);
    run_for(t, (64 + 256) * PS_PER_CYCLE);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY);
    assert_int_equal(rd(t, REG_CONTROL), 0);
    assert_int_equal(rd(t, REG_SCRATCH), 0);
    assert_int_equal(rd(t, REG_DMA_HI_LO), 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_CTRL)), 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_BASE_LO)), 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_SIZE_LOG2)), 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_VECTOR)), QUEUE_NO_VECTOR);
    assert_int_equal(rd(t, msix_reg(5, MSIX_VCTRL)), 1);
    assert_int_equal(rd(t, msix_reg(5, MSIX_DATA)), 0);
    assert_int_equal(rd(t, vreg(5, VREG_MOD_NS)), 0);
    assert_int_equal(rd(t, vreg(5, VREG_MOD_COUNT)), 0);
    assert_int_equal(fwr(t, FW_ATTN), FW_ATTN_RESET);
    assert_int_equal(fwr(t, FW_MAC_LO), 0);
    assert_int_equal(fwr(t, FW_DELACK_TICKS), DELACK_TICKS_DEFAULT);
    assert_int_equal(fwr(t, FW_COALESCE_BYTES), RX_EVENT_COALESCE_DEFAULT);
    assert_int_equal(fwr(t, FW_TS_TICKS), 100);
    assert_int_equal(fwr(t, FW_NOW_TICK), 0);
    assert_int_equal(fwr(t, FW_MBOX + 0x40), 0xCAFEF00D); /* RAM keeps its contents */
    fww(t, FW_TXCTX_CONN, 3);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_READ);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), 0); /* no longer valid */
    /* the clock ran on */
    assert_int_equal(rd(t, REG_TIME_LO), (uint32_t)((before + (64 + 256) * PS_PER_CYCLE) / 1000));
    /* ticks count from the walk's end */
    run_for(t, TICK_PS - 1);
    assert_int_equal(fwr(t, FW_NOW_TICK), 0);
    run_for(t, 1);
    assert_int_equal(fwr(t, FW_NOW_TICK), 1);
}

size_t dev_regs_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        DEV_TEST(identity),
        cmocka_unit_test(identity_cfg),
        DEV_TEST(scratch),
        DEV_TEST(memory_space_off),
        DEV_TEST(mmio_bad),
        DEV_TEST(time_latch),
        cmocka_unit_test(reset_timing),
        DEV_TEST(reset_walk_ignores_writes),
        DEV_TEST(reset_values),
    };

    ADD_TESTS(out, tests);
}
