/*
 * The firmware's management window (docs/device.md, "The firmware and the
 * admin queue"): the DMA mover (both ways, BAD_ARG, FAULT, BUSY while bus
 * mastering is off), the connection-command port (BAD_OFF, a command during
 * the reset's walk), the TX-context port, the admin ring views with the two
 * indices the firmware owns, FW_CTRL and FW_ATTN, and bad accesses.
 */
#include "dev_test.h"

static void mover(void **state)
{
    struct tdev *t = *state;
    uint8_t pat[256], back[256];
    uint32_t i;

    for (i = 0; i < 256; i++)
        pat[i] = (uint8_t)(i ^ 0xA5);
    mbox_put(t, 0x100, pat, 256);
    assert_int_equal(fw_move(t, hva(AT_SCRATCH), 0x100, 256, 1), 0);
    assert_memory_equal(hmem(t, AT_SCRATCH), pat, 256);
    memset(hmem(t, AT_SCRATCH + 0x1000), 0x3C, 4096);
    assert_int_equal(fw_move(t, hva(AT_SCRATCH + 0x1000), 0, 4096, 0), 0); /* the whole mailbox */
    mbox_get(t, 0xF00, back, 256);
    memset(pat, 0x3C, 256);
    assert_memory_equal(back, pat, 256);
    DEV_DELTAS(t, DEV_CNT_FW_DMA_OPS, 2);
}

static void mover_bad_arg_and_fault(void **state)
{
    struct tdev *t = *state;
    uint8_t keep[16], now16[16];

    assert_int_equal(fw_move(t, hva(0), 0, 0, 1), FW_DMA_BAD_ARG);
    assert_int_equal(fw_move(t, hva(0), 0, FW_MBOX_SIZE + 1, 1), FW_DMA_BAD_ARG);
    assert_int_equal(fw_move(t, hva(0), 4000, 97, 0), FW_DMA_BAD_ARG);
    assert_int_equal(fw_move(t, hva(0), 0xFFFFFFF0u, 32, 0), FW_DMA_BAD_ARG); /* no wrap */
    assert_int_equal(fw_move(t, hva(0), 4000, 96, 0), 0); /* exactly to the end */
    DEV_DELTAS(t, DEV_CNT_FW_DMA_OPS, 1);
    mbox_get(t, 0, keep, 16);
    assert_int_equal(fw_move(t, HOST_BASE + HOST_SIZE - 8, 0, 16, 0), FW_DMA_FAULT);
    mbox_get(t, 0, now16, 16);
    assert_memory_equal(keep, now16, 16); /* nothing moved */
    assert_int_equal(fw_move(t, HOST_BASE - 16, 0, 16, 1), FW_DMA_FAULT);
    DEV_DELTAS(t, DEV_CNT_FW_DMA_OPS, 3, DEV_CNT_DMA_RD_FAULTS, 1, DEV_CNT_DMA_WR_FAULTS, 1);
    /* the next good GO clears the status */
    assert_int_equal(fw_move(t, hva(0), 0, 4, 1), 0);
}

static void mover_waits_for_bus_master(void **state)
{
    struct tdev *t = *state;

    fww(t, FW_MBOX, 0x11223344);
    pci(t, PCI_CMD_MEMORY_ONLY, MSIX_ON);
    assert_int_equal(fw_move(t, hva(AT_SCRATCH), 0, 4, 1), FW_DMA_BUSY);
    fww(t, FW_DMA_LEN, 8);              /* held while BUSY */
    fww(t, FW_DMA_CTRL, FW_DMA_GO);     /* one at a time */
    assert_int_equal(fwr(t, FW_DMA_LEN), 4);
    run_for(t, 1000000);
    assert_int_equal(fwr(t, FW_DMA_STATUS), FW_DMA_BUSY);
    assert_int_equal(*(uint32_t *)hmem(t, AT_SCRATCH), 0);
    pci(t, PCI_ON, MSIX_ON);
    assert_int_equal(fwr(t, FW_DMA_STATUS), 0);
    assert_int_equal(*(uint32_t *)hmem(t, AT_SCRATCH), 0x11223344);
    DEV_DELTAS(t, DEV_CNT_FW_DMA_OPS, 1, DEV_CNT_MMIO_BAD, 2);
}

