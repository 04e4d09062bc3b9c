/* Lockstep: the RTL and the model as one device, compared (sim_lockstep.h). */
#define _GNU_SOURCE
#include "sim_lockstep.h"
#include "sim_opts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe_formats.h"

/* ---- byte images of what each side wrote ---------------------------------------------- */

/* Open addressing: address -> byte, with the address + 1 as the key (0 is empty). */
struct bytemap {
    uint64_t *key;
    uint8_t *val;
    size_t cap, n;
};

static size_t slot_of(uint64_t a, size_t cap)
{
    a ^= a >> 33;
    a *= 0xff51afd7ed558ccdull;
    a ^= a >> 33;
    return (size_t)a & (cap - 1);
}

static int bm_grow(struct bytemap *m)
{
    struct bytemap g = {.cap = m->cap ? m->cap * 2 : 4096};

    g.key = calloc(g.cap, sizeof(*g.key));
    g.val = malloc(g.cap);
    if (!g.key || !g.val) {
        free(g.key);
        free(g.val);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->key[i]) {
            size_t j = slot_of(m->key[i], g.cap);

            while (g.key[j])
                j = (j + 1) & (g.cap - 1);
            g.key[j] = m->key[i];
            g.val[j] = m->val[i];
            g.n++;
        }
    }
    free(m->key);
    free(m->val);
    *m = g;
    return 0;
}

static void bm_put(struct bytemap *m, uint64_t addr, uint8_t v)
{
    size_t j;

    if ((m->n + 1) * 2 > m->cap && bm_grow(m))
        return;
    for (j = slot_of(addr + 1, m->cap); m->key[j] && m->key[j] != addr + 1; j = (j + 1) & (m->cap - 1))
        ;
    if (!m->key[j]) {
        m->key[j] = addr + 1;
        m->n++;
    }
    m->val[j] = v;
}

static int bm_get(const struct bytemap *m, uint64_t addr, uint8_t *v)
{
    if (!m->cap)
        return 0;
    for (size_t j = slot_of(addr + 1, m->cap); m->key[j]; j = (j + 1) & (m->cap - 1)) {
        if (m->key[j] == addr + 1) {
            *v = m->val[j];
            return 1;
        }
    }
    return 0;
}

static void bm_clear(struct bytemap *m)
{
    if (m->n)
        memset(m->key, 0, m->cap * sizeof(*m->key));
    m->n = 0;
}

/* ---- frames, in two streams ----------------------------------------------------------- */

struct frame {
    struct frame *next;
    uint64_t t;
    size_t len;
    uint8_t data[];
};

struct fifo {
    struct frame *head, **tail;
    uint64_t seq;   /* frames compared so far in this stream */
};

enum { STREAM_ACK, STREAM_OTHER, STREAMS };
static const char *const stream_name[STREAMS] = {"hardware ACK", "other"};

/* A pure ACK - TCP over IPv4, ACK the only flag, no payload - is what the RX
 * engine generates; the TX engine's frames and raw frames go the other way. */
static int is_pure_ack(const uint8_t *f, size_t len)
{
    size_t l3 = 14, ihl, tot, doff;

    if (len < 14)
        return 0;
    if (f[12] == 0x81 && f[13] == 0x00) {
        l3 = 18;
        if (len < 18)
            return 0;
    }
    if (f[l3 - 2] != 0x08 || f[l3 - 1] != 0x00 || len < l3 + 20 || f[l3 + 9] != 6)
        return 0;
    ihl = (size_t)(f[l3] & 15) * 4;
    tot = (size_t)f[l3 + 2] << 8 | f[l3 + 3];
    if (len < l3 + ihl + 20)
        return 0;
    doff = (size_t)(f[l3 + ihl + 12] >> 4) * 4;
    return f[l3 + ihl + 13] == 0x10 && tot == ihl + doff;
}

/* ---- the lockstep device ---------------------------------------------------------------- */

