/*
 * The channel's life: creating it, the device listening and accepting, the
 * host connecting, the HELLO exchange both ways, detaching and closing.
 * docs/device.md "The channel", Connection.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "toe_chan_priv.h"

/* ---- errors and the log ------------------------------------------------------------ */

void toe_chan_log(struct toe_chan *ch, const char *fmt, ...)
{
    char line[320];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (ch->opts.log)
        ch->opts.log(ch->opts.log_arg, line);
    else
        fprintf(stderr, "toe-chan: %s\n", line);
}

int toe_chan_fail(struct toe_chan *ch, int err, int log_too, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ch->err, sizeof(ch->err), fmt, ap);
    va_end(ap);
    if (log_too)
        toe_chan_log(ch, "%s", ch->err);
    return -err;
}

void toe_chan_log_limited(struct toe_chan *ch, uint64_t count)
{
    if (count <= TOE_CHAN_LOG_LIMIT)
        toe_chan_log(ch, "%s%s", ch->err,
                     count == TOE_CHAN_LOG_LIMIT ? " (further ones are counted, not logged)" : "");
}

/* ---- creation ---------------------------------------------------------------------- */

struct toe_chan *toe_chan_new(const struct toe_chan_opts *opts)
{
    struct toe_chan *ch;

    if (opts && opts->nslots > CHAN_NSLOTS_MAX) {
        errno = EINVAL;
        return NULL;
    }
    ch = calloc(1, sizeof(*ch));
    if (!ch)
        return NULL;
    if (opts)
        ch->opts = *opts;
    if (!ch->opts.nslots)
        ch->opts.nslots = CHAN_NSLOTS_DEFAULT;
    if (ch->opts.handshake_timeout_ms <= 0)
        ch->opts.handshake_timeout_ms = TOE_CHAN_HANDSHAKE_MS_DEFAULT;
    if (!ch->opts.version)
        ch->opts.version = CHAN_VERSION;
    ch->listen_fd = -1;
    ch->sock = -1;
    return ch;
}

void toe_chan_detach(struct toe_chan *ch)
{
    if (ch->sock >= 0)
        close(ch->sock);
    if (ch->queue)
        munmap(ch->queue, ch->queue_size);
    if (ch->dma)
        munmap(ch->dma, ch->dma_size);
    ch->sock = -1;
    ch->peer_gone = 0;
    ch->queue = NULL;
    ch->queue_size = 0;
    ch->nslots = 0;
    ch->tx_ring = ch->rx_ring = NULL;
    ch->my_wait = ch->peer_wait = NULL;
    ch->tx_pos = ch->rx_pos = 0;
    ch->tx_time = ch->rx_time = 0;
    ch->rx_held = 0;
    ch->dma = NULL;
    ch->dma_size = ch->dma_iova = 0;
}

void toe_chan_close(struct toe_chan *ch)
{
    struct stat st;

    if (!ch)
        return;
    toe_chan_detach(ch);
    if (ch->listen_fd >= 0) {
        close(ch->listen_fd);
        /* Remove the socket file only if it is still the one we bound: another
         * toe-sim may have replaced it since. */
        if (ch->path && stat(ch->path, &st) == 0 && st.st_dev == ch->path_dev &&
            st.st_ino == ch->path_ino)
            unlink(ch->path);
    }
    free(ch->path);
    free(ch);
}

static int fill_addr(struct toe_chan *ch, struct sockaddr_un *sa, const char *path)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa->sun_path))
        return toe_chan_fail(ch, ENAMETOOLONG, 0, "socket path longer than %zu bytes: %s",
                             sizeof(sa->sun_path) - 1, path);
    strcpy(sa->sun_path, path);
    return 0;
}

/* ---- device: listen, accept, refuse ------------------------------------------------ */

/* 1 when a process listens on the socket at sa (probing by connecting), 0 when
 * the file is left over from one that died. */
static int someone_listens(const struct sockaddr_un *sa)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int r;

    if (fd < 0)
        return 1;
    r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
    close(fd);
    return r == 0 || errno != ECONNREFUSED;
}

