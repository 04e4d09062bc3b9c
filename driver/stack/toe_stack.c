/*
 * The stack's frame: creation, the frames in (ARP, ICMP echo, TCP) and out
 * (through ARP resolution), the counters and the views toe-ss reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_csum.h"
#include "toe_pkt.h"
#include "toe_stack_int.h"

uint64_t stk_now(const struct toe_stack *st) { return st->ops.now_ns(st->ops.arg); }

int64_t knob(const struct toe_stack *st, enum toe_knob_id id) { return st->knobs.v[id][0]; }

int64_t knob_i(const struct toe_stack *st, enum toe_knob_id id, unsigned i) { return st->knobs.v[id][i]; }

uint32_t stk_rand(struct toe_stack *st)
{
    /* xorshift64*: port perturbation and other choices that need no secrecy
     * (the ISN and cookies have their keyed hashes). */
    st->rng ^= st->rng >> 12;
    st->rng ^= st->rng << 25;
    st->rng ^= st->rng >> 27;
    return (uint32_t)((st->rng * 2685821657736338717ull) >> 32);
}

static void apply_arp_cfg(struct toe_stack *st)
{
    struct toe_arp_cfg c = {
        .retrans_ns = (uint64_t)knob(st, TOE_KNOB_NEIGH_RETRANS_TIME_MS) * TOE_MS,
        .reachable_ns = (uint64_t)knob(st, TOE_KNOB_NEIGH_BASE_REACHABLE_TIME_MS) * TOE_MS,
        .solicit = (unsigned)knob(st, TOE_KNOB_NEIGH_MCAST_SOLICIT),
    };

    toe_arp_configure(&st->arp, &c);
    toe_ports_init(&st->ports, (uint16_t)knob_i(st, TOE_KNOB_IP_LOCAL_PORT_RANGE, 0),
                   (uint16_t)knob_i(st, TOE_KNOB_IP_LOCAL_PORT_RANGE, 1));
}

struct toe_stack *toe_stack_new(const struct toe_stack_cfg *cfg, const struct toe_netif_ops *ops,
                                char *err, size_t errlen)
{
    struct toe_stack *st;
    uint8_t key[16];

    if (!cfg || !ops || !ops->output || !ops->now_ns || cfg->prefix_len > 32) {
        snprintf(err, errlen, "toe_stack_new: missing netif operations or a bad prefix length");
        errno = EINVAL;
        return NULL;
    }
    st = calloc(1, sizeof(*st));
    if (!st)
        goto nomem;
    st->cfg = *cfg;
    if (!st->cfg.max_sockets)
        st->cfg.max_sockets = 1024;
    if (!st->cfg.max_conns)
        st->cfg.max_conns = 65536 + 20000;
    if (!st->cfg.mtu)
        st->cfg.mtu = 1500;
    st->ops = *ops;
    if (cfg->knobs)
        st->knobs = *cfg->knobs;
    else
        toe_knobs_defaults(&st->knobs);
    /* Deterministic runs derive every secret from the seed; toed's seed 0
     * asks libsodium for random ones. */
    if (cfg->seed) {
        toe_isn_init_seed(&st->isn, cfg->seed);
        toe_syncookie_init_seed(&st->cookie, cfg->seed ^ 0x5eed5eed5eed5eedull);
    } else if (toe_isn_init_random(&st->isn) || toe_syncookie_init_random(&st->cookie)) {
        snprintf(err, errlen, "toe_stack_new: no random secrets (libsodium)");
        free(st);
        errno = EIO;
        return NULL;
    }
    st->rng = cfg->seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    for (unsigned i = 0; i < 16; i++)
        key[i] = (uint8_t)stk_rand(st);
    st->nsk = st->cfg.max_sockets;
    st->ntcb = st->cfg.max_conns;
    st->sk = calloc(st->nsk, sizeof(*st->sk));
    st->tcb = calloc(st->ntcb, sizeof(*st->tcb));
    st->heap = calloc(st->ntcb, sizeof(*st->heap));
    if (!st->sk || !st->tcb || !st->heap || toe_demux_init(&st->dm, st->ntcb, st->nsk, key))
        goto nomem;
    for (uint32_t i = 0; i < st->ntcb; i++)
        st->tcb[i].heap_pos = TOE_NONE;
    toe_arp_init(&st->arp, st->arp_e, sizeof(st->arp_e) / sizeof(st->arp_e[0]), cfg->mac, cfg->ip);
    apply_arp_cfg(st);
    st->ip_id = (uint16_t)stk_rand(st);
    st->ctx = sock_ctx_new(st);
    if (!st->ctx)
        goto nomem;
    return st;
nomem:
    snprintf(err, errlen, "toe_stack_new: out of memory");
    if (st) {
        toe_demux_free(&st->dm);
        free(st->sk);
        free(st->tcb);
        free(st->heap);
        free(st);
    }
    errno = ENOMEM;
    return NULL;
}

