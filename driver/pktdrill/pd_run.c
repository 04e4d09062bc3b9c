/*
 * The event loop of toe-packetdrill: the embedded TOE in virtual time, the
 * script's events at their times, the TOE's frames queued and matched
 * against the '>' lines in order (docs/packetdrill.md, "Running scripts").
 *
 * Upstream's rules kept (run.c, run_packet.c): relative times count from when
 * the previous event happened (adjust_relative_event_times: consecutive
 * inbound packets anchor to each other's script time, which in virtual time
 * is when they were injected); an outbound line takes the next frame the TOE
 * sent, whenever it was queued, and a frame outside [time - tol, end + tol]
 * is a timing error (verify_time); frames still queued at the end are not
 * checked (upstream stops at the last line).
 */
#define _GNU_SOURCE
#include "pd_exec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_harness.h"
#include "toe_stack.h"

#define FINE_NS 20000ull           /* 20 us steps while the device may be sending */
#define BUSY_NS 2000000ull         /* that long after an input, a timer or a frame */
#define ANY_TIME_WAIT_US 1000000000ll  /* '*' lines: wait up to 1000 s */

int pd_fail(struct pd_exec *x, int line, const char *fmt, ...)
{
    va_list ap;

    if (x->failed)
        return -1;
    x->failed = true;
    x->fail_line = line;
    va_start(ap, fmt);
    vsnprintf(x->fail_msg, sizeof(x->fail_msg), fmt, ap);
    va_end(ap);
    return -1;
}

int64_t pd_now_usecs(const struct pd_exec *x)
{
    return (int64_t)((toe_harness_now_ns(x->h) - x->t0_ns) / 1000u);
}

static uint64_t ns_of(const struct pd_exec *x, int64_t usecs)
{
    return x->t0_ns + (uint64_t)(usecs < 0 ? 0 : usecs) * 1000u;
}

int64_t pd_event_time(const struct pd_exec *x, const struct pd_event *ev, int64_t *end_us)
{
    const struct pd_timing *t = &ev->time;
    int64_t off = 0, start;

    switch (t->start.kind) {
    case PD_TIME_REL:
    case PD_TIME_ANY:
        off = x->base_usecs;
        break;
    default:
        break;
    }
    start = t->start.kind == PD_TIME_NONE ? x->base_usecs : t->start.usecs + off;
    if (end_us) {
        *end_us = start;
        /* END of a range or a block counts from the same base as TIME */
        if (t->has_range)
            *end_us = t->range_end.usecs + (t->range_end.kind == PD_TIME_REL ? off : 0);
        if (t->has_block)
            *end_us = t->block_end.usecs + (t->start.kind == PD_TIME_REL ? off : 0);
    }
    return start;
}

/* ---- frames from the TOE ---------------------------------------------------------------- */

static struct pd_exec *g_arp_owner;
static uint8_t arp_reply[64];
static size_t arp_reply_len;

/* An ARP request from the TOE (RFC 826): answered with the script's MAC, later. */
static void arp_request(struct pd_exec *x, const uint8_t *f, size_t len)
{
    const struct pd_flow *fl = &x->flows[0];
    uint8_t *r = arp_reply;

    if (len < 42 || f[20] != 0 || f[21] != 1)   /* op 1: request */
        return;
    if (!memcmp(f + 38, (uint8_t[4]){ fl->local_ip >> 24, fl->local_ip >> 16, fl->local_ip >> 8,
                                      fl->local_ip }, 4))
        return;                                  /* its own address: gratuitous */
    memset(r, 0, 60);
    memcpy(r, f + 6, 6);
    memcpy(r + 6, fl->remote_mac, 6);
    r[12] = 0x08, r[13] = 0x06;
    memcpy(r + 14, f + 14, 6);                   /* htype, ptype, hlen, plen */
    r[20] = 0, r[21] = 2;                        /* reply */
    memcpy(r + 22, fl->remote_mac, 6);
    memcpy(r + 28, f + 38, 4);                   /* the address asked for */
    memcpy(r + 32, f + 22, 6);
    memcpy(r + 38, f + 28, 4);
    arp_reply_len = 60;
    g_arp_owner = x;
}

