/*
 * toe-packetdrill SCRIPT...: run packetdrill scripts against the embedded TOE
 * (docs/packetdrill.md, "Running scripts: toe-packetdrill").
 *
 *     toe-packetdrill [--backend=model|rtl] [--tolerance_usecs=N] [--tolerance_percent=P]
 *                     [--seed=N] [--pcap=FILE] [--verbose] [--knob name=value]... SCRIPT...
 *
 * One line per script: "ok SCRIPT" or "FAIL SCRIPT:LINE: reason". Exit 0 when
 * every script passed, 1 when one failed, 2 on a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "pd_exec.h"

static void usage(void)
{
    fprintf(stderr, "usage: toe-packetdrill [--backend=model|rtl] [--tolerance_usecs=N] "
            "[--tolerance_percent=P] [--seed=N] [--pcap=FILE] [--verbose] "
            "[--knob net.ipv4.NAME=VALUE]... SCRIPT...\n");
}

int main(int argc, char **argv)
{
    struct pd_run_opts o;
    const char *scripts[1024];
    int n = 0, i, failed = 0;

    pd_run_opts_init(&o);
    for (i = 1; i < argc; i++) {
        char name[64], why[400];
        const char *a = argv[i], *eq, *value;

        if (strncmp(a, "--", 2)) {
            if (n == (int)(sizeof(scripts) / sizeof(scripts[0]))) {
                fprintf(stderr, "toe-packetdrill: too many scripts\n");
                return 2;
            }
            scripts[n++] = a;
            continue;
        }
        if (!strcmp(a, "--help")) {
            usage();
            return 2;
        }
        eq = strchr(a, '=');
        snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a) - 2), a + 2);
        value = eq ? eq + 1 : NULL;
        /* "--knob name=value" as two words too */
        if (!value && !strcmp(name, "knob") && i + 1 < argc)
            value = argv[++i];
        if (pd_run_opt_set(&o, name, value, why, sizeof(why))) {
            fprintf(stderr, "toe-packetdrill: %s\n", why);
            usage();
            return 2;
        }
    }
    if (!n) {
        usage();
        return 2;
    }
    for (i = 0; i < n; i++) {
        struct pd_error err;
        struct pd_script *s = pd_parse_file(scripts[i], &err);
        char msg[1600];
        int line;

        if (!s) {
            printf("FAIL %s\n", err.msg);     /* FILE:LINE:COL: ... */
            failed++;
            continue;
        }
        if (pd_exec_script(s, &o, &line, msg, sizeof(msg))) {
            printf("FAIL %s:%d: %s\n", scripts[i], line, msg);
            failed++;
        } else {
            printf("ok %s\n", scripts[i]);
        }
        fflush(stdout);
        pd_script_free(s);
    }
    return failed ? 1 : 0;
}
