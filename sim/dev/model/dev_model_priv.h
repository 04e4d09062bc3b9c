/*
 * The C reference model of the whole device (docs/device.md, "Registers,
 * queues and interrupts" and "Time"): what its source files share.
 *
 *   dev_model.c   the object, the ops table, time: run(), ticks, reset end,
 *                 next_activity(), pci_state(), the work loop dev_kick()
 *   dev_reset.c   power-on and function-level reset
 *   dev_regs.c    BAR0: REG, QREG, VREG, MSIX table and PBA, DEV_CNT
 *   dev_queue.c   the ring rules: enable checks, PROD/CONS, phase, entry DMA
 *   dev_irq.c     MSI-X moderation and delivery
 *   dev_tx.c      TXQ -> TX engine -> frames and TXCQ
 *   dev_rx.c      frames in -> RX engine -> its output queue -> host
 *   dev_fw.c      the firmware's management window (registers)
 *   dev_fw_ports.c  its DMA mover, connection-command and TX-context ports
 *
 * The model is transaction-level: the work an input causes is done during
 * the call that brings it (toe_dev_ops.mmio_write, frame_in, ...) at the
 * device's current time; time moves only in run(), which fires ticks,
 * moderation deadlines and the end of a reset at their exact times. Work
 * the contract makes wait (a full or disabled device-to-host ring, bus
 * mastering off, the reset's table walk) is kept in order and resumes in
 * dev_kick() when an input clears the condition.
 */
#ifndef DEV_MODEL_PRIV_H
#define DEV_MODEL_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "toe_dev.h"
#include "toe_formats.h"
#include "toe_rx_model.h"
#include "toe_tx_model.h"

/* ps per tick of the RX engine's timer clock: 10 us */
#define DEV_TICK_PS ((uint64_t)DEV_TICK_CYCLES * DEV_CLK_PS)

/* PCI command register and MSI-X message control bits (PCIe 7.5.1.1, 7.7.2.2) */
#define PCI_CMD_MEMORY 0x0002u
#define PCI_CMD_MASTER 0x0004u
#define PCI_MSIX_ENABLE 0x8000u
#define PCI_MSIX_FUNC_MASK 0x4000u

/* QREG_CTRL and MSIX_VCTRL bit 0 */
#define QCTRL_ENABLE 1u
#define VCTRL_MASK 1u

/* FW_CMD_STATUS bits */
#define FW_CMD_GO 1u
#define FW_CMD_BUSY 1u
#define FW_CMD_BAD_OFF 2u
/* The command port's mailbox area: conn_cmd, INSERT's rx_ctx, conn_rsp,
 * READ's rx_ctx (docs/formats.md, FW_CMD_MBOX_OFF). */
#define FW_CMD_AREA (FW_CMD_RSP_OFF + 16u + 128u)

/* Outputs of the RX engine that may wait, at most this many, before the
 * model's receive FIFO counts as full (docs/device.md, model notes). */
#define DEV_RX_WAIT_MAX 1024u

struct dev_ring {
    uint32_t base_lo, base_hi, size_log2;
    uint32_t prod, cons;      /* free-running */
    uint32_t vector;          /* device-to-host rings: MSI-X vector */
    uint32_t error;           /* QERR */
    int enabled;
};

struct dev_vec {
    uint32_t addr_lo, addr_hi, data, vctrl; /* the MSI-X table entry */
    uint32_t mod_ns, mod_count;             /* FW_VEC_BASE + 8 v */
    uint32_t sent;                          /* VREG_SENT */
    uint32_t pending;                       /* VREG_PENDING */
    uint64_t first_ps;                      /* time of the first pending entry */
    int pba;                                /* a due message is held */
};

/* One output of the RX engine on its way to the host, in engine order. */
enum dev_rx_kind {
    RXO_DMA = 1, /* payload placement */
    RXO_EVENT,   /* to EVQ */
    RXO_EXC,     /* a frame to an RXBQ buffer, then its EXCQ entry */
    RXO_EXC_CPL, /* the EXCQ entry of a frame already written */
    RXO_ACK,     /* an ACK frame to the port */
    RXO_RSP,     /* a command response to the mailbox */
};

struct dev_rx_item {
    uint8_t kind;
    uint64_t addr;  /* RXO_DMA */
    size_t len;     /* bytes of data */
    uint8_t *data;  /* RXO_DMA, RXO_EXC, RXO_ACK: an owned copy */
    union {
        struct toe_rx_event ev;
        struct toe_rx_exc exc;
        struct toe_exc_cpl cpl;
        struct {
            struct toe_conn_rsp rsp;
            int has_ctx;
            struct toe_rx_ctx ctx;
        } r;
    } u;
};

