/*
 * The cable's impairment stage (toe_impair.h, docs/wire.md).
 *
 * A pushed frame goes through the steps of Linux's netem_enqueue(): the duplicate
 * draw, the loss draw, the queue limit (netem checks it after corrupting; before is
 * cheaper and changes no outcome), corruption, then the copy (which goes through
 * loss, the limit and corruption again on its own), then the reorder-or-delay
 * decision, which gives the frame its delivery time.  Frames wait
 * ordered by (delivery time, enqueue order), so ties keep the order frames went in,
 * and pop takes the first once it is due.  Like netem's tfifo (an rbtree plus a
 * list), the order is kept in two places: a FIFO ring for frames due no earlier
 * than the last one in it, which is nearly all of them without jitter or reordering
 * and costs O(1), and a binary heap for the others.  The first frame is the earlier
 * of the two heads.
 *
 * Each knob draws from its own xoshiro256** stream (toe_rng.h), all seeded from one
 * splitmix64 sequence: switching corruption on does not change which frames are
 * lost, so experiments can change one knob at a time.
 */
#include "toe_impair.h"

#include <stdlib.h>
#include <string.h>

#include "toe_rng.h"

#define PS_PER_S 1000000000000ull

/* One held copy of a frame. */
struct frame {
    uint64_t time;  /* delivery: when its last bit arrives */
    uint64_t index; /* which push it came from (a duplicate shares it) */
    uint32_t len;
    uint8_t data[];
};

/* A queue slot carries its frame's key, so that ordering compares without reaching
 * into the frames (most of the cost of a pop when the keys lived there). */
struct slot {
    uint64_t time;
    uint64_t seq; /* enqueue order, the tie-break */
    struct frame *f;
};

/* The random streams, in the order they are seeded (docs/wire.md, "Randomness"). */
enum { RNG_DUP, RNG_LOSS, RNG_CORRUPT, RNG_REORDER, RNG_DELAY, RNG_COUNT };

struct toe_impair {
    struct toe_impair_cfg cfg;
    /* probabilities as toe_rng_chance thresholds */
    uint64_t thr_loss, thr_dup, thr_corrupt, thr_reorder;
    uint64_t thr_ge_p, thr_ge_r, thr_ge_bad, thr_ge_good;
    uint32_t gap;
    struct toe_rng rng[RNG_COUNT];

    int ge_bad;          /* the Gilbert-Elliott chain is in its bad state */
    uint32_t delayed;    /* frames delayed since the last one sent at once (netem's counter) */
    /* The link is busy until link_ps + link_frac / rate_bps picoseconds; keeping the
     * fraction makes back-to-back frames add up exactly instead of drifting. */
    uint64_t link_ps, link_frac;

    uint64_t clock;      /* the latest push or pop time: time never goes back */
    uint64_t seq;        /* next enqueue number */
    uint64_t pushes;     /* next push index */
    uint64_t max_out;    /* 1 + the highest push index popped so far, 0 before any */

    struct slot *heap;   /* cfg.limit slots, nheap used */
    struct slot *fifo;   /* a ring of cfg.limit slots, nfifo used from fhead */
    uint32_t nheap, nfifo, fhead;
    uint32_t n;          /* frames held: nheap + nfifo */
    struct toe_impair_counters c;
};

void toe_impair_cfg_init(struct toe_impair_cfg *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->loss_model = TOE_IMPAIR_LOSS_RANDOM;
    cfg->overhead_bytes = TOE_IMPAIR_ETH_OVERHEAD;
    cfg->min_frame_bytes = TOE_IMPAIR_ETH_MIN_FRAME;
    cfg->limit = TOE_IMPAIR_LIMIT_DEFAULT;
}

/* p is a probability; false for NaN too, which fails both comparisons. */
static int is_prob(double p)
{
    return p >= 0.0 && p <= 1.0;
}