int toe_chan_listen(struct toe_chan *ch, const char *path)
{
    struct sockaddr_un sa;
    struct stat st;
    int fd, rc;

    if (ch->role != ROLE_NONE)
        return toe_chan_fail(ch, EINVAL, 0, "listen: channel is already in use");
    rc = fill_addr(ch, &sa, path);
    if (rc < 0)
        return rc;
    /* Non-blocking: a host that connects and gives up before accept() must not
     * block a device that polls its listener. */
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return toe_chan_fail(ch, errno, 0, "socket: %s", strerror(errno));
    rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    if (rc < 0 && errno == EADDRINUSE) {
        if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
            close(fd);
            return toe_chan_fail(ch, EADDRINUSE, 0, "%s exists and is not a socket", path);
        }
        if (someone_listens(&sa)) {
            close(fd);
            return toe_chan_fail(ch, EADDRINUSE, 0, "another device listens on %s", path);
        }
        unlink(path); /* left by a toe-sim that died */
        rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    }
    if (rc < 0 || listen(fd, 8) < 0 || stat(path, &st) < 0) {
        int err = errno;

        close(fd);
        return toe_chan_fail(ch, err, 0, "listen on %s: %s", path, strerror(err));
    }
    ch->path = strdup(path);
    if (!ch->path) {
        close(fd);
        return toe_chan_fail(ch, ENOMEM, 0, "out of memory");
    }
    ch->path_dev = st.st_dev;
    ch->path_ino = st.st_ino;
    ch->listen_fd = fd;
    ch->role = ROLE_DEVICE;
    return 0;
}

static uint64_t queue_bytes(uint32_t nslots)
{
    return TOE_CHAN_QHDR_SIZE + 2ull * nslots * CHAN_SLOT_SIZE;
}

static int answer(struct toe_chan *ch, int fd, uint32_t status, uint32_t peer_version, int qfd,
                   uint64_t queue_size, int timeout_ms)
{
    struct toe_chan_hello a;

    memset(&a, 0, sizeof(a));
    a.magic = CHAN_MAGIC;
    a.version = ch->opts.version;
    a.status = status;
    a.peer_version = peer_version;
    if (status == CHAN_HELLO_OK) {
        a.nslots = ch->nslots;
        a.queue_size = queue_size;
    }
    return toe_chan_send_hello(fd, &a, qfd, timeout_ms);
}

/* The host's fields it must leave 0: anything else is not a version-1 HELLO. */
static const char *hello_nonzero(const struct toe_chan_hello *h)
{
    size_t i;

    if (h->status)
        return "status";
    if (h->peer_version)
        return "peer_version";
    if (h->nslots)
        return "nslots";
    if (h->rsvd0)
        return "rsvd0";
    if (h->queue_size)
        return "queue_size";
    for (i = 0; i < sizeof(h->rsvd); i++)
        if (h->rsvd[i])
            return "rsvd";
    return NULL;
}

/* Refuses (answers) or drops (hangs up on) the host at fd; returns -err. */
static int refuse(struct toe_chan *ch, int fd, int err, const char *fmt, const char *arg)
{
    int rc;

    close(fd);
    if (err == EPROTONOSUPPORT || err == EINVAL)
        ch->stats.hosts_refused++;
    else
        ch->stats.hosts_dropped++;
    rc = toe_chan_fail(ch, err, 0, fmt, arg);
    toe_chan_log_limited(ch, ch->stats.hosts_refused + ch->stats.hosts_dropped);
    return rc;
}

