/*
 * What the RX model's source files share: the model object and the steps
 * one input goes through.  Not for users of the model (toe_rx_model.h is);
 * the unit tests include it to check the parser on its own.
 *
 * Call order for a frame: toe_rx_model_frame() -> toe_rx_parse() ->
 * (drop | exception | toe_rx_segment() -> placement, events,
 * toe_rx_send_ack()).  For a command: toe_rx_model_cmd() -> toe_rx_cmd_*().
 * For a tick: toe_rx_model_tick() -> per connection DATA, TX_UPDATE,
 * toe_rx_send_ack().
 */
#ifndef TOE_RX_PRIV_H
#define TOE_RX_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "toe_conn_table.h"
#include "toe_formats.h"
#include "toe_rx_model.h"

struct toe_rx_model {
    uint32_t conn_max;
    uint32_t now;                 /* ticks since reset */
    uint32_t ts;                  /* the timestamp clock (TSval) */
    uint32_t ts_sub;              /* ticks since ts last moved on */
    struct toe_rx_out out;
    struct toe_rx_cfg cfg;
    uint32_t cnt[RX_CNT_NUM];
    struct toe_conn_table *table; /* 4-tuple -> conn_id */
    struct toe_rx_ctx *ctx;       /* [conn_max] entries */
    uint64_t *installed;          /* [conn_max / 64 rounded up] bitmap */
    /* Installed entries that may have tick work (pend or ev_rx_bytes set):
     * a superset, narrowed by the ticks, so that a tick and the idle test
     * visit those instead of every installed entry (65536 of them). */
    uint64_t *active;
};

/* ---- parsing (toe_rx_parse.c) ---- */

enum toe_rx_verdict {
    TOE_RX_DROP = 1, /* reason is an RX_DROP_* */
    TOE_RX_EXC,      /* reason is an RX_EXC_* (before the table lookup) */
    TOE_RX_TCP,      /* a verified TCP segment: look its 4-tuple up */
};

struct toe_rx_parsed {
    uint8_t verdict;   /* enum toe_rx_verdict */
    uint8_t reason;    /* RX_DROP_* or RX_EXC_* */
    uint8_t l3, l4;    /* as the rx_exc record carries them */
    /* TOE_RX_TCP only: */
    uint32_t src_ip, dst_ip;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;     /* byte 13: TCP_FLAG_* */
    uint16_t wnd;      /* window field, unscaled */
    uint32_t len4;     /* TCP header + payload */
    uint32_t hlen;     /* 4 * data offset */
    int has_ts;        /* a kind 8 length 10 option was seen */
    int other_opts;    /* any option but EOL, NOP, timestamps */
    uint32_t tsval, tsecr;
};

/*
 * Classify frame[0..n) by the first rule of docs/rx-datapath.md, "Parsing
 * and verification", that applies, up to (not including) the table lookup
 * of rule 10.  Reads only frame[0..n); n may be 0 with frame NULL.
 * Returns p->verdict.
 */
uint8_t toe_rx_parse(const uint8_t *frame, size_t n, struct toe_rx_parsed *p);

/* ---- outputs (toe_rx_model.c) ---- */

/* An event stamped with the current tick count; counts RX_CNT_EVENTS. */
void toe_rx_emit_event(struct toe_rx_model *m, uint8_t type, uint8_t flags,
                       uint16_t conn_id, uint32_t seq, uint32_t val);

/* A frame to the exception path with its record; counts RX_CNT_EXC and
 * the reason's counter. */
void toe_rx_emit_exc(struct toe_rx_model *m, uint8_t reason, uint16_t conn_id,
                     uint8_t l3, uint8_t l4, const uint8_t *frame, size_t n);

int toe_rx_installed(const struct toe_rx_model *m, uint32_t conn_id);
void toe_rx_set_installed(struct toe_rx_model *m, uint32_t conn_id, int on);
/* conn_id may have tick work now (its pend or ev_rx_bytes became nonzero). */
void toe_rx_set_active(struct toe_rx_model *m, uint32_t conn_id);

/* ---- connection processing (toe_rx_conn.c) ---- */

/* 2^buf_size_log2 */
uint32_t toe_rx_ring_size(const struct toe_rx_ctx *c);

/* free = size - (rcv_nxt - rcv_read), modulo 2^32 */
uint32_t toe_rx_free(const struct toe_rx_ctx *c);

/*
 * A verified TCP segment (p, from frame[0..n)) of installed connection
 * conn_id: docs/rx-datapath.md, "Connection processing".
 */
void toe_rx_segment(struct toe_rx_model *m, uint16_t conn_id,
                    const struct toe_rx_parsed *p, const uint8_t *frame,
                    size_t n);

/* ---- ACKs (toe_rx_ack.c) ---- */

/*
 * Send an ACK for conn_id for reason why (ACK_WHY_*), TSval the timestamp
 * clock, and update the entry as sending one does (docs/rx-datapath.md,
 * "ACK frames").
 */
void toe_rx_send_ack(struct toe_rx_model *m, uint16_t conn_id, uint8_t why);

/* ---- commands and ticks (toe_rx_cmd.c) ---- */

void toe_rx_cmd(struct toe_rx_model *m, const struct toe_conn_cmd *cmd,
                const struct toe_rx_ctx *ctx);
void toe_rx_tick(struct toe_rx_model *m);

#endif /* TOE_RX_PRIV_H */
