/* toe-sim's core: the device, its channel, firmware, cable and pcap, and time. */
#define _GNU_SOURCE
#include "sim_core.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pci_config.h"
#include "pci_tree.h"
#include "sim_cable.h"
#include "sim_lockstep.h"
#include "toe_chan.h"
#include "toe_dev.h"
#include "toe_formats.h"
#include "toe_fw.h"
#include "toe_pcap.h"

/* advance_to() results */
enum { ADV_REACHED = 0, ADV_MSIX = 1, ADV_IDLE = 2, ADV_HOST = 3, ADV_STOP = -1 };
/* advance_to() flags */
enum {
    ADV_F_MSIX = 1,   /* return once an MSI-X message went out (the host's turn) */
    ADV_F_HOST = 2,   /* return when, waiting for the cable, the host side stirs */
};

struct sim_core {
    struct sim_opts o;
    struct toe_pci_tree tree;
    int tree_up;
    struct toe_dev *dev;
    struct toe_chan *chan;
    struct sim_cable *cable;
    struct toe_pcap *pcap;

    struct toe_fw fw;
    struct toe_fw_bus fwbus;
    int in_fw;

    uint16_t pci_cmd, msix_ctl;
    int pci_known;

    /* Virtual time: whose turn it is, and what the host allowed. */
    int host_turn;
    uint64_t grant;           /* host waiting: run until here */
    uint64_t host_floor;      /* the host sends nothing stamped earlier */
    uint64_t last_d2h;        /* stamps toward the host never go back */
    int msix_seen;
    int fatal;                /* lockstep divergence or a broken channel */
    volatile sig_atomic_t *stop;
    uint64_t wall0_ns;
    uint64_t up_ns;           /* wall clock when the cable came up (virtual time) */
    int hold_over;            /* no driver came within --driver-wait: run on without */

    struct {
        uint64_t mmio_reads, mmio_writes, resets, msix, frames_out, frames_in, fw_services,
            hosts;
    } st;
};

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

