/* ICMP echo replies (RFC 792): toe_icmp.h. */
#include "toe_icmp.h"

#include <string.h>

#include "toe_csum.h"
#include "toe_pkt.h"

const char *toe_icmp_strverdict(enum toe_icmp_verdict v)
{
    static const char *const names[] = {
        "reply", "not IPv4", "bad IPv4 header", "fragment", "not ICMP", "not for us",
        "to a broadcast or multicast address", "short ICMP message", "bad ICMP checksum",
        "not an echo request", "no room for the reply", "echo requests ignored (icmp_echo_ignore_all)",
    };

    return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

static int is_group(uint32_t ip)
{
    return ip == 0xFFFFFFFFu || (ip >> 28) == 0xEu; /* limited broadcast, 224.0.0.0/4 */
}

enum toe_icmp_verdict toe_icmp_echo(const uint8_t *frame, size_t len, const uint8_t our_mac[6],
                                    uint32_t our_ip, uint16_t ip_id, const struct toe_icmp_cfg *cfg,
                                    uint8_t *out, size_t cap, size_t *out_len, struct toe_icmp_stats *st)
{
    static const struct toe_icmp_cfg linux_defaults = {0, 1, TOE_ICMP_REPLY_TTL};
    struct toe_eth e, re;
    struct toe_ipv4 ip, rip;
    const uint8_t *l3, *msg;
    size_t ihl, mlen, l2;
    enum toe_ipv4_err ie;
    uint8_t *r;

    int group;

    if (!cfg)
        cfg = &linux_defaults;
    *out_len = 0;
    if (toe_eth_parse(frame, len, &e) || e.type != TOE_ETHERTYPE_IPV4)
        return TOE_ICMP_NOT_IPV4;
    l3 = frame + e.hlen;
    ie = toe_ipv4_verify(l3, len - e.hlen);
    if (ie == TOE_IPV4_ERR_FRAG) {
        if (l3[9] == TOE_IPPROTO_ICMP) {
            st->in_msgs++;
            st->dropped++;
        }
        return TOE_ICMP_FRAGMENT;
    }
    if (ie != TOE_IPV4_OK)
        return TOE_ICMP_BAD_IP;
    toe_ipv4_parse(l3, &ip);
    if (ip.proto != TOE_IPPROTO_ICMP)
        return TOE_ICMP_NOT_ICMP;
    st->in_msgs++;
    group = is_group(ip.dst) || (e.dst[0] & 1);
    if (group && cfg->ignore_broadcasts) {
        st->dropped++;
        return TOE_ICMP_BROADCAST;
    }
    if (!group && ip.dst != our_ip) {
        st->dropped++;
        return TOE_ICMP_NOT_OURS;
    }
    ihl = (size_t)(l3[0] & 15) * 4;
    msg = l3 + ihl;
    mlen = ip.tot_len - ihl;      /* Ethernet padding after tot_len is not the message's */
    if (mlen < TOE_ICMP_HLEN) {
        st->in_errors++;
        return TOE_ICMP_SHORT;
    }
    if (toe_csum(msg, mlen) != 0) {  /* RFC 792: the ones' complement sum over the message */
        st->in_errors++;
        st->in_csum_errors++;
        return TOE_ICMP_BAD_CSUM;
    }
    if (msg[0] != TOE_ICMP_ECHO_REQUEST)
        return TOE_ICMP_NOT_ECHO;
    st->in_echos++;
    if (cfg->ignore_all) {
        st->dropped++;
        return TOE_ICMP_IGNORED;
    }
    re = e;
    memcpy(re.dst, e.src, 6);
    memcpy(re.src, our_mac, 6);
    l2 = e.hlen;
    if (cap < l2 + TOE_IPV4_HLEN + mlen || cap < TOE_ICMP_MIN_FRAME || TOE_IPV4_HLEN + mlen > 0xFFFFu) {
        st->dropped++;
        return TOE_ICMP_NO_ROOM;
    }
    toe_eth_build(out, &re);
    memset(&rip, 0, sizeof(rip));
    rip.tos = ip.tos;
    rip.tot_len = (uint16_t)(TOE_IPV4_HLEN + mlen);
    rip.id = ip_id;
    rip.ttl = cfg->ttl;
    rip.proto = TOE_IPPROTO_ICMP;
    rip.src = our_ip;
    rip.dst = ip.src;
    toe_ipv4_build(out + l2, &rip);
    /* "the source and destination addresses are simply reversed, the type code
     * changed to 0, and the checksum recomputed" (RFC 792, Echo) */
    r = out + l2 + TOE_IPV4_HLEN;
    memcpy(r, msg, mlen);
    r[0] = TOE_ICMP_ECHO_REPLY;
    r[1] = 0;
    toe_put16(r + 2, 0);
    toe_put16(r + 2, toe_csum(r, mlen));
    *out_len = l2 + TOE_IPV4_HLEN + mlen;
    /* The port sends frames as they are: a short one is padded to Ethernet's
     * minimum here (the IPv4 total length tells the receiver where it ends). */
    if (*out_len < TOE_ICMP_MIN_FRAME) {
        memset(out + *out_len, 0, TOE_ICMP_MIN_FRAME - *out_len);
        *out_len = TOE_ICMP_MIN_FRAME;
    }
    st->out_msgs++;
    st->out_echo_reps++;
    return TOE_ICMP_REPLY;
}
