/*
 * The management firmware (firmware/) against a fake of its window
 * (fake_fw_window.c): every admin opcode's success and every error status with
 * the exact completion, the field checks' offsets, the rings' wrap and phase,
 * a full ACQ, the STATS baseline, the RESET attention, SELF_TEST passing and
 * catching injected faults, and the ring DMA faults that stop the firmware.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fake_fw_window.h"
#include "test_seed.h"
#include "toe_formats.h"
#include "toe_fw.h"

#define HOST_BASE 0x10000000ull
#define HOST_SIZE (1u << 20)
#define ASQ_BASE HOST_BASE
#define ACQ_BASE (HOST_BASE + 0x1000)
#define BUF (HOST_BASE + 0x10000)  /* a command's host buffer */
#define OUTSIDE (HOST_BASE + HOST_SIZE - 32) /* straddles the end of host memory */
#define TEST_CONN_MAX 256

struct fx {
    struct fake_win *f;
    struct toe_fw_bus bus;
    struct toe_fw fw;
};

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    x->f = fake_new(TEST_CONN_MAX, HOST_BASE, HOST_SIZE);
    x->bus = fake_bus(x->f);
    toe_fw_init(&x->fw, &x->bus);
    toe_fw_service(&x->fw); /* the power-on reset attention */
    assert_int_equal(x->f->fw_ready, 1);
    fake_ring_enable(x->f, &x->f->asq, ASQ_BASE, 3);
    fake_ring_enable(x->f, &x->f->acq, ACQ_BASE, 3);
    fake_clear_logs(x->f);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;

    assert_int_equal(x->f->violations, 0);
    assert_int_equal(x->f->poll_timeouts, 0);
    fake_free(x->f);
    free(x);
    return 0;
}

static struct toe_admin_cmd mk(uint8_t opcode, uint16_t tag)
{
    struct toe_admin_cmd c;

    memset(&c, 0, sizeof(c));
    c.opcode = opcode;
    c.tag = tag;
    return c;
}

static struct toe_admin_cmd mk_buf(uint8_t opcode, uint16_t tag, uint64_t addr, uint32_t len)
{
    struct toe_admin_cmd c = mk(opcode, tag);

    c.addr = addr;
    c.len = len;
    return c;
}

/* Submit one command, serve, and return its completion (exactly one). */
static struct toe_admin_cpl run1(struct fx *x, const struct toe_admin_cmd *c)
{
    struct toe_admin_cpl cpl, more;
    uint32_t cons = x->f->asq.cons;

    fake_submit(x->f, c);
    toe_fw_service(&x->fw);
    assert_true(fake_take_cpl(x->f, &cpl));
    assert_false(fake_take_cpl(x->f, &more));
    assert_int_equal(x->f->asq.cons, cons + 1);
    assert_int_equal(cpl.tag, c->tag);
    assert_int_equal(cpl.opcode, c->opcode);
    assert_int_equal(cpl.rsvd0, 0);
    assert_int_equal(cpl.sq_head, (uint16_t)(cons + 1));
    return cpl;
}

static void expect(const struct toe_admin_cpl *cpl, uint32_t status, uint32_t val0, uint32_t val1)
{
    assert_int_equal(cpl->status, status);
    assert_int_equal(cpl->val0, val0);
    assert_int_equal(cpl->val1, val1);
}

static uint32_t host32(struct fx *x, uint64_t addr)
{
    uint32_t v;

    memcpy(&v, fake_host(x->f, addr, 4), 4);
    return v;
}

/* A valid connection: ring 64 KiB, MSS 1460, 192.0.2.1:port -> 198.51.100.7:80. */
static struct toe_conn_create conn_image(uint16_t port)
{
    struct toe_conn_create cc;
    struct toe_rx_ctx *rx = &cc.rx.rx;
    struct toe_tx_ctx *tx = &cc.tx.tx;
    static const uint8_t peer[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
    static const uint8_t us[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

    memset(&cc, 0, sizeof(cc));
    rx->buf_base = 0x20000000ull + 0x10000ull * port;
    rx->local_ip = 0xc0000201u;
    rx->remote_ip = 0xc6336407u;
    rx->local_port = port;
    rx->remote_port = 80;
    rx->flags = RX_FLAG_TS | RX_FLAG_DF;
    rx->buf_size_log2 = 16;
    rx->rcv_wscale = 7;
    rx->snd_wscale = 9;
    memcpy(rx->dst_mac, peer, 6);
    memcpy(rx->src_mac, us, 6);
    rx->ttl = 64;
    rx->ip_id = 0x1000;
    rx->mss = 1460;
    rx->rcv_nxt = rx->rcv_read = rx->buf_seq0 = 1000;
    rx->rcv_adv = 1000 + 65535;
    rx->last_ack_sent = 1000;
    rx->ts_recent = 0x01020304;
    rx->snd_una = rx->snd_nxt = 5000;
    rx->snd_wnd = rx->max_snd_wnd = 29200;
    memcpy(tx->dst_mac, peer, 6);
    memcpy(tx->src_mac, us, 6);
    tx->flags = CTX_FLAG_TS | CTX_FLAG_DF;
    tx->ttl = 64;
    tx->src_ip = rx->local_ip;
    tx->dst_ip = rx->remote_ip;
    tx->src_port = port;
    tx->dst_port = 80;
    tx->rcv_nxt = 1000;
    tx->ts_recent = 0x01020304;
    tx->rcv_wnd = 512;
    tx->mss = 1460;
    tx->ip_id = 0x2000;
    return cc;
}

static void put_host(struct fx *x, uint64_t addr, const void *p, uint32_t len)
{
    memcpy(fake_host(x->f, addr, len), p, len);
}

static void create(struct fx *x, uint16_t id, uint16_t port)
{
    struct toe_conn_create cc = conn_image(port);
    struct toe_admin_cmd c = mk_buf(ADMIN_OP_CONN_CREATE, 0x700 + id, BUF, sizeof(cc));
    struct toe_admin_cpl cpl;

    c.conn_id = id;
    put_host(x, BUF, &cc, sizeof(cc));
    cpl = run1(x, &c);
    expect(&cpl, ADMIN_STATUS_OK, 0, 0);
}

/* ---- the RESET attention, init ------------------------------------------------------- */

static void junk_config(struct fake_win *f)
{
    f->mac_lo = 0xdeadbeef;
    f->mac_hi = 0xbeef;
    f->ipv4 = 0x0a000001;
    f->rx_filter = 1;
    f->delack = 7;
    f->coalesce = 8;
    f->ts_ticks = 9;
    for (int i = 0; i < 2 * (int)MSIX_VECTORS; i++)
        f->vec[i] = 0x1000u + (uint32_t)i;
}

static void reset_config_values(const struct fake_win *f)
{
    assert_int_equal(f->mac_lo, 0);
    assert_int_equal(f->mac_hi, 0);
    assert_int_equal(f->ipv4, 0);
    assert_int_equal(f->rx_filter, 0);
    assert_int_equal(f->delack, DELACK_TICKS_DEFAULT);
    assert_int_equal(f->coalesce, RX_EVENT_COALESCE_DEFAULT);
    assert_int_equal(f->ts_ticks, 100);
    for (int i = 0; i < 2 * (int)MSIX_VECTORS; i++)
        assert_int_equal(f->vec[i], 0);
}

static void reset_attention_initialises(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cpl cpl;
    struct toe_admin_cmd c;

    /* state the reset must clear: a prefix, a connection, a stats baseline */
    c = mk(ADMIN_OP_SET_IPV4, 1);
    c.arg0 = 0xc0000201u;
    c.arg1 = 24;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    create(x, 9, 1234);
    f->tx_cnt[0] = 50;
    c = mk_buf(ADMIN_OP_STATS, 2, BUF, 272);
    c.arg0 = 1;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);

    fake_flr(f);
    junk_config(f);
    f->tx_cnt[0] = 3;
    fake_clear_logs(f);
    assert_int_equal(f->fw_ready, 0);
    toe_fw_service(&x->fw);
    assert_int_equal(f->n_ctrl, 2);
    assert_int_equal(f->ctrl_log[0], FW_CTRL_RESET_ACK);
    assert_int_equal(f->ctrl_log[1], FW_CTRL_READY);
    assert_int_equal(f->attn_reset, 0);
    assert_int_equal(f->fw_ready, 1);
    assert_int_equal(x->fw.cnt.resets, 2); /* power-on and this one */
    reset_config_values(f);
    assert_int_equal(f->n_cmds, 0); /* the table is empty after a reset: nothing to delete */
    assert_int_equal(x->fw.installed[0], 0);

    /* The rings came back disabled; the driver enables them again. */
    fake_ring_enable(f, &f->asq, ASQ_BASE, 3);
    fake_ring_enable(f, &f->acq, ACQ_BASE, 3);
    c = mk_buf(ADMIN_OP_IDENTIFY, 3, BUF, 64);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 64, 0);
    assert_int_equal(((struct toe_admin_identify *)fake_host(f, BUF, 64))->prefix_len, 0);
    /* the baseline went with the reset: STATS reports the raw 3 */
    c = mk_buf(ADMIN_OP_STATS, 4, BUF, 272);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    assert_int_equal(host32(x, BUF), 3);
    /* a destroy of the old id finds nothing: the firmware forgot it */
    c = mk(ADMIN_OP_CONN_DESTROY, 5);
    c.conn_id = 9;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, CONN_STATUS_NOT_FOUND, 0);
}

