/*
 * The driver's ring consumers against a device that lies (docs/driver.md,
 * "What is validated"): crafted TXCQ, EXCQ, EVQ and ACQ entries - stale
 * phase, a tag for no send, a completion twice, a buffer never posted or
 * already returned, a length past the buffer, a reason or an event type that
 * does not exist, connection ids at conn_max - each rejected into its exact
 * counter; then random bytes and near-valid mutations by the thousand, with
 * the driver's own bookkeeping checked after every step. Built with
 * AddressSanitizer and UBSan, so that one byte read outside what the driver
 * owns fails the run. The device is tests/driver/fake_plat.h: BAR0 as an
 * array, DMA memory as plain memory, entries written by the test.
 *
 * Random cases print their seed (TOE_SEED, default 1).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_plat.h"
#include "test_seed.h"
#include "toe_dev_drv.h"
#include "toe_drv_priv.h"

/* ---- fixture ------------------------------------------------------------------------- */

#define NCALLS 64

struct rec {
    uint64_t tx_cookie[NCALLS];
    int tx_status[NCALLS];
    unsigned ntx;
    struct toe_drv_frame frame[NCALLS];
    uint8_t frame_byte0[NCALLS];
    unsigned nframes;
    struct toe_rx_event ev[NCALLS];
    unsigned nev;
    unsigned resets;
};

struct fx {
    struct fake_plat *f;
    struct toe_drv *d;
    struct rec rec;
};

static void on_tx_done(void *arg, uint64_t cookie, int status)
{
    struct rec *r = arg;

    if (r->ntx < NCALLS) {
        r->tx_cookie[r->ntx] = cookie;
        r->tx_status[r->ntx] = status;
    }
    r->ntx++;
}

static void on_frame(void *arg, const struct toe_drv_frame *f)
{
    struct rec *r = arg;

    if (r->nframes < NCALLS) {
        r->frame[r->nframes] = *f;
        r->frame_byte0[r->nframes] = f->len ? f->data[0] : 0;
    }
    /* Every byte the driver hands up must be ours to read (ASan checks). */
    {
        volatile uint8_t sink = 0;

        for (unsigned i = 0; i < f->len; i++)
            sink ^= f->data[i];
        (void)sink;
    }
    r->nframes++;
}

static void on_event(void *arg, const struct toe_rx_event *ev)
{
    struct rec *r = arg;

    if (r->nev < NCALLS)
        r->ev[r->nev] = *ev;
    r->nev++;
}

static void on_reset(void *arg, int why)
{
    (void)why;
    ((struct rec *)arg)->resets++;
}

/* Small rings, so that a few dozen entries wrap them. */
static struct fx *fx_new(int fw)
{
    struct fx *x = calloc(1, sizeof(*x));
    struct toe_drv_opts o;
    char err[256];

    assert_non_null(x);
    x->f = fake_plat_new();
    assert_non_null(x->f);
    x->f->fw = fw;
    memset(&o, 0, sizeof(o));
    o.ring_log2[QID_ASQ] = 2;
    o.ring_log2[QID_ACQ] = 2;
    o.ring_log2[QID_TXQ] = 4;
    o.ring_log2[QID_TXCQ] = 4;
    o.ring_log2[QID_RXBQ] = 4;
    o.ring_log2[QID_EXCQ] = 4;
    o.ring_log2[QID_EVQ] = 4;
    o.rx_buf_len = 256;
    o.admin_timeout_ns = 100000;
    o.on_tx_done = on_tx_done;
    o.on_frame = on_frame;
    o.on_event = on_event;
    o.on_reset = on_reset;
    o.cb_arg = &x->rec;
    x->d = toe_drv_attach_plat(&x->f->base, NULL, &o, err, sizeof(err));
    if (!x->d)
        fail_msg("attach: %s", err);
    return x;
}

static int setup(void **state)
{
    *state = fx_new(0);
    return 0;
}

static int setup_fw(void **state)
{
    *state = fx_new(1);
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;

    toe_drv_detach(x->d);
    free(x);
    return 0;
}

/* The device's side: an entry at index idx of a device-to-host ring, with the
 * phase that pass needs (good) or the other one. */
static void put(struct toe_drv *d, unsigned qid, uint32_t idx, const void *entry, int good)
{
    const struct toe_ring *r = &d->ring[qid];
    uint8_t *slot = toe_ring_slot(r, idx);
    const int phase = ((idx >> r->log2) & 1u) ? 0 : 1;

    memcpy(slot, entry, r->esize);
    slot[r->phase_off] &= (uint8_t)~r->phase_bit;
    if (phase == good)
        slot[r->phase_off] |= r->phase_bit;
}

static uint32_t reg(struct fx *x, unsigned qid, uint32_t r) { return x->f->regs[fake_qreg(qid, r) / 4]; }

static const uint8_t frame60[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06};

/* ---- bring-up ------------------------------------------------------------------------ */

