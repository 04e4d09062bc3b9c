/*
 * Helpers of the parser's tests: parse a string that must parse (or fail the
 * case with the parser's message), and read the script directory.
 */
#ifndef PD_TEST_UTIL_H
#define PD_TEST_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pd_ast.h"

/* Where the real-world scripts are; make test runs from the top of the tree. */
static inline const char *pd_scripts_dir(void)
{
    const char *d = getenv("PD_SCRIPTS");

    return d && *d ? d : "tests/pktdrill/scripts";
}

static int pd_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The paths of every *.pkt in the script directory, sorted; *N their number. */
static inline char **pd_script_paths(size_t *n)
{
    const char *dir = pd_scripts_dir();
    DIR *d = opendir(dir);
    struct dirent *de;
    char **paths = NULL;
    size_t cap = 0;

    *n = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);

        if (len < 5 || strcmp(de->d_name + len - 4, ".pkt"))
            continue;
        if (*n == cap) {
            char **grown = realloc(paths, (cap = cap ? cap * 2 : 32) * sizeof(*paths));

            if (!grown)
                abort();
            paths = grown;
        }
        paths[*n] = malloc(strlen(dir) + len + 2);
        if (!paths[*n])
            abort();
        sprintf(paths[*n], "%s/%s", dir, de->d_name);
        (*n)++;
    }
    closedir(d);
    qsort(paths, *n, sizeof(*paths), pd_name_cmp);
    return paths;
}

static inline void pd_free_paths(char **paths, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

/* The whole file, NUL-terminated, or NULL. */
static inline char *pd_read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[size] = '\0';
        *len = (size_t)size;
    }
    return buf;
}

#endif /* PD_TEST_UTIL_H */
