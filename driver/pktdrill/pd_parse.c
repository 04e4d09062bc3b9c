/*
 * A packetdrill script into events (pd_ast.h): the script, each event's time,
 * and the dispatch to packets, system calls, commands and code blocks. The
 * grammar is upstream's parser.y, read for meaning: options first, then
 * events "TIME ACTION"; line breaks carry no meaning.
 */
#include "pd_parse_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the lookahead and errors -------------------------------------------------------- */

const struct pd_tok *pp_peek(struct pd_parser *p)
{
    if (!p->have_tok) {
        if (pd_lex_next(&p->lx, &p->tok) == PD_T_ERROR)
            p->failed = true;
        p->have_tok = true;
    }
    return &p->tok;
}

void pp_take(struct pd_parser *p)
{
    pp_took_raw(p, &p->tok);
}

void pp_took_raw(struct pd_parser *p, const struct pd_tok *tok)
{
    p->have_tok = false;
    p->in_event = true;
    p->end_line = tok->end_line;
    p->end_col = tok->end_col;
}

bool pp_at_punct(struct pd_parser *p, char c)
{
    const struct pd_tok *t = pp_peek(p);

    return t->kind == PD_T_PUNCT && t->punct == c;
}

bool pp_at_ident(struct pd_parser *p, const char *word)
{
    const struct pd_tok *t = pp_peek(p);

    return t->kind == PD_T_IDENT && t->len == strlen(word) && !memcmp(t->text, word, t->len);
}

bool pp_fail_at(struct pd_parser *p, int line, int col, const char *fmt, ...)
{
    char what[400];
    va_list ap;

    if (p->failed)
        return false;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    pd_error_set(p->err, p->filename, line, col, "%s", what);
    p->failed = true;
    return false;
}

bool pp_expected(struct pd_parser *p, const char *what)
{
    const struct pd_tok *t = pp_peek(p);
    char got[80];

    if (p->failed)
        return false;
    /* Inside an event, the next line's first token is not what the user wrote
     * after the last one: report the end of the line they did write. */
    if (p->in_event && (t->bol || t->kind == PD_T_EOF))
        return pp_fail_at(p, p->end_line, p->end_col, "expected %s, got end of %s", what,
                          t->kind == PD_T_EOF ? "file" : "line");
    pd_tok_describe(t, got, sizeof(got));
    return pp_fail_at(p, t->line, t->col, "expected %s, got %s", what, got);
}

bool pp_out_of_memory(struct pd_parser *p)
{
    return pp_fail_at(p, p->lx.line, p->lx.col, "out of memory");
}

bool pp_expect_punct(struct pd_parser *p, char c, const char *what)
{
    if (!pp_at_punct(p, c))
        return pp_expected(p, what);
    pp_take(p);
    return true;
}

bool pp_uint(struct pd_parser *p, uint64_t max, uint64_t *out, const char *what)
{
    const struct pd_tok *t = pp_peek(p);
    char buf[32];
    char *end;
    unsigned long long v;

    if (t->kind != PD_T_INT)
        return pp_expected(p, what);
    if (t->len >= sizeof(buf))
        return pp_fail_at(p, t->line, t->col, "%s: %.*s is too large", what, 24, t->text);
    memcpy(buf, t->text, t->len);
    buf[t->len] = '\0';
    errno = 0;
    v = strtoull(buf, &end, 0);
    if (errno || *end || v > max)
        return pp_fail_at(p, t->line, t->col, "%s: %s is larger than %llu", what, buf,
                          (unsigned long long)max);
    *out = v;
    pp_take(p);
    return true;
}

bool pp_u32(struct pd_parser *p, uint32_t *out, const char *what)
{
    uint64_t v;

    if (!pp_uint(p, UINT32_MAX, &v, what))
        return false;
    *out = (uint32_t)v;
    return true;
}

char *pp_strdup_tok(struct pd_parser *p, const struct pd_tok *tok)
{
    char *s = pd_arena_strndup(p->arena, tok->text, tok->len);

    if (!s)
        pp_out_of_memory(p);
    return s;
}

/* ---- times --------------------------------------------------------------------------- */

