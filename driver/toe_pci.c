/* Device discovery through libpci; see toe_pci.h. */
#define _GNU_SOURCE
#include "toe_pci.h"

#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "toe_formats.h"

/* libpci reports fatal errors through a callback that must not return; it is
 * turned into a longjmp back to the call that set it up, with the message kept. */
static jmp_buf *pci_jump;
static char pci_msg[256];

static void PCI_PRINTF(1, 2) PCI_NONRET pci_fatal(char *msg, ...)
{
    va_list ap;

    va_start(ap, msg);
    vsnprintf(pci_msg, sizeof(pci_msg), msg, ap);
    va_end(ap);
    longjmp(*pci_jump, 1);
}

static void PCI_PRINTF(1, 2) pci_quiet(char *msg, ...)
{
    (void)msg;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static struct pci_access *open_tree(const char *sysfs_path)
{
    struct pci_access *a = pci_alloc();

    a->error = pci_fatal;
    a->warning = pci_quiet;
    a->debug = pci_quiet;
    a->method = PCI_ACCESS_SYS_BUS_PCI;
    pci_set_param(a, "sysfs.path", (char *)sysfs_path);
    pci_init(a);
    return a;
}

/* Checks that the function with our IDs is the function we know. */
static int check_dev(struct pci_dev *p, struct toe_pci_dev *dev, char *err, size_t errlen)
{
    struct pci_cap *cap;
    uint16_t ctrl;
    uint32_t table, pba;

    dev->class_code = (uint32_t)p->device_class << 8 | p->prog_if;
    if (dev->class_code != DEV_CLASS)
        return fail(err, errlen, "%s: %04x:%04x has class %06x, expected %06x (Ethernet)", dev->bdf,
                    dev->vendor, dev->device, dev->class_code, DEV_CLASS);
    if (!(p->base_addr[0] & PCI_BASE_ADDRESS_MEM_TYPE_64) ||
        (p->base_addr[0] & PCI_BASE_ADDRESS_SPACE_IO) || p->size[0] < BAR0_SIZE)
        return fail(err, errlen, "%s: BAR0 is not a 64-bit memory BAR of at least %u bytes "
                    "(flags 0x%llx, size %llu)", dev->bdf, BAR0_SIZE,
                    (unsigned long long)(p->base_addr[0] & 0xf), (unsigned long long)p->size[0]);
    dev->bar0_addr = p->base_addr[0] & PCI_ADDR_MEM_MASK;
    dev->bar0_size = p->size[0];

    cap = pci_find_cap(p, PCI_CAP_ID_MSIX, PCI_CAP_NORMAL);
    if (!cap)
        return fail(err, errlen, "%s: no MSI-X capability", dev->bdf);
    ctrl = pci_read_word(p, cap->addr + 2);   /* message control */
    table = pci_read_long(p, cap->addr + PCI_MSIX_TABLE);
    pba = pci_read_long(p, cap->addr + PCI_MSIX_PBA);
    dev->msix_cap = cap->addr;
    dev->msix_vectors = (ctrl & PCI_MSIX_TABSIZE) + 1u;
    dev->msix_table_bar = table & PCI_MSIX_BIR;
    dev->msix_table_off = table & ~(uint32_t)PCI_MSIX_BIR;
    dev->msix_pba_bar = pba & PCI_MSIX_BIR;
    dev->msix_pba_off = pba & ~(uint32_t)PCI_MSIX_BIR;
    if (dev->msix_table_bar != 0 || dev->msix_pba_bar != 0 ||
        dev->msix_table_off + 16ull * dev->msix_vectors > dev->bar0_size ||
        dev->msix_pba_off + (dev->msix_vectors + 63) / 64 * 8ull > dev->bar0_size)
        return fail(err, errlen, "%s: MSI-X table (BAR %u at 0x%x, %u vectors) or PBA (BAR %u at 0x%x) "
                    "outside BAR0", dev->bdf, dev->msix_table_bar, dev->msix_table_off,
                    dev->msix_vectors, dev->msix_pba_bar, dev->msix_pba_off);
    return 0;
}

int toe_pci_find(const char *sysfs_path, struct toe_pci_dev *dev, char *err, size_t errlen)
{
    jmp_buf jump;
    struct pci_access *volatile a = NULL;
    struct pci_dev *p;
    volatile int rc = -1;

    memset(dev, 0, sizeof(*dev));
    snprintf(dev->sysfs_path, sizeof(dev->sysfs_path), "%s", sysfs_path ? sysfs_path : TOE_SYSFS_PCI_DEFAULT);
    /* From here on only dev->sysfs_path: an argument may not survive the longjmp. */
    pci_jump = &jump;
    if (setjmp(jump)) {
        fail(err, errlen, "cannot scan %s with libpci (linux-sysfs): %s", dev->sysfs_path, pci_msg);
        goto out;
    }
    a = open_tree(dev->sysfs_path);
    pci_scan_bus(a);
    for (p = a->devices; p; p = p->next) {
        pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_BASES | PCI_FILL_SIZES | PCI_FILL_CLASS |
                             PCI_FILL_CLASS_EXT | PCI_FILL_CAPS);
        if (p->vendor_id != DEV_VENDOR_ID || p->device_id != DEV_DEVICE_ID)
            continue;
        dev->vendor = p->vendor_id;
        dev->device = p->device_id;
        snprintf(dev->bdf, sizeof(dev->bdf), "%04x:%02x:%02x.%d", p->domain, p->bus, p->dev, p->func);
        if (snprintf(dev->dev_dir, sizeof(dev->dev_dir), "%s/devices/%s", dev->sysfs_path, dev->bdf) >=
            (int)sizeof(dev->dev_dir))
            fail(err, errlen, "%s: path too long", dev->sysfs_path);
        else
            rc = check_dev(p, dev, err, errlen);
        goto out;
    }
    fail(err, errlen, "no OpenTOE device (vendor 0x%04x, device 0x%04x) under %s/devices", DEV_VENDOR_ID,
         DEV_DEVICE_ID, dev->sysfs_path);
out:
    if (a)
        pci_cleanup(a);
    pci_jump = NULL;
    return rc;
}

