/*
 * toed's socket calls (docs/api.md, "The toed protocol"): each request runs
 * against the stack without ever waiting - the stack's sockets are all
 * non-blocking, sends and receives go MSG_DONTWAIT - and a call that the
 * client made blocking, and that would have waited (EAGAIN, a connect in
 * progress, a poll with nothing ready), is parked: toed_serve returns 0 and
 * is called again after every step of the device until it has its answer.
 *
 * Descriptors are per client: one the client did not make is EBADF (in
 * poll: POLLNVAL), whoever made it.
 */
#define _GNU_SOURCE /* POLLRDHUP */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>

#include "toe_dev_drv.h"
#include "toe_socket.h"
#include "toe_stack.h"
#include "toed.h"

/* The call is answered: the reply, and the client may send its next one. */
static int done(struct toed *t, struct toed_client *c, int64_t ret, const void *pay, uint32_t plen)
{
    c->busy = 0;
    toed_reply(t, c, ret, ret < 0 ? errno : 0, pay, plen);
    return 1;
}

static int fail(struct toed *t, struct toed_client *c, int e)
{
    errno = e;
    return done(t, c, -1, NULL, 0);
}

static int owned(const struct toed *t, const struct toed_client *c, int fd)
{
    return fd >= 0 && (unsigned)fd < t->max_fds && (c->own[fd] & TOED_OWN);
}

static int blocking(const struct toed_client *c, int fd, int flags)
{
    return !(c->own[fd] & TOED_NONBLOCK) && !(flags & MSG_DONTWAIT);
}

/* A descriptor the stack just made for the client. */
static int adopt(struct toed *t, struct toed_client *c, int fd, int nonblock)
{
    if (fd < 0 || (unsigned)fd >= t->max_fds) {
        if (fd >= 0)
            toe_close(t->ctx, fd);
        return -1;
    }
    c->own[fd] = (uint8_t)(TOED_OWN | (nonblock ? TOED_NONBLOCK : 0));
    return fd;
}

static int op_socket(struct toed *t, struct toed_client *c)
{
    int type = c->req.a[1], fd;

    toe_stack_set_owner(t->st, c->owner);
    fd = toe_socket(t->ctx, c->req.a[0], type | SOCK_NONBLOCK, c->req.a[2]);
    if (fd < 0)
        return done(t, c, -1, NULL, 0);
    if (adopt(t, c, fd, type & SOCK_NONBLOCK) < 0)
        return fail(t, c, EMFILE);
    return done(t, c, fd, NULL, 0);
}

static int op_accept(struct toed *t, struct toed_client *c, int fd)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    int flags = c->req.a[0], n;

    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return fail(t, c, EINVAL);
    toe_stack_set_owner(t->st, c->owner);
    n = toe_accept4(t->ctx, fd, (struct sockaddr *)&sa, &len, flags | SOCK_NONBLOCK);
    if (n < 0) {
        if (errno == EAGAIN && blocking(c, fd, 0))
            return 0;
        return done(t, c, -1, NULL, 0);
    }
    if (adopt(t, c, n, flags & SOCK_NONBLOCK) < 0)
        return fail(t, c, EMFILE);
    return done(t, c, n, &sa, c->req.a[1] ? (uint32_t)len : 0);
}

/*
 * A blocking connect: the first try starts it (EINPROGRESS on the stack's
 * non-blocking socket); a retry looks whether it ended, as a non-blocking
 * caller would - poll for POLLOUT, then SO_ERROR.
 */
