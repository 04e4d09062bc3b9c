/*
 * ARP for IPv4 over Ethernet (RFC 826), the driver's neighbour table.
 *
 * The TOE answers ARP requests for its own address and resolves its peers'
 * MAC addresses before it can fill a TX context. This module is pure logic: it
 * parses and builds frames and keeps the table; the caller sends the frames
 * it asks for and gives the time (nanoseconds, virtual or real).
 *
 * The table follows Linux's neighbour defaults (net.ipv4.neigh.default.*):
 * an unresolved address is asked for with a broadcast request every
 * retrans_time (1 s), at most mcast_solicit (3) times, and then fails; a
 * resolved entry is trusted for reachable_time (30 s: Linux's
 * base_reachable_time, without its random 0.5..1.5 factor, so that tests are
 * exact), after which it is stale: still used, and refreshed by the next
 * request or reply from that peer (Linux's DELAY and PROBE states, which
 * re-confirm a stale entry by unicast, are not modelled). RFC 826's merge
 * rule: a packet from a sender we know updates its entry whatever it asks;
 * one whose target is us also adds the sender.
 */
#ifndef TOE_ARP_H
#define TOE_ARP_H

#include <stddef.h>
#include <stdint.h>

#define TOE_ETHERTYPE_ARP 0x0806u
#define TOE_ARP_FRAME_LEN 60      /* 42 bytes of ARP over Ethernet, padded to the minimum */
#define TOE_ARP_OP_REQUEST 1u
#define TOE_ARP_OP_REPLY 2u

/* What a received ARP frame is. */
struct toe_arp_pkt {
    uint16_t op;                  /* TOE_ARP_OP_* */
    uint8_t sha[6];               /* sender hardware address */
    uint32_t spa;                 /* sender protocol address (host order) */
    uint8_t tha[6];
    uint32_t tpa;
};

enum toe_arp_err {
    TOE_ARP_OK = 0,
    TOE_ARP_SHORT,                /* shorter than Ethernet + 28 bytes */
    TOE_ARP_NOT_ARP,              /* EtherType is not 0x0806 */
    TOE_ARP_BAD_FORMAT,           /* not Ethernet/IPv4: htype 1, ptype 0x0800, hlen 6, plen 4 */
    TOE_ARP_BAD_OP,               /* neither request nor reply */
    TOE_ARP_BAD_SENDER,           /* sender MAC multicast/broadcast, or sender IP 0.0.0.0 in a reply */
};

enum toe_arp_err toe_arp_parse(const uint8_t *frame, size_t len, struct toe_arp_pkt *p);
const char *toe_arp_strerror(enum toe_arp_err e);

/* A broadcast request for tpa from (sha, spa); a reply to the request p. Both
 * write TOE_ARP_FRAME_LEN bytes to buf and return that length. */
size_t toe_arp_build_request(uint8_t *buf, const uint8_t sha[6], uint32_t spa, uint32_t tpa);
size_t toe_arp_build_reply(uint8_t *buf, const uint8_t our_mac[6], uint32_t our_ip,
                           const struct toe_arp_pkt *request);

/* ---- the neighbour table ---- */

#define TOE_ARP_RETRANS_NS 1000000000ull       /* neigh.default.retrans_time_ms 1000 */
#define TOE_ARP_SOLICIT 3u                     /* neigh.default.mcast_solicit */
#define TOE_ARP_REACHABLE_NS 30000000000ull    /* neigh.default.base_reachable_time_ms 30000 */

enum toe_arp_state {
    TOE_ARP_FREE = 0,
    TOE_ARP_INCOMPLETE,           /* asked, no answer yet */
    TOE_ARP_REACHABLE,            /* answered within reachable_time */
    TOE_ARP_STALE,                /* older: used, refreshed by the next packet or lookup */
    TOE_ARP_FAILED,               /* asked TOE_ARP_SOLICIT times without an answer */
};

struct toe_arp_entry {
    uint32_t ip;
    uint8_t mac[6];
    uint8_t state;                /* enum toe_arp_state */
    uint8_t probes;               /* requests sent for this resolution */
    uint64_t when_ns;             /* REACHABLE: confirmed at; INCOMPLETE: last request; FAILED: failed at */
};

struct toe_arp_stats {
    uint64_t requests_in, replies_in, bad_in, requests_out, replies_out, resolved, failed,
        table_full;
};

/* The timers, from net.ipv4.neigh.default.* (docs/knobs.md); toe_arp_init()
 * sets Linux's defaults, toe_arp_configure() others. */
struct toe_arp_cfg {
    uint64_t retrans_ns;          /* retrans_time_ms */
    uint64_t reachable_ns;        /* base_reachable_time_ms */
    unsigned solicit;             /* mcast_solicit, at least 1 */
};

struct toe_arp_table {
    struct toe_arp_cfg cfg;
    uint8_t mac[6];               /* ours */
    uint32_t ip;                  /* ours; 0: none yet (we then answer nothing) */
    size_t n;
    struct toe_arp_entry *e;      /* n entries, caller's memory */
    struct toe_arp_stats st;
};

/* What the caller must do after a call: send frame[0..len) if len > 0. */
struct toe_arp_out {
    size_t len;
    uint8_t frame[TOE_ARP_FRAME_LEN];
};

void toe_arp_init(struct toe_arp_table *t, struct toe_arp_entry *entries, size_t n,
                  const uint8_t mac[6], uint32_t ip);
void toe_arp_configure(struct toe_arp_table *t, const struct toe_arp_cfg *cfg);

/*
 * A received frame that toe_arp_parse() took: RFC 826's merge. Returns the
 * parse result; with a request for our address, *out holds the reply.
 */
enum toe_arp_err toe_arp_input(struct toe_arp_table *t, const uint8_t *frame, size_t len,
                               uint64_t now_ns, struct toe_arp_out *out);

enum toe_arp_resolve {
    TOE_ARP_RESOLVED = 0,         /* *mac filled */
    TOE_ARP_PENDING,              /* asking (a request may be in *out); call again later */
    TOE_ARP_UNREACHABLE,          /* no answer to TOE_ARP_SOLICIT requests (EHOSTUNREACH) */
    TOE_ARP_NO_ROOM,              /* every entry is in use and none can be reclaimed */
};

/* Where to send to ip: a lookup that starts a resolution when needed. A
 * FAILED entry is retried after reachable_ns (Linux keeps failed neighbours
 * for a while too). */
enum toe_arp_resolve toe_arp_resolve(struct toe_arp_table *t, uint32_t ip, uint64_t now_ns,
                                     uint8_t mac[6], struct toe_arp_out *out);

/* Timers: a request due for an INCOMPLETE entry goes into *out (one per call;
 * call until it returns 0), the last one's timeout (solicit requests sent)
 * fails the entry, REACHABLE entries age to STALE. Returns 1 when *out holds
 * a frame. */
int toe_arp_tick(struct toe_arp_table *t, uint64_t now_ns, struct toe_arp_out *out);

/* The earliest time toe_arp_tick() has something to do; UINT64_MAX if never. */
uint64_t toe_arp_next_timer(const struct toe_arp_table *t);

const struct toe_arp_entry *toe_arp_find(const struct toe_arp_table *t, uint32_t ip);

#endif /* TOE_ARP_H */
