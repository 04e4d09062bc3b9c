/*
 * The firmware's main line: initialisation, the RESET attention, and the admin
 * rings (docs/device.md, "The firmware and the admin queue").
 *
 * toe_fw_service: FW_ATTN -> RESET? initialise, RESET_ACK, READY
 *                          -> ASQ?   fetch ASQ[CONS] into the mailbox, validate,
 *                                    run, write admin_cpl to ACQ[PROD], advance
 *                                    FW_ASQ_CONS then FW_ACQ_PROD; next
 *
 * The ring registers are read afresh for every command: the host may stop and
 * restart a ring (its indices then start again at 0) at any time.
 */
#include "toe_fw_int.h"

#define ADMIN_CMD_BYTES ((uint32_t)sizeof(struct toe_admin_cmd))
#define ADMIN_CPL_BYTES ((uint32_t)sizeof(struct toe_admin_cpl))

static uint32_t read_conn_max(struct toe_fw *fw)
{
    uint32_t n = fw_rd(fw, FW_CONN_MAX);

    if (n > CONN_MAX_MAX) { /* our bitmap's size; the formats' largest table */
        fw->cnt.hw_errors++;
        n = CONN_MAX_MAX;
    }
    return n;
}

/* The firmware stops serving after a ring DMA fault: without the entry it has
 * no tag to complete, and without ACQ no way to complete. STATUS.FW_READY goes
 * to 0 so that the driver sees it; a function-level reset starts it again. */
static void stop(struct toe_fw *fw)
{
    fw->stopped = 1;
    fw_wr(fw, FW_CTRL, FW_CTRL_NOT_READY);
}

/* After a function-level reset: the table and TX contexts are empty, the
 * counters 0; our state follows, the configuration goes to its reset values. */
static void device_reset(struct toe_fw *fw)
{
    fw->conn_max = read_conn_max(fw);
    fw_zero(fw->installed, sizeof(fw->installed));
    fw_zero(fw->baseline, sizeof(fw->baseline));
    fw->stopped = 0;
    fw->waiting_acq = 0;
    fw_config_reset(fw);
    fw_wr(fw, FW_CTRL, FW_CTRL_RESET_ACK);
    fw_wr(fw, FW_CTRL, FW_CTRL_READY);
    fw->cnt.resets++;
}

void toe_fw_init(struct toe_fw *fw, const struct toe_fw_bus *bus)
{
    fw_zero(fw, sizeof(*fw));
    fw->bus = *bus;
    fw->conn_max = read_conn_max(fw);
    if (fw_rd(fw, FW_ATTN) & FW_ATTN_RESET)
        return; /* the first service initialises */
    /* Started without a reset: the table may hold entries installed before.
     * Learn them (READ is harmless), keep the host's configuration. */
    for (uint32_t id = 0; id < fw->conn_max; id++) {
        if (fw_conn_cmd(fw, CONN_CMD_READ, id, 0, 0, 0) == CONN_STATUS_OK) {
            fw_set_installed(fw, id, 1);
            fw->cnt.conns_rebuilt++;
        }
    }
    fw_wr(fw, FW_CTRL, FW_CTRL_READY);
}

static void run(struct toe_fw *fw, struct fw_res *res)
{
    if (fw_validate(fw, res) != 0)
        return;
    switch (fw->cmd.opcode) {
    case ADMIN_OP_IDENTIFY: fw_cmd_identify(fw, res); break;
    case ADMIN_OP_RESET: fw_cmd_reset(fw, res); break;
    case ADMIN_OP_SET_MAC: fw_cmd_set_mac(fw, res); break;
    case ADMIN_OP_SET_IPV4: fw_cmd_set_ipv4(fw, res); break;
    case ADMIN_OP_CONN_CREATE: fw_cmd_conn_create(fw, res); break;
    case ADMIN_OP_CONN_MODIFY: fw_cmd_conn_modify(fw, res); break;
    case ADMIN_OP_CONN_DESTROY: fw_cmd_conn_destroy(fw, res); break;
    case ADMIN_OP_CONN_READ: fw_cmd_conn_read(fw, res); break;
    case ADMIN_OP_CONN_SET_TX: fw_cmd_conn_set_tx(fw, res); break;
    case ADMIN_OP_STATS: fw_cmd_stats(fw, res); break;
    case ADMIN_OP_SET_IRQ_MOD: fw_cmd_set_irq_mod(fw, res); break;
    case ADMIN_OP_SET_RX_CFG: fw_cmd_set_rx_cfg(fw, res); break;
    default: fw_cmd_self_test(fw, res); break; /* validated: SELF_TEST */
    }
}

