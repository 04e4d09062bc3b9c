/*
 * The RX path (docs/device.md, "RX (RXBQ, EXCQ, EVQ)"): a frame handed up
 * into a posted buffer with its exact exc_cpl, NO_BUF, BUF_SMALL (buffer
 * kept), BAD_ENTRY, a refused frame write, CONTROL.ENABLE and the MAC
 * filter; a connection installed through the firmware's command port whose
 * in-order data lands in its ring with an EVQ DATA event; and the engine's
 * outputs waiting, in order, for EVQ, EXCQ and bus mastering.
 */
#include "dev_test.h"
#include "toe_pkt.h"

static const uint8_t MAC_US[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_PEER[6] = {0x02, 0, 0, 0, 0, 0x02};
#define CONN 5
#define RCV0 0xFFFFFF00u /* the first byte's sequence number: placement wraps 2^32 */
#define SND0 0x55667788u

static void rx_rings(struct tdev *t, uint32_t exc_log2)
{
    datapath_on(t);
    ring_on(t, QID_RXBQ, AT_RXBQ, 3, QUEUE_NO_VECTOR);
    ring_on(t, QID_EXCQ, AT_EXCQ, exc_log2, QUEUE_NO_VECTOR);
    ring_on(t, QID_EVQ, AT_EVQ, 3, QUEUE_NO_VECTOR);
}

/* RXBQ entry i: a buffer at host offset at of len bytes. */
static void post_buf(struct tdev *t, uint32_t i, uint64_t addr, uint32_t len, uint32_t rsvd)
{
    struct toe_rx_buf b = {addr, len, rsvd};

    memcpy(ring_slot(t, AT_RXBQ, 3, 16, i), &b, sizeof(b));
    wr(t, qreg(QID_RXBQ, QREG_PROD), i + 1);
}

/* A non-IP frame (ARP's ethertype) of len bytes to dst. */
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

static struct toe_exc_cpl exc_at(struct tdev *t, uint32_t log2, uint32_t i)
{
    struct toe_exc_cpl c;

    memcpy(&c, ring_slot(t, AT_EXCQ, log2, 16, i), sizeof(c));
    return c;
}

static void frame_in(struct tdev *t, const uint8_t *f, size_t len)
{
    t->d->ops->frame_in(t->d, f, len);
}

static void exception_exact(void **state)
{
    struct tdev *t = *state;
    uint8_t f[100];
    struct toe_exc_cpl c;

    rx_rings(t, 3);
    post_buf(t, 0, hva(AT_RXBUF), 2048, 0);
    post_buf(t, 1, hva(AT_RXBUF + 2048), 2048, 0);
    run_for(t, 3 * TICK_PS); /* arrives at tick 3 */
    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60);
    assert_memory_equal(hmem(t, AT_RXBUF), f, 60);
    c = exc_at(t, 3, 0);
    assert_memory_equal(&c, (&(struct toe_exc_cpl){RX_EXC_NOT_IPV4, 0x80, 0xFFFF, 60, 0, 0, 3, 0}),
                        sizeof(c));
    arp_frame(f, 100, MAC_US);
    frame_in(t, f, 100);
    c = exc_at(t, 3, 1);
    assert_memory_equal(&c, (&(struct toe_exc_cpl){RX_EXC_NOT_IPV4, 0x80, 0xFFFF, 100, 0, 0, 3, 1}),
                        sizeof(c));
    assert_memory_equal(hmem(t, AT_RXBUF + 2048), f, 100);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CONS)), 2);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 2);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 2, DEV_CNT_EXC_FRAMES, 2);
}

static void no_buf(void **state)
{
    struct tdev *t = *state;
    uint8_t f[60];

    rx_rings(t, 3);
    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60); /* none posted */
    wr(t, qreg(QID_RXBQ, QREG_CTRL), 0);
    frame_in(t, f, 60); /* RXBQ disabled */
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 0);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 2, DEV_CNT_RX_NO_BUF, 2);
}

static void buf_small_keeps_buffer(void **state)
{
    struct tdev *t = *state;
    uint8_t f[100];
    struct toe_exc_cpl c;

    rx_rings(t, 3);
    post_buf(t, 0, hva(AT_RXBUF), 64, 0);
    arp_frame(f, 65, MAC_US);
    frame_in(t, f, 65);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CONS)), 0);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 0);
    arp_frame(f, 64, MAC_US); /* exactly fits */
    frame_in(t, f, 64);
    c = exc_at(t, 3, 0);
    assert_int_equal(c.len, 64);
    assert_int_equal(c.buf_idx, 0);
    assert_memory_equal(hmem(t, AT_RXBUF), f, 64);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 2, DEV_CNT_RX_BUF_SMALL, 1, DEV_CNT_EXC_FRAMES, 1);
}