void toe_stack_free(struct toe_stack *st)
{
    if (!st)
        return;
    for (uint32_t i = 0; i < st->ntcb; i++) {
        free(st->tcb[i].sbuf);
        free(st->tcb[i].rbuf);
    }
    sock_ctx_free(st->ctx);
    toe_demux_free(&st->dm);
    free(st->sk);
    free(st->tcb);
    free(st->heap);
    free(st);
}

struct toe_ctx *toe_stack_ctx(struct toe_stack *st) { return st->ctx; }

void toe_stack_set_knobs(struct toe_stack *st, const struct toe_knobs *k)
{
    st->knobs = *k;
    apply_arp_cfg(st);
}

void toe_stack_set_owner(struct toe_stack *st, uint32_t owner) { st->owner = owner; }

int toe_stack_neigh_add(struct toe_stack *st, uint32_t ip, const uint8_t mac[6])
{
    struct toe_arp_entry *free_e = NULL;

    for (size_t i = 0; i < st->arp.n; i++) {
        if (st->arp.e[i].state != TOE_ARP_FREE && st->arp.e[i].ip == ip) {
            free_e = &st->arp.e[i];
            break;
        }
        if (!free_e && st->arp.e[i].state == TOE_ARP_FREE)
            free_e = &st->arp.e[i];
    }
    if (!free_e)
        return -ENOSPC;
    free_e->ip = ip;
    memcpy(free_e->mac, mac, 6);
    free_e->state = TOE_ARP_REACHABLE;
    /* "permanent": confirmed far in the future, so it never ages out. */
    free_e->when_ns = UINT64_MAX / 2;
    return 0;
}

/* ---- frames out ------------------------------------------------------------------- */

static int on_link(const struct toe_stack *st, uint32_t ip)
{
    uint32_t mask = st->cfg.prefix_len ? ~0u << (32 - st->cfg.prefix_len) : 0;

    return (ip & mask) == (st->cfg.ip & mask);
}

/*
 * Send a built IPv4 frame (Ethernet header's source filled, destination to be
 * found) to daddr. The neighbour comes from ARP (mac_hint, the MAC the
 * peer's own segment came from, is used while ARP has nothing yet, as a host
 * that learned it from the frame). Without either the frame is dropped and an
 * ARP request goes out: TCP's retransmission tries again (Linux queues a few
 * packets per neighbour; one loss is the simpler honest behaviour).
 */
int stk_send_frame(struct toe_stack *st, uint32_t daddr, const uint8_t *mac_hint, uint8_t *frame,
                   size_t len)
{
    struct toe_arp_out ao = {0};
    uint8_t mac[6];
    /* Without a gateway every destination is on the link (as a route
     * "default dev toe0"): ARP asks for the address itself. */
    uint32_t hop = on_link(st, daddr) || !st->cfg.gateway ? daddr : st->cfg.gateway;
    enum toe_arp_resolve r;

    r = toe_arp_resolve(&st->arp, hop, stk_now(st), mac, &ao);
    if (ao.len)
        st->ops.output(st->ops.arg, ao.frame, ao.len);
    if (r != TOE_ARP_RESOLVED) {
        if (!mac_hint) {
            if (r == TOE_ARP_PENDING && len <= sizeof(st->arpq[0].frame)) {
                for (unsigned i = 0; i < TOE_ARPQ_MAX; i++) {
                    if (!st->arpq[i].hop) {
                        st->arpq[i].hop = hop;
                        st->arpq[i].len = (uint16_t)len;
                        memcpy(st->arpq[i].frame, frame, len);
                        return 0;
                    }
                }
            }
            MIB_INC(st, MIB_TCP_OUT_DROPS);
            return r == TOE_ARP_PENDING ? -EAGAIN : -EHOSTUNREACH;
        }
        memcpy(mac, mac_hint, 6);
    }
    memcpy(frame, mac, 6);
    memcpy(frame + 6, st->cfg.mac, 6);
    if (st->ops.output(st->ops.arg, frame, len)) {
        MIB_INC(st, MIB_TCP_OUT_DROPS);
        return -EAGAIN;
    }
    return 0;
}

