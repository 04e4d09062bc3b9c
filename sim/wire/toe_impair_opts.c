/*
 * Impairment settings as people write them (docs/wire.md): times with a unit,
 * probabilities or percentages, rates with k/M/G, netem's gemodel. Shared by
 * toe-impair-demo and toe-sim's cable options.
 */
#define _DEFAULT_SOURCE
#include "toe_impair_opts.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A number and what follows it; fails on no number, a negative or a non-finite one. */
static int number(const char *s, double *x, const char **rest)
{
    char *end;

    errno = 0;
    *x = strtod(s, &end);
    if (end == s || errno || !isfinite(*x) || *x < 0)
        return -1;
    *rest = end;
    return 0;
}

int toe_parse_time(const char *s, uint64_t *ps)
{
    static const struct { const char *unit; double ps; } units[] = {
        {"ps", 1}, {"ns", 1e3}, {"us", 1e6}, {"ms", 1e9}, {"s", 1e12}};
    const char *rest;
    double x;

    if (number(s, &x, &rest))
        return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(rest, units[i].unit) == 0 && x * units[i].ps < 1.8e19) {
            *ps = (uint64_t)llround(x * units[i].ps);
            return 0;
        }
    }
    return -1;
}

int toe_parse_prob(const char *s, double *p)
{
    const char *rest;

    if (number(s, p, &rest))
        return -1;
    if (strcmp(rest, "%") == 0)
        *p /= 100;
    else if (*rest)
        return -1;
    return 0;
}

int toe_parse_rate(const char *s, uint64_t *bps)
{
    const char *rest;
    double x, scale = 1;

    if (number(s, &x, &rest))
        return -1;
    if (strcmp(rest, "k") == 0)
        scale = 1e3;
    else if (strcmp(rest, "M") == 0)
        scale = 1e6;
    else if (strcmp(rest, "G") == 0)
        scale = 1e9;
    else if (*rest)
        return -1;
    if (x * scale >= 1.8e19)
        return -1;
    *bps = (uint64_t)llround(x * scale);
    return 0;
}

int toe_parse_u32(const char *s, uint32_t *v)
{
    char *end;
    unsigned long long x;

    errno = 0;
    x = strtoull(s, &end, 0);
    if (end == s || *end || errno || x > UINT32_MAX || *s == '-')
        return -1;
    *v = (uint32_t)x;
    return 0;
}

static int parse_gemodel(const char *s, struct toe_impair_cfg *cfg)
{
    double *field[] = {&cfg->ge_p, &cfg->ge_r, &cfg->ge_loss_bad, &cfg->ge_loss_good};
    char buf[128], *tok, *save = NULL;
    int n = 0;

    if (strlen(s) >= sizeof(buf))
        return -1;
    strcpy(buf, s);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (n == 4 || toe_parse_prob(tok, field[n++]))
            return -1;
    }
    cfg->loss_model = TOE_IMPAIR_LOSS_GE;
    return n == 4 ? 0 : -1;
}

int toe_impair_set(struct toe_impair_cfg *cfg, const char *key, const char *v)
{
    if (!strcmp(key, "delay")) return toe_parse_time(v, &cfg->delay_ps);
    if (!strcmp(key, "jitter")) return toe_parse_time(v, &cfg->jitter_ps);
    if (!strcmp(key, "loss")) return toe_parse_prob(v, &cfg->loss);
    if (!strcmp(key, "gemodel")) return parse_gemodel(v, cfg);
    if (!strcmp(key, "duplicate")) return toe_parse_prob(v, &cfg->duplicate);
    if (!strcmp(key, "corrupt")) return toe_parse_prob(v, &cfg->corrupt);
    if (!strcmp(key, "reorder")) return toe_parse_prob(v, &cfg->reorder);
    if (!strcmp(key, "gap")) return toe_parse_u32(v, &cfg->reorder_gap);
    if (!strcmp(key, "rate")) return toe_parse_rate(v, &cfg->rate_bps);
    if (!strcmp(key, "overhead")) return toe_parse_u32(v, &cfg->overhead_bytes);
    if (!strcmp(key, "min-frame")) return toe_parse_u32(v, &cfg->min_frame_bytes);
    if (!strcmp(key, "limit")) return toe_parse_u32(v, &cfg->limit);
    return 1;
}
