/* The tunables' table and their parsing: toe_knobs.h. */
#define _GNU_SOURCE
#include "toe_knobs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Defaults are Linux 6.1's (Debian 12) where Linux has the knob; where Linux
 * sizes a default from memory the value a machine with a few GiB gets
 * (tcp_max_syn_backlog), except tcp_max_tw_buckets: 18000, the value the
 * study notes the product follows use (../shared/seed-topics.md, S18). Ranges are Linux's where it checks one
 * (proc_dointvec_minmax), else what makes sense for the TOE. */
static const struct toe_knob_def defs[TOE_KNOB_NUM] = {
    [TOE_KNOB_TCP_SYNCOOKIES] = {"net.ipv4.tcp_syncookies", 1, {1}, 0, 2, "",
        "SYN cookies: 0 never, 1 when the SYN queue overflows, 2 always (RFC 4987)"},
    [TOE_KNOB_TCP_MAX_SYN_BACKLOG] = {"net.ipv4.tcp_max_syn_backlog", 1, {4096}, 1, 65536, "",
        "half-open connections (SYN received) kept per listener"},
    [TOE_KNOB_TCP_SYNACK_RETRIES] = {"net.ipv4.tcp_synack_retries", 1, {5}, 0, 255, "",
        "SYN+ACK retransmissions, from 1 s doubling (RFC 6298)"},
    [TOE_KNOB_TCP_SYN_RETRIES] = {"net.ipv4.tcp_syn_retries", 1, {6}, 1, 127, "",
        "SYN retransmissions of an active open, from 1 s doubling"},
    [TOE_KNOB_TCP_ABORT_ON_OVERFLOW] = {"net.ipv4.tcp_abort_on_overflow", 1, {0}, 0, 1, "",
        "a full accept queue: 0 drops the third ACK, 1 answers RST"},
    [TOE_KNOB_TCP_FIN_TIMEOUT] = {"net.ipv4.tcp_fin_timeout", 1, {60}, 1, 3600, "s",
        "how long an orphaned connection stays in FIN_WAIT_2"},
    [TOE_KNOB_TCP_TW_REUSE] = {"net.ipv4.tcp_tw_reuse", 1, {2}, 0, 2, "",
        "reuse a TIME_WAIT 4-tuple for an outgoing connect: 0 no, 1 yes, 2 loopback only (never on the TOE)"},
    [TOE_KNOB_TCP_MAX_TW_BUCKETS] = {"net.ipv4.tcp_max_tw_buckets", 1, {18000}, 0, 16777216, "",
        "TIME_WAIT connections kept; beyond it a closing connection skips TIME_WAIT (TCPTimeWaitOverflow)"},
    [TOE_KNOB_TCP_TIMESTAMPS] = {"net.ipv4.tcp_timestamps", 1, {1}, 0, 2, "",
        "RFC 7323 timestamps: 0 off, 1 on with a per-connection offset, 2 on without"},
    [TOE_KNOB_TCP_WINDOW_SCALING] = {"net.ipv4.tcp_window_scaling", 1, {1}, 0, 1, "",
        "RFC 7323 window scaling"},
    [TOE_KNOB_TCP_SACK] = {"net.ipv4.tcp_sack", 1, {1}, 0, 1, "", "RFC 2018 selective acknowledgments"},
    [TOE_KNOB_TCP_KEEPALIVE_TIME] = {"net.ipv4.tcp_keepalive_time", 1, {7200}, 1, 32767, "s",
        "idle time before the first keepalive probe (SO_KEEPALIVE; TCP_KEEPIDLE overrides)"},
    [TOE_KNOB_TCP_KEEPALIVE_INTVL] = {"net.ipv4.tcp_keepalive_intvl", 1, {75}, 1, 32767, "s",
        "time between keepalive probes (TCP_KEEPINTVL overrides)"},
    [TOE_KNOB_TCP_KEEPALIVE_PROBES] = {"net.ipv4.tcp_keepalive_probes", 1, {9}, 1, 127, "",
        "unanswered probes before the connection is dropped (TCP_KEEPCNT overrides)"},
    [TOE_KNOB_TCP_RETRIES2] = {"net.ipv4.tcp_retries2", 1, {15}, 0, 255, "",
        "retransmissions of established data before the connection is dropped"},
    [TOE_KNOB_TCP_RMEM] = {"net.ipv4.tcp_rmem", 3, {4096, 131072, 6291456}, 1, 1073741824, "bytes",
        "receive buffer: min, default, max"},
    [TOE_KNOB_TCP_WMEM] = {"net.ipv4.tcp_wmem", 3, {4096, 16384, 4194304}, 1, 1073741824, "bytes",
        "send buffer: min, default, max"},
    [TOE_KNOB_IP_LOCAL_PORT_RANGE] = {"net.ipv4.ip_local_port_range", 2, {32768, 60999}, 1, 65535, "",
        "ephemeral ports for connect and bind(0): first, last"},
    [TOE_KNOB_IP_DEFAULT_TTL] = {"net.ipv4.ip_default_ttl", 1, {64}, 1, 255, "",
        "TTL of what the TOE sends"},
    [TOE_KNOB_ICMP_ECHO_IGNORE_ALL] = {"net.ipv4.icmp_echo_ignore_all", 1, {0}, 0, 1, "",
        "answer no echo request"},
    [TOE_KNOB_ICMP_ECHO_IGNORE_BROADCASTS] = {"net.ipv4.icmp_echo_ignore_broadcasts", 1, {1}, 0, 1, "",
        "answer no echo request sent to a broadcast or multicast address"},
    [TOE_KNOB_NEIGH_RETRANS_TIME_MS] = {"net.ipv4.neigh.default.retrans_time_ms", 1, {1000}, 1, 3600000, "ms",
        "time between ARP requests of one resolution"},
    [TOE_KNOB_NEIGH_BASE_REACHABLE_TIME_MS] = {"net.ipv4.neigh.default.base_reachable_time_ms", 1, {30000}, 1,
        3600000, "ms", "how long a resolved neighbour is trusted"},
    [TOE_KNOB_NEIGH_MCAST_SOLICIT] = {"net.ipv4.neigh.default.mcast_solicit", 1, {3}, 1, 255, "",
        "ARP requests before a resolution fails"},
    [TOE_KNOB_CORE_SOMAXCONN] = {"net.core.somaxconn", 1, {4096}, 1, 65535, "",
        "upper bound of listen()'s backlog (the accept queue)"},
    [TOE_KNOB_TOE_TCP_MSL] = {"toe.tcp_msl", 1, {30}, 1, 240, "s",
        "maximum segment lifetime; TIME_WAIT lasts 2 MSL (Linux: fixed 60 s; RFC 9293 3.4.2)"},
};