const char *toe_impair_cfg_check(const struct toe_impair_cfg *cfg)
{
    if (!cfg)
        return "no configuration (NULL)";
    if (cfg->delay_ps > TOE_IMPAIR_DELAY_MAX_PS)
        return "delay_ps: above TOE_IMPAIR_DELAY_MAX_PS (one hour)";
    if (cfg->jitter_ps > TOE_IMPAIR_DELAY_MAX_PS)
        return "jitter_ps: above TOE_IMPAIR_DELAY_MAX_PS (one hour)";
    if (cfg->loss_model != TOE_IMPAIR_LOSS_RANDOM && cfg->loss_model != TOE_IMPAIR_LOSS_GE)
        return "loss_model: neither TOE_IMPAIR_LOSS_RANDOM nor TOE_IMPAIR_LOSS_GE";
    if (!is_prob(cfg->loss))
        return "loss: probability not in [0, 1]";
    if (!is_prob(cfg->ge_p) || !is_prob(cfg->ge_r) || !is_prob(cfg->ge_loss_bad) ||
        !is_prob(cfg->ge_loss_good))
        return "ge_p, ge_r, ge_loss_bad, ge_loss_good: probability not in [0, 1]";
    if (cfg->loss_model == TOE_IMPAIR_LOSS_GE && cfg->loss != 0.0)
        return "loss: must be 0 with the Gilbert-Elliott model, whose ge_* fields set the losses";
    if (cfg->loss_model == TOE_IMPAIR_LOSS_RANDOM &&
        (cfg->ge_p != 0.0 || cfg->ge_r != 0.0 || cfg->ge_loss_bad != 0.0 || cfg->ge_loss_good != 0.0))
        return "ge_*: set, but loss_model is not TOE_IMPAIR_LOSS_GE";
    if (!is_prob(cfg->duplicate))
        return "duplicate: probability not in [0, 1]";
    if (!is_prob(cfg->corrupt))
        return "corrupt: probability not in [0, 1]";
    if (!is_prob(cfg->reorder))
        return "reorder: probability not in [0, 1]";
    if (cfg->reorder > 0.0 && cfg->delay_ps == 0)
        return "reorder: needs delay_ps > 0, or there is nothing to overtake (tc refuses it too)";
    if (cfg->reorder_gap != 0 && cfg->reorder == 0.0)
        return "reorder_gap: set without a reorder probability (tc refuses it too)";
    if (cfg->rate_bps != 0 &&
        (cfg->rate_bps < TOE_IMPAIR_RATE_MIN_BPS || cfg->rate_bps > TOE_IMPAIR_RATE_MAX_BPS))
        return "rate_bps: outside 1 kb/s .. 1 Pb/s (0 means unlimited)";
    if (cfg->overhead_bytes > TOE_IMPAIR_OVERHEAD_MAX)
        return "overhead_bytes: above TOE_IMPAIR_OVERHEAD_MAX (1024)";
    if (cfg->min_frame_bytes > TOE_IMPAIR_FRAME_MAX)
        return "min_frame_bytes: above TOE_IMPAIR_FRAME_MAX (16384)";
    if (cfg->limit == 0 || cfg->limit > TOE_IMPAIR_LIMIT_MAX)
        return "limit: outside 1 .. TOE_IMPAIR_LIMIT_MAX (65536) frames";
    return NULL;
}

