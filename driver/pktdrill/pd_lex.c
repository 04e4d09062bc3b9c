/*
 * The tokens of a packetdrill script (pd_lex.h). Upstream's lexer.l is the
 * reference for what a token is; this one is hand-written so that the
 * project needs no flex, and it never reads past the buffer it was given:
 * every look at a character goes through peek(), which checks the length.
 */
#include "pd_lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void pd_lex_init(struct pd_lex *lx, const char *filename, const char *src, size_t len,
                 struct pd_error *err)
{
    memset(lx, 0, sizeof(*lx));
    lx->filename = filename;
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->col = 1;
    lx->at_bol = true;
    lx->err = err;
}

void pd_error_set(struct pd_error *err, const char *filename, int line, int col,
                  const char *fmt, ...)
{
    va_list ap;
    int n;

    err->line = line;
    err->col = col;
    n = snprintf(err->msg, sizeof(err->msg), "%s:%d:%d: ", filename, line, col);
    if (n < 0 || (size_t)n >= sizeof(err->msg))
        return;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
    va_end(ap);
}

static int peek(const struct pd_lex *lx, size_t ahead)
{
    return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

static void advance(struct pd_lex *lx)
{
    if (lx->pos >= lx->len)
        return;
    if (lx->src[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
        lx->at_bol = true;
    } else {
        lx->col++;
    }
    lx->pos++;
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static bool is_blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static enum pd_tok_kind lex_fail(struct pd_lex *lx, struct pd_tok *tok, int line, int col,
                                 const char *what)
{
    pd_error_set(lx->err, lx->filename, line, col, "%s", what);
    tok->kind = PD_T_ERROR;
    return PD_T_ERROR;
}

/* Whitespace, newlines and both kinds of comment; 0, or -1 for an open comment. */
static int skip_space(struct pd_lex *lx, struct pd_tok *tok)
{
    for (;;) {
        int c = peek(lx, 0);

        if (c == '\n' || is_blank(c)) {
            advance(lx);
        } else if (c == '/' && peek(lx, 1) == '/') {
            while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
                advance(lx);
        } else if (c == '/' && peek(lx, 1) == '*') {
            int line = lx->line, col = lx->col;

            advance(lx);
            advance(lx);
            while (!(peek(lx, 0) == '*' && peek(lx, 1) == '/')) {
                if (peek(lx, 0) == -1) {
                    lex_fail(lx, tok, line, col, "comment '/*' is never closed by '*/'");
                    return -1;
                }
                advance(lx);
            }
            advance(lx);
            advance(lx);
        } else {
            return 0;
        }
    }
}

/* Text up to the closing delimiter CLOSE (one or two characters), which is consumed. */
static enum pd_tok_kind lex_delimited(struct pd_lex *lx, struct pd_tok *tok, const char *close,
                                      bool one_line, const char *what)
{
    size_t start = lx->pos, clen = strlen(close);

    for (;;) {
        int c = peek(lx, 0);

        if (c == -1 || (one_line && c == '\n'))
            return lex_fail(lx, tok, tok->line, tok->col, what);
        if (c == close[0] && (clen == 1 || peek(lx, 1) == close[1]))
            break;
        if (c == '\0')
            return lex_fail(lx, tok, lx->line, lx->col, "NUL byte in the script");
        advance(lx);
    }
    tok->text = lx->src + start;
    tok->len = lx->pos - start;
    while (clen--)
        advance(lx);
    return tok->kind;
}

/* "--name=value": the value runs to the end of the line, trailing blanks cut. */
static enum pd_tok_kind lex_option(struct pd_lex *lx, struct pd_tok *tok)
{
    size_t start, end;

    advance(lx);
    advance(lx);
    start = lx->pos;
    while (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0)) || peek(lx, 0) == '-')
        advance(lx);
    tok->kind = PD_T_OPTION;
    tok->text = lx->src + start;
    tok->len = lx->pos - start;
    if (tok->len == 0)
        return lex_fail(lx, tok, tok->line, tok->col, "expected an option name after '--'");
    if (peek(lx, 0) == '=') {
        advance(lx);
        start = lx->pos;
        /* A value may hold blanks (--so_flags), but " //" starts a comment. */
        while (peek(lx, 0) != -1 && peek(lx, 0) != '\n' &&
               !(lx->pos > start && is_blank((unsigned char)lx->src[lx->pos - 1]) &&
                 peek(lx, 0) == '/' && peek(lx, 1) == '/')) {
            if (peek(lx, 0) == '\0')
                return lex_fail(lx, tok, lx->line, lx->col, "NUL byte in the script");
            advance(lx);
        }
        end = lx->pos;
        while (end > start && is_blank((unsigned char)lx->src[end - 1]))
            end--;
        tok->value = lx->src + start;
        tok->value_len = end - start;
    } else if (peek(lx, 0) != -1 && peek(lx, 0) != '\n' && !is_blank(peek(lx, 0))) {
        return lex_fail(lx, tok, lx->line, lx->col,
                        "expected '=' or the end of the line after the option name");
    }
    return PD_T_OPTION;
}

static enum pd_tok_kind lex_number(struct pd_lex *lx, struct pd_tok *tok)
{
    size_t start = lx->pos;

    tok->kind = PD_T_INT;
    if (peek(lx, 0) == '0' && (peek(lx, 1) == 'x' || peek(lx, 1) == 'X') && is_hex(peek(lx, 2))) {
        advance(lx);
        advance(lx);
        while (is_hex(peek(lx, 0)))
            advance(lx);
    } else {
        while (is_digit(peek(lx, 0)))
            advance(lx);
        /* "0...0.1" is a time, an ellipsis and a time: a '.' starting "..." is not ours */
        if (peek(lx, 0) == '.' && !(peek(lx, 1) == '.' && peek(lx, 2) == '.')) {
            tok->kind = PD_T_DECIMAL;
            advance(lx);
            while (is_digit(peek(lx, 0)))
                advance(lx);
        }
    }
    if (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0)))
        return lex_fail(lx, tok, lx->line, lx->col, "a number runs into letters");
    tok->text = lx->src + start;
    tok->len = lx->pos - start;
    return tok->kind;
}

