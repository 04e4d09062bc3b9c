/*
 * Packet headers: Ethernet II (optionally 802.1Q tagged), IPv4, TCP, UDP.
 *
 * Builders write wire bytes; verifiers check what a receiver checks.  None
 * of this knows about descriptors or the TX engine, so the RX model and the
 * tests can use it as an independent check of what the TX model emits.
 * Addresses and ports are host-order numbers (192.0.2.1 is 0xC0000201).
 */
#ifndef TOE_PKT_H
#define TOE_PKT_H

#include <stddef.h>
#include <stdint.h>

#define TOE_ETH_ALEN 6
#define TOE_ETH_HLEN 14         /* dst, src, type */
#define TOE_VLAN_HLEN 4         /* 802.1Q TPID + TCI */
#define TOE_ETHERTYPE_IPV4 0x0800u
#define TOE_ETHERTYPE_VLAN 0x8100u
#define TOE_IPV4_HLEN 20        /* IHL 5: no options */
#define TOE_TCP_TSOPT_LEN 12    /* NOP, NOP, timestamps (RFC 7323 appendix A) */
#define TOE_IPV4_DF 0x4000u     /* flags/fragment field: Don't Fragment */
#define TOE_IPV4_MF 0x2000u     /* More Fragments */
#define TOE_IPV4_FRAG_OFF 0x1FFFu
#define TOE_IPPROTO_TCP 6u
#define TOE_IPPROTO_UDP 17u
#define TOE_TCP_HLEN 20         /* data offset 5 */
#define TOE_TCP_CSUM_OFF 16     /* checksum field within the TCP header */
#define TOE_UDP_HLEN 8
#define TOE_UDP_CSUM_OFF 6      /* checksum field within the UDP header */
#define TOE_IPV4_CSUM_OFF 10    /* checksum field within the IPv4 header */

/* Big-endian (network order) loads and stores at any alignment. */
static inline uint16_t toe_get16(const uint8_t *p)
{
    return (uint16_t)(((uint16_t)p[0] << 8) | p[1]);
}

static inline uint32_t toe_get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | p[3];
}

static inline void toe_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void toe_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* ---- Ethernet II ---- */

struct toe_eth {
    uint8_t dst[TOE_ETH_ALEN];
    uint8_t src[TOE_ETH_ALEN];
    int vlan;           /* nonzero: an 802.1Q tag is present */
    uint16_t tci;       /* the tag's PCP/DEI/VID when vlan */
    uint16_t type;      /* EtherType after any tag */
    size_t hlen;        /* parse only: 14, or 18 with a tag */
};

/*
 * Write the Ethernet header described by e (hlen is ignored) at buf and
 * return its length: 14, or 18 when e->vlan (TPID 0x8100 then the TCI,
 * IEEE 802.1Q).  buf must have room for 18 bytes.
 */
size_t toe_eth_build(uint8_t *buf, const struct toe_eth *e);

/*
 * Parse the Ethernet header of frame[0..len) into *e, recognising one
 * 802.1Q tag.  Returns 0, or -1 if len is too short for the header.
 */
int toe_eth_parse(const uint8_t *frame, size_t len, struct toe_eth *e);

/* ---- IPv4 (RFC 791) ---- */

struct toe_ipv4 {
    uint8_t tos;
    uint16_t tot_len;   /* header + payload */
    uint16_t id;
    uint16_t frag;      /* flags and fragment offset, e.g. TOE_IPV4_DF */
    uint8_t ttl;
    uint8_t proto;
    uint32_t src;
    uint32_t dst;
};

/*
 * Write a 20-byte IPv4 header (version 4, IHL 5) from h at ip, including
 * its header checksum (RFC 791 section 3.1, RFC 1071).
 */
void toe_ipv4_build(uint8_t *ip, const struct toe_ipv4 *h);

/*
 * Read the fields of the IPv4 header at ip into *h (no checks; run
 * toe_ipv4_verify() first).
 */
void toe_ipv4_parse(const uint8_t *ip, struct toe_ipv4 *h);

