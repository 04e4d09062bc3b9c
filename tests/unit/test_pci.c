/*
 * The emulated function's configuration space and sysfs tree (sim/toe-sim) and
 * the driver's discovery of it through libpci (driver/toe_pci.c), end to end in
 * one process: publish a tree, find it, enable it, see the write at the device.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pci_config.h"
#include "pci_tree.h"
#include "toe_formats.h"
#include "toe_pci.h"
#include "toe_plat.h"

struct fx {
    char dir[64];
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof(*fx));

    strcpy(fx->dir, "/tmp/toe-test-pci-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    return 0;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }

/* The bytes docs/device.md promises. */
static void config_layout(void **state)
{
    uint8_t c[TOE_PCI_CFG_SIZE];

    (void)state;
    toe_pci_config_init(c);
    assert_int_equal(rd16(c + 0x00), 0x1234);
    assert_int_equal(rd16(c + 0x02), 0x70e0);
    assert_int_equal(rd16(c + 0x04), 0x0000);           /* off until the driver enables */
    assert_int_equal(rd16(c + 0x06), 0x0010);           /* capability list */
    assert_int_equal(c[0x08], 0x01);
    assert_int_equal(rd32(c + 0x08) >> 8, 0x020000);    /* Ethernet */
    assert_int_equal(c[0x0e], 0x00);
    assert_int_equal(rd32(c + 0x10), 0xfe000004u);      /* 64-bit memory, not prefetchable */
    assert_int_equal(rd32(c + 0x14), 0);
    assert_int_equal(rd16(c + 0x2c), 0x1234);
    assert_int_equal(rd16(c + 0x2e), 0x0001);
    assert_int_equal(c[0x3d], 0);                       /* no INTx */
    /* The capability chain: PM at 0x40 -> Express at 0x50 -> MSI-X at 0xb0 -> end. */
    assert_int_equal(c[0x34], 0x40);
    assert_int_equal(c[0x40], 0x01);
    assert_int_equal(c[0x41], 0x50);
    assert_int_equal(rd16(c + 0x42), 0x0003);
    assert_int_equal(c[0x50], 0x10);
    assert_int_equal(c[0x51], 0xb0);
    assert_int_equal(rd16(c + 0x52), 0x0002);           /* version 2, endpoint */
    assert_int_equal(rd32(c + 0x5c), 0x83);             /* link caps: 8 GT/s x8 */
    assert_int_equal(c[0xb0], 0x11);
    assert_int_equal(c[0xb1], 0x00);
    assert_int_equal(rd16(c + 0xb2), 31);               /* 32 vectors, disabled */
    assert_int_equal(rd32(c + 0xb4), 0x8000);           /* table: BAR0 + 0x8000 */
    assert_int_equal(rd32(c + 0xb8), 0x9000);           /* PBA: BAR0 + 0x9000 */
}

static void publish_find_enable(void **state)
{
    struct fx *fx = *state;
    struct toe_pci_tree t;
    struct toe_pci_dev d;
    char err[512], path[PATH_MAX];
    struct stat st;

    assert_int_equal(toe_pci_tree_publish(&t, fx->dir, TOE_PCI_BDF_DEFAULT, err, sizeof(err)), 0);
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), 0);
    assert_string_equal(d.bdf, "0000:00:05.0");
    snprintf(path, sizeof(path), "%s/devices/0000:00:05.0", fx->dir);
    assert_string_equal(d.dev_dir, path);
    assert_int_equal(d.vendor, 0x1234);
    assert_int_equal(d.device, 0x70e0);
    assert_int_equal(d.class_code, 0x020000);
    assert_int_equal(d.bar0_addr, 0xfe000000u);
    assert_int_equal(d.bar0_size, 65536);
    assert_int_equal(d.msix_cap, 0xb0);
    assert_int_equal(d.msix_vectors, 32);
    assert_int_equal(d.msix_table_bar, 0);
    assert_int_equal(d.msix_table_off, 0x8000);
    assert_int_equal(d.msix_pba_off, 0x9000);

    /* The driver's configuration write reaches the device's view at once. */
    assert_int_equal(toe_pci_tree_command(&t), 0);
    assert_int_equal(toe_pci_enable(&d, err, sizeof(err)), 0);
    assert_int_equal(d.command, 0x0006);
    assert_int_equal(toe_pci_tree_command(&t), 0x0006);

    toe_pci_tree_remove(&t);
    assert_int_equal(stat(path, &st), -1);
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), -1);
}

static void second_publisher_refused(void **state)
{
    struct fx *fx = *state;
    struct toe_pci_tree a, b;
    char err[512];

    assert_int_equal(toe_pci_tree_publish(&a, fx->dir, TOE_PCI_BDF_DEFAULT, err, sizeof(err)), 0);
    assert_int_equal(toe_pci_tree_publish(&b, fx->dir, TOE_PCI_BDF_DEFAULT, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "0000:00:05.0 is published by another toe-sim"));
    /* Another function beside it is fine. */
    assert_int_equal(toe_pci_tree_publish(&b, fx->dir, "0000:00:06.0", err, sizeof(err)), 0);
    toe_pci_tree_remove(&b);
    toe_pci_tree_remove(&a);
}

/* A publisher that died without cleaning up leaves a tree the next one replaces. */
static void stale_tree_replaced(void **state)
{
    struct fx *fx = *state;
    struct toe_pci_tree t;
    struct toe_pci_dev d;
    char err[512];
    int status;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0)
        _exit(toe_pci_tree_publish(&t, fx->dir, TOE_PCI_BDF_DEFAULT, err, sizeof(err)) ? 1 : 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(toe_pci_tree_publish(&t, fx->dir, TOE_PCI_BDF_DEFAULT, err, sizeof(err)), 0);
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), 0);
    toe_pci_tree_remove(&t);
}

