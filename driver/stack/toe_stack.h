/*
 * The TOE's TCP/IP stack in the driver (docs/tcp.md, "The endpoint"): the
 * RFC 9293 state machine with Linux's lifecycle (SYN and accept queues, SYN
 * cookies, TIME_WAIT, orphans, lingering closes), ARP and ICMP echo, and the
 * sockets API of driver/include/toe_socket.h on top.
 *
 * It runs wherever the driver core runs: inside toed, or embedded in one
 * process (tests, toe-packetdrill, benchmarks). It reaches the network through
 * a netif (struct toe_netif_ops): a frame out, the clock, a wait, and - when
 * the netif is a TOE device - the offload hooks that install an ESTABLISHED
 * connection in the hardware table and remove it again.
 *
 * Time is the netif's: virtual in an embedded run, so that a run is a pure
 * function of its inputs and seed.
 *
 * One thread per stack: nothing here locks.
 */
#ifndef TOE_STACK_H
#define TOE_STACK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "toe_knobs.h"

struct toe_stack;
struct toe_ctx;

/* A connection as the hardware table gets it (toe_netif_ops.offload), and
 * what toe_stack_hw_sync() takes back from it. */
struct toe_offload_conn {
    uint32_t id;                        /* the stack's connection id (for toe_stack_hw_*) */
    uint32_t laddr, raddr;              /* host order */
    uint16_t lport, rport;
    uint8_t local_mac[6], peer_mac[6];
    uint8_t ttl;
    uint32_t snd_una, snd_nxt, snd_wnd, max_snd_wnd, snd_wl1, snd_wl2;
    uint32_t rcv_nxt, rcv_adv;
    uint32_t rcv_read;                  /* first byte the application has not read (rcv_nxt - unread) */
    uint8_t snd_wscale, rcv_wscale;     /* 0 without window scaling */
    uint16_t snd_mss;                   /* the peer's MSS (what we send) */
    uint16_t rcv_mss;                   /* the segment size we expect from the peer */
    int ts_ok;                          /* RFC 7323 timestamps in use */
    uint32_t ts_recent;
    uint16_t ip_id;
    uint32_t rcv_buf;                   /* receive buffer bytes (a power of two) */
};

struct toe_netif_ops {
    /* A whole Ethernet frame (no FCS). 0, or -errno: the frame was not sent
     * (the stack counts it and recovers as from a loss). */
    int (*output)(void *arg, const uint8_t *frame, size_t len);
    /* The clock, ns; never goes back. */
    uint64_t (*now_ns)(void *arg);
    /* Wait until the clock reads deadline_ns (UINT64_MAX: until something
     * happens) or input arrived (handed to toe_stack_input during the wait).
     * 0, or -errno when the netif is gone. Blocking socket calls use it. */
    int (*wait)(void *arg, uint64_t deadline_ns);
    /* Optional (NULL: no offload). Install an ESTABLISHED connection in the
     * hardware table: its handle (>= 0), or -errno (-ENOSPC: table full; the
     * connection stays in software, counted). */
    int (*offload)(void *arg, const struct toe_offload_conn *c);
    /* Remove it (handle from offload). */
    void (*unoffload)(void *arg, int handle);
    /* Bring what the hardware did for it into the stack now (placed data
     * through toe_stack_hw_rx, then toe_stack_hw_sync): before a state change
     * the application asks for. */
    void (*offload_pull)(void *arg, int handle);
    /* The stack took in-order data itself (from the exception path): the
     * hardware's RCV.NXT is now rcv_nxt. */
    void (*offload_rcv_nxt)(void *arg, int handle, uint32_t rcv_nxt);
    /* The application consumed data up to sequence number rcv_read (the
     * hardware's window reopens). */
    void (*offload_read)(void *arg, int handle, uint32_t rcv_read);
    /* The stack sent (or took an ACK for) data itself: the hardware's send
     * state, so its ACKs carry the right SEQ and its ACK checks hold. */
    void (*offload_snd)(void *arg, int handle, uint32_t snd_nxt, uint32_t snd_una, uint32_t snd_wnd);
    void *arg;
};

struct toe_stack_cfg {
    uint32_t ip;                        /* our IPv4 address, host order */
    unsigned prefix_len;                /* 0..32 */
    uint32_t gateway;                   /* 0: none - every address is then on the link ("default dev") */
    uint8_t mac[6];
    const struct toe_knobs *knobs;      /* NULL: Linux's defaults */
    uint64_t seed;                      /* 0: secrets from libsodium's randombytes; else derived (tests) */
    unsigned max_sockets;               /* descriptors; 0: 1024 */
    unsigned max_conns;                 /* connections incl. TIME_WAIT and SYN_RCVD; 0: 65536 + 20000 */
    uint16_t mtu;                       /* 0: 1500 */
};

struct toe_stack *toe_stack_new(const struct toe_stack_cfg *cfg, const struct toe_netif_ops *ops,
                                char *err, size_t errlen);
void toe_stack_free(struct toe_stack *st);

