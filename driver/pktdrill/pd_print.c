/*
 * Events back into script text, in one canonical form: times in seconds with
 * trailing zeros cut, flags in the order FSRP.UEWC, fields in the order
 * ack/win/urg, ", " between arguments. Parsing the output gives the same
 * event (pd_event_equal), which the round-trip tests hold it to. Used for
 * "expected ..., got ..." messages, so it never fails: it truncates.
 */
#include "pd_ast.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct out {
    char *buf;
    size_t size, len;         /* len counts what the whole text needs */
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;
    size_t room = o->len < o->size ? o->size - o->len : 0;

    va_start(ap, fmt);
    n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

static void put_time(struct out *o, const struct pd_time *t)
{
    int64_t frac = t->usecs % 1000000;
    int digits = 6;

    if (t->kind == PD_TIME_ANY) {
        put(o, "*");
        return;
    }
    if (t->kind == PD_TIME_REL)
        put(o, "+");
    put(o, "%" PRId64, t->usecs / 1000000);
    if (!frac)
        return;
    while (frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    put(o, ".%0*" PRId64, digits, frac);
}

static void put_timing(struct out *o, const struct pd_timing *tm)
{
    put_time(o, &tm->start);
    if (tm->has_range) {
        put(o, "~");
        put_time(o, &tm->range_end);
    }
    if (tm->has_block) {
        put(o, "...");
        put_time(o, &tm->block_end);
    }
}

static void put_opt(struct out *o, const struct pd_tcp_opt *opt)
{
    unsigned i;

    switch (opt->kind) {
    case PD_OPT_EOL: put(o, "eol"); break;
    case PD_OPT_NOP: put(o, "nop"); break;
    case PD_OPT_SACKOK: put(o, "sackOK"); break;
    case PD_OPT_MSS: put(o, "mss %u", opt->value); break;
    case PD_OPT_WSCALE: put(o, "wscale %u", opt->value); break;
    case PD_OPT_TS: put(o, "TS val %u ecr %u", opt->value, opt->ecr); break;
    case PD_OPT_SACK:
        put(o, "sack");
        for (i = 0; i < opt->n_blocks && i < PD_SACK_MAX_BLOCKS; i++)
            put(o, " %u:%u", opt->block[i][0], opt->block[i][1]);
        break;
    }
}

static void put_packet(struct out *o, const struct pd_packet *pkt)
{
    static const char letters[] = "FSRP.UEWC";
    static const unsigned bits[] = {
        PD_TCP_FIN, PD_TCP_SYN, PD_TCP_RST, PD_TCP_PSH, PD_TCP_ACK,
        PD_TCP_URG, PD_TCP_ECE, PD_TCP_CWR, PD_TCP_AE,
    };
    size_t i;

    static const char *const ecn[] = {
        [PD_ECN_NOECN] = "[noecn] ", [PD_ECN_ECT1] = "[ect1] ", [PD_ECN_ECT0] = "[ect0] ",
        [PD_ECN_CE] = "[ce] ", [PD_ECN_ECT01] = "[ect01] ",
    };

    put(o, " %c ", (char)pkt->dir);
    if (pkt->ecn != PD_ECN_UNSPEC && (unsigned)pkt->ecn < sizeof(ecn) / sizeof(ecn[0]))
        put(o, "%s", ecn[pkt->ecn]);
    for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (pkt->flags & bits[i])
            put(o, "%c", letters[i]);
    put(o, " %u:%u(%u)", pkt->seq_start, pkt->seq_end, pkt->len);
    if (pkt->has_ack)
        put(o, " ack %u", pkt->ack);
    if (pkt->has_win)
        put(o, " win %u", pkt->win);
    if (pkt->has_urg)
        put(o, " urg %u", pkt->urg);
    if (pkt->opts_mode == PD_OPTS_ANY) {
        put(o, " <...>");
    } else if (pkt->opts_mode == PD_OPTS_LIST) {
        put(o, " <");
        for (i = 0; i < pkt->n_opts; i++) {
            if (i)
                put(o, ",");
            put_opt(o, &pkt->opts[i]);
        }
        put(o, ">");
    }
}

static void put_expr(struct out *o, const struct pd_expr *e);

static void put_list(struct out *o, const struct pd_expr *e, const char *open, const char *close)
{
    size_t i;

    put(o, "%s", open);
    for (i = 0; i < e->n_kids; i++) {
        if (i)
            put(o, ", ");
        put_expr(o, e->kids[i]);
    }
    put(o, "%s", close);
}

static void put_expr(struct out *o, const struct pd_expr *e)
{
    switch (e->kind) {
    case PD_EX_ELLIPSIS: put(o, "..."); break;
    case PD_EX_INT: put(o, "%" PRId64, e->ival); break;
    case PD_EX_NAME: put(o, "%s", e->name); break;
    case PD_EX_STRING: put(o, "\"%s\"", e->name); break;
    case PD_EX_OR:
        put_expr(o, e->kids[0]);
        put(o, "|");
        put_expr(o, e->kids[1]);
        break;
    case PD_EX_ARRAY: put_list(o, e, "[", "]"); break;
    case PD_EX_STRUCT: put_list(o, e, "{", "}"); break;
    case PD_EX_FIELD:
        put(o, "%s", e->name);
        if (e->call_form) {
            size_t i;

            put(o, "(");
            for (i = 1; i < e->n_kids; i++) {
                if (i > 1)
                    put(o, ", ");
                put_expr(o, e->kids[i]);
            }
            put(o, ")");
        }
        put(o, "=");
        put_expr(o, e->kids[0]);
        break;
    case PD_EX_CALL:
        put(o, "%s", e->name);
        put_list(o, e, "(", ")");
        break;
    }
}

static void put_syscall(struct out *o, const struct pd_syscall *sys)
{
    size_t i;

    put(o, " %s(", sys->name);
    for (i = 0; i < sys->n_args; i++) {
        if (i)
            put(o, ", ");
        put_expr(o, sys->args[i]);
    }
    put(o, ") = %" PRId64, sys->result);
    if (sys->errno_name)
        put(o, " %s", sys->errno_name);
    if (sys->errno_text)
        put(o, " (%s)", sys->errno_text);
}

size_t pd_event_format(const struct pd_event *ev, char *buf, size_t size)
{
    struct out o = { buf, size, 0 };

    if (size)
        buf[0] = '\0';
    if (ev->kind == PD_EV_OPTION) {
        put(&o, "--%s", ev->u.option.name);
        if (ev->u.option.value)
            put(&o, "=%s", ev->u.option.value);
        return o.len;
    }
    if (ev->time.start.kind != PD_TIME_NONE)
        put_timing(&o, &ev->time);
    switch (ev->kind) {
    case PD_EV_PACKET: put_packet(&o, &ev->u.packet); break;
    case PD_EV_SYSCALL: put_syscall(&o, &ev->u.sys); break;
    case PD_EV_SHELL:
        put(&o, "%s`%s`", ev->time.start.kind != PD_TIME_NONE ? " " : "", ev->u.text);
        break;
    case PD_EV_CODE: put(&o, " %%{%s}%%", ev->u.text); break;
    case PD_EV_OPTION: break;
    }
    return o.len;
}

int pd_script_print(FILE *out, const struct pd_script *script)
{
    char small[1024];
    size_t i;

    for (i = 0; i < script->n_events; i++) {
        size_t need = pd_event_format(&script->events[i], small, sizeof(small));

        if (need >= sizeof(small)) {
            char *big = malloc(need + 1);
            int rc;

            if (!big)
                return -1;
            pd_event_format(&script->events[i], big, need + 1);
            rc = fprintf(out, "%s\n", big);
            free(big);
            if (rc < 0)
                return -1;
        } else if (fprintf(out, "%s\n", small) < 0) {
            return -1;
        }
    }
    return fflush(out) ? -1 : 0;
}
