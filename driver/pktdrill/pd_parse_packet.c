/*
 * Packet lines: DIR FLAGS START:END(LEN) [ack N] [win N] [urg N] [<OPTIONS>]
 * (packetdrill-syntax.md, Packet lines). Sequence numbers are kept as written,
 * relative to an ISN; the runner converts them (RFC 793 3.3, modulo 2^32).
 */
#include "pd_parse_int.h"

#include <string.h>

static const char flag_letters[] = "FSRP.UEWC";
static const unsigned flag_bits[] = {
    PD_TCP_FIN, PD_TCP_SYN, PD_TCP_RST, PD_TCP_PSH, PD_TCP_ACK,
    PD_TCP_URG, PD_TCP_ECE, PD_TCP_CWR, PD_TCP_AE,
};

static const char *const ecn_names[] = {
    [PD_ECN_NOECN] = "[noecn]", [PD_ECN_ECT1] = "[ect1]", [PD_ECN_ECT0] = "[ect0]",
    [PD_ECN_CE] = "[ce]", [PD_ECN_ECT01] = "[ect01]",
};

/* "[ect0]" and the like: the whole word W, brackets included. */
static bool parse_ecn(struct pd_parser *p, const struct pd_tok *w, struct pd_packet *pkt)
{
    unsigned i;

    for (i = PD_ECN_NOECN; i <= PD_ECN_ECT01; i++)
        if (w->len == strlen(ecn_names[i]) && !memcmp(w->text, ecn_names[i], w->len)) {
            pkt->ecn = (enum pd_ecn)i;
            /* "either" is something to expect, not something to send */
            if (pkt->ecn == PD_ECN_ECT01 && pkt->dir != PD_DIR_OUT)
                return pp_fail_at(p, w->line, w->col,
                                  "[ect01] (either ECT codepoint) is allowed on outbound packets only");
            return true;
        }
    return pp_fail_at(p, w->line, w->col,
                      "expected an ECN codepoint ([noecn], [ect0], [ect1], [ect01], [ce]), got '%.*s'",
                      w->len > 24 ? 24 : (int)w->len, w->text);
}

static bool parse_flags(struct pd_parser *p, struct pd_packet *pkt)
{
    struct pd_tok w;
    size_t i;

    /* The lookahead is empty here: the direction was just taken. */
    if (pd_lex_word(&p->lx, &w) == PD_T_NONE)
        return pp_expected(p, "TCP flags (from 'SFRPUEWC.')");
    pp_took_raw(p, &w);
    if (w.text[0] == '[') {
        if (!parse_ecn(p, &w, pkt))
            return false;
        if (pd_lex_word(&p->lx, &w) == PD_T_NONE)
            return pp_expected(p, "TCP flags (from 'SFRPUEWC.')");
        pp_took_raw(p, &w);
    }
    if ((w.len == 3 && !memcmp(w.text, "udp", 3)) || (w.len == 4 && !memcmp(w.text, "icmp", 4)))
        return pp_fail_at(p, w.line, w.col, "%.*s packets are not supported yet (TCP only)",
                          (int)w.len, w.text);
    for (i = 0; i < w.len; i++) {
        const char *at = strchr(flag_letters, w.text[i]);
        unsigned bit;

        if (!at || w.text[i] == '\0')
            return pp_fail_at(p, w.line, w.col + (int)i,
                              "expected TCP flags (from 'SFRPUEWC.'), got '%c'", w.text[i]);
        bit = flag_bits[at - flag_letters];
        if (pkt->flags & bit)
            return pp_fail_at(p, w.line, w.col + (int)i, "TCP flag '%c' given twice", w.text[i]);
        pkt->flags |= bit;
    }
    return true;
}

static bool parse_seq(struct pd_parser *p, struct pd_packet *pkt)
{
    int line = pp_peek(p)->line, col = pp_peek(p)->col;

    if (!pp_u32(p, &pkt->seq_start, "the first sequence number (START:END(LEN))") ||
        !pp_expect_punct(p, ':', "':' after the first sequence number") ||
        !pp_u32(p, &pkt->seq_end, "the end sequence number (START:END(LEN))") ||
        !pp_expect_punct(p, '(', "'(' and the payload length") ||
        !pp_u32(p, &pkt->len, "the payload length") ||
        !pp_expect_punct(p, ')', "')' after the payload length"))
        return false;
    /* upstream refuses a line whose numbers disagree; modulo 2^32 like any sequence space */
    if ((uint32_t)(pkt->seq_end - pkt->seq_start) != pkt->len)
        return pp_fail_at(p, line, col, "sequence %u:%u covers %u bytes, but the length says %u",
                          pkt->seq_start, pkt->seq_end, (uint32_t)(pkt->seq_end - pkt->seq_start),
                          pkt->len);
    return true;
}

static bool parse_sack(struct pd_parser *p, struct pd_tcp_opt *o)
{
    while (pp_peek(p)->kind == PD_T_INT) {
        int line = pp_peek(p)->line, col = pp_peek(p)->col;

        if (o->n_blocks == PD_SACK_MAX_BLOCKS)
            return pp_fail_at(p, line, col, "more than %d SACK blocks (RFC 2018 allows 4)",
                              PD_SACK_MAX_BLOCKS);
        if (!pp_u32(p, &o->block[o->n_blocks][0], "a SACK block's left edge") ||
            !pp_expect_punct(p, ':', "':' between the SACK block's edges") ||
            !pp_u32(p, &o->block[o->n_blocks][1], "a SACK block's right edge"))
            return false;
        o->n_blocks++;
    }
    if (!o->n_blocks)
        return pp_expected(p, "a SACK block LEFT:RIGHT");
    return true;
}

