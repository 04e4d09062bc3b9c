/* The virtual cable between two toe-sims; the protocol is in sim_cable.h. */
#define _GNU_SOURCE
#include "sim_cable.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "toe_formats.h"

#define CABLE_MAGIC 0x4c424143u /* "CABL" in memory */

enum { MSG_HELLO = 1, MSG_FRAME = 2, MSG_SYNC = 3 };

/* Every message: this header, then `len` frame bytes for MSG_FRAME. */
struct cable_hdr {
    uint32_t magic;
    uint16_t type;
    uint16_t rsvd0;
    uint32_t len;
    uint32_t version;       /* HELLO */
    uint64_t time;          /* FRAME: arrival time at the receiver; HELLO: latency */
    uint64_t horizon;       /* SYNC */
    uint64_t out_next;      /* SYNC */
    uint64_t rx_count;      /* SYNC: the sender had taken this many of our frames */
    uint32_t time_mode;     /* HELLO */
    uint32_t rsvd1;
};

/* The frames received and not yet handed to the device: a ring, in arrival
 * order (the sender's stage delivers in time order). */
#define RXQ_LEN 4096u

struct sim_cable {
    int fd;
    int alive;
    struct sim_cable_cfg cfg;
    struct toe_impair *im;
    uint8_t buf[sizeof(struct cable_hdr) + TOE_IMPAIR_FRAME_MAX];

    struct sim_cable_frame *rxq;    /* RXQ_LEN frames */
    uint32_t rxq_head, rxq_n;
    uint64_t rx_last_time;

    /* Arrival times of the frames we sent that the peer had not yet counted. */
    uint64_t *unacked;              /* RXQ_LEN entries */
    uint32_t un_head, un_n;
    uint64_t tx_count, rx_count;

    uint64_t peer_horizon, peer_out;
    uint64_t sent_horizon, sent_out, sent_rx_count;
    int sync_sent;
    struct sim_cable_stats st;
};

static int fail(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}

static int send_msg(struct sim_cable *c, struct cable_hdr *h, const void *data, size_t len)
{
    struct iovec iov[2] = {{h, sizeof(*h)}, {(void *)data, len}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};

    h->magic = CABLE_MAGIC;
    h->len = (uint32_t)len;
    if (!c->alive)
        return -1;
    for (;;) {
        ssize_t n = sendmsg(c->fd, &m, MSG_NOSIGNAL);

        if (n >= 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN) {
            /* The peer is slow to read: wait for room rather than lose a frame
             * (the cable itself never drops; impairment does that on purpose). */
            struct pollfd p = {.fd = c->fd, .events = POLLOUT};

            poll(&p, 1, 1000);
            continue;
        }
        c->alive = 0;
        return -1;
    }
}

static int recv_msg(struct sim_cable *c, int wait_ms, struct cable_hdr **h)
{
    ssize_t n;

    if (wait_ms) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN};

        if (poll(&p, 1, wait_ms) <= 0)
            return 0;
    }
    n = recv(c->fd, c->buf, sizeof(c->buf), MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n <= 0) {
        c->alive = 0;
        return -1;
    }
    *h = (struct cable_hdr *)c->buf;
    if ((size_t)n < sizeof(**h) || (*h)->magic != CABLE_MAGIC ||
        (size_t)n != sizeof(**h) + (*h)->len) {
        fprintf(stderr, "toe-sim: cable: malformed message (%zd bytes) from the peer; hanging up\n", n);
        c->alive = 0;
        return -1;
    }
    return 1;
}

static int handshake(struct sim_cable *c, char *err, size_t errlen)
{
    struct cable_hdr h = {.type = MSG_HELLO, .version = SIM_CABLE_VERSION,
                          .time = c->cfg.latency_ps, .time_mode = c->cfg.time_mode};
    struct cable_hdr *r = NULL;
    int got;

    if (send_msg(c, &h, NULL, 0))
        return fail(err, errlen, "cable %s: the peer hung up during the handshake", c->cfg.path);
    got = recv_msg(c, c->cfg.connect_timeout_ms, &r);
    if (got <= 0 || r->type != MSG_HELLO)
        return fail(err, errlen, "cable %s: no HELLO from the peer", c->cfg.path);
    if (r->version != SIM_CABLE_VERSION)
        return fail(err, errlen, "cable %s: the peer speaks cable version %u, this toe-sim %u",
                    c->cfg.path, r->version, SIM_CABLE_VERSION);
    if (r->time_mode != c->cfg.time_mode)
        return fail(err, errlen, "cable %s: the peer runs in %s time, this toe-sim in %s time",
                    c->cfg.path, r->time_mode == TIME_MODE_VIRTUAL ? "virtual" : "real",
                    c->cfg.time_mode == TIME_MODE_VIRTUAL ? "virtual" : "real");
    if (r->time != c->cfg.latency_ps)
        return fail(err, errlen, "cable %s: the peer's cable latency is %llu ps, ours %llu ps",
                    c->cfg.path, (unsigned long long)r->time, (unsigned long long)c->cfg.latency_ps);
    return 0;
}

