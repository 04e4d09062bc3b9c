/*
 * The TX path (docs/device.md, "TX (TXQ, TXCQ)"): a raw frame with checksum
 * insertion byte for byte, a TSO send through a TX context the firmware
 * installed, checked field by field by hand (seq across the 2^32 wrap, the
 * descriptor's ip_id, TSval from the RX engine's clock, checksums summed
 * with toe_csum), ERR_CONN, and refused DMA on each of the path's reads and
 * writes.
 */
#include "dev_test.h"
#include "toe_csum.h"
#include "toe_pkt.h"

static const uint8_t MAC_A[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t MAC_B[6] = {0x02, 0x66, 0x77, 0x88, 0x99, 0xaa};

static void tx_rings(struct tdev *t)
{
    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 3, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 3, QUEUE_NO_VECTOR);
}

static void post(struct tdev *t, uint32_t i, const struct toe_tx_desc *d)
{
    memcpy(ring_slot(t, AT_TXQ, 3, 32, i), d, sizeof(*d));
    wr(t, qreg(QID_TXQ, QREG_PROD), i + 1);
}

static struct toe_tx_cpl cpl_at(struct tdev *t, uint32_t i)
{
    struct toe_tx_cpl c;

    memcpy(&c, ring_slot(t, AT_TXCQ, 3, 16, i), sizeof(c));
    return c;
}

/* A TCP/IPv4 frame with correct checksums into f; returns its length. */
static size_t tcp_frame(uint8_t *f, size_t payload)
{
    struct toe_eth e = {{0}, {0}, 0, 0, TOE_ETHERTYPE_IPV4, 0};
    struct toe_ipv4 ip = {0, (uint16_t)(40 + payload), 0x1234, TOE_IPV4_DF, 64, 6,
                          0xC0000201u, 0xC6336402u};
    struct toe_tcp th = {5001, 80, 0x01020304u, 0x0a0b0c0du, TCP_FLAG_ACK | TCP_FLAG_PSH,
                         8192, 0, 0, 0};
    size_t i;

    memcpy(e.dst, MAC_B, 6);
    memcpy(e.src, MAC_A, 6);
    toe_eth_build(f, &e);
    toe_ipv4_build(f + 14, &ip);
    toe_tcp_build(f + 34, &th, NULL, 0);
    for (i = 0; i < payload; i++)
        f[54 + i] = (uint8_t)(i * 7 + 3);
    toe_tcp_csum_fill(ip.src, ip.dst, f + 34, 20 + payload);
    return 54 + payload;
}

static void raw_frame_exact(void **state)
{
    struct tdev *t = *state;
    uint8_t want[200];
    size_t len = tcp_frame(want, 101); /* odd: the last word is padded */
    struct toe_tx_desc d;
    struct toe_tx_cpl c;
    uint32_t txc[TX_CNT_NUM];
    uint64_t t0;

    tx_rings(t);
    memcpy(hmem(t, AT_TXBUF), want, len);
    memset(hmem(t, AT_TXBUF) + 14 + 10, 0, 2); /* the engine fills both sums */
    memset(hmem(t, AT_TXBUF) + 34 + 16, 0, 2);
    memset(&d, 0, sizeof(d));
    d.buf_addr = hva(AT_TXBUF);
    d.len = (uint32_t)len;
    d.tag = 0xBEEF;
    d.conn_id = 0x1234; /* a raw frame's conn_id is only echoed */
    d.op = TX_OP_RAW;
    d.csum_flags = CSUM_FLAG_IP | CSUM_FLAG_TCP;
    d.l3_off = 14;
    d.l4_off = 34;
    run_for(t, 5555);
    t0 = now(t);
    post(t, 0, &d);
    assert_int_equal(t->n_frames, 1);
    assert_int_equal(t->frames[0].len, len);
    assert_memory_equal(t->frames[0].data, want, len);
    assert_int_equal(t->frames[0].t, t0 + WIRE_PS(len));
    /* The completion follows the frame's last byte out of the port, exactly. */
    assert_int_equal(next_activity(t), t0 + WIRE_PS(len));
    run_to(t, t0 + WIRE_PS(len) - 1);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 0);
    run_to(t, t0 + WIRE_PS(len));
    assert_int_equal(next_activity(t), UINT64_MAX);
    c = cpl_at(t, 0);
    assert_memory_equal(&c, (&(struct toe_tx_cpl){0xBEEF, 0x1234, TX_STATUS_OK, 1, 1, 0, 0, 0}),
                        sizeof(c));
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 1);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 1);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 1, DEV_CNT_TX_CPLS, 1);
    t->d->ops->counters(t->d, txc, NULL, NULL);
    assert_int_equal(txc[TX_CNT_DESC_OK], 1);
    assert_int_equal(txc[TX_CNT_FRAMES], 1);
    assert_int_equal(txc[TX_CNT_FRAME_BYTES], len);
    assert_int_equal(fwr(t, FW_TX_CNT_BASE + 4 * TX_CNT_FRAME_BYTES), len);
}

