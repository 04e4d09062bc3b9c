/*
 * toed's control protocol (toe_proto.h): byte-exact encoding and the checks
 * a message must pass before toed or a client acts on it.
 */
#include "toe_proto.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32; }

void toe_proto_encode(const struct toe_proto_msg *m, uint8_t out[TOE_PROTO_HDR_LEN])
{
    put32(out, m->magic);
    put16(out + 4, m->version);
    put16(out + 6, m->op);
    put32(out + 8, m->seq);
    put32(out + 12, (uint32_t)(m->magic == TOE_PROTO_REP_MAGIC ? m->err : m->fd));
    for (int i = 0; i < 3; i++)
        put32(out + 16 + 4 * i, (uint32_t)m->a[i]);
    put32(out + 28, m->plen);
    put64(out + 32, (uint64_t)m->ret);
    put32(out + 40, m->len);
    put32(out + 44, m->off);
}

static long bad(const char **why, const char *w)
{
    if (why)
        *why = w;
    return -1;
}

/* The payload an op's request may carry: [min, max] bytes. */
static void req_payload(unsigned op, uint32_t *min, uint32_t *max)
{
    *min = 0;
    *max = 0;
    switch (op) {
    case TOE_OP_BIND:
    case TOE_OP_CONNECT:
        *min = 1;
        *max = 128;          /* sizeof(struct sockaddr_storage) */
        break;
    case TOE_OP_SETSOCKOPT:
        *max = 256;
        break;
    case TOE_OP_POLL:
        *max = TOE_PROTO_PAYLOAD_MAX;
        break;
    default:
        break;
    }
}

/* What a request's arguments must hold for its op. */
static long check_req(const struct toe_proto_msg *m, const char **why)
{
    uint32_t min, max;

    req_payload(m->op, &min, &max);
    if (m->plen < min || m->plen > max)
        return bad(why, "payload length not allowed for this op");
    if ((m->op == TOE_OP_SEND || m->op == TOE_OP_RECV)) {
        if ((uint64_t)m->off + m->len > TOE_PROTO_SHM_MAX)
            return bad(why, "data beyond any shared area");
    } else if (m->len || m->off) {
        return bad(why, "shared-area data for an op without data");
    }
    if (m->op == TOE_OP_HELLO && (m->a[0] < (int32_t)TOE_PROTO_SHM_MIN || m->a[0] > (int32_t)TOE_PROTO_SHM_MAX))
        return bad(why, "shared area size out of range");
    if (m->op == TOE_OP_POLL) {
        if (m->a[0] < 0 || (uint32_t)m->a[0] > TOE_PROTO_POLL_MAX)
            return bad(why, "poll: nfds out of range");
        if (m->plen != (uint32_t)m->a[0] * TOE_PROTO_POLLFD_LEN)
            return bad(why, "poll: payload is not nfds pollfds");
    }
    if ((m->op == TOE_OP_ACCEPT && m->a[1] < 0) || (m->op == TOE_OP_GETSOCKOPT && m->a[2] < 0) ||
        ((m->op == TOE_OP_GETSOCKNAME || m->op == TOE_OP_GETPEERNAME) && m->a[0] < 0))
        return bad(why, "negative room for a result");
    if (m->ret)
        return bad(why, "a request carries no return value");
    return 0;
}

long toe_proto_decode(const uint8_t *buf, size_t len, int is_reply, struct toe_proto_msg *m, const char **why)
{
    if (len < TOE_PROTO_HDR_LEN) {
        /* Refuse a wrong magic as soon as it is there: garbage ends early. */
        if (len >= 4 && get32(buf) != (is_reply ? TOE_PROTO_REP_MAGIC : TOE_PROTO_REQ_MAGIC))
            return bad(why, "bad magic");
        return 0;
    }
    memset(m, 0, sizeof(*m));
    m->magic = get32(buf);
    m->version = get16(buf + 4);
    m->op = get16(buf + 6);
    m->seq = get32(buf + 8);
    if (is_reply)
        m->err = (int32_t)get32(buf + 12);
    else
        m->fd = (int32_t)get32(buf + 12);
    for (int i = 0; i < 3; i++)
        m->a[i] = (int32_t)get32(buf + 16 + 4 * i);
    m->plen = get32(buf + 28);
    m->ret = (int64_t)get64(buf + 32);
    m->len = get32(buf + 40);
    m->off = get32(buf + 44);
    if (m->magic != (is_reply ? TOE_PROTO_REP_MAGIC : TOE_PROTO_REQ_MAGIC))
        return bad(why, "bad magic");
    if (m->version != TOE_PROTO_VERSION)
        return bad(why, "unsupported protocol version");
    if (m->op < TOE_OP_HELLO || m->op >= TOE_OP_NUM)
        return bad(why, "unknown op");
    if (m->plen > TOE_PROTO_PAYLOAD_MAX)
        return bad(why, "payload too long");
    if (is_reply) {
        if (m->err < 0 || m->err > 4095)
            return bad(why, "errno out of range");
    } else if (check_req(m, why)) {
        return -1;
    }
    if (len < TOE_PROTO_HDR_LEN + m->plen)
        return 0;
    return (long)(TOE_PROTO_HDR_LEN + m->plen);
}