static void frame_out(void *arg, const uint8_t *frame, size_t len, uint64_t t_ns)
{
    struct pd_exec *x = arg;
    struct pd_qframe *q;

    x->busy_until_ns = t_ns + BUSY_NS;
    if (len >= 14 && frame[12] == 0x08 && frame[13] == 0x06) {
        if (x->opts->verbose)
            fprintf(stderr, "  %.6f frame: ARP, answered\n", (double)(t_ns - x->t0_ns) / 1e9);
        arp_request(x, frame, len);
        return;
    }
    if (x->q_len == PD_QUEUE_MAX) {
        pd_fail(x, 0, "more than %d frames from the TOE not matched by '>' lines", PD_QUEUE_MAX);
        return;
    }
    q = &x->q[(x->q_head + x->q_len) % PD_QUEUE_MAX];
    q->t_ns = t_ns;
    q->len = len < PD_FRAME_CAP ? len : PD_FRAME_CAP;
    memcpy(q->data, frame, q->len);
    x->q_len++;
    if (x->opts->verbose) {
        char buf[600];

        pd_print_frame(&x->flows[x->cur], frame, len, buf, sizeof(buf));
        fprintf(stderr, "  %.6f frame: %s\n", (double)(t_ns - x->t0_ns) / 1e9, buf);
    }
}

/* One run of the machine to T_NS, then the ARP answer it asked for. */
static void run_to(struct pd_exec *x, uint64_t t_ns)
{
    if (t_ns > toe_harness_now_ns(x->h))
        toe_harness_run_until(x->h, t_ns);
    if (arp_reply_len && g_arp_owner == x) {
        arp_reply_len = 0;
        toe_harness_inject(x->h, arp_reply, 60);
        x->busy_until_ns = toe_harness_now_ns(x->h) + BUSY_NS;
    }
}

/* One step towards LIMIT_NS: finely while the device may be busy, else to the
 * stack's next timer. */
static void step(struct pd_exec *x, uint64_t limit_ns, uint64_t fine_ns)
{
    uint64_t now = toe_harness_now_ns(x->h), next;

    if (now >= limit_ns)
        return;
    if (now < x->busy_until_ns) {
        next = now + fine_ns;
    } else {
        next = toe_stack_next_timer(toe_harness_stack(x->h));
        if (next <= now)
            next = now + fine_ns;
        else if (next < limit_ns)
            x->busy_until_ns = next + BUSY_NS;   /* a timer: its frames follow */
    }
    run_to(x, next < limit_ns ? next : limit_ns);
}

void pd_advance_to(struct pd_exec *x, int64_t t_us)
{
    uint64_t lim = ns_of(x, t_us);

    while (toe_harness_now_ns(x->h) < lim && !x->failed)
        step(x, lim, FINE_NS);
}

/* ---- packet events ----------------------------------------------------------------------- */

static const char *line_text(const struct pd_event *ev, char *buf, size_t n)
{
    pd_event_format(ev, buf, n);
    return buf;
}

static int inbound(struct pd_exec *x, const struct pd_event *ev, int64_t t)
{
    uint8_t f[PD_FRAME_CAP];
    char why[300];
    size_t n;

    pd_advance_to(x, t);
    /* a SYN opens a new connection on this flow: the TOE's next SYN(-ACK) numbers it afresh */
    if ((ev->u.packet.flags & (PD_TCP_SYN | PD_TCP_ACK)) == PD_TCP_SYN)
        x->flows[x->cur].learn_isn = true;
    n = pd_build_inbound(&x->flows[x->cur], &ev->u.packet, f, sizeof(f), NULL, why, sizeof(why));
    if (!n)
        return pd_fail(x, ev->line, "cannot build the inbound packet: %s", why);
    if (toe_harness_inject(x->h, f, n) < 0)
        return pd_fail(x, ev->line, "the TOE's port refused the inbound frame");
    /* As a kernel takes a packet written to its tun device before the
     * script's next line: through the device and the driver first. */
    toe_harness_settle(x->h);
    x->busy_until_ns = toe_harness_now_ns(x->h) + BUSY_NS;
    x->base_usecs = t;
    return 0;
}

static int outbound(struct pd_exec *x, const struct pd_event *ev, int64_t t, int64_t end)
{
    bool any = ev->time.start.kind == PD_TIME_ANY;
    int64_t tol = pd_tolerance_usecs(x->opts, t, x->last_usecs);
    int64_t lo = t - tol, hi = (ev->time.has_range ? end : t) + tol;
    uint64_t hi_ns, fine;
    struct pd_qframe *q;
    char why[1200], text[400];
    int64_t at;

    if (any)
        lo = 0, hi = x->base_usecs + ANY_TIME_WAIT_US;
    hi_ns = ns_of(x, hi);
    fine = (uint64_t)(hi - lo) * 1000u / 100u;
    if (fine < FINE_NS)
        fine = FINE_NS;
    while (!x->q_len && !x->failed && toe_harness_now_ns(x->h) < hi_ns) {
        if (toe_harness_now_ns(x->h) < ns_of(x, lo))
            step(x, ns_of(x, lo), FINE_NS);
        else
            step(x, hi_ns, fine);
    }
    if (x->failed)
        return -1;
    if (!x->q_len)
        return pd_fail(x, ev->line, "expected '%s' at %.6f s, nothing sent by %.6f s",
                       line_text(ev, text, sizeof(text)), (double)t / 1e6, (double)hi / 1e6);
    q = &x->q[x->q_head];
    x->q_head = (x->q_head + 1) % PD_QUEUE_MAX;
    x->q_len--;
    at = (int64_t)(q->t_ns - x->t0_ns) / 1000;
    if (!pd_match_outbound(&x->flows[x->cur], &ev->u.packet, q->data, q->len, why, sizeof(why)))
        return pd_fail(x, ev->line, "at %.6f s: %s", (double)at / 1e6, why);
    if (!any && (at < lo || at > hi)) {
        if (ev->time.has_range)
            return pd_fail(x, ev->line, "timing error: expected outbound packet in time range "
                           "%.6f~%.6f sec but happened at %.6f sec", (double)t / 1e6,
                           (double)end / 1e6, (double)at / 1e6);
        return pd_fail(x, ev->line, "timing error: expected outbound packet at %.6f sec but "
                       "happened at %.6f sec; tolerance %.6f sec", (double)t / 1e6,
                       (double)at / 1e6, (double)tol / 1e6);
    }
    x->base_usecs = at;
    return 0;
}