static int device_handshake(struct toe_chan *ch, int fd)
{
    struct toe_chan_hello h;
    char why[160], msg[224];
    const char *bad;
    uint8_t *dma, *queue;
    uint64_t qsize;
    size_t got;
    int dfd, qfd, rc;

    rc = toe_chan_recv_hello(fd, &h, &dfd, &got, ch->opts.handshake_timeout_ms);
    if (rc == -ETIMEDOUT) {
        snprintf(msg, sizeof(msg), "host sent %zu of %zu bytes of HELLO in %d ms: dropped", got,
                 sizeof(h), ch->opts.handshake_timeout_ms);
        return refuse(ch, fd, ETIMEDOUT, "%s", msg);
    }
    if (rc == -ECONNRESET) {
        snprintf(msg, sizeof(msg), "host hung up after %zu of %zu bytes of HELLO", got, sizeof(h));
        return refuse(ch, fd, ECONNRESET, "%s", msg);
    }
    if (rc < 0) {
        snprintf(msg, sizeof(msg), "reading the HELLO: %s", strerror(-rc));
        return refuse(ch, fd, -rc, "%s", msg);
    }
    if (h.magic != CHAN_MAGIC) {
        if (dfd >= 0)
            close(dfd);
        snprintf(msg, sizeof(msg), "HELLO with bad magic 0x%08x (expected 0x%08x): dropped",
                 h.magic, CHAN_MAGIC);
        return refuse(ch, fd, EPROTO, "%s", msg);
    }
    if (h.version != ch->opts.version) {
        if (dfd >= 0)
            close(dfd);
        (void)answer(ch, fd, CHAN_HELLO_VERSION, h.version, -1, 0, ch->opts.handshake_timeout_ms);
        snprintf(msg, sizeof(msg),
                 "host speaks channel protocol version %u, this device speaks %u: refused",
                 h.version, ch->opts.version);
        return refuse(ch, fd, EPROTONOSUPPORT, "%s", msg);
    }
    bad = hello_nonzero(&h);
    if (bad) {
        if (dfd >= 0)
            close(dfd);
        snprintf(msg, sizeof(msg), "malformed HELLO: host set %s: dropped", bad);
        return refuse(ch, fd, EPROTO, "%s", msg);
    }
    /* The IOMMU window [iova, iova + size) must exist: not empty, not past 2^64. */
    if (h.dma_size == 0)
        snprintf(why, sizeof(why), "size 0");
    else if (h.dma_size - 1 > UINT64_MAX - h.dma_iova)
        snprintf(why, sizeof(why), "iova 0x%llx + size 0x%llx is past 2^64",
                 (unsigned long long)h.dma_iova, (unsigned long long)h.dma_size);
    dma = h.dma_size && h.dma_size - 1 <= UINT64_MAX - h.dma_iova
              ? toe_chan_map_memfd(dfd, h.dma_size, 0, why, sizeof(why))
              : NULL;
    if (dfd >= 0)
        close(dfd); /* the mapping keeps the memory */
    if (!dma) {
        (void)answer(ch, fd, CHAN_HELLO_BAD_DMA, h.version, -1, 0, ch->opts.handshake_timeout_ms);
        snprintf(msg, sizeof(msg), "DMA memory refused: %s", why);
        return refuse(ch, fd, EINVAL, "%s", msg);
    }

    /* Fresh queue memory for every host: one that left may still hold the
     * last one mapped. */
    ch->nslots = ch->opts.nslots;
    qsize = queue_bytes(ch->nslots);
    qfd = toe_chan_memfd("toe-chan-queue", qsize);
    queue = qfd < 0 ? NULL : toe_chan_map_memfd(qfd, qsize, 1, why, sizeof(why));
    if (!queue) {
        int err = qfd < 0 ? -qfd : ENOMEM;

        if (qfd >= 0)
            close(qfd);
        munmap(dma, h.dma_size);
        close(fd);
        ch->nslots = 0;
        return toe_chan_fail(ch, err, 1, "queue memory: %s", qfd < 0 ? strerror(-qfd) : why);
    }
    {
        struct toe_chan_qhdr *q = (struct toe_chan_qhdr *)queue;

        q->magic = CHAN_MAGIC;
        q->version = ch->opts.version;
        q->nslots = ch->nslots;
        q->slot_size = CHAN_SLOT_SIZE;
    }
    rc = answer(ch, fd, CHAN_HELLO_OK, h.version, qfd, qsize, ch->opts.handshake_timeout_ms);
    close(qfd);
    if (rc < 0) {
        munmap(queue, qsize);
        munmap(dma, h.dma_size);
        ch->nslots = 0;
        snprintf(msg, sizeof(msg), "host hung up before the answer (%s)", strerror(-rc));
        return refuse(ch, fd, ECONNRESET, "%s", msg);
    }

    ch->sock = fd;
    ch->queue = queue;
    ch->queue_size = qsize;
    ch->dma = dma;
    ch->dma_size = h.dma_size;
    ch->dma_iova = h.dma_iova;
    toe_chan_rings_init(ch);
    ch->err[0] = '\0';
    return 0;
}

int toe_chan_accept(struct toe_chan *ch, int timeout_ms)
{
    struct timespec t0, t;
    int fd;

    if (ch->role != ROLE_DEVICE)
        return toe_chan_fail(ch, EINVAL, 0, "accept: channel is not listening");
    if (ch->sock >= 0)
        return toe_chan_fail(ch, EISCONN, 0, "accept: a host is attached");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct pollfd pfd = {.fd = ch->listen_fd, .events = POLLIN};
        int left = timeout_ms, r;

        if (timeout_ms >= 0) {
            int64_t spent;

            clock_gettime(CLOCK_MONOTONIC, &t);
            spent = (int64_t)(t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
            left = spent >= timeout_ms ? 0 : timeout_ms - (int)spent;
        }
        r = poll(&pfd, 1, left);
        if (r < 0 && errno != EINTR)
            return toe_chan_fail(ch, errno, 0, "accept: poll: %s", strerror(errno));
        if (r == 0)
            return toe_chan_fail(ch, ETIMEDOUT, 0, "no host connected within %d ms", timeout_ms);
        if (r < 0)
            continue;
        fd = accept4(ch->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0)
            break;
        /* The host gave up between poll and accept: keep waiting. */
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED && errno != EINTR)
            return toe_chan_fail(ch, errno, 0, "accept: %s", strerror(errno));
    }
    return device_handshake(ch, fd);
}

