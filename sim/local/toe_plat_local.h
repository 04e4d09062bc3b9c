/*
 * toe_plat_local: the whole device in the driver's own process (docs/driver.md,
 * "The in-process platform").
 *
 * A third struct toe_plat beside the channel and BAR0 mapped: it hosts a
 * struct toe_dev (the model or the Verilated RTL) and the management firmware
 * (firmware/, run natively as toe-sim runs it) in the caller's process, so that
 * the driver, the TCP stack, a packetdrill runner or a benchmark run driver and
 * device single-threaded in deterministic virtual time. Nothing here reads the
 * wall clock: the same calls give the same times and bytes, always.
 *
 * Time: the rules of toe-sim and the channel platform (docs/device.md, Time),
 * so that the same driver calls give the same times here as over the channel,
 * to the nanosecond. The device's clock moves only inside the platform's
 * calls; now_ns() is the driver's clock, which follows the device's at each
 * read's answer and each wait's end (posted writes take RTL clock cycles the
 * driver does not see, as over the channel):
 *   read32       the value is read now, and the answer comes MMIO_READ_PS
 *                (1 us: a PCIe round trip) after the driver's clock, or when
 *                the device is done with what it was doing, if later;
 *   write32      posted: no time for the driver;
 *   wait_irq(T)  the device runs until an MSI-X message or now + T; T < 0 with
 *                MSI-X enabled: until a message, or until the device has
 *                nothing to do ever again (then the clock stays), at most
 *                guard_ns; T < 0 with MSI-X off (polled): irq_quantum_ns;
 *   run()        the caller moves the device on without the driver.
 * Idle time is skipped (next_activity), so a long wait costs nothing. The
 * firmware runs whenever FW_ATTN asks, each of its accesses FW_ACCESS_PS.
 * At open the device runs until its power-on reset and the firmware's start
 * are over (at 17408 ns today, on both backends), where toe-sim lets a driver in.
 *
 * The network. Frames the device sends go to opts.frame_out with the time
 * their last byte left; frames to the device are given with
 * toe_plat_local_frame_in() and a time, and go in when the device clock gets
 * there (device events at a time come before inputs at the same time).
 *
 * Configuration space. There is none to reach: the platform itself sets memory
 * space and bus mastering when it opens (what toe_pci_enable() does for the
 * other platforms), and msix_enable() sets the MSI-X enable bit. The driver
 * attaches with toe_drv_attach_plat(p, NULL, &opts, ...).
 *
 * Callbacks (frame_out) may call toe_plat_local_frame_in() - a peer answering
 * at once - but not the platform's other calls or the driver's.
 *
 * Include with _GNU_SOURCE defined (toe_pci.h, under toe_plat.h, needs PATH_MAX).
 *
 * Linking: this library calls both toe_dev_model_new() and toe_dev_rtl_new(),
 * so a program links libtoelocal.a, the driver ($(DRV2_LIBS), -lpci), the
 * firmware ($(FW_LIB)), both device libraries and $(MODEL_LIB), with g++
 * (-pthread -latomic: the RTL library is C++).
 *
 * One thread: nothing here locks.
 */
#ifndef TOE_PLAT_LOCAL_H
#define TOE_PLAT_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "toe_plat.h"

struct toe_dev;

#define TOE_PLAT_LOCAL_DMA_DEFAULT (64ull << 20)           /* as the channel platform */
#define TOE_PLAT_LOCAL_IOVA_DEFAULT TOE_PLAT_CHAN_IOVA_DEFAULT /* 4 GiB */
#define TOE_PLAT_LOCAL_GUARD_NS_DEFAULT 10000000000ull     /* 10 s of virtual time */

struct toe_plat_local_opts {
    const char *backend;    /* "model" (NULL too) or "rtl" */
    uint32_t conn_max;      /* connection-table entries (0: the device's default) */
    uint64_t dma_size;      /* bytes of DMA memory (0: TOE_PLAT_LOCAL_DMA_DEFAULT) */
    uint64_t dma_iova;      /* its bus address (0: TOE_PLAT_LOCAL_IOVA_DEFAULT) */
    /* A wait without a timer runs at most this much virtual time
     * (0: TOE_PLAT_LOCAL_GUARD_NS_DEFAULT), so that a device that never
     * settles cannot hang the caller. */
    uint64_t guard_ns;
    /* Polled waits without a timer grant this much (0: TOE_PLAT_IRQ_QUANTUM_NS_DEFAULT). */
    uint64_t irq_quantum_ns;
    /* The device sent a frame (no FCS, unpadded); t_ns: when its last byte
     * left. Called from inside the platform's calls. NULL: frames are dropped. */
    void (*frame_out)(void *arg, const uint8_t *frame, size_t len, uint64_t t_ns);
    void *arg;
};

/* What the platform counted. */
struct toe_plat_local_stats {
    uint64_t reads, writes;             /* BAR0 accesses */
    uint64_t msix;                      /* MSI-X messages the device sent */
    uint64_t frames_out, frames_in;     /* frames out of the port, into it */
    uint64_t fw_services;               /* times the firmware ran */
    uint64_t dma_rd_refused, dma_wr_refused; /* device DMA outside the DMA memory */
    uint64_t resets;                    /* flr() calls */
};

/* The device and its firmware, powered on and settled (its power-on reset and
 * the firmware's start done, as toe-sim has them when a driver attaches).
 * NULL with errno and a message in err. */
struct toe_plat *toe_plat_local_open(const struct toe_plat_local_opts *o, char *err, size_t errlen);

/* A frame (FCS removed, any length) arriving at the device's port at virtual
 * time t_ns; one given for a time already past arrives now. Frames go in in
 * time order, those of the same time in call order. 0, -ENOMEM, -EINVAL (not
 * a local platform). */
int toe_plat_local_frame_in(struct toe_plat *p, const uint8_t *frame, size_t len, uint64_t t_ns);

/* Runs the device (firmware, frames in and out) to t_ns without the driver
 * waiting; MSI-X messages meanwhile are kept for the next wait_irq. Then
 * now_ns() reads t_ns (later only when the firmware's work at t_ns ran past
 * it). Nothing when t_ns is not later than now. */
void toe_plat_local_run(struct toe_plat *p, uint64_t t_ns);

/* The device (counters, next_activity), or NULL when p is not a local platform. */
struct toe_dev *toe_plat_local_dev(struct toe_plat *p);
const struct toe_plat_local_stats *toe_plat_local_stats(const struct toe_plat *p);

#endif
