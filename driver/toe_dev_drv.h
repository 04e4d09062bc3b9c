/*
 * The OpenTOE device driver core (docs/driver.md): brings the function up,
 * runs its seven rings, speaks to the firmware through the admin queue, sends
 * and receives raw frames, takes interrupts, survives a function-level reset
 * and a device that disappears.
 *
 * Use:
 *     struct toe_drv_opts o = {0};            defaults: MSI-X, 2 KiB RX buffers
 *     o.on_frame = my_frame; o.cb_arg = me;   callbacks (all optional)
 *     d = toe_drv_attach(pci_dir, &o, err, sizeof(err));
 *     toe_drv_identify(d, &id);  toe_drv_send_raw(d, frame, len, NULL, cookie);
 *     toe_drv_wait(d, timeout_ns);            interrupts (or polling), then callbacks
 *     toe_drv_detach(d);
 *
 * The driver trusts nothing the device writes: every completion, exception
 * and event entry is checked (phase, indices, lengths, ids, status) and a bad
 * one is counted in toe_drv_stats and skipped, never dereferenced.
 *
 * Return values: 0 success; a negative errno for the driver's own failures
 * (-EINVAL misuse, -EAGAIN ring full, -ETIMEDOUT, -ENODEV device gone, ...);
 * the admin wrappers return a positive ADMIN_STATUS when the firmware refused.
 * toe_drv_error() has the words for the last failure.
 *
 * One thread per driver: nothing here locks; callbacks run inside
 * toe_drv_poll()/toe_drv_wait()/toe_drv_reset()/toe_drv_detach().
 */
#ifndef TOE_DEV_DRV_H
#define TOE_DEV_DRV_H

#include <stddef.h>
#include <stdint.h>

#include "toe_formats.h"
#include "toe_plat.h"

struct toe_drv;

/* MSI-X vectors the driver binds its device-to-host rings to. */
enum {
    TOE_DRV_VEC_ADMIN = 0, /* ACQ */
    TOE_DRV_VEC_TX = 1,    /* TXCQ */
    TOE_DRV_VEC_EXC = 2,   /* EXCQ */
    TOE_DRV_VEC_EV = 3,    /* EVQ */
    TOE_DRV_VECTORS = 4,
};

/* on_tx_done's status for a send that a reset or a detach cut short (the
 * others are TX_STATUS_*). */
#define TOE_TX_ABORTED (-1)
/* toe_drv_frame.conn_id when the reason names no known connection. */
#define TOE_DRV_NO_CONN 0xffffffffu

#define TOE_DRV_RX_BUF_DEFAULT 2048u
#define TOE_DRV_RX_BUF_MAX 16384u

/* A frame the device handed up whole (EXCQ), valid during the callback. */
struct toe_drv_frame {
    const uint8_t *data;
    uint16_t len;
    uint8_t reason;        /* RX_EXC */
    uint8_t l3_off, l4_off;
    uint32_t conn_id;      /* below conn_max, or TOE_DRV_NO_CONN */
    uint32_t tick;
};

/* Why on_reset was called. */
enum { TOE_DRV_RESET_CALLER = 1 };

struct toe_drv_opts {
    int polled;                    /* 1: no interrupts, rings polled (VECTOR = QUEUE_NO_VECTOR) */
    /* log2 of each ring's entries (QID order; 0: the default, see docs/driver.md). */
    uint8_t ring_log2[DEV_QUEUES];
    uint32_t rx_buf_len;           /* RXBQ buffer bytes, RXB_MIN_LEN..TOE_DRV_RX_BUF_MAX (0: 2048) */
    uint64_t admin_timeout_ns;     /* platform time an admin command may take (0: 1 s) */
    uint64_t ready_timeout_ns;     /* STATUS.READY and FW_READY after a reset (0: 1 s) */
    uint64_t poll_interval_ns;     /* polled waits check this often (0: 10 us) */
    struct toe_plat_chan_opts chan;/* the channel platform, when toe-sim plays the device */

