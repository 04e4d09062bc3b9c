/*
 * Shared by the parser's three files: pd_parse.c (the script, its events and
 * their times), pd_parse_packet.c (packet lines), pd_parse_syscall.c (system
 * calls and their arguments). Recursive descent with one token of lookahead,
 * fetched lazily so that the packet and errno pieces can be read raw.
 */
#ifndef PD_PARSE_INT_H
#define PD_PARSE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "pd_arena.h"
#include "pd_ast.h"
#include "pd_lex.h"

/* Deeper nesting than any script needs; it keeps hostile input off the C stack. */
#define PD_MAX_DEPTH 32

struct pd_parser {
    struct pd_lex lx;
    struct pd_tok tok;        /* the lookahead, valid when have_tok */
    bool have_tok;
    bool in_event;            /* past an event's first token: a new line is "end of line" */
    int end_line, end_col;    /* just after the last token taken */
    bool failed;              /* err is filled; every caller unwinds */
    int depth;
    struct pd_arena *arena;
    struct pd_error *err;
    const char *filename;
};

/* The lookahead token (lexing it if needed); PD_T_ERROR sets failed. */
const struct pd_tok *pp_peek(struct pd_parser *p);
void pp_take(struct pd_parser *p);
/* A token read raw (flags, errno text) was taken: errors after it point past it. */
void pp_took_raw(struct pd_parser *p, const struct pd_tok *tok);
bool pp_at_punct(struct pd_parser *p, char c);
bool pp_at_ident(struct pd_parser *p, const char *word);

/* "expected WHAT, got <the lookahead>"; returns false for "return pp_expected(...)". */
bool pp_expected(struct pd_parser *p, const char *what);
/* An error at LINE:COL with a message of its own; returns false. */
bool pp_fail_at(struct pd_parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool pp_out_of_memory(struct pd_parser *p);

/* Take punctuation C or report "expected WHAT". */
bool pp_expect_punct(struct pd_parser *p, char c, const char *what);
/* An unsigned integer token no larger than MAX; WHAT names it in errors. */
bool pp_uint(struct pd_parser *p, uint64_t max, uint64_t *out, const char *what);
bool pp_u32(struct pd_parser *p, uint32_t *out, const char *what);

char *pp_strdup_tok(struct pd_parser *p, const struct pd_tok *tok);

/* The action after the event's time; the direction / name is the lookahead. */
bool pd_parse_packet(struct pd_parser *p, struct pd_packet *pkt);
bool pd_parse_syscall(struct pd_parser *p, struct pd_syscall *sys);

#endif /* PD_PARSE_INT_H */
