/*
 * bench_dev: the whole device, in one process, driven through toe_dev.h by a
 * minimal host (rings in a memory array, the firmware window used directly),
 * for figures no driver should colour:
 *
 *   doorbell   cycles from a TXQ doorbell to the last byte of the frame it sends
 *              (descriptor fetch, payload read, the TX engine, the port)
 *   events     RX events and MSI-X messages per MB of in-order data, with event
 *              coalescing and interrupt moderation off and on
 *   speed      simulated device cycles per wall second while it receives
 *   pair       frames per wall second through two devices joined back to back
 *
 * bench_dev --backend=model|rtl [--mb=N] prints "key value" lines (tools/bench.py
 * gathers them into out/bench.json). Times are device times: deterministic.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toe_dev.h"
#include "toe_formats.h"
#include "toe_pkt.h"

#define MEM_IOVA 0x100000000ull
#define MEM_SIZE (32u << 20)

struct host {
    uint8_t *mem;
    struct toe_dev *dev;
    uint64_t msix, frames, frame_bytes, last_frame_ps;
    uint32_t q_prod[DEV_QUEUES], q_cons[DEV_QUEUES], q_log2[DEV_QUEUES];
    uint64_t q_base[DEV_QUEUES];
    uint64_t bump;                     /* next free byte of mem */
    struct host *peer;                 /* "pair": frames go to the peer's port */
};

static int in_mem(uint64_t a, size_t len)
{
    return len && a >= MEM_IOVA && a - MEM_IOVA <= MEM_SIZE - len;
}

static int h_dma_read(void *arg, uint64_t a, void *dst, size_t len)
{
    struct host *h = arg;

    if (!in_mem(a, len)) {
        memset(dst, 0xff, len);
        return -EFAULT;
    }
    memcpy(dst, h->mem + (a - MEM_IOVA), len);
    return 0;
}

static int h_dma_write(void *arg, uint64_t a, const void *src, size_t len)
{
    struct host *h = arg;

    if (!in_mem(a, len))
        return -EFAULT;
    memcpy(h->mem + (a - MEM_IOVA), src, len);
    return 0;
}

static void h_msix(void *arg, unsigned v, uint64_t t)
{
    (void)v;
    (void)t;
    ((struct host *)arg)->msix++;
}

static void h_frame(void *arg, const uint8_t *f, size_t len, uint64_t t)
{
    struct host *h = arg;

    h->frames++;
    h->frame_bytes += len;
    h->last_frame_ps = t;
    if (h->peer)
        h->peer->dev->ops->frame_in(h->peer->dev, f, len);
}

static uint64_t alloc(struct host *h, size_t len)
{
    uint64_t a = MEM_IOVA + h->bump;

    h->bump = (h->bump + len + 63) & ~63ull;
    if (h->bump > MEM_SIZE) {
        fprintf(stderr, "bench_dev: host memory exhausted\n");
        exit(1);
    }
    return a;
}

static void *va(struct host *h, uint64_t a) { return h->mem + (a - MEM_IOVA); }

/* Run until a register reads want under mask, or give up after limit_ps. */
static int wait_reg(struct host *h, int fw, uint32_t off, uint32_t mask, uint32_t want, uint64_t limit_ps)
{
    uint64_t end = toe_dev_now(h->dev) + limit_ps;

    while (toe_dev_now(h->dev) < end) {
        uint32_t v = fw ? toe_dev_fw_read(h->dev, off) : toe_dev_mmio_read(h->dev, off);

        if ((v & mask) == want)
            return 0;
        toe_dev_run(h->dev, toe_dev_now(h->dev) + 100 * DEV_CLK_PS);
    }
    return -1;
}

static void queue_setup(struct host *h, unsigned q, unsigned log2, uint32_t vector)
{
    static const unsigned esize[DEV_QUEUES] = {64, 16, 32, 16, 16, 16, 16};
    uint32_t base = QREG_BASE + q * QREG_STRIDE;
    uint64_t ring = alloc(h, (size_t)esize[q] << log2);

    h->q_base[q] = ring;
    h->q_log2[q] = log2;
    toe_dev_mmio_write(h->dev, base + QREG_BASE_LO, (uint32_t)ring);
    toe_dev_mmio_write(h->dev, base + QREG_BASE_HI, (uint32_t)(ring >> 32));
    toe_dev_mmio_write(h->dev, base + QREG_SIZE_LOG2, log2);
    toe_dev_mmio_write(h->dev, base + QREG_VECTOR, vector);
    toe_dev_mmio_write(h->dev, base + QREG_CTRL, 1);
    if (toe_dev_mmio_read(h->dev, base + QREG_ERROR)) {
        fprintf(stderr, "bench_dev: queue %u refused its setup (QERR %u)\n", q,
                toe_dev_mmio_read(h->dev, base + QREG_ERROR));
        exit(1);
    }
}

