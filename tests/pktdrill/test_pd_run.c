/*
 * toe-packetdrill's pieces that need no stack (driver/pktdrill/pd_run.h):
 * the constant and errno tables against Linux's numbers (written here as
 * numbers, not taken from the headers the tables use), integer argument
 * evaluation from parsed lines, upstream's tolerance rule, the options, and
 * the sysctl lines a script may start with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pd_ast.h"
#include "pd_run.h"

static void constants_are_linux_numbers(void **state)
{
    static const struct {
        const char *name;
        int64_t v;
    } want[] = {
        { "AF_INET", 2 }, { "SOCK_STREAM", 1 }, { "SOCK_NONBLOCK", 04000 }, { "IPPROTO_TCP", 6 },
        { "SOL_SOCKET", 1 }, { "SOL_TCP", 6 }, { "SO_REUSEADDR", 2 }, { "SO_LINGER", 13 },
        { "SO_KEEPALIVE", 9 }, { "SO_ERROR", 4 }, { "SO_RCVBUF", 8 }, { "SO_SNDBUF", 7 },
        { "TCP_NODELAY", 1 }, { "TCP_MAXSEG", 2 }, { "TCP_KEEPIDLE", 4 }, { "TCP_KEEPINTVL", 5 },
        { "TCP_KEEPCNT", 6 }, { "TCP_INFO", 11 }, { "F_GETFL", 3 }, { "F_SETFL", 4 },
        { "O_RDWR", 2 }, { "O_NONBLOCK", 04000 }, { "SHUT_RD", 0 }, { "SHUT_WR", 1 },
        { "SHUT_RDWR", 2 }, { "POLLIN", 1 }, { "POLLOUT", 4 }, { "POLLERR", 8 },
        { "POLLHUP", 0x10 }, { "POLLRDHUP", 0x2000 }, { "MSG_PEEK", 2 }, { "MSG_DONTWAIT", 0x40 },
        { "MSG_NOSIGNAL", 0x4000 }, { "TCP_ESTABLISHED", 1 }, { "TCP_TIME_WAIT", 6 },
        { "TCP_CLOSE", 7 }, { "TCP_LISTEN", 10 }, { "TCP_CLOSING", 11 }, { "INADDR_ANY", 0 },
        { "ECONNREFUSED", 111 },
    };
    size_t i;
    int64_t v;

    (void)state;
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        v = -12345;
        if (!pd_sym_value(want[i].name, &v))
            fail_msg("%s unknown", want[i].name);
        if (v != want[i].v)
            fail_msg("%s = %lld, Linux has %lld", want[i].name, (long long)v, (long long)want[i].v);
    }
    assert_false(pd_sym_value("SO_NOSUCH", &v));
    assert_false(pd_sym_value("", &v));
}

static void errno_names_both_ways(void **state)
{
    (void)state;
    assert_int_equal(pd_errno_value("ECONNREFUSED"), 111);
    assert_int_equal(pd_errno_value("ECONNRESET"), 104);
    assert_int_equal(pd_errno_value("ETIMEDOUT"), 110);
    assert_int_equal(pd_errno_value("EINPROGRESS"), 115);
    assert_int_equal(pd_errno_value("EADDRINUSE"), 98);
    assert_int_equal(pd_errno_value("EADDRNOTAVAIL"), 99);
    assert_int_equal(pd_errno_value("EPIPE"), 32);
    assert_int_equal(pd_errno_value("ENOTCONN"), 107);
    assert_int_equal(pd_errno_value("EWOULDBLOCK"), 11);
    assert_int_equal(pd_errno_value("EAGAIN"), 11);
    assert_int_equal(pd_errno_value("ENOSUCH"), -1);
    assert_int_equal(pd_errno_value(NULL), -1);
    assert_string_equal(pd_errno_name(111), "ECONNREFUSED");
    assert_string_equal(pd_errno_name(11), "EAGAIN");        /* the first name of a number */
    assert_string_equal(pd_errno_name(95), "EOPNOTSUPP");
    assert_string_equal(pd_errno_name(110), "ETIMEDOUT");
    assert_null(pd_errno_name(0));
    assert_null(pd_errno_name(100000));
}

static const struct pd_syscall *call_of(struct pd_script **s, const char *text)
{
    struct pd_error err;

    *s = pd_parse_text("t.pkt", text, strlen(text), &err);
    if (!*s)
        fail_msg("parse: %s", err.msg);
    assert_int_equal((*s)->events[0].kind, PD_EV_SYSCALL);
    return &(*s)->events[0].u.sys;
}

