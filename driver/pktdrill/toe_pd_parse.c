/*
 * toe-pd-parse FILE...: parse packetdrill scripts and print each one back in
 * canonical form (docs/packetdrill.md), or the first error of each file.
 * Exit status 0 when every file parsed, 1 otherwise, 2 for a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "pd_ast.h"

int main(int argc, char **argv)
{
    int i, status = 0;
    bool quiet = false;

    if (argc > 1 && !strcmp(argv[1], "-q")) {
        quiet = true;
        argv++;
        argc--;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: toe-pd-parse [-q] SCRIPT.pkt...\n"
                        "  parse packetdrill scripts; print each canonically (-q: only errors)\n");
        return 2;
    }
    for (i = 1; i < argc; i++) {
        struct pd_error err;
        struct pd_script *s = pd_parse_file(argv[i], &err);

        if (!s) {
            fprintf(stderr, "%s\n", err.msg);
            status = 1;
            continue;
        }
        if (!quiet) {
            if (argc > 2)
                printf("// %s: %zu events\n", argv[i], s->n_events);
            if (pd_script_print(stdout, s) < 0)
                status = 1;
        }
        pd_script_free(s);
    }
    return status;
}