static int op_connect(struct toed *t, struct toed_client *c, int fd, int retry)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    socklen_t el = sizeof(int);
    int e = 0;

    if (!retry) {
        if (c->req.plen < sizeof(sa_family_t))
            return fail(t, c, EINVAL);
        if (!toe_connect(t->ctx, fd, (const struct sockaddr *)c->pay, (socklen_t)c->req.plen))
            return done(t, c, 0, NULL, 0);
        if (errno != EINPROGRESS || !blocking(c, fd, 0))
            return done(t, c, -1, NULL, 0);
        return 0;
    }
    if (toe_poll(t->ctx, &p, 1, 0) < 0)
        return done(t, c, -1, NULL, 0);
    if (!p.revents)
        return 0;
    if (toe_getsockopt(t->ctx, fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
        return done(t, c, -1, NULL, 0);
    if (e)
        return fail(t, c, e);
    if (p.revents & POLLHUP)
        return fail(t, c, ECONNREFUSED);   /* it went without a reason left (the stack's wait_connected) */
    return done(t, c, 0, NULL, 0);
}

/* A blocking send takes everything or fails: pieces as room opens. */
static int op_send(struct toed *t, struct toed_client *c, int fd)
{
    int flags = c->req.a[0];
    ssize_t n;

    for (;;) {
        n = toe_send(t->ctx, fd, c->shm + c->req.off + c->sent, c->req.len - c->sent, flags | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN && blocking(c, fd, flags))
                return 0;
            return c->sent ? done(t, c, c->sent, NULL, 0) : done(t, c, -1, NULL, 0);
        }
        c->sent += (uint32_t)n;
        if (c->sent == c->req.len || !blocking(c, fd, flags))
            return done(t, c, c->sent, NULL, 0);
        if (n == 0)
            return 0;
    }
}

static int op_recv(struct toed *t, struct toed_client *c, int fd)
{
    int flags = c->req.a[0];
    ssize_t n = toe_recv(t->ctx, fd, c->shm + c->req.off, c->req.len, flags | MSG_DONTWAIT);

    if (n < 0 && errno == EAGAIN && blocking(c, fd, flags))
        return 0;
    return done(t, c, n, NULL, 0);
}

static int op_fcntl(struct toed *t, struct toed_client *c, int fd)
{
    int cmd = c->req.a[0], arg = c->req.a[1], r;

    if (cmd == F_SETFL) {
        /* The client's flag is ours to keep; the stack's socket stays
         * non-blocking. */
        if ((r = toe_fcntl(t->ctx, fd, F_SETFL, arg | O_NONBLOCK)) < 0)
            return done(t, c, -1, NULL, 0);
        c->own[fd] = (uint8_t)(TOED_OWN | ((arg & O_NONBLOCK) ? TOED_NONBLOCK : 0));
        return done(t, c, 0, NULL, 0);
    }
    if ((r = toe_fcntl(t->ctx, fd, cmd, arg)) < 0)
        return done(t, c, -1, NULL, 0);
    if (cmd == F_GETFL)
        r = (r & ~O_NONBLOCK) | ((c->own[fd] & TOED_NONBLOCK) ? O_NONBLOCK : 0);
    return done(t, c, r, NULL, 0);
}

/*
 * poll: every pollfd asked of the stack at once (timeout 0); another
 * client's descriptor is POLLNVAL, a negative one is skipped (poll(2)).
 * Parked until something is ready or the timeout (device time) passes.
 */
