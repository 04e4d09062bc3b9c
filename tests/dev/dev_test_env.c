/*
 * The fixture of dev_test.h: the fake host (memory, IOMMU-style bounds
 * check, recorders) and the helpers that drive registers, rings and the
 * firmware window.
 */
#include <errno.h>
#include <stdio.h>

#include "dev_test.h"

int host_range_ok(const struct tdev *t, uint64_t addr, size_t len)
{
    if (len == 0 || addr < HOST_BASE || addr - HOST_BASE > HOST_SIZE - len)
        return 0;
    /* the refused window, if any */
    return !(addr < t->refuse_hi && addr + len > t->refuse_lo);
}

static int env_dma_read(void *arg, uint64_t addr, void *dst, size_t len)
{
    struct tdev *t = arg;

    if (!host_range_ok(t, addr, len)) {
        memset(dst, 0xff, len);
        return -EFAULT;
    }
    memcpy(dst, t->mem + (addr - HOST_BASE), len);
    return 0;
}

static int env_dma_write(void *arg, uint64_t addr, const void *src, size_t len)
{
    struct tdev *t = arg;

    if (!host_range_ok(t, addr, len))
        return -EFAULT;
    if (t->n_wlog < WLOG_MAX) {
        t->wlog_addr[t->n_wlog] = addr;
        t->wlog_len[t->n_wlog] = len;
    }
    t->n_wlog++;
    memcpy(t->mem + (addr - HOST_BASE), src, len);
    return 0;
}

static void env_msix(void *arg, unsigned vector, uint64_t t_ps)
{
    struct tdev *t = arg;

    assert_true(vector < MSIX_VECTORS);
    if (t->n_msix == t->cap_msix) {
        t->cap_msix = t->cap_msix ? 2 * t->cap_msix : 64;
        t->msix = realloc(t->msix, t->cap_msix * sizeof(*t->msix));
        assert_non_null(t->msix);
    }
    t->msix[t->n_msix].vector = vector;
    t->msix[t->n_msix].t = t_ps;
    t->n_msix++;
}

static void env_frame(void *arg, const uint8_t *frame, size_t len, uint64_t t_ps)
{
    struct tdev *t = arg;
    struct rec_frame *f;

    if (t->n_frames == t->cap_frames) {
        t->cap_frames = t->cap_frames ? 2 * t->cap_frames : 64;
        t->frames = realloc(t->frames, t->cap_frames * sizeof(*t->frames));
        assert_non_null(t->frames);
    }
    f = &t->frames[t->n_frames++];
    f->data = malloc(len ? len : 1);
    assert_non_null(f->data);
    memcpy(f->data, frame, len);
    f->len = len;
    f->t = t_ps;
}

uint64_t run_until_settled(struct tdev *t)
{
    uint64_t at;
    int steps = 0;

    while ((at = next_activity(t)) != UINT64_MAX) {
        assert_true(at >= now(t));
        assert_true(++steps < 1000000); /* a device that never settles is a bug */
        run_to(t, at > now(t) ? at : now(t) + PS_PER_CYCLE); /* busy now: a clock */
    }
    return now(t);
}

static void env_taken(void *arg, enum toe_dev_input kind, uint64_t t_ps)
{
    struct tdev *t = arg;

    assert_true(kind < TOE_DEV_IN_NUM);
    t->n_taken[kind]++;
    t->t_taken[kind] = t_ps;
}

struct toe_dev *(*tdev_backend)(const struct toe_dev_cfg *cfg, const struct toe_dev_env *env) =
    toe_dev_model_new;

void tdev_forget(struct tdev *t)
{
    size_t i;

    for (i = 0; i < t->n_frames; i++)
        free(t->frames[i].data);
    t->n_frames = 0;
    t->n_msix = 0;
}

struct tdev *tdev_new(uint32_t conn_max)
{
    struct tdev *t = calloc(1, sizeof(*t));
    struct toe_dev_cfg cfg = {conn_max, TIME_MODE_VIRTUAL};
    struct toe_dev_env env = {.dma_read = env_dma_read, .dma_write = env_dma_write, .msix = env_msix,
                              .frame_out = env_frame, .taken = env_taken};

    assert_non_null(t);
    t->mem = calloc(1, HOST_SIZE);
    assert_non_null(t->mem);
    env.arg = t;
    t->d = tdev_backend(&cfg, &env);
    assert_non_null(t->d);
    t->conn_max = conn_max ? conn_max : CONN_MAX_DEFAULT;
    pci(t, PCI_ON, MSIX_ON);
    run_to(t, (t->conn_max + 256u) * PS_PER_CYCLE);
    assert_int_equal(rd(t, REG_STATUS) & STATUS_READY, STATUS_READY);
    mark(t);
    return t;
}

void tdev_free(struct tdev *t)
{
    tdev_forget(t);
    free(t->frames);
    free(t->msix);
    toe_dev_free(t->d);
    free(t->mem);
    free(t);
}

int tdev_setup(void **state)
{
    *state = tdev_new(64);
    return 0;
}

int tdev_teardown(void **state)
{
    tdev_free(*state);
    return 0;
}

uint32_t dev_cnt(struct tdev *t, unsigned i)
{
    uint32_t c[DEV_CNT_NUM];

    t->d->ops->counters(t->d, NULL, NULL, c);
    return c[i];
}

void mark(struct tdev *t)
{
    t->d->ops->counters(t->d, NULL, NULL, t->dev0);
}

