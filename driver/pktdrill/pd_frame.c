/*
 * An actual frame from the TOE taken apart and printed as a script line, so a
 * mismatch shows both sides in one syntax. The printing itself is pd_print.c's
 * (a packet event without a time), so expected and actual cannot drift apart.
 */
#include "pd_match_int.h"

#include <stdio.h>
#include <string.h>

#include "toe_pkt.h"

static const char *fail(char *reason, size_t rsize, const char *fmt, unsigned a, unsigned b)
{
    snprintf(reason, rsize, fmt, a, b);
    return reason;
}

/* RFC 9293 3.2: kind 0 ends the list, kind 1 is one byte, others kind+length. */
static const char *decode_options(const uint8_t *p, size_t n, struct pd_frame *f,
                                  char *reason, size_t rsize)
{
    size_t i = 0;

    f->n_opts = 0;
    f->unknown_kind = -1;
    while (i < n) {
        struct pd_tcp_opt *o = &f->opts[f->n_opts];
        unsigned kind = p[i], olen = 1, b;

        memset(o, 0, sizeof(*o));
        if (kind > 1) {
            if (i + 1 >= n || p[i + 1] < 2 || i + p[i + 1] > n)
                return fail(reason, rsize, "malformed TCP option kind %u at option byte %u",
                            kind, (unsigned)i);
            olen = p[i + 1];
        }
        switch (kind) {
        case 0: o->kind = PD_OPT_EOL; break;
        case 1: o->kind = PD_OPT_NOP; break;
        case 2: o->kind = PD_OPT_MSS; if (olen != 4) goto bad_len;
            o->value = toe_get16(p + i + 2); break;
        case 3: o->kind = PD_OPT_WSCALE; if (olen != 3) goto bad_len;
            o->value = p[i + 2]; break;
        case 4: o->kind = PD_OPT_SACKOK; if (olen != 2) goto bad_len; break;
        case 5: o->kind = PD_OPT_SACK;
            if ((olen - 2) % 8 || olen < 10 || olen > 2 + 8 * PD_SACK_MAX_BLOCKS)
                goto bad_len;
            o->n_blocks = (olen - 2) / 8;
            for (b = 0; b < o->n_blocks; b++) {
                o->block[b][0] = toe_get32(p + i + 2 + 8 * b);
                o->block[b][1] = toe_get32(p + i + 6 + 8 * b);
            }
            break;
        case 8: o->kind = PD_OPT_TS; if (olen != 10) goto bad_len;
            o->value = toe_get32(p + i + 2);
            o->ecr = toe_get32(p + i + 6);
            break;
        default:
            f->unknown_kind = (int)kind;
            return NULL;
        }
        f->n_opts++;
        if (kind == 0)
            return NULL;      /* the rest is padding (RFC 9293 3.2) */
        i += olen;
    }
    return NULL;
bad_len:
    return fail(reason, rsize, "TCP option kind %u with length %u", p[i], p[i + 1]);
}

const char *pd_frame_decode(const uint8_t *frame, size_t len, struct pd_frame *f,
                            char *reason, size_t rsize)
{
    struct toe_eth eth;
    struct toe_ipv4 ip;
    struct toe_tcp tcp;
    enum toe_ipv4_err ie;
    const uint8_t *ipp, *seg;
    size_t ihl, seglen, thl;

    memset(f, 0, sizeof(*f));
    f->unknown_kind = -1;
    if (!frame || toe_eth_parse(frame, len, &eth))
        return fail(reason, rsize, "truncated Ethernet header (%u bytes)", (unsigned)len, 0);
    if (eth.type != TOE_ETHERTYPE_IPV4)
        return fail(reason, rsize, "not IPv4 (EtherType 0x%04x)", eth.type, 0);
    ipp = frame + eth.hlen;
    ie = toe_ipv4_verify(ipp, len - eth.hlen);
    if (ie != TOE_IPV4_OK) {
        snprintf(reason, rsize, "bad IPv4 header: %s", toe_ipv4_strerror(ie));
        return reason;
    }
    toe_ipv4_parse(ipp, &ip);
    if (ip.proto != TOE_IPPROTO_TCP)
        return fail(reason, rsize, "not TCP (IP protocol %u)", ip.proto, 0);
    ihl = (size_t)(ipp[0] & 0xF) * 4;
    seg = ipp + ihl;
    seglen = ip.tot_len - ihl;
    thl = toe_tcp_parse(seg, seglen, &tcp);
    if (!thl)
        return fail(reason, rsize, "truncated TCP header (%u bytes of segment)", (unsigned)seglen, 0);
    /* RFC 9293 3.1: the checksum covers the pseudo-header, header and data */
    if (!toe_tcp_csum_ok(ip.src, ip.dst, seg, seglen))
        return fail(reason, rsize, "bad TCP checksum 0x%04x (should be 0x%04x)", tcp.csum,
                    toe_tcp_csum(ip.src, ip.dst, seg, seglen));
    f->src = ip.src, f->dst = ip.dst, f->tos = ip.tos;
    f->sport = tcp.sport, f->dport = tcp.dport;
    f->seq = tcp.seq, f->ack = tcp.ack;
    f->flags = tcp.flags | ((seg[12] & 1) ? PD_TCP_AE : 0);
    f->win = tcp.win, f->urg = tcp.urg;
    f->payload_len = (uint32_t)(seglen - thl);
    return decode_options(seg + TOE_TCP_HLEN, thl - TOE_TCP_HLEN, f, reason, rsize);
}

