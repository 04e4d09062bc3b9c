/*
 * The outbound cases of test_pd_match.c, one field changed at a time: a '>'
 * line, the frame the TOE sends (absolute numbers; the flow's ISNs are ISN_L
 * and ISN_R, both known), and the exact message, or NULL where it must match.
 * Included once, after struct act, ISN_L, ISN_R and SYNACK_OPTS.
 */
#ifndef TEST_PD_MATCH_CASES_H
#define TEST_PD_MATCH_CASES_H

struct mut_case {
    const char *want;         /* the '>' line */
    struct act act;           /* absolute, ISN_L / ISN_R */
    const char *why;          /* NULL: must match */
};

#define SA (PD_TCP_SYN | PD_TCP_ACK)
#define W1 "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>"
#define E1 "expected: " W1 "  actual: "
#define W4 "> . 1:1(0) ack 1001 win 257 <nop,nop,TS val 5000 ecr 700,nop,nop,sack 2001:3001>"
#define E4 "expected: " W4 "  actual: "
#define TS_SACK(val, ecr, l, r) { 1, 1, 8, 10, (uint8_t)((val) >> 24), (uint8_t)((val) >> 16), \
    (uint8_t)((val) >> 8), (uint8_t)(val), (uint8_t)((ecr) >> 24), (uint8_t)((ecr) >> 16), \
    (uint8_t)((ecr) >> 8), (uint8_t)(ecr), 1, 1, 5, 10, (uint8_t)((l) >> 24), (uint8_t)((l) >> 16), \
    (uint8_t)((l) >> 8), (uint8_t)(l), (uint8_t)((r) >> 24), (uint8_t)((r) >> 16), \
    (uint8_t)((r) >> 8), (uint8_t)(r) }, 24