static struct toe_tx_ctx std_txctx(void)
{
    struct toe_tx_ctx c;

    memset(&c, 0, sizeof(c));
    memcpy(c.dst_mac, MAC_B, 6);
    memcpy(c.src_mac, MAC_A, 6);
    c.flags = CTX_FLAG_TS | CTX_FLAG_DF;
    c.ttl = 61;
    c.tos = 0x28;
    c.src_ip = 0xC0000201u;
    c.dst_ip = 0xC6336402u;
    c.src_port = 5001;
    c.dst_port = 49152;
    c.rcv_nxt = 0x11223344u;
    c.ts_recent = 0xA1B2C3D4u;
    c.rcv_wnd = 0x7654;
    c.mss = 1000;
    c.ip_id = 0x1111; /* replaced by the descriptor's */
    return c;
}

/* Segment i of 3 (smax 988) of the TSO send in tso_by_hand. */
static void expect_segment(const struct rec_frame *f, unsigned i, const uint8_t *payload,
                           uint32_t seq0, uint32_t tsval)
{
    static const uint32_t plen[3] = {988, 988, 524};
    const uint8_t *ip = f->data + 14, *tcp = f->data + 34;
    uint32_t tcp_len = 32 + plen[i];
    uint8_t flags = i == 2 ? (TCP_FLAG_ACK | TCP_FLAG_PSH | TCP_FLAG_FIN) : TCP_FLAG_ACK;

    assert_int_equal(f->len, 14 + 20 + tcp_len);
    assert_memory_equal(f->data, MAC_B, 6);
    assert_memory_equal(f->data + 6, MAC_A, 6);
    assert_int_equal(toe_get16(f->data + 12), 0x0800);
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(ip[1], 0x28);
    assert_int_equal(toe_get16(ip + 2), 20 + tcp_len);
    assert_int_equal(toe_get16(ip + 4), (uint16_t)(0x4321 + i)); /* the descriptor's ip_id */
    assert_int_equal(toe_get16(ip + 6), 0x4000);
    assert_int_equal(ip[8], 61);
    assert_int_equal(ip[9], 6);
    assert_int_equal(toe_csum(ip, 20), 0); /* the header sums to 0xFFFF */
    assert_int_equal(toe_get32(ip + 12), 0xC0000201u);
    assert_int_equal(toe_get32(ip + 16), 0xC6336402u);
    assert_int_equal(toe_get16(tcp), 5001);
    assert_int_equal(toe_get16(tcp + 2), 49152);
    assert_int_equal(toe_get32(tcp + 4), seq0 + i * 988u); /* across 2^32 */
    assert_int_equal(toe_get32(tcp + 8), 0x11223344u);
    assert_int_equal(tcp[12], 0x80); /* data offset 8 */
    assert_int_equal(tcp[13], flags);
    assert_int_equal(toe_get16(tcp + 14), 0x7654);
    assert_int_equal(toe_get16(tcp + 18), 0);
    assert_memory_equal(tcp + 20, ((const uint8_t[]){1, 1, 8, 10}), 4);
    assert_int_equal(toe_get32(tcp + 24), tsval);
    assert_int_equal(toe_get32(tcp + 28), 0xA1B2C3D4u);
    assert_memory_equal(tcp + 32, payload + i * 988u, plen[i]);
    /* RFC 9293 3.1: pseudo-header, header and payload sum to 0xFFFF */
    assert_int_equal(toe_csum_fold(toe_csum_partial(toe_csum_pseudo_ipv4(0xC0000201u, 0xC6336402u,
                                                                         6, (uint16_t)tcp_len),
                                                    tcp, tcp_len)),
                     0xFFFF);
}

