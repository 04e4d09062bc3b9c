/*
 * The RTL device (rtl/toe_dev.sv through sim/dev/rtl/toe_dev_rtl.cpp) driven through
 * sim/dev/toe_dev.h: reset values and BAR0 rules, rings with wrap and phase, the TX and
 * RX datapaths with exact bytes (several against the C model run on the same inputs:
 * the model is the reference), MSI-X masking, PBA and moderation, DMA faults, FLR, the
 * firmware window, the engines' taken moments, and the idle warp.
 *
 * Unlike the model, the RTL does its work in clocks: after an input the tests run the
 * device for a while (settle()) before they look.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, setenv */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "dev_test.h"
#include "test_seed.h"
#include "toe_pkt.h"

static const uint8_t MAC_US[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_PEER[6] = {0x02, 0, 0, 0, 0, 0x02};

/* Run until the device has nothing in flight (next_activity() is later than now), in
 * steps of 100 clocks, at most 50 us (a device waiting for the host with engine outputs
 * held stays busy). */
#define SETTLE_PS (50u * 1000u * 1000u)

static void settle(struct tdev *t)
{
    uint64_t end = now(t) + SETTLE_PS;

    do
        run_for(t, 100 * PS_PER_CYCLE);
    while (next_activity(t) <= now(t) && now(t) < end);
}

static void frame_in(struct tdev *t, const uint8_t *f, size_t len)
{
    t->d->ops->frame_in(t->d, f, len);
}

static struct tdev *rtl_new(uint32_t conn_max)
{
    tdev_backend = toe_dev_rtl_new;
    return tdev_new(conn_max);
}

static struct tdev *model_new(uint32_t conn_max)
{
    tdev_backend = toe_dev_model_new;
    return tdev_new(conn_max);
}

static int rtl_setup(void **state)
{
    *state = rtl_new(64);
    return 0;
}

/* ---- registers ---------------------------------------------------------------------------- */

static void identify_and_reset_values(void **state)
{
    struct tdev *t = *state;
    unsigned q, v;

    assert_string_equal(t->d->ops->name, "rtl");
    assert_int_equal(rd(t, REG_ID), DEV_ID_MAGIC);
    assert_int_equal(rd(t, REG_IF_VERSION), IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR);
    assert_int_equal(rd(t, REG_FEATURES), 0x1F);
    assert_int_equal(rd(t, REG_DATAPATH), 250u << 16 | 8u);
    assert_int_equal(rd(t, REG_CONN_MAX), 64);
    assert_int_equal(rd(t, REG_QUEUES), 7);
    assert_int_equal(rd(t, REG_TICK_NS), 10000);
    assert_int_equal(rd(t, REG_TIME_MODE), TIME_MODE_VIRTUAL);
    assert_int_equal(rd(t, REG_CONTROL), 0);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY);
    for (q = 0; q < DEV_QUEUES; q++) {
        assert_int_equal(rd(t, qreg(q, QREG_VECTOR)), QUEUE_NO_VECTOR);
        assert_int_equal(rd(t, qreg(q, QREG_CTRL)), 0);
        assert_int_equal(rd(t, qreg(q, QREG_ENTRY_SIZE)), q == QID_ASQ ? 64 : q == QID_TXQ ? 32 : 16);
    }
    for (v = 0; v < MSIX_VECTORS; v++) {
        assert_int_equal(rd(t, msix_reg(v, MSIX_VCTRL)), 1);
        assert_int_equal(rd(t, vreg(v, VREG_PENDING)), 0);
    }
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 0);
    assert_int_equal(fwr(t, FW_ID), DEV_ID_MAGIC);
    assert_int_equal(fwr(t, FW_ATTN), FW_ATTN_RESET);
    assert_int_equal(t->d->ops->fw_attention(t->d), FW_ATTN_RESET);
    assert_int_equal(fwr(t, FW_TS_TICKS), 100);
    assert_int_equal(fwr(t, FW_DELACK_TICKS), DELACK_TICKS_DEFAULT);
    assert_int_equal(fwr(t, FW_CONN_MAX), 64);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 0);
}

static void bar0_rules(void **state)
{
    struct tdev *t = *state;

    wr(t, REG_SCRATCH, 0xA5A55A5Au);
    assert_int_equal(rd(t, REG_SCRATCH), 0xA5A55A5Au);
    assert_int_equal(rd(t, 0x0058), 0);          /* no register */
    wr(t, REG_ID, 1);                            /* read-only */
    assert_int_equal(rd(t, REG_SCRATCH + 1), 0); /* unaligned */
    wr(t, vreg(3, VREG_SENT), 7);                /* VREG is read-only */
    wr(t, qreg(QID_TXQ, QREG_ERROR), 1);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 5);
    /* memory space off: reads all ones, writes lost, nothing counted */
    mark(t);
    pci(t, PCI_CMD_MASTER_ONLY, MSIX_ON);
    assert_int_equal(rd(t, REG_ID), 0xFFFFFFFFu);
    wr(t, REG_SCRATCH, 1);
    pci(t, PCI_ON, MSIX_ON);
    assert_int_equal(rd(t, REG_SCRATCH), 0xA5A55A5Au);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 0);
    /* the DMA window is fixed while the datapath is on */
    datapath_on(t);
    wr(t, REG_DMA_LO_LO, 0);
    assert_int_equal(rd(t, REG_DMA_LO_LO), (uint32_t)HOST_BASE);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 1);
}

/* Every access is one clock of 4 ns; TIME_LO latches TIME_HI. */
static void time_per_access(void **state)
{
    struct tdev *t = *state;
    uint32_t a, b;
    uint64_t t0 = now(t);

    a = rd(t, REG_TIME_LO);
    b = rd(t, REG_TIME_LO);
    assert_int_equal(b - a, 4);
    assert_int_equal(rd(t, REG_TIME_HI), 0);
    assert_int_equal(now(t) - t0, 3 * PS_PER_CYCLE);
    run_to(t, 1000000000000ull); /* 1 s */
    a = rd(t, REG_TIME_LO); /* the clock as the access starts */
    assert_int_equal(a, (uint32_t)1000000000ull);
    assert_int_equal(now(t), 1000000000000ull + PS_PER_CYCLE);
}

static void queue_rules(void **state)
{
    struct tdev *t = *state;

    /* bad configuration */
    wr(t, qreg(QID_TXCQ, QREG_SIZE_LOG2), 16);
    wr(t, qreg(QID_TXCQ, QREG_CTRL), 1);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_ERROR)), QERR_BAD_CONFIG);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_CTRL)), 0);
    wr(t, qreg(QID_TXCQ, QREG_SIZE_LOG2), 3);
    wr(t, qreg(QID_TXCQ, QREG_BASE_LO), 0x20);
    wr(t, qreg(QID_TXCQ, QREG_CTRL), 1);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_ERROR)), QERR_BAD_CONFIG);
    DEV_DELTAS(t, DEV_CNT_QUEUE_ERRORS, 2);
    mark(t);
    ring_on(t, QID_TXQ, AT_TXQ, 2, QUEUE_NO_VECTOR);
    wr(t, qreg(QID_TXQ, QREG_BASE_LO), 0); /* fixed while enabled */
    wr(t, qreg(QID_TXQ, QREG_PROD), 4);    /* CONTROL.ENABLE off: nothing taken */
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_PROD)), 4);
    wr(t, qreg(QID_TXQ, QREG_PROD), 9);    /* more than the ring: stops it */
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ERROR)), QERR_BAD_PROD);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CTRL)), 0);
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);    /* disabled */
    ring_on(t, QID_EVQ, AT_EVQ, 2, QUEUE_NO_VECTOR);
    wr(t, qreg(QID_EVQ, QREG_CONS), 1);    /* beyond PROD */
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_ERROR)), QERR_BAD_CONS);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 2, DEV_CNT_QUEUE_ERRORS, 2);
}

