/*
 * toed (docs/driver.md, "toed"): attach the device, start the stack on it,
 * serve applications on <dev_dir>/toed.sock until SIGINT or SIGTERM, then
 * close every connection properly and exit 0.
 *
 * The loop, and time. One thread; each turn polls the control sockets, then
 * runs one step of the device (toe_stack_drv_step to now + a quantum), then
 * retries the parked calls. The device's clock moves only in that step -
 * virtual time moves only when the driver waits - so the same loop serves
 * both of toe-sim's time modes:
 *   real time: the step is the loop's sleep (it ends early on an interrupt),
 *     the control sockets are polled without waiting;
 *   virtual time: the control sockets are polled with a wall-clock timeout
 *     (the loop's sleep), the step grants the device the quantum, so that
 *     virtual time runs at most about as fast as the wall clock.
 * After a turn that had work the loop goes again at once.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "toe_client.h"
#include "toe_dev_drv.h"
#include "toe_knobs.h"
#include "toe_pci.h"
#include "toe_stack.h"
#include "toe_stack_drv.h"
#include "toed.h"

#define QUANTUM_NS 1000000u          /* one step: at most 1 ms of device time */
#define IDLE_QUANTUM_NS 20000000u    /* real time, no client: 20 ms (interrupts end it early) */
#define SHUTDOWN_NS 2000000000ull    /* at most 2 s of device time for the closes to finish */
#define MAX_FDS 1024u

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig) { stop_sig = sig; }

static void usage(FILE *f)
{
    fputs("usage: toed --ip ADDR/PREFIX [options]\n"
          "  --pci-dir DIR       the sysfs tree the device is in (default $TOE_PCI_DIR or /sys/bus/pci)\n"
          "  --ip ADDR/PREFIX    the TOE's IPv4 address (required)\n"
          "  --gateway ADDR      the default gateway (default: none, every address on the link)\n"
          "  --mac MAC           the TOE's MAC (default 02:00 and the address's four bytes)\n"
          "  --config FILE       sysctl.conf-style knobs (docs/knobs.md)\n"
          "  --sysctl NAME=VALUE a knob, after the file (repeatable)\n"
          "  --seed N            secrets from N (0 or absent: random)\n"
          "  --no-offload        keep every connection in software\n"
          "  -v                  log clients and the shutdown\n"
          "  --help              this text\n"
          "Serves <dev_dir>/toed.sock until SIGINT or SIGTERM. Exit: 0, 1 error, 2 bad command line.\n",
          f);
}

struct opts {
    const char *pci_dir, *config;
    uint32_t ip, gw;
    unsigned prefix;
    int have_ip, have_mac, offload, verbose;
    uint8_t mac[6];
    uint64_t seed;
    struct toe_knobs knobs;
};

static int parse_ip(const char *s, uint32_t *ip, unsigned *prefix)
{
    char buf[64], *slash, *end;
    struct in_addr a;
    unsigned long p = 32;

    if (strlen(s) >= sizeof(buf))
        return -1;
    strcpy(buf, s);
    if ((slash = strchr(buf, '/'))) {
        *slash = '\0';
        p = strtoul(slash + 1, &end, 10);
        if (!slash[1] || *end || p > 32)
            return -1;
    } else if (prefix) {
        return -1;
    }
    if (inet_pton(AF_INET, buf, &a) != 1)
        return -1;
    *ip = ntohl(a.s_addr);
    if (prefix)
        *prefix = (unsigned)p;
    return 0;
}

