/* The stack's insides (docs/tcp.md, "The endpoint"), shared by its files. */
#ifndef TOE_STACK_INT_H
#define TOE_STACK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "toe_arp.h"
#include "toe_demux.h"
#include "toe_icmp.h"
#include "toe_isn.h"
#include "toe_knobs.h"
#include "toe_ports.h"
#include "toe_seq.h"
#include "toe_stack.h"
#include "toe_syncookie.h"

#define TOE_NONE UINT32_MAX
#define TOE_MS 1000000ull
#define TOE_SEC 1000000000ull

/* RFC 6298 section 2 and Linux: a 1 s initial RTO (TCP_TIMEOUT_INIT), 200 ms
 * minimum, 120 s maximum (TCP_RTO_MIN, TCP_RTO_MAX). */
#define TOE_RTO_INIT_NS (1 * TOE_SEC)
#define TOE_RTO_MIN_NS (200 * TOE_MS)
#define TOE_RTO_MAX_NS (120 * TOE_SEC)
/* Linux's TCP_TIMEWAIT_LEN is fixed at 60 s; ours is 2 * toe.tcp_msl. */
/* Linux's tcp_invalid_ratelimit: one ACK per 500 ms to invalid segments. */
#define TOE_OOW_RATELIMIT_NS (500 * TOE_MS)
/* RFC 7323 5.5: TS.Recent is stale after 24 days idle (TCP_PAWS_24DAYS). */
#define TOE_PAWS_24DAYS_NS (24ull * 86400 * TOE_SEC)
#define TOE_TW_REUSE_AGE_NS (1 * TOE_SEC)   /* tcp_tw_reuse: TIME_WAIT older than 1 s */
/* A socket's default buffers (tcp_rmem[1] / tcp_wmem[1] are the knobs). */
#define TOE_DEFAULT_WSCALE 7                /* Linux's for tcp_rmem[2] = 6 MiB */

/* Segment flags (byte 13 of the TCP header). */
enum { TF_FIN = 0x01, TF_SYN = 0x02, TF_RST = 0x04, TF_PSH = 0x08, TF_ACK = 0x10, TF_URG = 0x20,
       TF_ECE = 0x40, TF_CWR = 0x80 };

/* A parsed inbound segment. */
struct toe_seg {
    const uint8_t *frame;
    size_t frame_len;
    uint8_t src_mac[6];
    uint32_t saddr, daddr;
    uint8_t tos, ttl;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint32_t wnd;                   /* the raw 16-bit field */
    uint16_t urg;
    const uint8_t *data;
    uint32_t len;                   /* payload bytes */
    /* options */
    bool has_mss, has_ws, has_sackok, has_ts;
    uint16_t mss;
    uint8_t ws;
    uint32_t tsval, tsecr;
};

/* The socket (descriptor) kinds. */
enum { SK_FREE = 0, SK_NEW, SK_LISTEN, SK_CONN };

struct toe_sock {
    uint8_t kind;
    bool nonblock, reuseaddr, nodelay, keepalive, linger_on;
    int linger_s;
    int keepidle_s, keepintvl_s, keepcnt;
    int maxseg;                     /* TCP_MAXSEG set by the user, 0: none */
    int rcvbuf, sndbuf;
    bool bound;
    uint32_t baddr;                 /* bound address (host order), 0 = INADDR_ANY */
    uint16_t bport;
    uint32_t tcb;                   /* SK_CONN: its connection */
    uint32_t owner;
    /* SK_LISTEN */
    int backlog;                    /* min(listen()'s, somaxconn) */
    uint32_t synq_len;              /* children in SYN_RECV */
    uint32_t acq_head, acq_tail, acq_len; /* accept queue: established children, FIFO via tcb.q_next */
    int so_error;                   /* pending error of a socket without a connection */
    bool had_conn;                  /* it was connected once: reads give EOF, not ENOTCONN */
    uint64_t last_overflow_ns;      /* SK_LISTEN: when a SYN cookie was last sent (Linux's synq overflow stamp) */
};

