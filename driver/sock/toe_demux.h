/*
 * Which connection a segment belongs to: the host stack's demultiplexer.
 *
 * The hardware runs established connections' fast path; what it hands up
 * (SYNs, FINs, RSTs, anything unusual) the driver must find the owner of, as
 * Linux's inet_lookup does: first a connection with the exact 4-tuple, then a
 * listener on the local port - one bound to the segment's destination address
 * before one bound to INADDR_ANY. The connection table is hashed with a keyed
 * SipHash (the driver's secret), so that a peer cannot aim at one bucket
 * (the reason Linux keys its ehash). Ids are the caller's (its TCB indices);
 * this module keeps only the mapping and per-port use counts, which the port
 * allocator (toe_ports.h) asks through toe_demux_tuple_free() and
 * toe_demux_port_unused().
 */
#ifndef TOE_DEMUX_H
#define TOE_DEMUX_H

#include <stdint.h>

#define TOE_DEMUX_NONE UINT32_MAX
#define TOE_INADDR_ANY 0u

struct toe_tuple {
    uint32_t laddr, raddr;        /* host order */
    uint16_t lport, rport;
};

struct toe_demux_node {
    struct toe_tuple t;
    uint32_t id;
    uint32_t next;                /* next node in the bucket, or TOE_DEMUX_NONE */
};

struct toe_demux_listener {
    uint32_t laddr;               /* TOE_INADDR_ANY: every local address */
    uint16_t lport;
    uint32_t id;                  /* TOE_DEMUX_NONE: a free slot */
};

struct toe_demux {
    uint8_t key[16];
    uint32_t mask;                /* buckets - 1 */
    uint32_t *bucket;
    struct toe_demux_node *node;
    uint32_t cap, n, free_head;
    struct toe_demux_listener *lst;
    uint32_t lst_cap, lst_n;
    uint32_t *port_users;         /* 65536 counts: connections and listeners per local port */
};

/* Room for max_conns connections and max_listeners listeners, hashed with key.
 * Returns 0 or -ENOMEM. */
int toe_demux_init(struct toe_demux *d, uint32_t max_conns, uint32_t max_listeners, const uint8_t key[16]);
void toe_demux_free(struct toe_demux *d);

/* 0; -EEXIST when the 4-tuple is taken; -ENOSPC when full. */
int toe_demux_insert(struct toe_demux *d, const struct toe_tuple *t, uint32_t id);
/* 0; -ENOENT when the 4-tuple is not there. */
int toe_demux_remove(struct toe_demux *d, const struct toe_tuple *t);
/* The connection with this exact 4-tuple, or TOE_DEMUX_NONE. */
uint32_t toe_demux_lookup(const struct toe_demux *d, const struct toe_tuple *t);

/* 0; -EADDRINUSE when a listener holds the port on the same address or when
 * either address is INADDR_ANY (Linux's bind conflict without SO_REUSEPORT);
 * -ENOSPC when full. */
int toe_demux_listen(struct toe_demux *d, uint32_t laddr, uint16_t lport, uint32_t id);
int toe_demux_unlisten(struct toe_demux *d, uint32_t laddr, uint16_t lport);
/* The listener for a segment to (laddr, lport): bound to laddr, else to
 * INADDR_ANY; TOE_DEMUX_NONE if none. */
uint32_t toe_demux_listener(const struct toe_demux *d, uint32_t laddr, uint16_t lport);

/* The segment's owner: the connection, else the listener. */
uint32_t toe_demux_owner(const struct toe_demux *d, const struct toe_tuple *t);

/* For toe_ports: the predicates its search asks (arg is the demux). */
int toe_demux_tuple_free(void *arg, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport);
int toe_demux_port_unused(void *arg, uint32_t laddr, uint16_t lport);

#endif /* TOE_DEMUX_H */