static uint64_t mono_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void logv(const struct sim_core *c, const char *fmt, ...)
{
    va_list ap;

    if (!c->o.verbose)
        return;
    va_start(ap, fmt);
    fprintf(stderr, "toe-sim: [%" PRIu64 " ns] ", toe_dev_now(c->dev) / 1000);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- what the device sees of the machine ------------------------------------------- */

static int env_dma_read(void *arg, uint64_t addr, void *dst, size_t len)
{
    struct sim_core *c = arg;
    void *p = c->chan && toe_chan_attached(c->chan) ? toe_chan_dma_ptr(c->chan, addr, len) : NULL;

    if (!p) {
        memset(dst, 0xff, len);
        return -EFAULT;
    }
    memcpy(dst, p, len);
    return 0;
}

static int env_dma_write(void *arg, uint64_t addr, const void *src, size_t len)
{
    struct sim_core *c = arg;
    void *p = c->chan && toe_chan_attached(c->chan) ? toe_chan_dma_ptr(c->chan, addr, len) : NULL;

    if (!p)
        return -EFAULT;
    memcpy(p, src, len);
    return 0;
}

static void send_host(struct sim_core *c, struct toe_chan_msg *m)
{
    if (!c->chan || !toe_chan_attached(c->chan))
        return;
    m->time = max64(m->time, c->last_d2h);
    c->last_d2h = m->time;
    /* A full ring is the host's back-pressure: wait for a slot. */
    while (toe_chan_send(c->chan, m) == -EAGAIN) {
        if (toe_chan_wait(c->chan, TOE_CHAN_TX, 1000) < 0)
            return;
    }
}

static void env_msix(void *arg, unsigned vector, uint64_t t_ps)
{
    struct sim_core *c = arg;
    struct toe_chan_msg m = {.type = CHAN_MSG_MSIX, .time = t_ps};

    m.payload.msix.vector = (uint16_t)vector;
    c->st.msix++;
    c->msix_seen = 1;
    logv(c, "MSI-X vector %u", vector);
    send_host(c, &m);
}

static void env_frame_out(void *arg, const uint8_t *frame, size_t len, uint64_t t_ps)
{
    struct sim_core *c = arg;

    c->st.frames_out++;
    if (c->pcap)
        toe_pcap_write(c->pcap, t_ps / 1000, frame, len);
    if (c->cable)
        sim_cable_send(c->cable, frame, len, t_ps);
}

/* ---- the firmware beside the device ------------------------------------------------ */

static int advance_to(struct sim_core *c, uint64_t t, int flags);

static uint32_t fw_rd(void *arg, uint32_t off)
{
    struct sim_core *c = arg;
    uint32_t v = toe_dev_fw_read(c->dev, off);

    advance_to(c, toe_dev_now(c->dev) + FW_ACCESS_PS, 0);
    return v;
}

static void fw_wr(void *arg, uint32_t off, uint32_t v)
{
    struct sim_core *c = arg;

    toe_dev_fw_write(c->dev, off, v);
    advance_to(c, toe_dev_now(c->dev) + FW_ACCESS_PS, 0);
}

/* The firmware's busy-wait, as its CPU would spin on a status register; bounded
 * so that a hardware bug shows as a firmware error instead of a hang. */
static uint32_t fw_poll(void *arg, uint32_t off, uint32_t mask, uint32_t want)
{
    struct sim_core *c = arg;
    uint32_t v = 0;

    for (long i = 0; i < 10000000L && !c->fatal; i++) {
        v = fw_rd(arg, off);
        if ((v & mask) == want)
            return v;
    }
    fprintf(stderr, "toe-sim: firmware: register 0x%x never reached 0x%x under mask 0x%x (last 0x%x)\n",
            off, want, mask, v);
    return v;
}

static uint32_t fw_attention(struct sim_core *c)
{
    if (c->dev->ops->fw_attention)
        return c->dev->ops->fw_attention(c->dev);
    return toe_dev_fw_read(c->dev, FW_ATTN);
}

static void fw_service(struct sim_core *c)
{
    if (c->in_fw || !fw_attention(c))
        return;
    c->in_fw = 1;
    c->st.fw_services++;
    toe_fw_service(&c->fw);
    c->in_fw = 0;
}

/* ---- moving time ------------------------------------------------------------------ */

static void sync_pci(struct sim_core *c)
{
    uint16_t cmd = toe_pci_tree_command(&c->tree);
    uint16_t mc = toe_pci_tree_read16(&c->tree, TOE_PCI_CAP_MSIX + 2);

    if (!c->pci_known || cmd != c->pci_cmd || mc != c->msix_ctl) {
        c->pci_known = 1;
        c->pci_cmd = cmd;
        c->msix_ctl = mc;
        c->dev->ops->pci_state(c->dev, cmd, mc);
    }
}

/* The earliest time the host may send its next message. Until a driver has
 * attached for the first time the device holds its time (a driver that comes
 * will start there), so that on a cable the peer cannot run ahead of a device
 * whose driver is still starting: which driver attaches first, in wall time,
 * then changes nothing in virtual time. */
static uint64_t host_horizon(struct sim_core *c)
{
    /* The hold before the first driver, but not forever: a cable peer whose
     * driver is running waits on this clock (--driver-wait). */
    if (!c->st.hosts && !c->hold_over && c->cable && c->o.driver_wait_ms >= 0 &&
        mono_ns() - c->up_ns >= (uint64_t)c->o.driver_wait_ms * 1000000u) {
        c->hold_over = 1;
        fprintf(stderr, "toe-sim: no driver within %d ms: the device runs on without one (the "
                        "cable peer waits on its clock); a driver that attaches from now on starts "
                        "at a time that depends on the wall clock\n", c->o.driver_wait_ms);
    }
    if (!c->st.hosts && !c->hold_over)
        return toe_dev_now(c->dev);
    if (!c->chan || !toe_chan_attached(c->chan))
        return SIM_TIME_NEVER;
    return c->host_turn ? c->host_floor : c->grant;
}

/* Frames from the cable whose time has come (at or before now), in order. */
static void take_cable_frames(struct sim_core *c)
{
    const struct sim_cable_frame *f;

    while (c->cable && (f = sim_cable_peek(c->cable)) && f->time_ps <= toe_dev_now(c->dev)) {
        c->st.frames_in++;
        if (c->pcap)
            toe_pcap_write(c->pcap, toe_dev_now(c->dev) / 1000, f->data, f->len);
        c->dev->ops->frame_in(c->dev, f->data, f->len);
        sim_cable_pop(c->cable);
    }
}

/*
 * Run the device to time t (virtual time): frames from the cable go in at their
 * arrival times, the firmware runs whenever it has work, and the cable's bound
 * is never passed. Device events at a time come before inputs at the same time.
 * flags: ADV_F_*.
 */
static int wait_for_peer(struct sim_core *c, int host_wakes);

static int advance_to(struct sim_core *c, uint64_t t, int flags)
{
    for (;;) {
        uint64_t now = toe_dev_now(c->dev), na, rx_next = SIM_TIME_NEVER, target, step;
        const struct sim_cable_frame *f;

        take_cable_frames(c);
        fw_service(c);
        if (c->fatal || *c->stop)
            return ADV_STOP;
        if ((flags & ADV_F_MSIX) && c->msix_seen)
            return ADV_MSIX;
        if (now >= t)
            return ADV_REACHED;
        sync_pci(c);
        na = c->dev->ops->next_activity(c->dev);
        if (c->cable) {
            /* Frames in our impairment stage leave when their time comes: the
             * device's clock has to get there, whatever else it does. */
            na = min64(na, max64(sim_cable_out_next(c->cable), now + 1));
            if ((f = sim_cable_peek(c->cable)))
                rx_next = f->time_ps;
        }
        target = min64(t, rx_next);
        {
            uint64_t h = min64(min64(host_horizon(c), na), rx_next), bound = SIM_TIME_NEVER;
            int need = !(na == SIM_TIME_NEVER && rx_next == SIM_TIME_NEVER && t == SIM_TIME_NEVER);

            if (c->cable && sim_cable_alive(c->cable)) {
                if (sim_cable_flush(c->cable, now) || sim_cable_promise(c->cable, max64(h, now)))
                    continue;  /* the peer left: alive is now 0, bound NEVER */
                bound = sim_cable_bound(c->cable, max64(h, now));
            }
            /* Nothing to do and nobody asking for time: stay - running ahead of
             * need would make the time at which a driver attaches depend on the
             * wall clock - and wait for the peer while it may still send. */
            if (!need && bound == SIM_TIME_NEVER)
                return ADV_IDLE;
            if (!need || (bound != SIM_TIME_NEVER && bound - 1 <= now)) {
                /* A driver connecting is taken only once the device has
                 * nothing of its own left to do (its power-on, a reset): it
                 * then starts at the same virtual time whenever it comes in
                 * wall time, even while the cable holds the device back. */
                int host_wakes = (flags & ADV_F_HOST) &&
                                 (toe_chan_attached(c->chan) || na == SIM_TIME_NEVER);

                if (wait_for_peer(c, host_wakes))
                    return ADV_HOST;
                continue;
            }
            if (bound != SIM_TIME_NEVER)
                target = min64(target, bound - 1);
        }
        if (na <= now)
            step = min64(now + DEV_CLK_PS, target);   /* busy: a clock at a time */
        else
            step = min64(na, target);
        if (c->o.stop_after_ps != SIM_TIME_NEVER && step > c->o.stop_after_ps) {
            step = max64(now, c->o.stop_after_ps);
            if (step == now)
                return ADV_STOP;
        }
        toe_dev_run(c->dev, step);
        if (sim_lockstep_diverged(c->dev))
            c->fatal = 1;
        if (c->cable)
            sim_cable_flush(c->cable, toe_dev_now(c->dev));
    }
}

/* Wait up to a second for the cable; with host_wakes, also for the host side (a
 * message, a hang-up, a host connecting): 1 when that is what woke us. */
static int wait_for_peer(struct sim_core *c, int host_wakes)
{
    int cfd = sim_cable_fd(c->cable), r;

    if (host_wakes && toe_chan_attached(c->chan)) {
        r = toe_chan_wait_fd(c->chan, TOE_CHAN_RX, cfd, 1000);
        if (r > 0 && (r & TOE_CHAN_RX))
            return 1;
        if (r == -EPIPE)
            return 1;
    } else if (host_wakes) {
        struct pollfd p[2] = {{.fd = toe_chan_listen_fd(c->chan), .events = POLLIN},
                              {.fd = cfd, .events = POLLIN}};

        if (poll(p, 2, 1000) > 0 && (p[0].revents & POLLIN))
            return 1;
    }
    if (sim_cable_poll(c->cable, host_wakes ? 0 : 1000) < 0)
        fprintf(stderr, "toe-sim: cable: the peer hung up\n");
    return 0;
}

/* ---- the host ---------------------------------------------------------------------- */

static void answer_read(struct sim_core *c, const struct toe_chan_msg *m)
{
    struct toe_chan_msg d = {.type = CHAN_MSG_MMIO_DONE, .id = m->id};
    const struct toe_chan_mmio *io = &m->payload.mmio;
    uint64_t v;

    if (io->bar != 0 || io->offset + io->size > BAR0_SIZE) {
        v = io->size == 8 ? UINT64_MAX : UINT32_MAX;   /* nothing decodes it */
    } else {
        v = toe_dev_mmio_read(c->dev, (uint32_t)io->offset);
        if (io->size == 8)
            v |= (uint64_t)toe_dev_mmio_read(c->dev, (uint32_t)io->offset + 4) << 32;
    }
    c->st.mmio_reads++;
    if (c->o.time_mode == TIME_MODE_VIRTUAL)
        advance_to(c, m->time + MMIO_READ_PS, 0);
    d.time = toe_dev_now(c->dev);
    d.payload.done.value = v;
    logv(c, "read  0x%05" PRIx64 " = 0x%" PRIx64, io->offset, v);
    send_host(c, &d);
}

static void apply_write(struct sim_core *c, const struct toe_chan_msg *m)
{
    const struct toe_chan_mmio *io = &m->payload.mmio;

    c->st.mmio_writes++;
    logv(c, "write 0x%05" PRIx64 " = 0x%" PRIx64, io->offset, io->value);
    if (io->bar != 0 || io->offset + io->size > BAR0_SIZE)
        return;
    toe_dev_mmio_write(c->dev, (uint32_t)io->offset, (uint32_t)io->value);
    if (io->size == 8)
        toe_dev_mmio_write(c->dev, (uint32_t)io->offset + 4, (uint32_t)(io->value >> 32));
}

/* Everything the host has sent, in order, each at its time. */
static int serve_messages(struct sim_core *c)
{
    const struct toe_chan_msg *m;
    int r, n = 0;

    while (c->chan && (r = toe_chan_rx_peek(c->chan, &m)) != 0) {
        if (r == -EPROTO)
            continue;   /* counted and logged by the channel */
        if (r < 0)
            break;
        n++;
        if (c->o.time_mode == TIME_MODE_VIRTUAL) {
            uint64_t t = max64(m->time, toe_dev_now(c->dev));

            c->host_floor = t;
            c->host_turn = 1;
            sync_pci(c);
            if (advance_to(c, t, 0) == ADV_STOP && c->fatal)
                return -1;
        }
        sync_pci(c);
        switch (m->type) {
        case CHAN_MSG_MMIO_READ: answer_read(c, m); break;
        case CHAN_MSG_MMIO_WRITE: apply_write(c, m); break;
        case CHAN_MSG_RESET:
            c->st.resets++;
            logv(c, "function-level reset");
            c->dev->ops->flr(c->dev);
            break;
        case CHAN_MSG_SYNC:
            if (c->o.time_mode == TIME_MODE_VIRTUAL) {
                /* An MSI-X that went out while this SYNC's time was being
                 * reached fired inside the grant: it ends it at once. */
                c->host_turn = 0;
                c->grant = m->payload.sync.until;
            }
            break;
        default: break;
        }
        toe_chan_rx_release(c->chan);
    }
    return n;
}

static void host_left(struct sim_core *c)
{
    logv(c, "the driver left");
    toe_chan_detach(c->chan);
    c->host_turn = 0;
    c->grant = SIM_TIME_NEVER;
}

/* A host connecting: accept it; it starts at the device's time. */
static void try_accept(struct sim_core *c, int timeout_ms)
{
    int r = toe_chan_accept(c->chan, timeout_ms);

    if (r == 0) {
        c->st.hosts++;
        c->host_turn = 1;
        c->host_floor = toe_dev_now(c->dev);
        c->last_d2h = 0;
        logv(c, "a driver attached");
    } else if (r != -ETIMEDOUT) {
        fprintf(stderr, "toe-sim: a driver's attach failed: %s\n", toe_chan_error(c->chan));
    }
}

/* Sleep until the host, the cable or a connecting host has something, at most ms. */
static void wait_inputs(struct sim_core *c, int ms)
{
    int cfd = c->cable && sim_cable_alive(c->cable) ? sim_cable_fd(c->cable) : -1;

    if (toe_chan_attached(c->chan)) {
        int r = toe_chan_wait_fd(c->chan, TOE_CHAN_RX, cfd, ms);

        if (r == -EPIPE)
            host_left(c);
    } else {
        struct pollfd p[2] = {{.fd = toe_chan_listen_fd(c->chan), .events = POLLIN},
                              {.fd = cfd, .events = POLLIN}};

        if (poll(p, 2, ms) > 0 && (p[0].revents & POLLIN))
            try_accept(c, 1000);
    }
    if (c->cable && sim_cable_alive(c->cable))
        sim_cable_poll(c->cable, 0);
}

static int run_virtual(struct sim_core *c)
{
    while (!*c->stop && !c->fatal) {
        if (!toe_chan_attached(c->chan)) {
            /* Nobody drives the device: it runs on by itself (the cable may need
             * it), and a host that attaches starts at its time. */
            int r = advance_to(c, SIM_TIME_NEVER, ADV_F_HOST);

            if (r == ADV_STOP)
                break;
            wait_inputs(c, r == ADV_HOST ? 0 : 1000);
            continue;
        }
        if (serve_messages(c) < 0)
            break;
        if (!c->host_turn) {
            int r = advance_to(c, c->grant, ADV_F_MSIX | ADV_F_HOST);
            struct toe_chan_msg s = {.type = CHAN_MSG_SYNC};

            if (r == ADV_STOP)
                break;
            if (r == ADV_HOST) {
                /* The host stirred while we waited for the cable (it may have
                 * left): look, then go on with its grant. */
                wait_inputs(c, 0);
                continue;
            }
            s.time = r == ADV_IDLE ? SIM_TIME_NEVER : toe_dev_now(c->dev);
            c->host_turn = 1;
            c->host_floor = toe_dev_now(c->dev);
            c->msix_seen = 0;
            send_host(c, &s);
            if (r == ADV_IDLE)
                c->last_d2h = toe_dev_now(c->dev);  /* NEVER promised nothing about time */
            continue;
        }
        if (c->cable && sim_cable_alive(c->cable))
            sim_cable_promise(c->cable, c->host_floor);
        wait_inputs(c, 1000);
        if (!toe_chan_attached(c->chan))
            continue;
    }
    return c->fatal ? 3 : 0;
}

/* Real time: the device clock follows the wall clock, inputs apply on arrival. */
static int run_real(struct sim_core *c)
{
    uint64_t base_ps = toe_dev_now(c->dev);

    c->wall0_ns = mono_ns();
    while (!*c->stop && !c->fatal) {
        uint64_t wall = base_ps + (mono_ns() - c->wall0_ns) * 1000, now, na;
        const struct sim_cable_frame *f;

        /* A look at the sockets every slice: a host connecting (or a second
         * one, answered BUSY), one leaving. */
        wait_inputs(c, 0);
        if (toe_chan_attached(c->chan) && serve_messages(c) < 0)
            break;
        if (c->cable) {
            sim_cable_poll(c->cable, 0);
            /* Real time: a frame goes in when it arrives, stamped now. */
            while ((f = sim_cable_peek(c->cable))) {
                c->st.frames_in++;
                if (c->pcap)
                    toe_pcap_write(c->pcap, toe_dev_now(c->dev) / 1000, f->data, f->len);
                c->dev->ops->frame_in(c->dev, f->data, f->len);
                sim_cable_pop(c->cable);
            }
        }
        sync_pci(c);
        now = toe_dev_now(c->dev);
        if (wall > now) {
            /* Catch up in slices of at most 100 us of device time, so that
             * messages are not left waiting behind a slow backend. */
            uint64_t to = min64(wall, now + 100000000ull);

            na = c->dev->ops->next_activity(c->dev);
            while (toe_dev_now(c->dev) < to && !c->fatal) {
                uint64_t n2 = toe_dev_now(c->dev);

                na = c->dev->ops->next_activity(c->dev);
                toe_dev_run(c->dev, na <= n2 ? min64(n2 + DEV_CLK_PS * 64, to) : min64(na, to));
                fw_service(c);
                if (sim_lockstep_diverged(c->dev))
                    c->fatal = 1;
            }
            if (c->cable)
                sim_cable_flush(c->cable, toe_dev_now(c->dev));
        }
        if (c->o.stop_after_ps != SIM_TIME_NEVER && toe_dev_now(c->dev) >= c->o.stop_after_ps)
            break;
        /* Caught up with the wall clock and nothing due: sleep until the next
         * activity (at most a millisecond) or an input. Behind it: go on. */
        na = c->dev->ops->next_activity(c->dev);
        wall = base_ps + (mono_ns() - c->wall0_ns) * 1000;
        if (toe_dev_now(c->dev) >= wall && na > toe_dev_now(c->dev)) {
            uint64_t sleep_ns = na == SIM_TIME_NEVER ? 1000000 : (na - toe_dev_now(c->dev)) / 1000;

            wait_inputs(c, sleep_ns >= 1000000 ? 1 : 0);
        }
    }
    return c->fatal ? 3 : 0;
}

int sim_core_run(struct sim_core *c, volatile sig_atomic_t *stop)
{
    c->stop = stop;
    return c->o.time_mode == TIME_MODE_VIRTUAL ? run_virtual(c) : run_real(c);
}

/* ---- setup ------------------------------------------------------------------------- */

struct sim_core *sim_core_open(const struct sim_opts *o, char *err, size_t errlen)
{
    static volatile sig_atomic_t no_stop;
    struct sim_core *c = calloc(1, sizeof(*c));
    struct toe_dev_env env;
    struct toe_dev_cfg cfg = {.conn_max = o->conn_max, .time_mode = o->time_mode};
    struct toe_chan_opts copts = {.nslots = o->nslots};
    char path[PATH_MAX + 32];

    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->o = *o;
    c->stop = &no_stop;
    c->grant = SIM_TIME_NEVER;
    env = (struct toe_dev_env){.dma_read = env_dma_read, .dma_write = env_dma_write,
                               .msix = env_msix, .frame_out = env_frame_out, .arg = c};
    if (toe_pci_tree_publish(&c->tree, o->pci_dir, o->bdf, err, errlen))
        goto bad;
    c->tree_up = 1;
    switch (o->backend) {
    case SIM_BACKEND_MODEL: c->dev = toe_dev_model_new(&cfg, &env); break;
    case SIM_BACKEND_LOCKSTEP: c->dev = sim_lockstep_new(&cfg, &env, o->seed, &o->ls); break;
    case SIM_BACKEND_RTL: c->dev = toe_dev_rtl_new(&cfg, &env); break;
    }
    if (!c->dev) {
        snprintf(err, errlen, "cannot create the %s device (conn-max %u)",
                 o->backend == SIM_BACKEND_MODEL ? "model" : o->backend == SIM_BACKEND_RTL ? "rtl" : "lockstep",
                 o->conn_max);
        goto bad;
    }
    c->fwbus = (struct toe_fw_bus){.rd = fw_rd, .wr = fw_wr, .poll = fw_poll, .arg = c};
    c->in_fw = 1;   /* the firmware's start-up runs now, not from inside itself */
    toe_fw_init(&c->fw, &c->fwbus);
    c->in_fw = 0;
    if (o->pcap && !(c->pcap = toe_pcap_open(o->pcap))) {
        snprintf(err, errlen, "cannot write %s", o->pcap);
        goto bad;
    }
    if (!(c->chan = toe_chan_new(&copts))) {
        snprintf(err, errlen, "channel: %s", strerror(errno));
        goto bad;
    }
    snprintf(path, sizeof(path), "%s/toe-sim.sock", c->tree.dev_dir);
    if (toe_chan_listen(c->chan, path)) {
        snprintf(err, errlen, "channel: %s", toe_chan_error(c->chan));
        goto bad;
    }
    if (o->wire_path) {
        struct sim_cable_cfg cc = {.path = o->wire_path, .listen = o->wire_listen,
                                   .latency_ps = o->cable_latency_ps, .time_mode = o->time_mode,
                                   .impair = o->impair, .seed = o->seed,
                                   .connect_timeout_ms = o->wire_timeout_ms};

        if (!(c->cable = sim_cable_open(&cc, err, errlen)))
            goto bad;
    }
    c->up_ns = mono_ns();
    return c;
bad:
    sim_core_close(c);
    return NULL;
}

void sim_core_close(struct sim_core *c)
{
    if (!c)
        return;
    if (c->dev) {
        uint32_t tx[TX_CNT_NUM], rx[RX_CNT_NUM], dv[DEV_CNT_NUM];

        c->dev->ops->counters(c->dev, tx, rx, dv);
        fprintf(stderr,
                "toe-sim: %s backend stopped at %" PRIu64 " ns: %" PRIu64 " MMIO reads, %" PRIu64
                " writes, %" PRIu64 " resets, %" PRIu64 " MSI-X, %" PRIu64 " frames out, %" PRIu64
                " in, firmware ran %" PRIu64 " times, %" PRIu64 " drivers attached\n",
                c->dev->ops->name, toe_dev_now(c->dev) / 1000, c->st.mmio_reads, c->st.mmio_writes,
                c->st.resets, c->st.msix, c->st.frames_out, c->st.frames_in, c->st.fw_services,
                c->st.hosts);
        fprintf(stderr, "toe-sim: device counters since its last reset: tx frames %u, rx frames %u, "
                "dma faults %u/%u, queue errors %u\n",
                tx[TX_CNT_FRAMES], rx[RX_CNT_FRAMES], dv[DEV_CNT_DMA_RD_FAULTS],
                dv[DEV_CNT_DMA_WR_FAULTS], dv[DEV_CNT_QUEUE_ERRORS]);
    }
    if (c->chan)
        fprintf(stderr, "toe-sim: channel: %" PRIu64 " DMA accesses refused by the bounds check\n",
                toe_chan_stats(c->chan)->dma_refused);
    if (c->cable) {
        struct sim_cable_stats s;

        sim_cable_stats(c->cable, &s);
        fprintf(stderr, "toe-sim: cable: %" PRIu64 " frames sent, %" PRIu64 " received; impairment lost %"
                PRIu64 ", duplicated %" PRIu64 ", corrupted %" PRIu64 ", reordered %" PRIu64 "\n",
                s.frames_sent, s.frames_received, s.impair.lost, s.impair.duplicated,
                s.impair.corrupted, s.impair.reordered);
        sim_cable_close(c->cable);
    }
    toe_chan_close(c->chan);
    toe_pcap_close(c->pcap);
    toe_dev_free(c->dev);
    if (c->tree_up)
        toe_pci_tree_remove(&c->tree);
    free(c);
}
