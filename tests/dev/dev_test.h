/*
 * Fixture of the device-model tests (tests/dev/test_*.c): a fake host with
 * one bounds-checked DMA region (an IOMMU's view: a range must lie inside
 * [HOST_BASE, HOST_BASE + HOST_SIZE) without wrapping, and a window can be
 * made to refuse on purpose), recorders of MSI-X messages and frames with
 * their times, and short names for the registers, the rings and the
 * firmware window. Each test file hands its cases to main() in
 * test_dev_model.c through a *_tests() function, so that they run as one
 * cmocka group with one summary.
 */
#ifndef DEV_TEST_H
#define DEV_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toe_dev.h"
#include "toe_formats.h"

#define HOST_BASE 0x0000000100000000ull /* above 4 GiB: both address words matter */
#define HOST_SIZE (1u << 20)

/* Where the tests put things in host memory (offsets from HOST_BASE). */
#define AT_ASQ 0x00000u
#define AT_ACQ 0x01000u
#define AT_TXQ 0x02000u
#define AT_TXCQ 0x10000u
#define AT_RXBQ 0x20000u
#define AT_EXCQ 0x21000u
#define AT_EVQ 0x22000u
#define AT_TXBUF 0x40000u
#define AT_RXBUF 0x80000u
#define AT_CONNRING 0xC0000u /* a connection's 32 KiB receive ring */
#define AT_SCRATCH 0xE0000u

#define PS_PER_CYCLE ((uint64_t)DEV_CLK_PS)
#define TICK_PS ((uint64_t)DEV_TICK_CYCLES * DEV_CLK_PS)
/* A frame of len bytes leaves the port this long after it starts: a clock per
 * DEV_WIDTH_BITS/8 bytes (docs/device.md, the Ethernet port). */
#define WIRE_PS(len) ((((uint64_t)(len) + DEV_WIDTH_BITS / 8 - 1) / (DEV_WIDTH_BITS / 8)) * DEV_CLK_PS)

struct rec_frame {
    uint8_t *data;
    size_t len;
    uint64_t t;
};

struct rec_msix {
    unsigned vector;
    uint64_t t;
};

struct tdev {
    struct toe_dev *d;
    uint32_t conn_max;
    uint8_t *mem;
    uint64_t refuse_lo, refuse_hi; /* also refused: [lo, hi) */
    size_t n_frames, cap_frames;
    struct rec_frame *frames;
    size_t n_msix, cap_msix;
    struct rec_msix *msix;
    uint32_t dev0[DEV_CNT_NUM]; /* DEV counters at the last mark */
    uint32_t n_taken[TOE_DEV_IN_NUM]; /* env->taken calls (the RTL backend makes them) */
    uint64_t t_taken[TOE_DEV_IN_NUM]; /* the time of the last one */
    size_t n_wlog;                    /* DMA writes done, and the first WLOG_MAX of them */
#define WLOG_MAX 256
    uint64_t wlog_addr[WLOG_MAX];
    size_t wlog_len[WLOG_MAX];
};

/* The implementation tdev_new() creates: the model unless a test binary picks another
 * (test_dev_rtl.c: toe_dev_rtl_new). */
extern struct toe_dev *(*tdev_backend)(const struct toe_dev_cfg *cfg, const struct toe_dev_env *env);

/* ---- the environment ---- */

int host_range_ok(const struct tdev *t, uint64_t addr, size_t len);
/* Bus address of host offset off. */
static inline uint64_t hva(uint32_t off)
{
    return HOST_BASE + off;
}
static inline uint8_t *hmem(struct tdev *t, uint32_t off)
{
    return t->mem + off;
}

/* A device with conn_max entries (0: default) on a fresh host; memory space,
 * bus mastering and MSI-X are on, and the power-on reset is over. */
struct tdev *tdev_new(uint32_t conn_max);
void tdev_free(struct tdev *t);
int tdev_setup(void **state);   /* tdev_new(64) */
int tdev_teardown(void **state);
void tdev_forget(struct tdev *t); /* drop recorded frames and messages */

/* ---- time ---- */

static inline uint64_t now(struct tdev *t)
{
    return toe_dev_now(t->d);
}
static inline void run_to(struct tdev *t, uint64_t ps)
{
    toe_dev_run(t->d, ps);
}
static inline void run_for(struct tdev *t, uint64_t ps)
{
    toe_dev_run(t->d, toe_dev_now(t->d) + ps);
}
static inline uint64_t next_activity(struct tdev *t)
{
    return t->d->ops->next_activity(t->d);
}
/* Run from one activity to the next until nothing is in flight (frames
 * leaving the port, completions waiting for them, moderation timers); returns
 * the time the last one happened. Tests that assert exact times use run_to. */