int pd_packet_event(struct pd_exec *x, size_t i)
{
    const struct pd_event *ev = &x->script->events[i];
    int64_t end, t = pd_event_time(x, ev, &end);
    int r;

    if (x->opts->verbose) {
        char text[400];

        fprintf(stderr, "%.6f line %d: %s\n", (double)t / 1e6, ev->line, line_text(ev, text, sizeof(text)));
    }
    r = ev->u.packet.dir == PD_DIR_IN ? inbound(x, ev, t) : outbound(x, ev, t, end);
    x->last_usecs = ev->time.start.kind == PD_TIME_ANY ? x->base_usecs : t;
    x->done[i] = true;
    return r;
}

/* ---- blocking calls ------------------------------------------------------------------------ */

int pd_wait_hook(void *arg, uint64_t deadline_ns)
{
    struct pd_exec *x = arg;
    const struct pd_script *s = x->script;
    uint64_t limit;
    size_t i;

    if (x->failed)
        return 1;
    if (x->call == PD_CALL_NONBLOCKING) {
        /* upstream: a call written without ...END must not block */
        x->blocked = true;
        return 1;
    }
    if (x->call != PD_CALL_BLOCKING) {
        step(x, deadline_ns, FINE_NS);
        return 0;
    }
    for (i = x->call_event + 1; i < s->n_events && x->done[i]; i++)
        ;
    if (i < s->n_events && s->events[i].kind == PD_EV_PACKET) {
        /* the script goes on while the call blocks: its next packet, at its time */
        int64_t t = pd_event_time(x, &s->events[i], NULL);

        if (ns_of(x, t) > deadline_ns) {
            step(x, deadline_ns, FINE_NS);
            return 0;
        }
        return pd_packet_event(x, i) ? 1 : 0;
    }
    limit = ns_of(x, x->call_end_usecs + x->call_tol_usecs);
    if (toe_harness_now_ns(x->h) >= limit) {
        pd_fail(x, s->events[x->call_event].line, "blocking call did not return by %.6f s "
                "(expected at %.6f s)", (double)(x->call_end_usecs + x->call_tol_usecs) / 1e6,
                (double)x->call_end_usecs / 1e6);
        return 1;
    }
    step(x, deadline_ns < limit ? deadline_ns : limit, FINE_NS);
    return 0;
}

/* ---- the script ---------------------------------------------------------------------------- */

/* Option lines, then leading sysctl lines into knobs; any other command refused. */
static int prepare(const struct pd_script *s, struct pd_run_opts *o, int *line, char *msg, size_t n)
{
    bool timed = false;
    size_t i;

    for (i = 0; i < s->n_events; i++) {
        const struct pd_event *ev = &s->events[i];
        struct pd_sysctl sc;
        char why[300];
        size_t k;
        int r;

        *line = ev->line;
        switch (ev->kind) {
        case PD_EV_OPTION:
            if (pd_run_opt_set(o, ev->u.option.name, ev->u.option.value, why, sizeof(why))) {
                snprintf(msg, n, "option line: %s", why);
                return -1;
            }
            break;
        case PD_EV_CODE:
            snprintf(msg, n, "%%{ }%% code blocks are not supported (Linux-specific Python on tcp_info)");
            return -1;
        case PD_EV_SHELL:
            r = pd_sysctl_parse(ev->u.text, &sc, why, sizeof(why));
            if (r == 0) {
                snprintf(msg, n, "shell commands are not supported (Linux-specific): `%.200s`", ev->u.text);
                return -1;
            }
            if (r < 0) {
                snprintf(msg, n, "%s", why);
                return -1;
            }
            if (timed || ev->time.start.usecs != 0) {
                snprintf(msg, n, "a sysctl line is applied before the TOE starts: only before the "
                         "first timed event, at time 0");
                return -1;
            }
            for (k = 0; k < sc.n; k++)
                if (toe_knobs_set(&o->knobs, sc.name[k], sc.value[k], why, sizeof(why))) {
                    snprintf(msg, n, "sysctl %s=%s: %s", sc.name[k], sc.value[k], why);
                    return -1;
                }
            break;
        default:
            timed = true;
            break;
        }
    }
    return 0;
}

