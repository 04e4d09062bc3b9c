/*
 * toe-sim: the emulated OpenTOE PCIe function (docs/device.md).
 *
 * This step publishes the function's configuration space as a sysfs-shaped tree
 * that lspci and libpci see, and keeps it published until SIGINT or SIGTERM; the
 * channel, the register file and the datapath backends join it as issue 4 goes on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci_config.h"
#include "pci_tree.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
            "usage: %s --pci-dir DIR [--bdf BDF]\n"
            "\n"
            "The emulated OpenTOE PCIe function. It publishes the function under\n"
            "DIR/devices/BDF the way Linux publishes a device under /sys/bus/pci, so that\n"
            "  lspci -A linux-sysfs -O sysfs.path=DIR -vv\n"
            "shows it and a driver finds it through libpci, and removes it on SIGINT or\n"
            "SIGTERM.\n"
            "\n"
            "  --pci-dir DIR   where to publish (default: $TOE_PCI_DIR)\n"
            "  --bdf BDF       the function's address (default %s)\n"
            "  --help          this text\n",
            prog, TOE_PCI_BDF_DEFAULT);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"pci-dir", required_argument, NULL, 'd'},
        {"bdf", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *pci_dir = getenv("TOE_PCI_DIR"), *bdf = TOE_PCI_BDF_DEFAULT;
    struct toe_pci_tree tree;
    struct sigaction sa;
    char err[512];
    sigset_t block, old;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': pci_dir = optarg; break;
        case 'b': bdf = optarg; break;
        case 'h': usage(stdout, argv[0]); return 0;
        default: usage(stderr, argv[0]); return 2;
        }
    }
    if (optind != argc || !pci_dir || !*pci_dir) {
        if (optind != argc)
            fprintf(stderr, "toe-sim: unexpected argument '%s'\n", argv[optind]);
        else
            fprintf(stderr, "toe-sim: no --pci-dir (and no TOE_PCI_DIR)\n");
        usage(stderr, argv[0]);
        return 2;
    }

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* Signals are taken only inside sigsuspend(), so none is lost between the check
     * and the wait. */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);

    if (toe_pci_tree_publish(&tree, pci_dir, bdf, err, sizeof(err))) {
        fprintf(stderr, "toe-sim: %s\n", err);
        return 1;
    }
    printf("toe-sim: published %s under %s (lspci -A linux-sysfs -O sysfs.path=%s)\n", bdf,
           pci_dir, pci_dir);
    fflush(stdout);
    while (!stop_signal)
        sigsuspend(&old);
    printf("toe-sim: %s, command register 0x%04x at exit; removing %s\n", strsignal(stop_signal),
           toe_pci_tree_command(&tree), tree.dev_dir);
    toe_pci_tree_remove(&tree);
    return 0;
}