/* ---- TX -------------------------------------------------------------------------------------- */

static void tx_rings(struct tdev *t, uint32_t log2, uint32_t vector)
{
    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, log2, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, log2, vector);
}

static void tx_raw_exact(void **state)
{
    struct tdev *t = *state;
    struct toe_tx_cpl c;

    tx_rings(t, 3, QUEUE_NO_VECTOR);
    post_raw(t, 3, 0, AT_TXBUF, 60, 0x1234, 7);
    post_raw(t, 3, 1, AT_TXBUF + 0x1000, 1514, 0x1235, 9);
    wr(t, qreg(QID_TXQ, QREG_PROD), 2);
    settle(t);
    assert_int_equal(t->n_frames, 2);
    assert_int_equal(t->frames[0].len, 60);
    assert_memory_equal(t->frames[0].data, hmem(t, AT_TXBUF), 60);
    assert_int_equal(t->frames[1].len, 1514);
    assert_memory_equal(t->frames[1].data, hmem(t, AT_TXBUF + 0x1000), 1514);
    assert_true(t->frames[0].t < t->frames[1].t);
    memcpy(&c, ring_slot(t, AT_TXCQ, 3, 16, 0), sizeof(c));
    assert_memory_equal(&c, (&(struct toe_tx_cpl){0x1234, 0, TX_STATUS_OK, 1, 1, 0, 0, 0}), sizeof(c));
    memcpy(&c, ring_slot(t, AT_TXCQ, 3, 16, 1), sizeof(c));
    assert_memory_equal(&c, (&(struct toe_tx_cpl){0x1235, 0, TX_STATUS_OK, 1, 1, 0, 0, 0}), sizeof(c));
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 2);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 2);
    assert_int_equal(t->n_taken[TOE_DEV_IN_TX_DESC], 2);
    assert_true(t->t_taken[TOE_DEV_IN_TX_DESC] < t->frames[1].t);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 2, DEV_CNT_TX_CPLS, 2);
}

/* A two-entry TXCQ: phase 1, 1, 0, 0, 1 as the ring wraps (the host gives slots back). */
static void tx_wrap_and_phase(void **state)
{
    struct tdev *t = *state;
    uint32_t i;

    tx_rings(t, 1, QUEUE_NO_VECTOR);
    for (i = 0; i < 5; i++) {
        struct toe_tx_cpl c;

        post_raw(t, 1, i, AT_TXBUF + i * 0x100, 64, (uint16_t)(0x100 + i), (uint8_t)i);
        wr(t, qreg(QID_TXQ, QREG_PROD), i + 1);
        settle(t);
        memcpy(&c, ring_slot(t, AT_TXCQ, 1, 16, i), sizeof(c));
        assert_int_equal(c.tag, 0x100 + i);
        assert_int_equal(c.flags, ((i >> 1) & 1) ^ 1);
        wr(t, qreg(QID_TXCQ, QREG_CONS), i + 1);
    }
    assert_int_equal(t->n_frames, 5);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 5, DEV_CNT_TX_CPLS, 5);
}

/* A full TXCQ holds one completion and the next descriptor (CONS one ahead at most). */
static void tx_backpressure(void **state)
{
    struct tdev *t = *state;
    uint32_t i;

    tx_rings(t, 1, QUEUE_NO_VECTOR);
    for (i = 0; i < 4; i++)
        post_raw(t, 1, i, AT_TXBUF + i * 0x100, 64, (uint16_t)i, 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 2);
    settle(t);
    post_raw(t, 1, 2, AT_TXBUF + 0x200, 64, 2, 1);
    post_raw(t, 1, 3, AT_TXBUF + 0x300, 64, 3, 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 4);
    settle(t);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 2);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 3);
    assert_int_equal(t->n_frames, 3);
    wr(t, qreg(QID_TXCQ, QREG_CONS), 2);
    settle(t);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 4);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 4);
    assert_int_equal(t->n_frames, 4);
}

/* The TXQ slot refused: TXQ stops, the fault is counted, nothing else happens. */
static void tx_desc_fault(void **state)
{
    struct tdev *t = *state;

    tx_rings(t, 3, QUEUE_NO_VECTOR);
    post_raw(t, 3, 0, AT_TXBUF, 60, 1, 1);
    t->refuse_lo = hva(AT_TXQ);
    t->refuse_hi = hva(AT_TXQ + 32);
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);
    settle(t);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ERROR)), QERR_DMA_FAULT);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CTRL)), 0);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 0);
    assert_int_equal(t->n_frames, 0);
    assert_int_equal(t->n_taken[TOE_DEV_IN_TX_DESC], 0);
    DEV_DELTAS(t, DEV_CNT_DMA_RD_FAULTS, 1, DEV_CNT_QUEUE_ERRORS, 1);
}

/* The completion write refused: TXCQ stops with the completion waiting; enabled again,
 * the completion goes to slot 0. */
static void tx_cpl_fault(void **state)
{
    struct tdev *t = *state;
    struct toe_tx_cpl c;

    tx_rings(t, 3, QUEUE_NO_VECTOR);
    post_raw(t, 3, 0, AT_TXBUF, 60, 0x77, 1);
    t->refuse_lo = hva(AT_TXCQ);
    t->refuse_hi = hva(AT_TXCQ + 16);
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);
    settle(t);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_ERROR)), QERR_DMA_FAULT);
    assert_int_equal(t->n_frames, 1);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 1, DEV_CNT_DMA_WR_FAULTS, 1, DEV_CNT_QUEUE_ERRORS, 1);
    t->refuse_lo = t->refuse_hi = 0;
    wr(t, qreg(QID_TXCQ, QREG_CTRL), 1);
    settle(t);
    memcpy(&c, ring_slot(t, AT_TXCQ, 3, 16, 0), sizeof(c));
    assert_int_equal(c.tag, 0x77);
    assert_int_equal(c.flags, 1);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 1);
}

static struct toe_tx_ctx std_txctx(void)
{
    struct toe_tx_ctx c;

    memset(&c, 0, sizeof(c));
    memcpy(c.dst_mac, MAC_PEER, 6);
    memcpy(c.src_mac, MAC_US, 6);
    c.ttl = 64;
    c.flags = CTX_FLAG_TS;
    c.src_ip = 0xC0000201u;
    c.dst_ip = 0xC0000202u;
    c.src_port = 5000;
    c.dst_port = 80;
    c.rcv_nxt = 0x01020304u;
    c.ts_recent = 0x0A0B0C0Du;
    c.rcv_wnd = 512;
    c.mss = 1000;
    return c;
}

/* TSO through a TX context and a bad connection id, on both implementations: every
 * frame and completion byte equal (the model is the reference). */
static void tso_run(struct tdev *t)
{
    struct toe_tx_ctx ctx = std_txctx();
    struct toe_tx_desc d;
    uint32_t k;

    tx_rings(t, 3, QUEUE_NO_VECTOR);
    fw_set_txctx(t, 3, &ctx);
    for (k = 0; k < 3000; k++)
        hmem(t, AT_TXBUF)[k] = (uint8_t)(k * 7 + 3);
    memset(&d, 0, sizeof(d));
    d.buf_addr = hva(AT_TXBUF);
    d.len = 3000;
    d.seq = 0xFFFFFC00u; /* the sequence wraps inside the send */
    d.conn_id = 3;
    d.tag = 0x4242;
    d.op = TX_OP_TSO;
    d.tcp_flags = TCP_FLAG_ACK | TCP_FLAG_PSH;
    d.ip_id = 0xFFFE;
    memcpy(ring_slot(t, AT_TXQ, 3, 32, 0), &d, sizeof(d));
    d.conn_id = 4; /* no context */
    d.tag = 0x4343;
    memcpy(ring_slot(t, AT_TXQ, 3, 32, 1), &d, sizeof(d));
    wr(t, qreg(QID_TXQ, QREG_PROD), 2);
    settle(t);
}

