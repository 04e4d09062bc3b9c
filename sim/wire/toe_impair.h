/*
 * The cable's impairment stage (docs/wire.md): Ethernet frames go in with the time
 * they leave the sender and come out with the time they arrive, lost, duplicated,
 * corrupted, reordered, delayed and rate limited the way Linux's netem qdisc does it.
 * No I/O and no clock of its own: the caller owns virtual time (picoseconds) and
 * asks for frames when they are due.
 *
 *     struct toe_impair_cfg cfg;
 *     toe_impair_cfg_init(&cfg);           defaults: no impairment, limit 1000
 *     cfg.delay_ps = 10000000;             then set the knobs wanted
 *     im = toe_impair_new(&cfg, seed, &why);
 *     toe_impair_push(im, frame, len, now);         as frames are sent
 *     t = toe_impair_next_time(im);                 when to come back
 *     while (toe_impair_pop(im, now, buf, sizeof(buf), &len, &t) == 1) deliver
 *     toe_impair_free(im);
 *
 * Deterministic: the same cfg, seed and sequence of calls give the same frames,
 * bytes and times on any machine (toe_rng.h).  Frames due at the same time come out
 * in the order they went in.  Memory is bounded: at most cfg.limit frames are held.
 */
#ifndef TOE_IMPAIR_H
#define TOE_IMPAIR_H

#include <stddef.h>
#include <stdint.h>

/* Frame lengths accepted by toe_impair_push: 1 .. 16384 bytes (a jumbo frame of
 * 9018 bytes and the model's 16 KiB frame buffer fit). */
#define TOE_IMPAIR_FRAME_MAX 16384u

/* Bounds that keep every time computation inside uint64_t picoseconds
 * (docs/wire.md, "Limits"). */
#define TOE_IMPAIR_LIMIT_DEFAULT 1000u                  /* netem's default */
#define TOE_IMPAIR_LIMIT_MAX 65536u
#define TOE_IMPAIR_DELAY_MAX_PS 3600000000000000ull     /* one hour, delay and jitter each */
#define TOE_IMPAIR_RATE_MIN_BPS 1000ull                 /* 1 kb/s; 0 means unlimited */
#define TOE_IMPAIR_RATE_MAX_BPS 1000000000000000ull     /* 1 Pb/s */
#define TOE_IMPAIR_OVERHEAD_MAX 1024u
#define TOE_IMPAIR_TIME_MAX (1ull << 62)                /* about 53 days of virtual time */

/* Ethernet's cost on the wire of a frame as the cable carries it (destination MAC to
 * the end of the payload, no FCS, as in a pcap): 8 bytes of preamble and SFD, 4 of
 * FCS and a 12-byte inter-frame gap (docs/wire.md, "Rate"). */
#define TOE_IMPAIR_ETH_OVERHEAD 24u
#define TOE_IMPAIR_ETH_MIN_FRAME 60u   /* shorter frames are padded to 60 (+ FCS = 64) */

/* "No frame pending" from toe_impair_next_time. */
#define TOE_IMPAIR_NEVER UINT64_MAX

/* Error returns (negative; toe_impair_strerror names them). */
enum {
    TOE_IMPAIR_E_ARG = -1,   /* a NULL pointer */
    TOE_IMPAIR_E_LEN = -2,   /* frame length 0 or above TOE_IMPAIR_FRAME_MAX */
    TOE_IMPAIR_E_TIME = -3,  /* time earlier than an earlier push or pop, or past TIME_MAX */
    TOE_IMPAIR_E_SPACE = -4, /* pop: the buffer is smaller than the frame due */
    TOE_IMPAIR_E_NOMEM = -5,
};

enum toe_impair_loss_model {
    TOE_IMPAIR_LOSS_RANDOM = 0, /* independent losses with probability `loss` */
    TOE_IMPAIR_LOSS_GE = 1,     /* Gilbert-Elliott, netem's `loss gemodel p r 1-h 1-k` */
};

/*
 * Every knob is off at its zero value except limit (and the Ethernet framing, which
 * only matters with a rate); toe_impair_cfg_init gives that starting point.
 * Probabilities are in [0, 1].
 */
struct toe_impair_cfg {
    /* Delay: each frame is held delay_ps, plus a jitter drawn uniformly from
     * [-jitter_ps, +jitter_ps]; a negative total counts as zero.  netem `delay D J`. */
    uint64_t delay_ps;
    uint64_t jitter_ps;

    /* Loss.  RANDOM: each frame is lost with probability `loss`.  GE: a two-state
     * chain; in the good state a frame is lost with probability ge_loss_good (1-k),
     * in the bad state with ge_loss_bad (1-h); after each frame the chain goes good
     * to bad with ge_p and bad to good with ge_r.  `loss` must be 0 with GE.  tc's
     * defaults for the parameters it lets you leave out: r 1, 1-h 1, 1-k 0. */
    enum toe_impair_loss_model loss_model;
    double loss;
    double ge_p, ge_r, ge_loss_bad, ge_loss_good;