enum pd_tok_kind pd_lex_next(struct pd_lex *lx, struct pd_tok *tok)
{
    int c;

    memset(tok, 0, sizeof(*tok));
    if (skip_space(lx, tok) < 0)
        return PD_T_ERROR;
    tok->line = lx->line;
    tok->col = lx->col;
    tok->bol = lx->at_bol;
    lx->at_bol = false;
    c = peek(lx, 0);
    if (c == -1) {
        tok->kind = PD_T_EOF;
        return PD_T_EOF;
    }
    if (is_digit(c) || (c == '.' && is_digit(peek(lx, 1)))) {
        lex_number(lx, tok);
    } else if (is_alpha(c)) {
        size_t start = lx->pos;

        while (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0)))
            advance(lx);
        tok->kind = PD_T_IDENT;
        tok->text = lx->src + start;
        tok->len = lx->pos - start;
    } else if (c == '.' && peek(lx, 1) == '.' && peek(lx, 2) == '.') {
        tok->kind = PD_T_ELLIPSIS;
        tok->text = lx->src + lx->pos;
        tok->len = 3;
        advance(lx);
        advance(lx);
        advance(lx);
    } else if (c == '-' && peek(lx, 1) == '-') {
        lex_option(lx, tok);
    } else if (c == '`') {
        tok->kind = PD_T_SHELL;
        advance(lx);
        lex_delimited(lx, tok, "`", false, "shell command '`' is never closed");
    } else if (c == '%' && peek(lx, 1) == '{') {
        tok->kind = PD_T_CODE;
        advance(lx);
        advance(lx);
        lex_delimited(lx, tok, "}%", false, "code block '%{' is never closed by '}%'");
    } else if (c == '"') {
        tok->kind = PD_T_STRING;
        advance(lx);
        lex_delimited(lx, tok, "\"", true, "string is not closed on its line");
    } else if (strchr("+-~*<>()[]{},=|:.", c) && c != '\0') {
        tok->kind = PD_T_PUNCT;
        tok->punct = (char)c;
        tok->text = lx->src + lx->pos;
        tok->len = 1;
        advance(lx);
    } else {
        char what[64];

        if (c >= 0x21 && c < 0x7f)
            snprintf(what, sizeof(what), "unexpected character '%c'", c);
        else
            snprintf(what, sizeof(what), "unexpected byte 0x%02x", (unsigned)c);
        return lex_fail(lx, tok, tok->line, tok->col, what);
    }
    tok->end_line = lx->line;
    tok->end_col = lx->col;
    return tok->kind;
}

