/*
 * The tunables (driver/conf/toe_knobs.h): Linux's names and defaults, every
 * refusal with its exact message and nothing changed, the sysctl.conf loader,
 * and docs/knobs.md's table equal to the one the code generates.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "toe_knobs.h"

static void linux_defaults(void **state)
{
    struct toe_knobs k;

    (void)state;
    toe_knobs_defaults(&k);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SYNCOOKIES), 1);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SYN_RETRIES), 6);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SYNACK_RETRIES), 5);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_FIN_TIMEOUT), 60);
    assert_int_equal(toe_knob(&k, TOE_KNOB_CORE_SOMAXCONN), 4096);
    assert_int_equal(k.v[TOE_KNOB_IP_LOCAL_PORT_RANGE][0], 32768);
    assert_int_equal(k.v[TOE_KNOB_IP_LOCAL_PORT_RANGE][1], 60999);
    assert_int_equal(k.v[TOE_KNOB_TCP_RMEM][2], 6291456);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TOE_TCP_MSL) * 2, 60); /* TIME_WAIT as Linux's */
    assert_string_equal(toe_knob_def(TOE_KNOB_TCP_TW_REUSE)->name, "net.ipv4.tcp_tw_reuse");
    assert_null(toe_knob_def(TOE_KNOB_NUM));
    /* every default inside its own range */
    for (int i = 0; i < TOE_KNOB_NUM; i++) {
        const struct toe_knob_def *d = toe_knob_def((enum toe_knob_id)i);

        for (int j = 0; j < d->nvals; j++) {
            assert_true(d->def[j] >= d->min);
            assert_true(d->def[j] <= d->max);
        }
    }
}

static void set_and_refuse(void **state)
{
    struct toe_knobs k, before;
    char err[200];
    static const struct {
        const char *name, *value, *msg;
    } bad[] = {
        {"net.ipv4.tcp_syncookies", "3", "net.ipv4.tcp_syncookies: 3 is out of range (0 to 2)"},
        {"net.ipv4.tcp_syncookies", "-1", "net.ipv4.tcp_syncookies: -1 is out of range (0 to 2)"},
        {"net.ipv4.tcp_syncookies", "abc", "net.ipv4.tcp_syncookies: 'abc' is not an integer"},
        {"net.ipv4.tcp_syncookies", "1x", "net.ipv4.tcp_syncookies: '1x' is not an integer"},
        {"net.ipv4.tcp_syncookies", "", "net.ipv4.tcp_syncookies: '' is 0 values, it takes 1"},
        {"net.ipv4.tcp_syncookies", "1 1", "net.ipv4.tcp_syncookies: '1 1' has more than 1 value"},
        {"net.ipv4.tcp_syn_retries", "0", "net.ipv4.tcp_syn_retries: 0 is out of range (1 to 127)"},
        {"net.ipv4.ip_local_port_range", "40000", "net.ipv4.ip_local_port_range: '40000' is 1 value, it takes 2"},
        {"net.ipv4.ip_local_port_range", "40000 30000",
         "net.ipv4.ip_local_port_range: '40000 30000': each value must not exceed the next"},
        {"net.ipv4.ip_local_port_range", "0 100", "net.ipv4.ip_local_port_range: 0 is out of range (1 to 65535)"},
        {"net.ipv4.tcp_rmem", "4096 8192 1024", "net.ipv4.tcp_rmem: '4096 8192 1024': each value must not exceed the next"},
        {"net.core.somaxconn", "99999999999999999999", "net.core.somaxconn: '99999999999999999999' is not an integer"},
        {"net.ipv4.tcp_foo", "1", "unknown knob 'net.ipv4.tcp_foo'"},
        {"net.ipv4.tcp_syncookie", "1", "unknown knob 'net.ipv4.tcp_syncookie'"},
    };

    (void)state;
    toe_knobs_defaults(&k);
    assert_int_equal(toe_knobs_set(&k, "net.ipv4.tcp_syncookies", "2", err, sizeof(err)), 0);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SYNCOOKIES), 2);
    assert_int_equal(toe_knobs_set(&k, "net/ipv4/tcp_abort_on_overflow", "1", err, sizeof(err)), 0);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_ABORT_ON_OVERFLOW), 1);
    assert_int_equal(toe_knobs_set(&k, "net.ipv4.ip_local_port_range", " 1024\t 1024 ", err, sizeof(err)), 0);
    assert_int_equal(k.v[TOE_KNOB_IP_LOCAL_PORT_RANGE][0], 1024);
    assert_int_equal(k.v[TOE_KNOB_IP_LOCAL_PORT_RANGE][1], 1024);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        before = k;
        assert_int_equal(toe_knobs_set(&k, bad[i].name, bad[i].value, err, sizeof(err)), -1);
        assert_string_equal(err, bad[i].msg);
        assert_memory_equal(&k, &before, sizeof(k)); /* nothing changed */
    }
}