/* Frames whose neighbour resolved go now, in order; those whose resolution
 * failed are dropped (their TCP timers retry). */
static void arpq_flush(struct toe_stack *st)
{
    for (unsigned i = 0; i < TOE_ARPQ_MAX; i++) {
        struct toe_arpq_frame *q = &st->arpq[i];
        const struct toe_arp_entry *e;

        if (!q->hop || !(e = toe_arp_find(&st->arp, q->hop)))
            continue;
        if (e->state == TOE_ARP_REACHABLE || e->state == TOE_ARP_STALE) {
            memcpy(q->frame, e->mac, 6);
            memcpy(q->frame + 6, st->cfg.mac, 6);
            if (st->ops.output(st->ops.arg, q->frame, q->len))
                MIB_INC(st, MIB_TCP_OUT_DROPS);
            q->hop = 0;
        } else if (e->state == TOE_ARP_FAILED) {
            MIB_INC(st, MIB_TCP_OUT_DROPS);
            q->hop = 0;
        }
    }
}

/* ---- frames in -------------------------------------------------------------------- */

static void parse_options(struct toe_seg *sg, const uint8_t *o, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint8_t kind = o[i], l;

        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || (l = o[i + 1]) < 2 || i + l > n)
            break;   /* malformed: the rest is ignored, as Linux's tcp_parse_options */
        if (kind == 2 && l == 4) {
            sg->has_mss = true;
            sg->mss = toe_get16(o + i + 2);
        } else if (kind == 3 && l == 3) {
            sg->has_ws = true;
            sg->ws = o[i + 2];
        } else if (kind == 4 && l == 2) {
            sg->has_sackok = true;
        } else if (kind == 8 && l == 10) {
            sg->has_ts = true;
            sg->tsval = toe_get32(o + i + 2);
            sg->tsecr = toe_get32(o + i + 6);
        }
        i += l;
    }
}

static void tcp_frame_in(struct toe_stack *st, const uint8_t *frame, size_t len, const struct toe_eth *e)
{
    const uint8_t *ip = frame + e->hlen, *tcp;
    struct toe_ipv4 h;
    struct toe_tcp th;
    struct toe_seg sg = {0};
    size_t iplen = len - e->hlen, ihl, seglen;

    if (toe_ipv4_verify(ip, iplen) != TOE_IPV4_OK) {
        MIB_INC(st, MIB_IP_IN_HDR_ERRORS);
        return;
    }
    toe_ipv4_parse(ip, &h);
    ihl = (size_t)(ip[0] & 15) * 4;
    if (h.dst != st->cfg.ip) {
        MIB_INC(st, MIB_IP_IN_ADDR_ERRORS);
        return;
    }
    seglen = h.tot_len - ihl;
    tcp = ip + ihl;
    if (seglen < TOE_TCP_HLEN || !toe_tcp_parse(tcp, seglen, &th)) {
        MIB_INC(st, MIB_IN_ERRS);
        return;
    }
    if (!toe_tcp_csum_ok(h.src, h.dst, tcp, seglen)) {
        MIB_INC(st, MIB_IN_ERRS);
        MIB_INC(st, MIB_IN_CSUM_ERRORS);
        return;
    }
    MIB_INC(st, MIB_IN_SEGS);
    sg.frame = frame;
    sg.frame_len = len;
    memcpy(sg.src_mac, e->src, 6);
    sg.saddr = h.src;
    sg.daddr = h.dst;
    sg.tos = h.tos;
    sg.ttl = h.ttl;
    sg.sport = th.sport;
    sg.dport = th.dport;
    sg.seq = th.seq;
    sg.ack = th.ack;
    sg.flags = th.flags;
    sg.wnd = th.win;
    sg.urg = th.urg;
    sg.data = tcp + th.hlen;
    sg.len = (uint32_t)(seglen - th.hlen);
    parse_options(&sg, tcp + TOE_TCP_HLEN, th.hlen - TOE_TCP_HLEN);
    tcp_input(st, &sg);
}

