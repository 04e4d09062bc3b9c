/* The two-stack wire of the stack's unit tests (stack_wire.h). */
#include "stack_wire.h"

#include <stdlib.h>
#include <string.h>

#include "toe_pkt.h"

struct side {
    struct wire *w;
    int i;
};

static struct side sides[2];

static uint64_t now_ns(void *arg) { return ((struct side *)arg)->w->now; }

static int output(void *arg, const uint8_t *f, size_t len)
{
    struct side *s = arg;
    struct wire *w = s->w;

    if (w->nlog < WIRE_MAX_FRAMES && len >= 54 && toe_get16(f + 12) == 0x0800 && f[23] == 6) {
        const uint8_t *t = f + 14 + (size_t)(f[14] & 15) * 4;
        struct wire_log *l = &w->log[w->nlog++];

        l->t = w->now;
        l->from = s->i;
        l->flags = t[13];
        l->seq = toe_get32(t + 4);
        l->ack = toe_get32(t + 8);
        l->win = toe_get16(t + 14);
        l->len = (uint32_t)(toe_get16(f + 16) - (size_t)(f[14] & 15) * 4 - (size_t)(t[12] >> 4) * 4);
    }
    if (w->drop && w->drop(w->drop_arg, s->i, f, len))
        return 0;
    if (w->nq == WIRE_MAX_FRAMES || len > sizeof(w->q[0].data))
        return -1;
    w->q[w->nq].at = w->now + WIRE_DELAY_NS;
    w->q[w->nq].to = !s->i;
    w->q[w->nq].len = len;
    memcpy(w->q[w->nq].data, f, len);
    w->nq++;
    return 0;
}

static uint64_t next_event(struct wire *w)
{
    uint64_t t = UINT64_MAX;

    for (size_t i = 0; i < w->nq; i++)
        if (w->q[i].at < t)
            t = w->q[i].at;
    for (int s = 0; s < 2; s++) {
        uint64_t n = toe_stack_next_timer(w->st[s]);

        if (n < t)
            t = n;
    }
    return t;
}

/* Deliver what is due at now, in order of arrival; then the timers. */
static void step(struct wire *w)
{
    for (;;) {
        size_t best = SIZE_MAX;

        for (size_t i = 0; i < w->nq; i++)
            if (w->q[i].at <= w->now && (best == SIZE_MAX || w->q[i].at < w->q[best].at))
                best = i;
        if (best == SIZE_MAX)
            break;
        {
            struct wire_frame f = w->q[best];

            memmove(&w->q[best], &w->q[best + 1], (w->nq - best - 1) * sizeof(w->q[0]));
            w->nq--;
            toe_stack_input(w->st[f.to], f.data, f.len);
        }
    }
    toe_stack_timers(w->st[0]);
    toe_stack_timers(w->st[1]);
}

void wire_run_until(struct wire *w, uint64_t t)
{
    for (;;) {
        uint64_t n = next_event(w);

        step(w);
        n = next_event(w);
        if (n > t)
            break;
        if (n > w->now)
            w->now = n;
    }
    if (t > w->now)
        w->now = t;
    step(w);
}

void wire_run_for(struct wire *w, uint64_t dt) { wire_run_until(w, w->now + dt); }

/* A blocking call's wait: the next event, or the deadline. */
static int wait_fn(void *arg, uint64_t deadline)
{
    struct side *s = arg;
    struct wire *w = s->w;
    uint64_t n = next_event(w);

    if (n == UINT64_MAX && deadline == UINT64_MAX)
        return -1;   /* nothing can ever happen: the call would hang */
    wire_run_until(w, n < deadline ? (n > w->now ? n : w->now) : deadline);
    return 0;
}

void wire_init(struct wire *w, const struct toe_knobs *ka, const struct toe_knobs *kb, uint64_t seed)
{
    static const uint8_t mac[2][6] = {{2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2}};
    char err[128];

    memset(w, 0, sizeof(*w));
    w->now = 1000000000ull;
    w->q = calloc(WIRE_MAX_FRAMES, sizeof(*w->q));
    for (int i = 0; i < 2; i++) {
        struct toe_stack_cfg cfg = {.ip = i ? IP_B : IP_A, .prefix_len = 24, .knobs = i ? kb : ka,
                                    .seed = seed + (uint64_t)i + 1, .max_sockets = 64, .max_conns = 256};
        struct toe_netif_ops ops = {.output = output, .now_ns = now_ns, .wait = wait_fn, .arg = &sides[i]};

        memcpy(cfg.mac, mac[i], 6);
        sides[i] = (struct side){.w = w, .i = i};
        w->st[i] = toe_stack_new(&cfg, &ops, err, sizeof(err));
        w->c[i] = toe_stack_ctx(w->st[i]);
        toe_stack_neigh_add(w->st[i], i ? IP_A : IP_B, mac[!i]);
    }
}

void wire_free(struct wire *w)
{
    toe_stack_free(w->st[0]);
    toe_stack_free(w->st[1]);
    free(w->q);
}

struct find {
    uint16_t lport, rport;
    int state, count, want;
};

static int find_fn(void *arg, const struct toe_conn_info *ci)
{
    struct find *f = arg;

    if (f->want) {
        if (ci->state == f->want)
            f->count++;
        return 0;
    }
    if (ci->state != TOE_TCP_LISTEN && ci->lport == f->lport && ci->rport == f->rport) {
        f->state = ci->state;
        return 1;
    }
    return 0;
}

int wire_state(struct wire *w, int s, uint16_t lport, uint16_t rport)
{
    struct find f = {.lport = lport, .rport = rport};

    toe_stack_foreach(w->st[s], find_fn, &f);
    return f.state;
}

int wire_count(struct wire *w, int s, int state)
{
    struct find f = {.want = state};

    toe_stack_foreach(w->st[s], find_fn, &f);
    return f.count;
}

struct sockaddr_in wire_addr(uint32_t ip, uint16_t port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(ip)};

    return a;
}