    /* Callbacks; NULL to ignore. */
    void (*on_tx_done)(void *arg, uint64_t cookie, int status);
    void (*on_frame)(void *arg, const struct toe_drv_frame *f);
    void (*on_event)(void *arg, const struct toe_rx_event *ev); /* phase bit cleared */
    void (*on_reset)(void *arg, int why);
    void *cb_arg;
};

/* What the driver counted. *_bad count entries refused (each also in one of
 * the reasons after it); they were skipped, and their ring slot given back. */
struct toe_drv_stats {
    uint64_t tx_sent, tx_done, tx_errors, tx_aborted;
    uint64_t txcq_bad, txcq_bad_tag, txcq_bad_conn, txcq_bad_status;
    uint64_t rx_frames, rx_empty, rx_reposted;
    uint64_t excq_bad, excq_bad_buf, excq_bad_reason, excq_bad_len, excq_bad_conn, excq_bad_offsets;
    uint64_t events;
    uint64_t evq_bad, evq_bad_type, evq_bad_conn, evq_bad_flags;
    uint64_t admin_cmds, admin_cpls, admin_timeouts, admin_late;
    uint64_t acq_bad, acq_bad_tag, acq_bad_opcode, acq_bad_status, acq_bad_sq_head;
    uint64_t irqs, irq_spurious;
    uint64_t resets;
};

/* The device's counters through the admin queue (STATS). */
struct toe_drv_hw_stats {
    uint32_t tx[TX_CNT_NUM], rx[RX_CNT_NUM], dev[DEV_CNT_NUM];
};

/* ---- bring-up ---------------------------------------------------------------------- */

/*
 * Finds the function under pci_dir (NULL: /sys/bus/pci) with libpci, enables
 * memory space and bus mastering, opens the platform (the channel when
 * <dev_dir>/toe-sim.sock exists, else BAR0 mapped) and brings the device up
 * (docs/driver.md, "Bring-up"). NULL with errno and the reason in err, e.g.
 * "device speaks interface 2.0, this driver speaks 1.0".
 */
struct toe_drv *toe_drv_attach(const char *pci_dir, const struct toe_drv_opts *opts, char *err,
                               size_t errlen);

/* The same over a platform the caller opened (it becomes the driver's, and is
 * closed on failure too). pci may be NULL: no configuration-space access. */
struct toe_drv *toe_drv_attach_plat(struct toe_plat *p, const struct toe_pci_dev *pci,
                                    const struct toe_drv_opts *opts, char *err, size_t errlen);

/* Disable, reset, end every send in flight with TOE_TX_ABORTED, free. NULL ok. */
void toe_drv_detach(struct toe_drv *d);

/*
 * Function-level reset while running: every send in flight ends with
 * TOE_TX_ABORTED (on_tx_done), every RX buffer comes back and is posted again,
 * the rings restart, on_reset(TOE_DRV_RESET_CALLER) says it happened.
 * 0 or -errno (the device did not come back: it stays down).
 */
int toe_drv_reset(struct toe_drv *d);

/* ---- running --------------------------------------------------------------------------- */

/* Takes up to budget entries from each device-to-host ring (0: all there
 * are), running the callbacks. Entries handled, or -ENODEV. */
int toe_drv_poll(struct toe_drv *d, unsigned budget);

/* Waits up to timeout_ns (platform time; < 0: until something happens, within
 * the platform's guard) for an interrupt - or, polled, for an entry - then
 * polls. Entries handled (0: the timeout), or -ENODEV. */
int toe_drv_wait(struct toe_drv *d, int64_t timeout_ns);

/* Raw frame options (NULL: no checksum insertion). */
struct toe_drv_raw_opts {
    uint8_t csum_flags;    /* CSUM_FLAG bits */
    uint8_t l3_off, l4_off;
};

