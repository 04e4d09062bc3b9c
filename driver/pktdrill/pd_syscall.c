/*
 * A script's system call lines as calls into the TOE's sockets API
 * (driver/include/toe_socket.h): arguments evaluated (pd_eval_int and the
 * forms below), descriptors mapped, the result and errno compared, and what a
 * call writes back (getsockopt values, poll's revents, addresses) checked.
 *
 * Upstream's rules (run_system_call.c): the script's descriptor numbers are
 * its own - socket() and accept() map the number the script expects to the
 * one the stack returned; `...` in bind() is the local address and
 * --bind_port 8080; in connect() it is the remote address and --connect_port
 * 8080 (run_syscall_connect: live_connect_ip, live_connect_port), and the
 * local port is whatever the stack picks, learned from its SYN
 * (find_connect_for_live_packet). Buffers given as `...` are zeros.
 */
#define _GNU_SOURCE
#include "pd_exec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_socket.h"

#define BUF_MAX (1u << 20)

struct call {
    struct pd_exec *x;
    const struct pd_event *ev;
    const struct pd_syscall *sc;
    int line;
};

static int argfail(struct call *c, const char *fmt, const char *detail)
{
    return pd_fail(c->x, c->line, "%s(): %s%s%s", c->sc->name, fmt, detail ? ": " : "",
                   detail ? detail : "");
}

static const struct pd_expr *arg(struct call *c, size_t i)
{
    return i < c->sc->n_args ? c->sc->args[i] : NULL;
}

static int need_args(struct call *c, size_t n)
{
    if (c->sc->n_args != n) {
        char d[32];

        snprintf(d, sizeof(d), "%zu expected, %zu given", n, c->sc->n_args);
        return argfail(c, "wrong number of arguments", d);
    }
    return 0;
}

static int int_arg(struct call *c, size_t i, int64_t *v)
{
    char why[200];
    const struct pd_expr *e = arg(c, i);

    if (!e)
        return argfail(c, "missing argument", NULL);
    /* upstream writes int option values and lengths as [N] as often as N */
    if (e->kind == PD_EX_ARRAY && e->n_kids == 1)
        e = e->kids[0];
    if (pd_eval_int(e, v, why, sizeof(why)))
        return argfail(c, "bad argument", why);
    return 0;
}

/* ---- descriptors -------------------------------------------------------------------------- */

static struct pd_fdmap *fd_find(struct pd_exec *x, int script_fd)
{
    size_t i;

    for (i = 0; i < PD_FDS_MAX; i++)
        if (x->fds[i].script_fd == script_fd)
            return &x->fds[i];
    return NULL;
}

/* The TOE's descriptor for script descriptor S; an unknown one stays invalid (EBADF). */
static int live_fd(struct pd_exec *x, int64_t s)
{
    struct pd_fdmap *m = fd_find(x, (int)s);

    return m ? m->live_fd : (int)(s + 100000);
}

static int fd_arg(struct call *c, size_t i, int *fd)
{
    int64_t v;

    if (int_arg(c, i, &v))
        return -1;
    *fd = live_fd(c->x, v);
    return 0;
}

static void fd_add(struct pd_exec *x, int script_fd, int live)
{
    struct pd_fdmap *m = fd_find(x, script_fd);
    size_t i;

    for (i = 0; !m && i < PD_FDS_MAX; i++)
        if (x->fds[i].script_fd < 0)
            m = &x->fds[i];
    if (m) {
        m->script_fd = script_fd;
        m->live_fd = live;
        m->bound_port = 0;
    }
}

static void fd_del(struct pd_exec *x, int script_fd)
{
    struct pd_fdmap *m = fd_find(x, script_fd);

    if (m)
        m->script_fd = m->live_fd = -1;
}

/* ---- structures ------------------------------------------------------------------------------ */

