/*
 * pcap writer over libpcap's dump API.  Contracts are in toe_pcap.h.
 */
/* libpcap's headers use the BSD types u_char and u_int, which glibc only
 * declares outside strict ISO C. */
#define _DEFAULT_SOURCE

#include "toe_pcap.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#define SNAPLEN 65535u

struct toe_pcap {
    pcap_t *p;              /* a "dead" handle: only carries link type etc. */
    pcap_dumper_t *d;
    uint64_t ts_div;        /* nanoseconds per unit of the file's sub-second field */
};

struct toe_pcap *toe_pcap_open(const char *path)
{
    struct toe_pcap *pc = calloc(1, sizeof(*pc));

    if (!pc) {
        fprintf(stderr, "toe_pcap: out of memory\n");
        return NULL;
    }
#ifdef PCAP_TSTAMP_PRECISION_NANO
    pc->p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, SNAPLEN,
                                                 PCAP_TSTAMP_PRECISION_NANO);
    pc->ts_div = 1;
#else
    pc->p = pcap_open_dead(DLT_EN10MB, SNAPLEN);
    pc->ts_div = 1000;
#endif
    if (!pc->p) {
        fprintf(stderr, "toe_pcap: pcap_open_dead failed\n");
        goto fail_pc;
    }
    pc->d = pcap_dump_open(pc->p, path);
    if (!pc->d) {
        /* libpcap's message already names the file */
        fprintf(stderr, "toe_pcap: %s\n", pcap_geterr(pc->p));
        goto fail_p;
    }
    return pc;

fail_p:
    pcap_close(pc->p);
fail_pc:
    free(pc);
    return NULL;
}

void toe_pcap_write(struct toe_pcap *pc, uint64_t time_ns, const uint8_t *frame,
                    size_t len)
{
    struct pcap_pkthdr h;

    /* In a nanosecond file the tv_usec field holds nanoseconds. */
    h.ts.tv_sec = (time_t)(time_ns / 1000000000u);
    h.ts.tv_usec = (suseconds_t)((time_ns % 1000000000u) / pc->ts_div);
    h.caplen = (bpf_u_int32)(len < SNAPLEN ? len : SNAPLEN);
    h.len = (bpf_u_int32)len;
    pcap_dump((u_char *)pc->d, &h, frame);
}

void toe_pcap_close(struct toe_pcap *pc)
{
    if (!pc)
        return;
    if (pcap_dump_flush(pc->d) != 0)
        fprintf(stderr, "toe_pcap: write error while flushing\n");
    pcap_dump_close(pc->d);
    pcap_close(pc->p);
    free(pc);
}
