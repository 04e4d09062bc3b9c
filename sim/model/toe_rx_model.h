/*
 * Bit-exact reference model of the RX engine (toe_rx_engine).
 *
 * The behaviour is docs/rx-datapath.md; this model and the RTL both follow
 * it, and the co-simulation feeds both the same inputs in the same order and
 * compares every output stream (DMA writes, events, exception records and
 * frames, ACK frames, command responses, counters) byte for byte.
 *
 * Call order: toe_rx_model_new(), optionally toe_rx_model_set_cfg(), then
 * one call per input in arrival order - toe_rx_model_tick() for a tick,
 * toe_rx_model_frame() for a received frame, toe_rx_model_cmd() for a
 * command (inputs of the same cycle: tick, frame, command) - and finally
 * toe_rx_model_free().  Every output an input causes is delivered through
 * the callbacks before the call returns, stamped with that input's tick
 * count.
 *
 * The timestamp clock (TSval of the ACKs, RFC 7323) is kept in ticks, as
 * the contract has it: it starts at 0 and moves on by one every
 * cfg.ts_ticks ticks.  The ts_now arguments of the input functions are
 * therefore not used; they stay so that callers written against the first
 * version of this API keep compiling.
 *
 * Source files: toe_rx_model.c (the object, inputs, output helpers),
 * toe_rx_parse.c (parsing and verification), toe_rx_conn.c (connection
 * processing), toe_rx_ack.c (ACK frames), toe_rx_cmd.c (commands and
 * ticks), toe_rx_warp.c (idle ticks in O(1)); toe_rx_priv.h holds what
 * they share.
 */
#ifndef TOE_RX_MODEL_H
#define TOE_RX_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "toe_formats.h"

/* rx_ctx.pend bits (formats.md) */
#define TOE_RX_PEND_DELACK 0x01u /* a delayed ACK is armed */
#define TOE_RX_PEND_ACKED 0x02u  /* TX_UPDATE pending: snd_una advanced */
#define TOE_RX_PEND_WND 0x04u    /* TX_UPDATE pending: the peer window changed */
#define TOE_RX_PEND_TX_UPDATE (TOE_RX_PEND_ACKED | TOE_RX_PEND_WND)

/* rx_exc.conn_id when no connection is known */
#define TOE_RX_NO_CONN_ID 0xFFFFu

/*
 * The output streams.  Any callback may be NULL (that stream is discarded);
 * pointers passed to a callback are valid only during the call.
 */
struct toe_rx_out {
    /* Payload placement: one contiguous run of host memory.  A segment
     * that wraps the end of its ring gives two calls, in ring order. */
    void (*dma_write)(void *arg, uint64_t addr, const uint8_t *data, size_t len);
    void (*event)(void *arg, const struct toe_rx_event *ev);
    /* A frame for the host, whole as received (padding included). */
    void (*exception)(void *arg, const struct toe_rx_exc *rec,
                      const uint8_t *frame, size_t len);
    /* A generated ACK frame, unpadded (54, 58, 66 or 70 bytes). */
    void (*ack)(void *arg, const uint8_t *frame, size_t len);
    /* One per command; ctx is the entry for a successful READ, else NULL. */
    void (*response)(void *arg, const struct toe_conn_rsp *rsp,
                     const struct toe_rx_ctx *ctx);
    void *arg;
};

/* Ticks per timestamp-clock unit by default: 1 ms at the 10 us tick. */
#define TOE_RX_TS_TICKS_DEFAULT 100u

/* cfg_delack_ticks_i, cfg_coalesce_bytes_i, cfg_ts_ticks_i */
struct toe_rx_cfg {
    uint32_t delack_ticks, coalesce_bytes, ts_ticks;
};

struct toe_rx_model;

/*
 * A model with an empty table of conn_max entries (a power of two,
 * 4..65536), now = 0, timestamp clock 0, counters 0, cfg the defaults
 * (DELACK_TICKS_DEFAULT, RX_EVENT_COALESCE_DEFAULT,
 * TOE_RX_TS_TICKS_DEFAULT); *out is copied.  NULL if conn_max is not
 * allowed or memory runs out.  out may be NULL (every stream discarded).
 */
struct toe_rx_model *toe_rx_model_new(uint32_t conn_max,
                                      const struct toe_rx_out *out);

