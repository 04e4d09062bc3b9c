/*
 * Two-bank, four-way hash index of the connection table.  Contracts are in
 * toe_conn_table.h; the behaviour is docs/rx-datapath.md, "Connection
 * table".
 */
#include "toe_conn_table.h"

#include <assert.h>
#include <stdlib.h>

#include "toe_crc32.h"
#include "toe_pkt.h"

struct toe_conn_slot {
    uint8_t used;
    uint16_t conn_id;
    struct toe_conn_key key;
};

struct toe_conn_table {
    uint32_t nbuckets;            /* per bank: conn_max / CONN_WAYS */
    uint32_t count;
    struct toe_conn_slot *slots;  /* [bank][bucket][way] */
};

void toe_conn_key_bytes(const struct toe_conn_key *k, uint8_t out[12])
{
    toe_put32(out, k->local_ip);
    toe_put32(out + 4, k->remote_ip);
    toe_put16(out + 8, k->local_port);
    toe_put16(out + 10, k->remote_port);
}

uint32_t toe_conn_bucket(const struct toe_conn_key *k, unsigned bank,
                         uint32_t nbuckets)
{
    uint8_t b[TOE_CONN_KEY_BYTES];

    assert(bank < TOE_CONN_BANKS && nbuckets > 0);
    toe_conn_key_bytes(k, b);
    return (bank == 0 ? toe_crc32c(b, sizeof(b)) : toe_crc32(b, sizeof(b))) %
           nbuckets;
}

struct toe_conn_table *toe_conn_table_new(uint32_t conn_max)
{
    struct toe_conn_table *t;

    if (conn_max < TOE_CONN_MAX_MIN || conn_max > TOE_CONN_MAX_MAX ||
        (conn_max & (conn_max - 1)) != 0)
        return NULL;
    t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->nbuckets = conn_max / CONN_WAYS;
    /* 2 banks x conn_max/4 buckets x 4 ways = 2 * conn_max slots */
    t->slots = calloc((size_t)TOE_CONN_BANKS * conn_max, sizeof(*t->slots));
    if (!t->slots) {
        free(t);
        return NULL;
    }
    return t;
}

void toe_conn_table_free(struct toe_conn_table *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t);
}

uint32_t toe_conn_table_buckets(const struct toe_conn_table *t)
{
    return t->nbuckets;
}

uint32_t toe_conn_table_count(const struct toe_conn_table *t)
{
    return t->count;
}

/* The first slot of bucket `bucket` in bank `bank`. */
static struct toe_conn_slot *bucket_slots(const struct toe_conn_table *t,
                                          unsigned bank, uint32_t bucket)
{
    assert(bank < TOE_CONN_BANKS && bucket < t->nbuckets);
    return t->slots + ((size_t)bank * t->nbuckets + bucket) * CONN_WAYS;
}

static int key_eq(const struct toe_conn_key *a, const struct toe_conn_key *b)
{
    return a->local_ip == b->local_ip && a->remote_ip == b->remote_ip &&
           a->local_port == b->local_port && a->remote_port == b->remote_port;
}

/* The slot holding k, with its coordinates, or NULL.  Both buckets (8
 * slots) are searched, bank 0 first; a key is never in two slots. */
static struct toe_conn_slot *find(const struct toe_conn_table *t,
                                  const struct toe_conn_key *k,
                                  unsigned *bank, uint32_t *bucket,
                                  unsigned *way)
{
    unsigned b, w;

    for (b = 0; b < TOE_CONN_BANKS; b++) {
        uint32_t bk = toe_conn_bucket(k, b, t->nbuckets);
        struct toe_conn_slot *s = bucket_slots(t, b, bk);

        for (w = 0; w < CONN_WAYS; w++) {
            if (s[w].used && key_eq(&s[w].key, k)) {
                if (bank)
                    *bank = b;
                if (bucket)
                    *bucket = bk;
                if (way)
                    *way = w;
                return &s[w];
            }
        }
    }
    return NULL;
}

unsigned toe_conn_table_bucket_used(const struct toe_conn_table *t,
                                    unsigned bank, uint32_t bucket)
{
    const struct toe_conn_slot *s = bucket_slots(t, bank, bucket);
    unsigned w, n = 0;

    for (w = 0; w < CONN_WAYS; w++)
        n += s[w].used;
    return n;
}

int toe_conn_table_lookup(const struct toe_conn_table *t,
                          const struct toe_conn_key *k)
{
    const struct toe_conn_slot *s = find(t, k, NULL, NULL, NULL);

    return s ? (int)s->conn_id : -1;
}

uint8_t toe_conn_table_insert(struct toe_conn_table *t,
                              const struct toe_conn_key *k, uint16_t conn_id)
{
    uint32_t bk[TOE_CONN_BANKS];
    unsigned used[TOE_CONN_BANKS], b, w;
    struct toe_conn_slot *s;

    if (find(t, k, NULL, NULL, NULL))
        return CONN_STATUS_EXISTS;
    for (b = 0; b < TOE_CONN_BANKS; b++) {
        bk[b] = toe_conn_bucket(k, b, t->nbuckets);
        used[b] = toe_conn_table_bucket_used(t, b, bk[b]);
    }
    /* Fewer used slots wins; a tie goes to bank 0.  If the chosen bucket
     * is full so is the other one. */
    b = used[1] < used[0] ? 1u : 0u;
    if (used[b] == CONN_WAYS)
        return CONN_STATUS_TABLE_FULL;
    s = bucket_slots(t, b, bk[b]);
    for (w = 0; w < CONN_WAYS && s[w].used; w++)
        ;
    assert(w < CONN_WAYS);
    s[w].used = 1;
    s[w].conn_id = conn_id;
    s[w].key = *k;
    t->count++;
    return CONN_STATUS_OK;
}

void toe_conn_table_remove(struct toe_conn_table *t,
                           const struct toe_conn_key *k)
{
    struct toe_conn_slot *s = find(t, k, NULL, NULL, NULL);

    if (s) {
        s->used = 0;
        t->count--;
    }
}

int toe_conn_table_where(const struct toe_conn_table *t,
                         const struct toe_conn_key *k, unsigned *bank,
                         unsigned *bucket, unsigned *way)
{
    uint32_t bk;

    if (!find(t, k, bank, &bk, way))
        return -1;
    if (bucket)
        *bucket = (unsigned)bk;
    return 0;
}
