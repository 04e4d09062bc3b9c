/*
 * toed's control protocol (docs/api.md, "The toed protocol"): what a client
 * (driver/client/toe_client.c, toe-ss) and toed say over <dev_dir>/toed.sock.
 *
 * One request per call, one reply per request (DUMP and COUNTERS: one reply
 * per record, then an end reply). Every message is a fixed 48-byte header,
 * little-endian fields at fixed offsets (encoded byte by byte, so no struct
 * padding or host order ever reaches the wire), then plen payload bytes.
 * Bulk data never travels here: SEND and RECV name an offset and a length
 * in the shared area the client passed with HELLO (SCM_RIGHTS).
 *
 * The decoders trust nothing: a bad magic, version, op, flag word or length
 * is refused with a reason, and toed drops a client that sends one.
 */
#ifndef TOE_PROTO_H
#define TOE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define TOE_PROTO_REQ_MAGIC 0x51454f54u   /* "TOEQ" */
#define TOE_PROTO_REP_MAGIC 0x52454f54u   /* "TOER" */
#define TOE_PROTO_VERSION 1u
#define TOE_PROTO_HDR_LEN 48u
#define TOE_PROTO_PAYLOAD_MAX 4096u        /* sockaddr, option value, pollfds, a record */
#define TOE_PROTO_MSG_MAX (TOE_PROTO_HDR_LEN + TOE_PROTO_PAYLOAD_MAX)
#define TOE_PROTO_POLLFD_LEN 8u            /* fd i32, events i16, revents i16 */
#define TOE_PROTO_POLL_MAX (TOE_PROTO_PAYLOAD_MAX / TOE_PROTO_POLLFD_LEN)
#define TOE_PROTO_SHM_MIN 4096u
#define TOE_PROTO_SHM_MAX (64u << 20)

enum toe_proto_op {
    TOE_OP_HELLO = 1,    /* a0 = shared area bytes; the memfd rides along (SCM_RIGHTS). ret: owner id */
    TOE_OP_SOCKET,       /* a0 domain, a1 type, a2 protocol */
    TOE_OP_BIND,         /* fd; payload sockaddr */
    TOE_OP_LISTEN,       /* fd, a0 backlog */
    TOE_OP_ACCEPT,       /* fd, a0 flags, a1 address room; reply payload: the peer's sockaddr */
    TOE_OP_CONNECT,      /* fd; payload sockaddr */
    TOE_OP_SEND,         /* fd, a0 flags; off/len in the shared area */
    TOE_OP_RECV,         /* fd, a0 flags; off/len: where toed puts the bytes */
    TOE_OP_SHUTDOWN,     /* fd, a0 how */
    TOE_OP_CLOSE,        /* fd */
    TOE_OP_SETSOCKOPT,   /* fd, a0 level, a1 name; payload value */
    TOE_OP_GETSOCKOPT,   /* fd, a0 level, a1 name, a2 value room; reply payload value */
    TOE_OP_GETSOCKNAME,  /* fd, a0 address room; reply payload sockaddr */
    TOE_OP_GETPEERNAME,  /* fd, a0 address room; reply payload sockaddr */
    TOE_OP_FCNTL,        /* fd, a0 cmd, a1 arg */
    TOE_OP_POLL,         /* a0 nfds, a1 timeout ms; payload pollfds; reply payload pollfds */
    TOE_OP_DUMP,         /* replies: one toe_proto_conn record each (ret 1), then ret 0 */
    TOE_OP_COUNTERS,     /* replies: one "value name" record each (ret 1), then ret 0 */
    TOE_OP_NUM
};

struct toe_proto_msg {
    uint32_t magic;      /* @0: TOE_PROTO_REQ_MAGIC or TOE_PROTO_REP_MAGIC */
    uint16_t version;    /* @4 */
    uint16_t op;         /* @6 */
    uint32_t seq;        /* @8: the client's number; a reply echoes it */
    int32_t fd;          /* @12 in a request: the descriptor */
    int32_t err;         /* @12 in a reply: the errno (0 on success) */
    int32_t a[3];        /* @16: arguments (requests) */
    uint32_t plen;       /* @28: payload bytes after the header */
    int64_t ret;         /* @32: replies: the call's return value */
    uint32_t len;        /* @40: SEND/RECV bytes in the shared area */
    uint32_t off;        /* @44: their offset */
};

/* Encodes the header into out (TOE_PROTO_HDR_LEN bytes); plen must be set. */
void toe_proto_encode(const struct toe_proto_msg *m, uint8_t out[TOE_PROTO_HDR_LEN]);

/*
 * Decodes a header from the len bytes at buf. Returns the whole message's
 * length (header + payload) once that many bytes are there, 0 while more are
 * needed, -1 for a malformed one with the reason in why: wrong magic for
 * its direction (is_reply), another version, an unknown op, a payload over
 * TOE_PROTO_PAYLOAD_MAX, or a request whose arguments cannot be right for
 * its op (a negative length, a payload where none belongs, poll's payload
 * not nfds pollfds, more pollfds than TOE_PROTO_POLL_MAX, off+len wrapping).
 */
long toe_proto_decode(const uint8_t *buf, size_t len, int is_reply, struct toe_proto_msg *m, const char **why);

const char *toe_proto_op_name(unsigned op);

/* A connection as DUMP sends it: toe_conn_info's fields, fixed layout. */
struct toe_proto_conn {
    int32_t state;
    uint32_t laddr, raddr;        /* host order */
    uint16_t lport, rport;
    uint32_t recv_q, send_q;
    int32_t timer;
    uint64_t timer_left_ns;
    uint32_t retrans;
    uint16_t snd_mss, rcv_mss;
    int8_t snd_wscale, rcv_wscale;
    uint8_t ts, sack, offloaded, orphan;
    uint32_t rto_us, rtt_us, rttvar_us, cwnd, ssthresh;
    int32_t fd;
    uint32_t owner;
};
#define TOE_PROTO_CONN_LEN 80u

void toe_proto_conn_encode(const struct toe_proto_conn *c, uint8_t out[TOE_PROTO_CONN_LEN]);
/* 0, or -1 when len is not TOE_PROTO_CONN_LEN. */
int toe_proto_conn_decode(const uint8_t *buf, size_t len, struct toe_proto_conn *c);

/* A counter as COUNTERS sends it: u64 value, then the name (no NUL), 1..128 bytes. */
#define TOE_PROTO_NAME_MAX 128u
size_t toe_proto_counter_encode(const char *name, uint64_t value, uint8_t *out, size_t room);
/* 0 (name NUL-terminated into name[TOE_PROTO_NAME_MAX + 1]), or -1. */
int toe_proto_counter_decode(const uint8_t *buf, size_t len, char *name, uint64_t *value);

/* Read exactly n bytes from a stream socket (both ends' replies and records);
 * 0, or -1 on an error or end of stream. */
int toe_proto_read_all(int fd, uint8_t *p, size_t n);

#endif /* TOE_PROTO_H */