static int op_poll(struct toed *t, struct toed_client *c, int retry)
{
    uint32_t n = (uint32_t)c->req.a[0];
    struct pollfd p[TOE_PROTO_POLL_MAX];
    uint8_t out[TOE_PROTO_PAYLOAD_MAX];
    int ready = 0;

    if (!retry) {
        int ms = c->req.a[1];

        c->deadline_ns = ms < 0 ? UINT64_MAX : toe_drv_now_ns(t->drv) + (uint64_t)ms * 1000000u;
    }
    for (uint32_t i = 0; i < n; i++) {
        int16_t ev;

        memcpy(&p[i].fd, c->pay + 8 * i, 4);
        memcpy(&ev, c->pay + 8 * i + 4, 2);
        p[i].events = ev;
        p[i].revents = 0;
        if (p[i].fd >= 0 && !owned(t, c, p[i].fd)) {
            p[i].revents = POLLNVAL;
            ready++;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (p[i].fd < 0 || p[i].revents)
            continue;
        if (toe_poll(t->ctx, &p[i], 1, 0) < 0)
            return done(t, c, -1, NULL, 0);
        if (p[i].revents)
            ready++;
    }
    if (!ready && toe_drv_now_ns(t->drv) < c->deadline_ns && c->req.a[1] != 0)
        return 0;
    memcpy(out, c->pay, n * 8u);
    for (uint32_t i = 0; i < n; i++)
        memcpy(out + 8 * i + 6, &p[i].revents, 2);
    return done(t, c, ready, out, n * 8u);
}

static int op_getsockopt(struct toed *t, struct toed_client *c, int fd)
{
    uint8_t val[TOE_PROTO_PAYLOAD_MAX];
    socklen_t len = (socklen_t)(c->req.a[2] > (int)sizeof(val) ? (int)sizeof(val) : c->req.a[2]);

    if (toe_getsockopt(t->ctx, fd, c->req.a[0], c->req.a[1], val, &len) < 0)
        return done(t, c, -1, NULL, 0);
    return done(t, c, 0, val, (uint32_t)len);
}

static int op_name(struct toed *t, struct toed_client *c, int fd)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    int r = c->req.op == TOE_OP_GETSOCKNAME ? toe_getsockname(t->ctx, fd, (struct sockaddr *)&sa, &len)
                                            : toe_getpeername(t->ctx, fd, (struct sockaddr *)&sa, &len);

    if (r < 0)
        return done(t, c, -1, NULL, 0);
    return done(t, c, 0, &sa, (uint32_t)len);
}

int toed_serve(struct toed *t, struct toed_client *c)
{
    int fd = c->req.fd, retry = c->busy == 2;

    c->busy = 2;   /* from now on a call of this request is a retry */
    if (c->req.op == TOE_OP_SOCKET)
        return op_socket(t, c);
    if (c->req.op == TOE_OP_POLL)
        return op_poll(t, c, retry);
    if (!owned(t, c, fd))
        return fail(t, c, EBADF);
    switch (c->req.op) {
    case TOE_OP_BIND:
        return done(t, c, toe_bind(t->ctx, fd, (const struct sockaddr *)c->pay, (socklen_t)c->req.plen), NULL, 0);
    case TOE_OP_LISTEN:
        return done(t, c, toe_listen(t->ctx, fd, c->req.a[0]), NULL, 0);
    case TOE_OP_ACCEPT:
        return op_accept(t, c, fd);
    case TOE_OP_CONNECT:
        return op_connect(t, c, fd, retry);
    case TOE_OP_SEND:
        return op_send(t, c, fd);
    case TOE_OP_RECV:
        return op_recv(t, c, fd);
    case TOE_OP_SHUTDOWN:
        return done(t, c, toe_shutdown(t->ctx, fd, c->req.a[0]), NULL, 0);
    case TOE_OP_CLOSE:
        /* Never a lingering wait here: the FIN goes, the rest happens in
         * toed (docs/api.md: SO_LINGER through toed). */
        toe_fcntl(t->ctx, fd, F_SETFL, O_NONBLOCK);
        c->own[fd] = 0;
        return done(t, c, toe_close(t->ctx, fd), NULL, 0);
    case TOE_OP_SETSOCKOPT:
        return done(t, c, toe_setsockopt(t->ctx, fd, c->req.a[0], c->req.a[1], c->pay, (socklen_t)c->req.plen),
                    NULL, 0);
    case TOE_OP_GETSOCKOPT:
        return op_getsockopt(t, c, fd);
    case TOE_OP_GETSOCKNAME:
    case TOE_OP_GETPEERNAME:
        return op_name(t, c, fd);
    case TOE_OP_FCNTL:
        return op_fcntl(t, c, fd);
    default:
        return fail(t, c, EOPNOTSUPP);
    }
}
