/*
 * Publishing the function as a sysfs-shaped tree (docs/device.md, "The sysfs
 * tree"), so that lspci and libpci's linux-sysfs access method see it under
 * DIR/devices/<bdf>/ as they see a real device under /sys/bus/pci.
 */
#ifndef TOE_PCI_TREE_H
#define TOE_PCI_TREE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define TOE_PCI_BDF_DEFAULT "0000:00:05.0"

struct toe_pci_tree {
    char dev_dir[PATH_MAX];      /* DIR/devices/<bdf> */
    int cfg_fd;                  /* the config file, locked while published */
    volatile uint8_t *cfg;       /* ... and mapped: the driver's writes show at once */
};

/*
 * Create DIR/devices/<bdf> with config, resource and the ID files. Fails, with
 * a message in err, when another live toe-sim publishes the same function
 * there (its config file is locked), or when the files cannot be written.  A
 * tree left behind by a process that died is replaced.  Returns 0 or -1.
 */
int toe_pci_tree_publish(struct toe_pci_tree *t, const char *pci_dir, const char *bdf,
                         char *err, size_t errlen);

/* The command register as the driver last wrote it. */
uint16_t toe_pci_tree_command(const struct toe_pci_tree *t);

/* A 16-bit configuration register as the driver last wrote it (little-endian,
 * off even and below 256): the MSI-X message control, for one. */
uint16_t toe_pci_tree_read16(const struct toe_pci_tree *t, unsigned off);

/* Remove the function's directory (and DIR/devices if that leaves it empty). */
void toe_pci_tree_remove(struct toe_pci_tree *t);

#endif
