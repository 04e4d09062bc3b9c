/*
 * The table of calls upstream packetdrill's shared-object mode uses
 * (`packetdrill --so_filename=LIB.so --so_flags=STRING`): it dlopens LIB.so,
 * looks up packetdrill_interface_init and calls it once with the flags
 * string and a table to fill; every socket call, the clock and the network
 * device of the run then go through the table, each with `userdata` first.
 *
 * Declared here in our own words, binary compatible with upstream's
 * gtests/net/packetdrill/packetdrill.h (struct packetdrill_interface,
 * packetdrill_interface_init_t): the same members, of the same types, in the
 * same order - upstream compiles against its header, we against this one,
 * and the two must lay the struct out identically. Do not reorder.
 *
 * How upstream calls it: so_testing.c (so_instance_init: dlopen with
 * RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE | RTLD_DEEPBIND, then init(flags,
 * &ifc); so_netdev_send hands netdev_send the packet from its IP header on;
 * so_netdev_receive parses what netdev_receive returns as layer 3 and calls
 * it again whenever it returns nonzero), run.c (now_usecs reads the clock
 * through gettimeofday, wait_for_event sleeps through usleep), and
 * run_system_call.c (every call through its member, blocking ones from the
 * system call thread).
 */
#ifndef PACKETDRILL_IFACE_H
#define PACKETDRILL_IFACE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* loff_t; this header must come before any system header */
#endif
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

struct packetdrill_interface {
    void *userdata;                 /* passed back as the first argument of every call */
    void (*free)(void *userdata);   /* at the end of the run */

    /* The sockets API, as POSIX: -1 and errno on failure. */
    int (*socket)(void *userdata, int domain, int type, int protocol);
    int (*bind)(void *userdata, int sockfd, const struct sockaddr *addr, socklen_t addrlen);
    int (*listen)(void *userdata, int sockfd, int backlog);
    int (*accept)(void *userdata, int sockfd, struct sockaddr *addr, socklen_t *addrlen);
    int (*connect)(void *userdata, int sockfd, const struct sockaddr *addr, socklen_t addrlen);
    ssize_t (*read)(void *userdata, int fd, void *buf, size_t count);
    ssize_t (*readv)(void *userdata, int fd, const struct iovec *iov, int iovcnt);
    ssize_t (*recv)(void *userdata, int sockfd, void *buf, size_t len, int flags);
    ssize_t (*recvfrom)(void *userdata, int sockfd, void *buf, size_t len, int flags,
                        struct sockaddr *src_addr, socklen_t *addrlen);
    ssize_t (*recvmsg)(void *userdata, int sockfd, struct msghdr *msg, int flags);
    ssize_t (*write)(void *userdata, int fd, const void *buf, size_t count);
    ssize_t (*writev)(void *userdata, int fd, const struct iovec *iov, int iovcnt);
    ssize_t (*send)(void *userdata, int sockfd, const void *buf, size_t len, int flags);
    ssize_t (*sendto)(void *userdata, int sockfd, const void *buf, size_t len, int flags,
                      const struct sockaddr *dest_addr, socklen_t addrlen);
    ssize_t (*sendmsg)(void *userdata, int sockfd, const struct msghdr *msg, int flags);
    int (*fcntl)(void *userdata, int fd, int cmd, ...);
    int (*ioctl)(void *userdata, int fd, unsigned long request, ...);
    int (*close)(void *userdata, int fd);
    int (*shutdown)(void *userdata, int sockfd, int how);
    int (*getsockopt)(void *userdata, int sockfd, int level, int optname, void *optval,
                      socklen_t *optlen);
    int (*setsockopt)(void *userdata, int sockfd, int level, int optname, const void *optval,
                      socklen_t optlen);
    int (*poll)(void *userdata, struct pollfd *fds, nfds_t nfds, int timeout);

    /* One IP packet (no link header) into the stack under test: 0, or -1. */
    int (*netdev_send)(void *userdata, const void *buf, size_t count);
    /* The next IP packet out of it: *count is the buffer's size on entry and
     * the packet's length on return (0: nothing), *time_usecs when it left,
     * on the gettimeofday clock. 0, or -1 (upstream then calls again). */
    int (*netdev_receive)(void *userdata, void *buf, size_t *count, long long *time_usecs);

    /* The run's clock. */
    int (*usleep)(void *userdata, useconds_t usec);
    int (*gettimeofday)(void *userdata, struct timeval *tv, struct timezone *tz);

    int (*epoll_create)(void *userdata, int size);
    int (*epoll_ctl)(void *userdata, int epfd, int op, int fd, struct epoll_event *event);
    int (*epoll_wait)(void *userdata, int epfd, struct epoll_event *events, int maxevents,
                      int timeout);
    int (*pipe)(void *userdata, int pipefd[2]);
    int (*splice)(void *userdata, int fd_in, loff_t *off_in, int fd_out, loff_t *off_out,
                  size_t len, unsigned int flags);
};

/* The one symbol the library exports. It returns nothing: see toe_pdso.c for
 * how a bad flags string is reported. */
typedef void (*packetdrill_interface_init_t)(const char *flags, struct packetdrill_interface *ifc);

#endif /* PACKETDRILL_IFACE_H */