static void tso_same_as_model(void **state)
{
    struct tdev *t = *state, *m = model_new(64);
    size_t i;

    tso_run(t);
    tso_run(m);
    run_until_settled(m); /* the model's completion follows its last frame out of the port */
    assert_int_equal(m->n_frames, 4); /* 3000 bytes at 988 a segment (mss less TS_OPT_LEN) */
    assert_int_equal(t->n_frames, 4);
    for (i = 0; i < 4; i++) {
        assert_int_equal(t->frames[i].len, m->frames[i].len);
        assert_memory_equal(t->frames[i].data, m->frames[i].data, m->frames[i].len);
    }
    assert_memory_equal(hmem(t, AT_TXCQ), hmem(m, AT_TXCQ), 32);
    assert_int_equal(((struct toe_tx_cpl *)hmem(t, AT_TXCQ + 16))->status, TX_STATUS_ERR_CONN);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 2, DEV_CNT_TX_CPLS, 2, DEV_CNT_TX_BAD_CONN, 1);
    assert_int_equal(t->n_taken[TOE_DEV_IN_TX_DESC], 1); /* ERR_CONN never reaches the engine */
    tdev_free(m);
}

/* ---- RX -------------------------------------------------------------------------------------- */

static void rx_rings(struct tdev *t)
{
    datapath_on(t);
    ring_on(t, QID_RXBQ, AT_RXBQ, 3, QUEUE_NO_VECTOR);
    ring_on(t, QID_EXCQ, AT_EXCQ, 3, QUEUE_NO_VECTOR);
    ring_on(t, QID_EVQ, AT_EVQ, 3, QUEUE_NO_VECTOR);
}

static void post_buf(struct tdev *t, uint32_t i, uint64_t addr, uint32_t len, uint32_t rsvd)
{
    struct toe_rx_buf b = {addr, len, rsvd};

    memcpy(ring_slot(t, AT_RXBQ, 3, 16, i), &b, sizeof(b));
    wr(t, qreg(QID_RXBQ, QREG_PROD), i + 1);
}

static size_t arp_frame(uint8_t *f, size_t len, const uint8_t *dst)
{
    size_t i;

    memcpy(f, dst, 6);
    memcpy(f + 6, MAC_PEER, 6);
    f[12] = 0x08;
    f[13] = 0x06;
    for (i = 14; i < len; i++)
        f[i] = (uint8_t)(i * 5 + 1);
    return len;
}

static void rx_exception_exact(void **state)
{
    struct tdev *t = *state;
    static uint8_t f[1500];
    struct toe_exc_cpl c;

    rx_rings(t);
    post_buf(t, 0, hva(AT_RXBUF), 2048, 0);
    post_buf(t, 1, hva(AT_RXBUF + 2048), 2048, 0);
    run_for(t, 3 * TICK_PS); /* arrives at tick 3 */
    assert_int_equal(fwr(t, FW_NOW_TICK), 3);
    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60);
    settle(t);
    assert_memory_equal(hmem(t, AT_RXBUF), f, 60);
    memcpy(&c, ring_slot(t, AT_EXCQ, 3, 16, 0), sizeof(c));
    assert_memory_equal(&c, (&(struct toe_exc_cpl){RX_EXC_NOT_IPV4, 0x80, 0xFFFF, 60, 0, 0, 3, 0}),
                        sizeof(c));
    run_for(t, TICK_PS);
    assert_int_equal(fwr(t, FW_NOW_TICK), 4);
    arp_frame(f, 1499, MAC_US);
    frame_in(t, f, 1499);
    settle(t);
    memcpy(&c, ring_slot(t, AT_EXCQ, 3, 16, 1), sizeof(c));
    assert_memory_equal(&c, (&(struct toe_exc_cpl){RX_EXC_NOT_IPV4, 0x80, 0xFFFF, 1499, 0, 0, 4, 1}),
                        sizeof(c));
    assert_memory_equal(hmem(t, AT_RXBUF + 2048), f, 1499);
    assert_int_equal(hmem(t, AT_RXBUF + 2048)[1499], 0); /* not a byte more */
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CONS)), 2);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 2);
    assert_int_equal(t->n_taken[TOE_DEV_IN_RX_FRAME], 2);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 2, DEV_CNT_EXC_FRAMES, 2);
}

static void rx_drops(void **state)
{
    struct tdev *t = *state;
    uint8_t f[100];

    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60); /* CONTROL.ENABLE off */
    settle(t);
    rx_rings(t);
    frame_in(t, f, 60); /* no buffer */
    settle(t);
    post_buf(t, 0, hva(AT_RXBUF), 64, 0);
    arp_frame(f, 65, MAC_US);
    frame_in(t, f, 65); /* longer than the buffer: kept */
    settle(t);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CONS)), 0);
    fww(t, FW_MAC_LO, 0x02u);
    fww(t, FW_MAC_HI, 0x0100u);
    fww(t, FW_RX_FILTER, 1);
    arp_frame(f, 60, MAC_PEER);
    frame_in(t, f, 60); /* not for us */
    f[0] = 0xFF;
    frame_in(t, f, 60); /* broadcast passes: into the 64-byte buffer */
    settle(t);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 1);
    assert_memory_equal(hmem(t, AT_RXBUF), f, 60);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 5, DEV_CNT_RX_DISABLED_DROPS, 1, DEV_CNT_RX_NO_BUF, 1,
               DEV_CNT_RX_BUF_SMALL, 1, DEV_CNT_RX_FILTERED, 1, DEV_CNT_EXC_FRAMES, 1);
    assert_int_equal(t->n_taken[TOE_DEV_IN_RX_FRAME], 3);
}

static void rx_bad_entry_and_faults(void **state)
{
    struct tdev *t = *state;
    uint8_t f[60];
    struct toe_exc_cpl c;

    rx_rings(t);
    arp_frame(f, 60, MAC_US);
    post_buf(t, 0, hva(AT_RXBUF), RXB_MIN_LEN - 1, 0);
    frame_in(t, f, 60);
    settle(t);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_ERROR)), QERR_BAD_ENTRY);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 1, DEV_CNT_RX_NO_BUF, 1, DEV_CNT_QUEUE_ERRORS, 1);
    /* a refused frame write: the entry still comes, with len 0 */
    mark(t);
    wr(t, qreg(QID_RXBQ, QREG_CTRL), 1);
    post_buf(t, 0, hva(AT_RXBUF), 2048, 0);
    t->refuse_lo = hva(AT_RXBUF);
    t->refuse_hi = hva(AT_RXBUF + 1);
    frame_in(t, f, 60);
    settle(t);
    memcpy(&c, ring_slot(t, AT_EXCQ, 3, 16, 0), sizeof(c));
    assert_int_equal(c.len, 0);
    assert_int_equal(c.flags, 0x80);
    assert_int_equal(hmem(t, AT_RXBUF)[0], 0);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 1, DEV_CNT_DMA_WR_FAULTS, 1, DEV_CNT_EXC_FRAMES, 1);
    /* a refused RXBQ entry read: RXBQ stops */
    mark(t);
    t->refuse_lo = hva(AT_RXBQ + 16);
    t->refuse_hi = hva(AT_RXBQ + 32);
    post_buf(t, 1, hva(AT_RXBUF), 2048, 0);
    frame_in(t, f, 60);
    settle(t);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_ERROR)), QERR_DMA_FAULT);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 1, DEV_CNT_DMA_RD_FAULTS, 1, DEV_CNT_RX_NO_BUF, 1,
               DEV_CNT_QUEUE_ERRORS, 1);
}