/* 0, or the exit status: 2 for a bad command line (the message printed). */
static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option lo[] = {
        {"pci-dir", required_argument, 0, 'p'}, {"ip", required_argument, 0, 'i'},
        {"gateway", required_argument, 0, 'g'}, {"mac", required_argument, 0, 'm'},
        {"config", required_argument, 0, 'c'}, {"sysctl", required_argument, 0, 's'},
        {"seed", required_argument, 0, 'S'}, {"no-offload", no_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *sysctls[64];
    unsigned nsys = 0;
    char err[256], *end;
    int ch;

    memset(o, 0, sizeof(*o));
    o->offload = 1;
    o->pci_dir = getenv("TOE_PCI_DIR");
    toe_knobs_defaults(&o->knobs);
    while ((ch = getopt_long(argc, argv, "vh", lo, NULL)) != -1) {
        switch (ch) {
        case 'p': o->pci_dir = optarg; break;
        case 'i':
            if (parse_ip(optarg, &o->ip, &o->prefix)) {
                fprintf(stderr, "toed: --ip %s: not ADDR/PREFIX (e.g. 10.0.0.1/24)\n", optarg);
                return 2;
            }
            o->have_ip = 1;
            break;
        case 'g':
            if (parse_ip(optarg, &o->gw, NULL)) {
                fprintf(stderr, "toed: --gateway %s: not an IPv4 address\n", optarg);
                return 2;
            }
            break;
        case 'm':
            if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &o->mac[0], &o->mac[1], &o->mac[2], &o->mac[3],
                       &o->mac[4], &o->mac[5]) != 6) {
                fprintf(stderr, "toed: --mac %s: not xx:xx:xx:xx:xx:xx\n", optarg);
                return 2;
            }
            o->have_mac = 1;
            break;
        case 'c': o->config = optarg; break;
        case 's':
            if (nsys == sizeof(sysctls) / sizeof(sysctls[0])) {
                fprintf(stderr, "toed: more than 64 --sysctl\n");
                return 2;
            }
            sysctls[nsys++] = optarg;
            break;
        case 'S':
            errno = 0;
            o->seed = strtoull(optarg, &end, 0);
            if (!*optarg || *end || errno) {
                fprintf(stderr, "toed: --seed %s: not a number\n", optarg);
                return 2;
            }
            break;
        case 'n': o->offload = 0; break;
        case 'v': o->verbose = 1; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "toed: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!o->have_ip) {
        fprintf(stderr, "toed: --ip ADDR/PREFIX is required\n");
        return 2;
    }
    /* The file first, then the command line's assignments over it. */
    if (o->config && toe_knobs_load(&o->knobs, o->config, err, sizeof(err))) {
        fprintf(stderr, "toed: --config: %s\n", err);
        return 2;
    }
    for (unsigned i = 0; i < nsys; i++)
        if (toe_knobs_assign(&o->knobs, sysctls[i], err, sizeof(err))) {
            fprintf(stderr, "toed: --sysctl %s: %s\n", sysctls[i], err);
            return 2;
        }
    if (!o->have_mac) {
        o->mac[0] = 0x02;   /* locally administered, unicast */
        o->mac[1] = 0x00;
        for (int i = 0; i < 4; i++)
            o->mac[2 + i] = (uint8_t)(o->ip >> (24 - 8 * i));
    }
    return 0;
}

/* The control socket. A path some toed still answers on is refused (the
 * device is served); a stale one, left by a toed that died, is replaced. */
static int listen_at(const char *path)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (s < 0)
        return -1;
    if (!connect(s, (struct sockaddr *)&sun, sizeof(sun))) {
        fprintf(stderr, "toed: %s is served by another toed: the device has its driver\n", path);
        close(s);
        return -1;
    }
    close(s);
    unlink(path);
    s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)) || listen(s, 64)) {
        fprintf(stderr, "toed: %s: %s\n", path, strerror(errno));
        if (s >= 0)
            close(s);
        return -1;
    }
    return s;
}

static void accept_clients(struct toed *t, int ls)
{
    for (;;) {
        int s = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (s < 0)
            return;
        if (!toed_client_new(t, s)) {
            toed_log(t, "out of memory for a client");
            close(s);
        }
    }
}

/* The pollfd array: the listening socket, then one per client (grown as
 * clients come). NULL when out of memory. */
static struct pollfd *pollfds(struct toed *t, int ls)
{
    struct pollfd *p;

    if (t->ncl + 1 > t->npfd) {
        unsigned ncap = t->npfd ? t->npfd : 64;

        while (ncap < t->ncl + 1)
            ncap *= 2;
        if (!(p = realloc(t->pfd, ncap * sizeof(*p))))
            return NULL;
        t->pfd = p;
        t->npfd = ncap;
    }
    p = t->pfd;
    p[0] = (struct pollfd){.fd = ls, .events = POLLIN};
    for (unsigned i = 0; i < t->ncl; i++)
        p[1 + i] = (struct pollfd){.fd = t->cl[i]->sock,
                                   .events = (short)(POLLIN | (t->cl[i]->tx_len ? POLLOUT : 0))};
    return p;
}

/*
 * One turn of the loop (the header comment says why it is shaped so).
 * hot: the previous turn had requests - go round without sleeping. Returns
 * whether this one had any.
 */
static int turn(struct toed *t, struct toe_stack_drv *sd, int ls, int virt, int hot)
{
    struct pollfd *p = pollfds(t, ls);
    unsigned n = t->ncl + 1;
    uint64_t q = QUANTUM_NS;
    int work = 0;

    if (!p) {
        toed_log(t, "out of memory for the poll set: this turn serves nobody");
        n = 0;
    }
    /* Real time: never sleep here (the step sleeps). Virtual time: sleep
     * here unless there is work - parked calls included, which only the
     * device's time can end, so they need no hurry in wall time. */
    if (n && poll(p, n, virt && !hot ? 1 : 0) > 0) {
        unsigned ncl = t->ncl;   /* clients accepted now are polled next turn */

        for (unsigned i = 0; i < ncl; i++)
            if (p[1 + i].revents & (POLLIN | POLLHUP | POLLERR)) {
                toed_client_input(t, t->cl[i]);
                work = 1;
            }
        if (p[0].revents)
            accept_clients(t, ls);
    }
    if (!virt && !t->ncl)
        q = IDLE_QUANTUM_NS;
    if (work)
        q = 0;   /* requests came: answer them (and what they sent) before waiting */
    toe_stack_drv_step(sd, toe_drv_now_ns(t->drv) + q);
    for (unsigned i = 0; i < t->ncl; i++) {
        struct toed_client *c = t->cl[i];

        toed_client_retry(t, c);
        toed_client_flush(t, c);
    }
    for (unsigned i = 0; i < t->ncl;) {
        if (t->cl[i]->gone)
            toed_client_free(t, t->cl[i]);   /* the last one moves to i */
        else
            i++;
    }
    return work;
}