static void skip_blanks(struct pd_lex *lx)
{
    while (is_blank(peek(lx, 0)))
        advance(lx);
}

enum pd_tok_kind pd_lex_word(struct pd_lex *lx, struct pd_tok *tok)
{
    size_t start;

    memset(tok, 0, sizeof(*tok));
    skip_blanks(lx);
    tok->line = lx->line;
    tok->col = lx->col;
    start = lx->pos;
    /* a comment may follow the word without a blank: "S.// SYN-ACK" */
    while (peek(lx, 0) > 0x20 && peek(lx, 0) < 0x7f &&
           !(peek(lx, 0) == '/' && (peek(lx, 1) == '/' || peek(lx, 1) == '*')))
        advance(lx);
    tok->text = lx->src + start;
    tok->len = lx->pos - start;
    tok->kind = tok->len ? PD_T_WORD : PD_T_NONE;
    if (tok->len)
        lx->at_bol = false;
    tok->end_line = lx->line;
    tok->end_col = lx->col;
    return tok->kind;
}

enum pd_tok_kind pd_lex_paren_text(struct pd_lex *lx, struct pd_tok *tok)
{
    memset(tok, 0, sizeof(*tok));
    /* no event starts with '(', so the text may follow comments and line breaks */
    if (skip_space(lx, tok) < 0)
        return PD_T_ERROR;
    tok->line = lx->line;
    tok->col = lx->col;
    if (peek(lx, 0) != '(') {
        tok->kind = PD_T_NONE;
        return PD_T_NONE;
    }
    advance(lx);
    tok->kind = PD_T_PAREN_TEXT;
    if (lex_delimited(lx, tok, ")", true, "errno text '(' is not closed on its line") == PD_T_ERROR)
        return PD_T_ERROR;
    lx->at_bol = false;
    tok->end_line = lx->line;
    tok->end_col = lx->col;
    return PD_T_PAREN_TEXT;
}

void pd_tok_describe(const struct pd_tok *tok, char *buf, size_t size)
{
    switch (tok->kind) {
    case PD_T_EOF:
        snprintf(buf, size, "end of file");
        break;
    case PD_T_STRING:
        snprintf(buf, size, "string \"%.*s\"", tok->len > 24 ? 24 : (int)tok->len, tok->text);
        break;
    case PD_T_OPTION:
        snprintf(buf, size, "option line '--%.*s'", tok->len > 24 ? 24 : (int)tok->len, tok->text);
        break;
    case PD_T_SHELL:
        snprintf(buf, size, "shell command");
        break;
    case PD_T_CODE:
        snprintf(buf, size, "code block");
        break;
    case PD_T_NONE:
        snprintf(buf, size, "nothing");
        break;
    default:
        snprintf(buf, size, "'%.*s'", tok->len > 24 ? 24 : (int)tok->len, tok->text);
        break;
    }
}
