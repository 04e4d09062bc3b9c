/*
 * toe-packetdrill.so's socket calls: each member of the table is its toe_*
 * namesake (driver/include/toe_socket.h) on the run's context, with the
 * harness taken for the call (toe_pdso.h) and errno as the call left it.
 * Upstream makes them from run_system_call.c (syscall_socket and the rest,
 * through state->so_instance->ifc), blocking ones from its system call
 * thread. What the TOE has no call for fails as Linux fails a call it does
 * not have: ioctl with ENOTTY; epoll_*, pipe and splice with ENOSYS.
 */
#include "toe_pdso.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "toe_socket.h"

/* A call on the context: NULL userdata (a failed init) gives EINVAL. */
#define CALL(u, type, expr)                                                 \
    do {                                                                    \
        struct pdso *p_ = (u);                                              \
        type r_;                                                            \
        int e_;                                                             \
        if (!p_) {                                                          \
            errno = EINVAL;                                                 \
            return -1;                                                      \
        }                                                                   \
        pdso_enter(p_, 1);                                                  \
        errno = 0;                                                          \
        r_ = (expr);                                                        \
        e_ = errno;                                                         \
        pdso_touched(p_);                                                   \
        pdso_leave(p_);                                                     \
        errno = e_;                                                         \
        return r_;                                                          \
    } while (0)

#define CTX(u) (((struct pdso *)(u))->ctx)

static int c_socket(void *u, int domain, int type, int protocol)
{
    CALL(u, int, toe_socket(CTX(u), domain, type, protocol));
}

static int c_bind(void *u, int fd, const struct sockaddr *a, socklen_t n)
{
    CALL(u, int, toe_bind(CTX(u), fd, a, n));
}

static int c_listen(void *u, int fd, int backlog)
{
    CALL(u, int, toe_listen(CTX(u), fd, backlog));
}

static int c_accept(void *u, int fd, struct sockaddr *a, socklen_t *n)
{
    CALL(u, int, toe_accept(CTX(u), fd, a, n));
}

static int c_connect(void *u, int fd, const struct sockaddr *a, socklen_t n)
{
    CALL(u, int, toe_connect(CTX(u), fd, a, n));
}

static ssize_t c_read(void *u, int fd, void *buf, size_t len)
{
    CALL(u, ssize_t, toe_read(CTX(u), fd, buf, len));
}

static ssize_t c_recv(void *u, int fd, void *buf, size_t len, int flags)
{
    CALL(u, ssize_t, toe_recv(CTX(u), fd, buf, len, flags));
}

static ssize_t c_write(void *u, int fd, const void *buf, size_t len)
{
    CALL(u, ssize_t, toe_write(CTX(u), fd, buf, len));
}

static ssize_t c_send(void *u, int fd, const void *buf, size_t len, int flags)
{
    CALL(u, ssize_t, toe_send(CTX(u), fd, buf, len, flags));
}

static int c_close(void *u, int fd)
{
    CALL(u, int, toe_close(CTX(u), fd));
}

static int c_shutdown(void *u, int fd, int how)
{
    CALL(u, int, toe_shutdown(CTX(u), fd, how));
}

static int c_getsockopt(void *u, int fd, int level, int name, void *val, socklen_t *len)
{
    CALL(u, int, toe_getsockopt(CTX(u), fd, level, name, val, len));
}

static int c_setsockopt(void *u, int fd, int level, int name, const void *val, socklen_t len)
{
    CALL(u, int, toe_setsockopt(CTX(u), fd, level, name, val, len));
}

static int c_poll(void *u, struct pollfd *fds, nfds_t n, int timeout)
{
    CALL(u, int, toe_poll(CTX(u), fds, n, timeout));
}

/* fcntl's third argument is an int for every command the TOE knows
 * (F_GETFL, F_SETFL); upstream passes one for the others too. */
static int c_fcntl(void *u, int fd, int cmd, ...)
{
    va_list ap;
    int arg;

    va_start(ap, cmd);
    arg = cmd == F_GETFL || cmd == F_GETFD ? 0 : va_arg(ap, int);
    va_end(ap);
    CALL(u, int, toe_fcntl(CTX(u), fd, cmd, arg));
}

/* ---- the vector forms, over one bounce buffer -------------------------------------------- */

static size_t iov_total(const struct iovec *iov, int n)
{
    size_t t = 0;

    for (int i = 0; i < n; i++)
        t += iov[i].iov_len;
    return t;
}

static int iov_ok(const struct iovec *iov, int n)
{
    if (n < 0 || n > IOV_MAX || (n && !iov)) {
        errno = EINVAL;
        return 0;
    }
    return 1;
}

static ssize_t c_writev(void *u, int fd, const struct iovec *iov, int n)
{
    size_t t, off = 0;
    uint8_t *b;
    ssize_t r;

    if (!iov_ok(iov, n))
        return -1;
    t = iov_total(iov, n);
    if (!(b = malloc(t ? t : 1))) {
        errno = ENOBUFS;
        return -1;
    }
    for (int i = 0; i < n; i++) {
        memcpy(b + off, iov[i].iov_base, iov[i].iov_len);
        off += iov[i].iov_len;
    }
    r = c_write(u, fd, b, t);
    free(b);
    return r;
}

