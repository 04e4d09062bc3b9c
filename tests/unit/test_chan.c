/*
 * Unit tests of the message channel (sim/chan, docs/device.md "The channel"),
 * with the device in a child process as toe-sim will be: the handshake and
 * both memfds crossing the process boundary; exact messages and timestamps
 * both ways, rings wrapping thousands of times and filling up; a sleeping
 * peer always woken; a peer's death seen at once; BUSY, VERSION, a bad magic,
 * unusable DMA memory, and a device that answers nonsense; bogus slots; the
 * IOMMU-style DMA bounds at their exact edges.
 *
 * Nothing here measures time: waits have a guard (GUARD_MS) so that a bug
 * fails instead of hanging, and a test that needs a peer asleep looks at its
 * state in /proc rather than sleeping.
 */
#define _GNU_SOURCE /* memfd_create */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "test_chan_util.h"
#include "test_seed.h"
#include "toe_chan.h"
#include "toe_chan_priv.h" /* the handshake's socket helpers, for the fake peers */

#define TOP_IOVA 0xfffffffffffff000ull /* the last page of the 64-bit bus */

/* ---- messages ---------------------------------------------------------------------- */

static struct toe_chan_msg msg(uint8_t type, uint32_t id, uint64_t time)
{
    struct toe_chan_msg m;

    memset(&m, 0, sizeof(m));
    m.type = type;
    m.id = id;
    m.time = time;
    return m;
}

static struct toe_chan_msg mmio(uint8_t type, uint32_t id, uint64_t time, uint8_t bar,
                                uint64_t offset, uint8_t size, uint64_t value)
{
    struct toe_chan_msg m = msg(type, id, time);

    m.payload.mmio.bar = bar;
    m.payload.mmio.offset = offset;
    m.payload.mmio.size = size;
    m.payload.mmio.value = value;
    return m;
}

static struct toe_chan_msg msix(uint16_t vector, uint64_t time)
{
    struct toe_chan_msg m = msg(CHAN_MSG_MSIX, 0, time);

    m.payload.msix.vector = vector;
    return m;
}

/* A host's SYNC at t granting the device time until t (payload.sync.until). */
static struct toe_chan_msg host_sync(uint64_t t)
{
    struct toe_chan_msg m = msg(CHAN_MSG_SYNC, 0, t);

    m.payload.sync.until = t;
    return m;
}

/* What the echo device reads from a register: a function of where. */
static uint64_t read_value(const struct toe_chan_mmio *io)
{
    uint64_t v = (io->offset * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)io->bar << 56) ^
                 0x0123456789abcdefull;

    return io->size == 4 ? (uint32_t)v : v;
}

/* The echo device's answer to m, stamped 1 ps later: MMIO_DONE for a read,
 * an MSI-X for a write, SYNC for SYNC. 0 when m gets none (RESET). */
static int echo_reply(const struct toe_chan_msg *m, struct toe_chan_msg *r)
{
    const struct toe_chan_mmio *io = &m->payload.mmio;

    switch (m->type) {
    case CHAN_MSG_MMIO_READ:
        *r = msg(CHAN_MSG_MMIO_DONE, m->id, m->time + 1);
        r->payload.done.value = read_value(io);
        return 1;
    case CHAN_MSG_MMIO_WRITE:
        *r = msix((uint16_t)((io->value ^ io->offset ^ io->bar) % MSIX_VECTORS), m->time + 1);
        return 1;
    case CHAN_MSG_SYNC:
        *r = msg(CHAN_MSG_SYNC, 0, m->time + 1);
        return 1;
    default:
        return 0;
    }
}

/* A random message a host may send, stamped at or after *t. */
static struct toe_chan_msg random_host_msg(uint64_t *t)
{
    uint8_t size = test_rand_below(2) ? 8 : 4;
    uint8_t bar = (uint8_t)test_rand_below(6);
    uint64_t off = (test_rand64() & 0xffffff) & ~(uint64_t)(size - 1);

    *t += test_rand_below(3) == 0 ? 0 : test_rand_below(100000);
    switch (test_rand_below(3)) {
    case 0:
        return mmio(CHAN_MSG_MMIO_READ, (uint32_t)test_rand64(), *t, bar, off, size, 0);
    case 1:
        return mmio(CHAN_MSG_MMIO_WRITE, 0, *t, bar, off, size,
                    size == 4 ? (uint32_t)test_rand64() : test_rand64());
    default:
        return host_sync(*t);
    }
}

/* Sends m, waiting for a free slot if the ring is full. */
static int send_wait(struct toe_chan *ch, const struct toe_chan_msg *m)
{
    int rc;

    while ((rc = toe_chan_send(ch, m)) == -EAGAIN) {
        rc = toe_chan_wait(ch, TOE_CHAN_TX, GUARD_MS);
        if (rc <= 0)
            return rc == 0 ? -ETIMEDOUT : rc;
    }
    return rc;
}

/* Waits for the next message and checks every byte of it but own. */
static void expect_msg(struct toe_chan *ch, const struct toe_chan_msg *want)
{
    const struct toe_chan_msg *got;
    int rc = toe_chan_wait(ch, TOE_CHAN_RX, GUARD_MS);

    if (rc != TOE_CHAN_RX)
        fail_msg("waiting for a %s at %llu ps: %d (%s)", toe_chan_msg_name(want->type),
                 (unsigned long long)want->time, rc, toe_chan_error(ch));
    assert_int_equal(toe_chan_rx_peek(ch, &got), 1);
    assert_memory_equal((const uint8_t *)got + 1, (const uint8_t *)want + 1, sizeof(*want) - 1);
    assert_int_equal(toe_chan_rx_release(ch), 0);
}

/* ---- the host side in the test's process ------------------------------------------ */

struct host {
    struct toe_chan *ch;
    int fd;       /* its DMA memfd */
    uint8_t *mem; /* our own mapping of it */
    uint64_t size;
};

/* The host's DMA memory, before it connects. */
static void host_memory(struct host *h, uint64_t size)
{
    h->size = size;
    h->fd = toe_chan_memfd("test-dma", size);
    assert_true(h->fd >= 0);
    h->mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, h->fd, 0);
    assert_true(h->mem != MAP_FAILED);
    h->ch = NULL;
}

static int host_connect(struct host *h, const struct toe_chan_opts *o, uint64_t iova)
{
    h->ch = toe_chan_new(o);
    assert_non_null(h->ch);
    return toe_chan_connect(h->ch, sock_path, h->fd, h->size, iova);
}

static int host_try(struct host *h, const struct toe_chan_opts *o, uint64_t size, uint64_t iova)
{
    host_memory(h, size);
    return host_connect(h, o, iova);
}

static void host_open(struct host *h, const struct toe_chan_opts *o, uint64_t size, uint64_t iova)
{
    int rc = host_try(h, o, size, iova);

    if (rc)
        fail_msg("connect: %d: %s", rc, toe_chan_error(h->ch));
}

static void host_close(struct host *h)
{
    toe_chan_close(h->ch);
    munmap(h->mem, h->size);
    close(h->fd);
    h->ch = NULL;
}

/* ---- devices in a child ------------------------------------------------------------ */

struct report {
    uint64_t rx, rx_bad, tx, sleeps, wakes_sent, hosts_refused, hosts_dropped, attaches;
};

static void put_report(int ctl, struct toe_chan *ch, uint64_t attaches)
{
    const struct toe_chan_stats *s = toe_chan_stats(ch);

    ctl_put(ctl, s->rx);
    ctl_put(ctl, s->rx_bad);
    ctl_put(ctl, s->tx);
    ctl_put(ctl, s->sleeps);
    ctl_put(ctl, s->wakes_sent);
    ctl_put(ctl, s->hosts_refused);
    ctl_put(ctl, s->hosts_dropped);
    ctl_put(ctl, attaches);
}

static struct report get_report(int ctl)
{
    struct report r;

    r.rx = ctl_get(ctl);
    r.rx_bad = ctl_get(ctl);
    r.tx = ctl_get(ctl);
    r.sleeps = ctl_get(ctl);
    r.wakes_sent = ctl_get(ctl);
    r.hosts_refused = ctl_get(ctl);
    r.hosts_dropped = ctl_get(ctl);
    r.attaches = ctl_get(ctl);
    return r;
}

static int forever = -1;

/* Answers every message with echo_reply(); a host that leaves is followed by
 * the next one; RESET ends it, after it reports its counters. It waits for a
 * message GUARD_MS, or as long as *arg says if arg is not NULL. */
static int echo_device(struct toe_chan *ch, int ctl, void *arg)
{
    int wait_ms = arg ? *(int *)arg : GUARD_MS;
    uint64_t attaches = 0;

    for (;;) {
        int rc = toe_chan_accept(ch, GUARD_MS);

        if (rc < 0) {
            fprintf(stderr, "echo device: accept: %s\n", toe_chan_error(ch));
            return 2;
        }
        attaches++;
        for (;;) {
            const struct toe_chan_msg *m;
            struct toe_chan_msg r;
            int has;

            rc = toe_chan_wait(ch, TOE_CHAN_RX, wait_ms);
            if (rc == -EPIPE) {
                toe_chan_detach(ch);
                break;
            }
            if (rc != TOE_CHAN_RX || toe_chan_rx_peek(ch, &m) != 1) {
                fprintf(stderr, "echo device: wait %d: %s\n", rc, toe_chan_error(ch));
                return 3;
            }
            if (m->type == CHAN_MSG_RESET) {
                toe_chan_rx_release(ch);
                put_report(ctl, ch, attaches);
                return 0;
            }
            has = echo_reply(m, &r);
            CHILD_CHECK(toe_chan_rx_release(ch) == 0);
            if (has && send_wait(ch, &r) < 0) {
                fprintf(stderr, "echo device: send: %s\n", toe_chan_error(ch));
                return 4;
            }
        }
    }
}

