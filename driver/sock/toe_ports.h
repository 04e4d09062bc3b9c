/*
 * Local ports for connect() and bind(0), the way Linux picks them.
 *
 * An active open needs a local port that makes its 4-tuple unique: the same
 * port may serve connections to different peers at once, as on Linux. The
 * search follows Linux's __inet_hash_connect() (net/ipv4/inet_hashtables.c):
 * it starts at an offset from a keyed hash of (local address, remote address,
 * remote port) plus a perturbation that moves on after each use (RFC 6056
 * section 3.3.4, algorithm 4: "double-hash port selection"), walks the range
 * in steps of two through the even ports first (leaving odd ones to bind(0),
 * Linux 4.6+), then the odd ones. bind(0) (inet_csk_find_open_port) starts at
 * a random point and prefers odd ports. The range is
 * net.ipv4.ip_local_port_range (32768 60999 by default); when every
 * candidate is taken - by established connections, TIME_WAIT or listeners -
 * the answer is EADDRNOTAVAIL.
 *
 * The module keeps no sockets: the caller says what is taken.
 */
#ifndef TOE_PORTS_H
#define TOE_PORTS_H

#include <stdint.h>

/* Is lport, toward (raddr, rport), free for a new connection from laddr? */
typedef int (*toe_tuple_free_fn)(void *arg, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport);
/* Is lport bound by nobody (no listener, no bound socket, no connection)? */
typedef int (*toe_port_unused_fn)(void *arg, uint32_t laddr, uint16_t lport);

#define TOE_PORTS_PERTURB 256u     /* Linux's INET_TABLE_PERTURB_SIZE (2^8 since 5.17) */

struct toe_ports {
    uint16_t low, high;           /* ip_local_port_range, low <= high */
    uint32_t perturb[TOE_PORTS_PERTURB];
    uint64_t searched, exhausted; /* candidates tried, EADDRNOTAVAIL answers */
};

void toe_ports_init(struct toe_ports *p, uint16_t low, uint16_t high);

/*
 * A local port for connect() from laddr to (raddr, rport). hash is the
 * caller's keyed hash of (laddr, raddr, rport) (the ISN module's secret
 * keeps it unpredictable). Returns the port, or 0 for EADDRNOTAVAIL.
 */
uint16_t toe_ports_connect(struct toe_ports *p, uint32_t hash, uint32_t laddr, uint32_t raddr,
                           uint16_t rport, toe_tuple_free_fn tuple_free, void *arg);

/* A port for bind(addr, 0): rnd is a fresh random number. 0: EADDRNOTAVAIL. */
uint16_t toe_ports_bind_any(struct toe_ports *p, uint32_t rnd, uint32_t laddr, toe_port_unused_fn unused,
                            void *arg);

#endif /* TOE_PORTS_H */