static void bringup_programs_every_ring(void **state)
{
    struct fx *x = *state;
    unsigned q;

    for (q = 0; q < DEV_QUEUES; q++) {
        const struct toe_ring *r = &x->d->ring[q];

        assert_int_equal(reg(x, q, QREG_CTRL), 1);
        assert_int_equal(reg(x, q, QREG_SIZE_LOG2), r->log2);
        assert_int_equal((uint64_t)reg(x, q, QREG_BASE_HI) << 32 | reg(x, q, QREG_BASE_LO), r->mem.bus);
        assert_int_equal(r->mem.bus % 4096, 0);
    }
    assert_int_equal(reg(x, QID_ACQ, QREG_VECTOR), TOE_DRV_VEC_ADMIN);
    assert_int_equal(reg(x, QID_TXCQ, QREG_VECTOR), TOE_DRV_VEC_TX);
    assert_int_equal(reg(x, QID_EXCQ, QREG_VECTOR), TOE_DRV_VEC_EXC);
    assert_int_equal(reg(x, QID_EVQ, QREG_VECTOR), TOE_DRV_VEC_EV);
    for (q = 0; q < TOE_DRV_VECTORS; q++)
        assert_int_equal(x->f->regs[(MSIX_BASE + q * MSIX_STRIDE + MSIX_VCTRL) / 4], 0);
    assert_int_equal(x->f->msix_on, 1);
    /* The DMA window is the whole DMA memory; every RX buffer is posted. */
    assert_int_equal(x->f->regs[REG_DMA_LO_LO / 4], (uint32_t)FAKE_DMA_BUS);
    assert_int_equal(x->f->regs[REG_DMA_LO_HI / 4], 2);
    assert_int_equal(x->f->regs[REG_DMA_HI_LO / 4], (uint32_t)(FAKE_DMA_BUS + FAKE_DMA_SIZE));
    assert_int_equal(x->f->regs[REG_DMA_HI_HI / 4], 2);
    assert_int_equal(reg(x, QID_RXBQ, QREG_PROD), 16);
    assert_int_equal(x->f->regs[REG_CONTROL / 4], CONTROL_ENABLE);
    assert_int_equal(toe_drv_conn_max(x->d), 4096);
}

/* Polled: no vector anywhere, MSI-X left off, and waits look at the rings. */
static void bringup_polled(void **state)
{
    struct fake_plat *f = fake_plat_new();
    struct toe_drv_opts o;
    struct toe_drv *d;
    struct toe_rx_event e;
    char err[256];
    unsigned q;

    (void)state;
    memset(&o, 0, sizeof(o));
    o.polled = 1;
    d = toe_drv_attach_plat(&f->base, NULL, &o, err, sizeof(err));
    assert_non_null(d);
    for (q = 0; q < DEV_QUEUES; q++)
        assert_int_equal(f->regs[fake_qreg(q, QREG_VECTOR) / 4], QUEUE_NO_VECTOR);
    assert_int_equal(f->regs[(MSIX_BASE + MSIX_VCTRL) / 4], 1);
    assert_int_equal(f->msix_on, 0);
    /* Default sizes: 16, 16, 256, 256, 256, 256, 1024 entries. */
    assert_int_equal(f->regs[fake_qreg(QID_ASQ, QREG_SIZE_LOG2) / 4], 4);
    assert_int_equal(f->regs[fake_qreg(QID_EVQ, QREG_SIZE_LOG2) / 4], 10);
    assert_int_equal(f->regs[fake_qreg(QID_RXBQ, QREG_PROD) / 4], 256);
    /* Nothing there: a 1 ms wait polls every 10 us of platform time. */
    assert_int_equal(toe_drv_wait(d, 1000000), 0);
    assert_int_equal(f->now, 1000000);
    /* An event written meanwhile is found by the next look. */
    memset(&e, 0, sizeof(e));
    e.ev_type = RX_EV_DATA;
    e.flags = 0x80;
    e.conn_id = 1;
    memcpy(toe_ring_slot(&d->ring[QID_EVQ], 0), &e, sizeof(e));
    assert_int_equal(toe_drv_wait(d, 1000000), 1);
    assert_int_equal(toe_drv_stats(d)->events, 1);
    toe_drv_detach(d);
}

static void identity_refused(void **state)
{
    struct fake_plat *f;
    char err[256];

    (void)state;
    f = fake_plat_new();
    f->if_version = 2u << 16 | 3;
    assert_null(toe_drv_attach_plat(&f->base, NULL, NULL, err, sizeof(err)));
    assert_int_equal(errno, EPROTONOSUPPORT);
    assert_string_equal(err, "device speaks interface 2.3, this driver speaks 1.0");

    f = fake_plat_new();
    f->id = 0x12345678;
    assert_null(toe_drv_attach_plat(&f->base, NULL, NULL, err, sizeof(err)));
    assert_int_equal(errno, ENODEV);
    assert_string_equal(err, "device 0000:00:05.0: REG_ID reads 0x12345678, not 0x454f544f: not an OpenTOE function");

    f = fake_plat_new();
    f->conn_max = 100; /* not a power of two */
    assert_null(toe_drv_attach_plat(&f->base, NULL, NULL, err, sizeof(err)));
    assert_int_equal(errno, EPROTO);
    assert_string_equal(err, "device 0000:00:05.0: REG_CONN_MAX reads 100 (a power of two in 64..65536 expected)");

    /* A minor version the driver does not know is fine. */
    f = fake_plat_new();
    f->if_version = 1u << 16 | 7;
    {
        struct toe_drv *d = toe_drv_attach_plat(&f->base, NULL, NULL, err, sizeof(err));

        assert_non_null(d);
        toe_drv_detach(d);
    }
}

/* ---- TXCQ ---------------------------------------------------------------------------- */