struct dev_rx_fifo {
    struct dev_rx_item *items;
    size_t head, count, cap;
};

struct dev_fw {
    int attn_reset;
    uint32_t mac_lo, mac_hi, ipv4, rx_filter;
    uint32_t delack_ticks, coalesce_bytes, ts_ticks;
    /* mover */
    uint32_t dma_host_lo, dma_host_hi, dma_len, dma_mbox_off, dma_status;
    int dma_to_host;     /* of the transfer under way (BUSY) */
    /* connection-command port */
    uint32_t cmd_mbox_off, cmd_status;
    uint32_t cmd_off;    /* the offset latched at GO */
    int cmd_waiting;     /* GO during the reset's table walk: runs at its end */
    /* TX-context port */
    uint32_t txctx_conn, txctx_mbox_off, txctx_status;
    uint8_t mbox[FW_MBOX_SIZE];
};

struct dev_model {
    struct toe_dev dev; /* first: toe_dev_ops dispatch casts back */
    struct toe_dev_env env;
    uint32_t conn_max, time_mode;

    uint64_t now;          /* ps since creation */
    int in_reset;          /* the table walk: STATUS.READY 0 */
    uint64_t reset_end;    /* when it ends */
    uint64_t tick_base;    /* ticks are at tick_base + k * DEV_TICK_PS, k >= 1 */
    uint64_t ticks;        /* ticks since the reset ended */

    uint16_t pci_cmd, msix_ctl;

    uint32_t control, scratch, time_hi_latch;
    uint32_t dma_lo_lo, dma_lo_hi, dma_hi_lo, dma_hi_hi;
    int fw_ready;
    uint32_t cnt[DEV_CNT_NUM];
    struct dev_ring q[DEV_QUEUES];
    struct dev_vec vec[MSIX_VECTORS];

    struct toe_tx_model tx;
    struct toe_tx_ctx *txctx; /* [conn_max] */
    uint8_t *txctx_valid;     /* [conn_max] */
    int tx_cpl_waiting;       /* a completion waits for TXCQ */
    uint64_t tx_cpl_at;       /* ... and for its last frame to have left the port */
    struct toe_tx_cpl tx_cpl;

    struct toe_rx_model *rx;
    struct dev_rx_fifo rxo;

    struct dev_fw fw;

    uint64_t port_free;       /* the Ethernet port is busy sending until then */

    /* Lockstep (toe_dev_model_defer): engine inputs wait for their release. */
    struct dev_defer {
        int on;
        struct dev_held_frame {
            uint8_t *data;
            size_t len;
        } *frames;                /* frames past the MAC stage, not yet in the engine */
        size_t f_head, f_count, f_cap;
        uint32_t *tx_ts;          /* TSvals of TX-engine takes not yet used */
        size_t t_head, t_count, t_cap;
        int cmd_held;             /* a GO waits for the engine to take the command */
    } defer;
};

static inline struct dev_model *dev_of(struct toe_dev *d)
{
    return (struct dev_model *)d;
}

static inline const struct dev_model *dev_of_c(const struct toe_dev *d)
{
    return (const struct dev_model *)d;
}

static inline int dev_bus_master(const struct dev_model *d)
{
    return (d->pci_cmd & PCI_CMD_MASTER) != 0;
}

static inline uint64_t dev_u64(uint32_t lo, uint32_t hi)
{
    return ((uint64_t)hi << 32) | lo;
}

/* ---- dev_model.c ---- */

/* Do all the work that can be done now: the mover, TX, the RX engine's
 * outputs, then the interrupt logic (one look per batch of entries). */
void dev_kick(struct dev_model *d);
/* DMA through the environment; a refused access counts DEV_CNT_DMA_RD/WR_FAULTS.
 * 0 or -1. A refused read leaves dst all ones. */
int dev_dma_read(struct dev_model *d, uint64_t addr, void *dst, size_t len);
int dev_dma_write(struct dev_model *d, uint64_t addr, const void *src, size_t len);
/* The RX engine's configuration from the firmware window. */
void dev_rx_apply_cfg(struct dev_model *d);

/* ---- dev_reset.c ---- */

/* Function-level reset at now (count: DEV_CNT_RESETS + 1; 0 at power-on).
 * Returns 0, or -1 when memory runs out (only at creation). */
int dev_reset(struct dev_model *d, int count);
/* The table walk is over (at reset_end). */
void dev_reset_done(struct dev_model *d);

/* A frame out of the Ethernet port: it starts when the port is free, takes a
 * clock per DEV_WIDTH_BITS/8 bytes, and is stamped with its end. */
void dev_port_send(struct dev_model *d, const uint8_t *frame, size_t len);
/* When the waiting TX completion may go (its frames gone), if later than now;
 * else UINT64_MAX. */