static void host_up(struct host *h, const char *backend)
{
    struct toe_dev_cfg cfg = {.conn_max = CONN_MAX_DEFAULT, .time_mode = TIME_MODE_VIRTUAL};
    struct toe_dev_env env = {.dma_read = h_dma_read, .dma_write = h_dma_write, .msix = h_msix,
                              .frame_out = h_frame, .arg = h};

    h->mem = calloc(1, MEM_SIZE);
    h->dev = !strcmp(backend, "rtl") ? toe_dev_rtl_new(&cfg, &env) : toe_dev_model_new(&cfg, &env);
    if (!h->mem || !h->dev) {
        fprintf(stderr, "bench_dev: cannot create the %s device\n", backend);
        exit(1);
    }
    h->dev->ops->pci_state(h->dev, 0x0006, 0x8000);   /* memory, bus master; MSI-X on */
    toe_dev_mmio_write(h->dev, REG_CONTROL, CONTROL_RESET);
    if (wait_reg(h, 0, REG_STATUS, STATUS_READY, STATUS_READY, 10000000000ull)) {
        fprintf(stderr, "bench_dev: the device never became READY\n");
        exit(1);
    }
    toe_dev_mmio_write(h->dev, REG_DMA_LO_LO, (uint32_t)MEM_IOVA);
    toe_dev_mmio_write(h->dev, REG_DMA_LO_HI, (uint32_t)(MEM_IOVA >> 32));
    toe_dev_mmio_write(h->dev, REG_DMA_HI_LO, (uint32_t)(MEM_IOVA + MEM_SIZE));
    toe_dev_mmio_write(h->dev, REG_DMA_HI_HI, (uint32_t)((MEM_IOVA + MEM_SIZE) >> 32));
    for (unsigned v = 0; v < 4; v++)
        toe_dev_mmio_write(h->dev, MSIX_BASE + v * MSIX_STRIDE + MSIX_VCTRL, 0);
    queue_setup(h, QID_TXQ, 10, QUEUE_NO_VECTOR);
    queue_setup(h, QID_TXCQ, 10, 0);
    queue_setup(h, QID_EVQ, 12, 1);
    queue_setup(h, QID_RXBQ, 8, QUEUE_NO_VECTOR);
    queue_setup(h, QID_EXCQ, 8, 2);
    toe_dev_mmio_write(h->dev, REG_CONTROL, CONTROL_ENABLE);
}

/* Hand back every device-to-host entry written so far (by phase). */
static unsigned drain(struct host *h, unsigned q, unsigned esize, unsigned phase_byte, uint8_t phase_bit)
{
    unsigned n = 0;

    for (;;) {
        uint32_t i = h->q_cons[q], slot = i & ((1u << h->q_log2[q]) - 1);
        uint8_t *e = va(h, h->q_base[q] + (uint64_t)slot * esize);
        unsigned want = ((i >> h->q_log2[q]) & 1) ^ 1;

        if (((e[phase_byte] & phase_bit) != 0) != want)
            break;
        h->q_cons[q]++;
        n++;
    }
    if (n)
        toe_dev_mmio_write(h->dev, QREG_BASE + q * QREG_STRIDE + QREG_CONS, h->q_cons[q]);
    return n;
}

static void post_raw(struct host *h, uint64_t frame, uint32_t len, uint16_t tag)
{
    uint32_t slot = h->q_prod[QID_TXQ] & ((1u << h->q_log2[QID_TXQ]) - 1);
    struct toe_tx_desc *d = va(h, h->q_base[QID_TXQ] + slot * 32u);

    memset(d, 0, sizeof(*d));
    d->buf_addr = frame;
    d->len = len;
    d->op = TX_OP_RAW;
    d->tag = tag;
    h->q_prod[QID_TXQ]++;
}

static void doorbell(struct host *h)
{
    toe_dev_mmio_write(h->dev, QREG_BASE + QID_TXQ * QREG_STRIDE + QREG_PROD, h->q_prod[QID_TXQ]);
}

static uint64_t raw_frame(struct host *h, uint32_t len)
{
    uint64_t a = alloc(h, len);
    uint8_t *f = va(h, a);

    memset(f, 0xff, 6);                          /* broadcast */
    memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
    f[12] = 0x88;                                /* local experimental ethertype */
    f[13] = 0xb5;
    for (uint32_t i = 14; i < len; i++)
        f[i] = (uint8_t)(i * 7);
    return a;
}

