/*
 * The embedded TOE (docs/tcp.md, "Embedded runs"): the device (model or RTL)
 * and its firmware in this process (sim/local), the driver core attached to
 * it, and the TCP stack over the driver - one single-threaded machine in
 * deterministic virtual time, for tests, toe-packetdrill and benchmarks.
 *
 * The device's Ethernet port is the caller's: frames it sends reach frame_out
 * with their virtual time; frames given to toe_harness_inject() arrive at the
 * port at the current time. Time moves only in toe_harness_run_until() and in
 * blocking socket calls (through wait_hook when one is set).
 */
#ifndef TOE_HARNESS_H
#define TOE_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "toe_knobs.h"

struct toe_harness;
struct toe_ctx;
struct toe_stack;

struct toe_harness_opts {
    const char *backend;            /* "model" (default) or "rtl" */
    uint32_t ip;                    /* the TOE's IPv4 address, host order */
    unsigned prefix_len;
    uint8_t mac[6];
    const struct toe_knobs *knobs;  /* NULL: Linux's defaults */
    uint64_t seed;                  /* secrets (ISN, cookies, ports); 0 is a seed too */
    uint32_t conn_max;              /* hardware table entries; 0: the device's default */
    const char *pcap;               /* NULL: none; else every frame in and out */
    int no_offload;                 /* 1: connections stay in software (no hardware table) */
    unsigned max_sockets, max_conns; /* the stack's tables (0: its defaults) */
    uint64_t dma_size;              /* the device's DMA memory (0: 64 MiB): a receive ring per offloaded connection */
    /* A frame out of the TOE's port, t_ns the time its last byte left. */
    void (*frame_out)(void *arg, const uint8_t *frame, size_t len, uint64_t t_ns);
    /*
     * Optional: a blocking socket call that has to wait calls this instead of
     * running the machine itself. It must move time forward (at most to
     * deadline_ns, UINT64_MAX: no deadline) with toe_harness_run_until() -
     * injecting whatever is due meanwhile - and return 0; any other return
     * ends the call with EINTR.
     */
    int (*wait_hook)(void *arg, uint64_t deadline_ns);
    void *arg;
};

struct toe_harness *toe_harness_open(const struct toe_harness_opts *o, char *err, size_t errlen);
void toe_harness_close(struct toe_harness *h);

struct toe_ctx *toe_harness_ctx(struct toe_harness *h);
struct toe_stack *toe_harness_stack(struct toe_harness *h);
uint64_t toe_harness_now_ns(struct toe_harness *h);

/* A frame arriving at the TOE's port now. 0 or -errno. */
int toe_harness_inject(struct toe_harness *h, const uint8_t *frame, size_t len);
/* Run device, driver and stack timers until the clock reads t_ns (>= now). */
void toe_harness_run_until(struct toe_harness *h, uint64_t t_ns);
/*
 * Run until what is in flight has landed: frames given to the port are
 * through the device and the driver, their answers sent, the device idle
 * (its own timers aside). Takes the device's latency - microseconds - as a
 * kernel's stack takes a packet written to a tun device before the writer's
 * next call. Returns the virtual time it took.
 */
uint64_t toe_harness_settle(struct toe_harness *h);

#endif /* TOE_HARNESS_H */
