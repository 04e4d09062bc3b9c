/*
 * Finding the OpenTOE function through libpci (docs/device.md): scan a sysfs
 * tree - the real /sys/bus/pci, or one toe-sim publishes - for the vendor and
 * device IDs, read BAR0 and the MSI-X capability, and turn on memory space and
 * bus mastering with configuration writes.  Nothing here touches BAR0 itself.
 */
#ifndef TOE_PCI_H
#define TOE_PCI_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define TOE_SYSFS_PCI_DEFAULT "/sys/bus/pci"

struct toe_pci_dev {
    char sysfs_path[PATH_MAX];    /* the tree scanned */
    char dev_dir[PATH_MAX];       /* <sysfs_path>/devices/<bdf> */
    char bdf[32];                 /* domain:bus:slot.func */
    uint16_t vendor, device;
    uint32_t class_code;          /* class, subclass, programming interface */
    uint64_t bar0_addr, bar0_size;
    unsigned msix_cap;            /* config offset of the MSI-X capability */
    unsigned msix_vectors;
    unsigned msix_table_bar, msix_pba_bar;
    uint32_t msix_table_off, msix_pba_off;
    uint16_t command;             /* after toe_pci_enable() */
    uint16_t msix_control;        /* MSI-X message control after toe_pci_msix_enable() */
};

/*
 * Find the first OpenTOE function under sysfs_path (NULL: /sys/bus/pci).
 * Returns 0 and fills dev, or -1 with a message in err that names what was
 * looked for and where: no such device, a device with our IDs that does not
 * look like ours (class, BAR0, MSI-X), or a tree libpci cannot read.
 */
int toe_pci_find(const char *sysfs_path, struct toe_pci_dev *dev, char *err, size_t errlen);

/*
 * Enable memory space and bus mastering (command register bits 1 and 2) and
 * read the register back to check the device took them.  Returns 0 or -1.
 */
int toe_pci_enable(struct toe_pci_dev *dev, char *err, size_t errlen);

/* Turn memory space and bus mastering off again (detach). 0 or -1. */
int toe_pci_disable(struct toe_pci_dev *dev, char *err, size_t errlen);

/*
 * MSI-X on (on != 0: message control enable set, function mask clear) or off,
 * written through libpci and read back. 0 or -1 with a message in err.
 */
int toe_pci_msix_enable(struct toe_pci_dev *dev, int on, char *err, size_t errlen);

#endif