struct ls {
    struct toe_dev base;
    /* rtl: the primary, whose outputs reach the machine (the RTL, or a model
     * when the comparison itself is under test); model: the one compared. */
    struct toe_dev *rtl, *model;
    const char *pname;             /* how reports name the primary */
    struct sim_lockstep_opts o;
    uint64_t frames_out, dma_writes, msgs;   /* the primary's, for fault injection */
    uint32_t fired[2];             /* vectors that sent a message since the last compare */
    uint32_t mod_count[MSIX_VECTORS];  /* as the firmware set them (FW_VEC_BASE) */
    struct toe_dev_env env;        /* the machine's */
    uint64_t seed;
    struct bytemap wrote[2];       /* 0: RTL, 1: model */
    struct fifo frames[2][STREAMS];
    int diverged;
    uint8_t scratch[65536];
    struct sim_lockstep_stats st;
};

static const struct toe_dev_ops ls_ops;

static struct ls *ls_of(struct toe_dev *d) { return (struct ls *)d; }

static void diverge(struct ls *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diverge(struct ls *l, const char *fmt, ...)
{
    va_list ap;

    if (l->diverged)
        return;
    l->diverged = 1;
    fprintf(stderr, "toe-sim: LOCKSTEP DIVERGENCE at %" PRIu64 " ns (seed %" PRIu64 "): ",
            l->rtl->ops->now(l->rtl) / 1000, l->seed);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void hexdump(const char *who, const uint8_t *p, size_t len, size_t around)
{
    size_t from = around > 16 ? (around - 16) & ~(size_t)15 : 0, to = from + 48 < len ? from + 48 : len;

    fprintf(stderr, "  %-5s", who);
    for (size_t i = from; i < to; i++)
        fprintf(stderr, "%s%02x", i == around ? "[" : i == around + 1 ? "]" : " ", p[i]);
    fprintf(stderr, "   (bytes %zu..%zu of %zu)\n", from, to, len);
}

static void compare_heads(struct ls *l, int s)
{
    struct fifo *a = &l->frames[0][s], *b = &l->frames[1][s];

    while (a->head && b->head && !l->diverged) {
        struct frame *x = a->head, *y = b->head;
        size_t n = x->len < y->len ? x->len : y->len, i;

        for (i = 0; i < n && x->data[i] == y->data[i]; i++)
            ;
        if (i < n || x->len != y->len) {
            diverge(l, "%s frame #%" PRIu64 " differs %s %zu (%s %zu bytes, model %zu)",
                    stream_name[s], a->seq, i < n ? "at byte" : "in length after", i, l->pname, x->len,
                    y->len);
            hexdump(l->pname, x->data, x->len, i);
            hexdump("model", y->data, y->len, i);
        }
        a->seq++;
        b->seq++;
        l->st.frames_compared++;
        a->head = x->next;
        b->head = y->next;
        if (!a->head)
            a->tail = &a->head;
        if (!b->head)
            b->tail = &b->head;
        free(x);
        free(y);
    }
}

static void push_frame(struct ls *l, int side, const uint8_t *f, size_t len, uint64_t t)
{
    int s = is_pure_ack(f, len) ? STREAM_ACK : STREAM_OTHER;
    struct frame *fr = malloc(sizeof(*fr) + len);

    if (!fr) {
        diverge(l, "out of memory keeping frames");
        return;
    }
    fr->next = NULL;
    fr->t = t;
    fr->len = len;
    memcpy(fr->data, f, len);
    *l->frames[side][s].tail = fr;
    l->frames[side][s].tail = &fr->next;
    compare_heads(l, s);
}

/* The RTL's side: the machine's, and recorded. */
static int rtl_dma_read(void *arg, uint64_t a, void *dst, size_t len)
{
    struct ls *l = arg;

    return l->env.dma_read(l->env.arg, a, dst, len);
}

static int rtl_dma_write(void *arg, uint64_t a, const void *src, size_t len)
{
    struct ls *l = arg;
    int r = l->env.dma_write(l->env.arg, a, src, len);
    int fault = l->o.fault == SIM_LS_FAULT_DMA && ++l->dma_writes == l->o.fault_n;

    if (r == 0)
        for (size_t i = 0; i < len; i++)
            bm_put(&l->wrote[0], a + i, (uint8_t)(((const uint8_t *)src)[i] ^ (fault && i == 0)));
    return r;
}

static void rtl_msix(void *arg, unsigned v, uint64_t t)
{
    struct ls *l = arg;

    /* An injected fault: lockstep does not see the primary's Nth message. */
    if (v < MSIX_VECTORS && !(l->o.fault == SIM_LS_FAULT_IRQ && ++l->msgs == l->o.fault_n))
        l->fired[0] |= 1u << v;
    l->env.msix(l->env.arg, v, t);
}

static void rtl_frame_out(void *arg, const uint8_t *f, size_t len, uint64_t t)
{
    struct ls *l = arg;

    l->env.frame_out(l->env.arg, f, len, t);
    if (l->o.fault == SIM_LS_FAULT_FRAME && ++l->frames_out == l->o.fault_n && len > 0) {
        uint8_t *g = malloc(len);

        if (g) {
            memcpy(g, f, len);
            g[len / 2] ^= 0x01;
            push_frame(l, 0, g, len, t);
            free(g);
            return;
        }
    }
    push_frame(l, 0, f, len, t);
}

/* The RTL's engine took an input: the model's engine takes the same one now. */
static void rtl_taken(void *arg, enum toe_dev_input kind, uint64_t t)
{
    struct ls *l = arg;

    l->model->ops->run(l->model, t);
    if (toe_dev_model_release(l->model, kind))
        diverge(l, "the RTL's %s took an input the model does not have",
                kind == TOE_DEV_IN_RX_FRAME ? "RX engine (frame)" :
                kind == TOE_DEV_IN_TX_DESC ? "TX engine (descriptor)" : "RX engine (command)");
}

/* The model's side: reads from the machine, writes kept apart. */
static int model_dma_read(void *arg, uint64_t a, void *dst, size_t len)
{
    struct ls *l = arg;

    return l->env.dma_read(l->env.arg, a, dst, len);
}

static int model_dma_write(void *arg, uint64_t a, const void *src, size_t len)
{
    struct ls *l = arg;

    /* The same bounds check as a real write, without writing: read the range. */
    for (size_t done = 0; done < len;) {
        size_t n = len - done < sizeof(l->scratch) ? len - done : sizeof(l->scratch);

        if (l->env.dma_read(l->env.arg, a + done, l->scratch, n))
            return -EFAULT;
        done += n;
    }
    for (size_t i = 0; i < len; i++)
        bm_put(&l->wrote[1], a + i, ((const uint8_t *)src)[i]);
    return 0;
}

static void model_msix(void *arg, unsigned v, uint64_t t)
{
    struct ls *l = arg;

    (void)t;
    if (v < MSIX_VECTORS)
        l->fired[1] |= 1u << v;
}

/*
 * Interrupts. Message counts and times may differ - the model writes in one
 * instant entries the RTL writes over clocks, so it may signal them in fewer
 * messages - but once both sides are wholly idle (nothing in flight, no
 * moderation timer running) every entry written has been signalled, or is
 * held by a mask on both: the vectors that sent messages since the last such
 * point must be the same. Not for a vector with count moderation above 1 and
 * no time limit to flush it: there the leftover differs by batching.
 */
static void compare_irqs(struct ls *l)
{
    uint32_t exempt = 0, diff;

    for (unsigned v = 0; v < MSIX_VECTORS; v++)
        if (l->mod_count[v] > 1)
            exempt |= 1u << v;
    diff = (l->fired[0] ^ l->fired[1]) & ~exempt;
    if (diff) {
        unsigned v = (unsigned)__builtin_ctz(diff);

        diverge(l, "MSI-X: vector %u sent a message on the %s only since the last idle point", v,
                l->fired[0] & (1u << v) ? l->pname : "model");
    }
    l->st.irq_compares++;
    l->fired[0] = l->fired[1] = 0;
}

static void model_frame_out(void *arg, const uint8_t *f, size_t len, uint64_t t)
{
    push_frame(arg, 1, f, len, t);
}

/* ---- checkpoints ------------------------------------------------------------------------ */

static void checkpoint(struct ls *l)
{
    uint32_t tx[2][TX_CNT_NUM], rx[2][RX_CNT_NUM], dv[2][DEV_CNT_NUM];

    if (l->diverged)
        return;
    l->st.checkpoints++;
    for (int side = 0; side < 2 && !l->diverged; side++) {
        const struct bytemap *m = &l->wrote[side], *o = &l->wrote[!side];

        for (size_t i = 0; i < m->cap && !l->diverged; i++) {
            uint8_t v;

            if (!m->key[i])
                continue;
            if (!bm_get(o, m->key[i] - 1, &v))
                diverge(l, "DMA: the %s wrote host address 0x%" PRIx64 " (0x%02x), the %s did not",
                        side ? "model" : l->pname, m->key[i] - 1, m->val[i], side ? l->pname : "model");
            else if (v != m->val[i] && side == 0)
                diverge(l, "DMA: host address 0x%" PRIx64 ": %s wrote 0x%02x, model 0x%02x",
                        m->key[i] - 1, l->pname, m->val[i], v);
            else if (side == 0)
                l->st.bytes_compared++;
        }
    }
    bm_clear(&l->wrote[0]);
    bm_clear(&l->wrote[1]);
    for (int s = 0; s < STREAMS && !l->diverged; s++) {
        if (!l->frames[0][s].head != !l->frames[1][s].head)
            diverge(l, "%s frame #%" PRIu64 ": only the %s sent it", stream_name[s],
                    l->frames[0][s].seq, l->frames[0][s].head ? l->pname : "model");
    }
    l->rtl->ops->counters(l->rtl, tx[0], rx[0], dv[0]);
    l->model->ops->counters(l->model, tx[1], rx[1], dv[1]);
    for (int i = 0; i < TX_CNT_NUM && !l->diverged; i++)
        if (tx[0][i] != tx[1][i])
            diverge(l, "counter tx.%s: %s %u, model %u", tx_cnt_names[i], l->pname, tx[0][i], tx[1][i]);
    for (int i = 0; i < RX_CNT_NUM && !l->diverged; i++)
        if (rx[0][i] != rx[1][i])
            diverge(l, "counter rx.%s: %s %u, model %u", rx_cnt_names[i], l->pname, rx[0][i], rx[1][i]);
    for (int i = 0; i < DEV_CNT_NUM && !l->diverged; i++)
        if (i != DEV_CNT_MSIX_SENT && i != DEV_CNT_MSIX_HELD && dv[0][i] != dv[1][i])
            diverge(l, "counter dev.%s: %s %u, model %u", dev_cnt_names[i], l->pname, dv[0][i], dv[1][i]);
    if (!l->diverged && l->rtl->ops->next_activity(l->rtl) == UINT64_MAX &&
        l->model->ops->next_activity(l->model) == UINT64_MAX)
        compare_irqs(l);
}

static int quiet(const struct ls *l)
{
    uint64_t now = l->rtl->ops->now(l->rtl);

    return l->rtl->ops->next_activity(l->rtl) > now && l->model->ops->next_activity(l->model) > now;
}

/* Keep the model's clock with the RTL's (an RTL access takes clocks). */
static void follow(struct ls *l)
{
    uint64_t t = l->rtl->ops->now(l->rtl);

    if (l->model->ops->now(l->model) < t)
        l->model->ops->run(l->model, t);
}

/* ---- registers that timing does not change ---------------------------------------------- */

static int bar0_stable(uint32_t off)
{
    if (off <= REG_TIME_MODE || off == REG_SCRATCH || (off >= REG_DMA_LO_LO && off <= REG_DMA_HI_HI))
        return 1;
    if (off >= QREG_BASE && off < QREG_BASE + QREG_STRIDE * QREG_COUNT) {
        uint32_t r = (off - QREG_BASE) % QREG_STRIDE;

        return r == QREG_BASE_LO || r == QREG_BASE_HI || r == QREG_SIZE_LOG2 || r == QREG_VECTOR ||
               r == QREG_ENTRY_SIZE;
    }
    if (off >= VREG_BASE && off < VREG_BASE + VREG_STRIDE * VREG_COUNT) {
        uint32_t r = (off - VREG_BASE) % VREG_STRIDE;

        return r == VREG_MOD_NS || r == VREG_MOD_COUNT;
    }
    return off >= MSIX_BASE && off < MSIX_BASE + MSIX_STRIDE * MSIX_COUNT;
}

static int fw_stable(uint32_t off)
{
    if (off >= FW_MBOX && off < FW_MBOX + FW_MBOX_SIZE)
        return 1;
    if (off >= FW_VEC_BASE && off < FW_VEC_BASE + 8 * MSIX_VECTORS)
        return 1;
    switch (off) {
    case FW_ID: case FW_CONN_MAX: case FW_ASQ_BASE_LO: case FW_ASQ_BASE_HI: case FW_ASQ_SIZE_LOG2:
    case FW_ACQ_BASE_LO: case FW_ACQ_BASE_HI: case FW_ACQ_SIZE_LOG2: case FW_DMA_HOST_LO:
    case FW_DMA_HOST_HI: case FW_DMA_LEN: case FW_DMA_MBOX_OFF: case FW_CMD_MBOX_OFF:
    case FW_TXCTX_CONN: case FW_TXCTX_MBOX_OFF: case FW_TXCTX_STATUS: case FW_MAC_LO: case FW_MAC_HI:
    case FW_IPV4: case FW_RX_FILTER: case FW_DELACK_TICKS: case FW_COALESCE_BYTES: case FW_TS_TICKS:
        return 1;
    default:
        return 0;
    }
}

/* ---- toe_dev_ops -------------------------------------------------------------------------- */

static uint32_t ls_mmio_read(struct toe_dev *d, uint32_t off)
{
    struct ls *l = ls_of(d);
    uint32_t r = l->rtl->ops->mmio_read(l->rtl, off), m;

    follow(l);
    m = l->model->ops->mmio_read(l->model, off);
    if (bar0_stable(off)) {
        l->st.reads_compared++;
        if (r != m)
            diverge(l, "BAR0 read 0x%04x: %s 0x%08x, model 0x%08x", off, l->pname, r, m);
    }
    return r;
}

static void ls_mmio_write(struct toe_dev *d, uint32_t off, uint32_t v)
{
    struct ls *l = ls_of(d);

    if (off == REG_CONTROL && (v & CONTROL_RESET))
        memset(l->mod_count, 0, sizeof(l->mod_count)); /* the reset's values */
    l->rtl->ops->mmio_write(l->rtl, off, v);
    follow(l);
    l->model->ops->mmio_write(l->model, off, v);
}

static uint32_t ls_fw_read(struct toe_dev *d, uint32_t off)
{
    struct ls *l = ls_of(d);
    uint32_t r = l->rtl->ops->fw_read(l->rtl, off), m;

    follow(l);
    m = l->model->ops->fw_read(l->model, off);
    /* A finished mover or command: its result bits must agree. */
    if (fw_stable(off) || ((off == FW_DMA_STATUS || off == FW_CMD_STATUS) && !(r & 1))) {
        l->st.reads_compared++;
        if (r != m)
            diverge(l, "firmware-window read 0x%04x: %s 0x%08x, model 0x%08x", off, l->pname, r, m);
    }
    return r;
}

static void ls_fw_write(struct toe_dev *d, uint32_t off, uint32_t v)
{
    struct ls *l = ls_of(d);

    if (off >= FW_VEC_BASE && off < FW_VEC_BASE + 8 * MSIX_VECTORS && (off - FW_VEC_BASE) % 8 == 4)
        l->mod_count[(off - FW_VEC_BASE) / 8] = v;

    l->rtl->ops->fw_write(l->rtl, off, v);
    follow(l);
    l->model->ops->fw_write(l->model, off, v);
}

static void ls_frame_in(struct toe_dev *d, const uint8_t *f, size_t len)
{
    struct ls *l = ls_of(d);

    l->rtl->ops->frame_in(l->rtl, f, len);
    l->model->ops->frame_in(l->model, f, len);
}

static void ls_pci_state(struct toe_dev *d, uint16_t cmd, uint16_t msix)
{
    struct ls *l = ls_of(d);

    l->rtl->ops->pci_state(l->rtl, cmd, msix);
    l->model->ops->pci_state(l->model, cmd, msix);
}

static void ls_flr(struct toe_dev *d)
{
    struct ls *l = ls_of(d);

    memset(l->mod_count, 0, sizeof(l->mod_count)); /* the reset's values */
    l->rtl->ops->flr(l->rtl);
    l->model->ops->flr(l->model);
}

static void ls_run(struct toe_dev *d, uint64_t until)
{
    struct ls *l = ls_of(d);

    l->rtl->ops->run(l->rtl, until);
    follow(l);
    if (quiet(l))
        checkpoint(l);
}

static uint64_t ls_now(const struct toe_dev *d)
{
    const struct ls *l = (const struct ls *)d;

    return l->rtl->ops->now(l->rtl);
}

static uint64_t ls_next_activity(const struct toe_dev *d)
{
    const struct ls *l = (const struct ls *)d;
    uint64_t a = l->rtl->ops->next_activity(l->rtl), b = l->model->ops->next_activity(l->model);

    return a < b ? a : b;
}

static uint32_t ls_fw_attention(const struct toe_dev *d)
{
    const struct ls *l = (const struct ls *)d;

    return l->rtl->ops->fw_attention(l->rtl);
}

static void ls_counters(const struct toe_dev *d, uint32_t tx[TX_CNT_NUM], uint32_t rx[RX_CNT_NUM],
                        uint32_t dev[DEV_CNT_NUM])
{
    const struct ls *l = (const struct ls *)d;

    l->rtl->ops->counters(l->rtl, tx, rx, dev);
}

static void ls_free(struct toe_dev *d)
{
    struct ls *l = ls_of(d);

    if (!l->diverged && l->rtl && l->model) {
        checkpoint(l);
        fprintf(stderr, "toe-sim: lockstep (%s vs model): no divergence: %" PRIu64 " frames, %" PRIu64
                " DMA bytes, %" PRIu64 " register reads compared over %" PRIu64 " checkpoints, "
                "interrupts at %" PRIu64 " idle points\n",
                l->pname, l->st.frames_compared, l->st.bytes_compared, l->st.reads_compared, l->st.checkpoints,
                l->st.irq_compares);
    }
    toe_dev_free(l->rtl);
    toe_dev_free(l->model);
    for (int side = 0; side < 2; side++) {
        free(l->wrote[side].key);
        free(l->wrote[side].val);
        for (int s = 0; s < STREAMS; s++)
            while (l->frames[side][s].head) {
                struct frame *f = l->frames[side][s].head;

                l->frames[side][s].head = f->next;
                free(f);
            }
    }
    free(l);
}

static const struct toe_dev_ops ls_ops = {
    .name = "lockstep", .mmio_read = ls_mmio_read, .mmio_write = ls_mmio_write,
    .fw_read = ls_fw_read, .fw_write = ls_fw_write, .frame_in = ls_frame_in,
    .pci_state = ls_pci_state, .flr = ls_flr, .run = ls_run, .now = ls_now,
    .next_activity = ls_next_activity, .fw_attention = ls_fw_attention, .counters = ls_counters,
    .free = ls_free,
};

struct toe_dev *sim_lockstep_new(const struct toe_dev_cfg *cfg, const struct toe_dev_env *env,
                                 uint64_t seed, const struct sim_lockstep_opts *o)
{
    struct ls *l = calloc(1, sizeof(*l));
    struct toe_dev_env re, me;

    if (!l)
        return NULL;
    l->base.ops = &ls_ops;
    l->env = *env;
    l->seed = seed;
    if (o)
        l->o = *o;
    l->pname = l->o.model_primary ? "model A" : "RTL";
    for (int side = 0; side < 2; side++)
        for (int s = 0; s < STREAMS; s++)
            l->frames[side][s].tail = &l->frames[side][s].head;
    re = (struct toe_dev_env){.dma_read = rtl_dma_read, .dma_write = rtl_dma_write, .msix = rtl_msix,
                              .frame_out = rtl_frame_out, .taken = rtl_taken, .arg = l};
    me = (struct toe_dev_env){.dma_read = model_dma_read, .dma_write = model_dma_write,
                              .msix = model_msix, .frame_out = model_frame_out, .arg = l};
    l->model = toe_dev_model_new(cfg, &me);
    if (l->o.model_primary) {
        /* Two models take every input at once: nothing to defer. */
        re.taken = NULL;
        l->rtl = toe_dev_model_new(cfg, &re);
    } else {
        l->rtl = toe_dev_rtl_new(cfg, &re);
    }
    if (!l->model || !l->rtl) {
        ls_free(&l->base);
        return NULL;
    }
    toe_dev_model_defer(l->model, !l->o.model_primary);
    return &l->base;
}

int sim_lockstep_diverged(const struct toe_dev *d)
{
    return d && d->ops == &ls_ops && ((const struct ls *)d)->diverged;
}

int sim_lockstep_stats(const struct toe_dev *d, struct sim_lockstep_stats *s)
{
    if (!d || d->ops != &ls_ops)
        return -1;
    *s = ((const struct ls *)d)->st;
    return 0;
}