static struct toe_tx_cpl txc(uint16_t tag, uint16_t conn, uint8_t status)
{
    struct toe_tx_cpl c;

    memset(&c, 0, sizeof(c));
    c.tag = tag;
    c.conn_id = conn;
    c.status = status;
    c.nsegs = status == TX_STATUS_OK;
    return c;
}

static void txcq_crafted(void **state)
{
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    const struct toe_drv_stats *s = toe_drv_stats(d);
    struct toe_tx_cpl c;
    const struct toe_tx_desc *desc;

    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(toe_drv_send_raw(d, frame60, sizeof(frame60), NULL, 100 + i), 0);
    assert_int_equal(reg(x, QID_TXQ, QREG_PROD), 3);
    desc = toe_ring_slot(&d->ring[QID_TXQ], 1);
    assert_int_equal(desc->op, TX_OP_RAW);
    assert_int_equal(desc->len, 60);
    assert_int_equal(desc->tag, 1);
    assert_memory_equal(fake_bus_ptr(x->f, desc->buf_addr, 60), frame60, 60);

    c = txc(1, 0, 0);  put(d, QID_TXCQ, 0, &c, 1);   /* not the oldest send */
    c = txc(0, 7, 0);  put(d, QID_TXCQ, 1, &c, 1);   /* raw sends have conn_id 0 */
    c = txc(0, 0, 9);  put(d, QID_TXCQ, 2, &c, 1);   /* no such status */
    c = txc(0, 0, 0);  put(d, QID_TXCQ, 3, &c, 1);   /* send 100: OK */
    c = txc(1, 0, TX_STATUS_ERR_LEN); put(d, QID_TXCQ, 4, &c, 1); /* send 101 failed */
    c = txc(2, 0, 0);  put(d, QID_TXCQ, 5, &c, 0);   /* stale phase: not yet written */
    assert_int_equal(toe_drv_txcq_poll(d, 0), 5);
    assert_int_equal(s->txcq_bad, 3);
    assert_int_equal(s->txcq_bad_tag, 1);
    assert_int_equal(s->txcq_bad_conn, 1);
    assert_int_equal(s->txcq_bad_status, 1);
    assert_int_equal(s->tx_done, 2);
    assert_int_equal(s->tx_errors, 1);
    assert_int_equal(x->rec.ntx, 2);
    assert_int_equal(x->rec.tx_cookie[0], 100);
    assert_int_equal(x->rec.tx_status[0], TX_STATUS_OK);
    assert_int_equal(x->rec.tx_cookie[1], 101);
    assert_int_equal(x->rec.tx_status[1], TX_STATUS_ERR_LEN);
    assert_int_equal(reg(x, QID_TXCQ, QREG_CONS), 5);

    /* A second completion for send 101, then 102's, then one for nothing. */
    c = txc(1, 0, 0);  put(d, QID_TXCQ, 5, &c, 1);
    c = txc(2, 0, 0);  put(d, QID_TXCQ, 6, &c, 1);
    c = txc(3, 0, 0);  put(d, QID_TXCQ, 7, &c, 1);
    assert_int_equal(toe_drv_txcq_poll(d, 0), 3);
    assert_int_equal(s->txcq_bad_tag, 3);
    assert_int_equal(s->tx_done, 3);
    assert_int_equal(x->rec.tx_cookie[2], 102);
    assert_int_equal(reg(x, QID_TXCQ, QREG_CONS), 8);
    assert_int_equal(toe_drv_txcq_poll(d, 0), 0);
}

static void txcq_phase_flips_each_pass(void **state)
{
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    struct toe_tx_cpl c;
    uint32_t i;

    /* 40 sends through a 16-entry ring: the phase is 1, 0, 1 on passes 0..2. */
    for (i = 0; i < 40; i++) {
        assert_int_equal(toe_drv_send_raw(d, frame60, sizeof(frame60), NULL, i), 0);
        c = txc((uint16_t)(i & 15), 0, 0);
        /* The old pass's phase at this index first: nothing new. */
        put(d, QID_TXCQ, i, &c, 0);
        assert_int_equal(toe_drv_txcq_poll(d, 0), 0);
        put(d, QID_TXCQ, i, &c, 1);
        assert_int_equal(toe_drv_txcq_poll(d, 0), 1);
    }
    assert_int_equal(toe_drv_stats(d)->tx_done, 40);
    assert_int_equal(toe_drv_stats(d)->txcq_bad, 0);
    assert_int_equal(reg(x, QID_TXCQ, QREG_CONS), 40);
}

static void txq_full_and_bad_sends(void **state)
{
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    struct toe_drv_raw_opts o = {CSUM_FLAG_TCP | CSUM_FLAG_UDP, 14, 34};
    uint8_t big[RAW_MAX_LEN + 1] = {0};
    unsigned i;

    for (i = 0; i < 16; i++)
        assert_int_equal(toe_drv_send_raw(d, frame60, sizeof(frame60), NULL, i), 0);
    assert_int_equal(toe_drv_send_raw(d, frame60, sizeof(frame60), NULL, 16), -EAGAIN);
    assert_string_equal(toe_drv_error(d), "TXQ full: 16 sends in flight");
    assert_int_equal(toe_drv_send_raw(d, big, sizeof(big), NULL, 0), -EINVAL);
    assert_string_equal(toe_drv_error(d), "raw frame of 9217 bytes (14..9216 allowed)");
    assert_int_equal(toe_drv_send_raw(d, frame60, 13, NULL, 0), -EINVAL);
    assert_int_equal(toe_drv_send_raw(d, frame60, sizeof(frame60), &o, 0), -EINVAL);
    assert_string_equal(toe_drv_error(d), "checksum flags 0x6: unknown bits, or both TCP and UDP");
    assert_int_equal(toe_drv_stats(d)->tx_sent, 16);
}

