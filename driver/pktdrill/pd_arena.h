/*
 * The allocator of one parsed script: every node comes from here and goes
 * at once with pd_arena_free(), so a parse that fails half-way leaks nothing
 * and the parser needs no per-node cleanup paths.
 */
#ifndef PD_ARENA_H
#define PD_ARENA_H

#include <stddef.h>

struct pd_arena;

struct pd_arena *pd_arena_new(void);
void pd_arena_free(struct pd_arena *a);

/* SIZE zeroed bytes aligned for any object, or NULL when memory runs out. */
void *pd_arena_alloc(struct pd_arena *a, size_t size);

/* A NUL-terminated copy of LEN bytes of S, or NULL when memory runs out. */
char *pd_arena_strndup(struct pd_arena *a, const char *s, size_t len);

/*
 * Grow the array *ITEMS of *N elements of ELEM bytes by one zeroed element and
 * return it (or NULL). *CAP tracks the capacity; the old block stays in the
 * arena, which at most doubles the memory an array uses.
 */
void *pd_arena_push(struct pd_arena *a, void **items, size_t *n, size_t *cap, size_t elem);

#endif /* PD_ARENA_H */
