/*
 * The rings and the waking: docs/device.md "The channel", Queues and Waking.
 *
 * Each ring has one producer and one consumer, and nothing shared but the
 * slots' own bytes (as SimBricks' queues): the producer fills a slot whose own
 * is 0 and stores own = 1 with release order; the consumer loads own with
 * acquire order, reads, and stores own = 0 with release order. Each side keeps
 * its own position, so there is no shared index for a peer to corrupt.
 *
 * A side with nothing to do stores what it waits for in its wait word, looks
 * at the ring again and sleeps in poll() on the socket. A side that publishes
 * a slot (or hands one back) then looks at the peer's wait word and, if the
 * peer sleeps for that, writes one byte to the socket. Both sides put a
 * sequentially consistent fence between their store and their load: with
 * release/acquire alone each store could still sit in its CPU's store buffer
 * while the other side's load runs, both would miss the other, and the
 * sleeper would never be woken (the store-buffering case of Dekker's
 * algorithm).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "toe_chan_priv.h"

/* Bounds the wake bytes read per wait round, so that a peer that never stops
 * writing them cannot keep us from the deadline. */
#define DRAIN_ROUNDS 64

void toe_chan_rings_init(struct toe_chan *ch)
{
    struct toe_chan_qhdr *q = (struct toe_chan_qhdr *)ch->queue;
    struct toe_chan_msg *h2d = (struct toe_chan_msg *)(ch->queue + TOE_CHAN_QHDR_SIZE);
    struct toe_chan_msg *d2h = h2d + ch->nslots;

    if (ch->role == ROLE_DEVICE) {
        ch->tx_ring = d2h;
        ch->rx_ring = h2d;
        ch->my_wait = (_Atomic uint32_t *)&q->dev_wait;
        ch->peer_wait = (_Atomic uint32_t *)&q->host_wait;
        ch->tx_dir = TOE_CHAN_D2H;
        ch->rx_dir = TOE_CHAN_H2D;
    } else {
        ch->tx_ring = h2d;
        ch->rx_ring = d2h;
        ch->my_wait = (_Atomic uint32_t *)&q->host_wait;
        ch->peer_wait = (_Atomic uint32_t *)&q->dev_wait;
        ch->tx_dir = TOE_CHAN_H2D;
        ch->rx_dir = TOE_CHAN_D2H;
    }
    ch->tx_pos = ch->rx_pos = 0;
    ch->tx_time = ch->rx_time = 0;
    ch->rx_held = 0;
    ch->peer_gone = 0;
}

static uint32_t next_pos(const struct toe_chan *ch, uint32_t pos)
{
    return pos + 1 == ch->nslots ? 0 : pos + 1;
}

/* One wake byte to a sleeping peer. EAGAIN means the socket already holds
 * unread wake bytes, which wake it just as well. */
static void kick(struct toe_chan *ch)
{
    const char b = 0;
    ssize_t k;

    if (ch->peer_gone)
        return;
    k = send(ch->sock, &b, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (k == 1)
        ch->stats.wakes_sent++;
    else if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        ch->peer_gone = 1;
}

/* After our store to a slot's own byte: wake the peer if it sleeps for it. */
static void maybe_kick(struct toe_chan *ch, unsigned peer_waits_for)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(ch->peer_wait, memory_order_relaxed) & peer_waits_for)
        kick(ch);
}

struct toe_chan_msg *toe_chan_tx_alloc(struct toe_chan *ch)
{
    struct toe_chan_msg *m;

    if (ch->sock < 0)
        return NULL;
    m = &ch->tx_ring[ch->tx_pos];
    /* Acquire: the consumer's reads of this slot are done before we write it. */
    if (atomic_load_explicit(own_of(m), memory_order_acquire) != 0)
        return NULL;
    memset((uint8_t *)m + 1, 0, sizeof(*m) - 1);
    return m;
}

