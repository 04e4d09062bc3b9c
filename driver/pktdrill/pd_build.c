/*
 * Inbound ('<') lines into wire frames, and a flow's defaults. Numbers on the
 * line are relative (packetdrill-syntax.md, Packet lines); here they become
 * absolute with modular arithmetic (RFC 9293 3.4: sequence space is mod 2^32).
 */
#include "pd_match.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "toe_pkt.h"

static void say(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    if (!why || !whylen)
        return;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

void pd_flow_init(struct pd_flow *flow)
{
    static const uint8_t local_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
    static const uint8_t remote_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

    memset(flow, 0, sizeof(*flow));
    memcpy(flow->local_mac, local_mac, sizeof(local_mac));
    memcpy(flow->remote_mac, remote_mac, sizeof(remote_mac));
    flow->local_ip = PD_DEFAULT_LOCAL_IP;
    flow->remote_ip = PD_DEFAULT_REMOTE_IP;
    flow->local_port = PD_DEFAULT_LOCAL_PORT;
    flow->remote_port = PD_DEFAULT_REMOTE_PORT;
    flow->ttl = 64;
    flow->remote_isn = 0;     /* upstream sends the script's numbers as written */
}

/*
 * Encode the options of PKT into OPT[0..40) in the written order, with no
 * padding or NOPs of our own: the script says every byte (RFC 9293 3.2).
 * Returns the length, or -1 with WHY filled.
 */
static int encode_options(const struct pd_flow *flow, const struct pd_packet *pkt,
                          uint8_t opt[40], char *why, size_t whylen)
{
    size_t n = 0, i;
    unsigned b;

    for (i = 0; i < pkt->n_opts; i++) {
        const struct pd_tcp_opt *o = &pkt->opts[i];
        size_t need = o->kind == PD_OPT_EOL || o->kind == PD_OPT_NOP ? 1
                    : o->kind == PD_OPT_MSS ? 4 : o->kind == PD_OPT_WSCALE ? 3
                    : o->kind == PD_OPT_SACKOK ? 2 : o->kind == PD_OPT_TS ? 10
                    : 2 + 8 * (size_t)o->n_blocks;

        if (n + need > 40) {
            say(why, whylen, "TCP options take more than 40 bytes (RFC 9293 3.1)");
            return -1;
        }
        switch (o->kind) {
        case PD_OPT_EOL: opt[n] = 0; break;
        case PD_OPT_NOP: opt[n] = 1; break;
        case PD_OPT_MSS:  /* RFC 9293 3.7.1: kind 2, length 4 */
            opt[n] = 2, opt[n + 1] = 4;
            toe_put16(opt + n + 2, (uint16_t)o->value);
            break;
        case PD_OPT_WSCALE:  /* RFC 7323 2.2: kind 3, length 3 */
            opt[n] = 3, opt[n + 1] = 3, opt[n + 2] = (uint8_t)o->value;
            break;
        case PD_OPT_SACKOK:  /* RFC 2018 2: kind 4, length 2 */
            opt[n] = 4, opt[n + 1] = 2;
            break;
        case PD_OPT_SACK:  /* RFC 2018 3: edges of the TOE's data, relative to its ISN */
            if (o->n_blocks && !flow->local_isn_known) {
                say(why, whylen, "a SACK block before the TOE's ISN is known (no SYN from it yet)");
                return -1;
            }
            opt[n] = 5, opt[n + 1] = (uint8_t)need;
            for (b = 0; b < o->n_blocks && b < PD_SACK_MAX_BLOCKS; b++) {
                toe_put32(opt + n + 2 + 8 * b, flow->local_isn + o->block[b][0]);
                toe_put32(opt + n + 6 + 8 * b, flow->local_isn + o->block[b][1]);
            }
            break;
        case PD_OPT_TS: {  /* RFC 7323 3.2: kind 8, length 10; val as written */
            uint32_t ecr = o->ecr;

            if (flow->ts_known) {
                ecr = o->ecr - flow->ts_script_first + flow->ts_actual_first;
            } else if (o->ecr) {
                say(why, whylen, "TS ecr %u before any TS val from the TOE is known", o->ecr);
                return -1;
            }
            opt[n] = 8, opt[n + 1] = 10;
            toe_put32(opt + n + 2, o->value);
            toe_put32(opt + n + 6, ecr);
            break;
        }
        }
        n += need;
    }
    if (n % 4) {
        say(why, whylen, "TCP options take %zu bytes, not a multiple of 4: add nop or eol", n);
        return -1;
    }
    return (int)n;
}

static uint8_t ecn_bits(enum pd_ecn ecn)
{
    switch (ecn) {
    case PD_ECN_ECT1: return 1;
    case PD_ECN_ECT0: return 2;
    case PD_ECN_CE: return 3;
    default: return 0;        /* unspecified or [noecn] (RFC 3168 5) */
    }
}

size_t pd_build_inbound(const struct pd_flow *flow, const struct pd_packet *pkt,
                        uint8_t *frame, size_t cap, const uint8_t *payload,
                        char *why, size_t whylen)
{
    uint8_t opt[40];
    struct toe_eth eth = { .type = TOE_ETHERTYPE_IPV4 };
    struct toe_ipv4 ip = { .frag = TOE_IPV4_DF, .proto = TOE_IPPROTO_TCP };
    struct toe_tcp tcp = { 0 };
    size_t ehl, thl, need;
    int optlen;

    if (pkt->dir != PD_DIR_IN) {
        say(why, whylen, "not an inbound ('<') packet");
        return 0;
    }
    if (pkt->has_ack && !flow->local_isn_known) {
        say(why, whylen, "ack %u before the TOE's ISN is known (no SYN from it yet)", pkt->ack);
        return 0;
    }
    if (pkt->seq_end - pkt->seq_start != pkt->len) {
        say(why, whylen, "sequence range %u:%u does not hold %u bytes", pkt->seq_start,
            pkt->seq_end, pkt->len);
        return 0;
    }
    optlen = 0;
    if (pkt->opts_mode == PD_OPTS_LIST && (optlen = encode_options(flow, pkt, opt, why, whylen)) < 0)
        return 0;
    need = TOE_ETH_HLEN + TOE_IPV4_HLEN + TOE_TCP_HLEN + (size_t)optlen + pkt->len;
    if (need - TOE_ETH_HLEN > 65535 || need > cap) {
        say(why, whylen, "the frame needs %zu bytes, room for %zu", need, cap);
        return 0;
    }
    memcpy(eth.dst, flow->local_mac, sizeof(eth.dst));
    memcpy(eth.src, flow->remote_mac, sizeof(eth.src));
    ehl = toe_eth_build(frame, &eth);

    tcp.sport = flow->remote_port;
    tcp.dport = flow->local_port;
    tcp.seq = flow->remote_isn + pkt->seq_start;
    tcp.ack = pkt->has_ack ? flow->local_isn + pkt->ack : 0;
    tcp.flags = (uint8_t)pkt->flags;
    tcp.win = (uint16_t)(pkt->has_win ? pkt->win : 0);
    tcp.urg = (uint16_t)(pkt->has_urg ? pkt->urg : 0);
    thl = toe_tcp_build(frame + ehl + TOE_IPV4_HLEN, &tcp, opt, (size_t)optlen);
    /* AE is bit 8 of the 12 reserved+flag bits, the low bit of byte 12 (RFC 9768) */
    if (pkt->flags & PD_TCP_AE)
        frame[ehl + TOE_IPV4_HLEN + 12] |= 1;
    if (payload)
        memcpy(frame + ehl + TOE_IPV4_HLEN + thl, payload, pkt->len);
    else
        memset(frame + ehl + TOE_IPV4_HLEN + thl, 0, pkt->len);
    toe_tcp_csum_fill(flow->remote_ip, flow->local_ip, frame + ehl + TOE_IPV4_HLEN, thl + pkt->len);

    ip.tos = ecn_bits(pkt->ecn);
    ip.tot_len = (uint16_t)(TOE_IPV4_HLEN + thl + pkt->len);
    ip.ttl = flow->ttl;
    ip.src = flow->remote_ip;
    ip.dst = flow->local_ip;
    toe_ipv4_build(frame + ehl, &ip);
    return ehl + TOE_IPV4_HLEN + thl + pkt->len;
}
