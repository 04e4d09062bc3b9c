/*
 * toe-packetdrill.so: the embedded TOE behind upstream packetdrill's
 * shared-object interface (packetdrill_iface.h; docs/packetdrill.md,
 * "Upstream packetdrill: toe-packetdrill.so"). This file: init and free,
 * the network device (raw IP in and out, Ethernet and ARP kept inside), the
 * virtual clock, and the hand-over between threads (toe_pdso.h). The socket
 * calls are pdso_calls.c.
 */
#include "toe_pdso.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toe_harness.h"
#include "toe_stack.h"

#define FINE_NS 20000ull           /* 20 us steps while the device may be sending (as pd_run.c) */
#define BUSY_NS 2000000ull         /* that long after an input, a timer or a frame */
#define RECV_SLICE_NS 100000000ull /* netdev_receive waits at most 100 ms of virtual time a call */
#define SPIN_NS 1000ull            /* each clock read right after another one: 1 us later */

#define PDSO_EXPORT __attribute__((visibility("default")))

/*
 * A call that parked, as its thread sees the clock: the first clock read of
 * that thread after the call reads the time the call returned. With a kernel
 * the woken thread reads the clock at once (run_system_call.c end_syscall),
 * while here the main thread, let go when the call returned, may have slept
 * on in virtual time before the woken thread gets the lock.
 */
static _Thread_local int tl_parked;
static _Thread_local const struct pdso *tl_returned_p;
static _Thread_local uint64_t tl_returned_ns;

