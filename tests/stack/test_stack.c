/*
 * The stack's lifecycle between two instances of itself on a simulated wire
 * (stack_wire.h), in virtual time: states, timings, errno values and
 * counters of every path of S7-S20 that two of our stacks can show. Wire-exact
 * checks against scripts are toe-packetdrill's (tests/pktdrill/lifecycle).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stack_wire.h"
#include "test_seed.h"

#define SEC 1000000000ull
#define MS 1000000ull

static uint64_t seed;
static struct wire W;

static int setup(void **state)
{
    (void)state;
    wire_init(&W, NULL, NULL, seed);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wire_free(&W);
    return 0;
}

static int listen_on(int s, uint16_t port, int backlog)
{
    struct sockaddr_in a = wire_addr(0, port);
    int fd = toe_socket(W.c[s], AF_INET, SOCK_STREAM, 0), one = 1;

    assert_int_equal(fd, 3 + (fd - 3));
    assert_int_equal(toe_setsockopt(W.c[s], fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
    assert_int_equal(toe_bind(W.c[s], fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(toe_listen(W.c[s], fd, backlog), 0);
    return fd;
}

static int connect_nb(int s, uint32_t ip, uint16_t port)
{
    struct sockaddr_in a = wire_addr(ip, port);
    int fd = toe_socket(W.c[s], AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

    assert_true(fd >= 3);
    assert_int_equal(toe_connect(W.c[s], fd, (struct sockaddr *)&a, sizeof a), -1);
    assert_int_equal(errno, EINPROGRESS);
    return fd;
}

static int so_error(int s, int fd)
{
    int e = -1;
    socklen_t l = sizeof e;

    assert_int_equal(toe_getsockopt(W.c[s], fd, SOL_SOCKET, SO_ERROR, &e, &l), 0);
    return e;
}

static uint16_t local_port(int s, int fd)
{
    struct sockaddr_in a;
    socklen_t l = sizeof a;

    assert_int_equal(toe_getsockname(W.c[s], fd, (struct sockaddr *)&a, &l), 0);
    return ntohs(a.sin_port);
}

/* A connected pair: A's client fd, B's accepted fd. */
static void pair(int *ca, int *sb, int *lb)
{
    *lb = listen_on(1, 8080, 16);
    *ca = connect_nb(0, IP_B, 8080);
    wire_run_for(&W, 10 * MS);
    assert_int_equal(so_error(0, *ca), 0);
    *sb = toe_accept(W.c[1], *lb, NULL, NULL);
    assert_true(*sb >= 3);
}

/* S7: the three-way handshake, data both ways, S14 the four-way close, S17
 * TIME_WAIT for 2 MSL on the side that closed first only. */
