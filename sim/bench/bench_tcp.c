/*
 * make bench's TCP figures (docs/perf.md): the embedded TOE (device, driver,
 * stack) against a peer - a second stack, in software, on the TOE's port - in
 * virtual time.
 *
 *   --mode=conns --count=N   N connections one after another from the peer to
 *                            a TOE listener: open, one byte each way, close
 *                            (the peer first). Wall-clock handshakes per second,
 *                            and the same between two software stacks with no
 *                            device (the reference of the same run).
 * --no-ref: no reference run (callgrind counts the TOE's run alone).
 *   --mode=max --count=N     N connections at once, each verified by a byte
 *                            each way; how many were established, how many in
 *                            the hardware table; bytes per idle connection.
 *
 * Prints "key value" lines. --backend=model|rtl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toe_harness.h"
#include "toe_socket.h"
#include "toe_stack.h"
#include "toe_stack_drv.h"

#define TOE_IP 0xC0A80001u
#define PEER_IP 0xC0A80002u
#define Q_MAX 8192
#define STEP_NS 20000ull

static const uint8_t toe_mac[6] = {2, 0, 0, 0, 0, 1}, peer_mac[6] = {2, 0, 0, 0, 0, 2};

struct qf {
    size_t len;
    uint8_t f[1600];
};

struct fq {
    struct qf *q;
    size_t head, n;
};

struct pair {
    struct toe_harness *h;      /* NULL: the reference, a second software stack */
    struct toe_stack *toe_sw;   /* the reference's "TOE" */
    struct toe_stack *peer;
    uint64_t now_sw;            /* the reference's clock */
    struct fq to_toe, to_peer;
    uint64_t frames;
};

static void fq_push(struct fq *q, const uint8_t *f, size_t len)
{
    struct qf *e;

    if (q->n == Q_MAX || len > sizeof(q->q[0].f))
        return;   /* a loss: TCP recovers */
    e = &q->q[(q->head + q->n++) % Q_MAX];
    e->len = len;
    memcpy(e->f, f, len);
}

static uint64_t now_of(struct pair *p) { return p->h ? toe_harness_now_ns(p->h) : p->now_sw; }

static void toe_frame_out(void *arg, const uint8_t *f, size_t len, uint64_t t)
{
    (void)t;
    fq_push(&((struct pair *)arg)->to_peer, f, len);
}

static int peer_output(void *arg, const uint8_t *f, size_t len)
{
    fq_push(&((struct pair *)arg)->to_toe, f, len);
    return 0;
}

static int swtoe_output(void *arg, const uint8_t *f, size_t len)
{
    fq_push(&((struct pair *)arg)->to_peer, f, len);
    return 0;
}

static uint64_t pair_now(void *arg) { return now_of(arg); }

static struct toe_stack *toe_stack_of(struct pair *p) { return p->h ? toe_harness_stack(p->h) : p->toe_sw; }

/* Move frames across, then time to the deadline or the next thing. */
static void pair_step(struct pair *p, uint64_t deadline)
{
    int moved = 0;
    uint64_t now, next;

    while (p->to_peer.n) {
        struct qf *e = &p->to_peer.q[p->to_peer.head];

        p->to_peer.head = (p->to_peer.head + 1) % Q_MAX;
        p->to_peer.n--;
        toe_stack_input(p->peer, e->f, e->len);
        moved = 1;
        p->frames++;
    }
    while (p->to_toe.n) {
        struct qf *e = &p->to_toe.q[p->to_toe.head];

        p->to_toe.head = (p->to_toe.head + 1) % Q_MAX;
        p->to_toe.n--;
        if (p->h)
            toe_harness_inject(p->h, e->f, e->len);
        else
            toe_stack_input(p->toe_sw, e->f, e->len);
        moved = 1;
        p->frames++;
    }
    now = now_of(p);
    next = toe_stack_next_timer(p->peer);
    if (toe_stack_next_timer(toe_stack_of(p)) < next)
        next = toe_stack_next_timer(toe_stack_of(p));
    if (moved || p->to_peer.n || p->to_toe.n)
        next = now + STEP_NS;
    if (p->h && next > now + STEP_NS)
        next = now + STEP_NS;   /* the device may be sending meanwhile */
    if (next > deadline)
        next = deadline;
    if (next <= now)
        next = now + 1;
    if (p->h) {
        toe_harness_run_until(p->h, next);
    } else {
        p->now_sw = next;
        toe_stack_timers(p->toe_sw);
    }
    toe_stack_timers(p->peer);
}

static int peer_wait(void *arg, uint64_t deadline)
{
    struct pair *p = arg;

    pair_step(p, deadline == UINT64_MAX ? now_of(p) + 1000000ull : deadline);
    return 0;
}

