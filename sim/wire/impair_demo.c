/*
 * toe-impair-demo: runs a capture through the cable's impairment stage and writes
 * what arrives at the far end, so the impairments can be seen in Wireshark (TCP
 * analysis flags lost segments, retransmissions and out-of-order segments).
 *
 *   toe-impair-demo --in=out/tx.pcap --out=out/tx-impaired.pcap --seed=1 \
 *       --delay=10us --jitter=2us --loss=1% --reorder=5%
 *
 * Each frame enters the stage at its capture time (relative to the first frame;
 * the stage's clock starts at 0) and is written with its delivery time, to the
 * nanosecond.  Prints the stage's counters.  Exit status 0, or 1 on a bad option
 * or file (with a message).
 */
/* libpcap's BSD types (u_char, u_int) and strtok_r are not ISO C. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "toe_impair.h"
#include "toe_impair_opts.h"
#include "toe_pcap.h"

static const char usage[] =
    "usage: toe-impair-demo --in=IN.pcap --out=OUT.pcap [--seed=N]\n"
    "         [--delay=T] [--jitter=T] [--loss=P | --gemodel=p,r,1-h,1-k]\n"
    "         [--duplicate=P] [--corrupt=P] [--reorder=P] [--gap=N]\n"
    "         [--rate=R] [--overhead=BYTES] [--min-frame=BYTES] [--limit=N]\n"
    "  T: a time with a unit (ps, ns, us, ms, s); P: a probability (0.05) or a\n"
    "  percentage (5%); R: bits/s, with k, M or G; see docs/wire.md.\n";

/* Applies one --key=value; -1 on an unknown key or bad value. */
static int option(const char *arg, struct toe_impair_cfg *cfg, uint64_t *seed,
                  const char **in, const char **out)
{
    const char *eq = strchr(arg, '=');
    char key[32];
    const char *v;
    size_t n;

    if (strncmp(arg, "--", 2) != 0 || !eq || (n = (size_t)(eq - arg - 2)) >= sizeof(key))
        return -1;
    memcpy(key, arg + 2, n);
    key[n] = 0;
    v = eq + 1;
    if (!strcmp(key, "in")) { *in = v; return 0; }
    if (!strcmp(key, "out")) { *out = v; return 0; }
    if (!strcmp(key, "seed")) {
        char *end;

        errno = 0;
        *seed = strtoull(v, &end, 0);
        return end == v || *end || errno ? -1 : 0;
    }
    return toe_impair_set(cfg, key, v) == 0 ? 0 : -1;
}

/* Pops every frame due at or before now into the output capture. */
static void deliver(struct toe_impair *im, uint64_t now, struct toe_pcap *pc, uint64_t base_ns)
{
    static uint8_t buf[TOE_IMPAIR_FRAME_MAX];
    size_t len;
    uint64_t t;

    while (toe_impair_pop(im, now, buf, sizeof(buf), &len, &t) == 1)
        toe_pcap_write(pc, base_ns + t / 1000, buf, len);
}

int main(int argc, char **argv)
{
    struct toe_impair_cfg cfg;
    struct toe_impair_counters c;
    const char *in = NULL, *out = NULL, *why;
    char err[PCAP_ERRBUF_SIZE];
    struct toe_impair *im;
    struct toe_pcap *pc;
    struct pcap_pkthdr *h;
    const unsigned char *data;
    uint64_t seed = 1, base_ns = 0, skipped = 0, now = 0;
    int first = 1, rc;
    pcap_t *p;

    toe_impair_cfg_init(&cfg);
    for (int i = 1; i < argc; i++) {
        if (option(argv[i], &cfg, &seed, &in, &out)) {
            fprintf(stderr, "toe-impair-demo: bad option '%s'\n%s", argv[i], usage);
            return 1;
        }
    }
    if (!in || !out) {
        fprintf(stderr, "toe-impair-demo: --in and --out are required\n%s", usage);
        return 1;
    }
    im = toe_impair_new(&cfg, seed, &why);
    if (!im) {
        fprintf(stderr, "toe-impair-demo: %s\n", why);
        return 1;
    }
    p = pcap_open_offline_with_tstamp_precision(in, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) {
        fprintf(stderr, "toe-impair-demo: %s\n", err);
        toe_impair_free(im);
        return 1;
    }
    pc = toe_pcap_open(out);
    if (!pc) {
        pcap_close(p);
        toe_impair_free(im);
        return 1;
    }
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        /* tv_usec holds nanoseconds in a nanosecond-precision read */
        uint64_t ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;

        if (first) {
            base_ns = ns;
            first = 0;
        }
        /* a capture whose times go back is taken as if time stood still */
        if (ns >= base_ns && (ns - base_ns) * 1000 > now)
            now = (ns - base_ns) * 1000;
        deliver(im, now, pc, base_ns);
        if (h->caplen != h->len || toe_impair_push(im, data, h->caplen, now) < 0)
            skipped++; /* truncated in the capture, or longer than the stage takes */
    }
    deliver(im, TOE_IMPAIR_TIME_MAX, pc, base_ns);
    toe_pcap_close(pc);
    if (rc != PCAP_ERROR_BREAK)
        fprintf(stderr, "toe-impair-demo: %s: %s\n", in, pcap_geterr(p));
    pcap_close(p);
    toe_impair_counters(im, &c);
    printf("toe-impair-demo: seed %" PRIu64 ": in %" PRIu64 " out %" PRIu64 " lost %" PRIu64
           " duplicated %" PRIu64 " corrupted %" PRIu64 " reordered %" PRIu64
           " limit_drops %" PRIu64 " out_of_order %" PRIu64 " skipped %" PRIu64 "\n",
           seed, c.in, c.out, c.lost, c.duplicated, c.corrupted, c.reordered, c.limit_drops,
           c.out_of_order, skipped);
    toe_impair_free(im);
    return rc == PCAP_ERROR_BREAK ? 0 : 1;
}