static struct child spawn_device(struct device_args *a)
{
    struct child c = spawn(device_main, a);

    assert_true(c.pid > 0);
    return c;
}

/* Ends an echo device with RESET and returns its counters. */
static struct report end_echo(struct host *h, struct child *c, uint64_t time)
{
    struct toe_chan_msg reset = msg(CHAN_MSG_RESET, 0, time);
    struct report r;

    assert_int_equal(send_wait(h->ch, &reset), 0);
    r = get_report(c->ctl);
    assert_int_equal(reap(c), 0);
    return r;
}

/* ---- handshake and fd passing ------------------------------------------------------- */

#define HS_IOVA 0x100000000ull
#define HS_SIZE (1ull << 20)

static int dev_handshake(struct toe_chan *ch, int ctl, void *arg)
{
    const struct toe_chan_msg *m;
    struct toe_chan_msg irq = msix(3, 1000);
    uint8_t *p, *q, *base;
    int i;

    (void)ctl;
    (void)arg;
    CHILD_CHECK(toe_chan_accept(ch, GUARD_MS) == 0);
    CHILD_CHECK(toe_chan_attached(ch) && toe_chan_nslots(ch) == 8);
    CHILD_CHECK(toe_chan_dma_iova(ch) == HS_IOVA && toe_chan_dma_size(ch) == HS_SIZE);
    /* The host's bytes, through the memfd it passed. */
    p = toe_chan_dma_ptr(ch, HS_IOVA + 4096, 256);
    CHILD_CHECK(p != NULL);
    for (i = 0; i < 256; i++)
        CHILD_CHECK(p[i] == (uint8_t)(i * 7 + 1));
    q = toe_chan_dma_ptr(ch, HS_IOVA + 8192, 256);
    CHILD_CHECK(q != NULL);
    for (i = 0; i < 256; i++)
        q[i] = (uint8_t)(0xA5 ^ i);
    /* The window's edges, on the device's side. */
    base = toe_chan_dma_ptr(ch, HS_IOVA, 1);
    CHILD_CHECK(toe_chan_dma_ptr(ch, HS_IOVA + HS_SIZE - 1, 1) == base + HS_SIZE - 1);
    CHILD_CHECK(toe_chan_dma_ptr(ch, HS_IOVA, HS_SIZE) == base);
    CHILD_CHECK(toe_chan_stats(ch)->dma_refused == 0);
    CHILD_CHECK(toe_chan_dma_ptr(ch, HS_IOVA + HS_SIZE, 1) == NULL);
    CHILD_CHECK(toe_chan_dma_ptr(ch, HS_IOVA - 1, 1) == NULL);
    CHILD_CHECK(toe_chan_dma_ptr(ch, HS_IOVA, 0) == NULL);
    CHILD_CHECK(toe_chan_dma_ptr(ch, HS_IOVA + 1, UINT64_MAX) == NULL);
    CHILD_CHECK(toe_chan_stats(ch)->dma_refused == 4);
    CHILD_CHECK(strcmp(toe_chan_error(ch), "DMA of 18446744073709551615 bytes at 0x100000001 "
                                           "refused: outside [0x100000000, 0x100000000 + "
                                           "0x100000)") == 0);
    CHILD_CHECK(toe_chan_send(ch, &irq) == 0);
    CHILD_CHECK(toe_chan_wait(ch, TOE_CHAN_RX, GUARD_MS) == TOE_CHAN_RX);
    CHILD_CHECK(toe_chan_rx_peek(ch, &m) == 1 && m->type == CHAN_MSG_RESET && m->time == 2000);
    CHILD_CHECK(toe_chan_rx_release(ch) == 0);
    return 0;
}

