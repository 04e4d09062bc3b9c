/*
 * toe_dev: the whole OpenTOE device behind one interface (docs/device.md).
 *
 * A device is the register file (BAR0), the queues and their DMA, the MSI-X
 * logic, the firmware's management window, the TX and RX engines and the
 * connection table. Two implementations stand behind this interface:
 *
 *   toe_dev_model_new()   the C reference model (sim/dev/model), fast;
 *   toe_dev_rtl_new()     the Verilated RTL (rtl/toe_dev.sv, sim/dev/rtl).
 *
 * toe-sim drives either one (or both, in lockstep) the same way; the firmware
 * (firmware/) reaches the management window through toe_dev_fw_read/write.
 *
 * Time. A device has a clock in picoseconds, starting at 0 at creation; it
 * moves only in toe_dev_run(). Inputs (MMIO, management accesses, frames,
 * resets) happen at the device's current time, in call order. Everything the
 * device does on its own (DMA, frames out, events, ticks, interrupts) happens
 * inside toe_dev_run(), through the callbacks in struct toe_dev_env, with the
 * device time of the moment it happens.
 *
 * One thread per device: nothing here locks.
 */
#ifndef TOE_DEV_H
#define TOE_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "toe_formats.h"

/* The inputs of the engines whose moment of acceptance a transaction-level
 * model cannot know (it depends on the RTL's pipelines): lockstep replays
 * them into the model when the RTL takes them (sim/toe-sim/sim_lockstep.c). */
enum toe_dev_input {
    TOE_DEV_IN_RX_FRAME = 0,  /* the RX engine took a frame (its last beat) */
    TOE_DEV_IN_TX_DESC = 1,   /* the TX engine took a descriptor (ts_now sampled) */
    TOE_DEV_IN_RX_CMD = 2,    /* the RX engine took a connection command */
    TOE_DEV_IN_NUM
};

/* What the device needs from the machine it sits in (toe-sim). */
struct toe_dev_env {
    /*
     * DMA: the device reads or writes len bytes (len > 0) of host memory at bus
     * address addr. Returns 0, or -EFAULT when the IOMMU-style bounds check
     * refuses the range: nothing is read or written, a refused read leaves dst
     * all ones (0xff), and the device counts it (DEV_CNT_DMA_RD/WR_FAULTS).
     */
    int (*dma_read)(void *arg, uint64_t addr, void *dst, size_t len);
    int (*dma_write)(void *arg, uint64_t addr, const void *src, size_t len);
    /* An MSI-X message on vector (below MSIX_VECTORS) at device time t_ps. */
    void (*msix)(void *arg, unsigned vector, uint64_t t_ps);
    /* A frame out of the Ethernet port (no FCS, unpadded), whole, at t_ps:
     * the time its last byte leaves. */
    void (*frame_out)(void *arg, const uint8_t *frame, size_t len, uint64_t t_ps);
    /* Optional (NULL: not wanted): the RTL backend reports each engine input
     * as its engine takes it, at t_ps, in the engines' own order. */
    void (*taken)(void *arg, enum toe_dev_input kind, uint64_t t_ps);
    void *arg;
};

struct toe_dev_cfg {
    uint32_t conn_max;     /* connection-table entries: CONN_MAX_MIN..CONN_MAX_MAX, 0: default */
    uint32_t time_mode;    /* TIME_MODE_*, what REG_TIME_MODE reads */
};

struct toe_dev;

struct toe_dev_ops {
    const char *name;                                   /* "model", "rtl" */
    /* BAR0, 32-bit accesses at 4-byte aligned offsets below BAR0_SIZE. */
    uint32_t (*mmio_read)(struct toe_dev *d, uint32_t off);
    void (*mmio_write)(struct toe_dev *d, uint32_t off, uint32_t val);
    /* The firmware's management window (FW_* registers, docs/formats.md). */
    uint32_t (*fw_read)(struct toe_dev *d, uint32_t off);
    void (*fw_write)(struct toe_dev *d, uint32_t off, uint32_t val);
    /* A frame arriving at the Ethernet port, FCS removed; any length, even 0. */
    void (*frame_in)(struct toe_dev *d, const uint8_t *frame, size_t len);
    /* PCI configuration state the function sees: command register (memory
     * space bit 1, bus master bit 2) and the MSI-X message control bits
     * (enable, bit 15; function mask, bit 14). */
    void (*pci_state)(struct toe_dev *d, uint16_t command, uint16_t msix_control);
    /* Function-level reset: as CONTROL.RESET (docs/device.md, Reset). */
    void (*flr)(struct toe_dev *d);
    /* Run the device until its clock reads until_ps (>= now). */
    void (*run)(struct toe_dev *d, uint64_t until_ps);
    uint64_t (*now)(const struct toe_dev *d);
    /*
     * The earliest time at or after now when the device has something to do
     * without a new input: work in flight (now), a tick that finds work, a
     * moderation timer. UINT64_MAX when it is quiescent and would stay so
     * forever. A caller in virtual time may run straight to the next input
     * when this is later; the device's idle ticks are still counted (warped).
     */
    uint64_t (*next_activity)(const struct toe_dev *d);
    /* FW_ATTN as the firmware's interrupt line shows it: nonzero when the
     * firmware has work. Unlike a fw_read() it takes no device time. */
    uint32_t (*fw_attention)(const struct toe_dev *d);
    /* The counters of every block for comparison and reports. */
    void (*counters)(const struct toe_dev *d, uint32_t tx[TX_CNT_NUM], uint32_t rx[RX_CNT_NUM],
                     uint32_t dev[DEV_CNT_NUM]);
    void (*free)(struct toe_dev *d);
};

struct toe_dev {
    const struct toe_dev_ops *ops;
};

struct toe_dev *toe_dev_model_new(const struct toe_dev_cfg *cfg, const struct toe_dev_env *env);

/*
 * Lockstep support in the model: with defer on, a frame that passes the
 * device's MAC stage, a descriptor fetched for the TX engine and a connection
 * command from the firmware wait in arrival order in front of their engine
 * instead of entering it at once; toe_dev_model_release() lets the oldest one
 * of that kind in, at the model's current time. Returns 0, or -1 when none of
 * that kind waits.
 */
void toe_dev_model_defer(struct toe_dev *d, int on);
int toe_dev_model_release(struct toe_dev *d, enum toe_dev_input kind);
struct toe_dev *toe_dev_rtl_new(const struct toe_dev_cfg *cfg, const struct toe_dev_env *env);

static inline uint32_t toe_dev_mmio_read(struct toe_dev *d, uint32_t off) { return d->ops->mmio_read(d, off); }
static inline void toe_dev_mmio_write(struct toe_dev *d, uint32_t off, uint32_t v) { d->ops->mmio_write(d, off, v); }
static inline uint32_t toe_dev_fw_read(struct toe_dev *d, uint32_t off) { return d->ops->fw_read(d, off); }
static inline void toe_dev_fw_write(struct toe_dev *d, uint32_t off, uint32_t v) { d->ops->fw_write(d, off, v); }
static inline void toe_dev_run(struct toe_dev *d, uint64_t until_ps) { d->ops->run(d, until_ps); }
static inline uint64_t toe_dev_now(const struct toe_dev *d) { return d->ops->now(d); }
static inline void toe_dev_free(struct toe_dev *d) { if (d) d->ops->free(d); }

#endif /* TOE_DEV_H */
