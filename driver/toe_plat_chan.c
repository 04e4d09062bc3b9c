/*
 * The platform layer for a device toe-sim plays: BAR0, interrupts and time
 * over the message channel (sim/chan, docs/device.md "The channel" and
 * "Time"), DMA memory a sealed memfd both processes map.
 *
 *   read32    MMIO_READ with a fresh id, then receive until the MMIO_DONE with
 *             that id; MSI-X messages that come meanwhile are kept as pending
 *             vectors, stale DONEs are counted and dropped.
 *   write32   a posted MMIO_WRITE.
 *   wait_irq  virtual time: SYNC(T) grants the device time up to T, and its
 *             SYNC back ends the turn; real time: a blocking wait on the
 *             channel with the timeout.
 *   flr       the RESET message.
 *
 * Time. Every message carries the host's time in ps. In virtual time the
 * host's clock is the device's: a DONE's or SYNC's time becomes it (it never
 * goes back). A wait sends SYNC stamped with the host's clock and the grant's
 * end in payload.sync.until; the device's SYNC back says where it stopped (at
 * the grant, or at its first MSI-X), and that is the host's clock from then
 * on. In real time messages carry the monotonic clock since open.
 *
 * Device gone. The channel's end (toe_chan_wait() -EPIPE: toe-sim died or
 * left), or no answer within the wall-clock guard (a device that hangs), marks
 * the platform gone: reads return all ones at once, writes are dropped, waits
 * return -ENODEV. No call here can block longer than the guard.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "toe_chan.h"
#include "toe_formats.h"
#include "toe_plat.h"

struct plat_chan {
    struct toe_plat base;
    struct toe_chan *ch;
    int dma_fd;
    struct toe_pci_dev pci;
    struct toe_plat_chan_opts opts;

    uint64_t vnow_ps;       /* virtual time: the host's clock */
    uint64_t t0_ns;         /* real time: monotonic clock at open */
    uint64_t last_sent_ps;  /* the time of the last message sent: times never go back */

    uint32_t next_id;       /* MMIO_READ ids: never 0 */
    uint32_t want_id;       /* the read waiting for its DONE, 0 if none */
    int done;               /* ... and whether it came */
    uint64_t done_value;
    uint32_t pending;       /* vectors fired and not yet reported */
    uint32_t syncs_out;     /* SYNCs sent and not yet answered */
    int msix_on;            /* MSI-X enabled in configuration space */

    struct toe_plat_chan_stats stats;
};

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int virt(const struct plat_chan *c) { return c->base.time_mode == TIME_MODE_VIRTUAL; }

/* The time a message sent now carries. */
static uint64_t stamp(struct plat_chan *c)
{
    uint64_t t = virt(c) ? c->vnow_ps : (mono_ns() - c->t0_ns) * 1000u;

    return t < c->last_sent_ps ? c->last_sent_ps : t;
}

/* Virtual time: the device's message at t moves our clock there. */
static void clock_to(struct plat_chan *c, uint64_t t_ps)
{
    if (virt(c) && t_ps > c->vnow_ps)
        c->vnow_ps = t_ps;
}

static void gone(struct plat_chan *c, int rc)
{
    if (rc == -EPIPE)
        toe_plat_mark_gone(&c->base, "device %s is gone: toe-sim closed the channel", c->base.bdf);
    else if (rc == -ETIMEDOUT)
        toe_plat_mark_gone(&c->base, "device %s is gone: no answer within %d ms", c->base.bdf,
                           c->opts.guard_ms);
    else
        toe_plat_mark_gone(&c->base, "device %s is gone: channel error %d (%s)", c->base.bdf, -rc,
                           toe_chan_error(c->ch));
}

static void handle(struct plat_chan *c, const struct toe_chan_msg *m)
{
    switch (m->type) {
    case CHAN_MSG_MMIO_DONE:
        clock_to(c, m->time);
        if (c->want_id && m->id == c->want_id && !c->done) {
            c->done = 1;
            c->done_value = m->payload.done.value;
        } else {
            c->stats.stale_done++;
        }
        break;
    case CHAN_MSG_MSIX:
        /* The library checked vector < MSIX_VECTORS (32): one bit each. */
        clock_to(c, m->time);
        c->pending |= 1u << m->payload.msix.vector;
        c->stats.msix++;
        if (c->want_id && !c->done)
            c->stats.msix_during_read++;
        break;
    case CHAN_MSG_SYNC:
        /* UINT64_MAX: the device will never do anything; the clock stays. */
        if (m->time != UINT64_MAX)
            clock_to(c, m->time);
        c->stats.syncs_received++;
        if (c->syncs_out)
            c->syncs_out--;
        break;
    default: /* the library lets only device-to-host types through */
        c->stats.bad_msgs++;
        break;
    }
}