static void bad_entry(void **state)
{
    struct tdev *t = *state;
    uint8_t f[60];

    rx_rings(t, 3);
    arp_frame(f, 60, MAC_US);
    post_buf(t, 0, hva(AT_RXBUF), RXB_MIN_LEN - 1, 0);
    frame_in(t, f, 60);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_ERROR)), QERR_BAD_ENTRY);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CTRL)), 0);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 1, DEV_CNT_RX_NO_BUF, 1, DEV_CNT_QUEUE_ERRORS, 1);
    wr(t, qreg(QID_RXBQ, QREG_CTRL), 1);
    post_buf(t, 0, hva(AT_RXBUF), 2048, 1); /* rsvd0 not 0 */
    frame_in(t, f, 60);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_ERROR)), QERR_BAD_ENTRY);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 0);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 2, DEV_CNT_RX_NO_BUF, 2, DEV_CNT_QUEUE_ERRORS, 2);
}

/* The frame's write refused: the entry still comes, len 0, buffer used. */
static void frame_write_fault(void **state)
{
    struct tdev *t = *state;
    uint8_t f[60];
    struct toe_exc_cpl c;

    rx_rings(t, 3);
    post_buf(t, 0, HOST_BASE + HOST_SIZE, 2048, 0);
    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60);
    c = exc_at(t, 3, 0);
    assert_memory_equal(&c, (&(struct toe_exc_cpl){RX_EXC_NOT_IPV4, 0x80, 0xFFFF, 0, 0, 0, 0, 0}),
                        sizeof(c));
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CONS)), 1);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 1, DEV_CNT_DMA_WR_FAULTS, 1, DEV_CNT_EXC_FRAMES, 1);
}

/* A refused RXBQ read stops RXBQ; the frame is dropped as having no buffer. */
static void rxbq_read_fault(void **state)
{
    struct tdev *t = *state;
    uint8_t f[60];

    rx_rings(t, 3);
    t->refuse_lo = hva(AT_RXBQ);
    t->refuse_hi = hva(AT_RXBQ) + 16;
    post_buf(t, 0, hva(AT_RXBUF), 2048, 0);
    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_ERROR)), QERR_DMA_FAULT);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 1, DEV_CNT_DMA_RD_FAULTS, 1, DEV_CNT_QUEUE_ERRORS, 1,
               DEV_CNT_RX_NO_BUF, 1);
}

static void enable_and_filter(void **state)
{
    struct tdev *t = *state;
    static const uint8_t other[6] = {0x02, 0, 0, 0, 0, 0x09};
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
    uint8_t f[60];
    uint32_t rxc[RX_CNT_NUM];
    uint32_t i;

    rx_rings(t, 3);
    for (i = 0; i < 8; i++)
        post_buf(t, i, hva(AT_RXBUF + i * 2048), 2048, 0);
    wr(t, REG_CONTROL, 0);
    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 1, DEV_CNT_RX_DISABLED_DROPS, 1);
    wr(t, REG_CONTROL, CONTROL_ENABLE);
    fww(t, FW_MAC_LO, 0x00000002u);         /* 02:00:00:00 */
    fww(t, FW_MAC_HI, 0xFFFF0100u);         /* :00:01, the upper half ignored */
    assert_int_equal(fwr(t, FW_MAC_HI), 0x0100);
    fww(t, FW_RX_FILTER, 0xFFFFFFFFu);      /* bit 0 only */
    assert_int_equal(fwr(t, FW_RX_FILTER), 1);
    arp_frame(f, 60, other);
    frame_in(t, f, 60);                     /* not ours: filtered */
    frame_in(t, f, 3);                      /* no destination at all */
    arp_frame(f, 60, MAC_US);
    frame_in(t, f, 60);
    arp_frame(f, 60, bcast);
    frame_in(t, f, 60);
    arp_frame(f, 60, mcast);
    frame_in(t, f, 60);
    fww(t, FW_RX_FILTER, 0);
    arp_frame(f, 60, other);
    frame_in(t, f, 60);                     /* filter off: taken */
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 7, DEV_CNT_RX_DISABLED_DROPS, 1,
               DEV_CNT_RX_FILTERED, 2, DEV_CNT_EXC_FRAMES, 4);
    t->d->ops->counters(t->d, NULL, rxc, NULL);
    assert_int_equal(rxc[RX_CNT_FRAMES], 4); /* the engine saw only what passed */
}

