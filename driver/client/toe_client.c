/*
 * The client context (toe_client.h): every toe_* call becomes one request to
 * toed and waits for its reply (toe_proto.h); send and recv move their bytes
 * through the shared area passed at HELLO, never through the socket.
 *
 * A blocking call blocks here, on the reply: toed parks it and answers once
 * the stack has an answer, so this side needs no timers of its own.
 */
#define _GNU_SOURCE /* memfd_create, F_ADD_SEALS, POLLRDHUP */
#include "toe_client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "toe_ctx.h"
#include "toe_pci.h"
#include "toe_proto.h"

/* The shared area: a blocking send of more is sent in pieces this size. */
#define CLI_SHM_SIZE (1u << 20)

struct cli_ctx {
    struct toe_ctx base;
    int sock;
    uint8_t *shm;
    uint32_t shm_size;
    uint32_t seq;
    int dead;                       /* toed went: every call fails with EIO */
};

#define CLI(c) ((struct cli_ctx *)(c))

static int fail(int e)
{
    errno = e;
    return -1;
}

int toe_client_sock_path(const char *pci_dir, char *path, size_t pathlen, char *err, size_t errlen)
{
    struct toe_pci_dev dev;

    if (!pci_dir)
        pci_dir = getenv("TOE_PCI_DIR");
    if (toe_pci_find(pci_dir, &dev, err, errlen))
        return -1;
    if ((size_t)snprintf(path, pathlen, "%s/toed.sock", dev.dev_dir) >= pathlen ||
        strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        snprintf(err, errlen, "%s/toed.sock: path too long for a Unix socket", dev.dev_dir);
        return -1;
    }
    return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The reply to the request just sent; its payload (at most room bytes kept)
 * into out. 0, or -1 when toed is gone or said something malformed. */
static int read_reply(struct cli_ctx *c, struct toe_proto_msg *rep, void *out, uint32_t room, uint32_t *got)
{
    uint8_t buf[TOE_PROTO_MSG_MAX];
    const char *why;

    if (toe_proto_read_all(c->sock, buf, TOE_PROTO_HDR_LEN) ||
        toe_proto_decode(buf, TOE_PROTO_HDR_LEN, 1, rep, &why) < 0 ||
        toe_proto_read_all(c->sock, buf + TOE_PROTO_HDR_LEN, rep->plen) ||
        toe_proto_decode(buf, TOE_PROTO_HDR_LEN + rep->plen, 1, rep, &why) <= 0) {
        c->dead = 1;
        return -1;
    }
    if (got)
        *got = rep->plen < room ? rep->plen : room;
    if (out && rep->plen)
        memcpy(out, buf + TOE_PROTO_HDR_LEN, rep->plen < room ? rep->plen : room);
    return 0;
}

/*
 * One call: the request (a payload of plen bytes from pay), the reply (its
 * payload into out). The call's return value, or -1 with errno: toed's, or
 * EIO when toed is not there any more.
 */
static int64_t call(struct cli_ctx *c, struct toe_proto_msg *req, const void *pay, void *out, uint32_t room,
                    uint32_t *got)
{
    uint8_t buf[TOE_PROTO_MSG_MAX];
    struct toe_proto_msg rep;

    if (c->dead)
        return fail(EIO);
    req->magic = TOE_PROTO_REQ_MAGIC;
    req->version = TOE_PROTO_VERSION;
    req->seq = ++c->seq;
    toe_proto_encode(req, buf);
    if (req->plen)
        memcpy(buf + TOE_PROTO_HDR_LEN, pay, req->plen);
    if (write_all(c->sock, buf, TOE_PROTO_HDR_LEN + req->plen) || read_reply(c, &rep, out, room, got) ||
        rep.seq != req->seq || rep.op != req->op) {
        c->dead = 1;
        return fail(EIO);
    }
    if (rep.ret < 0)
        return fail(rep.err ? rep.err : EIO);
    return rep.ret;
}

static struct toe_proto_msg req_of(unsigned op, int fd)
{
    struct toe_proto_msg m;

    memset(&m, 0, sizeof(m));
    m.op = (uint16_t)op;
    m.fd = fd;
    return m;
}

static int cli_socket(struct toe_ctx *x, int domain, int type, int protocol)
{
    struct toe_proto_msg m = req_of(TOE_OP_SOCKET, -1);

    m.a[0] = domain;
    m.a[1] = type;
    m.a[2] = protocol;
    return (int)call(CLI(x), &m, NULL, NULL, 0, NULL);
}

/* bind and connect: the address as the payload. */
static int addr_call(struct toe_ctx *x, unsigned op, int fd, const struct sockaddr *a, socklen_t len)
{
    struct toe_proto_msg m = req_of(op, fd);

    if (!a)
        return fail(EFAULT);
    if (len < sizeof(sa_family_t))
        return fail(EINVAL);
    m.plen = len > 128 ? 128 : (uint32_t)len;
    return (int)call(CLI(x), &m, a, NULL, 0, NULL);
}

static int cli_bind(struct toe_ctx *x, int fd, const struct sockaddr *a, socklen_t len)
{
    return addr_call(x, TOE_OP_BIND, fd, a, len);
}

static int cli_connect(struct toe_ctx *x, int fd, const struct sockaddr *a, socklen_t len)
{
    return addr_call(x, TOE_OP_CONNECT, fd, a, len);
}

static int cli_listen(struct toe_ctx *x, int fd, int backlog)
{
    struct toe_proto_msg m = req_of(TOE_OP_LISTEN, fd);

    m.a[0] = backlog;
    return (int)call(CLI(x), &m, NULL, NULL, 0, NULL);
}

/* accept, getsockname, getpeername: an address comes back. toed says the
 * address's full length in the payload's size; *len gets it, a truncated
 * copy as the kernel gives. */
static int addr_out(int64_t r, struct sockaddr *a, socklen_t *len, const uint8_t *got, uint32_t n)
{
    if (r < 0)
        return -1;
    if (a && len) {
        memcpy(a, got, n < *len ? n : *len);
        *len = n;
    }
    return (int)r;
}

static int cli_accept4(struct toe_ctx *x, int fd, struct sockaddr *a, socklen_t *len, int flags)
{
    struct toe_proto_msg m = req_of(TOE_OP_ACCEPT, fd);
    uint8_t sa[128];
    uint32_t n = 0;
    int64_t r;

    m.a[0] = flags;
    m.a[1] = a && len ? (int32_t)*len : 0;
    r = call(CLI(x), &m, NULL, sa, sizeof(sa), &n);
    return addr_out(r, a, len, sa, n);
}

static int name_call(struct toe_ctx *x, unsigned op, int fd, struct sockaddr *a, socklen_t *len)
{
    struct toe_proto_msg m = req_of(op, fd);
    uint8_t sa[128];
    uint32_t n = 0;
    int64_t r;

    if (!a || !len)
        return fail(EFAULT);
    m.a[0] = (int32_t)*len;
    r = call(CLI(x), &m, NULL, sa, sizeof(sa), &n);
    return addr_out(r, a, len, sa, n);
}

static int cli_getsockname(struct toe_ctx *x, int fd, struct sockaddr *a, socklen_t *len)
{
    return name_call(x, TOE_OP_GETSOCKNAME, fd, a, len);
}

static int cli_getpeername(struct toe_ctx *x, int fd, struct sockaddr *a, socklen_t *len)
{
    return name_call(x, TOE_OP_GETPEERNAME, fd, a, len);
}

static ssize_t cli_send(struct toe_ctx *x, int fd, const void *buf, size_t len, int flags)
{
    struct cli_ctx *c = CLI(x);
    size_t done = 0;

    if (len && !buf)
        return fail(EFAULT);
    do {
        struct toe_proto_msg m = req_of(TOE_OP_SEND, fd);
        uint32_t n = (uint32_t)(len - done < c->shm_size ? len - done : c->shm_size);
        int64_t r;

        memcpy(c->shm, (const uint8_t *)buf + done, n);
        m.a[0] = flags;
        m.len = n;
        r = call(c, &m, NULL, NULL, 0, NULL);
        if (r < 0)
            return done ? (ssize_t)done : -1;
        done += (size_t)r;
        if ((uint32_t)r < n)
            break;   /* non-blocking, or the connection ended part way */
    } while (done < len);
    return (ssize_t)done;
}

static ssize_t cli_recv(struct toe_ctx *x, int fd, void *buf, size_t len, int flags)
{
    struct cli_ctx *c = CLI(x);
    struct toe_proto_msg m = req_of(TOE_OP_RECV, fd);
    int64_t r;

    if (len && !buf)
        return fail(EFAULT);
    m.a[0] = flags;
    m.len = (uint32_t)(len < c->shm_size ? len : c->shm_size);
    r = call(c, &m, NULL, NULL, 0, NULL);
    if (r < 0)
        return -1;
    if ((uint64_t)r > m.len) {
        c->dead = 1;   /* toed claims more than it could have placed */
        return fail(EIO);
    }
    memcpy(buf, c->shm, (size_t)r);
    return (ssize_t)r;
}

static int cli_shutdown(struct toe_ctx *x, int fd, int how)
{
    struct toe_proto_msg m = req_of(TOE_OP_SHUTDOWN, fd);

    m.a[0] = how;
    return (int)call(CLI(x), &m, NULL, NULL, 0, NULL);
}

static int cli_close(struct toe_ctx *x, int fd)
{
    struct toe_proto_msg m = req_of(TOE_OP_CLOSE, fd);

    return (int)call(CLI(x), &m, NULL, NULL, 0, NULL);
}

static int cli_setsockopt(struct toe_ctx *x, int fd, int level, int name, const void *val, socklen_t len)
{
    struct toe_proto_msg m = req_of(TOE_OP_SETSOCKOPT, fd);

    if (!val)
        return fail(EFAULT);
    m.a[0] = level;
    m.a[1] = name;
    m.plen = len > 256 ? 256 : (uint32_t)len;
    return (int)call(CLI(x), &m, val, NULL, 0, NULL);
}

static int cli_getsockopt(struct toe_ctx *x, int fd, int level, int name, void *val, socklen_t *len)
{
    struct toe_proto_msg m = req_of(TOE_OP_GETSOCKOPT, fd);
    uint8_t out[TOE_PROTO_PAYLOAD_MAX];
    uint32_t n = 0;
    int64_t r;

    if (!val || !len)
        return fail(EFAULT);
    m.a[0] = level;
    m.a[1] = name;
    m.a[2] = (int32_t)*len;
    r = call(CLI(x), &m, NULL, out, sizeof(out), &n);
    if (r < 0)
        return -1;
    memcpy(val, out, n < *len ? n : *len);
    *len = n < *len ? n : *len;
    return (int)r;
}

static int cli_fcntl(struct toe_ctx *x, int fd, int cmd, int arg)
{
    struct toe_proto_msg m = req_of(TOE_OP_FCNTL, fd);

    m.a[0] = cmd;
    m.a[1] = arg;
    return (int)call(CLI(x), &m, NULL, NULL, 0, NULL);
}

static int cli_poll(struct toe_ctx *x, struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
    struct toe_proto_msg m = req_of(TOE_OP_POLL, -1);
    uint8_t pay[TOE_PROTO_PAYLOAD_MAX], out[TOE_PROTO_PAYLOAD_MAX];
    uint32_t n = 0;
    int64_t r;

    if (nfds && !fds)
        return fail(EFAULT);
    if (nfds > TOE_PROTO_POLL_MAX)
        return fail(EINVAL);
    for (nfds_t i = 0; i < nfds; i++) {
        int16_t ev = fds[i].events;

        memcpy(pay + 8 * i, &fds[i].fd, 4);
        memcpy(pay + 8 * i + 4, &ev, 2);
        memset(pay + 8 * i + 6, 0, 2);
    }
    m.a[0] = (int32_t)nfds;
    m.a[1] = timeout_ms;
    m.plen = (uint32_t)nfds * TOE_PROTO_POLLFD_LEN;
    r = call(CLI(x), &m, pay, out, sizeof(out), &n);
    if (r < 0)
        return -1;
    if (n != m.plen) {
        CLI(x)->dead = 1;
        return fail(EIO);
    }
    for (nfds_t i = 0; i < nfds; i++)
        memcpy(&fds[i].revents, out + 8 * i + 6, 2);
    return (int)r;
}

static const struct toe_ctx_ops cli_ops = {
    .name = "toed client",
    .socket = cli_socket,
    .bind = cli_bind,
    .listen = cli_listen,
    .accept4 = cli_accept4,
    .connect = cli_connect,
    .send = cli_send,
    .recv = cli_recv,
    .shutdown = cli_shutdown,
    .close = cli_close,
    .setsockopt = cli_setsockopt,
    .getsockopt = cli_getsockopt,
    .getsockname = cli_getsockname,
    .getpeername = cli_getpeername,
    .fcntl = cli_fcntl,
    .poll = cli_poll,
};

/* HELLO: the shared area's memfd rides on the request (SCM_RIGHTS). It is
 * sealed against shrinking, so that toed can never fault on it. */
static int hello(struct cli_ctx *c, int memfd, char *err, size_t errlen)
{
    struct toe_proto_msg m = req_of(TOE_OP_HELLO, -1), rep;
    uint8_t buf[TOE_PROTO_HDR_LEN];
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
    struct cmsghdr *cm;

    m.magic = TOE_PROTO_REQ_MAGIC;
    m.version = TOE_PROTO_VERSION;
    m.seq = ++c->seq;
    m.a[0] = (int32_t)c->shm_size;
    toe_proto_encode(&m, buf);
    memset(cbuf, 0, sizeof(cbuf));
    cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &memfd, sizeof(int));
    if (sendmsg(c->sock, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof(buf) || read_reply(c, &rep, NULL, 0, NULL)) {
        snprintf(err, errlen, "toed closed the connection during HELLO");
        return -1;
    }
    if (rep.ret < 0) {
        snprintf(err, errlen, "toed refused us: %s", strerror(rep.err));
        return -1;
    }
    return 0;
}

struct toe_ctx *toe_client_open(const char *pci_dir, char *err, size_t errlen)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    struct cli_ctx *c;
    char path[PATH_MAX];
    int memfd = -1, e;

    if (toe_client_sock_path(pci_dir, path, sizeof(path), err, errlen))
        return NULL;
    c = calloc(1, sizeof(*c));
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->base.ops = &cli_ops;
    c->shm_size = CLI_SHM_SIZE;
    c->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (c->sock < 0 || connect(c->sock, (struct sockaddr *)&sun, sizeof(sun))) {
        e = errno;
        snprintf(err, errlen, "%s: %s (is toed running for this device?)", path, strerror(e));
        goto fail;
    }
    memfd = memfd_create("toe-client", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (memfd < 0 || ftruncate(memfd, c->shm_size) ||
        fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) ||
        (c->shm = mmap(NULL, c->shm_size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0)) == MAP_FAILED) {
        e = errno;
        c->shm = NULL;
        snprintf(err, errlen, "shared area: %s", strerror(e));
        goto fail;
    }
    if (hello(c, memfd, err, errlen)) {
        e = ECONNREFUSED;
        goto fail;
    }
    close(memfd);
    return &c->base;
fail:
    if (memfd >= 0)
        close(memfd);
    toe_client_close(&c->base);
    errno = e;
    return NULL;
}

void toe_client_close(struct toe_ctx *x)
{
    struct cli_ctx *c = CLI(x);

    if (!c)
        return;
    if (c->sock >= 0)
        close(c->sock);
    if (c->shm)
        munmap(c->shm, c->shm_size);
    free(c);
}
