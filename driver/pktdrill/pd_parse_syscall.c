/*
 * System-call lines: NAME(ARGS) = RESULT [ERRNO [(TEXT)]]
 * (packetdrill-syntax.md, System-call lines). Arguments are expressions:
 * '...', integers, symbolic names, strings, NAME|NAME, [arrays], {structs}
 * with name=value fields, and calls such as htons(8080). Their meaning is the
 * runner's: here they are only shaped.
 */
#include "pd_parse_int.h"

#include <string.h>

static struct pd_expr *new_expr(struct pd_parser *p, enum pd_expr_kind kind)
{
    struct pd_expr *e = pd_arena_alloc(p->arena, sizeof(*e));

    if (!e) {
        pp_out_of_memory(p);
        return NULL;
    }
    e->kind = kind;
    return e;
}

static bool add_kid(struct pd_parser *p, struct pd_expr *e, size_t *cap, struct pd_expr *kid)
{
    struct pd_expr **slot = pd_arena_push(p->arena, (void **)&e->kids, &e->n_kids, cap,
                                          sizeof(*slot));

    if (!slot)
        return pp_out_of_memory(p);
    *slot = kid;
    return true;
}

static struct pd_expr *parse_expr(struct pd_parser *p);

/* EXPR {',' EXPR} up to CLOSE (taken); an empty list is allowed. */
static bool parse_list(struct pd_parser *p, struct pd_expr *e, char close, const char *what)
{
    size_t cap = 0;

    if (pp_at_punct(p, close)) {
        pp_take(p);
        return true;
    }
    for (;;) {
        struct pd_expr *kid = parse_expr(p);

        if (!kid || !add_kid(p, e, &cap, kid))
            return false;
        if (pp_at_punct(p, close)) {
            pp_take(p);
            return true;
        }
        if (!pp_expect_punct(p, ',', what))
            return false;
    }
}

static struct pd_expr *parse_int(struct pd_parser *p, bool negative)
{
    struct pd_expr *e;
    uint64_t v;

    /* INT64_MIN's magnitude is one more than INT64_MAX */
    if (!pp_uint(p, negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &v, "an integer"))
        return NULL;
    e = new_expr(p, PD_EX_INT);
    if (e)
        e->ival = negative ? (int64_t)(0 - v) : (int64_t)v;
    return e;
}

static struct pd_expr *parse_primary(struct pd_parser *p)
{
    const struct pd_tok *t = pp_peek(p);
    struct pd_expr *e;

    if (p->failed)
        return NULL;
    switch (t->kind) {
    case PD_T_ELLIPSIS:
        pp_take(p);
        return new_expr(p, PD_EX_ELLIPSIS);
    case PD_T_INT:
        return parse_int(p, false);
    case PD_T_STRING:
    case PD_T_IDENT:
        e = new_expr(p, t->kind == PD_T_STRING ? PD_EX_STRING : PD_EX_NAME);
        if (!e || !(e->name = pp_strdup_tok(p, t)))
            return NULL;
        pp_take(p);
        if (e->kind == PD_EX_NAME && pp_at_punct(p, '(')) {
            pp_take(p);
            e->kind = PD_EX_CALL;
            if (!parse_list(p, e, ')', "',' or ')' in the call's arguments"))
                return NULL;
        }
        return e;
    case PD_T_PUNCT:
        if (t->punct == '-') {
            pp_take(p);
            if (pp_peek(p)->kind != PD_T_INT) {
                pp_expected(p, "an integer after '-'");
                return NULL;
            }
            return parse_int(p, true);
        }
        if (t->punct == '[' || t->punct == '{') {
            bool array = t->punct == '[';

            pp_take(p);
            e = new_expr(p, array ? PD_EX_ARRAY : PD_EX_STRUCT);
            if (!e || !parse_list(p, e, array ? ']' : '}',
                                  array ? "',' or ']' in the array" : "',' or '}' in the struct"))
                return NULL;
            return e;
        }
        break;
    default:
        break;
    }
    pp_expected(p, "an argument (a number, a name, '...', [array] or {struct})");
    return NULL;
}