void toe_chan_refuse_busy(struct toe_chan *ch)
{
    struct toe_chan_hello h;
    size_t got;
    int fd, dfd;

    fd = accept4(ch->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return;
    /* Take what HELLO has arrived, without waiting: an attached device does not
     * stall its host for a newcomer. Its fd (if any) is closed. */
    memset(&h, 0, sizeof(h));
    (void)toe_chan_recv_hello(fd, &h, &dfd, &got, 0);
    if (dfd >= 0)
        close(dfd);
    (void)answer(ch, fd, CHAN_HELLO_BUSY, got >= 8 && h.magic == CHAN_MAGIC ? h.version : 0, -1, 0, 0);
    close(fd);
    ch->stats.hosts_refused++;
    toe_chan_log(ch, "refused a host: one is attached already (BUSY)");
}

/* ---- host: connect ----------------------------------------------------------------- */

static int host_fail(struct toe_chan *ch, int fd, int qfd, uint8_t *dma, uint64_t dma_size,
                     int err, const char *msg)
{
    if (fd >= 0)
        close(fd);
    if (qfd >= 0)
        close(qfd);
    if (dma)
        munmap(dma, dma_size);
    return toe_chan_fail(ch, err, 0, "%s", msg);
}

int toe_chan_connect(struct toe_chan *ch, const char *path, int dma_fd, uint64_t dma_size,
                     uint64_t dma_iova)
{
    const int hs = ch->opts.handshake_timeout_ms;
    struct toe_chan_hello h, a;
    struct sockaddr_un sa;
    struct timeval tv = {.tv_sec = hs / 1000, .tv_usec = (hs % 1000) * 1000};
    char why[160], msg[224];
    uint8_t *dma, *queue;
    size_t got;
    int fd, qfd = -1, rc, sent;

    if (ch->role == ROLE_DEVICE || ch->sock >= 0)
        return toe_chan_fail(ch, EISCONN, 0, "connect: channel is in use");
    rc = fill_addr(ch, &sa, path);
    if (rc < 0)
        return rc;
    /* Our own DMA memory passes the device's checks first: a local mistake gets
     * a local error, not a refusal. */
    if (dma_size && dma_size - 1 > UINT64_MAX - dma_iova)
        return toe_chan_fail(ch, EINVAL, 0, "DMA memory: iova 0x%llx + size 0x%llx is past 2^64",
                             (unsigned long long)dma_iova, (unsigned long long)dma_size);
    dma = dma_size ? toe_chan_map_memfd(dma_fd, dma_size, 0, why, sizeof(why)) : NULL;
    if (!dma)
        return toe_chan_fail(ch, EINVAL, 0, "DMA memory: %s", dma_size ? why : "size 0");

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return host_fail(ch, -1, -1, dma, dma_size, errno, "socket failed");
    /* connect() to a Unix socket whose backlog is full blocks; SO_SNDTIMEO
     * bounds it (unix(7)). */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int err = errno == EAGAIN || errno == EINPROGRESS ? ETIMEDOUT : errno;

        snprintf(msg, sizeof(msg), "connect to %s: %s", path, strerror(err));
        return host_fail(ch, fd, -1, dma, dma_size, err, msg);
    }
    memset(&h, 0, sizeof(h));
    h.magic = CHAN_MAGIC;
    h.version = ch->opts.version;
    h.dma_size = dma_size;
    h.dma_iova = dma_iova;
    /* A device that refuses at once (BUSY) may have answered and hung up
     * before our HELLO went out: read its answer even if the send failed. */
    sent = toe_chan_send_hello(fd, &h, dma_fd, hs);
    rc = toe_chan_recv_hello(fd, &a, &qfd, &got, hs);
    if (rc == -ETIMEDOUT) {
        snprintf(msg, sizeof(msg), "device sent %zu of %zu bytes of its answer in %d ms", got,
                 sizeof(a), hs);
        return host_fail(ch, fd, -1, dma, dma_size, ETIMEDOUT, msg);
    }
    if (rc < 0) {
        if (got == 0)
            snprintf(msg, sizeof(msg), "device hung up without answering the HELLO%s%s",
                     sent < 0 ? ": " : "", sent < 0 ? strerror(-sent) : "");
        else
            snprintf(msg, sizeof(msg), "device hung up after %zu of %zu bytes of its answer",
                     got, sizeof(a));
        return host_fail(ch, fd, -1, dma, dma_size, ECONNRESET, msg);
    }
    if (a.magic != CHAN_MAGIC) {
        snprintf(msg, sizeof(msg), "answer with bad magic 0x%08x (expected 0x%08x)", a.magic,
                 CHAN_MAGIC);
        return host_fail(ch, fd, qfd, dma, dma_size, EPROTO, msg);
    }
    switch (a.status) {
    case CHAN_HELLO_OK:
        break;
    case CHAN_HELLO_BUSY:
        return host_fail(ch, fd, qfd, dma, dma_size, EBUSY,
                         "device busy: another host is attached");
    case CHAN_HELLO_VERSION:
        snprintf(msg, sizeof(msg), "device speaks channel protocol version %u, this host speaks %u",
                 a.version, ch->opts.version);
        return host_fail(ch, fd, qfd, dma, dma_size, EPROTONOSUPPORT, msg);
    case CHAN_HELLO_BAD_DMA:
        return host_fail(ch, fd, qfd, dma, dma_size, EINVAL,
                         "device refused the DMA memory (BAD_DMA)");
    default:
        snprintf(msg, sizeof(msg), "answer with unknown status %u", a.status);
        return host_fail(ch, fd, qfd, dma, dma_size, EPROTO, msg);
    }
    if (a.version != ch->opts.version) {
        snprintf(msg, sizeof(msg), "device answered OK in protocol version %u, this host speaks %u",
                 a.version, ch->opts.version);
        return host_fail(ch, fd, qfd, dma, dma_size, EPROTO, msg);
    }
    if (a.nslots == 0 || a.nslots > CHAN_NSLOTS_MAX) {
        snprintf(msg, sizeof(msg), "device offers %u slots per ring (1 to %u allowed)", a.nslots,
                 CHAN_NSLOTS_MAX);
        return host_fail(ch, fd, qfd, dma, dma_size, EPROTO, msg);
    }
    if (a.queue_size != queue_bytes(a.nslots)) {
        snprintf(msg, sizeof(msg), "device says %llu bytes of queue memory, %u slots need %llu",
                 (unsigned long long)a.queue_size, a.nslots,
                 (unsigned long long)queue_bytes(a.nslots));
        return host_fail(ch, fd, qfd, dma, dma_size, EPROTO, msg);
    }
    queue = toe_chan_map_memfd(qfd, a.queue_size, 1, why, sizeof(why));
    if (!queue) {
        snprintf(msg, sizeof(msg), "queue memory refused: %s", why);
        return host_fail(ch, fd, qfd, dma, dma_size, EPROTO, msg);
    }
    close(qfd);
    {
        const struct toe_chan_qhdr *q = (const struct toe_chan_qhdr *)queue;

        if (q->magic != CHAN_MAGIC || q->version != a.version || q->nslots != a.nslots ||
            q->slot_size != CHAN_SLOT_SIZE) {
            snprintf(msg, sizeof(msg),
                     "queue memory header (magic 0x%08x, version %u, %u slots of %u bytes) "
                     "does not match the answer",
                     q->magic, q->version, q->nslots, q->slot_size);
            munmap(queue, a.queue_size);
            return host_fail(ch, fd, -1, dma, dma_size, EPROTO, msg);
        }
    }
    fcntl(fd, F_SETFL, O_NONBLOCK); /* from now on it carries wake bytes only */
    ch->role = ROLE_HOST;
    ch->sock = fd;
    ch->queue = queue;
    ch->queue_size = a.queue_size;
    ch->nslots = a.nslots;
    ch->dma = dma;
    ch->dma_size = dma_size;
    ch->dma_iova = dma_iova;
    toe_chan_rings_init(ch);
    ch->err[0] = '\0';
    return 0;
}

/* ---- accessors --------------------------------------------------------------------- */

const char *toe_chan_error(const struct toe_chan *ch) { return ch->err; }
const struct toe_chan_stats *toe_chan_stats(const struct toe_chan *ch) { return &ch->stats; }
int toe_chan_attached(const struct toe_chan *ch) { return ch->sock >= 0; }
int toe_chan_listen_fd(const struct toe_chan *ch) { return ch->listen_fd; }
uint32_t toe_chan_nslots(const struct toe_chan *ch) { return ch->nslots; }
uint64_t toe_chan_dma_iova(const struct toe_chan *ch) { return ch->dma_iova; }
uint64_t toe_chan_dma_size(const struct toe_chan *ch) { return ch->dma_size; }

unsigned toe_chan_peer_wait(const struct toe_chan *ch)
{
    return ch->peer_wait ? atomic_load_explicit(ch->peer_wait, memory_order_relaxed) : 0;
}
