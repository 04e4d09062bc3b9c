/*
 * The channel platform (driver/toe_plat_chan.c) and the driver's bring-up over
 * it, against a fake device in a child process: the device side of sim/chan
 * (toe_chan_listen/accept) with just enough BAR0 - ID, IF_VERSION, SCRATCH,
 * TIME_MODE, CONTROL/STATUS, CONN_MAX, the queue and MSI-X registers kept as
 * written - published as a sysfs tree by toe-sim's own library, so that the
 * driver finds it through libpci as it will find toe-sim.
 *
 * Checked: register round trips and their exact virtual time; a device that
 * speaks interface 2.0 refused in so many words; a second driver told the
 * device is busy; a device killed while idle or in the middle of a read seen
 * as gone at once, and one that stops answering seen as gone after the guard;
 * an MSI-X that arrives during a read kept; the virtual-time SYNC handshake
 * with its exact grant times; real time; RESET; a whole attach, reset and
 * detach over the channel.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pci_tree.h"
#include "test_chan_util.h"
#include "toe_chan.h"
#include "toe_dev_drv.h"
#include "toe_formats.h"
#include "toe_pci.h"
#include "toe_plat.h"

#define BDF TOE_PCI_BDF_DEFAULT
#define TEST_DMA_SIZE (4u << 20)

/* ---- the fake device --------------------------------------------------------------- */

struct fdev_cfg {
    uint32_t if_version;        /* 0: 1.0 */
    uint32_t time_mode;
    int64_t msix_on_read_of;    /* a read of this offset sends MSI-X msix_vec first (-1: none) */
    unsigned msix_vec;
    int64_t die_on_read_of;     /* a read of this offset kills the device (-1: none) */
    int hang_after_reads;       /* answers no read after this many (0: always answers) */
    uint64_t sync_msix_ps;      /* virtual: a grant fires MSI-X sync_vec this long in (0: none) */
    unsigned sync_vec;
};

/* What the device saw, sent to the test when the host leaves. */
enum { R_READS, R_WRITES, R_SYNCS, R_RESETS, R_CONTROL_RESETS, R_SYNC_T0, R_SYNC_T1, R_SYNC_T2,
       R_RING_ENABLES, R_MSIX_UNMASKED, R_CONTROL, R_BAD, R_N };

struct fdev {
    struct fdev_cfg cfg;
    struct toe_chan *ch;
    uint32_t regs[BAR0_SIZE / 4];
    uint64_t now_ps, t0_ns;
    uint64_t rep[R_N];
    uint64_t feed_due_ns;       /* real time: an MSI-X owed at this wall time */
};

static char tree_dir[64];
static struct toe_pci_tree tree;