/* PRIMARY {'|' PRIMARY}, and NAME '=' EXPR for a struct's fields */
static struct pd_expr *parse_expr(struct pd_parser *p)
{
    struct pd_expr *e;

    if (++p->depth > PD_MAX_DEPTH) {
        const struct pd_tok *t = pp_peek(p);

        pp_fail_at(p, t->line, t->col, "arguments nested deeper than %d levels", PD_MAX_DEPTH);
        return NULL;
    }
    e = parse_primary(p);
    if (e && (e->kind == PD_EX_NAME || e->kind == PD_EX_CALL) && pp_at_punct(p, '=')) {
        struct pd_expr *field = new_expr(p, PD_EX_FIELD), *value;
        size_t cap = 0, i;

        pp_take(p);
        value = parse_expr(p);
        if (!field || !value || !add_kid(p, field, &cap, value))
            return NULL;
        field->name = e->name;
        field->call_form = e->kind == PD_EX_CALL;
        for (i = 0; i < e->n_kids; i++)
            if (!add_kid(p, field, &cap, e->kids[i]))
                return NULL;
        e = field;
    }
    while (e && e->kind != PD_EX_FIELD && pp_at_punct(p, '|')) {
        struct pd_expr *or = new_expr(p, PD_EX_OR), *rhs;
        size_t cap = 0;

        pp_take(p);
        if (!or || !add_kid(p, or, &cap, e))
            return NULL;
        rhs = parse_primary(p);
        if (!rhs || !add_kid(p, or, &cap, rhs))
            return NULL;
        e = or;
    }
    p->depth--;
    return e;
}

static bool is_errno_name(const struct pd_tok *t)
{
    size_t i;

    if (t->len < 2 || t->text[0] != 'E')
        return false;
    for (i = 1; i < t->len; i++)
        if (!((t->text[i] >= 'A' && t->text[i] <= 'Z') || (t->text[i] >= '0' && t->text[i] <= '9')))
            return false;
    return true;
}

static bool parse_result(struct pd_parser *p, struct pd_syscall *sys)
{
    const struct pd_tok *t;
    struct pd_tok text;
    struct pd_expr *r;
    int line, col;

    if (!pp_expect_punct(p, '=', "'=' and the expected result"))
        return false;
    t = pp_peek(p);
    if (t->kind != PD_T_INT && !(t->kind == PD_T_PUNCT && t->punct == '-'))
        return pp_expected(p, "the expected result (an integer)");
    r = parse_primary(p);
    if (!r)
        return false;
    sys->result = r->ival;
    t = pp_peek(p);
    /* nothing else can start an event, so a name here is the errno */
    if (t->kind != PD_T_IDENT || t->bol)
        return !p->failed;
    if (!is_errno_name(t))
        return pp_expected(p, "an errno name (EINPROGRESS) or the next event");
    line = t->line;
    col = t->col;
    if (sys->result != -1)
        return pp_fail_at(p, line, col, "errno %.*s goes with the result -1, not %lld",
                          (int)t->len, t->text, (long long)sys->result);
    if (!(sys->errno_name = pp_strdup_tok(p, t)))
        return false;
    pp_take(p);
    switch (pd_lex_paren_text(&p->lx, &text)) {
    case PD_T_ERROR:
        p->failed = true;
        return false;
    case PD_T_PAREN_TEXT:
        pp_took_raw(p, &text);
        sys->errno_text = pp_strdup_tok(p, &text);
        return sys->errno_text != NULL;
    default:
        return true;
    }
}

bool pd_parse_syscall(struct pd_parser *p, struct pd_syscall *sys)
{
    struct pd_expr call = { .kind = PD_EX_CALL };

    if (!(sys->name = pp_strdup_tok(p, pp_peek(p))))
        return false;
    pp_take(p);
    if (!pp_expect_punct(p, '(', "'(' and the system call's arguments") ||
        !parse_list(p, &call, ')', "',' or ')' in the system call's arguments"))
        return false;
    sys->args = call.kids;
    sys->n_args = call.n_kids;
    return parse_result(p, sys);
}