static void assignments(void **state)
{
    struct toe_knobs k;
    char err[200];

    (void)state;
    toe_knobs_defaults(&k);
    assert_int_equal(toe_knobs_assign(&k, "net.core.somaxconn = 128", err, sizeof(err)), 0);
    assert_int_equal(toe_knob(&k, TOE_KNOB_CORE_SOMAXCONN), 128);
    assert_int_equal(toe_knobs_assign(&k, "net.ipv4.tcp_sack=0", err, sizeof(err)), 0);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SACK), 0);
    assert_int_equal(toe_knobs_assign(&k, "net.ipv4.tcp_sack", err, sizeof(err)), -1);
    assert_string_equal(err, "'net.ipv4.tcp_sack' is not name=value");
}

static void load_file(void **state)
{
    struct toe_knobs k;
    char err[300], path[] = "/tmp/toe-knobs-XXXXXX", want[300];
    int fd = mkstemp(path);
    FILE *f;

    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs("# toed.conf\n"
          "net.ipv4.tcp_syncookies = 2   ; always\n"
          "\n"
          "-net.ipv4.tcp_no_such_knob = 5\n"
          "net/ipv4/tcp_fin_timeout=30\n"
          "net.ipv4.tcp_synack_retries = 300\n"
          "net.ipv4.tcp_syn_retries = 2\n",
          f);
    fclose(f);
    toe_knobs_defaults(&k);
    assert_int_equal(toe_knobs_load(&k, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s:6: net.ipv4.tcp_synack_retries: 300 is out of range (0 to 255)", path);
    assert_string_equal(err, want);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SYNCOOKIES), 2);  /* the lines before it took effect */
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_FIN_TIMEOUT), 30);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SYNACK_RETRIES), 5);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SYN_RETRIES), 6);   /* the one after it did not */
    unlink(path);
    assert_int_equal(toe_knobs_load(&k, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s: No such file or directory", path);
    assert_string_equal(err, want);
}

static void dump_like_sysctl(void **state)
{
    struct toe_knobs k;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    toe_knobs_defaults(&k);
    toe_knobs_dump(&k, f);
    fclose(f);
    assert_non_null(strstr(buf, "net.ipv4.tcp_syncookies = 1\n"));
    assert_non_null(strstr(buf, "net.ipv4.ip_local_port_range = 32768\t60999\n")); /* sysctl's tab */
    assert_non_null(strstr(buf, "net.ipv4.tcp_rmem = 4096\t131072\t6291456\n"));
    free(buf);
}

/* docs/knobs.md carries the generated table between its markers, unchanged. */
static void docs_table_is_generated(void **state)
{
    static const char begin[] = "<!-- generated by toe_knobs_markdown(): tests/conf/test_knobs.c checks it -->\n";
    static const char end[] = "<!-- end of the generated table -->";
    char *gen = NULL, *doc = NULL, *a, *b;
    size_t glen = 0, dlen = 0;
    FILE *f = open_memstream(&gen, &glen), *d = fopen("docs/knobs.md", "r");

    (void)state;
    toe_knobs_markdown(f);
    fclose(f);
    assert_non_null(d);
    assert_true(getdelim(&doc, &dlen, '\0', d) > 0);
    fclose(d);
    a = strstr(doc, begin);
    assert_non_null(a);
    a += strlen(begin);
    b = strstr(a, end);
    assert_non_null(b);
    *b = 0;
    if (strcmp(a, gen))
        print_error("docs/knobs.md's table differs; the generated one is:\n%s", gen);
    assert_string_equal(a, gen);
    free(gen);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linux_defaults),
        cmocka_unit_test(set_and_refuse),
        cmocka_unit_test(assignments),
        cmocka_unit_test(load_file),
        cmocka_unit_test(dump_like_sysctl),
        cmocka_unit_test(docs_table_is_generated),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