/* A connection through the command port; its in-order data placed and a DATA event
 * (the receive ring wraps 2^32 inside the data, as in test_dev_rx.c). */
#define RCV0 0xFFFFFF00u
#define SND0 0x55667788u

static struct toe_rx_ctx conn_ctx(void)
{
    struct toe_rx_ctx c;

    memset(&c, 0, sizeof(c));
    c.buf_base = hva(AT_CONNRING);
    c.local_ip = 0xC0000201u;
    c.remote_ip = 0xC6336402u;
    c.local_port = 5001;
    c.remote_port = 49152;
    c.flags = RX_FLAG_DF;
    c.buf_size_log2 = 15;
    memcpy(c.dst_mac, MAC_PEER, 6);
    memcpy(c.src_mac, MAC_US, 6);
    c.ttl = 64;
    c.mss = 1460;
    c.buf_seq0 = RCV0 - 0x100;
    c.rcv_nxt = c.rcv_read = c.last_ack_sent = RCV0;
    c.rcv_adv = RCV0 + 32768;
    c.snd_una = c.snd_nxt = SND0;
    c.snd_wnd = c.max_snd_wnd = 65535;
    c.snd_wl1 = RCV0 - 1;
    c.snd_wl2 = SND0;
    return c;
}

static size_t peer_seg(uint8_t *f, uint32_t seq, size_t len, uint8_t flags)
{
    struct toe_eth e = {{0}, {0}, 0, 0, TOE_ETHERTYPE_IPV4, 0};
    struct toe_ipv4 ip = {0, (uint16_t)(40 + len), 7, TOE_IPV4_DF, 64, 6, 0xC6336402u,
                          0xC0000201u};
    struct toe_tcp th = {49152, 5001, seq, SND0, flags, 65535, 0, 0, 0};
    size_t i;

    memcpy(e.dst, MAC_US, 6);
    memcpy(e.src, MAC_PEER, 6);
    toe_eth_build(f, &e);
    toe_ipv4_build(f + 14, &ip);
    toe_tcp_build(f + 34, &th, NULL, 0);
    for (i = 0; i < len; i++)
        f[54 + i] = (uint8_t)(seq + i);
    toe_tcp_csum_fill(ip.src, ip.dst, f + 34, 20 + len);
    return 54 + len;
}

static void install(struct tdev *t, uint32_t conn)
{
    struct toe_rx_ctx c = conn_ctx(), got;
    struct toe_conn_cmd cmd;
    struct toe_conn_rsp rsp;

    memset(&cmd, 0, sizeof(cmd));
    cmd.op = CONN_CMD_INSERT;
    cmd.conn_id = (uint16_t)conn;
    cmd.tag = 0x5A5A;
    mbox_put(t, 0x100, &cmd, sizeof(cmd));
    mbox_put(t, 0x100 + 32, &c, sizeof(c));
    fww(t, FW_CMD_MBOX_OFF, 0x100);
    fww(t, FW_CMD_CTRL, 1);
    settle(t);
    assert_int_equal(fwr(t, FW_CMD_STATUS), 0);
    mbox_get(t, 0x100 + FW_CMD_RSP_OFF, &rsp, sizeof(rsp));
    assert_memory_equal(&rsp, (&(struct toe_conn_rsp){0x5A5A, (uint16_t)conn, CONN_CMD_INSERT,
                                                      CONN_STATUS_OK, 0, 0}), sizeof(rsp));
    cmd.op = CONN_CMD_READ;
    cmd.tag = 0x6B6B;
    mbox_put(t, 0x400, &cmd, sizeof(cmd));
    fww(t, FW_CMD_MBOX_OFF, 0x400);
    fww(t, FW_CMD_CTRL, 1);
    settle(t);
    mbox_get(t, 0x400 + FW_CMD_RSP_OFF, &rsp, sizeof(rsp));
    assert_int_equal(rsp.status, CONN_STATUS_OK);
    assert_int_equal(rsp.tag, 0x6B6B);
    mbox_get(t, 0x400 + FW_CMD_RSP_OFF + 16, &got, sizeof(got));
    assert_memory_equal(&got, &c, sizeof(c));
}

static void rx_placement_and_events(void **state)
{
    struct tdev *t = *state;
    static uint8_t f[1600];
    struct toe_rx_event ev;
    uint32_t tick;
    size_t n, i;

    rx_rings(t);
    install(t, 5);
    assert_int_equal(t->n_taken[TOE_DEV_IN_RX_CMD], 2);
    tick = fwr(t, FW_NOW_TICK);
    n = peer_seg(f, RCV0, 500, TCP_FLAG_ACK | TCP_FLAG_PSH);
    t->n_wlog = 0;
    frame_in(t, f, n);
    settle(t);
    /* the data reaches the host before the event that reports it */
    assert_true(t->n_wlog >= 2);
    for (i = 0; i + 1 < t->n_wlog; i++)
        assert_true(t->wlog_addr[i] >= hva(AT_CONNRING) && t->wlog_addr[i] < hva(AT_CONNRING + 0x8000));
    assert_int_equal(t->wlog_addr[t->n_wlog - 1], hva(AT_EVQ));
    assert_int_equal(t->wlog_len[t->n_wlog - 1], 16);
    for (i = 0; i < 500; i++)
        assert_int_equal(hmem(t, AT_CONNRING)[0x100 + i], (uint8_t)(RCV0 + i));
    assert_int_equal(hmem(t, AT_CONNRING)[0xFF], 0);
    assert_int_equal(hmem(t, AT_CONNRING)[0x100 + 500], 0);
    memcpy(&ev, ring_slot(t, AT_EVQ, 3, 16, 0), sizeof(ev));
    assert_memory_equal(&ev, (&(struct toe_rx_event){RX_EV_DATA, 0x80, 5, RCV0 + 500, 500, tick}),
                        sizeof(ev));
    /* without PSH the DATA event comes with the next tick */
    n = peer_seg(f, RCV0 + 500, 300, TCP_FLAG_ACK);
    frame_in(t, f, n);
    settle(t);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_PROD)), 1);
    /* the tick is the next activity: it has work */
    assert_true(next_activity(t) > now(t));
    assert_true(next_activity(t) <= now(t) + TICK_PS);
    run_to(t, next_activity(t) + 100 * PS_PER_CYCLE);
    memcpy(&ev, ring_slot(t, AT_EVQ, 3, 16, 1), sizeof(ev));
    assert_memory_equal(&ev, (&(struct toe_rx_event){RX_EV_DATA, 0x80, 5, RCV0 + 800, 300, tick + 1}),
                        sizeof(ev));
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 2, DEV_CNT_EVENTS, 2);
}

/* ---- MSI-X ----------------------------------------------------------------------------------- */

static void msix_mask_and_pba(void **state)
{
    struct tdev *t = *state;

    tx_rings(t, 3, 5);
    post_raw(t, 3, 0, AT_TXBUF, 60, 1, 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 1); /* vector 5 is masked (reset value) */
    settle(t);
    assert_int_equal(t->n_msix, 0);
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 1u << 5);
    assert_int_equal(rd(t, vreg(5, VREG_PENDING)), 1);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 1, DEV_CNT_TX_CPLS, 1, DEV_CNT_MSIX_HELD, 1);
    mark(t);
    wr(t, msix_reg(5, MSIX_VCTRL), 0);
    settle(t);
    assert_int_equal(t->n_msix, 1);
    assert_int_equal(t->msix[0].vector, 5);
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 0);
    assert_int_equal(rd(t, vreg(5, VREG_SENT)), 1);
    assert_int_equal(rd(t, vreg(5, VREG_PENDING)), 0);
    DEV_DELTAS(t, DEV_CNT_MSIX_SENT, 1);
    /* the function mask holds the next one; MSI-X off too */
    mark(t);
    pci(t, PCI_ON, MSIX_ON | 0x4000u);
    post_raw(t, 3, 1, AT_TXBUF, 60, 2, 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 2);
    settle(t);
    assert_int_equal(t->n_msix, 1);
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 1u << 5);
    pci(t, PCI_ON, MSIX_ON);
    settle(t);
    assert_int_equal(t->n_msix, 2);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 1, DEV_CNT_TX_CPLS, 1, DEV_CNT_MSIX_HELD, 1, DEV_CNT_MSIX_SENT, 1);
}