struct toe_impair *toe_impair_new(const struct toe_impair_cfg *cfg, uint64_t seed,
                                  const char **why)
{
    const char *bad = toe_impair_cfg_check(cfg);
    struct toe_impair *im;
    uint64_t sm = seed;

    if (why)
        *why = bad;
    if (bad)
        return NULL;
    im = calloc(1, sizeof(*im));
    if (!im)
        goto fail_nomem;
    im->heap = calloc(cfg->limit, sizeof(im->heap[0]));
    im->fifo = calloc(cfg->limit, sizeof(im->fifo[0]));
    if (!im->heap || !im->fifo)
        goto fail_heap;
    im->cfg = *cfg;
    im->thr_loss = toe_rng_threshold(cfg->loss);
    im->thr_dup = toe_rng_threshold(cfg->duplicate);
    im->thr_corrupt = toe_rng_threshold(cfg->corrupt);
    im->thr_reorder = toe_rng_threshold(cfg->reorder);
    im->thr_ge_p = toe_rng_threshold(cfg->ge_p);
    im->thr_ge_r = toe_rng_threshold(cfg->ge_r);
    im->thr_ge_bad = toe_rng_threshold(cfg->ge_loss_bad);
    im->thr_ge_good = toe_rng_threshold(cfg->ge_loss_good);
    im->gap = cfg->reorder_gap ? cfg->reorder_gap : 1;
    for (int i = 0; i < RNG_COUNT; i++)
        toe_rng_seed(&im->rng[i], &sm);
    return im;

fail_heap:
    free(im->heap);
    free(im->fifo);
    free(im);
fail_nomem:
    if (why)
        *why = "out of memory";
    return NULL;
}

void toe_impair_free(struct toe_impair *im)
{
    if (!im)
        return;
    for (uint32_t i = 0; i < im->nheap; i++)
        free(im->heap[i].f);
    for (uint32_t i = 0; i < im->nfifo; i++)
        free(im->fifo[(im->fhead + i) % im->cfg.limit].f);
    free(im->heap);
    free(im->fifo);
    free(im);
}

const char *toe_impair_strerror(int err)
{
    switch (err) {
    case 0: return "success";
    case TOE_IMPAIR_E_ARG: return "NULL argument";
    case TOE_IMPAIR_E_LEN: return "frame length 0 or above TOE_IMPAIR_FRAME_MAX";
    case TOE_IMPAIR_E_TIME: return "time earlier than the stage's clock, or past TOE_IMPAIR_TIME_MAX";
    case TOE_IMPAIR_E_SPACE: return "buffer smaller than the frame due";
    case TOE_IMPAIR_E_NOMEM: return "out of memory";
    default: return "unknown error";
    }
}

/* ---- held frames, ordered by (time, seq): a FIFO ring and a heap ---------------- */

