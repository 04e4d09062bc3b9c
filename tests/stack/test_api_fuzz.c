/*
 * The sockets API under random and hostile calls (docs/tcp.md, "The sockets
 * API"): two stacks on the simulated wire, thousands of calls with random
 * descriptors, addresses, lengths, options and flags, time moving between
 * them; built with AddressSanitizer and UBSan. Every call must return (no
 * hang), a failed call must leave the observable state as it was, and the
 * stacks' views must stay consistent: every connection's state is one of the
 * eleven, TcpCurrEstab equals the ESTABLISHED and CLOSE_WAIT connections.
 * The seed is printed (TOE_SEED repeats a run; FUZZ_CALLS sets the count).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stack_wire.h"
#include "test_seed.h"

#define MS 1000000ull

static uint64_t seed;

struct census {
    int n, estab, bad;
    uint64_t hash;
};

static int census_fn(void *arg, const struct toe_conn_info *ci)
{
    struct census *c = arg;

    c->n++;
    if (ci->state < TOE_TCP_ESTABLISHED || ci->state >= TOE_TCP_NSTATES)
        c->bad++;
    if (ci->state == TOE_TCP_ESTABLISHED || ci->state == TOE_TCP_CLOSE_WAIT)
        c->estab++;
    c->hash = c->hash * 1000003u ^ ((uint64_t)ci->state << 40 | (uint64_t)ci->lport << 16 | ci->rport) ^
              ((uint64_t)ci->recv_q << 20) ^ ci->send_q;
    return 0;
}

static struct census census(struct wire *w, int s)
{
    struct census c = {0};

    toe_stack_foreach(w->st[s], census_fn, &c);
    return c;
}

static uint32_t pick(uint32_t n) { return (uint32_t)(test_rand64() % n); }

static int any_fd(void)
{
    static const int odd[] = {-1, 0, 1, 2, 1 << 20, 63, 64};

    return pick(8) == 0 ? odd[pick(7)] : 3 + (int)pick(12);
}

static void one_call(struct wire *w, int s, uint8_t *buf)
{
    struct toe_ctx *c = w->c[s];
    static const uint16_t ports[] = {0, 1, 80, 8080, 8081, 40000, 65535};
    static const uint32_t addrs[] = {0, IP_A, IP_B, 0x7f000001, 0xffffffff};
    struct sockaddr_in a = wire_addr(addrs[pick(5)], ports[pick(7)]);
    socklen_t alen = pick(6) == 0 ? (socklen_t)pick(32) : (socklen_t)sizeof a;
    /* Lengths are honest (a caller that lies about a buffer's size is out of
     * any API's reach): v has room for every length used. */
    int fd = any_fd(), v[4] = {(int)pick(5) - 1, (int)pick(3), 0, 0};
    size_t n = pick(4) == 0 ? pick(200000) : pick(64);
    struct linger l = {(int)pick(2), (int)pick(3)};
    socklen_t ol = (socklen_t)(pick(4) == 0 ? pick(16) : 4);
    struct pollfd p[3];

    if (pick(10) == 0)
        a.sin_family = (sa_family_t)pick(12);
    switch (pick(16)) {
    case 0:
        toe_socket(c, pick(6) == 0 ? (int)pick(40) : AF_INET,
                   (pick(6) == 0 ? (int)pick(8) : SOCK_STREAM) | SOCK_NONBLOCK,
                   pick(6) == 0 ? (int)pick(300) : 0);
        break;
    case 1:
        toe_bind(c, fd, pick(20) ? (struct sockaddr *)&a : NULL, alen);
        break;
    case 2:
        toe_listen(c, fd, (int)pick(8) - 2);
        break;
    case 3: {
        struct sockaddr_in peer;
        socklen_t pl = (socklen_t)pick(40);

        toe_accept4(c, fd, pick(2) ? (struct sockaddr *)&peer : NULL, pick(2) ? &pl : NULL,
                    SOCK_NONBLOCK | (pick(8) == 0 ? (int)pick(1 << 20) : 0));
        break;
    }
    case 4:
        if (pick(10) < 7) {   /* mostly at the other side's listener: real connections */
            a = wire_addr(s ? IP_A : IP_B, 8080);
            alen = sizeof a;
        }
        toe_connect(c, fd, pick(20) ? (struct sockaddr *)&a : NULL, alen);
        break;
    case 5:
        toe_send(c, fd, pick(20) ? buf : NULL, n, MSG_DONTWAIT | (pick(8) == 0 ? (int)pick(1 << 16) : 0));
        break;
    case 6:
        toe_recv(c, fd, pick(20) ? buf : NULL, n, MSG_DONTWAIT | (pick(8) == 0 ? (int)pick(1 << 16) : 0));
        break;
    case 7:
        toe_shutdown(c, fd, (int)pick(5) - 1);
        break;
    case 8:
        toe_close(c, fd);
        break;
    case 9:
        if (pick(2))
            toe_setsockopt(c, fd, SOL_SOCKET, SO_LINGER, pick(20) ? &l : NULL, pick(3) ? sizeof l : ol);
        else
            toe_setsockopt(c, fd, pick(2) ? SOL_SOCKET : IPPROTO_TCP, (int)pick(40), pick(20) ? v : NULL, ol);
        break;
    case 10: {
        uint8_t out[256];
        socklen_t len = (socklen_t)(pick(3) ? pick(256) : 4);

        toe_getsockopt(c, fd, pick(2) ? SOL_SOCKET : IPPROTO_TCP, (int)pick(40), pick(20) ? out : NULL,
                       pick(20) ? &len : NULL);
        break;
    }
    case 11:
        /* never blocking: a call that waits is the harness's and wire's business */
        toe_fcntl(c, fd, pick(3) ? F_SETFL : (int)pick(10), O_NONBLOCK | (int)(pick(3) & ~1u));
        break;
    case 12:
        for (int i = 0; i < 3; i++) {
            p[i].fd = any_fd();
            p[i].events = (short)pick(0x4000);
        }
        toe_poll(c, p, pick(4), 0);
        break;
    case 13: {
        struct sockaddr_in o;
        socklen_t ln = (socklen_t)pick(32);

        if (pick(2))
            toe_getsockname(c, fd, pick(8) ? (struct sockaddr *)&o : NULL, pick(8) ? &ln : NULL);
        else
            toe_getpeername(c, fd, pick(8) ? (struct sockaddr *)&o : NULL, pick(8) ? &ln : NULL);
        break;
    }
    default:
        wire_run_for(w, (uint64_t)pick(3000) * MS / 10);
        break;
    }
}

