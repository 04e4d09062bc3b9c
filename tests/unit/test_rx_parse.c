/*
 * Unit tests of the RX model's parsing and verification
 * (sim/model/toe_rx_parse.c) against docs/rx-datapath.md, "Parsing and
 * verification": every DROP and EXC rule, the rx_exc record fields, the
 * counters, and frames cut at every length.
 *
 * Frames are delivered in buffers of exactly their length, so a run under
 * valgrind also shows that no rule reads past a frame.
 */
#include "test_rx_fixture.h"
#include "test_seed.h"

#define CNT_DROP(r) (RX_CNT_DROP_RUNT - RX_DROP_RUNT + (r))
#define CNT_EXC(r) (RX_CNT_EXC_NOT_IPV4 - RX_EXC_NOT_IPV4 + (r))

static uint8_t fb[RX_MAX_FRAME + 64]; /* frame under construction */

/* Deliver frame[0..n) and expect it dropped for reason, with no output. */
static void expect_drop(struct fx *fx, const uint8_t *frame, size_t n,
                        uint8_t reason)
{
    fx_mark(fx);
    deliver(fx, frame, n);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(fx->n_ev, 0);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(fx->n_dma, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, (int)n, RX_CNT_DROPS, 1,
           CNT_DROP(reason), 1);
}

/* Deliver frame[0..n) and expect one exception of a parse rule (or
 * NO_CONN, or any reason when id is a connection's) and nothing else. */
static void expect_exc1(struct fx *fx, const uint8_t *frame, size_t n,
                        uint8_t reason, uint16_t id, uint8_t l3, uint8_t l4)
{
    fx_mark(fx);
    deliver(fx, frame, n);
    assert_int_equal(fx->n_exc, 1);
    expect_exc(fx, 0, reason, id, frame, n, l3, l4);
    assert_int_equal(fx->n_ev, 0);
    assert_int_equal(fx->n_ack, 0);
    assert_int_equal(fx->n_dma, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, (int)n, RX_CNT_EXC, 1, CNT_EXC(reason), 1);
}

/* Recompute the IPv4 header checksum of the header at ip (its own IHL). */
static void fix_ip_csum(uint8_t *ip)
{
    size_t hl = (size_t)(ip[0] & 0x0F) * 4;

    toe_put16(ip + 10, 0);
    toe_put16(ip + 10, toe_csum(ip, hl));
}

/* A pure ACK of the standard connection (54 bytes) into fb. */
static size_t std_ack_frame(void)
{
    struct toe_rx_ctx c = std_ctx();
    struct seg s = {.seq = RCV0, .ack = SND0, .wnd = 1000};

    return build_seg(&c, &s, fb);
}

/*
 * An IPv4 packet of protocol proto with the l4 bytes given, into fb (after
 * an Ethernet header, tagged if vlan); returns the frame length.
 */
static size_t ip_frame(uint8_t proto, const uint8_t *l4, size_t l4len, int vlan)
{
    struct toe_eth e;
    struct toe_ipv4 ip;
    size_t l2;

    memset(&e, 0, sizeof(e));
    memcpy(e.dst, MAC_US, 6);
    memcpy(e.src, MAC_PEER, 6);
    e.vlan = vlan;
    e.tci = 7;
    e.type = 0x0800;
    l2 = toe_eth_build(fb, &e);
    memset(&ip, 0, sizeof(ip));
    ip.tot_len = (uint16_t)(20 + l4len);
    ip.id = 1;
    ip.ttl = 64;
    ip.proto = proto;
    ip.src = IP_REMOTE;
    ip.dst = IP_LOCAL;
    toe_ipv4_build(fb + l2, &ip);
    memcpy(fb + l2 + 20, l4, l4len);
    return l2 + 20 + l4len;
}

/* ---- rule 1 ---- */

static void runt_and_too_long(void **state)
{
    struct fx *fx = *state;
    size_t n;

    memset(fb, 0, sizeof(fb));
    for (n = 0; n < 14; n++)
        expect_drop(fx, fb, n, RX_DROP_RUNT);

    /* 9217 bytes: too long, whatever they hold */
    n = std_ack_frame();
    expect_drop(fx, fb, RX_MAX_FRAME + 1, RX_DROP_TOO_LONG);

    /* 9216 bytes is allowed: a TCP segment with 9162 payload bytes to an
     * unknown 4-tuple is NO_CONN, carried whole */
    {
        struct toe_rx_ctx c = std_ctx();
        struct seg s = {.seq = 1, .ack = 2, .len = RX_MAX_FRAME - 54};

        n = build_seg(&c, &s, fb);
        assert_int_equal(n, RX_MAX_FRAME);
        expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    }
}