/* recv into a bounce buffer, then spread over the vector. */
static ssize_t recv_vec(void *u, int fd, const struct iovec *iov, int n, int flags)
{
    size_t t, off = 0;
    uint8_t *b;
    ssize_t r;
    int e;

    if (!iov_ok(iov, n))
        return -1;
    t = iov_total(iov, n);
    if (!(b = malloc(t ? t : 1))) {
        errno = ENOBUFS;
        return -1;
    }
    r = c_recv(u, fd, b, t, flags);
    e = errno;
    for (int i = 0; r > 0 && i < n && off < (size_t)r; i++) {
        size_t k = iov[i].iov_len < (size_t)r - off ? iov[i].iov_len : (size_t)r - off;

        memcpy(iov[i].iov_base, b + off, k);
        off += k;
    }
    free(b);
    errno = e;
    return r;
}

static ssize_t c_readv(void *u, int fd, const struct iovec *iov, int n)
{
    return recv_vec(u, fd, iov, n, 0);
}

/* The peer's address for recvfrom/recvmsg: TCP reports the connected peer. */
static void peer_of(void *u, int fd, struct sockaddr *a, socklen_t *n)
{
    int e = errno;

    if (a && n) {
        struct pdso *p = u;

        pdso_enter(p, 1);
        if (toe_getpeername(p->ctx, fd, a, n))
            *n = 0;
        pdso_leave(p);
    }
    errno = e;
}

static ssize_t c_recvfrom(void *u, int fd, void *buf, size_t len, int flags, struct sockaddr *a,
                          socklen_t *n)
{
    ssize_t r = c_recv(u, fd, buf, len, flags);

    if (r >= 0)
        peer_of(u, fd, a, n);
    return r;
}

static ssize_t c_sendto(void *u, int fd, const void *buf, size_t len, int flags, const struct sockaddr *a,
                        socklen_t n)
{
    (void)a, (void)n;   /* a connected TCP socket ignores the address (Linux tcp_sendmsg) */
    return c_send(u, fd, buf, len, flags);
}

static ssize_t c_recvmsg(void *u, int fd, struct msghdr *m, int flags)
{
    ssize_t r;

    if (!m) {
        errno = EFAULT;
        return -1;
    }
    r = recv_vec(u, fd, m->msg_iov, (int)m->msg_iovlen, flags);
    if (r >= 0) {
        if (m->msg_name)
            peer_of(u, fd, m->msg_name, &m->msg_namelen);
        m->msg_controllen = 0;                   /* no ancillary data */
        m->msg_flags = 0;
    }
    return r;
}

static ssize_t c_sendmsg(void *u, int fd, const struct msghdr *m, int flags)
{
    size_t t, off = 0;
    uint8_t *b;
    ssize_t r;
    int e;

    if (!m) {
        errno = EFAULT;
        return -1;
    }
    if (!iov_ok(m->msg_iov, (int)m->msg_iovlen))
        return -1;
    t = iov_total(m->msg_iov, (int)m->msg_iovlen);
    if (!(b = malloc(t ? t : 1))) {
        errno = ENOBUFS;
        return -1;
    }
    for (size_t i = 0; i < m->msg_iovlen; i++) {
        memcpy(b + off, m->msg_iov[i].iov_base, m->msg_iov[i].iov_len);
        off += m->msg_iov[i].iov_len;
    }
    r = c_send(u, fd, b, t, flags);
    e = errno;
    free(b);
    errno = e;
    return r;
}

/* ---- what the TOE does not have ------------------------------------------------------------ */

static int c_ioctl(void *u, int fd, unsigned long req, ...)
{
    (void)fd, (void)req;
    errno = u ? ENOTTY : EINVAL;
    return -1;
}

static int nosys(void *u)
{
    errno = u ? ENOSYS : EINVAL;
    return -1;
}

static int c_epoll_create(void *u, int size)
{
    (void)size;
    return nosys(u);
}

static int c_epoll_ctl(void *u, int epfd, int op, int fd, struct epoll_event *ev)
{
    (void)epfd, (void)op, (void)fd, (void)ev;
    return nosys(u);
}

static int c_epoll_wait(void *u, int epfd, struct epoll_event *ev, int max, int timeout)
{
    (void)epfd, (void)ev, (void)max, (void)timeout;
    return nosys(u);
}

static int c_pipe(void *u, int fds[2])
{
    (void)fds;
    return nosys(u);
}

static int c_splice(void *u, int in, loff_t *oin, int out, loff_t *oout, size_t len, unsigned flags)
{
    (void)in, (void)oin, (void)out, (void)oout, (void)len, (void)flags;
    return nosys(u);
}

void pdso_fill_calls(struct packetdrill_interface *ifc)
{
    ifc->socket = c_socket;
    ifc->bind = c_bind;
    ifc->listen = c_listen;
    ifc->accept = c_accept;
    ifc->connect = c_connect;
    ifc->read = c_read;
    ifc->readv = c_readv;
    ifc->recv = c_recv;
    ifc->recvfrom = c_recvfrom;
    ifc->recvmsg = c_recvmsg;
    ifc->write = c_write;
    ifc->writev = c_writev;
    ifc->send = c_send;
    ifc->sendto = c_sendto;
    ifc->sendmsg = c_sendmsg;
    ifc->fcntl = c_fcntl;
    ifc->ioctl = c_ioctl;
    ifc->close = c_close;
    ifc->shutdown = c_shutdown;
    ifc->getsockopt = c_getsockopt;
    ifc->setsockopt = c_setsockopt;
    ifc->poll = c_poll;
    ifc->epoll_create = c_epoll_create;
    ifc->epoll_ctl = c_epoll_ctl;
    ifc->epoll_wait = c_epoll_wait;
    ifc->pipe = c_pipe;
    ifc->splice = c_splice;
}