uint64_t run_until_settled(struct tdev *t);

/* ---- registers ---- */

static inline uint32_t rd(struct tdev *t, uint32_t off)
{
    return toe_dev_mmio_read(t->d, off);
}
static inline void wr(struct tdev *t, uint32_t off, uint32_t v)
{
    toe_dev_mmio_write(t->d, off, v);
}
static inline uint32_t qreg(unsigned qid, uint32_t reg)
{
    return QREG_BASE + qid * QREG_STRIDE + reg;
}
static inline uint32_t vreg(unsigned v, uint32_t reg)
{
    return VREG_BASE + v * VREG_STRIDE + reg;
}
static inline uint32_t msix_reg(unsigned v, uint32_t reg)
{
    return MSIX_BASE + v * MSIX_STRIDE + reg;
}
static inline uint32_t fwr(struct tdev *t, uint32_t off)
{
    return toe_dev_fw_read(t->d, off);
}
static inline void fww(struct tdev *t, uint32_t off, uint32_t v)
{
    toe_dev_fw_write(t->d, off, v);
}
static inline void pci(struct tdev *t, uint16_t cmd, uint16_t msix)
{
    t->d->ops->pci_state(t->d, cmd, msix);
}
#define PCI_ON 0x0006u    /* memory space, bus master */
#define PCI_CMD_MASTER_ONLY 0x0004u
#define PCI_CMD_MEMORY_ONLY 0x0002u
#define MSIX_ON 0x8000u

uint32_t dev_cnt(struct tdev *t, unsigned i);
void mark(struct tdev *t);
/* Every DEV counter moved by exactly the given amounts since mark() and no
 * other moved. Pairs (DEV_CNT_x, delta), ended by -1. */
void expect_dev_deltas(struct tdev *t, const int *pairs);
#define DEV_DELTAS(t, ...) expect_dev_deltas((t), (const int[]){__VA_ARGS__, -1})

/* ---- rings ---- */

/* Configure and enable ring qid at host offset at, 2^log2 entries, vector. */
void ring_on(struct tdev *t, unsigned qid, uint32_t at, uint32_t log2, uint32_t vector);
/* The entry at index i of a ring laid out at host offset at. */
uint8_t *ring_slot(struct tdev *t, uint32_t at, uint32_t log2, uint32_t esize, uint32_t i);

/* A raw frame of len bytes (a pattern from seed) at host offset buf_at, as
 * descriptor index i of TXQ (at AT_TXQ, 2^log2 entries). */
void post_raw(struct tdev *t, uint32_t log2, uint32_t i, uint32_t buf_at, uint32_t len,
              uint16_t tag, uint8_t seed);
/* DMA window = all of host memory, CONTROL.ENABLE on. */
void datapath_on(struct tdev *t);

/* ---- the firmware window ---- */

void mbox_put(struct tdev *t, uint32_t off, const void *src, size_t len);
void mbox_get(struct tdev *t, uint32_t off, void *dst, size_t len);
/* Install ctx as conn's TX context through the TX-context port. */
void fw_set_txctx(struct tdev *t, uint32_t conn, const struct toe_tx_ctx *ctx);
/* One connection command through the command port at mailbox offset off;
 * returns the response (READ's context into *ctx_out if not NULL). */
struct toe_conn_rsp fw_conn_cmd(struct tdev *t, uint32_t off, const struct toe_conn_cmd *cmd,
                                const struct toe_rx_ctx *ctx, struct toe_rx_ctx *ctx_out);
/* The mover: move len bytes; returns FW_DMA_STATUS after GO. */
uint32_t fw_move(struct tdev *t, uint64_t host, uint32_t mbox_off, uint32_t len, int to_host);

/* ---- the test cases of each file ---- */

size_t dev_regs_tests(struct CMUnitTest *out);
size_t dev_queue_tests(struct CMUnitTest *out);
size_t dev_tx_tests(struct CMUnitTest *out);
size_t dev_rx_tests(struct CMUnitTest *out);
size_t dev_fw_tests(struct CMUnitTest *out);
size_t dev_irq_tests(struct CMUnitTest *out);
size_t dev_time_tests(struct CMUnitTest *out);

#define ADD_TESTS(out, arr)                                                 \
    do {                                                                     \
        memcpy((out), (arr), sizeof(arr));                                   \
        return sizeof(arr) / sizeof((arr)[0]);                               \
    } while (0)
#define DEV_TEST(fn) cmocka_unit_test_setup_teardown(fn, tdev_setup, tdev_teardown)

#endif /* DEV_TEST_H */