static void tso_by_hand(void **state)
{
    struct tdev *t = *state;
    struct toe_tx_ctx ctx = std_txctx();
    struct toe_tx_desc d;
    struct toe_tx_cpl c;
    uint8_t *payload = hmem(t, AT_TXBUF);
    uint32_t i;
    uint64_t t0;

    tx_rings(t);
    fw_set_txctx(t, 7, &ctx);
    for (i = 0; i < 2500; i++)
        payload[i] = (uint8_t)(i * 13 + (i >> 8));
    /* The timestamp clock: 1 unit per tick, 7 ticks since the reset. */
    fww(t, FW_TS_TICKS, 1);
    run_for(t, 7 * TICK_PS);
    assert_int_equal(fwr(t, FW_NOW_TICK), 7);
    memset(&d, 0, sizeof(d));
    d.buf_addr = hva(AT_TXBUF);
    d.len = 2500;
    d.seq = 0xFFFFFC00u;
    d.conn_id = 7;
    d.tag = 42;
    d.op = TX_OP_TSO;
    d.tcp_flags = TCP_FLAG_ACK | TCP_FLAG_PSH | TCP_FLAG_FIN;
    d.ip_id = 0x4321;
    t0 = now(t);
    post(t, 0, &d);
    assert_int_equal(t->n_frames, 3);
    for (i = 0; i < 3; i++)
        expect_segment(&t->frames[i], i, payload, 0xFFFFFC00u, 7);
    /* back to back at the port's rate; the completion after the last */
    assert_int_equal(t->frames[0].t, t0 + WIRE_PS(1054));
    assert_int_equal(t->frames[1].t, t0 + 2 * WIRE_PS(1054));
    assert_int_equal(t->frames[2].t, t0 + 2 * WIRE_PS(1054) + WIRE_PS(590));
    assert_int_equal(run_until_settled(t), t->frames[2].t);
    c = cpl_at(t, 0);
    assert_int_equal(c.tag, 42);
    assert_int_equal(c.conn_id, 7);
    assert_int_equal(c.status, TX_STATUS_OK);
    assert_int_equal(c.flags, 1);
    assert_int_equal(c.nsegs, 3);
    assert_int_equal(c.next_seq, 0xFFFFFC00u + 2500u + 1u); /* FIN takes one */
    assert_int_equal(c.next_ip_id, 0x4324);
    assert_int_equal(c.rsvd0, 0);
    /* the context itself is not changed by the send */
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_READ);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), FW_TXCTX_VALID);
    mbox_get(t, 0x800, &ctx, sizeof(ctx));
    assert_int_equal(ctx.ip_id, 0x1111);
}

static void err_conn(void **state)
{
    struct tdev *t = *state;
    struct toe_tx_ctx ctx = std_txctx();
    struct toe_tx_desc d;
    struct toe_tx_cpl c;
    uint32_t txc[TX_CNT_NUM], i;
    static const uint16_t ids[] = {64, 0xFFFF, 5, 9};

    tx_rings(t);
    fw_set_txctx(t, 9, &ctx);
    fww(t, FW_TXCTX_CONN, 9);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_CLEAR);
    memset(&d, 0, sizeof(d));
    d.buf_addr = hva(AT_TXBUF);
    d.len = 100;
    d.seq = 1000;
    d.op = TX_OP_TSO;
    d.tcp_flags = TCP_FLAG_ACK;
    d.ip_id = 77;
    for (i = 0; i < 4; i++) {
        d.conn_id = ids[i];
        d.tag = (uint16_t)(i + 1);
        post(t, i, &d);
        c = cpl_at(t, i);
        assert_memory_equal(&c,
                            (&(struct toe_tx_cpl){(uint16_t)(i + 1), ids[i], TX_STATUS_ERR_CONN,
                                                  1, 0, 0, 0, 0}),
                            sizeof(c));
    }
    assert_int_equal(t->n_frames, 0);
    DEV_DELTAS(t, DEV_CNT_TX_DESCS, 4, DEV_CNT_TX_CPLS, 4, DEV_CNT_TX_BAD_CONN, 4);
    t->d->ops->counters(t->d, txc, NULL, NULL);
    for (i = 0; i < TX_CNT_NUM; i++)
        assert_int_equal(txc[i], 0); /* the engine never saw them */
}