int toe_chan_tx_commit(struct toe_chan *ch, struct toe_chan_msg *m)
{
    char why[160];

    if (ch->sock < 0)
        return toe_chan_fail(ch, ENOTCONN, 0, "commit: not attached");
    if (ch->peer_gone)
        return toe_chan_fail(ch, EPIPE, 0, "the %s closed the channel",
                             ch->role == ROLE_DEVICE ? "host" : "device");
    if (m != &ch->tx_ring[ch->tx_pos])
        return toe_chan_fail(ch, EINVAL, 0, "commit of a slot toe_chan_tx_alloc() did not give");
    if (toe_chan_msg_check(m, ch->tx_dir, ch->tx_time, why, sizeof(why)) < 0) {
        ch->stats.tx_refused++;
        return toe_chan_fail(ch, EINVAL, 0, "refused to send %s: %s",
                             toe_chan_msg_name(m->type), why);
    }
    ch->tx_time = m->time;
    atomic_store_explicit(own_of(m), 1, memory_order_release);
    ch->tx_pos = next_pos(ch, ch->tx_pos);
    ch->stats.tx++;
    maybe_kick(ch, CHAN_WAIT_RX);
    return 0;
}

int toe_chan_send(struct toe_chan *ch, const struct toe_chan_msg *m)
{
    struct toe_chan_msg *s = toe_chan_tx_alloc(ch);

    if (!s)
        return ch->sock < 0 ? toe_chan_fail(ch, ENOTCONN, 0, "send: not attached")
                            : toe_chan_fail(ch, EAGAIN, 0, "send: ring full");
    memcpy((uint8_t *)s + 1, (const uint8_t *)m + 1, sizeof(*m) - 1);
    return toe_chan_tx_commit(ch, s);
}

/* Give the slot at rx_pos back to the producer. */
static void hand_back(struct toe_chan *ch)
{
    atomic_store_explicit(own_of(&ch->rx_ring[ch->rx_pos]), 0, memory_order_release);
    ch->rx_pos = next_pos(ch, ch->rx_pos);
    maybe_kick(ch, CHAN_WAIT_TX);
}

int toe_chan_rx_peek(struct toe_chan *ch, const struct toe_chan_msg **m)
{
    struct toe_chan_msg *slot;
    char why[160];
    uint8_t own;

    if (ch->sock < 0)
        return toe_chan_fail(ch, ENOTCONN, 0, "peek: not attached");
    if (ch->rx_held) {
        *m = &ch->rx_copy;
        return 1;
    }
    slot = &ch->rx_ring[ch->rx_pos];
    own = atomic_load_explicit(own_of(slot), memory_order_acquire);
    if (own == 0)
        return 0;
    /* Check a private copy: the peer could rewrite the slot between our check
     * and our use of it. */
    memcpy(&ch->rx_copy, slot, sizeof(*slot));
    if (own != 1)
        snprintf(why, sizeof(why), "own byte %u (0 or 1 expected)", own);
    if (own != 1 || toe_chan_msg_check(&ch->rx_copy, ch->rx_dir, ch->rx_time, why,
                                       sizeof(why)) < 0) {
        ch->stats.rx_bad++;
        toe_chan_fail(ch, EPROTO, 0, "dropped a %s message from the %s: %s",
                      toe_chan_msg_name(ch->rx_copy.type),
                      ch->role == ROLE_DEVICE ? "host" : "device", why);
        toe_chan_log_limited(ch, ch->stats.rx_bad);
        hand_back(ch);
        return -EPROTO;
    }
    ch->rx_time = ch->rx_copy.time;
    ch->rx_held = 1;
    ch->stats.rx++;
    *m = &ch->rx_copy;
    return 1;
}

int toe_chan_rx_release(struct toe_chan *ch)
{
    if (ch->sock < 0 || !ch->rx_held)
        return toe_chan_fail(ch, EINVAL, 0, "release without a peeked message");
    ch->rx_held = 0;
    hand_back(ch);
    return 0;
}

/* ---- waiting --------------------------------------------------------------------- */

static unsigned ready(struct toe_chan *ch, unsigned what)
{
    unsigned r = 0;

    if ((what & TOE_CHAN_RX) &&
        (ch->rx_held ||
         atomic_load_explicit(own_of(&ch->rx_ring[ch->rx_pos]), memory_order_acquire) != 0))
        r |= TOE_CHAN_RX;
    if ((what & TOE_CHAN_TX) &&
        atomic_load_explicit(own_of(&ch->tx_ring[ch->tx_pos]), memory_order_acquire) == 0)
        r |= TOE_CHAN_TX;
    return r;
}

