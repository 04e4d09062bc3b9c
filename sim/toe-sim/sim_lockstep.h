/*
 * Lockstep: the RTL and the C model as one device (docs/toe-sim.md,
 * "Lockstep"). Every input goes to both at the same device time; the RTL's
 * outputs go to the machine, the model's are kept; and the two are compared:
 *
 *   frames      in order, byte for byte, in two streams (the RX engine's pure
 *               ACKs, everything else), since the port interleaves the two by
 *               timing;
 *   DMA writes  byte images of everything each side wrote, compared whenever
 *               both are quiescent (nothing in flight): the same bytes at the
 *               same addresses;
 *   counters    TX, RX and device counters at those points, all but the MSI-X
 *               message counts (a transaction-level model batches entries that
 *               the RTL writes clock by clock);
 *   interrupts  at points where both are wholly idle, the set of vectors that
 *               sent messages since the last such point;
 *   registers   every BAR0 and firmware-window read whose value does not depend
 *               on timing (identity, configuration, queue setup, the mailbox,
 *               results of finished operations).
 *
 * The first divergence stops toe-sim with a report naming the time, the stream,
 * the byte and the seed.
 */
#ifndef SIM_LOCKSTEP_H
#define SIM_LOCKSTEP_H

#include <stdint.h>

#include "toe_dev.h"

/* How the comparison itself is tested: a second model as the primary (no RTL
 * needed; both sides then take their inputs at once), and a fault injected
 * into what the primary is seen to do - the nth (from 1) frame it sends gets a
 * byte flipped, or the nth DMA write, or its nth MSI-X message goes unseen -
 * which must be reported. */
enum sim_lockstep_fault { SIM_LS_FAULT_NONE, SIM_LS_FAULT_FRAME, SIM_LS_FAULT_DMA, SIM_LS_FAULT_IRQ };
struct sim_lockstep_opts {
    int model_primary;
    enum sim_lockstep_fault fault;
    uint64_t fault_n;
};

/* A lockstep device over a new RTL (or, with o->model_primary, a second model)
 * and a new model; NULL if either fails. o may be NULL. */
struct toe_dev *sim_lockstep_new(const struct toe_dev_cfg *cfg, const struct toe_dev_env *env,
                                 uint64_t seed, const struct sim_lockstep_opts *o);

/* Nonzero once d is a lockstep device that has diverged (the report is on
 * stderr); 0 for any other device. */
int sim_lockstep_diverged(const struct toe_dev *d);

struct sim_lockstep_stats {
    uint64_t frames_compared, checkpoints, bytes_compared, reads_compared, irq_compares;
};
/* 0 and *s filled for a lockstep device, -1 otherwise. */
int sim_lockstep_stats(const struct toe_dev *d, struct sim_lockstep_stats *s);

#endif
