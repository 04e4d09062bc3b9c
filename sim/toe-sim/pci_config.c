/* The configuration space at reset; layout in docs/device.md. */
#include "pci_config.h"

#include <string.h>

#include "toe_formats.h"

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

void toe_pci_config_init(uint8_t cfg[TOE_PCI_CFG_SIZE])
{
    uint8_t *pm = cfg + TOE_PCI_CAP_PM;
    uint8_t *exp = cfg + TOE_PCI_CAP_EXP;
    uint8_t *msix = cfg + TOE_PCI_CAP_MSIX;

    memset(cfg, 0, TOE_PCI_CFG_SIZE);
    put16(cfg + 0x00, DEV_VENDOR_ID);
    put16(cfg + 0x02, DEV_DEVICE_ID);
    put16(cfg + 0x04, 0);                     /* command: the driver enables */
    put16(cfg + 0x06, 0x0010);                /* status: capability list */
    cfg[0x08] = DEV_REVISION;
    cfg[0x09] = (uint8_t)DEV_CLASS;           /* programming interface */
    cfg[0x0a] = (uint8_t)(DEV_CLASS >> 8);    /* subclass: Ethernet */
    cfg[0x0b] = (uint8_t)(DEV_CLASS >> 16);   /* class: network */
    cfg[0x0e] = 0x00;                         /* header type 0, one function */
    /* BAR0: memory, 64-bit (type 2), not prefetchable; BAR1 holds the top half. */
    put32(cfg + 0x10, TOE_PCI_BAR0_ADDR | 0x4u);
    put32(cfg + 0x14, 0);
    put16(cfg + 0x2c, DEV_SUBSYS_VENDOR_ID);
    put16(cfg + 0x2e, DEV_SUBSYS_ID);
    cfg[0x34] = TOE_PCI_CAP_PM;
    cfg[0x3d] = 0;                            /* no INTx pin: MSI-X only */

    /* Power Management: version 3, D0 only, no PME. */
    pm[0] = 0x01;
    pm[1] = TOE_PCI_CAP_EXP;
    put16(pm + 2, 0x0003);

    /* PCI Express 2.0 endpoint (PCIe base spec 7.5.3): max payload 512 bytes, link
     * x8 at 8 GT/s, trained at that. */
    exp[0] = 0x10;
    exp[1] = TOE_PCI_CAP_MSIX;
    put16(exp + 0x02, 0x0002);                /* version 2, device/port type 0 */
    put32(exp + 0x04, 0x00008002);            /* device caps: MPS 512, role-based errors */
    put16(exp + 0x08, 0x2810);                /* device control: MPS 128, MRRS 512, relaxed ordering */
    put32(exp + 0x0c, 0x00000083);            /* link caps: 8 GT/s, x8 */
    put16(exp + 0x12, 0x0083);                /* link status: 8 GT/s, x8 */
    put32(exp + 0x24, 0x00000000);            /* device caps 2 */
    put32(exp + 0x2c, 0x0000000e);            /* link caps 2: 2.5, 5 and 8 GT/s */

    /* MSI-X: table and PBA in BAR0, disabled until the driver enables it. */
    msix[0] = 0x11;
    msix[1] = 0;                              /* end of the list */
    put16(msix + 2, (uint16_t)(MSIX_VECTORS - 1));
    put32(msix + 4, BAR0_MSIX_TABLE | 0u);    /* BIR 0 */
    put32(msix + 8, BAR0_MSIX_PBA | 0u);
}