static uint64_t mono_ns_(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t dev_time(struct fdev *f)
{
    return f->cfg.time_mode == TIME_MODE_VIRTUAL ? f->now_ps : (mono_ns_() - f->t0_ns) * 1000u;
}

static int dev_send(struct fdev *f, uint8_t type, uint32_t id, uint64_t t, uint64_t value)
{
    struct toe_chan_msg m;

    memset(&m, 0, sizeof(m));
    m.type = type;
    m.id = id;
    m.time = t;
    if (type == CHAN_MSG_MMIO_DONE)
        m.payload.done.value = value;
    if (type == CHAN_MSG_MSIX)
        m.payload.msix.vector = (uint16_t)value;
    return toe_chan_send(f->ch, &m);
}

static void dev_reset(struct fdev *f)
{
    unsigned v;

    memset(&f->regs[QREG_BASE / 4], 0, DEV_QUEUES * QREG_STRIDE);
    for (v = 0; v < DEV_QUEUES; v++)
        f->regs[(QREG_BASE + v * QREG_STRIDE + QREG_VECTOR) / 4] = QUEUE_NO_VECTOR;
    for (v = 0; v < MSIX_VECTORS; v++)
        f->regs[(MSIX_BASE + v * MSIX_STRIDE + MSIX_VCTRL) / 4] = 1;
    f->regs[REG_CONTROL / 4] = 0;
    f->regs[REG_SCRATCH / 4] = 0;
}

static uint32_t dev_read(struct fdev *f, uint32_t off)
{
    static const uint32_t esize[DEV_QUEUES] = {64, 16, 32, 16, 16, 16, 16};

    switch (off) {
    case REG_ID: return DEV_ID_MAGIC;
    case REG_IF_VERSION: return f->cfg.if_version ? f->cfg.if_version : 1u << 16;
    case REG_TIME_MODE: return f->cfg.time_mode;
    case REG_STATUS: return STATUS_READY | STATUS_FW_READY;
    case REG_CONN_MAX: return 4096;
    case REG_DMA_HI_LO: { /* the 4 bytes at bus address 0x1_0000_0000 + DMA_LO_LO: DMA works */
        const uint32_t *p = toe_chan_dma_ptr(f->ch, TOE_PLAT_CHAN_IOVA_DEFAULT + f->regs[REG_DMA_LO_LO / 4], 4);

        return p ? *p : 0xdeadbeefu;
    }
    default: break;
    }
    if (off >= QREG_BASE && off < QREG_BASE + DEV_QUEUES * QREG_STRIDE) {
        unsigned q = (off - QREG_BASE) / QREG_STRIDE, r = (off - QREG_BASE) % QREG_STRIDE;

        if (r == QREG_ENTRY_SIZE)
            return esize[q];
        if (r == QREG_ERROR)
            return 0;
    }
    return f->regs[off / 4];
}

static void dev_write(struct fdev *f, uint32_t off, uint32_t v)
{
    f->rep[R_WRITES]++;
    if (off == REG_CONTROL && (v & CONTROL_RESET)) {
        f->rep[R_CONTROL_RESETS]++;
        dev_reset(f);
        return;
    }
    if (off >= QREG_BASE && off < QREG_BASE + DEV_QUEUES * QREG_STRIDE &&
        (off - QREG_BASE) % QREG_STRIDE == QREG_CTRL && (v & 1))
        f->rep[R_RING_ENABLES]++;
    if (off >= MSIX_BASE && off < MSIX_BASE + MSIX_VECTORS * MSIX_STRIDE &&
        (off - MSIX_BASE) % MSIX_STRIDE == MSIX_VCTRL && v == 0)
        f->rep[R_MSIX_UNMASKED]++;
    if (off == REG_SCRATCH && v == 0xfeed && f->cfg.time_mode == TIME_MODE_REAL)
        f->feed_due_ns = mono_ns_() + 20000000u; /* an MSI-X in 20 ms */
    f->regs[off / 4] = v;
}

/* One message; 1 when the device is to stop answering (hang), -1 to die. */
static int dev_handle(struct fdev *f, const struct toe_chan_msg *m)
{
    /* The device runs to a message's time before it applies it; a SYNC's
     * grant (payload.sync.until) it runs into below. */
    if (f->cfg.time_mode == TIME_MODE_VIRTUAL && m->time > f->now_ps)
        f->now_ps = m->time;
    switch (m->type) {
    case CHAN_MSG_MMIO_READ: {
        const uint32_t off = (uint32_t)m->payload.mmio.offset;

        if ((int64_t)off == f->cfg.die_on_read_of)
            return -1;
        if (f->cfg.hang_after_reads && f->rep[R_READS] >= (uint64_t)f->cfg.hang_after_reads)
            return 1;
        f->rep[R_READS]++;
        if (f->cfg.time_mode == TIME_MODE_VIRTUAL)
            f->now_ps += MMIO_READ_PS;
        if ((int64_t)off == f->cfg.msix_on_read_of)
            dev_send(f, CHAN_MSG_MSIX, 0, dev_time(f), f->cfg.msix_vec);
        dev_send(f, CHAN_MSG_MMIO_DONE, m->id, dev_time(f), dev_read(f, off));
        break;
    }
    case CHAN_MSG_MMIO_WRITE:
        dev_write(f, (uint32_t)m->payload.mmio.offset, (uint32_t)m->payload.mmio.value);
        break;
    case CHAN_MSG_SYNC:
        if (f->rep[R_SYNCS] < 3)
            f->rep[R_SYNC_T0 + f->rep[R_SYNCS]] = m->payload.sync.until;
        f->rep[R_SYNCS]++;
        if (f->cfg.time_mode != TIME_MODE_VIRTUAL)
            break; /* means nothing in real time */
        if (f->cfg.sync_msix_ps && f->now_ps + f->cfg.sync_msix_ps < m->payload.sync.until) {
            /* The grant is cut short by an interrupt (once): MSI-X, then SYNC
             * where it stopped. */
            f->now_ps += f->cfg.sync_msix_ps;
            f->cfg.sync_msix_ps = 0;
            dev_send(f, CHAN_MSG_MSIX, 0, f->now_ps, f->cfg.sync_vec);
        } else {
            f->now_ps = m->payload.sync.until;
        }
        dev_send(f, CHAN_MSG_SYNC, 0, f->now_ps, 0);
        break;
    case CHAN_MSG_RESET:
        f->rep[R_RESETS]++;
        dev_reset(f);
        break;
    default:
        f->rep[R_BAD]++;
        break;
    }
    return 0;
}

static int fdev_main(int ctl, void *arg)
{
    struct fdev *f = calloc(1, sizeof(*f));
    char sock[PATH_MAX + 32];
    int hung = 0, rc;

    f->cfg = *(const struct fdev_cfg *)arg;
    f->t0_ns = mono_ns_();
    dev_reset(f);
    f->ch = toe_chan_new(NULL);
    snprintf(sock, sizeof(sock), "%s/toe-sim.sock", tree.dev_dir);
    if (!f->ch || toe_chan_listen(f->ch, sock) < 0)
        return 100;
    ctl_put(ctl, 1);
    if (toe_chan_accept(f->ch, 5000) < 0)
        return 101;
    for (;;) {
        const struct toe_chan_msg *m;
        int timeout = 100;

        if (f->feed_due_ns) {
            uint64_t now = mono_ns_();

            if (now >= f->feed_due_ns) {
                f->feed_due_ns = 0;
                dev_send(f, CHAN_MSG_MSIX, 0, dev_time(f), 3);
            } else {
                timeout = (int)((f->feed_due_ns - now) / 1000000u) + 1;
            }
        }
        rc = toe_chan_wait(f->ch, TOE_CHAN_RX, timeout);
        if (rc == -EPIPE)
            break;
        while (toe_chan_rx_peek(f->ch, &m) == 1) {
            int what = hung ? 1 : dev_handle(f, m);

            toe_chan_rx_release(f->ch);
            if (what < 0)
                _exit(7); /* dies in the middle of a read */
            hung |= what;
        }
    }
    for (rc = 0; rc < R_N; rc++)
        ctl_put(ctl, f->rep[rc]);
    toe_chan_close(f->ch);
    return 0;
}

static struct child dev_child;

static void start_dev(const struct fdev_cfg *cfg)
{
    dev_child = spawn(fdev_main, (void *)cfg);
    assert_true(dev_child.pid > 0);
}

static void dev_report(uint64_t rep[R_N])
{
    unsigned i;

    for (i = 0; i < R_N; i++)
        rep[i] = ctl_get(dev_child.ctl);
    assert_int_equal(reap(&dev_child), 0);
}

static struct fdev_cfg cfg_default(void)
{
    struct fdev_cfg c;

    memset(&c, 0, sizeof(c));
    c.time_mode = TIME_MODE_VIRTUAL;
    c.msix_on_read_of = -1;
    c.die_on_read_of = -1;
    return c;
}

/* ---- fixture: a published function ---------------------------------------------------- */

static int setup(void **state)
{
    char err[256];

    (void)state;
    snprintf(tree_dir, sizeof(tree_dir), "/tmp/toe-test-drvchan-XXXXXX");
    if (!mkdtemp(tree_dir))
        return -1;
    if (toe_pci_tree_publish(&tree, tree_dir, BDF, err, sizeof(err)) < 0) {
        fprintf(stderr, "publish: %s\n", err);
        return -1;
    }
    dev_child.pid = -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    if (dev_child.pid > 0)
        kill_child(&dev_child);
    toe_pci_tree_remove(&tree);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct toe_plat *open_plat(int guard_ms)
{
    struct toe_plat_chan_opts o;
    struct toe_pci_dev pci;
    struct toe_plat *p;
    char err[256];

    assert_int_equal(toe_pci_find(tree_dir, &pci, err, sizeof(err)), 0);
    memset(&o, 0, sizeof(o));
    o.dma_size = TEST_DMA_SIZE;
    o.guard_ms = guard_ms;
    p = toe_plat_chan_open(&pci, &o, err, sizeof(err));
    if (!p)
        fail_msg("open: %s", err);
    return p;
}

/* ---- tests ----------------------------------------------------------------------------- */

static void mmio_round_trips(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat *p;
    struct toe_dma b;
    uint64_t rep[R_N];
    uint32_t i;

    (void)state;
    start_dev(&cfg);
    p = open_plat(0);
    assert_string_equal(p->ops->name, "chan");
    assert_int_equal(p->time_mode, TIME_MODE_VIRTUAL);
    /* Virtual time: the open's TIME_MODE read cost exactly one MMIO_READ_PS. */
    assert_int_equal(toe_plat_now_ns(p), MMIO_READ_PS / 1000);
    assert_int_equal(toe_rd32(p, REG_ID), DEV_ID_MAGIC);
    for (i = 0; i < 100; i++) {
        toe_wr32(p, REG_SCRATCH, 0x9e3779b9u * i);
        assert_int_equal(toe_rd32(p, REG_SCRATCH), 0x9e3779b9u * i);
    }
    assert_int_equal(toe_plat_now_ns(p), 102 * (MMIO_READ_PS / 1000));
    /* Unaligned and out of BAR0: refused here, all ones, never sent. */
    assert_int_equal(toe_rd32(p, REG_SCRATCH + 2), 0xffffffffu);
    assert_int_equal(toe_rd32(p, BAR0_SIZE), 0xffffffffu);
    toe_wr32(p, BAR0_SIZE - 2, 1);
    assert_int_equal(p->bad_access, 3);
    assert_int_equal(toe_plat_chan_stats(p)->reads, 102);
    assert_int_equal(toe_plat_chan_stats(p)->writes, 100);
    /* DMA memory: the device reads what the host wrote, at the documented IOVA. */
    assert_int_equal(p->dma.bus, TOE_PLAT_CHAN_IOVA_DEFAULT);
    assert_int_equal(p->dma.size, TEST_DMA_SIZE);
    assert_int_equal(toe_plat_dma_alloc(p, 4096, 4096, &b), 0);
    assert_int_equal(b.bus, TOE_PLAT_CHAN_IOVA_DEFAULT);
    assert_int_equal(toe_plat_dma_alloc(p, 64, 0, &b), 0);
    assert_int_equal(b.bus, TOE_PLAT_CHAN_IOVA_DEFAULT + 4096);
    *(uint32_t *)b.va = 0xcafef00d;
    toe_wr32(p, REG_DMA_LO_LO, (uint32_t)(b.bus - TOE_PLAT_CHAN_IOVA_DEFAULT));
    assert_int_equal(toe_rd32(p, REG_DMA_HI_LO), 0xcafef00d);
    assert_false(toe_plat_gone(p));
    toe_plat_close(p);
    dev_report(rep);
    assert_int_equal(rep[R_READS], 103);
    assert_int_equal(rep[R_WRITES], 101);
    assert_int_equal(rep[R_BAD], 0);
}

static void interface_2_0_refused(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    char err[256];
    uint64_t rep[R_N];

    (void)state;
    cfg.if_version = 2u << 16;
    start_dev(&cfg);
    assert_null(toe_drv_attach(tree_dir, NULL, err, sizeof(err)));
    assert_int_equal(errno, EPROTONOSUPPORT);
    assert_string_equal(err, "device speaks interface 2.0, this driver speaks 1.0");
    dev_report(rep);
    assert_int_equal(rep[R_WRITES], 0); /* refused before touching anything */
}

static void second_driver_is_told_busy(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat_chan_opts o;
    struct toe_pci_dev pci;
    struct toe_plat *p;
    uint64_t rep[R_N];
    char err[256];

    (void)state;
    start_dev(&cfg);
    p = open_plat(0);
    assert_int_equal(toe_pci_find(tree_dir, &pci, err, sizeof(err)), 0);
    memset(&o, 0, sizeof(o));
    o.dma_size = TEST_DMA_SIZE;
    errno = 0;
    assert_null(toe_plat_chan_open(&pci, &o, err, sizeof(err)));
    assert_int_equal(errno, EBUSY);
    assert_string_equal(err, "device 0000:00:05.0 is in use by another driver");
    /* Through the driver too, with the same words. */
    assert_null(toe_drv_attach(tree_dir, NULL, err, sizeof(err)));
    assert_int_equal(errno, EBUSY);
    assert_string_equal(err, "device 0000:00:05.0 is in use by another driver");
    /* The first one is undisturbed. */
    toe_wr32(p, REG_SCRATCH, 77);
    assert_int_equal(toe_rd32(p, REG_SCRATCH), 77);
    toe_plat_close(p);
    dev_report(rep);
}

/* After the device is gone every call fails at once. */
static void expect_gone(struct toe_plat *p, const char *why)
{
    uint32_t fired = 123;
    int64_t t0 = mono_ms();

    assert_true(toe_plat_gone(p));
    assert_string_equal(toe_plat_gone_why(p), why);
    assert_int_equal(toe_rd32(p, REG_ID), 0xffffffffu);
    toe_wr32(p, REG_SCRATCH, 1);
    assert_int_equal(toe_plat_wait_irq(p, 1000000000, &fired), -ENODEV);
    assert_int_equal(fired, 0);
    assert_int_equal(toe_plat_flr(p), -ENODEV);
    assert_true(mono_ms() - t0 < GUARD_MS);
}

static void device_killed_while_idle(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat *p;
    int64_t t0;

    (void)state;
    start_dev(&cfg);
    p = open_plat(60000); /* a guard far beyond GUARD_MS: gone must not come from it */
    assert_int_equal(toe_rd32(p, REG_ID), DEV_ID_MAGIC);
    kill_child(&dev_child);
    t0 = mono_ms();
    assert_int_equal(toe_rd32(p, REG_SCRATCH), 0xffffffffu);
    assert_true(mono_ms() - t0 < GUARD_MS);
    expect_gone(p, "device 0000:00:05.0 is gone: toe-sim closed the channel");
    toe_plat_close(p);
}

static void device_dies_during_a_read(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat *p;
    uint32_t fired;
    int64_t t0;

    (void)state;
    cfg.die_on_read_of = REG_FEATURES;
    start_dev(&cfg);
    p = open_plat(60000);
    toe_wr32(p, REG_SCRATCH, 5);
    assert_int_equal(toe_rd32(p, REG_SCRATCH), 5);
    t0 = mono_ms();
    assert_int_equal(toe_rd32(p, REG_FEATURES), 0xffffffffu);
    assert_true(mono_ms() - t0 < GUARD_MS);
    assert_int_equal(reap(&dev_child), 7);
    expect_gone(p, "device 0000:00:05.0 is gone: toe-sim closed the channel");
    assert_int_equal(toe_plat_wait_irq(p, -1, &fired), -ENODEV);
    toe_plat_close(p);
}

static void device_that_stops_answering(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat *p;
    int64_t t0, dt;

    (void)state;
    cfg.hang_after_reads = 2; /* TIME_MODE at open, then one more */
    start_dev(&cfg);
    p = open_plat(300);
    assert_int_equal(toe_rd32(p, REG_ID), DEV_ID_MAGIC);
    t0 = mono_ms();
    assert_int_equal(toe_rd32(p, REG_SCRATCH), 0xffffffffu);
    dt = mono_ms() - t0;
    assert_true(dt >= 300 && dt < GUARD_MS + 300);
    expect_gone(p, "device 0000:00:05.0 is gone: no answer within 300 ms");
    toe_plat_close(p);
    kill_child(&dev_child);
}

static void msix_during_a_read_is_kept(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat *p;
    uint32_t fired;
    uint64_t rep[R_N];

    (void)state;
    cfg.msix_on_read_of = REG_SCRATCH;
    cfg.msix_vec = 5;
    start_dev(&cfg);
    p = open_plat(0);
    toe_wr32(p, REG_SCRATCH, 0xabcd);
    assert_int_equal(toe_rd32(p, REG_SCRATCH), 0xabcd);
    assert_int_equal(toe_rd32(p, REG_SCRATCH), 0xabcd);
    assert_int_equal(toe_plat_chan_stats(p)->msix_during_read, 2);
    /* Pending: reported at once, without granting the device any time. */
    assert_int_equal(toe_plat_wait_irq(p, 1000000, &fired), 0);
    assert_int_equal(fired, 1u << 5);
    assert_int_equal(toe_plat_chan_stats(p)->syncs_sent, 0);
    assert_int_equal(toe_plat_wait_irq(p, 0, &fired), 0);
    assert_int_equal(fired, 0);
    toe_plat_close(p);
    dev_report(rep);
    assert_int_equal(rep[R_SYNCS], 0);
}

static void virtual_time_sync_handshake(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat *p;
    uint32_t fired;
    uint64_t t0, rep[R_N];

    (void)state;
    cfg.sync_msix_ps = 3000000; /* 3 us into a grant */
    cfg.sync_vec = 9;
    start_dev(&cfg);
    p = open_plat(0);
    t0 = toe_plat_now_ns(p);
    assert_int_equal(t0, 1000);
    assert_int_equal(toe_plat_msix_enable(p, 1), 0);
    /* MSI-X on: one grant of the whole 1 ms; the device cuts it short at 3 us
     * with vector 9 and its SYNC there, and the host acts at that moment:
     * now = t0 + 3 us exactly. */
    assert_int_equal(toe_plat_wait_irq(p, 1000000, &fired), 0);
    assert_int_equal(fired, 1u << 9);
    assert_int_equal(toe_plat_now_ns(p), t0 + 3000);
    assert_int_equal(toe_plat_chan_stats(p)->syncs_sent, 1);
    assert_int_equal(toe_plat_chan_stats(p)->syncs_received, 1);
    /* MSI-X off again: one grant of the whole timeout, answered at its end. */
    assert_int_equal(toe_plat_msix_enable(p, 0), 0);
    assert_int_equal(toe_plat_wait_irq(p, 50000, &fired), 0);
    assert_int_equal(fired, 0);
    assert_int_equal(toe_plat_now_ns(p), t0 + 3000 + 50000);
    /* A read after it is stamped at the grant's end: DONE 1 us later. */
    assert_int_equal(toe_rd32(p, REG_ID), DEV_ID_MAGIC);
    assert_int_equal(toe_plat_now_ns(p), t0 + 54000);
    toe_plat_close(p);
    dev_report(rep);
    assert_int_equal(rep[R_SYNCS], 2);
    assert_int_equal(rep[R_SYNC_T0], (t0 + 1000000) * 1000);
    assert_int_equal(rep[R_SYNC_T1], (t0 + 53000) * 1000);
}

static void real_time(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat *p;
    uint32_t fired;
    uint64_t t, rep[R_N];

    (void)state;
    cfg.time_mode = TIME_MODE_REAL;
    start_dev(&cfg);
    p = open_plat(0);
    assert_int_equal(p->time_mode, TIME_MODE_REAL);
    t = toe_plat_now_ns(p);
    /* Nothing comes: the wait lasts its timeout of wall time. */
    assert_int_equal(toe_plat_wait_irq(p, 30000000, &fired), 0);
    assert_int_equal(fired, 0);
    assert_true(toe_plat_now_ns(p) - t >= 30000000);
    /* An interrupt 20 ms after a write ends a 5 s wait. */
    toe_wr32(p, REG_SCRATCH, 0xfeed);
    t = toe_plat_now_ns(p);
    assert_int_equal(toe_plat_wait_irq(p, 5000000000ll, &fired), 0);
    assert_int_equal(fired, 1u << 3);
    assert_true(toe_plat_now_ns(p) - t >= 20000000);
    assert_true(toe_plat_now_ns(p) - t < 5000000000ull);
    assert_int_equal(toe_plat_chan_stats(p)->syncs_sent, 0);
    toe_plat_close(p);
    dev_report(rep);
    assert_int_equal(rep[R_SYNCS], 0);
}

static void flr_is_the_reset_message(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_plat *p;
    uint64_t rep[R_N];

    (void)state;
    start_dev(&cfg);
    p = open_plat(0);
    toe_wr32(p, REG_SCRATCH, 42);
    assert_int_equal(toe_plat_flr(p), 0);
    assert_int_equal(toe_rd32(p, REG_SCRATCH), 0);
    assert_int_equal(toe_plat_chan_stats(p)->resets, 1);
    toe_plat_close(p);
    dev_report(rep);
    assert_int_equal(rep[R_RESETS], 1);
}

static int resets_seen;
static void count_reset(void *arg, int why)
{
    (void)arg;
    assert_int_equal(why, TOE_DRV_RESET_CALLER);
    resets_seen++;
}

/* Bring-up end to end over the channel, found through libpci. */
static void attach_reset_detach(void **state)
{
    struct fdev_cfg cfg = cfg_default();
    struct toe_drv_opts o;
    struct toe_drv *d;
    uint64_t rep[R_N];
    char err[256];
    uint16_t msix_ctrl;

    (void)state;
    start_dev(&cfg);
    memset(&o, 0, sizeof(o));
    o.chan.dma_size = TEST_DMA_SIZE;
    o.on_reset = count_reset;
    resets_seen = 0;
    d = toe_drv_attach(tree_dir, &o, err, sizeof(err));
    if (!d)
        fail_msg("attach: %s", err);
    assert_int_equal(toe_drv_conn_max(d), 4096);
    assert_string_equal(toe_drv_plat(d)->ops->name, "chan");
    /* Memory space, bus mastering and MSI-X on, as the config file says. */
    assert_int_equal(toe_pci_tree_command(&tree) & 6, 6);
    msix_ctrl = (uint16_t)(tree.cfg[0xb2] | tree.cfg[0xb3] << 8);
    assert_int_equal(msix_ctrl & 0xc000, 0x8000);
    assert_int_equal(toe_drv_reset(d), 0);
    assert_int_equal(resets_seen, 1);
    assert_int_equal(toe_drv_stats(d)->resets, 1);
    /* Nothing arrives: a 100 us wait in virtual time is 100 us later. */
    {
        uint64_t t = toe_drv_now_ns(d);

        assert_int_equal(toe_drv_wait(d, 100000), 0);
        assert_true(toe_drv_now_ns(d) >= t + 100000);
    }
    toe_drv_detach(d);
    dev_report(rep);
    assert_int_equal(rep[R_RESETS], 1);           /* toe_drv_reset: the RESET message */
    assert_int_equal(rep[R_CONTROL_RESETS], 2);   /* attach and detach */
    assert_int_equal(rep[R_RING_ENABLES], 14);    /* seven rings, twice */
    assert_int_equal(rep[R_MSIX_UNMASKED], 8);    /* four vectors, twice */
    assert_int_equal(rep[R_BAD], 0);
    /* Detach turned bus mastering and MSI-X off. */
    assert_int_equal(toe_pci_tree_command(&tree) & 4, 0);
    msix_ctrl = (uint16_t)(tree.cfg[0xb2] | tree.cfg[0xb3] << 8);
    assert_int_equal(msix_ctrl & 0x8000, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(mmio_round_trips),
        T(interface_2_0_refused),
        T(second_driver_is_told_busy),
        T(device_killed_while_idle),
        T(device_dies_during_a_read),
        T(device_that_stops_answering),
        T(msix_during_a_read_is_kept),
        T(virtual_time_sync_handshake),
        T(real_time),
        T(flr_is_the_reset_message),
        T(attach_reset_detach),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