static void not_found(void **state)
{
    struct fx *fx = *state;
    struct toe_pci_dev d;
    char err[512], want[600], devices[PATH_MAX];

    snprintf(devices, sizeof(devices), "%s/devices", fx->dir);
    assert_int_equal(mkdir(devices, 0755), 0);
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "no OpenTOE device (vendor 0x1234, device 0x70e0) under %s/devices", fx->dir);
    assert_string_equal(err, want);
    /* A tree that is not there at all: libpci's own complaint, with the path. */
    assert_int_equal(toe_pci_find("/nonexistent/toe", &d, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot scan /nonexistent/toe with libpci"));
}

/* Overwrite bytes of one of the published files, as a broken device would have them
 * (libpci reads the class and the BARs from the text files, the capabilities from
 * config). */
static void patch(const char *dir, const char *file, unsigned off, const void *bytes, size_t n)
{
    char path[PATH_MAX];
    int fd;

    snprintf(path, sizeof(path), "%s/devices/0000:00:05.0/%s", dir, file);
    fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, bytes, n, off), (ssize_t)n);
    close(fd);
}

static void not_ours(void **state)
{
    struct fx *fx = *state;
    struct toe_pci_tree t;
    struct toe_pci_dev d;
    char err[512];

    assert_int_equal(toe_pci_tree_publish(&t, fx->dir, TOE_PCI_BDF_DEFAULT, err, sizeof(err)), 0);
    patch(fx->dir, "class", 0, "0x010802\n", 9);                  /* NVMe */
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), -1);
    assert_string_equal(err, "0000:00:05.0: 1234:70e0 has class 010802, expected 020000 (Ethernet)");
    patch(fx->dir, "class", 0, "0x020000\n", 9);

    patch(fx->dir, "config", 0x51, "\0", 1);                      /* the Express capability ends the list */
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), -1);
    assert_string_equal(err, "0000:00:05.0: no MSI-X capability");
    patch(fx->dir, "config", 0x51, "\xb0", 1);
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), 0);

    /* BAR0 as a 32-bit BAR: the resource flags without IORESOURCE_MEM_64. */
    patch(fx->dir, "resource", 2 * 19 + 2, "0000000000040200", 16);
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), -1);
    assert_string_equal(err, "0000:00:05.0: BAR0 is not a 64-bit memory BAR of at least 65536 bytes "
                             "(flags 0x0, size 65536)");
    toe_pci_tree_remove(&t);
}

/* The real-hardware platform: BAR0 is resource0 mapped.  A regular file of BAR0's size
 * stands in for the device's memory here, which shows the mapping, the offsets and the
 * refusals, not a device's side effects. */
static void mmio_platform(void **state)
{
    struct fx *fx = *state;
    struct toe_pci_tree t;
    struct toe_pci_dev d;
    struct toe_plat *p;
    char err[512], path[PATH_MAX];
    uint8_t bytes[4];
    int fd;

    assert_int_equal(toe_pci_tree_publish(&t, fx->dir, TOE_PCI_BDF_DEFAULT, err, sizeof(err)), 0);
    assert_int_equal(toe_pci_find(fx->dir, &d, err, sizeof(err)), 0);
    assert_null(toe_plat_mmio_open(&d, err, sizeof(err)));
    assert_non_null(strstr(err, "0000:00:05.0: cannot open "));
    assert_non_null(strstr(err, "/resource0: No such file or directory"));

    assert_true(snprintf(path, sizeof(path), "%s/resource0", d.dev_dir) < (int)sizeof(path));
    fd = open(path, O_RDWR | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 4096), 0);
    assert_null(toe_plat_mmio_open(&d, err, sizeof(err)));
    assert_non_null(strstr(err, "/resource0 is 4096 bytes, BAR0 is 65536"));
    assert_int_equal(ftruncate(fd, 65536), 0);

    p = toe_plat_mmio_open(&d, err, sizeof(err));
    assert_non_null(p);
    toe_wr32(p, 0x28, 0xa5a5f00d);
    assert_int_equal(toe_rd32(p, 0x28), 0xa5a5f00d);
    toe_wr32(p, 0xfffc, 0x01020304);              /* the last register of BAR0 */
    assert_int_equal(pread(fd, bytes, 4, 0xfffc), 4);
    assert_memory_equal(bytes, "\x04\x03\x02\x01", 4);
    assert_int_equal(p->bad_access, 0);
    /* Unaligned, beyond BAR0, and straddling its end: refused, counted, all ones. */
    assert_int_equal(toe_rd32(p, 0x29), 0xffffffffu);
    assert_int_equal(toe_rd32(p, 0x10000), 0xffffffffu);
    toe_wr32(p, 0xfffe, 0);
    toe_wr32(p, 0xffffffffu, 0);
    assert_int_equal(p->bad_access, 4);
    assert_int_equal(toe_rd32(p, 0xfffc), 0x01020304);
    toe_plat_close(p);
    close(fd);
    unlink(path);
    toe_pci_tree_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config_layout),
        cmocka_unit_test_setup_teardown(publish_find_enable, setup, teardown),
        cmocka_unit_test_setup_teardown(second_publisher_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_tree_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(not_ours, setup, teardown),
        cmocka_unit_test_setup_teardown(mmio_platform, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