int pd_exec_script(const struct pd_script *script, const struct pd_run_opts *cmdline, int *line,
                   char *msg, size_t msglen)
{
    struct pd_run_opts o;
    struct pd_exec *x;
    struct toe_harness_opts ho;
    char err[256];
    size_t i;
    int rc = 0;

    *line = 0;
    msg[0] = '\0';
    /* the script's option lines, then the command line's choices over them */
    pd_run_opts_init(&o);
    if (prepare(script, &o, line, msg, msglen))
        return -1;
    if (cmdline) {
        struct toe_knobs k = o.knobs;
        struct toe_knobs d;
        int id, v;

        toe_knobs_defaults(&d);
        strcpy(o.backend, cmdline->backend);
        if (cmdline->tolerance_usecs != PD_DEFAULT_TOLERANCE_USECS)
            o.tolerance_usecs = cmdline->tolerance_usecs;
        if (cmdline->tolerance_percent != PD_DEFAULT_TOLERANCE_PERCENT)
            o.tolerance_percent = cmdline->tolerance_percent;
        o.seed = cmdline->seed;
        strcpy(o.pcap, cmdline->pcap);
        o.verbose = o.verbose || cmdline->verbose;
        for (id = 0; id < TOE_KNOB_NUM; id++)
            for (v = 0; v < TOE_KNOB_MAX_VALUES; v++)
                if (cmdline->knobs.v[id][v] != d.v[id][v])
                    k.v[id][v] = cmdline->knobs.v[id][v];
        o.knobs = k;
    }

    x = calloc(1, sizeof(*x));
    if (!x) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    x->q = calloc(PD_QUEUE_MAX, sizeof(*x->q));
    x->done = calloc(script->n_events + 1, sizeof(bool));
    if (!x->q || !x->done) {
        free(x->q), free(x->done), free(x);
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    x->script = script;
    x->opts = &o;
    x->last_usecs = -1;
    pd_flow_init(&x->flows[0]);
    x->n_flows = 1;
    x->listen_port = PD_BIND_PORT;
    for (i = 0; i < PD_FDS_MAX; i++)
        x->fds[i].script_fd = x->fds[i].live_fd = -1;

    memset(&ho, 0, sizeof(ho));
    ho.backend = o.backend;
    ho.ip = x->flows[0].local_ip;
    ho.prefix_len = 16;                       /* upstream: 192.168.0.0/16 */
    memcpy(ho.mac, x->flows[0].local_mac, 6);
    ho.knobs = &o.knobs;
    ho.seed = o.seed;
    ho.pcap = o.pcap[0] ? o.pcap : NULL;
    ho.frame_out = frame_out;
    ho.wait_hook = pd_wait_hook;
    ho.arg = x;
    x->h = toe_harness_open(&ho, err, sizeof(err));
    if (!x->h) {
        snprintf(msg, msglen, "cannot start the TOE (%s backend): %s", o.backend, err);
        free(x->q), free(x->done), free(x);
        return -1;
    }
    x->ctx = toe_harness_ctx(x->h);
    /* the script's side is a static neighbour: no ARP in the middle of a script */
    if (toe_stack_neigh_add(toe_harness_stack(x->h), x->flows[0].remote_ip, x->flows[0].remote_mac)) {
        snprintf(msg, msglen, "cannot add the static neighbour 192.0.2.1");
        rc = -1;
    }
    x->t0_ns = toe_harness_now_ns(x->h);

    for (i = 0; rc == 0 && i < script->n_events && !x->failed; i++) {
        const struct pd_event *ev = &script->events[i];

        if (x->done[i])
            continue;
        x->next = i;
        if (ev->kind == PD_EV_PACKET)
            pd_packet_event(x, i);
        else if (ev->kind == PD_EV_SYSCALL)
            pd_syscall_event(x, i);
        x->done[i] = true;
    }
    if (x->failed) {
        *line = x->fail_line;
        snprintf(msg, msglen, "%s", x->fail_msg);
        rc = -1;
    }
    if (o.verbose && x->q_len)
        fprintf(stderr, "  %zu frame(s) from the TOE after the last line, not checked\n", x->q_len);
    x->call = PD_CALL_NONE;
    toe_harness_close(x->h);
    free(x->q), free(x->done), free(x);
    return rc;
}
