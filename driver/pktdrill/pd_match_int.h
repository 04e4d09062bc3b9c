/*
 * Between pd_frame.c (decoding and printing an actual frame) and pd_match.c
 * (comparing it with a '>' line): a frame from the TOE taken apart once.
 */
#ifndef PD_MATCH_INT_H
#define PD_MATCH_INT_H

#include "pd_match.h"

/* At most 40 option bytes (RFC 9293 3.1: data offset of 4 bits), each option >= 1 byte. */
#define PD_FRAME_MAX_OPTS 40

struct pd_frame {
    uint32_t src, dst;            /* IPv4 addresses */
    uint8_t tos;
    uint16_t sport, dport;
    uint32_t seq, ack;            /* absolute, as on the wire */
    unsigned flags;               /* pd_tcp_flag bits, AE included */
    uint16_t win, urg;
    uint32_t payload_len;
    size_t n_opts;
    struct pd_tcp_opt opts[PD_FRAME_MAX_OPTS];
    int unknown_kind;             /* >= 0: an option we do not decode ended the list */
};

/*
 * Take FRAME[0..LEN) apart: Ethernet, IPv4 (header verified), TCP (checksum
 * verified against the pseudo-header), options. Returns NULL, or a reason the
 * frame is not a well-formed TCP/IPv4 one (static text or REASON's buffer).
 */
const char *pd_frame_decode(const uint8_t *frame, size_t len, struct pd_frame *f,
                            char *reason, size_t rsize);

/*
 * The packet line an actual frame is: seq relative to ISN (the TOE's), ack and
 * SACK blocks to FLOW's remote_isn. The options are copied into OPTS, which the
 * line points to.
 */
void pd_frame_to_packet(const struct pd_flow *flow, uint32_t isn, const struct pd_frame *f,
                        struct pd_packet *pkt, struct pd_tcp_opt opts[PD_FRAME_MAX_OPTS]);

/* PKT as a line without time or leading space: "> S. 0:0(0) ack 1". */
size_t pd_packet_format(const struct pd_packet *pkt, char *buf, size_t size);

/* The actual frame F as a line (PKT from pd_frame_to_packet), an option we
 * cannot decode shown as "...kind N" where the list stops. */
size_t pd_frame_format(const struct pd_frame *f, const struct pd_packet *pkt, char *buf, size_t size);

#endif /* PD_MATCH_INT_H */