/* ---- EXCQ ---------------------------------------------------------------------------- */

static struct toe_exc_cpl exc(uint32_t buf_idx, uint8_t reason, uint16_t conn, uint16_t len)
{
    struct toe_exc_cpl c;

    memset(&c, 0, sizeof(c));
    c.buf_idx = buf_idx;
    c.reason = reason;
    c.conn_id = conn;
    c.len = len;
    return c;
}

/* The device writes a frame into the buffer RXBQ index idx names. */
static void fill_buffer(struct fx *x, uint32_t idx, uint8_t first)
{
    const struct toe_rx_buf *b = toe_ring_slot(&x->d->ring[QID_RXBQ], idx);
    uint8_t *p = fake_bus_ptr(x->f, b->addr, b->len);

    assert_non_null(p);
    assert_int_equal(b->len, 256);
    memcpy(p, frame60, sizeof(frame60));
    p[0] = first;
}

static void excq_crafted(void **state)
{
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    const struct toe_drv_stats *s = toe_drv_stats(d);
    struct toe_exc_cpl c;
    const struct toe_rx_buf *b;

    fill_buffer(x, 3, 0xa3);
    fill_buffer(x, 4, 0xa4);
    c = exc(16, RX_EXC_NO_CONN, 0xffff, 60);          put(d, QID_EXCQ, 0, &c, 1); /* never posted */
    c = exc(0, 0, 0xffff, 60);                        put(d, QID_EXCQ, 1, &c, 1); /* reason 0 */
    c = exc(0, RX_EXC_NO_CONN, 0xffff, 60);           put(d, QID_EXCQ, 2, &c, 1); /* returned already */
    c = exc(1, RX_EXC_NOT_IPV4, 0xffff, 257);         put(d, QID_EXCQ, 3, &c, 1); /* past the buffer */
    c = exc(2, RX_EXC_FLAGS, 4096, 60);               put(d, QID_EXCQ, 4, &c, 1); /* conn_max */
    c = exc(3, RX_EXC_NO_CONN, 0xffff, 60);           put(d, QID_EXCQ, 5, &c, 1); /* good, no conn */
    c = exc(4, RX_EXC_FLAGS, 4095, 60);
    c.l3_off = 14;
    c.l4_off = 34;                                    put(d, QID_EXCQ, 6, &c, 1); /* good, conn 4095 */
    c = exc(5, RX_EXC_NOT_TCP, 0xffff, 60);
    c.l3_off = 200;                                   put(d, QID_EXCQ, 7, &c, 1); /* offset past len */
    c = exc(6, RX_EXC_UDP, 0xffff, 0);                put(d, QID_EXCQ, 8, &c, 1); /* refused write */
    c = exc(0xffffffffu, RX_EXC_UDP, 0xffff, 60);     put(d, QID_EXCQ, 9, &c, 1); /* slot 15, wrong pass */
    c = exc(7, RX_EXC_UDP, 0xffff, 60);               put(d, QID_EXCQ, 10, &c, 0); /* stale */
    assert_int_equal(toe_drv_excq_poll(d, 0), 10);
    assert_int_equal(s->excq_bad, 7);
    assert_int_equal(s->excq_bad_buf, 3);
    assert_int_equal(s->excq_bad_reason, 1);
    assert_int_equal(s->excq_bad_len, 1);
    assert_int_equal(s->excq_bad_conn, 1);
    assert_int_equal(s->excq_bad_offsets, 1);
    assert_int_equal(s->rx_frames, 2);
    assert_int_equal(s->rx_empty, 1);
    assert_int_equal(x->rec.nframes, 2);
    assert_int_equal(x->rec.frame[0].conn_id, TOE_DRV_NO_CONN);
    assert_int_equal(x->rec.frame[0].reason, RX_EXC_NO_CONN);
    assert_int_equal(x->rec.frame_byte0[0], 0xa3);
    assert_int_equal(x->rec.frame[1].conn_id, 4095);
    assert_int_equal(x->rec.frame[1].len, 60);
    assert_int_equal(x->rec.frame[1].l4_off, 34);
    assert_int_equal(x->rec.frame_byte0[1], 0xa4);
    /* Buffers 0..6 came back (bad entries naming a good buffer return it too)
     * and went out again at RXBQ 16..22. */
    assert_int_equal(reg(x, QID_EXCQ, QREG_CONS), 10);
    assert_int_equal(reg(x, QID_RXBQ, QREG_PROD), 23);
    assert_int_equal(s->rx_reposted, 23);
    b = toe_ring_slot(&d->ring[QID_RXBQ], 16);
    assert_int_equal(b->len, 256);
    assert_true(b->addr >= d->rx_pool.bus && b->addr < d->rx_pool.bus + 16u * 256);
    /* The buffer named by index 0 of the last pass is not index 16's. */
    c = exc(0, RX_EXC_UDP, 0xffff, 60);
    put(d, QID_EXCQ, 10, &c, 1);
    assert_int_equal(toe_drv_excq_poll(d, 0), 1);
    assert_int_equal(s->excq_bad_buf, 4);
}

