/*
 * The admin client: commands to the firmware on ASQ, completions on ACQ
 * (docs/device.md, "The firmware and the admin queue"; docs/formats.md,
 * ADMIN_OP). One command at a time: submit, then wait for the completion
 * whose phase is new and whose tag, opcode and sq_head are the ones expected.
 * Anything else on ACQ is counted and skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "toe_drv_priv.h"

#define ADMIN_TIMEOUT_NS_DEFAULT 1000000000ull

static const char *const status_names[] = {
    [ADMIN_STATUS_OK] = "OK",
    [ADMIN_STATUS_BAD_OPCODE] = "BAD_OPCODE",
    [ADMIN_STATUS_BAD_FIELD] = "BAD_FIELD",
    [ADMIN_STATUS_BAD_CONN] = "BAD_CONN",
    [ADMIN_STATUS_DMA_FAULT] = "DMA_FAULT",
    [ADMIN_STATUS_BUF_SMALL] = "BUF_SMALL",
    [ADMIN_STATUS_CONN_ERROR] = "CONN_ERROR",
    [ADMIN_STATUS_SELFTEST_FAIL] = "SELFTEST_FAIL",
    [ADMIN_STATUS_NO_TX_CTX] = "NO_TX_CTX",
};
#define STATUS_MAX ADMIN_STATUS_NO_TX_CTX

static const char *const op_names[] = {
    [ADMIN_OP_IDENTIFY] = "IDENTIFY",       [ADMIN_OP_RESET] = "RESET",
    [ADMIN_OP_SET_MAC] = "SET_MAC",         [ADMIN_OP_SET_IPV4] = "SET_IPV4",
    [ADMIN_OP_CONN_CREATE] = "CONN_CREATE", [ADMIN_OP_CONN_MODIFY] = "CONN_MODIFY",
    [ADMIN_OP_CONN_DESTROY] = "CONN_DESTROY", [ADMIN_OP_CONN_READ] = "CONN_READ",
    [ADMIN_OP_CONN_SET_TX] = "CONN_SET_TX", [ADMIN_OP_STATS] = "STATS",
    [ADMIN_OP_SET_IRQ_MOD] = "SET_IRQ_MOD", [ADMIN_OP_SET_RX_CFG] = "SET_RX_CFG",
    [ADMIN_OP_SELF_TEST] = "SELF_TEST",
};

const char *toe_admin_status_name(unsigned status)
{
    return status <= STATUS_MAX && status_names[status] ? status_names[status] : "?";
}

const char *toe_admin_op_name(unsigned op)
{
    return op < sizeof(op_names) / sizeof(op_names[0]) && op_names[op] ? op_names[op] : "?";
}

int toe_drv_admin_submit(struct toe_drv *d, struct toe_admin_cmd *cmd)
{
    struct toe_ring *q = &d->ring[QID_ASQ];

    if (d->plat->gone)
        return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(d->plat));
    if (!d->up)
        return toe_drv_fail(d, ENODEV, "device %s is down", d->plat->bdf);
    if (d->admin_busy)
        return toe_drv_fail(d, EBUSY, "an admin command is already waiting");
    cmd->tag = ++d->admin_tag;
    memcpy(toe_ring_slot(q, q->prod), cmd, sizeof(*cmd));
    q->prod++;
    d->admin_busy = 1;
    d->admin_want_tag = cmd->tag;
    d->admin_want_op = cmd->opcode;
    d->admin_want_head = q->prod;
    d->stats.admin_cmds++;
    toe_ring_doorbell(d, q);
    return 0;
}

int toe_drv_acq_reap(struct toe_drv *d, struct toe_admin_cpl *cpl)
{
    struct toe_ring *cq = &d->ring[QID_ACQ];
    struct toe_admin_cpl c;
    int found = 0, took = 0;

    while (!found && toe_ring_peek(cq, &c)) {
        cq->cons++;
        took = 1;
        if (d->admin_late && c.tag == d->admin_late_tag) {
            d->admin_late = 0; /* a command we gave up on answers at last */
            d->stats.admin_late++;
            continue;
        }
        if (!d->admin_busy || c.tag != d->admin_want_tag) {
            d->stats.acq_bad++;
            d->stats.acq_bad_tag++;
            continue;
        }
        if (c.opcode != d->admin_want_op) {
            d->stats.acq_bad++;
            d->stats.acq_bad_opcode++;
            continue;
        }
        if (c.status > STATUS_MAX) {
            d->stats.acq_bad++;
            d->stats.acq_bad_status++;
            continue;
        }
        if (c.sq_head != (uint16_t)d->admin_want_head) {
            d->stats.acq_bad++;
            d->stats.acq_bad_sq_head++;
            continue;
        }
        c.flags &= (uint8_t)~1u;
        *cpl = c;
        d->admin_busy = 0;
        d->stats.admin_cpls++;
        found = 1;
    }
    if (took)
        toe_ring_doorbell(d, cq);
    return found;
}