/* A reset attention with submissions waiting: the reset first, then the
 * commands (the SET_MAC's address survives: it came after). */
static void reset_attention_before_commands(void **state)
{
    struct fx *x = *state;
    struct toe_admin_cmd c = mk(ADMIN_OP_SET_MAC, 0x55);
    struct toe_admin_cpl cpl;
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x01};

    memcpy(c.data, mac, 6);
    x->f->attn_reset = 1;
    x->f->delack = 1;
    fake_submit(x->f, &c);
    toe_fw_service(&x->fw);
    assert_int_equal(x->f->n_ctrl, 2);
    assert_int_equal(x->f->delack, DELACK_TICKS_DEFAULT);
    assert_true(fake_take_cpl(x->f, &cpl));
    expect(&cpl, ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(x->f->mac_lo, 0x00000002);
    assert_int_equal(x->f->mac_hi, 0x0100);
}

/* A RESET attention our RESET_ACK does not clear: counted, no hang. */
static void reset_attention_stuck_returns(void **state)
{
    struct fx *x = *state;

    x->f->reset_ack_ignored = 1;
    x->f->attn_reset = 1;
    toe_fw_service(&x->fw);
    assert_int_equal(x->fw.cnt.hw_errors, 1);
    assert_int_equal(x->f->n_ctrl, 2);
}

/* Firmware started without a reset (a restart): it learns the installed ids
 * with READs, keeps the configuration, says READY; RESET then removes them. */
static void init_without_reset_walks_table(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_conn_create a = conn_image(1), b = conn_image(2);
    struct toe_admin_cmd c;
    struct toe_admin_cpl cpl;

    fake_table_put(f, 5, &a.rx.rx, &a.tx.tx);
    fake_table_put(f, 200, &b.rx.rx, &b.tx.tx);
    f->mac_lo = 0x12345602;
    fake_clear_logs(f);
    toe_fw_init(&x->fw, &x->bus);
    assert_int_equal(f->n_cmds, TEST_CONN_MAX);
    for (int i = 0; i < TEST_CONN_MAX; i++) {
        assert_int_equal(f->cmds[i].cmd.op, CONN_CMD_READ);
        assert_int_equal(f->cmds[i].cmd.conn_id, i);
    }
    assert_int_equal(x->fw.cnt.conns_rebuilt, 2);
    assert_int_equal(f->n_ctrl, 1);
    assert_int_equal(f->ctrl_log[0], FW_CTRL_READY);
    assert_int_equal(f->mac_lo, 0x12345602);

    fake_clear_logs(f);
    c = mk(ADMIN_OP_RESET, 1);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 2, 0);
    assert_int_equal(f->n_cmds, 2);
    assert_int_equal(f->cmds[0].cmd.op, CONN_CMD_DELETE);
    assert_int_equal(f->cmds[0].cmd.conn_id, 5);
    assert_int_equal(f->cmds[1].cmd.conn_id, 200);
    assert_int_equal(f->installed[5] | f->installed[200], 0);
    assert_int_equal(f->tx_valid[5] | f->tx_valid[200], 0);
}

/* ---- opcodes ---------------------------------------------------------------------- */

static void identify_exact(void **state)
{
    struct fx *x = *state;
    struct toe_admin_identify want;
    struct toe_admin_cmd c;
    struct toe_admin_cpl cpl;
    uint8_t *h = fake_host(x->f, BUF, 100);
    static const uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

    c = mk(ADMIN_OP_SET_MAC, 1);
    c.arg0 = 1;
    memcpy(c.data, mac, 6);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    c = mk(ADMIN_OP_SET_IPV4, 2);
    c.arg0 = 0xc0000201u;
    c.arg1 = 24;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    x->fw.code_bytes = 12345;
    memset(h, 0xee, 100);

    c = mk_buf(ADMIN_OP_IDENTIFY, 0xbeef, BUF, 100);
    cpl = run1(x, &c);
    expect(&cpl, ADMIN_STATUS_OK, 64, 0);
    assert_int_equal(cpl.flags, 1);
    memset(&want, 0, sizeof(want));
    want.if_version = 0x00010000;
    want.fw_version = TOE_FW_VERSION;
    want.features = 0x1f;
    want.conn_max = TEST_CONN_MAX;
    want.msix_vectors = 32;
    want.queues = 7;
    want.tick_ns = 10000;
    want.clk_mhz = 250;
    want.width_bytes = 8;
    want.mbox_size = 4096;
    memcpy(want.mac, mac, 6);
    want.prefix_len = 24;
    want.mac_filter = 1;
    want.ipv4 = 0xc0000201u;
    want.fw_code_bytes = 12345;
    want.delack_ticks = 4000;
    want.coalesce_bytes = 16384;
    want.ts_ticks = 100;
    assert_memory_equal(h, &want, 64);
    for (int i = 64; i < 100; i++)
        assert_int_equal(h[i], 0xee); /* len is room, not what is written */
}

static void identify_errors(void **state)
{
    struct fx *x = *state;
    struct toe_admin_cmd c;
    struct toe_admin_cpl cpl;
    uint8_t *h = fake_host(x->f, BUF, 64);

    memset(h, 0xee, 64);
    c = mk_buf(ADMIN_OP_IDENTIFY, 1, BUF, 63);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BUF_SMALL, 64, 0);
    c = mk_buf(ADMIN_OP_IDENTIFY, 2, BUF, 0);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BUF_SMALL, 64, 0);
    assert_int_equal(h[0], 0xee);
    assert_int_equal(x->f->dma_to_host, 2); /* the two completions only */

    c = mk_buf(ADMIN_OP_IDENTIFY, 3, OUTSIDE, 64);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    assert_int_equal(x->f->dma_faults, 1);
    /* a buffer that wraps past 2^64 is refused before the mover sees it */
    c = mk_buf(ADMIN_OP_IDENTIFY, 4, 0xffffffffffffffe0ull, 64);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    assert_int_equal(x->f->dma_faults, 1);
    assert_int_equal(x->fw.cnt.cmd_errors, 4);
    assert_int_equal(x->fw.cnt.cmds, 4);
}

static void bad_opcode(void **state)
{
    struct fx *x = *state;
    static const uint8_t ops[] = {0, 14, 0x80, 0xff};

    for (unsigned i = 0; i < sizeof(ops); i++) {
        struct toe_admin_cmd c = mk(ops[i], (uint16_t)(0x100 + i));
        struct toe_admin_cpl cpl;

        c.flags = 1; /* the opcode is judged first */
        cpl = run1(x, &c);
        expect(&cpl, ADMIN_STATUS_BAD_OPCODE, 0, 0);
    }
    assert_int_equal(x->f->n_cmds, 0);
}