static const struct pd_expr *field(const struct pd_expr *st, const char *a, const char *b)
{
    size_t i;

    for (i = 0; st && st->kind == PD_EX_STRUCT && i < st->n_kids; i++) {
        const struct pd_expr *f = st->kids[i];

        if (f->kind == PD_EX_FIELD && (!strcmp(f->name, a) || (b && !strcmp(f->name, b))))
            return f->kids[0];
    }
    return NULL;
}

/* `...` (DEF_IP:DEF_PORT) or {sa_family=AF_INET, sin_port=htons(P), sin_addr=inet_addr("A")}. */
static int sockaddr_arg(struct call *c, size_t i, uint32_t def_ip, uint16_t def_port,
                        struct sockaddr_in *sin)
{
    const struct pd_expr *e = arg(c, i), *f;
    char why[200];
    int64_t v;

    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(def_ip);
    sin->sin_port = htons(def_port);
    if (!e)
        return argfail(c, "missing address", NULL);
    if (e->kind == PD_EX_ELLIPSIS)
        return 0;
    if (e->kind != PD_EX_STRUCT)
        return argfail(c, "an address is '...' or {sa_family=AF_INET, sin_port=htons(P), "
                       "sin_addr=inet_addr(\"A\")}", NULL);
    if ((f = field(e, "sin_port", NULL))) {
        if (pd_eval_int(f, &v, why, sizeof(why)))
            return argfail(c, "sin_port", why);
        sin->sin_port = (uint16_t)v;
    }
    if ((f = field(e, "sin_addr", NULL))) {
        if (pd_eval_int(f, &v, why, sizeof(why)))
            return argfail(c, "sin_addr", why);
        sin->sin_addr.s_addr = (uint32_t)v;
    }
    return 0;
}

static int len_arg(struct call *c, size_t i, socklen_t def, socklen_t *len)
{
    int64_t v;

    if (arg(c, i) && arg(c, i)->kind == PD_EX_ELLIPSIS) {
        *len = def;
        return 0;
    }
    if (int_arg(c, i, &v))
        return -1;
    *len = (socklen_t)v;
    return 0;
}

/* ---- the flows ----------------------------------------------------------------------------- */

static struct pd_flow *flow(struct pd_exec *x)
{
    return &x->flows[x->cur];
}

/* toe_flow(PORT) = 0: packet lines from now on are those of the script's side at remote port
 * PORT (a new flow the first time: a second client of the listener). OpenTOE's extension:
 * upstream has one socket under test at a time. */
static int sys_flow(struct call *c, long *r)
{
    struct pd_exec *x = c->x;
    int64_t port;
    size_t i;

    if (need_args(c, 1) || int_arg(c, 0, &port))
        return -1;
    if (port <= 0 || port > 65535)
        return argfail(c, "a port 1..65535", NULL);
    for (i = 0; i < x->n_flows; i++)
        if (x->flows[i].remote_port == port)
            break;
    if (i == x->n_flows) {
        if (x->n_flows == PD_FLOWS_MAX)
            return argfail(c, "too many flows", NULL);
        pd_flow_init(&x->flows[i]);
        x->flows[i].local_port = x->listen_port;
        x->flows[i].remote_port = (uint16_t)port;
        x->n_flows++;
    }
    x->cur = i;
    *r = 0;
    return 0;
}

/* ---- the calls ------------------------------------------------------------------------------- */

static int sys_socket(struct call *c, long *r)
{
    int64_t dom = AF_INET, type, proto;

    if (need_args(c, 3))
        return -1;
    if (arg(c, 0)->kind != PD_EX_ELLIPSIS && int_arg(c, 0, &dom))
        return -1;
    if (int_arg(c, 1, &type) || int_arg(c, 2, &proto))
        return -1;
    *r = toe_socket(c->x->ctx, (int)dom, (int)type, (int)proto);
    return 0;
}

