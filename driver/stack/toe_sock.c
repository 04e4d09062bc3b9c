/*
 * The sockets API over the stack (driver/include/toe_socket.h, docs/api.md):
 * descriptors, the calls' checks and errno values as Linux returns them, and
 * blocking through the netif's wait. A call that fails changes nothing.
 */
#define _GNU_SOURCE /* struct tcp_info, POLLRDHUP */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toe_ctx.h"
#include "toe_socket.h"
#include "toe_stack_int.h"

/* Descriptors 0-2 are never handed out: scripts written for a kernel (and
 * packetdrill's) expect the first socket to be 3. */
#define FD_FIRST 3

/* The embedded context: the API's calls go straight to this stack. */
struct emb_ctx {
    struct toe_ctx base;
    struct toe_stack *st;
};

#define EMB(c) ((struct emb_ctx *)(c))

void sock_wake(struct toe_stack *st, uint32_t fd)
{
    (void)st;
    (void)fd;   /* single-threaded: a waiter looks again after every wait */
}

static int fail(int e)
{
    errno = e;
    return -1;
}

static struct toe_sock *getsk(struct toe_ctx *c, int fd)
{
    if (!c || fd < FD_FIRST || (uint32_t)fd >= EMB(c)->st->nsk || EMB(c)->st->sk[fd].kind == SK_FREE) {
        errno = EBADF;
        return NULL;
    }
    return &EMB(c)->st->sk[fd];
}

/* The connection of a socket, NULL when it has none. */
static struct toe_tcb *sk_tcb(struct toe_stack *st, const struct toe_sock *s)
{
    return s->kind == SK_CONN && s->tcb != TOE_NONE ? &st->tcb[s->tcb] : NULL;
}

/* Wait for the next thing to happen (or the deadline). 0, or -1 EINTR. */
static int wait_once(struct toe_stack *st, uint64_t deadline)
{
    if (!st->ops.wait || st->ops.wait(st->ops.arg, deadline))
        return fail(EINTR);
    return 0;
}

static int emb_socket(struct toe_ctx *c, int domain, int type, int protocol)
{
    struct toe_stack *st;
    int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (!c)
        return fail(EINVAL);
    st = EMB(c)->st;
    if (domain != AF_INET)
        return fail(EAFNOSUPPORT);
    if (base != SOCK_STREAM)
        return fail(ESOCKTNOSUPPORT);
    if (protocol != 0 && protocol != IPPROTO_TCP)
        return fail(EPROTONOSUPPORT);
    for (uint32_t i = FD_FIRST; i < st->nsk; i++) {
        struct toe_sock *s = &st->sk[i];

        if (s->kind != SK_FREE)
            continue;
        memset(s, 0, sizeof(*s));
        s->kind = SK_NEW;
        s->nonblock = (type & SOCK_NONBLOCK) != 0;
        s->tcb = TOE_NONE;
        s->acq_head = s->acq_tail = TOE_NONE;
        s->owner = st->owner;
        return (int)i;
    }
    return fail(EMFILE);
}

static int get_sin(const struct sockaddr *a, socklen_t len, struct sockaddr_in *out)
{
    if (!a)
        return fail(EFAULT);
    if (len < (socklen_t)sizeof(struct sockaddr_in))
        return fail(EINVAL);
    memcpy(out, a, sizeof(*out));
    if (out->sin_family != AF_INET)
        return fail(EAFNOSUPPORT);
    return 0;
}

static void put_sin(struct sockaddr *a, socklen_t *len, uint32_t ip, uint16_t port)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(ip)};
    socklen_t n;

    if (!a || !len)
        return;
    n = *len < (socklen_t)sizeof(sin) ? *len : (socklen_t)sizeof(sin);
    memcpy(a, &sin, n);
    *len = sizeof(sin);
}

/* Linux's inet_csk_bind_conflict without SO_REUSEPORT: another socket or
 * connection on the port whose address overlaps conflicts, unless both set
 * SO_REUSEADDR and the other is not listening. */
static bool bind_conflict(struct toe_stack *st, uint32_t self, uint32_t addr, uint16_t port, bool reuse)
{
    for (uint32_t i = FD_FIRST; i < st->nsk; i++) {
        const struct toe_sock *o = &st->sk[i];

        if (i == self || o->kind == SK_FREE || !o->bound || o->bport != port)
            continue;
        if (o->kind == SK_CONN)
            continue;   /* its connection is checked below */
        if (addr && o->baddr && addr != o->baddr)
            continue;
        if (reuse && o->reuseaddr && o->kind != SK_LISTEN)
            continue;
        return true;
    }
    if (!st->dm.port_users[port])
        return false;
    for (uint32_t i = 0; i < st->ntcb; i++) {
        const struct toe_tcb *tb = &st->tcb[i];

        if (!tb->used || tb->zombie || tb->t.lport != port)
            continue;
        if (addr && addr != tb->t.laddr)
            continue;
        if (reuse && tb->reuse)
            continue;
        return true;
    }
    return false;
}