const char *toe_proto_op_name(unsigned op)
{
    static const char *const names[TOE_OP_NUM] = {
        [TOE_OP_HELLO] = "HELLO", [TOE_OP_SOCKET] = "SOCKET", [TOE_OP_BIND] = "BIND",
        [TOE_OP_LISTEN] = "LISTEN", [TOE_OP_ACCEPT] = "ACCEPT", [TOE_OP_CONNECT] = "CONNECT",
        [TOE_OP_SEND] = "SEND", [TOE_OP_RECV] = "RECV", [TOE_OP_SHUTDOWN] = "SHUTDOWN",
        [TOE_OP_CLOSE] = "CLOSE", [TOE_OP_SETSOCKOPT] = "SETSOCKOPT", [TOE_OP_GETSOCKOPT] = "GETSOCKOPT",
        [TOE_OP_GETSOCKNAME] = "GETSOCKNAME", [TOE_OP_GETPEERNAME] = "GETPEERNAME", [TOE_OP_FCNTL] = "FCNTL",
        [TOE_OP_POLL] = "POLL", [TOE_OP_DUMP] = "DUMP", [TOE_OP_COUNTERS] = "COUNTERS",
    };

    return op < TOE_OP_NUM && names[op] ? names[op] : "?";
}

void toe_proto_conn_encode(const struct toe_proto_conn *c, uint8_t out[TOE_PROTO_CONN_LEN])
{
    memset(out, 0, TOE_PROTO_CONN_LEN);
    put32(out, (uint32_t)c->state);
    put32(out + 4, c->laddr);
    put32(out + 8, c->raddr);
    put16(out + 12, c->lport);
    put16(out + 14, c->rport);
    put32(out + 16, c->recv_q);
    put32(out + 20, c->send_q);
    put32(out + 24, (uint32_t)c->timer);
    put64(out + 28, c->timer_left_ns);
    put32(out + 36, c->retrans);
    put16(out + 40, c->snd_mss);
    put16(out + 42, c->rcv_mss);
    out[44] = (uint8_t)c->snd_wscale;
    out[45] = (uint8_t)c->rcv_wscale;
    out[46] = c->ts;
    out[47] = c->sack;
    out[48] = c->offloaded;
    out[49] = c->orphan;
    put32(out + 52, c->rto_us);
    put32(out + 56, c->rtt_us);
    put32(out + 60, c->rttvar_us);
    put32(out + 64, c->cwnd);
    put32(out + 68, c->ssthresh);
    put32(out + 72, (uint32_t)c->fd);
    put32(out + 76, c->owner);
}

int toe_proto_conn_decode(const uint8_t *p, size_t len, struct toe_proto_conn *c)
{
    if (len != TOE_PROTO_CONN_LEN)
        return -1;
    c->state = (int32_t)get32(p);
    c->laddr = get32(p + 4);
    c->raddr = get32(p + 8);
    c->lport = get16(p + 12);
    c->rport = get16(p + 14);
    c->recv_q = get32(p + 16);
    c->send_q = get32(p + 20);
    c->timer = (int32_t)get32(p + 24);
    c->timer_left_ns = get64(p + 28);
    c->retrans = get32(p + 36);
    c->snd_mss = get16(p + 40);
    c->rcv_mss = get16(p + 42);
    c->snd_wscale = (int8_t)p[44];
    c->rcv_wscale = (int8_t)p[45];
    c->ts = p[46];
    c->sack = p[47];
    c->offloaded = p[48];
    c->orphan = p[49];
    c->rto_us = get32(p + 52);
    c->rtt_us = get32(p + 56);
    c->rttvar_us = get32(p + 60);
    c->cwnd = get32(p + 64);
    c->ssthresh = get32(p + 68);
    c->fd = (int32_t)get32(p + 72);
    c->owner = get32(p + 76);
    return 0;
}

size_t toe_proto_counter_encode(const char *name, uint64_t value, uint8_t *out, size_t room)
{
    size_t n = strlen(name);

    if (!n || n > TOE_PROTO_NAME_MAX || room < 8 + n)
        return 0;
    put64(out, value);
    memcpy(out + 8, name, n);
    return 8 + n;
}

int toe_proto_counter_decode(const uint8_t *buf, size_t len, char *name, uint64_t *value)
{
    if (len < 9 || len > 8 + TOE_PROTO_NAME_MAX)
        return -1;
    for (size_t i = 8; i < len; i++)
        if (buf[i] <= ' ' || buf[i] > '~')
            return -1;   /* names are printable words */
    *value = get64(buf);
    memcpy(name, buf + 8, len - 8);
    name[len - 8] = '\0';
    return 0;
}

int toe_proto_read_all(int fd, uint8_t *p, size_t n)
{
    while (n) {
        ssize_t r = read(fd, p, n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}