/* ---- rule 2 ---- */

static void ethertypes(void **state)
{
    struct fx *fx = *state;
    static const uint16_t others[] = {0x0806, 0x86DD, 0x88A8, 0x0000, 0xFFFF, 0x0801};
    size_t n, i;

    n = std_ack_frame();
    for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        toe_put16(fb + 12, others[i]);
        expect_exc1(fx, fb, n, RX_EXC_NOT_IPV4, 0xFFFF, 0, 0);
    }
    /* exactly an Ethernet header, not IPv4 */
    expect_exc1(fx, fb, 14, RX_EXC_NOT_IPV4, 0xFFFF, 0, 0);

    /* 802.1Q: 14..17 bytes are RUNT, 18 with ARP inside is NOT_IPV4 */
    toe_put16(fb + 12, 0x8100);
    toe_put16(fb + 14, 0x0005);
    toe_put16(fb + 16, 0x0806);
    for (n = 14; n < 18; n++)
        expect_drop(fx, fb, n, RX_DROP_RUNT);
    expect_exc1(fx, fb, 18, RX_EXC_NOT_IPV4, 0xFFFF, 0, 0);
    /* a second tag is not looked into: NOT_IPV4, l3 0 */
    toe_put16(fb + 16, 0x8100);
    expect_exc1(fx, fb, 60, RX_EXC_NOT_IPV4, 0xFFFF, 0, 0);
    /* IPv4 ethertype at 12 only counts without a tag */
    toe_put16(fb + 16, 0x86DD);
    expect_exc1(fx, fb, 60, RX_EXC_NOT_IPV4, 0xFFFF, 0, 0);
}

/* ---- rules 3 and 4 ---- */

static void ip_header_rules(void **state)
{
    struct fx *fx = *state;
    size_t n = std_ack_frame(); /* 54 bytes, total length 40 */
    uint8_t *ip = fb + 14;
    uint8_t save[64];
    size_t k;
    int ihl;

    memcpy(save, fb, n);
    /* the frame as built is good: an unknown 4-tuple */
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);

    /* fewer than 20 header bytes (n < l3 + 20) */
    for (k = 14; k < 34; k++)
        expect_drop(fx, fb, k, RX_DROP_IP_HDR);

    /* version not 4 (checksum made right, so only the version is wrong) */
    ip[0] = 0x65;
    fix_ip_csum(ip);
    expect_drop(fx, fb, n, RX_DROP_IP_HDR);
    ip[0] = 0x05;
    fix_ip_csum(ip);
    expect_drop(fx, fb, n, RX_DROP_IP_HDR);

    /* IHL 0..4 */
    for (ihl = 0; ihl < 5; ihl++) {
        memcpy(fb, save, n);
        ip[0] = (uint8_t)(0x40 | ihl);
        expect_drop(fx, fb, n, RX_DROP_IP_HDR);
    }

    /* IHL 15: 60 header bytes, beyond a 54-byte frame ... */
    memcpy(fb, save, n);
    ip[0] = 0x4F;
    expect_drop(fx, fb, n, RX_DROP_IP_HDR);
    /* ... and inside a 74-byte one, but then total (40) < 4 * IHL */
    memset(fb + n, 0, 20);
    fix_ip_csum(ip);
    expect_drop(fx, fb, 74, RX_DROP_IP_HDR);

    /* total < 4 * IHL */
    memcpy(fb, save, n);
    toe_put16(ip + 2, 19);
    fix_ip_csum(ip);
    expect_drop(fx, fb, n, RX_DROP_IP_HDR);
    toe_put16(ip + 2, 0);
    fix_ip_csum(ip);
    expect_drop(fx, fb, n, RX_DROP_IP_HDR);

    /* l3 + total > n, by one byte either way */
    memcpy(fb, save, n);
    toe_put16(ip + 2, 41);
    fix_ip_csum(ip);
    expect_drop(fx, fb, n, RX_DROP_IP_HDR);
    memcpy(fb, save, n);
    expect_drop(fx, fb, n - 1, RX_DROP_IP_HDR);

    /* a header error wins over a checksum error */
    memcpy(fb, save, n);
    toe_put16(ip + 2, 41); /* checksum not fixed */
    expect_drop(fx, fb, n, RX_DROP_IP_HDR);

    /* checksum: a changed TTL, a changed checksum field, a changed
     * address (each with the header otherwise right) */
    memcpy(fb, save, n);
    ip[8]--;
    expect_drop(fx, fb, n, RX_DROP_IP_CSUM);
    memcpy(fb, save, n);
    ip[11] ^= 0x01;
    expect_drop(fx, fb, n, RX_DROP_IP_CSUM);
    memcpy(fb, save, n);
    ip[19] ^= 0x80;
    expect_drop(fx, fb, n, RX_DROP_IP_CSUM);

    /* restored, it is good again */
    memcpy(fb, save, n);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
}