static int sys_bind(struct call *c, long *r)
{
    struct sockaddr_in sin;
    socklen_t len;
    int fd;

    if (need_args(c, 3) || fd_arg(c, 0, &fd) ||
        sockaddr_arg(c, 1, flow(c->x)->local_ip, PD_BIND_PORT, &sin) ||
        len_arg(c, 2, sizeof(sin), &len))
        return -1;
    *r = toe_bind(c->x->ctx, fd, (struct sockaddr *)&sin, len);
    if (*r == 0) {
        int64_t s;
        struct pd_fdmap *m;

        int_arg(c, 0, &s);
        m = fd_find(c->x, (int)s);
        if (m)
            m->bound_port = ntohs(sin.sin_port);
    }
    return 0;
}

static int sys_listen(struct call *c, long *r)
{
    int64_t s, backlog;
    struct pd_fdmap *m;

    if (need_args(c, 2) || int_arg(c, 0, &s) || int_arg(c, 1, &backlog))
        return -1;
    *r = toe_listen(c->x->ctx, live_fd(c->x, s), (int)backlog);
    m = fd_find(c->x, (int)s);
    if (*r == 0 && m && m->bound_port) {
        c->x->listen_port = m->bound_port;
        /* a passive open: the TOE's port is the bound one (upstream --bind_port) */
        if (!flow(c->x)->local_isn_known)
            flow(c->x)->local_port = m->bound_port;
    }
    return 0;
}

static int sys_accept(struct call *c, long *r)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int64_t flags = 0;
    int fd;

    if ((strcmp(c->sc->name, "accept4") ? need_args(c, 3) : need_args(c, 4)) || fd_arg(c, 0, &fd))
        return -1;
    if (c->sc->n_args == 4 && int_arg(c, 3, &flags))
        return -1;
    *r = c->sc->n_args == 4 ? toe_accept4(c->x->ctx, fd, (struct sockaddr *)&sin, &len, (int)flags)
                            : toe_accept(c->x->ctx, fd, (struct sockaddr *)&sin, &len);
    return 0;
}

static int sys_connect(struct call *c, long *r)
{
    struct sockaddr_in sin;
    socklen_t len;
    int fd;

    if (need_args(c, 3) || fd_arg(c, 0, &fd) ||
        sockaddr_arg(c, 1, flow(c->x)->remote_ip, PD_CONNECT_PORT, &sin) ||
        len_arg(c, 2, sizeof(sin), &len))
        return -1;
    /* an active open: the remote side listens on 8080, the TOE picks its port */
    flow(c->x)->remote_port = ntohs(sin.sin_port);
    flow(c->x)->learn_local_port = true;
    *r = toe_connect(c->x->ctx, fd, (struct sockaddr *)&sin, len);
    return 0;
}

/* read/recv/write/send(fd, ..., len[, flags]): a buffer of zeros of LEN bytes. */
static int sys_io(struct call *c, long *r)
{
    bool has_flags = !strcmp(c->sc->name, "send") || !strcmp(c->sc->name, "recv");
    int64_t len, flags = 0;
    uint8_t *buf;
    int fd;

    if (need_args(c, has_flags ? 4 : 3) || fd_arg(c, 0, &fd) || int_arg(c, 2, &len))
        return -1;
    if (has_flags && int_arg(c, 3, &flags))
        return -1;
    if (arg(c, 1)->kind != PD_EX_ELLIPSIS)
        return argfail(c, "the buffer is written '...'", NULL);
    if (len < 0 || len > BUF_MAX)
        return argfail(c, "length 0..1048576", NULL);
    buf = calloc(1, (size_t)len + 1);
    if (!buf)
        return argfail(c, "out of memory", NULL);
    if (!strcmp(c->sc->name, "write"))
        *r = toe_write(c->x->ctx, fd, buf, (size_t)len);
    else if (!strcmp(c->sc->name, "send"))
        *r = toe_send(c->x->ctx, fd, buf, (size_t)len, (int)flags);
    else if (!strcmp(c->sc->name, "read"))
        *r = toe_read(c->x->ctx, fd, buf, (size_t)len);
    else
        *r = toe_recv(c->x->ctx, fd, buf, (size_t)len, (int)flags);
    free(buf);
    return 0;
}

