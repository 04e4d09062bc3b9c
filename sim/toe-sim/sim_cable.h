/*
 * The virtual cable between two toe-sims (docs/toe-sim.md, "The cable").
 *
 * A Unix SOCK_SEQPACKET connection carries frames, each stamped with the time
 * its last bit arrives at the far end, and time promises that let both sides
 * run in virtual time without ever receiving a frame in their past
 * (conservative synchronisation with the cable's latency as lookahead).
 * Frames a side sends pass its impairment stage (sim/wire) first; the cable
 * adds its fixed latency on top.
 *
 * Promise arithmetic. Each side reports its horizon H: the earliest time it
 * may do anything without a new frame from the peer (its host's grant, its
 * device's next activity, a frame it holds for later), the earliest arrival of
 * the frames still in its impairment stage, and how many of the peer's frames
 * it had taken when it computed them. A side may then run its device up to,
 * but not including,
 *     bound = min(H_peer' + L, out_peer + L, H_mine + 2 L)
 * where H_peer' also counts the frames it sent that the peer had not yet
 * seen (a frame arriving at F makes the peer busy at F): no frame from the
 * peer can arrive before that. Two idle sides thus jump together to the next
 * time anything happens, however far away, and a busy pair moves L per
 * exchange.
 */
#ifndef SIM_CABLE_H
#define SIM_CABLE_H

#include <stddef.h>
#include <stdint.h>

#include "toe_impair.h"

#define SIM_CABLE_VERSION 1u
#define SIM_CABLE_LATENCY_DEFAULT_PS 1000000ull   /* 1 us: 200 m of fibre */
#define SIM_TIME_NEVER UINT64_MAX

struct sim_cable;

/* One frame that arrived, waiting for its time. */
struct sim_cable_frame {
    uint64_t time_ps;
    size_t len;
    uint8_t data[TOE_IMPAIR_FRAME_MAX];
};

struct sim_cable_cfg {
    const char *path;          /* Unix socket path */
    int listen;                /* 1: listen there, 0: connect to it */
    uint64_t latency_ps;       /* > 0 in virtual time */
    uint32_t time_mode;        /* TIME_MODE_*: both ends must agree */
    struct toe_impair_cfg impair;
    uint64_t seed;
    int connect_timeout_ms;    /* how long to wait for the peer (listen or connect) */
};

/* Open the cable and wait for the peer (HELLO exchanged: version, time mode and
 * latency must match). NULL with a message in err. */
struct sim_cable *sim_cable_open(const struct sim_cable_cfg *cfg, char *err, size_t errlen);
void sim_cable_close(struct sim_cable *c);

/* The socket, for poll(). */
int sim_cable_fd(const struct sim_cable *c);

/* A frame our device sent at t_ps: into the impairment stage. */
void sim_cable_send(struct sim_cable *c, const uint8_t *frame, size_t len, uint64_t t_ps);

/* Hand the peer every frame our impairment stage delivers at or before now_ps,
 * stamped with its arrival time (delivery + latency). 0 or -1 (peer gone). */
int sim_cable_flush(struct sim_cable *c, uint64_t now_ps);

/* Read what the peer sent, without blocking (wait_ms 0) or waiting up to
 * wait_ms for at least one message. Frames are queued in arrival order.
 * Returns 1 if anything arrived, 0 if not, -1 when the peer is gone. */
int sim_cable_poll(struct sim_cable *c, int wait_ms);

/* The next queued frame that arrives at or before t_ps, or NULL; release it
 * with sim_cable_pop(). */
const struct sim_cable_frame *sim_cable_peek(const struct sim_cable *c);
void sim_cable_pop(struct sim_cable *c);

/* Tell the peer our horizon (see above), if it changed since we last did. */
int sim_cable_promise(struct sim_cable *c, uint64_t horizon_ps);

/* The time our device may run up to, exclusive, given horizon_ps (ours). */
uint64_t sim_cable_bound(const struct sim_cable *c, uint64_t horizon_ps);

/* The earliest arrival the impairment stage holds (SIM_TIME_NEVER if none). */
uint64_t sim_cable_out_next(const struct sim_cable *c);

struct sim_cable_stats {
    uint64_t frames_sent, frames_received, syncs_sent, syncs_received;
    struct toe_impair_counters impair;
};
void sim_cable_stats(const struct sim_cable *c, struct sim_cable_stats *s);

/* Whether the peer is still there (0 once it hung up). */
int sim_cable_alive(const struct sim_cable *c);

#endif
