/*
 * toe-packetdrill.so as upstream packetdrill uses it (so_testing.c
 * so_instance_init: dlopen with RTLD_DEEPBIND, dlsym
 * "packetdrill_interface_init", init(flags, &ifc); then every call through
 * the table). Nothing of the project is linked: the packets are built here
 * by hand, raw IPv4 as upstream's so_netdev_send hands them over, and what
 * netdev_receive returns is checked byte by byte, checksums included.
 *
 *     so_loader LIB.so CASE [BACKEND]
 *
 * CASE: passive-open, bad-flags, clock, determinism, blocking (upstream's
 * system call thread blocked in accept() and read() while the main thread
 * injects), self-drive (a blocking call with nobody driving the clock).
 * Exit 0 when every check held; the first failed check is printed.
 */
#define _GNU_SOURCE
#include "packetdrill_iface.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHECK(c)                                                                     \
    do {                                                                             \
        if (!(c)) {                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);    \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)
#define CHECK_EQ(a, b)                                                               \
    do {                                                                             \
        long long a_ = (long long)(a), b_ = (long long)(b);                          \
        if (a_ != b_) {                                                              \
            fprintf(stderr, "%s:%d: %s = %lld, expected %s = %lld\n", __FILE__,      \
                    __LINE__, #a, a_, #b, b_);                                       \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

#define TOE_IP 0xC0A80001u       /* 192.168.0.1 */
#define PEER_IP 0xC0000201u      /* 192.0.2.1 */
#define PEER_PORT 50000
#define TOE_PORT 8080
#define PEER_ISN 1000u

static packetdrill_interface_init_t init_fn;
static const char *backend = "model";

/* ---- packets -------------------------------------------------------------------------------- */

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    return s;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16), put16(p + 2, v); }
static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return get16(p) << 16 | get16(p + 2); }

/* The TCP checksum over the pseudo-header (RFC 9293 3.1). */
static uint16_t tcp_sum(uint32_t src, uint32_t dst, const uint8_t *t, size_t n)
{
    uint8_t ph[12];

    put32(ph, src), put32(ph + 4, dst);
    ph[8] = 0, ph[9] = 6;
    put16(ph + 10, (uint32_t)n);
    return fold(sum16(t, n, sum16(ph, 12, 0)));
}

/* One IPv4 + TCP packet from the peer: its length. */
static size_t seg(uint8_t *p, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win, const uint8_t *opt,
                  size_t optlen, const uint8_t *data, size_t len)
{
    size_t th = 20 + optlen, tot = 20 + th + len;
    uint8_t *t = p + 20;

    memset(p, 0, tot);
    p[0] = 0x45;
    put16(p + 2, (uint32_t)tot);
    put16(p + 4, 1);
    put16(p + 6, 0x4000);                        /* DF */
    p[8] = 64, p[9] = 6;
    put32(p + 12, PEER_IP), put32(p + 16, TOE_IP);
    put16(p + 10, fold(sum16(p, 20, 0)));
    put16(t, PEER_PORT), put16(t + 2, TOE_PORT);
    put32(t + 4, seq), put32(t + 8, ack);
    t[12] = (uint8_t)(th / 4) << 4, t[13] = flags;
    put16(t + 14, win);
    memcpy(t + 20, opt, optlen);
    memcpy(t + th, data, len);
    put16(t + 16, tcp_sum(PEER_IP, TOE_IP, t, th + len));
    return tot;
}

static size_t ts_opt(uint8_t *o, uint32_t val, uint32_t ecr)
{
    o[0] = 1, o[1] = 1, o[2] = 8, o[3] = 10;     /* nop, nop, TS */
    put32(o + 4, val), put32(o + 8, ecr);
    return 12;
}

struct tcpseg {
    uint8_t flags;
    uint32_t seq, ack, win;
    const uint8_t *opt, *data;
    size_t optlen, len;
    long long t_us;
};

/* What the TOE sent, checked as a packet from 192.168.0.1:8080 to the peer. */
static struct tcpseg parse(const uint8_t *p, size_t n, long long t_us)
{
    struct tcpseg s;
    const uint8_t *t = p + 20;
    size_t tot, th;

