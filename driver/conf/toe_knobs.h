/*
 * The driver's tunables, under their Linux names (sysctl's net.ipv4.*,
 * net.core.*), with Linux's defaults and each one's allowed range.
 *
 * One table (toe_knobs.c) is the source of truth: the driver reads values
 * from it, toed sets them from a sysctl.conf-style file and from
 * `--sysctl name=value` on its command line, and docs/knobs.md's table is
 * generated from it (a test keeps the two equal). A value outside its range
 * is refused with an error that names the range; nothing is changed then.
 */
#ifndef TOE_KNOBS_H
#define TOE_KNOBS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum toe_knob_id {
    TOE_KNOB_TCP_SYNCOOKIES,
    TOE_KNOB_TCP_MAX_SYN_BACKLOG,
    TOE_KNOB_TCP_SYNACK_RETRIES,
    TOE_KNOB_TCP_SYN_RETRIES,
    TOE_KNOB_TCP_ABORT_ON_OVERFLOW,
    TOE_KNOB_TCP_FIN_TIMEOUT,
    TOE_KNOB_TCP_TW_REUSE,
    TOE_KNOB_TCP_MAX_TW_BUCKETS,
    TOE_KNOB_TCP_TIMESTAMPS,
    TOE_KNOB_TCP_WINDOW_SCALING,
    TOE_KNOB_TCP_SACK,
    TOE_KNOB_TCP_KEEPALIVE_TIME,
    TOE_KNOB_TCP_KEEPALIVE_INTVL,
    TOE_KNOB_TCP_KEEPALIVE_PROBES,
    TOE_KNOB_TCP_RETRIES2,
    TOE_KNOB_TCP_RMEM,
    TOE_KNOB_TCP_WMEM,
    TOE_KNOB_IP_LOCAL_PORT_RANGE,
    TOE_KNOB_IP_DEFAULT_TTL,
    TOE_KNOB_ICMP_ECHO_IGNORE_ALL,
    TOE_KNOB_ICMP_ECHO_IGNORE_BROADCASTS,
    TOE_KNOB_NEIGH_RETRANS_TIME_MS,
    TOE_KNOB_NEIGH_BASE_REACHABLE_TIME_MS,
    TOE_KNOB_NEIGH_MCAST_SOLICIT,
    TOE_KNOB_CORE_SOMAXCONN,
    TOE_KNOB_TOE_TCP_MSL,
    TOE_KNOB_NUM
};

#define TOE_KNOB_MAX_VALUES 3     /* tcp_rmem and tcp_wmem: min, default, max */

struct toe_knob_def {
    const char *name;             /* sysctl name, e.g. "net.ipv4.tcp_syncookies" */
    int nvals;                    /* values it takes: 1, 2 or 3 */
    int64_t def[TOE_KNOB_MAX_VALUES];
    int64_t min, max;             /* every value's range */
    const char *unit;             /* "", "s", "ms", "bytes", ... */
    const char *doc;              /* what it does, one line */
};

struct toe_knobs {
    int64_t v[TOE_KNOB_NUM][TOE_KNOB_MAX_VALUES];
};

const struct toe_knob_def *toe_knob_def(enum toe_knob_id id);

/* Linux's defaults. */
void toe_knobs_defaults(struct toe_knobs *k);

/* The first value of a knob (the only one for most). */
static inline int64_t toe_knob(const struct toe_knobs *k, enum toe_knob_id id)
{
    return k->v[id][0];
}

/*
 * Set name to value ("1", "32768 60999": values separated by blanks or tabs).
 * name may be written with dots or slashes (net/ipv4/tcp_syncookies), as
 * sysctl accepts. Returns 0, or -1 with err filled (the knob left as it was):
 * an unknown name, a value that is not an integer, the wrong number of
 * values, a value out of range (the message names the range), or a
 * constraint between values broken.
 */
int toe_knobs_set(struct toe_knobs *k, const char *name, const char *value, char *err, size_t errlen);

/* "name=value" (spaces around '=' allowed): toed's --sysctl argument. */
int toe_knobs_assign(struct toe_knobs *k, const char *assignment, char *err, size_t errlen);

/*
 * A sysctl.conf-style file: "name = value" lines; '#' and ';' start comments;
 * blank lines skipped; a line starting with '-' is an assignment whose
 * failure is ignored (as sysctl --system does). The first error stops the load
 * with "path:line: ..." in err; lines before it have taken effect.
 */
int toe_knobs_load(struct toe_knobs *k, const char *path, char *err, size_t errlen);

/* Every knob as "name = value" lines, as `sysctl -a` prints them. */
void toe_knobs_dump(const struct toe_knobs *k, FILE *f);

/* docs/knobs.md's table: name, default, range, unit, meaning. */
void toe_knobs_markdown(FILE *f);

#endif /* TOE_KNOBS_H */
