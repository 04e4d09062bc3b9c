/*
 * The packetdrill parser (driver/pktdrill) against the syntax of
 * /work/shared/packetdrill-syntax.md and upstream's scripts: each construct
 * into the exact AST fields, the printer's canonical text, parse -> print ->
 * parse giving equal events, every script in tests/pktdrill/scripts parsing,
 * and malformed input giving its exact message (table in test_pd_errors.h).
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, opendir */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pd_ast.h"
#include "pd_test_util.h"

static struct pd_script *parse_ok(const char *text)
{
    struct pd_error err;
    struct pd_script *s = pd_parse_text("t.pkt", text, strlen(text), &err);

    if (!s)
        fail_msg("parse failed: %s", err.msg);
    return s;
}

static const struct pd_event *only_event(struct pd_script *s)
{
    assert_int_equal(s->n_events, 1);
    return &s->events[0];
}

/* The canonical text of one event. */
static const char *fmt(const struct pd_event *ev)
{
    static char buf[1024];

    assert_true(pd_event_format(ev, buf, sizeof(buf)) < sizeof(buf));
    return buf;
}

/* ---- times ----------------------------------------------------------------------------- */

static void times(void **state)
{
    struct pd_script *s = parse_ok("0 close(3) = 0\n"
                                   "1.5 close(3) = 0\n"
                                   ".100 close(3) = 0\n"
                                   "+0 close(3) = 0\n"
                                   "+.1 close(3) = 0\n"
                                   "+2 close(3) = 0\n"
                                   "+0.000001 close(3) = 0\n"
                                   "* > . 1:1(0) ack 1\n"
                                   "+0~+0.2 > . 1:1(0) ack 1\n"
                                   "0.1~0.25 > . 1:1(0) ack 1\n"
                                   "+0...0.100 read(4, ..., 2000) = 2000\n"
                                   "+1...+1.5 read(4, ..., 2000) = 2000\n");
    const struct pd_event *e = s->events;

    (void)state;
    assert_int_equal(s->n_events, 12);
    assert_int_equal(e[0].time.start.kind, PD_TIME_ABS);
    assert_int_equal(e[0].time.start.usecs, 0);
    assert_int_equal(e[1].time.start.usecs, 1500000);
    assert_int_equal(e[2].time.start.kind, PD_TIME_ABS);
    assert_int_equal(e[2].time.start.usecs, 100000);
    assert_int_equal(e[3].time.start.kind, PD_TIME_REL);
    assert_int_equal(e[3].time.start.usecs, 0);
    assert_int_equal(e[4].time.start.kind, PD_TIME_REL);
    assert_int_equal(e[4].time.start.usecs, 100000);
    assert_int_equal(e[5].time.start.usecs, 2000000);
    assert_int_equal(e[6].time.start.usecs, 1);
    assert_int_equal(e[7].time.start.kind, PD_TIME_ANY);
    assert_false(e[7].time.has_range);
    assert_true(e[8].time.has_range);
    assert_int_equal(e[8].time.start.kind, PD_TIME_REL);
    assert_int_equal(e[8].time.range_end.kind, PD_TIME_REL);
    assert_int_equal(e[8].time.range_end.usecs, 200000);
    assert_int_equal(e[9].time.start.kind, PD_TIME_ABS);
    assert_int_equal(e[9].time.start.usecs, 100000);
    assert_int_equal(e[9].time.range_end.kind, PD_TIME_ABS);
    assert_int_equal(e[9].time.range_end.usecs, 250000);
    assert_true(e[10].time.has_block);
    assert_false(e[10].time.has_range);
    assert_int_equal(e[10].time.start.kind, PD_TIME_REL);
    assert_int_equal(e[10].time.block_end.kind, PD_TIME_ABS);
    assert_int_equal(e[10].time.block_end.usecs, 100000);
    assert_int_equal(e[11].time.start.usecs, 1000000);
    assert_int_equal(e[11].time.block_end.kind, PD_TIME_REL);
    assert_int_equal(e[11].time.block_end.usecs, 1500000);
    /* canonical: seconds, trailing zeros cut */
    assert_string_equal(fmt(&e[2]), "0.1 close(3) = 0");
    assert_string_equal(fmt(&e[6]), "+0.000001 close(3) = 0");
    assert_string_equal(fmt(&e[9]), "0.1~0.25 > . 1:1(0) ack 1");
    assert_string_equal(fmt(&e[10]), "+0...0.1 read(4, ..., 2000) = 2000");
    assert_string_equal(fmt(&e[11]), "+1...+1.5 read(4, ..., 2000) = 2000");
    pd_script_free(s);
}