    CHECK(n >= 40);
    CHECK_EQ(p[0], 0x45);                        /* IPv4, no IP options */
    tot = get16(p + 2);
    CHECK_EQ(tot, n);                            /* no link header, no padding */
    CHECK_EQ(p[9], 6);
    CHECK_EQ(get32(p + 12), TOE_IP);
    CHECK_EQ(get32(p + 16), PEER_IP);
    CHECK_EQ(fold(sum16(p, 20, 0)), 0);          /* header checksum */
    CHECK_EQ(tcp_sum(TOE_IP, PEER_IP, t, n - 20), 0);
    CHECK_EQ(get16(t), TOE_PORT);
    CHECK_EQ(get16(t + 2), PEER_PORT);
    th = (size_t)(t[12] >> 4) * 4;
    CHECK(th >= 20 && 20 + th <= n);
    s.flags = t[13];
    s.seq = get32(t + 4), s.ack = get32(t + 8), s.win = get16(t + 14);
    s.opt = t + 20, s.optlen = th - 20;
    s.data = t + th, s.len = n - 20 - th;
    s.t_us = t_us;
    return s;
}

/* ---- the interface ------------------------------------------------------------------------------ */

struct run {
    struct packetdrill_interface ifc;
    void *u;
    uint8_t last[2048];
    /* every packet out and its time, for the determinism case */
    uint8_t log[65536];
    size_t loglen;
};

static void open_run(struct run *r, const char *flags)
{
    memset(r, 0, sizeof(*r));
    init_fn(flags, &r->ifc);
    r->u = r->ifc.userdata;
    CHECK(r->u != NULL);
}