    /* Duplication: a frame goes out twice with probability `duplicate`; the copy
     * is impaired on its own (loss, corruption, delay) like any frame. */
    double duplicate;

    /* Corruption: with probability `corrupt` one bit of the frame, chosen uniformly
     * among its 8 * len bits, is inverted. */
    double corrupt;

    /* Reordering (netem): once reorder_gap - 1 frames in a row have been delayed,
     * each frame is sent at once, skipping delay and rate, with probability
     * `reorder`, and overtakes the frames still held.  reorder_gap 0 means 1 (every
     * frame may go early, tc's default).  Needs delay_ps > 0, as tc requires. */
    double reorder;
    uint32_t reorder_gap;

    /* Rate: the link carries rate_bps bits/s (0: unlimited).  A frame of len bytes
     * occupies it for (max(len, min_frame_bytes) + overhead_bytes) * 8 / rate_bps
     * seconds after its delay, behind the frames before it; it arrives when its last
     * bit does.  netem `rate R packetoverhead OVERHEAD`. */
    uint64_t rate_bps;
    uint32_t overhead_bytes;
    uint32_t min_frame_bytes;

    /* The most frames held at once (1 .. TOE_IMPAIR_LIMIT_MAX); a frame that finds
     * the stage full is dropped (tail drop) and counted in limit_drops. */
    uint32_t limit;
};

/* What happened, in frames (a duplicate counts as a frame of its own). */
struct toe_impair_counters {
    uint64_t in;           /* frames accepted by push */
    uint64_t out;          /* frames handed out by pop */
    uint64_t lost;         /* dropped by the loss model */
    uint64_t duplicated;   /* extra copies made */
    uint64_t corrupted;    /* frames that had a bit inverted */
    uint64_t reordered;    /* frames sent at once by the reorder knob */
    uint64_t limit_drops;  /* tail drops: the stage held `limit` frames */
    uint64_t out_of_order; /* frames popped after a frame pushed later (by reorder or jitter) */
    uint64_t refused;      /* push and pop calls refused with an error */
    uint64_t queued;       /* frames held now */
};

/* The starting configuration: everything off, limit TOE_IMPAIR_LIMIT_DEFAULT,
 * Ethernet framing (TOE_IMPAIR_ETH_OVERHEAD, TOE_IMPAIR_ETH_MIN_FRAME). */
void toe_impair_cfg_init(struct toe_impair_cfg *cfg);

/* NULL if cfg is usable, else a message naming the field and the rule it breaks. */
const char *toe_impair_cfg_check(const struct toe_impair_cfg *cfg);

/*
 * A stage with configuration cfg (copied) and random seed `seed`.  NULL when cfg
 * is NULL or fails toe_impair_cfg_check, or memory runs out; *why (if why is not
 * NULL) then says which.  Free with toe_impair_free, which accepts NULL.
 */
struct toe_impair *toe_impair_new(const struct toe_impair_cfg *cfg, uint64_t seed,
                                  const char **why);
void toe_impair_free(struct toe_impair *im);

/*
 * Send a frame of len bytes (copied) at time_ps.  Times must not go back: time_ps
 * is at least the time of the previous push and of the previous pop (the stage's
 * clock), and below TOE_IMPAIR_TIME_MAX.  Returns how many copies were queued (0:
 * lost or dropped, 1, or 2 when duplicated), or a negative TOE_IMPAIR_E_* (the
 * frame is not taken and `refused` counts the call).
 */
int toe_impair_push(struct toe_impair *im, const uint8_t *frame, size_t len,
                    uint64_t time_ps);

/* The delivery time of the next frame, or TOE_IMPAIR_NEVER when none is held. */
uint64_t toe_impair_next_time(const struct toe_impair *im);

/*
 * The next frame due at or before now_ps, in delivery order (time, then push
 * order): copied into buf (cap bytes), its length in *len and delivery time in
 * *time_ps (time_ps may be NULL).  Returns 1 with a frame, 0 when none is due, or
 * a negative TOE_IMPAIR_E_*: E_SPACE leaves the frame queued and sets *len to the
 * size needed.  Advances the stage's clock to now_ps.
 */
int toe_impair_pop(struct toe_impair *im, uint64_t now_ps, uint8_t *buf, size_t cap,
                   size_t *len, uint64_t *time_ps);

/* A snapshot of the counters (all zero for a NULL im). */
void toe_impair_counters(const struct toe_impair *im, struct toe_impair_counters *c);

/* A short description of a TOE_IMPAIR_E_* value. */
const char *toe_impair_strerror(int err);

#endif /* TOE_IMPAIR_H */