int toe_drv_admin(struct toe_drv *d, struct toe_admin_cmd *cmd, struct toe_admin_cpl *cpl)
{
    const uint64_t limit = d->opts.admin_timeout_ns ? d->opts.admin_timeout_ns : ADMIN_TIMEOUT_NS_DEFAULT;
    const uint64_t start = toe_plat_now_ns(d->plat);
    int rc = toe_drv_admin_submit(d, cmd);

    if (rc < 0)
        return rc;
    for (;;) {
        uint64_t waited;

        if (toe_drv_acq_reap(d, cpl))
            break;
        if (d->plat->gone) {
            d->admin_busy = 0;
            return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(d->plat));
        }
        waited = toe_plat_now_ns(d->plat) - start;
        if (waited >= limit) {
            d->admin_busy = 0;
            d->admin_late = 1;
            d->admin_late_tag = cmd->tag;
            d->stats.admin_timeouts++;
            return toe_drv_fail(d, ETIMEDOUT, "admin %s (tag %u) had no completion in %llu ns",
                                toe_admin_op_name(cmd->opcode), cmd->tag, (unsigned long long)limit);
        }
        /* Interrupts: sleep until the vector (or any) fires; polled: a while. */
        rc = toe_drv_sleep(d, d->opts.polled ? (int64_t)d->opts.poll_interval_ns : (int64_t)(limit - waited));
        if (rc < 0)
            continue; /* gone: seen above */
    }
    if (cpl->status != ADMIN_STATUS_OK)
        toe_drv_fail(d, 0, "admin %s: device says %s (val0 %u, val1 %u)", toe_admin_op_name(cmd->opcode),
                     toe_admin_status_name(cpl->status), cpl->val0, cpl->val1);
    return cpl->status;
}

/* ---- wrappers ----------------------------------------------------------------------- */

static void cmd_init(struct toe_admin_cmd *c, unsigned op)
{
    memset(c, 0, sizeof(*c));
    c->opcode = (uint8_t)op;
}

/* A command with the scratch buffer as its host buffer. */
static void cmd_buf(struct toe_drv *d, struct toe_admin_cmd *c, uint32_t len)
{
    c->addr = d->scratch.bus;
    c->len = len;
}

static int conn_ok(struct toe_drv *d, uint16_t conn_id)
{
    if (conn_id < d->conn_max)
        return 0;
    return toe_drv_fail(d, EINVAL, "conn_id %u is not below %u", conn_id, d->conn_max);
}

int toe_drv_identify(struct toe_drv *d, struct toe_admin_identify *id)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;
    int rc;

    cmd_init(&c, ADMIN_OP_IDENTIFY);
    cmd_buf(d, &c, sizeof(*id));
    memset(d->scratch.va, 0, sizeof(*id));
    rc = toe_drv_admin(d, &c, &r);
    if (rc == 0)
        memcpy(id, d->scratch.va, sizeof(*id));
    return rc;
}

int toe_drv_set_mac(struct toe_drv *d, const uint8_t mac[6], int filter)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;

    cmd_init(&c, ADMIN_OP_SET_MAC);
    memcpy(c.data, mac, 6);
    c.arg0 = filter ? 1u : 0u;
    return toe_drv_admin(d, &c, &r);
}

int toe_drv_set_ipv4(struct toe_drv *d, uint32_t addr, unsigned prefix_len)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;

    if (prefix_len > 32)
        return toe_drv_fail(d, EINVAL, "IPv4 prefix length %u", prefix_len);
    cmd_init(&c, ADMIN_OP_SET_IPV4);
    c.arg0 = addr;
    c.arg1 = prefix_len;
    return toe_drv_admin(d, &c, &r);
}

int toe_drv_hw_stats(struct toe_drv *d, struct toe_drv_hw_stats *out, int clear)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;
    int rc;

    cmd_init(&c, ADMIN_OP_STATS);
    cmd_buf(d, &c, sizeof(*out));
    c.arg0 = clear ? 1u : 0u;
    rc = toe_drv_admin(d, &c, &r);
    if (rc == 0)
        memcpy(out, d->scratch.va, sizeof(*out));
    return rc;
}