struct field_case {
    uint8_t opcode;
    uint8_t arg0_ok;   /* a valid arg0 first (SET_MAC 0, CONN_MODIFY op) */
    uint8_t byte;      /* the byte set */
    uint8_t val;
    uint8_t want_off;  /* BAD_FIELD val0 */
};

static void set_valid_fields(struct toe_admin_cmd *c, uint8_t arg0)
{
    static const uint8_t mac[6] = {0x02, 1, 2, 3, 4, 5};

    c->arg0 = arg0;
    switch (c->opcode) {
    case ADMIN_OP_IDENTIFY: c->addr = BUF; c->len = 64; break;
    case ADMIN_OP_SET_MAC: memcpy(c->data, mac, 6); break;
    case ADMIN_OP_CONN_CREATE:
    case ADMIN_OP_CONN_READ: c->addr = BUF; c->len = 176; break;
    case ADMIN_OP_CONN_SET_TX: c->addr = BUF; c->len = 48; break;
    case ADMIN_OP_STATS: c->addr = BUF; c->len = 272; break;
    case ADMIN_OP_SET_IRQ_MOD:
    case ADMIN_OP_SET_RX_CFG: c->data[0] = 1; break;
    case ADMIN_OP_SELF_TEST: c->addr = BUF; c->len = 256; break;
    default: break;
    }
}

/* Every byte an opcode does not use must be 0; val0 is the field's offset
 * (each data byte its own). Nothing runs. */
static void field_validation_offsets(void **state)
{
    struct fx *x = *state;
    static const struct field_case cases[] = {
        {ADMIN_OP_IDENTIFY, 0, 1, 1, 1},       /* flags */
        {ADMIN_OP_IDENTIFY, 0, 7, 0x80, 6},    /* rsvd0 */
        {ADMIN_OP_IDENTIFY, 0, 30, 1, 28},     /* rsvd1 */
        {ADMIN_OP_IDENTIFY, 0, 5, 1, 4},       /* conn_id: not a connection command */
        {ADMIN_OP_IDENTIFY, 0, 9, 1, 8},       /* arg0 */
        {ADMIN_OP_IDENTIFY, 0, 15, 1, 12},     /* arg1 */
        {ADMIN_OP_IDENTIFY, 0, 32, 1, 32},     /* data[0] */
        {ADMIN_OP_IDENTIFY, 0, 63, 1, 63},     /* data[31] */
        {ADMIN_OP_RESET, 0, 23, 1, 16},        /* addr */
        {ADMIN_OP_RESET, 0, 24, 1, 24},        /* len */
        {ADMIN_OP_SET_MAC, 0, 38, 1, 38},      /* data[6] */
        {ADMIN_OP_SET_MAC, 0, 8, 2, 8},        /* arg0 bit 1 */
        {ADMIN_OP_SET_MAC, 0, 4, 1, 4},
        {ADMIN_OP_SET_IPV4, 0, 12, 33, 12},    /* prefix 33 */
        {ADMIN_OP_SET_IPV4, 0, 32, 1, 32},
        {ADMIN_OP_CONN_CREATE, 0, 8, 1, 8},
        {ADMIN_OP_CONN_CREATE, 0, 35, 1, 35},
        {ADMIN_OP_CONN_MODIFY, CONN_CMD_RCV_READ, 36, 1, 36}, /* data[4]: RCV_READ has one word */
        {ADMIN_OP_CONN_MODIFY, CONN_CMD_RCV_NXT, 39, 1, 39},
        {ADMIN_OP_CONN_MODIFY, CONN_CMD_SND, 44, 1, 44},       /* data[12]: SND has three */
        {ADMIN_OP_CONN_MODIFY, CONN_CMD_ACK_NOW, 32, 1, 32},   /* ACK_NOW has none */
        {ADMIN_OP_CONN_MODIFY, CONN_CMD_INSERT, 0x10, 0, 8},   /* not a modification */
        {ADMIN_OP_CONN_MODIFY, CONN_CMD_READ, 0x10, 0, 8},
        {ADMIN_OP_CONN_MODIFY, 0, 0x10, 0, 8},
        {ADMIN_OP_CONN_MODIFY, 8, 50, 1, 8},                  /* lowest offset first */
        {ADMIN_OP_CONN_MODIFY, 9, 1, 1, 1},
        {ADMIN_OP_CONN_DESTROY, 0, 16, 1, 16},
        {ADMIN_OP_CONN_READ, 0, 12, 1, 12},
        {ADMIN_OP_CONN_SET_TX, 0, 40, 1, 40},
        {ADMIN_OP_STATS, 0, 8, 2, 8},           /* arg0 bits above 0 */
        {ADMIN_OP_STATS, 0, 13, 1, 12},
        {ADMIN_OP_SET_IRQ_MOD, 0, 8, 32, 8},    /* vector 32 */
        {ADMIN_OP_SET_IRQ_MOD, 0, 36, 1, 36},   /* data[4] */
        {ADMIN_OP_SET_RX_CFG, 0, 32, 0, 32},    /* ts_ticks 0 */
        {ADMIN_OP_SET_RX_CFG, 0, 36, 1, 36},
        {ADMIN_OP_SELF_TEST, 0, 14, 1, 12},
        {ADMIN_OP_SELF_TEST, 0, 31, 1, 28},
    };

    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct field_case *k = &cases[i];
        struct toe_admin_cmd c = mk(k->opcode, (uint16_t)i);
        struct toe_admin_cpl cpl;

        set_valid_fields(&c, k->arg0_ok);
        ((uint8_t *)&c)[k->byte] = k->val;
        fake_clear_logs(x->f);
        cpl = run1(x, &c);
        print_message("case %u: opcode %u byte %u\n", i, k->opcode, k->byte);
        expect(&cpl, ADMIN_STATUS_BAD_FIELD, k->want_off, 0);
        assert_int_equal(x->f->n_cmds, 0);
        assert_int_equal(x->f->n_txops, 0);
        assert_int_equal(x->f->dma_ops, 2); /* the entry in, the completion out */
    }
}

static void set_mac(void **state)
{
    struct fx *x = *state;
    struct toe_admin_cmd c = mk(ADMIN_OP_SET_MAC, 9);
    struct toe_admin_cpl cpl;
    static const uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    static const uint8_t bad[3][6] = {
        {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}, /* multicast */
        {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, /* broadcast */
        {0, 0, 0, 0, 0, 0},
    };

    memcpy(c.data, mac, 6);
    c.arg0 = 1;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(x->f->mac_lo, 0x33221102);
    assert_int_equal(x->f->mac_hi, 0x5544);
    assert_int_equal(x->f->rx_filter, 1);
    c.arg0 = 0;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(x->f->rx_filter, 0);
    for (int i = 0; i < 3; i++) {
        memcpy(c.data, bad[i], 6);
        c.arg0 = 1;
        expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_FIELD, 32, 0);
    }
    assert_int_equal(x->f->mac_lo, 0x33221102);
    assert_int_equal(x->f->rx_filter, 0);
}

static void set_ipv4(void **state)
{
    struct fx *x = *state;
    struct toe_admin_cmd c = mk(ADMIN_OP_SET_IPV4, 1);
    struct toe_admin_cpl cpl;
    const struct toe_admin_identify *id = (const void *)fake_host(x->f, BUF, 64);
    struct toe_admin_cmd ident = mk_buf(ADMIN_OP_IDENTIFY, 2, BUF, 64);

    c.arg0 = 0xc0a80101u;
    c.arg1 = 32;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(x->f->ipv4, 0xc0a80101u);
    expect((cpl = run1(x, &ident), &cpl), ADMIN_STATUS_OK, 64, 0);
    assert_int_equal(id->prefix_len, 32);
    assert_int_equal(id->ipv4, 0xc0a80101u);
    c.arg0 = 0;
    c.arg1 = 0;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    c.arg0 = 0x0a000001u;
    c.arg1 = 33;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_FIELD, 12, 0);
    assert_int_equal(x->f->ipv4, 0);
    expect((cpl = run1(x, &ident), &cpl), ADMIN_STATUS_OK, 64, 0);
    assert_int_equal(id->prefix_len, 0);
}