static void bench_doorbell(const char *backend)
{
    struct host h = {0};
    uint64_t frame, t0;

    host_up(&h, backend);
    frame = raw_frame(&h, 64);
    post_raw(&h, frame, 64, 1);
    t0 = toe_dev_now(h.dev);
    doorbell(&h);
    while (!h.frames && toe_dev_now(h.dev) < t0 + 1000000000ull)
        toe_dev_run(h.dev, toe_dev_now(h.dev) + DEV_CLK_PS);
    printf("doorbell_to_frame_cycles %" PRIu64 "\n", (h.last_frame_ps - t0) / DEV_CLK_PS);
    toe_dev_free(h.dev);
    free(h.mem);
}

/* Install connection 1 through the firmware window's command port. */
static struct toe_rx_ctx conn_install(struct host *h, uint32_t coalesce)
{
    struct toe_rx_ctx c;
    struct toe_conn_cmd cmd;
    uint32_t words[(32 + 128) / 4];

    memset(&c, 0, sizeof(c));
    c.buf_base = alloc(h, 1u << 20);
    c.buf_size_log2 = 20;
    c.local_ip = 0xc0000201;
    c.remote_ip = 0xc0000202;
    c.local_port = 5001;
    c.remote_port = 40000;
    memcpy(c.src_mac, "\x02\x00\x00\x00\x00\x01", 6);
    memcpy(c.dst_mac, "\x02\x00\x00\x00\x00\x02", 6);
    c.ttl = 64;
    c.mss = 1460;
    c.rcv_nxt = c.rcv_read = c.buf_seq0 = 1000;
    c.rcv_adv = 1000 + 65535;
    c.last_ack_sent = 1000;
    c.snd_una = c.snd_nxt = 5000;
    c.snd_wnd = c.max_snd_wnd = 65535;
    memset(&cmd, 0, sizeof(cmd));
    cmd.op = CONN_CMD_INSERT;
    cmd.conn_id = 1;
    memcpy(words, &cmd, 32);
    memcpy((uint8_t *)words + 32, &c, 128);
    toe_dev_fw_write(h->dev, FW_COALESCE_BYTES, coalesce);
    for (unsigned i = 0; i < sizeof(words) / 4; i++)
        toe_dev_fw_write(h->dev, FW_MBOX + 4 * i, words[i]);
    toe_dev_fw_write(h->dev, FW_CMD_MBOX_OFF, 0);
    toe_dev_fw_write(h->dev, FW_CMD_CTRL, 1);
    if (wait_reg(h, 1, FW_CMD_STATUS, 1, 0, 1000000000ull) ||
        (toe_dev_fw_read(h->dev, FW_MBOX + FW_CMD_RSP_OFF + 4) >> 8 & 0xff) != CONN_STATUS_OK) {
        fprintf(stderr, "bench_dev: INSERT failed\n");
        exit(1);
    }
    return c;
}

/* One connection-table command through the command port; its CONN_STATUS. */
static unsigned conn_cmd(struct host *h, uint8_t op, uint16_t id, uint32_t arg0)
{
    struct toe_conn_cmd cmd;
    uint32_t w[8];

    memset(&cmd, 0, sizeof(cmd));
    cmd.op = op;
    cmd.conn_id = id;
    cmd.arg0 = arg0;
    memcpy(w, &cmd, sizeof(w));
    for (unsigned i = 0; i < 8; i++)
        toe_dev_fw_write(h->dev, FW_MBOX + 4 * i, w[i]);
    toe_dev_fw_write(h->dev, FW_CMD_MBOX_OFF, 0);
    toe_dev_fw_write(h->dev, FW_CMD_CTRL, 1);
    if (wait_reg(h, 1, FW_CMD_STATUS, 1, 0, 1000000000ull))
        return 0xff;
    return toe_dev_fw_read(h->dev, FW_MBOX + FW_CMD_RSP_OFF + 4) >> 8 & 0xff;
}

static size_t segment(const struct toe_rx_ctx *c, uint32_t seq, size_t len, uint8_t *buf)
{
    struct toe_eth e = {.type = TOE_ETHERTYPE_IPV4};
    struct toe_tcp t = {.sport = c->remote_port, .dport = c->local_port, .seq = seq,
                        .ack = c->snd_una, .flags = TCP_FLAG_ACK, .win = 65535};
    struct toe_ipv4 ip = {.tot_len = (uint16_t)(40 + len), .frag = TOE_IPV4_DF, .ttl = 64,
                          .proto = TOE_IPPROTO_TCP, .src = c->remote_ip, .dst = c->local_ip};
    size_t l2;
    uint8_t *l4;

    memcpy(e.dst, c->src_mac, 6);
    memcpy(e.src, c->dst_mac, 6);
    l2 = toe_eth_build(buf, &e);
    l4 = buf + l2 + TOE_IPV4_HLEN;
    toe_tcp_build(l4, &t, NULL, 0);
    for (size_t i = 0; i < len; i++)
        l4[20 + i] = (uint8_t)(seq + i);
    toe_tcp_csum_fill(c->remote_ip, c->local_ip, l4, 20 + len);
    toe_ipv4_build(buf + l2, &ip);
    return l2 + 40 + len;
}