/* ---- EVQ ----------------------------------------------------------------------------- */

static struct toe_rx_event ev(uint8_t type, uint8_t flags, uint16_t conn)
{
    struct toe_rx_event e;

    memset(&e, 0, sizeof(e));
    e.ev_type = type;
    e.flags = flags;
    e.conn_id = conn;
    e.seq = 0x01020304;
    e.val = 1448;
    return e;
}

static void evq_crafted(void **state)
{
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    const struct toe_drv_stats *s = toe_drv_stats(d);
    struct toe_rx_event e;
    uint32_t i = 0;

    e = ev(0, 0, 1);                  put(d, QID_EVQ, i++, &e, 1);
    e = ev(5, 0, 1);                  put(d, QID_EVQ, i++, &e, 1);
    e = ev(RX_EV_DATA, 0, 4096);      put(d, QID_EVQ, i++, &e, 1);
    e = ev(RX_EV_TX_UPDATE, 0, 1);    put(d, QID_EVQ, i++, &e, 1);
    e = ev(RX_EV_TX_UPDATE, 4, 1);    put(d, QID_EVQ, i++, &e, 1);
    e = ev(RX_EV_DATA, 1, 1);         put(d, QID_EVQ, i++, &e, 1);
    e = ev(RX_EV_DATA, 0, 9);         put(d, QID_EVQ, i++, &e, 1);
    e = ev(RX_EV_TX_UPDATE, EV_FLAG_ACKED | EV_FLAG_WND, 4095); put(d, QID_EVQ, i++, &e, 1);
    e = ev(RX_EV_DUPACK3, 0, 0);      put(d, QID_EVQ, i++, &e, 1);
    e = ev(RX_EV_WND_OPEN, 0, 3);     put(d, QID_EVQ, i, &e, 0);
    assert_int_equal(toe_drv_evq_poll(d, 0), 9);
    assert_int_equal(s->evq_bad, 6);
    assert_int_equal(s->evq_bad_type, 2);
    assert_int_equal(s->evq_bad_conn, 1);
    assert_int_equal(s->evq_bad_flags, 3);
    assert_int_equal(s->events, 3);
    assert_int_equal(x->rec.nev, 3);
    assert_int_equal(x->rec.ev[0].conn_id, 9);
    assert_int_equal(x->rec.ev[0].seq, 0x01020304);
    assert_int_equal(x->rec.ev[1].flags, EV_FLAG_ACKED | EV_FLAG_WND); /* phase bit gone */
    assert_int_equal(x->rec.ev[1].conn_id, 4095);
    assert_int_equal(x->rec.ev[2].ev_type, RX_EV_DUPACK3);
    assert_int_equal(reg(x, QID_EVQ, QREG_CONS), 9);
    /* A budget stops early. */
    e = ev(RX_EV_DATA, 0, 1);
    put(d, QID_EVQ, 9, &e, 1);
    put(d, QID_EVQ, 10, &e, 1);
    assert_int_equal(toe_drv_evq_poll(d, 1), 1);
    assert_int_equal(toe_drv_evq_poll(d, 1), 1);
    assert_int_equal(s->events, 5);
}

/* ---- ACQ ----------------------------------------------------------------------------- */

static struct toe_admin_cpl acpl(uint16_t tag, uint8_t op, uint8_t status, uint16_t head)
{
    struct toe_admin_cpl c;

    memset(&c, 0, sizeof(c));
    c.tag = tag;
    c.opcode = op;
    c.status = status;
    c.sq_head = head;
    return c;
}

static void acq_crafted(void **state)
{
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    const struct toe_drv_stats *s = toe_drv_stats(d);
    struct toe_admin_cmd cmd;
    struct toe_admin_cpl c, got;

    memset(&cmd, 0, sizeof(cmd));
    cmd.opcode = ADMIN_OP_SET_IPV4;
    assert_int_equal(toe_drv_admin_submit(d, &cmd), 0);
    assert_int_equal(cmd.tag, 1);
    assert_int_equal(reg(x, QID_ASQ, QREG_PROD), 1);
    c = acpl(2, ADMIN_OP_SET_IPV4, 0, 1);             put(d, QID_ACQ, 0, &c, 1);
    c = acpl(1, ADMIN_OP_IDENTIFY, 0, 1);             put(d, QID_ACQ, 1, &c, 1);
    c = acpl(1, ADMIN_OP_SET_IPV4, 9, 1);             put(d, QID_ACQ, 2, &c, 1);
    c = acpl(1, ADMIN_OP_SET_IPV4, 0, 7);             put(d, QID_ACQ, 3, &c, 1);
    assert_int_equal(toe_drv_acq_reap(d, &got), 0);
    assert_int_equal(s->acq_bad, 4);
    assert_int_equal(s->acq_bad_tag, 1);
    assert_int_equal(s->acq_bad_opcode, 1);
    assert_int_equal(s->acq_bad_status, 1);
    assert_int_equal(s->acq_bad_sq_head, 1);
    /* Pass 1 of a 4-entry ring: phase 0. The old pass's phase is no entry. */
    c = acpl(1, ADMIN_OP_SET_IPV4, ADMIN_STATUS_BAD_FIELD, 1);
    put(d, QID_ACQ, 4, &c, 0);
    assert_int_equal(toe_drv_acq_reap(d, &got), 0);
    put(d, QID_ACQ, 4, &c, 1);
    assert_int_equal(toe_drv_acq_reap(d, &got), 1);
    assert_int_equal(got.status, ADMIN_STATUS_BAD_FIELD);
    assert_int_equal(got.flags, 0);
    assert_int_equal(s->admin_cpls, 1);
    assert_int_equal(reg(x, QID_ACQ, QREG_CONS), 5);
    /* Nothing outstanding: whatever comes is bad. */
    c = acpl(1, ADMIN_OP_SET_IPV4, 0, 1);
    put(d, QID_ACQ, 5, &c, 1);
    assert_int_equal(toe_drv_poll(d, 0), 0);
    assert_int_equal(s->acq_bad_tag, 2);
}