/* Ethernet padding after l3 + total is ignored, and goes to the host. */
static void padding(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s = {.seq = RCV0, .ack = SND0, .wnd = 1000, .pad = 6};
    size_t n = build_seg(&c, &s, fb);

    assert_int_equal(n, 60);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    /* padding bytes are not summed: any value will do */
    memset(fb + 54, 0xA5, 6);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    /* and a lot of it: a short IP packet in a jumbo frame */
    memset(fb + 54, 0x5A, 2000);
    expect_exc1(fx, fb, 2054, RX_EXC_NO_CONN, 0xFFFF, 14, 34);

    /* with a connection, the padding is not payload */
    s.ack = SND0;
    install(fx, &c);
    n = send_seg(fx, CONN, &s);
    assert_int_equal(n, 60);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(fx->n_dma, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 60, RX_CNT_ACKS_IN, 1);
    s.len = 5;
    s.pad = 1;
    fx_mark(fx);
    n = send_seg(fx, CONN, &s);
    assert_int_equal(n, 60);
    assert_int_equal(fx->n_dma, 1);
    expect_dma(fx, 0, c.buf_base, 5);
    assert_int_equal(ctx_of(fx, CONN)->rcv_nxt, RCV0 + 5);
}

/*
 * Insert olen bytes of IPv4 options (NOPs with a Router Alert, RFC 2113)
 * after the 20-byte header at fb + l2 of an n-byte frame; fixes IHL, total
 * length and header checksum.  The TCP checksum does not change (same
 * addresses, same TCP length).  Returns the new frame length.
 */
static size_t add_ip_options(size_t l2, size_t n, size_t olen)
{
    uint8_t *ip = fb + l2;
    size_t i;

    memmove(ip + 20 + olen, ip + 20, n - l2 - 20);
    for (i = 0; i < olen; i++)
        ip[20 + i] = 1;
    if (olen >= 4) {
        ip[20] = 0x94;
        ip[21] = 4;
        ip[22] = 0;
        ip[23] = 0;
    }
    ip[0] = (uint8_t)(0x45 + olen / 4);
    toe_put16(ip + 2, (uint16_t)(toe_get16(ip + 2) + olen));
    fix_ip_csum(ip);
    return n + olen;
}

static void ip_options(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    size_t olen, n;
    int vlan;

    install(fx, &c);
    for (vlan = 0; vlan < 2; vlan++) {
        size_t l2 = vlan ? 18 : 14;

        for (olen = 4; olen <= 40; olen += 4) {
            const struct toe_rx_ctx *now = ctx_of(fx, CONN);
            struct seg s = {.seq = now->rcv_nxt, .ack = SND0, .wnd = 65535,
                            .len = 10, .vlan = vlan, .tci = 0x2005};
            struct toe_rx_ctx cc = *now;

            /* to an unknown port: NO_CONN with l4 past the options */
            cc.local_port = 80;
            n = build_seg(&cc, &s, fb);
            n = add_ip_options(l2, n, olen);
            expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, (uint8_t)l2,
                        (uint8_t)(l2 + 20 + olen));

            /* to the connection: the payload is found behind them */
            n = build_seg(now, &s, fb);
            n = add_ip_options(l2, n, olen);
            fx_mark(fx);
            deliver(fx, fb, n);
            assert_int_equal(fx->n_exc, 0);
            assert_int_equal(fx->n_dma, 1);
            assert_int_equal(fx->dma[0].len, 10);
            assert_memory_equal(fx->dma[0].data, fb + l2 + 20 + olen + 20, 10);
            expect_ring(fx, &c, s.seq, 10);
        }
    }
    /* IHL 15 under a tag: the largest l4, 78 */
    {
        struct seg s = {.seq = 1, .ack = 1, .vlan = 1};

        c.local_port = 81;
        n = build_seg(&c, &s, fb);
        n = add_ip_options(18, n, 40);
        expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 18, 78);
    }
}

/* ---- rule 5 ---- */