void pd_frame_to_packet(const struct pd_flow *flow, uint32_t isn, const struct pd_frame *f,
                        struct pd_packet *pkt, struct pd_tcp_opt opts[PD_FRAME_MAX_OPTS])
{
    /* Not-ECT prints as nothing: a line without [..] is what a non-ECN stack sends */
    static const enum pd_ecn ecn[4] = { PD_ECN_UNSPEC, PD_ECN_ECT1, PD_ECN_ECT0, PD_ECN_CE };
    size_t i;
    unsigned b;

    memset(pkt, 0, sizeof(*pkt));
    pkt->dir = PD_DIR_OUT;
    pkt->ecn = ecn[f->tos & 3];
    pkt->flags = f->flags;
    pkt->seq_start = f->seq - isn;            /* mod 2^32 (RFC 9293 3.4) */
    pkt->len = f->payload_len;
    pkt->seq_end = pkt->seq_start + pkt->len;
    pkt->has_ack = (f->flags & PD_TCP_ACK) != 0;
    pkt->ack = f->ack - flow->remote_isn;
    pkt->has_win = true;
    pkt->win = f->win;
    pkt->has_urg = (f->flags & PD_TCP_URG) != 0;
    pkt->urg = f->urg;
    pkt->opts_mode = f->n_opts || f->unknown_kind >= 0 ? PD_OPTS_LIST : PD_OPTS_NONE;
    pkt->n_opts = f->n_opts;
    pkt->opts = opts;
    for (i = 0; i < f->n_opts && i < PD_FRAME_MAX_OPTS; i++) {
        opts[i] = f->opts[i];
        /* the TOE SACKs the script's bytes: relative to the script's ISN (RFC 2018 3) */
        for (b = 0; opts[i].kind == PD_OPT_SACK && b < opts[i].n_blocks; b++) {
            opts[i].block[b][0] -= flow->remote_isn;
            opts[i].block[b][1] -= flow->remote_isn;
        }
    }
}

size_t pd_packet_format(const struct pd_packet *pkt, char *buf, size_t size)
{
    struct pd_event ev;
    char line[1024];

    memset(&ev, 0, sizeof(ev));
    ev.kind = PD_EV_PACKET;
    ev.time.start.kind = PD_TIME_NONE;
    ev.u.packet = *pkt;
    pd_event_format(&ev, line, sizeof(line));  /* truncates a (40-option) monster */
    /* pd_print.c puts a space between the time and the direction; no time here */
    return (size_t)snprintf(buf, size, "%s", line[0] == ' ' ? line + 1 : line);
}

size_t pd_frame_format(const struct pd_frame *f, const struct pd_packet *pkt, char *buf, size_t size)
{
    char line[1024];
    size_t n = pd_packet_format(pkt, line, sizeof(line));

    if (f->unknown_kind >= 0 && n < sizeof(line) && n >= 1 && line[n - 1] == '>') {
        /* an option we do not decode: show where the list stops being understood */
        line[n - 1] = '\0';
        return (size_t)snprintf(buf, size, "%s%s...kind %d>", line, f->n_opts ? "," : "",
                                f->unknown_kind);
    }
    return (size_t)snprintf(buf, size, "%s", line);
}

size_t pd_print_frame(const struct pd_flow *flow, const uint8_t *frame, size_t len,
                      char *buf, size_t size)
{
    struct pd_frame f;
    struct pd_packet pkt;
    struct pd_tcp_opt opts[PD_FRAME_MAX_OPTS];
    char reason[160];
    const char *bad = pd_frame_decode(frame, len, &f, reason, sizeof(reason));

    if (bad)
        return (size_t)snprintf(buf, size, "(not a TCP/IPv4 frame: %s)", bad);
    pd_frame_to_packet(flow, flow->local_isn_known ? flow->local_isn : f.seq, &f, &pkt, opts);
    return pd_frame_format(&f, &pkt, buf, size);
}