static void admin_client_against_fake_firmware(void **state)
{
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    struct toe_admin_identify id;
    const struct toe_drv_stats *s = toe_drv_stats(d);
    unsigned i;

    /* More commands than the 4-entry rings hold: the phases wrap. */
    for (i = 0; i < 9; i++) {
        memset(&id, 0, sizeof(id));
        assert_int_equal(toe_drv_identify(d, &id), 0);
        assert_int_equal(id.if_version, 0x10000);
        assert_int_equal(id.conn_max, 4096);
        assert_int_equal(id.msix_vectors, 32);
    }
    assert_int_equal(toe_drv_set_ipv4(d, 0xc0000201, 24), ADMIN_STATUS_BAD_OPCODE);
    assert_string_equal(toe_drv_error(d), "admin SET_IPV4: device says BAD_OPCODE (val0 0, val1 0)");
    assert_int_equal(toe_drv_set_ipv4(d, 0xc0000201, 33), -EINVAL);
    assert_int_equal(toe_drv_conn_destroy(d, 4096), -EINVAL);
    assert_string_equal(toe_drv_error(d), "conn_id 4096 is not below 4096");
    assert_int_equal(s->admin_cmds, 10);
    assert_int_equal(s->admin_cpls, 10);
    assert_int_equal(s->acq_bad, 0);
    /* A firmware that takes a command and never answers: the timeout, then
     * the late answer is recognised, not counted bad. */
    x->f->fw_silent = 1;
    assert_int_equal(toe_drv_identify(d, &id), -ETIMEDOUT);
    assert_string_equal(toe_drv_error(d), "admin IDENTIFY (tag 11) had no completion in 100000 ns");
    assert_int_equal(s->admin_timeouts, 1);
    {
        struct toe_admin_cpl c = acpl(11, ADMIN_OP_IDENTIFY, 0, 11);

        put(d, QID_ACQ, 10, &c, 1);
    }
    assert_int_equal(toe_drv_poll(d, 0), 0);
    assert_int_equal(s->admin_late, 1);
    assert_int_equal(s->acq_bad, 0);
}

/* ---- reset ----------------------------------------------------------------------------- */

static void reset_aborts_sends_and_reposts_buffers(void **state)
{
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    const struct toe_drv_stats *s = toe_drv_stats(d);
    struct toe_exc_cpl c;
    unsigned i;

    for (i = 0; i < 5; i++)
        assert_int_equal(toe_drv_send_raw(d, frame60, sizeof(frame60), NULL, 200 + i), 0);
    c = exc(0, RX_EXC_UDP, 0xffff, 60);
    put(d, QID_EXCQ, 0, &c, 1);
    assert_int_equal(toe_drv_excq_poll(d, 0), 1);
    /* An entry the old function wrote and the driver has not read. */
    c = exc(1, RX_EXC_UDP, 0xffff, 60);
    put(d, QID_EXCQ, 1, &c, 1);
    assert_int_equal(toe_drv_reset(d), 0);
    assert_int_equal(x->f->flrs, 1);
    assert_int_equal(x->rec.resets, 1);
    assert_int_equal(s->resets, 1);
    assert_int_equal(s->tx_aborted, 5);
    assert_int_equal(x->rec.ntx, 5);
    for (i = 0; i < 5; i++) {
        assert_int_equal(x->rec.tx_cookie[i], 200 + i);
        assert_int_equal(x->rec.tx_status[i], TOE_TX_ABORTED);
    }
    /* Rings restart at 0 over cleared memory: the old entry is gone. */
    assert_int_equal(toe_drv_excq_poll(d, 0), 0);
    assert_int_equal(reg(x, QID_RXBQ, QREG_PROD), 16);
    assert_int_equal(d->rx_nfree, 0);
    assert_int_equal(reg(x, QID_TXQ, QREG_PROD), 0);
    assert_int_equal(x->f->regs[REG_CONTROL / 4], CONTROL_ENABLE);
    /* And it runs again. */
    assert_int_equal(toe_drv_send_raw(d, frame60, sizeof(frame60), NULL, 300), 0);
    {
        struct toe_tx_cpl t = txc(0, 0, 0);

        put(d, QID_TXCQ, 0, &t, 1);
    }
    assert_int_equal(toe_drv_txcq_poll(d, 0), 1);
    assert_int_equal(x->rec.tx_cookie[5], 300);
    assert_int_equal(x->rec.tx_status[5], TX_STATUS_OK);
}

/* ---- random --------------------------------------------------------------------------- */

