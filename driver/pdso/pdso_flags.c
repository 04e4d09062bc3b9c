/* The --so_flags grammar (pdso_flags.h). */
#define _GNU_SOURCE
#include "pdso_flags.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ip_of(const char *v, uint32_t *ip)
{
    struct in_addr a;

    if (inet_pton(AF_INET, v, &a) != 1)
        return -1;
    *ip = ntohl(a.s_addr);
    return 0;
}

static int u64_of(const char *v, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long n;

    if (!*v || *v == '-' || *v == '+')
        return -1;
    errno = 0;
    n = strtoull(v, &end, 0);
    if (errno || *end || n > max)
        return -1;
    *out = n;
    return 0;
}

/* One KEY=VALUE item (the string is ours to cut). */
static int item(char *it, struct pdso_flags *f, char *err, size_t errlen)
{
    char *eq = strchr(it, '='), *key = it, *val;
    uint64_t n;

    if (!eq || eq == it) {
        snprintf(err, errlen, "so_flags: '%s' is not KEY=VALUE", it);
        return -1;
    }
    *eq = '\0';
    val = eq + 1;
    if (!strcmp(key, "backend")) {
        if (strcmp(val, "model") && strcmp(val, "rtl")) {
            snprintf(err, errlen, "so_flags: backend '%s': model or rtl", val);
            return -1;
        }
        snprintf(f->backend, sizeof(f->backend), "%s", val);
    } else if (!strcmp(key, "seed")) {
        if (u64_of(val, UINT64_MAX, &f->seed)) {
            snprintf(err, errlen, "so_flags: seed '%s': not an unsigned integer", val);
            return -1;
        }
    } else if (!strcmp(key, "local") || !strcmp(key, "remote")) {
        if (ip_of(val, key[0] == 'l' ? &f->local_ip : &f->remote_ip)) {
            snprintf(err, errlen, "so_flags: %s '%s': not an IPv4 address", key, val);
            return -1;
        }
    } else if (!strcmp(key, "prefix")) {
        if (u64_of(val, 32, &n)) {
            snprintf(err, errlen, "so_flags: prefix '%s': 0..32", val);
            return -1;
        }
        f->prefix_len = (unsigned)n;
    } else if (!strcmp(key, "pcap")) {
        if (!*val || strlen(val) >= sizeof(f->pcap)) {
            snprintf(err, errlen, "so_flags: pcap: a file name of 1..%zu characters", sizeof(f->pcap) - 1);
            return -1;
        }
        snprintf(f->pcap, sizeof(f->pcap), "%s", val);
    } else if (!strncmp(key, "sysctl.", 7) && key[7]) {
        char why[256];

        if (toe_knobs_set(&f->knobs, key + 7, val, why, sizeof(why))) {
            snprintf(err, errlen, "so_flags: %s=%s: %s", key, val, why);
            return -1;
        }
    } else {
        snprintf(err, errlen, "so_flags: unknown key '%s' (backend, seed, local, prefix, remote, pcap, "
                 "sysctl.NAME)", key);
        return -1;
    }
    return 0;
}

int pdso_flags_parse(const char *s, struct pdso_flags *f, char *err, size_t errlen)
{
    char *copy, *p, *next;
    int rc = 0;

    memset(f, 0, sizeof(*f));
    snprintf(f->backend, sizeof(f->backend), "model");
    f->local_ip = 0xC0A80001u;      /* 192.168.0.1: upstream's default --local_ip */
    f->remote_ip = 0xC0000201u;     /* 192.0.2.1: upstream's default --remote_ip */
    f->prefix_len = 16;             /* upstream's 192.168.0.0/16 */
    toe_knobs_defaults(&f->knobs);
    if (!s || !*s)
        return 0;
    copy = strdup(s);
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (p = copy; p && rc == 0; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        rc = item(p, f, err, errlen);
    }
    free(copy);
    return rc;
}
