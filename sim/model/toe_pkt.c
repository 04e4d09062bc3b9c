/*
 * Packet header build and verify.  Contracts are in toe_pkt.h.
 */
#include "toe_pkt.h"

#include <assert.h>
#include <string.h>

#include "toe_csum.h"

size_t toe_eth_build(uint8_t *buf, const struct toe_eth *e)
{
    size_t off = 2 * TOE_ETH_ALEN;

    memcpy(buf, e->dst, TOE_ETH_ALEN);
    memcpy(buf + TOE_ETH_ALEN, e->src, TOE_ETH_ALEN);
    if (e->vlan) {
        toe_put16(buf + off, TOE_ETHERTYPE_VLAN);
        toe_put16(buf + off + 2, e->tci);
        off += TOE_VLAN_HLEN;
    }
    toe_put16(buf + off, e->type);
    return off + 2;
}

int toe_eth_parse(const uint8_t *frame, size_t len, struct toe_eth *e)
{
    size_t off = 2 * TOE_ETH_ALEN;

    if (len < TOE_ETH_HLEN)
        return -1;
    memcpy(e->dst, frame, TOE_ETH_ALEN);
    memcpy(e->src, frame + TOE_ETH_ALEN, TOE_ETH_ALEN);
    e->vlan = toe_get16(frame + off) == TOE_ETHERTYPE_VLAN;
    e->tci = 0;
    if (e->vlan) {
        if (len < TOE_ETH_HLEN + TOE_VLAN_HLEN)
            return -1;
        e->tci = toe_get16(frame + off + 2);
        off += TOE_VLAN_HLEN;
    }
    e->type = toe_get16(frame + off);
    e->hlen = off + 2;
    return 0;
}

void toe_ipv4_build(uint8_t *ip, const struct toe_ipv4 *h)
{
    ip[0] = 0x45; /* version 4, IHL 5 */
    ip[1] = h->tos;
    toe_put16(ip + 2, h->tot_len);
    toe_put16(ip + 4, h->id);
    toe_put16(ip + 6, h->frag);
    ip[8] = h->ttl;
    ip[9] = h->proto;
    toe_put16(ip + TOE_IPV4_CSUM_OFF, 0);
    toe_put32(ip + 12, h->src);
    toe_put32(ip + 16, h->dst);
    /* RFC 791 section 3.1: computed with the field itself as zero. */
    toe_put16(ip + TOE_IPV4_CSUM_OFF, toe_csum(ip, TOE_IPV4_HLEN));
}

void toe_ipv4_parse(const uint8_t *ip, struct toe_ipv4 *h)
{
    h->tos = ip[1];
    h->tot_len = toe_get16(ip + 2);
    h->id = toe_get16(ip + 4);
    h->frag = toe_get16(ip + 6);
    h->ttl = ip[8];
    h->proto = ip[9];
    h->src = toe_get32(ip + 12);
    h->dst = toe_get32(ip + 16);
}

enum toe_ipv4_err toe_ipv4_verify(const uint8_t *ip, size_t len)
{
    size_t hlen, tot;

    if (len < TOE_IPV4_HLEN)
        return TOE_IPV4_ERR_SHORT;
    if ((ip[0] >> 4) != 4)
        return TOE_IPV4_ERR_VERSION;
    hlen = (size_t)(ip[0] & 0x0F) * 4;
    if (hlen < TOE_IPV4_HLEN)
        return TOE_IPV4_ERR_IHL;
    if (hlen > len)
        return TOE_IPV4_ERR_SHORT;
    tot = toe_get16(ip + 2);
    if (tot < hlen || tot > len)
        return TOE_IPV4_ERR_TOTLEN;
    /* RFC 1071 section 1 (4): a correct header sums to all ones. */
    if (toe_csum_fold(toe_csum_partial(0, ip, hlen)) != 0xFFFF)
        return TOE_IPV4_ERR_CSUM;
    if (toe_get16(ip + 6) & (TOE_IPV4_MF | TOE_IPV4_FRAG_OFF))
        return TOE_IPV4_ERR_FRAG;
    return TOE_IPV4_OK;
}

const char *toe_ipv4_strerror(enum toe_ipv4_err err)
{
    switch (err) {
    case TOE_IPV4_OK: return "ok";
    case TOE_IPV4_ERR_SHORT: return "too short";
    case TOE_IPV4_ERR_VERSION: return "bad version";
    case TOE_IPV4_ERR_IHL: return "IHL < 5";
    case TOE_IPV4_ERR_TOTLEN: return "total length disagrees";
    case TOE_IPV4_ERR_CSUM: return "bad header checksum";
    case TOE_IPV4_ERR_FRAG: return "fragment";
    }
    return "unknown";
}

size_t toe_tcp_ts_option(uint8_t opt[TOE_TCP_TSOPT_LEN], uint32_t tsval, uint32_t tsecr)
{
    opt[0] = 1;
    opt[1] = 1;
    opt[2] = 8;
    opt[3] = 10;
    toe_put32(opt + 4, tsval);
    toe_put32(opt + 8, tsecr);
    return TOE_TCP_TSOPT_LEN;
}

