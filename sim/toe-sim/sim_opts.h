/* toe-sim's command line (toe-sim --help; docs/toe-sim.md). */
#ifndef SIM_OPTS_H
#define SIM_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "sim_lockstep.h"
#include "toe_impair.h"

enum sim_backend { SIM_BACKEND_MODEL, SIM_BACKEND_RTL, SIM_BACKEND_LOCKSTEP };


struct sim_opts {
    enum sim_backend backend;
    const char *pci_dir;          /* --pci-dir or $TOE_PCI_DIR */
    const char *bdf;
    const char *pcap;             /* --pcap FILE: every frame both ways */
    const char *wire_path;        /* --wire=listen:PATH | connect:PATH */
    int wire_listen;
    uint64_t cable_latency_ps;
    struct toe_impair_cfg impair; /* frames this toe-sim puts on the cable */
    int impair_set;
    uint64_t seed;
    uint32_t time_mode;           /* TIME_MODE_* */
    uint32_t conn_max;
    uint32_t nslots;              /* channel ring slots */
    int wire_timeout_ms;
    int driver_wait_ms;           /* --driver-wait: how long the clock waits for a first driver */
    uint64_t stop_after_ps;       /* --stop-after T: exit once the device clock reaches T (tests) */
    struct sim_lockstep_opts ls;  /* --lockstep-primary, --lockstep-fault */
    int verbose;
};

/* Parse argv into o. 0: go on; 1: --help was printed (exit 0); -1: a bad option
 * (message and usage on stderr; exit 2). */
int sim_opts_parse(struct sim_opts *o, int argc, char **argv);
void sim_opts_usage(FILE *f, const char *prog);

#endif