static int sys_shutdown(struct call *c, long *r)
{
    int64_t how;
    int fd;

    if (need_args(c, 2) || fd_arg(c, 0, &fd) || int_arg(c, 1, &how))
        return -1;
    *r = toe_shutdown(c->x->ctx, fd, (int)how);
    return 0;
}

static int sys_close(struct call *c, long *r)
{
    int64_t s;

    if (need_args(c, 1) || int_arg(c, 0, &s))
        return -1;
    *r = toe_close(c->x->ctx, live_fd(c->x, s));
    if (*r == 0)
        fd_del(c->x, (int)s);
    return 0;
}

static int sys_fcntl(struct call *c, long *r)
{
    int64_t cmd, a = 0;
    int fd;

    if (c->sc->n_args < 2 || c->sc->n_args > 3)
        return argfail(c, "fcntl(fd, cmd[, arg])", NULL);
    if (fd_arg(c, 0, &fd) || int_arg(c, 1, &cmd) || (c->sc->n_args == 3 && int_arg(c, 2, &a)))
        return -1;
    *r = toe_fcntl(c->x->ctx, fd, (int)cmd, (int)a);
    return 0;
}

/* ---- options ------------------------------------------------------------------------------------- */

struct tcpi_field {
    const char *name;
    size_t off, size;
};

#define TI(f) { #f, offsetof(struct tcp_info, f), sizeof(((struct tcp_info *)0)->f) }

/* The part of struct tcp_info the TOE fills (toe_socket.h). */
static const struct tcpi_field tcpi_fields[] = {
    TI(tcpi_state), TI(tcpi_retransmits), TI(tcpi_backoff), TI(tcpi_options),
    TI(tcpi_rto), TI(tcpi_snd_mss), TI(tcpi_rcv_mss), TI(tcpi_unacked), TI(tcpi_rtt),
    TI(tcpi_rttvar), TI(tcpi_snd_cwnd), TI(tcpi_total_retrans),
};

static int64_t tcpi_get(const struct tcp_info *ti, const struct tcpi_field *f)
{
    const uint8_t *p = (const uint8_t *)ti + f->off;
    uint32_t v32;

    if (f->size == 1)
        return *p;
    memcpy(&v32, p, sizeof(v32));
    return v32;
}

static int sys_setsockopt(struct call *c, long *r)
{
    int64_t level, name, v;
    const struct pd_expr *val;
    struct linger lg;
    int iv;
    socklen_t len;
    const void *p = &iv;
    socklen_t natural = sizeof(iv);
    int fd;

    if (need_args(c, 5) || fd_arg(c, 0, &fd) || int_arg(c, 1, &level) || int_arg(c, 2, &name))
        return -1;
    val = arg(c, 3);
    if (val->kind == PD_EX_STRUCT) {
        /* struct linger; upstream writes {onoff=1, linger=0} */
        const struct pd_expr *on = field(val, "l_onoff", "onoff"), *lt = field(val, "l_linger", "linger");
        char why[200];
        int64_t a, b;

        if (!on || !lt)
            return argfail(c, "struct linger is {l_onoff=N, l_linger=N}", NULL);
        if (pd_eval_int(on, &a, why, sizeof(why)) || pd_eval_int(lt, &b, why, sizeof(why)))
            return argfail(c, "struct linger", why);
        lg.l_onoff = (int)a;
        lg.l_linger = (int)b;
        p = &lg;
        natural = sizeof(lg);
    } else {
        if (int_arg(c, 3, &v))
            return -1;
        iv = (int)v;
    }
    if (len_arg(c, 4, natural, &len))
        return -1;
    *r = toe_setsockopt(c->x->ctx, fd, (int)level, (int)name, p, len);
    return 0;
}

/* getsockopt(fd, level, name, [V] | {l_onoff=..} | {tcpi_state=..}, [LEN]): the values the
 * call wrote compared with the script's; `...` is not compared. */