uint64_t dev_tx_deadline(const struct dev_model *d);

/* ---- dev_defer.c (lockstep) ---- */

/* A frame past the MAC stage: into the engine, or held while deferring. */
void dev_defer_frame(struct dev_model *d, const uint8_t *frame, size_t len);
/* The TSval a TX-engine descriptor takes: the clock now, or with defer the one
 * recorded when the RTL's engine took it; 0 and *ts, or -1 while none is
 * released yet (the descriptor waits). */
int dev_defer_tx_ts(struct dev_model *d, uint32_t *ts);
void dev_defer_free(struct dev_model *d);
uint32_t dev_fw_attn(const struct dev_model *d);

/* ---- dev_regs.c ---- */

uint32_t dev_mmio_read(struct toe_dev *dev, uint32_t off);
void dev_mmio_write(struct toe_dev *dev, uint32_t off, uint32_t val);

/* ---- dev_queue.c ---- */

int dev_ring_d2h(unsigned qid);
uint32_t dev_ring_entry_size(unsigned qid);
uint64_t dev_ring_base(const struct dev_ring *r);
/* A queue stopped by an error: ERROR, ENABLE clear, DEV_CNT_QUEUE_ERRORS. */
void dev_ring_fail(struct dev_model *d, unsigned qid, uint32_t qerr);
/* CTRL write. */
void dev_ring_ctrl(struct dev_model *d, unsigned qid, uint32_t val);
/* Host-to-device: PROD write (the doorbell); device-to-host: CONS write.
 * Return 0, or -1 when the write is ignored (a disabled ring: MMIO_BAD). */
int dev_ring_host_prod(struct dev_model *d, unsigned qid, uint32_t val);
int dev_ring_host_cons(struct dev_model *d, unsigned qid, uint32_t val);
/* Host-to-device: entries posted and not yet taken (0 while disabled). */
uint32_t dev_ring_pending(const struct dev_model *d, unsigned qid);
/* Device-to-host: enabled with a free slot. */
int dev_ring_room(const struct dev_model *d, unsigned qid);
/* Read the entry at CONS (not taken: the caller advances CONS); a refused
 * read stops the ring (QERR_DMA_FAULT). 0 or -1. */
int dev_ring_fetch(struct dev_model *d, unsigned qid, void *entry);
/* Write entry at PROD with its phase bit (byte phase_off, mask phase_mask),
 * then PROD + 1 and one pending entry for the ring's vector; a refused
 * write stops the ring (QERR_DMA_FAULT) and nothing is counted. 0 or -1.
 * The caller checked dev_ring_room(). */
int dev_ring_post(struct dev_model *d, unsigned qid, void *entry, size_t phase_off,
                  uint8_t phase_mask);

/* ---- dev_irq.c ---- */

/* n entries written to a ring bound to vector (QUEUE_NO_VECTOR: polled). */
void dev_irq_entries(struct dev_model *d, uint32_t vector, uint32_t n);
/* Send or hold every due message. */
void dev_irq_eval(struct dev_model *d);
/* The earliest future MOD_NS deadline, UINT64_MAX if none. */
uint64_t dev_irq_deadline(const struct dev_model *d);

/* ---- dev_tx.c ---- */

void dev_tx_init(struct dev_model *d);
void dev_tx_kick(struct dev_model *d);

/* ---- dev_rx.c ---- */

/* The RX engine's output callbacks, into the output queue. */
void dev_rx_out(struct dev_model *d, struct toe_rx_out *out);
void dev_rx_frame(struct dev_model *d, const uint8_t *frame, size_t len);
void dev_rx_drain(struct dev_model *d);
void dev_rx_fifo_clear(struct dev_model *d);

/* ---- dev_fw.c, dev_fw_ports.c ---- */

void dev_fw_reset(struct dev_model *d);
uint32_t dev_fw_read(struct toe_dev *dev, uint32_t off);
void dev_fw_write(struct toe_dev *dev, uint32_t off, uint32_t val);
void dev_fw_dma_go(struct dev_model *d, uint32_t ctrl);
void dev_fw_dma_kick(struct dev_model *d);
void dev_fw_cmd_go(struct dev_model *d);
/* Run a command that waited for the end of the table walk. */
void dev_fw_cmd_start(struct dev_model *d);
/* The command's response, from the RX engine's output queue. */
void dev_fw_cmd_done(struct dev_model *d, const struct toe_conn_rsp *rsp,
                     const struct toe_rx_ctx *ctx);
void dev_fw_txctx_op(struct dev_model *d, uint32_t op);

#endif /* DEV_MODEL_PRIV_H */
