/*
 * The driver's internals, shared by its files (bring-up, rings, admin, irq,
 * raw frames) and by the tests that feed its ring consumers. Not an API.
 */
#ifndef TOE_DRV_PRIV_H
#define TOE_DRV_PRIV_H

#include <stdint.h>

#include "toe_dev_drv.h"
#include "toe_dma.h"
#include "toe_pci.h"
#include "toe_plat.h"

/* One ring as the driver keeps it. Indices are free-running, as the device's. */
struct toe_ring {
    unsigned qid;
    uint32_t log2, n, mask;
    uint32_t esize;             /* bytes per entry */
    int d2h;                    /* device-to-host: entries carry a phase bit */
    uint8_t phase_off, phase_bit;
    uint32_t vector;            /* QREG_VECTOR as written */
    struct toe_dma mem;
    uint32_t prod;              /* host-to-device: the next index we fill */
    uint32_t cons;              /* device-to-host: the next index we read */
};

/* A send in flight, by TXQ slot (the descriptor's tag). */
struct toe_tx_slot {
    int busy;
    uint64_t cookie;
    uint16_t conn_id;
};

/* An RXBQ slot: which buffer it names, while posted. */
struct toe_rx_post {
    int posted;
    uint32_t idx;               /* the free-running RXBQ index it was posted at */
    uint32_t buf;               /* buffer number in the pool */
};

struct toe_drv {
    struct toe_plat *plat;
    struct toe_pci_dev pci;
    int have_pci;
    struct toe_drv_opts opts;
    char err[256];

    uint32_t if_version, conn_max, features;
    struct toe_ring ring[DEV_QUEUES];
    int up;                     /* rings running */
    int reset_sent;             /* attach has reset the device */

    /* TX */
    struct toe_dma tx_bufs;     /* one RAW_MAX_LEN buffer per TXQ slot */
    struct toe_tx_slot *tx_slot;
    uint32_t tx_done;           /* the oldest send in flight (TXQ index) */

    /* RX exception buffers */
    struct toe_dma rx_pool;
    uint32_t rx_buf_len, rx_stride, rx_nbufs;
    struct toe_rx_post *rx_post; /* by RXBQ slot */
    uint32_t *rx_free;          /* stack of buffer numbers not posted */
    uint32_t rx_nfree;

    /* admin */
    struct toe_dma scratch;     /* commands' host buffers */
    uint16_t admin_tag;
    int admin_busy;             /* a command waits for its completion */
    uint16_t admin_want_tag;
    uint8_t admin_want_op;
    uint32_t admin_want_head;
    int admin_late;             /* a timed-out command's completion may still come */
    uint16_t admin_late_tag;

    uint32_t irq_pending;       /* vectors fired and not yet handled */
    struct toe_drv_stats stats;
};

#define TOE_DRV_SCRATCH 4096u

/* Sets d->err and returns -e. */
int toe_drv_fail(struct toe_drv *d, int e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* toe_drv_ring.c */
int toe_ring_alloc(struct toe_drv *d, unsigned qid, uint32_t log2);
void toe_ring_free(struct toe_drv *d, struct toe_ring *r);
/* Programs BASE, SIZE_LOG2, VECTOR, sets ENABLE and checks ERROR. */
int toe_ring_start(struct toe_drv *d, struct toe_ring *r);
void toe_ring_stop(struct toe_drv *d, struct toe_ring *r);
/* Device-to-host: copies the entry at cons into buf (esize bytes) when its
 * phase says the device wrote it on this pass. 1, or 0 when none is there. */
int toe_ring_peek(const struct toe_ring *r, void *buf);
/* The host-to-device slot at prod. */
void *toe_ring_slot(const struct toe_ring *r, uint32_t idx);
/* Tells the device how far we got: CONS (device-to-host) or PROD. */
void toe_ring_doorbell(struct toe_drv *d, struct toe_ring *r);

/* toe_drv_raw.c: the consumers (the fuzz test calls them directly). Each
 * returns the entries it took (good and bad), at most budget (0: no limit). */
unsigned toe_drv_txcq_poll(struct toe_drv *d, unsigned budget);
unsigned toe_drv_excq_poll(struct toe_drv *d, unsigned budget);
unsigned toe_drv_evq_poll(struct toe_drv *d, unsigned budget);
/* Posts free RX buffers into free RXBQ slots; rings the doorbell. */
void toe_drv_rx_refill(struct toe_drv *d);
int toe_drv_rx_setup(struct toe_drv *d);
int toe_drv_tx_setup(struct toe_drv *d);
/* Every send in flight ends with TOE_TX_ABORTED; every posted RX buffer is
 * taken back (reset, detach). */
void toe_drv_tx_abort_all(struct toe_drv *d);
void toe_drv_rx_unpost_all(struct toe_drv *d);

/* toe_drv_admin.c: takes ACQ entries; 1 when the awaited completion came
 * (into *cpl), 0 when not yet. Bad entries are counted and skipped. */
int toe_drv_acq_reap(struct toe_drv *d, struct toe_admin_cpl *cpl);
/* Fills the ASQ slot and rings the doorbell; the command's tag is set. */
int toe_drv_admin_submit(struct toe_drv *d, struct toe_admin_cmd *cmd);

/* toe_drv_irq.c */
int toe_drv_irq_setup(struct toe_drv *d);
void toe_drv_irq_teardown(struct toe_drv *d);
/* Sleeps up to ns of platform time, keeping any vectors that fire. */
int toe_drv_sleep(struct toe_drv *d, int64_t ns);

#endif