static void arguments_evaluated(void **state)
{
    struct pd_script *s;
    const struct pd_syscall *c = call_of(&s,
        "0 f(O_RDWR|O_NONBLOCK, htons(8080), inet_addr(\"192.0.2.1\"), 0x10, -1, ECONNREFUSED,"
        " POLLIN|POLLOUT|POLLRDHUP, htonl(INADDR_ANY), ..., NOSUCH, htons(1, 2), frob(1),"
        " inet_addr(\"300.1.2.3\"), [1], \"str\") = 0");
    static const int64_t want[] = { 2 | 04000, 0x901F, 0x010200C0, 16, -1, 111, 0x2005, 0 };
    char why[200];
    int64_t v;
    size_t i;

    (void)state;
    assert_int_equal(c->n_args, 15);
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (pd_eval_int(c->args[i], &v, why, sizeof(why)))
            fail_msg("argument %zu: %s", i, why);
        assert_int_equal(v, want[i]);
    }
    assert_int_equal(pd_eval_int(c->args[8], &v, why, sizeof(why)), -1);
    assert_string_equal(why, "'...' where a number is needed");
    assert_int_equal(pd_eval_int(c->args[9], &v, why, sizeof(why)), -1);
    assert_string_equal(why, "unknown symbol: NOSUCH");
    assert_int_equal(pd_eval_int(c->args[10], &v, why, sizeof(why)), -1);
    assert_string_equal(why, "one argument expected by: htons");
    assert_int_equal(pd_eval_int(c->args[11], &v, why, sizeof(why)), -1);
    assert_string_equal(why, "unknown function: frob");
    assert_int_equal(pd_eval_int(c->args[12], &v, why, sizeof(why)), -1);
    assert_string_equal(why, "inet_addr() takes one dotted-quad string");
    assert_int_equal(pd_eval_int(c->args[13], &v, why, sizeof(why)), -1);
    assert_string_equal(why, "not an integer expression");
    assert_int_equal(pd_eval_int(c->args[14], &v, why, sizeof(why)), -1);
    pd_script_free(s);
}

/* run.c verify_time(): max(tolerance_usecs, tolerance_percent of the gap to the previous event). */
static void tolerance_rule(void **state)
{
    struct pd_run_opts o;
    char why[300];

    (void)state;
    pd_run_opts_init(&o);
    assert_int_equal(o.tolerance_usecs, 4000);
    assert_true(o.tolerance_percent == 12.5);
    assert_int_equal(pd_tolerance_usecs(&o, 5000000, -1), 4000);        /* first event */
    assert_int_equal(pd_tolerance_usecs(&o, 1000000, 0), 125000);       /* 12.5 % of 1 s */
    assert_int_equal(pd_tolerance_usecs(&o, 3010000, 3000000), 4000);   /* 1250 < 4000 */
    assert_int_equal(pd_tolerance_usecs(&o, 32032000, 32000), 4000000); /* SYN retry at +32 s */
    assert_int_equal(pd_tolerance_usecs(&o, 100, 100), 4000);
    assert_int_equal(pd_run_opt_set(&o, "tolerance_usecs", "10000", why, sizeof(why)), 0);
    assert_int_equal(pd_tolerance_usecs(&o, 80000, 0), 10000);          /* exactly 12.5 % too */
    assert_int_equal(pd_tolerance_usecs(&o, 80008, 0), 10001);
    assert_int_equal(pd_run_opt_set(&o, "tolerance_percent", "0", why, sizeof(why)), 0);
    assert_int_equal(pd_tolerance_usecs(&o, 60000000, 0), 10000);
    assert_int_equal(pd_run_opt_set(&o, "tolerance_percent", "50", why, sizeof(why)), 0);
    assert_int_equal(pd_tolerance_usecs(&o, 2000000, 1000000), 500000);
}

