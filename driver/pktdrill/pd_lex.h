/*
 * The script's tokens. The parser drives the lexer one token at a time, and
 * asks for the two context-dependent pieces itself: a packet's flag word
 * ("S.", "FP.") right after its direction, and an errno's "(text)" right after
 * its name. Everything else (comments, whitespace, newlines) is skipped here:
 * packetdrill's grammar, not its line breaks, ends an event.
 */
#ifndef PD_LEX_H
#define PD_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "pd_ast.h"

enum pd_tok_kind {
    PD_T_NONE,        /* the optional piece asked for is not there */
    PD_T_ERROR,       /* the lexer has filled the error */
    PD_T_EOF,
    PD_T_INT,         /* 42, 0x2a */
    PD_T_DECIMAL,     /* 0.100, .1, 2. */
    PD_T_IDENT,       /* [A-Za-z_][A-Za-z0-9_]* */
    PD_T_STRING,      /* "...": text without the quotes, no escapes */
    PD_T_ELLIPSIS,    /* ... */
    PD_T_OPTION,      /* --name=value to the end of the line */
    PD_T_SHELL,       /* `...` */
    PD_T_CODE,        /* %{ ... }% */
    PD_T_PUNCT,       /* one character: + - ~ * < > ( ) [ ] { } , = | : */
    PD_T_WORD,        /* pd_lex_word(): a run of non-blank characters */
    PD_T_PAREN_TEXT,  /* pd_lex_paren_text(): text between ( and ) */
};

struct pd_tok {
    enum pd_tok_kind kind;
    char punct;               /* PD_T_PUNCT */
    const char *text;         /* the token's characters (inner text for strings etc.) */
    size_t len;
    const char *value;        /* PD_T_OPTION: after '=', or NULL */
    size_t value_len;
    int line, col;            /* where it starts */
    int end_line, end_col;    /* just after it */
    bool bol;                 /* first token on its line */
};

struct pd_lex {
    const char *filename;
    const char *src;
    size_t len, pos;
    int line, col;
    bool at_bol;
    struct pd_error *err;
};

void pd_lex_init(struct pd_lex *lx, const char *filename, const char *src, size_t len,
                 struct pd_error *err);

/* The next token; PD_T_ERROR with lx->err filled on a lexical error. */
enum pd_tok_kind pd_lex_next(struct pd_lex *lx, struct pd_tok *tok);

/* Blanks, then the run of non-blank characters on this line (PD_T_NONE if none). */
enum pd_tok_kind pd_lex_word(struct pd_lex *lx, struct pd_tok *tok);

/* Whitespace and comments, then "(text)" on one line, or PD_T_NONE when no '(' follows. */
enum pd_tok_kind pd_lex_paren_text(struct pd_lex *lx, struct pd_tok *tok);

/* "FILE:LINE:COL: " followed by the formatted message, into *ERR. */
void pd_error_set(struct pd_error *err, const char *filename, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The token as an error message names it: 'win', end of file, a string... */
void pd_tok_describe(const struct pd_tok *tok, char *buf, size_t size);

#endif /* PD_LEX_H */
