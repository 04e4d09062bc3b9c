/*
 * toe-sim: the emulated OpenTOE PCIe function (docs/toe-sim.md, docs/device.md).
 *
 * It publishes the function's configuration space as a sysfs-shaped tree that
 * lspci and libpci see, hosts the device - the C model, the Verilated RTL, or
 * both in lockstep - with its firmware, serves one driver over the channel
 * socket in that tree, and connects the Ethernet port to a cable and a pcap.
 * SIGINT or SIGTERM end it cleanly; exit status 0, 1 on an error, 2 on a bad
 * command line, 3 on a lockstep divergence.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sim_core.h"
#include "sim_opts.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

int main(int argc, char **argv)
{
    static const char *const backends[] = {"model", "rtl", "lockstep"};
    struct sim_opts o;
    struct sim_core *c;
    struct sigaction sa;
    char err[512];
    int r = sim_opts_parse(&o, argc, argv);

    if (r)
        return r > 0 ? 0 : 2;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;  /* no SA_RESTART: a signal ends the sleep it interrupts */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    c = sim_core_open(&o, err, sizeof(err));
    if (!c) {
        fprintf(stderr, "toe-sim: %s\n", err);
        return 1;
    }
    printf("toe-sim: %s backend, %s time, published %s under %s (lspci -A linux-sysfs -O sysfs.path=%s)\n",
           backends[o.backend], o.time_mode ? "virtual" : "real", o.bdf, o.pci_dir, o.pci_dir);
    fflush(stdout);
    r = sim_core_run(c, &stop_signal);
    if (stop_signal)
        fprintf(stderr, "toe-sim: %s: stopping\n", strsignal(stop_signal));
    sim_core_close(c);
    return r;
}