struct toe_tcb {
    bool used;
    uint8_t state;                  /* enum toe_tcp_state */
    struct toe_tuple t;
    uint8_t peer_mac[6];
    bool peer_mac_ok;
    uint32_t fd;                    /* the descriptor, TOE_NONE: none (orphan or queued child) */
    uint32_t listener;              /* SYN_RECV / accept-queued children: the listening fd */
    uint32_t q_next;                /* accept-queue link */
    bool queued;                    /* in its listener's accept queue */
    uint32_t owner;

    /* RFC 9293 3.3.1 send and receive sequence variables */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2, max_snd_wnd;
    uint32_t irs, rcv_nxt, rcv_adv;
    uint32_t rcv_wnd0;              /* the first window (Linux: the largest MSS multiple in 64 KiB) */
    uint8_t snd_wscale, rcv_wscale;
    bool ws_ok, ts_ok, sack_ok;
    uint16_t snd_mss;               /* what we send per segment (peer's MSS less our options) */
    uint16_t peer_mss, adv_mss;
    uint32_t ts_recent, ts_offset;
    uint64_t ts_recent_ns;
    uint64_t last_oow_ns;           /* the last ACK to an invalid segment (Linux's last_oow_ack_time) */

    /* the send buffer: bytes from snd_una's first data byte on */
    uint8_t *sbuf;
    uint32_t sbuf_cap, sbuf_len;
    bool fin_queued;                /* the application shut down writing: FIN after the data */
    bool fin_sent;
    uint32_t fin_seq;
    /* the receive buffer: bytes not yet read, in order */
    uint8_t *rbuf;
    uint32_t rbuf_cap, rbuf_head, rbuf_len;
    bool rcv_fin;                   /* the peer's FIN arrived: EOF after rbuf */
    bool shut_rd;
    int so_error;                   /* ECONNREFUSED, ECONNRESET, ETIMEDOUT ... for the application */

    /* timers (absolute ns; 0 = off) */
    uint64_t rtx_at;                /* retransmission (SYN, SYN-ACK, data, FIN) */
    uint64_t rto_ns;
    uint8_t retries;
    /* RFC 6298: the smoothed RTT and its variation (0: no sample yet), and
     * the one segment being timed (Karn: never a retransmitted one). */
    uint64_t srtt_ns, rttvar_ns;
    bool rtt_timing;
    uint32_t rtt_seq;               /* timed: its ACK is beyond this */
    uint64_t rtt_sent_ns;
    bool data_rcvd;                 /* the peer sent data (Linux's ato starts then) */
    uint64_t tw_at;                 /* TIME_WAIT end, orphaned FIN_WAIT_2 end */
    uint64_t tw_since;              /* entered TIME_WAIT at */
    uint64_t delack_at;             /* a delayed ACK (the ACK of a FIN in pingpong mode) */
    uint64_t ka_at;                 /* keepalive */
    uint8_t ka_probes;
    uint32_t heap_pos;              /* index in the timer heap, TOE_NONE if not there */
    uint64_t due;                   /* the heap key: the earliest of the timers */

    bool orphan;                    /* the application closed (or died): toed finishes it */
    bool zombie;                    /* CLOSED, kept only for the descriptor that still holds it */
    bool reuse;                     /* SO_REUSEADDR of its socket (Linux's sk_reuse, kept in TIME_WAIT) */
    bool from_cookie;
    uint64_t created_ns;
    int hw;                         /* offload handle, -1 */
    uint16_t ip_id;
    unsigned total_retrans;
};