void toe_stack_input(struct toe_stack *st, const uint8_t *frame, size_t len)
{
    struct toe_eth e;

    if (toe_eth_parse(frame, len, &e)) {
        MIB_INC(st, MIB_TCP_BAD_FRAMES);
        return;
    }
    if (e.type == 0x0806) {
        struct toe_arp_out ao = {0};

        MIB_INC(st, MIB_ARP_IN);
        toe_arp_input(&st->arp, frame, len, stk_now(st), &ao);
        if (ao.len)
            st->ops.output(st->ops.arg, ao.frame, ao.len);
        arpq_flush(st);
        return;
    }
    if (e.type != TOE_ETHERTYPE_IPV4 || len < e.hlen + TOE_IPV4_HLEN)
        return;
    MIB_INC(st, MIB_IP_IN_RECEIVES);
    if (frame[e.hlen + 9] == 1) {
        uint8_t out[1600];
        size_t olen = 0;
        struct toe_icmp_cfg ic = {
            .ignore_all = (int)knob(st, TOE_KNOB_ICMP_ECHO_IGNORE_ALL),
            .ignore_broadcasts = (int)knob(st, TOE_KNOB_ICMP_ECHO_IGNORE_BROADCASTS),
            .ttl = (uint8_t)knob(st, TOE_KNOB_IP_DEFAULT_TTL),
        };

        MIB_INC(st, MIB_ICMP_IN_MSGS);
        if (toe_icmp_echo(frame, len, st->cfg.mac, st->cfg.ip, st->ip_id, &ic, out, sizeof(out), &olen,
                          &st->icmp_st) == TOE_ICMP_REPLY) {
            st->ip_id++;
            MIB_INC(st, MIB_ICMP_OUT_MSGS);
            st->ops.output(st->ops.arg, out, olen);
        }
        return;
    }
    if (frame[e.hlen + 9] != TOE_IPPROTO_TCP) {
        MIB_INC(st, MIB_IP_IN_UNKNOWN_PROTOS);
        return;
    }
    tcp_frame_in(st, frame, len, &e);
}

void toe_stack_timers(struct toe_stack *st)
{
    struct toe_arp_out ao;

    while (toe_arp_tick(&st->arp, stk_now(st), &ao))
        st->ops.output(st->ops.arg, ao.frame, ao.len);
    arpq_flush(st);
    tcp_timers_run(st);
}

uint64_t toe_stack_next_timer(const struct toe_stack *st)
{
    uint64_t t = toe_arp_next_timer(&st->arp);

    if (st->heap_n && st->tcb[st->heap[0]].due < t)
        t = st->tcb[st->heap[0]].due;
    return t;
}

/* ---- observability ------------------------------------------------------------------ */