static void handshake_and_fd_passing(void **state)
{
    struct device_args a = {.opts = {.nslots = 8}, .fn = dev_handshake};
    struct toe_chan_msg irq = msix(3, 1000), reset = msg(CHAN_MSG_RESET, 0, 2000);
    struct child c;
    struct host h;
    struct stat st;
    uint8_t *p;
    int i;

    (void)state;
    c = spawn_device(&a);
    assert_int_equal(stat(sock_path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    host_memory(&h, HS_SIZE);
    for (i = 0; i < 256; i++)
        h.mem[4096 + i] = (uint8_t)(i * 7 + 1);
    assert_int_equal(host_connect(&h, NULL, HS_IOVA), 0);
    assert_true(toe_chan_attached(h.ch));
    assert_int_equal(toe_chan_nslots(h.ch), 8); /* the device's choice */
    assert_int_equal(toe_chan_dma_iova(h.ch), HS_IOVA);
    assert_int_equal(toe_chan_dma_size(h.ch), HS_SIZE);
    expect_msg(h.ch, &irq);
    /* The device wrote into our memory before it sent the interrupt. */
    for (i = 0; i < 256; i++)
        assert_int_equal(h.mem[8192 + i], (uint8_t)(0xA5 ^ i));
    /* The host maps the same memory: its view of an IOVA is our byte. */
    p = toe_chan_dma_ptr(h.ch, HS_IOVA + 8192, 256);
    assert_non_null(p);
    assert_memory_equal(p, h.mem + 8192, 256);
    assert_int_equal(toe_chan_send(h.ch, &reset), 0);
    assert_int_equal(reap(&c), 0);
    /* The device removed its socket file as it closed. */
    assert_int_equal(stat(sock_path, &st), -1);
    assert_int_equal(errno, ENOENT);
    host_close(&h);
}

/* ---- messages ------------------------------------------------------------------------ */

static void messages_exact_both_ways(void **state)
{
    struct device_args a = {.opts = {.nslots = 16}, .fn = echo_device};
    const uint64_t T = 1ull << 62;
    const struct toe_chan_msg out[] = {
        mmio(CHAN_MSG_MMIO_READ, 0xdeadbeef, 100, 0, 0x10, 4, 0),
        mmio(CHAN_MSG_MMIO_READ, 7, 100, 2, 0x7ff8, 8, 0), /* the same time again */
        mmio(CHAN_MSG_MMIO_WRITE, 0, 250, 0, 0x20, 4, 0xcafef00d),
        mmio(CHAN_MSG_MMIO_WRITE, 0, T, 5, 0x8, 8, 0x0123456789abcdefull),
        host_sync(T + 5),
    };
    const struct toe_chan_msg want[] = {
        /* read_value(): 0x10 * 0x9E3779B97F4A7C15 ^ 0x0123456789abcdef, low 32 bits */
        {.type = CHAN_MSG_MMIO_DONE, .id = 0xdeadbeef, .time = 101,
         .payload.done.value = 0x9E3779B97F4A7C15ull * 0x10 ^ 0x0123456789abcdefull},
        {.type = CHAN_MSG_MMIO_DONE, .id = 7, .time = 101,
         .payload.done.value = 0x9E3779B97F4A7C15ull * 0x7ff8 ^ (2ull << 56) ^
                               0x0123456789abcdefull},
        {.type = CHAN_MSG_MSIX, .time = 251, .payload.msix.vector = (0xcafef00d ^ 0x20) % 32},
        {.type = CHAN_MSG_MSIX, .time = T + 1,
         .payload.msix.vector = (0x0123456789abcdefull ^ 0x8 ^ 5) % 32},
        {.type = CHAN_MSG_SYNC, .time = T + 6},
    };
    struct toe_chan_msg first = want[0], *s, *s2;
    const struct toe_chan_msg *m;
    struct report r;
    struct child c;
    struct host h;
    size_t i;

    (void)state;
    first.payload.done.value &= 0xffffffffu;
    c = spawn_device(&a);
    host_open(&h, NULL, 4096, 0);
    /* All five queued before the device answers any. */
    for (i = 0; i < 5; i++)
        assert_int_equal(toe_chan_send(h.ch, &out[i]), 0);
    expect_msg(h.ch, &first);
    for (i = 1; i < 5; i++)
        expect_msg(h.ch, &want[i]);

    /* What the device would refuse is not sent: the slot stays ours. */
    s = toe_chan_tx_alloc(h.ch);
    assert_non_null(s);
    *s = msix(1, T + 5);
    assert_int_equal(toe_chan_tx_commit(h.ch, s), -EINVAL);
    assert_string_equal(toe_chan_error(h.ch),
                        "refused to send MSIX: MSIX does not travel from host to device");
    s2 = toe_chan_tx_alloc(h.ch);
    assert_ptr_equal(s2, s);
    assert_int_equal(s2->type, 0); /* zeroed again */
    *s2 = host_sync(99);
    assert_int_equal(toe_chan_tx_commit(h.ch, s2), -EINVAL);
    assert_string_equal(toe_chan_error(h.ch),
                        "refused to send SYNC: time 99 ps is before 4611686018427387909 ps, "
                        "the ring's last");
    assert_int_equal(toe_chan_tx_commit(h.ch, &first), -EINVAL);
    assert_string_equal(toe_chan_error(h.ch), "commit of a slot toe_chan_tx_alloc() did not give");
    assert_int_equal(toe_chan_rx_release(h.ch), -EINVAL);
    assert_int_equal(toe_chan_rx_peek(h.ch, &m), 0);

    r = end_echo(&h, &c, T + 5);
    assert_int_equal(r.rx, 6);
    assert_int_equal(r.rx_bad, 0);
    assert_int_equal(r.tx, 5);
    assert_int_equal(r.attaches, 1);
    assert_int_equal(toe_chan_stats(h.ch)->tx, 6);
    assert_int_equal(toe_chan_stats(h.ch)->rx, 5);
    assert_int_equal(toe_chan_stats(h.ch)->tx_refused, 2);
    assert_int_equal(toe_chan_stats(h.ch)->rx_bad, 0);
    host_close(&h);
}

/* 3 slots (not a power of two), 30000 random messages each way in batches of 1
 * to 3: each ring wraps 10000 times, and every answer is checked whole. */
static void ring_wraps_many_times(void **state)
{
    struct device_args a = {.opts = {.nslots = 3}, .fn = echo_device};
    enum { N = 30000 };
    struct toe_chan_msg batch[3], want;
    uint64_t t = test_rand64() >> 2;
    struct report r;
    struct child c;
    struct host h;
    int sent = 0;

    (void)state;
    c = spawn_device(&a);
    host_open(&h, NULL, 4096, 0);
    assert_int_equal(toe_chan_nslots(h.ch), 3);
    while (sent < N) {
        int k = 1 + (int)test_rand_below(3), i;

        for (i = 0; i < k; i++) {
            batch[i] = random_host_msg(&t);
            assert_int_equal(send_wait(h.ch, &batch[i]), 0);
        }
        for (i = 0; i < k; i++) {
            assert_true(echo_reply(&batch[i], &want));
            expect_msg(h.ch, &want);
        }
        sent += k;
    }
    r = end_echo(&h, &c, t);
    assert_int_equal(r.rx, (uint64_t)sent + 1);
    assert_int_equal(r.tx, (uint64_t)sent);
    assert_int_equal(r.rx_bad, 0);
    assert_int_equal(toe_chan_stats(h.ch)->rx, (uint64_t)sent);
    host_close(&h);
}

/* A device that takes messages only when told: 1 = take one once the host
 * sleeps for a free slot; 2, n = take n; 0 = end. Reports each offset. */
static int dev_sink(struct toe_chan *ch, int ctl, void *arg)
{
    const struct toe_chan_msg *m;
    uint64_t cmd, n;
    int64_t t0;

    (void)arg;
    CHILD_CHECK(toe_chan_accept(ch, GUARD_MS) == 0);
    while ((cmd = ctl_get(ctl)) != 0 && cmd != UINT64_MAX) {
        n = 1;
        if (cmd == 1) {
            t0 = mono_ms();
            while (!(toe_chan_peer_wait(ch) & TOE_CHAN_TX))
                CHILD_CHECK(mono_ms() - t0 < GUARD_MS);
        } else {
            n = ctl_get(ctl);
        }
        while (n--) {
            CHILD_CHECK(toe_chan_wait(ch, TOE_CHAN_RX, GUARD_MS) == TOE_CHAN_RX);
            CHILD_CHECK(toe_chan_rx_peek(ch, &m) == 1);
            ctl_put(ctl, m->payload.mmio.offset);
            CHILD_CHECK(toe_chan_rx_release(ch) == 0);
        }
    }
    return 0;
}

static void full_ring_blocks_producer(void **state)
{
    struct device_args a = {.opts = {.nslots = 4}, .fn = dev_sink};
    struct toe_chan_msg *s, w;
    struct child c;
    struct host h;
    uint64_t i;

    (void)state;
    c = spawn_device(&a);
    host_open(&h, NULL, 4096, 0);
    for (i = 0; i < 4; i++) {
        s = toe_chan_tx_alloc(h.ch);
        assert_non_null(s);
        *s = mmio(CHAN_MSG_MMIO_WRITE, 0, i, 0, i * 8, 8, i);
        assert_int_equal(toe_chan_tx_commit(h.ch, s), 0);
    }
    /* Full: no slot until the device hands one back. */
    assert_null(toe_chan_tx_alloc(h.ch));
    w = mmio(CHAN_MSG_MMIO_WRITE, 0, 4, 0, 32, 8, 4);
    assert_int_equal(toe_chan_send(h.ch, &w), -EAGAIN);
    assert_string_equal(toe_chan_error(h.ch), "send: ring full");
    assert_int_equal(toe_chan_wait(h.ch, TOE_CHAN_TX, 0), 0);
    assert_null(toe_chan_tx_alloc(h.ch));

    /* The device frees one slot once we sleep for it; that wakes us. */
    ctl_put(c.ctl, 1);
    assert_int_equal(toe_chan_wait(h.ch, TOE_CHAN_TX, GUARD_MS), TOE_CHAN_TX);
    assert_int_equal(ctl_get(c.ctl), 0); /* it took the oldest */
    assert_int_equal(toe_chan_send(h.ch, &w), 0);
    assert_null(toe_chan_tx_alloc(h.ch));

    /* The rest, in order, the last one in the slot the first one left. */
    ctl_put(c.ctl, 2);
    ctl_put(c.ctl, 4);
    for (i = 1; i <= 4; i++)
        assert_int_equal(ctl_get(c.ctl), i * 8);
    assert_int_equal(toe_chan_wait(h.ch, TOE_CHAN_TX, GUARD_MS), TOE_CHAN_TX);
    ctl_put(c.ctl, 0);
    assert_int_equal(reap(&c), 0);
    assert_int_equal(toe_chan_stats(h.ch)->tx, 5);
    host_close(&h);
}

/* ---- waking ------------------------------------------------------------------------- */

/* Spins until the process pid sleeps (in poll(): the only place it sleeps
 * with its wait word set) for `what` on ch's peer side. */
static void until_asleep(struct toe_chan *ch, pid_t pid, unsigned what)
{
    int64_t t0 = mono_ms();

    while (!((toe_chan_peer_wait(ch) & what) && proc_state(pid) == 'S')) {
        if (mono_ms() - t0 > GUARD_MS)
            fail_msg("peer %d never slept (wait word %u, state %c)", (int)pid,
                     toe_chan_peer_wait(ch), proc_state(pid));
        usleep(20);
    }
}

enum { WAKE_N = 200 };

/* Sends WAKE_N MSI-X messages, each once the host is asleep waiting for it. */
static int dev_wakes_host(struct toe_chan *ch, int ctl, void *arg)
{
    const struct toe_chan_msg *m;
    uint64_t w;
    int i;

    (void)ctl;
    (void)arg;
    CHILD_CHECK(toe_chan_accept(ch, GUARD_MS) == 0);
    for (i = 0; i < WAKE_N; i++) {
        struct toe_chan_msg irq = msix((uint16_t)(i % MSIX_VECTORS), (uint64_t)i);
        int64_t t0 = mono_ms();

        while (!((toe_chan_peer_wait(ch) & TOE_CHAN_RX) && proc_state(getppid()) == 'S'))
            CHILD_CHECK(mono_ms() - t0 < GUARD_MS);
        w = toe_chan_stats(ch)->wakes_sent;
        CHILD_CHECK(toe_chan_send(ch, &irq) == 0);
        CHILD_CHECK(toe_chan_stats(ch)->wakes_sent == w + 1);
    }
    CHILD_CHECK(toe_chan_wait(ch, TOE_CHAN_RX, GUARD_MS) == TOE_CHAN_RX);
    CHILD_CHECK(toe_chan_rx_peek(ch, &m) == 1 && m->type == CHAN_MSG_RESET);
    return 0;
}

/* The wake byte reaches a peer that is really blocked in poll(), every time,
 * both ways: the producer sees the sleeper's wait word and writes exactly one
 * byte, and the sleeper wakes with the message. */
static void wakes_peer_blocked_in_poll(void **state)
{
    struct device_args echo = {.fn = echo_device}, waker = {.fn = dev_wakes_host};
    struct toe_chan_msg want, reset = msg(CHAN_MSG_RESET, 0, WAKE_N);
    struct report r;
    struct child c;
    struct host h;
    uint64_t w;
    int i;

    (void)state;
    /* Host to a sleeping device. */
    c = spawn_device(&echo);
    host_open(&h, NULL, 4096, 0);
    for (i = 0; i < WAKE_N; i++) {
        struct toe_chan_msg wr = mmio(CHAN_MSG_MMIO_WRITE, 0, (uint64_t)i, 0, (uint64_t)i * 8,
                                      4, (uint64_t)i);

        until_asleep(h.ch, c.pid, TOE_CHAN_RX);
        w = toe_chan_stats(h.ch)->wakes_sent;
        assert_int_equal(toe_chan_send(h.ch, &wr), 0);
        assert_int_equal(toe_chan_stats(h.ch)->wakes_sent, w + 1);
        echo_reply(&wr, &want);
        expect_msg(h.ch, &want);
    }
    r = end_echo(&h, &c, WAKE_N);
    assert_true(r.sleeps >= WAKE_N);
    host_close(&h);

    /* Device to a sleeping host. */
    c = spawn_device(&waker);
    host_open(&h, NULL, 4096, 0);
    for (i = 0; i < WAKE_N; i++) {
        want = msix((uint16_t)(i % MSIX_VECTORS), (uint64_t)i);
        expect_msg(h.ch, &want);
    }
    assert_true(toe_chan_stats(h.ch)->sleeps >= WAKE_N);
    assert_int_equal(toe_chan_send(h.ch, &reset), 0);
    assert_int_equal(reap(&c), 0);
    host_close(&h);
}

/* Ping-pong with the producer's timing randomised around the consumer going
 * to sleep: at once, after a random spin, or right after the consumer
 * announced its sleep. Host and device run on CPUs of their own, so that the
 * two really race (on one CPU the scheduler would take turns for them). The
 * device waits without a time limit: a lost wakeup leaves the host's wait to
 * its guard and fails the test. */
static void stress(uint32_t spin_ns, int n)
{
    struct device_args a = {.opts = {.nslots = 4, .spin_ns = spin_ns}, .fn = echo_device,
                            .arg = &forever, .cpu1 = 1};
    struct toe_chan_opts ho = {.spin_ns = spin_ns};
    struct toe_chan_msg m, want;
    uint64_t t = 0;
    struct report r;
    struct child c;
    struct host h;
    cpu_set_t cpus;
    int i, k, pinned;

    pinned = pin_cpu(0, &cpus);
    c = spawn_device(&a);
    host_open(&h, &ho, 4096, 0);
    for (i = 0; i < n; i++) {
        m = random_host_msg(&t);
        switch (test_rand_below(3)) {
        case 0:
            break;
        case 1:
            for (k = (int)test_rand_below(4096); k > 0; k--)
                __asm__ __volatile__("" ::: "memory");
            break;
        default: {
            int64_t t0 = mono_ms();

            while (!(toe_chan_peer_wait(h.ch) & TOE_CHAN_RX))
                if (mono_ms() - t0 > GUARD_MS)
                    fail_msg("the device never announced a sleep before message %d", i);
            break;
        }
        }
        assert_int_equal(send_wait(h.ch, &m), 0);
        echo_reply(&m, &want);
        expect_msg(h.ch, &want);
    }
    r = end_echo(&h, &c, t);
    assert_int_equal(r.rx, (uint64_t)n + 1);
    print_message("spin %u ns: %d round trips; device slept %llu times, host %llu; wake bytes "
                  "%llu to the device, %llu to the host\n",
                  spin_ns, n, (unsigned long long)r.sleeps,
                  (unsigned long long)toe_chan_stats(h.ch)->sleeps,
                  (unsigned long long)toe_chan_stats(h.ch)->wakes_sent,
                  (unsigned long long)r.wakes_sent);
    host_close(&h);
    if (pinned)
        sched_setaffinity(0, sizeof(cpus), &cpus);
}

static void wakeup_stress_sleeping(void **state)
{
    (void)state;
    stress(0, 20000);
}

static void wakeup_stress_spinning(void **state)
{
    (void)state;
    stress(2000, 5000);
}

/* ---- a peer's death ----------------------------------------------------------------- */

/* Sends three SYNCs, then waits for the test to kill it. */
static int dev_send3(struct toe_chan *ch, int ctl, void *arg)
{
    uint64_t t;

    (void)arg;
    CHILD_CHECK(toe_chan_accept(ch, GUARD_MS) == 0);
    for (t = 10; t <= 30; t += 10) {
        struct toe_chan_msg s = msg(CHAN_MSG_SYNC, 0, t);

        CHILD_CHECK(toe_chan_send(ch, &s) == 0);
    }
    ctl_put(ctl, 2);
    ctl_get(ctl);
    return 1; /* killed before */
}

static void device_killed(void **state)
{
    struct device_args a = {.fn = dev_send3};
    struct toe_chan_msg want;
    struct child c;
    struct host h;
    uint64_t t;

    (void)state;
    c = spawn_device(&a);
    host_open(&h, NULL, 4096, 0);
    assert_int_equal(ctl_get(c.ctl), 2);
    assert_int_equal(kill_child(&c), 128 + SIGKILL);
    /* What it sent before it died comes first, then the death: one wait each,
     * none of them reaching its guard. */
    for (t = 10; t <= 30; t += 10) {
        want = msg(CHAN_MSG_SYNC, 0, t);
        expect_msg(h.ch, &want);
    }
    assert_int_equal(toe_chan_wait(h.ch, TOE_CHAN_RX, GUARD_MS), -EPIPE);
    assert_string_equal(toe_chan_error(h.ch), "the device closed the channel");
    assert_int_equal(toe_chan_wait(h.ch, TOE_CHAN_RX, 0), -EPIPE);
    want = msg(CHAN_MSG_SYNC, 0, 40);
    assert_int_equal(toe_chan_send(h.ch, &want), -EPIPE);
    host_close(&h);
}

/* Dies (SIGKILL, as a crash) when the test says so. */
static int dev_die_on_cue(struct toe_chan *ch, int ctl, void *arg)
{
    (void)arg;
    CHILD_CHECK(toe_chan_accept(ch, GUARD_MS) == 0);
    ctl_put(ctl, 2);
    ctl_get(ctl);
    raise(SIGKILL);
    return 1;
}

static void device_dies_while_host_sleeps(void **state)
{
    struct device_args a = {.fn = dev_die_on_cue};
    struct child c;
    struct host h;

    (void)state;
    c = spawn_device(&a);
    host_open(&h, NULL, 4096, 0);
    assert_int_equal(ctl_get(c.ctl), 2);
    ctl_put(c.ctl, 1);
    /* Whether the death comes before or during the sleep, one wait sees it. */
    assert_int_equal(toe_chan_wait(h.ch, TOE_CHAN_RX, GUARD_MS), -EPIPE);
    /* A free slot still counts as one: what holds is reported first. */
    assert_int_equal(toe_chan_wait(h.ch, TOE_CHAN_RX | TOE_CHAN_TX, GUARD_MS), TOE_CHAN_TX);
    assert_int_equal(reap(&c), 128 + SIGKILL);
    host_close(&h);
}

/* A host in a child: connects, sends a SYNC at 5 ps, and waits to be killed. */
static int host_child(int ctl, void *arg)
{
    struct toe_chan_msg s = host_sync(5);
    struct toe_chan *ch = toe_chan_new(NULL);
    int fd = toe_chan_memfd("child-dma", 4096);

    (void)arg;
    ctl_put(ctl, 1);
    CHILD_CHECK(ch && fd >= 0 && toe_chan_connect(ch, sock_path, fd, 4096, 0) == 0);
    CHILD_CHECK(toe_chan_send(ch, &s) == 0);
    ctl_put(ctl, 2);
    ctl_get(ctl);
    return 1;
}

static void host_killed_device_takes_next(void **state)
{
    struct toe_chan_msg want = host_sync(5);
    struct toe_chan *dev = toe_chan_new(NULL);
    struct child c;
    int round;

    (void)state;
    assert_int_equal(toe_chan_listen(dev, sock_path), 0);
    for (round = 0; round < 2; round++) {
        c = spawn(host_child, NULL);
        assert_true(c.pid > 0);
        assert_int_equal(toe_chan_accept(dev, GUARD_MS), 0);
        assert_int_equal(ctl_get(c.ctl), 2);
        expect_msg(dev, &want);
        assert_int_equal(kill_child(&c), 128 + SIGKILL);
        assert_int_equal(toe_chan_wait(dev, TOE_CHAN_RX, GUARD_MS), -EPIPE);
        assert_string_equal(toe_chan_error(dev), "the host closed the channel");
        toe_chan_detach(dev);
        assert_false(toe_chan_attached(dev));
        assert_int_equal(toe_chan_wait(dev, TOE_CHAN_RX, 0), -ENOTCONN);
    }
    toe_chan_close(dev);
}

/* ---- refusals ----------------------------------------------------------------------- */

static void second_host_gets_busy(void **state)
{
    struct device_args a = {.fn = echo_device};
    struct toe_chan_msg rd = mmio(CHAN_MSG_MMIO_READ, 1, 1, 0, 0x40, 4, 0), want;
    struct report r;
    struct child c;
    struct host h1, h2;
    int fds;

    (void)state;
    c = spawn_device(&a);
    host_open(&h1, NULL, 4096, 0);
    fds = count_fds();
    assert_int_equal(host_try(&h2, NULL, 4096, 0), -EBUSY);
    assert_string_equal(toe_chan_error(h2.ch), "device busy: another host is attached");
    assert_false(toe_chan_attached(h2.ch));
    assert_int_equal(count_fds(), fds + 1); /* h2's memfd, nothing else left open */

    /* The attached host did not notice. */
    assert_int_equal(toe_chan_send(h1.ch, &rd), 0);
    echo_reply(&rd, &want);
    expect_msg(h1.ch, &want);

    /* Once it leaves, the next host gets in. */
    host_close(&h1);
    assert_int_equal(toe_chan_connect(h2.ch, sock_path, h2.fd, 4096, 0), 0);
    r = end_echo(&h2, &c, 2);
    assert_int_equal(r.hosts_refused, 1);
    assert_int_equal(r.attaches, 2);
    assert_int_equal(r.rx, 2);
    host_close(&h2);
}

/* Accepts when told (1) and reports what came of it; 0 ends it. */
static int dev_reports_accepts(struct toe_chan *ch, int ctl, void *arg)
{
    (void)arg;
    while (ctl_get(ctl) == 1) {
        int rc = toe_chan_accept(ch, GUARD_MS);

        ctl_put(ctl, (uint64_t)(int64_t)rc);
        ctl_put_str(ctl, toe_chan_error(ch));
        ctl_put(ctl, toe_chan_stats(ch)->hosts_refused);
        ctl_put(ctl, toe_chan_stats(ch)->hosts_dropped);
        if (rc == 0)
            toe_chan_detach(ch);
    }
    return 0;
}

struct accepted {
    int rc;
    char err[256];
    uint64_t refused, dropped;
};

static struct accepted get_accepted(struct child *c)
{
    struct accepted a;

    a.rc = (int)(int64_t)ctl_get(c->ctl);
    ctl_get_str(c->ctl, a.err, sizeof(a.err));
    a.refused = ctl_get(c->ctl);
    a.dropped = ctl_get(c->ctl);
    return a;
}

static void version_mismatch_names_both(void **state)
{
    struct device_args dev3 = {.opts = {.version = 3}, .fn = dev_reports_accepts};
    struct device_args dev1 = {.fn = dev_reports_accepts};
    struct toe_chan_opts host2 = {.version = 2};
    struct accepted acc;
    struct child c;
    struct host h;

    (void)state;
    /* A device newer than the host. */
    c = spawn_device(&dev3);
    ctl_put(c.ctl, 1);
    assert_int_equal(host_try(&h, NULL, 4096, 0), -EPROTONOSUPPORT);
    assert_string_equal(toe_chan_error(h.ch),
                        "device speaks channel protocol version 3, this host speaks 1");
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, -EPROTONOSUPPORT);
    assert_string_equal(acc.err, "host speaks channel protocol version 1, this device speaks 3: "
                                 "refused");
    assert_int_equal(acc.refused, 1);
    ctl_put(c.ctl, 0);
    assert_int_equal(reap(&c), 0);
    host_close(&h);

    /* A host newer than the device. */
    c = spawn_device(&dev1);
    ctl_put(c.ctl, 1);
    assert_int_equal(host_try(&h, &host2, 4096, 0), -EPROTONOSUPPORT);
    assert_string_equal(toe_chan_error(h.ch),
                        "device speaks channel protocol version 1, this host speaks 2");
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, -EPROTONOSUPPORT);
    assert_string_equal(acc.err, "host speaks channel protocol version 2, this device speaks 1: "
                                 "refused");
    /* The same device then takes a host of its own version. */
    toe_chan_close(h.ch);
    h.ch = toe_chan_new(NULL);
    ctl_put(c.ctl, 1);
    assert_int_equal(toe_chan_connect(h.ch, sock_path, h.fd, 4096, 0), 0);
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, 0);
    ctl_put(c.ctl, 0);
    assert_int_equal(reap(&c), 0);
    host_close(&h);
}

