/*
 * Parsing impairment settings (docs/wire.md): the option words toe-impair-demo and
 * toe-sim share. Each parser returns 0, or -1 for a malformed or out-of-range value.
 */
#ifndef TOE_IMPAIR_OPTS_H
#define TOE_IMPAIR_OPTS_H

#include <stdint.h>

#include "toe_impair.h"

/* A time with a unit: ps, ns, us, ms, s ("10us"). */
int toe_parse_time(const char *s, uint64_t *ps);
/* A probability (0.05) or a percentage (5%). */
int toe_parse_prob(const char *s, double *p);
/* Bits per second, optionally with k, M or G. */
int toe_parse_rate(const char *s, uint64_t *bps);
/* An unsigned 32-bit number (decimal, 0x hex). */
int toe_parse_u32(const char *s, uint32_t *v);

/* Set impairment knob `key` (delay, jitter, loss, gemodel, duplicate, corrupt,
 * reorder, gap, rate, overhead, min-frame, limit) from its text: 0 set, -1 a bad
 * value, 1 not an impairment key. */
int toe_impair_set(struct toe_impair_cfg *cfg, const char *key, const char *value);

#endif