static void options_parsed(void **state)
{
    struct pd_run_opts o;
    char why[300];

    (void)state;
    pd_run_opts_init(&o);
    assert_string_equal(o.backend, "model");
    assert_false(o.verbose);
    assert_int_equal(pd_run_opt_set(&o, "backend", "rtl", why, sizeof(why)), 0);
    assert_string_equal(o.backend, "rtl");
    assert_int_equal(pd_run_opt_set(&o, "backend", "fpga", why, sizeof(why)), -1);
    assert_string_equal(why, "--backend=fpga: the backend is model or rtl");
    assert_int_equal(pd_run_opt_set(&o, "verbose", NULL, why, sizeof(why)), 0);
    assert_true(o.verbose);
    assert_int_equal(pd_run_opt_set(&o, "verbose", "1", why, sizeof(why)), -1);
    assert_string_equal(why, "--verbose=1: takes no value");
    assert_int_equal(pd_run_opt_set(&o, "tolerance_usecs", "abc", why, sizeof(why)), -1);
    assert_string_equal(why, "--tolerance_usecs=abc: microseconds, 0..1000000000");
    assert_int_equal(pd_run_opt_set(&o, "tolerance_usecs", NULL, why, sizeof(why)), -1);
    assert_string_equal(why, "--tolerance_usecs: needs a value (--name=value)");
    assert_int_equal(pd_run_opt_set(&o, "tolerance_percent", "101", why, sizeof(why)), -1);
    assert_int_equal(pd_run_opt_set(&o, "mtu", "1500", why, sizeof(why)), -1);
    assert_string_equal(why, "--mtu=1500: unknown option");
    assert_int_equal(pd_run_opt_set(&o, "dry_run", NULL, why, sizeof(why)), -1);
    assert_string_equal(why, "--dry_run: unknown option");
    assert_int_equal(pd_run_opt_set(&o, "seed", "42", why, sizeof(why)), 0);
    assert_int_equal(o.seed, 42);
    assert_int_equal(pd_run_opt_set(&o, "seed", "-1", why, sizeof(why)), -1);
    assert_int_equal(pd_run_opt_set(&o, "pcap", "out/x.pcap", why, sizeof(why)), 0);
    assert_string_equal(o.pcap, "out/x.pcap");
    assert_int_equal(pd_run_opt_set(&o, "knob", "net.ipv4.tcp_syncookies=2", why, sizeof(why)), 0);
    assert_int_equal(toe_knob(&o.knobs, TOE_KNOB_TCP_SYNCOOKIES), 2);
    assert_int_equal(pd_run_opt_set(&o, "knob", "net.ipv4.tcp_syncookies=7", why, sizeof(why)), -1);
    assert_int_equal(toe_knob(&o.knobs, TOE_KNOB_TCP_SYNCOOKIES), 2);
    assert_int_equal(pd_run_opt_set(&o, "knob", "net.ipv4.tcp_nosuch=1", why, sizeof(why)), -1);
    assert_int_equal(strncmp(why, "--knob=net.ipv4.tcp_nosuch=1: ", 30), 0);
}

static void sysctl_lines(void **state)
{
    struct pd_sysctl sc;
    struct toe_knobs k;
    char why[300];

    (void)state;
    assert_int_equal(pd_sysctl_parse("sysctl -q net.ipv4.tcp_syncookies=2", &sc, why, sizeof(why)), 1);
    assert_int_equal(sc.n, 1);
    assert_string_equal(sc.name[0], "net.ipv4.tcp_syncookies");
    assert_string_equal(sc.value[0], "2");
    toe_knobs_defaults(&k);
    assert_int_equal(toe_knobs_set(&k, sc.name[0], sc.value[0], why, sizeof(why)), 0);
    assert_int_equal(toe_knob(&k, TOE_KNOB_TCP_SYNCOOKIES), 2);
    assert_int_equal(pd_sysctl_parse("sysctl -w net.ipv4.ip_local_port_range=\"40000 40001\"", &sc, why,
                                     sizeof(why)), 1);
    assert_string_equal(sc.value[0], "40000 40001");
    assert_int_equal(pd_sysctl_parse("  sysctl -q -w net.ipv4.tcp_syn_retries=2 net.ipv4.tcp_sack='0'",
                                     &sc, why, sizeof(why)), 1);
    assert_int_equal(sc.n, 2);
    assert_string_equal(sc.name[1], "net.ipv4.tcp_sack");
    assert_string_equal(sc.value[1], "0");
    assert_int_equal(pd_sysctl_parse("./defaults.sh", &sc, why, sizeof(why)), 0);
    assert_int_equal(pd_sysctl_parse("tc qdisc add dev tun0 root fq", &sc, why, sizeof(why)), 0);
    assert_int_equal(pd_sysctl_parse("", &sc, why, sizeof(why)), 0);
    assert_int_equal(pd_sysctl_parse("sysctl -a", &sc, why, sizeof(why)), -1);
    assert_string_equal(why, "sysctl flag '-a' is not supported (only -q and -w)");
    assert_int_equal(pd_sysctl_parse("sysctl -q net.ipv4.tcp_syncookies", &sc, why, sizeof(why)), -1);
    assert_string_equal(why, "sysctl 'net.ipv4.tcp_syncookies' is not an assignment name=value");
    assert_int_equal(pd_sysctl_parse("sysctl -q net.ipv4.tcp_sack=1; reboot", &sc, why, sizeof(why)), -1);
    assert_string_equal(why, "sysctl line with shell syntax or unbalanced quotes");
    assert_int_equal(pd_sysctl_parse("sysctl -q net.ipv4.tcp_sack=\"1", &sc, why, sizeof(why)), -1);
    assert_int_equal(pd_sysctl_parse("sysctl -q", &sc, why, sizeof(why)), -1);
    assert_string_equal(why, "sysctl line without an assignment");
    assert_int_equal(pd_sysctl_parse("sysctl =1", &sc, why, sizeof(why)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constants_are_linux_numbers),
        cmocka_unit_test(errno_names_both_ways),
        cmocka_unit_test(arguments_evaluated),
        cmocka_unit_test(tolerance_rule),
        cmocka_unit_test(options_parsed),
        cmocka_unit_test(sysctl_lines),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