static int raw_connect(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    strcpy(sa.sun_path, sock_path);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

static struct toe_chan_hello host_hello(uint64_t size, uint64_t iova)
{
    struct toe_chan_hello h;

    memset(&h, 0, sizeof(h));
    h.magic = CHAN_MAGIC;
    h.version = CHAN_VERSION;
    h.dma_size = size;
    h.dma_iova = iova;
    return h;
}

/* 1 when the other end hung up without sending a byte. */
static int hung_up_silently(int fd)
{
    char b;

    return read(fd, &b, 1) == 0;
}

static void bad_hellos_are_dropped(void **state)
{
    struct device_args a = {.opts = {.handshake_timeout_ms = 200}, .fn = dev_reports_accepts};
    struct toe_chan_hello hello;
    struct accepted acc;
    struct child c;
    struct host h;
    int fd, mfd = toe_chan_memfd("dma", 4096);

    (void)state;
    c = spawn_device(&a);

    /* Not our protocol: no answer at all. */
    ctl_put(c.ctl, 1);
    fd = raw_connect();
    hello = host_hello(4096, 0);
    hello.magic = 0x12345678;
    assert_int_equal(toe_chan_send_hello(fd, &hello, mfd, GUARD_MS), 0);
    assert_true(hung_up_silently(fd));
    close(fd);
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, -EPROTO);
    assert_string_equal(acc.err, "HELLO with bad magic 0x12345678 (expected 0x43454f54): dropped");
    assert_int_equal(acc.dropped, 1);

    /* Ten bytes, then gone. */
    ctl_put(c.ctl, 1);
    fd = raw_connect();
    hello = host_hello(4096, 0);
    assert_int_equal(write(fd, &hello, 10), 10);
    close(fd);
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, -ECONNRESET);
    assert_string_equal(acc.err, "host hung up after 10 of 64 bytes of HELLO");

    /* Silent, and half a HELLO then silent: the handshake's timeout. */
    ctl_put(c.ctl, 1);
    fd = raw_connect();
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, -ETIMEDOUT);
    assert_string_equal(acc.err, "host sent 0 of 64 bytes of HELLO in 200 ms: dropped");
    assert_true(hung_up_silently(fd));
    close(fd);
    ctl_put(c.ctl, 1);
    fd = raw_connect();
    assert_int_equal(write(fd, &hello, 30), 30);
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, -ETIMEDOUT);
    assert_string_equal(acc.err, "host sent 30 of 64 bytes of HELLO in 200 ms: dropped");
    close(fd);

    /* A field the host must leave 0. */
    ctl_put(c.ctl, 1);
    fd = raw_connect();
    hello = host_hello(4096, 0);
    hello.nslots = 5;
    assert_int_equal(toe_chan_send_hello(fd, &hello, mfd, GUARD_MS), 0);
    assert_true(hung_up_silently(fd));
    close(fd);
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, -EPROTO);
    assert_string_equal(acc.err, "malformed HELLO: host set nslots: dropped");
    assert_int_equal(acc.dropped, 5);
    assert_int_equal(acc.refused, 0);

    /* After all that, a real host. */
    ctl_put(c.ctl, 1);
    host_open(&h, NULL, 4096, 0);
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, 0);
    ctl_put(c.ctl, 0);
    assert_int_equal(reap(&c), 0);
    host_close(&h);
    close(mfd);
}