/* Seconds with up to six decimals ("0", "1.5", ".100") into microseconds. */
static bool parse_seconds(struct pd_parser *p, int64_t *usecs)
{
    const struct pd_tok *t = pp_peek(p);
    int64_t whole = 0, frac = 0;
    size_t i = 0, digits = 0;

    if ((t->kind != PD_T_INT && t->kind != PD_T_DECIMAL) ||
        (t->len > 1 && (t->text[1] == 'x' || t->text[1] == 'X')))
        return pp_expected(p, "a time in seconds");
    for (; i < t->len && t->text[i] != '.'; i++) {
        if (++digits > 9)
            return pp_fail_at(p, t->line, t->col, "time %.*s is too large", t->len > 24 ? 24 : (int)t->len, t->text);
        whole = whole * 10 + (t->text[i] - '0');
    }
    if (i < t->len) {
        size_t nfrac = t->len - i - 1;

        if (nfrac > 6)
            return pp_fail_at(p, t->line, t->col,
                              "time %.*s has more than 6 decimals (packetdrill counts microseconds)",
                              t->len > 24 ? 24 : (int)t->len, t->text);
        for (i++; i < t->len; i++)
            frac = frac * 10 + (t->text[i] - '0');
        while (nfrac++ < 6)
            frac *= 10;
    }
    *usecs = whole * 1000000 + frac;
    pp_take(p);
    return true;
}

/* ['+'] SECONDS */
static bool parse_time(struct pd_parser *p, struct pd_time *time)
{
    time->kind = PD_TIME_ABS;
    if (pp_at_punct(p, '+')) {
        pp_take(p);
        time->kind = PD_TIME_REL;
    }
    return parse_seconds(p, &time->usecs);
}

/* '*' | TIME ['~' TIME] ['...' TIME] */
static bool parse_timing(struct pd_parser *p, struct pd_timing *tm)
{
    if (pp_at_punct(p, '*')) {
        pp_take(p);
        tm->start.kind = PD_TIME_ANY;
        return true;
    }
    if (!pp_at_punct(p, '+') && pp_peek(p)->kind != PD_T_INT && pp_peek(p)->kind != PD_T_DECIMAL)
        return pp_expected(p, "an event time ('0.100', '+0.1' or '*')");
    if (!parse_time(p, &tm->start))
        return false;
    if (pp_at_punct(p, '~')) {
        pp_take(p);
        tm->has_range = true;
        if (!parse_time(p, &tm->range_end))
            return false;
    }
    if (pp_peek(p)->kind == PD_T_ELLIPSIS) {
        pp_take(p);
        tm->has_block = true;
        if (!parse_time(p, &tm->block_end))
            return false;
    }
    return true;
}

/* ---- events -------------------------------------------------------------------------- */

static bool check_timing(struct pd_parser *p, const struct pd_event *ev)
{
    const struct pd_timing *tm = &ev->time;
    bool outbound = ev->kind == PD_EV_PACKET && ev->u.packet.dir == PD_DIR_OUT;

    if (tm->start.kind == PD_TIME_ANY && !outbound)
        return pp_fail_at(p, ev->line, ev->col, "time '*' is allowed on outbound ('>') packets only");
    if (tm->has_range && !outbound)
        return pp_fail_at(p, ev->line, ev->col,
                          "a time range '~' is allowed on outbound ('>') packets only");
    if (tm->has_range && tm->range_end.kind == tm->start.kind &&
        tm->range_end.usecs < tm->start.usecs)
        return pp_fail_at(p, ev->line, ev->col, "time range ends before it starts");
    if (tm->has_block && ev->kind != PD_EV_SYSCALL)
        return pp_fail_at(p, ev->line, ev->col,
                          "a blocking end '...' is allowed on system calls only");
    return true;
}

static bool parse_text_event(struct pd_parser *p, struct pd_event *ev, enum pd_event_kind kind)
{
    ev->kind = kind;
    ev->u.text = pp_strdup_tok(p, pp_peek(p));
    pp_take(p);
    return ev->u.text != NULL;
}