const struct toe_knob_def *toe_knob_def(enum toe_knob_id id)
{
    return (unsigned)id < TOE_KNOB_NUM ? &defs[id] : NULL;
}

void toe_knobs_defaults(struct toe_knobs *k)
{
    for (int i = 0; i < TOE_KNOB_NUM; i++)
        memcpy(k->v[i], defs[i].def, sizeof(k->v[i]));
}

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* The knob called name (dots or slashes), or -1. */
static int find(const char *name)
{
    for (int i = 0; i < TOE_KNOB_NUM; i++) {
        const char *a = defs[i].name, *b = name;

        while (*a && (*a == *b || (*a == '.' && *b == '/'))) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return i;
    }
    return -1;
}

int toe_knobs_set(struct toe_knobs *k, const char *name, const char *value, char *err, size_t errlen)
{
    int id = find(name), n = 0;
    int64_t v[TOE_KNOB_MAX_VALUES];
    const struct toe_knob_def *d;
    const char *p = value;

    if (id < 0)
        return fail(err, errlen, "unknown knob '%s'", name);
    d = &defs[id];
    for (;;) {
        char *end;
        long long x;

        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (n == d->nvals)
            return fail(err, errlen, "%s: '%s' has more than %d value%s", d->name, value, d->nvals,
                        d->nvals == 1 ? "" : "s");
        errno = 0;
        x = strtoll(p, &end, 10);
        if (end == p || (*end && *end != ' ' && *end != '\t') || errno)
            return fail(err, errlen, "%s: '%s' is not an integer", d->name, value);
        if (x < d->min || x > d->max)
            return fail(err, errlen, "%s: %lld is out of range (%lld to %lld)", d->name, x,
                        (long long)d->min, (long long)d->max);
        v[n++] = x;
        p = end;
    }
    if (n != d->nvals)
        return fail(err, errlen, "%s: '%s' is %d value%s, it takes %d", d->name, value, n, n == 1 ? "" : "s",
                    d->nvals);
    /* Ranges and triples are ordered: first <= last, min <= default <= max. */
    for (int i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return fail(err, errlen, "%s: '%s': each value must not exceed the next", d->name, value);
    memcpy(k->v[id], v, (size_t)n * sizeof(v[0]));
    return 0;
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = 0;
    return s;
}

int toe_knobs_assign(struct toe_knobs *k, const char *assignment, char *err, size_t errlen)
{
    char buf[256], *eq;

    if (strlen(assignment) >= sizeof(buf))
        return fail(err, errlen, "'%.40s...' is too long", assignment);
    strcpy(buf, assignment);
    eq = strchr(buf, '=');
    if (!eq)
        return fail(err, errlen, "'%s' is not name=value", assignment);
    *eq = 0;
    return toe_knobs_set(k, trim(buf), trim(eq + 1), err, errlen);
}

int toe_knobs_load(struct toe_knobs *k, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    char line[512], why[256];
    int no = 0;

    if (!f)
        return fail(err, errlen, "%s: %s", path, strerror(errno));
    while (fgets(line, sizeof(line), f)) {
        char *s = line, *c;
        int optional = 0;

        no++;
        if (!strchr(line, '\n') && !feof(f)) {
            fclose(f);
            return fail(err, errlen, "%s:%d: line too long", path, no);
        }
        if ((c = strpbrk(s, "#;")))
            *c = 0;
        s = trim(s);
        if (!*s)
            continue;
        if (*s == '-') {
            optional = 1;
            s = trim(s + 1);
        }
        if (toe_knobs_assign(k, s, why, sizeof(why)) && !optional) {
            fclose(f);
            return fail(err, errlen, "%s:%d: %s", path, no, why);
        }
    }
    fclose(f);
    return 0;
}

void toe_knobs_dump(const struct toe_knobs *k, FILE *f)
{
    for (int i = 0; i < TOE_KNOB_NUM; i++) {
        fprintf(f, "%s =", defs[i].name);
        for (int j = 0; j < defs[i].nvals; j++)
            fprintf(f, "%s%lld", j ? "\t" : " ", (long long)k->v[i][j]);
        fputc('\n', f);
    }
}

void toe_knobs_markdown(FILE *f)
{
    fprintf(f, "| knob | default | range | unit | what it does |\n| --- | --- | --- | --- | --- |\n");
    for (int i = 0; i < TOE_KNOB_NUM; i++) {
        fprintf(f, "| `%s` | ", defs[i].name);
        for (int j = 0; j < defs[i].nvals; j++)
            fprintf(f, "%s%lld", j ? " " : "", (long long)defs[i].def[j]);
        fprintf(f, " | %lld to %lld | %s | %s |\n", (long long)defs[i].min, (long long)defs[i].max,
                defs[i].unit, defs[i].doc);
    }
}
