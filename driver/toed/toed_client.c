/*
 * toed's clients: the control connection of each (framing, the memfd of
 * HELLO, queued replies) and what happens when it ends - everything the
 * client owned is closed as close(2) would close it (S20).
 */
#define _GNU_SOURCE /* F_GET_SEALS */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toe_stack.h"
#include "toed.h"

void toed_log(const struct toed *t, const char *fmt, ...)
{
    va_list ap;

    (void)t;
    fputs("toed: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

struct toed_client *toed_client_new(struct toed *t, int sock)
{
    struct toed_client *c = calloc(1, sizeof(*c));

    if (!c || !(c->own = calloc(t->max_fds, 1))) {
        free(c);
        return NULL;
    }
    if (t->ncl == t->capcl) {
        unsigned cap = t->capcl ? 2 * t->capcl : 16;
        struct toed_client **n = realloc(t->cl, cap * sizeof(*n));

        if (!n) {
            free(c->own);
            free(c);
            return NULL;
        }
        t->cl = n;
        t->capcl = cap;
    }
    c->sock = sock;
    c->memfd = -1;
    /* Owner 0 is the stack's own (no client): clients count from 1. */
    c->owner = ++t->next_owner ? t->next_owner : ++t->next_owner;
    t->cl[t->ncl++] = c;
    t->stats.clients++;
    if (t->verbose)
        toed_log(t, "client %u connected", c->owner);
    return c;
}

void toed_client_free(struct toed *t, struct toed_client *c)
{
    toe_stack_close_owner(t->st, c->owner);
    close(c->sock);
    if (c->memfd >= 0)
        close(c->memfd);
    if (c->shm)
        munmap(c->shm, c->shm_size);
    for (unsigned i = 0; i < t->ncl; i++)
        if (t->cl[i] == c) {
            t->cl[i] = t->cl[--t->ncl];
            break;
        }
    if (t->verbose)
        toed_log(t, "client %u gone: its descriptors closed", c->owner);
    free(c->own);
    free(c->tx);
    free(c);
}

void toed_drop(struct toed *t, struct toed_client *c, const char *why)
{
    if (c->gone)
        return;
    c->gone = 1;
    t->stats.clients_dropped++;
    toed_log(t, "client %u dropped: %s", c->owner, why);
}

void toed_client_flush(struct toed *t, struct toed_client *c)
{
    size_t off = 0;

    (void)t;
    while (off < c->tx_len) {
        ssize_t w = send(c->sock, c->tx + off, c->tx_len - off, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (w <= 0) {
            c->gone = 1;   /* the client went: nothing to tell it */
            c->tx_len = 0;
            return;
        }
        off += (size_t)w;
    }
    memmove(c->tx, c->tx + off, c->tx_len - off);
    c->tx_len -= off;
}

void toed_reply(struct toed *t, struct toed_client *c, int64_t ret, int err, const void *pay, uint32_t plen)
{
    struct toe_proto_msg m;
    size_t need = TOE_PROTO_HDR_LEN + plen;

    memset(&m, 0, sizeof(m));
    m.magic = TOE_PROTO_REP_MAGIC;
    m.version = TOE_PROTO_VERSION;
    m.op = c->req.op;
    m.seq = c->req.seq;
    m.ret = ret;
    m.err = ret < 0 ? err : 0;
    m.plen = plen;
    if (c->tx_len + need > c->tx_cap) {
        size_t cap = c->tx_cap ? c->tx_cap : 4096;
        uint8_t *n;

        while (cap < c->tx_len + need)
            cap *= 2;
        if (!(n = realloc(c->tx, cap))) {
            toed_drop(t, c, "out of memory for a reply");
            return;
        }
        c->tx = n;
        c->tx_cap = cap;
    }
    toe_proto_encode(&m, c->tx + c->tx_len);
    if (plen)
        memcpy(c->tx + c->tx_len + TOE_PROTO_HDR_LEN, pay, plen);
    c->tx_len += need;
}

/* HELLO: map the client's memfd - only one that cannot shrink under us (a
 * shrunk file would fault toed on access). */
static void hello(struct toed *t, struct toed_client *c)
{
    struct stat sb;
    int seals;
    void *p;

    if (c->hello) {
        toed_drop(t, c, "second HELLO");
        return;
    }
    if (c->memfd < 0) {
        toed_drop(t, c, "HELLO without its shared-memory descriptor");
        return;
    }
    seals = fcntl(c->memfd, F_GET_SEALS);
    if (fstat(c->memfd, &sb) || sb.st_size < c->req.a[0] || seals < 0 || !(seals & F_SEAL_SHRINK)) {
        toed_drop(t, c, "HELLO: the shared area is not a sealed memfd of the size announced");
        return;
    }
    p = mmap(NULL, (size_t)c->req.a[0], PROT_READ | PROT_WRITE, MAP_SHARED, c->memfd, 0);
    if (p == MAP_FAILED) {
        toed_drop(t, c, "HELLO: cannot map the shared area");
        return;
    }
    close(c->memfd);
    c->memfd = -1;
    c->shm = p;
    c->shm_size = (uint32_t)c->req.a[0];
    c->hello = 1;
    toed_reply(t, c, c->owner, 0, NULL, 0);
}

/* One whole request in c->rx (n bytes): serve it. */
static void request(struct toed *t, struct toed_client *c, long n)
{
    t->stats.requests++;
    memcpy(c->pay, c->rx + TOE_PROTO_HDR_LEN, c->req.plen);
    memmove(c->rx, c->rx + n, c->rx_len - (size_t)n);
    c->rx_len -= (size_t)n;
    if (c->req.op == TOE_OP_HELLO) {
        hello(t, c);
        return;
    }
    if (c->req.op == TOE_OP_DUMP) {
        toed_dump(t, c);
        return;
    }
    if (c->req.op == TOE_OP_COUNTERS) {
        toed_counters(t, c);
        return;
    }
    if (!c->hello) {
        toed_drop(t, c, "a socket call before HELLO");
        return;
    }
    if ((c->req.op == TOE_OP_SEND || c->req.op == TOE_OP_RECV) &&
        (uint64_t)c->req.off + c->req.len > c->shm_size) {
        toed_drop(t, c, "data outside its shared area");
        return;
    }
    c->busy = 1;
    c->sent = 0;
    if (!toed_serve(t, c))
        t->stats.parked++;
}

/* Decode and serve what is in c->rx, one request at a time: a client waits
 * for each reply, and one that does not waits here while its call is parked. */
static void serve_buffered(struct toed *t, struct toed_client *c)
{
    while (!c->busy && !c->gone && c->rx_len) {
        const char *why = "?";
        long n = toe_proto_decode(c->rx, c->rx_len, 0, &c->req, &why);
        char msg[128];

        if (n == 0)
            return;
        if (n < 0) {
            t->stats.bad_requests++;
            snprintf(msg, sizeof(msg), "malformed request: %s", why);
            toed_drop(t, c, msg);
            return;
        }
        request(t, c, n);
    }
}

void toed_client_input(struct toed *t, struct toed_client *c)
{
    char cbuf[CMSG_SPACE(4 * sizeof(int))];
    struct iovec iov = {.iov_base = c->rx + c->rx_len, .iov_len = sizeof(c->rx) - c->rx_len};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
    ssize_t r;

    if (iov.iov_len == 0)
        return;   /* a whole request waits: it is served when the parked one ends */
    r = recvmsg(c->sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (r <= 0) {
        c->gone = 1;   /* the application closed, exited or died */
        return;
    }
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            if (c->memfd < 0 && !c->hello)
                c->memfd = fd;
            else
                close(fd);   /* only HELLO's one is wanted */
        }
    }
    c->rx_len += (size_t)r;
    serve_buffered(t, c);
}

void toed_client_retry(struct toed *t, struct toed_client *c)
{
    if (c->busy && !c->gone)
        toed_serve(t, c);
    serve_buffered(t, c);
}