static void conn_create_ok(void **state)
{
    struct fx *x = *state;
    struct toe_conn_create cc = conn_image(4242);
    struct toe_admin_cmd c = mk_buf(ADMIN_OP_CONN_CREATE, 0x77, BUF, 200);
    struct toe_admin_cpl cpl;
    struct toe_rx_ctx want = cc.rx.rx;

    c.conn_id = TEST_CONN_MAX - 1;
    /* counters the table starts at 0 may be anything in the image */
    cc.rx.rx.segs_in = 77;
    put_host(x, BUF, &cc, sizeof(cc));
    cpl = run1(x, &c);
    expect(&cpl, ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(x->f->n_cmds, 1);
    assert_int_equal(x->f->cmds[0].cmd.op, CONN_CMD_INSERT);
    assert_int_equal(x->f->cmds[0].cmd.conn_id, TEST_CONN_MAX - 1);
    assert_int_equal(x->f->cmds[0].cmd.rsvd0 | x->f->cmds[0].cmd.rsvd1 | x->f->cmds[0].cmd.rsvd2, 0);
    assert_int_equal(x->f->cmds[0].cmd.arg0 | x->f->cmds[0].cmd.arg1 | x->f->cmds[0].cmd.arg2, 0);
    assert_memory_equal(&x->f->cmds[0].ctx, &cc.rx.rx, 128); /* passed as given */
    assert_memory_equal(&x->f->rx[TEST_CONN_MAX - 1], &want, 128);
    assert_int_equal(x->f->n_txops, 1);
    assert_int_equal(x->f->txops[0].op, FW_TXCTX_WRITE);
    assert_int_equal(x->f->txops[0].conn, TEST_CONN_MAX - 1);
    assert_int_equal(x->f->tx_valid[TEST_CONN_MAX - 1], 1);
    assert_memory_equal(x->f->tx[TEST_CONN_MAX - 1], &cc.tx.tx, 48);
    assert_int_equal(x->fw.installed[(TEST_CONN_MAX - 1) / 32], 0x80000000u);
}

static void conn_create_errors(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_conn_create cc = conn_image(80);
    struct toe_admin_cmd c = mk_buf(ADMIN_OP_CONN_CREATE, 1, BUF, 176);
    struct toe_admin_cpl cpl;
    static const uint8_t scripted[] = {CONN_STATUS_BUSY, CONN_STATUS_EXISTS,
                                       CONN_STATUS_TABLE_FULL, CONN_STATUS_BAD_CTX,
                                       CONN_STATUS_BAD_ID};
    struct {
        uint32_t off;
        uint8_t val;
    } bad_bytes[] = {
        {20, 0x10},  {103, 1}, {116, 1}, {119, 0x80}, {120, 1}, {127, 1}, /* rx: flags, rsvd */
        {128 + 14, 0x08}, {128 + 43, 1}, {128 + 44, 1}, {128 + 47, 1},  /* tx: flags, rsvd */
    };
    static const uint32_t bad_want[] = {20, 103, 116, 116, 120, 120, 142, 171, 172, 172};

    put_host(x, BUF, &cc, sizeof(cc));
    c.conn_id = TEST_CONN_MAX;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_CONN, TEST_CONN_MAX, 0);
    c.conn_id = 0xffff;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_CONN, TEST_CONN_MAX, 0);
    c.conn_id = 3;
    c.len = 175;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BUF_SMALL, 176, 0);
    c.len = 176;
    c.addr = OUTSIDE;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    /* the RX half inside, the TX half outside */
    c.addr = HOST_BASE + HOST_SIZE - 128;
    put_host(x, c.addr, &cc, 128);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    c.addr = BUF;
    assert_int_equal(f->n_cmds, 0);

    for (unsigned i = 0; i < sizeof(bad_bytes) / sizeof(bad_bytes[0]); i++) {
        uint8_t *h = fake_host(f, BUF + bad_bytes[i].off, 1);

        *h = bad_bytes[i].val;
        expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_FIELD, bad_want[i], 1);
        *h = 0;
    }
    assert_int_equal(f->n_cmds, 0);

    for (unsigned i = 0; i < sizeof(scripted); i++) {
        f->script[0] = scripted[i];
        f->n_script = 1;
        f->script_pos = 0;
        expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, scripted[i], 0);
    }
    f->n_script = 0;
    assert_int_equal(f->n_cmds, 5);
    assert_int_equal(f->n_txops, 0); /* no TX context for an id the table refused */

    /* the fake's own table: BUSY, EXISTS, BAD_CTX */
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, CONN_STATUS_BUSY, 0);
    c.conn_id = 4;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, CONN_STATUS_EXISTS, 0);
    cc = conn_image(81);
    cc.rx.rx.mss = 10;
    put_host(x, BUF, &cc, sizeof(cc));
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, CONN_STATUS_BAD_CTX, 0);
    assert_int_equal(f->n_txops, 1);
    assert_int_equal(x->fw.installed[0], 1u << 3);

    /* a response that is not the command's: the port failed */
    cc = conn_image(82);
    put_host(x, BUF, &cc, sizeof(cc));
    f->rsp_wrong_tag = 1;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, 0x100, 0);
    assert_int_equal(x->fw.cnt.hw_errors, 1);
}

static void conn_modify(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk(ADMIN_OP_CONN_MODIFY, 1);
    struct toe_admin_cpl cpl;
    uint32_t a[3];

    create(x, 7, 1000);
    fake_clear_logs(f);
    c.conn_id = 7;

    c.arg0 = CONN_CMD_RCV_NXT;
    a[0] = 3000;
    memcpy(c.data, a, 4);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(f->rx[7].rcv_nxt, 3000);

    c.arg0 = CONN_CMD_RCV_READ;
    a[0] = 2000;
    memcpy(c.data, a, 4);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(f->rx[7].rcv_read, 2000);
    a[0] = 5000; /* beyond rcv_nxt */
    memcpy(c.data, a, 4);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, CONN_STATUS_BAD_ARG, 0);

    c.arg0 = CONN_CMD_SND;
    a[0] = 0x80000010u;
    a[1] = 0x80000000u;
    a[2] = 65535;
    memcpy(c.data, a, 12);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(f->rx[7].snd_nxt, 0x80000010u);
    assert_int_equal(f->rx[7].snd_una, 0x80000000u);
    assert_int_equal(f->rx[7].snd_wnd, 65535);

    c.arg0 = CONN_CMD_ACK_NOW;
    memset(c.data, 0, sizeof(c.data));
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(f->rx[7].acks_out, 1);

    assert_int_equal(f->n_cmds, 5);
    {
        static const uint32_t ops[] = {CONN_CMD_RCV_NXT, CONN_CMD_RCV_READ, CONN_CMD_RCV_READ,
                                       CONN_CMD_SND, CONN_CMD_ACK_NOW};
        static const uint32_t arg0[] = {3000, 2000, 5000, 0x80000010u, 0};

        for (int i = 0; i < 5; i++) {
            assert_int_equal(f->cmds[i].cmd.op, ops[i]);
            assert_int_equal(f->cmds[i].cmd.conn_id, 7);
            assert_int_equal(f->cmds[i].cmd.arg0, arg0[i]);
        }
        assert_int_equal(f->cmds[3].cmd.arg1, 0x80000000u);
        assert_int_equal(f->cmds[3].cmd.arg2, 65535);
        assert_int_equal(f->cmds[0].cmd.arg1 | f->cmds[0].cmd.arg2, 0);
    }

    c.conn_id = 9; /* not installed */
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, CONN_STATUS_NOT_FOUND, 0);
    c.conn_id = 300;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_CONN, TEST_CONN_MAX, 0);
    assert_int_equal(f->n_txops, 0);
}