static void fragments(void **state)
{
    struct fx *fx = *state;
    size_t n = std_ack_frame();
    uint8_t *ip = fb + 14;
    uint8_t save[64];
    static const uint16_t frag[] = {0x2000, 0x0001, 0x1000, 0x1FFF, 0x2001, 0x6000, 0x4001};
    static const uint16_t not_frag[] = {0x4000, 0x8000, 0xC000};
    size_t i;

    memcpy(save, fb, n);
    for (i = 0; i < sizeof(frag) / sizeof(frag[0]); i++) {
        memcpy(fb, save, n);
        toe_put16(ip + 6, frag[i]);
        fix_ip_csum(ip);
        expect_exc1(fx, fb, n, RX_EXC_FRAG, 0xFFFF, 14, 34);
    }
    /* DF and the reserved bit are not fragment bits */
    for (i = 0; i < sizeof(not_frag) / sizeof(not_frag[0]); i++) {
        memcpy(fb, save, n);
        toe_put16(ip + 6, not_frag[i]);
        fix_ip_csum(ip);
        expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    }
    /* the checksum comes first */
    memcpy(fb, save, n);
    toe_put16(ip + 6, 0x2000);
    expect_drop(fx, fb, n, RX_DROP_IP_CSUM);
    /* and the fragment rule before any L4 rule: a first fragment whose TCP
     * header is cut short, a later one of a UDP datagram with garbage */
    memcpy(fb, save, n);
    toe_put16(ip + 2, 30);
    toe_put16(ip + 6, 0x2000);
    fix_ip_csum(ip);
    expect_exc1(fx, fb, n, RX_EXC_FRAG, 0xFFFF, 14, 34);
    {
        uint8_t junk[3] = {1, 2, 3};

        n = ip_frame(17, junk, 3, 1);
        toe_put16(fb + 18 + 6, 0x0010);
        fix_ip_csum(fb + 18);
        expect_exc1(fx, fb, n, RX_EXC_FRAG, 0xFFFF, 18, 38);
    }
}

/* ---- rule 6 ---- */

static void not_tcp(void **state)
{
    struct fx *fx = *state;
    static const uint8_t protos[] = {0, 1, 2, 4, 41, 47, 50, 132, 255};
    uint8_t echo[12] = {8, 0, 0xF7, 0xFD, 0, 1, 0, 1, 't', 'o', 'e', '!'};
    size_t i, n;

    for (i = 0; i < sizeof(protos); i++) {
        n = ip_frame(protos[i], echo, sizeof(echo), 0);
        expect_exc1(fx, fb, n, RX_EXC_NOT_TCP, 0xFFFF, 14, 34);
        n = ip_frame(protos[i], echo, sizeof(echo), 1);
        expect_exc1(fx, fb, n, RX_EXC_NOT_TCP, 0xFFFF, 18, 38);
    }
    /* no L4 bytes at all */
    n = ip_frame(1, NULL, 0, 0);
    expect_exc1(fx, fb, n, RX_EXC_NOT_TCP, 0xFFFF, 14, 34);
    /* with IP options, l4 follows them */
    n = ip_frame(1, echo, sizeof(echo), 0);
    n = add_ip_options(14, n, 8);
    expect_exc1(fx, fb, n, RX_EXC_NOT_TCP, 0xFFFF, 14, 42);
}

/* ---- rule 7 ---- */

/* A UDP datagram 198.51.100.2:53 -> 192.0.2.1:5353 with plen data bytes,
 * into fb; checksum filled unless zero_csum.  Returns the frame length. */
static size_t udp_frame(const uint8_t *data, size_t plen, int zero_csum, int vlan)
{
    uint8_t dg[600];
    size_t n, l2 = vlan ? 18 : 14;

    toe_put16(dg, 53);
    toe_put16(dg + 2, 5353);
    toe_put16(dg + 4, (uint16_t)(8 + plen));
    toe_put16(dg + 6, 0);
    memcpy(dg + 8, data, plen);
    n = ip_frame(17, dg, 8 + plen, vlan);
    if (!zero_csum)
        toe_udp_csum_fill(IP_REMOTE, IP_LOCAL, fb + l2 + 20, 8 + plen);
    return n;
}

