/*
 * The stack's netif over the driver core (docs/tcp.md, "Offload"): frames go
 * out as raw sends, frames the device hands up (the exception path) come in,
 * the clock is the driver's; an ESTABLISHED connection goes into the hardware
 * table (CONN_CREATE through the firmware) with a receive ring in DMA memory,
 * its in-order data comes back through DATA events, and it leaves the table
 * when it leaves ESTABLISHED. Used by toed and by the embedded harness.
 *
 * Order: toe_stack_drv_new(), its callbacks into the driver's options
 * (toe_stack_drv_callbacks), the driver attach, then toe_stack_drv_start().
 */
#ifndef TOE_STACK_DRV_H
#define TOE_STACK_DRV_H

#include <stddef.h>
#include <stdint.h>

#include "toe_dev_drv.h"
#include "toe_stack.h"

struct toe_stack_drv;

struct toe_stack_drv_stats {
    uint64_t offloaded, offload_failed, unoffloaded;
    uint64_t hw_bytes;           /* bytes the hardware placed and the stack took */
    uint64_t data_events, update_events, bad_events;
    uint64_t tx_refused;         /* raw sends the driver refused (ring full) */
    uint64_t admin_errors;
};

struct toe_stack_drv *toe_stack_drv_new(void);
/* Sets on_frame, on_event and cb_arg in the driver's options. */
void toe_stack_drv_callbacks(struct toe_stack_drv *sd, struct toe_drv_opts *o);
/*
 * The device gets cfg's MAC (filtering on) and address; the stack starts over
 * the driver. offload: install ESTABLISHED connections in the hardware. 0, or
 * -1 with a message in err.
 */
int toe_stack_drv_start(struct toe_stack_drv *sd, struct toe_drv *d, const struct toe_stack_cfg *cfg,
                        int offload, char *err, size_t errlen);
/* Blocking socket calls wait through hook instead (toe_harness's wait_hook). */
void toe_stack_drv_set_wait_hook(struct toe_stack_drv *sd, int (*hook)(void *arg, uint64_t deadline_ns),
                                 void *arg);
/* One step: the driver waits for an interrupt, the stack's next timer or
 * deadline_ns, runs what came, then the stack's timers. */
void toe_stack_drv_step(struct toe_stack_drv *sd, uint64_t deadline_ns);
struct toe_stack *toe_stack_drv_stack(struct toe_stack_drv *sd);
const struct toe_stack_drv_stats *toe_stack_drv_stats(const struct toe_stack_drv *sd);
/* Bytes of this glue's table per hardware connection. */
size_t toe_stack_drv_bytes_per_conn(void);
/* The stack and the hardware entries go (the driver stays the caller's). */
void toe_stack_drv_free(struct toe_stack_drv *sd);

#endif /* TOE_STACK_DRV_H */
