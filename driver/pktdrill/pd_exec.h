/*
 * One script run against the embedded TOE (driver/stack/toe_harness.h): the
 * runner's state, shared by the event loop (pd_run.c) and the system calls
 * (pd_syscall.c). docs/packetdrill.md, "Running scripts: toe-packetdrill".
 */
#ifndef PD_EXEC_H
#define PD_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "pd_ast.h"
#include "pd_match.h"
#include "pd_run.h"

struct toe_harness;
struct toe_ctx;

#define PD_QUEUE_MAX 512          /* frames from the TOE not yet matched */
#define PD_FRAME_CAP 2048
#define PD_FDS_MAX 64             /* script descriptors mapped to the TOE's */
#define PD_FLOWS_MAX 8            /* remote ports (toe_flow(), an OpenTOE extension) */

/* upstream's --connect_port and --bind_port (config.c set_default_config) */
#define PD_CONNECT_PORT 8080u
#define PD_BIND_PORT 8080u

struct pd_qframe {
    uint64_t t_ns;
    size_t len;
    uint8_t data[PD_FRAME_CAP];
};

struct pd_fdmap {
    int script_fd, live_fd;       /* -1: free */
    uint16_t bound_port;          /* what bind() gave it, 0 none */
};

struct pd_exec {
    const struct pd_script *script;
    const struct pd_run_opts *opts;
    struct toe_harness *h;
    struct toe_ctx *ctx;
    uint64_t t0_ns;               /* harness time of script time 0 */

    /* the queue of frames the TOE sent (frame_out), ARP answered and left out */
    struct pd_qframe *q;
    size_t q_head, q_len;
    uint64_t busy_until_ns;       /* step finely until then (the device may be sending) */

    /* flows by remote port; cur is the one packet lines use */
    struct pd_flow flows[PD_FLOWS_MAX];
    size_t n_flows, cur;
    uint16_t listen_port;         /* the port of the last listen(), for new flows */

    struct pd_fdmap fds[PD_FDS_MAX];

    /* the events: which are done, their resolved times */
    bool *done;
    size_t next;                  /* first event not yet handled */
    int64_t base_usecs;           /* relative times count from here (script clock) */
    int64_t last_usecs;           /* the previous event's time, for the tolerance; -1 none */
    bool last_inbound;            /* the previous event was an inbound packet (anchoring) */

    /* a call in progress */
    enum { PD_CALL_NONE, PD_CALL_NONBLOCKING, PD_CALL_BLOCKING } call;
    int64_t call_end_usecs, call_tol_usecs;
    size_t call_event;
    bool blocked;                 /* a non-blocking call tried to wait */

    /* the first failure */
    bool failed;
    int fail_line;
    char fail_msg[1400];
};

/* Record the first failure at LINE (later ones are dropped). Returns -1. */
int pd_fail(struct pd_exec *x, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The script clock: harness time since t0, microseconds. */
int64_t pd_now_usecs(const struct pd_exec *x);

/* The script time event EV happens at, relative times resolved (upstream's
 * adjust_relative_event_times); *END_US gets the range or blocking end. */
int64_t pd_event_time(const struct pd_exec *x, const struct pd_event *ev, int64_t *end_us);

/* Move time to script time T_US (>= now), running the machine in steps. */
void pd_advance_to(struct pd_exec *x, int64_t t_us);

/*
 * Handle the packet event at index I at its time (inbound: inject; outbound:
 * wait for and match the next frame). 0, or -1 (failure recorded).
 */
int pd_packet_event(struct pd_exec *x, size_t i);

/* The system call of event I at its time (pd_syscall.c). 0, or -1. */
int pd_syscall_event(struct pd_exec *x, size_t i);

/* The harness's wait_hook (pd_run.c): runs the script while a call blocks. */
int pd_wait_hook(void *arg, uint64_t deadline_ns);

/* Run SCRIPT with OPTS: 0 passed, -1 failed (*LINE, MSG filled). */
int pd_exec_script(const struct pd_script *script, const struct pd_run_opts *opts, int *line,
                   char *msg, size_t msglen);

#endif /* PD_EXEC_H */
