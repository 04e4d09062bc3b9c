/*
 * An actual frame from the TOE against a '>' line, field by field in the order
 * a reader scans the line: addresses and ports, ECN, flags, seq, length, ack,
 * win, urg, options. The first difference is named; the flow learns only from
 * a frame that matched, so a failed attempt leaves it as it was.
 *
 * Upstream's rules (run_packet.c, verify_outbound_live_*) kept here: the
 * window is the raw 16-bit field; SACK blocks of '>' lines are relative to the
 * script's ISN; TS ecr must equal the script's value (inbound TS vals are sent
 * as written); TS val is not compared (upstream checks it only within a
 * tolerance with --tcp_ts_tick_usecs, unset by default) - the first one seen
 * is learned to map inbound ecr values.
 */
#include "pd_match_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct diff {
    char text[200];
};

static bool differ(struct diff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool differ(struct diff *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(d->text, sizeof(d->text), fmt, ap);
    va_end(ap);
    return false;
}

static const char *opt_name(enum pd_opt_kind k)
{
    static const char *const names[] = {
        [PD_OPT_EOL] = "eol", [PD_OPT_NOP] = "nop", [PD_OPT_MSS] = "mss",
        [PD_OPT_WSCALE] = "wscale", [PD_OPT_SACKOK] = "sackOK", [PD_OPT_SACK] = "sack",
        [PD_OPT_TS] = "TS",
    };

    return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

static bool same_opt(unsigned idx, const struct pd_tcp_opt *w, const struct pd_tcp_opt *a,
                     struct diff *d)
{
    unsigned b;

    if (w->kind != a->kind)
        return differ(d, "option %u: expected %s, actual %s", idx + 1, opt_name(w->kind),
                      opt_name(a->kind));
    switch (w->kind) {
    case PD_OPT_MSS:
    case PD_OPT_WSCALE:
        if (w->value != a->value)
            return differ(d, "%s: expected %u, actual %u", opt_name(w->kind), w->value, a->value);
        break;
    case PD_OPT_TS:
        if (w->ecr != a->ecr)
            return differ(d, "TS ecr: expected %u, actual %u", w->ecr, a->ecr);
        break;
    case PD_OPT_SACK:
        if (w->n_blocks != a->n_blocks)
            return differ(d, "sack blocks: expected %u, actual %u", w->n_blocks, a->n_blocks);
        for (b = 0; b < w->n_blocks && b < PD_SACK_MAX_BLOCKS; b++)
            if (w->block[b][0] != a->block[b][0] || w->block[b][1] != a->block[b][1])
                return differ(d, "sack block %u: expected %u:%u, actual %u:%u", b + 1,
                              w->block[b][0], w->block[b][1], a->block[b][0], a->block[b][1]);
        break;
    default:
        break;
    }
    return true;
}

/* ACT's options are F's, SACK blocks made relative. */
static bool same_options(const struct pd_packet *want, const struct pd_frame *f,
                         const struct pd_packet *act, struct diff *d)
{
    size_t i;

    if (want->opts_mode == PD_OPTS_ANY)
        return true;
    if (want->opts_mode == PD_OPTS_NONE) {
        if (f->n_opts || f->unknown_kind >= 0)
            return differ(d, "options: expected none, actual %zu", f->n_opts + (f->unknown_kind >= 0));
        return true;
    }
    for (i = 0; i < want->n_opts && i < f->n_opts; i++)
        if (!same_opt((unsigned)i, &want->opts[i], &act->opts[i], d))
            return false;
    if (f->unknown_kind >= 0 && i == f->n_opts)
        return differ(d, "option %zu: expected %s, actual unknown kind %d", i + 1,
                      i < want->n_opts ? opt_name(want->opts[i].kind) : "none", f->unknown_kind);
    if (want->n_opts != f->n_opts)
        return differ(d, "options: expected %zu, actual %zu", want->n_opts, f->n_opts);
    return true;
}

static bool ecn_ok(enum pd_ecn want, uint8_t tos)
{
    unsigned bits = tos & 3;    /* RFC 3168 5 */

    switch (want) {
    case PD_ECN_UNSPEC: return true;
    case PD_ECN_NOECN: return bits == 0;
    case PD_ECN_ECT1: return bits == 1;
    case PD_ECN_ECT0: return bits == 2;
    case PD_ECN_CE: return bits == 3;
    case PD_ECN_ECT01: return bits == 1 || bits == 2;
    }
    return false;
}

/* A host-order IPv4 address in dotted-quad form, into BUF. */
static const char *quad(char buf[16], uint32_t a)
{
    snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    return buf;
}

/* WANT against the actual frame F (ACT: F as a line, relative numbers); true, or
 * false with *D naming the first field that differs. */
static bool same(const struct pd_flow *flow, const struct pd_packet *want,
                 const struct pd_frame *f, const struct pd_packet *act, struct diff *d)
{
    static const char *const ecn[] = {
        [PD_ECN_UNSPEC] = "any", [PD_ECN_NOECN] = "noecn", [PD_ECN_ECT1] = "ect1",
        [PD_ECN_ECT0] = "ect0", [PD_ECN_CE] = "ce", [PD_ECN_ECT01] = "ect01",
    };
    static const char *const wire[4] = { "noecn", "ect1", "ect0", "ce" };
    char w[16], a[16], q[4][16];

    if (f->src != flow->local_ip || f->dst != flow->remote_ip)
        return differ(d, "addresses: expected %s > %s, actual %s > %s", quad(q[0], flow->local_ip),
                      quad(q[1], flow->remote_ip), quad(q[2], f->src), quad(q[3], f->dst));
    if (f->sport != flow->local_port || f->dport != flow->remote_port)
        return differ(d, "ports: expected %u > %u, actual %u > %u", flow->local_port,
                      flow->remote_port, f->sport, f->dport);
    if (!ecn_ok(want->ecn, f->tos))
        return differ(d, "ECN: expected [%s], actual [%s]",
                      (unsigned)want->ecn < 6 ? ecn[want->ecn] : "?", wire[f->tos & 3]);
    if (want->flags != f->flags) {
        struct pd_packet fw = *want, fa = *act;
        char lw[64], la[64];

        /* the flag words as the printer writes them: the text after "> " up to a space */
        fw.ecn = fa.ecn = PD_ECN_UNSPEC;
        pd_packet_format(&fw, lw, sizeof(lw));
        pd_packet_format(&fa, la, sizeof(la));
        snprintf(w, sizeof(w), "%.*s", (int)strcspn(lw + 2, " "), lw + 2);
        snprintf(a, sizeof(a), "%.*s", (int)strcspn(la + 2, " "), la + 2);
        if (!w[0])
            strcpy(w, "none");
        if (!a[0])
            strcpy(a, "none");
        return differ(d, "flags: expected %s, actual %s", w, a);
    }
    if (want->seq_start != act->seq_start)
        return differ(d, "seq: expected %u, actual %u", want->seq_start, act->seq_start);
    if (want->len != act->len)
        return differ(d, "len: expected %u, actual %u", want->len, act->len);
    if (want->has_ack && want->ack != act->ack)
        return differ(d, "ack: expected %u, actual %u", want->ack, act->ack);
    if (want->has_win && want->win != act->win)
        return differ(d, "win: expected %u, actual %u", want->win, act->win);
    if (want->has_urg && want->urg != act->urg)
        return differ(d, "urg: expected %u, actual %u", want->urg, act->urg);
    return same_options(want, f, act, d);
}

static const struct pd_tcp_opt *find_ts(const struct pd_tcp_opt *o, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (o[i].kind == PD_OPT_TS)
            return &o[i];
    return NULL;
}

bool pd_match_outbound(struct pd_flow *real, const struct pd_packet *want,
                       const uint8_t *frame, size_t len, char *why, size_t whylen)
{
    struct pd_flow *flow = real;
    struct pd_frame f;
    struct pd_packet act;
    struct pd_tcp_opt opts[PD_FRAME_MAX_OPTS];
    struct diff d = { "" };
    char reason[160], exp[512], got[512];
    const char *bad;
    uint32_t isn;
    bool ok, fresh, fresh_isn;
    struct pd_flow view;

    if (why && whylen)
        why[0] = '\0';
    pd_packet_format(want, exp, sizeof(exp));
    bad = pd_frame_decode(frame, len, &f, reason, sizeof(reason));
    if (bad) {
        if (why && whylen)
            snprintf(why, whylen, "expected: %s  actual: (not a TCP/IPv4 frame)  (first difference: %s)",
                     exp, bad);
        return false;
    }
    /*
     * The TOE's ISN is whatever its SYN carries (RFC 9293 3.4.1); the line's
     * start (normally 0) is relative to it. Without a SYN first there is
     * nothing to be relative to.
     */
    /* A new active open: its port and ISN are the frame's (struct pd_flow, learn_local_port). */
    fresh = flow->learn_local_port && (f.flags & PD_TCP_SYN) && !(f.flags & PD_TCP_ACK);
    fresh_isn = fresh || (flow->learn_isn && (f.flags & PD_TCP_SYN));
    view = *flow;
    if (fresh)
        view.local_port = f.sport;
    if (fresh_isn) {
        view.local_isn_known = false;
        view.ts_known = false;
    }
    flow = &view;
    if (flow->local_isn_known) {
        isn = flow->local_isn;
    } else if (f.flags & PD_TCP_SYN) {
        isn = f.seq - want->seq_start;
    } else {
        isn = f.seq;
        pd_frame_to_packet(flow, isn, &f, &act, opts);
        pd_frame_format(&f, &act, got, sizeof(got));
        if (why && whylen)
            snprintf(why, whylen, "expected: %s  actual: %s  (first difference: the TOE's ISN is "
                     "unknown: its first packet is not a SYN)", exp, got);
        return false;
    }
    pd_frame_to_packet(flow, isn, &f, &act, opts);
    ok = same(flow, want, &f, &act, &d);
    if (!ok) {
        pd_frame_format(&f, &act, got, sizeof(got));
        if (why && whylen)
            snprintf(why, whylen, "expected: %s  actual: %s  (first difference: %s)", exp, got, d.text);
        return false;
    }
    if (!flow->local_isn_known) {
        flow->local_isn_known = true;
        flow->local_isn = isn;
    }
    if (fresh)
        flow->learn_local_port = false;
    if (fresh_isn)
        flow->learn_isn = false;
    if (!flow->ts_known && want->opts_mode == PD_OPTS_LIST) {
        const struct pd_tcp_opt *ws = find_ts(want->opts, want->n_opts);
        const struct pd_tcp_opt *as = find_ts(f.opts, f.n_opts);

        if (ws && as) {
            flow->ts_known = true;
            flow->ts_script_first = ws->value;
            flow->ts_actual_first = as->value;
        }
    }
    *real = view;
    return true;
}