/* The driver's own books after any sequence of entries. */
static void check_books(struct toe_drv *d)
{
    const struct toe_drv_stats *s = toe_drv_stats(d);
    const struct toe_ring *txq = &d->ring[QID_TXQ], *bq = &d->ring[QID_RXBQ];
    uint8_t seen[16] = {0};
    uint32_t posted = 0, i, busy = 0;

    assert_int_equal(s->txcq_bad, s->txcq_bad_tag + s->txcq_bad_conn + s->txcq_bad_status);
    assert_int_equal(s->excq_bad, s->excq_bad_buf + s->excq_bad_reason + s->excq_bad_len + s->excq_bad_conn +
                                      s->excq_bad_offsets);
    assert_int_equal(s->evq_bad, s->evq_bad_type + s->evq_bad_conn + s->evq_bad_flags);
    assert_int_equal(s->acq_bad, s->acq_bad_tag + s->acq_bad_opcode + s->acq_bad_status + s->acq_bad_sq_head);
    assert_true(txq->prod - d->tx_done <= txq->n);
    assert_int_equal(s->tx_sent, s->tx_done + s->tx_aborted + (txq->prod - d->tx_done));
    for (i = 0; i < txq->n; i++)
        busy += (uint32_t)d->tx_slot[i].busy;
    assert_int_equal(busy, txq->prod - d->tx_done);
    /* Every buffer is either posted once or free once. */
    for (i = 0; i < bq->n; i++) {
        if (!d->rx_post[i].posted)
            continue;
        assert_true(d->rx_post[i].buf < 16);
        assert_int_equal(d->rx_post[i].idx & bq->mask, i);
        assert_int_equal(seen[d->rx_post[i].buf]++, 0);
        posted++;
    }
    for (i = 0; i < d->rx_nfree; i++) {
        assert_true(d->rx_free[i] < 16);
        assert_int_equal(seen[d->rx_free[i]]++, 0);
    }
    assert_int_equal(posted + d->rx_nfree, 16);
}

/* An entry: random bytes, or a near-valid one with a field or two wrong. */
static void random_entry(struct toe_drv *d, unsigned qid, uint8_t *e)
{
    test_rand_fill(e, 64);
    if (test_rand_below(2))
        return;
    switch (qid) {
    case QID_TXCQ: {
        struct toe_tx_cpl *c = (struct toe_tx_cpl *)e;

        c->tag = (uint16_t)((d->tx_done + test_rand_below(3)) & d->ring[QID_TXQ].mask);
        c->conn_id = test_rand_below(4) ? 0 : c->conn_id;
        c->status = (uint8_t)test_rand_below(11);
        break;
    }
    case QID_EXCQ: {
        struct toe_exc_cpl *c = (struct toe_exc_cpl *)e;

        c->buf_idx = d->ring[QID_RXBQ].prod - 1 - test_rand_below(20);
        c->reason = (uint8_t)test_rand_below(15);
        c->len = (uint16_t)test_rand_below(300);
        c->conn_id = (uint16_t)(4090 + test_rand_below(10));
        c->l3_off = (uint8_t)(test_rand_below(2) ? 0 : test_rand_below(80));
        c->l4_off = (uint8_t)(test_rand_below(2) ? 0 : test_rand_below(120));
        break;
    }
    case QID_EVQ: {
        struct toe_rx_event *c = (struct toe_rx_event *)e;

        c->ev_type = (uint8_t)test_rand_below(6);
        c->flags = (uint8_t)test_rand_below(4);
        c->conn_id = (uint16_t)(4090 + test_rand_below(10));
        break;
    }
    default: {
        struct toe_admin_cpl *c = (struct toe_admin_cpl *)e;

        c->tag = (uint16_t)(d->admin_want_tag + test_rand_below(2));
        c->opcode = test_rand_below(2) ? d->admin_want_op : (uint8_t)test_rand_below(14);
        c->status = (uint8_t)test_rand_below(10);
        c->sq_head = (uint16_t)(d->admin_want_head + test_rand_below(2));
        break;
    }
    }
}

