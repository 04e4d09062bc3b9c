/*
 * MSI-X moderation and delivery (docs/device.md, "Interrupts (MSI-X)"),
 * driven by TXCQ entries from raw frames and by the firmware's ACQ
 * advances: one message per batch with moderation off, MOD_COUNT, MOD_NS
 * at its exact time, a masked vector held in the PBA and sent on unmask,
 * the function mask, MSI-X disabled, bus mastering off, and a polled ring.
 */
#include "dev_test.h"

#define V 3

static void tx_on(struct tdev *t, uint32_t vector)
{
    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 4, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 4, vector);
}

/* One 60-byte frame's time on the port: its completion is written then. */
#define F60 WIRE_PS(60)

/* n raw frames in one doorbell. They leave back to back, and completion k
 * (1..n) is written when frame k's last byte has left, at start + k * F60:
 * n TXCQ entries, each a batch of its own. Runs to the last one and returns
 * the time the doorbell rang. */
static uint64_t send(struct tdev *t, uint32_t n)
{
    uint32_t prod = rd(t, qreg(QID_TXQ, QREG_PROD)), i;
    uint32_t cq = rd(t, qreg(QID_TXCQ, QREG_PROD));
    uint64_t start = now(t);

    for (i = 0; i < n; i++)
        post_raw(t, 4, prod + i, AT_TXBUF + ((prod + i) & 15) * 128, 60, (uint16_t)i, 0);
    wr(t, qreg(QID_TXQ, QREG_PROD), prod + n);
    run_to(t, start + n * F60);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), cq + n);
    wr(t, qreg(QID_TXCQ, QREG_CONS), cq + n);
    return start;
}

static void set_mod(struct tdev *t, unsigned v, uint32_t ns, uint32_t count)
{
    fww(t, FW_VEC_BASE + 8 * v, ns);
    fww(t, FW_VEC_BASE + 8 * v + 4, count);
    assert_int_equal(rd(t, vreg(v, VREG_MOD_NS)), ns);
    assert_int_equal(rd(t, vreg(v, VREG_MOD_COUNT)), count);
}

static void expect_msg(struct tdev *t, size_t i, unsigned v, uint64_t when)
{
    assert_true(i < t->n_msix);
    assert_int_equal(t->msix[i].vector, v);
    assert_int_equal(t->msix[i].t, when);
}

static void per_batch(void **state)
{
    struct tdev *t = *state;

    uint64_t t0;

    tx_on(t, V);
    wr(t, msix_reg(V, MSIX_VCTRL), 0);
    run_for(t, 1000);
    t0 = send(t, 1);
    assert_int_equal(t->n_msix, 1);
    expect_msg(t, 0, V, t0 + F60);
    run_for(t, 1000);
    /* moderation off: each completion, written at its own time, is a batch */
    t0 = send(t, 3);
    assert_int_equal(t->n_msix, 4);
    expect_msg(t, 1, V, t0 + F60);
    expect_msg(t, 2, V, t0 + 2 * F60);
    expect_msg(t, 3, V, t0 + 3 * F60);
    assert_int_equal(rd(t, vreg(V, VREG_SENT)), 4);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 0);
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 0);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 4, DEV_CNT_TX_CPLS, 4, DEV_CNT_MSIX_SENT, 4);
}

static void mod_count(void **state)
{
    struct tdev *t = *state;
    uint64_t t0;
    int i;

    tx_on(t, V);
    wr(t, msix_reg(V, MSIX_VCTRL), 0);
    set_mod(t, V, 1000000, 4); /* 1 ms cap: the count comes first */
    for (i = 0; i < 3; i++) {
        run_for(t, 10000);
        send(t, 1);
    }
    assert_int_equal(t->n_msix, 0);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 3);
    run_for(t, 10000);
    t0 = send(t, 1);
    assert_int_equal(t->n_msix, 1);
    expect_msg(t, 0, V, t0 + F60);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 0);
    /* six more: the fourth reaches the count; the last two wait for MOD_NS,
     * counted from the first of them */
    t0 = send(t, 6);
    assert_int_equal(t->n_msix, 2);
    expect_msg(t, 1, V, t0 + 4 * F60);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 2);
    assert_int_equal(next_activity(t), t0 + 5 * F60 + 1000000000u);
    assert_int_equal(run_until_settled(t), t0 + 5 * F60 + 1000000000u);
    assert_int_equal(t->n_msix, 3);
    expect_msg(t, 2, V, t0 + 5 * F60 + 1000000000u);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 0);
    assert_int_equal(next_activity(t), UINT64_MAX);
}

