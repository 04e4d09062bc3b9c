/*
 * RX frame parsing and verification: rules 1 to 9 of docs/rx-datapath.md,
 * "Parsing and verification".  Contract in toe_rx_priv.h.
 *
 * Every rule checks that the bytes it reads are inside the frame before it
 * reads them, so any frame, however short or hostile, gets a reason; the
 * order of the checks is the contract's order, which the RTL keeps too.
 */
#include <string.h>

#include "toe_csum.h"
#include "toe_pkt.h"
#include "toe_rx_priv.h"

#define TCP_OPT_EOL 0  /* RFC 9293 section 3.2: End of Option List */
#define TCP_OPT_NOP 1
#define TCP_OPT_TS 8   /* RFC 7323 section 3: kind 8, length 10 */
#define TCP_OPT_TS_LEN 10

static uint8_t verdict(struct toe_rx_parsed *p, uint8_t v, uint8_t reason)
{
    p->verdict = v;
    p->reason = reason;
    return v;
}

/*
 * Rule 8: walk the options in tcp[20 .. hlen).  Returns 0, or -1 when an
 * option's length byte is missing, below 2 or runs past the header.  Sets
 * has_ts/tsval/tsecr for the first timestamp option, and other_opts for
 * anything else that is not EOL or NOP - a second timestamp option too:
 * the contract does not say which of two would count, so such a segment is
 * left to the driver (the RTL's reading as well).
 */
static int walk_options(const uint8_t *tcp, size_t hlen, struct toe_rx_parsed *p)
{
    size_t i = TOE_TCP_HLEN;

    while (i < hlen) {
        uint8_t kind = tcp[i], olen;

        if (kind == TCP_OPT_EOL)
            break;
        if (kind == TCP_OPT_NOP) {
            i++;
            continue;
        }
        if (i + 1 >= hlen)
            return -1; /* no length byte inside the options */
        olen = tcp[i + 1];
        if (olen < 2 || i + olen > hlen)
            return -1;
        if (kind == TCP_OPT_TS && olen == TCP_OPT_TS_LEN && !p->has_ts) {
            p->has_ts = 1;
            p->tsval = toe_get32(tcp + i + 2);
            p->tsecr = toe_get32(tcp + i + 6);
        } else {
            p->other_opts = 1; /* MSS, WS, SACK-permitted, SACK, unknown, ... */
        }
        i += olen;
    }
    return 0;
}

uint8_t toe_rx_parse(const uint8_t *f, size_t n, struct toe_rx_parsed *p)
{
    const uint8_t *ip, *l4;
    size_t l3, ihl4, total, len4, hlen;
    uint16_t type, frag;
    uint8_t proto;

    memset(p, 0, sizeof(*p));

    /* 1. Ethernet header present, jumbo limit. */
    if (n < TOE_ETH_HLEN)
        return verdict(p, TOE_RX_DROP, RX_DROP_RUNT);
    if (n > RX_MAX_FRAME)
        return verdict(p, TOE_RX_DROP, RX_DROP_TOO_LONG);

    /* 2. One 802.1Q tag, then IPv4 only. */
    type = toe_get16(f + 12);
    l3 = TOE_ETH_HLEN;
    if (type == TOE_ETHERTYPE_VLAN) {
        if (n < TOE_ETH_HLEN + TOE_VLAN_HLEN)
            return verdict(p, TOE_RX_DROP, RX_DROP_RUNT);
        type = toe_get16(f + 16);
        l3 = TOE_ETH_HLEN + TOE_VLAN_HLEN;
    }
    if (type != TOE_ETHERTYPE_IPV4)
        return verdict(p, TOE_RX_EXC, RX_EXC_NOT_IPV4); /* l3 = l4 = 0 */
    p->l3 = (uint8_t)l3;

    /* 3. IPv4 header (RFC 791 section 3.1); bytes past l3 + total are
     * Ethernet padding. */
    ip = f + l3;
    if (n < l3 + TOE_IPV4_HLEN || (ip[0] >> 4) != 4)
        return verdict(p, TOE_RX_DROP, RX_DROP_IP_HDR);
    ihl4 = (size_t)(ip[0] & 0x0F) * 4;
    total = toe_get16(ip + 2);
    if (ihl4 < TOE_IPV4_HLEN || l3 + ihl4 > n || total < ihl4 || l3 + total > n)
        return verdict(p, TOE_RX_DROP, RX_DROP_IP_HDR);

    /* 4. Header checksum: a correct header sums to all ones (RFC 1071). */
    if (toe_csum_fold(toe_csum_partial(0, ip, ihl4)) != 0xFFFF)
        return verdict(p, TOE_RX_DROP, RX_DROP_IP_CSUM);
    p->l4 = (uint8_t)(l3 + ihl4); /* the IPv4 header is valid from here on */

    /* 5. Fragments go to the host, which reassembles (RFC 791). */
    frag = toe_get16(ip + 6);
    if (frag & (TOE_IPV4_MF | TOE_IPV4_FRAG_OFF))
        return verdict(p, TOE_RX_EXC, RX_EXC_FRAG);

    /* 6. TCP and UDP only. */
    proto = ip[9];
    if (proto != TOE_IPPROTO_TCP && proto != TOE_IPPROTO_UDP)
        return verdict(p, TOE_RX_EXC, RX_EXC_NOT_TCP);
    l4 = ip + ihl4;
    len4 = total - ihl4;
    p->src_ip = toe_get32(ip + 12);
    p->dst_ip = toe_get32(ip + 16);

    /* 7. UDP (RFC 768): verified, then always to the host. */
    if (proto == TOE_IPPROTO_UDP) {
        if (len4 < TOE_UDP_HLEN || toe_get16(l4 + 4) != len4)
            return verdict(p, TOE_RX_DROP, RX_DROP_UDP_HDR);
        if (!toe_udp_csum_ok(p->src_ip, p->dst_ip, l4, len4))
            return verdict(p, TOE_RX_DROP, RX_DROP_UDP_CSUM);
        return verdict(p, TOE_RX_EXC, RX_EXC_UDP);
    }

    /* 8. TCP header and options (RFC 9293 section 3.1). */
    if (len4 < TOE_TCP_HLEN)
        return verdict(p, TOE_RX_DROP, RX_DROP_TCP_HDR);
    hlen = (size_t)(l4[12] >> 4) * 4;
    if (hlen < TOE_TCP_HLEN || hlen > len4)
        return verdict(p, TOE_RX_DROP, RX_DROP_TCP_HDR);
    if (walk_options(l4, hlen, p) != 0)
        return verdict(p, TOE_RX_DROP, RX_DROP_TCP_HDR);

    /* 9. TCP checksum over pseudo-header (with len4) and segment. */
    if (!toe_tcp_csum_ok(p->src_ip, p->dst_ip, l4, len4))
        return verdict(p, TOE_RX_DROP, RX_DROP_TCP_CSUM);

    p->sport = toe_get16(l4);
    p->dport = toe_get16(l4 + 2);
    p->seq = toe_get32(l4 + 4);
    p->ack = toe_get32(l4 + 8);
    p->flags = l4[13];
    p->wnd = toe_get16(l4 + 14);
    p->len4 = (uint32_t)len4;
    p->hlen = (uint32_t)hlen;
    return verdict(p, TOE_RX_TCP, 0);
}
