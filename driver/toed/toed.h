/*
 * toed (docs/driver.md, "toed"): the driver of one device as a daemon - the
 * driver core attached, the stack on it, and the applications' sockets API
 * served over <dev_dir>/toed.sock (driver/client/toe_proto.h).
 *
 * Single-threaded: one loop polls the control sockets and steps the device
 * (toed_main.c); no call ever blocks it - a client's blocking call is parked
 * and retried after every step until it has its answer (toed_ops.c).
 */
#ifndef TOED_H
#define TOED_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "toe_proto.h"

struct toe_stack;
struct toe_ctx;
struct toe_drv;
struct toe_stack_drv;

/* Descriptor flags per client (toed_client.own). */
#define TOED_OWN 1u         /* the client made it */
#define TOED_NONBLOCK 2u    /* the client's O_NONBLOCK (the stack's sockets are all non-blocking) */

struct toed_client {
    int sock;
    uint32_t owner;                     /* the stack's owner id of its descriptors */
    int hello;                          /* HELLO done: the shared area is mapped */
    int memfd;                          /* received with HELLO, until mapped */
    uint8_t *shm;
    uint32_t shm_size;
    uint8_t rx[TOE_PROTO_MSG_MAX];      /* a request being read */
    size_t rx_len;
    uint8_t *tx;                        /* replies not yet written */
    size_t tx_len, tx_cap;
    /* The request being served (parked while its blocking call waits). */
    int busy;
    struct toe_proto_msg req;
    uint8_t pay[TOE_PROTO_PAYLOAD_MAX];
    uint32_t sent;                      /* SEND: bytes taken so far */
    uint64_t deadline_ns;               /* POLL: when its timeout ends (UINT64_MAX: never) */
    uint8_t *own;                       /* per descriptor: TOED_* */
    int gone;                           /* to be dropped */
};

struct toed_stats {
    uint64_t clients, clients_dropped, bad_requests, requests, parked;
};

struct toed {
    struct toe_stack *st;
    struct toe_ctx *ctx;                /* the stack's embedded context */
    struct toe_drv *drv;
    struct toe_stack_drv *sd;           /* the stack's glue to the driver (its counters) */
    unsigned max_fds;
    int verbose;
    uint32_t next_owner;
    struct toed_client **cl;
    unsigned ncl, capcl;
    struct pollfd *pfd;                 /* the loop's poll set (toed_main.c) */
    unsigned npfd;
    struct toed_stats stats;
};

/* toed_ops.c: serve c's request (c->req, c->pay). 1: answered (reply queued),
 * 0: parked (call again after the next step). */
int toed_serve(struct toed *t, struct toed_client *c);

/* toed_client.c */
void toed_reply(struct toed *t, struct toed_client *c, int64_t ret, int err, const void *pay, uint32_t plen);
/* Read what c sent, decode and serve requests. */
void toed_client_input(struct toed *t, struct toed_client *c);
/* Retry c's parked request. */
void toed_client_retry(struct toed *t, struct toed_client *c);
/* Write queued replies. */
void toed_client_flush(struct toed *t, struct toed_client *c);
struct toed_client *toed_client_new(struct toed *t, int sock);
/* Closes everything c owned (toe_stack_close_owner: FINs, S20) and frees it. */
void toed_client_free(struct toed *t, struct toed_client *c);
void toed_drop(struct toed *t, struct toed_client *c, const char *why);

/* toed_dump.c: DUMP and COUNTERS. */
void toed_dump(struct toed *t, struct toed_client *c);
void toed_counters(struct toed *t, struct toed_client *c);

void toed_log(const struct toed *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* TOED_H */
