/*
 * The 4-tuple index of the connection table (docs/rx-datapath.md,
 * "Connection table"): two banks of conn_max/4 buckets of CONN_WAYS (4)
 * slots.  Bank 0 hashes the key with CRC-32C, bank 1 with CRC-32; a lookup
 * searches the key's bucket in each bank (8 slots), an insert takes the
 * bucket with fewer used slots (bank 0 on a tie) and its lowest free slot.
 * This is a cuckoo-free two-choice table: entries never move, so a lookup
 * is one read of two buckets and an insert can fail (TABLE_FULL) before the
 * table is full.
 */
#ifndef TOE_CONN_TABLE_H
#define TOE_CONN_TABLE_H

#include <stdint.h>

#include "toe_formats.h"

/* Addresses and ports are host-order numbers (192.0.2.1 is 0xC0000201). */
struct toe_conn_key {
    uint32_t local_ip, remote_ip;
    uint16_t local_port, remote_port;
};

#define TOE_CONN_KEY_BYTES 12
#define TOE_CONN_BANKS 2
#define TOE_CONN_MAX_MIN 4u
#define TOE_CONN_MAX_MAX 65536u

struct toe_conn_table;

/*
 * The 12 hashed bytes of k: local address, remote address, local port,
 * remote port, each big-endian (wire order).
 */
void toe_conn_key_bytes(const struct toe_conn_key *k, uint8_t out[12]);

/*
 * The bucket of k in bank 0 (CRC-32C of the key bytes mod nbuckets) or bank
 * 1 (CRC-32 of them mod nbuckets).  nbuckets > 0.
 */
uint32_t toe_conn_bucket(const struct toe_conn_key *k, unsigned bank,
                         uint32_t nbuckets);

/*
 * A new, empty table for conn_max entries: conn_max a power of two in
 * 4..65536, else NULL (also NULL when out of memory).  Free it with
 * toe_conn_table_free(), which accepts NULL.
 */
struct toe_conn_table *toe_conn_table_new(uint32_t conn_max);
void toe_conn_table_free(struct toe_conn_table *t);

/* Buckets per bank: conn_max / 4. */
uint32_t toe_conn_table_buckets(const struct toe_conn_table *t);

/* The conn_id stored with k, or -1 if k is not in the table. */
int toe_conn_table_lookup(const struct toe_conn_table *t,
                          const struct toe_conn_key *k);

/*
 * Insert k -> conn_id.  Returns CONN_STATUS_EXISTS (k is already in the
 * table; nothing changes), CONN_STATUS_TABLE_FULL (both of k's buckets are
 * full; nothing changes) or CONN_STATUS_OK.  The table does not check
 * conn_id: keeping ids unique is the caller's business (INSERT's BUSY).
 */
uint8_t toe_conn_table_insert(struct toe_conn_table *t,
                              const struct toe_conn_key *k, uint16_t conn_id);

/* Remove k; nothing happens if it is not in the table. */
void toe_conn_table_remove(struct toe_conn_table *t,
                           const struct toe_conn_key *k);

/*
 * Where k sits: 0 with *bank, *bucket, *way set (any pointer may be NULL),
 * or -1 if k is not in the table.
 */
int toe_conn_table_where(const struct toe_conn_table *t,
                         const struct toe_conn_key *k, unsigned *bank,
                         unsigned *bucket, unsigned *way);

/* Used slots of bucket `bucket` of bank `bank` (0..CONN_WAYS). */
unsigned toe_conn_table_bucket_used(const struct toe_conn_table *t,
                                    unsigned bank, uint32_t bucket);

/* Keys in the table. */
uint32_t toe_conn_table_count(const struct toe_conn_table *t);

#endif /* TOE_CONN_TABLE_H */