static int do_bind(struct toe_stack *st, uint32_t fd, uint32_t addr, uint16_t port)
{
    struct toe_sock *s = &st->sk[fd];

    if (!port) {
        port = toe_ports_bind_any(&st->ports, stk_rand(st), addr, toe_demux_port_unused, &st->dm);
        while (port && bind_conflict(st, fd, addr, port, s->reuseaddr))
            port = 0;   /* the demux knows connections; a bound-only socket also holds it */
        if (!port)
            return fail(EADDRINUSE);
    } else if (bind_conflict(st, fd, addr, port, s->reuseaddr)) {
        return fail(EADDRINUSE);
    }
    s->bound = true;
    s->baddr = addr;
    s->bport = port;
    return 0;
}

static int emb_bind(struct toe_ctx *c, int fd, const struct sockaddr *a, socklen_t len)
{
    struct toe_sock *s = getsk(c, fd);
    struct sockaddr_in sin;
    uint32_t addr;

    if (!s)
        return -1;
    if (get_sin(a, len, &sin))
        return -1;
    if (s->bound || s->kind != SK_NEW)
        return fail(EINVAL);
    addr = ntohl(sin.sin_addr.s_addr);
    if (addr != 0 && addr != EMB(c)->st->cfg.ip)
        return fail(EADDRNOTAVAIL);
    return do_bind(EMB(c)->st, (uint32_t)fd, addr, ntohs(sin.sin_port));
}

static int emb_listen(struct toe_ctx *c, int fd, int backlog)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_stack *st;
    int64_t max;
    int rc;

    if (!s)
        return -1;
    st = EMB(c)->st;
    max = knob(st, TOE_KNOB_CORE_SOMAXCONN);
    if (backlog < 0)
        backlog = 0;
    if (backlog > max)
        backlog = (int)max;
    if (s->kind == SK_LISTEN) {
        s->backlog = backlog;
        return 0;
    }
    if (s->kind != SK_NEW)
        return fail(EINVAL);
    if (!s->bound && do_bind(st, (uint32_t)fd, 0, 0))
        return -1;
    rc = toe_demux_listen(&st->dm, s->baddr, s->bport, (uint32_t)fd);
    if (rc)
        return fail(-rc);
    s->kind = SK_LISTEN;
    s->backlog = backlog;
    s->acq_head = s->acq_tail = TOE_NONE;
    s->acq_len = s->synq_len = 0;
    return 0;
}

static int emb_accept4(struct toe_ctx *c, int fd, struct sockaddr *a, socklen_t *len, int flags)
{
    struct toe_sock *s = getsk(c, fd), *n;
    struct toe_stack *st;
    struct toe_tcb *tb;
    int nfd;

    if (!s)
        return -1;
    st = EMB(c)->st;
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return fail(EINVAL);
    if (s->kind != SK_LISTEN)
        return fail(EINVAL);
    while (!s->acq_len) {
        if (s->nonblock)
            return fail(EAGAIN);
        if (wait_once(st, UINT64_MAX))
            return -1;
        if (s->kind != SK_LISTEN)
            return fail(EINVAL);
    }
    nfd = emb_socket(c, AF_INET, SOCK_STREAM | (flags & SOCK_NONBLOCK), 0);
    if (nfd < 0)
        return -1;
    n = &st->sk[nfd];
    tb = &st->tcb[s->acq_head];
    s->acq_head = tb->q_next;
    if (s->acq_head == TOE_NONE)
        s->acq_tail = TOE_NONE;
    s->acq_len--;
    tb->queued = false;
    tb->listener = TOE_NONE;
    tb->q_next = TOE_NONE;
    tb->fd = (uint32_t)nfd;
    tb->owner = n->owner;
    /* Options a listener passes on to what it accepts (Linux's sk_clone). */
    n->kind = SK_CONN;
    n->tcb = (uint32_t)(tb - st->tcb);
    n->had_conn = true;
    n->bound = true;
    n->baddr = tb->t.laddr;
    n->bport = tb->t.lport;
    n->reuseaddr = s->reuseaddr;
    n->nodelay = s->nodelay;
    n->keepalive = s->keepalive;
    n->linger_on = s->linger_on;
    n->linger_s = s->linger_s;
    n->keepidle_s = s->keepidle_s;
    n->keepintvl_s = s->keepintvl_s;
    n->keepcnt = s->keepcnt;
    n->maxseg = s->maxseg;
    tb->reuse = s->reuseaddr;
    put_sin(a, len, tb->t.raddr, tb->t.rport);
    return nfd;
}