static void test_handshake_transfer_close(void **state)
{
    int ca, sb, lb;
    char buf[64];
    uint16_t pa;
    uint64_t t_close;

    (void)state;
    pair(&ca, &sb, &lb);
    pa = local_port(0, ca);
    assert_true(pa >= 32768 && pa <= 60999);
    /* SYN (no ACK), SYN+ACK, ACK: each ISN acknowledged (S8). */
    assert_int_equal(W.log[0].flags, 0x02);
    assert_int_equal(W.log[1].flags, 0x12);
    assert_int_equal(W.log[1].ack, W.log[0].seq + 1);
    assert_int_equal(W.log[2].flags, 0x10);
    assert_int_equal(W.log[2].ack, W.log[1].seq + 1);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_ESTABLISHED);
    assert_int_equal(wire_state(&W, 1, 8080, pa), TOE_TCP_ESTABLISHED);
    assert_int_equal(toe_stack_counter(W.st[0], "TcpActiveOpens"), 1);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpPassiveOpens"), 1);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpCurrEstab"), 1);

    assert_int_equal(toe_send(W.c[0], ca, "hello", 5, 0), 5);
    wire_run_for(&W, 10 * MS);
    assert_int_equal(toe_recv(W.c[1], sb, buf, sizeof buf, 0), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(toe_send(W.c[1], sb, "world!", 6, 0), 6);
    wire_run_for(&W, 10 * MS);
    assert_int_equal(toe_recv(W.c[0], ca, buf, sizeof buf, 0), 6);

    /* A closes first: FIN_WAIT_1, FIN_WAIT_2 once acknowledged. */
    t_close = W.now;
    assert_int_equal(toe_close(W.c[0], ca), 0);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_FIN_WAIT1);
    /* B's ACK of the FIN waits for its application up to 40 ms, as Linux's
     * in pingpong mode does. */
    wire_run_until(&W, t_close + WIRE_DELAY_NS + 40 * MS - 1);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_FIN_WAIT1);
    wire_run_until(&W, t_close + 2 * WIRE_DELAY_NS + 40 * MS);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_FIN_WAIT2);
    assert_int_equal(wire_state(&W, 1, 8080, pa), TOE_TCP_CLOSE_WAIT);
    /* B reads the end of the stream, and closes: LAST_ACK, then gone. */
    assert_int_equal(toe_recv(W.c[1], sb, buf, sizeof buf, MSG_DONTWAIT), 0);
    assert_int_equal(toe_close(W.c[1], sb), 0);
    t_close = W.now + WIRE_DELAY_NS;   /* when B's FIN reaches A: A enters TIME_WAIT */
    assert_int_equal(wire_state(&W, 1, 8080, pa), TOE_TCP_LAST_ACK);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(wire_state(&W, 1, 8080, pa), 0);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_TIME_WAIT);
    /* 2 MSL = 60 s from the moment it entered TIME_WAIT. */
    wire_run_until(&W, t_close + 60 * SEC - 1);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_TIME_WAIT);
    wire_run_until(&W, t_close + 60 * SEC);
    assert_int_equal(wire_state(&W, 0, pa, 8080), 0);
    assert_int_equal(toe_stack_counter(W.st[0], "TcpExtTW"), 1);
    toe_close(W.c[1], lb);
}

/* S11: a SYN nobody answers is sent at 0, 1, 3, 7, 15, 31, 63 s and the
 * connect fails with ETIMEDOUT at 127 s (tcp_syn_retries = 6). */
static int drop_all_from_a(void *arg, int from, const uint8_t *f, size_t len)
{
    (void)arg;
    (void)f;
    (void)len;
    return from == 0;
}

static void test_syn_retries_backoff(void **state)
{
    static const uint64_t at[7] = {0, 1, 3, 7, 15, 31, 63};
    uint64_t t0 = W.now;
    int fd;

    (void)state;
    W.drop = drop_all_from_a;
    fd = connect_nb(0, IP_B, 8080);
    wire_run_until(&W, t0 + 127 * SEC - 1);
    assert_int_equal(W.nlog, 7);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(W.log[i].flags, 0x02);
        assert_int_equal(W.log[i].t - t0, at[i] * SEC);
        assert_int_equal(W.log[i].seq, W.log[0].seq);
    }
    assert_int_equal(so_error(0, fd), 0);
    wire_run_until(&W, t0 + 127 * SEC);
    assert_int_equal(so_error(0, fd), ETIMEDOUT);
    assert_int_equal(toe_stack_counter(W.st[0], "TcpAttemptFails"), 1);
    assert_int_equal(toe_stack_counter(W.st[0], "TcpExtTCPSynRetrans"), 6);
}

/* A connect to a port nobody listens on: RST, ECONNREFUSED. */
static void test_connect_refused(void **state)
{
    struct sockaddr_in a = wire_addr(IP_B, 9);
    int fd = toe_socket(W.c[0], AF_INET, SOCK_STREAM, 0);

    (void)state;
    assert_int_equal(toe_connect(W.c[0], fd, (struct sockaddr *)&a, sizeof a), -1);
    assert_int_equal(errno, ECONNREFUSED);
    assert_int_equal(W.log[1].flags, 0x14);        /* RST+ACK ... */
    assert_int_equal(W.log[1].ack, W.log[0].seq + 1); /* ... acknowledging the SYN */
    assert_int_equal(W.log[1].seq, 0);
    assert_int_equal(toe_send(W.c[0], fd, "x", 1, 0), -1);
    assert_int_equal(errno, EPIPE);
}

/* S11: a lost SYN+ACK: the server retransmits it at 1 s while the client's
 * SYN timer fires at 1 s too; the handshake completes. */