/* nstat counters (names in toe_stack.c's table, same order). */
enum toe_mib {
    MIB_ACTIVE_OPENS, MIB_PASSIVE_OPENS, MIB_ATTEMPT_FAILS, MIB_ESTAB_RESETS, MIB_CURR_ESTAB,
    MIB_IN_SEGS, MIB_OUT_SEGS, MIB_RETRANS_SEGS, MIB_IN_ERRS, MIB_OUT_RSTS, MIB_IN_CSUM_ERRORS,
    MIB_LISTEN_OVERFLOWS, MIB_LISTEN_DROPS, MIB_SYNCOOKIES_SENT, MIB_SYNCOOKIES_RECV,
    MIB_SYNCOOKIES_FAILED, MIB_TW, MIB_TW_RECYCLED, MIB_TW_KILLED, MIB_TIMEWAIT_OVERFLOW,
    MIB_TCP_REQ_Q_FULL_DROP, MIB_TCP_REQ_Q_FULL_DO_COOKIES, MIB_TCP_ABORT_ON_DATA,
    MIB_TCP_ABORT_ON_CLOSE, MIB_TCP_ABORT_ON_LINGER, MIB_TCP_ABORT_ON_TIMEOUT,
    MIB_TCP_ABORT_ON_MEMORY, MIB_TCP_TIMEOUTS, MIB_TCP_SYN_RETRANS, MIB_TCP_LOST_RETRANSMIT,
    MIB_TCP_CHALLENGE_ACK, MIB_TCP_OFO_DROP, MIB_TCP_OFFLOADED, MIB_TCP_OFFLOAD_FAILED,
    MIB_TCP_PAWS_ESTAB, MIB_TCP_DSACK_UNDO, MIB_TCP_TW_REUSE_REFUSED, MIB_TCP_BAD_FRAMES,
    MIB_TCP_OUT_DROPS, MIB_TCP_ORPHANS, MIB_ARP_IN, MIB_IP_IN_RECEIVES, MIB_IP_IN_ADDR_ERRORS,
    MIB_IP_IN_HDR_ERRORS, MIB_ACK_SKIPPED_PAWS, MIB_ACK_SKIPPED_SEQ, MIB_ACK_SKIPPED_TW,
    MIB_ACK_SKIPPED_CHALLENGE, MIB_IP_IN_UNKNOWN_PROTOS, MIB_ICMP_IN_MSGS, MIB_ICMP_OUT_MSGS,
    MIB_NUM
};

/* Frames waiting for ARP (Linux's neighbour queue, unres_qlen): sent once
 * the address resolves, dropped when it fails. */
#define TOE_ARPQ_MAX 16
struct toe_arpq_frame {
    uint32_t hop;                   /* 0: a free slot */
    uint16_t len;
    uint8_t frame[1600];
};

struct toe_stack {
    struct toe_stack_cfg cfg;
    struct toe_knobs knobs;
    struct toe_netif_ops ops;
    struct toe_isn_secret isn;
    struct toe_syncookie_secret cookie;
    struct toe_demux dm;
    struct toe_ports ports;
    struct toe_arp_table arp;
    struct toe_arp_entry arp_e[256];
    struct toe_icmp_stats icmp_st;
    struct toe_arpq_frame arpq[TOE_ARPQ_MAX];
    uint64_t rng;                   /* xorshift state for port perturbation etc. */

    struct toe_sock *sk;
    uint32_t nsk;
    struct toe_tcb *tcb;
    uint32_t ntcb, tcb_free_hint, tcb_used;
    uint32_t n_tw;                  /* connections in TIME_WAIT */
    uint32_t *heap;                 /* timer heap of tcb ids, by due */
    uint32_t heap_n;
    uint16_t ip_id;
    uint32_t tw_isn;                /* the ISN for a SYN that ends a TIME_WAIT (once) */
    bool tw_isn_set;
    uint32_t owner;                 /* owner of new descriptors */
    uint64_t mib[MIB_NUM];
    struct toe_ctx *ctx;
};

/* ---- toe_stack.c ---- */
uint64_t stk_now(const struct toe_stack *st);
int64_t knob(const struct toe_stack *st, enum toe_knob_id id);
int64_t knob_i(const struct toe_stack *st, enum toe_knob_id id, unsigned i);
int stk_send_frame(struct toe_stack *st, uint32_t daddr, const uint8_t *mac_hint, uint8_t *frame,
                   size_t len);