/* Runs op on the function's configuration space through libpci; libpci's
 * fatal errors come back as -1 with the message in err. */
static int config_op(struct toe_pci_dev *dev, int (*op)(struct pci_dev *p, struct toe_pci_dev *dev,
                                                        void *arg, char *err, size_t errlen),
                     void *arg, char *err, size_t errlen)
{
    jmp_buf jump;
    struct pci_access *volatile a = NULL;
    struct pci_dev *volatile p = NULL;
    volatile int rc = -1;
    unsigned dom, bus, slot, func;

    if (sscanf(dev->bdf, "%x:%x:%x.%u", &dom, &bus, &slot, &func) != 4)
        return fail(err, errlen, "bad device address '%s'", dev->bdf);
    pci_jump = &jump;
    if (setjmp(jump)) {
        fail(err, errlen, "%s: configuration access failed: %s", dev->bdf, pci_msg);
        goto out;
    }
    a = open_tree(dev->sysfs_path);
    p = pci_get_dev(a, (int)dom, (int)bus, (int)slot, (int)func);
    rc = op(p, dev, arg, err, errlen);
out:
    if (p)
        pci_free_dev(p);
    if (a)
        pci_cleanup(a);
    pci_jump = NULL;
    return rc;
}

static int enable_op(struct pci_dev *p, struct toe_pci_dev *dev, void *arg, char *err, size_t errlen)
{
    uint16_t cmd = pci_read_word(p, PCI_COMMAND);
    const uint16_t bits = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    int on = *(int *)arg;

    pci_write_word(p, PCI_COMMAND, on ? cmd | bits : cmd & (uint16_t)~bits);
    dev->command = pci_read_word(p, PCI_COMMAND);
    if ((dev->command & bits) != (on ? bits : 0))
        return fail(err, errlen, "%s: memory space and bus mastering did not turn %s (command 0x%04x)",
                    dev->bdf, on ? "on" : "off", dev->command);
    return 0;
}

int toe_pci_enable(struct toe_pci_dev *dev, char *err, size_t errlen)
{
    int on = 1;

    return config_op(dev, enable_op, &on, err, errlen);
}

int toe_pci_disable(struct toe_pci_dev *dev, char *err, size_t errlen)
{
    int on = 0;

    return config_op(dev, enable_op, &on, err, errlen);
}

/* MSI-X message control (PCIe 7.7.2.2), 2 bytes into the capability: bit 15
 * enable, bit 14 function mask. */
#define MSIX_MSG_CTRL 2
static int msix_op(struct pci_dev *p, struct toe_pci_dev *dev, void *arg, char *err, size_t errlen)
{
    int on = *(int *)arg;
    uint16_t ctrl, want;

    if (!dev->msix_cap)
        return fail(err, errlen, "%s: no MSI-X capability", dev->bdf);
    ctrl = pci_read_word(p, (int)dev->msix_cap + MSIX_MSG_CTRL);
    want = on ? (uint16_t)((ctrl | PCI_MSIX_ENABLE) & ~PCI_MSIX_MASK)
              : (uint16_t)(ctrl & ~PCI_MSIX_ENABLE);
    pci_write_word(p, (int)dev->msix_cap + MSIX_MSG_CTRL, want);
    ctrl = pci_read_word(p, (int)dev->msix_cap + MSIX_MSG_CTRL);
    if ((ctrl & (PCI_MSIX_ENABLE | PCI_MSIX_MASK)) != (want & (PCI_MSIX_ENABLE | PCI_MSIX_MASK)))
        return fail(err, errlen, "%s: MSI-X did not turn %s (message control 0x%04x)", dev->bdf,
                    on ? "on" : "off", ctrl);
    dev->msix_control = ctrl;
    return 0;
}

int toe_pci_msix_enable(struct toe_pci_dev *dev, int on, char *err, size_t errlen)
{
    return config_op(dev, msix_op, &on, err, errlen);
}