enum toe_ipv4_err {
    TOE_IPV4_OK = 0,
    TOE_IPV4_ERR_SHORT,     /* fewer than 20 bytes, or than IHL * 4 */
    TOE_IPV4_ERR_VERSION,   /* version is not 4 */
    TOE_IPV4_ERR_IHL,       /* IHL < 5 */
    TOE_IPV4_ERR_TOTLEN,    /* total length < IHL * 4, or > bytes present */
    TOE_IPV4_ERR_CSUM,      /* header checksum wrong */
    TOE_IPV4_ERR_FRAG,      /* a fragment: MF set or offset nonzero */
};

/*
 * Check the IPv4 header at ip, with len bytes present from ip to the end of
 * the frame.  The first failing check, in the enum's order, is returned.
 * Bytes after the total length are allowed (a receiver sees Ethernet
 * padding there); a caller that needs an exact length compares tot_len
 * itself.  The fragment check comes after the checksum, as the fields of a
 * corrupt header mean nothing.
 */
enum toe_ipv4_err toe_ipv4_verify(const uint8_t *ip, size_t len);

/* A short name for an error code, for messages. */
const char *toe_ipv4_strerror(enum toe_ipv4_err err);

/* ---- TCP (RFC 9293) and UDP (RFC 768) ---- */

struct toe_tcp {
    uint16_t sport;
    uint16_t dport;
    uint32_t seq;
    uint32_t ack;
    uint8_t flags;      /* TCP_FLAG_* bits, byte 13 of the header */
    uint16_t win;
    uint16_t urg;
    uint16_t csum;      /* parse only; the builder writes 0 */
    size_t hlen;        /* parse only: data offset * 4 */
};

/*
 * Write a TCP header from h at tcp, followed by the options opt[0..optlen),
 * and return the header length 20 + optlen.  optlen must be a multiple of 4
 * and at most 40 (the data offset is 4 bits of 32-bit words).  The checksum
 * field is written as 0: fill it once the payload is in place.
 */
size_t toe_tcp_build(uint8_t *tcp, const struct toe_tcp *h, const uint8_t *opt,
                     size_t optlen);

/*
 * Write the timestamp option block in the layout RFC 7323 appendix A recommends
 * (NOP, NOP, kind 8, length 10, TSval, TSecr) and return its length,
 * TOE_TCP_TSOPT_LEN.
 */
size_t toe_tcp_ts_option(uint8_t opt[TOE_TCP_TSOPT_LEN], uint32_t tsval, uint32_t tsecr);

/*
 * Parse the TCP header at tcp with len bytes of segment present.  Returns
 * the header length, or 0 if the data offset is below 5 or runs past len.
 */
size_t toe_tcp_parse(const uint8_t *tcp, size_t len, struct toe_tcp *h);

/*
 * The checksum of the len-byte TCP segment (header and payload) at seg,
 * between IPv4 addresses src and dst: over the 12-byte pseudo-header
 * (src, dst, 0, 6, len) and the segment with its checksum field taken as
 * zero, whatever it holds (RFC 9293 section 3.1).  len <= 65535 and >= 20.
 */
uint16_t toe_tcp_csum(uint32_t src, uint32_t dst, const uint8_t *seg,
                      size_t len);

/* Store toe_tcp_csum() in the segment's checksum field. */
void toe_tcp_csum_fill(uint32_t src, uint32_t dst, uint8_t *seg, size_t len);

/*
 * Nonzero if the segment's checksum field is right: the sum over
 * pseudo-header and segment, field included, is 0xFFFF.
 */
int toe_tcp_csum_ok(uint32_t src, uint32_t dst, const uint8_t *seg,
                    size_t len);

/*
 * The UDP checksum of the len-byte datagram at dgram, computed as for TCP
 * with protocol 17 and the field at offset 6; a computed 0x0000 is returned
 * as 0xFFFF, because a transmitted 0 means "no checksum" (RFC 768).
 * len <= 65535 and >= 8.
 */
uint16_t toe_udp_csum(uint32_t src, uint32_t dst, const uint8_t *dgram,
                      size_t len);

/* Store toe_udp_csum() in the datagram's checksum field. */
void toe_udp_csum_fill(uint32_t src, uint32_t dst, uint8_t *dgram, size_t len);

/*
 * Nonzero if the datagram's checksum is acceptable: the field is 0 (the
 * sender computed none, RFC 768) or the sum including it is 0xFFFF.
 */
int toe_udp_csum_ok(uint32_t src, uint32_t dst, const uint8_t *dgram,
                    size_t len);

#endif /* TOE_PKT_H */