int toe_drv_set_irq_mod(struct toe_drv *d, unsigned vector, uint32_t mod_ns, uint32_t mod_count)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;

    if (vector >= MSIX_VECTORS)
        return toe_drv_fail(d, EINVAL, "vector %u is not below %u", vector, MSIX_VECTORS);
    cmd_init(&c, ADMIN_OP_SET_IRQ_MOD);
    c.arg0 = vector;
    c.arg1 = mod_ns;
    memcpy(c.data, &mod_count, 4);
    return toe_drv_admin(d, &c, &r);
}

int toe_drv_set_rx_cfg(struct toe_drv *d, uint32_t delack_ticks, uint32_t coalesce_bytes, uint32_t ts_ticks)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;

    cmd_init(&c, ADMIN_OP_SET_RX_CFG);
    c.arg0 = delack_ticks;
    c.arg1 = coalesce_bytes;
    memcpy(c.data, &ts_ticks, 4);
    return toe_drv_admin(d, &c, &r);
}

int toe_drv_self_test(struct toe_drv *d, uint16_t conn_id, uint32_t *failed)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;
    int rc = conn_ok(d, conn_id);

    if (rc < 0)
        return rc;
    cmd_init(&c, ADMIN_OP_SELF_TEST);
    c.conn_id = conn_id;
    cmd_buf(d, &c, TOE_DRV_SCRATCH);
    rc = toe_drv_admin(d, &c, &r);
    if (rc >= 0 && failed)
        *failed = rc == ADMIN_STATUS_OK || rc == ADMIN_STATUS_SELFTEST_FAIL ? r.val0 : 0;
    return rc;
}

int toe_drv_conn_create(struct toe_drv *d, uint16_t conn_id, const struct toe_conn_create *cc)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;
    int rc = conn_ok(d, conn_id);

    if (rc < 0)
        return rc;
    cmd_init(&c, ADMIN_OP_CONN_CREATE);
    c.conn_id = conn_id;
    memcpy(d->scratch.va, cc, sizeof(*cc));
    cmd_buf(d, &c, sizeof(*cc));
    return toe_drv_admin(d, &c, &r);
}

int toe_drv_conn_destroy(struct toe_drv *d, uint16_t conn_id)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;
    int rc = conn_ok(d, conn_id);

    if (rc < 0)
        return rc;
    cmd_init(&c, ADMIN_OP_CONN_DESTROY);
    c.conn_id = conn_id;
    return toe_drv_admin(d, &c, &r);
}

int toe_drv_conn_read(struct toe_drv *d, uint16_t conn_id, struct toe_conn_create *out)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;
    int rc = conn_ok(d, conn_id);

    if (rc < 0)
        return rc;
    cmd_init(&c, ADMIN_OP_CONN_READ);
    c.conn_id = conn_id;
    cmd_buf(d, &c, sizeof(*out));
    memset(d->scratch.va, 0, sizeof(*out));
    rc = toe_drv_admin(d, &c, &r);
    if (rc == 0)
        memcpy(out, d->scratch.va, sizeof(*out));
    return rc;
}

int toe_drv_conn_modify(struct toe_drv *d, uint16_t conn_id, unsigned conn_cmd, uint32_t a0, uint32_t a1,
                        uint32_t a2)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;
    int rc = conn_ok(d, conn_id);

    if (rc < 0)
        return rc;
    if (conn_cmd != CONN_CMD_RCV_READ && conn_cmd != CONN_CMD_RCV_NXT && conn_cmd != CONN_CMD_SND &&
        conn_cmd != CONN_CMD_ACK_NOW)
        return toe_drv_fail(d, EINVAL, "CONN_MODIFY with connection command %u", conn_cmd);
    cmd_init(&c, ADMIN_OP_CONN_MODIFY);
    c.conn_id = conn_id;
    c.arg0 = conn_cmd;
    memcpy(c.data, &a0, 4);
    memcpy(c.data + 4, &a1, 4);
    memcpy(c.data + 8, &a2, 4);
    return toe_drv_admin(d, &c, &r);
}

int toe_drv_conn_set_tx(struct toe_drv *d, uint16_t conn_id, const struct toe_tx_ctx *tx)
{
    struct toe_admin_cmd c;
    struct toe_admin_cpl r;
    int rc = conn_ok(d, conn_id);

    if (rc < 0)
        return rc;
    cmd_init(&c, ADMIN_OP_CONN_SET_TX);
    c.conn_id = conn_id;
    memcpy(d->scratch.va, tx, sizeof(*tx));
    cmd_buf(d, &c, sizeof(*tx));
    return toe_drv_admin(d, &c, &r);
}