static int drop_first_synack(void *arg, int from, const uint8_t *f, size_t len)
{
    int *n = arg;

    (void)len;
    if (from == 1 && f[47] == 0x12 && (*n)++ == 0)
        return 1;
    return 0;
}

static void test_lost_synack(void **state)
{
    int n = 0, ca, lb = listen_on(1, 8080, 4);
    uint64_t t0 = W.now;

    (void)state;
    W.drop = drop_first_synack;
    W.drop_arg = &n;
    ca = connect_nb(0, IP_B, 8080);
    wire_run_for(&W, 900 * MS);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_SYN_RECV), 1);
    wire_run_until(&W, t0 + 1 * SEC + 10 * MS);
    assert_int_equal(so_error(0, ca), 0);
    assert_int_equal(wire_count(&W, 0, TOE_TCP_ESTABLISHED), 1);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_ESTABLISHED), 1);
    assert_true(toe_accept(W.c[1], lb, NULL, NULL) >= 3);
}

/* S11: the third ACK lost, then the server's SYN+ACK retransmissions at 1,
 * 2, 4, 8, 16 s (tcp_synack_retries = 5) and the half-open child dropped 32 s
 * after the last. */
static int drop_acks_from_a(void *arg, int from, const uint8_t *f, size_t len)
{
    (void)arg;
    (void)len;
    return from == 0 && f[47] == 0x10;
}

static void test_synack_retries(void **state)
{
    int lb = listen_on(1, 8080, 4);
    uint64_t t0;
    int synacks = 0;

    (void)state;
    (void)lb;
    W.drop = drop_acks_from_a;
    connect_nb(0, IP_B, 8080);
    t0 = W.now;
    wire_run_for(&W, 62 * SEC);
    for (size_t i = 0; i < W.nlog; i++)
        if (W.log[i].from == 1 && W.log[i].flags == 0x12)
            synacks++;
    /* the first and five retransmissions, plus one answer to each
     * duplicate ACK? no: the client's re-ACKs are dropped, it sends no SYN */
    assert_int_equal(synacks, 6);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_SYN_RECV), 1);
    wire_run_until(&W, t0 + 63 * SEC + 1 * MS);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_SYN_RECV), 0);
}

/* S14: simultaneous close passes CLOSING on both sides, then TIME_WAIT. */
static void test_simultaneous_close(void **state)
{
    int ca, sb, lb;
    uint16_t pa;

    (void)state;
    pair(&ca, &sb, &lb);
    pa = local_port(0, ca);
    toe_close(W.c[0], ca);
    toe_close(W.c[1], sb);
    wire_run_for(&W, 50 * 1000);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_FIN_WAIT1);
    wire_run_for(&W, 60 * 1000);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_CLOSING);
    assert_int_equal(wire_state(&W, 1, 8080, pa), TOE_TCP_CLOSING);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(wire_state(&W, 0, pa, 8080), TOE_TCP_TIME_WAIT);
    assert_int_equal(wire_state(&W, 1, 8080, pa), TOE_TCP_TIME_WAIT);
}

/* S6, S15: shutdown(SHUT_WR) half-closes; the other side still sends and
 * the half-closed side still receives. */
static void test_half_close(void **state)
{
    int ca, sb, lb;
    char buf[16];

    (void)state;
    pair(&ca, &sb, &lb);
    assert_int_equal(toe_shutdown(W.c[0], ca, SHUT_WR), 0);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(toe_recv(W.c[1], sb, buf, sizeof buf, 0), 0);
    assert_int_equal(toe_send(W.c[1], sb, "late", 4, 0), 4);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(toe_recv(W.c[0], ca, buf, sizeof buf, 0), 4);
    assert_memory_equal(buf, "late", 4);
    assert_int_equal(toe_send(W.c[0], ca, "x", 1, 0), -1);
    assert_int_equal(errno, EPIPE);
    toe_close(W.c[1], sb);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(toe_recv(W.c[0], ca, buf, sizeof buf, 0), 0);
    assert_int_equal(wire_count(&W, 0, TOE_TCP_TIME_WAIT), 1);
}

