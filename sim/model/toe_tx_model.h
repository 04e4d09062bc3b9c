/*
 * Bit-exact reference model of the TX engine (toe_tx_engine).
 *
 * The behaviour is docs/tx-datapath.md; this model and the RTL both follow
 * it, and the co-simulation compares their frames, completions and counters
 * byte for byte.  Call order: toe_tx_model_init() once, then
 * toe_tx_model_process() per descriptor in ring order.
 */
#ifndef TOE_TX_MODEL_H
#define TOE_TX_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "toe_formats.h"

/*
 * Read len bytes of host memory at addr into dst; return 0 on success.  The
 * model only asks for ranges inside the DMA window (check ERR_ADDR).
 */
typedef int (*toe_dma_read_fn)(void *arg, uint64_t addr, void *dst, size_t len);

/* Receive one Ethernet frame (no FCS, unpadded); frame is valid only
 * during the call. */
typedef void (*toe_tx_emit_fn)(void *arg, const uint8_t *frame, size_t len);

struct toe_tx_model {
    uint64_t dma_lo, dma_hi;    /* the DMA window [dma_lo, dma_hi) */
    uint32_t cnt[TX_CNT_NUM];   /* TX_CNT_*: 32-bit, wrapping */
    toe_dma_read_fn dma_read;
    void *dma_arg;
};

/* Bytes of the largest frame the model builds: a raw frame of RAW_MAX_LEN.
 * A TSO frame is at most 18 + 20 + 20 + MSS_MAX = 9058 (timestamps take
 * their 12 bytes out of the payload); the model only relies on the looser
 * 70 + MSS_MAX, asserted in toe_tx_model.c. */
#define TOE_TX_FRAME_MAX RAW_MAX_LEN

/*
 * Reset *m: window [dma_lo, dma_hi), all counters 0, host reads through
 * rd(rd_arg, ...).  dma_lo >= dma_hi makes the window empty, so every
 * descriptor with len > 0 fails ERR_ADDR.
 */
void toe_tx_model_init(struct toe_tx_model *m, uint64_t dma_lo,
                       uint64_t dma_hi, toe_dma_read_fn rd, void *rd_arg);

/*
 * The status the descriptor checks give (docs/tx-datapath.md, "Descriptor
 * checks"): TX_STATUS_OK or the first failing check.  No side effects.  c is
 * the connection's context; it is read only for TSO and may be NULL
 * otherwise.
 */
uint8_t toe_tx_check(const struct toe_tx_model *m, const struct toe_tx_desc *d,
                     const struct toe_tx_ctx *c);

/*
 * Run one descriptor as the hardware does: check it; if it passes, read its
 * bytes through m->dma_read and pass each frame to emit(emit_arg, ...) in
 * order; fill *cpl; update m->cnt.  tsval is ts_now sampled when the
 * descriptor was accepted (every segment of a TSO send carries it).  A
 * failed descriptor reads nothing and emits nothing.  c as for
 * toe_tx_check().
 *
 * The contract has no error path for a failed DMA read (the read data
 * stream has no error signal), so a read that fails inside the window is a
 * broken harness: the model prints a message and aborts.
 */
void toe_tx_model_process(struct toe_tx_model *m, const struct toe_tx_desc *d,
                          const struct toe_tx_ctx *c, uint32_t tsval,
                          toe_tx_emit_fn emit, void *emit_arg,
                          struct toe_tx_cpl *cpl);

/*
 * Payload bytes per TSO segment for context c: mss, less the 12 option
 * bytes with timestamps (RFC 6691).  Meaningful once c->mss passed ERR_MSS.
 */
uint32_t toe_tx_smax(const struct toe_tx_ctx *c);

#endif /* TOE_TX_MODEL_H */