/* A HELLO offering DMA memory the device must refuse: answered BAD_DMA. */
static void expect_bad_dma(struct child *c, int mfd, uint64_t size, uint64_t iova,
                           const char *why)
{
    struct toe_chan_hello hello = host_hello(size, iova), ans;
    struct accepted acc;
    size_t got;
    int fd, qfd;

    ctl_put(c->ctl, 1);
    fd = raw_connect();
    assert_int_equal(toe_chan_send_hello(fd, &hello, mfd, GUARD_MS), 0);
    assert_int_equal(toe_chan_recv_hello(fd, &ans, &qfd, &got, GUARD_MS), 0);
    close(fd);
    assert_int_equal(ans.magic, CHAN_MAGIC);
    assert_int_equal(ans.status, CHAN_HELLO_BAD_DMA);
    assert_int_equal(ans.version, CHAN_VERSION);
    assert_int_equal(ans.peer_version, CHAN_VERSION);
    assert_int_equal(ans.nslots, 0);
    assert_int_equal(qfd, -1);
    acc = get_accepted(c);
    assert_int_equal(acc.rc, -EINVAL);
    assert_string_equal(acc.err, why);
}

static void bad_dma_memory_is_refused(void **state)
{
    struct device_args a = {.fn = dev_reports_accepts};
    struct accepted acc;
    struct child c;
    struct host h;
    char path[64];
    int sealed = toe_chan_memfd("dma", 4096);
    int unsealed = memfd_create("dma", MFD_CLOEXEC);
    int pipefd[2], ro;

    (void)state;
    assert_int_equal(ftruncate(unsealed, 8192), 0);
    assert_int_equal(pipe(pipefd), 0);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", sealed);
    ro = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(ro >= 0);

    /* The host library checks its own memory before it asks. */
    h.ch = toe_chan_new(NULL);
    assert_int_equal(toe_chan_connect(h.ch, sock_path, unsealed, 8192, 0), -EINVAL);
    assert_string_equal(toe_chan_error(h.ch),
                        "DMA memory: memfd not sealed against shrinking (F_SEAL_SHRINK)");
    toe_chan_close(h.ch);

    c = spawn_device(&a);
    expect_bad_dma(&c, -1, 4096, 0, "DMA memory refused: no memfd came with the HELLO");
    expect_bad_dma(&c, unsealed, 8192, 0,
                   "DMA memory refused: memfd not sealed against shrinking (F_SEAL_SHRINK)");
    expect_bad_dma(&c, sealed, 8192, 0, "DMA memory refused: memfd holds 4096 bytes, the HELLO "
                                        "says 8192");
    expect_bad_dma(&c, sealed, 0, 0, "DMA memory refused: size 0");
    expect_bad_dma(&c, sealed, 0x2000, TOP_IOVA,
                   "DMA memory refused: iova 0xfffffffffffff000 + size 0x2000 is past 2^64");
    expect_bad_dma(&c, pipefd[0], 4096, 0,
                   "DMA memory refused: not a memfd (F_GET_SEALS: Invalid argument)");
    expect_bad_dma(&c, ro, 4096, 0, "DMA memory refused: memfd is not open for reading and "
                                    "writing");

    /* The last page of the bus is a window like any other. */
    ctl_put(c.ctl, 1);
    host_open(&h, NULL, 0x1000, TOP_IOVA);
    acc = get_accepted(&c);
    assert_int_equal(acc.rc, 0);
    assert_int_equal(acc.refused, 7);
    assert_int_equal(acc.dropped, 0);
    ctl_put(c.ctl, 0);
    assert_int_equal(reap(&c), 0);
    host_close(&h);
    close(sealed);
    close(unsealed);
    close(ro);
    close(pipefd[0]);
    close(pipefd[1]);
}

/* ---- a device that answers nonsense ------------------------------------------------ */

enum fake_case {
    FAKE_END,
    FAKE_HANG_UP,
    FAKE_HALF_ANSWER,
    FAKE_BAD_MAGIC,
    FAKE_BAD_STATUS,
    FAKE_NSLOTS_0,
    FAKE_NSLOTS_BIG,
    FAKE_QSIZE_WRONG,
    FAKE_NO_FD,
    FAKE_SMALL_MEMFD,
    FAKE_UNSEALED,
    FAKE_BAD_HEADER,
    FAKE_SILENT,
    FAKE_GOOD_TWO_FDS, /* a good answer with a stray second fd */
    FAKE_GOOD_SLOTS,   /* a good answer, then slots written as the test says */
};

#define FAKE_NSLOTS 4
#define FAKE_QSIZE (256 + 2 * FAKE_NSLOTS * 64)

static int fake_listen(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    strcpy(sa.sun_path, sock_path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0)
        return -1;
    return fd;
}

/* A queue memfd as a device makes it; header_ok 0 leaves the header zero. */
static int fake_queue(uint64_t size, int sealed, int header_ok, uint8_t **map)
{
    int fd = sealed ? toe_chan_memfd("fake-queue", size) : memfd_create("fake-queue", 0);
    struct toe_chan_qhdr *q;

    if (!sealed && ftruncate(fd, (off_t)size) < 0)
        return -1;
    *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (*map == MAP_FAILED)
        return -1;
    q = (struct toe_chan_qhdr *)*map;
    if (header_ok) {
        q->magic = CHAN_MAGIC;
        q->version = CHAN_VERSION;
        q->nslots = FAKE_NSLOTS;
        q->slot_size = CHAN_SLOT_SIZE;
    }
    return fd;
}

static void send_two_fds(int sock, const struct toe_chan_hello *a, int fd1, int fd2)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(2 * sizeof(int))];
    } cbuf;
    struct iovec iov = {.iov_base = (void *)a, .iov_len = sizeof(*a)};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf.buf,
                        .msg_controllen = sizeof(cbuf.buf)};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    int fds[2] = {fd1, fd2};

    memset(&cbuf, 0, sizeof(cbuf));
    cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(fds));
    memcpy(CMSG_DATA(cm), fds, sizeof(fds));
    if (sendmsg(sock, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof(*a))
        _exit(91);
}