static void cmd_port(void **state)
{
    struct tdev *t = *state;
    struct toe_conn_cmd cmd;
    struct toe_conn_rsp rsp;
    uint32_t last = FW_MBOX_SIZE - (FW_CMD_RSP_OFF + 16 + 128);

    memset(&cmd, 0, sizeof(cmd));
    cmd.op = CONN_CMD_READ;
    cmd.conn_id = 3;
    cmd.tag = 0x77;
    fww(t, FW_CMD_MBOX_OFF, last + 4);
    fww(t, FW_CMD_CTRL, 1);
    assert_int_equal(fwr(t, FW_CMD_STATUS), 2); /* BAD_OFF: the area does not fit */
    rsp = fw_conn_cmd(t, last, &cmd, NULL, NULL);
    assert_memory_equal(&rsp, (&(struct toe_conn_rsp){0x77, 3, CONN_CMD_READ,
                                                      CONN_STATUS_NOT_FOUND, 0, 0}),
                        sizeof(rsp));
    cmd.op = 0x55;
    rsp = fw_conn_cmd(t, 0, &cmd, NULL, NULL);
    assert_int_equal(rsp.status, CONN_STATUS_BAD_OP);
    cmd.op = CONN_CMD_DELETE;
    cmd.conn_id = 64;
    rsp = fw_conn_cmd(t, 0, &cmd, NULL, NULL);
    assert_int_equal(rsp.status, CONN_STATUS_BAD_ID);
    assert_int_equal(fwr(t, FW_RX_CNT_BASE + 4 * RX_CNT_CMDS), 3);
    assert_int_equal(fwr(t, FW_RX_CNT_BASE + 4 * RX_CNT_CMD_ERRORS), 3);
    fww(t, FW_CMD_CTRL, 0); /* no GO: nothing */
    assert_int_equal(fwr(t, FW_RX_CNT_BASE + 4 * RX_CNT_CMDS), 3);
}

/* A GO during the reset's table walk stays BUSY until the walk is over. */
static void cmd_during_walk(void **state)
{
    struct tdev *t = *state;
    struct toe_conn_cmd cmd;
    struct toe_conn_rsp rsp;
    uint64_t t0;

    wr(t, REG_CONTROL, CONTROL_RESET);
    t0 = now(t);
    memset(&cmd, 0, sizeof(cmd));
    cmd.op = CONN_CMD_READ;
    cmd.tag = 9;
    mbox_put(t, 0, &cmd, sizeof(cmd));
    fww(t, FW_CMD_MBOX_OFF, 0);
    fww(t, FW_CMD_CTRL, 1);
    assert_int_equal(fwr(t, FW_CMD_STATUS), 1);
    fww(t, FW_CMD_MBOX_OFF, 0x200); /* held while BUSY */
    assert_int_equal(fwr(t, FW_CMD_MBOX_OFF), 0);
    run_to(t, t0 + (64 + 256) * PS_PER_CYCLE - 1);
    assert_int_equal(fwr(t, FW_CMD_STATUS), 1);
    run_to(t, t0 + (64 + 256) * PS_PER_CYCLE);
    assert_int_equal(fwr(t, FW_CMD_STATUS), 0);
    mbox_get(t, FW_CMD_RSP_OFF, &rsp, sizeof(rsp));
    assert_int_equal(rsp.tag, 9);
    assert_int_equal(rsp.status, CONN_STATUS_NOT_FOUND);
    DEV_DELTAS(t, DEV_CNT_RESETS, 1, DEV_CNT_MMIO_BAD, 1);
}

static void txctx_port(void **state)
{
    struct tdev *t = *state;
    struct toe_tx_ctx c, got, zero;
    uint32_t i;

    for (i = 0; i < sizeof(c); i++)
        ((uint8_t *)&c)[i] = (uint8_t)(i + 1);
    memset(&zero, 0, sizeof(zero));
    fw_set_txctx(t, 63, &c);
    fww(t, FW_TXCTX_MBOX_OFF, 0xC00);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_READ);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), FW_TXCTX_VALID);
    mbox_get(t, 0xC00, &got, sizeof(got));
    assert_memory_equal(&got, &c, sizeof(c));
    fww(t, FW_TXCTX_CONN, 62);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_READ); /* never written: not valid, zeros */
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), 0);
    mbox_get(t, 0xC00, &got, sizeof(got));
    assert_memory_equal(&got, &zero, sizeof(zero));
    fww(t, FW_TXCTX_CONN, 64);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_WRITE);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), FW_TXCTX_BAD_ID);
    fww(t, FW_TXCTX_CONN, 1);
    fww(t, FW_TXCTX_MBOX_OFF, FW_MBOX_SIZE - 44);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_WRITE);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), FW_TXCTX_BAD_ID);
    fww(t, FW_TXCTX_MBOX_OFF, FW_MBOX_SIZE - 48);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_CLEAR);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), 0);
    fww(t, FW_TXCTX_CTRL, 0);
    fww(t, FW_TXCTX_CTRL, 4);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 2);
}

