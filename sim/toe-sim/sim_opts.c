/* toe-sim's command line. */
#define _GNU_SOURCE
#include "sim_opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "pci_tree.h"
#include "sim_cable.h"
#include "toe_formats.h"
#include "toe_impair_opts.h"

void sim_opts_usage(FILE *f, const char *prog)
{
    fprintf(f,
"usage: %s --pci-dir DIR [options]\n"
"\n"
"The emulated OpenTOE PCIe function. It publishes the function under\n"
"DIR/devices/BDF the way Linux publishes a device under /sys/bus/pci (so that\n"
"`lspci -A linux-sysfs -O sysfs.path=DIR -vv` shows it and a driver finds it\n"
"through libpci), serves the driver over the channel socket in that directory,\n"
"and connects its Ethernet port to a cable. SIGINT or SIGTERM end it cleanly.\n"
"\n"
"Device:\n"
"  --backend=model|rtl|lockstep  the C reference model (default), the Verilated\n"
"                                RTL, or both fed the same input with every DMA\n"
"                                write, frame, event and counter compared; the\n"
"                                first divergence stops toe-sim with a report\n"
"  --conn-max=N                  connection-table entries (default %u)\n"
"  --pci-dir=DIR                 where to publish (default: $TOE_PCI_DIR)\n"
"  --bdf=BDF                     the function's address (default %s)\n"
"  --nslots=N                    channel ring slots (default %u)\n"
"Time:\n"
"  --time=virtual|real           deterministic virtual time, the device running\n"
"                                only while the driver waits (default), or the\n"
"                                wall clock, for peers that live in real time\n"
"  --seed=N                      seed of everything random (impairment); default 1\n"
"  --stop-after=T                exit once the device clock reaches T (e.g. 5s)\n"
"Wire:\n"
"  --pcap=FILE                   record every frame, both ways, with libpcap\n"
"  --wire=listen:PATH            a cable to another toe-sim: wait for it at PATH\n"
"  --wire=connect:PATH           ... or connect to one waiting there\n"
"  --cable-latency=T             the cable's propagation delay (default 1us; the\n"
"                                lookahead of virtual time, so above 0)\n"
"  --wire-timeout=MS             how long to wait for the peer (default 30000)\n"
"  --driver-wait=MS|forever      virtual time: the device's clock waits this long\n"
"                                (wall clock) for its first driver, so that when\n"
"                                it attaches does not depend on the wall clock;\n"
"                                then runs on for the cable peer (default 5000)\n"
"Impairment of the frames this toe-sim sends on the cable (docs/wire.md):\n"
"  --delay=T --jitter=T --loss=P --gemodel=p,r,1-h,1-k --duplicate=P\n"
"  --corrupt=P --reorder=P --gap=N --rate=R --overhead=B --min-frame=B --limit=N\n"
"  T: a time with a unit (ps, ns, us, ms, s); P: a probability or a percentage;\n"
"  R: bits/s with k, M or G.\n"
"Testing the lockstep comparison itself:\n"
"  --lockstep-primary=rtl|model  what the model is compared with (default rtl;\n"
"                                model: a second model, no RTL needed)\n"
"  --lockstep-fault=frame:N|dma:N|irq:N  flip a byte of the primary's Nth\n"
"                                frame or DMA write, or hide its Nth MSI-X, as\n"
"                                lockstep sees them: it must report it\n"
"Other:\n"
"  -v, --verbose                 log channel and cable traffic\n"
"  --help                        this text\n",
            prog, CONN_MAX_DEFAULT, TOE_PCI_BDF_DEFAULT, CHAN_NSLOTS_DEFAULT);
}

static int bad(const char *opt, const char *val, const char *why)
{
    fprintf(stderr, "toe-sim: --%s=%s: %s\n", opt, val, why);
    return -1;
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;

    errno = 0;
    *v = strtoull(s, &end, 0);
    return end == s || *end || errno || *s == '-' ? -1 : 0;
}

