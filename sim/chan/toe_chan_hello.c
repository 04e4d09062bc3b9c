/*
 * The handshake's plumbing: one HELLO over the stream socket with a memfd
 * riding along (SCM_RIGHTS, unix(7)), every read and write bounded by a
 * deadline so that a silent peer costs a timeout and not a hang; and the
 * checks a memfd from the peer must pass before it is mapped.
 */
#define _GNU_SOURCE /* memfd_create, F_ADD_SEALS, MSG_CMSG_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "toe_chan_priv.h"

/* Room for a few fds: a peer that sends more than one gets the extra ones
 * closed rather than left open in our process. */
#define FDS_MAX 4

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline for poll(); -1 means no deadline. */
static int left_ms(int64_t deadline)
{
    int64_t left;

    if (deadline < 0)
        return -1;
    left = deadline - now_ms();
    return left < 0 ? 0 : left > 1000000000 ? 1000000000 : (int)left;
}

static int wait_fd(int fd, short events, int64_t deadline)
{
    struct pollfd pfd = {.fd = fd, .events = events};

    for (;;) {
        int r = poll(&pfd, 1, left_ms(deadline));

        if (r > 0)
            return 0;
        if (r == 0)
            return -ETIMEDOUT;
        if (errno != EINTR)
            return -errno;
    }
}

int toe_chan_send_hello(int fd, const struct toe_chan_hello *h, int pass_fd, int timeout_ms)
{
    const uint8_t *p = (const uint8_t *)h;
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    size_t n = 0;

    while (n < sizeof(*h)) {
        union {
            struct cmsghdr align;
            char buf[CMSG_SPACE(sizeof(int))];
        } cbuf;
        struct iovec iov = {.iov_base = (void *)(p + n), .iov_len = sizeof(*h) - n};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        ssize_t k;

        /* The fd goes with the first byte only; the kernel delivers it with
         * whichever read takes that byte. */
        if (pass_fd >= 0 && n == 0) {
            struct cmsghdr *c;

            memset(&cbuf, 0, sizeof(cbuf));
            mh.msg_control = cbuf.buf;
            mh.msg_controllen = sizeof(cbuf.buf);
            c = CMSG_FIRSTHDR(&mh);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
        }
        /* MSG_NOSIGNAL: a peer that hung up is an EPIPE to report, not a
         * SIGPIPE that kills us. */
        k = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (k > 0) {
            n += (size_t)k;
            continue;
        }
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int r = wait_fd(fd, POLLOUT, deadline);

            if (r < 0)
                return r;
            continue;
        }
        return k < 0 ? -errno : -EIO;
    }
    return 0;
}

/* Keeps the first fd of an SCM_RIGHTS message in *keep, closes any other. */
static void take_fds(struct msghdr *mh, int *keep)
{
    struct cmsghdr *c;

    for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        size_t i, nfd;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (i = 0; i < nfd; i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (*keep < 0)
                *keep = fd;
            else
                close(fd);
        }
    }
}

int toe_chan_recv_hello(int fd, struct toe_chan_hello *h, int *pass_fd, size_t *got,
                        int timeout_ms)
{
    uint8_t *p = (uint8_t *)h;
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    size_t n = 0;
    int rc = 0;

    *pass_fd = -1;
    while (n < sizeof(*h)) {
        union {
            struct cmsghdr align;
            char buf[CMSG_SPACE(sizeof(int) * FDS_MAX)];
        } cbuf;
        struct iovec iov = {.iov_base = p + n, .iov_len = sizeof(*h) - n};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf)};
        ssize_t k;

        rc = wait_fd(fd, POLLIN, deadline);
        if (rc < 0)
            break;
        /* MSG_CMSG_CLOEXEC: the peer's memory must not leak into programs we
         * exec. Fds beyond FDS_MAX are closed by the kernel (MSG_CTRUNC). */
        k = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        if (k < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            rc = -errno;
            break;
        }
        take_fds(&mh, pass_fd);
        if (k == 0) {
            rc = -ECONNRESET;
            break;
        }
        n += (size_t)k;
    }
    *got = n;
    if (rc < 0 && *pass_fd >= 0) {
        close(*pass_fd);
        *pass_fd = -1;
    }
    return rc;
}

void *toe_chan_map_memfd(int fd, uint64_t size, int exact, char *why, size_t whylen)
{
    struct stat st;
    int seals, fl;
    void *p;

    if (fd < 0) {
        snprintf(why, whylen, "no memfd came with the HELLO");
        return NULL;
    }
    /* Only a memfd (or hugetlbfs) has seals. F_SEAL_SHRINK is what makes the
     * mapping safe: the peer cannot truncate the file and turn our next access
     * into a SIGBUS. */
    seals = fcntl(fd, F_GET_SEALS);
    if (seals < 0) {
        snprintf(why, whylen, "not a memfd (F_GET_SEALS: %s)", strerror(errno));
        return NULL;
    }
    if (!(seals & F_SEAL_SHRINK)) {
        snprintf(why, whylen, "memfd not sealed against shrinking (F_SEAL_SHRINK)");
        return NULL;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "memfd is not a regular file");
        return NULL;
    }
    if (size == 0 || size > SIZE_MAX || size > (uint64_t)INT64_MAX) {
        snprintf(why, whylen, "size %llu cannot be mapped", (unsigned long long)size);
        return NULL;
    }
    if ((uint64_t)st.st_size < size || (exact && (uint64_t)st.st_size != size)) {
        snprintf(why, whylen, "memfd holds %llu bytes, the HELLO says %llu",
                 (unsigned long long)st.st_size, (unsigned long long)size);
        return NULL;
    }
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || (fl & O_ACCMODE) != O_RDWR) {
        snprintf(why, whylen, "memfd is not open for reading and writing");
        return NULL;
    }
    p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        snprintf(why, whylen, "mmap of %llu bytes: %s", (unsigned long long)size,
                 strerror(errno));
        return NULL;
    }
    return p;
}

int toe_chan_memfd(const char *name, uint64_t size)
{
    int fd, err;

    if (size == 0 || size > (uint64_t)INT64_MAX)
        return -EINVAL;
    fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -errno;
    if (ftruncate(fd, (off_t)size) < 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
        err = errno;
        close(fd);
        return -err;
    }
    return fd;
}
