/*
 * The platform layer on real hardware: BAR0 is the device's sysfs resource0
 * file mapped into the process (what a user-space driver such as ixy or DPDK's
 * uio/vfio back ends do), registers are volatile 32-bit loads and stores.
 *
 * Not yet here: DMA memory (it needs bus addresses an IOMMU maps, vfio's
 * VFIO_IOMMU_MAP_DMA) and interrupts (vfio's eventfds). The DMA pool is empty,
 * so the driver's attach says what is missing, and wait_irq sleeps for its
 * timeout and reports no vector (a polled driver). Time is the monotonic wall
 * clock; a function-level reset is the sysfs `reset` file, as on Linux.
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
#include <time.h>
#include <unistd.h>

#include "toe_formats.h"
#include "toe_plat.h"

struct plat_mmio {
    struct toe_plat base;
    volatile uint32_t *bar;
    size_t map_len;
    struct toe_pci_dev pci;
    uint64_t t0_ns;
};

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

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

static uint64_t mmio_now_ns(struct toe_plat *p)
{
    return mono_ns() - ((struct plat_mmio *)p)->t0_ns;
}

/* No interrupt delivery without vfio: sleep for the timeout (bounded, so that
 * "no timer" cannot hang a polled caller), report nothing. */
static int mmio_wait_irq(struct toe_plat *p, int64_t timeout_ns, uint32_t *fired)
{
    struct timespec ts;
    int64_t ns = timeout_ns < 0 || timeout_ns > 100000000 ? 100000000 : timeout_ns;

    (void)p;
    *fired = 0;
    ts.tv_sec = ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    nanosleep(&ts, NULL);
    return 0;
}

/* Linux's function-level reset of a PCI device: write 1 to its sysfs reset. */
static int mmio_flr(struct toe_plat *p)
{
    struct plat_mmio *m = (struct plat_mmio *)p;
    char path[PATH_MAX + 16];
    int fd, rc = 0;

    snprintf(path, sizeof(path), "%s/reset", m->pci.dev_dir);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (write(fd, "1", 1) != 1)
        rc = -errno;
    close(fd);
    return rc;
}

static int mmio_msix_enable(struct toe_plat *p, int on)
{
    struct plat_mmio *m = (struct plat_mmio *)p;
    char err[256];

    return toe_pci_msix_enable(&m->pci, on, err, sizeof(err)) ? -EIO : 0;
}

static void mmio_close(struct toe_plat *p)
{
    struct plat_mmio *m = (struct plat_mmio *)p;

    munmap((void *)m->bar, m->map_len);
    toe_dma_pool_fini(&m->base.dma);
    free(m);
}

static const struct toe_plat_ops mmio_ops = {
    .name = "mmio",
    .read32 = mmio_read32,
    .write32 = mmio_write32,
    .wait_irq = mmio_wait_irq,
    .now_ns = mmio_now_ns,
    .flr = mmio_flr,
    .msix_enable = mmio_msix_enable,
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
    if (toe_dma_pool_init(&m->base.dma, NULL, 0, 0, 1) < 0) {
        munmap(map, dev->bar0_size);
        free(m);
        return fail(err, errlen, "out of memory");
    }
    m->base.ops = &mmio_ops;
    m->base.bar0_size = (uint32_t)dev->bar0_size;
    m->base.time_mode = TIME_MODE_REAL;
    snprintf(m->base.bdf, sizeof(m->base.bdf), "%s", dev->bdf);
    m->bar = map;
    m->map_len = dev->bar0_size;
    m->pci = *dev;
    m->t0_ns = mono_ns();
    return &m->base;
}
