/*
 * The OpenTOE sockets API (docs/api.md): the calls a sockets programmer knows,
 * with Linux's constants, structures and errno values, so that code ports over
 * by adding the "toe_" prefix and the context argument.
 *
 *     struct toe_ctx *c = ...;          toe_stack_ctx() (embedded) or toe_client_open() (toed)
 *     int fd = toe_socket(c, AF_INET, SOCK_STREAM, 0);
 *     toe_connect(c, fd, (struct sockaddr *)&sin, sizeof sin);
 *     toe_send(c, fd, buf, n, 0);  toe_recv(c, fd, buf, sizeof buf, 0);
 *     toe_close(c, fd);
 *
 * Every call returns what its POSIX namesake returns: -1 with errno set on
 * failure (EINVAL, EBADF, ENOTSOCK, EINPROGRESS, EALREADY, EISCONN, ENOTCONN,
 * ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, EADDRINUSE, EADDRNOTAVAIL,
 * EAGAIN, EOPNOTSUPP, ENOPROTOOPT, EAFNOSUPPORT, EPROTONOSUPPORT, EMFILE,
 * ENOBUFS, EFAULT, EHOSTUNREACH). A failed call changes nothing.
 *
 * Descriptors are the TOE's own small integers (not kernel descriptors), one
 * table per context. Blocking calls wait in the context's time: virtual time
 * in an embedded stack, the wall clock with toed. SOCK_NONBLOCK in the type,
 * or O_NONBLOCK through toe_fcntl(F_SETFL), makes a socket non-blocking.
 * MSG_NOSIGNAL is implied: EPIPE never raises SIGPIPE.
 */
#ifndef TOE_SOCKET_H
#define TOE_SOCKET_H

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct toe_ctx;

int toe_socket(struct toe_ctx *c, int domain, int type, int protocol);
int toe_bind(struct toe_ctx *c, int fd, const struct sockaddr *addr, socklen_t len);
int toe_listen(struct toe_ctx *c, int fd, int backlog);
int toe_accept(struct toe_ctx *c, int fd, struct sockaddr *addr, socklen_t *len);
int toe_accept4(struct toe_ctx *c, int fd, struct sockaddr *addr, socklen_t *len, int flags);
int toe_connect(struct toe_ctx *c, int fd, const struct sockaddr *addr, socklen_t len);
ssize_t toe_send(struct toe_ctx *c, int fd, const void *buf, size_t len, int flags);
ssize_t toe_recv(struct toe_ctx *c, int fd, void *buf, size_t len, int flags);
ssize_t toe_write(struct toe_ctx *c, int fd, const void *buf, size_t len);
ssize_t toe_read(struct toe_ctx *c, int fd, void *buf, size_t len);
int toe_shutdown(struct toe_ctx *c, int fd, int how);
int toe_close(struct toe_ctx *c, int fd);
int toe_setsockopt(struct toe_ctx *c, int fd, int level, int name, const void *val, socklen_t len);
int toe_getsockopt(struct toe_ctx *c, int fd, int level, int name, void *val, socklen_t *len);
int toe_getsockname(struct toe_ctx *c, int fd, struct sockaddr *addr, socklen_t *len);
int toe_getpeername(struct toe_ctx *c, int fd, struct sockaddr *addr, socklen_t *len);
int toe_fcntl(struct toe_ctx *c, int fd, int cmd, int arg);
/* POLLIN, POLLOUT, POLLRDHUP, POLLHUP, POLLERR, POLLNVAL as on Linux;
 * timeout_ms < 0 waits forever, 0 does not wait. */
int toe_poll(struct toe_ctx *c, struct pollfd *fds, nfds_t nfds, int timeout_ms);

/* TCP_INFO's subset the TOE fills (the rest of struct tcp_info is zero):
 * tcpi_state (Linux TCP_* numbering), tcpi_options, tcpi_snd_wscale,
 * tcpi_rcv_wscale, tcpi_rto, tcpi_snd_mss, tcpi_rcv_mss, tcpi_rtt, tcpi_rttvar,
 * tcpi_retransmits, tcpi_backoff, tcpi_unacked, tcpi_snd_cwnd, tcpi_total_retrans. */

#endif /* TOE_SOCKET_H */
