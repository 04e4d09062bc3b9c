/*
 * The RV32IMC firmware's main: the management window as memory-mapped
 * registers at TOE_FW_MMIO_BASE, and the service loop.
 *
 * The core has nothing else to do, so it spins on FW_ATTN; toe_fw_service
 * returns whenever it must wait for the host (ACQ full), and FW_ATTN.ASQ stays
 * set meanwhile, so the loop simply tries again.
 */
#include <stdint.h>

#include "toe_fw.h"

/* Where the SoC decodes the management window (firmware/rv32/link.ld). */
#define TOE_FW_MMIO_BASE 0x40000000u

static volatile uint32_t *reg(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(TOE_FW_MMIO_BASE + off);
}

static uint32_t mmio_rd(void *arg, uint32_t off)
{
    (void)arg;
    return *reg(off);
}

static void mmio_wr(void *arg, uint32_t off, uint32_t val)
{
    (void)arg;
    *reg(off) = val;
}

static uint32_t mmio_poll(void *arg, uint32_t off, uint32_t mask, uint32_t want)
{
    uint32_t v;

    (void)arg;
    do
        v = *reg(off);
    while ((v & mask) != want);
    return v;
}

static const struct toe_fw_bus mmio_bus = {mmio_rd, mmio_wr, mmio_poll, 0};
static struct toe_fw fw;

/* link.ld: the first and one past the last byte of the image, stack included */
extern char __fw_start[], __fw_end[];

int main(void);
int main(void)
{
    toe_fw_init(&fw, &mmio_bus);
    fw.code_bytes = (uint32_t)(__fw_end - __fw_start);
    for (;;)
        if (mmio_rd(0, FW_ATTN) != 0)
            toe_fw_service(&fw);
}
