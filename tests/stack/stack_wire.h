/*
 * Two stacks on one simulated Ethernet segment, in virtual time, for the
 * stack's unit tests: frames take WIRE_DELAY_NS, a filter can drop them, and
 * a wait moves the clock to the next frame or timer - whichever comes first.
 */
#ifndef STACK_WIRE_H
#define STACK_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_socket.h"
#include "toe_stack.h"

#define WIRE_DELAY_NS 100000ull     /* 100 us one way */
#define WIRE_MAX_FRAMES 4096
#define IP_A 0xC0A80001u            /* 192.168.0.1 */
#define IP_B 0xC0A80002u            /* 192.168.0.2 */

struct wire_frame {
    uint64_t at;
    int to;                         /* 0: A, 1: B */
    size_t len;
    uint8_t data[1600];
};

/* A sent frame as the log keeps it. */
struct wire_log {
    uint64_t t;
    int from;
    uint8_t flags;
    uint32_t seq, ack;
    uint16_t win;
    uint32_t len;
};

struct wire {
    uint64_t now;
    struct toe_stack *st[2];
    struct toe_ctx *c[2];
    struct wire_frame *q;
    size_t nq;
    /* drop(arg, from, frame, len) nonzero: the frame is lost */
    int (*drop)(void *arg, int from, const uint8_t *f, size_t len);
    void *drop_arg;
    struct wire_log log[WIRE_MAX_FRAMES];
    size_t nlog;
};

/* Both stacks, knobs for each (NULL: defaults). */
void wire_init(struct wire *w, const struct toe_knobs *ka, const struct toe_knobs *kb, uint64_t seed);
void wire_free(struct wire *w);
/* Run until the clock reads t. */
void wire_run_until(struct wire *w, uint64_t t);
void wire_run_for(struct wire *w, uint64_t dt);
/* The state of the connection with local port lport on side s, 0 if none. */
int wire_state(struct wire *w, int s, uint16_t lport, uint16_t rport);
/* How many connections side s has in state. */
int wire_count(struct wire *w, int s, int state);
struct sockaddr_in wire_addr(uint32_t ip, uint16_t port);

#endif
