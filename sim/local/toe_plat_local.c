/*
 * The in-process platform (toe_plat_local.h): a struct toe_dev and the
 * firmware behind struct toe_plat, in virtual time. Its rules of time are
 * toe-sim's (sim/toe-sim/sim_core.c) and the channel platform's
 * (driver/toe_plat_chan.c), so that a driver sees the same times here as over
 * the channel: advance_to() below is sim_core's advance_to() without the
 * cable and the host channel, and the driver's clock (host_ps) moves as the
 * channel platform's does - only with a read's answer or a wait's end, never
 * with a posted write (which on the RTL takes device clock cycles). The same
 * toe-devtest command gives the same capture over both (tests/suites/52-local.sh).
 */
#define _GNU_SOURCE
#include "toe_plat_local.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "toe_dev.h"
#include "toe_formats.h"
#include "toe_fw.h"

#define NEVER UINT64_MAX
/* PCI command register bits (memory space, bus master) and MSI-X message
 * control (enable; the table size field reads MSIX_VECTORS - 1), as
 * sim/toe-sim/pci_config.c lays them out. */
#define CMD_MEMORY_MASTER 0x0006u
#define MSIX_CTL_ENABLE 0x8000u
#define MSIX_CTL_RESET ((uint16_t)(MSIX_VECTORS - 1u))

/* advance_to() results and flags */
enum { ADV_REACHED = 0, ADV_MSIX = 1, ADV_IDLE = 2 };
enum { ADV_F_MSIX = 1 };

/* A frame on its way in, in a list kept in time order. */
struct in_frame {
    struct in_frame *next;
    uint64_t t_ps;
    size_t len;
    uint8_t data[];
};

struct plat_local {
    struct toe_plat base;
    struct toe_plat_local_opts o;
    struct toe_dev *dev;
    uint8_t *mem;           /* the DMA memory, o.dma_size bytes at o.dma_iova */

    struct toe_fw fw;
    struct toe_fw_bus fwbus;
    int in_fw;              /* the firmware is running: it does not start again inside itself */

    uint64_t host_ps;       /* the driver's clock (the channel platform's vnow_ps) */
    uint16_t pci_cmd, msix_ctl;
    int msix_on;
    uint32_t pending;       /* vectors fired and not yet reported */
    struct in_frame *rx;    /* frames to the port, earliest first */

    struct toe_plat_local_stats st;
};

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

static uint64_t dev_now(const struct plat_local *l) { return toe_dev_now(l->dev); }

/* ---- what the device sees of the machine ------------------------------------------- */

/* The bounds check toe-sim's channel makes: inside the DMA memory or refused
 * (a refused read leaves all ones). */
static int env_dma_read(void *arg, uint64_t addr, void *dst, size_t len)
{
    struct plat_local *l = arg;

    if (!toe_dma_contains(&l->base.dma, addr, len)) {
        memset(dst, 0xff, len);
        l->st.dma_rd_refused++;
        return -EFAULT;
    }
    memcpy(dst, l->mem + (addr - l->o.dma_iova), len);
    return 0;
}

static int env_dma_write(void *arg, uint64_t addr, const void *src, size_t len)
{
    struct plat_local *l = arg;

    if (!toe_dma_contains(&l->base.dma, addr, len)) {
        l->st.dma_wr_refused++;
        return -EFAULT;
    }
    memcpy(l->mem + (addr - l->o.dma_iova), src, len);
    return 0;
}

static void env_msix(void *arg, unsigned vector, uint64_t t_ps)
{
    struct plat_local *l = arg;

    (void)t_ps; /* the device's clock is there now: the wait ends at it */
    if (vector < 32)
        l->pending |= 1u << vector;
    l->st.msix++;
}

static void env_frame_out(void *arg, const uint8_t *frame, size_t len, uint64_t t_ps)
{
    struct plat_local *l = arg;

    l->st.frames_out++;
    if (l->o.frame_out)
        l->o.frame_out(l->o.arg, frame, len, t_ps / 1000u);
}

/* ---- the firmware beside the device (as sim_core runs it) -------------------------- */

static int advance_to(struct plat_local *l, uint64_t t, int flags, uint64_t cap);

static uint32_t fw_rd(void *arg, uint32_t off)
{
    struct plat_local *l = arg;
    uint32_t v = toe_dev_fw_read(l->dev, off);

    advance_to(l, dev_now(l) + FW_ACCESS_PS, 0, NEVER);
    return v;
}

