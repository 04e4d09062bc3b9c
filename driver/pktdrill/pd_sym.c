/*
 * The names a system call line may use, with Linux's numbers (taken from the
 * C library's headers: the sockets API of driver/include/toe_socket.h uses
 * Linux's constants), and integer argument evaluation. Upstream keeps the same
 * table in symbols_linux.c; we list the calls the TOE implements.
 */
#define _GNU_SOURCE
#include "pd_run.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

struct sym {
    const char *name;
    int64_t value;
};

#define S(x) { #x, (int64_t)(x) }

static const struct sym syms[] = {
    S(AF_INET), S(PF_INET), S(AF_UNSPEC), S(SOCK_STREAM), S(SOCK_NONBLOCK), S(SOCK_CLOEXEC),
    S(IPPROTO_IP), S(IPPROTO_TCP), S(SOL_SOCKET), S(SOL_TCP), S(INADDR_ANY),
    S(SO_REUSEADDR), S(SO_REUSEPORT), S(SO_LINGER), S(SO_KEEPALIVE), S(SO_ERROR), S(SO_RCVBUF),
    S(SO_SNDBUF), S(SO_RCVLOWAT), S(SO_TYPE), S(SO_ACCEPTCONN),
    S(TCP_NODELAY), S(TCP_MAXSEG), S(TCP_KEEPIDLE), S(TCP_KEEPINTVL), S(TCP_KEEPCNT),
    S(TCP_INFO), S(TCP_CORK), S(TCP_QUICKACK), S(TCP_DEFER_ACCEPT), S(TCP_SYNCNT),
    S(TCP_LINGER2), S(TCP_USER_TIMEOUT),
    S(F_GETFL), S(F_SETFL), S(O_RDONLY), S(O_WRONLY), S(O_RDWR), S(O_NONBLOCK),
    S(SHUT_RD), S(SHUT_WR), S(SHUT_RDWR),
    S(POLLIN), S(POLLPRI), S(POLLOUT), S(POLLERR), S(POLLHUP), S(POLLNVAL), S(POLLRDHUP),
    S(POLLRDNORM), S(POLLWRNORM),
    S(MSG_OOB), S(MSG_PEEK), S(MSG_DONTWAIT), S(MSG_WAITALL), S(MSG_NOSIGNAL), S(MSG_MORE),
    S(MSG_TRUNC),
    /* tcpi_state values: Linux's numbering (include/net/tcp_states.h) */
    { "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 }, { "TCP_SYN_RECV", 3 },
    { "TCP_FIN_WAIT1", 4 }, { "TCP_FIN_WAIT2", 5 }, { "TCP_TIME_WAIT", 6 }, { "TCP_CLOSE", 7 },
    { "TCP_CLOSE_WAIT", 8 }, { "TCP_LAST_ACK", 9 }, { "TCP_LISTEN", 10 }, { "TCP_CLOSING", 11 },
};

/* The first name of a number wins when printing: EAGAIN before EWOULDBLOCK. */
static const struct sym errnos[] = {
    S(EPERM), S(ENOENT), S(EINTR), S(EIO), S(EBADF), S(EAGAIN), S(EWOULDBLOCK), S(ENOMEM),
    S(EACCES), S(EFAULT), S(EBUSY), S(EEXIST), S(EINVAL), S(ENFILE), S(EMFILE), S(ENOSPC),
    S(EPIPE), S(ERANGE), S(ENOTSOCK), S(EDESTADDRREQ), S(EMSGSIZE), S(EPROTOTYPE),
    S(ENOPROTOOPT), S(EPROTONOSUPPORT), S(ESOCKTNOSUPPORT), S(EOPNOTSUPP), S(ENOTSUP),
    S(EPFNOSUPPORT), S(EAFNOSUPPORT), S(EADDRINUSE), S(EADDRNOTAVAIL), S(ENETDOWN),
    S(ENETUNREACH), S(ENETRESET), S(ECONNABORTED), S(ECONNRESET), S(ENOBUFS), S(EISCONN),
    S(ENOTCONN), S(ESHUTDOWN), S(ETIMEDOUT), S(ECONNREFUSED), S(EHOSTDOWN), S(EHOSTUNREACH),
    S(EALREADY), S(EINPROGRESS),
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

int pd_errno_value(const char *name)
{
    size_t i;

    for (i = 0; name && i < N_OF(errnos); i++)
        if (!strcmp(errnos[i].name, name))
            return (int)errnos[i].value;
    return -1;
}

const char *pd_errno_name(int e)
{
    size_t i;

    for (i = 0; i < N_OF(errnos); i++)
        if (errnos[i].value == e)
            return errnos[i].name;
    return NULL;
}

bool pd_sym_value(const char *name, int64_t *val)
{
    size_t i;
    int e;

    for (i = 0; i < N_OF(syms); i++)
        if (!strcmp(syms[i].name, name)) {
            *val = syms[i].value;
            return true;
        }
    /* errno names stand for their numbers too: getsockopt(..., SO_ERROR, [ECONNREFUSED], ...) */
    e = pd_errno_value(name);
    if (e >= 0) {
        *val = e;
        return true;
    }
    return false;
}

static int fail(char *why, size_t n, const char *msg, const char *name)
{
    if (why && n)
        snprintf(why, n, "%s%s%s", msg, name ? ": " : "", name ? name : "");
    return -1;
}

int pd_eval_int(const struct pd_expr *e, int64_t *out, char *why, size_t n)
{
    int64_t a, b;
    struct in_addr ia;

    switch (e->kind) {
    case PD_EX_INT:
        *out = e->ival;
        return 0;
    case PD_EX_NAME:
        if (!pd_sym_value(e->name, out))
            return fail(why, n, "unknown symbol", e->name);
        return 0;
    case PD_EX_OR:
        if (pd_eval_int(e->kids[0], &a, why, n) || pd_eval_int(e->kids[1], &b, why, n))
            return -1;
        *out = a | b;
        return 0;
    case PD_EX_CALL:
        if (!strcmp(e->name, "inet_addr")) {
            if (e->n_kids != 1 || e->kids[0]->kind != PD_EX_STRING ||
                inet_pton(AF_INET, e->kids[0]->name, &ia) != 1)
                return fail(why, n, "inet_addr() takes one dotted-quad string", NULL);
            *out = (int64_t)ia.s_addr;      /* network order, as inet_addr(3) */
            return 0;
        }
        if (e->n_kids != 1 || pd_eval_int(e->kids[0], &a, why, n))
            return e->n_kids != 1 ? fail(why, n, "one argument expected by", e->name) : -1;
        if (!strcmp(e->name, "htons") || !strcmp(e->name, "ntohs")) {
            *out = htons((uint16_t)a);
            return 0;
        }
        if (!strcmp(e->name, "htonl") || !strcmp(e->name, "ntohl")) {
            *out = htonl((uint32_t)a);
            return 0;
        }
        return fail(why, n, "unknown function", e->name);
    case PD_EX_ELLIPSIS:
        return fail(why, n, "'...' where a number is needed", NULL);
    default:
        return fail(why, n, "not an integer expression", NULL);
    }
}