/* S18, Linux: close() with unread data sends RST; the peer's read gets
 * ECONNRESET; nobody keeps TIME_WAIT. */
static void test_close_unread_rst(void **state)
{
    int ca, sb, lb;
    char buf[16];

    (void)state;
    pair(&ca, &sb, &lb);
    toe_send(W.c[0], ca, "unread", 6, 0);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(toe_close(W.c[1], sb), 0);
    assert_int_equal(W.log[W.nlog - 1].flags, 0x14);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(toe_recv(W.c[0], ca, buf, sizeof buf, 0), -1);
    assert_int_equal(errno, ECONNRESET);
    assert_int_equal(toe_recv(W.c[0], ca, buf, sizeof buf, 0), 0);
    assert_int_equal(wire_count(&W, 0, TOE_TCP_TIME_WAIT) + wire_count(&W, 1, TOE_TCP_TIME_WAIT), 0);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpExtTCPAbortOnClose"), 1);
    assert_int_equal(toe_stack_counter(W.st[0], "TcpEstabResets"), 1);
}

/* S18: SO_LINGER {1, 0}: close sends RST and skips TIME_WAIT. */
static void test_linger_zero(void **state)
{
    int ca, sb, lb;
    struct linger l = {1, 0};

    (void)state;
    pair(&ca, &sb, &lb);
    assert_int_equal(toe_setsockopt(W.c[0], ca, SOL_SOCKET, SO_LINGER, &l, sizeof l), 0);
    assert_int_equal(toe_close(W.c[0], ca), 0);
    assert_int_equal(W.log[W.nlog - 1].flags, 0x14);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(wire_count(&W, 0, TOE_TCP_TIME_WAIT), 0);
    assert_int_equal(so_error(1, sb), ECONNRESET);
}

/* S10: a third ACK that finds the accept queue full is dropped (the child
 * stays half-open and its SYN+ACK timer tries again) or, with
 * tcp_abort_on_overflow = 1, answered with RST; a SYN that finds it full is
 * dropped. Linux's queue holds backlog + 1; its SYN queue counts as full at
 * backlog half-open children, so cookies are off here to keep state. */
static void overflow_case(int abort_on_overflow)
{
    struct toe_knobs kb;
    char err[64];
    int lb, c[5];

    toe_knobs_defaults(&kb);
    toe_knobs_set(&kb, "net.ipv4.tcp_abort_on_overflow", abort_on_overflow ? "1" : "0", err, sizeof err);
    toe_knobs_set(&kb, "net.ipv4.tcp_syncookies", "0", err, sizeof err);
    wire_free(&W);
    wire_init(&W, NULL, &kb, seed);
    lb = listen_on(1, 8080, 2);
    c[0] = connect_nb(0, IP_B, 8080);
    c[1] = connect_nb(0, IP_B, 8080);
    wire_run_for(&W, 10 * MS);
    c[2] = connect_nb(0, IP_B, 8080);
    c[3] = connect_nb(0, IP_B, 8080);
    wire_run_for(&W, 10 * MS);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpExtListenOverflows"), 1);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_ESTABLISHED), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(so_error(0, c[i]), 0);
    if (abort_on_overflow) {
        assert_int_equal(so_error(0, c[3]), ECONNRESET);
        assert_int_equal(wire_count(&W, 1, TOE_TCP_SYN_RECV), 0);
    } else {
        assert_int_equal(so_error(0, c[3]), 0);   /* the client thinks it is connected */
        assert_int_equal(wire_count(&W, 1, TOE_TCP_SYN_RECV), 1);
    }
    /* A SYN while the queue is full is dropped outright: the client keeps
     * retransmitting it. */
    c[4] = connect_nb(0, IP_B, 8080);
    wire_run_for(&W, 10 * MS);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpExtListenOverflows"), 2);
    assert_int_equal(wire_count(&W, 0, TOE_TCP_SYN_SENT), 1);
    assert_true(toe_accept(W.c[1], lb, NULL, NULL) >= 3);
    /* Room for one again: at 1 s the half-open child's SYN+ACK (drop) or
     * the client's SYN retransmission (abort) takes it; with drop, the SYN
     * finds the queue full once more. */
    wire_run_for(&W, 1 * SEC);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_ESTABLISHED), 4);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_SYN_RECV), 0);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpExtListenOverflows"), abort_on_overflow ? 2 : 3);
}

