/*
 * The embedded TOE (toe_harness.h): the in-process device platform
 * (sim/local), the driver core on it, and the stack on the driver through
 * toe_stack_drv (the same glue toed uses), offload included.
 */
#define _GNU_SOURCE
#include "toe_harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_dev.h"
#include "toe_dev_drv.h"
#include "toe_pcap.h"
#include "toe_plat_local.h"
#include "toe_stack.h"
#include "toe_stack_drv.h"

/* Steps while settling: fine enough that an answer's time is exact to it. */
#define SETTLE_STEP_NS 100u

struct toe_harness {
    struct toe_harness_opts o;
    struct toe_plat *plat;
    struct toe_drv *drv;
    struct toe_stack_drv *sd;
    struct toe_pcap *pcap;
};

static void frame_out(void *arg, const uint8_t *frame, size_t len, uint64_t t_ns)
{
    struct toe_harness *h = arg;

    if (h->pcap)
        toe_pcap_write(h->pcap, t_ns, frame, len);
    if (h->o.frame_out)
        h->o.frame_out(h->o.arg, frame, len, t_ns);
}

/* A blocking call's wait without the caller's hook: one step, unless nothing
 * could ever happen (no deadline, no timer, an idle device) - then the call
 * ends (EINTR) rather than hang the process. */
static int own_wait(void *arg, uint64_t deadline)
{
    struct toe_harness *h = arg;
    struct toe_dev *dev = toe_plat_local_dev(h->plat);

    if (deadline == UINT64_MAX && toe_stack_next_timer(toe_stack_drv_stack(h->sd)) == UINT64_MAX &&
        dev->ops->next_activity(dev) == UINT64_MAX)
        return -EDEADLK;
    toe_stack_drv_step(h->sd, deadline);
    return toe_drv_gone(h->drv) ? -ENODEV : 0;
}

struct toe_harness *toe_harness_open(const struct toe_harness_opts *o, char *err, size_t errlen)
{
    struct toe_harness *h = calloc(1, sizeof(*h));
    struct toe_plat_local_opts po = {0};
    struct toe_drv_opts dopt = {0};
    struct toe_stack_cfg cfg = {0};
    char e[256];

    if (!h || !(h->sd = toe_stack_drv_new())) {
        snprintf(err, errlen, "out of memory");
        free(h);
        return NULL;
    }
    h->o = *o;
    if (o->pcap && !(h->pcap = toe_pcap_open(o->pcap))) {
        snprintf(err, errlen, "%s: cannot write the capture", o->pcap);
        goto fail;
    }
    po.backend = o->backend ? o->backend : "model";
    po.conn_max = o->conn_max;
    po.dma_size = o->dma_size;
    po.frame_out = frame_out;
    po.arg = h;
    h->plat = toe_plat_local_open(&po, e, sizeof(e));
    if (!h->plat) {
        snprintf(err, errlen, "device: %s", e);
        goto fail;
    }
    toe_stack_drv_callbacks(h->sd, &dopt);
    h->drv = toe_drv_attach_plat(h->plat, NULL, &dopt, e, sizeof(e));
    if (!h->drv) {
        h->plat = NULL;   /* the driver closed it */
        snprintf(err, errlen, "driver: %s", e);
        goto fail;
    }
    cfg.ip = o->ip;
    cfg.prefix_len = o->prefix_len;
    memcpy(cfg.mac, o->mac, 6);
    cfg.knobs = o->knobs;
    cfg.max_sockets = o->max_sockets;
    cfg.max_conns = o->max_conns;
    /* The stack's seed 0 means "random secrets"; a harness run is always
     * deterministic, so every seed maps to a nonzero one. */
    cfg.seed = o->seed * 2 + 1;
    if (toe_stack_drv_start(h->sd, h->drv, &cfg, !o->no_offload, e, sizeof(e))) {
        snprintf(err, errlen, "stack: %s", e);
        goto fail;
    }
    if (o->wait_hook)
        toe_stack_drv_set_wait_hook(h->sd, o->wait_hook, o->arg);
    else
        toe_stack_drv_set_wait_hook(h->sd, own_wait, h);
    return h;
fail:
    toe_harness_close(h);
    return NULL;
}

void toe_harness_close(struct toe_harness *h)
{
    if (!h)
        return;
    toe_stack_drv_free(h->sd);
    if (h->drv)
        toe_drv_detach(h->drv);
    else
        toe_plat_close(h->plat);
    if (h->pcap)
        toe_pcap_close(h->pcap);
    free(h);
}

struct toe_ctx *toe_harness_ctx(struct toe_harness *h) { return toe_stack_ctx(toe_stack_drv_stack(h->sd)); }
struct toe_stack *toe_harness_stack(struct toe_harness *h) { return toe_stack_drv_stack(h->sd); }
uint64_t toe_harness_now_ns(struct toe_harness *h) { return toe_drv_now_ns(h->drv); }

int toe_harness_inject(struct toe_harness *h, const uint8_t *frame, size_t len)
{
    uint64_t now = toe_drv_now_ns(h->drv);

    if (h->pcap)
        toe_pcap_write(h->pcap, now, frame, len);
    return toe_plat_local_frame_in(h->plat, frame, len, now);
}

void toe_harness_run_until(struct toe_harness *h, uint64_t t_ns)
{
    while (toe_drv_now_ns(h->drv) < t_ns && !toe_drv_gone(h->drv))
        toe_stack_drv_step(h->sd, t_ns);
    /* What is due exactly now (an answer of this instant). */
    toe_drv_poll(h->drv, 0);
    toe_stack_timers(toe_stack_drv_stack(h->sd));
}

uint64_t toe_harness_settle(struct toe_harness *h)
{
    struct toe_dev *dev = toe_plat_local_dev(h->plat);
    uint64_t t0 = toe_drv_now_ns(h->drv);

    /* A frame given for now enters the device when it next runs: one step
     * first, then as long as the device has work at hand (bounded: a device
     * that never settles must not hang the caller). */
    for (int i = 0; i < 100000 && !toe_drv_gone(h->drv); i++) {
        uint64_t dnow = toe_dev_now(dev) / 1000u;

        if (i && dev->ops->next_activity(dev) / 1000u > dnow)
            break;
        toe_stack_drv_step(h->sd, toe_drv_now_ns(h->drv) + SETTLE_STEP_NS);
    }
    toe_drv_poll(h->drv, 0);
    toe_stack_timers(toe_stack_drv_stack(h->sd));
    return toe_drv_now_ns(h->drv) - t0;
}