static int open_socket(struct sim_cable *c, char *err, size_t errlen)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(c->cfg.path) >= sizeof(a.sun_path))
        return fail(err, errlen, "cable path too long: %s", c->cfg.path);
    strcpy(a.sun_path, c->cfg.path);
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(err, errlen, "cable: socket: %s", strerror(errno));
    if (c->cfg.listen) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int s;

        unlink(c->cfg.path);
        if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1)) {
            close(fd);
            return fail(err, errlen, "cable %s: %s", c->cfg.path, strerror(errno));
        }
        if (poll(&p, 1, c->cfg.connect_timeout_ms) <= 0) {
            close(fd);
            unlink(c->cfg.path);
            return fail(err, errlen, "cable %s: no peer connected within %d ms", c->cfg.path,
                        c->cfg.connect_timeout_ms);
        }
        s = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        close(fd);
        unlink(c->cfg.path);
        if (s < 0)
            return fail(err, errlen, "cable %s: accept: %s", c->cfg.path, strerror(errno));
        c->fd = s;
        return 0;
    }
    for (int waited = 0;; waited += 20) {
        if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
            break;
        if ((errno != ENOENT && errno != ECONNREFUSED) || waited >= c->cfg.connect_timeout_ms) {
            int e = errno;

            close(fd);
            return fail(err, errlen, "cable %s: connect: %s", c->cfg.path, strerror(e));
        }
        usleep(20000);
    }
    c->fd = fd;
    return 0;
}

struct sim_cable *sim_cable_open(const struct sim_cable_cfg *cfg, char *err, size_t errlen)
{
    struct sim_cable *c = calloc(1, sizeof(*c));
    const char *why = NULL;

    if (!c) {
        fail(err, errlen, "out of memory");
        return NULL;
    }
    c->cfg = *cfg;
    c->fd = -1;
    c->rxq = calloc(RXQ_LEN, sizeof(*c->rxq));
    c->unacked = calloc(RXQ_LEN, sizeof(*c->unacked));
    c->im = toe_impair_new(&cfg->impair, cfg->seed, &why);
    if (!c->rxq || !c->unacked || !c->im) {
        fail(err, errlen, "cable: %s", why ? why : "out of memory");
        goto bad;
    }
    if (cfg->time_mode == TIME_MODE_VIRTUAL && cfg->latency_ps == 0) {
        fail(err, errlen, "cable: latency must be above 0 in virtual time (it is the lookahead)");
        goto bad;
    }
    if (open_socket(c, err, errlen))
        goto bad;
    c->alive = 1;
    if (handshake(c, err, errlen))
        goto bad;
    c->sent_horizon = c->sent_out = 0;
    return c;
bad:
    sim_cable_close(c);
    return NULL;
}

void sim_cable_close(struct sim_cable *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    toe_impair_free(c->im);
    free(c->rxq);
    free(c->unacked);
    free(c);
}

int sim_cable_fd(const struct sim_cable *c) { return c->fd; }
int sim_cable_alive(const struct sim_cable *c) { return c->alive; }

void sim_cable_send(struct sim_cable *c, const uint8_t *frame, size_t len, uint64_t t_ps)
{
    int r = toe_impair_push(c->im, frame, len, t_ps);

    if (r < 0)
        fprintf(stderr, "toe-sim: cable: frame of %zu bytes at %llu ps not sent: %s\n", len,
                (unsigned long long)t_ps, toe_impair_strerror(r));
}

int sim_cable_flush(struct sim_cable *c, uint64_t now_ps)
{
    static uint8_t frame[TOE_IMPAIR_FRAME_MAX];
    size_t len;
    uint64_t t;

    while (toe_impair_pop(c->im, now_ps, frame, sizeof(frame), &len, &t) == 1) {
        struct cable_hdr h = {.type = MSG_FRAME, .time = t + c->cfg.latency_ps};

        /* Virtual time only: the peer counts our frames in its syncs, and in
         * real time no syncs are sent (sim_cable_promise), so waiting for
         * them there would hang the cable after RXQ_LEN frames. */
        if (c->un_n == RXQ_LEN && c->cfg.time_mode == TIME_MODE_VIRTUAL) {
            /* The peer has not counted 4096 of our frames: it is far behind. Wait
             * for its syncs rather than forget an arrival time we must honour. */
            while (c->un_n == RXQ_LEN && c->alive)
                sim_cable_poll(c, 100);
        }
        if (send_msg(c, &h, frame, len))
            return -1;
        if (c->cfg.time_mode == TIME_MODE_VIRTUAL) {
            c->unacked[(c->un_head + c->un_n) % RXQ_LEN] = h.time;
            c->un_n++;
        }
        c->tx_count++;
        c->st.frames_sent++;
    }
    return c->alive ? 0 : -1;
}