/* Linux: with backlog 0 the SYN queue is full from the first SYN, so
 * tcp_syncookies = 1 answers with cookies at once. */
static void test_backlog0_cookies(void **state)
{
    int lb = listen_on(1, 8080, 0), ca;

    (void)state;
    ca = connect_nb(0, IP_B, 8080);
    wire_run_for(&W, 10 * MS);
    assert_int_equal(so_error(0, ca), 0);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpExtSyncookiesSent"), 1);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpExtTCPReqQFullDoCookies"), 1);
    assert_true(toe_accept(W.c[1], lb, NULL, NULL) >= 3);
}

static void test_accept_overflow_drop(void **state)
{
    (void)state;
    overflow_case(0);
}

static void test_accept_overflow_abort(void **state)
{
    (void)state;
    overflow_case(1);
}

/* S12: tcp_syncookies = 2: the server keeps no half-open state; the third
 * ACK's cookie makes the connection, with the MSS the cookie encoded. */
static void test_syncookies_always(void **state)
{
    struct toe_knobs kb;
    char err[64];
    int lb, ca, sb, mss = 0;
    socklen_t l = sizeof mss;

    (void)state;
    toe_knobs_defaults(&kb);
    toe_knobs_set(&kb, "net.ipv4.tcp_syncookies", "2", err, sizeof err);
    wire_free(&W);
    wire_init(&W, NULL, &kb, seed);
    lb = listen_on(1, 8080, 8);
    ca = connect_nb(0, IP_B, 8080);
    wire_run_for(&W, 150 * 1000);   /* the SYN+ACK is out, the ACK not yet in */
    assert_int_equal(wire_count(&W, 1, TOE_TCP_SYN_RECV), 0);
    wire_run_for(&W, 10 * MS);
    assert_int_equal(so_error(0, ca), 0);
    sb = toe_accept(W.c[1], lb, NULL, NULL);
    assert_true(sb >= 3);
    assert_int_equal(toe_getsockopt(W.c[1], sb, IPPROTO_TCP, TCP_MAXSEG, &mss, &l), 0);
    assert_int_equal(mss, 1460 - 12);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpExtSyncookiesSent"), 1);
    assert_int_equal(toe_stack_counter(W.st[1], "TcpExtSyncookiesRecv"), 1);
    assert_int_equal(toe_send(W.c[0], ca, "cookie", 6, 0), 6);
    wire_run_for(&W, 1 * MS);
    {
        char buf[8];

        assert_int_equal(toe_recv(W.c[1], sb, buf, sizeof buf, 0), 6);
    }
}

/* S5, S18: ephemeral ports from a 2-port ip_local_port_range; TIME_WAIT
 * holds both; the third connect gets EADDRNOTAVAIL; with tcp_tw_reuse = 1 a
 * TIME_WAIT older than 1 s is taken over. */
