/*
 * toe_fw: the OpenTOE NIC's management firmware (docs/device.md, "The firmware
 * and the admin queue"; firmware/README.md).
 *
 * Freestanding C: no libc, no heap, no floating point, no globals. Everything
 * the firmware knows lives in struct toe_fw; the hardware is reached only
 * through the management window (the FW_* registers of docs/formats.md) by the
 * three functions of struct toe_fw_bus. Two hosts run it: the RV32IMC build
 * (firmware/rv32, an MMIO bus at a fixed address) and toe-sim (natively, a bus
 * onto the device model's toe_dev_fw_read/write that runs the device while it
 * polls).
 *
 * Call order: toe_fw_init() once, then toe_fw_service() whenever FW_ATTN is
 * not 0 (or simply in a loop). toe_fw_service() blocks only on the hardware
 * (mover, command port), never on the host: it returns when ASQ is empty or
 * disabled, when ACQ is full or disabled (fw->waiting_acq), or when the
 * firmware has stopped after a ring DMA fault (fw->stopped).
 */
#ifndef TOE_FW_H
#define TOE_FW_H

#include <stdint.h>

#include "toe_formats.h"

/* major << 16 | minor, as admin_identify.fw_version */
#define TOE_FW_VERSION ((1u << 16) | 0u)

/* SELF_TEST's val0: the checks that failed (docs/device.md, "Admin commands"). */
#define TOE_FW_ST_MBOX 0x01u  /* mailbox RAM: March C- and an address pattern */
#define TOE_FW_ST_DMA 0x02u   /* DMA loopback through the host scratch buffer */
#define TOE_FW_ST_CONN 0x04u  /* connection table: INSERT, READ (exact), DELETE, READ (NOT_FOUND) */
#define TOE_FW_ST_TXCTX 0x08u /* TX-context table: WRITE, READ (exact, VALID), CLEAR */
#define TOE_FW_ST_ID 0x10u    /* FW_ID reads DEV_ID_MAGIC */

struct toe_fw_bus {
    /* 32-bit read / write of the management window at byte offset off. */
    uint32_t (*rd)(void *arg, uint32_t off);
    void (*wr)(void *arg, uint32_t off, uint32_t val);
    /* Wait until (rd(off) & mask) == want; returns the last value read. The
     * RV32 build spins; toe-sim runs the device until it holds. */
    uint32_t (*poll)(void *arg, uint32_t off, uint32_t mask, uint32_t want);
    void *arg;
};

/* The firmware's own counters (32 bits, wrapping); the host that runs the
 * firmware may read them (toe-sim logs them). */
struct toe_fw_counters {
    uint32_t cmds;           /* admin commands completed */
    uint32_t cmd_errors;     /* ... with a status other than OK */
    uint32_t resets;         /* FW_ATTN.RESET attentions handled */
    uint32_t asq_faults;     /* ASQ entry reads the mover refused (firmware stops) */
    uint32_t acq_faults;     /* ACQ entry writes the mover refused (firmware stops) */
    uint32_t acq_full_waits; /* times serving paused on a full or disabled ACQ */
    uint32_t hw_errors;      /* the window answered against its contract */
    uint32_t conns_rebuilt;  /* installed ids found by toe_fw_init's table walk */
};

/* Everything the firmware keeps; toe_fw_init fills it. */
struct toe_fw {
    struct toe_fw_bus bus;
    uint32_t conn_max;        /* FW_CONN_MAX, clamped to CONN_MAX_MAX */
    uint32_t code_bytes;      /* admin_identify.fw_code_bytes; set by the host after init */
    uint16_t conn_tag;        /* tag of the next connection command */
    uint8_t prefix_len;       /* SET_IPV4's prefix length (no register holds it) */
    uint8_t stopped;          /* a ring DMA fault: nothing is served until a reset */
    uint8_t waiting_acq;      /* the last service stopped on a full or disabled ACQ */
    uint8_t rsvd[3];
    struct toe_admin_cmd cmd; /* the command being served, copied out of the mailbox */
    struct toe_fw_counters cnt;
    /* STATS reports counter - baseline (mod 2^32): TX_CNT, RX_CNT, DEV_CNT. */
    uint32_t baseline[TX_CNT_NUM + RX_CNT_NUM + DEV_CNT_NUM];
    /* Connection ids the firmware installed (INSERT OK, not yet deleted): the
     * admin RESET walks this instead of CONN_MAX READs. 8 KiB. */
    uint32_t installed[CONN_MAX_MAX / 32];
};

/*
 * Prepare fw for the window behind bus. When FW_ATTN.RESET is set (power-on,
 * function-level reset) the next toe_fw_service() initialises the device side;
 * when it is not (the firmware restarted on its own) the connection table is
 * walked with READs to learn which ids are installed, and READY is written.
 */
void toe_fw_init(struct toe_fw *fw, const struct toe_fw_bus *bus);

/* Handle everything FW_ATTN asks for: a RESET attention (configuration to its
 * reset values, RESET_ACK, READY), then every ASQ submission while ACQ has
 * room, in order. */
void toe_fw_service(struct toe_fw *fw);

#endif /* TOE_FW_H */
