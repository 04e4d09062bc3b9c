/*
 * The platform layer on real hardware: BAR0 is the device's sysfs resource0
 * file mapped into the process (what a user-space driver such as ixy or DPDK's
 * uio/vfio back ends do), registers are volatile 32-bit loads and stores.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toe_plat.h"

struct plat_mmio {
    struct toe_plat base;
    volatile uint32_t *bar;
    size_t map_len;
};

static uint32_t mmio_read32(struct toe_plat *p, uint32_t off)
{
    struct plat_mmio *m = (struct plat_mmio *)p;

    return m->bar[off / 4];
}

static void mmio_write32(struct toe_plat *p, uint32_t off, uint32_t v)
{
    struct plat_mmio *m = (struct plat_mmio *)p;

    /* A doorbell must not overtake the descriptor stores before it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    m->bar[off / 4] = v;
}

static void mmio_close(struct toe_plat *p)
{
    struct plat_mmio *m = (struct plat_mmio *)p;

    munmap((void *)m->bar, m->map_len);
    free(m);
}

static const struct toe_plat_ops mmio_ops = {
    .name = "mmio",
    .read32 = mmio_read32,
    .write32 = mmio_write32,
    .close = mmio_close,
};

static void *fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return NULL;
}

struct toe_plat *toe_plat_mmio_open(const struct toe_pci_dev *dev, char *err, size_t errlen)
{
    char path[PATH_MAX + 16];
    struct plat_mmio *m;
    struct stat st;
    void *map;
    int fd;

    if (dev->bar0_size < 4 || dev->bar0_size > (1u << 30))
        return fail(err, errlen, "%s: BAR0 size %llu cannot be mapped", dev->bdf,
                    (unsigned long long)dev->bar0_size);
    snprintf(path, sizeof(path), "%s/resource0", dev->dev_dir);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return fail(err, errlen, "%s: cannot open %s: %s", dev->bdf, path, strerror(errno));
    /* sysfs gives resource0 the BAR's size; a shorter file cannot be BAR0. */
    if (fstat(fd, &st) || (uint64_t)st.st_size < dev->bar0_size) {
        close(fd);
        return fail(err, errlen, "%s: %s is %lld bytes, BAR0 is %llu", dev->bdf, path,
                    (long long)st.st_size, (unsigned long long)dev->bar0_size);
    }
    map = mmap(NULL, dev->bar0_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return fail(err, errlen, "%s: cannot map %s: %s", dev->bdf, path, strerror(errno));
    m = calloc(1, sizeof(*m));
    if (!m) {
        munmap(map, dev->bar0_size);
        return fail(err, errlen, "out of memory");
    }
    m->base.ops = &mmio_ops;
    m->base.bar0_size = (uint32_t)dev->bar0_size;
    m->bar = map;
    m->map_len = dev->bar0_size;
    return &m->base;
}