/* Reads the wake bytes; the socket's end (EOF, error) marks the peer gone. */
static void drain(struct toe_chan *ch)
{
    char buf[64];
    int i;

    for (i = 0; i < DRAIN_ROUNDS; i++) {
        ssize_t k = recv(ch->sock, buf, sizeof(buf), MSG_DONTWAIT);

        if (k > 0)
            continue;
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        ch->peer_gone = 1;
        return;
    }
}

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static unsigned spin(struct toe_chan *ch, unsigned what)
{
    int64_t end = now_ns() + ch->opts.spin_ns;
    unsigned r;
    int i;

    for (;;) {
        for (i = 0; i < 64; i++) {
            r = ready(ch, what);
            if (r)
                return r;
            cpu_relax();
        }
        if (now_ns() >= end)
            return 0;
    }
}

int toe_chan_wait(struct toe_chan *ch, unsigned what, int timeout_ms)
{
    return toe_chan_wait_fd(ch, what, -1, timeout_ms);
}

int toe_chan_wait_fd(struct toe_chan *ch, unsigned what, int extra_fd, int timeout_ms)
{
    int64_t deadline = timeout_ms < 0 ? -1 : now_ns() + (int64_t)timeout_ms * 1000000;
    unsigned r;

    if (ch->sock < 0)
        return toe_chan_fail(ch, ENOTCONN, 0, "wait: not attached");
    what &= TOE_CHAN_RX | TOE_CHAN_TX;
    if (!what)
        return toe_chan_fail(ch, EINVAL, 0, "wait for nothing");
    if (ch->opts.spin_ns && timeout_ms != 0 && (r = spin(ch, what)) != 0)
        return (int)r;
    for (;;) {
        struct pollfd pfd[3] = {{.fd = ch->sock, .events = POLLIN},
                                {.fd = ch->listen_fd, .events = POLLIN},
                                {.fd = extra_fd, .events = POLLIN}};
        int left, n;

        /* The extra descriptor sits last; a host has no listening socket, so
         * its slot 1 is ignored (fd -1, as poll() ignores negative ones). */
        if (ch->role != ROLE_DEVICE)
            pfd[1].fd = -1;

        r = ready(ch, what);
        if (r)
            return (int)r;
        if (ch->peer_gone)
            return toe_chan_fail(ch, EPIPE, 0, "the %s closed the channel",
                                 ch->role == ROLE_DEVICE ? "host" : "device");
        /* Announce the sleep, then look once more: a slot published before
         * the announcement is seen here, one published after it comes with a
         * wake byte (the producer's fence pairs with this one). */
        atomic_store_explicit(ch->my_wait, what, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
        r = ready(ch, what);
        if (r) {
            atomic_store_explicit(ch->my_wait, 0, memory_order_relaxed);
            return (int)r;
        }
        if (deadline < 0) {
            left = -1;
        } else {
            int64_t ns = deadline - now_ns();

            left = ns <= 0 ? 0 : ns / 1000000 > 1000000000 ? 1000000000 : (int)((ns + 999999) / 1000000);
        }
        if (left)
            ch->stats.sleeps++;
        n = poll(pfd, 3, left);
        atomic_store_explicit(ch->my_wait, 0, memory_order_relaxed);
        if (n < 0 && errno == EINTR)
            return toe_chan_fail(ch, EINTR, 0, "wait interrupted by a signal");
        if (n < 0)
            return toe_chan_fail(ch, errno, 0, "wait: poll: %s", strerror(errno));
        /* The socket first: a host that left and a host that connects right
         * after it are both visible here, and the newcomer must wait for
         * accept, not be told BUSY. */
        if (pfd[0].revents)
            drain(ch);
        if (extra_fd >= 0 && pfd[2].revents)
            return (int)(ready(ch, what) | TOE_CHAN_EXTRA);
        if (ch->role == ROLE_DEVICE && (pfd[1].revents & POLLIN) && !ch->peer_gone)
            toe_chan_refuse_busy(ch);
        if (n == 0 || (left == 0 && !ch->peer_gone))
            return (int)ready(ch, what);
    }
}
