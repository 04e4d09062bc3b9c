/*
 * The packet half of a packetdrill run: one connection's view of the script's
 * relative numbers (struct pd_flow), building the frame of an inbound ('<')
 * line, matching an actual frame from the TOE against an outbound ('>') line,
 * and printing an actual frame in the script's own syntax. Pure: no I/O, no
 * clock, no allocation (docs/packetdrill.md, "Matching and building packets").
 *
 * "local" is the TOE under test, "remote" the script's side, as upstream
 * packetdrill names them. Addresses and ports are host-order numbers, as in
 * sim/model/toe_pkt.h.
 */
#ifndef PD_MATCH_H
#define PD_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pd_ast.h"

/* Upstream packetdrill's IPv4 defaults (config.c: --local_ip, --remote_ip). */
#define PD_DEFAULT_LOCAL_IP  0xC0A80001u   /* 192.168.0.1: the stack under test */
#define PD_DEFAULT_REMOTE_IP 0xC0000201u   /* 192.0.2.1: the script's side */
#define PD_DEFAULT_LOCAL_PORT 8080u        /* the port upstream's scripts bind() */
#define PD_DEFAULT_REMOTE_PORT 50000u      /* upstream picks an ephemeral one; we fix it */

/*
 * One connection as the script sees it. Sequence numbers of '<' lines are
 * relative to remote_isn (the script writes 0; the absolute value is ours to
 * choose, 0 by default as upstream). Those of '>' lines are relative to the
 * TOE's ISN, learned from the first SYN or SYN-ACK it sends. Acks and SACK
 * blocks convert the other way (RFC 9293 3.4: each side numbers its own bytes).
 */
struct pd_flow {
    uint8_t local_mac[6], remote_mac[6];
    uint32_t local_ip, remote_ip;
    uint16_t local_port, remote_port;
    uint8_t ttl;                  /* of built frames; 64 */
    uint32_t remote_isn;          /* absolute seq of the script's relative 0 */
    bool local_isn_known;
    uint32_t local_isn;           /* the TOE's ISN, once seen */
    /*
     * RFC 7323 timestamps: the first '>' line with a TS option pairs the
     * script's TS val with the TOE's actual one; an inbound ecr E is sent as
     * E - ts_script_first + ts_actual_first (upstream's --tcp_ts_ecr_scaled).
     */
    bool ts_known;
    uint32_t ts_script_first, ts_actual_first;
    /*
     * An active open (upstream's run_syscall_connect): the script does not know
     * the port the TOE picks. Set by the runner at connect(); the next SYN
     * without ACK that otherwise matches teaches local_port (its source port)
     * and a fresh ISN and TS pairing - a new connection numbers afresh - and
     * clears the flag. Upstream: find_connect_for_live_packet() takes the
     * script's local side from the live SYN's tuple.
     */
    bool learn_local_port;
    /*
     * An inbound SYN starts a new connection on the same 4-tuple (a SYN that
     * reopens a TIME_WAIT, RFC 6191 / Linux's tcp_timewait_state_process): set by
     * the runner when it sends one, the next SYN or SYN-ACK of the TOE that
     * matches teaches a fresh ISN and TS pairing and clears it; other frames
     * are numbered by the ISN already known.
     */
    bool learn_isn;
};

/* Defaults above, ISN 0 for the script's side, nothing learned yet. */
void pd_flow_init(struct pd_flow *flow);

/*
 * Build the Ethernet + IPv4 + TCP frame of inbound line PKT into FRAME[0..CAP):
 * absolute seq/ack, options in the written order, checksums filled, LEN payload
 * bytes copied from PAYLOAD (zeros when PAYLOAD is NULL). Returns the frame's
 * length, or 0 with a reason in WHY (an ack before the TOE's ISN is known, an
 * option list not a multiple of 4 bytes or over 40, CAP too small, ...).
 */
size_t pd_build_inbound(const struct pd_flow *flow, const struct pd_packet *pkt,
                        uint8_t *frame, size_t cap, const uint8_t *payload,
                        char *why, size_t whylen);

/*
 * Whether FRAME[0..LEN) from the TOE matches outbound line WANT. On a match the
 * flow learns what the frame teaches (the TOE's ISN from its SYN, its first TS
 * val) and true is returned. Otherwise WHY gets
 *   "expected: > S. 0:0(0) ack 1 <...>  actual: > S. 0:0(0) ack 1 win 65535 <mss 1460>
 *    (first difference: FIELD: expected X, actual Y)"
 * (one line) and FLOW is unchanged. Any bytes at all are accepted as FRAME.
 */
bool pd_match_outbound(struct pd_flow *flow, const struct pd_packet *want,
                       const uint8_t *frame, size_t len, char *why, size_t whylen);

/*
 * An actual outbound frame in canonical script syntax ("> S. 0:0(0) ack 1 win
 * 65535 <mss 1460,nop,wscale 7>"), numbers relative to FLOW (a SYN whose ISN
 * is not yet known counts from itself). A frame that is not TCP over IPv4, or
 * is truncated, prints as "(not a TCP/IPv4 frame: REASON)". Returns what
 * snprintf would.
 */
size_t pd_print_frame(const struct pd_flow *flow, const uint8_t *frame, size_t len,
                      char *buf, size_t size);

#endif /* PD_MATCH_H */
