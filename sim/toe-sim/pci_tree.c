/* The function's sysfs-shaped tree; see pci_tree.h and docs/device.md. */
#define _GNU_SOURCE
#include "pci_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci_config.h"
#include "toe_formats.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[PATH_MAX];
    int fd;
    ssize_t n;

    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
        return -1;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    n = write(fd, data, len);
    close(fd);
    return n == (ssize_t)len ? 0 : -1;
}

static int write_text(const char *dir, const char *name, const char *fmt, unsigned v)
{
    char buf[32];
    int n = snprintf(buf, sizeof(buf), fmt, v);

    return write_file(dir, name, buf, (size_t)n);
}

/* The resource file: "start end flags" per BAR (0-5) and the expansion ROM, as
 * the kernel writes it (drivers/pci/pci-sysfs.c); flags are IORESOURCE_MEM
 * (0x200), IORESOURCE_MEM_64 (0x100000) and the BAR's low bits. */
static int write_resource(const char *dir)
{
    char buf[7 * 60];
    size_t off = 0;
    int i;

    off += (size_t)snprintf(buf + off, sizeof(buf) - off, "0x%016llx 0x%016llx 0x%016llx\n",
                            (unsigned long long)TOE_PCI_BAR0_ADDR,
                            (unsigned long long)TOE_PCI_BAR0_ADDR + BAR0_SIZE - 1,
                            0x140204ull);
    for (i = 1; i < 7; i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "0x%016llx 0x%016llx 0x%016llx\n",
                                0ull, 0ull, 0ull);
    return write_file(dir, "resource", buf, off);
}

int toe_pci_tree_publish(struct toe_pci_tree *t, const char *pci_dir, const char *bdf,
                         char *err, size_t errlen)
{
    char devices[PATH_MAX], cfg_path[PATH_MAX];
    uint8_t cfg[TOE_PCI_CFG_SIZE];
    void *map;

    memset(t, 0, sizeof(*t));
    t->cfg_fd = -1;
    if (snprintf(devices, sizeof(devices), "%s/devices", pci_dir) >= (int)sizeof(devices) ||
        snprintf(t->dev_dir, sizeof(t->dev_dir), "%s/%s", devices, bdf) >= (int)sizeof(t->dev_dir) ||
        snprintf(cfg_path, sizeof(cfg_path), "%s/config", t->dev_dir) >= (int)sizeof(cfg_path))
        return fail(err, errlen, "pci tree: path too long under %s", pci_dir);
    if ((mkdir(pci_dir, 0755) && errno != EEXIST) || (mkdir(devices, 0755) && errno != EEXIST) ||
        (mkdir(t->dev_dir, 0755) && errno != EEXIST))
        return fail(err, errlen, "pci tree: cannot create %s: %s", t->dev_dir, strerror(errno));

    /* The config file is the function's lock: a live toe-sim holds it. */
    t->cfg_fd = open(cfg_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (t->cfg_fd < 0)
        return fail(err, errlen, "pci tree: cannot open %s: %s", cfg_path, strerror(errno));
    if (flock(t->cfg_fd, LOCK_EX | LOCK_NB)) {
        close(t->cfg_fd);
        t->cfg_fd = -1;
        return fail(err, errlen, "pci tree: %s is published by another toe-sim (%s is locked)",
                    bdf, cfg_path);
    }
    toe_pci_config_init(cfg);
    if (ftruncate(t->cfg_fd, 0) || pwrite(t->cfg_fd, cfg, sizeof(cfg), 0) != (ssize_t)sizeof(cfg))
        goto io_fail;
    map = mmap(NULL, TOE_PCI_CFG_SIZE, PROT_READ, MAP_SHARED, t->cfg_fd, 0);
    if (map == MAP_FAILED)
        goto io_fail;
    t->cfg = map;

    if (write_resource(t->dev_dir) ||
        write_text(t->dev_dir, "vendor", "0x%04x\n", DEV_VENDOR_ID) ||
        write_text(t->dev_dir, "device", "0x%04x\n", DEV_DEVICE_ID) ||
        write_text(t->dev_dir, "subsystem_vendor", "0x%04x\n", DEV_SUBSYS_VENDOR_ID) ||
        write_text(t->dev_dir, "subsystem_device", "0x%04x\n", DEV_SUBSYS_ID) ||
        write_text(t->dev_dir, "class", "0x%06x\n", DEV_CLASS) ||
        write_text(t->dev_dir, "revision", "0x%02x\n", DEV_REVISION) ||
        write_text(t->dev_dir, "irq", "%u\n", 0))
        goto io_fail;
    return 0;

io_fail:
    snprintf(err, errlen, "pci tree: cannot write under %s: %s", t->dev_dir, strerror(errno));
    toe_pci_tree_remove(t);
    return -1;
}

uint16_t toe_pci_tree_command(const struct toe_pci_tree *t)
{
    return (uint16_t)(t->cfg[4] | t->cfg[5] << 8);
}

uint16_t toe_pci_tree_read16(const struct toe_pci_tree *t, unsigned off)
{
    off &= 0xfeu;
    return (uint16_t)(t->cfg[off] | t->cfg[off + 1] << 8);
}

void toe_pci_tree_remove(struct toe_pci_tree *t)
{
    static const char *const files[] = {
        "resource", "vendor", "device", "subsystem_vendor", "subsystem_device",
        "class", "revision", "irq", "config",
    };
    char path[PATH_MAX], *slash;
    size_t i;

    if (!t->dev_dir[0])
        return;
    if (t->cfg)
        munmap((void *)t->cfg, TOE_PCI_CFG_SIZE);
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        if (snprintf(path, sizeof(path), "%s/%s", t->dev_dir, files[i]) < (int)sizeof(path))
            unlink(path);
    }
    rmdir(t->dev_dir);
    /* DIR/devices goes too when this was its last function. */
    strcpy(path, t->dev_dir);
    slash = strrchr(path, '/');
    if (slash) {
        *slash = '\0';
        rmdir(path);
    }
    if (t->cfg_fd >= 0)
        close(t->cfg_fd);   /* releases the lock last */
    memset(t, 0, sizeof(*t));
    t->cfg_fd = -1;
}
