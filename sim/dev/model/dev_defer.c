/*
 * Lockstep support (toe_dev_model_defer, docs/toe-sim.md "Lockstep"): the
 * moment an engine takes an input depends on the RTL's pipelines, which a
 * transaction-level model does not have. With defer on, a frame that passed
 * the MAC stage, a descriptor for the TX engine and a connection command wait
 * in front of their engine until toe_dev_model_release() says the RTL's engine
 * took one - then the model's engine takes it at that time, with that tick
 * count and that TSval, and both see the same inputs in the same order.
 */
#include <stdlib.h>
#include <string.h>

#include "dev_model_priv.h"

void dev_defer_frame(struct dev_model *d, const uint8_t *frame, size_t len)
{
    struct dev_defer *q = &d->defer;
    struct dev_held_frame *h;

    if (!q->on) {
        toe_rx_model_frame(d->rx, len ? frame : NULL, len, 0);
        return;
    }
    if (q->f_count == q->f_cap) {
        size_t cap = q->f_cap ? q->f_cap * 2 : 64;
        struct dev_held_frame *n = malloc(cap * sizeof(*n));

        if (!n)
            abort(); /* as the RX output queue: the model cannot go on without it */
        for (size_t i = 0; i < q->f_count; i++)
            n[i] = q->frames[(q->f_head + i) % q->f_cap];
        free(q->frames);
        q->frames = n;
        q->f_head = 0;
        q->f_cap = cap;
    }
    h = &q->frames[(q->f_head + q->f_count) % q->f_cap];
    h->len = len;
    h->data = malloc(len ? len : 1);
    if (!h->data)
        abort();
    memcpy(h->data, frame, len);
    q->f_count++;
}

int dev_defer_tx_ts(struct dev_model *d, uint32_t *ts)
{
    struct dev_defer *q = &d->defer;

    if (!q->on) {
        *ts = toe_rx_model_ts(d->rx);
        return 0;
    }
    if (!q->t_count)
        return -1;
    *ts = q->tx_ts[q->t_head];
    q->t_head = (q->t_head + 1) % q->t_cap;
    q->t_count--;
    return 0;
}

void dev_defer_free(struct dev_model *d)
{
    struct dev_defer *q = &d->defer;

    for (size_t i = 0; i < q->f_count; i++)
        free(q->frames[(q->f_head + i) % q->f_cap].data);
    free(q->frames);
    free(q->tx_ts);
    memset(q, 0, sizeof(*q));
}

void toe_dev_model_defer(struct toe_dev *dev, int on)
{
    dev_of(dev)->defer.on = on != 0;
}

int toe_dev_model_release(struct toe_dev *dev, enum toe_dev_input kind)
{
    struct dev_model *d = dev_of(dev);
    struct dev_defer *q = &d->defer;

    switch (kind) {
    case TOE_DEV_IN_RX_FRAME: {
        struct dev_held_frame h;

        if (!q->f_count)
            return -1;
        h = q->frames[q->f_head];
        q->f_head = (q->f_head + 1) % q->f_cap;
        q->f_count--;
        toe_rx_model_frame(d->rx, h.len ? h.data : NULL, h.len, 0);
        free(h.data);
        break;
    }
    case TOE_DEV_IN_TX_DESC:
        /* The TSval the RTL's engine sampled is the clock now (both clocks
         * run alike); the descriptor itself comes from TXQ in dev_tx_kick. */
        if (q->t_count == q->t_cap) {
            size_t cap = q->t_cap ? q->t_cap * 2 : 64;
            uint32_t *n = malloc(cap * sizeof(*n));

            if (!n)
                abort();
            for (size_t i = 0; i < q->t_count; i++)
                n[i] = q->tx_ts[(q->t_head + i) % q->t_cap];
            free(q->tx_ts);
            q->tx_ts = n;
            q->t_head = 0;
            q->t_cap = cap;
        }
        q->tx_ts[(q->t_head + q->t_count) % q->t_cap] = toe_rx_model_ts(d->rx);
        q->t_count++;
        break;
    case TOE_DEV_IN_RX_CMD:
        if (!q->cmd_held)
            return -1;
        q->cmd_held = 0;
        dev_fw_cmd_start(d);
        break;
    default:
        return -1;
    }
    dev_kick(d);
    return 0;
}