static int before(const struct slot *a, const struct slot *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void heap_push(struct toe_impair *im, struct slot s)
{
    uint32_t i = im->nheap++;

    while (i > 0) {
        uint32_t parent = (i - 1) / 2;

        if (!before(&s, &im->heap[parent]))
            break;
        im->heap[i] = im->heap[parent];
        i = parent;
    }
    im->heap[i] = s;
}

static struct frame *heap_pop(struct toe_impair *im)
{
    struct frame *top = im->heap[0].f;
    struct slot last = im->heap[--im->nheap];
    uint32_t i = 0;

    for (;;) {
        uint32_t child = 2 * i + 1;

        if (child >= im->nheap)
            break;
        if (child + 1 < im->nheap && before(&im->heap[child + 1], &im->heap[child]))
            child++;
        if (!before(&im->heap[child], &last))
            break;
        im->heap[i] = im->heap[child];
        i = child;
    }
    if (im->nheap > 0)
        im->heap[i] = last;
    return top;
}

static struct slot *fifo_at(struct toe_impair *im, uint32_t i)
{
    return &im->fifo[(im->fhead + i) % im->cfg.limit];
}

/* Queue f by its delivery time; room was checked (n < limit). */
static void enqueue(struct toe_impair *im, struct frame *f)
{
    struct slot s = {f->time, im->seq++, f};

    if (im->nfifo == 0 || s.time >= fifo_at(im, im->nfifo - 1)->time)
        *fifo_at(im, im->nfifo++) = s; /* sorted still: seq grows too */
    else
        heap_push(im, s);
    im->n++;
}

/* The first frame held (n > 0): the earlier of the two heads. */
static const struct slot *first(const struct toe_impair *im)
{
    const struct slot *fifo_head = &im->fifo[im->fhead];

    if (im->nheap == 0)
        return fifo_head;
    if (im->nfifo == 0 || before(&im->heap[0], fifo_head))
        return &im->heap[0];
    return fifo_head;
}

static struct frame *dequeue(struct toe_impair *im)
{
    const struct slot *s = first(im);
    struct frame *f;

    im->n--;
    if (s == &im->heap[0])
        return heap_pop(im);
    f = s->f;
    im->fhead = (im->fhead + 1) % im->cfg.limit;
    im->nfifo--;
    return f;
}

/* ---- the impairments ------------------------------------------------------------- */

/* netem's loss_event(): one Bernoulli trial, or a step of the Gilbert-Elliott chain
 * (the state a frame finds decides its loss; the chain then moves on). */
static int loss_event(struct toe_impair *im)
{
    struct toe_rng *r = &im->rng[RNG_LOSS];
    int lost;

    if (im->cfg.loss_model == TOE_IMPAIR_LOSS_RANDOM)
        return im->thr_loss != 0 && toe_rng_chance(r, im->thr_loss);
    if (!im->ge_bad) {
        im->ge_bad = toe_rng_chance(r, im->thr_ge_p);
        lost = toe_rng_chance(r, im->thr_ge_good);
    } else {
        im->ge_bad = !toe_rng_chance(r, im->thr_ge_r);
        lost = toe_rng_chance(r, im->thr_ge_bad);
    }
    return lost;
}

/* Invert one bit, each of the frame's 8 * len bits equally likely.  netem picks a
 * byte, then a bit of it; one draw over all bits is the same distribution. */
static void maybe_corrupt(struct toe_impair *im, struct frame *f)
{
    uint64_t bit;

    if (im->thr_corrupt == 0 || !toe_rng_chance(&im->rng[RNG_CORRUPT], im->thr_corrupt))
        return;
    bit = toe_rng_below(&im->rng[RNG_CORRUPT], (uint64_t)f->len * 8);
    f->data[bit >> 3] ^= (uint8_t)(1u << (bit & 7));
    im->c.corrupted++;
}

/* Serialization at rate_bps (netem's rate): the frame starts when it is ready and
 * the link is free, and arrives when its last bit has been sent.  Returns the
 * arrival time, rounded up to a whole picosecond. */
static uint64_t serialize(struct toe_impair *im, uint64_t ready, uint32_t len)
{
    const uint64_t rate = im->cfg.rate_bps;
    uint64_t bytes = (len > im->cfg.min_frame_bytes ? len : im->cfg.min_frame_bytes) +
                     (uint64_t)im->cfg.overhead_bytes;
    uint64_t total;

    if (ready > im->link_ps || (ready == im->link_ps && im->link_frac == 0)) {
        im->link_ps = ready; /* an idle link: start now, on a whole picosecond */
        im->link_frac = 0;
    }
    /* at most (16384 + 1024) * 8 * 1e12 + 1e15: far inside 64 bits */
    total = im->link_frac + bytes * 8 * PS_PER_S;
    im->link_ps += total / rate;
    im->link_frac = total % rate;
    return im->link_ps + (im->link_frac != 0);
}

/* netem's reorder-or-delay step: give f its delivery time and queue it. */
static void schedule(struct toe_impair *im, struct frame *f, uint64_t now)
{
    if (im->thr_reorder != 0 && (uint64_t)im->delayed + 1 >= im->gap &&
        toe_rng_chance(&im->rng[RNG_REORDER], im->thr_reorder)) {
        /* sent at once: no delay, no rate, ahead of everything held */
        f->time = now;
        im->delayed = 0;
        im->c.reordered++;
    } else {
        uint64_t d = im->cfg.delay_ps;

        if (im->cfg.jitter_ps) {
            /* uniform on [delay - jitter, delay + jitter], clamped at 0 */
            uint64_t j = im->cfg.jitter_ps;
            uint64_t v = toe_rng_below(&im->rng[RNG_DELAY], 2 * j + 1);

            d = d + v >= j ? d + v - j : 0;
        }
        f->time = now + d;
        if (im->cfg.rate_bps)
            f->time = serialize(im, f->time, f->len);
        if (im->delayed < UINT32_MAX)
            im->delayed++;
    }
    enqueue(im, f);
}

static struct frame *frame_new(const uint8_t *data, uint32_t len, uint64_t index)
{
    struct frame *f = malloc(sizeof(*f) + len);

    if (f) {
        f->len = len;
        f->index = index;
        memcpy(f->data, data, len);
    }
    return f;
}

static int refuse(struct toe_impair *im, int err)
{
    im->c.refused++;
    return err;
}

int toe_impair_push(struct toe_impair *im, const uint8_t *frame, size_t len,
                    uint64_t time_ps)
{
    struct frame *f, *copy = NULL;
    int dup, copies = 0;

    if (!im)
        return TOE_IMPAIR_E_ARG;
    if (!frame)
        return refuse(im, TOE_IMPAIR_E_ARG);
    if (len == 0 || len > TOE_IMPAIR_FRAME_MAX)
        return refuse(im, TOE_IMPAIR_E_LEN);
    if (time_ps < im->clock || time_ps >= TOE_IMPAIR_TIME_MAX)
        return refuse(im, TOE_IMPAIR_E_TIME);
    im->clock = time_ps;
    im->c.in++;

    dup = im->thr_dup != 0 && toe_rng_chance(&im->rng[RNG_DUP], im->thr_dup);
    if (loss_event(im)) {
        if (!dup) {
            im->c.lost++;
            return 0;
        }
        dup = 0; /* netem: of the two copies one is lost, one goes; neither is counted */
    }
    if (im->n >= im->cfg.limit) {
        im->c.limit_drops++;
        return 0;
    }
    f = frame_new(frame, (uint32_t)len, im->pushes);
    /* the copy is taken before the original can be corrupted */
    if (!f || (dup && !(copy = frame_new(frame, (uint32_t)len, im->pushes)))) {
        free(f);
        im->c.in--; /* not taken after all */
        return refuse(im, TOE_IMPAIR_E_NOMEM);
    }
    im->pushes++;
    maybe_corrupt(im, f);

    if (copy) {
        /* The copy goes through loss, corruption and the limit on its own, and is
         * queued first, as netem re-enqueues it before the original.  Unlike netem
         * it must leave room for the original, so the stage never holds more than
         * limit frames. */
        im->c.duplicated++;
        if (loss_event(im)) {
            im->c.lost++;
            free(copy);
        } else if (im->n + 1 >= im->cfg.limit) {
            im->c.limit_drops++;
            free(copy);
        } else {
            maybe_corrupt(im, copy);
            schedule(im, copy, time_ps);
            copies++;
        }
    }
    schedule(im, f, time_ps);
    copies++;
    im->c.queued = im->n;
    return copies;
}

uint64_t toe_impair_next_time(const struct toe_impair *im)
{
    return im && im->n ? first(im)->time : TOE_IMPAIR_NEVER;
}

int toe_impair_pop(struct toe_impair *im, uint64_t now_ps, uint8_t *buf, size_t cap,
                   size_t *len, uint64_t *time_ps)
{
    struct frame *f;

    if (!im)
        return TOE_IMPAIR_E_ARG;
    if (!buf || !len)
        return refuse(im, TOE_IMPAIR_E_ARG);
    if (now_ps > im->clock)
        im->clock = now_ps;
    if (im->n == 0 || first(im)->time > now_ps)
        return 0;
    if (first(im)->f->len > cap) {
        *len = first(im)->f->len;
        return refuse(im, TOE_IMPAIR_E_SPACE);
    }
    f = dequeue(im);
    memcpy(buf, f->data, f->len);
    *len = f->len;
    if (time_ps)
        *time_ps = f->time;
    if (f->index + 1 < im->max_out)
        im->c.out_of_order++;
    else
        im->max_out = f->index + 1;
    im->c.out++;
    im->c.queued = im->n;
    free(f);
    return 1;
}

void toe_impair_counters(const struct toe_impair *im, struct toe_impair_counters *c)
{
    if (!c)
        return;
    if (im)
        *c = im->c;
    else
        memset(c, 0, sizeof(*c));
}