static void fw_wr(void *arg, uint32_t off, uint32_t v)
{
    struct plat_local *l = arg;

    toe_dev_fw_write(l->dev, off, v);
    advance_to(l, dev_now(l) + FW_ACCESS_PS, 0, NEVER);
}

/* The firmware's busy-wait, bounded as toe-sim bounds it, so that a hardware
 * bug shows as a firmware error instead of a hang. */
static uint32_t fw_poll(void *arg, uint32_t off, uint32_t mask, uint32_t want)
{
    uint32_t v = 0;

    for (long i = 0; i < 10000000L; i++) {
        v = fw_rd(arg, off);
        if ((v & mask) == want)
            return v;
    }
    fprintf(stderr, "toe_plat_local: firmware: register 0x%x never reached 0x%x under mask 0x%x (last 0x%x)\n",
            off, want, mask, v);
    return v;
}

static void fw_service(struct plat_local *l)
{
    const struct toe_dev_ops *ops = l->dev->ops;
    uint32_t attn;

    if (l->in_fw)
        return;
    attn = ops->fw_attention ? ops->fw_attention(l->dev) : toe_dev_fw_read(l->dev, FW_ATTN);
    if (!attn)
        return;
    l->in_fw = 1;
    l->st.fw_services++;
    toe_fw_service(&l->fw);
    l->in_fw = 0;
}

/* ---- moving time ------------------------------------------------------------------ */

/* Frames whose time has come (at or before now), in order. */
static void take_frames(struct plat_local *l)
{
    struct in_frame *f;

    while ((f = l->rx) && f->t_ps <= dev_now(l)) {
        l->rx = f->next;
        l->st.frames_in++;
        l->dev->ops->frame_in(l->dev, f->data, f->len);
        free(f);
    }
}

/*
 * Runs the device to time t: frames go in at their times, the firmware runs
 * whenever it has work, idle time is jumped over. With ADV_F_MSIX it stops at
 * the first pending vector. t == NEVER: until the device has nothing to do
 * ever again (ADV_IDLE, the clock where it went quiet). Never past cap.
 */
static int advance_to(struct plat_local *l, uint64_t t, int flags, uint64_t cap)
{
    for (;;) {
        const uint64_t now = dev_now(l);
        uint64_t na, rx_next, target, step;

        take_frames(l);
        fw_service(l);
        if ((flags & ADV_F_MSIX) && l->pending)
            return ADV_MSIX;
        if (now >= t || now >= cap)
            return ADV_REACHED;
        na = l->dev->ops->next_activity(l->dev);
        rx_next = l->rx ? l->rx->t_ps : NEVER;
        if (na == NEVER && rx_next == NEVER && t == NEVER)
            return ADV_IDLE;
        target = min64(min64(t, rx_next), cap);
        if (na <= now)
            step = min64(now + DEV_CLK_PS, target); /* busy: a clock at a time */
        else
            step = min64(na, target);
        toe_dev_run(l->dev, step);
    }
}

/* Before an access: what is due by now has happened (as toe-sim runs to a
 * message's time before applying it; the device may be ahead of the driver's
 * clock, never behind). */
static void settle_now(struct plat_local *l) { advance_to(l, dev_now(l), 0, NEVER); }

/* The device answered at its clock: the driver's clock follows (never back). */
static void host_catch_up(struct plat_local *l)
{
    if (dev_now(l) > l->host_ps)
        l->host_ps = dev_now(l);
}

/* ---- the platform ----------------------------------------------------------------- */

static uint32_t local_read32(struct toe_plat *p, uint32_t off)
{
    struct plat_local *l = (struct plat_local *)p;
    uint32_t v;

    settle_now(l);
    v = toe_dev_mmio_read(l->dev, off);
    l->st.reads++;
    /* The round trip: MMIO_READ_PS from the driver's clock when it issued the
     * read (toe-sim counts it from the message's time), so work the device was
     * already doing overlaps it. Vectors that fire meanwhile wait for the next
     * wait_irq. The answer comes at the device's clock. */
    advance_to(l, l->host_ps + MMIO_READ_PS, 0, NEVER);
    host_catch_up(l);
    return v;
}

static void local_write32(struct toe_plat *p, uint32_t off, uint32_t v)
{
    struct plat_local *l = (struct plat_local *)p;

    settle_now(l);
    l->st.writes++;
    toe_dev_mmio_write(l->dev, off, v);
}

static int take(struct plat_local *l, uint32_t *fired)
{
    *fired = l->pending;
    l->pending = 0;
    return 0;
}

