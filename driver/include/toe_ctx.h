/*
 * What stands behind a struct toe_ctx (for implementers of the sockets API,
 * not for applications): the embedded stack (driver/stack/toe_sock.c) or the
 * client of a toed (driver/client). toe_api.c's toe_* functions check the
 * context and call through these operations; each has its toe_* namesake's
 * contract (driver/include/toe_socket.h).
 */
#ifndef TOE_CTX_H
#define TOE_CTX_H

#include "toe_socket.h"

struct toe_ctx_ops {
    const char *name;
    int (*socket)(struct toe_ctx *c, int domain, int type, int protocol);
    int (*bind)(struct toe_ctx *c, int fd, const struct sockaddr *addr, socklen_t len);
    int (*listen)(struct toe_ctx *c, int fd, int backlog);
    int (*accept4)(struct toe_ctx *c, int fd, struct sockaddr *addr, socklen_t *len, int flags);
    int (*connect)(struct toe_ctx *c, int fd, const struct sockaddr *addr, socklen_t len);
    ssize_t (*send)(struct toe_ctx *c, int fd, const void *buf, size_t len, int flags);
    ssize_t (*recv)(struct toe_ctx *c, int fd, void *buf, size_t len, int flags);
    int (*shutdown)(struct toe_ctx *c, int fd, int how);
    int (*close)(struct toe_ctx *c, int fd);
    int (*setsockopt)(struct toe_ctx *c, int fd, int level, int name, const void *val, socklen_t len);
    int (*getsockopt)(struct toe_ctx *c, int fd, int level, int name, void *val, socklen_t *len);
    int (*getsockname)(struct toe_ctx *c, int fd, struct sockaddr *addr, socklen_t *len);
    int (*getpeername)(struct toe_ctx *c, int fd, struct sockaddr *addr, socklen_t *len);
    int (*fcntl)(struct toe_ctx *c, int fd, int cmd, int arg);
    int (*poll)(struct toe_ctx *c, struct pollfd *fds, nfds_t nfds, int timeout_ms);
};

struct toe_ctx {
    const struct toe_ctx_ops *ops;
};

#endif /* TOE_CTX_H */