static bool parse_event(struct pd_parser *p, struct pd_event *ev, bool seen_timed)
{
    const struct pd_tok *t = pp_peek(p);

    ev->line = t->line;
    ev->col = t->col;
    if (t->kind == PD_T_OPTION) {
        if (seen_timed)
            return pp_fail_at(p, t->line, t->col,
                              "option line '--%.*s' must come before the first event",
                              t->len > 24 ? 24 : (int)t->len, t->text);
        ev->kind = PD_EV_OPTION;
        ev->u.option.name = pd_arena_strndup(p->arena, t->text, t->len);
        if (t->value)
            ev->u.option.value = pd_arena_strndup(p->arena, t->value, t->value_len);
        if (!ev->u.option.name || (t->value && !ev->u.option.value))
            return pp_out_of_memory(p);
        pp_take(p);
        return true;
    }
    /* upstream's untimed "init command" (`./defaults.sh` in the kernel's scripts) */
    if (t->kind == PD_T_SHELL)
        return parse_text_event(p, ev, PD_EV_SHELL);
    if (!parse_timing(p, &ev->time))
        return false;
    t = pp_peek(p);
    if (t->kind == PD_T_PUNCT && (t->punct == '<' || t->punct == '>')) {
        ev->kind = PD_EV_PACKET;
        if (!pd_parse_packet(p, &ev->u.packet))
            return false;
    } else if (t->kind == PD_T_IDENT) {
        ev->kind = PD_EV_SYSCALL;
        if (!pd_parse_syscall(p, &ev->u.sys))
            return false;
    } else if (t->kind == PD_T_SHELL) {
        if (!parse_text_event(p, ev, PD_EV_SHELL))
            return false;
    } else if (t->kind == PD_T_CODE) {
        if (!parse_text_event(p, ev, PD_EV_CODE))
            return false;
    } else {
        return pp_expected(p, "a packet ('<' or '>'), a system call, a `command` or %{ code }%");
    }
    return check_timing(p, ev);
}

struct pd_script *pd_parse_text(const char *filename, const char *text, size_t len,
                                struct pd_error *err)
{
    struct pd_parser p;
    struct pd_script *s;
    size_t cap = 0;
    bool seen_timed = false;

    memset(err, 0, sizeof(*err));
    memset(&p, 0, sizeof(p));
    p.arena = pd_arena_new();
    if (!p.arena) {
        snprintf(err->msg, sizeof(err->msg), "%s: out of memory", filename);
        return NULL;
    }
    p.err = err;
    s = pd_arena_alloc(p.arena, sizeof(*s));
    if (s)
        s->filename = pd_arena_strndup(p.arena, filename, strlen(filename));
    pd_lex_init(&p.lx, s && s->filename ? s->filename : filename, text, len, err);
    p.filename = p.lx.filename;
    if (!s || !s->filename) {
        pp_out_of_memory(&p);
        goto fail;
    }
    s->arena = p.arena;
    while (!p.failed && pp_peek(&p)->kind != PD_T_EOF) {
        struct pd_event *ev;

        if (p.failed)
            break;
        ev = pd_arena_push(p.arena, (void **)&s->events, &s->n_events, &cap, sizeof(*ev));
        if (!ev) {
            pp_out_of_memory(&p);
            break;
        }
        p.in_event = false;
        if (!parse_event(&p, ev, seen_timed))
            break;
        if (ev->time.start.kind != PD_TIME_NONE)
            seen_timed = true;
    }
    if (p.failed)
        goto fail;
    return s;
fail:
    pd_arena_free(p.arena);
    return NULL;
}

struct pd_script *pd_parse_file(const char *path, struct pd_error *err)
{
    struct pd_script *s;
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    memset(err, 0, sizeof(*err));
    if (!f) {
        snprintf(err->msg, sizeof(err->msg), "%s: %s", path, strerror(errno));
        return NULL;
    }
    do {
        if (cap - len < 4096) {
            char *grown = realloc(buf, cap ? cap * 2 : 8192);

            if (!grown) {
                snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
                goto fail;
            }
            buf = grown;
            cap = cap ? cap * 2 : 8192;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    if (ferror(f)) {
        snprintf(err->msg, sizeof(err->msg), "%s: read error", path);
        goto fail;
    }
    fclose(f);
    s = pd_parse_text(path, buf, len, err);
    free(buf);
    return s;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

void pd_script_free(struct pd_script *script)
{
    if (script)
        pd_arena_free(script->arena);
}