static int toe_wait(void *arg, uint64_t deadline) { return peer_wait(arg, deadline); }

static struct toe_stack *new_stack(struct pair *p, uint32_t ip, const uint8_t *mac, int (*out)(void *, const uint8_t *, size_t),
                                   unsigned conns, const struct toe_knobs *k, uint64_t seed)
{
    struct toe_stack_cfg cfg = {.ip = ip, .prefix_len = 24, .knobs = k, .seed = seed, .max_sockets = conns + 16,
                                .max_conns = conns + 16};
    struct toe_netif_ops ops = {.output = out, .now_ns = pair_now, .wait = peer_wait, .arg = p};
    char err[200];
    struct toe_stack *st;

    memcpy(cfg.mac, mac, 6);
    st = toe_stack_new(&cfg, &ops, err, sizeof(err));
    if (!st) {
        fprintf(stderr, "bench_tcp: %s\n", err);
        exit(1);
    }
    return st;
}

static void pair_open(struct pair *p, const char *backend, unsigned conns)
{
    static struct toe_knobs pk;
    char err[256];

    memset(p, 0, sizeof(*p));
    p->to_toe.q = calloc(Q_MAX, sizeof(struct qf));
    p->to_peer.q = calloc(Q_MAX, sizeof(struct qf));
    toe_knobs_defaults(&pk);
    /* The peer opens every connection: all its ports, and TIME_WAIT kept short
     * enough not to run out (it is the peer's, not what is measured). */
    toe_knobs_set(&pk, "net.ipv4.ip_local_port_range", "1024 65535", err, sizeof(err));
    toe_knobs_set(&pk, "toe.tcp_msl", "1", err, sizeof(err));
    p->peer = new_stack(p, PEER_IP, peer_mac, peer_output, conns, &pk, 7);
    if (backend) {
        struct toe_harness_opts o = {.backend = backend, .ip = TOE_IP, .prefix_len = 24, .seed = 3,
                                     .frame_out = toe_frame_out, .wait_hook = toe_wait, .arg = p,
                                     .max_sockets = conns + 16, .max_conns = conns + 16,
                                     .conn_max = conns > 4096 ? 65536 : 0,
                                     .dma_size = (uint64_t)conns * 8192 + (64ull << 20)};

        memcpy(o.mac, toe_mac, 6);
        p->h = toe_harness_open(&o, err, sizeof(err));
        if (!p->h) {
            fprintf(stderr, "bench_tcp: %s\n", err);
            exit(1);
        }
        toe_stack_neigh_add(toe_harness_stack(p->h), PEER_IP, peer_mac);
    } else {
        p->now_sw = 1000000000ull;
        p->toe_sw = new_stack(p, TOE_IP, toe_mac, swtoe_output, conns, NULL, 3);
        toe_stack_neigh_add(p->toe_sw, PEER_IP, peer_mac);
    }
    toe_stack_neigh_add(p->peer, TOE_IP, toe_mac);
}

static void pair_close(struct pair *p)
{
    toe_harness_close(p->h);
    if (p->toe_sw)
        toe_stack_free(p->toe_sw);
    toe_stack_free(p->peer);
    free(p->to_toe.q);
    free(p->to_peer.q);
}