/* ---- packets --------------------------------------------------------------------------- */

static void packet_syn(void **state)
{
    struct pd_script *s = parse_ok("+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>");
    const struct pd_event *ev = only_event(s);
    const struct pd_packet *p = &ev->u.packet;

    (void)state;
    assert_int_equal(ev->kind, PD_EV_PACKET);
    assert_int_equal(ev->line, 1);
    assert_int_equal(ev->col, 1);
    assert_int_equal(p->dir, PD_DIR_IN);
    assert_int_equal(p->flags, PD_TCP_SYN);
    assert_int_equal(p->seq_start, 0);
    assert_int_equal(p->seq_end, 0);
    assert_int_equal(p->len, 0);
    assert_false(p->has_ack);
    assert_true(p->has_win);
    assert_int_equal(p->win, 32792);
    assert_false(p->has_urg);
    assert_int_equal(p->opts_mode, PD_OPTS_LIST);
    assert_int_equal(p->n_opts, 6);
    assert_int_equal(p->opts[0].kind, PD_OPT_MSS);
    assert_int_equal(p->opts[0].value, 1000);
    assert_int_equal(p->opts[1].kind, PD_OPT_SACKOK);
    assert_int_equal(p->opts[2].kind, PD_OPT_NOP);
    assert_int_equal(p->opts[3].kind, PD_OPT_NOP);
    assert_int_equal(p->opts[4].kind, PD_OPT_NOP);
    assert_int_equal(p->opts[5].kind, PD_OPT_WSCALE);
    assert_int_equal(p->opts[5].value, 7);
    assert_string_equal(fmt(ev), "+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>");
    pd_script_free(s);
}

static void packet_synack_data(void **state)
{
    struct pd_script *s = parse_ok("+0 > S. 0:0(0) ack 1 <...>\n"
                                   "+0 > P. 1:1001(1000) ack 1\n"
                                   "+0 < . 4294967295:999(1000) ack 4294967295 win 0 urg 65535\n");
    const struct pd_packet *a = &s->events[0].u.packet;
    const struct pd_packet *b = &s->events[1].u.packet;
    const struct pd_packet *c = &s->events[2].u.packet;

    (void)state;
    assert_int_equal(s->n_events, 3);
    assert_int_equal(a->dir, PD_DIR_OUT);
    assert_int_equal(a->flags, PD_TCP_SYN | PD_TCP_ACK);
    assert_true(a->has_ack);
    assert_int_equal(a->ack, 1);
    assert_false(a->has_win);
    assert_int_equal(a->opts_mode, PD_OPTS_ANY);
    assert_int_equal(a->n_opts, 0);
    assert_int_equal(b->flags, PD_TCP_PSH | PD_TCP_ACK);
    assert_int_equal(b->seq_start, 1);
    assert_int_equal(b->seq_end, 1001);
    assert_int_equal(b->len, 1000);
    assert_int_equal(b->opts_mode, PD_OPTS_NONE);
    /* the sequence space wraps (RFC 793 3.3): 2^32-1 + 1000 = 999 */
    assert_int_equal(c->seq_start, 4294967295u);
    assert_int_equal(c->seq_end, 999);
    assert_int_equal(c->len, 1000);
    assert_int_equal(c->ack, 4294967295u);
    assert_true(c->has_win);
    assert_int_equal(c->win, 0);
    assert_true(c->has_urg);
    assert_int_equal(c->urg, 65535);
    assert_string_equal(fmt(&s->events[2]), "+0 < . 4294967295:999(1000) ack 4294967295 win 0 urg 65535");
    pd_script_free(s);
}

