/*
 * toe-packetdrill's pieces that need no TCP stack (docs/packetdrill.md,
 * "Running scripts: toe-packetdrill"): the run options and their parsing
 * (command line and script option lines), upstream's timing tolerance rule,
 * the symbolic constants and errno names of system call lines, integer
 * argument evaluation, and the sysctl shell lines the runner turns into knobs.
 * Pure functions; pd_sym.c, pd_opts.c. The stack-facing half is pd_exec.h.
 */
#ifndef PD_RUN_H
#define PD_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pd_ast.h"
#include "toe_knobs.h"

/* ---- options ------------------------------------------------------------------------ */

/* Upstream's defaults (config.c set_default_config): 4000 us and 12.5 %. */
#define PD_DEFAULT_TOLERANCE_USECS 4000
#define PD_DEFAULT_TOLERANCE_PERCENT 12.5

struct pd_run_opts {
    char backend[8];              /* "model" (default) or "rtl" */
    int64_t tolerance_usecs;
    double tolerance_percent;
    uint64_t seed;
    char pcap[256];               /* "" : none */
    bool verbose;
    struct toe_knobs knobs;       /* Linux's defaults, then --knob and sysctl lines */
};

void pd_run_opts_init(struct pd_run_opts *o);

/*
 * One option, NAME without the leading "--", VALUE NULL when there was no '='
 * (command line "--tolerance_usecs=10000" or script line of the same form).
 * Known: backend, tolerance_usecs, tolerance_percent, seed, pcap, verbose,
 * knob (VALUE "net.ipv4.tcp_x=V"). 0, or -1 with WHY filled (unknown option,
 * bad value, a knob toe_knobs_set refuses).
 */
int pd_run_opt_set(struct pd_run_opts *o, const char *name, const char *value, char *why, size_t n);

/*
 * Upstream's tolerance (run.c verify_time): tolerance_usecs, or
 * tolerance_percent of the time since the previous event when that is more.
 * LAST_USECS < 0: no previous event (the first one): tolerance_usecs alone.
 */
int64_t pd_tolerance_usecs(const struct pd_run_opts *o, int64_t script_usecs, int64_t last_usecs);

/* ---- sysctl lines -------------------------------------------------------------------- */

#define PD_SYSCTL_MAX 8

struct pd_sysctl {
    size_t n;
    char name[PD_SYSCTL_MAX][96];
    char value[PD_SYSCTL_MAX][96];
};

/*
 * A shell command (the text between backticks) that is only `sysctl [-q] [-w]
 * name=value...` - quotes around a value allowed ("40000 40001") - into OUT.
 * Returns 1 when it is such a line, 0 when it is some other command (the
 * runner refuses those), -1 (WHY filled) for a sysctl line we cannot take:
 * another flag, no assignment, shell syntax (; | & $ > <), too many, too long.
 */
int pd_sysctl_parse(const char *cmd, struct pd_sysctl *out, char *why, size_t n);

/* ---- symbols --------------------------------------------------------------------------- */

/* A symbolic constant of a system call line (SOCK_STREAM, SOL_SOCKET, POLLIN, EINPROGRESS,
 * TCP_ESTABLISHED, ...) as Linux numbers it; false when unknown. */
bool pd_sym_value(const char *name, int64_t *val);

/* An errno by name ("ECONNREFUSED"): its number, or -1 when unknown. */
int pd_errno_value(const char *name);

/* The name of errno E ("ECONNREFUSED"), or NULL when it has none here. */
const char *pd_errno_name(int e);

/*
 * An integer expression: an integer, a name (pd_sym_value), a | b, htons(x),
 * htonl(x), ntohs(x), ntohl(x), inet_addr("a.b.c.d") (network order, as
 * upstream). 0, or -1 with WHY filled.
 */
int pd_eval_int(const struct pd_expr *e, int64_t *out, char *why, size_t n);

#endif /* PD_RUN_H */
