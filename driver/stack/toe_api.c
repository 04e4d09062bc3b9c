/*
 * The sockets API's entry points (driver/include/toe_socket.h): a check of
 * the context, then its implementation (toe_ctx.h) - the embedded stack or a
 * toed client - so an application links one API whichever it uses.
 */
#include <errno.h>

#include "toe_ctx.h"

#define CALL(c, op, ...)                                                                           \
    do {                                                                                           \
        if (!(c) || !(c)->ops || !(c)->ops->op) {                                                  \
            errno = (c) ? EOPNOTSUPP : EINVAL;                                                     \
            return -1;                                                                             \
        }                                                                                          \
        return (c)->ops->op((c), __VA_ARGS__);                                                     \
    } while (0)

int toe_socket(struct toe_ctx *c, int domain, int type, int protocol) { CALL(c, socket, domain, type, protocol); }
int toe_bind(struct toe_ctx *c, int fd, const struct sockaddr *a, socklen_t len) { CALL(c, bind, fd, a, len); }
int toe_listen(struct toe_ctx *c, int fd, int backlog) { CALL(c, listen, fd, backlog); }
int toe_accept4(struct toe_ctx *c, int fd, struct sockaddr *a, socklen_t *len, int flags)
{
    CALL(c, accept4, fd, a, len, flags);
}
int toe_accept(struct toe_ctx *c, int fd, struct sockaddr *a, socklen_t *len) { CALL(c, accept4, fd, a, len, 0); }
int toe_connect(struct toe_ctx *c, int fd, const struct sockaddr *a, socklen_t len) { CALL(c, connect, fd, a, len); }
ssize_t toe_send(struct toe_ctx *c, int fd, const void *buf, size_t len, int flags)
{
    CALL(c, send, fd, buf, len, flags);
}
ssize_t toe_recv(struct toe_ctx *c, int fd, void *buf, size_t len, int flags) { CALL(c, recv, fd, buf, len, flags); }
ssize_t toe_write(struct toe_ctx *c, int fd, const void *buf, size_t len) { CALL(c, send, fd, buf, len, 0); }
ssize_t toe_read(struct toe_ctx *c, int fd, void *buf, size_t len) { CALL(c, recv, fd, buf, len, 0); }
int toe_shutdown(struct toe_ctx *c, int fd, int how) { CALL(c, shutdown, fd, how); }
int toe_close(struct toe_ctx *c, int fd) { CALL(c, close, fd); }
int toe_setsockopt(struct toe_ctx *c, int fd, int level, int name, const void *val, socklen_t len)
{
    CALL(c, setsockopt, fd, level, name, val, len);
}
int toe_getsockopt(struct toe_ctx *c, int fd, int level, int name, void *val, socklen_t *len)
{
    CALL(c, getsockopt, fd, level, name, val, len);
}
int toe_getsockname(struct toe_ctx *c, int fd, struct sockaddr *a, socklen_t *len) { CALL(c, getsockname, fd, a, len); }
int toe_getpeername(struct toe_ctx *c, int fd, struct sockaddr *a, socklen_t *len) { CALL(c, getpeername, fd, a, len); }
int toe_fcntl(struct toe_ctx *c, int fd, int cmd, int arg) { CALL(c, fcntl, fd, cmd, arg); }
int toe_poll(struct toe_ctx *c, struct pollfd *fds, nfds_t nfds, int timeout_ms) { CALL(c, poll, fds, nfds, timeout_ms); }
