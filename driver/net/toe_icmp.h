/*
 * ICMP echo (RFC 792) for IPv4: so that `ping` works against the TOE.
 *
 * toe_icmp_echo() looks at a frame the device handed up (not TCP, so not the
 * fast path's) and, when it is an echo request for us, builds the echo reply:
 * the request's identifier, sequence number and data returned, type 0,
 * addresses swapped. What Linux does with the same request is the reference:
 * requests to a broadcast or multicast address are ignored
 * (net.ipv4.icmp_echo_ignore_broadcasts = 1; with 0 they are answered from our
 * address), the reply goes out with the request's TOS and TTL 64
 * (net.ipv4.ip_default_ttl). Not modelled: the
 * request's IP options are not echoed (Linux copies record-route and
 * timestamp options back), fragmented requests are not reassembled (dropped
 * and counted), and there is no rate limit (Linux's icmp_ratemask leaves
 * echo replies out of it by default, too).
 */
#ifndef TOE_ICMP_H
#define TOE_ICMP_H

#include <stddef.h>
#include <stdint.h>

#define TOE_IPPROTO_ICMP 1u
#define TOE_ICMP_ECHO_REPLY 0u
#define TOE_ICMP_ECHO_REQUEST 8u
#define TOE_ICMP_HLEN 8u           /* type, code, checksum, identifier, sequence */
#define TOE_ICMP_REPLY_TTL 64u
#define TOE_ICMP_MIN_FRAME 60u     /* Ethernet's minimum without the FCS: replies are padded to it */

enum toe_icmp_verdict {
    TOE_ICMP_REPLY = 0,           /* *out_len bytes of reply in out */
    TOE_ICMP_NOT_IPV4,            /* not an IPv4 frame: not ours to judge */
    TOE_ICMP_BAD_IP,              /* IPv4 header malformed or its checksum wrong */
    TOE_ICMP_FRAGMENT,            /* a fragment: no reassembly here */
    TOE_ICMP_NOT_ICMP,            /* another protocol */
    TOE_ICMP_NOT_OURS,            /* addressed to someone else */
    TOE_ICMP_BROADCAST,           /* to a broadcast or multicast address: ignored */
    TOE_ICMP_SHORT,               /* ICMP message under 8 bytes */
    TOE_ICMP_BAD_CSUM,            /* ICMP checksum wrong */
    TOE_ICMP_NOT_ECHO,            /* ICMP, but not an echo request */
    TOE_ICMP_NO_ROOM,             /* the reply does not fit in cap */
    TOE_ICMP_IGNORED,             /* an echo request, but icmp_echo_ignore_all is set */
};

/* From net.ipv4.icmp_echo_ignore_all, icmp_echo_ignore_broadcasts and
 * ip_default_ttl (docs/knobs.md); NULL means Linux's defaults (0, 1, 64). */
struct toe_icmp_cfg {
    int ignore_all;
    int ignore_broadcasts;
    uint8_t ttl;
};

/* The counters nstat shows under these names (Icmp*). */
struct toe_icmp_stats {
    uint64_t in_msgs, in_errors, in_csum_errors, in_echos, out_msgs, out_echo_reps, dropped;
};

/*
 * Judge frame[0..len) and, for an echo request to our_ip, write the reply
 * frame (from our_mac, IPv4 identification ip_id, padded to TOE_ICMP_MIN_FRAME)
 * to out; cap >= max(len, TOE_ICMP_MIN_FRAME) suffices.
 */
enum toe_icmp_verdict toe_icmp_echo(const uint8_t *frame, size_t len, const uint8_t our_mac[6],
                                    uint32_t our_ip, uint16_t ip_id, const struct toe_icmp_cfg *cfg,
                                    uint8_t *out, size_t cap, size_t *out_len, struct toe_icmp_stats *st);

const char *toe_icmp_strverdict(enum toe_icmp_verdict v);

#endif /* TOE_ICMP_H */