size_t toe_tcp_build(uint8_t *tcp, const struct toe_tcp *h, const uint8_t *opt,
                     size_t optlen)
{
    size_t hlen = TOE_TCP_HLEN + optlen;

    assert(optlen % 4 == 0 && optlen <= 40);
    toe_put16(tcp, h->sport);
    toe_put16(tcp + 2, h->dport);
    toe_put32(tcp + 4, h->seq);
    toe_put32(tcp + 8, h->ack);
    tcp[12] = (uint8_t)((hlen / 4) << 4); /* data offset; reserved bits 0 */
    tcp[13] = h->flags;
    toe_put16(tcp + 14, h->win);
    toe_put16(tcp + TOE_TCP_CSUM_OFF, 0);
    toe_put16(tcp + 18, h->urg);
    if (optlen)
        memcpy(tcp + TOE_TCP_HLEN, opt, optlen);
    return hlen;
}

size_t toe_tcp_parse(const uint8_t *tcp, size_t len, struct toe_tcp *h)
{
    size_t hlen;

    if (len < TOE_TCP_HLEN)
        return 0;
    hlen = (size_t)(tcp[12] >> 4) * 4;
    if (hlen < TOE_TCP_HLEN || hlen > len)
        return 0;
    h->sport = toe_get16(tcp);
    h->dport = toe_get16(tcp + 2);
    h->seq = toe_get32(tcp + 4);
    h->ack = toe_get32(tcp + 8);
    h->flags = tcp[13];
    h->win = toe_get16(tcp + 14);
    h->csum = toe_get16(tcp + TOE_TCP_CSUM_OFF);
    h->urg = toe_get16(tcp + 18);
    h->hlen = hlen;
    return hlen;
}

/*
 * The folded sum of pseudo-header and the len bytes at l4, skipping the
 * 16-bit field at csum_off (even), i.e. taking it as zero.
 */
static uint16_t l4_sum_without_field(uint32_t src, uint32_t dst,
                                     uint8_t proto, const uint8_t *l4,
                                     size_t len, size_t csum_off)
{
    uint32_t s;

    assert(len <= 0xFFFF && csum_off + 2 <= len && csum_off % 2 == 0);
    s = toe_csum_pseudo_ipv4(src, dst, proto, (uint16_t)len);
    s = toe_csum_partial(s, l4, csum_off);
    s = toe_csum_partial(s, l4 + csum_off + 2, len - csum_off - 2);
    return toe_csum_fold(s);
}

/* The folded sum of pseudo-header and segment, checksum field included. */
static uint16_t l4_sum(uint32_t src, uint32_t dst, uint8_t proto,
                       const uint8_t *l4, size_t len)
{
    uint32_t s;

    assert(len <= 0xFFFF);
    s = toe_csum_pseudo_ipv4(src, dst, proto, (uint16_t)len);
    return toe_csum_fold(toe_csum_partial(s, l4, len));
}

uint16_t toe_tcp_csum(uint32_t src, uint32_t dst, const uint8_t *seg,
                      size_t len)
{
    return (uint16_t)~l4_sum_without_field(src, dst, TOE_IPPROTO_TCP, seg, len,
                                           TOE_TCP_CSUM_OFF);
}

void toe_tcp_csum_fill(uint32_t src, uint32_t dst, uint8_t *seg, size_t len)
{
    toe_put16(seg + TOE_TCP_CSUM_OFF, toe_tcp_csum(src, dst, seg, len));
}

int toe_tcp_csum_ok(uint32_t src, uint32_t dst, const uint8_t *seg,
                    size_t len)
{
    return l4_sum(src, dst, TOE_IPPROTO_TCP, seg, len) == 0xFFFF;
}

uint16_t toe_udp_csum(uint32_t src, uint32_t dst, const uint8_t *dgram,
                      size_t len)
{
    uint16_t c = (uint16_t)~l4_sum_without_field(src, dst, TOE_IPPROTO_UDP,
                                                 dgram, len, TOE_UDP_CSUM_OFF);

    /* RFC 768: "If the computed checksum is zero, it is transmitted as all
     * ones"; zero on the wire means the sender computed none. */
    return c ? c : 0xFFFF;
}

void toe_udp_csum_fill(uint32_t src, uint32_t dst, uint8_t *dgram, size_t len)
{
    toe_put16(dgram + TOE_UDP_CSUM_OFF, toe_udp_csum(src, dst, dgram, len));
}

int toe_udp_csum_ok(uint32_t src, uint32_t dst, const uint8_t *dgram,
                    size_t len)
{
    if (toe_get16(dgram + TOE_UDP_CSUM_OFF) == 0)
        return 1;
    return l4_sum(src, dst, TOE_IPPROTO_UDP, dgram, len) == 0xFFFF;
}