/* Writes slots into the device-to-host ring as the test dictates: 2 then the
 * message's eight words (own in the first byte) writes the next slot and
 * wakes the host; 3 reports how many slots the host has handed back; 0 ends. */
static int fake_write_slots(int ctl, int sock, uint8_t *queue)
{
    struct toe_chan_msg *ring = (struct toe_chan_msg *)(queue + 256) + FAKE_NSLOTS;
    uint32_t pos = 0;
    uint64_t cmd;

    while ((cmd = ctl_get(ctl)) != 0 && cmd != UINT64_MAX) {
        if (cmd == 2) {
            struct toe_chan_msg m;
            uint64_t w[8];
            int i;

            for (i = 0; i < 8; i++)
                w[i] = ctl_get(ctl);
            memcpy(&m, w, sizeof(m));
            CHILD_CHECK(atomic_load_explicit(own_of(&ring[pos]), memory_order_acquire) == 0);
            memcpy((uint8_t *)&ring[pos] + 1, (uint8_t *)&m + 1, sizeof(m) - 1);
            atomic_store_explicit(own_of(&ring[pos]), m.own, memory_order_release);
            pos = (pos + 1) % FAKE_NSLOTS;
            CHILD_CHECK(write(sock, "w", 1) == 1);
        } else {
            uint64_t free_slots = 0;
            int i;

            for (i = 0; i < FAKE_NSLOTS; i++)
                free_slots += atomic_load_explicit(own_of(&ring[i]), memory_order_acquire) == 0;
            ctl_put(ctl, free_slots);
        }
    }
    return 0;
}

static int fake_device(int ctl, void *arg)
{
    int lfd = fake_listen();
    uint64_t cs;

    (void)arg;
    if (lfd < 0)
        return 100;
    ctl_put(ctl, 1);
    while ((cs = ctl_get(ctl)) != FAKE_END && cs != UINT64_MAX) {
        struct toe_chan_hello h, a;
        uint8_t *map = NULL;
        size_t got;
        int fd = accept(lfd, NULL, NULL), dfd, qfd = -1;

        CHILD_CHECK(fd >= 0);
        CHILD_CHECK(toe_chan_recv_hello(fd, &h, &dfd, &got, GUARD_MS) == 0 && dfd >= 0);
        close(dfd);
        memset(&a, 0, sizeof(a));
        a.magic = CHAN_MAGIC;
        a.version = CHAN_VERSION;
        a.peer_version = h.version;
        a.nslots = FAKE_NSLOTS;
        a.queue_size = FAKE_QSIZE;
        switch (cs) {
        case FAKE_HANG_UP:
            break;
        case FAKE_HALF_ANSWER:
            CHILD_CHECK(write(fd, &a, 20) == 20);
            break;
        case FAKE_SILENT:
            ctl_get(ctl); /* until the host has given up */
            break;
        case FAKE_BAD_MAGIC:
            a.magic = 0xdeadbeef;
            CHILD_CHECK(toe_chan_send_hello(fd, &a, -1, GUARD_MS) == 0);
            break;
        case FAKE_BAD_STATUS:
            a.status = 9;
            CHILD_CHECK(toe_chan_send_hello(fd, &a, -1, GUARD_MS) == 0);
            break;
        case FAKE_NSLOTS_0:
        case FAKE_NSLOTS_BIG:
            a.nslots = cs == FAKE_NSLOTS_0 ? 0 : CHAN_NSLOTS_MAX + 1;
            a.queue_size = 256 + 2ull * a.nslots * 64;
            CHILD_CHECK(toe_chan_send_hello(fd, &a, -1, GUARD_MS) == 0);
            break;
        case FAKE_QSIZE_WRONG:
            a.queue_size = 1000;
            qfd = fake_queue(FAKE_QSIZE, 1, 1, &map);
            CHILD_CHECK(toe_chan_send_hello(fd, &a, qfd, GUARD_MS) == 0);
            break;
        case FAKE_NO_FD:
            CHILD_CHECK(toe_chan_send_hello(fd, &a, -1, GUARD_MS) == 0);
            break;
        case FAKE_SMALL_MEMFD:
        case FAKE_UNSEALED:
        case FAKE_BAD_HEADER:
            qfd = fake_queue(cs == FAKE_SMALL_MEMFD ? 512 : FAKE_QSIZE, cs != FAKE_UNSEALED,
                             cs != FAKE_BAD_HEADER, &map);
            CHILD_CHECK(qfd >= 0);
            CHILD_CHECK(toe_chan_send_hello(fd, &a, qfd, GUARD_MS) == 0);
            break;
        case FAKE_GOOD_TWO_FDS:
            qfd = fake_queue(FAKE_QSIZE, 1, 1, &map);
            send_two_fds(fd, &a, qfd, ctl);
            ctl_get(ctl); /* until the host is done */
            break;
        case FAKE_GOOD_SLOTS:
            qfd = fake_queue(FAKE_QSIZE, 1, 1, &map);
            CHILD_CHECK(toe_chan_send_hello(fd, &a, qfd, GUARD_MS) == 0);
            if (fake_write_slots(ctl, fd, map))
                return 1;
            break;
        }
        if (qfd >= 0)
            close(qfd);
        if (map)
            munmap(map, cs == FAKE_SMALL_MEMFD ? 512 : FAKE_QSIZE);
        close(fd);
        ctl_put(ctl, 7); /* this case is over */
    }
    return 0;
}

static void nonsense_answers_are_refused(void **state)
{
    static const struct {
        enum fake_case cs;
        int rc;
        const char *err;
    } cases[] = {
        {FAKE_HANG_UP, -ECONNRESET, "device hung up without answering the HELLO"},
        {FAKE_HALF_ANSWER, -ECONNRESET, "device hung up after 20 of 64 bytes of its answer"},
        {FAKE_BAD_MAGIC, -EPROTO, "answer with bad magic 0xdeadbeef (expected 0x43454f54)"},
        {FAKE_BAD_STATUS, -EPROTO, "answer with unknown status 9"},
        {FAKE_NSLOTS_0, -EPROTO, "device offers 0 slots per ring (1 to 65536 allowed)"},
        {FAKE_NSLOTS_BIG, -EPROTO, "device offers 65537 slots per ring (1 to 65536 allowed)"},
        {FAKE_QSIZE_WRONG, -EPROTO, "device says 1000 bytes of queue memory, 4 slots need 768"},
        {FAKE_NO_FD, -EPROTO, "queue memory refused: no memfd came with the HELLO"},
        {FAKE_SMALL_MEMFD, -EPROTO, "queue memory refused: memfd holds 512 bytes, the HELLO "
                                    "says 768"},
        {FAKE_UNSEALED, -EPROTO, "queue memory refused: memfd not sealed against shrinking "
                                 "(F_SEAL_SHRINK)"},
        {FAKE_BAD_HEADER, -EPROTO, "queue memory header (magic 0x00000000, version 0, 0 slots "
                                   "of 0 bytes) does not match the answer"},
        {FAKE_SILENT, -ETIMEDOUT, "device sent 0 of 64 bytes of its answer in 200 ms"},
    };
    struct toe_chan_opts o = {.handshake_timeout_ms = 200};
    struct child c = spawn(fake_device, NULL);
    int dma = toe_chan_memfd("dma", 4096), fds;
    size_t i;

    (void)state;
    assert_true(c.pid > 0);
    fds = count_fds();
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct toe_chan *ch = toe_chan_new(&o);

        ctl_put(c.ctl, cases[i].cs);
        assert_int_equal(toe_chan_connect(ch, sock_path, dma, 4096, 0), cases[i].rc);
        assert_string_equal(toe_chan_error(ch), cases[i].err);
        assert_false(toe_chan_attached(ch));
        toe_chan_close(ch);
        if (cases[i].cs == FAKE_SILENT)
            ctl_put(c.ctl, 1);
        assert_int_equal(ctl_get(c.ctl), 7);
        /* Nothing of a failed handshake stays open: not the socket, not a
         * memfd the device sent. */
        assert_int_equal(count_fds(), fds);
    }

    /* A stray second fd is closed; the host keeps only its socket. */
    {
        struct toe_chan *ch = toe_chan_new(&o);

        ctl_put(c.ctl, FAKE_GOOD_TWO_FDS);
        assert_int_equal(toe_chan_connect(ch, sock_path, dma, 4096, 0), 0);
        assert_int_equal(toe_chan_nslots(ch), FAKE_NSLOTS);
        assert_int_equal(count_fds(), fds + 1);
        toe_chan_close(ch);
        assert_int_equal(count_fds(), fds);
        ctl_put(c.ctl, 1);
        assert_int_equal(ctl_get(c.ctl), 7);
    }
    ctl_put(c.ctl, FAKE_END);
    assert_int_equal(reap(&c), 0);
    close(dma);
}

static void fake_slot(struct child *c, const struct toe_chan_msg *m, uint8_t own)
{
    struct toe_chan_msg s = *m;
    uint64_t w[8];
    int i;

    s.own = own;
    memcpy(w, &s, sizeof(w));
    ctl_put(c->ctl, 2);
    for (i = 0; i < 8; i++)
        ctl_put(c->ctl, w[i]);
}