/* ---- a connection ---- */

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
    c.buf_seq0 = RCV0 - 0x100; /* ring offset 0: RCV0 lands at 0x100 */
    c.rcv_nxt = c.rcv_read = c.last_ack_sent = RCV0;
    c.rcv_adv = RCV0 + 32768;
    c.snd_una = c.snd_nxt = SND0;
    c.snd_wnd = c.max_snd_wnd = 65535;
    c.snd_wl1 = RCV0 - 1;
    c.snd_wl2 = SND0;
    return c;
}

/* The peer's in-order data segment of len bytes at seq into f. */
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

static void install(struct tdev *t)
{
    struct toe_rx_ctx c = conn_ctx(), got;
    struct toe_conn_cmd cmd;
    struct toe_conn_rsp rsp;

    memset(&cmd, 0, sizeof(cmd));
    cmd.op = CONN_CMD_INSERT;
    cmd.conn_id = CONN;
    cmd.tag = 0x5A5A;
    rsp = fw_conn_cmd(t, 0x100, &cmd, &c, NULL);
    assert_memory_equal(&rsp, (&(struct toe_conn_rsp){0x5A5A, CONN, CONN_CMD_INSERT,
                                                      CONN_STATUS_OK, 0, 0}),
                        sizeof(rsp));
    /* READ: the entry at +FW_CMD_RSP_OFF + 16 */
    cmd.op = CONN_CMD_READ;
    cmd.tag = 0x6B6B;
    memset(&got, 0xEE, sizeof(got));
    rsp = fw_conn_cmd(t, 0x400, &cmd, NULL, &got);
    assert_int_equal(rsp.status, CONN_STATUS_OK);
    assert_int_equal(rsp.tag, 0x6B6B);
    assert_memory_equal(&got, &c, sizeof(c));
    /* the second INSERT of the id: BUSY, and no context comes back */
    cmd.op = CONN_CMD_INSERT;
    rsp = fw_conn_cmd(t, 0x100, &cmd, &c, NULL);
    assert_int_equal(rsp.status, CONN_STATUS_BUSY);
}

static void connection_data(void **state)
{
    struct tdev *t = *state;
    static uint8_t f[1600];
    struct toe_rx_event ev;
    size_t n, i;

    rx_rings(t, 3);
    install(t);
    run_for(t, 2 * TICK_PS);
    /* 0x100 bytes before the end of the sequence space: the ring offset of
     * RCV0 is 0x100 (buf_seq0 = RCV0 - 0x100), and the data crosses 2^32 */
    n = peer_seg(f, RCV0, 500, TCP_FLAG_ACK | TCP_FLAG_PSH);
    frame_in(t, f, n);
    for (i = 0; i < 500; i++)
        assert_int_equal(hmem(t, AT_CONNRING)[0x100 + i], (uint8_t)(RCV0 + i));
    memcpy(&ev, ring_slot(t, AT_EVQ, 3, 16, 0), sizeof(ev));
    assert_memory_equal(&ev, (&(struct toe_rx_event){RX_EV_DATA, 0x80, CONN, RCV0 + 500, 500, 2}),
                        sizeof(ev));
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_PROD)), 1);
    /* without PSH the DATA event comes with the next tick */
    n = peer_seg(f, RCV0 + 500, 300, TCP_FLAG_ACK);
    frame_in(t, f, n);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_PROD)), 1);
    run_for(t, TICK_PS);
    memcpy(&ev, ring_slot(t, AT_EVQ, 3, 16, 1), sizeof(ev));
    assert_memory_equal(&ev, (&(struct toe_rx_event){RX_EV_DATA, 0x80, CONN, RCV0 + 800, 300, 3}),
                        sizeof(ev));
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 2, DEV_CNT_EVENTS, 2);
}

/* The engine's outputs wait in order: EVQ disabled holds the DATA event and
 * the exception behind it; bus mastering off holds placement too. */