static void test_port_exhaustion_and_tw_reuse(void **state)
{
    struct toe_knobs ka;
    char err[64];
    int lb, fd, i;
    struct sockaddr_in a = wire_addr(IP_B, 8080);

    (void)state;
    toe_knobs_defaults(&ka);
    toe_knobs_set(&ka, "net.ipv4.ip_local_port_range", "40000 40001", err, sizeof err);
    wire_free(&W);
    wire_init(&W, &ka, NULL, seed);
    lb = listen_on(1, 8080, 8);
    for (i = 0; i < 2; i++) {
        int sb;

        fd = connect_nb(0, IP_B, 8080);
        wire_run_for(&W, 5 * MS);
        sb = toe_accept(W.c[1], lb, NULL, NULL);
        toe_close(W.c[0], fd);
        wire_run_for(&W, 5 * MS);
        toe_close(W.c[1], sb);
        wire_run_for(&W, 5 * MS);
    }
    assert_int_equal(wire_count(&W, 0, TOE_TCP_TIME_WAIT), 2);
    fd = toe_socket(W.c[0], AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_int_equal(toe_connect(W.c[0], fd, (struct sockaddr *)&a, sizeof a), -1);
    assert_int_equal(errno, EADDRNOTAVAIL);
    toe_knobs_set(&ka, "net.ipv4.tcp_tw_reuse", "1", err, sizeof err);
    toe_stack_set_knobs(W.st[0], &ka);
    wire_run_for(&W, 1 * SEC);
    assert_int_equal(toe_connect(W.c[0], fd, (struct sockaddr *)&a, sizeof a), -1);
    assert_int_equal(errno, EINPROGRESS);
    wire_run_for(&W, 5 * MS);
    assert_int_equal(so_error(0, fd), 0);
    assert_int_equal(wire_count(&W, 0, TOE_TCP_TIME_WAIT), 1);
    assert_int_equal(toe_stack_counter(W.st[0], "TcpExtTWRecycled"), 1);
}

/* S18: beyond tcp_max_tw_buckets a closing connection skips TIME_WAIT and
 * TCPTimeWaitOverflow counts it. */
static void test_max_tw_buckets(void **state)
{
    struct toe_knobs ka;
    char err[64];
    int lb, i;

    (void)state;
    toe_knobs_defaults(&ka);
    assert_int_equal(ka.v[TOE_KNOB_TCP_MAX_TW_BUCKETS][0], 18000);
    toe_knobs_set(&ka, "net.ipv4.tcp_max_tw_buckets", "1", err, sizeof err);
    wire_free(&W);
    wire_init(&W, &ka, NULL, seed);
    lb = listen_on(1, 8080, 8);
    for (i = 0; i < 2; i++) {
        int fd = connect_nb(0, IP_B, 8080), sb;

        wire_run_for(&W, 5 * MS);
        sb = toe_accept(W.c[1], lb, NULL, NULL);
        toe_close(W.c[0], fd);
        wire_run_for(&W, 50 * MS);
        toe_close(W.c[1], sb);
        wire_run_for(&W, 5 * MS);
    }
    assert_int_equal(wire_count(&W, 0, TOE_TCP_TIME_WAIT), 1);
    assert_int_equal(toe_stack_counter(W.st[0], "TcpExtTCPTimeWaitOverflow"), 1);
    assert_int_equal(toe_stack_counter(W.st[0], "TcpExtTW"), 1);
}

/* S18: a restarted listener binds its port while TIME_WAIT holds it only
 * with SO_REUSEADDR. */
static void test_reuseaddr(void **state)
{
    int ca, sb, lb, fd;
    struct sockaddr_in a = wire_addr(0, 8080);

    (void)state;
    pair(&ca, &sb, &lb);
    toe_close(W.c[1], sb);   /* B closes first: B holds TIME_WAIT on 8080 */
    wire_run_for(&W, 1 * MS);
    toe_close(W.c[0], ca);
    wire_run_for(&W, 1 * MS);
    toe_close(W.c[1], lb);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_TIME_WAIT), 1);
    fd = toe_socket(W.c[1], AF_INET, SOCK_STREAM, 0);
    assert_int_equal(toe_bind(W.c[1], fd, (struct sockaddr *)&a, sizeof a), -1);
    assert_int_equal(errno, EADDRINUSE);
    {
        int one = 1;

        toe_setsockopt(W.c[1], fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    assert_int_equal(toe_bind(W.c[1], fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(toe_listen(W.c[1], fd, 4), 0);
}

/* RFC 9293 3.5 figure 8: simultaneous open, both sides SYN_RECEIVED, then
 * ESTABLISHED. */
static void test_simultaneous_open(void **state)
{
    struct sockaddr_in la = wire_addr(0, 5000), lb = wire_addr(0, 6000);
    struct sockaddr_in ra = wire_addr(IP_B, 6000), rb = wire_addr(IP_A, 5000);
    int fa = toe_socket(W.c[0], AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int fb = toe_socket(W.c[1], AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

    (void)state;
    assert_int_equal(toe_bind(W.c[0], fa, (struct sockaddr *)&la, sizeof la), 0);
    assert_int_equal(toe_bind(W.c[1], fb, (struct sockaddr *)&lb, sizeof lb), 0);
    toe_connect(W.c[0], fa, (struct sockaddr *)&ra, sizeof ra);
    toe_connect(W.c[1], fb, (struct sockaddr *)&rb, sizeof rb);
    wire_run_for(&W, 150 * 1000);
    assert_int_equal(wire_state(&W, 0, 5000, 6000), TOE_TCP_SYN_RECV);
    assert_int_equal(wire_state(&W, 1, 6000, 5000), TOE_TCP_SYN_RECV);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(wire_state(&W, 0, 5000, 6000), TOE_TCP_ESTABLISHED);
    assert_int_equal(wire_state(&W, 1, 6000, 5000), TOE_TCP_ESTABLISHED);
    assert_int_equal(so_error(0, fa), 0);
}

/* S20: an owner that goes away (an application killed) has its
 * connections closed properly: FIN, not RST, and TIME_WAIT carries on. */
static void test_close_owner(void **state)
{
    int ca, sb, lb;

    (void)state;
    toe_stack_set_owner(W.st[0], 42);
    pair(&ca, &sb, &lb);
    toe_stack_close_owner(W.st[0], 42);
    assert_int_equal(W.log[W.nlog - 1].flags, 0x11);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(wire_count(&W, 1, TOE_TCP_CLOSE_WAIT), 1);
    toe_close(W.c[1], sb);
    wire_run_for(&W, 1 * MS);
    assert_int_equal(wire_count(&W, 0, TOE_TCP_TIME_WAIT), 1);
    assert_int_equal(toe_close(W.c[0], ca), -1);
    assert_int_equal(errno, EBADF);
}

/* Bad calls: errors, and nothing changes. */
static void test_bad_calls(void **state)
{
    struct sockaddr_in a = wire_addr(IP_B, 80), bad = wire_addr(0x0A000001, 80);
    int fd = toe_socket(W.c[0], AF_INET, SOCK_STREAM, 0);
    char buf[4];

    (void)state;
    assert_int_equal(toe_socket(W.c[0], AF_INET6, SOCK_STREAM, 0), -1);
    assert_int_equal(errno, EAFNOSUPPORT);
    assert_int_equal(toe_socket(W.c[0], AF_INET, SOCK_DGRAM, 0), -1);
    assert_int_equal(errno, ESOCKTNOSUPPORT);
    assert_int_equal(toe_close(W.c[0], 99), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(toe_close(W.c[0], 0), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(toe_recv(W.c[0], fd, buf, sizeof buf, 0), -1);
    assert_int_equal(errno, ENOTCONN);
    assert_int_equal(toe_send(W.c[0], fd, "x", 1, 0), -1);
    assert_int_equal(errno, ENOTCONN);
    assert_int_equal(toe_shutdown(W.c[0], fd, SHUT_WR), -1);
    assert_int_equal(errno, ENOTCONN);
    assert_int_equal(toe_shutdown(W.c[0], fd, 7), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(toe_bind(W.c[0], fd, (struct sockaddr *)&a, 4), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(toe_bind(W.c[0], fd, (struct sockaddr *)&bad, sizeof bad), -1);
    assert_int_equal(errno, EADDRNOTAVAIL);
    assert_int_equal(toe_accept(W.c[0], fd, NULL, NULL), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(toe_setsockopt(W.c[0], fd, IPPROTO_TCP, TCP_MAXSEG, buf, 1), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(toe_setsockopt(W.c[0], fd, SOL_SOCKET, 12345, buf, 4), -1);
    assert_int_equal(errno, ENOPROTOOPT);
    assert_int_equal(toe_getpeername(W.c[0], fd, NULL, NULL), -1);
    assert_int_equal(errno, ENOTCONN);
    assert_int_equal(W.nlog, 0);
    assert_int_equal(toe_close(W.c[0], fd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_handshake_transfer_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syn_retries_backoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connect_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_synack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_synack_retries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_simultaneous_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_half_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_unread_rst, setup, teardown),
        cmocka_unit_test_setup_teardown(test_linger_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_overflow_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_overflow_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backlog0_cookies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syncookies_always, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_exhaustion_and_tw_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_tw_buckets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reuseaddr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_simultaneous_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_calls, setup, teardown),
    };

    seed = test_seed_init("test_stack");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