static void bogus_slots_are_dropped(void **state)
{
    struct bogus {
        struct toe_chan_msg m;
        uint8_t own;
        const char *err;
    } cases[] = {
        {msg(0, 0, 100), 1, "dropped a ? message from the device: unknown type 0"},
        {msg(77, 0, 100), 1, "dropped a ? message from the device: unknown type 77"},
        {mmio(CHAN_MSG_MMIO_READ, 1, 100, 0, 0, 4, 0), 1,
         "dropped a MMIO_READ message from the device: MMIO_READ does not travel from device "
         "to host"},
        {msg(CHAN_MSG_RESET, 0, 100), 1,
         "dropped a RESET message from the device: RESET does not travel from device to host"},
        {msix(MSIX_VECTORS, 100), 1,
         "dropped a MSIX message from the device: MSI-X vector 32 (below 32)"},
        {msix(1, 100), 1, "dropped a MSIX message from the device: id 5 on a MSIX (reserved, 0)"},
        {msg(CHAN_MSG_SYNC, 0, 100), 1,
         "dropped a SYNC message from the device: payload byte 47 is 0x01 (unused by SYNC, 0)"},
        {msg(CHAN_MSG_SYNC, 0, 100), 1,
         "dropped a SYNC message from the device: flags 0x8000 (reserved, 0)"},
        {msg(CHAN_MSG_SYNC, 0, 99), 1,
         "dropped a SYNC message from the device: time 99 ps is before 100 ps, the ring's last"},
        {msix(2, 100), 7, "dropped a MSIX message from the device: own byte 7 (0 or 1 expected)"},
    };
    struct toe_chan_opts o = {.handshake_timeout_ms = 2000};
    struct child c = spawn(fake_device, NULL);
    struct toe_chan *ch = toe_chan_new(&o);
    const struct toe_chan_msg *got;
    int dma = toe_chan_memfd("dma", 4096);
    size_t i, n = sizeof(cases) / sizeof(cases[0]);

    (void)state;
    cases[5].m.id = 5;
    cases[6].m.payload.bytes[47] = 1;
    cases[7].m.flags = 0x8000;
    assert_true(c.pid > 0);
    ctl_put(c.ctl, FAKE_GOOD_SLOTS);
    assert_int_equal(toe_chan_connect(ch, sock_path, dma, 4096, 0), 0);
    for (i = 0; i < n; i++) {
        /* Each bogus slot, then a good MSI-X that must arrive whole. */
        struct toe_chan_msg good = msix((uint16_t)i, 100);

        fake_slot(&c, &cases[i].m, cases[i].own);
        fake_slot(&c, &good, 1);
        assert_int_equal(toe_chan_wait(ch, TOE_CHAN_RX, GUARD_MS), TOE_CHAN_RX);
        assert_int_equal(toe_chan_rx_peek(ch, &got), -EPROTO);
        assert_string_equal(toe_chan_error(ch), cases[i].err);
        expect_msg(ch, &good);
    }
    /* Every slot went back to the device, bogus or not (the ring wrapped five
     * times). */
    ctl_put(c.ctl, 3);
    assert_int_equal(ctl_get(c.ctl), FAKE_NSLOTS);
    assert_int_equal(toe_chan_stats(ch)->rx_bad, n);
    assert_int_equal(toe_chan_stats(ch)->rx, n);
    ctl_put(c.ctl, 0);
    assert_int_equal(ctl_get(c.ctl), 7);
    ctl_put(c.ctl, FAKE_END);
    assert_int_equal(reap(&c), 0);
    toe_chan_close(ch);
    close(dma);
}

/* ---- pure checks -------------------------------------------------------------------- */

static void dma_range_edges(void **state)
{
    static const struct {
        uint64_t base, size, iova, len;
        int ok;
    } cases[] = {
        {0x1000, 0x1000, 0x1000, 1, 1},          /* first byte */
        {0x1000, 0x1000, 0x1fff, 1, 1},          /* last byte in */
        {0x1000, 0x1000, 0x2000, 1, 0},          /* one past */
        {0x1000, 0x1000, 0x0fff, 1, 0},          /* one before */
        {0x1000, 0x1000, 0x1000, 0x1000, 1},     /* all of it */
        {0x1000, 0x1000, 0x1000, 0x1001, 0},     /* one byte more */
        {0x1000, 0x1000, 0x1fff, 2, 0},          /* straddles the end */
        {0x1000, 0x1000, 0x0fff, 2, 0},          /* straddles the start */
        {0x1000, 0x1000, 0x1000, 0, 0},          /* zero length */
        {0x1000, 0x1000, 0x2000, 0, 0},          /* zero length at the end */
        {0x1000, 0x1000, 0x1001, UINT64_MAX, 0}, /* iova + len wraps to 0x1000 */
        {0x1000, 0x1000, 0x1800, UINT64_MAX - 0x17ff, 0}, /* iova + len wraps to 0 */
        {0x1000, 0x1000, UINT64_MAX, 1, 0},
        {TOP_IOVA, 0x1000, UINT64_MAX, 1, 1},    /* the bus's last byte */
        {TOP_IOVA, 0x1000, UINT64_MAX, 2, 0},    /* and past it */
        {TOP_IOVA, 0x1000, TOP_IOVA, 0x1000, 1},
        {TOP_IOVA, 0x1000, 0, 1, 0},
        {0, UINT64_MAX, 0, UINT64_MAX, 1},       /* the largest window */
        {0, UINT64_MAX, UINT64_MAX - 1, 1, 1},
        {0, UINT64_MAX, UINT64_MAX - 1, 2, 0},
        {0, UINT64_MAX, UINT64_MAX, 1, 0},
        {5, 0, 5, 1, 0},                         /* an empty window */
    };
    size_t i;
    int n;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int ok = toe_chan_dma_range_ok(cases[i].base, cases[i].size, cases[i].iova, cases[i].len);

        if (ok != cases[i].ok)
            fail_msg("case %zu: [0x%llx, +0x%llx) in [0x%llx, +0x%llx): %d", i,
                     (unsigned long long)cases[i].iova, (unsigned long long)cases[i].len,
                     (unsigned long long)cases[i].base, (unsigned long long)cases[i].size, ok);
    }
    /* Random windows and ranges near their edges and near 2^64, against the
     * same question asked in 128-bit arithmetic. */
    for (n = 0; n < 200000; n++) {
        uint64_t base = test_rand_below(4) ? test_rand64() : UINT64_MAX - test_rand_below(100000);
        uint64_t size = test_rand_below(2) ? test_rand64() >> test_rand_below(64)
                                           : test_rand_below(0x3000);
        uint64_t iova, len;
        __extension__ typedef unsigned __int128 u128;
        int want;

        switch (test_rand_below(4)) {
        case 0:
            iova = base + size - test_rand_below(8);
            break;
        case 1:
            iova = base - test_rand_below(8) + test_rand_below(16);
            break;
        default:
            iova = test_rand64();
            break;
        }
        len = test_rand_below(3) ? test_rand_below(16) : test_rand64();
        want = len != 0 && iova >= base && (u128)iova + len <= (u128)base + size;
        if (toe_chan_dma_range_ok(base, size, iova, len) != want)
            fail_msg("base 0x%llx size 0x%llx iova 0x%llx len 0x%llx: expected %d",
                     (unsigned long long)base, (unsigned long long)size,
                     (unsigned long long)iova, (unsigned long long)len, want);
    }
}

static void dma_ptr_at_top_of_bus(void **state)
{
    struct device_args a = {.fn = echo_device};
    struct child c;
    struct host h;
    uint8_t *base;

    (void)state;
    c = spawn_device(&a);
    host_open(&h, NULL, 0x1000, TOP_IOVA);
    base = toe_chan_dma_ptr(h.ch, TOP_IOVA, 0x1000);
    assert_non_null(base);
    assert_ptr_equal(toe_chan_dma_ptr(h.ch, UINT64_MAX, 1), base + 0xfff);
    assert_null(toe_chan_dma_ptr(h.ch, UINT64_MAX, 2));
    assert_string_equal(toe_chan_error(h.ch), "DMA of 2 bytes at 0xffffffffffffffff refused: "
                                              "outside [0xfffffffffffff000, 0xfffffffffffff000 "
                                              "+ 0x1000)");
    assert_null(toe_chan_dma_ptr(h.ch, TOP_IOVA - 1, 1));
    assert_null(toe_chan_dma_ptr(h.ch, TOP_IOVA, 0));
    assert_null(toe_chan_dma_ptr(h.ch, 0, 1));
    assert_int_equal(toe_chan_stats(h.ch)->dma_refused, 4);
    base[0xfff] = 0x5a;
    assert_int_equal(h.mem[0xfff], 0x5a);
    end_echo(&h, &c, 0);
    /* Detached: no window at all. */
    toe_chan_detach(h.ch);
    assert_null(toe_chan_dma_ptr(h.ch, UINT64_MAX, 1));
    assert_string_equal(toe_chan_error(h.ch),
                        "DMA of 1 bytes at 0xffffffffffffffff refused: no DMA memory");
    host_close(&h);
}