static void outputs_wait_in_order(void **state)
{
    struct tdev *t = *state;
    static uint8_t f[1600];
    uint8_t arp[60];
    size_t n;

    rx_rings(t, 3);
    post_buf(t, 0, hva(AT_RXBUF), 2048, 0);
    install(t);
    wr(t, qreg(QID_EVQ, QREG_CTRL), 0);
    n = peer_seg(f, RCV0, 100, TCP_FLAG_ACK | TCP_FLAG_PSH);
    frame_in(t, f, n);
    arp_frame(arp, 60, MAC_US);
    frame_in(t, arp, 60);
    assert_int_equal(hmem(t, AT_CONNRING)[0x100], (uint8_t)RCV0); /* placed before the event */
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 0);      /* behind the event */
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CONS)), 0);
    run_for(t, 100 * TICK_PS);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 0);
    wr(t, qreg(QID_EVQ, QREG_CTRL), 1);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_PROD)), 1);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 1);

    /* bus mastering off: nothing reaches memory, then all of it in order */
    pci(t, PCI_CMD_MEMORY_ONLY, MSIX_ON);
    n = peer_seg(f, RCV0 + 100, 50, TCP_FLAG_ACK | TCP_FLAG_PSH);
    frame_in(t, f, n);
    assert_int_equal(hmem(t, AT_CONNRING)[0x100 + 100], 0);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_PROD)), 1);
    pci(t, PCI_ON, MSIX_ON);
    assert_int_equal(hmem(t, AT_CONNRING)[0x100 + 100], (uint8_t)(RCV0 + 100));
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_PROD)), 2);
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 3, DEV_CNT_EVENTS, 2, DEV_CNT_EXC_FRAMES, 1);
}

/* A full EXCQ: the frame waits with its buffer not yet taken. */
static void excq_full_waits(void **state)
{
    struct tdev *t = *state;
    uint8_t f[64];
    struct toe_exc_cpl c;
    uint32_t i;

    rx_rings(t, 1);
    for (i = 0; i < 3; i++)
        post_buf(t, i, hva(AT_RXBUF + i * 2048), 2048, 0);
    for (i = 0; i < 3; i++) {
        arp_frame(f, 60 + i, MAC_US);
        frame_in(t, f, 60 + i);
    }
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 2);
    assert_int_equal(rd(t, qreg(QID_RXBQ, QREG_CONS)), 2);
    wr(t, qreg(QID_EXCQ, QREG_CONS), 1);
    assert_int_equal(rd(t, qreg(QID_EXCQ, QREG_PROD)), 3);
    c = exc_at(t, 1, 2);
    assert_memory_equal(&c, (&(struct toe_exc_cpl){RX_EXC_NOT_IPV4, 0x00, 0xFFFF, 62, 0, 0, 0, 2}),
                        sizeof(c)); /* second pass: phase 0 */
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 3, DEV_CNT_EXC_FRAMES, 3);
}

/* Outputs wait without limit on time but not on memory: while 1024 of them
 * wait the receive FIFO is full and frames are dropped, counted. */
static void fifo_full_drops(void **state)
{
    struct tdev *t = *state;
    static uint8_t f[200];
    struct toe_rx_event ev;
    uint32_t i;

    datapath_on(t);
    ring_on(t, QID_EVQ, AT_EVQ, 10, QUEUE_NO_VECTOR);
    wr(t, qreg(QID_EVQ, QREG_CTRL), 0);
    install(t);
    /* each frame: its placement and its DATA event (PSH); the first
     * placement reaches memory, then everything waits behind event 0 */
    for (i = 0; i < 520; i++)
        frame_in(t, f, peer_seg(f, RCV0 + i * 10, 10, TCP_FLAG_ACK | TCP_FLAG_PSH));
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 520, DEV_CNT_RX_FIFO_DROPS, 7);
    wr(t, qreg(QID_EVQ, QREG_CTRL), 1);
    assert_int_equal(rd(t, qreg(QID_EVQ, QREG_PROD)), 513);
    for (i = 0; i < 513; i++) {
        memcpy(&ev, ring_slot(t, AT_EVQ, 10, 16, i), sizeof(ev));
        assert_memory_equal(&ev, (&(struct toe_rx_event){RX_EV_DATA, 0x80, CONN,
                                                         RCV0 + (i + 1) * 10, 10, 0}),
                            sizeof(ev));
    }
    for (i = 0; i < 5130; i++)
        assert_int_equal(hmem(t, AT_CONNRING)[0x100 + i], (uint8_t)(RCV0 + i));
    DEV_DELTAS(t, DEV_CNT_RX_FRAMES_IN, 520, DEV_CNT_RX_FIFO_DROPS, 7, DEV_CNT_EVENTS, 513);
}

size_t dev_rx_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        DEV_TEST(exception_exact),
        DEV_TEST(no_buf),
        DEV_TEST(buf_small_keeps_buffer),
        DEV_TEST(bad_entry),
        DEV_TEST(frame_write_fault),
        DEV_TEST(rxbq_read_fault),
        DEV_TEST(enable_and_filter),
        DEV_TEST(connection_data),
        DEV_TEST(outputs_wait_in_order),
        DEV_TEST(excq_full_waits),
        DEV_TEST(fifo_full_drops),
    };

    ADD_TESTS(out, tests);
}