static void msix_moderation(void **state)
{
    struct tdev *t = *state;
    uint64_t t_cpl;

    tx_rings(t, 3, 2);
    wr(t, msix_reg(2, MSIX_VCTRL), 0);
    fww(t, FW_VEC_BASE + 2 * 8 + 4, 2);       /* MOD_COUNT 2 */
    fww(t, FW_VEC_BASE + 2 * 8, 1000000000u); /* MOD_NS far off (0 would send at once) */
    assert_int_equal(rd(t, vreg(2, VREG_MOD_COUNT)), 2);
    post_raw(t, 3, 0, AT_TXBUF, 60, 1, 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);
    settle(t);
    assert_int_equal(t->n_msix, 0);
    assert_int_equal(rd(t, vreg(2, VREG_PENDING)), 1);
    post_raw(t, 3, 1, AT_TXBUF, 60, 2, 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 2);
    settle(t);
    assert_int_equal(t->n_msix, 1);
    /* MOD_NS 100 us with MOD_COUNT off: the message 100 us after the entry, exactly */
    fww(t, FW_VEC_BASE + 2 * 8 + 4, 0);
    fww(t, FW_VEC_BASE + 2 * 8, 100000);
    post_raw(t, 3, 2, AT_TXBUF, 60, 3, 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 3);
    settle(t);
    assert_int_equal(t->n_msix, 1);
    assert_int_equal(rd(t, vreg(2, VREG_PENDING)), 1);
    /* the entry's clock from the frame: the completion follows within a few clocks */
    t_cpl = t->frames[2].t;
    assert_true(next_activity(t) > now(t));
    assert_true(next_activity(t) < t_cpl + 100000000ull + 100 * PS_PER_CYCLE);
    run_to(t, next_activity(t) - PS_PER_CYCLE);
    assert_int_equal(t->n_msix, 1);
    run_for(t, 2 * PS_PER_CYCLE);
    assert_int_equal(t->n_msix, 2);
    assert_int_equal(t->msix[1].t, next_activity(t) == UINT64_MAX ? t->msix[1].t : t->msix[1].t);
    assert_true(t->msix[1].t - t_cpl >= 100000000ull);
    assert_int_equal(next_activity(t), UINT64_MAX);
}

/* ---- reset -------------------------------------------------------------------------------------- */

static void flr_resets(void **state)
{
    struct tdev *t = *state;
    uint64_t t0;

    tx_rings(t, 3, 1);
    wr(t, REG_SCRATCH, 5);
    wr(t, msix_reg(1, MSIX_VCTRL), 0);
    fww(t, FW_CTRL, FW_CTRL_RESET_ACK | FW_CTRL_READY);
    fww(t, FW_MBOX + 8, 0xDEADBEEFu);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY | STATUS_FW_READY);
    assert_int_equal(t->d->ops->fw_attention(t->d), 0);
    t->d->ops->flr(t->d);
    t0 = now(t);
    assert_int_equal(rd(t, REG_STATUS), 0);
    assert_int_equal(rd(t, REG_CONTROL), CONTROL_RESET);
    assert_int_equal(rd(t, REG_SCRATCH), 0);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CTRL)), 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_VECTOR)), QUEUE_NO_VECTOR);
    assert_int_equal(rd(t, msix_reg(1, MSIX_VCTRL)), 1);
    assert_int_equal(rd(t, REG_DMA_LO_LO), 0);
    assert_int_equal(t->d->ops->fw_attention(t->d), FW_ATTN_RESET);
    assert_int_equal(fwr(t, FW_MBOX + 8), 0xDEADBEEFu); /* RAM keeps its contents */
    wr(t, REG_SCRATCH, 1);                              /* ignored during the walk */
    assert_int_equal(dev_cnt(t, DEV_CNT_RESETS), 1);
    assert_int_equal(dev_cnt(t, DEV_CNT_MMIO_BAD), 1);
    /* READY 0 for exactly conn_max + 256 clocks from the reset */
    run_to(t, t0 + (64u + 256u - 1u) * PS_PER_CYCLE);
    assert_int_equal(rd(t, REG_STATUS) & STATUS_READY, 0);
    assert_int_equal(rd(t, REG_STATUS) & STATUS_READY, STATUS_READY);
    /* CONTROL.RESET does the same */
    wr(t, REG_CONTROL, CONTROL_RESET);
    assert_int_equal(rd(t, REG_CONTROL), CONTROL_RESET);
    run_for(t, 400 * PS_PER_CYCLE);
    assert_int_equal(rd(t, REG_CONTROL), 0);
    assert_int_equal(dev_cnt(t, DEV_CNT_RESETS), 2);
}

/* ---- the firmware window ----------------------------------------------------------------------- */

static void fw_window(void **state)
{
    struct tdev *t = *state;
    uint8_t pat[200], back[200];
    struct toe_tx_ctx ctx = std_txctx(), got;
    size_t i;

    /* FW_CTRL: RESET_ACK, READY; NOT_READY wins over READY */
    fww(t, FW_CTRL, FW_CTRL_RESET_ACK | FW_CTRL_READY);
    assert_int_equal(fwr(t, FW_ATTN), 0);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY | STATUS_FW_READY);
    fww(t, FW_CTRL, FW_CTRL_READY | FW_CTRL_NOT_READY);
    assert_int_equal(rd(t, REG_STATUS), STATUS_READY);
    /* ASQ attention */
    ring_on(t, QID_ASQ, AT_ASQ, 2, QUEUE_NO_VECTOR);
    wr(t, qreg(QID_ASQ, QREG_PROD), 1);
    assert_int_equal(t->d->ops->fw_attention(t->d), FW_ATTN_ASQ);
    assert_int_equal(fwr(t, FW_ASQ_PROD), 1);
    fww(t, FW_ASQ_CONS, 2); /* beyond PROD: ignored */
    fww(t, FW_ASQ_CONS, 1);
    assert_int_equal(rd(t, qreg(QID_ASQ, QREG_CONS)), 1);
    assert_int_equal(t->d->ops->fw_attention(t->d), 0);
    /* the mover, both ways, bytes exact at odd offsets */
    for (i = 0; i < sizeof(pat); i++)
        pat[i] = (uint8_t)(i * 13 + 5);
    memcpy(hmem(t, AT_SCRATCH + 3), pat, sizeof(pat));
    assert_int_equal(fw_move(t, hva(AT_SCRATCH + 3), 0x201, 199, 0), FW_DMA_BUSY);
    settle(t);
    assert_int_equal(fwr(t, FW_DMA_STATUS), 0);
    assert_int_equal(fw_move(t, hva(AT_SCRATCH + 0x405), 0x201, 199, 1), FW_DMA_BUSY);
    settle(t);
    assert_int_equal(fwr(t, FW_DMA_STATUS), 0);
    assert_memory_equal(hmem(t, AT_SCRATCH + 0x405), pat, 199);
    assert_int_equal(hmem(t, AT_SCRATCH + 0x405 + 199)[0], 0);
    assert_int_equal(hmem(t, AT_SCRATCH + 0x404)[0], 0);
    mbox_get(t, 0x200, back, 200);
    assert_memory_equal(back + 1, pat, 199);
    /* a refused transfer moves nothing */
    mark(t);
    assert_int_equal(fw_move(t, hva(HOST_SIZE - 8), 0x200, 16, 0), FW_DMA_BUSY);
    settle(t);
    assert_int_equal(fwr(t, FW_DMA_STATUS), FW_DMA_FAULT);
    mbox_get(t, 0x200, back, 200);
    assert_memory_equal(back + 1, pat, 199);
    assert_int_equal(fw_move(t, hva(0), 0xF00, 0x101, 0), FW_DMA_BAD_ARG);
    DEV_DELTAS(t, DEV_CNT_FW_DMA_OPS, 1, DEV_CNT_DMA_RD_FAULTS, 1);
    /* TX contexts: WRITE, READ VALID exact, CLEAR, READ gives zeros; a bad id */
    fw_set_txctx(t, 9, &ctx);
    fww(t, FW_TXCTX_MBOX_OFF, 0x900);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_READ);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), FW_TXCTX_VALID);
    mbox_get(t, 0x900, &got, sizeof(got));
    assert_memory_equal(&got, &ctx, sizeof(ctx));
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_CLEAR);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_READ);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), 0);
    mbox_get(t, 0x900, &got, sizeof(got));
    memset(&ctx, 0, sizeof(ctx));
    assert_memory_equal(&got, &ctx, sizeof(ctx));
    fww(t, FW_TXCTX_CONN, 64);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_WRITE);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), FW_TXCTX_BAD_ID);
    /* bad accesses: nothing, write-only read, read-only write, unaligned */
    mark(t);
    assert_int_equal(fwr(t, 0x00FC), 0);
    assert_int_equal(fwr(t, FW_CTRL), 0);
    fww(t, FW_ID, 1);
    assert_int_equal(fwr(t, FW_MBOX + 2), 0);
    fww(t, FW_TXCTX_CTRL, 9);
    DEV_DELTAS(t, DEV_CNT_MMIO_BAD, 5);
    /* the counters through the window */
    assert_int_equal(fwr(t, FW_DEV_CNT_BASE + 4 * DEV_CNT_MMIO_BAD), dev_cnt(t, DEV_CNT_MMIO_BAD));
}