static void udp(void **state)
{
    struct fx *fx = *state;
    uint8_t data[512];
    size_t n, i;
    uint16_t v;

    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 31 + 3);

    n = udp_frame(data, 100, 0, 0);
    expect_exc1(fx, fb, n, RX_EXC_UDP, 0xFFFF, 14, 34);
    n = udp_frame(data, 101, 0, 1); /* odd length, tagged */
    expect_exc1(fx, fb, n, RX_EXC_UDP, 0xFFFF, 18, 38);
    n = udp_frame(data, 0, 0, 0); /* header only */
    expect_exc1(fx, fb, n, RX_EXC_UDP, 0xFFFF, 14, 34);

    /* zero checksum: none computed (RFC 768), any data passes */
    n = udp_frame(data, 33, 1, 0);
    expect_exc1(fx, fb, n, RX_EXC_UDP, 0xFFFF, 14, 34);

    /* a wrong checksum */
    n = udp_frame(data, 100, 0, 0);
    fb[34 + 8 + 50] ^= 0x10;
    expect_drop(fx, fb, n, RX_DROP_UDP_CSUM);
    n = udp_frame(data, 100, 0, 0);
    toe_put16(fb + 34 + 6, (uint16_t)(toe_get16(fb + 34 + 6) + 1));
    expect_drop(fx, fb, n, RX_DROP_UDP_CSUM);

    /* RFC 768: a computed zero is sent as 0xFFFF, and is good: find data
     * whose checksum computes to zero */
    for (v = 0;; v++) {
        toe_put16(data, v);
        n = udp_frame(data, 20, 0, 0);
        if (toe_get16(fb + 34 + 6) == 0xFFFF)
            break;
        assert_int_not_equal(v, 0xFFFF);
    }
    expect_exc1(fx, fb, n, RX_EXC_UDP, 0xFFFF, 14, 34);

    /* len4 < 8 */
    n = ip_frame(17, data, 7, 0);
    expect_drop(fx, fb, n, RX_DROP_UDP_HDR);
    n = ip_frame(17, data, 0, 0);
    expect_drop(fx, fb, n, RX_DROP_UDP_HDR);
    /* six bytes whose "length field" says six: still too short */
    {
        uint8_t six[6] = {0, 53, 0x14, 0xE9, 0, 6};

        n = ip_frame(17, six, 6, 0);
        memset(fb + n, 0, 8);
        expect_drop(fx, fb, n + 8, RX_DROP_UDP_HDR);
    }

    /* the UDP length disagrees with the IPv4 length, either way (the
     * header check comes before the checksum, which is left right) */
    n = udp_frame(data, 40, 0, 0);
    toe_put16(fb + 34 + 4, 49);
    expect_drop(fx, fb, n, RX_DROP_UDP_HDR);
    toe_put16(fb + 34 + 4, 47);
    expect_drop(fx, fb, n, RX_DROP_UDP_HDR);
    /* ... also when the IPv4 packet is padded to where the UDP length
     * points */
    n = udp_frame(data, 40, 0, 0);
    toe_put16(fb + 34 + 4, 50);
    memset(fb + n, 0, 2);
    expect_drop(fx, fb, n + 2, RX_DROP_UDP_HDR);
}

/* ---- rule 8 ---- */

static void tcp_header_rules(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s = {.seq = 1, .ack = 2, .len = 8};
    uint8_t save[128];
    size_t n, k;
    int doff;

    /* len4 < 20: 0..19 TCP bytes (the IP header says so and is right) */
    n = build_seg(&c, &s, fb);
    memcpy(save, fb, n);
    for (k = 0; k < 20; k++) {
        memcpy(fb, save, n);
        toe_put16(fb + 16, (uint16_t)(20 + k));
        fix_ip_csum(fb + 14);
        expect_drop(fx, fb, 34 + k, RX_DROP_TCP_HDR);
    }

    /* data offset 0..4 */
    for (doff = 0; doff < 5; doff++) {
        memcpy(fb, save, n);
        fb[34 + 12] = (uint8_t)(doff << 4);
        expect_drop(fx, fb, n, RX_DROP_TCP_HDR);
    }
    /* 4 * doff > len4 (28): 8 and 15; 7 (28) is fine (then the payload
     * is taken as options: NO_CONN after the checksum is fixed) */
    for (doff = 8; doff < 16; doff += 7) {
        memcpy(fb, save, n);
        fb[34 + 12] = (uint8_t)(doff << 4);
        expect_drop(fx, fb, n, RX_DROP_TCP_HDR);
    }
    memcpy(fb, save, n);
    fb[34 + 12] = 7 << 4;
    memset(fb + 54, 1, 8); /* eight NOPs */
    toe_tcp_csum_fill(IP_REMOTE, IP_LOCAL, fb + 34, 28);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    /* the header check comes before the checksum */
    fb[34 + 12] = 8 << 4;
    fb[34 + 16] ^= 0xFF;
    expect_drop(fx, fb, n, RX_DROP_TCP_HDR);
}

/*
 * A segment of the standard connection with option bytes opt (a multiple
 * of 4), as the peer would send it; returns the frame length in fb.
 */