static void conn_destroy(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk(ADMIN_OP_CONN_DESTROY, 1);
    struct toe_admin_cpl cpl;

    create(x, 33, 1000);
    fake_clear_logs(f);
    c.conn_id = 33;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(f->n_cmds, 1);
    assert_int_equal(f->cmds[0].cmd.op, CONN_CMD_DELETE);
    assert_int_equal(f->cmds[0].cmd.conn_id, 33);
    assert_int_equal(f->n_txops, 1);
    assert_int_equal(f->txops[0].op, FW_TXCTX_CLEAR);
    assert_int_equal(f->txops[0].conn, 33);
    assert_int_equal(f->installed[33] | f->tx_valid[33], 0);
    assert_int_equal(x->fw.installed[1], 0);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, CONN_STATUS_NOT_FOUND, 0);
    assert_int_equal(f->n_txops, 1);
    c.conn_id = TEST_CONN_MAX;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_CONN, TEST_CONN_MAX, 0);
}

static void conn_read(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk_buf(ADMIN_OP_CONN_READ, 1, BUF + 0x1000, 200);
    struct toe_admin_cpl cpl;
    uint8_t *h = fake_host(f, BUF + 0x1000, 200);
    struct toe_conn_create cc = conn_image(7);

    create(x, 12, 5555);
    f->rx[12].segs_in = 41; /* the table's state, as traffic would leave it */
    f->rx[12].rcv_nxt = 0x12345;
    memset(h, 0xee, 200);
    c.conn_id = 12;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 176, 0);
    assert_memory_equal(h, &f->rx[12], 128);
    assert_memory_equal(h + 128, f->tx[12], 48);
    assert_int_equal(h[176], 0xee);

    c.conn_id = 13;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_NO_TX_CTX, 0, 0);
    c.conn_id = 12;
    c.len = 175;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BUF_SMALL, 176, 0);
    c.len = 176;
    c.addr = OUTSIDE;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    /* an RX entry without its TX context: reported as no connection, counted */
    fake_table_put(f, 14, &cc.rx.rx, &cc.tx.tx);
    f->tx_valid[14] = 0;
    c.addr = BUF;
    c.conn_id = 14;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_NO_TX_CTX, 0, 0);
    assert_int_equal(x->fw.cnt.hw_errors, 1);
    c.conn_id = 0x100;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_CONN, TEST_CONN_MAX, 0);
}

static void conn_set_tx(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk_buf(ADMIN_OP_CONN_SET_TX, 1, BUF + 0x2000, 48);
    struct toe_admin_cpl cpl;
    struct toe_tx_ctx tx = conn_image(6).tx.tx;

    create(x, 6, 6);
    tx.rcv_nxt = 0xabcdef01u;
    tx.rcv_wnd = 1024;
    tx.flags = CTX_FLAG_VLAN;
    tx.vlan_tci = 0x2064;
    put_host(x, BUF + 0x2000, &tx, 48);
    c.conn_id = 6;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_memory_equal(f->tx[6], &tx, 48);
    assert_int_equal(f->tx_valid[6], 1);

    c.conn_id = 8;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_NO_TX_CTX, 0, 0);
    assert_int_equal(f->tx_valid[8], 0);
    c.conn_id = 6;
    c.len = 47;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BUF_SMALL, 48, 0);
    c.len = 48;
    tx.flags = 0x80;
    put_host(x, BUF + 0x2000, &tx, 48);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_FIELD, 14, 1);
    tx.flags = 0;
    tx.rsvd0 = 1;
    put_host(x, BUF + 0x2000, &tx, 48);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_FIELD, 43, 1);
    c.addr = OUTSIDE;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    assert_int_equal(f->tx[6][36], 0x00); /* rcv_wnd 1024 still: 0x0400 */
    assert_int_equal(f->tx[6][37], 0x04);
}

static void set_counters(struct fake_win *f, uint32_t base)
{
    for (uint32_t i = 0; i < TX_CNT_NUM; i++)
        f->tx_cnt[i] = base + 1000 + i;
    for (uint32_t i = 0; i < RX_CNT_NUM; i++)
        f->rx_cnt[i] = base + 2000 + i;
    for (uint32_t i = 0; i < DEV_CNT_NUM; i++)
        f->dev_cnt[i] = base + 3000 + i;
}

static void stats_baseline_and_wrap(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk_buf(ADMIN_OP_STATS, 1, BUF, 300);
    struct toe_admin_cpl cpl;
    const uint32_t *h = (const uint32_t *)fake_host(f, BUF, 300);
    uint32_t n = 0;

    set_counters(f, 0);
    memset(fake_host(f, BUF, 300), 0xee, 300);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    for (uint32_t i = 0; i < TX_CNT_NUM; i++)
        assert_int_equal(h[n++], 1000 + i);
    for (uint32_t i = 0; i < RX_CNT_NUM; i++)
        assert_int_equal(h[n++], 2000 + i);
    for (uint32_t i = 0; i < DEV_CNT_NUM; i++)
        assert_int_equal(h[n++], 3000 + i);
    assert_int_equal(n, 68);
    assert_int_equal(h[68], 0xeeeeeeeeu);

    /* clear: the values read become the baseline */
    c.arg0 = 1;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    assert_int_equal(h[0], 1000);
    c.arg0 = 0;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    for (uint32_t i = 0; i < 68; i++)
        assert_int_equal(h[i], 0);
    f->tx_cnt[TX_CNT_FRAMES] += 5;
    f->dev_cnt[DEV_CNT_NUM - 1] += 1;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    assert_int_equal(h[TX_CNT_FRAMES], 5);
    assert_int_equal(h[67], 1);

    /* across 2^32: baseline 0xfffffff0, counter 0x10 -> 0x20 */
    f->rx_cnt[RX_CNT_BYTES] = 0xfffffff0u;
    c.arg0 = 1;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    f->rx_cnt[RX_CNT_BYTES] = 0x10;
    c.arg0 = 0;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    assert_int_equal(h[TX_CNT_NUM + RX_CNT_BYTES], 0x20);

    /* a clear that cannot be delivered does not happen */
    c.arg0 = 1;
    c.addr = OUTSIDE;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    c.arg0 = 0;
    c.addr = BUF;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    assert_int_equal(h[TX_CNT_NUM + RX_CNT_BYTES], 0x20);
    c.len = 271;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BUF_SMALL, 272, 0);
}

static void set_irq_mod(void **state)
{
    struct fx *x = *state;
    struct toe_admin_cmd c = mk(ADMIN_OP_SET_IRQ_MOD, 1);
    struct toe_admin_cpl cpl;
    uint32_t count = 16;

    c.arg0 = 5;
    c.arg1 = 50000;
    memcpy(c.data, &count, 4);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(x->f->vec[10], 50000);
    assert_int_equal(x->f->vec[11], 16);
    c.arg0 = 31;
    c.arg1 = 1;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(x->f->vec[62], 1);
    assert_int_equal(x->f->vec[63], 16);
    c.arg0 = 32;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_FIELD, 8, 0);
    for (int i = 0; i < 64; i++)
        if (i != 10 && i != 11 && i != 62 && i != 63)
            assert_int_equal(x->f->vec[i], 0);
}

static void set_rx_cfg(void **state)
{
    struct fx *x = *state;
    struct toe_admin_cmd c = mk(ADMIN_OP_SET_RX_CFG, 1);
    struct toe_admin_cpl cpl;
    uint32_t ts = 10;

    c.arg0 = 100000; /* above DELACK_TICKS_MAX: the hardware caps it */
    c.arg1 = 0;      /* no coalescing: an event per placement */
    memcpy(c.data, &ts, 4);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(x->f->delack, 100000);
    assert_int_equal(x->f->coalesce, 0);
    assert_int_equal(x->f->ts_ticks, 10);
    memset(c.data, 0, 4);
    c.arg0 = 1;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_FIELD, 32, 0);
    assert_int_equal(x->f->delack, 100000);
}

