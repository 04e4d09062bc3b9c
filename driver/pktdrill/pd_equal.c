/*
 * Whether two events mean the same (pd_ast.h): every field that the script
 * states, none of the positions. The round-trip tests (parse, print, parse)
 * rest on this, so it compares everything the printer writes.
 */
#include "pd_ast.h"

#include <string.h>

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool time_eq(const struct pd_time *a, const struct pd_time *b)
{
    return a->kind == b->kind && a->usecs == b->usecs;
}

static bool timing_eq(const struct pd_timing *a, const struct pd_timing *b)
{
    return time_eq(&a->start, &b->start) && a->has_range == b->has_range &&
           (!a->has_range || time_eq(&a->range_end, &b->range_end)) &&
           a->has_block == b->has_block && (!a->has_block || time_eq(&a->block_end, &b->block_end));
}

static bool opt_eq(const struct pd_tcp_opt *a, const struct pd_tcp_opt *b)
{
    unsigned i;

    if (a->kind != b->kind || a->value != b->value || a->ecr != b->ecr || a->n_blocks != b->n_blocks)
        return false;
    for (i = 0; i < a->n_blocks && i < PD_SACK_MAX_BLOCKS; i++)
        if (a->block[i][0] != b->block[i][0] || a->block[i][1] != b->block[i][1])
            return false;
    return true;
}

static bool packet_eq(const struct pd_packet *a, const struct pd_packet *b)
{
    size_t i;

    if (a->dir != b->dir || a->ecn != b->ecn || a->flags != b->flags || a->seq_start != b->seq_start ||
        a->seq_end != b->seq_end || a->len != b->len || a->has_ack != b->has_ack ||
        (a->has_ack && a->ack != b->ack) || a->has_win != b->has_win ||
        (a->has_win && a->win != b->win) || a->has_urg != b->has_urg ||
        (a->has_urg && a->urg != b->urg) || a->opts_mode != b->opts_mode || a->n_opts != b->n_opts)
        return false;
    for (i = 0; i < a->n_opts; i++)
        if (!opt_eq(&a->opts[i], &b->opts[i]))
            return false;
    return true;
}

static bool expr_eq(const struct pd_expr *a, const struct pd_expr *b)
{
    size_t i;

    if (a->kind != b->kind || a->ival != b->ival || !str_eq(a->name, b->name) ||
        a->call_form != b->call_form || a->n_kids != b->n_kids)
        return false;
    for (i = 0; i < a->n_kids; i++)
        if (!expr_eq(a->kids[i], b->kids[i]))
            return false;
    return true;
}

static bool syscall_eq(const struct pd_syscall *a, const struct pd_syscall *b)
{
    size_t i;

    if (!str_eq(a->name, b->name) || a->n_args != b->n_args || a->result != b->result ||
        !str_eq(a->errno_name, b->errno_name) || !str_eq(a->errno_text, b->errno_text))
        return false;
    for (i = 0; i < a->n_args; i++)
        if (!expr_eq(a->args[i], b->args[i]))
            return false;
    return true;
}

bool pd_event_equal(const struct pd_event *a, const struct pd_event *b)
{
    if (a->kind != b->kind || !timing_eq(&a->time, &b->time))
        return false;
    switch (a->kind) {
    case PD_EV_OPTION:
        return str_eq(a->u.option.name, b->u.option.name) &&
               str_eq(a->u.option.value, b->u.option.value);
    case PD_EV_PACKET:
        return packet_eq(&a->u.packet, &b->u.packet);
    case PD_EV_SYSCALL:
        return syscall_eq(&a->u.sys, &b->u.sys);
    case PD_EV_SHELL:
    case PD_EV_CODE:
        return str_eq(a->u.text, b->u.text);
    }
    return false;
}