static const struct mut_case mut_cases[] = {
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 }, NULL },
    { W1, { PD_TCP_SYN, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      E1 "> S 0:0(0) win 65535 <mss 1460,nop,wscale 7>  (first difference: flags: expected S., actual S)" },
    { W1, { SA | PD_TCP_FIN, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      E1 "> FS. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>  (first difference: flags: expected S., actual FS.)" },
    { W1, { SA | PD_TCP_AE, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      E1 "> S.C 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>  (first difference: flags: expected S., actual S.C)" },
    { W1, { 0, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      E1 ">  0:0(0) win 65535 <mss 1460,nop,wscale 7>  (first difference: flags: expected S., actual none)" },
    { W1, { SA, 0, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      E1 "> S. 1:1(0) ack 1 win 65535 <mss 1460,nop,wscale 7>  (first difference: seq: expected 0, actual 1)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 10, 0, 0 },
      E1 "> S. 0:10(10) ack 1 win 65535 <mss 1460,nop,wscale 7>  (first difference: len: expected 0, actual 10)" },
    { W1, { SA, ISN_L, ISN_R + 2, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 2 win 65535 <mss 1460,nop,wscale 7>  (first difference: ack: expected 1, actual 2)" },
    { W1, { SA, ISN_L, ISN_R, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 0 win 65535 <mss 1460,nop,wscale 7>  (first difference: ack: expected 1, actual 0)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65534, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 1 win 65534 <mss 1460,nop,wscale 7>  (first difference: win: expected 65535, actual 65534)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, { 2, 4, 0x05, 0x78, 1, 3, 3, 7 }, 8, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 1 win 65535 <mss 1400,nop,wscale 7>  (first difference: mss: expected 1460, actual 1400)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, { 2, 4, 0x05, 0xB4, 1, 3, 3, 8 }, 8, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 8>  (first difference: wscale: expected 7, actual 8)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, { 2, 4, 0x05, 0xB4, 1, 1, 1, 1 }, 8, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,nop,nop,nop>  (first difference: option 3: expected wscale, actual nop)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, { 2, 4, 0x05, 0xB4, 1, 3, 3, 7, 4, 2, 1, 1 }, 12, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7,sackOK,nop,nop>  (first difference: options: expected 3, actual 6)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, { 2, 4, 0x05, 0xB4 }, 4, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 1 win 65535 <mss 1460>  (first difference: options: expected 3, actual 1)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, { 0 }, 0, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 1 win 65535  (first difference: options: expected 3, actual 0)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, { 2, 4, 0x05, 0xB4, 1, 3, 3, 7, 30, 4, 0, 0 }, 12, 0, 0, 0 },
      E1 "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7,...kind 30>  (first difference: option 4: expected none, actual unknown kind 30)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 8081, 0 },
      E1 "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>  (first difference: ports: expected 8080 > 50000, actual 8081 > 50000)" },
    { W1, { SA, ISN_L, ISN_R + 1, 65535, 0, 0, SYNACK_OPTS, 0, 0, 0xC0A80002u },
      E1 "> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>  (first difference: addresses: expected "
         "192.168.0.1 > 192.0.2.1, actual 192.168.0.2 > 192.0.2.1)" },
    /* ECN codepoints of the IP header (RFC 3168 5) */
    { "> [ect0] P. 1:101(100) ack 1 win 257", { PD_TCP_PSH | PD_TCP_ACK, 0, ISN_R + 1, 257, 0, 2, { 0 }, 0, 100, 0, 0 }, NULL },
    { "> [ect0] P. 1:101(100) ack 1 win 257", { PD_TCP_PSH | PD_TCP_ACK, 0, ISN_R + 1, 257, 0, 0, { 0 }, 0, 100, 0, 0 },
      "expected: > [ect0] P. 1:101(100) ack 1 win 257  actual: > P. 1:101(100) ack 1 win 257  "
      "(first difference: ECN: expected [ect0], actual [noecn])" },
    { "> [ect0] P. 1:101(100) ack 1 win 257", { PD_TCP_PSH | PD_TCP_ACK, 0, ISN_R + 1, 257, 0, 3, { 0 }, 0, 100, 0, 0 },
      "expected: > [ect0] P. 1:101(100) ack 1 win 257  actual: > [ce] P. 1:101(100) ack 1 win 257  "
      "(first difference: ECN: expected [ect0], actual [ce])" },
    { "> [ect01] P. 1:101(100) ack 1", { PD_TCP_PSH | PD_TCP_ACK, 0, ISN_R + 1, 9, 0, 1, { 0 }, 0, 100, 0, 0 }, NULL },
    { "> [ect01] P. 1:101(100) ack 1", { PD_TCP_PSH | PD_TCP_ACK, 0, ISN_R + 1, 9, 0, 2, { 0 }, 0, 100, 0, 0 }, NULL },
    { "> [ect01] P. 1:101(100) ack 1", { PD_TCP_PSH | PD_TCP_ACK, 0, ISN_R + 1, 9, 0, 0, { 0 }, 0, 100, 0, 0 },
      "expected: > [ect01] P. 1:101(100) ack 1  actual: > P. 1:101(100) ack 1 win 9  "
      "(first difference: ECN: expected [ect01], actual [noecn])" },
    /* TS val loose (upstream without --tcp_ts_tick_usecs), ecr exact, SACK relative to the script's ISN */
    { W4, { PD_TCP_ACK, 0, ISN_R + 1001, 257, 0, 0, TS_SACK(123456u, 700u, ISN_R + 2001, ISN_R + 3001), 0, 0, 0 }, NULL },
    { W4, { PD_TCP_ACK, 0, ISN_R + 1001, 257, 0, 0, TS_SACK(123456u, 701u, ISN_R + 2001, ISN_R + 3001), 0, 0, 0 },
      E4 "> . 1:1(0) ack 1001 win 257 <nop,nop,TS val 123456 ecr 701,nop,nop,sack 2001:3001>  "
         "(first difference: TS ecr: expected 700, actual 701)" },
    { W4, { PD_TCP_ACK, 0, ISN_R + 1001, 257, 0, 0, TS_SACK(123456u, 700u, ISN_R + 2001, ISN_R + 3002), 0, 0, 0 },
      E4 "> . 1:1(0) ack 1001 win 257 <nop,nop,TS val 123456 ecr 700,nop,nop,sack 2001:3002>  "
         "(first difference: sack block 1: expected 2001:3001, actual 2001:3002)" },
    /* urgent pointer, checked when written */
    { "> .U 1:1(0) ack 1 win 257 urg 5", { PD_TCP_ACK | PD_TCP_URG, 0, ISN_R + 1, 257, 5, 0, { 0 }, 0, 0, 0, 0 }, NULL },
    { "> .U 1:1(0) ack 1 win 257 urg 5", { PD_TCP_ACK | PD_TCP_URG, 0, ISN_R + 1, 257, 6, 0, { 0 }, 0, 0, 0, 0 },
      "expected: > .U 1:1(0) ack 1 win 257 urg 5  actual: > .U 1:1(0) ack 1 win 257 urg 6  "
      "(first difference: urg: expected 5, actual 6)" },
    /* <...>: options not checked, the rest still is */
    { "> . 1:1(0) ack 1 <...>", { PD_TCP_ACK, 0, ISN_R + 1, 3, 0, 0, SYNACK_OPTS, 0, 0, 0 }, NULL },
    { "> . 1:1(0) ack 1 <...>", { PD_TCP_ACK, 0, ISN_R + 1, 3, 0, 0, { 0 }, 0, 0, 0, 0 }, NULL },
    { "> . 1:1(0) ack 1 <...>", { PD_TCP_ACK, 0, ISN_R + 3, 3, 0, 0, SYNACK_OPTS, 0, 0, 0 },
      "expected: > . 1:1(0) ack 1 <...>  actual: > . 1:1(0) ack 3 win 3 <mss 1460,nop,wscale 7>  "
      "(first difference: ack: expected 1, actual 3)" },
    /* no <...>: no options at all */
    { "> . 1:1(0) ack 1", { PD_TCP_ACK, 0, ISN_R + 1, 3, 0, 0, { 1, 1, 1, 1 }, 4, 0, 0, 0 },
      "expected: > . 1:1(0) ack 1  actual: > . 1:1(0) ack 1 win 3 <nop,nop,nop,nop>  "
      "(first difference: options: expected none, actual 4)" },
};

#endif /* TEST_PD_MATCH_CASES_H */
