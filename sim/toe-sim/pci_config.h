/*
 * The OpenTOE function's PCI configuration space (docs/device.md, "PCI identity
 * and configuration space"): the 256 bytes a driver reads through libpci.
 */
#ifndef TOE_PCI_CONFIG_H
#define TOE_PCI_CONFIG_H

#include <stdint.h>

#define TOE_PCI_CFG_SIZE 256u

/* Where the capabilities sit, and what they are (PCI Local Bus 3.0 section 6.7). */
#define TOE_PCI_CAP_PM       0x40u   /* Power Management, version 3 */
#define TOE_PCI_CAP_EXP      0x50u   /* PCI Express, version 2, endpoint */
#define TOE_PCI_CAP_MSIX     0xb0u   /* MSI-X */

/* Command register bits the device looks at. */
#define TOE_PCI_CMD_MEMORY   0x0002u
#define TOE_PCI_CMD_MASTER   0x0004u

/* BAR0's bus address as published (for show: a toe-sim driver reaches BAR0 through
 * the channel). */
#define TOE_PCI_BAR0_ADDR    0xfe000000u

/* Fill cfg with the function's configuration space at reset. */
void toe_pci_config_init(uint8_t cfg[TOE_PCI_CFG_SIZE]);

#endif