/* ---- virtual time ----------------------------------------------------------------------------- */

/* Ten idle minutes: warped, fast, and the tick count and timestamp clock where the
 * arithmetic puts them - checked through a TSO frame's TSval against the model's. */
static void idle_warp(void **state)
{
    struct tdev *t = *state, *m = model_new(64);
    struct tdev *both[2] = {t, m};
    uint64_t ten_min = 600ull * 1000 * 1000 * 1000 * 1000;
    struct timespec a, b;
    double secs;
    int k;

    for (k = 0; k < 2; k++) {
        struct tdev *d = both[k];
        struct toe_tx_ctx ctx = std_txctx();

        tx_rings(d, 3, QUEUE_NO_VECTOR);
        fww(d, FW_TS_TICKS, 7); /* a divider that leaves remainders */
        fw_set_txctx(d, 3, &ctx);
        assert_int_equal(next_activity(d), UINT64_MAX);
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    run_to(t, ten_min);
    clock_gettime(CLOCK_MONOTONIC, &b);
    secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    print_message("ten idle minutes of RTL device time in %.3f s\n", secs);
    assert_true(secs < 2.0);
    run_to(m, now(t));
    /* ticks from the end of the reset (320 clocks after power-on) */
    assert_int_equal(fwr(t, FW_NOW_TICK), (uint32_t)((ten_min - 320 * PS_PER_CYCLE) / TICK_PS));
    assert_int_equal(fwr(t, FW_NOW_TICK), fwr(m, FW_NOW_TICK));
    for (k = 0; k < 2; k++) {
        struct tdev *d = both[k];
        struct toe_tx_desc desc;

        memset(&desc, 0, sizeof(desc));
        desc.buf_addr = hva(AT_TXBUF);
        desc.len = 100;
        desc.seq = 1;
        desc.conn_id = 3;
        desc.op = TX_OP_TSO;
        desc.tcp_flags = TCP_FLAG_ACK;
        memcpy(ring_slot(d, AT_TXQ, 3, 32, 0), &desc, sizeof(desc));
        wr(d, qreg(QID_TXQ, QREG_PROD), 1);
        settle(d);
        assert_int_equal(d->n_frames, 1);
    }
    assert_int_equal(t->frames[0].len, m->frames[0].len);
    assert_memory_equal(t->frames[0].data, m->frames[0].data, m->frames[0].len);
    tdev_free(m);
}

/* Simulation speed: a stream of raw frames, device clocks per wall second. */
static void speed(void **state)
{
    struct tdev *t = *state;
    struct timespec a, b;
    uint64_t t0;
    uint32_t i;
    double secs;

    tx_rings(t, 8, QUEUE_NO_VECTOR);
    for (i = 0; i < 256; i++)
        post_raw(t, 8, i, AT_TXBUF + (i % 16) * 0x800, 1514, (uint16_t)i, (uint8_t)i);
    t0 = now(t);
    clock_gettime(CLOCK_MONOTONIC, &a);
    wr(t, qreg(QID_TXQ, QREG_PROD), 256);
    run_for(t, 1000u * 1000u * 1000u); /* 1 ms: 250000 clocks */
    clock_gettime(CLOCK_MONOTONIC, &b);
    secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    assert_int_equal(t->n_frames, 256);
    print_message("RTL device: %.0f clocks/s (256 x 1514-byte frames)\n",
                  (double)((now(t) - t0) / PS_PER_CYCLE) / secs);
}

/* Frames of 0 and 5 bytes (runts) and a short one handed up: every RX and DEV counter
 * as the model has them, and the exception entry the same. */
static void runts_like_model(void **state)
{
    struct tdev *t = *state, *m = model_new(64);
    struct tdev *both[2] = {t, m};
    uint32_t rx[2][RX_CNT_NUM], dv[2][DEV_CNT_NUM];
    uint8_t f[60];
    int k;

    arp_frame(f, 60, MAC_US);
    for (k = 0; k < 2; k++) {
        struct tdev *d = both[k];

        rx_rings(d);
        post_buf(d, 0, hva(AT_RXBUF), 2048, 0);
        frame_in(d, f, 0);
        frame_in(d, f, 5);
        frame_in(d, f, 60);
        settle(d);
        d->d->ops->counters(d->d, NULL, rx[k], dv[k]);
    }
    assert_memory_equal(rx[0], rx[1], sizeof(rx[0]));
    assert_memory_equal(dv[0], dv[1], sizeof(dv[0]));
    assert_int_equal(rx[0][RX_CNT_DROP_RUNT], 2);
    assert_memory_equal(hmem(t, AT_EXCQ), hmem(m, AT_EXCQ), 16);
    assert_memory_equal(hmem(t, AT_RXBUF), f, 60);
    assert_int_equal(t->n_taken[TOE_DEV_IN_RX_FRAME], 3);
    tdev_free(m);
}

/* The table sizes the library offers (the size is an RTL parameter), and one it refuses. */
static void table_sizes(void **state)
{
    struct tdev *t;
    struct toe_dev_cfg cfg = {128, TIME_MODE_VIRTUAL};

    (void)state;
    t = rtl_new(4096); /* tdev_new checks READY after exactly 4096 + 256 clocks */
    assert_int_equal(rd(t, REG_CONN_MAX), 4096);
    assert_int_equal(fwr(t, FW_CONN_MAX), 4096);
    tdev_free(t);
    errno = 0;
    assert_null(toe_dev_rtl_new(&cfg, NULL));
    assert_int_equal(errno, EINVAL);
    cfg.conn_max = 64;
    cfg.time_mode = 7;
    assert_null(toe_dev_rtl_new(&cfg, NULL));
    cfg.time_mode = TIME_MODE_REAL;
    t = calloc(1, sizeof(*t));
    assert_non_null(t);
    t->d = toe_dev_rtl_new(&cfg, NULL);
    assert_non_null(t->d);
    pci(t, PCI_ON, 0);
    assert_int_equal(rd(t, REG_TIME_MODE), TIME_MODE_REAL);
    toe_dev_free(t->d);
    free(t);
}

/* fw_attention() takes no device time; a command's taken moment lies between its GO
 * and its response. */
static void attention_and_taken(void **state)
{
    struct tdev *t = *state;
    struct toe_conn_cmd cmd;
    uint64_t t0, t1;

    t0 = now(t);
    assert_int_equal(t->d->ops->fw_attention(t->d), FW_ATTN_RESET);
    assert_int_equal(now(t), t0);
    memset(&cmd, 0, sizeof(cmd));
    cmd.op = CONN_CMD_READ;
    cmd.conn_id = 3;
    mbox_put(t, 0, &cmd, sizeof(cmd));
    fww(t, FW_CMD_MBOX_OFF, 0);
    fww(t, FW_CMD_CTRL, 1);
    t0 = now(t);
    assert_int_equal(fwr(t, FW_CMD_STATUS), 1); /* BUSY: 160 clocks to read the command */
    settle(t);
    t1 = now(t);
    assert_int_equal(fwr(t, FW_CMD_STATUS), 0);
    assert_int_equal(t->n_taken[TOE_DEV_IN_RX_CMD], 1);
    assert_true(t->t_taken[TOE_DEV_IN_RX_CMD] >= t0 + 160 * PS_PER_CYCLE);
    assert_true(t->t_taken[TOE_DEV_IN_RX_CMD] < t1);
    assert_int_equal(((uint8_t *)hmem(t, 0))[0], 0); /* nothing written to the host */
    {
        struct toe_conn_rsp rsp;

        mbox_get(t, FW_CMD_RSP_OFF, &rsp, sizeof(rsp));
        assert_int_equal(rsp.status, CONN_STATUS_NOT_FOUND);
        assert_int_equal(rsp.conn_id, 3);
    }
}

/* Seeded random TX descriptors - raw frames with and without checksum requests (some
 * malformed), TSO sends of every size over a good and a missing context, bad lengths
 * and addresses - on the RTL and the model, in batches at the same device time: every
 * frame, completion entry and TX counter equal. */
static void run_until_cpls(struct tdev *d, uint32_t n)
{
    uint64_t end = now(d) + 2000u * 1000u * 1000u; /* 2 ms */

    while (rd(d, qreg(QID_TXCQ, QREG_PROD)) != n && now(d) < end)
        run_for(d, 1000u * PS_PER_CYCLE);
    settle(d);
}

static void tx_random_like_model(void **state)
{
    struct tdev *t = *state, *m = model_new(64);
    struct tdev *both[2] = {t, m};
    struct toe_tx_ctx ctx = std_txctx();
    uint32_t txc[2][TX_CNT_NUM], dv[2][DEV_CNT_NUM];
    uint32_t i, b, n = 0;
    size_t k;
    int j;

    test_seed_init("tx_random_like_model");
    ctx.flags = CTX_FLAG_DF;
    for (j = 0; j < 2; j++) {
        tx_rings(both[j], 7, QUEUE_NO_VECTOR);
        wr(both[j], qreg(QID_TXCQ, QREG_VECTOR), 0);
        fw_set_txctx(both[j], 3, &ctx);
        ctx.flags = CTX_FLAG_DF;
    }
    for (b = 0; b < 8; b++) {
        struct toe_tx_desc ds[6];
        uint8_t buf[6][6000];

        for (i = 0; i < 6; i++) {
            struct toe_tx_desc *d = &ds[i];
            uint32_t r = test_rand_below(10);

            memset(d, 0, sizeof(*d));
            d->buf_addr = hva(AT_TXBUF + i * 0x2000 + test_rand_below(64));
            d->tag = (uint16_t)(n + i);
            test_rand_fill(buf[i], sizeof(buf[i]));
            if (r < 4) { /* raw, maybe with checksums over an IPv4/TCP or UDP frame */
                d->op = TX_OP_RAW;
                d->len = 14 + test_rand_below(1500);
                if (d->len >= 54 && test_rand_below(2)) {
                    buf[i][12] = 0x08;
                    buf[i][13] = 0x00;
                    buf[i][14] = 0x45;
                    d->l3_off = 14;
                    d->l4_off = 34;
                    d->csum_flags = (uint8_t)(CSUM_FLAG_IP | (test_rand_below(2) ? CSUM_FLAG_TCP : CSUM_FLAG_UDP));
                    if (test_rand_below(8) == 0)
                        d->l4_off = 33; /* ERR_OFFSETS */
                }
            } else if (r < 9) { /* TSO */
                d->op = TX_OP_TSO;
                d->conn_id = test_rand_below(6) ? 3 : 4;
                d->len = test_rand_below(6) ? test_rand_below(5000) : 0;
                d->seq = (uint32_t)test_rand64();
                d->ip_id = (uint16_t)test_rand64();
                d->tcp_flags = (uint8_t)(TCP_FLAG_ACK | (test_rand_below(3) ? TCP_FLAG_PSH : 0) |
                                         (test_rand_below(4) ? 0 : TCP_FLAG_FIN) |
                                         (d->len == 0 && test_rand_below(2) ? TCP_FLAG_SYN : 0));
            } else { /* out of the DMA window, or an unknown op */
                d->op = test_rand_below(2) ? TX_OP_RAW : 7;
                d->len = 100;
                d->buf_addr = HOST_BASE + HOST_SIZE - 50;
            }
        }
        for (j = 0; j < 2; j++) {
            struct tdev *d = both[j];

            run_to(d, (b + 1) * 400u * 1000u * 1000u); /* both at the same time */
            for (i = 0; i < 6; i++) {
                memcpy(hmem(d, AT_TXBUF + i * 0x2000), buf[i], sizeof(buf[i]));
                memcpy(ring_slot(d, AT_TXQ, 7, 32, n + i), &ds[i], sizeof(ds[i]));
            }
            wr(d, qreg(QID_TXQ, QREG_PROD), n + 6);
            if (d == t)
                run_until_cpls(d, n + 6);
            else
                run_until_settled(d); /* each completion follows its last frame out */
            assert_int_equal(rd(d, qreg(QID_TXCQ, QREG_PROD)), n + 6);
        }
        n += 6;
    }
    assert_int_equal(t->n_frames, m->n_frames);
    for (k = 0; k < m->n_frames; k++) {
        assert_int_equal(t->frames[k].len, m->frames[k].len);
        assert_memory_equal(t->frames[k].data, m->frames[k].data, m->frames[k].len);
    }
    assert_memory_equal(hmem(t, AT_TXCQ), hmem(m, AT_TXCQ), 16 * n);
    for (j = 0; j < 2; j++)
        both[j]->d->ops->counters(both[j]->d, txc[j], NULL, dv[j]);
    assert_memory_equal(txc[0], txc[1], sizeof(txc[0]));
    assert_int_equal(dv[0][DEV_CNT_TX_DESCS], dv[1][DEV_CNT_TX_DESCS]);
    assert_int_equal(dv[0][DEV_CNT_TX_BAD_CONN], dv[1][DEV_CNT_TX_BAD_CONN]);
    assert_int_equal(dv[0][DEV_CNT_TX_CPLS], n);
    assert_int_equal(dv[0][DEV_CNT_DMA_RD_FAULTS], dv[1][DEV_CNT_DMA_RD_FAULTS]);
    print_message("%zu frames, %u descriptors, %u TSO bad-conn\n", m->n_frames, n,
                  dv[0][DEV_CNT_TX_BAD_CONN]);
    tdev_free(m);
}

/* Seeded random RX traffic on the RTL and the model, one frame per tick period at the
 * same device time (2 us after a tick): in-order data with and without PSH (DATA events
 * now or at the next tick), full-sized segments (an ACK every second one) and short ones
 * (a delayed ACK 5 ticks on), duplicates, data beyond a gap, pure ACKs, frames handed up
 * (short, long, too long for their buffer). Every placed byte, event, exception entry
 * and buffer, ACK frame, RX counter and the DEV counters equal. */
static void rx_random_like_model(void **state)
{
    struct tdev *t = *state, *m = model_new(64);
    struct tdev *both[2] = {t, m};
    static uint8_t f[2200];
    uint32_t rxc[2][RX_CNT_NUM], dv[2][DEV_CNT_NUM];
    uint32_t next = RCV0, i, nbuf = 32;
    uint64_t t0 = 320u * PS_PER_CYCLE; /* the reset's end: ticks at t0 + k * TICK_PS */
    size_t k, n;
    int j;

    test_seed_init("rx_random_like_model");
    for (j = 0; j < 2; j++) {
        struct tdev *d = both[j];

        datapath_on(d);
        ring_on(d, QID_RXBQ, AT_RXBQ, 6, QUEUE_NO_VECTOR);
        ring_on(d, QID_EXCQ, AT_EXCQ, 6, QUEUE_NO_VECTOR);
        ring_on(d, QID_EVQ, AT_EVQ, 6, QUEUE_NO_VECTOR);
        for (i = 0; i < nbuf; i++) {
            struct toe_rx_buf bf = {hva(AT_RXBUF + i * 2048), 2048, 0};

            memcpy(ring_slot(d, AT_RXBQ, 6, 16, i), &bf, sizeof(bf));
        }
        wr(d, qreg(QID_RXBQ, QREG_PROD), nbuf);
        fww(d, FW_DELACK_TICKS, 5); /* delayed ACKs inside the run */
        install(d, 5);
    }
    for (i = 0; i < 60; i++) {
        uint32_t r = test_rand_below(12);
        uint64_t at = t0 + (uint64_t)(i + 10) * TICK_PS + 2000000u;

        if (r < 5) { /* in order */
            size_t len = test_rand_below(3) ? 1 + test_rand_below(1400) : 1460; /* 1460: mss */

            n = peer_seg(f, next, len, (uint8_t)(TCP_FLAG_ACK | (test_rand_below(2) ? TCP_FLAG_PSH : 0)));
            next += (uint32_t)len;
        } else if (r < 6) { /* a duplicate */
            n = peer_seg(f, next - 100, 100, TCP_FLAG_ACK);
        } else if (r < 7) { /* beyond a gap */
            n = peer_seg(f, next + 1000, 200, TCP_FLAG_ACK);
        } else if (r < 8) { /* a pure ACK */
            n = peer_seg(f, next, 0, TCP_FLAG_ACK);
        } else { /* handed up */
            n = arp_frame(f, 14 + test_rand_below(2100), MAC_US);
        }
        for (j = 0; j < 2; j++) {
            run_to(both[j], at);
            frame_in(both[j], f, n);
            if (both[j] == t)
                settle(t);
        }
    }
    for (j = 0; j < 2; j++)
        run_to(both[j], t0 + 80 * TICK_PS);
    assert_memory_equal(hmem(t, AT_CONNRING), hmem(m, AT_CONNRING), 0x8000);
    assert_memory_equal(hmem(t, AT_EVQ), hmem(m, AT_EVQ), 64 * 16);
    assert_memory_equal(hmem(t, AT_EXCQ), hmem(m, AT_EXCQ), 64 * 16);
    assert_memory_equal(hmem(t, AT_RXBUF), hmem(m, AT_RXBUF), nbuf * 2048);
    assert_int_equal(t->n_frames, m->n_frames);
    for (k = 0; k < m->n_frames; k++) {
        assert_int_equal(t->frames[k].len, m->frames[k].len);
        assert_memory_equal(t->frames[k].data, m->frames[k].data, m->frames[k].len);
    }
    for (j = 0; j < 2; j++)
        both[j]->d->ops->counters(both[j]->d, NULL, rxc[j], dv[j]);
    assert_memory_equal(rxc[0], rxc[1], sizeof(rxc[0]));
    assert_memory_equal(dv[0], dv[1], sizeof(dv[0]));
    print_message("%u events, %u exceptions, %zu ACK frames, %u bytes placed\n",
                  dv[0][DEV_CNT_EVENTS], dv[0][DEV_CNT_EXC_FRAMES], m->n_frames,
                  rxc[0][RX_CNT_FAST_BYTES]);
    tdev_free(m);
}

/* A device that waits for the host is quiescent: a frame handed up while EXCQ is
 * disabled waits (its buffer not taken), next_activity() says never, a second of device
 * time passes at once, and enabling EXCQ lets it go. */
static void waiting_is_quiescent(void **state)
{
    struct tdev *t = *state;
    struct timespec a, b;
    struct toe_exc_cpl c;
    uint8_t f[60];
    double secs;

    rx_rings(t);
    wr(t, qreg(QID_EXCQ, QREG_CTRL), 0);
    post_buf(t, 0, hva(AT_RXBUF), 2048, 0);
    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60);
    settle(t);
    assert_int_equal(next_activity(t), UINT64_MAX);
    clock_gettime(CLOCK_MONOTONIC, &a);
    run_for(t, 1000ull * 1000 * 1000 * 1000);
    clock_gettime(CLOCK_MONOTONIC, &b);
    secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    assert_true(secs < 1.0);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CONS)), 0);
    assert_int_equal(hmem(t, AT_RXBUF)[0], 0);
    wr(t, qreg(QID_EXCQ, QREG_CTRL), 1);
    settle(t);
    memcpy(&c, ring_slot(t, AT_EXCQ, 3, 16, 0), sizeof(c));
    assert_int_equal(c.len, 60);
    assert_int_equal(c.flags, 0x80);
    assert_memory_equal(hmem(t, AT_RXBUF), f, 60);
    assert_int_equal(next_activity(t), UINT64_MAX);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 1, DEV_CNT_EXC_FRAMES, 1);
}