/* Takes every message that has arrived. 0, or the channel's error. */
static int drain(struct plat_chan *c)
{
    const struct toe_chan_msg *m;
    int rc;

    for (;;) {
        rc = toe_chan_rx_peek(c->ch, &m);
        if (rc == 0)
            return 0;
        if (rc == -EPROTO) { /* dropped and handed back by the library */
            c->stats.bad_msgs++;
            continue;
        }
        if (rc < 0)
            return rc;
        handle(c, m);
        toe_chan_rx_release(c->ch);
    }
}

/*
 * Receives until cond(c) holds. A wait of timeout_ms >= 0 (below the guard)
 * that passes returns 0: the real-time waits. Otherwise the wall-clock guard
 * bounds it, and running out of it means the device no longer answers.
 * 0, or -errno with the platform marked gone.
 */
static int pump_guarded(struct plat_chan *c, int (*cond)(struct plat_chan *c), int timeout_ms,
                        int guard_ms)
{
    const int timed = timeout_ms >= 0 && timeout_ms < guard_ms;
    const uint64_t end = mono_ns() + (uint64_t)(timed ? timeout_ms : guard_ms) * 1000000u;
    int rc;

    for (;;) {
        uint64_t now;

        rc = drain(c);
        if (rc < 0)
            break;
        if (cond(c))
            return 0;
        now = mono_ns();
        if (now >= end) {
            if (timed)
                return 0;
            rc = -ETIMEDOUT;
            break;
        }
        rc = toe_chan_wait(c->ch, TOE_CHAN_RX, (int)((end - now + 999999) / 1000000));
        if (rc < 0 && rc != -EINTR)
            break;
    }
    gone(c, rc);
    return rc;
}

static int pump(struct plat_chan *c, int (*cond)(struct plat_chan *c), int timeout_ms)
{
    return pump_guarded(c, cond, timeout_ms, c->opts.guard_ms);
}

/* Publishes m (type, id, payload filled), stamped now; waits for a free slot,
 * receiving meanwhile so that a device blocked on its own full ring goes on. */
static int send_msg(struct plat_chan *c, const struct toe_chan_msg *tmpl, uint64_t time_ps)
{
    const uint64_t end = mono_ns() + (uint64_t)c->opts.guard_ms * 1000000u;
    struct toe_chan_msg *s;
    int rc;

    if (c->base.gone)
        return -ENODEV;
    while (!(s = toe_chan_tx_alloc(c->ch))) {
        uint64_t now = mono_ns();

        rc = drain(c);
        if (rc == 0 && now >= end)
            rc = -ETIMEDOUT;
        if (rc == 0)
            rc = toe_chan_wait(c->ch, TOE_CHAN_RX | TOE_CHAN_TX, (int)((end - now + 999999) / 1000000));
        if (rc < 0 && rc != -EINTR) {
            gone(c, rc);
            return -ENODEV;
        }
    }
    s->type = tmpl->type;
    s->id = tmpl->id;
    s->time = time_ps;
    memcpy(&s->payload, &tmpl->payload, sizeof(s->payload));
    rc = toe_chan_tx_commit(c->ch, s);
    if (rc < 0) {
        gone(c, rc);
        return -ENODEV;
    }
    c->last_sent_ps = time_ps;
    return 0;
}

static int read_done(struct plat_chan *c) { return c->done; }

static uint32_t chan_read32(struct toe_plat *p, uint32_t off)
{
    struct plat_chan *c = (struct plat_chan *)p;
    struct toe_chan_msg m;

    memset(&m, 0, sizeof(m));
    m.type = CHAN_MSG_MMIO_READ;
    m.id = c->next_id++;
    if (c->next_id == 0)
        c->next_id = 1;
    m.payload.mmio.bar = 0;
    m.payload.mmio.offset = off;
    m.payload.mmio.size = 4;
    c->want_id = m.id;
    c->done = 0;
    c->stats.reads++;
    if (send_msg(c, &m, stamp(c)) < 0 || pump(c, read_done, -1) < 0) {
        c->want_id = 0;
        return 0xffffffffu;
    }
    c->want_id = 0;
    return (uint32_t)c->done_value;
}

static void chan_write32(struct toe_plat *p, uint32_t off, uint32_t v)
{
    struct plat_chan *c = (struct plat_chan *)p;
    struct toe_chan_msg m;

    memset(&m, 0, sizeof(m));
    m.type = CHAN_MSG_MMIO_WRITE;
    m.payload.mmio.bar = 0;
    m.payload.mmio.offset = off;
    m.payload.mmio.size = 4;
    m.payload.mmio.value = v;
    c->stats.writes++;
    (void)send_msg(c, &m, stamp(c));
}