static int sys_getsockopt(struct call *c, long *r)
{
    union {
        int i;
        struct linger lg;
        struct tcp_info ti;
    } u;
    int64_t level, name, want;
    const struct pd_expr *val, *lenx;
    socklen_t len;
    char why[200];
    int fd;

    if (need_args(c, 5) || fd_arg(c, 0, &fd) || int_arg(c, 1, &level) || int_arg(c, 2, &name))
        return -1;
    memset(&u, 0, sizeof(u));
    val = arg(c, 3);
    lenx = arg(c, 4);
    len = val->kind == PD_EX_STRUCT ? (field(val, "l_onoff", "onoff") ? sizeof(u.lg) : sizeof(u.ti))
                                    : sizeof(u.i);
    if (lenx->kind != PD_EX_ELLIPSIS) {
        int64_t l;

        if (int_arg(c, 4, &l))
            return -1;
        if (l < 0 || l > (int64_t)sizeof(u))
            return argfail(c, "bad length", NULL);
        len = (socklen_t)l;
        if (len < sizeof(u.i))
            len = val->kind == PD_EX_STRUCT ? sizeof(u.ti) : sizeof(u.i);
    }
    *r = toe_getsockopt(c->x->ctx, fd, (int)level, (int)name, &u, &len);
    if (*r != 0)
        return 0;
    if (val->kind == PD_EX_ARRAY && val->n_kids == 1 && val->kids[0]->kind != PD_EX_ELLIPSIS) {
        if (pd_eval_int(val->kids[0], &want, why, sizeof(why)))
            return argfail(c, "optval", why);
        if (u.i != want)
            return pd_fail(c->x, c->line, "getsockopt(): optval: expected [%lld], got [%d]",
                           (long long)want, u.i);
    } else if (val->kind == PD_EX_STRUCT && field(val, "l_onoff", "onoff")) {
        int64_t a, b;
        const struct pd_expr *lt = field(val, "l_linger", "linger");

        if (pd_eval_int(field(val, "l_onoff", "onoff"), &a, why, sizeof(why)) ||
            (lt && pd_eval_int(lt, &b, why, sizeof(why))))
            return argfail(c, "struct linger", why);
        if (u.lg.l_onoff != a || (lt && u.lg.l_linger != b))
            return pd_fail(c->x, c->line, "getsockopt(): expected {l_onoff=%lld, l_linger=%lld}, "
                           "got {l_onoff=%d, l_linger=%d}", (long long)a, lt ? (long long)b : 0LL,
                           u.lg.l_onoff, u.lg.l_linger);
    } else if (val->kind == PD_EX_STRUCT) {
        size_t k, j;

        for (k = 0; k < val->n_kids; k++) {
            const struct pd_expr *f = val->kids[k];

            for (j = 0; j < sizeof(tcpi_fields) / sizeof(tcpi_fields[0]); j++)
                if (f->kind == PD_EX_FIELD && !strcmp(f->name, tcpi_fields[j].name))
                    break;
            if (j == sizeof(tcpi_fields) / sizeof(tcpi_fields[0]))
                return argfail(c, "unknown struct field", f->kind == PD_EX_FIELD ? f->name : "?");
            if (f->kids[0]->kind == PD_EX_ELLIPSIS)
                continue;
            if (pd_eval_int(f->kids[0], &want, why, sizeof(why)))
                return argfail(c, f->name, why);
            if (tcpi_get(&u.ti, &tcpi_fields[j]) != want)
                return pd_fail(c->x, c->line, "getsockopt(): %s: expected %lld, got %lld", f->name,
                               (long long)want, (long long)tcpi_get(&u.ti, &tcpi_fields[j]));
        }
    }
    if (lenx->kind == PD_EX_ARRAY && lenx->n_kids == 1 && lenx->kids[0]->kind != PD_EX_ELLIPSIS) {
        if (pd_eval_int(lenx->kids[0], &want, why, sizeof(why)))
            return argfail(c, "optlen", why);
        if ((int64_t)len != want)
            return pd_fail(c->x, c->line, "getsockopt(): optlen: expected [%lld], got [%u]",
                           (long long)want, (unsigned)len);
    }
    return 0;
}