/*
 * Sends one Ethernet frame (no FCS) as it is, RAW_MIN_LEN..RAW_MAX_LEN bytes,
 * copied into a DMA buffer. on_tx_done(cookie, status) follows. -EINVAL (bad
 * length or checksum request), -EAGAIN (TXQ full), -ENODEV.
 */
int toe_drv_send_raw(struct toe_drv *d, const void *frame, size_t len, const struct toe_drv_raw_opts *o,
                     uint64_t cookie);

/*
 * Posts a descriptor whose buffer the caller owns (a TSO send from
 * toe_drv_dma_alloc() memory): buf_addr..+len must lie in the DMA memory and
 * stay untouched until on_tx_done. The tag is the driver's. -EINVAL, -EAGAIN,
 * -ENODEV.
 */
int toe_drv_tx_submit(struct toe_drv *d, const struct toe_tx_desc *desc, uint64_t cookie);

int toe_drv_dma_alloc(struct toe_drv *d, size_t len, size_t align, struct toe_dma *out);
int toe_drv_dma_free(struct toe_drv *d, struct toe_dma *b);

/* ---- the admin queue (docs/formats.md, ADMIN_OP) ---------------------------------------- */

/* One command (tag set by the driver); waits for its completion. The
 * ADMIN_STATUS (>= 0), or -ETIMEDOUT, -ENODEV. */
int toe_drv_admin(struct toe_drv *d, struct toe_admin_cmd *cmd, struct toe_admin_cpl *cpl);

int toe_drv_identify(struct toe_drv *d, struct toe_admin_identify *id);
int toe_drv_set_mac(struct toe_drv *d, const uint8_t mac[6], int filter);
int toe_drv_set_ipv4(struct toe_drv *d, uint32_t addr, unsigned prefix_len);
int toe_drv_hw_stats(struct toe_drv *d, struct toe_drv_hw_stats *out, int clear);
int toe_drv_set_irq_mod(struct toe_drv *d, unsigned vector, uint32_t mod_ns, uint32_t mod_count);
int toe_drv_set_rx_cfg(struct toe_drv *d, uint32_t delack_ticks, uint32_t coalesce_bytes, uint32_t ts_ticks);
/* *failed: the firmware's failed-check bits (0 when all passed). */
int toe_drv_self_test(struct toe_drv *d, uint16_t conn_id, uint32_t *failed);
int toe_drv_conn_create(struct toe_drv *d, uint16_t conn_id, const struct toe_conn_create *c);
int toe_drv_conn_destroy(struct toe_drv *d, uint16_t conn_id);
int toe_drv_conn_read(struct toe_drv *d, uint16_t conn_id, struct toe_conn_create *out);
/* conn_cmd: CONN_CMD_RCV_READ, RCV_NXT, SND or ACK_NOW with its arguments. */
int toe_drv_conn_modify(struct toe_drv *d, uint16_t conn_id, unsigned conn_cmd, uint32_t a0, uint32_t a1,
                        uint32_t a2);
int toe_drv_conn_set_tx(struct toe_drv *d, uint16_t conn_id, const struct toe_tx_ctx *tx);

/* "OK", "BAD_FIELD", ... or "?" */
const char *toe_admin_status_name(unsigned status);
const char *toe_admin_op_name(unsigned op);

/* ---- state ---------------------------------------------------------------------------- */

/* DEV_CNT counters read from REG_CNT_BASE. 0 or -ENODEV. */
int toe_drv_dev_counters(struct toe_drv *d, uint32_t out[DEV_CNT_NUM]);
const struct toe_drv_stats *toe_drv_stats(const struct toe_drv *d);
const char *toe_drv_error(const struct toe_drv *d);
int toe_drv_gone(const struct toe_drv *d);
uint32_t toe_drv_conn_max(const struct toe_drv *d);
uint64_t toe_drv_now_ns(struct toe_drv *d);
struct toe_plat *toe_drv_plat(struct toe_drv *d);

#endif
