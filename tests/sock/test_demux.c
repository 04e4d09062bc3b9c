/*
 * The demultiplexer (driver/sock/toe_demux.h): exact 4-tuples, listeners with
 * the exact address before INADDR_ANY, bind conflicts, a full table, a seeded
 * run against a brute-force reference, and the port allocator asking it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_seed.h"
#include "toe_demux.h"
#include "toe_ports.h"

static const uint8_t KEY[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
#define US 0xC0000201u
#define PEER 0xC0000202u

static void tuples(void **state)
{
    struct toe_demux d;
    struct toe_tuple a = {US, PEER, 40000, 80}, b = a;

    (void)state;
    assert_int_equal(toe_demux_init(&d, 4, 2, KEY), 0);
    assert_int_equal(toe_demux_lookup(&d, &a), TOE_DEMUX_NONE);
    assert_int_equal(toe_demux_insert(&d, &a, 7), 0);
    assert_int_equal(toe_demux_insert(&d, &a, 8), -EEXIST);
    b.rport = 81; /* one field differs: another connection */
    assert_int_equal(toe_demux_insert(&d, &b, 8), 0);
    assert_int_equal(toe_demux_lookup(&d, &a), 7);
    assert_int_equal(toe_demux_lookup(&d, &b), 8);
    b.rport = 82;
    assert_int_equal(toe_demux_insert(&d, &b, 9), 0);
    b.rport = 83;
    assert_int_equal(toe_demux_insert(&d, &b, 10), 0);
    b.rport = 84;
    assert_int_equal(toe_demux_insert(&d, &b, 11), -ENOSPC);
    assert_int_equal(toe_demux_remove(&d, &a), 0);
    assert_int_equal(toe_demux_remove(&d, &a), -ENOENT);
    assert_int_equal(toe_demux_lookup(&d, &a), TOE_DEMUX_NONE);
    assert_int_equal(toe_demux_insert(&d, &b, 11), 0); /* the freed slot is reused */
    assert_int_equal(d.port_users[40000], 4);
    toe_demux_free(&d);
}

static void listeners(void **state)
{
    struct toe_demux d;
    const struct toe_tuple syn = {US, PEER, 80, 51000};

    (void)state;
    assert_int_equal(toe_demux_init(&d, 8, 4, KEY), 0);
    assert_int_equal(toe_demux_listen(&d, TOE_INADDR_ANY, 80, 100), 0);
    assert_int_equal(toe_demux_owner(&d, &syn), 100);
    /* bind conflicts: the same port on ANY, or a specific address under ANY */
    assert_int_equal(toe_demux_listen(&d, TOE_INADDR_ANY, 80, 101), -EADDRINUSE);
    assert_int_equal(toe_demux_listen(&d, US, 80, 101), -EADDRINUSE);
    assert_int_equal(toe_demux_unlisten(&d, TOE_INADDR_ANY, 80), 0);
    assert_int_equal(toe_demux_listen(&d, US, 80, 101), 0);
    assert_int_equal(toe_demux_listen(&d, US + 1, 80, 102), 0); /* another address: fine */
    assert_int_equal(toe_demux_listener(&d, US, 80), 101);
    assert_int_equal(toe_demux_listener(&d, US + 1, 80), 102);
    assert_int_equal(toe_demux_listener(&d, US + 2, 80), TOE_DEMUX_NONE);
    /* an established connection wins over the listener */
    assert_int_equal(toe_demux_insert(&d, &syn, 5), 0);
    assert_int_equal(toe_demux_owner(&d, &syn), 5);
    assert_int_equal(toe_demux_unlisten(&d, US, 81), -ENOENT);
    assert_int_equal(toe_demux_listen(&d, US, 443, 103), 0);
    assert_int_equal(toe_demux_listen(&d, US, 444, 104), 0);
    assert_int_equal(toe_demux_listen(&d, US, 445, 105), -ENOSPC);
    toe_demux_free(&d);
}

/* Seeded: a random mix of inserts, removes and lookups against a brute-force
 * list, with few ports and addresses so that tuples collide often. */
static void against_reference(void **state)
{
    enum { N = 2000 };
    static struct { struct toe_tuple t; uint32_t id; int live; } ref[N];
    struct toe_demux d;
    size_t nref = 0;

    (void)state;
    test_seed_init("test_demux against_reference");
    assert_int_equal(toe_demux_init(&d, N, 1, KEY), 0);
    for (int step = 0; step < 200000; step++) {
        struct toe_tuple t = {US, PEER + test_rand_below(4), (uint16_t)(40000 + test_rand_below(30)),
                              (uint16_t)(80 + test_rand_below(30))};
        size_t i;
        uint32_t want = TOE_DEMUX_NONE;

        for (i = 0; i < nref; i++)
            if (ref[i].live && !memcmp(&ref[i].t, &t, sizeof(t)))
                break;
        if (i < nref)
            want = ref[i].id;
        switch (test_rand_below(3)) {
        case 0:
            if (want == TOE_DEMUX_NONE && nref < N) {
                assert_int_equal(toe_demux_insert(&d, &t, (uint32_t)step), 0);
                ref[nref].t = t;
                ref[nref].id = (uint32_t)step;
                ref[nref++].live = 1;
            } else if (want != TOE_DEMUX_NONE) {
                assert_int_equal(toe_demux_insert(&d, &t, (uint32_t)step), -EEXIST);
            }
            break;
        case 1:
            assert_int_equal(toe_demux_remove(&d, &t), want == TOE_DEMUX_NONE ? -ENOENT : 0);
            if (want != TOE_DEMUX_NONE)
                ref[i].live = 0;
            break;
        default:
            assert_int_equal(toe_demux_lookup(&d, &t), want);
        }
    }
    toe_demux_free(&d);
}

/* connect() through the allocator with the demux as its predicate: distinct
 * ports to one peer until the range is used up, then EADDRNOTAVAIL; a
 * listener's port is never handed out. */
static void with_the_allocator(void **state)
{
    struct toe_demux d;
    struct toe_ports p;
    uint16_t port;
    int got = 0;

    (void)state;
    assert_int_equal(toe_demux_init(&d, 64, 2, KEY), 0);
    toe_ports_init(&p, 50000, 50009);
    assert_int_equal(toe_demux_listen(&d, TOE_INADDR_ANY, 50004, 1), 0);
    while ((port = toe_ports_connect(&p, 0x1234567u, US, PEER, 80, toe_demux_tuple_free, &d)) != 0) {
        const struct toe_tuple t = {US, PEER, port, 80};

        assert_true(port != 50004);
        assert_int_equal(toe_demux_insert(&d, &t, (uint32_t)got), 0); /* never a duplicate */
        got++;
    }
    assert_int_equal(got, 9);
    assert_int_equal(p.exhausted, 1);
    /* bind(0): every port in the range is used by a connection or the listener */
    assert_int_equal(toe_ports_bind_any(&p, 5, US, toe_demux_port_unused, &d), 0);
    toe_demux_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tuples),
        cmocka_unit_test(listeners),
        cmocka_unit_test(against_reference),
        cmocka_unit_test(with_the_allocator),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