/* tcp_tw_reuse (Linux's tcp_twsk_unique): an outgoing connect may take the
 * 4-tuple of a TIME_WAIT that has timestamps and is over a second old. */
static struct toe_tcb *tw_reusable(struct toe_stack *st, const struct toe_tuple *t)
{
    uint32_t id = toe_demux_lookup(&st->dm, t);
    struct toe_tcb *tb;

    if (id == TOE_DEMUX_NONE)
        return NULL;
    tb = &st->tcb[id];
    if (tb->state != TOE_TCP_TIME_WAIT || knob(st, TOE_KNOB_TCP_TW_REUSE) != 1 || !tb->ts_ok ||
        stk_now(st) - tb->tw_since < TOE_TW_REUSE_AGE_NS)
        return NULL;
    return tb;
}

static int connect_tuple_free(void *arg, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    struct toe_stack *st = arg;
    struct toe_tuple t = {.laddr = laddr, .raddr = raddr, .lport = lport, .rport = rport};

    if (toe_demux_tuple_free(&st->dm, laddr, lport, raddr, rport))
        return 1;
    return tw_reusable(st, &t) != NULL;
}

static int wait_connected(struct toe_ctx *c, struct toe_sock *s)
{
    struct toe_stack *st = EMB(c)->st;
    struct toe_tcb *tb;

    while ((tb = sk_tcb(st, s)) && !tb->zombie &&
           (tb->state == TOE_TCP_SYN_SENT || tb->state == TOE_TCP_SYN_RECV)) {
        if (wait_once(st, UINT64_MAX))
            return -1;
    }
    tb = sk_tcb(st, s);
    if (!tb || tb->zombie) {
        int e = tb && tb->so_error ? tb->so_error : ECONNREFUSED;

        if (tb)
            tb->so_error = 0;
        return fail(e);
    }
    return 0;
}

static int emb_connect(struct toe_ctx *c, int fd, const struct sockaddr *a, socklen_t len)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_stack *st;
    struct sockaddr_in sin;
    struct toe_tuple t;
    struct toe_tcb *tb, *tw;
    struct toe_tuple4 t4;
    uint32_t tw_isn = 0, tw_ts = 0;
    bool reuse_tw = false;

    if (!s)
        return -1;
    st = EMB(c)->st;
    if (s->kind == SK_LISTEN)
        return fail(EISCONN);
    if (s->kind == SK_CONN) {
        tb = sk_tcb(st, s);
        if (tb && !tb->zombie && (tb->state == TOE_TCP_SYN_SENT || tb->state == TOE_TCP_SYN_RECV))
            return s->nonblock ? fail(EALREADY) : wait_connected(c, s);
        return fail(EISCONN);
    }
    if (get_sin(a, len, &sin))
        return -1;
    t.raddr = ntohl(sin.sin_addr.s_addr);
    t.rport = ntohs(sin.sin_port);
    t.laddr = st->cfg.ip;
    if (!t.rport || !t.raddr)
        return fail(ECONNREFUSED);
    if (s->bound) {
        t.lport = s->bport;
        if (!toe_demux_tuple_free(&st->dm, t.laddr, t.lport, t.raddr, t.rport)) {
            if (!tw_reusable(st, &t))
                return fail(EADDRNOTAVAIL);
        }
    } else {
        struct toe_tuple4 h = {.local_ip = t.laddr, .remote_ip = t.raddr, .remote_port = t.rport};

        t.lport = toe_ports_connect(&st->ports, toe_isn_hash(&st->isn, &h), t.laddr, t.raddr, t.rport,
                                    connect_tuple_free, st);
        if (!t.lport)
            return fail(EADDRNOTAVAIL);
    }
    tw = tw_reusable(st, &t);
    if (tw) {
        /* The new connection starts past the old one's sequence space and
         * keeps its TS.Recent, so old duplicates stay out (PAWS). */
        tw_isn = tw->snd_nxt + 65535u + 2u;
        tw_ts = tw->ts_recent;
        reuse_tw = true;
        MIB_INC(st, MIB_TW_RECYCLED);
        tcb_destroy(st, tw);
    }
    tb = tcb_alloc(st, &t);
    if (!tb)
        return fail(ENOBUFS);
    tb->fd = (uint32_t)fd;
    tb->reuse = s->reuseaddr;
    t4 = (struct toe_tuple4){.local_ip = t.laddr, .remote_ip = t.raddr, .local_port = t.lport,
                             .remote_port = t.rport};
    tb->iss = reuse_tw ? tw_isn : toe_isn_generate(&st->isn, &t4, stk_now(st));
    tb->snd_una = tb->iss;
    tb->snd_nxt = tb->snd_max = tb->iss + 1;
    tcb_offer_options(st, tb);
    if (reuse_tw)
        tb->ts_recent = tw_ts;
    tb->rbuf_cap = tb->rcv_wnd0;
    s->kind = SK_CONN;
    s->tcb = (uint32_t)(tb - st->tcb);
    s->had_conn = true;
    s->bound = true;
    s->baddr = t.laddr;
    s->bport = t.lport;
    tcb_set_state(st, tb, TOE_TCP_SYN_SENT);
    MIB_INC(st, MIB_ACTIVE_OPENS);
    tcp_send_syn(st, tb);
    tcp_rtx_arm(st, tb);
    if (s->nonblock)
        return fail(EINPROGRESS);
    return wait_connected(c, s);
}