/* Receive mb MB in 1460-byte segments; the host reads as it goes (RCV_READ). */
static void bench_events(const char *backend, unsigned mb, int moderated, int report_speed)
{
    static uint8_t buf[2048];
    struct host h = {0};
    struct toe_rx_ctx c;
    uint64_t total = (uint64_t)mb << 20, sent = 0, events = 0, c0, c1;
    struct timespec w0, w1;
    uint32_t seq;
    double wall;

    host_up(&h, backend);
    c = conn_install(&h, moderated ? RX_EVENT_COALESCE_DEFAULT : 1);
    if (moderated) {
        toe_dev_fw_write(h.dev, FW_VEC_BASE + 8 * 1, 50000);   /* 50 us */
        toe_dev_fw_write(h.dev, FW_VEC_BASE + 8 * 1 + 4, 16);  /* or 16 events */
    }
    seq = c.rcv_nxt;
    c0 = toe_dev_now(h.dev) / DEV_CLK_PS;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    while (sent < total) {
        size_t n = segment(&c, seq, 1460, buf);

        h.dev->ops->frame_in(h.dev, buf, n);
        /* 1460 payload bytes + 78 of framing at 10 Gb/s: 1.23 us a segment. */
        toe_dev_run(h.dev, toe_dev_now(h.dev) + 1230000);
        seq += 1460;
        sent += 1460;
        events += drain(&h, QID_EVQ, 16, 1, 0x80);
        drain(&h, QID_TXCQ, 16, 5, 0x01);
        /* The application keeps up: every 64 KiB it has read all. */
        if ((sent & 0xffff) < 1460 && conn_cmd(&h, CONN_CMD_RCV_READ, 1, seq) != CONN_STATUS_OK) {
            fprintf(stderr, "bench_dev: RCV_READ failed\n");
            exit(1);
        }
    }
    toe_dev_run(h.dev, toe_dev_now(h.dev) + 100000000ull);     /* coalesced tail: 100 us */
    events += drain(&h, QID_EVQ, 16, 1, 0x80);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    c1 = toe_dev_now(h.dev) / DEV_CLK_PS;
    wall = (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
    printf("events_per_mb_%s %.1f\n", moderated ? "moderated" : "unmoderated", (double)events / mb);
    printf("irqs_per_mb_%s %.1f\n", moderated ? "moderated" : "unmoderated", (double)h.msix / mb);
    if (report_speed)
        printf("sim_cycles_per_s_device%s %.0f\n", strcmp(backend, "rtl") ? "_model" : "",
               (double)(c1 - c0) / wall);
    toe_dev_free(h.dev);
    free(h.mem);
}

/* Frames through two devices back to back: A's raw frames arrive at B. */
static void bench_pair(const char *backend, unsigned count)
{
    struct host a = {0}, b = {0};
    struct timespec w0, w1;
    uint64_t frame;
    double wall;

    host_up(&a, backend);
    host_up(&b, backend);
    a.peer = &b;
    frame = raw_frame(&a, 1514);
    clock_gettime(CLOCK_MONOTONIC, &w0);
    for (unsigned i = 0; i < count; i++) {
        post_raw(&a, frame, 1514, (uint16_t)i);
        if ((i & 63) == 63 || i + 1 == count) {
            doorbell(&a);
            while (a.frames < i + 1)
                toe_dev_run(a.dev, toe_dev_now(a.dev) + 64 * DEV_CLK_PS);
            drain(&a, QID_TXCQ, 16, 5, 0x01);
            toe_dev_run(b.dev, toe_dev_now(a.dev));
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &w1);
    wall = (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
    printf("frames_per_s_%s %.0f\n", backend, (double)count / wall);
    toe_dev_free(a.dev);
    toe_dev_free(b.dev);
    free(a.mem);
    free(b.mem);
}

int main(int argc, char **argv)
{
    const char *backend = "model";
    unsigned mb = 4;

    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--backend=", 10))
            backend = argv[i] + 10;
        else if (!strncmp(argv[i], "--mb=", 5))
            mb = (unsigned)atoi(argv[i] + 5);
        else {
            fprintf(stderr, "usage: bench_dev [--backend=model|rtl] [--mb=N]\n");
            return 2;
        }
    }
    if (mb == 0)
        mb = 1;
    bench_doorbell(backend);
    bench_events(backend, mb, 0, 0);
    bench_events(backend, mb, 1, 1);
    bench_pair(backend, strcmp(backend, "rtl") ? 200000 : 5000);
    return 0;
}