static void admin_reset(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk(ADMIN_OP_RESET, 1);
    struct toe_admin_cpl cpl;
    static const uint16_t ids[] = {3, 40, 255};

    for (int i = 0; i < 3; i++)
        create(x, ids[i], (uint16_t)(100 + i));
    f->mac_lo = 0x44332202;
    set_counters(f, 7);
    fake_clear_logs(f);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 3, 0);
    assert_int_equal(f->n_cmds, 3);
    assert_int_equal(f->n_txops, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(f->cmds[i].cmd.op, CONN_CMD_DELETE);
        assert_int_equal(f->cmds[i].cmd.conn_id, ids[i]);
        assert_int_equal(f->txops[i].op, FW_TXCTX_CLEAR);
        assert_int_equal(f->txops[i].conn, ids[i]);
        assert_int_equal(f->installed[ids[i]] | f->tx_valid[ids[i]], 0);
    }
    for (int w = 0; w < (int)(CONN_MAX_MAX / 32); w++)
        assert_int_equal(x->fw.installed[w], 0);
    assert_int_equal(f->mac_lo, 0x44332202); /* configuration stays */
    c = mk_buf(ADMIN_OP_STATS, 2, BUF, 272);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 272, 0);
    for (int i = 0; i < 68; i++)
        assert_int_equal(host32(x, BUF + 4u * (uint32_t)i), 0);
    /* and again with nothing installed */
    c = mk(ADMIN_OP_RESET, 3);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
}

/* ---- SELF_TEST ---------------------------------------------------------------------- */

static struct toe_admin_cpl self_test(struct fx *x, uint16_t tag)
{
    struct toe_admin_cmd c = mk_buf(ADMIN_OP_SELF_TEST, tag, BUF, 256);

    c.conn_id = 10;
    return run1(x, &c);
}

static void self_test_pass(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cpl cpl = self_test(x, 0x42);
    static const uint8_t ops[] = {CONN_CMD_INSERT, CONN_CMD_READ, CONN_CMD_DELETE, CONN_CMD_READ};
    static const uint32_t txops[] = {FW_TXCTX_READ, FW_TXCTX_WRITE, FW_TXCTX_READ,
                                     FW_TXCTX_CLEAR, FW_TXCTX_READ};

    expect(&cpl, ADMIN_STATUS_OK, 0, 0);
    assert_int_equal(f->n_cmds, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(f->cmds[i].cmd.op, ops[i]);
        assert_int_equal(f->cmds[i].cmd.conn_id, 10);
    }
    assert_int_equal(f->cmds[0].ctx.local_port, 0); /* a 4-tuple no connection has */
    assert_int_equal(f->cmds[0].ctx.remote_port, 0);
    assert_int_equal(f->n_txops, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(f->txops[i].op, txops[i]);
        assert_int_equal(f->txops[i].conn, 10);
    }
    assert_int_equal(f->installed[10] | f->tx_valid[10], 0);
    assert_int_equal(x->fw.installed[0], 0);
    /* the scratch buffer holds the second (inverted) loopback pass */
    for (uint32_t i = 0; i < 64; i++)
        assert_int_equal(host32(x, BUF + 4 * i), ~(0x5a000000u | 0x42u << 8 | i));
    assert_int_equal(f->dma_ops, 2 + 4); /* entry, completion, two passes out and back */
}

static void self_test_failures(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cpl cpl;
    struct toe_admin_cmd c;

    f->mbox_stuck = 1;
    f->mbox_stuck_off = 0x800;
    f->mbox_stuck_mask = 0x100;
    expect((cpl = self_test(x, 1), &cpl), ADMIN_STATUS_SELFTEST_FAIL, TOE_FW_ST_MBOX, 0);
    f->dma_flip_len = 256; /* the loopback's transfers, not the completion */
    expect((cpl = self_test(x, 2), &cpl), ADMIN_STATUS_SELFTEST_FAIL,
           TOE_FW_ST_MBOX | TOE_FW_ST_DMA, 0);
    f->mbox_stuck = 0;
    f->dma_flip_len = 0;
    expect((cpl = self_test(x, 3), &cpl), ADMIN_STATUS_OK, 0, 0);

    f->read_ctx_flip = 1;
    expect((cpl = self_test(x, 4), &cpl), ADMIN_STATUS_SELFTEST_FAIL, TOE_FW_ST_CONN, 0);
    f->read_ctx_flip = 0;
    assert_int_equal(f->installed[10], 0); /* deleted all the same */

    f->id = 0x12345678;
    expect((cpl = self_test(x, 5), &cpl), ADMIN_STATUS_SELFTEST_FAIL, TOE_FW_ST_ID, 0);
    f->id = DEV_ID_MAGIC;

    /* an INSERT the table refuses: CONN failed, nothing to delete */
    f->script[0] = CONN_STATUS_EXISTS;
    f->n_script = 1;
    f->script_pos = 0;
    fake_clear_logs(f);
    expect((cpl = self_test(x, 6), &cpl), ADMIN_STATUS_SELFTEST_FAIL, TOE_FW_ST_CONN, 0);
    assert_int_equal(f->n_cmds, 1);
    f->n_script = 0;

    /* a TX context that is already there (the table disagrees with us) */
    f->tx_valid[10] = 1;
    expect((cpl = self_test(x, 7), &cpl), ADMIN_STATUS_SELFTEST_FAIL, TOE_FW_ST_TXCTX, 0);
    assert_int_equal(f->tx_valid[10], 0);

    c = mk_buf(ADMIN_OP_SELF_TEST, 8, BUF, 255);
    c.conn_id = 10;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BUF_SMALL, 256, 0);
    c.len = 256;
    c.addr = OUTSIDE;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    c.addr = BUF;
    c.conn_id = TEST_CONN_MAX;
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_BAD_CONN, TEST_CONN_MAX, 0);

    /* conn_id must be free */
    create(x, 10, 10);
    fake_clear_logs(f);
    expect((cpl = self_test(x, 9), &cpl), ADMIN_STATUS_CONN_ERROR, CONN_STATUS_BUSY, 0);
    assert_int_equal(f->n_cmds, 0);
    assert_int_equal(f->installed[10], 1);
}

/* ---- the rings --------------------------------------------------------------------- */

/* ASQ of 2 and ACQ of 4 entries, 11 commands: every slot reused, the phase
 * flipping every 4 completions. */
static void ring_wrap_and_phase(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    uint32_t k = 0;

    fake_ring_enable(f, &f->asq, ASQ_BASE, 1);
    fake_ring_enable(f, &f->acq, ACQ_BASE, 2);
    while (k < 11) {
        uint32_t batch = k % 3 == 0 ? 2 : 1;
        struct toe_admin_cpl cpl;

        for (uint32_t b = 0; b < batch && k + b < 11; b++) {
            struct toe_admin_cmd c = mk(ADMIN_OP_SET_IPV4, (uint16_t)(0x300 + k + b));

            c.arg0 = k + b;
            fake_submit(f, &c);
        }
        toe_fw_service(&x->fw);
        while (fake_take_cpl(f, &cpl)) {
            const struct toe_admin_cpl *slot =
                (const void *)fake_host(f, ACQ_BASE + 16 * (k % 4), 16);

            assert_int_equal(cpl.tag, 0x300 + k);
            assert_int_equal(cpl.flags, ((k >> 2) & 1) ^ 1);
            assert_int_equal(cpl.sq_head, k + 1);
            assert_int_equal(cpl.status, ADMIN_STATUS_OK);
            assert_memory_equal(slot, &cpl, 16);
            k++;
        }
        assert_int_equal(f->ipv4, k - 1); /* every submission of the batch ran, in order */
    }
    assert_int_equal(f->asq.cons, 11);
    assert_int_equal(f->acq.prod, 11);
}

/* Free-running indices across 2^32: slots, phase and sq_head follow. */
static void ring_index_wrap_2_32(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    static const uint8_t phases[] = {0, 0, 1}; /* ACQ prod 0xfffffffe, 0xffffffff, 0 (log2 2) */
    static const uint16_t heads[] = {0xffff, 0x0000, 0x0001};

    f->asq.prod = f->asq.cons = 0xfffffffeu;
    f->acq.prod = f->acq.cons = 0xfffffffeu;
    for (int i = 0; i < 3; i++) {
        struct toe_admin_cmd c = mk(ADMIN_OP_SET_IPV4, (uint16_t)i);

        fake_submit(f, &c);
    }
    f->acq.log2 = 2;
    toe_fw_service(&x->fw);
    for (int i = 0; i < 3; i++) {
        uint32_t prod = 0xfffffffeu + (uint32_t)i;
        const struct toe_admin_cpl *slot =
            (const void *)fake_host(f, ACQ_BASE + 16 * (prod & 3), 16);

        assert_int_equal(slot->tag, i);
        assert_int_equal(slot->flags, phases[i]);
        assert_int_equal(slot->sq_head, heads[i]);
    }
    assert_int_equal(f->asq.cons, 1);
    assert_int_equal(f->acq.prod, 1);
}