int sim_opts_parse(struct sim_opts *o, int argc, char **argv)
{
    enum { O_BACKEND = 256, O_PCI, O_BDF, O_PCAP, O_WIRE, O_LAT, O_SEED, O_TIME, O_CONN,
           O_NSLOTS, O_WTO, O_STOP, O_HELP, O_IMPAIR, O_LS_PRIMARY, O_LS_FAULT, O_DWAIT };
    static const char *const impair_keys[] = {"delay", "jitter", "loss", "gemodel", "duplicate",
                                              "corrupt", "reorder", "gap", "rate", "overhead",
                                              "min-frame", "limit"};
    struct option opts[32] = {
        {"backend", required_argument, NULL, O_BACKEND}, {"pci-dir", required_argument, NULL, O_PCI},
        {"bdf", required_argument, NULL, O_BDF}, {"pcap", required_argument, NULL, O_PCAP},
        {"wire", required_argument, NULL, O_WIRE}, {"cable-latency", required_argument, NULL, O_LAT},
        {"seed", required_argument, NULL, O_SEED}, {"time", required_argument, NULL, O_TIME},
        {"conn-max", required_argument, NULL, O_CONN}, {"nslots", required_argument, NULL, O_NSLOTS},
        {"wire-timeout", required_argument, NULL, O_WTO},
        {"stop-after", required_argument, NULL, O_STOP},
        {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, O_HELP},
        {"lockstep-primary", required_argument, NULL, O_LS_PRIMARY},
        {"lockstep-fault", required_argument, NULL, O_LS_FAULT},
        {"driver-wait", required_argument, NULL, O_DWAIT},
    };
    int n = 17, c, idx;

    for (size_t i = 0; i < sizeof(impair_keys) / sizeof(impair_keys[0]); i++)
        opts[n++] = (struct option){impair_keys[i], required_argument, NULL, O_IMPAIR};
    opts[n] = (struct option){NULL, 0, NULL, 0};

    memset(o, 0, sizeof(*o));
    o->backend = SIM_BACKEND_MODEL;
    o->pci_dir = getenv("TOE_PCI_DIR");
    o->bdf = TOE_PCI_BDF_DEFAULT;
    o->cable_latency_ps = SIM_CABLE_LATENCY_DEFAULT_PS;
    o->seed = 1;
    o->time_mode = TIME_MODE_VIRTUAL;
    o->conn_max = CONN_MAX_DEFAULT;
    o->wire_timeout_ms = 30000;
    o->driver_wait_ms = 5000;
    o->stop_after_ps = SIM_TIME_NEVER;
    toe_impair_cfg_init(&o->impair);

    optind = 1;
    while ((c = getopt_long(argc, argv, "v", opts, &idx)) != -1) {
        const char *name = c == O_IMPAIR ? opts[idx].name : "";
        uint64_t v;
        uint32_t u;

        switch (c) {
        case O_BACKEND:
            if (!strcmp(optarg, "model")) o->backend = SIM_BACKEND_MODEL;
            else if (!strcmp(optarg, "rtl")) o->backend = SIM_BACKEND_RTL;
            else if (!strcmp(optarg, "lockstep")) o->backend = SIM_BACKEND_LOCKSTEP;
            else return bad("backend", optarg, "not model, rtl or lockstep");
            break;
        case O_PCI: o->pci_dir = optarg; break;
        case O_BDF: o->bdf = optarg; break;
        case O_PCAP: o->pcap = optarg; break;
        case O_WIRE:
            if (!strncmp(optarg, "listen:", 7)) { o->wire_listen = 1; o->wire_path = optarg + 7; }
            else if (!strncmp(optarg, "connect:", 8)) { o->wire_listen = 0; o->wire_path = optarg + 8; }
            else return bad("wire", optarg, "not listen:PATH or connect:PATH");
            if (!*o->wire_path)
                return bad("wire", optarg, "no path");
            break;
        case O_LAT:
            if (toe_parse_time(optarg, &o->cable_latency_ps))
                return bad("cable-latency", optarg, "not a time (1us, 500ns, ...)");
            break;
        case O_SEED:
            if (parse_u64(optarg, &o->seed))
                return bad("seed", optarg, "not an unsigned number");
            break;
        case O_TIME:
            if (!strcmp(optarg, "virtual")) o->time_mode = TIME_MODE_VIRTUAL;
            else if (!strcmp(optarg, "real")) o->time_mode = TIME_MODE_REAL;
            else return bad("time", optarg, "not virtual or real");
            break;
        case O_CONN:
            if (toe_parse_u32(optarg, &u) || u < CONN_MAX_MIN || u > CONN_MAX_MAX || (u & (u - 1)))
                return bad("conn-max", optarg, "must be a power of two from 64 to 65536");
            o->conn_max = u;
            break;
        case O_NSLOTS:
            if (toe_parse_u32(optarg, &u) || u < 1 || u > CHAN_NSLOTS_MAX)
                return bad("nslots", optarg, "must be 1 to 65536");
            o->nslots = u;
            break;
        case O_WTO:
            if (toe_parse_u32(optarg, &u) || u > 3600000)
                return bad("wire-timeout", optarg, "milliseconds, at most 3600000");
            o->wire_timeout_ms = (int)u;
            break;
        case O_DWAIT:
            if (!strcmp(optarg, "forever")) { o->driver_wait_ms = -1; break; }
            if (toe_parse_u32(optarg, &u) || u > 3600000)
                return bad("driver-wait", optarg, "milliseconds (at most 3600000) or forever");
            o->driver_wait_ms = (int)u;
            break;
        case O_STOP:
            if (toe_parse_time(optarg, &v))
                return bad("stop-after", optarg, "not a time (5s, 200ms, ...)");
            o->stop_after_ps = v;
            break;
        case O_IMPAIR:
            if (toe_impair_set(&o->impair, name, optarg))
                return bad(name, optarg, "not a valid value (docs/wire.md)");
            o->impair_set = 1;
            break;
        case O_LS_PRIMARY:
            if (!strcmp(optarg, "rtl")) o->ls.model_primary = 0;
            else if (!strcmp(optarg, "model")) o->ls.model_primary = 1;
            else return bad("lockstep-primary", optarg, "not rtl or model");
            break;
        case O_LS_FAULT: {
            const char *colon = strchr(optarg, ':');

            if (colon && !strncmp(optarg, "frame:", 6)) o->ls.fault = SIM_LS_FAULT_FRAME;
            else if (colon && !strncmp(optarg, "dma:", 4)) o->ls.fault = SIM_LS_FAULT_DMA;
            else if (colon && !strncmp(optarg, "irq:", 4)) o->ls.fault = SIM_LS_FAULT_IRQ;
            else return bad("lockstep-fault", optarg, "not frame:N, dma:N or irq:N");
            if (parse_u64(colon + 1, &o->ls.fault_n) || o->ls.fault_n == 0)
                return bad("lockstep-fault", optarg, "N counts from 1");
            break;
        }
        case 'v': o->verbose++; break;
        case O_HELP: sim_opts_usage(stdout, argv[0]); return 1;
        default: sim_opts_usage(stderr, argv[0]); return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "toe-sim: unexpected argument '%s'\n", argv[optind]);
        sim_opts_usage(stderr, argv[0]);
        return -1;
    }
    if ((o->ls.model_primary || o->ls.fault) && o->backend != SIM_BACKEND_LOCKSTEP) {
        fprintf(stderr, "toe-sim: --lockstep-primary and --lockstep-fault need --backend=lockstep\n");
        return -1;
    }
    if (!o->pci_dir || !*o->pci_dir) {
        fprintf(stderr, "toe-sim: no --pci-dir (and no TOE_PCI_DIR)\n");
        sim_opts_usage(stderr, argv[0]);
        return -1;
    }
    {
        const char *why = toe_impair_cfg_check(&o->impair);

        if (why) {
            fprintf(stderr, "toe-sim: impairment: %s\n", why);
            return -1;
        }
    }
    if (o->impair_set && !o->wire_path) {
        fprintf(stderr, "toe-sim: impairment options need a cable (--wire)\n");
        return -1;
    }
    if (o->time_mode == TIME_MODE_VIRTUAL && o->wire_path && o->cable_latency_ps == 0) {
        fprintf(stderr, "toe-sim: --cable-latency must be above 0 in virtual time\n");
        return -1;
    }
    return 0;
}
