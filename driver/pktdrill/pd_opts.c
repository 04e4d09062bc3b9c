/*
 * toe-packetdrill's options (the command line and the script's option lines
 * take the same names), upstream's timing tolerance, and the sysctl shell
 * lines a script may start with (applied as knobs before the TOE starts).
 */
#include "pd_run.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pd_run_opts_init(struct pd_run_opts *o)
{
    memset(o, 0, sizeof(*o));
    strcpy(o->backend, "model");
    o->tolerance_usecs = PD_DEFAULT_TOLERANCE_USECS;
    o->tolerance_percent = PD_DEFAULT_TOLERANCE_PERCENT;
    toe_knobs_defaults(&o->knobs);
}

static int bad(char *why, size_t n, const char *name, const char *value, const char *what)
{
    if (why && n)
        snprintf(why, n, "--%s%s%s: %s", name, value ? "=" : "", value ? value : "", what);
    return -1;
}

static bool parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    long long v;

    if (!s || !*s)
        return false;
    errno = 0;
    v = strtoll(s, &end, 0);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int pd_run_opt_set(struct pd_run_opts *o, const char *name, const char *value, char *why, size_t n)
{
    int64_t v;

    if (!strcmp(name, "verbose")) {
        if (value)
            return bad(why, n, name, value, "takes no value");
        o->verbose = true;
        return 0;
    }
    if (!value)
        return bad(why, n, name, value, strcmp(name, "backend") && strcmp(name, "tolerance_usecs") &&
                   strcmp(name, "tolerance_percent") && strcmp(name, "seed") && strcmp(name, "pcap") &&
                   strcmp(name, "knob") ? "unknown option" : "needs a value (--name=value)");
    if (!strcmp(name, "backend")) {
        if (strcmp(value, "model") && strcmp(value, "rtl"))
            return bad(why, n, name, value, "the backend is model or rtl");
        snprintf(o->backend, sizeof(o->backend), "%s", value);
        return 0;
    }
    if (!strcmp(name, "tolerance_usecs")) {
        if (!parse_i64(value, 0, 1000000000, &v))
            return bad(why, n, name, value, "microseconds, 0..1000000000");
        o->tolerance_usecs = v;
        return 0;
    }
    if (!strcmp(name, "tolerance_percent")) {
        char *end;
        double p;

        errno = 0;
        p = strtod(value, &end);
        if (errno || end == value || *end || !(p >= 0 && p <= 100))
            return bad(why, n, name, value, "a percentage, 0..100");
        o->tolerance_percent = p;
        return 0;
    }
    if (!strcmp(name, "seed")) {
        char *end;
        unsigned long long s;

        errno = 0;
        s = strtoull(value, &end, 0);
        if (errno || end == value || *end || value[0] == '-')
            return bad(why, n, name, value, "an unsigned integer");
        o->seed = s;
        return 0;
    }
    if (!strcmp(name, "pcap")) {
        if (!*value || strlen(value) >= sizeof(o->pcap))
            return bad(why, n, name, value, "a file name");
        snprintf(o->pcap, sizeof(o->pcap), "%s", value);
        return 0;
    }
    if (!strcmp(name, "knob")) {
        char err[256];

        if (toe_knobs_assign(&o->knobs, value, err, sizeof(err)))
            return bad(why, n, name, value, err);
        return 0;
    }
    return bad(why, n, name, value, "unknown option");
}

/*
 * run.c verify_time(): tolerance = tolerance_usecs, raised to tolerance_percent
 * of (this event's script time - the previous event's) when that is larger.
 */
int64_t pd_tolerance_usecs(const struct pd_run_opts *o, int64_t script_usecs, int64_t last_usecs)
{
    int64_t tol = o->tolerance_usecs;

    if (last_usecs >= 0) {
        int64_t dyn = (int64_t)(o->tolerance_percent / 100.0 * (double)(script_usecs - last_usecs));

        if (dyn > tol)
            tol = dyn;
    }
    return tol;
}

/* The next blank-separated word of *P into W (quotes removed), or 0 at the end; -1 bad. */
static int word(const char **p, char *w, size_t cap)
{
    const char *s = *p;
    size_t len = 0;
    char q = 0;

    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return 0;
    for (; *s && (q || (*s != ' ' && *s != '\t')); s++) {
        if (q && *s == q) {
            q = 0;
            continue;
        }
        if (!q && (*s == '"' || *s == '\'')) {
            q = *s;
            continue;
        }
        if (!q && strchr(";|&$<>`\\()", *s))
            return -1;
        if (len + 1 >= cap)
            return -1;
        w[len++] = *s;
    }
    if (q)
        return -1;
    w[len] = '\0';
    *p = s;
    return 1;
}

int pd_sysctl_parse(const char *cmd, struct pd_sysctl *out, char *why, size_t n)
{
    const char *p = cmd;
    char w[200];
    int r;

    memset(out, 0, sizeof(*out));
    r = word(&p, w, sizeof(w));
    if (r <= 0 || strcmp(w, "sysctl"))
        return 0;
    while ((r = word(&p, w, sizeof(w))) > 0) {
        char *eq;

        if (w[0] == '-') {
            if (!strcmp(w, "-q") || !strcmp(w, "-w") || !strcmp(w, "-qw") || !strcmp(w, "-wq"))
                continue;
            if (why && n)
                snprintf(why, n, "sysctl flag '%s' is not supported (only -q and -w)", w);
            return -1;
        }
        eq = strchr(w, '=');
        if (!eq || eq == w) {
            if (why && n)
                snprintf(why, n, "sysctl '%s' is not an assignment name=value", w);
            return -1;
        }
        if (out->n == PD_SYSCTL_MAX || (size_t)(eq - w) >= sizeof(out->name[0]) ||
            strlen(eq + 1) >= sizeof(out->value[0])) {
            if (why && n)
                snprintf(why, n, "sysctl line too long");
            return -1;
        }
        memcpy(out->name[out->n], w, (size_t)(eq - w));
        out->name[out->n][eq - w] = '\0';
        strcpy(out->value[out->n], eq + 1);
        out->n++;
    }
    if (r < 0) {
        if (why && n)
            snprintf(why, n, "sysctl line with shell syntax or unbalanced quotes");
        return -1;
    }
    if (!out->n) {
        if (why && n)
            snprintf(why, n, "sysctl line without an assignment");
        return -1;
    }
    return 1;
}