static void acq_full_waits_and_resumes(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cpl cpl;

    fake_ring_enable(f, &f->acq, ACQ_BASE, 1); /* 2 entries */
    for (int i = 0; i < 3; i++) {
        struct toe_admin_cmd c = mk(ADMIN_OP_RESET, (uint16_t)(10 + i));

        fake_submit(f, &c);
    }
    toe_fw_service(&x->fw);
    assert_int_equal(f->acq.prod, 2);
    assert_int_equal(f->asq.cons, 2); /* the third waits in ASQ */
    assert_int_equal(x->fw.waiting_acq, 1);
    assert_int_equal(x->fw.cnt.acq_full_waits, 1);
    toe_fw_service(&x->fw); /* still full: nothing, counted once */
    assert_int_equal(f->acq.prod, 2);
    assert_int_equal(x->fw.cnt.acq_full_waits, 1);

    assert_true(fake_take_cpl(f, &cpl));
    assert_int_equal(cpl.tag, 10);
    toe_fw_service(&x->fw);
    assert_int_equal(f->acq.prod, 3);
    assert_int_equal(f->asq.cons, 3);
    assert_int_equal(x->fw.waiting_acq, 0);
    assert_true(fake_take_cpl(f, &cpl));
    assert_int_equal(cpl.tag, 11);
    assert_int_equal(cpl.flags, 1);
    assert_true(fake_take_cpl(f, &cpl));
    assert_int_equal(cpl.tag, 12);
    assert_int_equal(cpl.flags, 0); /* second pass over 2 slots */
    assert_int_equal(cpl.sq_head, 3);

    /* a disabled ACQ holds submissions the same way */
    f->acq.enabled = 0;
    {
        struct toe_admin_cmd c = mk(ADMIN_OP_RESET, 13);

        fake_submit(f, &c);
    }
    toe_fw_service(&x->fw);
    assert_int_equal(f->asq.cons, 3);
    assert_int_equal(x->fw.cnt.acq_full_waits, 2);
    f->acq.enabled = 1;
    toe_fw_service(&x->fw);
    assert_int_equal(f->asq.cons, 4);
}

static void asq_disabled_or_empty(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk(ADMIN_OP_RESET, 1);
    uint32_t reads;

    toe_fw_service(&x->fw); /* empty */
    assert_int_equal(f->dma_ops, 0);
    f->asq.enabled = 0;
    fake_submit(f, &c);
    reads = f->reads;
    toe_fw_service(&x->fw);
    assert_int_equal(f->dma_ops, 0);
    assert_int_equal(f->reads, reads + 1); /* FW_ATTN, nothing else */
    assert_int_equal(f->asq.cons, 0);
}

/* An ASQ entry the mover refuses: nothing to complete; the firmware stops,
 * says NOT_READY, and a function-level reset brings it back. */
static void asq_fault_stops_until_reset(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk(ADMIN_OP_RESET, 1);
    struct toe_admin_cpl cpl;

    fake_ring_enable(f, &f->asq, 0x1000, 3); /* not host memory */
    f->asq.prod = 1;
    toe_fw_service(&x->fw);
    assert_int_equal(x->fw.cnt.asq_faults, 1);
    assert_int_equal(x->fw.stopped, 1);
    assert_int_equal(f->asq.cons, 0);
    assert_int_equal(f->acq.prod, 0);
    assert_int_equal(f->n_ctrl, 1);
    assert_int_equal(f->ctrl_log[0], FW_CTRL_NOT_READY);
    assert_int_equal(f->fw_ready, 0);
    toe_fw_service(&x->fw);
    assert_int_equal(f->dma_faults, 1); /* not tried again */

    fake_flr(f);
    toe_fw_service(&x->fw);
    assert_int_equal(f->fw_ready, 1);
    assert_int_equal(x->fw.stopped, 0);
    fake_ring_enable(f, &f->asq, ASQ_BASE, 3);
    fake_ring_enable(f, &f->acq, ACQ_BASE, 3);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_OK, 0, 0);
}

/* A completion the mover refuses: the command ran, its completion is lost, the
 * firmware stops with ASQ CONS where it was. */
static void acq_fault_stops(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk(ADMIN_OP_SET_IPV4, 1);

    fake_ring_enable(f, &f->acq, HOST_BASE + HOST_SIZE - 8, 3);
    c.arg0 = 0x0a0a0a0a;
    fake_submit(f, &c);
    fake_submit(f, &c);
    toe_fw_service(&x->fw);
    assert_int_equal(f->ipv4, 0x0a0a0a0a);
    assert_int_equal(x->fw.cnt.acq_faults, 1);
    assert_int_equal(x->fw.cnt.cmds, 0);
    assert_int_equal(f->asq.cons, 0);
    assert_int_equal(f->acq.prod, 0);
    assert_int_equal(f->fw_ready, 0);
}

/* Eight submissions in one service, in order; the mover and the command port
 * answer BUSY for a while after every GO. */
static void batch_in_order_with_busy(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cpl cpl;

    f->busy_reads = 3;
    for (int i = 0; i < 8; i++) {
        struct toe_admin_cmd c = mk(ADMIN_OP_CONN_DESTROY, (uint16_t)(0x900 + i));

        c.conn_id = (uint16_t)i;
        fake_submit(f, &c);
    }
    toe_fw_service(&x->fw);
    for (int i = 0; i < 8; i++) {
        assert_true(fake_take_cpl(f, &cpl));
        assert_int_equal(cpl.tag, 0x900 + i);
        expect(&cpl, ADMIN_STATUS_CONN_ERROR, CONN_STATUS_NOT_FOUND, 0);
        assert_int_equal(f->cmds[i].cmd.conn_id, i);
    }
    assert_false(fake_take_cpl(f, &cpl));
    assert_int_equal(f->busy_seen, 8 * 3 * 3); /* entry, command, completion per submission */
    create(x, 1, 1);
    assert_int_equal(f->installed[1], 1);
}

/* The window answering against its contract: counted, reported, no hang. */
static void hardware_contract_violations(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    struct toe_admin_cmd c = mk_buf(ADMIN_OP_IDENTIFY, 1, BUF, 64);
    struct toe_admin_cpl cpl;

    f->dma_bad_arg_at = 2; /* the IDENTIFY write (1 is the entry read) */
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_DMA_FAULT, 0, 0);
    assert_int_equal(x->fw.cnt.hw_errors, 1);
    f->cmd_bad_off_next = 1;
    c = mk(ADMIN_OP_CONN_DESTROY, 2);
    expect((cpl = run1(x, &c), &cpl), ADMIN_STATUS_CONN_ERROR, 0x100, 0);
    assert_int_equal(x->fw.cnt.hw_errors, 2);
    /* the entry read itself: treated as a refused ring read */
    fake_clear_logs(f);
    f->dma_bad_arg_at = 1;
    fake_submit(f, &c);
    toe_fw_service(&x->fw);
    assert_int_equal(x->fw.cnt.hw_errors, 3);
    assert_int_equal(x->fw.cnt.asq_faults, 1);
    assert_int_equal(x->fw.stopped, 1);
}

static uint32_t need_of(uint8_t op)
{
    switch (op) {
    case ADMIN_OP_IDENTIFY: return 64;
    case ADMIN_OP_CONN_CREATE:
    case ADMIN_OP_CONN_READ: return 176;
    case ADMIN_OP_CONN_SET_TX: return 48;
    case ADMIN_OP_STATS: return 272;
    case ADMIN_OP_SELF_TEST: return 256;
    default: return 64;
    }
}

/* A field: usually something sensible for the opcode, sometimes anything. */
static uint32_t maybe_random(uint32_t sensible)
{
    return test_rand_below(6) == 0 ? (uint32_t)test_rand64() : sensible;
}