/* The error a call on a connection that went reports once (Linux's
 * sock_error: read and cleared). */
static int take_error(struct toe_tcb *tb)
{
    int e = tb ? tb->so_error : 0;

    if (tb)
        tb->so_error = 0;
    return e;
}

static ssize_t emb_send(struct toe_ctx *c, int fd, const void *buf, size_t len, int flags)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_stack *st;
    struct toe_tcb *tb;
    size_t done = 0;
    int e;

    if (!s)
        return -1;
    st = EMB(c)->st;
    if (flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE))
        return fail(EOPNOTSUPP);
    if (len && !buf)
        return fail(EFAULT);
    for (;;) {
        tb = sk_tcb(st, s);
        if (!tb)
            return fail(s->had_conn ? EPIPE : ENOTCONN);
        if ((e = take_error(tb)))
            return fail(e);
        if (tb->zombie || tb->fin_queued)
            return fail(EPIPE);
        if (tb->state == TOE_TCP_ESTABLISHED || tb->state == TOE_TCP_CLOSE_WAIT) {
            uint32_t room = tb->sbuf_cap - tb->sbuf_len, n;

            if (room && !tb->sbuf) {
                tb->sbuf = malloc(tb->sbuf_cap);
                if (!tb->sbuf)
                    return fail(ENOBUFS);
            }
            n = (uint32_t)((len - done) < room ? (len - done) : room);
            memcpy(tb->sbuf + tb->sbuf_len, (const uint8_t *)buf + done, n);
            tb->sbuf_len += n;
            done += n;
            if (n)
                tcp_output(st, tb);
            if (done == len)
                return (ssize_t)done;
        } else if (tb->state != TOE_TCP_SYN_SENT && tb->state != TOE_TCP_SYN_RECV) {
            return fail(EPIPE);
        }
        if (s->nonblock || (flags & MSG_DONTWAIT))
            return done ? (ssize_t)done : fail(EAGAIN);
        if (wait_once(st, UINT64_MAX))
            return done ? (ssize_t)done : -1;
    }
}

static ssize_t emb_recv(struct toe_ctx *c, int fd, void *buf, size_t len, int flags)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_stack *st;
    struct toe_tcb *tb;
    int e;

    if (!s)
        return -1;
    st = EMB(c)->st;
    if (flags & ~(MSG_DONTWAIT | MSG_PEEK | MSG_NOSIGNAL))
        return fail(EOPNOTSUPP);
    if (len && !buf)
        return fail(EFAULT);
    if (s->kind == SK_LISTEN)
        return fail(ENOTCONN);
    for (;;) {
        tb = sk_tcb(st, s);
        if (!tb)
            return s->had_conn ? 0 : fail(ENOTCONN);
        if (tb->rbuf_len) {
            uint32_t n = (uint32_t)(len < tb->rbuf_len ? len : tb->rbuf_len);
            uint32_t before = tcp_rcv_window(tb);

            for (uint32_t i = 0; i < n; i++)
                ((uint8_t *)buf)[i] = tb->rbuf[(tb->rbuf_head + i) % tb->rbuf_cap];
            if (!(flags & MSG_PEEK)) {
                tb->rbuf_head = (tb->rbuf_head + n) % tb->rbuf_cap;
                tb->rbuf_len -= n;
                if (!tb->rbuf_len) {
                    /* An idle connection keeps no buffer (docs/perf.md, memory). */
                    free(tb->rbuf);
                    tb->rbuf = NULL;
                    tb->rbuf_head = 0;
                }
                if (tb->hw >= 0 && st->ops.offload_read)
                    st->ops.offload_read(st->ops.arg, tb->hw, tb->rcv_nxt - tb->rbuf_len);
                /* RFC 9293 3.8.6.2.2: tell the peer when the window opened
                 * by at least an MSS (or half the buffer) from a small one. */
                if (!tb->zombie && tcp_rcv_window(tb) - before >= tb->adv_mss && before < tb->adv_mss)
                    tcp_send_ack(st, tb);
            }
            return (ssize_t)n;
        }
        /* Linux's tcp_recvmsg: the end of the stream (the FIN came) before
         * a pending error, the error before a reset connection's end. */
        if (tb->rcv_fin)
            return 0;
        if ((e = take_error(tb)))
            return fail(e);
        if (tb->shut_rd || tb->zombie)
            return 0;
        if (!len)
            return 0;
        if (s->nonblock || (flags & MSG_DONTWAIT))
            return fail(EAGAIN);
        if (wait_once(st, UINT64_MAX))
            return -1;
    }
}