static double wall(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct toe_ctx *toe_ctx_of(struct pair *p) { return toe_stack_ctx(toe_stack_of(p)); }

static int listen_on(struct toe_ctx *c, uint16_t port, int rcvbuf)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    int fd = toe_socket(c, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;

    toe_setsockopt(c, fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (rcvbuf)
        toe_setsockopt(c, fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (toe_bind(c, fd, (struct sockaddr *)&a, sizeof a) || toe_listen(c, fd, 4096)) {
        perror("bench_tcp: listen");
        exit(1);
    }
    return fd;
}

/* Run until cond(arg) or a virtual-time guard. */
static int run_until(struct pair *p, int (*cond)(struct pair *, void *), void *arg, uint64_t guard_ns)
{
    uint64_t end = now_of(p) + guard_ns;

    /* The condition every 8 steps (160 us of virtual time): what is measured is
     * the connections, not how soon the bench looks at them. */
    for (unsigned i = 0; i % 8 || !cond(p, arg); i++) {
        if (now_of(p) >= end)
            return -1;
        pair_step(p, end);
    }
    return 0;
}

struct one {
    int cfd, lfd, sfd, phase;
    char b;
};

/* The TOE's side of one connection's steps: its own function, so that
 * callgrind can count the host's instructions of the TOE alone
 * (--toggle-collect, tools/bench.py). 1: the phase's TOE part is done. */
__attribute__((noinline)) int toe_side(struct toe_ctx *tc, struct one *o)
{
    char b;

    switch (o->phase) {
    case 0:   /* the TOE accepts */
        return (o->sfd = toe_accept(tc, o->lfd, NULL, NULL)) >= 0;
    case 1:   /* the byte at the TOE, one back */
        if (toe_recv(tc, o->sfd, &b, 1, MSG_DONTWAIT) != 1)
            return 0;
        toe_send(tc, o->sfd, "y", 1, 0);
        return 1;
    case 3:   /* the TOE reads the end and closes */
        if (toe_recv(tc, o->sfd, &b, 1, MSG_DONTWAIT) != 0)
            return 0;
        toe_close(tc, o->sfd);
        return 1;
    default:
        return 1;
    }
}

static int conn_done(struct pair *p, void *arg)
{
    struct one *o = arg;
    struct toe_ctx *tc = toe_ctx_of(p), *pc = toe_stack_ctx(p->peer);
    char b;

    switch (o->phase) {
    case 0:
        if (!toe_side(tc, o))
            return 0;
        toe_send(pc, o->cfd, "x", 1, 0);
        o->phase = 1;
        return 0;
    case 1:
        o->phase += toe_side(tc, o);
        return 0;
    case 2:   /* at the peer; it closes first */
        if (toe_recv(pc, o->cfd, &b, 1, MSG_DONTWAIT) != 1)
            return 0;
        toe_close(pc, o->cfd);
        o->phase = 3;
        return 0;
    case 3:
        o->phase += toe_side(tc, o);
        return 0;
    default:  /* its last ACK is in: nothing left on the TOE's side */
        return toe_stack_counter(toe_stack_of(p), "TcpCurrEstab") == 0 && !p->to_toe.n && !p->to_peer.n;
    }
}

static double conns(const char *backend, unsigned n, uint64_t *vns, uint64_t *offl)
{
    struct pair p;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(8080), .sin_addr.s_addr = htonl(TOE_IP)};
    int lfd;
    double t0;
    uint64_t v0;

    pair_open(&p, backend, 64);
    lfd = listen_on(toe_ctx_of(&p), 8080, 0);
    t0 = wall();
    v0 = now_of(&p);
    for (unsigned i = 0; i < n; i++) {
        struct one o = {.lfd = lfd};
        struct toe_ctx *pc = toe_stack_ctx(p.peer);

        o.cfd = toe_socket(pc, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        toe_connect(pc, o.cfd, (struct sockaddr *)&to, sizeof to);
        if (run_until(&p, conn_done, &o, 30ull * 1000000000ull)) {
            fprintf(stderr, "bench_tcp: connection %u stuck in phase %d\n", i, o.phase);
            exit(1);
        }
    }
    t0 = wall() - t0;
    *vns = (now_of(&p) - v0) / (n ? n : 1);
    *offl = (uint64_t)toe_stack_counter(toe_stack_of(&p), "ToeOffloaded");
    pair_close(&p);
    return n / t0;
}

/* ---- many at once -------------------------------------------------------------------- */

struct many {
    unsigned lo, hi, accepted;        /* the batch [lo, hi) */
    int *cfd, *sfd, lfd[2];
    uint8_t *cst, *sst;               /* 0: nothing yet, 1: sent its byte, 2: got the other's */
};

static int many_done(struct pair *p, void *arg)
{
    struct many *m = arg;
    struct toe_ctx *tc = toe_ctx_of(p), *pc = toe_stack_ctx(p->peer);
    unsigned done = 0;
    int fd;
    char b;

    for (int l = 0; l < 2; l++)
        while (m->accepted < m->hi && (fd = toe_accept(tc, m->lfd[l], NULL, NULL)) >= 0)
            m->sfd[m->accepted++] = fd;
    for (unsigned i = m->lo; i < m->hi; i++) {
        /* accept order is not connect order: each side checks its own byte */
        if (m->cst[i] == 0 && toe_send(pc, m->cfd[i], "p", 1, 0) == 1)
            m->cst[i] = 1;
        if (m->cst[i] == 1 && toe_recv(pc, m->cfd[i], &b, 1, MSG_DONTWAIT) == 1 && b == 't')
            m->cst[i] = 2;
        if (i < m->accepted) {
            if (m->sst[i] == 0 && toe_send(tc, m->sfd[i], "t", 1, 0) == 1)
                m->sst[i] = 1;
            if (m->sst[i] == 1 && toe_recv(tc, m->sfd[i], &b, 1, MSG_DONTWAIT) == 1 && b == 'p')
                m->sst[i] = 2;
        }
        done += m->cst[i] == 2 && m->sst[i] == 2;
    }
    return done == m->hi - m->lo;
}

static void many(const char *backend, unsigned n)
{
    struct pair p;
    struct many m = {0};
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(8080), .sin_addr.s_addr = htonl(TOE_IP)};
    struct toe_ctx *pc;
    struct mallinfo2 mi0, mi1;
    int small = 4096;
    unsigned batch = 512, verified = 0;

    pair_open(&p, backend, n);
    pc = toe_stack_ctx(p.peer);
    /* Two listening ports: a peer with one address has 64512 ports, fewer than
     * 65536 4-tuples to one port. */
    m.lfd[0] = listen_on(toe_ctx_of(&p), 8080, small);
    m.lfd[1] = listen_on(toe_ctx_of(&p), 8081, small);
    m.cfd = calloc(n, sizeof(int));
    m.sfd = calloc(n, sizeof(int));
    m.cst = calloc(n, 1);
    m.sst = calloc(n, 1);
    mi0 = mallinfo2();
    /* In batches, so that neither the accept queue nor the SYN queue overflows. */
    for (m.lo = 0; m.lo < n; m.lo = m.hi) {
        m.hi = m.lo + batch < n ? m.lo + batch : n;
        for (unsigned i = m.lo; i < m.hi; i++) {
            to.sin_port = htons((uint16_t)(8080 + (i & 1)));
            m.cfd[i] = toe_socket(pc, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            toe_setsockopt(pc, m.cfd[i], SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
            if (toe_connect(pc, m.cfd[i], (struct sockaddr *)&to, sizeof to) && errno != EINPROGRESS) {
                fprintf(stderr, "bench_tcp: connect %u: %s\n", i, strerror(errno));
                m.hi = i;
                break;
            }
        }
        if (m.hi == m.lo)
            break;
        if (run_until(&p, many_done, &m, 120ull * 1000000000ull)) {
            fprintf(stderr, "bench_tcp: connections %u..%u not all verified\n", m.lo, m.hi - 1);
            many_done(&p, &m);
            for (unsigned i = m.lo; i < m.hi; i++)
                verified += m.cst[i] == 2 && m.sst[i] == 2;
            break;
        }
        verified += m.hi - m.lo;
    }
    mi1 = mallinfo2();
    printf("max_established_conns %u\n", verified);
    printf("max_offloaded_conns %" PRId64 "\n", toe_stack_counter(toe_stack_of(&p), "ToeOffloaded"));
    printf("offload_failed %" PRId64 "\n", toe_stack_counter(toe_stack_of(&p), "ToeOffloadFailed"));
    /* The driver's memory for an idle connection: its table entries (fixed
     * size, allocated with the tables) and the buffers it holds (none, idle).
     * The process's heap growth covers the peer and the simulated device too:
     * printed apart, not counted. */
    printf("driver_bytes_per_idle_conn %.0f\n",
           (double)(toe_stack_bytes_per_conn() + toe_stack_drv_bytes_per_conn()) +
               (double)toe_stack_buffer_bytes(toe_stack_of(&p)) / (verified ? verified : 1));
    printf("process_heap_bytes_per_conn %.0f\n", (double)(mi1.uordblks - mi0.uordblks) / (verified ? verified : 1));
    printf("dma_bytes_per_idle_conn %d\n", small);
    pair_close(&p);
    free(m.cfd);
    free(m.sfd);
    free(m.cst);
    free(m.sst);
}

int main(int argc, char **argv)
{
    const char *backend = "model", *mode = "conns";
    unsigned n = 200;
    int ref = 1;

    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--backend=", 10))
            backend = argv[i] + 10;
        else if (!strncmp(argv[i], "--mode=", 7))
            mode = argv[i] + 7;
        else if (!strncmp(argv[i], "--count=", 8))
            n = (unsigned)strtoul(argv[i] + 8, NULL, 0);
        else if (!strcmp(argv[i], "--no-ref"))
            ref = 0;
        else {
            fprintf(stderr, "usage: bench_tcp [--backend=model|rtl] [--mode=conns|max] [--count=N] [--no-ref]\n");
            return 2;
        }
    }
    if (!strcmp(mode, "conns")) {
        uint64_t vns, offl, vref, oref;
        double hs = conns(backend, n, &vns, &offl);

        printf("handshakes_per_s %.1f\n", hs);
        printf("virtual_ns_per_conn %" PRIu64 "\n", vns);
        printf("offloaded %" PRIu64 "\n", offl);
        if (ref)
            printf("handshakes_per_s_soft %.1f\n", conns(NULL, n, &vref, &oref));
    } else if (!strcmp(mode, "max")) {
        many(backend, n);
    } else {
        fprintf(stderr, "bench_tcp: unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