static int local_wait_irq(struct toe_plat *p, int64_t timeout_ns, uint32_t *fired)
{
    struct plat_local *l = (struct plat_local *)p;
    const uint64_t now = l->host_ps;
    uint64_t until, cap = NEVER;

    if (l->pending || timeout_ns == 0)
        return take(l, fired);
    if (timeout_ns < 0 && !l->msix_on) {
        until = now + l->o.irq_quantum_ns * 1000u; /* polled: nothing could end "forever" */
    } else if (timeout_ns < 0) {
        until = NEVER;
        cap = now + min64(l->o.guard_ns, (NEVER - now) / 1000u) * 1000u;
    } else if ((uint64_t)timeout_ns > (NEVER - now) / 1000u) {
        until = NEVER; /* beyond the clock's end: as no timer, as the channel has it */
        cap = now + min64(l->o.guard_ns, (NEVER - now) / 1000u) * 1000u;
    } else {
        until = now + (uint64_t)timeout_ns * 1000u;
    }
    /* A grant to until, as the channel's SYNC; a device with nothing to do
     * ever again answers "never" and the driver's clock stays. */
    if (advance_to(l, until, ADV_F_MSIX, cap) != ADV_IDLE)
        host_catch_up(l);
    return take(l, fired);
}

static uint64_t local_now_ns(struct toe_plat *p) { return ((struct plat_local *)p)->host_ps / 1000u; }

/* toe-sim's RESET: the device's function-level reset; the firmware sees
 * FW_ATTN.RESET and re-initialises on its next service, as after power-on.
 * Configuration space stays (as toe-sim's does). */
static int local_flr(struct toe_plat *p)
{
    struct plat_local *l = (struct plat_local *)p;

    settle_now(l);
    l->st.resets++;
    l->dev->ops->flr(l->dev);
    l->pending = 0;
    return 0;
}

static void push_pci(struct plat_local *l)
{
    l->dev->ops->pci_state(l->dev, l->pci_cmd, l->msix_ctl);
}

static int local_msix_enable(struct toe_plat *p, int on)
{
    struct plat_local *l = (struct plat_local *)p;

    settle_now(l);
    l->msix_on = !!on;
    l->msix_ctl = (uint16_t)(MSIX_CTL_RESET | (on ? MSIX_CTL_ENABLE : 0u));
    push_pci(l);
    return 0;
}

static void local_close(struct toe_plat *p)
{
    struct plat_local *l = (struct plat_local *)p;

    while (l->rx) {
        struct in_frame *f = l->rx;

        l->rx = f->next;
        free(f);
    }
    toe_dev_free(l->dev);
    toe_dma_pool_fini(&l->base.dma);
    if (l->mem)
        munmap(l->mem, l->o.dma_size);
    free(l);
}

static const struct toe_plat_ops local_ops = {
    .name = "local",
    .read32 = local_read32,
    .write32 = local_write32,
    .wait_irq = local_wait_irq,
    .now_ns = local_now_ns,
    .flr = local_flr,
    .msix_enable = local_msix_enable,
    .close = local_close,
};

static struct plat_local *as_local(const struct toe_plat *p)
{
    return p && p->ops == &local_ops ? (struct plat_local *)p : NULL;
}

/* ---- the caller's side ------------------------------------------------------------- */

int toe_plat_local_frame_in(struct toe_plat *p, const uint8_t *frame, size_t len, uint64_t t_ns)
{
    struct plat_local *l = as_local(p);
    struct in_frame *f, **at;
    uint64_t t;

    if (!l)
        return -EINVAL;
    f = malloc(sizeof(*f) + (len ? len : 1));
    if (!f)
        return -ENOMEM;
    t = t_ns > NEVER / 1000u ? NEVER - 1 : t_ns * 1000u;
    f->t_ps = t < dev_now(l) ? dev_now(l) : t;
    f->len = len;
    if (len)
        memcpy(f->data, frame, len);
    /* After every frame of the same time or earlier: call order among equals. */
    for (at = &l->rx; *at && (*at)->t_ps <= f->t_ps; at = &(*at)->next)
        ;
    f->next = *at;
    *at = f;
    return 0;
}

void toe_plat_local_run(struct toe_plat *p, uint64_t t_ns)
{
    struct plat_local *l = as_local(p);

    uint64_t t;

    if (!l || t_ns > NEVER / 1000u)
        return;
    t = t_ns * 1000u;
    if (t > dev_now(l)) {
        advance_to(l, t, 0, NEVER);
        host_catch_up(l);
    } else if (t > l->host_ps) {
        l->host_ps = t; /* the device is there already (posted writes ran it on) */
    }
}

struct toe_dev *toe_plat_local_dev(struct toe_plat *p)
{
    struct plat_local *l = as_local(p);

