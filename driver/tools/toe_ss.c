/*
 * toe-ss (docs/api.md, "toe-ss"): the TOE's sockets as `ss -tan -o -i`,
 * `ss -s` and `nstat -az` print the kernel's - asked of the toed serving the
 * device (DUMP, COUNTERS over its control socket), so it shows what the
 * stack inside toed has: TIME_WAIT, orphans and all.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "toe_client.h"
#include "toe_proto.h"
#include "toe_stack.h"

static int connect_toed(const char *pci_dir)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    char path[PATH_MAX], err[512];
    int s;

    if (toe_client_sock_path(pci_dir, path, sizeof(path), err, sizeof(err))) {
        fprintf(stderr, "toe-ss: %s\n", err);
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&sun, sizeof(sun))) {
        fprintf(stderr, "toe-ss: %s: %s (is toed running?)\n", path, strerror(errno));
        return -1;
    }
    return s;
}

/* Sends op, calls fn for each record until the end reply. 0 or -1. */
static int ask(int s, unsigned op, int (*fn)(void *arg, const uint8_t *p, uint32_t n), void *arg)
{
    struct toe_proto_msg m;
    uint8_t buf[TOE_PROTO_MSG_MAX];
    const char *why = "toed closed the connection";

    memset(&m, 0, sizeof(m));
    m.magic = TOE_PROTO_REQ_MAGIC;
    m.version = TOE_PROTO_VERSION;
    m.op = (uint16_t)op;
    m.seq = 1;
    m.fd = -1;
    toe_proto_encode(&m, buf);
    if (write(s, buf, TOE_PROTO_HDR_LEN) != (ssize_t)TOE_PROTO_HDR_LEN)
        goto bad;
    for (;;) {
        if (toe_proto_read_all(s, buf, TOE_PROTO_HDR_LEN) || toe_proto_decode(buf, TOE_PROTO_HDR_LEN, 1, &m, &why) < 0 ||
            toe_proto_read_all(s, buf + TOE_PROTO_HDR_LEN, m.plen))
            goto bad;
        if (m.op != op || m.ret < 0) {
            why = m.ret < 0 ? strerror(m.err) : "a reply to another request";
            goto bad;
        }
        if (m.ret == 0)
            return 0;
        if (fn(arg, buf + TOE_PROTO_HDR_LEN, m.plen)) {
            why = "a malformed record";
            goto bad;
        }
    }
bad:
    fprintf(stderr, "toe-ss: %s: %s\n", toe_proto_op_name(op), why);
    return -1;
}

struct conns {
    struct toe_proto_conn *v;
    size_t n, cap;
};

static int add_conn(void *arg, const uint8_t *p, uint32_t n)
{
    struct conns *c = arg;

    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        struct toe_proto_conn *v = realloc(c->v, cap * sizeof(*v));

        if (!v)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    return toe_proto_conn_decode(p, n, &c->v[c->n++]);
}

static void addr_port(char *out, size_t n, uint32_t ip, uint16_t port, int any_port)
{
    struct in_addr a = {.s_addr = htonl(ip)};
    char ipbuf[INET_ADDRSTRLEN];

    inet_ntop(AF_INET, &a, ipbuf, sizeof(ipbuf));
    if (any_port && !port)
        snprintf(out, n, "%s:*", ipbuf);
    else
        snprintf(out, n, "%s:%u", ipbuf, port);
}

/* ss's print_ms_timer: 1200 ms is "1.200ms", 59 s "59sec", 2 min "2min". */
static void ms_timer(char *out, size_t n, uint64_t ms)
{
    unsigned secs = (unsigned)(ms / 1000), minutes = secs / 60, msecs = (unsigned)(ms % 1000);
    size_t k = 0;

    out[0] = '\0';
    secs %= 60;
    if (minutes) {
        msecs = 0;
        k += (size_t)snprintf(out + k, n - k, "%umin", minutes);
        if (minutes > 9)
            secs = 0;
    }
    if (secs && k < n) {
        if (secs > 9)
            msecs = 0;
        k += (size_t)snprintf(out + k, n - k, "%u%s", secs, msecs ? "." : "sec");
    }
    if (msecs && k < n)
        snprintf(out + k, n - k, "%03ums", msecs);
    if (!out[0])
        snprintf(out, n, "0ms");
}