static size_t opt_seg(struct fx *fx, const uint8_t *opt, size_t olen)
{
    const struct toe_rx_ctx *c = ctx_of(fx, CONN);
    struct seg s = {.seq = c->rcv_nxt, .ack = c->snd_una, .wnd = 65535,
                    .opt = opt, .optlen = olen};

    return build_seg(c, &s, fb);
}

static void tcp_options(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    static const uint8_t bad[][8] = {
        {2, 0, 0, 0},                  /* length 0 */
        {3, 1, 0, 0},                  /* length 1 */
        {1, 1, 1, 2},                  /* no length byte inside the options */
        {1, 1, 2, 3},                  /* runs one past the end */
        {5, 5, 0, 0},                  /* ditto, at the start */
        {1, 8, 10, 0},                 /* a timestamp cut short */
        {2, 4, 5, 180, 254, 255, 0, 0}, /* length 255 */
    };
    static const size_t bad_len[] = {4, 4, 4, 4, 4, 4, 8};
    static const uint8_t other[][12] = {
        {2, 4, 5, 180},                       /* MSS 1460 */
        {1, 3, 3, 7},                         /* window scale 7 */
        {4, 2, 1, 1},                         /* SACK permitted */
        {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9}, /* SACK, one block */
        {99, 2, 1, 1},                        /* unknown, length 2 */
        {99, 4, 0xFF, 0xFF},                  /* unknown, exactly to the end */
        {8, 12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, /* kind 8 but length 12 */
        {8, 2, 1, 1},                         /* kind 8 length 2 */
    };
    static const size_t other_len[] = {4, 4, 4, 12, 4, 4, 12, 4};
    static const uint8_t fine[][8] = {
        {1, 1, 1, 1},              /* NOPs only */
        {0, 0, 0, 0},              /* EOL */
        {0, 2, 0, 0},              /* EOL, then what would be bad */
        {1, 0, 99, 7, 0, 0, 0, 0}, /* NOP, EOL, then what would be other */
    };
    static const size_t fine_len[] = {4, 4, 4, 8};
    size_t i, n;

    install(fx, &c);
    for (i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++) {
        n = opt_seg(fx, bad[i], bad_len[i]);
        expect_drop(fx, fb, n, RX_DROP_TCP_HDR);
        /* before the checksum */
        fb[34 + 16] ^= 0x55;
        expect_drop(fx, fb, n, RX_DROP_TCP_HDR);
    }
    for (i = 0; i < sizeof(other_len) / sizeof(other_len[0]); i++) {
        n = opt_seg(fx, other[i], other_len[i]);
        expect_exc1(fx, fb, n, RX_EXC_OPTIONS, CONN, 14, 34);
    }
    for (i = 0; i < sizeof(fine_len) / sizeof(fine_len[0]); i++) {
        n = opt_seg(fx, fine[i], fine_len[i]);
        fx_mark(fx);
        deliver(fx, fb, n);
        assert_int_equal(fx->n_exc, 0);
        DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, (int)n, RX_CNT_ACKS_IN, 1);
    }
    /* a non-timestamp connection receiving a timestamp: OPTIONS */
    {
        static const uint8_t ts[12] = {1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 0};

        n = opt_seg(fx, ts, 12);
        expect_exc1(fx, fb, n, RX_EXC_OPTIONS, CONN, 14, 34);
    }
}

/*
 * Timestamp options in odd places, on a timestamp connection; each
 * accepted one sets TS.Recent (seq = RCV.NXT = Last.ACK.sent), which shows
 * which TSval the parser took.
 */
static void tcp_timestamp_option(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    /* unaligned, TSval 0x100, then EOL and a byte never looked at */
    static const uint8_t unaligned[12] = {8, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2};
    /* TSval 0x200, EOL, then a malformed option */
    static const uint8_t eol_junk[16] = {1, 1, 8, 10, 0, 0, 2, 0, 0, 0, 0, 0,
                                         0, 3, 0, 0};
    /* two timestamps, TSval 0x300 then 0x400: the contract does not say
     * which counts; the model (and the RTL) take the second as "other
     * options" */
    static const uint8_t two[24] = {1, 1, 8, 10, 0, 0, 3, 0, 0, 0, 0, 0,
                                    8, 10, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0};
    /* a timestamp plus MSS: other options */
    static const uint8_t ts_mss[16] = {1, 1, 8, 10, 0, 0, 5, 0, 0, 0, 0, 0,
                                       2, 4, 5, 180};
    size_t n;

    c.flags |= RX_FLAG_TS;
    install(fx, &c);

    n = opt_seg(fx, unaligned, 12);
    fx_mark(fx);
    deliver(fx, fb, n);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 0x100);

    n = opt_seg(fx, eol_junk, 16);
    fx_mark(fx);
    deliver(fx, fb, n);
    assert_int_equal(fx->n_exc, 0);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 0x200);

    n = opt_seg(fx, two, 24);
    expect_exc1(fx, fb, n, RX_EXC_OPTIONS, CONN, 14, 34);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 0x200);

    n = opt_seg(fx, ts_mss, 16);
    expect_exc1(fx, fb, n, RX_EXC_OPTIONS, CONN, 14, 34);
    /* no option at all on a timestamp connection */
    n = opt_seg(fx, NULL, 0);
    expect_exc1(fx, fb, n, RX_EXC_OPTIONS, CONN, 14, 34);
    assert_int_equal(ctx_of(fx, CONN)->ts_recent, 0x200);
}