static int synced(struct plat_chan *c) { return c->syncs_out == 0; }
static int have_irq(struct plat_chan *c) { return c->pending != 0; }

static int take(struct plat_chan *c, uint32_t *fired)
{
    *fired = c->pending;
    c->pending = 0;
    return 0;
}

/*
 * Virtual time: one SYNC stamped with our clock grants the device time up to
 * now + timeout (payload.sync.until); the device runs until then or its first
 * MSI-X message and answers SYNC stamped where it stopped, which becomes our
 * clock - so an interrupt is acted on at the moment it fires. "No timer"
 * (timeout < 0) grants until an interrupt; with MSI-X off nothing can end
 * that, so a polled driver grants one quantum. A device with nothing to do,
 * ever, answers SYNC at UINT64_MAX: the clock stays and the wait ends with no
 * vector. The wall-clock guard bounds the whole wait.
 */
static int wait_virtual(struct plat_chan *c, int64_t timeout_ns, uint32_t *fired)
{
    const uint64_t start = c->vnow_ps;
    const uint64_t quantum = c->opts.irq_quantum_ns * 1000u;
    uint64_t span, until;
    struct toe_chan_msg m;

    if (timeout_ns < 0 && !c->msix_on)
        span = quantum;
    else if (timeout_ns < 0 || (uint64_t)timeout_ns > (UINT64_MAX - start) / 1000u)
        span = UINT64_MAX - start;
    else
        span = (uint64_t)timeout_ns * 1000u;
    until = start + span;
    memset(&m, 0, sizeof(m));
    m.type = CHAN_MSG_SYNC;
    m.payload.sync.until = until < c->last_sent_ps ? c->last_sent_ps : until;
    c->syncs_out++;
    c->stats.syncs_sent++;
    /* A grant may take long in wall time (a slow backend, a busy peer on the
     * cable) while the device is alive - its death ends the wait at once - so
     * it gets ten guards before the device counts as hung. */
    if (send_msg(c, &m, c->vnow_ps) < 0 || pump_guarded(c, synced, -1, 10 * c->opts.guard_ms) < 0)
        return -ENODEV;
    return take(c, fired);
}

static int chan_wait_irq(struct toe_plat *p, int64_t timeout_ns, uint32_t *fired)
{
    struct plat_chan *c = (struct plat_chan *)p;
    int rc = drain(c);

    if (rc < 0) {
        gone(c, rc);
        return -ENODEV;
    }
    if (c->pending || timeout_ns == 0)
        return take(c, fired);
    if (virt(c))
        return wait_virtual(c, timeout_ns, fired);
    /* Real time: block on the channel; the guard bounds "no timer". */
    {
        const int ms = timeout_ns < 0 || timeout_ns / 1000000 >= c->opts.guard_ms
                           ? c->opts.guard_ms : (int)(timeout_ns / 1000000);

        if (ms == 0) { /* under a millisecond: poll() cannot sleep that short */
            struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)timeout_ns};

            nanosleep(&ts, NULL);
            rc = drain(c);
        } else {
            rc = pump(c, have_irq, ms);
        }
        if (rc < 0) {
            if (!c->base.gone)
                gone(c, rc);
            return -ENODEV;
        }
    }
    return take(c, fired);
}

static uint64_t chan_now_ns(struct toe_plat *p)
{
    struct plat_chan *c = (struct plat_chan *)p;

    return virt(c) ? c->vnow_ps / 1000u : mono_ns() - c->t0_ns;
}

static int chan_flr(struct toe_plat *p)
{
    struct plat_chan *c = (struct plat_chan *)p;
    struct toe_chan_msg m;

    memset(&m, 0, sizeof(m));
    m.type = CHAN_MSG_RESET;
    c->stats.resets++;
    if (send_msg(c, &m, stamp(c)) < 0)
        return -ENODEV;
    /* Messages sent before the reset belong to the function that was. */
    if (drain(c) < 0)
        return -ENODEV;
    c->pending = 0;
    return 0;
}

static int chan_msix_enable(struct toe_plat *p, int on)
{
    struct plat_chan *c = (struct plat_chan *)p;
    char err[256];

    if (toe_pci_msix_enable(&c->pci, on, err, sizeof(err)) < 0)
        return -EIO;
    c->msix_on = on;
    return 0;
}

static void chan_close(struct toe_plat *p)
{
    struct plat_chan *c = (struct plat_chan *)p;

    toe_chan_close(c->ch);
    if (c->dma_fd >= 0)
        close(c->dma_fd);
    toe_dma_pool_fini(&c->base.dma);
    free(c);
}

