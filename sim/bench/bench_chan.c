/*
 * MMIO round trips over the channel (make bench): a host process sends
 * MMIO_READ, a device process (forked) answers MMIO_DONE, the host waits for
 * it; round trips per second. Measured twice:
 *   - the defaults: each side sleeps in poll() at once, so every round trip is
 *     two wake-ups through the socket; the scheduler is left alone (it puts
 *     the woken process on the waker's CPU, which is what makes this fast);
 *   - both sides spinning up to 50 us before they sleep, each pinned to a CPU
 *     of its own when there are two: otherwise the two spinners share a CPU
 *     and every round trip costs two whole spins.
 * The reference, in the same run, is the same ping-pong of 64-byte messages
 * over a plain Unix socketpair between two processes: what the channel would
 * cost if messages went through the kernel. The three alternate, three
 * rounds each, and each keeps its best round, so that a busy moment of the
 * machine does not fall on one of them alone. Prints one line of key=value
 * figures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "toe_chan.h"

#define ROUND_S 0.25
#define ROUNDS 3
#define SPIN_NS 50000

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, struct toe_chan *ch)
{
    fprintf(stderr, "bench_chan: %s: %s\n", what, ch ? toe_chan_error(ch) : strerror(errno));
    exit(1);
}

/* Runs the calling process on CPU `cpu` only, if it may use two or more. */
static void pin(int cpu)
{
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) < 2)
        return;
    for (int c = 0, seen = 0; c < CPU_SETSIZE; c++) {
        if (!CPU_ISSET(c, &set))
            continue;
        if (seen++ == cpu) {
            CPU_ZERO(&set);
            CPU_SET(c, &set);
            sched_setaffinity(0, sizeof(set), &set);
            return;
        }
    }
}

/* The device: answers every MMIO_READ until RESET. */
static int device(struct toe_chan *ch)
{
    if (toe_chan_accept(ch, 10000) < 0)
        return 2;
    for (;;) {
        const struct toe_chan_msg *m;
        struct toe_chan_msg *r;

        if (toe_chan_wait(ch, TOE_CHAN_RX, -1) < 0 || toe_chan_rx_peek(ch, &m) != 1)
            return 3;
        if (m->type == CHAN_MSG_RESET)
            return 0;
        r = toe_chan_tx_alloc(ch); /* the host waits for each answer: never full */
        if (!r)
            return 4;
        r->type = CHAN_MSG_MMIO_DONE;
        r->id = m->id;
        r->time = m->time;
        r->payload.done.value = m->payload.mmio.offset;
        if (toe_chan_tx_commit(ch, r) < 0 || toe_chan_rx_release(ch) < 0)
            return 5;
    }
}

static uint64_t round_trip(struct toe_chan *ch, uint32_t id)
{
    const struct toe_chan_msg *m;
    struct toe_chan_msg *s = toe_chan_tx_alloc(ch);
    uint64_t v;

    if (!s)
        die("no free slot", ch);
    s->type = CHAN_MSG_MMIO_READ;
    s->id = id;
    s->time = id;
    s->payload.mmio.offset = (uint64_t)id * 8 % 0x8000;
    s->payload.mmio.size = 8;
    if (toe_chan_tx_commit(ch, s) < 0)
        die("commit", ch);
    if (toe_chan_wait(ch, TOE_CHAN_RX, 10000) != TOE_CHAN_RX || toe_chan_rx_peek(ch, &m) != 1)
        die("no MMIO_DONE", ch);
    if (m->type != CHAN_MSG_MMIO_DONE || m->id != id)
        die("wrong answer", ch);
    v = m->payload.done.value;
    toe_chan_rx_release(ch);
    return v;
}

/* Round trips per second over the channel, both sides spinning spin_ns and,
 * if spread, on different CPUs. */