struct busy_count {
    unsigned n;
};

/* A connection still to finish at shutdown: one whose FIN is not out and
 * acknowledged yet. FIN_WAIT_2 and TIME_WAIT are through (what remains is
 * the peer's FIN and the wait, which end with toed); listeners close at once. */
static int count_busy(void *arg, const struct toe_conn_info *ci)
{
    struct busy_count *b = arg;

    switch (ci->state) {
    case TOE_TCP_FIN_WAIT2:
    case TOE_TCP_TIME_WAIT:
    case TOE_TCP_LISTEN:
    case TOE_TCP_CLOSE:
        break;
    default:
        b->n++;
    }
    return 0;
}

/* SIGINT/SIGTERM: every client's descriptors closed as close(2) would, then
 * the device runs until the closes are through (or 2 s of its time). */
static void shut_down(struct toed *t, struct toe_stack_drv *sd)
{
    uint64_t end;
    struct busy_count b;

    while (t->ncl)
        toed_client_free(t, t->cl[0]);
    end = toe_drv_now_ns(t->drv) + SHUTDOWN_NS;
    do {
        toe_stack_drv_step(sd, toe_drv_now_ns(t->drv) + QUANTUM_NS);
        b.n = 0;
        toe_stack_foreach(t->st, count_busy, &b);
    } while (b.n && toe_drv_now_ns(t->drv) < end && !toe_drv_gone(t->drv));
    if (t->verbose || b.n)
        toed_log(t, "shutdown: %u connection(s) still closing%s", b.n, b.n ? " after 2 s" : ": every FIN out and acknowledged");
}

/* toed never lets the stack wait: its sockets are non-blocking, so a call
 * that reached the wait anyway is a bug to end, not to hang the loop on. */
static int never_wait(void *arg, uint64_t deadline)
{
    (void)arg;
    (void)deadline;
    return -EWOULDBLOCK;
}

int main(int argc, char **argv)
{
    struct toe_drv_opts dopt = {0};
    struct toe_stack_cfg cfg = {0};
    struct toed t = {0};
    struct toe_stack_drv *sd;
    struct sigaction sa = {0};
    struct opts o;
    char err[512], path[PATH_MAX];
    int rc = parse(argc, argv, &o), ls, virt;

    if (rc)
        return rc;
    t.verbose = o.verbose;
    t.max_fds = MAX_FDS;
    if (toe_client_sock_path(o.pci_dir, path, sizeof(path), err, sizeof(err))) {
        fprintf(stderr, "toed: %s\n", err);
        return 1;
    }
    if ((ls = listen_at(path)) < 0)
        return 1;
    sd = toe_stack_drv_new();
    if (!sd) {
        fprintf(stderr, "toed: out of memory\n");
        return 1;
    }
    toe_stack_drv_callbacks(sd, &dopt);
    t.drv = toe_drv_attach(o.pci_dir, &dopt, err, sizeof(err));
    if (!t.drv) {
        fprintf(stderr, "toed: %s\n", err);
        unlink(path);
        return 1;
    }
    cfg.ip = o.ip;
    cfg.prefix_len = o.prefix;
    cfg.gateway = o.gw;
    memcpy(cfg.mac, o.mac, 6);
    cfg.knobs = &o.knobs;
    cfg.seed = o.seed;
    cfg.max_sockets = MAX_FDS;
    if (toe_stack_drv_start(sd, t.drv, &cfg, o.offload, err, sizeof(err))) {
        fprintf(stderr, "toed: %s\n", err);
        toe_stack_drv_free(sd);
        toe_drv_detach(t.drv);
        unlink(path);
        return 1;
    }
    toe_stack_drv_set_wait_hook(sd, never_wait, NULL);
    t.sd = sd;
    t.st = toe_stack_drv_stack(sd);
    t.ctx = toe_stack_ctx(t.st);
    virt = toe_drv_plat(t.drv)->time_mode != TIME_MODE_REAL;
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("toed: serving %s (%s time, offload %s)\n", path, virt ? "virtual" : "real", o.offload ? "on" : "off");
    fflush(stdout);
    for (int hot = 0; !stop_sig && !toe_drv_gone(t.drv);)
        hot = turn(&t, sd, ls, virt, hot);
    rc = 0;
    if (toe_drv_gone(t.drv)) {
        fprintf(stderr, "toed: %s\n", toe_drv_error(t.drv));
        rc = 1;
    }
    close(ls);
    unlink(path);
    shut_down(&t, sd);
    free(t.cl);
    free(t.pfd);
    toe_stack_drv_free(sd);
    toe_drv_detach(t.drv);
    if (t.verbose)
        toed_log(&t, "stopped by signal %d", (int)stop_sig);
    return rc;
}
