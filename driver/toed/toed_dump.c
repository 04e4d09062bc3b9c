/*
 * toed's observability ops (toe-ss): DUMP sends every connection and
 * listener the stack has (toe_stack_foreach) as records, COUNTERS every MIB
 * counter (toe_stack_counters) and toed's own; each ends with a reply of
 * return value 0.
 */
#define _GNU_SOURCE /* PATH_MAX in toe_pci.h */
#include <string.h>

#include "toe_dev_drv.h"
#include "toe_stack.h"
#include "toe_stack_drv.h"
#include "toed.h"

struct sink {
    struct toed *t;
    struct toed_client *c;
};

static int one_conn(void *arg, const struct toe_conn_info *ci)
{
    struct sink *s = arg;
    struct toe_proto_conn pc;
    uint8_t rec[TOE_PROTO_CONN_LEN];

    memset(&pc, 0, sizeof(pc));
    pc.state = ci->state;
    pc.laddr = ci->laddr;
    pc.raddr = ci->raddr;
    pc.lport = ci->lport;
    pc.rport = ci->rport;
    pc.recv_q = ci->recv_q;
    pc.send_q = ci->send_q;
    pc.timer = ci->timer;
    pc.timer_left_ns = ci->timer_left_ns;
    pc.retrans = ci->retrans;
    pc.snd_mss = ci->snd_mss;
    pc.rcv_mss = ci->rcv_mss;
    pc.snd_wscale = ci->snd_wscale;
    pc.rcv_wscale = ci->rcv_wscale;
    pc.ts = (uint8_t)ci->ts;
    pc.sack = (uint8_t)ci->sack;
    pc.offloaded = (uint8_t)ci->offloaded;
    pc.orphan = (uint8_t)ci->orphan;
    pc.rto_us = ci->rto_us;
    pc.rtt_us = ci->rtt_us;
    pc.rttvar_us = ci->rttvar_us;
    pc.cwnd = ci->cwnd;
    pc.ssthresh = ci->ssthresh;
    pc.fd = ci->fd;
    pc.owner = ci->owner;
    toe_proto_conn_encode(&pc, rec);
    toed_reply(s->t, s->c, 1, 0, rec, sizeof(rec));
    return s->c->gone;
}

void toed_dump(struct toed *t, struct toed_client *c)
{
    struct sink s = {t, c};

    toe_stack_foreach(t->st, one_conn, &s);
    toed_reply(t, c, 0, 0, NULL, 0);
}

static void one_counter(void *arg, const char *name, uint64_t v)
{
    struct sink *s = arg;
    uint8_t rec[8 + TOE_PROTO_NAME_MAX];
    size_t n = toe_proto_counter_encode(name, v, rec, sizeof(rec));

    if (n)
        toed_reply(s->t, s->c, 1, 0, rec, (uint32_t)n);
}

void toed_counters(struct toed *t, struct toed_client *c)
{
    struct sink s = {t, c};

    toe_stack_counters(t->st, one_counter, &s);
    /* toed's own, after the stack's, under names of the same shape. */
    one_counter(&s, "ToedClients", t->stats.clients);
    one_counter(&s, "ToedClientsDropped", t->stats.clients_dropped);
    one_counter(&s, "ToedBadRequests", t->stats.bad_requests);
    one_counter(&s, "ToedRequests", t->stats.requests);
    one_counter(&s, "ToedParked", t->stats.parked);
    /* The offload glue's and the driver's, to see where a frame went. */
    if (t->sd) {
        const struct toe_stack_drv_stats *sd = toe_stack_drv_stats(t->sd);

        one_counter(&s, "ToedHwOffloaded", sd->offloaded);
        one_counter(&s, "ToedHwOffloadFailed", sd->offload_failed);
        one_counter(&s, "ToedHwUnoffloaded", sd->unoffloaded);
        one_counter(&s, "ToedHwBytes", sd->hw_bytes);
        one_counter(&s, "ToedHwDataEvents", sd->data_events);
        one_counter(&s, "ToedHwUpdateEvents", sd->update_events);
        one_counter(&s, "ToedHwBadEvents", sd->bad_events);
        one_counter(&s, "ToedHwTxRefused", sd->tx_refused);
        one_counter(&s, "ToedHwAdminErrors", sd->admin_errors);
    }
    if (t->drv) {
        const struct toe_drv_stats *d = toe_drv_stats(t->drv);

        one_counter(&s, "ToedDrvRxFrames", d->rx_frames);
        one_counter(&s, "ToedDrvTxSent", d->tx_sent);
        one_counter(&s, "ToedDrvTxErrors", d->tx_errors);
        one_counter(&s, "ToedDrvEvents", d->events);
        one_counter(&s, "ToedDrvExcqBad", d->excq_bad);
        one_counter(&s, "ToedDrvEvqBad", d->evq_bad);
        one_counter(&s, "ToedDrvAdminTimeouts", d->admin_timeouts);
    }
    toed_reply(t, c, 0, 0, NULL, 0);
}