static double chan_rate(const char *path, uint32_t spin_ns, int spread)
{
    cpu_set_t all;
    struct toe_chan_opts o = {.spin_ns = spin_ns, .nslots = 64};
    struct toe_chan *host;
    uint64_t sink = 0;
    uint32_t id = 0;
    double rate;
    pid_t pid;
    int fd, st, r, ready[2];
    char b;

    /* The device listens in the child and says so through a pipe. */
    sched_getaffinity(0, sizeof(all), &all);
    if (pipe(ready) < 0)
        die("pipe", NULL);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct toe_chan *dev = toe_chan_new(&o);

        if (spread)
            pin(1);
        if (!dev || toe_chan_listen(dev, path) < 0 || write(ready[1], "r", 1) != 1)
            _exit(6);
        r = device(dev);
        toe_chan_close(dev);
        _exit(r);
    }
    close(ready[1]);
    if (read(ready[0], &b, 1) != 1)
        die("device did not start", NULL);
    close(ready[0]);
    if (spread)
        pin(0);
    host = toe_chan_new(&o);
    fd = toe_chan_memfd("bench-dma", 4096);
    if (!host || fd < 0 || toe_chan_connect(host, path, fd, 4096, 0) < 0)
        die("connect", host);
    for (r = 0; r < 2000; r++)
        sink += round_trip(host, id++);
    {
        double t0 = now_s(), t;
        uint64_t n = 0;

        do {
            for (int i = 0; i < 256; i++)
                sink += round_trip(host, id++);
            n += 256;
            t = now_s() - t0;
        } while (t < ROUND_S);
        rate = n / t;
    }
    {
        struct toe_chan_msg reset = {.type = CHAN_MSG_RESET, .time = id};

        if (toe_chan_send(host, &reset) < 0)
            die("reset", host);
    }
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench_chan: device exited with status %d\n", st);
        exit(1);
    }
    toe_chan_close(host);
    close(fd);
    sched_setaffinity(0, sizeof(all), &all);
    if (sink == 42)
        fprintf(stderr, " ");
    return rate;
}

static int full_io(int fd, void *buf, size_t len, int wr)
{
    size_t n = 0;

    while (n < len) {
        ssize_t k = wr ? write(fd, (char *)buf + n, len - n) : read(fd, (char *)buf + n, len - n);

        if (k <= 0)
            return -1;
        n += (size_t)k;
    }
    return 0;
}

/* The reference: 64-byte ping-pong over a socketpair between two processes. */
static double socket_rate(void)
{
    char msg[64];
    double rate;
    pid_t pid;
    int sp[2], r, st;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0)
        die("socketpair", NULL);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        close(sp[0]);
        while (full_io(sp[1], msg, sizeof(msg), 0) == 0 && msg[0] != 'q')
            if (full_io(sp[1], msg, sizeof(msg), 1) < 0)
                _exit(1);
        _exit(0);
    }
    close(sp[1]);
    memset(msg, 'r', sizeof(msg));
    for (r = 0; r < 2000; r++)
        if (full_io(sp[0], msg, sizeof(msg), 1) || full_io(sp[0], msg, sizeof(msg), 0))
            die("socket ping-pong", NULL);
    {
        double t0 = now_s(), t;
        uint64_t n = 0;

        do {
            for (int i = 0; i < 256; i++)
                if (full_io(sp[0], msg, sizeof(msg), 1) || full_io(sp[0], msg, sizeof(msg), 0))
                    die("socket ping-pong", NULL);
            n += 256;
            t = now_s() - t0;
        } while (t < ROUND_S);
        rate = n / t;
    }
    msg[0] = 'q';
    full_io(sp[0], msg, sizeof(msg), 1);
    close(sp[0]);
    waitpid(pid, &st, 0);
    return rate;
}

int main(void)
{
    char dir[] = "/tmp/bench_chan_XXXXXX", path[64];
    double chan = 0, spin = 0, sock = 0;

    signal(SIGPIPE, SIG_IGN);
    if (!mkdtemp(dir))
        die("mkdtemp", NULL);
    snprintf(path, sizeof(path), "%s/toe-sim.sock", dir);
    for (int r = 0; r < ROUNDS; r++) {
        double x = socket_rate(), y = chan_rate(path, 0, 0), z = chan_rate(path, SPIN_NS, 1);

        sock = x > sock ? x : sock;
        chan = y > chan ? y : chan;
        spin = z > spin ? z : spin;
    }
    unlink(path);
    rmdir(dir);
    printf("BENCH chan_roundtrips_per_s=%.0f chan_spin_roundtrips_per_s=%.0f "
           "socket_roundtrips_per_s=%.0f chan_vs_socket=%.3f chan_spin_vs_socket=%.3f\n",
           chan, spin, sock, chan / sock, spin / sock);
    return 0;
}