/* The sockets API's context for this stack (driver/include/toe_socket.h). */
struct toe_ctx *toe_stack_ctx(struct toe_stack *st);

/* A frame from the network (exception path or a software netif). */
void toe_stack_input(struct toe_stack *st, const uint8_t *frame, size_t len);
/* Run the timers due at the netif's now. */
void toe_stack_timers(struct toe_stack *st);
/* The earliest deadline of any timer, UINT64_MAX if none. */
uint64_t toe_stack_next_timer(const struct toe_stack *st);

/* A static neighbour (as `ip neigh add ... lladdr ... nud permanent`). */
int toe_stack_neigh_add(struct toe_stack *st, uint32_t ip, const uint8_t mac[6]);

/* Replace the knobs while running (toectl); validated by the caller. */
void toe_stack_set_knobs(struct toe_stack *st, const struct toe_knobs *k);

/*
 * What the hardware did for an offloaded connection (id from
 * toe_offload_conn.id). hw_rx: len in-order bytes it placed, from the
 * stack's RCV.NXT on (it ACKed them itself); returns the bytes taken (all,
 * unless the connection is gone). hw_sync: its send state and window edge
 * and TS.Recent (the fields it keeps: snd_una, snd_wnd, max_snd_wnd,
 * snd_wl1, snd_wl2, rcv_adv, ts_recent).
 */
uint32_t toe_stack_hw_rx(struct toe_stack *st, uint32_t id, const uint8_t *data, uint32_t len);
void toe_stack_hw_sync(struct toe_stack *st, uint32_t id, const struct toe_offload_conn *c);

/* ---- observability (toe-ss) ----------------------------------------------------------- */

/* Linux's TCP states, in Linux's numbering (include/net/tcp_states.h). */
enum toe_tcp_state {
    TOE_TCP_ESTABLISHED = 1, TOE_TCP_SYN_SENT, TOE_TCP_SYN_RECV, TOE_TCP_FIN_WAIT1,
    TOE_TCP_FIN_WAIT2, TOE_TCP_TIME_WAIT, TOE_TCP_CLOSE, TOE_TCP_CLOSE_WAIT, TOE_TCP_LAST_ACK,
    TOE_TCP_LISTEN, TOE_TCP_CLOSING, TOE_TCP_NSTATES
};
const char *toe_tcp_state_name(int state);     /* "ESTABLISHED", ... as RFC 9293 names them */
const char *toe_tcp_state_ss_name(int state);  /* "ESTAB", "SYN-SENT", ... as ss prints them */

enum toe_timer_kind { TOE_TIMER_NONE = 0, TOE_TIMER_ON, TOE_TIMER_KEEPALIVE, TOE_TIMER_TIMEWAIT,
                      TOE_TIMER_PERSIST };

struct toe_conn_info {
    int state;                          /* enum toe_tcp_state */
    uint32_t laddr, raddr;
    uint16_t lport, rport;
    uint32_t recv_q, send_q;            /* LISTEN: accept queue length, backlog */
    int timer;                          /* enum toe_timer_kind */
    uint64_t timer_left_ns;
    unsigned retrans;                   /* retransmissions of the timer's segment */
    uint16_t snd_mss, rcv_mss;
    int8_t snd_wscale, rcv_wscale;      /* -1: not in use */
    int ts, sack;
    uint32_t rto_us, rtt_us, rttvar_us;
    uint32_t cwnd, ssthresh;
    int offloaded;                      /* in the hardware table */
    int orphan;                         /* no descriptor: the application closed or died */
    int fd;                             /* -1 if none */
    uint32_t owner;                     /* the client that owns the descriptor (toed), 0 */
};

/* Calls fn for every connection and listener (TIME_WAIT and SYN_RECV too), in
 * a stable order; stops when fn returns nonzero. */
void toe_stack_foreach(struct toe_stack *st, int (*fn)(void *arg, const struct toe_conn_info *ci), void *arg);

/* The MIB counters, under nstat's names (TcpActiveOpens, TcpExtListenOverflows, ...). */
void toe_stack_counters(const struct toe_stack *st,
                        void (*fn)(void *arg, const char *name, uint64_t value), void *arg);
/* One counter by nstat name; -1 when there is none by that name. */
int64_t toe_stack_counter(const struct toe_stack *st, const char *name);

/* The bytes of the stack's tables one connection and its descriptor take
 * (allocated with the tables; buffers come and go with data). */
size_t toe_stack_bytes_per_conn(void);
/* The bytes of send and receive buffers the connections hold now. */
uint64_t toe_stack_buffer_bytes(const struct toe_stack *st);

/* Close every descriptor owned by owner (an application that exited or died):
 * as close(2) would, so connections finish properly (S20). */
void toe_stack_close_owner(struct toe_stack *st, uint32_t owner);
/* Descriptors created from now on belong to owner (toed sets it per client). */
void toe_stack_set_owner(struct toe_stack *st, uint32_t owner);

#endif /* TOE_STACK_H */