static void packet_flags(void **state)
{
    static const struct { const char *word; unsigned flags; const char *canon; } cases[] = {
        { "S", PD_TCP_SYN, "S" },
        { "S.", PD_TCP_SYN | PD_TCP_ACK, "S." },
        { ".", PD_TCP_ACK, "." },
        { "F.", PD_TCP_FIN | PD_TCP_ACK, "F." },
        { "FP.", PD_TCP_FIN | PD_TCP_PSH | PD_TCP_ACK, "FP." },
        { ".PF", PD_TCP_FIN | PD_TCP_PSH | PD_TCP_ACK, "FP." },
        { "R", PD_TCP_RST, "R" },
        { "R.", PD_TCP_RST | PD_TCP_ACK, "R." },
        { "P.", PD_TCP_PSH | PD_TCP_ACK, "P." },
        { "U.", PD_TCP_URG | PD_TCP_ACK, ".U" },
        { "SEW", PD_TCP_SYN | PD_TCP_ECE | PD_TCP_CWR, "SEW" },
        { "SE.", PD_TCP_SYN | PD_TCP_ECE | PD_TCP_ACK, "S.E" },
        { "SFRPU.EWC", 0x1ff, "FSRP.UEWC" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[80], canon[80];
        struct pd_script *s;

        snprintf(text, sizeof(text), "+0 < %s 0:0(0) win 0", cases[i].word);
        snprintf(canon, sizeof(canon), "+0 < %s 0:0(0) win 0", cases[i].canon);
        s = parse_ok(text);
        assert_int_equal(only_event(s)->u.packet.flags, cases[i].flags);
        assert_string_equal(fmt(&s->events[0]), canon);
        pd_script_free(s);
    }
}

static void packet_options(void **state)
{
    struct pd_script *s = parse_ok(
        "+0 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 4294967295 ecr 7,sack 1001:2001 3001:4001 "
        "5001:6001 7001:8001,eol,mss 65535,wscale 14,sackOK>");
    const struct pd_packet *p = &only_event(s)->u.packet;

    (void)state;
    assert_int_equal(p->n_opts, 8);
    assert_int_equal(p->opts[0].kind, PD_OPT_NOP);
    assert_int_equal(p->opts[2].kind, PD_OPT_TS);
    assert_int_equal(p->opts[2].value, 4294967295u);
    assert_int_equal(p->opts[2].ecr, 7);
    assert_int_equal(p->opts[3].kind, PD_OPT_SACK);
    assert_int_equal(p->opts[3].n_blocks, 4);
    assert_int_equal(p->opts[3].block[0][0], 1001);
    assert_int_equal(p->opts[3].block[0][1], 2001);
    assert_int_equal(p->opts[3].block[3][0], 7001);
    assert_int_equal(p->opts[3].block[3][1], 8001);
    assert_int_equal(p->opts[4].kind, PD_OPT_EOL);
    assert_int_equal(p->opts[5].kind, PD_OPT_MSS);
    assert_int_equal(p->opts[5].value, 65535);
    assert_int_equal(p->opts[6].kind, PD_OPT_WSCALE);
    assert_int_equal(p->opts[6].value, 14);
    assert_int_equal(p->opts[7].kind, PD_OPT_SACKOK);
    assert_string_equal(fmt(&s->events[0]),
                        "+0 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 4294967295 ecr 7,"
                        "sack 1001:2001 3001:4001 5001:6001 7001:8001,eol,mss 65535,wscale 14,sackOK>");
    pd_script_free(s);
}

static void packet_ecn(void **state)
{
    struct pd_script *s = parse_ok("+0 < [noecn] S 0:0(0) win 100\n"
                                   "+0 > [ect0] S. 0:0(0) ack 1 <...>\n"
                                   "+0 < [ect1] . 1:1(0) ack 1 win 100\n"
                                   "+0 < [ce] P. 1:11(10) ack 1 win 100\n"
                                   "+0 > [ect01] . 1:1(0) ack 11\n"
                                   "+0 > . 1:1(0) ack 11\n");
    const struct pd_event *e = s->events;

    (void)state;
    assert_int_equal(s->n_events, 6);
    assert_int_equal(e[0].u.packet.ecn, PD_ECN_NOECN);
    assert_int_equal(e[0].u.packet.flags, PD_TCP_SYN);
    assert_int_equal(e[1].u.packet.ecn, PD_ECN_ECT0);
    assert_int_equal(e[1].u.packet.flags, PD_TCP_SYN | PD_TCP_ACK);
    assert_int_equal(e[2].u.packet.ecn, PD_ECN_ECT1);
    assert_int_equal(e[3].u.packet.ecn, PD_ECN_CE);
    assert_int_equal(e[3].u.packet.len, 10);
    assert_int_equal(e[4].u.packet.ecn, PD_ECN_ECT01);
    assert_int_equal(e[5].u.packet.ecn, PD_ECN_UNSPEC);
    assert_string_equal(fmt(&e[3]), "+0 < [ce] P. 1:11(10) ack 1 win 100");
    assert_string_equal(fmt(&e[4]), "+0 > [ect01] . 1:1(0) ack 11");
    assert_false(pd_event_equal(&e[4], &e[5]));
    pd_script_free(s);
}

/* ---- system calls ------------------------------------------------------------------------ */

static void syscall_socket(void **state)
{
    struct pd_script *s = parse_ok("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
    const struct pd_event *ev = only_event(s);
    const struct pd_syscall *c = &ev->u.sys;

    (void)state;
    assert_int_equal(ev->kind, PD_EV_SYSCALL);
    assert_string_equal(c->name, "socket");
    assert_int_equal(c->n_args, 3);
    assert_int_equal(c->args[0]->kind, PD_EX_ELLIPSIS);
    assert_int_equal(c->args[1]->kind, PD_EX_NAME);
    assert_string_equal(c->args[1]->name, "SOCK_STREAM");
    assert_int_equal(c->args[2]->kind, PD_EX_NAME);
    assert_string_equal(c->args[2]->name, "IPPROTO_TCP");
    assert_int_equal(c->result, 3);
    assert_null(c->errno_name);
    assert_null(c->errno_text);
    pd_script_free(s);
}

static void syscall_arrays_and_errno(void **state)
{
    struct pd_script *s = parse_ok(
        "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
        "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0\n"
        "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
        "+0 read(4, ..., 100) = -1 ECONNRESET (Connection reset by peer)\n"
        "+0 write(4, ..., 10) = -1 EAGAIN\n"
        "+0 close(4) = 0\n");
    const struct pd_syscall *set = &s->events[0].u.sys, *get = &s->events[1].u.sys;
    const struct pd_syscall *con = &s->events[2].u.sys, *rd = &s->events[3].u.sys;
    const struct pd_syscall *wr = &s->events[4].u.sys, *cl = &s->events[5].u.sys;

    (void)state;
    assert_int_equal(s->n_events, 6);
    assert_int_equal(set->n_args, 5);
    assert_int_equal(set->args[0]->kind, PD_EX_INT);
    assert_int_equal(set->args[0]->ival, 3);
    assert_int_equal(set->args[3]->kind, PD_EX_ARRAY);
    assert_int_equal(set->args[3]->n_kids, 1);
    assert_int_equal(set->args[3]->kids[0]->kind, PD_EX_INT);
    assert_int_equal(set->args[3]->kids[0]->ival, 1);
    assert_int_equal(set->args[4]->ival, 4);
    assert_int_equal(get->args[3]->kids[0]->kind, PD_EX_NAME);
    assert_string_equal(get->args[3]->kids[0]->name, "ECONNREFUSED");
    assert_int_equal(get->args[4]->kind, PD_EX_ARRAY);
    assert_int_equal(get->args[4]->kids[0]->ival, 4);
    assert_int_equal(con->result, -1);
    assert_string_equal(con->errno_name, "EINPROGRESS");
    assert_string_equal(con->errno_text, "Operation now in progress");
    assert_string_equal(rd->name, "read");
    assert_string_equal(rd->errno_name, "ECONNRESET");
    assert_string_equal(rd->errno_text, "Connection reset by peer");
    assert_string_equal(wr->errno_name, "EAGAIN");
    assert_null(wr->errno_text);
    assert_int_equal(cl->n_args, 1);
    assert_int_equal(cl->result, 0);
    assert_string_equal(fmt(&s->events[2]),
                        "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)");
    assert_string_equal(fmt(&s->events[4]), "+0 write(4, ..., 10) = -1 EAGAIN");
    pd_script_free(s);
}

static void syscall_structs_and_flags(void **state)
{
    struct pd_script *s = parse_ok(
        "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n"
        "+0 poll([{fd=3, events=POLLIN|POLLOUT|POLLERR, revents=POLLIN}], 1, 0) = 1\n"
        "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
        "+0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), "
        "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0\n"
        "+0 shutdown(4, SHUT_RDWR) = 0\n"
        "+0 fcntl(3, F_GETFL) = 0x802\n"
        "+0 foo(-9223372036854775808, 9223372036854775807, [], {}, [...]) = -5\n");
    const struct pd_expr *linger = s->events[0].u.sys.args[3];
    const struct pd_expr *pollfds = s->events[1].u.sys.args[0];
    const struct pd_expr *fl = s->events[2].u.sys.args[2];
    const struct pd_expr *sa = s->events[3].u.sys.args[1];
    const struct pd_syscall *foo = &s->events[6].u.sys;
    const struct pd_expr *pfd, *ev;

    (void)state;
    assert_int_equal(linger->kind, PD_EX_STRUCT);
    assert_int_equal(linger->n_kids, 2);
    assert_int_equal(linger->kids[0]->kind, PD_EX_FIELD);
    assert_string_equal(linger->kids[0]->name, "l_onoff");
    assert_int_equal(linger->kids[0]->kids[0]->ival, 1);
    assert_string_equal(linger->kids[1]->name, "l_linger");
    assert_int_equal(linger->kids[1]->kids[0]->ival, 0);
    assert_int_equal(pollfds->kind, PD_EX_ARRAY);
    pfd = pollfds->kids[0];
    assert_int_equal(pfd->kind, PD_EX_STRUCT);
    assert_int_equal(pfd->n_kids, 3);
    assert_string_equal(pfd->kids[0]->name, "fd");
    assert_int_equal(pfd->kids[0]->kids[0]->ival, 3);
    /* '|' groups to the left: (POLLIN|POLLOUT)|POLLERR */
    ev = pfd->kids[1]->kids[0];
    assert_int_equal(ev->kind, PD_EX_OR);
    assert_int_equal(ev->kids[0]->kind, PD_EX_OR);
    assert_string_equal(ev->kids[0]->kids[0]->name, "POLLIN");
    assert_string_equal(ev->kids[0]->kids[1]->name, "POLLOUT");
    assert_string_equal(ev->kids[1]->name, "POLLERR");
    assert_string_equal(pfd->kids[2]->kids[0]->name, "POLLIN");
    assert_int_equal(fl->kind, PD_EX_OR);
    assert_string_equal(fl->kids[0]->name, "O_RDWR");
    assert_string_equal(fl->kids[1]->name, "O_NONBLOCK");
    assert_int_equal(sa->kids[1]->kids[0]->kind, PD_EX_CALL);
    assert_string_equal(sa->kids[1]->kids[0]->name, "htons");
    assert_int_equal(sa->kids[1]->kids[0]->kids[0]->ival, 8080);
    assert_int_equal(sa->kids[2]->kids[0]->kids[0]->kind, PD_EX_STRING);
    assert_string_equal(sa->kids[2]->kids[0]->kids[0]->name, "192.0.2.1");
    assert_string_equal(s->events[4].u.sys.args[1]->name, "SHUT_RDWR");
    assert_int_equal(s->events[5].u.sys.n_args, 2);
    assert_int_equal(s->events[5].u.sys.result, 0x802);
    assert_true(foo->args[0]->ival == INT64_MIN);
    assert_true(foo->args[1]->ival == INT64_MAX);
    assert_int_equal(foo->args[2]->kind, PD_EX_ARRAY);
    assert_int_equal(foo->args[2]->n_kids, 0);
    assert_int_equal(foo->args[3]->kind, PD_EX_STRUCT);
    assert_int_equal(foo->args[3]->n_kids, 0);
    assert_int_equal(foo->args[4]->kids[0]->kind, PD_EX_ELLIPSIS);
    assert_int_equal(foo->result, -5);
    assert_string_equal(fmt(&s->events[1]),
                        "+0 poll([{fd=3, events=POLLIN|POLLOUT|POLLERR, revents=POLLIN}], 1, 0) = 1");
    assert_string_equal(fmt(&s->events[3]),
                        "+0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), "
                        "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0");
    pd_script_free(s);
}

/* upstream's msghdr: fields written name(count)=value */
static void syscall_msghdr(void **state)
{
    struct pd_script *s = parse_ok(
        "+0 sendmsg(4, {msg_name(...)=..., msg_iov(1)=[{iov_base=..., iov_len=1000}], "
        "msg_flags=0}, 0) = 1000\n");
    const struct pd_expr *msg = only_event(s)->u.sys.args[1];
    const struct pd_expr *name = msg->kids[0], *iov = msg->kids[1], *flags = msg->kids[2];

    (void)state;
    assert_int_equal(msg->kind, PD_EX_STRUCT);
    assert_int_equal(msg->n_kids, 3);
    assert_int_equal(name->kind, PD_EX_FIELD);
    assert_true(name->call_form);
    assert_string_equal(name->name, "msg_name");
    assert_int_equal(name->n_kids, 2);
    assert_int_equal(name->kids[0]->kind, PD_EX_ELLIPSIS);
    assert_int_equal(name->kids[1]->kind, PD_EX_ELLIPSIS);
    assert_true(iov->call_form);
    assert_string_equal(iov->name, "msg_iov");
    assert_int_equal(iov->kids[1]->ival, 1);
    assert_int_equal(iov->kids[0]->kind, PD_EX_ARRAY);
    assert_string_equal(iov->kids[0]->kids[0]->kids[1]->name, "iov_len");
    assert_int_equal(iov->kids[0]->kids[0]->kids[1]->kids[0]->ival, 1000);
    assert_false(flags->call_form);
    assert_int_equal(flags->n_kids, 1);
    assert_string_equal(fmt(&s->events[0]),
                        "+0 sendmsg(4, {msg_name(...)=..., msg_iov(1)=[{iov_base=..., iov_len=1000}], "
                        "msg_flags=0}, 0) = 1000");
    pd_script_free(s);
}

/* ---- options, commands, comments ----------------------------------------------------------- */

static void options_commands_comments(void **state)
{
    struct pd_script *s = parse_ok(
        "// a comment\n"
        "--tolerance_usecs=10000   \n"
        "--verbose\n"
        "/* a block\n   comment */ --local_ip=192.168.0.1\n"
        "`./defaults.sh\nsysctl -q x=1`\n"
        "0 `echo hi` // trailing\n"
        "+0 %{ assert tcpi_rto == 1 }%\n"
        "+0 close(3) = 0 /* done */");
    const struct pd_event *e = s->events;

    (void)state;
    assert_int_equal(s->n_events, 7);
    assert_int_equal(e[0].kind, PD_EV_OPTION);
    assert_string_equal(e[0].u.option.name, "tolerance_usecs");
    assert_string_equal(e[0].u.option.value, "10000");
    assert_int_equal(e[0].line, 2);
    assert_int_equal(e[0].time.start.kind, PD_TIME_NONE);
    assert_string_equal(e[1].u.option.name, "verbose");
    assert_null(e[1].u.option.value);
    assert_string_equal(e[2].u.option.value, "192.168.0.1");
    assert_int_equal(e[2].line, 5);
    assert_int_equal(e[2].col, 15);
    assert_int_equal(e[3].kind, PD_EV_SHELL);
    assert_int_equal(e[3].time.start.kind, PD_TIME_NONE);
    assert_string_equal(e[3].u.text, "./defaults.sh\nsysctl -q x=1");
    assert_int_equal(e[4].kind, PD_EV_SHELL);
    assert_int_equal(e[4].time.start.kind, PD_TIME_ABS);
    assert_string_equal(e[4].u.text, "echo hi");
    assert_int_equal(e[5].kind, PD_EV_CODE);
    assert_string_equal(e[5].u.text, " assert tcpi_rto == 1 ");
    assert_int_equal(e[6].line, 10);
    assert_string_equal(fmt(&e[0]), "--tolerance_usecs=10000");
    assert_string_equal(fmt(&e[1]), "--verbose");
    assert_string_equal(fmt(&e[3]), "`./defaults.sh\nsysctl -q x=1`");
    assert_string_equal(fmt(&e[4]), "0 `echo hi`");
    assert_string_equal(fmt(&e[5]), "+0 %{ assert tcpi_rto == 1 }%");
    pd_script_free(s);
}

/* A script of comments only has no events, and that is not an error. */
/* Comments right after the raw-read pieces and after an option's value. */
static void comments_after_raw_pieces(void **state)
{
    struct pd_script *s = parse_ok("--so_flags=a b c // the flags\n"
                                   "--x=http://y\n"
                                   "+0 > S.// SYN-ACK\n 0:0(0) ack 1 <...>\n"
                                   "+0 read(4, ..., 1) = -1 EAGAIN/* none */ (Resource temporarily unavailable)\n");
    const struct pd_event *e = s->events;

    (void)state;
    assert_int_equal(s->n_events, 4);
    assert_string_equal(e[0].u.option.value, "a b c");
    assert_string_equal(e[1].u.option.value, "http://y");
    assert_int_equal(e[2].u.packet.flags, PD_TCP_SYN | PD_TCP_ACK);
    assert_int_equal(e[2].u.packet.seq_end, 0);
    assert_string_equal(e[3].u.sys.errno_name, "EAGAIN");
    pd_script_free(s);
}

static void empty_script(void **state)
{
    struct pd_script *s = parse_ok("  // nothing but comments\n/* */\n");

    (void)state;
    assert_int_equal(s->n_events, 0);
    pd_script_free(s);
}

/* ---- printer ---------------------------------------------------------------------------- */

static void format_truncates(void **state)
{
    struct pd_script *s = parse_ok("+0 close(4) = 0");
    char buf[6];

    (void)state;
    assert_int_equal(pd_event_format(&s->events[0], buf, sizeof(buf)), strlen("+0 close(4) = 0"));
    assert_string_equal(buf, "+0 cl");
    assert_int_equal(pd_event_format(&s->events[0], NULL, 0), strlen("+0 close(4) = 0"));
    pd_script_free(s);
}

/* ---- round trip and the script corpus --------------------------------------------------------- */

/* Parse TEXT, print it, parse the print: the same events; the print is a fixed point. */
static void round_trip(const char *name, const char *text, size_t len)
{
    struct pd_error err;
    struct pd_script *a = pd_parse_text(name, text, len, &err), *b;
    char *printed = NULL;
    size_t plen = 0, i;
    FILE *f;

    if (!a)
        fail_msg("%s", err.msg);
    f = open_memstream(&printed, &plen);
    assert_non_null(f);
    assert_int_equal(pd_script_print(f, a), 0);
    fclose(f);
    b = pd_parse_text("printed", printed, plen, &err);
    if (!b)
        fail_msg("%s: the printed form does not parse: %s\n%s", name, err.msg, printed);
    assert_int_equal(a->n_events, b->n_events);
    for (i = 0; i < a->n_events; i++) {
        char x[1024], y[1024];

        pd_event_format(&a->events[i], x, sizeof(x));
        pd_event_format(&b->events[i], y, sizeof(y));
        if (!pd_event_equal(&a->events[i], &b->events[i]))
            fail_msg("%s event %zu: '%s' came back as '%s'", name, i, x, y);
        assert_string_equal(x, y);
    }
    pd_script_free(a);
    pd_script_free(b);
    free(printed);
}

static void round_trip_constructs(void **state)
{
    static const char text[] =
        "--tolerance_usecs=10000\n`init`\n"
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        "+0.000250 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
        "+0 < SEW 0:0(0) win 65535 <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>\n"
        "* > S.E 0:0(0) ack 1 <...>\n"
        "1.5~2 > F. 1:1(0) ack 1\n"
        "+0 < . 1:1(0) ack 1 win 1 urg 1 <sack 1:2 3:4,eol>\n"
        "+0...+0.5 accept(3, ..., ...) = -1 EAGAIN (Resource temporarily unavailable)\n"
        "+0 poll([{fd=4, events=POLLIN|POLLOUT, revents=0}], 1, -1) = 0\n"
        "+0 recvmsg(4, {msg_iov(1)=[{iov_base=..., iov_len=10}], msg_flags=0}, 0) = 10\n"
        "+0 %{ x }%\n0 `y`\n";

    (void)state;
    round_trip("constructs", text, sizeof(text) - 1);
}

static void difference_is_noticed(void **state)
{
    struct pd_script *a = parse_ok("+0 < S 0:0(0) win 100 <mss 1000>\n+0 < S 0:0(0) win 100 <mss 1001>\n"
                                   "+0 close(3) = 0\n+0 close(3) = 1\n+0 < S 0:0(0) win 100\n");

    (void)state;
    assert_false(pd_event_equal(&a->events[0], &a->events[1]));
    assert_false(pd_event_equal(&a->events[2], &a->events[3]));
    assert_false(pd_event_equal(&a->events[0], &a->events[4]));
    assert_true(pd_event_equal(&a->events[0], &a->events[0]));
    pd_script_free(a);
}

static void scripts_parse_and_round_trip(void **state)
{
    size_t n, i, events = 0;
    char **paths = pd_script_paths(&n);

    (void)state;
    if (!paths)
        fail_msg("cannot read %s", pd_scripts_dir());
    assert_true(n >= 15);
    for (i = 0; i < n; i++) {
        struct pd_error err;
        struct pd_script *s = pd_parse_file(paths[i], &err);
        size_t len = 0;
        char *text;

        if (!s)
            fail_msg("%s", err.msg);
        assert_true(s->n_events >= 3);
        events += s->n_events;
        pd_script_free(s);
        text = pd_read_whole(paths[i], &len);
        assert_non_null(text);
        round_trip(paths[i], text, len);
        free(text);
    }
    printf("%zu scripts, %zu events: all parse and round-trip\n", n, events);
    pd_free_paths(paths, n);
}

static void missing_file(void **state)
{
    struct pd_error err;

    (void)state;
    assert_null(pd_parse_file("/nonexistent/x.pkt", &err));
    assert_string_equal(err.msg, "/nonexistent/x.pkt: No such file or directory");
}

/* ---- malformed input: one case per entry of the table ---------------------------------------- */

struct bad_case {
    const char *name;
    const char *text;
    const char *msg;
    size_t len;               /* when the text holds a NUL; else strlen */
};

#include "test_pd_errors.h"

static void malformed(void **state)
{
    const struct bad_case *c = *state;
    struct pd_error err;
    struct pd_script *s = pd_parse_text("t.pkt", c->text, c->len ? c->len : strlen(c->text),
                                         &err);

    if (s) {
        pd_script_free(s);
        fail_msg("'%s' parsed, but it must fail with: %s", c->text, c->msg);
    }
    assert_string_equal(err.msg, c->msg);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(times),
        cmocka_unit_test(packet_syn),
        cmocka_unit_test(packet_synack_data),
        cmocka_unit_test(packet_flags),
        cmocka_unit_test(packet_options),
        cmocka_unit_test(packet_ecn),
        cmocka_unit_test(syscall_socket),
        cmocka_unit_test(syscall_arrays_and_errno),
        cmocka_unit_test(syscall_structs_and_flags),
        cmocka_unit_test(syscall_msghdr),
        cmocka_unit_test(options_commands_comments),
        cmocka_unit_test(comments_after_raw_pieces),
        cmocka_unit_test(empty_script),
        cmocka_unit_test(format_truncates),
        cmocka_unit_test(round_trip_constructs),
        cmocka_unit_test(difference_is_noticed),
        cmocka_unit_test(scripts_parse_and_round_trip),
        cmocka_unit_test(missing_file),
    };
    const size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]);
    const size_t n_bad = sizeof(bad_cases) / sizeof(bad_cases[0]);
    struct CMUnitTest *tests = calloc(n_fixed + n_bad, sizeof(*tests));
    size_t i;
    int rc;

    if (!tests)
        return 1;
    memcpy(tests, fixed, sizeof(fixed));
    for (i = 0; i < n_bad; i++) {
        tests[n_fixed + i].name = bad_cases[i].name;
        tests[n_fixed + i].test_func = malformed;
        tests[n_fixed + i].initial_state = (void *)&bad_cases[i];
    }
    rc = _cmocka_run_group_tests("pd_parse", tests, n_fixed + n_bad, NULL, NULL);
    free(tests);
    return rc;
}