static bool parse_option(struct pd_parser *p, struct pd_tcp_opt *o)
{
    uint64_t v;

    if (pp_at_ident(p, "nop"))
        o->kind = PD_OPT_NOP;
    else if (pp_at_ident(p, "eol"))
        o->kind = PD_OPT_EOL;
    else if (pp_at_ident(p, "sackOK"))
        o->kind = PD_OPT_SACKOK;
    else if (pp_at_ident(p, "mss")) {
        pp_take(p);
        o->kind = PD_OPT_MSS;
        if (!pp_uint(p, 65535, &v, "the MSS value"))
            return false;
        o->value = (uint32_t)v;
        return true;
    } else if (pp_at_ident(p, "wscale")) {
        pp_take(p);
        o->kind = PD_OPT_WSCALE;
        /* a byte on the wire; values above 14 (RFC 7323 2.3) are for tests of clamping */
        if (!pp_uint(p, 255, &v, "the window scale shift"))
            return false;
        o->value = (uint32_t)v;
        return true;
    } else if (pp_at_ident(p, "sack")) {
        pp_take(p);
        o->kind = PD_OPT_SACK;
        return parse_sack(p, o);
    } else if (pp_at_ident(p, "TS")) {
        pp_take(p);
        o->kind = PD_OPT_TS;
        if (!pp_at_ident(p, "val"))
            return pp_expected(p, "'val' after TS");
        pp_take(p);
        if (!pp_u32(p, &o->value, "the TS value"))
            return false;
        if (!pp_at_ident(p, "ecr"))
            return pp_expected(p, "'ecr' after the TS value");
        pp_take(p);
        return pp_u32(p, &o->ecr, "the TS echo reply");
    } else {
        return pp_expected(p, "a TCP option (mss, wscale, sackOK, sack, TS, nop, eol)");
    }
    pp_take(p);
    return true;
}

/* '<' already taken: '...' '>' | OPTION {',' OPTION} '>' */
static bool parse_options(struct pd_parser *p, struct pd_packet *pkt, int line, int col)
{
    size_t cap = 0;

    if (pp_peek(p)->kind == PD_T_ELLIPSIS) {
        pp_take(p);
        if (pkt->dir != PD_DIR_OUT)
            return pp_fail_at(p, line, col,
                              "options '<...>' (not checked) are allowed on outbound packets only");
        pkt->opts_mode = PD_OPTS_ANY;
        return pp_expect_punct(p, '>', "'>' after '<...'");
    }
    pkt->opts_mode = PD_OPTS_LIST;
    for (;;) {
        struct pd_tcp_opt *o = pd_arena_push(p->arena, (void **)&pkt->opts, &pkt->n_opts, &cap,
                                             sizeof(*o));

        if (!o)
            return pp_out_of_memory(p);
        if (!parse_option(p, o))
            return false;
        if (pp_at_punct(p, '>')) {
            pp_take(p);
            return true;
        }
        if (!pp_expect_punct(p, ',', "',' or '>' after a TCP option"))
            return false;
    }
}

bool pd_parse_packet(struct pd_parser *p, struct pd_packet *pkt)
{
    pkt->dir = pp_peek(p)->punct == '<' ? PD_DIR_IN : PD_DIR_OUT;
    pp_take(p);
    if (!parse_flags(p, pkt) || !parse_seq(p, pkt))
        return false;
    for (;;) {
        const struct pd_tok *t = pp_peek(p);
        bool *has;
        uint32_t *val;
        const char *what;
        int vline, vcol;

        if (pp_at_punct(p, '<')) {
            pp_take(p);
            return parse_options(p, pkt, t->line, t->col);
        }
        if (pp_at_ident(p, "ack")) {
            has = &pkt->has_ack, val = &pkt->ack, what = "the acknowledgment number";
        } else if (pp_at_ident(p, "win")) {
            has = &pkt->has_win, val = &pkt->win, what = "the window";
        } else if (pp_at_ident(p, "urg")) {
            has = &pkt->has_urg, val = &pkt->urg, what = "the urgent pointer";
        } else {
            /* the next event, or something that is not a packet field */
            if (t->kind == PD_T_IDENT && !t->bol)
                return pp_expected(p, "'ack', 'win', 'urg', '<' options or the next event");
            return !p->failed;
        }
        if (*has)
            return pp_fail_at(p, t->line, t->col, "'%.*s' given twice", (int)t->len, t->text);
        pp_take(p);
        vline = pp_peek(p)->line;
        vcol = pp_peek(p)->col;
        if (!pp_u32(p, val, what))
            return false;
        *has = true;
        /* both are 16-bit header fields (RFC 793 3.1); the window as sent, before scaling */
        if (val != &pkt->ack && *val > 65535)
            return pp_fail_at(p, vline, vcol, "%s %u does not fit its 16-bit field", what, *val);
    }
}