static void admin_ring_views(void **state)
{
    struct tdev *t = *state;

    assert_int_equal(fwr(t, FW_ATTN), FW_ATTN_RESET);
    fww(t, FW_CTRL, FW_CTRL_RESET_ACK);
    assert_int_equal(fwr(t, FW_ATTN), 0);
    ring_on(t, QID_ASQ, AT_ASQ, 2, QUEUE_NO_VECTOR);
    ring_on(t, QID_ACQ, AT_ACQ, 2, 4);
    assert_int_equal(fwr(t, FW_ASQ_BASE_LO), (uint32_t)hva(AT_ASQ));
    assert_int_equal(fwr(t, FW_ASQ_BASE_HI), 1);
    assert_int_equal(fwr(t, FW_ASQ_SIZE_LOG2), 2);
    assert_int_equal(fwr(t, FW_ASQ_CTRL), 1);
    assert_int_equal(fwr(t, FW_ACQ_BASE_LO), (uint32_t)hva(AT_ACQ));
    assert_int_equal(fwr(t, FW_ACQ_CTRL), 1);
    assert_int_equal(fwr(t, FW_ATTN), 0);
    wr(t, qreg(QID_ASQ, QREG_PROD), 3);
    assert_int_equal(fwr(t, FW_ASQ_PROD), 3);
    assert_int_equal(fwr(t, FW_ATTN), FW_ATTN_ASQ);
    fww(t, FW_ASQ_CONS, 4); /* beyond PROD */
    assert_int_equal(fwr(t, FW_ASQ_CONS), 0);
    fww(t, FW_ASQ_CONS, 2);
    assert_int_equal(rd(t, qreg(QID_ASQ, QREG_CONS)), 2);
    fww(t, FW_ASQ_CONS, 1); /* behind */
    assert_int_equal(fwr(t, FW_ASQ_CONS), 2);
    fww(t, FW_ASQ_CONS, 3);
    assert_int_equal(fwr(t, FW_ATTN), 0);
    /* ACQ: at most the ring's size ahead of the host's CONS */
    wr(t, msix_reg(4, MSIX_VCTRL), 0);
    fww(t, FW_ACQ_PROD, 5);
    assert_int_equal(fwr(t, FW_ACQ_PROD), 0);
    fww(t, FW_ACQ_PROD, 3);
    assert_int_equal(rd(t, qreg(QID_ACQ, QREG_PROD)), 3);
    assert_int_equal(t->n_msix, 1); /* the advance counted: one batch, one message */
    assert_int_equal(t->msix[0].vector, 4);
    fww(t, FW_ACQ_PROD, 2); /* backwards */
    wr(t, qreg(QID_ACQ, QREG_CONS), 2);
    fww(t, FW_ACQ_PROD, 7); /* 5 ahead of CONS 2 */
    fww(t, FW_ACQ_PROD, 6);
    assert_int_equal(fwr(t, FW_ACQ_CONS), 2);
    assert_int_equal(rd(t, qreg(QID_ACQ, QREG_PROD)), 6);
    assert_int_equal(t->n_msix, 2);
    wr(t, qreg(QID_ASQ, QREG_CTRL), 0);
    fww(t, FW_ASQ_CONS, 3); /* disabled */
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 6, DEV_CNT_MSIX_SENT, 2);
}

static void ctrl_and_bad(void **state)
{
    struct tdev *t = *state;

    fww(t, FW_CTRL, FW_CTRL_READY);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY | STATUS_FW_READY);
    fww(t, FW_CTRL, FW_CTRL_NOT_READY);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY);
    fww(t, FW_CTRL, FW_CTRL_READY | FW_CTRL_NOT_READY);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY);
    assert_int_equal(fwr(t, FW_ATTN), FW_ATTN_RESET);
    mark(t);
    assert_int_equal(fwr(t, FW_CTRL), 0);       /* write-only */
    assert_int_equal(fwr(t, FW_DMA_CTRL), 0);
    assert_int_equal(fwr(t, 0x14), 0);          /* no register */
    assert_int_equal(fwr(t, FW_MBOX + 2), 0);   /* unaligned */
    assert_int_equal(fwr(t, FW_DEV_CNT_BASE + 4 * DEV_CNT_NUM), 0);
    assert_int_equal(fwr(t, FW_MBOX + FW_MBOX_SIZE), 0);
    fww(t, FW_ID, 0);
    fww(t, FW_NOW_TICK, 0);
    fww(t, FW_ASQ_PROD, 1);
    fww(t, FW_RX_CNT_BASE, 1);
    assert_int_equal(fwr(t, FW_ID), DEV_ID_MAGIC);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 10);
}

size_t dev_fw_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        DEV_TEST(mover),
        DEV_TEST(mover_bad_arg_and_fault),
        DEV_TEST(mover_waits_for_bus_master),
        DEV_TEST(cmd_port),
        DEV_TEST(cmd_during_walk),
        DEV_TEST(txctx_port),
        DEV_TEST(admin_ring_views),
        DEV_TEST(ctrl_and_bad),
    };

    ADD_TESTS(out, tests);
}