/* Our FIN follows the data (RFC 9293 3.10.4 CLOSE): ESTABLISHED ->
 * FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK, a SYN_RECV of a simultaneous open ->
 * FIN_WAIT_1; a SYN_SENT just ends. */
static void close_write(struct toe_stack *st, struct toe_tcb *tb)
{
    if (tb->fin_queued)
        return;
    switch (tb->state) {
    case TOE_TCP_SYN_SENT:
        tcb_destroy(st, tb);
        return;
    case TOE_TCP_SYN_RECV:
    case TOE_TCP_ESTABLISHED:
        tcb_set_state(st, tb, TOE_TCP_FIN_WAIT1);
        break;
    case TOE_TCP_CLOSE_WAIT:
        tcb_set_state(st, tb, TOE_TCP_LAST_ACK);
        break;
    default:
        return;
    }
    tb->fin_queued = true;
    tb->delack_at = 0;
    timer_update(st, tb);
    tcp_output(st, tb);
}

static int emb_shutdown(struct toe_ctx *c, int fd, int how)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_tcb *tb;

    if (!s)
        return -1;
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return fail(EINVAL);
    tb = sk_tcb(EMB(c)->st, s);
    if (tb && tb->hw >= 0 && EMB(c)->st->ops.offload_pull)
        EMB(c)->st->ops.offload_pull(EMB(c)->st->ops.arg, tb->hw);
    if (!tb || tb->zombie) {
        if (s->kind == SK_LISTEN && how != SHUT_WR) {
            /* Linux: shutting down a listener's reading stops it. */
            return 0;
        }
        return fail(ENOTCONN);
    }
    if (how != SHUT_WR)
        tb->shut_rd = true;
    if (how != SHUT_RD)
        close_write(EMB(c)->st, tb);
    return 0;
}

static bool abort_conn(struct toe_stack *st, struct toe_tcb *tb, enum toe_mib why)
{
    bool rst = tb->state == TOE_TCP_ESTABLISHED || tb->state == TOE_TCP_CLOSE_WAIT ||
               tb->state == TOE_TCP_FIN_WAIT1 || tb->state == TOE_TCP_FIN_WAIT2 ||
               tb->state == TOE_TCP_SYN_RECV || tb->state == TOE_TCP_CLOSING || tb->state == TOE_TCP_LAST_ACK;

    MIB_INC(st, why);
    if (rst)
        tcp_send_rst_tcb(st, tb);
    return rst;
}

static int emb_close(struct toe_ctx *c, int fd)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_stack *st;
    struct toe_tcb *tb;

    if (!s)
        return -1;
    st = EMB(c)->st;
    if (s->kind == SK_LISTEN) {
        toe_demux_unlisten(&st->dm, s->baddr, s->bport);
        s->kind = SK_FREE;   /* before the children go: nothing queues to it now */
        tcp_listener_close(st, (uint32_t)fd);
        return 0;
    }
    tb = sk_tcb(st, s);
    if (tb && tb->hw >= 0 && st->ops.offload_pull)
        st->ops.offload_pull(st->ops.arg, tb->hw);   /* placed data decides FIN or RST */
    if (tb && tb->zombie) {
        tcb_free(st, tb);
    } else if (tb) {
        if (tb->rbuf_len) {
            /* RFC 2525 2.17 and Linux: unread data makes close a reset. */
            abort_conn(st, tb, MIB_TCP_ABORT_ON_CLOSE);
            tb->fd = TOE_NONE;
            tcb_destroy(st, tb);
        } else if (s->linger_on && s->linger_s == 0) {
            /* SO_LINGER {1, 0}: a reset and no TIME_WAIT (S18). Linux
             * counts it as TCPAbortOnData. */
            abort_conn(st, tb, MIB_TCP_ABORT_ON_DATA);
            tb->fd = TOE_NONE;
            tcb_destroy(st, tb);
        } else {
            close_write(st, tb);
            if (tb->used && !tb->zombie) {
                if (s->linger_on && !s->nonblock) {
                    /* A lingering close waits for the FIN to be acknowledged,
                     * at most l_linger seconds. */
                    uint64_t end = stk_now(st) + (uint64_t)s->linger_s * TOE_SEC;

                    while (tb->used && !tb->zombie && tb->fd == (uint32_t)fd &&
                           (tb->state == TOE_TCP_FIN_WAIT1 || tb->state == TOE_TCP_LAST_ACK ||
                            tb->state == TOE_TCP_CLOSING) && stk_now(st) < end) {
                        if (wait_once(st, end))
                            break;
                    }
                }
            }
            if (tb->used && tb->zombie) {
                tcb_free(st, tb);
            } else if (tb->used) {
                tb->fd = TOE_NONE;
                tb->orphan = true;
                MIB_INC(st, MIB_TCP_ORPHANS);
                if (tb->state == TOE_TCP_FIN_WAIT2) {
                    tb->tw_at = stk_now(st) + (uint64_t)knob(st, TOE_KNOB_TCP_FIN_TIMEOUT) * TOE_SEC;
                    timer_update(st, tb);
                }
            }
        }
    }
    s->kind = SK_FREE;
    return 0;
}