static void random_entries(void **state)
{
    static const unsigned qids[4] = {QID_TXCQ, QID_EXCQ, QID_EVQ, QID_ACQ};
    struct fx *x = *state;
    struct toe_drv *d = x->d;
    const struct toe_drv_stats *s = toe_drv_stats(d);
    struct toe_admin_cpl cpl;
    uint8_t e[64];
    unsigned round, k;

    for (round = 0; round < 20000; round++) {
        const unsigned action = test_rand_below(16);

        if (round % 1000 == 999) {
            assert_int_equal(toe_drv_reset(d), 0); /* in the middle of it all */
        } else if (action < 3) {
            (void)toe_drv_send_raw(d, frame60, 14 + test_rand_below(47), NULL, round);
        } else if (action == 3 && !d->admin_busy) {
            struct toe_admin_cmd cmd;

            memset(&cmd, 0, sizeof(cmd));
            cmd.opcode = (uint8_t)(1 + test_rand_below(13));
            assert_int_equal(toe_drv_admin_submit(d, &cmd), 0);
        } else {
            const unsigned qid = qids[test_rand_below(4)];
            const struct toe_ring *r = &d->ring[qid];
            const unsigned n = 1 + test_rand_below(r->n);
            unsigned took;

            for (k = 0; k < n; k++) {
                random_entry(d, qid, e);
                put(d, qid, r->cons + k, e, test_rand_below(4) != 0);
            }
            switch (qid) {
            case QID_TXCQ: took = toe_drv_txcq_poll(d, 0); break;
            case QID_EXCQ: took = toe_drv_excq_poll(d, 0); break;
            case QID_EVQ: took = toe_drv_evq_poll(d, 0); break;
            default: took = (unsigned)toe_drv_acq_reap(d, &cpl); break;
            }
            assert_true(took <= r->n);
        }
        check_books(d);
    }
    /* The hostile stream was mostly refused, some of it taken: both paths ran. */
    assert_true(s->txcq_bad > 0 && s->tx_done > 0);
    assert_true(s->excq_bad_buf > 0 && s->excq_bad_len > 0 && s->excq_bad_offsets > 0 && s->rx_frames > 0);
    assert_true(s->evq_bad_type > 0 && s->evq_bad_conn > 0 && s->events > 0);
    assert_true(s->acq_bad > 0 && s->admin_cpls > 0);
    assert_true(s->resets > 0 && s->tx_aborted > 0);
    printf("random: %llu TX done, %llu bad; %llu frames, %llu bad; %llu events, %llu bad; %llu admin, %llu bad\n",
           (unsigned long long)s->tx_done, (unsigned long long)s->txcq_bad, (unsigned long long)s->rx_frames,
           (unsigned long long)s->excq_bad, (unsigned long long)s->events, (unsigned long long)s->evq_bad,
           (unsigned long long)s->admin_cpls, (unsigned long long)s->acq_bad);
}

/* ---- the allocator ---------------------------------------------------------------------- */

static void dma_allocator_bounds(void **state)
{
    static uint8_t mem[64 * 1024] __attribute__((aligned(4096)));
    struct toe_dma_pool p;
    struct toe_dma a, b, c, bogus;

    (void)state;
    assert_int_equal(toe_dma_pool_init(&p, mem, 0x100000000ull, sizeof(mem), 5), 0);
    assert_int_equal(toe_dma_alloc(&p, 100, 0, &a), 0);
    assert_int_equal(a.bus, 0x100000000ull);
    assert_int_equal(toe_dma_alloc(&p, 1, 4096, &b), 0);
    assert_int_equal(b.bus, 0x100001000ull);          /* aligned past a's 128 bytes */
    assert_int_equal(p.in_use, 128 + 64);
    /* a, the pad before b, b, the rest: 4 of 5 extents. One aligned to 8 KiB
     * would split the rest in three: refused, and nothing changed. */
    assert_int_equal(toe_dma_alloc(&p, 64, 8192, &c), -ENOMEM);
    assert_int_equal(p.n, 4);
    assert_int_equal(toe_dma_alloc(&p, 64, 0, &c), 0); /* first fit: into the pad */
    assert_int_equal(c.bus, 0x100000080ull);
    assert_int_equal(p.n, 5);
    assert_int_equal(toe_dma_alloc(&p, 64, 0, &c), -ENOMEM); /* the table is full */
    assert_int_equal(toe_dma_alloc(&p, sizeof(mem) + 1, 0, &c), -ENOMEM);
    assert_int_equal(toe_dma_alloc(&p, 0, 0, &c), -EINVAL);
    assert_int_equal(toe_dma_alloc(&p, 64, 3, &c), -EINVAL);
    bogus = b;
    bogus.bus += 64;
    bogus.va = (uint8_t *)bogus.va + 64;
    assert_int_equal(toe_dma_free(&p, &bogus), -EINVAL);
    assert_int_equal(toe_dma_free(&p, &b), 0);
    assert_int_equal(toe_dma_free(&p, &b), 0);         /* cleared: a no-op */
    b = a;
    assert_int_equal(toe_dma_free(&p, &a), 0);
    assert_int_equal(toe_dma_free(&p, &b), -EINVAL);   /* twice */
    assert_int_equal(p.bad_free, 2);
    assert_int_equal(p.n, 3); /* free a and its neighbour merged: [free][c][free] */
    assert_int_equal(p.in_use, 64);
    assert_true(toe_dma_contains(&p, 0x100000000ull + sizeof(mem) - 1, 1));
    assert_false(toe_dma_contains(&p, 0x100000000ull + sizeof(mem) - 1, 2));
    assert_false(toe_dma_contains(&p, UINT64_MAX, 2));
    toe_dma_pool_fini(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bringup_programs_every_ring, setup, teardown),
        cmocka_unit_test(bringup_polled),
        cmocka_unit_test(identity_refused),
        cmocka_unit_test_setup_teardown(txcq_crafted, setup, teardown),
        cmocka_unit_test_setup_teardown(txcq_phase_flips_each_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(txq_full_and_bad_sends, setup, teardown),
        cmocka_unit_test_setup_teardown(excq_crafted, setup, teardown),
        cmocka_unit_test_setup_teardown(evq_crafted, setup, teardown),
        cmocka_unit_test_setup_teardown(acq_crafted, setup, teardown),
        cmocka_unit_test_setup_teardown(admin_client_against_fake_firmware, setup_fw, teardown),
        cmocka_unit_test_setup_teardown(reset_aborts_sends_and_reposts_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(random_entries, setup, teardown),
        cmocka_unit_test(dma_allocator_bounds),
    };

    if (!getenv("TOE_SEED"))
        setenv("TOE_SEED", "1", 1);
    test_seed_init("test_drv_fuzz");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