/* getsockname/getpeername(fd, ... | {sin_port=.., sin_addr=..}, ... | [LEN]) */
static int sys_name(struct call *c, long *r)
{
    struct sockaddr_in sin, want;
    socklen_t len = sizeof(sin);
    const struct pd_expr *e;
    int fd;

    if (need_args(c, 3) || fd_arg(c, 0, &fd))
        return -1;
    memset(&sin, 0, sizeof(sin));
    *r = !strcmp(c->sc->name, "getsockname") ? toe_getsockname(c->x->ctx, fd, (struct sockaddr *)&sin, &len)
                                             : toe_getpeername(c->x->ctx, fd, (struct sockaddr *)&sin, &len);
    e = arg(c, 1);
    if (*r != 0 || e->kind == PD_EX_ELLIPSIS)
        return 0;
    if (sockaddr_arg(c, 1, ntohl(sin.sin_addr.s_addr), ntohs(sin.sin_port), &want))
        return -1;
    if (want.sin_port != sin.sin_port || want.sin_addr.s_addr != sin.sin_addr.s_addr) {
        char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

        inet_ntop(AF_INET, &want.sin_addr, a, sizeof(a));
        inet_ntop(AF_INET, &sin.sin_addr, b, sizeof(b));
        return pd_fail(c->x, c->line, "%s(): expected %s:%u, got %s:%u", c->sc->name, a,
                       ntohs(want.sin_port), b, ntohs(sin.sin_port));
    }
    return 0;
}

/* poll([{fd=F, events=E, revents=R}, ...], N, TIMEOUT_MS) */
static int sys_poll(struct call *c, long *r)
{
    struct pollfd pf[16];
    int64_t want[16], n, tmo;
    const struct pd_expr *a;
    char why[200];
    size_t k;

    if (need_args(c, 3) || int_arg(c, 1, &n) || int_arg(c, 2, &tmo))
        return -1;
    a = arg(c, 0);
    if (a->kind != PD_EX_ARRAY || a->n_kids > 16)
        return argfail(c, "poll's first argument is [{fd=.., events=.., revents=..}, ...] (16 at most)", NULL);
    for (k = 0; k < a->n_kids; k++) {
        const struct pd_expr *fd = field(a->kids[k], "fd", NULL), *ev = field(a->kids[k], "events", NULL),
                             *rev = field(a->kids[k], "revents", NULL);
        int64_t v;

        if (!fd || !ev)
            return argfail(c, "each pollfd needs fd= and events=", NULL);
        if (pd_eval_int(fd, &v, why, sizeof(why)))
            return argfail(c, "fd", why);
        pf[k].fd = live_fd(c->x, v);
        if (pd_eval_int(ev, &v, why, sizeof(why)))
            return argfail(c, "events", why);
        pf[k].events = (short)v;
        pf[k].revents = 0;
        want[k] = -1;
        if (rev && rev->kind != PD_EX_ELLIPSIS && pd_eval_int(rev, &want[k], why, sizeof(why)))
            return argfail(c, "revents", why);
    }
    *r = toe_poll(c->x->ctx, pf, (nfds_t)n, (int)tmo);
    if (*r < 0)
        return 0;
    for (k = 0; k < a->n_kids; k++)
        if (want[k] >= 0 && pf[k].revents != want[k])
            return pd_fail(c->x, c->line, "poll(): fds[%zu].revents: expected 0x%llx, got 0x%x", k,
                           (unsigned long long)want[k], (unsigned)(unsigned short)pf[k].revents);
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(struct call *c, long *r);
} calls[] = {
    { "socket", sys_socket }, { "bind", sys_bind }, { "listen", sys_listen },
    { "accept", sys_accept }, { "accept4", sys_accept }, { "connect", sys_connect },
    { "read", sys_io }, { "write", sys_io }, { "send", sys_io }, { "recv", sys_io },
    { "shutdown", sys_shutdown }, { "close", sys_close }, { "fcntl", sys_fcntl },
    { "setsockopt", sys_setsockopt }, { "getsockopt", sys_getsockopt },
    { "getsockname", sys_name }, { "getpeername", sys_name }, { "poll", sys_poll },
    { "toe_flow", sys_flow },
};