/* ---- rule 9 ---- */

static void tcp_checksum(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    struct seg s = {.seq = 1, .ack = 2, .len = 11};
    uint8_t save[128];
    size_t n = build_seg(&c, &s, fb);

    memcpy(save, fb, n);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    /* a payload bit */
    fb[n - 1] ^= 0x01;
    expect_drop(fx, fb, n, RX_DROP_TCP_CSUM);
    /* the field itself */
    memcpy(fb, save, n);
    fb[34 + 17] ^= 0x01;
    expect_drop(fx, fb, n, RX_DROP_TCP_CSUM);
    /* the pseudo-header: another source address (IP checksum fixed) */
    memcpy(fb, save, n);
    fb[14 + 15] ^= 0x01;
    fix_ip_csum(fb + 14);
    expect_drop(fx, fb, n, RX_DROP_TCP_CSUM);
    /* the sum covers len4 bytes: the last payload byte made padding */
    memcpy(fb, save, n);
    toe_put16(fb + 16, (uint16_t)(toe_get16(fb + 16) - 1));
    fix_ip_csum(fb + 14);
    expect_drop(fx, fb, n, RX_DROP_TCP_CSUM);
    /* ... and recomputed over the shorter segment it is good again, with
     * the byte carried along as padding */
    toe_tcp_csum_fill(IP_REMOTE, IP_LOCAL, fb + 34, n - 34 - 1);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
}

/* ---- rule 10 ---- */

static void lookup(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx(), other;
    struct seg s = {.seq = RCV0, .ack = SND0, .wnd = 100};
    size_t n;

    install(fx, &c);
    /* our own direction (source and destination swapped) is unknown */
    other = c;
    other.local_ip = c.remote_ip;
    other.remote_ip = c.local_ip;
    other.local_port = c.remote_port;
    other.remote_port = c.local_port;
    n = build_seg(&other, &s, fb);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    /* one field off each */
    other = c;
    other.remote_port++;
    n = build_seg(&other, &s, fb);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    other = c;
    other.local_ip++;
    n = build_seg(&other, &s, fb);
    expect_exc1(fx, fb, n, RX_EXC_NO_CONN, 0xFFFF, 14, 34);
    /* the 4-tuple itself, tagged or not: the connection (the MACs and the
     * tag are not part of the key) */
    n = build_seg(&c, &s, fb);
    fx_mark(fx);
    deliver(fx, fb, n);
    assert_int_equal(fx->n_exc, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 54, RX_CNT_ACKS_IN, 1);
    s.vlan = 1;
    s.tci = 0xFFFF;
    n = build_seg(&c, &s, fb);
    fb[0] ^= 0xFF;
    fx_mark(fx);
    deliver(fx, fb, n);
    assert_int_equal(fx->n_exc, 0);
    DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, 58, RX_CNT_ACKS_IN, 1);
    /* a known-connection exception carries conn_id */
    s.flags = TCP_FLAG_ACK | TCP_FLAG_FIN;
    n = build_seg(&c, &s, fb);
    expect_exc1(fx, fb, n, RX_EXC_FLAGS, CONN, 18, 38);
}

/* ---- truncation at every length ---- */

/*
 * A timestamp segment with 100 payload bytes (166 bytes, 170 tagged) cut
 * at every length from 0 to its full length.  As cut: RUNT below 14 (18
 * tagged: below 14 the Ethernet header, from 14 to 17 the tag), IP_HDR
 * below l3 + 20 and whenever the IPv4 total length runs past the end, and
 * only the whole frame is placed.  Then again with the IPv4 total length
 * (and header checksum) made to fit each cut: TCP_HDR while the 32-byte
 * header does not fit, TCP_CSUM after.
 */