/* A descriptor read the bounds check refuses stops TXQ (QERR_DMA_FAULT). */
static void txq_descriptor_fault(void **state)
{
    struct tdev *t = *state;

    datapath_on(t);
    ring_on(t, QID_TXCQ, AT_TXCQ, 3, QUEUE_NO_VECTOR);
    wr(t, qreg(QID_TXQ, QREG_BASE_LO), (uint32_t)(HOST_BASE + HOST_SIZE));
    wr(t, qreg(QID_TXQ, QREG_BASE_HI), (uint32_t)((HOST_BASE + HOST_SIZE) >> 32));
    wr(t, qreg(QID_TXQ, QREG_SIZE_LOG2), 2);
    wr(t, qreg(QID_TXQ, QREG_CTRL), 1);
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_ERROR)), QERR_DMA_FAULT);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CTRL)), 0);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 0);
    assert_int_equal(t->n_frames, 0);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 0);
    DEV_DELTAS(t, DEV_CNT_DMA_RD_FAULTS, 1, DEV_CNT_QUEUE_ERRORS, 1);
}

/* A payload read refused inside the engine's window reads as all ones. */
static void payload_fault(void **state)
{
    struct tdev *t = *state;
    struct toe_tx_cpl c;
    uint8_t ones[64];

    tx_rings(t);
    post_raw(t, 3, 0, AT_TXBUF, 64, 9, 1);
    t->refuse_lo = hva(AT_TXBUF);
    t->refuse_hi = hva(AT_TXBUF) + 64;
    wr(t, qreg(QID_TXQ, QREG_PROD), 1);
    run_until_settled(t);
    memset(ones, 0xff, sizeof(ones));
    assert_int_equal(t->n_frames, 1);
    assert_int_equal(t->frames[0].len, 64);
    assert_memory_equal(t->frames[0].data, ones, 64);
    c = cpl_at(t, 0);
    assert_int_equal(c.status, TX_STATUS_OK);
    DEV_DELTAS(t, DEV_CNT_DMA_RD_FAULTS, 1, DEV_CNT_TX_DESCS, 1, DEV_CNT_TX_CPLS, 1);
}

/* A refused completion write stops TXCQ; the completion waits for it. */
static void txcq_write_fault(void **state)
{
    struct tdev *t = *state;

    datapath_on(t);
    ring_on(t, QID_TXQ, AT_TXQ, 3, QUEUE_NO_VECTOR);
    ring_on(t, QID_TXCQ, AT_TXCQ, 3, QUEUE_NO_VECTOR);
    t->refuse_lo = hva(AT_TXCQ);
    t->refuse_hi = hva(AT_TXCQ) + 16;
    post_raw(t, 3, 0, AT_TXBUF, 60, 1, 1);
    post_raw(t, 3, 1, AT_TXBUF + 256, 60, 2, 2);
    wr(t, qreg(QID_TXQ, QREG_PROD), 2);
    run_until_settled(t);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_ERROR)), QERR_DMA_FAULT);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 0);
    assert_int_equal(rd(t, qreg(QID_TXQ, QREG_CONS)), 1);
    assert_int_equal(t->n_frames, 1);
    t->refuse_lo = t->refuse_hi = 0;
    wr(t, qreg(QID_TXCQ, QREG_CTRL), 1);
    run_until_settled(t);
    assert_int_equal(rd(t, qreg(QID_TXCQ, QREG_PROD)), 2);
    assert_int_equal(cpl_at(t, 0).tag, 1);
    assert_int_equal(cpl_at(t, 1).tag, 2);
    DEV_DELTAS(t, DEV_CNT_DMA_WR_FAULTS, 1, DEV_CNT_QUEUE_ERRORS, 1, DEV_CNT_TX_DESCS, 2,
               DEV_CNT_TX_CPLS, 2);
}

size_t dev_tx_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        DEV_TEST(raw_frame_exact),
        DEV_TEST(tso_by_hand),
        DEV_TEST(err_conn),
        DEV_TEST(txq_descriptor_fault),
        DEV_TEST(payload_fault),
        DEV_TEST(txcq_write_fault),
    };

    ADD_TESTS(out, tests);
}