/* Free m; NULL is allowed. */
void toe_rx_model_free(struct toe_rx_model *m);

/* The configuration inputs; they take effect from the next input on. */
void toe_rx_model_set_cfg(struct toe_rx_model *m, const struct toe_rx_cfg *cfg);

/*
 * One tick of the timer clock: now += 1 and, every cfg.ts_ticks ticks
 * (every tick when ts_ticks is 0 or 1), the timestamp clock += 1; then for
 * every installed connection in conn_id order its coalesced DATA event, its
 * TX_UPDATE event and its delayed ACK if due (docs/rx-datapath.md,
 * "Ticks").  ts_now is not used (see the file comment).
 */
void toe_rx_model_tick(struct toe_rx_model *m, uint32_t ts_now);

/*
 * One received frame of len bytes (FCS removed; len may be 0 and frame then
 * NULL): classified, then dropped, handed to the host, or processed for its
 * connection.  Frames of any length are safe, however malformed.  ts_now is
 * not used.
 */
void toe_rx_model_frame(struct toe_rx_model *m, const uint8_t *frame,
                        size_t len, uint32_t ts_now);

/*
 * One command; exactly one response comes back.  ctx is the context beside
 * an INSERT and ignored otherwise; a NULL ctx on an INSERT is taken as an
 * all-zero context (which fails BAD_CTX once BAD_ID and BUSY pass).  ts_now
 * is not used.
 */
void toe_rx_model_cmd(struct toe_rx_model *m, const struct toe_conn_cmd *cmd,
                      const struct toe_rx_ctx *ctx, uint32_t ts_now);

/* The RX_CNT_NUM counters, 32-bit wrapping, indexed by RX_CNT_*. */
const uint32_t *toe_rx_model_counters(const struct toe_rx_model *m);

/* The entry of conn_id as the hardware holds it, or NULL if not installed
 * (or conn_id >= conn_max). */
const struct toe_rx_ctx *toe_rx_model_ctx(const struct toe_rx_model *m,
                                          uint16_t conn_id);

/*
 * Nonzero when no tick would do work: no installed connection has a pend
 * bit (delayed ACK armed, TX_UPDATE pending) or unreported placed bytes
 * (ev_rx_bytes). An idle model stays idle through ticks; only a frame or a
 * command can end it. Costs one pass over the installed connections.
 */
int toe_rx_model_idle(const struct toe_rx_model *m);

/*
 * Exactly what `ticks` calls of toe_rx_model_tick() would do, and in O(1)
 * once the model is idle: while it is not, ticks run one by one (their
 * outputs delivered as usual); the idle rest only moves now and the
 * timestamp clock with its divider (toe_rx_warp.c). For a device that
 * skips over time in which nothing happens (docs/device.md, Time).
 */
void toe_rx_model_warp(struct toe_rx_model *m, uint64_t ticks);

/* Ticks so far (the tick count every output is stamped with). */
uint32_t toe_rx_model_now(const struct toe_rx_model *m);

/* The timestamp clock: the TSval an ACK sent now carries. */
uint32_t toe_rx_model_ts(const struct toe_rx_model *m);

/* conn_max as given to toe_rx_model_new(). */
uint32_t toe_rx_model_conn_max(const struct toe_rx_model *m);

/*
 * The window field an ACK sent now would carry for connection state c
 * (docs/rx-datapath.md, "ACK frames"): the free ring space scaled down by
 * rcv_wscale, raised so that the right edge never moves left, at most
 * 65535.  c->rcv_wscale <= 14 and c->buf_size_log2 <= 30 (INSERT's
 * checks).
 */
uint16_t toe_rx_ack_window(const struct toe_rx_ctx *c);

/* Bytes of the largest ACK frame: 14 + 4 + 20 + 20 + 12. */
#define TOE_RX_ACK_MAX 70

/*
 * Write into buf (TOE_RX_ACK_MAX bytes) the ACK frame of connection state c
 * with window field w and TSval tsval, and return its length.  c is not
 * changed: what sending does to it is toe_rx_model's business.
 */
size_t toe_rx_ack_build(const struct toe_rx_ctx *c, uint16_t w, uint32_t tsval,
                        uint8_t *buf);

#endif /* TOE_RX_MODEL_H */