static void mod_ns_exact(void **state)
{
    struct tdev *t = *state;
    uint64_t t0;

    tx_on(t, V);
    wr(t, msix_reg(V, MSIX_VCTRL), 0);
    set_mod(t, V, 50000, 0); /* 50 us */
    run_for(t, 123457);
    t0 = send(t, 1) + F60; /* the entry is written then: the window opens */
    assert_int_equal(t->n_msix, 0);
    assert_int_equal(next_activity(t), t0 + 50000000u);
    run_for(t, 20000000);
    send(t, 2); /* later entries do not move the deadline */
    assert_int_equal(next_activity(t), t0 + 50000000u);
    run_to(t, t0 + 50000000u - 1);
    assert_int_equal(t->n_msix, 0);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 3);
    run_to(t, t0 + 60000000u);
    assert_int_equal(t->n_msix, 1);
    expect_msg(t, 0, V, t0 + 50000000u);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 0);
    assert_int_equal(next_activity(t), UINT64_MAX);
    /* a lowered MOD_NS makes a pending entry due at once */
    send(t, 1);
    set_mod(t, V, 0, 0);
    assert_int_equal(t->n_msix, 2);
    expect_msg(t, 1, V, now(t));
}

static void masked_vector(void **state)
{
    struct tdev *t = *state;

    tx_on(t, V); /* the table starts masked */
    send(t, 1);
    assert_int_equal(t->n_msix, 0);
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 1u << V);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 1);
    send(t, 2); /* still the one held message */
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 3);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 3, DEV_CNT_TX_CPLS, 3, DEV_CNT_MSIX_HELD, 1);
    run_for(t, 777);
    wr(t, msix_reg(V, MSIX_VCTRL), 0);
    assert_int_equal(t->n_msix, 1);
    expect_msg(t, 0, V, now(t));
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 0);
    assert_int_equal(rd(t, vreg(V, VREG_PENDING)), 0);
    assert_int_equal(rd(t, vreg(V, VREG_SENT)), 1);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 3, DEV_CNT_TX_CPLS, 3, DEV_CNT_MSIX_HELD, 1,
               DEV_CNT_MSIX_SENT, 1);
}

/* The function mask, MSI-X disabled, and bus mastering off each hold it. */
static void function_mask_disable_master(void **state)
{
    struct tdev *t = *state;

    tx_on(t, V);
    wr(t, msix_reg(V, MSIX_VCTRL), 0);
    pci(t, PCI_ON, 0xC000); /* enabled, function masked */
    send(t, 1);
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 1u << V);
    pci(t, PCI_ON, 0x0000); /* unmasked but disabled */
    assert_int_equal(t->n_msix, 0);
    pci(t, PCI_ON, MSIX_ON);
    assert_int_equal(t->n_msix, 1);
    expect_msg(t, 0, V, now(t));
    /* bus mastering off: the firmware's ACQ advance needs no DMA of ours */
    ring_on(t, QID_ACQ, AT_ACQ, 2, 7);
    wr(t, msix_reg(7, MSIX_VCTRL), 0);
    pci(t, PCI_CMD_MEMORY_ONLY, MSIX_ON);
    fww(t, FW_ACQ_PROD, 1);
    assert_int_equal(t->n_msix, 1);
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 1u << 7);
    pci(t, PCI_ON, MSIX_ON);
    assert_int_equal(t->n_msix, 2);
    expect_msg(t, 1, 7, now(t));
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 1, DEV_CNT_TX_CPLS, 1, DEV_CNT_MSIX_HELD, 2,
               DEV_CNT_MSIX_SENT, 2);
}

static void polled_ring(void **state)
{
    struct tdev *t = *state;
    unsigned v;

    tx_on(t, QUEUE_NO_VECTOR);
    for (v = 0; v < MSIX_VECTORS; v++)
        wr(t, msix_reg(v, MSIX_VCTRL), 0);
    send(t, 5);
    send(t, 7);
    run_for(t, 100 * TICK_PS);
    assert_int_equal(t->n_msix, 0);
    for (v = 0; v < MSIX_VECTORS; v++)
        assert_int_equal(rd(t, vreg(v, VREG_PENDING)), 0);
    assert_int_equal(rd(t, BAR0_MSIX_PBA), 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 12);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 12, DEV_CNT_TX_CPLS, 12);
}

size_t dev_irq_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        DEV_TEST(per_batch),
        DEV_TEST(mod_count),
        DEV_TEST(mod_ns_exact),
        DEV_TEST(masked_vector),
        DEV_TEST(function_mask_disable_master),
        DEV_TEST(polled_ring),
    };

    ADD_TESTS(out, tests);
}
