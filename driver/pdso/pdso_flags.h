/*
 * The --so_flags string of toe-packetdrill.so (docs/packetdrill.md,
 * "Upstream packetdrill: toe-packetdrill.so"): comma-separated KEY=VALUE
 * items, no spaces around '=' or ','; values may hold blanks (quote the
 * flag in the shell), never a comma.
 *
 *   backend=model|rtl        the device (default model)
 *   seed=N                   the harness's secrets: ISNs, cookies, ports (default 0)
 *   local=A.B.C.D            the TOE's address (default 192.168.0.1)
 *   prefix=N                 its prefix length, 0..32 (default 16)
 *   remote=A.B.C.D           the script's side, a static neighbour (default 192.0.2.1)
 *   pcap=FILE                every frame in and out of the TOE's port
 *   sysctl.NAME=VALUE        a knob (driver/conf/toe_knobs.h), e.g.
 *                            sysctl.net.ipv4.tcp_syncookies=2; repeatable
 *
 * An empty string (or NULL) takes every default. An unknown key, a key
 * without '=', a bad value: an error.
 */
#ifndef PDSO_FLAGS_H
#define PDSO_FLAGS_H

#include <stddef.h>
#include <stdint.h>

#include "toe_knobs.h"

struct pdso_flags {
    char backend[8];
    uint64_t seed;
    uint32_t local_ip, remote_ip;   /* host order */
    unsigned prefix_len;
    char pcap[256];                 /* "" none */
    struct toe_knobs knobs;
};

/* 0, or -1 with err naming the item at fault. */
int pdso_flags_parse(const char *s, struct pdso_flags *f, char *err, size_t errlen);

#endif /* PDSO_FLAGS_H */