static int opt_int(const void *val, socklen_t len, int *out)
{
    if (!val)
        return fail(EFAULT);
    if (len < (socklen_t)sizeof(int))
        return fail(EINVAL);
    memcpy(out, val, sizeof(int));
    return 0;
}

static int emb_setsockopt(struct toe_ctx *c, int fd, int level, int name, const void *val, socklen_t len)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_tcb *tb;
    int v = 0;

    if (!s)
        return -1;
    tb = sk_tcb(EMB(c)->st, s);
    if (level == SOL_SOCKET && name == SO_LINGER) {
        struct linger l;

        if (!val)
            return fail(EFAULT);
        if (len < (socklen_t)sizeof(l))
            return fail(EINVAL);
        memcpy(&l, val, sizeof(l));
        s->linger_on = l.l_onoff != 0;
        s->linger_s = l.l_linger < 0 ? 0 : l.l_linger;
        return 0;
    }
    if (opt_int(val, len, &v))
        return -1;
    if (level == SOL_SOCKET) {
        switch (name) {
        case SO_REUSEADDR:
            s->reuseaddr = v != 0;
            if (tb)
                tb->reuse = s->reuseaddr;
            return 0;
        case SO_KEEPALIVE:
            s->keepalive = v != 0;
            return 0;
        case SO_RCVBUF:
        case SO_SNDBUF:
            /* Linux doubles the value for its bookkeeping (socket(7)). */
            if (v < 0)
                v = 0;
            v = v > (1 << 29) ? (1 << 30) : v * 2;
            if (name == SO_RCVBUF)
                s->rcvbuf = v < 2304 ? 2304 : v;
            else
                s->sndbuf = v < 4608 ? 4608 : v;
            return 0;
        default:
            return fail(ENOPROTOOPT);
        }
    }
    if (level == IPPROTO_TCP) {
        switch (name) {
        case TCP_NODELAY:
            s->nodelay = v != 0;
            return 0;
        case TCP_MAXSEG:
            /* Linux: 0 clears; otherwise TCP_MIN_MSS (88) to 32767. */
            if (v && (v < 88 || v > 32767))
                return fail(EINVAL);
            s->maxseg = v;
            return 0;
        case TCP_KEEPIDLE:
        case TCP_KEEPINTVL:
            if (v < 1 || v > 32767)
                return fail(EINVAL);
            if (name == TCP_KEEPIDLE)
                s->keepidle_s = v;
            else
                s->keepintvl_s = v;
            return 0;
        case TCP_KEEPCNT:
            if (v < 1 || v > 127)
                return fail(EINVAL);
            s->keepcnt = v;
            return 0;
        default:
            return fail(ENOPROTOOPT);
        }
    }
    return fail(ENOPROTOOPT);
}

static int put_int(void *val, socklen_t *len, int v)
{
    if (!val || !len)
        return fail(EFAULT);
    if (*len < (socklen_t)sizeof(int))
        return fail(EINVAL);
    memcpy(val, &v, sizeof(int));
    *len = sizeof(int);
    return 0;
}