static long long now_us(struct run *r)
{
    struct timeval tv;

    CHECK_EQ(r->ifc.gettimeofday(r->u, &tv, NULL), 0);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void send_pkt(struct run *r, const uint8_t *p, size_t n)
{
    CHECK_EQ(r->ifc.netdev_send(r->u, p, n), 0);
}

/* The next packet out: netdev_receive called again on -1, as so_netdev_receive does. */
static struct tcpseg recv_pkt(struct run *r)
{
    long long t;
    size_t n;
    int tries = 0;

    for (;;) {
        n = sizeof(r->last);
        if (r->ifc.netdev_receive(r->u, r->last, &n, &t) == 0)
            break;
        CHECK_EQ(n, 0);
        CHECK(++tries < 100);                    /* 10 s of virtual time */
    }
    CHECK(r->loglen + n + 8 <= sizeof(r->log));
    memcpy(r->log + r->loglen, &t, 8);
    memcpy(r->log + r->loglen + 8, r->last, n);
    r->loglen += n + 8;
    return parse(r->last, n, t);
}

static const uint8_t SYN_OPT[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0, 1, 3, 3, 7};

static int listener(struct run *r)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(TOE_PORT)};
    int one = 1, fd;

    fd = r->ifc.socket(r->u, AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(fd, 3);
    CHECK_EQ(r->ifc.setsockopt(r->u, fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
    CHECK_EQ(r->ifc.bind(r->u, fd, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(r->ifc.listen(r->u, fd, 1), 0);
    return fd;
}

/* SYN in, SYN-ACK out (Linux's options and window): the TOE's ISN and TSval. */
static void handshake_syn(struct run *r, uint32_t *isn, uint32_t *tsval)
{
    uint8_t p[200];
    long long t0 = now_us(r);
    struct tcpseg s;

    send_pkt(r, p, seg(p, 0x02, PEER_ISN, 0, 65535, SYN_OPT, sizeof SYN_OPT, NULL, 0));
    s = recv_pkt(r);
    CHECK_EQ(s.flags, 0x12);
    CHECK_EQ(s.ack, PEER_ISN + 1);
    CHECK_EQ(s.win, 65160);
    CHECK_EQ(s.len, 0);
    CHECK_EQ(s.optlen, 20);
    CHECK(!memcmp(s.opt, "\x02\x04\x05\xb4\x04\x02\x08\x0a", 8));    /* mss 1460, sackOK, TS */
    CHECK(!memcmp(s.opt + 12, "\x00\x00\x00\x64\x01\x03\x03\x07", 8)); /* ecr 100, nop, wscale 7 */
    /* on the gettimeofday clock, within the device's latency */
    CHECK(s.t_us >= t0 && s.t_us < t0 + 1000);
    *isn = s.seq;
    *tsval = get32(s.opt + 8);
}

/* The whole passive open, data, and our close; every packet checked. */
static void conversation(struct run *r)
{
    uint8_t p[400], o[12], data[100], buf[200];
    uint32_t isn, tsval;
    long long t_data;
    struct tcpseg s;
    int lfd = listener(r), fd;

    handshake_syn(r, &isn, &tsval);
    /* the third ACK: ESTABLISHED (and into the hardware table) */
    send_pkt(r, p, seg(p, 0x10, PEER_ISN + 1, isn + 1, 502, o, ts_opt(o, 101, tsval), NULL, 0));
    fd = r->ifc.accept(r->u, lfd, NULL, NULL);
    CHECK_EQ(fd, 4);

    /* 100 bytes: the hardware places them and ACKs them on its delayed-ACK
     * timer, 40 ms (less than a full segment), within one 10 us tick */
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 3);
    t_data = now_us(r);
    send_pkt(r, p, seg(p, 0x18, PEER_ISN + 1, isn + 1, 502, o, ts_opt(o, 102, tsval), data, sizeof data));
    s = recv_pkt(r);
    CHECK_EQ(s.flags, 0x10);
    CHECK_EQ(s.seq, isn + 1);
    CHECK_EQ(s.ack, PEER_ISN + 101);
    CHECK_EQ(s.len, 0);
    CHECK_EQ(s.optlen, 12);
    CHECK_EQ(get32(s.opt + 8), 102);             /* TSecr */
    CHECK(s.t_us > t_data + 40000 - 10 && s.t_us <= t_data + 40000 + 10);
    CHECK_EQ(r->ifc.read(r->u, fd, buf, sizeof buf), 100);
    CHECK(!memcmp(buf, data, 100));

    /* close(): FIN out, acknowledging the data */
    CHECK_EQ(r->ifc.close(r->u, fd), 0);
    s = recv_pkt(r);
    CHECK_EQ(s.flags, 0x11);
    CHECK_EQ(s.seq, isn + 1);
    CHECK_EQ(s.ack, PEER_ISN + 101);
    send_pkt(r, p, seg(p, 0x10, PEER_ISN + 101, isn + 2, 502, o, ts_opt(o, 103, get32(s.opt + 4)), NULL, 0));
    CHECK_EQ(r->ifc.close(r->u, lfd), 0);
    CHECK_EQ(r->ifc.close(r->u, lfd), -1);
    CHECK_EQ(errno, EBADF);
}

static char *flags_of(const char *extra)
{
    static char f[200];

    snprintf(f, sizeof f, "backend=%s%s%s", backend, extra ? "," : "", extra ? extra : "");
    return f;
}

/* ---- the cases -------------------------------------------------------------------------------------- */

static void case_passive_open(void)
{
    struct run r;

    open_run(&r, flags_of("local=192.168.0.1,prefix=16,remote=192.0.2.1"));
    conversation(&r);
    r.ifc.free(r.u);
}

/* A bad flags string: init says why on stderr, leaves userdata NULL, and
 * every member then fails with EINVAL (upstream's first clock read dies). */
static void case_bad_flags(void)
{
    static const char *bad[] = {"backend=model,bogus=1", "backend=fpga", "seed=-1", "prefix=33",
                                "local=1.2.3", "sysctl.net.ipv4.tcp_syncookies=7",
                                "sysctl.net.ipv4.no_such_knob=1", "backend"};
    struct packetdrill_interface ifc;
    struct timeval tv;
    uint8_t p[64] = {0x45};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&ifc, 0xa5, sizeof ifc);
        init_fn(bad[i], &ifc);
        CHECK(ifc.userdata == NULL);
        errno = 0;
        CHECK_EQ(ifc.gettimeofday(NULL, &tv, NULL), -1);
        CHECK_EQ(errno, EINVAL);
        CHECK_EQ(ifc.socket(NULL, AF_INET, SOCK_STREAM, 0), -1);
        CHECK_EQ(errno, EINVAL);
        CHECK_EQ(ifc.netdev_send(NULL, p, sizeof p), -1);
        CHECK_EQ(ifc.usleep(NULL, 10), -1);
        ifc.free(NULL);
    }
    /* and good ones, knobs included */
    init_fn("sysctl.net.ipv4.tcp_syncookies=2,seed=5,prefix=24,pcap=/dev/null", &ifc);
    CHECK(ifc.userdata != NULL);
    ifc.free(ifc.userdata);
    init_fn("", &ifc);
    CHECK(ifc.userdata != NULL);
    ifc.free(ifc.userdata);
    init_fn(NULL, &ifc);
    CHECK(ifc.userdata != NULL);
    ifc.free(ifc.userdata);
}

/* gettimeofday moves by exactly what usleep gave; a read right after a read
 * is 1 us later (upstream's spin loops); the epoch is 10^9 s. */
static void case_clock(void)
{
    struct run r;
    long long a, b, c, d, e, f;
    struct timeval tv;

    open_run(&r, flags_of(NULL));
    r.ifc.usleep(r.u, 0);
    a = now_us(&r);
    CHECK(a >= 1000000000000000ll && a < 1000000000000000ll + 10000000);
    CHECK_EQ(r.ifc.usleep(r.u, 12345), 0);
    b = now_us(&r);
    CHECK_EQ(b - a, 12345);
    c = now_us(&r);
    d = now_us(&r);
    CHECK_EQ(c - b, 1);
    CHECK_EQ(d - c, 1);
    CHECK_EQ(r.ifc.usleep(r.u, 2000000), 0);
    e = now_us(&r);
    CHECK_EQ(e - d, 2000000);
    CHECK_EQ(r.ifc.usleep(r.u, 0), 0);
    f = now_us(&r);
    CHECK_EQ(f, e);
    CHECK_EQ(r.ifc.gettimeofday(r.u, NULL, NULL), -1);
    CHECK_EQ(errno, EFAULT);
    (void)tv;
    r.ifc.free(r.u);
}

/* The same flags twice: the same packets at the same times. Another seed:
 * another ISN. */
static void case_determinism(void)
{
    static struct run a, b, c;

    open_run(&a, flags_of("seed=7"));
    conversation(&a);
    a.ifc.free(a.u);
    open_run(&b, flags_of("seed=7"));
    conversation(&b);
    b.ifc.free(b.u);
    CHECK(a.loglen > 0);
    CHECK_EQ(a.loglen, b.loglen);
    CHECK(!memcmp(a.log, b.log, a.loglen));
    open_run(&c, flags_of("seed=8"));
    conversation(&c);
    c.ifc.free(c.u);
    CHECK(c.loglen == a.loglen && memcmp(c.log, a.log, a.loglen));
}

/* ---- upstream's system call thread ----------------------------------------------------------- */

struct call {
    struct run *r;
    int fd;
    long long ret, t_us;
    atomic_int tid;
    int op;                                      /* 0 accept, 1 read */
    uint8_t buf[200];
};

static void *call_thread(void *arg)
{
    struct call *c = arg;

    atomic_store(&c->tid, (int)syscall(SYS_gettid));
    if (c->op == 0)
        c->ret = c->r->ifc.accept(c->r->u, c->fd, NULL, NULL);
    else
        c->ret = c->r->ifc.read(c->r->u, c->fd, c->buf, sizeof c->buf);
    c->t_us = now_us(c->r);
    return NULL;
}

/* As run_system_call.c's enqueue_system_call: wait until the thread sleeps
 * in its call (is_thread_sleeping reads /proc/PID/task/TID/stat). */
static void await_sleeping(struct call *c)
{
    char path[64], st[256], *rp;
    struct timespec ts = {0, 1000000};

    for (int i = 0; i < 5000; i++) {
        int tid = atomic_load(&c->tid);
        FILE *f;

        if (tid) {
            snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
            if ((f = fopen(path, "r"))) {
                size_t n = fread(st, 1, sizeof st - 1, f);

                fclose(f);
                st[n] = '\0';
                rp = strrchr(st, ')');
                if (rp && rp[1] == ' ' && rp[2] == 'S')
                    return;
            }
        }
        nanosleep(&ts, NULL);
    }
    CHECK(!"the call thread never slept");
}

static void start_call(struct call *c, pthread_t *th)
{
    CHECK_EQ(pthread_create(th, NULL, call_thread, c), 0);
    await_sleeping(c);
}

/* accept() and read() block in the call thread while the main thread sends
 * the handshake and the data; each returns when its packet has arrived. */
static void blocking_run(struct run *r, long long ret_us[2])
{
    struct call c = {0};
    pthread_t th;
    uint8_t p[400], o[12], data[100];
    uint32_t isn, tsval;
    long long t_ack, t_data;
    int lfd;

    lfd = listener(r);
    c.r = r, c.fd = lfd, c.op = 0;
    start_call(&c, &th);
    CHECK_EQ(r->ifc.usleep(r->u, 1000), 0);
    handshake_syn(r, &isn, &tsval);
    CHECK_EQ(r->ifc.usleep(r->u, 5000), 0);
    t_ack = now_us(r);
    send_pkt(r, p, seg(p, 0x10, PEER_ISN + 1, isn + 1, 502, o, ts_opt(o, 101, tsval), NULL, 0));
    pthread_join(th, NULL);
    CHECK_EQ(c.ret, 4);
    CHECK(c.t_us >= t_ack && c.t_us < t_ack + 100);
    ret_us[0] = c.t_us;

    /* read() waits for the data; the main thread sleeps 10 ms first */
    memset(&c, 0, sizeof c);
    c.r = r, c.fd = 4, c.op = 1;
    start_call(&c, &th);
    CHECK_EQ(r->ifc.usleep(r->u, 10000), 0);
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)i;
    t_data = now_us(r);
    CHECK(t_data >= t_ack + 10000);
    send_pkt(r, p, seg(p, 0x18, PEER_ISN + 1, isn + 1, 502, o, ts_opt(o, 102, tsval), data, sizeof data));
    CHECK_EQ(r->ifc.usleep(r->u, 1000), 0);
    pthread_join(th, NULL);
    CHECK_EQ(c.ret, 100);
    CHECK(!memcmp(c.buf, data, 100));
    CHECK(c.t_us >= t_data && c.t_us < t_data + 1000);
    ret_us[1] = c.t_us;
    /* the ACK of the data, after the hardware's 40 ms */
    CHECK_EQ(recv_pkt(r).ack, PEER_ISN + 101);
}