static const char *const mib_names[MIB_NUM] = {
    [MIB_ACTIVE_OPENS] = "TcpActiveOpens", [MIB_PASSIVE_OPENS] = "TcpPassiveOpens",
    [MIB_ATTEMPT_FAILS] = "TcpAttemptFails", [MIB_ESTAB_RESETS] = "TcpEstabResets",
    [MIB_CURR_ESTAB] = "TcpCurrEstab", [MIB_IN_SEGS] = "TcpInSegs", [MIB_OUT_SEGS] = "TcpOutSegs",
    [MIB_RETRANS_SEGS] = "TcpRetransSegs", [MIB_IN_ERRS] = "TcpInErrs", [MIB_OUT_RSTS] = "TcpOutRsts",
    [MIB_IN_CSUM_ERRORS] = "TcpInCsumErrors", [MIB_LISTEN_OVERFLOWS] = "TcpExtListenOverflows",
    [MIB_LISTEN_DROPS] = "TcpExtListenDrops", [MIB_SYNCOOKIES_SENT] = "TcpExtSyncookiesSent",
    [MIB_SYNCOOKIES_RECV] = "TcpExtSyncookiesRecv", [MIB_SYNCOOKIES_FAILED] = "TcpExtSyncookiesFailed",
    [MIB_TW] = "TcpExtTW", [MIB_TW_RECYCLED] = "TcpExtTWRecycled", [MIB_TW_KILLED] = "TcpExtTWKilled",
    [MIB_TIMEWAIT_OVERFLOW] = "TcpExtTCPTimeWaitOverflow",
    [MIB_TCP_REQ_Q_FULL_DROP] = "TcpExtTCPReqQFullDrop",
    [MIB_TCP_REQ_Q_FULL_DO_COOKIES] = "TcpExtTCPReqQFullDoCookies",
    [MIB_TCP_ABORT_ON_DATA] = "TcpExtTCPAbortOnData", [MIB_TCP_ABORT_ON_CLOSE] = "TcpExtTCPAbortOnClose",
    [MIB_TCP_ABORT_ON_LINGER] = "TcpExtTCPAbortOnLinger",
    [MIB_TCP_ABORT_ON_TIMEOUT] = "TcpExtTCPAbortOnTimeout",
    [MIB_TCP_ABORT_ON_MEMORY] = "TcpExtTCPAbortOnMemory", [MIB_TCP_TIMEOUTS] = "TcpExtTCPTimeouts",
    [MIB_TCP_SYN_RETRANS] = "TcpExtTCPSynRetrans", [MIB_TCP_LOST_RETRANSMIT] = "TcpExtTCPLostRetransmit",
    [MIB_TCP_CHALLENGE_ACK] = "TcpExtTCPChallengeACK", [MIB_TCP_OFO_DROP] = "TcpExtTCPOFODrop",
    [MIB_TCP_OFFLOADED] = "ToeOffloaded", [MIB_TCP_OFFLOAD_FAILED] = "ToeOffloadFailed",
    [MIB_TCP_PAWS_ESTAB] = "TcpExtPAWSEstab", [MIB_TCP_DSACK_UNDO] = "TcpExtTCPDSACKUndo",
    [MIB_TCP_TW_REUSE_REFUSED] = "ToeTWReuseRefused", [MIB_TCP_BAD_FRAMES] = "ToeBadFrames",
    [MIB_TCP_OUT_DROPS] = "ToeOutDrops", [MIB_TCP_ORPHANS] = "ToeOrphans", [MIB_ARP_IN] = "ToeArpIn",
    [MIB_IP_IN_RECEIVES] = "IpInReceives", [MIB_IP_IN_ADDR_ERRORS] = "IpInAddrErrors",
    [MIB_IP_IN_HDR_ERRORS] = "IpInHdrErrors", [MIB_ACK_SKIPPED_PAWS] = "TcpExtTCPACKSkippedPAWS",
    [MIB_ACK_SKIPPED_SEQ] = "TcpExtTCPACKSkippedSeq", [MIB_ACK_SKIPPED_TW] = "TcpExtTCPACKSkippedTimeWait",
    [MIB_ACK_SKIPPED_CHALLENGE] = "TcpExtTCPACKSkippedChallenge", [MIB_IP_IN_UNKNOWN_PROTOS] = "IpInUnknownProtos",
    [MIB_ICMP_IN_MSGS] = "IcmpInMsgs", [MIB_ICMP_OUT_MSGS] = "IcmpOutMsgs",
};

void toe_stack_counters(const struct toe_stack *st, void (*fn)(void *arg, const char *name, uint64_t v),
                        void *arg)
{
    for (unsigned i = 0; i < MIB_NUM; i++)
        fn(arg, mib_names[i], st->mib[i]);
}

int64_t toe_stack_counter(const struct toe_stack *st, const char *name)
{
    for (unsigned i = 0; i < MIB_NUM; i++)
        if (!strcmp(mib_names[i], name))
            return (int64_t)st->mib[i];
    return -1;
}

static const char *const state_names[TOE_TCP_NSTATES] = {
    [0] = "?", [TOE_TCP_ESTABLISHED] = "ESTABLISHED", [TOE_TCP_SYN_SENT] = "SYN-SENT",
    [TOE_TCP_SYN_RECV] = "SYN-RECEIVED", [TOE_TCP_FIN_WAIT1] = "FIN-WAIT-1",
    [TOE_TCP_FIN_WAIT2] = "FIN-WAIT-2", [TOE_TCP_TIME_WAIT] = "TIME-WAIT", [TOE_TCP_CLOSE] = "CLOSED",
    [TOE_TCP_CLOSE_WAIT] = "CLOSE-WAIT", [TOE_TCP_LAST_ACK] = "LAST-ACK", [TOE_TCP_LISTEN] = "LISTEN",
    [TOE_TCP_CLOSING] = "CLOSING",
};