/*
 * Hostile and random commands, seeded (TOE_SEED): every one gets exactly one
 * completion with its tag, opcode and a defined status; the window is never
 * misused; and the firmware's installed set always equals the table's, with a
 * TX context exactly where there is an RX entry. Function-level resets come
 * in between. Every status but SELFTEST_FAIL must have been seen.
 */
static void random_commands_keep_state_consistent(void **state)
{
    struct fx *x = *state;
    struct fake_win *f = x->f;
    uint32_t seen[16] = {0};
    uint32_t tag = 0, live, peak = 0;

    for (int n = 0; n < 4000; n++) {
        struct toe_admin_cmd c;
        struct toe_admin_cpl cpl;
        uint32_t r = test_rand_below(20);
        uint8_t op = (uint8_t)(r < 14 ? r : (r < 19 ? 1 + test_rand_below(13) : test_rand64()));
        uint32_t need;

        if (op == ADMIN_OP_RESET && test_rand_below(4) != 0)
            op = ADMIN_OP_CONN_CREATE; /* let connections pile up between resets */
        need = need_of(op);

        if (test_rand_below(400) == 0) {
            fake_flr(f);
            toe_fw_service(&x->fw);
            fake_ring_enable(f, &f->asq, ASQ_BASE, 3);
            fake_ring_enable(f, &f->acq, ACQ_BASE, 3);
        }
        memset(&c, 0, sizeof(c));
        c.opcode = op;
        c.tag = (uint16_t)tag++;
        if (test_rand_below(16) == 0)
            ((uint8_t *)&c)[test_rand_below(64)] = (uint8_t)test_rand64();
        /* the fields the opcode uses (docs/device.md's table); the others stay 0 */
        if (op == ADMIN_OP_CONN_CREATE || (op >= ADMIN_OP_CONN_MODIFY && op <= ADMIN_OP_CONN_SET_TX) ||
            op == ADMIN_OP_SELF_TEST)
            c.conn_id = (uint16_t)(test_rand_below(8) ? test_rand_below(12) : test_rand64());
        if (op == ADMIN_OP_SET_MAC || op == ADMIN_OP_SET_IPV4 || op == ADMIN_OP_CONN_MODIFY ||
            op == ADMIN_OP_STATS || op == ADMIN_OP_SET_IRQ_MOD || op == ADMIN_OP_SET_RX_CFG)
            c.arg0 = maybe_random(op == ADMIN_OP_CONN_MODIFY ? 4 + test_rand_below(4)
                                  : test_rand_below(op == ADMIN_OP_SET_IRQ_MOD ? 40 : 2));
        if (op == ADMIN_OP_SET_IPV4 || op == ADMIN_OP_SET_IRQ_MOD || op == ADMIN_OP_SET_RX_CFG)
            c.arg1 = maybe_random(test_rand_below(40));
        if (op == ADMIN_OP_IDENTIFY || op == ADMIN_OP_CONN_CREATE || op == ADMIN_OP_CONN_READ ||
            op == ADMIN_OP_CONN_SET_TX || op == ADMIN_OP_STATS || op == ADMIN_OP_SELF_TEST) {
            c.addr = test_rand_below(8) ? BUF + 512u * test_rand_below(16)
                                        : (test_rand_below(2) ? OUTSIDE : test_rand64());
            c.len = test_rand_below(4) ? need : maybe_random(need - 1);
        }
        if (op == ADMIN_OP_SET_MAC) {
            c.data[0] = (uint8_t)(test_rand_below(8) ? 0x02 : test_rand64());
            c.data[5] = (uint8_t)test_rand64();
        } else if (op == ADMIN_OP_CONN_MODIFY) {
            uint32_t a[3] = {maybe_random(1000 + test_rand_below(3000)), test_rand_below(2000),
                             test_rand_below(70000)};

            memcpy(c.data, a, c.arg0 == CONN_CMD_SND ? 12 : (c.arg0 == CONN_CMD_ACK_NOW ? 0 : 4));
        } else if (op == ADMIN_OP_SET_IRQ_MOD || op == ADMIN_OP_SET_RX_CFG) {
            c.data[0] = (uint8_t)test_rand_below(4);
        }
        if ((op == ADMIN_OP_CONN_CREATE || op == ADMIN_OP_CONN_SET_TX) &&
            fake_host(f, c.addr, 176)) {
            struct toe_conn_create cc = conn_image((uint16_t)test_rand_below(16));
            uint8_t *img = (uint8_t *)&cc;

            if (test_rand_below(6) == 0)
                img[test_rand_below(176)] ^= (uint8_t)(1u << test_rand_below(8));
            if (op == ADMIN_OP_CONN_SET_TX)
                put_host(x, c.addr, &cc.tx, 48);
            else
                put_host(x, c.addr, &cc, 176);
        }

        cpl = run1(x, &c);
        assert_true(cpl.status <= ADMIN_STATUS_NO_TX_CTX);
        seen[cpl.status]++;
        assert_int_equal(x->fw.stopped, 0);
        live = 0;
        for (uint32_t id = 0; id < TEST_CONN_MAX; id++) {
            int fw_has = (x->fw.installed[id >> 5] >> (id & 31)) & 1;

            live += (uint32_t)fw_has;
            if (fw_has != f->installed[id] || f->tx_valid[id] != f->installed[id])
                fail_msg("after command %d (opcode %u, status %u): id %u firmware %d table %d tx %d",
                         n, op, cpl.status, id, fw_has, f->installed[id], f->tx_valid[id]);
        }
        if (live > peak)
            peak = live;
    }
    print_message("connections installed at most at once: %u\n", peak);
    assert_true(peak >= 4); /* the consistency check had something to check */
    print_message("statuses: OK %u BAD_OPCODE %u BAD_FIELD %u BAD_CONN %u DMA_FAULT %u BUF_SMALL %u "
                  "CONN_ERROR %u SELFTEST_FAIL %u NO_TX_CTX %u\n",
                  seen[0], seen[1], seen[2], seen[3], seen[4], seen[5], seen[6], seen[7], seen[8]);
    for (int st = 0; st <= ADMIN_STATUS_NO_TX_CTX; st++)
        if (st != ADMIN_STATUS_SELFTEST_FAIL)
            assert_true(seen[st] > 0);
    assert_int_equal(seen[ADMIN_STATUS_SELFTEST_FAIL], 0); /* nothing is broken */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reset_attention_initialises, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_attention_before_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_attention_stuck_returns, setup, teardown),
        cmocka_unit_test_setup_teardown(init_without_reset_walks_table, setup, teardown),
        cmocka_unit_test_setup_teardown(identify_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(identify_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_opcode, setup, teardown),
        cmocka_unit_test_setup_teardown(field_validation_offsets, setup, teardown),
        cmocka_unit_test_setup_teardown(set_mac, setup, teardown),
        cmocka_unit_test_setup_teardown(set_ipv4, setup, teardown),
        cmocka_unit_test_setup_teardown(conn_create_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(conn_create_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(conn_modify, setup, teardown),
        cmocka_unit_test_setup_teardown(conn_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(conn_read, setup, teardown),
        cmocka_unit_test_setup_teardown(conn_set_tx, setup, teardown),
        cmocka_unit_test_setup_teardown(stats_baseline_and_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(set_irq_mod, setup, teardown),
        cmocka_unit_test_setup_teardown(set_rx_cfg, setup, teardown),
        cmocka_unit_test_setup_teardown(admin_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(self_test_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(self_test_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(ring_wrap_and_phase, setup, teardown),
        cmocka_unit_test_setup_teardown(ring_index_wrap_2_32, setup, teardown),
        cmocka_unit_test_setup_teardown(acq_full_waits_and_resumes, setup, teardown),
        cmocka_unit_test_setup_teardown(asq_disabled_or_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(asq_fault_stops_until_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(acq_fault_stops, setup, teardown),
        cmocka_unit_test_setup_teardown(batch_in_order_with_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(hardware_contract_violations, setup, teardown),
        cmocka_unit_test_setup_teardown(random_commands_keep_state_consistent, setup, teardown),
    };

    test_seed_init("test_fw");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