static void print_conn(const struct toe_proto_conn *c, int info)
{
    static const char *const kinds[] = {"", "on", "keepalive", "timewait", "persist"};
    char l[40], r[40], tm[32];

    addr_port(l, sizeof(l), c->laddr, c->lport, 1);
    if (c->state == TOE_TCP_LISTEN)
        snprintf(r, sizeof(r), "0.0.0.0:*");
    else
        addr_port(r, sizeof(r), c->raddr, c->rport, 0);
    printf("%-11s %-6u %-6u %-22s %-22s", toe_tcp_state_ss_name(c->state), c->recv_q, c->send_q, l, r);
    if (c->timer > 0 && c->timer < (int)(sizeof(kinds) / sizeof(kinds[0]))) {
        ms_timer(tm, sizeof(tm), c->timer_left_ns / 1000000u);
        printf(" timer:(%s,%s,%u)", kinds[c->timer], tm, c->retrans);
    }
    printf("\n");
    if (!info || c->state == TOE_TCP_LISTEN || c->state == TOE_TCP_TIME_WAIT)
        return;
    printf("\t");
    if (c->ts)
        printf(" ts");
    if (c->sack)
        printf(" sack");
    if (c->snd_wscale >= 0)
        printf(" wscale:%d,%d", c->snd_wscale, c->rcv_wscale);
    printf(" rto:%g rtt:%g/%g mss:%u rcvmss:%u cwnd:%u", c->rto_us / 1000.0, c->rtt_us / 1000.0,
           c->rttvar_us / 1000.0, c->snd_mss, c->rcv_mss, c->cwnd);
    if (c->ssthresh != UINT32_MAX)
        printf(" ssthresh:%u", c->ssthresh);
    if (c->orphan)
        printf(" orphan");
    printf("%s\n", c->offloaded ? " offloaded" : "");
}

/* ss -s: the TCP line as ss prints it, then every state on a line of its own. */
static void summary(const struct conns *cs)
{
    unsigned st[TOE_TCP_NSTATES] = {0}, orphans = 0, total = 0;

    for (size_t i = 0; i < cs->n; i++) {
        if (cs->v[i].state > 0 && cs->v[i].state < TOE_TCP_NSTATES)
            st[cs->v[i].state]++;
        /* As Linux counts orphans: not TIME_WAIT (timewait sockets are counted apart). */
        orphans += cs->v[i].orphan && cs->v[i].state != TOE_TCP_TIME_WAIT;
        total++;
    }
    printf("Total: %u\n", total);
    printf("TCP:   %u (estab %u, closed %u, orphaned %u, synrecv %u, timewait %u/0)\n", total,
           st[TOE_TCP_ESTABLISHED], st[TOE_TCP_CLOSE], orphans, st[TOE_TCP_SYN_RECV], st[TOE_TCP_TIME_WAIT]);
    printf("\nTransport Total\nTCP       %u\n\n", total);
    for (int s = 1; s < TOE_TCP_NSTATES; s++)
        printf("%-11s %u\n", toe_tcp_state_ss_name(s), st[s]);
}

static int print_counter(void *arg, const uint8_t *p, uint32_t n)
{
    char name[TOE_PROTO_NAME_MAX + 1];
    uint64_t v;

    (void)arg;
    if (toe_proto_counter_decode(p, n, name, &v))
        return -1;
    printf("%-32s%-16" PRIu64 "%6.1f\n", name, v, 0.0);
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: toe-ss [-tan] [-o] [-i] [-s] [-N|--nstat] [--pci-dir DIR]\n"
          "  (default) every socket as ss -tan -o: state, queues, addresses, timer\n"
          "  -i        with ss -i's line: ts sack wscale rto rtt mss rcvmss cwnd offloaded\n"
          "  -s        counts per state, as ss -s\n"
          "  -N, --nstat  the MIB counters, as nstat -az\n"
          "  -t -a -n -o  accepted (always so)\n"
          "  --pci-dir DIR  the device's sysfs tree (default $TOE_PCI_DIR or /sys/bus/pci)\n",
          f);
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"pci-dir", required_argument, 0, 'p'}, {"nstat", no_argument, 0, 'N'},
        {"summary", no_argument, 0, 's'}, {"info", no_argument, 0, 'i'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *pci_dir = NULL;
    int ch, info = 0, sum = 0, nstat = 0, s, rc;
    struct conns cs = {0};

    while ((ch = getopt_long(argc, argv, "tanoisNh", lo, NULL)) != -1) {
        switch (ch) {
        case 'p': pci_dir = optarg; break;
        case 'N': nstat = 1; break;
        case 's': sum = 1; break;
        case 'i': info = 1; break;
        case 't': case 'a': case 'n': case 'o': break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    if ((s = connect_toed(pci_dir)) < 0)
        return 1;
    if (nstat) {
        printf("#kernel\n");
        rc = ask(s, TOE_OP_COUNTERS, print_counter, NULL);
    } else {
        rc = ask(s, TOE_OP_DUMP, add_conn, &cs);
        if (!rc && sum) {
            summary(&cs);
        } else if (!rc) {
            printf("%-11s %-6s %-6s %-22s %-22s\n", "State", "Recv-Q", "Send-Q", "Local Address:Port",
                   "Peer Address:Port");
            for (size_t i = 0; i < cs.n; i++)
                print_conn(&cs.v[i], info);
        }
    }
    free(cs.v);
    close(s);
    return rc ? 1 : 0;
}