static const char *const ss_names[TOE_TCP_NSTATES] = {
    [0] = "?", [TOE_TCP_ESTABLISHED] = "ESTAB", [TOE_TCP_SYN_SENT] = "SYN-SENT",
    [TOE_TCP_SYN_RECV] = "SYN-RECV", [TOE_TCP_FIN_WAIT1] = "FIN-WAIT-1", [TOE_TCP_FIN_WAIT2] = "FIN-WAIT-2",
    [TOE_TCP_TIME_WAIT] = "TIME-WAIT", [TOE_TCP_CLOSE] = "UNCONN", [TOE_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
    [TOE_TCP_LAST_ACK] = "LAST-ACK", [TOE_TCP_LISTEN] = "LISTEN", [TOE_TCP_CLOSING] = "CLOSING",
};

const char *toe_tcp_state_name(int s) { return s > 0 && s < TOE_TCP_NSTATES ? state_names[s] : "?"; }
const char *toe_tcp_state_ss_name(int s) { return s > 0 && s < TOE_TCP_NSTATES ? ss_names[s] : "?"; }

static void conn_info(const struct toe_stack *st, const struct toe_tcb *tb, struct toe_conn_info *ci)
{
    uint64_t now = stk_now(st);

    memset(ci, 0, sizeof(*ci));
    ci->state = tb->state;
    ci->laddr = tb->t.laddr;
    ci->raddr = tb->t.raddr;
    ci->lport = tb->t.lport;
    ci->rport = tb->t.rport;
    ci->recv_q = tb->rbuf_len;
    ci->send_q = tb->sbuf_len;
    if (tb->state == TOE_TCP_TIME_WAIT && tb->tw_at) {
        ci->timer = TOE_TIMER_TIMEWAIT;
        ci->timer_left_ns = tb->tw_at > now ? tb->tw_at - now : 0;
    } else if (tb->rtx_at) {
        ci->timer = TOE_TIMER_ON;
        ci->timer_left_ns = tb->rtx_at > now ? tb->rtx_at - now : 0;
        ci->retrans = tb->retries;
    } else if (tb->tw_at) {
        ci->timer = TOE_TIMER_TIMEWAIT;
        ci->timer_left_ns = tb->tw_at > now ? tb->tw_at - now : 0;
    } else if (tb->ka_at) {
        ci->timer = TOE_TIMER_KEEPALIVE;
        ci->timer_left_ns = tb->ka_at > now ? tb->ka_at - now : 0;
        ci->retrans = tb->ka_probes;
    }
    ci->snd_mss = tb->snd_mss;
    ci->rcv_mss = tb->adv_mss;
    ci->snd_wscale = tb->ws_ok ? (int8_t)tb->snd_wscale : -1;
    ci->rcv_wscale = tb->ws_ok ? (int8_t)tb->rcv_wscale : -1;
    ci->ts = tb->ts_ok;
    ci->sack = tb->sack_ok;
    ci->rto_us = (uint32_t)(tb->rto_ns / 1000);
    ci->rtt_us = (uint32_t)(tb->srtt_ns / 1000);
    ci->rttvar_us = (uint32_t)(tb->rttvar_ns / 1000);
    ci->cwnd = 10;
    ci->ssthresh = UINT32_MAX;
    ci->offloaded = tb->hw >= 0;
    ci->orphan = tb->orphan;
    ci->fd = tb->fd == TOE_NONE ? -1 : (int)tb->fd;
    ci->owner = tb->owner;
}

void toe_stack_foreach(struct toe_stack *st, int (*fn)(void *arg, const struct toe_conn_info *ci), void *arg)
{
    struct toe_conn_info ci;

    for (uint32_t i = 0; i < st->nsk; i++) {
        const struct toe_sock *s = &st->sk[i];

        if (s->kind != SK_LISTEN)
            continue;
        memset(&ci, 0, sizeof(ci));
        ci.state = TOE_TCP_LISTEN;
        ci.laddr = s->baddr;
        ci.lport = s->bport;
        ci.recv_q = s->acq_len;
        ci.send_q = (uint32_t)s->backlog;
        ci.snd_wscale = ci.rcv_wscale = -1;
        ci.fd = (int)i;
        ci.owner = s->owner;
        if (fn(arg, &ci))
            return;
    }
    for (uint32_t i = 0; i < st->ntcb; i++) {
        if (!st->tcb[i].used)
            continue;
        conn_info(st, &st->tcb[i], &ci);
        if (fn(arg, &ci))
            return;
    }
}

size_t toe_stack_bytes_per_conn(void)
{
    /* the connection, its demux node and bucket share, its timer-heap slot,
     * its descriptor */
    return sizeof(struct toe_tcb) + sizeof(struct toe_demux_node) + sizeof(uint32_t) + sizeof(uint32_t) +
           sizeof(struct toe_sock);
}

uint64_t toe_stack_buffer_bytes(const struct toe_stack *st)
{
    uint64_t n = 0;

    for (uint32_t i = 0; i < st->ntcb; i++) {
        const struct toe_tcb *tb = &st->tcb[i];

        if (tb->used)
            n += (tb->rbuf ? tb->rbuf_cap : 0) + (tb->sbuf ? tb->sbuf_cap : 0);
    }
    return n;
}
