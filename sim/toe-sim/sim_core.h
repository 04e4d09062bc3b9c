/*
 * toe-sim's core (docs/toe-sim.md): one device (a toe_dev backend), the
 * channel to its driver, the firmware that runs beside it, the cable and the
 * pcap, and the loop that moves time forward for all of them - in virtual
 * time by the channel's turn-taking and the cable's promises, in real time by
 * the wall clock.
 */
#ifndef SIM_CORE_H
#define SIM_CORE_H

#include <signal.h>
#include <stdint.h>

#include "sim_opts.h"

struct sim_core;

/* Publish the PCI function, create the device and its firmware, open the
 * channel socket and the cable. NULL with a message in err. */
struct sim_core *sim_core_open(const struct sim_opts *o, char *err, size_t errlen);

/* Serve until *stop becomes nonzero (a signal), the device clock passes
 * --stop-after, or a fatal error (lockstep divergence: return 3). 0 on a clean
 * stop, 1 on an error. */
int sim_core_run(struct sim_core *c, volatile sig_atomic_t *stop);

/* Print the summary (counters, cable, channel) and free everything,
 * removing the published tree. */
void sim_core_close(struct sim_core *c);

#endif