static const uint8_t TOE_MAC[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t REMOTE_MAC[6] = {2, 0, 0, 0, 0, 2};

/* ---- the harness, under mu ------------------------------------------------------------ */

/* An ARP request from the TOE (RFC 826) for anything but itself: answered with
 * the remote's MAC after the current run, as toe-packetdrill's runner does. */
static void arp_request(struct pdso *p, const uint8_t *f, size_t len)
{
    uint8_t *r = p->arp_reply;
    uint32_t me = p->fl.local_ip;

    if (len < 42 || f[20] != 0 || f[21] != 1)
        return;
    if (!memcmp(f + 38, (uint8_t[4]){me >> 24, me >> 16, me >> 8, me}, 4))
        return;                                  /* gratuitous */
    memset(r, 0, 60);
    memcpy(r, f + 6, 6);
    memcpy(r + 6, REMOTE_MAC, 6);
    r[12] = 0x08, r[13] = 0x06;
    memcpy(r + 14, f + 14, 6);                   /* htype, ptype, hlen, plen */
    r[20] = 0, r[21] = 2;
    memcpy(r + 22, REMOTE_MAC, 6);
    memcpy(r + 28, f + 38, 4);
    memcpy(r + 32, f + 22, 6);
    memcpy(r + 38, f + 28, 4);
    p->arp_pending = 1;
}

static void frame_out(void *arg, const uint8_t *f, size_t len, uint64_t t_ns)
{
    struct pdso *p = arg;
    struct pdso_frame *q;

    p->busy_until_ns = t_ns + BUSY_NS;
    if (len < 14)
        return;
    if (f[12] == 0x08 && f[13] == 0x06) {
        arp_request(p, f, len);                  /* never handed up */
        return;
    }
    if (f[12] != 0x08 || f[13] != 0x00 || len > PDSO_FRAME_CAP)
        return;                                  /* IPv4 only, as packetdrill's so mode parses */
    if (p->q_len == PDSO_QUEUE) {
        if (!p->q_dropped++)
            fprintf(stderr, "toe-packetdrill.so: more than %d packets not taken by netdev_receive; "
                    "dropping the oldest\n", PDSO_QUEUE);
        p->q_head = (p->q_head + 1) % PDSO_QUEUE;
        p->q_len--;
    }
    q = &p->q[(p->q_head + p->q_len) % PDSO_QUEUE];
    q->t_ns = t_ns;
    q->len = (uint16_t)len;
    memcpy(q->data, f, len);
    p->q_len++;
}

static void run_to(struct pdso *p, uint64_t t_ns)
{
    if (t_ns > toe_harness_now_ns(p->h))
        toe_harness_run_until(p->h, t_ns);
    if (p->arp_pending) {
        p->arp_pending = 0;
        toe_harness_inject(p->h, p->arp_reply, 60);
        p->busy_until_ns = toe_harness_now_ns(p->h) + BUSY_NS;
    }
}

/* One step towards limit: finely while the device may be busy, else to the
 * stack's next timer (pd_run.c's step()). */
static void step(struct pdso *p, uint64_t limit)
{
    uint64_t now = toe_harness_now_ns(p->h), next;

    if (now >= limit)
        return;
    if (now < p->busy_until_ns) {
        next = now + FINE_NS;
    } else {
        next = toe_stack_next_timer(toe_harness_stack(p->h));
        if (next <= now)
            next = now + FINE_NS;
        else if (next < limit)
            p->busy_until_ns = next + BUSY_NS;   /* a timer: its frames follow */
    }
    run_to(p, next < limit ? next : limit);
}

/* ---- threads: toe_pdso.h ----------------------------------------------------------------- */

void pdso_enter(struct pdso *p, int sync)
{
    atomic_fetch_add(&p->want, 1);
    pthread_mutex_lock(&p->mu);
    atomic_fetch_sub(&p->want, 1);
    p->activity++;
    p->self_drive = 0;
    if (sync) {
        p->last_was_clock = 0;
        if (p->spin_ns) {
            uint64_t t = toe_harness_now_ns(p->h) + p->spin_ns;

            p->spin_ns = 0;
            run_to(p, t);
        }
    }
}

void pdso_leave(struct pdso *p)
{
    if (tl_parked) {
        tl_parked = 0;
        tl_returned_p = p;
        tl_returned_ns = toe_harness_now_ns(p->h);
    }
    /* A call that was parked and kicked ends here: its kicker may go on. */
    p->ack_seq = p->kick_seq;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void pdso_touched(struct pdso *p)
{
    p->busy_until_ns = toe_harness_now_ns(p->h) + BUSY_NS;
}

/* Time moved or a frame arrived: let a parked call look again, and wait
 * until it has returned or parked again. */
static void kick(struct pdso *p)
{
    if (!p->parked)
        return;
    p->kick_seq++;
    pthread_cond_broadcast(&p->cv);
    while (p->ack_seq != p->kick_seq)
        pthread_cond_wait(&p->cv, &p->mu);
}

static void step_kick(struct pdso *p, uint64_t limit)
{
    step(p, limit);
    kick(p);
}

/* A blocking socket call must wait (toe_harness_opts.wait_hook), with mu held. */
static int wait_hook(void *arg, uint64_t deadline)
{
    struct pdso *p = arg;
    uint64_t seq = p->kick_seq, act;
    struct timespec ts;
    int self = 0;

    tl_parked = 1;
    p->parked++;
    p->ack_seq = p->kick_seq;                    /* parked again: a kicker may go on */
    pthread_cond_broadcast(&p->cv);
    while (p->kick_seq == seq) {
        if (p->self_drive && !atomic_load(&p->want)) {
            self = 1;
            break;
        }
        act = p->activity;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += PDSO_IDLE_MS * 1000000l;
        ts.tv_sec += ts.tv_nsec / 1000000000l;
        ts.tv_nsec %= 1000000000l;
        if (pthread_cond_timedwait(&p->cv, &p->mu, &ts) == ETIMEDOUT && p->kick_seq == seq &&
            act == p->activity && !atomic_load(&p->want)) {
            /* nobody will drive the clock for us; unless nothing could ever
             * happen (no deadline, no timer, the device quiet) */
            uint64_t now = toe_harness_now_ns(p->h);

            if (deadline != UINT64_MAX || now < p->busy_until_ns ||
                toe_stack_next_timer(toe_harness_stack(p->h)) != UINT64_MAX)
                p->self_drive = 1;
        }
    }
    p->parked--;
    if (self)
        step(p, deadline);
    return 0;
}

/* ---- the table's network and clock members ------------------------------------------------- */

/* One IPv4 packet from packetdrill (so_netdev_send: from the IP header on). */
static int nd_send(void *u, const void *buf, size_t count)
{
    struct pdso *p = u;
    const uint8_t *ip = buf;
    uint8_t f[PDSO_FRAME_CAP];
    size_t n;
    int rc;

    if (!p) {
        errno = EINVAL;
        return -1;
    }
    if (count < 20 || (ip[0] >> 4) != 4) {
        errno = (count && (ip[0] >> 4) == 6) ? EAFNOSUPPORT : EINVAL;   /* IPv4 only */
        return -1;
    }
    if (count > sizeof(f) - 14) {
        errno = EMSGSIZE;
        return -1;
    }
    memcpy(f, TOE_MAC, 6);
    memcpy(f + 6, REMOTE_MAC, 6);
    f[12] = 0x08, f[13] = 0x00;
    memcpy(f + 14, buf, count);
    n = 14 + count;
    if (n < 60) {                                /* Ethernet's minimum */
        memset(f + n, 0, 60 - n);
        n = 60;
    }
    pdso_enter(p, 1);
    rc = toe_harness_inject(p->h, f, n);
    if (rc == 0) {
        /* through the device and the driver before packetdrill's next call,
         * as a kernel takes a packet written to its tun device */
        toe_harness_settle(p->h);
        run_to(p, 0);                            /* the ARP answer, if one was asked for */
        pdso_touched(p);
        kick(p);
    }
    pdso_leave(p);
    if (rc) {
        errno = -rc;
        return -1;
    }
    return 0;
}

/* The next IPv4 packet the TOE sent. Nothing queued: the clock runs on (at
 * most RECV_SLICE_NS this call), and still nothing gives -1 with *count 0 -
 * upstream's so_netdev_receive then calls again, so this blocks in effect,
 * as a packet socket would; 0 with *count 0 would end the run
 * (parse_packet of an empty buffer). */
static int nd_receive(void *u, void *buf, size_t *count, long long *time_usecs)
{
    struct pdso *p = u;
    struct pdso_frame *q;
    uint64_t lim;
    size_t n;

    if (!p || !buf || !count || !time_usecs) {
        errno = EINVAL;
        return -1;
    }
    pdso_enter(p, 1);
    lim = toe_harness_now_ns(p->h) + RECV_SLICE_NS;
    while (!p->q_len && toe_harness_now_ns(p->h) < lim)
        step_kick(p, lim);
    if (!p->q_len) {
        pdso_leave(p);
        *count = 0;
        errno = EAGAIN;
        return -1;
    }
    q = &p->q[p->q_head];
    p->q_head = (p->q_head + 1) % PDSO_QUEUE;
    p->q_len--;
    /* the IP packet: no Ethernet header, no padding past its total length */
    n = q->len - 14u;
    if (n >= 4) {
        size_t tot = (size_t)q->data[16] << 8 | q->data[17];

        if (tot >= 20 && tot < n)
            n = tot;
    }
    if (n > *count)
        n = *count;
    memcpy(buf, q->data + 14, n);
    *count = n;
    *time_usecs = PDSO_EPOCH_USECS + (long long)(q->t_ns / 1000u);
    pdso_leave(p);
    return 0;
}

static int clk_usleep(void *u, useconds_t usec)
{
    struct pdso *p = u;
    uint64_t t;

    if (!p) {
        errno = EINVAL;
        return -1;
    }
    pdso_enter(p, 1);
    t = toe_harness_now_ns(p->h) + (uint64_t)usec * 1000u;
    while (toe_harness_now_ns(p->h) < t)
        step_kick(p, t);
    pdso_leave(p);
    return 0;
}

/* The virtual clock. A read right after another read (a spin: run.c's
 * wait_for_event spins on the clock for its last MAX_SPIN_USECS, and
 * schedule_start_time_usecs spins for jiffies) finds the clock 1 us later,
 * else the spin would never end; the harness catches up at the next other
 * call. Any other call in between: the read is exact. */
static int clk_gettimeofday(void *u, struct timeval *tv, struct timezone *tz)
{
    struct pdso *p = u;
    uint64_t us;

    if (!p || !tv) {
        errno = p ? EFAULT : EINVAL;
        return -1;
    }
    pdso_enter(p, 0);
    if (tl_returned_p == p) {
        tl_returned_p = NULL;                    /* right after a call that parked */
        us = tl_returned_ns / 1000u + (uint64_t)PDSO_EPOCH_USECS;
    } else {
        if (p->last_was_clock)
            p->spin_ns += SPIN_NS;
        p->last_was_clock = 1;
        us = (toe_harness_now_ns(p->h) + p->spin_ns) / 1000u + (uint64_t)PDSO_EPOCH_USECS;
    }
    pdso_leave(p);
    tv->tv_sec = (time_t)(us / 1000000u);
    tv->tv_usec = (suseconds_t)(us % 1000000u);
    if (tz)
        memset(tz, 0, sizeof(*tz));
    return 0;
}

/* ---- init and free ------------------------------------------------------------------------ */

static void pdso_free(void *u)
{
    struct pdso *p = u;

    if (!p)
        return;
    toe_harness_close(p->h);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->q);
    free(p);
}

static struct pdso *pdso_new(const char *flags, char *err, size_t errlen)
{
    struct pdso *p = calloc(1, sizeof(*p));
    struct toe_harness_opts ho = {0};
    pthread_condattr_t ca;

    if (!p || !(p->q = calloc(PDSO_QUEUE, sizeof(*p->q)))) {
        free(p);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (pdso_flags_parse(flags, &p->fl, err, errlen)) {
        free(p->q), free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&p->want, 0);

    ho.backend = p->fl.backend;
    ho.ip = p->fl.local_ip;
    ho.prefix_len = p->fl.prefix_len;
    memcpy(ho.mac, TOE_MAC, 6);
    ho.knobs = &p->fl.knobs;
    ho.seed = p->fl.seed;
    ho.pcap = p->fl.pcap[0] ? p->fl.pcap : NULL;
    ho.frame_out = frame_out;
    ho.wait_hook = wait_hook;
    ho.arg = p;
    p->h = toe_harness_open(&ho, err, errlen);
    if (!p->h) {
        pdso_free(p);
        return NULL;
    }
    p->ctx = toe_harness_ctx(p->h);
    /* the script's side: a static neighbour, no ARP in the middle of a run */
    if (toe_stack_neigh_add(toe_harness_stack(p->h), p->fl.remote_ip, REMOTE_MAC)) {
        snprintf(err, errlen, "cannot add the remote address as a neighbour");
        pdso_free(p);
        return NULL;
    }
    return p;
}

/*
 * Upstream's init returns nothing (packetdrill_interface_init_t): on a bad
 * flags string we say why on stderr, leave userdata NULL and fill the table
 * all the same, with members that fail (-1, EINVAL) for a NULL userdata -
 * upstream then stops at its first clock read (run.c now_usecs:
 * die_perror("gettimeofday")) instead of calling through a NULL pointer.
 */
PDSO_EXPORT void packetdrill_interface_init(const char *flags, struct packetdrill_interface *ifc)
{
    char err[512];

    memset(ifc, 0, sizeof(*ifc));
    pdso_fill_calls(ifc);
    ifc->free = pdso_free;
    ifc->netdev_send = nd_send;
    ifc->netdev_receive = nd_receive;
    ifc->usleep = clk_usleep;
    ifc->gettimeofday = clk_gettimeofday;
    err[0] = '\0';
    ifc->userdata = pdso_new(flags, err, sizeof(err));
    if (!ifc->userdata)
        fprintf(stderr, "toe-packetdrill.so: %s\n", err);
}
