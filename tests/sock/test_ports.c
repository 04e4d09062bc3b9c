/*
 * Local port selection (driver/sock/toe_ports.h): Linux's order (even ports
 * for connect from a keyed offset, moving on by the perturbation; odd first
 * for bind(0)), 4-tuple uniqueness, and EADDRNOTAVAIL when the range is used up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_seed.h"
#include "toe_ports.h"

#define LADDR 0xC0000201u
#define RADDR 0xC0000202u

/* Tuples in use: (lport, raddr, rport). */
struct used {
    size_t n;
    struct { uint16_t lport; uint32_t raddr; uint16_t rport; } t[70000];
};

static int tuple_free(void *arg, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    const struct used *u = arg;

    (void)laddr;
    for (size_t i = 0; i < u->n; i++)
        if (u->t[i].lport == lport && u->t[i].raddr == raddr && u->t[i].rport == rport)
            return 0;
    return 1;
}

static int port_unused(void *arg, uint32_t laddr, uint16_t lport)
{
    const struct used *u = arg;

    (void)laddr;
    for (size_t i = 0; i < u->n; i++)
        if (u->t[i].lport == lport)
            return 0;
    return 1;
}

static void take(struct used *u, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    u->t[u->n].lport = lport;
    u->t[u->n].raddr = raddr;
    u->t[u->n].rport = rport;
    u->n++;
}

static struct used U;

static void connect_order(void **state)
{
    struct toe_ports p;
    const uint32_t h = 0x9e3779b9u; /* a keyed hash, as the ISN module gives it */
    const uint32_t remaining = 60999 - 32768 + 1;
    uint16_t first, second;

    (void)state;
    memset(&U, 0, sizeof(U));
    toe_ports_init(&p, 32768, 60999);
    first = toe_ports_connect(&p, h, LADDR, RADDR, 80, tuple_free, &U);
    assert_int_equal(first, 32768 + ((h & ~1u) % remaining));
    assert_int_equal(first % 2, 0); /* even, a multiple of two from 32768 */
    take(&U, first, RADDR, 80);
    /* the next connect to the same peer starts two further on (the perturbation) */
    second = toe_ports_connect(&p, h, LADDR, RADDR, 80, tuple_free, &U);
    assert_int_equal(second, 32768 + (((h + 2) & ~1u) % remaining));
    take(&U, second, RADDR, 80);
    /* another peer port: the 4-tuple is what must be unique, and a fresh
     * perturbation bucket starts at the hash itself */
    assert_int_equal(toe_ports_connect(&p, h + 1 + TOE_PORTS_PERTURB, LADDR, RADDR, 443, tuple_free, &U),
                     32768 + (((h + 1 + TOE_PORTS_PERTURB) & ~1u) % remaining));
    assert_int_equal(p.exhausted, 0);
}

static void connect_exhaustion(void **state)
{
    struct toe_ports p;

    (void)state;
    memset(&U, 0, sizeof(U));
    toe_ports_init(&p, 40000, 40003);
    /* the even ports held (say by TIME_WAIT toward this peer): an odd one next */
    take(&U, 40000, RADDR, 80);
    take(&U, 40002, RADDR, 80);
    assert_int_equal(toe_ports_connect(&p, 5, LADDR, RADDR, 80, tuple_free, &U), 40001);
    take(&U, 40001, RADDR, 80);
    assert_int_equal(toe_ports_connect(&p, 5, LADDR, RADDR, 80, tuple_free, &U), 40003);
    take(&U, 40003, RADDR, 80);
    /* all four: EADDRNOTAVAIL, after trying each once */
    p.searched = 0;
    assert_int_equal(toe_ports_connect(&p, 5, LADDR, RADDR, 80, tuple_free, &U), 0);
    assert_int_equal(p.searched, 4);
    assert_int_equal(p.exhausted, 1);
    /* the same ports still serve another peer */
    assert_int_equal(toe_ports_connect(&p, 5, LADDR, RADDR + 1, 80, tuple_free, &U) != 0, 1);
    /* a one-port range */
    toe_ports_init(&p, 50000, 50000);
    assert_int_equal(toe_ports_connect(&p, 12345, LADDR, RADDR, 80, tuple_free, &U), 50000);
}

static void bind_any_odd_first(void **state)
{
    struct toe_ports p;
    uint16_t port;

    (void)state;
    memset(&U, 0, sizeof(U));
    toe_ports_init(&p, 32768, 60999);
    port = toe_ports_bind_any(&p, 1000, LADDR, port_unused, &U);
    assert_int_equal(port, 32768 + (1000 | 1));
    toe_ports_init(&p, 40000, 40003);
    take(&U, 40001, 0, 0);
    take(&U, 40003, 0, 0);
    assert_int_equal(toe_ports_bind_any(&p, 7, LADDR, port_unused, &U) % 2, 0); /* the odd are bound */
    take(&U, 40000, 0, 0);
    take(&U, 40002, 0, 0);
    assert_int_equal(toe_ports_bind_any(&p, 7, LADDR, port_unused, &U), 0);
    assert_int_equal(p.exhausted, 1);
}

/* Seeded: connect until the range is used up toward one peer - every port of
 * the range given exactly once, then EADDRNOTAVAIL. */
static void every_port_once(void **state)
{
    static uint8_t seen[65536];
    struct toe_ports p;
    uint16_t low, high;
    uint32_t n;

    (void)state;
    test_seed_init("test_ports every_port_once");
    memset(&U, 0, sizeof(U));
    memset(seen, 0, sizeof(seen));
    low = (uint16_t)(1024 + test_rand_below(30000));
    high = (uint16_t)(low + test_rand_below(3000));
    toe_ports_init(&p, low, high);
    for (n = 0; n <= (uint32_t)(high - low); n++) {
        uint16_t port = toe_ports_connect(&p, (uint32_t)test_rand64(), LADDR, RADDR, 80, tuple_free, &U);

        assert_true(port >= low && port <= high);
        assert_int_equal(seen[port], 0);
        seen[port] = 1;
        take(&U, port, RADDR, 80);
    }
    assert_int_equal(toe_ports_connect(&p, (uint32_t)test_rand64(), LADDR, RADDR, 80, tuple_free, &U), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connect_order),
        cmocka_unit_test(connect_exhaustion),
        cmocka_unit_test(bind_any_odd_first),
        cmocka_unit_test(every_port_once),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