static void message_rules(void **state)
{
    static const struct {
        struct toe_chan_msg m;
        enum toe_chan_dir dir;
        uint64_t min_time;
        const char *why; /* NULL: accepted */
    } cases[] = {
        {{.type = CHAN_MSG_MMIO_READ, .id = 9, .time = 5,
          .payload.mmio = {.offset = 0x10, .size = 4}}, TOE_CHAN_H2D, 5, NULL},
        {{.type = CHAN_MSG_MMIO_READ, .time = 5, .payload.mmio = {.offset = 0x10, .size = 4}},
         TOE_CHAN_H2D, 6, "time 5 ps is before 6 ps, the ring's last"},
        {{.type = CHAN_MSG_MMIO_READ, .payload.mmio = {.offset = 0x10, .size = 3}},
         TOE_CHAN_H2D, 0, "MMIO size 3 (4 or 8)"},
        {{.type = CHAN_MSG_MMIO_READ, .payload.mmio = {.offset = 0x10, .size = 16}},
         TOE_CHAN_H2D, 0, "MMIO size 16 (4 or 8)"},
        {{.type = CHAN_MSG_MMIO_READ, .payload.mmio = {.offset = 0x14, .size = 8}},
         TOE_CHAN_H2D, 0, "offset 0x14 is not a multiple of the size 8"},
        {{.type = CHAN_MSG_MMIO_READ, .payload.mmio = {.offset = 0x10, .size = 8, .bar = 6}},
         TOE_CHAN_H2D, 0, "BAR 6 (0 to 5)"},
        {{.type = CHAN_MSG_MMIO_READ, .payload.mmio = {.offset = 0, .size = 8, .value = 1}},
         TOE_CHAN_H2D, 0, "value 0x1 on an MMIO_READ (0)"},
        {{.type = CHAN_MSG_MMIO_WRITE, .payload.mmio = {.size = 4, .value = 0xffffffff}},
         TOE_CHAN_H2D, 0, NULL},
        {{.type = CHAN_MSG_MMIO_WRITE, .payload.mmio = {.size = 4, .value = 0x100000000ull}},
         TOE_CHAN_H2D, 0, "4-byte write of 0x100000000: more than 32 bits"},
        {{.type = CHAN_MSG_MMIO_WRITE, .payload.mmio = {.size = 8, .value = UINT64_MAX,
                                                        .bar = 5, .offset = 0xfff8}},
         TOE_CHAN_H2D, 0, NULL},
        {{.type = CHAN_MSG_MMIO_WRITE, .id = 1, .payload.mmio = {.size = 8}}, TOE_CHAN_H2D, 0,
         "id 1 on a MMIO_WRITE (reserved, 0)"},
        {{.type = CHAN_MSG_MMIO_WRITE, .payload.mmio = {.size = 8, .rsvd = {[29] = 1}}},
         TOE_CHAN_H2D, 0, "payload byte 47 is 0x01 (unused by MMIO_WRITE, 0)"},
        {{.type = CHAN_MSG_MMIO_WRITE, .payload.mmio = {.size = 8, .rsvd = {[0] = 0x80}}},
         TOE_CHAN_H2D, 0, "payload byte 18 is 0x80 (unused by MMIO_WRITE, 0)"},
        {{.type = CHAN_MSG_MMIO_WRITE, .payload.mmio = {.size = 8}}, TOE_CHAN_D2H, 0,
         "MMIO_WRITE does not travel from device to host"},
        {{.type = CHAN_MSG_MMIO_DONE, .id = 3, .payload.done = {.value = UINT64_MAX}},
         TOE_CHAN_D2H, 0, NULL},
        {{.type = CHAN_MSG_MMIO_DONE}, TOE_CHAN_H2D, 0,
         "MMIO_DONE does not travel from host to device"},
        {{.type = CHAN_MSG_MMIO_DONE, .payload.done = {.rsvd = {[0] = 2}}}, TOE_CHAN_D2H, 0,
         "payload byte 8 is 0x02 (unused by MMIO_DONE, 0)"},
        {{.type = CHAN_MSG_MSIX, .payload.msix = {.vector = MSIX_VECTORS - 1}}, TOE_CHAN_D2H, 0,
         NULL},
        {{.type = CHAN_MSG_MSIX, .payload.msix = {.vector = 0xffff}}, TOE_CHAN_D2H, 0,
         "MSI-X vector 65535 (below 32)"},
        {{.type = CHAN_MSG_MSIX}, TOE_CHAN_H2D, 0, "MSIX does not travel from host to device"},
        {{.type = CHAN_MSG_SYNC, .time = UINT64_MAX, .payload.sync.until = UINT64_MAX}, TOE_CHAN_H2D,
         UINT64_MAX, NULL},
        {{.type = CHAN_MSG_SYNC, .time = 10, .payload.sync.until = 9}, TOE_CHAN_H2D, 0,
         "SYNC grant until 9 ps is before its time 10 ps"},
        {{.type = CHAN_MSG_SYNC}, TOE_CHAN_D2H, 0, NULL},
        {{.type = CHAN_MSG_SYNC, .payload.bytes = {[0] = 1}}, TOE_CHAN_D2H, 0,
         "device SYNC with until 1 (0)"},
        {{.type = CHAN_MSG_SYNC, .payload.bytes = {[8] = 1}}, TOE_CHAN_D2H, 0,
         "payload byte 8 is 0x01 (unused by SYNC, 0)"},
        {{.type = CHAN_MSG_RESET}, TOE_CHAN_H2D, 0, NULL},
        {{.type = CHAN_MSG_RESET, .flags = 1}, TOE_CHAN_H2D, 0, "flags 0x0001 (reserved, 0)"},
        {{.type = CHAN_MSG_RESET + 1}, TOE_CHAN_H2D, 0, "unknown type 7"},
        {{.type = 255}, TOE_CHAN_D2H, 0, "unknown type 255"},
    };
    char why[160];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc;

        why[0] = '\0';
        rc = toe_chan_msg_check(&cases[i].m, cases[i].dir, cases[i].min_time, why, sizeof(why));
        if (!cases[i].why) {
            if (rc != 0)
                fail_msg("case %zu refused: %s", i, why);
        } else {
            assert_int_equal(rc, -EPROTO);
            assert_string_equal(why, cases[i].why);
        }
    }
    assert_string_equal(toe_chan_msg_name(CHAN_MSG_MMIO_DONE), "MMIO_DONE");
    assert_string_equal(toe_chan_msg_name(0), "?");
    assert_string_equal(toe_chan_msg_name(200), "?");
}

/* ---- the socket path and calls out of turn ------------------------------------------ */

static void listen_and_misuse(void **state)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct toe_chan *a = toe_chan_new(NULL), *b = toe_chan_new(NULL);
    struct toe_chan_opts big = {.nslots = CHAN_NSLOTS_MAX + 1};
    const struct toe_chan_msg *m;
    char msgbuf[300], longpath[200];
    int fd, dma = toe_chan_memfd("dma", 4096);

    (void)state;
    /* A socket file left by a device that died is taken over. */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    strcpy(sa.sun_path, sock_path);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    close(fd);
    assert_int_equal(access(sock_path, F_OK), 0);
    assert_int_equal(toe_chan_listen(a, sock_path), 0);
    /* A live one is not. */
    assert_int_equal(toe_chan_listen(b, sock_path), -EADDRINUSE);
    snprintf(msgbuf, sizeof(msgbuf), "another device listens on %s", sock_path);
    assert_string_equal(toe_chan_error(b), msgbuf);
    /* b's probe was a connection that said nothing; then nobody. */
    assert_int_equal(toe_chan_accept(a, 0), -ECONNRESET);
    assert_string_equal(toe_chan_error(a), "host hung up after 0 of 64 bytes of HELLO");
    assert_int_equal(toe_chan_accept(a, 0), -ETIMEDOUT);
    assert_string_equal(toe_chan_error(a), "no host connected within 0 ms");
    toe_chan_close(a);
    assert_int_equal(access(sock_path, F_OK), -1);
    /* Nor is a file that is not a socket. */
    fd = open(sock_path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    close(fd);
    assert_int_equal(toe_chan_listen(b, sock_path), -EADDRINUSE);
    snprintf(msgbuf, sizeof(msgbuf), "%s exists and is not a socket", sock_path);
    assert_string_equal(toe_chan_error(b), msgbuf);
    unlink(sock_path);
    memset(longpath, 'x', sizeof(longpath) - 1);
    longpath[0] = '/';
    longpath[sizeof(longpath) - 1] = '\0';
    assert_int_equal(toe_chan_listen(b, longpath), -ENAMETOOLONG);

    /* Calls out of turn. */
    assert_int_equal(toe_chan_accept(b, 0), -EINVAL);
    assert_string_equal(toe_chan_error(b), "accept: channel is not listening");
    assert_null(toe_chan_tx_alloc(b));
    assert_int_equal(toe_chan_rx_peek(b, &m), -ENOTCONN);
    assert_int_equal(toe_chan_wait(b, TOE_CHAN_RX, 0), -ENOTCONN);
    assert_int_equal(toe_chan_nslots(b), 0);
    assert_int_equal(toe_chan_peer_wait(b), 0);
    assert_int_equal(toe_chan_connect(b, sock_path, dma, 4096, 0), -ENOENT);
    snprintf(msgbuf, sizeof(msgbuf), "connect to %s: No such file or directory", sock_path);
    assert_string_equal(toe_chan_error(b), msgbuf);
    assert_int_equal(toe_chan_connect(b, sock_path, dma, 0, 0), -EINVAL);
    assert_string_equal(toe_chan_error(b), "DMA memory: size 0");
    toe_chan_close(b);
    toe_chan_close(NULL);

    errno = 0;
    assert_null(toe_chan_new(&big));
    assert_int_equal(errno, EINVAL);
    assert_int_equal(toe_chan_memfd("x", 0), -EINVAL);
    close(dma);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, make_sock_path, remove_sock_path)
    const struct CMUnitTest tests[] = {
        T(handshake_and_fd_passing),
        T(messages_exact_both_ways),
        T(ring_wraps_many_times),
        T(full_ring_blocks_producer),
        T(wakes_peer_blocked_in_poll),
        T(wakeup_stress_sleeping),
        T(wakeup_stress_spinning),
        T(device_killed),
        T(device_dies_while_host_sleeps),
        T(host_killed_device_takes_next),
        T(second_host_gets_busy),
        T(version_mismatch_names_both),
        T(bad_hellos_are_dropped),
        T(bad_dma_memory_is_refused),
        T(nonsense_answers_are_refused),
        T(bogus_slots_are_dropped),
        T(dma_ptr_at_top_of_bus),
        cmocka_unit_test(dma_range_edges),
        cmocka_unit_test(message_rules),
        T(listen_and_misuse),
    };
#undef T

    /* A peer that dies while we write to its socket is an error code, not a
     * SIGPIPE (the library sends with MSG_NOSIGNAL; this guards the tests' own
     * writes). */
    signal(SIGPIPE, SIG_IGN);
    test_seed_init("test_chan");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
