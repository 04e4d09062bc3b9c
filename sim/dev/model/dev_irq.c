/*
 * MSI-X moderation and delivery: docs/device.md, "Interrupts (MSI-X)".
 * Per vector: PENDING entries since the last message and the time of the
 * first; a message is due once PENDING reaches MOD_COUNT (when set) or
 * MOD_NS has passed since that first entry (MOD_NS 0: at once). A due
 * message goes when MSI-X is enabled, the function and the vector are
 * unmasked and bus mastering is on; otherwise its PBA bit holds it.
 */
#include <stdint.h>

#include "dev_model_priv.h"

void dev_irq_entries(struct dev_model *d, uint32_t vector, uint32_t n)
{
    struct dev_vec *v;

    if (vector >= MSIX_VECTORS || n == 0)
        return; /* a polled ring */
    v = &d->vec[vector];
    if (v->pending == 0)
        v->first_ps = d->now;
    v->pending += n;
}

static int due(const struct dev_model *d, const struct dev_vec *v)
{
    if (v->pending == 0)
        return 0;
    if (v->mod_count != 0 && v->pending >= v->mod_count)
        return 1;
    return d->now - v->first_ps >= (uint64_t)v->mod_ns * 1000u;
}

static int deliverable(const struct dev_model *d, const struct dev_vec *v)
{
    return (d->msix_ctl & PCI_MSIX_ENABLE) && !(d->msix_ctl & PCI_MSIX_FUNC_MASK) &&
           !(v->vctrl & VCTRL_MASK) && dev_bus_master(d);
}

void dev_irq_eval(struct dev_model *d)
{
    unsigned i;

    for (i = 0; i < MSIX_VECTORS; i++) {
        struct dev_vec *v = &d->vec[i];

        if (!due(d, v))
            continue;
        if (deliverable(d, v)) {
            v->pending = 0;
            v->pba = 0;
            v->sent++;
            d->cnt[DEV_CNT_MSIX_SENT]++;
            if (d->env.msix)
                d->env.msix(d->env.arg, i, d->now);
        } else if (!v->pba) {
            v->pba = 1; /* counted once per held message */
            d->cnt[DEV_CNT_MSIX_HELD]++;
        }
    }
}

uint64_t dev_irq_deadline(const struct dev_model *d)
{
    uint64_t t = UINT64_MAX;
    unsigned i;

    for (i = 0; i < MSIX_VECTORS; i++) {
        const struct dev_vec *v = &d->vec[i];
        uint64_t at;

        /* A due message is sent or held at once: only the future counts. */
        if (v->pending == 0 || due(d, v))
            continue;
        at = v->first_ps + (uint64_t)v->mod_ns * 1000u;
        if (at < t)
            t = at;
    }
    return t;
}