static void result_text(char *buf, size_t n, long r, const char *ename, int e)
{
    if (r == -1 && ename)
        snprintf(buf, n, "-1 %s", ename);
    else if (r == -1 && e)
        snprintf(buf, n, "-1 %s", pd_errno_name(e) ? pd_errno_name(e) : "(errno?)");
    else
        snprintf(buf, n, "%ld", r);
}

int pd_syscall_event(struct pd_exec *x, size_t i)
{
    const struct pd_event *ev = &x->script->events[i];
    const struct pd_syscall *sc = &ev->u.sys;
    struct call c = { x, ev, sc, ev->line };
    int64_t end, t = pd_event_time(x, ev, &end);
    bool fd_result = !strcmp(sc->name, "socket") || !strcmp(sc->name, "accept") ||
                     !strcmp(sc->name, "accept4");
    bool ok;
    long r = 0;
    int e, want_e = 0;
    size_t k;
    char exp[64], got[64], text[400];

    x->done[i] = true;
    pd_advance_to(x, t);
    if (x->failed)
        return -1;
    if (x->opts->verbose) {
        pd_event_format(ev, text, sizeof(text));
        fprintf(stderr, "%.6f line %d: %s\n", (double)t / 1e6, ev->line, text);
    }
    for (k = 0; k < sizeof(calls) / sizeof(calls[0]); k++)
        if (!strcmp(calls[k].name, sc->name))
            break;
    if (k == sizeof(calls) / sizeof(calls[0]))
        return pd_fail(x, ev->line, "system call %s() is not supported", sc->name);
    if (sc->errno_name && (want_e = pd_errno_value(sc->errno_name)) < 0)
        return pd_fail(x, ev->line, "unknown errno name %s", sc->errno_name);

    x->call = ev->time.has_block ? PD_CALL_BLOCKING : PD_CALL_NONBLOCKING;
    x->call_event = i;
    x->call_end_usecs = end;
    x->call_tol_usecs = pd_tolerance_usecs(x->opts, end, t);
    x->blocked = false;
    errno = 0;
    if (calls[k].fn(&c, &r)) {
        x->call = PD_CALL_NONE;
        return -1;
    }
    e = r < 0 ? errno : 0;
    x->call = PD_CALL_NONE;
    if (x->failed)
        return -1;
    if (x->blocked)
        return pd_fail(x, ev->line, "%s() blocked, but the line expects it to return at once "
                       "(write TIME...END for a blocking call)", sc->name);
    result_text(exp, sizeof(exp), (long)sc->result, sc->errno_name, 0);
    result_text(got, sizeof(got), r, NULL, e);
    if (fd_result && sc->result >= 0)
        ok = r >= 0;
    else
        ok = r == sc->result && (r != -1 || !sc->errno_name || e == want_e);
    if (!ok)
        return pd_fail(x, ev->line, "%s(): expected = %s, got = %s", sc->name, exp, got);
    if (fd_result && r >= 0)
        fd_add(x, (int)sc->result, (int)r);
    if (ev->time.has_block) {
        int64_t now = pd_now_usecs(x);

        if (now < end - x->call_tol_usecs || now > end + x->call_tol_usecs)
            return pd_fail(x, ev->line, "timing error: expected %s() to return at %.6f sec but it "
                           "returned at %.6f sec; tolerance %.6f sec", sc->name, (double)end / 1e6,
                           (double)now / 1e6, (double)x->call_tol_usecs / 1e6);
        if (now > x->base_usecs)
            x->base_usecs = now;
        if (t > x->last_usecs)
            x->last_usecs = t;
    } else {
        x->base_usecs = pd_now_usecs(x);
        x->last_usecs = t;
    }
    return 0;
}