static int tcp_info(struct toe_stack *st, const struct toe_sock *s, void *val, socklen_t *len)
{
    struct tcp_info ti;
    const struct toe_tcb *tb = sk_tcb(st, s);
    socklen_t n;

    if (!val || !len)
        return fail(EFAULT);
    memset(&ti, 0, sizeof(ti));
    ti.tcpi_state = (uint8_t)(s->kind == SK_LISTEN ? TOE_TCP_LISTEN : tb ? tb->state : TOE_TCP_CLOSE);
    if (tb) {
        ti.tcpi_retransmits = tb->retries;
        ti.tcpi_backoff = tb->retries;
        ti.tcpi_options = (uint8_t)((tb->ts_ok ? TCPI_OPT_TIMESTAMPS : 0) | (tb->sack_ok ? TCPI_OPT_SACK : 0) |
                                    (tb->ws_ok ? TCPI_OPT_WSCALE : 0));
        ti.tcpi_snd_wscale = tb->snd_wscale;
        ti.tcpi_rcv_wscale = tb->rcv_wscale;
        ti.tcpi_rto = (uint32_t)(tb->rto_ns / 1000);
        ti.tcpi_rtt = (uint32_t)(tb->srtt_ns / 1000);
        ti.tcpi_rttvar = (uint32_t)(tb->rttvar_ns / 1000);
        ti.tcpi_snd_mss = tb->snd_mss;
        ti.tcpi_rcv_mss = tb->adv_mss;
        ti.tcpi_unacked = tb->snd_nxt != tb->snd_una;
        ti.tcpi_snd_cwnd = 10;
        ti.tcpi_total_retrans = tb->total_retrans;
    }
    n = *len < (socklen_t)sizeof(ti) ? *len : (socklen_t)sizeof(ti);
    memcpy(val, &ti, n);
    *len = n;
    return 0;
}

static int emb_getsockopt(struct toe_ctx *c, int fd, int level, int name, void *val, socklen_t *len)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_tcb *tb;

    if (!s)
        return -1;
    tb = sk_tcb(EMB(c)->st, s);
    if (level == SOL_SOCKET) {
        switch (name) {
        case SO_ERROR: {
            int e = tb ? take_error(tb) : s->so_error;

            s->so_error = 0;
            return put_int(val, len, e);
        }
        case SO_TYPE:
            return put_int(val, len, SOCK_STREAM);
        case SO_REUSEADDR:
            return put_int(val, len, s->reuseaddr);
        case SO_KEEPALIVE:
            return put_int(val, len, s->keepalive);
        case SO_ACCEPTCONN:
            return put_int(val, len, s->kind == SK_LISTEN);
        case SO_RCVBUF:
            return put_int(val, len, s->rcvbuf ? s->rcvbuf : (int)knob_i(EMB(c)->st, TOE_KNOB_TCP_RMEM, 1));
        case SO_SNDBUF:
            return put_int(val, len, s->sndbuf ? s->sndbuf : (int)knob_i(EMB(c)->st, TOE_KNOB_TCP_WMEM, 1));
        case SO_LINGER: {
            struct linger l = {.l_onoff = s->linger_on, .l_linger = s->linger_s};

            if (!val || !len)
                return fail(EFAULT);
            if (*len < (socklen_t)sizeof(l))
                return fail(EINVAL);
            memcpy(val, &l, sizeof(l));
            *len = sizeof(l);
            return 0;
        }
        default:
            return fail(ENOPROTOOPT);
        }
    }
    if (level == IPPROTO_TCP) {
        switch (name) {
        case TCP_NODELAY:
            return put_int(val, len, s->nodelay);
        case TCP_MAXSEG:
            /* Linux: the current send MSS once connected, else what the
             * user set or TCP_MSS_DEFAULT (536). */
            return put_int(val, len, tb && !tb->zombie && tb->snd_mss ? tb->snd_mss : s->maxseg ? s->maxseg : 536);
        case TCP_KEEPIDLE:
            return put_int(val, len, s->keepidle_s ? s->keepidle_s : (int)knob(EMB(c)->st, TOE_KNOB_TCP_KEEPALIVE_TIME));
        case TCP_KEEPINTVL:
            return put_int(val, len,
                           s->keepintvl_s ? s->keepintvl_s : (int)knob(EMB(c)->st, TOE_KNOB_TCP_KEEPALIVE_INTVL));
        case TCP_KEEPCNT:
            return put_int(val, len, s->keepcnt ? s->keepcnt : (int)knob(EMB(c)->st, TOE_KNOB_TCP_KEEPALIVE_PROBES));
        case TCP_INFO:
            return tcp_info(EMB(c)->st, s, val, len);
        default:
            return fail(ENOPROTOOPT);
        }
    }
    return fail(ENOPROTOOPT);
}

static int emb_getsockname(struct toe_ctx *c, int fd, struct sockaddr *a, socklen_t *len)
{
    struct toe_sock *s = getsk(c, fd);

    if (!s)
        return -1;
    if (!a || !len)
        return fail(EFAULT);
    put_sin(a, len, s->baddr, s->bport);
    return 0;
}