int main(void)
{
    const char *seed = getenv("TOE_SEED");

    /* TOE_SEED absent: seed 1, so that a plain run repeats itself. */
    if (!seed || !*seed)
        setenv("TOE_SEED", "1", 1);
#define RT(fn) cmocka_unit_test_setup_teardown(fn, rtl_setup, tdev_teardown)
    const struct CMUnitTest tests[] = {
        RT(identify_and_reset_values),
        RT(bar0_rules),
        RT(time_per_access),
        RT(queue_rules),
        RT(tx_raw_exact),
        RT(tx_wrap_and_phase),
        RT(tx_backpressure),
        RT(tx_desc_fault),
        RT(tx_cpl_fault),
        RT(tso_same_as_model),
        RT(rx_exception_exact),
        RT(rx_drops),
        RT(rx_bad_entry_and_faults),
        RT(rx_placement_and_events),
        RT(msix_mask_and_pba),
        RT(msix_moderation),
        RT(flr_resets),
        RT(fw_window),
        RT(runts_like_model),
        RT(tx_random_like_model),
        RT(rx_random_like_model),
        cmocka_unit_test(table_sizes),
        RT(attention_and_taken),
        RT(waiting_is_quiescent),
        RT(idle_warp),
        RT(speed),
    };

    return cmocka_run_group_tests_name("dev-rtl", tests, NULL, NULL);
}