static uint64_t ring_base(struct toe_fw *fw, uint32_t lo_reg)
{
    return (uint64_t)fw_rd(fw, lo_reg + 4) << 32 | fw_rd(fw, lo_reg);
}

/* Serve ASQ[CONS] if there is one and ACQ has room. 1: served, 0: nothing to
 * do now (empty, a ring disabled, ACQ full, or stopped). */
static int serve_one(struct toe_fw *fw)
{
    struct fw_res res = {0, 0, 0};
    struct toe_admin_cpl cpl;
    uint32_t asq_prod, asq_cons, asq_log2, acq_prod, acq_cons, acq_log2;

    if (!(fw_rd(fw, FW_ASQ_CTRL) & 1u))
        return 0;
    asq_prod = fw_rd(fw, FW_ASQ_PROD);
    asq_cons = fw_rd(fw, FW_ASQ_CONS);
    if (asq_prod == asq_cons)
        return 0;
    acq_log2 = fw_rd(fw, FW_ACQ_SIZE_LOG2);
    asq_log2 = fw_rd(fw, FW_ASQ_SIZE_LOG2);
    acq_prod = fw_rd(fw, FW_ACQ_PROD);
    acq_cons = fw_rd(fw, FW_ACQ_CONS);
    if (asq_log2 > QUEUE_LOG2_MAX || acq_log2 > QUEUE_LOG2_MAX) {
        fw->cnt.hw_errors++; /* enabled rings passed the hardware's check */
        return 0;
    }
    if (!(fw_rd(fw, FW_ACQ_CTRL) & 1u) || acq_prod - acq_cons >= (1u << acq_log2)) {
        /* The submission stays where it is until ACQ has room. */
        if (!fw->waiting_acq)
            fw->cnt.acq_full_waits++;
        fw->waiting_acq = 1;
        return 0;
    }
    fw->waiting_acq = 0;

    if (fw_dma(fw, ring_base(fw, FW_ASQ_BASE_LO) +
                       (uint64_t)ADMIN_CMD_BYTES * (asq_cons & ((1u << asq_log2) - 1u)),
               MB_CMD, ADMIN_CMD_BYTES, 0) != 0) {
        fw->cnt.asq_faults++;
        stop(fw);
        return 0;
    }
    fw_mbox_read(fw, MB_CMD, &fw->cmd, ADMIN_CMD_BYTES);
    run(fw, &res);

    cpl.tag = fw->cmd.tag;
    cpl.opcode = fw->cmd.opcode;
    cpl.status = (uint8_t)res.status;
    cpl.flags = (uint8_t)(((acq_prod >> acq_log2) & 1u) ^ 1u); /* phase: 1 on the first pass */
    cpl.rsvd0 = 0;
    cpl.sq_head = (uint16_t)(asq_cons + 1u);
    cpl.val0 = res.val0;
    cpl.val1 = res.val1;
    fw_mbox_write(fw, MB_CPL, &cpl, ADMIN_CPL_BYTES);
    if (fw_dma(fw, ring_base(fw, FW_ACQ_BASE_LO) +
                       (uint64_t)ADMIN_CPL_BYTES * (acq_prod & ((1u << acq_log2) - 1u)),
               MB_CPL, ADMIN_CPL_BYTES, 1) != 0) {
        /* The command ran; its completion cannot be delivered. */
        fw->cnt.acq_faults++;
        stop(fw);
        return 0;
    }
    fw_wr(fw, FW_ASQ_CONS, asq_cons + 1u);
    fw_wr(fw, FW_ACQ_PROD, acq_prod + 1u);
    fw->cnt.cmds++;
    if (res.status != ADMIN_STATUS_OK)
        fw->cnt.cmd_errors++;
    return 1;
}

void toe_fw_service(struct toe_fw *fw)
{
    int just_reset = 0;

    for (;;) {
        uint32_t attn = fw_rd(fw, FW_ATTN);

        if (attn & FW_ATTN_RESET) {
            /* An attention that our RESET_ACK did not clear must not keep us
             * here; a later reset is handled on the next call. */
            if (just_reset) {
                fw->cnt.hw_errors++;
                return;
            }
            device_reset(fw);
            just_reset = 1;
            continue;
        }
        just_reset = 0;
        if (!(attn & FW_ATTN_ASQ) || fw->stopped || !serve_one(fw))
            return;
    }
}
