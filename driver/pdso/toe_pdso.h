/*
 * toe-packetdrill.so's insides (docs/packetdrill.md, "Upstream packetdrill:
 * toe-packetdrill.so"): one embedded TOE (driver/stack/toe_harness.h) per
 * packetdrill_interface_init call, the frames it sends queued for
 * netdev_receive, and the hand-over that lets upstream's system call thread
 * block in a call while upstream's main thread goes on driving the clock
 * and the network.
 *
 * Threads. Whoever holds `mu` owns the harness; every call of the table
 * takes it for its whole length (pdso_enter/pdso_leave). A socket call that
 * has to wait calls the harness's wait_hook (pdso_wait_hook), which parks
 * the thread on `cv` and so lets go of `mu`: upstream's main thread can then
 * inject (netdev_send), sleep (usleep) and sniff (netdev_receive). Each
 * time that moves virtual time or delivers a frame it "kicks" the parked
 * call (pdso_kick): the call wakes, the stack checks its condition again,
 * and the call either returns or parks again - only then does the kicker go
 * on. So both threads run by turns, never at once, and the order of what
 * they do is fixed by the calls made: the run stays deterministic.
 *
 * When nothing calls in for PDSO_IDLE_MS of real time while a call is parked
 * (upstream's main thread waits for the call to finish: await_idle_thread in
 * run_system_call.c, before the next call or at the end of the script), the
 * parked call drives the clock itself, towards its own deadline, until it
 * returns or another thread calls in.
 */
#ifndef TOE_PDSO_H
#define TOE_PDSO_H

#include "packetdrill_iface.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "pdso_flags.h"

#define PDSO_FRAME_CAP 1536        /* an Ethernet frame of MTU 1500, no FCS */
#define PDSO_QUEUE 4096            /* frames not yet taken by netdev_receive */
#define PDSO_IDLE_MS 20            /* real time without a caller before a parked call drives itself */

/* gettimeofday's epoch: virtual time 0 reads as this (2001-09-09 01:46:40 UTC). */
#define PDSO_EPOCH_USECS 1000000000000000ll

struct toe_harness;
struct toe_ctx;

struct pdso_frame {
    uint64_t t_ns;
    uint16_t len;
    uint8_t data[PDSO_FRAME_CAP];
};

struct pdso {
    struct pdso_flags fl;
    struct toe_harness *h;
    struct toe_ctx *ctx;

    struct pdso_frame *q;          /* ring of PDSO_QUEUE */
    size_t q_head, q_len;
    uint64_t q_dropped;            /* the oldest, when the ring was full */
    uint8_t arp_reply[60];
    int arp_pending;
    uint64_t busy_until_ns;        /* step finely until then: the device may be sending */

    uint64_t spin_ns;              /* clock reads not yet applied to the harness */
    int last_was_clock;            /* the previous call was gettimeofday */

    pthread_mutex_t mu;
    pthread_cond_t cv;             /* CLOCK_MONOTONIC */
    atomic_uint want;              /* threads waiting for mu */
    uint64_t activity;             /* calls made (under mu) */
    int parked;                    /* calls parked in the wait hook */
    int self_drive;                /* the parked call drives the clock */
    uint64_t kick_seq, ack_seq;
};

/* Take the harness; sync: bring spun clock reads into the harness first. */
void pdso_enter(struct pdso *p, int sync);
void pdso_leave(struct pdso *p);
/* After the socket calls: the device may send now. */
void pdso_touched(struct pdso *p);

void pdso_fill_calls(struct packetdrill_interface *ifc);

#endif /* TOE_PDSO_H */