    return l ? l->dev : NULL;
}

const struct toe_plat_local_stats *toe_plat_local_stats(const struct toe_plat *p)
{
    const struct plat_local *l = as_local(p);

    return l ? &l->st : NULL;
}

static struct toe_plat *fail(struct plat_local *l, int e, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static struct toe_plat *fail(struct plat_local *l, int e, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    if (l)
        local_close(&l->base);
    errno = e;
    return NULL;
}

struct toe_plat *toe_plat_local_open(const struct toe_plat_local_opts *o, char *err, size_t errlen)
{
    struct plat_local *l = calloc(1, sizeof(*l));
    struct toe_dev_env env;
    struct toe_dev_cfg cfg;
    const char *be;
    void *mem;

    if (!l)
        return fail(NULL, ENOMEM, err, errlen, "out of memory");
    if (o)
        l->o = *o;
    be = l->o.backend ? l->o.backend : "model";
    if (!l->o.dma_size)
        l->o.dma_size = TOE_PLAT_LOCAL_DMA_DEFAULT;
    if (!l->o.dma_iova)
        l->o.dma_iova = TOE_PLAT_LOCAL_IOVA_DEFAULT;
    if (!l->o.guard_ns)
        l->o.guard_ns = TOE_PLAT_LOCAL_GUARD_NS_DEFAULT;
    if (!l->o.irq_quantum_ns)
        l->o.irq_quantum_ns = TOE_PLAT_IRQ_QUANTUM_NS_DEFAULT;
    l->base.ops = &local_ops;
    l->base.bar0_size = BAR0_SIZE;
    l->base.time_mode = TIME_MODE_VIRTUAL;
    snprintf(l->base.bdf, sizeof(l->base.bdf), "local-%s", be);

    /* Anonymous memory: zero pages until touched, so a large pool is cheap. */
    mem = mmap(NULL, l->o.dma_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return fail(l, ENOMEM, err, errlen, "no DMA memory of %llu bytes", (unsigned long long)l->o.dma_size);
    l->mem = mem;
    if (toe_dma_pool_init(&l->base.dma, l->mem, l->o.dma_iova, l->o.dma_size, 0) < 0)
        return fail(l, ENOMEM, err, errlen, "out of memory");

    env = (struct toe_dev_env){.dma_read = env_dma_read, .dma_write = env_dma_write,
                               .msix = env_msix, .frame_out = env_frame_out, .arg = l};
    cfg = (struct toe_dev_cfg){.conn_max = l->o.conn_max, .time_mode = TIME_MODE_VIRTUAL};
    if (!strcmp(be, "model"))
        l->dev = toe_dev_model_new(&cfg, &env);
    else if (!strcmp(be, "rtl"))
        l->dev = toe_dev_rtl_new(&cfg, &env);
    else
        return fail(l, EINVAL, err, errlen, "unknown backend '%s' (model or rtl)", be);
    if (!l->dev)
        return fail(l, EINVAL, err, errlen, "cannot create the %s device (conn-max %u)", be, l->o.conn_max);

    /* Configuration space at reset, as toe-sim's first advance gives it. */
    l->pci_cmd = 0;
    l->msix_ctl = MSIX_CTL_RESET;
    push_pci(l);
    l->fwbus = (struct toe_fw_bus){.rd = fw_rd, .wr = fw_wr, .poll = fw_poll, .arg = l};
    l->in_fw = 1; /* the firmware's start-up runs now, not from inside itself */
    toe_fw_init(&l->fw, &l->fwbus);
    l->in_fw = 0;
    /* Power-on reset and the firmware's start, to where the device has nothing
     * of its own left to do: where toe-sim lets a driver in. */
    if (advance_to(l, NEVER, 0, l->o.guard_ns * 1000u) != ADV_IDLE)
        return fail(l, EIO, err, errlen, "the %s device did not settle after power-on within %llu ns", be,
                    (unsigned long long)l->o.guard_ns);
    /* What toe_pci_enable() does before the other platforms open. */
    l->pci_cmd = CMD_MEMORY_MASTER;
    push_pci(l);
    l->pending = 0;
    /* The channel platform's first read, REG_TIME_MODE, at its clock 0: it
     * costs no round trip, brings the driver's clock to the device's, and
     * proves the device runs in virtual time. */
    l->host_ps = 0;
    if (local_read32(&l->base, REG_TIME_MODE) != TIME_MODE_VIRTUAL)
        return fail(l, EPROTO, err, errlen, "the %s device's REG_TIME_MODE does not read virtual", be);
    return &l->base;
}