static int emb_getpeername(struct toe_ctx *c, int fd, struct sockaddr *a, socklen_t *len)
{
    struct toe_sock *s = getsk(c, fd);
    struct toe_tcb *tb;

    if (!s)
        return -1;
    tb = sk_tcb(EMB(c)->st, s);
    if (!tb || tb->zombie || tb->state == TOE_TCP_SYN_SENT)
        return fail(ENOTCONN);
    if (!a || !len)
        return fail(EFAULT);
    put_sin(a, len, tb->t.raddr, tb->t.rport);
    return 0;
}

static int emb_fcntl(struct toe_ctx *c, int fd, int cmd, int arg)
{
    struct toe_sock *s = getsk(c, fd);

    if (!s)
        return -1;
    if (cmd == F_GETFL)
        return O_RDWR | (s->nonblock ? O_NONBLOCK : 0);
    if (cmd == F_SETFL) {
        s->nonblock = (arg & O_NONBLOCK) != 0;
        return 0;
    }
    return fail(EINVAL);
}

static short poll_one(struct toe_stack *st, int fd)
{
    const struct toe_sock *s;
    const struct toe_tcb *tb;
    short m = 0;

    if (fd < FD_FIRST || (uint32_t)fd >= st->nsk || st->sk[fd].kind == SK_FREE)
        return POLLNVAL;
    s = &st->sk[fd];
    if (s->kind == SK_LISTEN)
        return s->acq_len ? POLLIN : 0;
    tb = sk_tcb(st, s);
    if (!tb)
        return (short)(POLLOUT | POLLHUP);   /* Linux's tcp_poll of a TCP_CLOSE socket */
    if (tb->so_error)
        m |= POLLERR;
    if (tb->zombie)
        return (short)(m | POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
    if (tb->state == TOE_TCP_SYN_SENT || tb->state == TOE_TCP_SYN_RECV)
        return m;
    if (tb->rbuf_len || tb->rcv_fin || tb->shut_rd)
        m |= POLLIN;
    if (tb->rcv_fin)
        m |= POLLRDHUP;
    if (tb->rcv_fin && tb->fin_queued)
        m |= POLLHUP;
    if (!tb->fin_queued && tb->sbuf_len < tb->sbuf_cap)
        m |= POLLOUT;
    else if (tb->fin_queued)
        m |= POLLOUT;   /* writing fails at once with EPIPE: it does not block */
    return m;
}

static int emb_poll(struct toe_ctx *c, struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
    struct toe_stack *st;
    uint64_t end;

    if (!c)
        return fail(EINVAL);
    if (nfds && !fds)
        return fail(EFAULT);
    st = EMB(c)->st;
    end = timeout_ms < 0 ? UINT64_MAX : stk_now(st) + (uint64_t)timeout_ms * TOE_MS;
    for (;;) {
        int n = 0;

        for (nfds_t i = 0; i < nfds; i++) {
            /* poll(2): a negative descriptor is ignored (revents 0). */
            short m = fds[i].fd < 0 ? 0 : poll_one(st, fds[i].fd);

            if (fds[i].fd < 0) {
                fds[i].revents = 0;
                continue;
            }

            fds[i].revents = (short)(m & (fds[i].events | POLLERR | POLLHUP | POLLNVAL));
            if (fds[i].revents)
                n++;
        }
        if (n || !timeout_ms || stk_now(st) >= end)
            return n;
        if (wait_once(st, end))
            return -1;
    }
}

void toe_stack_close_owner(struct toe_stack *st, uint32_t owner)
{
    for (uint32_t i = FD_FIRST; i < st->nsk; i++) {
        struct toe_sock *s = &st->sk[i];

        if (s->kind != SK_FREE && s->owner == owner) {
            /* As the kernel's close of an exiting process's files: never a
             * lingering wait on toed's thread. */
            s->nonblock = true;
            emb_close(st->ctx, (int)i);
        }
    }
}

static const struct toe_ctx_ops emb_ops = {
    .name = "embedded",
    .socket = emb_socket,
    .bind = emb_bind,
    .listen = emb_listen,
    .accept4 = emb_accept4,
    .connect = emb_connect,
    .send = emb_send,
    .recv = emb_recv,
    .shutdown = emb_shutdown,
    .close = emb_close,
    .setsockopt = emb_setsockopt,
    .getsockopt = emb_getsockopt,
    .getsockname = emb_getsockname,
    .getpeername = emb_getpeername,
    .fcntl = emb_fcntl,
    .poll = emb_poll,
};

struct toe_ctx *sock_ctx_new(struct toe_stack *st)
{
    struct emb_ctx *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->base.ops = &emb_ops;
    c->st = st;
    return &c->base;
}

void sock_ctx_free(struct toe_ctx *c) { free(EMB(c)); }