/* ... twice: the same packets, times and returns, threads or not. */
static void case_blocking(void)
{
    static struct run a, b;
    long long ta[2], tb[2];

    open_run(&a, flags_of(NULL));
    blocking_run(&a, ta);
    a.ifc.free(a.u);
    open_run(&b, flags_of(NULL));
    blocking_run(&b, tb);
    b.ifc.free(b.u);
    CHECK_EQ(ta[0], tb[0]);
    CHECK_EQ(ta[1], tb[1]);
    CHECK_EQ(a.loglen, b.loglen);
    CHECK(!memcmp(a.log, b.log, a.loglen));
}

/* A blocking call and nobody driving the clock (upstream's main thread in
 * await_idle_thread): the call drives it itself and returns at its time. */
static void case_self_drive(void)
{
    struct run r;
    struct pollfd pf;
    uint32_t isn, tsval;
    uint8_t p[200], o[12];
    long long t0, t1;
    int lfd;

    open_run(&r, flags_of(NULL));
    lfd = listener(&r);
    handshake_syn(&r, &isn, &tsval);
    send_pkt(&r, p, seg(p, 0x10, PEER_ISN + 1, isn + 1, 502, o, ts_opt(o, 101, tsval), NULL, 0));
    CHECK_EQ(r.ifc.accept(r.u, lfd, NULL, NULL), 4);
    pf.fd = 4, pf.events = POLLIN, pf.revents = 0;
    t0 = now_us(&r);
    CHECK_EQ(r.ifc.poll(r.u, &pf, 1, 300), 0);
    t1 = now_us(&r);
    CHECK(t1 - t0 >= 300000 && t1 - t0 < 300000 + 100);
    r.ifc.free(r.u);
}

int main(int argc, char **argv)
{
    void *lib;
    const char *cs;

    if (argc < 3) {
        fprintf(stderr, "usage: %s LIB.so CASE [BACKEND]\n", argv[0]);
        return 2;
    }
    if (argc > 3)
        backend = argv[3];
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE | RTLD_DEEPBIND);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    dlerror();
    *(void **)&init_fn = dlsym(lib, "packetdrill_interface_init");
    if (!init_fn) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    cs = argv[2];
    if (!strcmp(cs, "passive-open"))
        case_passive_open();
    else if (!strcmp(cs, "bad-flags"))
        case_bad_flags();
    else if (!strcmp(cs, "clock"))
        case_clock();
    else if (!strcmp(cs, "determinism"))
        case_determinism();
    else if (!strcmp(cs, "blocking"))
        case_blocking();
    else if (!strcmp(cs, "self-drive"))
        case_self_drive();
    else {
        fprintf(stderr, "unknown case '%s'\n", cs);
        return 2;
    }
    printf("ok %s (%s)\n", cs, backend);
    dlclose(lib);
    return 0;
}
