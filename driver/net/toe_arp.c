/* ARP (RFC 826) and the neighbour table: toe_arp.h. */
#include "toe_arp.h"

#include <string.h>

#include "toe_pkt.h"

#define ARP_LEN 28                 /* the ARP packet for Ethernet/IPv4 */

static const uint8_t BROADCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

const char *toe_arp_strerror(enum toe_arp_err e)
{
    switch (e) {
    case TOE_ARP_OK: return "ok";
    case TOE_ARP_SHORT: return "shorter than an Ethernet ARP packet";
    case TOE_ARP_NOT_ARP: return "not ARP";
    case TOE_ARP_BAD_FORMAT: return "not Ethernet/IPv4 ARP (htype, ptype, hlen, plen)";
    case TOE_ARP_BAD_OP: return "neither request nor reply";
    case TOE_ARP_BAD_SENDER: return "sender address not usable";
    }
    return "?";
}

enum toe_arp_err toe_arp_parse(const uint8_t *frame, size_t len, struct toe_arp_pkt *p)
{
    const uint8_t *a = frame + TOE_ETH_HLEN;

    if (len < TOE_ETH_HLEN + ARP_LEN)
        return TOE_ARP_SHORT;
    if (toe_get16(frame + 12) != TOE_ETHERTYPE_ARP)
        return TOE_ARP_NOT_ARP;
    /* RFC 826: hardware type 1 (Ethernet), protocol 0x0800, lengths 6 and 4 */
    if (toe_get16(a) != 1 || toe_get16(a + 2) != TOE_ETHERTYPE_IPV4 || a[4] != 6 || a[5] != 4)
        return TOE_ARP_BAD_FORMAT;
    p->op = toe_get16(a + 6);
    memcpy(p->sha, a + 8, 6);
    p->spa = toe_get32(a + 14);
    memcpy(p->tha, a + 18, 6);
    p->tpa = toe_get32(a + 24);
    if (p->op != TOE_ARP_OP_REQUEST && p->op != TOE_ARP_OP_REPLY)
        return TOE_ARP_BAD_OP;
    /* A group address cannot be a host's (its I/G bit); nobody owns 0.0.0.0 -
     * except an RFC 5227 probe, a request whose sender address is 0. */
    if ((p->sha[0] & 1) || (p->spa == 0 && p->op == TOE_ARP_OP_REPLY))
        return TOE_ARP_BAD_SENDER;
    return TOE_ARP_OK;
}

static size_t build(uint8_t *buf, const uint8_t dst[6], uint16_t op, const uint8_t sha[6], uint32_t spa,
                    const uint8_t tha[6], uint32_t tpa)
{
    uint8_t *a = buf + TOE_ETH_HLEN;

    memset(buf, 0, TOE_ARP_FRAME_LEN);  /* the padding to 60 bytes is zeros */
    memcpy(buf, dst, 6);
    memcpy(buf + 6, sha, 6);
    toe_put16(buf + 12, TOE_ETHERTYPE_ARP);
    toe_put16(a, 1);
    toe_put16(a + 2, TOE_ETHERTYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    toe_put16(a + 6, op);
    memcpy(a + 8, sha, 6);
    toe_put32(a + 14, spa);
    memcpy(a + 18, tha, 6);
    toe_put32(a + 24, tpa);
    return TOE_ARP_FRAME_LEN;
}

size_t toe_arp_build_request(uint8_t *buf, const uint8_t sha[6], uint32_t spa, uint32_t tpa)
{
    static const uint8_t unknown[6] = {0};

    /* RFC 826 leaves the target hardware address open; Linux sends zeros. */
    return build(buf, BROADCAST, TOE_ARP_OP_REQUEST, sha, spa, unknown, tpa);
}

size_t toe_arp_build_reply(uint8_t *buf, const uint8_t our_mac[6], uint32_t our_ip,
                           const struct toe_arp_pkt *rq)
{
    /* "swap hardware and protocol fields, putting the local hardware and
     * protocol addresses in the sender fields", sent to the asker (RFC 826) */
    return build(buf, rq->sha, TOE_ARP_OP_REPLY, our_mac, our_ip, rq->sha, rq->spa);
}

/* ---- the table ---- */

void toe_arp_init(struct toe_arp_table *t, struct toe_arp_entry *entries, size_t n,
                  const uint8_t mac[6], uint32_t ip)
{
    memset(t, 0, sizeof(*t));
    memset(entries, 0, n * sizeof(*entries));
    t->e = entries;
    t->n = n;
    memcpy(t->mac, mac, 6);
    t->ip = ip;
    t->cfg = (struct toe_arp_cfg){TOE_ARP_RETRANS_NS, TOE_ARP_REACHABLE_NS, TOE_ARP_SOLICIT};
}

void toe_arp_configure(struct toe_arp_table *t, const struct toe_arp_cfg *cfg)
{
    t->cfg = *cfg;
    if (t->cfg.solicit == 0)
        t->cfg.solicit = 1;  /* a resolution asks at least once */
}

static struct toe_arp_entry *lookup(const struct toe_arp_table *t, uint32_t ip)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->e[i].state != TOE_ARP_FREE && t->e[i].ip == ip)
            return &t->e[i];
    return NULL;
}

const struct toe_arp_entry *toe_arp_find(const struct toe_arp_table *t, uint32_t ip)
{
    return lookup(t, ip);
}

/* A slot for a new entry: a free one, else the oldest FAILED, else the oldest
 * STALE (an entry in use - INCOMPLETE, REACHABLE - is never taken). */