static void truncation(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    int vlan;

    c.flags |= RX_FLAG_TS;
    install(fx, &c);
    for (vlan = 0; vlan < 2; vlan++) {
        size_t l3 = vlan ? 18 : 14, full, k;
        const struct toe_rx_ctx *now = ctx_of(fx, CONN);
        struct seg s = {.seq = now->rcv_nxt, .ack = SND0, .wnd = 65535, .ts = 1,
                        .tsval = 77, .len = 100, .vlan = vlan, .tci = 3};
        uint8_t whole[200], cut[200];

        full = build_seg(now, &s, whole);
        assert_int_equal(full, l3 + 20 + 32 + 100);
        for (k = 0; k < full; k++) {
            uint8_t want = k < 14                ? RX_DROP_RUNT
                           : vlan && k < 18     ? RX_DROP_RUNT
                                                 : RX_DROP_IP_HDR;

            expect_drop(fx, whole, k, want);
        }
        fx_mark(fx);
        deliver(fx, whole, full);
        assert_int_equal(fx->n_exc, 0);
        assert_int_equal(fx->n_dma, 1);
        DELTAS(RX_CNT_FRAMES, 1, RX_CNT_BYTES, (int)full, RX_CNT_ACKS_IN, 1,
               RX_CNT_FAST_SEGS, 1, RX_CNT_FAST_BYTES, 100);

        for (k = l3 + 20; k < full; k++) {
            size_t len4 = k - l3 - 20;
            uint8_t want = len4 < 32 ? RX_DROP_TCP_HDR : RX_DROP_TCP_CSUM;

            memcpy(cut, whole, k);
            toe_put16(cut + l3 + 2, (uint16_t)(k - l3));
            fix_ip_csum(cut + l3);
            expect_drop(fx, cut, k, want);
        }
    }
}

/*
 * Random damage: frames of the connection with random bytes changed and
 * random lengths.  Whatever happens, each frame is counted once as a drop,
 * an exception, or a segment the connection took (ACKS_IN), and the model
 * survives (run under valgrind too).
 */
static void random_damage(void **state)
{
    struct fx *fx = *state;
    struct toe_rx_ctx c = std_ctx();
    uint8_t *buf = malloc(RX_MAX_FRAME + 100);
    int i;

    assert_non_null(buf);
    c.flags |= RX_FLAG_TS;
    install(fx, &c);
    for (i = 0; i < 3000; i++) {
        const struct toe_rx_ctx *now = ctx_of(fx, CONN);
        struct seg s = {.seq = now->rcv_nxt, .ack = now->snd_una, .wnd = 1000,
                        .ts = 1, .tsval = now->ts_recent,
                        .len = test_rand_below(64), .vlan = (int)test_rand_below(2)};
        size_t n = build_seg(now, &s, buf), j, flips = test_rand_below(4);
        uint32_t before;

        for (j = 0; j < flips; j++)
            buf[test_rand_below((uint32_t)n)] = (uint8_t)test_rand64();
        switch (test_rand_below(4)) {
        case 0:
            n = test_rand_below((uint32_t)n + 1);
            break;
        case 1:
            n += test_rand_below(40); /* padding of whatever was there */
            break;
        default:
            break;
        }
        fx_mark(fx);
        before = cnt(fx, RX_CNT_DROPS) + cnt(fx, RX_CNT_EXC) + cnt(fx, RX_CNT_ACKS_IN);
        deliver(fx, buf, n);
        assert_int_equal(cnt(fx, RX_CNT_DROPS) + cnt(fx, RX_CNT_EXC) +
                             cnt(fx, RX_CNT_ACKS_IN) - before,
                         1);
        assert_int_equal(cnt_delta(fx, RX_CNT_FRAMES), 1);
        assert_int_equal(cnt_delta(fx, RX_CNT_BYTES), n);
        fx_mark(fx);
        /* keep the ring from filling up */
        toe_rx_model_cmd(fx->m,
                         &(struct toe_conn_cmd){.op = CONN_CMD_RCV_READ, .conn_id = CONN,
                                                .arg0 = ctx_of(fx, CONN)->rcv_nxt},
                         NULL, 0);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(runt_and_too_long, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ethertypes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ip_header_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(padding, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ip_options, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(fragments, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(not_tcp, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(udp, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tcp_header_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tcp_options, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tcp_timestamp_option, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(tcp_checksum, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lookup, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(truncation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(random_damage, fx_setup, fx_teardown),
    };

    test_seed_init("test_rx_parse");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