static const struct toe_plat_ops chan_ops = {
    .name = "chan",
    .read32 = chan_read32,
    .write32 = chan_write32,
    .wait_irq = chan_wait_irq,
    .now_ns = chan_now_ns,
    .flr = chan_flr,
    .msix_enable = chan_msix_enable,
    .close = chan_close,
};

const struct toe_plat_chan_stats *toe_plat_chan_stats(const struct toe_plat *p)
{
    return p->ops == &chan_ops ? &((const struct plat_chan *)p)->stats : NULL;
}

static struct toe_plat *fail(struct plat_chan *c, int err_no, char *err, size_t errlen,
                             const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    if (c)
        chan_close(&c->base);
    errno = err_no;
    return NULL;
}

struct toe_plat *toe_plat_chan_open(const struct toe_pci_dev *dev, const struct toe_plat_chan_opts *opts,
                                    char *err, size_t errlen)
{
    struct toe_chan_opts co;
    struct plat_chan *c;
    char path[PATH_MAX + 32];
    uint32_t mode;
    void *va;
    int rc;

    c = calloc(1, sizeof(*c));
    if (!c)
        return fail(NULL, ENOMEM, err, errlen, "out of memory");
    c->dma_fd = -1;
    c->pci = *dev;
    if (opts)
        c->opts = *opts;
    if (!c->opts.dma_size)
        c->opts.dma_size = TOE_PLAT_CHAN_DMA_DEFAULT;
    if (!c->opts.dma_iova)
        c->opts.dma_iova = TOE_PLAT_CHAN_IOVA_DEFAULT;
    if (c->opts.guard_ms <= 0)
        c->opts.guard_ms = TOE_PLAT_GUARD_MS_DEFAULT;
    if (!c->opts.irq_quantum_ns)
        c->opts.irq_quantum_ns = TOE_PLAT_IRQ_QUANTUM_NS_DEFAULT;
    c->next_id = 1;
    c->base.ops = &chan_ops;
    c->base.bar0_size = BAR0_SIZE;
    c->base.time_mode = TIME_MODE_VIRTUAL; /* until REG_TIME_MODE says: the first read is at 0 */
    snprintf(c->base.bdf, sizeof(c->base.bdf), "%s", dev->bdf);
    if (toe_dma_pool_init(&c->base.dma, NULL, 0, 0, 1) < 0)
        return fail(c, ENOMEM, err, errlen, "out of memory");

    snprintf(path, sizeof(path), "%s/toe-sim.sock", dev->dev_dir);
    memset(&co, 0, sizeof(co));
    co.spin_ns = c->opts.spin_ns;
    co.handshake_timeout_ms = c->opts.guard_ms;
    c->ch = toe_chan_new(&co);
    if (!c->ch)
        return fail(c, ENOMEM, err, errlen, "out of memory");
    rc = toe_chan_memfd("toe-dma", c->opts.dma_size);
    if (rc < 0)
        return fail(c, -rc, err, errlen, "device %s: no DMA memory of %llu bytes: %s", dev->bdf,
                    (unsigned long long)c->opts.dma_size, strerror(-rc));
    c->dma_fd = rc;
    rc = toe_chan_connect(c->ch, path, c->dma_fd, c->opts.dma_size, c->opts.dma_iova);
    if (rc == -EBUSY)
        return fail(c, EBUSY, err, errlen, "device %s is in use by another driver", dev->bdf);
    if (rc < 0)
        return fail(c, -rc, err, errlen, "device %s: cannot attach through %s: %s", dev->bdf, path,
                    toe_chan_error(c->ch));
    va = toe_chan_dma_ptr(c->ch, c->opts.dma_iova, c->opts.dma_size);
    toe_dma_pool_fini(&c->base.dma);
    if (!va || toe_dma_pool_init(&c->base.dma, va, c->opts.dma_iova, c->opts.dma_size, 0) < 0)
        return fail(c, ENOMEM, err, errlen, "device %s: DMA memory not usable", dev->bdf);
    c->t0_ns = mono_ns();

    mode = chan_read32(&c->base, REG_TIME_MODE);
    if (c->base.gone)
        return fail(c, ENODEV, err, errlen, "%s", c->base.gone_why);
    if (mode != TIME_MODE_REAL && mode != TIME_MODE_VIRTUAL)
        return fail(c, EPROTO, err, errlen, "device %s: REG_TIME_MODE reads %u (0 real, 1 virtual)",
                    dev->bdf, mode);
    c->base.time_mode = mode;
    return &c->base;
}