uint32_t stk_rand(struct toe_stack *st);

/* ---- toe_tcp_out.c ---- */
/* Build and send a segment of tcb: flags, seq, payload from the send buffer
 * at offset (bytes from snd_una's first data byte) */
int tcp_output_seg(struct toe_stack *st, struct toe_tcb *tb, uint8_t flags, uint32_t seq,
                   uint32_t data_off, uint32_t len);
void tcp_send_ack(struct toe_stack *st, struct toe_tcb *tb);
void tcp_send_rst_tcb(struct toe_stack *st, struct toe_tcb *tb);
/* RFC 9293 3.10.7.1: the reset for a segment that has no connection. */
void tcp_send_rst_reply(struct toe_stack *st, const struct toe_seg *sg);
void tcp_send_synack(struct toe_stack *st, struct toe_tcb *tb);
void tcp_send_syn(struct toe_stack *st, struct toe_tcb *tb);
/* Send what the window and buffer allow (data, then FIN). */
void tcp_output(struct toe_stack *st, struct toe_tcb *tb);
uint32_t tcp_rcv_window(const struct toe_tcb *tb);
uint32_t tcp_ts_now(const struct toe_stack *st, const struct toe_tcb *tb);

/* ---- toe_tcp_in.c ---- */
void tcp_input(struct toe_stack *st, const struct toe_seg *sg);

/* ---- toe_tcp_listen.c ---- */
void tcp_listen_input(struct toe_stack *st, uint32_t lfd, const struct toe_seg *sg);
void tcp_child_established(struct toe_stack *st, struct toe_tcb *tb, const struct toe_seg *sg);
void tcp_listener_close(struct toe_stack *st, uint32_t lfd);

/* ---- toe_tcp_conn.c: state changes and the table ---- */
struct toe_tcb *tcb_alloc(struct toe_stack *st, const struct toe_tuple *t);
void tcb_set_state(struct toe_stack *st, struct toe_tcb *tb, int state);
/* Free the connection (CLOSED): table, demux, timers, buffers, the hardware. */
void tcb_destroy(struct toe_stack *st, struct toe_tcb *tb);
void tcb_free(struct toe_stack *st, struct toe_tcb *tb);
/* The connection ends with err for the application (0: none). */
void tcb_drop(struct toe_stack *st, struct toe_tcb *tb, int err);
void tcb_enter_time_wait(struct toe_stack *st, struct toe_tcb *tb);
void tcb_established(struct toe_stack *st, struct toe_tcb *tb);
void tcb_options_from_syn(struct toe_stack *st, struct toe_tcb *tb, const struct toe_seg *sg);
void tcb_init_buffers(struct toe_stack *st, struct toe_tcb *tb);
void tcb_offer_options(struct toe_stack *st, struct toe_tcb *tb);
bool ts_offsets(const struct toe_stack *st);
/* Tell the hardware the send state (an offloaded connection). */
void tcb_hw_snd(struct toe_stack *st, struct toe_tcb *tb);
uint32_t tcb_id(const struct toe_stack *st, const struct toe_tcb *tb);

/* ---- toe_tcp_timer.c ---- */
void timer_update(struct toe_stack *st, struct toe_tcb *tb);
void tcp_timers_run(struct toe_stack *st);
void tcp_rtx_arm(struct toe_stack *st, struct toe_tcb *tb);
/* An RTT sample (RFC 6298 2.2-2.3, Linux's RTO floor) and the RTO from it. */
void tcp_rtt_sample(struct toe_stack *st, struct toe_tcb *tb, uint64_t rtt_ns);

/* ---- toe_sock.c ---- */
void sock_wake(struct toe_stack *st, uint32_t fd);
struct toe_ctx *sock_ctx_new(struct toe_stack *st);
void sock_ctx_free(struct toe_ctx *c);

#define MIB_INC(st, m) ((st)->mib[(m)]++)

#endif /* TOE_STACK_INT_H */