static void take_frame(struct sim_cable *c, const struct cable_hdr *h)
{
    struct sim_cable_frame *f;

    if (h->len == 0 || h->len > TOE_IMPAIR_FRAME_MAX || h->time < c->rx_last_time) {
        fprintf(stderr, "toe-sim: cable: frame refused (%u bytes, time %llu after %llu)\n", h->len,
                (unsigned long long)h->time, (unsigned long long)c->rx_last_time);
        return;
    }
    if (c->rxq_n == RXQ_LEN) {
        /* Cannot happen with a well-behaved peer: it may not run more than its
         * bound ahead, and we hand frames to the device as their time comes. */
        fprintf(stderr, "toe-sim: cable: receive queue full; frame dropped\n");
        return;
    }
    f = &c->rxq[(c->rxq_head + c->rxq_n) % RXQ_LEN];
    f->time_ps = h->time;
    f->len = h->len;
    memcpy(f->data, (const uint8_t *)(h + 1), h->len);
    c->rxq_n++;
    c->rx_count++;
    c->rx_last_time = h->time;
    c->st.frames_received++;
}

int sim_cable_poll(struct sim_cable *c, int wait_ms)
{
    struct cable_hdr *h;
    int any = 0, r;

    while ((r = recv_msg(c, any ? 0 : wait_ms, &h)) == 1) {
        any = 1;
        if (h->type == MSG_FRAME) {
            take_frame(c, h);
        } else if (h->type == MSG_SYNC) {
            uint64_t acked = h->rx_count;

            c->st.syncs_received++;
            /* The latest report, not the largest: a horizon falls when one of
             * our frames wakes the peer, and that frame is then counted. */
            c->peer_horizon = h->horizon;
            c->peer_out = h->out_next;
            while (c->un_n && c->tx_count - c->un_n < acked) {
                c->un_head = (c->un_head + 1) % RXQ_LEN;
                c->un_n--;
            }
        }
    }
    if (r < 0)
        return -1;
    return any;
}

const struct sim_cable_frame *sim_cable_peek(const struct sim_cable *c)
{
    return c->rxq_n ? &c->rxq[c->rxq_head] : NULL;
}

void sim_cable_pop(struct sim_cable *c)
{
    if (c->rxq_n) {
        c->rxq_head = (c->rxq_head + 1) % RXQ_LEN;
        c->rxq_n--;
    }
}

uint64_t sim_cable_out_next(const struct sim_cable *c)
{
    uint64_t t = toe_impair_next_time(c->im);

    return t == TOE_IMPAIR_NEVER ? SIM_TIME_NEVER : t;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > SIM_TIME_NEVER - b ? SIM_TIME_NEVER : a + b;
}

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

int sim_cable_promise(struct sim_cable *c, uint64_t horizon_ps)
{
    uint64_t out = sim_cable_out_next(c);
    struct cable_hdr h = {.type = MSG_SYNC, .horizon = horizon_ps, .out_next = out,
                          .rx_count = c->rx_count};

    if (c->cfg.time_mode != TIME_MODE_VIRTUAL)
        return 0;
    if (c->sync_sent && horizon_ps == c->sent_horizon && out == c->sent_out &&
        c->rx_count == c->sent_rx_count)
        return 0;
    if (send_msg(c, &h, NULL, 0))
        return -1;
    c->sync_sent = 1;
    c->sent_horizon = horizon_ps;
    c->sent_out = out;
    c->sent_rx_count = c->rx_count;
    c->st.syncs_sent++;
    return 0;
}

uint64_t sim_cable_bound(const struct sim_cable *c, uint64_t horizon_ps)
{
    uint64_t L = c->cfg.latency_ps, peer, mine;

    if (c->cfg.time_mode != TIME_MODE_VIRTUAL || !c->alive)
        return SIM_TIME_NEVER;
    peer = min64(c->peer_horizon, c->peer_out);
    if (c->un_n)
        peer = min64(peer, c->unacked[c->un_head]);
    mine = min64(horizon_ps, sim_cable_out_next(c));
    return min64(add_sat(peer, L), add_sat(mine, 2 * L));
}

void sim_cable_stats(const struct sim_cable *c, struct sim_cable_stats *s)
{
    *s = c->st;
    toe_impair_counters(c->im, &s->impair);
}
