/*
 * ACK generation: the window rule and the frame of docs/rx-datapath.md,
 * "ACK frames".  Contracts in toe_rx_model.h and toe_rx_priv.h.
 */
#include <assert.h>
#include <string.h>

#include "toe_pkt.h"
#include "toe_rx_priv.h"
#include "toe_rx_seq.h"

_Static_assert(RX_CNT_ACK_EVERY2 - ACK_WHY_EVERY2 + ACK_WHY_HOST == RX_CNT_ACK_HOST,
               "RX_CNT_ACK_* follow ACK_WHY_*");

uint16_t toe_rx_ack_window(const struct toe_rx_ctx *c)
{
    unsigned s = c->rcv_wscale;
    uint32_t cur = SEQ_GT(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    uint64_t w = toe_rx_free(c) >> s;

    assert(s <= 14);
    /* RFC 9293 section 3.8.6.2.1: the right edge RCV.NXT + RCV.WND must not
     * move left, so the window may exceed the free space (the data already
     * promised still fits: the ring was not smaller when it was offered). */
    if ((w << s) < cur)
        w = ((uint64_t)cur + ((uint64_t)1 << s) - 1) >> s;
    return w > 65535 ? 65535 : (uint16_t)w;
}

size_t toe_rx_ack_build(const struct toe_rx_ctx *c, uint16_t w, uint32_t tsval,
                        uint8_t *buf)
{
    uint8_t opt[TS_OPT_LEN];
    size_t optlen = 0, l2, tcp_len;
    struct toe_eth eth;
    struct toe_ipv4 ip;
    struct toe_tcp tcp;
    uint8_t *l4;

    if (c->flags & RX_FLAG_TS)
        optlen = toe_tcp_ts_option(opt, tsval, c->ts_recent);
    tcp_len = TOE_TCP_HLEN + optlen;

    memset(&eth, 0, sizeof(eth));
    memcpy(eth.dst, c->dst_mac, TOE_ETH_ALEN);
    memcpy(eth.src, c->src_mac, TOE_ETH_ALEN);
    eth.vlan = (c->flags & RX_FLAG_VLAN) != 0;
    eth.tci = c->vlan_tci;
    eth.type = TOE_ETHERTYPE_IPV4;
    l2 = toe_eth_build(buf, &eth);

    memset(&ip, 0, sizeof(ip));
    ip.tos = c->tos;
    ip.tot_len = (uint16_t)(TOE_IPV4_HLEN + tcp_len);
    ip.id = c->ip_id;
    ip.frag = (c->flags & RX_FLAG_DF) ? TOE_IPV4_DF : 0;
    ip.ttl = c->ttl;
    ip.proto = TOE_IPPROTO_TCP;
    ip.src = c->local_ip;
    ip.dst = c->remote_ip;
    toe_ipv4_build(buf + l2, &ip);

    memset(&tcp, 0, sizeof(tcp));
    tcp.sport = c->local_port;
    tcp.dport = c->remote_port;
    tcp.seq = c->snd_nxt;
    tcp.ack = c->rcv_nxt;
    tcp.flags = TCP_FLAG_ACK;
    tcp.win = w;
    tcp.urg = 0;
    l4 = buf + l2 + TOE_IPV4_HLEN;
    toe_tcp_build(l4, &tcp, opt, optlen);
    toe_tcp_csum_fill(c->local_ip, c->remote_ip, l4, tcp_len);
    return l2 + TOE_IPV4_HLEN + tcp_len;
}

void toe_rx_send_ack(struct toe_rx_model *m, uint16_t id, uint8_t why)
{
    struct toe_rx_ctx *c = &m->ctx[id];
    uint8_t frame[TOE_RX_ACK_MAX];
    uint16_t w = toe_rx_ack_window(c);
    size_t len = toe_rx_ack_build(c, w, m->ts, frame);

    assert(why >= ACK_WHY_EVERY2 && why <= ACK_WHY_HOST);
    if (m->out.ack)
        m->out.ack(m->out.arg, frame, len);
    m->cnt[RX_CNT_ACKS_OUT]++;
    m->cnt[RX_CNT_ACK_EVERY2 - ACK_WHY_EVERY2 + why]++;
    c->acks_out++;
    c->ip_id++;
    c->last_ack_sent = c->rcv_nxt;
    c->rcv_adv = c->rcv_nxt + ((uint32_t)w << c->rcv_wscale);
    c->segs_unacked = 0;
    c->pend &= (uint8_t)~TOE_RX_PEND_DELACK;
}
