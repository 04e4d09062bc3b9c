/*
 * Interrupts: the MSI-X table entries of the driver's vectors, MSI-X on in
 * configuration space, and the waits (docs/device.md, "Interrupts"). Polled,
 * every device-to-host ring gets QUEUE_NO_VECTOR and the device sends nothing;
 * a wait then looks at the rings every poll interval.
 *
 * A vector is only a wake-up: the rings' phase bits say what is new, so a
 * vector that fires twice, late or for a ring with nothing new costs a look
 * and nothing else, and an entry is never missed for want of one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>

#include "toe_drv_priv.h"

/* What an x86 host would write (the local APIC's window, vector number as
 * data); toe-sim ignores both, real hardware needs them. */
#define MSIX_ADDR_X86 0xfee00000u

static const unsigned ring_vector[DEV_QUEUES] = {
    [QID_ACQ] = TOE_DRV_VEC_ADMIN,
    [QID_TXCQ] = TOE_DRV_VEC_TX,
    [QID_EXCQ] = TOE_DRV_VEC_EXC,
    [QID_EVQ] = TOE_DRV_VEC_EV,
};

int toe_drv_irq_setup(struct toe_drv *d)
{
    struct toe_plat *p = d->plat;
    unsigned q, v;
    int rc;

    for (q = 0; q < DEV_QUEUES; q++)
        if (d->ring[q].d2h)
            d->ring[q].vector = d->opts.polled ? QUEUE_NO_VECTOR : ring_vector[q];
    if (d->opts.polled) {
        (void)toe_plat_msix_enable(p, 0); /* left as the device came: off */
        return 0;
    }
    for (v = 0; v < TOE_DRV_VECTORS; v++) {
        const uint32_t e = MSIX_BASE + v * MSIX_STRIDE;

        toe_wr32(p, e + MSIX_ADDR_LO, MSIX_ADDR_X86);
        toe_wr32(p, e + MSIX_ADDR_HI, 0);
        toe_wr32(p, e + MSIX_DATA, v);
        toe_wr32(p, e + MSIX_VCTRL, 0); /* unmasked */
    }
    rc = toe_plat_msix_enable(p, 1);
    if (rc < 0)
        return toe_drv_fail(d, -rc, "device %s: MSI-X could not be enabled in configuration space",
                            p->bdf);
    return 0;
}

void toe_drv_irq_teardown(struct toe_drv *d)
{
    unsigned v;

    if (d->opts.polled)
        return;
    for (v = 0; v < TOE_DRV_VECTORS; v++)
        toe_wr32(d->plat, MSIX_BASE + v * MSIX_STRIDE + MSIX_VCTRL, 1);
    (void)toe_plat_msix_enable(d->plat, 0);
}

int toe_drv_sleep(struct toe_drv *d, int64_t ns)
{
    uint32_t fired;
    int rc = toe_plat_wait_irq(d->plat, ns, &fired);

    if (rc < 0)
        return rc;
    if (fired) {
        d->stats.irqs++;
        if (fired & ~((1u << TOE_DRV_VECTORS) - 1u))
            d->stats.irq_spurious++;
        d->irq_pending |= fired;
    }
    return 0;
}

int toe_drv_poll(struct toe_drv *d, unsigned budget)
{
    unsigned n = 0;
    struct toe_admin_cpl c;

    if (d->plat->gone)
        return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(d->plat));
    if (!d->up)
        return 0;
    d->irq_pending = 0;
    n += toe_drv_txcq_poll(d, budget);
    n += toe_drv_excq_poll(d, budget);
    n += toe_drv_evq_poll(d, budget);
    /* ACQ outside a command: only late or bogus entries; take them so that
     * the ring never fills behind them. */
    if (!d->admin_busy)
        (void)toe_drv_acq_reap(d, &c);
    return (int)n;
}

static uint64_t wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int toe_drv_wait(struct toe_drv *d, int64_t timeout_ns)
{
    const uint64_t start = toe_plat_now_ns(d->plat);
    const uint64_t wall_end = wall_ms() + TOE_PLAT_GUARD_MS_DEFAULT;
    uint64_t step = d->opts.poll_interval_ns;
    int n, rc;

    n = toe_drv_poll(d, 0);
    if (n != 0)
        return n;
    for (;;) {
        const uint64_t waited = toe_plat_now_ns(d->plat) - start;
        int64_t left;

        if (timeout_ns < 0)
            left = -1;
        else if (waited >= (uint64_t)timeout_ns)
            return 0;
        else
            left = (int64_t)((uint64_t)timeout_ns - waited);
        if (d->opts.polled) {
            /* "Until something happens", polled: looks ever less often (up to
             * 1 ms apart), for at most the wall-clock guard. */
            if (left < 0 && wall_ms() >= wall_end)
                return 0;
            if (left < 0 || (uint64_t)left > step)
                left = (int64_t)step;
            if (timeout_ns < 0 && step < 1000000u)
                step *= 2;
        }
        rc = toe_drv_sleep(d, left);
        if (rc < 0)
            return toe_drv_fail(d, ENODEV, "%s", toe_plat_gone_why(d->plat));
        n = toe_drv_poll(d, 0);
        if (n != 0)
            return n;
        if (!d->opts.polled && timeout_ns < 0)
            return 0; /* a vector with nothing new, or the platform's guard */
    }
}