/* A listener on 8080 again (the calls close them too). */
static void relisten(struct wire *w, int s)
{
    struct sockaddr_in a = wire_addr(0, 8080);
    int one = 1, fd = toe_socket(w->c[s], AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

    if (fd < 0)
        return;
    toe_setsockopt(w->c[s], fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (toe_bind(w->c[s], fd, (struct sockaddr *)&a, sizeof a) || toe_listen(w->c[s], fd, 4))
        toe_close(w->c[s], fd);
}

static void test_random_calls(void **state)
{
    struct wire w;
    const char *env = getenv("FUZZ_CALLS");
    long calls = env ? atol(env) : 30000;
    uint8_t *buf = calloc(1, 200000);
    int lfd;
    struct sockaddr_in a = wire_addr(0, 8080);

    (void)state;
    wire_init(&w, NULL, NULL, seed);
    /* a listener on each side so that connects find something */
    for (int s = 0; s < 2; s++) {
        lfd = toe_socket(w.c[s], AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assert_int_equal(toe_bind(w.c[s], lfd, (struct sockaddr *)&a, sizeof a), 0);
        assert_int_equal(toe_listen(w.c[s], lfd, 4), 0);
    }
    for (long i = 0; i < calls; i++) {
        int s = (int)pick(2);

        one_call(&w, s, buf);
        if (i % 200 == 0)
            relisten(&w, s);
        if (i % 64 == 0) {
            for (int k = 0; k < 2; k++) {
                struct census cs = census(&w, k);

                assert_int_equal(cs.bad, 0);
                assert_int_equal(cs.estab, toe_stack_counter(w.st[k], "TcpCurrEstab"));
            }
        }
    }
    /* The calls reached real connections, not only refusals. */
    printf("active opens %lld, passive %lld, resets %lld, segments %lld\n",
           (long long)toe_stack_counter(w.st[0], "TcpActiveOpens") + toe_stack_counter(w.st[1], "TcpActiveOpens"),
           (long long)toe_stack_counter(w.st[0], "TcpPassiveOpens") + toe_stack_counter(w.st[1], "TcpPassiveOpens"),
           (long long)toe_stack_counter(w.st[0], "TcpOutRsts") + toe_stack_counter(w.st[1], "TcpOutRsts"),
           (long long)toe_stack_counter(w.st[0], "TcpInSegs") + toe_stack_counter(w.st[1], "TcpInSegs"));
    assert_true(toe_stack_counter(w.st[0], "TcpPassiveOpens") + toe_stack_counter(w.st[1], "TcpPassiveOpens") > 10);
    /* Everything ends: close all, run past TIME_WAIT, nothing is left. */
    for (int s = 0; s < 2; s++)
        for (int fd = 3; fd < 64; fd++)
            toe_close(w.c[s], fd);
    wire_run_for(&w, 400ull * 1000 * MS);
    assert_int_equal(census(&w, 0).n, 0);
    assert_int_equal(census(&w, 1).n, 0);
    wire_free(&w);
    free(buf);
}

/* A failed call leaves no trace: the same bad call in every form changes
 * neither side's view nor sends a packet. */
static void test_failed_calls_change_nothing(void **state)
{
    struct wire w;
    uint8_t buf[64];

    (void)state;
    wire_init(&w, NULL, NULL, seed);
    for (int i = 0; i < 2000; i++) {
        struct census before = census(&w, 0), after;
        size_t nlog = w.nlog;
        int fd = 3 + (int)pick(8), r;
        struct sockaddr_in bad = wire_addr(0x0A000001, (uint16_t)pick(65536));

        switch (pick(5)) {
        case 0:
            r = toe_bind(w.c[0], fd, (struct sockaddr *)&bad, sizeof bad);
            break;
        case 1:
            r = toe_listen(w.c[0], -1, 5);
            break;
        case 2:
            r = (int)toe_send(w.c[0], 99, buf, sizeof buf, 0);
            break;
        case 3:
            r = toe_setsockopt(w.c[0], fd, IPPROTO_TCP, TCP_MAXSEG, buf, 2);
            break;
        default:
            r = toe_shutdown(w.c[0], fd, 42);
            break;
        }
        if (r == -1) {
            after = census(&w, 0);
            assert_int_equal(after.n, before.n);
            assert_int_equal(after.hash, before.hash);
            assert_int_equal(w.nlog, nlog);
        }
        if (pick(4) == 0)
            toe_socket(w.c[0], AF_INET, SOCK_STREAM, 0);
    }
    wire_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_calls),
        cmocka_unit_test(test_failed_calls_change_nothing),
    };

    seed = test_seed_init("test_api_fuzz");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
