/* The demultiplexer: toe_demux.h. */
#include "toe_demux.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toe_siphash.h"

static uint32_t hash(const struct toe_demux *d, const struct toe_tuple *t)
{
    const uint32_t w[3] = {t->laddr, t->raddr, (uint32_t)t->lport << 16 | t->rport};

    return (uint32_t)toe_siphash24(d->key, w, sizeof(w)) & d->mask;
}

static int same(const struct toe_tuple *a, const struct toe_tuple *b)
{
    return a->laddr == b->laddr && a->raddr == b->raddr && a->lport == b->lport && a->rport == b->rport;
}

int toe_demux_init(struct toe_demux *d, uint32_t max_conns, uint32_t max_listeners, const uint8_t key[16])
{
    uint32_t buckets = 1;

    memset(d, 0, sizeof(*d));
    /* about two buckets a connection: short chains at a full table */
    while (buckets < 2u * max_conns && buckets < (1u << 30))
        buckets <<= 1;
    d->mask = buckets - 1;
    d->cap = max_conns;
    d->lst_cap = max_listeners;
    d->bucket = malloc((size_t)buckets * sizeof(*d->bucket));
    d->node = calloc(max_conns ? max_conns : 1, sizeof(*d->node));
    d->lst = calloc(max_listeners ? max_listeners : 1, sizeof(*d->lst));
    d->port_users = calloc(65536, sizeof(*d->port_users));
    if (!d->bucket || !d->node || !d->lst || !d->port_users) {
        toe_demux_free(d);
        return -ENOMEM;
    }
    memcpy(d->key, key, sizeof(d->key));
    memset(d->bucket, 0xff, (size_t)buckets * sizeof(*d->bucket));
    for (uint32_t i = 0; i < max_conns; i++)
        d->node[i].next = i + 1 < max_conns ? i + 1 : TOE_DEMUX_NONE;
    d->free_head = max_conns ? 0 : TOE_DEMUX_NONE;
    for (uint32_t i = 0; i < max_listeners; i++)
        d->lst[i].id = TOE_DEMUX_NONE;
    return 0;
}

void toe_demux_free(struct toe_demux *d)
{
    free(d->bucket);
    free(d->node);
    free(d->lst);
    free(d->port_users);
    memset(d, 0, sizeof(*d));
}

uint32_t toe_demux_lookup(const struct toe_demux *d, const struct toe_tuple *t)
{
    for (uint32_t i = d->bucket[hash(d, t)]; i != TOE_DEMUX_NONE; i = d->node[i].next)
        if (same(&d->node[i].t, t))
            return d->node[i].id;
    return TOE_DEMUX_NONE;
}

int toe_demux_insert(struct toe_demux *d, const struct toe_tuple *t, uint32_t id)
{
    uint32_t h = hash(d, t), i;

    if (toe_demux_lookup(d, t) != TOE_DEMUX_NONE)
        return -EEXIST;
    if (d->free_head == TOE_DEMUX_NONE)
        return -ENOSPC;
    i = d->free_head;
    d->free_head = d->node[i].next;
    d->node[i] = (struct toe_demux_node){*t, id, d->bucket[h]};
    d->bucket[h] = i;
    d->n++;
    d->port_users[t->lport]++;
    return 0;
}

int toe_demux_remove(struct toe_demux *d, const struct toe_tuple *t)
{
    uint32_t *link = &d->bucket[hash(d, t)];

    for (uint32_t i = *link; i != TOE_DEMUX_NONE; link = &d->node[i].next, i = *link) {
        if (same(&d->node[i].t, t)) {
            *link = d->node[i].next;
            d->node[i].next = d->free_head;
            d->free_head = i;
            d->n--;
            d->port_users[t->lport]--;
            return 0;
        }
    }
    return -ENOENT;
}

int toe_demux_listen(struct toe_demux *d, uint32_t laddr, uint16_t lport, uint32_t id)
{
    uint32_t slot = TOE_DEMUX_NONE;

    for (uint32_t i = 0; i < d->lst_cap; i++) {
        const struct toe_demux_listener *l = &d->lst[i];

        if (l->id == TOE_DEMUX_NONE) {
            if (slot == TOE_DEMUX_NONE)
                slot = i;
        } else if (l->lport == lport &&
                   (l->laddr == laddr || l->laddr == TOE_INADDR_ANY || laddr == TOE_INADDR_ANY)) {
            return -EADDRINUSE;
        }
    }
    if (slot == TOE_DEMUX_NONE)
        return -ENOSPC;
    d->lst[slot] = (struct toe_demux_listener){laddr, lport, id};
    d->lst_n++;
    d->port_users[lport]++;
    return 0;
}

int toe_demux_unlisten(struct toe_demux *d, uint32_t laddr, uint16_t lport)
{
    for (uint32_t i = 0; i < d->lst_cap; i++) {
        struct toe_demux_listener *l = &d->lst[i];

        if (l->id != TOE_DEMUX_NONE && l->laddr == laddr && l->lport == lport) {
            l->id = TOE_DEMUX_NONE;
            d->lst_n--;
            d->port_users[lport]--;
            return 0;
        }
    }
    return -ENOENT;
}

uint32_t toe_demux_listener(const struct toe_demux *d, uint32_t laddr, uint16_t lport)
{
    uint32_t any = TOE_DEMUX_NONE;

    for (uint32_t i = 0; i < d->lst_cap; i++) {
        const struct toe_demux_listener *l = &d->lst[i];

        if (l->id == TOE_DEMUX_NONE || l->lport != lport)
            continue;
        if (l->laddr == laddr)
            return l->id;           /* the exact address scores higher (Linux's compute_score) */
        if (l->laddr == TOE_INADDR_ANY)
            any = l->id;
    }
    return any;
}

uint32_t toe_demux_owner(const struct toe_demux *d, const struct toe_tuple *t)
{
    uint32_t id = toe_demux_lookup(d, t);

    return id != TOE_DEMUX_NONE ? id : toe_demux_listener(d, t->laddr, t->lport);
}

int toe_demux_tuple_free(void *arg, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    const struct toe_demux *d = arg;
    const struct toe_tuple t = {laddr, raddr, lport, rport};

    /* A listener's port is not used for connects (Linux refuses a connect
     * bind over a listening port's bucket unless it may share it). */
    return toe_demux_lookup(d, &t) == TOE_DEMUX_NONE && toe_demux_listener(d, laddr, lport) == TOE_DEMUX_NONE;
}

int toe_demux_port_unused(void *arg, uint32_t laddr, uint16_t lport)
{
    const struct toe_demux *d = arg;

    (void)laddr;
    return d->port_users[lport] == 0;
}