static struct toe_arp_entry *claim(struct toe_arp_table *t)
{
    struct toe_arp_entry *best = NULL;

    for (size_t i = 0; i < t->n; i++) {
        struct toe_arp_entry *e = &t->e[i];

        if (e->state == TOE_ARP_FREE)
            return e;
        if (e->state != TOE_ARP_FAILED && e->state != TOE_ARP_STALE)
            continue;
        if (!best || (e->state == TOE_ARP_FAILED && best->state == TOE_ARP_STALE) ||
            (e->state == best->state && e->when_ns < best->when_ns))
            best = e;
    }
    return best;
}

static void confirm(struct toe_arp_table *t, struct toe_arp_entry *e, const uint8_t mac[6], uint64_t now)
{
    if (e->state == TOE_ARP_INCOMPLETE)
        t->st.resolved++;
    memcpy(e->mac, mac, 6);
    e->state = TOE_ARP_REACHABLE;
    e->probes = 0;
    e->when_ns = now;
}

enum toe_arp_err toe_arp_input(struct toe_arp_table *t, const uint8_t *frame, size_t len,
                               uint64_t now_ns, struct toe_arp_out *out)
{
    struct toe_arp_pkt p;
    enum toe_arp_err r = toe_arp_parse(frame, len, &p);
    struct toe_arp_entry *e;

    out->len = 0;
    if (r != TOE_ARP_OK) {
        t->st.bad_in++;
        return r;
    }
    if (p.op == TOE_ARP_OP_REQUEST)
        t->st.requests_in++;
    else
        t->st.replies_in++;
    if (p.spa == 0)
        goto answer;    /* an address probe (RFC 5227): nothing to learn */
    /* RFC 826: "If the pair <protocol type, sender protocol address> is already
     * in my translation table, update the sender hardware address field". */
    e = lookup(t, p.spa);
    if (e)
        confirm(t, e, p.sha, now_ns);
    if (t->ip == 0 || p.tpa != t->ip)
        return TOE_ARP_OK;
    /* "Am I the target protocol address? If Merge_flag is false, add the triplet" */
    if (!e) {
        e = claim(t);
        if (e) {
            e->ip = p.spa;
            e->state = TOE_ARP_FREE;
            confirm(t, e, p.sha, now_ns);
        } else {
            t->st.table_full++;
        }
    }
answer:
    if (p.op == TOE_ARP_OP_REQUEST && t->ip != 0 && p.tpa == t->ip) {
        out->len = toe_arp_build_reply(out->frame, t->mac, t->ip, &p);
        t->st.replies_out++;
    }
    return TOE_ARP_OK;
}

static void ask(struct toe_arp_table *t, struct toe_arp_entry *e, uint64_t now, struct toe_arp_out *out)
{
    out->len = toe_arp_build_request(out->frame, t->mac, t->ip, e->ip);
    e->probes++;
    e->when_ns = now;
    t->st.requests_out++;
}

enum toe_arp_resolve toe_arp_resolve(struct toe_arp_table *t, uint32_t ip, uint64_t now_ns,
                                     uint8_t mac[6], struct toe_arp_out *out)
{
    struct toe_arp_entry *e = lookup(t, ip);

    out->len = 0;
    if (e && (e->state == TOE_ARP_REACHABLE || e->state == TOE_ARP_STALE)) {
        memcpy(mac, e->mac, 6);
        return TOE_ARP_RESOLVED;
    }
    if (e && e->state == TOE_ARP_INCOMPLETE)
        return TOE_ARP_PENDING;
    if (e && e->state == TOE_ARP_FAILED && now_ns - e->when_ns < t->cfg.reachable_ns)
        return TOE_ARP_UNREACHABLE;
    if (!e) {
        e = claim(t);
        if (!e) {
            t->st.table_full++;
            return TOE_ARP_NO_ROOM;
        }
        memset(e, 0, sizeof(*e));
        e->ip = ip;
    }
    e->state = TOE_ARP_INCOMPLETE;
    e->probes = 0;
    ask(t, e, now_ns, out);
    return TOE_ARP_PENDING;
}

int toe_arp_tick(struct toe_arp_table *t, uint64_t now_ns, struct toe_arp_out *out)
{
    out->len = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct toe_arp_entry *e = &t->e[i];

        if (e->state == TOE_ARP_REACHABLE && now_ns - e->when_ns >= t->cfg.reachable_ns) {
            e->state = TOE_ARP_STALE;
        } else if (e->state == TOE_ARP_INCOMPLETE && now_ns - e->when_ns >= t->cfg.retrans_ns) {
            if (e->probes >= t->cfg.solicit) {
                e->state = TOE_ARP_FAILED;
                e->when_ns = now_ns;
                t->st.failed++;
                continue;
            }
            ask(t, e, now_ns, out);
            return 1;
        }
    }
    return 0;
}

uint64_t toe_arp_next_timer(const struct toe_arp_table *t)
{
    uint64_t next = UINT64_MAX;

    for (size_t i = 0; i < t->n; i++) {
        const struct toe_arp_entry *e = &t->e[i];
        uint64_t at = UINT64_MAX;

        if (e->state == TOE_ARP_REACHABLE)
            at = e->when_ns + t->cfg.reachable_ns;
        else if (e->state == TOE_ARP_INCOMPLETE)
            at = e->when_ns + t->cfg.retrans_ns;
        if (at < next)
            next = at;
    }
    return next;
}