void expect_dev_deltas(struct tdev *t, const int *pairs)
{
    uint32_t want[DEV_CNT_NUM] = {0}, c[DEV_CNT_NUM];
    int i, bad = 0;

    for (i = 0; pairs[i] >= 0; i += 2)
        want[pairs[i]] = (uint32_t)pairs[i + 1];
    t->d->ops->counters(t->d, NULL, NULL, c);
    for (i = 0; i < (int)DEV_CNT_NUM; i++) {
        if (c[i] - t->dev0[i] != want[i]) {
            print_error("DEV counter %s moved by %u, expected %u\n", dev_cnt_names[i],
                        c[i] - t->dev0[i], want[i]);
            bad = 1;
        }
    }
    assert_false(bad);
}

void ring_on(struct tdev *t, unsigned qid, uint32_t at, uint32_t log2, uint32_t vector)
{
    wr(t, qreg(qid, QREG_BASE_LO), (uint32_t)hva(at));
    wr(t, qreg(qid, QREG_BASE_HI), (uint32_t)(hva(at) >> 32));
    wr(t, qreg(qid, QREG_SIZE_LOG2), log2);
    wr(t, qreg(qid, QREG_VECTOR), vector);
    wr(t, qreg(qid, QREG_CTRL), 1);
    assert_int_equal(rd(t, qreg(qid, QREG_ERROR)), QERR_NONE);
    assert_int_equal(rd(t, qreg(qid, QREG_CTRL)), 1);
}

uint8_t *ring_slot(struct tdev *t, uint32_t at, uint32_t log2, uint32_t esize, uint32_t i)
{
    return hmem(t, at + (i & ((1u << log2) - 1)) * esize);
}

void post_raw(struct tdev *t, uint32_t log2, uint32_t i, uint32_t buf_at, uint32_t len,
              uint16_t tag, uint8_t seed)
{
    struct toe_tx_desc desc;
    uint32_t k;

    for (k = 0; k < len; k++)
        hmem(t, buf_at)[k] = (uint8_t)(seed + k * 3u);
    memset(&desc, 0, sizeof(desc));
    desc.buf_addr = hva(buf_at);
    desc.len = len;
    desc.tag = tag;
    desc.op = TX_OP_RAW;
    memcpy(ring_slot(t, AT_TXQ, log2, 32, i), &desc, sizeof(desc));
}

void datapath_on(struct tdev *t)
{
    wr(t, REG_DMA_LO_LO, (uint32_t)HOST_BASE);
    wr(t, REG_DMA_LO_HI, (uint32_t)(HOST_BASE >> 32));
    wr(t, REG_DMA_HI_LO, (uint32_t)(HOST_BASE + HOST_SIZE));
    wr(t, REG_DMA_HI_HI, (uint32_t)((HOST_BASE + HOST_SIZE) >> 32));
    wr(t, REG_CONTROL, CONTROL_ENABLE);
}

void mbox_put(struct tdev *t, uint32_t off, const void *src, size_t len)
{
    const uint8_t *p = src;
    size_t i;

    assert_true(off % 4 == 0);
    for (i = 0; i < len; i += 4) {
        uint32_t w = 0;

        memcpy(&w, p + i, len - i < 4 ? len - i : 4);
        fww(t, FW_MBOX + off + (uint32_t)i, w);
    }
}

void mbox_get(struct tdev *t, uint32_t off, void *dst, size_t len)
{
    uint8_t *p = dst;
    size_t i;

    assert_true(off % 4 == 0);
    for (i = 0; i < len; i += 4) {
        uint32_t w = fwr(t, FW_MBOX + off + (uint32_t)i);

        memcpy(p + i, &w, len - i < 4 ? len - i : 4);
    }
}

void fw_set_txctx(struct tdev *t, uint32_t conn, const struct toe_tx_ctx *ctx)
{
    mbox_put(t, 0x800, ctx, sizeof(*ctx));
    fww(t, FW_TXCTX_CONN, conn);
    fww(t, FW_TXCTX_MBOX_OFF, 0x800);
    fww(t, FW_TXCTX_CTRL, FW_TXCTX_WRITE);
    assert_int_equal(fwr(t, FW_TXCTX_STATUS), 0);
}

struct toe_conn_rsp fw_conn_cmd(struct tdev *t, uint32_t off, const struct toe_conn_cmd *cmd,
                                const struct toe_rx_ctx *ctx, struct toe_rx_ctx *ctx_out)
{
    struct toe_conn_rsp rsp;

    mbox_put(t, off, cmd, sizeof(*cmd));
    if (ctx)
        mbox_put(t, off + 32, ctx, sizeof(*ctx));
    fww(t, FW_CMD_MBOX_OFF, off);
    fww(t, FW_CMD_CTRL, 1);
    assert_int_equal(fwr(t, FW_CMD_STATUS), 0); /* done: not BUSY, not BAD_OFF */
    mbox_get(t, off + FW_CMD_RSP_OFF, &rsp, sizeof(rsp));
    if (ctx_out)
        mbox_get(t, off + FW_CMD_RSP_OFF + 16, ctx_out, sizeof(*ctx_out));
    return rsp;
}

uint32_t fw_move(struct tdev *t, uint64_t host, uint32_t mbox_off, uint32_t len, int to_host)
{
    fww(t, FW_DMA_HOST_LO, (uint32_t)host);
    fww(t, FW_DMA_HOST_HI, (uint32_t)(host >> 32));
    fww(t, FW_DMA_LEN, len);
    fww(t, FW_DMA_MBOX_OFF, mbox_off);
    fww(t, FW_DMA_CTRL, FW_DMA_GO | (to_host ? FW_DMA_TO_HOST : 0));
    return fwr(t, FW_DMA_STATUS);
}
